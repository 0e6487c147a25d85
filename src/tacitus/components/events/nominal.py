"""Events written as nouns: "Saudi air strikes on Sanaa" (SAU -> YEM, 195), "the US imposed sanctions on
Iran" (163), "launched an offensive against rebels" (190).

The nouns, their codes and where their targets are come from ``ontology/data/event_nouns.yaml``. The doer
is the subject of a support verb that takes the noun as object (its mood is the event's: "is ready to
impose sanctions" is intended), else a nationality, actor or owner written on the noun, else a "by"
phrase; a noun nobody does is no event. The trigger span covers the whole noun phrase ("air strikes").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import srsly
from spacy.tokens import Doc, Token

from tacitus.components.actors import actors_for_token
from tacitus.components.events.attributes import clause_subject, make_event
from tacitus.components.events.locative import place_actor
from tacitus.components.events.mood import mood_of, noun_mood
from tacitus.errors import InvalidRuleFile, UnknownCode
from tacitus.ontology import cameo

_KEYS = {"id", "code", "nouns", "target", "symmetric", "support_only", "target_optional"}


@dataclass(frozen=True)
class NounPattern:
    id: str
    code: str
    heads: frozenset[str]  # last word of each noun ("strike" for "air strike")
    phrases: frozenset[tuple[str, ...]]  # every noun as a tuple of words
    target: tuple[str, ...]
    symmetric: bool
    support_only: bool
    target_optional: bool


@lru_cache(maxsize=1)
def noun_patterns() -> tuple[frozenset[str], tuple[NounPattern, ...]]:
    """The support verbs and the noun patterns, checked: every error names the file and the pattern."""
    name = "event_nouns.yaml"
    data = srsly.yaml_loads(resources.files("tacitus.ontology").joinpath("data", name).read_text("utf-8"))
    patterns = []
    for n, entry in enumerate(data.get("nouns") or [], start=1):
        where = f"{name}: noun pattern {n} ({entry.get('id', '?')})"
        unknown = set(entry) - _KEYS
        if unknown:
            raise InvalidRuleFile(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_KEYS)}")
        try:
            cameo(entry["code"])
        except (KeyError, UnknownCode) as exc:
            raise InvalidRuleFile(f"{where}: needs a CAMEO code in cameo.tsv ({exc})") from exc
        targets = tuple(entry.get("target", []))
        if any(not t.startswith("prep:") for t in targets):
            raise InvalidRuleFile(f"{where}: targets are prep:<word> slots")
        phrases = frozenset(tuple(str(x).lower().split()) for x in entry["nouns"])
        patterns.append(
            NounPattern(
                id=entry["id"],
                code=entry["code"],
                heads=frozenset(p[-1] for p in phrases),
                phrases=phrases,
                target=tuple(t.split(":", 1)[1] for t in targets),
                symmetric=bool(entry.get("symmetric")),
                support_only=bool(entry.get("support_only")),
                target_optional=bool(entry.get("target_optional")),
            )
        )
    return frozenset(data.get("support_verbs") or []), tuple(patterns)


@lru_cache(maxsize=1)
def _by_head() -> tuple[frozenset[str], dict[str, list[NounPattern]]]:
    """The support verbs and the noun patterns keyed by their last word, built once per process."""
    support_verbs, patterns = noun_patterns()
    by_head: dict[str, list[NounPattern]] = {}
    for pattern in patterns:
        for head in pattern.heads:
            by_head.setdefault(head, []).append(pattern)
    return support_verbs, by_head


def _phrase_start(noun: Token, pattern: NounPattern) -> int | None:
    """Index of the first word of the longest of the pattern's nouns ending at ``noun``, or None."""
    doc = noun.doc
    best = None
    for phrase in pattern.phrases:
        if phrase[-1] not in (noun.lemma_.lower(), noun.lower_):
            continue
        start = noun.i - len(phrase) + 1
        if start < 0 or start < noun.sent.start:
            continue
        if all(
            phrase[k] in (doc[start + k].lower_, doc[start + k].lemma_.lower())
            for k in range(len(phrase) - 1)
        ):
            best = start if best is None else min(best, start)
    return best


def _preps(token: Token, words: tuple[str, ...]) -> list[Token]:
    out = []
    for word in words:
        for child in token.children:
            if child.dep_ in ("prep", "agent") and child.lower_ == word:
                out.extend(p for p in child.children if p.dep_ == "pobj")
        if out:
            break
    return out


def _doers_on_noun(doc: Doc, noun: Token, start: int) -> list[str]:
    """Actors written on the noun: "Saudi air strikes", "NATO airstrikes", "Israel's bombing", "by X"."""
    index = doc._.mention_index or {}
    found: list[str] = []
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "poss", "nmod") and child.i < start:
            for actor_id in actors_for_token(doc, child) or ([index[child.i]] if child.i in index else []):
                if actor_id not in found:
                    found.append(actor_id)
    for pobj in _preps(noun, ("by",)):
        for actor_id in actors_for_token(doc, pobj):
            if actor_id not in found:
                found.append(actor_id)
    return found


def noun_events(doc: Doc, skip: set[int] | None = None) -> list[dict]:
    """The events of a doc written as nouns (see the module docstring)."""
    support_verbs, by_head = _by_head()
    events: list[dict] = []
    for noun in doc:
        if noun.pos_ not in ("NOUN", "PROPN") or (skip and noun.i in skip):
            continue
        candidates = by_head.get(noun.lemma_.lower()) or by_head.get(noun.lower_)
        if not candidates:
            continue
        for pattern in candidates:
            start = _phrase_start(noun, pattern)
            if start is None:
                continue
            verb = noun.head if noun.dep_ in ("dobj", "nsubjpass") else None
            if verb is not None and verb.lemma_.lower() not in support_verbs:
                verb = None
            if pattern.support_only and verb is None:
                continue
            if verb is not None:
                subject, passive = clause_subject(verb)
                sources = []
                if passive:
                    sources = [a for p in _preps(verb, ("by",)) for a in actors_for_token(doc, p)]
                elif subject is not None:
                    sources = actors_for_token(doc, subject)
                sources = sources or _doers_on_noun(doc, noun, start)
                mood, negated = mood_of(verb)
            else:
                sources = _doers_on_noun(doc, noun, start)
                mood, negated = noun_mood(noun)
            if not sources:
                continue
            target_tokens = _preps(noun, pattern.target)
            if not target_tokens and verb is not None:
                target_tokens = _preps(verb, pattern.target)
            targets = [a for t in target_tokens for a in actors_for_token(doc, t) if a not in sources]
            if not targets:
                # "air strikes in Yemen": the place's country is the target (events.locative)
                for node in (noun, verb) if verb is not None else (noun,):
                    places = [place_actor(doc, t) for t in _preps(node, pattern.target)]
                    targets = [a for a in places if a is not None and a not in sources]
                    if targets:
                        break
            if not targets and not pattern.target_optional:
                continue
            pairs = [(s, t) for s in sources for t in targets] or [(s, None) for s in sources]
            if pattern.symmetric:
                pairs += [(t, s) for s, t in pairs if t is not None]
            trigger = doc[start]
            for source, target in pairs:
                events.append(
                    make_event(
                        doc, trigger, source, target, pattern.code, mood=mood, negated=negated,
                        rule=pattern.id, trigger_end=noun,
                    )
                )  # fmt: skip
            break
    return events
