"""POLECAT-style export: every record validates against the schema built from the PLOVER codebook, a record
read by hand, statements and appeals left out, and the committed schema equal to a fresh build."""

from __future__ import annotations

import importlib.util
import io
import json
import sqlite3
from pathlib import Path

import jsonschema
import pytest

from tacitus.export import Filters, export
from tacitus.export.polecat import contexts_of, load_schema
from test_export import sample_store

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT.parent / "shared" / "resources"


@pytest.fixture(scope="module")
def db() -> Path:
    return sample_store()


@pytest.fixture(scope="module")
def records(db) -> list[dict]:
    out = io.StringIO()
    export(db, "events", "polecat", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_every_record_validates(records):
    validator = jsonschema.Draft202012Validator(load_schema())
    assert records
    problems = [f"{r['event_id']}: {e.message}" for r in records for e in validator.iter_errors(r)]
    assert problems == []


def test_schema_rejects_what_plover_does_not_define(records):
    validator = jsonschema.Draft202012Validator(load_schema())
    good = next(r for r in records if r["event_type"] == "CONSULT")
    for change in (
        {"event_type": "DEMAND"},  # PLOVER 0.8 renamed it REQUEST
        {"event_mode": "firearms"},  # an ASSAULT mode, not a CONSULT one
        {"contexts": ["sports"]},
        {"actor_agents": ["XYZ"]},
        {"quad_code": "material conflict"},
        {"extra": 1},
    ):
        assert list(validator.iter_errors({**good, **change})), change


def test_a_record_by_hand(records):
    # the Kenyan police arrest in 01-nairobi-fuel-levy-protest:
    # "... and Kenyan police arrested 31 people after clashes in the city centre." (CAMEO 173)
    arrest = next(r for r in records if r["cameo_code"] == "173" and r["actor_code"] == "KENCOP")
    assert (arrest["event_type"], arrest["event_mode"], arrest["quad_code"]) == (
        "COERCE",
        "arrest",
        "material conflict",
    )
    assert arrest["contexts"] == contexts_of("173") and arrest["contexts"]
    assert (arrest["actor_name"], arrest["actor_country"], arrest["actor_agents"]) == (
        "Kenyan police",
        "KEN",
        ["COP"],
    )
    assert arrest["recipient_code"] == "KENPPL" and arrest["recipient_agents"] == ["PPL"]
    assert (arrest["placename"], arrest["country"], arrest["geonames_id"], arrest["feature_type"]) == (
        "Nairobi", "KEN", 184745, "city",
    )  # fmt: skip
    assert arrest["story_id"] == "01-nairobi-fuel-levy-protest" and arrest["source"] == "Meridian News"
    assert arrest["publication_date"] == "2024-03-12"
    assert "Kenyan police arrested 31 people" in arrest["sentence"]


def test_statements_and_appeals_are_left_out(db, records):
    with sqlite3.connect(db) as connection:
        (typed,) = connection.execute("SELECT count(*) FROM events WHERE plover IS NOT NULL").fetchone()
        (untyped,) = connection.execute("SELECT count(*) FROM events WHERE plover IS NULL").fetchone()
    assert len(records) == typed and untyped > 0
    result = export(db, "events", "polecat", stdout=io.StringIO())
    assert (result.rows, result.left_out) == (typed, untyped)
    assert all(r["cameo_code"][:2] not in ("01", "02") for r in records)


def test_filters_apply(db):
    out = io.StringIO()
    export(db, "events", "polecat", filters=Filters(type="ASSAULT"), stdout=out)
    rows = [json.loads(line) for line in out.getvalue().splitlines()]
    assert rows and {r["event_type"] for r in rows} == {"ASSAULT"}


def test_committed_schema_and_contexts_are_a_fresh_build():
    if not (RESOURCES / "plover").is_dir():
        pytest.skip(f"{RESOURCES} is missing (tests read ../shared beside the checkout)")
    spec = importlib.util.spec_from_file_location(
        "build_export_data", ROOT / "tools" / "build_export_data.py"
    )
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    contexts, schema = tool.build(RESOURCES)
    assert (ROOT / "src/tacitus/export/data/plover_contexts.tsv").read_text(encoding="utf-8") == contexts
    assert (ROOT / "src/tacitus/schema/polecat.schema.json").read_text(encoding="utf-8") == schema
    types = load_schema()["properties"]["event_type"]["enum"]
    assert len(types) == 16 and "REQUEST" in types and "ACCUSE" in types
