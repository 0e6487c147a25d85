"""Places that CAMEO codes as participants: "Russian forces shelled Kharkiv", "sent troops into Syria",
"air strikes in Yemen", "received tanks from Germany".

The actor tagger keeps a place used as a place ("in Yemen", "from Germany") out of the actors, which is
right for the place of a meeting. But the target of an attack on a place is that place's country, and the
giver of what comes "from Germany" is Germany. When an event pattern looks for a participant in such a
slot and finds only a place, :func:`place_actor` turns the place into a country actor (or the existing
actor of that country), with the place as its mention and ``code_source`` "text".
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from tacitus.kb import is_cameo_country, load_kb

_REGION_WORD_TEXT = "north south east west northern southern eastern western central upper lower"
_REGION_WORDS = frozenset(_REGION_WORD_TEXT.split())


def place_actor(doc: Doc, token: Token) -> str | None:
    """The id of the country actor for the place ``token`` names, made if need be; None if it names none."""
    ent = next((e for e in doc.ents if e.start <= token.i < e.end), None)
    if ent is None or ent.label_ not in ("GPE", "LOC", "FAC"):
        return None
    entry = load_kb().lookup(ent.text)
    words = ent.text.split()
    if entry is None and len(words) > 1 and words[0].lower() in _REGION_WORDS:
        # "South Lebanon", "Northern Syria", "Eastern Ukraine": a region named by its country (the
        # countries whose own name starts so, "South Africa", "East Timor", are found first)
        entry = load_kb().lookup(" ".join(words[1:]))
    country = entry.country if entry is not None else None
    if not country or not is_cameo_country(country):
        return None
    actors = doc._.actors if doc._.actors is not None else []
    mention = (doc[ent.start].idx, doc[ent.end - 1].idx + len(doc[ent.end - 1].text))
    index = doc._.mention_index if doc._.mention_index is not None else {}
    for actor in actors:
        if actor["code"] == country and actor["kind"] == "country":
            if mention not in actor["mentions"]:
                actor["mentions"] = sorted([*actor["mentions"], mention])
                actor["tokens"] = sorted([*actor["tokens"], (ent.start, ent.end)])
            for i in range(ent.start, ent.end):
                index.setdefault(i, actor["id"])
            return actor["id"]
    taken = {a["id"] for a in actors}
    n = len(actors) + 1
    while f"a{n}" in taken:
        n += 1
    name = load_kb().entry(country).name if country else ent.text
    actor = {
        "id": f"a{n}",
        "name": name,
        "code": country,
        "country": country,
        "sector": None,
        "kind": "country",
        "role": None,
        "tokens": [(ent.start, ent.end)],
        "mentions": [mention],
        "code_source": "text",
    }
    doc._.actors = [*actors, actor]
    for i in range(ent.start, ent.end):
        index.setdefault(i, actor["id"])
    doc._.mention_index = index
    return actor["id"]
