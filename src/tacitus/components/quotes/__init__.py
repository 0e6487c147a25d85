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

from spacy.language import Language
from spacy.tokens import Doc

from tacitus.components import doc_text, guarded, register_extensions
from tacitus.components.quotemarks import find_quotations, open_paragraph_quotations
from tacitus.components.quotes.cues import CUE_KINDS, FINDING_SOURCES, load_cues
from tacitus.components.quotes.shapes import Shapes
from tacitus.components.quotes.spans import (
    _bare_paragraph_quotation,
    _drop_nested_without_speaker,
    _next_paragraph_quotation,
    _raw,
    _trim,
)
from tacitus.components.quotes.speakers import Speakers
from tacitus.components.whenwhere import clause_date, clause_place

__all__ = ["CUE_KINDS", "FINDING_SOURCES", "QuoteTagger", "find_quotations", "load_cues", "make_quotes"]


class QuoteTagger(Speakers, Shapes):
    """Find attributions and store them in ``Doc._.quotes`` as dicts with character spans."""

    def __init__(self) -> None:
        self.cues = load_cues()

    @guarded("quotes")
    def __call__(self, doc: Doc) -> Doc:
        # Doc.text is rebuilt from the tokens on every access: read it once per doc
        text = doc_text(doc)
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
        doc._.tacitus_warnings = [
            *(doc._.tacitus_warnings or []),
            *(
                f"a quotation mark at character {opening} is never closed in its paragraph; its words are "
                "not read as a quotation"
                for opening in unclosed
            ),
        ]
        for tok in cues:
            quotation = self._adjacent_quotation(doc, text, sent_starts, tok, quotations, used_quotations)
            if quotation is not None:
                used_quotations.add(quotation)
                direct_cues[tok.i] = quotation
                rest = self._continuation(doc, text, tok, quotation, quotations, used_quotations)
                parts = [rest] if rest is not None else []
                parts += _following_parts(text, rest or quotation, quotations, used_quotations, open_set)
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
        countries = {a["id"]: a["country"] for a in doc._.actors or []}
        for q in found:
            q["date"], q["date_span"], q["place"] = _when_where(doc, q, countries.get(q["speaker"]))
        found.sort(key=lambda q: (q["content_span"][0], q["cue_span"][0] if q["cue_span"] else 0))
        for n, q in enumerate(found, start=1):
            q["id"] = f"q{n}"
        doc._.quotes = found
        return doc


def _when_where(
    doc: Doc, quote: dict, country: str | None
) -> tuple[str | None, tuple[int, int] | None, dict | None]:
    """The day and place of a quote's cue clause ("told reporters in Bangkok on Friday"), else of the
    clause its content sits in when it has no cue (a line of quoted words going on with a speaker);
    ``country`` is the speaker's, for the dateline and the lead's places."""
    start, end = quote["cue_span"] or quote["content_span"]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None, None, None
    date, date_span = clause_date(doc, span.root)
    return date, date_span, clause_place(doc, span.root, country=country)


def _following_parts(
    text: str, last: tuple[int, int], quotations: list[tuple[int, int]], used: set, open_set: set
) -> list[tuple[int, int]]:
    """The quotations in the next paragraphs that go on with ``last``: the next paragraph's quotation
    while ``last`` is left open at its paragraph's end (“... / “... ...”), then paragraphs that are a
    quotation and nothing else (they continue the last speaker)."""
    parts: list[tuple[int, int]] = []
    while True:
        raw = _raw(last, quotations)
        if raw in open_set:
            nxt = _next_paragraph_quotation(text, raw, quotations, used)
        else:
            nxt = _bare_paragraph_quotation(text, raw, quotations, used)
        if nxt is None or nxt in parts:
            return parts
        parts.append(nxt)
        last = nxt


@Language.factory("tacitus_quotes_v1", assigns=["doc._.quotes"], requires=["doc._.actors"])
def make_quotes(nlp: Language, name: str) -> QuoteTagger:
    """Build the quote tagger (cue verbs from the packaged table)."""
    register_extensions()
    return QuoteTagger()
