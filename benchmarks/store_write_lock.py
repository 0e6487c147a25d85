"""What one PostgreSQL write costs, and how much of it is clustering (``python benchmarks/store_write_lock.py``).

Several writers (Dask workers storing their partitions) take turns for clustering only
(``tacitus.store.WRITE_LOCK``): the clustering time per article bounds the articles per second one
database takes, whatever the number of workers. This analyses the first ``--articles`` AllSides articles
once (into a SQLite file), then writes their records ``--repeat`` times into a fresh PostgreSQL database
each, one writer, timing each ``Store.write`` and the ``clusters.on_article`` inside it. The machine's load
average is printed: on a shared machine the times are upper bounds. Needs the local PostgreSQL server
(``TACITUS_BENCH_PG``, default the tests' one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from scale import write_corpus  # noqa: E402

PG_SERVER = os.environ.get("TACITUS_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    from tacitus import jobs
    from tacitus.store import clusters, open_store

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(args.articles, corpus)
        jobs.process([corpus], Path(tmp) / "one.db")
        with open_store(Path(tmp) / "one.db") as store:
            records = list(store.records())

    clustering: list[float] = []
    on_article = clusters.on_article

    def timed(*a: object, **k: object) -> None:
        start = time.perf_counter()
        on_article(*a, **k)
        clustering.append(time.perf_counter() - start)

    clusters.on_article = timed
    writes: list[float] = []
    server = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    base = PG_SERVER.rsplit("/", 1)[0]
    for n in range(args.repeat):
        name = f"tacitus_write_lock_{os.getpid()}_{n}"
        with server.connect() as connection:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
        try:
            with open_store(f"{base}/{name}") as store:
                for record in records:
                    start = time.perf_counter()
                    store.write(record)
                    writes.append(time.perf_counter() - start)
        finally:
            with server.connect() as connection:
                connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    server.dispose()

    def ms(values: list[float]) -> str:
        return (
            f"median {statistics.median(values) * 1000:.1f} ms, mean {statistics.mean(values) * 1000:.1f} ms"
        )

    print(f"{len(writes)} writes of {len(records)} records, load average {os.getloadavg()[0]:.1f}")
    print(f"Store.write: {ms(writes)}")
    print(f"clustering inside it (taken in turn by all writers): {ms(clustering)}")
    print(f"one database takes at most about {1 / statistics.median(clustering):.0f} articles/s")


if __name__ == "__main__":
    main()
