"""Linking named mentions into actors: people, organisations, countries.

Surnames after full names (:mod:`.names` says which short names a full name has), titles to names, names
from the user's file. Role descriptions are linked in :mod:`.roles`; resolving an argument to actors at use
time (pronouns, coordinations, partitives) is in :mod:`.resolution`.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Span

from tacitus.components import doc_text, is_locative
from tacitus.components.actors.mentions import (
    _PARTICLES,
    _Actor,
    _clean_name,
    _is_modifier,
    _is_people,
    _MentionReader,
    _strip_possessive_tokens,
    _without_suffix,
)
from tacitus.components.actors.names import short_names, surname_first_names
from tacitus.components.country_or_division import divisions_meant
from tacitus.kb import normalize

_LEADER_TITLES = frozenset(
    ["president", "prime minister", "premier", "chancellor", "king", "queen", "emperor", "supreme leader"]
)
"""Titles of a head of state or government: with one such title a surname names the one bearer in that
office on the article's day, wherever the article is set ("President Trump" in a story naming only China).
Lesser titles ("Governor", "Senator", "Minister") are held by too many people of too many countries."""


class _Linker(_MentionReader):
    """Gather mentions into actors and give each the code the text or the knowledge base supports."""

    def _find_person(self, name: str) -> _Actor | None:
        parts = _without_suffix(name.split())
        if len(parts) > 1 and all(p.lower() in _PARTICLES for p in parts[:-1]):
            parts = parts[-1:]  # "De Klerk" after "F.W. de Klerk"
        for actor in self._persons():
            known = _without_suffix(actor.name.split())
            if actor.name == name:
                return actor
            if len(parts) == 1 and parts[0] in short_names(actor.name):
                return actor  # "Morgulov" after "Igor Morgulov"; "Mr Xi" after "Xi Jinping"
            if len(known) == 1 and parts and parts[-1] == known[0]:
                actor.name = name  # the headline said "Putin", the body says "Vladimir Putin"
                return actor
        return None

    def _person(self, ent: Span) -> None:
        if _is_people(ent.root) and self.kb.country_of(ent[0].text):
            self._non_person(ent, label="NORP")  # NER calls "Bosnian Serbs" a person
            return
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
            and known.kind in ("country", "place", "igo", "organization", "group")
            and self._find_person(name) is None
        ):
            # the small English model tags some countries, cities and bodies as people ("Togo", "Lomé",
            # "the Duma")
            self._non_person(ent, label="GPE" if known.kind in ("country", "place") else "ORG")
            return
        actor = self._find_person(name)
        if actor is None:
            actor = _Actor(key=f"person:{name}", name=name, kind="person")
            self.actors[actor.key] = actor
        country, sector, role, desc_start = self._descriptor(self.doc[ent.start].sent.start, name_span.start)
        # "Kremlin spokesman Dmitry Peskov", "White House spokeswoman Sarah Sanders": a spokesperson speaks for
        # the body named before the title (RUSGOV, USAGOV), not as media (the roles dictionary's MED)
        speaks_for = self._body_before(desc_start, name_span.start) if sector == "MED" else None
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
            if speaks_for is not None:
                actor.code, actor.country = speaks_for, actor.country or speaks_for[:3]
            actor.from_text = actor.country is not None
        elif country and actor.country is None and not actor.from_text:
            actor.country = country
        if not actor.from_text and actor.code is None:
            # initials, middle names and suffixes written differently ("F.W. de Klerk") still find them
            entry = self.kb.lookup_person(name, on=self.on)
            if entry is not None and entry.kind == "person":
                # the text named the office but not the country ("Presidents Trump and Putin"): the
                # knowledge base knows whose president, and its dated code says so
                if (
                    actor.sector
                    and entry.country
                    and self.on is None
                    and actor.country in (None, entry.country)
                ):
                    # no publication date: the knowledge base can only give the latest code (ELI for
                    # every past leader), while the article's own title says the office it reports
                    actor.country = entry.country
                    actor.code = entry.country + actor.sector
                elif (
                    actor.sector
                    and entry.sector is None
                    and entry.country
                    and self.kb.is_country(entry.country)
                ):
                    # before any post the knowledge base dates, the text's title says what he is
                    # ("Republican presidential candidate Marco Rubio" in 2016: USA + PTY)
                    actor.country = actor.country or entry.country
                    actor.code, actor.kb_id = actor.country + actor.sector, entry.id
                elif actor.country is None or actor.country == entry.country:
                    # before the first post the knowledge base dates (a candidate in the year before
                    # taking office), the person's country is still known: a country-only code
                    actor.code, actor.kb_id = entry.code, entry.id
                    actor.country = entry.country or actor.country
                    actor.sector = entry.sector or actor.sector
                if len(entry.name.split()) > len(actor.name.split()):
                    actor.name = entry.name
        self._claim(actor, name_span.start, name_span.end)

    def _body_before(self, start: int, stop: int) -> str | None:
        """The code of a government body, armed group or the like that the tokens [start, stop) of a title
        name ("Kremlin", "State Department", "Hamas"), when the knowledge base gives it a code of more than a
        bare sector (CNN's "MED" says nothing of whom a reporter speaks for)."""
        seen = set()
        for i in range(start, stop):
            ent = self.ent_of.get(i)
            if ent is None or ent.start in seen:
                continue
            seen.add(ent.start)
            found = self._entity_entry(ent)
            if (
                found is not None
                and found.code
                and found.kind in ("organization", "group")
                and len(found.code) > 3
            ):
                return found.code
        return None

    def _non_person(self, ent: Span, label: str | None = None) -> None:
        label = label or ent.label_
        longer = self._known_name_around(ent)
        if longer is not None:
            ent, label = longer, "ORG"
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
        as_country = self.kb.lookup(_clean_name(ent.text), on=self.on) if _is_modifier(ent) else None
        if (
            as_country is not None
            and as_country.kind == "country"
            and self.kb.role(ent.root.head.text) is not None
        ):
            return  # "an Arnor cleric" (NER: ORG): the country is read with the role noun it qualifies
        span = _strip_possessive_tokens(ent)
        if len(span) == 0:
            return
        name = _clean_name(span.text)
        if not name:  # an entity of punctuation alone ("...", "the ,"): nothing to name an actor by
            return
        if label in ("NORP", "PERSON") and _is_people(span.root):
            # a people as participants is its civilians ("Palestinians living in the West Bank": PSECVL)
            country, start = self._people_country(span)
            if country:
                whole = self.doc[start : span.end]
                self._keep(
                    f"people:{country}:{name}",
                    whole,
                    name=_clean_name(whole.text),
                    kind="group",
                    code=country + "CVL",
                    country=country,
                    sector="CVL",
                    from_text=True,
                )
                return
        person = self._find_person(name) if len(name.split()) == 1 else None
        if person is not None:  # "Morgulov" tagged ORG after "Igor Morgulov" tagged PERSON
            self._claim(person, span.start, span.end)
            return
        entry = self.kb.lookup(name, on=self.on)
        if entry is not None and entry.kind == "person":
            actor = self._keep(f"person:{entry.name}", span, name=entry.name, kind="person")
            actor.code, actor.country, actor.sector = (
                entry.code,
                entry.country,
                entry.sector,
            )
            actor.kb_id = entry.id
            return
        role = self.kb.role(name) if label == "ORG" else None
        if entry is None and label == "ORG" and role is None:
            # "the House Judiciary Committee", "Senate Foreign Relations Committee": a body of the
            # chamber its first word names, coded as that chamber
            chamber = name.split()[0]
            if self.kb.role(chamber) is not None or chamber.lower() == "house":
                entry = self.kb.lookup("House of Representatives" if chamber.lower() == "house" else chamber)
                role = self.kb.role("house of representatives" if chamber.lower() == "house" else chamber)
                entry = entry if entry is not None and entry.kind == "organization" else None
                if entry is None and role is not None:
                    country = self._org_country(ent)
                    self._keep(
                        f"org:{country}:{name}", span, name=name, kind="organization", country=country,
                        sector=role[0], code=country + role[0] if country else None, from_text=country is not None,
                    )  # fmt: skip
                    return
        if entry is not None and role is not None and entry.kind == "organization":
            # "Senate", "Parliament", "Supreme Court": the knowledge base knows one country's; another
            # country's own words ("Brazil's Senate") or the article's country come first
            country = self._org_country(ent)
            if country is None or country != entry.country:
                self._keep(
                    f"org:{country}:{name}",
                    span,
                    name=name,
                    kind="organization",
                    country=country,
                    sector=role[0],
                    code=country + role[0] if country else None,
                    from_text=country is not None,
                    fallback=None if country else entry.code,
                )
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
            self._keep(
                key, span, name=display, kind=kind, code=code, country=entry.country, sector=entry.sector
            )
            return
        if label in ("GPE", "NORP"):
            country = self.kb.country_of(name)
            if country is None:
                return
            self._keep(f"code:{country}", span, name=name, kind="country", code=country, country=country)
            return
        if label == "ORG":
            country = self._org_country(ent)
            sector = role[0] if role else None
            code = (country + sector) if (country and sector) else country
            self._keep(
                f"org:{name}", span, name=name, kind="organization", country=country, sector=sector, code=code
            )

    def _known_name_around(self, ent: Span) -> Span | None:
        """The organisation a partial entity belongs to: NER tags only "Islamic" in "the Islamic State" and
        only "Arab" in "Arab League"; the name running on to the proper noun it modifies is tried in the
        knowledge base, and taken when it names an organisation, group or IGO."""
        doc = self.doc
        end = ent.end
        while end < len(doc) and end < ent.sent.end and doc[end].pos_ == "PROPN" and end - ent.start < 6:
            end += 1
            if doc[end - 1].i in self.claimed:
                return None
            entry = self.kb.lookup(_clean_name(doc[ent.start : end].text), on=self.on)
            if entry is not None and entry.kind in ("organization", "group", "igo"):
                return doc[ent.start : end]
        return None

    def _keep(self, key: str, span: Span, **fields: Any) -> _Actor:
        """The actor under ``key`` (made from ``fields`` the first time), now claiming ``span``."""
        actor = self.actors.get(key)
        if actor is None:
            actor = self.actors[key] = _Actor(key=key, **fields)
        self._claim(actor, span.start, span.end)
        return actor

    def _org_country(self, ent: Span) -> str | None:
        """The country an organisation's own words name: inside the name ("Philippine Senate"), or as an
        owner or adjective in front of it ("Brazil's Senate"), or after it ("the Senate of Nigeria")."""
        for tok in ent:
            country = self._country_word(tok) if tok.i != ent.root.i else None
            if country:
                return country
        for child in ent.root.children:
            if child.dep_ in ("poss", "amod", "compound") and child.ent_type_ in ("GPE", "NORP"):
                return self._country_of_token(child)
        return self._of_country(ent.root)

    def _surnames(self) -> None:
        """Claim bare surnames of known people that NER missed or mislabelled."""
        surnames: dict[str, _Actor] = {}
        for actor in self._persons():
            for short in short_names(actor.name):
                surnames.setdefault(short, actor)
        if not surnames:
            return
        # the tokenizer splits hyphenated names ("Holtz-Eakin" is three tokens): match by characters,
        # on token boundaries
        by_first: dict[str, list[str]] = {}
        for short in surnames:
            by_first.setdefault(short.split("-")[0], []).append(short)
        text = doc_text(self.doc)
        for tok in self.doc:
            if tok.i in self.claimed or tok.text not in by_first or not tok.text[:1].isupper():
                continue
            for short in sorted(by_first[tok.text], key=len, reverse=True):
                if not text.startswith(short, tok.idx):
                    continue
                span = self.doc.char_span(tok.idx, tok.idx + len(short))
                if span is not None and not any(t.i in self.claimed for t in span):
                    self._claim(surnames[short], span.start, span.end)
                break

    def _user_names(self) -> None:
        """Names from the user's actor file (``--actors``) found in the text itself, up to five words, where
        NER did not tag them (invented names, new groups): the user said they are actors."""
        forms = self.kb.added_forms
        if not forms:
            return
        doc = self.doc
        longest = self.kb.added_max_words
        for sent in doc.sents:
            i = sent.start
            while i < sent.end:
                found = None
                for n in range(min(longest + 1, sent.end - i), 0, -1):
                    span = doc[i : i + n]
                    if (
                        any(t.i in self.claimed for t in span)
                        or not span[0].text[:1].isalnum()
                        or span[0].dep_ == "det"  # "the Arnorian": the name alone is tried next
                    ):
                        continue
                    entry_id = forms.get(normalize(span.text))
                    if entry_id is not None:
                        found = (span, self.kb.entry(entry_id, on=self.on))
                        break
                if found is None:
                    i += 1
                    continue
                span, entry = found
                if entry.kind == "country" and _is_modifier(span) and not self._takes_part_as_modifier(span):
                    # "an Arnor cleric": the country belongs to the role noun, read with it
                    i = span.end
                    continue
                kind = {"country": "country", "person": "person"}.get(entry.kind, "organization")
                key = f"code:{entry.code}" if kind == "country" else f"entry:{entry.id}"
                actor = self._keep(key, span, name=entry.name, kind=kind, code=entry.code, country=entry.country,
                                   sector=entry.sector)  # fmt: skip
                actor.kb_id = entry.id
                i = span.end

    def _all_caps_names(self) -> None:
        """Known names in a line written in capitals ("RUSSIA WARNS US OVER NORTH KOREA"), where the
        statistical NER finds almost nothing: the longest knowledge-base name at each unclaimed token, up
        to four words, if it is a country, an international organisation or a person."""
        doc = self.doc
        for sent in doc.sents:
            letters = [t.text for t in sent if t.is_alpha]
            if len(letters) < 3 or not all(w.isupper() for w in letters):
                continue
            i = sent.start
            while i < sent.end:
                found = None
                for n in range(min(4, sent.end - i), 0, -1):
                    span = doc[i : i + n]
                    if any(t.i in self.claimed or not t.is_alpha for t in span):
                        continue
                    entry = self.kb.lookup(span.text.title(), on=self.on)
                    if (
                        entry is not None
                        and entry.kind in ("country", "igo", "person")
                        and len(span.text) > 2
                    ):
                        found = (span, entry)
                        break
                if found is None:
                    i += 1
                    continue
                span, entry = found
                key = f"code:{entry.code}" if entry.kind == "country" else f"entry:{entry.id}"
                kind = (
                    "country"
                    if entry.kind == "country"
                    else ("person" if entry.kind == "person" else "organization")
                )
                self._keep(key, span, name=entry.name, kind=kind, code=entry.code, country=entry.country,
                           sector=entry.sector)  # fmt: skip
                i = span.end

    def _divisions_named_as_countries(self) -> None:
        """A country actor whose name the article means as another country's division ("Georgia counted
        its ballots" beside Atlanta and a senator: the US state, :mod:`..country_or_division`) is coded
        as that country, as "Florida" is."""
        meant = divisions_meant(self.doc)
        if not meant:
            return
        for actor in self.actors.values():
            division_country = meant.get(actor.name.lower())
            if actor.kind == "country" and division_country and actor.country != division_country:
                actor.code = actor.country = division_country
                actor.kb_id = None

    def _leader_title(self, actor: _Actor) -> bool:
        """Whether the actor's role is a head of state's or government's (:data:`_LEADER_TITLES`) written
        in front of one of its mentions ("President Trump"): an apposition ("Robert Brown, president of
        the university") names the president of something else."""
        role = (actor.role or "").lower()
        if role not in _LEADER_TITLES:
            return False
        words = len(role.split())  # mentions are token spans
        return any(self.doc[max(0, s - words) : s].text.lower() == role for s, _ in actor.mentions)

    def _surnames_by_office(self) -> None:
        """A surname alone ("Clinton said") is the one person of that name in office on the article's day,
        from a country the article names (see :meth:`KnowledgeBase.lookup_surname`)."""
        alone = [
            a
            for a in self._persons()
            if a.code is None and not a.from_text and len(_without_suffix(a.name.split())) == 1
        ]
        # the small model often tags a surname alone as an organisation ("Trump said the White House ..."):
        # an uncoded one-word organisation that is a surname of the knowledge base's people is tried as one
        surnames = [
            a
            for a in self.actors.values()
            if a.kind == "organization"
            and a.code is None
            and not a.from_text
            and len(a.name.split()) == 1
            and a.name[:1].isupper()
            and not a.name.isupper()
            and self.kb.is_surname(a.name)
        ]
        alone += surnames
        if not alone:
            return
        countries = {a.country for a in self.actors.values() if a.country}
        for ent in self.doc.ents:
            if ent.label_ in ("GPE", "NORP", "LOC", "ORG", "FAC"):  # "the White House" says USA too
                country = self.kb.country_of(_clean_name(ent.text))
                if country:
                    countries.add(country)
        if self.dateline_country:
            countries.add(self.dateline_country)
        for actor in alone:
            # "Kim", "Xi": the family name of a Korean or Chinese name, written first
            family_first = actor.name in surname_first_names()
            if self.on is None:
                # undated: "President Mugabe" is the only Mugabe we know, "Bush" is American whichever
                # Bush; the title says the office. The actor keeps its own name: it may be another
                # bearer of the name (and an organisation stays one: without the day's office-holder a
                # surname is no evidence that NER was wrong)
                if actor.kind == "organization":
                    continue
                entry = self.kb.lookup_surname(actor.name, None, family_first=family_first)
                if (
                    entry is not None
                    and entry.country
                    and self.kb.is_country(entry.country)
                    and not actor.country
                ):
                    actor.country, actor.kb_id = entry.country, entry.id
                    actor.code = entry.country + (actor.sector or "")
                continue
            if actor.kind == "organization":
                # NER's word against the knowledge base's: only the office-holder of the article's own
                # country ("Trump" in an American story; not Ken Clarke for Richard Clarke in one that
                # mentions Britain)
                own = self._context_country()  # type: ignore[attr-defined]
                entry = self.kb.lookup_surname(
                    actor.name, self.on, countries={own} if own else set(), family_first=family_first
                )
            else:
                entry = self.kb.lookup_surname(
                    actor.name, self.on, countries=countries, sector=actor.sector, family_first=family_first
                )
            if entry is None and actor.sector and self._leader_title(actor):
                # "President Trump criticized China": a head of state or government's title with his
                # surname is the one bearer of the surname in a national office of that sector that day,
                # though the article names no place of his (else the context rule made him Chinese)
                entry = self.kb.lookup_surname(
                    actor.name, self.on, sector=actor.sector, family_first=family_first
                )
                if entry is not None and not (entry.sector or "").startswith(actor.sector):
                    entry = None
            if entry is None or (actor.country and actor.country != entry.country):
                continue
            if actor.kind == "organization":  # a surname NER took for an organisation is the person
                same = next((p for p in self._persons() if p.kb_id == entry.id), None)
                del self.actors[actor.key]
                if same is not None:
                    for m in actor.mentions:
                        same.add(*m)
                    continue
                actor.kind, actor.key = "person", f"person:{entry.name}"
                self.actors[actor.key] = actor
            actor.code, actor.country, actor.kb_id = entry.code, entry.country, entry.id
            actor.sector = actor.sector or entry.sector
            actor.name = entry.name
