"""A Dask worker's memory settings (tacitus.engines.lean): the same analysis, with a fraction of the arrays
alive at once; training untouched."""

from __future__ import annotations

import gzip
import json
import tracemalloc
from pathlib import Path

import numpy
import pytest
import spacy

from tacitus.engines import lean
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


def test_lean_inference_decides_the_same_with_a_fraction_of_the_arrays_alive():
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
    import platform

    if platform.libc_ver()[0] != "glibc":
        pytest.skip("glibc's mallopt")
    assert lean.tune_malloc() is True
