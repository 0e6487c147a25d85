"""Appeals (CAMEO 02), demands (CAMEO 10) and statements with a specific meaning (CAMEO 011-019)."""

from __future__ import annotations

from tacitus.pipeline import analyze


def _events(text: str) -> list[tuple]:
    r = analyze(text, published="2019-06-01")
    name = {a.id: a.name for a in r.actors}
    return [(e.code, name.get(e.source), name.get(e.target)) for e in r.events]


def test_an_appeal_is_coded_by_what_is_asked_for():
    assert ("026", "United States", "North Korea") in _events(
        "The United States urged North Korea to return to talks."
    )
    assert ("0253", "Russia", "Israel") in _events("Russia called on Israel to release the prisoners.")
    assert ("023", "Sudan", None) in _events("Sudan appealed for international aid after the floods.")


def test_a_demand_takes_root_10_and_a_that_clause_gives_the_addressee():
    assert ("1056", "Egypt", "Israel") in _events("Egypt demanded that Israel withdraw from Gaza.")


def test_the_act_asked_for_is_not_coded_as_done():
    events = _events("The United States urged North Korea to negotiate with South Korea.")
    assert ("026", "United States", "North Korea") in events
    # nobody has negotiated yet: no 046 between the Koreas
    assert not any(code.startswith("04") for code, _, _ in events)


def test_call_without_on_or_for_is_no_appeal():
    assert not any(code.startswith("02") for code, _, _ in _events("Trump called Putin a strong leader."))
    # the day's "on", which the parser hangs on the verb, asks nothing of anyone
    events = _events("President Donald Trump on Monday called the case against Michael Flynn very unfair.")
    assert not any(code.startswith("02") for code, _, _ in events), events
    assert ("020", "Barack Obama", "Congress") in _events(
        "President Barack Obama on Tuesday called on Congress to pass the budget."
    )


def test_a_gerund_after_in_or_by_asks_through_the_subject_of_its_verb():
    # "joined ... in calling on": the joiner calls; "responded by bombing": the responder bombs
    events = _events(
        "The Russian foreign minister joined other European ministers in calling on Iran to free the prisoners."
    )
    assert any(code == "0253" and source == "Russian foreign minister" for code, source, _ in events), events


def test_statements_with_a_specific_meaning_are_events_and_a_bare_said_is_not():
    assert ("015", "Islamic State", None) in _events("The Islamic State took responsibility for the bombing.")
    assert ("016", "Iran", None) in _events("Iran denied any involvement in the attack.")
    assert ("011", "Kremlin", None) in _events("The Kremlin declined to comment on the report.")
    assert ("019", "France", "Germany") in _events("France agreed with Germany on the budget.")
    assert not any(code.startswith("01") for code, _, _ in _events("Germany said the budget was fine."))


def test_offers_and_agreements_are_intents_coded_by_what_is_offered():
    events = _events("Jordan and Britain have agreed to undertake joint military exercises this month.")
    assert {("030", "Jordan", "United Kingdom"), ("030", "United Kingdom", "Jordan")} <= set(events)
    assert ("0356", "Slovenia", "Croatia") in _events("Slovenia and Croatia agreed to a ceasefire on Friday.")
    # the act offered has its own event: that one stands, as an intention (036), and no 030 is added
    events = _events("Iran agreed to meet European negotiators in Vienna.")
    assert not any(code == "030" for code, _, _ in events)


def test_a_reported_will_or_would_is_an_intention():
    assert _events("Japan said it would send aid to Nepal.") == [("033", "Japan", "Nepal")]


def test_a_demand_for_a_thing_and_a_demand_named_as_a_noun():
    assert ("1056", "Bosnian Serbs", "Moslem forces") in _events(
        "Bosnian Serbs demanded a truce with Moslem forces."
    )
    events = _events(
        "The International Labour Organization reiterated its demand that Israel ease the closure."
    )
    assert any(code.startswith("10") and target == "Israel" for code, _, target in events)


def test_an_appeal_for_a_thing_between_parties():
    events = _events(
        "Russian Deputy Foreign Minister Igor Morgulov urged dialogue between Washington and Pyongyang."
    )
    assert {("026", "Igor Morgulov", "Washington"), ("026", "Igor Morgulov", "Pyongyang")} <= set(events)


def test_loose_words_do_not_choose_the_sub_code():
    # asking for sanctions is not asking to lift them; a vow with nothing cooperative in it is no offer
    assert not any(
        code.endswith("54") for code, _, _ in _events("Britain is pushing for sanctions against Syria.")
    )
    assert not any(
        code.startswith("03") for code, _, _ in _events("Trump vowed to keep the migrants in Mexico.")
    )


def test_a_date_after_on_is_no_addressee_of_a_demand():
    # "on Tuesday" sits where "called on X" names the addressee; only an actor can be one, so the
    # that-clause's subject is the one asked
    assert ("1056", "Egypt", "Israel") in _events("Egypt on Tuesday demanded that Israel withdraw from Gaza.")


def test_asking_a_question_is_no_appeal():
    assert (
        _events("When asked on Monday whether the attack was terrorism, the Kenyan president said no.") == []
    )
    assert _events("Kenyan officials asked the same question in December.") == []
    assert _events("Kenya asked Uganda whether it would send troops.") == []
    # a request is still an appeal (CAMEO 02)
    assert [(c[:2], s, t) for c, s, t in _events("Kenya asked Uganda to send troops.")] == [
        ("02", "Kenya", "Uganda")
    ]


def test_words_offered_are_no_offer_of_cooperation():
    # an opinion or details offered are words (appeals.yaml words_offered), not CAMEO 03
    for text in (
        "Chief Justice John Roberts offered his doubts about the merits of the lawsuit.",
        "The Pentagon did not offer further details about the raid.",
        "Donald Trump offered an emphatic yes when asked.",
    ):
        assert not any(code.startswith("03") for code, _, _ in _events(text)), text
    # what cooperation is offered still is
    assert any(code.startswith("03") for code, _, _ in _events("Iran offered talks to the United States."))


def test_a_question_asked_is_no_appeal():
    # a quoted question: the judge asks nothing to be done
    text = "“Is it true,” Chief Justice John Roberts asked Paul Sellers, “that the disparity was less than average?”"
    assert not any(code.startswith("02") for code, _, _ in _events(text))
    # a question about an appeal still holds the appeal
    assert ("020", "Donald Trump", "Volodymyr Zelensky") in _events(
        "Why did Donald Trump ask Volodymyr Zelensky to investigate Joe Biden?"
    )


def test_insisting_that_something_is_so_is_no_demand():
    for text in (
        "Bernie Sanders insisted that he would compete in the next primary.",
        "Iran insists it has done nothing wrong.",
    ):
        assert not any(code.startswith("10") for code, _, _ in _events(text)), text
    # insisting that someone do something is a demand (the subjunctive, or must)
    assert any(
        code.startswith("10") for code, _, _ in _events("Russia insisted that Ukraine withdraw its troops.")
    )
    assert any(
        code.startswith("10")
        for code, _, _ in _events("Israel insisted that Hamas must release the hostages.")
    )
    assert any(
        code.startswith("10")
        for code, _, _ in _events("Senator Jim Inhofe insisted that the confirmation be based on 60 votes.")
    )


def test_a_demand_to_release_a_report_is_no_demand_to_release_persons():
    events = _events("Beto O'Rourke demanded William Barr release the full Mueller report.")
    assert any(code == "100" for code, _, _ in events) and not any(code == "1053" for code, _, _ in events)
    assert ("1053", "Israel", "Hamas") in _events("Israel demanded that Hamas release the hostages.")


def test_an_act_asked_for_is_not_offered_by_its_doer():
    events = _events("Trey Gowdy asked that Hillary Clinton agree to a transcribed interview.")
    assert not any(code.startswith("03") for code, _, _ in events), events
    assert any(
        code.startswith("03") for code, _, _ in _events("Hillary Clinton agreed to a transcribed interview.")
    )


def test_a_rule_that_someone_must_do_is_no_demand_of_whoever_mentions_it():
    text = (
        "Catholic bishops regard as a violation the mandate that religious employers must provide insurance."
    )
    assert not any(code.startswith("10") for code, _, _ in _events(text))
    # a speaker's own "must" still demands
    assert any(
        code.startswith("10") for code, _, _ in _events("The rebels announced that Kagame must resign.")
    )


def test_a_crime_committed_and_anonymity_insisted_on_are_no_offer_or_demand():
    events = _events("Robert Mueller did not conclude that Donald Trump committed a crime.")
    assert not any(code.startswith("03") for code, _, _ in events), events
    events = _events("The official insisted on anonymity to describe the conversation.")
    assert not any(code.startswith("10") for code, _, _ in events), events


def test_asking_someone_if_something_happened_is_a_question_and_volunteering_that_is_telling():
    # the parser hangs "if ..." on "asked" as an adverbial clause: still a question asked, no request
    assert not any(
        code.startswith("02")
        for code, _, _ in _events("FEC lawyers asked a defendant if Pat Robertson prayed for him.")
    )
    assert any(
        code.startswith("02") for code, _, _ in _events("Obama asked Congress to act if Iran attacks.")
    )
    # "volunteer that": told unasked, no offer; "volunteered to help": an offer
    assert not any(
        code.startswith("03")
        for code, _, _ in _events("Senator Richard Blumenthal did not volunteer that he never served abroad.")
    )
    assert any(code.startswith("03") for code, _, _ in _events("Iran volunteered to help the inspectors."))
