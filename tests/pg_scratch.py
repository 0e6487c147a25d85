"""Throw-away PostgreSQL databases for the tests that run on PostgreSQL as well as SQLite.

A local server (trust auth, as on the project's machines and CI) is used by default; set
TACITUS_TEST_PG_SERVER to another server URL, or to "" to test SQLite only. Each test file names its own
databases (a prefix of its own and the process id): pytest-xdist runs files in parallel processes, and a
database left by a killed run is dropped before it is made again.

A test file whose tests each want an empty store on both databases imports the fixture ``store`` and the
file's database it empties, ``scratch_url``: ``from pg_scratch import scratch_url_fixture, store_fixture``
(imported under other names than the fixtures', so that a test's ``store`` argument does not shadow them).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from tacitus.store import Store, open_store
from tacitus.store.schema import metadata

PG_SERVER = os.environ.get("TACITUS_TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def url_of(name: str) -> str:
    """The URL of database ``name`` on PG_SERVER."""
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


def admin() -> sa.Engine:
    """An engine on PG_SERVER's own database, outside transactions (CREATE/DROP DATABASE need that)."""
    return sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def skip_reason() -> str:
    """Why the PostgreSQL tests are skipped when :func:`create` gave no database."""
    if not PG_SERVER:
        return "TACITUS_TEST_PG_SERVER is empty: PostgreSQL not tested"
    return f"no PostgreSQL server at {PG_SERVER!r} (or psycopg is not installed)"


def reachable() -> bool:
    """Whether PG_SERVER answers (and psycopg is installed), without making anything there."""
    if not PG_SERVER:
        return False
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return False
    engine = admin()
    try:
        with engine.connect():
            return True
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def create(name: str) -> str | None:
    """Make an empty database ``name`` on PG_SERVER and return its URL; None when there is no server to
    use (PG_SERVER empty, psycopg missing, or the server does not answer or refuses)."""
    if not PG_SERVER:
        return None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return None
    engine = admin()
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
    except sa.exc.SQLAlchemyError:
        return None
    finally:
        engine.dispose()
    return url_of(name)


def drop(name: str) -> None:
    """Drop database ``name`` (a name or a URL), closing whatever connections a test left open to it."""
    name = name.rsplit("/", 1)[-1]
    engine = admin()
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        engine.dispose()


@contextmanager
def scratch(name: str) -> Iterator[str | None]:
    """An empty database ``name`` for the ``with`` block, dropped after it; None when there is none."""
    url = create(name)
    try:
        yield url
    finally:
        if url is not None:
            drop(name)


def database(name: str) -> Iterator[str]:
    """For a fixture (``yield from pg_scratch.database(name)``): an empty database ``name``, dropped after
    the fixture's scope; the test is skipped when there is no server to use."""
    with scratch(name) as url:
        if url is None:
            pytest.skip(skip_reason())
        yield url


def empty(url: str) -> None:
    """Drop every table of the schema and Alembic's own from database ``url``, whatever revision made them:
    the next store opened there is migrated from nothing, as in a new database. No table, index or sequence
    of the store is left (keys count from 1 again), since every table a revision adds is in ``metadata``
    (test_store checks the migrated schema against it; the pg_trgm indexes go with their tables). Extensions
    stay (revision 0010 makes pg_trgm only if it is missing), as does the database itself."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            for name in [*(t.name for t in reversed(metadata.sorted_tables)), "alembic_version"]:
                connection.execute(sa.text(f"DROP TABLE IF EXISTS {name} CASCADE"))
    finally:
        engine.dispose()


@pytest.fixture(name="scratch_url", scope="module")
def scratch_url_fixture(request: pytest.FixtureRequest) -> Iterator[str]:
    """The requesting test file's scratch database, ``tacitus_<file>_<pid>``, dropped after the file's tests.
    It is made when the first test that asks for it starts, never at import: pytest-xdist's every worker
    imports every test file, and a database made then was left by each worker that ran none of its tests."""
    module = request.module.__name__.rsplit(".", 1)[-1].removeprefix("test_")
    yield from database(f"tacitus_{module}_{os.getpid()}")


@pytest.fixture(name="store", params=["sqlite", "postgresql"])
def store_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store for one test, on SQLite and on PostgreSQL: a new SQLite file, or the file's scratch
    database emptied (one database a file rather than one a test; skipped when no server answers)."""
    if request.param == "sqlite":
        with open_store(tmp_path / "store.db") as opened:
            yield opened
        return
    url = request.getfixturevalue("scratch_url")
    empty(url)
    with open_store(url) as opened:
        yield opened
