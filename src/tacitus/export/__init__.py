"""``tacitus export``: the store's tables in the formats event-data users read, streamed in flat memory.

- ``gdelt``: the GDELT 2.0 event table (one row per event cluster, 61 columns) and mentions table (one row
  per publication reporting a cluster, 16 columns), tab-separated as GDELT ships them (:mod:`.gdelt`);
- ``polecat``: POLECAT-style PLOVER records, one JSON object per event (:mod:`.polecat`);
- ``csv``, ``jsonl``, ``parquet``: every table with a documented column schema, Parquet as one file or a
  month-partitioned dataset (:mod:`.tables`).

:func:`export` is the one call behind the command: it checks the table, format and filters, opens the
store read-only in spirit (a missing SQLite file is an error, never created), reads the rows in one
transaction (one consistent snapshot) a chunk at a time (:mod:`.stream`) and writes them as they come. The
GDELT event table of a whole SQLite store at the current revision is read with ``sqlite3`` alone
(:func:`.gdelt.write_sqlite_events`): the same bytes, without importing SQLAlchemy and the store.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tacitus.errors import StoreUnavailable, UsageError
from tacitus.export.filters import TABLES, Filters, check_filters

__all__ = ["FORMATS", "FORMAT_TABLES", "TABLES", "ExportResult", "Filters", "export"]

FORMATS = ("gdelt", "polecat", "csv", "jsonl", "parquet")
FORMAT_TABLES: dict[str, tuple[str, ...]] = {
    "gdelt": ("events", "mentions"),
    "polecat": ("events",),
    "csv": TABLES,
    "jsonl": TABLES,
    "parquet": TABLES,
}
"""The tables each format can write."""


@dataclass
class ExportResult:
    """What an export wrote: ``rows`` written, ``left_out`` rows the format cannot hold (events PLOVER has
    no type for, in ``polecat``), and where (``target``: a path, or ``-`` for stdout)."""

    rows: int
    left_out: int = 0
    target: str = "-"


def check_request(what: str, fmt: str, filters: Filters, *, header: bool = False) -> Filters:
    """Check that format ``fmt`` can write table ``what`` with these options; return the checked filters."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: choose among {', '.join(FORMATS)}")
    if what not in TABLES:
        raise UsageError(f"unknown table {what!r}: choose among {', '.join(TABLES)}")
    if what not in FORMAT_TABLES[fmt]:
        other = ", ".join(f for f in FORMATS if what in FORMAT_TABLES[f])
        raise UsageError(
            f"--format {fmt} writes {' and '.join(FORMAT_TABLES[fmt])}, not {what}; for {what} use {other}"
        )
    if header and fmt not in ("gdelt", "csv"):
        raise UsageError(f"--header is for --format gdelt (csv always has one); {fmt} has no header row")
    return check_filters(what, filters)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while rows stream through.

    An export makes millions of short-lived lists and dicts and no reference cycles; the collector would
    still walk every live object each few thousand allocations, which measured 4x the cost of decoding the
    actors' JSON for the mentions table. Reference counting frees the rows as before; one collection runs
    at the end for whatever cycles the database layer made.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


@contextmanager
def _text_target(output: Path | None, stdout: IO[str] | None) -> Iterator[IO[str]]:
    if output is None:
        yield stdout or sys.stdout
        return
    try:
        handle = output.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise UsageError(f"{output}: cannot write ({exc.strerror}); choose another -o") from None
    with handle:
        yield handle


def export(
    db: str | Path,
    what: str,
    fmt: str,
    output: Path | None = None,
    *,
    filters: Filters | None = None,
    header: bool = False,
    stdout: IO[str] | None = None,
    binary_stdout: IO[bytes] | None = None,
) -> ExportResult:
    """Export table ``what`` of the store ``db`` in format ``fmt`` to ``output`` (stdout when None).

    ``what`` is one of :data:`TABLES`, ``fmt`` one of :data:`FORMATS` (:data:`FORMAT_TABLES` says which
    go together); ``filters`` keeps rows as the listing commands do; ``header`` adds GDELT's column names
    as a first line. A Parquet ``output`` that is a folder gets a month-partitioned dataset. Raises
    :class:`UsageError` for a bad table, format, filter or output, :class:`InvalidDate` for a bad day and
    :class:`StoreUnavailable` when ``db`` is missing or is no Tacitus database.
    """
    checked = check_request(what, fmt, filters or Filters(), header=header)
    target = str(output) if output is not None else "-"
    if (fmt, what) == ("gdelt", "events") and not checked.given():
        # a whole SQLite store's event table is read with sqlite3 alone: no SQLAlchemy to import
        from tacitus.export import gdelt

        at_head = gdelt.sqlite_file_at_head(db)
        if at_head is not None:
            with _no_cyclic_gc(), _text_target(output, stdout) as out:
                return ExportResult(gdelt.write_sqlite_events(at_head, out, header=header), target=target)
    from tacitus.store import open_store, sqlite_file

    path = sqlite_file(db)
    if path is not None and not path.exists():
        raise StoreUnavailable(f"{db}: no such database; create it with `tacitus process FILES --db {db}`")
    with open_store(db) as store, store.engine.connect() as connection, _no_cyclic_gc():
        if fmt == "parquet":
            from tacitus.export import tables

            sink = output if output is not None else (binary_stdout or sys.stdout.buffer)
            try:
                return ExportResult(tables.write_parquet(connection, what, checked, sink), target=target)
            except OSError as exc:
                raise UsageError(
                    f"{target}: cannot write ({exc.strerror or exc}); choose another -o"
                ) from None
        with _text_target(output, stdout) as out:
            if fmt == "gdelt":
                from tacitus.export import gdelt

                return ExportResult(gdelt.write(connection, what, checked, out, header=header), target=target)
            if fmt == "polecat":
                from tacitus.export import polecat

                n, left_out = polecat.write(connection, checked, out)
                return ExportResult(n, left_out, target)
            from tacitus.export import tables

            return ExportResult(tables.write_text(connection, what, fmt, checked, out), target=target)
