"""The deadline sweep and the outbox delivery, as plain functions Celery calls.

The sweep raises each reminder and escalation once. It keeps how far it has looked
(``Sapuan.sampai``) and each run takes the span from there to now with one conditional update
of that row, so two sweeps never take the same span; then it reads the open steps whose
reminder or deadline moment fell in its span (a range of one index each) and writes one
``Peringatan`` per step, in one ``INSERT ... SELECT`` per kind. The constraint on (Task,
kind) makes a second reminder for a step impossible whatever runs at once. Nothing is written
into the Task: a claim that rewrote the Task row would write all its indexes again.
The span and its rows commit together: a crash loses neither.

Delivery first fans the reminders and escalations whose time has come out to their audience
(the lane's members, or the supervising lane's; of the Task's unit for a per-unit lane), as
they are at that moment, one outbox row each; staff mail waits for office hours
(``not_before``). Then it claims each message before sending it and retries failures with
back-off.

What the span assumes: a step's reminder and deadline moments lie in the future when its
Task is written (the engine computes them from now), so no step lands in a span already
taken. The first sweep (no ``Sapuan`` row yet) looks from the beginning.
"""

import json
import logging
from collections import namedtuple
from datetime import timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .kalender import kalender
from .models import Notifikasi, Peringatan, Sapuan, Task, Unit
from .tautan import CaseUrls

logger = logging.getLogger(__name__)

# What a message needs of each Task, read in one query with its step, lane, the lane's
# supervisor, SOP and unit (no model instances: one delivery may fan out thousands).
_FIELDS = (
    "id", "kode", "judul", "waktu", "due_at", "case_type_id", "unit_id", "unit__nama",
    "step__nomor", "step__kegiatan", "sop__nama",
    "lane__nama", "lane__group_id", "lane__per_unit",
    "lane__atasan_id", "lane__atasan__nama", "lane__atasan__group_id", "lane__atasan__per_unit",
)
# One Task: _FIELDS as attributes, "__" read as "_" (task.lane_atasan_id).
_Claimed = namedtuple("_Claimed", [f.replace("__", "_") for f in _FIELDS])
# How many reminders and escalations one delivery transaction fans out (a weekend's backlog
# is taken in several).
URAI_PER_KALI = 2000


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


def _messages(pairs, url_of):
    """One message text per ``(task, jenis)``, with the audience it goes to: the members of
    the lane's group (a reminder) or of its supervisor's (an escalation; the lane's own when
    it has none), only those of the Task's unit for a per-unit lane."""
    out = []
    for task, jenis in pairs:
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


def _aware(value):
    """A timestamp as a plain cursor hands it over (SQLite: text in UTC) as an aware datetime;
    None stays None."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt_timezone.utc)


def _take_span(now):
    """Take the span from where the last sweep stopped to ``now``: ``(True, since)``, ``since``
    None on the first sweep; ``(False, None)`` when ``now`` is not past where the last one
    stopped (a worker whose clock is behind) or another first sweep came first.

    One conditional update, whose ``SET`` reads the old ``sampai`` into ``dari``: a second
    sweep waits for the first's row lock, then finds the row moved on and takes only the span
    after it, so spans never overlap."""
    table = connection.ops.quote_name(Sapuan._meta.db_table)
    moment = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET dari = sampai, sampai = %s WHERE id = 1 AND sampai < %s RETURNING dari",
                       [moment, moment])
        row = cursor.fetchone()
        if row is not None:
            return True, _aware(row[0])
        if Sapuan.objects.filter(pk=1).exists():
            return False, None
        cursor.execute(f"INSERT INTO {table} (id, dari, sampai) VALUES (1, NULL, %s) ON CONFLICT DO NOTHING",
                       [moment])
        return cursor.rowcount == 1, None


def _raise(since, now, not_before):
    """Write a ``Peringatan`` for every open step whose moment fell in the span (``since``,
    ``now``]: an escalation when its deadline has passed; a reminder when three quarters of
    its standard have, unless the deadline has passed too (that step is escalated instead,
    not both). One statement whatever the number; returns ``(reminded, escalated)``."""
    qn = connection.ops.quote_name
    moment = connection.ops.adapt_datetimefield_value
    escalate, remind = ["t.due_at < %s"], ["t.remind_at <= %s", "t.due_at >= %s"]
    escalate_params, remind_params = [moment(now)], [moment(now), moment(now)]
    if since is not None:
        escalate.append("t.due_at >= %s")
        escalate_params.append(moment(since))
        remind.append("t.remind_at > %s")
        remind_params.append(moment(since))
    task = qn(Task._meta.db_table)
    select = f"SELECT t.id, %s, %s, %s FROM {task} t WHERE t.finished_at IS NULL AND "
    sql = (
        f"INSERT INTO {qn(Peringatan._meta.db_table)} (task_id, jenis, dibuat, not_before) "
        f"{select}{' AND '.join(escalate)} UNION ALL {select}{' AND '.join(remind)} "
        f"ON CONFLICT DO NOTHING RETURNING jenis"
    )
    head = [moment(now), moment(not_before)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [Peringatan.ESKALASI, *head, *escalate_params, Peringatan.PENGINGAT, *head, *remind_params])
        raised = [row[0] for row in cursor.fetchall()]
    return raised.count(Peringatan.PENGINGAT), raised.count(Peringatan.ESKALASI)


def sweep(now=None):
    """Raise the reminders and escalations that fell due since the last sweep, once.

    Three queries whatever is due: the calendar's holidays, the span's conditional update,
    one insert. Returns ``(reminded, escalated)`` counts.
    """
    now = now or timezone.now()
    staff_not_before = kalender().next_office_moment(now)
    with transaction.atomic():
        taken, since = _take_span(now)
        if not taken:
            return 0, 0
        return _raise(since, now, staff_not_before)


def _claim_due_warnings(now, batas):
    """Mark at most ``batas`` reminders and escalations whose time has come as fanned out, and
    return them as ``(task_id, jenis)``. A conditional update: two workers never both take
    one (PostgreSQL skips rows another worker holds)."""
    qn = connection.ops.quote_name
    table = qn(Peringatan._meta.db_table)
    skip = " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    moment = connection.ops.adapt_datetimefield_value(now)
    sql = (
        f"UPDATE {table} SET diuraikan = %s WHERE diuraikan IS NULL AND id IN ("
        f"SELECT id FROM {table} WHERE diuraikan IS NULL AND not_before <= %s ORDER BY id LIMIT %s{skip}) "
        f"RETURNING task_id, jenis"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [moment, moment, batas])
        return cursor.fetchall()


def uraikan(now=None, batas=URAI_PER_KALI):
    """Fan the reminders and escalations whose time has come out into the outbox: one row per
    member of their audience as it is now (someone who left the lane overnight gets nothing).
    Three queries per ``batas`` of them. Returns how many were fanned out."""
    now = now or timezone.now()
    done = 0
    while True:
        with transaction.atomic():
            claimed = _claim_due_warnings(now, batas)
            if claimed:
                tasks = {
                    row[0]: _Claimed(*row)
                    for row in Task.objects.filter(pk__in={task_id for task_id, _ in claimed}).values_list(*_FIELDS)
                }
                pairs = [(tasks[task_id], jenis) for task_id, jenis in sorted(claimed) if task_id in tasks]
                _write_outbox(_messages(pairs, CaseUrls()), now, now)
        done += len(claimed)
        if len(claimed) < batas:
            return done


def _backoff(attempts):
    return timedelta(minutes=min(2 ** attempts, 240))


def deliver(now=None, limit=500):
    """Fan out the reminders and escalations whose time has come (:func:`uraikan`), then send
    what the outbox holds that is due. Returns the number sent.

    Each message is claimed (``claimed_until``) before it is sent, so two workers never send
    the same one; a worker that dies mid-send leaves a claim that expires and a retry.
    """
    now = now or timezone.now()
    uraikan(now)
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
