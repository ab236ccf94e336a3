"""Browser journeys: Debian's headless Chromium driven by Playwright against pytest-django's
``live_server`` (a real HTTP server on the test database, so every test here is
transactional).

Chromium is the system one (/usr/bin/chromium, installed by ``make test``); Playwright's own
browser download is never used. Screenshots for review are written to /tmp/shots/ only when
``PPID_SCREENSHOTS`` is set; they are never assertions.
"""

import json
import os
import struct
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.factories import UnitFactory, UserFactory

# Playwright's sync API runs an asyncio loop in this thread; Django refuses ORM calls from a
# thread with a running loop unless told that this is a test that knows what it does.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("PPID_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

DEVICES = {
    "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True,
              "has_touch": True},
    "desktop": {"viewport": {"width": 1280, "height": 900}},
}

PASSWORD = "sandi-rahasia-123"  # tests/factories.py UserFactory
SHOTS = Path("/tmp/shots")

# axe-core, restricted to the WCAG 2.0/2.1 A and AA rules.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

expect.set_options(timeout=10_000)


# --- the browser -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    # Module scope: the Playwright loop ends with the module, not with the session, so the
    # rest of the suite runs without an event loop in its main thread.
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser):
    """``new_page("phone")`` / ``new_page("desktop")``: a page in a fresh context (own
    cookies, so each person has their own session). Contexts are closed after the test."""
    contexts = []

    def make(device="desktop"):
        context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **DEVICES[device])
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


# --- people and places -------------------------------------------------------------------

@pytest.fixture
def petugas(sops):
    """Two OPD units and one user per lane of the complaint SOP, as tests/aduan/test_alur.py."""
    dpupr = UnitFactory(nama="Dinas Pekerjaan Umum dan Penataan Ruang", singkatan="DPUPR")
    dinkes = UnitFactory(nama="Dinas Kesehatan", singkatan="Dinkes")
    return {
        "unit": dpupr,
        "lain": dinkes,
        "admin": UserFactory(username="admin_k", first_name="Admin Koordinator",
                             lanes=("DMK-ADUAN", "admin_koordinator")),
        "opd": UserFactory(username="opd_pu", first_name="Petugas DPUPR", lanes=("DMK-ADUAN", "opd_bumd"),
                           units=[dpupr]),
        "opd_lain": UserFactory(username="opd_kes", lanes=("DMK-ADUAN", "opd_bumd"), units=[dinkes]),
        "penghubung": UserFactory(username="ph_pu", first_name="Pejabat Penghubung DPUPR",
                                  lanes=("DMK-ADUAN", "pejabat_penghubung"), units=[dpupr]),
    }


@pytest.fixture
def masuk(new_page, live_server):
    """``with masuk(user) as page:`` a desktop browser (its own context: one computer per
    officer) logged in as ``user`` at /staf/masuk/ and landed on their queue; on leaving the
    block the officer logs out with the nav's "Keluar (...)" button."""

    @contextmanager
    def login(user):
        page = new_page("desktop")
        page.goto(f"{live_server.url}/staf/masuk/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Masuk", exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/staf/")
        expect(page.get_by_role("button", name=f"Keluar ({user.username})")).to_be_visible()
        yield page
        page.goto(f"{live_server.url}/staf/")  # error pages have the public nav, without "Keluar"
        page.get_by_role("button", name=f"Keluar ({user.username})").click()
        expect(page).to_have_url(f"{live_server.url}/staf/masuk/")
        page.context.close()

    return login


# --- files -------------------------------------------------------------------------------

def png_bytes(width=16, height=16, rgb=(11, 79, 138)):
    """A small, valid PNG (8-bit RGB, one colour), built here so the test needs no file."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width  # filter type 0, then the pixels
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


# --- accessibility and screenshots -------------------------------------------------------

# Two checks axe-core does not make, run with it on every audited page.
PAGE_CHECKS_JS = """() => {
  const problems = [];
  // WCAG 1.4.10 Reflow: nothing wider than the viewport, so no sideways scrolling.
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) {
    const wide = [...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().right > width + 1)
      .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).trim().replace(/\\s+/g, '.') : ''));
    problems.push(`page is ${document.documentElement.scrollWidth}px wide in a ${width}px viewport; too wide: ${wide.slice(0, 8).join(', ')}`);
  }
  // A field's help text and error are read with it only if aria-describedby names real ids.
  for (const el of document.querySelectorAll('[aria-describedby], [aria-labelledby]')) {
    for (const attr of ['aria-describedby', 'aria-labelledby']) {
      for (const id of (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)) {
        if (!document.getElementById(id)) problems.push(`${attr}="${id}" on <${el.tagName.toLowerCase()} name="${el.getAttribute('name') || ''}"> names no element`);
      }
    }
  }
  return problems;
}"""


class A11yAudit:
    """Audits pages as a test walks through them: axe-core's WCAG 2.1 A/AA rules plus
    PAGE_CHECKS_JS. Keeps every finding, so one failure reports all pages at once."""

    def __init__(self):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.found = {}

    def check(self, page, where):
        violations = self.axe.run(page, options=AXE_OPTIONS).response["violations"]
        problems = page.evaluate(PAGE_CHECKS_JS)
        if violations or problems:
            self.found[f"{where} ({page.url})"] = describe(violations) + "".join(f"\n[page] {p}" for p in problems)

    def assert_clean(self):
        if self.found:
            pytest.fail("accessibility problems:\n" + "\n".join(
                f"== {where}\n{text.strip()}" for where, text in self.found.items()
            ), pytrace=False)


def describe(violations):
    """Violations as lines a person can act on: rule, impact, help link, elements."""
    lines = []
    for v in violations:
        lines.append(f"[{v.get('impact')}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    at {json.dumps(node['target'])}: {node['html'][:160]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.fixture
def a11y():
    """``a11y.check(page, "the home page")`` as often as needed, then ``a11y.assert_clean()``."""
    return A11yAudit()


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")``: a full-page PNG in /tmp/shots/ for a person to look at,
    only when PPID_SCREENSHOTS is set (CI writes none)."""

    def shoot(page, name):
        if not os.environ.get("PPID_SCREENSHOTS"):
            return
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)

    return shoot


@pytest.fixture
def png():
    """The bytes of a small valid PNG, as a phone camera's photo would be (only smaller)."""
    return png_bytes()
