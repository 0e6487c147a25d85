"""Throughput and memory of the analysis pipeline (``make bench``).

Measures, on one process and on ``-j`` processes: articles per second, characters per second, model load
time and peak resident memory. By default it runs on the real news corpus in ../shared when present
(first ``--limit`` articles of allsides-intl), else on the bundled samples repeated. Speed lives here, never
in the unit tests.
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"


def load_articles(limit: int):
    from tacitus.jobs import sample_articles
    from tacitus.model import Article

    if CORPUS.exists():
        out = []
        with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row.get("text"):
                    out.append(Article(text=row["text"], id=str(row.get("id")), published=row.get("date")))
                if len(out) >= limit:
                    break
        return out, f"{CORPUS.name} (first {len(out)})"
    samples = sample_articles()
    reps = max(1, limit // len(samples))
    return samples * reps, f"bundled samples x{reps}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--limit", type=int, default=200, help="articles to analyse")
    parser.add_argument("-j", "--processes", type=int, default=2, help="processes for the parallel run")
    args = parser.parse_args()

    t0 = time.perf_counter()
    from tacitus.pipeline import analyze_batch, load_nlp

    load_nlp()
    load_s = time.perf_counter() - t0
    articles, label = load_articles(args.limit)
    chars = sum(len(a.text) for a in articles)
    print(f"corpus: {label}: {len(articles)} articles, {chars:,} characters")
    print(f"model + components load: {load_s:.2f} s")
    for n_process in sorted({1, args.processes}):
        start = time.perf_counter()
        records = list(analyze_batch(articles, n_process=n_process))
        took = time.perf_counter() - start
        events = sum(len(r.events) for r in records)
        quotes = sum(len(r.quotes) for r in records)
        print(
            f"n_process={n_process}: {took:.1f} s, {len(records) / took:.1f} articles/s, "
            f"{chars / took / 1000:.1f} k chars/s ({events} events, {quotes} quotes)"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS (main process): {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
