"""Quotation marks: where quoted material is in a text. Shared by the actor and quote components.

Actors need it too: a name quoted inside someone's speech is no antecedent for the reporter's "he said"
after it, so pronoun resolution skips mentions that stand inside quotation marks.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right, insort
from functools import lru_cache

from spacy.tokens import Doc

from tacitus.components import doc_text

# A quotation never crosses a paragraph break: an unmatched mark would otherwise swallow the article.
_QUOTE_PATTERNS = [
    re.compile(r"“([^”\n]*(?:\n(?!\n)[^”\n]*)*)”"),
    re.compile(r"\"([^\"\n]*(?:\n(?!\n)[^\"\n]*)*)\""),
    # two apostrophes (as some wire and NYT archives print quotation marks) and TeX/PTB ``...''
    re.compile(r"(?:''|``)((?:(?!'')[^\n])+)''"),
    # single marks are also apostrophes and scare quotes; only multi-word runs count as quotations
    re.compile(r"(?<![\w])‘([^’\n]+(?:’\w[^’\n]*)*)’(?![\w])"),
]


@lru_cache(maxsize=4)
def _find_cached(text: str) -> tuple:
    spans, continued, unclosed = _find(text)
    return tuple(spans), tuple(continued), tuple(unclosed)


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Character spans of quoted material (inside the marks), in text order, without overlaps.

    A quotation that runs over several paragraphs is written, by the news convention, with an opening
    mark at each paragraph and a closing mark only at its end: each paragraph's part is a span of its
    own, up to the paragraph's end (:func:`open_paragraph_quotations` says which ones are such parts).
    """
    return list(_find_cached(text)[0])


def open_paragraph_quotations(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """(spans of quotations left open at a paragraph end because the next paragraph reopens them, the
    offsets of opening marks that are never closed: a warning for the record)."""
    _, continued, unclosed = _find_cached(text)
    return list(continued), list(unclosed)


_OPENERS = '“"'


class _Spans:
    """Spans that never overlap, kept sorted, so that a text of 10,000 quotation marks costs n log n to
    check instead of n² (a scan of every span for every new one). Sorted by (start, end), their ends never
    decrease, so the last span starting before a point is the one that reaches furthest past it."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int]] = []

    def _reach(self, index: int) -> int:
        return self.items[index - 1][1] if index > 0 else -1

    def overlaps(self, s: int, e: int) -> bool:
        """True when some span (os, oe) has os < e and s < oe."""
        return self._reach(bisect_left(self.items, (e, -1))) > s

    def covers(self, at: int) -> bool:
        """True when some span (os, oe) has os <= at < oe."""
        return self._reach(bisect_right(self.items, (at, math.inf))) > at

    def add(self, span: tuple[int, int]) -> None:
        insort(self.items, span)


def _find(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]], list[int]]:
    spans: list[tuple[int, int]] = []
    placed = _Spans()
    for pattern in _QUOTE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span(1)
            if pattern.pattern.startswith("(?<![\\w])‘") and len(m.group(1).split()) < 3:
                continue
            if placed.overlaps(s, e):
                continue
            spans.append((s, e))
            placed.add((s, e))
    # an opening mark no span starts at: the start of a multi-paragraph quotation when the next
    # paragraph opens with a mark, else a mark that is never closed
    continued: list[tuple[int, int]] = []
    unclosed: list[int] = []
    starts = {s for s, _ in spans}
    straight = [i for i, ch in enumerate(text) if ch == '"']  # to count marks in a range by bisection
    for m in re.finditer(r"(?:^|(?<=\n)|(?<=\s))([“\"])(?=\S)", text):
        opening = m.start(1)
        if opening + 1 in starts or placed.covers(opening):
            continue
        end = text.find("\n\n", opening)
        end = len(text) if end < 0 else end
        if m.group(1) == '"' and (bisect_left(straight, end) - bisect_left(straight, opening + 1)) % 2 == 1:
            continue  # a straight mark closed later in the paragraph is another pairing's business
        nxt = end
        while nxt < len(text) and text[nxt] in "\n \t":
            nxt += 1
        part = (opening + 1, end)
        if placed.overlaps(*part):
            unclosed.append(opening)
        elif nxt < len(text) and text[nxt] in _OPENERS:
            continued.append(part)
            spans.append(part)
            placed.add(part)
        else:
            unclosed.append(opening)
    return sorted(spans), sorted(continued), unclosed


def quoted_tokens(doc: Doc) -> frozenset[int]:
    """Indices of the tokens inside quotation marks, computed once per doc (kept in ``doc.user_data``)."""
    cached = doc.user_data.get("tacitus_quoted_tokens")
    if cached is None:
        spans = find_quotations(doc_text(doc))
        cached = frozenset(
            t.i for s, e in spans for t in (doc.char_span(s, e, alignment_mode="expand") or ())
        )
        doc.user_data["tacitus_quoted_tokens"] = cached
    return cached
