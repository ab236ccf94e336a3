"""gunicorn on 127.0.0.1 with the bench settings, started and stopped by the run."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from .load import get_once

WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, workers=WORKERS, log_dir=None):
        self.workers = workers
        self.port = free_port()
        self.log = Path(log_dir or ".") / "gunicorn.log"
        self.process = None

    def __enter__(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ppid.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--worker-class", "sync", "--log-level", "warning",
             "--error-logfile", str(self.log), "--timeout", "60"],
            env=env, cwd=Path(__file__).resolve().parent.parent, start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log}")
            try:
                status, *_ = get_once(self.port, "/aduan/baru/")
                if status == 200:
                    # Every worker imports the project on its first request: warm them all.
                    for _ in range(self.workers * 3):
                        get_once(self.port, "/aduan/baru/")
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer on 127.0.0.1:{self.port}; see {self.log}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
