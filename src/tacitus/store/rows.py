"""Turn a Record (and its Article) into the plain row dicts the store inserts.

Pure functions, no database: what goes into each column is decided here, in one place, and can be tested
without SQL. Text cut from the article is stored next to its offsets so that a query result reads on its
own; the offsets remain the evidence.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from tacitus.lead import LEAD_CHARS, in_lead, lead_end
from tacitus.model import Actor, Article, Record, Span
from tacitus.store.cluster_rules import country_part

# A date usable as a sort and filter key: a year, year-month or full ISO day, optionally followed by a time.
# Anything else (``2017-W50``, ``PAST_REF``) would sort among real days by accident, so it is not used.
_DAY = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:$|[T ])")


def day_of(value: str | None) -> str | None:
    """Return the ISO day (or year-month, or year) that ``value`` starts with, or ``None`` if it has none.

    ``"2017-12-14T09:00:00+00:00"`` gives ``"2017-12-14"``, ``"2017-12"`` stays ``"2017-12"`` and
    ``"2017-W50"`` gives ``None``. These keys compare correctly as strings on every database; a partial
    date sorts before every day of its period.
    """
    if not value:
        return None
    match = _DAY.match(value)
    return match.group(1) if match else None


def _cut(text: str, span: Span | None) -> str | None:
    return None if span is None else text[span[0] : span[1]]


def _start(span: Span | None) -> int | None:
    return None if span is None else span[0]


def _end(span: Span | None) -> int | None:
    return None if span is None else span[1]


def article_row(
    record: Record, article: Article | None, digest: str, version: str, now: datetime | None = None
) -> dict[str, Any]:
    """Return the ``articles`` row for a record.

    The full record is kept as JSON, minus its ``text`` (stored once, in the ``text`` column), so that
    ``Store.get_record`` gives back exactly what was written. ``meta`` and ``origin`` come from the
    Article when one is given, as the record does not carry them.
    """
    doc = record.to_dict()
    del doc["text"]
    return {
        "content_hash": digest,
        "article_id": record.id,
        "title": record.title,
        "published": record.published,
        "published_day": day_of(record.published),
        "url": record.url,
        "source": record.source,
        "section": list(record.section),
        "meta": dict(article.meta) if article is not None else {},
        "origin": article.origin if article is not None else None,
        "text": record.text,
        "record": doc,
        "n_actors": len(record.actors),
        "n_quotes": len(record.quotes),
        "n_events": len(record.events),
        "tacitus_version": version,
        "processed_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "authors": list(record.authors),
        "site_name": record.site_name,
        "language": record.language,
        "language_source": record.language_source,
        "canonical_url": record.canonical_url,
        "modified": record.modified,
        "description": record.description,
        "crawled": record.crawled,
    }


def actor_rows(record: Record, article_pk: int) -> list[dict[str, Any]]:
    """Return the ``actors`` rows of a record, in record order."""
    return [
        {
            "article_pk": article_pk,
            "seq": i,
            "actor_id": a.id,
            "name": a.name,
            "code": a.code,
            "country": a.country,
            "sector": a.sector,
            "kind": a.kind,
            "role": a.role,
            "n_mentions": len(a.mentions),
            "code_source": a.code_source,
        }
        for i, a in enumerate(record.actors)
    ]


def _lookup(by_id: dict[str, Actor], actor_id: str | None) -> Actor | None:
    return None if actor_id is None else by_id.get(actor_id)


def quote_rows(record: Record, article_pk: int) -> list[dict[str, Any]]:
    """Return the ``quotes`` rows of a record, with the speaker's and intermediary's names and codes."""
    by_id = {a.id: a for a in record.actors}
    rows = []
    for i, q in enumerate(record.quotes):
        speaker = _lookup(by_id, q.speaker)
        via = _lookup(by_id, q.via)
        rows.append(
            {
                "article_pk": article_pk,
                "seq": i,
                "quote_id": q.id,
                "speaker_id": q.speaker,
                "speaker_name": speaker.name if speaker else None,
                "speaker_code": speaker.code if speaker else None,
                "kind": q.kind,
                # an interrupted quotation's words, without the cue between its parts
                "content": " … ".join(
                    _cut(record.text, p) or "" for p in q.content_parts or [q.content_span]
                ),
                "content_start": _start(q.content_span),
                "content_end": _end(q.content_span),
                "cue": _cut(record.text, q.cue_span),
                "cue_start": _start(q.cue_span),
                "cue_end": _end(q.cue_span),
                "speaker_span": _cut(record.text, q.speaker_span),
                "speaker_start": _start(q.speaker_span),
                "speaker_end": _end(q.speaker_span),
                "via_id": q.via,
                "via_name": via.name if via else None,
                "type": q.type,
                "date": q.date,
                "place_name": q.place.name if q.place else None,
                "place_country": q.place.country if q.place else None,
                "place_lat": q.place.lat if q.place else None,
                "place_lon": q.place.lon if q.place else None,
            }
        )
    return rows


def event_rows(record: Record, article_pk: int) -> list[dict[str, Any]]:
    """Return the ``events`` rows of a record.

    ``date`` is the event's own date as the record has it. ``day`` is the key the date filters use: the
    ISO day of the event's date, or, when the event has none (or none that is an ISO date), the day the
    article was published; ``day_from`` says which (``"event"``, ``"published"``, or ``None`` when
    neither is known).
    """
    by_id = {a.id: a for a in record.actors}
    published_day = day_of(record.published)
    rows = []
    lead_ends_at = lead_end(record.text[:LEAD_CHARS]) if record.events else 0
    for i, e in enumerate(record.events):
        source = _lookup(by_id, e.source)
        target = _lookup(by_id, e.target)
        day = day_of(e.date)
        day_from = "event" if day else ("published" if published_day else None)
        place = e.place
        rows.append(
            {
                "article_pk": article_pk,
                "seq": i,
                "event_id": e.id,
                "source_id": e.source,
                "source_name": source.name if source else None,
                "source_code": e.source_code,
                "target_id": e.target,
                "target_name": target.name if target else None,
                "target_code": e.target_code,
                "code": e.code,
                "root": e.root,
                "quad_class": e.quad_class,
                "goldstein": e.goldstein,
                "plover": e.plover,
                "negated": bool(e.negated),
                "mood": e.mood,
                "date": e.date,
                "day": day or published_day,
                "day_from": day_from,
                "place_name": place.name if place else None,
                "place_country": place.country if place else None,
                "place_lat": place.lat if place else None,
                "place_lon": place.lon if place else None,
                "sentence": _cut(record.text, e.sentence_span),
                "sentence_start": _start(e.sentence_span),
                "sentence_end": _end(e.sentence_span),
                "trigger": _cut(record.text, e.trigger_span),
                "trigger_start": _start(e.trigger_span),
                "trigger_end": _end(e.trigger_span),
                "rule": e.rule,
                # GDELT's IsRootEvent of a cluster this event represents (revision 0013)
                "in_lead": in_lead(_start(e.sentence_span), lead_ends_at),
                # filled by link_places once the article's places have their keys
                "source_place_pk": None,
                "target_place_pk": None,
                "place_pk": None,
                "period": e.period,
                "repeated": e.repeated,
            }
        )
    return rows


GDELT_FIELDS = ("in_lead", "source_place_pk", "target_place_pk", "place_pk")
"""The ``events`` columns of revision 0013: what a GDELT event row takes from its representative mention."""


def link_places(event_rows: list[dict[str, Any]], record: Record, place_pks: dict[int, int]) -> None:
    """Set each of ``event_rows``' ``source_place_pk``, ``target_place_pk`` and ``place_pk`` (revision 0013),
    the places a GDELT event row takes from its representative mention, from the record's places stored
    with the keys ``place_pks`` (``places.seq`` -> ``places.pk``).

    Only gazetteer places count (kind set and not ``place``), and of several the first stored (the lowest
    key, which is text order): for each actor, the first of the country block of its code
    (:func:`~tacitus.store.cluster_rules.country_part`, as the cluster's ``source_country`` and
    ``target_country``) inside the event's sentence; for the event, the first named as its place.
    """
    gazetteer = [
        (place_pks[seq], p)
        for seq, p in enumerate(record.places)
        if p.kind is not None and p.kind != "place" and seq in place_pks
    ]
    if not gazetteer:
        return
    for row in event_rows:
        start, end = row["sentence_start"], row["sentence_end"]
        if start is not None and end is not None:
            for key, code in (
                ("source_place_pk", row["source_code"]),
                ("target_place_pk", row["target_code"]),
            ):
                country = country_part(code)
                if country is not None:
                    row[key] = min(
                        (pk for pk, p in gazetteer if p.country == country and p.span[0] >= start and p.span[1] <= end),
                        default=None,
                    )  # fmt: skip
        if name := row["place_name"]:
            row["place_pk"] = min((pk for pk, p in gazetteer if p.name == name), default=None)


def time_rows(record: Record, article_pk: int) -> list[dict[str, Any]]:
    """Return the ``times`` rows of a record."""
    return [
        {
            "article_pk": article_pk,
            "seq": i,
            "span_start": t.span[0],
            "span_end": t.span[1],
            "surface": _cut(record.text, t.span),
            "value": t.value,
            "type": t.type,
            "vague": bool(t.vague),
        }
        for i, t in enumerate(record.times)
    ]


def place_rows(record: Record, article_pk: int) -> list[dict[str, Any]]:
    """Return the ``places`` rows of a record."""
    return [
        {
            "article_pk": article_pk,
            "seq": i,
            "span_start": p.span[0],
            "span_end": p.span[1],
            "surface": _cut(record.text, p.span),
            "name": p.name,
            "country": p.country,
            "lat": p.lat,
            "lon": p.lon,
            "geonames_id": p.geonames_id,
            "kind": p.kind,
        }
        for i, p in enumerate(record.places)
    ]
