"""Names that are both a country and another country's first-level division: "Georgia".

"Georgia" in "Sen. Saxby Chambliss of Georgia" or "Marietta, Georgia" is the US state; in "Russia's 2008
invasion of Georgia" it is the country. The actor tagger (a state acting is coded as its country: USA) and
the place tagger (the state is a division of the USA, not the Caucasus) both ask :func:`divisions_meant`
which of these names an article means as the division. The signs, in ``data/country_or_division.tsv``,
are read in this order, the first that applies deciding for the whole article:

1. a word naming the country's own places or people anywhere in the article (Tbilisi, Abkhazia,
   Saakashvili): the country;
2. the name qualifying a city of the division's country ("Peachtree City, Georgia", "Athens, Georgia"):
   the division;
3. a word of the country's region in a sentence naming it ("Russia", "Ukraine", "NATO": "interventions in
   Georgia and Ukraine"): the country;
4. a word of the division's country anywhere (its other states and cities, its politics: "Atlanta",
   "Florida", "Republican", "Sen."): the division;
5. else the country, as before this module.

On the 111 AllSides articles naming Georgia, each read at its first mention (rule 3's at the sentence
that decided; 2026-12-04): 64 are the division
by these signs (8 by rule 2, 56 by rule 4) and 47 the country (7 by rule 1, 36 by rule 3, 4 by default).
Every one of the 107 decided by rules 1-4 is what a reader takes it for there (a "Choose your country" list
of a site's furniture, without sentence breaks, counts as the country's region: 8 articles, where the name
is the country). Of the 4 by default two are the
country ("messing with Georgia" a sentence after Ukraine, Hagel "speaking in Georgia"), one the state
inside an organisation's name ("the University of Georgia's Jenna Jordan", an ORG, not a place or a
country actor) and one a submarine ("USS Georgia").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from spacy.tokens import Doc

from tacitus.components.gazetteer import gazetteer, same_named

_KEY = "tacitus_divisions_meant"


@dataclass(frozen=True)
class _Name:
    name: str
    country: str
    division_country: str
    country_cues: re.Pattern[str]
    region_cues: re.Pattern[str]
    division_cues: re.Pattern[str]
    qualified: re.Pattern[str]


def _words(cell: str) -> re.Pattern[str]:
    words = sorted((w.strip() for w in cell.split(";") if w.strip()), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


@lru_cache(maxsize=1)
def names() -> tuple[_Name, ...]:
    """The rows of ``data/country_or_division.tsv``."""
    text = (
        resources.files("tacitus.components").joinpath("data", "country_or_division.tsv").read_text("utf-8")
    )
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    header, found = rows[0], []
    for lineno, cols in enumerate(rows[1:], 2):
        if len(cols) != len(header):
            raise ValueError(
                f"country_or_division.tsv row {lineno}: expected {len(header)} columns, got {cols!r}"
            )
        row = dict(zip(header, cols, strict=True))
        found.append(
            _Name(
                name=row["name"],
                country=row["country"],
                division_country=row["division_country"],
                country_cues=_words(row["country_cues"]),
                region_cues=_words(row["region_cues"]),
                division_cues=_words(row["division_cues"]),
                # "Peachtree City, Georgia", "Athens, Georgia": one to three capitalised words, a comma
                qualified=re.compile(
                    r"((?:[A-Z][\w.'-]*\s){0,2}[A-Z][\w.'-]*),\s" + re.escape(row["name"]) + r"\b"
                ),
            )
        )
    return tuple(found)


def _qualifies_a_city(entry: _Name, text: str) -> bool:
    cities, _, iso3 = gazetteer()
    for m in entry.qualified.finditer(text):
        words = m.group(1).split()
        for i in range(len(words)):  # "in Peachtree City": the longest tail the gazetteer knows
            key = " ".join(words[i:]).lower()
            found = same_named().get(key) or ([cities[key]] if key in cities else [])
            if any(iso3.get(c["countrycode"]) == entry.division_country for c in found):
                return True
    return False


def _division(entry: _Name, text: str) -> bool:
    if entry.name not in text or entry.country_cues.search(text):
        return False
    if _qualifies_a_city(entry, text):
        return True
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if entry.name in sentence and entry.region_cues.search(sentence):
            return False
    return entry.division_cues.search(text) is not None


def divisions_meant(doc: Doc) -> dict[str, str]:
    """``{lower-case name: the division's country}`` for the names of ``data/country_or_division.tsv``
    that ``doc`` means as a division (see the module's docstring); worked out once per doc."""
    found = doc.user_data.get(_KEY)
    if found is None:
        text = doc.text
        found = {e.name.lower(): e.division_country for e in names() if _division(e, text)}
        doc.user_data[_KEY] = found
    return found
