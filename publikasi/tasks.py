"""Celery tasks of the publication workflows."""

from celery import shared_task

from sop.sweep import deliver

from .pengingat import kirim_pengingat


@shared_task(name="publikasi.tasks.pengingat")
def pengingat():
    """Beat runs this hourly; it reminds each item once."""
    reviews, updates = kirim_pengingat()
    return {"tinjau": reviews, "pemutakhiran": updates, "terkirim": deliver()}
