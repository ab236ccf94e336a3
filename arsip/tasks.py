"""Celery tasks of the archive. Both are idempotent (see :mod:`arsip.services`)."""

from celery import shared_task

from . import services


@shared_task(name="arsip.tasks.susun")
def susun(pk, percobaan):
    """Build one bulk archive (queued on commit of the job's row)."""
    return services.susun(pk, percobaan)


@shared_task(name="arsip.tasks.sapu")
def sapu():
    """Beat: mark failed the bulk archives whose worker died."""
    return services.tandai_macet()
