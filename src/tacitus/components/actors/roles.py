"""Linking role descriptions: "the US's special envoy", "Russian officials", "a UN spokesman".

A role noun becomes an actor with the sector its title gives and the country its modifiers give; a
definite role introduced just before a name joins that person (:meth:`_RoleLinker._bridge_roles_to_names`),
and a bare definite role after a person who holds it is that person ("President Trump ... the president
said": :meth:`_RoleLinker._roles_to_named_people`), and a bare definite role to the one group named before
with its noun ("Russian troops ... the troops": :meth:`_RoleLinker._definite_roles_to_groups`).
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from tacitus.components.actors.mentions import (
    PARTICIPANT_PREPS,
    _Actor,
    _blocks,
    _clean_name,
    _MentionReader,
)
from tacitus.components.whenwhere import PLACE_PREPS
from tacitus.kb import KnowledgeBase
from tacitus.wordlists import read_words

# Sectors of people who live where they are: civilians, protesters, refugees, workers, students, clergy.
_RESIDENT_SECTORS = frozenset(["CVL", "OPP", "REF", "LAB", "PPL", "EDU", "REL", "AGR", "HLH"])

# Armed and crowd groups a story introduces with their country and then calls by their noun alone ("Russian
# troops ... the troops", "Syrian rebels ... the rebels"): the sides of a conflict, where the article's
# context gives either side or none (see _RoleLinker._definite_roles_to_groups).
_GROUP_SECTORS = frozenset(["MIL", "REB", "COP", "OPP", "UAF", "INS", "SPY"])


# Possessive pronouns and the kinds of actor they stand for ("its troops" belong to a country or body).
_POSSESSIVE_PRONOUNS = {
    "its": ("country", "organization", "group"),
    "their": ("country", "organization", "group", "role"),
    "his": ("person",),
    "her": ("person", "country"),
}


@lru_cache(maxsize=1)
def group_qualifiers() -> frozenset[str]:
    """Words that say a group is of no one country (``components/data/group_qualifiers.txt``): "Kurdish",
    "Islamic", "Shiite", "European"."""
    return read_words("tacitus.components", "data", "group_qualifiers.txt")


# Prepositions that put an act in a place ("in northern Iraq", "near Kirkuk"), not a party in it: the
# events' place phrases, and "around" ("clashes around Kirkuk").
_PLACE_PREPS = PLACE_PREPS | {"around"}

_BACKED = ("backed", "sponsored", "aligned", "allied")
_BACKED_SUFFIXES = tuple("-" + w for w in _BACKED)  # "Iran-backed" as one token


def _of_no_country(noun: Token) -> bool:
    """Whether a role noun is qualified as a people, faith or region rather than a country ("Kurdish
    forces", "Islamic militants", "Iran-backed militias": the backer is not the group), so that the
    sentence's place says its country better than the article's dominant one (:meth:`_place_country`)."""
    for child in noun.children:
        if child.dep_ not in ("amod", "compound", "npadvmod"):
            continue
        word = child.lower_.replace("’", "'")
        if word in group_qualifiers() or word.endswith(_BACKED_SUFFIXES):
            return True
        if word in _BACKED and child.i > 0 and noun.doc[child.i - 1].text == "-":
            return True  # "Iran - backed" as the tokenizer splits it
    return False


# Roles that say only that someone leads or belongs: qualified by a faith ("Roman Catholic leaders",
# "Muslim community", "Jewish groups") they are of that faith, not of the government the bare word means
_FAITH_LED = frozenset(
    {"leader", "leaders", "figure", "figures", "community", "communities", "group", "groups"}
)
# the faiths whose own word the knowledge base's roles lack, by CAMEO's religion codes
_FAITH_CODES = {
    "catholic": "CHRCTH",
    "roman": "CHRCTH",
    "evangelical": "CHR",
    "coptic": "CHR",
    "church": "CHR",
    "sikh": "REL",
}


_RELIGION_SECTORS = frozenset({"REL", "CHR", "CHRCTH", "MUS", "JEW", "HIN", "BUD"})


def _faith_sector(kb: KnowledgeBase, noun: Token) -> str | None:
    """The CAMEO religion code of a faith qualifying a leadership or membership role ("Roman Catholic
    leaders" CHRCTH, "Muslim leaders" MUS, "Jewish groups" JEW), None when none does."""
    if noun.lower_ not in _FAITH_LED:
        return None
    for child in noun.children:
        if child.dep_ not in ("amod", "compound", "npadvmod") or child.i > noun.i:
            continue
        for word in (t.lower_ for t in child.subtree):
            if word in _FAITH_CODES:
                return _FAITH_CODES[word]
            found = kb.role(word)
            if found is not None and found[0] in _RELIGION_SECTORS:
                return found[0]
    return None


class _RoleLinker(_MentionReader):
    """Role descriptions as actors, and their joins to the people named around them."""

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
                elif child.dep_ == "compound" and (
                    child.ent_type_ == "PERSON" or (org and org.kind == "person")
                ):
                    # "the Bush administration": the person's country (NER may call "Trump" an ORG there)
                    person = self._actor_at(child.i)
                    if person is not None and person.country and self.kb.is_country(person.country):
                        country = country or person.country
                elif child.dep_ == "poss" and child.lower_ in _POSSESSIVE_PRONOUNS:
                    # "Syria ... its troops", "Israel has strengthened its forces": the owner's country
                    country = country or self._possessor_country(child)
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "in", "at", "with"):
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    if child.lower_ in ("of", "from") and self._country_word(pobj):
                        country = country or self._country_word(pobj)
                        continue
                    # "a senior commander in Iran's Revolutionary Guards", "an analyst at the Kremlin":
                    # the body the person serves in says the country
                    body = self._actor_at(pobj.i)
                    if (
                        body is not None
                        and body.kind == "organization"
                        and body.country
                        and self.kb.is_country(body.country)
                    ):
                        country = country or body.country
        return country, org_code

    def _possessor_country(self, pronoun: Token) -> str | None:
        """The country of the actor a possessive pronoun stands for: the latest fitting actor with a country
        earlier in its sentence, a subject first ("Syria says it is willing to withdraw its troops")."""
        kinds = _POSSESSIVE_PRONOUNS[pronoun.lower_]
        sent = pronoun.sent
        best = None
        for actor in self.actors.values():
            if actor.kind not in kinds or not actor.country or not self.kb.is_country(actor.country):
                continue
            for s, e in actor.mentions:
                if sent.start <= s and e <= pronoun.i:
                    subject = self.doc[e - 1].dep_ in ("nsubj", "nsubjpass")
                    rank = (subject, s)
                    if best is None or rank > best[0]:
                        best = (rank, actor.country)
        return best[1] if best else None

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
            if tok.dep_ == "pobj" and tok.head.lower_ not in PARTICIPANT_PREPS | {"by", "from"}:
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
            sector = _faith_sector(self.kb, tok) or sector
            country, org_code = self._role_country(tok)
            if country is None and org_code is None and sector in _RESIDENT_SECTORS:
                country = self._residence_country(tok)
            if tok.tag_ == "NNS" and self._plural_of_countries(tok):
                continue  # "the presidents of the US and Russia": resolved per country at use time
            if (
                org_code
                and not self.kb.is_country(org_code)
                and sector not in _blocks(org_code)
                and sector != "MED"
            ):
                # "UN peacekeepers", "a UN official": the organisation's own code with the role's sector
                code = org_code + sector
            elif org_code:
                # "a National Security Council spokesperson" speaks for the Council
                code = org_code
                country = country or org_code[:3]
            elif country:
                code = country + sector
            elif _of_no_country(tok) and (country := self._place_country(tok)):
                # "Kurdish forces ... in northern Iraq" in a US report are IRQMIL, not the story's USAMIL
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

    def _place_country(self, noun: Token) -> str | None:
        """The one country of the places a sentence puts its act in ("in northern Iraq", "near Kirkuk"),
        outside the noun's own words; None when it names none or places of several countries. For a group
        of a people or faith (:func:`_of_no_country`), which lives where the act is, as CAMEO codes
        "Islamic fundamentalists" in Algeria DZA: the article's dominant country is often the reporter's."""
        found = set()
        for tok in noun.sent:
            if (
                tok.dep_ == "pobj"
                and tok.head.lower_ in _PLACE_PREPS
                and tok.ent_type_ in ("GPE", "LOC")
                and not noun.left_edge.i <= tok.i <= noun.i
            ):
                country = self._country_of_token(tok)
                if country and self.kb.is_country(country):
                    found.add(country)
        return found.pop() if len(found) == 1 else None

    def _residence_country(self, noun: Token) -> str | None:
        """ "Demonstrators in Baghdad", "refugees in Liberia": people are of the place they are in. Only for
        the sectors of residents (see _RESIDENT_SECTORS): "troops in Iraq" are seldom Iraq's."""
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "in":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and pobj.ent_type_ in ("GPE", "LOC"):
                        return self._country_of_token(pobj)
        return None

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
            if head.dep_ not in ("nsubj", "nsubjpass") or head.head.dep_ != "ROOT":
                continue  # the subject of the sentence, not of a clause in it ("said that the leader is")
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

    def _bare_definite_roles(self) -> list[tuple[_Actor, int, int, Token]]:
        """Uncoded roles (no country, no organisation) mentioned once, after "the" ("the president", "the
        troops"): ``(role, start, end, head)``, what a definite description may point back from."""
        found = []
        for role in [
            a for a in self.actors.values() if a.kind == "role" and a.code is None and a.country is None
        ]:
            if len(role.mentions) != 1:
                continue
            start, end = role.mentions[0]
            if start > 0 and self.doc[start - 1].lower_ == "the":
                found.append((role, start, end, self.doc[end - 1]))
        return found

    def _roles_to_named_people(self) -> None:
        """Join "the president" to the president the story named before ("President Trump ... the president
        said"), and "the minister" to the last minister named.

        Only a bare definite singular title (no country, no organisation: those are coded roles in their
        own right, "the Russian president" may be another man) joins, and only a person the text gave that
        title to ("President Trump", "Foreign Minister Sergei Lavrov"). Of several, the one the story has
        named most often so far, then the last named: a story about Trump's trip that mentions "Russian
        President Vladimir Putin" in passing means Trump by "the president". A title no named person holds
        stays a role.
        """
        doc = self.doc
        for role, start, end, head in self._bare_definite_roles():
            if head.tag_ not in ("NN", "NNP") or end - start > 2:
                continue
            title = doc[start:end].text.lower()
            best: tuple[tuple[int, int], _Actor] | None = None
            for person in self._persons():
                if not person.role:
                    continue
                held = person.role.lower()
                if held != title and held.split()[-1] != head.lower_:
                    continue
                before = [s for s, _ in person.mentions if s < start]
                rank = (len(before), max(before, default=-1))
                if before and (best is None or rank > best[0]):
                    best = (rank, person)
            if best is not None:
                best[1].add(start, end)
                del self.actors[role.key]

    def _definite_roles_to_groups(self) -> None:
        """Join "the troops" to the group the story named before with that noun and a country ("Russian
        troops crossed into Ukraine ... Kyiv said the troops attacked a village"): a definite description
        points back to what the text introduced, as "the president" does to a named president.

        Only a bare definite role (no country, no organisation: "the Ukrainian troops" is coded in its own
        right) joins, and only when exactly one coded role with that head noun was mentioned before it: with
        "Russian troops" and "Ukrainian troops" both in the story, "the troops" stays a role and is left to
        the article's context as before. Without this the bare role took the article's dominant country,
        which in a story of two sides is either one or none (``---MIL``).
        """
        for role, start, end, head in self._bare_definite_roles():
            if end - start != 1 or head.tag_ != "NNS" or role.sector not in _GROUP_SECTORS:
                continue  # "the troops", not "the terrorist army", "the high court", "the official"
            groups = {
                a.code: a
                for a in self.actors.values()
                if a.kind == "role"
                and a.code
                and a is not role
                and a.role
                and a.role.split()[-1].lower() == (role.role or head.text).split()[-1].lower()
                and any(s < start for s, _ in a.mentions)
            }
            if len(groups) == 1:
                (group,) = groups.values()
                group.add(start, end)
                del self.actors[role.key]
