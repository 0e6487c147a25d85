"""Bounded waiting for a database server that went away: restarted, failed over, or its connection cut.

A store operation is one transaction (an article and its rows, a publication), so one that fails because
the connection was lost did nothing and can be run again: :func:`retrying` does so after a pause, a bounded
number of times, and then gives up with :class:`~tacitus.errors.StoreUnavailable` saying that what was stored
is kept and that the same command resumes. A write whose commit was acknowledged by no one is safe to run
again too: the article is then found stored (``skipped``) and a publication found present (``unchanged``).

Only lost connections (SQLSTATE class 08, the server shutting down, or the driver's own failure to connect)
and transactions the server rolled back to let another go on (a deadlock or serialization failure between
two writers, 40P01 and 40001) are tried again. A locked SQLite file, a full disk or a refused value are
reported at once, as before.
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy import exc

from tacitus.errors import StoreUnavailable

T = TypeVar("T")

# Seconds to wait before each new try: 30.5 s in all, which covers a PostgreSQL restart (a few seconds on a
# laptop or this project's machines) and a managed server's fail-over (typically 20-30 s), while a server
# that is down for good stops the run within a minute instead of hanging it.
RETRY_DELAYS: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0)

# SQLSTATEs that mean the connection, not the statement, failed: class 08 (connection exception) and the
# server going away (57P01 admin shutdown or a terminated backend, 57P02 crash shutdown, 57P03 not yet
# accepting connections while it starts).
_LOST_STATES = ("08", "57P01", "57P02", "57P03")
# SQLSTATEs of a transaction the server rolled back whole so that another could go on: safe to run again.
_ROLLED_BACK_STATES = ("40001", "40P01")


def rolled_back(error: BaseException) -> bool:
    """True when the server rolled the whole transaction back for another writer (deadlock, serialization)."""
    state = getattr(getattr(error, "orig", None), "sqlstate", None)
    return isinstance(error, exc.OperationalError | exc.DBAPIError) and state in _ROLLED_BACK_STATES


def connection_lost(error: BaseException) -> bool:
    """True when ``error`` (a SQLAlchemy error) says the connection to the server was lost or never made."""
    if getattr(error, "connection_invalidated", False):
        return True
    if not isinstance(error, exc.OperationalError | exc.InterfaceError):
        return False
    orig = getattr(error, "orig", None)
    state = getattr(orig, "sqlstate", None)
    if state:
        return state.startswith(_LOST_STATES)
    # psycopg raises OperationalError without a SQLSTATE when it cannot reach the server at all (refused,
    # reset, timed out); SQLite's errors (locked, disk full) come from sqlite3 and are not retried
    return type(orig).__module__.split(".")[0] in ("psycopg", "psycopg2")


def retrying(operation: Callable[[], T], shown: str, *, delays: tuple[float, ...] | None = None) -> T:
    """Run ``operation`` (one whole transaction); when the connection is lost, warn, wait and run it again,
    up to ``len(delays)`` more times (default :data:`RETRY_DELAYS`); then raise :class:`StoreUnavailable`
    naming the database ``shown`` and saying how to resume."""
    delays = RETRY_DELAYS if delays is None else delays
    for attempt in range(len(delays) + 1):
        try:
            return operation()
        except (exc.OperationalError, exc.InterfaceError) as error:
            if rolled_back(error) and attempt < len(delays):
                # another writer won a deadlock: nothing of this transaction is stored; go again at once-ish
                time.sleep(delays[0])
                continue
            if not connection_lost(error):
                raise
            reason = _reason(error)
            if attempt == len(delays):
                raise StoreUnavailable(
                    f"lost the connection to database {shown} and could not get it back in {len(delays) + 1} "
                    f"tries over {sum(delays):g} s ({reason}); every article stored before is kept: start the "
                    "database server (or check the network) and run the same command again to resume"
                ) from error
            warnings.warn(
                f"lost the connection to database {shown} ({reason}); trying again in {delays[attempt]:g} s "
                f"({attempt + 1} of {len(delays)})",
                RuntimeWarning,
                stacklevel=2,
            )
            time.sleep(delays[attempt])
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _reason(error: BaseException) -> str:
    orig = getattr(error, "orig", None)
    return (str(orig if orig is not None else error).strip().splitlines() or [type(error).__name__])[0]


def on_connection(engine: sa.Engine, shown: str, work: Callable[[sa.Connection], T]) -> T:
    """``work`` on a connection of ``engine``'s, run again on a new one when the connection is lost
    (:func:`retrying`); for reads, and writes that open their own transaction."""

    def once() -> T:
        with engine.connect() as connection:
            return work(connection)

    return retrying(once, shown)


def unwritable(shown: str, reason: str) -> StoreUnavailable:
    """The error that stops a run whose database refuses every write, saying what to do about it."""
    if "full" in reason.lower() or "no space" in reason.lower():
        fix = "free some space on its disk (or give another --db path)"
    elif "readonly" in reason.lower() or "read-only" in reason.lower():
        fix = "make the file and its folder writable (or give another --db path)"
    elif "locked" in reason.lower():
        fix = "wait for the other program that writes to it to finish"
    else:
        fix = "check that the database is reachable and writable"
    return StoreUnavailable(
        f"cannot write to database {shown}: {reason}; {fix}, then run the same command again: every article "
        "stored before is kept and the run resumes after it"
    )
