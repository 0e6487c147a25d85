"""Duplicates: MinHash signatures and the decision, duplicates in a batch and against the store, publications
and source counts, the migration that gives stored articles their publications, the labelled pairs, and the
store's LSH band keys (looked up per article, written and deleted with each article, made again when the
banding changes)."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from datasketch import MinHashLSH

import pg_scratch
from tacitus import jobs
from tacitus.evaluate.duplicates import apply_recipe, evaluate_duplicates, load_pairs, split_of
from tacitus.ingest.dedup import (
    LSH_THRESHOLD,
    NUM_PERM,
    SCHEME,
    DuplicateIndex,
    Fingerprint,
    band_keys,
    band_pairs,
    band_params,
    band_scheme,
    fingerprint,
    same_story,
    shingles,
    signature_band_pairs,
    similarity,
    words,
)
from tacitus.model import Article, Record
from tacitus.store import Store, content_hash, open_store
from tacitus.store.publications import publication_key

SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPUS = SHARED / "corpora" / "allsides-intl.jsonl.gz"

# Two wire-style paragraphs, long enough to be compared by their wording (dozens of shingles each).
WIRE = (
    "GAZA CITY, Gaza Strip (AP) — Gaza residents cleared rubble and claimed victory on Thursday, just hours "
    "after an Egyptian-brokered truce between Israel and Gaza's Hamas rulers ended the worst cross-border "
    "fighting in four years.\n\nThe cease-fire announcement had set off frenzied late night street "
    "celebrations in the coastal strip, and raised hopes of a new era in relations between Hamas and the "
    "outside world. Israel and the United States, even while formally sticking to a policy of shunning "
    "Hamas, also acknowledged the militant group's central role by engaging in indirect negotiations.\n\n"
    "Egyptian President Mohammed Morsi, who mediated the deal, said the truce would be monitored closely, "
    "and officials from both sides said they would hold to it as long as the other side did.\n\n"
    "Israeli Prime Minister Benjamin Netanyahu thanked Egyptian President Mohammed Morsi for his efforts, and "
    "U.S. Secretary of State Hillary Clinton praised Egypt."
)
OTHER = (
    "BRUSSELS (AP) — European ministers met on Monday to discuss a new package of sanctions against the "
    "government in Minsk, days after a disputed election that set off weeks of protests in the capital. "
    "Diplomats said the list of officials facing travel bans could grow as the investigation continues, "
    "and that a decision on freezing assets would come at a later meeting of the foreign ministers."
)


def _line(rid: str, text: str, title: str, source: str, url: str) -> str:
    return json.dumps(
        {"id": rid, "title": title, "source": source, "url": url, "published": "2012-11-22", "text": text}
    )


# -- signatures and the decision ------------------------------------------------------------------------


def test_words_are_case_folded_and_punctuation_free() -> None:
    assert words("“Gaza’s” RULERS, 2012!") == ["gaza", "s", "rulers", "2012"]
    assert shingles("one two three", n=5) == {"one two three"}
    ws = words(WIRE)
    assert shingles(WIRE) == {" ".join(ws[i : i + 5]) for i in range(len(ws) - 4)}


def test_a_fingerprint_survives_bytes() -> None:
    print_ = fingerprint(WIRE)
    back = Fingerprint.from_bytes(print_.to_bytes(), print_.size)
    assert similarity(print_, back).jaccard == 1.0
    assert back.size == print_.size > 50


def test_a_wire_copy_with_a_byline_and_a_trimmed_end_is_the_same_story() -> None:
    copy = "By Staff Writer, Associated Press\n\n" + WIRE.rsplit("\n\n", 2)[0]
    a, b = fingerprint(WIRE), fingerprint(copy)
    sim = similarity(a, b)
    assert sim.containment > 0.85 and sim.jaccard < 0.9
    assert same_story(sim, a, b)


def test_signatures_read_back_exactly_whatever_made_them() -> None:
    from datasketch import LeanMinHash, MinHash

    from tacitus.ingest.dedup import _agreement

    own = fingerprint(WIRE)
    data = own.to_bytes()
    back = Fingerprint.from_bytes(data, own.size)  # the fast path: values read straight into an array
    assert back.minhash == LeanMinHash.deserialize(data) and back.to_bytes() == data
    alien = MinHash(num_perm=NUM_PERM, seed=7)  # another seed: another header, read by datasketch
    alien.update_batch([s.encode() for s in shingles(WIRE)])
    buf = bytearray(LeanMinHash(alien).bytesize())
    LeanMinHash(alien).serialize(buf)
    assert Fingerprint.from_bytes(bytes(buf), 1).minhash == LeanMinHash(alien)
    # the share of equal values a lookup screens candidates with is similarity's Jaccard estimate
    copy = fingerprint(WIRE.replace("Thursday", "Friday"))
    j = similarity(copy, own).jaccard
    assert 0.8 < j < 1.0
    assert _agreement(copy, [data, data]) == [j, j]
    unrelated = Fingerprint.from_bytes(bytes(buf), 1)
    share = float((unrelated.minhash.hashvalues == copy.minhash.hashvalues).mean())
    assert _agreement(copy, [data, bytes(buf)]) == [j, share] and share < 0.1


def test_two_different_stories_are_not() -> None:
    a, b = fingerprint(WIRE), fingerprint(OTHER)
    assert not same_story(similarity(a, b), a, b)


def test_short_texts_are_duplicates_only_when_identical() -> None:
    a, b = fingerprint("Click here to get the app"), fingerprint("Click here to get the app now")
    assert not same_story(similarity(a, b), a, b)
    assert same_story(similarity(a, a), a, a)
    empty = fingerprint("")
    assert empty.size == 0 and not same_story(similarity(empty, empty), empty, empty)


def test_the_index_finds_the_most_similar_earlier_article() -> None:
    index = DuplicateIndex()
    index.add("other", fingerprint(OTHER))
    index.add("wire", fingerprint(WIRE))
    match = index.find(fingerprint(WIRE.replace("Thursday", "Friday")))
    assert match is not None and match.key == "wire" and match.similarity.jaccard > 0.8
    assert index.find(fingerprint("An unrelated line about the weather in Lisbon this spring.")) is None


# -- a batch, a store, publications ---------------------------------------------------------------------


def test_extract_writes_a_duplicate_line_in_input_order(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text(
        "\n".join(
            [
                _line(
                    "ap-1", WIRE, "Gazans clean up as truce holds", "Associated Press", "https://ap.example/1"
                ),
                _line("eu-1", OTHER, "EU weighs sanctions", "Associated Press", "https://ap.example/2"),
                _line("fox-1", WIRE, "Israel and Hamas keep cease-fire", "Fox News", "https://fox.example/1"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    report = jobs.extract([path], out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["id"] for line in lines] == ["ap-1", "eu-1", "fox-1"]
    assert "text" in lines[0] and "text" in lines[1]
    assert lines[2] == {
        "id": "fox-1",
        "duplicate_of": "ap-1",
        "similarity": 1.0,
        "containment": 1.0,
        "title": "Israel and Hamas keep cease-fire",
        "published": "2012-11-22",
        "url": "https://fox.example/1",
        "source": "Fox News",
    }
    assert (report.written, report.duplicates) == (2, 1)
    # with --no-dedup every article is analysed
    out = io.StringIO()
    report = jobs.extract([path], out, dedup=False)
    assert report.written == 3 and report.duplicates == 0


def test_a_wire_story_with_two_headlines_is_stored_once_with_two_publications(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(
        _line("ap-1", WIRE, "Gazans clean up as truce holds", "Associated Press", "https://ap.example/1") + "\n"
        + _line("eu-1", OTHER, "EU weighs sanctions", "Associated Press", "https://ap.example/2") + "\n",
        encoding="utf-8",
    )  # fmt: skip
    trimmed = "By Staff Writer, Fox News\n\n" + WIRE.rsplit("\n\n", 1)[0]
    second.write_text(
        _line("fox-1", trimmed, "Israel and Hamas keep cease-fire", "Fox News", "https://fox.example/1")
        + "\n",
        encoding="utf-8",
    )
    report = jobs.process([first], db)
    assert report.stored == {"inserted": 2}
    # a second batch is checked against the store: the trimmed Fox copy is a publication of the AP story
    report = jobs.process([second], db)
    assert report.stored == {"duplicate": 1} and report.duplicates == 1
    # rerunning both batches changes nothing
    report = jobs.process([first, second], db)
    assert report.stored == {"unchanged": 3}
    with open_store(db) as store:
        assert store.summary()["articles"] == 2
        pubs = store.publications(article_id="ap-1")
        assert [(p["kind"], p["source"], p["publication_id"]) for p in pubs] == [
            ("original", "Associated Press", "ap-1"),
            ("near", "Fox News", "fox-1"),
        ]
        assert 0.6 < pubs[1]["similarity"] < 1.0
        events = store.events()
        assert events and {(e["article_id"], e["sources"], e["publications"]) for e in events} >= {
            ("ap-1", 2, 2)
        }
        assert all(e["sources"] == 1 for e in events if e["article_id"] == "eu-1")
        assert all(q["sources"] == 2 for q in store.quotes() if q["article_id"] == "ap-1")
        # the signatures were kept: a later batch does not reread the stored texts
        with store.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM signatures")).scalar() == 2


def test_reprocessing_keeps_the_publications(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    path = tmp_path / "batch.jsonl"
    path.write_text(
        _line("ap-1", WIRE, "Truce holds", "Associated Press", "https://ap.example/1") + "\n"
        + _line("fox-1", WIRE, "Cease-fire kept", "Fox News", "https://fox.example/1") + "\n",
        encoding="utf-8",
    )  # fmt: skip
    assert jobs.process([path], db).stored == {"inserted": 1, "duplicate": 1}
    report = jobs.process([path], db, reprocess=True)
    assert report.stored == {"replaced": 1, "unchanged": 1}
    with open_store(db) as store:
        assert [p["kind"] for p in store.publications()] == ["original", "exact"]


def test_stored_articles_get_their_original_publication_when_the_store_is_upgraded(tmp_path: Path) -> None:
    from alembic import command

    from tacitus.store import _alembic_config

    db = tmp_path / "old.db"
    with open_store(db) as store:
        store.write(Record(id="r1", text=WIRE, title="Truce holds", source="AP", published="2012-11-22"))
        with store.engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0006")  # a store written before publications were kept
    with open_store(db) as store:  # upgraded on open
        [pub] = store.publications()
        assert (pub["kind"], pub["article_id"], pub["source"]) == ("original", "r1", "AP")
        with store.engine.connect() as connection:
            key = connection.execute(sa.text("SELECT key FROM publications")).scalar()
        # the key a rerun of the same input computes
        assert key == publication_key(content_hash(WIRE), "r1", None, "AP", "Truce holds", "2012-11-22")
    # the same input is then recognised as stored, and its signature is computed once from the stored text
    path = tmp_path / "again.jsonl"
    path.write_text(
        json.dumps(
            {"id": "r1", "text": WIRE, "title": "Truce holds", "source": "AP", "published": "2012-11-22"}
        )
        + "\n",
        encoding="utf-8",
    )
    assert jobs.process([path], db).stored == {"unchanged": 1}


# -- the labelled pairs ---------------------------------------------------------------------------------


def test_the_labelled_pairs_load_with_their_splits() -> None:
    pairs = load_pairs()
    assert len(pairs) >= 200 and all(p.label in ("dup", "diff") for p in pairs)
    assert {p.kind for p in pairs} == {"real", "same-day", "random", "edit"}
    assert {p.split for p in pairs} == {"dev", "test"}
    assert split_of("a", "b") == split_of("a", "b")
    assert all(p.reason for p in pairs)


def test_a_bad_label_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text(
        "# comment\npair\tid_a\tid_b\tkind\trecipe\tjaccard\tcontainment\tlabel\treason\n"
        "p1\ta\tb\treal\t\t0.5\t0.6\tmaybe\tunsure\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match=r"pairs.tsv:3: unknown label 'maybe'"):
        load_pairs(path)


def test_a_recipe_edits_the_way_it_says() -> None:
    text = "One.\n\nTwo.\n\nThree.\n\nFour."
    assert apply_recipe(text, "trim:0.5", "s") == "One.\n\nTwo."
    assert apply_recipe(text, "byline", "s").startswith(
        "By Staff Writer, Associated Press\n\nWASHINGTON (AP) — One."
    )
    assert apply_recipe(WIRE, "edit:2", "s") == apply_recipe(WIRE, "edit:2", "s") != WIRE


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpora/allsides-intl.jsonl.gz is missing")
def test_duplicate_detection_on_the_held_out_pairs() -> None:
    # 2026-12-02, test half (120 pairs, 28 duplicates of which 3 real): precision 1.000, recall 1.000;
    # dev half: 1.000 and 0.950 (two AP versions with rewritten leads missed)
    result = evaluate_duplicates(SHARED / "eval", split="test")
    assert result.counts["missing_articles"] == 0 and result.n_docs >= 100
    assert result.metrics["precision"] >= 0.95
    assert result.metrics["recall"] >= 0.9


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpora/allsides-intl.jsonl.gz is missing")
def test_a_real_wire_copy_from_the_corpus_is_found() -> None:
    pair = next(p for p in load_pairs() if p.pair == "p001")  # an AP story as Fox and Politico printed it
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        texts = {o["id"]: o["text"] for o in map(json.loads, handle) if o["id"] in (pair.id_a, pair.id_b)}
    index = DuplicateIndex()
    index.add("fox", fingerprint(texts[pair.id_a]))
    match = index.find(fingerprint(texts[pair.id_b]))
    assert match is not None and match.key == "fox" and match.similarity.jaccard > 0.85


def test_the_gate_keeps_input_order_and_follows_copies_and_failures() -> None:
    from dataclasses import replace

    from tacitus.batch import Analysed, Gate, Repeated
    from tacitus.ingest.prepare import Preparer

    articles = [
        Article(text=WIRE, id="a"),
        Article(text=OTHER, id="b"),
        Article(text=WIRE, id="a-copy"),
        Article(text=OTHER, id="b-copy"),
    ]
    gate = Gate(Preparer(learn=False))
    analysed = list(gate.articles(articles))
    assert [a.id for a in analysed] == ["a", "b"]
    # analysis hands back a copy of "a" (a later stage settled its language) and fails on "b"
    gate.failed(analysed[1])
    out = gate.done(replace(analysed[0], language="en"), Record(id="a", text=WIRE))
    out += gate.finish()
    assert [type(o).__name__ for o in out] == ["Analysed", "Repeated", "Repeated"]
    assert isinstance(out[0], Analysed) and out[0].record.id == "a"
    first, second = out[1], out[2]
    assert (
        isinstance(first, Repeated) and first.original_id == "a" and first.original_hash == content_hash(WIRE)
    )
    assert isinstance(second, Repeated) and second.original_hash is None  # "b" failed: reported, not written


# -- the store side: band keys in the store, looked up per article (issue 14) --------------------------------
#
# A run never loads the store's signatures: each stored article keeps its LSH band keys, and a run asks the
# store for the articles sharing a band with the one at hand. These tests run on SQLite and, when a local
# server answers, on PostgreSQL (as tests/test_store.py does).

_VOCABULARY = sorted(set(words(WIRE + " " + OTHER)))


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str | Path]:
    """Where to open a fresh store: a SQLite file, or an empty PostgreSQL database (dropped afterwards)."""
    if request.param == "sqlite":
        yield tmp_path / "t.db"
        return
    yield from pg_scratch.database(f"tacitus_dedup_{os.getpid()}")


def _story(seed: int, n_words: int = 80) -> str:
    """A text of its own: words drawn at random, so two stories share (almost) no 5-word shingle."""
    rng = random.Random(seed)
    return " ".join(rng.choice(_VOCABULARY) for _ in range(n_words))


def _store(store: Store, texts: dict[str, str]) -> None:
    """Store each text as a bare record with what a run keeps beside it (its signature and band keys), as
    ``tacitus process`` does, without analysing it."""
    from tacitus.batch import make_preparer, provenance
    from tacitus.ingest.prepare import Ready

    preparer = make_preparer(dedup=True, learn=False, clean_text=False, store=store)
    for item in preparer.run([Article(text=text, id=rid) for rid, text in texts.items()]):
        assert isinstance(item, Ready), item
        record = Record(id=item.article.id, text=item.article.text)
        assert store.write(record, item.article, provenance=provenance(item)) == "inserted"


def _band_rows(store: Store) -> dict[int, list[tuple[int, int]]]:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.text('SELECT article_pk, band, "key" FROM signature_bands')).all()
    out: dict[int, list[tuple[int, int]]] = {}
    for pk, band, key in rows:
        out.setdefault(pk, []).append((band, key))
    return {pk: sorted(pairs) for pk, pairs in out.items()}


def _pk_of(store: Store, rid: str) -> int:
    with store.engine.connect() as connection:
        return connection.execute(
            sa.text("SELECT pk FROM articles WHERE article_id = :i"), {"i": rid}
        ).scalar()


def _state(store: Store) -> dict[str, str]:
    with store.engine.connect() as connection:
        return dict(connection.execute(sa.text("SELECT name, value FROM signature_state")).all())


@pytest.mark.parametrize(
    ("threshold", "num_perm", "weights"),
    [(0.05, 64, (0.5, 0.5)), (0.5, 128, (0.5, 0.5)), (0.9, 128, (0.5, 0.5)), (0.15, 256, (0.3, 0.7))],
)
def test_the_banding_is_the_one_datasketch_chooses_at_other_settings_too(
    threshold: float, num_perm: int, weights: tuple[float, float]
) -> None:
    # band_params computes the banding itself (datasketch's optimiser is private); MinHashLSH's public b and
    # r are what it must agree with, here where the answers differ from the project's (51, 2)
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=weights)
    assert band_params(threshold, num_perm, weights) == (lsh.b, lsh.r)


def test_the_banding_is_the_one_datasketch_chooses_and_equal_bands_have_equal_keys() -> None:
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert band_params() == (lsh.b, lsh.r) == (51, 2)
    assert band_scheme() == f"{SCHEME}-lsh-b51-r2-fnv64"
    values = np.arange(2 * NUM_PERM, dtype=np.uint64).reshape(2, NUM_PERM)
    values[1, :2] = values[0, :2]  # band 0 equal, every other band different
    values[1, 4] = values[0, 4]  # one value of band 2 equal: the band still differs
    keys = band_keys(values)
    assert keys.shape == (2, 51) and keys.dtype == np.int64
    assert keys[0, 0] == keys[1, 0] and all(keys[0, i] != keys[1, i] for i in range(1, 51))
    # the values past b * r = 102 are not in any band, as in datasketch
    values[1] = values[0]
    values[1, 200] += 1
    assert (band_keys(values)[0] == band_keys(values)[1]).all()
    print_ = fingerprint(WIRE)
    assert band_pairs(print_) == signature_band_pairs([print_.to_bytes()])[0]
    assert [b for b, _ in band_pairs(print_)] == list(range(51))
    assert band_pairs(fingerprint("")) == []


def test_a_stored_duplicate_is_found_by_a_fresh_process_from_the_store(target: str | Path) -> None:
    with open_store(target) as store:
        _store(store, {"ap-1": WIRE, "eu-1": OTHER, **{f"s{i}": _story(i) for i in range(20)}})
    trimmed = "By Staff Writer, Fox News\n\n" + WIRE.rsplit("\n\n", 1)[0]
    # a new process: nothing of the store is in memory but what it asks for
    code = (
        "import json, sys\n"
        "from tacitus.batch import make_preparer\n"
        "from tacitus.model import Article\n"
        "from tacitus.store import open_store\n"
        "with open_store(sys.argv[1]) as store:\n"
        "    preparer = make_preparer(dedup=True, learn=False, clean_text=False, store=store)\n"
        "    held = len(preparer.index)\n"
        "    items = list(preparer.run([Article(text=sys.argv[2], id='fox-1'), Article(text=sys.argv[3])]))\n"
        "print(json.dumps({'held': held, 'items': [[type(i).__name__, list(getattr(i, 'of', ()))]\n"
        "                                          for i in items]}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target), trimmed, _story(99)],
        capture_output=True,
        text=True,
        check=True,
    )
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["held"] == 0  # no stored signature was loaded into the index
    assert out["items"] == [["Duplicate", ["store", content_hash(WIRE)]], ["Ready", []]]


def test_band_keys_are_written_with_each_article_and_removed_with_it(target: str | Path) -> None:
    with open_store(target) as store:
        _store(store, {"ap-1": WIRE, "eu-1": OTHER})
        rows = _band_rows(store)
        ap, eu = _pk_of(store, "ap-1"), _pk_of(store, "eu-1")
        assert rows == {ap: band_pairs(fingerprint(WIRE)), eu: band_pairs(fingerprint(OTHER))}
        assert _state(store) == {"banding": band_scheme(), "complete": band_scheme()}
        # deleting the article deletes its keys (ON DELETE CASCADE), and only its own
        with store.engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM articles WHERE pk = :pk"), {"pk": ap})
        assert list(_band_rows(store)) == [eu]
        # replacing an article deletes the old row's keys; the library's write keeps no signature, so the
        # new row has none, and the store is no longer known to be complete
        assert store.write(Record(id="eu-1", text=OTHER), reprocess=True) == "replaced"
        assert _band_rows(store) == {}
        assert _state(store) == {"banding": band_scheme()}


def test_articles_stored_without_signatures_are_signed_once_then_start_up_reads_nothing(
    target: str | Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tacitus.batch import make_preparer
    from tacitus.store import bands

    with open_store(target) as store:
        # the library's Store.write keeps no signature, as stores from before signatures were kept
        store.write(Record(id="ap-1", text=WIRE))
        store.write(Record(id="eu-1", text=OTHER))
        assert _band_rows(store) == {} and "complete" not in _state(store)
        preparer = make_preparer(dedup=True, learn=False, clean_text=False, store=store)
        assert set(_band_rows(store)) == {_pk_of(store, "ap-1"), _pk_of(store, "eu-1")}
        assert _state(store)["complete"] == band_scheme()
        [item] = preparer.run([Article(text=WIRE.replace("Thursday", "Friday"), id="copy")])
        assert type(item).__name__ == "Duplicate" and item.of == ("store", content_hash(WIRE))

        # the store is complete: a run's start-up neither signs nor bands anything (nor scans for it)
        def refuse(*args: object, **kwargs: object) -> None:
            raise AssertionError("a complete store was scanned")

        monkeypatch.setattr(bands, "sign_missing", refuse)
        monkeypatch.setattr(bands, "stage_missing", refuse)
        make_preparer(dedup=True, learn=False, clean_text=False, store=store)


def test_a_change_of_banding_makes_every_key_again(
    target: str | Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tacitus.batch import make_preparer
    from tacitus.ingest import dedup

    with open_store(target) as store:
        _store(store, {"ap-1": WIRE, "eu-1": OTHER})
        before = _band_rows(store)
        assert {len(pairs) for pairs in before.values()} == {51}
        # another banding (a new threshold, another datasketch): 16 bands of 8 values
        monkeypatch.setattr(dedup, "band_params", lambda *args: (16, 8))
        preparer = make_preparer(dedup=True, learn=False, clean_text=False, store=store)
        after = _band_rows(store)
        assert set(after) == set(before) and {len(pairs) for pairs in after.values()} == {16}
        assert after[_pk_of(store, "ap-1")] == band_pairs(fingerprint(WIRE))
        assert _state(store) == {"banding": dedup.band_scheme(), "complete": dedup.band_scheme()}
        assert dedup.band_scheme().endswith("-b16-r8-fnv64")
        [item] = preparer.run([Article(text=OTHER.replace("Monday", "Tuesday"), id="copy")])
        assert item.of == ("store", content_hash(OTHER))
        monkeypatch.undo()
        make_preparer(dedup=True, learn=False, clean_text=False, store=store)
        assert _band_rows(store) == before


def test_a_store_from_before_revision_0009_gets_its_keys_on_the_first_run(tmp_path: Path) -> None:
    from alembic import command

    from tacitus.batch import make_preparer
    from tacitus.store import _alembic_config

    db = tmp_path / "old.db"
    with open_store(db) as store:
        _store(store, {"ap-1": WIRE, "eu-1": OTHER})
        with store.engine.begin() as connection:
            config = _alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0008")  # signatures, but no band keys yet
            assert connection.execute(sa.text("SELECT count(*) FROM signatures")).scalar() == 2
    with open_store(db) as store:  # upgraded on open: the keys wait for the first run
        assert _band_rows(store) == {} and _state(store) == {}
        preparer = make_preparer(dedup=True, learn=False, clean_text=False, store=store)
        assert _band_rows(store)[_pk_of(store, "ap-1")] == band_pairs(fingerprint(WIRE))
        [item] = preparer.run([Article(text="By AP\n\n" + WIRE, id="copy")])
        assert item.of == ("store", content_hash(WIRE))


def test_memory_does_not_depend_on_the_store_only_candidates_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tacitus.batch import make_preparer

    with open_store(tmp_path / "t.db") as store:
        _store(store, {"ap-1": WIRE, **{f"s{i}": _story(i) for i in range(200)}})
        read: list[int] = []
        original = Store.signature_candidates

        def counting(
            self: Store, scheme: str, pairs: Sequence[tuple[int, int]]
        ) -> list[tuple[str, bytes, int]]:
            rows = original(self, scheme, pairs)
            read.append(len(rows))
            return rows

        monkeypatch.setattr(Store, "signature_candidates", counting)
        preparer = make_preparer(dedup=True, learn=False, clean_text=False, store=store)
        assert len(preparer.index) == 0 and read == []  # start-up read no signature
        copies = [
            Article(text=WIRE.replace("Thursday", "Friday"), id="c1"),
            Article(text=_story(500), id="n1"),
        ]
        items = list(preparer.run(copies))
        assert [type(i).__name__ for i in items] == ["Duplicate", "Ready"]
        # one query per article, each reading only the signatures sharing a band: the original, then none
        assert read == [1, 0]
        assert len(preparer.index) == 1  # the run's own new article, nothing of the store


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpora/allsides-intl.jsonl.gz is missing")
def test_the_store_proposes_the_candidates_datasketch_would_and_finds_the_same_duplicates(
    tmp_path: Path,
) -> None:
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        rows = [o for _, o in zip(range(400), map(json.loads, handle), strict=False) if o.get("text")]
    stored, others = rows[:300], rows[300:]
    # queries: edited copies of stored articles (near the thresholds) and articles not stored
    queries = [apply_recipe(o["text"], "edit:3+trim:0.6", o["id"]) for o in stored[:100]]
    queries += [o["text"] for o in others]
    with open_store(tmp_path / "t.db") as store:
        _store(store, {o["id"]: o["text"] for o in stored})
        # the index every run built before: all stored signatures in datasketch's own MinHashLSH
        lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        whole = DuplicateIndex()
        for o in stored:
            print_ = fingerprint(o["text"])
            if print_.size:
                lsh.insert(content_hash(o["text"]), print_.minhash)
                whole.add(("store", content_hash(o["text"])), print_)
        looked_up = DuplicateIndex(
            stored=lambda pairs: (
                (("store", d), data, n) for d, data, n in store.signature_candidates(SCHEME, pairs)
            )
        )
        found = 0
        for text in queries:
            print_ = fingerprint(text)
            from_store = {d for d, _, _ in store.signature_candidates(SCHEME, band_pairs(print_))}
            assert from_store == set(lsh.query(print_.minhash))
            a, b = whole.find(print_), looked_up.find(print_)
            assert (a and a.key) == (b and b.key)
            found += b is not None
        assert found >= 90  # most edited copies are duplicates, and the comparison was not vacuous


def test_a_driver_with_named_placeholders_gets_the_same_keys_and_candidates(tmp_path: Path) -> None:
    from tacitus.batch import make_preparer

    db = tmp_path / "t.db"
    with open_store(db) as store:
        _store(store, {"ap-1": WIRE, "eu-1": OTHER})
        keys = _band_rows(store)
        pairs = band_pairs(fingerprint(WIRE.replace("Thursday", "Friday")))
        expected = store.signature_candidates(SCHEME, pairs)
    assert [d for d, _, _ in expected] == [content_hash(WIRE)]
    # the same file through SQLAlchemy's named placeholders, which the fast paths do not hand to the driver
    named = Store(sa.create_engine(f"sqlite:///{db}", paramstyle="named"))
    assert named.engine.dialect.paramstyle == "named"
    assert named.signature_candidates(SCHEME, pairs) == expected
    with named.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM signature_bands"))
        connection.execute(sa.text("DELETE FROM signature_state"))
    make_preparer(dedup=True, learn=False, clean_text=False, store=named)  # stages and inserts them again
    assert _band_rows(named) == keys
    named.close()
