"""The consequence test (clean reading of the Serang SOP): every transition, who may take
it, the Surat Penetapan and the item's way into the Daftar Informasi yang Dikecualikan."""

from datetime import date

import pytest
from django.urls import reverse

from publikasi.models import InformasiPublik, UjiKonsekuensi
from sop import services as engine
from sop.models import Task
from tests.factories import InformasiPublikFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
SOP = "SRG-UJI-KONSEKUENSI"


@pytest.fixture
def people(sops):
    unit, other = UnitFactory(nama="Dinas Sosial"), UnitFactory(nama="Dinas Kesehatan")
    return {
        "unit": unit,
        "pelaksana": UserFactory(username="pelaksana", lanes=(SOP, "ppid_pelaksana"), units=[unit]),
        "pelaksana_lain": UserFactory(username="pelaksana_lain", lanes=(SOP, "ppid_pelaksana"), units=[other]),
        "utama": UserFactory(username="utama", first_name="Rahmat", last_name="PPID", lanes=(SOP, "ppid_utama")),
        "atasan": UserFactory(username="atasan", lanes=(SOP, "atasan_ppid")),
    }


DATA = {
    "submit_proposal": {"usulan_alasan": "Memuat data pribadi penerima bantuan (NIK, alamat)."},
    "complete_test": {"pasal": "h", "konsekuensi": "Mengungkap rahasia pribadi penerima bantuan.",
                      "kepentingan_publik": "Kepentingan publik terpenuhi oleh rekap per kecamatan.",
                      "jangka_tahun": 5, "berita_acara": "Rapat uji konsekuensi 20 Nov 2026, dihadiri 6 orang."},
    "issue_determination": {"nomor": "480/12/PPID/2026", "tempat": "Serang", "tanggal": date(2026, 11, 23)},
    "attach_reasons": {"lampiran_alasan": "Data pribadi 1.240 penerima bantuan."},
}
MAIN = [
    ("submit_proposal", "pelaksana", "identification"),
    ("complete_test", "utama", "consequence_test"),
    ("approve_exemption", "atasan", "awaiting_approval"),
    ("issue_determination", "utama", "exemption_approved"),
    ("attach_reasons", "pelaksana", "determination_issued"),
    ("list_and_publish", "utama", "determination_complete"),
]
BRANCHES = [("reject_exemption", "atasan", "awaiting_approval"), ("return_for_retest", "atasan", "awaiting_approval")]


def case_at(state, people, item=None):
    item = item or InformasiPublikFactory(unit=people["unit"])
    uji = engine.start(UjiKonsekuensi(informasi=item, unit=item.unit), by=people["pelaksana"])
    for name, who, source in MAIN:
        if uji.state == state:
            return uji
        uji = engine.advance(uji, name, people[who], **DATA.get(name, {}))
    return uji


@pytest.mark.parametrize("name, rightful, source", MAIN + BRANCHES)
def test_each_transition_is_taken_by_its_lane_and_refused_to_every_other(people, name, rightful, source):
    uji = case_at(source, people)
    for who in ("pelaksana", "pelaksana_lain", "utama", "atasan"):
        reason = engine.refusal(uji, name, people[who], note="catatan")
        assert (reason is None) == (who == rightful), (who, reason)
    moved = engine.advance(uji, name, people[rightful], note="catatan", **DATA.get(name, {}))
    assert moved.state != source


def test_an_approved_exemption_lists_the_item_in_the_dik_with_its_ground_and_period(people):
    uji = case_at("listed_in_dik", people)
    item = InformasiPublik.objects.get(pk=uji.informasi_id)
    assert item.dikecualikan and item.dasar_pengecualian == "UU 14/2008 Pasal 17 huruf h"
    assert item.dikecualikan_sampai == date(2031, 11, 23)
    steps = list(Task.objects.of_case(uji).order_by("id").values_list("step__nomor", flat=True))
    assert steps == ["1", "2", "3", "4", "5", "6"]
    assert engine.open_task(uji) is None


def test_a_rejected_exemption_leaves_the_item_public(people):
    uji = engine.advance(case_at("awaiting_approval", people), "reject_exemption", people["atasan"],
                         note="Kepentingan publik lebih besar.")
    assert uji.state == "not_exempt"
    assert InformasiPublik.objects.get(pk=uji.informasi_id).kelas == "setiap_saat"


def test_the_atasan_can_send_it_back_for_another_test(people):
    uji = engine.advance(case_at("awaiting_approval", people), "return_for_retest", people["atasan"],
                         note="Tambahkan pertimbangan Pasal 19.")
    assert uji.state == "consequence_test" and engine.open_task(uji).lane.kode == "ppid_utama"


def test_the_surat_penetapan_carries_every_field_perki_1_2017_requires(client, people):
    uji = case_at("listed_in_dik", people)
    client.force_login(people["utama"])
    page = client.get(reverse("publikasi:uji_penetapan", args=[uji.kode])).content.decode()
    for text in ("Pasal 17 huruf h", "Rahmat PPID", "Dinas Sosial", "5 tahun, sampai 23-11-2031",
                 "Mengungkap rahasia pribadi", "Serang, 23-11-2026", "480/12/PPID/2026"):
        assert text in page, text


def test_a_pelaksana_may_propose_only_items_of_their_unit(client, people):
    mine = InformasiPublikFactory(unit=people["unit"])
    theirs = InformasiPublikFactory(unit=UnitFactory(nama="Dinas Lain"))
    client.force_login(people["pelaksana"])
    bad = client.post(reverse("publikasi:uji_baru"), {"informasi": theirs.pk, "pemicu": "proaktif"})
    assert bad.status_code == 400 and "bukan milik unit Anda" in bad.content.decode()
    good = client.post(reverse("publikasi:uji_baru"), {"informasi": mine.pk, "pemicu": "permohonan"})
    uji = UjiKonsekuensi.objects.get()
    assert good.status_code == 302 and uji.unit == people["unit"] and uji.state == "identification"
    client.force_login(people["utama"])
    assert client.get(reverse("publikasi:uji_baru")).status_code == 403


def test_working_day_standards_give_the_deadlines(people):
    import time_machine
    from zoneinfo import ZoneInfo
    from datetime import datetime

    with time_machine.travel(datetime(2026, 12, 21, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta")), tick=False):
        uji = case_at("identification", people)
    task = engine.open_task(uji)
    assert task.waktu.startswith("10 (sepuluh) hari kerja")
    assert task.due_at == datetime(2027, 1, 8, 16, 30, tzinfo=ZoneInfo("Asia/Jakarta"))


def test_an_item_under_an_open_test_cannot_be_proposed_twice_and_a_retest_starts_from_the_first(client, people):
    item = InformasiPublikFactory(unit=people["unit"])
    uji = engine.advance(case_at("awaiting_approval", people, item=item), "return_for_retest", people["atasan"],
                         note="Perjelas kepentingan publik.")
    client.force_login(people["pelaksana"])
    response = client.post(reverse("publikasi:uji_baru"), {"informasi": item.pk, "pemicu": "proaktif"})
    assert response.status_code == 400 and UjiKonsekuensi.objects.count() == 1
    client.force_login(people["utama"])
    page = client.get(reverse("publikasi:uji_detail", args=[uji.kode])).content.decode()
    assert "Rapat uji konsekuensi 20 Nov 2026" in page.split('id="aksi"')[1].split("</form>")[0]
