"""Every transition of opinion monitoring, and who may take it: each lane its own steps and
nothing else."""

import pytest

from opini.models import Opini
from sop import services as engine
from sop.models import Task
from tests.opini.alur import BRANCHES, MAIN, REPLY, case_at, data_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name, rightful, source", MAIN + BRANCHES + [
    ("archive_without_response", "kasi", "returned_for_archiving")])
def test_each_transition_is_taken_by_its_lane_and_refused_to_every_other(people, name, rightful, source):
    opini = case_at(source, people)
    for who in ("pemantau", "kasi", "kabid", "pd", "pd_lain", "admin_aduan"):
        reason = engine.refusal(opini, name, people[who], note="catatan")
        if who == rightful:
            assert reason is None, (who, reason)
        else:
            assert reason, f"{who} may not {name}"
    target = engine.advance(opini, name, people[rightful], note="catatan", **data_for(name, people))
    assert target.state != source
    assert Task.objects.of_case(target).exclude(finished_at=None).latest("id").transition == name


def test_an_opinion_goes_from_capture_to_the_published_answer_with_one_return_from_language_review(people):
    opini = case_at("language_review", people)
    opini = engine.advance(opini, "request_pd_revision", people["kasi"], note="Mohon gunakan bahasa yang santun.")
    assert opini.state == "awaiting_pd_response"
    assert engine.open_task(opini).unit == people["unit"]
    opini = engine.advance(opini, "submit_pd_response", people["pd"],
                           tanggapan="Terima kasih. Lampu taman akan diganti pada Kamis, 26 November 2026.")
    opini = engine.advance(opini, "submit_for_language_review", people["pemantau"])
    opini = engine.advance(opini, "complete_language_review", people["kasi"],
                           tanggapan_final="Terima kasih atas laporannya. Lampu taman diganti Kamis, 26 November 2026.")
    opini = engine.advance(opini, "publish_and_archive", people["pemantau"], dikirim_di="instagram",
                           tautan_balasan=REPLY)
    assert opini.state == "responded_and_archived"
    assert opini.tanggapan_final.startswith("Terima kasih atas laporannya")
    assert engine.open_task(opini) is None
    steps = list(Task.objects.of_case(opini).order_by("id").values_list("step__nomor", flat=True))
    assert steps == ["1", "2", "3", "4", "5", "6", "7", "7a", "8", "8a", "7a", "8", "8a", "9"]


def test_no_response_needed_ends_archived_with_the_reason(people):
    opini = case_at("returned_for_archiving", people)
    assert opini.alasan_tidak_ditanggapi == "Hanya keluhan pribadi, bukan layanan publik."
    opini = engine.advance(opini, "archive_without_response", people["kasi"])
    assert opini.state == "archived_no_response" and engine.open_task(opini) is None


def test_an_answer_received_by_email_is_recorded_by_the_monitor_and_says_so(people):
    opini = engine.advance(case_at("awaiting_pd_response", people), "record_pd_response", people["pemantau"],
                           tanggapan="Jawaban PD melalui e-mail: lampu diganti pekan ini.")
    assert (opini.state, opini.tanggapan_via) == ("pd_response_received", "email")


def test_the_unit_step_has_a_configurable_standard_and_is_reminded_and_escalated_like_any_other(people):
    from datetime import timedelta

    import time_machine

    from sop.models import Notifikasi, Peringatan
    from sop.sweep import sweep, uraikan

    opini = case_at("awaiting_pd_response", people)
    task = engine.open_task(opini)
    assert (task.step.nomor, task.waktu, task.lane.kode) == ("7a", "3 hari kerja", "perangkat_daerah")
    with time_machine.travel(task.due_at + timedelta(minutes=1), tick=False):
        assert sweep() == (0, 1)
    uraikan(Peringatan.objects.get().not_before)  # the office's next opening
    # Escalated to the Kasi, the supervising lane of the Perangkat Daerah.
    assert list(Notifikasi.objects.values_list("penerima__username", "jenis")) == [("kasi", "eskalasi")]


def test_unit_officers_see_only_their_units_opinions(people):
    opini = case_at("awaiting_pd_response", people)
    assert engine.may_view(opini, people["pd"])
    assert not engine.may_view(opini, people["pd_lain"])
    assert [t.kode for t in Task.objects.for_user(people["pd"])] == [opini.kode]
    assert not Task.objects.for_user(people["pd_lain"]).exists()


def test_only_the_monitor_may_record_a_new_opinion(people):
    assert engine.start_refusal(Opini, people["pemantau"]) is None
    assert "Pemantau Opini Publik" in engine.start_refusal(Opini, people["kasi"])
