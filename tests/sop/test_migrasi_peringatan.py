"""Migration sop 0007 moves the sweep's record out of the Task: the reminders and escalations a
Task carried become Peringatan rows, already delivered, and the first sweep afterwards raises
none of them again."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from sop import services as engine
from sop.models import Peringatan
from sop.sweep import sweep
from tests.factories import PermintaanFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("sop", "0006_task_indeks_antrian")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def test_the_claims_recorded_on_tasks_become_delivered_warnings_raised_once(contoh_sop):
    now = timezone.now().replace(microsecond=0)
    reminded, escalated_only, both = (engine.open_task(engine.start(PermintaanFactory(email=""))) for _ in range(3))
    migrate(BEFORE)
    try:
        with connection.cursor() as cursor:
            def record(task, remind_at, due_at, reminded_at, escalated_at):
                cursor.execute(
                    "UPDATE sop_task SET remind_at = %s, due_at = %s, reminded_at = %s, escalated_at = %s WHERE id = %s",
                    [remind_at, due_at, reminded_at, escalated_at, task.pk])

            # Reminded, not yet due; overdue and escalated without a reminder of its own (the
            # old sweep then set reminded_at to the same moment); reminded, then escalated.
            record(reminded, now - timedelta(hours=1), now + timedelta(hours=1), now - timedelta(minutes=59), None)
            record(escalated_only, now - timedelta(hours=3), now - timedelta(hours=2),
                   now - timedelta(hours=2), now - timedelta(hours=2))
            record(both, now - timedelta(hours=5), now - timedelta(hours=4),
                   now - timedelta(hours=5), now - timedelta(hours=4))
    finally:
        migrate(latest())

    warnings = {(p.task_id, p.jenis): p for p in Peringatan.objects.all()}
    assert set(warnings) == {
        (reminded.pk, Peringatan.PENGINGAT),
        (escalated_only.pk, Peringatan.ESKALASI),
        (both.pk, Peringatan.PENGINGAT), (both.pk, Peringatan.ESKALASI),
    }
    assert warnings[(both.pk, Peringatan.ESKALASI)].dibuat == now - timedelta(hours=4)
    assert all(p.diuraikan is not None for p in warnings.values())  # their mail went out long ago
    # The first sweep looks from the beginning: everything due is already raised.
    assert sweep() == (0, 0)
    assert Peringatan.objects.count() == 4
