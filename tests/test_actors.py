"""Actors: canonical participants with CAMEO codes (tacitus_actors_v1)."""

from __future__ import annotations

import pytest

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


def test_a_pronoun_after_a_subject_that_is_no_actor_names_no_actor():
    # "they" are the elephants of their own sentence, not Zimbabwe a sentence before: no killing of Zimbabwe
    r = analyze(
        "The administration should withdraw this decision until Zimbabwe stabilizes, the chairman said. "
        "Elephants and other big game in Africa are blood currency for terrorist organizations, and they "
        "are being killed at an alarming rate.",
        published="2017-11-17",
    )
    assert not [e for e in r.events if e.root == "18"]
    # a plain noun in a clause not joined to the pronoun's by "and" leaves "they" to the actors
    r = analyze("German officials met on Monday. The talks failed because they rejected the offer.")
    rejections = [e for e in r.events if e.root == "12"]
    assert rejections and all(r.actor(e.source).name == "German officials" for e in rejections)


# --- country from context, the no-country code, code_source (issue 6) ------------------------------------


def _codes(record) -> dict[str, tuple]:
    return {a.name: (a.code, a.country, a.code_source) for a in record.actors}


def test_dateline_gives_the_country_of_unnamed_officials():
    r = analyze("NAIROBI — The judge ordered the release of 12 protesters on Monday, police said.")
    codes = _codes(r)
    assert codes["judge"] == ("KENJUD", "KEN", "context")
    assert codes["police"] == ("KENCOP", "KEN", "context")


def test_the_country_most_of_the_article_is_about_codes_a_bare_sector():
    r = analyze(
        "Kenya raised fuel taxes on Monday. Kenyan lawmakers approved the budget, and Kenya expects more "
        "revenue. The judge said the levy was lawful."
    )
    codes = _codes(r)
    assert codes["judge"] == ("KENJUD", "KEN", "context")
    assert codes["Kenyan lawmakers"] == ("KENLEG", "KEN", "text")  # the text's own adjective wins


def test_a_people_or_faith_group_is_of_the_place_its_sentence_names_not_the_reporters_country():
    # a US story: the dominant country had made the Kurds and the militants American (USAMIL, USAUAF)
    r = analyze(
        "U.S. officials in Washington said the United States will send more arms. The Obama administration "
        "has begun providing weapons to Kurdish forces who have started to make gains against Islamic "
        "militants in northern Iraq, senior U.S. officials said Monday. Iran-backed militias attacked the "
        "U.S. embassy in Baghdad."
    )
    codes = _codes(r)
    assert codes["Kurdish forces"] == ("IRQMIL", "IRQ", "text")
    assert codes["Islamic militants"] == ("IRQUAF", "IRQ", "text")
    assert codes["Iran-backed militias"] == ("IRQUAF", "IRQ", "text")  # the backer is not the group
    # a party is no people: Republican senators stay the story's; a faith group with no place named in its
    # sentence takes the article's country, as CAMEO codes "Islamic fundamentalists" in an Algerian story
    r = analyze(
        "Algeria's government banned the rally. Algerian police closed the square in Algiers. Islamic "
        "militants attacked a checkpoint. Republican senators criticized the ban in Washington."
    )
    codes = _codes(r)
    assert codes["Islamic militants"] == ("DZAUAF", "DZA", "context")
    assert codes["Republican senators"][0].endswith("LEG")
    assert codes["Republican senators"][2] == "context"


def test_a_spokesperson_speaks_for_the_body_named_before_the_title():
    # the roles dictionary makes "spokesman" MED; in front of a name after a body, the body is whom he speaks for
    for text, name, code in (
        ("Kremlin spokesman Dmitry Peskov said Putin was ready.", "Dmitry Peskov", "RUSGOV"),
        (
            "State Department spokeswoman Heather Nauert said the talks would resume.",
            "Heather Nauert",
            "USAGOV",
        ),
        ("Pentagon spokesman Jonathan Hoffman said the strike was defensive.", "Jonathan Hoffman", "USAMIL"),
        ("Hamas spokesman Fawzi Barhoum said the group would retaliate.", "Fawzi Barhoum", "PSEREBHMS"),
    ):
        codes = {a.name: a.code for a in analyze(text, published="2018-05-30").actors}
        assert codes[name] == code, (text, codes)
    # a news organisation names no one a reporter speaks for; a bare title keeps the dictionary's sector
    codes = {a.name: a.code for a in analyze("CNN reporter Jim Acosta asked the president.").actors}
    assert codes["Jim Acosta"].endswith("MED")


def test_leaders_of_a_faith_are_of_the_faith_not_the_government():
    # "leaders" alone is GOV in the roles dictionary; qualified by a faith it names that faith's people
    codes = {a.name: a.code for a in analyze("Muslim leaders condemned the attack on the mosque.").actors}
    assert codes["Muslim leaders"] == "---MUS"
    codes = {
        a.name: a.code for a in analyze("Jewish leaders and Evangelical leaders praised the vote.").actors
    }
    assert codes["Jewish leaders"] == "---JEW"
    assert codes["Evangelical leaders"] == "---CHR"
    r = analyze("The bishops wrote to Congress. Roman Catholic leaders criticized Paul Ryan in Washington.")
    assert {a.name: a.code for a in r.actors}["Roman Catholic leaders"].endswith("CHRCTH")
    # a people is no faith: Kurdish leaders stay political
    codes = {a.name: a.code for a in analyze("Kurdish leaders in Iraq criticized Baghdad.").actors}
    assert codes["Kurdish leaders"].endswith("GOV")


def test_no_country_in_sight_gives_the_cameo_no_country_code():
    r = analyze("Insurgents attacked a convoy on Monday, killing two civilians.")
    codes = _codes(r)
    assert codes["Insurgents"] == ("---REB", None, "text")
    assert codes["two civilians"] == ("---CVL", None, "text")


def test_two_countries_equally_present_give_no_context():
    # a bilateral story: the unnamed official could be either side's, so no country is guessed
    r = analyze(
        "Kenya and Uganda signed a border deal. Kenya and Uganda will patrol it. An official said so."
    )
    assert _codes(r)["official"] == ("---GOV", None, "text")


def test_code_source_says_text_or_knowledge_base():
    r = analyze("Vladimir Putin met Kenyan officials in Moscow.", published="2019-05-02")
    codes = _codes(r)
    assert codes["Vladimir Putin"] == ("RUSGOV", "RUS", "kb")
    assert codes["Kenyan officials"] == ("KENGOV", "KEN", "text")


def test_international_actors_have_no_country_and_roles_keep_their_sector():
    r = analyze("The European Union and Kenya signed a deal. A UN official said UN peacekeepers had left.")
    codes = _codes(r)
    assert codes["European Union"] == ("IGOEUREEC", None, "kb")
    assert codes["UN official"][0] == "IGOUNOGOV"
    assert codes["UN peacekeepers"][0] == "IGOUNOMIL"


def test_coordinated_nationalities_give_one_group_each():
    r = analyze("U.S. and Russian negotiators met in Geneva. French and Egyptian warships rescued sailors.")
    codes = {a.code for a in r.actors}
    assert {"USAGOV", "RUSGOV", "FRAMIL", "EGYMIL"} <= codes
    # the second adjective is a modifier, not a separate country actor
    assert "RUS" not in codes and "EGY" not in codes


def test_recipients_and_targets_after_to_and_at_are_actors():
    r = analyze("Uganda granted asylum to 18 Rwandan rebels. Police fired tear gas at Kenyan protesters.")
    codes = {a.code for a in r.actors}
    assert {"RWAREB", "KENOPP"} <= codes


def test_curated_organisations_missing_from_phoenix():
    r = analyze("The Asia-Pacific Economic Cooperation forum and the OSCE met the European Community.")
    codes = _codes(r)
    assert codes["Asia-Pacific Economic Cooperation"][0] == "IGO"
    assert codes["OSCE"][0] == "IGO"
    assert codes["European Community"][0] == "IGOEUREEC"


def test_initials_and_suffixes_link_a_surname_to_the_full_name():
    r = analyze(
        "U.S. District Judge A.B. Smith III ruled on Monday that the law was void. Smith said the state erred."
    )
    (smith,) = [a for a in r.actors if "Smith" in a.name]
    assert [r.text[s:e] for s, e in smith.mentions] == ["A.B. Smith III", "Smith"]
    assert smith.code == "USAJUD"


def test_knowledge_base_finds_a_person_written_with_initials_and_a_particle_surname():
    r = analyze(
        "President F.W. de Klerk met reporters. De Klerk said talks would go on.", published="1990-05-01"
    )
    (klerk,) = [a for a in r.actors if a.kind == "person"]
    assert klerk.name == "Frederick Willem de Klerk"
    assert (klerk.code, klerk.code_source) == ("ZAFGOV", "kb")
    assert [r.text[s:e] for s, e in klerk.mentions] == ["F.W. de Klerk", "De Klerk"]


def test_person_lookup_needs_the_first_name_and_a_single_match():
    from tacitus.kb import load_kb

    kb = load_kb()
    assert kb.lookup_person("Frederick de Klerk").id == "frederick-willem-de-klerk"
    assert kb.lookup_person("Willem de Klerk") is None  # a middle name alone is not the first name
    assert kb.lookup_person("J. Smith") is None  # many people fit: no guess


def test_abbreviated_us_titles_and_state_names():
    r = analyze(
        "Texas Sen. Ted Cruz said he would fight. Ohio Gov. John Kasich agreed.", published="2016-03-01"
    )
    codes = _codes(r)
    assert codes["Ted Cruz"] == ("USALEG", "USA", "text")
    assert codes["John Kasich"] == ("USAGOV", "USA", "text")


def test_places_in_the_story_give_its_country_and_only_capitals_speak_for_governments():
    r = analyze(
        "Republican presidential candidate Marco Rubio campaigned in Iowa on Monday. Rep. Darrell Issa "
        "joined him in Des Moines, and later in Florida. Rubio said he would win Florida.",
        published="2016-03-01",
    )
    codes = _codes(r)
    assert codes["Marco Rubio"] == ("USAPTY", "USA", "kb")  # the KB's country, the title's sector
    assert codes["Darrell Issa"] == ("USALEG", "USA", "context")
    assert codes["Florida"][0] == "USA"  # a state as a participant is not the US government
    assert _codes(analyze("Pyongyang rejected the offer."))["Pyongyang"][0] == "PRKGOV"


def test_photo_credits_are_not_actors():
    r = analyze(
        "U.S. President Barack Obama speaks in Washington. REUTERS/Kevin Lamarque/File Photo\n\n"
        "Obama said the deal was good. (AP Photo/Evan Vucci) Reuters reported that talks went on.",
        published="2015-03-01",
    )
    names = {a.name for a in r.actors}
    assert "Barack Obama" in names and "Kevin Lamarque" not in names and "Evan Vucci" not in names
    # the agency named in the story's own words is still an actor
    reuters = [a for a in r.actors if a.name == "Reuters"]
    assert reuters and all(r.span_text(m) == "Reuters" for m in reuters[0].mentions)


def test_wire_credit_in_a_dateline_is_not_an_actor():
    r = analyze(
        "KABUL, Afghanistan (Reuters) - The Taliban attacked a checkpoint.\n\n"
        "WASHINGTON (AP) - Officials met. A Reuters reporter asked questions.",
        published="2015-03-01",
    )
    wire = [m for a in r.actors if a.name in ("Reuters", "AP") for m in a.mentions]
    # only the agency the story itself talks about ("A Reuters reporter") remains
    assert all(r.text[m[0] - 2 : m[0]] == "A " for m in wire), wire


def test_a_surname_alone_is_the_person_in_office_that_day():
    r = analyze(
        "President Clinton met Israeli leaders in Washington. Clinton said peace was near.",
        published="1998-06-01",
    )
    assert _actor(r, "Bill Clinton").code == "USAGOV"
    r = analyze(
        "Clinton told reporters in Cairo that the United States backed the talks.", published="2011-06-01"
    )
    assert _actor(r, "Hillary Clinton").code == "USAGOV"
    r = analyze("Bush said the war would go on, speaking at the White House.", published="2005-03-01")
    assert _actor(r, "George W. Bush").code == "USAGOV"
    # no date: no person is guessed (the name stays), but every Clinton we know is American; nobody of
    # that name in office in a country the story names: no code (Iowa, once, is too little for a name)
    undated = _actor(analyze("Clinton said peace was near in Washington."), "Clinton")
    assert (undated.code, undated.code_source) == ("USA", "kb")
    johnson = _actor(
        analyze("Johnson told voters in Iowa that the bill would pass.", published="2020-03-01"), "Johnson"
    )
    assert (johnson.code, johnson.code_source) == (None, "unknown")


def test_a_leaders_title_and_surname_need_no_place_of_his_in_the_story():
    # the story names only China: the context rule had made "President Trump" Chinese (CHNGOV)
    r = analyze(
        "President Trump criticized China on Tuesday. Trump said talks would go on.", published="2019-05-07"
    )
    trump = _actor(r, "Donald Trump")
    assert (trump.code, trump.code_source) == ("USAGOV", "kb")
    assert [e.source_code for e in r.events] == ["USAGOV"]
    # a lesser title held in many places gets no such reach: a governor is not the prime minister
    governor = _actor(
        analyze("Governor Johnson praised the farmers of Iowa.", published="2020-03-01"), "Johnson"
    )
    assert governor.code != "GBRGOV"
    # nor a title the surname's office-holder does not hold (a university's president, not the PM)
    head = _actor(
        analyze("President Johnson of the university praised the students.", published="2020-05-07"),
        "Johnson",
    )
    assert head.code is None or not head.code.startswith("GBR")
    # a president in apposition is the president of something else (Ewart Brown was Bermuda's premier)
    dean = analyze(
        "Students gathered, said Robert Brown, president of the university.", published="2013-04-17"
    )
    assert all(a.code != "BMUGOV" for a in dean.actors)


def test_the_troops_are_the_troops_the_story_named_before():
    # a story of two sides: the article's context gives neither, the definite description the earlier group
    r = analyze("Russian troops crossed into Ukraine on Monday. Kyiv said the troops attacked a village.",
                published="2015-05-01")  # fmt: skip
    troops = _actor(r, "Russian troops")
    assert troops.code == "RUSMIL" and [r.text[s:e] for s, e in troops.mentions] == [
        "Russian troops",
        "troops",
    ]
    assert "RUSMIL" in {
        e.source_code for e in r.events if "attacked" in r.text[e.sentence_span[0] : e.sentence_span[1]]
    }
    # two groups with that noun before it: which one is not for a rule to say
    r = analyze("Russian troops and Ukrainian troops clashed on Monday. Officials said the troops withdrew.",
                published="2015-05-01")  # fmt: skip
    assert [a.code for a in r.actors if a.name == "troops"] == ["---MIL"]
    # an official is not folded into the officials named before (only armed and crowd groups are)
    r = analyze("A U.S. official spoke in Kabul. Later the officials said nothing.", published="2015-05-01")
    assert [a.name for a in r.actors if a.name == "officials"] == ["officials"]


def test_a_surname_the_model_tags_as_an_organisation_is_the_office_holder_of_the_storys_country():
    # en_core_web_sm tags "Trump" alone as ORG here; the day's office-holder of the article's own country
    r = analyze("Trump said the White House rejected the offer.", published="2017-12-15")
    trump = _actor(r, "Donald Trump")
    assert (trump.kind, trump.code, trump.code_source) == ("person", "USAGOV", "kb")
    # undated, or an office-holder of another country than the story's: NER's organisation stands
    assert _actor(analyze("Trump said the White House rejected the offer."), "Trump").kind == "organization"
    clarke = _actor(
        analyze(
            "Clarke said the White House rejected the offer. Britain was not told.", published="2012-05-09"
        ),
        "Clarke",
    )
    assert clarke.code is None or not clarke.code.startswith("GBR")


def test_a_korean_or_chinese_family_name_alone_is_the_office_holder_of_that_name():
    # "Xi", "Moon": the family name comes first in the knowledge base's "Xi Jinping", "Moon Jae-in"
    r = analyze("On Twitter, Trump warned Xi that China would be hurt badly.", published="2019-05-13")
    assert _actor(r, "Xi Jinping").code == "CHNGOV"
    r = analyze("Moon said South Korea would talk to the North.", published="2018-05-01")
    assert _actor(r, "Moon Jae in").code == "KORGOV"
    # undated "Kim": dozens of Kims of both Koreas; no guess (the one Kazakh whose surname is Kim had been it)
    kim = _actor(analyze("Kim said North Korea would not give up its weapons."), "Kim")
    assert kim.code is None


def test_every_sample_actor_says_how_its_code_was_found():
    from tacitus import Actor
    from tacitus.jobs import sample_articles
    from tacitus.pipeline import analyze_batch

    actors = [a for r in analyze_batch(sample_articles()) for a in r.actors]
    assert actors and all(a.code_source in Actor.CODE_SOURCES for a in actors)
    assert all((a.code is None) == (a.code_source == "unknown") for a in actors)


def test_another_countrys_senate_is_not_the_us_senate():
    def code(text):
        r = analyze(text, published="2019-03-01")
        (senate,) = [a for a in r.actors if "Senate" in a.name]
        return senate.code, senate.code_source

    assert code("The Philippine Senate voted to end the pact on Monday.") == ("PHLLEG", "text")
    assert code("Brazil's Senate approved the bill.") == ("BRALEG", "text")
    assert code("The Senate of Nigeria passed the budget.") == ("NGALEG", "text")
    brazil_story = "The Senate approved the bill in Brasilia, Brazilian officials said. Brazil will sign it."
    assert code(brazil_story) == ("BRALEG", "context")
    # with no other country in sight, the Senate the knowledge base knows
    assert code("The Senate voted on the bill on Monday.") == ("USAGOVLEG", "kb")


def test_without_a_date_the_title_in_the_text_says_the_office():
    text = "A group of Moroccan diplomats met President Obama at a lunch."
    undated = {a.name: a.code for a in analyze(text).actors}
    dated = {a.name: a.code for a in analyze(text, published="2019-01-01").actors}
    # undated, the knowledge base could only give his latest code (a former leader); the title says GOV
    assert undated["Barack Obama"] == "USAGOV"
    # dated after his term, the dated code stands (the article looks back)
    assert dated["Barack Obama"] == "USAELI"


def test_a_pronoun_after_a_long_quotation_is_the_speaker_before_it():
    # the five sentences inside the quotation are not narrative: "He" three sentences of narrative back
    r = analyze(
        "House Speaker Paul Ryan spoke in Janesville on Tuesday. Ryan said, “Look, these images have no place "
        "in a campaign. Candidates should know that. The post has been deleted. I do not know who put it up. "
        "They have to fix that.”\n\nHe added, “We have got to get back to the issues.”",
        published="2016-07-05",
    )
    assert [r.speaker_name(q) for q in r.quotes] == ["Paul Ryan", "Paul Ryan"]


def test_unknown_people_and_organisations_take_the_article_country():
    r = analyze(
        "WASHINGTON (AP) - Sheldon Adelson met donors in Nevada. The Daily News reported that Adelson gave "
        "money to the campaign in Iowa.",
        published="2016-05-01",
    )
    adelson = _actor(r, "Sheldon Adelson")
    assert (adelson.code, adelson.code_source) == ("USA", "context")


def test_a_verb_or_adjective_opening_a_sentence_is_no_part_of_a_name():
    # the small model tags these PERSON: the page furniture is no actor, "Said Obama" is Obama
    r = analyze("Please re-enter. Invalid email address. Please re-enter.", published="2016-01-01")
    assert not [a for a in r.actors if a.kind == "person"]
    r = analyze('Said Obama: "What I am focused on is getting the policy right."', published="2014-08-12")
    assert [r.speaker_name(q) for q in r.quotes] == ["Barack Obama"]
    # a nationality opening the sentence stays: "Bosnian Serbs" are of Bosnia
    r = analyze("Bosnian Serbs pulled their forces back from the town.", published="1995-06-01")
    assert any(a.country == "BIH" for a in r.actors if "Serbs" in a.name)


def test_a_general_is_military_and_the_civil_generals_are_not():
    # Phoenix's agents file has "generals" but not the singular: "Iran's top general" was Iran alone
    r = analyze("A U.S. airstrike killed Iran's top general in Iraq.", published="2020-01-05")
    assert _actor(r, "top general").code == "IRNMIL"
    assert [(e.root, r.actor(e.target).code) for e in r.events if e.root == "18"] == [("18", "IRNMIL")]
    # the offices named "... general" keep their own sector: the longer phrase wins
    r = analyze("The Surgeon General of the United States warned smokers.", published="2020-01-05")
    assert not any(a.code and a.code.endswith("MIL") for a in r.actors)


def test_legislatures_and_their_committees():
    # the small model tags "Duma" as a person; the knowledge base knows it as Russia's legislature
    assert _actor(analyze("The Duma approved the bill on Tuesday."), "Duma").code == "RUSLEG"
    r = analyze("The Senate Foreign Relations Committee met in Washington.", published="2019-05-01")
    assert _actor(r, "Senate Foreign Relations Committee").code.startswith("USA")
    r = analyze(
        "In Iowa, the House Judiciary Committee subpoenaed the mayor of Des Moines.", published="2019-05-01"
    )
    assert _actor(r, "House Judiciary Committee").code == "USALEG"


def test_an_all_caps_headline_still_names_its_actors():
    r = analyze(
        "PUTIN WARNS NATO OVER NORTH KOREA SANCTIONS\n\nThe talks in Geneva ended on Friday.",
        published="2017-12-15",
    )
    assert {a.code for a in r.actors} >= {"RUSGOV", "IGOWSTNAT", "PRK"}
    putin = _actor(r, "Vladimir Putin")
    assert r.span_text(putin.mentions[0]) == "PUTIN"


def test_names_in_other_scripts_do_not_crash_and_are_not_guessed():
    r = analyze(
        "Владимир Путин заявил, что Россия готова. 習近平 spoke too. Putin met Xi Jinping in Beijing.",
        published="2019-06-01",
    )
    assert _actor(r, "Xi Jinping").code == "CHNGOV"
    foreign = [a for a in r.actors if not a.name.isascii() and a.kind == "person"]
    assert foreign and all(a.code is None and a.code_source == "unknown" for a in foreign)
    # the dropped code is said, with what to do
    assert any("Владимир Путин" in w and "--actors" in w for w in r.warnings)


def test_chinese_and_korean_names_are_shortened_to_the_family_name():
    # the family name comes first: "Mr Wang" after "Wang Yi", "Choe" after "Choe Son-hui"
    text = (
        "Chinese Foreign Minister Wang Yi met North Korean Foreign Minister Choe Son-hui in Beijing.\n\n"
        "Mr Wang said the talks were candid. Choe called them useful."
    )
    r = analyze(text, published="2023-05-02")
    wang = _actor(r, "Wang Yi")
    choe = _actor(r, "Choe Son-hui")
    assert [r.text[s:e] for s, e in wang.mentions] == ["Wang Yi", "Wang"]
    assert [r.text[s:e] for s, e in choe.mentions] == ["Choe Son-hui", "Choe"]
    assert wang.code == "CHNGOV" and choe.code == "PRKGOV"
    assert not any(a.name in ("Wang", "Choe") for a in r.actors)


def test_a_western_name_is_still_shortened_to_the_last_word():
    # "Lee" is a Korean family name, but "Robert Lee" is called Lee, and "Robert" is no family name
    r = analyze("Senator Robert Lee arrived on Monday. Lee said the vote would pass.", published="2023-05-02")
    lee = _actor(r, "Robert Lee")
    assert [r.text[s:e] for s, e in lee.mentions] == ["Robert Lee", "Lee"]


def test_hyphenated_surname_is_linked_to_the_full_name():
    # the tokenizer splits "Okafor-Mensah" in three; the surname still finds its person
    text = (
        "The plan was costly, said Adaeze Okafor-Mensah, an economist at the central bank.\n\n"
        "Okafor-Mensah said rates would rise."
    )
    r = analyze(text, published="2023-05-02")
    person = _actor(r, "Adaeze Okafor-Mensah")
    assert [r.text[s:e] for s, e in person.mentions] == ["Adaeze Okafor-Mensah", "Okafor-Mensah"]


def test_the_president_is_the_president_the_story_named():
    # "the president" joins the person the text gave that title to; of two presidents, the one the story
    # names most (the other is mentioned in passing)
    text = (
        "President Amara Diallo arrived in Paris on Monday. Diallo met business leaders.\n\n"
        "Diallo will later meet Russian President Vladimir Putin, officials said.\n\n"
        "“We came to listen,” the president said."
    )
    r = analyze(text, published="2023-05-02")
    diallo = _actor(r, "Amara Diallo")
    assert "president" in [r.text[s:e] for s, e in diallo.mentions]
    assert not any(a.kind == "role" and a.name == "president" for a in r.actors)
    assert r.quotes[-1].speaker == diallo.id


def test_a_title_no_named_person_holds_stays_a_role():
    r = analyze("The minister said the budget was balanced.", published="2023-05-02")
    assert any(a.kind == "role" and a.name == "minister" for a in r.actors)


def test_short_names_of_a_full_name():
    from tacitus.components.actors.names import short_names

    assert short_names("Xi Jinping") == ["Xi", "Jinping"]
    assert short_names("Kim Jong-un") == ["Kim", "Jong-un"]
    assert short_names("Igor Morgulov") == ["Morgulov"]
    assert short_names("Martin Luther King Jr.") == ["King"]
    assert short_names("Putin") == []


def test_an_object_pronoun_never_stands_for_its_own_clause_subject():
    # "Holder urged him": him is not Holder (that would be "himself"), even when the surname is an actor
    # of its own beside "Eric Holder" (resolution._clause_subject_words)
    from tacitus.pipeline import analyze

    r = analyze("Eric Holder said his cousin was rude. Holder urged him to be quiet.", published="2014-08-20")
    name = {a.id: a.name for a in r.actors}
    appeals = [e for e in r.events if e.code.startswith("02")]
    assert appeals and not any("Holder" in (name.get(e.target) or "") for e in appeals), [
        (e.code, name.get(e.source), name.get(e.target)) for e in r.events
    ]
    # an object pronoun still finds an antecedent that is not its clause's subject
    r = analyze("Vladimir Putin arrived in Paris. Barack Obama met him on Monday.", published="2014-06-05")
    name = {a.id: a.name for a in r.actors}
    assert any(
        name.get(e.source) == "Barack Obama" and "Putin" in (name.get(e.target) or "") for e in r.events
    ), [(e.code, name.get(e.source), name.get(e.target)) for e in r.events]


def test_a_pronoun_inside_a_reported_clause_is_that_clause_s_subject():
    # resolution._subject_rank: in the pronoun's own sentence, the subject of the innermost clause holding it
    from tacitus.components.actors import resolve_pronoun
    from tacitus.pipeline import load_nlp

    nlp = load_nlp()

    def resolved(text: str, nth: int = 0) -> str | None:
        doc = nlp.make_doc(text)
        doc._.published = "2016-08-31"
        doc = nlp(doc)
        by_id = {a["id"]: a["name"] for a in doc._.actors}
        he = [t for t in doc if t.lower_ == "he"][nth]
        return by_id.get(resolve_pronoun(doc, he))

    # "he" is inside "Trump should never be trusted because ...": Trump, not the speaker
    assert "Trump" in resolved(
        "Vicente Fox said that Donald Trump should never be trusted in Mexico because of the way he has "
        "demonized its people."
    )
    # with no subject between, the speaker; and in the next sentence, the main clause's subject
    assert "Putin" in resolved("Vladimir Putin said he would meet Barack Obama.")
    assert "Putin" in resolved(
        "Vladimir Putin said Barack Obama was wrong. He added that Russia would respond."
    )


def test_who_is_left_out_instead_is_no_owner_of_the_noun():
    # "the trip of X" acts for X (a noun standing for the actor of its "of" phrase); "the trip instead of X"
    # names who did not go
    r = analyze(
        "U.N. Ambassador Nikki Haley made the trip instead of Secretary of State Rex Tillerson.",
        published="2017-09-17",
    )
    named = {a.id: a.name for a in r.actors}
    assert not any("Tillerson" in (named.get(e.target) or "") for e in r.events), r.events
    r = analyze("The head of the CIA met Russian President Vladimir Putin.", published="2017-09-17")
    assert any(e.source_code == "USASPY" and e.code == "040" for e in r.events), r.events


def _sources_of(text: str, published: str, root: str) -> list[str]:
    """The names of the sources of ``text``'s events of CAMEO ``root``."""
    r = analyze(text, published=published)
    named = {a.id: a.name for a in r.actors}
    return [named.get(e.source) or "" for e in r.events if e.code.startswith(root)]


# (text, published, event root, the name every such event's source holds)
_PRONOUN_CASES = [
    # no fitting subject in the pronoun's sentence ("Democrats" is no "he"), but a fitting name before it:
    # that name, not the subject of the sentence before
    (
        "Mr. Trump and Mr. Lieberman had good chemistry when they met privately, one White House aide said. "
        "Democrats pushed back hard on that notion, casting the conservative Mr. Lieberman as a Democrat in "
        "name only and noting that he publicly supported Mr. Trump's pick of Michael T. Flynn.",
        "2017-05-19", "05", "Lieberman",
    ),
    # a fitting subject in the pronoun's own sentence still wins over an object before it
    (
        "Russian President Vladimir Putin met Chancellor Angela Merkel in Berlin. "
        "President Barack Obama called Mr. Putin before he criticized the Ukrainian government.",
        "2014-05-19", "11", "Obama",
    ),
    # a name inside the subjectless phrase the pronoun's own verb governs is its object: "After threatening
    # ... Mr. Cruz's wife, Heidi Cruz, he retweeted" is the sentence before's Trump
    (
        "Donald Trump attacked Senator Ted Cruz on Twitter. After threatening to spill the beans on Mr. "
        "Cruz's wife, Heidi Cruz, he retweeted an unflattering photo of her.",
        "2016-03-25", "13", "Trump",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "published", "root", "expected"), _PRONOUN_CASES)
def test_a_pronoun_takes_a_name_before_it_in_its_sentence_only_when_no_subject_fits(
    text: str, published: str, root: str, expected: str
) -> None:
    sources = _sources_of(text, published, root)
    assert sources and all(expected in name for name in sources), sources
