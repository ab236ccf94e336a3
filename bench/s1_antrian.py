"""Scenario 1: the officers' queue page against a trivial logged-in page of the same base
template (``/bench/sepele/``), both served by gunicorn and fetched one at a time, alternately,
so that drift on a shared machine touches both alike. Plus the page's SQL queries, counted on
its first and last page: their number must not depend on N nor on the page's rows."""

import os
import statistics

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sop.antrian import BATAS_HITUNG
from sop.models import Lane, Task

from .load import get_once
from .report import Row, ms, times

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "100"))
GOAL = 3.0
QUEUE = "/staf/"
TRIVIAL = "/bench/sepele/"


def _session_key(user):
    """A logged-in session of ``user``, made directly (no login request: nothing of the
    login's bookkeeping is measured)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _session_cookie(user):
    return f"{settings.SESSION_COOKIE_NAME}={_session_key(user)}"


def officers():
    """The officers whose queue is measured: the Admin Koordinator of the complaints, whose
    lane holds the most open work and who supervises the OPD lanes, and an OPD/BUMD officer of
    one unit (a per-unit lane). ``(label, user, page)``; the admin's last page too."""
    User = get_user_model()
    admin_lane = Lane.objects.get(sop__kode="DMK-ADUAN", kode="admin_koordinator")
    opd_lane = Lane.objects.get(sop__kode="DMK-ADUAN", kode="opd_bumd")
    admin = User.objects.filter(groups=admin_lane.group, is_active=True).order_by("id").first()
    opd = User.objects.filter(groups=opd_lane.group, units__isnull=False, is_active=True).order_by("id").first()
    result = []
    for label, user in (("Admin Koordinator", admin), ("OPD/BUMD of one unit", opd)):
        if user is None:
            continue
        open_steps = Task.objects.for_user(user).count()
        pages = max(1, -(-open_steps // 50))
        shown = "" if open_steps <= BATAS_HITUNG else f"; the page says more than {BATAS_HITUNG:,}"
        result.append((f"{label}, page 1 of {pages} ({open_steps} open steps{shown})", user, 1))
        if label.startswith("Admin") and pages > 1:
            # The page's own "terakhir" link: read from the queue's end.
            result.append((f"{label}, last page ({pages}, ?hal=terakhir)", user, "terakhir"))
    return result


def count_queries(user, page, path=QUEUE):
    """The page's SQL queries, counted in this process, and their median total time (s)."""
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = _session_key(user)
    url = f"{path}?hal={page}"
    client.get(url)
    totals = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        totals.append(sum(float(q["time"]) for q in queries.captured_queries))
    return len(queries), statistics.median(totals)


def run(server, log):
    rows = []
    measured = officers()
    counts, sql = {}, {}
    for label, user, page in measured:
        counts[label], sql[label] = count_queries(user, page)
    trivial_queries, trivial_sql = count_queries(measured[0][1], 1, TRIVIAL) if measured else (0, 0.0)
    for label, user, page in measured:
        cookie = _session_cookie(user)
        url = f"{QUEUE}?hal={page}"
        for path in (url, TRIVIAL):  # warm both: templates compiled, connections open
            for _ in range(5):
                status, *_ = get_once(server.port, path, cookie)
                assert status == 200, (path, status)
        queue_times, trivial_times, queue_cpu, trivial_cpu = [], [], [], []
        for _ in range(ROUNDS):
            for path, times_, cpu in ((url, queue_times, queue_cpu), (TRIVIAL, trivial_times, trivial_cpu)):
                _, elapsed, _, headers = get_once(server.port, path, cookie)
                times_.append(elapsed)
                cpu.append(float(dict(headers).get("X-Bench-Cpu", "nan")))
        q, t = statistics.median(queue_times), statistics.median(trivial_times)
        q_cpu, t_cpu = statistics.median(queue_cpu), statistics.median(trivial_cpu)
        ratio = q / t
        log(f"  queue {label}: median {ms(q)} (server CPU {ms(q_cpu)}) vs trivial {ms(t)} (server CPU {ms(t_cpu)}), "
            f"{ROUNDS} rounds; {counts[label]} queries taking {ms(sql[label])} in all")
        rows.append(Row(
            "1", f"officers' queue: {label}",
            f"median {ms(q)}; server CPU {ms(q_cpu)}; {counts[label]} queries, {ms(sql[label])} SQL",
            f"trivial page {ms(t)}; server CPU {ms(t_cpu)}; {trivial_queries} queries", times(ratio),
            f"<= {GOAL:.0f}x", ratio <= GOAL,
        ))
    rows.append(Row(
        "1", "queue SQL queries per page, each officer (3 vs 60 rows pinned by tests/sop/test_antrian_queries.py)",
        ", ".join(f"{label.split(',')[0]} p{page}: {counts[label]}" for label, _, page in measured), "", "",
        "same on every page", _same_per_officer(measured, counts),
    ))
    return rows


def _same_per_officer(measured, counts):
    per_user = {}
    for label, user, _ in measured:
        per_user.setdefault(user.pk, set()).add(counts[label])
    return all(len(v) == 1 for v in per_user.values())
