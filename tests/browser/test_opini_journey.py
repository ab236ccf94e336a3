"""One opinion, end to end in a real browser: captured by the monitor with a screenshot (and
refused when the same post is captured again), screened by the Kasi, approved by the Kabid,
forwarded to the Perangkat Daerah and answered there, returned once from the language review
with a note and answered again, polished by the Kasi and published by the monitor; then read
on the public page from a phone, without the author's personal handle. axe audits the public
page on a phone and a desktop, and the staff pages where screenshots are taken."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opini.models import Opini
from sop.models import Task
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.browser

TAUTAN = "https://www.instagram.com/p/CzTamanKejaksan01/?igsh=c2hhcmVk"
# The same post as shared from the app: another host spelling, another tracking parameter.
TAUTAN_LAGI = "http://instagram.com/p/CzTamanKejaksan01?igsh=YW5kcm9pZA#komentar"
AKUN = "@warga_kejaksan"
TEKS = (
    "Lampu taman di alun-alun Kejaksan sudah sebulan mati; malam hari gelap dan anak-anak tidak bisa "
    "bermain lagi. Kapan diperbaiki?"
)
TOPIK = "Penerangan jalan umum"
CATATAN_TELAAH = "Lampu taman kota dikelola bidang PJU DPUPR."
JAWABAN_1 = "Sudah kami catat. Nanti diperbaiki kalau anggaran ada."
CATATAN_KEMBALI = "Mohon sebutkan jadwal perbaikan yang pasti dan gunakan bahasa yang lebih santun."
JAWABAN_2 = "Terima kasih atas laporannya. Lampu taman alun-alun Kejaksan kami ganti Kamis, 26 November 2026."
JAWABAN_FINAL = (
    "Terima kasih atas laporan Bapak/Ibu. Tim PJU DPUPR akan mengganti lampu taman alun-alun Kejaksan "
    "pada Kamis, 26 November 2026."
)
BALASAN = "https://www.instagram.com/p/BalasanKejaksan01/"


@pytest.fixture
def petugas_opini(sops):
    """Two Perangkat Daerah and one user per lane of the opinion SOP, as tests/opini/test_alur.py."""
    dpupr = UnitFactory(nama="Dinas Pekerjaan Umum dan Penataan Ruang", singkatan="DPUPR")
    dinkes = UnitFactory(nama="Dinas Kesehatan", singkatan="Dinkes")
    return {
        "unit": dpupr,
        "lain": dinkes,
        "pemantau": UserFactory(username="pemantau", first_name="Pemantau Opini",
                                lanes=("CRB-OPINI", "pemantau")),
        "kasi": UserFactory(username="kasi_pop", first_name="Kasi POP", lanes=("CRB-OPINI", "kasi_pop")),
        "kabid": UserFactory(username="kabid_pip", first_name="Kabid PIP", lanes=("CRB-OPINI", "kabid_pip")),
        "pd": UserFactory(username="pd_pu", first_name="Petugas DPUPR",
                          lanes=("CRB-OPINI", "perangkat_daerah"), units=[dpupr]),
    }


def test_an_opinion_goes_from_capture_to_the_published_answer_with_one_return_from_language_review(
    live_server, new_page, masuk, petugas_opini, png, screenshot, a11y
):
    unit = petugas_opini["unit"]
    diunggah = timezone.localdate() - timedelta(days=2)
    kode = None

    def aksi(page, tombol):
        """The form of one action on the case page, found by its button."""
        return page.locator("form.aksi").filter(has=page.get_by_role("button", name=tombol, exact=True))

    def lakukan(page, tombol, tahap_baru):
        """Press an action's button; the case page comes back with no error, at the new stage."""
        with page.expect_navigation():
            page.get_by_role("button", name=tombol, exact=True).click()
        expect(page.locator("#galat, .galat")).to_have_count(0)
        expect(page.locator("#tahap")).to_have_text(tahap_baru)

    def buka(page):
        """From the officer's queue ("Antrian saya") to the case page."""
        expect(page.locator("#antrian")).to_contain_text(kode)
        page.locator("#antrian").get_by_role("link", name=kode).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(kode)

    def isi_opini(page, tautan):
        page.get_by_label("Platform").select_option(label="Instagram")
        page.get_by_label("Tautan unggahan (URL)").fill(tautan)
        page.get_by_label("Akun penulis").fill(AKUN)
        page.get_by_label("Tanggal diunggah").fill(diunggah.isoformat())
        page.get_by_label("Isi opini").fill(TEKS)
        page.get_by_label("Topik").fill(TOPIK)

    # The monitor records the opinion found on Instagram, with a screenshot of the post.
    with masuk(petugas_opini["pemantau"]) as pemantau:
        pemantau.get_by_role("navigation").get_by_role("link", name="Opini publik").click()
        expect(pemantau).to_have_url(f"{live_server.url}/staf/opini/")
        pemantau.get_by_role("link", name="Catat opini baru").click()
        expect(pemantau).to_have_url(f"{live_server.url}/staf/opini/baru/")
        expect(pemantau.get_by_role("heading", level=1)).to_have_text("Catat opini masyarakat")
        isi_opini(pemantau, TAUTAN)
        pemantau.get_by_label("Tangkapan layar").set_input_files(
            files=[{"name": "unggahan-ig.png", "mimeType": "image/png", "buffer": png}]
        )
        screenshot(pemantau, "staf-opini-baru-desktop")
        a11y.check(pemantau, "the capture form, filled in")
        with pemantau.expect_navigation():
            pemantau.get_by_role("button", name="Catat opini").click()
        expect(pemantau).to_have_url(re.compile(r"/staf/opini/OPN-[A-Z0-9-]+/$"))
        kode = pemantau.get_by_role("heading", level=1).inner_text().strip()
        expect(pemantau.locator("#tahap")).to_have_text("Opini terpantau")
        expect(pemantau.locator("#tugas")).to_contain_text("langkah 2")
        expect(pemantau.get_by_text(TEKS)).to_be_visible()
        expect(pemantau.get_by_role("link", name="Lihat tangkapan layar")).to_be_visible()
        opini = Opini.objects.get(kode=kode)
        assert (opini.platform, opini.akun, opini.tanggal_posting, opini.tangkapan_jenis) == (
            "instagram", AKUN, diunggah, "image/png")

        # The same post again, under another spelling of its link: refused, naming the first record.
        pemantau.goto(f"{live_server.url}/staf/opini/baru/")
        isi_opini(pemantau, TAUTAN_LAGI)
        with pemantau.expect_navigation():
            pemantau.get_by_role("button", name="Catat opini").click()
        expect(pemantau).to_have_url(f"{live_server.url}/staf/opini/baru/")
        expect(pemantau.get_by_role("alert")).to_contain_text("Opini belum tercatat.")
        expect(pemantau.get_by_role("alert").get_by_role("link", name=kode)).to_be_visible()
        galat_tautan = pemantau.locator("#id_tautan_error")
        expect(galat_tautan).to_contain_text(f"Unggahan ini sudah tercatat sebagai {kode}; tidak dicatat dua kali.")
        expect(galat_tautan.get_by_role("link", name=kode)).to_have_attribute("href", f"/staf/opini/{kode}/")
        expect(pemantau.get_by_label("Tautan unggahan (URL)")).to_have_attribute("aria-invalid", "true")
        screenshot(pemantau, "staf-opini-duplikat-desktop")
        a11y.check(pemantau, "the capture form refusing a duplicate")
        assert Opini.objects.count() == 1

        # ...and hands the first one to the Kasi, from the link in the error.
        with pemantau.expect_navigation():
            galat_tautan.get_by_role("link", name=kode).click()
        expect(pemantau.get_by_role("heading", level=1)).to_have_text(kode)
        lakukan(pemantau, "Serahkan ke Kasi", "Diteliti Kasi")

    # The Kasi screens it, names the Perangkat Daerah and submits it to the Kabid.
    with masuk(petugas_opini["kasi"]) as kasi:
        buka(kasi)
        telaah = aksi(kasi, "Teliti dan tentukan Perangkat Daerah")
        telaah.get_by_label("Perangkat Daerah yang menanggapi").select_option(label=unit.nama)
        telaah.get_by_label("Catatan").fill(CATATAN_TELAAH)
        lakukan(kasi, "Teliti dan tentukan Perangkat Daerah", "Sudah diteliti; Perangkat Daerah ditentukan")
        expect(kasi.locator(".data")).to_contain_text(unit.nama)
        expect(kasi.locator(".data")).to_contain_text(CATATAN_TELAAH)
        lakukan(kasi, "Serahkan ke Kabid untuk diputuskan", "Menunggu keputusan Kabid")

    # The Kabid decides it needs an answer.
    with masuk(petugas_opini["kabid"]) as kabid:
        buka(kabid)
        expect(aksi(kabid, "Tidak perlu ditanggapi")).to_be_visible()
        lakukan(kabid, "Perlu ditanggapi", "Disetujui untuk ditanggapi")

    # The Kasi hands it back to the monitor...
    with masuk(petugas_opini["kasi"]) as kasi:
        buka(kasi)
        lakukan(kasi, "Serahkan ke Pemantau untuk diteruskan", "Siap diteruskan ke Perangkat Daerah")

    # ...who forwards it to the unit through the portal.
    with masuk(petugas_opini["pemantau"]) as pemantau:
        buka(pemantau)
        aksi(pemantau, "Teruskan ke Perangkat Daerah").get_by_label("Diteruskan melalui").select_option("portal")
        lakukan(pemantau, "Teruskan ke Perangkat Daerah", "Menunggu tanggapan Perangkat Daerah")
        expect(pemantau.locator("#tugas")).to_contain_text(unit.nama)

    # The unit's officer finds it in their queue and answers.
    with masuk(petugas_opini["pd"]) as pd:
        baris = pd.locator("#antrian tbody tr", has_text=kode)
        expect(baris).to_contain_text("7a. Perangkat Daerah menanggapi")
        expect(baris).to_contain_text(unit.nama)
        buka(pd)
        expect(pd.locator("#catatan-kembali")).to_have_count(0)
        aksi(pd, "Kirim tanggapan").get_by_label("Tanggapan Perangkat Daerah").fill(JAWABAN_1)
        lakukan(pd, "Kirim tanggapan", "Tanggapan Perangkat Daerah diterima")

    # The monitor submits the answer for the language review.
    with masuk(petugas_opini["pemantau"]) as pemantau:
        buka(pemantau)
        expect(pemantau.locator("#tanggapan")).to_contain_text(JAWABAN_1)
        lakukan(pemantau, "Serahkan ke Kasi untuk diteliti bahasanya", "Diteliti Kasi dari segi bahasa")

    # The Kasi finds the wording wanting and returns it to the unit with a note.
    with masuk(petugas_opini["kasi"]) as kasi:
        buka(kasi)
        expect(aksi(kasi, "Bahasa layak; teruskan ke Pemantau").get_by_label("Tanggapan yang akan dikirim")
               ).to_have_value(JAWABAN_1)
        screenshot(kasi, "staf-opini-telaah-bahasa-desktop")
        a11y.check(kasi, "the case page at the language review")
        aksi(kasi, "Kembalikan ke Perangkat Daerah untuk diperbaiki").get_by_label("Alasan / catatan").fill(
            CATATAN_KEMBALI)
        lakukan(kasi, "Kembalikan ke Perangkat Daerah untuk diperbaiki", "Menunggu tanggapan Perangkat Daerah")

    # The unit's officer reads the note above the answer form and in the timeline, and answers again.
    with masuk(petugas_opini["pd"]) as pd:
        buka(pd)
        kembali = pd.get_by_role("region", name="Tanggapan dikembalikan untuk diperbaiki")
        expect(kembali).to_contain_text(CATATAN_KEMBALI)
        expect(kembali).to_contain_text("Kasi Pengelolaan Opini Publik (Kasi POP)")
        screenshot(pd, "staf-opini-dikembalikan-desktop")
        a11y.check(pd, "the case page returned to the unit")
        jejak = pd.locator("section", has=pd.get_by_role("heading", name="Jejak langkah"))
        kembali = jejak.locator("tbody tr", has_text="Kembalikan ke Perangkat Daerah untuk diperbaiki")
        expect(kembali).to_contain_text(CATATAN_KEMBALI)
        expect(kembali).to_contain_text("Kasi POP")
        aksi(pd, "Kirim tanggapan").get_by_label("Tanggapan Perangkat Daerah").fill(JAWABAN_2)
        lakukan(pd, "Kirim tanggapan", "Tanggapan Perangkat Daerah diterima")
        expect(pd.locator("#tanggapan")).to_contain_text(JAWABAN_2)
        expect(pd.locator("#catatan-kembali")).to_have_count(0)

    # The monitor submits it for review again.
    with masuk(petugas_opini["pemantau"]) as pemantau:
        buka(pemantau)
        lakukan(pemantau, "Serahkan ke Kasi untuk diteliti bahasanya", "Diteliti Kasi dari segi bahasa")

    # The Kasi polishes the wording and passes it.
    with masuk(petugas_opini["kasi"]) as kasi:
        buka(kasi)
        final = aksi(kasi, "Bahasa layak; teruskan ke Pemantau").get_by_label("Tanggapan yang akan dikirim")
        expect(final).to_have_value(JAWABAN_2)
        final.fill(JAWABAN_FINAL)
        lakukan(kasi, "Bahasa layak; teruskan ke Pemantau", "Tanggapan siap dikirim")

    # The monitor posts the reply on Instagram and archives the case.
    with masuk(petugas_opini["pemantau"]) as pemantau:
        buka(pemantau)
        kirim = aksi(pemantau, "Kirim tanggapan ke warga dan arsipkan")
        kirim.get_by_label("Dikirim melalui").select_option(label="Instagram")
        kirim.get_by_label("Tautan balasan yang diunggah").fill(BALASAN)
        lakukan(pemantau, "Kirim tanggapan ke warga dan arsipkan", "Tanggapan dikirim dan diarsipkan")
        expect(pemantau.locator("#aksi")).to_have_count(0)
        expect(pemantau.get_by_role("link", name=BALASAN)).to_have_attribute("href", BALASAN)

    opini = Opini.objects.get(kode=kode)
    assert (opini.state, opini.tanggapan, opini.tanggapan_final) == (
        "responded_and_archived", JAWABAN_2, JAWABAN_FINAL)
    assert (opini.dikirim_di, opini.tautan_balasan) == ("instagram", BALASAN)
    steps = list(Task.objects.of_case(opini).order_by("id").values_list("step__nomor", flat=True))
    assert steps == ["1", "2", "3", "4", "5", "6", "7", "7a", "8", "8a", "7a", "8", "8a", "9"]

    # Anyone, on a phone, reads the question and the Kasi's wording of the unit's answer;
    # the author's personal handle is nowhere on the page.
    warga = new_page("phone")
    warga.goto(live_server.url + "/")
    warga.get_by_role("navigation").get_by_role("link", name="Tanggapan opini").click()
    expect(warga).to_have_url(f"{live_server.url}/opini/")
    kartu = warga.get_by_role("article", name=TOPIK)
    expect(kartu).to_have_id(f"opini-{kode}")
    expect(kartu).to_contain_text(f"Instagram · diunggah {diunggah:%d-%m-%Y}")
    expect(kartu.locator("blockquote")).to_have_text(TEKS)
    jawaban = kartu.locator(".kotak-jawaban")
    expect(jawaban.get_by_role("heading", level=3)).to_have_text(f"Tanggapan {unit.nama}")
    expect(jawaban).to_contain_text(JAWABAN_FINAL)
    expect(warga.locator("body")).not_to_contain_text(JAWABAN_2)
    expect(warga.locator("body")).not_to_contain_text(AKUN)
    assert AKUN not in warga.content() and "warga_kejaksan" not in warga.content()
    a11y.check(warga, "opini publik (phone)")
    screenshot(warga, "opini-publik-phone")

    layar = new_page("desktop")
    layar.goto(live_server.url + "/opini/")
    expect(layar.locator(f"#opini-{kode}")).to_contain_text(JAWABAN_FINAL)
    a11y.check(layar, "opini publik (desktop)")
    screenshot(layar, "opini-publik-desktop")

    a11y.assert_clean()
