"""The rules that decide whether two quotes are one quotation (the same speaker, near-same words), as
Quotebank groups them. Pure functions on plain values; :mod:`tacitus.store.clusters` fetches the candidates.
The values are measured in ``docs/clusters.md``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from tacitus.store.cluster_words import TITLES, WORD, WORD_CACHE_SIZE, fold, name_words, overlap

QUOTE_WINDOW_DAYS = 30
"""A quotation is looked for among its speaker's quotations within this many days: outlets repeat a line
for weeks, and the window keeps the candidates of a much-quoted speaker few."""

MIN_QUOTE_TOKENS = 5
"""A quote of fewer words than this ("No.", "to veto the bill") is too short to tell which quotation it
is; it stays on its own. On BASIL, 4 let one fragment join a quotation of another story; 5 none."""

NAMED_CONTAINMENT = 0.7
NAMED_DAYS = 3
"""Two quotes of one named person printed within this many days are one quotation at this containment
(:func:`named_alike`): outlets trim and reword a line of the day. On the 89 dev quote pairs 0.765 / 0.650 ->
0.812 / 0.650 (one false merge fewer: a quote now meets its own quotation before another); BASIL's stories
linked by a quotation 0.60 -> 0.65, none joined (2 days: 0.64; 4: 0.65; 0.65 containment or 0.6 joined one
story)."""

MIN_FRAGMENT_TOKENS = 3
FRAGMENT_DAYS = 1
"""Shorter quotes of this many words or more are one quotation only when their words are the same and they
are printed within this many days (:func:`one_fragment`). On the 89 dev quote pairs: one more quotation
found ("to leave Iraq immediately"), none joined wrongly; BASIL unchanged (no story joined)."""

QUOTE_CONTAINMENT = 0.8
"""Two quotes of one speaker are one quotation when this share of the shorter one's words is in the longer
(an outlet trims a quotation, or cuts it in two). On BASIL: 0.7 links 65 of the 100 stories across
outlets but joins stories 6 times, 0.8 links 59 and joins none, 0.9 links 56."""


def speaker_key(code: str | None, name: str | None) -> str | None:
    """What two quotes' speakers must share: the speaker's actor code, else the folded name without
    titles; None when the quote has no speaker (such quotes are not clustered)."""
    if code:
        return code.upper()
    words = [w for w in WORD.findall(fold(name or "")) if w not in TITLES]
    return " ".join(words) or None


def names_compatible(a: str | None, b: str | None) -> bool:
    """Two speakers' names can be one person: one is unknown, or they share a word other than a title
    ("Vladimir Putin" and "Mr. Putin"). Keeps two officials of one government code apart."""
    wa, wb = name_words(a), name_words(b)
    return not wa or not wb or bool(wa & wb)


@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def quote_words(text: str | None) -> frozenset[str]:
    """The folded words of a quote, stop words included (a quotation is its exact words)."""
    if not text:
        return frozenset()
    return frozenset(w.replace("’", "'") for w in WORD.findall(fold(text)))


@dataclass(frozen=True)
class QuoteMention:
    """One stored quote as the clustering sees it."""

    pk: int
    article_pk: int
    speaker_key: str
    speaker_name: str | None
    day: date | None
    words: frozenset[str]


def quote_score(new: QuoteMention, member: QuoteMention) -> float | None:
    """How well quote ``new`` matches ``member`` (the share of the shorter's words in the other), or None
    when they are not one quotation: another speaker, too short (unless both are the same fragment:
    :func:`one_fragment`), too different."""
    if new.speaker_key != member.speaker_key:
        return None
    if min(len(new.words), len(member.words)) < MIN_QUOTE_TOKENS:
        return 1.0 if one_fragment(new, member) else None
    shared = overlap(new.words, member.words)
    # the words first: most candidates fail there, and the names cost more to compare
    if shared >= QUOTE_CONTAINMENT:
        return shared if names_compatible(new.speaker_name, member.speaker_name) else None
    # names sharing a word are compatible names
    return shared if shared >= NAMED_CONTAINMENT and named_alike(new, member) else None


def named_alike(a: QuoteMention, b: QuoteMention) -> bool:
    """Whether both quotes name their speaker and the names share a word ("Donald Trump", "Trump") and they
    are printed within :data:`NAMED_DAYS`: one person's words retold by two outlets in one news cycle, where
    :data:`NAMED_CONTAINMENT` is enough. A code alone (USAGOV, many officials) or days apart keep the stricter
    :data:`QUOTE_CONTAINMENT`."""
    return _within(a, b, NAMED_DAYS) and bool(name_words(a.speaker_name) & name_words(b.speaker_name))


def one_fragment(a: QuoteMention, b: QuoteMention) -> bool:
    """Whether two quotes too short for :func:`quote_score`'s containment are still one quotation: the same
    words, at least :data:`MIN_FRAGMENT_TOKENS` of them, of one speaker within :data:`FRAGMENT_DAYS` ("to leave
    Iraq immediately", the State Department's alert as two outlets printed it). A fragment is never joined
    to a longer quotation that merely contains it ("to veto the bill" in a long Pence quotation)."""
    return (
        len(a.words) >= MIN_FRAGMENT_TOKENS
        and a.words == b.words
        and _within(a, b, FRAGMENT_DAYS)
        and names_compatible(a.speaker_name, b.speaker_name)
    )


def _within(a: QuoteMention, b: QuoteMention, days: int) -> bool:
    """Whether both quotes have a day and the days are at most ``days`` apart."""
    return a.day is not None and b.day is not None and abs((a.day - b.day).days) <= days
