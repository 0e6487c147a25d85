"""Coding: the article's own country for actors the text gives a sector but no country, how each code was
found (``code_source``), and the export to ``Doc._.actors``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from tacitus.components.actors.mentions import _Actor, _clean_name, _MentionReader
from tacitus.kb.learned import LEARNED_PREFIX


def _latin(name: str) -> bool:
    """A name written in Latin letters. "Владимир Путин" in an English story is a quotation of a foreign
    text, and nothing says it is of the story's country: it keeps no code rather than a guessed one."""
    return any("LATIN" in unicodedata.name(c, "") for c in name if c.isalpha())


# Titles that say a person's sex, written before the name ("Mr. Kim", "Mrs. May", "Queen Elizabeth").
_MALE_TITLES = frozenset(["mr", "sir", "lord", "king", "prince", "father", "brother"])
_FEMALE_TITLES = frozenset(["mrs", "ms", "miss", "lady", "dame", "queen", "princess", "sister", "madam"])


class _Coder(_MentionReader):
    """Context countries, code sources and the exported actor dicts."""

    def _context_country(self, *, named: bool = False) -> str | None:
        """The article's own country: its dateline's, else the country most of its mentions belong to
        (actors of that country, and places in it that are not already actors).

        Only a clear majority counts: twice the runner-up's mentions, and at least two unless no other
        country is named at all ("Defence Minister Pierre Joxe said France is ready": the only country in
        the story is his). With two countries mentioned equally often (a bilateral meeting) an unnamed
        "official" could belong to either, and a guess would be dressed as a fact. For ``named`` actors (a
        person or organisation the knowledge base does not know) two mentions are needed even then.
        """
        if self.dateline_country:
            return self.dateline_country
        weight: Counter[str] = Counter()
        for actor in self.actors.values():
            if actor.country and self.kb.is_country(actor.country) and not actor.from_context:
                weight[actor.country] += len(actor.mentions)
        # places count too, as places: "in Iowa", "a rally in Des Moines" say where the story is
        for ent in self.doc.ents:
            if ent.label_ == "GPE":
                country = self.kb.country_of(_clean_name(ent.text))
                if country and self.kb.is_country(country) and not self._actor_at(ent.start):
                    weight[country] += 1
        ranked = weight.most_common(2)
        if not ranked or (len(ranked) == 2 and (ranked[0][1] < 2 or ranked[1][1] * 2 > ranked[0][1])):
            return None
        if named and ranked[0][1] < 2:
            # a named stranger is not of the one country a story mentions once ("talks in Beijing")
            return None
        return ranked[0][0]

    def _country_from_context(self) -> None:
        """Code actors whose words give a sector but no country ("the judge", "rebels", "President X").

        The country comes from the article (see :meth:`_context_country`) and the actor says so
        (``code_source`` "context"); with no country in sight, CAMEO's no-country block: "---REB".
        """
        pending = [a for a in self.actors.values() if a.code is None and a.sector and a.country is None]
        # a named person or organisation the text and the knowledge base say nothing about ("Sheldon
        # Adelson", "the Daily News") is of the article's country too
        people = [
            a
            for a in self.actors.values()
            if a.kind in ("person", "organization") and a.code is None and a.country is None
        ]
        for actor in [a for a in people if not _latin(a.name)]:
            self.warnings.append(
                f"actor {actor.name!r} left without a code: names in other scripts are not looked up "
                "(the knowledge base is in Latin script); add it to an --actors file to code it"
            )
        people = [a for a in people if _latin(a.name)]
        if people:
            country = self._context_country(named=True)
            for actor in people if country else ():
                actor.country, actor.code, actor.from_context = country, country, True
        if not pending:
            return
        country = self._context_country()
        for actor in pending:
            if country:
                actor.country, actor.code, actor.from_context = country, country + actor.sector, True
            elif actor.fallback:
                # no country in sight: "the Senate" is the one the knowledge base knows
                actor.code, actor.country = actor.fallback, actor.fallback[:3]
            else:
                actor.code = "---" + actor.sector

    # -- output --------------------------------------------------------------------------------------
    def _code_source(self, actor: _Actor) -> str:
        if actor.code is None:
            return "unknown"
        if actor.from_context:
            return "context"
        if actor.kb_id and actor.kb_id.startswith(LEARNED_PREFIX) and not actor.from_text:
            return "learned"
        if actor.fallback and actor.code == actor.fallback:
            return "kb"
        if (
            not actor.from_text
            and not actor.code.startswith("---")
            and actor.key.startswith(("person:", "entry:"))
        ):
            return "kb"
        return "text"

    def _gender(self, actor: _Actor) -> str | None:
        """ "m" or "f" where the article's own words say so (a title in front of a mention: "Mr. Kim",
        "Mrs. May"; a gendered role: "spokeswoman"), else None. A working field for pronouns ("he" is not
        Mrs. May), not part of the record: a name alone says nothing the article did not."""
        if actor.kind not in ("person", "role"):
            return None
        said = set()
        for s, _ in actor.mentions:
            before = self.doc[s - 1].lower_.rstrip(".") if s > 0 else ""
            if before in _MALE_TITLES:
                said.add("m")
            elif before in _FEMALE_TITLES:
                said.add("f")
        role = (actor.role or "").lower()
        if role.endswith(("woman", "women")):
            said.add("f")
        elif role.endswith(("man", "men")):
            said.add("m")
        return said.pop() if len(said) == 1 else None

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
                    "country": actor.country if actor.country and self.kb.is_country(actor.country) else None,
                    "sector": actor.sector,
                    "kind": actor.kind,
                    "role": actor.role,
                    "tokens": mentions,
                    "mentions": [(doc[s].idx, doc[e - 1].idx + len(doc[e - 1].text)) for s, e in mentions],
                    "code_source": self._code_source(actor),
                    "gender": self._gender(actor),
                }
            )
        return out, index
