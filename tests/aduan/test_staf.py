"""The staff side: one queue, a case page that offers only my actions, unit scoping and
confidential identities."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aduan.models import Lampiran
from sop import services as engine
from tests.factories import AduanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def office(aduan_sop):
    pu, kes = UnitFactory(nama="Dinas PU"), UnitFactory(nama="Dinas Kesehatan")
    return {
        "pu": pu,
        "kes": kes,
        "admin": UserFactory(username="admin_k", lanes=("DMK-ADUAN", "admin_koordinator")),
        "opd": UserFactory(username="opd_pu", lanes=("DMK-ADUAN", "opd_bumd"), units=[pu]),
        "opd_kes": UserFactory(username="opd_kes", lanes=("DMK-ADUAN", "opd_bumd"), units=[kes]),
    }


def with_opd(office, **kwargs):
    aduan = engine.start(AduanFactory(**kwargs))
    aduan = engine.advance(aduan, "accept_complaint", office["admin"])
    aduan = engine.advance(aduan, "verify_opd", office["admin"], unit=office["pu"])
    return engine.advance(aduan, "dispatch_to_opd", office["admin"])


def test_staff_pages_need_a_login(client, office):
    aduan = engine.start(AduanFactory())
    for url in (reverse("sop:antrian"), reverse("aduan:staf_detail", args=[aduan.kode]), reverse("aduan:staf_daftar")):
        response = client.get(url)
        assert response.status_code == 302 and "/staf/masuk/" in response.url


def test_the_queue_lists_my_work_soonest_deadline_first_and_marks_overdue(client, office):
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False):
        older = engine.start(AduanFactory())
        sooner = engine.advance(engine.start(AduanFactory()), "accept_complaint", office["admin"])
    client.force_login(office["admin"])
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=WIB), tick=False):
        page = client.get(reverse("sop:antrian")).content.decode()
    assert page.index(sooner.kode) < page.index(older.kode)
    assert page.count("lencana-terlambat") == 1  # the 15-minute step is overdue at 10:00


def test_the_case_page_offers_only_the_actions_of_my_lane(client, office):
    aduan = engine.start(AduanFactory())
    client.force_login(office["admin"])
    page = client.get(reverse("aduan:staf_detail", args=[aduan.kode])).content.decode()
    assert "Terima aduan" in page and "Tidak diterima" in page
    assert "Kirim jawaban" not in page


def test_rejecting_without_a_reason_is_refused_and_the_case_does_not_move(client, office):
    aduan = engine.start(AduanFactory())
    client.force_login(office["admin"])
    url = reverse("aduan:staf_aksi", args=[aduan.kode, "reject_complaint"])
    response = client.post(url, {"reject_complaint-tahap": "submitted", "reject_complaint-catatan": ""})
    assert response.status_code == 400
    assert "wajib disertai alasan" in response.content.decode()
    aduan.refresh_from_db()
    assert aduan.state == "submitted"


def test_a_second_officer_on_a_stale_page_sees_who_acted_first(client, office):
    aduan = engine.start(AduanFactory())
    first = UserFactory(username="admin_2", first_name="Budi", lanes=("DMK-ADUAN", "admin_koordinator"))
    client.force_login(first)
    url = reverse("aduan:staf_aksi", args=[aduan.kode, "accept_complaint"])
    assert client.post(url, {"accept_complaint-tahap": "submitted"}).status_code == 302
    client.force_login(office["admin"])
    response = client.post(url, {"accept_complaint-tahap": "submitted"})
    assert response.status_code == 409
    assert "sudah diproses oleh Budi" in response.content.decode()


def test_an_action_not_mine_is_forbidden_with_a_reason(client, office):
    aduan = with_opd(office)
    client.force_login(office["admin"])
    response = client.post(reverse("aduan:staf_aksi", args=[aduan.kode, "submit_answer"]),
                           {"submit_answer-tahap": "with_opd", "submit_answer-jawaban": "Sudah kami tangani."})
    assert response.status_code == 403
    assert "dikerjakan oleh OPD/BUMD" in response.content.decode()


def test_an_opd_officer_answers_from_the_case_page(client, office):
    aduan = with_opd(office)
    client.force_login(office["opd"])
    assert aduan.kode in client.get(reverse("sop:antrian")).content.decode()
    response = client.post(reverse("aduan:staf_aksi", args=[aduan.kode, "submit_answer"]),
                           {"submit_answer-tahap": "with_opd", "submit_answer-jawaban": "Perbaikan dijadwalkan pekan depan."})
    assert response.status_code == 302
    aduan.refresh_from_db()
    assert (aduan.state, aduan.jawaban) == ("answer_prepared", "Perbaikan dijadwalkan pekan depan.")


def test_opd_officers_of_another_unit_cannot_open_the_case_or_its_attachments(client, office):
    aduan = with_opd(office)
    item = Lampiran(aduan=aduan, nama_asli="foto.png", jenis="image/png", ukuran=3)
    item.berkas.save("foto.png", SimpleUploadedFile("foto.png", b"png"), save=True)
    client.force_login(office["opd_kes"])
    assert client.get(reverse("aduan:staf_detail", args=[aduan.kode])).status_code == 404
    assert client.get(reverse("aduan:staf_lampiran", args=[aduan.kode, item.pk])).status_code == 404
    assert aduan.kode not in client.get(reverse("aduan:staf_daftar")).content.decode()
    client.force_login(office["opd"])
    response = client.get(reverse("aduan:staf_lampiran", args=[aduan.kode, item.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"png"


def test_a_confidential_identity_is_hidden_from_the_opd_but_not_from_the_admin(client, office):
    aduan = with_opd(office, rahasia=True, nama="Siti Aminah", email="siti@contoh.id")
    client.force_login(office["opd"])
    page = client.get(reverse("aduan:staf_detail", args=[aduan.kode])).content.decode()
    assert "Siti Aminah" not in page and "siti@contoh.id" not in page and "Dirahasiakan" in page
    client.force_login(office["admin"])
    page = client.get(reverse("aduan:staf_detail", args=[aduan.kode])).content.decode()
    assert "Siti Aminah" in page


def test_the_timeline_marks_a_late_step(client, office):
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False):
        aduan = engine.advance(engine.start(AduanFactory()), "accept_complaint", office["admin"])
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=WIB), tick=False):
        engine.advance(aduan, "verify_opd", office["admin"], unit=office["pu"])
        client.force_login(office["admin"])
        page = client.get(reverse("aduan:staf_detail", args=[aduan.kode])).content.decode()
    # Step 2 was done in time, step 3 (15 menit) an hour late; step 4 is not yet due.
    assert page.count("lencana-terlambat") == 1 and page.count("tepat waktu") == 1
