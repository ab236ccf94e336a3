"""Starting a case, which every public complaint does, costs a fixed, small number of queries
on every database, once the process's memo (sop.memo) holds the SOP's steps concerned and the
calendar's holidays (one query each more, the first time): the case's insert, one insert of
both Tasks and, when the citizen gets a receipt, one of the outbox. No savepoint of its own
inside a caller's transaction. The case is written by its own ``save()``, so a workflow's
override of it and a receiver of its post_save run. Run on the test-only workflow
(tests/contoh) but where a real workflow's ``save()`` is the point."""

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from aduan.models import Aduan
from opini.models import Opini
from sop import services as engine
from sop.loader import load
from sop.models import Notifikasi, Task
from tests.contoh.models import Permintaan
from tests.factories import AduanFactory, OpiniFactory, PermintaanFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
CONTOH_SOP = Path(__file__).resolve().parent.parent / "contoh" / "sop" / "uji_contoh.yaml"

# Queries of a start once the memo is warm, on every database: without, and with, the
# citizen's receipt.
WARM = 2
WITH_RECEIPT = 3


@pytest.fixture(autouse=True)
def _content_types_known():
    """A running process has its case models' ContentTypes in ContentType's cache."""
    ContentType.objects.get_for_models(Permintaan, Aduan, Opini)


@pytest.fixture
def contoh(db, django_capture_on_commit_callbacks):
    """The test-only SOP, committed before the process serves requests (as ``muat_sop`` does)."""
    with django_capture_on_commit_callbacks(execute=True):
        return load(CONTOH_SOP)


def _sql(queries):
    return "\n".join(q["sql"] for q in queries.captured_queries)


def test_the_first_case_of_a_process_also_reads_the_steps_and_the_holidays(contoh):
    with CaptureQueriesContext(connection) as queries:
        engine.start(PermintaanFactory(email=""))
    assert len(queries) == WARM + 2, _sql(queries)
    assert "sop_step" in queries[0]["sql"] and any("sop_harilibur" in q["sql"] for q in queries)


def test_starting_a_case_costs_a_fixed_number_of_queries_and_opens_its_first_step(contoh):
    engine.start(PermintaanFactory(email=""))  # the process has read the SOP's steps and holidays
    with time_machine.travel(MONDAY_9, tick=False), CaptureQueriesContext(connection) as queries:
        case = engine.start(PermintaanFactory(email=""), note="Lewat formulir.")
    assert len(queries) == WARM, _sql(queries)
    assert [q["sql"].split()[:3] for q in queries] == [
        ["INSERT", "INTO", connection.ops.quote_name("contoh_permintaan")],
        ["INSERT", "INTO", connection.ops.quote_name("sop_task")],
    ], _sql(queries)
    created, waiting = Task.objects.of_case(case).order_by("id")
    assert (created.step.nomor, created.state, created.transition, created.finished_at, created.note) == (
        "1", "", "dibuat", MONDAY_9, "Lewat formulir.")
    assert (waiting.step.nomor, waiting.state, waiting.lane.kode, waiting.finished_at) == (
        "2", "masuk", "petugas", None)
    assert waiting.due_at == datetime(2026, 11, 23, 9, 30, tzinfo=WIB) and waiting.started_at == MONDAY_9
    assert waiting.remind_at == MONDAY_9 + (waiting.due_at - MONDAY_9) * 0.75
    assert created.sop_id == waiting.sop_id == waiting.step.sop_id == contoh.pk
    assert created.kode == waiting.kode == case.kode and waiting.judul == case.uraian[:120]


def test_the_citizens_receipt_is_written_with_the_case_and_addressed_to_its_open_step(contoh):
    engine.start(PermintaanFactory(email=""))
    with CaptureQueriesContext(connection) as queries:
        case = engine.start(PermintaanFactory(email="warga@contoh.id"))
    assert len(queries) == WITH_RECEIPT, _sql(queries)
    receipt = Notifikasi.objects.get()
    assert receipt.task == engine.open_task(case) and receipt.email == "warga@contoh.id"
    assert receipt.subjek == f"[{case.kode}] Permintaan masuk"


def test_the_started_case_is_saved_as_save_leaves_it(contoh):
    case = engine.start(PermintaanFactory(email=""))
    assert case.kode.startswith("UJI-") and Permintaan.objects.get(pk=case.pk).kode == case.kode
    assert {t.case_id for t in Task.objects.of_case(case)} == {case.pk}
    case.jawaban = "Terlampir."
    case.save()  # an update of the row written, not a second insert
    assert Permintaan.objects.get().jawaban == "Terlampir."


def test_a_receiver_of_the_case_models_post_save_hears_of_every_new_case(contoh):
    """An audit log, a search index: told of the insert, as for any save."""
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.kode, created))

    post_save.connect(receiver, sender=Permintaan)
    try:
        case = engine.start(PermintaanFactory(email=""))
    finally:
        post_save.disconnect(receiver, sender=Permintaan)
    assert heard == [(case.kode, True)]
    assert Task.objects.of_case(case).open().get().state == "masuk"


def test_a_workflows_own_save_runs_when_the_engine_starts_its_case(sops):
    """Aduan's ``save()`` keeps no identity of an anonymous complaint; Opini's normalises the
    post's URL so a post is recorded once."""
    aduan = engine.start(AduanFactory(anonim=True, nama="Siti", email="siti@contoh.id", telepon="0812345678"))
    stored = Aduan.objects.get(pk=aduan.pk)
    assert (stored.nama, stored.email, stored.telepon) == ("", "", "")
    assert not Notifikasi.objects.exists()  # no address, no receipt
    opini = engine.start(OpiniFactory(tautan="https://www.instagram.com/p/CzAlunAlun01/?igsh=abc"))
    assert Opini.objects.get(pk=opini.pk).tautan_normal == "instagram.com/p/CzAlunAlun01"


def test_a_failure_half_way_leaves_nothing_behind_the_callers_block(contoh):
    """start has no savepoint of its own: a caller that goes on after a failure wraps it in an
    atomic block of its own (as opini.services.catat_opini does), and that block is undone."""
    case = PermintaanFactory()
    case.uraian = None  # NOT NULL: the case's insert fails half-way through start
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            engine.start(case)
    assert not Task.objects.exists() and not Permintaan.objects.exists()
