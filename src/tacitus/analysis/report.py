"""One call per `tacitus stats` answer: a table of counts by one key, or a summary of each, with what was
counted and how it was filtered, ready to print as a table, CSV or JSON.

The CLI and the web pages call :func:`stats_table` and :func:`stats_summary` on a store opened with
:func:`open_existing`; the counting itself is in :mod:`tacitus.analysis.stats` and
:mod:`tacitus.analysis.speakers`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tacitus.analysis.periods import Period
from tacitus.analysis.speakers import ABOUT_LIMIT, quote_count_column, speaker_counts
from tacitus.analysis.stats import (
    count_column,
    dyad_counts,
    period_counts,
    quad_counts,
    root_counts,
    totals,
)
from tacitus.analysis.units import QUOTE_UNIT_NOTES, UNIT_NOTES, Filters, Unit
from tacitus.errors import StoreUnavailable, UsageError

BY = ("dyad", "root", "quad", "period", "speaker")
"""What a stats table can count by."""

DEFAULT_LIMITS = {"dyad": 20, "speaker": 20}
"""Rows a table shows unless told (``limit=0`` shows all): dyads and speakers run into the thousands on a
large store; roots (20), QuadClasses (4) and periods are shown whole."""

SUMMARY_LIMIT = 10
"""Rows per section of the summary (the most frequent dyads, roots and speakers; the latest periods)."""

SUMMARY_ABOUT = 3
"""Actors named per speaker in the summary, to keep its rows one line."""


def open_existing(db: str | Path) -> Any:
    """Open the store at ``db`` for reading; a missing SQLite file is an error, never created.

    Raises :class:`~tacitus.errors.StoreUnavailable` naming the file and how to make one, since a typo in
    ``--db`` would otherwise answer "no events".
    """
    from tacitus.store import open_store, sqlite_file

    path = sqlite_file(db)
    if path is not None and not path.exists():
        raise StoreUnavailable(f"{db}: no such database; create it with `tacitus process FILES --db {db}`")
    return open_store(db)


def _limit(by: str, limit: int | None) -> int | None:
    if limit is None:
        return DEFAULT_LIMITS.get(by)
    return limit or None  # 0: every row


def stats_table(
    store: Any,
    by: str,
    *,
    period: Period | str = Period.week,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
    countries: bool = False,
    limit: int | None = None,
    about: int = ABOUT_LIMIT,
) -> dict[str, Any]:
    """Counts by ``by`` (dyad, root, quad, period or speaker), with what was counted.

    Keys: ``by``, ``unit`` (events or mentions), ``count_column`` (the rows' count key: ``events``,
    ``mentions``, ``quotations`` or ``quote_mentions``), ``unit_note`` (the unit in words), ``filters`` (those
    set), ``rows``; ``about`` (actors named per speaker) for a speaker table; ``period`` and ``n_periods`` (before ``limit``) for a period table, ``dyad`` (``code`` or ``country``) for a dyad table.
    ``limit`` caps the rows (``None``: :data:`DEFAULT_LIMITS`, 0: all).
    """
    if by not in BY:
        raise UsageError(f"cannot count by {by!r}; count by one of {', '.join(BY)}")
    unit, filters = Unit(unit), (filters or Filters()).checked()
    n = _limit(by, limit)
    result: dict[str, Any] = {"by": by, "unit": unit.value}
    if by == "speaker":
        if (
            filters.code
            or filters.source_actor
            or filters.target_actor
            or filters.moods
            or filters.negated
            or filters.repeated
        ):
            raise UsageError(
                "--code, --mood, --negated and --repeated filter events; speakers are counted from quotes: "
                "leave them out"
            )
        result |= {
            "count_column": quote_count_column(unit),
            "unit_note": QUOTE_UNIT_NOTES[unit.value],
            "about": about,
        }
        rows = speaker_counts(store, unit, filters, limit=n, about=about)
    else:
        result |= {"count_column": count_column(unit), "unit_note": UNIT_NOTES[unit.value]}
        if by == "dyad":
            result["dyad"] = "country" if countries else "code"
            rows = dyad_counts(store, unit, filters, countries=countries, limit=n)
        elif by == "root":
            rows = root_counts(store, unit, filters, limit=n)
        elif by == "quad":
            rows = quad_counts(store, unit, filters)
        else:
            result["period"] = Period(period).value
            rows = period_counts(store, period, unit, filters)
            result["n_periods"] = len(rows)
            # the latest periods (the undated row, if any, stays last)
            rows = rows[-n:] if n else rows
    result["filters"] = filters.described()
    result["rows"] = rows
    return result


def stats_summary(
    store: Any,
    *,
    period: Period | str = Period.week,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
    countries: bool = False,
    limit: int | None = None,
    about: int = SUMMARY_ABOUT,
) -> dict[str, Any]:
    """A summary of each count: totals, then the top dyads, roots, all QuadClasses, the latest periods and
    the top speakers, ``limit`` rows each (default :data:`SUMMARY_LIMIT`).

    Keys: ``unit``, ``unit_note``, ``filters``, ``totals`` (:func:`tacitus.analysis.stats.totals`), and one
    :func:`stats_table` result per section under ``dyad``, ``root``, ``quad``, ``period`` and ``speaker``.
    """
    unit, filters = Unit(unit), (filters or Filters()).checked()
    n = SUMMARY_LIMIT if limit is None else limit
    common = {"unit": unit, "filters": filters}
    sections = {
        "dyad": stats_table(store, "dyad", countries=countries, limit=n, **common),
        "root": stats_table(store, "root", limit=n, **common),
        "quad": stats_table(store, "quad", **common),
        "period": stats_table(store, "period", period=period, limit=n, **common),
        "speaker": stats_table(
            store, "speaker", limit=n, about=about, unit=unit, filters=_quote_filters(filters)
        ),
    }
    return {
        "unit": unit.value,
        "unit_note": UNIT_NOTES[unit.value],
        "filters": filters.described(),
        "totals": totals(store, unit, filters),
        **sections,
    }


def _quote_filters(filters: Filters) -> Filters:
    # the event-only filters (code, sides, mood, negation, summaries) have no meaning for quotes
    return Filters(actor=filters.actor, since=filters.since, until=filters.until, outlet=filters.outlet)
