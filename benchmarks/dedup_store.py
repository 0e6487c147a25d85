"""Duplicate detection against a large store (``make bench``): start-up time, peak memory, lookups per second.

For each size N it fills a fresh SQLite store with N articles and their MinHash signatures, then runs the
duplicate check of ``tacitus process`` twice, each time in a fresh process so that each peak resident
memory is that run's own: ``make_preparer(store=...)`` (the start-up of a run) and then
``preparer.index.find`` for the query fingerprints (the lookups). The first run on a store also does what
a new version does once (computing what the store lacks, e.g. band keys); the second is every later run.

The signatures are not random noise, which no query would ever collide with. They are the real
fingerprints of the allsides-intl articles in ../shared (5,720 texts), "mutated": each stored signature is
one of them with every value replaced, with probability ``1 - KEEP``, by a fresh random value. A mutant
shares about ``KEEP`` of its values with its real article, so it is a related story that LSH proposes as a
candidate and the decision rejects (its Jaccard estimate is far below 0.2). ``KEEP`` is set so that a
lookup meets as many such false candidates per 1,000 stored articles as a real allsides article meets
among the other real ones: measured on the corpus (all 5,720 indexed, each queried with datasketch's
MinHashLSH at the threshold and 256 permutations Tacitus uses), 0.112 per 1,000, so about 110 candidates
per lookup in a store of a million. The first ``--queries / 2`` real articles are stored unmutated too, so
half the queries (real articles) have a duplicate in the store and half do not; the number found and a
digest of what was found are printed, so two versions of the code can be checked to agree.

Sizes default to 10,000 and 100,000 (about 3 minutes on 2 cores). ``--sizes 10000,100000,1000000`` adds a
million: about 4 GB of disk in the temporary folder, removed afterwards, and 15 minutes, most of it the first
run's making of 51 million band keys. The code before band keys (every signature loaded into memory) needs
about 19 GB for a million, so measure it at 10,000 and 100,000 only.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"
# False LSH candidates a real allsides article meets per 1,000 other real ones (see the module docstring).
FALSE_CANDIDATES_PER_1000 = 0.112
CHUNK = 5000


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def real_fingerprints() -> tuple[np.ndarray, np.ndarray]:
    """Hash values (one row per article) and shingle counts of the corpus's non-empty articles."""
    from tacitus.ingest.dedup import fingerprint

    values, sizes = [], []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as fh:
        for line in fh:
            print_ = fingerprint(json.loads(line).get("text") or "")
            if print_.size:
                values.append(np.asarray(print_.minhash.hashvalues, dtype=np.uint32))
                sizes.append(print_.size)
    return np.stack(values), np.asarray(sizes)


def keep_share(n_real: int) -> float:
    """``KEEP``: the share of values a mutant keeps, so that false candidates match the corpus's rate.

    A query's own real article has ``N / n_real`` mutants among N stored; each is a candidate with
    probability ``1 - (1 - KEEP**r) ** b``; that times ``1000 / n_real`` must be the measured rate.
    """
    from tacitus.ingest.dedup import band_params

    b, r = band_params()
    p_candidate = FALSE_CANDIDATES_PER_1000 * n_real / 1000
    return (1 - (1 - p_candidate) ** (1 / b)) ** (1 / r)


def fill(db: Path, n: int, values: np.ndarray, sizes: np.ndarray, planted: int, seed: int = 7) -> float:
    """Create a store at ``db`` with ``n`` articles and signatures; return the seconds it took."""
    import sqlalchemy as sa
    from datasketch import LeanMinHash

    from tacitus.ingest.dedup import SCHEME, SEED
    from tacitus.store import open_store
    from tacitus.store.schema import articles, signatures

    started = time.perf_counter()
    rng = np.random.default_rng(seed)
    keep = keep_share(len(values))
    store = open_store(db)
    buf = bytearray(LeanMinHash(seed=SEED, hashvalues=values[0], scheme="affine32").bytesize())
    with store.engine.begin() as connection:
        for start in range(0, n, CHUNK):
            idx = np.arange(start, min(n, start + CHUNK))
            base = np.where(idx < planted, idx, rng.integers(0, len(values), len(idx)))
            hv = values[base].copy()
            mutate = (idx >= planted)[:, None] & (rng.random(hv.shape) >= keep)
            hv[mutate] = rng.integers(0, 2**32, int(mutate.sum()), dtype=np.uint64).astype(np.uint32)
            article_rows, signature_rows = [], []
            for i, row, b in zip(idx.tolist(), hv, base.tolist(), strict=True):
                text = f"synthetic article {i}"
                article_rows.append(
                    {
                        "pk": i + 1,
                        "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                        "article_id": f"s{i}",
                        "text": text,
                        "record": {},
                        "n_actors": 0,
                        "n_quotes": 0,
                        "n_events": 0,
                        "tacitus_version": "bench",
                        "processed_at": "2026-12-03T00:00:00+00:00",
                    }
                )
                LeanMinHash(seed=SEED, hashvalues=row, scheme="affine32").serialize(buf)
                signature_rows.append(
                    {"article_pk": i + 1, "scheme": SCHEME, "size": int(sizes[b]), "minhash": bytes(buf)}
                )
            connection.execute(sa.insert(articles), article_rows)
            connection.execute(sa.insert(signatures), signature_rows)
    store.close()
    return time.perf_counter() - started


def child(db: str, queries: str) -> None:
    """One run's duplicate check in this process; print a JSON line of what it measured."""
    rss_imports = _rss_mb()
    from tacitus.batch import make_preparer
    from tacitus.ingest.dedup import Fingerprint
    from tacitus.store import open_store

    data = np.load(queries)
    prints = [
        Fingerprint.from_bytes(bytes(row), int(size))
        for row, size in zip(data["raw"], data["sizes"], strict=True)
    ]
    rss_before = _rss_mb()
    started = time.perf_counter()
    store = open_store(db)
    preparer = make_preparer(dedup=True, learn=False, clean_text=False, store=store)
    startup = time.perf_counter() - started
    rss_startup = _rss_mb()
    found = []
    started = time.perf_counter()
    for i, print_ in enumerate(prints):
        match = preparer.index.find(print_)
        if match is not None:
            found.append([i, str(match.key[1])])
    lookups = time.perf_counter() - started
    store.close()
    digest = hashlib.sha256(json.dumps(found).encode()).hexdigest()[:12]
    print(
        json.dumps(
            {
                "startup_s": round(startup, 3),
                "lookups_per_s": round(len(prints) / lookups, 1),
                "found": len(found),
                "found_digest": digest,
                "rss_imports_mb": round(rss_imports),
                "rss_before_mb": round(rss_before),
                "rss_after_startup_mb": round(rss_startup),
                "peak_rss_mb": round(_rss_mb()),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000", help="store sizes, comma-separated")
    parser.add_argument("--queries", type=int, default=1000, help="real articles looked up (half are stored)")
    parser.add_argument(
        "--runs", type=int, default=2, help="runs per store (the first may build what is new)"
    )
    parser.add_argument("--child", nargs=2, metavar=("DB", "QUERIES"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    if not CORPUS.exists():
        print(
            f"{CORPUS} is missing: the benchmark needs the allsides-intl corpus in ../shared", file=sys.stderr
        )
        return 1
    started = time.perf_counter()
    values, sizes = real_fingerprints()
    print(
        f"real fingerprints: {len(values)} allsides articles in {time.perf_counter() - started:.0f} s; "
        f"a mutant keeps {keep_share(len(values)):.3f} of its values"
    )
    n_queries = min(args.queries, len(values))
    planted = n_queries // 2
    with tempfile.TemporaryDirectory(prefix="tacitus-dedup-bench-") as tmp:
        from datasketch import LeanMinHash

        from tacitus.ingest.dedup import SEED

        queries = Path(tmp) / "queries.npz"
        raw = [
            np.frombuffer(_serialise(LeanMinHash(seed=SEED, hashvalues=v, scheme="affine32")), dtype=np.uint8)
            for v in values[:n_queries]
        ]
        np.savez(queries, raw=np.stack(raw), sizes=sizes[:n_queries])
        for n in (int(s) for s in args.sizes.split(",")):
            db = Path(tmp) / f"store-{n}.db"
            took = fill(db, max(n, planted), values, sizes, planted)
            size_mb = db.stat().st_size / 2**20
            print(f"N={n:,}: filled in {took:.0f} s ({size_mb:,.0f} MB)")
            for run in range(1, args.runs + 1):
                out = subprocess.run(
                    [sys.executable, __file__, "--child", str(db), str(queries)],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                m = json.loads(out.stdout.strip().splitlines()[-1])
                grown = (Path(str(db) + "-wal").stat().st_size if Path(str(db) + "-wal").exists() else 0) + (
                    db.stat().st_size
                )
                print(
                    f"  run {run}: start-up {m['startup_s']:.2f} s, peak RSS {m['peak_rss_mb']} MB "
                    f"(after start-up {m['rss_after_startup_mb']} MB, before it {m['rss_before_mb']} MB), "
                    f"{m['lookups_per_s']:,.0f} lookups/s, found {m['found']} of {n_queries} "
                    f"(digest {m['found_digest']}), store {grown / 2**20:,.0f} MB"
                )
            db.unlink()
    return 0


def _serialise(minhash: object) -> bytes:
    buf = bytearray(minhash.bytesize())  # type: ignore[attr-defined]
    minhash.serialize(buf)  # type: ignore[attr-defined]
    return bytes(buf)


if __name__ == "__main__":
    sys.exit(main())
