"""Draw the event-mention pairs for the clustering labels from the AllSides corpus, and show them to label.

Run: .venv/bin/tacitus extract ../shared/corpora/allsides-intl.jsonl.gz -o allsides.records.jsonl
     .venv/bin/python tools/cluster_pairs.py --records allsides.records.jsonl          # draw (keeps labels)
     .venv/bin/python tools/cluster_pairs.py --records allsides.records.jsonl --show   # read the unlabelled
     .venv/bin/python tools/cluster_pairs.py --records more.records.jsonl --append   # add pairs of other articles
     .venv/bin/python tools/cluster_pairs.py --records allsides.records.jsonl --strata # the corpus's strata

The records are Tacitus's own analysis of the corpus (a JSONL ``text`` is analysed unchanged, so the
sentence offsets index the corpus text). A *mention* is one event of one record: its article, sentence
offsets, CAMEO code, actor codes, day (the event's own ISO day, else the publication day) and the content
words of its sentence (:func:`tacitus.store.cluster_words.content_words`). Pairs are drawn with a fixed
seed, in four kinds:

- ``key``: two articles' mentions with the same root, the same source and target country blocks and the
  same negation, at most 3 days apart (one more than the clustering window, to see what a wider one would
  gain), drawn evenly from five bands of word overlap so that both the easy and the hard cases (same dyad
  and root, different events) are there;
- ``same-article``: two mentions of one article with the same key (is a repeated key one event told twice?);
- ``cross-root``: two articles' mentions with the same two countries and another root, at most 2 days
  apart, sharing at least 30% of their words (one event coded two ways: what the root rule loses);
- ``partial``: the same root and one country the same, the other known in one mention only (an actor the
  other article's sentence leaves out), at most 2 days apart, sharing at least 30% of their words.

Labels are not drawn: they are read. ``same`` when both sentences report one real-world occurrence (one
meeting, one attack, one statement, one vote), ``diff`` when they are two occurrences or one is not an
occurrence at all (a plan, a general habit) while the other is, ``unclear`` when the sentences, titles and
days do not settle it (left out of the scores). When the output file exists, its labels and reasons are
kept for the pairs drawn again.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import textwrap
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from types import SimpleNamespace

from tacitus.evaluate.clusters import BANDS, COLUMNS, KINDS, STRATA_FILE, _locate, load_pairs, packaged
from tacitus.store.cluster_rules import country_part, iso_day
from tacitus.store.cluster_words import content_words, overlap

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"
DEFAULT_OUT = ROOT / "src" / "tacitus" / "evaluate" / "data" / "cluster_pairs.tsv"
SEED = 20261203
PER_BAND = 26
SAME_ARTICLE = 30
CROSS_ROOT = 25
PARTIAL = 25

HEADER = """\
Event-mention pairs for scoring event clustering (tacitus eval clusters; see tacitus/evaluate/clusters.py).
Articles: AllSides corpus (ramybaly/Article-Bias-Prediction, Apache-2.0; texts belong to their publishers and
are not included here: only ids, sentence offsets and the codes Tacitus gave each mention when drawn).
Drawn by tools/cluster_pairs.py from Tacitus's records of the corpus; labels by reading both sentences with
their titles and days: same = one real-world occurrence, diff = two (or one is not an occurrence),
unclear = not settled by what is written (left out of the scores).
Labels and reasons: Tacitus developers, 2026-12-03 and 2026-12-04 (the fifth draw, seed 20261204 over the whole
corpus), 2026-12-06 (the sixth and seventh, seeds 20261206 and 20261207 over the whole corpus) and 2026-12-06
again (the eighth, seed 20261208, and the ninth, two mentions of one article only, seed 20261210,
over the whole corpus), MIT like
the rest of the package."""


def _mentions(records_path: Path, limit: int | None = None) -> list[dict]:
    found = []
    with open(records_path, encoding="utf-8") as handle:
        for n, line in enumerate(handle):
            if limit is not None and n >= limit:
                break
            rec = json.loads(line)
            if "events" not in rec:  # a duplicate's line
                continue
            published = iso_day(rec.get("published"))
            for e in rec["events"]:
                s, t = e["sentence_span"]
                place = e.get("place") or {}
                found.append(
                    {
                        "id": rec["id"],
                        "outlet": rec.get("source"),
                        "title": rec.get("title") or "",
                        "published": published,
                        "day": iso_day(e.get("date")) or published,
                        "start": s,
                        "end": t,
                        "code": e["code"],
                        "root": e["root"],
                        "source_code": e.get("source_code") or "",
                        "target_code": e.get("target_code") or "",
                        "sc": country_part(e.get("source_code")),
                        "tc": country_part(e.get("target_code")),
                        "negated": bool(e.get("negated")),
                        "place": place.get("country"),
                        "words": content_words(rec["text"][s:t]),
                    }
                )
    return found


def _gap(a: dict, b: dict) -> int | None:
    if a["day"] is None or b["day"] is None:
        return None
    return abs((a["day"] - b["day"]).days)


def _pair_id(a: dict, b: dict) -> str:
    text = f"{a['id']}:{a['start']}:{a['code']}|{b['id']}:{b['start']}:{b['code']}"
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _row(kind: str, a: dict, b: dict) -> dict[str, str]:
    if (a["id"], a["start"]) > (b["id"], b["start"]):
        a, b = b, a
    row = {"pair": _pair_id(a, b), "kind": kind}
    for side, m in (("a", a), ("b", b)):
        row.update(
            {
                f"id_{side}": m["id"],
                f"start_{side}": str(m["start"]),
                f"end_{side}": str(m["end"]),
                f"code_{side}": m["code"],
                f"source_{side}": m["source_code"],
                f"target_{side}": m["target_code"],
                f"day_{side}": m["day"].isoformat() if m["day"] else "",
            }
        )
    row["overlap"] = f"{overlap(a['words'], b['words']):.2f}"
    row["label"] = ""
    row["reason"] = ""
    return row


def _within(mentions: list[dict], days: int) -> list[tuple[dict, dict]]:
    """Pairs of different articles' mentions at most ``days`` apart (mentions sorted by day)."""
    dated = sorted((m for m in mentions if m["day"] is not None), key=lambda m: m["day"])
    pairs = []
    for i, a in enumerate(dated):
        for b in dated[i + 1 :]:
            if (b["day"] - a["day"]).days > days:
                break
            if a["id"] != b["id"]:
                pairs.append((a, b))
    return pairs


def band_of(score: float) -> int:
    """The word-overlap band (:data:`BANDS`) a key pair is drawn from."""
    return next(i for i, (lo, hi) in enumerate(BANDS) if lo <= score < hi)


def pools(mentions: list[dict]) -> dict[tuple[str, int | None], list[tuple[dict, dict]]]:
    """Every candidate pair of the records, by stratum: ``("key", band)`` for each band of :data:`BANDS`,
    ``("same-article", None)``, ``("cross-root", None)`` and ``("partial", None)`` (the kinds of the module
    docstring). The strata do not overlap; their sizes weigh the labelled pairs into estimates for the whole
    corpus (:func:`tacitus.evaluate.clusters.weighted_merge_scores`)."""
    by_key: dict[tuple, list[dict]] = defaultdict(list)
    by_dyad: dict[tuple, list[dict]] = defaultdict(list)
    by_article: dict[str, list[dict]] = defaultdict(list)
    by_root_source: dict[tuple, list[dict]] = defaultdict(list)
    for m in mentions:
        by_key[(m["root"], m["sc"], m["tc"], m["negated"])].append(m)
        if m["sc"] and m["tc"]:
            by_dyad[(m["sc"], m["tc"])].append(m)
        by_article[m["id"]].append(m)
        if m["sc"]:
            by_root_source[(m["root"], m["sc"])].append(m)
    found: dict[tuple[str, int | None], list[tuple[dict, dict]]] = defaultdict(list)
    for group in by_key.values():
        for a, b in _within(group, 3):
            found[("key", band_of(overlap(a["words"], b["words"])))].append((a, b))
    found[("same-article", None)] = [
        (a, b)
        for ms in by_article.values()
        for a, b in combinations(ms, 2)
        if (a["root"], a["sc"], a["tc"], a["negated"]) == (b["root"], b["sc"], b["tc"], b["negated"])
        and a["start"] != b["start"]
    ]
    found[("cross-root", None)] = [
        (a, b)
        for group in by_dyad.values()
        for a, b in _within(group, 2)
        if a["root"] != b["root"] and overlap(a["words"], b["words"]) >= 0.3
    ]
    found[("partial", None)] = [
        (a, b)
        for group in by_root_source.values()
        for a, b in _within(group, 2)
        if (a["tc"] is None) != (b["tc"] is None) and overlap(a["words"], b["words"]) >= 0.3
    ]
    return found


def draw(
    mentions: list[dict], seed: int = SEED, only: str | None = None, size: int | None = None
) -> list[dict[str, str]]:
    """The candidate pairs, as TSV rows without labels. With ``only``, pairs of that kind alone (``size`` of
    them, or of each band for ``key``): a draw that adds to one stratum, which the corpus estimates weigh
    by its own sample size."""
    rng = random.Random(seed)
    found = pools(mentions)
    rows: list[dict[str, str]] = []
    if only in (None, "key"):
        for band in range(len(BANDS)):
            pool = found[("key", band)]
            for a, b in rng.sample(pool, min(size or PER_BAND, len(pool))):
                rows.append(_row("key", a, b))
    for kind, n in (("same-article", SAME_ARTICLE), ("cross-root", CROSS_ROOT), ("partial", PARTIAL)):
        if only not in (None, kind):
            continue
        pool = found[(kind, None)]
        for a, b in rng.sample(pool, min(size or n, len(pool))):
            rows.append(_row(kind, a, b))
    unique: dict[str, dict[str, str]] = {}
    for row in rows:
        unique.setdefault(row["pair"], row)
    return list(unique.values())


def write(rows: list[dict[str, str]], out: Path, append: bool = False) -> None:
    """Write the pairs, keeping the labels and reasons already in ``out``; with ``append``, every pair
    already in ``out`` is kept (first, in its order) and the drawn pairs not yet there are added after it."""
    if out.exists():
        known = {p.pair: p for p in load_pairs(out)}
        for row in rows:
            if row["pair"] in known:
                row["label"] = known[row["pair"]].label
                row["reason"] = known[row["pair"]].reason
        if append:
            kept = [
                {c: str(getattr(p, c)) if c != "overlap" else f"{p.overlap:.2f}" for c in COLUMNS}
                for p in known.values()
            ]
            rows = kept + [row for row in rows if row["pair"] not in known]
    lines = ["# " + line for line in HEADER.splitlines()]
    lines.append("\t".join(COLUMNS))
    lines.extend("\t".join(row[c] for c in COLUMNS) for row in rows)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


STRATA_HEADER = """\
How many candidate pairs of each kind (and word-overlap band, for key pairs) the AllSides corpus holds: the
population each labelled pair of cluster_pairs.tsv was drawn from, by which tacitus eval clusters weighs
them into estimates for the whole corpus (weighted_precision, weighted_recall). Written by
tools/cluster_pairs.py --strata from tacitus extract's records of the 5,720 articles; MIT."""


def write_strata(mentions: list[dict], out: Path) -> dict[tuple[str, int | None], int]:
    """Write the size of each stratum of :func:`pools` to ``out`` (TSV: kind, band, pairs)."""
    sizes = {stratum: len(found) for stratum, found in pools(mentions).items()}
    lines = ["# " + line for line in STRATA_HEADER.splitlines()]
    lines.append("kind\tband\tpairs")
    for (kind, band), n in sorted(sizes.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        lines.append(f"{kind}\t{'' if band is None else band}\t{n}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sizes


def _acts(records_path: Path) -> dict[tuple[str, int, int], list[SimpleNamespace]]:
    """Every event of the records by its sentence (article id, offsets): code, actors and trigger."""
    found: dict[tuple[str, int, int], list[SimpleNamespace]] = defaultdict(list)
    with open(records_path, encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            for e in rec.get("events", ()):
                s, t = e["sentence_span"]
                found[(rec["id"], s, t)].append(
                    SimpleNamespace(
                        code=e["code"], root=e["root"], source_code=e.get("source_code"),
                        target_code=e.get("target_code"), trigger=e.get("trigger_span"),
                    )
                )  # fmt: skip
    return found


def show(
    out: Path, corpus_path: Path, only_unlabelled: bool = True, records_path: Path | None = None
) -> None:  # fmt: skip
    """Print each pair's two sentences with titles, outlets, days and codes, for reading. With the records
    (``tacitus extract`` of the corpus), the act each mention codes is marked in its sentence ("»met«"),
    found as the scorer finds it (:func:`tacitus.evaluate.clusters._locate`): a
    sentence may tell several acts, and the label is about the one coded."""
    with gzip.open(corpus_path, "rt", encoding="utf-8") as handle:
        corpus = {obj["id"]: obj for obj in map(json.loads, handle)}
    acts = _acts(records_path) if records_path else {}
    for p in load_pairs(out):
        if only_unlabelled and p.label:
            continue
        print(f"== {p.pair} [{p.kind}] overlap {p.overlap}")
        for side in ("a", "b"):
            art = corpus[getattr(p, f"id_{side}")]
            start, end = getattr(p, f"start_{side}"), getattr(p, f"end_{side}")
            code = getattr(p, f"code_{side}")
            source, target = getattr(p, f"source_{side}"), getattr(p, f"target_{side}")
            head = f"{side}: {art['source']} {art['date']} day {getattr(p, f'day_{side}')} {code} {source}->{target}"
            sentence = art["text"][start:end]
            act = _locate(acts.get((art["id"], start, end), []), code, source, target) if acts else None
            if act is not None and act.trigger:
                t0, t1 = act.trigger[0] - start, act.trigger[1] - start
                head += f"  act: {sentence[t0:t1]!r}"
                sentence = f"{sentence[:t0]}»{sentence[t0:t1]}«{sentence[t1:]}"
            print(head)
            print(textwrap.fill(f"   title: {art['title']}", 110))
            print(textwrap.fill("   " + sentence.replace("\n", " "), 110, subsequent_indent="   "))
        print()


def main() -> None:
    """Draw the pairs into --out (keeping labels), or --show those still to label."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=Path, help="tacitus extract's records of the corpus (JSONL)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--limit", type=int, help="read only the first N records (the corpus's first N lines)"
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="keep every pair already in --out and add the newly drawn ones (records of other articles)",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=SEED,
        help="the draw's seed: another seed over the same records draws other pairs (the fifth draw's "
        "was 20261204, the sixth's 20261206, the seventh's 20261207, the eighth's 20261208)",
    )
    parser.add_argument(
        "--strata",
        action="store_true",
        help=f"write how many candidate pairs of each stratum the records hold to {STRATA_FILE} (the "
        "records of the whole corpus: the weights of the corpus estimates)",
    )
    parser.add_argument("--kind", choices=KINDS, help="draw pairs of this kind only (with --append)")
    parser.add_argument("--size", type=int, help="with --kind: how many pairs (of each band for key)")
    parser.add_argument("--show", action="store_true", help="print the unlabelled pairs to read")
    parser.add_argument(
        "--all", action="store_true", help="with --show: labelled pairs too (their labels are not shown)"
    )
    args = parser.parse_args()
    if args.show:
        show(args.out, args.corpus, only_unlabelled=not args.all, records_path=args.records)
        return
    if args.records is None:
        parser.error("--records is required to draw pairs or count strata")
    if args.strata:
        sizes = write_strata(_mentions(args.records, args.limit), packaged(STRATA_FILE))
        print(f"{sum(sizes.values())} candidate pairs in {len(sizes)} strata written to {STRATA_FILE}")
        return
    rows = draw(_mentions(args.records, args.limit), args.seed, args.kind, args.size)
    write(rows, args.out, append=args.append)
    kinds: dict[str, int] = defaultdict(int)
    for row in rows:
        kinds[row["kind"]] += 1
    print(f"{len(rows)} pairs written to {args.out}: {dict(kinds)}")


if __name__ == "__main__":
    main()
