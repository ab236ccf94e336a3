"""The officers' queue (sop/antrian.py) reads each lane's open work from the index in pieces
and merges them; it must still show exactly the Tasks the rules say, in the queue's order
(urgent, then approvals, then the soonest deadline, tasks without one last), page by page,
and its templates escape everything they show."""

import random
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import F
from django.template.loader import render_to_string

from aduan.models import Aduan
from sop import services as engine
from sop.antrian import PER_HALAMAN, antrian
from sop.models import Lane, Step, Task, Unit
from tests.factories import AduanFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
MONDAY_9 = datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


@pytest.fixture
def office(aduan_sop):
    # Step 3 made an approval step before any work reaches it: its Tasks carry the mark.
    for step in Step.objects.filter(sop__kode="DMK-ADUAN", state="accepted"):
        step.persetujuan = True
        step.save()
    here, elsewhere = UnitFactory(nama="Dinas PU"), UnitFactory(nama="Dinas Kesehatan")
    admin = UserFactory(username="admin_k", lanes=("DMK-ADUAN", "admin_koordinator"))
    officer = UserFactory(username="ganda", lanes=[("DMK-ADUAN", "admin_koordinator"), ("DMK-ADUAN", "opd_bumd")],
                          units=[here])
    with time_machine.travel(MONDAY_9, tick=False):
        for _ in range(40):
            engine.start(AduanFactory(email=""))  # step 2, Admin Koordinator
        for _ in range(25):
            engine.advance(engine.start(AduanFactory(email="")), "accept_complaint", admin)  # step 3
        for unit in (here, elsewhere) * 4:
            aduan = engine.advance(engine.start(AduanFactory(email="")), "accept_complaint", admin)
            aduan = engine.advance(aduan, "verify_opd", admin, unit=unit)
            engine.advance(aduan, "dispatch_to_opd", admin)  # step 5, the unit's OPD
    # Deadlines shuffled, with ties, a few missing; a few urgent.
    rng = random.Random(8)
    for task in Task.objects.open():
        due = None if rng.random() < 0.1 else MONDAY_9 + timedelta(hours=rng.randint(-30, 30))
        Task.objects.filter(pk=task.pk).update(due_at=due, mendesak=rng.random() < 0.1)
    return {"officer": officer, "here": here}


def expected_order(user):
    return list(
        Task.objects.for_user(user)
        .order_by("-mendesak", "-step__persetujuan", F("due_at").asc(nulls_last=True), "id")
        .values_list("id", flat=True)
    )


def test_every_page_shows_the_queue_in_order_and_only_the_officers_work(office):
    user = office["officer"]
    expected = expected_order(user)
    assert len(expected) == 40 + 25 + 4  # the other unit's OPD steps are not theirs
    with time_machine.travel(MONDAY_9, tick=False):
        first, second = antrian(user, "1").halaman, antrian(user, "2").halaman
        past_the_end = antrian(user, "9").halaman
    assert [t.id for t in first.tugas] + [t.id for t in second.tugas] == expected
    assert (first.number, first.num_pages, first.count, len(first.tugas)) == (1, 2, 69, PER_HALAMAN)
    assert first.has_next and not first.has_previous and second.has_previous and not second.has_next
    assert (past_the_end.number, [t.id for t in past_the_end.tugas]) == (2, expected[PER_HALAMAN:])
    units = {t.unit_id for t in first.tugas + second.tugas} - {None}
    assert units == {office["here"].pk}


def test_the_rows_escape_what_citizens_wrote_and_mark_urgent_and_approval_work(office):
    user = office["officer"]
    task = Task.objects.get(pk=expected_order(user)[0])
    Task.objects.filter(pk=task.pk).update(judul='<script>alert("x")</script> & co', mendesak=True)
    with time_machine.travel(MONDAY_9 + timedelta(days=3), tick=False):
        html = render_to_string("sop/_antrian_tabel.html", {"halaman": antrian(user).halaman}, using="jinja2")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in html  # markupsafe's entities
    assert 'lencana-terlambat">mendesak</span>' in html
    assert "menunggu persetujuan" in html
    first_page = Task.objects.filter(pk__in=expected_order(user)[:PER_HALAMAN])
    # Three days on, every step with a deadline is late; those without one are not.
    assert html.count('<tr class="baris-terlambat">') == first_page.exclude(due_at=None).count()
    assert html.count("tanpa batas") == first_page.filter(due_at=None).count()
    assert f'href="/staf/aduan/{task.kode}/"' in html
    dated = Task.objects.exclude(due_at=None).filter(pk__in=expected_order(user)[:PER_HALAMAN]).first()
    assert f"<td>{dated.due_at.astimezone(WIB):%d-%m-%Y %H:%M}" in html  # shown in WIB


def test_pages_read_from_either_end_of_the_queue_join_up(office, monkeypatch):
    """Pages in the second half are read from the queue's end (the index backwards): with
    pages of 20, pages 1-2 read forwards and 3-4 backwards, and together they are the queue."""
    monkeypatch.setattr("sop.antrian.PER_HALAMAN", 20)
    user = office["officer"]
    with time_machine.travel(MONDAY_9, tick=False):
        pages = [antrian(user, str(n)).halaman for n in range(1, 5)]
    assert [len(p.tugas) for p in pages] == [20, 20, 20, 9]
    assert [t.id for p in pages for t in p.tugas] == expected_order(user)
    assert {p.num_pages for p in pages} == {4}


def test_under_the_cap_the_count_and_pages_are_exact(office, client):
    user = office["officer"]
    client.force_login(user)
    with time_machine.travel(MONDAY_9, tick=False):
        html = client.get("/staf/").content.decode()
        last = antrian(user, "terakhir").halaman
    assert "69 langkah menunggu Anda." in html and "Halaman 1 dari 2" in html
    assert 'href="?hal=2">terakhir</a>' in html
    assert (last.number, last.num_pages, len(last.tugas), last.has_next) == (2, 2, 69 - PER_HALAMAN, False)


def test_over_the_cap_the_queue_says_more_than_and_every_page_is_still_reachable(office, client, monkeypatch):
    """Beyond BATAS_HITUNG the queue is not counted: "lebih dari ...", "Halaman 1 dari 2+";
    following "berikutnya" from the first page, or "sebelumnya" from "terakhir", walks the
    whole queue in order."""
    monkeypatch.setattr("sop.antrian.PER_HALAMAN", 20)
    monkeypatch.setattr("sop.antrian.BATAS_HITUNG", 30)
    user = office["officer"]
    expected = expected_order(user)
    client.force_login(user)

    def walk(hal, link):
        seen, pages = [], []
        while hal is not None:
            response = client.get(f"/staf/?hal={hal}", headers={"HX-Request": "true"})  # the table only
            assert response.status_code == 200
            html = response.content.decode()
            pages.append(html)
            seen.append(re.findall(r'href="/staf/aduan/(ADU-[^/]+)/"', html))
            found = re.search(rf'href="\?hal=([^"]+)">{link}</a>', html)
            hal = found[1] if found else None
            assert len(pages) < 10
        return seen, pages

    with time_machine.travel(MONDAY_9, tick=False):
        forward, pages = walk("1", "berikutnya")
        backward, from_end = walk("terakhir", "sebelumnya")
        past_the_end = antrian(user, "9").halaman
        first = antrian(user, "1").halaman
    codes = dict(Task.objects.filter(pk__in=expected).values_list("pk", "kode"))
    in_order = [codes[i] for i in expected]
    assert [c for page in forward for c in page] == in_order
    assert [c for page in reversed(backward) for c in page] == in_order
    assert [len(p) for p in forward] == [20, 20, 20, 9] and [len(p) for p in backward] == [20, 20, 20, 9]
    assert "lebih dari 30 langkah menunggu Anda." in pages[0] and "Halaman 1 dari 2+" in pages[0]
    assert 'href="?hal=terakhir">terakhir</a>' in pages[0]
    assert "Halaman 4 dari 4" in pages[-1] and ">berikutnya<" not in pages[-1]
    assert "Halaman terakhir" in from_end[0] and "Halaman ke-2 dari akhir" in from_end[1]
    assert ">sebelumnya<" not in from_end[-1] and ">terakhir<" not in from_end[0]
    assert (first.num_pages, first.count, first.lebih) == (None, 31, True)
    # A stale link past the end shows the last page.
    assert (past_the_end.dari_akhir, [t.id for t in past_the_end.tugas]) == (1, expected[-20:])


def test_a_supervisor_sees_the_first_overdue_steps_of_the_lanes_they_supervise_by_deadline(office, monkeypatch):
    """The officer is in the Admin Koordinator lane, which supervises the OPD lane: its overdue
    steps, of every unit, urgent or not, are listed by deadline, the table's size of them at
    most, saying when there are more."""
    user = office["officer"]
    later = MONDAY_9 + timedelta(hours=12)
    # Two answers of the other unit wait for its Pejabat Penghubung: a second supervised lane.
    elsewhere = Unit.objects.get(nama="Dinas Kesehatan")
    opd = UserFactory(username="opd_lain", lanes=[("DMK-ADUAN", "opd_bumd")], units=[elsewhere])
    with time_machine.travel(MONDAY_9, tick=False):
        for aduan in Aduan.objects.filter(state="with_opd", unit=elsewhere).order_by("id")[:2]:
            engine.advance(aduan, "submit_answer", opd, jawaban="Saluran sudah dibersihkan.")
    answers = Task.objects.open().filter(step__state="answer_prepared").order_by("id")
    for task, hours in zip(answers, (-20, 5)):  # among the OPD's deadlines, not after them
        Task.objects.filter(pk=task.pk).update(due_at=MONDAY_9 + timedelta(hours=hours))
    supervised = Lane.objects.filter(atasan__group__user=user)
    waiting = Task.objects.open().filter(lane__in=supervised)
    overdue = list(waiting.filter(due_at__lt=later).order_by("due_at", "id").values_list("kode", flat=True))
    # Not every step is late yet, or has a deadline; the overdue ones are of both units.
    assert 3 < len(overdue) < waiting.count()
    assert waiting.filter(kode__in=overdue).values("unit").distinct().count() == 2
    # Two supervised (lane, step) pairs, urgent work among them: one table, by deadline.
    assert waiting.filter(kode__in=overdue).values("lane", "step").distinct().count() == 2
    Task.objects.filter(kode=overdue[1]).update(mendesak=True)
    Task.objects.filter(kode=overdue[2]).update(mendesak=False)

    def shown():
        with time_machine.travel(later, tick=False):
            queue = antrian(user)
        html = render_to_string("sop/_antrian_terlambat.html", {"terlambat": queue.terlambat_bawahan}, using="jinja2")
        kodes = re.findall(r'href="/staf/aduan/([^/]+)/"', html)
        assert queue.jumlah_terlambat_bawahan == len(kodes)
        return kodes, queue.lebih_terlambat_bawahan

    assert shown() == (overdue, False)
    for size in range(1, len(overdue)):  # the table's size at most: the first by deadline
        monkeypatch.setattr("sop.antrian.TERLAMBAT_DIAWASI", size)
        assert shown() == (overdue[:size], True)
    monkeypatch.setattr("sop.antrian.TERLAMBAT_DIAWASI", len(overdue))
    assert shown() == (overdue, False)


def test_the_supervisors_table_says_when_more_steps_are_overdue_than_it_shows(office, client, monkeypatch):
    user = office["officer"]
    later = MONDAY_9 + timedelta(days=3)  # every OPD step with a deadline is late
    with time_machine.travel(later, tick=False):
        client.force_login(user)
    overdue = Task.objects.open().filter(lane__atasan__group__user=user, due_at__lt=later).count()
    assert overdue > 2
    monkeypatch.setattr("sop.antrian.TERLAMBAT_DIAWASI", 2)
    with time_machine.travel(later, tick=False):
        capped = client.get("/staf/").content.decode()
    monkeypatch.setattr("sop.antrian.TERLAMBAT_DIAWASI", overdue)
    with time_machine.travel(later, tick=False):
        whole = client.get("/staf/").content.decode()
    assert "Ditampilkan 2 langkah yang paling lama terlambat; masih ada langkah terlambat lainnya." in capped
    assert "masih ada" not in whole and "Langkah yang terlambat, yang paling lama lebih dahulu." in whole
    assert whole.count('<tr class="baris-terlambat"><td>') == overdue


@pytest.mark.parametrize("text", ["Jalan berlubang di depan pasar " * 4, "x" * 90, "pendek", "Kali é́ meluap " * 9])
def test_the_rows_shorten_texts_as_truncatechars_does(text):
    from django.template.defaultfilters import truncatechars

    from sop.antrian import _shorten

    for limit in (40, 60, 70, 90):
        assert _shorten(text, limit) == truncatechars(text, limit)
