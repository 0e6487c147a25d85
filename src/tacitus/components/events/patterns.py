"""Verb patterns: the rules of the event coder, as data (YAML written by hand, JSON generated from PETRARCH-2).

A pattern names verbs (lemmas), the words it needs around them, a CAMEO code and where the source and
target are read from; :func:`load_patterns` reads the packaged files (hand-written first: the first pattern
that matches a trigger wins) or a user's file, and every error names the file, the line and the pattern.

Keys (``verb_patterns.yaml`` documents the first ones): ``id``, ``code``, ``verbs``, ``objects``,
``context``, ``source`` and ``target`` (a slot or an ordered list: ``subject``, ``object``,
``object_actor``, ``dative``, ``prep:<word>``, ``none``), ``symmetric``, ``target_optional``,
``intent_code``, ``no_object``, ``provenance``; and, for the constructs of the PETRARCH-2 dictionary,
``particle`` (the other words of a multi-word verb: "out" for "kick out"), ``objects_all`` (groups of
words, one of each in the verb's phrase after it), ``preps`` (prepositions mapped to the words one of which
must be in their object, or to ``[]``), ``before`` (groups of words before the verb in its clause) and
``blocker`` (when it matches, the verb is no event: no code, no slots). A word with spaces is a phrase
("armed force"); in a JSON file ``&name`` stands for a set of words listed once under ``sets``. How they
match: :mod:`tacitus.components.events.verbs`.
"""

from __future__ import annotations

import gc
import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import srsly

from tacitus.errors import InvalidRuleFile, UnknownCode
from tacitus.ontology import cameo

PATTERN_KEYS = {
    "id", "code", "verbs", "particle", "objects", "objects_all", "preps", "before", "context", "source",
    "target", "symmetric", "target_optional", "intent_code", "no_object", "blocker", "provenance",
}  # fmt: skip
TARGET_SLOTS = ("object", "object_actor", "dative", "subject", "none")
SOURCE_SLOTS = ("subject", "object", "object_actor", "dative", "none")


@dataclass(frozen=True)
class VerbPattern:
    """One trigger rule: verbs (and optional object and context words) -> a CAMEO code and argument slots.

    ``particle`` (words of a multi-word verb after its head: "out" in "pull out"), ``objects_all`` (groups
    of words, one of each in the verb's phrase after it), ``preps`` (prepositions, each with the words one
    of which must be in its object, or none), ``before`` (groups of words, one of each before the verb in
    its clause) and ``blocker`` (when the pattern matches, the verb is no event) come from the PETRARCH-2
    dictionary's constructs; see :func:`tacitus.components.events.verbs.apply_pattern`."""

    id: str
    code: str
    verbs: frozenset[str]
    objects: frozenset[str]
    context: frozenset[str]
    source: tuple[str, ...]
    target: tuple[str, ...]
    symmetric: bool
    target_optional: bool
    intent_code: str | None
    no_object: bool = False
    particle: tuple[str, ...] = ()
    objects_all: tuple[frozenset[str], ...] = ()
    preps: tuple[tuple[str, frozenset[str]], ...] = ()
    before: tuple[frozenset[str], ...] = ()
    blocker: bool = False


class _Reader:
    """Validates the patterns of one file, with what they share cached: the named sets, the codes found
    in the CAMEO table, the slot lists already checked (the file is read at every start-up: the
    generated one has thousands of patterns). Messages are built only on error."""

    def __init__(self, name: str, sets: dict[str, list[str]] | None, strict_codes: bool = True) -> None:
        self.name = name
        self.strict_codes = strict_codes
        self.unknown_codes: set[str] = set()
        self.where = name
        self.sets: dict[str, frozenset[str]] = {}
        for set_name, words in (sets or {}).items():
            if (
                not set_name.startswith("&")
                or not isinstance(words, list)
                or not all(isinstance(w, str) for w in words)
            ):
                raise InvalidRuleFile(f"{name}: set {set_name!r} must be named &name and list words")
            self.sets[set_name] = frozenset(w.lower() for w in words)
        self.codes: set[str] = set()
        self.slots: dict[tuple[str, object], tuple[str, ...]] = {}

    def fail(self, message: str) -> InvalidRuleFile:
        return InvalidRuleFile(f"{self.where}: {message}")

    def words(self, value: object, key: str) -> frozenset[str]:
        """A word or a list of alternative words, lower-cased; ``&name`` stands for a named set's words
        (the generated file's ``sets``, PETRARCH-2's synonym sets). A word with spaces is a phrase:
        consecutive words ending at the matched token ("armed force")."""
        if isinstance(value, str):
            value = [value]
        if type(value) is not list:
            raise self.fail(f"{key} must be a word or a list of words, got {value!r}")
        try:
            out = frozenset(map(str.lower, value))
        except TypeError:
            raise self.fail(f"{key} must be a word or a list of words, got {value!r}") from None
        if "" in out:
            raise self.fail(f"{key} has an empty word")
        if "&" in "".join(value):
            if len(value) == 1 and value[0].startswith("&"):
                return self.named(value[0], key)  # shared, not copied
            found: set[str] = set()
            for v in value:
                found |= self.named(v, key) if v.startswith("&") else {v.lower()}
            out = frozenset(found)
        return out

    def named(self, name: str, key: str) -> frozenset[str]:
        found = self.sets.get(name)
        if found is None:
            raise self.fail(f"{key} names the set {name!r}, which the file does not define")
        return found

    def groups(self, value: object, key: str) -> tuple[frozenset[str], ...]:
        """``objects_all`` / ``before``: a list whose items are a word or a list of alternative words."""
        if value is None:
            return ()
        if type(value) is not list:
            raise self.fail(f"{key} must be a list (of words or of lists of alternative words)")
        return tuple(self.words(item, key) for item in value)

    def check_slots(self, value: object, allowed: tuple[str, ...], key: str) -> tuple[str, ...]:
        cache_key = (key, tuple(value) if isinstance(value, list) else value)
        try:
            return self.slots[cache_key]
        except (KeyError, TypeError):
            pass
        slots = (value,) if isinstance(value, str) else value
        if not isinstance(slots, list | tuple) or not slots:
            raise self.fail(f"{key} must be a slot or a non-empty list of slots")
        for slot in slots:
            if slot not in allowed and not (isinstance(slot, str) and slot.startswith("prep:") and slot[5:]):
                raise self.fail(f"unknown {key} slot {slot!r}; use one of {allowed} or prep:<word>")
        self.slots[cache_key] = tuple(slots)
        return tuple(slots)

    def code(self, code: object, key: str) -> None:
        if code is None or code in self.codes:
            return
        if not isinstance(code, str):
            raise self.fail(f'{key} must be a quoted string like "041", got {code!r}')
        try:
            cameo(code)
        except UnknownCode as exc:
            if self.strict_codes or not (code.isdigit() and 2 <= len(code) <= 4):
                raise self.fail(str(exc)) from exc
            # a user's dictionary may have codes of its own (PETRARCH's validation suite: 903, 1010):
            # kept, with a warning; their events carry no CAMEO name, quad class or Goldstein score
            self.unknown_codes.add(code)
        self.codes.add(code)

    def pattern(self, entry: object) -> VerbPattern:
        """One pattern, checked."""
        if not isinstance(entry, dict):
            raise self.fail(f"each pattern must be a mapping, got {entry!r}")
        if not entry.keys() <= PATTERN_KEYS:
            unknown = set(entry) - PATTERN_KEYS
            raise self.fail(f"unknown key(s) {sorted(unknown)}; allowed: {sorted(PATTERN_KEYS)}")
        get = entry.get
        blocker = bool(get("blocker", False))
        for key in ("id", "verbs") if blocker else ("id", "code", "verbs"):
            if key not in entry:
                raise self.fail(f"missing required key {key!r}")
        if blocker and entry.keys() & _CODED_ONLY:
            raise self.fail(f"a blocker codes no event; drop {sorted(entry.keys() & _CODED_ONLY)}")
        code, intent_code = get("code"), get("intent_code")
        self.code(code, "code")
        self.code(intent_code, "intent_code")
        target, source = get("target"), get("source")
        particle = get("particle", "")
        if not isinstance(particle, str):
            raise self.fail(f'particle must be a string of words ("out", "hold of"), got {particle!r}')
        preps = get("preps")
        if preps is not None and (
            not isinstance(preps, dict) or not all(isinstance(k, str) and k.strip() for k in preps)
        ):
            raise self.fail(f"preps must map prepositions to words (or to []), got {preps!r}")
        objects, context = get("objects"), get("context")
        return VerbPattern(
            id=entry["id"],
            code=code or "",
            verbs=self.words(entry["verbs"], "verbs"),
            objects=_EMPTY if objects is None else self.words(objects, "objects"),
            context=_EMPTY if context is None else self.words(context, "context"),
            source=_DEFAULT_SOURCE if source is None else self.check_slots(source, SOURCE_SLOTS, "source"),
            target=_DEFAULT_TARGET if target is None else self.check_slots(target, TARGET_SLOTS, "target"),
            symmetric=bool(get("symmetric", False)),
            target_optional=bool(get("target_optional", False)),
            intent_code=intent_code,
            no_object=bool(get("no_object", False)),
            particle=tuple(particle.lower().split()) if particle else (),
            objects_all=self.groups(get("objects_all"), "objects_all"),
            preps=tuple(
                (prep.lower(), self.words(words, f"preps.{prep}") if words else _EMPTY)
                for prep, words in preps.items()
            ) if preps else (),
            before=self.groups(get("before"), "before"),
            blocker=blocker,
        )  # fmt: skip


_EMPTY: frozenset[str] = frozenset()
_DEFAULT_TARGET = ("object",)
_DEFAULT_SOURCE = ("subject",)
_CODED_ONLY = {"code", "source", "target", "symmetric", "target_optional", "intent_code"}


def parse_patterns(
    data: object,
    name: str,
    lines: list[int] | None = None,
    sets: dict[str, list[str]] | None = None,
    *,
    strict_codes: bool = True,
) -> list[VerbPattern]:
    """Validate a loaded pattern list; errors name the file, the line (when known) and the pattern id.
    ``sets`` names word sets the patterns may use as ``&name``. With ``strict_codes`` off (a user's file),
    a 2- to 4-digit code that Tacitus's CAMEO table lacks is accepted with a warning."""
    if not isinstance(data, list):
        raise InvalidRuleFile(f"{name}:1: expected a list of patterns, each starting with '- id:'")
    reader = _Reader(name, sets, strict_codes)
    patterns = []
    seen = set()
    for n, entry in enumerate(data, start=1):
        try:
            pattern = reader.pattern(entry)
            if pattern.id in seen:
                raise reader.fail(f"duplicate id {pattern.id!r}")
        except InvalidRuleFile as exc:
            ident = entry.get("id") if isinstance(entry, dict) else None
            line = lines[n - 1] if lines and n <= len(lines) else None
            where = (f"{name}:{line}" if line else f"{name}: pattern {n}") + (f" ({ident})" if ident else "")
            raise InvalidRuleFile(str(exc).replace(name, where, 1)) from exc.__cause__
        seen.add(pattern.id)
        patterns.append(pattern)
    # a multi-word verb's patterns are tried before the bare verb's, wherever the file puts them: "kicked
    # out the envoy" is an expulsion, not a kick (the sort is stable: the file's order otherwise)
    patterns.sort(key=lambda p: not p.particle)
    if reader.unknown_codes:
        codes = sorted(reader.unknown_codes)
        warnings.warn(
            f"{name}: {len(codes)} code(s) not in Tacitus's CAMEO table ({', '.join(codes[:10])}"
            f"{', ...' if len(codes) > 10 else ''}); their events carry no CAMEO name, quad class or "
            "Goldstein score",
            stacklevel=2,
        )
    return patterns


@contextmanager
def _bulk_load() -> Iterator[None]:
    """No cyclic garbage collection while thousands of long-lived, acyclic pattern objects are made: the
    collector's passes over the growing heap tripled the generated file's load time in a fresh process."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_patterns(text: str, name: str, *, strict_codes: bool = True) -> list[VerbPattern]:
    """Parse and validate a pattern file's text: YAML (hand-written) or, for ``*.json``, the generated form
    ``{"about": ..., "sets": {"&name": [words]}, "patterns": [one object a line]}``. ``name`` is used in
    messages; ``strict_codes``: see :func:`parse_patterns`."""
    with _bulk_load():
        return _read_patterns(text, name, strict_codes)


def _read_patterns(text: str, name: str, strict_codes: bool = True) -> list[VerbPattern]:
    sets = None
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except ValueError as exc:
            where = f"{name}:{exc.lineno}" if isinstance(exc, json.JSONDecodeError) else f"{name}:1"
            raise InvalidRuleFile(f"{where}: not valid JSON ({getattr(exc, 'msg', exc)})") from exc
        if isinstance(data, dict):
            unknown = set(data) - {"about", "sets", "patterns"}
            if unknown:
                raise InvalidRuleFile(
                    f"{name}:1: unknown top-level key(s) {sorted(unknown)}; expected about, sets, patterns"
                )
            sets = data.get("sets")
            if sets is not None and not isinstance(sets, dict):
                line = _line_of(text, '"sets"')
                raise InvalidRuleFile(f"{name}:{line}: sets must map &names to lists of words")
            for set_name, words in (sets or {}).items():
                if not str(set_name).startswith("&") or not isinstance(words, list):
                    raise InvalidRuleFile(
                        f"{name}:{_line_of(text, json.dumps(set_name))}: set {set_name!r} must be named &name "
                        "and list words"
                    )
            data = data.get("patterns")
        lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.lstrip().startswith('{"id"')]
        return parse_patterns(data, name, lines, sets, strict_codes=strict_codes)
    try:
        data = srsly.yaml_loads(text)
    except Exception as exc:  # noqa: BLE001 - the YAML library's errors carry the position
        # srsly re-raises ruamel's error as a ValueError; the original, with its position, is its context
        cause = exc.__context__ or exc
        mark = getattr(cause, "problem_mark", None) or getattr(cause, "context_mark", None)
        problem = getattr(cause, "problem", None) or str(cause).splitlines()[0]
        raise InvalidRuleFile(f"{name}:{mark.line + 1 if mark else 1}: not valid YAML ({problem})") from exc
    # the YAML loader keeps no positions; top-level list items start with "- " in column 0
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if line.startswith("- ")]
    return parse_patterns(data, name, lines, strict_codes=strict_codes)


def _line_of(text: str, needle: str) -> int:
    """The first line of ``text`` holding ``needle`` (1 when none does), for messages about a key."""
    return next((n for n, line in enumerate(text.splitlines(), start=1) if needle in line), 1)


# The packaged pattern set, in order: the first pattern that matches a trigger wins, so the hand-written
# patterns come before those generated from the PETRARCH-2 dictionary (tools/build_verb_patterns.py).
PACKAGED_PATTERN_FILES = ("verb_patterns.yaml", "petrarch_patterns.json")


@lru_cache(maxsize=4)
def load_patterns(path: str | None = None) -> tuple[VerbPattern, ...]:
    """Load and validate patterns once per process: the packaged files (hand-written first, then those
    generated from the PETRARCH-2 dictionary), or only the file at ``path`` if given (a user's file may
    use codes Tacitus's CAMEO table lacks, with a warning)."""
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
    return tuple(read_patterns(text, str(path), strict_codes=False))
