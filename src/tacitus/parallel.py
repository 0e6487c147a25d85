"""Analysis on several worker processes, with records in input order and no process ever left behind.

spaCy's own ``nlp.pipe(n_process=N)`` gives no hold on its workers: they outlive a parent that is killed,
print tracebacks on Ctrl-C, can hang the parent at exit while they flush their queues, and ship whole
serialised Docs back. This engine owns its workers instead:

- each worker is a *spawned* process that loads the pipeline once and runs the very same
  :func:`tacitus.pipeline.analyze_pairs` on chunks of articles, sending back plain :class:`Record` objects;
  with ``lean``, it lowers its peak memory as it loads the pipeline (:mod:`tacitus.lean`) and says so;
- a worker dies with its parent: Linux delivers SIGKILL to it when the parent dies (``PR_SET_PDEATHSIG``),
  and a watcher thread checks the parent's pid once a second everywhere else;
- workers ignore SIGINT (a terminal's Ctrl-C reaches the whole process group), so the parent alone decides:
  when it is interrupted or closes the stream early, it terminates, joins and, if need be, kills them;
- at most ``2 × n_process`` chunks are in flight, so memory stays flat however long the input;
- a worker that dies mid-chunk (out of memory, killed by hand) costs only that chunk's articles, each
  reported as failed, and is replaced; a pipeline that cannot load at all stops the run with its reason;
- a worker that has spent more than :data:`OVERDUE_FACTOR` times its chunk's time budget on it (stuck in
  compiled code, where the per-article timer of :mod:`tacitus.watchdog` cannot reach) is killed: that
  chunk's articles are reported as over their time budget, the chunks queued behind it go to its
  replacement, and the batch goes on.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import signal
import sys
import threading
import time
import traceback
import warnings
from collections.abc import Iterable, Iterator
from itertools import islice
from multiprocessing.connection import wait
from typing import Any

from tacitus.errors import AnalysisFailed, TimeBudgetExceeded
from tacitus.model import Article, Record
from tacitus.watchdog import article_seconds

Outcome = tuple[Article, Record | Exception]

_POLL_SECONDS = 0.5
_JOIN_SECONDS = 3.0
_PR_SET_PDEATHSIG = 1
# Wall seconds a worker may spend on a chunk, per article, as a multiple of the article's CPU budget: the
# statistical stages run outside that budget, and a machine shared with other work gives a worker a
# fraction of a core, so only a worker far past it is stuck rather than slow.
OVERDUE_FACTOR = 3.0


class WorkerDied(AnalysisFailed):
    """The worker process analysing an article died (killed, or out of memory) before it finished."""


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):  # no libc (musl variants, sandboxes): the watcher still works
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    def watch() -> None:
        while True:
            if os.getppid() != parent_pid:
                os._exit(1)
            threading.Event().wait(1.0)

    # the parent may have died before prctl took effect; the watcher also covers macOS and Windows
    threading.Thread(target=watch, name="tacitus-parent-watch", daemon=True).start()


def _analyze_chunk(
    articles: list[Article],
    actors_file: str | None,
    learned: list[dict[str, Any]] | None,
    patterns_file: str | None = None,
    lean: bool = False,
) -> list[Record | str]:
    from tacitus.model import QUOTE_TYPES
    from tacitus.pipeline import analyze_pairs

    failed: dict[int, str] = {}
    done: dict[int, Record] = {}

    def on_error(article: Article, exc: Exception) -> None:
        failed[id(article)] = str(exc)

    for article, record in analyze_pairs(
        articles,
        n_process=1,
        on_error=on_error,
        actors_file=actors_file,
        learned=learned,
        patterns_file=patterns_file,
        quote_types=QUOTE_TYPES,  # every type: the parent keeps the ones its caller asked for
        lean=lean,
    ):
        done[id(article)] = record
    return [done.get(id(a)) or failed.get(id(a), "analysis failed") for a in articles]


def _worker_main(
    tasks: Any,
    results: Any,
    parent_pid: int,
    actors_file: str | None,
    learned: list[dict[str, Any]] | None,
    patterns_file: str | None = None,
    models: dict[str, str] | None = None,
    lean: bool = False,
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent(parent_pid)
    if models:
        # a spawned worker starts from the package's defaults: the languages the caller mapped to their
        # own pipelines (register_model) must be mapped here too, or their articles go to the English one
        from tacitus.ingest.language import register_model

        for language, package in models.items():
            register_model(language, package)
    # the parent loaded the same pattern file first and said what it warns of, once
    warnings.filterwarnings("ignore", message=".*not in Tacitus's CAMEO table")
    try:
        from tacitus.lean import prepare
        from tacitus.pipeline import load_nlp

        nlp = load_nlp(actors_file, patterns_file)
        # before the first article, so its arrays already come from the tuned allocator; the parent hears
        # what is in effect (another language's pipeline, loaded later, is made lean when it is loaded)
        state = prepare(nlp) if lean else None
    except BaseException:  # noqa: BLE001 - the parent must hear why, whatever it was
        results.send(("fatal", traceback.format_exc(limit=3)))
        return
    results.send(("ready", state))
    while True:
        task = tasks.get()
        if task is None:
            return
        index, articles = task
        outcomes = _analyze_chunk(articles, actors_file, learned, patterns_file, lean)
        results.send(("done", (index, outcomes)))


# what a worker process runs; a test swaps in a stand-in that hangs (it must be importable by name)
WORKER_MAIN = _worker_main


class _Worker:
    """One worker process with its own task queue and result pipe, and the chunks it has not answered.

    Nothing is shared between workers: a process killed while it writes can hold a shared queue's lock
    forever and freeze the others, and with one queue the parent could not tell which chunks it took.
    """

    def __init__(
        self,
        ctx: Any,
        actors_file: str | None,
        learned: list[dict[str, Any]] | None,
        patterns_file: str | None = None,
        models: dict[str, str] | None = None,
        lean: bool = False,
    ) -> None:
        self.tasks = ctx.Queue()  # the parent's put never blocks (a feeder thread writes), so no deadlock
        self.conn, child_end = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(
            target=WORKER_MAIN,
            args=(self.tasks, child_end, os.getpid(), actors_file, learned, patterns_file, models, lean),
            name="tacitus-worker",
            daemon=True,
        )
        self.proc.start()
        child_end.close()  # the parent's copy: now the pipe reports EOF the moment the worker dies
        self.pid: int = self.proc.pid
        self.outstanding: list[int] = []
        self.ready = False
        self.busy_since: float | None = None  # when it began the chunk at the head of `outstanding`
        self.overdue = False  # killed by the parent for taking too long
        self.lean: dict[str, Any] | None = None  # what the worker said of its memory settings when ready


class _Pool:
    """The worker processes; :meth:`close` leaves nothing running."""

    def __init__(
        self,
        n_process: int,
        actors_file: str | None = None,
        learned: list[dict[str, Any]] | None = None,
        patterns_file: str | None = None,
        lean: bool = False,
    ) -> None:
        from tacitus.ingest.language import LANGUAGE_MODELS

        self.ctx = mp.get_context("spawn")
        self.models = dict(LANGUAGE_MODELS)  # as the caller left them, for workers started later too
        self.actors_file = actors_file
        self.patterns_file = patterns_file
        self.learned = learned
        self.lean = lean
        self.workers: dict[int, _Worker] = {}
        self.deaths = 0
        for _ in range(n_process):
            self.start_worker()

    def start_worker(self) -> None:
        worker = _Worker(self.ctx, self.actors_file, self.learned, self.patterns_file, self.models, self.lean)
        self.workers[worker.pid] = worker

    def send(self, index: int, chunk: list[Article]) -> None:
        worker = min(self.workers.values(), key=lambda w: len(w.outstanding))
        worker.tasks.put((index, chunk))
        worker.outstanding.append(index)
        if worker.busy_since is None:
            worker.busy_since = time.monotonic()

    def forget(self, worker: _Worker) -> None:
        self.workers.pop(worker.pid, None)
        worker.tasks.cancel_join_thread()
        worker.tasks.close()
        worker.conn.close()
        if worker.proc.is_alive():
            worker.proc.kill()
        worker.proc.join(_JOIN_SECONDS)

    def close(self, graceful: bool) -> None:
        workers = list(self.workers.values())
        for worker in workers:
            # The parent must never hang here: a queue's feeder thread blocks at exit while its pipe is full.
            worker.tasks.cancel_join_thread()
            if graceful:
                with contextlib.suppress(Exception):
                    worker.tasks.put(None)
        if graceful:
            for worker in workers:
                worker.proc.join(_JOIN_SECONDS)
        for worker in workers:
            if worker.proc.is_alive():
                worker.proc.terminate()
        for worker in workers:
            worker.proc.join(_JOIN_SECONDS)
            if worker.proc.is_alive():
                worker.proc.kill()
                worker.proc.join(_JOIN_SECONDS)
            worker.tasks.close()
            worker.conn.close()
        self.workers.clear()


def analyze_parallel(
    articles: Iterable[Article],
    *,
    n_process: int,
    chunk_size: int = 4,
    actors_file: str | None = None,
    learned: list[dict[str, Any]] | None = None,
    patterns_file: str | None = None,
    lean: bool = False,
) -> Iterator[Outcome]:
    """Analyse articles on ``n_process`` worker processes; yield ``(article, record or error)`` in order.

    Records hold every quote type; :func:`tacitus.pipeline.analyze_pairs` keeps the ones its caller asked
    for. ``lean``: the workers lower their peak memory (:mod:`tacitus.lean`), for the same records.

    Workers start when the first article arrives (a run with nothing to analyse starts none). An error is
    an :class:`AnalysisFailed` (or :class:`WorkerDied`) for that article alone. Closing the iterator, an
    exception or Ctrl-C in the caller stops every worker before the exception goes on. Workers are spawned,
    so a script that calls this must guard its entry point with ``if __name__ == "__main__":``.
    """
    stream = iter(articles)
    first = list(islice(stream, chunk_size))
    if not first:
        return
    pool = _Pool(n_process, actors_file, learned, patterns_file, lean)
    graceful = False
    try:
        yield from _run(pool, first, stream, n_process, chunk_size)
        graceful = True
    finally:
        pool.close(graceful)


def _run(
    pool: _Pool, first: list[Article], stream: Iterator[Article], n_process: int, chunk_size: int
) -> Iterator[Outcome]:
    pending: dict[int, list[Article]] = {}  # sent, not yet yielded
    finished: dict[int, list[Record | str | Exception]] = {}
    next_index = 0  # next chunk to send
    next_out = 0  # next chunk to yield
    exhausted = False
    chunk: list[Article] = first

    while True:
        while not exhausted and len(pending) < 2 * n_process:
            if not chunk:
                chunk = list(islice(stream, chunk_size))
            if not chunk:
                exhausted = True
                break
            pool.send(next_index, chunk)
            pending[next_index] = chunk
            next_index += 1
            chunk = []
        while next_out in finished:
            for article, outcome in zip(pending.pop(next_out), finished.pop(next_out), strict=True):
                yield article, (AnalysisFailed(outcome) if isinstance(outcome, str) else outcome)
            next_out += 1
        if exhausted and not pending:
            return
        by_conn = {w.conn: w for w in pool.workers.values()}
        for conn in wait(list(by_conn), timeout=_POLL_SECONDS):
            worker = by_conn[conn]
            try:
                kind, payload = conn.recv()
            except (EOFError, OSError, pickle.UnpicklingError):
                _bury(pool, worker, pending, finished)
                continue
            if kind == "fatal":
                raise AnalysisFailed(f"the analysis pipeline could not start in a worker process:\n{payload}")
            if kind == "ready":
                worker.ready, worker.lean = True, payload
                worker.busy_since = time.monotonic() if worker.outstanding else None  # loading is not work
                continue
            index, outcomes = payload
            if index in worker.outstanding:
                worker.outstanding.remove(index)
            worker.busy_since = time.monotonic() if worker.outstanding else None
            finished.setdefault(index, outcomes)
        _stop_overdue(pool, pending)


def _stop_overdue(pool: _Pool, pending: dict[int, list[Article]]) -> None:
    """Kill each worker that has spent more than its chunk's limit on it; the next wait() buries it."""
    budget = article_seconds()
    if budget is None:
        return
    now = time.monotonic()
    for worker in pool.workers.values():
        if worker.overdue or not worker.ready or worker.busy_since is None or not worker.outstanding:
            continue
        limit = OVERDUE_FACTOR * budget * len(pending.get(worker.outstanding[0], ()))
        if now - worker.busy_since > limit:
            worker.overdue = True
            worker.proc.kill()


def _bury(pool: _Pool, worker: _Worker, pending: dict[int, list[Article]], finished: dict[int, list]) -> None:
    pool.forget(worker)
    code = worker.proc.exitcode
    if not worker.ready:
        raise AnalysisFailed(
            f"a worker process could not start (exit code {code}). From a script, call analyze_batch(..., "
            'n_process=N) under `if __name__ == "__main__":` (workers are spawned and re-import it); '
            "otherwise run with one process to see the error"
        )
    if worker.overdue:  # stopped by the parent: only the chunk it was on is lost, the others go on
        head, *queued = worker.outstanding or [None]
        if head is not None:
            limit = OVERDUE_FACTOR * (article_seconds() or 0) * len(pending[head])
            finished[head] = [
                TimeBudgetExceeded(
                    f"the worker process analysing it was stopped after {limit:g} s on its chunk of "
                    f"{len(pending[head])} article(s), {OVERDUE_FACTOR:g} times their time budget; run it "
                    "again alone to see which article hangs"
                )
            ] * len(pending[head])
        pool.start_worker()
        for index in queued:
            if index not in finished:
                pool.send(index, pending[index])
        return
    pool.deaths += 1
    why = WorkerDied(
        f"the worker process analysing it died (exit code {code}); it may have run out of memory: "
        "run it again alone or with fewer --processes"
    )
    for index in worker.outstanding:
        if index not in finished:
            finished[index] = [why] * len(pending[index])
    if pool.deaths > 4 * (len(pool.workers) + 1):
        raise AnalysisFailed(
            f"worker processes keep dying ({pool.deaths} so far, last exit code {code}); "
            "check memory, or run with fewer --processes"
        )
    pool.start_worker()
