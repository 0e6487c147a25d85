"""Actors: canonical participants with CAMEO codes (tacitus_actors_v1)."""

from __future__ import annotations

from tacitus.pipeline import analyze


def _actor(record, name):
    found = [a for a in record.actors if a.name == name]
    assert len(found) == 1, [(a.name, a.code) for a in record.actors]
    return found[0]


def test_title_in_front_of_the_name_gives_country_and_sector():
    r = analyze(
        "German Foreign Minister Anna Keller arrived in Paris. Keller said little.", published="2023-05-02"
    )
    keller = _actor(r, "Anna Keller")
    assert keller.code == "DEUGOV"
    assert keller.role == "Foreign Minister"
    assert [r.text[s:e] for s, e in keller.mentions] == ["Anna Keller", "Keller"]


def test_country_after_the_name():
    r = analyze("Defence Minister Tomas Varga of Hungary visited Vienna.", published="2023-05-02")
    # Phoenix.agents codes DEFENCE_MINIST as ~GOVMIL
    assert _actor(r, "Tomas Varga").code == "HUNGOVMIL"


def test_knowledge_base_dates_the_code():
    # Phoenix: Putin is RUSGOV from 2000 on (and was prime minister, also GOV, in between)
    r = analyze("Vladimir Putin spoke to reporters.", published="2017-12-15")
    assert _actor(r, "Vladimir Putin").code == "RUSGOV"


def test_seats_of_government_and_capitals_as_participants():
    r = analyze("The Kremlin rejected the proposal. Pyongyang said nothing.", published="2017-12-15")
    assert _actor(r, "Kremlin").code == "RUSGOV"
    assert _actor(r, "Pyongyang").code == "PRKGOV"


def test_a_capital_used_as_a_place_is_not_an_actor():
    r = analyze("The ministers met in Bangkok on Friday.", published="2017-12-15")
    assert all(a.name != "Bangkok" for a in r.actors)
    assert any(p.name == "Bangkok" and p.country == "THA" for p in r.places)


def test_role_description_with_country():
    r = analyze("A Chinese foreign ministry spokesperson criticized the decision.", published="2020-01-01")
    roles = [a for a in r.actors if a.kind == "role"]
    assert roles and roles[0].country == "CHN"


def test_role_introduced_before_the_name_is_joined_to_it():
    text = (
        "The French special envoy for Libya arrived on Monday.\n\n"
        "Pierre Lamarque told reporters that talks would resume."
    )
    r = analyze(text, published="2020-01-01")
    envoy = _actor(r, "Pierre Lamarque")
    assert envoy.code == "FRAGOV" and envoy.role == "special envoy"
    assert len(envoy.mentions) == 2


def test_name_not_known_and_no_title_keeps_code_null():
    r = analyze("Maria Oduya arrived late.", published="2020-01-01")
    assert _actor(r, "Maria Oduya").code is None


def test_dateline_city_is_not_an_actor():
    r = analyze(
        "MOSCOW — Thousands of people marched through central Moscow on Sunday.", published="2015-03-01"
    )
    assert all(a.name.lower() != "moscow" for a in r.actors)


def test_pronouns_resolve_by_kind():
    from tacitus.components.actors import resolve_pronoun
    from tacitus.pipeline import load_nlp

    nlp = load_nlp()
    doc = nlp.make_doc(
        "The Kremlin rejected the plan. Minister Anna Keller of Germany arrived. It said no. She left."
    )
    doc._.published = "2020-01-01"
    doc = nlp(doc)
    by_id = {a["id"]: a["name"] for a in doc._.actors}
    it = next(t for t in doc if t.text == "It")
    she = next(t for t in doc if t.text == "She")
    assert by_id[resolve_pronoun(doc, it)] == "Kremlin"  # "it" skips the person mentioned in between
    assert by_id[resolve_pronoun(doc, she)] == "Anna Keller"
