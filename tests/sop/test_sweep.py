"""The sweep reminds once, escalates to the supervising lane once, sends staff mail in office
hours only to the lane's members of that moment, and the outbox keeps a message until it is
delivered. On the test-only workflow (tests/contoh): its desk (Petugas) has 30 office minutes
for a new request and is supervised by the Kepala."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from sop import services as engine
from sop.models import Notifikasi, Peringatan, Sapuan
from sop.sweep import deliver, sweep
from tests.factories import PermintaanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


@pytest.fixture
def lanes(contoh_sop):
    return {
        "petugas": UserFactory(username="petugas_k", lanes=("UJI-CONTOH", "petugas")),
        "kepala": UserFactory(username="kepala_k", lanes=("UJI-CONTOH", "kepala")),
    }


@pytest.fixture
def started(lanes):
    """A request filed Monday 09:00: step 2 (30 menit) is due at 09:30, reminded at 09:22:30."""
    with time_machine.travel(MONDAY_9, tick=False):
        return engine.start(PermintaanFactory(email=""))


def test_a_lane_is_reminded_once_when_three_quarters_of_the_standard_have_passed(started):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=22), tick=False):
        assert sweep() == (0, 0)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=23), tick=False):
        assert sweep() == (1, 0)
        assert sweep() == (0, 0)
        assert deliver() == 1
        assert deliver() == 0
    assert [m.to for m in mail.outbox] == [["petugas_k@contoh.go.id"]]
    assert "[Pengingat]" in mail.outbox[0].subject and started.kode in mail.outbox[0].subject


def test_overdue_work_is_escalated_to_the_supervising_lane_once(started):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=31), tick=False):
        assert sweep() == (0, 1)  # never reminded: escalated only
        assert sweep() == (0, 0)
        deliver()
    assert [(m.to, m.subject.split("]")[0]) for m in mail.outbox] == [(["kepala_k@contoh.go.id"], "[Eskalasi")]


def test_staff_mail_waits_for_office_hours(lanes):
    friday_evening = datetime(2026, 11, 20, 16, 20, tzinfo=WIB)
    with time_machine.travel(friday_evening, tick=False):
        # 30 office minutes: 10 on Friday, 20 on Monday -> due Monday 07:50; the reminder
        # share of that span falls on Sunday afternoon.
        engine.start(PermintaanFactory(email=""))
    with time_machine.travel(datetime(2026, 11, 22, 21, 0, tzinfo=WIB), tick=False):  # Sunday
        assert sweep() == (1, 0)
        assert deliver() == 0
    assert Peringatan.objects.get().not_before == datetime(2026, 11, 23, 7, 30, tzinfo=WIB)
    assert not Notifikasi.objects.exists()  # fanned out when the office opens, not before
    with time_machine.travel(datetime(2026, 11, 23, 7, 31, tzinfo=WIB), tick=False):
        assert deliver() == 1
    assert len(mail.outbox) == 1


def test_a_reminder_waiting_for_office_hours_goes_to_the_lanes_members_of_that_morning(lanes):
    friday_evening = datetime(2026, 11, 20, 16, 20, tzinfo=WIB)
    with time_machine.travel(friday_evening, tick=False):
        engine.start(PermintaanFactory(email=""))
    with time_machine.travel(datetime(2026, 11, 22, 21, 0, tzinfo=WIB), tick=False):
        assert sweep() == (1, 0)
    lanes["petugas"].groups.clear()  # moved to another post over the weekend
    UserFactory(username="pengganti", lanes=("UJI-CONTOH", "petugas"))
    with time_machine.travel(datetime(2026, 11, 23, 7, 31, tzinfo=WIB), tick=False):
        assert deliver() == 1
    assert [m.to for m in mail.outbox] == [["pengganti@contoh.go.id"]]


def test_a_moment_is_reminded_once_even_when_the_sweeps_span_is_taken_again(started):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=23), tick=False):
        assert sweep() == (1, 0)
    # A sweep's span taken again (a restored row, a clock set back): the constraint on
    # (step, kind) still allows one reminder.
    Sapuan.objects.update(sampai=MONDAY_9)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=24), tick=False):
        assert sweep() == (0, 0)
        deliver()
    assert Peringatan.objects.count() == 1 and len(mail.outbox) == 1


def test_a_sweep_takes_only_the_span_since_the_last_one(started):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=22), tick=False):
        assert sweep() == (0, 0)
    assert Sapuan.objects.get().sampai == MONDAY_9 + timedelta(minutes=22)
    # A worker whose clock is behind takes nothing (its span is already taken).
    with time_machine.travel(MONDAY_9 + timedelta(minutes=21), tick=False):
        assert sweep() == (0, 0)
    assert Sapuan.objects.get().sampai == MONDAY_9 + timedelta(minutes=22)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=31), tick=False):
        assert sweep() == (0, 1)  # 09:22:30 reminder and 09:30 deadline in one span: escalated only
    assert list(Peringatan.objects.values_list("jenis", flat=True)) == [Peringatan.ESKALASI]


def test_a_step_finished_before_its_moment_is_neither_reminded_nor_escalated(started, lanes):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=5), tick=False):
        sweep()
        engine.advance(started, "terima", lanes["petugas"], unit=UnitFactory())
    with time_machine.travel(MONDAY_9 + timedelta(minutes=40), tick=False):
        sweep()
    assert not Peringatan.objects.filter(task__step__nomor="2").exists()


def test_a_mail_outage_delays_a_message_and_loses_nothing(started, settings):
    settings.EMAIL_BACKEND = "tests.failing_mail.RefusingBackend"
    at = MONDAY_9 + timedelta(minutes=23)
    with time_machine.travel(at, tick=False):
        sweep()
        assert deliver() == 0
    message = Notifikasi.objects.get()
    assert (message.attempts, message.sent_at, message.gagal) == (1, None, False)
    assert "menolak" in message.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(at + timedelta(seconds=30), tick=False):
        assert deliver() == 0  # backing off
    with time_machine.travel(at + timedelta(minutes=3), tick=False):
        assert deliver() == 1
        assert deliver() == 0
    assert len(mail.outbox) == 1


def test_the_citizen_gets_the_mail_the_workflow_writes_for_each_transition(lanes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        permintaan = engine.start(PermintaanFactory(email="warga@contoh.id"))
        engine.advance(permintaan, "tolak", lanes["petugas"], note="Bukan kewenangan kantor ini.")
    subjects = [m.subject for m in mail.outbox if m.to == ["warga@contoh.id"]]
    assert subjects == [f"[{permintaan.kode}] Permintaan masuk", f"[{permintaan.kode}] Ditolak"]


def test_a_citizen_without_an_address_gets_no_mail(lanes):
    permintaan = engine.start(PermintaanFactory(email=""))
    engine.advance(permintaan, "tolak", lanes["petugas"], note="Bukan kewenangan kantor ini.")
    assert not Notifikasi.objects.filter(jenis=Notifikasi.WARGA).exists()
