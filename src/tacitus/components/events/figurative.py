"""Violence words used for words: "the GOP attacked the president for declining" is criticism (CAMEO 111),
not an assault (190).

PETRARCH's verb dictionary codes "attack", "target", "pound", "hammer" as material conflict, and so did
Tacitus: in political news, where most of them are said of politicians, that put criticism among assaults,
at Goldstein -10 instead of -2, and kept one outlet's "attacked" from ever meeting another's "criticized"
(the clustering compares events of one root). An event of root 18-20 whose trigger has a figurative sense
(``ontology/data/figurative.yaml``) is criticism when the words around the trigger say it was spoken or
written, and nothing in its sentence speaks of violence:

- a reason: "attacked X *for* declining", "targeted Schumer *for* not speaking out", "*over* his remarks",
  "*because of* his rank", "attacked *because* he has done an outstanding job";
- a verb of saying on the trigger, or on the verb whose object the attack is: "pounding LePage, *saying*
  ...", "made an attack on Trump, *decrying* ...";
- a medium: "*in a speech*", "*on Twitter*", "*a new ad* attacks Obama";
- a thing said or decided as what is attacked: "targeting the Second Amendment *rights*";
- an adjective of words on a noun: "his *scathing* attacks on Islam".

Never when the sentence holds a word of violence (killed, troops, bomb, police ...) or either actor is an
armed body (a military, rebels, police): "Israeli troops attacked the town for hours" stays an attack.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Token

from tacitus.errors import InvalidRuleFile
from tacitus.ontology.wordlists import packaged_rules, word_set

CRITICISM = "111"
"""CAMEO 111, criticize or denounce: what a figurative attack is."""

ROOTS = frozenset({"18", "19", "20"})
"""The roots a figurative trigger can have been coded with: assault, fight, mass violence."""

_NAME = "figurative.yaml"
_LISTS = (
    "triggers", "for_is_goal", "reason_preps", "time_nouns", "speech", "medium", "abstract", "adjectives",
    "violence", "armed_sectors",
)  # fmt: skip


@dataclass(frozen=True)
class FigurativeWords:
    """The word lists of ``figurative.yaml``, each a frozenset of lemmas (sectors upper case)."""

    triggers: frozenset[str]
    for_is_goal: frozenset[str]
    reason_preps: frozenset[str]
    time_nouns: frozenset[str]
    speech: frozenset[str]
    medium: frozenset[str]
    abstract: frozenset[str]
    adjectives: frozenset[str]
    violence: frozenset[str]
    armed_sectors: frozenset[str]


@lru_cache(maxsize=1)
def words() -> FigurativeWords:
    """The packaged lists; a malformed file raises :class:`InvalidRuleFile` naming it and the key."""
    data = packaged_rules(_NAME)
    if set(data) != set(_LISTS):
        raise InvalidRuleFile(f"{_NAME}: expected exactly the keys {', '.join(_LISTS)}")
    lists = {key: word_set(_NAME, key, data[key], upper=key == "armed_sectors") for key in _LISTS}
    return FigurativeWords(**lists)


def _armed(code: str | None, sectors: frozenset[str]) -> bool:
    """Whether an actor code holds an armed sector in any of its three-letter blocks after the country."""
    if not code:
        return False
    return any(code[i : i + 3] in sectors for i in range(3, len(code), 3))


def _support_verb(trigger: Token) -> Token | None:
    """The verb that takes a noun trigger as its object: "made an attack", "stepped up his attacks"."""
    if (
        trigger.pos_ in ("NOUN", "PROPN")
        and trigger.dep_ in ("dobj", "nsubjpass")
        and trigger.head.i != trigger.i
    ):
        return trigger.head
    return None


def _objects(trigger: Token) -> list[Token]:
    """What is attacked: the verb's direct object, or the object of a noun's "on"/"against"."""
    found = [c for c in trigger.children if c.dep_ == "dobj"]
    for prep in trigger.children:
        if prep.dep_ == "prep" and prep.lower_ in ("on", "against"):
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    return found


def _reason(heads: list[Token], lemma: str, w: FigurativeWords) -> bool:
    """A "for"/"over" phrase on one of ``heads`` that says why: a gerund or a noun that is no time and
    no place."""
    for head in heads:
        for prep in head.children:
            if prep.dep_ == "advcl" and any(
                c.dep_ == "mark" and c.lower_ == "because" for c in prep.children
            ):
                return True  # "was attacked because he has done an outstanding job"
            if prep.dep_ != "prep" or prep.lower_ not in w.reason_preps:
                continue
            if prep.lower_ == "for" and lemma in w.for_is_goal:
                continue
            # "because of Y", "due to Y": the noun hangs on the second word
            objects = [g for c in prep.children if c.dep_ == "prep" for g in c.children] + list(prep.children)
            for obj in objects:
                if obj.tag_ == "VBG" or (obj.dep_ == "pcomp" and obj.pos_ in ("VERB", "AUX")):
                    return True  # "for declining", "for not speaking out"
                if obj.dep_ != "pobj":
                    continue
                if obj.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL", "QUANTITY"):
                    continue
                if obj.lemma_.lower() in w.time_nouns or obj.like_num:
                    continue
                return True
    return False


def _spoken(heads: list[Token], w: FigurativeWords) -> bool:
    """A verb of saying hanging on one of ``heads`` ("pounding LePage, saying ..."), or a medium as the
    place or the doer of the attack ("in a speech", "on Twitter", "a new ad attacks")."""
    for head in heads:
        for child in head.children:
            if (
                child.dep_ in ("advcl", "conj", "xcomp", "acl", "parataxis")
                and child.lemma_.lower() in w.speech
            ):
                return True
            if child.dep_ in ("nsubj", "poss") and child.lemma_.lower() in w.medium:
                return True
            if (
                child.dep_ == "prep"
                and child.lower_ in ("in", "on", "during", "via", "through", "at")
                and any(c.dep_ == "pobj" and c.lemma_.lower() in w.medium for c in child.children)
            ):
                return True
    return False


def is_figurative(trigger: Token, event: dict) -> bool:
    """Whether ``event`` (coded from ``trigger``, root 18-20) is criticism in violent words (see the module
    docstring)."""
    w = words()
    lemma = trigger.lemma_.lower()
    if event.get("root") not in ROOTS or lemma not in w.triggers:
        return False
    if _armed(event.get("source_code"), w.armed_sectors) or _armed(event.get("target_code"), w.armed_sectors):
        return False
    if any(t.i != trigger.i and t.lemma_.lower() in w.violence for t in trigger.sent):
        return False
    support = _support_verb(trigger)
    verbs = [trigger] if support is None else [trigger, support]
    objects = _objects(trigger)
    if _reason([*verbs, *objects], lemma, w) or _spoken(verbs, w):
        return True
    if trigger.pos_ == "NOUN" and any(
        c.dep_ == "amod" and c.lower_ in w.adjectives for c in trigger.children
    ):
        return True  # "his scathing attacks on Islam"
    return any(o.lemma_.lower() in w.abstract for o in objects)
