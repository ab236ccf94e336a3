"""Real Celery workers for the integration tests.

The tests publish through the configured broker (the filesystem transport under
``$PPID_VAR_DIR/broker`` by default, or Redis) and real ``celery worker`` subprocesses consume
it, working on the same test database (the SQLite *file*, or PostgreSQL's ``test_*``).
Nothing is mocked. Workers are shared across tests while their environment is the same; a test
that needs a different environment (closed office hours, a dead SMTP server) gets its own,
and the others are stopped first so that only the intended workers consume the queue.

Because workers are shared, mail goes to one session-wide ``EMAIL_FILE_PATH``; it is emptied
before each test and the tests only look at messages addressed to the users they created.
"""

import atexit
import email
import email.policy
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.utils import timezone

from ppid.celery import app as celery_app

BASE_DIR = Path(settings.BASE_DIR)
READY_TIMEOUT = 60
WORKER_CMD = [
    sys.executable, "-m", "celery", "-A", "ppid", "worker", "--pool=solo", "--without-gossip",
    "--without-mingle", "--without-heartbeat", "-n", "{name}@%h", "-l", "INFO",
]

# Worker environments (added to os.environ). The office is always open, mail goes to files.
ALWAYS_OPEN = "mon-sun 00:00-24:00"
FILE_MAIL = {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend"}

_POOL = None  # the session's pool, for the failure report hook


# --- Celery switched to the broker for these tests -------------------------------------------

@pytest.fixture(autouse=True)
def _celery_eager():
    """Overrides tests/conftest.py's fixture of the same name: here tasks go through the broker."""
    celery_app.conf.task_always_eager = False
    yield
    celery_app.conf.task_always_eager = False


# --- the database URL a worker needs to see the test database --------------------------------

def _worker_database_url():
    from django.db import connection

    sd = connection.settings_dict
    engine = sd["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        return f"sqlite:///{sd['NAME']}"
    if engine.startswith("django.db.backends.postgresql"):
        auth = quote(sd.get("USER") or "", safe="")
        if sd.get("PASSWORD"):
            auth += ":" + quote(sd["PASSWORD"], safe="")
        host = sd.get("HOST") or "127.0.0.1"
        port = f":{sd['PORT']}" if sd.get("PORT") else ""
        return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{quote(sd['NAME'], safe='')}"
    raise RuntimeError(f"integration tests do not know how to hand {engine} to a worker")


def _is_filesystem_broker():
    return settings.CELERY_BROKER_URL.startswith("filesystem://")


def purge_broker():
    """Empty the ``celery`` queue so a worker starts with nothing left over from before."""
    if _is_filesystem_broker():
        queue_dir = Path(settings.CELERY_BROKER_DIR) / "queue"
        for path in queue_dir.glob("*.msg"):
            path.unlink(missing_ok=True)
    else:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge("celery")


# --- workers ----------------------------------------------------------------------------------

class Worker:
    def __init__(self, name, extra_env, run_dir, database_url, mail_dir):
        self.name = name
        self.extra_env = dict(extra_env)
        self.log_path = run_dir / f"{name}-{time.monotonic_ns()}.log"
        self.ready_file = run_dir / f"{name}-{time.monotonic_ns()}.ready"
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "PPID_VAR_DIR": str(settings.VAR_DIR),
            "EMAIL_FILE_PATH": str(mail_dir),
            "PPID_OFFICE_HOURS": ALWAYS_OPEN,
            "PPID_WORKER_READY_FILE": str(self.ready_file),
            "PYTHONUNBUFFERED": "1",
            **FILE_MAIL,
        })
        env.update(self.extra_env)
        cmd = [part.format(name=name) for part in WORKER_CMD]
        self._stopping = False
        self._log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=env, stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=READY_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.ready_file.exists():
                return
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited with {self.proc.returncode}:\n{self.log()}")
            time.sleep(0.1)
        raise RuntimeError(f"worker {self.name} not ready after {timeout}s:\n{self.log()}")

    def alive(self):
        return self.proc.poll() is None

    def request_stop(self):
        if self.proc.poll() is None and not self._stopping:
            self._stopping = True
            self.proc.send_signal(signal.SIGTERM)  # warm shutdown: finish the current task

    def stop(self):
        if self.proc.poll() is None:
            self.request_stop()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        self._log.close()

    def log(self, tail=None):
        try:
            text = self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""
        if tail:
            text = "\n".join(text.splitlines()[-tail:])
        return text


class WorkerPool:
    """The running workers, by name. ``ensure`` makes exactly the given set run."""

    def __init__(self, run_dir, mail_dir, database_url):
        self.run_dir = run_dir
        self.mail_dir = mail_dir
        self.database_url = database_url
        self.running = {}
        self.seen = []  # workers alive during the current test, for the failure report

    def ensure(self, **specs):
        """``ensure(w1={...env...}, w2={...})``: stop workers not asked for (or asked for with
        another environment), start the missing ones, wait until they all listen."""
        leaving = [
            name for name, worker in self.running.items()
            if name not in specs or worker.extra_env != dict(specs[name]) or not worker.alive()
        ]
        for name in leaving:  # signal all first: each warm shutdown takes a few seconds
            self.running[name].request_stop()
        for name in leaving:
            self.running.pop(name).stop()
        missing = [name for name in specs if name not in self.running]
        if missing:
            purge_broker()
            started = [Worker(n, specs[n], self.run_dir, self.database_url, self.mail_dir) for n in missing]
            for worker in started:
                self.running[worker.name] = worker
                self.seen.append(worker)
            for worker in started:
                worker.wait_ready()
        for worker in self.running.values():
            if worker not in self.seen:
                self.seen.append(worker)
        return dict(self.running)

    def stop_all(self):
        for worker in self.running.values():
            worker.request_stop()
        for worker in self.running.values():
            worker.stop()
        self.running.clear()

    def wait_for_workers_busy(self, task_ids, names, timeout=30):
        """Wait until each worker in ``names`` has received (and, with the solo pool, is
        running) one of ``task_ids``."""
        deadline = time.monotonic() + timeout
        while True:
            busy = {w.name for w in self.seen if any(f"[{tid}] received" in w.log() for tid in task_ids)}
            if set(names) <= busy:
                return busy
            if time.monotonic() > deadline:
                raise AssertionError(f"only {sorted(busy)} of {sorted(names)} took a task within {timeout}s")
            time.sleep(0.1)

    def wait_for_tasks(self, task_ids, timeout=45):
        """Wait until every task id is logged as succeeded by some worker. Returns
        ``{task_id: worker_name}``. A task that raised fails the test at once."""
        pending = set(task_ids)
        done = {}
        deadline = time.monotonic() + timeout
        while True:
            for worker in self.seen:
                text = worker.log()
                for tid in list(pending):
                    if f"[{tid}] succeeded" in text:
                        done[tid] = worker.name
                        pending.discard(tid)
                    elif f"[{tid}] raised" in text:
                        raise AssertionError(f"task {tid} raised in worker {worker.name}:\n{worker.log(tail=80)}")
            if not pending:
                return done
            if time.monotonic() > deadline:
                raise AssertionError(f"tasks {sorted(pending)} not finished after {timeout}s")
            for worker in self.running.values():
                if not worker.alive():
                    raise AssertionError(f"worker {worker.name} died:\n{worker.log(tail=80)}")
            time.sleep(0.2)


@pytest.fixture(scope="session")
def worker_pool(django_db_setup, tmp_path_factory):
    """The session's workers. Depends on the test database so that workers are stopped before
    it is destroyed (PostgreSQL refuses to drop a database with connections)."""
    global _POOL
    run_dir = tmp_path_factory.mktemp("celery-workers")
    mail_dir = run_dir / "mail"
    mail_dir.mkdir()
    pool = WorkerPool(run_dir, mail_dir, _worker_database_url())
    _POOL = pool
    atexit.register(pool.stop_all)  # even if the session is interrupted, no worker outlives it
    try:
        yield pool
    finally:
        pool.stop_all()
        _POOL = None
        purge_broker()


@pytest.fixture
def workers(worker_pool):
    """Per test: forget which workers the last test saw, so a failure report shows the
    logs of this test's workers."""
    worker_pool.seen = list(worker_pool.running.values())
    return worker_pool


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and _POOL is not None and "workers" in getattr(item, "fixturenames", ()):
        for worker in _POOL.seen:
            report.sections.append((f"celery worker {worker.name} (log tail)", worker.log(tail=150)))
    return report


# --- mail written by the workers' file backend -------------------------------------------------

_SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class Mailbox:
    """The messages Django's file backend wrote. One file may hold several messages (the
    backend names files by second and object id, so consecutive connections can append to
    the same file); messages are split on the backend's separator line."""

    def __init__(self, path):
        self.path = path

    def clear(self):
        for item in self.path.iterdir():
            if item.is_file():
                item.unlink(missing_ok=True)

    def messages(self):
        found = []
        for item in sorted(self.path.glob("*.log")):
            for chunk in item.read_bytes().split(_SEPARATOR):
                if not chunk.strip():
                    continue
                msg = email.message_from_bytes(chunk, policy=email.policy.default)
                found.append({
                    "to": str(msg["To"]),
                    "subject": str(msg["Subject"]),
                    "body": msg.get_content(),
                    "file": item.name,
                })
        return found

    def to(self, address, subject_prefix=""):
        return [m for m in self.messages() if m["to"] == address and m["subject"].startswith(subject_prefix)]


@pytest.fixture
def mailbox(worker_pool):
    box = Mailbox(worker_pool.mail_dir)
    box.clear()
    return box


# --- helpers -------------------------------------------------------------------------------

def wait_until(predicate, timeout=30, interval=0.2, message="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


def outside_closing_minute():
    """The 'always open' hours end at 23:59 (the format cannot say 24:00). A sweep run in that
    last minute would defer staff mail to 00:00; wait it out (at most once a day, ~70 s)."""
    local = timezone.localtime()
    if local.hour == 23 and local.minute >= 58:
        midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=1, microsecond=0)
        time.sleep((midnight - local).total_seconds())


def unused_tcp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def jakarta_weekday_name(offset_days=0):
    names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    return names[(timezone.localtime().weekday() + offset_days) % 7]

