"""The officers' queue ("Antrian saya"): the open steps waiting in an officer's lanes, a page
at a time, urgent work first, then work waiting for their approval, then the soonest
deadline (work without one last); and for a supervisor the longest-overdue steps of the
lanes they supervise.

A page's queries do not depend on the size of the Task table nor on its number of rows: the
capped number of the user's open steps; the page's rows; one per lane they supervise (the
supervisor's table, not read by the page's periodic refresh). The user's lanes and what the
rows show of their steps come from the per-process memo (:mod:`sop.memo`), read once per
user and dropped when an admin saves a lane or a step or changes a user's groups. The order is read from the
Task itself (``mendesak`` and ``persetujuan`` are snapshots taken when the Task opens), so
each lane's open work is one range of the index ``task_open_queue``, read in its order only
as far as the page needs; the database merges the lanes' ranges (a ``UNION ALL`` of per-lane
sliced subqueries, ordered and sliced once more). The supervisor's table reads each
supervised lane's deadline range of ``task_open_lane_due``, 21 deep, merged here.

Product decisions: 50 rows a page; the open steps are counted only up to ``BATAS_HITUNG``
(1,000). Beyond it the page says "lebih dari 1.000 langkah" and "Halaman 1 dari 20+"; the
officer pages with "sebelumnya"/"berikutnya" (each page reads one row more than it shows to
know whether another follows) and "terakhir", which reads the queue from its end
(``?hal=terakhir``, then ``?hal=-2``, ``-3``... counted from the end). Under the cap the count
and the page numbers are exact. The supervisor's table shows the ``TERLAMBAT_DIAWASI`` (20)
longest-overdue steps. The rows are plain values, rendered by the Jinja2 templates
``templates/jinja2/sop/_antrian_tabel.html`` and ``_antrian_terlambat.html``.
"""

from dataclasses import dataclass, field
from types import MappingProxyType

from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import Truncator

from . import memo
from . import waktu as w
from .models import Step, Task
from .tautan import CaseUrls

PER_HALAMAN = 50
# The supervisor's table: an alert below the officer's own page, not a second worklist; the
# oldest are where a supervisor acts first. One more is read, to say that there are others.
TERLAMBAT_DIAWASI = 20
# The queue counts its open steps exactly only up to here (see the module's docstring).
BATAS_HITUNG = 1000

# The queue's order (the index task_open_queue's within a lane), and the same from its end.
FORWARDS = ("-mendesak", "-persetujuan", F("due_at").asc(nulls_last=True), "id")
BACKWARDS = ("mendesak", "persetujuan", F("due_at").desc(nulls_first=True), "-id")

# What a row shows of a Task and its unit (of its step, lane and SOP: see _lanes).
ROW_FIELDS = (
    "id", "kode", "judul", "due_at", "waktu", "waktu_batas", "mendesak", "persetujuan", "case_type_id",
    "step_id", "unit_id", "unit__nama",
)


def _thousands(n):
    return f"{n:,}".replace(",", ".")


@dataclass(slots=True)
class Row:
    """What the templates show of one open step: plain text, escaped by the templates."""

    id: int
    url: str
    kode: str
    judul: str  # shortened to what the table shows, as are sop and kegiatan
    sop: str
    batas: str  # the deadline in the current time zone, "" when there is none
    overdue: bool
    mendesak: bool
    persetujuan: bool
    nomor: str
    kegiatan: str
    kegiatan_pendek: str  # for the supervisor's narrower table
    waktu: str
    lane: str
    unit_id: int | None
    unit: str | None


def _shorten(text, limit):
    """``text|truncatechars:limit``."""
    if len(text) <= limit:
        return text
    if text.isascii():
        # No combining characters: Truncator's answer, without its per-character pass and
        # translation lookup (most summaries of a page are long and plain).
        return text[: limit - 1] + "\u2026"
    return Truncator(text).chars(limit)


@dataclass
class Halaman:
    """One page of the queue, with what the template's page links need.

    ``number`` counts from the queue's start; a capped queue's page read from its end has
    ``dari_akhir`` (1: the last page) instead, and ``num_pages`` is None when not counted."""

    number: int | None
    num_pages: int | None
    count: int  # exact, or BATAS_HITUNG + 1 when there are more ("lebih")
    tugas: list = field(default_factory=list)  # the page's Rows, in queue order
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
            return f"lebih dari {_thousands(BATAS_HITUNG)} langkah"
        return f"{_thousands(self.count)} langkah"

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
    terlambat_bawahan: list = field(default_factory=list)  # the supervisor's table's Rows
    jumlah_terlambat_bawahan: int = 0
    lebih_terlambat_bawahan: bool = False  # more are overdue than the table shows


def _lanes(user):
    """The user's lanes that can hold open work (a step with a state), as ``[(lane id,
    per_unit)]``; the lanes they supervise (whose supervising lane's group they are in), as
    ``[lane id]``; the number of the user's open steps, counted up to ``BATAS_HITUNG + 1``
    (enough to say "more than the cap"); and what a row shows of each of those lanes' steps,
    ``{step id: (nomor, kegiatan, kegiatan for the supervisor's table, lane's name, SOP's
    name)}``, shortened as the tables show them. One query, the capped count: the rest comes
    from the memo (:func:`_lanes_of`).

    A Task's lane and SOP are its step's (``sop.services`` makes them so): the rows' queries
    then read the Tasks and their units only, not a join of five tables per lane."""
    own, supervised, steps = memo.get(("queue_lanes", user.pk), lambda: _lanes_of(user))
    count = _open_tasks(user, own).order_by()[: BATAS_HITUNG + 1].count() if own else 0
    return list(own.items()), list(supervised), count, steps


def _lanes_of(user):
    """What :func:`_lanes` reads of the user's groups and the SOP data: it changes only when an
    admin changes a lane or a step or puts the user in or out of a lane, so the per-process
    memo keeps it (dropped on each of those: sop.apps)."""
    groups = frozenset(user.groups.through.objects.filter(user_id=user.pk).values_list("group_id", flat=True))
    rows = (
        Step.objects.filter(Q(lane__group__in=groups) | Q(lane__atasan__group__in=groups))
        .exclude(state="")
        .order_by("lane_id", "id")
        .values_list(
            "id", "lane_id", "lane__per_unit", "lane__group_id", "lane__atasan__group_id",
            "nomor", "kegiatan", "lane__nama", "sop__nama",
        )
    ) if groups else []
    own, supervised, steps = {}, {}, {}
    for step_id, lane_id, per_unit, group_id, atasan_group_id, nomor, kegiatan, lane, sop in rows:
        # Shortened here, once per step: a page's rows repeat a few steps.
        steps[step_id] = (nomor, _shorten(kegiatan, 70), _shorten(kegiatan, 60), lane, _shorten(sop, 40))
        if group_id in groups:
            own[lane_id] = per_unit
        if atasan_group_id in groups:
            supervised[lane_id] = True
    return MappingProxyType(own), tuple(supervised), MappingProxyType(steps)


def _open_tasks(user, own):
    """The open Tasks of the lanes ``own`` (``{lane id: per_unit}``): of a per-unit lane only
    those of the user's units."""
    everyone = [lane_id for lane_id, per_unit in own.items() if not per_unit]
    per_unit = [lane_id for lane_id, per_unit in own.items() if per_unit]
    where = Q(lane_id__in=everyone) if everyone else Q()
    if per_unit:
        where |= Q(lane_id__in=per_unit, unit__in=user.units.all())
    return Task.objects.filter(where, finished_at__isnull=True)


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


def _page_read(number, total):
    """How page ``number`` of the user's ``total`` open steps is read, as ``(backwards, skip,
    take)``: a page in the second half of the queue is read from its end (the index read
    backwards), so the first and the last pages cost what they show, not what the lanes hold."""
    start = (number - 1) * PER_HALAMAN
    end = min(start + PER_HALAMAN, total)
    if start > total - end:
        return True, total - end, end - start
    return False, start, end - start


def _merged(ranges, order, skip, take):
    """The rows of ``take`` Tasks after the first ``skip`` of the union of ``ranges`` (each a
    queryset of one lane's Tasks in ``order``), in ``order``. One range is read as it is."""
    if len(ranges) == 1:
        return list(ranges[0].values(*ROW_FIELDS)[skip : skip + take])
    # Each range is sliced and wrapped as "pk IN (range)": SQLite takes no LIMIT in a member
    # of a UNION.
    parts = [
        Task.objects.filter(pk__in=tasks.values("pk")[: skip + take]).order_by().values(*ROW_FIELDS)
        for tasks in ranges
    ]
    return list(parts[0].union(*parts[1:], all=True).order_by(*order)[skip : skip + take])


def _page(user, own, backwards, skip, take):
    """The rows of ``take`` of the user's open steps after the first ``skip``, in queue order or
    (``backwards``) from its end. Each lane is one range of the index ``task_open_queue``,
    read in its order as far as the page needs (per-unit lanes: only the user's units)."""
    order = BACKWARDS if backwards else FORWARDS
    ranges = []
    for lane_id, per_unit in own:
        tasks = Task.objects.filter(finished_at__isnull=True, lane_id=lane_id)
        if per_unit:
            tasks = tasks.filter(unit__in=user.units.all())
        ranges.append(tasks.order_by(*order))
    return _merged(ranges, order, skip, take)


def _overdue(supervised, now):
    """The supervised lanes' longest-overdue steps, by deadline: one more than the table shows.
    Each lane is one range of the index ``task_open_lane_due``, read from its oldest deadline
    as far as the table needs (one query per supervised lane: a supervisor has a few), and
    the ranges merged here."""
    take = TERLAMBAT_DIAWASI + 1
    rows = []
    for lane_id in supervised:
        rows += Task.objects.filter(
            finished_at__isnull=True, lane_id=lane_id, due_at__isnull=False, due_at__lt=now,
        ).order_by("due_at", "id").values(*ROW_FIELDS)[:take]
    return sorted(rows, key=lambda row: (row["due_at"], row["id"]))[:take]


def _rows(values, steps, now, urls):
    rows = []
    for v in values:
        nomor, kegiatan, kegiatan_pendek, lane, sop = steps[v["step_id"]]
        due_at = v["due_at"]
        rows.append(Row(
            id=v["id"], url=urls(v["case_type_id"], v["kode"]), kode=v["kode"], judul=_shorten(v["judul"], 90),
            sop=sop, batas=timezone.localtime(due_at).strftime("%d-%m-%Y %H:%M") if due_at else "",
            overdue=due_at is not None and w.lewat(now, due_at, v["waktu_batas"]),
            mendesak=v["mendesak"], persetujuan=v["persetujuan"], nomor=nomor, kegiatan=kegiatan,
            kegiatan_pendek=kegiatan_pendek, waktu=v["waktu"] or "tanpa standar", lane=lane,
            unit_id=v["unit_id"], unit=v["unit__nama"],
        ))
    return rows


def antrian(user, hal=None, now=None, bawahan=True):
    """The queue of ``user``: page ``hal`` of their own open work and, unless ``bawahan`` is
    false (the page's periodic refresh), the overdue work of the lanes they supervise.

    The same queries on every page and for any number of rows: the number of open steps (up
    to the cap), the page's rows, one per supervised lane (a process's first page for a user
    also reads their groups and their lanes' steps; a stale link past the end of a queue over
    the cap costs one more).
    """
    now = now or timezone.now()
    own, supervised, count, steps = _lanes(user)
    wanted = _page_number(hal)
    if count > BATAS_HITUNG and own:
        # One row more than the page is read to know whether another page follows (or, from
        # the end, precedes). A page beyond the queue (a stale link: the work was done
        # meanwhile) costs one more query: the page at the other end is shown instead.
        backwards, k = wanted < 0, abs(wanted)
        mine = _page(user, own, backwards, (k - 1) * PER_HALAMAN, PER_HALAMAN + 1)
        if not mine and k > 1:
            backwards, k = not backwards, 1
            mine = _page(user, own, backwards, 0, PER_HALAMAN + 1)
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
        mine = _page(user, own, *read) if read else []
        if read and read[0]:  # read from the end
            mine.reverse()
        dari_akhir, previous, following = None, number > 1, number < num_pages
    theirs = _overdue(supervised, now) if bawahan and supervised else []
    more_below, theirs = len(theirs) > TERLAMBAT_DIAWASI, theirs[:TERLAMBAT_DIAWASI]
    urls = CaseUrls()
    page = Halaman(
        number=number, num_pages=num_pages, count=count, tugas=_rows(mine, steps, now, urls), dari_akhir=dari_akhir,
        has_previous=previous, has_next=following,
    )
    return Antrian(
        halaman=page,
        terlambat_bawahan=_rows(theirs, steps, now, urls),
        jumlah_terlambat_bawahan=len(theirs),
        lebih_terlambat_bawahan=more_below,
    )
