"""The deadline sweep and the outbox delivery, as plain functions Celery calls.

The sweep claims work with conditional updates (``reminded_at`` / ``escalated_at`` set only
where still empty), tagged with a token unique to this sweep, then reads back what it
claimed. Two sweeps running at once therefore never claim the same Task, and the number of
queries does not grow with the number of due Tasks. The claim and the outbox rows it
produces commit together: a crash loses neither.

Staff mail waits for office hours (``not_before``); delivery claims each message before
sending it and retries failures with back-off.
"""

import logging
import uuid
from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .kalender import kalender
from .models import Notifikasi, Task

logger = logging.getLogger(__name__)


def _recipients(lane, unit):
    """Active members with an e-mail of ``lane`` (and of ``unit`` for per-unit lanes)."""
    users = get_user_model().objects.filter(is_active=True, groups=lane.group_id).exclude(email="")
    if lane.per_unit:
        users = users.filter(units=unit) if unit is not None else users.none()
    return list(users)


def _messages(tasks, jenis, lane_of, not_before, now):
    rows = []
    by_lane_unit = defaultdict(list)
    for task in tasks:
        lane = lane_of(task)
        if lane is not None and lane.group_id is not None:
            by_lane_unit[(lane, task.unit if lane.per_unit else None)].append(task)
    for (lane, unit), lane_tasks in by_lane_unit.items():
        for user in _recipients(lane, unit):
            for task in lane_tasks:
                rows.append(
                    Notifikasi(
                        jenis=jenis, penerima=user, email=user.email, task=task,
                        subjek=_subject(jenis, task), isi=_body(jenis, task, lane),
                        not_before=not_before, next_attempt_at=not_before, dibuat=now,
                    )
                )
    return rows


def _subject(jenis, task):
    if jenis == Notifikasi.ESKALASI:
        return f"[Eskalasi] {task.kode}: langkah {task.step.nomor} melewati batas waktu"
    return f"[Pengingat] {task.kode}: langkah {task.step.nomor} mendekati batas waktu"


def _body(jenis, task, lane):
    due = timezone.localtime(task.due_at)
    lines = [
        f"SOP: {task.sop.nama}",
        f"Kasus: {task.kode} {task.judul}",
        f"Langkah {task.step.nomor}: {task.step.kegiatan}",
        f"Pelaksana: {task.lane.nama}" + (f" ({task.unit.nama})" if task.unit else ""),
        f"Standar waktu: {task.waktu}",
        f"Batas waktu: {due:%d-%m-%Y %H:%M} WIB",
    ]
    if jenis == Notifikasi.ESKALASI:
        lines.insert(0, f"Sebagai atasan ({lane.nama}), mohon tindak lanjut: langkah ini sudah melewati batas waktu.")
    else:
        lines.insert(0, "Langkah berikut mendekati batas waktunya.")
    lines.append(f"Buka: {settings.PPID_SITE_URL}{task.case_url()}")
    return "\n".join(lines)


def sweep(now=None):
    """Claim due reminders and escalations once and write their notifications.

    Returns ``(reminded, escalated)`` counts.
    """
    now = now or timezone.now()
    cal = kalender()
    staff_not_before = cal.next_office_moment(now)
    related = ("step", "lane", "lane__group", "lane__atasan", "unit", "sop")
    with transaction.atomic():
        # Escalations first: an overdue Task that was never reminded is escalated, not both.
        token_e = uuid.uuid4()
        escalated = Task.objects.filter(
            finished_at__isnull=True, escalated_at__isnull=True, due_at__lt=now
        ).update(escalated_at=now, reminded_at=Coalesce("reminded_at", now), sweep_claim=token_e)
        escalated_tasks = list(Task.objects.filter(sweep_claim=token_e).select_related(*related)) if escalated else []

        token_r = uuid.uuid4()
        reminded = Task.objects.filter(
            finished_at__isnull=True, reminded_at__isnull=True, remind_at__lte=now
        ).update(reminded_at=now, sweep_claim=token_r)
        reminded_tasks = list(Task.objects.filter(sweep_claim=token_r).select_related(*related)) if reminded else []

        rows = _messages(reminded_tasks, Notifikasi.PENGINGAT, lambda t: t.lane, staff_not_before, now)
        rows += _messages(
            escalated_tasks, Notifikasi.ESKALASI, lambda t: t.lane.atasan or t.lane, staff_not_before, now
        )
        Notifikasi.objects.bulk_create(rows)
    return len(reminded_tasks), len(escalated_tasks)


def _backoff(attempts):
    return timedelta(minutes=min(2 ** attempts, 240))


def deliver(now=None, limit=500):
    """Send what the outbox holds that is due. Returns the number sent.

    Each message is claimed (``claimed_until``) before it is sent, so two workers never send
    the same one; a worker that dies mid-send leaves a claim that expires and a retry.
    """
    now = now or timezone.now()
    due = list(
        Notifikasi.objects.filter(
            sent_at__isnull=True, gagal=False, not_before__lte=now, next_attempt_at__lte=now
        )
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        # A fresh clock per message: a slow mail server must not leave later claims born
        # expired, which would let a second worker send the same message.
        claim_at = timezone.now()
        claimed = Notifikasi.objects.filter(pk=pk, sent_at__isnull=True).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lt=claim_at)
        ).update(claimed_until=claim_at + timedelta(minutes=5))
        if not claimed:
            continue
        message = Notifikasi.objects.get(pk=pk)
        try:
            send_mail(message.subjek, message.isi, None, [message.email])
        except Exception as exc:
            attempts = message.attempts + 1
            Notifikasi.objects.filter(pk=pk).update(
                attempts=attempts, last_error=str(exc)[:2000], claimed_until=None,
                next_attempt_at=timezone.now() + _backoff(attempts),
                gagal=attempts >= settings.PPID_NOTIFY_MAX_ATTEMPTS,
            )
            logger.warning("mail to %s failed (attempt %s): %s", message.email, attempts, exc)
            continue
        Notifikasi.objects.filter(pk=pk).update(
            sent_at=timezone.now(), attempts=message.attempts + 1, claimed_until=None
        )
        sent += 1
    return sent
