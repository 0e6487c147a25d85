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

from tacitus.components.actors import PRONOUN_KINDS, actors_for_token, resolve_pronoun
from tacitus.components.events.attributes import adjunct_gerund, make_event, own_subject
from tacitus.components.events.locative import place_actor
from tacitus.components.events.mood import OBJECT_CONTROL, mood_of
from tacitus.components.events.patterns import VerbPattern
from tacitus.ontology.wordlists import packaged_rules, word_set

# Documents whose words are their author's acts: "issued a statement condemning Russia", "adopted a
# resolution condemning racism", "signed an order banning ..." (the author is the subject of the verb that
# makes the document: DOCUMENT_VERBS).
DOCUMENT_NOUNS = frozenset(
    {"statement", "resolution", "letter", "order", "bill", "declaration", "communique", "communiqué",
     "motion", "decree", "message", "tweet", "memo", "note", "video", "post", "editorial", "op-ed", "ad",
     "advertisement", "release", "proclamation", "directive", "amendment", "petition", "report"}
)  # fmt: skip
DOCUMENT_VERBS = frozenset(
    {"issue", "adopt", "pass", "release", "sign", "send", "publish", "post", "make", "deliver", "approve",
     "write", "unveil", "introduce", "file", "draft", "table", "put", "tweet", "circulate", "present"}
)  # fmt: skip


def _document_author(noun: Token) -> Token | None:
    """The verb that makes ``noun`` when it is a document its maker's words are in ("issued a statement"),
    so that a clause on the document ("... condemning Russia") takes that verb's subject."""
    if (
        noun.lemma_.lower() in DOCUMENT_NOUNS
        and noun.dep_ in ("dobj", "nsubjpass")
        and noun.head.lemma_.lower() in DOCUMENT_VERBS
    ):
        return noun.head
    return None


def _subject(tok: Token) -> tuple[Token | None, bool]:
    """(subject token, passive?) of a verb, climbing through xcomp/conj/advcl chains, and from a clause on
    a document to the document's maker ("issued a statement condemning Russia": the issuer condemns)."""
    adjunct = False
    infinitive_voice: bool | None = None  # the passive of the first infinitive climbed from, if any
    for _ in range(4):
        subject, passive = own_subject(tok)
        if subject is not None:
            if infinitive_voice is not None:
                # "Obama is scheduled to meet Abbas", "Iran was forced to retreat": the passive subject of
                # the governing verb does the infinitive's act; "was scheduled to be sworn in" undergoes it
                return subject, infinitive_voice and not adjunct
            # "was arrested after attacking an officer": the one arrested did the attacking
            return subject, passive and not adjunct
        if adjunct_gerund(tok):
            # "responded by bombing Hamas positions", "after meeting Putin, Trump said": the gerund's doer
            # is the subject of the verb its phrase hangs on
            tok, adjunct = tok.head.head, True
            continue
        if tok.dep_ == "acl" and tok.head.i != tok.i:
            maker = _document_author(tok.head)
            if maker is not None:
                tok = maker
                continue
        if tok.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl", "acomp") and tok.head.i != tok.i:
            # an xcomp's subject is the controller: "Russia agreed to cooperate" -> Russia cooperates
            # (the parser sometimes makes the infinitive an advcl: "directed the department to investigate")
            if tok.dep_ == "xcomp" or (tok.dep_ == "advcl" and any(c.lower_ == "to" for c in tok.children)):
                obj = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
                if obj is not None and tok.head.lemma_ in OBJECT_CONTROL:
                    return obj, False  # "urged Pyongyang to accept": Pyongyang would accept
                if tok.dep_ == "xcomp" and infinitive_voice is None:
                    infinitive_voice = any(c.dep_ == "auxpass" for c in tok.children)
            tok = tok.head
        else:
            break
    return None, False


def _prep_objects(tok: Token, word: str) -> list[Token]:
    out = []
    for child in tok.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ == word:
            out.extend(c for c in child.children if c.dep_ == "pobj")
    return out


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


def _quantified_object(tok: Token) -> Token | None:
    """The object the parser hides in "kidnapped up to 16 advisers" ("up" a particle, "to" a preposition
    whose object has a number): the counted noun, when the verb has no direct object of its own."""
    for child in tok.children:
        if (
            child.dep_ == "prep"
            and child.lower_ == "to"
            and child.i > 0
            and tok.doc[child.i - 1].lower_ == "up"
        ):
            for pobj in child.children:
                if pobj.dep_ == "pobj" and any(c.dep_ == "nummod" for c in pobj.children):
                    return pobj
    return None


def _relative_object(tok: Token) -> Token | None:
    """The noun an object relative clause is on: "the remarks he offered", "the man police arrested" (the
    verb has a subject of its own, no object and no preposition left without its object, as in "the city he
    lived in")."""
    if tok.dep_ != "relcl" or tok.head.pos_ not in ("NOUN", "PROPN"):
        return None
    children = list(tok.children)
    if not any(c.dep_ == "nsubj" for c in children):
        return None
    if any(c.dep_ == "prep" and not any(g.dep_ in ("pobj", "pcomp") for g in c.children) for c in children):
        return None
    return tok.head


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
            self.dobj = _relative_object(tok)
        if self.dobj is None:
            self.dobj = _quantified_object(tok)
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
            self._before = _before(self.tok, _subject(self.tok)[0], self.phrase())
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


def _roles(tok: Token, obj: Token | None, pattern: VerbPattern) -> tuple[list[Token], list[Token]]:
    """(source tokens, target tokens) from the pattern's slots. By default the subject acts (in the
    passive, the "by" agent) and the target is the first slot that holds a participant (in the passive,
    the subject undergoes). Explicit slots (``source: [prep:from]``, ``target: [subject]``, from the
    dictionary's ``$``/``+`` markers and target-only codes) read the subject and object logically: in the
    passive the "by" agent is the subject and the passive subject the object."""
    subject, passive = _subject(tok)
    aimed = pattern.code is not None and pattern.code[:2] not in _NOT_AIMED_ROOTS
    if pattern.source == ("subject",) and "subject" not in pattern.target:
        if passive:
            # "12 protesters were arrested by police": the agent acts, the passive subject undergoes
            return _prep_objects(tok, "by")[:1], [subject] if subject is not None else []
        targets: list[Token] = []
        for slot in pattern.target:
            found = _slot(tok, obj, slot, aimed)
            if found:
                targets = found[:1]
                break
        return [subject] if subject is not None else [], targets
    logical_subject = (_prep_objects(tok, "by")[:1] or [None])[0] if passive else subject
    logical_object = subject if passive else obj

    def first(slots: tuple[str, ...], taken: set[int], owners: bool = False) -> list[Token]:
        for slot in slots:
            if slot == "subject":
                found = [logical_subject] if logical_subject is not None else []
            else:
                found = _slot(tok, logical_object, slot, owners)
            found = [t for t in found if t.i not in taken]
            if found:
                return found[:1]
        return []

    sources = first(pattern.source, set())
    targets = first(pattern.target, {t.i for t in sources}, aimed)
    return sources, targets


def apply_pattern(doc: Doc, tok: Token, pattern: VerbPattern) -> list[dict] | None:
    """The events a pattern codes on a trigger: None if it does not match (or finds no source actor), an
    empty list if it is a blocker that matches (the trigger is no event: the tagger tries no other
    pattern), else one event per source-target pair."""
    matched, obj = matches(doc, tok, pattern)
    if not matched:
        return None
    if pattern.blocker:
        return []
    source_tokens, target_tokens = _roles(tok, obj, pattern)
    sources = [a for t in source_tokens for a in actors_for_token(doc, t)]
    targets = [a for t in target_tokens for a in actors_for_token(doc, t)]
    if not sources:
        if not targets or not _unattributed_violence(tok, pattern):
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


# Where the participant of an act without a stated target hides: the act threatened, refused or
# promised ("threatened to cut off electricity to Nakhichevan", "rejected calls by Belarus's rulers",
# "threatened further action against Russia"): an actor in an argument of the complement or the object.
_CONTENT_DEPS = frozenset({"dobj", "pobj", "dative", "poss", "nsubj", "nsubjpass"})
_CONTENT_ROOTS = frozenset({"03", "10", "11", "12", "13", "16", "17"})


def implicit_targets(tok: Token, obj: Token | None, pattern: VerbPattern, sources: list) -> list[str]:
    """The target of an optional-target pattern that found none in its slots: for threats, refusals,
    demands and the like, the first actor (not a source) named as an argument in the act's complement or
    object; for protests (CAMEO 14), the country of the place they happen in ("demonstrated in Kirkuk":
    Iraq, as the event data sets code domestic protest). Empty when the sentence gives none."""
    doc = tok.doc
    root = (pattern.code or "")[:2]
    # the act (its complement clause) and the object: where a threat or refusal names its target
    nodes = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")] + ([obj] if obj is not None else [])
    if root in _CONTENT_ROOTS:
        for node in nodes:
            for t in node.subtree:
                if t.i == tok.i or t.dep_ not in _CONTENT_DEPS:
                    continue
                found = [a for a in actors_for_token(doc, t) if a not in sources]
                if found:
                    return found
    if root in ("13", "17"):
        # a threat or a coercive act bound to a place: "threatened to impose a curfew in Algiers"
        for node in nodes:
            for t in node.subtree:
                if t.dep_ == "pobj" and t.head.lower_ in ("in", "on", "across", "throughout"):
                    actor = place_actor(doc, t)
                    if actor is not None and actor not in sources:
                        return [actor]
    if root == "14":
        for node in (tok, obj) if obj is not None else (tok,):
            for word in ("in", "at", "outside"):
                for t in _prep_objects(node, word):
                    for place in (t, *(p for c in t.children if c.dep_ == "prep" for p in c.children)):
                        actor = place_actor(doc, place)
                        if actor is not None and actor not in sources:
                            return [actor]
    return []


# Roots of violence (CAMEO 18 assault, 19 fight, 20 mass violence): their events are worth keeping
# without a known author. Other acts without a source say too little ("was criticised").
_VIOLENT_ROOTS = frozenset({"18", "19", "20"})

# Subjects that are the means or the act of violence, not an actor: "a car bomb killed", "an air strike
# hit", "the blast wounded". Lemmas.
_INSTRUMENT_WORDS = (
    "bomb bombing blast explosion explosive attack airstrike strike shell shelling rocket missile mine "
    "landmine ied grenade gunfire fire shot shooting drone raid ambush assault violence clash fighting "
    "artillery mortar barrage bombardment"
)
_INSTRUMENTS = frozenset(_INSTRUMENT_WORDS.split())


def _unattributed_violence(tok: Token, pattern: VerbPattern) -> bool:
    """Whether a violent act has no named author: a passive without a "by" agent, or a subject that is
    the weapon or the act itself ("a roadside bombing killed ...")."""
    if pattern.code is None or pattern.code[:2] not in _VIOLENT_ROOTS or pattern.source != ("subject",):
        return False
    subject, passive = _subject(tok)
    if subject is None:
        return False
    if passive:
        # "were killed in an attack", "were killed by an improvised explosive device"
        return not any(actors_for_token(tok.doc, t) for t in _prep_objects(tok, "by"))
    return subject.lemma_.lower() in _INSTRUMENTS and not actors_for_token(tok.doc, subject)


_OWNERS_FILE = "owners.yaml"


@lru_cache(maxsize=1)
def owned_things() -> frozenset[str]:
    """The nouns of ``owners.yaml`` (every list in it): things whose owner an act on them is aimed at. A
    malformed file raises :class:`InvalidRuleFile` naming it and the key."""
    data = packaged_rules(_OWNERS_FILE)
    return frozenset().union(*(word_set(_OWNERS_FILE, key, value) for key, value in data.items()))


# Acts whose object is where they happen or whom they meet, not what they are aimed at: "welcomed
# Reagan's statement" is no visit Reagan hosts (04), "gave his condolences" no gift (07)
_NOT_AIMED_ROOTS = frozenset({"01", "04", "07"})


def _owner(tok: Token, obj: Token) -> Token | None:
    """The possessor of an object that is no actor but a thing (``owners.yaml``) whose owner the act is
    aimed at ("criticized Obama's policy", "questioned his allegiance": Obama, whoever "his" is), when the
    possessor is an actor other than the subject's own ("their forces completed their withdrawal": theirs);
    None otherwise ("met Kassig's executioner": a person is someone else)."""
    if obj.lemma_.lower() not in owned_things():
        return None
    doc = obj.doc
    possessor = next((c for c in obj.children if c.dep_ == "poss"), None)
    owners = set(actors_for_token(doc, possessor)) if possessor is not None else set()
    if not owners:
        return None
    subject, _ = _subject(tok)
    if subject is not None:
        own = set(actors_for_token(doc, subject))
        for c in subject.children:
            if c.dep_ == "poss":
                # "their forces ...": the pronoun's referent, though the phrase is a mention of its own
                own.update(actors_for_token(doc, c))
                if c.lower_ in PRONOUN_KINDS:
                    own.add(resolve_pronoun(doc, c))
        if owners & own:
            return None
    return possessor


def _slot(tok: Token, obj: Token | None, slot: str, aimed: bool = False) -> list[Token]:
    """The tokens a pattern's ``slot`` names on trigger ``tok`` (``obj``: its object). ``aimed``: the act is
    aimed at its object (its root not in :data:`_NOT_AIMED_ROOTS`), so a thing's owner can be the target
    (:func:`_owner`)."""
    doc = tok.doc
    index = doc._.mention_index or {}
    if slot in ("object", "object_actor"):
        if obj is None:
            return []
        if actors_for_token(doc, obj) or place_actor(doc, obj) is not None:
            return [obj]  # (a place: "shelled Eastern Ukraine", "visited Moscow": the place's country)
        owner = _owner(tok, obj) if aimed else None
        if owner is not None:
            return [owner]
        return [] if slot == "object_actor" else [obj]
    if slot == "dative":
        # "offered condolences to Turkey": the parser marks the preposition as the dative
        found = []
        for c in tok.children:
            if c.dep_ == "dative":
                found += [p for p in c.children if p.dep_ == "pobj"] if c.pos_ == "ADP" else [c]
        return found
    if slot == "none":
        return []
    if slot.startswith("prep:"):
        word = slot.split(":", 1)[1]
        # "imposed sanctions on Iran on Monday": the participant may hang from the verb or its object
        found = [t for t in _prep_objects(tok, word) if t.i in index or actors_for_token(doc, t)]
        if not found and obj is not None:
            found = [t for t in _prep_objects(obj, word) if t.i in index or actors_for_token(doc, t)]
        if not found:
            # or from a particle: "pulled out of Syria", "cracked down on protesters"
            for particle in (c for c in tok.rights if c.dep_ in ("prt", "prep", "advmod")):
                found += [
                    t for t in _prep_objects(particle, word) if t.i in index or actors_for_token(doc, t)
                ]
        if not found:
            # a place where the pattern asks for a participant ("shelled positions in Yemen", "sent troops
            # into Syria", "received tanks from Germany"): its country (see events.locative)
            for node in (tok, obj) if obj is not None else (tok,):
                for t in _prep_objects(node, word):
                    if place_actor(doc, t) is not None:
                        found.append(t)
                if found:
                    break
        return found
    return []
