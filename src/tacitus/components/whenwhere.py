"""When and where a clause happened: the day and the place of an event's trigger or a quote's cue.

Both events and quotes ask the same questions of the clause around a token (the date that governs it, the
place phrase in it or in the clause that reports it, else the article's dateline), so the answers live
here, below both components.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from tacitus.components.time import _parse_published, dateline_date


def clause_date(doc: Doc, tok: Token) -> tuple[str | None, tuple[int, int] | None]:
    """The day of ``tok``'s clause (an event's trigger, a quote's cue) and the character span of the
    expression that gives it: the date of its own clause, else the only date of a clause above it, else
    the dateline's day; ``(None, None)`` when none is known."""
    sent = tok.sent
    candidates = [t for t in doc._.times or [] if sent.start <= t["tokens"][0] and t["tokens"][1] <= sent.end]
    # an event date is a day; "in October" or "last week" stays in Record.times, not on the event
    # ("Thursday night" is 2017-12-14TNI, "at 10 a.m." 2017-12-14T10:00: the event's date is the day)
    candidates = [
        t
        for t in candidates
        if t["value"] and re.match(r"\d{4}-\d{2}-\d{2}(?:$|T)", t["value"]) and t["type"] != "SET"
    ]
    if not candidates:
        return _dateline_default(doc)

    def owner(t: dict) -> Token:
        """The verb (or the trigger itself, for a noun trigger) whose clause the date belongs to."""
        node = doc[t["tokens"][0]]
        for _ in range(8):
            if node.i == tok.i or (node.pos_ in ("VERB", "AUX") and node.dep_ not in ("aux", "auxpass")):
                return node
            if node.head.i == node.i:
                return node
            node = node.head
        return node

    # the date of the event's own clause ("signed the deal on Tuesday"); a date inside another clause
    # ("criticized the decision to reimpose visas on February 29") is that clause's
    own = [t for t in candidates if owner(t).i == tok.i]
    if not own:
        # else one that dates a clause the event is part of ("On Thursday, police said protesters
        # attacked the station"), when it is the only one
        ancestors = {a.i for a in tok.ancestors}
        own = [t for t in candidates if owner(t).i in ancestors]
        if len(own) != 1:
            return _dateline_default(doc)
    best = min(own, key=lambda t: abs(t["tokens"][0] - tok.i))
    return best["value"][:10], tuple(best["span"])


def _dateline_default(doc: Doc) -> tuple[str | None, tuple[int, int] | None]:
    """The day of the article's dateline ("BANGKOK, Dec 15 (Reuters) -"), the default date of its events
    (cached per doc: every event asks)."""
    if "tacitus_dateline_date" not in doc.user_data:
        doc.user_data["tacitus_dateline_date"] = dateline_date(doc, _parse_published(doc._.published))
    return doc.user_data["tacitus_dateline_date"]


def clause_place(doc: Doc, tok: Token, *, on_site: bool = False) -> dict | None:
    """Where an event happened: the place phrase of its trigger or its clause ("talks in Bangkok", "met in
    Geneva"), else of the clause that reports it ("Yun told reporters in Bangkok that talks could start"),
    else the article's dateline, else None. A place inside another noun phrase of the sentence ("the
    attacks in Paris", "the institute at Monterey") is that noun's, not the event's."""
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
    dateline = next((p for p in places if p.get("dateline")), None)
    return _ref(dateline) if dateline is not None else None


# Event roots whose object is a place the event happens at: visits (04: "visited Paris"), protests,
# force, coercion, assaults, fighting (14-20: "shelled Kharkiv", "blockaded Gaza"). For others a city as
# object is a government ("thanked Seoul", "warned Moscow").
ON_SITE_ROOTS = frozenset(["04", "14", "15", "17", "18", "19", "20"])


def _place_under(node: Token, by_start: dict[int, dict], depth: int = 0, on_site: bool = True) -> dict | None:
    """A located place in a place phrase of ``node``, or of the objects and oblique nouns of its clause
    ("attend a dinner after the summit [in Buenos Aires]"), two nouns deep at most; never in the subject
    ("Images analysed by the institute [at Monterey] show")."""
    for child in node.children:
        if child.dep_ == "prep" and child.lower_ in _PLACE_PREPS:
            for pobj in child.children:
                place = by_start.get(pobj.left_edge.i) or by_start.get(pobj.i)
                if place is not None and place["located"]:
                    return place
        elif child.dep_ == "npadvmod" and child.i in by_start and by_start[child.i]["located"]:
            return by_start[child.i]
        elif (
            depth == 0
            and on_site
            and child.dep_ == "dobj"
            and (place := by_start.get(child.left_edge.i) or by_start.get(child.i)) is not None
            and place["lat"] is not None
        ):
            return place  # a city or region the event is done to: "shelled Kharkiv", "visited Paris"
    if depth >= 2:
        return None
    for child in node.children:
        nouns = []
        if child.dep_ in ("dobj", "attr", "oprd", "xcomp"):
            nouns = [child]  # (and "agreed to meet [in Nouakchott]")
        elif child.dep_ == "prep" and child.lower_ not in _PLACE_PREPS:
            nouns = [c for c in child.children if c.dep_ == "pobj"]
        for noun in nouns:
            place = _place_under(noun, by_start, depth + 1, on_site)
            if place is not None:
                return place
    return None


# Prepositions whose object is where something happens.
_PLACE_PREPS = frozenset(["in", "at", "near", "outside", "inside", "across", "throughout"])


def _ref(place: dict) -> dict:
    return {"name": place["name"], "country": place["country"], "lat": place["lat"], "lon": place["lon"]}
