"""A Dask worker's peak memory over AllSides' longest articles, with and without the engine's memory settings
(``python benchmarks/worker_memory.py``; :mod:`tacitus.lean` says what they do).

One ``tacitus process --engine dask`` run on a local cluster of ``--workers`` workers, into a fresh SQLite
file, of the articles ``--set`` names: ``longest`` (the ``--longest`` longest of the corpus, in corpus
order, so that long articles share ``nlp.pipe`` batches: the worst case) or ``mix`` (the first ``--first``
articles, then the longest). Reported: each worker's peak resident memory (``VmHWM``), the workers' CPU
seconds per article (``getrusage`` in each worker: analysis and Dask's work around it), the client's,
and the stored records, written sorted by id to ``--records`` so two runs can be compared line for line
(``--lean false`` runs without the settings: ``DASK_TACITUS__LEAN_MEMORY=false`` in the workers;
``--mmap 0`` keeps the chains lean but leaves glibc's mmap threshold alone).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"


def pick(which: str, longest: int, first: int) -> list[dict]:
    """The articles of ``which`` set, in corpus order, as ``scale.write_corpus`` writes them."""
    rows = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            keep = {k: row.get(k) for k in ("id", "title", "url", "source", "text")}
            rows.append({**keep, "published": row.get("date")})
    long_ones = set(sorted(range(len(rows)), key=lambda i: -len(rows[i]["text"]))[:longest])
    chosen = (
        sorted(long_ones)
        if which == "longest"
        else list(range(first)) + sorted(i for i in long_ones if i >= first)
    )
    return [rows[i] for i in chosen]


def _worker_figures() -> dict:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"peak_kb": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime}


def run(args: argparse.Namespace) -> dict:
    os.environ["DASK_TACITUS__LEAN_MEMORY"] = args.lean  # inherited by the local cluster's workers
    if args.mmap is not None:
        os.environ["DASK_TACITUS__MALLOC_MMAP_THRESHOLD"] = str(args.mmap)
    import dask
    from distributed import Client

    from tacitus import jobs
    from tacitus.engines.dask import WORKER_MEMORY_LIMIT, local_cluster
    from tacitus.store import open_store

    dask.config.refresh()
    folder = Path(tempfile.mkdtemp(prefix="tacitus-wmem-"))
    corpus = folder / "corpus.jsonl"
    articles = pick(args.set, args.longest, args.first)
    corpus.write_text("".join(json.dumps(a) + "\n" for a in articles), encoding="utf-8")
    db = folder / "run.db"
    cluster = local_cluster(args.workers, WORKER_MEMORY_LIMIT)
    client = Client(cluster)
    load = os.getloadavg()[0]
    before = client.run(_worker_figures)
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    report = jobs.process(
        [corpus], db, n_process=args.workers, engine="dask", scheduler=cluster.scheduler_address
    )
    wall = time.perf_counter() - start
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    after = client.run(_worker_figures)
    client.close()
    cluster.close()
    n = len(articles)
    worker_cpu = sum(after[w]["cpu"] - before[w]["cpu"] for w in after)
    with open_store(db) as store:
        records = sorted((r.to_json() for r in store.records()), key=lambda j: json.loads(j)["id"])
    if args.records:
        Path(args.records).write_text("".join(r + "\n" for r in records), encoding="utf-8")
    return {
        "set": args.set,
        "articles": n,
        "characters": sum(len(a["text"]) for a in articles),
        "longest": max(len(a["text"]) for a in articles),
        "workers": args.workers,
        "lean": args.lean,
        "mmap_threshold": args.mmap,
        "worker_peak_mb": sorted(round(f["peak_kb"] / 1024, 1) for f in after.values()),
        "worker_cpu_s_per_article": round(worker_cpu / n, 4),
        "client_cpu_s_per_article": round(
            (cpu1.ru_utime + cpu1.ru_stime - cpu0.ru_utime - cpu0.ru_stime) / n, 4
        ),
        "wall_s": round(wall, 1),
        "stored": report.stored,
        "skipped": len(report.skipped),
        "records": len(records),
        "load_before": round(load, 1),
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("longest", "mix"), default="longest")
    parser.add_argument("--longest", type=int, default=50)
    parser.add_argument("--first", type=int, default=200)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--lean", default="true", help="true (the engine's default) or false")
    parser.add_argument("--mmap", type=int, help="glibc mmap threshold in bytes (0: glibc's own)")
    parser.add_argument("--records", help="write the stored records here, one JSON line each, sorted by id")
    args = parser.parse_args()
    if not CORPUS.exists():
        raise SystemExit(f"{CORPUS}: missing")
    print(json.dumps(run(args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
