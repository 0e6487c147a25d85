"""The clustering's reads as the store grows, on SQLite and PostgreSQL (issue 14's slow PostgreSQL soak).

``tacitus process`` spends most of a write on PostgreSQL, late in a long run, in the clustering's reads of
candidate clusters' members (``benchmarks/soak.md``). This separates those reads from the analysis: it stores
``tacitus extract`` records (made once, in input order) with :meth:`Store.write`, as ``process`` stores them.

``build`` stores the first ``--count`` records into a fresh database (a SQLite file or a PostgreSQL database
on the local server) and keeps it. ``next`` copies that store (a file copy; ``CREATE DATABASE ... TEMPLATE``)
and stores the next ``--count`` records into the copy, timing every statement by its text, and prints:
articles per second, the client's CPU seconds, the PostgreSQL backends' CPU seconds (read from /proc, so
the server's share is counted too), the statements that took the most time, and a digest of the clusters
(each cluster as its members' article ids and event seqs, and its counts and days), which must be the same
on both databases and before and after a change. With ``--explain`` it runs ``EXPLAIN (ANALYZE, BUFFERS)``
(SQLite: ``EXPLAIN QUERY PLAN``) on the slowest call of the slowest statement, with that call's parameters.

    .venv/bin/python benchmarks/cluster_reads.py --records records.jsonl build --db pg:cr_base --count 2000
    .venv/bin/python benchmarks/cluster_reads.py --records records.jsonl next --db pg:cr_base --skip 2000 \\
        --count 200 --explain
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import shutil
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

PG_SERVER = os.environ.get("TACITUS_BENCH_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def url_of(db: str) -> str:
    """``pg:NAME`` is database NAME on the local server; anything else a SQLite path."""
    return PG_SERVER.rsplit("/", 1)[0] + "/" + db[3:] if db.startswith("pg:") else db


def _admin(sql: str) -> None:
    admin = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(sql))
    admin.dispose()


def fresh(db: str, template: str | None = None) -> str:
    """Make ``db`` empty (or a copy of ``template``) and return its URL or path."""
    if db.startswith("pg:"):
        _admin(f"DROP DATABASE IF EXISTS {db[3:]} WITH (FORCE)")
        _admin(f"CREATE DATABASE {db[3:]}" + (f" TEMPLATE {template[3:]}" if template else ""))
    else:
        Path(db).unlink(missing_ok=True)
        if template:
            shutil.copyfile(template, db)
    return url_of(db)


def records(path: Path, skip: int, count: int) -> Iterator[Any]:
    """The records of lines ``skip`` to ``skip + count`` (a duplicate's line holds no record: skipped)."""
    from tacitus.model import Record

    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if n >= skip + count:
                return
            data = json.loads(line)
            if n >= skip and "events" in data:
                yield Record.from_dict(data)


_IN_LIST = re.compile(r"IN \((?:[^()]|\([^()]*\))*\)")


class Timer:
    """Each statement's calls and wall time, by its SQL text; the slowest call's parameters."""

    def __init__(self, engine: sa.Engine) -> None:
        self.total: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.slowest: dict[str, tuple[float, str, Any]] = {}
        self.pids: set[int] = set()
        sa.event.listen(engine, "before_cursor_execute", self.before)
        sa.event.listen(engine, "after_cursor_execute", self.after)
        if engine.dialect.name == "postgresql":
            sa.event.listen(engine, "checkout", self.checked_out)

    def checked_out(self, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        # on checkout, not connect: open_store's migration made the pooled connection before this timer
        if "pid" not in record.info:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                record.info["pid"] = cursor.fetchone()[0]
        self.pids.add(record.info["pid"])

    def before(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        conn.info["t0"] = time.perf_counter()

    def after(self, conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        took = time.perf_counter() - conn.info.pop("t0")
        key = _IN_LIST.sub("IN (...)", statement)  # an IN list of any length is one statement
        self.total[key] += took
        self.calls[key] += 1
        if not many and took > self.slowest.get(key, (0.0, "", None))[0]:
            self.slowest[key] = (took, statement, params)

    def server_cpu(self) -> float:
        """CPU seconds of the PostgreSQL backends this engine connected to (each still open in the pool)."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in self.pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def cluster_digest(engine: sa.Engine) -> tuple[str, int, int]:
    """A hash of every event and quote cluster as its members (article id, seq) and its row's values, and
    the numbers of each: pks are left out, so two stores that clustered alike give the same digest."""
    from tacitus.store.schema import articles, event_clusters, events, quote_clusters, quotes

    parts = []
    counts = []
    with engine.connect() as connection:
        for table, members, rep in (
            (event_clusters, events, "event_pk"),
            (quote_clusters, quotes, "quote_pk"),
        ):
            key = {}
            grouped: dict[int, list[tuple[str, int]]] = defaultdict(list)
            stmt = sa.select(members.c.pk, members.c.cluster_pk, articles.c.article_id, members.c.seq).join(
                articles, articles.c.pk == members.c.article_pk
            )
            for pk, cluster_pk, article_id, seq in connection.execute(stmt):
                key[pk] = (article_id, seq)
                if cluster_pk is not None:
                    grouped[cluster_pk].append((article_id, seq))
            skip = {"pk", "added_at", rep}
            rows = []
            for row in connection.execute(sa.select(table)).mappings():
                values = {k: v for k, v in row.items() if k not in skip}
                values["members"] = sorted(grouped[row["pk"]])
                values["rep"] = key.get(row[rep])
                rows.append(json.dumps(values, sort_keys=True, default=str))
            parts.append(sorted(rows))
            counts.append(len(rows))
    return hashlib.sha1(json.dumps(parts).encode()).hexdigest()[:16], counts[0], counts[1]


def store_records(url: str, path: Path, skip: int, count: int, explain: bool, top: int) -> dict[str, Any]:
    from tacitus.store import open_store

    recs = list(records(path, skip, count))
    with open_store(url) as store:
        timer = Timer(store.engine)
        with store.engine.connect():
            pass  # a pooled connection before the clock starts, so its backend is known
        server0 = timer.server_cpu()
        cpu0, wall0 = _cpu(), time.perf_counter()
        for rec in recs:
            store.write(rec)
        wall, cpu = time.perf_counter() - wall0, _cpu() - cpu0
        server = timer.server_cpu() - server0
        digest, n_events, n_quotes = cluster_digest(store.engine)
        ranked = sorted(timer.total, key=timer.total.get, reverse=True)[:top]
        out = {
            "url": url.rsplit("/", 1)[-1],
            "articles": len(recs),
            "wall_s": round(wall, 1),
            "articles_per_s": round(len(recs) / wall, 2),
            "client_cpu_s": round(cpu, 1),
            "server_cpu_s": round(server, 1),
            "load": os.getloadavg(),
            "event_clusters": n_events,
            "quote_clusters": n_quotes,
            "cluster_digest": digest,
            "statements": [
                {
                    "calls": timer.calls[s],
                    "total_s": round(timer.total[s], 2),
                    "mean_ms": round(1000 * timer.total[s] / timer.calls[s], 2),
                    "max_ms": round(1000 * timer.slowest.get(s, (0.0, "", None))[0], 1),
                    "sql": " ".join(s.split())[:300],
                }
                for s in ranked
            ],
        }
        if explain and ranked:
            _, statement, params = timer.slowest[ranked[0]]
            out["plan"] = plan(store.engine, statement, params)
    return out


def plan(engine: sa.Engine, statement: str, params: Any) -> list[str]:
    """The plan of one statement as it ran (with its parameters): analysed on PostgreSQL."""
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN "
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(prefix + statement, params).all()
    return [" | ".join(str(v) for v in row) for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=Path, required=True, help="tacitus extract's JSONL, in input order")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="store the first --count records into a fresh --db")
    build.add_argument("--db", required=True, help="pg:NAME (local PostgreSQL) or a SQLite path")
    build.add_argument("--count", type=int, required=True)
    build.add_argument(
        "--skip", type=int, default=0, help="add to --db, which holds the first --skip records"
    )
    nxt = sub.add_parser("next", help="copy --db and store the next --count records into the copy")
    nxt.add_argument("--db", required=True)
    nxt.add_argument("--copy", help="the copy's name (default: --db with _next)")
    nxt.add_argument("--skip", type=int, required=True, help="records --db holds (the lines to skip)")
    nxt.add_argument("--count", type=int, default=200)
    nxt.add_argument("--explain", action="store_true", help="plan the slowest statement's slowest call")
    nxt.add_argument("--top", type=int, default=8, help="statements listed")
    nxt.add_argument("--keep", action="store_true", help="keep the copy")
    args = parser.parse_args(argv)
    if args.command == "build":
        url = fresh(args.db) if args.skip == 0 else url_of(args.db)
        result = store_records(url, args.records, args.skip, args.count, False, 8)
    else:
        copy = args.copy or (args.db + "_next" if args.db.startswith("pg:") else args.db + ".next")
        url = fresh(copy, template=args.db)
        try:
            result = store_records(url, args.records, args.skip, args.count, args.explain, args.top)
        finally:
            if not args.keep:
                _admin(f"DROP DATABASE IF EXISTS {copy[3:]} WITH (FORCE)") if copy.startswith(
                    "pg:"
                ) else Path(copy).unlink(missing_ok=True)
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
