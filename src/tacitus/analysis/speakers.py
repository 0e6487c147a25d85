"""Top speakers, and who they speak about.

Speakers are counted in the database: quotations or quote mentions per speaker, a speaker being the
canonical name and code the record gives the quote (``speaker_name``, ``speaker_code``; quotes with no
resolved speaker are left out). A speaker's quotations are the distinct quote clusters among their quotes
(a quote no cluster holds is one on its own): forty outlets printing one line of Trump's are one quotation.

What a speaker speaks *about* is read from the records of the top speakers' quotes, because the actors'
mentions are kept only there. An actor is what a quote is about when

* one of its mentions lies inside the words attributed (each of the quote's ``content_parts``: the cue
  between two parts is not what was said), or
* it is the source or target of an event stated inside the quote (the event's ``quote`` is the quote's id:
  what the speaker said someone did),

and it is not the speaker. Actors are told apart by name and code (Donald Trump, USAGOV); an actor counts
once per unit of the speaker (quotation or mention) however often the words name it.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from tacitus.analysis.stats import engine_of, fetch
from tacitus.analysis.units import QUOTE_COUNT_COLUMN, Filters, Unit, quote_units
from tacitus.store.schema import articles

ABOUT_LIMIT = 5
"""How many actors a speaker's ``about`` list names by default: the most frequent, enough to read a row."""

_RECORD_BATCH = 200  # records read per query: large enough to be quick, small enough to stay flat in memory
_QUOTE_BATCH = 20_000  # quotes held before their records are read, however few articles they come from


def quote_count_column(unit: Unit | str) -> str:
    """The name of the count column for quotes counted in ``unit``: ``quotations`` or ``quote_mentions``."""
    return QUOTE_COUNT_COLUMN[Unit(unit).value]


def speaker_counts(
    store: Any,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
    *,
    limit: int | None = 20,
    about: int = ABOUT_LIMIT,
) -> list[dict[str, Any]]:
    """The speakers quoted most, each with the actors their quotes are about.

    Keys: ``speaker_name``, ``speaker_code``, the count (``quotations`` or ``quote_mentions``) and
    ``about``: up to ``about`` dicts ``{"name", "code", "n"}``, ``n`` being how many of the speaker's
    counted units are about that actor, most first (``about=0`` skips reading the records). ``filters``
    apply as in :func:`tacitus.analysis.units.quote_units`.
    """
    unit, filters = Unit(unit), (filters or Filters()).checked()
    u = quote_units(unit, filters)
    n = sa.func.count(sa.distinct(u.c.key)).label(quote_count_column(unit))
    statement = (
        sa.select(u.c.speaker_name, u.c.speaker_code, n)
        .where(u.c.speaker_name.is_not(None))
        .group_by(u.c.speaker_name, u.c.speaker_code)
        .order_by(n.desc(), u.c.speaker_name, u.c.speaker_code.asc().nulls_last())
    )
    rows = fetch(store, statement.limit(limit) if limit else statement)
    for row in rows:
        row["about"] = []
    if about and rows:
        found = about_counts(store, unit, filters, [(r["speaker_name"], r["speaker_code"]) for r in rows])
        for row in rows:
            counts = found.get((row["speaker_name"], row["speaker_code"]), Counter())
            ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or ""))
            row["about"] = [{"name": name, "code": code, "n": k} for (name, code), k in ranked[:about]]
    return rows


def about_counts(
    store: Any, unit: Unit | str, filters: Filters, speakers: list[tuple[str, str | None]]
) -> dict[tuple[str, str | None], Counter]:
    """For each speaker (name, code), how many of its counted units are about each actor (name, code).

    The speakers' quotes are streamed in article order and their records read a batch of articles at a
    time, so memory stays flat however many quotes a top speaker has.
    """
    unit = Unit(unit)
    wanted = set(speakers)
    m = quote_units(unit, filters)
    statement = (
        sa.select(m.c.key, m.c.speaker_name, m.c.speaker_code, m.c.article_pk, m.c.quote_id)
        .where(m.c.speaker_name.in_(sorted({name for name, _ in speakers})))
        .order_by(m.c.article_pk)
    )
    counts: dict[tuple[str, str | None], Counter] = defaultdict(Counter)
    # a quotation (a cluster) is about the union of what its occurrences are about, counted once
    per_unit: dict[tuple[str, str | None], dict[int, frozenset]] = defaultdict(dict)

    def tally(batch: dict[int, list[tuple]]) -> None:
        for article_pk, record in _records(store, list(batch)):
            about = record_about(record)
            for speaker, key, quote_id in batch[article_pk]:
                found = about.get(quote_id)
                if not found:
                    continue
                if unit is Unit.mentions:  # every quote is its own unit
                    counts[speaker].update(found)
                else:
                    # keep the record's own frozenset until a second occurrence adds to it: one set per
                    # quotation would weigh more than the quotes themselves
                    units = per_unit[speaker]
                    seen = units.get(key)
                    units[key] = found if seen is None else seen | found

    batch: dict[int, list[tuple]] = defaultdict(list)
    held = 0
    with engine_of(store).connect() as connection:
        # plain tuples, streamed: a top speaker of a large store has hundreds of thousands of quotes
        rows = connection.execution_options(yield_per=5000).execute(statement)
        for key, name, code, article_pk, quote_id in rows:
            if (name, code) not in wanted:
                continue
            full = len(batch) >= _RECORD_BATCH or held >= _QUOTE_BATCH
            if full and article_pk not in batch:  # an article's quotes stay together
                tally(batch)
                batch, held = defaultdict(list), 0
            batch[article_pk].append(((name, code), key, quote_id))
            held += 1
    tally(batch)
    for speaker, units in per_unit.items():
        counts[speaker].update(actor for actors in units.values() for actor in actors)
    return counts


def _records(store: Any, pks: list[int]) -> Iterator[tuple[int, dict[str, Any]]]:
    # another connection than the one streaming the quotes: a PostgreSQL server-side cursor is open there
    with engine_of(store).connect() as connection:
        statement = sa.select(articles.c.pk, articles.c.record).where(articles.c.pk.in_(pks))
        for pk, record in connection.execute(statement):
            # some drivers hand JSON back as text
            yield pk, json.loads(record) if isinstance(record, str) else record


def record_about(record: dict[str, Any]) -> dict[str, frozenset[tuple[str, str | None]]]:
    """For every quote of a record (as a dict), the actors (name, code) it is about; see the module's docs.

    One pass per record: mentions are sorted once and each quote's parts find theirs by bisection.
    """
    actors = {actor["id"]: actor for actor in record.get("actors") or []}
    spans = sorted(
        (start, end, actor_id)
        for actor_id, actor in actors.items()
        for start, end in actor.get("mentions") or []
    )
    starts = [span[0] for span in spans]
    in_events: dict[str, set[str]] = defaultdict(set)
    for event in record.get("events") or []:
        if event.get("quote"):
            in_events[event["quote"]].update(
                side for side in (event.get("source"), event.get("target")) if side
            )
    result = {}
    for quote in record.get("quotes") or []:
        ids = set(in_events.get(quote.get("id"), ()))
        for part in quote.get("content_parts") or [quote.get("content_span")]:
            if not part:
                continue
            i = bisect_left(starts, part[0])
            while i < len(spans) and spans[i][0] < part[1]:
                if spans[i][1] <= part[1]:
                    ids.add(spans[i][2])
                i += 1
        speaker = actors.get(quote.get("speaker") or "")
        itself = None if speaker is None else (speaker.get("name"), speaker.get("code"))
        about = set()
        for actor_id in ids - {quote.get("speaker")}:
            actor = actors.get(actor_id)
            if actor is not None and (actor.get("name"), actor.get("code")) != itself:
                about.add((actor.get("name"), actor.get("code")))
        result[quote.get("id")] = frozenset(about)
    return result


def quote_about(record: dict[str, Any], quote_id: str) -> set[tuple[str, str | None]]:
    """The actors (name, code) quote ``quote_id`` of a record (as a dict) is about; see the module's docs."""
    return set(record_about(record).get(quote_id, ()))
