"""The per-process memo of the SOP steps that open a case and of the admin's holidays
(sop.memo, issue 8): a change is seen by the next case started in the process that made it, by
the other processes through the shared cache's version stamp, and in any case after a minute."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from sop import memo
from sop import services as engine
from sop import waktu as w
from sop.models import HariLibur, Step
from tests.factories import AduanFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
THURSDAY_CLOSING = datetime(2026, 11, 26, 16, 0, tzinfo=WIB)  # "max 3 hari" from Monday 09:00
FRIDAY_CLOSING = datetime(2026, 11, 27, 16, 30, tzinfo=WIB)


def _first_deadline():
    """The deadline of a new complaint's first step (the Admin Koordinator's "max 3 hari")."""
    with time_machine.travel(MONDAY_9, tick=False):
        aduan = engine.start(AduanFactory(email=""))
    return engine.open_task(aduan).due_at


# What a start costs once the memo holds the steps and the holidays: on PostgreSQL one
# statement, elsewhere the case and its Tasks (sop.services.start).
WARM = 1 if connection.vendor == "postgresql" else 2


def _queries_of_a_start():
    """The queries of a start beyond a warm memo's: 0, 1 (steps or holidays read) or 2."""
    with CaptureQueriesContext(connection) as queries:
        engine.start(AduanFactory(email=""))
    return len(queries) - WARM


@pytest.fixture(autouse=True)
def _no_stamp_yet(monkeypatch):
    """The test process's cache outlives a test; a stamp another test wrote is not this one's,
    and the first start of the test reads the stamp afresh."""
    cache.delete(memo.KUNCI_VERSI)
    monkeypatch.setattr(memo, "_diperiksa", float("-inf"))
    yield
    cache.delete(memo.KUNCI_VERSI)


@pytest.fixture
def warm(aduan_sop):
    """A process that has started a complaint already: the memo holds what start reads."""
    assert _first_deadline() == THURSDAY_CLOSING
    assert _queries_of_a_start() == 0


@pytest.fixture
def other_process(monkeypatch):
    """Another process's view: the stamp is read at every start, not once a second."""
    monkeypatch.setattr(memo, "PERIKSA_DETIK", 0)


def test_a_step_edited_in_this_process_is_read_by_the_next_start(warm):
    step = Step.objects.get(sop__kode="DMK-ADUAN", state="submitted")
    step.waktu = "2 jam"
    step.save()
    assert _first_deadline() == datetime(2026, 11, 23, 11, 0, tzinfo=WIB)


def test_a_holiday_added_or_removed_in_this_process_is_read_by_the_next_start(warm):
    libur = HariLibur.objects.create(tanggal=date(2026, 11, 26), nama="Hari jadi Kabupaten")
    assert _first_deadline() == FRIDAY_CLOSING
    libur.delete()
    assert _first_deadline() == THURSDAY_CLOSING


def test_another_process_sees_a_change_once_its_commit_writes_a_new_stamp(warm, other_process):
    # The change as another process makes it: its rows (queryset.update sends no signal, so
    # this process is not told), then on commit a new stamp in the shared cache.
    two_hours = w.parse("2 jam")
    Step.objects.filter(sop__kode="DMK-ADUAN", state="submitted").update(
        waktu="2 jam", waktu_nilai=two_hours.value, waktu_satuan=two_hours.unit, waktu_batas=two_hours.bound)
    assert _first_deadline() == THURSDAY_CLOSING  # no new stamp yet: the memo stands
    cache.set(memo.KUNCI_VERSI, "versi-dari-proses-lain", None)
    assert _first_deadline() == datetime(2026, 11, 23, 11, 0, tzinfo=WIB)


def test_the_stamp_is_read_once_a_second_not_at_every_start(warm, monkeypatch):
    monkeypatch.setattr(memo, "PERIKSA_DETIK", 3600)  # the last check is "less than a second" ago
    HariLibur.objects.bulk_create([HariLibur(tanggal=date(2026, 11, 26), nama="Hari jadi Kabupaten")])
    cache.set(memo.KUNCI_VERSI, "versi-dari-proses-lain", None)
    assert _first_deadline() == THURSDAY_CLOSING
    assert _queries_of_a_start() == 0


def test_a_change_no_one_announced_is_seen_after_a_minute(warm, other_process, monkeypatch):
    HariLibur.objects.bulk_create([HariLibur(tanggal=date(2026, 11, 26), nama="Hari jadi Kabupaten")])
    assert _first_deadline() == THURSDAY_CLOSING
    now = memo._jam()
    monkeypatch.setattr(memo, "_jam", lambda: now + memo.UMUR_DETIK + 1)
    assert _first_deadline() == FRIDAY_CLOSING


def test_muat_sop_drops_every_process_memo(warm, other_process, django_capture_on_commit_callbacks):
    before = cache.get(memo.KUNCI_VERSI)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("muat_sop", stdout=open("/dev/null", "w"))
    assert cache.get(memo.KUNCI_VERSI) not in (None, before)
    assert _queries_of_a_start() == 2


def test_a_change_is_announced_to_other_processes_only_when_it_commits(warm, django_capture_on_commit_callbacks):
    before = cache.get(memo.KUNCI_VERSI)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        HariLibur.objects.create(tanggal=date(2026, 11, 26), nama="Hari jadi Kabupaten")
    assert cache.get(memo.KUNCI_VERSI) == before
    for callback in callbacks:
        callback()
    assert cache.get(memo.KUNCI_VERSI) != before


def test_what_a_caller_is_handed_cannot_be_changed_for_the_next_case(warm):
    key = ("langkah_awal", "DMK-ADUAN", "submitted")
    held = memo.ingat(key, lambda: pytest.fail("the memo was dropped"))
    with pytest.raises(AttributeError):
        held[-1].waktu = "1 jam"
    with pytest.raises(TypeError):
        held[-1] = held[0]
    assert _first_deadline() == THURSDAY_CLOSING


class _Batal(Exception):
    pass


def test_what_a_rolled_back_change_read_does_not_outlive_it(warm):
    """An import's dry run, say: the transaction sees its own holiday, nothing after it does."""
    with pytest.raises(_Batal):
        with transaction.atomic():
            HariLibur.objects.create(tanggal=date(2026, 11, 26), nama="Hari jadi Kabupaten")
            assert _first_deadline() == FRIDAY_CLOSING
            assert _first_deadline() == FRIDAY_CLOSING
            raise _Batal
    assert _first_deadline() == THURSDAY_CLOSING
    assert _queries_of_a_start() == 0
