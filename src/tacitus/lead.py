"""The lead of an article, for GDELT's IsRootEvent ("the event is in the lead paragraph").

Computed when an event is written (``events.in_lead``, revision 0013) from the article's text, so that a
GDELT export reads a stored flag instead of re-reading and re-splitting each article's first characters;
the export falls back on :func:`in_lead` for rows stored without the flag. The sentence splitter is also
what the GDELT mentions table counts SentenceID with (:mod:`tacitus.export.gdelt`). Plain ``re``: no NLP,
no database; a leaf module, so that the export uses it without importing the store (and SQLAlchemy).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# The lead (GDELT's IsRootEvent: "the event is in the lead paragraph"): the first paragraph of at least
# LEAD_MIN_WORDS words (shorter first lines are headlines, bylines, datelines on their own), the same
# threshold as the lead Tacitus's place rules use (tacitus.components.whenwhere). A text with no paragraph
# break in its first LEAD_CHARS characters is one block: its lead is its first LEAD_SENTENCES sentences.
LEAD_MIN_WORDS = 8
LEAD_SENTENCES = 2
LEAD_CHARS = 1500
_PARAGRAPH = re.compile(r"[^\n]+")
SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
# A full stop after these is no sentence end ("Mr. Rahami", "Gen. Smith", "J. Yun", "U.S. officials").
ABBREVIATIONS = [
    "Mr", "Mrs", "Ms", "Dr", "St", "Sr", "Jr", "Gen", "Lt", "Col", "Sgt", "Capt", "Maj", "Adm", "Sen", "Rep",
    "Gov", "Pres", "Prof", "Rev", "Hon", "No", "Vol", "Inc", "Co", "Corp", "Ltd", "Jan", "Feb", "Mar", "Apr",
    "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "vs", "etc",
]  # fmt: skip
# One pattern, so that the text is scanned in C: a full stop not ending an abbreviation, an initial ("J.")
# or a letter after another stop ("U.S."), or a "?" or "!"; then closing quotes or brackets and a space.
_BEHIND = "".join(  # one lookbehind per word length (each must be of fixed width), checked after a stop
    rf"(?<!\b(?:{'|'.join(w for w in ABBREVIATIONS if len(w) == n)})\.)"
    for n in sorted({len(w) for w in ABBREVIATIONS})
)
SENTENCE_STOP = re.compile(rf"(?:\.{_BEHIND}(?<!\b[A-Z]\.)(?<!\.[A-Za-z]\.)|[!?])[\"'”’)\]]*\s+")


def sentence_ends(text: str) -> Iterator[int]:
    """Offsets just past each sentence-final ".", "?" or "!" (with closing quotes or brackets) that a
    space follows, except after an abbreviation or an initial."""
    for match in SENTENCE_STOP.finditer(text):
        yield match.start() + 1


def lead_end(head: str) -> int:
    """The character offset where the lead of a text beginning with ``head`` ends (see the constants)."""
    if "\n" not in head.strip():
        for n, end in enumerate(sentence_ends(head), start=1):
            if n == LEAD_SENTENCES:
                return end
        return len(head)
    for match in _PARAGRAPH.finditer(head):
        if len(match.group().split()) >= LEAD_MIN_WORDS:
            return match.end()
    return len(head)


def in_lead(sentence_start: int | None, lead_ends_at: int) -> int | None:
    """1 when a sentence starting at ``sentence_start`` starts in the lead, which ends at ``lead_ends_at``
    (:func:`lead_end` of the text's first :data:`LEAD_CHARS` characters), else 0; None for no sentence."""
    if sentence_start is None:
        return None
    # a sentence at the very top is in it (the lead of a text is never empty)
    return 1 if sentence_start <= 0 else int(sentence_start < lead_ends_at)
