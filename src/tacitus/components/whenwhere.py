"""When and where a clause happened: the day and the place of an event's trigger or a quote's cue.

Both events and quotes ask the same questions of the clause around a token (the date that governs it, the
place phrase in it or in the clause that reports it, else the article's dateline), so the answers live
here, below both components.
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.tokens import Doc, Token

from tacitus.captions import is_caption
from tacitus.components.time import WEEKDAYS, _parse_published, dateline_date
from tacitus.timex import is_day, period_bounds


def clause_date(doc: Doc, tok: Token) -> tuple[str | None, tuple[int, int] | None]:
    """The day of ``tok``'s clause (a quote's cue) and the character span of the expression that gives it:
    the date of its own clause, else the only date of a clause above it, else the dateline's day;
    ``(None, None)`` when none is known. Times coarser than a day are not looked at (:func:`clause_time`)."""
    day, _period, span = clause_time(doc, tok, periods=False)
    return day, span


def clause_time(
    doc: Doc, tok: Token, *, periods: bool = True
) -> tuple[str | None, str | None, tuple[int, int] | None]:
    """When ``tok``'s clause (an event's trigger) happened: ``(day, period, span)``. ``day`` is the ISO
    day of its own clause's date, else of the only date of a clause above it, else the dateline's day.
    When the clause's own time is coarser than a day ("in 2007", "last week", "in October"; with
    ``periods``), ``day`` is None and ``period`` that time's value ("2007", "2017-W49", "2017-10"): the
    act is not of the day the article was filed, which the dateline would have said. ``span`` is the
    character span of the expression used, None for the dateline's day and when nothing is known."""
    sent = tok.sent
    in_sentence = [
        t for t in doc._.times or [] if sent.start <= t["tokens"][0] and t["tokens"][1] <= sent.end
    ]
    # an event date is a day ("Thursday night" is 2017-12-14TNI, "at 10 a.m." 2017-12-14T10:00: the day)
    # (not a bound: "asked for the report by April 2", "put off the decision until after the Dec. 12
    # election" happened before those days)
    candidates = [
        t
        for t in in_sentence
        if t["type"] != "SET" and is_day(t["value"]) and not _a_bound(doc, t, _DAY_BOUND_WORDS)
    ]
    coarse = (
        [
            t
            for t in in_sentence
            if t["type"] == "DATE" and period_bounds(t["value"]) is not None and not _a_bound(doc, t)
        ]
        if periods
        else []
    )
    if not candidates and not coarse:
        return _with_period(_dateline_default(doc))

    def owner(t: dict) -> Token:
        """The verb (or the trigger itself, for a noun trigger) whose clause the date belongs to; for a
        date that qualifies a noun ("after last night's airstrike", "the Monday vote"), that noun, unless
        the noun is the trigger's subject or object ("Monday's attack killed five") or the trigger's act
        happened in it ("were killed in the Sept. 11 attack", "during Friday's meeting")."""
        node = doc[t["tokens"][0] : t["tokens"][1]].root
        deadline = _deadline_of(node)
        if deadline is not None:
            return deadline  # "set a July 7 deadline", "a deadline of May 1": that day is the deadline's
        if node.dep_ in ("poss", "compound", "nmod") and node.head.pos_ in ("NOUN", "PROPN"):
            noun = node.head
            if noun.i == tok.i or (noun.head.i == tok.i and noun.dep_ in ("nsubj", "nsubjpass", "dobj")):
                return tok
            prep = noun.head
            if noun.dep_ == "pobj" and prep.lower_ in _WITHIN_PREPS and prep.head.i == tok.i:
                return tok
            return noun
        for _ in range(8):
            if node.i == tok.i or (node.pos_ in ("VERB", "AUX") and node.dep_ not in ("aux", "auxpass")):
                return node
            if node.head.i == node.i:
                return node
            node = node.head
        return node

    # the date of the event's own clause ("signed the deal on Tuesday"); a date inside another clause
    # ("criticized the decision to reimpose visas on February 29") is that clause's
    def nearest(times: list[dict]) -> dict:
        return min(times, key=lambda t: abs(t["tokens"][0] - tok.i))

    own = [t for t in candidates if owner(t).i == tok.i]
    if own:
        best = nearest(own)
        return _done_by_then(doc, tok, best), None, tuple(best["span"])
    # a coarser time of the clause itself: "defended the program in an interview in 2007", "last week the
    # government blamed the Brotherhood" (a day in another clause of the sentence is not this act's)
    own_coarse = [t for t in coarse if owner(t).i == tok.i]
    if own_coarse:
        best = nearest(own_coarse)
        return None, best["value"], tuple(best["span"])
    # else one that dates a clause the event is part of ("protested on Monday, and police arrested
    # 31"), when it is the only one; not across a reported clause: in "On Thursday, police said
    # protesters attacked the station" Thursday is when police spoke, the attack may be older
    ancestors = set()
    node = tok
    while node.head.i != node.i and node.dep_ != "ccomp":
        node = node.head
        ancestors.add(node.i)
    above = [t for t in candidates if owner(t).i in ancestors]
    if len(above) == 1:
        return _done_by_then(doc, tok, above[0]), None, tuple(above[0]["span"])
    above_coarse = [t for t in coarse if owner(t).i in ancestors]
    if not above and len(above_coarse) == 1:
        return None, above_coarse[0]["value"], tuple(above_coarse[0]["span"])
    # else the day of a clause that happens with it ("Militants clash with police as they storm the
    # police station in Odessa on May 4", "was shot when gunmen opened fire on Friday"), when it is the
    # sentence's only day: "as", "when" and "while" say the two acts are of one time
    if not above and not above_coarse and len(candidates) == 1 and _simultaneous(owner(candidates[0]), tok):
        return candidates[0]["value"][:10], None, tuple(candidates[0]["span"])
    return _with_period(_dateline_default(doc))


# an act "in", "during" or "at" a dated happening is of its day ("killed in the Sept. 11 attack")
_WITHIN_PREPS = frozenset({"in", "during", "at", "amid", "throughout"})

# a day said of these nouns is theirs, never the day of the act that sets or meets them
_DEADLINE_NOUNS = frozenset({"deadline", "ultimatum", "cutoff", "cut-off"})


def _deadline_of(node: Token) -> Token | None:
    """The deadline noun a time expression's root dates ("a July 7 deadline", "a deadline of May 1"), if
    any, found by climbing through nouns and prepositions to the first verb."""
    for _ in range(4):
        if node.lemma_.lower() in _DEADLINE_NOUNS:
            return node
        if node.head.i == node.i or node.pos_ in ("VERB", "AUX"):
            return None
        node = node.head
    return None


def _done(tok: Token) -> bool:
    """Whether a verb trigger tells a done act by its tense: a past form ("resigned", "was killed") or a
    perfect ("has met"); a bare participle ("the man killed on Monday") says nothing."""
    if tok.pos_ not in ("VERB", "AUX") or tok.dep_ == "amod":
        return False
    if tok.tag_ == "VBD":
        return True
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if any(c.lower_ in ("will", "'ll", "shall", "wo", "would", "could", "should", "may", "might", "must")
           for c in auxes):  # fmt: skip
        return False
    return tok.tag_ == "VBN" and any(c.tag_ == "VBD" or c.lower_ in ("has", "have", "had") for c in auxes)


_YEAR_WRITTEN = re.compile(r"\b\d{4}\b|['’]\d{2}\b")


def _done_by_then(doc: Doc, tok: Token, t: dict) -> str:
    """The day of time expression ``t`` for the act of ``tok``: its value, unless the act is told as done
    (:func:`_done`) and the value, which the expression's words do not fix to a year, falls after the
    article's publication. The time tagger reads a day of a month with no year as the nearest one when the
    past reading is more than half a year back (a reporting verb's clause can hold an upcoming date), but
    "Flynn resigned on February 13" in December can only be the February before: the day is moved back a
    year (a week for a weekday) until it is not after publication."""
    day = t["value"][:10]
    published = _parse_published(doc._.published)
    if published is None or len(day) != 10 or not _done(tok):
        return day
    try:
        when = dt.date.fromisoformat(day)
    except ValueError:
        return day
    if when <= published:
        return day
    written = doc[t["tokens"][0] : t["tokens"][1]].text
    if _YEAR_WRITTEN.search(written):
        return day  # "on April 14, 2018": a written year is the writer's, whatever the tense says
    weekday = any(w.lower_ in WEEKDAYS for w in doc[t["tokens"][0] : t["tokens"][1]])
    for _ in range(3):
        if weekday:
            when -= dt.timedelta(days=7)
        else:
            try:
                when = when.replace(year=when.year - 1)
            except ValueError:  # 29 February
                return day
        if when <= published:
            return when.isoformat()
    return day


def told_ahead(doc: Doc, tok: Token, day: str | None) -> bool:
    """Whether the act of ``tok``, of its own ``day``, is still to come when the article is published: the
    day is after publication, the trigger is not told as done (:func:`_done`), and the sentence is not a
    gallery's caption (a gallery embedded in an older article goes on with the story, so its photos may be
    of later days). "Trump meets Kim in Singapore on June 12" in May and "Macron's April 24 state visit" at
    the start of April tell plans, as "will meet" does."""
    published = _parse_published(doc._.published)
    if day is None or published is None or _done(tok) or is_caption(tok.sent.text):
        return False
    try:
        return dt.date.fromisoformat(day) > published
    except ValueError:
        return False


# a clause with one of these conjunctions happens at the time of the clause it qualifies
_SIMULTANEOUS_MARKS = frozenset({"as", "when", "while"})


def _simultaneous(clause: Token, tok: Token) -> bool:
    """Whether ``clause`` (a verb) is a temporal clause of ``tok``'s own verb with a conjunction of the same
    time ("as they storm", "when gunmen opened fire", "while he was visiting")."""
    return (
        clause.dep_ == "advcl"
        and clause.head.i == tok.i
        and any(c.dep_ == "mark" and c.lower_ in _SIMULTANEOUS_MARKS for c in clause.children)
    )


# a time after these is a bound of the act, not when it happened: "have fought al-Shabaab since August 2022"
# (and ever since), "must stop enrichment by 2025", "until October", "before 2020"
_BOUND_WORDS = frozenset({"since", "until", "till", "by", "before", "after", "through", "from", "to"})
# a day after "from" starts the act ("talks from Monday to Wednesday" began on Monday)
_DAY_BOUND_WORDS = _BOUND_WORDS - {"from"}


def _a_bound(doc: Doc, t: dict, words: frozenset[str] = _BOUND_WORDS) -> bool:
    """Whether time expression ``t`` is a bound of the act ("since August 2022"), not its period."""
    start = t["tokens"][0]
    if doc[start].lower_ in words:
        return True
    root = doc[start : t["tokens"][1]].root
    return root.dep_ == "pobj" and root.head.lower_ in words


def _with_period(
    day_span: tuple[str | None, tuple[int, int] | None],
) -> tuple[str | None, None, tuple | None]:
    day, span = day_span
    return day, None, span


def _dateline_default(doc: Doc) -> tuple[str | None, tuple[int, int] | None]:
    """The day of the article's dateline ("BANGKOK, Dec 15 (Reuters) -"), the default date of its events
    (cached per doc: every event asks)."""
    if "tacitus_dateline_date" not in doc.user_data:
        doc.user_data["tacitus_dateline_date"] = dateline_date(doc, _parse_published(doc._.published))
    return doc.user_data["tacitus_dateline_date"]


def clause_place(doc: Doc, tok: Token, *, on_site: bool = False, country: str | None = None) -> dict | None:
    """Where an event happened: the place phrase of its trigger or its clause ("talks in Bangkok", "met in
    Geneva"), else of the clause that reports it ("Yun told reporters in Bangkok that talks could start"),
    else of a clause of the same time under it ("clash with police as they storm the station in Odessa"),
    else the article's dateline (when ``country``, the country of the event's source or the quote's
    speaker, is unknown or the dateline's), else the one place the article's lead locates ``country`` in,
    else None. A place inside another noun phrase
    of the sentence ("the attacks in Paris", "the institute at Monterey") is that noun's, not the event's.
    """
    places = doc._.places or []
    by_start = {p["tokens"][0]: p for p in places}
    node = tok
    for _ in range(6):  # the trigger's clause, then each clause above it
        if node.i == tok.i or node.pos_ in ("VERB", "AUX"):
            place = _place_under(node, by_start, on_site=on_site)
            if place is not None:
                return _ref(place)
        if node.head.i == node.i:
            break
        node = node.head
    for clause in tok.children:
        # a clause of the same time is of the same place: "clash with police as they storm the police
        # station in Odessa"
        if _simultaneous(clause, tok) and (place := _place_under(clause, by_start, on_site=on_site)):
            return _ref(place)
    dateline = next((p for p in places if p.get("dateline")), None)
    # the dateline is where the story was reported from: the place of what its country's actors (and
    # actors of no known country) do and say there, not of what a foreign government does at home
    # ("TORONTO - ... China demanded her immediate release" is not in Toronto)
    if dateline is not None and (country is None or dateline["country"] in (None, country)):
        return _ref(dateline)
    if country is not None:
        home = _home_places(doc).get(country)
        # a visit, an assault or a battle is where it is done, not in the actor's capital ("the U.S.
        # attack on Suleimani" in a Washington story): only a country-wide place is safe for those
        if home is not None and (home["lat"] is None or not on_site):
            return _ref(home)
    return None


def _home_places(doc: Doc) -> dict[str, dict]:
    """For each country, the place the article's lead locates it in: a story without a dateline gives
    its place in its first sentences ("Thousands protested in Nairobi on Monday"), and an actor of that
    country acting or speaking later with no place of its own ("the opposition leader accused the
    police") is there. Only the lead counts (a place named later is one thing's, not the story's: a
    future meeting, a history), and only when it locates the country once (a city, or the country
    itself: "in central Somalia"). Cached per doc."""
    if "tacitus_home_places" in doc.user_data:
        return doc.user_data["tacitus_home_places"]
    lead = [sent for sent in doc.sents if sum(not t.is_punct and not t.is_space for t in sent) >= _LEAD_WORDS]
    end = lead[_LEAD_SENTENCES - 1].end if len(lead) >= _LEAD_SENTENCES else len(doc)
    named: dict[str, dict[str, dict]] = {}
    for place in doc._.places or []:
        if (
            place["located"]
            and place["country"]
            and place["tokens"][0] < end
            and _realis(doc[place["tokens"][0]])
        ):
            named.setdefault(place["country"], {}).setdefault(place["name"], place)
    home = {country: next(iter(places.values())) for country, places in named.items() if len(places) == 1}
    doc.user_data["tacitus_home_places"] = home
    return home


def _realis(tok: Token) -> bool:
    """Whether the clause a token is in tells what happened, not a plan or a possibility ("the talks
    would resume in Geneva", "will travel to Ho Chi Minh City", "agreed to meet in Nouakchott")."""
    node = tok
    while node.pos_ not in ("VERB", "AUX") and node.head.i != node.i:
        node = node.head
    return not any(c.dep_ == "aux" and (c.lower_ in _IRREALIS or c.tag_ == "TO") for c in node.children)


_IRREALIS = frozenset(["will", "would", "could", "can", "may", "might", "should", "shall", "must", "'ll"])


# The lead: the first two sentences of at least eight words (a section line, a headline or a byline
# left in the body is shorter).
_LEAD_WORDS = 8
_LEAD_SENTENCES = 2


# Event codes whose object is a place the event happens at: visits (042, 044: "visited Paris"), assaults,
# fighting, mass violence (18-20: "shelled Kharkiv", "besieged Gaza"). For others a city as object is a
# government ("thanked Seoul", "warned Moscow", "consulted Moscow", "pressured Pyongyang to ...").
ON_SITE_CODES = ("042", "044", "18", "19", "20")


def on_site(code: str) -> bool:
    """Whether a city or region as the object of an event with this CAMEO code is where it happens."""
    return code.startswith(ON_SITE_CODES)


def _place_under(node: Token, by_start: dict[int, dict], depth: int = 0, on_site: bool = True) -> dict | None:
    """A located place in a place phrase of ``node``, or of the objects and oblique nouns of its clause
    ("attend a dinner after the summit [in Buenos Aires]"), two nouns deep at most; never in the subject
    ("Images analysed by the institute [at Monterey] show")."""
    for child in node.children:
        if child.dep_ == "prep" and child.lower_ in PLACE_PREPS:
            for pobj in child.children:
                place = _named(pobj, by_start) or _nested_place(pobj, by_start)
                if place is not None and place["located"]:
                    return place
        elif child.dep_ == "prep" and child.lower_ == "to" and node.lemma_.lower() in _JOURNEYS:
            for pobj in child.children:
                place = _named(pobj, by_start)
                if place is not None and place["lat"] is not None:
                    return place  # where the journey ends: "will travel to Ho Chi Minh City to meet"
        elif child.dep_ == "npadvmod" and child.i in by_start and by_start[child.i]["located"]:
            return by_start[child.i]
        elif (
            depth == 0
            and on_site
            and child.dep_ == "dobj"
            and (place := _named(child, by_start)) is not None
            and place["lat"] is not None
        ):
            return place  # a city or region the event is done to: "shelled Kharkiv", "visited Paris"
    if depth >= 2:
        return None
    for child in node.children:
        nouns = []
        if child.dep_ in ("dobj", "attr", "oprd", "xcomp"):
            nouns = [child]  # (and "agreed to meet [in Nouakchott]")
        elif child.dep_ == "prep" and child.lower_ not in PLACE_PREPS:
            nouns = [c for c in child.children if c.dep_ == "pobj"]
        for noun in nouns:
            place = _place_under(noun, by_start, depth + 1, on_site)
            if place is not None:
                return place
    return None


def _named(noun: Token, by_start: dict[int, dict]) -> dict | None:
    """The place a noun phrase names: one starting where the phrase starts ("the Gaza Strip") or at its
    head ("northern Baghdad")."""
    return by_start.get(noun.left_edge.i) or by_start.get(noun.i)


def _nested_place(noun: Token, by_start: dict[int, dict]) -> dict | None:
    """The place that locates the place phrase's own noun: "in three districts [in Baghdad]", "at a
    checkpoint [near Kabul]" (the event is where the districts or the checkpoint are)."""
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in PLACE_PREPS:
            for pobj in child.children:
                place = _named(pobj, by_start)
                if place is not None:
                    return place
    return None


# Verbs of going whose "to" phrase is where what follows happens ("will travel to Ho Chi Minh City on
# Friday to meet business leaders").
_JOURNEYS = frozenset(["travel", "fly", "go", "come", "return", "head", "journey"])

# Prepositions whose object is where something happens.
PLACE_PREPS = frozenset(["in", "at", "near", "outside", "inside", "across", "throughout"])


def _ref(place: dict) -> dict:
    return {"name": place["name"], "country": place["country"], "lat": place["lat"], "lon": place["lon"]}
