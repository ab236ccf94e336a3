"""The SOP document itself, drawn from the rows the engine runs on (PermenPAN-RB 35/2012 form).

:func:`susun` reads a :class:`~sop.models.Sop` with its lanes and steps, live from the
database (nothing is cached: a time standard changed in the admin shows at once), and lays
out what the templates ``sop/dokumen*.html`` print: the header block and the table with one
column per Pelaksana holding the flowchart. :func:`tulis_pdf` renders the same layout to an
A4-landscape PDF with WeasyPrint; the staff page shows the same HTML.

The flowchart is drawn per table cell, so that it survives any row height and any page break:

- each shape (capsule for the start and the ends, box for a process, diamond for a decision)
  is an inline SVG centred in its lane cell, with the arrowheads of the lines that enter it;
- each line is a chain of orthogonal segments on a small lattice of tracks (five vertical
  tracks per lane column, five levels per row: two near the top, the middle, two near the
  bottom), routed here with Dijkstra (short, few bends, no two lines on one segment unless they
  go to the same shape, crossings only at right angles);
- the segments that fall in a cell become CSS background gradients of that cell, anchored to
  its top, middle or bottom, so they stretch with the row as the text beside it wraps.

How a step leads on (``Step.cabang``, a list of ``{"label": ..., "ke": ...}``):

- no entries: the step leads to the next row (the last row ends the SOP);
- an entry without a label replaces that: the step leads to ``ke`` (a step's nomor) instead,
  or ends the SOP when ``ke`` is not a step's nomor (a text such as ``"selesai"``);
- entries with a label make the step a decision (a diamond): each names where its branch goes,
  a step's nomor or an end text (drawn as a small capsule in the row, in the lane named by an
  optional ``"pelaksana"``); the main path is then labelled "Ya".
"""

import heapq
import itertools
import re
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, translation


# --- geometry (CSS px; the PDF's A4 landscape page is 1047 px wide inside its margins) ------

LEBAR_TABEL = 1047
LEBAR_TETAP = {"no": 30, "kelengkapan": 112, "waktu": 70, "output": 112, "keterangan": 122}
LEBAR_KEGIATAN_MIN = 190
TINGGI_BARIS = 76  # the least height of a row: room for a shape and two tracks above and below
TINGGI_SVG = 50

# Vertical tracks of a lane column (share of its width) and levels of a row. The middle track
# and level meet at the shape; the others pass beside, above or below it.
LAJUR_X = (0.07, 0.16, 0.5, 0.84, 0.93)
# Levels as (anchor, offset): from the top in px, the middle, from the bottom in px.
LEVEL = (("atas", 4), ("atas", 10), ("tengah", 0), ("bawah", 10), ("bawah", 4))
_LEVEL_Y = (4, 10, TINGGI_BARIS / 2, TINGGI_BARIS - 10, TINGGI_BARIS - 4)  # for path lengths only
N = 5  # tracks per column, levels per row
TENGAH = 2

BELOKAN = 40  # cost of a bend, in px of line
SILANG = 30  # cost of crossing another line
TEBAL = "1.3px"
WARNA = "#111"

NOMOR_LANGKAH = re.compile(r"^\d+[a-z]?$", re.IGNORECASE)


@dataclass
class Bentuk:
    """A shape in one lane cell."""

    jenis: str  # "terminal", "proses", "keputusan", "akhir" (an end capsule of a branch)
    teks: str
    tambahan: bool = False
    masuk: set = field(default_factory=set)  # ports with an arrowhead: "n", "s", "w", "e"
    label: dict = field(default_factory=dict)  # port -> (label, which way the line turns)


@dataclass
class Garis:
    """One line of the flowchart: from the shape in cell ``dari`` to the shape in ``ke``."""

    dari: tuple
    ke: tuple
    label: str = ""
    utama: bool = True
    titik: list = field(default_factory=list)  # lattice nodes (gy, gx), dari's centre to ke's


def _cabang(step):
    """The step's valid entries of ``cabang`` (an admin may have typed anything)."""
    entries = []
    for item in step.cabang if isinstance(step.cabang, list) else []:
        if isinstance(item, dict) and isinstance(item.get("ke"), str) and item["ke"].strip():
            label = item.get("label")
            entries.append({
                "label": label.strip() if isinstance(label, str) else "",
                "ke": item["ke"].strip(),
                "pelaksana": item.get("pelaksana") if isinstance(item.get("pelaksana"), str) else "",
            })
    return entries


def _cari_langkah(steps, nomor, dari):
    """The row of the step numbered ``nomor``: the first one after row ``dari`` when the SOP
    prints a number twice (Bunder's two steps 8), else the first; None for an end text."""
    rows = [i for i, s in enumerate(steps) if s.nomor.strip().lower() == nomor.strip().lower()]
    if not rows:
        return None
    after = [i for i in rows if i > dari]
    return after[0] if after else rows[0]


class Bagan:
    """The flowchart of one SOP: shapes per cell, routed lines, and the CSS that draws them."""

    def __init__(self, lanes, steps, lebar_lajur):
        self.lanes = lanes
        self.steps = steps
        self.w = lebar_lajur
        self.kolom = {lane.id: i for i, lane in enumerate(lanes)}
        self.bentuk = {}  # (row, col) -> Bentuk
        self.garis = []
        self._susun_bentuk()
        self._rute()

    # --- shapes and the lines between them ---------------------------------------------------

    def _sel_kosong(self, row, dekat, pilihan=""):
        lanes = [lane.kode for lane in self.lanes]
        if pilihan in lanes and (row, lanes.index(pilihan)) not in self.bentuk:
            return (row, lanes.index(pilihan))
        order = sorted(range(len(lanes)), key=lambda c: (abs(c - dekat), c < dekat))
        for col in order:
            if (row, col) not in self.bentuk:
                return (row, col)
        return None

    def _susun_bentuk(self):
        steps = self.steps
        plan = []
        for i, step in enumerate(steps):
            entries = _cabang(step)
            main = next((e for e in entries if not e["label"]), None)
            branches = [e for e in entries if e["label"]]
            if main is not None:
                target = _cari_langkah(steps, main["ke"], i)
                main_to = target if target is not None else main["ke"]
            else:
                main_to = i + 1 if i + 1 < len(steps) else "Selesai"
            decision = bool(branches)
            if decision:
                jenis = "keputusan"
            elif i == 0 or isinstance(main_to, str):
                jenis = "terminal"
            else:
                jenis = "proses"
            cell = (i, self.kolom[step.lane_id])
            self.bentuk[cell] = Bentuk(jenis, step.nomor, tambahan=step.tambahan)
            plan.append((i, cell, decision, main_to, main, branches))
        main_lines, branch_lines = [], []
        for i, cell, decision, main_to, main, branches in plan:
            label = "Ya" if decision else ""
            if isinstance(main_to, int):
                main_lines.append(Garis(cell, (main_to, self.kolom[steps[main_to].lane_id]), label))
            elif decision:  # a decision whose main path ends: an end capsule in its row
                end = self._sel_kosong(i, cell[1], (main or {}).get("pelaksana", ""))
                if end:
                    self.bentuk[end] = Bentuk("akhir", main_to)
                    main_lines.append(Garis(cell, end, label))
            for branch in branches:
                target = _cari_langkah(steps, branch["ke"], i)
                if target is not None:
                    to = (target, self.kolom[steps[target].lane_id])
                else:
                    to = self._sel_kosong(i, cell[1], branch["pelaksana"])
                    if to is None:
                        continue
                    self.bentuk[to] = Bentuk("akhir", branch["ke"])
                branch_lines.append(Garis(cell, to, branch["label"], utama=False))
        # The main path forward first, so that it takes the straightest way; then the branches;
        # last the ways back up (a return after a portal step), which go round both.
        forward = [g for g in main_lines if g.ke[0] > g.dari[0]]
        back = [g for g in main_lines if g.ke[0] <= g.dari[0]]
        self.garis = forward + branch_lines + back

    # --- routing on the lattice ---------------------------------------------------------------

    def _x(self, gx):
        return (gx // N) * self.w + LAJUR_X[gx % N] * self.w

    def _y(self, gy):
        return (gy // N) * TINGGI_BARIS + _LEVEL_Y[gy % N]

    @staticmethod
    def _pusat(cell):
        return (cell[0] * N + TENGAH, cell[1] * N + TENGAH)

    def _rute(self):
        rows, cols = len(self.steps) * N, len(self.lanes) * N
        centres = {self._pusat(cell): cell for cell in self.bentuk}
        # The nodes next to each shape are its ports, and the two beyond its top and bottom
        # ports are kept clear too: only lines leaving or entering that shape through that
        # port use them, so no line passes across an arrowhead or seems to run into a shape.
        reserved = {}  # node -> (shape centre, the neighbour on the side of the centre)
        for centre in centres:
            for d in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                port = (centre[0] + d[0], centre[1] + d[1])
                reserved[port] = (centre, centre)
                if d[0]:
                    reserved[(port[0] + d[0], port[1])] = (centre, port)
        ports = {node: owner for node, (owner, _) in reserved.items() if abs(node[0] - owner[0]) + abs(node[1] - owner[1]) == 1}
        edge_use = {}  # (node, node) directed -> target cell
        node_use = {}  # node -> list of (target cell, kind "h"/"v"/"b")
        counter = itertools.count()

        for line in self.garis:
            start, goal = self._pusat(line.dari), self._pusat(line.ke)

            def usable(node, prev, nxt, kind, goal=goal, start=start, ke=line.ke):
                if node in reserved:
                    owner, inward = reserved[node]
                    if not ((owner == start and prev == inward) or (owner == goal and nxt == inward)):
                        return False  # another shape's port, or past this line's own ends
                for target, other in node_use.get(node, ()):
                    if target != ke and {kind, other} != {"h", "v"}:
                        return False  # only a right-angle crossing with another line
                return True

            gx_goal, gy_goal = self._x(goal[1]), self._y(goal[0])

            def estimate(node):  # A*: the straight distance left, never more than the cost
                return abs(self._x(node[1]) - gx_goal) + abs(self._y(node[0]) - gy_goal)

            best = {(start, None): 0}
            parent = {}
            heap = [(estimate(start), 0, next(counter), start, None)]
            found = None
            while heap:
                _, cost, _, node, came = heapq.heappop(heap)
                if node == goal:
                    found = (node, came)
                    break
                if best.get((node, came), float("inf")) < cost:
                    continue
                prev = (node[0] - came[0], node[1] - came[1]) if came else None
                for d in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                    nxt = (node[0] + d[0], node[1] + d[1])
                    if not (0 <= nxt[0] < rows and 0 <= nxt[1] < cols):
                        continue
                    if node == start and ports.get(nxt) != start:
                        continue
                    used = edge_use.get((node, nxt))
                    if (nxt, node) in edge_use or (used is not None and used != line.ke):
                        continue
                    if node != start:
                        kind = ("v" if d[0] else "h") if came == d else "b"
                        if not usable(node, prev, nxt, kind):
                            continue
                    if nxt in centres and nxt != goal:
                        continue
                    step_cost = abs(self._x(nxt[1]) - self._x(node[1])) + abs(self._y(nxt[0]) - self._y(node[0]))
                    if came is not None and came != d:
                        step_cost += BELOKAN
                    if node != start and any(t != line.ke for t, _ in node_use.get(node, ())):
                        step_cost += SILANG
                    total = cost + step_cost
                    if best.get((nxt, d), float("inf")) <= total:
                        continue
                    best[(nxt, d)] = total
                    parent[(nxt, d)] = (node, came)
                    heapq.heappush(heap, (total + estimate(nxt), total, next(counter), nxt, d))
            if found is not None:
                path, state = [], found
                while state is not None:
                    path.append(state[0])
                    state = parent.get(state)
                found = path[::-1]
            if found is None:
                continue  # no way through (never with the five SOPs); the table still reads
            line.titik = found
            for a, b in zip(found, found[1:]):
                edge_use[(a, b)] = line.ke
            for prev, node, nxt in zip(found, found[1:], found[2:]):
                d1 = (node[0] - prev[0], node[1] - prev[1])
                d2 = (nxt[0] - node[0], nxt[1] - node[1])
                kind = ("v" if d1[0] else "h") if d1 == d2 else "b"
                node_use.setdefault(node, []).append((line.ke, kind))
            self._pelabuhan(line, found)

    def _pelabuhan(self, line, path):
        def port(centre, node):
            dy, dx = node[0] - centre[0], node[1] - centre[1]
            return {(-1, 0): "n", (1, 0): "s", (0, -1): "w", (0, 1): "e"}[(dy, dx)]

        self.bentuk[line.ke].masuk.add(port(path[-1], path[-2]))
        if line.label:
            # A side label sits on the side of the line away from where it turns.
            turn = next((b[0] - a[0] for a, b in zip(path[1:], path[2:]) if b[0] != a[0]), 1)
            self.bentuk[line.dari].label[port(path[0], path[1])] = (line.label, turn)

    # --- drawing ------------------------------------------------------------------------------

    def segmen(self):
        """The drawn segments per cell: {(row, col): [("h", level, x0, x1) | ("v", x, y0, y1)]},
        x as a share of the lane width, y as positions 0 (top edge) .. 6 (bottom edge) where
        1..5 are the row's levels."""
        out = {}
        for line in self.garis:
            for a, b in zip(line.titik, line.titik[1:]):
                if a[0] == b[0]:  # horizontal
                    gy = a[0]
                    lo, hi = sorted((a[1], b[1]))
                    row = gy // N
                    if lo // N == hi // N:
                        out.setdefault((row, lo // N), []).append(("h", gy % N, LAJUR_X[lo % N], LAJUR_X[hi % N]))
                    else:
                        out.setdefault((row, lo // N), []).append(("h", gy % N, LAJUR_X[lo % N], 1.0))
                        out.setdefault((row, hi // N), []).append(("h", gy % N, 0.0, LAJUR_X[hi % N]))
                else:
                    gx = a[1]
                    lo, hi = sorted((a[0], b[0]))
                    col = gx // N
                    if lo // N == hi // N:
                        out.setdefault((lo // N, col), []).append(("v", LAJUR_X[gx % N], lo % N + 1, hi % N + 1))
                    else:
                        out.setdefault((lo // N, col), []).append(("v", LAJUR_X[gx % N], lo % N + 1, 6))
                        out.setdefault((hi // N, col), []).append(("v", LAJUR_X[gx % N], 0, hi % N + 1))
        return out

    def css(self, prefix):
        """CSS rules ``.{prefix}-{row}-{col}`` giving each lane cell its line segments."""
        rules = []
        for (row, col), segs in sorted(self.segmen().items()):
            layers = []
            for seg in segs:
                layers.extend(_lapisan(seg))
            rules.append(f".{prefix}-{row}-{col}{{background:{','.join(layers)};background-repeat:no-repeat}}")
        return "\n".join(rules)

    def svg(self, cell):
        """The inline SVG of the shape in ``cell`` (empty when the cell has none)."""
        shape = self.bentuk.get(cell)
        if shape is None:
            return ""
        return _svg(shape, self.w, self.steps[cell[0]] if shape.jenis != "akhir" else None)


def _pos_atas(level):
    """Position from the top for the top half of a cell: 0 edge, 1..3 levels (3 = middle)."""
    return {0: "0px", 1: "4px", 2: "10px", 3: "50%"}[level]


def _pos_bawah(level):
    """Position from the bottom for the bottom half: 6 edge, 5..3 levels (3 = middle)."""
    return {6: "0px", 5: "4px", 4: "10px", 3: "50%"}[level]


def _lapisan(seg):
    """CSS background layers (gradient + position/size) drawing one segment in its cell."""
    ink = WARNA
    if seg[0] == "h":
        _, level, x0, x1 = seg
        anchor, offset = LEVEL[level]
        y = {"atas": f"top {offset}px", "tengah": "top 50%", "bawah": f"bottom {offset}px"}[anchor]
        grad = (f"linear-gradient(to right,transparent {x0 * 100:.2f}%,{ink} {x0 * 100:.2f}%,"
                f"{ink} {x1 * 100:.2f}%,transparent {x1 * 100:.2f}%)")
        return [f"{grad} left 0 {y}/100% {TEBAL}"]
    _, x, y0, y1 = seg
    layers = []
    xpos = f"left {x * 100:.2f}%"
    if y0 < 3:  # the part above the middle, measured from the top
        a, b = _pos_atas(y0), _pos_atas(min(y1, 3))
        layers.append(f"linear-gradient(to bottom,transparent {a},{ink} {a},{ink} {b},transparent {b}) {xpos} top 0/{TEBAL} 100%")
    if y1 > 3:  # the part below the middle, measured from the bottom
        a, b = _pos_bawah(y1), _pos_bawah(max(y0, 3))
        layers.append(f"linear-gradient(to top,transparent {a},{ink} {a},{ink} {b},transparent {b}) {xpos} top 0/{TEBAL} 100%")
    return layers


def _svg(shape, w, step):
    h = TINGGI_SVG
    cx, cy = w / 2, h / 2
    dash = ' stroke-dasharray="4 2"' if shape.tambahan else ""
    common = f'fill="#fff" stroke="{WARNA}" stroke-width="1.3"{dash}'
    if shape.jenis == "keputusan":
        hw, hh = min(w * 0.3, 34), 17
        body = f'<polygon points="{cx},{cy - hh} {cx + hw},{cy} {cx},{cy + hh} {cx - hw},{cy}" {common}/>'
    elif shape.jenis in ("terminal", "akhir"):
        hw, hh = min(w * 0.3, 34), 11
        body = f'<rect x="{cx - hw}" y="{cy - hh}" width="{2 * hw}" height="{2 * hh}" rx="{hh}" ry="{hh}" {common}/>'
    else:
        hw, hh = min(w * 0.27, 30), 13
        body = f'<rect x="{cx - hw}" y="{cy - hh}" width="{2 * hw}" height="{2 * hh}" {common}/>'
    text = shape.teks if shape.jenis != "akhir" else shape.teks[:1].upper() + shape.teks[1:]
    size = 8 if shape.jenis != "akhir" else 6.5
    if shape.jenis == "akhir" and len(text) * size * 0.55 > 2 * hw - 6:
        text = text[: max(3, int((2 * hw - 6) / (size * 0.55)) - 1)] + "\u2026"
    body += (f'<text x="{cx}" y="{cy + size * 0.35}" font-size="{size}" text-anchor="middle" '
             f'font-family="DejaVu Sans, sans-serif" fill="{WARNA}">{escape(text)}</text>')
    heads = {"n": (cx, cy - hh, 0, -1), "s": (cx, cy + hh, 0, 1), "w": (cx - hw, cy, -1, 0), "e": (cx + hw, cy, 1, 0)}
    for port in sorted(shape.masuk):
        x, y, dx, dy = heads[port]
        # tip on the edge, pointing in; base 6 px outside
        bx, by = x + 6 * dx, y + 6 * dy
        px, py = 3.2 * dy, 3.2 * dx
        body += (f'<polygon class="panah" points="{x},{y} {bx + px},{by + py} {bx - px},{by - py}" '
                 f'fill="{WARNA}"/>')
    for port, (label, turn) in sorted(shape.label.items()):
        x, y, dx, dy = heads[port]
        if port in ("e", "w"):
            lx, ly, anchor = x + 3 * dx, y + (8.5 if turn < 0 else -3.5), "start" if dx > 0 else "end"
        else:
            lx, ly, anchor = x + 3, y + (9 if dy > 0 else -3), "start"
        body += (f'<text class="label-cabang" x="{lx}" y="{ly}" font-size="7" text-anchor="{anchor}" '
                 f'font-family="DejaVu Sans, sans-serif" fill="{WARNA}">{escape(label)}</text>')
    names = {"terminal": "mulai/selesai", "akhir": "selesai", "proses": "proses", "keputusan": "keputusan"}
    title = f"Langkah {step.nomor}: {names[shape.jenis]}" if step else f"{names[shape.jenis]}: {shape.teks}"
    if shape.tambahan:
        title += " (tambahan portal)"
    return (f'<svg class="bentuk {shape.jenis}" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
            f'overflow="visible" role="img" aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
            f'{body}</svg>')


# --- the document ----------------------------------------------------------------------------

def _lebar(n_lanes):
    fixed = sum(LEBAR_TETAP.values())
    lane = max(72, min(124, (LEBAR_TABEL - fixed - LEBAR_KEGIATAN_MIN) // max(1, n_lanes)))
    kegiatan = LEBAR_TABEL - fixed - lane * n_lanes
    return lane, max(LEBAR_KEGIATAN_MIN, kegiatan)


def _alur(bagan):
    """The flow in words, one line per line of the chart (for screen readers and the text
    search of the PDF)."""
    out = []
    for line in bagan.garis:
        src = bagan.steps[line.dari[0]].nomor
        target = bagan.bentuk[line.ke]
        to = f"langkah {bagan.steps[line.ke[0]].nomor}" if target.jenis != "akhir" else target.teks.capitalize()
        out.append({"dari": src, "ke": to, "label": line.label, "utama": line.utama})
    return out


def susun(sop):
    """Everything the document templates print for ``sop``, read now from the database."""
    lanes = list(sop.lanes.order_by("urutan", "id"))
    steps = list(sop.steps.order_by("urutan").select_related("lane"))
    lane_w, kegiatan_w = _lebar(len(lanes))
    bagan = Bagan(lanes, steps, lane_w)
    prefix = "sb"
    rows = []
    for i, step in enumerate(steps):
        cells = []
        for c, lane in enumerate(lanes):
            cells.append({"kelas": f"{prefix}-{i}-{c}", "svg": bagan.svg((i, c)), "lane": lane})
        rows.append({"step": step, "sel": cells})
    widths = {"lajur": lane_w, "kegiatan": kegiatan_w, **LEBAR_TETAP}
    # The widths depend on the number of lanes; they go with the lines into one <style>
    # block (a CSP nonce on the page), never into style attributes, which the CSP refuses.
    sizes = [f".sop-bagan{{width:{LEBAR_TABEL}px}}", f".sop-bagan td.lajur{{height:{TINGGI_BARIS}px}}"]
    sizes += [f".sop-bagan col.c-{name}{{width:{px}px}}" for name, px in widths.items()]
    with translation.override("id"):  # the document is Indonesian, whatever the reader's language
        dates = {
            name: dateformat.format(getattr(sop, name), "j F Y") if getattr(sop, name) else "-"
            for name in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif")
        }
    return {
        "sop": sop,
        "tanggal": dates,
        "lanes": lanes,
        "baris": rows,
        "alur": _alur(bagan),
        "bagan_css": "\n".join(sizes) + "\n" + bagan.css(prefix),
        "ada_tambahan": any(s.tambahan for s in steps),
    }


CSS_DOKUMEN = Path(settings.BASE_DIR) / "static" / "css" / "dokumen_sop.css"


def tulis_pdf(sop):
    """The SOP document as PDF bytes (A4 landscape, the table's header on every page)."""
    from weasyprint import CSS, HTML  # imported on first use: loading it parses its stylesheets

    with translation.override("id"):
        html = render_to_string("sop/dokumen_pdf.html", susun(sop))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        stylesheets=[CSS(filename=str(CSS_DOKUMEN))]
    )
