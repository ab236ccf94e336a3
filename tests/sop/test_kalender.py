"""When a step is due: office hours, national holidays and cuti bersama, added holidays."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from sop import waktu as w
from sop.kalender import Kalender, kalender
from sop.models import HariLibur

WIB = ZoneInfo("Asia/Jakarta")
HOURS = {0: (time(7, 30), time(16)), 1: (time(7, 30), time(16)), 2: (time(7, 30), time(16)),
         3: (time(7, 30), time(16)), 4: (time(7, 30), time(16, 30))}


def at(*args):
    return datetime(*args, tzinfo=WIB)


@pytest.fixture
def cal():
    return Kalender(HOURS, tz="Asia/Jakarta", hours_clock="office", days_clock="calendar",
                    instant_grace_minutes=30, country="ID")


def test_idul_fitri_2026_and_its_cuti_bersama_are_not_working_days(cal):
    for day in (date(2026, 3, 18), date(2026, 3, 19), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24)):
        assert not cal.is_working_day(day), day
    assert cal.is_working_day(date(2026, 3, 25))


def test_a_3_day_standard_started_on_the_friday_before_idul_fitri_is_due_after_the_cuti_bersama(cal):
    # Fri 20 March 2026 is itself cuti bersama; +3 days is Mon 23 (cuti bersama), so the
    # deadline moves to the next working day, Wed 25 March, at closing time.
    assert cal.due_at(at(2026, 3, 20, 9, 0), w.parse("max 3 hari")) == at(2026, 3, 25, 16, 0)


def test_a_3_day_standard_started_a_week_earlier_ends_on_monday(cal):
    assert cal.due_at(at(2026, 3, 13, 10, 0), w.parse("3 hari")) == at(2026, 3, 16, 16, 0)


def test_five_minutes_started_at_1558_on_a_friday_fit_before_friday_closing(cal):
    assert cal.due_at(at(2026, 11, 20, 15, 58), w.parse("5 menit")) == at(2026, 11, 20, 16, 3)


def test_five_minutes_started_at_1558_on_a_thursday_run_over_into_friday_morning(cal):
    assert cal.due_at(at(2026, 11, 19, 15, 58), w.parse("5 menit")) == at(2026, 11, 20, 7, 33)


def test_five_minutes_started_at_1628_on_a_friday_end_on_monday_morning(cal):
    assert cal.due_at(at(2026, 11, 20, 16, 28), w.parse("5 menit")) == at(2026, 11, 23, 7, 33)


def test_ten_working_days_skip_weekends_and_the_christmas_cuti_bersama(cal):
    # From Mon 21 Dec 2026: working days 22, 23, (24 cuti bersama, 25 Natal), 28, 29, 30, 31,
    # (1 Jan 2027 Tahun Baru), 4, (5 Isra Mikraj), 6, 7, 8 Jan -> the 10th is Fri 8 Jan 2027,
    # due at Friday's closing time.
    assert cal.due_at(at(2026, 12, 21, 10, 0), w.parse("10 (sepuluh) hari kerja")) == at(2027, 1, 8, 16, 30)


def test_a_complaint_submitted_on_a_sunday_night_is_counted_from_monday_morning(cal):
    sunday_night = at(2026, 11, 22, 22, 15)
    assert cal.due_at(sunday_night, w.parse("15 menit")) == at(2026, 11, 23, 7, 45)
    assert cal.due_at(sunday_night, w.parse("max 3 hari")) == at(2026, 11, 25, 16, 0)
    assert cal.due_at(sunday_night, w.parse("3 hari kerja")) == at(2026, 11, 25, 16, 0)


def test_under_24_hours_counts_office_hours_by_default_and_the_clock_when_configured(cal):
    start = at(2026, 11, 23, 8, 0)  # Monday
    # 24 office hours: Mon 08:00-16:00 (8 h), Tue 07:30-16:00 (8.5 h), then 7.5 h on Wednesday.
    assert cal.due_at(start, w.parse("<24 jam")) == at(2026, 11, 25, 15, 0)
    clock = Kalender(HOURS, tz="Asia/Jakarta", hours_clock="calendar", days_clock="calendar",
                     instant_grace_minutes=30, country="ID")
    assert clock.due_at(start, w.parse("<24 jam")) == at(2026, 11, 24, 8, 0)


def test_hari_can_be_configured_to_count_working_days(cal):
    working = Kalender(HOURS, tz="Asia/Jakarta", hours_clock="office", days_clock="working",
                       instant_grace_minutes=30, country="ID")
    friday = at(2026, 11, 20, 10, 0)
    assert cal.due_at(friday, w.parse("3 hari")) == at(2026, 11, 23, 16, 0)
    assert working.due_at(friday, w.parse("3 hari")) == at(2026, 11, 25, 16, 0)


def test_seketika_gets_a_grace_of_office_minutes(cal):
    assert cal.due_at(at(2026, 11, 23, 9, 0), w.parse("seketika")) == at(2026, 11, 23, 9, 30)


def test_an_untimed_step_has_no_deadline(cal):
    assert cal.due_at(at(2026, 11, 23, 9, 0), None) is None


def test_under_24_hours_is_strict_and_max_is_inclusive():
    due = at(2026, 11, 23, 9, 0)
    assert Kalender.is_late(due, due, w.LT)
    assert not Kalender.is_late(due, due, w.MAX)
    assert not Kalender.is_late(due, due, w.TARGET)


@pytest.mark.django_db
def test_a_holiday_added_by_an_admin_moves_deadlines():
    HariLibur.objects.create(tanggal=date(2026, 11, 24), nama="Hari jadi Kabupaten")
    cal = kalender()
    assert not cal.is_working_day(date(2026, 11, 24))
    assert cal.holiday_name(date(2026, 11, 24)) == "Hari jadi Kabupaten"
    assert cal.due_at(at(2026, 11, 23, 10, 0), w.parse("2 hari kerja")) == at(2026, 11, 26, 16, 0)


@pytest.mark.django_db
def test_the_public_forms_calendar_reads_the_holidays_once_and_again_after_an_admin_changes_them(
        django_assert_num_queries, django_capture_on_commit_callbacks):
    def committed(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    kalender(memo=True)
    with django_assert_num_queries(0):
        assert kalender(memo=True).is_working_day(date(2026, 11, 24))
    libur = HariLibur(tanggal=date(2026, 11, 24), nama="Hari jadi Kabupaten")
    committed(libur.save)
    with django_assert_num_queries(1):
        assert not kalender(memo=True).is_working_day(date(2026, 11, 24))
    with django_assert_num_queries(0):
        assert not kalender(memo=True).is_working_day(date(2026, 11, 24))
    libur.nama = "Hari jadi Kabupaten Demak"
    committed(libur.save)
    assert kalender(memo=True).holiday_name(date(2026, 11, 24)) == "Hari jadi Kabupaten Demak"
    committed(libur.delete)
    assert kalender(memo=True).is_working_day(date(2026, 11, 24))
    with django_assert_num_queries(1):
        kalender()  # the sweep's and the staff actions': read afresh


def test_staff_mail_waits_for_the_next_opening(cal):
    assert cal.next_office_moment(at(2026, 11, 21, 12, 0)) == at(2026, 11, 23, 7, 30)  # Saturday
    assert cal.next_office_moment(at(2026, 11, 23, 12, 0)) == at(2026, 11, 23, 12, 0)
