"""Bring the bench database to the data set asked for: create it when missing, migrate, load
the SOPs, and generate N cases unless the same data set is already there (the marker)."""

import os
import time

from . import db

DEFAULT_N = 100_000


def bench_n():
    raw = os.environ.get("BENCH_N", "") or str(DEFAULT_N)
    try:
        n = int(raw.replace("_", ""))
    except ValueError:
        raise SystemExit(f"BENCH_N={raw!r} is not a whole number") from None
    if n < 100:
        raise SystemExit(f"BENCH_N={n}: at least 100 cases")
    return n


def wanted_marker(n):
    from .generate import GEN_VERSION, WORKFLOWS

    return {"n": n, "version": GEN_VERSION, "workflows": [w.name for w in WORKFLOWS]}


def prepare(n, log=print):
    """Returns True when the data set was generated in this run, False when reused."""
    import django

    django.setup()  # connects to nothing yet
    url = os.environ["DATABASE_URL"]
    wanted = wanted_marker(n)
    found = db.read_marker(url)
    fresh = found != wanted
    if fresh:
        if db.exists(url):
            log(f"data set {found or '(none)'} is not {wanted}: rebuilding the bench database")
        db.create(url, drop=True)
    from django.core.management import call_command
    from django.db import connection

    t0 = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)
    call_command("muat_sop", verbosity=0)
    with connection.cursor() as cursor:
        db.create_bench_tables(cursor)
    log(f"migrated and SOPs loaded ({time.monotonic() - t0:.1f} s)")
    if not fresh:
        log(f"reusing the data set of N={n} already generated")
        from .s3_sweep import remove_filler

        removed = remove_filler()  # left by an interrupted run
        if removed:
            log(f"removed {removed} filler Tasks an interrupted run left")
        refresh_clock(log)
        return False

    from .generate import generate

    log(f"generating N={n} cases")
    generated_at = generate(n, log=lambda line: log(line))["now"]
    t0 = time.monotonic()
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        db.write_marker(cursor, wanted)
        db.write_clock(cursor, generated_at)
    log(f"vacuum analyze ({time.monotonic() - t0:.1f} s)")
    refresh_clock(log)  # generating took minutes: bring the open steps to now
    return True


# The open steps' moments, relative to now: what the queue and the sweep read.
_OPEN_MOMENTS = ("started_at", "due_at", "remind_at")


def refresh_clock(log=print):
    """Move the open steps by the time passed since the data set was generated, so that a
    reused data set has as much work overdue and due as a fresh one. Finished steps are
    history and stay where they are (moving 700,000 rows would take longer than it is worth)."""
    from django.db import connection
    from django.utils import timezone

    now = timezone.now()
    with connection.cursor() as cursor:
        clock = db.read_clock(cursor)
        if clock is None:
            return
        shift = now - clock
        if shift.total_seconds() < 60:
            return
        t0 = time.monotonic()
        sets = ", ".join(f"{c} = {c} + %s" for c in _OPEN_MOMENTS)
        cursor.execute(f"UPDATE sop_task SET {sets} WHERE finished_at IS NULL", [shift] * len(_OPEN_MOMENTS))
        moved = cursor.rowcount
        # The sweep's span moves with them: what it had not reached stays ahead of it.
        cursor.execute("UPDATE sop_sapuan SET sampai = sampai + %s", [shift])
        db.write_clock(cursor, now)
        connection.close()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sop_task")
    log(f"moved {moved} open steps by {shift} to keep the data set current ({time.monotonic() - t0:.1f} s)")
