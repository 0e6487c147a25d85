"""The Dask engine against the local one, and its cost as the corpus grows (``make bench-scale``).

Three measures, each run in a fresh Python process so that no cache or peak carries over:

1. **Engines** on the first 200 AllSides articles (``--engine-articles``): ``tacitus process`` into a fresh
   SQLite file with the local engine on 1 and 2 processes (``n_process``) and the Dask engine on a local
   cluster of 1 and 2 workers, each ``--repeat`` times. Reported: the whole run's wall time (start-up
   included), and the *steady* rate, articles stored per second once under way (:func:`steady_rate`:
   what a long run gets once the workers are up).
2. **Partition size** (articles per Dask task): 4, 16 and 64 on the same articles with 2 workers.
3. **Growth**: 500, 1,000, 2,000 and all 5,720 articles (``--sizes``) on 2 Dask workers: wall time, steady
   rate, the client's CPU seconds per article (reading, duplicates, learned boilerplate, storing: what
   bounds how many workers one client can feed), each worker's peak resident memory, and the store's
   size on disk.

The machine has 2 cores: a 2-worker run shares them with the client and with whatever else runs, so take
the timings when ``uptime`` is low; the load average is recorded with each run. Writes ``scale.md`` (tables)
and ``scale.svg`` (charts) beside this file, and the raw runs to ``scale.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"
ALL = 5720


def write_corpus(n: int, path: Path) -> int:
    """The first ``n`` AllSides articles as JSONL (their own text, ids and dates); how many were written."""
    written = 0
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        for line in lines:
            if written >= n:
                break
            row = json.loads(line)
            keep = {k: row.get(k) for k in ("id", "title", "url", "source", "text")}
            out.write(json.dumps({**keep, "published": row.get("date")}) + "\n")
            written += 1
    return written


def one_run(engine: str, workers: int, n: int, partition: int | None) -> dict:
    """One ``tacitus process`` run in this process; the figures as a dict (see the module docstring)."""
    import dask

    from tacitus import jobs

    folder = Path(tempfile.mkdtemp(prefix="tacitus-scale-"))
    corpus = folder / "corpus.jsonl"
    n = write_corpus(n, corpus)
    db = folder / "scale.db"
    stamps: list[float] = []
    load = os.getloadavg()[0]
    cluster = client = None
    scheduler = None
    # "dask-parquet": the Dask engine writing a Parquet dataset (`--out-parquet`): the workers write, the
    # client only reads, signs and dispatches, so the rate is Dask's own, not the client's SQLite writer's
    to_parquet = engine == "dask-parquet"
    engine_name = "dask" if to_parquet else engine
    if engine_name == "dask":
        # the engine's own local cluster, started here so its workers can be asked their peak memory
        from distributed import Client

        from tacitus.engines.dask import WORKER_MEMORY_LIMIT, local_cluster

        cluster = local_cluster(workers, WORKER_MEMORY_LIMIT)
        client = Client(cluster)
        scheduler = cluster.scheduler_address
    cpu0 = _cpu()
    start = time.perf_counter()
    config = {"tacitus.partition-size": partition} if partition else {}
    if to_parquet:
        from tacitus.datasets import process_to_parquet

        run, target = process_to_parquet, folder / "dataset"
    else:
        run, target = jobs.process, db
    with dask.config.set(config):
        report = run(
            [corpus],
            target,
            n_process=workers,
            engine=engine_name,
            scheduler=scheduler,
            progress=lambda k: stamps.append(time.perf_counter()),
        )
    wall = time.perf_counter() - start
    client_cpu = _cpu() - cpu0
    peaks: list[float] = []
    if client is not None:
        peaks = sorted(v / 1024 for v in client.run(_peak_kb).values())  # MB
        client.close()
        cluster.close()
    steady = steady_rate(stamps)
    # every process's CPU: this one and its children (the local engine's workers, the local cluster's,
    # once closed); unlike wall time it hardly moves when other work shares the cores
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total_cpu = client_cpu + children.ru_utime + children.ru_stime
    if to_parquet:
        size = sum(p.stat().st_size for p in (folder / "dataset").rglob("*") if p.is_file())
    else:
        with sqlite3.connect(db) as connection:  # the write-ahead log into the file, so sizes compare
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = sum(p.stat().st_size for p in folder.glob("scale.db*"))
    return {
        "engine": engine,
        "workers": workers,
        "articles": n,
        "partition": partition,
        "wall_s": round(wall, 2),
        "steady_per_s": round(steady, 3),
        "overall_per_s": round(n / wall, 3),
        "client_cpu_s_per_article": round(client_cpu / n, 4),
        "cpu_s_per_article": round(total_cpu / n, 4),
        "client_peak_mb": round(_peak_kb() / 1024, 1),
        "worker_peak_mb": [round(p, 1) for p in peaks],
        "store_mb": round(size / 1e6, 2),
        "stored": {"written": report.written} if to_parquet else report.stored,
        "duplicates": report.duplicates,
        "skipped": len(report.skipped),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def steady_rate(stamps: list[float]) -> float:
    """Articles per second once the run is under way: the least-squares slope of articles stored against
    time over the middle 80% of the run. Results come in bursts (a partition, a chunk), so the first and
    last stored article alone would count a whole burst against a few milliseconds; the slope over many
    bursts does not, and leaves start-up and the last stragglers out."""
    lo, hi = int(len(stamps) * 0.1), int(len(stamps) * 0.9)
    points = list(enumerate(stamps))[lo:hi]
    if len(points) < 2:
        return 0.0
    mean_t = statistics.fmean(t for _, t in points)
    mean_i = statistics.fmean(i for i, _ in points)
    var = sum((t - mean_t) ** 2 for _, t in points)
    return sum((t - mean_t) * (i - mean_i) for i, t in points) / var if var else 0.0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_fresh(engine: str, workers: int, n: int, partition: int | None = None) -> dict:
    """:func:`one_run` in a new Python process."""
    args = [sys.executable, __file__, "--one", engine, str(workers), str(n), str(partition or 0)]
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"run {args[3:]} failed:\n{done.stderr[-3000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(result), file=sys.stderr, flush=True)
    return result


def spread(values: list[float]) -> str:
    best = max(values)
    if len(values) == 1:
        return f"{best:.2f}"
    return f"{best:.2f} (worst {min(values):.2f}, median {statistics.median(values):.2f})"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--one", nargs=4, metavar=("ENGINE", "WORKERS", "N", "PARTITION"), help=argparse.SUPPRESS
    )
    parser.add_argument("--engine-articles", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--sizes", default=f"500,1000,2000,{ALL}", help="corpus sizes for the growth measure")
    parser.add_argument("--skip", default="", help="comma-separated: engines, partitions, growth")
    parser.add_argument(
        "--parquet",
        action="store_true",
        help="the engines measure also runs Dask with 1 and 2 workers writing Parquet (--out-parquet)",
    )
    parser.add_argument(
        "--only",
        choices=("engines", "partitions", "growth"),
        help="run this measure alone (the others' runs kept in scale.json stay in the report)",
    )
    args = parser.parse_args()
    if args.one:
        engine, workers, n, partition = args.one
        print(json.dumps(one_run(engine, int(workers), int(n), int(partition) or None)))
        return 0
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS}: missing; the scale benchmark runs on the AllSides corpus in ../shared")
    skip = set(filter(None, args.skip.split(",")))
    if args.only:
        skip = {"engines", "partitions", "growth"} - {args.only}
    raw_path = HERE / "scale.json"
    runs: list[dict] = json.loads(raw_path.read_text()) if raw_path.exists() else []

    def keep(result: dict, measure: str) -> None:
        runs.append({**result, "measure": measure, "when": time.strftime("%Y-%m-%d %H:%M")})
        raw_path.write_text(json.dumps(runs, indent=1) + "\n")

    n = args.engine_articles
    if "engines" not in skip:
        runs[:] = [r for r in runs if r["measure"] != "engines"]
        for _ in range(args.repeat):
            # interleaved, so a busy spell on the machine spreads over every engine rather than one
            pairs = [("local", 1), ("local", 2), ("dask", 1), ("dask", 2)]
            if args.parquet:
                pairs += [("dask-parquet", 1), ("dask-parquet", 2)]
            for engine, workers in pairs:
                keep(run_fresh(engine, workers, n), "engines")
    if "partitions" not in skip:
        runs[:] = [r for r in runs if r["measure"] != "partitions"]
        for size in (4, 16, 64):
            keep(run_fresh("dask", 2, n, size), "partitions")
    if "growth" not in skip:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        runs[:] = [r for r in runs if r["measure"] != "growth" or r["articles"] not in sizes]
        for size in sizes:
            keep(run_fresh("dask", 2, size), "growth")
    write_report(runs)
    return 0


def write_report(runs: list[dict]) -> None:
    """scale.md and scale.svg from every run kept in scale.json."""
    lines = [
        "# Scaling on Dask (`make bench-scale`)",
        "",
        "Generated by `benchmarks/scale.py` (raw runs in `scale.json`). `tacitus process` of AllSides "
        "articles (`../shared/corpora/allsides-intl.jsonl.gz`, first N) into a fresh SQLite file, each run "
        "in a new process, on this 2-core machine shared with other work (load average before each run "
        "shown). *Steady* is articles stored per second once under way (the slope of articles stored against "
        "time over the middle 80% of the run); *overall* is articles over the whole wall time, start-up (loading the model in each worker, learning boilerplate).",
        "",
    ]
    engines = [r for r in runs if r["measure"] == "engines"]
    if engines:
        lines += [
            f"## Engines, {engines[0]['articles']} articles",
            "",
            "| engine | workers | runs | steady articles/s: best (worst, median) | overall articles/s: best | "
            "wall s: best | CPU s per article, all processes: best | worker peak MB | load before |",
            "|---|---:|---:|---|---:|---:|---:|---|---|",
        ]
        for engine, workers in (
            ("local", 1), ("local", 2), ("dask", 1), ("dask", 2), ("dask-parquet", 1), ("dask-parquet", 2)
        ):  # fmt: skip
            rs = [r for r in engines if r["engine"] == engine and r["workers"] == workers]
            if not rs:
                continue
            peaks = ", ".join(f"{max(r['worker_peak_mb']):.0f}" for r in rs if r["worker_peak_mb"]) or "-"
            cpus = [r["cpu_s_per_article"] for r in rs if "cpu_s_per_article" in r]
            cpu = f"{min(cpus):.3f}" if cpus else "-"
            loads = ", ".join(f"{r['load_before']:.1f}" for r in rs)
            lines.append(
                f"| {engine} | {workers} | {len(rs)} | {spread([r['steady_per_s'] for r in rs])} | "
                f"{max(r['overall_per_s'] for r in rs):.2f} | {min(r['wall_s'] for r in rs):.1f} | {cpu} | {peaks} | "
                f"{loads} |"
            )
        best = {
            (e, w): max(r["steady_per_s"] for r in engines if r["engine"] == e and r["workers"] == w)
            for e, w in {(r["engine"], r["workers"]) for r in engines}
        }
        if {("dask", 2), ("local", 2), ("dask", 1)} <= best.keys():
            lines += [
                "",
                f"Best steady rates: Dask 2 workers / local n_process=2 = "
                f"{best['dask', 2] / best['local', 2]:.2f} (goal >= 0.90); Dask 2 workers / 1 worker = "
                f"{best['dask', 2] / best['dask', 1]:.2f} (goal >= 1.8).",
            ]
        if {("dask-parquet", 1), ("dask-parquet", 2)} <= best.keys():
            lines += [
                "",
                "Writing Parquet (`--out-parquet`: the workers write, the client stores nothing): Dask 2 workers / "
                f"1 worker = {best['dask-parquet', 2] / best['dask-parquet', 1]:.2f}; Dask 2 workers to Parquet / "
                f"local n_process=2 into SQLite = {best['dask-parquet', 2] / best['local', 2]:.2f}."
                if ("local", 2) in best
                else "",
            ]
        lines.append("")
    parts = [r for r in runs if r["measure"] == "partitions"]
    if parts:
        lines += [
            f"## Partition size, Dask 2 workers, {parts[0]['articles']} articles",
            "",
            "| articles per task | steady articles/s | overall articles/s | wall s | load before |",
            "|---:|---:|---:|---:|---:|",
        ]
        for r in sorted(parts, key=lambda r: r["partition"]):
            lines.append(
                f"| {r['partition']} | {r['steady_per_s']:.2f} | {r['overall_per_s']:.2f} | {r['wall_s']:.1f} | "
                f"{r['load_before']:.1f} |"
            )
        lines.append("")
    growth = sorted((r for r in runs if r["measure"] == "growth"), key=lambda r: r["articles"])
    if growth:
        lines += [
            "## Growth, Dask 2 workers",
            "",
            "| articles | wall s | s per article | steady articles/s | CPU s per article, all | client CPU s per "
            "article | client peak MB | worker peak MB | store MB | stored / duplicates / skipped | load before |",
            "|---:|---:|---:|---:|---:|---:|---:|---|---:|---|---:|",
        ]
        for r in growth:
            stored = sum(r["stored"].values())
            lines.append(
                f"| {r['articles']:,} | {r['wall_s']:.0f} | {r['wall_s'] / r['articles']:.3f} | "
                f"{r['steady_per_s']:.2f} | {r.get('cpu_s_per_article', 0):.3f} | "
                f"{r['client_cpu_s_per_article']:.3f} | {r['client_peak_mb']:.0f} | "
                f"{', '.join(f'{p:.0f}' for p in r['worker_peak_mb'])} | {r['store_mb']:.1f} | "
                f"{stored} / {r['duplicates']} / {r['skipped']} | {r['load_before']:.1f} |"
            )
        lines.append("")
    (HERE / "scale.md").write_text("\n".join(lines), encoding="utf-8")
    chart(engines, growth)


def chart(engines: list[dict], growth: list[dict]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    labels, best, worst = [], [], []
    for engine, workers in (("local", 1), ("local", 2), ("dask", 1), ("dask", 2)):
        rates = [r["steady_per_s"] for r in engines if r["engine"] == engine and r["workers"] == workers]
        if rates:
            labels.append(
                f"{engine}\n{workers} {'process' if engine == 'local' else 'worker'}"
                f"{'es' if engine == 'local' and workers > 1 else 's' if workers > 1 else ''}"
            )
            best.append(max(rates))
            worst.append(max(rates) - min(rates))
    ax = axes[0]
    ax.bar(labels, best, yerr=[worst, [0] * len(worst)], color=["#888", "#888", "#2a6", "#2a6"][: len(best)],
           capsize=4)  # fmt: skip
    ax.set_ylabel("articles/s (steady, best; bar: down to worst)")
    ax.set_title(f"Engines, {engines[0]['articles'] if engines else 0} articles")
    if growth:
        xs = [r["articles"] for r in growth]
        axes[1].plot(xs, [r["wall_s"] / 60 for r in growth], "o-", color="#26a")
        axes[1].set_xlabel("articles")
        axes[1].set_ylabel("minutes (2 Dask workers)")
        axes[1].set_title("Time as the corpus grows")
        axes[2].plot(
            xs, [max(r["worker_peak_mb"] or [0]) for r in growth], "o-", color="#a62", label="worker peak"
        )
        axes[2].plot(xs, [r["client_peak_mb"] for r in growth], "s--", color="#666", label="client peak")
        axes[2].plot(xs, [r["store_mb"] for r in growth], "^:", color="#2a6", label="SQLite store")
        axes[2].axhline(600, color="#a62", linewidth=0.8, linestyle="--")
        axes[2].set_xlabel("articles")
        axes[2].set_ylabel("MB")
        axes[2].set_title("Memory and store size")
        axes[2].legend()
    fig.tight_layout()
    fig.savefig(HERE / "scale.svg")


if __name__ == "__main__":
    sys.exit(main())
