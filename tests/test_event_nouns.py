"""Events written as nouns (ontology/data/event_nouns.yaml): doers from support verbs or the noun itself."""

from __future__ import annotations

from tacitus.pipeline import analyze


def _events(text: str, published: str = "2019-06-01") -> list[tuple]:
    r = analyze(text, published=published)
    name = {a.id: a.name for a in r.actors}
    return [(e.code, name.get(e.source), name.get(e.target), e.mood, e.rule) for e in r.events]


def test_a_nationality_on_the_noun_is_the_doer():
    events = _events("Saudi air strikes on Sanaa killed 12 people on Tuesday.")
    assert ("195", "Saudi Arabia", "Sanaa", "asserted", "noun.airstrike.v1") in events


def test_a_support_verb_gives_the_doer_and_its_mood():
    events = _events("The army launched an offensive against rebels in the north.")
    assert any(e[0] == "190" and e[1] == "army" and e[2] == "rebels" for e in events)
    intended = _events("Israel is ready to launch an offensive against Hamas.")
    # an intended attack is a threat of force (CAMEO 138), never the attack
    assert any(e[0] == "138" and e[3] == "intended" and e[4].endswith("+intent") for e in intended)
    assert not any(e[0].startswith("19") for e in intended)


def test_a_noun_nobody_does_is_no_event():
    assert _events("The ceasefire collapsed and the agreement is dead.") == []
    # support_only nouns need their support verb: the agreement mentioned is not an agreement signed
    assert not any(e[0] == "057" for e in _events("Iran criticised the agreement with Iraq."))
    assert any(e[0] == "057" for e in _events("Iran signed an agreement with Iraq on Monday."))


def test_the_same_event_twice_in_a_sentence_is_one_event_with_its_evidence():
    r = analyze("The US imposed sanctions on Iran on Monday.", published="2019-06-01")
    sanctions = [e for e in r.events if e.code == "163"]
    assert len(sanctions) == 1
    triggers = [
        r.text[s:e]
        for s, e in [sanctions[0].trigger_span, *(x["trigger_span"] for x in sanctions[0].evidence)]
    ]
    assert triggers == ["imposed", "sanctions"]


def test_investigations_and_official_complaints():
    events = _events("Serbian military police have launched an investigation into alleged crimes.")
    assert any(e[0] == "090" and e[1] == "Serbian military police" for e in events)
    assert ("114", "Serbia", "Albania", "asserted", "noun.complaint.v1") in _events(
        "Serbia lodged an official protest with Albania today."
    )


def test_a_place_attacked_is_its_country_and_a_dative_is_a_target():
    r = analyze("Saudi air strikes in Yemen killed 12 people.", published="2019-06-01")
    strike = next(e for e in r.events if e.code == "195")
    yemen = r.actor(strike.target)
    assert (yemen.code, yemen.kind, r.span_text(yemen.mentions[0])) == ("YEM", "country", "Yemen")
    assert ("018", "Japan", "Turkey", "asserted", "statement.sympathy.v1") in _events(
        "Japan offered condolences to Turkey."
    )


def test_withdrawals_and_surrenders_are_retreats():
    assert any(
        e[0] == "0874" and e[1] == "United States"
        for e in _events(
            "The United States speeded up the withdrawal of its forces from Panama on Wednesday."
        )
    )
    assert any(
        e[0] == "0874" for e in _events("Five hundred Ugandan rebels surrendered in Soroti last week.")
    )
