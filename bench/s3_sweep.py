"""Scenario 3: the deadline sweep over 100,000 open Tasks of which 1,000 are due, against a raw
SQL select of the due rows.

The open Tasks are topped up to 100,000 with filler steps that are not due (they point at no
case, and are deleted at the end); the table is vacuumed, as a live one is. Each repetition
then, in a transaction rolled back after it, sets the last sweep one second back, makes
exactly D Tasks due since then (half reminders, half escalations; a moment is chosen where
nothing else of the data set falls due), times the raw select of the due rows, and times one
sweep. The number of queries is compared at D=100 and D=1,000: it must not grow with D.
"""

import os
import random
import statistics
import time
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aduan.models import Aduan
from sop.models import Peringatan, Sapuan, Step, Task, Unit
from sop.sweep import sweep

from .generate import copy_rows
from .report import Row, times

OPEN_TARGET = int(os.environ.get("BENCH_SWEEP_OPEN", "100000"))
DUE = (100, 1000)
REPEAT = int(os.environ.get("BENCH_SWEEP_REPEAT", "5"))
GOAL_SECONDS = 1.0
GOAL_RATIO = 3.0
FILLER_CASE_ID = 10**12

# The due rows, whole, read the way the sweep finds them: the open steps whose deadline or
# reminder moment fell since the last sweep (one partial index each).
RAW_DUE = (
    "SELECT * FROM sop_task WHERE finished_at IS NULL AND due_at >= %(since)s AND due_at < %(now)s "
    "UNION ALL "
    "SELECT * FROM sop_task WHERE finished_at IS NULL AND remind_at > %(since)s AND remind_at <= %(now)s "
    "AND due_at >= %(now)s"
)
SPAN = timedelta(seconds=1)


def _top_up(now, rng):
    """Filler open Tasks, none due, spread over the lanes and units, up to OPEN_TARGET."""
    missing = OPEN_TARGET - Task.objects.open().count()
    if missing <= 0:
        return 0
    steps = list(Step.objects.exclude(state="").select_related("lane", "sop"))
    units = list(Unit.objects.values_list("id", flat=True))
    ct = ContentType.objects.get_for_model(Aduan)
    rows = []
    for i in range(missing):
        step = rng.choice(steps)
        due = now + timedelta(hours=rng.uniform(2, 24 * 30))
        rows.append({
            "case_type_id": ct.pk, "case_id": FILLER_CASE_ID + i, "kode": f"ISI-{i:08d}", "judul": "pengisi",
            "sop_id": step.sop_id, "step_id": step.pk, "lane_id": step.lane_id,
            "unit_id": rng.choice(units) if step.lane.per_unit and units else None, "state": step.state,
            "waktu": step.waktu, "waktu_batas": step.waktu_batas, "started_at": now - timedelta(hours=1),
            "due_at": due, "remind_at": due - timedelta(hours=1),
        })
    copy_rows(Task, rows)
    return missing


def _make_due(ids, now):
    half = len(ids) // 2
    reminders, escalations = ids[:half], ids[half:]
    moment = now - SPAN / 2
    Peringatan.objects.filter(task_id__in=ids).delete()  # not reminded nor escalated yet
    Task.objects.filter(id__in=reminders).update(remind_at=moment, due_at=now + timedelta(hours=1))
    Task.objects.filter(id__in=escalations).update(remind_at=now - timedelta(hours=1), due_at=moment)
    Sapuan.objects.update_or_create(pk=1, defaults={"sampai": now - SPAN})


def _quiet_moment(now):
    """``now``, or a moment just before it, such that nothing of the data set falls due in the
    second before it: the repetitions' due count is then exactly the Tasks they made due."""
    for _ in range(600):
        since = now - SPAN
        busy = Task.objects.open().filter(
            Q(due_at__gte=since, due_at__lt=now) | Q(remind_at__gt=since, remind_at__lte=now)).exists()
        if not busy:
            return now
        now -= SPAN
    raise RuntimeError("no quiet second found in the last ten minutes")


def _breakdown(captured):
    """Where the sweep's database time went, from its captured queries (seconds)."""
    parts = {"span": 0.0, "raising (INSERT ... SELECT)": 0.0, "other queries": 0.0}
    for q in captured:
        sql, spent = q["sql"], float(q["time"])
        if '"sop_sapuan"' in sql:
            parts["span"] += spent
        elif sql.startswith('INSERT INTO "sop_peringatan"'):
            parts["raising (INSERT ... SELECT)"] += spent
        else:
            parts["other queries"] += spent
    return parts


def _prepare(now, rng, log):
    """Committed: filler open Tasks bring the open count to OPEN_TARGET. Then VACUUM ANALYZE,
    as a live table is."""
    with transaction.atomic():
        filler = _top_up(now, rng)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sop_task")
    return filler


def remove_filler():
    """Delete the filler Tasks (also those an interrupted run left). The reminders' table is
    vacuumed first: the rolled-back sweeps leave it full of dead rows, and the foreign-key
    check of each deleted Task would otherwise read through all of them."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE sop_peringatan")
        cursor.execute("DELETE FROM sop_task WHERE case_id >= %s", [FILLER_CASE_ID])
        removed = cursor.rowcount
        if removed:
            cursor.execute("VACUUM ANALYZE sop_task")
    return removed


def _measure(chosen, due, now):
    """One repetition, rolled back: make ``due`` Tasks due, time the raw select, then the sweep."""
    with transaction.atomic():
        _make_due(chosen[:due], now)
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(RAW_DUE, {"now": now, "since": now - SPAN})
            raw_rows = len(cursor.fetchall())
            raw_time = time.perf_counter() - started
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            claimed = sweep(now)
            sweep_time = time.perf_counter() - started
        messages = Peringatan.objects.filter(dibuat=now).count()
        transaction.set_rollback(True)
    if sum(claimed) != due or raw_rows != due:
        raise RuntimeError(f"{due} made due, but the raw select found {raw_rows} and the sweep claimed {claimed}")
    return {"raw": raw_time, "raw_rows": raw_rows, "sweep": sweep_time, "queries": len(queries),
            "messages": messages, "db": _breakdown(queries.captured_queries)}


def run(server, log):
    rng = random.Random(8)
    now = timezone.now()
    remove_filler()
    filler = _prepare(now, rng, log)
    now = _quiet_moment(now)
    try:
        open_count = Task.objects.open().count()
        real_open = list(Task.objects.open().filter(case_id__lt=FILLER_CASE_ID).values_list("id", flat=True))
        chosen = rng.sample(real_open, min(max(DUE), len(real_open)))
        if len(chosen) < max(DUE):  # a small data set: filler steps are made due too
            filler_ids = Task.objects.open().filter(case_id__gte=FILLER_CASE_ID).values_list("id", flat=True)
            chosen += list(filler_ids[: max(DUE) - len(chosen)])
        results = {}
        for due in DUE:
            _measure(chosen, due, now)  # warm
            reps = [_measure(chosen, due, now) for _ in range(REPEAT)]
            med = {key: statistics.median(r[key] for r in reps) for key in ("raw", "sweep")}
            last = reps[-1]
            db = {k: statistics.median(r["db"][k] for r in reps) for k in last["db"]}
            python = med["sweep"] - sum(db.values())
            results[due] = {**last, **med}
            log(f"  sweep, {due} due of {open_count} open ({filler} filler): median {med['sweep'] * 1000:.0f} ms, "
                f"{last['queries']} queries, {last['messages']} reminders and escalations written; raw select {med['raw'] * 1000:.1f} ms "
                f"({last['raw_rows']} rows)")
            log("    where the sweep's time went: " + ", ".join(f"{k} {v * 1000:.0f} ms" for k, v in db.items())
                + f", Python {python * 1000:.0f} ms")
    finally:
        remove_filler()
    big, small = results[max(DUE)], results[min(DUE)]
    ratio = big["sweep"] / big["raw"]
    return [
        Row("3", f"deadline sweep: {max(DUE)} due of {open_count} open Tasks ({big['messages']} Peringatan written)",
            f"{big['sweep'] * 1000:.0f} ms", "", "", f"< {GOAL_SECONDS:.0f} s", big["sweep"] < GOAL_SECONDS),
        Row("3", f"deadline sweep against a raw SQL select of the {big['raw_rows']} due rows",
            f"{big['sweep'] * 1000:.0f} ms", f"{big['raw'] * 1000:.1f} ms", times(ratio), f"<= {GOAL_RATIO:.0f}x",
            ratio <= GOAL_RATIO),
        Row("3", f"sweep SQL queries at {min(DUE)} and at {max(DUE)} due",
            f"{small['queries']} and {big['queries']}", "", "", "no growth with the due count",
            big["queries"] <= small["queries"]),
    ]
