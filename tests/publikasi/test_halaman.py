"""The staff pages of social-media publishing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from publikasi.models import PlatformMedsos, Publikasi
from sop import services as engine
from tests.publikasi.alur import CAPTION, case_at, platforms

pytestmark = pytest.mark.django_db

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
       b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def test_the_ketua_starts_a_publication_with_material(client, people):
    client.force_login(people["ketua"])
    response = client.post(reverse("publikasi:staf_baru"), {
        "judul": "Posyandu balita", "instruksi": "Unggah hari ini.", "bahan": "Kegiatan posyandu di Padukuhan Ngasem.",
        "berkas": [SimpleUploadedFile("foto.png", PNG, "image/png")]})
    publikasi = Publikasi.objects.get()
    assert response.status_code == 302 and response.url == publikasi.get_absolute_url()
    assert publikasi.state == "instructed" and publikasi.bahan_berkas.count() == 1
    item = publikasi.bahan_berkas.get()
    file = client.get(reverse("publikasi:staf_berkas", args=[publikasi.kode, "bahan", item.pk]))
    assert b"".join(file.streaming_content) == PNG


def test_the_instruction_form_answers_bad_input_in_indonesian(client, people):
    client.force_login(people["ketua"])
    response = client.post(reverse("publikasi:staf_baru"), {
        "judul": "", "instruksi": "x", "bahan": "y", "berkas": [SimpleUploadedFile("a.png", b"MZ\x90\x00", "image/png")]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Judul kegiatan wajib diisi." in page and "bukan PDF, JPG atau PNG" in page
    assert not Publikasi.objects.exists()
    client.force_login(people["seksi"])
    assert client.get(reverse("publikasi:staf_baru")).status_code == 403


def test_the_drafter_sees_the_reviewers_note_beside_the_draft_and_what_changed(client, people):
    publikasi = case_at("ketua_review", people)
    publikasi = engine.advance(publikasi, "ketua_reject", people["ketua"], versi=publikasi.versi_terbaru(),
                               note="Tambahkan jumlah peserta.")
    engine.advance(publikasi, "submit_draft", people["admin"], caption=CAPTION + " Diikuti 45 warga.",
                   platforms=platforms("instagram"), gambar=[])
    client.force_login(people["admin"])
    page = client.get(reverse("publikasi:staf_detail", args=[publikasi.kode])).content.decode()
    assert "Konsep versi 2" in page and "Versi sebelumnya" in page
    assert "Tambahkan jumlah peserta." in page
    assert "<ins>Diikuti 45 warga.</ins>" in page


def test_a_draft_form_starts_from_the_latest_version_and_refuses_an_overlong_caption(client, people):
    publikasi = case_at("section_review", people)
    engine.advance(publikasi, "section_return_for_revision", people["seksi"], versi=publikasi.versi_terbaru(),
                   note="Terlalu panjang untuk X.")
    client.force_login(people["admin"])
    page = client.get(reverse("publikasi:staf_detail", args=[publikasi.kode])).content.decode()
    assert CAPTION in page  # the form is pre-filled with version 1
    x = PlatformMedsos.objects.get(kode="x")
    response = client.post(reverse("publikasi:staf_aksi", args=[publikasi.kode, "submit_draft"]), {
        "submit_draft-tahap": "drafting", "submit_draft-caption": "b" * 281, "submit_draft-platforms": [x.pk]})
    assert response.status_code == 400
    assert "X: 281 dari 280 karakter" in response.content.decode()


def test_the_live_preview_warns_per_platform(client, people):
    publikasi = case_at("drafting", people)
    client.force_login(people["admin"])
    x, ig = PlatformMedsos.objects.get(kode="x"), PlatformMedsos.objects.get(kode="instagram")
    response = client.post(reverse("publikasi:staf_pratinjau", args=[publikasi.kode]), {
        "submit_draft-caption": "c" * 300, "submit_draft-platforms": [x.pk, ig.pk]}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "300 / 280 karakter" in page and "Melebihi batas 20 karakter." in page
    assert "300 / 2200 karakter" in page and page.count("Melebihi batas") == 1


def test_a_decision_posted_from_a_stale_page_is_refused(client, people):
    publikasi = case_at("section_review", people)
    stale = publikasi.versi_terbaru().pk
    publikasi = engine.advance(publikasi, "section_return_for_revision", people["seksi"],
                               versi=publikasi.versi_terbaru(), note="Perbaiki.")
    engine.advance(publikasi, "submit_draft", people["admin"], caption=CAPTION + " v2",
                   platforms=platforms("instagram"), gambar=[])
    client.force_login(people["seksi"])
    response = client.post(reverse("publikasi:staf_aksi", args=[publikasi.kode, "section_accept"]),
                           {"section_accept-tahap": "section_review", "section_accept-versi": stale})
    assert response.status_code == 409
    assert "versi 1 sudah diganti dengan versi 2" in response.content.decode()


def test_the_upload_form_asks_one_link_per_confirmed_platform_on_its_domain(client, people):
    publikasi = case_at("ready_to_upload", people)
    client.force_login(people["admin"])
    url = reverse("publikasi:staf_aksi", args=[publikasi.kode, "upload"])
    bad = client.post(url, {"upload-tahap": "ready_to_upload", "upload-tautan_instagram": "https://facebook.com/p/1",
                            "upload-tautan_website": "https://bunder-patuk.desa.id/a"})
    assert bad.status_code == 400 and "bukan alamat Instagram" in bad.content.decode()
    good = client.post(url, {"upload-tahap": "ready_to_upload", "upload-tautan_instagram": "https://instagram.com/p/1",
                             "upload-tautan_website": "https://bunder-patuk.desa.id/a"})
    assert good.status_code == 302
    publikasi.refresh_from_db()
    assert publikasi.state == "uploaded"


def test_other_offices_staff_cannot_open_a_publication(client, people):
    publikasi = case_at("drafting", people)
    client.force_login(people["pemantau"])
    assert client.get(reverse("publikasi:staf_detail", args=[publikasi.kode])).status_code == 404
    assert client.get(reverse("publikasi:staf_daftar")).status_code == 404


def test_a_line_break_counts_as_one_character_against_the_limit(client, people):
    publikasi = case_at("drafting", people)
    client.force_login(people["admin"])
    x = PlatformMedsos.objects.get(kode="x")
    caption = "a" * 140 + "\r\n" + "b" * 139  # 280 characters as the platform counts them
    response = client.post(reverse("publikasi:staf_aksi", args=[publikasi.kode, "submit_draft"]), {
        "submit_draft-tahap": "drafting", "submit_draft-caption": caption, "submit_draft-platforms": [x.pk]})
    assert response.status_code == 302
    assert len(publikasi.versi.get().caption) == 280
