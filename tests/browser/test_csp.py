"""The Content-Security-Policy in a real browser: Chromium reports no violation on the main
pages (the public form and its submission, tracking, the staff queue with its htmx refresh, a
case page, the admin), so nothing on them relies on inline script or style."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script: every violation the browser reports is kept on window.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile || document.URL}:${e.lineNumber}`));
"""


def watch(page, found):
    page.add_init_script(RECORD_VIOLATIONS)
    page.on("console", lambda msg: found.append(f"{page.url}: {msg.text}")
            if "Content Security Policy" in msg.text else None)


def visit(page, url, found):
    response = page.goto(url)
    assert "script-src 'self'" in response.headers["content-security-policy"], url
    page.wait_for_load_state("networkidle")
    found += [f"{url}: {v}" for v in page.evaluate("window.__cspViolations")]


def test_the_main_pages_cause_no_csp_violation(live_server, new_page, masuk, petugas, png):
    found = []
    warga = new_page("phone")
    watch(warga, found)
    visit(warga, f"{live_server.url}/aduan/baru/", found)
    warga.fill("#id_uraian", "Lampu penerangan jalan di perempatan Bintoro mati sejak sepekan dan rawan.")
    warga.fill("#id_lokasi", "Perempatan Bintoro, Kecamatan Demak")
    warga.select_option("#id_kategori", "infrastruktur")
    warga.set_input_files("#id_lampiran", files=[{"name": "foto.png", "mimeType": "image/png", "buffer": png}])
    warga.get_by_role("button", name="Kirim aduan").click()
    expect(warga).to_have_url(f"{live_server.url}/aduan/terkirim/")
    found += [f"terkirim: {v}" for v in warga.evaluate("window.__cspViolations")]
    kode = warga.locator("text=/ADU-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}/").first.inner_text().strip()
    kode = kode[kode.index("ADU-"):kode.index("ADU-") + 18]
    visit(warga, f"{live_server.url}/lacak/", found)
    visit(warga, f"{live_server.url}/lacak/{kode}/", found)
    visit(warga, f"{live_server.url}/informasi-publik/?q=anggaran", found)
    # The recorder itself works: an inline style added now is reported (and then forgotten).
    before = len(found)
    warga.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    warga.wait_for_function("window.__cspViolations.length > 0")
    assert "style-src" in warga.evaluate("window.__cspViolations")[0]
    warga.wait_for_timeout(300)
    assert any("inline style" in f for f in found[before:])
    del found[before:]

    admin = UserFactory(username="admin_csp", is_staff=True, is_superuser=True,
                        lanes=("DMK-ADUAN", "admin_koordinator"))
    with masuk(admin) as page:
        watch(page, found)
        visit(page, f"{live_server.url}/staf/", found)
        # The queue refreshes itself with htmx; one refresh must not break the policy either.
        page.evaluate("htmx.ajax('GET', '/staf/', {target: '#antrian', swap: 'innerHTML'})")
        page.wait_for_load_state("networkidle")
        found += [f"antrian htmx: {v}" for v in page.evaluate("window.__cspViolations")]
        visit(page, f"{live_server.url}/staf/aduan/{kode}/", found)
        for path in ("/admin/", "/admin/aduan/aduan/", "/admin/auth/user/add/", "/admin/password_change/"):
            visit(page, f"{live_server.url}{path}", found)
        visit(page, f"{live_server.url}/admin/aduan/aduan/", found)
        page.locator("#result_list a").first.click()
        page.wait_for_load_state("networkidle")
        found += [f"admin change page: {v}" for v in page.evaluate("window.__cspViolations")]

    assert found == []
