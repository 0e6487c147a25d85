"""Read BASIL's stories that no event cluster links through one act: each outlet's lead with the events coded
in it, then the closest pairs of events of two outlets and what kept each pair apart.

BASIL's ``stories_linked_one_act`` counts a story when a cluster holds a link labelled ``same``
(``basil_links.tsv``, see ``tools/basil_links.py``). A story that stays unlinked is either one whose act no
outlet's event codes (the leads show it: the act the story is about, and no event on it), or one whose two
outlets' events the rules keep apart (the pairs show which rule: ``keys`` for another root or countries on
the wrong side, ``reversed``, ``mood``, ``people``, ``apart`` for words, days or places below the threshold,
``match`` for a pair the rules accept that the greedy order put in two clusters). Records are cached as
``tools/cluster_tune.py`` caches them.

    .venv/bin/python tools/basil_unlinked.py --data ../shared/eval [--cache DIR] [--pairs 4] [--same-root]
"""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa

from cluster_tune import _records, _store, override_rules
from tacitus.evaluate import clusters as ev
from tacitus.store import cluster_rules as rules
from tacitus.store import cluster_words
from tacitus.store.cluster_rows import _event_rows, _mention, _stories
from tacitus.store.schema import articles

# the end of a sentence, for the lead: its first two sentences
_SENTENCE_END = re.compile(r"[.!?][\"”’]?\s")


def why_apart(a: rules.Mention, b: rules.Mention) -> str:
    """The first rule that keeps two mentions apart, or ``match`` with the basis and score when none does."""
    if not rules.keys_compatible(a, b):
        return "keys"
    if rules.reversed_actors(a, b):
        return "reversed"
    if not rules.moods_compatible(a, b):
        return "mood"
    if rules.other_people(a, b):
        return "people"
    found = rules.event_match(a, b)
    return f"match {found[1]} {found[0]:.2f}" if found else "apart"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/eval")
    parser.add_argument("--cache", default="/tmp/tacitus-cluster-cache")
    parser.add_argument("--pairs", type=int, default=4, help="closest cross-outlet pairs shown per story")
    parser.add_argument("--same-root", action="store_true", help="only pairs of one root")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    override_rules(args.set)
    docs = ev.load_basil(ev._find(Path(args.data), ev.BASIL))
    by_id = {d["id"]: d for d in docs}
    records = {r.id: r for r in _records(docs, Path(args.cache) / "basil.jsonl")}
    store, folder = _store(list(records.values()))
    try:
        with store.engine.connect() as connection:
            rows = _event_rows(connection, sa.true())
            stories = _stories(connection, {r.article_pk for r in rows})
            # (a comprehension: a Result has keys(), so dict() would take it for a mapping)
            article_id = {
                pk: i for pk, i in connection.execute(sa.select(articles.c.pk, articles.c.article_id))
            }
        links = ev.links_of(ev._event_rows(store), by_id)
    finally:
        store.close()
        folder.cleanup()
    labels = {link.key: link.label for link in ev.load_links()}
    linked = {link.story for _, link in links if labels.get(link.key) == "same"}
    by_story: dict[str, list] = defaultdict(list)
    for row in rows:
        doc = by_id[article_id[row.article_pk]]
        by_story[doc["story"]].append((_mention(row, stories), row, doc))
    unlinked = sorted({d["story"] for d in docs} - linked)
    for story in unlinked:
        outlets = sorted((d for d in docs if d["story"] == story), key=lambda d: d["source"])
        print(f"\n##### story {story[:8]}: {outlets[0]['title']}")
        for doc in outlets:
            record = records[doc["id"]]
            ends = [m.end() for m in _SENTENCE_END.finditer(record.text)]
            lead_end = ends[1] if len(ends) > 1 else len(record.text)
            lead = " ".join(record.text[:lead_end].split())
            print(f"  [{doc['source']}] {len(record.events)} events | {lead[:320]}")
            for e in record.events:
                if e.sentence_span[0] < lead_end:
                    trigger = record.text[e.trigger_span[0] : e.trigger_span[1]]
                    print(f"      {e.code} {e.source_code}>{e.target_code} {e.mood} [{trigger}] {e.rule}")
        items = by_story[story]
        pairs = []
        for i, (a, ra, da) in enumerate(items):
            for b, rb, db in items[i + 1 :]:
                if da["source"] == db["source"] or (args.same_root and a.root != b.root):
                    continue
                pairs.append((cluster_words.weighted_overlap(a.words, b.words), a, ra, da, b, rb, db))
        pairs.sort(key=lambda p: -p[0])
        for shared, a, ra, da, b, rb, db in pairs[: args.pairs]:
            print(
                f"  {shared:.2f} {why_apart(a, b)} | {da['source']} {a.day} {a.code} {a.source_code}>"
                f"{a.target_code} {a.mood} | {db['source']} {b.day} {b.code} {b.source_code}>{b.target_code} "
                f"{b.mood}"
            )
            print(f"     {' '.join(ra.sentence.split())[:220]}")
            print(f"     {' '.join(rb.sentence.split())[:220]}")
    print(f"\n{len(unlinked)} of {len({d['story'] for d in docs})} stories not linked through one act")


if __name__ == "__main__":
    main()
