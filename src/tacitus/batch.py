"""Around analysis: a run's duplicates and learned boilerplate, and what comes out, in input order.

:class:`Gate` stands between the articles read and :func:`tacitus.pipeline.analyze_pairs`. It runs the
:class:`tacitus.ingest.prepare.Preparer` (learned boilerplate stripped, duplicates found, stored articles
recognised), lets only the articles to analyse through, and hands back, in input order, what each input
became: :class:`Analysed` (a record to write) or :class:`Repeated` (a duplicate of an earlier article,
which is never analysed); stored and emptied articles are counted in the run's report on the way. A
duplicate waits until the article it repeats is analysed (or failed), so a consumer always meets the
original first. ``jobs.extract`` writes both as JSON lines; ``jobs.process`` stores records and adds
duplicates as publications of stored articles (:mod:`tacitus.store.publications`).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tacitus.ingest.prepare import Dropped, Duplicate, Known, Preparer, Ready
from tacitus.model import Article, Record, content_hash


@dataclass
class Analysed:
    """An article analysed: write ``record`` (``ready`` says what the preparer knew of it)."""

    ready: Ready
    record: Record


@dataclass
class Repeated:
    """A duplicate, and the article it repeats: its id (a batch article's; ``None`` for a stored one) and
    the hash of its analysed text (``None`` when that article could not be analysed)."""

    duplicate: Duplicate
    original_id: str | None
    original_hash: str | None

    @property
    def kind(self) -> str:
        """``exact`` when the two texts are the same shingle for shingle, else ``near``."""
        return "exact" if self.duplicate.similarity.jaccard >= 1.0 else "near"


Output = Analysed | Repeated
_PENDING = object()


class Gate:
    """One run's preparer and the bookkeeping that keeps its outputs in input order (module docstring).

    ``on_known(article, status)`` and ``on_dropped(article, reason)`` hear the articles that are neither
    analysed nor duplicates, as the stream reaches them.
    """

    def __init__(
        self,
        preparer: Preparer,
        *,
        on_known: Callable[[Article, str], None] | None = None,
        on_dropped: Callable[[Article, str], None] | None = None,
    ) -> None:
        """Wrap ``preparer``; nothing is read until :meth:`articles` is iterated."""
        self.preparer = preparer
        self._on_known = on_known
        self._on_dropped = on_dropped
        self._queue: deque[Any] = deque()  # Ready and Duplicate items, in input order
        self._ready: dict[int, Ready] = {}  # id(article analysed) -> its item
        # a stage between here and the records may hand back a copy (the language settled again): copies
        # made with dataclasses.replace share the article's meta dict, which finds the item then
        self._by_meta: dict[int, Ready] = {}
        self._results: dict[int, Record | None | object] = {}  # seq -> record, None (failed), or pending
        # what a later duplicate needs of a batch article: its id and its text's hash (None: it failed)
        self._resolved: dict[int, tuple[str | None, str] | None] = {}

    def articles(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles to analyse, one per :class:`Ready` item, as the preparer produces them."""
        for item in self.preparer.run(articles):
            if isinstance(item, Ready):
                self._queue.append(item)
                self._ready[id(item.article)] = item
                self._by_meta[id(item.article.meta)] = item
                self._results[item.seq] = _PENDING
                yield item.article
            elif isinstance(item, Duplicate):
                self._queue.append(item)
            elif isinstance(item, Known):
                if self._on_known:
                    self._on_known(item.article, item.status)
            elif isinstance(item, Dropped) and self._on_dropped:
                self._on_dropped(item.article, item.reason)

    def ready_for(self, article: Article) -> Ready | None:
        """The preparer's item of an article on its way to analysis (or of a copy of it), left in place:
        what an engine whose workers write needs to send with it (its ``seq`` and provenance)."""
        return self._ready.get(id(article)) or self._by_meta.get(id(article.meta))

    def _take(self, article: Article) -> Ready | None:
        ready = self._ready.get(id(article)) or self._by_meta.get(id(article.meta))
        if ready is not None:
            self._ready.pop(id(ready.article), None)
            self._by_meta.pop(id(ready.article.meta), None)
        return ready

    def done(self, article: Article, record: Record) -> list[Output]:
        """Note ``article``'s record; return what can now be written, in input order."""
        ready = self._take(article)
        if ready is not None:
            self._results[ready.seq] = record
        return self._flush()

    def failed(self, article: Article) -> None:
        """Note that ``article`` could not be analysed (its duplicates then come out with no record)."""
        ready = self._take(article)
        if ready is not None:
            self._results[ready.seq] = None

    def finish(self) -> list[Output]:
        """What is left once analysis is over (articles never resolved count as failed)."""
        for ready in list(self._ready.values()):
            self._results[ready.seq] = None
        self._ready.clear()
        self._by_meta.clear()
        return self._flush()

    def _flush(self) -> list[Output]:
        out: list[Output] = []
        while self._queue:
            head = self._queue[0]
            if isinstance(head, Ready):
                result = self._results.get(head.seq, _PENDING)
                if result is _PENDING:
                    break
                self._queue.popleft()
                del self._results[head.seq]
                if isinstance(result, Record):
                    out.append(Analysed(head, result))
                    if self.preparer.dedup:
                        self._resolved[head.seq] = (result.id, content_hash(result.text))
                else:
                    self._resolved[head.seq] = None
                continue
            self._queue.popleft()
            out.append(self._repeated(head))
        return out

    def _repeated(self, duplicate: Duplicate) -> Repeated:
        of: Hashable = duplicate.of
        if isinstance(of, tuple) and len(of) == 2 and of[0] == "batch":
            resolved = self._resolved.get(of[1])
            return Repeated(duplicate, *(resolved if resolved is not None else (None, None)))
        if isinstance(of, tuple) and len(of) == 2 and of[0] == "store":
            return Repeated(duplicate, None, str(of[1]))
        return Repeated(duplicate, None, None)


def make_preparer(
    *,
    dedup: bool,
    learn: bool,
    clean_text: bool,
    store: Any = None,
    reprocess: bool = False,
) -> Preparer:
    """A preparer for one run; with a ``store`` (:class:`tacitus.store.Store`), the duplicate index asks
    the store for candidates by band key (once the signatures and bands it lacks are made), its counts
    join the batch's, and stored publications are recognised (``reprocess`` analyses stored originals
    again)."""
    from tacitus.ingest.dedup import SCHEME, DuplicateIndex, band_scheme, fingerprint, signature_band_pairs

    preparer = Preparer(dedup=dedup, learn=learn, clean_given=clean_text, index=DuplicateIndex())
    if store is None:
        return preparer
    from tacitus.store.publications import key_of

    def known(article: Article, input_hash: str) -> str | None:
        status = store.publication_status(key_of(article, input_hash))
        if status is not None or dedup:
            # With the duplicate check on, a text stored under another publication (the copy another outlet
            # printed, met in a later run or after a killed one) is found in the store as an exact duplicate
            # and stored as its publication, as one run would; calling it stored lost that publication.
            return status
        return "original" if store.has_hash(input_hash) else None

    preparer.known = known
    preparer.analyse_known = ("original",) if reprocess else ()
    preparer.stored_counts = store.boilerplate_counts
    if dedup:
        from tacitus.store.bands import Signing

        def sign(text: str) -> tuple[bytes, int]:
            print_ = fingerprint(text)
            return print_.to_bytes(), print_.size

        def stored(pairs: Sequence[tuple[int, int]]) -> Iterator[tuple[Hashable, bytes, int]]:
            # the stored articles are looked up, never loaded: memory stays flat however large the store
            for digest, data, size in store.signature_candidates(SCHEME, pairs):
                yield ("store", digest), data, size

        store.prepare_signatures(Signing(SCHEME, band_scheme(), sign, signature_band_pairs))
        preparer.index = DuplicateIndex(stored=stored)
    return preparer


def provenance(ready: Ready) -> Any:
    """What the store keeps about an analysed article besides its record (:class:`tacitus.store.Provenance`)."""
    from tacitus.ingest.dedup import SCHEME, band_pairs, band_scheme
    from tacitus.store.publications import Provenance, key_of

    print_ = ready.fingerprint
    return Provenance(
        key=key_of(ready.article, ready.input_hash),
        signature=print_.to_bytes() if print_ is not None else None,
        size=print_.size if print_ is not None else 0,
        scheme=SCHEME if print_ is not None else None,
        source=ready.source,
        lines=ready.lines,
        bands=band_pairs(print_) if print_ is not None else (),
        band_scheme=band_scheme() if print_ is not None else None,
    )


def duplicate_line(repeated: Repeated) -> dict[str, Any]:
    """The JSON object ``tacitus extract`` writes for a duplicate instead of a record (``docs/record.md``)."""
    article = repeated.duplicate.article
    sim = repeated.duplicate.similarity
    return {
        "id": article.id,
        "duplicate_of": repeated.original_id,
        "similarity": round(sim.jaccard, 3),
        "containment": round(sim.containment, 3),
        "title": article.title,
        "published": article.published,
        "url": article.url,
        "source": article.source,
    }


def learned_removed(record: Record) -> int:
    """How many paragraphs of a record were learned boilerplate (for the run's summary)."""
    from tacitus.ingest.learned import LEARNED_PREFIX

    return sum(n for rule, n in record.boilerplate_removed.items() if rule.startswith(LEARNED_PREFIX))


def _writable(item: Repeated, report: Any) -> bool:
    """False (and the duplicate reported as skipped) when the article it repeats could not be analysed."""
    if item.original_hash is not None:
        return True
    article = item.duplicate.article
    name = article.origin or str(article.id)
    report.skip(name, f"{name}: a duplicate of an earlier article that could not be analysed, so neither is")
    return False


def write_lines(
    outputs: Iterable[Output], out: Any, report: Any, progress: Callable[[int], None] | None
) -> None:
    """``tacitus extract``'s lines: a record per analysed article, a duplicate line per duplicate
    (counted in ``report``, a :class:`tacitus.jobs.RunReport`)."""
    for item in outputs:
        if isinstance(item, Repeated):
            if not _writable(item, report):
                continue
            out.write(json.dumps(duplicate_line(item), ensure_ascii=False) + "\n")
            report.duplicates += 1
        else:
            out.write(item.record.to_json() + "\n")
            report.written += 1
            report.boilerplate_dropped += learned_removed(item.record)
        if progress:
            progress(1)


def store_outputs(
    outputs: Iterable[Output],
    store: Any,
    report: Any,
    *,
    reprocess: bool,
    progress: Callable[[int], None] | None,
) -> None:
    """``tacitus process``'s writes: each analysed article with its provenance, each duplicate as another
    publication of the article it repeats; a refused one is reported and the batch goes on."""
    from tacitus.store import RecordRejected
    from tacitus.store.publications import key_of

    for item in outputs:
        article = item.duplicate.article if isinstance(item, Repeated) else item.ready.article
        try:
            if isinstance(item, Repeated):
                if not _writable(item, report):
                    continue
                dup = item.duplicate
                status = store.add_publication(
                    item.original_hash,
                    dup.article,
                    key=key_of(dup.article, dup.input_hash),
                    kind=item.kind,
                    similarity=round(dup.similarity.jaccard, 3),
                )
                report.duplicates += status == "duplicate"
            else:
                # a record a Dask worker stored itself says what the write did (tacitus.engines.writers)
                status = getattr(item.record, "stored_as", None) or store.write(
                    item.record, article, reprocess=reprocess, provenance=provenance(item.ready)
                )
                report.boilerplate_dropped += learned_removed(item.record)
        except RecordRejected as exc:  # the article's transaction was rolled back; go on
            report.skip(article.origin or str(article.id), f"could not be stored: {exc}")
            continue
        report.count("unchanged" if status == "skipped" else status)
        if progress:
            progress(1)


def remember_learned(preparer: Preparer, store: Any) -> None:
    """Keep in the store the text of every line learned this run, so users can see what was dropped."""
    for source in preparer.model.sources():
        lines = preparer.model.lines(source)
        if lines:
            store.remember_boilerplate(source, lines)
