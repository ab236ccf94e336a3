"""The deadline sweep and the outbox delivery, as plain functions Celery calls.

The sweep claims work with conditional updates (``reminded_at`` / ``escalated_at`` set only
where still empty), tagged with a token unique to this sweep, then reads back what it
claimed. Two sweeps running at once therefore never claim the same Task, and the number of
queries does not grow with the number of due Tasks. The claim and the outbox rows it
produces commit together: a crash loses neither.

Staff mail waits for office hours (``not_before``); delivery claims each message before
sending it and retries failures with back-off.
"""

import json
import logging
import uuid
from collections import namedtuple
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .kalender import kalender
from .models import Notifikasi, Task, Unit
from .tautan import CaseUrls

logger = logging.getLogger(__name__)

# What a message needs of each claimed Task, read in one query with its step, lane, the
# lane's supervisor, SOP and unit (no model instances: a sweep may claim thousands).
_FIELDS = (
    "id", "sweep_claim", "kode", "judul", "waktu", "due_at", "case_type_id", "unit_id", "unit__nama",
    "step__nomor", "step__kegiatan", "sop__nama",
    "lane__nama", "lane__group_id", "lane__per_unit",
    "lane__atasan_id", "lane__atasan__nama", "lane__atasan__group_id", "lane__atasan__per_unit",
)
# One claimed Task: _FIELDS as attributes, "__" read as "_" (task.lane_atasan_id).
_Claimed = namedtuple("_Claimed", [f.replace("__", "_") for f in _FIELDS])


def _subject(jenis, task):
    if jenis == Notifikasi.ESKALASI:
        return f"[Eskalasi] {task.kode}: langkah {task.step_nomor} melewati batas waktu"
    return f"[Pengingat] {task.kode}: langkah {task.step_nomor} mendekati batas waktu"


def _body(jenis, task, lane_nama, url):
    due = timezone.localtime(task.due_at)
    lines = [
        f"SOP: {task.sop_nama}",
        f"Kasus: {task.kode} {task.judul}",
        f"Langkah {task.step_nomor}: {task.step_kegiatan}",
        f"Pelaksana: {task.lane_nama}" + (f" ({task.unit_nama})" if task.unit_id else ""),
        f"Standar waktu: {task.waktu}",
        f"Batas waktu: {due:%d-%m-%Y %H:%M} WIB",
    ]
    if jenis == Notifikasi.ESKALASI:
        lines.insert(0, f"Sebagai atasan ({lane_nama}), mohon tindak lanjut: langkah ini sudah melewati batas waktu.")
    else:
        lines.insert(0, "Langkah berikut mendekati batas waktunya.")
    lines.append(f"Buka: {settings.PPID_SITE_URL}{url}")
    return "\n".join(lines)


def _messages(tasks, jenis, url_of):
    """One message text per claimed Task, with the audience it goes to: the members of the
    lane's group (a reminder) or of its supervisor's (an escalation; the lane's own when it
    has none), only those of the Task's unit for a per-unit lane."""
    out = []
    for task in tasks:
        if jenis == Notifikasi.ESKALASI and task.lane_atasan_id is not None:
            lane_nama, group_id, per_unit = task.lane_atasan_nama, task.lane_atasan_group_id, task.lane_atasan_per_unit
        else:
            lane_nama, group_id, per_unit = task.lane_nama, task.lane_group_id, task.lane_per_unit
        if group_id is None or (per_unit and task.unit_id is None):
            continue
        out.append({
            "task_id": task.id, "jenis": jenis, "group_id": group_id,
            "unit_id": task.unit_id if per_unit else None,
            "subjek": _subject(jenis, task), "isi": _body(jenis, task, lane_nama, url_of(task.case_type_id, task.kode)),
        })
    return out


def _source(vendor):
    """The messages, passed as one JSON array, as a table ``m`` the database can join: one
    parameter whatever their number, so the query is the same for ten due Tasks or ten
    thousand."""
    if vendor == "postgresql":
        return ("json_to_recordset(%s::json) AS m(task_id bigint, jenis text, group_id integer, unit_id bigint, "
                "subjek text, isi text)")
    if vendor == "sqlite":
        return ("(SELECT json_extract(value, '$.task_id') AS task_id, json_extract(value, '$.jenis') AS jenis, "
                "json_extract(value, '$.group_id') AS group_id, json_extract(value, '$.unit_id') AS unit_id, "
                "json_extract(value, '$.subjek') AS subjek, json_extract(value, '$.isi') AS isi "
                "FROM json_each(%s)) AS m")
    raise NotImplementedError(f"the sweep's outbox insert supports PostgreSQL and SQLite, not {vendor}")


def _outbox_insert(messages, not_before, now):
    """The INSERT ... SELECT (SQL and parameters) that fans each message out to its
    audience's active members with an e-mail address and writes their outbox rows: the
    recipients are read and the rows written by the database, in one query whatever the
    number of Tasks, lanes, units or recipients."""
    user = get_user_model()
    groups = user.groups.through
    members = Unit.anggota.through
    n = Notifikasi._meta
    col = {f.name: f.column for f in n.concrete_fields}
    qn = connection.ops.quote_name
    u_table, g_table, a_table = qn(user._meta.db_table), qn(groups._meta.db_table), qn(members._meta.db_table)
    u_id, u_email, u_active = (qn(user._meta.get_field(f).column) for f in (user._meta.pk.name, "email", "is_active"))
    g_user, g_group = qn(groups._meta.get_field("user").column), qn(groups._meta.get_field("group").column)
    a_user, a_unit = qn(members._meta.get_field("user").column), qn(members._meta.get_field("unit").column)
    columns = ("jenis", "penerima", "email", "subjek", "isi", "task", "dibuat", "not_before", "next_attempt_at",
               "attempts", "gagal", "last_error")
    sql = (
        f"INSERT INTO {qn(n.db_table)} ({', '.join(qn(col[c]) for c in columns)}) "
        f"SELECT m.jenis, u.{u_id}, u.{u_email}, m.subjek, m.isi, m.task_id, %s, %s, %s, 0, %s, '' "
        f"FROM {_source(connection.vendor)} "
        f"JOIN {g_table} g ON g.{g_group} = m.group_id "
        f"JOIN {u_table} u ON u.{u_id} = g.{g_user} "
        f"WHERE u.{u_active} = %s AND u.{u_email} <> '' AND (m.unit_id IS NULL OR EXISTS ("
        f"SELECT 1 FROM {a_table} a WHERE a.{a_unit} = m.unit_id AND a.{a_user} = u.{u_id}))"
    )
    moment = connection.ops.adapt_datetimefield_value
    return sql, [moment(now), moment(not_before), moment(not_before), False, json.dumps(messages), True]


def _write_outbox(messages, not_before, now):
    """Write the outbox rows of ``messages``; returns how many."""
    if not messages:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(*_outbox_insert(messages, not_before, now))
        return cursor.rowcount


def sweep(now=None):
    """Claim due reminders and escalations once and write their notifications.

    A constant number of queries whatever is due: two claims, one read of what was claimed,
    one insert of the outbox rows (and the calendar's holidays). Returns ``(reminded,
    escalated)`` counts.
    """
    now = now or timezone.now()
    cal = kalender()
    staff_not_before = cal.next_office_moment(now)
    with transaction.atomic():
        # Escalations first: an overdue Task that was never reminded is escalated, not both.
        token_e = uuid.uuid4()
        escalated = Task.objects.filter(
            finished_at__isnull=True, escalated_at__isnull=True, due_at__lt=now
        ).update(escalated_at=now, reminded_at=Coalesce("reminded_at", now), sweep_claim=token_e)
        token_r = uuid.uuid4()
        reminded = Task.objects.filter(
            finished_at__isnull=True, reminded_at__isnull=True, remind_at__lte=now
        ).update(reminded_at=now, sweep_claim=token_r)
        if not (escalated or reminded):
            return 0, 0
        claimed = [
            _Claimed(*row)
            for row in Task.objects.filter(sweep_claim__in=[token_e, token_r]).order_by("id").values_list(*_FIELDS)
        ]
        escalated_tasks = [t for t in claimed if t.sweep_claim == token_e]
        reminded_tasks = [t for t in claimed if t.sweep_claim == token_r]
        url_of = CaseUrls()
        messages = _messages(reminded_tasks, Notifikasi.PENGINGAT, url_of)
        messages += _messages(escalated_tasks, Notifikasi.ESKALASI, url_of)
        _write_outbox(messages, staff_not_before, now)
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
