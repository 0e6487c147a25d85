"""Boilerplate learnt per source: paragraphs a site prints under many of its articles.

The rule file (:mod:`tacitus.ingest.boilerplate`) knows furniture every site has (captions, share bars,
footers of known shapes); each site also has lines of its own that no rule can know beforehand: "Story
continued below", "The Associated Press contributed to this report.", a newsletter box, "Copyright © 2019
The Washington Times, LLC.", an author's bio line. They give themselves away by recurring: a paragraph that
one source prints in many of its articles is not the news of any of them.

A paragraph's *key* is a hash of its normalised text (NFKC, case-folded, spaces collapsed, every digit read
as 0, so "Copyright © 2019" and "© 2020", "Slideshow (2 images)" and "(13 images)" are one line).
:class:`BoilerplateModel` counts, per source, in how many articles each key occurs, and a line is learned
when it occurs in at least :data:`MIN_ARTICLES` articles of the source and in at least :data:`MIN_SHARE`
of them. Counts come from a batch (:meth:`BoilerplateModel.observe`) and from a store
(:meth:`BoilerplateModel.add_counts`), so the next batch from a site benefits from the last. Callers
count each article once and never count a duplicate of an article already counted (a story fetched five
times would otherwise teach its own paragraphs as boilerplate): :mod:`tacitus.ingest.prepare` sees to it.

The source of an article is its ``source`` (publisher) or else its URL's host. Nothing here knows any site.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from tacitus.model import Article

# Measured on the AllSides corpus (5,720 articles, 142 outlets; figures in the README and
# tests/test_boilerplate_learned.py): at 5 articles, the lines learned are site furniture, bylines and
# crossheads; at 3, a few background sentences an outlet reused in three stories on one subject join them
# ("The status of Jerusalem goes to the heart of the Israeli-Palestinian conflict.", "A spokesman for
# Mueller declined to comment.").
MIN_ARTICLES = 5
# A share keeps a large source from learning a stock sentence ("A spokesman declined to comment.") only
# because it has tens of thousands of articles; 1% still learns a footer printed under opinion pieces only.
MIN_SHARE = 0.01
LEARNED_PREFIX = "learned:"
"""Learned drops are counted under ``learned:<source>`` in ``meta["dropped"]`` and the record."""

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_DIGIT = re.compile(r"\d")
_KEY_CHARS = 16


def source_of(article: Article) -> str | None:
    """The source an article's lines are learned under: its publisher, else its URL's host, else None."""
    if article.source and article.source.strip():
        return article.source.strip()
    if article.url:
        host = urlsplit(article.url).hostname
        if host:
            return host.removeprefix("www.")
    return None


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a body: blocks between blank lines, or its lines when it has no blank line."""
    blocks = _BLANK_LINE.split(text) if _BLANK_LINE.search(text) else text.split("\n")
    return [b.strip() for b in blocks if b.strip()]


def line_key(paragraph: str) -> str:
    """The key of a paragraph: a hash of its normalised text (see the module docstring)."""
    norm = " ".join(_DIGIT.sub("0", unicodedata.normalize("NFKC", paragraph).casefold()).split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()[:_KEY_CHARS]


def article_keys(text: str) -> dict[str, str]:
    """The distinct paragraph keys of a body, each with the first paragraph that has it."""
    keys: dict[str, str] = {}
    for para in paragraphs(text):
        keys.setdefault(line_key(para), para)
    return keys


@dataclass
class Stripped:
    """A body without its learned boilerplate, and the paragraphs removed (in text order)."""

    text: str
    removed: list[str] = field(default_factory=list)


class BoilerplateModel:
    """Per-source counts of paragraph keys, and the lines they make boilerplate (see the module docstring).

    The counts and the text first seen under each key are kept on disk (:class:`tacitus.ingest.spill.LineCounts`):
    most keys occur once, and in memory they grew a run by about 12 kB per article.
    """

    def __init__(self, min_articles: int = MIN_ARTICLES, min_share: float = MIN_SHARE) -> None:
        """An empty model with the given thresholds (the measured defaults)."""
        from tacitus.ingest.spill import LineCounts

        self.min_articles = min_articles
        self.min_share = min_share
        self._counts = LineCounts()
        self._learned: dict[str, dict[str, str]] = {}

    def sources(self) -> list[str]:
        """The sources counted so far."""
        return list(self._counts.articles)

    def keys_by_source(self, sources: Iterable[str] | None = None) -> Mapping[str, list[str]]:
        """The keys counted so far for each of ``sources`` (default: every source), read from disk one
        source at a time when asked for (what a store's counts are looked up by)."""
        from tacitus.ingest.spill import KeysBySource

        return KeysBySource(self._counts, self.sources() if sources is None else sources)

    def add_counts(
        self, source: str, articles: int, lines: Mapping[str, int], texts: Mapping[str, str] | None = None
    ) -> None:
        """Add counts kept elsewhere (a store): ``articles`` counted for ``source`` and per-key article counts,
        with the text of the keys that have one."""
        texts = texts or {}
        rows = [(key, n, texts.get(key)) for key, n in lines.items()]
        rows += [(key, 0, text) for key, text in texts.items() if key not in lines]
        self._counts.add(source, articles, rows)
        self._learned.pop(source, None)

    def observe(self, source: str | None, keys: Mapping[str, str]) -> None:
        """Count one article of ``source`` with these paragraph keys (:func:`article_keys`)."""
        if source is None:
            return
        self._counts.add(source, 1, ((key, 1, text) for key, text in keys.items()))
        self._learned.pop(source, None)

    def lines(self, source: str | None) -> dict[str, str]:
        """The learned boilerplate lines of ``source``: key to the text first seen with it."""
        if source is None or source not in self._counts.articles:
            return {}
        if source not in self._learned:
            floor = max(self.min_articles, self.min_share * self._counts.articles[source])
            self._learned[source] = self._counts.at_least(source, floor)
        return self._learned[source]

    def strip(self, source: str | None, text: str) -> Stripped:
        """``text`` without the paragraphs that are learned boilerplate of ``source``.

        The paragraphs kept are joined by one blank line, as page bodies are; a text with nothing learned
        comes back unchanged.
        """
        learned = self.lines(source)
        if not learned:
            return Stripped(text)
        kept: list[str] = []
        removed: list[str] = []
        for para in paragraphs(text):
            (removed if line_key(para) in learned else kept).append(para)
        if not removed:
            return Stripped(text)
        return Stripped("\n\n".join(kept), removed)


def count_rules(dropped: Iterable[Mapping[str, str]]) -> dict[str, int]:
    """Paragraphs dropped per rule (a rule-file id or ``learned:<source>``), from ``meta["dropped"]``."""
    return dict(Counter(d["rule"] for d in dropped if d.get("rule")))
