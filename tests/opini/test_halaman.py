"""The monitor's capture form, the staff pages and the public page of answered opinions."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opini.models import Opini, normalise_url
from sop import services as engine
from tests.factories import OpiniFactory
from tests.opini.alur import case_at, data_for

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

FORM = {
    "platform": "instagram",
    "tautan": "https://www.instagram.com/p/CzAlunAlun01/?utm_source=ig_web_copy_link&igsh=abc",
    "akun": "@warga_kejaksan",
    "tanggal_posting": "2026-11-20",
    "teks": "Lampu taman di alun-alun sudah sebulan mati.",
    "topik": "Penerangan jalan umum",
}


def capture(client, **overrides):
    return client.post(reverse("opini:staf_baru"), {**FORM, **overrides})


def test_the_monitor_records_an_opinion_and_it_waits_for_step_2(client, people):
    client.force_login(people["pemantau"])
    response = capture(client, tangkapan_layar=SimpleUploadedFile("layar.png", PNG, "image/png"))
    assert response.status_code == 302
    opini = Opini.objects.get()
    assert response.url == opini.get_absolute_url()
    assert (opini.state, opini.dicatat_oleh, opini.tangkapan_jenis) == ("captured", people["pemantau"], "image/png")
    assert engine.open_task(opini).step.nomor == "2"
    shot = client.get(reverse("opini:staf_tangkapan", args=[opini.kode]))
    assert b"".join(shot.streaming_content) == PNG


def test_the_same_post_recorded_twice_is_caught_and_shown_not_duplicated(client, people):
    client.force_login(people["pemantau"])
    capture(client)
    first = Opini.objects.get()
    again = capture(client, tautan="http://instagram.com/p/CzAlunAlun01?igsh=zzz#komentar")
    assert again.status_code == 400
    page = again.content.decode()
    assert "sudah tercatat" in page and first.kode in page
    assert Opini.objects.count() == 1


@pytest.mark.parametrize("overrides, message", [
    ({"tautan": "bukan tautan"}, "Tautan tidak valid"),
    ({"tautan": "javascript:alert(1)"}, "Tautan tidak valid"),
    ({"tautan": "https://www.facebook.com/kota.cirebon/posts/1"}, "bukan alamat Instagram"),
    ({"platform": "myspace"}, "Platform yang dipilih tidak tersedia"),
    ({"tanggal_posting": "2999-01-01"}, "tidak boleh di masa depan"),
    ({"teks": ""}, "Isi opini wajib diisi"),
    ({"tangkapan_layar": SimpleUploadedFile("layar.png", b"<?php echo 1; ?>", "image/png")}, "harus berupa gambar"),
])
def test_bad_input_on_the_capture_form_is_refused_in_indonesian_and_nothing_is_saved(client, people, overrides,
                                                                                      message):
    client.force_login(people["pemantau"])
    response = capture(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Opini.objects.exists()


def test_a_website_post_may_be_on_any_host(client, people):
    client.force_login(people["pemantau"])
    response = capture(client, platform="website", tautan="https://cirebonkota.go.id/berita/aspirasi-warga/")
    assert response.status_code == 302


def test_links_to_one_post_normalise_to_one_name():
    assert normalise_url("https://m.facebook.com/story.php?id=9&story_fbid=5&fbclid=X") == \
        normalise_url("http://www.facebook.com/story.php?story_fbid=5&id=9")
    assert normalise_url("https://x.com/a/status/1") != normalise_url("https://x.com/a/status/2")


def test_only_the_monitor_may_open_the_capture_form(client, people):
    client.force_login(people["kasi"])
    response = client.get(reverse("opini:staf_baru"))
    assert response.status_code == 403
    assert "Pemantau Opini Publik" in response.content.decode()


def test_a_unit_officer_of_another_unit_gets_404_on_the_case_page(client, people):
    opini = case_at("awaiting_pd_response", people)
    client.force_login(people["pd_lain"])
    assert client.get(reverse("opini:staf_detail", args=[opini.kode])).status_code == 404
    client.force_login(people["pd"])
    page = client.get(reverse("opini:staf_detail", args=[opini.kode])).content.decode()
    assert "Kirim tanggapan" in page


def test_the_language_review_returns_the_answer_to_the_unit_with_a_note_from_the_page(client, people):
    opini = case_at("language_review", people)
    client.force_login(people["kasi"])
    url = reverse("opini:staf_aksi", args=[opini.kode, "request_pd_revision"])
    assert client.post(url, {"request_pd_revision-tahap": "language_review"}).status_code == 400
    response = client.post(url, {"request_pd_revision-tahap": "language_review",
                                 "request_pd_revision-catatan": "Kalimat kedua kurang santun."})
    assert response.status_code == 302
    opini.refresh_from_db()
    assert opini.state == "awaiting_pd_response"


def test_publishing_needs_a_real_link_on_the_chosen_platform(client, people):
    opini = case_at("response_ready", people)
    client.force_login(people["pemantau"])
    url = reverse("opini:staf_aksi", args=[opini.kode, "publish_and_archive"])
    bad = client.post(url, {"publish_and_archive-tahap": "response_ready", "publish_and_archive-dikirim_di": "instagram",
                            "publish_and_archive-tautan_balasan": "https://contoh.id/balas"})
    assert bad.status_code == 400 and "bukan alamat Instagram" in bad.content.decode()
    good = client.post(url, {"publish_and_archive-tahap": "response_ready", "publish_and_archive-dikirim_di": "instagram",
                             "publish_and_archive-tautan_balasan": "https://www.instagram.com/p/Balasan1/"})
    assert good.status_code == 302


def test_the_public_page_lists_answered_opinions_without_personal_handles(client, people):
    personal = engine.advance(case_at("response_ready", people), "publish_and_archive", people["pemantau"],
                              **data_for("publish_and_archive", people))
    org = engine.start(OpiniFactory(akun="@karangtaruna_kejaksan", akun_organisasi=True,
                                    teks="Mohon jadwal pengangkutan sampah di RW 05 diperjelas."), by=people["pemantau"])
    pending = engine.start(OpiniFactory(teks="Opini yang belum ditanggapi sama sekali."), by=people["pemantau"])
    page = client.get(reverse("opini:publik")).content.decode()
    assert "Lampu taman di alun-alun Kejaksan" in page and personal.unit.nama in page
    assert "Lampu taman diganti pekan ini oleh UPT PJU." in page
    assert "@warga_kejaksan" not in page
    assert "Opini yang belum ditanggapi" not in page and "pengangkutan sampah" not in page
    assert org.nama_akun_publik == "@karangtaruna_kejaksan" and pending.nama_akun_publik == ""
