"""Measure the word caches of the cluster rules: hit rate and storing CPU per article at several sizes.

``content_words``, ``quote_words``, ``name_words`` and ``idf`` (``tacitus.store.cluster_words``, ``quote_rules``) are ``functools.lru_cache``d;
a long run's client holds every entry until the cache is full (benchmarks/memory.md: ``quote_words`` alone
near 70 MB at 65,536 entries). This stores ``tacitus extract`` records into a scratch SQLite store, in
input order as ``tacitus process`` would, once per size, each in a fresh process, and prints each cache's
hits, misses and size, the CPU seconds of the writes per article and (``--trace``, slower) the memory the
caches hold at the end. A size ``write`` is an unbounded cache cleared after every article.

    .venv/bin/python tools/cluster_cache.py --records records.jsonl --limit 600 --sizes 65536 8192 write
"""

from __future__ import annotations

import argparse
import functools
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

CACHED = ("content_words", "quote_words", "name_words", "idf")


def _resize(size: str) -> list:
    """Replace the four caches by caches of ``size`` wherever the store's modules bound them."""
    from tacitus.store import cluster_rows, cluster_rules, cluster_words, clusters, quote_rules

    modules = (cluster_words, quote_rules, cluster_rules, cluster_rows, clusters)
    made = []
    for name in CACHED:
        plain = next(getattr(m, name) for m in modules if hasattr(m, name)).__wrapped__
        cached = functools.lru_cache(maxsize=None if size == "write" else int(size))(plain)
        for module in modules:
            if hasattr(module, name):
                setattr(module, name, cached)
        made.append(cached)
    return made


def run_one(records: Path, limit: int, size: str, trace: bool) -> dict:
    """Store the first ``limit`` records with caches of ``size``; the caches' counts and the CPU."""
    from tacitus.model import Record
    from tacitus.store import open_store

    caches = _resize(size)
    with records.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for _, line in zip(range(limit), handle, strict=False)]
    recs = [Record.from_dict(r) for r in rows if "events" in r]
    if trace:
        import tracemalloc

        tracemalloc.start()
    totals = {name: [0, 0] for name in CACHED}
    with tempfile.TemporaryDirectory(prefix="tacitus-cache-") as folder:
        store = open_store(Path(folder) / "c.db")
        before = resource.getrusage(resource.RUSAGE_SELF)
        for rec in recs:
            store.write(rec)
            if size == "write":
                for name, cache in zip(CACHED, caches, strict=True):
                    info = cache.cache_info()
                    totals[name][0] += info.hits
                    totals[name][1] += info.misses
                    cache.cache_clear()
        after = resource.getrusage(resource.RUSAGE_SELF)
        held = None
        if trace:
            snap = tracemalloc.take_snapshot().filter_traces(
                [
                    tracemalloc.Filter(True, "*store/cluster_words.py"),
                    tracemalloc.Filter(True, "*store/quote_rules.py"),
                ]
            )
            held = sum(s.size for s in snap.statistics("filename"))
        store.close()
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    out = {"size": size, "articles": len(recs), "cpu_ms_per_article": 1000 * cpu / len(recs)}
    for name, cache in zip(CACHED, caches, strict=True):
        info = cache.cache_info()
        hits, misses = totals[name] if size == "write" else (info.hits, info.misses)
        out[name] = {
            "hits": hits,
            "misses": misses,
            "hit_rate": round(hits / (hits + misses), 4) if hits + misses else None,
            "currsize": info.currsize,
        }
    if held is not None:
        out["traced_cluster_rules_mb"] = round(held / 1e6, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True, help="tacitus extract output (JSONL)")
    parser.add_argument("--limit", type=int, default=600, help="store the first N lines")
    parser.add_argument("--sizes", nargs="+", default=["65536", "8192", "write"])
    parser.add_argument("--trace", action="store_true", help="also the memory held (tracemalloc, slow)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.records, args.limit, args.one, args.trace)))
        return
    for size in args.sizes:
        cmd = [sys.executable, __file__, "--records", str(args.records), "--limit", str(args.limit)]
        cmd += ["--one", size] + (["--trace"] if args.trace else [])
        print(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
