"""The officers' queue costs a fixed number of queries: the same with 3 rows as with 60, on
the first page as on the next, for work of several SOPs, lanes, units and the overdue work of
supervised lanes (the page must not slow down as the Task table grows)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sop import services as engine
from sop.antrian import TERLAMBAT_DIAWASI
from tests.factories import AduanFactory, OpiniFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)
# Five days on, everything is overdue: the supervisor's table is full too.
LATER = MONDAY_9 + timedelta(days=5)


@pytest.fixture
def office(sops):
    unit = UnitFactory(nama="Dinas PU")
    admin = UserFactory(username="admin_k", lanes=("DMK-ADUAN", "admin_koordinator"))
    # One officer in four lanes of two SOPs, one of them per unit, and the supervisor of the
    # admin lane: every kind of row the queue shows.
    officer = UserFactory(
        username="sibuk",
        lanes=[("DMK-ADUAN", "admin_koordinator"), ("DMK-ADUAN", "opd_bumd"), ("DMK-ADUAN", "pimpinan"),
               ("CRB-OPINI", "pemantau")],
        units=[unit],
    )
    return {"unit": unit, "admin": admin, "officer": officer}


def add_work(office, count):
    """``count`` open steps of each kind: a new complaint (admin lane), a complaint at the
    OPD (per-unit lane, with a unit), a captured opinion (another SOP)."""
    with time_machine.travel(MONDAY_9, tick=False):
        for _ in range(count):
            engine.start(AduanFactory(email=""))
            aduan = engine.advance(engine.start(AduanFactory(email="")), "accept_complaint", office["admin"])
            aduan = engine.advance(aduan, "verify_opd", office["admin"], unit=office["unit"])
            engine.advance(aduan, "dispatch_to_opd", office["admin"])
            engine.start(OpiniFactory(), by=office["officer"])


def queue(client, page=None, htmx=False):
    url = reverse("sop:antrian") + (f"?hal={page}" if page else "")
    headers = {"HX-Request": "true"} if htmx else {}
    with time_machine.travel(LATER, tick=False):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, headers=headers)
    assert response.status_code == 200
    html = response.content.decode()
    rows = len(re.findall(r'<tr class="baris-terlambat"', html))
    return len(queries), rows, [q["sql"] for q in queries.captured_queries]


def test_the_queue_costs_the_same_number_of_queries_whatever_its_length(client, office):
    add_work(office, 1)
    with time_machine.travel(LATER, tick=False):
        client.force_login(office["officer"])
    queue(client)  # a process's first page for the user reads their lanes (then memoised)
    few, few_rows, few_sql = queue(client)
    # Three own steps, and in the supervisor's table the overdue steps of the lanes the officer
    # supervises: the admin step (as Pimpinan) and the OPD step (as Admin Koordinator).
    assert few_rows == 3 + 2

    add_work(office, 19)  # 60 own steps: 50 on the first page, 10 on the second
    many, many_rows, many_sql = queue(client)
    second, second_rows, _ = queue(client, page=2)
    partial, partial_rows, _ = queue(client, page=2, htmx=True)
    # A full page, and the supervisor's table: 20 of the 40 overdue steps supervised.
    assert (TERLAMBAT_DIAWASI, many_rows) == (20, 50 + 20)
    assert second_rows == 10 + 20
    assert partial_rows == 10

    assert many == few, "\n".join(many_sql)
    assert second == few
    # The partial has no supervisor's table: one query per supervised lane fewer, and no more.
    assert partial == few - 3
    # Session, user; the (capped) number of open steps; the page's rows; each of the three
    # supervised lanes' overdue rows. (The menu's "Arsip massal" item reads
    # permissions only for admin-site staff, not officers.)
    assert few == 7, "\n".join(few_sql)


def test_the_first_page_of_a_process_reads_the_lanes_steps_once_more(client, office):
    add_work(office, 1)
    with time_machine.travel(LATER, tick=False):
        client.force_login(office["officer"])
    cold, *_ = queue(client)
    warm, *_ = queue(client)
    assert cold == warm + 2  # the user's groups, their lanes' steps


def test_over_the_count_cap_the_queue_costs_the_same_queries_on_every_page(client, office, monkeypatch):
    add_work(office, 20)  # 60 own steps
    with time_machine.travel(LATER, tick=False):
        client.force_login(office["officer"])
    queue(client)  # the lanes' steps memoised
    exact, *_ = queue(client)
    monkeypatch.setattr("sop.antrian.BATAS_HITUNG", 10)
    monkeypatch.setattr("sop.antrian.PER_HALAMAN", 20)
    counts = [queue(client, page=page)[0] for page in (None, 2, 3, "terakhir", -2)]
    assert counts == [exact] * 5


def test_the_memoised_lanes_follow_an_admins_change_and_a_new_lane_at_once(client, office):
    """What the queue keeps of a user's lanes (sop.memo) is dropped when a step is saved and
    when the user is put in another lane: its work shows on the next page."""
    from sop.models import Lane, Step

    add_work(office, 1)  # one new complaint waits in the Admin Koordinator's lane
    newcomer = UserFactory(username="baru", lanes=[("DMK-ADUAN", "pimpinan")])

    def own_table():
        with time_machine.travel(LATER, tick=False):
            return client.get(reverse("sop:antrian")).content.decode().split("Terlambat di pelaksana")[0]

    client.force_login(newcomer)
    assert "Tidak ada langkah yang menunggu Anda." in own_table()
    newcomer.groups.add(Lane.objects.get(sop__kode="DMK-ADUAN", kode="admin_koordinator").group)
    assert "1 langkah menunggu Anda." in own_table()
    step = Step.objects.get(sop__kode="DMK-ADUAN", state="submitted")
    step.kegiatan = "Menerima aduan (diubah oleh admin)"
    step.save()
    assert "Menerima aduan (diubah oleh admin)" in own_table()
