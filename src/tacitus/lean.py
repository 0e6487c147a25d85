"""An analysing process's memory: what holds its peak, and what lowers it without changing a record.

Every engine uses it: the local engine in its one process and in its worker processes
(:func:`tacitus.pipeline.analyze_pairs` with ``lean=True``, :mod:`tacitus.parallel`; on unless
``TACITUS_LEAN_MEMORY=false``) and Dask's workers (:mod:`tacitus.engines.dask`, the Dask setting
``tacitus.lean-memory``). A process's peak is set by the longest article it meets (``docs/dask.md``).
Measured on AllSides' longest article (76,553 characters, 15,431 tokens, ``benchmarks/worker_memory.py``),
two things held it:

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

In the local engine (``benchmarks/soak.md``, SQLite, before and after, the same records and CPU time): the 311
HTML pages of ``eval/ingest`` peaked at 1,424 MB in one process and 557 MB with these settings, and at -j 2
the largest process at 761 and 401 MB; AllSides' first 300 articles at 873 and 488 MB in one process, 480
and 329 MB for the largest at -j 2.
"""

from __future__ import annotations

import ctypes
import importlib
import os
import weakref
from collections.abc import Iterable, Iterator
from typing import Any

from tacitus.model import Article
from tacitus.switches import yes_no

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

# Articles spaCy parses at once (a Dask partition's batch, and the local engine's). A process's peak memory
# grows with it and its speed does not: on 120 AllSides articles in one process, 4 peaked at 448 MB and 16
# at 681 MB, for the same CPU time (25.0-25.5 s against 24.6-25.3 s, two runs each), which keeps a worker
# within 600 MB.
BATCH_SIZE = 4
# ... and at most this many characters, unless one article alone is longer: spaCy's arrays grow with the
# tokens of the whole batch, so four long articles together peaked a worker at 876 MB where one at a time
# peaked it at 690 (AllSides' first 200 and longest 300, one process, before tacitus.lean). The
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
    """Whether Dask's workers lower their peak memory (this module; the same records either way): the
    Dask setting ``tacitus.lean-memory``, on unless set false (``DASK_TACITUS__LEAN_MEMORY=false``), which
    is there to measure what it does; read by :func:`tacitus.switches.yes_no`.
    ``tacitus.malloc-mmap-threshold`` (bytes, 0 leaves glibc's own) sets :func:`tune_malloc`'s threshold.
    The local engine's switch is :func:`local_lean_memory`."""
    import dask

    return yes_no("Dask setting tacitus.lean-memory", dask.config.get("tacitus.lean-memory", None), True)


# The local engine's switch (its worker processes inherit it): set false to measure what this module does.
ENV_VAR = "TACITUS_LEAN_MEMORY"


def local_lean_memory() -> bool:
    """Whether the local engine lowers its processes' peak memory: on unless ``TACITUS_LEAN_MEMORY`` says
    no (read by :func:`tacitus.switches.yes_no`)."""
    return yes_no(f"environment variable {ENV_VAR}", os.environ.get(ENV_VAR), True)


# the pipelines prepare() has made lean in this process (with their lean chains), and what tune_malloc()
# said when it ran here
_PREPARED: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
_MALLOC: list[bool] = []


def lean_chains(nlp: Any) -> int:
    """How many thinc chains of ``nlp``'s components run layer by layer at inference
    (:func:`lean_inference`)."""
    count = 0
    for _, component in getattr(nlp, "pipeline", ()):
        model = getattr(component, "model", None)
        if model is not None and hasattr(model, "walk"):
            count += sum(node._func is _lean_forward for node in model.walk())
    return count


def prepare(nlp: Any) -> dict[str, Any]:
    """Lower this process's peak for ``nlp`` as a Dask worker's is lowered: its chains run lean
    (:func:`lean_inference`), and glibc's thresholds are set (:func:`tune_malloc`, once per process). Cheap
    to call again. What is in effect: ``{"chains": lean_chains(nlp), "malloc": whether glibc's thresholds
    were set}``. (The character cap on ``nlp.pipe``'s batches is the caller's: :func:`batches`.)"""
    if nlp not in _PREPARED:
        lean_inference(nlp)
        _PREPARED[nlp] = lean_chains(nlp)
    if not _MALLOC:
        _MALLOC.append(tune_malloc())
    return {"chains": _PREPARED[nlp], "malloc": _MALLOC[0]}


def batches(
    articles: Iterable[Article], size: int = BATCH_SIZE, chars: int = BATCH_CHARS
) -> Iterator[list[Article]]:
    """Consecutive runs of ``articles`` that spaCy parses together: at most ``size`` articles and ``chars``
    characters (an article longer than that alone), in input order. Lazy: a stream is read a batch at a
    time."""
    batch: list[Article] = []
    total = 0
    for article in articles:
        if batch and (len(batch) >= size or total + len(article.text) > chars):
            yield batch
            batch, total = [], 0
        batch.append(article)
        total += len(article.text)
    if batch:
        yield batch
