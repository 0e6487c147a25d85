"""Plain-SQL lookups beside an export's streamed rows, run on the driver's own connection.

Each reads a chunk's worth of rows by key (places, URLs, the tops of texts) with SQL whose keys are written
in as integer literals, the same on SQLite and PostgreSQL, so no statement is compiled per chunk. They take
either a SQLAlchemy ``Connection`` (run on its driver connection, so inside its transaction) or a DB-API
connection (``sqlite3``), and import neither SQLAlchemy nor the store: the GDELT export of a whole SQLite
store runs on :mod:`sqlite3` alone (:mod:`tacitus.export.gdelt`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

CHUNK = 5000
"""Rows fetched (and written) at a time: large enough that per-chunk lookups are few, small enough that
a chunk of the widest table (articles with their text) stays a few megabytes."""


OWN_PLACE = 0
"""``action_place`` of a GDELT row whose cluster's place is not among its article's places (no place has pk
0: SQLite and PostgreSQL number rows from 1)."""


def driver_of(connection: Any) -> Any:
    """The DB-API connection under ``connection`` (a SQLAlchemy ``Connection``), or ``connection`` itself."""
    return connection.connection.driver_connection if hasattr(connection, "dialect") else connection


def _pk_list(pks: Sequence[int]) -> str:
    # the keys come from the store's own integer columns; written into the SQL as literals, the lookup
    # needs no bound parameters, so no statement is compiled per chunk and the SQL is the same on both
    # databases (SQLAlchemy took longer to compile an IN list of thousands of keys than the query ran)
    return ",".join(str(int(pk)) for pk in sorted(set(pks)))


def lookup(connection: Any, sql: str) -> list[tuple]:
    """The rows of ``sql`` (a statement without parameters) as plain tuples from the driver, run on
    ``connection``'s own driver connection, so inside its transaction, and beside a streaming
    :func:`raw_chunks` cursor (this one is an ordinary client-side cursor on PostgreSQL too)."""
    cursor = driver_of(connection).cursor()
    try:
        cursor.execute(sql)
        return cursor.fetchall()
    finally:
        cursor.close()


def places_by_pk(connection: Any, place_pks: Sequence[int]) -> list[tuple]:
    """These places as (pk, name, country, lat, lon, kind, geonames_id), one query for a chunk's rows."""
    if not place_pks:
        return []
    return lookup(
        connection,
        "SELECT pk, name, country, lat, lon, kind, geonames_id "
        f"FROM places WHERE pk IN ({_pk_list(place_pks)})",
    )


def cluster_places(connection: Any, cluster_pks: Sequence[int]) -> list[tuple]:
    """These clusters' own places as (cluster pk, place name, country, lat, lon)."""
    if not cluster_pks:
        return []
    return lookup(
        connection,
        "SELECT pk, place_name, place_country, place_lat, place_lon "
        f"FROM event_clusters WHERE pk IN ({_pk_list(cluster_pks)})",
    )


def article_urls(connection: Any, article_pks: Sequence[int]) -> list[tuple]:
    """These articles' URLs (else their canonical URL) as (article pk, URL or None)."""
    if not article_pks:
        return []
    return lookup(
        connection,
        f"SELECT pk, coalesce(url, canonical_url) FROM articles WHERE pk IN ({_pk_list(article_pks)})",
    )


def sentence_starts(connection: Any, cluster_pks: Sequence[int]) -> list[tuple]:
    """Where the sentence of these clusters' representative events starts, as (cluster pk, offset)."""
    if not cluster_pks:
        return []
    return lookup(
        connection,
        "SELECT c.pk, e.sentence_start FROM event_clusters c JOIN events e ON e.pk = c.event_pk "
        f"WHERE c.pk IN ({_pk_list(cluster_pks)})",
    )


def article_places(connection: Any, article_pks: Sequence[int]) -> list[tuple]:
    """The places of these articles as (article_pk, name, country, kind, geonames_id), in article then
    text order, as plain tuples."""
    if not article_pks:
        return []
    return lookup(
        connection,
        "SELECT article_pk, name, country, kind, geonames_id "
        f"FROM places WHERE article_pk IN ({_pk_list(article_pks)}) ORDER BY article_pk, seq",
    )


def languages(connection: Any, article_pks: Sequence[int]) -> dict[int, str | None]:
    """The language of each of these articles, by article pk."""
    if not article_pks:
        return {}
    return dict(
        lookup(connection, f"SELECT pk, language FROM articles WHERE pk IN ({_pk_list(article_pks)})")
    )


def text_heads(connection: Any, article_pks: Sequence[int], chars: int) -> dict[int, str]:
    """The first ``chars`` characters of these articles' texts (for the lead), by article pk."""
    if not article_pks:
        return {}
    sql = f"SELECT pk, substr(text, 1, {int(chars)}) FROM articles WHERE pk IN ({_pk_list(article_pks)})"
    return {pk: head or "" for pk, head in lookup(connection, sql)}
