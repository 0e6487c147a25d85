"""Violence words used for words: criticism said with "attack", "target", "pound" is CAMEO 111, not 190;
an attack with arms stays an attack (components/events/figurative.py, ontology/data/figurative.yaml)."""

from __future__ import annotations

import pytest

from tacitus.components.events import figurative as fig
from tacitus.pipeline import analyze


def _events(text: str) -> list[tuple[str, str | None, str | None, str]]:
    r = analyze(text, published="2019-06-01")
    name = {a.id: a.name for a in r.actors}
    return [(e.code, name.get(e.source), name.get(e.target), e.rule or "") for e in r.events]


@pytest.mark.parametrize(
    ("text", "source", "target"),
    [
        # a reason: "for" with a gerund, "over" with a noun
        ("The Republican Party attacked the president for declining an invitation.", "Republican Party",
         "president"),
        ("Senator Ted Cruz attacked Nancy Pelosi over her remarks about the budget.", "Ted Cruz", "Nancy Pelosi"),
        ("Immigration activists have targeted Kevin McCarthy because of his rank in the House.",
         "Immigration activists", "Kevin McCarthy"),
        # a verb of saying on the trigger
        ("Democrats have been pounding Paul LePage, saying that he needs to step down.", "Democrats",
         "Paul LePage"),
        # a medium
        ("Donald Trump attacked Hillary Clinton in a speech in Ohio.", "Donald Trump", "Hillary Clinton"),
        # a thing said or decided as what is attacked
        ("Barack Obama is targeting the Second Amendment rights of American citizens.", "Barack Obama",
         "American citizens"),
    ],
)  # fmt: skip
def test_criticism_in_violent_words_is_criticism(text: str, source: str, target: str) -> None:
    events = _events(text)
    assert [e for e in events if e[0] == "111" and e[3].endswith("+figurative")], events
    assert not any(e[0][:2] in ("18", "19", "20") for e in events), events
    coded = next(e for e in events if e[0] == "111")
    assert source in (coded[1] or "") and target in (coded[2] or ""), coded


def test_a_noun_attack_with_a_verb_of_saying_is_criticism() -> None:
    events = _events("Joe Biden made an attack on Donald Trump on Thursday, decrying his rhetoric.")
    assert ("111", "Joe Biden", "Donald Trump", "noun.attack.v1+figurative") in events


def test_an_attack_of_words_is_criticism() -> None:
    events = _events("Nancy Pelosi made a scathing attack on Donald Trump.")
    assert ("111", "Nancy Pelosi", "Donald Trump", "noun.attack.v1+figurative") in events
    # the same noun with arms stays an attack
    events = _events("Hamas launched a rocket attack on Israel.")
    assert any(e[0][:2] == "19" for e in events) and not any(e[0] == "111" for e in events), events


@pytest.mark.parametrize(
    "text",
    [
        # an armed body on either side
        "Israeli troops attacked the town for hours.",
        "Rebels attacked Syrian President Bashar al-Assad over the siege of the city.",
        # a word of violence in the sentence
        "A mob attacked the U.S. consulate in Benghazi, killing the ambassador, officials said in a statement.",
        "Gunmen attacked the senator for his vote, witnesses told the police.",
        # nothing says it was said: two countries
        "Russia attacked Ukraine on Monday.",
        # "for" a time is no reason
        "Protesters attacked the prime minister for three hours.",
    ],
)
def test_attacks_with_arms_or_without_words_stay_attacks(text: str) -> None:
    events = _events(text)
    assert any(e[0][:2] in ("18", "19", "20") for e in events), events
    assert not any(e[3].endswith("+figurative") for e in events), events


def test_the_lists_load_and_name_the_file_when_broken(monkeypatch: pytest.MonkeyPatch) -> None:
    w = fig.words()
    assert {"attack", "target", "pound"} <= w.triggers and "MIL" in w.armed_sectors
    assert "attack" not in w.violence  # the trigger itself never vetoes
    fig.words.cache_clear()
    monkeypatch.setattr(fig, "_NAME", "event_nouns.yaml")  # a packaged YAML file of other keys
    with pytest.raises(fig.InvalidRuleFile, match="event_nouns.yaml: expected exactly the keys"):
        fig.words()
    fig.words.cache_clear()
