"""The Tacitus store: records in an embedded SQLite file by default, or any SQLAlchemy database on request.

:func:`open_store` opens (creating if needed) a database and brings its schema up to date with the Alembic
migrations shipped in ``migrations/``; :class:`Store` writes records, one transaction per article, and
answers the queries behind ``tacitus events|quotes|actors``. SQLAlchemy Core only, portable SQL only, so
``postgresql+psycopg://...`` works once its driver is installed.

An article's identity is the SHA-256 of its text (:func:`content_hash`): writing the same text again is
skipped unless ``reprocess=True``, which replaces the stored rows.

The package's modules, by concern, each importing only those below it: :mod:`~tacitus.store.connect`
(a path or URL made an engine, the write-transaction helpers), :mod:`~tacitus.store.migrate` (Alembic),
:mod:`~tacitus.store.writing` and :mod:`~tacitus.store.reading` (the two halves of :class:`Store`), and
this module, which joins them.
"""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import sqlalchemy as sa
from sqlalchemy import exc

from tacitus.errors import StoreUnavailable
from tacitus.model import content_hash
from tacitus.store.connect import WRITE_LOCK, make_engine, resolve, sqlite_file
from tacitus.store.migrate import MIGRATIONS_DIR, alembic_config, head_revision, migrate
from tacitus.store.publications import Provenance
from tacitus.store.reading import StoreReading
from tacitus.store.schema import metadata
from tacitus.store.writing import RecordRejected, StoreWriting

# the name tests use to migrate a store step by step (to a revision before head)
_alembic_config = alembic_config

__all__ = [
    "MIGRATIONS_DIR",
    "WRITE_LOCK",
    "Provenance",
    "RecordRejected",
    "Store",
    "content_hash",
    "head_revision",
    "metadata",
    "open_store",
    "sqlite_file",
]


def open_store(target: str | Path) -> Store:
    """Open the store at ``target``, creating and migrating the database as needed, and return it.

    ``target`` is a file path (SQLite, the default; the file is created if missing but its folder must
    exist) or any SQLAlchemy URL (``sqlite:///x.db``, ``postgresql+psycopg://user@host/db``). An empty
    database gets the full schema (``alembic upgrade head``); an up-to-date one is left untouched, so
    opening is cheap and works on a read-only copy. Raises ``StoreUnavailable`` with a one-line message
    naming the target and what to do when the folder is missing, the file is not a database, the driver
    is not installed or the server cannot be reached.
    """
    url, shown = resolve(target)
    engine = make_engine(url, shown)
    try:
        migrate(engine)
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


class Store(StoreWriting, StoreReading):
    """An open Tacitus database: write records, query events, quotes and actors, read records back.

    Create one with :func:`open_store`. Every method takes its own connection from the engine's pool, so
    one Store can serve several threads (the web server). Close it, or use it as a context manager.
    """

    def __init__(self, engine: sa.Engine, shown: str | None = None) -> None:
        """Wrap an engine whose database is already migrated (use :func:`open_store` to get one)."""
        self.engine = engine
        self.url = shown or engine.url.render_as_string(hide_password=True)
        self._stored_event_columns: frozenset[str] | None = None  # see _event_columns

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
