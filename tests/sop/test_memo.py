"""The per-process memo of the SOP steps that open a case and of the admin's holidays
(sop.memo): a change is seen at once by the process that made it, by the other processes
after its commit through the shared cache's version, and in any case after a minute; what a
rolled-back change read is never kept. Run on the test-only workflow (tests/contoh): its
first step, "30 menit", waits for the Petugas Layanan."""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from sop import memo
from sop import services as engine
from sop import waktu as w
from sop.loader import load
from sop.models import HariLibur, Step
from tests.contoh.models import Permintaan
from tests.factories import PermintaanFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
CONTOH_SOP = Path(__file__).resolve().parent.parent / "contoh" / "sop" / "uji_contoh.yaml"
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
MONDAY_930 = datetime(2026, 11, 23, 9, 30, tzinfo=WIB)  # "30 menit" of office time
TUESDAY_8 = datetime(2026, 11, 24, 8, 0, tzinfo=WIB)  # the same with Monday a holiday
MONDAY_11 = datetime(2026, 11, 23, 11, 0, tzinfo=WIB)  # "2 jam"
MONDAY = date(2026, 11, 23)

# What a start writes once the memo holds the steps and the holidays: the case and its two
# Tasks (one insert), without a receipt.
WARM = 2


def _first_deadline():
    """The deadline of a new request's first step."""
    with time_machine.travel(MONDAY_9, tick=False):
        case = engine.start(PermintaanFactory(email=""))
    return engine.open_task(case).due_at


def _queries_of_a_start():
    """The queries of a start beyond a warm memo's: 0, 1 (steps or holidays read) or 2."""
    with CaptureQueriesContext(connection) as queries:
        engine.start(PermintaanFactory(email=""))
    # Outside a test's transaction start's own BEGIN and COMMIT are logged too.
    return len([q for q in queries if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")]) - WARM


def _two_hours():
    """The first step's standard changed to "2 jam" past the ORM's signals, as another
    process's change looks from here."""
    parsed = w.parse("2 jam")
    Step.objects.filter(sop__kode="UJI-CONTOH", state="masuk").update(
        waktu="2 jam", waktu_nilai=parsed.value, waktu_satuan=parsed.unit, waktu_batas=parsed.bound)


@pytest.fixture(autouse=True)
def _no_version_yet(monkeypatch):
    """The test process's cache outlives a test: a version another test wrote is not this
    one's, and the first start of the test reads the version afresh."""
    cache.delete(memo.VERSION_KEY)
    monkeypatch.setattr(memo, "_checked", float("-inf"))
    ContentType.objects.get_for_model(Permintaan)  # a running process has it in ContentType's cache
    yield
    cache.delete(memo.VERSION_KEY)


@pytest.fixture
def warm(db, django_capture_on_commit_callbacks):
    """A process that has started a request already, on SOP data committed before."""
    with django_capture_on_commit_callbacks(execute=True):
        load(CONTOH_SOP)
    assert _first_deadline() == MONDAY_930
    assert _queries_of_a_start() == 0


@pytest.fixture
def other_process(monkeypatch):
    """Another process's view: the version is read at every start, not once a second."""
    monkeypatch.setattr(memo, "CHECK_SECONDS", 0)


def test_a_step_edited_in_this_process_is_read_by_the_next_start_and_kept_after_its_commit(warm, django_capture_on_commit_callbacks):
    step = Step.objects.get(sop__kode="UJI-CONTOH", state="masuk")
    step.waktu = "2 jam"
    with django_capture_on_commit_callbacks(execute=True):
        step.save()
    assert _first_deadline() == MONDAY_11
    assert _queries_of_a_start() == 0


def test_before_its_commit_the_changing_transaction_reads_its_own_rows_and_keeps_nothing(warm):
    step = Step.objects.get(sop__kode="UJI-CONTOH", state="masuk")
    step.waktu = "2 jam"
    step.save()  # the test's transaction stays open: uncommitted
    assert _first_deadline() == MONDAY_11
    assert _queries_of_a_start() == 2  # the steps and the holidays, read afresh each time


def test_a_request_begins_with_the_memo_in_use_whatever_this_thread_changed_before(warm, client):
    """A request starts outside any transaction: a change this thread made before was
    committed or rolled back, even if no read since could tell (all inside atomic blocks)."""
    with transaction.atomic():
        HariLibur.objects.create(tanggal=MONDAY, nama="Hari jadi Kabupaten")
    assert _queries_of_a_start() == 2  # inside the test's own transaction: uncommitted
    client.get("/")
    assert _first_deadline() == TUESDAY_8
    assert _queries_of_a_start() == 0


def test_a_holiday_added_or_removed_in_this_process_is_read_by_the_next_start(warm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        libur = HariLibur.objects.create(tanggal=MONDAY, nama="Hari jadi Kabupaten")
    assert _first_deadline() == TUESDAY_8
    with django_capture_on_commit_callbacks(execute=True):
        libur.delete()
    assert _first_deadline() == MONDAY_930


def test_another_process_sees_a_change_once_its_commit_writes_a_new_version(warm, other_process):
    _two_hours()
    assert _first_deadline() == MONDAY_930  # no new version yet: the memo stands
    cache.set(memo.VERSION_KEY, "versi-dari-proses-lain", None)
    assert _first_deadline() == MONDAY_11
    assert _queries_of_a_start() == 0


def test_the_version_is_read_at_most_once_a_second(warm, monkeypatch):
    now = memo._clock()
    monkeypatch.setattr(memo, "_clock", lambda: now)  # less than a second after the last check
    _two_hours()
    cache.set(memo.VERSION_KEY, "versi-dari-proses-lain", None)
    assert _first_deadline() == MONDAY_930
    assert _queries_of_a_start() == 0
    monkeypatch.setattr(memo, "_clock", lambda: now + memo.CHECK_SECONDS)
    assert _first_deadline() == MONDAY_11


def test_a_change_no_one_announced_is_seen_after_a_minute(warm, other_process, monkeypatch):
    HariLibur.objects.bulk_create([HariLibur(tanggal=MONDAY, nama="Hari jadi Kabupaten")])  # no signal
    assert _first_deadline() == MONDAY_930
    now = memo._clock()
    monkeypatch.setattr(memo, "_clock", lambda: now + memo.TTL_SECONDS / 2)
    assert _first_deadline() == MONDAY_930
    monkeypatch.setattr(memo, "_clock", lambda: now + memo.TTL_SECONDS + 1)
    assert _first_deadline() == TUESDAY_8


def test_muat_sop_drops_every_process_memo(warm, django_capture_on_commit_callbacks):
    before = cache.get(memo.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("muat_sop", stdout=open("/dev/null", "w"))
    assert cache.get(memo.VERSION_KEY) not in (None, before)
    assert _queries_of_a_start() == 2


def test_a_change_is_announced_to_other_processes_only_when_it_commits(warm, django_capture_on_commit_callbacks):
    before = cache.get(memo.VERSION_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        HariLibur.objects.create(tanggal=MONDAY, nama="Hari jadi Kabupaten")
        HariLibur.objects.create(tanggal=date(2026, 11, 24), nama="Cuti bersama")
    assert cache.get(memo.VERSION_KEY) == before
    for callback in callbacks:
        callback()
    after = cache.get(memo.VERSION_KEY)
    assert after not in (None, before)
    assert _first_deadline() == datetime(2026, 11, 25, 8, 0, tzinfo=WIB)
    assert _queries_of_a_start() == 0  # the change is over: the memo is in use again


def test_what_a_caller_is_handed_cannot_be_changed_for_the_next_case(warm):
    key = ("opening_steps", "UJI-CONTOH", "masuk")
    held = memo.get(key, lambda: pytest.fail("the memo was dropped"))
    with pytest.raises(AttributeError):
        held[-1].waktu = "1 jam"
    with pytest.raises(TypeError):
        held[-1] = held[0]
    assert _first_deadline() == MONDAY_930


class _Batal(Exception):
    pass


def test_what_a_rolled_back_savepoint_read_does_not_outlive_it(warm):
    with pytest.raises(_Batal):
        with transaction.atomic():
            HariLibur.objects.create(tanggal=MONDAY, nama="Hari jadi Kabupaten")
            assert _first_deadline() == TUESDAY_8
            assert _first_deadline() == TUESDAY_8
            raise _Batal
    assert _first_deadline() == MONDAY_930


@pytest.mark.django_db(transaction=True)
def test_what_a_rolled_back_transaction_read_does_not_outlive_it():
    """An import's dry run, say: the transaction sees its own holiday, nothing after it does,
    and once it is over the memo is in use again."""
    load(CONTOH_SOP)  # committed
    assert _first_deadline() == MONDAY_930
    with pytest.raises(_Batal):
        with transaction.atomic():
            HariLibur.objects.create(tanggal=MONDAY, nama="Hari jadi Kabupaten")
            assert _first_deadline() == TUESDAY_8
            assert _first_deadline() == TUESDAY_8
            raise _Batal
    assert not connection.in_atomic_block
    assert _first_deadline() == MONDAY_930
    assert _queries_of_a_start() == 0


def test_with_the_cache_down_a_case_still_starts_and_this_process_sees_its_change(
        warm, other_process, django_capture_on_commit_callbacks, caplog):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                        "LOCATION": f"redis://127.0.0.1:{port}/0"}}
    with override_settings(CACHES=down):
        assert _first_deadline() == MONDAY_930
        with caplog.at_level("WARNING", logger="sop.memo"), django_capture_on_commit_callbacks(execute=True):
            HariLibur.objects.create(tanggal=MONDAY, nama="Hari jadi Kabupaten")
        assert "could not be written to the cache" in caplog.text
        assert _first_deadline() == TUESDAY_8
        assert _queries_of_a_start() == 0
