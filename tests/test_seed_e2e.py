"""End to end on the motivating article: what a user expects from that page alone (DESIGN.md)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tacitus.cli import app
from tacitus.schema import validate_record


def test_body_has_no_page_furniture(seed_record):
    text = seed_record.text
    assert "Foreign Policy   /" not in text  # breadcrumb
    assert "(Photo by AFP)" not in text and "shakes hands" not in text  # photo caption
    assert "alternate addresses" not in text and "Roku" not in text  # footer
    assert text.startswith("Russia says it is not ready")
    assert seed_record.section == ["News", "Foreign Policy", "Koreas", "Russia"]
    assert seed_record.title.startswith("Russia ‘not ready to strangle’")


def test_yun_quote_is_attributed_to_joseph_yun_usa(seed_record):
    r = seed_record
    hits = [q for q in r.quotes if r.span_text(q.content_span).startswith("It’s very hard to discern")]
    assert len(hits) == 1, [r.span_text(q.content_span) for q in r.quotes]
    speaker = r.actor(hits[0].speaker)
    assert speaker is not None and speaker.name == "Joseph Yun"
    assert speaker.code is not None and speaker.code.startswith("USA")
    assert hits[0].kind == "direct"


def test_he_said_resolves_to_yun(seed_record):
    r = seed_record
    hits = [q for q in r.quotes if r.span_text(q.content_span).startswith("Let’s see how they respond")]
    assert len(hits) == 1
    assert r.span_text(hits[0].speaker_span) == "he"
    assert r.actor(hits[0].speaker).name == "Joseph Yun"


def test_morgulov_is_russian_government(seed_record):
    r = seed_record
    morgulov = [a for a in r.actors if a.name == "Igor Morgulov"]
    assert len(morgulov) == 1
    assert morgulov[0].code == "RUSGOV"
    assert morgulov[0].role == "Deputy Foreign Minister"
    # "Morgulov urged ...", "Morgulov said ..." are the same actor, although NER tags them ORG
    assert len(morgulov[0].mentions) >= 3
    said = [q for q in r.quotes if q.speaker == morgulov[0].id]
    assert any("in one way or another" in r.span_text(q.content_span) for q in said)


def test_telephone_consultation_between_usa_and_russia_on_thursday(seed_record):
    r = seed_record
    calls = [e for e in r.events if e.code == "041"]
    pairs = {(e.source_code, e.target_code) for e in calls}
    assert ("USAGOV", "RUSGOV") in pairs and ("RUSGOV", "USAGOV") in pairs, pairs
    for e in calls:
        assert e.date == "2017-12-14"
        assert r.span_text(e.date_span) == "Thursday"
        assert "phone call" in r.span_text(e.sentence_span)
        assert e.rule == "consult.telephone.v1"
        assert e.quad_class == 1 and e.plover == "CONSULT"


def test_the_seed_events_an_analyst_marks(seed_record):
    # the list for the seed (issue 7): who did what to whom, and what must not be there
    r = seed_record
    coded = {(e.source_code, e.code, e.target_code) for e in r.events}
    by_root = {(e.source_code, e.root, e.target_code) for e in r.events}
    assert ("USAGOV", "051", "RUSGOV") in coded and ("RUSGOV", "051", "USAGOV") in coded  # thanks, commends
    assert ("USA", "10", "PRK") in by_root  # the US pressing for an oil shut-off
    assert ("USAGOV", "10", "PRK") in by_root  # the NSC: North Korea "must" refrain, a demand
    assert any(s == "USA" and c.startswith("03") and t == "PRK" for s, c, t in coded)  # offer of talks
    assert any(s == "RUSGOV" and c.startswith("02") for s, c, _ in coded)  # Morgulov urged dialog
    # Russia is "not ready to strangle North Korea with more sanctions": no sanction, no coercion
    assert not any(s and s.startswith("RUS") and t == "PRK" and c[:2] in ("16", "17") for s, c, t in coded)


def test_offsets_point_into_text_and_record_validates(seed_record):
    data = seed_record.to_dict()
    assert validate_record(data) == []
    for actor in seed_record.actors:
        for s, e in actor.mentions:
            assert seed_record.text[s:e].strip() == seed_record.text[s:e]
            assert seed_record.text[s:e]


def test_cli_extract_seed_prints_one_valid_record(seed_path):
    result = CliRunner().invoke(app, ["extract", str(seed_path), "--published", "2017-12-15"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert validate_record(data) == []
    assert data["id"] == seed_path.stem
    assert data["published"] == "2017-12-15"
    assert data["source"] == "Press TV"


def test_every_seed_quote_has_its_right_speaker(seed_record):
    # the list (issue 8): Russia and Morgulov (his "He said ..." too), North Korea, the White
    # House, the Kremlin, Tillerson, all of Yun's, the National Security Council spokesperson
    r = seed_record
    speakers = [(r.actor(q.speaker).name, r.actor(q.speaker).code) for q in r.quotes if q.speaker]
    assert len(speakers) == len(r.quotes)  # none unresolved
    assert speakers.count(("Igor Morgulov", "RUSGOV")) == 3
    # told, acknowledged, "saying", said; and "expressed hope that Pyongyang would accept" (a speech act)
    assert speakers.count(("Joseph Yun", "USAGOV")) == 5
    assert speakers.count(("White House", "USAGOV")) == 2
    for expected in [
        ("Russia", "RUS"),
        ("North Korea", "PRK"),
        ("Kremlin", "RUSGOV"),
        ("Rex Tillerson", "USAGOV"),
    ]:
        assert expected in speakers, expected
    assert any(name.startswith("National Security Council") and code == "USAGOV" for name, code in speakers)


def test_seed_times_as_timex3(seed_record):
    # issue 9: with publication date 2017-12-15 (a Friday)
    r = seed_record
    values = {}
    for t in r.times:
        values.setdefault(r.span_text(t.span), set()).add(t.value)
    assert values["Thursday"] == {"2017-12-14"}
    assert values["Friday"] == {"2017-12-15"}
    assert values["Wednesday"] == {"2017-12-13"}
    assert values["recently"] == {"PAST_REF"}
    assert any(p.name == "Bangkok" and p.country == "THA" and round(p.lat, 2) == 13.75 for p in r.places)


def test_yuns_remarks_are_placed_in_bangkok(seed_record):
    # issue 9: "Joseph Yun told reporters in Bangkok that the talks could take place ..."
    r = seed_record
    yun = {a.id for a in r.actors if a.name.endswith("Yun")}
    told = [q for q in r.quotes if q.speaker in yun and r.span_text(q.cue_span) == "told"]
    assert told and told[0].place is not None
    place = told[0].place
    assert (place.name, place.country, round(place.lat, 2), round(place.lon, 2)) == (
        "Bangkok",
        "THA",
        13.75,
        100.5,
    )
