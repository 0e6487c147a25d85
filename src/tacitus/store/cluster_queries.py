"""The SELECT statements behind ``Store.event_clusters`` and ``Store.quote_clusters`` (``tacitus clusters``).

As in :mod:`tacitus.store.queries`, each builder returns a Core ``Select`` whose labelled columns are the
keys of the dicts returned, the most useful first, in portable SQL. A cluster is listed with its counts and
the sentence (or words) of its representative mention, so a reader sees what the event was.
"""

from __future__ import annotations

import sqlalchemy as sa

from tacitus.store.queries import code_matches, day_range
from tacitus.store.schema import articles, event_clusters, events, quote_clusters, quotes

ORDERS = ("day", "sources")
"""How clusters are listed: by ``day`` (oldest first, as ``tacitus events``) or by ``sources`` (the most
widely reported first)."""


def event_clusters_select(
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    code: str | None = None,
    min_sources: int | None = None,
    order: str = "day",
    limit: int | None = None,
) -> sa.Select:
    """One row per event cluster with its counts and its representative event's actors and sentence.

    ``actor`` and ``code`` are case-insensitive prefixes of an actor code (source or target) and of the
    CAMEO code; ``since`` and ``until`` bound the cluster's first day; ``min_sources`` keeps clusters
    reported by at least that many outlets.
    """
    c, e, a = event_clusters, events, articles
    stmt = (
        sa.select(
            c.c.pk.label("cluster_id"),
            c.c.day.label("date"),
            c.c.last_day,
            c.c.source_code,
            e.c.source_name,
            c.c.code,
            e.c.plover,
            c.c.target_code,
            e.c.target_name,
            c.c.n_sources,
            c.c.n_articles,
            c.c.n_mentions,
            c.c.place_name.label("place"),
            e.c.sentence,
            c.c.root,
            c.c.quad_class,
            c.c.goldstein,
            c.c.negated,
            c.c.source_country,
            c.c.target_country,
            c.c.place_country,
            c.c.place_lat,
            c.c.place_lon,
            a.c.article_id,
            a.c.source.label("outlet"),
            c.c.event_pk,
            c.c.added_at,
        )
        .select_from(c)
        .outerjoin(e, e.c.pk == c.c.event_pk)
        .outerjoin(a, a.c.pk == e.c.article_pk)
    )
    if actor:
        stmt = stmt.where(sa.or_(code_matches(c.c.source_code, actor), code_matches(c.c.target_code, actor)))
    if code:
        stmt = stmt.where(code_matches(c.c.code, code))
    if min_sources:
        stmt = stmt.where(c.c.n_sources >= min_sources)
    stmt = stmt.where(*day_range(c.c.day, since, until))
    if order == "sources":
        stmt = stmt.order_by(c.c.n_sources.desc(), c.c.n_articles.desc(), c.c.day.asc().nulls_last(), c.c.pk)
    else:
        stmt = stmt.order_by(c.c.day.asc().nulls_last(), c.c.pk)
    return stmt.limit(limit) if limit is not None else stmt


def quote_clusters_select(
    actor: str | None = None,
    since: str | None = None,
    until: str | None = None,
    min_sources: int | None = None,
    order: str = "day",
    limit: int | None = None,
) -> sa.Select:
    """One row per quotation with its counts, its speaker and the words of its representative quote.

    ``actor`` is a case-insensitive prefix of the speaker's code; ``since`` and ``until`` bound the
    quotation's first day; ``min_sources`` keeps those printed by at least that many outlets.
    """
    c, q, a = quote_clusters, quotes, articles
    stmt = (
        sa.select(
            c.c.pk.label("cluster_id"),
            c.c.first_day.label("date"),
            c.c.last_day,
            c.c.speaker_name,
            c.c.speaker_code,
            c.c.n_sources,
            c.c.n_articles,
            c.c.n_quotes,
            c.c.content,
            q.c.kind,
            q.c.type,
            a.c.article_id,
            a.c.source.label("outlet"),
            c.c.quote_pk,
            c.c.added_at,
        )
        .select_from(c)
        .outerjoin(q, q.c.pk == c.c.quote_pk)
        .outerjoin(a, a.c.pk == q.c.article_pk)
    )
    if actor:
        stmt = stmt.where(code_matches(c.c.speaker_code, actor))
    if min_sources:
        stmt = stmt.where(c.c.n_sources >= min_sources)
    stmt = stmt.where(*day_range(c.c.first_day, since, until))
    if order == "sources":
        stmt = stmt.order_by(
            c.c.n_sources.desc(), c.c.n_articles.desc(), c.c.first_day.asc().nulls_last(), c.c.pk
        )
    else:
        stmt = stmt.order_by(c.c.first_day.asc().nulls_last(), c.c.pk)
    return stmt.limit(limit) if limit is not None else stmt


def members_select(cluster_id: int, what: str = "events") -> sa.Select:
    """The mentions of one cluster (``what``: events or quotes), each with its article, outlet and day, and
    why it is there: the member it matched when it joined (``via``, a ``pk`` of this listing; empty for the
    one that started the cluster), the match's ``score`` and, for events, its ``basis``."""
    a = articles
    if what == "quotes":
        q = quotes
        return (
            sa.select(
                q.c.pk, a.c.article_id, a.c.source.label("outlet"), a.c.published_day.label("date"),
                q.c.speaker_name, q.c.content, q.c.content_start, q.c.content_end, a.c.title, a.c.url,
                q.c.cluster_via.label("via"), q.c.cluster_score.label("score"),
            )
            .join_from(q, a, q.c.article_pk == a.c.pk)
            .where(q.c.cluster_pk == cluster_id)
            .order_by(q.c.pk)
        )  # fmt: skip
    e = events
    return (
        sa.select(
            e.c.pk, a.c.article_id, a.c.source.label("outlet"), e.c.day.label("date"), e.c.source_code, e.c.code,
            e.c.target_code, e.c.sentence, e.c.sentence_start, e.c.sentence_end, a.c.title, a.c.url,
            e.c.cluster_via.label("via"), e.c.cluster_basis.label("basis"), e.c.cluster_score.label("score"),
        )
        .join_from(e, a, e.c.article_pk == a.c.pk)
        .where(e.c.cluster_pk == cluster_id)
        .order_by(e.c.pk)
    )  # fmt: skip


def column_names(what: str) -> list[str]:
    """The columns a listing of ``events`` or ``quotes`` clusters (or ``members`` of an event cluster,
    ``quote-members`` of a quotation) returns, in order."""
    build = {
        "events": event_clusters_select,
        "quotes": quote_clusters_select,
        "members": lambda: members_select(0),
        "quote-members": lambda: members_select(0, "quotes"),
    }[what]
    stmt = build()
    return [column.key for column in stmt.selected_columns]
