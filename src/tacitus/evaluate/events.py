"""Score Tacitus's events on the PLOVER gold-standard records (``PLOVER_GSR_CAMEO.txt``).

The file holds about 320 example sentences of the CAMEO 1.1b3 manual, each coded by the Open Event Data
Alliance with one PLOVER 0.5 event: a category (``event``), source and target actors (``code`` is a
country or IGO/NGO block, ``sector`` an optional agent code). It is a measurement set only (there is no
train/dev split), so nothing in Tacitus is tuned on it. Each sentence is analysed on its own as an
``Article`` (id = the record id, made unique when the file repeats one) and every predicted event of its
record is compared with the sentence's gold event; mood and negation are ignored because the GSR codes
threatened, refused or planned acts like any other. The GSR's PLOVER 0.5 category names are translated to
the PLOVER 2021 values Tacitus emits through :data:`GSR_TO_TACITUS` (an unknown category can never match).
Metrics, with *S* the gold sentences and a "category match" a predicted event whose ``plover`` is the
sentence's (translated) gold category: ``detection_recall`` = sentences with at least one predicted event
/ S; ``category_accuracy`` = sentences with a category match / S; ``event_precision`` = predicted events
that are category matches / all predicted events (events whose CAMEO code has no PLOVER counterpart, roots
01 and 02, count as misses); ``pair_precision``, ``pair_recall`` and ``pair_f1`` are micro scores on the
sets of (sentence, category) pairs, one gold pair per sentence and one predicted pair per distinct
non-null predicted category (so ``pair_recall`` equals ``category_accuracy``). Among category-matched
sentences: ``source_country_accuracy`` = sentences where some category-matching event's ``source_code``
starts with the country block of one of the gold sources / sentences with gold sources, and likewise
``target_country_accuracy``; ``source_sector_accuracy`` and ``target_sector_accuracy`` require the same
event to match one gold actor's country and, among its sector blocks, that actor's sector, over sentences
where a gold actor has a sector. A ratio whose denominator is zero is left out and said in the notes.

Beside the category scores, ``triple_precision``, ``triple_recall`` and ``triple_f1`` are micro scores on
(source country, target country, PLOVER type) triples: the gold triples of a sentence are every pair of
a gold source and a gold target (the country block only, sectors ignored; ``None`` for a side the gold
leaves empty; compound SRC/TAR actors give every ordered pair of two different actors) with the
sentence's translated category; the predicted triples are the distinct (:func:`country_of` source code,
:func:`country_of` target code, ``plover``) of its events that have a PLOVER value. The GSR gives PLOVER
categories only, no CAMEO code, so this is the PLOVER-type triple; :func:`triple_scores` takes any
triples, e.g. (source country, target country, CAMEO root) on a set whose gold gives roots.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from tacitus.errors import UnreadableInput
from tacitus.evaluate import EvalResult

__all__ = [
    "GSR_TO_TACITUS",
    "GoldActor",
    "GoldSentence",
    "PredictedEvent",
    "analyse_articles",
    "country_of",
    "evaluate_plover_gsr",
    "f1_score",
    "gold_triples",
    "load_plover_gsr",
    "parse_gsr_records",
    "read_json_tolerant",
    "score_events",
    "triple_scores",
]


# PLOVER 0.5 category of the GSR -> PLOVER value Tacitus writes in ``event.plover`` (the CAMEO->PLOVER
# 2021 table). Built from the CAMEO-root table of the PLOVER README (../shared/resources/plover/
# PLOVER-README.md), chained through the CAMEO roots: a GSR category corresponds to the 2021 value of the
# CAMEO roots the README gives it. Never derived from what Tacitus outputs.
GSR_TO_TACITUS: dict[str, str] = {
    "AGREE": "AGREE",  # README: CAMEO 03 -> AGREE; 2021: 03 -> AGREE
    "CONSULT": "CONSULT",  # 04
    "SUPPORT": "SUPPORT",  # 05
    "COOPERATE": "COOPERATE",  # 06
    "AID": "AID",  # 07
    "CONCEDE": "CONCEDE",  # README: 081-083 (verbal yield); 2021: 080-083 -> CONCEDE
    "RETREAT": "RETREAT",  # README: 084-087 (material yield); 2021: 084-087 -> RETREAT
    "DEMAND": "REQUEST",  # README: 10 DEMAND -> DEMAND; the 2021 table renamed root 10 to REQUEST
    "DISAPPROVE": "ACCUSE",  # README: 11 DISAPPROVE -> DISAPPROVE; 2021: root 11 -> ACCUSE
    "REJECT": "REJECT",  # 12
    "THREATEN": "THREATEN",  # 13
    "PROTEST": "PROTEST",  # 14
    "MOBILIZE": "MOBILIZE",  # README: 15 EXHIBIT FORCE POSTURE -> MOBILIZE
    "SANCTION": "SANCTION",  # README: 16 REDUCE RELATIONS -> SANCTION
    "COERCE": "COERCE",  # 17
    # README: "18,19,20 | ASSAULT, FIGHT | ASSAULT": CAMEO's FIGHT (19) and ASSAULT (18) both become
    # PLOVER ASSAULT, which is also the 2021 value of roots 18-20.
    "ASSAULT": "ASSAULT",
    "FIGHT": "ASSAULT",
    # The README lists INVESTIGATE as a category but gives it no CAMEO root; the GSR's INVESTIGATE
    # sentences are the CAMEO manual's examples of root 09 (Investigate), which the 2021 table
    # (CAMEO2PLOVER-2021.txt, "09: ACCUSE", "090: ACCUSE, investigate") codes ACCUSE with mode investigate.
    "INVESTIGATE": "ACCUSE",
}

# Country blocks the GSR writes in older or slipped forms: the actorText of each use shows the country
# meant ("Tokyo", "Japan"; "Italy"; "Vietnamese-led forces"), and Tacitus writes ISO 3166 alpha-3.
_GOLD_COUNTRY_ALIASES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
# "CIV" as a *sector* (Libyans, Bosnian Serbs) is a slip for CAMEO's civilian code CVL; as a country
# block CIV is Ivory Coast and stays as is.
_GOLD_SECTOR_ALIASES = {"CIV": "CVL"}
# The GSR marks "sector unknown" with "***" (and sometimes an empty string): no sector to score.
_NO_SECTOR = {"", "***"}


@dataclass(frozen=True)
class GoldActor:
    """One gold actor: its country (or IGO/NGO/... type) block and its first sector block, or None."""

    country: str
    sector: str | None = None


@dataclass(frozen=True)
class GoldSentence:
    """One gold record: a unique ``key`` (the id, suffixed when the file repeats it), the sentence, its
    GSR category, the Tacitus PLOVER value it translates to (None when the alias table has none) and the
    gold source and target actors."""

    key: str
    id: str
    text: str
    date: str | None
    category: str
    plover: str | None
    sources: tuple[GoldActor, ...]
    targets: tuple[GoldActor, ...]


class PredictedEvent(NamedTuple):
    """The parts of a predicted event the scorer reads (the record's ``plover``, ``source_code`` and
    ``target_code``)."""

    plover: str | None
    source_code: str | None
    target_code: str | None


def read_json_tolerant(text: str) -> tuple[Any, list[str]]:
    """Parse JSON text, tolerating ``//`` and ``/* */`` comments and trailing commas, and say what was dropped.

    Strict parsing is tried first; only when it fails is the text rescanned (outside string literals) to
    drop comments and commas directly before ``]`` or ``}``, and the returned notes count each kind. Text
    that still does not parse raises :class:`tacitus.errors.UnreadableInput` naming the line and column.
    """
    try:
        return json.loads(text), []
    except json.JSONDecodeError:
        pass
    cleaned, dropped = _strip_json_extras(text)
    try:
        data = json.loads(cleaned)
    except json.JSONDecodeError as exc:
        raise UnreadableInput(
            f"not valid JSON even without comments and trailing commas: {exc.msg} at line {exc.lineno}, "
            f"column {exc.colno} of the cleaned text; fix the file or re-export it as a JSON array"
        ) from exc
    notes = [f"parsed tolerantly: dropped {n} {what}" for what, n in sorted(dropped.items()) if n]
    return data, notes


def _strip_json_extras(text: str) -> tuple[str, Counter[str]]:
    # Comments go first, so a comma before a comment before "]" is seen as trailing by the second pass.
    dropped: Counter[str] = Counter()
    without_comments = _scan_outside_strings(text, _drop_comment, dropped)
    return _scan_outside_strings(without_comments, _drop_trailing_comma, dropped), dropped


def _drop_comment(text: str, i: int, dropped: Counter[str]) -> int | None:
    """Index after a comment starting at ``i``, or None when none starts there."""
    if text.startswith("//", i):
        end = text.find("\n", i)
        dropped["comments"] += 1
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        end = text.find("*/", i + 2)
        dropped["comments"] += 1
        return len(text) if end < 0 else end + 2
    return None


def _drop_trailing_comma(text: str, i: int, dropped: Counter[str]) -> int | None:
    """Index after a comma at ``i`` that only whitespace separates from "]" or "}", else None."""
    if text[i] != ",":
        return None
    j = i + 1
    while j < len(text) and text[j] in " \t\r\n":
        j += 1
    if j < len(text) and text[j] in "]}":
        dropped["trailing commas"] += 1
        return i + 1
    return None


def _scan_outside_strings(
    text: str, drop: Callable[[str, int, Counter[str]], int | None], dropped: Counter[str]
) -> str:
    # A character scanner rather than regexes, so "//" inside a URL string or ",]" inside a sentence survive.
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if text[i] == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
            continue
        skip_to = drop(text, i, dropped)
        if skip_to is None:
            out.append(text[i])
            i += 1
        else:
            i = skip_to
    return "".join(out)


def _gold_actors(value: Any) -> tuple[GoldActor, ...] | None:
    """Gold actors of a source/target field, or None when the field is not a list of actor objects."""
    if not isinstance(value, list):
        return None
    actors = []
    for item in value:
        code = item.get("code") if isinstance(item, dict) else None
        if not isinstance(code, str) or len(code) < 3:
            continue
        country = code[:3].upper()
        country = _GOLD_COUNTRY_ALIASES.get(country, country)
        raw_sector = item.get("sector")
        sector = None
        if isinstance(raw_sector, str) and raw_sector.strip() not in _NO_SECTOR:
            # Only the first block is scored: lower-case suffixes are ethnic groups ("CVLalb") and further
            # upper-case blocks ("REBMOS") are refinements Tacitus's knowledge base rarely has.
            sector = raw_sector.strip()[:3].upper()
            sector = _GOLD_SECTOR_ALIASES.get(sector, sector)
        actors.append(GoldActor(country, sector))
    return tuple(actors)


def _markup(record: dict[str, Any]) -> str:
    info = record.get("textInfo")
    if isinstance(info, dict):
        return str(info.get("markup") or "")
    return info if isinstance(info, str) else ""


def parse_gsr_records(records: Iterable[Any]) -> tuple[list[GoldSentence], list[str]]:
    """Turn the decoded GSR array into gold sentences, skipping what cannot be scored and saying why.

    DOCUMENT headers, non-objects and records without a non-empty ``text`` or ``event`` are skipped (each
    reason counted in the notes); a repeated id gets ``#2``, ``#3``... so sentences stay distinct. A
    ``target`` that is not a list (``""``, a stray word) counts as no target. When a record has no target
    but its markup tags actors ``SRC/TAR`` (compound actors acting on one another, "Hungarian and Romanian
    officials agreed"), its sources are also its targets, since Tacitus codes such events both ways.
    """
    gold: list[GoldSentence] = []
    skipped: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    oddities: list[str] = []
    for position, record in enumerate(records):
        if not isinstance(record, dict):
            skipped["not a JSON object"] += 1
            continue
        category = record.get("event")
        if category == "DOCUMENT":
            skipped["DOCUMENT header"] += 1
            continue
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            skipped["no text"] += 1
            continue
        if not isinstance(category, str) or not category.strip():
            skipped["no event category"] += 1
            continue
        category = category.strip().upper()
        record_id = str(record.get("id") or f"record-{position}")
        seen[record_id] += 1
        key = record_id if seen[record_id] == 1 else f"{record_id}#{seen[record_id]}"
        if seen[record_id] == 2:
            oddities.append(
                f"id {record_id} appears more than once: later copies scored as {record_id}#2, ..."
            )
        sources = _gold_actors(record.get("source")) or ()
        targets = _gold_actors(record.get("target"))
        raw_target = record.get("target")
        if targets is None and raw_target not in (None, ""):
            oddities.append(f"{record_id}: target {raw_target!r} is not a list of actors; treated as none")
        if not targets and "SRC/TAR:" in _markup(record):
            targets = sources
        date = record.get("date")
        gold.append(
            GoldSentence(
                key=key,
                id=record_id,
                text=text,
                date=date if isinstance(date, str) else None,
                category=category,
                plover=GSR_TO_TACITUS.get(category),
                sources=sources,
                targets=targets or (),
            )
        )
    notes = [f"skipped {n} record(s): {why}" for why, n in sorted(skipped.items())]
    dates = {g.date for g in gold}
    if len(gold) > 1 and len(dates) == 1 and None not in dates:
        # The GSR gives every sentence 2000-01-01 though they report events from 1979 to 2005: a
        # placeholder. Passed on as a publication date it would make the knowledge base code Serbia as
        # Serbia-Montenegro and President Reagan as a former leader, so it is not used.
        gold = [replace(g, date=None) for g in gold]
        notes.append(f"every record is dated {dates.pop()}: a placeholder, not used as publication date")
    unknown = sorted({g.category for g in gold if g.plover is None})
    if unknown:
        notes.append(f"GSR categories without a Tacitus PLOVER value (never matched): {', '.join(unknown)}")
    return gold, notes + oddities


def load_plover_gsr(data_file: Path) -> tuple[list[GoldSentence], list[str]]:
    """Read ``PLOVER_GSR_CAMEO.txt`` and return its gold sentences with notes on what was skipped.

    The file is a JSON array; comments and trailing commas are tolerated (and reported) because
    hand-edited copies of the GSR circulate. A missing or unparseable file raises
    :class:`tacitus.errors.UnreadableInput`.
    """
    try:
        text = Path(data_file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableInput(f"cannot read the PLOVER GSR file {data_file}: {exc}") from exc
    try:
        data, notes = read_json_tolerant(text)
    except UnreadableInput as exc:
        raise UnreadableInput(f"{data_file}: {exc}") from exc
    if not isinstance(data, list):
        raise UnreadableInput(f"{data_file}: expected a JSON array of records, got {type(data).__name__}")
    gold, more = parse_gsr_records(data)
    return gold, notes + more


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def f1_score(precision: float | None, recall: float | None) -> float:
    """The harmonic mean of precision and recall; 0.0 when either is missing or zero."""
    return 2 * precision * recall / (precision + recall) if precision and recall else 0.0


def country_of(code: str | None) -> str | None:
    """The country (or IGO, NGO, ...) block of a CAMEO actor code: its first three letters, upper case.

    None for no code and for a code that claims no country ("---GOV", an unnamed government).
    """
    if not code or len(code) < 3 or code.startswith("---"):
        return None
    return code[:3].upper()


Triple = tuple[str | None, str | None, str | None]


def gold_triples(sentence: GoldSentence) -> set[Triple]:
    """(source country, target country, PLOVER type) triples of a gold sentence; see the module docs.

    Every gold source is paired with every gold target (``None`` stands for a side the gold leaves
    empty). When the targets are the sources (compound SRC/TAR actors acting on one another), an actor
    is not paired with itself, unless it is the only one.
    """
    sources: list[str | None] = [a.country for a in sentence.sources] or [None]
    targets: list[str | None] = [a.country for a in sentence.targets] or [None]
    mutual = len(sentence.sources) > 1 and sentence.targets == sentence.sources
    return {
        (source, target, sentence.plover)
        for i, source in enumerate(sources)
        for j, target in enumerate(targets)
        if not (mutual and i == j)
    }


def triple_scores(
    gold: Mapping[str, Iterable[tuple]], predicted: Mapping[str, Iterable[tuple]]
) -> tuple[dict[str, float], dict[str, int]]:
    """Micro precision, recall and F1 of triples (or any hashable tuples) per item key.

    ``gold`` and ``predicted`` map an item (a sentence key) to its triples; each item's triples are
    taken as a set, and a triple counts as matched when the same item has it on both sides. An item
    missing from ``predicted`` has no predicted triples; predicted items absent from ``gold`` count
    against precision. Returns ``({"precision", "recall", "f1"}, {"gold", "predicted", "matched"})``:
    precision is left out when nothing was predicted, recall and F1 when there is no gold triple.
    """
    n_gold = n_predicted = n_matched = 0
    for key in set(gold) | set(predicted):
        g, p = set(gold.get(key, ())), set(predicted.get(key, ()))
        n_gold += len(g)
        n_predicted += len(p)
        n_matched += len(g & p)
    metrics: dict[str, float] = {}
    precision, recall = _ratio(n_matched, n_predicted), _ratio(n_matched, n_gold)
    if precision is not None:
        metrics["precision"] = precision
    if recall is not None:
        metrics["recall"] = recall
        metrics["f1"] = f1_score(precision, recall)
    return metrics, {"gold": n_gold, "predicted": n_predicted, "matched": n_matched}


def _sector_blocks(code: str) -> list[str]:
    return [code[i : i + 3] for i in range(3, len(code), 3)]


def _actor_hits(codes: Sequence[str | None], gold: Sequence[GoldActor]) -> tuple[bool, bool]:
    """(country hit, country+sector hit) of predicted actor codes against gold actors."""
    country_hit = sector_hit = False
    for code in codes:
        if not code:
            continue
        for actor in gold:
            if code[:3].upper() != actor.country:
                continue
            country_hit = True
            if actor.sector and actor.sector in _sector_blocks(code.upper()):
                sector_hit = True
    return country_hit, sector_hit


_BASE_COUNTS = (
    "sentences", "gold_events", "predicted_events", "predicted_events_without_plover", "detected_sentences",
    "matched_events", "matched_sentences", "predicted_pairs",
    "source_country_scored", "source_country_correct", "source_sector_scored", "source_sector_correct",
    "target_country_scored", "target_country_correct", "target_sector_scored", "target_sector_correct",
)  # fmt: skip


def score_events(
    gold: Sequence[GoldSentence], predicted: Mapping[str, Sequence[PredictedEvent]]
) -> tuple[dict[str, float], dict[str, int], list[str]]:
    """Compare predicted events (keyed by gold sentence key) with the gold sentences; see the module docs.

    Returns ``(metrics, counts, notes)``. A sentence missing from ``predicted`` has no predicted events.
    Per-category recall is given in ``counts`` as ``gold.<CATEGORY>`` and ``matched.<CATEGORY>``, keyed by
    the GSR category (FIGHT and ASSAULT stay apart), and summarised in the notes, most frequent first.
    """
    # every count is present even when zero, so callers and floors can read any key
    c: Counter[str] = Counter(dict.fromkeys(_BASE_COUNTS, 0))
    per_gold: Counter[str] = Counter()
    per_hit: Counter[str] = Counter()
    confusions: Counter[tuple[str, str]] = Counter()
    gold_by_key: dict[str, set[Triple]] = {}
    predicted_by_key: dict[str, set[Triple]] = {}
    for sentence in gold:
        events = list(predicted.get(sentence.key, ()))
        gold_by_key[sentence.key] = gold_triples(sentence)
        predicted_by_key[sentence.key] = {
            (country_of(e.source_code), country_of(e.target_code), e.plover)
            for e in events
            if e.plover is not None
        }
        c["sentences"] += 1
        c["gold_events"] += 1
        c["predicted_events"] += len(events)
        c["predicted_events_without_plover"] += sum(1 for e in events if e.plover is None)
        per_gold[sentence.category] += 1
        if events:
            c["detected_sentences"] += 1
        matching = [e for e in events if sentence.plover is not None and e.plover == sentence.plover]
        c["matched_events"] += len(matching)
        predicted_categories = {e.plover for e in events if e.plover is not None}
        c["predicted_pairs"] += len(predicted_categories)
        for other in predicted_categories - {sentence.plover}:
            confusions[(sentence.category, other)] += 1
        if not matching:
            continue
        c["matched_sentences"] += 1
        per_hit[sentence.category] += 1
        for side, gold_actors, codes in (
            ("source", sentence.sources, [e.source_code for e in matching]),
            ("target", sentence.targets, [e.target_code for e in matching]),
        ):
            if not gold_actors:
                continue
            country_hit, sector_hit = _actor_hits(codes, gold_actors)
            c[f"{side}_country_scored"] += 1
            c[f"{side}_country_correct"] += country_hit
            if any(a.sector for a in gold_actors):
                c[f"{side}_sector_scored"] += 1
                c[f"{side}_sector_correct"] += sector_hit

    pair_p = _ratio(c["matched_sentences"], c["predicted_pairs"])
    pair_r = _ratio(c["matched_sentences"], c["sentences"])
    pair_f1 = f1_score(pair_p, pair_r)
    triples, triple_counts = triple_scores(gold_by_key, predicted_by_key)
    candidates = {
        "detection_recall": _ratio(c["detected_sentences"], c["sentences"]),
        "category_accuracy": _ratio(c["matched_sentences"], c["sentences"]),
        "event_precision": _ratio(c["matched_events"], c["predicted_events"]),
        "pair_precision": pair_p,
        "pair_recall": pair_r,
        # F1 is defined (0.0) whenever there are gold sentences, so a floor can always be checked on it
        "pair_f1": pair_f1 if c["sentences"] else None,
        "triple_precision": triples.get("precision"),
        "triple_recall": triples.get("recall"),
        "triple_f1": triples.get("f1"),
    }
    for side in ("source", "target"):
        for what in ("country", "sector"):
            candidates[f"{side}_{what}_accuracy"] = _ratio(
                c[f"{side}_{what}_correct"], c[f"{side}_{what}_scored"]
            )
    metrics = {name: value for name, value in candidates.items() if value is not None}
    notes = []
    missing = [name for name, value in candidates.items() if value is None]
    if missing:
        notes.append(f"not computed (nothing to divide by): {', '.join(missing)}")
    for what, n in triple_counts.items():
        c[f"{what}_triples"] = n
    counts = {key: int(value) for key, value in sorted(c.items())}
    for category in sorted(per_gold):
        counts[f"gold.{category}"] = per_gold[category]
        counts[f"matched.{category}"] = per_hit[category]
    ranked = sorted(per_gold.items(), key=lambda item: (-item[1], item[0]))
    notes.append(
        "recall by GSR category (matched/gold): "
        + ", ".join(f"{cat} {per_hit[cat]}/{n} ({per_hit[cat] / n:.2f})" for cat, n in ranked)
    )
    if confusions:
        top = sorted(confusions.items(), key=lambda item: (-item[1], item[0]))[:5]
        notes.append(
            "most frequent wrong predicted categories (gold -> predicted): "
            + ", ".join(f"{g} -> {p} x{n}" for (g, p), n in top)
        )
    return metrics, counts, notes


def evaluate_plover_gsr(
    data_file: Path, limit: int | None = None, n_process: int = 1, stride: int = 1
) -> EvalResult:
    """Analyse every gold sentence of the PLOVER GSR file with Tacitus and score the events it finds.

    ``data_file`` is the path of ``PLOVER_GSR_CAMEO.txt`` (callers pass it; the package never assumes
    where ../shared is). ``limit`` keeps the first N scorable records in file order (the DOCUMENT header
    does not count), after taking every ``stride``-th record (the file is grouped by category, so a
    strided slice covers all of them), and ``n_process`` is passed to :func:`tacitus.pipeline.analyze_batch`. A sentence
    whose analysis fails counts as one with no predicted events and is named in the notes. The metrics are
    defined in this module's docstring.
    """

    return evaluate_on_gsr(
        data_file,
        name="events",
        dataset=f"plover-gsr ({Path(data_file).name})",
        predict=lambda record: [
            PredictedEvent(e.plover, e.source_code, e.target_code) for e in record.events
        ],
        score=score_events,
        limit=limit,
        n_process=n_process,
        stride=stride,
        nothing="no events",
    )


def evaluate_on_gsr(
    data_file: Path,
    *,
    name: str,
    dataset: str,
    predict: Callable[[Any], list],
    score: Callable[[Sequence[GoldSentence], Mapping[str, Sequence[Any]]], tuple[dict, dict, list]],
    limit: int | None = None,
    n_process: int = 1,
    stride: int = 1,
    keep: Callable[[GoldSentence], bool] | None = None,
    nothing: str = "nothing",
) -> EvalResult:
    """The loop every GSR scorer shares: load, slice, analyse each sentence, ``predict`` from its record,
    ``score`` against the gold. ``keep`` filters the gold sentences before slicing; a sentence whose
    analysis fails is scored as ``nothing`` found and named in the notes."""
    from tacitus.model import Article

    started = time.perf_counter()
    gold, notes = load_plover_gsr(Path(data_file))
    if keep is not None:
        gold = [g for g in gold if keep(g)]
    if stride > 1:
        gold = gold[::stride]
        notes.append(f"every {stride}th scorable record")
    if limit is not None:
        gold = gold[: max(limit, 0)]
        notes.append(f"limited to the first {len(gold)} scorable records")
    articles = [Article(text=g.text, id=g.key, published=g.date) for g in gold]
    records, failures = analyse_articles(articles, n_process=n_process)
    predicted = {key: predict(record) for key, record in records.items()}
    metrics, counts, score_notes = score(gold, predicted)
    counts["failed_sentences"] = len(failures)
    if failures:
        notes.append(
            f"{len(failures)} sentence(s) failed analysis (scored as {nothing}): " + "; ".join(failures)
        )
    notes.extend(score_notes)
    notes.append(f"run time {time.perf_counter() - started:.1f} s with n_process={n_process}")
    return EvalResult(
        name=name, dataset=dataset, n_docs=len(gold), metrics=metrics, counts=counts, notes=notes
    )


def analyse_articles(
    articles: Sequence[Any],
    n_process: int = 1,
    actors_file: str | None = None,
    patterns_file: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """Analyse :class:`tacitus.model.Article` items with the pipeline (``actors_file``: a user actor file;
    ``patterns_file``: a user verb pattern file, which replaces the packaged patterns).

    Returns the records by article id and one ``"id: error"`` line per article whose analysis failed (the
    batch goes on without it), the loop every evaluation set shares.
    """
    from tacitus.pipeline import analyze_batch

    failures: list[str] = []

    def on_error(article: Any, exc: Exception) -> None:
        failures.append(f"{article.id}: {exc}")

    records = {
        r.id: r
        for r in analyze_batch(
            articles,
            n_process=n_process,
            on_error=on_error,
            actors_file=actors_file,
            patterns_file=patterns_file,
        )
    }
    return records, failures
