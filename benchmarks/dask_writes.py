"""Where the Dask engine's records are written, and what it costs the client (``python benchmarks/dask_writes.py``).

One client feeds as many workers as its own CPU per article allows (``docs/dask.md``: about 5 when it
stores). This measures the client's CPU seconds per article, and the run's wall time, on the first
``--articles`` AllSides articles against a real ``dask scheduler`` and ``--workers`` ``dask worker``
processes started here, for each place the records can go (and the workers' own CPU seconds per article,
analysis and writing, which ``getrusage`` in each worker gives):

- ``client -> PostgreSQL``: the workers send the records back and the client stores them (what the Dask
  engine did before workers could write);
- ``workers -> PostgreSQL``: each worker stores its partitions (:mod:`tacitus.engines.writers`);
- ``workers -> Parquet``, then ``tacitus load`` of the dataset into SQLite (the load's own CPU is given).

Each run is a fresh Python process (``resource.getrusage`` of that process alone: the scheduler and the
workers are other processes). The machine has 2 cores shared with other work: the load average is
printed with each run. Needs the local PostgreSQL server (``TACITUS_BENCH_PG``, default the tests' one).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from scale import write_corpus  # noqa: E402

BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("TACITUS_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

RUN = r"""
import json, resource, sys, time
from tacitus import jobs
mode, corpus, target, scheduler = sys.argv[1:5]
if mode == "client":
    import tacitus.engines.writers as writers
    writers.worker_writes = lambda *args: {}  # the client stores, as before workers could
start = time.perf_counter()
if mode == "parquet":
    from tacitus.datasets import process_to_parquet
    report = process_to_parquet([corpus], target, engine="dask", scheduler=scheduler)
else:
    report = jobs.process([corpus], target, engine="dask", scheduler=scheduler)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_SELF)
out = {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "skipped": len(report.skipped)}
if mode == "parquet":
    from tacitus.datasets import load
    before = resource.getrusage(resource.RUSAGE_SELF)
    t = time.perf_counter()
    load(target, target + ".db")
    after = resource.getrusage(resource.RUSAGE_SELF)
    out["load_wall"] = time.perf_counter() - t
    out["load_cpu"] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
print(json.dumps(out))
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _worker_cpu() -> float:
    """A worker process's CPU seconds so far (run on each worker: analysis, its writes, Dask's work)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _database(name: str, drop: bool = False) -> str:
    import sqlalchemy as sa

    server = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        if not drop:
            connection.execute(sa.text(f"CREATE DATABASE {name}"))
    server.dispose()
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [_start([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                     "--dashboard-address", ":0"])]  # fmt: skip
    procs += [
        _start([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--dashboard-address", ":0"])
        for _ in range(args.workers)
    ]
    rows = []
    try:
        monitor = Client(address, timeout=30)  # asks the workers their own CPU seconds around each run
        monitor.wait_for_workers(args.workers, timeout=120)
        with tempfile.TemporaryDirectory() as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            n = write_corpus(args.articles, corpus)
            # a first run loads the pipeline on the workers, so that no measured run pays for it
            warm = Path(tmp) / "warm.jsonl"
            write_corpus(4, warm)
            subprocess.run([sys.executable, "-c", RUN, "parquet", str(warm), f"{tmp}/warm", address], check=True,
                           capture_output=True)  # fmt: skip
            for mode, label in (
                ("client", "client -> PostgreSQL"),
                ("workers", "workers -> PostgreSQL"),
                ("parquet", "workers -> Parquet"),
            ):
                target = f"{tmp}/ds" if mode == "parquet" else _database(f"tacitus_bench_{mode}")
                before = monitor.run(_worker_cpu)
                done = subprocess.run(
                    [sys.executable, "-c", RUN, mode, str(corpus), target, address],
                    check=True, capture_output=True, text=True,
                )  # fmt: skip
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                after = monitor.run(_worker_cpu)
                worker_cpu = sum(after[w] - before[w] for w in after)
                figures.update(label=label, n=n, load=os.getloadavg()[0], worker_cpu=worker_cpu)
                rows.append(figures)
                print(json.dumps(figures), flush=True)
                if mode != "parquet":
                    _database(f"tacitus_bench_{mode}", drop=True)
        monitor.close()
    finally:
        for proc in reversed(procs):
            _stop(proc)
    print(f"\n{args.articles} AllSides articles, {args.workers} dask workers (one thread each)\n")
    print(
        "| records written by | wall s | client CPU s | client CPU s / article | workers' CPU s / article | load average |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['label']} | {r['wall']:.1f} | {r['cpu']:.1f} | {r['cpu'] / r['n']:.3f} | "
            f"{r['worker_cpu'] / r['n']:.3f} | {r['load']:.1f} |"
        )
        if "load_cpu" in r:
            print(f"| then `tacitus load` into SQLite | {r['load_wall']:.1f} | {r['load_cpu']:.1f} | "
                  f"{r['load_cpu'] / r['n']:.3f} | |")  # fmt: skip


if __name__ == "__main__":
    main()
