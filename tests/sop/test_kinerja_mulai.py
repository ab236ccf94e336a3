"""Starting a case, which every public complaint does, costs a fixed, small number of queries
(issue 8: the public form's throughput), once the process's memo (sop.memo) holds the SOP's
steps concerned and the calendar's holidays (two more, one each, the first time): on
PostgreSQL one statement writes the case, both Tasks and the citizen's receipt; elsewhere the
case, both Tasks in one insert, and the receipt in a third. No savepoint of its own inside a
caller's transaction."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext

from aduan.models import Aduan
from opini.models import Opini
from sop import kueri
from sop import services as engine
from sop.models import Notifikasi, Task
from tests.factories import AduanFactory, OpiniFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


ONE_STATEMENT = connection.vendor == "postgresql"
# Queries of a start once the memo is warm: without, and with, the citizen's receipt.
WARM = 1 if ONE_STATEMENT else 2
WITH_RECEIPT = 1 if ONE_STATEMENT else 3


@pytest.fixture(autouse=True)
def _content_types_known():
    """A running process has its case models' ContentTypes in ContentType's cache."""
    ContentType.objects.get_for_models(Aduan, Opini)


def test_the_first_complaint_of_a_process_also_reads_the_steps_and_the_holidays(aduan_sop):
    with CaptureQueriesContext(connection) as queries:
        engine.start(AduanFactory(email=""))
    assert len(queries) == WARM + 2, "\n".join(q["sql"] for q in queries.captured_queries)
    assert "sop_step" in queries[0]["sql"] and any("sop_harilibur" in q["sql"] for q in queries)


def test_starting_a_complaint_costs_a_fixed_number_of_queries_and_opens_its_first_step(aduan_sop):
    engine.start(AduanFactory(email=""))  # the process has read the SOP's steps and holidays
    with time_machine.travel(MONDAY_9, tick=False), CaptureQueriesContext(connection) as queries:
        aduan = engine.start(AduanFactory(email=""), note="Lewat formulir.")
    assert len(queries) == WARM, "\n".join(q["sql"] for q in queries.captured_queries)
    created, waiting = Task.objects.of_case(aduan).order_by("id")
    assert (created.step.nomor, created.state, created.transition, created.finished_at, created.note) == (
        "1", "", "dibuat", MONDAY_9, "Lewat formulir.")
    assert (waiting.step.nomor, waiting.state, waiting.lane.kode, waiting.finished_at) == (
        "2", "submitted", "admin_koordinator", None)
    assert waiting.due_at is not None and waiting.remind_at is not None and waiting.started_at == MONDAY_9
    assert created.sop_id == waiting.sop_id == waiting.step.sop_id


def test_the_citizens_receipt_is_written_with_the_case_and_addressed_to_its_open_step(aduan_sop):
    engine.start(AduanFactory(email=""))
    with CaptureQueriesContext(connection) as queries:
        aduan = engine.start(AduanFactory(email="warga@contoh.id"))
    assert len(queries) == WITH_RECEIPT
    receipt = Notifikasi.objects.get()
    assert receipt.task == engine.open_task(aduan) and receipt.email == "warga@contoh.id"
    assert receipt.subjek == f"[{aduan.kode}] Aduan Anda telah kami terima"


def test_the_started_case_is_saved_as_save_would_leave_it(aduan_sop):
    aduan = engine.start(AduanFactory(email=""))
    assert aduan.pk is not None and not aduan._state.adding
    assert Aduan.objects.get(pk=aduan.pk).kode == aduan.kode
    assert {t.case_id for t in Task.objects.of_case(aduan)} == {aduan.pk}
    aduan.lokasi = "Alun-alun Demak"
    aduan.save()  # an update of the row written, not a second insert
    assert Aduan.objects.get().lokasi == "Alun-alun Demak"


def test_an_anonymous_complaint_is_stored_without_identity_whichever_way_it_is_written(aduan_sop):
    aduan = engine.start(AduanFactory(anonim=True, nama="Siti", email="siti@contoh.id", telepon="0812345678"))
    stored = Aduan.objects.get(pk=aduan.pk)
    assert (stored.nama, stored.email, stored.telepon) == ("", "", "")
    assert not Notifikasi.objects.exists()


def test_a_case_model_whose_save_is_listened_to_is_saved_through_save(aduan_sop):
    """A post_save receiver of a case model (an audit log, a search index) still hears of every
    new case: such a model does not take the one-statement path."""
    heard = []

    def receiver(sender, instance, created, **kwargs):
        heard.append((instance.kode, created))

    assert kueri.boleh_sekaligus(Aduan, connection) == ONE_STATEMENT
    post_save.connect(receiver, sender=Aduan)
    try:
        assert not kueri.boleh_sekaligus(Aduan, connection)
        aduan = engine.start(AduanFactory(email=""))
    finally:
        post_save.disconnect(receiver, sender=Aduan)
    assert heard == [(aduan.kode, True)]
    assert Task.objects.of_case(aduan).open().get().state == "submitted"


def test_a_failure_half_way_leaves_nothing_behind_the_callers_block(sops):
    """start has no savepoint of its own: a caller that goes on after a failure wraps it in an
    atomic block of its own (as opini.services.catat_opini does), and that block is undone."""
    opini = OpiniFactory()
    opini.topik = None  # NOT NULL: the case's insert fails half-way through start
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            engine.start(opini)
    assert not Task.objects.exists() and not Opini.objects.exists()


def _postgresql():
    """A PostgreSQL connection object, never opened: its conversions are what the
    one-statement path writes, whichever database this run uses."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    return DatabaseWrapper({**connection.settings_dict, "ENGINE": "django.db.backends.postgresql"}, alias="pg")


def _django_would_write(obj, model, kecuali, pg):
    return [f.get_db_prep_save(f.pre_save(obj, True), pg) for f in kueri._kolom(model, kecuali)]


@time_machine.travel(MONDAY_9, tick=False)  # "diubah" is filled in with the moment of the save
def test_a_new_case_goes_into_the_statement_with_the_values_djangos_insert_would_write(aduan_sop):
    pg = _postgresql()
    aduan = AduanFactory(email="warga@contoh.id", tanggal_kejadian=datetime(2026, 11, 20).date())
    aduan.dibuat = MONDAY_9
    aduan.sebelum_disimpan()
    steps = {s.nomor: engine.Langkah.dari(s) for s in aduan_sop.steps.select_related("lane")}
    creating, waiting = engine._first_tasks(aduan, aduan_sop.pk, steps["1"], steps["2"], MONDAY_9, None, "x")
    receipt = engine._citizen_mail(aduan, "dibuat", "", None, MONDAY_9)[0]
    # Values a caller may leave of another type than the column's: Django converts them.
    aduan.telepon = 812345678  # an int in a text column
    creating.mendesak = 0  # an int in a boolean column
    waiting.due_at = datetime(2026, 11, 24, 9, 0)  # a naive moment, read in the office's zone
    receipt.attempts = True  # a bool in an integer column
    with pytest.warns(RuntimeWarning):  # Django's own warning about the naive moment
        expected = _django_would_write(waiting, Task, ("case_id",), pg)
    for obj, model, kecuali in ((aduan, Aduan, ()), (creating, Task, ("case_id",)),
                                (receipt, Notifikasi, ("task_id",))):
        assert kueri._nilai(obj, kueri._cara(model, kecuali), pg) == _django_would_write(obj, model, kecuali, pg)
    with pytest.warns(RuntimeWarning):
        assert kueri._nilai(waiting, kueri._cara(Task, ("case_id",)), pg) == expected
    assert "812345678" in kueri._nilai(aduan, kueri._cara(Aduan), pg)


def _fields(obj):
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_a_row_built_without_init_is_the_instance_the_model_would_build():
    from django.db.models.signals import post_init

    from sop.models import baris_baru

    values = dict(case_type_id=3, case_id=7, kode="ADU-1", judul="Aduan", sop_id=1, step_id=2, lane_id=4,
                  state="submitted", started_at=MONDAY_9)
    with time_machine.travel(MONDAY_9, tick=False):  # Notifikasi's dibuat defaults to now
        pairs = [(baris_baru(Task, **values), Task(**values)),
                 (baris_baru(Notifikasi, email="a@contoh.id"), Notifikasi(email="a@contoh.id"))]
    for quick, built in pairs:
        assert _fields(quick) == _fields(built)
        assert (quick._state.adding, quick._state.db, quick.pk) == (True, None, None)
    with pytest.raises(TypeError, match="lane"):
        baris_baru(Task, lane=None)  # attnames only, as a typo would be refused by Model.__init__
    heard = []

    def receiver(sender, instance, **kwargs):
        heard.append(instance)

    post_init.connect(receiver, sender=Task)
    try:
        made = baris_baru(Task, **values)
    finally:
        post_init.disconnect(receiver, sender=Task)
    assert heard == [made]
    # A case model's own __init__ (django-fsm's, which records the state it was loaded in) runs.
    assert baris_baru(Aduan, uraian="x")._ConcurrentTransitionMixin__initial_states == {"state": "submitted"}
