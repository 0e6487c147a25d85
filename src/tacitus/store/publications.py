"""Publications of stored articles, their MinHash signatures, and per-source boilerplate counts.

An *article* is a text analysed once; a *publication* is one outlet printing it: its source, URL, title,
date and input id. Every stored article has its ``original`` publication (the one analysed); a duplicate
found later (:mod:`tacitus.ingest.dedup`) adds an ``exact`` or ``near`` publication to it instead of a new
article, so counting distinct sources per article counts the outlets that printed the story.

A publication is identified by :func:`publication_key`, a hash of the text as read and the metadata that
names it, so rerunning the same inputs finds every publication already stored. Signatures (``signatures``)
let a later batch be checked against the store without reading old texts, and their LSH band keys
(``signature_bands``, :mod:`tacitus.store.bands`) let it ask for the few stored articles that could be a
new one's original without loading the store; counts of paragraph keys per source
(``boilerplate_sources``, ``boilerplate_lines``) let it strip the lines a site repeats
(:mod:`tacitus.ingest.learned`). Functions here take an open connection, inside the caller's transaction.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from tacitus.model import Article, Record
from tacitus.store import bands
from tacitus.store.rows import day_of
from tacitus.store.schema import boilerplate_lines, boilerplate_sources, publications

PUBLICATION_KINDS = ("original", "exact", "near")
# Paragraph keys are looked up in chunks: a batch can hold tens of thousands.
_CHUNK = 500


def publication_key(
    input_hash: str,
    article_id: str | None,
    url: str | None,
    source: str | None,
    title: str | None,
    published: str | None,
) -> str:
    """The identity of one publication: SHA-256 over the input text's hash and the fields naming it.

    Migration 0007 computes the same for articles stored before it (with their stored text's hash); the
    formula must never change, or reruns would take stored publications for new ones.
    """
    payload = json.dumps([input_hash, article_id, url, source, title, published], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def key_of(article: Article, input_hash: str) -> str:
    """:func:`publication_key` of an article as read (``input_hash``: its text's hash before cleaning)."""
    return publication_key(
        input_hash, article.id, article.url, article.source, article.title, article.published
    )


@dataclass
class Provenance:
    """What the store keeps about an analysed article besides its record.

    ``key``: its :func:`publication_key`; ``signature``, ``size`` and ``scheme``: its MinHash fingerprint
    (:class:`tacitus.ingest.dedup.Fingerprint` as bytes); ``bands`` and ``band_scheme``: the signature's
    ``(band, key)`` pairs and the name of their banding (:func:`tacitus.ingest.dedup.band_pairs`);
    ``source`` and ``lines``: the paragraph keys to add to that source's boilerplate counts (empty when the
    article is not counted).
    """

    key: str
    signature: bytes | None = None
    size: int = 0
    scheme: str | None = None
    source: str | None = None
    lines: Sequence[str] = ()
    bands: Sequence[tuple[int, int]] = ()
    band_scheme: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def publication_row(
    article_pk: int,
    key: str,
    kind: str,
    similarity: float | None,
    fields: Record | Article,
    origin: str | None,
) -> dict[str, Any]:
    """The ``publications`` row of one publication (``fields``: the record or article naming it)."""
    return {
        "article_pk": article_pk,
        "key": key,
        "kind": kind,
        "similarity": similarity,
        "article_id": fields.id,
        "title": fields.title,
        "published": fields.published,
        "published_day": day_of(fields.published),
        "url": fields.url,
        "source": fields.source,
        "origin": origin,
        "added_at": _now(),
    }


def write_original(
    connection: sa.Connection,
    article_pk: int,
    record: Record,
    article: Article | None,
    provenance: Provenance | None,
    digest: str,
    kept: Sequence[dict[str, Any]] = (),
) -> None:
    """Write what goes with a new article row: its original publication, its signature, its line counts,
    and ``kept``, the other publications of the version it replaces (re-pointed to the new row)."""
    origin = article.origin if article is not None else None
    if provenance is not None:
        key = provenance.key
    else:  # written without a run's provenance (the library's Store.write): the record names it
        key = publication_key(digest, record.id, record.url, record.source, record.title, record.published)
    connection.execute(
        sa.insert(publications), publication_row(article_pk, key, "original", None, record, origin)
    )
    if kept:
        connection.execute(sa.insert(publications), [{**row, "article_pk": article_pk} for row in kept])
    if provenance is None:
        bands.write(connection, article_pk, None)
        return
    bands.write(
        connection,
        article_pk,
        provenance.signature,
        scheme=provenance.scheme,
        size=provenance.size,
        pairs=provenance.bands,
        banding=provenance.band_scheme,
    )
    if provenance.source is not None and provenance.lines:
        add_counts(connection, provenance.source, provenance.lines)


def other_publications(connection: sa.Connection, article_pk: int) -> list[dict[str, Any]]:
    """The publications of an article other than its original, as rows to write again (no ``pk``)."""
    stmt = sa.select(publications).where(
        publications.c.article_pk == article_pk, publications.c.kind != "original"
    )
    return [{k: v for k, v in row.items() if k != "pk"} for row in connection.execute(stmt).mappings()]


def original_pk(connection: sa.Connection, key: str) -> int | None:
    """The article whose original publication has this key, if any."""
    stmt = sa.select(publications.c.article_pk).where(
        publications.c.key == key, publications.c.kind == "original"
    )
    return connection.execute(stmt).scalar()


@functools.cache
def _upsert_statement(dialect: str, table: sa.Table, keys: tuple[str, ...]) -> Any:
    """Insert a row, or add its ``n_articles`` to the stored row's: the dialect's upsert, made once per
    table (building and compiling it per article cost the client's write about 1 ms; issue 13), run for
    one row or many (executemany)."""
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        from sqlalchemy.dialects.postgresql import insert
    stmt = insert(table)
    update = {"n_articles": table.c.n_articles + stmt.excluded.n_articles}
    return stmt.on_conflict_do_update(index_elements=list(keys), set_=update)


def _upsert(
    connection: sa.Connection, table: sa.Table, rows: list[dict[str, Any]], keys: tuple[str, ...]
) -> None:
    """Insert each row, or add its ``n_articles`` to the stored row's (an upsert where the dialect has one:
    one statement for all the rows; elsewhere an update, then an insert when nothing was updated)."""
    name = connection.dialect.name
    if name in ("sqlite", "postgresql"):
        connection.execute(_upsert_statement(name, table, keys), rows)
        return
    for row in rows:
        where = [table.c[k] == row[k] for k in keys]
        done = connection.execute(
            sa.update(table).where(*where).values(n_articles=table.c.n_articles + row["n_articles"])
        )
        if done.rowcount == 0:
            connection.execute(sa.insert(table).values(row))


def add_counts(connection: sa.Connection, source: str, lines: Iterable[str]) -> None:
    """Count one more article of ``source`` with these paragraph keys."""
    _upsert(connection, boilerplate_sources, [{"source": source, "n_articles": 1}], ("source",))
    rows = [{"source": source, "line_key": key, "n_articles": 1} for key in dict.fromkeys(lines)]
    if rows:
        # one statement for the article's ~25 keys, not one each: building and compiling a statement per
        # key cost 7 of the 22 ms a SQLite write of an AllSides article took (300 articles, main-thread CPU)
        _upsert(connection, boilerplate_lines, rows, ("source", "line_key"))


def stored_counts(
    connection: sa.Connection, keys_by_source: Mapping[str, Iterable[str]]
) -> Iterator[tuple[str, int, dict[str, int], dict[str, str]]]:
    """For each source, its stored article count and the stored counts (and texts) of the given keys."""
    for source, keys in keys_by_source.items():
        n = connection.execute(
            sa.select(boilerplate_sources.c.n_articles).where(boilerplate_sources.c.source == source)
        ).scalar()
        if not n:
            continue
        keys = list(keys)
        counts: dict[str, int] = {}
        texts: dict[str, str] = {}
        for i in range(0, len(keys), _CHUNK):
            stmt = sa.select(
                boilerplate_lines.c.line_key, boilerplate_lines.c.n_articles, boilerplate_lines.c.text
            ).where(
                boilerplate_lines.c.source == source, boilerplate_lines.c.line_key.in_(keys[i : i + _CHUNK])
            )
            for key, count, text in connection.execute(stmt):
                counts[key] = count
                if text:
                    texts[key] = text
        yield source, n, counts, texts


def remember_texts(connection: sa.Connection, source: str, texts: Mapping[str, str]) -> None:
    """Keep the text of learned lines (only their keys are stored otherwise), for users to audit."""
    for key, text in texts.items():
        connection.execute(
            sa.update(boilerplate_lines)
            .where(
                boilerplate_lines.c.source == source,
                boilerplate_lines.c.line_key == key,
                boilerplate_lines.c.text.is_(None),
            )
            .values(text=text)
        )
