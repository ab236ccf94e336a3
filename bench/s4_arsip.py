"""Scenario 4: the case archive PDF against WeasyPrint rendering the same HTML directly, and
the bulk archive of about 100 and about 1,000 closed complaints built by a real Celery worker:
pages per second and the worker's peak memory, which must stay flat as the period grows.

The case archive is timed whole (its queries, the template, WeasyPrint) against WeasyPrint
alone on the HTML it produced, alternately, on the closed complaint with the longest timeline.
Each bulk archive runs in a fresh ``celery worker --pool=solo`` whose peak resident memory
(VmHWM) is read from /proc before it is stopped; periods are whole days ending on the last
closing day, grown until they hold the number of cases asked for.
"""

import io
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time as clock
import zipfile
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from arsip.models import ArsipMassal
from arsip.pdf import html_kasus, tulis_pdf, tulis_pdf_kasus
from arsip.services import kasus_tertutup
from sop.models import Sop, Task

from .report import Row, ms, times

ROUNDS = int(os.environ.get("BENCH_ARSIP_ROUNDS", "15"))
SIZES = tuple(int(x) for x in os.environ.get("BENCH_ARSIP_SIZES", "100,1000").split(","))
GOAL_RATIO = 1.2
GOAL_MEMORY = 1.2
SOP_KODE = "DMK-ADUAN"


def _bench_user():
    user, _ = get_user_model().objects.get_or_create(
        username="bench_arsip", defaults={"is_staff": True, "is_superuser": True, "first_name": "Bench"})
    return user


def _longest_closed_case(model):
    since = timezone.now() - timedelta(days=3650)
    closed = kasus_tertutup(model, since, timezone.now() + timedelta(days=1))
    ids = list(closed.values_list("pk", flat=True)[:2000])
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(model)
    top = (Task.objects.filter(case_type=ct, case_id__in=ids).values("case_id").annotate(n=Count("id"))
           .order_by("-n", "case_id").first())
    return model.objects.select_related("unit").get(pk=top["case_id"]), top["n"]


def compare_case_pdf(model, user, log):
    case, steps = _longest_closed_case(model)
    sop = Sop.objects.get(kode=model.SOP_KODE)
    html, _ = html_kasus(case, user, sop)
    for _ in range(3):  # warm: fonts loaded, templates compiled
        tulis_pdf_kasus(case, user, sop=sop)
        tulis_pdf(html)
    whole, direct = [], []
    for _ in range(ROUNDS):
        started = clock.perf_counter()
        tulis_pdf_kasus(case, user)
        whole.append(clock.perf_counter() - started)
        started = clock.perf_counter()
        tulis_pdf(html)
        direct.append(clock.perf_counter() - started)
    w, d = statistics.median(whole), statistics.median(direct)
    log(f"  case archive PDF of {case.kode} ({steps} steps): median {ms(w)} vs WeasyPrint alone {ms(d)}, "
        f"{ROUNDS} rounds")
    return Row("4", f"case archive PDF ({steps}-step complaint) vs WeasyPrint on the same HTML",
               f"median {ms(w)}", f"{ms(d)}", times(w / d), f"<= {GOAL_RATIO}x", w / d <= GOAL_RATIO)


def _period_for(model, size):
    """Whole WIB days ending on the last closing day and starting on the day the ``size``-th
    newest case closed: at least ``size`` cases (the whole first day is in)."""
    far = timezone.now() - timedelta(days=3650)
    closing = list(kasus_tertutup(model, far, timezone.now() + timedelta(days=1))
                   .order_by("-ditutup").values_list("ditutup", flat=True)[:size])
    if len(closing) < size:
        return None
    start_day, end_day = (timezone.localtime(closing[-1]).date(), timezone.localtime(closing[0]).date())
    start = timezone.make_aware(datetime.combine(start_day, time.min))
    end = timezone.make_aware(datetime.combine(end_day + timedelta(days=1), time.min))
    return start_day, end_day, kasus_tertutup(model, start, end).count()


def _worker(env, ready):
    cmd = [sys.executable, "-m", "celery", "-A", "ppid", "worker", "--pool=solo", "--without-gossip",
           "--without-mingle", "--without-heartbeat", "-n", f"arsip-bench-{os.getpid()}@%h", "-l", "WARNING"]
    proc = subprocess.Popen(cmd, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = clock.monotonic() + 60
    while not ready.exists():
        if proc.poll() is not None or clock.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the bench worker did not start")
        clock.sleep(0.1)
    return proc


def _peak_rss_kb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def bulk_archive(model, user, size, log):
    found = _period_for(model, size)
    if found is None:
        return None
    start_day, end_day, count = found
    sop = Sop.objects.get(kode=model.SOP_KODE)
    with tempfile.TemporaryDirectory(prefix="arsip-bench-") as tmp:
        ready = Path(tmp) / "ready"
        env = dict(os.environ, PPID_WORKER_READY_FILE=str(ready), PPID_MEDIA_ROOT=tmp,
                   DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE", "bench.settings"))
        proc = _worker(env, ready)
        baseline_kb = _peak_rss_kb(proc.pid)
        try:
            from arsip import services

            started = last_log = clock.monotonic()
            job = services.buat_arsip_massal(sop, start_day, end_day, user)
            while True:
                job.refresh_from_db()
                if not job.berjalan:
                    break
                if proc.poll() is not None:
                    raise RuntimeError("the bench worker died")
                if clock.monotonic() - last_log > 60:  # the memory curve, not only its end
                    last_log = clock.monotonic()
                    log(f"    {job.selesai} of {job.total} cases after {last_log - started:.0f} s; "
                        f"worker peak RSS so far {_peak_rss_kb(proc.pid) / 1024:.0f} MB")
                clock.sleep(0.2)
            elapsed = clock.monotonic() - started
            peak_kb = _peak_rss_kb(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        if job.status != ArsipMassal.Status.SELESAI:
            raise RuntimeError(f"bulk archive failed: {job.pesan_galat}")
        from pypdf import PdfReader

        with zipfile.ZipFile(Path(tmp) / job.berkas.name) as archive:
            pages = sum(len(PdfReader(io.BytesIO(archive.read(name))).pages) for name in archive.namelist())
        size_mb = job.ukuran / 1e6
        job.delete()
    result = {"cases": count, "seconds": elapsed, "pages": pages, "peak_mb": peak_kb / 1024,
              "idle_mb": baseline_kb / 1024, "zip_mb": size_mb, "period": f"{start_day:%d-%m-%Y}..{end_day:%d-%m-%Y}"}
    log(f"  bulk archive of {count} cases ({result['period']}): {elapsed:.1f} s, {pages} pages, "
        f"{pages / elapsed:.1f} pages/s; worker peak RSS {result['peak_mb']:.0f} MB (idle {result['idle_mb']:.0f} MB); "
        f"ZIP {size_mb:.1f} MB")
    return result


def run(server, log):
    from arsip.kasus import model_untuk

    model = model_untuk(SOP_KODE)
    user = _bench_user()
    rows = [compare_case_pdf(model, user, log)]
    results = {size: bulk_archive(model, user, size, log) for size in SIZES}
    small, big = results[min(SIZES)], results[max(SIZES)]
    if small is None or big is None or big["cases"] < max(SIZES):
        have = big["cases"] if big else 0
        rows.append(Row("4", f"bulk archive of {max(SIZES):,} closed complaints",
                        f"not available: the data set has {have} closed complaints", "", "", "", None))
        return rows
    ratio = big["peak_mb"] / small["peak_mb"]
    rows.append(Row(
        "4", f"bulk archive, real worker: {big['cases']:,} cases vs {small['cases']:,}",
        f"{big['pages'] / big['seconds']:.1f} pages/s, {big['seconds']:.0f} s, peak RSS {big['peak_mb']:.0f} MB",
        f"{small['pages'] / small['seconds']:.1f} pages/s, peak RSS {small['peak_mb']:.0f} MB", times(ratio),
        f"peak RSS <= {GOAL_MEMORY}x (flat)", ratio <= GOAL_MEMORY,
    ))
    log("  " + json.dumps(results))
    return rows
