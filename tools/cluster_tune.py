"""Measure event clustering rules quickly: analyse the dev pairs' articles and BASIL once, keep the records,
then re-store them into a scratch store and score, as often as a rule changes.

The analysis (minutes) is what ``tacitus eval clusters`` spends its time on; the clustering itself takes
seconds. Records are cached as JSONL in ``--cache`` (default ``/tmp/tacitus-cluster-cache``). Only the
``dev`` pairs are scored unless ``--test`` is given: the held-out half is measured once, at the end.

    .venv/bin/python tools/cluster_tune.py --data ../shared/eval [--misses] [--bases] [--test]
"""

from __future__ import annotations

import argparse
import ast
import json
from collections.abc import Sequence
from pathlib import Path

from tacitus.evaluate import clusters as ev
from tacitus.model import Record


def override_rules(items: Sequence[str]) -> None:
    """Set constants of the cluster rules from ``NAME=VALUE`` items (a literal, cast to the constant's type),
    in the module that defines each (``cluster_rules``, ``cluster_words`` or ``quote_rules``)."""
    from tacitus.store import cluster_rules, cluster_words, quote_rules

    for item in items:
        name, _, value = item.partition("=")
        module = next((m for m in (cluster_rules, cluster_words, quote_rules) if hasattr(m, name)), None)
        if module is None:
            raise SystemExit(f"--set {item}: no constant {name} in the cluster rules")
        setattr(module, name, type(getattr(module, name))(ast.literal_eval(value)))


def _records(docs: list[dict], cache: Path, extracted: Sequence[Path] = ()) -> list[Record]:
    """The records of ``docs`` in publication order, analysed once and cached in ``cache`` by article id:
    only articles not in the cache yet are analysed (or taken from ``extracted``, ``tacitus extract``
    output of the same corpus), so adding labelled pairs analyses only their new articles."""
    ordered = sorted(docs, key=lambda d: (d.get("date") or "", d["id"]))
    known: dict[str, dict] = {}
    if cache.exists():
        with cache.open(encoding="utf-8") as handle:
            for line in handle:
                obj = json.loads(line)
                known[obj["id"]] = obj
    wanted = {d["id"] for d in ordered} - known.keys()
    found: list[dict] = []
    for path in extracted:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                obj = json.loads(line)
                if obj.get("id") in wanted and "events" in obj:
                    found.append(obj)
                    wanted.discard(obj["id"])
    missing = [d for d in ordered if d["id"] in wanted]
    if missing:
        from tacitus.model import Article
        from tacitus.pipeline import analyze_batch

        articles = [
            Article(
                id=d["id"], text=d["text"], title=d.get("title"), published=d.get("date"),
                source=d.get("source"), url=d.get("url"),
            )
            for d in missing
        ]  # fmt: skip
        found.extend(record.to_dict() for record in analyze_batch(articles))
    if found:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with cache.open("a", encoding="utf-8") as handle:
            for obj in found:
                handle.write(json.dumps(obj) + "\n")
                known[obj["id"]] = obj
    return [Record.from_dict(known[d["id"]]) for d in ordered if d["id"] in known]


def _store(records: list[Record]):  # noqa: ANN202 - a scratch store and its folder
    return ev.records_store(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/eval")
    parser.add_argument("--cache", default="/tmp/tacitus-cluster-cache")
    parser.add_argument("--test", action="store_true", help="also score the held-out pairs")
    parser.add_argument("--misses", action="store_true", help="list every dev error")
    parser.add_argument("--skip-basil", action="store_true")
    parser.add_argument(
        "--bases",
        action="store_true",
        help="count the merged dev pairs by how they were joined: directly, on which rule, or through others",
    )
    parser.add_argument(
        "--extracted",
        action="append",
        default=[],
        type=Path,
        help="tacitus extract records of the corpus, used instead of analysing those articles again",
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a constant of cluster_rules for this run",
    )
    args = parser.parse_args()
    override_rules(args.set)
    data, cache = Path(args.data), Path(args.cache)

    corpus = ev.load_allsides(ev._find(data, ev.CORPUS))
    pairs = ev.load_pairs()
    quote_pairs = ev.load_quote_pairs()
    strata = ev.load_strata()
    agreed_pairs = ev.agreed_pairs(pairs, ev.load_second_reading())
    wanted = {i for p in [*pairs, *quote_pairs] if p.label for i in (p.id_a, p.id_b)}
    records = _records(
        [corpus[i] for i in sorted(wanted) if i in corpus], cache / "pairs.jsonl", args.extracted
    )
    # event pairs on a store of their own articles, quote pairs on all, as tacitus eval clusters scores them
    rows = ev.pair_rows(records, pairs, ev._event_rows)
    quote_rows = ev.pair_rows(records, [*pairs, *quote_pairs], ev._quote_rows)
    for split in ("dev", "test") if args.test else ("dev",):
        result = ev.score_quote_pairs(quote_pairs, quote_rows, split)
        if result.counts["pairs"]:
            m, c = result.metrics, result.counts
            print(f"quote pairs/{split}: P {m['precision']:.3f} R {m['recall']:.3f} {c}")
    for split in ("dev", "test") if args.test else ("dev",):
        result = ev.score_pairs(pairs, rows, split, strata)
        m, c = result.metrics, result.counts
        print(f"pairs/{split}: P {m['precision']:.3f} R {m['recall']:.3f} {c}")
        print(f"  corpus estimate: P {m['weighted_precision']:.3f} R {m['weighted_recall']:.3f}")
        agreed = ev.score_pairs(agreed_pairs, rows, split, strata)
        a, c = agreed.metrics, agreed.counts
        print(
            f"  both readers agree ({c['pairs']} pairs): P {a['precision']:.3f} R {a['recall']:.3f}; "
            f"corpus estimate P {a['weighted_precision']:.3f} R {a['weighted_recall']:.3f}"
        )
        if args.misses and split == "dev":
            _misses(pairs, rows)
        if args.bases and split == "dev":
            _bases(pairs, rows)
    if args.skip_basil:
        return
    docs = ev.load_basil(ev._find(data, ev.BASIL))
    store, folder = _store(_records(docs, cache / "basil.jsonl"))
    try:
        result = ev.score_basil(docs, store)
    finally:
        store.close()
        folder.cleanup()
    print(f"basil: {result.metrics} {result.counts}")
    for note in result.notes:
        print("  ", note)


def _bases(pairs: list[ev.Pair], rows: list) -> None:
    """The merged dev pairs by label and by how the two mentions met: one joined the cluster through the
    other (``cluster_via``), on the rule it names (``cluster_basis``), or only through other members."""
    from collections import Counter

    counts: Counter[tuple[str, str]] = Counter()
    for p, a, b in ev.located(pairs, rows, "dev"):
        if a is None or b is None or a.cluster_pk != b.cluster_pk:
            continue
        joined = b if b.cluster_via == a.pk else a if a.cluster_via == b.pk else None
        counts[(joined.cluster_basis if joined is not None else "through others", p.label)] += 1
    for basis in sorted({basis for basis, _ in counts}):
        print(f"  merged {basis}: {counts[(basis, 'same')]} same, {counts[(basis, 'diff')]} diff")


def _misses(pairs: list[ev.Pair], rows: list) -> None:
    """Every dev error with both sentences, to classify them."""
    for p, a, b in ev.located(pairs, rows, "dev"):
        if a is None or b is None:
            continue
        same = a.cluster_pk == b.cluster_pk
        if same != (p.label == "same"):
            print(
                f"  {'FP' if same else 'FN'} {p.pair} {p.kind} {a.code}/{a.source_code}/{a.target_code} "
                f"{b.code}/{b.source_code}/{b.target_code} {p.day_a} {p.day_b}: {p.reason}"
            )


if __name__ == "__main__":
    main()
