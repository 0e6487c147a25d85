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
article it duplicates: LSH proposes candidates, and each is checked with :func:`same_story`. Candidates
are found by their *band keys* (:func:`band_keys`: the bands of datasketch's :class:`MinHashLSH`, hashed
to 64-bit integers), among the articles of a run in a temporary table on disk
(:class:`tacitus.ingest.spill.BandTable`) and among those of a store in its own indexed table, so a run
never loads the store whole and its memory grows neither with the store nor with the run. Both use the
banding :func:`band_params` chooses (the one datasketch's own optimiser chooses), so the candidates are
those datasketch's in-memory index would propose. Signatures are plain bytes (:meth:`Fingerprint.to_bytes`), so a store can keep them and check new
articles without reading old texts again; :data:`SCHEME` names the parameters they were made with, and
signatures of another scheme are not comparable; :func:`band_scheme` names the banding.

The title is not part of the text compared: a wire copy under another headline is the same story.
"""

from __future__ import annotations

import functools
import re
import unicodedata
import zlib
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash

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

# LSH proposes the candidates the decision checks. It is tuned for a lower Jaccard than the lowest one the
# decision uses, so that its own misses near that threshold (it is probabilistic) cost almost no recall.
LSH_THRESHOLD = MIN_JACCARD_CONTAINED * 0.75
# How the banding weighs its false positives against its false negatives (datasketch's default, so that
# band_params chooses what MinHashLSH does): a false candidate costs one comparison, a missed one a
# duplicate analysed twice.
LSH_WEIGHTS = (0.5, 0.5)
# FNV-1a's 64-bit offset basis and prime, applied to a band's 32-bit values rather than to bytes.
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)

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
        own = _own_layout()
        if own is not None and len(data) == len(own[0]) + 4 * NUM_PERM and data.startswith(own[0]):
            # a signature made here: its values read straight into an array, twice as fast as datasketch's
            # unpacking into Python integers (a lookup in a large store rebuilds a hundred of these)
            values = np.frombuffer(data, dtype=np.uint32, offset=len(own[0]))
            return cls(LeanMinHash(seed=SEED, hashvalues=values, scheme=own[1]), size)
        return cls(LeanMinHash.deserialize(data), size)


@functools.cache
def _own_layout() -> tuple[bytes, str] | None:
    """The bytes before the values in :meth:`Fingerprint.to_bytes` of this module's signatures (datasketch's
    layout: seed, number of values, scheme code, padding) and their scheme's name; ``None`` when the
    values are not 32-bit after a 4-byte aligned header (another datasketch), and datasketch reads every
    signature itself."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=zlib.crc32)
    data = Fingerprint(LeanMinHash(minhash), 0).to_bytes()
    header = data[: len(data) - 4 * NUM_PERM]
    if minhash.hashvalues.dtype != np.uint32 or len(header) % 4:
        return None
    return header, minhash.scheme


def fingerprint(text: str, n: int = SHINGLE_WORDS, num_perm: int = NUM_PERM) -> Fingerprint:
    """The :class:`Fingerprint` of an article's body."""
    found = shingles(text, n)
    # CRC-32 is ten times faster than datasketch's default SHA-1 here, and good enough: datasketch mixes
    # every input hash (MurmurHash3's finaliser) before permuting it, and a thousand shingles rarely collide.
    m = MinHash(num_perm=num_perm, seed=SEED, hashfunc=zlib.crc32)
    if found:
        m.update_batch([s.encode("utf-8") for s in found])
    return Fingerprint(LeanMinHash(m), len(found))


@functools.cache
def band_params(
    threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM, weights: tuple[float, float] = LSH_WEIGHTS
) -> tuple[int, int]:
    """The LSH banding ``(b, r)``: ``b`` bands of ``r`` values, the one that makes the fewest mistakes at
    ``threshold``, as :class:`datasketch.MinHashLSH` chooses it for the same threshold, ``num_perm`` and
    ``weights`` (false positives, false negatives). For the defaults: 51 bands of 2 values.

    Two texts of Jaccard similarity ``s`` share a band with probability ``P(s) = 1 - (1 - s**r)**b``. The
    false positives are the area under ``P`` below the threshold, the false negatives the area above ``P``
    (under ``1 - P``) above it; the banding minimises their weighted sum over every ``b * r <= num_perm``,
    the first one found on a tie, ``b`` then ``r`` in increasing order. Computed here rather than taken from
    datasketch's private ``datasketch.lsh._optimal_param``, which a release may rename or remove (the band
    keys the store keeps depend on it only through ``(b, r)``; a test checks that ``MinHashLSH`` chooses the
    same). ``P`` is a polynomial of degree ``b * r <= num_perm``, so Gauss-Legendre quadrature with
    ``num_perm // 2 + 1`` nodes integrates it exactly, up to rounding.
    """
    fp_weight, fn_weight = weights
    nodes, node_weights = np.polynomial.legendre.leggauss(num_perm // 2 + 1)
    below, below_weights = threshold * (nodes + 1) / 2, threshold * node_weights / 2  # on [0, threshold]
    above = threshold + (1 - threshold) * (nodes + 1) / 2  # on [threshold, 1]
    above_weights = (1 - threshold) * node_weights / 2
    best, least = (0, 0), float("inf")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            false_positives = below_weights @ (1 - (1 - below**r) ** b)
            false_negatives = above_weights @ ((1 - above**r) ** b)
            error = fp_weight * false_positives + fn_weight * false_negatives
            if error < least:
                best, least = (b, r), error
    return best


def band_scheme() -> str:
    """The name of the banding and of how band keys are hashed; stored with the store's band keys, so a
    change of either is seen and the keys made again from the stored signatures."""
    b, r = band_params()
    return f"{SCHEME}-lsh-b{b}-r{r}-fnv64"


def band_keys(hashvalues: np.ndarray) -> np.ndarray:
    """The band keys of one signature's hash values (shape ``(b,)``) or of a stack of them (``(n, b)``).

    A band's key is a 64-bit FNV-1a hash of its ``r`` values, as a signed integer (what databases store). Two
    signatures with equal values in a band get equal keys, as datasketch's own buckets would; two with
    different values get equal keys with a chance of about 2**-64, and then only add a candidate that the
    decision checks like any other, so a collision cannot make a wrong match.
    """
    b, r = band_params()
    values = np.asarray(hashvalues, dtype=np.uint64)
    bands = values[..., : b * r].reshape(*values.shape[:-1], b, r)
    keys = np.full(bands.shape[:-1], _FNV_OFFSET, dtype=np.uint64)
    for j in range(r):
        keys = (keys ^ bands[..., j]) * _FNV_PRIME  # wraps modulo 2**64, as FNV does
    return keys.view(np.int64)


def band_pairs(print_: Fingerprint) -> list[tuple[int, int]]:
    """``(band, key)`` of each band of a fingerprint, for the store; none for a text with no words (never
    anyone's duplicate, so never indexed)."""
    if print_.size == 0:
        return []
    return list(enumerate(band_keys(print_.minhash.hashvalues).tolist()))


def signature_band_pairs(signatures: Sequence[bytes]) -> list[list[tuple[int, int]]]:
    """:func:`band_pairs` of many stored signatures (:meth:`Fingerprint.to_bytes`) at once."""
    if not signatures:
        return []
    values = np.stack([Fingerprint.from_bytes(data, 1).minhash.hashvalues for data in signatures])
    return [list(enumerate(row)) for row in band_keys(values).tolist()]


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
    j = _share_equal(a, b)
    common = j * (a.size + b.size) / (1.0 + j)
    return Similarity(j, min(1.0, common / min(a.size, b.size)))


def _share_equal(a: Fingerprint, b: Fingerprint) -> float:
    """The share of equal hash values of two fingerprints: the Jaccard estimate."""
    return float(np.count_nonzero(a.minhash.hashvalues == b.minhash.hashvalues)) / len(a.minhash.hashvalues)


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


StoredCandidates = Callable[[Sequence[tuple[int, int]]], Iterable[tuple[Hashable, bytes, int]]]
"""Given a fingerprint's ``(band, key)`` pairs, the stored articles sharing any of them: ``(key, signature
bytes, size)`` each, the key being what a :class:`Match` names (see ``tacitus.batch.make_preparer``)."""


class DuplicateIndex:
    """Signatures of the articles seen so far, and for a new one the earlier article it duplicates.

    Keys are the caller's (a content hash, a position in the batch); :meth:`add` refuses a key twice. The
    LSH index retrieves every candidate whose Jaccard estimate is near :data:`MIN_JACCARD_CONTAINED` or
    above, and :func:`same_story` decides; the most similar passing candidate wins. The articles added are
    kept on disk (:class:`tacitus.ingest.spill.BandTable`), not in memory. ``stored`` adds the articles of
    a store: asked for by band keys at each :meth:`find`, never held here.
    """

    def __init__(self, num_perm: int = NUM_PERM, stored: StoredCandidates | None = None) -> None:
        """An empty index for signatures of ``num_perm`` values, backed by ``stored`` when given."""
        from tacitus.ingest.spill import BandTable

        if num_perm != NUM_PERM:
            raise ValueError(f"num_perm={num_perm}: the index keeps band keys of {NUM_PERM}-value signatures")
        # the articles added, on disk with their band keys (the same buckets as datasketch's MinHashLSH with
        # band_params(), as the store's): a run's memory no longer grows with its articles (spill's docstring)
        self._added = BandTable()
        self._stored = stored

    def __len__(self) -> int:
        return len(self._added)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._added

    def add(self, key: Hashable, print_: Fingerprint) -> None:
        """Index the fingerprint of an article kept (not itself a duplicate) under ``key``."""
        if print_.size == 0:
            return
        if key in self._added:
            raise ValueError(f"{key!r} is already in the duplicate index; give each article its own key")
        self._added.add(key, print_.size, print_.to_bytes(), band_pairs(print_))

    def find(self, print_: Fingerprint) -> Match | None:
        """The article this fingerprint's text duplicates (the most similar one), or ``None``.

        On a tie an article added here wins over a stored one: it is the same article when a run's own
        original was stored before its copy came up, and the run then names it as its own; among articles
        added here, the one added first.
        """
        if print_.size == 0:
            return None
        best: Match | None = None
        pairs = band_pairs(print_)
        for key, data, size in self._added.candidates(pairs):
            best = _better(best, key, print_, Fingerprint.from_bytes(data, size))
        if self._stored is not None:
            found = list(self._stored(pairs))
            agree = _agreement(print_, [data for _, data, _ in found])
            for (key, data, size), share in zip(found, agree, strict=True):
                # A share of equal values (the Jaccard estimate) under MIN_JACCARD_CONTAINED fails every
                # branch of same_story: most false candidates are dropped here, all in one array operation.
                if share >= MIN_JACCARD_CONTAINED:
                    best = _better(best, key, print_, Fingerprint.from_bytes(data, size))
        return best


def _agreement(print_: Fingerprint, signatures: Sequence[bytes]) -> list[float]:
    """The share of equal hash values between ``print_`` and each signature (as :func:`similarity`
    counts them), in one array operation for signatures made here."""
    own = _own_layout()
    if not signatures:
        return []
    if own is None or any(
        len(d) != len(own[0]) + 4 * NUM_PERM or not d.startswith(own[0]) for d in signatures
    ):
        return [_share_equal(print_, Fingerprint.from_bytes(d, 1)) for d in signatures]
    rows = np.frombuffer(b"".join(signatures), dtype=np.uint32).reshape(len(signatures), -1)
    equal = rows[:, -NUM_PERM:] == print_.minhash.hashvalues
    return (np.count_nonzero(equal, axis=1) / NUM_PERM).tolist()


def _better(best: Match | None, key: Hashable, print_: Fingerprint, other: Fingerprint) -> Match | None:
    """``key``'s match when its text is the same story and more similar than ``best``'s, else ``best`` (the
    first of equals stays)."""
    sim = similarity(print_, other)
    if not same_story(sim, print_, other):
        return best
    if best is None or sim.jaccard > best.similarity.jaccard:
        return Match(key, sim)
    return best
