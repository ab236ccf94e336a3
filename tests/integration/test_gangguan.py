"""Faults (issue 7): the portal goes on through a broker outage and a refusing mail server, and
two supervisors deciding at once get one decision and one clear refusal.

Real processes throughout: the web side is ``manage.py runserver`` (or, for the race, two
requests through Django's request handler on two threads with their own connections), the
broker is a private ``redis-server`` or the filesystem broker's folder, workers and beat are
``celery`` subprocesses, the mail server is an ``aiosmtpd`` process.

Where the other guarantees of the issue are tested:
- two workers and several sweeps at once send each reminder once:
  ``test_pengingat_dan_eskalasi.py::test_two_workers_and_several_sweeps_at_once_send_each_reminder_once``;
- a dead mail server (connection refused) delays and loses nothing:
  ``test_pengingat_dan_eskalasi.py::test_a_mail_outage_delays_and_loses_nothing``;
- two officers accepting the same complaint: ``test_petugas_bersamaan.py``.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.test import Client
from django.utils import timezone

from aduan.models import Aduan
from publikasi.models import Keputusan, PlatformMedsos, Publikasi
from sop import services as engine
from sop.models import Notifikasi, Task
from sop.tasks import deliver, sweep
from tests.factories import AduanFactory, UserFactory
from tests.publikasi.alur import case_at

from .conftest import ALWAYS_OPEN, FILE_MAIL, unused_tcp_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(settings.BASE_DIR)
ADMIN = ("DMK-ADUAN", "admin_koordinator")
PASSWORD = "sandi-rahasia-123"  # tests/factories.py's UserFactory


# --- processes -------------------------------------------------------------------------------

class Proses:
    """A subprocess with its output in a log file; stopped (and reaped) by ``stop``."""

    def __init__(self, name, cmd, env, run_dir):
        self.name = name
        self.log_path = run_dir / f"{name}-{time.monotonic_ns()}.log"
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def log(self):
        return self.log_path.read_text(errors="replace")

    def kill(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def _wait_for_port(port, proc, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.proc.poll() is not None:
            raise AssertionError(f"{proc.name} exited with {proc.proc.returncode}:\n{proc.log()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"{proc.name} does not listen on {port} after {timeout}s:\n{proc.log()[-4000:]}")


@pytest.fixture
def processes(tmp_path):
    """Start processes for one test; all are stopped at its end, whatever happens."""
    started = []

    def start(name, cmd, env):
        proc = Proses(name, cmd, env, tmp_path)
        started.append(proc)
        return proc

    yield start
    for proc in reversed(started):
        proc.stop()


# --- the broker this test may stop -----------------------------------------------------------

class RedisPribadi:
    """A private ``redis-server`` on a free port (no persistence, like a crash losing what it
    held): the test kills it; the machine's shared Redis is never touched."""

    kind = "redis"

    def __init__(self, start, run_dir):
        self._start = start
        self.run_dir = run_dir
        self.port = unused_tcp_port()
        self.env = {"CELERY_BROKER_URL": f"redis://127.0.0.1:{self.port}/0"}
        self.server = None

    def up(self):
        self.server = self._start("redis", [
            shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--dir", str(self.run_dir),
        ], dict(os.environ))
        _wait_for_port(self.port, self.server)
        wait_until(lambda: redis.Redis(port=self.port).ping(), timeout=20, message="the private Redis")

    def down(self):
        self.server.kill()  # SIGKILL: the broker dies, it does not shut down politely
        with pytest.raises(redis.ConnectionError):
            redis.Redis(port=self.port, socket_connect_timeout=1).ping()


class FolderBroker:
    """The embedded default's broker is a folder (``$PPID_VAR_DIR/broker``) that the web side
    and the workers share. It is "down" when that folder is not there, as when the volume
    holding ``var/`` is unmounted or full; it comes back with what it held. The web side and
    the workers get a private ``PPID_VAR_DIR`` so that only this test's folder goes away."""

    kind = "filesystem"

    def __init__(self, start, run_dir):
        self.var = run_dir / "var-portal"
        self.var.mkdir()
        self.folder = self.var / "broker"
        self.away = self.var / "broker-terputus"
        self.env = {"PPID_VAR_DIR": str(self.var)}

    def up(self):
        if self.away.exists():
            self.away.rename(self.folder)

    def down(self):
        self.folder.rename(self.away)


@pytest.fixture
def broker(processes, tmp_path):
    """The configured kind of broker, in a copy this test may stop: both CI passes run it."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return FolderBroker(processes, tmp_path)
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        return RedisPribadi(processes, tmp_path)
    raise AssertionError(f"no outage test for the broker {settings.CELERY_BROKER_URL!r}")


# --- a browser without a browser: forms, cookies, no redirect following -----------------------

class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input" and a.get("type") not in ("file", "submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self._form["fields"][a["name"]] = a.get("value") or ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form["fields"][a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self._form["fields"][self._select] = a.get("value") or ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Peramban:
    """HTTP to the live web process, as a browser would: cookies, the forms' hidden fields."""

    def __init__(self, base):
        self.base = base
        self.cookies = {}
        self._opener = urllib.request.build_opener(_NoRedirect)

    def request(self, path, data=None):
        body = urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body, method="POST" if data is not None else "GET")
        if self.cookies:
            req.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if body is not None:
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        started = time.monotonic()
        try:
            resp = self._opener.open(req, timeout=120)
            status, headers, raw = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:
            status, headers, raw = err.code, err.headers, err.read()
        for line in headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(line)
            self.cookies.update({k: m.value for k, m in cookie.items()})
        return status, headers, raw.decode("utf-8", "replace"), time.monotonic() - started

    def form(self, path, action_part=""):
        status, _, html, _ = self.request(path)
        assert status == 200, (path, status, html[:2000])
        parser = _Forms()
        parser.feed(html)
        for form in parser.forms:
            if action_part in form["action"] and "csrfmiddlewaretoken" in form["fields"]:
                return dict(form["fields"])
        raise AssertionError(f"no form with {action_part!r} on {path}")

    def post(self, path, fields, form_path=None, action_part=""):
        data = self.form(form_path or path, action_part)
        data.update(fields)
        return self.request(path, data)


def _web_env(workers, extra):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": workers.database_url,
        "PPID_VAR_DIR": str(settings.VAR_DIR),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "EMAIL_FILE_PATH": str(workers.mail_dir),
        "PPID_OFFICE_HOURS": ALWAYS_OPEN,
        # The anti-bot delay and the per-address limits are not under test here (the limits
        # count in CACHE_URL, which the whole suite shares on its second pass).
        "PPID_ADUAN_MIN_DETIK": "0",
        "PPID_BATAS_ADUAN": "0",
        "PPID_BATAS_MASUK": "0",
        "PYTHONUNBUFFERED": "1",
        **FILE_MAIL,
    })
    env.update(extra)
    return env


def _submit_complaint(citizen, name, email):
    status, headers, html, took = citizen.post("/aduan/baru/", {
        "uraian": f"Saluran air di depan rumah {name} tersumbat sampah sejak tiga hari, air meluap ke jalan.",
        "lokasi": "Jl. Kyai Singkil, Kecamatan Demak",
        "kategori": Aduan.Kategori.INFRASTRUKTUR,
        "nama": name,
        "email": email,
        "telepon": "081234567890",
    })
    assert status == 302 and headers["Location"].endswith("/aduan/terkirim/"), (status, html[:3000])
    aduan = Aduan.objects.get(email=email)
    status, _, html, _ = citizen.request("/aduan/terkirim/")
    assert status == 200 and aduan.kode in html
    return aduan, took


def _officer(user, base):
    """An officer logged in to the web process through the login page. The test process hashes
    passwords with MD5 (tests/conftest.py); the web process knows only the default hashers, so
    the password is stored as PBKDF2 (few iterations: its strength is not under test)."""
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, "garam-gangguan", iterations=1000)
    user.save(update_fields=["password"])
    browser = Peramban(base)
    status, headers, html, _ = browser.post("/staf/masuk/", {"username": user.username, "password": PASSWORD})
    assert status == 302, (status, html[:3000])
    return browser


def _logged_in(user):
    client = Client()
    response = client.post("/staf/masuk/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client


def _act(officer, aduan, aksi, note=""):
    page = f"/staf/aduan/{aduan.kode}/"
    status, headers, html, took = officer.post(f"{page}aksi/{aksi}/", {f"{aksi}-catatan": note},
                                               form_path=page, action_part=f"/aksi/{aksi}/")
    assert status == 302, (status, html[:3000])
    return took


def _sweeps_done(worker):
    return len(re.findall(r"Task sop\.tasks\.sweep\[[^\]]+\] succeeded", worker.log()))


# --- 1. the broker stops ---------------------------------------------------------------------

def test_with_the_broker_down_citizens_and_officers_go_on_and_the_mail_follows_once(
        aduan_sop, workers, mailbox, broker, processes, tmp_path):
    workers.ensure()  # no worker: the workers of earlier tests listen to another broker
    admin = UserFactory(username="admin_gangguan", lanes=ADMIN)
    broker.up()
    port = unused_tcp_port()
    web = processes("web", [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload",
                            "--skip-checks"], _web_env(workers, broker.env))
    _wait_for_port(port, web)
    base = f"http://127.0.0.1:{port}"
    citizen, officer = Peramban(base), _officer(admin, base)

    # Before the outage: a complaint whose delivery task reaches the broker (no worker yet).
    first, _ = _submit_complaint(citizen, "Ani", "ani@contoh.id")

    broker.down()
    second, took_submit = _submit_complaint(citizen, "Bayu", "bayu@contoh.id")
    third, _ = _submit_complaint(citizen, "Citra", "citra@contoh.id")
    took_accept = _act(officer, first, "accept_complaint")
    took_reject = _act(officer, third, "reject_complaint", note="Aduan yang sama sudah disampaikan pekan lalu.")
    # No request waits on the dead broker (it fails fast: CELERY_BROKER_CONNECTION_TIMEOUT).
    assert max(took_submit, took_accept, took_reject) < 15, (took_submit, took_accept, took_reject)

    assert Aduan.objects.get(pk=first.pk).state == Aduan.State.ACCEPTED
    assert Aduan.objects.get(pk=third.pk).state == Aduan.State.RETURNED
    assert Aduan.objects.get(pk=second.pk).state == Aduan.State.SUBMITTED
    assert engine.open_task(first).step.nomor == "3"
    assert Task.objects.of_case(first).get(step__nomor="2").finished_by == admin
    outbox = Notifikasi.objects.filter(email__in=["ani@contoh.id", "bayu@contoh.id", "citra@contoh.id"])
    expected = sorted([
        ("ani@contoh.id", f"[{first.kode}] Aduan Anda telah kami terima"),
        ("bayu@contoh.id", f"[{second.kode}] Aduan Anda telah kami terima"),
        ("citra@contoh.id", f"[{third.kode}] Aduan Anda telah kami terima"),
        ("citra@contoh.id", f"[{third.kode}] Aduan Anda tidak dapat ditindaklanjuti"),
    ])
    assert sorted(outbox.values_list("email", "subjek")) == expected
    assert not outbox.filter(sent_at__isnull=False).exists()
    # The web side tried the broker for each message queued in the outage, and said so.
    assert web.log().count("broker unreachable") == 3, web.log()[-6000:]

    # The broker comes back, then a worker and beat: the sweep delivers the outbox.
    broker.up()
    worker_env = {**broker.env, "PPID_SWEEP_SECONDS": "5"}
    worker = workers.ensure(pulih=worker_env)["pulih"]
    beat_env = {**os.environ, "DATABASE_URL": workers.database_url, "PPID_VAR_DIR": str(settings.VAR_DIR),
                "CELERY_BROKER_URL": settings.CELERY_BROKER_URL, "PPID_OFFICE_HOURS": ALWAYS_OPEN, **worker_env}
    processes("beat", [sys.executable, "-m", "celery", "-A", "ppid", "beat", "-l", "INFO",
                       "-s", str(tmp_path / "beat-schedule"), "--pidfile", str(tmp_path / "beat.pid")], beat_env)

    wait_until(lambda: not outbox.filter(sent_at__isnull=True).exists(), timeout=90,
               message="the outbox to be delivered after the outage")
    wait_until(lambda: _sweeps_done(worker) >= 1, timeout=30, message="a sweep by beat")
    delivered = sorted((m["to"], m["subject"]) for m in mailbox.messages() if m["to"] in dict(expected))
    assert delivered == expected
    # Two more sweeps later, still once each.
    done = _sweeps_done(worker)
    wait_until(lambda: _sweeps_done(worker) >= done + 2, timeout=40, message="two more sweeps")
    assert sorted((m["to"], m["subject"]) for m in mailbox.messages() if m["to"] in dict(expected)) == expected
    assert list(outbox.values_list("attempts", flat=True)) == [1, 1, 1, 1]
    workers.ensure()  # the private broker goes away with this test


# --- 2. the mail server refuses, then accepts ---------------------------------------------------

def _attempts(folder, address):
    path = folder / "attempts.log"
    lines = path.read_text().splitlines() if path.exists() else []
    return [(float(t), outcome) for t, to, outcome in (line.split() for line in lines) if to == address]


def test_a_refusing_mail_server_is_retried_with_growing_back_off_and_gets_the_message_once(
        aduan_sop, workers, processes, tmp_path):
    port, folder, address = unused_tcp_port(), tmp_path / "smtp", "greylist@contoh.id"
    server = processes("smtp", [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                                "-c", "tests.failing_mail.Greylist", str(folder), "2"], dict(os.environ))
    _wait_for_port(port, server)
    workers.ensure(smtp={"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                         "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "EMAIL_TIMEOUT": "5"})

    aduan = engine.start(AduanFactory(email=address))  # on commit: a deliver task to the worker
    row = Notifikasi.objects.get(email=address)
    backoffs = []
    for attempt in (1, 2):
        refused_at = wait_until(lambda: len(_attempts(folder, address)) == attempt and _attempts(folder, address)[-1],
                                message=f"refusal {attempt}")[0]
        row = wait_until(lambda: Notifikasi.objects.filter(pk=row.pk, attempts=attempt).first(),
                         message=f"attempt {attempt} recorded")
        assert row.sent_at is None and not row.gagal and "451" in row.last_error
        backoffs.append(row.next_attempt_at.timestamp() - refused_at)
        # Within the back-off, deliveries and sweeps leave the message alone: no new attempt.
        published = [deliver.delay(), sweep.delay(), deliver.delay()]
        workers.wait_for_tasks([p.id for p in published])
        assert len(_attempts(folder, address)) == attempt
        assert Notifikasi.objects.get(pk=row.pk).attempts == attempt
        # Time passes: the back-off ends (the row's due moment moved to now, not the clock).
        Notifikasi.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        deliver.delay()

    # 2 minutes after the first refusal, 4 after the second (the back-off doubles).
    assert 119 <= backoffs[0] <= 125 and 239 <= backoffs[1] <= 245, backoffs
    row = wait_until(lambda: Notifikasi.objects.filter(pk=row.pk, sent_at__isnull=False).first(),
                     message="delivery once the server accepts")
    assert row.attempts == 3
    published = [deliver.delay(), sweep.delay(), deliver.delay()]
    workers.wait_for_tasks([p.id for p in published])
    assert [outcome for _, outcome in _attempts(folder, address)] == ["ditolak", "ditolak", "diterima"]
    messages = [message_from_bytes(p.read_bytes(), policy=default_policy) for p in sorted(folder.glob("*.eml"))]
    assert [(str(m["To"]), str(m["Subject"])) for m in messages] == [
        (address, f"[{aduan.kode}] Aduan Anda telah kami terima")]
    assert Notifikasi.objects.get(pk=row.pk).attempts == 3


# --- 4. two supervisors approve the same draft at once -----------------------------------------

def _platforms():
    for kode, nama, batas, domain, urutan in [("website", "Website", None, "", 1),
                                              ("instagram", "Instagram", 2200, "instagram.com", 2)]:
        PlatformMedsos.objects.get_or_create(
            kode=kode, defaults={"nama": nama, "batas_karakter": batas, "domain": domain, "urutan": urutan})


def test_two_supervisors_approving_the_same_draft_at_once_one_approves_the_other_is_refused(sops, settings):
    settings.PPID_BATAS = {**settings.PPID_BATAS, "masuk": (0, 600)}  # login limits are not under test
    _platforms()
    lane = lambda kode: ("BUNDER-MEDSOS", kode)  # noqa: E731
    supervisors = [UserFactory(username="ketua_ratna", first_name="Ratna", last_name="Sari", lanes=lane("ketua_ppid")),
                   UserFactory(username="ketua_wahyu", first_name="Wahyu", last_name="Adi", lanes=lane("ketua_ppid"))]
    people = {"ketua": supervisors[0], "seksi": UserFactory(lanes=lane("seksi_pddi")),
              "admin": UserFactory(lanes=lane("admin_medsos"))}
    clients = [_logged_in(user) for user in supervisors]
    for _round in range(4):  # several rounds: each must hold, whoever wins the race
        publikasi = case_at("ketua_review", people)
        url = f"/staf/publikasi/{publikasi.kode}/aksi/ketua_approve/"
        for client in clients:
            assert client.get(f"/staf/publikasi/{publikasi.kode}/").status_code == 200
        # The form each supervisor saw: the state and the version on the page.
        data = {"ketua_approve-tahap": publikasi.state, "ketua_approve-versi": publikasi.versi_terbaru().pk,
                "ketua_approve-catatan": ""}
        barrier, results = threading.Barrier(2), {}

        def approve(i):
            try:
                barrier.wait(timeout=10)
                began = time.monotonic()
                response = clients[i].post(url, data)
                results[i] = (response.status_code, response.content.decode(), began, time.monotonic())
            except Exception as exc:  # shown by the assertion below
                results[i] = (exc, "", 0, 0)
            finally:
                connection.close()

        threads = [threading.Thread(target=approve, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not any(t.is_alive() for t in threads)

        statuses = {i: r[0] for i, r in results.items()}
        assert sorted(statuses.values(), key=str) == [302, 409], results
        won = next(i for i, s in statuses.items() if s == 302)
        lost = 1 - won
        # The two requests were in flight together.
        assert results[0][2] < results[1][3] and results[1][2] < results[0][3], results
        refusal = results[lost][1]
        assert "sudah diproses oleh" in refusal and supervisors[won].get_full_name() in refusal, refusal
        assert "Materi disetujui Ketua PPID" in refusal

        publikasi.refresh_from_db()
        assert publikasi.state == Publikasi.State.APPROVED
        approvals = Task.objects.of_case(publikasi).filter(transition="ketua_approve")
        assert approvals.count() == 1 and approvals.get().finished_by == supervisors[won]
        assert Keputusan.objects.filter(versi__publikasi=publikasi, tahap=Keputusan.KETUA).count() == 1
        assert [t.transition for t in engine.timeline(publikasi)].count("ketua_approve") == 1
