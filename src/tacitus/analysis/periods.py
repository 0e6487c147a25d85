"""Calendar periods for counts over time: days, ISO weeks, months and years, with labels and first days.

The database groups events by day (a portable GROUP BY on the ISO day string); these functions fold days
into longer periods. ISO weeks have no portable SQL (SQLite's ``%W`` is not ISO 8601, PostgreSQL's ``IW``
is), and a store holds at most a few thousand distinct days, so folding them here costs nothing.
A week is ISO 8601's: it starts on Monday and belongs to the year of its Thursday, so 2017-01-01 (a
Sunday) is in week 2016-W52; its label is ``2016-W52`` and its ``start`` that Monday, 2016-12-26.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from enum import StrEnum

from tacitus.model import iso_date as parse_day  # noqa: F401 - stored days as dates; stats imports it here


class Period(StrEnum):
    """The length of the periods a series is counted in."""

    day = "day"
    week = "week"
    month = "month"
    year = "year"


def period_start(day: date, period: Period | str) -> date:
    """The first day of the period holding ``day``: itself, its week's Monday, the 1st of its month or year."""
    period = Period(period)
    if period is Period.day:
        return day
    if period is Period.week:
        return day - timedelta(days=day.isoweekday() - 1)
    if period is Period.month:
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def period_label(start: date, period: Period | str) -> str:
    """How a period is named: ``2017-12-14``, ``2017-W50`` (ISO year and week), ``2017-12``, ``2017``."""
    period = Period(period)
    if period is Period.day:
        return start.isoformat()
    if period is Period.week:
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    if period is Period.month:
        return f"{start.year:04d}-{start.month:02d}"
    return f"{start.year:04d}"


def next_start(start: date, period: Period | str) -> date:
    """The first day of the period after the one starting on ``start``."""
    period = Period(period)
    if period is Period.day:
        return start + timedelta(days=1)
    if period is Period.week:
        return start + timedelta(days=7)
    if period is Period.month:
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def period_starts(first: date, last: date, period: Period | str) -> Iterator[date]:
    """Every period's first day from the period of ``first`` to that of ``last``, gaps included."""
    current = period_start(first, period)
    end = period_start(last, period)
    while current <= end:
        yield current
        current = next_start(current, period)
