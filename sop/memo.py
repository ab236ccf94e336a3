"""A per-process memo of what every new case reads but only an admin changes: the SOP steps
that open a case (with their lanes) and the holidays an admin added, both read by
:func:`sop.services.start` for every public complaint (the latter through
``kalender(memo=True)``). Issue 8: reading them was about a quarter of a complaint's time.

How a change is seen (the memo is per process; gunicorn workers and Celery workers each have
their own):

- **In the process that makes the change** (the admin, a CSV/XLSX import, ``manage.py
  muat_sop``): saving or deleting a ``Sop``, ``Lane``, ``Step`` or ``HariLibur`` drops the
  memo at once, and again when the transaction commits. Until then the changing transaction
  reads its own rows and keeps them for itself: other threads keep the committed rows, and
  nothing read inside it outlives its rollback (an import's dry run, a test).
- **In the other processes**: on commit the change also writes a new version stamp into the
  shared cache (Redis, ``CACHE_URL``). A process compares the stamp with the one it read at
  most once every :data:`PERIKSA_DETIK` (1 s) and drops its memo when they differ, so a
  change is seen everywhere within about a second, for one cache read a second per process.
- **Backstop**: no entry is used longer than :data:`UMUR_DETIK` (60 s). That bounds what the
  stamp cannot see: the embedded default's local-memory cache (per process, so not shared),
  the cache being down, a change the ORM does not announce (SQL by hand, a queryset
  ``update()`` or ``bulk_create``). ``manage.py muat_sop`` drops every process's memo at
  once, whatever changed.

A caller cannot change what the next case reads: the steps are immutable
:class:`sop.services.Langkah` records, and the calendar copies the holidays it is given.
"""

import logging
import threading
import time
import uuid

from django.core.cache import caches
from django.db import connection, transaction

log = logging.getLogger(__name__)

KUNCI_VERSI = "sop:memo:versi"
PERIKSA_DETIK = 1.0
UMUR_DETIK = 60.0

_jam = time.monotonic
_BELUM = object()  # no stamp read yet: the first check takes what the cache holds
_isi = {}  # key -> (value, monotonic time it expires, transaction it belongs to or None)
_kunci = threading.Lock()
_versi = _BELUM
_diperiksa = float("-inf")
# Bumped by every drop: a value loaded while the memo was dropped (by another thread of a
# threaded server) may be the old rows, so it is used but not kept.
_generasi = 0
# Per thread (a connection is per thread): the open transaction that changed what the memo
# holds, named by its list of on-commit callbacks, which Django replaces when the transaction
# commits or rolls back (and when a savepoint rolls back: then read again, to be safe).
_utas = threading.local()


def ingat(key, muat):
    """The value memoised under ``key``, loading it with ``muat()`` when missing, older than
    :data:`UMUR_DETIK`, or when a change was announced.

    Inside a transaction that changed what the memo holds, the transaction reads its own rows
    and what it reads is kept for itself only: the other threads keep the committed rows, and
    nothing it read outlives its rollback."""
    _periksa_versi()
    now = _jam()
    milik = _transaksi_berubah()
    entry = _isi.get(key)
    if entry is not None and entry[1] > now and entry[2] is milik:
        return entry[0]
    generasi = _generasi
    value = muat()
    with _kunci:
        if generasi == _generasi:
            _isi[key] = (value, now + UMUR_DETIK, milik)
    return value


def lupakan():
    """Drop this process's memo now and, when the current transaction commits, again and in
    every process sharing the cache (a new version stamp)."""
    _buang()
    transaction.on_commit(_umumkan)
    if connection.in_atomic_block:
        _utas.transaksi = connection.run_on_commit


def _transaksi_berubah():
    """The open transaction of this thread that changed what the memo holds, or None."""
    mine = getattr(_utas, "transaksi", None)
    if mine is None:
        return None
    current = connection.run_on_commit
    if current is mine:
        return mine
    if connection.in_atomic_block and any(func is _umumkan for _, func, _ in current):
        # A savepoint rolled back, the change before it stands: still this transaction's,
        # under a new name (what was read under the old one is read again).
        _utas.transaksi = current
        return current
    _utas.transaksi = None  # it ended (a commit runs _umumkan; this was a rollback)
    return None


def _buang():
    global _generasi
    with _kunci:
        _generasi += 1
        _isi.clear()


def _umumkan():
    global _versi
    _utas.transaksi = None
    _buang()
    stamp = uuid.uuid4().hex
    try:
        caches["default"].set(KUNCI_VERSI, stamp, None)
    except Exception:  # the cache is down: the other processes see it within UMUR_DETIK
        log.warning("memo SOP: versi baru tidak dapat ditulis ke cache", exc_info=True)
        return
    with _kunci:
        _versi = stamp


def _periksa_versi():
    global _versi, _diperiksa
    now = _jam()
    if now - _diperiksa < PERIKSA_DETIK:
        return
    _diperiksa = now
    try:
        stamp = caches["default"].get(KUNCI_VERSI)
    except Exception:  # the cache is down: entries still expire after UMUR_DETIK
        log.debug("memo SOP: versi tidak dapat dibaca dari cache", exc_info=True)
        return
    with _kunci:
        if stamp == _versi:
            return
        _versi = stamp
    _buang()


def _berubah(sender, **kwargs):
    """Receiver of post_save/post_delete of the models the memo holds (wired in sop.apps)."""
    lupakan()
