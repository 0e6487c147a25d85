"""Reading mentions: the actor record, name helpers, and the parts of a sentence that say who someone is.

The words around a name (a title in front, an apposition, "of Germany" after it), country words
(adjectives, possessives, demonyms that NER tags oddly) and datelines. :class:`_MentionReader` holds the
builder's shared state and these readers; linking and coding build on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from tacitus.components import dateline_follows, doc_text
from tacitus.kb import PAST_OFFICE, KnowledgeBase

# "talks with Russia", "sanctions on Iran": these prepositions take participants, not places.
# Prepositions whose object takes part in an event (a recipient "to", a target "at"), unlike "in"/"near".
PARTICIPANT_PREPS = {"with", "on", "against", "by", "between", "for", "of", "to", "at", "toward", "towards"}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
# which kinds of actor a pronoun can stand for; "they" is also used for a government or a ministry
PRONOUN_KINDS = {
    **{p: ("person",) for p in PERSON_PRONOUNS},
    **{p: ("organization", "country", "role", "group") for p in ("it", "its", "itself")},
    **{p: ("role", "organization", "country", "group") for p in ("they", "them", "their", "themselves")},
}
ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC"}
_POSSESSIVE = re.compile(r"[’']s$|[’']$")


@dataclass
class _Actor:
    key: str
    name: str
    kind: str
    code: str | None = None
    country: str | None = None
    sector: str | None = None
    role: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)
    from_text: bool = False  # code came from the article's own words (a title, an apposition)
    from_context: bool = False  # country came from the rest of the article
    fallback: str | None = None  # the knowledge base's code for a generic institution ("Senate": US)
    kb_id: str | None = None  # the knowledge-base entry the code came from, when it did

    def add(self, start: int, end: int) -> None:
        if (start, end) not in self.mentions:
            self.mentions.append((start, end))


_SUFFIXES = frozenset(["jr", "sr", "ii", "iii", "iv"])

# Particles that belong to a surname: "De Klerk" and "al-Bashir" are surnames, not first names.
_PARTICLES = frozenset(
    ["de", "del", "van", "von", "der", "den", "da", "di", "du", "dos", "le", "la", "al", "el", "bin", "ibn"]
)


def _without_suffix(parts: list[str]) -> list[str]:
    """A name's words without a generational suffix: "A.B. Smith III" is "Smith" later in the story."""
    parts = list(parts)
    while len(parts) > 1 and parts[-1].lower().strip(".,") in _SUFFIXES:
        parts.pop()
    return parts


def _blocks(code: str) -> list[str]:
    return [code[i : i + 3] for i in range(0, len(code), 3)]


def _clean_name(text: str) -> str:
    text = " ".join(text.split())
    text = _POSSESSIVE.sub("", text)
    if text.lower().startswith("the "):
        text = text[4:]
    return text.strip(" ,.;:")


def _strip_possessive_tokens(span: Span) -> Span:
    end = span.end
    while end > span.start and span.doc[end - 1].tag_ == "POS":
        end -= 1
    start = span.start
    while start < end and span.doc[start].lower_ == "the":
        start += 1
    return span.doc[start:end]


def _is_modifier(span: Span) -> bool:
    """A country or nationality word that qualifies another noun ("Russian minister", "US's envoy")."""
    root = span.root
    while root.dep_ == "conj" and root.head.i < root.i:  # "U.S. and Russian negotiators": as the first
        root = root.head
    if root.dep_ in ("compound", "amod", "nmod", "poss"):
        return root.head.i >= span.end and root.head.pos_ in ("NOUN", "PROPN")
    return False


def _is_people(tok: Token) -> bool:
    """A nationality or ethnic group named as people: "Palestinians", "Iraqi Kurds", "Bosnian Serbs"."""
    return tok.tag_ == "NNPS" and tok.ent_type_ in ("NORP", "PERSON") and tok.dep_ not in ("compound", "amod")


# A photo credit: names joined by slashes with a credit word ("REUTERS/Kevin Lamarque/File Photo",
# "Reuters/File Photo", "AFP/Getty Images"). Its agency and photographer are not actors of the story.
_CREDIT = re.compile(r"[\w.'’-]+(?: [\w.'’-]+){0,3}(?: ?/ ?[\w.'’-]+(?: [\w.'’-]+){0,3})+")
# only words of a picture credit: "AP/NORC poll" and "the Iraq/Syria border" are no credits
_CREDIT_WORDS = re.compile(r"(?i)\b(?:photo|photos|file|pool|handout|getty|images)\b")


# the wire's name in a dateline: "WASHINGTON (AP) -", "KABUL, Afghanistan (Reuters) -", "(CNN)"
_DATELINE_CREDIT = re.compile(
    r"(?m)^[ \t]*(?:[A-Z][A-Za-z.'’ -]*[A-Z.](?:,[^()\n]{1,40}?)?[ \t]*)?\(([A-Z][^()\n]{0,39})\)[ \t]*[-–—:]?"
)


def photo_credit_tokens(doc: Doc) -> frozenset[int]:
    """Indices of tokens inside photo credits and datelines' wire credits, which name no participant."""
    found: set[int] = set()
    for m in _CREDIT.finditer(doc_text(doc)):
        if "/" in m.group(0) and _CREDIT_WORDS.search(m.group(0)):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is not None:
                found.update(range(span.start, span.end))
    for m in _DATELINE_CREDIT.finditer(doc_text(doc)):
        span = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
        if span is not None:
            found.update(range(span.start, span.end))
    return frozenset(found)


class _MentionReader:
    """What the text says about a mention: titles, appositions, countries, datelines."""

    # the state every part of the builder shares (set in tacitus.components.actors._Builder.__init__)
    doc: Doc
    kb: KnowledgeBase
    on: str | None
    actors: dict[str, _Actor]
    claimed: set[int]
    ent_of: dict[int, Span]
    dateline_country: str | None
    warnings: list[str]

    # -- helpers -------------------------------------------------------------------------------------
    def _claim(self, actor: _Actor, start: int, end: int) -> None:
        actor.add(start, end)
        self.claimed.update(range(start, end))

    def _country_word(self, tok: Token) -> str | None:
        """Country a modifier names, whatever NER called it ("Togo" is often tagged PERSON)."""
        if tok.ent_type_ in ("GPE", "NORP") or (tok.pos_ in ("PROPN", "ADJ") and tok.text[:1].isupper()):
            return self._country_of_token(tok)
        return None

    def _country_of_token(self, tok: Token) -> str | None:
        """Country named by the entity a token belongs to ("North" in "North Korean" -> PRK)."""
        ent = self.ent_of.get(tok.i)
        text = ent.text if ent is not None else tok.text
        return self.kb.country_of(_clean_name(text)) or self.kb.country_of(tok.text)

    def _igo_word(self, tok: Token) -> str | None:
        """The code of an international organisation a title names ("U.N. Secretary-General" -> IGOUNO),
        which stands where a country would ("IGOUNO" + "GOV")."""
        ent = self.ent_of.get(tok.i)
        if ent is None or ent.label_ != "ORG":
            return None
        found = self._entity_entry(ent)
        return found.code if found is not None and found.kind == "igo" and found.code else None

    def _entity_entry(self, ent: Span) -> Any:
        """The knowledge base's entry for the name an entity writes, None when it has none."""
        return self.kb.lookup(_clean_name(ent.text))

    def _persons(self) -> list[_Actor]:
        return [a for a in self.actors.values() if a.kind == "person"]

    def _descriptor(self, first: int, stop_at: int) -> tuple[str | None, str | None, str | None, int]:
        """Read a title in front of a name: tokens [first, stop_at) -> (country, sector, role, start)."""
        doc = self.doc
        i = stop_at - 1
        while i >= first:
            tok = doc[i]
            past = tok.lower_ in PAST_OFFICE  # "Ousted President Askar Akayev" (a verb form to the tagger)
            if tok.is_sent_start and i != stop_at - 1:
                # keep the first token of the sentence but go no further
                if tok.pos_ in ("PROPN", "NOUN", "ADJ") or tok.ent_type_ in ("GPE", "NORP", "ORG") or past:
                    i -= 1
                break
            if tok.pos_ in ("PROPN", "NOUN", "ADJ") or tok.tag_ == "POS" or tok.lower_ in ("of", "-") or past:
                i -= 1
                continue
            if tok.ent_type_ in ("GPE", "NORP", "ORG"):
                i -= 1
                continue
            break
        start = i + 1
        while start < stop_at and (doc[start].lower_ in ("of", "-") or doc[start].tag_ == "POS"):
            start += 1
        if start >= stop_at:
            return None, None, None, stop_at
        country = None
        role_tokens = []
        for tok in doc[start:stop_at]:
            found = self._country_word(tok) or self._igo_word(tok)
            if found:
                country = country or found
                continue
            if tok.tag_ == "POS":
                continue
            role_tokens.append(tok.text)
        role_text = " ".join(role_tokens).strip()
        found = self.kb.role(role_text) if role_text else None
        if found is None:
            return country, None, None, start if country else stop_at
        sector, _ = found
        return country, sector, role_text, start

    def _of_country(self, root: Token) -> str | None:
        """ "Foreign Minister Anna Keller of Germany": the country after the name; its tokens join the person."""
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        country = self._country_word(pobj)
                        if country:
                            self.claimed.update(range(child.i, pobj.i + 1))
                            return country
        return None

    def _apposition(self, root: Token) -> tuple[str | None, str | None, str | None]:
        for child in root.children:
            if child.dep_ == "appos":
                span = self.doc[child.left_edge.i : child.i + 1]
                country = None
                for tok in span:
                    country = self._country_word(tok) or country
                role_words = [
                    t.text for t in span if not self._country_word(t) and t.tag_ != "POS" and t.dep_ != "det"
                ]
                role_text = " ".join(role_words)
                found = self.kb.role(role_text) if role_text else None
                if found:
                    return country, found[0], role_text
        return None, None, None

    def _is_dateline(self, ent: Span) -> bool:
        """ "MOSCOW — Tens of thousands marched": a dateline names where the story was filed."""
        return ent.start == ent.sent.start and dateline_follows(ent)

    def _takes_part_as_modifier(self, ent: Span) -> bool:
        """A country word qualifying a noun that still names a participant on its own.

        "Turkey's efforts", "Haiti's record": the owner takes part. "Saudi air strikes killed",
        "fired at Turkish positions": the nationality of the doer or target. Not when the noun is an office
        or a group ("Russian minister", "Kenyan police": that actor carries the country) or a person.
        """
        root = ent.root
        while root.dep_ == "conj" and root.head.i < root.i:
            root = root.head
        head = root.head
        if head.ent_type_ == "PERSON" or self.kb.role(head.text) is not None or _is_people(head):
            return False
        if root.dep_ == "poss":
            return True
        if head.dep_ in ("nsubj", "nsubjpass", "dobj"):
            return True
        return head.dep_ == "pobj" and head.head.lower_ in (PARTICIPANT_PREPS - {"of", "for"}) | {"from"}

    def _people_country(self, span: Span) -> tuple[str | None, int]:
        """The country of a people named as a group, and the first token of its mention.

        A nationality in front says it ("Iraqi Kurds" -> IRQ, "Bosnian Serbs" -> BIH); else where they
        live ("ethnic Albanians in south Serbia", "the Albanians of southern Serbia" -> SRB, as CAMEO
        codes minorities by their state); else the group's own country ("Libyans" -> LBY).
        """
        root = span.root
        start = span.start
        for child in root.children:
            if child.dep_ in ("amod", "compound") and child.i < span.start and self._country_word(child):
                return self._country_word(child), min(start, child.left_edge.i)
        for tok in span[:-1]:
            if self._country_word(tok):
                return self._country_word(tok), start
        for child in root.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "of", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.ent_type_ in ("GPE", "LOC"):
                        country = self._country_of_token(pobj)
                        if country:
                            return country, start
        return self.kb.country_of(_clean_name(span.text)) or self._country_word(root), start

    def _actor_at(self, i: int) -> _Actor | None:
        for actor in self.actors.values():
            for s, e in actor.mentions:
                if s <= i < e:
                    return actor
        return None
