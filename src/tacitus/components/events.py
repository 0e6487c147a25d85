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

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tacitus.components import guarded, register_extensions
from tacitus.components.actors import actors_for_token
from tacitus.errors import InvalidRuleFile, UnknownCode
from tacitus.ontology import cameo

PATTERN_KEYS = {
    "id", "code", "verbs", "objects", "context", "source", "target", "symmetric", "target_optional",
    "intent_code", "no_object", "provenance",
}  # fmt: skip
TARGET_SLOTS = ("object", "object_actor", "dative", "none")
INTENT_HEADS = {"willing", "ready", "prepared", "plan", "intend", "want", "hope", "offer", "agree", "vow",
                "promise", "seek", "aim", "eager", "expect", "decide", "propose"}  # fmt: skip
DEMAND_HEADS = {"urge", "demand", "call", "ask", "press", "push", "appeal", "insist", "tell", "order"}
# verbs whose object, not subject, performs the infinitive: "X invited Y to visit Z" -> Y visits
OBJECT_CONTROL = DEMAND_HEADS | {
    "invite",
    "encourage",
    "persuade",
    "allow",
    "help",
    "force",
    "pressure",
    "permit",
}
NEGATING_CUES = {"deny", "reject", "dismiss", "refute"}
REPORTING_CUES = {"say", "tell", "report", "claim", "announce", "state", "add", "confirm", "allege"}
HYPOTHETICAL_AUX = {"would", "could", "may", "might", "should", "can"}


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


def _subject(tok: Token) -> tuple[Token | None, bool]:
    """(subject token, passive?) of a verb, climbing through xcomp/conj/advcl chains."""
    for _ in range(4):
        for child in tok.children:
            if child.dep_ == "nsubj":
                return child, False
            if child.dep_ == "nsubjpass":
                return child, True
        if tok.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl", "acomp") and tok.head.i != tok.i:
            # an xcomp's subject is the controller: "Russia agreed to cooperate" -> Russia cooperates
            if tok.dep_ == "xcomp":
                obj = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
                if obj is not None and tok.head.lemma_ in OBJECT_CONTROL:
                    return obj, False  # "urged Pyongyang to accept": Pyongyang would accept
            tok = tok.head
        else:
            break
    return None, False


def _trimmed(sent: Span) -> tuple[int, int]:
    """Character span of a sentence without the whitespace (paragraph breaks) the tokenizer kept."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return start, sent.start_char + len(text.rstrip())


def _prep_objects(tok: Token, word: str) -> list[Token]:
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent") and child.lower_ == word:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


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
                produced = self._apply(doc, tok, pattern)
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

    def _apply(self, doc: Doc, tok: Token, pattern: VerbPattern) -> list[dict] | None:
        sent = tok.sent
        obj = next((c for c in tok.children if c.dep_ in ("dobj",)), None)
        if pattern.objects:
            candidates = [obj] if obj is not None else []
            candidates += [
                p for c in tok.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"
            ]
            obj = next((c for c in candidates if c.lemma_.lower() in pattern.objects), None)
            if obj is None:
                return None
        if pattern.context and not any(t.lemma_.lower() in pattern.context for t in sent):
            return None
        if pattern.no_object and (obj is not None or tok.dep_ == "relcl"):
            # "demonstrated the energy" / "the energy he demonstrated" is not a demonstration
            return None
        subject, passive = _subject(tok)
        source_tokens: list[Token] = []
        target_tokens: list[Token] = []
        if passive:
            # "12 protesters were arrested by police": the agent acts, the passive subject undergoes
            agents = _prep_objects(tok, "by")
            source_tokens = agents[:1]
            if subject is not None:
                target_tokens = [subject]
        else:
            if subject is not None:
                source_tokens = [subject]
            for slot in pattern.target:
                found = self._slot(tok, obj, slot)
                if found:
                    target_tokens = found[:1]
                    break
        sources = [a for t in source_tokens for a in actors_for_token(doc, t)]
        targets = [a for t in target_tokens for a in actors_for_token(doc, t)]
        if not sources:
            return None
        pairs: list[tuple[str, str | None]] = []
        if pattern.symmetric and len(sources) > 1 and not targets:
            pairs = [(a, b) for a in sources for b in sources if a != b]
        else:
            for s in sources:
                for t in targets:
                    if s != t:
                        pairs.append((s, t))
                        if pattern.symmetric:
                            pairs.append((t, s))
            if not targets and pattern.target_optional:
                pairs = [(s, None) for s in sources]
        if not pairs:
            return None
        mood, negated = self._mood(tok)
        if mood == "intended" and pattern.symmetric and targets:
            # an offer to talk is the offerer's act alone: "the US was willing to negotiate with X"
            pairs = [(s, t) for s, t in pairs if s in sources]
        code = pattern.code
        if mood == "intended" and pattern.intent_code:
            code = pattern.intent_code
        info = cameo(code)
        date, date_span = self._date(doc, tok)
        place = self._place(doc, tok)
        actors = {a["id"]: a for a in doc._.actors or []}
        out = []
        for s, t in pairs:
            out.append(
                {
                    "id": None,
                    "source": s,
                    "target": t,
                    "source_code": actors[s]["code"] if s in actors else None,
                    "target_code": actors[t]["code"] if t in actors else None,
                    "code": info.code,
                    "root": info.root,
                    "quad_class": info.quad_class,
                    "goldstein": info.goldstein,
                    "plover": info.plover,
                    "negated": negated,
                    "mood": mood,
                    "date": date,
                    "date_span": date_span,
                    "place": place,
                    "sentence_span": _trimmed(sent),
                    "trigger_span": (tok.idx, tok.idx + len(tok.text)),
                    "rule": pattern.id,
                }
            )
        return out

    def _slot(self, tok: Token, obj: Token | None, slot: str) -> list[Token]:
        doc = tok.doc
        index = doc._.mention_index or {}
        if slot in ("object", "object_actor"):
            if obj is None:
                return []
            if slot == "object_actor" and not actors_for_token(doc, obj):
                return []
            return [obj]
        if slot == "dative":
            return [c for c in tok.children if c.dep_ == "dative"]
        if slot.startswith("prep:"):
            word = slot.split(":", 1)[1]
            # "imposed sanctions on Iran on Monday": the participant may hang from the verb or its object
            found = [t for t in _prep_objects(tok, word) if t.i in index or actors_for_token(doc, t)]
            if not found and obj is not None:
                found = [t for t in _prep_objects(obj, word) if t.i in index or actors_for_token(doc, t)]
            return found
        return []

    def _mood(self, tok: Token) -> tuple[str, bool]:
        negated = any(c.dep_ == "neg" for c in tok.children)
        aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
        verb = tok
        while verb.dep_ == "conj" and verb.head.i != verb.i:
            # "wouldn't be shaking hands or meet": a coordinated verb shares its first verb's negation/modal
            verb = verb.head
            negated = negated or any(c.dep_ == "neg" for c in verb.children)
            aux |= {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
        head = tok
        mood = "asserted"
        for _ in range(4):
            if head.dep_ in ("xcomp", "ccomp", "acl", "advcl", "relcl") or head.dep_ == "pobj":
                parent = head.head
                lemma = parent.lemma_.lower()
                if lemma in NEGATING_CUES:
                    return "negated-by-context", negated
                if lemma in DEMAND_HEADS and head.dep_ == "xcomp":
                    return "demanded", negated
                if lemma in OBJECT_CONTROL and head.dep_ == "xcomp":
                    return "hypothetical", negated  # invited, encouraged: not yet done
                if lemma in INTENT_HEADS:
                    mood = "intended"
                    if any(c.dep_ == "neg" for c in parent.children):
                        negated = True
                    break
                if lemma in REPORTING_CUES and head.dep_ == "ccomp":
                    mood = "reported"
                    break
                head = parent
                continue
            break
        if mood == "asserted":
            if aux & {"will", "shall", "'ll"}:
                mood = "intended"
            elif aux & HYPOTHETICAL_AUX or any(c.dep_ == "mark" and c.lower_ == "if" for c in tok.children):
                mood = "hypothetical"
        return mood, negated

    def _date(self, doc: Doc, tok: Token) -> tuple[str | None, tuple[int, int] | None]:
        sent = tok.sent
        candidates = [
            t for t in doc._.times or [] if sent.start <= t["tokens"][0] and t["tokens"][1] <= sent.end
        ]
        # an event date is a day; "in October" or "last week" stays in Record.times, not on the event
        candidates = [t for t in candidates if t["type"] == "DATE" and t["value"] and len(t["value"]) == 10]
        if not candidates:
            return None, None

        def attached(t: dict) -> bool:
            node = doc[t["tokens"][0]]
            for _ in range(6):
                if node.i == tok.i:
                    return True
                if node.head.i == node.i:
                    return False
                node = node.head
            return False

        best = sorted(candidates, key=lambda t: (not attached(t), abs(t["tokens"][0] - tok.i)))[0]
        return best["value"], tuple(best["span"])

    def _place(self, doc: Doc, tok: Token) -> dict | None:
        sent = tok.sent
        for place in doc._.places or []:
            s, e = place["tokens"]
            if not (sent.start <= s and e <= sent.end):
                continue
            node = doc[s]
            for _ in range(5):
                if node.i == tok.i or node.i == tok.head.i:
                    return {
                        "name": place["name"],
                        "country": place["country"],
                        "lat": place["lat"],
                        "lon": place["lon"],
                    }
                if node.head.i == node.i:
                    break
                node = node.head
        return None


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
