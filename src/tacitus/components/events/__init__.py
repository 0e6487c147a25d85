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
from spacy.tokens import Doc, Token

from tacitus.components import guarded, register_extensions
from tacitus.components.events.appeals import appeal_events, intent_events, obligation_events
from tacitus.components.events.figurative import CRITICISM, is_figurative
from tacitus.components.events.mood import intended_code, refusal_code, refused_by
from tacitus.components.events.nominal import noun_events
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


def _threatened(doc: Doc, event: dict, threats: set[int]) -> int | None:
    """Where the threat is whose content ``event`` is ("threatened to shell": the shelling), else None."""
    span = doc.char_span(*event["trigger_span"], alignment_mode="expand")
    if span is None or event["root"] == "13":
        return None
    head = span.root
    for _ in range(3):
        if head.dep_ not in ("xcomp", "conj") or head.head.i == head.i:
            return None
        head = head.head
        if head.idx in threats:
            return head.idx
    return None


def _subject_actors(doc: Doc, verb: Token) -> list[str]:
    from tacitus.components.actors import actors_for_token

    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return actors_for_token(doc, subject) if subject is not None else []


def _recoded(event: dict, code: str, why: str) -> dict:
    from tacitus.components.events.attributes import code_fields

    return {**code_fields(code), "rule": f"{event['rule']}{why}"}


# Longer "sentences" are tables or lists flattened into text (see EventTagger.__call__).
MAX_SENTENCE_TOKENS = 150


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
        seen: dict[tuple, dict] = {}

        def add(event: dict) -> None:
            trigger = doc.char_span(*event["trigger_span"], alignment_mode="expand")
            refuser = refused_by(trigger.root) if trigger is not None else None
            refused = refusal_code(event["code"]) if event["root"] not in ("12", "13") else None
            if refused and refuser is not None and event["source"] not in _subject_actors(doc, refuser):
                return  # "X refused to meet Y": Y refused nothing (the meeting's other direction)
            if refused and (refuser is not None or (event["mood"] == "intended" and event["negated"])):
                # "refused to meet Abdullah", "will not accept refugees": a rejection (CAMEO 12x), which
                # happened, not a negated meeting
                event.update(_recoded(event, refused, "+refusal"))
                event["mood"], event["negated"] = "asserted", False
                if refuser is not None and any(c.dep_ == "neg" for c in refuser.children):
                    event["negated"] = True  # "did not refuse to meet"
            elif trigger is not None and is_figurative(trigger.root, event):
                # "attacked the president for declining", "pounding LePage, saying ...": criticism in
                # violent words (CAMEO 111), not an assault (events/figurative.py)
                event.update(_recoded(event, CRITICISM, "+figurative"))
            if event["mood"] == "intended" and event["root"] not in ("03", "13"):
                # "ready to attack" is a threat, "will send aid" an intent to give aid: CAMEO codes the
                # intention, never the act (the rule says so: "kill.v1+intent")
                code = intended_code(event["code"])
                if code is not None:
                    event.update(_recoded(event, code, "+intent"))
            # one event stated twice in a sentence ("imposed sanctions on Iran": the verb and the noun)
            # is one event with two pieces of evidence
            key = (event["source"], event["target"], event["code"], event["sentence_span"])
            first = seen.get(key)
            if first is None:
                event.setdefault("evidence", [])
                seen[key] = event
                events.append(event)
            elif event["trigger_span"] != first["trigger_span"] and not any(
                e["trigger_span"] == event["trigger_span"] for e in first["evidence"]
            ):
                first["evidence"].append({k: event[k] for k in ("sentence_span", "trigger_span", "rule")})

        # a "sentence" of hundreds of tokens is a table or a list flattened into text: its parse says little
        # and coding it costs more than the rest of the article; it is skipped, and the record says so
        skip: set[int] = set()
        for sent in doc.sents:
            if len(sent) > MAX_SENTENCE_TOKENS:
                skip.update(range(sent.start, sent.end))
                doc._.tacitus_warnings = [
                    *(doc._.tacitus_warnings or []),
                    f"no events coded in the sentence at characters {sent.start_char}-{sent.end_char}: "
                    f"{len(sent)} tokens (more than {MAX_SENTENCE_TOKENS}; a table or a list?)",
                ]
        # appeals and demands first: the act they ask for ("urged Iran to negotiate") is no event itself
        appeals, consumed = appeal_events(doc, skip)
        obligations, bound = obligation_events(doc, skip)
        appeals += obligations
        consumed |= bound
        appeal_triggers = set()
        for event in appeals:
            add(event)
            appeal_triggers.add(event["trigger_span"][0])
        for tok in doc:
            if tok.pos_ not in ("VERB",) or tok.lemma_.lower() not in self.by_verb:
                continue
            if tok.i in consumed or tok.idx in appeal_triggers or tok.i in skip:
                continue
            for pattern in self.by_verb[tok.lemma_.lower()]:
                produced = apply_pattern(doc, tok, pattern)
                if produced is None:
                    continue
                for event in produced:
                    add(event)
                break
        for event in noun_events(doc, skip):
            add(event)
        # offers and agreements whose act nothing above coded ("agreed to undertake joint exercises")
        covered = set()
        for event in events:
            for start, end in [event["trigger_span"], *(e["trigger_span"] for e in event["evidence"])]:
                span = doc.char_span(start, end, alignment_mode="expand")
                covered.update(range(span.start, span.end) if span is not None else ())
        # an act asked for ("asked that Clinton agree to an interview") is not offered by its doer either
        for event in intent_events(doc, covered | consumed, skip):
            add(event)
        # what a threat threatens ("threatened to shell the town") is the threat's content, not an act done
        threats = {e["trigger_span"][0] for e in events if e["root"] == "13"}
        if threats:
            kept = []
            for e in events:
                threat_at = _threatened(doc, e, threats)
                if threat_at is None:
                    kept.append(e)
                    continue
                # the threat takes what it threatens: "threatened to shell Iraqi towns" is a threat of
                # military force (138) against Iraq
                for threat in events:
                    if threat["trigger_span"][0] == threat_at and threat["source"] == e["source"]:
                        if threat["target"] is None:
                            threat["target"], threat["target_code"] = e["target"], e["target_code"]
                        code = intended_code(e["code"])
                        if threat["code"] == "130" and code and code.startswith("13"):
                            threat.update(_recoded(threat, code, "+threatened"))
            events = kept
        # a bare "refused" (120, no target) says less than the refusal coded from what was refused
        specific = {(e["source"], e["sentence_span"]) for e in events if e["root"] == "12" and e["target"]}
        events = [
            e
            for e in events
            if not (
                e["code"] == "120" and e["target"] is None and (e["source"], e["sentence_span"]) in specific
            )
        ]
        events.sort(key=lambda e: (e["trigger_span"][0], e["trigger_span"][1]))
        quotes = doc._.quotes or []
        for n, event in enumerate(events, start=1):
            event["id"] = f"e{n}"
            start, end = event["trigger_span"]
            event["quote"] = next(
                (q["id"] for q in quotes if q["content_span"][0] <= start and end <= q["content_span"][1]),
                None,
            )
        doc._.events = events
        return doc


@Language.factory(
    "tacitus_events_v1",
    assigns=["doc._.events"],
    requires=["doc._.actors", "doc._.times", "doc._.places", "doc._.quotes"],
    default_config={"patterns": None},
)
def make_events(nlp: Language, name: str, patterns: str | None) -> EventTagger:
    """Build the event coder from the packaged verb patterns, or from the YAML file at ``patterns``."""
    register_extensions()
    return EventTagger(patterns)
