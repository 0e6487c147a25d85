"""POLECAT-style PLOVER records: one JSON object per event (mention), as POLECAT lays its events out.

POLECAT, the PLOVER-coded successor of ICEWS, publishes one flat record per event: its PLOVER event type,
mode and contexts, the actor and the recipient with their country and agents (sectors), the place, and the
story it comes from. Tacitus writes the same layout, one JSON object a line, with its evidence (sentence and
offsets) and the CAMEO code it was coded with; ``src/tacitus/schema/polecat.schema.json`` (built from the
PLOVER codebook by ``tools/build_export_data.py``) is the contract, checked in the tests.

PLOVER drops CAMEO's statements and appeals (roots 01 and 02), so an event whose code has no PLOVER type is
not written; :func:`write` counts them. The mode is the one the CAMEO->PLOVER table gives the code, the
contexts those it lists (a 4-digit code without its own line takes its 3-digit code's).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import IO, Any

import sqlalchemy as sa

from tacitus.export import stream
from tacitus.export.actor_codes import split_actor_code

SCHEMA_FILE = "polecat.schema.json"


@cache
def load_schema() -> dict[str, Any]:
    """The POLECAT record's JSON Schema (package data), read once."""
    return json.loads(files("tacitus.schema").joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


@cache
def _agents() -> frozenset[str]:
    return frozenset(load_schema()["properties"]["actor_agents"]["items"]["enum"])


@cache
def _quads() -> dict[str, str]:
    # the schema's per-type rules say which PLOVER quad each event type is in
    quads = {}
    for rule in load_schema()["allOf"]:
        kind = rule["if"]["properties"]["event_type"]["const"]
        quads[kind] = rule["then"]["properties"]["quad_code"]["const"]
    return quads


@cache
def contexts_table() -> dict[str, tuple[str, ...]]:
    """CAMEO code -> PLOVER contexts, from ``data/plover_contexts.tsv``."""
    text = files("tacitus.export").joinpath("data", "plover_contexts.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#") or line.startswith("code\t"):
            continue
        code, _, values = line.partition("\t")
        table[code] = tuple(v for v in values.split(";") if v)
    return table


def contexts_of(code: str) -> list[str]:
    """The PLOVER contexts of a CAMEO code (its own, else its 3-digit code's), possibly none."""
    table = contexts_table()
    return list(table.get(code) or table.get(code[:3]) or ())


@dataclass(frozen=True)
class _Coding:
    mode: str | None
    contexts: list[str]


@cache
def _coding(code: str, kind: str) -> _Coding:
    from tacitus.errors import UnknownCode
    from tacitus.ontology import cameo

    try:
        entry = cameo(code)
    except UnknownCode:
        entry = None
    # the mode belongs to the code's own PLOVER type: an event re-typed by a rule keeps none
    mode = entry.plover_mode if entry is not None and entry.plover == kind else None
    return _Coding(mode, contexts_of(code))


def _party(role: str, name: Any, code: Any) -> dict[str, Any]:
    parts = split_actor_code(code)
    agents = [b for b in (*parts.types, *parts.religions) if b in _agents()]
    country = parts.country if parts.country and len(parts.country) == 3 and parts.country.isalpha() else None
    return {
        f"{role}_name": name,
        f"{role}_code": code or None,
        f"{role}_country": country,
        f"{role}_agents": agents,
    }


def records(connection: sa.Connection, filters: stream.Filters, skipped: list[int]) -> Iterator[list[dict]]:
    """POLECAT records, a chunk at a time; ``skipped[0]`` counts events PLOVER has no type for."""
    from tacitus import __version__

    known: dict[tuple[str, str | None], tuple[str | None, int | None]] = {}
    for chunk in stream.chunks(connection, stream.events_rows(filters)):
        found = stream.places_of(connection, [r.article_pk for r in chunk if r.place])
        out = []
        for r in chunk:
            if not r.plover:
                skipped[0] += 1
                continue
            coding = _coding(r.code, r.plover)
            kind, geonames_id = _place_details(found.get(r.article_pk, ()), r.place, r.place_country, known)
            out.append(
                {
                    "event_id": str(r.event_pk),
                    "event_date": r.date,
                    "event_type": r.plover,
                    "event_mode": coding.mode,
                    "contexts": coding.contexts,
                    "quad_code": _quads()[r.plover],
                    "cameo_code": r.code,
                    "goldstein": r.goldstein,
                    **_party("actor", r.source_name, r.source_code),
                    **_party("recipient", r.target_name, r.target_code),
                    "placename": r.place,
                    "country": r.place_country,
                    "latitude": r.place_lat,
                    "longitude": r.place_lon,
                    "geonames_id": geonames_id,
                    "feature_type": kind if r.place else None,
                    "story_id": r.article_id,
                    "source": r.outlet,
                    "publication_date": (r.published or "")[:10] or None,
                    "url": r.url,
                    "sentence": r.sentence,
                    "sentence_start": r.sentence_start,
                    "sentence_end": r.sentence_end,
                    "mood": r.mood,
                    "negated": bool(r.negated),
                    "cluster_id": r.cluster_id,
                    "language": r.language,
                    "version": f"tacitus {__version__}",
                }
            )
        yield out


def _place_details(
    rows: Any, name: str | None, country: str | None, known: dict
) -> tuple[str | None, int | None]:
    """The kind and GeoNames id of an event's place: from the article's places of that name, else what an
    earlier article said of it, else unknown."""
    if not name:
        return None, None
    for p in rows:
        if p.name == name and p.country == country:
            if len(known) < 100_000:
                known[(name, country)] = (p.kind, p.geonames_id)
            return p.kind, p.geonames_id
    return known.get((name, country), (None, None))


def write(connection: sa.Connection, filters: stream.Filters, out: IO[str]) -> tuple[int, int]:
    """Write POLECAT records as JSON lines to ``out``; return (records written, events without a PLOVER
    type, left out)."""
    skipped = [0]
    n = 0
    for chunk in records(connection, filters, skipped):
        out.write("".join(json.dumps(rec, ensure_ascii=False) + "\n" for rec in chunk))
        n += len(chunk)
    return n, skipped[0]
