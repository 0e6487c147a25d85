"""``tacitus_paragraphs_v1``: a sentence never runs across a paragraph break.

Scraped pages have crossheads without final punctuation ("Trump, Putin discuss North Korea"); without
this the parser glues them to the next sentence and a headline becomes the subject of a quote. Runs
before the parser, which keeps boundaries that are already set.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class ParagraphBoundaries:
    """Mark the first token after a blank line (or any newline run) as a sentence start."""

    def __call__(self, doc: Doc) -> Doc:
        after_break = False
        for token in doc:
            if token.is_space and "\n" in token.text:
                after_break = True
                continue
            if "\n" in token.whitespace_:
                # "\n" right after a token is kept as its trailing whitespace, not as a space token.
                if token.i + 1 < len(doc):
                    doc[token.i + 1].is_sent_start = True
                continue
            if after_break:
                token.is_sent_start = True
                after_break = False
        return doc


@Language.factory("tacitus_paragraphs_v1", assigns=["token.is_sent_start"])
def make_paragraphs(nlp: Language, name: str) -> ParagraphBoundaries:
    """Build the paragraph-boundary component (no settings)."""
    return ParagraphBoundaries()
