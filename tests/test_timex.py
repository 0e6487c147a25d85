"""TIMEX3 values as ranges of days (tacitus.timex): the periods an event's clause can give."""

from __future__ import annotations

from datetime import date

import pytest

from tacitus.timex import days_outside, is_day, period_bounds


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2007", date(2007, 1, 1), date(2007, 12, 31)),
        ("2016-02", date(2016, 2, 1), date(2016, 2, 29)),  # a leap year's February
        ("2017-12", date(2017, 12, 1), date(2017, 12, 31)),
        ("2017-W49", date(2017, 12, 4), date(2017, 12, 10)),  # ISO weeks start on Monday
        ("2015-W53", date(2015, 12, 28), date(2016, 1, 3)),  # an ISO week across the new year
        ("2017-W49-WE", date(2017, 12, 9), date(2017, 12, 10)),
        ("2017-Q3", date(2017, 7, 1), date(2017, 9, 30)),
        ("2017-H1", date(2017, 1, 1), date(2017, 6, 30)),
        ("2017-SU", date(2017, 6, 1), date(2017, 8, 31)),
        ("2017-WI", date(2017, 12, 1), date(2018, 2, 28)),  # winter runs into the next year
        ("201", date(2010, 1, 1), date(2019, 12, 31)),  # the 2010s
    ],
)
def test_periods_cover_their_calendar_days(value: str, first: date, last: date) -> None:
    assert period_bounds(value) == (first, last)


@pytest.mark.parametrize(
    "value",
    [None, "", "2017-12-14", "2017-12-14TNI", "PAST_REF", "P3D", "XXXX-WXX-1", "20", "2017-13", "2017-W54"],
)
def test_days_vague_references_and_impossible_values_are_no_period(value: str | None) -> None:
    assert period_bounds(value) is None


def test_is_day_and_days_outside() -> None:
    assert is_day("2017-12-14") and is_day("2017-12-14T10:00") and not is_day("2017-12") and not is_day(None)
    week = period_bounds("2017-W49")
    assert week is not None
    assert days_outside(date(2017, 12, 6), week) == 0
    assert days_outside(date(2017, 12, 15), week) == 5
    assert days_outside(date(2017, 12, 1), week) == 3
