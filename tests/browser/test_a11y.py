"""Every public page, on a phone and on a desktop, passes axe-core's WCAG 2.1 A/AA rules and
two checks axe does not make (no sideways scrolling; every aria-describedby names a real
element): the home page, the complaint form empty and refused, the confirmation, the tracking
form (empty, refused, unknown code) and the tracking page of an answered and of a refused case."""

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from aduan.models import Aduan, Lampiran
from sop import services as engine
from tests.factories import AduanFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def kasus(petugas, png):
    """An answered complaint with a photo, and a refused one, made through the service layer."""
    dijawab = engine.start(AduanFactory())
    Lampiran.objects.create(aduan=dijawab, berkas=ContentFile(png, name="foto.png"), nama_asli="foto-lampu.png",
                            jenis="image/png", ukuran=len(png))
    for name, who, data in [
        ("accept_complaint", "admin", {}),
        ("verify_opd", "admin", {"unit": petugas["unit"]}),
        ("dispatch_to_opd", "admin", {}),
        ("submit_answer", "opd", {"jawaban": "Perbaikan lampu dijadwalkan Kamis ini oleh tim PJU.\nTerima kasih."}),
        ("post_answer", "penghubung", {}),
    ]:
        dijawab = engine.advance(dijawab, name, petugas[who], **data)
    ditolak = engine.start(AduanFactory(uraian="Aduan tanpa keterangan yang cukup untuk ditelaah lebih lanjut."))
    ditolak = engine.advance(ditolak, "reject_complaint", petugas["admin"],
                             note="Lokasi dan waktu kejadian tidak disebutkan; mohon kirim ulang dengan keterangan.")
    return {"dijawab": dijawab, "ditolak": ditolak}


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_every_public_page_passes_axe_wcag_2_1_aa(device, live_server, new_page, kasus, a11y, screenshot):
    page = new_page(device)

    def check(name):
        """Audit the page as it is now, and take the screenshot for review."""
        a11y.check(page, name)
        screenshot(page, f"{name}-{device}")

    page.goto(live_server.url + "/")
    check("beranda")

    page.goto(live_server.url + "/aduan/baru/")
    check("aduan-baru")

    page.get_by_role("button", name="Kirim aduan").click()
    expect(page.locator("#ringkasan-galat")).to_be_visible()
    check("aduan-baru-galat")

    page.get_by_label("Apa yang terjadi?").fill("Saluran air di depan balai desa tersumbat dan meluap saat hujan.")
    page.get_by_label("Di mana?").fill("Balai Desa Karangmlati, Kecamatan Demak")
    page.get_by_label("Kategori").select_option(Aduan.Kategori.INFRASTRUKTUR)
    page.get_by_label("Kirim sebagai anonim").check()
    page.get_by_role("button", name="Kirim aduan").click()
    expect(page.locator("#kode-lacak")).to_be_visible()
    check("aduan-terkirim")

    page.goto(live_server.url + "/lacak/")
    check("lacak")

    page.get_by_role("button", name="Lacak").click()
    expect(page.locator(".galat")).to_be_visible()
    check("lacak-galat")

    page.goto(live_server.url + "/lacak/ADU-0000-0000-0000/")
    expect(page.get_by_role("alert")).to_contain_text("tidak ditemukan")
    check("lacak-tidak-ditemukan")

    page.goto(f"{live_server.url}/lacak/{kasus['dijawab'].kode}/")
    expect(page.locator("#jawaban")).to_be_visible()
    check("lacak-dijawab")

    page.goto(f"{live_server.url}/lacak/{kasus['ditolak'].kode}/")
    expect(page.locator("#alasan")).to_be_visible()
    check("lacak-ditolak")

    a11y.assert_clean()
