"""The Tacitus store: records in an embedded SQLite file by default, or any SQLAlchemy database on request.

:func:`open_store` opens (creating if needed) a database and brings its schema up to date with the Alembic
migrations shipped in ``migrations/``; :class:`Store` writes records, one transaction per article, and
answers the queries behind ``tacitus events|quotes|actors``. SQLAlchemy Core only, portable SQL only, so
``postgresql+psycopg://...`` works once its driver is installed.

An article's identity is the SHA-256 of its text (:func:`content_hash`): writing the same text again is
skipped unless ``reprocess=True``, which replaces the stored rows.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import event, exc

from tacitus.errors import StoreUnavailable, TacitusError
from tacitus.model import Article, Record, content_hash
from tacitus.store import bands, cluster_queries, clusters, queries, retry, rows
from tacitus.store import publications as pubs
from tacitus.store.publications import Provenance
from tacitus.store.schema import (
    CHILD_TABLES,
    actors,
    articles,
    events,
    metadata,
    places,
    publications,
    quotes,
    times,
)

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only where a schema is checked or migrated: importing it (with Mako) costs a few
# tenths of a second, which `tacitus serve` (it never migrates) and every read-only command would pay.

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Marks a connection whose transaction will write, so that SQLite takes the write lock at BEGIN: a deferred
# transaction that reads and then writes fails at once with "database is locked" under a concurrent writer
# instead of waiting for it.
_WRITE = "tacitus_write"

# An arbitrary constant key for pg_advisory_xact_lock: two processes opening an empty PostgreSQL database
# at once must not both create the tables.
_PG_MIGRATION_LOCK = 0x7461_6369_7475_73
# The advisory lock a write transaction takes on PostgreSQL before it clusters (and before it adds a
# publication or boilerplate texts), held to its commit: with several writers (Dask workers,
# tacitus.engines.writers) the incremental clusters see each earlier article whole, as with one writer.
# Rows go in before it, in parallel: the unique constraints guard the text hash and the publication key,
# and boilerplate counts are upserts. Clustering is most of a write (about 90 of 140 ms, measured on a
# loaded machine), so it is what bounds one database's write rate (docs/dask.md).
WRITE_LOCK = 0x7461_6369_7475_74

_FIX = "create the folder first or choose another --db path"

__all__ = [
    "MIGRATIONS_DIR",
    "Provenance",
    "RecordRejected",
    "Store",
    "content_hash",
    "head_revision",
    "metadata",
    "open_store",
    "sqlite_file",
]


class RecordRejected(TacitusError):
    """The database refused a record (a missing required value, a value of the wrong type); nothing of it
    was stored."""


def _json_dumps(value: Any) -> str:
    # Input metadata may hold dates or other non-JSON values; store their text rather than lose the article.
    return json.dumps(value, ensure_ascii=False, default=str)


def _alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    # ConfigParser interpolation would read a "%" in the install path as a placeholder.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str:
    """Return the Alembic revision id of the newest schema this version of Tacitus ships.

    A database opened with :func:`open_store` is at this revision afterwards; tests and diagnostics
    (``tacitus doctor``) compare it with the database's ``alembic_version``.
    """
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None, "the store ships at least one migration"
    return head


def _resolve(target: str | Path) -> tuple[sa.URL, str]:
    """Turn a path or URL into a SQLAlchemy URL and the text to show in messages (never a password)."""
    if isinstance(target, str) and target == ":memory:":
        return sa.make_url("sqlite://"), ":memory:"
    if isinstance(target, str) and "://" in target:
        try:
            url = sa.make_url(target)
        except exc.ArgumentError:
            raise StoreUnavailable(
                f"cannot open database {target!r}: not a database URL; give a file path or a URL like "
                "sqlite:///tacitus.db or postgresql+psycopg://user@host/db"
            ) from None
        shown = url.render_as_string(hide_password=True)
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            _check_folder(Path(url.database), shown)
        return url, shown
    path = Path(target).expanduser()
    _check_folder(path, str(path))
    return sa.URL.create("sqlite", database=str(path)), str(path)


def sqlite_file(target: str | Path) -> Path | None:
    """The file a SQLite target (a path or a ``sqlite:///`` URL) names; ``None`` for servers and memory."""
    if isinstance(target, str) and target == ":memory:":
        return None
    if isinstance(target, str) and "://" in target:
        try:
            url = sa.make_url(target)
        except exc.ArgumentError:
            return None
        if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return Path(url.database).expanduser()
    return Path(target).expanduser()


def _check_folder(path: Path, shown: str) -> None:
    if path.is_dir():
        raise StoreUnavailable(
            f"cannot open database {shown}: it is a folder; give a file path such as {path / 'tacitus.db'}"
        )
    if not path.parent.is_dir():
        raise StoreUnavailable(f"cannot open database {shown}: folder {path.parent} does not exist; {_FIX}")


def _sqlite_setup(engine: sa.Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so that DDL is transactional (a failed migration
        # leaves no half-made schema) and BEGIN IMMEDIATE is ours to issue.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # SQLite leaves foreign keys off unless asked, per connection; ON DELETE CASCADE depends on it.
        cursor.execute("PRAGMA foreign_keys = ON")
        # WAL lets the web page read while a batch writes; NORMAL sync is safe with WAL and much faster.
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _make_engine(url: sa.URL, shown: str) -> sa.Engine:
    kwargs: dict[str, Any] = {"json_serializer": _json_dumps}
    if url.get_backend_name() == "sqlite":
        # Wait for another writer (a parallel batch, a Dask worker) rather than fail after pysqlite's 5 s.
        kwargs["connect_args"] = {"timeout": 60}
    else:
        # A server restarted since a pooled connection was made: test each connection as it is taken, so a
        # run goes on with a new one (a lost connection mid-transaction is retried, tacitus.store.retry).
        kwargs["pool_pre_ping"] = True
    try:
        engine = sa.create_engine(url, **kwargs)
    except (ImportError, exc.NoSuchModuleError) as error:
        raise StoreUnavailable(
            f"cannot open database {shown}: the database driver for {url.drivername!r} is not installed "
            f"({error}); install it (PostgreSQL: pip install 'psycopg[binary]') or give a SQLite file path"
        ) from None
    if url.get_backend_name() == "sqlite":
        _sqlite_setup(engine)
    return engine


def _migrate(engine: sa.Engine) -> None:
    """Bring the database to the newest revision; do nothing (and take no write lock) if it is there."""
    from tacitus.store.revisions import up_to_date

    if up_to_date(engine):  # known without importing Alembic (tacitus.store.revisions)
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = _alembic_config()
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current == heads:
        return
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = current - known
    if unknown:
        raise StoreUnavailable(
            f"schema revision {', '.join(sorted(unknown))} is newer than this Tacitus knows; "
            "upgrade tacitus (pip install -U tacitus) or choose another --db path"
        )
    with engine.connect() as connection:
        connection.execution_options(**{_WRITE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


def _one_writer(connection: sa.Connection) -> None:
    """On PostgreSQL, wait for :data:`WRITE_LOCK` (released at commit or rollback); SQLite's BEGIN
    IMMEDIATE already admits one writer at a time."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})


def open_store(target: str | Path) -> Store:
    """Open the store at ``target``, creating and migrating the database as needed, and return it.

    ``target`` is a file path (SQLite, the default; the file is created if missing but its folder must
    exist) or any SQLAlchemy URL (``sqlite:///x.db``, ``postgresql+psycopg://user@host/db``). An empty
    database gets the full schema (``alembic upgrade head``); an up-to-date one is left untouched, so
    opening is cheap and works on a read-only copy. Raises ``StoreUnavailable`` with a one-line message
    naming the target and what to do when the folder is missing, the file is not a database, the driver
    is not installed or the server cannot be reached.
    """
    url, shown = _resolve(target)
    engine = _make_engine(url, shown)
    try:
        _migrate(engine)
    except StoreUnavailable as error:
        engine.dispose()
        raise StoreUnavailable(f"cannot open database {shown}: {error}") from None
    except exc.SQLAlchemyError as error:
        engine.dispose()
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise StoreUnavailable(
            f"cannot open database {shown}: {reason}; check that it is a Tacitus database (or an empty one) "
            "that is reachable and writable, or choose another --db path"
        ) from error
    return Store(engine, shown)


class Store:
    """An open Tacitus database: write records, query events, quotes and actors, read records back.

    Create one with :func:`open_store`. Every method takes its own connection from the engine's pool, so
    one Store can serve several threads (the web server). Close it, or use it as a context manager.
    """

    def __init__(self, engine: sa.Engine, shown: str | None = None) -> None:
        """Wrap an engine whose database is already migrated (use :func:`open_store` to get one)."""
        self.engine = engine
        self.url = shown or engine.url.render_as_string(hide_password=True)
        self._gdelt_fields: bool | None = None  # see _events_have_gdelt_fields

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_value: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close every pooled connection; the Store must not be used afterwards."""
        self.engine.dispose()

    # -- writing ---------------------------------------------------------------------------------------

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
            connection.execution_options(**{_WRITE: True})
            with connection.begin():
                existing = connection.execute(
                    sa.select(articles.c.pk).where(articles.c.content_hash == digest)
                ).scalar()
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
                pk = connection.execute(sa.insert(articles).values(row)).inserted_primary_key[0]
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
                    if not self._events_have_gdelt_fields(connection):
                        for row in event_rows:
                            for name in rows.GDELT_FIELDS:
                                del row[name]
                    elif record.places:
                        # after the places: each event keeps the keys of the places a GDELT row takes from it
                        p = places.c
                        stored = connection.execute(sa.select(p.seq, p.pk).where(p.article_pk == pk))
                        rows.link_places(event_rows, record, {seq: key for seq, key in stored})
                    connection.execute(sa.insert(events), event_rows)
                pubs.write_original(connection, pk, record, article, provenance, digest, kept)
                # after the publications, so the clusters count every outlet that printed the article;
                # one writer at a time, so that it sees every article clustered before it whole
                _one_writer(connection)
                clusters.on_article(connection, pk, left)
                return status

    def _events_have_gdelt_fields(self, connection: sa.Connection) -> bool:
        """Whether ``events`` has revision 0013's columns: a Store made on a database of an older schema
        (``Store(engine)`` does not migrate, as tests of older stores do) writes its events without them,
        as it writes clusters without stories before revision 0011."""
        if self._gdelt_fields is None:
            names = {c["name"] for c in sa.inspect(connection).get_columns(events.name)}
            self._gdelt_fields = set(rows.GDELT_FIELDS) <= names
        return self._gdelt_fields

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
                connection.execution_options(**{_WRITE: True})
                with connection.begin():
                    _one_writer(connection)
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
            connection.execution_options(**{_WRITE: True})
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
            connection.execution_options(**{_WRITE: True})
            with connection.begin():
                _one_writer(connection)
                pubs.remember_texts(connection, source, texts)

        retry.on_connection(self.engine, self.url, remember)

    def learned_boilerplate(self, source: str | None = None) -> list[dict[str, Any]]:
        """The lines learned as boilerplate so far (source, text, n_articles: the stored articles of the
        source that have it, share: of all its stored articles), most frequent first; ``source`` keeps one
        source's."""
        return self._rows(queries.boilerplate_select(source))

    def publications(self, article_id: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Every stored publication: the outlet, URL, title and day of each printing of an article.

        Keys: article_id (of the article analysed), kind (``original``, ``exact``, ``near``), similarity,
        source, url, title, published, publication_id (the publication's own input id), added_at.
        ``article_id`` keeps one article's.
        """
        return self._rows(queries.publications_select(article_id, limit))

    def has_hash(self, digest: str) -> bool:
        """True when an article whose text has this :func:`content_hash` is stored (an indexed lookup)."""
        statement = sa.select(articles.c.pk).where(articles.c.content_hash == digest)
        return retry.on_connection(self.engine, self.url, lambda c: c.execute(statement).first() is not None)

    @staticmethod
    def _orig(error: Exception) -> str:
        orig = getattr(error, "orig", None)
        return (str(orig if orig is not None else error).splitlines() or [type(error).__name__])[0]

    def _reason(self, record: Record, error: Exception) -> str:
        name = record.id if record.id is not None else content_hash(record.text)[:12]
        return f"article {name} was not stored: {self._orig(error)}"

    # -- reading ---------------------------------------------------------------------------------------

    def _rows(self, statement: sa.Select) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(statement).mappings()]

    def events(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        *,
        code: str | None = None,
    ) -> list[dict[str, Any]]:
        """Return stored events as plain dicts, in date order, optionally filtered.

        ``actor`` keeps events whose source or target code starts with it, ignoring case (``RUS`` finds
        ``RUSGOV``); ``code`` does the same for the CAMEO code (``04`` finds ``041``). ``since`` and
        ``until`` are inclusive ISO days compared with the row's ``date``: the event's own date when it
        has one, else the article's publication day; ``date_from`` says which (``"event"`` or
        ``"published"``). Events with neither are left out whenever a date bound is given. Keys, in table
        order: article_id, date, date_from, source_name, source_code, code, plover, goldstein,
        target_name, target_code, place, sentence, rule, event_id, root, quad_class, negated, mood,
        event_date (as in the record), place_country, place_lat, place_lon, trigger, sentence_start,
        sentence_end, trigger_start, trigger_end, source_actor, target_actor (actor ids), published,
        title, url, outlet (the record's ``source``).
        """
        since = queries.check_day(since, "since")
        until = queries.check_day(until, "until")
        return self._rows(queries.events_select(actor, since, until, code, limit))

    def quotes(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        types: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Return stored quotes as plain dicts, in publication order, optionally filtered (``types``: keep
        the quotes of these types only).

        ``actor`` keeps quotes whose speaker's code starts with it, ignoring case; ``since`` and ``until``
        are inclusive ISO days compared with the article's publication day (returned as ``date``; the day
        the quote was said, when its clause or the dateline gives it, is ``quote_date``). Keys, in table
        order: article_id, date, speaker_name, speaker_code, kind, type, content, cue, speaker_span (the
        words naming the speaker), via_name, quote_id, speaker_actor, via_actor (actor ids),
        content_start, content_end, cue_start, cue_end, speaker_start, speaker_end, quote_date,
        place_name, place_country, place_lat, place_lon (where it was said), published, title, url,
        outlet.
        """
        since = queries.check_day(since, "since")
        until = queries.check_day(until, "until")
        return self._rows(queries.quotes_select(actor, since, until, limit, types))

    def actors(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Return actors aggregated across articles, most widely reported first.

        One row per (name, code): name, code, kind, role, country, sector, n_articles (articles that
        mention the actor), n_mentions (mentions in all of them), first_seen and last_seen (publication
        days). ``actor`` is a case-insensitive code prefix; ``since`` and ``until`` are inclusive ISO days
        compared with the article's publication day.
        """
        since = queries.check_day(since, "since")
        until = queries.check_day(until, "until")
        return self._rows(queries.actors_select(actor, since, until, limit))

    def event_clusters(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        *,
        code: str | None = None,
        min_sources: int | None = None,
        order: str = "day",
    ) -> list[dict[str, Any]]:
        """Return the event clusters (one real-world event each, :mod:`tacitus.store.clusters`) as dicts.

        Filters as :meth:`events` (``since``/``until`` bound the cluster's first day); ``min_sources`` keeps
        those reported by at least that many outlets; ``order`` is ``day`` or ``sources`` (most reported
        first). Keys: see :func:`tacitus.store.cluster_queries.event_clusters_select`.
        """
        since = queries.check_day(since, "since")
        until = queries.check_day(until, "until")
        return self._rows(
            cluster_queries.event_clusters_select(actor, since, until, code, min_sources, order, limit)
        )

    def quote_clusters(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        *,
        min_sources: int | None = None,
        order: str = "day",
    ) -> list[dict[str, Any]]:
        """Return the quotations (a quote's occurrences across articles) as dicts, filtered as
        :meth:`event_clusters` (``actor``: the speaker's code prefix)."""
        since = queries.check_day(since, "since")
        until = queries.check_day(until, "until")
        return self._rows(
            cluster_queries.quote_clusters_select(actor, since, until, min_sources, order, limit)
        )

    def cluster_members(self, cluster_id: int, what: str = "events") -> list[dict[str, Any]]:
        """Return every mention of one event cluster (``what="quotes"``: of one quotation), with its article."""
        return self._rows(cluster_queries.members_select(cluster_id, what))

    def rebuild_clusters(self, progress: Callable[[int, int], None] | None = None) -> dict[str, int]:
        """Recompute every cluster from the stored events and quotes, in one transaction (after the rules
        changed, or for a store written before clusters existed); see :func:`tacitus.store.clusters.rebuild`."""
        try:
            with self.engine.connect() as connection:
                connection.execution_options(**{_WRITE: True})
                with connection.begin():
                    return clusters.rebuild(connection, progress)
        except (exc.OperationalError, exc.InterfaceError, exc.ProgrammingError, exc.InternalError) as error:
            raise StoreUnavailable(f"cannot write to database {self.url}: {self._orig(error)}") from error

    def learned_actors(self) -> list[dict[str, Any]]:
        """Return the people stored articles named with their title (name, code, role, article_id,
        content_hash, published_day), oldest first: what :func:`tacitus.kb.learned.learned_entries` turns
        into knowledge-base entries for the next run."""
        return self._rows(queries.learned_select())

    def get_record(self, article_id: str) -> Record | None:
        """Return the stored record with this id exactly as it was written, or ``None``.

        Ids come from the input and are not guaranteed unique across inputs (only the text is); if two
        stored articles share an id, the one written last is returned.
        """
        statement = (
            sa.select(articles.c.record, articles.c.text)
            .where(articles.c.article_id == article_id)
            .order_by(articles.c.pk.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(statement).first()
        return None if row is None else _record_from(row.record, row.text)

    def records(self, since: str | None = None, until: str | None = None) -> Iterator[Record]:
        """Yield stored records in publication order, optionally within inclusive ISO publication days.

        Rows are fetched in batches, so exporting a large store does not load it all into memory; the
        connection stays open until the iterator is exhausted or closed.
        """
        since = queries.check_day(since, "since")
        until = queries.check_day(until, "until")
        statement = (
            sa.select(articles.c.record, articles.c.text)
            .where(*queries.day_range(articles.c.published_day, since, until))
            .order_by(articles.c.published_day.asc().nulls_last(), articles.c.pk)
        )
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=200).execute(statement):
                yield _record_from(row.record, row.text)

    def summary(self) -> dict[str, Any]:
        """Return what the store holds: row counts per table, the publication day range and top codes.

        Keys: articles, actors, quotes, events, times, places, publications (counts), first_published,
        last_published (ISO days or ``None``), top_event_codes (up to ten dicts with code, plover, n, most frequent
        first).
        """
        result: dict[str, Any] = {}
        with self.engine.connect() as connection:
            for table in (articles, *CHILD_TABLES, publications):
                result[table.name] = connection.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
            first, last = connection.execute(
                sa.select(sa.func.min(articles.c.published_day), sa.func.max(articles.c.published_day))
            ).one()
            result["first_published"] = first
            result["last_published"] = last
            result["top_event_codes"] = [
                dict(r) for r in connection.execute(queries.top_codes_select()).mappings()
            ]
        return result


def _record_from(doc: dict[str, Any] | str, text: str) -> Record:
    # Some drivers hand JSON back as text (e.g. a plain TEXT column seen through another tool).
    data = json.loads(doc) if isinstance(doc, str) else dict(doc)
    data["text"] = text
    return Record.from_dict(data)
