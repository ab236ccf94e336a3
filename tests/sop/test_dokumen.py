"""The SOP document (PermenPAN-RB 35/2012 form) drawn from the rows the engine runs on: the
PDF read back with pypdf, the staff page's table and flowchart, live edits, access."""

import io
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from sop import dokumen
from sop import services as engine
from sop.loader import load, load_all
from sop.models import Sop, Step
from tests.factories import PermintaanFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
KODES = ["BUNDER-MEDSOS", "CRB-OPINI", "DMK-ADUAN", "PTK-PENGUMUMAN", "SRG-UJI-KONSEKUENSI"]
# The decisions each SOP's flowchart draws (Step.cabang from shared/sop/specs.yaml).
KEPUTUSAN = {"BUNDER-MEDSOS": ["4", "6"], "CRB-OPINI": ["5", "8a"], "DMK-ADUAN": ["2", "7"],
             "PTK-PENGUMUMAN": ["4"], "SRG-UJI-KONSEKUENSI": ["3"]}


@pytest.fixture
def petugas(sops):
    # Any signed-in officer, whatever lane: the procedures are the office's own.
    return UserFactory(username="petugas_dok", lanes=("CRB-OPINI", "pemantau"))


@pytest.fixture
def staf(client, petugas):
    client.force_login(petugas)
    return client


def _rapat(text):
    """Text without whitespace: a PDF breaks lines wherever the cell wraps (also after "/")."""
    return re.sub(r"\s+", "", text)


def _pdf(client, kode):
    response = client.get(f"/staf/sop/{kode}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return PdfReader(io.BytesIO(response.content))


# --- a minimal DOM from the standard library's parser ---------------------------------------

VOID = {"col", "br", "meta", "link", "input", "img", "hr"}


class _Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def all(self, tag=None, cls=None):
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                yield child
            yield from child.all(tag, cls)

    def teks(self):
        return self.text + "".join(c.teks() for c in self.children)


class _Pohon(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.root = self.cur = _Node("root", {}, None)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(_Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.text += data


def _halaman(client, kode):
    response = client.get(f"/staf/sop/{kode}/")
    assert response.status_code == 200
    return response, _Pohon(response.content.decode()).root


# --- the PDF ----------------------------------------------------------------------------------

@pytest.mark.parametrize("kode", KODES)
def test_the_pdf_holds_the_header_and_every_step_in_order(staf, kode):
    sop = Sop.objects.get(kode=kode)
    reader = _pdf(staf, kode)
    pages = [_rapat(page.extract_text()) for page in reader.pages]
    text = "".join(pages)
    # A4 landscape.
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    # The header block, every field; an empty one reads "-".
    assert _rapat(sop.nama.upper()) in text
    assert _rapat(f"NomorSOP{sop.nomor or '-'}") in text
    assert _rapat(sop.pemerintah.upper()) in text
    assert _rapat(sop.instansi.upper()) in text
    assert _rapat(f"NIP.{sop.disahkan_nip or '-'}") in text
    for value in (sop.disahkan_jabatan, sop.disahkan_nama, sop.disahkan_pangkat, sop.peringatan):
        assert _rapat(value or "-") in text
    for items in (sop.dasar_hukum, sop.kualifikasi, sop.keterkaitan, sop.peralatan, sop.pencatatan):
        for item in items:
            assert _rapat(item) in text
    for label in ("DasarHukum", "KualifikasiPelaksana", "Keterkaitan", "Peralatan/Perlengkapan", "Peringatan",
                  "PencatatandanPendataan", "TanggalPembuatan", "TanggalRevisi", "TanggalEfektif", "Disahkanoleh"):
        assert label in text
    # The table: every step's Kegiatan, in the order of its rows; the table's head on every
    # page that holds rows of it.
    position = 0
    row_pages = set()
    for step in sop.steps.order_by("urutan"):
        found = text.find(_rapat(step.kegiatan), position)
        assert found > position, f"langkah {step.nomor} (urutan {step.urutan}) tidak ada atau tidak urut"
        position = found
        row_pages.add(next(i for i, p in enumerate(pages) if _rapat(step.kegiatan)[:40] in p))
    assert 0 not in row_pages  # page 1 is the header block
    assert all("NoKegiatanPelaksanaMutuBaku" in pages[i] and "KelengkapanWaktuOutput" in pages[i] for i in row_pages)
    if kode in ("CRB-OPINI", "SRG-UJI-KONSEKUENSI"):
        assert len(row_pages) >= 3


def test_the_pdf_header_reads_its_dates_in_indonesian_and_empty_fields_as_a_dash(staf):
    text = "".join(_rapat(p.extract_text()) for p in _pdf(staf, "DMK-ADUAN").pages)
    assert "TanggalPembuatan2April2020TanggalRevisi-TanggalEfektif-" in text
    # Keterkaitan and Pencatatan dan Pendataan are empty in the Demak SOP.
    assert "KeterkaitanPeralatan/Perlengkapan-" in text
    assert "PeringatanPencatatandanPendataanJikaSOPtidakdiperhatikan" in text
    assert "pengambilankebijakan.-" in text
    # The step the portal added is marked as such beside it.
    assert "Tambahanportal" in text


# --- the staff page ---------------------------------------------------------------------------

@pytest.mark.parametrize("kode", KODES)
def test_the_page_has_one_column_per_lane_and_a_diamond_for_each_decision(staf, kode):
    sop = Sop.objects.get(kode=kode)
    lanes = list(sop.lanes.order_by("urutan"))
    steps = list(sop.steps.order_by("urutan"))
    _, root = _halaman(staf, kode)
    table = next(root.all("table", "sop-bagan"))
    heads = [th.teks().strip() for th in table.all("th", "pelaksana")]
    assert heads == [lane.nama for lane in lanes]
    rows = list(table.all("tr", "langkah"))
    assert [int(r.attrs["data-urutan"]) for r in rows] == [s.urutan for s in steps]
    for row, step in zip(rows, steps):
        cells = list(row.all("td", "lajur"))
        assert [c.attrs["data-pelaksana"] for c in cells] == [lane.kode for lane in lanes]
        # The step's shape stands in its own lane's column.
        own = cells[[lane.id for lane in lanes].index(step.lane_id)]
        shape = next(own.all("svg"))
        decision = any(entry.get("label") for entry in step.cabang)
        assert ("keputusan" in shape.classes) == decision
        if decision:
            labels = {t.teks() for t in shape.all("text", "label-cabang")}
            assert {"Ya"} | {e["label"] for e in step.cabang if e.get("label")} == labels
    diamonds = list(table.all("svg", "keputusan"))
    assert [d.attrs["aria-label"].split(":")[0] for d in diamonds] == [f"Langkah {n}" for n in KEPUTUSAN[kode]]
    # Start and end are capsules; the portal's own steps are drawn dashed.
    assert "terminal" in next(rows[0].all("svg")).classes
    for row, step in zip(rows, steps):
        if step.tambahan:
            assert "stroke-dasharray" in str(next(row.all("polygon" if any(
                e.get("label") for e in step.cabang) else "rect")).attrs)
            assert "Tambahan portal" in next(row.all("td", "keterangan")).teks()


def test_the_tidak_branch_is_drawn_as_an_arrow_to_its_end(staf):
    response, root = _halaman(staf, "DMK-ADUAN")
    row = [r for r in root.all("tr", "langkah") if r.attrs["data-urutan"] == "2"][0]
    cells = {c.attrs["data-pelaksana"]: c for c in row.all("td", "lajur")}
    # Step 2 (Admin Koordinator) is a decision; its "Tidak" ends in the complainant's column,
    # as the document marks it, with an arrowhead into the end.
    diamond = next(cells["admin_koordinator"].all("svg"))
    assert "keputusan" in diamond.classes
    end = next(cells["pengadu"].all("svg"))
    assert "akhir" in end.classes and "Selesai" in end.teks()
    assert len(list(end.all("polygon", "panah"))) == 1
    # The line runs through the two lanes between them: a horizontal segment in each.
    css = next(root.all("style")).teks()
    for cell in ("opd_bumd", "pejabat_penghubung"):
        rule = re.search(r"\.%s\{background:([^}]*)\}" % cells[cell].classes[1], css)
        assert rule and "linear-gradient(to right" in rule.group(1)
    assert "2 → Selesai (Tidak)" in root.teks().replace("\u2192", "→")
    # Step 7's "Tidak" goes to the monitoring step 7a, which returns to step 7.
    flow = re.sub(r"\s+", " ", next(root.all("p", "sop-alur")).teks())
    assert "7 → langkah 7a (Tidak)" in flow and "7a → langkah 7" in flow and "7 → langkah 8 (Ya)" in flow


def test_every_line_of_the_five_charts_is_routed_without_two_lines_on_one_segment(sops):
    for sop in sops.values():
        lanes = list(sop.lanes.order_by("urutan"))
        steps = list(sop.steps.order_by("urutan").select_related("lane"))
        bagan = dokumen.Bagan(lanes, steps, 90)
        assert bagan.garis and all(g.titik for g in bagan.garis), sop.kode
        seen = {}
        for g in bagan.garis:
            for a, b in zip(g.titik, g.titik[1:]):
                key = frozenset((a, b))
                # Two lines share a segment only when they go into the same shape.
                assert seen.setdefault(key, g.ke) == g.ke, (sop.kode, a, b)
            # Each line starts at its shape and ends at its target's centre.
            assert g.titik[0] == bagan._pusat(g.dari) and g.titik[-1] == bagan._pusat(g.ke)


# --- live from the database -------------------------------------------------------------------

def test_a_time_standard_changed_in_the_admin_changes_the_document_and_new_deadlines(staf):
    # On the test-only workflow (tests/contoh), whose step 2 is the desk's "30 menit".
    step = Step.objects.get(sop__kode="UJI-CONTOH", nomor="2")
    assert "30menit" in "".join(_rapat(p.extract_text()) for p in _pdf(staf, "UJI-CONTOH").pages)
    step.waktu = "2 jam"
    step.save()
    # The document: the page and the PDF show the new standard at once (nothing cached).
    _, root = _halaman(staf, "UJI-CONTOH")
    row = [r for r in root.all("tr", "langkah") if r.attrs["data-urutan"] == "2"][0]
    assert next(row.all("td", "mutu-waktu")).teks().strip() == "2 jam"
    text = "".join(_rapat(p.extract_text()) for p in _pdf(staf, "UJI-CONTOH").pages)
    assert "2jam" in text and "30menit" not in text
    assert "max3hari" in text  # step 3 keeps its 3 days
    # The deadlines: a request filed now waits at step 2 under the new standard.
    with time_machine.travel(datetime(2026, 11, 23, 9, 0, tzinfo=WIB), tick=False):
        permintaan = engine.start(PermintaanFactory())
    task = engine.open_task(permintaan)
    assert (task.step.nomor, task.waktu, task.due_at) == ("2", "2 jam", datetime(2026, 11, 23, 11, 0, tzinfo=WIB))


# --- access -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/staf/sop/", "/staf/sop/DMK-ADUAN/", "/staf/sop/DMK-ADUAN/pdf/"])
def test_anonymous_visitors_are_sent_to_the_login(client, sops, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/staf/masuk/?next=")


@pytest.mark.parametrize("url", ["/staf/sop/TIDAK-ADA/", "/staf/sop/TIDAK-ADA/pdf/"])
def test_an_unknown_sop_is_a_404_in_indonesian(staf, url):
    response = staf.get(url)
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_the_list_links_every_sop_to_its_page_and_pdf_and_the_navigation_links_the_list(staf):
    response = staf.get("/staf/sop/")
    assert response.status_code == 200
    html = response.content.decode()
    for kode in KODES:
        assert f'href="/staf/sop/{kode}/"' in html and f'href="/staf/sop/{kode}/pdf/"' in html
    assert html.count('href="/staf/sop/"') >= 1  # the staff navigation
    assert "Layanan Aduan Masyarakat Kabupaten Demak" in html


def test_the_page_style_block_carries_the_csp_nonce(staf):
    response, root = _halaman(staf, "CRB-OPINI")
    style = next(root.all("style"))
    nonce = style.attrs.get("nonce")
    assert nonce and f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    # No style attribute anywhere in the document: the policy would refuse it.
    assert not [n for n in next(root.all("article")).all() if "style" in n.attrs]


# --- the data: branches loaded from the files ---------------------------------------------------

def test_branches_load_from_the_data_files_and_fill_steps_loaded_before_them(sops):
    assert Step.objects.get(sop__kode="DMK-ADUAN", nomor="2").cabang == [
        {"label": "Tidak", "ke": "selesai", "pelaksana": "pengadu"}]
    assert Step.objects.get(sop__kode="BUNDER-MEDSOS", nomor="6").cabang == [{"label": "Tidak", "ke": "3"}]
    # A database loaded before the branches existed gets them; an admin's own are kept.
    Step.objects.filter(sop__kode="PTK-PENGUMUMAN", nomor="4").update(cabang=[])
    mine = [{"label": "Tidak", "ke": "2"}]
    Step.objects.filter(sop__kode="SRG-UJI-KONSEKUENSI", nomor="3").update(cabang=mine)
    load_all()
    assert Step.objects.get(sop__kode="PTK-PENGUMUMAN", nomor="4").cabang == [{"label": "Tidak", "ke": "3"}]
    assert Step.objects.get(sop__kode="SRG-UJI-KONSEKUENSI", nomor="3").cabang == mine
    load_all(overwrite=True)
    assert Step.objects.get(sop__kode="SRG-UJI-KONSEKUENSI", nomor="3").cabang == [
        {"label": "Tidak", "ke": "selesai"}, {"label": "Uji ulang", "ke": "2"}]


@pytest.mark.parametrize("bad, message", [
    ("cabang: [{label: Tidak, ke: '3'}]", "tidak ada"),  # replaced below with a missing step
    ("cabang: [{label: Tidak}]", "perlu 'ke'"),
    ("cabang: [{ke: '8'}, {ke: '7a'}]", "tanpa label"),
    ("cabang: [{label: Tidak, ke: selesai, pelaksana: warga}]", "tidak dikenal"),
])
def test_a_bad_branch_in_a_data_file_loads_nothing(without_sops, tmp_path, bad, message):
    bad = bad.replace("ke: '3'", "ke: '9b'")
    text = (Path(apps.get_app_config("aduan").path) / "sop" / "dmk_aduan.yaml").read_text()
    text = text.replace("cabang: [{ke: '8'}, {label: Tidak, ke: 7a}]", bad)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ValidationError, match=message):
        load(path)
    assert not Sop.objects.exists()


def test_an_admins_broken_branch_does_not_break_the_document(staf):
    step = Step.objects.get(sop__kode="PTK-PENGUMUMAN", nomor="4")
    step.cabang = [{"label": "Tidak"}, "rusak", {"label": "Tidak", "ke": "tamat"}]
    step.save()
    _, root = _halaman(staf, "PTK-PENGUMUMAN")
    ends = list(root.all("svg", "akhir"))
    assert len(ends) == 1 and "Tamat" in ends[0].teks()
