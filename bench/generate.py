"""The bench data set: N cases over every workflow that exists, in every state, each with the
Task history that brought it there; 50 units; 1,000 staff users in their lanes.

One function per workflow model, registered in ``WORKFLOWS`` with ``@workflow(Model, weight)``:
it is given the states its cases end in (every state at least once, most cases closed), builds
the unsaved cases with the fields that fit each state, hands them to :meth:`Gen.save` (which
bulk-inserts the cases and their Task history), and adds whatever else the workflow keeps
(versions, decisions, links). Adding a workflow is adding one such function.

Nothing goes through the engine: states, Task rows, deadlines (from the real work calendar),
the reminders and escalations the sweep would have raised are computed here and bulk-inserted
in batches, so N=100,000 takes minutes. The run is deterministic for a given seed.
"""

import csv
import io
import logging
import random
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from aduan.models import Aduan
from opini.models import Opini, normalise_url
from publikasi.models import (
    InformasiPublik, Keputusan, Pengumuman, PlatformMedsos, Publikasi, TautanUnggahan, UjiKonsekuensi, Versi,
)
from publikasi.models.dip import Kelas
from sop.kalender import kalender
from sop.models import Lane, Peringatan, Sapuan, Sop, Step, Task, Unit

logger = logging.getLogger("bench")

SEED = 20261123
# Bump when the shape of the generated data changes: an existing data set is then rebuilt.
GEN_VERSION = 3  # Tasks carry their step's approval mark (persetujuan)
UNITS = 50
STAFF = 1000
# Members of each lane that is not per unit; the rest of STAFF is spread over the per-unit
# lanes of the 50 units.
CENTRAL_PER_LANE = 8
PASSWORD = "bench-sandi-2026"
BATCH = 5000
# Share of cases that have reached an end state (no open Task). The rest wait somewhere.
CLOSED_SHARE = 0.6
WIB = ZoneInfo("Asia/Jakarta")


# --- the registry --------------------------------------------------------------------------

@dataclass(frozen=True)
class Workflow:
    name: str
    model: type
    weight: int
    build: object  # build(gen, n): generate n cases of model


WORKFLOWS: list[Workflow] = []


def workflow(model, weight):
    """Register ``build(gen, n)`` as the generator of ``model``; ``weight`` is its share of N."""

    def register(build):
        WORKFLOWS.append(Workflow(build.__name__, model, weight, build))
        return build

    return register


def unregistered():
    """Names of the workflow models (Case subclasses) no function generates yet."""
    from sop.models import case_models

    done = {w.model for w in WORKFLOWS}
    return sorted(m.__name__ for m in case_models().values() if m not in done)


def shares(n):
    """How many of the N cases each registered workflow gets (largest remainder)."""
    total = sum(w.weight for w in WORKFLOWS)
    exact = [n * w.weight / total for w in WORKFLOWS]
    counts = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])[: n - sum(counts)]:
        counts[i] += 1
    return dict(zip((w.name for w in WORKFLOWS), counts))


# --- the machinery every workflow function uses --------------------------------------------

def copy_rows(model, rows):
    """Insert ``rows`` (dicts of attnames; fields left out take their default) with COPY: the
    Task history is most of the data, and COPY is several times faster than INSERT."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        values = []
        for f in fields:
            value = row.get(f.attname, defaults[f.attname])
            if value is None:
                value = r"\N"
            elif isinstance(value, bool):
                value = "t" if value else "f"
            elif isinstance(value, datetime):
                value = value.isoformat()
            values.append(value)
        writer.writerow(values)
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            buffer,
        )


_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class Gen:
    def __init__(self, now=None, seed=SEED):
        self.rng = random.Random(seed)
        self.now = now or timezone.now()
        self.cal = kalender()
        self.share = settings.PPID_REMINDER_SHARE
        self.units = []
        self.staff = defaultdict(list)  # (lane_id, unit_id or None) -> [user ids]
        self._graphs = {}
        self._sops = {}
        self._codes = set()
        self.counts = defaultdict(int)

    # organisation ----------------------------------------------------------------------

    def setup_org(self):
        """50 units and 1,000 staff: CENTRAL_PER_LANE in each lane of every SOP, the rest in the
        per-unit lanes of each unit. One password hash, copied to all."""
        User = get_user_model()
        self.units = Unit.objects.bulk_create(
            [Unit(nama=f"Perangkat Daerah Bench {i:02d}", singkatan=f"PD{i:02d}") for i in range(1, UNITS + 1)]
        )
        lanes = list(Lane.objects.filter(group__isnull=False, warga=False).select_related("sop")
                     .order_by("sop__kode", "urutan"))
        central = [lane for lane in lanes if not lane.per_unit]
        per_unit = [(lane, unit) for lane in lanes if lane.per_unit for unit in self.units]
        slots = [(lane, None) for lane in central for _ in range(CENTRAL_PER_LANE)]
        remaining = STAFF - len(slots)
        for i in range(max(remaining, 0)):
            slots.append(per_unit[i % len(per_unit)] if per_unit else (central[i % len(central)], None))
        password = make_password(PASSWORD)
        users = User.objects.bulk_create([
            User(username=f"b{i:04d}_{lane.kode}"[:150], email=f"b{i:04d}@bench.ppid.local",
                 first_name=f"Petugas {i:04d}", last_name=lane.nama[:150], password=password, is_active=True)
            for i, (lane, unit) in enumerate(slots, start=1)
        ], batch_size=BATCH)
        memberships, units_of = [], []
        for user, (lane, unit) in zip(users, slots):
            memberships.append(User.groups.through(user_id=user.pk, group_id=lane.group_id))
            if unit is not None:
                units_of.append(Unit.anggota.through(unit_id=unit.pk, user_id=user.pk))
            self.staff[(lane.pk, unit.pk if unit else None)].append(user.pk)
        User.groups.through.objects.bulk_create(memberships, batch_size=BATCH)
        Unit.anggota.through.objects.bulk_create(units_of, batch_size=BATCH)
        return users

    def unit(self):
        return self.rng.choice(self.units)

    def officer(self, lane, unit_id=None):
        """A user id of ``lane`` (of ``unit_id`` for a per-unit lane), or None for citizens."""
        pool = self.staff.get((lane.pk, unit_id if lane.per_unit else None))
        if not pool and lane.per_unit:
            pool = [u for (lane_id, _), ids in self.staff.items() if lane_id == lane.pk for u in ids]
        return self.rng.choice(pool) if pool else None

    def officer_of(self, model, lane_kode, unit_id=None):
        return self.officer(self._sop(model)["lanes"][lane_kode], unit_id)

    def code(self, prefix):
        while True:
            body = "".join(self.rng.choice(_CODE_ALPHABET) for _ in range(12))
            code = f"{prefix}-{body[0:4]}-{body[4:8]}-{body[8:12]}"
            if code not in self._codes:
                self._codes.add(code)
                return code

    # the SOP as a graph ----------------------------------------------------------------

    def _sop(self, model):
        if model not in self._sops:
            sop = Sop.objects.get(kode=model.SOP_KODE)
            steps = list(Step.objects.filter(sop=sop).select_related("lane").order_by("urutan"))
            ref = datetime(2026, 11, 16, 8, 0, tzinfo=WIB)  # a Monday morning: the typical span
            typical = {}
            for step in steps:
                due = self.cal.due_at(ref, step.standard)
                typical[step.pk] = (due - ref) if due else None
            self._sops[model] = {
                "sop": sop,
                "by_state": {s.state: s for s in steps if s.state},
                "creating": next((s for s in steps if not s.state), None),
                "lanes": {lane.kode: lane for lane in sop.lanes.all()},
                "typical": typical,
                "content_type": ContentType.objects.get_for_model(model),
            }
        return self._sops[model]

    def _graph(self, model):
        """States, the initial state, and for each reachable state one shortest way to it."""
        if model in self._graphs:
            return self._graphs[model]
        field = model._meta.get_field("state")
        states = [value for value, _ in field.choices]
        edges = defaultdict(list)
        for t in sorted(field.get_all_transitions(model), key=lambda t: (t.name, str(t.source))):
            if not isinstance(t.target, str):
                continue
            sources = states if t.source in ("*", "+") else [t.source]
            for source in sources:
                if t.source == "+" and source == t.target:
                    continue
                edges[source].append((t.target, t))
        start = field.default
        previous = {start: None}
        queue = deque([start])
        while queue:
            state = queue.popleft()
            for target, _ in edges[state]:
                if target not in previous:
                    previous[target] = state
                    queue.append(target)
        paths = {}
        for state in previous:
            chain, cursor = [], state
            while cursor is not None:
                chain.append(cursor)
                cursor = previous[cursor]
            paths[state] = chain[::-1]
        unreachable = [s for s in states if s not in paths]
        if unreachable:
            logger.warning("%s: states no transition reaches: %s", model.__name__, unreachable)
        self._graphs[model] = (states, start, edges, paths)
        return self._graphs[model]

    def states(self, model, n, weights=None):
        """End states for ``n`` cases: every reachable state at least once (when n allows),
        CLOSED_SHARE of them in states where no work waits; ``weights`` tilts the choice
        within each group (default 1)."""
        states, _, _, paths = self._graph(model)
        by_state = self._sop(model)["by_state"]
        reachable = [s for s in states if s in paths]
        closed = [s for s in reachable if s not in by_state]
        waiting = [s for s in reachable if s in by_state]
        weights = weights or {}
        picked = list(reachable[:n])
        rest = n - len(picked)
        n_closed = round(rest * CLOSED_SHARE) if closed else 0
        picked += self.rng.choices(closed, [weights.get(s, 1) for s in closed], k=n_closed) if closed else []
        picked += self.rng.choices(waiting, [weights.get(s, 1) for s in waiting], k=rest - n_closed)
        self.rng.shuffle(picked)
        return picked

    def route(self, model, state):
        """One way from the initial state to ``state``: a list of (state, transition) hops,
        choosing among parallel transitions at random."""
        _, _, edges, paths = self._graph(model)
        chain = paths[state]
        hops = []
        for here, there in zip(chain, chain[1:]):
            options = [t for target, t in edges[here] if target == there]
            hops.append((here, self.rng.choice(options)))
        return hops

    def transition(self, model, name, source):
        """The transition ``name`` out of ``source`` (to build a route by hand)."""
        _, _, edges, _ = self._graph(model)
        return next(t for _, t in edges[source] if t.name == name)

    # inserting cases and their history -------------------------------------------------

    def _span(self, step_pk, low, high):
        typical = self._sop_typical.get(step_pk)
        if typical is None:
            return timedelta(hours=self.rng.uniform(2, 96))
        return typical * self.rng.uniform(low, high)

    def save(self, model, cases, routes, stamp=None):
        """Insert ``cases`` (unsaved, each with its route from :meth:`route`) and their Tasks.

        Returns, per case, the moments of its transitions ({transition name: datetime}).
        ``stamp`` maps a transition to a datetime field of the case set to its moment.
        """
        info = self._sop(model)
        self._sop_typical = info["typical"]
        by_state, creating, ct, sop = info["by_state"], info["creating"], info["content_type"], info["sop"]
        stamp = stamp or {}
        moments_all = []
        for first in range(0, len(cases), BATCH):
            chunk, chunk_routes = cases[first:first + BATCH], routes[first:first + BATCH]
            plans = []
            for case, hops in zip(chunk, chunk_routes):
                final = hops[-1][1].target if hops else model._meta.get_field("state").default
                plan = self._plan(case, hops, final, by_state)
                moments = {t.name: when for (_, t), (_, _, when) in zip(hops, plan["finished"])}
                case.dibuat = plan["dibuat"]
                case.diubah = plan["last"]
                for name, field in stamp.items():
                    if name in moments:
                        setattr(case, field, moments[name])
                plans.append(plan)
                moments_all.append(moments)
            model.objects.bulk_create(chunk, batch_size=BATCH)
            tasks = []
            for case, hops, plan in zip(chunk, chunk_routes, plans):
                tasks.extend(self._tasks(case, hops, plan, by_state, creating, ct, sop))
            copy_rows(Task, tasks)
            self.counts["tasks"] += len(tasks)
            self.counts[model.__name__] += len(chunk)
        return moments_all

    def _plan(self, case, hops, final, by_state):
        """When each step started and finished: laid out backwards from the last moment."""
        open_step = by_state.get(final)
        if open_step is not None:
            if self._sop_typical.get(open_step.pk) is None:
                anchor = self.now - timedelta(hours=self.rng.uniform(1, 240))
            else:
                # About one open step in five is past its deadline.
                anchor = self.now - self._sop_typical[open_step.pk] * self.rng.uniform(0.0, 1.25)
        else:
            anchor = self.now - timedelta(days=self.rng.uniform(1, 700), seconds=self.rng.uniform(0, 86400))
        finished = []
        end = anchor
        for state, transition in reversed(hops):
            step = by_state.get(state)
            span = self._span(step.pk if step else None, 0.1, 1.2)
            finished.append((state, end - span, end))
            end = end - span
        finished.reverse()
        return {"dibuat": end, "finished": finished, "open": (open_step, anchor) if open_step else None,
                "last": anchor}

    def _remind_at(self, start, due):
        if due is not None and due > start:
            return start + (due - start) * self.share
        return None

    def _tasks(self, case, hops, plan, by_state, creating, ct, sop):
        common = {"case_type_id": ct.pk, "case_id": case.pk, "kode": case.kode,
                  "judul": case.judul_antrian()[:200], "sop_id": sop.pk, "mendesak": case.mendesak()}
        rows = []
        if creating is not None:
            rows.append(dict(
                common, step_id=creating.pk, lane_id=creating.lane_id, state="", waktu=creating.waktu,
                waktu_batas=creating.waktu_batas, persetujuan=creating.persetujuan,
                started_at=plan["dibuat"], finished_at=plan["dibuat"],
                finished_by_id=self.officer(creating.lane), transition="dibuat",
            ))
        for (state, transition), (_, started, ended) in zip(hops, plan["finished"]):
            step = by_state.get(state)
            if step is None:
                continue
            rows.append(self._task(common, case, step, started, ended, transition))
        if plan["open"] is not None:
            step, started = plan["open"]
            rows.append(self._task(common, case, step, started, None, None))
        return rows

    def _task(self, common, case, step, started, ended, transition):
        lane = step.lane
        unit_id = case.unit_id if lane.per_unit else None
        due = self.cal.due_at(started, step.standard)
        remind = self._remind_at(started, due)
        by = None
        note = ""
        if transition is not None:
            acting = lane
            other = transition.custom.get("lane")
            if other and other != lane.kode:
                acting = self._sop_lanes_by_sop(step.sop_id).get(other, lane)
            by = self.officer(acting, case.unit_id)
            if transition.custom.get("note_required"):
                note = "Catatan tolok ukur: alasan tindakan ini."
        return dict(
            common, step_id=step.pk, lane_id=lane.pk, unit_id=unit_id, state=step.state, waktu=step.waktu,
            waktu_batas=step.waktu_batas, persetujuan=step.persetujuan, started_at=started, due_at=due, remind_at=remind, finished_at=ended,
            finished_by_id=by, transition=transition.name if transition else "", note=note,
        )

    def _sop_lanes_by_sop(self, sop_id):
        for info in self._sops.values():
            if info["sop"].pk == sop_id:
                return info["lanes"]
        return {}


# --- the workflows -------------------------------------------------------------------------

_PLACES = ["Jl. Sultan Fatah", "Pasar Bintoro", "Alun-alun", "Terminal Bus", "Puskesmas Mranggen",
           "SD Negeri 2 Bonang", "Jembatan Wonokerto", "Kantor Kecamatan Karangtengah", "Desa Betahwalang"]
_ISSUES = ["jalan berlubang membahayakan pengendara", "lampu penerangan jalan mati sejak sepekan",
           "sampah menumpuk dan tidak diangkut", "antrean pelayanan sangat panjang",
           "saluran drainase tersumbat dan meluap saat hujan", "pungutan yang tidak jelas dasarnya",
           "papan informasi layanan tidak diperbarui", "air PDAM keruh sejak tiga hari"]


@workflow(Aduan, weight=5)
def aduan(g, n):
    """Layanan Aduan Masyarakat (DMK-ADUAN): public complaints, routed to one of the units."""
    states = g.states(Aduan, n, weights={"archived": 9, "returned_to_complainant": 1})
    kategori = Aduan.Kategori.values
    cases, routes = [], []
    for i, state in enumerate(states):
        hops = g.route(Aduan, state)
        names = {t.name for _, t in hops}
        anonim = g.rng.random() < 0.1
        unit = g.unit() if "verify_opd" in names else None
        place, issue = g.rng.choice(_PLACES), g.rng.choice(_ISSUES)
        cases.append(Aduan(
            kode=g.code(Aduan.KODE_PREFIX), state=state, unit=unit,
            uraian=f"Di {place} {issue}; mohon segera ditindaklanjuti (aduan tolok ukur {i}).",
            lokasi=f"{place}, Kabupaten Demak", kategori=g.rng.choice(kategori),
            anonim=anonim, rahasia=not anonim and g.rng.random() < 0.1,
            nama="" if anonim else f"Warga {i}", email="" if anonim else f"warga{i}@contoh.id",
            telepon="" if anonim else f"0812{i:08d}",
            alasan_tidak_diterima="Aduan tidak memuat lokasi yang dapat diverifikasi."
            if "reject_complaint" in names else "",
            jawaban="Sudah kami tinjau dan perbaikan dijadwalkan pekan ini." if "submit_answer" in names else "",
        ))
        routes.append(hops)
    g.save(Aduan, cases, routes, stamp={"post_answer": "jawaban_disampaikan"})


_PLATFORM_URLS = {"instagram": "https://www.instagram.com/p/B{:08d}/", "x": "https://x.com/warga/status/{:019d}",
                  "facebook": "https://www.facebook.com/warga/posts/{:012d}",
                  "tiktok": "https://www.tiktok.com/@warga/video/{:019d}",
                  "youtube": "https://www.youtube.com/watch?v=B{:010d}", "website": "https://berita.contoh.id/{:08d}"}


@workflow(Opini, weight=3)
def opini(g, n):
    """Pemantauan Opini Publik (CRB-OPINI): posts found by the monitor, answered by a unit."""
    states = g.states(Opini, n, weights={"responded_and_archived": 4, "archived_no_response": 1})
    platforms = list(_PLATFORM_URLS)
    cases, routes = [], []
    for i, state in enumerate(states):
        hops = g.route(Opini, state)
        names = {t.name for _, t in hops}
        platform = g.rng.choice(platforms)
        url = _PLATFORM_URLS[platform].format(i)
        unit = g.unit() if "screen_and_select_pd" in names else None
        answered = names & {"submit_pd_response", "record_pd_response"}
        answer = "Perbaikan lampu taman dijadwalkan pekan depan oleh dinas terkait." if answered else ""
        published = "publish_and_archive" in names
        cases.append(Opini(
            kode=g.code(Opini.KODE_PREFIX), state=state, unit=unit, platform=platform, tautan=url,
            tautan_normal=normalise_url(url), akun=f"@warga{i}", akun_organisasi=g.rng.random() < 0.05,
            tanggal_posting=(g.now - timedelta(days=g.rng.uniform(1, 700))).date(),
            teks=f"{g.rng.choice(_ISSUES).capitalize()} di {g.rng.choice(_PLACES)}, kapan diperbaiki? ({i})",
            topik=g.rng.choice(["Penerangan jalan umum", "Kebersihan", "Pelayanan kependudukan", "Jalan"]),
            dicatat_oleh_id=g.officer_of(Opini, "pemantau"),
            catatan_telaah="Relevan; kewenangan Perangkat Daerah terpilih." if unit else "",
            alasan_tidak_ditanggapi="Bukan keluhan layanan publik." if "decline_no_response_needed" in names else "",
            jalur_diteruskan=Opini.Jalur.PORTAL if "forward_to_pd" in names else "",
            tanggapan=answer,
            tanggapan_via=(Opini.Jalur.EMAIL if "record_pd_response" in names else Opini.Jalur.PORTAL)
            if answered else "",
            tanggapan_final=answer if "complete_language_review" in names else "",
            dikirim_di=platform if published else "",
            tautan_balasan=url + "#balasan" if published else "",
        ))
        routes.append(hops)
    g.save(Opini, cases, routes, stamp={"publish_and_archive": "dipublikasikan"})


@workflow(Publikasi, weight=2)
def publikasi(g, n):
    """Penyebarluasan Informasi melalui Media Sosial (BUNDER-MEDSOS): drafts in versions,
    the two reviews, the chosen platforms and the published links."""
    states = g.states(Publikasi, n, weights={"completed": 1})
    cases, routes = [], []
    for i, state in enumerate(states):
        hops = g.route(Publikasi, state)
        cases.append(Publikasi(
            kode=g.code(Publikasi.KODE_PREFIX), state=state, judul=f"Kegiatan padukuhan tolok ukur {i}",
            instruksi="Mohon dipublikasikan di Instagram dan website hari ini.",
            bahan=f"Kerja bakti warga, {g.rng.randint(10, 80)} peserta, dokumentasi terlampir.",
        ))
        routes.append(hops)
    moments = g.save(Publikasi, cases, routes)

    chosen = list(PlatformMedsos.objects.filter(kode__in=["website", "instagram"]))
    versions, version_cases = [], []
    for case, when in zip(cases, moments):
        if "submit_draft" in when:
            versions.append(Versi(publikasi_id=case.pk, nomor=1, dibuat=when["submit_draft"],
                                  caption=f"{case.judul}: terima kasih warga yang hadir. #Bunder",
                                  dibuat_oleh_id=g.officer_of(Publikasi, "admin_medsos")))
            version_cases.append((case, when))
    Versi.objects.bulk_create(versions, batch_size=BATCH)
    targets, decisions, finals, links = [], [], [], []
    for versi, (case, when) in zip(versions, version_cases):
        targets += [Versi.platform.through(versi_id=versi.pk, platformmedsos_id=p.pk) for p in chosen]
        for name, tahap, lane in (("section_accept", Keputusan.SEKSI, "seksi_pddi"),
                                  ("ketua_approve", Keputusan.KETUA, "ketua_ppid")):
            if name in when:
                decisions.append(Keputusan(versi_id=versi.pk, tahap=tahap, setuju=True, waktu=when[name],
                                           oleh_id=g.officer_of(Publikasi, lane)))
        if "choose_platform" in when:
            finals += [Publikasi.platform_final.through(publikasi_id=case.pk, platformmedsos_id=p.pk)
                       for p in chosen]
        if "upload" in when:
            links += [TautanUnggahan(publikasi_id=case.pk, versi_id=versi.pk, platform=p, waktu=when["upload"],
                                     url=f"https://{p.domains()[0] if p.domains() else 'bunder.desa.id'}/p/{case.pk}",
                                     oleh_id=g.officer_of(Publikasi, "admin_medsos")) for p in chosen]
    Versi.platform.through.objects.bulk_create(targets, batch_size=BATCH)
    Keputusan.objects.bulk_create(decisions, batch_size=BATCH)
    Publikasi.platform_final.through.objects.bulk_create(finals, batch_size=BATCH)
    TautanUnggahan.objects.bulk_create(links, batch_size=BATCH)


def _informasi(g, unit, judul, kelas, when):
    return InformasiPublik(
        judul=judul, unit=unit, penanggung_jawab=f"Kepala {unit.nama}", periode=f"Tahun {when.year}",
        kelas=kelas, ringkasan=f"{judul}, disusun oleh {unit.nama}.", diterbitkan=when.date(),
    )


@workflow(UjiKonsekuensi, weight=1)
def uji(g, n):
    """Uji Konsekuensi (SRG-UJI-KONSEKUENSI): a unit's item of the public register tested for
    exemption; the item exists first (the test is opened on it)."""
    states = g.states(UjiKonsekuensi, n, weights={"listed_in_dik": 3, "not_exempt": 1})
    items, cases, routes = [], [], []
    for i, state in enumerate(states):
        hops = g.route(UjiKonsekuensi, state)
        names = {t.name for _, t in hops}
        unit = g.unit()
        listed = "list_and_publish" in names
        item = _informasi(g, unit, f"Dokumen kontrak pengadaan tolok ukur {i}",
                          Kelas.DIKECUALIKAN if listed else Kelas.SETIAP_SAAT, g.now - timedelta(days=400))
        items.append(item)
        tested = "complete_test" in names
        issued = "issue_determination" in names
        cases.append(UjiKonsekuensi(
            kode=g.code(UjiKonsekuensi.KODE_PREFIX), state=state, unit=unit, informasi=item,
            pemicu=g.rng.choice(UjiKonsekuensi.Pemicu.values),
            usulan_alasan="Membuka dokumen ini mengungkap rahasia pribadi pihak ketiga." if hops else "",
            pasal="h" if tested else "", jangka_tahun=5 if tested else None,
            konsekuensi="Data pribadi penyedia terbuka untuk umum." if tested else "",
            kepentingan_publik="Kepentingan publik tidak lebih besar dari perlindungan data pribadi." if tested else "",
            berita_acara=f"Berita acara uji konsekuensi nomor BA-{i}." if tested else "",
            keputusan_atasan="Dipertimbangkan dan disetujui." if names & {"approve_exemption", "reject_exemption"}
            else "",
            nomor_penetapan=f"SK-{i}/PPID/2026" if issued else "", tempat_penetapan="Serang" if issued else "",
            tanggal_penetapan=(g.now - timedelta(days=30)).date() if issued else None,
            lampiran_alasan="Alasan: Pasal 17 huruf h UU 14/2008." if "attach_reasons" in names else "",
        ))
        routes.append(hops)
    InformasiPublik.objects.bulk_create(items, batch_size=BATCH)
    for case, item in zip(cases, items):
        case.informasi_id = item.pk
    g.save(UjiKonsekuensi, cases, routes)


@workflow(Pengumuman, weight=1)
def pengumuman(g, n):
    """Pengumuman Informasi Publik (PTK-PENGUMUMAN): one unit's update cycle of berkala or serta
    merta information; serta merta is urgent in every queue and may skip step 6."""
    states = g.states(Pengumuman, n, weights={"published": 1})
    published_by_update = g.route(Pengumuman, "content_updated") + [
        ("content_updated", g.transition(Pengumuman, "publish", "content_updated"))]
    items, cases, routes = [], [], []
    for i, state in enumerate(states):
        serta_merta = g.rng.random() < 0.2
        hops = g.route(Pengumuman, state)
        if state == "published" and not serta_merta:
            hops = published_by_update  # berkala information goes through step 6
        names = {t.name for _, t in hops}
        unit = g.unit()
        jenis = Kelas.SERTA_MERTA if serta_merta else Kelas.BERKALA
        drafted = "submit_draft" in names
        case = Pengumuman(
            kode=g.code(Pengumuman.KODE_PREFIX), state=state, unit=unit, jenis=jenis,
            judul=f"Laporan keuangan triwulan tolok ukur {i}" if not serta_merta else f"Peringatan banjir {i}",
            surat_koordinasi="Mohon disiapkan bahan informasi periode ini." if "request_collection" in names else "",
            ringkasan="Ringkasan informasi." if drafted else "", isi="Isi pengumuman lengkap." if drafted else "",
            periode="Triwulan III 2026" if drafted else "", penanggung_jawab=f"Kepala {unit.nama}" if drafted else "",
            catatan_verifikasi="Sesuai." if "verify" in names else "",
        )
        if "publish" in names:
            items.append((case, _informasi(g, unit, case.judul, jenis, g.now - timedelta(days=10))))
        cases.append(case)
        routes.append(hops)
    InformasiPublik.objects.bulk_create([item for _, item in items], batch_size=BATCH)
    for case, item in items:
        case.informasi_id = item.pk
    g.save(Pengumuman, cases, routes, stamp={"publish": "dipublikasikan"})


# --- the whole data set --------------------------------------------------------------------

def raise_history(now):
    """What a sweep running every minute would have left: a reminder for every step that ran
    past three quarters of its standard, an escalation for every step that ran past its
    deadline (both for a step reminded and later overdue), raised in their minute and fanned
    out; and the sweep's span up to ``now``. Two INSERT ... SELECT over the Tasks."""
    qn = connection.ops.quote_name
    task, peringatan = qn(Task._meta.db_table), qn(Peringatan._meta.db_table)
    raised = 0
    with connection.cursor() as cursor:
        for jenis, moment, passed in (("pengingat", "remind_at", ">="), ("eskalasi", "due_at", ">")):
            cursor.execute(
                f"INSERT INTO {peringatan} (task_id, jenis, dibuat, not_before, diuraikan) "
                f"SELECT id, %s, {moment}, {moment}, {moment} FROM {task} "
                f"WHERE {moment} IS NOT NULL AND COALESCE(finished_at, %s) {passed} {moment}",
                [jenis, now],
            )
            raised += cursor.rowcount
    Sapuan.objects.update_or_create(pk=1, defaults={"sampai": now})
    return raised


def generate(n, log=print):
    """Units, staff and ``n`` cases over every registered workflow, in one transaction."""
    started = time.monotonic()
    gen = Gen()
    with transaction.atomic():
        gen.setup_org()
        log(f"  {UNITS} units, {STAFF} staff ({time.monotonic() - started:.1f} s)")
        for wf, count in zip(WORKFLOWS, shares(n).values()):
            t0 = time.monotonic()
            wf.build(gen, count)
            log(f"  {wf.name}: {count} cases ({time.monotonic() - t0:.1f} s)")
        t0 = time.monotonic()
        raised = raise_history(gen.now)
        log(f"  {raised} reminders and escalations of the history ({time.monotonic() - t0:.1f} s)")
    log(f"  {gen.counts['tasks']} Task rows; generated in {time.monotonic() - started:.1f} s")
    return {**gen.counts, "now": gen.now}
