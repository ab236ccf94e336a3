"""The public information register in a real browser, from both ends.

One item goes through a consequence test to the exempt list: a visitor first reads its summary
and downloads its document; the unit's PPID Pelaksana proposes it for exemption, the PPID Utama
runs the test, the Atasan PPID sends it back once for another test and then approves, the PPID
Utama issues the Surat Penetapan, the Pelaksana attaches the reasons and the PPID Utama lists
it; the PPID Utama reads every field Perki 1/2017 Pasal 4(4) requires on the Surat Penetapan;
a visitor on a phone then sees only the title, the Pasal 17 ground and the period, finds it in
the Daftar Informasi yang Dikecualikan, and the old document address answers 404.

Another item goes through the announcement SOP: started by the Bidang, drafted with a PDF by
the unit's PPID Pelaksana, returned once by the PPID Utama with a note, verified, authorised,
updated and published by the Operator; a visitor on a phone reads it on the announcements page
and downloads it from the register. A serta merta announcement is marked urgent in the queue.

axe audits the public pages at phone and desktop size and the staff pages where screenshots
are taken."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from publikasi.models import InformasiPublik, Pengumuman, UjiKonsekuensi
from sop.models import Task
from tests.factories import InformasiPublikFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.browser

UJI = "SRG-UJI-KONSEKUENSI"
PGM = "PTK-PENGUMUMAN"
# A minimal PDF: the upload's type is sniffed from its first bytes ("%PDF").
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# --- journey 1: the consequence test ------------------------------------------------------
JUDUL_DATA = "Data penerima bantuan sosial per desa 2026"
RINGKASAN_DATA = "Nama, NIK dan alamat 1.240 keluarga penerima bantuan sosial, per desa."
JUDUL_LAIN = "Rencana kerja Dinas Sosial 2026"
RINGKASAN_LAIN = "Program, kegiatan dan anggaran Dinas Sosial tahun 2026."
USULAN = "Memuat NIK dan alamat penerima bantuan; bila dibuka, data pribadi 1.240 keluarga tersebar."
KONSEKUENSI = "Mengungkap rahasia pribadi penerima bantuan (NIK, alamat, kondisi ekonomi keluarga)."
KEPENTINGAN_1 = "Kepentingan publik terpenuhi oleh rekap per kecamatan."
KEPENTINGAN_2 = (
    "Kepentingan publik atas pengawasan penyaluran bantuan terpenuhi oleh rekap jumlah penerima dan "
    "nilai bantuan per desa yang tetap terbuka; membuka data per orang tidak menambah manfaat bagi publik."
)
BERITA_ACARA = "Rapat uji konsekuensi 20 November 2026 di ruang rapat Diskominfo, dihadiri 6 orang."
CATATAN_UJI_ULANG = "Uraikan pertimbangan Pasal 19: mengapa rekap per desa sudah memenuhi kepentingan publik."
NOMOR = "480/12/PPID/2026"
LAMPIRAN = "Daftar 1.240 penerima bantuan memuat NIK, alamat dan kondisi ekonomi keluarga."

# --- journey 2: the announcement ---------------------------------------------------------
JUDUL_PGM = "Laporan penyaluran bantuan sosial semester II 2026"
SURAT = "Mohon PPID Pelaksana Dinas Sosial menyiapkan laporan penyaluran bantuan sosial semester II 2026."
RINGKASAN_PGM = "Rekap penyaluran bantuan sosial semester II 2026."
ISI_1 = "Penyaluran bantuan sosial semester II 2026 kepada 12.400 keluarga."
ISI_2 = (
    "Penyaluran bantuan sosial semester II 2026: 12.400 keluarga penerima manfaat di 6 kecamatan, "
    "dengan nilai Rp 7,4 miliar. Rincian per kecamatan ada dalam dokumen."
)
CATATAN_KEMBALI = "Lengkapi rincian jumlah penerima per kecamatan dan nilai bantuan."
PERIODE = "Semester II 2026"
PJ = "Kepala Bidang Perlindungan dan Jaminan Sosial"


def lima_tahun(sejak, tahun=5):
    try:
        return sejak.replace(year=sejak.year + tahun)
    except ValueError:  # 29 February
        return date(sejak.year + tahun, 3, 1)


def aksi(page, tombol):
    """The form of one action on the case page, found by its button."""
    return page.locator("form.aksi").filter(has=page.get_by_role("button", name=tombol, exact=True))


def lakukan(page, tombol, tahap_baru):
    """Press an action's button; the case page comes back with no error, at the new stage."""
    with page.expect_navigation():
        page.get_by_role("button", name=tombol, exact=True).click()
    expect(page.locator("#galat, .galat")).to_have_count(0)
    expect(page.locator("#tahap")).to_have_text(tahap_baru)


def buka(page, kode):
    """From the officer's queue ("Antrian saya") to the case page."""
    expect(page.locator("#antrian")).to_contain_text(kode)
    page.locator("#antrian").get_by_role("link", name=kode).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(kode)


def isian(scope, judul):
    """The value (<dd>) a description list gives for ``judul`` (its <dt>)."""
    return scope.locator(f"xpath=.//dt[normalize-space()='{judul}']/following-sibling::dd[1]")


def unduh(page, tautan):
    """Click a download link; the bytes that arrived."""
    with page.expect_download() as info:
        tautan.click()
    return Path(info.value.path()).read_bytes()


@pytest.fixture
def petugas_uji(sops):
    """The unit and one user per lane of the consequence-test SOP, as tests/publikasi/test_uji.py."""
    dinsos = UnitFactory(nama="Dinas Sosial", singkatan="Dinsos")
    return {
        "unit": dinsos,
        "pelaksana": UserFactory(username="pelaksana_sos", first_name="PPID Pelaksana Dinsos",
                                 lanes=(UJI, "ppid_pelaksana"), units=[dinsos]),
        "utama": UserFactory(username="ppid_utama", first_name="Rahmat", last_name="Hidayat",
                             lanes=(UJI, "ppid_utama")),
        "atasan": UserFactory(username="atasan_ppid", first_name="Bambang", last_name="Sutrisno",
                              lanes=(UJI, "atasan_ppid")),
    }


@pytest.fixture
def petugas_pengumuman(sops):
    """The unit and one user per lane of the announcement SOP, as tests/publikasi/test_pengumuman.py."""
    dinsos = UnitFactory(nama="Dinas Sosial", singkatan="Dinsos")
    return {
        "unit": dinsos,
        "bidang": UserFactory(username="bidang_plip", first_name="Bidang PLIP", lanes=(PGM, "bidang_plip")),
        "pelaksana": UserFactory(username="pelaksana_sos", first_name="PPID Pelaksana Dinsos",
                                 lanes=(PGM, "ppid_pelaksana"), units=[dinsos]),
        "utama": UserFactory(username="ppid_utama", first_name="Sri", last_name="Wahyuni", lanes=(PGM, "ppid_utama")),
        "operator": UserFactory(username="operator_ppid", first_name="Operator PPID",
                                lanes=(PGM, "operator_ppid")),
    }


def test_an_item_goes_through_a_consequence_test_with_one_retest_to_the_exempt_list(
    live_server, new_page, masuk, petugas_uji, screenshot, a11y
):
    unit = petugas_uji["unit"]
    hari_ini = timezone.localdate()
    item = InformasiPublikFactory(unit=unit, judul=JUDUL_DATA, ringkasan=RINGKASAN_DATA, kelas="setiap_saat",
                                  diterbitkan=hari_ini - timedelta(days=40), berkas_jenis="application/pdf")
    item.berkas.save("data-penerima.pdf", ContentFile(PDF))
    lain = InformasiPublikFactory(unit=unit, judul=JUDUL_LAIN, ringkasan=RINGKASAN_LAIN, kelas="berkala",
                                  periode="Tahun 2026", diterbitkan=hari_ini - timedelta(days=60))
    berkas_url = f"{live_server.url}/informasi-publik/{item.pk}/berkas/"
    sampai = lima_tahun(hari_ini)
    kode = None

    # A visitor reads the item's summary in the register and downloads its document.
    pengunjung = new_page("desktop")
    pengunjung.goto(live_server.url + "/")
    pengunjung.get_by_role("navigation").get_by_role("link", name="Informasi publik").click()
    expect(pengunjung).to_have_url(f"{live_server.url}/informasi-publik/")
    kartu = pengunjung.get_by_role("article").filter(has=pengunjung.get_by_role("heading", name=JUDUL_DATA))
    expect(kartu).to_have_id(f"informasi-{item.pk}")
    expect(kartu).to_contain_text("Informasi tersedia setiap saat · Dinas Sosial")
    expect(kartu).to_contain_text(RINGKASAN_DATA)
    expect(kartu.get_by_role("link", name="Unduh dokumen")).to_have_attribute(
        "href", f"/informasi-publik/{item.pk}/berkas/")
    assert unduh(pengunjung, kartu.get_by_role("link", name="Unduh dokumen")) == PDF
    screenshot(pengunjung, "dip-sebelum-desktop")

    # The unit's PPID Pelaksana proposes it for exemption.
    with masuk(petugas_uji["pelaksana"]) as pelaksana:
        pelaksana.get_by_role("navigation").get_by_role("link", name="Uji konsekuensi").click()
        expect(pelaksana).to_have_url(f"{live_server.url}/staf/uji-konsekuensi/")
        pelaksana.get_by_role("link", name="Usulan uji konsekuensi baru").click()
        expect(pelaksana).to_have_url(f"{live_server.url}/staf/uji-konsekuensi/baru/")
        expect(pelaksana.get_by_role("heading", level=1)).to_have_text("Usulan uji konsekuensi")
        pelaksana.get_by_label("Informasi yang diusulkan dikecualikan").select_option(label=JUDUL_DATA)
        pelaksana.get_by_label("Pemicu pengujian").select_option(label="Sebelum ada permohonan (proaktif)")
        with pelaksana.expect_navigation():
            pelaksana.get_by_role("button", name="Buka usulan").click()
        expect(pelaksana).to_have_url(re.compile(r"/staf/uji-konsekuensi/UJI-[A-Z0-9-]+/$"))
        kode = pelaksana.get_by_role("heading", level=1).inner_text().strip()
        expect(pelaksana.locator("#tahap")).to_have_text("Identifikasi dan penyusunan usulan")
        expect(pelaksana.locator(".data")).to_contain_text(JUDUL_DATA)
        expect(pelaksana.locator(".data")).to_contain_text("Sebelum ada permohonan (proaktif)")
        usulan = aksi(pelaksana, "Ajukan usulan pengecualian ke PPID Utama")
        usulan.locator("[name='submit_proposal-usulan_alasan']").fill(USULAN)
        lakukan(pelaksana, "Ajukan usulan pengecualian ke PPID Utama", "Uji konsekuensi oleh PPID Utama")
        expect(pelaksana.locator(".data")).to_contain_text(USULAN)
        expect(pelaksana.locator("#aksi")).to_have_count(0)

    def uji(page, kepentingan):
        """The PPID Utama records the test and submits it to the Atasan."""
        hasil = aksi(page, "Selesaikan uji dan ajukan ke Atasan PPID")
        hasil.locator("[name='complete_test-pasal']").select_option("h")
        hasil.locator("[name='complete_test-konsekuensi']").fill(KONSEKUENSI)
        hasil.locator("[name='complete_test-kepentingan_publik']").fill(kepentingan)
        hasil.locator("[name='complete_test-jangka_tahun']").fill("5")
        hasil.locator("[name='complete_test-berita_acara']").fill(BERITA_ACARA)
        lakukan(page, "Selesaikan uji dan ajukan ke Atasan PPID", "Menunggu persetujuan Atasan PPID")
        expect(page.locator(".data")).to_contain_text("Pasal 17 huruf h: mengungkap rahasia pribadi")
        expect(page.locator(".data")).to_contain_text(kepentingan)

    # The PPID Utama runs the test.
    with masuk(petugas_uji["utama"]) as utama:
        buka(utama, kode)
        expect(utama.locator(".data")).to_contain_text(USULAN)
        uji(utama, KEPENTINGAN_1)

    # The Atasan PPID finds the public-interest reasoning thin and asks for another test.
    with masuk(petugas_uji["atasan"]) as atasan:
        buka(atasan, kode)
        expect(aksi(atasan, "Setujui pengecualian")).to_be_visible()
        expect(aksi(atasan, "Tolak: informasi tetap terbuka")).to_be_visible()
        screenshot(atasan, "staf-uji-persetujuan-desktop")
        a11y.check(atasan, "the consequence test at the Atasan's approval")
        aksi(atasan, "Uji ulang").get_by_label("Alasan / catatan").fill(CATATAN_UJI_ULANG)
        lakukan(atasan, "Uji ulang", "Uji konsekuensi oleh PPID Utama")

    # The PPID Utama reads why, above the test form, and tests again.
    with masuk(petugas_uji["utama"]) as utama:
        buka(utama, kode)
        kembali = utama.get_by_role("region", name="Dikembalikan untuk uji ulang")
        expect(kembali).to_contain_text(CATATAN_UJI_ULANG)
        expect(kembali).to_contain_text("Atasan PPID / Tim Pertimbangan (Bambang Sutrisno)")
        screenshot(utama, "staf-uji-ulang-desktop")
        a11y.check(utama, "the consequence test returned for another test")
        jejak = utama.locator("section", has=utama.get_by_role("heading", name="Jejak langkah"))
        expect(jejak.locator("tbody tr", has_text="Uji ulang")).to_contain_text(CATATAN_UJI_ULANG)
        uji(utama, KEPENTINGAN_2)

    # The Atasan approves.
    with masuk(petugas_uji["atasan"]) as atasan:
        buka(atasan, kode)
        expect(atasan.locator(".data")).to_contain_text(KEPENTINGAN_2)
        lakukan(atasan, "Setujui pengecualian", "Pengecualian disetujui; penyusunan Surat Penetapan")

    # The PPID Utama issues the Surat Penetapan.
    with masuk(petugas_uji["utama"]) as utama:
        buka(utama, kode)
        penetapan = aksi(utama, "Terbitkan Surat Penetapan")
        penetapan.locator("[name='issue_determination-nomor']").fill(NOMOR)
        expect(penetapan.locator("[name='issue_determination-tempat']")).to_have_value("Serang")
        penetapan.locator("[name='issue_determination-tempat']").fill("Serang")
        penetapan.locator("[name='issue_determination-tanggal']").fill(hari_ini.isoformat())
        lakukan(utama, "Terbitkan Surat Penetapan", "Surat Penetapan terbit; melengkapi lampiran alasan")
        expect(utama.locator(".data").get_by_role("link", name=NOMOR)).to_be_visible()

    # The Pelaksana attaches the reasons.
    with masuk(petugas_uji["pelaksana"]) as pelaksana:
        buka(pelaksana, kode)
        aksi(pelaksana, "Lengkapi lampiran alasan").locator("[name='attach_reasons-lampiran_alasan']").fill(LAMPIRAN)
        lakukan(pelaksana, "Lengkapi lampiran alasan", "Penetapan lengkap; pencantuman di DIK")

    # The PPID Utama lists the item in the DIK and reads the Surat Penetapan.
    with masuk(petugas_uji["utama"]) as utama:
        buka(utama, kode)
        lakukan(utama, "Cantumkan dalam Daftar Informasi yang Dikecualikan",
                "Tercantum dalam Daftar Informasi yang Dikecualikan")
        expect(utama.locator("#aksi")).to_have_count(0)
        with utama.expect_navigation():
            utama.locator(".data").get_by_role("link", name=NOMOR).click()
        expect(utama).to_have_url(f"{live_server.url}/staf/uji-konsekuensi/{kode}/penetapan/")
        surat = utama.locator("#penetapan")
        expect(surat.get_by_role("heading", level=1)).to_have_text(f"Nomor {NOMOR}")
        expect(isian(surat, "Jenis klasifikasi")).to_have_text(
            "Informasi yang dikecualikan menurut UU 14/2008 Pasal 17 huruf h: mengungkap rahasia pribadi")
        expect(isian(surat, "Informasi")).to_have_text(JUDUL_DATA)
        expect(isian(surat, "PPID yang menetapkan")).to_have_text("Rahmat Hidayat, PPID Utama")
        expect(isian(surat, "Badan publik / unit kerja")).to_have_text(unit.nama)
        expect(isian(surat, "Jangka waktu pengecualian")).to_have_text(f"5 tahun, sampai {sampai:%d-%m-%Y}")
        expect(isian(surat, "Alasan pengecualian")).to_contain_text(KONSEKUENSI)
        expect(isian(surat, "Alasan pengecualian")).to_contain_text(f"Lampiran: {LAMPIRAN}")
        expect(isian(surat, "Pertimbangan kepentingan publik")).to_have_text(KEPENTINGAN_2)
        expect(isian(surat, "Tempat dan tanggal")).to_have_text(f"Serang, {hari_ini:%d-%m-%Y}")
        screenshot(utama, "staf-uji-penetapan-desktop")
        a11y.check(utama, "the Surat Penetapan")

    uji_kasus = UjiKonsekuensi.objects.get(kode=kode)
    assert (uji_kasus.state, uji_kasus.pasal, uji_kasus.jangka_tahun, uji_kasus.pejabat_ppid) == (
        "listed_in_dik", "h", 5, petugas_uji["utama"])
    steps = list(Task.objects.of_case(uji_kasus).order_by("id").values_list("step__nomor", flat=True))
    assert steps == ["1", "2", "3", "2", "3", "4", "5", "6"]
    item.refresh_from_db()
    assert (item.kelas, item.dasar_pengecualian, item.dikecualikan_sampai) == (
        "dikecualikan", "UU 14/2008 Pasal 17 huruf h", sampai)

    # A visitor on a phone now sees only the title, the ground and the period: no summary, no document.
    warga = new_page("phone")
    warga.goto(live_server.url + "/informasi-publik/")
    kartu = warga.locator(f"#informasi-{item.pk}")
    expect(kartu.get_by_role("heading", level=2)).to_have_text(JUDUL_DATA)
    expect(kartu).to_contain_text("Informasi yang dikecualikan · Dinas Sosial")
    expect(isian(kartu, "Dasar hukum pengecualian")).to_have_text("UU 14/2008 Pasal 17 huruf h")
    expect(isian(kartu, "Dikecualikan sampai")).to_have_text(f"{sampai:%d-%m-%Y}")
    expect(kartu).not_to_contain_text(RINGKASAN_DATA)
    expect(kartu.get_by_role("link")).to_have_count(0)
    expect(warga.locator("body")).not_to_contain_text(RINGKASAN_DATA)
    assert f"/informasi-publik/{item.pk}/berkas/" not in warga.content()
    # ...while the other item of the unit stays fully public.
    expect(warga.locator(f"#informasi-{lain.pk}")).to_contain_text(RINGKASAN_LAIN)
    a11y.check(warga, "informasi publik with an exempt item (phone)")
    screenshot(warga, "dip-phone")

    # An exempt item's summary is not searchable either.
    warga.get_by_role("textbox", name="Cari").fill("NIK")
    with warga.expect_navigation():
        warga.get_by_role("button", name="Cari").click()
    expect(warga.locator(".dip-item")).to_have_count(0)
    expect(warga.get_by_text("Tidak ada informasi yang cocok.")).to_be_visible()

    # The DIK lists it.
    warga.goto(live_server.url + "/informasi-publik/")
    warga.get_by_role("main").get_by_role("link", name="Daftar Informasi yang Dikecualikan").click()
    expect(warga).to_have_url(f"{live_server.url}/informasi-publik/dikecualikan/")
    baris = warga.locator(f"#dik-{item.pk}")
    expect(baris.locator("td")).to_have_text([JUDUL_DATA, unit.nama, "UU 14/2008 Pasal 17 huruf h",
                                              f"{sampai:%d-%m-%Y}"])
    expect(warga.locator("tbody tr")).to_have_count(1)
    a11y.check(warga, "informasi yang dikecualikan (phone)")
    screenshot(warga, "dik-phone")

    # The document's old address is gone, for a fetch and for a visit.
    assert warga.request.get(berkas_url).status == 404
    assert warga.goto(berkas_url).status == 404

    layar = new_page("desktop")
    layar.goto(live_server.url + "/informasi-publik/")
    expect(layar.locator(f"#informasi-{item.pk}")).to_contain_text("Pasal 17 huruf h")
    a11y.check(layar, "informasi publik with an exempt item (desktop)")
    screenshot(layar, "dip-desktop")
    layar.goto(live_server.url + "/informasi-publik/dikecualikan/")
    expect(layar.locator(f"#dik-{item.pk}")).to_contain_text(JUDUL_DATA)
    a11y.check(layar, "informasi yang dikecualikan (desktop)")
    screenshot(layar, "dik-desktop")
    assert layar.request.get(berkas_url).status == 404

    a11y.assert_clean()


def test_an_announcement_goes_from_coordination_to_the_public_page_with_one_return(
    live_server, new_page, masuk, petugas_pengumuman, screenshot, a11y
):
    unit = petugas_pengumuman["unit"]
    kode = None

    # The Bidang starts the update cycle and sends the coordination letter.
    with masuk(petugas_pengumuman["bidang"]) as bidang:
        bidang.get_by_role("navigation").get_by_role("link", name="Pengumuman").click()
        expect(bidang).to_have_url(f"{live_server.url}/staf/pengumuman/")
        bidang.get_by_role("link", name="Pemutakhiran baru").click()
        expect(bidang).to_have_url(f"{live_server.url}/staf/pengumuman/baru/")
        bidang.get_by_label("Judul informasi").fill(JUDUL_PGM)
        bidang.get_by_label("Jenis informasi").select_option(label="Berkala")
        bidang.get_by_label("Unit (PPID Pelaksana) yang menyiapkan").select_option(label=unit.nama)
        screenshot(bidang, "staf-pengumuman-baru-desktop")
        a11y.check(bidang, "the new announcement form")
        with bidang.expect_navigation():
            bidang.get_by_role("button", name="Mulai pemutakhiran").click()
        expect(bidang).to_have_url(re.compile(r"/staf/pengumuman/PGM-[A-Z0-9-]+/$"))
        kode = bidang.get_by_role("heading", level=1).inner_text().strip()
        expect(bidang.locator("#tahap")).to_have_text("Pemutakhiran dimulai; koordinasi pengumpulan")
        aksi(bidang, "Kirim surat koordinasi ke PPID Pelaksana").locator(
            "[name='request_collection-surat_koordinasi']").fill(SURAT)
        lakukan(bidang, "Kirim surat koordinasi ke PPID Pelaksana", "PPID Pelaksana menyiapkan informasi")
        expect(bidang.locator("#tugas")).to_contain_text(unit.nama)

    def rancangan(page, isi, berkas=False):
        form = aksi(page, "Ajukan rancangan ke PPID Utama")
        form.locator("[name='submit_draft-ringkasan']").fill(RINGKASAN_PGM)
        form.locator("[name='submit_draft-isi']").fill(isi)
        form.locator("[name='submit_draft-periode']").fill(PERIODE)
        form.locator("[name='submit_draft-penanggung_jawab']").fill(PJ)
        if berkas:
            form.locator("[name='submit_draft-berkas']").set_input_files(
                files=[{"name": "penyaluran-bansos.pdf", "mimeType": "application/pdf", "buffer": PDF}])
        lakukan(page, "Ajukan rancangan ke PPID Utama", "Diklasifikasi dan diverifikasi PPID Utama")

    # The unit's PPID Pelaksana drafts the information with its document.
    with masuk(petugas_pengumuman["pelaksana"]) as pelaksana:
        buka(pelaksana, kode)
        expect(pelaksana.locator(".data")).to_contain_text(SURAT)
        rancangan(pelaksana, ISI_1, berkas=True)
        expect(pelaksana.locator(".data").get_by_role("link", name="Unduh dokumen")).to_be_visible()

    # The PPID Utama returns it with a note.
    with masuk(petugas_pengumuman["utama"]) as utama:
        buka(utama, kode)
        expect(utama.locator(".data")).to_contain_text(ISI_1)
        aksi(utama, "Kembalikan ke PPID Pelaksana").get_by_label("Alasan / catatan").fill(CATATAN_KEMBALI)
        lakukan(utama, "Kembalikan ke PPID Pelaksana", "PPID Pelaksana menyiapkan informasi")

    # The Pelaksana reads the note, finds the draft as sent, completes it and resubmits.
    with masuk(petugas_pengumuman["pelaksana"]) as pelaksana:
        buka(pelaksana, kode)
        kembali = pelaksana.get_by_role("region", name="Rancangan dikembalikan untuk diperbaiki")
        expect(kembali).to_contain_text(CATATAN_KEMBALI)
        expect(kembali).to_contain_text("PPID Utama (Sri Wahyuni)")
        form = aksi(pelaksana, "Ajukan rancangan ke PPID Utama")
        expect(form.locator("[name='submit_draft-isi']")).to_have_value(ISI_1)
        expect(form.locator("[name='submit_draft-periode']")).to_have_value(PERIODE)
        screenshot(pelaksana, "staf-pengumuman-dikembalikan-desktop")
        a11y.check(pelaksana, "the announcement returned to the unit")
        rancangan(pelaksana, ISI_2)
        expect(pelaksana.locator("#catatan-kembali")).to_have_count(0)

    # The PPID Utama classifies and verifies it.
    with masuk(petugas_pengumuman["utama"]) as utama:
        buka(utama, kode)
        expect(utama.locator(".data")).to_contain_text(ISI_2)
        verifikasi = aksi(utama, "Klasifikasi dan verifikasi")
        expect(verifikasi.locator("[name='verify-jenis']")).to_have_value("berkala")
        verifikasi.locator("[name='verify-jenis']").select_option("berkala")
        lakukan(utama, "Klasifikasi dan verifikasi", "Terverifikasi PPID Utama")

    # The Bidang authorises publication.
    with masuk(petugas_pengumuman["bidang"]) as bidang:
        buka(bidang, kode)
        lakukan(bidang, "Setujui untuk dipublikasikan", "Siap dipublikasikan")

    # The Operator updates the berkala content and publishes.
    with masuk(petugas_pengumuman["operator"]) as operator:
        buka(operator, kode)
        lakukan(operator, "Perbarui konten informasi berkala", "Konten diperbarui")
        lakukan(operator, "Publikasikan", "Dipublikasikan")
        expect(operator.locator("#aksi")).to_have_count(0)

    pengumuman = Pengumuman.objects.get(kode=kode)
    assert (pengumuman.state, pengumuman.isi, pengumuman.berkas_jenis) == ("published", ISI_2, "application/pdf")
    steps = list(Task.objects.of_case(pengumuman).order_by("id").values_list("step__nomor", flat=True))
    assert steps[:2] == ["1", "2"] and steps.count("3") == 2 and steps[-1] == "7", steps
    item = InformasiPublik.objects.get(pk=pengumuman.informasi_id)
    assert (item.kelas, item.unit, item.periode, item.bentuk) == ("berkala", unit, PERIODE, "dokumen")

    # A visitor on a phone reads it on the announcements page and downloads the document.
    warga = new_page("phone")
    warga.goto(live_server.url + "/")
    warga.get_by_role("navigation").get_by_role("link", name="Pengumuman").click()
    expect(warga).to_have_url(f"{live_server.url}/pengumuman/")
    kartu = warga.locator(f"#pengumuman-{kode}")
    expect(kartu.get_by_role("heading", level=2)).to_have_text(JUDUL_PGM)
    expect(kartu).to_contain_text(f"Berkala · {unit.nama} · {timezone.localdate():%d-%m-%Y}")
    expect(kartu).to_contain_text(ISI_2)
    expect(kartu).to_contain_text(f"Periode {PERIODE} · penanggung jawab {PJ}")
    assert unduh(warga, kartu.get_by_role("link", name="Unduh dokumen")) == PDF
    a11y.check(warga, "pengumuman (phone)")
    screenshot(warga, "pengumuman-phone")

    # ...and finds it in the register, with its document.
    warga.get_by_role("main").get_by_role("link", name="Daftar Informasi Publik").click()
    expect(warga).to_have_url(f"{live_server.url}/informasi-publik/")
    dip = warga.locator(f"#informasi-{item.pk}")
    expect(dip.get_by_role("heading", level=2)).to_have_text(JUDUL_PGM)
    expect(dip).to_contain_text(f"Informasi berkala · {unit.nama}")
    expect(dip).to_contain_text(RINGKASAN_PGM)
    assert unduh(warga, dip.get_by_role("link", name="Unduh dokumen")) == PDF
    screenshot(warga, "dip-pengumuman-phone")

    layar = new_page("desktop")
    layar.goto(live_server.url + "/pengumuman/")
    expect(layar.locator(f"#pengumuman-{kode}")).to_contain_text(ISI_2)
    a11y.check(layar, "pengumuman (desktop)")
    screenshot(layar, "pengumuman-desktop")

    a11y.assert_clean()


def test_a_serta_merta_announcement_is_marked_urgent_in_the_bidangs_queue(
    live_server, masuk, petugas_pengumuman, screenshot, a11y
):
    unit = petugas_pengumuman["unit"]
    with masuk(petugas_pengumuman["bidang"]) as bidang:
        bidang.goto(f"{live_server.url}/staf/pengumuman/baru/")
        bidang.get_by_label("Judul informasi").fill("Peringatan dini banjir Sungai Kapuas")
        bidang.get_by_label("Jenis informasi").select_option(label="Serta merta")
        bidang.get_by_label("Unit (PPID Pelaksana) yang menyiapkan").select_option(label=unit.nama)
        with bidang.expect_navigation():
            bidang.get_by_role("button", name="Mulai pemutakhiran").click()
        kode = bidang.get_by_role("heading", level=1).inner_text().strip()
        expect(bidang.get_by_role("status").filter(has_text="Informasi serta merta")).to_contain_text(
            "wajib diumumkan tanpa penundaan")

        bidang.get_by_role("navigation").get_by_role("link", name="Antrian saya").click()
        expect(bidang).to_have_url(f"{live_server.url}/staf/")
        baris = bidang.locator("#antrian tbody tr", has_text=kode)
        expect(baris.locator(".lencana", has_text="mendesak")).to_be_visible()
        expect(baris).to_contain_text("Serta merta: Peringatan dini banjir Sungai Kapuas")

        bidang.get_by_role("navigation").get_by_role("link", name="Pengumuman").click()
        baris = bidang.locator("tbody tr", has_text=kode)
        expect(baris.locator(".lencana")).to_have_text("serta merta")
        screenshot(bidang, "staf-pengumuman-daftar-desktop")
        a11y.check(bidang, "the announcement list with a serta merta item")
    a11y.assert_clean()
