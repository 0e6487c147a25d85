"""``tacitus_time_v1``: find time expressions and give each its TIMEX3 value against the publication date.

News dates events relative to the day of publication ("on Thursday", "yesterday", "last week"), so a value
can only be given when ``Doc._.published`` is known; without it relative expressions keep ``value=None``
(unknown, never a guess). Values and types follow the TIMEX3 guidelines (TimeML 1.2, as TempEval-3 and
MEANTIME write them): days ``2017-12-14``, months ``2017-12``, years ``2017``, weeks ``2017-W50``,
seasons and quarters ``2013-SU`` / ``2013-Q1``, parts of day ``2017-12-14TMO``, clock times
``2017-12-14T10:35``, decades and centuries ``199`` / ``19``, ``PRESENT_REF`` / ``PAST_REF`` /
``FUTURE_REF``; durations ``P3Y``, ``PT2H``, ``P10Y`` (a decade), ``PXY`` ("years"); sets ``P1D`` ("daily"),
``XXXX-WXX-1`` ("every Monday"). Modifiers ("early December", "about five hours") leave the value as is,
as TIMEX3 puts them in ``mod``.

A weekday or a month with no year is read against the tense of its clause: past for what has happened
(the most recent such day on or before publication), future for "will"/"is to"/present forms; with no verb
to tell, a weekday is past (news reports what has happened) and a day of a month the nearest.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tacitus.components import doc_text, guarded, opening_paragraph_starts, register_extensions
from tacitus.components.time_values import (
    _MONTH_RE,
    MONTHS,
    PARTS_OF_DAY,
    WEEKDAYS,
    _parse_published,
    normalise,
    resolve_anaphora,
)

__all__ = ["MONTHS", "WEEKDAYS", "TimeTagger", "_parse_published", "dateline_date", "make_time", "normalise"]


# verbs whose infinitive is done when they are ("appeared to throw", "managed to reach", "failed to stop"):
# it shares their tense, where "planned to visit Monday" looks ahead
_IMPLICATIVE = frozenset(
    {"appear", "seem", "manage", "fail", "try", "happen", "prove", "continue", "begin", "start", "rush", "move"}
)  # fmt: skip


def _future_context(span: Span) -> bool | None:
    """The tense of the clause around the expression: True future ("will meet on Monday", "is to meet",
    "meets on Monday"), False past ("met", "has met", "was held"), None when no verb says."""
    head = span.root.head
    for _ in range(3):
        if head.pos_ in ("VERB", "AUX"):
            break
        head = head.head
    if head.pos_ not in ("VERB", "AUX"):
        return None
    auxes = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in ("will", "'ll", "shall", "wo") for c in auxes) or "Tense=Fut" in str(head.morph):
        return True
    if head.tag_ in ("VBD",) or any(c.tag_ == "VBD" or c.lower_ in ("has", "have", "had") for c in auxes):
        return False
    if head.tag_ == "VBN":
        return False
    if any(c.lower_ == "to" for c in head.children) and head.tag_ == "VB":
        governor = head.head
        # True: "is to meet Monday", "plans to visit in March"; but "appeared to throw ZTE a lifeline Sunday",
        # "managed to reach Kabul on Friday" are past
        return not (
            head.dep_ == "xcomp" and governor.lemma_.lower() in _IMPLICATIVE and governor.tag_ == "VBD"
        )
    # a present tense says nothing sure ("February sales are down", "meets on Monday": reading a weekday
    # forward there was tried and lost on TempEval-3)
    return None


# Time words NER leaves out that TIMEX3 annotates ("now", "recently", "daily").
# ("currently", "previously", "daily" were tried: TempEval-3 marks them less often than not)
_LOOSE_WORDS = frozenset(["now", "recently", "nowadays"])


_AGE = re.compile(r"^\d{1,3}$|\byears?[\s-]old\b|^(?:aged?\s+)?\d{1,3}s?$", re.I)


def _range_parts(doc: Doc, ent: Span) -> list[Span]:
    """ "between 1994 and 1997", "1991 to 1997", "from Monday to Friday": two expressions, as TIMEX3 has."""
    for i, tok in enumerate(ent):
        if tok.lower_ in ("and", "to", "through", "-", "–", "until") and 0 < i < len(ent) - 1:
            first = ent.start + (1 if ent[0].lower_ in ("between", "from") else 0)
            left = Span(doc, first, ent.start + i, label=ent.label_)
            right = Span(doc, ent.start + i + 1, ent.end, label=ent.label_)
            if (
                len(left)
                and len(right)
                and normalise(left.text, _ANY_DAY)[0]
                and normalise(right.text, _ANY_DAY)[0]
            ):
                return [left, right]
    return [ent]


_ANY_DAY = dt.date(2000, 6, 15)  # (to ask whether each side of a range reads as a time at all)


# "BANGKOK, Dec 15 (Reuters) -", "MOSCOW, December 15, 2017 —": a dateline with the day a story was filed.
_DATELINE_DATE = re.compile(
    rf"^\s*(?:[A-Z][A-Za-z.'’-]*(?:\s[A-Z][A-Za-z.'’-]*)*,\s*)+(?P<date>{_MONTH_RE}\s+\d{{1,2}}(?:,?\s+\d{{4}})?)"
    r"\s*(?:\([^)]{1,40}\)\s*)?[—–-]",
    re.I,
)


def _with_parts_of_day(doc: Doc, spans: list[Span]) -> list[Span]:
    """A day and its part of day are one expression: NER tags "Saturday" DATE and "night" TIME (or
    nothing), and TIMEX3 writes "Saturday night" as 1991-02-16TNI, "noon Thursday" as ...T12:00."""

    def is_day(tok: Token) -> bool:
        return tok.lower_ in WEEKDAYS or tok.lower_ in _DAY_WORDS

    out: list[Span] = []
    for span in sorted(spans, key=lambda sp: sp.start):
        if out and span.start < out[-1].end:
            continue  # taken in by the expression before it
        if out and out[-1].end == span.start:
            prev = out[-1]
            if (is_day(prev[-1]) and span[0].lower_ in PARTS_OF_DAY) or (
                prev[-1].lower_ in PARTS_OF_DAY and is_day(span[0])
            ):
                out[-1] = Span(doc, prev.start, span.end, label="TIME")
                continue
        if is_day(span[-1]) and span.end < len(doc) and doc[span.end].lower_ in PARTS_OF_DAY:
            span = Span(doc, span.start, span.end + 1, label="TIME")  # "Thursday evening", NER saw "Thursday"
        out.append(span)
    return out


_DAY_WORDS = frozenset(["yesterday", "today", "tomorrow"])


def dateline_date(doc: Doc, published: dt.date | None) -> tuple[str | None, tuple[int, int] | None]:
    """The day a dateline gives (``2017-12-15``) and its characters, or (None, None). A dateline with no
    year takes the year that puts it nearest to publication; with neither, there is no day."""
    head = doc_text(doc)[:300]
    for start in opening_paragraph_starts(head):
        m = _DATELINE_DATE.match(head[start:])
        if m is None:
            continue
        value, _, _ = normalise(m.group("date"), published)
        if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value, (start + m.start("date"), start + m.end("date"))
    return None, None


class TimeTagger:
    """Collect DATE/TIME entities (and the few time words NER misses) and give each its TIMEX3 value."""

    @guarded("time")
    def __call__(self, doc: Doc) -> Doc:
        published = _parse_published(doc._.published)
        if published is None:
            # no publication date: a dateline's full date is the reference for relative expressions
            day, _ = dateline_date(doc, None)
            published = _parse_published(day)
        spans: list[Span] = []
        covered: set[int] = set()
        for ent in doc.ents:
            if ent.label_ in ("DATE", "TIME"):
                for part in _range_parts(doc, ent):
                    spans.append(part)
                covered.update(range(ent.start, ent.end))
        for tok in doc:
            if tok.i not in covered and tok.lower_ in _LOOSE_WORDS and not tok.ent_type_:
                if tok.lower_ == "now" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "that":
                    continue  # "now that ...": a conjunction
                spans.append(doc[tok.i : tok.i + 1])
        # NER often leaves out the determiner that makes "year" a date: "this year", "last week"
        spans = [
            Span(doc, sp.start - 1, sp.end, label=sp.label_)
            if sp.start > 0
            and len(sp) == 1
            and sp[0].lower_ in ("year", "week", "month", "weekend", "quarter")
            and doc[sp.start - 1].lower_ in ("this", "last", "next", "that", "past", "coming")
            else sp
            for sp in spans
        ]
        spans = _with_parts_of_day(doc, spans)
        # ages and bare numbers the small model tags DATE ("6-year-old", "52 years old", "44") are no times
        spans = [sp for sp in spans if not _AGE.search(sp.text)]
        spans.sort(key=lambda sp: sp.start)
        times = []
        for span in spans:
            value, kind, vague = normalise(span.text, published, future=_future_context(span))
            if span.label_ == "TIME" and kind == "DATE" and value is None:
                kind = "TIME"
            times.append(
                {
                    "span": (span.start_char, span.end_char),
                    "tokens": (span.start, span.end),
                    "value": value,
                    "type": kind,
                    "vague": vague,
                }
            )
        resolve_anaphora(times, [span.text for span in spans], published)
        doc._.times = times
        return doc


@Language.factory("tacitus_time_v1", assigns=["doc._.times"], requires=["doc.ents"])
def make_time(nlp: Language, name: str) -> TimeTagger:
    """Build the time tagger (reads ``Doc._.published`` set by the pipeline)."""
    register_extensions()
    return TimeTagger()
