"""Verb patterns: the rules of the event coder, as data (YAML written by hand, JSON generated from PETRARCH-2).

A pattern names verbs (lemmas), optional object and context words, a CAMEO code and where the source and
target are read from; :func:`load_patterns` reads the packaged files (hand-written first: the first pattern
that matches a trigger wins) or a user's file, and every error names the file, the line and the pattern.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import srsly

from tacitus.errors import InvalidRuleFile, UnknownCode
from tacitus.ontology import cameo

PATTERN_KEYS = {
    "id", "code", "verbs", "objects", "context", "source", "target", "symmetric", "target_optional",
    "intent_code", "no_object", "provenance",
}  # fmt: skip
TARGET_SLOTS = ("object", "object_actor", "dative", "none")


@dataclass(frozen=True)
class VerbPattern:
    """One trigger rule: verbs (and optional object and context words) -> a CAMEO code and argument slots."""

    id: str
    code: str
    verbs: frozenset[str]
    objects: frozenset[str]
    context: frozenset[str]
    source: str
    target: tuple[str, ...]
    symmetric: bool
    target_optional: bool
    intent_code: str | None
    no_object: bool = False


def _validate(entry: dict, where: str) -> VerbPattern:
    if not isinstance(entry, dict):
        raise InvalidRuleFile(f"{where}: each pattern must be a mapping, got {entry!r}")
    unknown = set(entry) - PATTERN_KEYS
    if unknown:
        raise InvalidRuleFile(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(PATTERN_KEYS)}")
    for key in ("id", "code", "verbs"):
        if key not in entry:
            raise InvalidRuleFile(f"{where}: missing required key {key!r}")
    for code_key in ("code", "intent_code"):
        code = entry.get(code_key)
        if code is None:
            continue
        if not isinstance(code, str):
            raise InvalidRuleFile(f'{where}: {code_key} must be a quoted string like "041", got {code!r}')
        try:
            cameo(code)
        except UnknownCode as exc:
            raise InvalidRuleFile(f"{where}: {exc}") from exc
    targets = tuple(entry.get("target", ["object"]))
    for slot in targets:
        if slot not in TARGET_SLOTS and not str(slot).startswith("prep:"):
            raise InvalidRuleFile(
                f"{where}: unknown target slot {slot!r}; use one of {TARGET_SLOTS} or prep:<word>"
            )
    source = entry.get("source", "subject")
    if source not in ("subject", "none"):
        raise InvalidRuleFile(f"{where}: source must be 'subject' or 'none', got {source!r}")
    return VerbPattern(
        id=entry["id"],
        code=entry["code"],
        verbs=frozenset(v.lower() for v in entry["verbs"]),
        objects=frozenset(v.lower() for v in entry.get("objects", [])),
        context=frozenset(v.lower() for v in entry.get("context", [])),
        source=source,
        target=targets,
        symmetric=bool(entry.get("symmetric", False)),
        target_optional=bool(entry.get("target_optional", False)),
        intent_code=entry.get("intent_code"),
        no_object=bool(entry.get("no_object", False)),
    )


def parse_patterns(data: object, name: str, lines: list[int] | None = None) -> list[VerbPattern]:
    """Validate a loaded pattern list; errors name the file, the line (when known) and the pattern id."""
    if not isinstance(data, list):
        raise InvalidRuleFile(f"{name}: expected a list of patterns")
    patterns = []
    seen = set()
    for n, entry in enumerate(data, start=1):
        ident = entry.get("id") if isinstance(entry, dict) else None
        line = lines[n - 1] if lines and n <= len(lines) else None
        where = (f"{name}:{line}" if line else f"{name}: pattern {n}") + (f" ({ident})" if ident else "")
        pattern = _validate(entry, where)
        if pattern.id in seen:
            raise InvalidRuleFile(f"{where}: duplicate id {pattern.id!r}")
        seen.add(pattern.id)
        patterns.append(pattern)
    return patterns


def read_patterns(text: str, name: str) -> list[VerbPattern]:
    """Parse and validate a pattern file's text: YAML (hand-written) or, for ``*.json``, the generated form
    ``{"about": ..., "patterns": [one object a line]}``. ``name`` is used in messages."""
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise InvalidRuleFile(f"{name}: not valid JSON: {exc}") from exc
        if isinstance(data, dict):
            unknown = set(data) - {"about", "patterns"}
            if unknown:
                raise InvalidRuleFile(
                    f"{name}: unknown top-level key(s) {sorted(unknown)}; expected about, patterns"
                )
            data = data.get("patterns")
        lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.lstrip().startswith('{"id"')]
        return parse_patterns(data, name, lines)
    try:
        data = srsly.yaml_loads(text)
    except Exception as exc:  # noqa: BLE001 - the YAML library's errors carry the position
        raise InvalidRuleFile(f"{name}: not valid YAML: {exc}") from exc
    # the YAML loader keeps no positions; top-level list items start with "- " in column 0
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("- ")]
    return parse_patterns(data, name, lines)


# The packaged pattern set, in order: the first pattern that matches a trigger wins, so the hand-written
# patterns come before those generated from the PETRARCH-2 dictionary (tools/build_verb_patterns.py).
PACKAGED_PATTERN_FILES = ("verb_patterns.yaml", "petrarch_patterns.json")


@lru_cache(maxsize=4)
def load_patterns(path: str | None = None) -> tuple[VerbPattern, ...]:
    """Load and validate patterns once per process: the packaged files (hand-written first, then those
    generated from the PETRARCH-2 dictionary), or only the file at ``path`` if given."""
    if path is None:
        patterns: list[VerbPattern] = []
        seen: dict[str, str] = {}
        for name in PACKAGED_PATTERN_FILES:
            ref = resources.files("tacitus.ontology").joinpath("data", name)
            for pattern in read_patterns(ref.read_text(encoding="utf-8"), name):
                if pattern.id in seen:
                    raise InvalidRuleFile(f"{name}: id {pattern.id!r} is already used in {seen[pattern.id]}")
                seen[pattern.id] = name
                patterns.append(pattern)
        return tuple(patterns)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidRuleFile(
            f"{path}: cannot read the pattern file ({exc.strerror}); check the path"
        ) from exc
    return tuple(read_patterns(text, str(path)))
