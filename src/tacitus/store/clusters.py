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

Reading stored rows as mentions and writing cluster rows from their members is
:mod:`tacitus.store.cluster_rows`; here is the assignment and the hooks the store calls.

Functions take an open connection inside the caller's transaction (``Store._write``,
``Store.add_publication``), so an article and its cluster links are stored together or not at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from tacitus.store import cluster_rules as rules
from tacitus.store import quote_rules
from tacitus.store.cluster_rows import (
    Link,
    _create,
    _event_rows,
    _event_values,
    _has_links,
    _link,
    _mention,
    _quote_mention,
    _quote_rows,
    _quote_values,
    _reach,
    _stories,
    _write_story,
    event_select,  # noqa: F401 - tools and the scorer read events as the clustering does
    refresh_event_clusters,
    refresh_quote_clusters,
)
from tacitus.store.cluster_rules import Mention, event_match, iso_day, keys_compatible, other_people
from tacitus.store.quote_rules import QuoteMention, quote_score, quote_words
from tacitus.store.schema import (
    articles,
    event_clusters,
    events,
    quote_clusters,
    quotes,
)

MAX_CANDIDATES = 200
"""At most this many candidate clusters (the latest first) are read for one mention: in a store of
millions, one dyad and root can have many clusters within the window, and the nearest in time matter."""

MAX_MEMBERS = 50
"""At most this many members of each candidate cluster (the first stored) are compared with a mention."""


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


PERIOD_READ_DAYS = 31
"""A mention whose period ("last week", "in October") is this long or shorter also reads the clusters of
its period's days, not only of its article's; a year's would read too many to be worth it."""


def _reach_days(m: Mention) -> list[date | None]:
    """The days whose clusters a mention's candidates are read from: its day, and the ends of a short
    :attr:`~Mention.period` (:data:`PERIOD_READ_DAYS`)."""
    if m.period is not None and (m.period[1] - m.period[0]).days < PERIOD_READ_DAYS:
        return [m.day, *m.period]
    return [m.day]


def _event_reads(group: list[Mention]) -> list[tuple[str, list[Any]]]:
    """The candidate reads for mentions sharing one key, as ``WHERE`` clauses of ``event_clusters`` with
    their values (none when no mention has a day): the clusters of the same root and negation with
    compatible countries (index ``ix_event_clusters_root_days``; an unknown country on either side is
    compatible, cluster_rules.keys_compatible) and, when both countries are known, those of the same dyad
    under another root (``ix_event_clusters_dyad_days``), their days reaching within the window of the
    mentions' days."""
    bounds = _span((d for m in group for d in _reach_days(m)), rules.EVENT_WINDOW_DAYS)
    if bounds is None:
        return []
    first = group[0]
    root, source, target = first.root, first.source_country, first.target_country
    window, in_window = "negated = ? AND last_day >= ? AND day <= ?", [first.negated, *bounds]
    compatible, with_countries = window, list(in_window)
    for column, value in (("source_country", source), ("target_country", target)):
        if value is not None:
            compatible += f" AND ({column} = ? OR {column} IS NULL)"
            with_countries.append(value)
    reads = [("root = ? AND " + compatible, [root, *with_countries])]
    if source is not None and target is not None:
        reads.append(("source_country = ? AND target_country = ? AND root <> ? AND " + window,
                      [source, target, root, *in_window]))  # fmt: skip
    return reads


READS_PER_STATEMENT = 40
"""At most this many candidate reads (each with its own ``LIMIT``) are sent as one statement."""

_POSITIONAL = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def _limited_reads(
    connection: sa.Connection, table: str, columns: str, reads: list[tuple[Any, str, list[Any]]]
) -> list[tuple[Any, Any]]:
    """Run each read ``(tag, where, values)`` of ``table``: its ``columns``, the latest ``last_day`` first
    and ``pk`` breaking ties (so that both databases keep the same candidates at the limit), at most
    :data:`MAX_CANDIDATES` rows; return ``(tag, row)`` for every row, each read's rows in that order.

    :data:`READS_PER_STATEMENT` reads go as one ``UNION ALL`` statement, in plain SQL run by the driver:
    one round trip instead of one a read, and no statement for SQLAlchemy to build and compile (an
    article's reads differ in number and kind from the next article's, so a compiled union was rarely
    reused: building and compiling it cost more than the reads it saved)."""
    found: list[tuple[Any, Any]] = []
    mark = _POSITIONAL.get(connection.dialect.paramstyle)
    for i in range(0, len(reads), READS_PER_STATEMENT):
        chunk = reads[i : i + READS_PER_STATEMENT]
        parts: list[str] = []
        values: list[Any] = []
        for n, (_, where, params) in enumerate(chunk):
            parts.append(
                f"SELECT {n} AS k, r{n}.* FROM (SELECT {columns} FROM {table} WHERE {where}"
                f" ORDER BY last_day DESC, pk DESC LIMIT ?) r{n}"
            )
            values += [*params, MAX_CANDIDATES]
        sql = " UNION ALL ".join(parts) + " ORDER BY k, last_day DESC, pk DESC"
        if mark is None:  # a driver of named parameters only: through SQLAlchemy's text
            names = [f"p{j}" for j in range(len(values))]
            pieces = sql.split("?")
            sql = pieces[0] + "".join(f":{name}{rest}" for name, rest in zip(names, pieces[1:], strict=True))
            result = connection.execute(sa.text(sql), dict(zip(names, values, strict=True)))
        else:
            result = connection.exec_driver_sql(sql.replace("?", mark), tuple(values))
        found += [(chunk[row.k][0], row) for row in result]
    return found


def _event_candidates_of(
    connection: sa.Connection, groups: list[list[Mention]]
) -> list[dict[int, list[Mention]]]:
    """For each group of mentions sharing one key, the stored clusters (with up to :data:`MAX_MEMBERS`
    members each, the first stored) it may join (:func:`_event_reads`): the reads of all the groups in
    one statement, the members of all their clusters in one read, each member made a mention once. Each
    group's clusters come in the order of their first member's ``pk``, as a read of that group's clusters
    alone gives them (the best score's ties go to the first)."""
    reads = [(n, where, values) for n, group in enumerate(groups) for where, values in _event_reads(group)]
    wanted: list[set[int]] = [set() for _ in groups]
    for n, row in _limited_reads(connection, "event_clusters", "pk, last_day", reads):
        wanted[n].add(row.pk)
    pks = sorted(set().union(*wanted))
    rows: list[Any] = []
    for i in range(0, len(pks), 500):
        rows.extend(_event_rows(connection, events.c.cluster_pk.in_(pks[i : i + 500])))
    if len(pks) > 500:
        rows.sort(key=lambda r: r.pk)
    found: dict[int, list[Any]] = {}
    for row in rows:
        members = found.setdefault(row.cluster_pk, [])
        if len(members) < MAX_MEMBERS:
            members.append(row)
    stories = _stories(connection, (r.article_pk for rows in found.values() for r in rows))
    made = {pk: [_mention(r, stories) for r in rows] for pk, rows in found.items()}
    return [{pk: members for pk, members in made.items() if pk in keep} for keep in wanted]


def _key(m: Mention) -> tuple[str, bool, str | None, str | None]:
    return (m.root, m.negated, m.source_country, m.target_country)


def _cluster_matches(
    m: Mention, candidates: dict[int, list[Mention]]
) -> dict[int, tuple[Mention, float, str]]:
    """For each cluster whose every member fits ``m`` (:func:`_fits`: a compatible key, no other person named
    on one side, so an unknown country or an unnamed actor may not bridge two known ones, and not told apart
    by :func:`~tacitus.store.cluster_rules.told_apart`) and holds a member ``m`` matches, that member with
    the match's score and basis (:func:`event_match`; the first of equal scores), in candidate order."""
    found: dict[int, tuple[Mention, float, str]] = {}
    for cluster_pk, members in candidates.items():
        if not all(_fits(m, x) for x in members):
            continue
        for member in members:
            match = event_match(m, member)
            if match is not None and (cluster_pk not in found or match[0] > found[cluster_pk][1]):
                found[cluster_pk] = (member, *match)
    return found


def _best_event_cluster(
    m: Mention, candidates: dict[int, list[Mention]]
) -> tuple[int, Mention, float, str] | None:
    """The cluster holding the member that best matches ``m`` among :func:`_cluster_matches` (the first of
    equal scores): ``(cluster, member, score, basis)``, or None."""
    return _best_of(_cluster_matches(m, candidates))


def _best_of(matches: dict[int, tuple[Mention, float, str]]) -> tuple[int, Mention, float, str] | None:
    best: tuple[int, Mention, float, str] | None = None
    for cluster_pk, (member, score, basis) in matches.items():
        if best is None or score > best[2]:
            best = (cluster_pk, member, score, basis)
    return best


def _mergeable(
    best_pk: int, members: list[Mention], matches: dict[int, tuple[Mention, float, str]],
    pool: dict[int, list[Mention]],
) -> list[tuple[int, float]]:  # fmt: skip
    """The stored clusters other than ``best_pk`` (whose ``members`` a mention joins) that are the same event
    as it: among its ``matches`` (:func:`_cluster_matches`: every member fits the mention), those it matches
    with a score of at least :data:`~tacitus.store.cluster_rules.MERGE_SIMILARITY` whose every member fits
    together with every member of the cluster it joins (:func:`_fit_together`); each with that score. A
    report that matches two clusters well joins them: they were one event whose first reports had too few
    words in common."""
    return [
        (pk, score)
        for pk, (_, score, _) in matches.items()
        if pk != best_pk
        and pk > 0
        and score >= rules.MERGE_SIMILARITY
        and all(_fit_together(x, y) for x in pool[pk] for y in members)
    ]


def _fit_together(a: Mention, b: Mention) -> bool:
    """Whether members of two clusters may be one event: they fit (:func:`_fits`), with compatible moods,
    roles not reversed, compatible places, and days within the window (periods and undated mentions as
    :func:`~tacitus.store.cluster_rules.day_gap` reads them)."""
    gap = rules.day_gap(a, b)
    return (
        _fits(a, b)
        and rules.moods_compatible(a, b)
        and not rules.reversed_actors(a, b)
        and rules.places_compatible(a, b)
        and gap is not None
        and gap <= rules.EVENT_WINDOW_DAYS
    )


def _fits(a: Mention, b: Mention) -> bool:
    """Whether two mentions may be members of one cluster (keys, persons, told apart, one act and a
    summary of many, captions of two stated days)."""
    return (
        keys_compatible(a, b)
        and not other_people(a, b)
        and not rules.told_apart(a, b)
        and not rules.one_and_many(a, b)
        and not rules.captions_of_two_days(a, b)
    )


def _merge(connection: sa.Connection, other_pk: int, best_pk: int, via_pk: int, score: float) -> None:
    """Move the members of cluster ``other_pk`` into ``best_pk``: the mention that started it now joined
    through ``via_pk`` (the mention matching both), on basis ``merged`` with ``score``, so that every member
    still leads to the cluster's first (the cluster row is deleted when refreshed empty)."""
    if _has_links(connection):
        connection.execute(
            sa.update(events)
            .where(events.c.cluster_pk == other_pk, events.c.cluster_via.is_(None))
            .values(cluster_via=via_pk, cluster_score=round(score, 4), cluster_basis="merged")
        )
    connection.execute(sa.update(events).where(events.c.cluster_pk == other_pk).values(cluster_pk=best_pk))


def assign_events(connection: sa.Connection, article_pk: int, reach: dict[int, list[str]]) -> set[int]:
    """Put each event of a stored article into the best matching cluster, or a new one; return the
    stored clusters it joined (their counts and days are stale until :func:`refresh_event_clusters`).

    The article's events are taken by key (root, negation, countries), the candidates of all keys read at
    once (:func:`_event_candidates_of`); each
    joins the cluster holding its best-scoring member (:func:`~tacitus.store.cluster_rules.event_match`),
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
    links: list[Link] = []
    for group, candidates in zip(
        groups.values(), _event_candidates_of(connection, list(groups.values())), strict=True
    ):
        for m in group:
            pool = {**candidates, **local}
            matches = _cluster_matches(m, pool)
            best = _best_of(matches)
            if best is None:
                best_pk = -1 - len(new)
                new[best_pk] = []
                links.append(Link(m.pk, best_pk))
            else:
                best_pk, via, score, basis = best
                links.append(Link(m.pk, best_pk, via.pk, score, basis))
            members = local.setdefault(best_pk, list(pool.get(best_pk, [])))
            if best_pk > 0:
                for other_pk, merge_score in _mergeable(best_pk, members, matches, pool):
                    _merge(connection, other_pk, best_pk, m.pk, merge_score)
                    members.extend(pool[other_pk])
                    for held in (candidates, local):
                        held.pop(other_pk, None)
                    joined.add(other_pk)  # refreshed with the rest: left empty, it is deleted
            members.append(m)
            if best_pk < 0:
                new[best_pk].append(by_pk[m.pk])
            else:
                joined.add(best_pk)
    made = _create(connection, event_clusters, new, _event_values, reach)
    _link(connection, events, links, made)
    return joined


def _quote_candidates_of(
    connection: sa.Connection, groups: dict[str, list[QuoteMention]]
) -> dict[str, list[tuple[int, date | None, date | None, QuoteMention]]]:
    """For each speaker key, the stored quotations of that speaker quoted within the window of its
    group's days: ``(cluster pk, first day, last day, the representative as a mention)``, the latest first
    and ``pk`` breaking ties (the first of equal scores wins, so the order must be the same on both
    databases: PostgreSQL's sort left ties in any order and a quote joined another quotation than on
    SQLite, whose index gives this order); every speaker's read in one statement (:func:`_limited_reads`)."""
    reads = []
    for key, group in groups.items():
        bounds = _span((m.day for m in group), quote_rules.QUOTE_WINDOW_DAYS)
        if bounds is not None:
            reads.append((key, "speaker_key = ? AND last_day >= ? AND first_day <= ?", [key, *bounds]))
    found: dict[str, list[tuple[int, date | None, date | None, QuoteMention]]] = {key: [] for key in groups}
    columns = "pk, content, speaker_name, first_day, last_day, quote_pk"
    for key, r in _limited_reads(connection, "quote_clusters", columns, reads):
        mention = QuoteMention(
            r.quote_pk or 0, 0, key, r.speaker_name, iso_day(r.last_day), quote_words(r.content)
        )
        found[key].append((r.pk, iso_day(r.first_day), iso_day(r.last_day), mention))
    return found


def _in_window(day: date | None, first: date | None, last: date | None) -> bool:
    if day is None or first is None or last is None:
        return False
    pad = timedelta(days=quote_rules.QUOTE_WINDOW_DAYS)
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
    links: list[Link] = []
    read = _quote_candidates_of(connection, {key: [m for _, m in group] for key, group in groups.items()})
    for key, group in groups.items():
        candidates = read[key]
        for row, m in group:
            best_pk, best, via = None, None, None
            for cluster_pk, first, last, rep in candidates:
                s = quote_score(m, rep)
                if s is None or (best is not None and s <= best):
                    continue
                if cluster_pk < 0 or _in_window(m.day, first, last):
                    best_pk, best, via = cluster_pk, s, rep
            if via is None:
                best_pk = -1 - len(new)
                new[best_pk] = []
                candidates.append((best_pk, m.day, m.day, m))
                links.append(Link(m.pk, best_pk))
            else:
                links.append(Link(m.pk, best_pk, via.pk, best))
            if best_pk < 0:
                new[best_pk].append(row)
            else:
                joined.add(best_pk)
    made = _create(connection, quote_clusters, new, _quote_values, reach)
    _link(connection, quotes, links, made)
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
    why = ["cluster_via", "cluster_score"] if _has_links(connection) else []
    connection.execute(sa.update(quotes).values(dict.fromkeys(["cluster_pk", *why])))
    basis = ["cluster_basis"] if why else []
    connection.execute(sa.update(events).values(dict.fromkeys(["cluster_pk", *why, *basis])))
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
