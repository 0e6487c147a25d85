"""Draw the quote pairs for the quotation clustering's labels from Tacitus's records of AllSides articles,
and show them to label.

Run: .venv/bin/python tools/quote_pairs.py --records RECORDS.jsonl              # draw (keeps labels)
     .venv/bin/python tools/quote_pairs.py --records RECORDS.jsonl --show       # read the unlabelled
     .venv/bin/python tools/quote_pairs.py --records MORE.jsonl --append --seed N   # add half as many of others

``RECORDS.jsonl`` is ``tacitus extract`` output of AllSides articles (or the cache ``tools/cluster_tune.py``
keeps: the articles of the event pairs). A *quote* is one quote of one record with a speaker: its article,
content offsets, speaker key (:func:`tacitus.store.quote_rules.speaker_key`: the actor code, else the
folded name), speaker name and day (the quote's own, else its article's). Pairs of two articles at most
:data:`~tacitus.store.quote_rules.QUOTE_WINDOW_DAYS` days apart are drawn with a fixed seed, in two kinds:

- ``speaker``: the same speaker key, drawn evenly from four bands of word containment (the share of the
  shorter quote's words in the other), so that one speaker's other statements, the hard negatives, are
  there beside the quotations printed twice;
- ``content``: two speaker keys but at least 0.6 containment (one quotation whose speaker the outlets, or
  Tacitus, name or code differently: what the speaker rule loses).

Labels are read, not drawn: ``same`` when both quotes report one utterance of one speaker (the same words
printed twice, trimmed or cut in two; an indirect report of that statement), ``diff`` when they are two
statements (even of one speaker on one subject, or the same line said again on another occasion) or two
speakers, ``unclear`` when the texts do not settle it (left out of the scores). Only ids and offsets are
written: the texts belong to their publishers.
"""

from __future__ import annotations

import argparse
import json
import random
import textwrap
from collections import defaultdict
from datetime import date
from pathlib import Path

from tacitus.evaluate.clusters import (
    QUOTE_COLUMNS,
    QUOTE_PAIRS_FILE,
    load_quote_pairs,
    packaged,
    span_pair_id,
)
from tacitus.store.cluster_words import overlap
from tacitus.store.quote_rules import QUOTE_WINDOW_DAYS, quote_words, speaker_key

SEED = 20261208
# (low, high, how many): fewer of the low band, whose pairs are nearly all two statements (one government's
# code is many speakers), more near the threshold, where the rule decides
BANDS = ((0.0, 0.4, 20), (0.4, 0.6, 35), (0.6, 0.8, 40), (0.8, 1.01, 45))
CONTENT = 40
MIN_WORDS = 3

HEADER = """\
# Quote pairs for scoring quotation clustering (tacitus eval clusters; tools/quote_pairs.py draws them).
# Articles: AllSides corpus (ramybaly/Article-Bias-Prediction, Apache-2.0; texts belong to their publishers and
# are not included here: only ids and the quotes' content offsets). same = one utterance of one speaker
# printed twice (trimmed, cut, or reported indirectly); diff = two statements or two speakers.
"""


def _mentions(records: Path) -> list[dict]:
    out = []
    with records.open(encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            text = rec.get("text") or ""
            actors = {a["id"]: a for a in rec.get("actors") or []}
            published = (rec.get("published") or "")[:10]
            for q in rec.get("quotes") or []:
                speaker = actors.get(q.get("speaker"))
                if speaker is None:
                    continue
                key = speaker_key(speaker.get("code"), speaker.get("name"))
                start, end = q["content_span"]
                content = text[start:end]
                words = quote_words(content)
                day = (q.get("date") or published)[:10]
                if key is None or len(words) < MIN_WORDS or not day:
                    continue
                out.append(
                    {
                        "id": rec["id"], "start": start, "end": end, "key": key, "name": speaker.get("name"),
                        "day": date.fromisoformat(day), "words": words, "title": rec.get("title"),
                        "source": rec.get("source"), "content": content, "published": published,
                        "context": text[max(0, start - 200) : end + 60],
                    }
                )  # fmt: skip
    return out


def _pair_id(a: dict, b: dict) -> str:
    return span_pair_id((a["id"], a["start"], a["end"]), (b["id"], b["start"], b["end"]))


def draw(mentions: list[dict], seed: int = SEED, scale: float = 1.0) -> list[tuple[str, dict, dict, float]]:
    """``(kind, a, b, containment)`` for the drawn pairs: the number :data:`BANDS` says of each band of one speaker key,
    :data:`CONTENT` of two keys, each of two articles within the window."""
    rng = random.Random(seed)
    by_key: dict[str, list[dict]] = defaultdict(list)
    for m in mentions:
        by_key[m["key"]].append(m)
    bands: dict[int, list] = defaultdict(list)
    for group in by_key.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a["id"] == b["id"] or abs((a["day"] - b["day"]).days) > QUOTE_WINDOW_DAYS:
                    continue
                share = overlap(a["words"], b["words"])
                for n, (low, high, _) in enumerate(BANDS):
                    if low <= share < high:
                        bands[n].append((a, b, share))
    drawn = []
    for n in sorted(bands):
        pool = sorted(bands[n], key=lambda t: _pair_id(t[0], t[1]))
        for a, b, share in rng.sample(pool, min(round(BANDS[n][2] * scale), len(pool))):
            drawn.append(("speaker", a, b, share))
    # two keys, near-same words: index by rare words to avoid comparing every pair
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        for w in m["words"]:
            by_word[w].append(i)
    seen: set[tuple[int, int]] = set()
    cross = []
    for i, a in enumerate(mentions):
        rare = sorted(a["words"], key=lambda w: len(by_word[w]))[:3]
        for w in rare:
            for j in by_word[w]:
                if j <= i or (i, j) in seen:
                    continue
                seen.add((i, j))
                b = mentions[j]
                if (
                    a["key"] == b["key"]
                    or a["id"] == b["id"]
                    or abs((a["day"] - b["day"]).days) > QUOTE_WINDOW_DAYS
                ):
                    continue
                share = overlap(a["words"], b["words"])
                if share >= 0.6 and min(len(a["words"]), len(b["words"])) >= 5:
                    cross.append((a, b, share))
    cross.sort(key=lambda t: _pair_id(t[0], t[1]))
    for a, b, share in rng.sample(cross, min(round(CONTENT * scale), len(cross))):
        drawn.append(("content", a, b, share))
    return drawn


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=packaged(QUOTE_PAIRS_FILE))
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--show", action="store_true", help="print the unlabelled pairs to read")
    parser.add_argument(
        "--append",
        action="store_true",
        help="keep the pairs in --out and add half as many drawn from --records",
    )
    parser.add_argument("--only", help="with --show: only pairs whose id starts with one of these characters")
    args = parser.parse_args()
    mentions = _mentions(args.records)
    by_span = {(m["id"], m["start"], m["end"]): m for m in mentions}
    if args.show:
        for p in load_quote_pairs(args.out):
            if p.label or (args.only and p.pair[0] not in args.only):
                continue
            a, b = by_span.get((p.id_a, p.start_a, p.end_a)), by_span.get((p.id_b, p.start_b, p.end_b))
            if a is None or b is None:
                continue
            print(f"== {p.pair} ({p.kind}, containment {p.containment:.2f})")
            for m in (a, b):
                print(f"   [{m['source']} {m['published']}] {m['title']}")
                print(f"   speaker: {m['name']} ({m['key']}), day {m['day']}")
                print(textwrap.indent(textwrap.fill(m["content"], 110), "      "))
                print(textwrap.indent(textwrap.fill("context: " + m["context"], 110), "        "))
        return
    known = {p.pair: p for p in load_quote_pairs(args.out)} if args.out.exists() else {}
    rows = []
    if args.append:
        for p in known.values():
            rows.append(
                [p.pair, p.kind, p.id_a, p.start_a, p.end_a, p.id_b, p.start_b, p.end_b, f"{p.containment:.2f}",
                 p.label, p.reason]
            )  # fmt: skip
    for kind, a, b, share in draw(mentions, args.seed, 0.5 if args.append else 1.0):
        if args.append and _pair_id(a, b) in known:
            continue
        pair = _pair_id(a, b)
        old = known.get(pair)
        rows.append(
            [pair, kind, a["id"], a["start"], a["end"], b["id"], b["start"], b["end"], f"{share:.2f}",
             old.label if old else "", old.reason if old else ""]
        )  # fmt: skip
    with args.out.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        handle.write("\t".join(QUOTE_COLUMNS) + "\n")
        for row in rows:
            handle.write("\t".join(str(v) for v in row) + "\n")
    print(f"{len(rows)} pairs written to {args.out}")


if __name__ == "__main__":
    main()
