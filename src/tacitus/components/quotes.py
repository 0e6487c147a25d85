"""``tacitus_quotes_v1``: who said what, as attributions (source, cue, content) over the article text.

Three shapes cover most of news prose, in the vocabulary of PolNeAR and Pareti's attribution relations:

* direct: a quotation in quotation marks with a cue beside it: ``“...,” he said`` / ``He said: “...”`` /
  ``..., saying, “...”`` (speaker of the governing verb);
* indirect: a cue verb with a clause: ``Morgulov said Russia had many other channels``;
  ``according to X, ...`` is indirect with cue "according to";
* mixed: an indirect clause that carries quoted words (``said pressure was approaching “a red line”``).

The cue verbs are data (``components/data/cue_verbs.tsv``). When an attribution is itself reported by
someone else (``X said ..., Interfax reported``) the inner quote keeps its speaker and names the reporter
in ``via``. Pronoun speakers are resolved by :func:`tacitus.components.actors.actors_for_token`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tacitus.components import guarded, register_extensions
from tacitus.components.actors import actors_for_token
from tacitus.components.quotemarks import find_quotations, open_paragraph_quotations, quoted_tokens
from tacitus.errors import InvalidRuleFile
from tacitus.kb import load_kb

CUE_KINDS = {"speech", "writing", "belief", "intention"}
# Sources whose attributions are findings, not speech: "a new poll shows", "the report says", "according to
# data from the Census Bureau" (lemmas of the source's head noun).
_FINDING_WORDS = (
    "poll polling survey report study research data document documents memo analysis figure figures "
    "statistic statistics census audit review investigation inquiry probe record filing estimate "
    "projection model forecast index tally count results result finding findings assessment"
)
FINDING_SOURCES = frozenset(_FINDING_WORDS.split())
# Verbs by which a finding states what it found, and documents that state findings as written records.
_SHOWING = frozenset({"show", "find", "suggest", "indicate", "reveal", "confirm"})
_DOCUMENT_WORDS = "email emails file files letter letters paper papers transcript transcripts photo video"
_DOCUMENTS = frozenset(_DOCUMENT_WORDS.split())
# Speech verbs that direct someone to act ("told X not to worry", "asked X to stop"): the act is the content.
_DIRECTIVES = frozenset({"tell", "ask", "urge", "warn", "advise", "order", "instruct", "encourage", "remind"})
# A paragraph that opens with a short name and a colon: "PENCE: Well, look, ..." / "Pat Caddell: Voters ..."
_SPEAKER_COLON = re.compile(
    r"(?:^|\n)(?P<name>[A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*){0,3})(?P<colon>:)[ \t]+(?P<content>[^\n]+)"
)
# A quotation signed after a dash, ending its paragraph: “...” — Sonya Herridge, 54, of Ohio
_DASH_SIGNATURE = re.compile(
    r"[ \t]*(?P<dash>[—―–]|--)[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*){0,3})"
)


@lru_cache(maxsize=1)
def load_cues() -> dict[str, str]:
    """Load the cue-verb table (lemma -> kind), rejecting unknown kinds with file and line."""
    name = "cue_verbs.tsv"
    text = resources.files("tacitus.components").joinpath("data", name).read_text(encoding="utf-8")
    cues: dict[str, str] = {}
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if cols != ["lemma", "kind"]:
                raise InvalidRuleFile(f"{name}:{lineno}: expected header 'lemma<TAB>kind', got {line!r}")
            header_seen = True
            continue
        if len(cols) != 2 or cols[1] not in CUE_KINDS:
            raise InvalidRuleFile(
                f"{name}:{lineno}: expected 'lemma<TAB>kind' with kind in {sorted(CUE_KINDS)}, got {line!r}"
            )
        cues[cols[0].strip().lower()] = cols[1]
    return cues


def _opens_clause(text: str, sent_starts: list[int], opening: int) -> bool:
    """A quotation before its cue must open its sentence: “a red line,” mid-clause belongs to the clause
    around it, not to a reporting verb after it."""
    start = sent_starts[max(0, bisect_right(sent_starts, opening) - 1)] if sent_starts else 0
    return re.fullmatch(r"[\W_]*", text[start:opening]) is not None


def _quote(
    speaker: str | None,
    speaker_span: tuple[int, int] | None,
    cue_span: tuple[int, int] | None,
    content_span: tuple[int, int],
    kind: str,
    via: str | None = None,
    cue_token: int | None = None,
) -> dict:
    """One attribution as the dict ``Doc._.quotes`` holds (``cue_token`` is working state, dropped later)."""
    item = {
        "id": None,
        "speaker": speaker,
        "speaker_span": speaker_span,
        "cue_span": cue_span,
        "content_span": content_span,
        "kind": kind,
        "via": via,
        "type": "speech",
        "content_parts": [content_span],
    }
    if cue_token is not None:
        item["cue_token"] = cue_token
    return item


def _opening_start(text: str, qs: int) -> int:
    """Index of the opening quotation mark of content starting at ``qs`` (marks are 1 or 2 characters)."""
    return qs - 2 if qs >= 2 and text[qs - 2 : qs] in ("''", "``") else qs - 1


def _closing_end(text: str, qe: int) -> int:
    """Index just after the closing quotation mark of content ending at ``qe``."""
    return qe + 2 if text[qe : qe + 2] == "''" else qe + 1


def _drop_nested_without_speaker(found: list[dict]) -> list[dict]:
    """Drop an attribution inside another's content whose speaker is no actor.

    In "Holm said that the advertisement suggests Phoenix ...", "suggests" is part of what Holm said, not a
    second statement by "the advertisement". A nested attribution to a real actor ("the Kremlin said Putin
    told Trump that ...") is kept.
    """
    kept = []
    for q in found:
        cue = q["cue_span"]
        nested = cue is not None and any(
            other is not q and other["content_span"][0] <= cue[0] and cue[1] <= other["content_span"][1]
            for other in found
        )
        if nested and q["speaker"] is None:
            continue
        kept.append(q)
    return kept


def _raw(span: tuple[int, int], quotations: list[tuple[int, int]]) -> tuple[int, int]:
    """The quotation (as :func:`find_quotations` gives it) a trimmed span came from."""
    return next((q for q in quotations if q[0] <= span[0] and span[1] <= q[1]), span)


def _next_paragraph_quotation(
    text: str, part: tuple[int, int], quotations: list[tuple[int, int]], used: set
) -> tuple[int, int] | None:
    """The quotation that opens the paragraph after ``part`` (a quotation left open at its paragraph's
    end), unless another cue claimed it."""
    for qs, qe in quotations:
        if qs <= part[1]:
            continue
        if (qs, qe) in used or text[part[1] : _opening_start(text, qs)].strip():
            return None
        return (qs, qe)
    return None


def _cue_span(cue: Token) -> tuple[int, int]:
    """The cue as PolNeAR marks it: the verb with its auxiliaries, negation and adverbs right before it
    ("has also said", "did not suggest", "is telling"), and its particle or a date right after it
    ("pointed out", "said Tuesday")."""
    doc = cue.doc
    lo = hi = cue.i
    before = {c.i for c in cue.children if c.dep_ in ("aux", "auxpass", "neg", "advmod") and c.i < cue.i}
    while lo - 1 in before:
        lo -= 1
    after = {
        c.i
        for c in cue.children
        if c.i > cue.i and (c.dep_ == "prt" or (c.dep_ == "npadvmod" and c.ent_type_ in ("DATE", "TIME")))
    }
    while hi + 1 in after:
        hi += 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _np_span(head: Token, exclude: Token | None = None) -> tuple[int, int]:
    """The characters of a noun phrase: the head's subtree without its conjuncts (each is a source of its
    own), without ``exclude``'s subtree (a relative clause), and without punctuation at either end."""
    skip: set[int] = set()
    for child in head.children:
        if child.dep_ in ("conj", "cc") or (exclude is not None and child.i == exclude.i):
            skip.update(t.i for t in child.subtree)
    tokens = [t for t in head.subtree if t.i not in skip]
    # keep the run of tokens around the head that is contiguous
    lo = hi = head.i
    kept = {t.i for t in tokens}
    while lo - 1 in kept:
        lo -= 1
    while hi + 1 in kept:
        hi += 1
    doc = head.doc
    while lo < head.i and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > head.i and (doc[hi].is_punct or doc[hi].is_space) and doc[hi].text not in (")", "]"):
        hi -= 1
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _words_after(doc: Doc, close: int) -> bool:
    """Whether the sentence that holds the character before ``close`` goes on with words after it."""
    span = doc.char_span(close - 1, close, alignment_mode="expand")
    if span is None:
        return False
    sent = span[0].sent
    return any(t.idx >= close and not t.is_punct and not t.is_space for t in sent)


def _skip_leading_date(doc: Doc, start_tok: Token, clause_head: Token) -> Token:
    """The first token of a clause after a leading date or time ("Tuesday", "on Friday") that the parser
    put inside the reported clause."""
    i = start_tok.i
    while i < clause_head.i and (
        doc[i].ent_type_ in ("DATE", "TIME")
        or (doc[i].lower_ == "on" and doc[i + 1].ent_type_ in ("DATE", "TIME"))
    ):
        i += 1
    while i < clause_head.i and doc[i].is_punct:
        i += 1
    return doc[i]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and trailing commas a quotation keeps before its closing mark (“...,” he said)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end


class QuoteTagger:
    """Find attributions and store them in ``Doc._.quotes`` as dicts with character spans."""

    def __init__(self) -> None:
        self.cues = load_cues()

    @guarded("quotes")
    def __call__(self, doc: Doc) -> Doc:
        # Doc.text is rebuilt from the tokens on every access: read it once per doc
        text = doc.text
        sent_starts = [sent.start_char for sent in doc.sents]
        quotations = find_quotations(text)
        inside = set()
        for s, e in quotations:
            inside.update(range(s, e))
        found: list[dict] = []
        used_quotations: set[tuple[int, int]] = set()
        by_cue: dict[int, list[dict]] = {}
        cues = [
            t
            for t in doc
            if t.idx not in inside and t.lemma_.lower() in self.cues and t.pos_ in ("VERB", "AUX")
        ]
        # Pass 1: quotations beside their cue (“...,” he said). They are claimed first so that a clause
        # of an earlier verb cannot swallow them as "mixed" content.
        direct_cues: dict[int, tuple[int, int]] = {}
        # a quotation interrupted by its cue goes on after it: “A,” he said. “B.” is one quote in two parts;
        # one left open at a paragraph's end goes on in the next paragraph, which reopens it
        continued: dict[int, list[tuple[int, int]]] = {}
        open_parts, unclosed = open_paragraph_quotations(text)
        open_set = set(open_parts)
        for opening in unclosed:
            doc._.tacitus_warnings = [
                *(doc._.tacitus_warnings or []),
                f"a quotation mark at character {opening} is never closed in its paragraph; its words are "
                "not read as a quotation",
            ]
        for tok in cues:
            quotation = self._adjacent_quotation(doc, text, sent_starts, tok, quotations, used_quotations)
            if quotation is not None:
                used_quotations.add(quotation)
                direct_cues[tok.i] = quotation
                rest = self._continuation(doc, text, tok, quotation, quotations, used_quotations)
                parts = [rest] if rest is not None else []
                last = rest or quotation
                # “... (paragraph end, no closing mark) / “... (next paragraph) ...”
                while _raw(last, quotations) in open_set:
                    nxt = _next_paragraph_quotation(text, _raw(last, quotations), quotations, used_quotations)
                    if nxt is None:
                        break
                    parts.append(nxt)
                    last = nxt
                used_quotations.update(parts)
                if parts:
                    continued[tok.i] = parts
        # Pass 2: every cue, in text order; clauses stop where a cue of pass 1 begins.
        for tok in doc:
            if tok.idx in inside:
                continue
            if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
                items = self._according(doc, text, tok, quotations)
            elif tok.i in direct_cues:
                items = self._items(doc, tok, direct_cues[tok.i], "direct")
                if tok.i in continued:
                    rest = [_trim(text, *part) for part in continued[tok.i]]
                    for item in items:
                        item["content_parts"] = [item["content_span"], *rest]
                        item["content_span"] = (item["content_span"][0], rest[-1][1])
            elif tok.lemma_.lower() in self.cues and tok.pos_ in ("VERB", "AUX"):
                items = self._cue(doc, text, tok, quotations, used_quotations, direct_cues)
            else:
                continue
            if items:
                by_cue[tok.i] = items
                found.extend(items)
        self._relays(doc, by_cue, found)
        # Pass 3: attributions by punctuation alone. A line "NAME: ..." (a transcript, a headline) is all
        # NAME's, so verb cues inside it ("I think ...") are nested in it and give way (PolNeAR does not
        # nest attributions); a dash signature only takes words no verb cue claimed.
        taken = [q["content_span"] for q in found]
        for item in self._punctuation_attributions(doc, text, quotations, used_quotations):
            s0, e0 = item["content_span"]
            if text[item["cue_span"][0]] == ":":
                found = [q for q in found if not (q["cue_span"] and s0 <= q["cue_span"][0] < e0)]
                found.append(item)
            elif not any(s0 < e and s < e0 for s, e in taken):
                found.append(item)
        found = _drop_nested_without_speaker(found)
        for q in found:
            q["type"] = self._type(doc, q)
        # a belief with nobody holding it ("Believing that ...", "knowing who ...") is narration
        found = [q for q in found if q["type"] != "belief" or q["speaker_span"] is not None]
        found.sort(key=lambda q: (q["content_span"][0], q["cue_span"][0] if q["cue_span"] else 0))
        for n, q in enumerate(found, start=1):
            q["id"] = f"q{n}"
        doc._.quotes = found
        return doc

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

    # -- speakers ------------------------------------------------------------------------------------
    def _subject(self, cue: Token) -> Token | None:
        quoted = quoted_tokens(cue.doc)
        subjects = [c for c in cue.children if c.dep_ in ("nsubj", "nsubjpass")]
        # a word of the quotation the parser took for the subject (“Very good reporter,” Trump said)
        for child in [c for c in subjects if c.i not in quoted] or subjects:
            return child
        if cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp", "conj", "acl", "npadvmod"):
            # "X acknowledged it was unclear whether Y would talk, saying, “...”": the participle's
            # speaker is the subject of the main clause, however deep the parser hung the participle
            root = cue.sent.root
            for child in root.children:
                if child.dep_ in ("nsubj", "nsubjpass"):
                    return child
        if cue.dep_ in ("advcl", "xcomp", "conj", "acl") and cue.head.i != cue.i:
            return self._subject(cue.head)
        if cue.dep_ == "pcomp" and cue.head.dep_ == "prep" and cue.head.head.i != cue.head.i:
            return self._subject(cue.head.head)  # "Obama ended his list by saying ...": Obama says
        return None

    def _speaker_items(
        self, doc: Doc, subject: Token | None
    ) -> list[tuple[str | None, tuple[int, int] | None]]:
        if subject is None:
            return [(None, None)]
        if (
            subject.tag_ in ("WDT", "WP")
            and subject.head.dep_ == "relcl"
            and subject.head.head.i != subject.i
        ):
            # "officials who said ...": the span is the pronoun as written, the speaker its antecedent
            # (PolNeAR's source is the antecedent's phrase: "some far-right commentators who have said")
            antecedent = subject.head.head
            ids = actors_for_token(doc, antecedent)
            return [(ids[0] if ids else None, _np_span(antecedent, exclude=subject.head))]
        ids = actors_for_token(doc, subject)
        index = doc._.mention_index or {}
        # "Trump and Putin said": two speakers; "Trump, the front-runner and current poll leader, said": one
        heads = [subject] + [
            c for c in subject.conjuncts if c.i > subject.i and (c.i in index or c.pos_ in ("PROPN", "PRON"))
        ]
        out: list[tuple[str | None, tuple[int, int] | None]] = []
        for head in heads:
            actor_id = None
            if head.i in index:
                actor_id = index[head.i]
            elif len(heads) == 1 and ids:
                actor_id = ids[0]
            # the source as written is the whole noun phrase, titles, appositions and clauses included
            # ("Texas Sen. Ted Cruz", "the man who built his career on ..."), as PolNeAR marks it
            out.append((actor_id, _np_span(head)))
        # "the presidents of the US and Russia said": one written mention, several speakers
        if len(heads) == 1 and len(ids) > 1:
            span = out[0][1]
            out = [(actor_id, span) for actor_id in ids]
        return out

    def _mention_span(self, doc: Doc, head: Token, actor_id: str | None) -> tuple[int, int]:
        if actor_id is not None:
            for actor in doc._.actors or []:
                if actor["id"] == actor_id:
                    for (ts, te), (cs, ce) in zip(actor["tokens"], actor["mentions"], strict=True):
                        if ts <= head.i < te:
                            return (cs, ce)
        # as written: the noun phrase without relative clauses or appositions after the head
        left = head.left_edge
        start = left.idx
        end = head.idx + len(head.text)
        return (start, end)

    # -- shapes --------------------------------------------------------------------------------------
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
            start_tok.is_punct or (start_tok.dep_ == "mark" and start_tok.lower_ != "that")
        ):
            start_tok = doc[start_tok.i + 1]
        start_tok = _skip_leading_date(doc, start_tok, ccomp)
        end_tok = ccomp.right_edge
        # "Yun acknowledged it was unclear ..., saying, “...”": the clause ends before the nested cue
        for other in sorted(direct_cues):
            if start_tok.i < other <= end_tok.i and other != cue.i:
                end_tok = doc[max(start_tok.i, other - 1)]
                break
        start, end = start_tok.idx, end_tok.idx + len(end_tok.text)
        # a quotation opened inside the clause ends where its marks end
        for qs, qe in quotations:
            if start <= qs < end <= _closing_end(text, qe):
                end = max(end, _closing_end(text, qe))  # keep the closing mark
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
        start, end = _trim(text, comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text))
        if end <= start:
            return []
        overlapping = [(qs, qe) for qs, qe in quotations if qs < end and start < qe]
        used.update(overlapping)
        return self._items(doc, cue, (start, end), "mixed" if overlapping else "indirect")

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
        start, end = _trim(text, obj.left_edge.idx, last.idx + len(last.text))
        if end <= start:
            return []
        overlapping = [(qs, qe) for qs, qe in quotations if qs < end and start < qe]
        used.update(overlapping)
        return self._items(doc, cue, (start, end), "mixed" if overlapping else "indirect")

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
        start, end = _trim(text, comp.left_edge.idx, comp.right_edge.idx + len(comp.right_edge.text))
        if end <= start:
            return []
        overlapping = [(qs, qe) for qs, qe in quotations if qs < end and start < qe]
        used.update(overlapping)
        return self._items(doc, cue, (start, end), "mixed" if overlapping else "indirect")

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
        subject = self._subject(cue)
        cue_span = _cue_span(cue)
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

    def _reporter(self, doc: Doc, cue: Token) -> str | None:
        """The actor relaying this attribution: "X said ..., Interfax reported" -> Interfax."""
        relay = None
        head = cue.head
        if cue.dep_ == "ccomp" and head.i != cue.i and head.lemma_.lower() in self.cues and head.i < cue.i:
            relay = head
        for child in cue.children:
            # the parser often hangs a closing ", Interfax reported." under the verb it reports
            if child.dep_ in ("ccomp", "parataxis") and child.i > cue.i and child.lemma_.lower() in self.cues:
                left = child.left_edge
                if left.is_punct or (left.i > 0 and doc[left.i - 1].is_punct):
                    relay = child
        if relay is None:
            return None
        subject = self._subject(relay)
        if subject is None:
            return None
        ids = actors_for_token(doc, subject)
        return ids[0] if ids else None

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

    def _relays(self, doc: Doc, by_cue: dict[int, list[dict]], found: list[dict]) -> None:
        """``X said ..., Interfax reported``: keep X's quote, name the reporter in ``via``."""
        for cue_i, items in list(by_cue.items()):
            cue = doc[cue_i]
            for child in cue.children:
                if child.dep_ != "ccomp" or child.i not in by_cue:
                    continue
                left = child.left_edge
                if child.i > cue.i and (left.is_punct or (left.i > 0 and doc[left.i - 1].is_punct)):
                    continue  # "X said ..., Y reported": Y relays X (see _reporter), not the reverse
                reporter = items[0]["speaker"]
                inner_items = by_cue[child.i]
                if self.cues.get(child.lemma_.lower()) == "belief" or any(
                    i["speaker"] is not None and i["speaker"] == reporter for i in inner_items
                ):
                    # "Rubio says he feels he did great": what one says of one's own view or belief is
                    # one attribution, the outer one, as PolNeAR marks it (attributions do not nest)
                    for inner in inner_items:
                        if inner in found:
                            found.remove(inner)
                    continue
                for inner in inner_items:
                    inner["via"] = reporter
                for outer in items:
                    if outer in found:
                        found.remove(outer)
        for q in found:
            q.pop("cue_token", None)


@Language.factory("tacitus_quotes_v1", assigns=["doc._.quotes"], requires=["doc._.actors"])
def make_quotes(nlp: Language, name: str) -> QuoteTagger:
    """Build the quote tagger (cue verbs from the packaged table)."""
    register_extensions()
    return QuoteTagger()
