"""Events from verbs: a pattern's verb and the words it needs around it (object, particle, prepositional
phrases, words before the verb, context), the subject as source (or the slots the pattern names) and the
slot the pattern names as target, resolved to actors through
:func:`tacitus.components.actors.actors_for_token`. A blocker pattern that matches makes the verb no event.

Matching works on the spaCy dependency parse, as PETRARCH-2 works on a constituency parse: the words after
the verb are looked for in the verb's own phrase (its dependents and theirs, not inside another clause),
the words before it in its clause (its left dependents and its subject's phrase)."""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from tacitus.components.actors import actors_for_token
from tacitus.components.events.attributes import make_event
from tacitus.components.events.mood import mood_of
from tacitus.components.events.participants import (
    implicit_targets,
    pattern_roles,
    quantified_object,
    relative_object,
    unattributed_violence,
    verb_subject,
)
from tacitus.components.events.patterns import VerbPattern

# Dependents that head a clause of their own: the verb's phrase includes such a head ("asked to intervene":
# "intervene") but not its dependents, which belong to another verb's patterns.
CLAUSE_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "csubjpass", "parataxis"})


def _clause_head(tok: Token) -> bool:
    return tok.dep_ in CLAUSE_DEPS or (tok.dep_ == "conj" and tok.pos_ in ("VERB", "AUX"))


# How many prepositional phrases deep the verb's phrase goes: PETRARCH-2 matches a verb phrase's
# prepositional phrases and those inside its nouns ("put [the army] [on [a state [of alert]]]"), not
# those further down ("help support the rights of Palestinians in their struggle against Israel").
PREP_DEPTH = 2


def _phrase(tok: Token) -> list[Token]:
    """The tokens of a word's own phrase, in sentence order: its dependents and theirs, down to (and
    including) the heads of other clauses and through at most :data:`PREP_DEPTH` prepositions."""
    out = []
    stack = [(c, 0) for c in tok.children]
    while stack:
        t, depth = stack.pop()
        if t.dep_ in ("prep", "agent"):
            depth += 1
            if depth > PREP_DEPTH:
                continue
        out.append(t)
        if not _clause_head(t):
            stack.extend((c, depth) for c in t.children)
    return sorted(out, key=lambda t: t.i)


@lru_cache(maxsize=8192)
def _phrases(words: frozenset[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The multi-word entries of a word set, by last word: "armed force" -> {"force": (("armed",),)}."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for w in words:
        if " " in w:
            parts = w.split()
            out.setdefault(parts[-1], []).append(tuple(parts[:-1]))
    return {k: tuple(v) for k, v in out.items()}


def _has(tok: Token, words: frozenset[str], surface: bool = True) -> bool:
    """Whether a token is one of the words (by lemma, or as written when ``surface``) or ends one of its
    phrases (the words before it, as written or lemmatised, are the phrase's)."""
    lemma = tok.lemma_.lower()
    if lemma in words or (surface and tok.lower_ in words):
        return True
    multi = _phrases(words)
    if not multi:
        return False
    doc = tok.doc
    start_of_sentence = tok.sent.start
    for key in (lemma, tok.lower_):
        for prefix in multi.get(key, ()):
            start = tok.i - len(prefix)
            if start >= start_of_sentence and all(
                doc[start + k].lower_ == w or doc[start + k].lemma_.lower() == w for k, w in enumerate(prefix)
            ):
                return True
    return False


# Particles that are no preposition in a multi-word verb: "took over the town" (prt), but not "has taken
# DHS over a year" (a preposition with its object).
PURE_PARTICLES = frozenset(
    {
        "up",
        "down",
        "out",
        "off",
        "back",
        "away",
        "aside",
        "forward",
        "together",
        "apart",
        "ahead",
        "forth",
        "over",
    }
)


def _has_object(prep: Token) -> bool:
    return any(g.dep_ == "pobj" for g in prep.children)


def _particle(tok: Token, particle: tuple[str, ...], around: _Around) -> bool:
    """A multi-word verb's words after its head: the first a dependent of the verb ("pulled out of",
    "kicked the envoy out", "set free", "asked for"; a pure particle not as a preposition with an
    object), the others later in the verb's phrase ("got hold of")."""
    word = particle[0]
    first = next(
        (
            c for c in tok.rights
            if (c.lower_ == word or c.lemma_.lower() == word)
            and (c.dep_ == "prt" or word not in PURE_PARTICLES or not _has_object(c))
        ),
        None,
    )  # fmt: skip
    if first is None:
        return False
    last = first.i
    for word in particle[1:]:
        nxt = next(
            (t for t in around.after() if t.i > last and (t.lower_ == word or t.lemma_.lower() == word)), None
        )
        if nxt is None:
            return False
        last = nxt.i
    return True


def _attached(p: Token, verb: Token, preps: set[str]) -> bool:
    """Whether a preposition belongs to the verb's phrase as PETRARCH-2 reads it: on the verb, on one of
    its direct dependents (its object, a particle: "imposed sanctions on Iran", "pulled out of"), or on
    the object of another of the pattern's prepositions ("put the army on a state of alert")."""
    head = p.head
    if head.i == verb.i:
        return True
    if head.head.i == verb.i and head.dep_ not in ("prep", "agent") and not _clause_head(head):
        return True
    if head.head.i == verb.i and head.lower_ in PURE_PARTICLES and not _has_object(head):
        return True  # "pulled out of the agreement": the parser may make the particle a preposition
    return (
        head.dep_ == "pobj" and head.head.lower_ in preps and head.head.i != p.i
        and _attached(head.head, verb, preps - {p.lower_})
    )  # fmt: skip


def _preps_match(tok: Token, pattern: VerbPattern, after: list[Token]) -> bool:
    """Each of the pattern's prepositions is in the verb's phrase (:func:`_attached`), with one of its
    words in its object when it names some ("(TO BORDER)": "rushed troops to the northern border")."""
    inside = {t.i for t in after}
    names = {prep for prep, _ in pattern.preps}
    for prep, words in pattern.preps:
        found = False
        for p in after:
            if p.lower_ != prep or not _attached(p, tok, names):
                continue
            if not words or any(_has(t, words) for t in p.subtree if t.i != p.i and t.i in inside):
                found = True
                break
        if not found:
            return False
    return True


def _before(tok: Token, subject: Token | None, phrase: list[Token]) -> list[Token]:
    """The words before the verb in its clause: its own dependents there, and its subject's phrase (the
    subject of a governing verb too: "Israeli jets continued to pound Gaza")."""
    out = [t for t in phrase if t.i < tok.i]
    if subject is not None and subject.head.i != tok.i:
        out += [subject, *(t for t in _phrase(subject) if t.i < tok.i)]
    return out


def _names_one(candidate: Token, words: frozenset[str]) -> bool:
    """Whether an object is one of the words, or a name the words describe ("extradited suspected
    militant Haroon Aswad": the descriptor "militant" before the name, as PETRARCH reads the phrase)."""
    if _has(candidate, words, surface=False):
        return True
    return candidate.pos_ == "PROPN" and any(
        c.dep_ in ("compound", "amod") and c.pos_ == "NOUN" and _has(c, words, surface=False)
        for c in candidate.children
    )


# Prepositions of time: their object says when, never what the act is done to ("offered remarks shortly
# before his meeting with the leaders" offers no meeting)
_WHEN_PREPS = frozenset({"before", "after", "during", "since", "until", "till", "following", "amid", "ahead"})


class _Around:
    """What the matcher reads around one trigger, computed once: the tagger tries many patterns on a
    verb in a row (dozens for "take"), and walking the parse is most of their cost."""

    __slots__ = ("doc", "i", "n", "tok", "dobj", "candidates", "_phrase", "_after", "_before")

    def __init__(self, tok: Token) -> None:
        self.doc, self.i, self.n, self.tok = tok.doc, tok.i, len(tok.doc), tok
        children = list(tok.children)
        self.dobj = next((c for c in children if c.dep_ == "dobj"), None)
        if self.dobj is None:
            self.dobj = relative_object(tok)
        if self.dobj is None:
            self.dobj = quantified_object(tok)
        pobjs = [
            p
            for c in children
            if c.dep_ == "prep" and c.lower_ not in _WHEN_PREPS
            for p in c.children
            if p.dep_ == "pobj"
        ]
        self.candidates = ([self.dobj] if self.dobj is not None else []) + pobjs
        self._phrase: list[Token] | None = None
        self._after: list[Token] | None = None
        self._before: list[Token] | None = None

    def phrase(self) -> list[Token]:
        if self._phrase is None:
            self._phrase = _phrase(self.tok)
        return self._phrase

    def after(self) -> list[Token]:
        if self._after is None:
            self._after = [t for t in self.phrase() if t.i > self.i]
        return self._after

    def before(self) -> list[Token]:
        if self._before is None:
            self._before = _before(self.tok, verb_subject(self.tok)[0], self.phrase())
        return self._before


_last: list[_Around] = []  # the trigger seen last (the doc is kept with it, so its identity is safe)


def _around(tok: Token) -> _Around:
    if _last and _last[0].doc is tok.doc and _last[0].i == tok.i and _last[0].n == len(tok.doc):
        return _last[0]
    around = _Around(tok)
    _last[:] = [around]
    return around


def matches(doc: Doc, tok: Token, pattern: VerbPattern) -> tuple[bool, Token | None]:
    """(whether the pattern's words are around the trigger, the object token it matched or the direct
    object). The words: ``objects`` (the direct object, or a preposition's object on the verb),
    ``particle``, ``objects_all`` and ``preps`` (in the verb's phrase after it), ``before`` (before it in
    its clause), ``context`` (anywhere in the sentence) and ``no_object``."""
    around = _around(tok)
    obj = around.dobj
    if pattern.objects:
        obj = next((c for c in around.candidates if _names_one(c, pattern.objects)), None)
        if obj is None:
            return False, None
    if pattern.particle and not _particle(tok, pattern.particle, around):
        return False, None
    if pattern.objects_all or pattern.preps:
        after = around.after()
        if not all(any(_has(t, group) for t in after) for group in pattern.objects_all):
            return False, None
        if pattern.preps and not _preps_match(tok, pattern, after):
            return False, None
    if pattern.before:
        before = around.before()
        if not all(any(_has(t, group) for t in before) for group in pattern.before):
            return False, None
    if pattern.context and not any(t.lemma_.lower() in pattern.context for t in tok.sent):
        return False, None
    if pattern.no_object and (obj is not None or tok.dep_ == "relcl"):
        # "demonstrated the energy" / "the energy he demonstrated" is not a demonstration
        return False, None
    return True, obj


def apply_pattern(doc: Doc, tok: Token, pattern: VerbPattern) -> list[dict] | None:
    """The events a pattern codes on a trigger: None if it does not match (or finds no source actor), an
    empty list if it is a blocker that matches (the trigger is no event: the tagger tries no other
    pattern), else one event per source-target pair."""
    matched, obj = matches(doc, tok, pattern)
    if not matched:
        return None
    if pattern.blocker:
        return []
    source_tokens, target_tokens = pattern_roles(tok, obj, pattern)
    sources = [a for t in source_tokens for a in actors_for_token(doc, t)]
    targets = [a for t in target_tokens for a in actors_for_token(doc, t)]
    if not sources:
        if not targets or not unattributed_violence(tok, pattern):
            return None
        # "a roadside bomb killed three soldiers", "a policeman was murdered": the violence happened to
        # the target and nobody is named as its author; the event is kept with no source, as GDELT
        # keeps an empty Actor1, rather than lost
        sources = [None]
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
            implicit = implicit_targets(tok, obj, pattern, sources)
            pairs = [(s, t) for s in sources for t in implicit if s != t] or [(s, None) for s in sources]
    if not pairs:
        return None
    mood, negated = mood_of(tok)
    if mood == "intended" and pattern.symmetric and targets:
        # an offer to talk is the offerer's act alone: "the US was willing to negotiate with X"
        pairs = [(s, t) for s, t in pairs if s in sources]
    code = pattern.code
    if mood == "intended" and pattern.intent_code:
        code = pattern.intent_code
    # one event per pair; the date, place and spans are the trigger's, as for every other kind of event
    out = [make_event(doc, tok, s, t, code, mood=mood, negated=negated, rule=pattern.id) for s, t in pairs]
    return out
