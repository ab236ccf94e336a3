"""Scenario 2: public complaint submissions per second through gunicorn (several workers),
against a minimal view behind the same middleware that validates a form of the same three
fields and inserts one row (``/bench/kiriman/``). Same load tool, same body, same CSRF token;
the two alternate in rounds. What the run created is deleted afterwards."""

import html
import os
import re
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from aduan.models import Aduan
from sop.models import Notifikasi, Task

from . import load
from .report import Row, times

SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "8"))
ROUNDS = int(os.environ.get("BENCH_LOAD_ROUNDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
GOAL = 0.33
REAL = "/aduan/baru/"
BASELINE = "/bench/kiriman/"

FIELDS = {
    "uraian": "Jalan berlubang besar di depan Pasar Bintoro sudah dua minggu dan membahayakan pengendara motor.",
    "lokasi": "Jl. Sultan Fatah depan Pasar Bintoro, Kecamatan Demak",
    "kategori": "infrastruktur",
}


def _form(port):
    """The CSRF token (cookie) and the form's hidden fields (the token again, and whatever
    the form signs into it, such as the moment it was served), as a browser would send them."""
    status, _, body, headers = load.get_once(port, REAL)
    assert status == 200, status
    token = None
    for name, value in headers:
        if name.lower() == "set-cookie":
            m = re.search(r"csrftoken=([^;]+)", value)
            if m:
                token = m[1]
    if token is None:
        raise RuntimeError("the complaint form set no csrftoken cookie")
    hidden = {}
    for tag in re.findall(r"<input[^>]*>", body.decode()):
        if re.search(r'type="hidden"', tag):
            name, value = re.search(r'name="([^"]*)"', tag), re.search(r'value="([^"]*)"', tag)
            if name:
                hidden[name[1]] = html.unescape(value[1]) if value else ""
    return token, hidden


def _check_once(port, path, body, headers):
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", path, body=body.encode(), headers=headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    if response.status != 302:
        raise RuntimeError(f"POST {path} answered {response.status}, not 302")


def run(server, log):
    port = server.port
    token, hidden = _form(port)
    body, content_type = load.multipart({**hidden, "csrfmiddlewaretoken": token, **FIELDS})
    # A person takes longer to write a complaint than the form's minimum (a bot check).
    time.sleep(getattr(settings, "PPID_ADUAN_MIN_DETIK", 0))
    headers = {"Content-Type": content_type, "Cookie": f"csrftoken={token}", "X-CSRFToken": token,
               "Referer": f"http://127.0.0.1:{port}{REAL}"}
    clean()  # what an interrupted run may have left
    try:
        for path in (REAL, BASELINE):
            _check_once(port, path, body, headers)
            load.post(port, path, body, headers, 2, CONNECTIONS)  # warm-up
        real, base = [], []
        for _ in range(ROUNDS):
            base.append(load.post(port, BASELINE, body, headers, SECONDS, CONNECTIONS))
            real.append(load.post(port, REAL, body, headers, SECONDS, CONNECTIONS))
        time.sleep(2)  # requests still in flight when the load stopped finish first
        created = Aduan.objects.filter(uraian=FIELDS["uraian"]).count()
    finally:
        clean()
    real_rate = sum(r.ok for r in real) / sum(r.seconds for r in real)
    base_rate = sum(r.ok for r in base) / sum(r.seconds for r in base)
    errors = sum(r.errors for r in real + base)
    ratio = real_rate / base_rate
    log(f"  complaints: {real_rate:.0f}/s (p50 {real[-1].p50_ms:.1f} ms) vs minimal form {base_rate:.0f}/s "
        f"(p50 {base[-1].p50_ms:.1f} ms); {created} complaints created, {errors} errors")
    how = f"gunicorn {server.workers} workers, {load.tool()} {CONNECTIONS} connections, {ROUNDS}x{SECONDS} s"
    return [Row(
        "2", f"public complaint form POST /aduan/baru/ ({how})",
        f"{real_rate:.0f} submissions/s, p50 {real[-1].p50_ms:.1f} ms",
        f"minimal form + 1 insert {base_rate:.0f}/s, p50 {base[-1].p50_ms:.1f} ms",
        times(ratio), f">= {GOAL}x", ratio >= GOAL and errors == 0,
    )]


def clean():
    """Delete what the load created (the complaints, their Tasks and outbox rows, the
    baseline's rows); sessions are dropped at the end of the run."""
    made = list(Aduan.objects.filter(uraian=FIELDS["uraian"]).values_list("id", flat=True))
    if made:
        tasks = Task.objects.filter(case_type=ContentType.objects.get_for_model(Aduan), case_id__in=made)
        Notifikasi.objects.filter(task__in=tasks).delete()
        tasks.delete()
        Aduan.objects.filter(id__in=made).delete()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE bench_kiriman")
