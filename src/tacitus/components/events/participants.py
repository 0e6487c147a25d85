"""Who takes part in a verb's event: the subject as source (climbing through infinitives, coordinated
verbs and a document to its maker), the slots a pattern names as target, the owner of a thing acted on
("seized the tanker of Iran"), and the participant an act without a stated target names in its complement
("threatened to cut off electricity to Nakhichevan"). Below :mod:`tacitus.components.events.verbs`, which
matches the patterns and calls these for the tokens a match leaves.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from tacitus.components.actors import PRONOUN_KINDS, actors_for_token, resolve_pronoun
from tacitus.components.events.attributes import adjunct_gerund, own_subject
from tacitus.components.events.locative import place_actor
from tacitus.components.events.mood import OBJECT_CONTROL
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


def verb_subject(tok: Token) -> tuple[Token | None, bool]:
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


def quantified_object(tok: Token) -> Token | None:
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


def relative_object(tok: Token) -> Token | None:
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


def pattern_roles(tok: Token, obj: Token | None, pattern: VerbPattern) -> tuple[list[Token], list[Token]]:
    """(source tokens, target tokens) from the pattern's slots. By default the subject acts (in the
    passive, the "by" agent) and the target is the first slot that holds a participant (in the passive,
    the subject undergoes). Explicit slots (``source: [prep:from]``, ``target: [subject]``, from the
    dictionary's ``$``/``+`` markers and target-only codes) read the subject and object logically: in the
    passive the "by" agent is the subject and the passive subject the object."""
    subject, passive = verb_subject(tok)
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


def unattributed_violence(tok: Token, pattern: VerbPattern) -> bool:
    """Whether a violent act has no named author: a passive without a "by" agent, or a subject that is
    the weapon or the act itself ("a roadside bombing killed ...")."""
    if pattern.code is None or pattern.code[:2] not in _VIOLENT_ROOTS or pattern.source != ("subject",):
        return False
    subject, passive = verb_subject(tok)
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
    subject, _ = verb_subject(tok)
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
