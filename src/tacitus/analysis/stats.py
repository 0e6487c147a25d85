"""Counts of stored events: per dyad, CAMEO root, QuadClass and period, with the mean Goldstein score.

Every function takes an open :class:`~tacitus.store.Store` (or a SQLAlchemy engine on a Tacitus database),
a :class:`~tacitus.analysis.units.Unit` (distinct events by default, or mentions) and
:class:`~tacitus.analysis.units.Filters`, and returns plain dicts, so the CLI, the charts and the web pages
share them. Grouping happens in the database (GROUP BY over the units of :mod:`tacitus.analysis.units`),
so a store of a million events is counted without loading it; only the per-day rows of a series are
folded into weeks, months or years here (:mod:`tacitus.analysis.periods`).

The count column is named after the unit (``events`` or ``mentions``); ``goldstein`` is the mean Goldstein
score over the same units (an event counted once weighs once), ``None`` when none of them has a score;
``cooperation`` and ``conflict`` count the units of QuadClass 1-2 and 3-4.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

import sqlalchemy as sa

from tacitus.analysis.periods import Period, parse_day, period_label, period_start, period_starts
from tacitus.analysis.units import EVENT_COUNT_COLUMN, Filters, Unit, event_units
from tacitus.errors import UnknownCode
from tacitus.ontology import cameo
from tacitus.store.queries import code_matches

QUAD_NAMES = {
    1: "verbal cooperation",
    2: "material cooperation",
    3: "verbal conflict",
    4: "material conflict",
}
"""GDELT's names for the four QuadClass values (docs/record.md): roots 01-05, 06-08, 09-13, 14-20."""

COOPERATION = (1, 2)
CONFLICT = (3, 4)


def engine_of(store: Any) -> sa.Engine:
    """The engine of a Store, or the engine itself: the functions here take either."""
    return store if isinstance(store, sa.Engine) else store.engine


def store_name(store: Any) -> str:
    """How a store is named in messages: its path or URL, never a password."""
    if isinstance(store, sa.Engine):
        return store.url.render_as_string(hide_password=True)
    return str(getattr(store, "url", store))


def fetch(store: Any, statement: sa.Select) -> list[dict[str, Any]]:
    """Run a SELECT on the store and return its rows as dicts."""
    with engine_of(store).connect() as connection:
        return [dict(row) for row in connection.execute(statement).mappings()]


def count_column(unit: Unit | str) -> str:
    """The name of the count column for events counted in ``unit``: ``events`` or ``mentions``."""
    return EVENT_COUNT_COLUMN[Unit(unit).value]


def _measures(units: sa.Subquery, unit: Unit) -> list[sa.Label]:
    quad = units.c.quad_class
    return [
        sa.func.count().label(count_column(unit)),
        sa.func.avg(units.c.goldstein).label("goldstein"),
        sa.func.sum(sa.case((quad.in_(COOPERATION), 1), else_=0)).label("cooperation"),
        sa.func.sum(sa.case((quad.in_(CONFLICT), 1), else_=0)).label("conflict"),
    ]


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    # PostgreSQL's SUM of integers is NUMERIC and its AVG of a float a float: give back ints and floats
    for key in ("cooperation", "conflict"):
        if key in row and row[key] is not None:
            row[key] = int(row[key])
    if row.get("goldstein") is not None:
        row["goldstein"] = float(row["goldstein"])
    return row


def _limited(statement: sa.Select, limit: int | None) -> sa.Select:
    return statement.limit(limit) if limit else statement


def totals(store: Any, unit: Unit | str = Unit.events, filters: Filters | None = None) -> dict[str, Any]:
    """How much the filters cover: events (distinct), mentions, articles, the day range, mean Goldstein.

    Keys: ``events`` and ``mentions`` (both counts, whatever ``unit``), ``articles`` (articles holding a
    mention), ``goldstein`` (mean over ``unit``), ``first_day``, ``last_day`` and ``undated`` (units of
    ``unit`` with no day, which no period holds).
    """
    unit, filters = Unit(unit), (filters or Filters()).checked()
    distinct = event_units(Unit.events, filters)
    mentions = event_units(Unit.mentions, filters)
    counted = distinct if unit is Unit.events else mentions
    with engine_of(store).connect() as connection:
        goldstein, first, last, undated = connection.execute(
            sa.select(
                sa.func.avg(counted.c.goldstein),
                sa.func.min(counted.c.day),
                sa.func.max(counted.c.day),
                sa.func.sum(sa.case((counted.c.day.is_(None), 1), else_=0)),
            )
        ).one()
        n_events = connection.execute(sa.select(sa.func.count()).select_from(distinct)).scalar_one()
        n_mentions, n_articles = connection.execute(
            sa.select(sa.func.count(), sa.func.count(sa.distinct(mentions.c.article_pk)))
        ).one()
    return {
        "events": n_events,
        "mentions": n_mentions,
        "articles": n_articles,
        "goldstein": None if goldstein is None else float(goldstein),
        "first_day": first,
        "last_day": last,
        "undated": int(undated or 0),
    }


def dyad_counts(
    store: Any,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
    *,
    countries: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Events per dyad (source, target), most frequent first.

    A dyad is a pair of actor codes (``USAGOV``, ``PRKGOV``) or, with ``countries``, of their country parts
    (``USA``, ``PRK``; ``---GOV``, an unnamed government, has none). Events missing a side (no target,
    or no country for a country dyad) belong to no dyad and are left out here; :func:`totals` counts them.
    Keys: ``source``, ``target``, the count, ``goldstein``, ``cooperation``, ``conflict``.
    """
    unit, filters = Unit(unit), (filters or Filters()).checked()
    u = event_units(unit, filters, countries)
    measures = _measures(u, unit)
    statement = (
        sa.select(u.c.source, u.c.target, *measures)
        .where(u.c.source.is_not(None), u.c.target.is_not(None))
        .group_by(u.c.source, u.c.target)
        .order_by(measures[0].desc(), u.c.source, u.c.target)
    )
    return [_clean(row) for row in fetch(store, _limited(statement, limit))]


def root_name(root: str | None) -> str:
    """CAMEO's name of an event root (``04`` CONSULT), or ``""`` for one the table lacks."""
    if not root:
        return ""
    try:
        return cameo(root).name
    except UnknownCode:
        return ""


def root_counts(
    store: Any, unit: Unit | str = Unit.events, filters: Filters | None = None, *, limit: int | None = None
) -> list[dict[str, Any]]:
    """Events per CAMEO root (01 MAKE PUBLIC STATEMENT ... 20 USE UNCONVENTIONAL MASS VIOLENCE), most
    frequent first. Keys: ``root``, ``name``, ``quad_class``, the count, ``goldstein`` (the mean over the
    root's events, whose codes score differently)."""
    unit, filters = Unit(unit), (filters or Filters()).checked()
    u = event_units(unit, filters)
    n = sa.func.count().label(count_column(unit))
    statement = (
        sa.select(u.c.root, n, sa.func.avg(u.c.goldstein).label("goldstein"))
        .group_by(u.c.root)
        .order_by(n.desc(), u.c.root)
    )
    rows = []
    for row in fetch(store, _limited(statement, limit)):
        quad = cameo(row["root"]).quad_class if root_name(row["root"]) else None
        rows.append(_clean({"root": row["root"], "name": root_name(row["root"]), "quad_class": quad, **row}))
    return rows


def quad_counts(
    store: Any, unit: Unit | str = Unit.events, filters: Filters | None = None
) -> list[dict[str, Any]]:
    """Events per QuadClass, 1 to 4 (then those with none). Keys: ``quad_class``, ``name``, the count,
    ``share`` (of all the units counted, 0-1) and ``goldstein``."""
    unit, filters = Unit(unit), (filters or Filters()).checked()
    u = event_units(unit, filters)
    n = sa.func.count().label(count_column(unit))
    statement = (
        sa.select(u.c.quad_class, n, sa.func.avg(u.c.goldstein).label("goldstein"))
        .group_by(u.c.quad_class)
        .order_by(u.c.quad_class.asc().nulls_last())
    )
    rows = fetch(store, statement)
    total = sum(row[count_column(unit)] for row in rows)
    return [
        _clean(
            {
                "quad_class": row["quad_class"],
                "name": QUAD_NAMES.get(row["quad_class"], "unknown"),
                count_column(unit): row[count_column(unit)],
                "share": row[count_column(unit)] / total if total else 0.0,
                "goldstein": row["goldstein"],
            }
        )
        for row in rows
    ]


def _daily(store: Any, unit: Unit, filters: Filters) -> list[dict[str, Any]]:
    """Per-day sums (count, Goldstein sum and count, cooperation, conflict): what periods are folded from."""
    u = event_units(unit, filters)
    quad = u.c.quad_class
    statement = sa.select(
        u.c.day,
        sa.func.count().label("n"),
        sa.func.sum(u.c.goldstein).label("g_sum"),
        sa.func.count(u.c.goldstein).label("g_n"),
        sa.func.sum(sa.case((quad.in_(COOPERATION), 1), else_=0)).label("cooperation"),
        sa.func.sum(sa.case((quad.in_(CONFLICT), 1), else_=0)).label("conflict"),
    ).group_by(u.c.day)
    return fetch(store, statement)


def _fold(daily: Sequence[dict[str, Any]], period: Period, unit: Unit, fill: bool) -> list[dict[str, Any]]:
    buckets: dict[date | None, list[float]] = {}
    for row in daily:
        day = parse_day(row["day"])
        start = None if day is None else period_start(day, period)
        sums = buckets.setdefault(start, [0, 0.0, 0, 0, 0])
        # the mean over a period is its Goldstein sum over its scored units, never a mean of daily means
        for i, key in enumerate(("n", "g_sum", "g_n", "cooperation", "conflict")):
            sums[i] += float(row[key] or 0) if key == "g_sum" else int(row[key] or 0)
    dated = sorted(start for start in buckets if start is not None)
    starts: list[date | None] = list(dated)
    if fill and dated:
        starts = list(period_starts(dated[0], dated[-1], period))
    if not fill and None in buckets:
        starts.append(None)  # the undated units, last
    rows = []
    for start in starts:
        n, g_sum, g_n, cooperation, conflict = buckets.get(start, [0, 0.0, 0, 0, 0])
        rows.append(
            {
                "period": None if start is None else period_label(start, period),
                "start": None if start is None else start.isoformat(),
                count_column(unit): int(n),
                "goldstein": g_sum / g_n if g_n else None,
                "cooperation": int(cooperation),
                "conflict": int(conflict),
            }
        )
    return rows


def period_counts(
    store: Any,
    period: Period | str = Period.week,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
    *,
    fill: bool = False,
) -> list[dict[str, Any]]:
    """Events per day, ISO week, month or year, in time order.

    Keys: ``period`` (``2017-12-14``, ``2017-W50``, ``2017-12``, ``2017``), ``start`` (its first day, a
    week's Monday), the count, ``goldstein``, ``cooperation``, ``conflict``. With ``fill`` every period
    between the first and the last is listed, empty ones with a count of 0 and no Goldstein mean (what a
    chart needs); without it, only periods with events, then one row with ``period`` ``None`` for the
    units that have no day at all, if any.
    """
    unit, filters = Unit(unit), (filters or Filters()).checked()
    return _fold(_daily(store, unit, filters), Period(period), unit, fill)


def dyad_series(
    store: Any,
    a: str,
    b: str,
    period: Period | str = Period.week,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
) -> list[dict[str, Any]]:
    """Events from ``a`` to ``b`` and from ``b`` to ``a`` per period, every period between the first and the
    last event of either direction (empty periods count 0), in time order.

    ``a`` and ``b`` are actor code prefixes (``RUS`` covers RUSGOV and RUSMIL). Keys: ``period``, ``start``,
    ``a_to_b`` and ``b_to_a`` (counts), ``a_to_b_goldstein`` and ``b_to_a_goldstein`` (means, ``None`` for a
    period without events in that direction). Undated events are left out: no period holds them. An empty
    list when the two never meet.
    """
    unit, base = Unit(unit), (filters or Filters()).checked()
    period = Period(period)
    directions = {
        "a_to_b": _daily(store, unit, _sides(base, a, b)),
        "b_to_a": _daily(store, unit, _sides(base, b, a)),
    }
    days = [parse_day(row["day"]) for rows in directions.values() for row in rows]
    dated = sorted(day for day in days if day is not None)
    if not dated:
        return []
    starts = list(period_starts(dated[0], dated[-1], period))
    series = [{"period": period_label(start, period), "start": start.isoformat()} for start in starts]
    column = count_column(unit)
    for name, daily in directions.items():
        folded = {row["start"]: row for row in _fold(daily, period, unit, fill=False) if row["start"]}
        for row in series:
            found = folded.get(row["start"])
            row[name] = found[column] if found else 0
            row[f"{name}_goldstein"] = found["goldstein"] if found else None
    return series


def _sides(filters: Filters, source: str, target: str) -> Filters:
    return replace(filters, actor=None, source_actor=source, target_actor=target)


def actor_network(
    store: Any,
    actor: str,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
    *,
    countries: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """The counterparts of ``actor`` (a code prefix) in its events, most frequent first.

    The counterpart of an event is its target when the actor is the source, else its source; events
    without one, and events between two codes that both match ``actor`` (RUSGOV and RUSMIL for ``RUS``),
    are left out. With ``countries`` counterparts are country parts. Keys: ``counterpart``,
    ``outgoing`` (actor to counterpart), ``incoming``, the count (both directions), ``goldstein``,
    ``cooperation``, ``conflict``.
    """
    unit, base = Unit(unit), (filters or Filters()).checked()
    u = event_units(unit, replace(base, actor=actor), countries)
    # a side with no code matches nothing: NULL becomes false, so that NOT (a AND b) stays true or false
    source_is = sa.func.coalesce(code_matches(u.c.source_code, actor), False)
    target_is = sa.func.coalesce(code_matches(u.c.target_code, actor), False)
    other = sa.case((source_is, u.c.target), else_=u.c.source)
    counterpart = other.label("counterpart")
    measures = _measures(u, unit)
    statement = (
        sa.select(
            counterpart,
            sa.func.sum(sa.case((source_is, 1), else_=0)).label("outgoing"),
            sa.func.sum(sa.case((source_is, 0), else_=1)).label("incoming"),
            *measures,
        )
        .where(~(source_is & target_is), other.is_not(None))
        .group_by(counterpart)
        .order_by(measures[0].desc(), counterpart)
    )
    rows = []
    for row in fetch(store, _limited(statement, limit)):
        row["outgoing"], row["incoming"] = int(row["outgoing"]), int(row["incoming"])
        rows.append(_clean(row))
    return rows
