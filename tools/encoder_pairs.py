"""Would a sentence encoder close the event clustering's recall gap? The cosine of each labelled pair's two
sentences (tacitus.kb.encoder, all-MiniLM-L6-v2) against its label and the clustering's decision.

Uses the records ``tools/cluster_tune.py`` caches (the same ``--cache``; articles not in it are analysed).
For the labelled pairs of ``--split`` (``dev`` unless told: the held-out half is for reporting one chosen
rule once) it prints:

- the cosine's quantiles for ``same`` and ``diff`` pairs, and for the clustering's misses and the ``diff``
  pairs it keeps apart although the rules would let them meet (``eligible``, below);
- precision and recall of the clustering as it is, and of two pairwise rules for several thresholds:
  ``or T``: merged, or eligible and cosine >= T (recall from paraphrases); ``veto U``: merged and not
  cosine < U (precision from pairs whose shared words tell another event);
- ``--clustered RULE ...`` (``or:0.7``, ``veto:0.3``, ``or:0.7+veto:0.3``): the same rules put inside the
  clustering itself (``cluster_rules.event_score`` wrapped for this run only), every article stored again
  in publication order and the pairs scored as ``tacitus eval clusters`` scores them, so that chains and
  the greedy choice of one cluster count too.

A pair is **eligible** when nothing but the words keeps its mentions apart: ``event_score`` with every word
threshold lowered to -1 is not None (compatible keys, roles not reversed, compatible moods, no two persons,
days within the window, compatible places, one article only with one root and no caption).

    .venv/bin/python tools/encoder_pairs.py --data ../shared/eval [--split dev] [--clustered or:0.7]
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_tune import _records, _store  # noqa: E402
from tacitus.evaluate import clusters as ev  # noqa: E402
from tacitus.kb import encoder  # noqa: E402
from tacitus.store import (  # noqa: E402
    cluster_rows,
    cluster_words,  # noqa: E402
    clusters,
)
from tacitus.store import cluster_rules as rules  # noqa: E402

WORD_THRESHOLDS = (
    "MIN_EVENT_SIMILARITY", "SAME_ACTORS_SIMILARITY", "SAME_STORY_SIMILARITY", "OTHER_STORY_SIMILARITY",
    "SAME_ARTICLE_SIMILARITY", "CROSS_ROOT_SIMILARITY", "STORY_CROSS_ROOT_SIMILARITY",
)  # fmt: skip
OR_THRESHOLDS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
VETO_THRESHOLDS = (0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0)
VECTORS = "encoder-vectors.npz"  # beside the records in --cache


@dataclass
class Scored:
    """One labelled pair as located in the store: gold label, the clustering's decision, and the evidence."""

    pair: ev.Pair
    same: bool
    merged: bool
    eligible: bool
    cosine: float
    words: float


@contextlib.contextmanager
def words_ignored() -> Iterator[None]:
    """Every word threshold of the rules at -1 for the block, so event_score says only whether the vetoes pass."""
    saved = {name: getattr(rules, name) for name in WORD_THRESHOLDS}
    try:
        for name in WORD_THRESHOLDS:
            setattr(rules, name, -1.0)
        yield
    finally:
        for name, value in saved.items():
            setattr(rules, name, value)


def eligible(a: rules.Mention, b: rules.Mention) -> bool:
    """Nothing but the words keeps the two mentions apart (the module docstring); either order."""
    with words_ignored():
        return rules.event_score(a, b) is not None or rules.event_score(b, a) is not None


def _stored_rows(records: list) -> tuple[list[Any], dict]:
    """Every stored event as a row (with article id and sentence) and the articles' stories, clustered as
    the rules now stand."""
    from tacitus.store.schema import articles, events

    store, folder = _store(records)
    try:
        stmt = cluster_rows.event_select(
            articles.c.article_id, events.c.sentence_start, events.c.sentence_end
        )
        with store.engine.connect() as connection:
            rows = list(connection.execute(stmt.order_by(events.c.pk)))
            stories = cluster_rows._stories(connection, {r.article_pk for r in rows})
    finally:
        store.close()
        folder.cleanup()
    return rows, stories


def score(
    pairs: Sequence[ev.Pair], rows: list[Any], stories: dict, vectors: dict[str, np.ndarray]
) -> list[Scored]:
    """The labelled pairs (already of one split) that the store still holds, with their evidence."""
    by_sentence: dict[tuple[str, int, int], list[Any]] = {}
    for r in rows:
        by_sentence.setdefault((r.article_id, r.sentence_start, r.sentence_end), []).append(r)
    out = []
    for p in pairs:
        a = ev._locate(by_sentence.get((p.id_a, p.start_a, p.end_a), []), p.code_a, p.source_a, p.target_a)
        b = ev._locate(by_sentence.get((p.id_b, p.start_b, p.end_b), []), p.code_b, p.source_b, p.target_b)
        if a is None or b is None:
            continue
        ma, mb = cluster_rows._mention(a, stories), cluster_rows._mention(b, stories)
        out.append(
            Scored(
                pair=p,
                same=p.label == "same",
                merged=a.cluster_pk is not None and a.cluster_pk == b.cluster_pk,
                eligible=eligible(ma, mb),
                cosine=float(vectors[a.sentence or ""] @ vectors[b.sentence or ""]),
                words=cluster_words.weighted_overlap(ma.words, mb.words),
            )
        )
    return out


def prf(decisions: Sequence[tuple[bool, bool]]) -> tuple[float, float, int, int, int]:
    """Precision, recall, true, false and missed merges of (gold same, predicted same) pairs."""
    tp = sum(1 for g, p in decisions if g and p)
    fp = sum(1 for g, p in decisions if p and not g)
    fn = sum(1 for g, p in decisions if g and not p)
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0, tp, fp, fn)


def _line(name: str, decisions: Sequence[tuple[bool, bool]]) -> str:
    p, r, tp, fp, fn = prf(decisions)
    return f"  {name:<22} P {p:.3f} R {r:.3f}  (merges {tp + fp}, false {fp}, missed {fn})"


def _quantiles(name: str, values: Sequence[float]) -> str:
    if not values:
        return f"  {name:<34} n 0"
    qs = " ".join(f"{q:.2f}" for q in np.quantile(np.array(values), QUANTILES))
    return f"  {name:<34} n {len(values):3d}  {qs}"


def auc(scored: Sequence[Scored], value: Any) -> float:
    """The chance that a ``same`` pair scores above a ``diff`` one (ties count half): 0.5 is no signal."""
    same = [value(s) for s in scored if s.same]
    diff = [value(s) for s in scored if not s.same]
    if not same or not diff:
        return float("nan")
    wins = sum((x > y) + 0.5 * (x == y) for x in same for y in diff)
    return wins / (len(same) * len(diff))


def report(
    scored: list[Scored],
    split: str,
    ors: Sequence[float] = OR_THRESHOLDS,
    vetoes: Sequence[float] = VETO_THRESHOLDS,
) -> None:
    print(f"pairs/{split}: {len(scored)} located ({sum(s.same for s in scored)} same)")
    print(f"cosine quantiles {' '.join(f'q{int(q * 100)}' for q in QUANTILES)}")
    print(_quantiles("same", [s.cosine for s in scored if s.same]))
    print(_quantiles("diff", [s.cosine for s in scored if not s.same]))
    print(_quantiles("same, merged", [s.cosine for s in scored if s.same and s.merged]))
    print(_quantiles("same, missed", [s.cosine for s in scored if s.same and not s.merged]))
    print(
        _quantiles(
            "same, missed, eligible", [s.cosine for s in scored if s.same and not s.merged and s.eligible]
        )
    )
    print(_quantiles("diff, merged (false)", [s.cosine for s in scored if not s.same and s.merged]))
    print(
        _quantiles(
            "diff, apart, eligible", [s.cosine for s in scored if not s.same and not s.merged and s.eligible]
        )
    )
    chosen = [s for s in scored if s.eligible]
    print(
        f"separation (AUC) on the {len(chosen)} eligible pairs ({sum(s.same for s in chosen)} same): "
        f"cosine {auc(chosen, lambda s: s.cosine):.3f}, shared words {auc(chosen, lambda s: s.words):.3f}, "
        f"their mean {auc(chosen, lambda s: (s.cosine + s.words) / 2):.3f}"
    )
    print("pairwise rules")
    print(_line("clustering as it is", [(s.same, s.merged) for s in scored]))
    for t in ors:
        print(_line(f"or {t:.2f}", [(s.same, s.merged or (s.eligible and s.cosine >= t)) for s in scored]))
    for u in vetoes:
        print(_line(f"veto {u:.2f}", [(s.same, s.merged and s.cosine >= u) for s in scored]))


def parse_rule(text: str) -> tuple[float | None, float | None]:
    """``or:T``, ``veto:U`` or both joined by ``+``: the OR threshold and the veto threshold."""
    t = u = None
    for part in text.split("+"):
        kind, _, value = part.partition(":")
        if kind == "or":
            t = float(value)
        elif kind == "veto":
            u = float(value)
        else:
            raise SystemExit(f"unknown rule {part!r}: use or:T, veto:U or or:T+veto:U")
    return t, u


@contextlib.contextmanager
def rule_in_clustering(t: float | None, u: float | None, vectors: dict[str, np.ndarray]) -> Iterator[None]:
    """``clusters`` scores mentions with the encoder's cosine for the block: a mention pair the words keep
    apart joins when eligible and cosine >= ``t`` (scored by its cosine); a pair the words join is kept
    apart when cosine < ``u``. The rules' module itself is not changed, only the names ``clusters`` calls."""
    vector_of: dict[int, np.ndarray] = {}
    plain_mention, plain_score = clusters._mention, clusters.event_score

    def mention(row: Any, stories: Any = None) -> rules.Mention:
        vector_of[row.pk] = vectors[row.sentence or ""]
        return plain_mention(row, stories)

    def event_score(new: rules.Mention, member: rules.Mention) -> float | None:
        found = plain_score(new, member)
        cosine = float(vector_of[new.pk] @ vector_of[member.pk])
        if found is not None:
            return None if u is not None and cosine < u else found
        if t is not None and cosine >= t:
            with words_ignored():
                if plain_score(new, member) is not None:
                    return cosine
        return None

    clusters._mention, clusters.event_score = mention, event_score
    try:
        yield
    finally:
        clusters._mention, clusters.event_score = plain_mention, plain_score


def sentence_vectors(sentences: list[str], cache: Path) -> dict[str, np.ndarray]:
    """The encoder's vector of each sentence, those encoded by an earlier run read from ``cache``."""
    known: dict[str, np.ndarray] = {}
    if cache.exists():
        with np.load(cache) as stored:
            known = dict(zip(stored["sentences"].tolist(), stored["vectors"], strict=True))
    missing = [s for s in sentences if s not in known]
    if missing:
        before = resource.getrusage(resource.RUSAGE_SELF)
        known.update(zip(missing, encoder.encode(missing), strict=True))
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
        print(f"{len(missing)} sentences encoded in {cpu:.1f} CPU s ({len(missing) / cpu:.0f} a CPU second)")
        names = sorted(known)
        np.savez_compressed(cache, sentences=np.array(names), vectors=np.stack([known[n] for n in names]))
    return {s: known[s] for s in sentences}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/eval")
    parser.add_argument("--cache", default="/tmp/tacitus-cluster-cache")
    parser.add_argument("--split", default="dev", choices=("dev", "test"))
    parser.add_argument(
        "--clustered", nargs="*", default=[], metavar="RULE", help="or:T, veto:U, or:T+veto:U"
    )
    parser.add_argument("--or", dest="ors", nargs="*", type=float, default=OR_THRESHOLDS, metavar="T")
    parser.add_argument("--veto", nargs="*", type=float, default=VETO_THRESHOLDS, metavar="U")
    parser.add_argument(
        "--list", action="store_true", help="each missed same pair and each eligible diff pair, by cosine"
    )
    args = parser.parse_args()

    corpus = ev.load_allsides(ev._find(Path(args.data), ev.CORPUS))
    all_pairs = ev.load_pairs()
    wanted = {i for p in all_pairs if p.label for i in (p.id_a, p.id_b)}
    records = _records([corpus[i] for i in sorted(wanted) if i in corpus], Path(args.cache) / "pairs.jsonl")
    pairs = [p for p in all_pairs if p.label in ("same", "diff") and p.split == args.split]

    rows, stories = _stored_rows(records)
    vectors = sentence_vectors(sorted({r.sentence or "" for r in rows}), Path(args.cache) / VECTORS)
    print(f"{len(records)} articles, {len(rows)} events")
    scored = score(pairs, rows, stories, vectors)
    report(scored, args.split, args.ors, args.veto)
    if args.list:
        listed = [s for s in scored if s.eligible and not s.merged or s.same and not s.merged]
        for s in sorted(listed, key=lambda s: -s.cosine):
            cell = "FN" if s.same else "TN"
            print(
                f"  {cell} cos {s.cosine:.2f} words {s.words:.2f} {s.pair.pair} {s.pair.kind}: {s.pair.reason}"
            )

    if args.clustered:
        print("rules inside the clustering (every article stored again)")
    for text in args.clustered:
        t, u = parse_rule(text)
        with rule_in_clustering(t, u, vectors):
            store, folder = _store(records)
            try:
                result = ev.score_pairs(all_pairs, ev._event_rows(store), args.split)
            finally:
                store.close()
                folder.cleanup()
        c = result.counts
        print(
            f"  {text:<22} P {result.metrics['precision']:.3f} R {result.metrics['recall']:.3f}  "
            f"(merges {c['tp'] + c['fp']}, false {c['fp']}, missed {c['fn']})"
        )


if __name__ == "__main__":
    main()
