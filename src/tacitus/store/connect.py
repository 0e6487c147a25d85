"""Opening a store's database: a path or URL made a SQLAlchemy engine, SQLite's connection set-up, and
what every write transaction needs (:data:`WRITE`, :func:`one_writer`).

The lowest module of the store's own: :mod:`tacitus.store.migrate`, :mod:`tacitus.store.writing`,
:mod:`tacitus.store.reading` and :func:`tacitus.store.open_store` import it, never the other way round.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc

from tacitus.errors import StoreUnavailable

# Marks a connection whose transaction will write, so that SQLite takes the write lock at BEGIN: a deferred
# transaction that reads and then writes fails at once with "database is locked" under a concurrent writer
# instead of waiting for it.
WRITE = "tacitus_write"

# The advisory lock a write transaction takes on PostgreSQL before it clusters (and before it adds a
# publication or boilerplate texts), held to its commit: with several writers (Dask workers,
# tacitus.engines.writers) the incremental clusters see each earlier article whole, as with one writer.
# Rows go in before it, in parallel: the unique constraints guard the text hash and the publication key,
# and boilerplate counts are upserts. Clustering is most of a write (about 90 of 140 ms, measured on a
# loaded machine), so it is what bounds one database's write rate (docs/dask.md).
WRITE_LOCK = 0x7461_6369_7475_74

_FIX = "create the folder first or choose another --db path"


def json_dumps(value: Any) -> str:
    # Input metadata may hold dates or other non-JSON values; store their text rather than lose the article.
    return json.dumps(value, ensure_ascii=False, default=str)


def resolve(target: str | Path) -> tuple[sa.URL, str]:
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
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: sa.URL, shown: str) -> sa.Engine:
    kwargs: dict[str, Any] = {"json_serializer": json_dumps}
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


def one_writer(connection: sa.Connection) -> None:
    """On PostgreSQL, wait for :data:`WRITE_LOCK` (released at commit or rollback); SQLite's BEGIN
    IMMEDIATE already admits one writer at a time."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK})
