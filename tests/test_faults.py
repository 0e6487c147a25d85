"""Faults (issue 14, part 3): a `tacitus process` run killed at random points and run again, two runs writing
into one store at once, the PostgreSQL connection cut mid-run, and a full disk.

What must hold after each of them, checked by ``fault_tools.check_store`` on the database itself: every
input is stored exactly once (one ``publications`` row per input publication: the original of an analysed
article, or a duplicate of one), every article has its one original publication and its child rows, every
event and quote sits in a cluster whose counts are those of its members, and SQLite's integrity check passes.

The kill-and-rerun loop runs ``TACITUS_KILL_CYCLES`` cycles (3 by default, so that `make test` stays quick;
`make soak` sets TACITUS_KILL_CYCLES=12) with kill points drawn from ``TACITUS_KILL_SEED`` (default 14).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import pg_scratch
from fault_tools import (
    RUN_TIMEOUT,
    SAMPLES,
    Outage,
    PrivateServer,
    check_pg,
    check_store,
    finish,
    make_corpus,
    pg_publications,
    publication_keys,
    read_count,
    start,
    stored_publications,
    table_names,
    tacitus,
)

# How many kill-and-rerun cycles; `make soak` asks for the dozen of issue 14.
KILL_CYCLES = int(os.environ.get("TACITUS_KILL_CYCLES", "3"))
KILL_SEED = int(os.environ.get("TACITUS_KILL_SEED", "14"))


# -- fixtures ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("faults") / "corpus")


@pytest.fixture(scope="module")
def reference(corpus: Path) -> tuple[Path, int]:
    """One uninterrupted run of the corpus: the store every faulty run must end up matching, and its
    number of inputs."""
    db = corpus.parent / "reference.db"
    text = finish(tacitus("process", str(corpus), "--db", str(db)), corpus.parent / "reference.log")
    n_inputs = read_count(text)
    counts = check_store(db)
    assert counts["publications"] == n_inputs, (counts, text[-2000:])
    assert counts["articles"] < n_inputs, "the corpus's copies must be stored as publications, not articles"
    return db, n_inputs


# -- 1. killed at random points, then run again --------------------------------------------------------------


def _kill_when(proc: subprocess.Popen, db: Path, target: int, extra: float) -> str:
    """SIGKILL the run's whole session once ``target`` publications are stored (0: during start-up) and
    ``extra`` seconds more have passed, so the kill lands anywhere in a write; or report that it finished."""
    while proc.poll() is None and stored_publications(db) < target:
        time.sleep(0.05)
    deadline = time.monotonic() + extra
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if proc.poll() is not None:
        return "finished"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    return "killed"


def _round(
    corpus: Path, db: Path, n_inputs: int, cycles: int, rng: random.Random, name: str, *jobs: str
) -> list:
    """Kill ``cycles`` runs into a fresh ``db``: the first during start-up (imports, migrations, loading the
    pipeline), the others once a random number of inputs is stored, then a fraction of a second later so the
    kill lands anywhere in a write; return (target, outcome, stored after) per cycle. ``jobs``: more options
    (``-j 2``: the kill takes the worker processes too)."""
    args = tacitus("process", str(corpus), "--db", str(db), *jobs)
    targets = [0, *sorted(rng.sample(range(1, n_inputs), min(cycles - 1, n_inputs - 1)))]
    outcomes = []
    for cycle, target in enumerate(targets):
        extra = rng.uniform(0.5, 5.0) if target == 0 else rng.uniform(0, 0.5)
        outcome = _kill_when(start(args, db.parent / f"{name}-{cycle}.log"), db, target, extra)
        outcomes.append((target, outcome, stored_publications(db)))
        if db.exists():
            if not table_names(db):
                # killed while the new store's schema was being made: it is made in one transaction, so
                # the file holds no half schema (the next run makes it whole), only nothing
                assert target == 0 and stored_publications(db) == 0, outcomes
                continue
            counts = check_store(db)  # whole articles only, after every kill
            assert counts["publications"] <= n_inputs, outcomes
    return outcomes


def test_killed_runs_resume_with_every_article_stored_once(corpus: Path, reference: tuple[Path, int]) -> None:
    ref_db, n_inputs = reference
    rng = random.Random(KILL_SEED)
    # rounds of up to 4 kills, each into a fresh store, so that later kills still find articles to store
    rounds = [min(4, KILL_CYCLES - n) for n in range(0, KILL_CYCLES, 4)]
    outcomes = []
    for n, cycles in enumerate(rounds):
        db = corpus.parent / f"killed-{n}.db"
        # the second round (make soak) runs two worker processes, which the kills take down with the run
        jobs = ("-j", "2") if n == 1 else ()
        outcomes += _round(corpus, db, n_inputs, cycles, rng, f"kill-{n}", *jobs)
        args = tacitus("process", str(corpus), "--db", str(db), *jobs)
        text = finish(args, corpus.parent / f"kill-{n}-final.log")
        assert read_count(text) == n_inputs
        assert check_store(db)["publications"] == n_inputs, outcomes
        assert publication_keys(db) == publication_keys(ref_db), outcomes
    # and once more: nothing is left to store, nothing is stored again
    again = finish(args, corpus.parent / "kill-again.log")
    assert f"{n_inputs} unchanged" in again, again[-2000:]
    assert check_store(db)["publications"] == n_inputs
    killed = sum(outcome == "killed" for _, outcome, _ in outcomes)
    print(f"kill cycles ({killed} killed of {len(outcomes)}): {outcomes}")


# -- 2. two runs writing into one store at once --------------------------------------------------------------


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards; skips when no server answers (tests/pg_scratch.py)."""
    yield from pg_scratch.database(f"tacitus_faults_{os.getpid()}")


def _two_runs(corpus: Path, target: str, name: str) -> list[str]:
    args = tacitus("process", str(corpus), "--db", target)
    logs = [corpus.parent / f"{name}-{n}.log" for n in (1, 2)]
    runs = [start(args, log) for log in logs]
    texts = []
    for proc, log in zip(runs, logs, strict=True):
        try:
            code = proc.wait(timeout=RUN_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            code = proc.wait()
        texts.append(log.read_text(errors="replace"))
        assert code == 0, f"a writer exited {code}:\n{texts[-1][-3000:]}"
    return texts


def test_two_runs_into_one_sqlite_file_store_every_article_once(
    corpus: Path, reference: tuple[Path, int]
) -> None:
    ref_db, n_inputs = reference
    db = corpus.parent / "two-writers.db"
    texts = _two_runs(corpus, str(db), "two-sqlite")
    assert all(read_count(text) == n_inputs for text in texts)
    counts = check_store(db)
    assert counts["publications"] == n_inputs, texts
    assert publication_keys(db) == publication_keys(ref_db)
    ref_counts = check_store(ref_db)
    assert counts["event_clusters"] == ref_counts["event_clusters"], (counts, ref_counts)
    assert counts["quote_clusters"] == ref_counts["quote_clusters"], (counts, ref_counts)


def test_two_runs_into_one_postgresql_database_store_every_article_once(
    corpus: Path, reference: tuple[Path, int], pg_url: str
) -> None:
    ref_db, n_inputs = reference
    texts = _two_runs(corpus, pg_url, "two-pg")
    assert all(read_count(text) == n_inputs for text in texts)
    counts, keys = check_pg(pg_url)
    assert counts["publications"] == n_inputs, texts
    assert keys == publication_keys(ref_db)
    ref_counts = check_store(ref_db)
    assert counts["event_clusters"] == ref_counts["event_clusters"], (counts, ref_counts)
    assert counts["quote_clusters"] == ref_counts["quote_clusters"], (counts, ref_counts)


# -- 3. the PostgreSQL server goes away mid-run --------------------------------------------------------------


@pytest.fixture
def outage(pg_url: str) -> Iterator[tuple[Outage, str]]:
    """The relay, and ``pg_url`` through it."""
    import sqlalchemy as sa

    url = sa.make_url(pg_url)
    relay = Outage(url.host or "127.0.0.1", url.port or 5432)
    yield relay, url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    relay.close()


@pytest.fixture
def private_pg() -> Iterator[PrivateServer]:
    """A PostgreSQL server of this test's own: restarting the machine's would cut every other run using it."""
    pytest.importorskip("psycopg")
    reason = PrivateServer.unavailable()
    if reason:
        pytest.skip(reason)
    server = PrivateServer()
    yield server
    server.close()


def test_a_postgresql_server_restarted_mid_run_is_waited_for(
    corpus: Path, reference: tuple[Path, int], private_pg: PrivateServer
) -> None:
    ref_db, n_inputs = reference
    url = private_pg.url
    log = corpus.parent / "pg-restart.log"
    proc = start(tacitus("process", str(corpus), "--db", url), log)
    while proc.poll() is None and pg_publications(url) < n_inputs // 3:
        time.sleep(0.1)
    assert proc.poll() is None, "the run ended before the restart: " + log.read_text()[-3000:]
    private_pg.restart()  # a real server restart: sessions cut, open transactions rolled back
    assert proc.wait(timeout=RUN_TIMEOUT) == 0, log.read_text()[-3000:]
    text = log.read_text()
    # the restart either cut a statement in flight (the run says it lost the connection and waited: the
    # relay test below and tests/test_store_retry.py force that path) or fell between two writes, and the
    # pool replaced the dead connection before the next one without a word: since the writes got faster
    # (2026-12-04) the second happens too (a fresh clone's make test saw it). Either way every article is
    # stored, once.
    assert "Traceback" not in text, text[-3000:]
    assert read_count(text) == n_inputs
    counts, keys = check_pg(url)
    assert counts["publications"] == n_inputs
    assert keys == publication_keys(ref_db)


def test_a_postgresql_server_that_stays_down_stops_the_run_resumably(
    corpus: Path, reference: tuple[Path, int], pg_url: str, outage: tuple[Outage, str], monkeypatch
) -> None:
    from tacitus import jobs
    from tacitus.errors import StoreUnavailable
    from tacitus.store import retry

    ref_db, n_inputs = reference
    relay, relayed = outage
    monkeypatch.setattr(retry, "RETRY_DELAYS", (0.05, 0.1, 0.2))

    def articles():  # the corpus, with the server going down for good after the fifth article read
        from tacitus.ingest import read_articles

        for n, article in enumerate(read_articles([str(corpus)])):
            if n == 5:
                relay.cut(3600)
            yield article

    with pytest.warns(RuntimeWarning, match="lost the connection"), pytest.raises(StoreUnavailable) as raised:
        jobs.process([], relayed, articles=articles())
    message = str(raised.value)
    assert "127.0.0.1" in message and "run the same command again to resume" in message, message
    assert "4 tries" in message, message
    relay.down_until = 0  # the server is back
    report = jobs.process([str(corpus)], relayed)
    assert report.read == n_inputs
    counts, keys = check_pg(pg_url)
    assert counts["publications"] == n_inputs
    assert keys == publication_keys(ref_db)


# -- 4. a full disk ------------------------------------------------------------------------------------------

# Big enough for the empty schema (about 280 kB) and a few articles of the corpus, too small for all of them.
TMPFS_SIZE = "1200k"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1.2 MB tmpfs (needs root, as on the project's machines and CI; skips elsewhere, where the
    max_page_count test below still runs)."""
    folder = tmp_path / "small"
    folder.mkdir()
    mount = shutil.which("mount")
    if mount is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    made = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs", str(folder)], check=False
    )
    if made.returncode != 0:
        pytest.skip("this machine does not let root mount a tmpfs")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_gives_one_clear_error_and_a_store_a_rerun_completes(
    corpus: Path, reference: tuple[Path, int], small_disk: Path
) -> None:
    ref_db, n_inputs = reference
    db = small_disk / "full.db"
    args = tacitus("process", str(corpus), "--db", str(db))
    log = corpus.parent / "full-disk.log"
    proc = start(args, log)
    code = proc.wait(timeout=RUN_TIMEOUT)
    text = log.read_text(errors="replace")
    assert code != 0, text[-2000:]
    errors = [line for line in text.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in text, text[-3000:]
    assert str(db) in errors[0] and "disk is full" in errors[0], errors
    assert "free some space" in errors[0] and "run the same command again" in errors[0], errors
    stored = check_store(db)["publications"]
    assert 0 < stored < n_inputs, stored  # some articles whole, the rest not at all
    # space is freed (the tmpfs grows), and the same command finishes the job
    subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
    finish(args, corpus.parent / "full-disk-rerun.log")
    assert check_store(db)["publications"] == n_inputs
    assert publication_keys(db) == publication_keys(ref_db)


def test_a_database_at_its_size_limit_stops_the_run_with_a_clear_error(tmp_path: Path) -> None:
    """The same failure without root: SQLite's PRAGMA max_page_count makes the file "full" at 480 kB."""
    import sqlalchemy as sa

    from tacitus import jobs
    from tacitus.errors import StoreUnavailable

    corpus = make_corpus(tmp_path / "corpus")
    db = tmp_path / "limited.db"

    def limit(dbapi_connection, _record) -> None:  # noqa: ANN001 - SQLAlchemy's connect event
        if isinstance(dbapi_connection, sqlite3.Connection):
            # the empty schema takes 68 pages of 4 kB and the whole corpus about 250
            dbapi_connection.execute("PRAGMA max_page_count = 120")

    sa.event.listen(sa.engine.Engine, "connect", limit)
    try:
        with pytest.raises(StoreUnavailable) as raised:
            jobs.process([str(corpus)], db)
    finally:
        sa.event.remove(sa.engine.Engine, "connect", limit)
    message = str(raised.value)
    assert str(db) in message and "full" in message and "run the same command again" in message, message
    stored = check_store(db)["publications"]
    assert stored > 0
    report = jobs.process([str(corpus)], db)  # no limit now: the rerun completes
    assert check_store(db)["publications"] == report.read
    assert report.stored.get("unchanged", 0) == stored


# -- what the kill loop found --------------------------------------------------------------------------------


def test_a_copy_met_in_a_later_run_is_stored_as_a_publication(tmp_path: Path) -> None:
    """An outlet's copy of an article stored by an earlier (or killed) run is a publication of it, as in one
    run; it was counted unchanged and never stored, because its text's hash was found among the articles."""
    from tacitus import jobs

    line = (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0]
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text(line + "\n", encoding="utf-8")
    copy = {**json.loads(line), "id": "copy-1", "source": "Copy Wire", "url": "https://example.org/copy/1"}
    second.write_text(line + "\n" + json.dumps(copy) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    jobs.process([str(first)], db)
    report = jobs.process([str(second)], db)
    assert report.stored.get("unchanged") == 1 and report.duplicates == 1, report.stored
    assert sorted(publication_keys(db).values()) == ["exact", "original"]
    check_store(db)
