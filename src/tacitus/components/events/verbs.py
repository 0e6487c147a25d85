"""Events from verbs: a pattern's verb, its object and context words, the subject as source and the slot the
pattern names as target, resolved to actors through :func:`tacitus.components.actors.actors_for_token`."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from tacitus.components.actors import actors_for_token
from tacitus.components.events.attributes import event_date, event_place, trimmed
from tacitus.components.events.mood import OBJECT_CONTROL, mood_of
from tacitus.components.events.patterns import VerbPattern
from tacitus.ontology import cameo


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


def _prep_objects(tok: Token, word: str) -> list[Token]:
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent") and child.lower_ == word:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


def apply_pattern(doc: Doc, tok: Token, pattern: VerbPattern) -> list[dict] | None:
    sent = tok.sent
    obj = next((c for c in tok.children if c.dep_ in ("dobj",)), None)
    if pattern.objects:
        candidates = [obj] if obj is not None else []
        candidates += [p for c in tok.children if c.dep_ == "prep" for p in c.children if p.dep_ == "pobj"]
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
            found = _slot(tok, obj, slot)
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
    mood, negated = mood_of(tok)
    if mood == "intended" and pattern.symmetric and targets:
        # an offer to talk is the offerer's act alone: "the US was willing to negotiate with X"
        pairs = [(s, t) for s, t in pairs if s in sources]
    code = pattern.code
    if mood == "intended" and pattern.intent_code:
        code = pattern.intent_code
    info = cameo(code)
    date, date_span = event_date(doc, tok)
    place = event_place(doc, tok)
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
                "sentence_span": trimmed(sent),
                "trigger_span": (tok.idx, tok.idx + len(tok.text)),
                "rule": pattern.id,
            }
        )
    return out


def _slot(tok: Token, obj: Token | None, slot: str) -> list[Token]:
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
