"""Draw the candidate article pairs for the duplicate-detection labels from the AllSides corpus.

Run: .venv/bin/python tools/dedup_pairs.py [--corpus ../shared/corpora/allsides-intl.jsonl.gz]
     [--out src/tacitus/evaluate/data/duplicate_pairs.tsv]

Similarities here are exact (shingle sets, no MinHash), with the shingles the pipeline uses
(:func:`tacitus.ingest.dedup.shingles`). Pairs are drawn, with a fixed seed:

- every pair with a Jaccard of 0.2 or more, and up to 25 pairs from each lower band (0.1–0.2, 0.05–0.1);
- every pair where 60% or more of the shorter text's shingles are in the longer one (a trimmed copy);
- 40 pairs of two outlets' articles of the same day and topic (two stories on one event), 20 random pairs;
- 80 ``edit`` pairs: an article and a copy edited by a recipe (:func:`tacitus.evaluate.duplicates.apply_recipe`).

Labels are not drawn: they are read. When the output file exists, its labels and reasons are kept for the
pairs drawn again, so the script can be rerun without losing them.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

from tacitus.evaluate.duplicates import COLUMNS, load_pairs
from tacitus.ingest.dedup import shingles

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"
DEFAULT_OUT = ROOT / "src" / "tacitus" / "evaluate" / "data" / "duplicate_pairs.tsv"
SEED = 20261202
# Shingles in more than this many articles (stock phrases, shared page furniture) do not make candidates.
MAX_DF = 40
LOW_BANDS = ((0.1, 0.2), (0.05, 0.1))
PER_BAND = 25
RECIPES = (
    ["trim:0.8", "trim:0.7", "trim:0.6", "trim:0.5", "trim:0.4"] * 3
    + ["byline"] * 10
    + ["edit:2", "edit:4", "edit:6"] * 5
    + ["byline+trim:0.7", "byline+edit:3", "trim:0.6+edit:3", "byline+trim:0.5+edit:2"] * 5
)

HEADER = """\
Article pairs for scoring duplicate detection (tacitus eval duplicates; see tacitus/evaluate/duplicates.py).
Articles: AllSides corpus (ramybaly/Article-Bias-Prediction, Apache-2.0; texts belong to their publishers and
are not included here: only their ids). Drawn by tools/dedup_pairs.py; labels by reading both texts
(dup = the same story text give or take headline, byline, trimmed end or a few edited sentences;
diff = different texts, including two stories on the same event); edit pairs are dup by construction.
Labels and reasons: Tacitus developers, 2026-12-02, MIT like the rest of the package."""


def _load(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def _candidates(sets: list[set[str]]) -> dict[tuple[int, int], int]:
    postings: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for sh in s:
            postings[sh].append(i)
    shared: Counter[tuple[int, int]] = Counter()
    for docs in postings.values():
        if 1 < len(docs) <= MAX_DF:
            for pair in combinations(docs, 2):
                shared[pair] += 1
    return {pair: n for pair, n in shared.items() if n >= 3}


def draw(rows: list[dict]) -> list[dict[str, str]]:
    """The candidate pairs, as TSV rows without labels."""
    rng = random.Random(SEED)
    sets = [shingles(r["text"]) for r in rows]
    scored = []
    for (i, j), common in _candidates(sets).items():
        union = len(sets[i]) + len(sets[j]) - common
        scored.append((common / union, common / min(len(sets[i]), len(sets[j])), i, j))
    scored.sort(key=lambda t: (-t[0], rows[t[2]]["id"], rows[t[3]]["id"]))
    picked: dict[tuple[int, int], tuple[str, float, float]] = {}
    for jac, cont, i, j in scored:
        if jac >= 0.2 or cont >= 0.6:
            picked[(i, j)] = ("real", jac, cont)
    for low, high in LOW_BANDS:
        band = [t for t in scored if low <= t[0] < high and (t[2], t[3]) not in picked]
        for jac, cont, i, j in rng.sample(band, min(PER_BAND, len(band))):
            picked[(i, j)] = ("real", jac, cont)
    by_day: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, r in enumerate(rows):
        if r.get("date"):
            by_day[(r["date"], r["topic"])].append(i)
    hard = [
        (i, j)
        for group in by_day.values()
        for i, j in combinations(group, 2)
        if rows[i]["source"] != rows[j]["source"]
    ]
    hard.sort()
    extra = [(p, "same-day") for p in rng.sample(hard, min(40, len(hard)))]
    extra += [(tuple(sorted(rng.sample(range(len(rows)), 2))), "random") for _ in range(20)]
    for (i, j), kind in extra:
        if (i, j) not in picked:
            common = len(sets[i] & sets[j])
            union = len(sets[i] | sets[j]) or 1
            picked[(i, j)] = (kind, common / union, common / max(1, min(len(sets[i]), len(sets[j]))))
    out = []
    for (i, j), (kind, jac, cont) in picked.items():
        out.append(
            {"id_a": rows[i]["id"], "id_b": rows[j]["id"], "kind": kind, "recipe": "",
             "jaccard": f"{jac:.3f}", "containment": f"{cont:.3f}"}
        )  # fmt: skip
    # Edited copies of articles of ordinary length (not the multi-page scrapes).
    ordinary = [
        i for i, r in enumerate(rows) if 1500 <= len(r["text"]) <= 12000 and r["text"].count("\n\n") >= 4
    ]
    for recipe, i in zip(RECIPES, rng.sample(ordinary, len(RECIPES)), strict=True):
        out.append({"id_a": rows[i]["id"], "id_b": rows[i]["id"], "kind": "edit", "recipe": recipe,
                    "jaccard": "", "containment": ""})  # fmt: skip
    for n, row in enumerate(out, 1):
        row["pair"] = f"p{n:03d}"
    return out


def main() -> None:
    """Draw the pairs and write the TSV, keeping labels already in the output file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    rows = draw(_load(args.corpus))
    if args.out.exists():
        known = {(p.id_a, p.id_b, p.recipe): p for p in load_pairs(args.out)}
        for row in rows:
            old = known.get((row["id_a"], row["id_b"], row["recipe"]))
            if old is not None:
                row["label"], row["reason"] = old.label, old.reason
    for row in rows:
        if row["kind"] == "edit" and not row.get("label"):
            row["label"], row["reason"] = "dup", "edited copy, by construction"
    args.out.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# {line}" for line in HEADER.splitlines()]
    lines.append("\t".join(COLUMNS))
    lines += ["\t".join(row.get(c, "") for c in COLUMNS) for row in rows]
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    kinds = Counter(r["kind"] for r in rows)
    print(f"wrote {len(rows)} pairs to {args.out}: {dict(kinds)}")


if __name__ == "__main__":
    main()
