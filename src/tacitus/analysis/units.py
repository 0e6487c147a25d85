"""What the counts count: one row per event (or quotation), or one per mention, built in SQL.

An *event* is a real-world event however many articles report it: an event cluster of
:mod:`tacitus.store.clusters` (forty articles on one phone call are one event), or, for an event mention no
cluster holds yet, that mention alone. A *mention* is one stored event row: one article's statement of the
event (its sentence, its trigger). Quotes go the same way: a *quotation* is a quote cluster or a quote on its
own, a quote *mention* one stored quote.

:func:`event_units` returns a Core subquery with one row per unit and the unit's attributes, which the
aggregations in :mod:`tacitus.analysis.stats` group in the database. A unit that is a cluster takes the
cluster's attributes (its representative's code, actors, Goldstein score and its first day), so each unit
falls in exactly one group and a table's rows add up to the total. Filters on what an outlet printed or on
the mood of a statement apply to mentions: a cluster is counted when at least one of its mentions passes
them. :func:`quote_units` returns one row per quote with its quotation's key: speakers are people, so a
speaker's quotations are the distinct clusters among *their* quotes (:mod:`tacitus.analysis.speakers`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

import sqlalchemy as sa

from tacitus.store.queries import check_day, code_matches, day_range
from tacitus.store.schema import articles, event_clusters, events, publications, quotes


class Unit(StrEnum):
    """What a count counts: distinct events (quotations), or mentions (every article's statement of them)."""

    events = "events"
    mentions = "mentions"


UNIT_NOTES = {
    "events": "distinct events: the mentions of one event in several articles (one cluster) count once",
    "mentions": "mentions: every article's statement of an event counts, so a widely reported event counts "
    "many times",
}
"""How each unit is explained under a table and in the JSON output (``unit_note``)."""

QUOTE_UNIT_NOTES = {
    "events": "distinct quotations: the occurrences of one quotation in several articles (one cluster) "
    "count once",
    "mentions": "quote mentions: every occurrence of a quotation in an article counts",
}

EVENT_COUNT_COLUMN = {"events": "events", "mentions": "mentions"}
QUOTE_COUNT_COLUMN = {"events": "quotations", "mentions": "quote_mentions"}
"""The count column is named after the unit, so a CSV says what it counted without its command line."""

MOODS = ("asserted", "negated-by-context", "intended", "hypothetical", "demanded", "reported")
"""The moods an event can have (docs/record.md); ``Filters.moods`` keeps some of them."""


@dataclass(frozen=True)
class Filters:
    """Which events or quotes a count or chart covers; every field left ``None`` keeps everything.

    ``actor`` is a code prefix matched against either side of an event (``RUS`` finds ``RUSGOV`` as source
    or target) or against a quote's speaker; ``source_actor`` and ``target_actor`` pin one side. ``code`` is
    a CAMEO code prefix (``19`` finds 190, 193, ...). ``since`` and ``until`` are inclusive ISO days compared
    with the unit's day (an event's own day, else its article's publication day; a cluster's first day).
    ``outlet`` keeps what that outlet printed (an article's ``source`` or any of its publications, ignoring
    case). ``negated`` counts events the text says did not happen too (left out by default: "Russia did not
    attack" is no attack); ``repeated`` counts summaries of repeated acts too (left out by default: "Trump
    has repeatedly criticized NAFTA" is no act of its day, and a count of events counts acts);
    ``moods`` keeps events stated in these moods only.
    """

    actor: str | None = None
    source_actor: str | None = None
    target_actor: str | None = None
    since: str | None = None
    until: str | None = None
    outlet: str | None = None
    code: str | None = None
    negated: bool = False
    moods: tuple[str, ...] | None = None
    repeated: bool = False

    def checked(self) -> Filters:
        """Return these filters with the days checked (``InvalidDate`` names a bad one)."""
        return replace(self, since=check_day(self.since, "since"), until=check_day(self.until, "until"))

    def described(self) -> dict[str, object]:
        """The filters that are set, by name, for the JSON output and a table's caption."""
        shown = {
            "actor": self.actor,
            "source_actor": self.source_actor,
            "target_actor": self.target_actor,
            "since": self.since,
            "until": self.until,
            "outlet": self.outlet,
            "code": self.code,
            "moods": list(self.moods) if self.moods else None,
        }
        described: dict[str, object] = {k: v for k, v in shown.items() if v}
        if self.negated:
            described["negated"] = "included"
        if self.repeated:
            described["repeated"] = "included"
        return described


def country_part(code: sa.ColumnElement) -> sa.ColumnElement:
    """SQL for the country block of an actor code: its first three letters, upper case; NULL for no code
    and for ``---`` (a code that names no country), as :func:`tacitus.store.cluster_rules.country_part`."""
    head = sa.func.upper(sa.func.substr(code, 1, 3))
    return sa.case(
        (code.is_(None), sa.null()),
        (sa.func.length(code) < 3, sa.null()),
        (head == "---", sa.null()),
        else_=head,
    )


def _printed_by(article_pk: sa.ColumnElement, outlet: str) -> sa.ColumnElement[bool]:
    # Every stored article has its original publication row, and wire copies add theirs: an article
    # "printed by" an outlet is one with a publication from it.
    p = publications
    return sa.exists(
        sa.select(p.c.pk).where(p.c.article_pk == article_pk, sa.func.upper(p.c.source) == outlet.upper())
    )


def event_units(unit: Unit | str, filters: Filters, countries: bool = False) -> sa.Subquery:
    """One row per counted event (``unit="events"``) or per event mention (``"mentions"``).

    Columns: ``key`` (a cluster's pk, or minus the event's pk for an event no cluster holds, so the two never
    clash), ``code``, ``root``, ``quad_class``, ``goldstein``, ``source_code``, ``target_code`` (whole actor
    codes), ``source`` and ``target`` (the codes again, or with ``countries`` their country parts),
    ``day``, and for mentions ``article_pk``. Rows whose filters fail are left out (see :class:`Filters`).
    """
    unit = Unit(unit)
    e, c = events, event_clusters
    if unit is Unit.mentions:
        key: sa.ColumnElement = e.c.pk
        columns = {name: e.c[name] for name in ("code", "root", "quad_class", "goldstein", "day")}
        columns["source_code"] = e.c.source_code
        columns["target_code"] = e.c.target_code
        negated = e.c.negated
        joined: sa.FromClause = e
    else:
        clustered = c.c.pk.is_not(None)

        def pick(cluster_column: sa.ColumnElement, event_column: sa.ColumnElement) -> sa.ColumnElement:
            # CASE, not COALESCE: a cluster whose representative has no target has no target, whatever
            # one member says, or the cluster would fall into two dyads
            return sa.case((clustered, cluster_column), else_=event_column)

        key = pick(c.c.pk, -e.c.pk)
        columns = {
            name: pick(c.c[name], e.c[name])
            for name in ("code", "root", "quad_class", "goldstein", "source_code", "target_code", "day")
        }
        negated = pick(c.c.negated, e.c.negated)
        joined = e.outerjoin(c, c.c.pk == e.c.cluster_pk)
    source = country_part(columns["source_code"]) if countries else columns["source_code"]
    target = country_part(columns["target_code"]) if countries else columns["target_code"]
    statement = sa.select(
        key.label("key"),
        *(column.label(name) for name, column in columns.items()),
        source.label("source"),
        target.label("target"),
        # a mention belongs to one article; an event (a cluster) to several, so it has no article_pk
        *([e.c.article_pk] if unit is Unit.mentions else []),
    ).select_from(joined)
    conditions: list[sa.ColumnElement[bool]] = []
    if not filters.negated:
        conditions.append(negated.is_(False) | negated.is_(None))
    if filters.moods:
        conditions.append(e.c.mood.in_(list(filters.moods)))
    if not filters.repeated:
        # a cluster's members are all summaries or all single acts (cluster_rules.one_and_many)
        conditions.append(e.c.repeated.is_(False) | e.c.repeated.is_(None))
    if filters.actor:
        conditions.append(
            code_matches(columns["source_code"], filters.actor)
            | code_matches(columns["target_code"], filters.actor)
        )
    if filters.source_actor:
        conditions.append(code_matches(columns["source_code"], filters.source_actor))
    if filters.target_actor:
        conditions.append(code_matches(columns["target_code"], filters.target_actor))
    if filters.code:
        conditions.append(code_matches(columns["code"], filters.code))
    conditions.extend(day_range(columns["day"], filters.since, filters.until))
    if filters.outlet:
        conditions.append(_printed_by(e.c.article_pk, filters.outlet))
    statement = statement.where(*conditions)
    if unit is Unit.events:
        # several mentions of one cluster pass the filters: the cluster is one row
        statement = statement.distinct()
    return statement.subquery("units")


def quote_units(unit: Unit | str, filters: Filters) -> sa.Subquery:
    """One row per stored quote that passes the filters, with the unit it belongs to.

    Columns: ``key`` (for ``unit="events"`` its quotation: the quote cluster's pk, or minus the quote's pk
    for a quote no cluster holds; for ``"mentions"`` the quote's pk), ``speaker_name``, ``speaker_code``
    (as the quote gives them), ``article_pk`` and ``quote_id`` (to find the quote in its record). Count
    ``DISTINCT key`` per speaker: a speaker's quotations are the distinct clusters among their quotes, so a
    speaker is never credited with a cluster's occurrences another name said. ``actor`` matches the
    speaker's code; ``since`` and ``until`` the quote's day (when said, else its article's publication
    day); ``code``, the event sides, ``negated``, ``repeated`` and ``moods`` do not apply to quotes and are
    ignored.
    """
    unit = Unit(unit)
    q, a = quotes, articles
    key = q.c.pk if unit is Unit.mentions else sa.func.coalesce(q.c.cluster_pk, -q.c.pk)
    statement = sa.select(
        key.label("key"), q.c.speaker_name, q.c.speaker_code, q.c.article_pk, q.c.quote_id
    ).select_from(q)
    conditions: list[sa.ColumnElement[bool]] = []
    if filters.actor:
        conditions.append(code_matches(q.c.speaker_code, filters.actor))
    if filters.since or filters.until:
        # the article's day is needed only to date quotes whose clause gives none: join only then
        day = sa.func.coalesce(q.c.date, a.c.published_day)
        statement = statement.join(a, a.c.pk == q.c.article_pk)
        conditions.extend(day_range(day, filters.since, filters.until))
    if filters.outlet:
        conditions.append(_printed_by(q.c.article_pk, filters.outlet))
    return statement.where(*conditions).subquery("quote_units")
