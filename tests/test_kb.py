"""The actor knowledge base: lookups against the Phoenix dictionary semantics, roles, and the build tool."""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest

from tacitus.errors import InvalidDate, UnknownCode
from tacitus.kb import KBEntry, KnowledgeBase, load_kb, normalize

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "src" / "tacitus" / "kb" / "data"
RESOURCES = REPO.parent / "shared" / "resources"
LEADERS = RESOURCES / "leaders"
needs_leaders = pytest.mark.skipif(not LEADERS.is_dir(), reason="../shared/resources/leaders is not present")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def test_load_kb_is_cached(kb: KnowledgeBase) -> None:
    assert load_kb() is kb
    assert len(kb) > 20_000


def test_normalize_folds_the_ways_news_writes_a_name() -> None:
    assert normalize("U.S.") == normalize("US") == "us"
    assert normalize("the Kremlin") == "kremlin"
    assert normalize("Russia’s") == normalize("Russia's") == normalize("RUSSIA") == "russia"
    assert normalize("Kim Jong-un") == "kim jong un"
    assert normalize("  Côte   d’Ivoire ") == "cote d'ivoire"


def test_country_by_name(kb: KnowledgeBase) -> None:
    entry = kb.lookup("Russia")
    assert entry == KBEntry(
        id="RUS", name="Russia", kind="country", country="RUS", code="RUS", sector=None, via="name"
    )
    for form in ("RUSSIA", "Russia's", "Russia’s", "the Russian Federation"):
        assert kb.lookup(form).id == "RUS", form


def test_names_phoenix_lacks_come_from_our_country_file(kb: KnowledgeBase) -> None:
    # tools/curated/tacitus.countries.txt: a historical state and an abbreviation news writes alone
    yugoslavia = kb.lookup("Yugoslavia")
    assert (yugoslavia.kind, yugoslavia.code) == ("country", "YUG")
    assert kb.lookup("Yugoslav").code == "YUG"  # the demonym table agrees with the country
    assert kb.lookup("the PRC").code == "CHN"
    # a block whose code Phoenix owns adds names to that country, it makes no second China
    assert kb.lookup("PRC").id == kb.lookup("China").id


def test_kremlin_and_white_house_are_governments(kb: KnowledgeBase) -> None:
    # KREMLIN_ [RUSGOV] and WHITE_HOUSE_ [USAGOV] in Phoenix.Countries.actors.txt
    kremlin = kb.lookup("the Kremlin")
    assert (kremlin.code, kremlin.country, kremlin.sector, kremlin.kind) == (
        "RUSGOV",
        "RUS",
        "GOV",
        "organization",
    )
    assert kb.lookup("White House").code == "USAGOV"
    assert kb.lookup("the White House").code == "USAGOV"


def test_united_states_forms(kb: KnowledgeBase) -> None:
    for form in ("U.S.", "US", "USA", "United States", "the United States", "America"):
        assert kb.lookup(form).code == "USA", form
    washington = kb.lookup("Washington")
    assert (washington.kind, washington.country, washington.via) == ("place", "USA", "capital")


def test_capitals_are_places_of_their_country(kb: KnowledgeBase) -> None:
    for capital, country in (("Moscow", "RUS"), ("Pyongyang", "PRK"), ("Bangkok", "THA")):
        entry = kb.lookup(capital)
        assert (entry.kind, entry.country, entry.code, entry.via) == ("place", country, country, "capital")
    # "Kuwait" is the country, "Kuwait City" its capital
    assert kb.lookup("Kuwait").kind == "country"
    assert kb.lookup("Kuwait City").via == "capital"


def test_adjectives(kb: KnowledgeBase) -> None:
    russian = kb.lookup("Russian")
    assert (russian.id, russian.via) == ("RUS", "adjective")
    assert kb.lookup("North Korean").id == "PRK"
    assert kb.lookup("American").id == "USA"
    assert kb.lookup("Americans").id == "USA"


def test_putin_codes_follow_his_posts(kb: KnowledgeBase) -> None:
    # VLADIMIR_PUTIN_: [RUSELI 700101-990809] [RUSGOV 991231-080507] [RUSGOV 990809-000507]
    # [RUSGOV >080508] [RUSELI]
    assert kb.lookup("Vladimir Putin", on="2017-12-15").code == "RUSGOV"
    assert kb.lookup("Vladimir Putin", on=dt.date(2017, 12, 15)).sector == "GOV"
    assert kb.lookup("Vladimir Putin", on="1995-06-01").code == "RUSELI"
    assert kb.lookup("President Putin", on="2003-01-01").code == "RUSGOV"
    assert kb.lookup("Putin").code == "RUSGOV"  # on=None: the open-ended code
    assert kb.lookup("Mr. Putin").id == "vladimir-putin"


def test_trump_codes_follow_his_posts(kb: KnowledgeBase) -> None:
    # DONALD_TRUMP_ (2020 update): [USAELI 160120-170120] [USAGOV >170120]
    assert kb.lookup("Donald Trump", on="2017-12-15").code == "USAGOV"
    assert kb.lookup("Donald Trump", on="2016-06-01").code == "USAELI"
    before = kb.lookup("Donald Trump", on="2010-01-01")
    assert (before.kind, before.code, before.country) == ("person", "USA", "USA")  # the country alone


def test_former_officials_are_elites(kb: KnowledgeBase) -> None:
    # REX_TILLERSON_: only [USAGOV 170120-180120]: after it ends he is a former official, USAELI
    assert kb.lookup("Rex Tillerson", on="2019-06-01").code == "USAELI"
    # BARACK_OBAMA_: [USAGOV 090120-170120] then the undated default [USAELI]
    assert kb.lookup("Barack Obama", on="2012-01-01").code == "USAGOV"
    assert kb.lookup("Barack Obama", on="2019-06-01").code == "USAELI"


def test_a_leader_in_two_files_keeps_both_timelines(kb: KnowledgeBase) -> None:
    # BAN_KI_MOON_ [KORGOVBUS 041001-061130] in Countries; BAN_KI-MOON [IGOUNO >20070101] in International;
    # tools/curated/tacitus.offices.txt dates his term as foreign minister (KORGOV 2004-01-17 to 2006-11-10)
    assert kb.lookup("Ban Ki-moon", on="2005-06-01").code == "KORGOV"
    assert kb.lookup("Ban Ki-moon", on="2012-06-01").code == "IGOUNO"


def test_country_codes_are_dated_too(kb: KnowledgeBase) -> None:
    # CROATIA_: [YUGHRV <910625] [HRVUNR 911008-920115] [HRV >920115]
    assert kb.lookup("Croatia", on="1990-01-01").code == "YUGHRV"
    assert kb.lookup("Croatia", on="2017-12-15").code == "HRV"


def test_international_actors(kb: KnowledgeBase) -> None:
    nato = kb.lookup("NATO")
    assert (nato.kind, nato.country, nato.code) == ("igo", "IGO", "IGOWSTNAT")
    assert kb.lookup("U.N.").code == "IGOUNO"
    assert kb.lookup("United Nations").code == "IGOUNO"
    assert kb.lookup("Hamas").kind == "group"
    assert kb.lookup("Taliban").code == "AFGREB"


def test_unknown_surface(kb: KnowledgeBase) -> None:
    assert kb.lookup("Zzyzx Flibbertigibbet") is None
    assert kb.lookup("") is None


def test_bad_date_is_a_typed_error(kb: KnowledgeBase) -> None:
    with pytest.raises(InvalidDate):
        kb.lookup("Russia", on="15/12/2017")


def test_entry_by_id(kb: KnowledgeBase) -> None:
    assert kb.entry("RUS").name == "Russia"
    assert kb.entry("vladimir-putin", on="1995-06-01").code == "RUSELI"
    assert kb.entry("kremlin").via is None
    with pytest.raises(UnknownCode):
        kb.entry("no-such-entry")


def test_roles(kb: KnowledgeBase) -> None:
    assert kb.role("Deputy Foreign Minister") == ("GOV", "deputy foreign minister")
    assert kb.role("Russian Deputy Foreign Minister") == ("GOV", "deputy foreign minister")
    assert kb.role("foreign ministers") == ("GOV", "foreign ministers")
    assert kb.role("envoy") == ("GOV", "envoy")
    assert kb.role("special envoys") == ("GOV", "special envoys")
    assert kb.role("Minister of Foreign Affairs") == ("GOV", "minister of foreign affairs")
    assert kb.role("Defense Minister")[0] == "GOVMIL"
    assert kb.role("soldiers")[0] == "MIL"
    assert kb.role("judge")[0] == "JUD"
    # Phoenix codes a bare spokesperson as media; a ministry's spokesperson is government
    assert kb.role("spokesperson") == ("MED", "spokesperson")
    assert kb.role("Foreign Ministry spokeswoman")[0] == "GOV"
    assert kb.role("banana") is None
    assert kb.role("") is None


def test_country_of(kb: KnowledgeBase) -> None:
    assert kb.country_of("North Korean") == "PRK"
    for form in ("Russian", "Russia", "Moscow", "the Kremlin", "Putin"):
        assert kb.country_of(form) == "RUS", form
    assert kb.country_of("American") == "USA"
    assert kb.country_of("NATO") is None
    assert kb.country_of("Zzyzx") is None


def test_surface_forms(kb: KnowledgeBase) -> None:
    forms = set(kb.surface_forms())
    assert ("Kremlin", "kremlin") in forms
    assert ("Russian", "RUS") in forms
    assert ("Vladimir Putin", "vladimir-putin") in forms
    assert all(text and text == text.strip() for text, _ in forms)


def test_data_files_are_well_formed() -> None:
    ids = []
    for line in (DATA / "actors.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        ids.append(entry["id"])
        assert entry["kind"] in {"country", "person", "organization", "group", "igo", "place"}
        assert entry["names"][0] == entry["name"]
        assert entry["codes"], entry["id"]
        for code in entry["codes"]:
            for end in ("start", "end"):
                assert code[end] is None or dt.date.fromisoformat(code[end])
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    index = (DATA / "index.tsv").read_text(encoding="utf-8").splitlines()[1:]
    keys = [row.split("\t")[0] for row in index]
    assert keys == sorted(keys)
    assert {row.split("\t")[1] for row in index} <= set(ids)


def _inline_kb(codes: list[dict]) -> KnowledgeBase:
    entry = {"id": "x", "name": "X", "kind": "person", "country": "AAA", "names": ["X"], "codes": codes}
    entry["source"] = "countries:1"
    return KnowledgeBase(json.dumps(entry) + "\n", "key\tid\nx\tx\n", "phrase\tsector\tsource\n")


def test_date_rules_on_a_small_entry() -> None:
    kb = _inline_kb(
        [
            {"code": "AAAELI", "start": "1990-01-01", "end": "2000-01-01"},
            {"code": "AAAGOV", "start": "2000-01-01", "end": "2005-01-01"},
            {"code": "AAAMIL", "start": "2004-01-01", "end": "2006-01-01"},
        ]
    )
    assert kb.lookup("x", on="1999-12-31").code == "AAAELI"
    assert kb.lookup("x", on="2000-01-01").code == "AAAGOV"  # ends are exclusive
    assert kb.lookup("x", on="2004-06-01").code == "AAAMIL"  # the most recent appointment wins
    assert kb.lookup("x", on="2010-01-01").code == "AAAELI"  # out of office: an elite, as Phoenix codes them
    assert kb.lookup("x", on="1980-01-01").code == "AAA"  # before any post: the country alone
    assert kb.lookup("x").code == "AAAMIL"  # undated: the last post held
    with_default = _inline_kb(
        [
            {"code": "AAAGOV", "start": "2000-01-01", "end": "2005-01-01"},
            {"code": "AAAELI", "start": None, "end": None},
        ]
    )
    assert with_default.lookup("x", on="2003-01-01").code == "AAAGOV"
    assert with_default.lookup("x", on="2010-01-01").code == "AAAELI"
    assert with_default.lookup("x").code == "AAAELI"


@pytest.mark.slow
@pytest.mark.skipif(not (RESOURCES / "phoenix").is_dir(), reason="../shared/resources/phoenix is not present")
@needs_leaders
def test_build_tool_reproduces_the_committed_data(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            str(REPO / "tools" / "build_kb.py"),
            "--resources",
            str(RESOURCES),
            "--out",
            str(tmp_path),
            "--quiet",
        ],
        check=True,
    )
    for name in ("actors.jsonl", "index.tsv", "roles.tsv", "SOURCES.txt"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), (
            f"{name} differs: rerun tools/build_kb.py"
        )


# ----------------------------------------------------------------------------------------------------
# Heads of state and government from the leaders CSVs (../shared/resources/leaders, CC0)


def _leader_row(file: str, label: str, position: str) -> dict[str, str]:
    """The one row of a leaders CSV for an officeholder in an office (column names lower-cased)."""
    with (LEADERS / file).open(encoding="utf-8", newline="") as f:
        rows = [{k.lower(): v for k, v in row.items()} for row in csv.DictReader(f)]
    found = [r for r in rows if r["officeholderlabel"] == label and r["positionlabel"] == position]
    assert len(found) == 1, (file, label, position)
    return found[0]


def _data_entry(entry_id: str) -> dict:
    prefix = f'{{"id":"{entry_id}",'
    with (DATA / "actors.jsonl").open(encoding="utf-8") as f:
        return json.loads(next(line for line in f if line.startswith(prefix)))


def _build_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_kb", REPO / "tools" / "build_kb.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_kb"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@needs_leaders
def test_a_leader_only_in_the_csvs_holds_gov_during_the_term(kb: KnowledgeBase) -> None:
    row = _leader_row("wikidata.csv", "Abdelmadjid Tebboune", "President of Algeria")
    assert (row["country"], row["start_year"], row["end_year"]) == ("Algeria", "2019", "")
    entry = _data_entry("abdelmadjid-tebboune")
    assert entry["source"].startswith("wikidata:")  # neither Phoenix nor our curated offices have him
    tebboune = kb.lookup("Abdelmadjid Tebboune", on="2021-01-01")
    assert (tebboune.kind, tebboune.code, tebboune.country) == ("person", "DZAGOV", "DZA")
    assert kb.lookup("Abdelmadjid Tebboune", on="2019-01-01").code == "DZAGOV"  # year precision: 1 January
    assert kb.lookup("Abdelmadjid Tebboune", on="2018-12-31").code == "DZA"  # before: the country alone
    assert kb.lookup("Abdelmadjid Tebboune").code == "DZAGOV"  # open term: in office when the files were made
    # a leader the CSV has and the curated offices date to the day: the day wins over the year
    kim = kb.lookup("Kim Jong Un", on="2019-01-01")
    assert (kim.id, kim.kind, kim.code, kim.country) == ("kim-jong-un", "person", "PRKGOV", "PRK")
    assert kb.lookup("Kim Jong-un", on="2011-12-17").code == "PRKGOV"
    assert kb.lookup("Kim Jong-un", on="2011-06-01").code == "PRK"
    for label, office, code in (
        ("Emmanuel Macron", "President of the French Republic", "FRAGOV"),
        ("Abdulhamid Dbeibeh", "Prime Minister of Libya", "LBYGOV"),
    ):
        row = _leader_row("wikidata.csv", label, office)
        assert kb.lookup(label, on=f"{row['start_year']}-07-01").code == code, label


@needs_leaders
def test_a_phoenix_person_gains_the_csv_term_without_a_duplicate(kb: KnowledgeBase) -> None:
    # MOON_JAE_IN_ [KORGOV 070501-080731] in the Phoenix Countries file; the CSV adds his presidency
    row = _leader_row("wikidata.csv", "Moon Jae-in", "President of South Korea")
    assert (row["start_year"], row["end_year"]) == ("2017", "2022")
    moon = kb.lookup("Moon Jae-in", on="2019-01-01")
    assert (moon.id, moon.code) == ("moon-jae-in", "KORGOV")
    # one entry for both spellings, not a second Moon Jae-in
    assert {eid for text, eid in kb.surface_forms() if normalize(text) == "moon jae in"} == {"moon-jae-in"}
    # JOE_BIDEN_ [USAGOV 090120-170120] [USAELI]; "President of the United States, Joe Biden, 2021,"
    _leader_row("wikidata.csv", "Joe Biden", "President of the United States")
    assert kb.lookup("Joe Biden", on="2021-06-01").code == "USAGOV"
    assert kb.lookup("Joe Biden", on="2019-06-01").code == "USAELI"  # Phoenix's codes are kept
    assert kb.lookup("Joe Biden", on="2012-06-01").code == "USAGOV"
    assert kb.lookup("Joe Biden").code == "USAELI"  # curated: he left office on 2025-01-20


@needs_leaders
def test_phoenix_dates_win_where_both_have_the_term(kb: KnowledgeBase) -> None:
    # NARENDRA_MODI_ [INDGOV >140526]; the CSV says 2014: the year is not moved back to 1 January
    assert _leader_row("wikidata.csv", "Narendra Modi", "Prime minister of India")["start_year"] == "2014"
    assert kb.lookup("Narendra Modi", on="2014-03-01").code == "IND"
    assert kb.lookup("Narendra Modi", on="2014-06-01").code == "INDGOV"
    # HUN_SEN_ [KHMGOV 850114-930702] [KHMELI]; the CSVs give 1998 (wikidata) and 1985 (wikipedia):
    # the term continues from where Phoenix's ends
    assert _leader_row("wikipedia.csv", "Hun Sen", "Prime Minister of Cambodia")["start_year"] == "1985"
    assert kb.lookup("Hun Sen", on="1990-01-01").code == "KHMGOV"
    assert kb.lookup("Hun Sen", on="2000-01-01").code == "KHMGOV"
    assert kb.lookup("Hun Sen", on="1980-01-01").code == "KHMELI"


def test_abe_in_2017_is_japans_government(kb: KnowledgeBase) -> None:
    assert kb.lookup("Shinzo Abe", on="2017-06-01").code == "JPNGOV"


@needs_leaders
def test_a_predecessor_is_an_elite_after_the_term(kb: KnowledgeBase) -> None:
    johnson = _leader_row("wikidata.csv", "Boris Johnson", "Prime Minister of the United Kingdom")
    truss = _leader_row("wikidata.csv", "Liz Truss", "Prime Minister of the United Kingdom")
    assert (johnson["start_year"], johnson["end_year"], truss["start_year"]) == ("2019", "2022", "2022")
    assert kb.lookup("Boris Johnson", on="2020-01-01").code == "GBRGOV"
    assert kb.lookup("Boris Johnson", on="2024-01-01").code == "GBRELI"  # a former official
    assert kb.lookup("Boris Johnson", on="2010-06-01").code == "GBR"  # before any post we know of
    # the curated offices date the hand-over to the day (the CSVs only give years)
    assert kb.lookup("Boris Johnson", on="2022-09-05").code == "GBRGOV"
    assert kb.lookup("Boris Johnson", on="2022-09-06").code == "GBRELI"
    assert kb.lookup("Liz Truss", on="2022-01-01").code == "GBRGOV"  # foreign secretary then


@needs_leaders
def test_leader_names_are_cleaned_and_not_shortened(kb: KnowledgeBase) -> None:
    # wikipedia.csv: "João Lourenço (politician)"; wikidata.csv: 'Philip "Brave" Davis'
    assert kb.lookup("João Lourenço", on="2020-01-01").code == "AGOGOV"
    assert kb.lookup("João Lourenço (politician)") is None
    assert kb.lookup("Philip Davis", on="2022-01-01").code == "BHSGOV"
    # Phoenix people have a bare surname only where the dictionary lists it (+PUTIN_); none is made up
    assert kb.lookup("Putin").id == "vladimir-putin"
    assert kb.lookup("Macron") is None
    # a monarch of several realms and the French co-prince of Andorra are coded for one country
    assert kb.lookup("Emmanuel Macron").country == "FRA"
    assert kb.lookup("Charles III").country == "GBR"


@needs_leaders
def test_every_leader_country_is_mapped_or_accounted_for() -> None:
    tool = _build_tool()
    entries = [
        SimpleNamespace(**json.loads(line))
        for line in (DATA / "actors.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    by_name = tool.country_codes_by_name(entries)
    countries = set()
    for rel, _ in tool.LEADER_FILES:
        with (RESOURCES / rel).open(encoding="utf-8", newline="") as f:
            countries |= {row["country"] for row in csv.DictReader(f)}
    unmapped = sorted(c for c in countries if tool.leader_country(c, by_name) is None)
    assert unmapped == sorted(tool.LEADER_NO_COUNTRY)  # governments without a CAMEO code, each listed
    assert tool.leader_country("Congo–Kinshasa (Democratic Republic of the Congo)", by_name) == "COD"
    assert tool.leader_country("Abkhazia", by_name) is None  # not GEO, although Phoenix lists it there
