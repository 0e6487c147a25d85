"""A Dask worker's memory: what holds its peak, and what lowers it without changing a record.

A worker's peak is set by the longest article it meets (``docs/dask.md``). Measured on AllSides' longest
article (76,553 characters, 15,431 tokens, ``benchmarks/worker_memory.py``), two things held it:

- **thinc keeps every layer's intermediate arrays until a whole chain of layers returns**, inference or
  not: ``chain`` collects each layer's backpropagation callback, and each callback holds the arrays it
  would need. The tok2vec of ``en_core_web_sm`` (and the NER's own) is such a chain: about 15 KB per token
  alive at once, 226 and 240 MB for that article. :func:`lean_inference` runs chains that are not training
  (``is_train=False``) layer by layer, dropping each callback as soon as the next layer has its input:
  the same operations on the same arrays in the same order, so the same numbers (the tensors, tags,
  parses and entities were compared byte for byte), and 68 and 81 MB.
- **glibc keeps what was freed**: its mmap threshold rises to the largest block freed (up to 32 MB), so
  after one long article its arrays come from the heap, and the heap's freed pages are not returned: a
  worker's resident memory stays near its highest. :func:`tune_malloc` fixes the threshold at 4 MB, so
  a long article's arrays (a short one's are under it) are mapped on their own and returned when freed,
  and raises the trim threshold to 128 MB, so the heap below is not trimmed on every free: Dask's own
  ``MALLOC_TRIM_THRESHOLD_=65536`` cost 6-8% CPU per article for 25 MB.
- **long articles parsed together add up**: spaCy's arrays grow with the tokens of a whole ``nlp.pipe``
  batch; :func:`batches` caps a batch's characters as well as its articles.
"""

from __future__ import annotations

import ctypes
import importlib
from collections.abc import Iterator
from typing import Any

from tacitus.model import Article

# glibc's mallopt parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
# Blocks above this are mapped on their own and returned to the system when freed. A fixed threshold of
# 1 MB kept a process 60-120 MB lower still but cost 13-16% more CPU per article (page faults on fresh
# maps); at 4 MB most of an ordinary batch's arrays stay in the heap, and no CPU cost was measured
# (docs/dask.md, "A worker's memory").
MMAP_THRESHOLD = 4 * 1024 * 1024
# The heap's free top is given back only above this: trimming on every free is what made Dask's own
# setting (65,536) cost CPU.
TRIM_THRESHOLD = 128 * 1024 * 1024

# Articles spaCy parses at once inside a partition. A worker's peak memory grows with it and its speed does
# not: on 120 AllSides articles in one process, 4 peaked at 448 MB and 16 at 681 MB, for the same CPU time
# (25.0-25.5 s against 24.6-25.3 s, two runs each), which keeps a worker within 600 MB.
BATCH_SIZE = 4
# ... and at most this many characters, unless one article alone is longer: spaCy's arrays grow with the
# tokens of the whole batch, so four long articles together peaked a worker at 876 MB where one at a time
# peaked it at 690 (AllSides' first 200 and longest 300, one process, before tacitus.engines.lean). The
# records were the same article for article (494 of 494), and the CPU time too (within the noise).
BATCH_CHARS = 20_000


def tune_malloc(mmap_threshold: int = MMAP_THRESHOLD) -> bool:
    """Set glibc's mmap threshold (:data:`MMAP_THRESHOLD` by default) and :data:`TRIM_THRESHOLD` in this
    process (glibc only; a no-op elsewhere); whether they were set. Called in a worker, it also replaces
    the trim threshold Dask's nanny set in the environment (``MALLOC_TRIM_THRESHOLD_``)."""
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (macOS, musl): their allocators behave otherwise
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    )


def _chain_module() -> Any:
    # thinc.layers exports the function chain under the module's name: import the module itself
    return importlib.import_module("thinc.layers.chain")


def _no_backprop(dY: Any) -> Any:
    raise RuntimeError("this thinc chain ran for inference (is_train=False): it has no backpropagation")


def _lean_forward(model: Any, X: Any, is_train: bool) -> tuple[Any, Any]:
    if is_train:
        return _CHAIN_FORWARD(model, X, is_train)
    for layer in model.layers:
        X, _ = layer(X, is_train=False)  # the callback, and the arrays it held, go now
    return X, _no_backprop


_CHAIN_FORWARD = _chain_module().forward


def lean_inference(nlp: Any = None) -> int:
    """Make thinc chains drop each layer's intermediate arrays once inference has passed them (module
    docstring): the chains of ``nlp``'s components, and those built later in this process (another
    language's pipeline). Training is untouched. Returns how many chains of ``nlp`` were changed."""
    chain = _chain_module()
    chain.forward = _lean_forward  # chain() looks its forward up when it builds a layer
    changed = 0
    for _, component in getattr(nlp, "pipeline", ()):
        model = getattr(component, "model", None)
        if model is None or not hasattr(model, "walk"):
            continue
        for node in model.walk():
            if node._func is _CHAIN_FORWARD:
                node._func = _lean_forward
                changed += 1
    return changed


def lean_memory() -> bool:
    """Whether workers lower their peak memory (:mod:`tacitus.engines.lean`; the same records either way):
    the Dask setting ``tacitus.lean-memory``, on unless set false (``DASK_TACITUS__LEAN_MEMORY=false``),
    which is there to measure what it does. ``tacitus.malloc-mmap-threshold`` (bytes, 0 leaves glibc's
    own) sets :func:`tacitus.engines.lean.tune_malloc`'s threshold."""
    import dask

    value = dask.config.get("tacitus.lean-memory", default=True)
    return str(value).strip().lower() not in ("false", "0", "no", "off")


def batches(articles: list[Article]) -> Iterator[list[Article]]:
    """Consecutive runs of ``articles`` that spaCy parses together: at most :data:`BATCH_SIZE` articles
    and :data:`BATCH_CHARS` characters (an article longer than that alone), in input order."""
    batch: list[Article] = []
    size = 0
    for article in articles:
        if batch and (len(batch) >= BATCH_SIZE or size + len(article.text) > BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += len(article.text)
    if batch:
        yield batch
