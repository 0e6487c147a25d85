"""List the cross-outlet links BASIL's event clusters make, to label them: which two sentences of two outlets
of one story a cluster holds, and whether they tell one act.

BASIL's ``stories_linked`` counts a story when any event cluster holds mentions of two of its outlets,
whether they tell one act or two acts of the story. Labelled links
(``src/tacitus/evaluate/data/basil_links.tsv``) let the scorer count the stories linked through one act and
the links that join two acts (``tacitus eval clusters``). This tool stores BASIL's articles as the scorer
does (records cached as ``tools/cluster_tune.py`` caches them), finds every pair of sentences of two outlets
of one story in one cluster, and appends those not in the file yet, unlabelled, printing each with both
sentences for the reader. Label ``same`` (one act: one statement, one vote, one arrest, told by both),
``diff`` (two acts of the story), ``unclear`` (left out). Only ids and offsets are written: the texts
belong to their publishers.

    .venv/bin/python tools/basil_links.py --data ../shared/eval [--cache DIR] [--set NAME=VALUE ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cluster_tune import _records, _store, override_rules
from tacitus.evaluate import clusters as ev


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/eval")
    parser.add_argument("--cache", default="/tmp/tacitus-cluster-cache")
    parser.add_argument("--out", type=Path, default=ev.packaged(ev.LINKS_FILE))
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args()
    override_rules(args.set)
    docs = ev.load_basil(ev._find(Path(args.data), ev.BASIL))
    by_id = {d["id"]: d for d in docs}
    store, folder = _store(_records(docs, Path(args.cache) / "basil.jsonl"))
    try:
        rows = ev._event_rows(store)
    finally:
        store.close()
        folder.cleanup()
    known = {link.key for link in ev.load_links(args.out)} if args.out.exists() else set()
    new = [(pk, link) for pk, link in ev.links_of(rows, by_id) if link.key not in known]
    if not args.out.exists():
        args.out.write_text(ev.LINKS_HEADER, encoding="utf-8")
    with args.out.open("a", encoding="utf-8") as handle:
        for cluster_pk, link in new:
            handle.write(link.row() + "\n")
            a, b = by_id[link.id_a], by_id[link.id_b]
            print(f"== {link.pair} cluster {cluster_pk} story {link.story[:8]}: {a['title']}")
            print(f"   {a['source']} {a['date']} {link.code_a}: {a['text'][link.start_a : link.end_a]}")
            print(f"   {b['source']} {b['date']} {link.code_b}: {b['text'][link.start_b : link.end_b]}")
    print(f"{len(new)} links added to {args.out}, unlabelled")


if __name__ == "__main__":
    main()
