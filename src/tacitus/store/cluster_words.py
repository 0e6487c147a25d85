"""The words two event mentions are compared on: content words weighted by their inverse document
frequency over the AllSides articles, and each article's story as its weightiest words.

Pure functions on plain values, shared by the event rules (:mod:`tacitus.store.cluster_rules`), the quote
rules (:mod:`tacitus.store.quote_rules`), the store's writer and the tools that build the word data.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from importlib import resources

from tacitus import wordlists

STORY_TERMS = 60
"""An article's story is kept as its this many words of highest ``tf * idf`` (title words counted
:data:`TITLE_WEIGHT` times): enough to tell two stories apart, small enough to store per article."""

TITLE_WEIGHT = 3
"""A title word counts as this many occurrences in the body: the headline names the story."""

WORD_CACHE_SIZE = 16384
"""Entries kept by each word cache (:func:`content_words`, :func:`quote_words`, ``name_words``,
:func:`idf`): a long run's client holds every entry until the cache is full, near 70 MB for
``quote_words`` alone at 65,536 (benchmarks/memory.md). Storing 1,528 AllSides records (corpus lines
4,193-5,720, tools/cluster_cache.py): at 65,536 the hit rates are 0.838 / 0.791 / 0.911 / 0.960; at 16,384
the same but ``quote_words`` 0.788 and ``idf`` 0.941; at 8,192 ``quote_words`` falls to 0.709 and ``idf`` to
0.882. The memory the module's allocations hold after those 1,528 articles (tracemalloc, the word
frequencies included): 68.8 MB at 65,536, 55.6 MB at 16,384, with the 65,536 caches still far from full
(21,422 quotes). Storing CPU per article, 600 articles, sizes interleaved: 16.7 and 15.9 ms at 65,536, 16.0
and 15.3 ms at 16,384."""

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
_DATA = "data"


def read_words(name: str) -> frozenset[str]:
    """A word list of the store's data folder (:func:`tacitus.wordlists.read_words`)."""
    return wordlists.read_words("tacitus.store", _DATA, name)


STOPWORDS = read_words("cluster_stop_words.txt")
"""Words two unrelated sentences share by chance (``data/cluster_stop_words.txt``)."""


@functools.cache
def _document_frequencies() -> tuple[int, dict[str, int]]:
    """``(articles, {word: articles containing it})`` from ``data/word_df.tsv`` (tools/cluster_idf.py)."""
    text = resources.files("tacitus.store").joinpath(_DATA, "word_df.tsv").read_text(encoding="utf-8")
    n, df = 0, {}
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.startswith("# articles\t"):
            n = int(line.split("\t")[1])
        elif line and not line.startswith("#"):
            word, _, count = line.partition("\t")
            if not count.isdigit():
                raise ValueError(f"word_df.tsv:{lineno}: expected word<TAB>count, got {line!r}")
            df[word] = int(count)
    return n, df


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def idf(word: str) -> float:
    """The word's inverse document frequency over the AllSides articles, ``ln((N + 1) / (df + 1))``; a
    word too rare to be listed counts as seen once."""
    n, df = _document_frequencies()
    return math.log((n + 1) / (df.get(word, 1) + 1))


def fold(text: str) -> str:
    """Lower case without accents, for comparing words and names across outlets' spellings."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def content_words(text: str | None) -> frozenset[str]:
    """The folded words of ``text`` that carry content: not stop words, not numbers, two letters or more."""
    if not text:
        return frozenset()
    words = (w.replace("’", "'") for w in WORD.findall(fold(text)))
    return frozenset(
        w.removesuffix("'s") for w in words if len(w) > 1 and not w.isdigit() and w not in STOPWORDS
    )


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the smaller set's words found in the other (0.0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def weighted_overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the lighter set's weight (the sum of its words' :func:`idf`) carried by the shared
    words: "Kiryat Malachi" counts for much more than "killed"."""
    if not a or not b:
        return 0.0
    lighter = min(sum(map(idf, a)), sum(map(idf, b)))
    return sum(map(idf, a & b)) / lighter if lighter else 0.0


def story_terms(title: str | None, text: str | None) -> dict[str, float]:
    """An article's story as ``{word: weight}``: its :data:`STORY_TERMS` content words of highest
    ``tf * idf`` (title words counted :data:`TITLE_WEIGHT` times), weights scaled to unit length so two
    stories compare by a dot product."""
    counts: dict[str, int] = {}
    for weight, part in ((TITLE_WEIGHT, title), (1, text)):
        for w in WORD.findall(fold(part or "")):
            w = w.replace("’", "'").removesuffix("'s")
            if len(w) > 1 and not w.isdigit() and w not in STOPWORDS:
                counts[w] = counts.get(w, 0) + weight
    scored = sorted(((c * idf(w), w) for w, c in counts.items()), reverse=True)[:STORY_TERMS]
    norm = math.sqrt(sum(v * v for v, _ in scored))
    return {w: v / norm for v, w in scored} if norm else {}


def encode_terms(terms: dict[str, float]) -> str:
    """``story_terms`` as stored: ``word weight`` pairs, space-separated, weights to 4 decimals."""
    return " ".join(f"{w} {v:.4f}" for w, v in terms.items())


def decode_terms(stored: str | None) -> dict[str, float] | None:
    """The inverse of :func:`encode_terms`; None for an article stored without terms."""
    if stored is None:
        return None
    parts = stored.split(" ")
    return {parts[i]: float(parts[i + 1]) for i in range(0, len(parts) - 1, 2)}


def story_similarity(a: dict[str, float] | None, b: dict[str, float] | None) -> float | None:
    """The cosine of two articles' :func:`story_terms` (None when either is unknown)."""
    if a is None or b is None:
        return None
    if len(b) < len(a):
        a, b = b, a
    return sum(v * b[w] for w, v in a.items() if w in b)


TITLES = read_words("speaker_titles.txt")
"""Titles a name may carry ("Mr.", "Sen.", "President"): not what tells two persons apart."""


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def name_words(name: str | None) -> frozenset[str]:
    """The folded words of a person's name without titles ("Sen.", "President") or initials."""
    return frozenset(w for w in WORD.findall(fold(name or "")) if w not in TITLES and len(w) > 1)
