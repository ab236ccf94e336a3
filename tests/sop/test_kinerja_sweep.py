"""The deadline sweep costs a fixed number of queries: the same for two due Tasks in one lane
as for twenty over several SOPs, lanes and units, reminders and escalations alike, and it
writes one Peringatan per due Task. Delivery's fan-out costs a fixed number too, and the
outbox rows it writes in bulk are exactly the ones the rules call for: one per Task and
recipient, the members of the lane (of the Task's unit, for a per-unit lane) or of its
supervising lane, active and with an e-mail address.

The work is the test-only workflow's (tests/contoh: the desk, and a per-unit lane supervised
by the desk); a second SOP and case type is the portal's opinions (CRB-OPINI), only as
"another workflow installed"."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sop import services as engine
from sop.models import Lane, Notifikasi, Peringatan, Sapuan, Task
from sop.sweep import sweep, uraikan
from tests.factories import OpiniFactory, PermintaanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
SWEPT_AT = MONDAY_9 + timedelta(minutes=1)


@pytest.fixture
def office(sops):
    units = [UnitFactory(nama=f"Dinas {name}") for name in ("PU", "Kesehatan", "Pendidikan")]
    petugas = UserFactory(username="petugas_k", lanes=("UJI-CONTOH", "petugas"))
    UserFactory(username="petugas_cuti", lanes=("UJI-CONTOH", "petugas"), is_active=False)
    UserFactory(username="petugas_tanpa_surel", email="", lanes=("UJI-CONTOH", "petugas"))
    UserFactory(username="kepala", lanes=("UJI-CONTOH", "kepala"))
    UserFactory(username="unit_pu", lanes=("UJI-CONTOH", "unit"), units=[units[0]])
    UserFactory(username="unit_dua", lanes=("UJI-CONTOH", "unit"), units=[units[1], units[2]])
    UserFactory(username="unit_dinkes", lanes=("UJI-CONTOH", "unit"), units=[units[1]])
    UserFactory(username="pemantau", lanes=("CRB-OPINI", "pemantau"))
    UserFactory(username="kasi_pop", lanes=("CRB-OPINI", "kasi_pop"))
    return {"units": units, "petugas": petugas}


def open_work(office, desk_steps, unit_steps, opinions):
    """Open steps: new requests (the desk, Petugas), requests at the unit lane of each unit in
    ``unit_steps`` (a per-unit lane), captured opinions (another SOP). Returns their Tasks."""
    petugas = office["petugas"]
    with time_machine.travel(MONDAY_9 - timedelta(days=3), tick=False):
        cases = [engine.start(PermintaanFactory(email="")) for _ in range(desk_steps)]
        for unit in unit_steps:
            cases.append(engine.advance(engine.start(PermintaanFactory(email="")), "terima", petugas, unit=unit))
        cases += [engine.start(OpiniFactory()) for _ in range(opinions)]
    return [engine.open_task(case) for case in cases]


def make_due(reminders, escalations):
    """Due since the last sweep (ten minutes ago): ``reminders`` for a reminder only,
    ``escalations`` overdue (reminded before that)."""
    Sapuan.objects.update_or_create(pk=1, defaults={"sampai": MONDAY_9 - timedelta(minutes=10)})
    Task.objects.update(remind_at=MONDAY_9 + timedelta(days=1), due_at=MONDAY_9 + timedelta(days=2))
    Task.objects.filter(pk__in=[t.pk for t in reminders]).update(remind_at=MONDAY_9 - timedelta(minutes=5))
    Task.objects.filter(pk__in=[t.pk for t in escalations]).update(
        remind_at=MONDAY_9 - timedelta(hours=1), due_at=MONDAY_9 - timedelta(minutes=5))


def expected_messages(reminders, escalations):
    """(e-mail, jenis, task) the rules call for, worked out one by one with the ORM."""
    expected = set()
    for jenis, tasks in ((Notifikasi.PENGINGAT, reminders), (Notifikasi.ESKALASI, escalations)):
        for task in tasks:
            lane = Lane.objects.get(pk=task.lane_id)
            if jenis == Notifikasi.ESKALASI and lane.atasan_id:
                lane = lane.atasan
            members = lane.group.user_set.filter(is_active=True).exclude(email="")
            if lane.per_unit:
                members = members.filter(units=task.unit_id)
            expected |= {(email, jenis, task.pk) for email in members.values_list("email", flat=True)}
    return expected


def swept():
    with time_machine.travel(SWEPT_AT, tick=False):
        with CaptureQueriesContext(connection) as queries:
            counts = sweep()
    rows = set(Peringatan.objects.values_list("jenis", "task_id"))
    return counts, len(queries), rows, [q["sql"] for q in queries.captured_queries]


def fanned_out():
    with time_machine.travel(SWEPT_AT, tick=False):
        with CaptureQueriesContext(connection) as queries:
            uraikan()
    rows = set(Notifikasi.objects.values_list("email", "jenis", "task_id"))
    return len(queries), rows, [q["sql"] for q in queries.captured_queries]


def kinds(reminders, escalations):
    return {(Peringatan.PENGINGAT, t.pk) for t in reminders} | {(Peringatan.ESKALASI, t.pk) for t in escalations}


def start_over():
    Notifikasi.objects.all().delete()
    Peringatan.objects.all().delete()


def test_the_sweep_costs_the_same_number_of_queries_whatever_is_due(office):
    few = open_work(office, desk_steps=1, unit_steps=office["units"][:1], opinions=0)
    make_due(reminders=few[:1], escalations=few[1:])
    few_counts, few_queries, few_rows, few_sql = swept()
    assert few_counts == (1, 1)
    assert few_rows == kinds(few[:1], few[1:])

    start_over()
    many = open_work(office, desk_steps=5, unit_steps=office["units"] * 2, opinions=4)
    everything = few + many
    reminders, escalations = everything[::2], everything[1::2]
    make_due(reminders, escalations)
    many_counts, many_queries, many_rows, many_sql = swept()
    assert many_counts == (len(reminders), len(escalations)) == (9, 8)
    assert many_rows == kinds(reminders, escalations)
    assert Peringatan.objects.count() == 17  # one per due Task

    assert many_queries == few_queries, "\n".join(many_sql)
    # The holidays, the span's conditional update, one insert (plus the transaction's
    # savepoint and its release under the test's transaction).
    assert few_queries == 5, "\n".join(few_sql)


def test_delivery_fans_out_to_the_rules_recipients_in_the_same_number_of_queries(office):
    few = open_work(office, desk_steps=1, unit_steps=office["units"][:1], opinions=0)
    make_due(reminders=few[:1], escalations=few[1:])
    swept()
    few_queries, few_rows, few_sql = fanned_out()
    assert few_rows == expected_messages(few[:1], few[1:])
    # The desk (the inactive officer and the one without an address get nothing) is reminded;
    # the unit step's supervisor, the desk, gets its escalation.
    assert {(email, jenis) for email, jenis, _ in few_rows} == {
        ("petugas_k@contoh.go.id", Notifikasi.PENGINGAT), ("petugas_k@contoh.go.id", Notifikasi.ESKALASI)}

    start_over()
    # Eight times the work over more lanes, both SOPs and every unit: unit steps of two units
    # due for a reminder go to their own unit's officers only.
    many = open_work(office, desk_steps=5, unit_steps=office["units"] * 2, opinions=4)
    everything = few + many
    reminders, escalations = everything[::2], everything[1::2]
    make_due(reminders, escalations)
    swept()
    many_queries, many_rows, many_sql = fanned_out()
    assert many_rows == expected_messages(reminders, escalations)
    assert Notifikasi.objects.count() == len(many_rows)  # one row per Task and recipient
    assert {"unit_pu@contoh.go.id", "unit_dua@contoh.go.id", "unit_dinkes@contoh.go.id",
            "pemantau@contoh.go.id", "kasi_pop@contoh.go.id"} <= {email for email, _, _ in many_rows}
    assert not Peringatan.objects.filter(diuraikan__isnull=True).exists()
    assert many_queries == few_queries, "\n".join(many_sql)
    assert fanned_out()[1] == many_rows  # fanned out once: a second delivery adds nothing


def test_a_sweep_with_nothing_due_writes_nothing(office):
    open_work(office, desk_steps=1, unit_steps=(), opinions=1)
    make_due(reminders=[], escalations=[])
    counts, queries, rows, _ = swept()
    assert counts == (0, 0) and rows == set()
    assert queries <= 5
