"""The engine: a case waits in one place, only that place's lane may move it, and every move
is a row of the audit trail. On the test-only workflow (tests/contoh, SOP UJI-CONTOH)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sop import services as engine
from sop.models import Step, Task
from tests.factories import PermintaanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


@pytest.fixture
def petugas(contoh_sop):
    return UserFactory(username="petugas_k", first_name="Rina", lanes=("UJI-CONTOH", "petugas"))


@pytest.fixture
def kepala(contoh_sop):
    """A lane of the same SOP whose turn it is not while a request is new."""
    return UserFactory(username="kepala_k", lanes=("UJI-CONTOH", "kepala"))


@time_machine.travel(MONDAY_9, tick=False)
def test_a_started_case_records_its_creation_and_waits_for_step_2_under_its_standard(petugas):
    permintaan = engine.start(PermintaanFactory())
    created, waiting = engine.timeline(permintaan)
    assert (created.step.nomor, created.transition, created.finished_at is not None) == ("1", "dibuat", True)
    assert (waiting.step.nomor, waiting.lane.kode, waiting.finished_at) == ("2", "petugas", None)
    assert waiting.waktu == "30 menit"
    assert waiting.due_at == datetime(2026, 11, 23, 9, 30, tzinfo=WIB)
    # The reminder falls at 75 % of the way from start to deadline.
    assert waiting.remind_at == waiting.started_at + (waiting.due_at - waiting.started_at) * 0.75
    # The next step's standard counts from the moment it opens: "max 3 hari" from Monday 09:00
    # ends when the office closes on Thursday.
    permintaan = engine.advance(permintaan, "terima", petugas, unit=UnitFactory())
    assert engine.open_task(permintaan).due_at == datetime(2026, 11, 26, 16, 0, tzinfo=WIB)


def test_a_user_outside_the_lane_is_refused_and_told_which_lane_acts(petugas, kepala):
    permintaan = engine.start(PermintaanFactory())
    with pytest.raises(engine.TindakanDitolak, match="dikerjakan oleh Petugas Layanan") as refused:
        engine.advance(permintaan, "terima", kepala, unit=UnitFactory())
    assert refused.value.status == 403
    assert engine.open_task(permintaan).step.nomor == "2"


def test_an_officer_of_a_per_unit_lane_in_another_unit_is_told_why(petugas):
    mine, theirs = UnitFactory(nama="Dinas PU"), UnitFactory(nama="Dinas Kesehatan")
    elsewhere = UserFactory(username="unit_kes", lanes=("UJI-CONTOH", "unit"), units=[theirs])
    permintaan = engine.advance(engine.start(PermintaanFactory()), "terima", petugas, unit=mine)
    with pytest.raises(engine.TindakanDitolak, match="bukan anggota OPD tersebut") as refused:
        engine.advance(permintaan, "jawab", elsewhere, jawaban="Bukan urusan kami.")
    assert refused.value.status == 403
    assert engine.open_task(permintaan).step.nomor == "3"


def test_an_anonymous_user_may_do_nothing(petugas):
    permintaan = engine.start(PermintaanFactory())
    assert engine.refusal(permintaan, "terima", AnonymousUser()) == "Silakan masuk terlebih dahulu."
    assert engine.actions_for(permintaan, AnonymousUser()) == []


def test_an_action_of_another_stage_is_refused_with_the_current_stage_named(petugas):
    permintaan = engine.start(PermintaanFactory())
    with pytest.raises(engine.TindakanDitolak, match="tidak tersedia pada tahap .Permintaan masuk."):
        engine.advance(permintaan, "setujui", petugas)
    with pytest.raises(engine.TindakanDitolak, match="tidak dikenal"):
        engine.advance(permintaan, "hapus_semua", petugas)


def test_a_transition_that_needs_a_note_is_refused_without_one_and_records_it(petugas):
    permintaan = engine.start(PermintaanFactory())
    with pytest.raises(engine.TindakanDitolak, match="wajib disertai catatan"):
        engine.advance(permintaan, "tolak", petugas, note="   ")
    permintaan = engine.advance(permintaan, "tolak", petugas, note="Bukan kewenangan kantor ini.")
    assert permintaan.state == "ditolak"
    assert engine.open_task(permintaan) is None
    closed = Task.objects.of_case(permintaan).get(step__nomor="2")
    assert (closed.transition, closed.note, closed.finished_by) == ("tolak", "Bukan kewenangan kantor ini.", petugas)


def test_a_refusal_raised_by_the_transition_itself_leaves_the_case_where_it_was(petugas):
    permintaan = engine.start(PermintaanFactory())
    with pytest.raises(engine.TindakanDitolak, match="Pilih unit tujuan") as refused:
        engine.advance(permintaan, "terima", petugas)
    assert refused.value.status == 400
    assert engine.open_task(permintaan).step.nomor == "2"
    assert type(permintaan).objects.get(pk=permintaan.pk).state == "masuk"


def test_the_page_offers_each_lane_only_its_own_actions(petugas, kepala):
    permintaan = engine.start(PermintaanFactory())
    assert [a.name for a in engine.actions_for(permintaan, petugas)] == ["terima", "tolak"]
    assert engine.actions_for(permintaan, kepala) == []


def test_acting_on_a_stale_page_is_refused_with_who_moved_the_case(petugas):
    other = UserFactory(username="petugas_2", first_name="Budi", lanes=("UJI-CONTOH", "petugas"))
    permintaan = engine.start(PermintaanFactory())
    engine.advance(permintaan, "terima", other, expected_state="masuk", unit=UnitFactory())
    with pytest.raises(engine.TindakanDitolak, match="sudah diproses oleh Budi") as refused:
        engine.advance(permintaan, "tolak", petugas, note="duplikat", expected_state="masuk")
    assert refused.value.status == 409
    assert Task.objects.of_case(permintaan).filter(step__nomor="2").get().transition == "terima"


def test_a_case_can_never_have_two_open_tasks(petugas):
    permintaan = engine.start(PermintaanFactory())
    task = engine.open_task(permintaan)
    task.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        task.save()


def test_a_standard_changed_in_the_admin_applies_to_steps_started_afterwards(petugas):
    step = Step.objects.get(sop__kode="UJI-CONTOH", nomor="3")
    step.waktu = "2 jam"
    step.save()
    with time_machine.travel(MONDAY_9, tick=False):
        permintaan = engine.advance(engine.start(PermintaanFactory()), "terima", petugas, unit=UnitFactory())
    assert engine.open_task(permintaan).due_at == datetime(2026, 11, 23, 11, 0, tzinfo=WIB)


def test_a_step_with_an_unreadable_standard_cannot_be_saved(contoh_sop):
    step = Step.objects.get(sop__kode="UJI-CONTOH", nomor="3")
    step.waktu = "secepatnya"
    with pytest.raises(ValidationError, match="tidak dapat dibaca"):
        step.save()
    assert Step.objects.get(pk=step.pk).waktu == "max 3 hari"


def test_officers_of_a_per_unit_lane_see_only_the_cases_routed_to_their_unit(petugas):
    mine, theirs = UnitFactory(nama="Dinas PU"), UnitFactory(nama="Dinas Kesehatan")
    officer = UserFactory(username="unit_pu", lanes=("UJI-CONTOH", "unit"), units=[mine])
    routed_here = engine.advance(engine.start(PermintaanFactory()), "terima", petugas, unit=mine)
    routed_there = engine.advance(engine.start(PermintaanFactory()), "terima", petugas, unit=theirs)
    assert engine.may_view(routed_here, officer)
    assert not engine.may_view(routed_there, officer)
    assert engine.may_view(routed_there, petugas)
    assert list(Task.objects.for_user(officer).values_list("kode", flat=True)) == [routed_here.kode]


def test_the_queue_is_soonest_deadline_first(contoh_sop):
    unit = UnitFactory()
    both = UserFactory(username="petugas_unit", lanes=[("UJI-CONTOH", "petugas"), ("UJI-CONTOH", "unit")],
                       units=[unit])
    with time_machine.travel(MONDAY_9, tick=False):
        first = engine.advance(engine.start(PermintaanFactory()), "terima", both, unit=unit)  # max 3 hari
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=WIB), tick=False):
        second = engine.start(PermintaanFactory())  # 30 menit
    queue = Task.objects.for_user(both).order_by("due_at")
    assert [t.kode for t in queue] == [second.kode, first.kode]
