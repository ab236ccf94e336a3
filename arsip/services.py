"""The bulk archive: which cases it holds, how a worker builds it, and how a dead worker's
job is recognised and retried.

A case is closed when it has no open Task; it belongs to a period when its last Task
finished within it (office time zone, whole days). The worker walks the closed cases in
chunks (``iterator``), writes each case PDF straight into the ZIP on disk, keeps the index's
rows in a file beside it, and renews the job's heartbeat after each case, so its memory does
not grow with the period. The ZIP is built under a ``.part`` name and renamed when complete:
a failed or killed attempt never leaves a file that can be downloaded.
"""

import json
import logging
import os
import zipfile
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, Subquery
from django.utils import timezone

from sop.models import Task

from .kasus import model_untuk
from .models import ArsipMassal
from .pdf import tulis_pdf_indeks, tulis_pdf_kasus, waktu, waktu_dua_baris

logger = logging.getLogger(__name__)

# The worker renews the heartbeat after every case (a case takes well under a second), so
# two minutes of silence means it died. A job still waiting after an hour was lost on the way.
MACET_BERJALAN = timedelta(minutes=2)
MACET_ANTRI = timedelta(hours=1)
CHUNK = 200
BARIS_INDEKS_PER_BAGIAN = 100

S = ArsipMassal.Status
PESAN_MACET = (
    "Penyusunan terhenti: worker tidak memberi tanda hidup selama lebih dari 2 menit "
    "(kemungkinan worker mati di tengah jalan). Berkas yang belum lengkap sudah dibuang; "
    "klik \u201cCoba lagi\u201d untuk menyusun ulang."
)
PESAN_HILANG = (
    "Arsip ini belum diambil worker setelah 1 jam menunggu. Klik \u201cCoba lagi\u201d untuk mengantrekan ulang."
)
# What the admin reads when the worker fails: what happened and what to do. The exception
# itself goes to the log only: Python's text means nothing to an admin and may reveal paths.
PESAN_GAGAL = (
    "Arsip gagal disusun. Terjadi kesalahan pada sistem saat menyusun berkas; rinciannya "
    "tercatat di log server. Klik \u201cCoba lagi\u201d; bila gagal lagi, hubungi pengelola sistem "
    "portal dan sebutkan nomor arsip ini."
)


class ArsipGagal(Exception):
    """A failure the job records with this message (in Bahasa Indonesia)."""


class Digantikan(Exception):
    """The job moved on without this attempt (marked failed and retried): stop quietly."""


def boleh_arsip_massal(user):
    return bool(
        user.is_authenticated and user.is_active
        and (user.is_superuser or (user.is_staff and user.has_perm("arsip.buat_arsip_massal")))
    )


def kasus_tertutup(model, start, end):
    """Cases of ``model`` with no open Task whose last Task finished in [start, end), with
    ``ditutup`` (that moment), oldest first."""
    ct = ContentType.objects.get_for_model(model)
    tasks = Task.objects.filter(case_type=ct, case_id=OuterRef("pk"))
    last = tasks.order_by().values("case_id").annotate(m=Max("finished_at")).values("m")
    return (
        model.objects.annotate(ditutup=Subquery(last))
        .filter(~Exists(tasks.filter(finished_at__isnull=True)), ditutup__gte=start, ditutup__lt=end)
        .select_related("unit")
        .order_by("ditutup", "pk")
    )


# --- queueing, retrying, and recognising a dead worker ----------------------------------------

def buat_arsip_massal(sop, mulai, sampai, user):
    """Record the job and queue it once the row is committed."""
    with transaction.atomic():
        job = ArsipMassal.objects.create(sop=sop, mulai=mulai, sampai=sampai, dibuat_oleh=user,
                                         detak=timezone.now())
        transaction.on_commit(partial(antrekan, job.pk, job.percobaan))
    return job


def antrekan(pk, percobaan):
    from .tasks import susun

    try:
        susun.delay(pk, percobaan)
    except Exception as exc:  # the broker is down: say so on the job rather than wait forever
        logger.warning("bulk archive %s could not be queued", pk, exc_info=True)
        ArsipMassal.objects.filter(pk=pk, percobaan=percobaan, status=S.ANTRI).update(
            status=S.GAGAL, rampung=timezone.now(),
            pesan_galat=f"Antrean tugas tidak dapat dihubungi ({exc.__class__.__name__}). Coba lagi sebentar lagi.",
        )


def tandai_macet(now=None):
    """Mark failed the jobs whose worker died (no heartbeat) or that no worker took.
    Conditional updates: running it twice, or from two places at once, changes nothing more."""
    now = now or timezone.now()
    dead = ArsipMassal.objects.filter(status=S.BERJALAN, detak__lt=now - MACET_BERJALAN).update(
        status=S.GAGAL, pesan_galat=PESAN_MACET, rampung=now)
    lost = ArsipMassal.objects.filter(status=S.ANTRI, detak__lt=now - MACET_ANTRI).update(
        status=S.GAGAL, pesan_galat=PESAN_HILANG, rampung=now)
    return dead + lost


def coba_lagi(job):
    """Queue a failed job again as a new attempt. False when it is not failed (a second click,
    or a job still running)."""
    updated = ArsipMassal.objects.filter(pk=job.pk, status=S.GAGAL).update(
        status=S.ANTRI, percobaan=F("percobaan") + 1, selesai=0, total=None, pesan_galat="", berkas="",
        ukuran=None, dimulai=None, rampung=None, detak=timezone.now(),
    )
    if not updated:
        return False
    job.refresh_from_db()
    _buang_sisa(job.pk, below=job.percobaan)
    transaction.on_commit(partial(antrekan, job.pk, job.percobaan))
    return True


# --- the worker's side ------------------------------------------------------------------------

def _folder():
    folder = Path(settings.MEDIA_ROOT) / "arsip"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _buang_sisa(pk, below):
    """Remove what earlier attempts of job ``pk`` left (a killed worker cleans nothing)."""
    folder = _folder()
    for path in folder.glob(f"massal-{pk}-*"):
        try:
            attempt = int(path.name.split("-")[2].split(".")[0])
        except (IndexError, ValueError):
            continue
        if attempt < below:
            path.unlink(missing_ok=True)


def _detak(pk, percobaan, **fields):
    """Renew the heartbeat (with progress); stop when this attempt is no longer the job's."""
    if not ArsipMassal.objects.filter(pk=pk, percobaan=percobaan, status=S.BERJALAN).update(
            detak=timezone.now(), **fields):
        raise Digantikan()


def susun(pk, percobaan):
    """Build job ``pk``'s ZIP as attempt ``percobaan``. Idempotent: an attempt that is not
    waiting (already taken, retried meanwhile, or finished) does nothing."""
    now = timezone.now()
    if not ArsipMassal.objects.filter(pk=pk, percobaan=percobaan, status=S.ANTRI).update(
            status=S.BERJALAN, dimulai=now, detak=now, selesai=0):
        return "dilewati"
    # A worker lives long: content-type ids it cached before a database restore (or a test's
    # flush) would find no Task at all. One query per case model to read them afresh.
    ContentType.objects.clear_cache()
    job = ArsipMassal.objects.select_related("sop", "dibuat_oleh").get(pk=pk)
    folder = _folder()
    part = folder / f"massal-{pk}-{percobaan}.zip.part"
    rows = folder / f"massal-{pk}-{percobaan}.indeks.jsonl"
    final = folder / f"massal-{pk}-{percobaan}.zip"
    try:
        total = _tulis_zip(job, part, rows)
        os.replace(part, final)
        done = ArsipMassal.objects.filter(pk=pk, percobaan=percobaan, status=S.BERJALAN).update(
            status=S.SELESAI, berkas=f"arsip/{final.name}", ukuran=final.stat().st_size, selesai=total,
            rampung=timezone.now(), detak=timezone.now())
        if not done:
            final.unlink(missing_ok=True)
            return "digantikan"
        return "selesai"
    except Digantikan:
        return "digantikan"
    except Exception as exc:
        logger.exception("bulk archive %s attempt %s failed", pk, percobaan)
        message = str(exc) if isinstance(exc, ArsipGagal) else PESAN_GAGAL
        ArsipMassal.objects.filter(pk=pk, percobaan=percobaan).exclude(status=S.SELESAI).update(
            status=S.GAGAL, pesan_galat=message[:2000], rampung=timezone.now())
        return "gagal"
    finally:
        part.unlink(missing_ok=True)
        rows.unlink(missing_ok=True)


def _tulis_zip(job, part, rows_path):
    model = model_untuk(job.sop.kode)
    if model is None:
        raise ArsipGagal(f"Arsip gagal disusun: SOP {job.sop.nama} tidak memiliki jenis kasus di portal ini.")
    start, end = job.periode
    cases = kasus_tertutup(model, start, end)
    total = cases.count()
    _detak(job.pk, job.percobaan, total=total)
    now = timezone.now()
    late_total = 0
    with zipfile.ZipFile(part, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf, \
            open(rows_path, "w", encoding="utf-8") as rows:
        for i, case in enumerate(cases.iterator(chunk_size=CHUNK), 1):
            with zf.open(f"kasus/{case.kode}.pdf", "w", force_zip64=True) as entry:
                try:
                    _, context = tulis_pdf_kasus(case, job.dibuat_oleh, entry, sop=job.sop, now=now)
                except Exception as exc:
                    raise ArsipGagal(
                        f"Arsip gagal disusun: PDF kasus {case.kode} tidak dapat disusun (rinciannya tercatat "
                        "di log server). Klik \u201cCoba lagi\u201d; bila gagal lagi, hubungi pengelola sistem "
                        "portal dan sebutkan kode kasus ini."
                    ) from exc
            late_total += context["jumlah_terlambat"]
            rows.write(json.dumps({
                "no": i, "kode": case.kode, "judul": context["judul"][:160], "tahap": context["tahap"],
                "dibuka": waktu_dua_baris(case.dibuat), "ditutup": waktu_dua_baris(case.ditutup), "terlambat": context["jumlah_terlambat"],
            }) + "\n")
            _detak(job.pk, job.percobaan, selesai=i)
        rows.close()
        _tulis_indeks(zf, job, rows_path, total, late_total, now)
    return total


def _tulis_indeks(zf, job, rows_path, total, late_total, now):
    """The index in parts of a bounded number of rows, joined into one PDF with pypdf:
    WeasyPrint's memory follows the size of the document it lays out."""
    from pypdf import PdfWriter

    start, end = job.periode
    writer = PdfWriter()
    part_paths = []
    base = {
        "sop": job.sop, "job": job, "total": total, "jumlah_terlambat": late_total,
        "mulai": f"{job.mulai:%d-%m-%Y}", "sampai": f"{job.sampai:%d-%m-%Y}", "dicetak": waktu(now),
        "dicetak_oleh": job.dibuat_oleh.get_full_name() or job.dibuat_oleh.get_username(),
        "kantor": settings.PPID_OFFICE_NAME,
    }
    try:
        with open(rows_path, encoding="utf-8") as rows:
            chunk, first = [], True
            for line in rows:
                chunk.append(json.loads(line))
                if len(chunk) == BARIS_INDEKS_PER_BAGIAN:
                    part_paths.append(_bagian_indeks(rows_path, len(part_paths), {**base, "baris": chunk, "awal": first}))
                    chunk, first = [], False
                    _detak(job.pk, job.percobaan)
            if chunk or first:
                part_paths.append(_bagian_indeks(rows_path, len(part_paths), {**base, "baris": chunk, "awal": first}))
        for path in part_paths:
            writer.append(str(path))
        writer.add_metadata({"/Title": f"Indeks arsip {job.sop.nama} {base['mulai']} s.d. {base['sampai']}"})
        joined = rows_path.with_name(f"{rows_path.stem}.pdf.part")
        part_paths.append(joined)
        writer.write(str(joined))  # pypdf needs a seekable file: on disk, then into the ZIP
        zf.write(joined, "indeks.pdf")
    finally:
        writer.close()
        for path in part_paths:
            path.unlink(missing_ok=True)


def _bagian_indeks(rows_path, number, context):
    path = rows_path.with_name(f"{rows_path.stem}.{number}.pdf.part")
    tulis_pdf_indeks(context, str(path))
    return path
