"""Verb patterns generated from the PETRARCH-2 dictionary (tools/build_verb_patterns.py): reproducible,
valid, loaded after the hand-written ones, and coding sentences as the dictionary says."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tacitus.components.events import PACKAGED_PATTERN_FILES, load_patterns, read_patterns
from tacitus.pipeline import analyze

REPO = Path(__file__).resolve().parents[1]
DICTIONARY = REPO.parent / "shared" / "resources" / "phoenix" / "CAMEO.2.0.txt"
DATA = REPO / "src" / "tacitus" / "ontology" / "data"
GENERATED = DATA / "petrarch_patterns.json"
HANDWRITTEN = DATA / "verb_patterns.yaml"


def _events(text: str) -> list[tuple[str | None, str, str | None, str]]:
    record = analyze(text, published="2024-03-12")
    return [(e.source_code, e.code, e.target_code, e.rule) for e in record.events]


@pytest.mark.skipif(not DICTIONARY.is_file(), reason=f"{DICTIONARY} not found (../shared/resources)")
def test_tool_reproduces_committed_file(tmp_path: Path) -> None:
    out = tmp_path / "petrarch_patterns.json"
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_verb_patterns.py"), "--resources",
         str(DICTIONARY.parents[1]), "--output", str(out)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    assert out.read_bytes() == GENERATED.read_bytes(), (
        "rerun tools/build_verb_patterns.py and commit the result"
    )


def test_generated_file_passes_the_validator_and_names_its_source() -> None:
    text = GENERATED.read_text(encoding="utf-8")
    patterns = read_patterns(text, GENERATED.name)
    assert len(patterns) > 1000
    assert all(p.id.startswith("petrarch.") for p in patterns)
    about = json.loads(text)["about"]
    assert "CAMEO.2.0.txt" in about and "MIT" in about and "tools/build_verb_patterns.py" in about
    # every generated pattern cites the dictionary lines it comes from, one pattern a line
    rows = [json.loads(line.rstrip(",")) for line in text.splitlines() if line.startswith('{"id"')]
    assert len(rows) == len(patterns)
    assert all(row["provenance"].split(": ", 1)[1].startswith("CAMEO.2.0.txt ") for row in rows)


def test_packaged_set_is_hand_written_first_then_generated(tmp_path: Path) -> None:
    assert PACKAGED_PATTERN_FILES == ("verb_patterns.yaml", "petrarch_patterns.json")
    hand = read_patterns(HANDWRITTEN.read_text(encoding="utf-8"), HANDWRITTEN.name)
    loaded = load_patterns()
    assert [p.id for p in loaded[: len(hand)]] == [p.id for p in hand]
    assert loaded[len(hand) :] and all(p.id.startswith("petrarch.") for p in loaded[len(hand) :])
    # a user's file replaces both
    mine = tmp_path / "mine.yaml"
    mine.write_text('- id: mine.v1\n  code: "190"\n  verbs: [attack]\n', encoding="utf-8")
    assert [p.id for p in load_patterns(str(mine))] == ["mine.v1"]


def test_hand_written_pattern_wins_for_a_verb_in_both_files() -> None:
    generated = {v for p in load_patterns() if p.id.startswith("petrarch.") for v in p.verbs}
    assert {"converse", "hold"} <= generated  # CONFER [040:040] and "hold" + meeting words in the dictionary
    rules = {rule for *_, rule in _events("Putin conversed with Xi Jinping by telephone.")}
    assert rules == {"consult.telephone.v1"}
    rules = {rule for *_, rule in _events("Germany held talks with France.")}
    assert rules == {"negotiate.talks.v1"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CAMEO.2.0.txt:3981, START block (verb OPEN at 3804): "- * FIRE  [193]  # OPEN"
        ("North Korean troops opened fire on South Korean soldiers.", {("PRK", "193", "KOR")}),
        # CAMEO.2.0.txt:8504-8506: "---  KIDNAP   [181]  ---" with the verb KIDNAP
        ("Somali militants kidnapped two Kenyan aid workers.", {("SOM", "181", "KEN")}),
        # CAMEO.2.0.txt:7803-7810: "---  MOBILIZE   [150]  ---" with the verb MOBILIZE
        ("Iran mobilized its army against Iraq.", {("IRN", "150", "IRQ")}),
        # CAMEO.2.0.txt:3633, SIGN block: "- * {PEACE &TREATY}  [057:057]  # SIGN" (&TREATY has AGREEMENT;
        # the same code on both sides marks a mutual act)
        ("Germany signed a peace agreement with France.", {("DEU", "057", "FRA"), ("FRA", "057", "DEU")}),
    ],
)
def test_generated_patterns_code_sentences_as_the_dictionary_says(text: str, expected: set) -> None:
    events = _events(text)
    assert events and all(rule.startswith("petrarch.") for *_, rule in events)
    assert {(s[:3], code, t[:3]) for s, code, t, _ in events if s and t} == expected


# ---------------------------------------------------------------- the converter on small dictionaries

MINI = """\
####### SYNONYM SETS #######

&MILITARY
+TROOP
+ARMED_FORCES

####### VERB PATTERNS #######

---  DEPORT   [174]  ---
+KICK_OUT
EXPEL [174]
- * (FROM +)                      [174]   # EXPEL

---  PHYSICAL_CONFLICT   [190]  ---
CLASH
FIGHT
KICK  [180]
- * (WITH)                        [190:190]   # CLASH
- * CORRUPTION                    [---]   # FIGHT
- &MILITARY * (INTO +)            [192]   # FIGHT
- * OFFENSIVE (IN ^)              [190]   # FIGHT
- * IF                            [138]   # FIGHT

---  START   [---]  ---
+KICK_OFF
LAUNCH
- * {AIR RAID} (AGAINST)          [195]   # LAUNCH

---  EXTRADITE   [063]  ---
EXTRADITE  [063]
- * MILITANT                      [063]   # EXTRADITE

---  OBTAIN   [---]  ---
RECEIVE
- * LOAN                          [:071]  # RECEIVE
"""


@pytest.fixture(scope="module")
def tool():
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_verb_patterns", REPO / "tools" / "build_verb_patterns.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_verb_patterns"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def mini(tool, tmp_path_factory):
    path = tmp_path_factory.mktemp("dict") / "mini.txt"
    path.write_text(MINI, encoding="utf-8")
    synsets, blocks = tool.read_dictionary(path)
    converter = tool.Converter(synsets, tool.Lemmas(), handwritten=[])
    patterns = converter.convert(blocks)
    text = tool.render(patterns, converter.used_sets)
    rows = [json.loads(line.rstrip(",")) for line in text.splitlines() if line.startswith('{"id"')]
    return converter, text, rows


def _find(rows: list[dict], **want) -> list[dict]:
    return [r for r in rows if all(r.get(k) == v for k, v in want.items())]


def test_converter_multi_word_verbs_are_particles_first_and_null_coded_ones_block(mini) -> None:
    _, _, rows = mini
    (kick_out,) = _find(rows, particle="out")
    assert kick_out["code"] == "174" and kick_out["verbs"] == ["kick"]
    (kick_off,) = _find(rows, particle="off")
    assert kick_off["blocker"] is True and "code" not in kick_off and "target" not in kick_off
    (kick,) = [r for r in rows if "kick" in r["verbs"] and "particle" not in r]
    assert kick["code"] == "180"  # the verb's own code, not the block's 190
    assert rows.index(kick_out) < rows.index(kick) and rows.index(kick_off) < rows.index(kick)


def test_converter_verb_line_semantics(mini) -> None:
    _, _, rows = mini
    bare = {
        v: r["code"]
        for r in rows
        if set(r) & {"objects", "preps", "before", "particle"} == set()
        for v in r["verbs"]
    }
    # CLASH takes its block's code; FIGHT is a member whose bare use is mostly another act (MEMBER_VERBS
    # has it though): both are coded; LAUNCH is under a null-coded block; EXPEL has its own code
    assert (
        bare["clash"] == "190" and bare["expel"] == "174" and "launch" not in bare and "receive" not in bare
    )
    # a verb with its own code codes whatever its object, even when a pattern line with the same code
    # names one object: "EXTRADITE [063]" and "- * MILITANT [063]" are not restricted to militants
    assert bare["extradite"] == "063"
    assert not [r for r in rows if "extradite" in r["verbs"] and "objects" in r]


def test_converter_markers_prepositions_and_target_only_codes(mini) -> None:
    converter, text, rows = mini
    (clash,) = _find(rows, preps={"with": []})
    assert clash["target"] == ["prep:with"] and clash["symmetric"] is True  # [190:190]: mutual
    (blocker,) = _find(rows, objects=["corruption"])
    assert blocker["blocker"] is True and blocker["verbs"] == ["fight"]
    (into,) = _find(rows, code="192")
    assert into["before"] == [["&military"]] and into["target"] == ["prep:into"]
    assert json.loads(text)["sets"]["&military"] == ["armed force", "troop"]
    (offensive,) = _find(rows, objects=["offensive"])
    assert "prep:in" not in offensive["target"]  # (IN ^): a place, never the target
    (raid,) = _find(rows, code="195")
    assert (
        raid["objects"] == ["raid"]
        and raid["objects_all"] == [["air"]]
        and raid["target"][0] == "prep:against"
    )
    (loan,) = _find(rows, code="071")
    assert loan["target"] == ["subject"] and loan["source"] == ["object_actor", "prep:from", "prep:by"]
    (expel,) = _find(rows, preps={"from": []})
    assert expel["target"] == ["prep:from"]
    assert converter.pattern_skips == {"words of another clause (IF, THAT, WHEN ...)": 1}
    # the output passes the component's validation
    assert len(read_patterns(text, "mini.json")) == len(rows)


def test_converter_is_deterministic(tool, tmp_path) -> None:
    path = tmp_path / "mini.txt"
    path.write_text(MINI, encoding="utf-8")
    texts = []
    for _ in range(2):
        synsets, blocks = tool.read_dictionary(path)
        converter = tool.Converter(synsets, tool.Lemmas(), handwritten=[])
        texts.append(tool.render(converter.convert(blocks), converter.used_sets))
    assert texts[0] == texts[1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # CAMEO.2.0.txt PHYSICAL_CONFLICT: "- * WITH  [190:190]  # BATTLE , CLASH" (a mutual act)
        ("Indian troops clashed with Chinese soldiers.", {("IND", "190", "CHN"), ("CHN", "190", "IND")}),
        # GUNFIRE [190] with the verb SHELL: the verb takes its block's code
        ("Russian forces shelled Kharkiv.", {("RUS", "190", "UKR")}),
        # DEPORT [174] with the multi-word verb +KICK_OUT
        ("Kenya kicked out the Somali ambassador.", {("KEN", "174", "SOM")}),
        # OBTAIN: "- * LOAN  [:071]  # RECEIVE": the receiver is the target
        ("Kenya received a loan from the World Bank.", {("IGO", "071", "KEN")}),
    ],
)
def test_generated_constructs_code_sentences(text: str, expected: set) -> None:
    events = _events(text)
    assert events and all(rule.startswith("petrarch.") for *_, rule in events)
    assert {(s[:3], code, t[:3]) for s, code, t, _ in events if s and t} == expected
