"""``tacitus_actors_v1``: find the participants of an article and give each a canonical CAMEO code.

A participant is a person, an organisation, a country (or its capital used as a metonym, "Moscow said"), or
a role description ("the US's special envoy", "a National Security Council spokesperson"). Mentions of the
same participant are gathered into one actor: surnames after full names ("Morgulov" after "Igor
Morgulov", even when NER mislabels them), headlines before full names, and a role description introduced
one sentence before the name it belongs to ("The US's special envoy ... . Joseph Yun told reporters").

Codes come first from the article itself (the title in front of a name: "Russian Deputy Foreign Minister
Igor Morgulov" -> RUS + GOV), then from the actor knowledge base with the code valid on the publication date
(Phoenix dictionaries: "Vladimir Putin" on 2017-12-15 -> RUSGOV). A participant the text and the knowledge
base say nothing about keeps ``code=None``; one whose words give a sector but no country takes the
article's country (its dateline, or the country its actors and places belong to most) or CAMEO's ``---``,
and every actor says which (``code_source``).

The package splits the work by concern: ``mentions`` reads what the words around a mention say,
``linking`` gathers mentions into actors, ``coding`` settles codes from context and exports them, and
``resolution`` resolves an argument to actors at use time (pronouns, coordinations) for quotes and events.

Results go to ``Doc._.actors`` (list of dicts, mentions as token ranges) and ``Doc._.mention_index`` (token
index -> actor id); :func:`actors_for_token` is the shared resolver used by quotes and events.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tacitus.components import guarded, register_extensions
from tacitus.components.actors.coding import _Coder
from tacitus.components.actors.linking import _Linker
from tacitus.components.actors.mentions import (
    ACTOR_LABELS,
    PARTICIPANT_PREPS,
    PERSON_PRONOUNS,
    PRONOUN_KINDS,
    _Actor,
    photo_credit_tokens,
)
from tacitus.components.actors.resolution import actors_for_token, resolve_pronoun
from tacitus.components.actors.roles import _RoleLinker
from tacitus.kb import KnowledgeBase, load_kb

__all__ = [
    "ACTOR_LABELS",
    "PARTICIPANT_PREPS",
    "PERSON_PRONOUNS",
    "PRONOUN_KINDS",
    "ActorTagger",
    "actors_for_token",
    "make_actors",
    "resolve_pronoun",
]


class ActorTagger:
    """Build canonical actors for one doc from NER, the knowledge base and role words."""

    def __init__(self, kb: KnowledgeBase | None = None, actors_file: str | None = None) -> None:
        self._kb = kb
        self.actors_file = actors_file
        self._learned: list[dict[str, Any]] | None = None

    def use_learned(self, entries: list[dict[str, Any]] | None) -> None:
        """Add what the store learned (:mod:`tacitus.kb.learned`) below our and the user's entries; None or
        an empty list goes back to the knowledge base without them. The same list twice is a no-op, so
        that a worker can call this for every chunk."""
        if entries is self._learned or (not entries and not self._learned):
            return
        self._learned = entries
        base = load_kb(self.actors_file)
        self._kb = base.with_entries(entries, override=False) if entries else base

    @property
    def kb(self) -> KnowledgeBase:
        # Loaded on first use, not at import: spaCy imports every registered factory module whenever any
        # pipeline is created, and users who never run Tacitus should not pay for the knowledge base.
        if self._kb is None:
            self._kb = load_kb(self.actors_file)
        return self._kb

    @guarded("actors")
    def __call__(self, doc: Doc) -> Doc:
        builder = _Builder(doc, self.kb)
        builder.run()
        doc._.actors, doc._.mention_index = builder.export()
        if builder.warnings:
            doc._.tacitus_warnings = [*(doc._.tacitus_warnings or []), *builder.warnings]
        return doc


class _Builder(_Linker, _RoleLinker, _Coder):
    """One doc's actors: read mentions (mentions.py), link names (linking.py) and roles (roles.py), code them
    (coding.py)."""

    def __init__(self, doc: Doc, kb: KnowledgeBase) -> None:
        self.doc = doc
        self.kb = kb
        self.on = doc._.published
        self.actors: dict[str, _Actor] = {}
        self.claimed: set[int] = set()
        self.ent_of = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        self.dateline_country: str | None = None
        self.warnings: list[str] = []

    # -- passes --------------------------------------------------------------------------------------
    def run(self) -> None:
        junk = photo_credit_tokens(self.doc)
        ents = [
            e
            for e in (_without_sentence_verb(e, self._country_word) for e in self.doc.ents)
            if e is not None
            and e.label_ in ACTOR_LABELS
            and not any(i in junk for i in range(e.start, e.end))
        ]
        self.claimed.update(junk)
        self._user_names()
        for ent in ents:
            if ent.label_ == "PERSON" and not (set(range(ent.start, ent.end)) & self.claimed):
                self._person(ent)
        for ent in ents:
            if ent.label_ != "PERSON" and not (set(range(ent.start, ent.end)) & self.claimed):
                self._non_person(ent)
        self._all_caps_names()
        self._divisions_named_as_countries()
        self._surnames()
        self._surnames_by_office()
        self._roles()
        self._bridge_roles_to_names()
        self._roles_to_named_people()
        self._definite_roles_to_groups()
        self._country_from_context()


# Tags of a sentence's first word that no name carries: the small model calls a capitalised verb or adjective
# opening a sentence a person ("Invalid email address.", "Follow Paul on Twitter", "Removing ... records").
_NOT_NAME_TAGS = frozenset({"VB", "VBG", "VBD", "VBN", "VBZ", "VBP", "JJ", "JJR", "JJS", "RB"})


def _without_sentence_verb(ent: Span, country_word: Callable[[Token], str | None]) -> Span | None:
    """A PERSON entity less a first word that opens its sentence as a verb, adjective or adverb (the
    entity's remaining words, or None when nothing is left); any other entity unchanged. "Will Hurd" keeps
    its modal-tagged first name: only tags no name is given are dropped; and "Bosnian Serbs" its
    nationality (``country_word``: the country a word names, as the actors read modifiers)."""
    first = ent[0]
    if (
        ent.label_ != "PERSON"
        or not first.is_sent_start
        or first.tag_ not in _NOT_NAME_TAGS
        or country_word(first) is not None
    ):
        return ent
    if len(ent) == 1:
        return None
    return Span(ent.doc, ent.start + 1, ent.end, label=ent.label_)


@Language.factory(
    "tacitus_actors_v1",
    assigns=["doc._.actors", "doc._.mention_index"],
    requires=["doc.ents"],
    default_config={"actors_file": None},
)
def make_actors(nlp: Language, name: str, actors_file: str | None) -> ActorTagger:
    """Build the actor tagger; the knowledge base is loaded on first use and shared per process.

    ``actors_file`` is a user's YAML actor file (see :mod:`tacitus.kb.user`) whose entries win over ours.
    """
    register_extensions()
    if actors_file is not None:
        load_kb(actors_file)  # a mistake in the file fails here, with file and line (and is read once)
    return ActorTagger(actors_file=actors_file)
