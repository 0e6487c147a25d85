"""PETRARCH's validation suite: reading the records, what is skipped, PETRARCH's pass rule, and a floor."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tacitus.components.events import load_patterns
from tacitus.errors import UnreadableInput
from tacitus.evaluate.petrarch_suite import (
    evaluate_petrarch_suite,
    event_triple,
    import_toy_actors,
    import_toy_verbs,
    load_suite,
    parse_suite,
    record_passes,
    score_suite,
)

SUITE = Path(__file__).resolve().parents[2] / "shared" / "eval" / "events" / "petrarch-unit-tests"

CAMEO = {"023", "032", "033", "041", "064", "122", "173"}

XML = """<Validation>
<Environment>
    <Verbfile>toy.verbs.txt</Verbfile>
    <Actorfile>toy.actors.txt</Actorfile>
    <Agentfile>toy.agents.txt</Agentfile>
    <Include>valid DEMO COMPOUND ERROR</Include>
</Environment>
<Sentences>
<Sentence date="19950101" id="DEMO-01" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="064"></EventCoding>
<EventCoding sourcecode="---GOV" targetcode="---" eventcode="023"></EventCoding>
<Text>
Arnor is about to restore full diplomatic ties
with Gondor, a senior official said.
</Text>
<Parse>(ROOT (S (NP (NNP Arnor))))</Parse>
</Sentence>
<Sentence date="19950101" id="DEMO-02" category="DEMO" sentence="true">
<EventCoding noevents = "True"></EventCoding>
<Text>Nothing happened in Bree.</Text>
</Sentence>
<Config option="require_dyad" value="FALSE"></Config>
<Sentence date="1995" id="COMPOUND-01" category="COMPOUND" sentence="true">
<EventCoding sourcecode="FOR" targetcode="OSG" eventcode="041"></EventCoding>
<Text>Fornost welcomed ties with Osgiliath.</Text>
</Sentence>
<Config option="require_dyad" value="true"></Config>
<Sentence date="19950101" id="COMPOUND-02" category="COMPOUNDx" sentence="true">
<EventCoding sourcecode="USAGOV" targetcode="GON" eventcode="064"></EventCoding>
<Text>Disabled by its category.</Text>
</Sentence>
<Sentence date="19950101" id="ERROR-01" category="ERROR" sentence="true">
<EventCoding error="sentencediscard"></EventCoding>
<Text>Arnor restores baseball competition with Gondor.</Text>
</Sentence>
<Sentence date="19950101" id="DEMO-03" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="903"></EventCoding>
<Text>A toy verb code.</Text>
</Sentence>
<Sentence date="19950101" id="DEMO-04" category="DEMO" sentence="true">
<EventCoding sourcecode='"INJURY TOLL"' targetcode="OSG" eventcode="173"></EventCoding>
<Text>A new-actor text code.</Text>
</Sentence>
<Sentence date="19950101" id="DEMO-05" category="DEMO" sentence="true">
<Text>No EventCoding at all: no events, as PETRARCH reads it.</Text>
</Sentence>
<Sentence date="19950101" id="DEMO-05" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="122"></EventCoding>
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="122"></EventCoding>
<Text>A repeated id and a repeated event.</Text>
</Sentence>
</Sentences>
</Validation>"""


def _parse():
    return parse_suite(ET.fromstring(XML), cameo=CAMEO)


def test_records_environment_and_skips_are_read() -> None:
    records, environment, notes = _parse()
    assert environment["Actorfile"] == "toy.actors.txt"
    assert [r.key for r in records] == [
        "DEMO-01", "DEMO-02", "COMPOUND-01", "COMPOUND-02", "ERROR-01", "DEMO-03", "DEMO-04", "DEMO-05",
        "DEMO-05#2",
    ]  # fmt: skip
    by_key = {r.key: r for r in records}
    first = by_key["DEMO-01"]
    assert first.text == "Arnor is about to restore full diplomatic ties with Gondor, a senior official said."
    assert first.date == "1995-01-01"
    assert first.expected == {("ARN", "GON", "064"), ("---GOV", "---", "023")}
    assert first.skip is None and first.config == ()
    assert by_key["DEMO-02"].expected == frozenset() and by_key["DEMO-02"].skip is None
    compound = by_key["COMPOUND-01"]
    assert compound.config == (("require_dyad", "false"),) and compound.date is None
    assert "category not in the suite's <Include>" in by_key["COMPOUND-02"].skip
    assert "input error" in by_key["ERROR-01"].skip
    assert "not CAMEO" in by_key["DEMO-03"].skip
    assert "actor code" in by_key["DEMO-04"].skip
    assert by_key["DEMO-05"].expected == frozenset() and by_key["DEMO-05"].skip is None
    assert by_key["DEMO-05#2"].expected == {("ARN", "GON", "122")}
    joined = "\n".join(notes)
    assert "COMPOUND-01: date '1995' is not YYYYMMDD" in joined
    assert "DEMO-05: no <EventCoding>; scored as expecting no events" in joined
    assert "id DEMO-05 appears more than once" in joined
    assert "DEMO-05#2: an expected event is listed twice" in joined


def test_event_triples_and_the_pass_rule() -> None:
    assert event_triple("arngov", None, "064") == ("ARNGOV", "---", "064")
    assert event_triple("ARN", "GON", None) is None
    assert record_passes(set(), [])  # no events expected, none coded
    assert record_passes({("ARN", "GON", "064")}, [("ARN", "GON", "064"), ("ARN", "GON", "064")])
    assert not record_passes({("ARN", "GON", "064")}, [("ARN", "GON", "064"), ("GON", "ARN", "064")])
    assert not record_passes({("ARN", "GON", "064")}, [])


def test_scoring_by_hand() -> None:
    records, _, _ = _parse()
    predicted = {
        # one of two expected triples: fails; codes {064} vs {064, 023}: wrong; roots {06} vs {06, 02}
        "DEMO-01": [("ARN", "GON", "064")],
        # an event where none is expected
        "DEMO-02": [("BRE", "---", "173")],
        # right code, wrong source: fails, but the code and root are right
        "COMPOUND-01": [("GON", "OSG", "041")],
        # "DEMO-05": nothing coded, nothing expected: passes
        "DEMO-05#2": [("ARN", "GON", "122")],  # passes
    }
    actors = {"DEMO-01": ["ARN", "GON", None], "COMPOUND-01": ["GON", "OSG"], "DEMO-05#2": ["ARNGOV"]}
    metrics, counts, notes = score_suite(records, predicted, actors)
    assert (counts["records"], counts["scored"], counts["skipped"]) == (9, 5, 4)
    assert counts["passed"] == 2
    assert metrics["record_accuracy"] == pytest.approx(2 / 5)
    assert metrics["event_code_accuracy"] == pytest.approx(3 / 5)  # COMPOUND-01, DEMO-05, DEMO-05#2
    assert metrics["root_accuracy"] == pytest.approx(3 / 5)
    assert metrics["no_event_accuracy"] == pytest.approx(1 / 2)  # DEMO-02 fails, DEMO-05 passes
    # triples: gold 2 + 1 + 1 = 4, predicted 1 + 1 + 1 + 1 = 4, matched 1 + 1 = 2
    assert (counts["gold_triples"], counts["predicted_triples"], counts["matched_triples"]) == (4, 4, 2)
    assert metrics["triple_f1"] == pytest.approx(0.5)
    # expected actors (no "---"): ARN, GON; FOR, OSG; ARN, GON -> found ARN, GON, OSG
    assert (counts["expected_actors"], counts["expected_actors_found"]) == (6, 3)
    assert counts["with_config"] == 1 and counts["with_config_passed"] == 0
    joined = "\n".join(notes)
    assert "skipped 1 record(s): expects an event code that is not CAMEO" in joined
    assert "passed by category: COMPOUND 0/1, DEMO 2/4" in joined
    assert "DEMO-01: expected ---GOV/---/023, ARN/GON/064; coded ARN/GON/064" in joined


def test_load_rejects_what_it_cannot_read(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="cannot read"):
        load_suite(tmp_path)
    (tmp_path / "PETR.UnitTest.records.xml").write_text("<Validation><Sentences>", encoding="utf-8")
    with pytest.raises(UnreadableInput, match="not well-formed XML"):
        load_suite(tmp_path)


def test_toy_dictionaries_become_a_user_actor_file(tmp_path: Path) -> None:
    (tmp_path / "toy.actors.txt").write_text("ARNOR_  [ARN]\nGONDOR [GON]\n+MINAS_TIRITH\n", encoding="utf-8")
    (tmp_path / "toy.agents.txt").write_text("AMBASSADOR [~GOV]\n", encoding="utf-8")
    environment = {"Actorfile": "toy.actors.txt", "Agentfile": "toy.agents.txt", "Verbfile": "toy.verbs.txt"}
    text, notes = import_toy_actors(tmp_path, environment)
    assert "- name: Gondor" in text and "names: [Minas Tirith]" in text
    assert "role: ambassador" in text
    assert notes[0].startswith("toy dictionaries imported as a user actor file: 2 actors and ")
    assert not any("toy.verbs.txt" in n for n in notes)  # the verbs are import_toy_verbs's


TOY_VERBS = """<!-- a toy dictionary in the suite's format: synonym sets between the blocks, codes not CAMEO's -->
&TIETYPES
+MILITARY
+ECONOMIC

--- RESTORE  [---]  ---
RESTORE
- * &TIETYPES TIES [902]
- * DIPLOMATIC TIES [064]

&OUTER
+&TIETYPES
+CULTURAL

--- CONDEMN  [122]  ---
CONDEMN
- * &OUTER TIES [903]
"""


def test_toy_verbs_become_a_pattern_file(tmp_path: Path) -> None:
    (tmp_path / "toy.verbs.txt").write_text(TOY_VERBS, encoding="utf-8")
    text, codes, notes = import_toy_verbs(tmp_path, {"Verbfile": "toy.verbs.txt"})
    assert codes == {"064", "122", "902", "903"}  # 90x are no CAMEO codes: kept for a user's dictionary
    assert notes[0].startswith("toy verb dictionary toy.verbs.txt converted to 4 patterns")
    path = tmp_path / "toy.json"
    path.write_text(text, encoding="utf-8")
    with pytest.warns(UserWarning, match="902"):
        patterns = load_patterns(str(path))
    by_code = {p.code: p for p in patterns}
    assert by_code["902"].objects == {"military", "economic"}
    assert by_code["902"].objects_all == (frozenset({"tie", "ties"}),)
    assert by_code["903"].objects == {"military", "economic", "cultural"}  # a set inside a set
    assert by_code["122"].verbs == frozenset({"condemn"})  # a bare verb, as PETRARCH codes it


@pytest.mark.skipif(not SUITE.is_dir(), reason=f"{SUITE} is missing (tests read ../shared)")
def test_floor_on_every_4th_petrarch_record() -> None:
    # every 4th of the 284 records spans the file's categories (DEMO ... PARSING); the first 60 would be
    # DEMO and AGENT only
    result = evaluate_petrarch_suite(SUITE, stride=4)
    assert result.counts["records"] == 71
    assert result.n_docs == result.counts["scored"] == 68  # 3 skipped, by reasons counted in the notes
    assert result.counts["failed_records"] == 0
    # measured on 2026-12-02 with the suite's toy verb dictionary converted to the only patterns
    # (tacitus.ontology.petrarch_verbs) and its toy actors: 0.279 (19 of 68 records pass), 0.816 of the
    # expected actors found (115/141). Full suite that day: 0.244 (65 of 266 scored; before the toy verbs
    # were loaded, 0.091 to 0.101 of the 198 records then scored). The goal is 0.70; most
    # failures are actor codes (a toy country and an agent not composed: "Arnor cleric" ---REL, not
    # ARNREL), PETRARCH's second code of [032:033] for the target, and compound actors.
    # with the user's own countries qualifying roles ("Arnor cleric" ARNREL): 0.324 on this slice, actors
    # found 0.865 (full suite 0.282 / 0.883), 2026-12-02
    assert result.metrics["record_accuracy"] >= 0.29
    assert result.metrics["expected_actor_recall"] >= 0.82
    assert result.metrics["no_event_accuracy"] >= 0.8
