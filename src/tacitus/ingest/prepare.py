"""Get a batch of articles ready for analysis: learn each source's boilerplate, strip it, find duplicates.

:class:`Preparer` turns the articles read into a stream of items, in input order:

- :class:`Ready`: an article to analyse, its learned boilerplate removed (pages always; a JSONL ``text``,
  which records keep as given, only when ``clean_given``), with its fingerprint and paragraph keys;
- :class:`Duplicate`: an article whose text is the same story as an earlier one of the batch (``of`` is
  ``("batch", seq)``) or of the store (``of`` is the key the caller indexed it under): not analysed again;
- :class:`Known`: an article the caller's ``known`` says is stored already (a rerun): not counted again;
- :class:`Dropped`: an article with nothing left once its boilerplate is removed.

Learning needs the whole batch before the first article is stripped, so with ``learn`` the articles are
read once, counted, and spooled to a temporary file (the inputs are read once, however long), then
replayed; the counts and the fingerprints of the articles counted and kept are in temporary tables on disk
too (:mod:`tacitus.ingest.spill`), so memory does not grow with the batch. Counting skips an article that is a near-duplicate of one
already counted, or the paragraphs of a story fetched five times would be learned as its site's
boilerplate. Duplicates are found on the text without learned boilerplate, whether or not the record keeps
it: two different stories of one site share their furniture, never their news.

Nothing here touches a database: ``index`` may ask a store for candidates through a callable (see
:class:`tacitus.ingest.dedup.DuplicateIndex`) and its counts come through ``stored_counts`` (see
:mod:`tacitus.jobs`).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import IO

from tacitus.ingest.dedup import DuplicateIndex, Fingerprint, Similarity, fingerprint
from tacitus.ingest.learned import LEARNED_PREFIX, BoilerplateModel, Stripped, article_keys, source_of
from tacitus.model import Article, content_hash

StoredCounts = Callable[
    [Mapping[str, Iterable[str]]], Iterable[tuple[str, int, Mapping[str, int], Mapping[str, str]]]
]
"""Given the paragraph keys of a batch by source, yield ``(source, articles, counts, texts)`` kept elsewhere."""


@dataclass
class Ready:
    """An article to analyse: ``article`` as it will be analysed, ``input_hash`` of its text as read."""

    article: Article
    seq: int
    input_hash: str
    fingerprint: Fingerprint | None
    source: str | None
    lines: tuple[str, ...] = ()


@dataclass
class Duplicate:
    """An article that repeats an earlier one (``of``), with how alike the two texts are."""

    article: Article
    seq: int
    input_hash: str
    of: Hashable
    similarity: Similarity


@dataclass
class Known:
    """An article already stored (``status`` is what the caller's ``known`` said)."""

    article: Article
    seq: int
    status: str


@dataclass
class Dropped:
    """An article with no text left once its learned boilerplate is removed."""

    article: Article
    seq: int
    reason: str


Item = Ready | Duplicate | Known | Dropped


@dataclass
class _Entry:
    seq: int
    article: Article
    input_hash: str
    status: str | None = None
    source: str | None = None
    lines: tuple[str, ...] = ()
    raw_print: Fingerprint | None = None


@dataclass
class Preparer:
    """The settings and memory of one run (see the module docstring).

    ``known(article, input_hash)`` returns a status for an article stored already, else ``None``;
    ``analyse_known`` lists the statuses that are analysed again anyway (``reprocess``: the stored
    originals), without a duplicate check. ``index`` may look stored articles up (their keys are the
    caller's); batch articles are added under ``("batch", seq)``.
    """

    dedup: bool = True
    learn: bool = True
    clean_given: bool = False
    index: DuplicateIndex = field(default_factory=DuplicateIndex)
    model: BoilerplateModel = field(default_factory=BoilerplateModel)
    known: Callable[[Article, str], str | None] | None = None
    analyse_known: tuple[str, ...] = ()
    stored_counts: StoredCounts | None = None
    # makes a text's fingerprint: an engine may hand over ones its workers made (tacitus.engines.dask)
    sign: Callable[[str], Fingerprint] = fingerprint

    def run(self, articles: Iterable[Article]) -> Iterator[Item]:
        """Yield an item for every article, in input order."""
        entries = self._entries(articles)
        if not self.learn:
            for entry in entries:
                yield self._item(entry)
            return
        with tempfile.TemporaryFile(prefix="tacitus-batch-") as spool:
            self._learn(entries, spool)
            spool.seek(0)
            while True:
                try:
                    entry = pickle.load(spool)
                except EOFError:
                    return
                yield self._item(entry)

    def _entries(self, articles: Iterable[Article]) -> Iterator[_Entry]:
        for seq, article in enumerate(articles):
            digest = content_hash(article.text)
            status = self.known(article, digest) if self.known is not None else None
            yield _Entry(seq, article, digest, status, source_of(article))

    def _learn(self, entries: Iterable[_Entry], spool: IO[bytes]) -> None:
        counted = DuplicateIndex()  # on disk, like the model's counts: memory does not grow with the batch
        sources: dict[str, None] = {}  # the sources counted, in order (a few hundred, not one per article)
        for entry in entries:
            if entry.status is None and entry.source is not None:
                keys = article_keys(entry.article.text)
                raw = entry.raw_print = self.sign(entry.article.text)
                if counted.find(raw) is None:
                    counted.add(entry.seq, raw)
                    self.model.observe(entry.source, keys)
                    entry.lines = tuple(keys)
                    sources[entry.source] = None
            pickle.dump(entry, spool, protocol=pickle.HIGHEST_PROTOCOL)
        if self.stored_counts is not None and sources:
            # the batch's keys by source, read back from the model's counts one source at a time
            for source, n, counts, texts in self.stored_counts(self.model.keys_by_source(sources)):
                self.model.add_counts(source, n, counts, texts)

    def _item(self, entry: _Entry) -> Item:
        article = entry.article
        if entry.status is not None and entry.status not in self.analyse_known:
            return Known(article, entry.seq, entry.status)
        stripped = self.model.strip(entry.source, article.text) if self.learn else Stripped(article.text)
        if stripped.removed and (self.clean_given or not article.text_given):
            if not stripped.text.strip():
                name = article.origin or article.id or "article"
                return Dropped(
                    article,
                    entry.seq,
                    f"{name}: nothing left once the lines {entry.source} prints under many articles are "
                    "removed; pass --no-learn-boilerplate to keep them",
                )
            dropped = [*article.meta.get("dropped", []), *_drops(entry.source, stripped.removed)]
            article = replace(article, text=stripped.text, meta={**article.meta, "dropped": dropped})
        print_ = None
        if self.dedup:
            same = not stripped.removed and entry.raw_print is not None
            print_ = entry.raw_print if same else self.sign(stripped.text)
            if entry.status is None:  # a stored original analysed again must not find itself
                match = self.index.find(print_)
                if match is not None:
                    return Duplicate(entry.article, entry.seq, entry.input_hash, match.key, match.similarity)
                self.index.add(("batch", entry.seq), print_)
        return Ready(article, entry.seq, entry.input_hash, print_, entry.source, entry.lines)


def _drops(source: str | None, removed: list[str]) -> list[dict[str, str]]:
    return [{"rule": f"{LEARNED_PREFIX}{source}", "text": text} for text in removed]
