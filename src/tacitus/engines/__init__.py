"""Where analysis runs: ``local`` (this process, or the worker processes of :mod:`tacitus.parallel`) or
``dask`` (:mod:`tacitus.engines.dask`: a local Dask cluster, or any Dask scheduler).

Every engine wraps :func:`tacitus.pipeline.analyze_pairs` and yields the same ``(article, record)`` pairs,
so what stands around analysis in :mod:`tacitus.jobs` (reading, languages, duplicates, learned
boilerplate, the store, the run's report) is the same whichever runs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from tacitus.errors import EngineUnavailable, UsageError
from tacitus.model import Article, Record

ENGINES = ("local", "dask")
DASK_INSTALL = "pip install 'tacitus[dask]'"


def check_engine(engine: str, scheduler: str | None = None) -> None:
    """Fail before anything is read when ``engine`` is unknown, its package is missing, or ``scheduler``
    is not a Dask address; connecting waits until there is an article to analyse."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    if scheduler is not None and engine != "dask":
        raise UsageError(f"--scheduler {scheduler} needs --engine dask (the local engine has no scheduler)")
    if engine != "dask":
        return
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise EngineUnavailable(f"the Dask engine is not installed: {DASK_INSTALL}") from None
    if scheduler is not None:
        from tacitus.engines.dask import check_address

        check_address(scheduler)


def analyze_pairs_on(
    engine: str,
    items: Iterable[Article],
    *,
    n_process: int = 1,
    scheduler: str | None = None,
    on_error: Callable[[Article, Exception], None] | None = None,
    actors_file: str | None = None,
    learned: list[dict[str, Any]] | None = None,
    patterns_file: str | None = None,
    quote_types: Iterable[str] | None = None,
    on_warning: Callable[[str], None] | None = None,
    task: Callable[[str, Any], list[Record | str]] | None = None,
    payload: Callable[[int, list[Article]], Any] | None = None,
    stages: Callable[[Iterable[Article]], Iterable[Article]] | None = None,
    preparer: Any = None,
) -> Iterator[tuple[Article, Record]]:
    """:func:`tacitus.pipeline.analyze_pairs` on ``engine``: ``n_process`` is the number of local worker
    processes (``local``), or of workers of the local Dask cluster started when there is no ``scheduler``
    (``dask``; with a scheduler, the cluster's workers decide). ``on_warning`` hears what a user should know
    about the engine itself (a cluster set up against its advice). ``task`` and ``payload`` are Dask's
    alone: what runs on a partition (:func:`tacitus.engines.dask.analyze_dask`), for workers that write
    (:mod:`tacitus.engines.writers`). With ``stages``, ``items`` are the articles as read and what
    ``stages(items)`` yields is analysed; ``preparer`` is the :class:`tacitus.ingest.prepare.Preparer` in
    them, whose fingerprints Dask's workers make (:mod:`tacitus.engines.presign`)."""
    check_engine(engine, scheduler)
    if engine == "dask":
        from tacitus.engines.dask import analyze_pairs_dask

        return analyze_pairs_dask(
            items,
            scheduler=scheduler,
            n_workers=n_process,
            on_error=on_error,
            actors_file=actors_file,
            learned=learned,
            patterns_file=patterns_file,
            quote_types=quote_types,
            on_warning=on_warning,
            task=task,
            payload=payload,
            stages=stages,
            preparer=preparer,
        )
    if stages is not None:
        items = stages(items)
    from tacitus.lean import local_lean_memory
    from tacitus.pipeline import analyze_pairs

    return analyze_pairs(
        items,
        n_process=n_process,
        on_error=on_error,
        actors_file=actors_file,
        learned=learned,
        patterns_file=patterns_file,
        quote_types=quote_types,
        lean=local_lean_memory(),  # this process and its workers are the engine's own (tacitus.lean)
    )
