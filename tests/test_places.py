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
