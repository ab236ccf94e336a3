"""Starting a case, which every public complaint does, costs a fixed, small number of queries
(issue 8: the public form's throughput): the case and both Tasks in one insert, once the
process's memo (sop.memo) holds the SOP's steps concerned and the calendar's holidays; two
more, one each, the first time; no savepoint of its own inside a caller's transaction."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from aduan.models import Aduan
from opini.models import Opini
from sop import services as engine
from sop.models import Notifikasi, Task
from tests.factories import AduanFactory, OpiniFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


@pytest.fixture(autouse=True)
def _content_types_known():
    """A running process has its case models' ContentTypes in ContentType's cache."""
    ContentType.objects.get_for_models(Aduan, Opini)


def test_the_first_complaint_of_a_process_costs_four_queries(aduan_sop):
    with CaptureQueriesContext(connection) as queries:
        engine.start(AduanFactory(email=""))
    assert len(queries) == 4, "\n".join(q["sql"] for q in queries.captured_queries)
    assert "sop_step" in queries[0]["sql"] and "sop_harilibur" in queries[2]["sql"]


def test_starting_a_complaint_costs_two_queries_and_opens_its_first_step(aduan_sop):
    engine.start(AduanFactory(email=""))  # the process has read the SOP's steps and holidays
    with time_machine.travel(MONDAY_9, tick=False), CaptureQueriesContext(connection) as queries:
        aduan = engine.start(AduanFactory(email=""), note="Lewat formulir.")
    assert len(queries) == 2, "\n".join(q["sql"] for q in queries.captured_queries)
    created, waiting = Task.objects.of_case(aduan).order_by("id")
    assert (created.step.nomor, created.state, created.transition, created.finished_at, created.note) == (
        "1", "", "dibuat", MONDAY_9, "Lewat formulir.")
    assert (waiting.step.nomor, waiting.state, waiting.lane.kode, waiting.finished_at) == (
        "2", "submitted", "admin_koordinator", None)
    assert waiting.due_at is not None and waiting.remind_at is not None and waiting.started_at == MONDAY_9
    assert created.sop_id == waiting.sop_id == waiting.step.sop_id


def test_the_citizens_receipt_is_one_more_insert(aduan_sop):
    engine.start(AduanFactory(email=""))
    with CaptureQueriesContext(connection) as queries:
        aduan = engine.start(AduanFactory(email="warga@contoh.id"))
    assert len(queries) == 3
    assert Notifikasi.objects.get().task == engine.open_task(aduan)


def test_a_failure_half_way_leaves_nothing_behind_the_callers_block(sops):
    """start has no savepoint of its own: a caller that goes on after a failure wraps it in an
    atomic block of its own (as opini.services.catat_opini does), and that block is undone."""
    opini = OpiniFactory()
    opini.teks = None  # NOT NULL: the case's insert fails half-way through start
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            engine.start(opini)
    assert not Task.objects.exists() and not Opini.objects.exists()
