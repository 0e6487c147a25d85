"""The Dask engine: the same records as one process, on a real scheduler and workers started here, into
PostgreSQL; a worker killed mid-run or a partition that kills every worker costs nothing else and stores
nothing twice; Ctrl-C on a local cluster leaves no process behind and the same command resumes."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from tacitus import jobs
from tacitus.errors import EngineUnavailable

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"
BIN = Path(sys.executable).parent
PG_SERVER = os.environ.get("TACITUS_TEST_PG_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
N_ARTICLES = 12  # real news, enough for several partitions of 2 on two workers, few enough to stay fast

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find processes")


# -- fixtures --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first AllSides articles as JSONL (their own text, ids and dates)."""
    path = tmp_path_factory.mktemp("corpus") / "allsides.jsonl"
    with gzip.open(CORPUS, "rt", encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        for _, line in zip(range(N_ARTICLES), lines, strict=False):
            row = json.loads(line)
            keep = {k: row[k] for k in ("id", "title", "url", "source", "text")}
            out.write(json.dumps({**keep, "published": row["date"]}) + "\n")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop(proc: subprocess.Popen) -> None:
    """Stop a process started in its own session, with everything it started."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if proc.poll() is not None:
            break
        os.killpg(proc.pid, sig)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):  # a nanny's worker may outlive a killed nanny
        os.killpg(proc.pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """A real `dask scheduler` and two `dask worker` processes (one thread each) on free local ports.

    The scheduler gives up on a partition after its workers died twice (allowed-failures 1), so the test
    of a partition that kills every worker stays short."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    # the workers import this file for the task that kills them (test_a_partition_that_kills_...)
    path = os.pathsep.join(p for p in (str(Path(__file__).parent), os.environ.get("PYTHONPATH")) if p)
    # worker-saturation 1.0 as the engine's local cluster and docs/dask.md set it: no partition waits on a
    # worker that the poisonous one kills (with Dask's 1.1, article 2 was sometimes reported lost with it)
    env = {
        **os.environ,
        "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1",
        "DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION": "1.0",
        "PYTHONPATH": path,
    }
    procs = [
        subprocess.Popen(
            [
                BIN / "dask",
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--dashboard-address",
                ":0",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    ]
    for n in range(2):
        procs.append(
            subprocess.Popen(
                [BIN / "dask", "worker", address, "--nthreads", "1", "--memory-limit", "2GiB",
                 "--dashboard-address", ":0", "--name", f"w{n}"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
        )  # fmt: skip
    try:
        from distributed import Client

        with Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database on the local server for one test, dropped afterwards."""
    name = f"tacitus_dask_{os.getpid()}_{time.monotonic_ns() % 10**9}"
    server = sa.create_engine(PG_SERVER, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    with server.connect() as connection:
        connection.execute(sa.text(f"CREATE DATABASE {name}"))
    try:
        yield PG_SERVER.rsplit("/", 1)[0] + "/" + name
    finally:
        with server.connect() as connection:
            connection.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        server.dispose()


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory, cluster: str) -> dict:
    """The corpus stored by the local engine in one process (the cluster loads meanwhile)."""
    db = tmp_path_factory.mktemp("reference") / "one.db"
    report = jobs.process([corpus], db)
    assert not report.skipped
    return _contents(str(db))


def _contents(db: str) -> dict:
    """What a store holds that a run decides: each record, each publication, and the counts."""
    from tacitus.store import open_store

    with open_store(db) as store:
        records = {r.id: r.to_dict() for r in store.records()}
        publications = sorted(
            tuple(sorted((k, str(v)) for k, v in p.items() if k != "added_at")) for p in store.publications()
        )
        summary = store.summary()
    return {"records": records, "publications": publications, "summary": summary}


@pytest.fixture
def small_partitions() -> Iterator[None]:
    """Partitions of two articles, so a short corpus still makes many tasks to spread and lose."""
    import dask

    with dask.config.set({"tacitus.partition-size": 2}):
        yield


# -- a cluster started here, PostgreSQL ------------------------------------------------------------------


def test_cluster_stores_in_postgresql_what_one_process_stores(
    corpus: Path, cluster: str, pg_url: str, reference: dict, small_partitions: None
):
    report = jobs.process([corpus], pg_url, engine="dask", scheduler=cluster)
    assert report.read == N_ARTICLES and not report.skipped
    assert report.stored.get("inserted", 0) + report.duplicates == N_ARTICLES
    assert _contents(pg_url) == reference
    # the rerun finds every article by its text hash and analyses nothing (no partition is even sent)
    again = jobs.process([corpus], pg_url, engine="dask", scheduler=cluster)
    assert again.stored == {"unchanged": N_ARTICLES}
    assert _contents(pg_url) == reference


def _worker_pids(address: str) -> dict[str, int]:
    from distributed import Client

    with Client(address, timeout=30) as client:
        client.wait_for_workers(2, timeout=60)
        return client.run(os.getpid)


def test_a_worker_killed_mid_run_loses_nothing_and_stores_nothing_twice(
    corpus: Path, cluster: str, pg_url: str, reference: dict, small_partitions: None
):
    pids = _worker_pids(cluster)
    victim = sorted(pids.values())[0]
    killed: list[int] = []

    def kill_on_first_result(n: int) -> None:
        if not killed:  # the first article is stored: partitions are out on both workers
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    report = jobs.process([corpus], pg_url, engine="dask", scheduler=cluster, progress=kill_on_first_result)
    assert killed == [victim]
    assert not report.skipped  # the scheduler ran the lost partitions again elsewhere
    assert _contents(pg_url) == reference
    with sa.create_engine(pg_url).connect() as connection:
        hashes = connection.execute(sa.text("SELECT content_hash FROM articles")).scalars().all()
        keys = connection.execute(sa.text("SELECT key FROM publications")).scalars().all()
    assert len(hashes) == len(set(hashes)) == len(reference["records"])
    assert len(keys) == len(set(keys)) == N_ARTICLES


def _kill_on_poison(run_id: str, articles: list) -> list:
    """A partition task that dies with its worker when it meets the article named "poison"."""
    from tacitus.engines.dask_worker import analyze_partition

    if any(a.id == "poison" for a in articles):
        os.kill(os.getpid(), signal.SIGKILL)
    return analyze_partition(run_id, articles)


def test_a_partition_that_kills_its_workers_is_tried_a_bounded_number_of_times_then_reported(cluster: str):
    from tacitus.engines.dask import PartitionLost, analyze_dask
    from tacitus.jobs import sample_articles

    articles = sample_articles()[:4]
    articles[3].id = "poison"  # last, so the others need not wait for the killed workers to come back
    outcomes = list(analyze_dask(articles, scheduler=cluster, partition_size=1, task=_kill_on_poison))
    assert [a.id for a, _ in outcomes] == [a.id for a in articles]  # input order, every article
    lost = outcomes[3][1]
    assert isinstance(lost, PartitionLost)
    assert "(1 article(s): " in str(lost) and str(articles[3].origin) in str(lost)
    assert "died each time it was tried" in str(lost)
    assert all(type(o).__name__ == "Record" for i, (_, o) in enumerate(outcomes) if i != 3)


# The client's side of a run, in a fresh interpreter: this file's other tests (and conftest) load spaCy into
# pytest's process. It clips every article (read from a file, and given as Articles) before sending it.
_CLIENT = """
import json, sys
from tacitus import clip, jobs
from tacitus.model import Article

source, db, scheduler = sys.argv[1:]
clip.MAX_CHARS = 2_000  # a long article without making the workers parse 200,000 characters
read = jobs.process([source], db, engine="dask", scheduler=scheduler)
text = "Police arrested 12 protesters in Nairobi on Monday.\\n\\n" * 100
given = jobs.process([], db, engine="dask", scheduler=scheduler, articles=[Article(text=text, id="long")])
print(json.dumps({"spacy": "spacy" in sys.modules, "read": read.stored, "given": given.stored}))
"""


def test_the_client_of_a_cluster_run_never_imports_spacy(corpus: Path, cluster: str, tmp_path: Path):
    source = tmp_path / "two.jsonl"
    source.write_text("".join(corpus.read_text(encoding="utf-8").splitlines(keepends=True)[:2]), "utf-8")
    db = tmp_path / "client.db"
    done = subprocess.run(
        [sys.executable, "-c", _CLIENT, str(source), str(db), cluster],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.splitlines()[-1])
    # the run did its work on the workers: both inputs stored, the long article cut by the client
    assert result["read"] == {"inserted": 2} and result["given"] == {"inserted": 1}
    with sqlite3.connect(db) as connection:
        (long,) = connection.execute("SELECT text FROM articles WHERE article_id = 'long'").fetchone()
    text = "Police arrested 12 protesters in Nairobi on Monday.\n\n" * 100
    assert 1_000 < len(long) <= 2_000 and text.startswith(long)
    assert result["spacy"] is False


# -- a local cluster, SQLite, Ctrl-C ---------------------------------------------------------------------


def _descendants(pid: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=1) as connection:
            return connection.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_local_cluster_into_sqlite_stops_cleanly_on_ctrl_c_and_resumes(
    corpus: Path, tmp_path: Path, cluster: str, small_partitions: None
):
    db = tmp_path / "local.db"
    command = [str(BIN / "tacitus"), "process", str(corpus), "--db", str(db), "--engine", "dask", "-j", "2"]
    env = {**os.environ, "DASK_TACITUS__PARTITION_SIZE": "2"}
    proc = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None and _stored(db) == 0:
        seen |= _descendants(proc.pid)
        time.sleep(0.2)
    assert proc.poll() is None, proc.stderr.read()
    seen |= _descendants(proc.pid)
    assert len(_alive(seen)) >= 2  # the two workers (and the resource tracker) were running
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal's Ctrl-C does: the whole process group
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "interrupted: after" in stderr and "run the same command again to resume" in stderr
    assert "Traceback" not in stderr
    for _ in range(50):  # a helper process may take a moment to see its parent gone
        if not _alive(seen):
            break
        time.sleep(0.1)
    assert not _alive(seen), "a Dask process outlived the interrupted run"
    first = _stored(db)
    assert 0 < first < N_ARTICLES

    # resumed on the running cluster (a second local one would only cost its start-up here)
    done = jobs.process([corpus], db, engine="dask", scheduler=cluster)
    assert done.stored["unchanged"] == first and not done.skipped
    assert done.stored.get("inserted", 0) + done.duplicates == N_ARTICLES - first
    with sqlite3.connect(db) as connection:
        hashes = [h for (h,) in connection.execute("SELECT content_hash FROM articles")]
        keys = [k for (k,) in connection.execute("SELECT key FROM publications")]
    assert len(hashes) == len(set(hashes))
    assert len(keys) == len(set(keys)) == N_ARTICLES


# -- without a cluster -----------------------------------------------------------------------------------


def test_without_dask_installed_the_error_is_one_line_saying_what_to_install(monkeypatch, corpus, tmp_path):
    from typer.testing import CliRunner

    from tacitus.cli import app

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    with pytest.raises(EngineUnavailable, match=r"pip install 'tacitus\[dask\]'"):
        jobs.process([corpus], tmp_path / "x.db", engine="dask")
    result = CliRunner().invoke(
        app, ["process", str(corpus), "--db", str(tmp_path / "x.db"), "--engine", "dask"]
    )
    assert result.exit_code == 2
    assert "pip install 'tacitus[dask]'" in result.output and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x.db").exists()  # nothing was opened or read


def test_a_bad_scheduler_address_fails_before_anything_is_read(corpus, tmp_path):
    with pytest.raises(EngineUnavailable, match="not a Dask scheduler address"):
        jobs.process([corpus], tmp_path / "x.db", engine="dask", scheduler="localhost")
    with pytest.raises(Exception, match="needs --engine dask"):
        jobs.process([corpus], tmp_path / "x.db", scheduler="tcp://127.0.0.1:8786")


def test_progress_rate_is_over_the_last_minute_and_eta_needs_a_total():
    from tacitus.cli.common import rate_and_eta

    samples: deque = deque([(0.0, 0)])
    # a resumed run counts 1,000 stored articles in its first second, then analyses 2 a second
    rate, left = rate_and_eta(samples, 1.0, 1000, None)
    assert rate == 1000 and left is None
    for t in range(2, 122):
        rate, left = rate_and_eta(samples, float(t), 1000 + 2 * (t - 1), 1500)
    # at t=121, 1,240 done; over the last minute 2 a second, so 260 left take 130 s
    assert rate == pytest.approx(2.0, rel=0.02)
    assert left == pytest.approx(130, rel=0.02)
    assert rate_and_eta(deque([(0.0, 0)]), 5.0, 0, 100) == (0.0, None)


def test_an_interrupt_swallowed_on_the_way_is_raised_again_once():
    from tacitus.engines.signals import Signals

    before = signal.getsignal(signal.SIGINT)
    signals = Signals()
    try:
        # as a garbage-collection callback or a __del__ swallows the KeyboardInterrupt raised inside it
        with contextlib.suppress(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)
        with pytest.raises(KeyboardInterrupt):
            signals.check()
        signals.check()  # once only
    finally:
        signals.restore()
    assert signal.getsignal(signal.SIGINT) is before


def test_a_scheduler_lost_while_asking_for_its_workers_is_the_lost_scheduler_message() -> None:
    # The client asks the scheduler for its workers' threads every few seconds; when the scheduler has
    # gone, distributed raises OSError from that call (met on a slow machine, where the loss was noticed
    # there first): the run must stop with the message saying to run again, not a traceback.
    from tacitus.engines.dask import _Session

    class Gone:
        def nthreads(self) -> dict[str, int]:
            raise OSError("Timed out trying to connect to tcp://127.0.0.1:1 after 20 s")

    session = _Session("tcp://127.0.0.1:1", 1, "1GB", None)
    session.client = Gone()  # type: ignore[assignment]
    with pytest.raises(
        EngineUnavailable,
        match=r"lost the Dask scheduler at tcp://127\.0\.0\.1:1.*run the same command again",
    ):
        session.nthreads()
