"""``tacitus_paragraphs_v1``: a sentence never runs across a paragraph break.

Scraped pages have crossheads without final punctuation ("Trump, Putin discuss North Korea"); without
this the parser glues them to the next sentence and a headline becomes the subject of a quote. Runs
before the parser, which keeps boundaries that are already set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class ParagraphBoundaries:
    """Mark the first token after a blank line (or any newline run) as a sentence start, and the first
    token after a dateline ("TORONTO, Dec 5 (Reuters) - Canadian police arrested ...")."""

    def __call__(self, doc: Doc) -> Doc:
        after_break = False
        starts = [0] if len(doc) else []
        for token in doc:
            if token.is_space and "\n" in token.text:
                after_break = True
                continue
            if "\n" in token.whitespace_:
                # "\n" right after a token is kept as its trailing whitespace, not as a space token.
                if token.i + 1 < len(doc):
                    doc[token.i + 1].is_sent_start = True
                    starts.append(token.i + 1)
                continue
            if after_break:
                token.is_sent_start = True
                starts.append(token.i)
                after_break = False
        for start in starts[:_DATELINE_PARAGRAPHS]:
            _split_dateline(doc, start)
        return doc


# A dateline opens one of the first paragraphs (after a headline or a byline line) and is a few tokens.
_DATELINE_PARAGRAPHS = 4
_DATELINE_TOKENS = 14
_DASHES = frozenset(["—", "–", "-", "--"])


def _split_dateline(doc: Doc, start: int) -> None:
    """A dateline is no part of the lead's sentence: parsed with it, "TORONTO" becomes the subject of
    the lead's verb and the event is lost. A paragraph opening with a place in capitals and a dash within
    a few tokens ("BANGKOK, Dec 15 (Reuters) -", "WASHINGTON (CNN) --", "LONDON —") has its sentence start
    after the dash."""
    first = doc[start]
    if not (first.is_alpha and first.is_upper and len(first) >= 3):
        return
    for token in doc[start + 1 : min(start + _DATELINE_TOKENS, len(doc) - 1)]:
        if "\n" in token.text or "\n" in token.whitespace_:
            return
        if token.text in _DASHES:
            following = doc[token.i + 1]
            if (following.is_alpha and following.text[0].isupper()) or following.is_quote:
                following.is_sent_start = True
            return


@Language.factory("tacitus_paragraphs_v1", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> ParagraphBoundaries:
    """Build the paragraph-boundary component (no settings)."""
    return ParagraphBoundaries()
