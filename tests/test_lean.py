"""The memory settings of the processes that analyse (tacitus.lean): the same analysis, with a fraction of
the arrays alive at once; training untouched; in effect in the local engine's one process and workers."""

from __future__ import annotations

import gzip
import importlib
import json
import platform
import tracemalloc
from pathlib import Path

import numpy
import pytest
import spacy

from tacitus import Article, lean
from tacitus.model import QUOTE_TYPES
from tacitus.pipeline import MODEL_PACKAGE

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "allsides-intl.jsonl.gz"


def _long_text() -> str:
    """A long real article (about 20,000 characters) when the corpus is there, else repeated prose."""
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
            for line in lines:
                text = json.loads(line)["text"]
                if len(text) > 20_000:
                    return text
    sentence = "The minister said on Monday that talks with Russia would resume in Geneva next week. "
    return sentence * 250


def _analysed(nlp, text: str) -> tuple[bytes, list[tuple], float]:
    """What the statistical components decided, and the peak of memory traced while they ran (MB)."""
    tracemalloc.start()
    try:
        doc = nlp(text)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    decided = [(t.tag_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_, t.is_sent_start) for t in doc]
    return doc.tensor.tobytes(), decided, peak


@pytest.fixture
def thinc_chains():
    """Chains built as thinc builds them: lean_inference() also makes the chains built later in a process
    lean, and an earlier test in this process (any in-process run of the local engine) may have called it."""
    module = importlib.import_module("thinc.layers.chain")
    saved = module.forward
    module.forward = lean._CHAIN_FORWARD
    yield
    module.forward = saved


def test_lean_inference_decides_the_same_with_a_fraction_of_the_arrays_alive(thinc_chains):
    text = _long_text()
    nlp = spacy.load(MODEL_PACKAGE)
    nlp(text[:2000])  # first-use allocations out of the way
    tensor, decided, peak = _analysed(nlp, text)
    changed = lean.lean_inference(nlp)
    assert changed > 0
    lean_tensor, lean_decided, lean_peak = _analysed(nlp, text)
    assert lean_tensor == tensor  # byte for byte: the same operations in the same order
    assert lean_decided == decided
    assert lean_peak < 0.6 * peak, (lean_peak, peak)
    assert lean.lean_inference(nlp) == 0  # done once


def test_training_keeps_its_backpropagation():
    from thinc.api import Linear, Relu, chain

    lean.lean_inference()
    model = chain(Relu(8, 4), Linear(2, 8))
    model.initialize(X=numpy.zeros((3, 4), dtype="f"))
    X = numpy.ones((3, 4), dtype="f")
    Y, backprop = model(X, is_train=True)
    assert backprop(numpy.ones_like(Y)).shape == X.shape
    assert numpy.array_equal(model.predict(X), Y)
    _, no_backprop = model(X, is_train=False)
    with pytest.raises(RuntimeError):
        no_backprop(numpy.ones_like(Y))


def test_tune_malloc_sets_the_thresholds_on_glibc():
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("glibc's mallopt")
    assert lean.tune_malloc() is True


def _articles(texts: list[int]) -> list[Article]:
    """AllSides articles by position when the corpus is there, else the bundled samples."""
    if not CORPUS.exists():
        from tacitus.jobs import sample_articles

        return sample_articles()[:6]
    wanted: dict[int, Article] = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if n in texts:
                data = json.loads(line)
                wanted[n] = Article(text=data["text"], id=data["id"], published=data["date"])
            if len(wanted) == len(texts):
                break
    return [wanted[n] for n in texts]


# AllSides' articles 1, 3, 7, 0, 4 and 6 (7,972, 6,518, 5,298, 2,561, 4,063 and 4,710 characters), sent to a
# worker as one chunk: the lean path parses them as [1, 3, 7] and [0, 4, 6] (20,000 characters at most), the
# path without it all six in one batch; one set of records either way. (Without the corpus, six samples:
# batches of 4 and 2 against one of 6.)
ARTICLES = [1, 3, 7, 0, 4, 6]


def _canonical(records) -> list[str]:
    return [json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True) for r in records]


def _in_a_worker(articles: list[Article], lean_on: bool):
    """What one local worker process says when ready, and the records of ``articles`` it sends back."""
    from tacitus.parallel import _Pool

    pool = _Pool(1, lean=lean_on)
    try:
        (worker,) = pool.workers.values()
        assert worker.conn.poll(600), "the worker did not load the pipeline"
        kind, state = worker.conn.recv()
        assert kind == "ready", state
        pool.send(0, articles)
        assert worker.conn.poll(600), "the worker did not answer"
        kind, (index, outcomes) = worker.conn.recv()
    finally:
        pool.close(graceful=True)
    assert (kind, index) == ("done", 0)
    assert all(not isinstance(o, str) for o in outcomes), outcomes
    return state, outcomes


@pytest.fixture(scope="module")
def unlean_records() -> list[str]:
    """The records without the settings, from a fresh (spawned) process: this one may have made thinc's
    chains lean already."""
    state, records = _in_a_worker(_articles(ARTICLES), lean_on=False)
    assert state is None  # nothing was changed in that process
    return _canonical(records)


def test_a_local_worker_runs_lean_and_stores_the_same_records(unlean_records):
    state, records = _in_a_worker(_articles(ARTICLES), lean_on=True)
    assert state["chains"] > 0  # the pipeline it analyses with runs its chains layer by layer
    if platform.libc_ver()[0] == "glibc":
        assert state["malloc"] is True
    assert _canonical(records) == unlean_records


def test_the_one_process_path_runs_lean_and_stores_the_same_records(unlean_records, monkeypatch):
    from tacitus import pipeline
    from tacitus.pipeline import analyze_pairs, load_nlp

    nlp = load_nlp()
    parsed: list[list[int]] = []  # the characters of each article of each batch nlp.pipe was given
    pipe = nlp.pipe

    def spy(docs, **kwargs):
        if not kwargs.get("as_tuples"):  # not the analysis (a component's own use of the pipeline)
            return pipe(docs, **kwargs)
        batch = list(docs)
        parsed.append([len(article.text) for _, article in batch])
        return pipe(batch, **kwargs)

    prepared: list[tuple[object, dict]] = []

    def prepare(nlp):
        prepared.append((nlp, lean.prepare(nlp)))
        return prepared[-1][1]

    monkeypatch.setattr(nlp, "pipe", spy)
    monkeypatch.setattr(pipeline, "prepare_lean", prepare)
    records = [r for _, r in analyze_pairs(_articles(ARTICLES), lean=True, quote_types=QUOTE_TYPES)]
    assert _canonical(records) == unlean_records
    # the path prepared the pipeline it analysed with (this process may have made chains lean before, so
    # that alone would not show it), and every chain of it is a lean one, as is thinc's for chains built later
    assert [(n, state["chains"] > 0) for n, state in prepared] == [(nlp, True)]
    if platform.libc_ver()[0] == "glibc":
        assert prepared[0][1]["malloc"] is True
    assert lean.lean_chains(nlp) > 0
    models = [c.model for _, c in nlp.pipeline if getattr(c, "model", None) is not None]
    chains = [node for model in models for node in model.walk()]
    assert not [node for node in chains if node._func is lean._CHAIN_FORWARD]
    assert importlib.import_module("thinc.layers.chain").forward is lean._lean_forward
    # spaCy parsed them a capped batch at a time: at most 4 articles and 20,000 characters (one longer alone)
    assert sum(len(batch) for batch in parsed) == len(ARTICLES) and len(parsed) > 1
    for batch in parsed:
        assert len(batch) <= lean.BATCH_SIZE
        assert len(batch) == 1 or sum(batch) <= lean.BATCH_CHARS


def test_the_local_engine_asks_for_it_unless_switched_off(monkeypatch):
    from tacitus import engines, pipeline

    asked: list[bool] = []

    def analyze_pairs(items, **kwargs):
        asked.append(kwargs["lean"])
        return iter(())

    monkeypatch.setattr(pipeline, "analyze_pairs", analyze_pairs)
    monkeypatch.delenv(lean.ENV_VAR, raising=False)
    list(engines.analyze_pairs_on("local", []))
    monkeypatch.setenv(lean.ENV_VAR, "false")
    list(engines.analyze_pairs_on("local", []))
    assert asked == [True, False]


def test_every_yes_no_switch_reads_the_same_spellings_and_refuses_any_other(monkeypatch):
    import dask

    from tacitus.engines.dask_worker import flag
    from tacitus.errors import InvalidSetting

    def switches() -> list[bool]:
        # the same value in each of the engines' switches: Dask's two settings, the local engine's variable
        return [lean.lean_memory(), flag("presign", False), lean.local_lean_memory()]

    # what a user may write (Dask's configuration may also give a YAML bool or an int), in any case
    for value, expected in (
        ("true", True), ("Yes", True), ("ON", True), (" 1 ", True), (True, True), (1, True),
        ("false", False), ("No", False), ("off", False), ("0", False), (False, False), (0, False),
    ):  # fmt: skip
        monkeypatch.setenv(lean.ENV_VAR, str(value))
        with dask.config.set({"tacitus.lean-memory": value, "tacitus.presign": value}):
            assert switches() == [expected] * 3, value
    # unset, or exported empty: each switch's default (lean memory on, presigning off)
    monkeypatch.delenv(lean.ENV_VAR)
    assert switches() == [True, False, True]
    monkeypatch.setenv(lean.ENV_VAR, "")
    with dask.config.set({"tacitus.lean-memory": "", "tacitus.presign": ""}):
        assert switches() == [True, False, True]
    # a typo is refused, naming the switch and the values it takes, where it was read as on before
    monkeypatch.setenv(lean.ENV_VAR, "flase")
    with dask.config.set({"tacitus.lean-memory": "flase", "tacitus.presign": "2"}):
        for read, name in (
            (lean.lean_memory, "Dask setting tacitus.lean-memory is 'flase'"),
            (lambda: flag("presign", False), "Dask setting tacitus.presign is '2'"),
            (lean.local_lean_memory, "environment variable TACITUS_LEAN_MEMORY is 'flase'"),
        ):
            with pytest.raises(InvalidSetting) as refused:
                read()
            assert str(refused.value) == f"{name}: give true or false (or yes/no, on/off, 1/0, in any case)"


def test_batches_cap_articles_and_characters_in_order():
    sizes = [7_000, 6_000, 5_000, 3_000, 25_000, 100, 100, 100, 100, 100]
    articles = [Article(text="x" * n, id=str(i)) for i, n in enumerate(sizes)]
    got = [[int(a.id) for a in batch] for batch in lean.batches(iter(articles))]
    # 18,000 + 3,000 is over 20,000; a 25,000-character article goes alone; then 4 at most
    assert got == [[0, 1, 2], [3], [4], [5, 6, 7, 8], [9]]
    assert [[int(a.id) for a in b] for b in lean.batches(articles, size=16, chars=10**9)] == [list(range(10))]
