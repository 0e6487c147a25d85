"""Language identification and MinHash signatures on the Dask workers, ahead of the client's preparation.

The Dask client settles each article's language, learns boilerplate and finds duplicates in input order
(:mod:`tacitus.engines.dask` says why there). Two parts of that need nothing of the client's state, only
the article's text: detecting its language (py3langid) and making its MinHash fingerprint (datasketch),
which the preparer (:class:`tacitus.ingest.prepare.Preparer`) then compares with the others. The
:class:`Presigner` sends the articles read to the workers for those two (:func:`sign_texts`, a small task
run before the analysis partitions waiting), and hands the results to the client's stages: the client
decides exactly what it decided before, from the same detections and the same fingerprints, in the same
order.
"""

from __future__ import annotations

import itertools
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from tacitus.model import Article

log = logging.getLogger(__name__)


# -- on the workers ------------------------------------------------------------------------------------


def sign_texts(texts: list[str]) -> list[tuple[tuple[str, float] | None, bytes, int]]:
    """One task ahead of analysis (:class:`Presigner`): for each text, its language as
    :func:`~tacitus.ingest.language.detect_language` finds it, and its MinHash fingerprint as bytes and
    shingle count (:func:`~tacitus.ingest.dedup.fingerprint`). Needs no pipeline: any worker runs it."""
    from tacitus.ingest.dedup import fingerprint
    from tacitus.ingest.language import detect_language

    out: list[tuple[tuple[str, float] | None, bytes, int]] = []
    for text in texts:
        print_ = fingerprint(text)
        out.append((detect_language(text), print_.to_bytes(), print_.size))
    return out


# -- on the client -------------------------------------------------------------------------------------

# Partitions of articles read whose languages and fingerprints are asked for ahead of the client's need:
# a signing task waits for a worker's thread like any other (an analysis partition, seconds), so the next
# articles' are asked for well before the preparer reaches them.
SIGN_AHEAD = 8
# Signing runs before the analysis of the partitions already out: the client waits on it.
_SIGN_PRIORITY = 1


class Presigner:
    """The articles read, their languages settled and their fingerprints made on the workers.

    Per article the client then spends nothing on language identification and MinHash (about a tenth of
    its CPU when it stores into SQLite, ``docs/dask.md``), yet decides what it decided
    before, in the same order: :meth:`run` yields each article as
    :func:`~tacitus.ingest.language.settle_language` settles it, from the worker's detection, and
    :meth:`sign` (the preparer's ``sign``) hands over the fingerprint made for a text, or makes it here for
    a text no worker saw (the text left once learned boilerplate is removed).

    No cluster is started for articles stored already (a rerun): until an article the preparer would
    analyse comes (neither ``known`` nor reprocessed), articles pass unsigned, as the client handled them
    before, and ``start`` is called only then.
    """

    def __init__(
        self,
        session: Any,
        start: Callable[[], None],
        partition_size: int,
        preparer: Any,
        check: Callable[[], None] = lambda: None,
    ) -> None:
        """Sign on ``session``'s workers once ``start`` has started it; install :meth:`sign` in ``preparer``;
        ``check`` raises a signal lost while waiting (:class:`tacitus.engines.signals.Signals`)."""
        self.session = session
        self._start = start
        self._check = check
        self.partition_size = partition_size
        self._preparer = preparer
        # text -> fingerprint, in input order: the preparer asks for them in that order, passing over
        # some (an article dropped for its language, one without a source while boilerplate is learned)
        self._prints: dict[str, Any] = {}
        self.signed = 0  # articles signed on the workers
        if preparer is not None:
            preparer.sign = self.sign

    def sign(self, text: str) -> Any:
        """The fingerprint of ``text``: the one a worker made (those of the articles before it, passed over,
        are dropped), else made here."""
        if text in self._prints:
            while True:
                earlier, print_ = next(iter(self._prints.items()))
                del self._prints[earlier]
                if earlier is text or earlier == text:
                    return print_
        from tacitus.ingest.dedup import fingerprint

        return fingerprint(text)

    def _wanted(self, article: Article) -> bool:
        """True when the preparer would analyse ``article`` (what starts the cluster)."""
        known = getattr(self._preparer, "known", None)
        if known is None:
            return True
        from tacitus.model import content_hash

        status = known(article, content_hash(article.text))
        return status is None or status in self._preparer.analyse_known

    def run(self, articles: Iterable[Article]) -> Iterator[Article]:
        """``articles`` in order, each with its language settled (a copy, as settle_language makes)."""
        from tacitus.ingest.dedup import Fingerprint
        from tacitus.ingest.language import settle_language

        stream = iter(articles)
        for article in stream:
            if self._wanted(article):
                stream = itertools.chain([article], stream)
                break
            yield article
        else:
            return
        self._start()
        client = self.session.client
        assert client is not None
        out: deque[tuple[list[Article], Any]] = deque()
        index = 0
        exhausted = False
        while True:
            while not exhausted and len(out) < SIGN_AHEAD:
                chunk = list(islice(stream, self.partition_size))
                if not chunk:
                    exhausted = True
                    break
                future = client.submit(
                    sign_texts,
                    [a.text for a in chunk],
                    key=f"tacitus-{self.session.run_id}-sign-{index}",
                    pure=False,
                    retries=2,  # as tacitus.engines.dask.PARTITION_RETRIES
                    priority=_SIGN_PRIORITY,
                )
                out.append((chunk, future))
                index += 1
            if not out:
                return
            chunk, future = out.popleft()
            try:
                signed = future.result()
            except Exception as exc:  # noqa: BLE001 - signing saves the client work: it does it as before
                log.warning("the workers could not sign %d articles (%s: %s); the client does", len(chunk),
                            type(exc).__name__, exc)  # fmt: skip
                signed = None
            finally:
                future.release()
            self._check()
            if signed is None:
                yield from chunk
                continue
            self.signed += len(chunk)
            for article, (found, data, size) in zip(chunk, signed, strict=True):
                self._prints.setdefault(article.text, Fingerprint.from_bytes(data, size))
                yield settle_language(article, found)
