"""Open a Tacitus database for the web server: read-only, never created, never migrated.

``tacitus serve`` shows what ``tacitus process`` stored; it must not be able to change it, even through a
bug in a view. So the connection itself refuses writes: SQLite files are opened through a ``mode=ro`` URI
with ``PRAGMA query_only`` on top (a second lock, for an engine that ignored the URI), PostgreSQL sessions
start every transaction ``READ ONLY``. A missing database, one that is not a Tacitus database, or one whose
schema is older or newer than this version's is refused with a one-line :class:`StoreUnavailable` naming
the database and what to do, because serving a half-understood schema would show wrong pages.
"""

from __future__ import annotations

import sqlite3
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy import event, exc

from tacitus.errors import StoreUnavailable
from tacitus.store import Store, head_revision, sqlite_file
from tacitus.store.revisions import current_revisions, shipped_chain, shipped_head

__all__ = ["open_readonly"]


def _sqlite_engine(path: Path) -> sa.Engine:
    # A file: URI opened with mode=ro cannot create the file or write to it; quote() keeps a "?" or "#" in
    # the path from being read as part of the URI.
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
        connection.isolation_level = None  # autocommit reads: no transaction is held between requests
        connection.execute("PRAGMA query_only = ON")
        return connection

    return sa.create_engine("sqlite://", creator=connect, pool_pre_ping=False)


def _server_engine(url: sa.URL, shown: str) -> sa.Engine:
    try:
        engine = sa.create_engine(url)
    except (ImportError, exc.NoSuchModuleError) as error:
        raise StoreUnavailable(
            f"cannot open database {shown}: the database driver for {url.drivername!r} is not installed "
            f"({error}); install it (PostgreSQL: pip install 'tacitus[postgres]')"
        ) from None
    if url.get_backend_name() == "postgresql":

        @event.listens_for(engine, "connect")
        def _read_only(dbapi_connection: Any, _record: Any) -> None:
            # every transaction of this session is READ ONLY: PostgreSQL itself refuses any write
            cursor = dbapi_connection.cursor()
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
            cursor.close()
            dbapi_connection.commit()

    return engine


@cache
def shipped_revisions() -> tuple[str, frozenset[str]]:
    """The newest schema revision this Tacitus ships and every one it knows.

    The server never migrates, so it reads them from the migration files (:mod:`tacitus.store.revisions`)
    rather than importing Alembic (with Mako, a few tenths of a second of its start-up). When the files do
    not read as one chain, Alembic itself is asked (:func:`tacitus.store.head_revision`);
    tests/test_web_indexes.py checks both agree.
    """
    head = shipped_head()
    known = frozenset(shipped_chain() or ())
    return (head, known) if head is not None else (head_revision(), known)


def _check_schema(engine: sa.Engine, shown: str, target: str) -> None:
    head, known = shipped_revisions()
    try:
        with engine.connect() as connection:
            current = current_revisions(connection)
    except exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise StoreUnavailable(
            f"cannot open database {shown}: {reason}; check that it is a Tacitus database you can read"
        ) from None
    if not current:
        raise StoreUnavailable(
            f"{shown} is not a Tacitus database (it has no schema revision); "
            f"create one with `tacitus process FILES --db {target}`"
        )
    if current != {head}:
        found = ", ".join(sorted(current))
        if current <= known:
            raise StoreUnavailable(
                f"{shown} has schema revision {found}, older than this Tacitus's {head}; the server never "
                f"changes a database, so upgrade it once with `tacitus events --db {target} --limit 1`, "
                "then serve it"
            )
        raise StoreUnavailable(
            f"{shown} has schema revision {found}, newer than this Tacitus knows ({head}); "
            "upgrade tacitus (pip install -U tacitus)"
        )


def open_readonly(target: str | Path) -> Store:
    """Open the Tacitus database at ``target`` (a SQLite path, a ``sqlite:///`` URL or a server URL)
    for reading only, and return a :class:`~tacitus.store.Store` over it.

    The database must exist and be at this version's schema revision; nothing is created or migrated.
    Raises :class:`StoreUnavailable` with a one-line message naming the database and what to do.
    """
    text = str(target)
    if text == ":memory:":
        raise StoreUnavailable(
            "an in-memory database is empty; serve a database file made by tacitus process"
        )
    path = sqlite_file(target)
    if path is not None:
        if path.is_dir():
            raise StoreUnavailable(f"cannot serve {text}: it is a folder; give the database file inside it")
        if not path.exists():
            raise StoreUnavailable(
                f"{text}: no such database; create it with `tacitus process FILES --db {text}`"
            )
        engine = _sqlite_engine(path)
        shown = str(path)
    else:
        try:
            url = sa.make_url(text)
        except exc.ArgumentError:
            raise StoreUnavailable(
                f"cannot open database {text!r}: not a database URL; give a file path or a URL like "
                "postgresql+psycopg://user@host/db"
            ) from None
        shown = url.render_as_string(hide_password=True)
        engine = _server_engine(url, shown)
    try:
        _check_schema(engine, shown, text)
    except StoreUnavailable:
        engine.dispose()
        raise
    return Store(engine, shown)
