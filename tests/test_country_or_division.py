"""Georgia the US state and Georgia the country (components/country_or_division.py)."""

from __future__ import annotations

import pytest

from tacitus.components import country_or_division as cd
from tacitus.pipeline import analyze


def _georgia(record) -> tuple[list[str | None], list[str | None]]:
    """The codes of the actors named Georgia and the countries of the places named Georgia."""
    actors = [a.code for a in record.actors if a.name == "Georgia"]
    places = [p.country for p in record.places if p.name == "Georgia"]
    return actors, places


def test_the_state_beside_its_city_and_senators():
    r = analyze(
        "Voters in Atlanta, Georgia, lined up on Tuesday as Georgia counted ballots for the Senate runoff. "
        "Governor Brian Kemp said the count in Georgia would finish soon.",
        published="2020-11-05",
    )
    actors, places = _georgia(r)
    assert actors == ["USA"] and places and set(places) == {"USA"}
    # "Atlanta, Georgia" had put Atlanta in the Caucasus through its qualifier
    assert [p.country for p in r.places if p.name == "Atlanta"] == ["USA"]


def test_a_town_of_the_state_qualified_by_it():
    r = analyze(
        "Pilots are in demand, said Kit Darby, a consultant in Peachtree City, Georgia.",
        published="2013-05-01",
    )
    assert [p.country for p in r.places if p.name in ("Peachtree City", "Georgia")] == ["USA", "USA"]


@pytest.mark.parametrize(
    "text",
    [
        # the country's own places or people
        "Senators met in Washington. Tbilisi said Georgia would hold new elections.",
        # its region in the same sentence, though the article is American
        "Republican senators said Putin had sliced off parts of Georgia and Ukraine.",
        # nothing either way: the country, as before
        "He is also messing with Georgia.",
    ],
)
def test_the_country(text: str):
    r = analyze(text, published="2015-05-01")
    actors, places = _georgia(r)
    assert set(actors) | set(places) == {"GEO"}


def test_the_signs_are_read_in_order():
    (georgia,) = cd.names()
    state = "Sen. Saxby Chambliss, Republican of Georgia, spoke."
    assert cd._division(georgia, state)
    # a sign of the country anywhere outweighs the senator
    assert not cd._division(georgia, state + " He visited Tbilisi last year.")
    # the region in Georgia's own sentence outweighs the senator; in another sentence it does not
    assert not cd._division(georgia, "Sen. Saxby Chambliss said Russia invaded Georgia.")
    assert cd._division(georgia, "Sen. Saxby Chambliss of Georgia spoke. Russia said nothing.")
    # a city of the state qualified by the name outweighs the region
    assert cd._division(georgia, "He flew from Athens, Georgia, to Russia.")
    assert not cd._division(georgia, "No name here.")
