"""Explain the labelled dev pairs: both sentences, their days, actors' names, the rules' inputs (shared
words, story cosine, score) and whether the mentions ended in one cluster, to group errors into kinds.

Uses the records ``tools/cluster_tune.py`` cached (run it once first). Only ``dev`` pairs unless
``--split`` says otherwise; the held-out half is for reporting, not for reading errors.

    .venv/bin/python tools/cluster_explain.py [--errors] [--pair ID] [--label same] [--set NAME=VALUE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from cluster_tune import _records, override_rules  # noqa: E402
from tacitus.evaluate import clusters as ev  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/eval")
    parser.add_argument("--cache", default="/tmp/tacitus-cluster-cache")
    parser.add_argument("--split", default="dev", choices=("dev", "test", "all"))
    parser.add_argument("--errors", action="store_true", help="only the pairs the clusters get wrong")
    parser.add_argument("--pair", action="append", default=[])
    parser.add_argument("--label", choices=("same", "diff"))
    parser.add_argument(
        "--members", action="store_true", help="list the other members of a missed pair's clusters"
    )
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument(
        "--where",
        metavar="FUNCTION",
        help="only pairs for which this cluster_rules function of the two mentions is true",
    )
    args = parser.parse_args()
    from tacitus.store import cluster_rows, cluster_words, clusters, open_store
    from tacitus.store import cluster_rules as rules
    from tacitus.store.schema import articles, events

    override_rules(args.set)
    corpus = ev.load_allsides(ev._find(Path(args.data), ev.CORPUS))
    pairs = ev.load_pairs()
    wanted = {i for p in pairs if p.label for i in (p.id_a, p.id_b)}
    records = _records([corpus[i] for i in sorted(wanted) if i in corpus], Path(args.cache) / "pairs.jsonl")
    folder = tempfile.TemporaryDirectory(prefix="tacitus-explain-")
    store = open_store(Path(folder.name) / "t.db")
    for record in records:
        store.write(record)
    stmt = clusters.event_select(
        articles.c.article_id, articles.c.title, events.c.sentence_start, events.c.sentence_end,
        events.c.trigger,
    )  # fmt: skip
    by_sentence: dict = {}
    with store.engine.connect() as connection:
        rows = list(connection.execute(stmt.order_by(events.c.pk)))
        stories = cluster_rows._stories(connection, {r.article_pk for r in rows})
    for r in rows:
        by_sentence.setdefault((r.article_id, r.sentence_start, r.sentence_end), []).append(r)
    for p in pairs:
        if p.label not in ("same", "diff") or (args.split != "all" and p.split != args.split):
            continue
        if (args.pair and p.pair not in args.pair) or (args.label and p.label != args.label):
            continue
        a = ev._locate(by_sentence.get((p.id_a, p.start_a, p.end_a), []), p.code_a, p.source_a, p.target_a)
        b = ev._locate(by_sentence.get((p.id_b, p.start_b, p.end_b), []), p.code_b, p.source_b, p.target_b)
        if a is None or b is None:
            continue
        merged = a.cluster_pk == b.cluster_pk
        cell = ("TP" if p.label == "same" else "FP") if merged else ("FN" if p.label == "same" else "TN")
        if args.errors and cell in ("TP", "TN"):
            continue
        ma, mb = cluster_rows._mention(a, stories), cluster_rows._mention(b, stories)
        if args.where and not getattr(rules, args.where)(ma, mb):
            continue
        story = cluster_words.story_similarity(ma.story, mb.story)
        print(
            f"{cell} {p.pair} {p.kind} shared {cluster_words.weighted_overlap(ma.words, mb.words):.2f} "
            f"story {story if story is None else round(story, 2)} score {rules.event_score(ma, mb)} "
            f"| {p.reason}"
        )
        for r, m in ((a, ma), (b, mb)):
            print(
                f"   {r.code} {r.source_code}({r.source_name}) -> {r.target_code}({r.target_name}) "
                f"{r.mood} day {m.day} (own {r.date}) [{r.trigger}] {r.title!r} place {r.place_name} "
                f"{r.place_country} cluster {r.cluster_pk} art {r.article_pk}"
            )
            print(f"     {r.sentence}")
        if cell == "FN" and args.members:
            for r in (a, b):
                for o in rows:
                    if o.cluster_pk == r.cluster_pk and o.pk != r.pk:
                        print(
                            f"     member of {r.cluster_pk}: {o.code} {o.source_code}->{o.target_code} "
                            f"art {o.article_pk} {(o.sentence or '')[:100]}"
                        )
    store.close()
    folder.cleanup()


if __name__ == "__main__":
    main()
