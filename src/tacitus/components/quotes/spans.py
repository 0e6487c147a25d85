"""Character spans of attributions as PolNeAR marks them (docs/record.md, "Span conventions"): where a
content starts and ends, which words a cue and a source take, and the quotation helpers."""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc, Token


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


def _through_closing_mark(text: str, start: int, end: int, quotations: list[tuple[int, int]]) -> int:
    """The end of content ``[start, end)`` moved past the closing mark of a quotation opened inside it."""
    for qs, qe in quotations:
        if start <= qs < end <= _closing_end(text, qe):
            end = max(end, _closing_end(text, qe))
    return end


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


def _bare_paragraph_quotation(
    text: str, part: tuple[int, int], quotations: list[tuple[int, int]], used: set
) -> tuple[int, int] | None:
    """The quotation that is the whole of the paragraph after the one holding ``part``, unclaimed: by the
    news convention a paragraph of quoted words and nothing else goes on with the last speaker."""
    end = text.find("\n\n", part[1])
    if end < 0:
        return None
    start = end
    while start < len(text) and text[start] in "\n \t":
        start += 1
    for qs, qe in quotations:
        if qs < start:
            continue
        if (qs, qe) in used or _opening_start(text, qs) != start:
            return None
        close = _closing_end(text, qe)
        stop = text.find("\n\n", close)
        rest = text[close : len(text) if stop < 0 else stop]
        return (qs, qe) if not rest.strip(" \t\n.,") else None
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


def _skip_dateline(doc: Doc, start_tok: Token, clause_head: Token) -> Token:
    """The first token after a dateline the clause starts with ("NAIROBI (AP) — The money ...", "LOS
    ANGELES, Feb. 2 (UPI) — ...": the place in capitals, the day, the wire, up to the dash), else
    ``start_tok``."""
    for i in range(start_tok.i, min(clause_head.i, start_tok.i + 12)):
        if doc[i].text in ("—", "–", "--"):
            words = [t for t in doc[start_tok.i : i] if not t.is_punct]
            if words and all(
                t.text.isupper() or t.like_num or t.ent_type_ == "DATE" or t.text in ("Reuters",)
                for t in words
            ):
                return doc[i + 1] if i + 1 <= clause_head.i else start_tok
            return start_tok
    return start_tok


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Trim spaces and trailing commas a quotation keeps before its closing mark (“...,” he said)."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:"):
        end -= 1
    return start, end
