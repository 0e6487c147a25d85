"""Latency of ``tacitus serve`` on a store of 100,000 events, and how fast the server opens (``make bench``).

The bundled samples are analysed once into a base store; their rows (articles with text and record,
actors, quotes, events, places, publications) are copied with new keys, new article ids and days shifted
by one day per copy until the store holds 100,000 events. ``tacitus serve`` is then started as a user
would start it, timed from launch to its first answer, and a bounded load loop on localhost (a fixed
number of sequential requests per kind, each kind stopped after a time limit) measures the latency of
filtered event and quote listings and of article pages. Goal (issue 12): p95 <= 100 ms, opening in about
a second.

Usage: ``python benchmarks/web.py [--events 100000] [--requests 200] [--dir DIR]``.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

TACITUS = str(Path(sys.executable).with_name("tacitus"))
COPIED = ("articles", "actors", "quotes", "events", "places", "publications")
DAYS = {"articles": ("published_day",), "events": ("day",), "publications": ("published_day",)}
UNIQUE = {"articles": ("content_hash", "article_id"), "publications": ("key",)}
TIME_LIMIT = 60.0  # seconds per kind of request: the loop stops by itself even on a very slow machine


def base_store(folder: Path) -> Path:
    """The bundled samples analysed into ``base.db`` (once; reused by later runs)."""
    db = folder / "base.db"
    if not db.exists():
        from tacitus import jobs

        partial = folder / "base.partial"
        partial.unlink(missing_ok=True)
        jobs.demo(partial)
        partial.rename(db)
    return db


def grow(base: Path, db: Path, target_events: int) -> int:
    """Copy ``base`` to ``db`` and add copies of its rows until ``db`` holds ``target_events`` events."""
    db.unlink(missing_ok=True)
    db.write_bytes(base.read_bytes())
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA synchronous = OFF")
    top = {t: connection.execute(f"SELECT max(pk) FROM {t}").fetchone()[0] or 0 for t in COPIED}
    (n_events,) = connection.execute("SELECT count(*) FROM events").fetchone()
    per_copy = n_events
    copy = 1
    while n_events < target_events:
        for table in COPIED:
            cols = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
            values = []
            for col in cols:
                if col == "pk":
                    values.append(f"pk + {copy * top[table]}")
                elif col == "article_pk":
                    values.append(f"article_pk + {copy * top['articles']}")
                elif col == "cluster_pk":
                    values.append("NULL")  # clusters are not copied: a copy is no mention of a real event
                elif col in DAYS.get(table, ()):
                    values.append(f"date({col}, '+{copy} days')")
                elif col in UNIQUE.get(table, ()):
                    values.append(f"{col} || '-{copy}'")
                else:
                    values.append(col)
            connection.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(values)} FROM {table} "
                f"WHERE pk <= {top[table]}"
            )
        connection.commit()
        n_events += per_copy
        copy += 1
    connection.execute("ANALYZE")
    connection.commit()
    connection.close()
    return n_events


def upgrade(db: Path) -> None:
    """Bring a store built by an earlier run to this version's schema (``tacitus serve`` never migrates),
    and refresh the planner's statistics when that added indexes."""
    from tacitus.store import open_store

    def revision() -> str:
        with sqlite3.connect(db) as connection:
            return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]

    before = revision()
    open_store(db).close()
    if revision() != before:
        with sqlite3.connect(db) as connection:
            connection.execute("ANALYZE")
        print(f"upgraded {db} from schema revision {before} to {revision()}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user and system) process ``pid`` has used so far; None where /proc does not say.

    On a machine shared with other jobs the wall-clock time to open grows with the load (a process gets a
    share of a core); the CPU time it needed does not, so the benchmark reports both."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_server(db: Path) -> tuple[subprocess.Popen, str, float]:
    """Start ``tacitus serve`` and wait for its first answer: (process, base URL, seconds to open)."""
    port = _free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [TACITUS, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    while True:
        if process.poll() is not None:
            raise SystemExit(
                f"tacitus serve exited: {process.stderr.read().decode() if process.stderr else ''}"
            )
        try:
            if httpx.get(base + "/docs", timeout=5).status_code == 200:
                return process, base, time.perf_counter() - started
        except httpx.TransportError:
            time.sleep(0.02)
        if time.perf_counter() - started > 60:
            process.terminate()
            raise SystemExit("tacitus serve did not answer within 60 s")


def scenarios(db: Path, rng: random.Random) -> dict[str, list[str]]:
    """Request paths per kind, drawn from what the store holds so that filters match real rows."""
    connection = sqlite3.connect(db)
    codes = [
        r[0]
        for r in connection.execute("SELECT DISTINCT source_code FROM events WHERE source_code IS NOT NULL")
    ]
    roots = [r[0] for r in connection.execute("SELECT DISTINCT root FROM events")]
    speakers = [
        r[0]
        for r in connection.execute("SELECT DISTINCT speaker_code FROM quotes WHERE speaker_code IS NOT NULL")
    ]
    days = [
        r[0] for r in connection.execute("SELECT published_day FROM articles WHERE published_day IS NOT NULL")
    ]
    ids = [r[0] for r in connection.execute("SELECT article_id FROM articles ORDER BY random() LIMIT 500")]
    connection.close()
    words = ["police", "talks", "minister", "sanctions", "agreement"]

    def window() -> tuple[str, str]:
        first = rng.choice(days)
        return first, first[:8] + "28" if first[8:] < "28" else first

    kinds: dict[str, list[str]] = {
        "events, actor filter": [f"/api/events?actor={rng.choice(codes)[:3]}" for _ in range(50)],
        "events, actor + code": [
            f"/api/events?actor={rng.choice(codes)}&code={rng.choice(roots)}" for _ in range(50)
        ],
        "events, date range, newest first": [
            "/api/events?since={}&until={}&sort=-date".format(*window()) for _ in range(50)
        ],
        "events, words": [f"/api/events?text={rng.choice(words)}" for _ in range(50)],
        "quotes, speaker filter": [f"/api/quotes?actor={rng.choice(speakers)}" for _ in range(50)],
        "quotes, words + dates": [
            "/api/quotes?text={}&since={}&until={}".format(rng.choice(words), *window()) for _ in range(50)
        ],
        "article pages": [f"/articles/{i}" for i in ids],
        "search page, actor filter": [f"/?actor={rng.choice(codes)[:3]}" for _ in range(50)],
    }
    return kinds


def load(base: str, kinds: dict[str, list[str]], n: int, rng: random.Random) -> dict[str, list[float]]:
    """``n`` sequential requests per kind (bounded by TIME_LIMIT each): latencies in milliseconds."""
    results: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=30) as client:
        for kind, paths in kinds.items():
            timings: list[float] = []
            stop = time.perf_counter() + TIME_LIMIT
            for i in range(n):
                path = paths[i % len(paths)] if i < len(paths) else rng.choice(paths)
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")
                if time.perf_counter() > stop:
                    break
            results[kind] = timings
    return results


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per kind")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tacitus-bench-web")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(12)
    started = time.perf_counter()
    db = args.dir / f"web-{args.events}.db"
    if not db.exists():
        n = grow(base_store(args.dir), db.with_suffix(".partial"), args.events)
        db.with_suffix(".partial").rename(db)
        print(f"built a store of {n:,} events in {time.perf_counter() - started:.0f} s ({db})")
    upgrade(db)
    process, base, opened = start_server(db)
    opened_cpu = cpu_seconds(process.pid)
    try:
        summary = httpx.get(base + "/api/summary").json()
        cpu = f" ({opened_cpu:.2f} CPU s)" if opened_cpu is not None else ""
        print(
            f"store: {summary['articles']:,} articles, {summary['events']:,} events, {summary['quotes']:,} quotes; "
            f"tacitus serve answered {opened:.2f} s after launch{cpu}; load average {os.getloadavg()[0]:.1f} "
            f"on {os.cpu_count()} cores"
        )
        results = load(base, scenarios(db, rng), args.requests, rng)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    everything: list[float] = []
    print(f"{'requests':<36} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, timings in results.items():
        everything += timings
        print(
            f"{kind:<36} {len(timings):>5} {statistics.median(timings):>8.1f} {p95(timings):>8.1f} "
            f"{max(timings):>8.1f}"
        )
    print(f"{'all':<36} {len(everything):>5} {statistics.median(everything):>8.1f} {p95(everything):>8.1f} "
          f"{max(everything):>8.1f}")  # fmt: skip
    # opening is judged by the CPU time it took when the machine is busy with other jobs (its wall time
    # then says more about the load than about the server)
    opening = opened_cpu if opened_cpu is not None and os.getloadavg()[0] > 1 else opened
    goal = p95(everything) <= 100 and opening <= 1.2
    print(f"goal (p95 <= 100 ms, opens in about a second): {'met' if goal else 'NOT met'}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
