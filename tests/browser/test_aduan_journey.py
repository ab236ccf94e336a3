"""A citizen's complaint, end to end in a real browser: sent from a phone with a photo,
worked by each lane of the SOP in turn on their desktops, and answered on the tracking page."""

import re

import pytest
from playwright.sync_api import expect

from aduan.models import Aduan

pytestmark = pytest.mark.browser

URAIAN = (
    "Lampu penerangan jalan di perempatan Bintoro mati sejak sepekan; malam hari gelap total "
    "dan sudah dua pengendara motor terjatuh."
)
LOKASI = "Perempatan Bintoro, Kecamatan Demak"
JAWABAN = "Tim PJU DPUPR mengganti lampu di perempatan Bintoro pada Kamis ini; terima kasih atas laporannya."


def test_a_complaint_sent_from_a_phone_is_worked_by_each_lane_and_its_answer_read_by_code(
    live_server, new_page, masuk, petugas, png, screenshot
):
    # The citizen, on a phone, goes from the home page to the complaint form.
    warga = new_page("phone")
    warga.goto(live_server.url + "/")
    warga.get_by_role("main").get_by_role("link", name="Kirim aduan").click()
    expect(warga).to_have_url(f"{live_server.url}/aduan/baru/")
    expect(warga.get_by_role("heading", level=1)).to_have_text("Kirim aduan")

    # ...fills it in, attaches a photo and sends it.
    warga.get_by_label("Apa yang terjadi?").fill(URAIAN)
    warga.get_by_label("Di mana?").fill(LOKASI)
    warga.get_by_label("Kategori").select_option(Aduan.Kategori.INFRASTRUKTUR)
    warga.get_by_label("Nama (opsional)").fill("Siti Aminah")
    warga.get_by_label("E-mail (opsional, untuk kabar perkembangan)").fill("siti@contoh.id")
    warga.locator("input[name=lampiran]").set_input_files(
        files=[{"name": "lampu-mati.png", "mimeType": "image/png", "buffer": png}]
    )
    warga.get_by_role("button", name="Kirim aduan").click()

    # The confirmation page gives the tracking code.
    expect(warga).to_have_url(f"{live_server.url}/aduan/terkirim/")
    kode = warga.locator("#kode-lacak").inner_text().strip()
    assert re.fullmatch(r"ADU-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", kode), kode
    aduan = Aduan.objects.get(kode=kode)
    assert (aduan.state, aduan.nama, aduan.lampiran.get().jenis) == ("submitted", "Siti Aminah", "image/png")

    def buka(page):
        """From the officer's queue to the case page."""
        expect(page.locator("#antrian")).to_contain_text(kode)
        page.get_by_role("link", name=kode).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(kode)

    def lakukan(page, tombol, tahap_baru):
        """Press an action's button; the case page comes back with no error, at the new stage."""
        with page.expect_navigation():
            page.get_by_role("button", name=tombol, exact=True).click()
        expect(page.locator("#galat, .galat")).to_have_count(0)
        expect(page.locator("#tahap")).to_have_text(tahap_baru)

    # The Admin Koordinator accepts it, verifies the OPD and forwards it.
    with masuk(petugas["admin"]) as admin:
        buka(admin)
        expect(admin.locator("#tahap")).to_have_text("Aduan masuk")
        expect(admin.get_by_role("link", name="lampu-mati.png")).to_be_visible()
        expect(admin.locator("#pengadu")).to_contain_text("Siti Aminah")
        lakukan(admin, "Terima aduan", "Aduan diterima; verifikasi OPD terkait")
        screenshot(admin, "staf-aduan-verifikasi-desktop")
        admin.locator("select[name=verify_opd-unit]").select_option(label=petugas["unit"].nama)
        lakukan(admin, "Verifikasi OPD terkait", "OPD terkait terverifikasi")
        lakukan(admin, "Teruskan ke OPD", "Ditelaah OPD")
        expect(admin.locator("#tugas")).to_contain_text(petugas["unit"].nama)

    # An OPD officer of another unit neither has it in their queue nor can open it.
    with masuk(petugas["opd_lain"]) as lain:
        expect(lain.locator("#antrian")).to_contain_text("Tidak ada langkah yang menunggu Anda.")
        lain.goto(f"{live_server.url}/staf/aduan/{kode}/")
        expect(lain.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")

    # The OPD officer of that unit finds it in their queue and answers.
    with masuk(petugas["opd"]) as opd:
        antrian = opd.locator("#antrian tbody tr", has_text=kode)
        expect(antrian).to_contain_text("5. Menelaah dan melakukan klarifikasi")
        expect(antrian).to_contain_text(petugas["unit"].nama)
        screenshot(opd, "staf-antrian-desktop")
        buka(opd)
        opd.locator("textarea[name=submit_answer-jawaban]").fill(JAWABAN)
        lakukan(opd, "Kirim jawaban", "Jawaban OPD tersedia")

    # The Pejabat Penghubung of that unit delivers the answer to the complainant.
    with masuk(petugas["penghubung"]) as penghubung:
        buka(penghubung)
        expect(penghubung.get_by_text(JAWABAN)).to_be_visible()
        lakukan(penghubung, "Sampaikan jawaban ke Pengadu", "Jawaban disampaikan")

    # The Admin Koordinator closes it.
    with masuk(petugas["admin"]) as admin:
        buka(admin)
        lakukan(admin, "Aduan selesai", "Selesai; diagendakan")
        screenshot(admin, "staf-aduan-desktop")

    # The citizen, back on the phone, tracks the complaint by its code and reads the answer.
    warga.get_by_role("link", name="Lacak aduan").first.click()
    warga.get_by_label("Kode lacak").fill(kode)
    warga.get_by_role("button", name="Lacak").click()
    expect(warga).to_have_url(f"{live_server.url}/lacak/{kode}/")
    expect(warga.locator("#tahap")).to_contain_text("Selesai; diagendakan")
    expect(warga.locator("#tahap")).to_contain_text("Aduan Anda selesai ditangani.")
    expect(warga.locator("#jawaban")).to_contain_text(JAWABAN)
    expect(warga.locator("#jawaban")).to_contain_text(petugas["unit"].nama)
