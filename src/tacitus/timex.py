"""TIMEX3 values as ranges of days: what "2007", "2017-W49" or "2017-SU" covers on the calendar.

The time tagger writes values as the TIMEX3 guidelines do (``tacitus.components.time_values``); an event
whose own clause gives a year, a month or a week rather than a day keeps that value as its ``period``, and
whatever compares two events' times (the clustering) asks which days it covers. Below the components and
the store, which both need it.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})(-WE)?$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_SEASON = re.compile(r"^(\d{4})-(SP|SU|FA|WI)$")
_HALF = re.compile(r"^(\d{4})-H([12])$")
_DECADE = re.compile(r"^(\d{3})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(?:$|T)")

# meteorological seasons, as the tagger's "last summer" reads them; winter runs into the next year
_SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 14)}


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


def is_day(value: str | None) -> bool:
    """Whether a value names one day ("2017-12-14", "2017-12-14TNI", "2017-12-14T10:00")."""
    return bool(value) and _DAY.match(value) is not None  # type: ignore[arg-type]


def period_bounds(value: str | None) -> tuple[date, date] | None:
    """The first and last day (inclusive) of a calendar period coarser than a day: a year ("2007"), a month
    ("2017-10"), an ISO week ("2017-W49", its weekend "2017-W49-WE"), a quarter ("2017-Q3"), a half year
    ("2017-H1"), a season ("2017-SU") or a decade ("201", the 2010s). None for anything else: a day, a
    vague reference (``PAST_REF``), a set, a duration, a century, an unparsed value."""
    if not value:
        return None
    try:
        if m := _YEAR.match(value):
            year = int(m.group(1))
            return date(year, 1, 1), date(year, 12, 31)
        if m := _MONTH.match(value):
            year, month = int(m.group(1)), int(m.group(2))
            return date(year, month, 1), _month_end(year, month)
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
            if m.group(3):
                return monday + timedelta(days=5), monday + timedelta(days=6)
            return monday, monday + timedelta(days=6)
        if m := _QUARTER.match(value):
            year, q = int(m.group(1)), int(m.group(2))
            return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        if m := _HALF.match(value):
            year, h = int(m.group(1)), int(m.group(2))
            return date(year, 6 * h - 5, 1), _month_end(year, 6 * h)
        if m := _SEASON.match(value):
            year = int(m.group(1))
            first, last = _SEASON_MONTHS[m.group(2)]
            return date(year, first, 1), _month_end(year, last)
        if m := _DECADE.match(value):
            start = int(m.group(1)) * 10
            return date(start, 1, 1), date(start + 9, 12, 31)
    except ValueError:  # "2017-13", week 54: not a period on the calendar
        return None
    return None


def days_outside(day: date, bounds: tuple[date, date]) -> int:
    """How many days ``day`` lies outside the period ``bounds`` (0 inside it)."""
    first, last = bounds
    if day < first:
        return (first - day).days
    if day > last:
        return (day - last).days
    return 0
