"""The engine: a case waits in one place, only that place's lane may move it, and every move
is a row of the audit trail."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from sop import services as engine
from sop.models import Step, Task
from tests.factories import AduanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def admin(aduan_sop):
    return UserFactory(username="admin_k", first_name="Rina", lanes=("DMK-ADUAN", "admin_koordinator"))


@pytest.fixture
def outsider(aduan_sop):
    return UserFactory(username="pemantau", lanes=("CRB-OPINI", "pemantau"))


@time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False)
def test_a_started_case_records_its_creation_and_waits_for_step_2_under_its_standard(admin):
    aduan = engine.start(AduanFactory())
    created, waiting = engine.timeline(aduan)
    assert (created.step.nomor, created.transition, created.finished_at is not None) == ("1", "dibuat", True)
    assert (waiting.step.nomor, waiting.lane.kode, waiting.finished_at) == ("2", "admin_koordinator", None)
    assert waiting.waktu == "max 3 hari"
    assert waiting.due_at == datetime(2026, 11, 26, 16, 0, tzinfo=WIB)
    # The reminder falls at 75 % of the way from start to deadline.
    assert waiting.remind_at == waiting.started_at + (waiting.due_at - waiting.started_at) * 0.75


def test_a_user_outside_the_lane_is_refused_and_told_which_lane_acts(admin, outsider):
    aduan = engine.start(AduanFactory())
    with pytest.raises(engine.TindakanDitolak, match="dikerjakan oleh Admin Koordinator") as refused:
        engine.advance(aduan, "accept_complaint", outsider)
    assert refused.value.status == 403
    assert engine.open_task(aduan).step.nomor == "2"


def test_an_anonymous_user_may_do_nothing(admin):
    aduan = engine.start(AduanFactory())
    assert engine.refusal(aduan, "accept_complaint", AnonymousUser()) == "Silakan masuk terlebih dahulu."
    assert engine.actions_for(aduan, AnonymousUser()) == []


def test_an_action_of_another_stage_is_refused_with_the_current_stage_named(admin):
    aduan = engine.start(AduanFactory())
    with pytest.raises(engine.TindakanDitolak, match="tidak tersedia pada tahap .Aduan masuk."):
        engine.advance(aduan, "archive", admin)
    with pytest.raises(engine.TindakanDitolak, match="tidak dikenal"):
        engine.advance(aduan, "hapus_semua", admin)


def test_rejecting_a_complaint_needs_a_reason_which_the_complainant_then_reads(admin):
    aduan = engine.start(AduanFactory())
    with pytest.raises(engine.TindakanDitolak, match="wajib disertai catatan"):
        engine.advance(aduan, "reject_complaint", admin, note="   ")
    aduan = engine.advance(aduan, "reject_complaint", admin, note="Bukan kewenangan pemerintah kabupaten.")
    assert aduan.state == "returned_to_complainant"
    assert aduan.alasan_tidak_diterima == "Bukan kewenangan pemerintah kabupaten."
    assert engine.open_task(aduan) is None


def test_the_page_offers_each_lane_only_its_own_actions(admin, outsider):
    aduan = engine.start(AduanFactory())
    assert [a.name for a in engine.actions_for(aduan, admin)] == ["accept_complaint", "reject_complaint"]
    assert engine.actions_for(aduan, outsider) == []


def test_acting_on_a_stale_page_is_refused_with_who_moved_the_case(admin):
    other = UserFactory(username="admin_2", first_name="Budi", lanes=("DMK-ADUAN", "admin_koordinator"))
    aduan = engine.start(AduanFactory())
    engine.advance(aduan, "accept_complaint", other, expected_state="submitted")
    with pytest.raises(engine.TindakanDitolak, match="sudah diproses oleh Budi") as refused:
        engine.advance(aduan, "reject_complaint", admin, note="duplikat", expected_state="submitted")
    assert refused.value.status == 409
    assert Task.objects.of_case(aduan).filter(step__nomor="2").get().transition == "accept_complaint"


def test_a_case_can_never_have_two_open_tasks(admin):
    aduan = engine.start(AduanFactory())
    task = engine.open_task(aduan)
    task.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def test_a_standard_changed_in_the_admin_applies_to_steps_started_afterwards(admin):
    step = Step.objects.get(sop__kode="DMK-ADUAN", nomor="3")
    step.waktu = "2 jam"
    step.save()
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False):
        aduan = engine.advance(engine.start(AduanFactory()), "accept_complaint", admin)
    assert engine.open_task(aduan).due_at == datetime(2026, 11, 23, 11, 0, tzinfo=WIB)


def test_a_step_with_an_unreadable_standard_cannot_be_saved(aduan_sop):
    from django.core.exceptions import ValidationError

    step = Step.objects.get(sop__kode="DMK-ADUAN", nomor="3")
    step.waktu = "secepatnya"
    with pytest.raises(ValidationError, match="tidak dapat dibaca"):
        step.save()
    assert Step.objects.get(pk=step.pk).waktu == "15 menit"


def test_opd_officers_see_only_the_cases_routed_to_their_unit(admin):
    mine, theirs = UnitFactory(nama="Dinas PU"), UnitFactory(nama="Dinas Kesehatan")
    opd = UserFactory(username="opd_pu", lanes=("DMK-ADUAN", "opd_bumd"), units=[mine])
    routed_here = engine.advance(
        engine.advance(engine.start(AduanFactory()), "accept_complaint", admin), "verify_opd", admin, unit=mine
    )
    routed_there = engine.advance(
        engine.advance(engine.start(AduanFactory()), "accept_complaint", admin), "verify_opd", admin, unit=theirs
    )
    assert engine.may_view(routed_here, opd)
    assert not engine.may_view(routed_there, opd)
    assert engine.may_view(routed_there, admin)
    for case in (routed_here, routed_there):
        engine.advance(case, "dispatch_to_opd", admin)
    assert list(Task.objects.for_user(opd).values_list("kode", flat=True)) == [routed_here.kode]


def test_the_queue_is_soonest_deadline_first(admin):
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False):
        first = engine.start(AduanFactory())
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=WIB), tick=False):
        second = engine.advance(engine.start(AduanFactory()), "accept_complaint", admin)  # 15 menit
    queue = Task.objects.for_user(admin).order_by("due_at")
    assert [t.kode for t in queue] == [second.kode, first.kode]
