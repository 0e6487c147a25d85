"""The rules that decide whether two event mentions, or two quotes, are the same event or quotation.

Pure functions on plain values, no database: :mod:`tacitus.store.clusters` fetches candidates with indexed
SQL and asks these functions which one (if any) a new mention joins; the scorer
(:mod:`tacitus.evaluate.clusters`) and the tests call them directly too. Every threshold is a named
constant below, with the data it was measured on; ``docs/clusters.md`` has the figures.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

# -- events ----------------------------------------------------------------------------------------------

EVENT_WINDOW_DAYS = 2
"""Two mentions of one event lie at most this many days apart (each dated by the event's own day, else by
its article's publication day). Outlets date an event they report a day or two late, and an undated event
is dated by publication; see docs/clusters.md for the figures behind 2."""

MAX_PLACE_KM = 400.0
"""Two mentions whose places both have coordinates farther apart than this are two events (two cities'
protests), even with the same actors and code."""

MIN_EVENT_OVERLAP = 0.2
"""Of the content words of the shorter of two sentences (names, nouns, verbs; not stop words nor the
actors' country words), at least this share must be in the other: "Trump criticised Congress" on the tariff
and on the wall are two events that only their words tell apart."""

MERGE_SAME_ARTICLE = True
"""Two mentions in one article with the same key are one event told twice (the lede and a later
paragraph), unless their words say otherwise; see docs/clusters.md for the measurement."""

# -- quotes ----------------------------------------------------------------------------------------------

QUOTE_WINDOW_DAYS = 30
"""A quotation is looked for among its speaker's clusters quoted within this many days: outlets repeat a
line for weeks, and the window keeps the candidates of a much-quoted speaker few."""

MIN_QUOTE_TOKENS = 4
"""A quote of fewer words than this ("No.", "We will see.") is too short to tell which quotation it is;
it stays on its own."""

QUOTE_CONTAINMENT = 0.8
"""Two quotes of one speaker are one quotation when this share of the shorter one's words is in the longer
(an outlet trims a quotation, or cuts it in two)."""

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)

# Function words and reporting words that two unrelated sentences share by chance.
STOP_WORDS = frozenset(
    """
    a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just me more
    most my myself no nor not now of off on once only or other our ours ourselves out over own same she
    should so some such than that the their theirs them themselves then there these they this those
    through to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves said says say told tell according mr mrs ms dr also would
    could one two new last first year years time week day days monday tuesday wednesday thursday friday
    saturday sunday s t don didn doesn isn wasn won
    """.split()
)


def country_part(code: str | None) -> str | None:
    """The country (or IGO, NGO, ...) block of a CAMEO actor code: its first three letters, upper case.

    None for no code and for a code that claims no country (``---GOV``, an unnamed government).
    """
    if not code or len(code) < 3 or code.startswith("---"):
        return None
    return code[:3].upper()


def iso_day(value: str | None) -> date | None:
    """The date of a full ISO day (``2017-12-14``, optionally followed by a time); None for anything else
    (a month, a week, ``PAST_REF``), which cannot place a mention within a window of days."""
    if not value or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def fold(text: str) -> str:
    """Lower case without accents, for comparing words and names across outlets' spellings."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@functools.lru_cache(maxsize=65536)
def content_words(text: str | None) -> frozenset[str]:
    """The folded words of ``text`` that carry content: not stop words, not numbers, two letters or more."""
    if not text:
        return frozenset()
    words = (w.replace("’", "'") for w in _WORD.findall(fold(text)))
    return frozenset(
        w.removesuffix("'s") for w in words if len(w) > 1 and not w.isdigit() and w not in STOP_WORDS
    )


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """The share of the smaller set's words found in the other (0.0 when either is empty)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True)
class Mention:
    """One stored event as the clustering sees it: its key, its day, its place and its words."""

    pk: int
    article_pk: int
    root: str
    code: str
    source_country: str | None
    target_country: str | None
    negated: bool
    day: date | None
    place_country: str | None = None
    lat: float | None = None
    lon: float | None = None
    words: frozenset[str] = field(default_factory=frozenset)

    @property
    def key(self) -> tuple[str, str | None, str | None, bool]:
        """What two mentions of one event must share exactly (candidates are fetched by it)."""
        return (self.root, self.source_country, self.target_country, self.negated)


def places_compatible(a: Mention, b: Mention) -> bool:
    """Same country or one unknown; both with coordinates: no farther apart than :data:`MAX_PLACE_KM`."""
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return False
    if None not in (a.lat, a.lon, b.lat, b.lon):
        return km_between(a.lat, a.lon, b.lat, b.lon) <= MAX_PLACE_KM  # type: ignore[arg-type]
    return True


def event_score(new: Mention, member: Mention) -> float | None:
    """How well ``new`` matches ``member`` of a cluster (higher is better), or None when they cannot be one
    event: another key, days farther apart than the window, incompatible places, too few shared words.

    Mentions of one article match only when :data:`MERGE_SAME_ARTICLE` allows it.
    """
    if new.key != member.key:
        return None
    if new.article_pk == member.article_pk and not MERGE_SAME_ARTICLE:
        return None
    if new.day is None or member.day is None:
        # no day to place it: only another mention in the same article can be the same event
        if new.article_pk != member.article_pk:
            return None
        gap = 0
    else:
        gap = abs((new.day - member.day).days)
        if gap > EVENT_WINDOW_DAYS:
            return None
    if not places_compatible(new, member):
        return None
    shared = overlap(new.words, member.words)
    if shared < MIN_EVENT_OVERLAP:
        return None
    # words first; a nearer day breaks ties
    return shared - gap * 0.01


# -- quotes ----------------------------------------------------------------------------------------------

_TITLES = frozenset(
    "mr mrs ms dr president prime minister sen senator rep gov governor secretary gen general "
    "lt col sir lord king queen prince pope chancellor ambassador".split()
)


def speaker_key(code: str | None, name: str | None) -> str | None:
    """What two quotes' speakers must share: the speaker's actor code, else the folded name without
    titles; None when the quote has no speaker (such quotes are not clustered)."""
    if code:
        return code.upper()
    words = [w for w in _WORD.findall(fold(name or "")) if w not in _TITLES]
    return " ".join(words) or None


def names_compatible(a: str | None, b: str | None) -> bool:
    """Two speakers' names can be one person: one is unknown, or they share a word other than a title
    ("Vladimir Putin" and "Mr. Putin"). Keeps two officials of one government code apart."""
    wa = {w for w in _WORD.findall(fold(a or "")) if w not in _TITLES and len(w) > 1}
    wb = {w for w in _WORD.findall(fold(b or "")) if w not in _TITLES and len(w) > 1}
    return not wa or not wb or bool(wa & wb)


@functools.lru_cache(maxsize=65536)
def quote_words(text: str | None) -> frozenset[str]:
    """The folded words of a quote, stop words included (a quotation is its exact words)."""
    if not text:
        return frozenset()
    return frozenset(w.replace("’", "'") for w in _WORD.findall(fold(text)))


@dataclass(frozen=True)
class QuoteMention:
    """One stored quote as the clustering sees it."""

    pk: int
    article_pk: int
    speaker_key: str
    speaker_name: str | None
    day: date | None
    words: frozenset[str]


def quote_score(new: QuoteMention, member: QuoteMention) -> float | None:
    """How well quote ``new`` matches ``member`` (the share of the shorter's words in the other), or None
    when they are not one quotation: another speaker, too short, too different."""
    if new.speaker_key != member.speaker_key or not names_compatible(new.speaker_name, member.speaker_name):
        return None
    if min(len(new.words), len(member.words)) < MIN_QUOTE_TOKENS:
        return None
    shared = overlap(new.words, member.words)
    return shared if shared >= QUOTE_CONTAINMENT else None
