"""TIMEX3 values for time expressions, against a publication date: :func:`normalise`.

Days, months, years, weeks, seasons and quarters, parts of day and clock times, decades and centuries,
PRESENT_REF / PAST_REF / FUTURE_REF, durations and sets, as the TIMEX3 guidelines write them (see
:mod:`tacitus.components.time` for the conventions). Pure functions of the words, the publication date and
the clause's tense: the tagger in :mod:`tacitus.components.time` finds the expressions and the tense.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

WEEKDAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
WEEKDAYS.update(
    {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
)
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

_UNITS = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D", "week": "W", "weekend": "D",
    "month": "M", "quarter": "Q", "year": "Y", "decade": "DE", "century": "CE", "millennium": "ML",
}  # fmt: skip
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
NUMBER_WORDS: dict[str, int] = {w: i for i, w in enumerate(_ONES.split())}
NUMBER_WORDS.update(_TENS)
NUMBER_WORDS.update({"a": 1, "an": 1, "single": 1, "couple": 2, "dozen": 12, "hundred": 100})
_VAGUE_NUMBERS = frozenset(["several", "few", "many", "some", "recent", "coming", "past", "next", "last"])
_SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS_OF_DAY = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "tonight": "NI", "overnight": "NI",
    "midday": "T12:00", "noon": "T12:00", "midnight": "T24:00", "mid-afternoon": "AF", "mid-morning": "MO",
    "dawn": "MO", "daybreak": "MO", "dusk": "EV",
}  # fmt: skip
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "final": 4, "1st": 1, "2nd": 2, "3rd": 3,
             "4th": 4}  # fmt: skip
_SETS = {"daily": "P1D", "weekly": "P1W", "monthly": "P1M", "yearly": "P1Y", "annually": "P1Y", "annual": "P1Y",
         "hourly": "PT1H", "nightly": "P1D", "quarterly": "P3M"}  # fmt: skip
# Words in front of an expression that do not change its value (TIMEX3 keeps them in "mod", or outside).
_LEADING = re.compile(
    # (several words before the one word they start with: "at least" before "at")
    r"^(?:as long as|as many as|as much as|at least|at most|up to|more than|less than|fewer than|"
    r"no more than|the end of|the beginning of|the start of|the middle of|beginning of|start of|end of|"
    r"middle of|on|in|at|by|since|until|till|from|during|for|within|over|about|around|nearly|almost|only|"
    r"just|some|roughly|approximately|barely|the|of|not|early|earlier|late|later|mid|middle|end)[\s-]+",
    re.I,
)
_MONTH_RE = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY_MONTH_YEAR = re.compile(
    rf"^(?:the\s+)?(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH_RE}(?:,?\s+(?P<year>\d{{4}}))?$"
)
_MONTH_DAY_YEAR = re.compile(
    rf"^{_MONTH_RE}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?$"
)
_MONTH_YEAR = re.compile(rf"^{_MONTH_RE}(?:,?\s+(?:of\s+)?(?P<year>\d{{4}}))?$")
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
_NUMERIC_DATE = re.compile(r"^(?P<month>\d{1,2})/(?P<day>\d{1,2})/(?P<year>\d{2}|\d{4})$")
_YEAR = re.compile(r"^(?:(?:the\s+)?year\s+)?(?:post-|pre-)?(?P<year>1[0-9]\d{2}|20\d{2})$")
_FISCAL = re.compile(r"^(?:fiscal|fy)\s*(?P<year>\d{4}|'?\d{2})$")
_DECADE = re.compile(r"^(?P<century>1\d|20)(?P<decade>\d)0'?s$|^'(?P<short>\d)0s$")
_CENTURY = re.compile(r"^(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]century$")
_CLOCK = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?:(?P<ampm>a\.?m\.?|p\.?m\.?)|(?P<oclock>o'?clock))?"
    r"(?:\s+(?:[a-z]{2,4}t|gmt|utc|local time))?$"
)
_AGO = re.compile(r"^(?P<n>[\w-]+(?:\s[\w-]+)?)\s+(?P<unit>[a-z]+?)s?\s+ago$")
_HOLIDAYS = {"christmas": (12, 25), "christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1),
             "new year's eve": (12, 31), "independence day": (7, 4), "valentine's day": (2, 14),
             "halloween": (10, 31), "veterans day": (11, 11), "memorial day": None, "thanksgiving": None,
             "thanksgiving day": None, "labor day": None}  # fmt: skip


_HOLIDAYS_LONGEST_FIRST = sorted(_HOLIDAYS, key=len, reverse=True)  # ("christmas eve" before "christmas")


# A reference day relative expressions can move from by a century either way without leaving the calendar:
# a page dated 0001-01-01 (a CMS's empty date) made "Monday" overflow and failed its whole article.
_ANCHORS = (dt.date(101, 1, 1), dt.date(9899, 12, 31))


def _parse_published(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value[:10])
    except ValueError:
        return None
    return day if _ANCHORS[0] <= day <= _ANCHORS[1] else None


def _number(text: str) -> int | None:
    """ "five" -> 5, "twenty four" -> 24, "twenty-four" -> 24, "72" -> 72, "a" -> 1, else None."""
    text = text.replace("-", " ").replace(",", "").strip()
    if text.isdigit():
        return int(text)
    total = 0
    for word in text.split():
        if word not in NUMBER_WORDS:
            return None
        total += NUMBER_WORDS[word]
    return total if text else None


def _closest_year(month: int, day: int, ref: dt.date) -> int:
    """Year that puts month/day nearest to the reference date (a December story about "Jan. 3")."""
    best, best_gap = ref.year, None
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            gap = abs((dt.date(year, month, day) - ref).days)
        except ValueError:
            continue
        if best_gap is None or gap < best_gap:
            best, best_gap = year, gap
    return best


def _year_for(month: int, day: int | None, ref: dt.date, future: bool | None) -> int:
    """The year of a month (and day) with no year: the last one on or before publication for past events,
    the next one on or after it for future ones, the nearest for a day when the tense says nothing."""
    if day is not None and (future is None or _too_far(month, day, ref, future)):
        return _closest_year(month, day, ref)
    here = (ref.month, day if day is not None else ref.day)
    there = (month, day if day is not None else ref.day)
    if future:
        return ref.year if there >= here else ref.year + 1
    return ref.year if there <= here else ref.year - 1


def _too_far(month: int, day: int, ref: dt.date, future: bool) -> bool:
    """Whether the tense's reading of a day with no year lands more than half a year away (a past verb
    about an upcoming "Dec. 10": the parser hung the date on the reporting verb); the nearest then wins."""
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            when = dt.date(year, month, day)
        except ValueError:
            return False
        if ((future and when >= ref) or (not future and when <= ref)) and abs((when - ref).days) <= 183:
            return False
    return True


def _duration(n: int | None, unit: str) -> str:
    """TIMEX3 duration: P3Y, PT2H, P10Y for a decade, P100Y for a century, PX<unit> when vague."""
    code = _UNITS[unit]
    count = "X" if n is None else str(n)
    if unit == "decade":
        return "PXY" if n is None else f"P{n * 10}Y"
    if unit == "century":
        return "PXC" if n is None else f"P{n * 100}Y"
    if unit == "weekend":
        return "P2D" if n in (None, 1) else f"P{2 * n}D"
    if unit == "quarter":
        return "PXM" if n is None else f"P{3 * n}M"
    if code.startswith("T"):
        return f"PT{count}{code[1]}"
    return f"P{count}{code}"


def _week(day: dt.date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


def _shift_month(ref: dt.date, step: int) -> str:
    index = ref.year * 12 + ref.month - 1 + step
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _holiday(name: str, year: int) -> dt.date | None:
    fixed = _HOLIDAYS.get(name)
    if fixed:
        return dt.date(year, *fixed)
    nth = {"thanksgiving": (11, 3, 4), "thanksgiving day": (11, 3, 4), "labor day": (9, 0, 1)}.get(name)
    if nth:
        month, weekday, n = nth
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    if name == "memorial day":
        last = dt.date(year, 5, 31)
        return last - dt.timedelta(days=last.weekday())
    return None


def _weekday_date(target: int, before: str, published: dt.date, future: bool | None) -> dt.date:
    if before in ("next", "coming") or (future and before != "last"):
        # ("will meet on Friday" in a Friday paper is that day, as the TimeBank and MEANTIME annotators read it)
        delta = (target - published.weekday()) % 7
        if before in ("next", "coming") and delta == 0:
            delta = 7
        return published + dt.timedelta(days=delta)
    delta = (published.weekday() - target) % 7
    if before == "last" and delta == 0:
        delta = 7
    return published - dt.timedelta(days=delta)


# "the third quarter", "this year's third quarter", "the 1988 second quarter", "the fiscal-first quarter",
# "fourth-quarter", "the final quarter of 2009", "the first quarter of last year"
_ORDINAL_QUARTER = re.compile(
    r"(?:the\s+|its\s+)?(?:(?P<prefix_rel>this|last|next) year's\s+|(?P<prefix_year>\d{4})\s+)?(?:fiscal[\s-]+)?"
    r"(?P<ord>first|second|third|fourth|final|1st|2nd|3rd|4th)(?:[\s-]+(?:fiscal|calendar))?[\s-]+quarter"
    r"(?:\s+of\s+(?:fiscal\s+)?(?:(?P<year>\d{4})|(?P<rel>this|last|next) year))?"
)


def _spelled_year(s: str) -> int | None:
    """A year in words, as transcripts write them: "nineteen ninety-six", "the year two thousand"."""
    s = re.sub(r"^(?:the\s+)?year\s+", "", s)
    if s == "two thousand":
        return 2000
    if m := re.fullmatch(r"two thousand(?:\s+and)?\s+(\w+(?:-\w+)?)", s):
        n = _number(m.group(1))
        return 2000 + n if n is not None and n < 100 else None
    if m := re.fullmatch(r"(nineteen|eighteen)\s+(\w+(?:-\w+)?)", s):
        n = _number(m.group(2))
        if n is not None and 10 <= n < 100:
            return (1900 if m.group(1) == "nineteen" else 1800) + n
    return None


def _strip(s: str) -> str:
    while True:
        stripped = _LEADING.sub("", s)
        if stripped == s:
            return s
        s = stripped


def normalise(
    text: str, published: dt.date | None, future: bool | None = None
) -> tuple[str | None, str, bool]:
    """Return ``(value, type, vague)`` for one time expression, given the publication date.

    ``future`` is the tense of the clause (True future, False past, None unknown). ``value`` is ``None``
    when the expression cannot be resolved (a relative day with no publication date, a phrase the rules do
    not know); ``type`` is TIMEX3's (DATE, TIME, DURATION, SET). Exposed for tests and for other components
    that need the same reading.
    """
    raw = " ".join(text.lower().replace("’", "'").replace("‘", "'").split()).strip(" ,.;:")
    raw = re.sub(r"'s$", "", raw)
    raw = re.sub(r"\s+,", ",", raw)  # "March 01 , 2008" (tokenised text)
    s = _strip(raw)
    # a period named by its end ("the year ended March 31", "the six months ended Oct. 1", "the first
    # nine months of 1997"): TIMEX3 marks the head as the duration; its end is an expression of its own
    s = re.sub(r"\s+(?:ended|ending)\s+\S.*$", "", s)
    s = re.sub(
        r"^((?:the\s+)?(?:first|last|latest|past)\s+\S+\s+(?:months|weeks|days|years))\s+of\s+.*$", r"\1", s
    )
    if (year := _spelled_year(s)) is not None:
        return f"{year:04d}", "DATE", False

    # -- absolute dates and years: no anchor needed --------------------------------------------------------
    if _ISO.match(s):
        return s, "DATE", False
    if m := _NUMERIC_DATE.match(s):
        year = int(m.group("year"))
        year += 1900 if year < 100 and year > 30 else (2000 if year < 100 else 0)
        try:
            return dt.date(year, int(m.group("month")), int(m.group("day"))).isoformat(), "DATE", False
        except ValueError:
            return None, "DATE", False
    for pattern in (_MONTH_DAY_YEAR, _DAY_MONTH_YEAR):
        if m := pattern.match(s):
            month, day = MONTHS[m.group("month").rstrip(".")], int(m.group("day"))
            if m.group("year"):
                year = int(m.group("year"))
            elif published:
                year = _year_for(month, day, published, future)
            else:
                return None, "DATE", False
            try:
                return dt.date(year, month, day).isoformat(), "DATE", False
            except ValueError:
                return None, "DATE", False
    if (m := re.fullmatch(rf"(?P<rel>last|next|this|coming)\s+{_MONTH_RE}", s)) and published:
        month, rel = MONTHS[m.group("month").rstrip(".")], m.group("rel")
        if rel == "last":
            year = published.year if month < published.month else published.year - 1
        elif rel in ("next", "coming"):
            year = published.year if month > published.month else published.year + 1
        else:
            year = published.year
        return f"{year:04d}-{month:02d}", "DATE", False
    if m := _MONTH_YEAR.match(s):
        month = MONTHS[m.group("month").rstrip(".")]
        if m.group("year"):
            return f"{int(m.group('year')):04d}-{month:02d}", "DATE", False
        if published is None:
            return None, "DATE", False
        year = _year_for(month, None, published, future)
        return f"{year:04d}-{month:02d}", "DATE", False
    if m := _YEAR.match(s):
        return m.group("year"), "DATE", False
    if m := _FISCAL.match(s):
        year = m.group("year").lstrip("'")
        return (year if len(year) == 4 else ("19" if int(year) > 30 else "20") + year), "DATE", False
    if m := _DECADE.match(s):
        if m.group("short"):
            return f"19{m.group('short')}", "DATE", False
        return f"{m.group('century')}{m.group('decade')}", "DATE", False
    if m := _CENTURY.match(s):
        return f"{int(m.group('n')) - 1:02d}", "DATE", False

    if s in ("year", "month", "week") and raw.endswith(f"the {s}") and published is not None:
        s = f"this {s}"  # "the beginning of the year": this year
    words = s.split()
    # -- references and sets: no anchor needed -------------------------------------------------------------
    if s in ("now", "currently", "current", "present", "the present", "nowadays", "these days", "right now",
             "at present", "at the moment", "today's", "the moment"):  # fmt: skip
        return "PRESENT_REF", "DATE", True
    if s in (
        "future",
        "the future",
        "the near future",
        "near future",
        "soon",
        "someday",
        "later",
        "eventually",
    ):
        return "FUTURE_REF", "DATE", True
    if s in ("recently", "recent", "past", "the past", "previously", "formerly", "once", "lately", "earlier",
             "before", "in the past", "once upon a time"):  # fmt: skip
        return "PAST_REF", "DATE", True
    if s in _SETS:
        return _SETS[s], "SET", False
    if words and words[0] in ("every", "each", "per") or (len(words) >= 3 and words[-2] in ("a", "per")):
        unit = words[-1].rstrip("s")
        if unit in WEEKDAYS:
            return f"XXXX-WXX-{WEEKDAYS[unit] + 1}", "SET", False
        if unit in _UNITS:
            n = _number(words[1]) if len(words) == 3 and words[0] in ("every", "each") else 1
            return _duration(n, unit), "SET", False
        if unit in MONTHS:
            return f"XXXX-{MONTHS[unit]:02d}", "SET", False
    if (
        len(words) == 2
        and words[0].rstrip("s") in WEEKDAYS
        and words[1] in ("nights", "mornings", "evenings")
    ):
        return f"XXXX-WXX-{WEEKDAYS[words[0].rstrip('s')] + 1}T{PARTS_OF_DAY[words[1][:-1]]}", "SET", False
    if len(words) == 1 and words[0].endswith("s") and words[0][:-1] in WEEKDAYS:
        return f"XXXX-WXX-{WEEKDAYS[words[0][:-1]] + 1}", "SET", False

    # -- durations: "five hours", "16-hour", "a couple of years", "several days", "the past decade" --------
    dur = re.fullmatch(
        r"(?:(?:the\s+)?(?:past|last|next|coming|first|final|previous|following|recent)\s+)?"
        r"(?P<n>(?:a\s+)?(?:couple|few|several|many|\d[\d,]*|[a-z]+(?:[\s-][a-z]+)?)(?:\s+of)?)?[\s-]*"
        r"(?P<unit>second|minute|hour|day|night|week|weekend|month|quarter|year|decade|century|centurie|millenni(?:um|a))s?"
        r"(?:[\s-](?:long|old))?",
        s,
    )
    if dur and dur.group("unit") and not re.fullmatch(r"(?:the\s+)?\d{4}\s+\w+", s):  # "the 1988 quarter"
        unit = dur.group("unit")
        unit = {"centurie": "century", "millennia": "millennium"}.get(unit, unit)
        n_text = (dur.group("n") or "").replace(" of", "").strip()
        if n_text.startswith("a "):
            n_text = n_text[2:]
        plural = re.search(rf"{unit[:5]}\w*s\b", s) is not None or unit == "century" and "centuries" in s
        lead = words[0] if words else ""
        if unit == "weekend" and not n_text and not plural and published is not None:
            # "the weekend", "last weekend", "this weekend": the weekend as a date (TimeBank writes
            # 1990-W32-WE), the one just past unless the clause or "next"/"this" says the coming one
            ahead = lead in ("next", "coming") or (lead == "this" and future is not False) or future is True
            saturday = _weekday_date(
                5, "next" if ahead and published.weekday() == 5 else "", published, ahead
            )
            return f"{_week(saturday)}-WE", "DATE", False
        if not n_text:
            if (
                lead in ("this", "next", "last", "past", "coming", "the")
                and unit in ("week", "month", "year")
                and not plural
            ):
                pass  # "this week", "last year": a date below
            elif plural:
                return _duration(None, unit), "DURATION", True  # "years", "recent days", "the coming weeks"
            elif unit in ("day", "week", "month", "year", "hour", "minute", "decade", "century", "weekend"):
                return _duration(1, unit), "DURATION", False  # "a week", "the weekend"
        elif n_text in ("couple", "few", "several", "many") or n_text in _VAGUE_NUMBERS:
            return _duration(2 if n_text == "couple" else None, unit), "DURATION", n_text != "couple"
        elif (n := _number(n_text)) is not None:
            return _duration(n, unit), "DURATION", False

    if published is None:
        return None, "DATE", True

    # -- "X ago", "X earlier": a point back from publication ------------------------------------------------
    if m := _AGO.match(s):
        unit = m.group("unit").rstrip("s")
        n = _number(m.group("n")) if m.group("n") not in ("several", "a few", "few", "many") else None
        if unit in ("day", "week") and n is not None:
            day = published - dt.timedelta(days=n * (7 if unit == "week" else 1))
            return (day.isoformat() if unit == "day" else _week(day)), "DATE", False
        if unit == "month" and n is not None:
            return _shift_month(published, -n), "DATE", False
        if unit == "year" and n is not None:
            return f"{published.year - n:04d}", "DATE", False
        if unit == "decade" and n is not None:
            return f"{published.year - 10 * n:04d}", "DATE", False
        return "PAST_REF", "DATE", True

    # -- days relative to publication, with a part of day -------------------------------------------------
    part = None
    for w in words:
        if w in PARTS_OF_DAY and w != "tonight":
            part = PARTS_OF_DAY[w]
    anchor: dt.date | None = None
    if words and words[0] in ("today", "tonight") or s in ("this morning", "this afternoon", "this evening",
                                                             "the morning", "the afternoon", "the evening"):  # fmt: skip
        anchor = published
        if words[0] == "tonight":
            part = "NI"
    elif words and words[0] == "yesterday" or s in ("last night", "overnight"):
        anchor = published - dt.timedelta(days=1) if s != "overnight" else published
        if s in ("last night", "overnight"):
            part = "NI"
    elif words and words[0] == "tomorrow":
        anchor = published + dt.timedelta(days=1)
    for i, w in enumerate(words):
        if w.rstrip(".") in WEEKDAYS:
            before = words[i - 1] if i > 0 else ""
            anchor = _weekday_date(WEEKDAYS[w.rstrip(".")], before, published, future)
    holiday = next((h for h in _HOLIDAYS_LONGEST_FIRST if s.endswith(h)), None)
    if holiday and anchor is None:
        for year in ((published.year,) if not s.startswith(("last", "next")) else ()) + (
            published.year - 1 if not s.startswith("next") else published.year + 1,
        ):
            day = _holiday(holiday, year)
            if day and (s.startswith("next") or future or day <= published or s.startswith("last")):
                anchor = day
                break
    clock = None
    for cut in range(len(words), 0, -1):  # "10:35 a.m. tuesday", "4 in the morning"
        head = " ".join(words[:cut])
        if (m := _CLOCK.match(head)) and (m.group("ampm") or m.group("oclock") or m.group("minute")):
            hour = int(m.group("hour")) % 12 + (12 if (m.group("ampm") or "").startswith("p") else 0)
            if not m.group("ampm") and not m.group("oclock"):
                hour = int(m.group("hour"))
            if "in the morning" in s:
                hour = int(m.group("hour")) % 12
            clock = f"T{hour:02d}:{m.group('minute') or '00'}"
            break
    if re.match(r"^\d{1,2} in the (?:morning|afternoon|evening)$", s):
        hour = int(words[0]) % 12 + (0 if "morning" in s else 12)
        clock = f"T{hour:02d}:00"
    if clock or part:
        day = anchor or published
        if clock:
            zone = "Z" if re.search(r"\b(?:utc|gmt)\b", s) else ""
            return f"{day.isoformat()}{clock}{zone}", "TIME", False
        return f"{day.isoformat()}{part if part.startswith('T') else 'T' + part}", "TIME", False
    if anchor is not None:
        return anchor.isoformat(), "DATE", False

    # -- weeks, months, years, seasons, quarters relative to publication ------------------------------------
    if m := _ORDINAL_QUARTER.fullmatch(s):
        q = _ORDINALS[m.group("ord")]
        named = m.group("year") or m.group("prefix_year")
        relative = m.group("rel") or m.group("prefix_rel")
        if named:
            year = int(named)
        elif relative:
            year = published.year + {"this": 0, "last": -1, "next": 1}[relative]
        else:
            current = (published.month - 1) // 3 + 1
            year = published.year if (q <= current or future) else published.year - 1
        return f"{year:04d}-Q{q}", "DATE", False
    steps = {"last": -1, "past": -1, "previous": -1, "next": 1, "coming": 1, "this": 0, "current": 0,
             "the": 0, "that": 0, "same": 0}  # fmt: skip
    if len(words) >= 2 and words[0] in steps:
        step = steps[words[0]]
        unit = words[-1]
        if unit == "week":
            return _week(published + dt.timedelta(weeks=step)), "DATE", False
        if unit == "month":
            return _shift_month(published, step), "DATE", False
        if unit == "year":
            return f"{published.year + step:04d}", "DATE", False
        if unit == "decade":
            return f"{(published.year // 10 + step):03d}", "DATE", False
        if unit == "century":
            return f"{(published.year // 100 + step):02d}", "DATE", False
        if unit in _SEASONS:
            # a season is named by the year it starts in (winter 2017 runs into 2018): "last fall" said in
            # April 1999 is 1998-FA, said in December 2017 it is 2017-FA
            code = _SEASONS[unit]
            start = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
            if step < 0:
                year = published.year if start < published.month else published.year - 1
            elif step > 0:
                year = published.year if start > published.month else published.year + 1
            else:
                year = published.year - 1 if code == "WI" and published.month < 3 else published.year
            return f"{year:04d}-{code}", "DATE", False
        if unit == "quarter":
            q = (published.month - 1) // 3 + 1 + step
            year = published.year + (q - 1) // 4
            return f"{year:04d}-Q{(q - 1) % 4 + 1}", "DATE", False
        if unit == "weekend":
            friday = _weekday_date(5, words[0], published, future if step == 0 else step > 0)
            return f"{_week(friday)}-WE", "DATE", False
    if len(words) == 1 and words[0] in _SEASONS:
        code = _SEASONS[words[0]]
        year = published.year
        return f"{year:04d}-{code}", "DATE", False
    if m := re.fullmatch(r"(?P<season>spring|summer|fall|autumn|winter)(?:\s+of)?\s+(?P<year>\d{4})", s):
        return f"{m.group('year')}-{_SEASONS[m.group('season')]}", "DATE", False
    return None, "DATE", True


# -- expressions whose value is another expression's: "the day", "that year", "a year earlier" -------------
_DAY_ANAPHORA = re.compile(
    r"^(?:(?:late|early|later|earlier)\s+(?:in\s+)?)?(?:the\s+(?:start|end|rest)\s+of\s+)?"
    r"(?:the|that|that same|the same|a second consecutive|the second consecutive)\s+day$"
)
_PART_ANAPHORA = re.compile(
    r"^(?:(?:the|that|that same|later that|early that|late that)\s+)?(?P<part>morning|afternoon|evening|night)$"
)
_YEAR_ANAPHORA = {"that year": 0, "the same year": 0, "later that year": 0, "earlier that year": 0,
                  "that same year": 0, "the following year": 1, "the next year": 1, "a year later": 1,
                  "the previous year": -1, "the year before": -1, "the year previous": -1,
                  "the prior year": -1, "the preceding year": -1}  # fmt: skip
_QUARTER_ANAPHORA = re.compile(
    r"^(?:the|that|its|the same|the latest|the most recent|the recent|the fiscal|the latest fiscal)\s+"
    r"(?:quarter|period)$"
)
_YEAR_AGO_QUARTER = re.compile(
    r"^(?:the\s+)?(?:comparable\s+|same\s+)?(?:year[\s-]earlier|year[\s-]ago|a year (?:earlier|ago)|"
    r"last year's|year-before)(?:\s+(?:first|second|third|fourth|fiscal))?(?:\s+(?:quarter|period))?$|"
    r"^(?:the\s+)?(?:corresponding|comparable|same)\s+(?:quarter|period)\s+(?:a year (?:ago|earlier)|last year|of the (?:last|previous) year)$|"
    r"^the quarter a year (?:ago|earlier)$"
)
_QUARTER_VALUE = re.compile(r"^(?P<year>\d{4})-Q(?P<q>[1-4])$")
_YEAR_QUARTER = re.compile(r"^(?:the\s+)?(?P<year>\d{4})\s+(?:quarter|period)$")


def _clean(text: str) -> str:
    raw = " ".join(text.lower().replace("’", "'").split()).strip(" ,.;:")
    return re.sub(r"^(?:on|in|at|for|during|by|from|since|until|of)\s+", "", raw)


def _reported_quarter(published: dt.date) -> tuple[int, int]:
    """The quarter before publication's: the one a quarterly report published now is about."""
    q = (published.month - 1) // 3
    return (published.year, q) if q else (published.year - 1, 4)


def resolve_anaphora(items: list[dict], texts: list[str], published: dt.date | None) -> None:
    """Give expressions that point back at another time their value, in text order (in place).

    ``items`` are the tagger's time dicts (``value``, ``type``), ``texts`` their words. "the day" and
    "the same day" are the last day named before, else the publication day (finance news: "shares fell
    3% on the day"); "that year", "the following year" count from the last year named; "the quarter" and
    "the latest period" are the last quarter named, else the one before publication's (a quarterly report
    is about the quarter just ended); "the year-earlier quarter" and "a year earlier" after a quarter are
    that quarter a year back. TimeBank and MEANTIME annotate them so.
    """
    last_day: str | None = None
    last_year: int | None = None
    last_quarter: tuple[int, int] | None = None
    for item, text in zip(items, texts, strict=True):
        s = _clean(text)
        value = item["value"]
        if published is not None:
            if _DAY_ANAPHORA.match(s):
                value = last_day or published.isoformat()
                item["type"] = "DATE"
            elif (m := _PART_ANAPHORA.match(s)) and last_day is not None:
                value = f"{last_day}T{PARTS_OF_DAY[m.group('part')]}"  # "that night", after "on Friday"
                item["type"] = "TIME"
            elif s in _YEAR_ANAPHORA:
                base = last_year if last_year is not None else published.year
                value = f"{base + _YEAR_ANAPHORA[s]:04d}"
                item["type"] = "DATE"
            elif _QUARTER_ANAPHORA.match(s):
                year, q = last_quarter or _reported_quarter(published)
                value = f"{year:04d}-Q{q}"
                item["type"] = "DATE"
            elif m := _YEAR_QUARTER.match(s):
                q = (last_quarter or _reported_quarter(published))[1]
                value = f"{m.group('year')}-Q{q}"
                item["type"] = "DATE"
            elif _YEAR_AGO_QUARTER.match(s) and (last_quarter is not None or "quarter" in s or "period" in s):
                year, q = last_quarter or _reported_quarter(published)
                if m := re.search(r"\b(first|second|third|fourth)\b", s):
                    q = _ORDINALS[m.group(1)]
                value = f"{year - 1:04d}-Q{q}"
                item["type"] = "DATE"
        item["value"] = value
        if value and item["type"] in ("DATE", "TIME"):
            if re.match(r"^\d{4}-\d{2}-\d{2}", value):
                last_day = value[:10]
            if re.match(r"^\d{4}", value):
                last_year = int(value[:4])
            if m := _QUARTER_VALUE.match(value):
                last_quarter = (int(m.group("year")), int(m.group("q")))
