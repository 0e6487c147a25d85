"""Score duplicate detection (:mod:`tacitus.ingest.dedup`) on article pairs labelled by hand.

The pairs (``data/duplicate_pairs.tsv``) come from the AllSides corpus (``corpora/allsides-intl.jsonl.gz``
in the project's shared data: 5,720 foreign-affairs articles of 2012–2020 from about 140 outlets). The file
holds article ids, never texts. ``tools/dedup_pairs.py`` drew them:

- ``real``: pairs of two corpus articles across the whole range of word-shingle Jaccard similarity, all of
  the few above 0.2 and samples below, plus every pair where one text is largely contained in the other;
- ``same-day``: two articles of the same day and topic from different outlets (the hard case: two stories
  on one event), and ``random`` pairs;
- ``edit``: a corpus article and a copy of it edited the way outlets edit wire copy, by the recipe in the
  ``recipe`` column (:func:`apply_recipe`): ``trim:F`` keeps the first F of the paragraphs, ``byline``
  adds a byline line and a dateline, ``edit:K`` deletes, adds to or rewords K sentences; joined by ``+``.

Each ``real``, ``same-day`` and ``random`` pair was labelled by reading both texts: ``dup`` when they are
the same story text give or take headline, byline, a trimmed end or a few edited sentences, ``diff``
otherwise (two stories on the same event are ``diff``), with the reason in a few words. ``edit`` pairs are
``dup`` by construction. A pair's split is fixed by a hash of its two ids (:func:`split_of`): thresholds
were tuned on ``dev``; ``test`` is the figure to quote.

Measures: precision, recall and F1 of :func:`tacitus.ingest.dedup.same_story` on the fingerprints of the two
texts (the decision the pipeline makes, MinHash estimates included), for all pairs and for real pairs only.
As in a run over the corpus, each text is compared without the lines its source prints under many of its
articles (:mod:`tacitus.ingest.learned`, learnt over the whole corpus).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tacitus.errors import NoInputs
from tacitus.evaluate import EvalResult
from tacitus.evaluate.labelled import read_rows

PAIRS_FILE = "duplicate_pairs.tsv"
CORPUS = Path("corpora") / "allsides-intl.jsonl.gz"
COLUMNS = ("pair", "id_a", "id_b", "kind", "recipe", "jaccard", "containment", "label", "reason")
KINDS = ("real", "same-day", "random", "edit")
LABELS = ("dup", "diff")
SPLITS = ("dev", "test", "all")

_SENTENCE = re.compile(r"(?<=[.!?\"”’'])\s+(?=[\"“‘A-Z])")
# Words an editor adds to a wire sentence, or puts in place of another: plain, story-neutral phrasing.
_ADDED = (
    "The statement came as tensions rose in the region.",
    "Officials did not immediately respond to a request for comment.",
    "The move drew swift criticism.",
)
_REWORD = (("said", "told reporters"), ("the United States", "Washington"), ("would", "will"))


@dataclass(frozen=True)
class Pair:
    """One labelled pair: ids, how it was drawn, the edit recipe (``edit`` pairs) and the label."""

    pair: str
    id_a: str
    id_b: str
    kind: str
    recipe: str
    label: str
    reason: str

    @property
    def split(self) -> str:
        """``dev`` or ``test``, from a hash of the pair (see :func:`split_of`)."""
        return split_of(self.id_a, self.id_b, self.recipe)


def split_of(id_a: str, id_b: str, recipe: str = "") -> str:
    """The split of a pair: ``test`` when the first byte of SHA-1 over its ids and recipe is odd, else ``dev``."""
    digest = hashlib.sha1(f"{id_a}\t{id_b}\t{recipe}".encode()).digest()
    return "test" if digest[0] % 2 else "dev"


def load_pairs(path: str | Path | None = None) -> list[Pair]:
    """Read the labelled pairs (the packaged file when ``path`` is None); ``#`` lines are comments.

    Unknown kinds or labels raise ``ValueError`` naming the file and line. Pairs not labelled yet (an empty
    ``label``) are returned with ``label`` empty; the scorer leaves them out.
    """
    name, rows = read_rows(path, PAIRS_FILE, COLUMNS)
    pairs = []
    for lineno, row in rows:
        if row.get("kind") not in KINDS:
            raise ValueError(
                f"{name}:{lineno}: unknown kind {row.get('kind')!r}; expected {', '.join(KINDS)}"
            )
        if row.get("label") and row["label"] not in LABELS:
            raise ValueError(f"{name}:{lineno}: unknown label {row['label']!r}; expected dup or diff")
        pairs.append(
            Pair(
                row["pair"], row["id_a"], row["id_b"], row["kind"], row.get("recipe", ""),
                row.get("label", ""), row.get("reason", ""),
            )
        )  # fmt: skip
    return pairs


def load_corpus(path: str | Path) -> dict[str, dict]:
    """The AllSides articles by id (a ``.jsonl.gz`` of objects with ``id``, ``source``, ``title``, ``text``)."""
    path = Path(path)
    if not path.exists():
        raise NoInputs(f"{path}: missing; pass --data the folder beside corpora/ (the shared eval folder)")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return {obj["id"]: obj for obj in map(json.loads, handle)}


def apply_recipe(text: str, recipe: str, seed: str) -> str:
    """Edit ``text`` the way ``recipe`` says (see the module docstring), reproducibly for a given ``seed``."""
    rng = random.Random(seed)
    paragraphs = [p for p in re.split(r"\n\s*\n", text) if p.strip()]
    for step in recipe.split("+"):
        name, _, arg = step.partition(":")
        if name == "trim":
            keep = max(1, round(float(arg) * len(paragraphs)))
            paragraphs = paragraphs[:keep]
        elif name == "byline":
            paragraphs = [
                "By Staff Writer, Associated Press",
                "WASHINGTON (AP) — " + paragraphs[0],
                *paragraphs[1:],
            ]
        elif name == "edit":
            paragraphs = _edit_sentences(paragraphs, int(arg), rng)
        else:
            raise ValueError(f"unknown recipe step {step!r}; expected trim:F, byline or edit:K")
    return "\n\n".join(paragraphs)


def _edit_sentences(paragraphs: list[str], k: int, rng: random.Random) -> list[str]:
    sentences = [(i, s) for i, p in enumerate(paragraphs) for s in _SENTENCE.split(p) if s.strip()]
    if not sentences:
        return paragraphs
    chosen = sorted(rng.sample(range(len(sentences)), min(k, len(sentences))))
    out = [list(_SENTENCE.split(p)) for p in paragraphs]
    flat = [(i, j) for i, parts in enumerate(out) for j in range(len(parts))]
    for n, pick in enumerate(chosen):
        i, j = flat[pick]
        action = n % 3
        if action == 0:
            out[i][j] = ""  # the sentence is cut
        elif action == 1:
            out[i][j] = out[i][j] + " " + rng.choice(_ADDED)
        else:
            old, new = rng.choice(_REWORD)
            out[i][j] = out[i][j].replace(old, new, 1) if old in out[i][j] else out[i][j] + " " + _ADDED[0]
    result = [" ".join(s for s in parts if s) for parts in out]
    return [p for p in result if p.strip()]


def pair_texts(pair: Pair, corpus: dict[str, dict]) -> tuple[str, str] | None:
    """The two texts of a pair (``edit`` pairs: the article and its edited copy), or ``None`` if an id is
    missing from the corpus."""
    a = corpus.get(pair.id_a)
    if a is None:
        return None
    if pair.kind == "edit":
        return a["text"], apply_recipe(a["text"], pair.recipe, pair.pair)
    b = corpus.get(pair.id_b)
    return None if b is None else (a["text"], b["text"])


def evaluate_duplicates(
    data: str | Path, *, split: str = "test", pairs: Iterable[Pair] | None = None
) -> EvalResult:
    """Score :func:`~tacitus.ingest.dedup.same_story` on the labelled pairs of ``split`` (dev, test or all).

    ``data`` is the shared evaluation folder; the corpus is read from ``corpora/`` beside it (or inside it).
    """
    from tacitus.ingest.dedup import SCHEME, fingerprint, same_story, similarity
    from tacitus.ingest.learned import BoilerplateModel, article_keys

    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; choose dev, test or all")
    root = Path(data)
    corpus_path = next((p for p in (root / CORPUS, root.parent / CORPUS) if p.exists()), root.parent / CORPUS)
    corpus = load_corpus(corpus_path)
    chosen = [p for p in (pairs if pairs is not None else load_pairs()) if p.label]
    if split != "all":
        chosen = [p for p in chosen if p.split == split]
    started = time.perf_counter()
    model = BoilerplateModel()
    for obj in corpus.values():
        model.observe(obj.get("source"), article_keys(obj["text"]))
    tally = {scope: {"tp": 0, "fp": 0, "fn": 0, "tn": 0} for scope in ("all", "real")}
    missing = 0
    errors: list[str] = []
    for pair in chosen:
        texts = pair_texts(pair, corpus)
        if texts is None:
            missing += 1
            continue
        fa = fingerprint(model.strip(corpus[pair.id_a].get("source"), texts[0]).text)
        fb = fingerprint(model.strip(corpus[pair.id_b].get("source"), texts[1]).text)
        predicted = same_story(similarity(fa, fb), fa, fb)
        gold = pair.label == "dup"
        cell = ("tp" if gold else "fp") if predicted else ("fn" if gold else "tn")
        for scope in ("all", "real") if pair.kind != "edit" else ("all",):
            tally[scope][cell] += 1
        if cell in ("fp", "fn") and len(errors) < 10:
            errors.append(
                f"{cell} {pair.pair} ({pair.kind}{' ' + pair.recipe if pair.recipe else ''}): {pair.reason}"
            )
    metrics: dict[str, float] = {}
    counts: dict[str, int] = {"pairs": len(chosen) - missing, "missing_articles": missing}
    for scope, t in tally.items():
        p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 1.0
        r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 1.0
        suffix = "" if scope == "all" else "_real"
        metrics[f"precision{suffix}"] = p
        metrics[f"recall{suffix}"] = r
        metrics[f"f1{suffix}"] = 2 * p * r / (p + r) if p + r else 0.0
        for cell, n in t.items():
            counts[f"{cell}{suffix}"] = n
    notes = [f"signatures {SCHEME}; {time.perf_counter() - started:.1f}s", *errors]
    return EvalResult("duplicates", f"allsides pairs/{split}", len(chosen) - missing, metrics, counts, notes)
