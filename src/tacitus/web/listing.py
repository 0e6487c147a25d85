"""Filtered, sorted, cursor-paginated listings of events, quotes, articles, actors and clusters.

The web API pages through stores of hundreds of thousands of rows, so a page is found by *keyset*: the
cursor carries the sort value and primary key of the last row shown, and the next page starts strictly
after it. That is stable while ``tacitus process`` adds rows (no row is shown twice or skipped, unlike an
offset) and costs one index range scan per page. Rows whose sort value is null come after all others
("nulls last", as the CLI lists them); they are read in a second phase ordered by primary key, so each
phase can walk an index instead of sorting the table.

A listing runs in two steps: the keys of the page (one narrow query with the filters), then the full rows
of just those keys through the same SELECTs the ``tacitus events|quotes|actors`` commands use
(:mod:`tacitus.store.queries`), so the API returns the same columns as ``--format json``.

Every filter value reaches SQL as a bound parameter; LIKE wildcards in user text are escaped.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from tacitus.errors import TacitusError
from tacitus.model import check_quote_types
from tacitus.store import Store, fulltext, queries
from tacitus.store.schema import actors, articles, event_clusters, events, quote_clusters, quotes

__all__ = [
    "LISTINGS",
    "MAX_LIMIT",
    "MAX_VALUE_LENGTH",
    "BadFilter",
    "Page",
    "conditions",
    "list_actors",
    "list_rows",
]

MAX_LIMIT = 500
"""Most rows one page may hold: a bigger page is a download, and the CLI or the CSV export serve those."""

DEFAULT_LIMIT = 50

MAX_VALUE_LENGTH = 200
"""Longest filter value accepted; a code, a day or a search phrase fits easily, a pasted paragraph does not."""


class BadFilter(TacitusError):
    """A filter, sort key, limit or cursor of a listing request is not one the listing accepts."""


@dataclass
class Page:
    """One page of a listing: its rows, the cursor of the next page (None on the last) and the count of
    every row matching the filters (``capped``: more than ``total`` match, the count stopped there)."""

    items: list[dict[str, Any]]
    next_cursor: str | None
    total: int
    sort: str
    filters: dict[str, Any] = field(default_factory=dict)
    capped: bool = False


def _like(column: sa.ColumnElement, text: str) -> sa.ColumnElement[bool]:
    # literal, case-insensitive; the sentences of events and the words of quotes through their word index
    return fulltext.contains(column, text)


def _day(value: str, name: str) -> str:
    try:
        return queries.check_day(value, name) or ""
    except TacitusError as error:
        raise BadFilter(str(error)) from None


def _int(value: str, name: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise BadFilter(f"{name}={value!r} is not a whole number; give one like {name}=3") from None


@dataclass(frozen=True)
class Listing:
    """What one endpoint lists: the table whose primary key pages it, how each filter narrows it, the sort
    keys it offers and how the full rows of a page are fetched."""

    name: str
    pk: sa.ColumnElement
    base: Callable[[bool], sa.Select]
    filters: Mapping[str, Callable[[str], sa.ColumnElement[bool]]]
    sorts: Mapping[str, sa.ColumnElement]
    default_sort: str
    rows: Callable[[sa.Connection, list[int]], dict[int, dict[str, Any]]]
    filter_help: Mapping[str, str]
    # the filters and sort keys that read the articles table: only they pay for the join, so a filter on
    # the listed table alone is answered (and counted) from its own indexes
    article_filters: frozenset[str] = frozenset()
    article_sorts: frozenset[str] = frozenset()
    # filters meaning "any of these conditions", each answered by an index of its own (an actor is the
    # source or the target): the page and the count are a UNION ALL of one query per condition, each read
    # from its covering index (the second keeps only rows the first does not have), where one query with an
    # OR would read every matching row from the table
    either: Mapping[str, tuple[Callable[[str], sa.ColumnElement[bool]], ...]] = field(default_factory=dict)
    # the column the ``text`` filter searches, when a word index may answer it (tacitus.store.fulltext)
    words: sa.Column | None = None


# -- events ---------------------------------------------------------------------------------------------


def with_article_key(row: dict[str, Any]) -> dict[str, Any]:
    """Add ``article_key`` to a listing row that has ``article_hash``: the article's id, or its content
    hash when it has none, which is how the pages and ``/api/articles/{key}`` address it."""
    digest = row.pop("article_hash", None)
    row["article_key"] = row.get("article_id") or digest
    return row


@functools.cache
def _rows_statement(what: str) -> sa.Select:
    # Built once: the CLI's SELECT of 35 columns takes SQLAlchemy longer to build for every page than the
    # database takes to run it; the keys of the page are an expanding parameter
    table = events if what == "events" else quotes
    select = queries.events_select() if what == "events" else queries.quotes_select()
    return select.add_columns(
        table.c.pk.label("pk"),
        table.c.cluster_pk.label("cluster"),
        articles.c.content_hash.label("article_hash"),
    ).where(table.c.pk.in_(sa.bindparam("pks", expanding=True)))


def _event_rows(connection: sa.Connection, pks: list[int]) -> dict[int, dict[str, Any]]:
    result = connection.execute(_rows_statement("events"), {"pks": pks}).mappings()
    return {row["pk"]: with_article_key(row) for row in map(dict, result)}


def _quote_rows(connection: sa.Connection, pks: list[int]) -> dict[int, dict[str, Any]]:
    result = connection.execute(_rows_statement("quotes"), {"pks": pks}).mappings()
    return {row["pk"]: with_article_key(row) for row in map(dict, result)}


ARTICLE_COLUMNS = (
    "pk",
    "article_id",
    "title",
    "published",
    "published_day",
    "url",
    "source",
    "language",
    "n_actors",
    "n_quotes",
    "n_events",
    "content_hash",
)


def _article_rows(connection: sa.Connection, pks: list[int]) -> dict[int, dict[str, Any]]:
    stmt = sa.select(*(articles.c[name] for name in ARTICLE_COLUMNS)).where(articles.c.pk.in_(pks))
    return {row["pk"]: row for row in map(dict, connection.execute(stmt).mappings())}


def _table_rows(table: sa.Table) -> Callable[[sa.Connection, list[int]], dict[int, dict[str, Any]]]:
    def fetch(connection: sa.Connection, pks: list[int]) -> dict[int, dict[str, Any]]:
        stmt = sa.select(table).where(table.c.pk.in_(pks))
        return {row["pk"]: row for row in map(dict, connection.execute(stmt).mappings())}

    return fetch


def _quote_types(value: str) -> list[str]:
    try:
        return sorted(check_quote_types(t.strip() for t in value.split(",") if t.strip()))
    except TacitusError as error:
        raise BadFilter(f"type: {error}") from None


def _article_is(value: str) -> sa.ColumnElement[bool]:
    # an article is named by its id, or by its content hash when it has none (see pages.article_key)
    return sa.or_(articles.c.article_id == value, articles.c.content_hash == value)


EVENTS = Listing(
    name="events",
    pk=events.c.pk,
    base=lambda join: (
        sa.select(events.c.pk).join_from(events, articles, events.c.article_pk == articles.c.pk)
        if join
        else sa.select(events.c.pk)
    ),
    filters={
        "actor": lambda v: sa.or_(
            queries.code_matches(events.c.source_code, v), queries.code_matches(events.c.target_code, v)
        ),
        "source": lambda v: queries.code_matches(events.c.source_code, v),
        "target": lambda v: queries.code_matches(events.c.target_code, v),
        "code": lambda v: queries.code_matches(events.c.code, v),
        "plover": lambda v: sa.func.upper(events.c.plover) == v.strip().upper(),
        "since": lambda v: events.c.day >= _day(v, "since"),
        "until": lambda v: events.c.day <= _day(v, "until"),
        "text": lambda v: _like(events.c.sentence, v),
        "article": _article_is,
        "cluster": lambda v: events.c.cluster_pk == _int(v, "cluster"),
        "outlet": lambda v: _like(articles.c.source, v),
    },
    sorts={"date": events.c.day, "goldstein": events.c.goldstein, "published": articles.c.published_day},
    default_sort="date",
    rows=_event_rows,
    article_filters=frozenset({"article", "outlet"}),
    article_sorts=frozenset({"published"}),
    either={
        "actor": (
            lambda v: queries.code_matches(events.c.source_code, v),
            lambda v: queries.code_matches(events.c.target_code, v),
        )
    },
    words=events.c.sentence,
    filter_help={
        "actor": "source or target actor code starts with it (RUS finds RUSGOV)",
        "source": "source actor code prefix",
        "target": "target actor code prefix",
        "code": "CAMEO code prefix (04 finds 041)",
        "plover": "PLOVER category (CONSULT)",
        "since": "first day, YYYY-MM-DD (the event's day, else its article's)",
        "until": "last day, YYYY-MM-DD",
        "text": "words in the sentence",
        "article": "article id",
        "cluster": "event cluster number",
        "outlet": "words in the outlet's name",
    },
)

QUOTES = Listing(
    name="quotes",
    pk=quotes.c.pk,
    base=lambda join: (
        sa.select(quotes.c.pk).join_from(quotes, articles, quotes.c.article_pk == articles.c.pk)
        if join
        else sa.select(quotes.c.pk)
    ),
    filters={
        "actor": lambda v: queries.code_matches(quotes.c.speaker_code, v),
        "speaker": lambda v: _like(quotes.c.speaker_name, v),
        "type": lambda v: sa.func.coalesce(quotes.c.type, "speech").in_(_quote_types(v)),
        "since": lambda v: articles.c.published_day >= _day(v, "since"),
        "until": lambda v: articles.c.published_day <= _day(v, "until"),
        "text": lambda v: _like(quotes.c.content, v),
        "article": _article_is,
        "cluster": lambda v: quotes.c.cluster_pk == _int(v, "cluster"),
        "outlet": lambda v: _like(articles.c.source, v),
    },
    sorts={"date": articles.c.published_day},
    default_sort="date",
    rows=_quote_rows,
    article_filters=frozenset({"since", "until", "article", "outlet"}),
    article_sorts=frozenset({"date"}),
    words=quotes.c.content,
    filter_help={
        "actor": "speaker's actor code starts with it",
        "speaker": "words in the speaker's name",
        "type": "quote types, comma-separated: speech, finding, belief, intention",
        "since": "first publication day, YYYY-MM-DD",
        "until": "last publication day, YYYY-MM-DD",
        "text": "words in the quotation",
        "article": "article id",
        "cluster": "quotation cluster number",
        "outlet": "words in the outlet's name",
    },
)

ARTICLES = Listing(
    name="articles",
    pk=articles.c.pk,
    base=lambda join: sa.select(articles.c.pk),
    filters={
        "since": lambda v: articles.c.published_day >= _day(v, "since"),
        "until": lambda v: articles.c.published_day <= _day(v, "until"),
        "text": lambda v: _like(articles.c.title, v),
        "outlet": lambda v: _like(articles.c.source, v),
        "language": lambda v: articles.c.language == v.strip().lower(),
        "actor": lambda v: articles.c.pk.in_(
            sa.select(actors.c.article_pk).where(queries.code_matches(actors.c.code, v))
        ),
    },
    sorts={"published": articles.c.published_day, "events": articles.c.n_events},
    default_sort="-published",
    rows=_article_rows,
    filter_help={
        "since": "first publication day, YYYY-MM-DD",
        "until": "last publication day, YYYY-MM-DD",
        "text": "words in the title",
        "outlet": "words in the outlet's name",
        "language": "ISO 639-1 language (en)",
        "actor": "an actor in it has a code starting with this",
    },
)

EVENT_CLUSTERS = Listing(
    name="clusters",
    pk=event_clusters.c.pk,
    base=lambda join: sa.select(event_clusters.c.pk),
    filters={
        "actor": lambda v: sa.or_(
            queries.code_matches(event_clusters.c.source_code, v),
            queries.code_matches(event_clusters.c.target_code, v),
        ),
        "code": lambda v: queries.code_matches(event_clusters.c.code, v),
        "since": lambda v: event_clusters.c.last_day >= _day(v, "since"),
        "until": lambda v: event_clusters.c.day <= _day(v, "until"),
        "min_sources": lambda v: event_clusters.c.n_sources >= _int(v, "min_sources"),
    },
    sorts={
        "date": event_clusters.c.day,
        "sources": event_clusters.c.n_sources,
        "mentions": event_clusters.c.n_mentions,
    },
    default_sort="date",
    rows=_table_rows(event_clusters),
    filter_help={
        "actor": "source or target code prefix",
        "code": "CAMEO code prefix",
        "since": "reported on or after this day",
        "until": "reported on or before this day",
        "min_sources": "at least this many outlets",
    },
)

QUOTE_CLUSTERS = Listing(
    name="clusters",
    pk=quote_clusters.c.pk,
    base=lambda join: sa.select(quote_clusters.c.pk),
    filters={
        "actor": lambda v: queries.code_matches(quote_clusters.c.speaker_code, v),
        "text": lambda v: _like(quote_clusters.c.content, v),
        "since": lambda v: quote_clusters.c.last_day >= _day(v, "since"),
        "until": lambda v: quote_clusters.c.first_day <= _day(v, "until"),
        "min_sources": lambda v: quote_clusters.c.n_sources >= _int(v, "min_sources"),
    },
    sorts={
        "date": quote_clusters.c.first_day,
        "sources": quote_clusters.c.n_sources,
        "mentions": quote_clusters.c.n_quotes,
    },
    default_sort="date",
    rows=_table_rows(quote_clusters),
    filter_help={
        "actor": "speaker code prefix",
        "text": "words in the quotation",
        "since": "quoted on or after this day",
        "until": "quoted on or before this day",
        "min_sources": "at least this many outlets",
    },
)

LISTINGS: dict[str, Listing] = {
    "events": EVENTS,
    "quotes": QUOTES,
    "articles": ARTICLES,
    "event_clusters": EVENT_CLUSTERS,
    "quote_clusters": QUOTE_CLUSTERS,
}


# -- cursors --------------------------------------------------------------------------------------------


def _encode_cursor(sort: str, phase: int, value: Any, pk: int) -> str:
    raw = json.dumps([sort, phase, value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[int, Any, int]:
    problem = (
        f"cursor {cursor[:40]!r} is not one this listing gave out; start again without it "
        "(cursors are opaque: pass back the `next` value unchanged, with the same filters and sort)"
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        given, phase, value, pk = json.loads(raw)
    except (ValueError, TypeError, binascii.Error):
        raise BadFilter(problem) from None
    if (
        given != sort
        or phase not in (0, 1)
        or not isinstance(pk, int)
        or isinstance(pk, bool)
        or not (value is None or isinstance(value, str | int | float))
    ):
        raise BadFilter(problem)
    return phase, value, pk


# -- the listing ----------------------------------------------------------------------------------------


def conditions(listing: Listing, filters: Mapping[str, str | None]) -> tuple[list, dict[str, str]]:
    found, used = [], {}
    for name, value in filters.items():
        if value is None or value == "":
            continue
        if name not in listing.filters:
            known = ", ".join(listing.filters)
            raise BadFilter(f"{listing.name} have no filter {name!r}; use one of: {known}")
        if len(value) > MAX_VALUE_LENGTH:
            raise BadFilter(f"{name} is {len(value)} characters long; give at most {MAX_VALUE_LENGTH}")
        found.append(listing.filters[name](value))
        used[name] = value
    return found, used


def _none_of(conditions: list[sa.ColumnElement[bool]]) -> sa.ColumnElement[bool]:
    # true when none holds; a condition on a null column is unknown, which here counts as not holding
    return sa.not_(sa.func.coalesce(sa.or_(*conditions), sa.false()))


def _arms(
    listing: Listing, used: Mapping[str, str], given: Mapping[str, sa.ColumnElement[bool]]
) -> list[list[sa.ColumnElement[bool]]]:
    """The lists of conditions whose union is what ``used`` (checked by :func:`conditions`) selects: one
    list, or one per alternative of an ``either`` filter, each with every other filter and made disjoint
    from the alternatives before it (so a row is in one arm only); ``given`` replaces the conditions of some
    filters."""
    arms: list[list[sa.ColumnElement[bool]]] = [
        [
            given[name] if name in given else listing.filters[name](value)
            for name, value in used.items()
            if name not in listing.either
        ]
    ]
    for name, value in used.items():
        if name in listing.either:
            alternatives = [alternative(value) for alternative in listing.either[name]]
            arms = [
                [*arm, alternative, *([_none_of(alternatives[:i])] if i else [])]
                for arm in arms
                for i, alternative in enumerate(alternatives)
            ]
    return arms


def _sort_key(listing: Listing, sort: str | None) -> tuple[str, sa.ColumnElement, bool]:
    sort = (sort or listing.default_sort).strip()
    descending = sort.startswith("-")
    name = sort.lstrip("-")
    if name not in listing.sorts:
        options = ", ".join(f"{key}, -{key}" for key in listing.sorts)
        raise BadFilter(f"{listing.name} cannot be sorted by {sort!r}; use one of: {options}")
    return ("-" if descending else "") + name, listing.sorts[name], descending


def _word_plan(
    connection: sa.Connection,
    listing: Listing,
    used: Mapping[str, str],
    count_others: Callable[[list[list[sa.ColumnElement[bool]]]], sa.Result],
) -> tuple[int | None, dict[str, sa.ColumnElement[bool]]]:
    """How a listing's word filter is best answered on this database: the word's number of matches when
    it was counted (None otherwise), and the condition to use for ``text`` (none: the listing's own).

    The other filters' rows are counted first, up to :data:`fulltext.LIKE_BELOW`: when they are that few
    (and LIKE finds what the index finds, :func:`fulltext.like_agrees`), reading them with LIKE is cheaper
    than gathering every match of the word. Otherwise the word's matches
    are counted in its index (milliseconds), which says whether to look each up or walk another index
    (:data:`fulltext.WALK_ABOVE`), and is the total when the word is the only filter.
    """
    if listing.words is None or "text" not in used:
        return None, {}
    text = used["text"]
    if not fulltext.answers(connection, listing.words, text):
        return None, {}
    others = {name: value for name, value in used.items() if name != "text"}
    # (LIKE only where it finds what the index would: the rows listed never depend on the plan)
    few = (
        others
        and fulltext.like_agrees(text)
        and count_others(_arms(listing, others, {})).scalar_one() <= fulltext.LIKE_BELOW
    )
    if few:
        return None, {"text": fulltext.contains(listing.words, text, index=False)}
    matches = fulltext.count_matches(connection, listing.words, text)
    if matches is not None and matches > fulltext.WALK_ABOVE:
        return matches, {"text": fulltext.contains(listing.words, text, walk=True)}
    return matches, {}


def list_rows(
    store: Store,
    what: str,
    filters: Mapping[str, str | None],
    *,
    sort: str | None = None,
    limit: int = DEFAULT_LIMIT,
    cursor: str | None = None,
    count: bool = True,
    count_limit: int | None = None,
) -> Page:
    """One page of ``what`` (``events``, ``quotes``, ``articles``, ``event_clusters``, ``quote_clusters``)
    matching ``filters``, in ``sort`` order (a key, ``-key`` for descending), after ``cursor``.

    ``total`` counts every matching row, or with ``count_limit`` stops counting past that many (then
    ``total`` is ``count_limit`` and ``capped`` is true): a page that only says "10,000+" need not read
    a million index entries.

    Raises :class:`BadFilter` for an unknown filter or sort key, a bad value, a limit outside 1..MAX_LIMIT
    or a cursor this function did not make for the same sort.
    """
    listing = LISTINGS[what]
    if not 1 <= limit <= MAX_LIMIT:
        raise BadFilter(f"limit={limit} is out of range; give a number from 1 to {MAX_LIMIT}")
    _, used = conditions(listing, filters)
    sort_name, key, descending = _sort_key(listing, sort)
    start_phase, after_value, after_pk = (0, None, None) if not cursor else _decode_cursor(cursor, sort_name)
    join_count = bool(listing.article_filters & set(used))
    join_page = join_count or sort_name.lstrip("-") in listing.article_sorts

    def arm_query(arm: list[sa.ColumnElement[bool]], phase: int, n: int) -> sa.Select:
        stmt = listing.base(join_page).add_columns(key.label("_key")).where(*arm)
        pk_order = listing.pk.desc() if descending else listing.pk.asc()
        if phase == 0:
            stmt = stmt.where(key.is_not(None))
            if after_pk is not None and start_phase == 0:
                mine, theirs = sa.tuple_(key, listing.pk), sa.tuple_(sa.literal(after_value), after_pk)
                stmt = stmt.where(mine < theirs if descending else mine > theirs)
            stmt = stmt.order_by(key.desc() if descending else key.asc(), pk_order)
        else:
            stmt = stmt.where(key.is_(None))
            if after_pk is not None and start_phase == 1:
                stmt = stmt.where(listing.pk < after_pk if descending else listing.pk > after_pk)
            stmt = stmt.order_by(pk_order)
        return stmt.limit(n)

    def phase_query(arms: list[list[sa.ColumnElement[bool]]], phase: int, n: int) -> sa.Select:
        if len(arms) == 1:
            return arm_query(arms[0], phase, n)
        # each arm finds its own first n rows from its index; together they hold the first n of all
        union = sa.union_all(*(sa.select(arm_query(arm, phase, n).subquery()) for arm in arms)).subquery()
        pk, value = list(union.c)
        pk_order = pk.desc() if descending else pk.asc()
        if phase == 0:
            return (
                sa.select(pk, value).order_by(value.desc() if descending else value.asc(), pk_order).limit(n)
            )
        return sa.select(pk, value).order_by(pk_order).limit(n)

    def count_query(arms: list[list[sa.ColumnElement[bool]]], at_most: int | None) -> sa.Select:
        selects = [listing.base(join_count).where(*arm) for arm in arms]
        matching: sa.Select | sa.CompoundSelect = selects[0] if len(selects) == 1 else sa.union_all(*selects)
        if at_most is not None:
            # stops reading the index once it is known that more than at_most rows match
            matching = matching.limit(at_most + 1)
        return sa.select(sa.func.count()).select_from(matching.subquery())

    with store.engine.connect() as connection:
        matches, given = _word_plan(
            connection,
            listing,
            used,
            lambda others: connection.execute(count_query(others, fulltext.LIKE_BELOW)),
        )
        arms = _arms(listing, used, given)
        keys: list[tuple[int, int, Any]] = []
        for phase in (0, 1):
            if phase < start_phase or len(keys) > limit or matches == 0:
                continue
            result = connection.execute(phase_query(arms, phase, limit + 1 - len(keys)))
            keys.extend((phase, row[0], row[1]) for row in result)
        more = len(keys) > limit
        keys = keys[:limit]
        details = listing.rows(connection, [pk for _, pk, _ in keys]) if keys else {}
        total = 0
        if count and matches is not None and (matches == 0 or set(used) == {"text"}):
            total = matches
        elif count:
            total = connection.execute(count_query(arms, count_limit)).scalar_one()
    capped = count_limit is not None and total > count_limit
    total = min(total, count_limit) if count_limit is not None else total
    items = []
    for _, pk, _ in keys:
        row = details.get(pk)
        if row is not None:
            items.append(row)
    next_cursor = None
    if more and keys:
        phase, pk, value = keys[-1]
        next_cursor = _encode_cursor(sort_name, phase, value, pk)
    return Page(
        items=items, next_cursor=next_cursor, total=total, sort=sort_name, filters=used, capped=capped
    )


def list_actors(
    store: Store, filters: Mapping[str, str | None], *, limit: int = DEFAULT_LIMIT, cursor: str | None = None
) -> Page:
    """One page of actors aggregated across articles (as ``tacitus actors`` lists them), most widely
    reported first. Actors are grouped rows with no key of their own, so the cursor is an opaque position
    in that total order (name and code break ties), not a keyset."""
    if not 1 <= limit <= MAX_LIMIT:
        raise BadFilter(f"limit={limit} is out of range; give a number from 1 to {MAX_LIMIT}")
    allowed = {"actor", "since", "until", "text"}
    for name, value in filters.items():
        if value and name not in allowed:
            raise BadFilter(f"actors have no filter {name!r}; use one of: {', '.join(sorted(allowed))}")
        if value and len(value) > MAX_VALUE_LENGTH:
            raise BadFilter(f"{name} is {len(value)} characters long; give at most {MAX_VALUE_LENGTH}")
    since = _day(filters["since"], "since") if filters.get("since") else None
    until = _day(filters["until"], "until") if filters.get("until") else None
    offset = 0
    if cursor:
        _, _, offset = _decode_cursor(cursor, "actors")
    stmt = queries.actors_select(filters.get("actor") or None, since, until)
    if filters.get("text"):
        stmt = stmt.where(_like(actors.c.name, filters["text"]))
    with store.engine.connect() as connection:
        rows = [dict(r) for r in connection.execute(stmt.limit(limit + 1).offset(offset)).mappings()]
        total = connection.execute(sa.select(sa.func.count()).select_from(stmt.subquery())).scalar_one()
    more = len(rows) > limit
    used = {k: v for k, v in filters.items() if v}
    next_cursor = _encode_cursor("actors", 0, None, offset + limit) if more else None
    return Page(items=rows[:limit], next_cursor=next_cursor, total=total, sort="-articles", filters=used)
