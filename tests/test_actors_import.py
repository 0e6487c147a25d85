"""tacitus actors import: TABARI/PETRARCH actor and agent dictionaries read as PETRARCH reads them
(tacitus.kb.tabari), written as a YAML actor file that --actors loads back with the same lookups."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tacitus.cli import app
from tacitus.errors import InvalidRuleFile, UnreadableInput
from tacitus.kb import load_kb
from tacitus.kb.tabari import (
    Report,
    dictionary_kind,
    import_dictionaries,
    read_actor_file,
    read_agents,
    to_yaml,
)
from tacitus.kb.user import load_user_actors, load_user_file

runner = CliRunner()
UNIT_TESTS = Path(__file__).resolve().parents[2] / "shared" / "eval" / "events" / "petrarch-unit-tests"

ACTORS = """\
<!-- PETRARCH-style comment block
ZZYZX_LAND [ZZZ]
-->
# a comment line
BORIS_YELTSIN_                # two primaries without codes: one actor
BORIS_N._YELTSIN
+YELTSIN
\t[RUSGOV 910710-991231]
\t[RUSELI >991231]
VLADIMIR_PUTIN_ [RUSELI]      # an undated default, and dated posts
+PUTIN
+PRESIDENT_PUTIN
\t[RUSGOV 991231-080507]
\t[RUSGOV >120507]
<! -- one-line comment -->
INDIAN_OCEAN [---]
LOK_SABHA [INDGOVLEG]
+HOUSE_OF_THE_PEOPLE
QWERTIA_ [QWE]
+QWERTIAN
---STOP---
AFTER_THE_STOP [USA]
"""

AGENTS = """\
# agents
!PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON
!MINIST! = MINISTER, MINISTERS, MINISTRY, MINISTRIES
FINANCE_!MINIST! [~GOV]
CONGRESS!PERSON! [~LEG]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]
ARMED_FORCES {} [~MIL]
ZYXO_HERALD [~GOVMED]  # a made-up role the packaged knowledge base lacks
PEACEKEEPING_TROOPS {} [IGO~]
UNKNOWN_!NOPE! [~GOV]
NO_CODE_HERE
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture()
def actors_txt(tmp_path: Path) -> Path:
    return _write(tmp_path, "mine.actors.txt", ACTORS)


@pytest.fixture()
def agents_txt(tmp_path: Path) -> Path:
    return _write(tmp_path, "mine.agents.txt", AGENTS)


# ----------------------------------------------------------------------------------------------------
# Reading


def test_actor_file_is_read_as_petrarch_reads_it(actors_txt: Path):
    report = Report()
    groups = read_actor_file(actors_txt, "mine", report, bracket_ends_actor=True)
    phrases = [[p for p, _ in g.primaries] for g in groups]
    # consecutive primaries without codes are one actor; comments and what follows ---STOP--- are not read
    assert phrases == [
        ["BORIS YELTSIN", "BORIS N. YELTSIN"],
        ["VLADIMIR PUTIN"],
        ["INDIAN OCEAN"],
        ["LOK SABHA"],
        ["QWERTIA"],
    ]
    yeltsin, putin = groups[0], groups[1]
    assert yeltsin.synonyms == ["YELTSIN"] and yeltsin.line == 5
    assert [(c.code, c.start, c.end) for c in yeltsin.codes] == [
        ("RUSGOV", dt.date(1991, 7, 10), dt.date(1999, 12, 31)),
        ("RUSELI", dt.date(1999, 12, 31), None),
    ]
    assert [(c.code, c.start, c.end) for c in putin.codes] == [
        ("RUSELI", None, None),
        ("RUSGOV", dt.date(1999, 12, 31), dt.date(2008, 5, 7)),
        ("RUSGOV", dt.date(2012, 5, 7), None),
    ]
    assert report.skipped["code [---] (known non-actor)"] == 1
    assert report.examples["code [---] (known non-actor)"] == ["mine:16"]


def test_a_skipped_code_ends_its_actor_only_when_asked(actors_txt: Path):
    # PETRARCH starts a new actor after any bracket; the build tool's committed data joins them
    built = read_actor_file(actors_txt, "mine", Report())
    assert [p for p, _ in built[2].primaries] == ["INDIAN OCEAN", "LOK SABHA"]


def test_agents_expand_macros_and_plurals(agents_txt: Path):
    report = Report()
    rows = read_agents(agents_txt, report, source="mine")
    roles = {phrase: sector for phrase, sector, _ in rows}
    for phrase in ("finance minister", "finance ministers", "finance ministry", "finance ministries"):
        assert roles[phrase] == "GOV"
    assert {"congressman", "congressmen", "congresswoman", "congressperson"} <= set(roles)
    assert roles["attorneys general"] == "GOV" and "attorney generals" not in roles
    assert "armed forces" in roles and "armed forceses" not in roles  # {} says: no plural
    assert roles["zyxo herald"] == roles["zyxo heralds"] == "GOVMED"
    assert "peacekeeping troops" not in roles  # [IGO~] goes before the actor's code: not a sector
    assert report.examples["agents: code is not a sector ([IGO~])"] == ["mine:9"]
    assert report.examples["agents: unknown substitution set"] == ["mine:10"]
    assert report.examples["agents: line without a code"] == ["mine:11"]


def test_the_kind_of_file_is_told_by_its_codes():
    assert dictionary_kind(ACTORS) == "actors"
    assert dictionary_kind(AGENTS) == "agents"
    assert dictionary_kind("!PERSON! = MAN, MEN\n") == "agents"
    assert dictionary_kind("RUSSIA [RUS]\nENVOY [~GOV]\nCHINA [CHN]\n") == "actors"  # the majority
    assert dictionary_kind("Just some text.\nNo codes at all.\n") is None
    assert dictionary_kind("- name: X\n  codes: [{code: RUSGOV}]\n") is None  # YAML is not TABARI
    assert dictionary_kind("<!-- RUSSIA [RUS] -->\n# CHINA [CHN]\n") is None


# ----------------------------------------------------------------------------------------------------
# Converting and loading back


def test_import_writes_user_entries_and_roles(actors_txt: Path, agents_txt: Path):
    report = Report()
    imported = import_dictionaries([actors_txt, agents_txt], report)
    assert [kind for _, kind in imported.files] == ["actors", "agents"]
    by_name = {e["name"]: e for e in imported.entries}
    assert set(by_name) == {"Boris N. Yeltsin", "Vladimir Putin", "Lok Sabha", "Qwertia"}
    yeltsin = by_name["Boris N. Yeltsin"]
    assert yeltsin["names"] == ["Boris Yeltsin", "Yeltsin"]
    assert yeltsin["kind"] == "person"
    assert yeltsin["codes"] == [
        {"code": "RUSGOV", "from": "1991-07-10", "until": "1999-12-31"},
        {"code": "RUSELI", "from": "1999-12-31", "until": None},
    ]
    assert yeltsin["source"] == f"{actors_txt}:5"
    assert by_name["Qwertia"] == {
        "name": "Qwertia",
        "code": "QWE",
        "kind": "country",
        "names": ["Qwertian"],
        "source": f"{actors_txt}:19",
    }
    roles = {r["role"]: r["code"] for r in imported.roles}
    assert roles["finance minister"] == "GOV" and roles["congresswomen"] == "LEG"
    assert report.skipped["actor without a usable code"] == 1  # INDIAN_OCEAN [---]


def test_yaml_round_trip_gives_the_same_lookups(tmp_path: Path, actors_txt: Path, agents_txt: Path):
    imported = import_dictionaries([actors_txt, agents_txt], Report())
    out = _write(tmp_path, "imported.yml", to_yaml(imported))
    entries, roles = load_user_file(out)
    assert len(entries) == len(imported.entries) and len(roles) == len(imported.roles)
    assert [e["name"] for e in entries] == [e["name"] for e in imported.entries]
    assert load_user_actors(out) == entries
    kb = load_kb(str(out))
    assert kb.lookup("Putin", on="2003-01-01").code == "RUSGOV"
    assert kb.lookup("President Putin", on="2009-01-01").code == "RUSELI"  # the default between terms
    assert kb.lookup("Vladimir Putin", on="2008-05-07").code == "RUSELI"  # TABARI's end is exclusive
    assert kb.lookup("Vladimir Putin", on="2013-01-01").code == "RUSGOV"
    assert kb.lookup("Yeltsin", on="1995-01-01").code == "RUSGOV"
    assert kb.lookup("Boris Yeltsin", on="2001-01-01").code == "RUSELI"
    assert kb.lookup("House of the People").code == "INDGOVLEG"
    assert kb.role("Russian Finance Minister") == ("GOV", "finance minister")
    assert kb.role("the zyxo heralds") == ("GOVMED", "zyxo heralds")
    # the packaged knowledge base, shared and cached, is untouched
    assert load_kb().role("zyxo herald") is None
    assert load_kb().lookup("Qwertia") is None


def test_names_that_yaml_would_misread_are_quoted(tmp_path: Path):
    path = _write(
        tmp_path,
        "odd.actors.txt",
        'NO [NOR]\n+TRUE\n+FOO:_BAR\n+A,_B\n+"QUOTED"_MAN\n+#NOT_A_COMMENT [XXX]\nPARTY_OF_COTE_D\'IVOIRE [CIVPTY]\n',
    )
    imported = import_dictionaries([path], Report())
    out = _write(tmp_path, "odd.yml", to_yaml(imported))
    entries, _ = load_user_file(out)
    assert [e["names"] for e in entries] == [
        ["NO", "True", "Foo: Bar", "A, B", '"Quoted" Man'],
        ["Party of Cote D'Ivoire"],
    ]


def test_role_items_in_a_user_file_are_checked_with_file_and_line(tmp_path: Path):
    good = _write(tmp_path, "roles.yml", "- role: zyxo herald\n  code: GOVMED\n- {role: envoy, code: GOV}\n")
    assert load_user_file(good) == ([], [("zyxo herald", "GOVMED"), ("envoy", "GOV")])
    for text, message in [
        ("- role: zyxo herald\n  code: ~GOV\n", ":2: write the role's code without '~' (GOV)"),
        ("- role: zyxo herald\n  code: gov\n", ":2: 'gov' is not a sector code"),
        ("- role: zyxo herald\n", ":1: give the 'code' (sector) of the role 'zyxo herald'"),
        ("- role: zyxo herald\n  code: GOV\n  kind: person\n", ":3: unknown key 'kind' in a role"),
        ("- name: X\n  code: RUSGOV\n- role: ''\n  code: GOV\n", ":3: entry 2: 'role' must be a phrase"),
    ]:
        bad = _write(tmp_path, "bad.yml", text)
        with pytest.raises(InvalidRuleFile) as info:
            load_user_file(bad)
        assert str(info.value).startswith(str(bad)) and message in str(info.value), str(info.value)


def test_unreadable_and_foreign_files_are_errors_naming_the_file(tmp_path: Path):
    cases = [
        (tmp_path / "missing.txt", UnreadableInput, "no such file"),
        (_write(tmp_path, "prose.txt", "Hello.\nNo codes here.\n"), InvalidRuleFile, "not a TABARI"),
        (tmp_path, UnreadableInput, "a folder, not a file"),
    ]
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    cases.append((binary, UnreadableInput, "a binary file"))
    latin = tmp_path / "latin.actors.txt"
    latin.write_bytes("RUSSIA [RUS]\nCÔTE_D'IVOIRE [CIV]\n".encode("cp1252"))
    cases.append((latin, UnreadableInput, ":2: not UTF-8 text"))
    for path, error, message in cases:
        with pytest.raises(error) as info:
            import_dictionaries([path], Report())
        assert str(info.value).startswith(str(path)) and message in str(info.value)


# ----------------------------------------------------------------------------------------------------
# The PETRARCH validation dictionaries


@pytest.mark.skipif(
    not UNIT_TESTS.is_dir(), reason="../shared/eval/events/petrarch-unit-tests is not present"
)
def test_petrarch_unit_test_dictionaries(tmp_path: Path):
    report = Report()
    actors, agents = UNIT_TESTS / "PETR.Validate.actors.txt", UNIT_TESTS / "PETR.Validate.agents.txt"
    imported = import_dictionaries([actors, agents], report)
    assert imported.files == [(actors, "actors"), (agents, "agents")]
    # counts as read on 2014's validation suite: a change in the reading rules shows here
    assert (len(imported.entries), len(imported.roles)) == (119, 159)
    assert report.skipped["malformed code"] == 4  # [pse], [ELR/GAL], [+++], [FRO/BIL/SAM]
    assert report.skipped["agents: code is not a sector ([IGO~])"] == 3  # [NGO~]
    kb = load_kb(str(_write(tmp_path, "petr.yml", to_yaml(imported))))
    # SAM_GAMGEE's dated codes: the most recently started one wins where they overlap
    assert kb.lookup("Sam Gamgee", on="2009-01-01").code == "HOBMIL"
    assert kb.lookup("Sam Gamgee", on="2010-01-10").code == "ORCHOB"
    assert kb.lookup("Sam Gamgee", on="2014-01-01").code == "HOBELI"
    assert kb.lookup("Smeagol", on="1997-01-01").code == "HOBGOV"  # a synonym of GOLLUM
    assert kb.lookup("Zimbabwe", on="1970-01-01").code == "RHO"
    assert kb.lookup("Zimbabwe", on="1990-01-01").code == "ZBW"
    assert kb.lookup("Aardvark").code == "SAF"  # not joined to PALESTINIAN [pse] above it
    assert kb.role("Minister of Silly Walks") == ("GOV", "minister of silly walks")  # !MINST! expanded


# ----------------------------------------------------------------------------------------------------
# The command


def test_cli_imports_to_stdout_and_to_a_file(tmp_path: Path, actors_txt: Path, agents_txt: Path):
    result = runner.invoke(app, ["actors", "import", str(actors_txt), str(agents_txt)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Actor entries and role words imported by `tacitus actors import`")
    assert "- {role: finance minister, code: GOV}" in result.stdout
    summary = result.stderr.strip()
    assert "\n" not in summary
    assert summary.startswith("imported 4 entries and ")
    assert f"code [---] (known non-actor): 1 (e.g. {actors_txt}:16)" in summary
    assert f"agents: unknown substitution set: 1 (e.g. {agents_txt}:10)" in summary

    out = tmp_path / "out.yml"
    result = runner.invoke(app, ["actors", "import", str(actors_txt), "-o", str(out)])
    assert result.exit_code == 0 and result.stdout == ""
    assert f"to {out}" in result.stderr and "- name: Vladimir Putin" in out.read_text(encoding="utf-8")


def test_cli_lookup_with_an_imported_file(tmp_path: Path):
    dictionary = _write(
        tmp_path, "zyxo.actors.txt", "ZYXO_QARLAN_\n+QARLAN\n\t[RUSGOV 991231-080507]\n\t[RUSELI]\n"
    )
    out = tmp_path / "zyxo.yml"
    assert runner.invoke(app, ["actors", "import", str(dictionary), "-o", str(out)]).exit_code == 0

    def code_on(day: str) -> str | None:
        args = ["actors", "lookup", "Zyxo Qarlan", "--on", day, "--actors", str(out), "--format", "json"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)[0]["code"]

    assert code_on("2003-01-01") == "RUSGOV"
    assert code_on("2009-01-01") == "RUSELI"
    without = runner.invoke(app, ["actors", "lookup", "Zyxo Qarlan", "--on", "2003-01-01"])
    assert without.exit_code == 1  # the packaged knowledge base does not know the name


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "nope.actors.txt", "no such file"),
        (lambda d: _write(d, "garbage.txt", "lorem ipsum\ndolor sit amet\n"), "not a TABARI actor or agent"),
        (lambda d: (d / "blob.bin").write_bytes(bytes(range(256))) and d / "blob.bin", "a binary file"),
    ],
)
def test_cli_errors_are_one_line_naming_the_file(tmp_path: Path, make, message: str):
    path = make(tmp_path)
    result = runner.invoke(app, ["actors", "import", str(path)])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and str(path) in errors[0] and message in errors[0], result.stderr
    assert result.stdout == ""
