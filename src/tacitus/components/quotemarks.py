"""Quotation marks: where quoted material is in a text. Shared by the actor and quote components.

Actors need it too: a name quoted inside someone's speech is no antecedent for the reporter's "he said"
after it, so pronoun resolution skips mentions that stand inside quotation marks.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

# A quotation never crosses a paragraph break: an unmatched mark would otherwise swallow the article.
_QUOTE_PATTERNS = [
    re.compile(r"“([^”\n]*(?:\n(?!\n)[^”\n]*)*)”"),
    re.compile(r"\"([^\"\n]*(?:\n(?!\n)[^\"\n]*)*)\""),
    # two apostrophes (as some wire and NYT archives print quotation marks) and TeX/PTB ``...''
    re.compile(r"(?:''|``)((?:(?!'')[^\n])+)''"),
    # single marks are also apostrophes and scare quotes; only multi-word runs count as quotations
    re.compile(r"(?<![\w])‘([^’\n]+(?:’\w[^’\n]*)*)’(?![\w])"),
]


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted material (inside the marks), in text order, without overlaps."""
    spans: list[tuple[int, int]] = []
    for pattern in _QUOTE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span(1)
            if pattern.pattern.startswith("(?<![\\w])‘") and len(m.group(1).split()) < 3:
                continue
            if any(s < oe and os < e for os, oe in spans):
                continue
            spans.append((s, e))
    return sorted(spans)


def quoted_tokens(doc: Doc) -> frozenset[int]:
    """Indices of the tokens inside quotation marks, computed once per doc (kept in ``doc.user_data``)."""
    cached = doc.user_data.get("tacitus_quoted_tokens")
    if cached is None:
        spans = find_quotations(doc.text)
        cached = frozenset(
            t.i for s, e in spans for t in (doc.char_span(s, e, alignment_mode="expand") or ())
        )
        doc.user_data["tacitus_quoted_tokens"] = cached
    return cached
