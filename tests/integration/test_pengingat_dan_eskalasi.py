"""Reminders, escalations and mail delivery through the real broker and real Celery workers.

Each test publishes ``sop.tasks.sweep`` (or ``deliver``) from this process through the
configured broker; worker subprocesses consume it and work on the same test database.
"""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from sop import services as engine
from sop.models import Notifikasi, Peringatan, Sapuan, Task
from sop.tasks import deliver, sweep
from tests.factories import AduanFactory, UserFactory

from .conftest import jakarta_weekday_name, outside_closing_minute, unused_tcp_port, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ADMIN = ("DMK-ADUAN", "admin_koordinator")
PIMPINAN = ("DMK-ADUAN", "pimpinan")
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def _make_due_for_reminder(*tasks):
    Task.objects.filter(pk__in=[t.pk for t in tasks]).update(remind_at=timezone.now() - timedelta(minutes=1))


def test_a_due_reminder_goes_out_through_the_broker_and_a_worker_mails_it(aduan_sop, workers, mailbox):
    workers.ensure(w1={})
    admin = UserFactory(lanes=ADMIN)
    aduan = engine.start(AduanFactory())
    task = engine.open_task(aduan)
    assert task.step.nomor == "2" and not Peringatan.objects.filter(task=task).exists()
    _make_due_for_reminder(task)

    outside_closing_minute()
    published = sweep.delay()

    reminder = wait_until(
        lambda: Notifikasi.objects.filter(
            task=task, jenis=Notifikasi.PENGINGAT, penerima=admin, sent_at__isnull=False
        ).first(),
        message="the reminder to be sent",
    )
    mails = wait_until(lambda: mailbox.to(admin.email, "[Pengingat]"), message="the reminder mail file")
    workers.wait_for_tasks([published.id])

    assert reminder.email == admin.email and reminder.attempts == 1
    assert len(mailbox.to(admin.email, "[Pengingat]")) == 1
    assert aduan.kode in mails[0]["subject"]
    assert aduan.kode in mails[0]["body"] and "Langkah 2" in mails[0]["body"]
    assert Peringatan.objects.get(task=task).jenis == Peringatan.PENGINGAT
    # The citizen's receipt (queued on commit of ``start``) went out once as well.
    receipts = [m for m in mailbox.to("siti@contoh.id") if aduan.kode in m["subject"]]
    assert len(receipts) == 1


def test_overdue_work_is_escalated_to_the_supervising_lane_and_not_also_reminded(aduan_sop, workers, mailbox):
    workers.ensure(w1={})
    admin = UserFactory(lanes=ADMIN)
    boss = UserFactory(lanes=PIMPINAN)
    assert aduan_sop.lanes.get(kode="admin_koordinator").atasan.kode == "pimpinan"
    aduan = engine.start(AduanFactory(email=""))
    task = engine.open_task(aduan)
    now = timezone.now()
    Task.objects.filter(pk=task.pk).update(remind_at=now - timedelta(hours=2), due_at=now - timedelta(hours=1))

    outside_closing_minute()
    published = [sweep.delay(), sweep.delay()]
    workers.wait_for_tasks([p.id for p in published])

    escalations = Notifikasi.objects.filter(task=task, jenis=Notifikasi.ESKALASI)
    assert list(escalations.values_list("penerima", flat=True)) == [boss.pk]
    assert escalations.get().sent_at is not None
    assert not Notifikasi.objects.filter(task=task, jenis=Notifikasi.PENGINGAT).exists()
    assert list(Peringatan.objects.filter(task=task).values_list("jenis", flat=True)) == [Peringatan.ESKALASI]

    to_boss = [m for m in mailbox.to(boss.email) if aduan.kode in m["subject"]]
    assert [m["subject"].split(" ")[0] for m in to_boss] == ["[Eskalasi]"]
    assert "Sebagai atasan (Pimpinan" in to_boss[0]["body"]
    assert [m for m in mailbox.to(admin.email) if aduan.kode in m["subject"]] == []


def test_two_workers_and_several_sweeps_at_once_send_each_reminder_once(aduan_sop, workers, mailbox):
    workers.ensure(w1={}, w2={})
    admins = [UserFactory(lanes=ADMIN) for _ in range(2)]
    cases = [engine.start(AduanFactory(email="")) for _ in range(20)]
    tasks = list(Task.objects.filter(kode__in=[c.kode for c in cases], finished_at__isnull=True))
    assert len(tasks) == 20
    # The last sweep was five minutes ago; the reminders fell due since.
    Sapuan.objects.create(pk=1, sampai=timezone.now() - timedelta(minutes=5))
    _make_due_for_reminder(*tasks)

    outside_closing_minute()
    # Hold the sweep's span (PostgreSQL: the row lock of Sapuan; SQLite: the write lock) while
    # the sweeps are published, until both workers are inside a sweep; then let them race.
    with transaction.atomic():
        Sapuan.objects.select_for_update().get()
        published = [sweep.delay() for _ in range(8)]
        workers.wait_for_workers_busy([p.id for p in published], {"w1", "w2"})
    ran_on = workers.wait_for_tasks([p.id for p in published], timeout=90)

    expected = {(t.pk, a.pk) for t in tasks for a in admins}
    reminders = Notifikasi.objects.filter(jenis=Notifikasi.PENGINGAT)
    per_pair = Counter(reminders.values_list("task_id", "penerima_id"))
    assert set(per_pair) == expected
    assert max(per_pair.values()) == 1
    assert not reminders.filter(sent_at__isnull=True).exists()
    assert all(n == 1 for n in reminders.values_list("attempts", flat=True))

    emails = {a.email for a in admins}
    mails = [m for m in mailbox.messages() if m["to"] in emails and m["subject"].startswith("[Pengingat]")]
    assert len(mails) == len(expected) == 40
    assert max(Counter((m["to"], m["subject"]) for m in mails).values()) == 1
    assert {m["subject"].split(" ")[1].rstrip(":") for m in mails} == {c.kode for c in cases}
    assert set(ran_on.values()) == {"w1", "w2"}, ran_on


def test_staff_mail_waits_for_office_hours(aduan_sop, workers, mailbox):
    # Open only on a weekday three days from today (Asia/Jakarta): closed now, whatever the
    # real date and time of the run.
    open_day = jakarta_weekday_name(3)
    workers.ensure(w1={"PPID_OFFICE_HOURS": f"{open_day} 08:00-16:00"})
    admin = UserFactory(lanes=ADMIN)
    aduan = engine.start(AduanFactory(email=""))
    task = engine.open_task(aduan)
    _make_due_for_reminder(task)

    published = [sweep.delay(), deliver.delay()]
    workers.wait_for_tasks([p.id for p in published])

    # The reminder is raised now and waits for the opening; only then is it fanned out to
    # the lane's members of that morning and mailed.
    reminder = Peringatan.objects.get(task=task, jenis=Peringatan.PENGINGAT)
    assert reminder.not_before > timezone.now()
    opening = timezone.localtime(reminder.not_before)
    assert (WEEKDAYS[opening.weekday()], opening.hour, opening.minute) == (open_day, 8, 0)
    assert reminder.diuraikan is None
    assert not Notifikasi.objects.filter(task=task, penerima=admin).exists()
    assert mailbox.to(admin.email) == []


def test_a_mail_outage_delays_and_loses_nothing(aduan_sop, workers, mailbox):
    dead_smtp = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(unused_tcp_port()),
        "EMAIL_TIMEOUT": "2",
    }
    workers.ensure(smtp=dead_smtp)
    admin = UserFactory(lanes=ADMIN)
    aduan = engine.start(AduanFactory())  # the citizen's receipt is queued too
    task = engine.open_task(aduan)
    _make_due_for_reminder(task)

    outside_closing_minute()
    published = sweep.delay()
    workers.wait_for_tasks([published.id])

    rows = list(Notifikasi.objects.filter(task=task))
    assert sorted(r.jenis for r in rows) == [Notifikasi.PENGINGAT, Notifikasi.WARGA]
    now = timezone.now()
    for row in rows:
        assert row.sent_at is None, row
        assert row.attempts >= 1 and row.last_error, row
        assert row.next_attempt_at > now and not row.gagal, row
    attempts_before = {r.pk: r.attempts for r in rows}

    # Mail is back: a worker with a working backend, and the back-off has passed.
    workers.ensure(w1={})
    Notifikasi.objects.filter(pk__in=attempts_before).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
    published = [deliver.delay(), deliver.delay(), sweep.delay()]
    workers.wait_for_tasks([p.id for p in published])

    for row in Notifikasi.objects.filter(pk__in=attempts_before):
        assert row.sent_at is not None, row
        assert row.attempts == attempts_before[row.pk] + 1, row
    assert len([m for m in mailbox.to(admin.email, "[Pengingat]") if aduan.kode in m["subject"]]) == 1
    assert len([m for m in mailbox.to("siti@contoh.id") if aduan.kode in m["subject"]]) == 1
