"""The Celery app. Beat runs the deadline sweep; notifications are delivered on commit.

Settings come from ``ppid.settings`` (the ``CELERY_`` names). With an empty broker URL tasks
run eagerly in the caller, so the portal also works with no worker at all.
"""

import os
from pathlib import Path

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ppid.settings")

app = Celery("ppid")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _schedule(sender, **kwargs):
    from django.conf import settings

    sender.conf.beat_schedule = {
        "sop-sweep": {"task": "sop.tasks.sweep", "schedule": float(settings.PPID_SWEEP_SECONDS)},
        "publikasi-pengingat": {"task": "publikasi.tasks.pengingat", "schedule": 3600.0},
        # Bulk archives whose worker died are marked failed (their page does it too).
        "arsip-sapu": {"task": "arsip.tasks.sapu", "schedule": float(settings.PPID_SWEEP_SECONDS)},
    }


@worker_ready.connect
def _announce_ready(sender=None, **kwargs):
    # The integration tests start real workers and wait for this file: the filesystem
    # transport has no remote control, so ping cannot tell when a worker is listening.
    marker = os.environ.get("PPID_WORKER_READY_FILE")
    if marker:
        Path(marker).write_text("ready")
