"""Exact and near-duplicate articles: MinHash signatures of word shingles, found with LSH (datasketch).

The same wire story reaches a corpus many times: forty outlets print it, each with its own headline, a
byline or dateline line of its own, a trimmed ending, a sentence edited here and there. An article is
reduced to its set of *shingles*, the runs of :data:`SHINGLE_WORDS` consecutive words of its body (case
folded, punctuation dropped), and that set to a MinHash signature of :data:`NUM_PERM` values, from which
two measures are estimated:

- Jaccard similarity, ``|A ∩ B| / |A ∪ B|``: the share of the two texts' shingles they have in common;
- containment, ``|A ∩ B| / min(|A|, |B|)``: how much of the *shorter* text is in the longer one, which
  stays high when one outlet cut the story's second half.

:func:`same_story` is the decision, with thresholds measured on pairs labelled by hand (see
:mod:`tacitus.evaluate.duplicates`). :class:`DuplicateIndex` finds, for a new signature, the earlier
article it duplicates: an LSH index (:class:`datasketch.MinHashLSH`) proposes candidates, and each is
checked with :func:`same_story`. Signatures are plain bytes (:meth:`Fingerprint.to_bytes`), so a store can
keep them and rebuild the index without reading old texts again; :data:`SCHEME` names the parameters they
were made with, and signatures of another scheme are not comparable.

The title is not part of the text compared: a wire copy under another headline is the same story.
"""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash, MinHashLSH

# Parameters, chosen on the dev half of the labelled pairs (figures in tacitus.evaluate.duplicates):
# 5-word shingles are long enough that two stories on the same event share few of them, and short enough
# that an edited sentence spoils only the few around the edit.
SHINGLE_WORDS = 5
# 256 permutations estimate a Jaccard of 0.5 within about ±0.03 (one standard deviation; ±0.036 with 128,
# which missed a trimmed copy on the dev pairs) at the same speed: hashing the shingles is the cost, not the
# permutations. A signature is 256 × 4 bytes.
NUM_PERM = 256
SEED = 1
# Two texts are the same story when they share this share of their shingles ...
MIN_JACCARD = 0.6
# ... or when one is (nearly) contained in the other (a trimmed copy), provided they still share this much:
MIN_CONTAINMENT = 0.85
MIN_JACCARD_CONTAINED = 0.2
# Texts this short (in shingles) say too little to be told apart by their wording: only identical ones
# count as duplicates.
MIN_SHINGLES = 20

SCHEME = f"minhash-crc32-w{SHINGLE_WORDS}-p{NUM_PERM}-s{SEED}"
"""The name of the signature parameters; stored with each signature."""

_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The words of ``text`` as compared: NFKC-normalised, case-folded runs of letters and digits."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, n: int = SHINGLE_WORDS) -> set[str]:
    """The distinct runs of ``n`` consecutive words of ``text`` (one shingle of all words when fewer)."""
    ws = words(text)
    if not ws:
        return set()
    if len(ws) <= n:
        return {" ".join(ws)}
    return {" ".join(ws[i : i + n]) for i in range(len(ws) - n + 1)}


@dataclass(frozen=True)
class Fingerprint:
    """The MinHash signature of a text and the number of distinct shingles it was made from.

    ``size`` turns a Jaccard estimate into a containment estimate (see :func:`similarity`); a text with no
    words has ``size`` 0 and is never anyone's duplicate.
    """

    minhash: LeanMinHash
    size: int

    def to_bytes(self) -> bytes:
        """The signature as bytes (datasketch's own serialisation, which carries seed and scheme)."""
        buf = bytearray(self.minhash.bytesize())
        self.minhash.serialize(buf)
        return bytes(buf)

    @classmethod
    def from_bytes(cls, data: bytes, size: int) -> Fingerprint:
        """Rebuild a fingerprint from :meth:`to_bytes` and its shingle count."""
        return cls(LeanMinHash.deserialize(data), size)


def fingerprint(text: str, n: int = SHINGLE_WORDS, num_perm: int = NUM_PERM) -> Fingerprint:
    """The :class:`Fingerprint` of an article's body."""
    found = shingles(text, n)
    # CRC-32 is ten times faster than datasketch's default SHA-1 here, and good enough: datasketch mixes
    # every input hash (MurmurHash3's finaliser) before permuting it, and a thousand shingles rarely collide.
    m = MinHash(num_perm=num_perm, seed=SEED, hashfunc=zlib.crc32)
    if found:
        m.update_batch([s.encode("utf-8") for s in found])
    return Fingerprint(LeanMinHash(m), len(found))


@dataclass(frozen=True)
class Similarity:
    """Estimated Jaccard similarity and containment of two texts' shingle sets (see the module docstring)."""

    jaccard: float
    containment: float


def similarity(a: Fingerprint, b: Fingerprint) -> Similarity:
    """Estimate how alike two texts are from their fingerprints.

    Containment comes from the Jaccard estimate and the two set sizes: ``|A ∩ B| = J (|A| + |B|) / (1 + J)``.
    """
    if a.size == 0 or b.size == 0:
        return Similarity(0.0, 0.0)
    j = float(np.count_nonzero(a.minhash.hashvalues == b.minhash.hashvalues)) / len(a.minhash.hashvalues)
    common = j * (a.size + b.size) / (1.0 + j)
    return Similarity(j, min(1.0, common / min(a.size, b.size)))


def same_story(sim: Similarity, a: Fingerprint, b: Fingerprint) -> bool:
    """True when two texts with this similarity are one story (a duplicate), as the thresholds above say."""
    if min(a.size, b.size) < MIN_SHINGLES:
        return sim.jaccard == 1.0 and a.size == b.size
    if sim.jaccard >= MIN_JACCARD:
        return True
    return sim.containment >= MIN_CONTAINMENT and sim.jaccard >= MIN_JACCARD_CONTAINED


@dataclass(frozen=True)
class Match:
    """The earlier article a text duplicates (its index key) and how alike the two are."""

    key: Hashable
    similarity: Similarity


class DuplicateIndex:
    """Signatures of the articles seen so far, and for a new one the earlier article it duplicates.

    Keys are the caller's (a content hash, a position in the batch); :meth:`add` refuses a key twice. The
    LSH index retrieves every candidate whose Jaccard estimate is near :data:`MIN_JACCARD_CONTAINED` or
    above, and :func:`same_story` decides; the most similar passing candidate wins.
    """

    def __init__(self, num_perm: int = NUM_PERM) -> None:
        """An empty index for signatures of ``num_perm`` values."""
        # Candidates come from a lower threshold than the lowest one the decision uses, so that LSH's own
        # misses near the threshold (it is probabilistic) cost almost no recall.
        self._lsh = MinHashLSH(threshold=MIN_JACCARD_CONTAINED * 0.75, num_perm=num_perm)
        self._prints: dict[Hashable, Fingerprint] = {}

    def __len__(self) -> int:
        return len(self._prints)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._prints

    def add(self, key: Hashable, print_: Fingerprint) -> None:
        """Index the fingerprint of an article kept (not itself a duplicate) under ``key``."""
        if print_.size == 0:
            return
        self._prints[key] = print_
        self._lsh.insert(key, print_.minhash)

    def find(self, print_: Fingerprint) -> Match | None:
        """The indexed article this fingerprint's text duplicates (the most similar one), or ``None``."""
        if print_.size == 0 or not self._prints:
            return None
        best: Match | None = None
        for key in self._lsh.query(print_.minhash):
            other = self._prints[key]
            sim = similarity(print_, other)
            if same_story(sim, print_, other) and (best is None or sim.jaccard > best.similarity.jaccard):
                best = Match(key, sim)
        return best
