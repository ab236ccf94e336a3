"""The archive's PDFs, rendered by WeasyPrint from templates in ``templates/arsip/``.

- :func:`tulis_pdf_kasus`: one case as its archive: the SOP and its number, the case data
  (``Case.data_arsip(user)``, so a confidential identity shows only to those who may see it),
  the attachments by name (``Case.lampiran_arsip()``), and the timeline of every step with its
  lane, who acted, when, the SOP's time standard, the actual duration and late or on time.
- :func:`tulis_pdf_indeks`: the index of a bulk archive (one part of it; see ``arsip.services``).

Times are written in Asia/Jakarta whatever the process's active time zone is (a Celery
worker has none activated).
"""

import threading
from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from sop import services as engine
from sop.models import Sop

WIB = ZoneInfo("Asia/Jakarta")


def waktu(moment):
    return f"{timezone.localtime(moment, WIB):%d-%m-%Y %H:%M}" if moment else ""


def waktu_dua_baris(moment):
    """Date over time, for narrow table columns."""
    return f"{timezone.localtime(moment, WIB):%d-%m-%Y\n%H:%M}" if moment else ""


def lama(delta):
    """A duration as people say it: "2 hari 3 jam", "1 jam 5 menit", "40 detik"."""
    if delta is None:
        return ""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} detik"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} hari"] if days else []
    if hours:
        parts.append(f"{hours} jam")
    if minutes and not days:
        parts.append(f"{minutes} menit")
    return " ".join(parts) or "0 menit"


def ukuran(size):
    if size is None:
        return "tidak tersedia"
    if size < 1024:
        return f"{size} byte"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB".replace(".", ",")
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _nama(user):
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _ketepatan(task, now):
    """Late or on time against the SOP's standard, as the case page says it."""
    if task.finished_at is None:
        return "terlambat (berjalan)" if task.is_overdue(now) else "berjalan"
    if task.due_at is None:
        return "tanpa batas waktu" if task.transition != "dibuat" else ""
    return "terlambat" if task.is_late else "tepat waktu"


def baris_jejak(tasks, now=None):
    """The timeline's rows, each a dict of what the PDF prints."""
    now = now or timezone.now()
    rows = []
    for task in tasks:
        oleh = _nama(task.finished_by)
        if not oleh and task.finished_at is not None:
            oleh = task.lane.nama if task.lane.warga else "sistem"
        rows.append({
            "nomor": task.step.nomor,
            "kegiatan": task.step.kegiatan,
            "lane": task.lane.nama,
            "unit": task.unit.nama if task.unit_id else "",
            "oleh": oleh,
            "mulai": waktu_dua_baris(task.started_at),
            "selesai": waktu_dua_baris(task.finished_at),
            "batas": waktu(task.due_at),
            "standar": task.waktu or "",
            "lama": lama(task.duration) if task.transition != "dibuat" else "",
            "ketepatan": _ketepatan(task, now),
            "terlambat": task.finished_at is not None and task.is_late,
            "aksi": task.aksi if task.transition else "",
            "catatan": task.note,
        })
    return rows


def isi_kasus(case, user, sop=None, now=None):
    """Everything the case archive shows, for ``user``."""
    sop = sop or Sop.objects.get(kode=case.SOP_KODE)
    now = now or timezone.now()
    tasks = engine.timeline(case)
    jejak = baris_jejak(tasks, now)
    finished = [t.finished_at for t in tasks if t.finished_at]
    closed = bool(tasks) and all(t.finished_at for t in tasks)
    return {
        "sop": sop,
        "kasus": case,
        "judul": case.judul_antrian(),
        "tahap": engine.state_label(case),
        "unit": case.unit.nama if case.unit_id else "",
        "dibuka": waktu(case.dibuat),
        "ditutup": waktu(max(finished)) if closed else "",
        "data": case.data_arsip(user),
        "lampiran": [
            {"nama": nama, "jenis": jenis or "tidak diketahui", "ukuran": ukuran(size)}
            for nama, jenis, size in case.lampiran_arsip()
        ],
        "jejak": jejak,
        "jumlah_terlambat": sum(1 for r in jejak if r["terlambat"]),
        "dicetak": waktu(now),
        "dicetak_oleh": _nama(user),
        "kantor": settings.PPID_OFFICE_NAME,
    }


def html_kasus(case, user, sop=None, now=None):
    context = isi_kasus(case, user, sop, now)
    return render_to_string("arsip/kasus_pdf.html", context), context


_fonts = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread, reused for every PDF: a new one for each
    document keeps about 0.2 MB of fontconfig memory that is never given back, which would
    make a bulk archive's worker grow with the number of cases."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_fonts, "config"):
        _fonts.config = FontConfiguration()
    return _fonts.config


def tulis_pdf(html, target=None):
    """WeasyPrint on ``html``: written to ``target`` (a path or binary file), or returned."""
    from weasyprint import HTML  # imported on first use: loading it parses its stylesheets

    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(target, font_config=_font_config())


def tulis_pdf_kasus(case, user, target=None, sop=None, now=None):
    """The case's archive PDF into ``target`` (or returned as bytes). Returns the context too,
    so a bulk archive can index the case without reading it twice."""
    html, context = html_kasus(case, user, sop, now)
    return tulis_pdf(html, target), context


def tulis_pdf_indeks(context, target):
    tulis_pdf(render_to_string("arsip/indeks_pdf.html", context), target)
