"""A user's own actor file (--actors my.yml): checked with file and line, layered over the packaged
knowledge base, and used by extract and process in one process or several."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tacitus.cli import app
from tacitus.errors import InvalidRuleFile
from tacitus.kb import load_kb
from tacitus.kb.user import load_user_actors

runner = CliRunner()
GOOD = """\
- name: Zyxo Qarlan
  codes:
    - {code: KENGOV, from: 2020-01-01, until: null}
  names: [Z. Qarlan]
- name: Vladimir Putin
  code: RUSMIL
  kind: person
"""


@pytest.fixture()
def actors_file(tmp_path: Path) -> Path:
    path = tmp_path / "mine.yml"
    path.write_text(GOOD, encoding="utf-8")
    return path


def test_entries_are_layered_over_the_packaged_knowledge_base(actors_file: Path):
    kb = load_kb(str(actors_file))
    assert kb.lookup("Zyxo Qarlan", on="2021-01-01").code == "KENGOV"
    assert kb.lookup("Z. Qarlan", on="2021-01-01").code == "KENGOV"
    assert kb.lookup("Zyxo Qarlan", on="2019-01-01").code == "KEN"  # before its dated code: the country
    assert kb.lookup("Vladimir Putin").code == "RUSMIL"  # the user's entry wins over ours
    assert load_kb().lookup("Vladimir Putin").code != "RUSMIL"  # the shared packaged one is untouched
    assert load_kb().lookup("Zyxo Qarlan") is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- name: X\n  code: RUSGOV\n  colour: red\n", ":3: unknown key 'colour'"),
        ("- name: X\n  code: russia\n", ":2: 'russia' is not a CAMEO actor code"),
        ("- name: X\n  codes:\n    - {code: RUSGOV, from: May 2020}\n", ":3: 'May 2020' is not a date"),
        ("- name: X\n  codes:\n    - {code: RUSGOV, since: 2020-01-01}\n", ":3: unknown key 'since'"),
        ("- name: X\n", ":1: give either 'code' or 'codes'"),
        ("- code: RUSGOV\n", ":1: entry 1 needs a 'name'"),
        ("- name: X\n  code: RUSGOV\n  kind: planet\n", ":3: kind 'planet'"),
        ("name: X\n", ":1: the actor file must be a YAML list"),
        ("- name: [unclosed\n", ": not valid YAML"),
    ],
)
def test_every_mistake_names_the_file_and_line(tmp_path: Path, text: str, message: str):
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidRuleFile) as info:
        load_user_actors(path)
    assert str(info.value).startswith(str(path)) and message in str(info.value)


def _actors(stdout: str) -> dict[str, tuple]:
    record = json.loads(stdout)
    return {a["name"]: (a["code"], a["code_source"]) for a in record["actors"]}


@pytest.mark.parametrize("processes", ["1", "2"])
def test_extract_uses_the_file_in_every_process(tmp_path: Path, actors_file: Path, processes: str):
    story = tmp_path / "z.txt"
    story.write_text(
        "Talks\n\nZyxo Qarlan said on Monday that talks with Uganda would resume.\n", encoding="utf-8"
    )
    args = ["extract", str(story), "--published", "2021-03-01", "-j", processes]
    assert _actors(runner.invoke(app, args).stdout)["Zyxo Qarlan"] == (None, "unknown")
    result = runner.invoke(app, [*args, "--actors", str(actors_file)])
    assert result.exit_code == 0, result.output
    assert _actors(result.stdout)["Zyxo Qarlan"] == ("KENGOV", "kb")


def test_a_bad_file_stops_the_run_before_any_analysis(tmp_path: Path):
    story = tmp_path / "z.txt"
    story.write_text("Talks\n\nPolice said so.\n", encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text("- name: X\n  code: RUSGOV\n  colour: red\n", encoding="utf-8")
    result = runner.invoke(app, ["process", str(story), "--db", str(tmp_path / "t.db"), "--actors", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:3: unknown key 'colour'" in result.stderr
    assert result.stdout == ""


def test_names_from_the_file_are_found_in_the_text_even_where_ner_misses_them(tmp_path: Path):
    path = tmp_path / "groups.yml"
    path.write_text(
        "- name: Kettle Hill Brigade\n  code: UGAREB\n  kind: group\n  names: [KHB]\n"
        "- name: Arnor\n  code: ARN\n  kind: country\n",
        encoding="utf-8",
    )
    from tacitus.components.actors import ActorTagger
    from tacitus.pipeline import load_nlp

    nlp = load_nlp()
    tagger = ActorTagger(actors_file=str(path))
    doc = nlp.make_doc("the kettle hill brigade attacked a convoy, and Arnor protested.")
    for _, proc in nlp.pipeline:
        doc = tagger(doc) if isinstance(proc, ActorTagger) else proc(doc)
    codes = {a["name"]: a["code"] for a in doc._.actors}
    assert codes.get("Kettle Hill Brigade") == "UGAREB"
    assert codes.get("Arnor") == "ARN"


def test_a_users_country_qualifies_roles_like_ours(tmp_path: Path):
    path = tmp_path / "toy.yml"
    path.write_text(
        "- name: Arnor\n  code: ARN\n  kind: country\n  names: [Arnorian]\n- role: cleric\n  code: REL\n",
        encoding="utf-8",
    )
    from tacitus.model import Article
    from tacitus.pipeline import analyze_batch

    (record,) = analyze_batch(
        [Article(text="An Arnor cleric condemned the Arnorian government.", published="2000-01-01")],
        actors_file=str(path),
    )
    codes = {a.name: a.code for a in record.actors}
    assert codes == {"Arnor cleric": "ARNREL", "Arnorian government": "ARNGOV"}
    assert [(e.source_code, e.target_code) for e in record.events] == [("ARNREL", "ARNGOV")]


def test_a_users_country_stays_in_the_knowledge_base_that_loaded_it(tmp_path: Path):
    """Two pipelines in one process (a web server, a test run): one user's "ARN" must not turn the other's
    unknown "ARN" prefix into a country."""
    path = tmp_path / "toy.yml"
    path.write_text("- name: Arnor\n  code: ARN\n  kind: country\n  names: [Arnorian]\n", encoding="utf-8")
    packaged = load_kb()
    users = packaged.with_entries(load_user_actors(path))
    assert users.is_country("ARNGOV") and users.country_of("Arnorian") == "ARN"
    assert not packaged.is_country("ARNGOV") and packaged.country_of("Arnorian") is None
    assert packaged.is_country("RUSGOV") and not packaged.is_country("IGOUNO")
