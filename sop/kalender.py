"""The work calendar: when a step that starts now is due.

Policy (configurable in settings, documented in README.md):

- **Minutes** ("5 menit") count office time only: a 5-minute step started at 15:58 on a
  Thursday that closes at 16:00 is due at 07:33 on Friday. A start outside office hours
  starts the clock at the next opening.
- **Hours** ("<24 jam") count office time too (``PPID_HOURS_CLOCK=office``), or the plain
  clock (``calendar``).
- **Days** ("max 3 hari") count calendar days (``PPID_DAYS_CLOCK=calendar``; the documents do
  not say "kerja"), or working days (``working``).
- **Working days** ("10 hari kerja") count only days the office is open: not weekends, not the
  national holidays and cuti bersama of the ``holidays`` package, not a holiday an admin adds.
- A day-based standard is due at **closing time** of its last day, and never on a day the
  office is closed: a calendar-day deadline that lands on a weekend or holiday moves to the
  next working day. The start day itself is not counted.
- **Seketika** (instant) steps are still done by a person; they get
  ``PPID_INSTANT_GRACE_MINUTES`` of office time.

All arithmetic is in the office's zone (Asia/Jakarta); the results are aware datetimes.
"""

from datetime import datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays as holidays_lib
from django.conf import settings

from . import waktu as w


@lru_cache(maxsize=64)
def _national_holidays(country, year):
    return dict(
        holidays_lib.country_holidays(country, years=year, categories=("public", "government"), language="id")
    )


class Kalender:
    def __init__(self, office_hours=None, extra_holidays=None, *, tz=None, hours_clock=None, days_clock=None,
                 instant_grace_minutes=None, country=None):
        self.office_hours = office_hours if office_hours is not None else settings.PPID_OFFICE_HOURS
        self.extra_holidays = dict(extra_holidays or {})
        self.tz = ZoneInfo(tz or settings.TIME_ZONE)
        self.hours_clock = hours_clock or settings.PPID_HOURS_CLOCK
        self.days_clock = days_clock or settings.PPID_DAYS_CLOCK
        self.instant_grace = (
            settings.PPID_INSTANT_GRACE_MINUTES if instant_grace_minutes is None else instant_grace_minutes
        )
        self.country = country or settings.PPID_HOLIDAY_COUNTRY

    # --- days ---------------------------------------------------------------------------

    def holiday_name(self, day):
        """The name of the holiday on ``day`` (national, cuti bersama or added), or None."""
        if day in self.extra_holidays:
            return self.extra_holidays[day]
        return _national_holidays(self.country, day.year).get(day)

    def is_working_day(self, day):
        return day.weekday() in self.office_hours and self.holiday_name(day) is None

    def next_working_day(self, day):
        """``day`` itself if the office is open then, else the next day it is."""
        for _ in range(400):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("Tidak ada hari kerja dalam setahun ke depan: periksa jam kantor dan hari libur.")

    def _window(self, day):
        opens, closes = self.office_hours[day.weekday()]
        return (datetime.combine(day, opens, self.tz), datetime.combine(day, closes, self.tz))

    def closing(self, day):
        return self._window(day)[1]

    # --- moments ------------------------------------------------------------------------

    def local(self, moment):
        return moment.astimezone(self.tz)

    def is_office_time(self, moment):
        local = self.local(moment)
        if not self.is_working_day(local.date()):
            return False
        opens, closes = self._window(local.date())
        return opens <= local < closes

    def next_office_moment(self, moment):
        """``moment`` if the office is open then, else the next opening."""
        local = self.local(moment)
        day = local.date()
        for _ in range(400):
            if self.is_working_day(day):
                opens, closes = self._window(day)
                if local < opens:
                    return opens
                if local < closes:
                    return local
            day += timedelta(days=1)
            local = datetime.combine(day, datetime.min.time(), self.tz)
        raise ValueError("Tidak ada jam kantor dalam setahun ke depan.")

    def add_office_minutes(self, start, minutes):
        """The moment ``minutes`` of office time after ``start``."""
        remaining = timedelta(minutes=minutes)
        current = self.next_office_moment(start)
        for _ in range(5000):
            closes = self.closing(current.date())
            available = closes - current
            if remaining <= available:
                return current + remaining
            remaining -= available
            current = self.next_office_moment(closes)
        raise ValueError("Standar waktu terlalu panjang untuk dihitung dalam jam kantor.")

    def add_working_days(self, start, days):
        day = self.local(start).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return self.closing(day)

    def add_calendar_days(self, start, days):
        day = self.local(start).date() + timedelta(days=days)
        return self.closing(self.next_working_day(day))

    def due_at(self, start, standard):
        """When a step with time standard ``standard`` (a :class:`~sop.waktu.Waktu`) started at
        ``start`` is due; ``None`` for an untimed step."""
        if standard is None:
            return None
        if standard.unit == w.INSTANT:
            return self.add_office_minutes(start, self.instant_grace) if self.instant_grace else start
        if standard.unit == w.MINUTES:
            return self.add_office_minutes(start, standard.value)
        if standard.unit == w.HOURS:
            if self.hours_clock == "calendar":
                return start + timedelta(hours=standard.value)
            return self.add_office_minutes(start, standard.value * 60)
        if standard.unit == w.DAYS:
            if self.days_clock == "working":
                return self.add_working_days(start, standard.value)
            return self.add_calendar_days(start, standard.value)
        if standard.unit == w.WORKING_DAYS:
            return self.add_working_days(start, standard.value)
        raise ValueError(f"unknown unit {standard.unit!r}")

    @staticmethod
    def is_late(finished_at, due_at, bound):
        """Whether work finished at ``finished_at`` missed ``due_at``. "<24 jam" is strict."""
        if due_at is None or finished_at is None:
            return False
        return w.lewat(finished_at, due_at, bound)


def kalender(*, memo=False):
    """The office's calendar with the holidays an admin added: one query.

    ``memo=True`` (a new case's first deadline, :func:`sop.services.start`) takes the holidays
    from the per-process memo (:mod:`sop.memo`) instead. The sweep and the staff's actions
    read them afresh."""
    from .models import HariLibur

    def read():
        return dict(HariLibur.objects.values_list("tanggal", "nama"))

    if memo:
        from . import memo as shared

        return Kalender(extra_holidays=shared.get(("hari_libur",), read))
    return Kalender(extra_holidays=read())
