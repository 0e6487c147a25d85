"""Where the Dask engine's results go besides the client: a Parquet dataset that `tacitus load` stores as
`tacitus process` would have, workers writing to PostgreSQL themselves, and a scheduler lost mid-run.

Each test compares stores by what a run decides (records, publications, counts: test_engine_dask's
`_contents`) and by the event and quote clusters (which mentions are grouped, and their counts)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import test_engine_dask as base
from tacitus import jobs
from tacitus.datasets import MANIFEST, load, process_to_parquet
from tacitus.errors import NoInputs

# test_engine_dask's fixtures: its corpus of real news, its scheduler and two workers, a fresh database
corpus, cluster, pg_url, small_partitions = base.corpus, base.cluster, base.pg_url, base.small_partitions
N_ARTICLES = base.N_ARTICLES
_contents = base._contents

ROOT = Path(__file__).resolve().parents[1]


def _clusters(db: str) -> dict[str, list]:
    """Each event and quote cluster as the set of its mentions (article text hash, mention id) with its
    counts: independent of primary keys, so two stores written in another order compare."""
    from tacitus.store import open_store

    out: dict[str, list] = {}
    with open_store(db) as store, store.engine.connect() as connection:
        for kind, table, mention, counts in (
            ("events", "event_clusters", "event_id", "n_mentions, c.n_articles, c.n_sources"),
            ("quotes", "quote_clusters", "quote_id", "n_quotes, c.n_articles, c.n_sources"),
        ):
            rows = connection.execute(
                sa.text(
                    f"SELECT m.cluster_pk, a.content_hash, m.{mention}, c.{counts} FROM {kind} m "
                    f"JOIN articles a ON a.pk = m.article_pk JOIN {table} c ON c.pk = m.cluster_pk"
                )
            ).all()
            groups: dict[int, tuple[set, tuple]] = {}
            for pk, digest, mention_id, *numbers in rows:
                groups.setdefault(pk, (set(), tuple(numbers)))[0].add((digest, mention_id))
            out[kind] = sorted((sorted(members), numbers) for members, numbers in groups.values())
    return out


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three sample articles and a copy of the first from another outlet (a duplicate to store as one)."""
    lines = (ROOT / "samples" / "articles.jsonl").read_text(encoding="utf-8").splitlines()[:3]
    copy = {**json.loads(lines[0]), "id": "sample-copy", "source": "Another Outlet"}
    path = tmp_path_factory.mktemp("samples") / "in.jsonl"
    path.write_text("\n".join([*lines, json.dumps(copy)]) + "\n", encoding="utf-8")
    return path


# -- Parquet, written here (the local engine) -----------------------------------------------------------


def test_a_parquet_dataset_loads_into_the_store_that_process_makes(samples: Path, tmp_path: Path):
    direct = tmp_path / "direct.db"
    assert jobs.process([samples], direct).duplicates == 1
    folder = tmp_path / "ds"
    report = process_to_parquet([samples], folder)
    assert (report.written, report.duplicates) == (3, 1) and not report.skipped
    files = sorted(p.name for p in folder.iterdir())
    assert files == sorted(
        ["boilerplate.parquet", "duplicates-000000.parquet", MANIFEST, "part-000000.parquet"]
    )

    loaded = tmp_path / "loaded.db"
    first = load(folder, loaded)
    assert first.stored == {"inserted": 3, "duplicate": 1} and first.duplicates == 1
    assert _contents(str(loaded)) == _contents(str(direct))
    assert _clusters(str(loaded)) == _clusters(str(direct))
    # loading again finds every publication stored: nothing is written twice
    again = load(folder, loaded)
    assert again.stored == {"unchanged": 4}
    assert _contents(str(loaded)) == _contents(str(direct))

    # a rerun writes the same names over the old files and removes what an earlier run left that it did
    # not write again; a run that stops before its end leaves no manifest, and load then says what to do
    (folder / "part-000000.parquet").rename(folder / "part-000007.parquet")
    process_to_parquet([samples], folder)
    assert sorted(p.name for p in folder.iterdir()) == files
    (folder / MANIFEST).unlink()
    with pytest.raises(NoInputs, match="did not finish.*run the same `tacitus process --out-parquet`"):
        load(folder, tmp_path / "never.db")
    assert not (tmp_path / "never.db").exists()


def test_the_cli_writes_a_dataset_and_loads_it(samples: Path, tmp_path: Path):
    from typer.testing import CliRunner

    from tacitus.cli import app

    folder = tmp_path / "ds"
    result = CliRunner().invoke(app, ["process", str(samples), "--out-parquet", str(folder)])
    assert result.exit_code == 0, result.output
    assert "3 record(s) and 1 duplicate(s) written to" in result.output
    result = CliRunner().invoke(app, ["load", str(folder), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 0, result.output
    assert "1 duplicate, 3 inserted" in result.output
    result = CliRunner().invoke(app, ["load", str(tmp_path / "missing"), "--db", str(tmp_path / "y.db")])
    assert result.exit_code == 2 and "no such folder" in result.output


def test_a_worker_write_aborted_by_a_serialization_failure_or_deadlock_is_tried_again(monkeypatch):
    from tacitus.engines import writers
    from tacitus.errors import StoreUnavailable
    from tacitus.model import Article, Record
    from tacitus.store.publications import Provenance

    class Orig(Exception):
        def __init__(self, sqlstate: str) -> None:
            super().__init__(f"SQLSTATE {sqlstate}")
            self.sqlstate = sqlstate

    class Store:  # fails with each state in turn, as Store.write reports a database fault, then stores
        def __init__(self, states: list[str]) -> None:
            self.states = states
            self.calls = 0

        def write(self, record: Record, article: Article, **kwargs: object) -> str:
            self.calls += 1
            if self.states:
                error = sa.exc.OperationalError("INSERT", {}, Orig(self.states.pop(0)))
                raise StoreUnavailable("cannot write to database x") from error
            return "inserted"

    monkeypatch.setattr(writers, "_RETRY_PAUSE", 0)
    item = writers.Item(Article(text="t"), 0, Provenance(key="k"))
    record = Record(id="a", text="t")
    store = Store(["40001", "40P01"])
    assert writers.store_one(store, item, record, False) == "inserted" and store.calls == 3
    # bounded: a write that keeps failing stops the partition, which Dask then retries elsewhere
    store = Store(["40001"] * writers.WRITE_TRIES)
    with pytest.raises(StoreUnavailable):
        writers.store_one(store, item, record, False)
    assert store.calls == writers.WRITE_TRIES
    # any other fault (a full disk, a dropped table) is not tried again
    store = Store(["53100"])
    with pytest.raises(StoreUnavailable):
        writers.store_one(store, item, record, False)
    assert store.calls == 1


# -- a cluster started here: workers write -------------------------------------------------------------


@pytest.fixture(scope="module")
def one_db(corpus: Path, tmp_path_factory: pytest.TempPathFactory, cluster: str) -> str:
    """The corpus stored by the local engine in one process (the cluster loads meanwhile)."""
    db = tmp_path_factory.mktemp("reference") / "one.db"
    assert not jobs.process([corpus], db).skipped
    return str(db)


def _no_client_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make this process (the client) unable to write a record or a partition file: what is found
    written was written by the workers."""
    from tacitus.engines import writers
    from tacitus.store import Store

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the client wrote what a worker should have")

    monkeypatch.setattr(Store, "write", refuse)
    monkeypatch.setattr(writers, "write_part", refuse)


def test_dask_workers_write_the_parquet_dataset_and_a_rerun_overwrites_it(
    corpus: Path, cluster: str, one_db: str, small_partitions: None, tmp_path: Path, monkeypatch
):
    folder = tmp_path / "ds"
    with monkeypatch.context() as patch:
        _no_client_writes(patch)
        report = process_to_parquet([corpus], folder, engine="dask", scheduler=cluster)
    assert not report.skipped and report.written + report.duplicates == N_ARTICLES
    parts = sorted(p.name for p in folder.glob("part-*.parquet"))
    n_parts = -(-report.written // 2)  # partitions of two analysed articles
    assert parts == [f"part-{i:06d}.parquet" for i in range(n_parts)]
    assert json.loads((folder / MANIFEST).read_text())["parts"] == parts

    stamps = {p: p.stat().st_mtime_ns for p in folder.glob("part-*.parquet")}
    process_to_parquet([corpus], folder, engine="dask", scheduler=cluster)
    assert sorted(p.name for p in folder.glob("part-*.parquet")) == parts  # the same names, none added
    assert all(p.stat().st_mtime_ns > t for p, t in stamps.items())  # each written again

    loaded = tmp_path / "loaded.db"
    load(folder, loaded)
    assert _contents(str(loaded)) == _contents(one_db)
    assert _clusters(str(loaded)) == _clusters(one_db)


def test_two_dask_workers_store_in_postgresql_what_one_process_stores(
    corpus: Path, cluster: str, pg_url: str, one_db: str, small_partitions: None, monkeypatch
):
    with monkeypatch.context() as patch:
        _no_client_writes(patch)
        report = jobs.process([corpus], pg_url, engine="dask", scheduler=cluster)
    assert report.read == N_ARTICLES and not report.skipped
    assert report.stored.get("inserted", 0) + report.duplicates == N_ARTICLES
    assert _contents(pg_url) == _contents(one_db)
    with sa.create_engine(pg_url).connect() as connection:
        hashes = connection.execute(sa.text("SELECT content_hash FROM articles")).scalars().all()
        keys = connection.execute(sa.text("SELECT key FROM publications")).scalars().all()
    assert len(hashes) == len(set(hashes)) and len(keys) == len(set(keys)) == N_ARTICLES
    # the rerun skips every article by its publication before analysis
    assert jobs.process([corpus], pg_url, engine="dask", scheduler=cluster).stored == {
        "unchanged": N_ARTICLES
    }
    # workers wrote in the order their partitions finished, yet the clusters are those of one writer
    assert _clusters(pg_url) == _clusters(one_db)


def _write_unless_poison(run_id: str, partition: object) -> list:
    """A partition task that dies with its worker when it meets the article named "poison"."""
    from tacitus.engines.writers import write_partition

    if any(item.article.id == "poison" for item in partition.items):
        os.kill(os.getpid(), signal.SIGKILL)
    return write_partition(run_id, partition)


def test_a_partition_lost_this_run_leaves_no_file_of_an_earlier_run_in_the_dataset(
    samples: Path, cluster: str, tmp_path: Path, monkeypatch
):
    import dask

    import tacitus.datasets

    folder = tmp_path / "ds"
    rows = samples.read_text(encoding="utf-8").splitlines()
    poisoned = tmp_path / "poisoned.jsonl"  # the same texts, the third article (the last analysed) renamed
    poisoned.write_text("\n".join([*rows[:2], json.dumps({**json.loads(rows[2]), "id": "poison"}), rows[3]]))
    with dask.config.set({"tacitus.partition-size": 1}):
        process_to_parquet([samples], folder, engine="dask", scheduler=cluster)
        assert sorted(p.name for p in folder.glob("part-*")) == [f"part-00000{i}.parquet" for i in range(3)]
        monkeypatch.setattr(tacitus.datasets, "write_partition", _write_unless_poison)
        report = process_to_parquet([poisoned], folder, engine="dask", scheduler=cluster)
    assert [origin for origin, _ in report.skipped] == [f"{poisoned}:3"]
    assert "died each time it was tried" in report.skipped[0][1]
    # the earlier run's part-000002 held the poisoned article's record: it is gone, not loaded as this run's
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["parts"] == ["part-000000.parquet", "part-000001.parquet"]
    assert sorted(p.name for p in folder.glob("part-*")) == manifest["parts"]
    loaded = load(folder, tmp_path / "loaded.db")
    assert loaded.stored == {"inserted": 2, "duplicate": 1}


# -- a scheduler lost mid-run ----------------------------------------------------------------------------


def _articles_in(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM articles")).scalar_one()
    except sa.exc.SQLAlchemyError:
        return 0  # not made yet
    finally:
        engine.dispose()


@pytest.fixture
def doomed_cluster() -> Iterator[tuple[str, subprocess.Popen]]:
    """A `dask scheduler` and one `dask worker` of their own, for a test that kills the scheduler."""
    port = base._free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    scheduler = subprocess.Popen(
        [
            base.BIN / "dask",
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--dashboard-address",
            ":0",
        ],
        **quiet,
    )
    worker = subprocess.Popen(
        [base.BIN / "dask", "worker", address, "--nthreads", "1", "--dashboard-address", ":0"], **quiet
    )
    try:
        yield address, scheduler
    finally:
        base._stop(worker)
        base._stop(scheduler)


def test_a_lost_scheduler_stops_the_run_with_a_message_and_the_rerun_completes(
    corpus: Path, doomed_cluster: tuple, cluster: str, pg_url: str, one_db: str
):
    address, scheduler = doomed_cluster
    command = [str(base.BIN / "tacitus"), "process", str(corpus), "--db", pg_url, "--engine", "dask"]
    env = {**os.environ, "DASK_TACITUS__PARTITION_SIZE": "2"}
    client = subprocess.Popen(
        [*command, "--scheduler", address], stderr=subprocess.PIPE, text=True, env=env, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 150
        while time.monotonic() < deadline and client.poll() is None and _articles_in(pg_url) == 0:
            time.sleep(0.3)
        assert client.poll() is None, client.stderr.read()
        os.killpg(scheduler.pid, signal.SIGKILL)  # the worker wrote an article: the scheduler goes
        lost = time.monotonic()
        _, stderr = client.communicate(timeout=90)
    finally:
        base._stop(client)
    # the client gives the scheduler its reconnection window (20 s), then stops with one line
    assert time.monotonic() - lost < 60
    assert client.returncode == 2, stderr
    assert f"lost the Dask scheduler at {address}" in stderr and "run the same command again" in stderr
    assert "Traceback" not in stderr
    first = _articles_in(pg_url)
    assert 0 < first < N_ARTICLES

    # the same command on a cluster that runs (here the module's) stores the rest, nothing twice
    done = jobs.process([corpus], pg_url, engine="dask", scheduler=cluster)
    assert not done.skipped and done.stored["unchanged"] >= first
    # every article once, with its text and publications; the analysis itself may differ from one run's:
    # the rerun knows the people the first articles named with their title (tacitus.kb.learned), as any
    # resumed run does, and codes them in the articles it analyses
    resumed, whole = _contents(pg_url), _contents(one_db)
    assert resumed["publications"] == whole["publications"]
    assert {k: r["text"] for k, r in resumed["records"].items()} == {
        k: r["text"] for k, r in whole["records"].items()
    }
    assert resumed["summary"]["articles"] == whole["summary"]["articles"]
    with sa.create_engine(pg_url).connect() as connection:
        hashes = connection.execute(sa.text("SELECT content_hash FROM articles")).scalars().all()
        keys = connection.execute(sa.text("SELECT key FROM publications")).scalars().all()
    assert len(hashes) == len(set(hashes)) and len(keys) == len(set(keys)) == N_ARTICLES
