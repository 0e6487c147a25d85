"""The mood of an event: what was not done, only intended or only asked for is never coded as done."""

from __future__ import annotations

from tacitus.pipeline import analyze


def _events(text: str) -> list[tuple]:
    r = analyze(text, published="2019-06-01")
    name = {a.id: a.name for a in r.actors}
    return [(e.code, name.get(e.source), name.get(e.target), e.mood, e.negated) for e in r.events]


def test_a_refused_act_is_negated():
    events = _events("Trump declined to attack Clinton during the debate.")
    assert events and all(e[3] == "negated-by-context" and e[4] for e in events)


def test_a_purpose_shares_the_future_of_its_main_verb():
    events = _events("Barack Obama will travel to Havana to meet Raul Castro.")
    assert ("036", "Barack Obama", "Raul Castro", "intended", False) in events
    assert all(e[3] != "asserted" for e in events)


def test_a_gerund_after_a_preposition_of_time_shares_its_main_verbs_future():
    events = _events("Before meeting with Vladimir Putin, President Donald Trump will visit Paris.")
    meetings = [e for e in events if e[1:3] == ("Donald Trump", "Vladimir Putin")]
    assert meetings and all(e[0] == "036" and e[3] == "intended" for e in meetings)
    # told in the past, the same gerund was done
    events = _events("After meeting with Vladimir Putin, President Donald Trump said the talks were good.")
    assert ("040", "Donald Trump", "Vladimir Putin", "asserted", False) in events


def test_intentions_are_coded_as_cameo_codes_them():
    assert [e[:4] for e in _events("Israel is ready to attack Iran.")] == [
        ("138", "Israel", "Iran", "intended")
    ]
    assert ("033", "Japan", "Nepal", "intended", False) in _events("Japan will send aid to Nepal.")


def test_a_scheduled_act_is_intended_and_done_by_the_one_scheduled():
    # "is scheduled to meet", "was due to meet": a plan, coded as CAMEO codes an intent to meet (036); the
    # passive subject of the schedule does the act (it had been taken for the one met, both ways)
    assert _events("Barack Obama is scheduled to meet Mahmoud Abbas on Thursday.") == [
        ("036", "Barack Obama", "Mahmoud Abbas", "intended", False)
    ]
    events = _events(
        "Rockets hit Sderot hours before Barack Obama was due to meet the Palestinian president."
    )
    assert ("036", "Barack Obama", "Palestinian president", "intended", False) in events
    assert not any(e[0].startswith("04") for e in events), events
    # a trip still to come is an intent to meet (036), as for "will visit"
    assert _events("Barack Obama is set to visit Jordan on Friday.") == [
        ("036", "Barack Obama", "Jordan", "intended", False)
    ]


def test_a_noun_event_put_on_a_schedule_is_intended():
    r = analyze(
        "Barack Obama's visit to Jordan is scheduled to include a meeting with King Abdullah.",
        published="2013-03-19",
    )
    visits = [e for e in r.events if r.span_text(e.trigger_span).startswith("visit")]
    assert visits and all(e.mood == "intended" and e.code == "036" for e in visits)
    # a visit done, or a past plan (it may have been carried out), is asserted
    for text in (
        "Barack Obama's visit to Jordan drew protests.",
        "Barack Obama's visit to Jordan was planned for months.",
    ):
        r = analyze(text, published="2013-03-19")
        visits = [e for e in r.events if r.span_text(e.trigger_span).startswith("visit")]
        assert visits and all(e.mood == "asserted" and e.code == "042" for e in visits), text


def test_the_seed_sentence_is_never_a_sanction():
    events = _events("Russia is not ready to strangle North Korea with more sanctions, the minister said.")
    assert not any(e[0].startswith(("16", "17")) and e[3] == "asserted" and not e[4] for e in events)


def test_lifted_measures_and_met_demands_are_concessions():
    # the place where the measure is lifted is its target (events.locative)
    assert ("0813", "Serbia", "Montenegro", "asserted", False) in _events(
        "Serbia lifted a night curfew in Montenegro."
    )
    assert any(
        e[0] == "083" for e in _events("The Mozambique government accepted demands from Shona rebels.")
    )


def test_a_target_named_through_what_it_holds():
    events = _events("Israeli tanks shelled positions of the Palestinian security forces.")
    assert any(e[0].startswith("19") and e[2] == "Palestinian security forces" for e in events)


def test_coercion_by_what_is_imposed_seized_or_destroyed():
    assert ("1723", "Turkish authorities", None, "asserted", False) in _events(
        "Turkish authorities have imposed a curfew in the town of Cizre."
    )
    assert any(
        e[0] == "1712" and e[2] == "Palestinian Territory"
        for e in _events("Israeli bulldozers demolished Palestinian homes.")
    )


def test_a_threat_takes_what_it_threatens_and_that_is_not_done():
    assert _events("Iran threatened to shell Iraqi towns today.") == [
        ("138", "Iran", "Iraqi towns", "asserted", False)
    ]


def test_the_one_directed_to_act_is_the_actor():
    events = _events(
        "President Donald Trump directed the Commerce Department to investigate imports from China."
    )
    # ... and has not investigated yet
    assert events and events[0][:4] == ("090", "Commerce Department", None, "hypothetical")


def test_a_question_asserts_no_act_but_its_premise_stays():
    for question in (
        "Will Angela Merkel meet Vladimir Putin?",
        "When will Angela Merkel meet Vladimir Putin?",
    ):
        events = _events(question)
        assert events and all(e[0] == "040" and e[3] == "hypothetical" for e in events), question
    # the clause a question is about is not asked: she did visit
    assert ("042", "Angela Merkel", "Moscow", "asserted", False) in _events(
        "Do you know why Angela Merkel visited Moscow?"
    )


def test_a_condition_asserts_no_act_and_keeps_its_own_tense():
    events = _events(
        "The United States will impose sanctions on Ankara if Turkish troops shell Syrian towns."
    )
    assert ("190", "Turkish troops", "Syrian towns", "hypothetical", False) in events  # not a threat, 138
    assert ("131", "United States", "Ankara", "intended", False) in events
    assert _events("Washington asked whether Turkish troops had shelled Syrian towns.") == [
        ("190", "Turkish troops", "Syrian towns", "hypothetical", False)
    ]
    assert ("190", "Turkey", "Syria", "hypothetical", False) in _events(
        "Had Turkey attacked Syria, the United States would have imposed sanctions on Ankara."
    )


def test_a_purpose_is_not_the_act_but_a_managed_act_is():
    events = _events("The German chancellor flew to Moscow on Monday to meet Vladimir Putin.")
    assert ("040", "German chancellor", "Vladimir Putin", "hypothetical", False) in events
    assert ("040", "Angela Merkel", "Vladimir Putin", "asserted", False) in _events(
        "Angela Merkel managed to meet Vladimir Putin in Moscow."
    )
    # being somewhere for a purpose is doing it
    assert ("040", "Mike Pompeo", "Kim Jong Un", "asserted", False) in _events(
        "Mike Pompeo was in Pyongyang to discuss the summit with Kim Jong Un."
    )


def test_a_clause_with_its_own_conjunction_is_not_what_the_main_verb_intends():
    assert _events("After Iran attacked Israel, the United States vowed to respond.") == [
        ("190", "Iran", "Israel", "asserted", False)
    ]


def test_an_indefinite_noun_event_under_a_modal_is_only_imagined():
    assert _events("A return visit by Emmanuel Macron to Beijing would be difficult to arrange.") == [
        ("042", "Emmanuel Macron", "Beijing", "hypothetical", False)
    ]
    assert _events("Macron's visit to Beijing could lead to a trade deal.") == [
        ("042", "Macron", "Beijing", "asserted", False)
    ]


def test_what_a_bill_or_plan_is_for_is_not_done():
    # the suing is what the bill would let victims do (mood.PURPOSE_NOUNS), not a lawsuit filed
    events = _events("Congress passed a bill to let victims sue Saudi Arabia.")
    assert events and all(e[3] == "hypothetical" for e in events if e[0].startswith("11")), events
    assert any(e[0].startswith("11") for e in events), events


def test_an_act_weighed_as_premature_or_difficult_is_not_done():
    # "it is premature for X to do": mood.UNREAL_PREDICATES
    events = _events("It would be difficult for Russia to attack Ukraine.")
    assert events and all(e[3] == "hypothetical" for e in events), events
    # an act judged wrong was done
    events = _events("It was wrong for Russia to attack Ukraine.")
    assert any(e[0].startswith("19") and e[3] == "asserted" for e in events), events


def test_an_act_done_on_a_medium_is_done_not_a_purpose():
    # "took to Facebook to blast", "went on Fox News to defend": the infinitive is what was said there
    events = _events("Mary Cheney took to Facebook to blast Liz Cheney.")
    assert ("111", "Mary Cheney", "Liz Cheney", "asserted", False) in events, events
    events = _events("Senator Lindsey Graham went on Fox News to defend Donald Trump.")
    assert any(e[0] == "052" and e[2] == "Donald Trump" and e[3] == "asserted" for e in events), events
    # going to a place to meet someone is still the purpose of the trip
    events = _events("The German chancellor went to Moscow to meet Vladimir Putin.")
    assert events and all(e[3] == "hypothetical" for e in events if e[0] == "040"), events


def test_a_coordinated_verb_shares_what_governs_its_first_verb():
    # "invited Trump to come to Mexico and apologize": the apology is what is invited, not made
    events = _events(
        "Vicente Fox invited Donald Trump to come to Mexico and personally apologize to all Mexicans."
    )
    assert any(e[0] == "055" and e[3] == "hypothetical" for e in events), events
    # a finite verb the parser joined to an infinitive is a clause of its own: the urging was done
    events = _events(
        "President Barack Obama said he had ordered the relevant departments to study the law and urged "
        "the Egyptian generals to hand power back."
    )
    assert any(e[0] == "022" and e[3] in ("asserted", "reported") for e in events), events


def test_rising_to_speak_does_what_it_rises_for():
    # "rose to voice", "stood to defend": the floor's infinitive is the act, not a purpose ahead
    events = _events("Senator Lindsey Graham rose on the Senate floor to defend Donald Trump.")
    assert any(e[0] == "052" and e[2] == "Donald Trump" and e[3] == "asserted" for e in events), events


def test_an_act_dated_after_its_article_is_a_plan():
    # told in May, "meets Kim on June 12" is still to come: coded as "will meet" is (036), dated June 12
    r = analyze("President Donald Trump meets Kim Jong Un in Singapore on June 12.", published="2018-05-12")
    assert {(e.code, e.mood, e.date) for e in r.events} == {("036", "intended", "2018-06-12")}
    r = analyze("Emmanuel Macron's April 24 state visit to Washington drew protests.", published="2018-04-03")
    visits = [e for e in r.events if r.span_text(e.trigger_span).startswith("state visit")]
    assert visits and all((e.code, e.mood) == ("036", "intended") for e in visits), r.events
    # the same visit told after it, and a past act, stay done
    r = analyze("Emmanuel Macron's April 24 state visit to Washington drew protests.", published="2018-04-30")
    assert r.events and all(e.mood == "asserted" and e.code == "042" for e in r.events), r.events
    # a gallery embedded in an older article goes on with the story: its captions show what happened
    r = analyze(
        "Hide Caption 3 of 12 Photos: Police clash with protesters in Kiev on March 18.",
        published="2014-02-24",
    )
    assert r.events and all(e.mood == "asserted" and e.date == "2014-03-18" for e in r.events), r.events
