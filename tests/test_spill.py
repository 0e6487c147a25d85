"""A run's duplicate index and boilerplate counts on disk (tacitus.ingest.spill): the same answers as the
in-memory structures they replace, in memory that does not grow with the articles (issues 13 and 14)."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import pytest
from datasketch import MinHashLSH

from tacitus.ingest.dedup import LSH_THRESHOLD, NUM_PERM, DuplicateIndex, band_pairs, fingerprint
from tacitus.ingest.learned import BoilerplateModel, article_keys, line_key
from tacitus.ingest.spill import BandTable

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "allsides-intl.jsonl.gz"


def _texts(n: int) -> list[str]:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        rows = (json.loads(line) for line in handle)
        return [r["text"] for _, r in zip(range(n), rows, strict=False) if r.get("text")]


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpora/allsides-intl.jsonl.gz is missing")
def test_the_band_table_proposes_the_candidates_datasketch_would() -> None:
    texts = _texts(300)
    kept, queries = texts[:200], texts[200:]
    # edited copies of kept articles: half their paragraphs, so candidates near the threshold are asked too
    queries += ["\n\n".join(t.split("\n\n")[::2]) for t in kept[:60]]
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    table = BandTable()
    for i, text in enumerate(kept):
        print_ = fingerprint(text)
        if print_.size:
            lsh.insert(i, print_.minhash)
            table.add(i, print_.size, print_.to_bytes(), band_pairs(print_))
    proposed = 0
    for text in queries:
        print_ = fingerprint(text)
        ours = [key for key, _, _ in table.candidates(band_pairs(print_))]
        assert ours == sorted(set(lsh.query(print_.minhash)))  # the same set, oldest first
        proposed += len(ours)
    assert proposed >= 60  # the copies found their originals: the comparison was not vacuous


def test_the_index_refuses_a_key_twice_and_names_the_earliest_of_equal_originals() -> None:
    text = " ".join(f"word{i} of a wire story about the ceasefire talks in Cairo" for i in range(40))
    index = DuplicateIndex()
    index.add(("batch", 0), fingerprint(text))
    index.add(("batch", 1), fingerprint(text))  # a second, identical original (as when the first failed)
    with pytest.raises(ValueError, match="already in the duplicate index"):
        index.add(("batch", 0), fingerprint(text))
    assert len(index) == 2 and ("batch", 1) in index and ("batch", 2) not in index
    match = index.find(fingerprint(text))
    assert match is not None and match.key == ("batch", 0) and match.similarity.jaccard == 1.0


def test_the_model_counts_keeps_the_first_text_and_learns_from_the_store_too() -> None:
    model = BoilerplateModel(min_articles=3, min_share=0.0)
    footer = "Copyright © 2019 The Example Times."
    for year in (2019, 2020):
        model.observe("Example", article_keys(f"News of {year}.\n\nCopyright © {year} The Example Times."))
    assert model.lines("Example") == {}  # two articles: below three
    key = line_key(footer)
    # the store has it once more, with its own text: the batch's text, seen first, stays
    model.add_counts("Example", 1, {key: 1}, {key: "Copyright © 2000 The Example Times."})
    assert model.lines("Example") == {key: footer}
    assert model.sources() == ["Example"]
    assert set(model.keys_by_source()["Example"]) == {
        key,
        line_key("News of 2019."),
        line_key("News of 2020."),
    }
    # a key the store knows only by its text still gets it, and counts nothing
    other = line_key("Sign up for our newsletter")
    model.add_counts("Example", 0, {}, {other: "Sign up for our newsletter"})
    assert other not in model.lines("Example")


def test_the_model_and_index_do_not_grow_in_memory_with_the_articles() -> None:
    # 1,500 articles of paragraphs never seen twice: in dictionaries these held about 20 MB (each paragraph's
    # key and text, each article's fingerprint and 51 LSH bands), here SQLite's page caches only (outside
    # tracemalloc's view, and bounded at 2 MB each). 1,500 rather than more: tracemalloc slows this test
    # several times, and 20 MB against a 1 MB bound already tells the two apart.
    def letters(i: int) -> str:  # paragraph keys read every digit as 0: tell articles apart by letters
        return "".join(chr(ord("a") + int(d)) for d in str(i))

    def article(i: int) -> str:
        return "\n\n".join(
            f"Paragraph {letters(p)} of article {letters(i)}: "
            + " ".join(f"w{letters(i)}x{letters(p)}x{letters(k)}" for k in range(30))
            for p in range(8)
        )

    model, index = BoilerplateModel(), DuplicateIndex()
    tracemalloc.start()
    try:
        for i in range(300):  # warm up: caches, the first pages
            model.observe("Wire", article_keys(article(i)))
            index.add(i, fingerprint(article(i)))
        base = tracemalloc.get_traced_memory()[0]
        for i in range(300, 1500):
            model.observe("Wire", article_keys(article(i)))
            print_ = fingerprint(article(i))
            assert index.find(print_) is None
            index.add(i, print_)
        grown = tracemalloc.get_traced_memory()[0] - base
    finally:
        tracemalloc.stop()
    assert len(index) == 1500 and len(model.keys_by_source()["Wire"]) == 1500 * 8
    assert grown < 1_000_000, f"{grown / 1e6:.1f} MB held after 1,200 more articles"
