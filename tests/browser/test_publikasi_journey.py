"""One social-media publication, from the Ketua PPID's instruction to closed, in a real browser:
instructed with a photo by the Ketua, passed on by the Seksi, drafted by the Admin Medsos with
the live preview warning that the caption is too long for X, accepted by the Seksi and
rejected once by the Ketua with a note; the Admin Medsos reads the note beside the draft and
resubmits a version 2 the Ketua reads as a diff and approves; the Seksi sets the platforms,
the Admin Medsos records the published links (refused once for a link on the wrong site), the
Seksi reports them and the Ketua closes the case. axe audits the case page at the drafting and
at the review steps."""

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from publikasi.models import Keputusan, PlatformMedsos, Publikasi, TautanUnggahan, Versi
from sop.models import Task
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

JUDUL = "Kerja bakti irigasi Padukuhan Bunder"
INSTRUKSI = "Mohon dipublikasikan di Instagram dan website kalurahan hari ini."
BAHAN = (
    "Minggu pagi warga Padukuhan Bunder bergotong royong membersihkan saluran irigasi sepanjang 800 meter "
    "menjelang musim tanam."
)
# Over X's 280 characters, well within Instagram's 2,200.
CAPTION_1 = (
    "Minggu pagi, 22 November 2026, warga Padukuhan Bunder bergotong royong membersihkan saluran irigasi "
    "sepanjang 800 meter yang mengairi sawah di sisi timur kalurahan. Lumpur dan sampah plastik yang "
    "menyumbat aliran diangkat bersama, sehingga air kembali lancar menjelang musim tanam. Terima kasih "
    "kepada seluruh warga yang hadir. #KalurahanBunder #GotongRoyong"
)
TAMBAHAN = "Kegiatan diikuti 45 warga dan perangkat kalurahan."
CAPTION_2 = f"{CAPTION_1} {TAMBAHAN}"
CATATAN_TOLAK = "Sebutkan jumlah warga yang ikut serta agar informasinya lengkap."
IG_SALAH = "https://www.facebook.com/kalurahanbunder/posts/kerja-bakti-irigasi"
IG = "https://www.instagram.com/p/BunderKerjaBakti1/"
WEB = "https://bunder-patuk.desa.id/berita/kerja-bakti-irigasi"


@pytest.fixture
def petugas_publikasi(sops):
    """One user per lane of the publishing SOP, as tests/publikasi/conftest.py; and the seeded
    platforms, which the flush after an earlier transactional (live_server) test removes."""
    importlib.import_module("publikasi.migrations.0002_platform_awal").seed(apps, None)
    return {
        "ketua": UserFactory(username="ketua", first_name="Pak Ketua", lanes=("BUNDER-MEDSOS", "ketua_ppid")),
        "seksi": UserFactory(username="seksi", first_name="Bu Seksi", lanes=("BUNDER-MEDSOS", "seksi_pddi")),
        "admin": UserFactory(username="admin_medsos", first_name="Admin Medsos",
                             lanes=("BUNDER-MEDSOS", "admin_medsos")),
    }


def test_a_publication_goes_from_instruction_to_closed_with_one_rejection_and_one_resubmission(
    live_server, masuk, petugas_publikasi, png, screenshot, a11y
):
    assert len(CAPTION_1) > PlatformMedsos.objects.get(kode="x").batas_karakter == 280
    kode = None

    def aksi(page, tombol):
        """The form of one action on the case page, found by its button."""
        return page.locator("form.aksi").filter(has=page.get_by_role("button", name=tombol, exact=True))

    def lakukan(page, tombol, tahap_baru):
        """Press an action's button; the case page comes back with no error, at the new stage."""
        with page.expect_navigation():
            page.get_by_role("button", name=tombol, exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/staf/publikasi/{kode}/")
        expect(page.locator("#galat, .galat")).to_have_count(0)
        expect(page.locator("#tahap")).to_have_text(tahap_baru)

    def buka(page):
        """From the officer's queue ("Antrian saya") to the case page."""
        expect(page.locator("#antrian")).to_contain_text(kode)
        page.locator("#antrian").get_by_role("link", name=kode).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(kode)

    def kartu_pratinjau(page, nama):
        """The live preview's card of one platform."""
        langsung = page.locator("#pratinjau-langsung")
        return langsung.locator("li").filter(has=page.locator("strong").get_by_text(nama, exact=True))

    # The Ketua PPID gives the instruction with the activity material and a photo.
    with masuk(petugas_publikasi["ketua"]) as ketua:
        ketua.get_by_role("navigation").get_by_role("link", name="Publikasi medsos").click()
        expect(ketua).to_have_url(f"{live_server.url}/staf/publikasi/")
        ketua.get_by_role("link", name="Instruksi publikasi baru").click()
        expect(ketua).to_have_url(f"{live_server.url}/staf/publikasi/baru/")
        ketua.get_by_label("Judul kegiatan").fill(JUDUL)
        ketua.get_by_label(re.compile(r"^Instruksi\b")).fill(INSTRUKSI)
        ketua.get_by_label("Bahan informasi kegiatan").fill(BAHAN)
        ketua.get_by_label("Berkas bahan (opsional)").set_input_files(
            files=[{"name": "kerja-bakti.png", "mimeType": "image/png", "buffer": png}]
        )
        with ketua.expect_navigation():
            ketua.get_by_role("button", name="Berikan instruksi").click()
        expect(ketua).to_have_url(re.compile(r"/staf/publikasi/PUB-[A-Z0-9-]+/$"))
        kode = ketua.get_by_role("heading", level=1).inner_text().strip()
        expect(ketua.locator("#tahap")).to_have_text("Instruksi Ketua PPID diterbitkan")
        expect(ketua.locator("#tugas")).to_contain_text("langkah 2")
        expect(ketua.get_by_role("link", name="kerja-bakti.png")).to_be_visible()
        publikasi = Publikasi.objects.get(kode=kode)
        assert (publikasi.judul, publikasi.instruksi, publikasi.bahan) == (JUDUL, INSTRUKSI, BAHAN)
        assert publikasi.bahan_berkas.get().jenis == "image/png"

    # The Seksi passes the instruction on to the Admin Medsos.
    with masuk(petugas_publikasi["seksi"]) as seksi:
        buka(seksi)
        expect(seksi.locator(".data")).to_contain_text(INSTRUKSI)
        lakukan(seksi, "Teruskan instruksi ke Admin Medsos", "Admin Medsos menyusun konsep materi")

    # The Admin Medsos drafts: the live preview warns that the caption is too long for X only.
    with masuk(petugas_publikasi["admin"]) as admin:
        buka(admin)
        konsep = aksi(admin, "Ajukan konsep untuk ditelaah")
        # The preview is in the draft form, under the platforms (seen while typing).
        expect(konsep.locator("#pratinjau-langsung")).to_contain_text("Pilih platform tujuan")
        platform = konsep.get_by_role("group", name="Platform tujuan (wajib)")
        expect(platform.get_by_role("checkbox")).to_have_count(6)
        # X and Instagram, and the website (the Ketua asked for it; the Seksi picks from these).
        for nama in ("Website", "Instagram", "X"):
            platform.get_by_label(nama, exact=True).check()
        konsep.get_by_label("Keterangan (caption)").fill(CAPTION_1)
        panjang = len(CAPTION_1)
        x = kartu_pratinjau(admin, "X")
        expect(x).to_contain_text(f"{panjang} / 280 karakter")
        expect(x.locator(".galat")).to_have_text(f"Melebihi batas {panjang - 280} karakter.")
        instagram = kartu_pratinjau(admin, "Instagram")
        expect(instagram).to_contain_text(f"{panjang} / 2200 karakter")
        expect(instagram).not_to_contain_text("Melebihi batas")
        expect(kartu_pratinjau(admin, "Website")).to_contain_text(f"{panjang} karakter (tanpa batas)")
        expect(admin.locator("#pratinjau-langsung .galat")).to_have_count(1)
        # ...which a screen reader hears from the status region that stays on the page.
        expect(konsep.get_by_role("status")).to_have_text(
            f"Keterangan melebihi batas X: lebih {panjang - 280} karakter.")
        screenshot(admin, "staf-publikasi-konsep-desktop")
        a11y.check(admin, "the case page at drafting, the live preview warning for X")

        # ...unticks X (the caption stays as it is), attaches the photo and submits.
        platform.get_by_label("X", exact=True).uncheck()
        expect(x).to_have_count(0)
        expect(admin.locator("#pratinjau-langsung .galat")).to_have_count(0)
        expect(konsep.get_by_role("status")).to_have_text("")
        expect(instagram).to_contain_text(f"{panjang} / 2200 karakter")
        konsep.get_by_label("Gambar").set_input_files(
            files=[{"name": "irigasi.png", "mimeType": "image/png", "buffer": png}]
        )
        lakukan(admin, "Ajukan konsep untuk ditelaah", "Konsep ditelaah Seksi")
        versi = admin.locator("#versi-terbaru")
        expect(versi.get_by_role("heading", level=2)).to_have_text("Konsep versi 1")
        expect(versi.locator(".caption")).to_have_text(CAPTION_1)
        expect(versi.get_by_role("link", name="irigasi.png")).to_be_visible()
        versi_1 = Versi.objects.filter(publikasi__kode=kode, nomor=1).values().get()

    # The Seksi finds it waiting for approval, accepts the draft and submits it to the Ketua.
    with masuk(petugas_publikasi["seksi"]) as seksi:
        baris = seksi.locator("#antrian tbody tr", has_text=kode)
        expect(baris).to_contain_text("menunggu persetujuan")
        expect(baris).to_contain_text(JUDUL)
        buka(seksi)
        expect(seksi.locator("#versi-terbaru .caption")).to_have_text(CAPTION_1)
        a11y.check(seksi, "the case page at the Seksi's review of version 1")
        lakukan(seksi, "Ya: konsep layak diajukan", "Konsep lolos telaah Seksi")
        lakukan(seksi, "Ajukan ke Ketua PPID", "Menunggu persetujuan Ketua PPID")

    # The Ketua sends it back with a note.
    with masuk(petugas_publikasi["ketua"]) as ketua:
        buka(ketua)
        expect(ketua.locator("#versi-terbaru")).to_contain_text("Konsep versi 1")
        tolak = aksi(ketua, "Tidak disetujui: kembalikan ke Admin Medsos")
        tolak.get_by_label("Alasan / catatan").fill(CATATAN_TOLAK)
        lakukan(ketua, "Tidak disetujui: kembalikan ke Admin Medsos", "Admin Medsos menyusun konsep materi")

    # The Admin Medsos reads the note beside the draft; the form starts from version 1.
    with masuk(petugas_publikasi["admin"]) as admin:
        buka(admin)
        catatan = admin.locator("#versi-terbaru .catatan-telaah", has_text="Persetujuan Ketua PPID")
        expect(catatan).to_contain_text("Persetujuan Ketua PPID: dikembalikan")
        expect(catatan).to_contain_text(CATATAN_TOLAK)
        expect(catatan).to_contain_text("Pak Ketua")
        konsep = aksi(admin, "Ajukan konsep untuk ditelaah")
        caption = konsep.get_by_label("Keterangan (caption)")
        expect(caption).to_have_value(CAPTION_1)
        expect(konsep.get_by_label("Instagram", exact=True)).to_be_checked()
        expect(konsep.get_by_label("Website", exact=True)).to_be_checked()
        expect(konsep.get_by_label("X", exact=True)).not_to_be_checked()
        # ...adds a sentence at the end (the picture of version 1 carries over) and resubmits.
        caption.press("Control+End")
        caption.press_sequentially(f" {TAMBAHAN}")
        expect(caption).to_have_value(CAPTION_2)
        expect(kartu_pratinjau(admin, "Instagram")).to_contain_text(f"{len(CAPTION_2)} / 2200 karakter")
        lakukan(admin, "Ajukan konsep untuk ditelaah", "Konsep ditelaah Seksi")
        expect(admin.locator("#versi-terbaru").get_by_role("heading", level=2)).to_have_text("Konsep versi 2")

    # The Seksi accepts version 2 and submits it to the Ketua again.
    with masuk(petugas_publikasi["seksi"]) as seksi:
        expect(seksi.locator("#antrian tbody tr", has_text=kode)).to_contain_text("menunggu persetujuan")
        buka(seksi)
        lakukan(seksi, "Ya: konsep layak diajukan", "Konsep lolos telaah Seksi")
        lakukan(seksi, "Ajukan ke Ketua PPID", "Menunggu persetujuan Ketua PPID")

    # The Ketua reads version 2 with what changed since version 1, and approves it.
    with masuk(petugas_publikasi["ketua"]) as ketua:
        buka(ketua)
        versi = ketua.locator("#versi-terbaru")
        expect(versi.get_by_role("heading", level=2)).to_have_text("Konsep versi 2")
        expect(versi.locator(".caption")).to_have_text(CAPTION_2)
        perubahan = versi.locator("details", has=ketua.locator("summary", has_text="Perubahan dari versi 1"))
        expect(perubahan.locator(".diff ins")).to_have_text(TAMBAHAN)
        expect(perubahan.locator(".diff del")).to_have_count(0)
        expect(perubahan).to_contain_text(CATATAN_TOLAK)  # the note version 2 answers
        expect(ketua.locator("#riwayat-versi")).to_contain_text("Versi 1")
        screenshot(ketua, "staf-publikasi-telaah-ketua-desktop")
        a11y.check(ketua, "the case page at the Ketua's review of version 2, with the diff")
        lakukan(ketua, "Setujui materi", "Materi disetujui Ketua PPID")
        expect(versi.get_by_role("heading", level=2)).to_contain_text("disetujui Ketua PPID")

    # The Seksi sets the platforms: those version 2 targets, Instagram and Website.
    with masuk(petugas_publikasi["seksi"]) as seksi:
        buka(seksi)
        tetapkan = aksi(seksi, "Tetapkan platform").get_by_role("group", name="Platform yang digunakan (wajib)")
        expect(tetapkan.get_by_role("checkbox")).to_have_count(2)
        tetapkan.get_by_label("Instagram", exact=True).check()
        tetapkan.get_by_label("Website", exact=True).check()
        lakukan(seksi, "Tetapkan platform", "Platform ditentukan")

    # The Admin Medsos takes the approved material and records the links, the first time with
    # a link that is not on Instagram.
    with masuk(petugas_publikasi["admin"]) as admin:
        buka(admin)
        lakukan(admin, "Terima materi yang disetujui", "Materi siap diunggah")
        # Changing the approved material is offered, folded under the step's own action.
        expect(admin.get_by_role("button", name="Ubah materi (perlu persetujuan ulang)")).to_be_hidden()
        unggah = aksi(admin, "Catat tautan unggahan")
        unggah.get_by_label("Tautan Instagram").fill(IG_SALAH)
        unggah.get_by_label("Tautan Website").fill(WEB)
        with admin.expect_navigation():
            admin.get_by_role("button", name="Catat tautan unggahan", exact=True).click()
        expect(admin.locator("#tahap")).to_have_text("Materi siap diunggah")
        expect(admin.get_by_role("alert")).to_contain_text("Catat tautan unggahan: belum dilakukan.")
        unggah = aksi(admin, "Catat tautan unggahan")
        expect(unggah.locator("#id_upload-tautan_instagram_error")).to_have_text("Tautan ini bukan alamat Instagram.")
        expect(unggah.get_by_label("Tautan Instagram")).to_have_attribute("aria-invalid", "true")
        expect(unggah.get_by_label("Tautan Website")).to_have_value(WEB)
        expect(admin.locator(".galat")).to_have_count(1)
        assert not TautanUnggahan.objects.exists()
        screenshot(admin, "staf-publikasi-tautan-galat-desktop")
        a11y.check(admin, "the case page refusing a link that is not on Instagram")
        unggah.get_by_label("Tautan Instagram").fill(IG)
        lakukan(admin, "Catat tautan unggahan", "Materi terunggah; laporan tautan ke Seksi")
        expect(admin.locator("#tautan").get_by_role("link", name=IG)).to_have_attribute("href", IG)
        expect(admin.locator("#tautan").get_by_role("link", name=WEB)).to_have_attribute("href", WEB)

    # The Seksi reports the links to the Ketua, who closes the case.
    with masuk(petugas_publikasi["seksi"]) as seksi:
        buka(seksi)
        lakukan(seksi, "Laporkan tautan ke Ketua PPID", "Laporan tautan disampaikan ke Ketua PPID")

    with masuk(petugas_publikasi["ketua"]) as ketua:
        buka(ketua)
        expect(ketua.locator("#tautan")).to_contain_text(IG)
        lakukan(ketua, "Terima laporan dan selesaikan", "Selesai")
        expect(ketua.locator("#aksi")).to_have_count(0)
        expect(ketua.locator("#tugas")).to_have_count(0)
        screenshot(ketua, "staf-publikasi-selesai-desktop")

    # The record: two versions, version 1 as submitted, one rejection with its note, one link
    # per platform on the approved version, and the SOP's steps in order.
    publikasi = Publikasi.objects.get(kode=kode)
    assert publikasi.state == "completed"
    v1, v2 = publikasi.versi.order_by("nomor")
    assert Versi.objects.filter(pk=v1.pk).values().get() == versi_1  # never edited
    assert (v1.nomor, v1.caption, v2.nomor, v2.caption) == (1, CAPTION_1, 2, CAPTION_2)
    assert {p.kode for p in v1.platform.all()} == {p.kode for p in v2.platform.all()} == {"instagram", "website"}
    assert [(g.nama_asli, g.jenis) for g in v1.gambar.all()] == [("irigasi.png", "image/png")]
    assert [g.nama_asli for g in v2.gambar.all()] == ["irigasi.png"]
    tolak = Keputusan.objects.get(versi__publikasi=publikasi, setuju=False)
    assert (tolak.versi, tolak.tahap, tolak.catatan, tolak.oleh) == (
        v1, Keputusan.KETUA, CATATAN_TOLAK, petugas_publikasi["ketua"])
    keputusan = Keputusan.objects.filter(versi__publikasi=publikasi).values_list("versi__nomor", "tahap", "setuju")
    assert list(keputusan) == [(1, "seksi", True), (1, "ketua", False), (2, "seksi", True), (2, "ketua", True)]
    assert {p.kode for p in publikasi.platform_final.all()} == {"instagram", "website"}
    assert {(t.platform.kode, t.url, t.versi_id) for t in TautanUnggahan.objects.filter(publikasi=publikasi)} == {
        ("instagram", IG, v2.pk), ("website", WEB, v2.pk)}
    steps = list(Task.objects.of_case(publikasi).order_by("id").values_list("step__nomor", flat=True))
    assert steps == ["1", "2", "3", "4", "5", "6", "3", "4", "5", "6", "7", "8", "9", "8", "10"]
    assert not Task.objects.of_case(publikasi).filter(finished_at=None).exists()

    a11y.assert_clean()
