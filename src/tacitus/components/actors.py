"""``tacitus_actors_v1``: find the participants of an article and give each a canonical CAMEO code.

A participant is a person, an organisation, a country (or its capital used as a metonym, "Moscow said"), or
a role description ("the US's special envoy", "a National Security Council spokesperson"). Mentions of the
same participant are gathered into one actor: surnames after full names ("Morgulov" after "Igor
Morgulov", even when NER mislabels them), headlines before full names, and a role description introduced
one sentence before the name it belongs to ("The US's special envoy ... . Joseph Yun told reporters").

Codes come first from the article itself (the title in front of a name: "Russian Deputy Foreign Minister
Igor Morgulov" -> RUS + GOV), then from the actor knowledge base with the code valid on the publication date
(Phoenix dictionaries: "Vladimir Putin" on 2017-12-15 -> RUSGOV). A participant the text and the knowledge
base say nothing about keeps ``code=None``.

Results go to ``Doc._.actors`` (list of dicts, mentions as token ranges) and ``Doc._.mention_index`` (token
index -> actor id); :func:`actors_for_token` is the shared resolver used by quotes and events.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tacitus.components import guarded, is_locative, register_extensions
from tacitus.components.quotemarks import quoted_tokens
from tacitus.kb import KnowledgeBase, is_country, load_kb

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


class ActorTagger:
    """Build canonical actors for one doc from NER, the knowledge base and role words."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self._kb = kb

    @property
    def kb(self) -> KnowledgeBase:
        # Loaded on first use, not at import: spaCy imports every registered factory module whenever any
        # pipeline is created, and users who never run Tacitus should not pay for the knowledge base.
        if self._kb is None:
            self._kb = load_kb()
        return self._kb

    @guarded("actors")
    def __call__(self, doc: Doc) -> Doc:
        builder = _Builder(doc, self.kb)
        builder.run()
        doc._.actors, doc._.mention_index = builder.export()
        return doc


class _Builder:
    def __init__(self, doc: Doc, kb: KnowledgeBase) -> None:
        self.doc = doc
        self.kb = kb
        self.on = doc._.published
        self.actors: dict[str, _Actor] = {}
        self.claimed: set[int] = set()
        self.ent_of = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}
        self.dateline_country: str | None = None

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

    def _persons(self) -> list[_Actor]:
        return [a for a in self.actors.values() if a.kind == "person"]

    def _descriptor(self, first: int, stop_at: int) -> tuple[str | None, str | None, str | None, int]:
        """Read a title in front of a name: tokens [first, stop_at) -> (country, sector, role, start)."""
        doc = self.doc
        i = stop_at - 1
        while i >= first:
            tok = doc[i]
            if tok.is_sent_start and i != stop_at - 1:
                # keep the first token of the sentence but go no further
                if tok.pos_ in ("PROPN", "NOUN", "ADJ") or tok.ent_type_ in ("GPE", "NORP", "ORG"):
                    i -= 1
                break
            if tok.pos_ in ("PROPN", "NOUN", "ADJ") or tok.tag_ == "POS" or tok.lower_ in ("of", "-"):
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
            found = self._country_word(tok)
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

    # -- passes --------------------------------------------------------------------------------------
    def run(self) -> None:
        ents = [e for e in self.doc.ents if e.label_ in ACTOR_LABELS]
        for ent in ents:
            if ent.label_ == "PERSON":
                self._person(ent)
        for ent in ents:
            if ent.label_ != "PERSON" and not (set(range(ent.start, ent.end)) & self.claimed):
                self._non_person(ent)
        self._surnames()
        self._roles()
        self._bridge_roles_to_names()
        self._country_from_context()

    def _find_person(self, name: str) -> _Actor | None:
        parts = _without_suffix(name.split())
        if len(parts) > 1 and all(p.lower() in _PARTICLES for p in parts[:-1]):
            parts = parts[-1:]  # "De Klerk" after "F.W. de Klerk"
        for actor in self._persons():
            known = _without_suffix(actor.name.split())
            if actor.name == name:
                return actor
            if len(parts) == 1 and known and known[-1] == parts[0]:
                return actor
            if len(known) == 1 and parts and parts[-1] == known[0]:
                actor.name = name  # the headline said "Putin", the body says "Vladimir Putin"
                return actor
        return None

    def _person(self, ent: Span) -> None:
        span = _strip_possessive_tokens(ent)
        # NER sometimes swallows the title: "President Donald Trump"
        start = span.start
        while start < span.end - 1 and self.kb.role(self.doc[start].text):
            start += 1
        name_span = self.doc[start : span.end]
        name = _clean_name(name_span.text)
        if not name:
            return
        known = self.kb.lookup(name, on=self.on)
        if (
            known is not None
            and known.kind in ("country", "place", "igo")
            and self._find_person(name) is None
        ):
            # the small English model tags some countries and cities as people ("Togo", "Lomé")
            self._non_person(ent, label="GPE")
            return
        actor = self._find_person(name)
        if actor is None:
            actor = _Actor(key=f"person:{name}", name=name, kind="person")
            self.actors[actor.key] = actor
        country, sector, role, desc_start = self._descriptor(self.doc[ent.start].sent.start, name_span.start)
        if sector is None:
            a_country, a_sector, a_role = self._apposition(ent.root)
            if a_sector:
                country, sector, role = a_country or country, a_sector, a_role
        if country is None:
            country = self._of_country(ent.root)
        # the title in front of the name belongs to this person, not to a separate actor ("Secretary of
        # State": NER tags "State" ORG)
        self.claimed.update(range(desc_start, name_span.start))
        if role and self.doc[name_span.start - 1].tag_ in ("NNS", "NNPS"):
            role = role[:-1] if role.endswith("s") else role  # "Presidents Trump and Putin"
        if sector and not actor.from_text:
            actor.country = country or actor.country
            actor.sector = sector
            actor.role = role
            actor.code = actor.country + sector if actor.country else None
            actor.from_text = actor.country is not None
        elif country and actor.country is None and not actor.from_text:
            actor.country = country
        if not actor.from_text and actor.code is None:
            # initials, middle names and suffixes written differently ("F.W. de Klerk") still find them
            entry = self.kb.lookup_person(name, on=self.on)
            if entry is not None and entry.kind == "person":
                # the text named the office but not the country ("Presidents Trump and Putin"): the
                # knowledge base knows whose president, and its dated code says so
                if actor.country is None or actor.country == entry.country:
                    actor.code = entry.code
                    actor.country = entry.country or actor.country
                    actor.sector = entry.sector or actor.sector
                if len(entry.name.split()) > len(actor.name.split()):
                    actor.name = entry.name
        self._claim(actor, name_span.start, name_span.end)

    def _is_dateline(self, ent: Span) -> bool:
        """ "MOSCOW — Tens of thousands marched": a dateline names where the story was filed."""
        doc = self.doc
        if ent.start != ent.sent.start or ent.end >= len(doc):
            return False
        follower = doc[ent.end]
        return follower.text in ("—", "–", "-", "--", "(") or (follower.text == "," and ent.text.isupper())

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
        if head.ent_type_ == "PERSON" or self.kb.role(head.text) is not None:
            return False
        if root.dep_ == "poss":
            return True
        if head.dep_ in ("nsubj", "nsubjpass", "dobj"):
            return True
        return head.dep_ == "pobj" and head.head.lower_ in PARTICIPANT_PREPS - {"of", "for"}

    def _non_person(self, ent: Span, label: str | None = None) -> None:
        label = label or ent.label_
        if label in ("GPE", "LOC") and self._is_dateline(ent):
            # "DENVER, Colo. (AP) -": where the story was filed is the country of its unnamed officials
            self.dateline_country = self.dateline_country or self.kb.country_of(_clean_name(ent.text))
            return
        if label in ("GPE", "NORP", "FAC") and (
            is_locative(ent) or (_is_modifier(ent) and not self._takes_part_as_modifier(ent))
        ):
            return
        if label == "ORG" and _is_modifier(ent) and self.kb.lookup(_clean_name(ent.text), on=self.on) is None:
            return
        span = _strip_possessive_tokens(ent)
        if len(span) == 0:
            return
        name = _clean_name(span.text)
        person = self._find_person(name) if len(name.split()) == 1 else None
        if person is not None:  # "Morgulov" tagged ORG after "Igor Morgulov" tagged PERSON
            self._claim(person, span.start, span.end)
            return
        entry = self.kb.lookup(name, on=self.on)
        if entry is not None and entry.kind == "person":
            key = f"person:{entry.name}"
            actor = self.actors.get(key) or _Actor(key=key, name=entry.name, kind="person")
            actor.code, actor.country, actor.sector = entry.code, entry.country, entry.sector
            self.actors[key] = actor
            self._claim(actor, span.start, span.end)
            return
        if entry is not None:
            code = entry.code
            kind = "country" if entry.kind in ("country", "place") else "organization"
            if (
                label == "GPE"
                and entry.kind == "place"
                and entry.via == "capital"
                and entry.country
                and code == entry.country
            ):
                # a capital used as a participant ("Pyongyang rejected ...") speaks for the government; a
                # region or another city ("win Florida") stays its country
                code = entry.country + "GOV"
                kind = "organization"
            key = f"code:{code}" if kind == "country" else f"entry:{entry.id}"
            display = entry.name if kind == "country" else name
            actor = self.actors.get(key) or _Actor(
                key=key, name=display, kind=kind, code=code, country=entry.country, sector=entry.sector
            )
            self.actors[key] = actor
            self._claim(actor, span.start, span.end)
            return
        if label in ("GPE", "NORP"):
            country = self.kb.country_of(name)
            if country is None:
                return
            key = f"code:{country}"
            actor = self.actors.get(key) or _Actor(
                key=key, name=name, kind="country", code=country, country=country
            )
            self.actors[key] = actor
            self._claim(actor, span.start, span.end)
            return
        if label == "ORG":
            role = self.kb.role(name)
            country = None
            for child in ent.root.children:
                if child.dep_ in ("poss", "amod", "compound") and child.ent_type_ in ("GPE", "NORP"):
                    country = self._country_of_token(child)
            sector = role[0] if role else None
            key = f"org:{name}"
            actor = self.actors.get(key) or _Actor(
                key=key,
                name=name,
                kind="organization",
                country=country,
                sector=sector,
                code=(country + sector) if (country and sector) else country,
            )
            self.actors[key] = actor
            self._claim(actor, span.start, span.end)

    def _surnames(self) -> None:
        """Claim bare surnames of known people that NER missed or mislabelled."""
        surnames = {}
        for actor in self._persons():
            parts = _without_suffix(actor.name.split())
            if len(parts) > 1:
                surnames.setdefault(parts[-1], actor)
        if not surnames:
            return
        for tok in self.doc:
            if tok.i in self.claimed or tok.text not in surnames or not tok.text[:1].isupper():
                continue
            self._claim(surnames[tok.text], tok.i, tok.i + 1)

    def _role_country(self, noun: Token) -> tuple[str | None, str | None]:
        """Country (and an organisation's code) qualifying a role noun: "Russian", "US's", "of Russia"."""
        country = None
        org_code = None
        for child in noun.children:
            if child.dep_ in ("amod", "compound", "poss", "nmod"):
                org = self._actor_at(child.i) if child.ent_type_ in ("ORG", "FAC", "GPE") else None
                if org is not None and org.code and org.kind == "organization":
                    # "a National Security Council spokesperson" speaks for the Council (USAGOV)
                    org_code = org.code
                elif self._country_word(child):
                    country = country or self._country_word(child)
            if child.dep_ == "prep" and child.lower_ in ("of", "from"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and self._country_word(pobj):
                        country = country or self._country_word(pobj)
        return country, org_code

    def _actor_at(self, i: int) -> _Actor | None:
        for actor in self.actors.values():
            for s, e in actor.mentions:
                if s <= i < e:
                    return actor
        return None

    def _roles(self) -> None:
        """Role descriptions that act in a sentence: "a National Security Council spokesperson said"."""
        for tok in self.doc:
            # a capitalised title outside any entity is a role too ("Taiwan's Vice Foreign Minister visited")
            if tok.i in self.claimed or not (
                tok.pos_ == "NOUN" or (tok.pos_ == "PROPN" and not tok.ent_type_)
            ):
                continue
            if tok.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "appos", "conj"):
                continue
            if tok.dep_ == "pobj" and tok.head.lower_ not in PARTICIPANT_PREPS | {"by"}:
                continue
            if (
                tok.i + 1 < len(self.doc)
                and tok.i + 1 in self.claimed
                and self.doc[tok.i + 1].ent_type_ == "PERSON"
            ):
                continue  # a title in front of a name ("Presidents Donald Trump and ...")
            left = tok.left_edge.i
            words = [t.text for t in self.doc[left : tok.i + 1] if t.ent_type_ not in ("GPE", "NORP", "ORG")
                     and t.dep_ != "det" and t.tag_ != "POS"]  # fmt: skip
            phrase = " ".join(words)
            found = self.kb.role(phrase) or self.kb.role(tok.text)
            if found is None:
                continue
            sector, _ = found
            country, org_code = self._role_country(tok)
            if tok.tag_ == "NNS" and self._plural_of_countries(tok):
                continue  # "the presidents of the US and Russia": resolved per country at use time
            if org_code and not is_country(org_code) and sector not in _blocks(org_code) and sector != "MED":
                # "UN peacekeepers", "a UN official": the organisation's own code with the role's sector
                code = org_code + sector
            elif org_code:
                # "a National Security Council spokesperson" speaks for the Council
                code = org_code
                country = country or org_code[:3]
            elif country:
                code = country + sector
            else:
                code = None
            start = left
            # the name leaves out the article and a leading owner ("Russia's Interfax news agency")
            while start < tok.i and (
                self.doc[start].dep_ == "det"
                or (self.doc[start].ent_type_ in ("GPE", "NORP") and self.doc[start].head.i == tok.i
                    and any(t.tag_ == "POS" for t in self.doc[start : tok.i]))
                or self.doc[start].tag_ == "POS"
            ):  # fmt: skip
                start += 1
            name = _clean_name(self.doc[start : tok.i + 1].text)
            key = f"role:{code}:{phrase.lower()}" if code else f"role:{tok.i}"
            actor = self.actors.get(key) or _Actor(
                key=key, name=name, kind="role", code=code, country=country, sector=sector, role=phrase
            )
            self.actors[key] = actor
            actor.add(start, tok.i + 1)
            self.claimed.add(tok.i)
            if country and not org_code:
                # "French and Egyptian warships", "U.S. and Russian negotiators": one group per country
                for other in self._coordinated_countries(tok, country):
                    key = f"role:{other + sector}:{phrase.lower()}"
                    group = self.actors.get(key) or _Actor(
                        key=key, name=name, kind="role", code=other + sector, country=other, sector=sector,
                        role=phrase,
                    )  # fmt: skip
                    self.actors[key] = group
                    group.add(start, tok.i + 1)

    def _coordinated_countries(self, noun: Token, first: str) -> list[str]:
        """Countries coordinated with the first country modifier of a role noun, in text order."""
        found: list[str] = []
        for child in noun.children:
            if child.dep_ not in ("amod", "compound", "nmod"):
                continue
            for conj in child.conjuncts:
                country = self._country_word(conj)
                if country and country != first and country not in found:
                    found.append(country)
        return found

    def _plural_of_countries(self, noun: Token) -> bool:
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs and any(c.dep_ == "conj" for c in objs[0].children):
                    return True
        return False

    def _bridge_roles_to_names(self) -> None:
        """Join "The US's special envoy ... ." to "Joseph Yun told ..." in the next sentence.

        News introduces a person by role and names them in the following sentence. The join is made only
        when the role description is definite, is the subject of its sentence, is mentioned once, and the
        very next sentence (or the one after) opens with a person first seen there, whom neither the text
        nor the knowledge base has coded.
        """
        doc = self.doc
        sents = list(doc.sents)
        sent_index = {s.start: k for k, s in enumerate(sents)}
        for role in [a for a in self.actors.values() if a.kind == "role" and a.code and len(a.mentions) == 1]:
            start, end = role.mentions[0]
            head = doc[end - 1]
            if head.dep_ not in ("nsubj", "nsubjpass"):
                continue
            left = doc[head.left_edge.i]
            definite = left.lower_ in ("the", "this") or any(c.dep_ == "poss" for c in head.children)
            if not definite:
                continue
            k = sent_index.get(head.sent.start)
            if k is None:
                continue
            for follow in sents[k + 1 : k + 3]:
                person = None
                for actor in self._persons():
                    first = min(actor.mentions)
                    if follow.start <= first[0] < follow.end and doc[first[1] - 1].dep_ in (
                        "nsubj",
                        "nsubjpass",
                    ):
                        earlier = [m for m in actor.mentions if m[0] < follow.start]
                        if not earlier and actor.code is None and not actor.from_text:
                            person = actor
                            break
                if person is not None:
                    person.code, person.country, person.sector = role.code, role.country, role.sector
                    person.role = role.role
                    person.from_text = True
                    for m in role.mentions:
                        person.add(*m)
                    del self.actors[role.key]
                    break

    def _context_country(self) -> str | None:
        """The article's own country: its dateline's, else the country most of its mentions belong to
        (actors of that country, and places in it that are not already actors).

        Only a clear majority counts: at least two mentions and twice the runner-up's. With two countries
        mentioned equally often (a bilateral meeting), or one country named once, an unnamed "official"
        could belong to anyone, and a guess would be dressed as a fact.
        """
        if self.dateline_country:
            return self.dateline_country
        weight: Counter[str] = Counter()
        for actor in self.actors.values():
            if actor.country and is_country(actor.country) and not actor.from_context:
                weight[actor.country] += len(actor.mentions)
        # places count too, as places: "in Iowa", "a rally in Des Moines" say where the story is
        for ent in self.doc.ents:
            if ent.label_ == "GPE":
                country = self.kb.country_of(_clean_name(ent.text))
                if country and is_country(country) and not self._actor_at(ent.start):
                    weight[country] += 1
        ranked = weight.most_common(2)
        if not ranked or ranked[0][1] < 2 or (len(ranked) == 2 and ranked[1][1] * 2 > ranked[0][1]):
            return None
        return ranked[0][0]

    def _country_from_context(self) -> None:
        """Code actors whose words give a sector but no country ("the judge", "rebels", "President X").

        The country comes from the article (see :meth:`_context_country`) and the actor says so
        (``code_source`` "context"); with no country in sight, CAMEO's no-country block: "---REB".
        """
        pending = [a for a in self.actors.values() if a.code is None and a.sector and a.country is None]
        if not pending:
            return
        country = self._context_country()
        for actor in pending:
            if country:
                actor.country, actor.code, actor.from_context = country, country + actor.sector, True
            else:
                actor.code = "---" + actor.sector

    # -- output --------------------------------------------------------------------------------------
    def _code_source(self, actor: _Actor) -> str:
        if actor.code is None:
            return "unknown"
        if actor.from_context:
            return "context"
        if (
            not actor.from_text
            and not actor.code.startswith("---")
            and actor.key.startswith(("person:", "entry:"))
        ):
            return "kb"
        return "text"

    def export(self) -> tuple[list[dict], dict[int, str]]:
        doc = self.doc
        ordered = sorted((a for a in self.actors.values() if a.mentions), key=lambda a: min(a.mentions))
        out = []
        index: dict[int, str] = {}
        for n, actor in enumerate(ordered, start=1):
            actor_id = f"a{n}"
            mentions = sorted(actor.mentions)
            for s, e in mentions:
                for i in range(s, e):
                    index.setdefault(i, actor_id)
            out.append(
                {
                    "id": actor_id,
                    "name": actor.name,
                    "code": actor.code,
                    # IGO/NGO/... prefixes are not countries: an international actor has none
                    "country": actor.country if actor.country and is_country(actor.country) else None,
                    "sector": actor.sector,
                    "kind": actor.kind,
                    "role": actor.role,
                    "tokens": mentions,
                    "mentions": [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for s, e in mentions],
                    "code_source": self._code_source(actor),
                }
            )
        return out, index


def resolve_pronoun(doc: Doc, token: Token) -> str | None:
    """Resolve a pronoun to the nearest fitting actor mentioned before it, preferring a sentence subject.

    A deliberately simple rule (news prose names the speaker, then uses a pronoun): "he"/"she" look for
    people, "it" for organisations and countries, "they" for groups, roles, organisations and countries;
    look back up to three sentences, past names quoted inside speech (for a pronoun outside quotation
    marks); take the latest mention that was a subject, else the latest at all.
    """
    kinds = PRONOUN_KINDS.get(token.lower_)
    if kinds is None:
        return None
    candidates = {a["id"]: a for a in doc._.actors or [] if a["kind"] in kinds}
    if not candidates:
        return None
    sent_starts = [s.start for s in doc.sents]
    here = max(k for k, s in enumerate(sent_starts) if s <= token.i)
    floor = sent_starts[max(0, here - 3)]
    # a name quoted in someone's speech is no antecedent for the narrative's "he" ("“Over the years,
    # Hillary Clinton has ...,” he said" is the speaker, not Clinton)
    quoted = quoted_tokens(doc)
    skip_quoted = token.i not in quoted
    best_subject = None
    best_any = None
    for actor_id, actor in candidates.items():
        for s, e in actor["tokens"]:
            if not (floor <= s and e <= token.i) or (skip_quoted and s in quoted):
                continue
            if best_any is None or s > best_any[0]:
                best_any = (s, actor_id)
            head = doc[e - 1]
            if head.dep_ in ("nsubj", "nsubjpass") and (best_subject is None or s > best_subject[0]):
                best_subject = (s, actor_id)
    chosen = best_subject or best_any
    return chosen[1] if chosen else None


def actors_for_token(doc: Doc, token: Token) -> list[str]:
    """Actor ids a syntactic argument refers to: a mention, a pronoun, or a coordination of them.

    "Trump and Putin" gives both; "the presidents of the US and Russia" gives the persons the article
    already knows in that role for each country (else nothing for that country).
    """
    index = doc._.mention_index or {}
    found: list[str] = []

    def add(actor_id: str | None) -> None:
        if actor_id and actor_id not in found:
            found.append(actor_id)

    heads = [token] + [c for c in token.conjuncts if c.i > token.i]
    persons = {a["id"] for a in doc._.actors or [] if a["kind"] == "person"}
    for child in token.children:
        # "Minister X of Portugal and President Y of Brazil": the parser often coordinates Y with
        # Portugal; a person conjoined inside the "of" phrase is a second participant
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    heads += [c for c in pobj.conjuncts if index.get(c.i) in persons and c not in heads]
    for head in heads:
        if head.i in index:
            add(index[head.i])
            continue
        if head.lower_ in PRONOUN_KINDS:
            add(resolve_pronoun(doc, head))
            continue
        # a compound inside the argument may be the mention ("the Trump administration")
        # ("Saudi air strikes": the nationality of the doer)
        inner = [index[t.i] for t in head.children if t.i in index and t.dep_ in ("compound", "poss", "amod")]
        if head.tag_ == "NNS":
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ != "pobj":
                            continue
                        for country_tok in [pobj, *pobj.conjuncts]:
                            add(_person_in_role(doc, head, country_tok))
            if found:
                continue
        if inner:
            add(inner[0])
    return found


def _person_in_role(doc: Doc, role_noun: Token, country_tok: Token) -> str | None:
    """The known person holding ``role_noun`` ("presidents") for the country ``country_tok`` names."""
    kb = load_kb()
    ent_text = next((e.text for e in doc.ents if e.start <= country_tok.i < e.end), country_tok.text)
    country = kb.country_of(_clean_name(ent_text))
    if country is None:
        return None
    lemma = role_noun.lemma_.lower()
    for actor in doc._.actors or []:
        if actor["kind"] == "person" and actor["country"] == country:
            role = (actor["role"] or "").lower()
            if lemma in role or (not role and actor["sector"] == "GOV" and lemma == "president"):
                return actor["id"]
    for actor in doc._.actors or []:
        if actor["code"] == country:
            return actor["id"]
    return None


@Language.factory("tacitus_actors_v1", assigns=["doc._.actors", "doc._.mention_index"], requires=["doc.ents"])
def make_actors(nlp: Language, name: str) -> ActorTagger:
    """Build the actor tagger; the knowledge base is loaded on first use and shared per process."""
    register_extensions()
    return ActorTagger()
