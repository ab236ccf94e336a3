"""The engine's hand-written queries: the officers' queue's run as prepared statements on
PostgreSQL (:func:`jalankan`), and what a plain cursor hands back read as the ORM would
(:func:`saat`).

Issue 8: planning the queue's two statements took as long as running them (about 1.3 ms of a
page). Here a statement is prepared once per database connection, with its parameters typed
from the values of its first call, and every later call is an ``EXECUTE``: no parsing, and a
plan the server keeps once it sees that a generic one serves. The ``PREPARE`` travels with the
first ``EXECUTE`` in one round trip, so a page costs the same number of queries cold or warm.

Prepared statements live as long as the server connection, which is why the gain needs
persistent connections (``DATABASE_CONN_MAX_AGE``); with a new connection per request each
statement is prepared and run once, at about the cost of running it plainly. They do not
survive a pooler in transaction mode that hands the next transaction another server
connection: ``PPID_DB_PREPARED=0`` turns them off. Other databases (the embedded SQLite) run
the statement as it is.
"""

from datetime import datetime
from datetime import timezone as dt_timezone

from django.conf import settings
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateparse import parse_datetime

# Distinct statements kept per connection before all are dropped: a statement's text depends
# on the shape of an officer's lanes, so there are a few dozen in practice.
BATAS_PERNYATAAN = 200

_TIPE = ((bool, "boolean"), (int, "bigint"), (float, "double precision"), (datetime, "timestamptz"), (str, "text"))


def _tipe(value):
    for kind, name in _TIPE:  # bool first: a bool is an int too
        if isinstance(value, kind):
            return name
    raise TypeError(f"no PostgreSQL type for a parameter of type {type(value).__name__}")


def _bernomor(sql):
    """``%s`` placeholders as ``$1``, ``$2``...: what ``PREPARE`` takes."""
    parts = sql.split("%s")
    return "".join(f"{part}${i}" for i, part in enumerate(parts[:-1], start=1)) + parts[-1]


def saat(value):
    """A timestamp as a plain cursor hands it over (SQLite: text in UTC), as an aware datetime;
    None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt_timezone.utc)


class _Siap:
    """The statements prepared on one server connection."""

    def __init__(self):
        self.nama = {}  # (sql, parameter types) -> statement name
        self.nomor = 0  # names are never reused on a connection


@receiver(connection_created)
def _koneksi_baru(sender, connection, **kwargs):
    connection.ppid_siap = _Siap()  # a new server connection has no prepared statements


def jalankan(cursor, sql, params):
    """Run ``sql`` (``%s`` placeholders) with ``params`` on ``cursor``: on PostgreSQL as a
    prepared statement, prepared in the same round trip the first time on this connection."""
    db = cursor.db
    if db.vendor != "postgresql" or not settings.PPID_DB_PREPARED:
        cursor.execute(sql, params)
        return
    siap = getattr(db, "ppid_siap", None)
    if siap is None:
        siap = db.ppid_siap = _Siap()
    tipe = tuple(_tipe(value) for value in params)
    argumen = f" ({', '.join(['%s'] * len(params))})" if params else ""
    nama = siap.nama.get((sql, tipe))
    if nama is not None:
        cursor.execute(f"EXECUTE {nama}{argumen}", params)
        return
    awal = ""
    if len(siap.nama) >= BATAS_PERNYATAAN:
        awal = "DEALLOCATE ALL; "
        siap.nama.clear()
    # A name never used before on this connection: a PREPARE that went through in a failed
    # round trip (so not recorded) cannot collide with the next attempt.
    siap.nomor += 1
    nama = f"ppid_{siap.nomor}"
    daftar = f" ({', '.join(tipe)})" if tipe else ""
    # psycopg2 fills only the EXECUTE's placeholders: the statement's own become $n (a literal
    # % stays written %%, as for any execute with parameters).
    pernyataan = _bernomor(sql)
    cursor.execute(f"{awal}PREPARE {nama}{daftar} AS {pernyataan}; EXECUTE {nama}{argumen}", params)
    siap.nama[(sql, tipe)] = nama
