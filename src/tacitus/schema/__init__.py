"""The record's JSON Schema and a validator for records produced by Tacitus or anyone else.

``record.schema.json`` (draft 2020-12) describes one record, field for field as
:meth:`tacitus.model.Record.to_dict` writes it; its descriptions double as the reference in
``docs/record.md``. JSON Schema cannot say that a span lies inside ``text`` or that a quote's speaker is
one of the record's actors, so :func:`cross_check` does those checks in plain Python. It needs nothing
beyond the standard library, while :func:`validate_record` also runs the schema through ``jsonschema``,
which is only a development dependency.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from collections.abc import Iterator
from functools import cache
from importlib.resources import files
from typing import Any

from tacitus.errors import TacitusError

__all__ = ["SCHEMA_FILE", "ValidatorUnavailable", "cross_check", "load_schema", "validate_record"]

SCHEMA_FILE = "record.schema.json"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# GDELT's QuadClass by CAMEO root: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict,
# 4 material conflict.
_QUAD_BY_ROOT = {
    f"{root:02d}": 1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4 for root in range(1, 21)
}


class ValidatorUnavailable(TacitusError, ImportError):
    """Schema validation was asked for but the optional ``jsonschema`` package is not installed."""


@cache
def _schema_text() -> str:
    return files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """Return the record's JSON Schema as a dict.

    The file is read from the installed package once per process; each call returns a fresh copy, so a
    caller may change it (to add a ``$comment``, say) without affecting later callers.
    """
    return copy.deepcopy(_cached_schema())


@cache
def _cached_schema() -> dict[str, Any]:
    return json.loads(_schema_text())


@cache
def _validator(validator_class: Any) -> Any:
    return validator_class(_cached_schema())


def validate_record(data: dict[str, Any]) -> list[str]:
    """Return the problems of one record (a dict such as ``Record.to_dict()``), empty when it is valid.

    The record is checked against the JSON Schema (types, required and unknown keys, enums, code
    patterns) and then by :func:`cross_check` (spans inside ``text``, actor references, unique ids,
    CAMEO root and quad class). Each problem is one line naming the field by its path, like
    ``events[0].mood: 'maybe' is not one of [...]``. Raises :class:`ValidatorUnavailable` when
    ``jsonschema`` is not installed; :func:`cross_check` alone works without it.
    """
    try:
        import jsonschema
    except ImportError as exc:
        raise ValidatorUnavailable(
            "Validating a record against its JSON Schema needs the jsonschema package, a development "
            "dependency of Tacitus: run `pip install jsonschema` (or `pip install 'tacitus[dev]'`). "
            "tacitus.schema.cross_check() checks spans and references without it."
        ) from exc
    validator = _validator(jsonschema.Draft202012Validator)
    errors = sorted(validator.iter_errors(data), key=lambda e: (_path(e.absolute_path), e.message))
    problems = [f"{_path(e.absolute_path) or '(record)'}: {e.message}" for e in errors]
    return problems + cross_check(data)


def cross_check(data: dict[str, Any]) -> list[str]:
    """Return the problems JSON Schema cannot see in one record, empty when there are none.

    Checks that every span is ``[start, end]`` with ``0 <= start <= end <= len(text)``; that quote
    ``speaker``/``via`` and event ``source``/``target`` name an actor of the record; that actor, quote
    and event ids are unique within their list; that an actor's ``code_source`` is "unknown" exactly when
    its ``code`` is null; that an event's ``root`` is the first two digits of its
    ``code`` and its ``quad_class`` is the one GDELT gives that root; and that dates are real calendar
    dates. Needs only the standard library. Parts with the wrong shape are skipped here: the schema
    reports them.
    """
    if not isinstance(data, dict):
        return [f"(record): expected a JSON object, got {type(data).__name__}"]
    problems: list[str] = []
    text = data.get("text")
    text_len = len(text) if isinstance(text, str) else None

    for path, span in _spans(data):
        problem = _span_problem(span, text_len)
        if problem:
            problems.append(f"{path}: {problem}")

    actor_ids: set[str] = set()
    for kind in ("actors", "quotes", "events"):
        seen: set[Any] = set()
        for i, item in _items(data, kind):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                problems.append(f"{kind}[{i}].id: {item_id!r} is used by more than one of the {kind}")
            seen.add(item_id)
        if kind == "actors":
            actor_ids = {x for x in seen if isinstance(x, str)}

    for i, actor in _items(data, "actors"):
        source = actor.get("code_source")
        if source is not None and (actor.get("code") is None) != (source == "unknown"):
            problems.append(
                f"actors[{i}].code_source: {source!r} does not fit code {actor.get('code')!r} "
                "(unknown goes with a null code, and only with it)"
            )

    quote_ids = {q.get("id") for _, q in _items(data, "quotes")}
    for i, event in _items(data, "events"):
        ref = event.get("quote")
        if isinstance(ref, str) and ref not in quote_ids:
            problems.append(f"events[{i}].quote: {ref!r} is not the id of any of the record's quotes")
    refs = (("quotes", ("speaker", "via")), ("events", ("source", "target")))
    for kind, fields in refs:
        for i, item in _items(data, kind):
            for name in fields:
                ref = item.get(name)
                if isinstance(ref, str) and ref not in actor_ids:
                    problems.append(
                        f"{kind}[{i}].{name}: {ref!r} is not the id of any of the record's actors"
                    )

    for i, event in _items(data, "events"):
        code, root, quad = event.get("code"), event.get("root"), event.get("quad_class")
        if isinstance(code, str) and isinstance(root, str) and code[:2] != root:
            problems.append(f"events[{i}].root: {root!r} is not the first two digits of code {code!r}")
        expected_quad = _QUAD_BY_ROOT.get(root) if isinstance(root, str) else None
        if _is_int(quad) and expected_quad is not None and quad != expected_quad:
            problems.append(
                f"events[{i}].quad_class: {quad} but CAMEO root {root} is quad class {expected_quad}"
            )
        problems.extend(_date_problem(f"events[{i}].date", event.get("date")))
    problems.extend(_date_problem("published", data.get("published")))
    problems.extend(_date_problem("modified", data.get("modified")))
    return problems


def _items(data: dict[str, Any], kind: str) -> Iterator[tuple[int, dict[str, Any]]]:
    values = data.get(kind)
    if isinstance(values, list):
        for i, item in enumerate(values):
            if isinstance(item, dict):
                yield i, item


def _spans(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """Yield (path, span) for every span-valued field of the record that is present and not null."""
    for i, actor in _items(data, "actors"):
        mentions = actor.get("mentions")
        if isinstance(mentions, list):
            for j, span in enumerate(mentions):
                yield f"actors[{i}].mentions[{j}]", span
    fields = {
        "quotes": ("speaker_span", "cue_span", "content_span"),
        "events": ("date_span", "sentence_span", "trigger_span"),
        "times": ("span",),
        "places": ("span",),
    }
    for kind, names in fields.items():
        for i, item in _items(data, kind):
            for name in names:
                if item.get(name) is not None:
                    yield f"{kind}[{i}].{name}", item[name]
    for i, quote in _items(data, "quotes"):
        parts = quote.get("content_parts")
        if isinstance(parts, list):
            for j, span in enumerate(parts):
                yield f"quotes[{i}].content_parts[{j}]", span
    for i, event in _items(data, "events"):
        evidence = event.get("evidence")
        for j, item in enumerate(evidence if isinstance(evidence, list) else []):
            for name in ("sentence_span", "trigger_span"):
                if isinstance(item, dict) and item.get(name) is not None:
                    yield f"events[{i}].evidence[{j}].{name}", item[name]


def _span_problem(span: Any, text_len: int | None) -> str | None:
    if not (isinstance(span, list | tuple) and len(span) == 2 and all(_is_int(x) for x in span)):
        return None  # wrong shape: the schema says so
    start, end = span
    if start < 0 or end < 0:
        return None  # the schema's minimum says so
    if start > end:
        return f"span [{start}, {end}] starts after it ends"
    if text_len is not None and end > text_len:
        return f"span [{start}, {end}] ends past the end of text (length {text_len})"
    return None


def _date_problem(path: str, value: Any) -> list[str]:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return []  # null, or a shape the schema's pattern reports
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return [f"{path}: {value!r} is not a calendar date"]
    return []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
