"""The SELECT statements behind ``Store.events``, ``Store.quotes``, ``Store.actors`` and ``Store.summary``.

Each builder returns a Core ``Select`` whose labelled columns are, in order, the keys of the dicts the
store returns, so a CLI table or CSV gets stable columns with the most useful first. Only portable SQL is
used (``upper``, ``LIKE ... ESCAPE``, ``count``/``sum``/``min``/``max``, ``NULLS LAST``), so the same
statements run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa

from tacitus.errors import InvalidDate
from tacitus.store.schema import (
    actors,
    articles,
    boilerplate_lines,
    boilerplate_sources,
    events,
    publications,
    quotes,
)

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_day(value: str | date | None, name: str) -> str | None:
    """Return ``value`` as an ISO day string, or raise ``InvalidDate`` naming the bad value.

    Only full days (``YYYY-MM-DD``) are accepted, because the filters compare dates as strings and a
    partial bound would silently mean something else.
    """
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError(text)
        date.fromisoformat(text)
    except ValueError:
        raise InvalidDate(
            f"{name} date {value!r} is not an ISO date (YYYY-MM-DD); write it like 2017-12-15"
        ) from None
    return text


def _prefix(value: str) -> str:
    # The user's code is a prefix, not a pattern: escape LIKE's wildcards so "RUS_" means just that.
    escaped = value.strip().upper().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"


def code_matches(column: sa.ColumnElement, code: str) -> sa.ColumnElement[bool]:
    """Return a condition true when ``column`` starts with ``code``, ignoring case (``RUS`` finds ``RUSGOV``).

    Stored codes are upper case (the record schema allows nothing else), so a prefix of letters becomes a
    range (``KEN`` <= code < ``KEO``) that the code indexes answer, where ``upper(code) LIKE 'KEN%'`` reads
    every row (a few against a hundred milliseconds on 100,000 events). A prefix starting with anything
    else (``---``, CAMEO's unknown country) keeps the LIKE: some PostgreSQL collations (glibc's en_US) skip
    punctuation when they compare, so a range of dashes would not be one there.
    """
    low = code.strip().upper()
    if not low:
        return sa.true()
    if not low[0].isalnum():
        return sa.func.upper(column).like(_prefix(code), escape="\\")
    high = low[:-1] + chr(ord(low[-1]) + 1)
    return sa.and_(column >= low, column < high)


def day_range(column: sa.ColumnElement, since: str | None, until: str | None) -> list[sa.ColumnElement]:
    """Return the conditions keeping rows whose ISO day ``column`` lies within ``since``..``until`` inclusive."""
    # Stored days are at most 10 characters (YYYY-MM-DD), so "<= until" keeps the whole last day.
    conditions = []
    if since is not None:
        conditions.append(column >= since)
    if until is not None:
        conditions.append(column <= until)
    return conditions


def reach(article_pk: sa.ColumnElement) -> tuple[sa.Label, sa.Label]:
    """How widely the article of a row was printed: ``sources``, the distinct outlets among its
    publications (an outlet unknown counts its URL, else itself), and ``publications``, how many there are.

    One article analysed once stands for every wire copy found of it (see
    :mod:`tacitus.store.publications`), so these, not a count of rows, say how many outlets reported an event
    or a quote.
    """
    p = publications
    outlet = sa.func.coalesce(p.c.source, p.c.url, p.c.key)
    sources = (
        sa.select(sa.func.count(sa.distinct(outlet))).where(p.c.article_pk == article_pk).scalar_subquery()
    )
    n = sa.select(sa.func.count(p.c.pk)).where(p.c.article_pk == article_pk).scalar_subquery()
    return sources.label("sources"), n.label("publications")


def events_select(
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    code: str | None = None,
    limit: int | None = None,
) -> sa.Select:
    """Build the events query: one row per event, joined to its article, in date then record order."""
    e, a = events, articles
    stmt = sa.select(
        a.c.article_id,
        e.c.day.label("date"),
        e.c.day_from.label("date_from"),
        e.c.source_name,
        e.c.source_code,
        e.c.code,
        e.c.plover,
        e.c.goldstein,
        e.c.target_name,
        e.c.target_code,
        e.c.place_name.label("place"),
        e.c.sentence,
        e.c.rule,
        e.c.event_id,
        e.c.root,
        e.c.quad_class,
        e.c.negated,
        e.c.mood,
        e.c.date.label("event_date"),
        e.c.period.label("event_period"),
        e.c.repeated.label("event_repeated"),
        e.c.place_country,
        e.c.place_lat,
        e.c.place_lon,
        e.c.trigger,
        e.c.sentence_start,
        e.c.sentence_end,
        e.c.trigger_start,
        e.c.trigger_end,
        e.c.source_id.label("source_actor"),
        e.c.target_id.label("target_actor"),
        a.c.published,
        a.c.title,
        a.c.url,
        a.c.source.label("outlet"),
        *reach(a.c.pk),
    ).join_from(e, a, e.c.article_pk == a.c.pk)
    if actor:
        stmt = stmt.where(sa.or_(code_matches(e.c.source_code, actor), code_matches(e.c.target_code, actor)))
    if code:
        stmt = stmt.where(code_matches(e.c.code, code))
    stmt = stmt.where(*day_range(e.c.day, since, until))
    stmt = stmt.order_by(e.c.day.asc().nulls_last(), a.c.pk, e.c.seq)
    return stmt.limit(limit) if limit is not None else stmt


def quotes_select(
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
    types: Sequence[str] | None = None,
) -> sa.Select:
    """Build the quotes query: one row per quote, dated by its article's publication day; ``types``
    keeps the quotes of those types (speech, belief, finding, intention)."""
    q, a = quotes, articles
    stmt = sa.select(
        a.c.article_id,
        a.c.published_day.label("date"),
        q.c.speaker_name,
        q.c.speaker_code,
        q.c.kind,
        q.c.type,
        q.c.content,
        q.c.cue,
        q.c.speaker_span,
        q.c.via_name,
        q.c.quote_id,
        q.c.speaker_id.label("speaker_actor"),
        q.c.via_id.label("via_actor"),
        q.c.content_start,
        q.c.content_end,
        q.c.cue_start,
        q.c.cue_end,
        q.c.speaker_start,
        q.c.speaker_end,
        q.c.date.label("quote_date"),
        q.c.place_name,
        q.c.place_country,
        q.c.place_lat,
        q.c.place_lon,
        a.c.published,
        a.c.title,
        a.c.url,
        a.c.source.label("outlet"),
        *reach(a.c.pk),
    ).join_from(q, a, q.c.article_pk == a.c.pk)
    if actor:
        stmt = stmt.where(code_matches(q.c.speaker_code, actor))
    if types:
        # rows stored before quotes had a type are speech (migration 0003 fills them so)
        stmt = stmt.where(sa.func.coalesce(q.c.type, "speech").in_(list(types)))
    stmt = stmt.where(*day_range(a.c.published_day, since, until))
    stmt = stmt.order_by(a.c.published_day.asc().nulls_last(), a.c.pk, q.c.seq)
    return stmt.limit(limit) if limit is not None else stmt


def actors_select(
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> sa.Select:
    """Build the actors query: one row per (name, code) across articles, most widely reported first.

    ``kind``, ``role``, ``country`` and ``sector`` can differ between articles for the same name and
    code (a minister who changed post); the query shows the greatest value, which is arbitrary but
    stable. ``first_seen`` and ``last_seen`` are the earliest and latest publication days.
    """
    t, a = actors, articles
    n_articles = sa.func.count(sa.distinct(t.c.article_pk)).label("n_articles")
    n_mentions = sa.func.sum(t.c.n_mentions).label("n_mentions")
    stmt = (
        sa.select(
            t.c.name,
            t.c.code,
            sa.func.max(t.c.kind).label("kind"),
            sa.func.max(t.c.role).label("role"),
            sa.func.max(t.c.country).label("country"),
            sa.func.max(t.c.sector).label("sector"),
            n_articles,
            n_mentions,
            sa.func.min(a.c.published_day).label("first_seen"),
            sa.func.max(a.c.published_day).label("last_seen"),
        )
        .join_from(t, a, t.c.article_pk == a.c.pk)
        .group_by(t.c.name, t.c.code)
    )
    if actor:
        stmt = stmt.where(code_matches(t.c.code, actor))
    stmt = stmt.where(*day_range(a.c.published_day, since, until))
    stmt = stmt.order_by(n_articles.desc(), n_mentions.desc(), t.c.name, t.c.code.asc().nulls_last())
    return stmt.limit(limit) if limit is not None else stmt


def learned_select() -> sa.Select:
    """Build the query for the people the store can teach the knowledge base: every person whose code an
    article's own words gave (``code_source`` "text": a title in front of the name), with that article's
    id and day, most recent last so that a later post overwrites an earlier one when read in order."""
    t, a = actors, articles
    return (
        sa.select(
            t.c.name,
            t.c.code,
            t.c.role,
            a.c.article_id,
            a.c.content_hash,
            a.c.published_day,
        )
        .join_from(t, a, t.c.article_pk == a.c.pk)
        .where(t.c.code_source == "text", t.c.kind == "person", t.c.code.is_not(None))
        .order_by(a.c.published_day.asc().nulls_first(), a.c.pk, t.c.seq)
    )


def top_codes_select(limit: int = 10) -> sa.Select:
    """Build the query for the most frequent event codes, with their PLOVER category and count."""
    n = sa.func.count().label("n")
    return (
        sa.select(events.c.code, sa.func.max(events.c.plover).label("plover"), n)
        .group_by(events.c.code)
        .order_by(n.desc(), events.c.code)
        .limit(limit)
    )


def publications_select(article_id: str | None = None, limit: int | None = None) -> sa.Select:
    """Build the publications query: every printing of every stored article, the analysed one first."""
    p, a = publications, articles
    stmt = sa.select(
        a.c.article_id,
        p.c.kind,
        p.c.similarity,
        p.c.source,
        p.c.url,
        p.c.title,
        p.c.published,
        p.c.article_id.label("publication_id"),
        p.c.added_at,
    ).join_from(p, a, p.c.article_pk == a.c.pk)
    if article_id is not None:
        stmt = stmt.where(a.c.article_id == article_id)
    original_first = sa.case((p.c.kind == "original", 0), else_=1)
    stmt = stmt.order_by(a.c.pk, original_first, p.c.pk)
    return stmt.limit(limit) if limit is not None else stmt


def boilerplate_select(source: str | None = None) -> sa.Select:
    """Build the query for the lines learned as boilerplate (those whose text was kept), most frequent first."""
    line, src = boilerplate_lines, boilerplate_sources
    share = (line.c.n_articles * 1.0 / src.c.n_articles).label("share")
    stmt = (
        sa.select(line.c.source, line.c.text, line.c.n_articles, share)
        .join_from(line, src, line.c.source == src.c.source)
        .where(line.c.text.is_not(None))
    )
    if source is not None:
        stmt = stmt.where(line.c.source == source)
    return stmt.order_by(line.c.source, line.c.n_articles.desc(), line.c.text)


def column_names(what: str) -> list[str]:
    """The columns a query of ``events``, ``quotes``, ``actors`` or ``publications`` returns, in order."""
    build = {
        "events": events_select,
        "quotes": quotes_select,
        "actors": actors_select,
        "publications": publications_select,
    }[what]
    return [column.key for column in build().selected_columns]
