"""The case archive PDF: what it says, read back from the PDF, and who may have it."""

import re

import pytest
from django.urls import reverse

from opini.models import Opini
from publikasi.models import Pengumuman
from sop import services as engine
from sop.models import Task

from .conftest import aduan_selesai, teks_pdf

pytestmark = pytest.mark.django_db


def unduh(client, user, case):
    client.force_login(user)
    return client.get(reverse("arsip:kasus_pdf", args=[case.SOP_KODE, case.kode]))


def test_the_case_pdf_holds_the_sop_the_data_the_attachments_and_every_step_with_its_timing(client, kantor):
    aduan = aduan_selesai(kantor)
    response = unduh(client, kantor["admin"], aduan)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"arsip-{aduan.kode}.pdf" in response["Content-Disposition"]
    text = teks_pdf(response.content)

    assert "Layanan Aduan Masyarakat Kabupaten Demak" in text
    assert "Nomor SOP: DINKOMINFO/4/1/32/2020" in text
    assert aduan.kode in text and "Diarsipkan" in text and "Dinas Pekerjaan Umum" in text
    assert "Dibuka 23-11-2026 09:00 WIB" in text and "Ditutup 23-11-2026 11:38 WIB" in text  # WIB, not UTC
    assert "Lampu penerangan jalan di perempatan Bintoro" in text  # the model's own field
    assert "Lampu diganti hari Rabu oleh UPT PJU." in text
    assert "foto-lampu-mati.jpg" in text and "image/jpeg" in text and "2,0 KB" in text

    # Every Task is a row: 8 steps, the lanes, who acted, the notes.
    assert Task.objects.of_case(aduan).count() == 8
    assert "8 langkah, 1 terlambat" in text
    for lane in ("Pengadu", "Admin Koordinator", "OPD/BUMD", "Pejabat Penghubung"):
        assert lane in text
    assert "Rina Admin" in text and "Budi Opd" in text and "Sari Penghubung" in text
    assert "Aduan jelas dan lengkap." in text and "Nomor agenda 045/112." in text
    # Step 3 (15 minutes) took 55 minutes: late; step 2 (max 3 hari) took 5 minutes: on time.
    late_row = re.search(r"15 menit 55 menit terlambat", text)
    assert late_row, text
    assert re.search(r"max 3 hari 5 menit tepat waktu", text)
    assert text.count("tepat waktu") == 6  # steps 2, 4, 5, 6, 7, 8; the creating step has no standard


def test_a_confidential_identity_is_printed_only_for_a_lane_that_may_see_it(client, kantor):
    aduan = aduan_selesai(kantor, rahasia=True, nama="Siti Aminah", email="siti@contoh.id", telepon="081234567890")
    opd_text = teks_pdf(unduh(client, kantor["opd"], aduan).content)
    assert "Siti Aminah" not in opd_text and "siti@contoh.id" not in opd_text and "081234567890" not in opd_text
    assert "Pengadu Dirahasiakan" in opd_text
    assert "Lampu diganti hari Rabu" in opd_text  # the rest of the case is there

    for allowed in (kantor["admin"], kantor["pimpinan"]):
        text = teks_pdf(unduh(client, allowed, aduan).content)
        assert "Siti Aminah" in text and "siti@contoh.id" in text and "081234567890" in text and "(rahasia)" in text


def test_an_anonymous_complaint_says_so_to_everyone(client, kantor):
    aduan = aduan_selesai(kantor, anonim=True)
    text = teks_pdf(unduh(client, kantor["admin"], aduan).content)
    assert "Anonim (identitas tidak disimpan)" in text and "Siti Aminah" not in text


def test_an_officer_who_may_not_open_the_case_gets_404_as_on_the_case_page(client, kantor):
    aduan = aduan_selesai(kantor)
    other_unit = kantor["opd_kes"]
    assert unduh(client, other_unit, aduan).status_code == 404
    assert client.get(reverse("aduan:staf_detail", args=[aduan.kode])).status_code == 404
    # Unknown codes and unknown SOPs are the same 404.
    client.force_login(kantor["admin"])
    assert client.get(reverse("arsip:kasus_pdf", args=["DMK-ADUAN", "ADU-XXXX-XXXX-XXXX"])).status_code == 404
    assert client.get(reverse("arsip:kasus_pdf", args=["TIDAK-ADA", aduan.kode])).status_code == 404
    client.logout()
    assert client.get(reverse("arsip:kasus_pdf", args=[aduan.SOP_KODE, aduan.kode])).status_code == 302


def test_the_case_page_header_links_to_the_archive(client, kantor):
    aduan = aduan_selesai(kantor)
    client.force_login(kantor["admin"])
    page = client.get(reverse("aduan:staf_detail", args=[aduan.kode])).content.decode()
    assert reverse("arsip:kasus_pdf", args=["DMK-ADUAN", aduan.kode]) in page


def test_every_workflow_has_a_case_archive(client, sops):
    """The arsip app finds the five case models by their SOP (and, under the test settings, the
    test-only workflow's), and the default hook prints each one's own fields."""
    from sop.models import case_models as model_kasus

    assert set(model_kasus()) == {"DMK-ADUAN", "CRB-OPINI", "BUNDER-MEDSOS", "SRG-UJI-KONSEKUENSI", "PTK-PENGUMUMAN",
                                  "UJI-CONTOH"}
    from tests.factories import OpiniFactory, UserFactory

    boss = UserFactory(username="super", is_superuser=True, is_staff=True)
    opini = engine.start(OpiniFactory(topik="Taman kota"), by=None)
    pengumuman = engine.start(Pengumuman(judul="Laporan realisasi anggaran 2026", jenis="berkala"))
    for case, expected in ((opini, ["Taman kota", "Instagram", "@warga_kejaksan", "20-11-2026"]),
                           (pengumuman, ["Laporan realisasi anggaran 2026", "Berkala"])):
        response = unduh(client, boss, case)
        assert response.status_code == 200
        text = teks_pdf(response.content)
        assert case.kode in text and "masih berjalan" in text and "berjalan" in text
        for value in expected:
            assert value in text, (value, text)
    assert isinstance(opini, Opini)


def test_a_publication_archive_holds_its_versions_decisions_and_links(client, sops):
    """The Publikasi hook adds what lives beside the case: the last draft, each review
    decision and the published links."""
    from tests.factories import UserFactory
    from tests.publikasi.alur import case_at

    people = {
        "ketua": UserFactory(username="ketua", first_name="Pak Ketua", lanes=("BUNDER-MEDSOS", "ketua_ppid")),
        "seksi": UserFactory(username="seksi", first_name="Bu Seksi", lanes=("BUNDER-MEDSOS", "seksi_pddi")),
        "admin": UserFactory(username="admin_medsos", lanes=("BUNDER-MEDSOS", "admin_medsos")),
    }
    publikasi = case_at("completed", people)
    text = teks_pdf(unduh(client, people["seksi"], publikasi).content)
    assert "Nomor SOP: 01/KPTS/2024" in text and "Selesai" in text
    assert "Konsep versi 1 (terakhir)" in text and "Kerja bakti warga Padukuhan Bunder" in text
    assert "Persetujuan Ketua PPID versi 1 disetujui oleh Pak Ketua" in text
    assert "https://www.instagram.com/p/BunderKB1/" in text
    assert "Ditutup" in text and "masih berjalan" not in text
