"""``tacitus_time_v1``: find time expressions and normalise them against the publication date.

News dates events relative to the day of publication ("on Thursday", "yesterday", "last week"), so a value
can only be given when ``Doc._.published`` is known; without it relative expressions keep ``value=None``
(unknown, never a guess). Values follow TIMEX3 conventions: ``2017-12-14``, ``2017-W49``, ``2017-12``,
``2017``, ``P1Y``. A weekday with no other cue is read as the most recent such day on or before
publication, because news reports mostly what has happened; a future tense (``will``, ``next``) flips it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from tacitus.components import guarded, register_extensions

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
UNIT_CODES = {"day": "D", "week": "W", "month": "M", "year": "Y", "decade": "DE", "century": "CE"}

_MONTH_RE = r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_DAY_MONTH_YEAR = re.compile(
    rf"^(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH_RE}(?:,?\s+(?P<year>\d{{4}}))?$"
)
_MONTH_DAY_YEAR = re.compile(
    rf"^{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$"
)
_MONTH_YEAR = re.compile(rf"^{_MONTH_RE}(?:\s+(?:of\s+)?(?P<year>\d{{4}}))?$")
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
_YEAR = re.compile(r"^(?:in\s+)?(?P<year>1[89]\d{2}|20\d{2})$")
_DURATION = re.compile(
    r"^(?:(?:the\s+)?(?:past|last|next|coming)\s+)?(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s+"
    r"(?P<unit>day|week|month|year|decade|century)s?$"
)
_LEADING = re.compile(r"^(?:on|in|at|by|since|until|from|during|the|this|that)\s+", re.I)


def _parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _closest_year(month: int, day: int, ref: dt.date) -> int:
    """Year that puts month/day nearest to the reference date (a December story about "Jan. 3")."""
    best = ref.year
    best_gap = None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            gap = abs((dt.date(year, month, day) - ref).days)
        except ValueError:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def _future_context(span: Span) -> bool:
    """True when the clause around the expression is in the future ("will meet on Monday")."""
    head = span.root.head
    for _ in range(3):
        if head.pos_ in ("VERB", "AUX"):
            break
        head = head.head
    if any(c.lower_ in ("will", "'ll", "shall") for c in head.children if c.dep_ == "aux"):
        return True
    return "Tense=Fut" in str(head.morph)


def normalise(text: str, published: dt.date | None, future: bool = False) -> tuple[str | None, str, bool]:
    """Return ``(value, type, vague)`` for one time expression, given the publication date.

    ``value`` is ``None`` when the expression cannot be resolved (for example a relative day with no
    publication date). Exposed for tests and for other components that need the same reading.
    """
    raw = " ".join(text.lower().replace("’", "'").split())
    raw = raw.strip(" ,.")
    s = raw
    while True:
        stripped = _LEADING.sub("", s)
        if stripped == s:
            break
        s = stripped

    if m := _ISO.match(s):
        return s, "DATE", False
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        if m := pattern.match(s):
            month = MONTHS[m.group("month").rstrip(".")]
            day = int(m.group("day"))
            if m.group("year"):
                year = int(m.group("year"))
            elif published:
                year = _closest_year(month, day, published)
            else:
                return None, "DATE", False
            try:
                return dt.date(year, month, day).isoformat(), "DATE", False
            except ValueError:
                return None, "DATE", False
    if (m := _MONTH_YEAR.match(s)) and (m.group("year") or published):
        month = MONTHS[m.group("month").rstrip(".")]
        if m.group("year"):
            year = int(m.group("year"))
        else:
            assert published is not None
            year = _closest_year(month, 15, published)
        return f"{year:04d}-{month:02d}", "DATE", False
    if m := _YEAR.match(s):
        return m.group("year"), "DATE", False

    if m := _DURATION.match(s):
        n = m.group("n")
        count = int(n) if n.isdigit() else NUMBER_WORDS[n]
        return f"P{count}{UNIT_CODES[m.group('unit')]}", "DURATION", False
    if s in ("decades", "years", "months", "weeks", "days", "centuries"):
        return f"PX{UNIT_CODES[s[:-1] if s != 'centuries' else 'century']}", "DURATION", True

    words = s.split()
    if published is None:
        return None, "DATE", True

    if s in ("today", "tonight", "this morning", "this afternoon", "this evening", "now"):
        return published.isoformat(), "DATE", False
    if s in ("yesterday", "last night"):
        return (published - dt.timedelta(days=1)).isoformat(), "DATE", False
    if s == "tomorrow":
        return (published + dt.timedelta(days=1)).isoformat(), "DATE", False

    # "Thursday", "last Thursday", "next Monday", "Thursday night"
    for i, w in enumerate(words):
        if w in WEEKDAYS:
            target = WEEKDAYS[w]
            before = words[i - 1] if i > 0 else ""
            if before in ("next", "coming") or (future and before != "last"):
                delta = (target - published.weekday()) % 7 or 7
                day = published + dt.timedelta(days=delta)
            else:
                delta = (published.weekday() - target) % 7
                if before == "last" and delta == 0:
                    delta = 7
                day = published - dt.timedelta(days=delta)
            return day.isoformat(), "DATE", False

    unit_words = {"week": "W", "month": "M", "year": "Y"}
    if len(words) == 2 and words[1] in unit_words and words[0] in ("last", "next", "this", "past", "coming"):
        unit = words[1]
        step = {"last": -1, "past": -1, "next": 1, "coming": 1, "this": 0}[words[0]]
        if unit == "week":
            day = published + dt.timedelta(weeks=step)
            iso = day.isocalendar()
            return f"{iso.year}-W{iso.week:02d}", "DATE", False
        if unit == "month":
            month_index = published.year * 12 + published.month - 1 + step
            return f"{month_index // 12:04d}-{month_index % 12 + 1:02d}", "DATE", False
        return f"{published.year + step:04d}", "DATE", False
    if words and words[-1] in ("ago",) and len(words) == 3 and words[1].rstrip("s") in UNIT_CODES:
        n = words[0]
        count = int(n) if n.isdigit() else NUMBER_WORDS.get(n)
        unit = words[1].rstrip("s")
        if count is not None and unit in ("day", "week"):
            day = published - dt.timedelta(days=count * (7 if unit == "week" else 1))
            return day.isoformat(), "DATE", unit == "week"
    return None, "DATE", True


class TimeTagger:
    """Collect DATE/TIME entities and normalise each into ``Doc._.times``."""

    @guarded("time")
    def __call__(self, doc: Doc) -> Doc:
        published = _parse_published(doc._.published)
        times = []
        for ent in doc.ents:
            if ent.label_ not in ("DATE", "TIME"):
                continue
            value, kind, vague = normalise(ent.text, published, future=_future_context(ent))
            if ent.label_ == "TIME" and kind == "DATE" and value is None:
                kind = "TIME"
            times.append(
                {
                    "span": (ent.start_char, ent.end_char),
                    "tokens": (ent.start, ent.end),
                    "value": value,
                    "type": kind,
                    "vague": vague,
                }
            )
        doc._.times = times
        return doc


@Language.factory("tacitus_time_v1", assigns=["doc._.times"], requires=["doc.ents"])
def make_time(nlp: Language, name: str) -> TimeTagger:
    """Build the time tagger (reads ``Doc._.published`` set by the pipeline)."""
    register_extensions()
    return TimeTagger()
