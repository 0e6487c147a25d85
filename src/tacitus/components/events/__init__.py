"""``tacitus_events_v1``: code who did what to whom as CAMEO events, from verb patterns that are data.

For each verb whose lemma a pattern lists (the hand-written ``ontology/data/verb_patterns.yaml`` first,
then ``petrarch_patterns.json``, generated from the PETRARCH-2 verb dictionary by
``tools/build_verb_patterns.py``; the first pattern that matches a trigger wins), the pattern's object and
context constraints are checked, the source is read from the subject (the ``by`` agent in the passive),
the target from the places the pattern names (object, a preposition), and both are resolved to actors by
:func:`tacitus.components.actors.actors_for_token`. Each event carries the sentence and trigger that
support it, the rule that fired, the date of a time expression in its sentence, its place, whether it is
negated, and its mood (asserted, intended, hypothetical, demanded, reported, negated-by-context).
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from tacitus.components import guarded, register_extensions
from tacitus.components.events.patterns import (
    PACKAGED_PATTERN_FILES,
    PATTERN_KEYS,
    TARGET_SLOTS,
    VerbPattern,
    load_patterns,
    parse_patterns,
    read_patterns,
)
from tacitus.components.events.verbs import apply_pattern

__all__ = [
    "PACKAGED_PATTERN_FILES",
    "PATTERN_KEYS",
    "TARGET_SLOTS",
    "EventTagger",
    "VerbPattern",
    "guarded",
    "load_patterns",
    "make_events",
    "parse_patterns",
    "read_patterns",
]


class EventTagger:
    """Apply the verb patterns to every verb of the doc and write ``Doc._.events``."""

    def __init__(self, patterns: str | None = None) -> None:
        self.patterns = load_patterns(patterns)
        self.by_verb: dict[str, list[VerbPattern]] = {}
        for p in self.patterns:
            for verb in p.verbs:
                self.by_verb.setdefault(verb, []).append(p)

    @guarded("events")
    def __call__(self, doc: Doc) -> Doc:
        events: list[dict] = []
        seen: set[tuple] = set()
        for tok in doc:
            if tok.pos_ not in ("VERB",) or tok.lemma_.lower() not in self.by_verb:
                continue
            for pattern in self.by_verb[tok.lemma_.lower()]:
                produced = apply_pattern(doc, tok, pattern)
                if produced is None:
                    continue
                for event in produced:
                    key = (event["source"], event["target"], event["code"], event["trigger_span"])
                    if key not in seen:
                        seen.add(key)
                        events.append(event)
                break
        for n, event in enumerate(events, start=1):
            event["id"] = f"e{n}"
        doc._.events = events
        return doc


@Language.factory(
    "tacitus_events_v1",
    assigns=["doc._.events"],
    requires=["doc._.actors", "doc._.times", "doc._.places"],
    default_config={"patterns": None},
)
def make_events(nlp: Language, name: str, patterns: str | None) -> EventTagger:
    """Build the event coder from the packaged verb patterns, or from the YAML file at ``patterns``."""
    register_extensions()
    return EventTagger(patterns)
