"""Top speakers, and who they speak about.

Speakers are counted in the database: quotations (quote clusters, or a quote no cluster holds) or quote
mentions per speaker, a speaker being the canonical name and code the record gives the quote
(``speaker_name``, ``speaker_code``; quotes with no resolved speaker are left out).

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
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

import sqlalchemy as sa

from tacitus.analysis.stats import engine_of, fetch
from tacitus.analysis.units import QUOTE_COUNT_COLUMN, Filters, Unit, quote_members, quote_units
from tacitus.store.schema import articles

ABOUT_LIMIT = 5
"""How many actors a speaker's ``about`` list names by default: the most frequent, enough to read a row."""

_RECORD_BATCH = 200  # records read per query: large enough to be quick, small enough to stay flat in memory


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
    n = sa.func.count().label(quote_count_column(unit))
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
    """For each speaker (name, code), how many of its counted units are about each actor (name, code)."""
    unit = Unit(unit)
    wanted = set(speakers)
    m = quote_members(unit, filters)
    statement = sa.select(m.c.key, m.c.speaker_name, m.c.speaker_code, m.c.article_pk, m.c.quote_id).where(
        m.c.speaker_name.in_(sorted({name for name, _ in speakers}))
    )
    by_article: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for member in fetch(store, statement):
        if (member["speaker_name"], member["speaker_code"]) in wanted:
            by_article[member["article_pk"]].append(member)
    # a quotation (a cluster) is about the union of what its occurrences are about, counted once
    per_unit: dict[tuple[str, str | None], dict[int, set]] = defaultdict(lambda: defaultdict(set))
    for article_pk, record in _records(store, sorted(by_article)):
        for member in by_article[article_pk]:
            speaker = (member["speaker_name"], member["speaker_code"])
            per_unit[speaker][member["key"]] |= quote_about(record, member["quote_id"])
    return {
        speaker: Counter(actor for actors in units.values() for actor in actors)
        for speaker, units in per_unit.items()
    }


def _records(store: Any, pks: list[int]) -> Iterator[tuple[int, dict[str, Any]]]:
    with engine_of(store).connect() as connection:
        for chunk in _chunks(pks, _RECORD_BATCH):
            statement = sa.select(articles.c.pk, articles.c.record).where(articles.c.pk.in_(chunk))
            for pk, record in connection.execute(statement):
                # some drivers hand JSON back as text
                yield pk, json.loads(record) if isinstance(record, str) else record


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def quote_about(record: dict[str, Any], quote_id: str) -> set[tuple[str, str | None]]:
    """The actors (name, code) quote ``quote_id`` of a record (as a dict) is about; see the module's docs."""
    quote = next((q for q in record.get("quotes") or [] if q.get("id") == quote_id), None)
    if quote is None:
        return set()
    parts = quote.get("content_parts") or [quote.get("content_span")]
    parts = [part for part in parts if part]
    ids: set[str] = set()
    for actor in record.get("actors") or []:
        for start, end in actor.get("mentions") or []:
            if any(part[0] <= start and end <= part[1] for part in parts):
                ids.add(actor["id"])
                break
    for event in record.get("events") or []:
        if event.get("quote") == quote_id:
            ids.update(side for side in (event.get("source"), event.get("target")) if side)
    actors = {actor["id"]: actor for actor in record.get("actors") or []}
    speaker = actors.get(quote.get("speaker") or "")
    itself = None if speaker is None else (speaker.get("name"), speaker.get("code"))
    about = set()
    for actor_id in ids - {quote.get("speaker")}:
        actor = actors.get(actor_id)
        if actor is not None and (actor.get("name"), actor.get("code")) != itself:
            about.add((actor.get("name"), actor.get("code")))
    return about
