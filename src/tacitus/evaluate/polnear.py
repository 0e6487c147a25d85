"""Score Tacitus quotes against PolNeAR, the Political News Attribution Relations corpus (Newell et al. 2018).

**Data.** ``data_dir`` is PolNeAR's ``data`` directory: ``<split>/text/<name>.txt`` holds an article,
``<split>/attributions/<name>_<annotator>.ann`` its BRAT standoff annotation by one annotator, and
``metadata.tsv`` the publication date (``publication_date``) and compartment of every article. Each
attribution is a BRAT event (``Attribution`` or ``Attribution-no-source``) whose roles point at ``Source``,
``Cue`` and ``Content`` text-bound entities; spans may be discontinuous (``s e;s e``, fragments not always in
text order) and ``Content2``-style numbered roles add fragments to the same role. ``Discuss`` and
``Discard`` entities, annotator notes and other line kinds are skipped and counted, as are events without
content and roles pointing at missing entities; nothing else is dropped silently. BRAT offsets are
character offsets into the file decoded as UTF-8 with newlines untranslated, which is exactly the text
handed to Tacitus, and every entity's stored text is checked against those offsets.

**Annotator rule.** A few articles were annotated by several annotators (for agreement studies). The
scorer keeps the annotation of the annotator whose id sorts first (``min`` of the ``<annotator>``
suffixes): deterministic, independent of the system being scored, and the same rule on every split.

**Matching.** Spans are compared as sets of *content characters*: the indices of alphanumeric characters
(``str.isalnum``) they cover, so whitespace, punctuation and quotation marks never decide a match and
tokenisation does not matter. A predicted quote's ``content_span`` is compared with a gold attribution's
Content (all its fragments). Three predicates, each with its own one-to-one greedy assignment (candidate
pairs sorted by Jaccard overlap, then intersection size, then position; a pair is taken when neither side
is taken yet):

- *strict*: the two character sets are equal, i.e. the spans are identical after trimming punctuation,
  quotes and whitespace from their ends (a contiguous prediction cannot strictly match a discontinuous gold
  content whose gap holds words);
- *half*: Jaccard overlap |P∩G| / |P∪G| ≥ 0.5;
- *soft*: any overlap, |P∩G| > 0.

For each predicate: precision = matched / predicted quotes, recall = matched / gold attributions, F1 their
harmonic mean (``content_{p,r,f1}_{strict,half,soft}``). Among *soft*-matched pairs:

- ``cue_accuracy``: the predicted ``cue_span`` overlaps the gold Cue (denominator: pairs whose gold has a
  cue; a missing predicted cue counts as wrong);
- ``source_accuracy``: the predicted ``speaker_span`` overlaps the gold Source, **or** one of the mentions
  of the predicted ``speaker`` actor does (the speaker resolved elsewhere in the article, e.g. "he" →
  "Mike Pence"); denominator: pairs whose gold has a source (``Attribution-no-source`` pairs are excluded).
  ``source_accuracy_span`` is the same with ``speaker_span`` only.
- ``speaker_resolved`` / ``speaker_coded``: among the same pairs, the share whose predicted speaker is an
  actor of the record / an actor with a country-bearing CAMEO code (not null, not ``---``): how often a
  user can tell *who*, coded, said a quote. ``speaker_coded_people`` is ``speaker_coded`` among the pairs
  whose gold Source is a person or an organisation (a personal pronoun, or a span some actor of the record
  covers), leaving out sources that are polls, reports or documents ("a new poll", "early results").

``content_p_any`` is the share of predictions that overlap *some* gold content, taken or not: PolNeAR
joins a quotation split by its cue ("“A,” he said. “B.”") into one discontinuous content, and nests no
attribution inside another, so a correct prediction of one fragment, or of a nested report, is a false
positive under one-to-one matching; the gap between ``content_p_soft`` and ``content_p_any`` measures that.

Per-kind counts (``pred_<kind>``, ``matched_soft_<kind>``) and per-kind soft precision
(``content_p_soft_<kind>``) show which quote kinds are right; PolNeAR has no direct/indirect label, so
there is no per-kind recall. Articles that fail analysis count as predicting nothing (their gold stays in
recall) and are listed in the notes. PolNeAR annotates every attribution, beliefs and reports included
("polls show", "the Post has learned"), while Tacitus extracts speech, so recall has a low ceiling.
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tacitus.errors import NoInputs
from tacitus.evaluate import EvalResult
from tacitus.model import DEFAULT_QUOTE_TYPES, QUOTE_TYPES, Article, Quote, Record

Span = tuple[int, int]

# a BRAT line starts with an id: a letter (T, E, R, A, M, N) and digits, or "#" and digits for notes
_ID_LINE = re.compile(r"^([A-Z]|#)\d+\t")
_ATTRIBUTION_TRIGGERS = ("Attribution", "Attribution-no-source")
# numbered roles (Content2, Cue2) add fragments to the same role
_ROLE = re.compile(r"^(Source|Cue|Content)\d*$")
MODES = ("strict", "half", "soft")


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution: its content, cue and source as tuples of ``[start, end)`` character spans.

    ``source`` is empty for PolNeAR's ``Attribution-no-source`` and ``cue`` is empty when the annotator
    linked none; ``content`` always has at least one span.
    """

    id: str
    content: tuple[Span, ...]
    cue: tuple[Span, ...] = ()
    source: tuple[Span, ...] = ()


@dataclass
class ParsedAnn:
    """The attributions of one ``.ann`` file and a count of what was skipped, by reason."""

    attributions: list[GoldAttribution] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


@dataclass
class GoldDoc:
    """A PolNeAR article ready to score: its exact text, date, chosen annotator and gold attributions."""

    id: str
    text: str
    published: str | None
    annotator: str
    attributions: list[GoldAttribution]
    path: Path


@dataclass
class DocScore:
    """Matching results for one article: per-mode ``(pred index, gold index)`` pairs and soft-pair checks.

    ``cue_ok`` and ``source_ok`` map a soft pair to whether its cue / source is right, and only hold pairs
    whose gold has a cue / a source; ``source_span_ok`` is the speaker-span-only variant.
    """

    n_pred: int
    n_gold: int
    pairs: dict[str, list[tuple[int, int]]]
    cue_ok: dict[tuple[int, int], bool]
    source_ok: dict[tuple[int, int], bool]
    source_span_ok: dict[tuple[int, int], bool]
    n_pred_overlapping: int = 0
    cue_exact: dict[tuple[int, int], bool] = field(default_factory=dict)
    source_exact: dict[tuple[int, int], bool] = field(default_factory=dict)
    n_pred_cue: int = 0
    n_pred_source: int = 0
    n_gold_cue: int = 0
    n_gold_source: int = 0
    speaker_resolved: int = 0
    speaker_coded: int = 0
    party_pairs: int = 0
    party_coded: int = 0


def parse_spans(field_text: str) -> tuple[Span, ...]:
    """Parse a BRAT offset field such as ``"12 20"`` or ``"315 448;463 553"`` into ``((s, e), ...)``.

    Fragments keep the order the file gives (PolNeAR sometimes lists a later fragment first). Raises
    ``ValueError`` on a malformed fragment or one with ``end < start``.
    """
    spans = []
    for fragment in field_text.split(";"):
        start_s, end_s = fragment.split()
        start, end = int(start_s), int(end_s)
        if end < start:
            raise ValueError(f"span {fragment!r} ends before it starts")
        spans.append((start, end))
    return tuple(spans)


def parse_ann(ann_text: str, text: str | None = None) -> ParsedAnn:
    """Parse one PolNeAR BRAT ``.ann`` file into gold attributions, counting every skipped item by reason.

    Text-bound entities (``T``) give spans; ``Attribution`` / ``Attribution-no-source`` events (``E``) tie
    a Content, a Cue and a Source together. When ``text`` is given, spans must fit inside it and each
    entity's stored text must equal the text at its offsets (fragments joined by a space, as BRAT writes
    them); entities that fail are dropped and counted, because a mismatch means the offsets index some
    other text. Lines that do not start with an id continue the previous entity's text (an annotated span
    that crosses a newline).
    """
    parsed = ParsedAnn()
    entities: dict[str, tuple[str, tuple[Span, ...]]] = {}
    raw: list[tuple[str, str, str]] = []  # (id, annotation field, text field) in file order
    for line in ann_text.split("\n"):
        if not line.strip():
            continue
        if not _ID_LINE.match(line):
            if raw and raw[-1][0].startswith("T"):
                ident, ann, txt = raw[-1]
                raw[-1] = (ident, ann, txt + "\n" + line)
            else:
                parsed.skipped["unparsed line"] += 1
            continue
        parts = line.split("\t")
        raw.append((parts[0], parts[1] if len(parts) > 1 else "", "\t".join(parts[2:])))

    events = []
    for ident, ann, txt in raw:
        kind = ident[0]
        if kind == "T":
            label, _, offsets = ann.partition(" ")
            try:
                spans = parse_spans(offsets)
            except ValueError:
                parsed.skipped["malformed span"] += 1
                continue
            if text is not None:
                if any(e > len(text) for _, e in spans):
                    parsed.skipped["span past end of text"] += 1
                    continue
                if " ".join(text[s:e] for s, e in spans) != txt:
                    parsed.skipped["entity text differs from text at its offsets"] += 1
                    continue
            entities[ident] = (label, spans)
        elif kind == "E":
            events.append((ident, ann))
        elif kind == "#":
            parsed.skipped["annotator note"] += 1
        else:
            parsed.skipped[f"{kind} line"] += 1

    used: set[str] = set()
    for ident, ann in events:
        args = ann.split()
        trigger = args[0].split(":", 1)[0] if args else ""
        if trigger not in _ATTRIBUTION_TRIGGERS:
            parsed.skipped[f"event of type {trigger or '?'}"] += 1
            continue
        roles: dict[str, list[Span]] = {"Source": [], "Cue": [], "Content": []}
        broken = False
        for arg in args[1:]:
            role, _, ref = arg.partition(":")
            base = _ROLE.match(role)
            if base is None:
                parsed.skipped[f"role {role}"] += 1
                continue
            if ref not in entities:
                broken = True
                break
            used.add(ref)
            roles[base.group(1)].extend(entities[ref][1])
        if broken:
            parsed.skipped["attribution with a role pointing at a missing entity"] += 1
            continue
        if not roles["Content"]:
            parsed.skipped["attribution without content"] += 1
            continue
        parsed.attributions.append(
            GoldAttribution(
                id=ident,
                content=tuple(roles["Content"]),
                cue=tuple(roles["Cue"]),
                source=tuple(roles["Source"]),
            )
        )
    for ident, (label, _) in entities.items():
        if label in ("Source", "Cue", "Content") and ident not in used:
            parsed.skipped[f"{label} entity in no attribution"] += 1
        elif label not in ("Source", "Cue", "Content", *_ATTRIBUTION_TRIGGERS):
            parsed.skipped[f"{label} entity"] += 1
    return parsed


def choose_annotation(ann_paths: Iterable[Path], stem: str) -> tuple[str, Path] | None:
    """Pick one annotation of article ``stem`` among ``<stem>_<annotator>.ann`` files: the smallest id.

    Returns ``(annotator, path)``, or ``None`` when no file belongs to ``stem``. Sorting by annotator id is
    the documented rule: deterministic and blind to the content of the annotations.
    """
    prefix = stem + "_"
    found = []
    for path in ann_paths:
        name = path.name
        if name.endswith(".ann") and name.startswith(prefix):
            annotator = name[len(prefix) : -len(".ann")]
            if annotator and "_" not in annotator:  # another article whose slug merely starts with stem
                found.append((annotator, path))
    return min(found) if found else None


def _read_metadata(data_dir: Path) -> dict[str, dict[str, str]]:
    path = data_dir / "metadata.tsv"
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {row["filename"]: row for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)}


def _resolve_data_dir(data_dir: Path, split: str) -> Path:
    # accept both PolNeAR's data/ directory and the corpus root above it
    for candidate in (data_dir, data_dir / "data"):
        if (candidate / split / "text").is_dir():
            return candidate
    raise NoInputs(
        f"{data_dir}: no PolNeAR split {split!r} (expected {data_dir}/{split}/text and "
        f"{data_dir}/{split}/attributions); pass PolNeAR's data directory"
    )


def load_polnear(
    data_dir: Path, split: str = "dev", limit: int | None = None
) -> tuple[list[GoldDoc], Counter[str], list[str]]:
    """Read a PolNeAR split: articles sorted by file name, first ``limit`` only, one annotator each.

    Returns the documents, a counter of skipped items (summed over files, by reason) and notes for the
    report. Text files are decoded as UTF-8 without newline translation (BRAT offsets count characters of
    the file as stored); a byte-order mark or a carriage return is reported, since either would shift
    offsets in tools that strip it. Raises :class:`~tacitus.errors.NoInputs` when the split is missing.
    """
    data_dir = _resolve_data_dir(Path(data_dir), split)
    metadata = _read_metadata(data_dir)
    skipped: Counter[str] = Counter()
    notes: list[str] = []
    if not metadata:
        notes.append(f"{data_dir / 'metadata.tsv'} missing: articles have no publication date")
    ann_paths = sorted((data_dir / split / "attributions").glob("*.ann"))
    texts = sorted((data_dir / split / "text").glob("*.txt"))
    if limit is not None:
        texts = texts[:limit]
    docs = []
    multi = 0
    for text_path in texts:
        stem = text_path.stem
        chosen = choose_annotation(ann_paths, stem)
        if chosen is None:
            skipped["article without annotation"] += 1
            continue
        annotator, ann_path = chosen
        multi += sum(1 for p in ann_paths if p.name.startswith(stem + "_")) > 1
        with text_path.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        if text.startswith("\ufeff") or "\r" in text:
            skipped["article with BOM or CR (kept as is)"] += 1
        parsed = parse_ann(ann_path.read_text(encoding="utf-8"), text)
        skipped.update(parsed.skipped)
        meta = metadata.get(stem, {})
        if meta and meta.get("compartment") != split:
            notes.append(f"{stem}: metadata compartment {meta.get('compartment')!r}, found under {split}")
        date = meta.get("publication_date")
        docs.append(
            GoldDoc(
                id=stem,
                text=text,
                published=date if date and date != "None" else None,
                annotator=annotator,
                attributions=parsed.attributions,
                path=text_path,
            )
        )
    notes.append(
        f"annotator rule: smallest annotator id per article ({multi} of {len(docs)} articles had several)"
    )
    return docs, skipped, notes


def content_chars(text: str, spans: Iterable[Span | Sequence[int]]) -> frozenset[int]:
    """The indices of alphanumeric characters covered by ``spans``: what matching compares.

    Dropping whitespace, punctuation and quotation marks makes "exact after trimming" a set equality and
    keeps a stray comma or closing quote from deciding a match.
    """
    return frozenset(i for s, e in spans for i in range(s, e) if text[i].isalnum())


def _raw_chars(spans: Iterable[Span | Sequence[int]]) -> frozenset[int]:
    """Every character index the spans cover (for spans with no alphanumeric character)."""
    return frozenset(i for s, e in spans for i in range(s, e))


def greedy_match(
    preds: Sequence[frozenset[int]], golds: Sequence[frozenset[int]], mode: str
) -> list[tuple[int, int]]:
    """One-to-one greedy assignment of predicted to gold character sets under ``mode``.

    ``mode`` is ``strict`` (equal sets), ``half`` (Jaccard ≥ 0.5) or ``soft`` (any overlap). Candidate
    pairs are taken in order of Jaccard overlap, then intersection size (both descending), then gold and
    prediction index, so the result is deterministic. Returns ``(pred index, gold index)`` pairs sorted.
    """
    if mode not in MODES:
        raise ValueError(f"unknown matching mode {mode!r}; expected one of {MODES}")
    candidates = []
    for gi, gold in enumerate(golds):
        for pi, pred in enumerate(preds):
            inter = len(pred & gold)
            if inter == 0:
                continue
            jaccard = inter / len(pred | gold)
            if mode == "strict" and pred != gold:
                continue
            if mode == "half" and jaccard < 0.5:
                continue
            candidates.append((-jaccard, -inter, gi, pi))
    candidates.sort()
    taken_p: set[int] = set()
    taken_g: set[int] = set()
    pairs = []
    for _, _, gi, pi in candidates:
        if pi not in taken_p and gi not in taken_g:
            taken_p.add(pi)
            taken_g.add(gi)
            pairs.append((pi, gi))
    return sorted(pairs)


def score_document(record: Record | None, gold: GoldDoc) -> DocScore:
    """Match one record's quotes against one article's gold attributions (all three modes).

    ``record`` is ``None`` for an article whose analysis failed: it predicts nothing.
    """
    text = gold.text
    quotes: list[Quote] = record.quotes if record is not None else []
    preds = [content_chars(text, q.content_parts or [q.content_span]) for q in quotes]
    golds = [content_chars(text, a.content) for a in gold.attributions]
    pairs = {mode: greedy_match(preds, golds, mode) for mode in MODES}
    cue_ok: dict[tuple[int, int], bool] = {}
    source_ok: dict[tuple[int, int], bool] = {}
    source_span_ok: dict[tuple[int, int], bool] = {}
    cue_exact: dict[tuple[int, int], bool] = {}
    source_exact: dict[tuple[int, int], bool] = {}
    resolved = coded = party_pairs = party_coded = 0
    for pi, gi in pairs["soft"]:
        quote, attribution = quotes[pi], gold.attributions[gi]
        if attribution.cue:
            predicted = content_chars(text, [quote.cue_span]) if quote.cue_span else frozenset()
            gold_cue = content_chars(text, attribution.cue)
            if not gold_cue:
                # a cue of punctuation alone ("Trump: ...", a dash): compare the characters themselves
                predicted = _raw_chars([quote.cue_span]) if quote.cue_span else frozenset()
                gold_cue = _raw_chars(attribution.cue)
            cue_ok[(pi, gi)] = bool(predicted & gold_cue)
            cue_exact[(pi, gi)] = bool(predicted) and predicted == gold_cue
        if attribution.source:
            gold_source = content_chars(text, attribution.source)
            span = content_chars(text, [quote.speaker_span]) if quote.speaker_span else frozenset()
            source_exact[(pi, gi)] = bool(span) and span == gold_source
            actor = record.actor(quote.speaker) if record is not None else None
            mentions = content_chars(text, actor.mentions) if actor is not None else frozenset()
            source_span_ok[(pi, gi)] = bool(span & gold_source)
            source_ok[(pi, gi)] = bool((span | mentions) & gold_source)
            resolved += actor is not None
            is_coded = actor is not None and bool(actor.code) and not actor.code.startswith("---")
            coded += is_coded
            if _is_party(text, attribution.source, gold_source, record):
                party_pairs += 1
                party_coded += is_coded
    overlapping = sum(1 for pred in preds if any(pred & gold for gold in golds))
    return DocScore(
        n_pred=len(preds),
        n_pred_overlapping=overlapping,
        cue_exact=cue_exact,
        source_exact=source_exact,
        n_pred_cue=sum(1 for q in quotes if q.cue_span),
        n_pred_source=sum(1 for q in quotes if q.speaker_span),
        n_gold_cue=sum(1 for a in gold.attributions if a.cue),
        n_gold_source=sum(1 for a in gold.attributions if a.source),
        n_gold=len(golds),
        pairs=pairs,
        cue_ok=cue_ok,
        source_ok=source_ok,
        source_span_ok=source_span_ok,
        speaker_resolved=resolved,
        speaker_coded=coded,
        party_pairs=party_pairs,
        party_coded=party_coded,
    )


_PRONOUNS = frozenset(["i", "me", "we", "us", "you", "he", "him", "she", "her", "they", "them"])


def _is_party(text: str, source: Sequence[Span], chars: frozenset[int], record: Record | None) -> bool:
    """Whether a gold Source names a person or an organisation: a personal pronoun, or a span that some
    actor of the record covers at its head ("officials" is, through its role actor; "a new poll" is not,
    since no actor does, nor "early results of exit polls for the Associated Press", where one does but
    only after "of"). A person the record misses entirely is left out too: the measure is of
    coding, and the recall of people is ``speaker_resolved``'s business."""
    words = " ".join(text[s:e] for s, e in source).split()
    if len(words) == 1 and words[0].lower().strip(".,") in _PRONOUNS:
        return True
    if record is None or not chars:
        return False
    covered = [m for a in record.actors for m in a.mentions if chars & content_chars(text, [m])]
    if not covered:
        return False
    # the actor must head the source, not sit in a modifier: "early results of exit polls conducted for
    # the Associated Press" and "a count by The Associated Press" are no parties
    before = text[min(chars) : max(min(chars), min(m[0] for m in covered))].lower().split()
    return not any(w in ("of", "by", "for", "from", "in") for w in before)


def _prf(matched: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def aggregate(
    scores: Sequence[DocScore], records: Sequence[Record | None]
) -> tuple[dict[str, float], dict[str, int]]:
    """Micro-average document scores into ``(metrics, counts)`` as described in the module docstring.

    ``records`` runs parallel to ``scores`` and supplies quote kinds for the per-kind figures.
    """
    counts: Counter[str] = Counter()
    metrics: dict[str, float] = {}
    for score, record in zip(scores, records, strict=True):
        counts["gold"] += score.n_gold
        counts["predicted"] += score.n_pred
        counts["pred_overlapping_gold"] += score.n_pred_overlapping
        for mode in MODES:
            counts[f"matched_{mode}"] += len(score.pairs[mode])
        counts["cue_pairs"] += len(score.cue_ok)
        counts["cue_correct"] += sum(score.cue_ok.values())
        counts["source_pairs"] += len(score.source_ok)
        counts["source_correct"] += sum(score.source_ok.values())
        counts["source_span_correct"] += sum(score.source_span_ok.values())
        counts["speaker_resolved"] += score.speaker_resolved
        counts["speaker_coded"] += score.speaker_coded
        counts["speaker_party_pairs"] += score.party_pairs
        counts["speaker_party_coded"] += score.party_coded
        counts["pred_with_cue"] += score.n_pred_cue
        counts["pred_with_source"] += score.n_pred_source
        counts["gold_with_cue"] += score.n_gold_cue
        counts["gold_with_source"] += score.n_gold_source
        counts["cue_exact"] += sum(score.cue_exact.values())
        counts["source_exact"] += sum(score.source_exact.values())
        strict = set(score.pairs["strict"])
        # a whole relation: content, cue and source all right (exact: identical spans; overlap: any)
        for pair in score.pairs["soft"]:
            cue_ok = score.cue_ok.get(pair, True)
            source_ok = score.source_ok.get(pair, True)
            counts["relation_soft"] += cue_ok and source_ok
            counts["relation_exact"] += (
                pair in strict and score.cue_exact.get(pair, True) and score.source_exact.get(pair, True)
            )
        quotes = record.quotes if record is not None else []
        matched = {pi for pi, _ in score.pairs["soft"]}
        matched_strict = {pi for pi, _ in score.pairs["strict"]}
        for pi, quote in enumerate(quotes):
            counts[f"pred_{quote.kind}"] += 1
            counts[f"matched_soft_{quote.kind}"] += pi in matched
            counts[f"matched_strict_{quote.kind}"] += pi in matched_strict
            counts[f"pred_type_{quote.type}"] += 1
            counts[f"matched_soft_type_{quote.type}"] += pi in matched
            counts[f"matched_strict_type_{quote.type}"] += pi in matched_strict
    for mode in MODES:
        p, r, f = _prf(counts[f"matched_{mode}"], counts["predicted"], counts["gold"])
        metrics[f"content_p_{mode}"], metrics[f"content_r_{mode}"], metrics[f"content_f1_{mode}"] = p, r, f
    n_pred = counts["predicted"]
    metrics["content_p_any"] = counts["pred_overlapping_gold"] / n_pred if n_pred else 0.0
    metrics["cue_accuracy"] = counts["cue_correct"] / counts["cue_pairs"] if counts["cue_pairs"] else 0.0
    pairs = counts["source_pairs"]
    metrics["source_accuracy"] = counts["source_correct"] / pairs if pairs else 0.0
    metrics["source_accuracy_span"] = counts["source_span_correct"] / pairs if pairs else 0.0
    metrics["speaker_resolved"] = counts["speaker_resolved"] / pairs if pairs else 0.0
    metrics["speaker_coded"] = counts["speaker_coded"] / pairs if pairs else 0.0
    party = counts["speaker_party_pairs"]
    metrics["speaker_coded_people"] = counts["speaker_party_coded"] / party if party else 0.0
    for kind in ("direct", "indirect", "mixed"):
        counts.setdefault(f"pred_{kind}", 0)
        counts.setdefault(f"matched_soft_{kind}", 0)
        counts.setdefault(f"matched_strict_{kind}", 0)
        n = counts[f"pred_{kind}"]
        metrics[f"content_p_soft_{kind}"] = counts[f"matched_soft_{kind}"] / n if n else 0.0
        metrics[f"content_p_strict_{kind}"] = counts[f"matched_strict_{kind}"] / n if n else 0.0
    for kind in QUOTE_TYPES:
        n = counts.setdefault(f"pred_type_{kind}", 0)
        counts.setdefault(f"matched_soft_type_{kind}", 0)
        counts.setdefault(f"matched_strict_type_{kind}", 0)
        if n:
            metrics[f"content_p_soft_{kind}"] = counts[f"matched_soft_type_{kind}"] / n
            metrics[f"content_p_strict_{kind}"] = counts[f"matched_strict_type_{kind}"] / n
    # per role, exact and overlap: a role is right on a content-matched (any overlap) pair
    for role, ok_key, exact_key in (
        ("cue", "cue_correct", "cue_exact"),
        ("source", "source_span_correct", "source_exact"),
    ):
        for mode, key in (("soft", ok_key), ("exact", exact_key)):
            p, r, f = _prf(counts[key], counts[f"pred_with_{role}"], counts[f"gold_with_{role}"])
            metrics[f"{role}_p_{mode}"], metrics[f"{role}_r_{mode}"], metrics[f"{role}_f1_{mode}"] = p, r, f
    for mode in ("soft", "exact"):
        p, r, f = _prf(counts[f"relation_{mode}"], counts["predicted"], counts["gold"])
        metrics[f"relation_p_{mode}"], metrics[f"relation_r_{mode}"], metrics[f"relation_f1_{mode}"] = p, r, f
    return metrics, dict(counts)


def evaluate_polnear(
    data_dir: Path, split: str = "dev", limit: int | None = None, n_process: int = 1
) -> EvalResult:
    """Run Tacitus on a PolNeAR split and score its quotes against the gold attributions.

    ``data_dir`` is PolNeAR's ``data`` directory (callers pass it; nothing here knows where ../shared is),
    ``limit`` keeps the first articles by file name and ``n_process`` goes to
    :func:`tacitus.pipeline.analyze_batch`. Each article is analysed as ``Article(text=<file text>,
    id=<file stem>, published=<metadata date>)``, so record offsets index the same string as the gold
    offsets. Metrics, counts and the annotator rule are described in the module docstring; skipped
    annotation items, failed articles and run times are in ``notes`` (``seconds`` in metrics is the wall
    time of the whole run, ``load_seconds`` reading the data and loading the model, ``analysis_seconds``
    the pipeline alone).
    """
    # spaCy loads only when a scorer actually runs, not when the evaluate package is imported
    from tacitus.pipeline import analyze_batch, keep_quote_types, load_nlp

    started = time.perf_counter()
    docs, skipped, notes = load_polnear(data_dir, split, limit)
    load_nlp()  # loaded before the clock starts so analysis time is comparable between runs
    load_seconds = time.perf_counter() - started
    failures: dict[str, str] = {}

    def on_error(article: Article, exc: Exception) -> None:
        failures[article.id or "?"] = f"{type(exc).__name__}: {exc}"

    articles = [Article(text=d.text, id=d.id, published=d.published, origin=str(d.path)) for d in docs]
    analysis_started = time.perf_counter()
    # every type is found, so that each type's precision is measured; the headline figures are those of
    # the types records keep by default (what a user gets)
    by_id = {
        r.id: r
        for r in analyze_batch(articles, n_process=n_process, on_error=on_error, quote_types=QUOTE_TYPES)
    }
    analysis_seconds = time.perf_counter() - analysis_started

    scores, records, all_scores, all_records = [], [], [], []
    default = frozenset(DEFAULT_QUOTE_TYPES)
    for doc in docs:
        record = by_id.get(doc.id)
        if record is not None and record.text != doc.text:
            # the record's offsets would index another string; scoring them would be meaningless
            failures[doc.id] = "record text differs from the article text"
            record = None
        all_scores.append(score_document(record, doc))
        all_records.append(record)
        kept = keep_quote_types(record, default) if record is not None else None
        scores.append(score_document(kept, doc))
        records.append(kept)
    metrics, counts = aggregate(scores, records)
    every_metrics, every_counts = aggregate(all_scores, all_records)
    for kind in QUOTE_TYPES:  # per type, over every type found (default or not)
        for key in (f"content_p_soft_{kind}", f"content_p_strict_{kind}"):
            metrics.pop(key, None)
            if key in every_metrics:
                metrics[key] = every_metrics[key]
        for key in (f"pred_type_{kind}", f"matched_soft_type_{kind}", f"matched_strict_type_{kind}"):
            counts[key] = every_counts.get(key, 0)
    notes.append(
        "headline figures: the quote types records keep by default ("
        + ", ".join(DEFAULT_QUOTE_TYPES)
        + "); content_p_*_<type>: every type Tacitus finds, on or off by default"
    )
    counts["failed_docs"] = len(failures)
    for reason, n in sorted(skipped.items()):
        counts[f"skipped: {reason}"] = n
    seconds = time.perf_counter() - started
    metrics["seconds"] = seconds
    metrics["analysis_seconds"] = analysis_seconds
    metrics["load_seconds"] = load_seconds
    notes.extend(
        f"analysis failed for {doc_id} ({why}); counted as predicting nothing"
        for doc_id, why in failures.items()
    )
    notes.append(
        f"run time {seconds:.1f} s: {load_seconds:.1f} s reading data and loading the model, "
        f"{analysis_seconds:.1f} s in analyze_batch (n_process={n_process})"
    )
    return EvalResult(
        name="tacitus quotes vs PolNeAR attributions",
        dataset=f"polnear/{split}" + (f" (first {limit})" if limit is not None else ""),
        n_docs=len(docs),
        metrics=metrics,
        counts=counts,
        notes=notes,
    )
