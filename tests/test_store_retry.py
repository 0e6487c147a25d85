"""Which store errors a run waits out and tries again (tacitus.store.retry), and how it gives up."""

from __future__ import annotations

import sqlite3

import pytest


def test_only_a_lost_connection_is_tried_again() -> None:
    """A locked or full SQLite file and a refused value stop at once; a lost server connection is retried."""
    from sqlalchemy import exc

    from tacitus.store.retry import connection_lost

    class ServerError(Exception):  # a driver error carrying the server's SQLSTATE, as psycopg's do
        def __init__(self, state: str) -> None:
            super().__init__(state)
            self.sqlstate = state

    def wrapped(orig: Exception, kind: type = exc.OperationalError) -> Exception:
        return kind("SELECT 1", {}, orig)

    assert not connection_lost(wrapped(sqlite3.OperationalError("database is locked")))
    assert not connection_lost(wrapped(sqlite3.OperationalError("database or disk is full")))
    assert not connection_lost(wrapped(ServerError("53100")))  # PostgreSQL: disk full
    assert not connection_lost(wrapped(ServerError("23505"), exc.IntegrityError))
    assert connection_lost(wrapped(ServerError("08006")))  # connection failure
    assert connection_lost(wrapped(ServerError("57P01")))  # terminated by the administrator, or a restart
    psycopg = pytest.importorskip("psycopg")
    assert connection_lost(wrapped(psycopg.OperationalError("connection refused")))
    assert connection_lost(wrapped(psycopg.InterfaceError("the connection is closed"), exc.InterfaceError))


def test_retrying_gives_up_with_a_message_that_says_how_to_resume(monkeypatch) -> None:  # noqa: ANN001
    from sqlalchemy import exc

    from tacitus.errors import StoreUnavailable
    from tacitus.store import retry

    psycopg = pytest.importorskip("psycopg")
    calls = []

    def lost() -> None:
        calls.append(1)
        raise exc.OperationalError("SELECT 1", {}, psycopg.OperationalError("server closed the connection"))

    monkeypatch.setattr(retry.time, "sleep", lambda seconds: calls.append(seconds))
    with pytest.warns(RuntimeWarning), pytest.raises(StoreUnavailable) as raised:
        retry.retrying(lost, "postgresql+psycopg://u:***@db/news")
    assert calls == [1, 0.5, 1, 1.0, 1, 2.0, 1, 4.0, 1, 8.0, 1, 15.0, 1]  # 7 tries, the pauses between
    message = str(raised.value)
    assert message.startswith("lost the connection to database postgresql+psycopg://u:***@db/news")
    assert "7 tries over 30.5 s" in message and "run the same command again to resume" in message


def test_a_transaction_lost_to_a_deadlock_is_run_again(monkeypatch) -> None:  # noqa: ANN001
    """PostgreSQL rolls one of two deadlocked writers back whole (SQLSTATE 40P01): it is run again."""
    from sqlalchemy import exc

    from tacitus.store import retry

    class Deadlock(Exception):
        sqlstate = "40P01"

    tries = []

    def write() -> str:
        tries.append(1)
        if len(tries) < 3:
            raise exc.OperationalError("INSERT", {}, Deadlock("deadlock detected"))
        return "inserted"

    monkeypatch.setattr(retry.time, "sleep", lambda seconds: None)
    assert retry.retrying(write, "db") == "inserted" and len(tries) == 3
    assert retry.rolled_back(exc.OperationalError("INSERT", {}, Deadlock()))
    assert not retry.connection_lost(exc.OperationalError("INSERT", {}, Deadlock()))
