"""The officers' queue ("Antrian saya"): the open steps waiting in an officer's lanes, a page
at a time, urgent work first, then work waiting for their approval, then the soonest
deadline; and for a supervisor the overdue steps of the lanes they supervise.

Issue 8: the page must cost the same number of queries whatever the size of the Task table
and whatever the number of rows, and not much more time than an empty page. So:

- the officer's lanes and the lanes they supervise are read once, in one query, and the Task
  queries name them: each reads the open-work index (``task_open_antrian``) of those lanes
  only, never the finished history;
- the number of open steps is counted with the lanes, from the index, but only up to
  ``BATAS_HITUNG`` (1,000): the count reads at most that many index entries (a ``LIMIT``
  inside the counted subquery), so it no longer grows with the open work. Product decision
  (issue 8): beyond the cap the page says "lebih dari 1.000 langkah" and "Halaman 1 dari
  20+"; an officer with that much work pages with "sebelumnya"/"berikutnya" (each page reads
  one row more than it shows to know whether another follows) and "terakhir", which reads
  the queue from its end (``?hal=terakhir``, then ``?hal=-2``, ``-3``... counted from the
  end). Under the cap the count and page numbers are exact, as before;
- the page's ids, the supervisor's overdue ids and the rows of both are read together, in one
  statement (the id queries as subqueries joined to the Tasks, each row marked with its table
  and its place), as plain values rather than model instances: the page costs two queries of
  its own where it cost four, two round trips and two plans fewer. What a row shows of its
  step, lane and SOP comes with the lanes' query, so that statement joins only the Tasks' units;
- the rows are rendered here, every value escaped, rather than by the template engine, whose
  cost per variable would make a page of a hundred rows several times the cost of the page
  around it. The markup is the same the templates used to write (``_Penulis``).
"""

import re
from collections import namedtuple
from dataclasses import dataclass, field
from html import escape

from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from . import waktu as w
from .kueri import jalankan, saat
from .models import Lane, Sop, Step, Task, Unit
from .tautan import CaseUrls

PER_HALAMAN = 50
# The supervisor's table shows the longest-overdue steps of the lanes they supervise, this many
# (product decision, issue 8): it is an alert below the officer's own page of 50, not a second
# worklist, and the oldest are where a supervisor acts first. One more is read, to say that
# there are others. (It showed 50: at N=100,000 the table cost as much as the rest of the page.)
TERLAMBAT_DIAWASI = 20
_KHUSUS = re.compile("[&<>\"']").search  # what html.escape replaces
# The queue counts its open steps exactly only up to here (see the module's docstring).
BATAS_HITUNG = 1000

# What a row shows of a Task, read with its unit, and its step's, lane's and SOP's (sop.antrian._read).
_Tugas = namedtuple("_Tugas", (
    "id", "kode", "judul", "due_at", "waktu", "waktu_batas", "mendesak", "case_type_id", "lane_id", "unit_id",
    "step_id", "step_nomor", "step_kegiatan", "step_persetujuan", "lane_nama", "unit_nama", "sop_nama",
))

_TERLAMBAT = ' <span class="lencana lencana-terlambat">terlambat</span>'
_MENDESAK = '<span class="lencana lencana-terlambat">mendesak</span> '
_PERSETUJUAN = '<span class="lencana lencana-setuju">menunggu persetujuan</span> '


def _ribuan(n):
    return f"{n:,}".replace(",", ".")


@dataclass
class Halaman:
    """One page of the queue, with what the template's page links need.

    ``number`` counts from the queue's start; a capped queue's page read from its end has
    ``dari_akhir`` (1: the last page) instead, and ``num_pages`` is None when not counted."""

    number: int | None
    num_pages: int | None
    count: int  # exact, or BATAS_HITUNG + 1 when there are more ("lebih")
    baris: str = ""  # the rows' HTML, escaped
    tugas: list = field(default_factory=list)
    dari_akhir: int | None = None
    has_previous: bool = False
    has_next: bool = False

    @property
    def lebih(self):
        return self.count > BATAS_HITUNG

    @property
    def has_other_pages(self):
        return self.has_previous or self.has_next

    def previous_page_number(self):
        return -(self.dari_akhir + 1) if self.dari_akhir else self.number - 1

    def next_page_number(self):
        return -(self.dari_akhir - 1) if self.dari_akhir and self.dari_akhir > 1 else self.number + 1

    @property
    def sebelumnya(self):
        """The ``hal`` of the previous page (None on the first)."""
        return self.previous_page_number() if self.has_previous else None

    @property
    def berikutnya(self):
        return (self.next_page_number() if self.dari_akhir != 2 else "terakhir") if self.has_next else None

    @property
    def terakhir(self):
        """The ``hal`` of the last page, unless this is it."""
        if not self.has_next:
            return None
        return self.num_pages if self.num_pages else "terakhir"

    @property
    def jumlah(self):
        """"69 langkah" or, beyond the cap, "lebih dari 1.000 langkah"."""
        if self.lebih:
            return f"lebih dari {_ribuan(BATAS_HITUNG)} langkah"
        return f"{_ribuan(self.count)} langkah"

    @property
    def keterangan(self):
        """"Halaman 1 dari 2"; beyond the cap "Halaman 1 dari 20+", "Halaman terakhir"."""
        if self.dari_akhir == 1:
            return "Halaman terakhir"
        if self.dari_akhir:
            return f"Halaman ke-{self.dari_akhir} dari akhir"
        if self.num_pages:
            return f"Halaman {self.number} dari {self.num_pages}"
        if not self.has_next:
            return f"Halaman {self.number} dari {self.number}"
        return f"Halaman {self.number} dari {max(BATAS_HITUNG // PER_HALAMAN, self.number + 1)}+"


@dataclass
class Antrian:
    halaman: Halaman
    terlambat_bawahan: str = ""  # the supervisor's table rows' HTML, escaped; empty when none
    jumlah_terlambat_bawahan: int = 0
    lebih_terlambat_bawahan: bool = False  # more are overdue than the table shows


# --- the queries ---------------------------------------------------------------------------
# Written as SQL (portable: PostgreSQL and SQLite): building them with the ORM cost several
# times what the database takes to answer them (a page of five lanes' ranges: ~6 ms of
# Python for 0.3 ms of SQL).


class _Names:
    """The tables and columns the queries name, quoted, from the models."""

    def __getattr__(self, name):
        qn = connection.ops.quote_name
        user = get_user_model()
        names = {
            "task": Task._meta.db_table, "step": Step._meta.db_table, "lane": Lane._meta.db_table,
            "unit": Unit._meta.db_table, "sop": Sop._meta.db_table,
            "groups": user.groups.through._meta.db_table, "anggota": Unit.anggota.through._meta.db_table,
            "g_user": user.groups.through._meta.get_field("user").column,
            "g_group": user.groups.through._meta.get_field("group").column,
            "a_user": Unit.anggota.through._meta.get_field("user").column,
            "a_unit": Unit.anggota.through._meta.get_field("unit").column,
        }
        for key, value in names.items():
            setattr(self, key, qn(value))
        return getattr(self, name)


_n = _Names()


def _lanes(user):
    """In one query: the steps of the user's lanes that can hold open work (those with a
    state), as ``(step, lane, per_unit, approval)``; the same steps of the lanes they
    supervise (the lanes whose supervising lane's group they are in), as ``(step, lane)``; the
    number of open steps in their lanes (per-unit lanes: of their units), which the database
    counts once from the index, up to ``BATAS_HITUNG + 1``; and every step, as ``{step: (lane,
    nomor, kegiatan, approval, lane's name, SOP's name)}``: what a row shows of it.

    A Task's lane and SOP are its step's (``sop.services`` makes them so), so the rows of the
    queue take those names from here: the query of the rows then reads the Tasks and their
    units only, which the database plans in half the time a join of five tables takes."""
    mine = f"(SELECT {_n.g_group} FROM {_n.groups} WHERE {_n.g_user} = %s)"
    units = f"(SELECT {_n.a_unit} FROM {_n.anggota} WHERE {_n.a_user} = %s)"
    # At most BATAS_HITUNG + 1 index entries are read: enough to say "more than the cap".
    count = (
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {_n.lane} cl JOIN {_n.task} c ON c.lane_id = cl.id "
        f"WHERE cl.group_id IN {mine} AND c.finished_at IS NULL AND (cl.per_unit = %s OR c.unit_id IN {units}) "
        f"LIMIT %s) hitung)"
    )
    sql = (
        f"SELECT s.id, s.lane_id, l.per_unit, s.persetujuan, s.state <> '', l.group_id IN {mine}, "
        f"a.group_id IN {mine}, {count}, s.nomor, s.kegiatan, l.nama, p.nama "
        f"FROM {_n.step} s JOIN {_n.lane} l ON l.id = s.lane_id JOIN {_n.sop} p ON p.id = l.sop_id "
        f"LEFT JOIN {_n.lane} a ON a.id = l.atasan_id ORDER BY s.id"
    )
    with connection.cursor() as cursor:
        jalankan(cursor, sql, [user.pk, user.pk, user.pk, False, user.pk, BATAS_HITUNG + 1])
        rows = cursor.fetchall()
    own, supervised, total, steps = [], [], 0, {}
    for step_id, lane_id, per_unit, persetujuan, terbuka, milik, diawasi, total, *shown in rows:
        steps[step_id] = (lane_id, shown[0], shown[1], bool(persetujuan), shown[2], shown[3])
        if terbuka and milik:
            own.append((step_id, lane_id, bool(per_unit), bool(persetujuan)))
        if terbuka and diawasi:
            supervised.append((step_id, lane_id))
    return own, supervised, total, steps


def _page_number(raw):
    """``?hal=``: a page counted from the start (1, 2, ...), or from the end ("terakhir" or
    -1 for the last, -2 for the one before...), as a signed int; anything else is page 1."""
    if raw == "terakhir":
        return -1
    try:
        number = int(raw)
    except (TypeError, ValueError):
        return 1
    return number or 1


# The queue's order, and the same read from its end.
_MAJU = ("mendesak DESC, due_at ASC NULLS LAST, id ASC", "mendesak DESC, setuju DESC, due_at ASC NULLS LAST, id ASC")
_MUNDUR = ("mendesak ASC, due_at DESC NULLS FIRST, id DESC", "mendesak ASC, setuju ASC, due_at DESC NULLS FIRST, id DESC")


def _page_read(number, total):
    """How page ``number`` of the user's ``total`` open steps is read, as ``(backwards, skip,
    take)``: a page in the second half of the queue is read from its end (the index read
    backwards), so the first and the last pages cost what they show, not what the lanes hold."""
    start = (number - 1) * PER_HALAMAN
    end = min(start + PER_HALAMAN, total)
    if start > total - end:
        return True, total - end, end - start
    return False, start, end - start


def _page_sql(user, own, backwards, skip, take):
    """The ids of ``take`` open steps after the first ``skip``, in queue order or (``backwards``)
    from its end, each with its place ``n`` in that order: urgent work first, then work waiting
    for an approval step, then the soonest deadline.

    Each (lane, step) of the user's is one range of the index ``task_open_antrian_urut``, read
    in its order (urgent first, then by deadline) and only as far as the page needs; the
    ranges are merged with the approval steps first."""
    depth = skip + take  # how far each range must be read
    within, merged = _MUNDUR if backwards else _MAJU
    parts, params = [], []
    for i, (step_id, lane_id, per_unit, persetujuan) in enumerate(own):
        unit = (f" AND unit_id IN (SELECT {_n.a_unit} FROM {_n.anggota} WHERE {_n.a_user} = %s)"
                if per_unit else "")
        # The lane, the step and the approval mark are written into the statement: they are
        # the user's (so the statement is too, whatever the page), and each parameter costs
        # adapting and typing on every call.
        parts.append(
            f"SELECT * FROM (SELECT id, mendesak, {int(persetujuan)} AS setuju, due_at FROM {_n.task} "
            f"WHERE finished_at IS NULL AND lane_id = {int(lane_id)} AND step_id = {int(step_id)}{unit} "
            f"ORDER BY {within} LIMIT %s) b{i}"
        )
        params += [*([user.pk] if per_unit else []), depth]
    sql = (f"SELECT id, ROW_NUMBER() OVER (ORDER BY {merged}) AS n FROM ({' UNION ALL '.join(parts)}) q "
           f"ORDER BY {merged} LIMIT %s OFFSET %s")
    return sql, [*params, take, skip]


def _overdue_sql(supervised, now):
    """The supervised lanes' first overdue steps, by deadline, each with its place ``n``: one
    more than the table shows (``TERLAMBAT_DIAWASI``).

    Each (lane, step, urgency) of the supervised lanes is one range of the index
    ``task_open_antrian_urut``, in deadline order from the oldest: each is read up to ``now``
    and no further than the table shows, and the ranges are merged. So the table costs what
    it shows, however much work is overdue (issue 8: at N=100,000 an Admin Koordinator's
    supervised lanes held ~700 overdue steps, all read and sorted for the 50 then shown)."""
    depth = TERLAMBAT_DIAWASI + 1
    parts = []
    for i, (step_id, lane_id) in enumerate(supervised):
        for urgent in ("TRUE", "FALSE"):
            parts.append(
                f"SELECT * FROM (SELECT id, due_at FROM {_n.task} WHERE finished_at IS NULL "
                f"AND lane_id = {int(lane_id)} AND step_id = {int(step_id)} AND mendesak = {urgent} AND due_at < %s "
                f"ORDER BY due_at, id LIMIT {depth}) o{i}{urgent[0]}"
            )
    sql = (f"SELECT id, ROW_NUMBER() OVER (ORDER BY due_at, id) AS n FROM ({' UNION ALL '.join(parts)}) q "
           f"ORDER BY due_at, id LIMIT {depth}")
    return sql, [connection.ops.adapt_datetimefield_value(now)] * len(parts)


def _read(user, own, steps, page, below):
    """In one query: the rows of the page (``page``: ``(backwards, skip, take)``, or None) and
    of the supervisor's table (``below``: ``(supervised steps, now)``, or None), each list in
    the order it was read (a page read ``backwards`` from the queue's end)."""
    parts, params = [], []
    if page:
        sql, values = _page_sql(user, own, *page)
        parts.append(f"SELECT 0 AS k, id, n FROM ({sql}) halaman")
        params += values
    if below:
        sql, values = _overdue_sql(*below)
        parts.append(f"SELECT 1 AS k, id, n FROM ({sql}) bawahan")
        params += values
    sql = (
        f"SELECT x.k, x.n, t.id, t.kode, t.judul, t.due_at, t.waktu, t.waktu_batas, t.mendesak, t.case_type_id, "
        f"t.lane_id, t.unit_id, t.step_id, u.nama FROM ({' UNION ALL '.join(parts)}) x "
        f"JOIN {_n.task} t ON t.id = x.id LEFT JOIN {_n.unit} u ON u.id = t.unit_id"
    )
    with connection.cursor() as cursor:
        jalankan(cursor, sql, params)
        fetched = cursor.fetchall()
    fetched.sort(key=lambda values: (values[0], values[1]))
    read = ([], [])
    for k, _, id_, kode, judul, due_at, waktu, batas, mendesak, case_type, lane_id, unit_id, step_id, unit in fetched:
        _, nomor, kegiatan, persetujuan, lane, sop = steps[step_id]
        read[k].append(_Tugas(
            id_, kode, judul, saat(due_at), waktu, batas, mendesak, case_type, lane_id, unit_id,
            step_id, nomor, kegiatan, persetujuan, lane, unit, sop,
        ))
    return read


def _aman(text):
    """``escape(text)``, without its five replacements when there is nothing to escape (the
    codes, the URLs and most summaries of a page)."""
    return escape(text) if _KHUSUS(text) else text


def _ringkas(text, limit):
    """``text|truncatechars:limit``, without the per-character pass for plain ASCII text."""
    if text.isascii():
        return text if len(text) <= limit else text[: limit - 1] + "\u2026"
    return Truncator(text).chars(limit)


def _tanggal(moment, zone):
    """``moment`` as "%d-%m-%Y %H:%M" in ``zone``, formatted by hand: a third of strftime's cost,
    which a page pays a hundred times."""
    # ``zone``: the current time zone, looked up once per page (each lookup reads a
    # context-local: a few percent of a page of 76 dates).
    m = moment.astimezone(zone)
    return "%02d-%02d-%d %02d:%02d" % (m.day, m.month, m.year, m.hour, m.minute)


class _Teks(dict):
    """The escaped texts of one page, each escaped (and shortened to ``limit``) once: a page's
    hundred rows repeat a few dozen step, lane, unit and SOP names and time standards."""

    def __init__(self, limit=None):
        super().__init__()
        self.limit = limit

    def __missing__(self, text):
        value = self[text] = escape(_ringkas(text, self.limit) if self.limit else text)
        return value


class _Penulis:
    """Writes the rows of one page: :meth:`baris` the officer's own, :meth:`baris_bawahan` the
    supervised lanes' overdue ones.

    A row's step cell and its Pelaksana repeat across a page (a few dozen steps, lanes and
    units for a hundred rows): each is written once per page, under its ids."""

    def __init__(self, now):
        self.now, self.zone, self.urls = now, timezone.get_current_timezone(), CaseUrls()
        self.nama, self.sop, self.kegiatan, self.kegiatan_pendek = _Teks(), _Teks(40), _Teks(70), _Teks(60)
        self.langkah, self.langkah_pendek, self.pelaksana, self.pelaksana_pendek = {}, {}, {}, {}

    def _langkah(self, t):
        key = (t.step_id, t.mendesak, t.waktu)
        cell = self.langkah.get(key)
        if cell is None:
            nama = self.nama
            lencana = (_MENDESAK if t.mendesak else "") + (_PERSETUJUAN if t.step_persetujuan else "")
            cell = self.langkah[key] = (
                f"{lencana}{nama[t.step_nomor]}. {self.kegiatan[t.step_kegiatan]} "
                f"<small>({nama[t.waktu or 'tanpa standar']})</small>"
            )
        return cell

    def _pelaksana(self, t, cells, unit):
        """The lane's name, and the unit's written into ``unit`` (``%s``) for a per-unit Task."""
        key = (t.lane_id, t.unit_id)
        cell = cells.get(key)
        if cell is None:
            nama = self.nama
            cell = cells[key] = nama[t.lane_nama] + (unit % nama[t.unit_nama] if t.unit_id else "")
        return cell

    def baris(self, t):
        if t.due_at is None:
            kelas, batas = "", "tanpa batas"
        elif w.lewat(self.now, t.due_at, t.waktu_batas):  # Task.is_overdue on a row's values
            kelas, batas = ' class="baris-terlambat"', _tanggal(t.due_at, self.zone) + _TERLAMBAT
        else:
            kelas, batas = "", _tanggal(t.due_at, self.zone)
        return (
            f'<tr{kelas}>\n      <td>{batas}</td>\n'
            f'      <td><a href="{_aman(self.urls(t.case_type_id, t.kode))}">{_aman(t.kode)}</a>'
            f'<br><small>{self.sop[t.sop_nama]}</small></td>\n'
            f'      <td>{_aman(_ringkas(t.judul, 90))}</td>\n'
            f'      <td>{self._langkah(t)}</td>\n'
            f'      <td>{self._pelaksana(t, self.pelaksana, "<br><small>%s</small>")}</td>\n    </tr>\n'
        )

    def baris_bawahan(self, t):
        langkah = self.langkah_pendek.get(t.step_id)
        if langkah is None:
            langkah = self.langkah_pendek[t.step_id] = (
                f"{self.nama[t.step_nomor]}. {self.kegiatan_pendek[t.step_kegiatan]}")
        pelaksana = self._pelaksana(t, self.pelaksana_pendek, " (%s)")
        batas = _tanggal(t.due_at, self.zone) if t.due_at else ""
        return (
            f'<tr class="baris-terlambat"><td><a href="{_aman(self.urls(t.case_type_id, t.kode))}">'
            f'{_aman(t.kode)}</a></td><td>{langkah}</td><td>{pelaksana}</td><td>{batas}</td></tr>'
        )


def antrian(user, hal=None, now=None, bawahan=True):
    """The queue of ``user``: page ``hal`` of their own open work and, unless ``bawahan`` is
    false (the page's periodic refresh), the overdue work of the lanes they supervise.

    Two queries, the same on every page and for any number of rows: the user's lanes and
    steps with the number of open steps (up to the cap); the rows of the page and of the
    supervised lanes' overdue work. (A stale link past the end of a queue over the cap costs
    one more.)
    """
    now = now or timezone.now()
    own, supervised, count, steps = _lanes(user)
    wanted = _page_number(hal)
    below = (supervised, now) if bawahan and supervised else None
    if count > BATAS_HITUNG and own:
        # One row more than the page is read to know whether another page follows (or, from
        # the end, precedes). A page beyond the queue (a stale link: the work was done
        # meanwhile) costs one more query: the page at the other end is shown instead.
        backwards, k = wanted < 0, abs(wanted)
        mine, theirs = _read(user, own, steps, (backwards, (k - 1) * PER_HALAMAN, PER_HALAMAN + 1), below)
        if not mine and k > 1:
            backwards, k = not backwards, 1
            mine, theirs = _read(user, own, steps, (backwards, 0, PER_HALAMAN + 1), below)
        more, mine = len(mine) > PER_HALAMAN, mine[:PER_HALAMAN]
        if backwards:
            mine, number, dari_akhir, previous, following = mine[::-1], None, k, more, k > 1
        else:
            number, dari_akhir, previous, following = k, None, k > 1, more
        num_pages = None
    else:
        num_pages = max(1, -(-count // PER_HALAMAN))
        # Counted from the end: that page from the start; past either end: the first or last.
        number = max(1, min(wanted if wanted > 0 else num_pages + 1 + wanted, num_pages))
        read = _page_read(number, count) if own and count else None
        mine, theirs = _read(user, own, steps, read, below) if (read or below) else ([], [])
        if read and read[0]:  # read from the end
            mine.reverse()
        dari_akhir, previous, following = None, number > 1, number < num_pages
    tulis = _Penulis(now)
    more_below, theirs = len(theirs) > TERLAMBAT_DIAWASI, theirs[:TERLAMBAT_DIAWASI]
    page = Halaman(
        number=number, num_pages=num_pages, count=count, tugas=mine, dari_akhir=dari_akhir,
        has_previous=previous, has_next=following, baris=mark_safe("".join(map(tulis.baris, mine))),
    )
    return Antrian(
        halaman=page,
        terlambat_bawahan=mark_safe("".join(map(tulis.baris_bawahan, theirs))),
        jumlah_terlambat_bawahan=len(theirs),
        lebih_terlambat_bawahan=more_below,
    )
