"""The streamed queries behind ``tacitus export``: filters, one SELECT per table, rows fetched in chunks.

Every export reads its rows through :func:`chunks`, which asks the driver for ``CHUNK`` rows at a time
(SQLAlchemy's ``yield_per``: ``fetchmany`` on SQLite, a server-side cursor on PostgreSQL), so a store of
millions of events is written in flat memory. Rows come in the order they were stored (primary key), which
both databases read from the table without sorting; sort in your own tool.

Filters are those of the listing commands (``--actor``, ``--since``, ``--until``, ``--code``, quote
``--type``) and a few more (``--root``, PLOVER ``--type`` for events, ``--source``, ``--text``). What each
means for each table is in :data:`APPLIES` and docs/export.md; a filter that does not apply to the table is
a :class:`~tacitus.errors.UsageError`, never silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from tacitus.export.filters import (  # noqa: F401 - TABLES, APPLIES, Filters, check_filters: this module's API too
    APPLIES,
    TABLES,
    Filters,
    check_filters,
    codes_of_type,
    plover_types,
)
from tacitus.export.lookups import (  # noqa: F401 - the lookups were defined here first
    CHUNK,
    OWN_PLACE,
    article_places,
    article_urls,
    cluster_places,
    languages,
    lookup,
    places_by_pk,
    sentence_starts,
    text_heads,
)
from tacitus.store.queries import (
    actors_select,
    code_matches,
    day_range,
    events_select,
    quotes_select,
    reach,
)
from tacitus.store.schema import actors, articles, event_clusters, events, places, publications, quotes


def _like(column: sa.ColumnElement, words: str) -> sa.ColumnElement[bool]:
    # words, not a pattern: escape LIKE's wildcards; lower() on both sides so SQLite and PostgreSQL agree
    escaped = words.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return sa.func.lower(column).like(f"%{escaped}%", escape="\\")


def _published_by(article_pk: sa.ColumnElement, source: str) -> sa.ColumnElement[bool]:
    """True when one of the article's publications (the original or a wire copy) is by ``source``."""
    p = publications
    return sa.exists(sa.select(p.c.pk).where(p.c.article_pk == article_pk, _like(p.c.source, source)))


def _event_conditions(f: Filters, e: sa.Table | sa.Alias = events) -> list[sa.ColumnElement[bool]]:
    """Conditions on an events row (actor, code, root, type, days, source, text)."""
    conditions: list[sa.ColumnElement[bool]] = []
    if f.actor:
        conditions.append(
            sa.or_(code_matches(e.c.source_code, f.actor), code_matches(e.c.target_code, f.actor))
        )
    if f.code:
        conditions.append(code_matches(e.c.code, f.code))
    if f.root:
        conditions.append(e.c.root == f.root)
    if f.type:
        conditions.append(e.c.code.in_(codes_of_type(f.type)))
    conditions += day_range(e.c.day, f.since, f.until)
    if f.source:
        conditions.append(_published_by(e.c.article_pk, f.source))
    if f.text:
        conditions.append(_like(e.c.sentence, f.text))
    return conditions


def cluster_conditions(f: Filters, *, members: bool = True) -> list[sa.ColumnElement[bool]]:
    """Conditions on an ``event_clusters`` row; ``source`` and ``text`` keep clusters with at least one
    member event printed by that outlet or whose sentence has those words (when ``members``)."""
    c = event_clusters
    conditions: list[sa.ColumnElement[bool]] = []
    if f.actor:
        conditions.append(
            sa.or_(code_matches(c.c.source_code, f.actor), code_matches(c.c.target_code, f.actor))
        )
    if f.code:
        conditions.append(code_matches(c.c.code, f.code))
    if f.root:
        conditions.append(c.c.root == f.root)
    if f.type:
        conditions.append(c.c.code.in_(codes_of_type(f.type)))
    conditions += day_range(c.c.day, f.since, f.until)
    if members and (f.source or f.text):
        m = events.alias("member")
        inner = [m.c.cluster_pk == c.c.pk]
        if f.source:
            inner.append(_published_by(m.c.article_pk, f.source))
        if f.text:
            inner.append(_like(m.c.sentence, f.text))
        conditions.append(sa.exists(sa.select(m.c.pk).where(*inner)))
    return conditions


def _article_conditions(f: Filters, article_pk: sa.ColumnElement, day: sa.ColumnElement) -> list:
    conditions = list(day_range(day, f.since, f.until))
    if f.source:
        conditions.append(_published_by(article_pk, f.source))
    return conditions


# -- the SELECTs --------------------------------------------------------------------------------------


def events_rows(f: Filters) -> sa.Select:
    """One row per stored event (mention): the columns of ``tacitus events --format csv``, then
    ``event_pk``, ``cluster_id``, ``article_pk`` and the article's ``language``, in store order."""
    e, a = events, articles
    stmt = events_select(f.actor, f.since, f.until, f.code).add_columns(
        e.c.pk.label("event_pk"), e.c.cluster_pk.label("cluster_id"), e.c.article_pk, a.c.language
    )
    # events_select has applied actor, code and days already
    rest = replace(f, actor=None, code=None, since=None, until=None)
    return stmt.where(*_event_conditions(rest)).order_by(None).order_by(e.c.pk)


POLECAT_COLUMNS = (
    "event_pk", "date", "plover", "code", "goldstein", "source_name", "source_code", "target_name",
    "target_code", "place", "place_country", "place_lat", "place_lon", "article_id", "outlet", "published",
    "url", "sentence", "sentence_start", "sentence_end", "mood", "negated", "cluster_id", "article_pk",
)  # fmt: skip


def polecat_rows(f: Filters) -> sa.Select:
    """:func:`events_rows` with only the :data:`POLECAT_COLUMNS` a POLECAT record is made of, in that order.

    Neither the article's reach (two subqueries per row) nor its ``language`` is read per event: the
    language is stored after the article's text and record, which SQLite reaches through their overflow
    pages, so it is read once per article (:func:`languages`)."""
    stmt = events_rows(f)
    columns = stmt.selected_columns
    return stmt.with_only_columns(*(columns[name] for name in POLECAT_COLUMNS), maintain_column_froms=True)


def quotes_rows(f: Filters) -> sa.Select:
    """One row per stored quote: the columns of ``tacitus quotes --format csv``, then ``quote_pk`` and
    ``cluster_id``, in store order."""
    q, a = quotes, articles
    types = f.type.split(",") if f.type else None
    stmt = quotes_select(f.actor, f.since, f.until, None, types).add_columns(
        q.c.pk.label("quote_pk"), q.c.cluster_pk.label("cluster_id")
    )
    if f.source:
        stmt = stmt.where(_published_by(a.c.pk, f.source))
    if f.text:
        stmt = stmt.where(_like(q.c.content, f.text))
    return stmt.order_by(None).order_by(q.c.pk)


def actors_rows(f: Filters) -> sa.Select:
    """One row per (name, code) across the kept articles, as ``tacitus actors --format csv``."""
    stmt = actors_select(f.actor, f.since, f.until)
    if f.source:
        stmt = stmt.where(_published_by(actors.c.article_pk, f.source))
    if f.text:
        stmt = stmt.where(_like(actors.c.name, f.text))
    return stmt


ARTICLE_COLUMNS = (
    "article_id", "title", "published", "published_day", "url", "source", "site_name", "canonical_url",
    "authors", "section", "language", "language_source", "modified", "description", "crawled", "origin",
    "content_hash", "n_actors", "n_quotes", "n_events", "tacitus_version", "processed_at", "text",
)  # fmt: skip


def articles_rows(f: Filters) -> sa.Select:
    """One row per stored article (the text analysed, its metadata and counts), with ``sources`` and
    ``publications`` (how widely it was printed) and ``article_pk``, in store order."""
    a = articles
    stmt = sa.select(*(a.c[name] for name in ARTICLE_COLUMNS), *reach(a.c.pk), a.c.pk.label("article_pk"))
    stmt = stmt.where(*_article_conditions(f, a.c.pk, a.c.published_day))
    if f.actor:
        t = actors
        stmt = stmt.where(
            sa.exists(sa.select(t.c.pk).where(t.c.article_pk == a.c.pk, code_matches(t.c.code, f.actor)))
        )
    if f.text:
        stmt = stmt.where(sa.or_(_like(a.c.title, f.text), _like(a.c.text, f.text)))
    return stmt.order_by(a.c.pk)


CLUSTER_COLUMNS = (
    "code", "root", "source_code", "target_code", "source_country", "target_country", "quad_class",
    "goldstein", "negated", "day", "last_day", "place_name", "place_country", "place_lat", "place_lon",
    "n_mentions", "n_articles", "n_sources", "event_pk", "added_at",
)  # fmt: skip


def clusters_rows(f: Filters) -> sa.Select:
    """One row per event cluster (the real-world event), its ``cluster_id`` first, in id order."""
    c = event_clusters
    stmt = sa.select(c.c.pk.label("cluster_id"), *(c.c[name] for name in CLUSTER_COLUMNS))
    return stmt.where(*cluster_conditions(f)).order_by(c.c.pk)


def _as_text(column: sa.ColumnElement) -> sa.ColumnElement[str]:
    return sa.cast(column, sa.Text)


def _codes_cells(c: sa.Table) -> sa.ColumnElement[str]:
    """GDELT's EventCode, EventBaseCode, EventRootCode and QuadClass, tab-joined by the database.

    Cells whose text is the same in SQL as in Python (codes, integers) are joined in SQL: the database
    concatenates in C, and each row then hands Python one string instead of four values to convert and
    format. The base code is the 3-digit level of a 4-digit code (:func:`tacitus.export.gdelt.base_code`).
    """
    base = sa.case((sa.func.length(c.c.code) == 4, sa.func.substr(c.c.code, 1, 3)), else_=c.c.code)
    quad = sa.func.coalesce(_as_text(c.c.quad_class), "")
    return c.c.code + "\t" + base + "\t" + c.c.root + "\t" + quad


def _counts_cells(c: sa.Table) -> sa.ColumnElement[str]:
    """NumMentions, NumSources and NumArticles (non-null integers), tab-joined by the database."""
    return _as_text(c.c.n_mentions) + "\t" + _as_text(c.c.n_sources) + "\t" + _as_text(c.c.n_articles)


def _first_place_pk(
    e: sa.Table, conditions: Callable[[sa.Alias], list[sa.ColumnElement[bool]]]
) -> sa.ScalarSelect:
    """The pk of the first gazetteer place (kind set and not ``place``) of the event's article that meets
    ``conditions(places)``, or NULL: pk order is text order within an article (rows are written in record order).

    ``min(pk + 0)``, not ``min(pk)``: SQLite answers a bare ``min(pk)`` by walking
    ``ix_places_article_pk`` in pk order and reading each candidate place from the table, where
    ``ix_places_article_country`` and ``ix_places_article_name`` (revision 0012) hold every column
    tested and answer from the index alone (a third of the time on 100,000 events)."""
    p = places.alias("gp")
    return (
        sa.select(sa.func.min(p.c.pk + 0))
        .where(p.c.article_pk == e.c.article_pk, p.c.kind != "place", *conditions(p))
        .correlate_except(p)
        .scalar_subquery()
    )


def gdelt_events_rows(f: Filters) -> sa.Select:
    """One row per event cluster with its representative mention's names and article (GDELT).

    The code and count cells come tab-joined (:func:`_codes_cells`, :func:`_counts_cells`). What the row
    takes from its representative mention was found when the event was written (revision 0013):
    ``in_lead`` (IsRootEvent, as its cell: ``"1"``, ``"0"``, ``""`` for an unknown sentence, NULL when
    the event was stored without it) and the three places as place pks (read them with :func:`places_by_pk`):
    each actor's, the first place of the actor's country within the mention's sentence; the action's
    (``action_place``), the first place of the article named as the cluster's place, :data:`OWN_PLACE`
    when the article names no such place (the cluster's place came from another member: read it with
    :func:`cluster_places`), NULL when the cluster has no place. The action's is the event's own place's
    when the cluster took its place from it (nearly always); else, and for events stored without these
    columns (``in_lead`` NULL: an unknown sentence), the database finds them as it did before the
    revision, from covering indexes. Each column the database does not hand to Python is time saved on
    every row: the article's URL too is read once per article and chunk (:func:`article_urls`)."""
    c, e = event_clusters, events
    computed = e.c.in_lead.is_not(None)
    # IsRootEvent's cell; NULL for an event stored without the flag (gdelt.py finds it from the article)
    root_event = sa.case(
        (sa.or_(e.c.article_pk.is_(None), e.c.sentence_start.is_(None)), ""),
        (e.c.in_lead.is_(None), sa.null()),
        (e.c.in_lead == 0, "0"),
        else_="1",
    )

    def in_sentence(country: sa.ColumnElement, stored: sa.ColumnElement) -> sa.Case:
        found = _first_place_pk(
            e,
            lambda p: [
                p.c.country == country,
                p.c.span_start >= e.c.sentence_start,
                p.c.span_end <= e.c.sentence_end,
            ],
        )
        return sa.case((computed, stored), else_=found)

    action = sa.case(
        (sa.func.coalesce(c.c.place_name, "") == "", None),
        (sa.and_(computed, c.c.place_name == e.c.place_name), sa.func.coalesce(e.c.place_pk, OWN_PLACE)),
        else_=sa.func.coalesce(_first_place_pk(e, lambda p: [p.c.name == c.c.place_name]), OWN_PLACE),
    )
    stmt = (
        sa.select(
            c.c.pk,
            _codes_cells(c).label("codes"),
            c.c.source_code,
            c.c.target_code,
            c.c.goldstein,
            c.c.day,
            _counts_cells(c).label("counts"),
            c.c.added_at,
            e.c.article_pk,
            e.c.source_name,
            e.c.target_name,
            root_event.label("root_event"),
            in_sentence(c.c.source_country, e.c.source_place_pk).label("source_place"),
            in_sentence(c.c.target_country, e.c.target_place_pk).label("target_place"),
            action.label("action_place"),
        )  # fmt: skip
        .select_from(c)
        .outerjoin(e, e.c.pk == c.c.event_pk)
    )
    return stmt.where(*cluster_conditions(f)).order_by(c.c.pk)


def mentions_rows(f: Filters, only: Sequence[str] | None = None) -> sa.Select:
    """Every (cluster, member event, publication of its article) triple, in cluster then event order.

    The caller keeps the first member event of each article (:func:`first_per_article`): GDELT's mentions
    table has one row per article (and here per publication of it) that reports the event. ``source``
    keeps the publications of that outlet; ``text`` the member events whose sentence has the words.
    ``only`` names the columns wanted, in that order (default: all).
    """
    c, e, a, p = event_clusters, events, articles, publications
    wanted = [
        c.c.pk.label("cluster_id"),
        c.c.added_at.label("cluster_added_at"),
        c.c.day.label("cluster_day"),
        e.c.pk.label("event_pk"),
        e.c.article_pk,
        e.c.source_id,
        e.c.target_id,
        e.c.sentence_start,
        e.c.sentence_end,
        e.c.trigger_start,
        e.c.trigger_end,
        e.c.sentence,
        p.c.pk.label("publication_pk"),
        p.c.kind.label("publication_kind"),
        p.c.source.label("outlet"),
        p.c.url,
        p.c.article_id.label("publication_id"),
        p.c.published,
        p.c.added_at,
        a.c.article_id,
        a.c.language,
    ]  # fmt: skip
    if only is not None:
        by_name = {column.name: column for column in wanted}
        wanted = [by_name[name] for name in only]
    stmt = (
        sa.select(*wanted)
        .select_from(c)
        .join(e, e.c.cluster_pk == c.c.pk)
        .join(a, a.c.pk == e.c.article_pk)
        .join(p, p.c.article_pk == e.c.article_pk)
    )
    conditions = cluster_conditions(f, members=False)
    if f.source:
        conditions.append(_like(p.c.source, f.source))
    if f.text:
        conditions.append(_like(e.c.sentence, f.text))
    return stmt.where(*conditions).order_by(c.c.pk, e.c.pk, p.c.pk)


def first_per_article(rows: Iterator[Sequence[Any]]) -> Iterator[Any]:
    """Keep, of each cluster's rows, those of the first member event of each article (all its
    publications). Rows must come in cluster then event order, as :func:`mentions_rows` gives them; only
    the current cluster's articles are remembered, so memory stays flat."""
    cluster = None
    chosen: dict[int, int] = {}
    for chunk in rows:
        for row in chunk:
            if row.cluster_id != cluster:
                cluster, chosen = row.cluster_id, {}
            first = chosen.setdefault(row.article_pk, row.event_pk)
            if first == row.event_pk:
                yield row


# -- reading ------------------------------------------------------------------------------------------


def chunks(connection: sa.Connection, statement: sa.Select, size: int = CHUNK) -> Iterator[Sequence[Any]]:
    """Yield the rows of ``statement`` in lists of up to ``size``, fetched as they are written."""
    result = connection.execution_options(yield_per=size).execute(statement)
    try:
        yield from result.partitions(size)
    finally:
        result.close()


def raw_chunks(connection: sa.Connection, statement: sa.Select, size: int = CHUNK) -> Iterator[list[tuple]]:
    """As :func:`chunks`, but plain tuples straight from the driver's cursor, for the hot GDELT path.

    The statement is compiled by SQLAlchemy for the connection's dialect (parameters bound, expanding
    ``IN`` lists rendered) and run on the same connection, so inside the same transaction; PostgreSQL gets
    a named (server-side) cursor so that rows stream. Only for statements whose columns need no type
    conversion on the way out (no JSON, no booleans read as such).
    """
    compiled = statement.compile(dialect=connection.dialect, compile_kwargs={"render_postcompile": True})
    params = compiled.construct_params()
    args: Any = tuple(params[name] for name in compiled.positiontup or ()) if compiled.positional else params
    driver = connection.connection.driver_connection
    server_side = connection.dialect.name == "postgresql"
    cursor = driver.cursor(name="tacitus_export") if server_side else driver.cursor()
    try:
        cursor.execute(str(compiled), args)
        while True:
            rows = cursor.fetchmany(size)
            if not rows:
                return
            yield rows
    finally:
        cursor.close()
