"""Speed and memory of ``tacitus export`` on a store of a million events (``make bench``).

A few hundred allsides-intl articles are analysed once (kept in the bench folder, reused by later runs);
their rows (articles with their text and record, events, places, publications, event clusters) are then
copied with new primary keys and their days shifted by one day per copy, first up to 100,000 events, then
up to 1,000,000. At both sizes each format is exported by the command a user would type, in its own
process, measuring rows per second (wall clock, start-up included) and peak resident memory: memory that
does not grow from 100k to 1M events is what "constant memory" means here. Target: GDELT events
>= 100,000 rows/s.

Usage: ``python benchmarks/export.py [--articles 300] [--events 100000,1000000] [--only gdelt,polecat]
[--dir DIR] [--keep]`` (``--only``: the runs whose label contains one of these words, case-insensitive;
``--keep``: keep each size's store as ``DIR/store-N.db`` and reuse it next time, since growing a store of a
million events takes minutes).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"
TACITUS = [str(Path(sys.executable).with_name("tacitus"))]

# (label, table, format, output): what is exported at each size. "-" writes to /dev/null.
RUNS = [
    ("GDELT events", "events", "gdelt", "-"),
    ("GDELT mentions", "mentions", "gdelt", "-"),
    ("POLECAT", "events", "polecat", "-"),
    ("CSV events", "events", "csv", "-"),
    ("JSONL events", "events", "jsonl", "-"),
    ("Parquet events (file)", "events", "parquet", "events.parquet"),
    ("Parquet events (by month)", "events", "parquet", "events-by-month"),
]

# Tables copied, and how each copy's columns change: keys move by a per-table offset, unique keys get the
# copy number, days move by one day per copy (so a Parquet dataset has months to split into).
COPIED = ("articles", "events", "places", "publications", "event_clusters")
KEYS = {
    "pk": None, "article_pk": "articles", "cluster_pk": "event_clusters", "event_pk": "events",
    # an event's GDELT places (revision 0013)
    "source_place_pk": "places", "target_place_pk": "places", "place_pk": "places",
}  # fmt: skip
DAYS = {"articles": ("published_day",), "events": ("day",), "event_clusters": ("day", "last_day")}
UNIQUE = {"articles": "content_hash", "publications": "key"}


def base_store(folder: Path, n_articles: int) -> Path:
    """Analyse the first ``n_articles`` allsides articles into ``base-N.db`` (once; reused afterwards), in
    a child process: a parent that had loaded spaCy would hand its peak memory down to every export it
    starts (Linux counts a forked child's copy of its parent in the child's peak), hiding the exports' own."""
    db = folder / f"base-{n_articles}.db"
    if not db.exists():
        subprocess.run(
            [sys.executable, __file__, "--analyse", str(n_articles), "--dir", str(folder)], check=True
        )
    return db


def analyse(folder: Path, n_articles: int) -> None:
    """The child's part of :func:`base_store`."""
    db = folder / f"base-{n_articles}.db"
    from tacitus import jobs
    from tacitus.model import Article

    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS} is missing: the export benchmark needs ../shared/corpora")
    articles = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("text"):
                articles.append(
                    Article(
                        text=row["text"],
                        id=str(row["id"]),
                        title=row.get("title"),
                        published=row.get("date"),
                        url=row.get("url"),
                        source=row.get("source"),
                    )  # fmt: skip
                )
            if len(articles) >= n_articles:
                break
    partial = db.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    report = jobs.process([], str(partial), articles=articles, n_process=2)
    print(f"analysed {report.read} articles in {time.perf_counter() - started:.0f} s: {report.stored}")
    partial.rename(db)


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]


def grow(db: Path, base: dict[str, int], target_events: int) -> int:
    """Add copies of the base rows to ``db`` until it holds at least ``target_events`` events."""
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA synchronous = OFF")
    (events,) = connection.execute("SELECT count(*) FROM events").fetchone()
    (copies,) = connection.execute("SELECT count(*) FROM articles").fetchone()
    copy = copies // base["n_articles"]
    while events < target_events:
        for table in COPIED:
            cols = _columns(connection, table)
            values = []
            for col in cols:
                if col in KEYS:
                    owner = KEYS[col] or table
                    values.append(f"{col} + {copy * base[owner]}")
                elif col in DAYS.get(table, ()):
                    values.append(f"date({col}, '+{copy} days')")
                elif col == UNIQUE.get(table):
                    values.append(f"{col} || '-{copy}'")
                else:
                    values.append(col)
            connection.execute(
                f"INSERT INTO {table} ({', '.join(cols)}) SELECT {', '.join(values)} FROM {table} "
                f"WHERE pk <= {base[table]}"
            )
        connection.commit()
        events += base["n_events"]
        copy += 1
    # fold the write-ahead log into the file, so the exports read a store at rest, as a finished one is
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return events


def measure(db: Path, folder: Path, table: str, fmt: str, output: str) -> tuple[int, float, float, int]:
    """Run one export in its own process: (rows, wall seconds, CPU seconds, peak RSS in MB).

    CPU time is reported beside the wall clock because the machines this runs on are often shared: rows
    per CPU second is what the code does, rows per second what a user waited for."""
    target = "/dev/null" if output == "-" else str(folder / output)
    if output != "-":
        shutil.rmtree(target, ignore_errors=True)
        Path(target).unlink(missing_ok=True)
    command = [*TACITUS, "export", table, "--db", str(db), "--format", fmt, "-o", target]
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read() if process.stderr else ""
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr}")
    rows = int(stderr.split("exported ", 1)[1].split(" ", 1)[0].replace(",", ""))
    return rows, seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300, help="allsides articles analysed for the base")
    parser.add_argument("--events", default="100000,1000000", help="store sizes (events), comma-separated")
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "tacitus-bench-export")
    parser.add_argument("--only", help="only the runs whose label has one of these words: gdelt,polecat")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep each size's store in --dir (store-N.db) and reuse it in later runs instead of growing it again",
    )
    parser.add_argument("--analyse", type=int, help=argparse.SUPPRESS)  # the child of base_store
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.analyse:
        analyse(args.dir, args.analyse)
        return 0
    base_db = base_store(args.dir, args.articles)
    db = args.dir / "store.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copy(base_db, db)
    # a base analysed by an older Tacitus is migrated now, in a child (no store code in this process), so
    # that no export's time includes building a new revision's indexes
    code = f"from tacitus.store import open_store; open_store({str(db)!r}).close()"
    subprocess.run([sys.executable, "-c", code], check=True)
    with sqlite3.connect(db) as connection:
        base = {t: connection.execute(f"SELECT coalesce(max(pk), 0) FROM {t}").fetchone()[0] for t in COPIED}
        base["n_articles"] = connection.execute("SELECT count(*) FROM articles").fetchone()[0]
        base["n_events"] = connection.execute("SELECT count(*) FROM events").fetchone()[0]
    print(
        f"base: {base['n_articles']} articles, {base['n_events']} events, {base['event_clusters']} clusters"
    )
    results: dict[str, dict[int, tuple[int, float, float, int]]] = {}
    for size in (int(s) for s in args.events.split(",")):
        started = time.perf_counter()
        kept = args.dir / f"store-{size}.db"
        if args.keep and kept.exists():
            # grown by an earlier run: migrated like the base (an older revision's store gets the new one)
            db = kept
            subprocess.run([sys.executable, "-c", f"from tacitus.store import open_store; open_store({str(db)!r}).close()"], check=True)  # fmt: skip
            with sqlite3.connect(db) as connection:
                (events,) = connection.execute("SELECT count(*) FROM events").fetchone()
            print(
                f"\nstore of {events:,} events ({db.stat().st_size / 1e9:.1f} GB), kept from an earlier run"
            )
        else:
            if args.keep:  # the next size grows from a copy of this one
                shutil.copy(db, kept)
                db = kept
            events = grow(db, base, size)
            print(f"\nstore of {events:,} events ({db.stat().st_size / 1e9:.1f} GB), grown in "
                  f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        for label, table, fmt, output in RUNS:
            if args.only and not any(w.strip().lower() in label.lower() for w in args.only.split(",")):
                continue
            rows, seconds, cpu, rss = measure(db, args.dir, table, fmt, output)
            results.setdefault(label, {})[events] = (rows, seconds, cpu, rss)
            print(
                f"  {label:26s} {rows:>9,} rows {seconds:6.1f} s {rows / seconds:>8,.0f} rows/s | "
                f"{cpu:6.1f} CPU s {rows / cpu:>8,.0f} rows/CPU s | peak RSS {rss:4d} MB",
                flush=True,
            )
    sizes = sorted({n for by_size in results.values() for n in by_size})
    if len(sizes) > 1:
        print("\npeak RSS, smallest vs largest store (MB):")
        for label, by_size in results.items():
            print(f"  {label:26s} {by_size[sizes[0]][3]:4d} -> {by_size[sizes[-1]][3]:4d}")
    if "GDELT events" not in results:
        return 0
    rows, seconds, cpu, _ = results["GDELT events"][sizes[-1]]
    rate = rows / seconds
    print(
        f"\nGDELT events: {rate:,.0f} rows/s, {rows / cpu:,.0f} rows per CPU second (target >= 100,000 rows/s): "
        f"{'met' if rate >= 100_000 else 'NOT met'}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
