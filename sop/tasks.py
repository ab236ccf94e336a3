"""Celery tasks of the engine. Both are idempotent: running them twice, or on two workers at
once, sends nothing twice."""

from celery import shared_task

from . import sweep as sweep_module


@shared_task(name="sop.tasks.sweep")
def sweep():
    """Beat runs this every minute: claim due reminders and escalations, then deliver."""
    reminded, escalated = sweep_module.sweep()
    sent = sweep_module.deliver()
    return {"reminded": reminded, "escalated": escalated, "sent": sent}


@shared_task(name="sop.tasks.deliver")
def deliver():
    """Queued on commit whenever the outbox gets a row."""
    return sweep_module.deliver()
