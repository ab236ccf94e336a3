"""``manage.py serve``: the embedded default in one command: web, Celery worker and beat.

The worker runs with an embedded beat (``-B``) on the configured broker (the filesystem
transport under var/ unless CELERY_BROKER_URL says otherwise); the web server is Django's
runserver. Stopping this command stops all three.
"""

import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Menjalankan web, Celery worker dan Celery beat bersama-sama."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ppid", "worker", "-B", "--loglevel=INFO",
             "--concurrency=2", "--without-gossip", "--without-mingle"]
        )
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
