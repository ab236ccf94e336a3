"""A complaint goes all the way through the SOP, each lane acting in turn."""

import pytest

from aduan.models import Aduan
from sop import services as engine
from sop.models import Task
from tests.factories import AduanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(aduan_sop):
    dpupr = UnitFactory(nama="Dinas Pekerjaan Umum dan Penataan Ruang")
    dinkes = UnitFactory(nama="Dinas Kesehatan")
    return {
        "unit": dpupr,
        "lain": dinkes,
        "admin": UserFactory(username="admin_k", lanes=("DMK-ADUAN", "admin_koordinator")),
        "opd": UserFactory(username="opd_pu", lanes=("DMK-ADUAN", "opd_bumd"), units=[dpupr]),
        "opd_lain": UserFactory(username="opd_kes", lanes=("DMK-ADUAN", "opd_bumd"), units=[dinkes]),
        "penghubung": UserFactory(username="ph_pu", lanes=("DMK-ADUAN", "pejabat_penghubung"), units=[dpupr]),
        "pimpinan": UserFactory(username="pimpinan", lanes=("DMK-ADUAN", "pimpinan")),
    }


def test_a_complaint_is_answered_and_archived_by_each_lane_in_turn(people):
    aduan = engine.start(AduanFactory())
    steps = []

    def act(name, who, **data):
        nonlocal aduan
        aduan = engine.advance(aduan, name, people[who], **data)
        steps.append(aduan.state)

    act("accept_complaint", "admin")
    act("verify_opd", "admin", unit=people["unit"])
    act("dispatch_to_opd", "admin")
    act("submit_answer", "opd", jawaban="Perbaikan lampu dijadwalkan Kamis ini oleh tim PJU.")
    act("post_answer", "penghubung")
    act("confirm_final", "admin")
    act("archive", "admin")

    assert steps == ["accepted", "opd_verified", "with_opd", "answer_prepared", "answer_posted",
                     "ready_to_archive", "archived"]
    trail = list(Task.objects.of_case(aduan).order_by("id").values_list("step__nomor", "transition", "finished_by__username"))
    assert trail == [
        ("1", "dibuat", None),
        ("2", "accept_complaint", "admin_k"),
        ("3", "verify_opd", "admin_k"),
        ("4", "dispatch_to_opd", "admin_k"),
        ("5", "submit_answer", "opd_pu"),
        ("6", "post_answer", "ph_pu"),
        ("7", "confirm_final", "admin_k"),
        ("8", "archive", "admin_k"),
    ]
    assert engine.open_task(aduan) is None
    assert aduan.jawaban_disampaikan is not None


def test_an_officer_of_another_unit_may_not_answer_and_is_told_why(people):
    aduan = engine.start(AduanFactory())
    aduan = engine.advance(aduan, "accept_complaint", people["admin"])
    aduan = engine.advance(aduan, "verify_opd", people["admin"], unit=people["unit"])
    aduan = engine.advance(aduan, "dispatch_to_opd", people["admin"])
    with pytest.raises(engine.TindakanDitolak, match="bukan anggota OPD"):
        engine.advance(aduan, "submit_answer", people["opd_lain"], jawaban="Bukan urusan kami sama sekali.")
    assert Aduan.objects.get(pk=aduan.pk).state == "with_opd"


def test_a_complaint_waits_in_the_queue_under_its_categorys_short_name_and_its_text(aduan_sop):
    aduan = engine.start(AduanFactory(kategori="infrastruktur", uraian="Jalan   berlubang\ndi depan pasar " + "x" * 200))
    judul = Task.objects.of_case(aduan).open().get().judul
    assert judul == "Infrastruktur: Jalan berlubang di depan pasar " + "x" * (120 - len("Jalan berlubang di depan pasar "))
    assert AduanFactory.build(kategori="lingkungan").judul_antrian().startswith("Lingkungan dan kebersihan: ")
