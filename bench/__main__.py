"""``python -m bench`` (what ``make bench`` runs): prepare the data set, run the scenarios,
print each beside its baseline with their ratio and goal, exit 1 when a goal is missed.
``python -m bench prepare`` only prepares the data set; ``python -m bench 1 3`` runs only
scenarios 1 and 3.

Needs DATABASE_URL (PostgreSQL) and DJANGO_SETTINGS_MODULE=bench.settings; the Makefile
sets both, with Redis for the broker and the cache.
"""

import os
import platform
import subprocess
import sys
import time
from datetime import datetime


def machine():
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.splitlines()[1].split()[1]
    except (OSError, IndexError):
        pass
    return f"{os.cpu_count()} cores, {cpu}, {mem} memory, {platform.platform()}"


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("DATABASE_URL must name the bench's PostgreSQL database (make bench sets it)")
    started = time.monotonic()

    def log(line):
        print(line, flush=True)

    from .setup import bench_n, prepare

    n = bench_n()
    log(f"PPID Portal benchmarks, {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}")
    log(f"machine: {machine()}")
    log(f"load average at start: {load_average()}")
    args = sys.argv[1:]
    wanted = set(args) & {"1", "2", "3", "4"} or {"1", "2", "3", "4"}
    prepare(n, log)
    if args == ["prepare"]:
        return 0

    from django.db import connection

    from sop.models import Task

    from . import load, report, s1_antrian, s2_aduan, s3_sweep, s4_arsip
    from .generate import WORKFLOWS, unregistered
    from .server import Gunicorn

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
        cursor.execute("TRUNCATE django_session")
    counts = ", ".join(f"{w.model.__name__} {w.model.objects.count()}" for w in WORKFLOWS)
    log(f"data set: N={n} ({counts}); {Task.objects.count()} Tasks, {Task.objects.open().count()} open")
    missing = unregistered()
    if missing:
        log(f"note: no generator yet for {', '.join(missing)} (add one function to bench/generate.py)")
    log(f"PostgreSQL {pg}; Redis broker and cache; load tool: {load.tool_version()}")

    rows = []
    var_dir = os.environ.get("PPID_VAR_DIR", ".")
    if wanted & {"1", "2"}:
        with Gunicorn(log_dir=var_dir) as server:
            if "1" in wanted:
                log("scenario 1: the officers' queue")
                rows += s1_antrian.run(server, log)
            if "2" in wanted:
                log("scenario 2: public complaint submissions")
                rows += s2_aduan.run(server, log)
    if "3" in wanted:
        log("scenario 3: the deadline sweep")
        rows += s3_sweep.run(None, log)
    if "4" in wanted:
        log("scenario 4: case archive PDF and bulk archive")
        rows += s4_arsip.run(None, log)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE django_session")

    log("")
    log(report.table(rows))
    log("")
    missed = [r for r in rows if r.ok is False]
    log(f"load average at end: {load_average()}; {time.monotonic() - started:.0f} s in all")
    if missed:
        log(f"{len(missed)} goal(s) missed: " + "; ".join(f"{r.key} {r.scenario}" for r in missed))
        return 1
    log("every goal met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
