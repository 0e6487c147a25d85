"""Build the word document frequencies that weight shared words when clustering events.

Run: .venv/bin/python tools/cluster_idf.py [--corpus ../shared/corpora/allsides-intl.jsonl.gz]
     [--out src/tacitus/store/data/word_df.tsv]

Two sentences about one event share its rare words ("Kiryat Malachi", "rocket", "apartment"); two sentences
about two events of one dyad share common ones ("president", "killed", "officials"). Counting, over the
5,720 AllSides articles, in how many articles each content word occurs
(:func:`tacitus.store.cluster_words.content_words`) gives every word an inverse document frequency. Only
words in at least ``MIN_DF`` articles are written (a rarer word gets the highest weight anyway), so the file
holds counts of words, no text. The corpus is ramybaly/Article-Bias-Prediction (Apache-2.0).
"""

from __future__ import annotations

import argparse
import gzip
import json
from collections import Counter
from pathlib import Path

from tacitus.store.cluster_words import content_words

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"
DEFAULT_OUT = ROOT / "src" / "tacitus" / "store" / "data" / "word_df.tsv"
MIN_DF = 3


def main() -> None:
    """Count document frequencies over the corpus and write ``word<TAB>df`` lines, most frequent first."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args()
    df: Counter[str] = Counter()
    n = 0
    with gzip.open(args.corpus, "rt", encoding="utf-8") as handle:
        for line in handle:
            df.update(content_words(json.loads(line)["text"]))
            n += 1
    kept = [(w, c) for w, c in df.items() if c >= MIN_DF]
    kept.sort(key=lambda wc: (-wc[1], wc[0]))
    lines = [
        "# In how many of the AllSides corpus's articles each content word occurs (tools/cluster_idf.py).",
        "# Corpus: ramybaly/Article-Bias-Prediction, Apache-2.0; only counts of words are kept here.",
        f"# articles\t{n}",
        *(f"{w}\t{c}" for w, c in kept),
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(kept)} words (of {len(df)}) from {n} articles written to {args.out}")


if __name__ == "__main__":
    main()
