"""Stored MinHash signatures and their LSH band keys: the store side of duplicate detection.

A run checks each new article against everything stored (:mod:`tacitus.ingest.dedup`). It does not load
the store: each stored article keeps, beside its signature (``signatures``), its LSH band keys
(``signature_bands``: band number, a 64-bit hash of the band's values, the article), and :func:`candidates`
asks for the articles sharing any band with the new one, one query answered from the (band, key) primary
key, then returns only their signatures for the decision. Memory and start-up do not grow with the store.

The store keeps what it is given and does not know how signatures or keys are made: a run hands it a
:class:`Signing`. ``signature_state`` records two things: ``banding``, the banding the band rows were made
with (so a change of parameters is seen and every key made again from the stored signatures), and
``complete``, the banding every stored article is known to have a signature and keys of. A run that finds
``complete`` equal to its banding starts at once; otherwise (a store from before revision 0009, articles
stored without a signature by ``--no-dedup`` or by :meth:`tacitus.store.Store.write` without provenance, a
new banding) :func:`tacitus.store.Store.prepare_signatures` makes what is missing first, in batches.

Band keys of many articles are written the way an index is built rather than one by one: staged in a
temporary table, then inserted in key order in one statement, so each page of the primary key is written
about once (one by one, a million articles' 51 million random keys would rewrite the tree many times
over). Functions here take an open connection, inside the caller's transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from tacitus.store.schema import articles, signature_bands, signature_state, signatures

BANDING = "banding"
COMPLETE = "complete"
# the value ``complete`` holds while a pass runs: a write that stores an article without a signature
# deletes it, so a pass overtaken by one (or stopped half-way) is never taken for a finished one
PENDING = "pending:"
# ``banding`` when articles with keys of two bandings were written (two versions of Tacitus on one store)
MIXED = "mixed"
# Articles signed per transaction (texts can be 200,000 characters) and signatures banded per batch: small
# enough that memory holds one batch, large enough that the per-statement cost is spread.
SIGN_BATCH = 200
BAND_BATCH = 5000
_STAGED = "tacitus_staged_bands"
_BY_ARTICLE = "ix_signature_bands_article_pk"
# The placeholder of the drivers whose own executemany and execute take tuples (SQLite's, psycopg's).
_POSITIONAL = {"qmark": "?", "format": "%s", "pyformat": "%s"}
_STAGED_PKS = "tacitus_staged_band_articles"

# The statements :func:`write` runs for every stored article, built once (as the write's others are in
# :mod:`tacitus.store.writing`): building them and their cache keys anew was half of write's 1 ms an article
# (of a 15 ms SQLite write of an AllSides article; issue 13: the Dask client stores every record, and its
# CPU per article bounds how many workers it feeds). They send the SQL the per-article ones did, but for
# the bound parameters' names; the values that vary (the article's, its banding) are bound parameters.
_cols = signature_state.c
_UNDO_COMPLETE = sa.delete(signature_state).where(_cols.name == COMPLETE)
_INSERT_SIGNATURE = sa.insert(signatures)
_INSERT_BANDS = sa.insert(signature_bands)
# ``kept``: the banding and its pending pass, the two values of ``complete`` an article with keys of that
# banding leaves standing (an expanding parameter, as ``not_in`` of a list makes)
_UNDO_OTHER_COMPLETE = sa.delete(signature_state).where(
    _cols.name == COMPLETE, _cols.value.not_in(sa.bindparam("kept", expanding=True))
)
_MARK_MIXED = (
    sa.update(signature_state)
    .where(_cols.name == BANDING, _cols.value != sa.bindparam("banding"))
    .values(value=MIXED)
)
_READ_STATE = sa.select(_cols.name, _cols.value)


@dataclass(frozen=True)
class Signing:
    """How a run makes signatures and band keys, for the articles stored without them.

    ``scheme`` and ``banding`` name the signature parameters and the banding
    (:data:`tacitus.ingest.dedup.SCHEME`, :func:`tacitus.ingest.dedup.band_scheme`); ``sign`` turns a stored
    text into signature bytes and its shingle count; ``band_pairs`` turns signatures into their
    ``(band, key)`` pairs (:func:`tacitus.ingest.dedup.signature_band_pairs`).
    """

    scheme: str
    banding: str
    sign: Callable[[str], tuple[bytes, int]]
    band_pairs: Callable[[Sequence[bytes]], list[list[tuple[int, int]]]]


def write(
    connection: sa.Connection,
    article_pk: int,
    signature: bytes | None,
    *,
    scheme: str | None = None,
    size: int = 0,
    pairs: Sequence[tuple[int, int]] = (),
    banding: str | None = None,
) -> None:
    """Store a new article's signature and band keys (``pairs``, of ``banding``), or note that it has none.

    An article stored without them is invisible to duplicate checks until a run makes them, so the store is
    no longer complete; keys of another banding than the stored ones make the store's banding mixed.
    """
    if signature is None or banding is None:
        connection.execute(_UNDO_COMPLETE)
    if signature is None:
        return
    connection.execute(
        _INSERT_SIGNATURE, {"article_pk": article_pk, "scheme": scheme, "size": size, "minhash": signature}
    )
    if banding is None:
        return
    if pairs:
        connection.execute(_INSERT_BANDS, [{"band": b, "key": k, "article_pk": article_pk} for b, k in pairs])
    connection.execute(_UNDO_OTHER_COMPLETE, {"kept": [banding, PENDING + banding]})
    connection.execute(_MARK_MIXED, {"banding": banding})


def state(connection: sa.Connection) -> dict[str, str]:
    """The rows of ``signature_state`` (``banding``, ``complete``) as a dict."""
    return dict(connection.execute(_READ_STATE).all())


def complete(connection: sa.Connection, banding: str) -> bool:
    """True when every stored article has a signature and band keys of ``banding`` (one indexed read)."""
    return state(connection).get(COMPLETE) == banding


def _put(connection: sa.Connection, name: str, value: str) -> None:
    """Set one state row (an upsert where the dialect has one: two runs may begin a pass at once)."""
    dialect = connection.dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        stmt = insert(signature_state).values(name=name, value=value)
        connection.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"value": value}))
        return
    connection.execute(sa.delete(signature_state).where(signature_state.c.name == name))
    connection.execute(sa.insert(signature_state), {"name": name, "value": value})


def begin(connection: sa.Connection, banding: str) -> bool:
    """Begin a pass that makes every article's signature and keys of ``banding``; True when the stored keys
    were of another banding and have been deleted (all are made again)."""
    rebuild = state(connection).get(BANDING) != banding
    if rebuild:
        connection.execute(sa.delete(signature_bands))
        _put(connection, BANDING, banding)
    _put(connection, COMPLETE, PENDING + banding)
    return rebuild


def finish(connection: sa.Connection, banding: str) -> bool:
    """End the pass :func:`begin` began; False when a write undid it meanwhile (the next run checks again)."""
    done = connection.execute(
        sa.update(signature_state)
        .where(signature_state.c.name == COMPLETE, signature_state.c.value == PENDING + banding)
        .values(value=banding)
    )
    return done.rowcount == 1


def sign_missing(
    connection: sa.Connection, signing: Signing, after: int, limit: int = SIGN_BATCH
) -> tuple[int, int] | None:
    """Sign up to ``limit`` stored articles past ``after`` (by pk) that have no signature of the scheme,
    from their stored text; return the last pk and how many (``None``: none left). Their keys are made by
    :func:`stage_missing` with the others'."""
    stmt = (
        sa.select(articles.c.pk, articles.c.text)
        .outerjoin(signatures, signatures.c.article_pk == articles.c.pk)
        .where(
            articles.c.pk > after,
            sa.or_(signatures.c.article_pk.is_(None), signatures.c.scheme != signing.scheme),
        )
        .order_by(articles.c.pk)
        .limit(limit)
    )
    found = connection.execute(stmt).all()
    if not found:
        return None
    pks = [pk for pk, _ in found]
    made = [(pk, *signing.sign(text)) for pk, text in found]
    connection.execute(sa.delete(signatures).where(signatures.c.article_pk.in_(pks)))
    # keys left from an earlier signature of these articles would hide that they need new ones
    connection.execute(sa.delete(signature_bands).where(signature_bands.c.article_pk.in_(pks)))
    connection.execute(
        sa.insert(signatures),
        [
            {"article_pk": pk, "scheme": signing.scheme, "size": size, "minhash": data}
            for pk, data, size in made
        ],
    )
    return pks[-1], len(pks)


def _insert_many(connection: sa.Connection, table: str, rows: list[tuple[int, ...]]) -> None:
    """Insert plain tuples into a staging table: through the driver's own executemany where it takes
    tuples (SQLAlchemy's per-row processing costs more than the insert), else through SQLAlchemy."""
    if not rows:
        return
    mark = _POSITIONAL.get(connection.dialect.paramstyle)
    if mark is not None:
        connection.exec_driver_sql(f"INSERT INTO {table} VALUES ({', '.join([mark] * len(rows[0]))})", rows)
        return
    names = [f"c{i}" for i in range(len(rows[0]))]
    values = ", ".join(f":{n}" for n in names)
    connection.execute(
        sa.text(f"INSERT INTO {table} VALUES ({values})"), [dict(zip(names, r, strict=True)) for r in rows]
    )


def create_stage(connection: sa.Connection) -> None:
    """Create this connection's temporary tables for :func:`stage_missing` (dropped by :func:`drop_stage`)."""
    columns = "band SMALLINT NOT NULL, key BIGINT NOT NULL, article_pk INTEGER NOT NULL"
    connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {_STAGED} ({columns})")
    connection.exec_driver_sql(f"CREATE TEMPORARY TABLE {_STAGED_PKS} (article_pk INTEGER NOT NULL)")


def drop_stage(connection: sa.Connection) -> None:
    """Drop the temporary tables of :func:`create_stage`."""
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {_STAGED}")
    connection.exec_driver_sql(f"DROP TABLE IF EXISTS {_STAGED_PKS}")


def stage_missing(
    connection: sa.Connection, signing: Signing, after: int, limit: int = BAND_BATCH
) -> tuple[int, int] | None:
    """Make the band keys of up to ``limit`` stored signatures past ``after`` (by article pk) that have none,
    into the stage; return the last pk and how many (``None``: none left)."""
    stmt = (
        sa.select(signatures.c.article_pk, signatures.c.minhash)
        .where(
            signatures.c.article_pk > after,
            signatures.c.scheme == signing.scheme,
            signatures.c.size > 0,  # a text with no words is never anyone's duplicate: no keys
            ~sa.exists().where(signature_bands.c.article_pk == signatures.c.article_pk),
        )
        .order_by(signatures.c.article_pk)
        .limit(limit)
    )
    found = connection.execute(stmt).all()
    if not found:
        return None
    pks = [pk for pk, _ in found]
    pairs = signing.band_pairs([bytes(data) for _, data in found])
    # the driver's executemany on plain tuples: SQLAlchemy's per-row processing costs more than the insert
    rows = [(band, key, pk) for pk, bands in zip(pks, pairs, strict=True) for band, key in bands]
    _insert_many(connection, _STAGED, rows)
    _insert_many(connection, _STAGED_PKS, [(pk,) for pk in pks])
    return pks[-1], len(pks)


def insert_staged(connection: sa.Connection, scheme: str) -> None:
    """Insert the staged keys into ``signature_bands`` in key order, leaving out articles deleted (or
    signed anew) since they were staged; keys another run wrote meanwhile are kept as they are."""
    gone = (
        f"SELECT p.article_pk FROM {_STAGED_PKS} p WHERE NOT EXISTS (SELECT 1 FROM signatures s "
        "WHERE s.article_pk = p.article_pk AND s.scheme = :scheme)"
    )
    if connection.execute(sa.text(gone + " LIMIT 1"), {"scheme": scheme}).first() is not None:
        # rare (a concurrent --reprocess): one scan of the stage to drop them
        connection.execute(sa.text(f"DELETE FROM {_STAGED} WHERE article_pk IN ({gone})"), {"scheme": scheme})
    # Into an empty table (a store's first keys, or all of them made again), the article index is built
    # after the rows, by one sort, rather than kept up to date row by row in an order that is random to it:
    # twice as fast on 10,000 articles, and more the larger the store. DDL is transactional on SQLite and
    # PostgreSQL, so no one sees the table without its index.
    empty = connection.execute(sa.select(signature_bands.c.band).limit(1)).first() is None
    by_article = next(index for index in signature_bands.indexes if index.name == _BY_ARTICLE)
    if empty:
        by_article.drop(connection)
    # WHERE true: SQLite needs a WHERE before ON CONFLICT in an INSERT ... SELECT
    connection.exec_driver_sql(
        f'INSERT INTO signature_bands (band, "key", article_pk) SELECT band, key, article_pk FROM {_STAGED} '
        "WHERE true ORDER BY band, key, article_pk ON CONFLICT DO NOTHING"
    )
    if empty:
        by_article.create(connection)


@functools.cache
def _candidates_sql(n: int, mark: str | None) -> str:
    """The candidate query for ``n`` band pairs, built once: with the driver's positional placeholder
    ``mark``, else with SQLAlchemy's named ones. The query runs once per article, and SQLAlchemy's
    building and binding of 103 parameters cost more than the query itself, so it is plain portable SQL."""
    scheme = mark or ":scheme"
    terms = " OR ".join(f'(band = {mark or f":b{i}"} AND "key" = {mark or f":k{i}"})' for i in range(n))
    return (
        "SELECT articles.content_hash, signatures.minhash, signatures.size FROM signatures "
        "JOIN articles ON articles.pk = signatures.article_pk "
        f"WHERE signatures.scheme = {scheme} AND signatures.article_pk IN "
        f"(SELECT article_pk FROM signature_bands WHERE {terms}) "
        "ORDER BY signatures.article_pk"
    )


def candidates(
    connection: sa.Connection, scheme: str, pairs: Sequence[tuple[int, int]]
) -> list[tuple[str, bytes, int]]:
    """``(content_hash, signature, size)`` of the stored articles whose signature is of ``scheme`` and
    shares any ``(band, key)`` pair with ``pairs``, oldest first: one query, each term a search of the
    bands' (band, key) primary key."""
    if not pairs:
        return []
    mark = _POSITIONAL.get(connection.dialect.paramstyle)
    if mark is not None:
        params = (scheme, *(value for pair in pairs for value in pair))
        rows = connection.exec_driver_sql(_candidates_sql(len(pairs), mark), params)
    else:
        named: dict[str, Any] = {"scheme": scheme}
        for i, (band, key) in enumerate(pairs):
            named[f"b{i}"], named[f"k{i}"] = band, key
        rows = connection.execute(sa.text(_candidates_sql(len(pairs), None)), named)
    return [(digest, bytes(data), size) for digest, data, size in rows]
