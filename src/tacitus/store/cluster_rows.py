"""The rows behind event and quote clusters: reading stored events and quotes as the rules'
:class:`~tacitus.store.cluster_rules.Mention` and :class:`~tacitus.store.quote_rules.QuoteMention`, the
articles' story terms, and writing cluster rows (counts, days, place, representative) from their members.

The database half of :mod:`tacitus.store.clusters` that does not decide anything: split from it to keep
each module to one concern (which cluster a mention joins is there).
"""

from __future__ import annotations

import functools
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

import sqlalchemy as sa

from tacitus.captions import is_caption
from tacitus.store.cluster_rules import (
    Mention,
    counted_group,
    country_part,
    group_count,
    iso_day,
    named_person,
    place_named,
    recalled,
)
from tacitus.store.cluster_words import content_words, decode_terms, encode_terms, story_terms
from tacitus.store.quote_rules import QuoteMention, quote_words, speaker_key
from tacitus.store.schema import (
    actors,
    article_stories,
    articles,
    event_clusters,
    events,
    publications,
    quote_clusters,
    quotes,
)
from tacitus.timex import period_bounds


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# -- reading mentions ----------------------------------------------------------------------------------


def _actor_kind(actor_id: sa.ColumnElement) -> sa.ScalarSelect:
    """The kind of the event's actor ``actor_id`` (NULL for none), looked up by article and id.

    A correlated subquery rather than an outer join of ``actors``: PostgreSQL planned the two joins as
    sorts of the whole ``actors`` table merged with the events read (issue 14: 50-130 ms a read near 5,000
    articles, growing with the store), while a subquery is one probe of ``ix_actors_article_actor`` per
    event read, on both databases, whatever the statistics. An article's actor ids are unique in a valid
    record; were one repeated, the last stored is taken, as :func:`tacitus.store.rows.event_rows` takes the
    last listed for the event's names (by ``pk``, which SQLite's index holds in order: no sort)."""
    a = actors.alias()
    return (
        sa.select(a.c.kind)
        .where(a.c.article_pk == events.c.article_pk, a.c.actor_id == actor_id)
        .order_by(a.c.pk.desc())
        .limit(1)
        .scalar_subquery()
    )


OPTIONAL_EVENT_COLUMNS = ("period", "repeated")
"""Columns of ``events`` later revisions added that the clustering reads when the store has them (0017's
``period``, 0018's ``repeated``: :func:`_stored_optional`); a mention read without them has none."""


def _event_columns(optional: tuple[str, ...] = OPTIONAL_EVENT_COLUMNS) -> list[sa.ColumnElement]:
    e, a = events, articles
    return [
        e.c.pk, e.c.article_pk, e.c.root, e.c.code, e.c.source_code, e.c.target_code, e.c.negated,
        e.c.date, e.c.place_name, e.c.place_country, e.c.place_lat, e.c.place_lon, e.c.sentence,
        e.c.quad_class, e.c.goldstein, e.c.cluster_pk, a.c.published_day, e.c.mood, e.c.source_name,
        e.c.target_name, _actor_kind(e.c.source_id).label("source_kind"),
        _actor_kind(e.c.target_id).label("target_kind"), *(e.c[name] for name in optional),
    ]  # fmt: skip


def event_select(*extra: sa.ColumnElement) -> sa.Select:
    """The columns a :class:`Mention` is made from (and ``extra``), events joined to their article, with
    their two actors' kinds (:func:`~tacitus.store.cluster_rules.named_person`)."""
    if not extra:
        return _plain_event_select()
    return sa.select(*_event_columns(), *extra).join_from(
        events, articles, events.c.article_pk == articles.c.pk
    )


@functools.cache
def _plain_event_select(optional: tuple[str, ...] = OPTIONAL_EVENT_COLUMNS) -> sa.Select:
    # built once: a Select is immutable (each .where makes a new one), and building the two correlated
    # subqueries cost the clustering 1-2 ms a read
    return sa.select(*_event_columns(optional)).join_from(
        events, articles, events.c.article_pk == articles.c.pk
    )


@functools.cache
def _events_by_pk(optional: tuple[str, ...] = OPTIONAL_EVENT_COLUMNS) -> sa.Select:
    """:func:`event_select` of the events whose ``pk`` is in the list ``pks``, in ``pk`` order."""
    pks = sa.bindparam("pks", expanding=True)
    return _plain_event_select(optional).where(events.c.pk.in_(pks)).order_by(events.c.pk)


def _mention(row: Any, stories: dict[int, dict[str, float] | None] | None = None) -> Mention:
    words = content_words(row.sentence)
    own_day, published = iso_day(row.date), iso_day(row.published_day)
    return Mention(
        story=(stories or {}).get(row.article_pk),
        pk=row.pk,
        article_pk=row.article_pk,
        root=row.root,
        code=row.code,
        source_code=row.source_code,
        target_code=row.target_code,
        source_country=country_part(row.source_code),
        target_country=country_part(row.target_code),
        negated=bool(row.negated),
        day=own_day or published,
        period=period_bounds(getattr(row, "period", None)),
        dated=row.date is not None,
        recalled=recalled(own_day, published),
        repeated=bool(getattr(row, "repeated", False)),
        place_country=row.place_country,
        lat=row.place_lat,
        lon=row.place_lon,
        words=words,
        caption=is_caption(row.sentence),
        mood=row.mood or "asserted",
        place_named=place_named(row.place_name, words),
        source_person=named_person(row.source_name, row.source_kind, words),
        target_person=named_person(row.target_name, row.target_kind, words),
        source_group=counted_group(row.source_name),
        target_group=counted_group(row.target_name),
        source_count=group_count(row.source_name),
        target_count=group_count(row.target_name),
    )


_SCHEMA_HAS: dict[str, weakref.WeakSet[sa.Engine]] = {
    "stories": weakref.WeakSet(),
    "links": weakref.WeakSet(),
    **{name: weakref.WeakSet() for name in OPTIONAL_EVENT_COLUMNS},
}


def _schema_has(connection: sa.Connection, part: str, probe: Callable[[Any], bool]) -> bool:
    """Whether the store's schema has ``part`` (``probe`` asks the inspector). A
    :class:`~tacitus.store.Store` made on an engine of an older schema (``open_store`` migrates,
    ``Store(engine)`` does not) clusters without it rather than failing; only a yes is remembered, so a
    store migrated later gains it."""
    known = _SCHEMA_HAS[part]
    if connection.engine in known:
        return True
    if probe(sa.inspect(connection)):
        known.add(connection.engine)
        return True
    return False


def _has_stories(connection: sa.Connection) -> bool:
    """Whether the store has ``article_stories`` (revision 0011): without it, mentions are judged on their
    sentences alone."""
    return _schema_has(connection, "stories", lambda i: i.has_table(article_stories.name))


def _has_links(connection: sa.Connection) -> bool:
    """Whether the store keeps why each mention joined its cluster (revision 0015: ``cluster_via``,
    ``cluster_score``, ``cluster_basis``)."""
    return _schema_has(
        connection, "links", lambda i: "cluster_via" in {c["name"] for c in i.get_columns(events.name)}
    )


def _stored_optional(connection: sa.Connection) -> tuple[str, ...]:
    """Which of :data:`OPTIONAL_EVENT_COLUMNS` the store has (revision 0017's ``events.period``, an event's
    coarser time; 0018's ``events.repeated``, a summary of many acts)."""
    return tuple(
        name
        for name in OPTIONAL_EVENT_COLUMNS
        if _schema_has(
            connection, name, lambda i, n=name: n in {c["name"] for c in i.get_columns(events.name)}
        )
    )


def _stories(connection: sa.Connection, article_pks: Iterable[int]) -> dict[int, dict[str, float] | None]:
    """The stored story terms of these articles (one query per 500; an article without a row is absent)."""
    found: dict[int, dict[str, float] | None] = {}
    if not _has_stories(connection):
        return found
    pks = sorted(set(article_pks))
    s = article_stories.c
    for i in range(0, len(pks), 500):
        stmt = sa.select(s.article_pk, s.terms).where(s.article_pk.in_(pks[i : i + 500]))
        for article_pk, terms in connection.execute(stmt):
            found[article_pk] = decode_terms(terms)
    return found


def _write_story(connection: sa.Connection, article_pk: int) -> dict[str, float]:
    """Compute an article's story terms from its title and text and store them (replacing any; not stored
    in a store of a schema before revision 0011, see :func:`_has_stories`)."""
    title, text = connection.execute(
        sa.select(articles.c.title, articles.c.text).where(articles.c.pk == article_pk)
    ).one()
    terms = story_terms(title, text)
    if not _has_stories(connection):
        return terms
    connection.execute(sa.delete(article_stories).where(article_stories.c.article_pk == article_pk))
    connection.execute(sa.insert(article_stories).values(article_pk=article_pk, terms=encode_terms(terms)))
    return terms


def _event_rows(connection: sa.Connection, where: sa.ColumnElement[bool]) -> list[Any]:
    """The events ``where`` selects as :func:`event_select` reads them, in ``pk`` order.

    Two statements: the keys, then the rows by key (500 at a time). PostgreSQL without statistics (a
    server without autovacuum, never analysed) guesses most of ``events`` for a ``cluster_pk IN`` list, and
    at that guess prices the two kind lookups per row high enough to compile the read with JIT (58 of the
    80 ms the slowest read took in the server at 2,200 AllSides articles); a list of primary keys it counts
    exactly, so the wide read is planned for the rows there are (300 reads of 5 to 400 clusters: 67 ms a read
    in one statement, 27 in two; on SQLite 2.4 and 3.0 ms of CPU)."""
    pks = list(connection.execute(sa.select(events.c.pk).where(where).order_by(events.c.pk)).scalars())
    rows: list[Any] = []
    select = _events_by_pk(_stored_optional(connection))
    for i in range(0, len(pks), 500):
        rows.extend(connection.execute(select, {"pks": pks[i : i + 500]}))
    return rows


def _quote_columns() -> list[sa.ColumnElement]:
    q, a = quotes, articles
    return [
        q.c.pk, q.c.article_pk, q.c.speaker_code, q.c.speaker_name, q.c.content, q.c.date, q.c.cluster_pk,
        a.c.published_day,
    ]  # fmt: skip


def _quote_mention(row: Any) -> QuoteMention | None:
    key = speaker_key(row.speaker_code, row.speaker_name)
    if key is None:
        return None
    return QuoteMention(
        pk=row.pk,
        article_pk=row.article_pk,
        speaker_key=key,
        speaker_name=row.speaker_name,
        day=iso_day(row.date) or iso_day(row.published_day),
        words=quote_words(row.content),
    )


def _quote_rows(connection: sa.Connection, where: sa.ColumnElement[bool]) -> list[Any]:
    stmt = (
        sa.select(*_quote_columns())
        .join_from(quotes, articles, quotes.c.article_pk == articles.c.pk)
        .where(where)
        .order_by(quotes.c.pk)
    )
    return list(connection.execute(stmt))


# -- cluster rows from their members ------------------------------------------------------------------


def _reach(connection: sa.Connection, article_pks: Iterable[int]) -> dict[int, list[str]]:
    """The outlet of each publication of these articles (one entry per publication), named as
    :func:`tacitus.store.queries.reach` names them (source, else URL, else the publication key)."""
    p = publications.c
    outlet = sa.func.coalesce(p.source, p.url, p.key)
    found: dict[int, list[str]] = defaultdict(list)
    pks = sorted(set(article_pks))
    for i in range(0, len(pks), 500):
        stmt = sa.select(p.article_pk, outlet).where(p.article_pk.in_(pks[i : i + 500]))
        for article_pk, name in connection.execute(stmt):
            found[article_pk].append(name)
    return found


def _counts(rows: list[Any], reach: dict[int, list[str]]) -> dict[str, int]:
    arts = {r.article_pk for r in rows}
    return {
        "n_articles": sum(len(reach.get(a, ())) or 1 for a in arts),
        "n_sources": len({name for a in arts for name in reach.get(a, ())}) or len(arts),
    }


def _day_range(rows: list[Any]) -> tuple[str | None, str | None]:
    days = [d for r in rows if (d := iso_day(r.date) or iso_day(r.published_day))]
    return (_iso(min(days)), _iso(max(days))) if days else (None, None)


def _event_values(rows: list[Any], reach: dict[int, list[str]]) -> dict[str, Any]:
    """An ``event_clusters`` row from its members (in pk order): the first is the representative."""
    first = rows[0]
    day, last_day = _day_range(rows)
    placed = next((r for r in rows if r.place_name or r.place_lat is not None), None)
    return {
        "code": first.code,
        "root": first.root,
        "source_code": first.source_code,
        "target_code": first.target_code,
        "source_country": country_part(first.source_code),
        "target_country": country_part(first.target_code),
        "quad_class": first.quad_class,
        "goldstein": first.goldstein,
        "negated": bool(first.negated),
        "day": day,
        "last_day": last_day,
        "place_name": placed.place_name if placed else None,
        "place_country": placed.place_country if placed else None,
        "place_lat": placed.place_lat if placed else None,
        "place_lon": placed.place_lon if placed else None,
        "n_mentions": len(rows),
        **_counts(rows, reach),
        "event_pk": first.pk,
    }


def _quote_values(rows: list[Any], reach: dict[int, list[str]]) -> dict[str, Any]:
    """A ``quote_clusters`` row from its members (in pk order): the first is the representative."""
    first = rows[0]
    first_day, last_day = _day_range(rows)
    return {
        "speaker_key": speaker_key(first.speaker_code, first.speaker_name),
        "speaker_code": first.speaker_code,
        "speaker_name": first.speaker_name,
        "content": first.content,
        "n_quotes": len(rows),
        **_counts(rows, reach),
        "first_day": first_day,
        "last_day": last_day,
        "quote_pk": first.pk,
    }


def _update_many(connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE by ``pk`` for rows that all set the same columns."""
    if not rows:
        return
    names = [k for k in rows[0] if k != "pk"]
    stmt = (
        sa.update(table)
        .where(table.c.pk == sa.bindparam("b_pk"))
        .values({name: sa.bindparam(f"b_{name}") for name in names})
    )
    connection.execute(stmt, [{f"b_{k}": v for k, v in row.items()} for row in rows])


def _refresh(
    connection: sa.Connection,
    table: sa.Table,
    cluster_pks: Iterable[int],
    read: Callable[[sa.Connection, sa.ColumnElement[bool]], list[Any]],
    member_table: sa.Table,
    values: Callable[[list[Any], dict[int, list[str]]], dict[str, Any]],
) -> None:
    pks = sorted(set(cluster_pks))
    for i in range(0, len(pks), 500):
        chunk = pks[i : i + 500]
        members: dict[int, list[Any]] = defaultdict(list)
        for row in read(connection, member_table.c.cluster_pk.in_(chunk)):
            members[row.cluster_pk].append(row)
        empty = [pk for pk in chunk if pk not in members]
        if empty:
            connection.execute(sa.delete(table).where(table.c.pk.in_(empty)))
        reach = _reach(connection, (r.article_pk for rows in members.values() for r in rows))
        _update_many(connection, table, [{"pk": pk, **values(rows, reach)} for pk, rows in members.items()])


def refresh_event_clusters(connection: sa.Connection, cluster_pks: Iterable[int]) -> None:
    """Recompute the counts, days, place and representative of these event clusters from their members;
    delete those left without members."""
    _refresh(connection, event_clusters, cluster_pks, _event_rows, events, _event_values)


def refresh_quote_clusters(connection: sa.Connection, cluster_pks: Iterable[int]) -> None:
    """Recompute the counts, days and representative of these quote clusters; delete the empty ones."""
    _refresh(connection, quote_clusters, cluster_pks, _quote_rows, quotes, _quote_values)


def _create(
    connection: sa.Connection,
    table: sa.Table,
    new: dict[int, list[Any]],
    values: Callable[[list[Any], dict[int, list[str]]], dict[str, Any]],
    reach: dict[int, list[str]],
) -> dict[int, int]:
    """Insert the clusters an article started (keyed by a provisional negative id), complete with their
    counts, in one statement; return the provisional ids mapped to the real ``pk``."""
    if not new:
        return {}
    now = _now()
    temp = list(new)
    rows = [{**values(new[t], reach), "added_at": now} for t in temp]
    stmt = sa.insert(table).returning(table.c.pk, sort_by_parameter_order=True)
    pks = connection.execute(stmt, rows).scalars().all()
    return dict(zip(temp, pks, strict=True))


class Link(NamedTuple):
    """Where one mention went: its row (``pk``), its cluster (``cluster``, negative for one this article
    starts) and, when it joined one, the member it matched (``via``), the match's score and its basis
    (:data:`~tacitus.store.cluster_rules.MATCH_BASES`; events only): why it is there, for a reader to check."""

    pk: int
    cluster: int
    via: int | None = None
    score: float | None = None
    basis: str | None = None


def _link(connection: sa.Connection, table: sa.Table, links: list[Link], made: dict[int, int]) -> None:
    """Write each mention's cluster (``made``: the stored pk of each cluster the article started) and how
    it got there: ``cluster_via``, ``cluster_score`` and, for events, ``cluster_basis`` (revision 0015;
    the cluster alone in an older schema)."""
    if not links:
        return
    explained = _has_links(connection)
    basis = explained and "cluster_basis" in table.c
    rows = []
    for link in links:
        row: dict[str, Any] = {"b_pk": link.pk, "b_cluster": made.get(link.cluster, link.cluster)}
        if explained:
            row["b_via"], row["b_score"] = link.via, None if link.score is None else round(link.score, 4)
        if basis:
            row["b_basis"] = link.basis
        rows.append(row)
    connection.execute(_link_statement(table, explained, basis), rows)


@functools.cache
def _link_statement(table: sa.Table, explained: bool, basis: bool) -> sa.Update:
    """The update :func:`_link` runs for every stored article, built once per table and schema (as the
    write's other statements are)."""
    columns = {"cluster_pk": "b_cluster"}
    if explained:
        columns.update(cluster_via="b_via", cluster_score="b_score")
    if basis:
        columns["cluster_basis"] = "b_basis"
    values = {column: sa.bindparam(name) for column, name in columns.items()}
    return sa.update(table).where(table.c.pk == sa.bindparam("b_pk")).values(**values)
