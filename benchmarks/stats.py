"""How long `tacitus stats` and the chart queries take on a store of a million events (``make bench``).

A real store is processed first (the bundled samples, or ``--base DB``), then copied and its events,
event clusters and quotes repeated in SQL until the copy holds ``--events`` event rows (default 1,000,000),
each copy's days shifted by a week (wrapping after ten years) so the store spans years. Articles are not repeated (the rows point at
the same articles), which is what the counts read anyway: they group events and clusters, and only the
speakers' "about" reads records. Every query of :mod:`tacitus.analysis` is then timed, with the peak
memory of the process that ran them (the store is built in other processes).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]


def grow(db: Path, target: int) -> int:
    """Repeat the events (with their clusters) and quotes of ``db`` until it holds ``target`` events."""
    connection = sqlite3.connect(db)
    (n_events,) = connection.execute("SELECT count(*) FROM events").fetchone()
    (max_cluster,) = connection.execute("SELECT coalesce(max(pk), 0) FROM event_clusters").fetchone()
    (max_quote_cluster,) = connection.execute("SELECT coalesce(max(pk), 0) FROM quote_clusters").fetchone()
    copies = max(0, -(-target // n_events) - 1)
    # each copy a week later, wrapping after ten years: a series of ~520 weeks, each holding many events
    shift = "date({col}, '+' || ((k.n % 520) * 7) || ' days')"
    plan = {
        "event_clusters": {"pk": f"pk + k.n * {max_cluster}", "day": shift.format(col="day"),
                           "last_day": shift.format(col="last_day")},
        "events": {"cluster_pk": f"cluster_pk + k.n * {max_cluster}", "day": shift.format(col="day")},
        "quote_clusters": {"pk": f"pk + k.n * {max_quote_cluster}", "first_day": shift.format(col="first_day"),
                           "last_day": shift.format(col="last_day")},
        "quotes": {"cluster_pk": f"cluster_pk + k.n * {max_quote_cluster}", "date": shift.format(col="date")},
    }  # fmt: skip
    for table, changed in plan.items():
        columns = [c for c in _columns(connection, table) if c != "pk" or "pk" in changed]
        select = ", ".join(changed.get(c, c) for c in columns)
        connection.execute(
            f"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < {copies}) "
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {select} FROM {table}, k"
        )
    connection.commit()
    connection.execute("ANALYZE")
    (grown,) = connection.execute("SELECT count(*) FROM events").fetchone()
    connection.close()
    return grown


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--base", type=Path, help="a store to repeat (default: the bundled samples, processed)"
    )
    parser.add_argument(
        "--events", type=int, default=1_000_000, help="event rows to reach (default 1,000,000)"
    )
    parser.add_argument("--grow-into", type=Path, help=argparse.SUPPRESS)  # the child process's job
    args = parser.parse_args()
    if args.grow_into:
        print(grow(args.grow_into, args.events))
        return

    from tacitus.analysis import Filters
    from tacitus.analysis.plot import plot_dyad, plot_network
    from tacitus.analysis.report import open_existing, stats_summary, stats_table

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "big.db"
        if args.base:
            shutil.copy(args.base, db)
            base = str(args.base)
        else:
            # in another process, so that the peak memory below is the queries', not the NLP model's
            code = f"from tacitus import jobs; jobs.demo({str(db)!r})"
            subprocess.run([sys.executable, "-c", code], check=True)
            base = "the bundled samples"
        started = time.perf_counter()
        # also in another process: SQLite's INSERT ... SELECT of a million rows would set the peak otherwise
        grown = subprocess.run(
            [sys.executable, __file__, "--grow-into", str(db), "--events", str(args.events)],
            check=True,
            capture_output=True,
            text=True,
        )
        n = int(grown.stdout.split()[-1])
        print(f"store: {n:,} events repeated from {base} in {time.perf_counter() - started:.1f} s")
        with open_existing(db) as store:
            top = stats_table(store, "dyad", limit=1)["rows"][0]
            a, b = top["source"][:3], top["target"][:3]
            cases = {
                "summary (every table, 10 rows each)": lambda: stats_summary(store),
                "--by dyad": lambda: stats_table(store, "dyad"),
                "--by dyad --countries": lambda: stats_table(store, "dyad", countries=True),
                "--by dyad --count mentions": lambda: stats_table(store, "dyad", unit="mentions"),
                "--by root": lambda: stats_table(store, "root"),
                "--by quad": lambda: stats_table(store, "quad"),
                "--by period --period week": lambda: stats_table(store, "period"),
                "--by speaker (with about)": lambda: stats_table(store, "speaker"),
                "--by speaker --about 0": lambda: stats_table(store, "speaker", about=0),
                f"--by dyad --actor {a}": lambda: stats_table(store, "dyad", filters=Filters(actor=a)),
                f"plot dyad {a} {b}": lambda: plot_dyad(store, a, b),
                f"plot network {a}": lambda: plot_network(store, a),
            }
            # CPU seconds too: SQLite runs in this thread, so they are the work done, whatever else the machine
            # is running; wall seconds are what a user waits
            print(f"{'query':<40} {'wall s':>7} {'CPU s':>7}")
            for name, run in cases.items():
                started, cpu = time.perf_counter(), time.process_time()
                run()
                print(f"{name:<40} {time.perf_counter() - started:7.2f} {time.process_time() - cpu:7.2f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MB (python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version})")


if __name__ == "__main__":
    main()
