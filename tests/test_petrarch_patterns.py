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
