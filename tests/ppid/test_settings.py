"""Settings are read from the environment by typed helpers that fail loudly."""

from datetime import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from ppid import settings as s


def test_office_hours_are_read_day_by_day(monkeypatch):
    monkeypatch.setenv("X_HOURS", "mon-thu 07:30-16:00; fri 07:30-16:30")
    hours = s.env_office_hours("X_HOURS", "")
    assert hours[0] == (time(7, 30), time(16)) and hours[4] == (time(7, 30), time(16, 30))
    assert 5 not in hours and 6 not in hours


def test_an_office_open_all_day_closes_at_the_end_of_the_day(monkeypatch):
    monkeypatch.setenv("X_HOURS", "mon-sun 00:00-24:00")
    assert s.env_office_hours("X_HOURS", "")[6] == (time(0), time.max)


@pytest.mark.parametrize("raw", ["senin 07:30-16:00", "mon 16:00-07:30", "fri-mon 07:00-15:00", "mon 25:00-26:00", ";"])
def test_unreadable_office_hours_stop_the_process_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("X_HOURS", raw)
    with pytest.raises(ImproperlyConfigured, match="X_HOURS"):
        s.env_office_hours("X_HOURS", "")


@pytest.mark.parametrize("helper, raw", [(s.env_bool, "mungkin"), (s.env_int, "tiga"), (s.env_float, "x")])
def test_a_value_of_the_wrong_type_stops_the_process(monkeypatch, helper, raw):
    monkeypatch.setenv("X_VALUE", raw)
    with pytest.raises(ImproperlyConfigured, match="X_VALUE"):
        helper("X_VALUE", 1) if helper is not s.env_bool else helper("X_VALUE")


def test_a_choice_outside_its_list_is_refused(monkeypatch):
    monkeypatch.setenv("X_CLOCK", "lunar")
    with pytest.raises(ImproperlyConfigured, match="office, calendar"):
        s.env_choice("X_CLOCK", "office", ("office", "calendar"))
