"""The record contract: JSON round-trip, field order, its JSON Schema, the cross-checks, and its docs."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tacitus.model import (
    ACTOR_KINDS,
    MOODS,
    QUOTE_KINDS,
    QUOTE_TYPES,
    TIME_TYPES,
    Actor,
    Event,
    Place,
    PlaceRef,
    Quote,
    Record,
    TimeExpr,
)
from tacitus.schema import ValidatorUnavailable, cross_check, load_schema, validate_record

ROOT = Path(__file__).resolve().parents[1]
DESIGN = ROOT.parent / "shared" / "DESIGN.md"

TEXT = (
    "US envoy Joseph Yun on Friday urged North Korea to accept talks, speaking to reporters in Bangkok.\n\n"
    "“I am very hopeful that diplomacy has a long way to go,” he said."
)

# The contract's field order (DESIGN.md, "The record"), object by object.
ORDER = {
    "record": ["id", "title", "published", "url", "source", "section", "text",
               "actors", "quotes", "events", "times", "places", "warnings",
               "authors", "site_name", "language", "language_source", "canonical_url", "modified", "crawled",
               "description", "boilerplate_removed"],
    "actor": ["id", "name", "code", "country", "sector", "kind", "role", "mentions", "code_source"],
    "quote": ["id", "speaker", "speaker_span", "cue_span", "content_span", "kind", "via", "type", "content_parts",
              "date", "date_span", "place"],
    "event": ["id", "source", "target", "source_code", "target_code", "code", "root", "quad_class",
              "goldstein", "plover", "negated", "mood", "date", "date_span", "place", "sentence_span",
              "trigger_span", "rule", "quote", "evidence", "period", "repeated"],
    "place_ref": ["name", "country", "lat", "lon"],
    "time": ["span", "value", "type", "vague"],
    "place": ["span", "name", "country", "lat", "lon", "geonames_id", "kind"],
}  # fmt: skip


def make_record() -> Record:
    """A full record on a two-sentence text: actors, a direct quote with a pronoun speaker, an event."""
    yun = Actor(
        id="a1", name="Joseph Yun", code="USAGOV", country="USA", sector="GOV", kind="person",
        role="special envoy for North Korea", mentions=[(9, 19)], code_source="text",
    )  # fmt: skip
    prk = Actor(
        id="a2", name="North Korea", code="PRK", country="PRK", kind="country", mentions=[(36, 47)],
        code_source="text",
    )  # fmt: skip
    quote = Quote(
        id="q1", speaker="a1", speaker_span=(157, 159), cue_span=(160, 164), content_span=(101, 154),
        kind="direct",
    )  # fmt: skip
    event = Event(
        id="e1", source="a1", target="a2", source_code="USAGOV", target_code="PRK",
        code="026", root="02", quad_class=1, goldstein=4.0, plover=None, negated=False, mood="asserted",
        date="2017-12-15", date_span=(23, 29),
        place=PlaceRef(name="Bangkok", country="THA", lat=13.75, lon=100.5),
        sentence_span=(0, 98), trigger_span=(30, 35), rule="appeal.urge.v1",
    )  # fmt: skip
    return Record(
        id="yun-bangkok-1",
        text=TEXT,
        title="US repeats offer of unconditional talks",
        published="2017-12-15",
        url=None,
        source="Press TV",
        section=["News", "Foreign Policy", "Koreas"],
        actors=[yun, prk],
        quotes=[quote],
        events=[event],
        times=[TimeExpr(span=(23, 29), value="2017-12-15", type="DATE", vague=False)],
        places=[
            Place(span=(90, 97), name="Bangkok", country="THA", lat=13.75, lon=100.5, geonames_id=1609350)
        ],
        warnings=[],
    )


def test_offsets_of_the_hand_built_record_point_at_the_right_words() -> None:
    r = make_record()
    q, e = r.quotes[0], r.events[0]
    assert [r.span_text(m) for m in r.actors[0].mentions] == ["Joseph Yun"]
    assert r.span_text(r.actors[1].mentions[0]) == "North Korea"
    assert r.span_text(q.speaker_span) == "he"
    assert r.actor(q.speaker).name == "Joseph Yun"
    assert r.span_text(q.cue_span) == "said"
    assert r.span_text(q.content_span) == "I am very hopeful that diplomacy has a long way to go"
    assert r.span_text(e.trigger_span) == "urged"
    assert r.span_text(e.date_span) == "Friday"
    assert r.span_text(e.sentence_span).endswith("in Bangkok.")
    assert r.span_text(r.places[0].span) == e.place.name
    assert r.span_text(None) is None


def test_utf8_byte_offsets_convert_as_the_docs_say() -> None:
    # docs/record.md: byte offset of character index i is len(text[:i].encode("utf-8")).
    r = make_record()
    s, e = r.quotes[0].content_span
    data = r.text.encode("utf-8")
    bs, be = len(r.text[:s].encode("utf-8")), len(r.text[:e].encode("utf-8"))
    assert data[bs:be].decode("utf-8") == r.span_text((s, e))
    assert bs == s + 2  # the opening curly quote takes 3 bytes


def test_dict_round_trip_is_exact() -> None:
    d = make_record().to_dict()
    assert Record.from_dict(d).to_dict() == d
    assert Record.from_dict(copy.deepcopy(d)) == make_record()


def test_json_round_trip_is_exact_and_keeps_unicode() -> None:
    r = make_record()
    line = r.to_json()
    assert "\n" not in line
    assert "“I am" in line  # UTF-8 kept as is, not \u escapes
    assert Record.from_json(line).to_dict() == r.to_dict()
    assert json.loads(line) == r.to_dict()


def test_minimal_record_round_trips_with_nulls() -> None:
    r = Record(id=None, text="Nothing happened.")
    d = r.to_dict()
    assert d["title"] is None and d["actors"] == [] and d["warnings"] == []
    assert Record.from_dict(d).to_dict() == d
    assert validate_record(d) == []


def _shapes(d: dict[str, Any]) -> dict[str, list[str]]:
    event = d["events"][0]
    return {
        "record": list(d),
        "actor": list(d["actors"][0]),
        "quote": list(d["quotes"][0]),
        "event": list(event),
        "place_ref": list(event["place"]),
        "time": list(d["times"][0]),
        "place": list(d["places"][0]),
    }


def test_field_order_is_the_contract_order() -> None:
    r = make_record()
    assert _shapes(r.to_dict()) == ORDER
    for cls, name in [(Record, "record"), (Actor, "actor"), (Quote, "quote"), (Event, "event"),
                      (PlaceRef, "place_ref"), (TimeExpr, "time"), (Place, "place")]:  # fmt: skip
        assert list(cls.FIELDS) == ORDER[name], name


def _design_example() -> dict[str, Any]:
    """The JSON example of DESIGN.md's "The record", with its placeholders made valid JSON."""
    section = DESIGN.read_text(encoding="utf-8").split("## The record", 1)[1]
    block = re.search(r"```json\n(.*?)```", section, re.S).group(1)
    block = block.replace("[[s, e], ...]", "[[0, 0]]").replace("[s, e]", "[0, 0]")
    return json.loads(block)


# Fields that issues added to DESIGN.md's contract, after its own fields (issue 6: how a code was found).
ADDED_SINCE_DESIGN = {
    # issue 10: the page's own metadata, its language and when it was crawled
    "record": [
        "authors",
        "site_name",
        "language",
        "language_source",
        "canonical_url",
        "modified",
        "crawled",
        "description",
        "boilerplate_removed",  # issue 10: paragraphs removed per rule, learned lines included
    ],
    "actor": ["code_source"],
    "event": ["quote", "evidence", "period", "repeated"],  # issue 11: a coarser time; a summary of many acts
    "quote": ["type", "content_parts", "date", "date_span", "place"],  # issue 9: when and where it was said
    "place": ["kind"],  # issue 9: city, country, region or place
}


@pytest.mark.skipif(not DESIGN.exists(), reason="../shared/DESIGN.md not available")
def test_field_order_matches_design_md() -> None:
    design = _shapes(_design_example())
    for name, keys in design.items():
        assert keys + ADDED_SINCE_DESIGN.get(name, []) == ORDER[name], name


def test_schema_key_order_and_required_match_the_contract() -> None:
    schema = load_schema()
    objects = {"record": schema, **schema["$defs"]}
    for name, keys in ORDER.items():
        assert list(objects[name]["properties"]) == keys, name
        assert objects[name]["required"] == keys, name
        assert objects[name]["additionalProperties"] is False, name


def test_schema_enums_match_the_model() -> None:
    defs = load_schema()["$defs"]
    assert defs["quote"]["properties"]["kind"]["enum"] == list(QUOTE_KINDS)
    assert defs["quote"]["properties"]["type"]["enum"] == list(QUOTE_TYPES)
    assert defs["event"]["properties"]["mood"]["enum"] == list(MOODS)
    assert defs["actor"]["properties"]["kind"]["enum"] == [*ACTOR_KINDS, None]
    assert defs["time"]["properties"]["type"]["enum"] == list(TIME_TYPES)


def test_schema_is_valid_draft_2020_12_with_descriptions() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] and schema["title"]
    for path, prop in _properties(schema):
        assert prop.get("description"), f"{path} has no description"


def test_load_schema_returns_an_independent_copy() -> None:
    load_schema()["properties"].clear()
    assert "text" in load_schema()["properties"]


def test_schema_validates_the_record() -> None:
    assert validate_record(make_record().to_dict()) == []


def _problems(mutate: Any) -> list[str]:
    d = make_record().to_dict()
    mutate(d)
    return validate_record(d)


def test_schema_rejects_an_extra_key() -> None:
    problems = _problems(lambda d: d["quotes"][0].update(speaker_spam=[0, 1]))
    assert problems == ["quotes[0]: Additional properties are not allowed ('speaker_spam' was unexpected)"]
    assert _problems(lambda d: d["events"][0]["place"].update(geonames_id=1))


def test_schema_rejects_a_bad_mood() -> None:
    problems = _problems(lambda d: d["events"][0].update(mood="maybe"))
    assert len(problems) == 1 and problems[0].startswith("events[0].mood: 'maybe' is not one of")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("actors", 0, "code"), "usagov"),
        (("actors", 0, "code"), "USAG"),
        (("actors", 0, "country"), "US"),
        (("actors", 0, "kind"), "people"),
        (("actors", 0, "mentions"), [[9]]),
        (("actors", 0, "mentions"), [[-1, 19]]),
        (("events", 0, "code"), "4"),
        (("events", 0, "code"), "21"),
        (("events", 0, "quad_class"), 5),
        (("events", 0, "goldstein"), 11.0),
        (("events", 0, "negated"), "false"),
        (("events", 0, "date"), "15/12/2017"),
        (("events", 0, "place", "lat"), 91),
        (("times", 0, "type"), "INTERVAL"),
        (("places", 0, "geonames_id"), "1609350"),
        (("quotes", 0, "kind"), "paraphrase"),
        (("quotes", 0, "content_span"), None),
        (("published",), "Dec 15, 2017"),
        (("section",), None),
        (("text",), None),
    ],
)
def test_schema_rejects_bad_values(path: tuple[Any, ...], value: Any) -> None:
    def mutate(d: dict[str, Any]) -> None:
        target = d
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    assert _problems(mutate), path


def test_schema_rejects_a_missing_key() -> None:
    problems = _problems(lambda d: d["actors"][0].pop("role"))
    assert problems == ["actors[0]: 'role' is a required property"]


def test_real_cameo_actor_codes_pass() -> None:
    d = make_record().to_dict()
    for code in ["USAGOVJUD", "IGOUNO", "IGOUNOIAE", "NGOCHRPRO214", "NGOHINDEN211DEV", "RUSGOVMIL", "PRK"]:
        d["actors"][0]["code"] = code
        assert validate_record(d) == [], code


def test_cross_check_rejects_a_span_past_the_end_of_text() -> None:
    d = make_record().to_dict()
    d["quotes"][0]["content_span"] = [101, len(TEXT) + 1]
    expected = [
        f"quotes[0].content_span: span [101, {len(TEXT) + 1}] ends past the end of text (length {len(TEXT)})"
    ]
    assert cross_check(d) == expected
    assert validate_record(d) == expected


def test_cross_check_ties_code_source_unknown_to_a_null_code() -> None:
    d = make_record().to_dict()
    assert validate_record(d) == []
    d["actors"][0]["code"] = None
    assert cross_check(d) == [
        "actors[0].code_source: 'text' does not fit code None (unknown goes with a null code, and only with it)"
    ]
    d["actors"][0]["code_source"] = "unknown"
    d["actors"][1]["code_source"] = "unknown"
    assert cross_check(d) == [
        "actors[1].code_source: 'unknown' does not fit code 'PRK' (unknown goes with a null code, and only "
        "with it)"
    ]
    d["actors"][1]["code_source"] = "guess"
    assert any("code_source" in p for p in validate_record(d))  # not one of the schema's values


def test_cross_check_rejects_a_reversed_span() -> None:
    d = make_record().to_dict()
    d["actors"][1]["mentions"].append([50, 40])
    assert cross_check(d) == ["actors[1].mentions[1]: span [50, 40] starts after it ends"]


def test_cross_check_rejects_dangling_actor_references() -> None:
    d = make_record().to_dict()
    d["quotes"][0]["speaker"] = "a9"
    d["quotes"][0]["via"] = "a7"
    d["events"][0]["target"] = "a3"
    assert cross_check(d) == [
        "quotes[0].speaker: 'a9' is not the id of any of the record's actors",
        "quotes[0].via: 'a7' is not the id of any of the record's actors",
        "events[0].target: 'a3' is not the id of any of the record's actors",
    ]


def test_cross_check_rejects_duplicate_ids() -> None:
    d = make_record().to_dict()
    d["actors"][1]["id"] = "a1"
    assert cross_check(d) == [
        "actors[1].id: 'a1' is used by more than one of the actors",
        "events[0].target: 'a2' is not the id of any of the record's actors",
    ]
    d["quotes"].append(dict(d["quotes"][0]))
    assert "quotes[1].id: 'q1' is used by more than one of the quotes" in cross_check(d)


def test_cross_check_rejects_root_and_quad_class_inconsistent_with_the_code() -> None:
    d = make_record().to_dict()
    d["events"][0]["root"] = "04"
    assert cross_check(d) == ["events[0].root: '04' is not the first two digits of code '026'"]
    d["events"][0].update(root="02", quad_class=3)
    assert cross_check(d) == ["events[0].quad_class: 3 but CAMEO root 02 is quad class 1"]


def test_cross_check_rejects_impossible_dates() -> None:
    d = make_record().to_dict()
    d["published"] = "2017-02-30"
    assert cross_check(d) == ["published: '2017-02-30' is not a calendar date"]


def test_cross_check_survives_malformed_records() -> None:
    assert cross_check([]) == ["(record): expected a JSON object, got list"]
    bad = {"text": 5, "actors": [None, {"mentions": "x"}], "quotes": "q", "events": [{"code": 41}]}
    assert cross_check(bad) == []
    assert validate_record(bad)


def test_validate_record_without_jsonschema_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # makes `import jsonschema` fail
    with pytest.raises(ValidatorUnavailable, match="pip install jsonschema"):
        validate_record(make_record().to_dict())
    with pytest.raises(ImportError):
        validate_record({})
    d = make_record().to_dict()
    d["quotes"][0]["speaker"] = "a9"
    assert len(cross_check(d)) == 1  # the cross-checks need no jsonschema


def test_from_dict_rejects_unknown_keys() -> None:
    d = make_record().to_dict()
    with pytest.raises(ValueError, match="Record: unknown field"):
        Record.from_dict({**d, "lang": "en"})
    for kind, cls in [("actors", "Actor"), ("quotes", "Quote"), ("events", "Event"), ("times", "TimeExpr"),
                      ("places", "Place")]:  # fmt: skip
        bad = copy.deepcopy(d)
        bad[kind][0]["extra"] = 1
        with pytest.raises(ValueError, match=f"{cls}: unknown field"):
            Record.from_dict(bad)
    bad = copy.deepcopy(d)
    bad["events"][0]["place"]["geonames_id"] = 1609350
    with pytest.raises(ValueError, match="PlaceRef: unknown field"):
        Record.from_dict(bad)


def _properties(schema: dict[str, Any], path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every property of every object in the schema, with a dotted path for messages."""
    found = []
    objects = [("", schema)] + [(f"$defs.{k}.", v) for k, v in schema.get("$defs", {}).items()]
    for prefix, obj in objects:
        for name, prop in obj.get("properties", {}).items():
            found.append((f"{path}{prefix}{name}", prop))
    return found


DOC_SECTIONS = {
    "record": "## Record",
    "actor": "## Actors",
    "quote": "## Quotes",
    "event": "## Events",
    "place_ref": "### Event place",
    "time": "## Times",
    "place": "## Places",
}


def _doc_section(docs: str, heading: str) -> str:
    """The text under a heading of docs/record.md, up to the next heading."""
    start = docs.index(f"\n{heading}") + 1
    end = re.search(r"\n#{2,3} ", docs[start:])
    return docs[start : start + end.start()] if end else docs[start:]


def test_docs_have_a_table_row_for_every_schema_property() -> None:
    docs = (ROOT / "docs" / "record.md").read_text(encoding="utf-8")
    schema = load_schema()
    objects = {"record": schema, **schema["$defs"]}
    missing = []
    for name, heading in DOC_SECTIONS.items():
        section = _doc_section(docs, heading)
        missing += [f"{name}.{p}" for p in objects[name]["properties"] if f"| `{p}` |" not in section]
    assert missing == [], f"docs/record.md has no table row for {missing}"
    # Every object with properties is documented, so a new object cannot slip past the check above.
    assert {n for n, o in objects.items() if "properties" in o} == set(DOC_SECTIONS)
    for value in [*MOODS, *QUOTE_KINDS, *ACTOR_KINDS, *TIME_TYPES]:
        assert f"`{value}`" in docs, value
