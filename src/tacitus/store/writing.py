"""Writing records into the store: :class:`StoreWriting`, the half of :class:`tacitus.store.Store` that
changes the database (records, publications, signatures, learned boilerplate, clusters rebuilt).

An article's identity is the SHA-256 of its text (:func:`~tacitus.model.content_hash`): writing the same
text again is skipped unless ``reprocess=True``, which replaces the stored rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc

from tacitus.errors import StoreUnavailable, TacitusError
from tacitus.model import Article, Record, content_hash
from tacitus.store import bands, clusters, retry, rows
from tacitus.store import publications as pubs
from tacitus.store.connect import WRITE, one_writer
from tacitus.store.publications import Provenance
from tacitus.store.schema import actors, articles, events, places, publications, quotes, times

# Statements every write runs, built once: building them (and their cache keys) anew for each article cost
# 0.7-1.1 ms of a 12 ms write (300 AllSides records into SQLite; issue 13: the Dask client stores every
# record on SQLite, and its CPU per article bounds how many workers it feeds)
_PK_OF_HASH = sa.select(articles.c.pk).where(articles.c.content_hash == sa.bindparam("digest"))
_PLACE_KEYS = sa.select(places.c.seq, places.c.pk).where(places.c.article_pk == sa.bindparam("article_pk"))
_INSERT_ARTICLE = sa.insert(articles)


class RecordRejected(TacitusError):
    """The database refused a record (a missing required value, a value of the wrong type); nothing of it
    was stored."""


class StoreWriting:
    """The writing methods of :class:`tacitus.store.Store` (which sets these attributes)."""

    engine: sa.Engine
    url: str
    _stored_event_columns: frozenset[str] | None  # see _event_columns

    def write(
        self,
        record: Record,
        article: Article | None = None,
        *,
        reprocess: bool = False,
        provenance: Provenance | None = None,
    ) -> str:
        """Store one record (and its input article's ``meta`` and ``origin``) in one transaction.

        Returns ``"inserted"``, ``"skipped"`` when an article with the same text (:func:`content_hash`)
        is already stored, or ``"replaced"`` when ``reprocess`` is true and the old rows were deleted and
        the new ones written. If any row fails, nothing of this article is stored (and, on replace, the
        old version stays). Raises ``RecordRejected`` when the database refuses a value and
        ``StoreUnavailable`` when the database cannot be written (locked, read-only, disk full).

        The article's original publication is stored with it (:mod:`tacitus.store.publications`), and with
        a run's ``provenance`` its signature and its paragraph counts too; on replace, the version found by
        text or, with ``provenance``, by its original publication, and its other publications stay.
        """
        digest = content_hash(record.text)
        try:
            return retry.retrying(
                lambda: self._write(record, article, digest, reprocess, provenance), self.url
            )
        except exc.IntegrityError as error:
            # Another process stored the same text between our check and our insert (PostgreSQL; SQLite
            # serialises writers): that is a skip, not a failure.
            if not reprocess and self.has_hash(digest):
                return "skipped"
            raise RecordRejected(self._reason(record, error)) from error
        except (exc.OperationalError, exc.InterfaceError, exc.ProgrammingError, exc.InternalError) as error:
            # The database itself is at fault (locked, read-only, gone, schema dropped): every later write
            # would fail too, so this must stop a batch rather than be counted against one article.
            raise retry.unwritable(self.url, self._orig(error)) from error
        except exc.StatementError as error:
            raise RecordRejected(self._reason(record, error)) from error
        except (TypeError, ValueError) as error:
            # A malformed record (a span that is not a pair, a non-JSON value): reject this one article.
            raise RecordRejected(self._reason(record, error)) from error

    def _write(
        self,
        record: Record,
        article: Article | None,
        digest: str,
        reprocess: bool,
        provenance: Provenance | None,
    ) -> str:
        from tacitus import __version__

        with self.engine.connect() as connection:
            connection.execution_options(**{WRITE: True})
            with connection.begin():
                existing = connection.execute(_PK_OF_HASH, {"digest": digest}).scalar()
                if existing is None and reprocess and provenance is not None:
                    # the text changed since (a line learned as boilerplate): the same publication says which
                    existing = pubs.original_pk(connection, provenance.key)
                status = "inserted"
                kept: list[dict[str, Any]] = []
                left: tuple[set[int], set[int]] = (set(), set())
                if existing is not None:
                    if not reprocess:
                        return "skipped"
                    kept = pubs.other_publications(connection, existing)
                    # the clusters its mentions leave, recounted once the new version has joined its own
                    left = clusters.clusters_of(connection, existing)
                    # Children go with it through ON DELETE CASCADE.
                    connection.execute(sa.delete(articles).where(articles.c.pk == existing))
                    status = "replaced"
                row = rows.article_row(record, article, digest, __version__)
                pk = connection.execute(_INSERT_ARTICLE, row).inserted_primary_key[0]
                for table, build in (
                    (actors, rows.actor_rows),
                    (quotes, rows.quote_rows),
                    (times, rows.time_rows),
                    (places, rows.place_rows),
                ):
                    child_rows = build(record, pk)
                    if child_rows:
                        connection.execute(sa.insert(table), child_rows)
                event_rows = rows.event_rows(record, pk)
                if event_rows:
                    stored_columns = self._event_columns(connection)
                    later = [name for name in event_rows[0] if name not in stored_columns]
                    for row in event_rows if later else ():
                        for name in later:
                            del row[name]
                    if set(rows.GDELT_FIELDS) <= stored_columns and record.places:
                        # after the places: each event keeps the keys of the places a GDELT row takes from it
                        stored = connection.execute(_PLACE_KEYS, {"article_pk": pk})
                        rows.link_places(event_rows, record, {seq: key for seq, key in stored})
                    connection.execute(sa.insert(events), event_rows)
                pubs.write_original(connection, pk, record, article, provenance, digest, kept)
                # after the publications, so the clusters count every outlet that printed the article;
                # one writer at a time, so that it sees every article clustered before it whole
                one_writer(connection)
                clusters.on_article(connection, pk, left)
                return status

    def _event_columns(self, connection: sa.Connection) -> frozenset[str]:
        """The columns ``events`` has: a Store made on a database of an older schema (``Store(engine)``
        does not migrate, as tests of older stores do) writes its events without the later ones (revision
        0013's GDELT fields, 0017's period), as it writes clusters without stories before revision 0011."""
        if self._stored_event_columns is None:
            names = {c["name"] for c in sa.inspect(connection).get_columns(events.name)}
            self._stored_event_columns = frozenset(names)
        return self._stored_event_columns

    def write_many(
        self,
        items: Iterable[Record | tuple[Record, Article | None]],
        *,
        reprocess: bool = False,
        on_error: Callable[[Record, TacitusError], None] | None = None,
    ) -> dict[str, int]:
        """Store many records, each in its own transaction, and return counts by status.

        ``items`` are records or ``(record, article)`` pairs. The result always has the keys
        ``inserted``, ``skipped``, ``replaced`` and ``failed``. Without ``on_error`` a rejected record
        raises ``RecordRejected`` (the records before it stay stored); with it, the record and the error
        are passed to ``on_error``, counted as ``failed``, and the batch goes on. ``StoreUnavailable``
        always stops the batch, since every later write would fail too.
        """
        counts: Counter[str] = Counter({"inserted": 0, "skipped": 0, "replaced": 0, "failed": 0})
        for item in items:
            record, article = item if isinstance(item, tuple) else (item, None)
            try:
                counts[self.write(record, article, reprocess=reprocess)] += 1
            except RecordRejected as error:
                if on_error is None:
                    raise
                on_error(record, error)
                counts["failed"] += 1
        return dict(counts)

    def add_publication(
        self, of: str, article: Article, *, key: str, kind: str, similarity: float | None = None
    ) -> str:
        """Store ``article`` as another publication of the stored article whose text has hash ``of``.

        ``key`` is its :func:`~tacitus.store.publications.publication_key`, ``kind`` ``exact`` or ``near``,
        ``similarity`` the Jaccard estimate. Returns ``"duplicate"``, or ``"unchanged"`` when a publication
        with this key is stored already. Raises ``RecordRejected`` when no article has that hash.
        """
        if kind not in pubs.PUBLICATION_KINDS[1:]:
            raise ValueError(f"unknown publication kind {kind!r}; expected exact or near")

        def add() -> str:
            with self.engine.connect() as connection:
                connection.execution_options(**{WRITE: True})
                with connection.begin():
                    one_writer(connection)
                    if connection.execute(
                        sa.select(publications.c.pk).where(publications.c.key == key)
                    ).first():
                        return "unchanged"
                    pk = connection.execute(
                        sa.select(articles.c.pk).where(articles.c.content_hash == of)
                    ).scalar()
                    if pk is None:
                        raise RecordRejected(
                            f"{article.origin or article.id}: the article it duplicates ({of[:12]}) is not stored"
                        )
                    row = pubs.publication_row(pk, key, kind, similarity, article, article.origin)
                    connection.execute(sa.insert(publications), row)
                    clusters.on_publication(connection, pk)
                    return "duplicate"

        try:
            return retry.retrying(add, self.url)
        except (exc.OperationalError, exc.InterfaceError, exc.ProgrammingError, exc.InternalError) as error:
            raise retry.unwritable(self.url, self._orig(error)) from error

    def publication_status(self, key: str) -> str | None:
        """The kind of the stored publication with this key (``original``, ``exact``, ``near``), or None."""
        statement = sa.select(publications.c.kind).where(publications.c.key == key)
        return retry.on_connection(self.engine, self.url, lambda c: c.execute(statement).scalar())

    def prepare_signatures(self, signing: bands.Signing) -> int:
        """Make sure every stored article has a signature and band keys as ``signing`` makes them, so a
        duplicate check can query the store (:meth:`signature_candidates`); return how many were made.

        Cheap when nothing is missing: one row of ``signature_state`` says so. Otherwise (a store from
        before revision 0009, articles stored without a signature, a new banding) it signs the articles
        that lack a signature from their stored text and makes the keys of the signatures that lack them,
        in batches, so memory stays flat (:mod:`tacitus.store.bands`). A pass that is stopped is done again
        by the next run. Two runs starting at once on PostgreSQL may deadlock here: the loser's pass is run
        again (:func:`tacitus.store.retry.retrying`), and finds less or nothing left to do.
        """
        try:
            return retry.retrying(lambda: self._prepare_signatures(signing), self.url)
        except (exc.OperationalError, exc.InterfaceError, exc.ProgrammingError, exc.InternalError) as error:
            raise retry.unwritable(self.url, self._orig(error)) from error

    def _prepare_signatures(self, signing: bands.Signing) -> int:
        # one connection for the whole pass; prepare_signatures runs it again whole after a deadlock
        with self.engine.connect() as connection:
            if bands.complete(connection, signing.banding):
                return 0
            connection.rollback()
            connection.execution_options(**{WRITE: True})
            with connection.begin():
                bands.begin(connection, signing.banding)
            made = 0
            done: tuple[int, int] | None = (0, 0)
            while done is not None:
                with connection.begin():
                    done = bands.sign_missing(connection, signing, done[0])
                made += done[1] if done else 0
            with connection.begin():
                bands.create_stage(connection)
            try:
                done = (0, 0)
                while done is not None:
                    # into this connection's own stage: the keys go in below, in one sorted statement
                    with connection.begin():
                        done = bands.stage_missing(connection, signing, done[0])
                    made += done[1] if done else 0
                with connection.begin():
                    bands.insert_staged(connection, signing.scheme)
                    bands.finish(connection, signing.banding)
            finally:
                with connection.begin():
                    bands.drop_stage(connection)
            return made

    def signature_candidates(
        self, scheme: str, pairs: Sequence[tuple[int, int]]
    ) -> list[tuple[str, bytes, int]]:
        """``(content_hash, signature, size)`` of the stored articles sharing an LSH band with ``pairs``
        (a fingerprint's ``(band, key)`` pairs), oldest first: what a duplicate check compares a new
        article with, found by one indexed query instead of an index of the whole store in memory."""
        return retry.on_connection(self.engine, self.url, lambda c: bands.candidates(c, scheme, pairs))

    def boilerplate_counts(
        self, keys_by_source: Mapping[str, Iterable[str]]
    ) -> list[tuple[str, int, dict[str, int], dict[str, str]]]:
        """Stored per-source counts for these paragraph keys: ``(source, articles, counts, texts)``."""
        return retry.on_connection(
            self.engine, self.url, lambda c: list(pubs.stored_counts(c, keys_by_source))
        )

    def remember_boilerplate(self, source: str, texts: dict[str, str]) -> None:
        """Keep the text of the lines learned as ``source``'s boilerplate, for :meth:`learned_boilerplate`."""

        def remember(connection: sa.Connection) -> None:
            connection.execution_options(**{WRITE: True})
            with connection.begin():
                one_writer(connection)
                pubs.remember_texts(connection, source, texts)

        retry.on_connection(self.engine, self.url, remember)

    def has_hash(self, digest: str) -> bool:
        """True when an article whose text has this :func:`content_hash` is stored (an indexed lookup)."""
        statement = sa.select(articles.c.pk).where(articles.c.content_hash == digest)
        return retry.on_connection(self.engine, self.url, lambda c: c.execute(statement).first() is not None)

    def rebuild_clusters(self, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        """Recompute every cluster from the stored events and quotes, in one transaction (after the rules
        changed, or for a store written before clusters existed); see :func:`tacitus.store.clusters.rebuild`."""
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**{WRITE: True})
                with connection.begin():
                    return clusters.rebuild(connection, progress)
        except (exc.OperationalError, exc.InterfaceError, exc.ProgrammingError, exc.InternalError) as error:
            raise StoreUnavailable(f"cannot write to database {self.url}: {self._orig(error)}") from error

    @staticmethod
    def _orig(error: Exception) -> str:
        orig = getattr(error, "orig", None)
        return (str(orig if orig is not None else error).splitlines() or [type(error).__name__])[0]

    def _reason(self, record: Record, error: Exception) -> str:
        name = record.id if record.id is not None else content_hash(record.text)[:12]
        return f"article {name} was not stored: {self._orig(error)}"
