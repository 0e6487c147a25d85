"""Event and quote clusters across articles, kept up to date as articles are stored.

Forty outlets reporting one phone call are forty ``events`` rows; here they become one ``event_clusters``
row (GDELT's GLOBALEVENTID is its ``pk``) that keeps every mention (``events.cluster_pk``) and counts them:
``n_mentions`` member events, ``n_articles`` publications of their articles (a wire copy stored as another
publication counts), ``n_sources`` distinct outlets among those. Quotes likewise: one ``quote_clusters``
row per quotation, as Quotebank groups a quotation's occurrences.

Clustering is incremental and greedy, in the order articles are stored: each new event joins the best
matching existing cluster, or starts one. Candidates come from indexed SQL (same root and country dyad,
days within the window; for quotes, the same speaker within a window), so the work per article does not
grow with the store; the decision itself is :mod:`tacitus.store.cluster_rules`. A new event is compared
with a cluster's members (up to :data:`MAX_MEMBERS` of them), so a cluster can grow by a chain of close
mentions. When an article is replaced its mentions leave their clusters, counts are recomputed, and an
emptied cluster is deleted; a cluster is not split when a link of its chain leaves (:func:`rebuild`
recomputes everything, as after a change of rules).

Functions take an open connection inside the caller's transaction (``Store._write``,
``Store.add_publication``), so an article and its cluster links are stored together or not at all.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from tacitus.store import cluster_rules as rules
from tacitus.store.cluster_rules import (
    Mention,
    QuoteMention,
    content_words,
    country_part,
    decode_terms,
    encode_terms,
    event_score,
    is_caption,
    iso_day,
    keys_compatible,
    named_person,
    other_people,
    place_named,
    quote_score,
    quote_words,
    speaker_key,
    story_terms,
)
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

MAX_CANDIDATES = 200
"""At most this many candidate clusters (the latest first) are read for one mention: in a store of
millions, one dyad and root can have many clusters within the window, and the nearest in time matter."""

MAX_MEMBERS = 50
"""At most this many members of each candidate cluster (the first stored) are compared with a mention."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# -- reading mentions ----------------------------------------------------------------------------------


_SOURCE_ACTOR = actors.alias("source_actor")
_TARGET_ACTOR = actors.alias("target_actor")


def _event_columns() -> list[sa.ColumnElement]:
    e, a = events, articles
    return [
        e.c.pk, e.c.article_pk, e.c.root, e.c.code, e.c.source_code, e.c.target_code, e.c.negated,
        e.c.date, e.c.place_name, e.c.place_country, e.c.place_lat, e.c.place_lon, e.c.sentence,
        e.c.quad_class, e.c.goldstein, e.c.cluster_pk, a.c.published_day, e.c.mood, e.c.source_name,
        e.c.target_name, _SOURCE_ACTOR.c.kind.label("source_kind"), _TARGET_ACTOR.c.kind.label("target_kind"),
    ]  # fmt: skip


def event_select(*extra: sa.ColumnElement) -> sa.Select:
    """The columns a :class:`Mention` is made from (and ``extra``), events joined to their article and to
    their two actors' rows (for the actors' kinds: :func:`~tacitus.store.cluster_rules.named_person`)."""
    e, s, t = events, _SOURCE_ACTOR, _TARGET_ACTOR
    return (
        sa.select(*_event_columns(), *extra)
        .join_from(e, articles, e.c.article_pk == articles.c.pk)
        .outerjoin(s, sa.and_(s.c.article_pk == e.c.article_pk, s.c.actor_id == e.c.source_id))
        .outerjoin(t, sa.and_(t.c.article_pk == e.c.article_pk, t.c.actor_id == e.c.target_id))
    )


def _mention(row: Any, stories: dict[int, dict[str, float] | None] | None = None) -> Mention:
    words = content_words(row.sentence)
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
        day=iso_day(row.date) or iso_day(row.published_day),
        place_country=row.place_country,
        lat=row.place_lat,
        lon=row.place_lon,
        words=words,
        caption=is_caption(row.sentence),
        mood=row.mood or "asserted",
        place_named=place_named(row.place_name, words),
        source_person=named_person(row.source_name, row.source_kind, words),
        target_person=named_person(row.target_name, row.target_kind, words),
    )


_WITH_STORIES: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


def _has_stories(connection: sa.Connection) -> bool:
    """Whether the store has ``article_stories`` (revision 0011). A :class:`~tacitus.store.Store` made on an
    engine of an older schema (``open_store`` migrates, ``Store(engine)`` does not) clusters on sentences
    alone rather than failing; only a yes is remembered, so a store migrated later gains its stories."""
    if connection.engine in _WITH_STORIES:
        return True
    if sa.inspect(connection).has_table(article_stories.name):
        _WITH_STORIES.add(connection.engine)
        return True
    return False


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
    return list(connection.execute(event_select().where(where).order_by(events.c.pk)))


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


def _link(connection: sa.Connection, table: sa.Table, links: list[tuple[int, int]]) -> None:
    if links:
        connection.execute(
            sa.update(table)
            .where(table.c.pk == sa.bindparam("b_pk"))
            .values(cluster_pk=sa.bindparam("b_cluster")),
            [{"b_pk": pk, "b_cluster": cluster_pk} for pk, cluster_pk in links],
        )


# -- assignment ----------------------------------------------------------------------------------------


def _same(column: sa.ColumnElement, value: Any) -> sa.ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _span(days: Iterable[date | None], window: int) -> tuple[str, str] | None:
    """The ISO bounds a cluster's days must reach to be within ``window`` days of one of ``days``."""
    known = [d for d in days if d is not None]
    if not known:
        return None
    return _shifted(min(known), -window).isoformat(), _shifted(max(known), window).isoformat()


def _shifted(day: date, days: int) -> date:
    """``day`` moved by ``days``, held at the calendar's ends: a page can date an event in year 1 or 9999,
    and that must not crash the run (the soak's HTML pages did)."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


def _compatible_with(column: sa.ColumnElement, value: str | None) -> sa.ColumnElement[bool] | None:
    # an unknown country on either side is compatible (cluster_rules.keys_compatible)
    return None if value is None else sa.or_(column == value, column.is_(None))


def _event_candidates(connection: sa.Connection, group: list[Mention]) -> dict[int, list[Mention]]:
    """The stored clusters (with up to :data:`MAX_MEMBERS` members each) that mentions sharing one key
    may join, their days reaching within the window of the mentions' days: those of the same root and
    negation with compatible countries (index ``ix_event_clusters_root_days``) and, when both countries
    are known, those of the same dyad under another root (``ix_event_clusters_dyad_days``)."""
    bounds = _span((m.day for m in group), rules.EVENT_WINDOW_DAYS)
    if bounds is None:
        return {}
    first = group[0]
    c = event_clusters.c
    window = [c.negated == first.negated, c.last_day >= bounds[0], c.day <= bounds[1]]
    same_root = [
        c.root == first.root,
        *window,
        *(x for x in (
            _compatible_with(c.source_country, first.source_country),
            _compatible_with(c.target_country, first.target_country),
        ) if x is not None),
    ]  # fmt: skip
    queries = [same_root]
    if first.source_country is not None or first.target_country is not None:
        # another root of the same QuadClass, for mentions of articles that tell one story
        # (cluster_rules.SAME_STORY); the day index narrows it, the limit bounds it
        queries.append(
            [
                c.quad_class == rules.quad_class(first.root),
                c.root != first.root,
                *same_root[1:],
            ]
        )
    if first.source_country is not None and first.target_country is not None:
        queries.append(
            [
                c.source_country == first.source_country,
                c.target_country == first.target_country,
                c.root != first.root,
                *window,
            ]
        )
    pks: list[int] = []
    for conditions in queries:
        stmt = sa.select(c.pk).where(*conditions).order_by(c.last_day.desc()).limit(MAX_CANDIDATES)
        pks.extend(connection.execute(stmt).scalars())
    found: dict[int, list[Any]] = {}
    if pks:
        for row in _event_rows(connection, events.c.cluster_pk.in_(pks)):
            members = found.setdefault(row.cluster_pk, [])
            if len(members) < MAX_MEMBERS:
                members.append(row)
    stories = _stories(connection, (r.article_pk for rows in found.values() for r in rows))
    return {pk: [_mention(r, stories) for r in rows] for pk, rows in found.items()}


def _key(m: Mention) -> tuple[str, bool, str | None, str | None]:
    return (m.root, m.negated, m.source_country, m.target_country)


def _best_event_cluster(m: Mention, candidates: dict[int, list[Mention]]) -> int | None:
    """The cluster holding the member that best matches ``m``, among the clusters whose every member has a
    key compatible with it and names no other person on one side (an unknown country or an unnamed actor
    may not bridge two known ones)."""
    best_pk, best = None, None
    for cluster_pk, members in candidates.items():
        if not all(keys_compatible(m, x) and not other_people(m, x) for x in members):
            continue
        for member in members:
            s = event_score(m, member)
            if s is not None and (best is None or s > best):
                best_pk, best = cluster_pk, s
    return best_pk


def assign_events(connection: sa.Connection, article_pk: int, reach: dict[int, list[str]]) -> set[int]:
    """Put each event of a stored article into the best matching cluster, or a new one; return the
    stored clusters it joined (their counts and days are stale until :func:`refresh_event_clusters`).

    The article's events are taken by key (root, negation, countries), one candidate query per key; each
    joins the cluster holding its best-scoring member (:func:`~tacitus.store.cluster_rules.event_score`),
    and the clusters its earlier events started or joined are candidates for the later ones. The clusters
    it starts are written complete (``reach``: its publications' outlets, from :func:`_reach`).
    """
    rows = _event_rows(connection, events.c.article_pk == article_pk)
    by_pk = {row.pk: row for row in rows}
    groups: dict[tuple, list[Mention]] = defaultdict(list)
    story = {article_pk: _write_story(connection, article_pk)}
    for row in rows:
        m = _mention(row, story)
        groups[_key(m)].append(m)
    joined: set[int] = set()
    new: dict[int, list[Any]] = {}
    local: dict[int, list[Mention]] = {}  # the clusters this article's mentions went to so far
    links: list[tuple[int, int]] = []
    for group in groups.values():
        candidates = _event_candidates(connection, group)
        for m in group:
            pool = {**candidates, **local}
            best_pk = _best_event_cluster(m, pool)
            if best_pk is None:
                best_pk = -1 - len(new)
                new[best_pk] = []
            members = local.setdefault(best_pk, list(pool.get(best_pk, [])))
            members.append(m)
            if best_pk < 0:
                new[best_pk].append(by_pk[m.pk])
            else:
                joined.add(best_pk)
            links.append((m.pk, best_pk))
    made = _create(connection, event_clusters, new, _event_values, reach)
    _link(connection, events, [(pk, made.get(c, c)) for pk, c in links])
    return joined


def _quote_candidates(
    connection: sa.Connection, key: str, group: list[QuoteMention]
) -> list[tuple[int, date | None, date | None, QuoteMention]]:
    """The stored quotations of a speaker quoted within the window of ``group``'s days: ``(cluster pk,
    first day, last day, the representative as a mention)``, the latest first."""
    bounds = _span((m.day for m in group), rules.QUOTE_WINDOW_DAYS)
    if bounds is None:
        return []
    c = quote_clusters.c
    stmt = (
        sa.select(c.pk, c.content, c.speaker_name, c.first_day, c.last_day, c.quote_pk)
        .where(c.speaker_key == key, c.last_day >= bounds[0], c.first_day <= bounds[1])
        .order_by(c.last_day.desc())
        .limit(MAX_CANDIDATES)
    )
    return [
        (
            r.pk,
            iso_day(r.first_day),
            iso_day(r.last_day),
            QuoteMention(
                r.quote_pk or 0, 0, key, r.speaker_name, iso_day(r.last_day), quote_words(r.content)
            ),
        )
        for r in connection.execute(stmt)
    ]


def _in_window(day: date | None, first: date | None, last: date | None) -> bool:
    if day is None or first is None or last is None:
        return False
    pad = timedelta(days=rules.QUOTE_WINDOW_DAYS)
    return first - pad <= day <= last + pad


def assign_quotes(connection: sa.Connection, article_pk: int, reach: dict[int, list[str]]) -> set[int]:
    """Put each quote of a stored article that has a speaker into the best matching quotation, or a new
    one; return the stored clusters it joined. Quotes without a speaker are left unclustered.

    A quote is compared with each candidate quotation's representative (its first stored quote), which
    keeps the cost per quote to one comparison per quotation of its speaker in the window; a quotation
    the article itself started is always a candidate for its later quotes.
    """
    rows = _quote_rows(connection, quotes.c.article_pk == article_pk)
    groups: dict[str, list[tuple[Any, QuoteMention]]] = defaultdict(list)
    for row in rows:
        m = _quote_mention(row)
        if m is not None:
            groups[m.speaker_key].append((row, m))
    joined: set[int] = set()
    new: dict[int, list[Any]] = {}
    links: list[tuple[int, int]] = []
    for key, group in groups.items():
        candidates = _quote_candidates(connection, key, [m for _, m in group])
        for row, m in group:
            best_pk, best = None, None
            for cluster_pk, first, last, rep in candidates:
                s = quote_score(m, rep)
                if s is None or (best is not None and s <= best):
                    continue
                if cluster_pk < 0 or _in_window(m.day, first, last):
                    best_pk, best = cluster_pk, s
            if best_pk is None:
                best_pk = -1 - len(new)
                new[best_pk] = []
                candidates.append((best_pk, m.day, m.day, m))
            if best_pk < 0:
                new[best_pk].append(row)
            else:
                joined.add(best_pk)
            links.append((m.pk, best_pk))
    made = _create(connection, quote_clusters, new, _quote_values, reach)
    _link(connection, quotes, [(pk, made.get(c, c)) for pk, c in links])
    return joined


# -- the hooks the store calls ---------------------------------------------------------------------------


def clusters_of(connection: sa.Connection, article_pk: int) -> tuple[set[int], set[int]]:
    """The event and quote clusters an article's mentions belong to (read before the article is deleted)."""
    event_pks = connection.execute(
        sa.select(events.c.cluster_pk).where(
            events.c.article_pk == article_pk, events.c.cluster_pk.is_not(None)
        )
    ).scalars()
    quote_pks = connection.execute(
        sa.select(quotes.c.cluster_pk).where(
            quotes.c.article_pk == article_pk, quotes.c.cluster_pk.is_not(None)
        )
    ).scalars()
    return set(event_pks), set(quote_pks)


def on_article(
    connection: sa.Connection, article_pk: int, left: tuple[set[int], set[int]] = (set(), set())
) -> None:
    """Cluster a newly stored article's events and quotes and refresh every cluster they touch, with
    ``left``, the clusters of the version it replaced (from :func:`clusters_of`, before the delete)."""
    reach = _reach(connection, [article_pk])
    refresh_event_clusters(connection, assign_events(connection, article_pk, reach) | left[0])
    refresh_quote_clusters(connection, assign_quotes(connection, article_pk, reach) | left[1])


def on_publication(connection: sa.Connection, article_pk: int) -> None:
    """An article gained a publication (a duplicate from another outlet): recount its clusters."""
    event_pks, quote_pks = clusters_of(connection, article_pk)
    refresh_event_clusters(connection, event_pks)
    refresh_quote_clusters(connection, quote_pks)


def rebuild(connection: sa.Connection, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
    """Recompute every cluster of the store from scratch, articles in the order they were stored (as the
    incremental clustering saw them), after a change of rules or on a store made before clusters existed.

    ``progress(done, total)`` is called after each article. Returns the numbers of articles, event
    clusters and quote clusters.
    """
    connection.execute(sa.update(events).values(cluster_pk=None))
    connection.execute(sa.update(quotes).values(cluster_pk=None))
    connection.execute(sa.delete(event_clusters))
    connection.execute(sa.delete(quote_clusters))
    pks: Sequence[int] = connection.execute(sa.select(articles.c.pk).order_by(articles.c.pk)).scalars().all()
    for n, pk in enumerate(pks, 1):
        on_article(connection, pk)
        if progress is not None:
            progress(n, len(pks))
    count = sa.select(sa.func.count())
    return {
        "articles": len(pks),
        "event_clusters": connection.execute(count.select_from(event_clusters)).scalar_one(),
        "quote_clusters": connection.execute(count.select_from(quote_clusters)).scalar_one(),
    }
