"""Analysed articles as a Parquet dataset: ``tacitus process --out-parquet DIR`` writes one, ``tacitus load
DIR --db DB`` stores it.

A dataset is what a run would have stored, kept in files a cluster's workers can write side by side
(:mod:`tacitus.engines.writers` has the schemas; ``docs/dask.md`` documents them):

- ``part-000000.parquet``, ``part-000001.parquet``, ...: the analysed articles of each partition, in
  input order, written by the Dask worker that analysed them (by this process on the local engine);
- ``duplicates-000000.parquet``, ...: the articles found to repeat an earlier one, written here (the
  client finds duplicates), :data:`DUPLICATES_PER_FILE` to a file;
- ``boilerplate.parquet``: the text of the lines learned as boilerplate;
- ``tacitus-dataset.json``: written last, when the run is complete: which files make the dataset. A run
  removes it first, so a dataset whose run was interrupted is not loaded half done: run the same command
  again, which writes the same file names over the old ones (each file's metadata names the run that
  wrote it: files an earlier run left, and this one did not write again, are removed at the end).

Duplicates and learned boilerplate are found over the run's own articles (no store is consulted), so
loading a dataset into an empty store gives what ``tacitus process`` into that store gives; into a store
that holds articles already, those with the same text or publication are skipped.
"""

from __future__ import annotations

import heapq
import json
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from tacitus.engines.writers import (
    BOILERPLATE_FILE,
    DUPLICATES_PATTERN,
    PARQUET_LAYOUT,
    Item,
    Target,
    article_from,
    article_json,
    partition_payload,
    run_of,
    schemas,
    write_part,
    write_partition,
    write_table,
)
from tacitus.errors import NoInputs
from tacitus.runs import Progress, RunOptions, RunReport

MANIFEST = "tacitus-dataset.json"
# Duplicate rows per file: a duplicate is a few hundred bytes, so a file stays small while a corpus of
# millions does not make thousands of files.
DUPLICATES_PER_FILE = 50_000
# Records per file when this process writes them (the local engine): Dask's partitions are 16 articles
# for reasons of scheduling (tacitus.engines.dask.PARTITION_SIZE); here only the number of files matters,
# and 256 records (a few MB) keep it small while one file never holds much in memory.
LOCAL_PART_SIZE = 256


class _Files:
    """The files a run writes from this process: duplicates (and, on the local engine, partitions)."""

    def __init__(self, folder: Path, partition_size: int, run: str) -> None:
        self.folder = folder
        self.run = run
        self.partition_size = partition_size
        self.duplicates: list[dict[str, Any]] = []
        self.n_duplicate_files = 0
        self.pairs: list[tuple[Item, Any]] = []
        self.n_parts = 0  # on the local engine; the Dask payload counts its own

    def add_duplicate(self, row: dict[str, Any]) -> None:
        self.duplicates.append(row)
        if len(self.duplicates) >= DUPLICATES_PER_FILE:
            self.flush_duplicates()

    def flush_duplicates(self) -> None:
        if self.duplicates:
            name = DUPLICATES_PATTERN.format(self.n_duplicate_files)
            write_table(self.folder, name, self.duplicates, schemas()[1], self.run)
            self.n_duplicate_files += 1
            self.duplicates = []

    def add_record(self, item: Item, record: Any) -> None:
        self.pairs.append((item, record))
        if len(self.pairs) >= self.partition_size:
            self.flush_records()

    def flush_records(self) -> None:
        if self.pairs:
            write_part(self.folder, self.n_parts, self.pairs, self.run)
            self.n_parts += 1
            self.pairs = []


def _prepare_folder(folder: str | Path) -> Path:
    path = Path(folder).expanduser()
    if path.exists() and not path.is_dir():
        raise NoInputs(f"--out-parquet {folder}: a file, not a folder; give a folder for the dataset")
    if not path.parent.is_dir():
        raise NoInputs(f"--out-parquet {folder}: folder {path.parent} does not exist; create it first")
    path.mkdir(exist_ok=True)
    (path / MANIFEST).unlink(missing_ok=True)  # the dataset is incomplete until this run finishes
    return path.resolve()


def process_to_parquet(
    sources: Iterable[str | Path],
    folder: str | Path,
    *,
    stdin: IO | None = None,
    progress: Progress | None = None,
    report: RunReport | None = None,
    **options: Any,
) -> RunReport:
    """Analyse the inputs into a Parquet dataset in ``folder`` (module docstring); ``options`` are
    :class:`~tacitus.runs.RunOptions`' fields, as for :func:`tacitus.jobs.process`. On ``dask`` each worker
    writes the partitions it analysed (``folder`` must then be a path every worker reaches: a shared disk);
    on ``local`` this process writes them. ``report.written`` counts the records, ``report.duplicates`` the
    duplicates."""
    from tacitus.batch import Gate, Repeated, learned_removed, provenance

    opts = RunOptions(**options).checked()
    engine = opts.engine
    path = _prepare_folder(folder)
    report = report if report is not None else RunReport()
    report.database = str(path)
    articles = opts.read(sources, report, stdin)
    preparer = opts.preparer()
    gate = Gate(preparer, on_dropped=lambda a, reason: report.skip(a.origin or str(a.id), reason))
    run = uuid.uuid4().hex[:12]
    files = _Files(path, LOCAL_PART_SIZE, run)
    tasks: dict[str, Any] = {}
    if engine == "dask":
        payload = partition_payload(Target("parquet", str(path), run=run), gate)
        tasks = {"task": write_partition, "payload": payload}

    def emit(outputs: list) -> None:
        for out in outputs:
            if isinstance(out, Repeated):
                dup = out.duplicate
                name = dup.article.origin or str(dup.article.id)
                if out.original_hash is None:
                    report.skip(name, f"{name}: a duplicate of an article that could not be analysed")
                    continue
                files.add_duplicate(_duplicate_row(out))
                report.duplicates += 1
            else:
                if engine != "dask":
                    files.add_record(
                        Item(out.ready.article, out.ready.seq, provenance(out.ready)), out.record
                    )
                report.written += 1
                report.boilerplate_dropped += learned_removed(out.record)
            if progress:
                progress(1)

    for article, record in opts.analyse(articles, report, gate, **tasks):
        emit(gate.done(article, record))
    emit(gate.finish())
    files.flush_records()
    files.flush_duplicates()
    rows = []
    if opts.learn_boilerplate:
        for source in preparer.model.sources():
            rows += [{"source": source, "key": k, "text": t} for k, t in preparer.model.lines(source).items()]
    write_table(path, BOILERPLATE_FILE, rows, schemas()[2], run)
    _finish(path, run)
    return report


def _duplicate_row(out: Any) -> dict[str, Any]:
    from tacitus.store.publications import key_of

    dup = out.duplicate
    return {
        "seq": dup.seq,
        "original_hash": out.original_hash,
        "key": key_of(dup.article, dup.input_hash),
        "kind": out.kind,
        "similarity": round(dup.similarity.jaccard, 3),
        "article": article_json(dup.article),
    }


def _index(file: Path) -> int:
    """The index in a file's name (``part-000012.parquet``: 12): past a million, names sort otherwise."""
    return int(file.stem.rsplit("-", 1)[1])


def _finish(path: Path, run: str) -> None:
    """List this run's files in the manifest and remove those an earlier run left (an index this run
    did not write again: a longer input, or a partition lost this time, whose articles were reported)."""
    from tacitus import __version__

    kept: dict[str, list[str]] = {"part": [], "duplicates": []}
    for kind in kept:
        for file in sorted(path.glob(f"{kind}-*.parquet"), key=_index):
            if run_of(file) == run:
                kept[kind].append(file.name)
            else:
                file.unlink()
    manifest = {
        "layout": PARQUET_LAYOUT,
        "tacitus_version": __version__,
        "run": run,
        "parts": kept["part"],
        "duplicates": kept["duplicates"],
        "boilerplate": BOILERPLATE_FILE,
    }
    (path / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")


# -- loading -------------------------------------------------------------------------------------------


def _manifest(path: Path) -> dict[str, Any]:
    if not path.is_dir():
        raise NoInputs(f"{path}: no such folder; give the folder `tacitus process --out-parquet` wrote")
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NoInputs(
            f"{path}: no {MANIFEST}, so the run that wrote this dataset did not finish (or this is not a "
            "Tacitus dataset); run the same `tacitus process --out-parquet` command again to complete it"
        ) from None
    if str(manifest.get("layout")) != PARQUET_LAYOUT:
        raise NoInputs(
            f"{path}: dataset layout {manifest.get('layout')!r}, this Tacitus reads layout {PARQUET_LAYOUT}; "
            f"load it with tacitus {manifest.get('tacitus_version')} or write it again with this version"
        )
    return manifest


def _read(path: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as error:
        raise NoInputs(f"{path}: cannot read it as Parquet ({error}); write the dataset again") from None
    layout = (table.schema.metadata or {}).get(b"tacitus.layout", b"").decode()
    if layout != PARQUET_LAYOUT:
        raise NoInputs(f"{path}: not a Tacitus dataset file of layout {PARQUET_LAYOUT}; write it again")
    return table.to_pylist()


def dataset_rows(folder: str | Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The rows of a complete dataset in input order: ``("record", row)`` and ``("duplicate", row)``.
    Partitions are read one at a time; duplicates (small rows) all at once."""
    path = Path(folder).expanduser()
    manifest = _manifest(path)
    duplicates = []
    for name in manifest["duplicates"]:
        duplicates += _read(path / name)
    duplicates.sort(key=lambda row: row["seq"])

    def records() -> Iterator[dict[str, Any]]:
        for name in manifest["parts"]:  # in index order: partitions follow the input
            yield from sorted(_read(path / name), key=lambda row: row["seq"])

    tagged = heapq.merge(
        (("record", row) for row in records()),
        (("duplicate", row) for row in duplicates),
        key=lambda pair: pair[1]["seq"],
    )
    yield from tagged


def load(
    folder: str | Path,
    db: str | Path,
    *,
    progress: Progress | None = None,
    report: RunReport | None = None,
) -> RunReport:
    """Store a dataset (module docstring) in ``db``, in input order, as ``tacitus process`` would have:
    each record with its provenance (publication, signature, boilerplate counts; clusters as it goes),
    each duplicate as another publication of the article it repeats, and the learned boilerplate's text.
    A publication already stored is counted ``unchanged``, an article whose text is, too."""
    from tacitus.model import Record
    from tacitus.store import RecordRejected, open_store
    from tacitus.store.publications import Provenance

    path = Path(folder).expanduser()
    _manifest(path)  # fail before the store is created
    store = open_store(db)
    report = report if report is not None else RunReport()
    report.database = store.url
    with store:
        for kind, row in dataset_rows(path):
            report.read += 1
            name = row["key"]
            try:
                if store.publication_status(row["key"]):
                    status = "unchanged"
                elif kind == "record":
                    record = Record.from_json(row["record"])
                    name = record.id or row["content_hash"][:12]
                    provenance = Provenance(
                        key=row["key"],
                        signature=row["signature"],
                        size=row["signature_size"] or 0,
                        scheme=row["signature_scheme"],
                        source=row["boilerplate_source"],
                        lines=row["lines"] or (),
                        bands=list(enumerate(row["bands"] or ())),
                        band_scheme=row["band_scheme"],
                    )
                    article = article_from(row["article"], record.text)
                    status = store.write(record, article, provenance=provenance)
                else:
                    article = article_from(row["article"], "")
                    name = article.origin or str(article.id)
                    status = store.add_publication(
                        row["original_hash"],
                        article,
                        key=row["key"],
                        kind=row["kind"],
                        similarity=row["similarity"],
                    )
                    report.duplicates += status == "duplicate"
            except RecordRejected as error:
                report.skip(name, f"could not be stored: {error}")
                continue
            report.count("unchanged" if status == "skipped" else status)
            if progress:
                progress(1)
        report.all_read = True
        texts: dict[str, dict[str, str]] = {}
        for row in _read(path / BOILERPLATE_FILE):
            texts.setdefault(row["source"], {})[row["key"]] = row["text"]
        for source, lines in texts.items():
            store.remember_boilerplate(source, lines)
    return report
