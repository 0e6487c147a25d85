"""The shapes of attributions: a cue verb with its clause, a quotation beside its cue, a quotation
interrupted by its cue or running over paragraphs, parenthetical cues, findings, directives, intentions,
speech acts with an object for content ("criticized the plan", "asked about the loan"), "according to", and
speech marked by punctuation alone (transcripts, headlines, dash signatures)."""

from __future__ import annotations

import re

from spacy.tokens import Doc, Span, Token

from tacitus.components.actors import actors_for_token
from tacitus.components.quotemarks import quoted_tokens
from tacitus.components.quotes.cues import (
    _DASH_SIGNATURE,
    _DIRECTIVES,
    _DOCUMENTS,
    _SHOWING,
    _SPEAKER_COLON,
    FINDING_SOURCES,
)
from tacitus.components.quotes.spans import (
    _closing_end,
    _cue_span,
    _opening_start,
    _opens_clause,
    _quote,
    _skip_dateline,
    _skip_leading_date,
    _through_closing_mark,
    _trim,
    _words_after,
)
from tacitus.kb import load_kb

# What a speech act's object may run on into: "accused X of Y", "praised X for Y", "described X as Y".
_ACT_PREPS = frozenset(["of", "for", "on", "about", "over", "to", "with", "against"])
# Speech acts whose grounds are the content, not the person they are about: "accused X [of lying]".
_ACT_GROUNDS = {"accuse": "of", "praise": "for", "thank": "for", "blame": "for", "criticize": "for",
                "criticise": "for", "commend": "for", "congratulate": "on", "applaud": "for", "rebuke": "for"}  # fmt: skip
# Objects that are no content: "thanked them", "called it quits" are not what was said.
_NO_CONTENT = frozenset(["it", "them", "him", "her", "me", "us", "you", "this", "that"])


# The preposition that joins a speech act to its topic ("talked about", "referred to", "called on").
_TOPIC_PREPS = {"about", "to", "on"}


def _first_prep(cue: Token, children: list[Token]) -> Token | None:
    """The topic preposition right after the cue (after its particle, if any), else None."""
    nxt = cue.i + 1
    while nxt < len(cue.doc) and cue.doc[nxt].dep_ == "prt" and cue.doc[nxt].head.i == cue.i:
        nxt += 1
    for child in children:
        if child.i == nxt and child.dep_ == "prep" and child.lower_ in _TOPIC_PREPS:
            lemma = cue.lemma_.lower()
            if lemma in ("speak", "talk") and child.lower_ != "about":
                return None  # "speaking to the coalition", "speaking on radio": the audience or the venue
            if child.lower_ == "on" and lemma not in ("call", "comment"):
                return None  # "criticized on Tuesday": "on" is a date, not a topic
            return child
    return None


class Shapes:
    """The shape half of :class:`tacitus.components.quotes.QuoteTagger` (it needs ``self.cues`` and the
    speaker methods)."""

    cues: dict[str, str]

    def _continuation(
        self,
        doc: Doc,
        text: str,
        cue: Token,
        first: tuple[int, int],
        quotations: list[tuple[int, int]],
        used: set,
    ) -> tuple[int, int] | None:
        """The quotation that resumes a quotation cut by its cue: in “A,” he said. “B.”, B, when the cue
        phrase follows A and B opens right after the cue phrase in the same paragraph, claimed by no
        other cue."""
        if first[0] > cue.idx:
            return None  # he said: “A.” has nothing after the cue to resume
        _, phrase_end = self._phrase_chars(doc, cue, quotations)
        for qs, qe in quotations:
            if (qs, qe) in used or qs <= phrase_end:
                continue
            gap = text[phrase_end : _opening_start(text, qs)]
            if "\n" in gap or not re.fullmatch(r"[\s.,;:—–-]*", gap):
                return None
            return (qs, qe)
        return None

    def _phrase_chars(
        self, doc: Doc, cue: Token, quotations: list[tuple[int, int]] | None = None
    ) -> tuple[int, int]:
        """Where the cue phrase (the cue, its subject and its modifiers) starts and ends, in characters.
        Words inside a quotation are never part of it, however the parser attached them ("saying “Too
        many.”", “With an eye to ...,” he said: the quoted words hang from the verb)."""
        quoted = quoted_tokens(doc) if quotations else frozenset()

        def outside(t: Token) -> bool:  # (quotation marks the parser hung from a word are no part of it)
            return not t.is_quote and t.i not in quoted

        subject = self._subject(cue)
        phrase_tokens = {cue.i}
        if subject is not None:
            phrase_tokens.update(t.i for t in subject.subtree if outside(t))
        for child in cue.children:
            if (
                child.dep_ in ("dobj", "dative", "prep", "advmod", "npadvmod", "aux", "neg")
                and child.i != cue.i
            ):
                phrase_tokens.update(t.i for t in child.subtree if outside(t))
        lo, hi = min(phrase_tokens), max(phrase_tokens)
        return doc[lo].idx, doc[hi].idx + len(doc[hi].text)

    def _type(self, doc: Doc, q: dict) -> str:
        """What a quote attributes (see :data:`tacitus.model.QUOTE_TYPES`): a finding when its source is a
        poll, report, study, document or data; else by its cue (belief and intention verbs)."""
        span = q["speaker_span"]
        if span is not None:
            words = doc.char_span(*span, alignment_mode="expand")
            if words is not None and words.root.lemma_.lower() in FINDING_SOURCES | _DOCUMENTS:
                return "finding"
        cue = q["cue_span"]
        if cue is not None:
            words = doc.char_span(*cue, alignment_mode="expand")
            kind = self.cues.get(words[0].lemma_.lower()) if words is not None and len(words) else None
            if kind in ("belief", "intention"):
                return kind
        return "speech"

    def _cue(
        self,
        doc: Doc,
        text: str,
        cue: Token,
        quotations: list[tuple[int, int]],
        used: set,
        direct_cues: dict[int, tuple],
    ) -> list[dict]:
        if self.cues.get(cue.lemma_.lower()) == "intention":
            return self._intention(doc, text, cue, quotations, used)
        ccomp = next((c for c in cue.children if c.dep_ in ("ccomp",)), None)
        if ccomp is None:
            return (
                self._finding(doc, text, cue, quotations, used)
                or self._directive(doc, text, cue, quotations, used)
                or self._parenthetical(doc, text, cue, quotations, used)
                or self._speech_act(doc, text, cue, quotations, used)
            )
        if self.cues.get(cue.lemma_.lower()) == "belief" and ccomp.pos_ not in ("VERB", "AUX"):
            return []  # "considers Kaine her mentor": a verbless small clause is a judgement, no attribution
        if ccomp.i < cue.i and ccomp.right_edge.i >= cue.i:
            return []
        # "X said (that) ..." or, with the reporting clause last, "..., police said." The content keeps
        # its complementiser ("that ..."), as PolNeAR marks it, but not a date the parser hung inside the
        # clause ("said Tuesday his actions are ...": the date is when it was said)
        start_tok = ccomp.left_edge
        while start_tok.i < ccomp.i and (
            start_tok.is_punct
            or (start_tok.dep_ == "mark" and start_tok.lower_ not in ("that", "if", "whether"))
        ):
            start_tok = doc[start_tok.i + 1]
        start_tok = _skip_dateline(doc, _skip_leading_date(doc, start_tok, ccomp), ccomp)
        end_tok = ccomp.right_edge
        # "Yun acknowledged it was unclear ..., saying, “...”": the clause ends before the nested cue
        for other in sorted(direct_cues):
            if start_tok.i < other <= end_tok.i and other != cue.i:
                end_tok = doc[max(start_tok.i, other - 1)]
                break
        start, end = start_tok.idx, end_tok.idx + len(end_tok.text)
        # a quotation opened inside the clause ends where its marks end (the closing mark kept)
        end = _through_closing_mark(text, start, end, quotations)
        start, end = _trim(text, start, end)
        if end <= start:
            return []
        overlapping = [(qs, qe) for qs, qe in quotations if qs < end and start < qe]
        inner_start, inner_end = start, end
        while inner_start < inner_end and text[inner_start] in "“\"‘'`":
            inner_start += 1
        while inner_end > inner_start and text[inner_end - 1] in "”\"’'":
            inner_end -= 1
        if any(qs <= inner_start and inner_end <= qe for qs, qe in overlapping):
            kind = "direct"
        elif overlapping:
            kind = "mixed"
        else:
            kind = "indirect"
        used.update(overlapping)
        return self._items(doc, cue, (start, end), kind)

    def _intention(
        self, doc: Doc, text: str, cue: Token, quotations: list[tuple[int, int]], used: set
    ) -> list[dict]:
        """What someone wants, plans or intends: "Rubio wants to emerge as ...", "Palestinians want East
        Jerusalem": the infinitive clause ("to" included) or the object, as PolNeAR marks them."""
        if cue.dep_ == "relcl":
            return []  # "the refugees Democrats want to bring": the wanted thing is the noun outside
        comp = next((c for c in cue.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if comp is None:
            comp = next((c for c in cue.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
        if comp is None or comp.i < cue.i:
            return []  # "the refugees Democrats want to bring": the wanted thing is no clause of the verb
        return self._clause_items(doc, text, cue, (comp.left_edge, comp.right_edge), quotations, used)

    def _clause_items(
        self,
        doc: Doc,
        text: str,
        cue: Token,
        edges: tuple[Token, Token],
        quotations: list[tuple[int, int]],
        used: set,
    ) -> list[dict]:
        """The attributions of a cue whose content runs from the first to the last of ``edges``: indirect,
        or mixed when a quotation falls inside it (the quotation is then taken)."""
        first, last = edges
        start, end = _trim(text, first.idx, last.idx + len(last.text))
        if end <= start:
            return []
        overlapping = [(qs, qe) for qs, qe in quotations if qs < end and start < qe]
        used.update(overlapping)
        return self._items(doc, cue, (start, end), "mixed" if overlapping else "indirect")

    def _speech_act(
        self, doc: Doc, text: str, cue: Token, quotations: list[tuple[int, int]], used: set
    ) -> list[dict]:
        """A speech act whose content is its object, as PolNeAR marks it: "Rubio criticized [the draft
        platform]", "called [the statement 'offensive']", "called for [a special prosecutor]", "pledged [to
        work together]", "accused [Clinton of lying]". Only for the verbs the table marks ``act``, only
        with a speaker, and "call" only as naming or demanding (a phone call says nothing)."""
        lemma = cue.lemma_.lower()
        if cue.dep_ in ("relcl", "amod", "acl") or not (
            self.cues.get(lemma) == "act" or lemma in ("say", "ask")
        ):
            return []
        if self._subject(cue) is None and lemma != "ask":
            return []  # (a question may be put by nobody named: "Asked if he was ever bullied, ...")
        children = [c for c in cue.children if c.i > cue.i]
        obj = next((c for c in children if c.dep_ == "dobj"), None)
        comp = next((c for c in children if c.dep_ in ("xcomp", "oprd", "ccomp")), None)
        first = last = None
        cue_end = None
        if lemma == "say":
            # "half said so", "75 percent said yes", "a third said the same of Cruz"
            said = next(
                (
                    c
                    for c in children
                    if c.dep_ in ("dobj", "intj") or (c.dep_ == "advmod" and c.lower_ == "so")
                ),
                None,
            )
            ends = said is not None and (
                said.right_edge.i + 1 >= cue.sent.end or doc[said.right_edge.i + 1].is_punct
            )  # (not a clause the parser broke: "by saying time was not right")
            if said is not None and ends and said.i == cue.i + 1 and said.lower_ not in ("it", "this"):
                first, last = said.left_edge, said.right_edge
        elif lemma == "ask":
            # "asked if he was ever bullied", "asked the contender whether ...", "asked about the loan"
            clause = next(
                (
                    c
                    for c in children
                    if c.dep_ in ("ccomp", "advcl")
                    and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)
                ),
                None,
            )
            about = next((c for c in children if c.dep_ == "prep" and c.lower_ == "about"), None)
            if clause is not None:
                first, last = clause.left_edge, clause.right_edge
            elif about is not None and about.i == cue.i + 1:
                pobj = next((c for c in about.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    first, last, cue_end = pobj.left_edge, pobj.right_edge, about
        elif obj is None and (about := _first_prep(cue, children)) is not None:
            # "talked about Clinton", "referred to the attack", "responded to the report", "called on
            # Snyder to resign": the object of the preposition, which joins the cue
            pobj = next((c for c in about.children if c.dep_ in ("pobj", "pcomp")), None)
            if pobj is not None:
                first, last, cue_end = pobj.left_edge, pobj.right_edge, about
                for child in children:  # "called on Snyder [to resign]"
                    if child.i > last.i and child.dep_ in ("xcomp", "advcl") and lemma == "call":
                        last = child.right_edge
        elif lemma == "call":
            prep = next((c for c in children if c.dep_ == "prep" and c.lower_ == "for"), None)
            if obj is not None and comp is not None and comp.i > obj.i:
                first, last = obj.left_edge, comp.right_edge  # "called the statement “offensive”"
            elif obj is None and comp is not None and comp.dep_ == "xcomp" and doc[cue.i + 1].lower_ == "to":
                first, last = comp.left_edge, comp.right_edge  # "called to ban ..."
            elif obj is None and prep is not None and prep.i == cue.i + 1:
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    first, last, cue_end = pobj.left_edge, pobj.right_edge, prep  # "called for an inquiry"
                    for child in children:  # "called for a prosecutor to oversee the inquiry"
                        if child.i > last.i and child.dep_ in ("xcomp", "advcl", "prep"):
                            last = child.right_edge
        elif comp is not None and comp.dep_ == "xcomp" and any(c.lower_ == "to" for c in comp.children):
            first, last = comp.left_edge, comp.right_edge  # "pledged to work together"
        elif obj is not None and obj.pos_ in ("NOUN", "PROPN", "PRON") and obj.lower_ not in _NO_CONTENT:
            first, last = obj.left_edge, obj.right_edge
            grounds = _ACT_GROUNDS.get(lemma)
            for child in children:
                if child.i <= obj.i:
                    continue
                if grounds and child.dep_ == "prep" and child.lower_ == grounds:
                    # "accused Clinton of lying", "praised Trump for speaking out": what is said is the
                    # charge or the merit, as PolNeAR marks it
                    pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
                    if pobj is not None:
                        first, last = pobj.left_edge, pobj.right_edge
                        break
            for child in obj.children if grounds else ():
                # (the parser may hang the charge from the object: "accused [the utility [of hiding]]")
                if child.dep_ == "prep" and child.lower_ == grounds and child.i > obj.i:
                    pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
                    if pobj is not None:
                        first, last = pobj.left_edge, pobj.right_edge
                if child.i > last.i and (
                    child.dep_ == "oprd"
                    or (
                        child.dep_ == "prep"
                        and (child.lower_ in _ACT_PREPS or (lemma == "describe" and child.lower_ == "as"))
                    )
                ):
                    last = child.right_edge  # "described the field as “all very good”"
        if first is None or last is None or first.i <= cue.i:
            return []
        items = self._clause_items(doc, text, cue, (first, last), quotations, used)
        for item in items:  # a quotation the content ends in keeps its closing mark
            item["object_content"] = True  # (working state for _relays, dropped there)
            start, end = item["content_span"]
            item["content_span"] = item["content_parts"][0] = (
                start,
                _through_closing_mark(text, start, end, quotations),
            )
        if cue_end is not None:
            for item in items:
                item["cue_span"] = (item["cue_span"][0], cue_end.idx + len(cue_end.text))
        return items

    def _finding(
        self, doc: Doc, text: str, cue: Token, quotations: list[tuple[int, int]], used: set
    ) -> list[dict]:
        """What a poll, record or study shows, written as an object: "a poll shows Sanders leading
        Clinton", "A Fox News poll shows Sanders with 47 percent", "leaked emails showed DNC staff
        favoring Clinton". Only for a source that is a finding's (poll, records, documents, emails ...)."""
        if cue.lemma_.lower() not in _SHOWING:
            return []
        subject = self._subject(cue)
        if subject is None or subject.lemma_.lower() not in FINDING_SOURCES | _DOCUMENTS:
            return []
        obj = next((c for c in cue.children if c.dep_ == "dobj"), None)
        if obj is None or obj.i < cue.i:
            return []
        last = obj.right_edge
        for child in cue.children:  # "shows Sanders with 47 percent": the object's phrase goes on
            if child.i > last.i and child.dep_ in ("prep", "advcl", "xcomp", "oprd"):
                last = child.right_edge
        return self._clause_items(doc, text, cue, (obj.left_edge, last), quotations, used)

    def _directive(
        self, doc: Doc, text: str, cue: Token, quotations: list[tuple[int, int]], used: set
    ) -> list[dict]:
        """What someone is told or asked to do: "I told Megyn not to worry", "The Legion has asked the
        campaign to cease using its emblem": the infinitive clause, as PolNeAR marks it."""
        if cue.lemma_.lower() not in _DIRECTIVES or cue.dep_ == "relcl":
            return []
        if not any(c.dep_ in ("dobj", "dative") for c in cue.children):
            return []
        comp = next((c for c in cue.children if c.dep_ == "xcomp" and c.i > cue.i), None)
        if comp is None or not any(c.lower_ == "to" for c in comp.children):
            return []
        return self._clause_items(doc, text, cue, (comp.left_edge, comp.right_edge), quotations, used)

    def _parenthetical(
        self, doc: Doc, text: str, cue: Token, quotations: list[tuple[int, int]], used: set
    ) -> list[dict]:
        """A cue set off by commas inside what it reports: "This campaign, he says, is different" is one
        attribution whose content is the sentence around the cue phrase, in two parts."""
        if cue.dep_ != "parataxis" or cue.head.i == cue.i:
            return []
        words = [t.i for t in cue.subtree if not t.is_punct]  # the commas hang from the cue too
        left, right = min(words) - 1, max(words) + 1
        sent = cue.sent
        if left <= sent.start or right >= sent.end - 1 or doc[left].text != "," or doc[right].text != ",":
            return []
        before = _trim(text, sent.start_char, doc[left].idx)
        last = sent.end - 1
        while last > right and doc[last].is_punct:
            last -= 1
        after = _trim(text, doc[right + 1].idx, doc[last].idx + len(doc[last].text))
        if before[1] <= before[0] or after[1] <= after[0]:
            return []
        overlapping = [(qs, qe) for qs, qe in quotations if qs < after[1] and before[0] < qe]
        used.update(overlapping)
        items = self._items(doc, cue, (before[0], after[1]), "mixed" if overlapping else "indirect")
        for item in items:
            item["content_parts"] = [before, after]
        return items

    def _items(self, doc: Doc, cue: Token, content: tuple[int, int], kind: str) -> list[dict]:
        cue_span = _cue_span(cue)
        if cue.lemma_.lower() == "ask" and (
            cue.tag_ == "VBN" or any(c.dep_ in ("nsubjpass", "auxpass") for c in cue.children)
        ):
            # "Asked if he was bullied, the candidate said no", "she was asked about her vote": the one
            # asked is no asker, and the asker is not named
            return [_quote(None, None, cue_span, content, kind, None, cue.i)]
        subject = self._subject(cue)
        via = self._reporter(doc, cue)
        return [
            _quote(speaker, speaker_span, cue_span, content, kind, via, cue.i)
            for speaker, speaker_span in self._speaker_items(doc, subject)
        ]

    def _adjacent_quotation(
        self,
        doc: Doc,
        text: str,
        sent_starts: list[int],
        cue: Token,
        quotations: list[tuple[int, int]],
        used: set,
    ) -> tuple[int, int] | None:
        """A quotation right before (“...,” he said) or right after (he said: “...”) the cue phrase."""
        sent = cue.sent
        phrase_start, phrase_end = self._phrase_chars(doc, cue, quotations)
        for qs, qe in quotations:
            if (qs, qe) in used:
                continue
            close = _closing_end(text, qe)
            # “...,” he said / “...,” said Yun: the quotation closes in the cue's sentence, only
            # punctuation stands between it and the cue phrase, and it opens its own sentence
            if (
                close <= phrase_start
                and close + 2 >= sent.start_char
                and re.fullmatch(r"[\s,;:—–-]*", text[close:phrase_start])
                and _opens_clause(text, sent_starts, _opening_start(text, qs))
            ):
                return _trim(text, qs, qe)
            opening = _opening_start(text, qs)
            if self.cues.get(cue.lemma_.lower()) == "act" and any(
                (c.dep_ == "dobj" or (c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS)) and c.idx < opening
                for c in cue.children
            ):
                # "called the statement “offensive”", "talked about “working together”": the object and its
                # quoted words (_speech_act)
                continue
            # he said: “...”, also when a colon puts the quotation in the next paragraph ("continued:")
            gap = text[phrase_end:opening] if opening >= phrase_end else ""
            # (with words after the closing mark, “it gets me mad” every time ..., the clause is the
            # content: the verb's clause reading makes it a mixed quote)
            if (
                opening >= phrase_end
                and (opening <= sent.end_char or ":" in gap[:2])
                and re.fullmatch(r"[\s,;:—–-]*", gap)
                and not _words_after(doc, close)
            ):
                return _trim(text, qs, qe)
        return None

    def _punctuation_attributions(
        self, doc: Doc, text: str, quotations: list[tuple[int, int]], used: set
    ) -> list[dict]:
        """Speech marked by punctuation, not by a verb: transcripts and headlines ("PENCE: Well, look ...",
        "Caddell: Voters worried") and a quotation signed with a dash (“...” — Sonya Herridge)."""
        items = []
        for m in _SPEAKER_COLON.finditer(text):
            name_start, name_end, colon = m.start("name"), m.end("name"), m.start("colon")
            span = doc.char_span(name_start, name_end, alignment_mode="contract")
            if span is None or any(t.ent_type_ in ("GPE", "LOC", "DATE", "TIME") for t in span):
                continue  # "WASHINGTON: ..." is a dateline, "Update: ..." no speaker
            place = load_kb().lookup(span.text)
            if place is not None and place.kind in ("place", "country"):
                continue  # a dateline the tagger did not see as a place ("NAIROBI:")
            if any(t.pos_ in ("VERB", "AUX", "ADV") for t in span):
                continue  # "JUST WATCHED U.N.:", "MUST WATCH:": web furniture, not a name
            if not (
                any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP") for t in span)
                or (span.text.isupper() and len(span.text) > 2)  # a transcript's "TAPPER:"
                or actors_for_token(doc, span.root)  # a name the article or the knowledge base knows
                or span.root.lemma_.lower() in FINDING_SOURCES  # "Poll: ..."
            ):
                continue
            content = _trim(text, m.start("content"), m.end("content"))
            if len(text[content[0] : content[1]].split()) < 3:
                continue
            items.append(self._punctuation_item(doc, span, (colon, colon + 1), content))
        for qs, qe in quotations:
            if (qs, qe) in used:
                continue
            m = _DASH_SIGNATURE.match(text, _closing_end(text, qe))
            if m is None:
                continue
            span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="contract")
            if span is None or not any(t.ent_type_ in ("PERSON", "ORG", "NORP") for t in span):
                continue
            items.append(
                self._punctuation_item(doc, span, (m.start("dash"), m.end("dash")), _trim(text, qs, qe))
            )
        return items

    @staticmethod
    def _punctuation_item(doc: Doc, name: Span, cue: tuple[int, int], content: tuple[int, int]) -> dict:
        ids = actors_for_token(doc, name.root)
        return _quote(ids[0] if ids else None, (name.start_char, name.end_char), cue, content, "direct")

    def _according(self, doc: Doc, text: str, tok: Token, quotations: list[tuple[int, int]]) -> list[dict]:
        to = next(c for c in tok.children if c.lower_ == "to")
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return []
        sent = tok.sent
        skip = {t.i for t in tok.subtree} | {t.i for t in to.subtree}
        content_tokens = [t for t in sent if t.i not in skip and not t.is_punct]
        if not content_tokens:
            return []
        start = content_tokens[0].idx
        end = content_tokens[-1].idx + len(content_tokens[-1].text)
        # the content is one side of the "according to" phrase: the longer side
        if tok.i > content_tokens[0].i and any(t.i > to.right_edge.i for t in content_tokens):
            before = [t for t in content_tokens if t.i < tok.i]
            after = [t for t in content_tokens if t.i > to.right_edge.i]
            side = before if len(before) >= len(after) else after
            start, end = side[0].idx, side[-1].idx + len(side[-1].text)
        start, end = _trim(text, start, end)
        overlapping = [(qs, qe) for qs, qe in quotations if qs < end and start < qe]
        kind = "mixed" if overlapping else "indirect"
        cue_span = (tok.idx, to.idx + len(to.text))
        return [
            _quote(speaker, span, cue_span, (start, end), kind, cue_token=tok.i)
            for speaker, span in self._speaker_items(doc, pobj)
        ]
