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
from functools import cache, lru_cache
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


@lru_cache(maxsize=65536)
def _party(name: Any, code: Any) -> tuple[Any, str | None, str | None, list[str]]:
    """An actor's or recipient's name, code, country and agents. Cached: an export meets the same actors
    again and again (the agents list is shared by the records that name the actor, and never changed)."""
    parts = split_actor_code(code)
    agents = [b for b in (*parts.types, *parts.religions) if b in _agents()]
    country = parts.country if parts.country and len(parts.country) == 3 and parts.country.isalpha() else None
    return name, code or None, country, agents


def records(connection: sa.Connection, filters: stream.Filters, skipped: list[int]) -> Iterator[list[dict]]:
    """POLECAT records, a chunk at a time; ``skipped[0]`` counts events PLOVER has no type for."""
    from tacitus import __version__

    version = f"tacitus {__version__}"
    quads = _quads()
    known: dict[tuple[str, str | None], tuple[str | None, int | None]] = {}
    for chunk in stream.raw_chunks(connection, stream.polecat_rows(filters)):
        # plain tuples in stream.POLECAT_COLUMNS order (raw_chunks: no SQLAlchemy row per event)
        found = _places_by_article(connection, [r[23] for r in chunk if r[9]])
        language = stream.languages(connection, {r[23] for r in chunk}).get
        out = []
        append = out.append
        for (
            event_pk, date, plover, code, goldstein, source_name, source_code, target_name, target_code, place,
            place_country, place_lat, place_lon, article_id, outlet, published, url, sentence, sentence_start,
            sentence_end, mood, negated, cluster_id, article_pk,
        ) in chunk:  # fmt: skip
            if not plover:
                skipped[0] += 1
                continue
            coding = _coding(code, plover)
            if place:
                kind, geonames_id = _place_details(found.get(article_pk, ()), place, place_country, known)
            else:
                kind = geonames_id = None
            actor_name, actor_code, actor_country, actor_agents = _party(source_name, source_code)
            target_name, target_code, target_country, target_agents = _party(target_name, target_code)
            # one dict display in the schema's key order (faster than merging per-party dicts)
            append(
                {
                    "event_id": str(event_pk),
                    "event_date": date,
                    "event_type": plover,
                    "event_mode": coding.mode,
                    "contexts": coding.contexts,
                    "quad_code": quads[plover],
                    "cameo_code": code,
                    "goldstein": goldstein,
                    "actor_name": actor_name,
                    "actor_code": actor_code,
                    "actor_country": actor_country,
                    "actor_agents": actor_agents,
                    "recipient_name": target_name,
                    "recipient_code": target_code,
                    "recipient_country": target_country,
                    "recipient_agents": target_agents,
                    "placename": place,
                    "country": place_country,
                    "latitude": place_lat,
                    "longitude": place_lon,
                    "geonames_id": geonames_id,
                    "feature_type": kind,
                    "story_id": article_id,
                    "source": outlet,
                    "publication_date": (published or "")[:10] or None,
                    "url": url,
                    "sentence": sentence,
                    "sentence_start": sentence_start,
                    "sentence_end": sentence_end,
                    "mood": mood,
                    "negated": bool(negated),
                    "cluster_id": cluster_id,
                    "language": language(article_pk),
                    "version": version,
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
    for p_name, p_country, kind, geonames_id in rows:
        if p_name == name and p_country == country:
            if len(known) < 100_000:
                known[(name, country)] = (kind, geonames_id)
            return kind, geonames_id
    return known.get((name, country), (None, None))


def _places_by_article(connection: sa.Connection, article_pks: list[int]) -> dict[int, list[tuple]]:
    """(name, country, kind, GeoNames id) of these articles' places in text order, by article: plain
    tuples from one query per chunk (SQLAlchemy rows cost more to build than the query to run)."""
    found: dict[int, list[tuple]] = {}
    for article_pk, *place in stream.article_places(connection, article_pks):
        found.setdefault(article_pk, []).append(tuple(place))
    return found


def write(connection: sa.Connection, filters: stream.Filters, out: IO[str]) -> tuple[int, int]:
    """Write POLECAT records as JSON lines to ``out``; return (records written, events without a PLOVER
    type, left out)."""
    skipped = [0]
    n = 0
    # one encoder for every record: json.dumps with an option builds a new JSONEncoder per call
    encode = json.JSONEncoder(ensure_ascii=False).encode
    for chunk in records(connection, filters, skipped):
        out.write("".join([encode(rec) + "\n" for rec in chunk]))
        n += len(chunk)
    return n, skipped[0]
