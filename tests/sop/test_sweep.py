"""The sweep reminds once, escalates to the supervising lane once, sends staff mail in office
hours only to the lane's members of that moment, and the outbox keeps a message until it is
delivered."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from sop import services as engine
from sop.models import Notifikasi, Peringatan, Sapuan
from sop.sweep import deliver, sweep
from tests.factories import AduanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


@pytest.fixture
def lanes(aduan_sop):
    return {
        "admin": UserFactory(username="admin_k", lanes=("DMK-ADUAN", "admin_koordinator")),
        "pimpinan": UserFactory(username="bupati", lanes=("DMK-ADUAN", "pimpinan")),
    }


@pytest.fixture
def accepted(lanes):
    """A complaint accepted Monday 09:00: step 3 (15 menit) is due at 09:15."""
    with time_machine.travel(MONDAY_9, tick=False):
        return engine.advance(engine.start(AduanFactory(email="")), "accept_complaint", lanes["admin"])


def test_a_lane_is_reminded_once_when_three_quarters_of_the_standard_have_passed(accepted):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=11), tick=False):
        assert sweep() == (0, 0)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=12), tick=False):
        assert sweep() == (1, 0)
        assert sweep() == (0, 0)
        assert deliver() == 1
        assert deliver() == 0
    assert [m.to for m in mail.outbox] == [["admin_k@contoh.go.id"]]
    assert "[Pengingat]" in mail.outbox[0].subject and accepted.kode in mail.outbox[0].subject


def test_overdue_work_is_escalated_to_the_supervising_lane_once(accepted):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=16), tick=False):
        assert sweep() == (0, 1)  # never reminded: escalated only
        assert sweep() == (0, 0)
        deliver()
    assert [(m.to, m.subject.split("]")[0]) for m in mail.outbox] == [(["bupati@contoh.go.id"], "[Eskalasi")]


def test_staff_mail_waits_for_office_hours(lanes):
    friday_evening = datetime(2026, 11, 20, 16, 20, tzinfo=WIB)
    with time_machine.travel(friday_evening, tick=False):
        # 15 office minutes: 10 on Friday, 5 on Monday -> due Monday 07:35; the reminder
        # share of that span falls on Sunday evening.
        engine.advance(engine.start(AduanFactory(email="")), "accept_complaint", lanes["admin"])
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
        engine.advance(engine.start(AduanFactory(email="")), "accept_complaint", lanes["admin"])
    with time_machine.travel(datetime(2026, 11, 22, 21, 0, tzinfo=WIB), tick=False):
        assert sweep() == (1, 0)
    lanes["admin"].groups.clear()  # moved to another post over the weekend
    UserFactory(username="pengganti", lanes=("DMK-ADUAN", "admin_koordinator"))
    with time_machine.travel(datetime(2026, 11, 23, 7, 31, tzinfo=WIB), tick=False):
        assert deliver() == 1
    assert [m.to for m in mail.outbox] == [["pengganti@contoh.go.id"]]


def test_a_moment_is_reminded_once_even_when_the_sweeps_span_is_taken_again(accepted):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=12), tick=False):
        assert sweep() == (1, 0)
    # A sweep's span taken again (a restored row, a clock set back): the constraint on
    # (step, kind) still allows one reminder.
    Sapuan.objects.update(sampai=MONDAY_9)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=13), tick=False):
        assert sweep() == (0, 0)
        deliver()
    assert Peringatan.objects.count() == 1 and len(mail.outbox) == 1


def test_a_sweep_takes_only_the_span_since_the_last_one(accepted):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=11), tick=False):
        assert sweep() == (0, 0)
    assert Sapuan.objects.get().sampai == MONDAY_9 + timedelta(minutes=11)
    # A worker whose clock is behind takes nothing (its span is already taken).
    with time_machine.travel(MONDAY_9 + timedelta(minutes=10), tick=False):
        assert sweep() == (0, 0)
    assert Sapuan.objects.get().sampai == MONDAY_9 + timedelta(minutes=11)
    with time_machine.travel(MONDAY_9 + timedelta(minutes=16), tick=False):
        assert sweep() == (0, 1)  # 09:11:15 reminder and 09:15 deadline in one span: escalated only
    assert list(Peringatan.objects.values_list("jenis", flat=True)) == [Peringatan.ESKALASI]


def test_a_step_finished_before_its_moment_is_neither_reminded_nor_escalated(accepted, lanes):
    with time_machine.travel(MONDAY_9 + timedelta(minutes=5), tick=False):
        sweep()
        engine.advance(accepted, "verify_opd", lanes["admin"], unit=UnitFactory())
    with time_machine.travel(MONDAY_9 + timedelta(minutes=20), tick=False):
        sweep()
    assert not Peringatan.objects.filter(task__step__nomor="3").exists()


def test_a_mail_outage_delays_a_message_and_loses_nothing(accepted, settings):
    settings.EMAIL_BACKEND = "tests.failing_mail.RefusingBackend"
    at = MONDAY_9 + timedelta(minutes=12)
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


def test_the_complainant_is_told_when_the_complaint_is_not_accepted(lanes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aduan = engine.start(AduanFactory(email="warga@contoh.id"))
        engine.advance(aduan, "reject_complaint", lanes["admin"], note="Aduan sudah pernah disampaikan.")
    subjects = [m.subject for m in mail.outbox if m.to == ["warga@contoh.id"]]
    assert subjects == [f"[{aduan.kode}] Aduan Anda telah kami terima",
                        f"[{aduan.kode}] Aduan Anda tidak dapat ditindaklanjuti"]


def test_an_anonymous_complainant_gets_no_mail_because_no_address_is_kept(lanes):
    aduan = engine.start(AduanFactory(anonim=True, email="warga@contoh.id"))
    assert (aduan.nama, aduan.email, aduan.telepon) == ("", "", "")
    assert not Notifikasi.objects.filter(jenis=Notifikasi.WARGA).exists()
