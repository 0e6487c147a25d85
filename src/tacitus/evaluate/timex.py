"""Score Tacitus's time expressions against TIMEX3 annotations: TempEval-3 (TimeML) and MEANTIME.

Each article is analysed with its document creation time as the publication date, as the annotators
normalised against it. Measures, after TempEval-3's:

- ``span_{p,r,f1}_strict``: a predicted expression with exactly a gold expression's characters;
  ``span_{p,r,f1}_relaxed``: any overlap (pairs matched one to one, the largest overlap first).
- ``value_accuracy``: among relaxed pairs, the share whose value is the gold TIMEX3 value;
  ``value_{p,r,f1}``: relaxed pairs with the right value over predicted / gold expressions (TempEval-3's
  value F1 is the relaxed F1 times the value accuracy, the same figure within rounding).
- ``type_accuracy``: among relaxed pairs, the share with the gold TIMEX3 type.
- per gold type (DATE, TIME, DURATION, SET): ``recall_relaxed_<type>``, ``value_accuracy_<type>`` and
  ``value_recall_<type>``.
- ``dateparser_value_accuracy_<type>``: plain dateparser on the gold spans themselves (its date as
  ``YYYY-MM-DD``, relative to the creation time), side by side, for DATE and TIME; a library baseline,
  not part of Tacitus.

The gold creation-time expression outside the text (TempEval's ``<DCT>``) is not scored; MEANTIME writes
its creation date inside the text and it is scored like any other. MEANTIME annotates only the title, the
date line and the first four sentences: its text is cut after the last annotated sentence. Empty TIMEX3
(MEANTIME's non-consuming ones) have no span and are skipped.
"""

from __future__ import annotations

import contextlib
import html
import re
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tacitus.errors import NoInputs
from tacitus.evaluate import EvalResult
from tacitus.model import Article, Record

TIMEX_TYPES = ("DATE", "TIME", "DURATION", "SET")
_TAG = re.compile(r"<(/?)([A-Za-z0-9_]+)([^>]*?)(/?)>")
_ATTR = re.compile(r'([A-Za-z_]+)="([^"]*)"')


@dataclass
class GoldTimex:
    """One gold TIMEX3: its characters in the document text, type and value."""

    start: int
    end: int
    type: str
    value: str


@dataclass
class TimeDoc:
    """A document to score: its text, creation date (``YYYY-MM-DD``) and gold expressions."""

    id: str
    text: str
    dct: str | None
    timexes: list[GoldTimex] = field(default_factory=list)


def parse_timeml(markup: str, doc_id: str) -> TimeDoc:
    """Read one TimeML document: the text inside ``<TEXT>`` with its tags removed, and its TIMEX3s."""
    dct_match = re.search(r"<DCT>.*?value=\"([^\"]+)\"", markup, re.S)
    dct = dct_match.group(1)[:10] if dct_match else None
    body = re.search(r"<TEXT>(.*)</TEXT>", markup, re.S)
    if body is None:
        raise ValueError(f"{doc_id}: no <TEXT> element")
    source = body.group(1)
    parts: list[str] = []
    length = 0
    opened: list[tuple[int, dict[str, str]]] = []
    timexes: list[GoldTimex] = []
    pos = 0
    for m in _TAG.finditer(source):
        chunk = html.unescape(source[pos : m.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name, attrs, selfclosing = m.groups()
        if name != "TIMEX3" or selfclosing:
            continue
        if not closing:
            opened.append((length, dict(_ATTR.findall(attrs))))
        elif opened:
            start, attributes = opened.pop()
            if length > start:
                timexes.append(
                    GoldTimex(start, length, attributes.get("type", "DATE"), attributes.get("value", ""))
                )
    parts.append(html.unescape(source[pos:]))
    return TimeDoc(doc_id, "".join(parts), dct, timexes)


def parse_meantime(path: Path) -> TimeDoc:
    """Read one MEANTIME document: tokens joined by spaces, sentences by newlines, and its TIMEX3s."""
    root = ET.parse(path).getroot()
    # MEANTIME annotates the title, the date line and the first sentences only: the text scored ends with
    # the last sentence holding any annotation (entity, event or time), so that expressions Tacitus finds
    # further on are not counted as false
    sentence_of = {t.get("t_id"): int(t.get("sentence") or 0) for t in root.iter("token")}
    markables = root.find("Markables")
    anchored = [
        sentence_of[a.get("t_id")]
        for a in (markables.iter("token_anchor") if markables is not None else ())
        if a.get("t_id") in sentence_of
    ]
    last_annotated = max(anchored, default=max(sentence_of.values(), default=0))
    offsets: dict[str, tuple[int, int]] = {}
    pieces: list[str] = []
    length = 0
    last_sentence = None
    for tok in root.iter("token"):
        if int(tok.get("sentence") or 0) > last_annotated:
            break
        if last_sentence is not None:
            sep = "\n" if tok.get("sentence") != last_sentence else " "
            pieces.append(sep)
            length += 1
        last_sentence = tok.get("sentence")
        word = tok.text or ""
        offsets[tok.get("t_id", "")] = (length, length + len(word))
        pieces.append(word)
        length += len(word)
    dct = None
    timexes = []
    for timex in root.iter("TIMEX3"):
        anchors = [offsets[a.get("t_id", "")] for a in timex.iter("token_anchor") if a.get("t_id") in offsets]
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct = (timex.get("value") or "")[:10] or None
            if dct and (day_first := re.fullmatch(r"(\d{2})-(\d{2})-(\d{4})", dct)):
                dct = f"{day_first.group(3)}-{day_first.group(2)}-{day_first.group(1)}"  # one file's "03-02-2009"
        if not anchors:
            continue
        timexes.append(
            GoldTimex(
                min(s for s, _ in anchors),
                max(e for _, e in anchors),
                timex.get("type") or "DATE",
                timex.get("value") or "",
            )
        )
    return TimeDoc(path.stem, "".join(pieces), dct, timexes)


def load_time_docs(folder: Path, limit: int | None = None) -> list[TimeDoc]:
    """Every ``.tml`` (TimeML) or MEANTIME ``.xml`` document under ``folder``, by path, the first ``limit``.

    MEANTIME holds each article twice (intra-document and cross-document annotation): only the
    ``intra-doc_annotation`` copies are read.
    """
    if not folder.is_dir():
        raise NoInputs(f"{folder}: no such folder; pass --data the folder holding time/tempeval3-training")
    paths = sorted(folder.rglob("*.tml"))
    if not paths:
        paths = sorted(p for p in folder.rglob("*.xml") if "intra-doc_annotation" in p.parts)
    if limit is not None:
        paths = paths[:limit]
    docs = []
    for path in paths:
        if path.suffix == ".tml":
            docs.append(parse_timeml(path.read_text(encoding="utf-8"), path.stem))
        else:
            docs.append(parse_meantime(path))
    return docs


def _match(
    pred: list[tuple[int, int]], gold: list[tuple[int, int]]
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(strict pairs, relaxed pairs) as (pred index, gold index); relaxed ones one to one, largest overlap first."""
    strict = [(i, j) for i, p in enumerate(pred) for j, g in enumerate(gold) if p == g]
    candidates = sorted(
        (
            (min(p[1], g[1]) - max(p[0], g[0]), i, j)
            for i, p in enumerate(pred)
            for j, g in enumerate(gold)
            if p[0] < g[1] and g[0] < p[1]
        ),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    relaxed = []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            relaxed.append((i, j))
    return strict, relaxed


def _dateparser_value(text: str, dct: str | None) -> str | None:
    """Plain dateparser's reading of a gold span, as a TIMEX3-style day, or None."""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is installed with htmldate
        return None
    import datetime as dt

    settings = {"PREFER_DATES_FROM": "past"}
    if dct:
        with contextlib.suppress(ValueError):
            settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(dct)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # noqa: BLE001 - a baseline; its failures count as misses
        return None
    return parsed.date().isoformat() if parsed else None


def _prf(right: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = right / n_pred if n_pred else 0.0
    r = right / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_time(
    docs: list[TimeDoc], records: Iterable[Record | None], *, baseline: bool = True
) -> tuple[dict, dict]:
    """Metrics and counts for ``records`` (in the order of ``docs``) against the gold TIMEX3s."""
    c: Counter[str] = Counter()
    for doc, record in zip(docs, records, strict=True):
        gold = [(t.start, t.end) for t in doc.timexes]
        c["gold"] += len(gold)
        for t in doc.timexes:
            c[f"gold_{t.type}"] += 1
        if record is None:
            c["failed_docs"] += 1
            continue
        times = list(record.times)
        pred = [tuple(t.span) for t in times]
        c["predicted"] += len(pred)
        strict, relaxed = _match(pred, gold)
        c["strict"] += len(strict)
        c["relaxed"] += len(relaxed)
        for i, j in relaxed:
            g = doc.timexes[j]
            c[f"relaxed_{g.type}"] += 1
            if times[i].type == g.type:
                c["type_right"] += 1
            if times[i].value == g.value:
                c["value_right"] += 1
                c[f"value_right_{g.type}"] += 1
        if baseline:
            for g in doc.timexes:
                if g.type in ("DATE", "TIME"):
                    c[f"dateparser_scored_{g.type}"] += 1
                    if _dateparser_value(doc.text[g.start : g.end], doc.dct) == g.value:
                        c[f"dateparser_right_{g.type}"] += 1
    m: dict[str, float] = {}
    for mode in ("strict", "relaxed"):
        p, r, f = _prf(c[mode], c["predicted"], c["gold"])
        m[f"span_p_{mode}"], m[f"span_r_{mode}"], m[f"span_f1_{mode}"] = p, r, f
    p, r, f = _prf(c["value_right"], c["predicted"], c["gold"])
    m["value_p"], m["value_r"], m["value_f1"] = p, r, f
    m["value_accuracy"] = c["value_right"] / c["relaxed"] if c["relaxed"] else 0.0
    m["type_accuracy"] = c["type_right"] / c["relaxed"] if c["relaxed"] else 0.0
    for kind in TIMEX_TYPES:
        if c[f"gold_{kind}"]:
            m[f"recall_relaxed_{kind}"] = c[f"relaxed_{kind}"] / c[f"gold_{kind}"]
            m[f"value_recall_{kind}"] = c[f"value_right_{kind}"] / c[f"gold_{kind}"]
        if c[f"relaxed_{kind}"]:
            m[f"value_accuracy_{kind}"] = c[f"value_right_{kind}"] / c[f"relaxed_{kind}"]
        if c[f"dateparser_scored_{kind}"]:
            m[f"dateparser_value_accuracy_{kind}"] = (
                c[f"dateparser_right_{kind}"] / c[f"dateparser_scored_{kind}"]
            )
    return m, dict(c)


def evaluate_time(folder: Path, dataset: str, limit: int | None = None, n_process: int = 1) -> EvalResult:
    """Run Tacitus on a TIMEX3 corpus (TempEval-3 TimeML or MEANTIME) and score its ``times``."""
    from tacitus.pipeline import analyze_batch, load_nlp

    started = time.perf_counter()
    docs = load_time_docs(folder, limit)
    load_nlp()
    failures: dict[str, str] = {}

    def on_error(article: Article, exc: Exception) -> None:
        failures[article.id or "?"] = f"{type(exc).__name__}: {exc}"

    articles = [Article(text=d.text, id=d.id, published=d.dct) for d in docs]
    by_id = {r.id: r for r in analyze_batch(articles, n_process=n_process, on_error=on_error)}
    metrics, counts = score_time(docs, [by_id.get(d.id) for d in docs])
    metrics["seconds"] = time.perf_counter() - started
    notes = [
        "values are compared as strings (TIMEX3 'value'); pairs are relaxed (overlapping) matches",
        "dateparser_value_accuracy_*: plain dateparser on the gold spans, relative to the creation date",
    ]
    notes += [f"failed: {doc_id}: {reason}" for doc_id, reason in sorted(failures.items())[:5]]
    return EvalResult(
        name="tacitus times vs TIMEX3",
        dataset=dataset,
        n_docs=len(docs),
        metrics=metrics,
        counts=counts,
        notes=notes,
    )
