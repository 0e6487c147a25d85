"""The rules that decide whether two event mentions are the same event (the quotes' are in
:mod:`tacitus.store.quote_rules`, the words both compare in :mod:`tacitus.store.cluster_words`).

Pure functions on plain values, no database: :mod:`tacitus.store.clusters` fetches candidates with indexed
SQL and asks these functions which one (if any) a new mention joins; the scorer
(:mod:`tacitus.evaluate.clusters`) and the tests call them directly too. Every threshold is a named
constant below, with the data it was measured on; ``docs/clusters.md`` has the figures.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from tacitus.model import iso_date as iso_day  # noqa: F401 - the rules read stored days as dates; tools import it here
from tacitus.store.cluster_words import content_words, name_words, story_similarity, weighted_overlap
from tacitus.timex import days_outside

# -- events ----------------------------------------------------------------------------------------------

EVENT_WINDOW_DAYS = 3
"""Two mentions of one event lie at most this many days apart (each dated by the event's own day, else by
its article's publication day): outlets report an event a day or two late and recall it for days after,
and most events carry no date of their own. On the 224 dev pairs (drawn up to 3 days apart to measure
this): 2 days give P 0.848 / R 0.650, 3 days 0.875 / 0.700, 4 days 0.872 / 0.683 (docs/clusters.md)."""

MAX_PLACE_KM = 400.0
"""Two mentions whose places both have coordinates farther apart than this are two events (two cities'
protests), even with the same actors and code."""

MIN_EVENT_SIMILARITY = 0.32
"""The least :func:`event_similarity` (IDF-weighted share of the shorter sentence's words found in the
other, plus :data:`SAME_CODE_BONUS`, less :data:`DAY_PENALTY` a day) for two mentions to be one event.
Set on the dev half of the labelled AllSides pairs; docs/clusters.md has the precision and recall of
other values."""

SAME_CODE_BONUS = 0.05
"""Added to the similarity when the two mentions have the same full CAMEO code, not only the same root."""

DAY_PENALTY = 0.02
"""Taken from the similarity for each day between the two mentions."""

CROSS_ROOT_SIMILARITY = 0.6
"""Two mentions with different roots are still one event when both name the same two countries and
their sentences share at least this much (:func:`weighted_overlap`): one outlet's "will endorse" (032) is
another's "endorsed" (051), one visit is coded 036 and 042."""

SAME_ACTORS_SIMILARITY = 0.20
"""The least :func:`event_similarity` for two mentions of the same root whose actors have the same full
codes on both sides (``USAGOV`` and ``ISR``, not only the countries), at least one side known: the same
participants are evidence of their own. Set on the dev pairs (docs/clusters.md): 0.25 until two persons
named on one side (:func:`other_people`) and hypothetical acts (:data:`UNREAL_MOODS`) were kept apart,
which removed the false merges that had kept it there; 0.20 then adds 3 dev merges and no false one."""

SAME_STORY = 0.70
"""Two articles whose :func:`story_similarity` reaches this tell the same story: their mentions of one root
need only :data:`SAME_STORY_SIMILARITY` of shared sentence words. Set on the dev pairs and BASIL
(docs/clusters.md): lower values link more BASIL stories but merge the occurrences of one story that
AllSides articles tell side by side (two officers shot in one manhunt)."""

SAME_STORY_SIMILARITY = 0.20
"""The least :func:`event_similarity` for two mentions of articles telling the same story."""

OTHER_STORY = 0.10
"""Two articles whose :func:`story_similarity` is below this tell different stories: their mentions are one
event only when their sentences share at least :data:`OTHER_STORY_SIMILARITY` (an article on another
story that recalls the event in the same words). On BASIL, 0.95 of the pairs of articles of one story
within two days are above 0.28, 0.90 of the pairs of two stories below 0.21 (docs/clusters.md)."""

OTHER_STORY_SIMILARITY = 0.6
"""The least :func:`event_similarity` for two mentions whose articles tell different stories."""

RECALLED_DAYS = 2
"""An event dated this many days or more before its article was published is a recalled act
(:attr:`Mention.recalled`)."""

SAME_PAST_DAY_SIMILARITY = 0.20
"""The threshold when both mentions are recalled acts of the same day: two articles naming one past day
for acts of one key tell of one act, even in other words and in articles of other stories ("attacked the
U.S. consulate in Benghazi on Tuesday" and "the Sept. 11, 2012, Benghazi attack on the U.S. Consulate")."""

TOLL_RATIO = 2.0
"""Two counted groups on one side whose numbers differ by this factor or more are two groups of people,
two tolls ("four people were killed" at the market, "Twelve people were killed" at the magazine, "at
least three people had been killed", "wounded at least six"): within the window an outlet's updated toll
grows by less (at least 12, then 17). On the 398 dev pairs, 18 hold two counted groups of different
numbers on one side: 15 are labelled diff (3 of them were merged), 3 same (ratios 1.3, 1.3, and 3 for
"three women" among "Nine US citizens", a part named for the whole). :func:`other_people` applies it, to
the pair and to every member of a cluster a mention would join."""

MERGE_SAME_ARTICLE = False
"""Whether two mentions of one article are weighed like two articles' mentions. Off: of the labelled
same-article pairs with the same key, most are a gallery's captions or a timeline's entries, different
occurrences sharing their furniture (docs/clusters.md); such mentions are one event only as
:data:`SAME_ARTICLE_SIMILARITY` says."""

SAME_ARTICLE_SIMILARITY = 0.35
"""Two mentions of one article with the same root are one event when their sentences share at least this
much (:func:`weighted_overlap`) and neither is a gallery caption (:func:`tacitus.captions.is_caption`): an article that
tells an event twice tells it in like words (a quotation and its paraphrase, a summary line and its
paragraph: "Trump pulled America out of the deal in May 2018"). Set on the dev pairs (docs/clusters.md):
there no two different events of one article outside galleries share more than 0.30 of their weight,
while captions of two scenes share up to 0.62; at 0.6 dev recall is 0.617, at 0.4 0.650 (precision 0.841
and 0.848), at 0.32 0.700 but one article's two tolls become one event. With the mood and person rules
0.35 adds 3 dev merges (a massacre's toll told twice, Barr's conclusion quoted and paraphrased) and no false
one."""

UNREAL_MOODS = frozenset({"hypothetical", "demanded"})
"""Moods of a mention that is not an occurrence: what may happen ("if Ukraine pursued an investigation",
"the US and Canada may agree") or what someone demands be done. Such a mention is never the same event as
an occurrence (the labelling convention of docs/clusters.md), whatever words they share. On the 224 dev
pairs, 14 pairs join a hypothetical mention and an asserted or reported one: none is labelled same, two
were merged. ``intended`` is left out: the extractor gives it to one leg of a trip under way ("Obama will
also visit the West Bank during his trip"), and 3 of the 18 such dev pairs are one event."""


def country_part(code: str | None) -> str | None:
    """The country (or IGO, NGO, ...) block of a CAMEO actor code: its first three letters, upper case.

    None for no code and for a code that claims no country (``---GOV``, an unnamed government).
    """
    if not code or len(code) < 3 or code.startswith("---"):
        return None
    return code[:3].upper()


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine, mean Earth radius 6371 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


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
    source_code: str | None = None
    target_code: str | None = None
    story: dict[str, float] | None = field(default=None, compare=False, hash=False)
    """The article's :func:`story_terms` (None when not known: a store from before revision 0011)."""
    caption: bool = False
    """Whether the sentence is a gallery's caption (:func:`tacitus.captions.is_caption`)."""
    mood: str = "asserted"
    """The event's mood (``tacitus.model.MOODS``): see :data:`UNREAL_MOODS`."""
    source_person: frozenset[str] | None = None
    """The source's name words when it is a person named in the sentence (:func:`named_person`)."""
    target_person: frozenset[str] | None = None
    """The target's name words, likewise."""
    source_group: bool = False
    """Whether the source is a counted group ("three people", "at least 17 people"): :func:`counted_group`."""
    target_group: bool = False
    """The target, likewise."""
    source_count: int | None = None
    """How many people a counted-group source names (:func:`group_count`), None when not said."""
    target_count: int | None = None
    """The target, likewise."""
    place_named: bool = True
    """Whether the place is named in the mention's own sentence, rather than taken from the article's
    dateline or lead (:func:`place_named`)."""
    period: tuple[date, date] | None = None
    """The first and last day of the event's :attr:`tacitus.model.Event.period` ("in 2007", "last week"),
    when its clause gives a time coarser than a day; ``day`` is then the article's day (:func:`day_gap`)."""
    dated: bool = True
    """Whether ``day`` is the event's own date (said in its sentence or the dateline) rather than its
    article's publication day."""
    recalled: bool = False
    """Whether ``day`` is the event's own date and at least :data:`RECALLED_DAYS` before its article's
    publication: an act of an earlier day told again ("the Sept. 11, 2012, Benghazi attack")."""
    repeated: bool = False
    """Whether the sentence tells repeated acts, a summary rather than one act ("has
    long threatened", "met several times": :attr:`tacitus.model.Event.repeated`; :func:`one_and_many`)."""


def place_named(place_name: str | None, words: frozenset[str]) -> bool:
    """Whether a mention's place is named in its sentence (``words``: the sentence's
    :func:`content_words`): every content word of the place's name is there. A place the sentence does
    not name came from the article's dateline or lead: where the outlet filed from ("WASHINGTON —" over
    "Soleimani was killed near the Baghdad airport"), not where a recalled event happened."""
    name = content_words(place_name)
    return bool(name) and name <= words


def named_person(name: str | None, kind: str | None, words: frozenset[str]) -> frozenset[str] | None:
    """An actor's name words (folded, without titles) when it is a person (``kind``) whose name the
    sentence itself carries (``words``: its :func:`content_words`), else None. A person the extractor
    reached through a pronoun ("during his second trip") may be the wrong one, so only a name the sentence
    shows counts as evidence."""
    if kind != "person":
        return None
    named = name_words(name)
    return named if named & words else None


_COUNT_WORDS = "two three four five six seven eight nine ten eleven twelve"
_NUMBER_WORDS = {w: n for n, w in enumerate(_COUNT_WORDS.split(), start=2)}
_COUNTED = re.compile(
    r"(?:(?:at least|more than|as many as|about|nearly|almost|some|another|over|up to)\s+)*"
    rf"(?P<count>\d[\d,]*|{'|'.join(_NUMBER_WORDS)}|dozens|hundreds|thousands)"
    r"(?:\s+more)?\b",
    re.IGNORECASE,
)


def counted_group(name: str | None) -> bool:
    """Whether an actor's name counts people ("three people", "Five more people", "at least 17 people",
    "dozens of protesters"): a group of several, never one named person (:func:`other_people`)."""
    return bool(name) and _COUNTED.match(name) is not None  # type: ignore[arg-type]


def group_count(name: str | None) -> int | None:
    """The number of people a counted group names ("at least 17 people": 17, "Twelve people": 12), None
    for a name that counts no one or gives no exact number ("dozens of protesters")."""
    match = _COUNTED.match(name) if name else None
    if match is None:
        return None
    count = match["count"].replace(",", "").lower()
    return int(count) if count.isdigit() else _NUMBER_WORDS.get(count)


def different_tolls(a: Mention, b: Mention) -> bool:
    """Whether a side holds two counted groups whose numbers differ by :data:`TOLL_RATIO` or more."""
    for x, y in ((a.source_count, b.source_count), (a.target_count, b.target_count)):
        if x and y and max(x, y) >= TOLL_RATIO * min(x, y):
            return True
    return False


VIOLENCE_ROOTS = frozenset({"18", "19", "20"})
"""CAMEO's roots of violence (assault, fight, mass violence), whose parties' kinds tell acts apart."""

ARMED_SIDES = {
    **dict.fromkeys(("MIL", "COP", "SPY"), "state forces"),
    **dict.fromkeys(("UAF", "REB", "INS"), "armed groups"),
    **dict.fromkeys(
        ("CVL", "PPL", "HLH", "EDU", "BUS", "MED", "JUD", "LAB", "REF", "REL", "AGR"), "civilians"
    ),
}
"""The kind of party a CAMEO sector code names in a violent act: state forces, armed groups or civilians.
Officials (GOV, LEG, ELI, ...) are left out: an ambassador killed is one of "four Americans" killed."""


def side_kind(code: str | None) -> str | None:
    """:data:`ARMED_SIDES` of an actor code's first sector ("CANMIL": state forces), None when it has none or
    another."""
    return ARMED_SIDES.get(code[3:6]) if code and len(code) >= 6 else None


def other_sides_of_violence(a: Mention, b: Mention) -> bool:
    """Whether two violent acts have parties of other kinds on one side (:func:`side_kind`): "Police later
    killed the man" and "a gunman killed that lone soldier", "at least two people were killed in clashes"
    and "an Egyptian soldier was killed", Turkish strikes on Kurdish fighters and on the army: who killed and
    who was killed are what tells the acts of one day of violence apart. On the dev pairs 4 violent pairs
    have parties of other kinds so, all labelled diff, 3 of them merged; the 7 labelled same differ within a
    kind ("nine US citizens" CVL and "Nine people" PPL) or name an official."""
    if a.root not in VIOLENCE_ROOTS or b.root not in VIOLENCE_ROOTS:
        return False
    for x, y in ((a.source_code, b.source_code), (a.target_code, b.target_code)):
        kx, ky = side_kind(x), side_kind(y)
        if kx and ky and kx != ky:
            return True
    return False


def other_people(a: Mention, b: Mention) -> bool:
    """Whether the two mentions name two different persons on one side (no name word in common:
    "Premier Li Keqiang" and "President Xi Jinping" met that day, one meeting each): two acts of one day
    and dyad, whatever words their sentences share. "Qasem Soleimani" and "Qassem Soleimani", "Mr. Putin"
    and "Vladimir Putin" share a word. On the 224 dev pairs, 21 pairs name two persons on one side in their
    sentences, all labelled diff (one had been merged: Li and Xi); counting persons reached through a
    pronoun would have caught two pairs labelled same (a pronoun resolved to the wrong senator or
    official), which :func:`named_person` leaves out."""
    for x, y in ((a.source_person, b.source_person), (a.target_person, b.target_person)):
        if x and y and not x & y:
            return True
    # two counts far apart on one side are two groups of people (TOLL_RATIO)
    if different_tolls(a, b):
        return True
    if other_sides_of_violence(a, b):
        return True
    # one named person and a counted group on one side: "Coulibaly was killed" and "Five more people were
    # killed" are two tolls of one story, "Collier was killed" and "The blasts killed three people" too
    return bool(
        (a.source_person and b.source_group)
        or (b.source_person and a.source_group)
        or (a.target_person and b.target_group)
        or (b.target_person and a.target_group)
    )


def one_and_many(a: Mention, b: Mention) -> bool:
    """Whether one mention tells one act and the other a summary of many (:attr:`Mention.repeated`): "Mr.
    Erdogan has long threatened to send troops into Syria" is not his announcement of the offensive, "the
    U.S. has targeted Al-Shabaab leaders at least twice in the past year" not one strike, whatever words
    they share. Two summaries may be one (one outlet's line recalled by another)."""
    return a.repeated != b.repeated


def moods_compatible(a: Mention, b: Mention) -> bool:
    """Both mentions occurrences, or both not (:data:`UNREAL_MOODS`): a hope or a demand is not the act."""
    return (a.mood in UNREAL_MOODS) == (b.mood in UNREAL_MOODS)


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def quad_class(root: str) -> int:
    """CAMEO's QuadClass of a root (here rather than :func:`tacitus.ontology.quad_class_of`, which raises on
    an unknown code, where clustering must go on): 1 verbal cooperation (01-05), 2 material cooperation (06-08), 3 verbal
    conflict (09-13), 4 material conflict (14-20)."""
    n = int(root) if root.isdigit() else 0
    return 1 if n <= 5 else 2 if n <= 8 else 3 if n <= 13 else 4


def countries_compatible(a: Mention, b: Mention) -> bool:
    """Each country the same or unknown in one of the two, and at least one known country shared on the same
    side, so that "China offered" (CHN, None) never meets "offered China" (None, CHN)."""
    if (a.source_country, a.target_country) == (b.source_country, b.target_country):
        return True
    shared = (a.source_country is not None and a.source_country == b.source_country) or (
        a.target_country is not None and a.target_country == b.target_country
    )
    return (
        shared
        and _compatible(a.source_country, b.source_country)
        and _compatible(a.target_country, b.target_country)
    )


def keys_compatible(a: Mention, b: Mention) -> bool:
    """Same negation; each country the same, or unknown in one of them (an actor one outlet names and
    another leaves out: "Israeli troops killed ..." and "... were killed at the border"); the same root, or
    another root with the same two known countries (whether the words are enough is :func:`event_match`'s
    call: :data:`CROSS_ROOT_SIMILARITY`). Another root of one QuadClass in articles of one story was
    accepted until 2026-12-05: read, every cross-outlet cluster it made on BASIL joined two acts, and it made
    no merge on the dev pairs (docs/clusters.md)."""
    if a.negated != b.negated:
        return False
    if a.root != b.root:
        return same_dyad(a, b)
    return countries_compatible(a, b)


def same_dyad(a: Mention, b: Mention) -> bool:
    """Both countries known, and the same in both mentions."""
    return (
        a.source_country is not None
        and a.target_country is not None
        and (a.source_country, a.target_country) == (b.source_country, b.target_country)
    )


def same_actors(a: Mention, b: Mention) -> bool:
    """The same full actor codes on both sides, and at least one side known."""
    return (a.source_code, a.target_code) == (b.source_code, b.target_code) and (
        a.source_code is not None or a.target_code is not None
    )


def reversed_actors(a: Mention, b: Mention) -> bool:
    """Both actors known in both mentions, different, and each one's source the other's target: "Hagel
    thanked the President" and "Obama thanked Hagel" are two acts, though their countries are the same."""
    return (
        None not in (a.source_code, a.target_code)
        and a.source_code != a.target_code
        and (a.source_code, a.target_code) == (b.target_code, b.source_code)
    )


def places_compatible(a: Mention, b: Mention) -> bool:
    """Same country or one unknown; both with coordinates: no farther apart than :data:`MAX_PLACE_KM`.
    Only places both sentences name are compared (:func:`place_named`): an article's dateline says where
    it was written, not where the event it recalls took place."""
    if not (a.place_named and b.place_named):
        return True
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return False
    if None not in (a.lat, a.lon, b.lat, b.lon):
        return km_between(a.lat, a.lon, b.lat, b.lon) <= MAX_PLACE_KM  # type: ignore[arg-type]
    return True


def captions_apart(a: Mention, b: Mention, one_article: bool) -> bool:
    """Whether gallery captions keep two mentions apart. Two captions that both say a day of their own are
    two acts when the days differ, in one gallery or in two ("fire damage on Sept 12", "the bodies returned
    at Andrews on Sept 14"), and may be one when they say the same day ("Flames erupt outside of a building
    on September 11", "People duck flames outside a building on September 11"). In one article, a caption
    beside the text or a caption saying no day of its own is apart: a gallery's captions show other acts
    ("on December 5", "on December 18")."""
    if not a.caption and not b.caption:
        return False
    if a.caption and b.caption and a.dated and b.dated:
        return captions_of_two_days(a, b) or (one_article and a.day is None)
    return one_article


def captions_of_two_days(a: Mention, b: Mention) -> bool:
    """Whether both mentions are captions that each state a day of their own, and not the same day: two
    photos of two acts, whichever members of a cluster they meet through (:func:`captions_apart` keeps a
    caption from joining such a member directly; this keeps a cluster from holding both through others).
    On the 579 dev pairs: one false merge fewer (the Odessa police station stormed on 4 May, the Donetsk
    prosecutor's office on 1 May, through a third caption), no merge lost; applying all of
    :func:`captions_apart` to members lost 2 merges for that one."""
    return a.caption and b.caption and a.dated and b.dated and a.day != b.day


def recalled(day: date | None, published: date | None) -> bool:
    """Whether an event of its own ``day`` is told at least :data:`RECALLED_DAYS` after it happened, by an
    article ``published`` then (:attr:`Mention.recalled`)."""
    return day is not None and published is not None and (published - day).days >= RECALLED_DAYS


def day_gap(a: Mention, b: Mention) -> int | None:
    """How many days apart two mentions are, None when either has no day. A mention with a
    :attr:`~Mention.period` is as far from the other as the other's day (or period) lies outside it: "last
    week the government blamed the Brotherhood" is 0 days from a report of any day of that week and 5 from
    one of the Friday after; "defended the program in 2007" years from any report of 2017. Both with a
    period: 0 when they overlap, else the days between them."""
    if a.period is None and b.period is None:
        return _days_apart(a, b)
    if a.period is not None and b.period is not None:
        (a1, a2), (b1, b2) = a.period, b.period
        return max(0, (b1 - a2).days, (a1 - b2).days)
    bounds, other = (a.period, b) if a.period is not None else (b.period, a)
    if other.day is None:
        return None
    if not other.dated:
        # an undated mention is not of its article's day, only reported then: "Iran's 2015 agreement" in
        # one outlet is "Iran's agreement" in another; their articles' days are compared
        return _days_apart(a, b)
    return days_outside(other.day, bounds)  # type: ignore[arg-type]


def _days_apart(a: Mention, b: Mention) -> int | None:
    return None if a.day is None or b.day is None else abs((a.day - b.day).days)


MERGE_SIMILARITY = 0.40
"""A mention that joins one cluster and matches a member of another this well (its :func:`event_match`
score), every member of both fitting together, joins the two (``tacitus.store.clusters``): one event whose
first reports had too few words in common. On the dev pairs: 0.35, 0.40, 0.45, 0.6 and 0.8 gave 2, 4, 3,
1 and 0 merges more and no false merge; any match (the threshold of the basis, down to 0.20) 7 more and 6
false."""

OTHER_CODE_SIMILARITY = 0.10
"""A member of another full CAMEO code whose sentence shares less than this with a mention's keeps the
mention out of its cluster (:func:`told_apart`)."""


def told_apart(a: Mention, b: Mention) -> bool:
    """Whether two mentions that may meet through other members of a cluster are told as two acts: other
    full codes and next to no words in common (:data:`OTHER_CODE_SIMILARITY`). A mention joins the cluster
    of the member it matches best, and every other member need only have compatible keys; so "Erdogan
    announced Wednesday that the Turkish Armed Forces will lead a military offensive" (138) and "He
    threatened to open the gates" (130), each like a third report, had become one event. On the dev pairs
    10 of 22 false merges were made through other members; this check undid 4 of them and lost no merge."""
    return a.code != b.code and weighted_overlap(a.words, b.words) < OTHER_CODE_SIMILARITY


def event_similarity(a: Mention, b: Mention, gap: int = 0) -> float:
    """:func:`weighted_overlap` of the two sentences' words, plus :data:`SAME_CODE_BONUS` for the same
    full code, less :data:`DAY_PENALTY` for each of the ``gap`` days between them."""
    bonus = SAME_CODE_BONUS if a.code == b.code else 0.0
    return weighted_overlap(a.words, b.words) + bonus - DAY_PENALTY * gap


MATCH_BASES = (
    "same-article", "cross-root", "other-story", "same-story", "same-actors", "words", "same-past-day", "merged",
)  # fmt: skip
"""What let a mention join its cluster (:func:`event_match`), stored with it as ``events.cluster_basis``: two
mentions of one article (:data:`SAME_ARTICLE_SIMILARITY`), another root with the same two countries
(:data:`CROSS_ROOT_SIMILARITY`), articles of different stories (:data:`OTHER_STORY_SIMILARITY`), of one
story (:data:`SAME_STORY_SIMILARITY`), the same full actor codes (:data:`SAME_ACTORS_SIMILARITY`), the
words alone (:data:`MIN_EVENT_SIMILARITY`), two recalls of one past day (:data:`SAME_PAST_DAY_SIMILARITY`);
``merged`` for the mention that had started a cluster joined to another by a later report matching both
(:data:`MERGE_SIMILARITY`; its ``cluster_via`` is that report)."""


def event_match(new: Mention, member: Mention) -> tuple[float, str] | None:
    """How well ``new`` matches ``member`` of a cluster (higher is better) and on what basis (one of
    :data:`MATCH_BASES`), or None when they cannot be one event: incompatible keys, actors with their roles
    reversed (:func:`reversed_actors`), one act against a summary of many (:func:`one_and_many`), days farther apart than the window, incompatible places, or a
    similarity below the threshold. Two mentions of one article (unless :data:`MERGE_SAME_ARTICLE`) need
    the same root, no gallery caption and :data:`SAME_ARTICLE_SIMILARITY`. Otherwise the threshold is
    :data:`MIN_EVENT_SIMILARITY`; :data:`SAME_ACTORS_SIMILARITY` for the same full actor codes
    (:func:`same_actors`); :data:`OTHER_STORY_SIMILARITY` when the two articles tell different stories
    (:func:`story_similarity` below :data:`OTHER_STORY`), which no shared participants relax.
    """
    if (
        not keys_compatible(new, member)
        or reversed_actors(new, member)
        or not moods_compatible(new, member)
        or one_and_many(new, member)
        or other_people(new, member)
    ):
        return None
    one_article = new.article_pk == member.article_pk and not MERGE_SAME_ARTICLE
    if (one_article and new.root != member.root) or captions_apart(new, member, one_article):
        return None
    gap = day_gap(new, member)
    if gap is None:
        # no day to place it: only another mention in the same article can be the same event
        if new.article_pk != member.article_pk:
            return None
        gap = 0
    elif gap > EVENT_WINDOW_DAYS:
        return None
    if not places_compatible(new, member):
        return None
    if one_article:
        shared = weighted_overlap(new.words, member.words)
        if shared < SAME_ARTICLE_SIMILARITY:
            return None
        return event_similarity(new, member, gap), "same-article"
    story = story_similarity(new.story, member.story) if new.article_pk != member.article_pk else None
    other_story = story is not None and story < OTHER_STORY
    same_story = story is not None and story >= SAME_STORY
    if new.root != member.root:
        shared = weighted_overlap(new.words, member.words)
        if same_dyad(new, member) and shared >= CROSS_ROOT_SIMILARITY:
            return shared - DAY_PENALTY * gap, "cross-root"
        return None
    score = event_similarity(new, member, gap)
    if new.recalled and member.recalled and new.day == member.day:
        # both say the same earlier day: as strong as the same participants, whatever their articles' stories
        threshold, basis = SAME_PAST_DAY_SIMILARITY, "same-past-day"
    elif other_story:
        threshold, basis = OTHER_STORY_SIMILARITY, "other-story"
    elif same_story:
        threshold, basis = min(SAME_STORY_SIMILARITY, SAME_ACTORS_SIMILARITY), "same-story"
    elif same_actors(new, member):
        threshold, basis = SAME_ACTORS_SIMILARITY, "same-actors"
    else:
        threshold, basis = MIN_EVENT_SIMILARITY, "words"
    return (score, basis) if score >= threshold else None


def event_score(new: Mention, member: Mention) -> float | None:
    """The score of :func:`event_match`, or None when the two cannot be one event."""
    match = event_match(new, member)
    return None if match is None else match[0]
