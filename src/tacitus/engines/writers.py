"""Dask workers that write what they analyse: a partition's records go from the worker to a Parquet dataset
or to a PostgreSQL store, instead of back to the client.

The client still reads, finds duplicates and learns boilerplate (:mod:`tacitus.engines.dask` says why);
with each partition it now sends a :class:`Partition`: the articles, their place in the input (``seq``)
and their :class:`~tacitus.store.publications.Provenance`, and where to write. :func:`write_partition`
analyses the articles as :func:`~tacitus.engines.dask_worker.analyze_partition` does, writes them, and hands
back for each a :class:`WrittenRecord`: the record without its actors, quotes, events, times and places
(the client needs only its id, text and boilerplate counts, to place the article's duplicates), with
what the write did (``stored_as``).

- **Parquet** (``tacitus process --out-parquet DIR``): one file per partition, ``part-000012.parquet``,
  written under a temporary name and renamed, so a worker killed while writing leaves no half file and a
  rerun of the same inputs overwrites the same names instead of adding to them. The schema is
  :func:`schemas` (``docs/dask.md`` documents it); ``tacitus load`` imports a dataset
  (:mod:`tacitus.datasets`).
- **PostgreSQL**: each worker opens the store once per run and writes each article in its own
  transaction through :meth:`tacitus.store.Store.write`, as the client would. Several writers stay
  consistent because every write transaction on PostgreSQL first takes one advisory lock
  (:data:`tacitus.store.WRITE_LOCK`): writes happen one at a time, in the order they reach the database,
  while analysis, the costly part, runs in parallel. A write that still meets a serialization failure or
  a deadlock is tried again (:data:`WRITE_TRIES`); an article already stored (same text hash) is
  ``skipped``, so a partition run again after its worker died stores nothing twice.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tacitus.model import Article, Record
from tacitus.store.publications import Provenance

# Version of the Parquet layout below, kept in each file's schema metadata: `tacitus load` refuses a
# dataset of another layout instead of misreading it.
PARQUET_LAYOUT = "1"
PART_PATTERN = "part-{:06d}.parquet"
DUPLICATES_PATTERN = "duplicates-{:06d}.parquet"
BOILERPLATE_FILE = "boilerplate.parquet"
RUN_KEY = b"tacitus.run"
# How many times a worker tries one article's write that PostgreSQL aborted for a serialization failure
# or a deadlock (SQLSTATE 40001, 40P01): the advisory lock makes both rare; each retry waits a little
# longer so the writers it raced finish first.
WRITE_TRIES = 4
_RETRY_SQLSTATES = ("40001", "40P01")
_RETRY_PAUSE = 0.2
# Heavy parts of a record the client does not need back once a worker has written it.
_DROPPED = ("actors", "quotes", "events", "times", "places")


def schemas() -> tuple[Any, Any, Any]:
    """The Arrow schemas of a dataset's files: records (``part-*``), duplicates, learned boilerplate."""
    import pyarrow as pa

    meta = {b"tacitus.layout": PARQUET_LAYOUT.encode()}
    records = pa.schema(
        [
            ("seq", pa.int64()),  # the article's place among the run's inputs: load stores in this order
            ("content_hash", pa.string()),  # SHA-256 of record.text: the store's identity of the article
            ("article_id", pa.string()),
            ("record", pa.string()),  # the full record, Record.to_json() (docs/record.md), text included
            ("article", pa.string()),  # the input article's other fields (meta, origin, ...), JSON, no text
            ("key", pa.string()),  # the publication key (tacitus.store.publications.publication_key)
            ("signature", pa.binary()),  # MinHash signature for duplicate checks (may be null)
            ("signature_size", pa.int64()),
            ("signature_scheme", pa.string()),
            ("band_scheme", pa.string()),
            ("bands", pa.list_(pa.int64())),  # band keys in band order (band i is element i)
            ("boilerplate_source", pa.string()),  # the source whose paragraph counts this article adds to
            ("lines", pa.list_(pa.string())),  # its paragraph keys
        ],
        metadata=meta,
    )
    duplicates = pa.schema(
        [
            ("seq", pa.int64()),
            ("original_hash", pa.string()),  # content_hash of the article it repeats
            ("key", pa.string()),
            ("kind", pa.string()),  # exact or near
            ("similarity", pa.float64()),
            ("article", pa.string()),  # the duplicate's fields, JSON, no text
        ],
        metadata=meta,
    )
    boilerplate = pa.schema(
        [("source", pa.string()), ("key", pa.string()), ("text", pa.string())], metadata=meta
    )
    return records, duplicates, boilerplate


@dataclass(frozen=True)
class Target:
    """Where workers write: ``kind`` ``parquet`` (``location`` a folder every worker can reach) or
    ``store`` (``location`` a PostgreSQL URL); ``reprocess`` replaces stored articles; ``run`` names the
    run in each Parquet file's metadata, so the client tells this run's files from older ones."""

    kind: str
    location: str
    reprocess: bool = False
    run: str = ""


@dataclass
class Item:
    """One article of a partition, with its place in the input and what the store keeps beside it."""

    article: Article
    seq: int
    provenance: Provenance


@dataclass
class Partition:
    """What :func:`write_partition` gets: the partition's index (its file name), target and items."""

    index: int
    target: Target
    items: list[Item]


@dataclass
class WrittenRecord(Record):
    """A record a worker wrote, lightened for the trip back; ``stored_as`` is what the write did
    (``inserted``, ``replaced``, ``skipped`` as :meth:`tacitus.store.Store.write` says, or ``written`` to
    Parquet)."""

    stored_as: str = "written"


def lighten(record: Record, status: str) -> WrittenRecord:
    """``record`` without its analysis lists, marked as written with ``status``."""
    values = {f.name: getattr(record, f.name) for f in dataclasses.fields(Record)}
    values.update({name: [] for name in _DROPPED})
    return WrittenRecord(**values, stored_as=status)


def article_json(article: Article) -> str:
    """An article's fields but its text, as JSON (its text is the record's, or not needed)."""
    fields = dataclasses.asdict(article)
    del fields["text"]
    return json.dumps(fields, ensure_ascii=False, default=str)


def article_from(data: str, text: str) -> Article:
    """The article :func:`article_json` wrote, with ``text``."""
    return Article(text=text, **json.loads(data))


def record_row(item: Item, record: Record) -> dict[str, Any]:
    """One row of the records schema (:func:`schemas`)."""
    from tacitus.model import content_hash

    prov = item.provenance
    return {
        "seq": item.seq,
        "content_hash": content_hash(record.text),
        "article_id": record.id,
        "record": record.to_json(),
        "article": article_json(item.article),
        "key": prov.key,
        "signature": prov.signature,
        "signature_size": prov.size,
        "signature_scheme": prov.scheme,
        "band_scheme": prov.band_scheme,
        "bands": [key for _, key in prov.bands],
        "boilerplate_source": prov.source,
        "lines": list(prov.lines),
    }


def write_table(
    folder: str | Path, name: str, rows: list[dict[str, Any]], schema: Any, run: str = ""
) -> Path:
    """Write ``rows`` as ``folder/name`` (``run`` in its metadata): under a temporary name first, then
    renamed over any older file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = schema.with_metadata({**(schema.metadata or {}), RUN_KEY: run.encode()})

    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), temporary)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def write_part(folder: str | Path, index: int, pairs: list[tuple[Item, Record]], run: str = "") -> Path:
    """Write one partition's analysed articles as ``part-<index>.parquet`` (an empty file when none was)."""
    rows = [record_row(i, r) for i, r in pairs]
    return write_table(folder, PART_PATTERN.format(index), rows, schemas()[0], run)


def run_of(path: Path) -> str | None:
    """The run that wrote a dataset file (:func:`write_table`), or ``None`` when it cannot be read."""
    import pyarrow.parquet as pq

    try:
        return (pq.read_schema(path).metadata or {}).get(RUN_KEY, b"").decode()
    except (OSError, ValueError):
        return None


# -- on the workers ------------------------------------------------------------------------------------

# run id -> {url: Store} in each worker process: a store is opened once per run, closed at teardown
_STORES: dict[str, dict[str, Any]] = {}


def forget_run(run_id: str) -> None:
    """Close the stores this worker opened for ``run_id`` (the Dask plugin's teardown calls it)."""
    for store in _STORES.pop(run_id, {}).values():
        store.close()


def _store(run_id: str, url: str) -> Any:
    from tacitus.store import open_store

    stores = _STORES.setdefault(run_id, {})
    if url not in stores:
        stores[url] = open_store(url)
    return stores[url]


def _retryable(error: BaseException) -> bool:
    orig = getattr(error, "orig", None) or getattr(error.__cause__, "orig", None)
    return getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES


def store_one(store: Any, item: Item, record: Record, reprocess: bool) -> str:
    """:meth:`tacitus.store.Store.write` of one article, tried again on a serialization failure or deadlock."""
    from tacitus.errors import StoreUnavailable

    for attempt in range(WRITE_TRIES):
        try:
            return store.write(record, item.article, reprocess=reprocess, provenance=item.provenance)
        except StoreUnavailable as error:
            if attempt + 1 == WRITE_TRIES or not _retryable(error):
                raise
            time.sleep(_RETRY_PAUSE * (attempt + 1))
    raise AssertionError("unreachable")


def write_partition(run_id: str, partition: Partition) -> list[Record | str]:
    """A Dask task: analyse the partition's articles, write them to its target, and return for each a
    :class:`WrittenRecord` or the reason it failed (analysis, or a store that refused it)."""
    from tacitus.engines.dask_worker import analyze_partition
    from tacitus.store import RecordRejected

    outcomes = analyze_partition(run_id, [item.article for item in partition.items])
    target = partition.target
    pairs = [(i, o) for i, o in zip(partition.items, outcomes, strict=True) if isinstance(o, Record)]
    if target.kind == "parquet":
        write_part(target.location, partition.index, pairs, target.run)
        return [lighten(o, "written") if isinstance(o, Record) else o for o in outcomes]
    store = _store(run_id, target.location)
    status: dict[int, Record | str] = {}
    for item, record in pairs:
        try:
            status[item.seq] = lighten(record, store_one(store, item, record, target.reprocess))
        except RecordRejected as error:
            status[item.seq] = f"could not be stored: {error}"
    return [
        status.get(i.seq, o) if isinstance(o, Record) else o
        for i, o in zip(partition.items, outcomes, strict=True)
    ]


# -- on the client -------------------------------------------------------------------------------------


def partition_payload(target: Target, gate: Any) -> Any:
    """What :func:`tacitus.engines.dask.analyze_dask` sends with a partition for :func:`write_partition`:
    each article with its ``seq`` and provenance, from the run's :class:`tacitus.batch.Gate`."""
    from tacitus.batch import provenance

    def payload(index: int, articles: list[Article]) -> Partition:
        items = []
        for article in articles:
            ready = gate.ready_for(article)
            if ready is None:  # every article analysed comes through the gate: a bug, not an input
                raise AssertionError(f"{article.origin or article.id}: not an article of this run's gate")
            items.append(Item(article, ready.seq, provenance(ready)))
        return Partition(index, target, items)

    return payload


def worker_writes(engine: str, store: Any, gate: Any, reprocess: bool) -> dict[str, Any]:
    """The ``task`` and ``payload`` that make Dask workers store their partitions in ``store`` themselves:
    on PostgreSQL, which many machines can write at once; none (the client stores) on SQLite, one writer."""
    if engine != "dask" or store.engine.dialect.name != "postgresql":
        return {}
    url = store.engine.url.render_as_string(hide_password=False)  # workers need the password
    return {"task": write_partition, "payload": partition_payload(Target("store", url, reprocess), gate)}
