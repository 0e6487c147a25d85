"""Several worker processes: records in input order, a dead worker costs only its own articles, and an
interrupted or killed run leaves no process behind and resumes exactly."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tacitus import Article
from tacitus.jobs import sample_articles
from tacitus.parallel import WorkerDied, analyze_parallel

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find workers")


def _corpus(copies: int) -> list[Article]:
    """The samples many times over, each copy a distinct text (the store keys articles by their text)."""
    out = []
    for n in range(copies):
        for a in sample_articles():
            out.append(Article(text=f"{a.text}\n\nCopy {n}.", id=f"{a.id}-{n}", published=a.published))
    return out


def _children(pid: int) -> set[int]:
    kids = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.add(int(entry.name))
    return kids


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


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def test_records_come_in_input_order_and_match_one_process():
    from tacitus.model import QUOTE_TYPES
    from tacitus.pipeline import analyze_batch

    articles = _corpus(1)[:6]
    parallel = [(a.id, r.to_json()) for a, r in analyze_parallel(articles, n_process=2, chunk_size=1)]
    # the pool hands back every quote type; analyze_batch keeps the ones asked for
    serial = [(r.id, r.to_json()) for r in analyze_batch(articles, quote_types=QUOTE_TYPES)]
    assert parallel == serial
    assert not mp.active_children()


def test_killed_workers_cost_only_their_chunks_and_are_replaced():
    articles = _corpus(2)
    # a long article in the second chunk keeps its worker busy when the kill comes
    long_text = " ".join(a.text for a in articles[:10]) * 3
    articles.insert(2, Article(text=long_text, id="long", published="2020-01-01"))
    outcomes = []
    others = set(mp.active_children())
    killed = False
    for article, outcome in analyze_parallel(articles, n_process=2, chunk_size=2):
        outcomes.append((article.id, outcome))
        if not killed:
            workers = [p for p in mp.active_children() if p not in others]
            assert len(workers) == 2, (workers, others)
            for worker in workers:
                os.kill(worker.pid, signal.SIGKILL)
            killed = True
    assert [i for i, _ in outcomes] == [a.id for a in articles]  # every article answered, in order
    died = {i: o for i, o in outcomes if isinstance(o, Exception)}
    assert "long" in died
    assert len(died) <= 8  # at most the four chunks in flight (two per worker)
    assert all(isinstance(o, WorkerDied) and "died" in str(o) for o in died.values())
    assert not isinstance(outcomes[-1][1], Exception)  # the replacements analysed the rest
    assert set(mp.active_children()) <= others


def test_closing_early_stops_every_worker():
    stream = analyze_parallel(_corpus(2), n_process=2, chunk_size=1)
    next(stream)
    assert len(mp.active_children()) == 2
    stream.close()
    assert not mp.active_children()


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db) as con:
            return con.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize(
    ("sig", "code", "procs"),
    [(signal.SIGINT, 130, 2), (signal.SIGTERM, 143, 2), (signal.SIGKILL, -9, 2), (signal.SIGINT, 130, 1)],
    ids=["int-j2", "term-j2", "kill-j2", "int-j1"],
)
def test_signal_to_a_run_leaves_no_process_and_rerun_completes(tmp_path, sig, code, procs):
    src = tmp_path / "corpus.jsonl"
    articles = _corpus(12)
    src.write_text("".join(_line(a) for a in articles), encoding="utf-8")
    db = tmp_path / "run.db"
    # the corpus is the samples over and over: duplicates by design, which this test wants analysed
    cmd = [
        sys.executable,
        "-m",
        "tacitus.cli",
        "process",
        str(src),
        "--db",
        str(db),
        "-j",
        str(procs),
        "--no-dedup",
    ]
    # a session of its own, like a shell job: Ctrl-C reaches the whole process group
    run = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _wait(lambda: _stored(db) >= 3, 120, "the run to store its first articles")
        workers = _children(run.pid)
        if procs > 1:
            assert len(workers) >= procs, workers
        if sig == signal.SIGINT:
            os.killpg(run.pid, sig)
        else:
            os.kill(run.pid, sig)
        _, err = run.communicate(timeout=15)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
    assert run.returncode == code, err.decode()
    if sig != signal.SIGKILL:
        assert b"run the same command again to resume" in err
        assert b"Traceback" not in err
    _wait(lambda: not _alive(workers), 10, f"workers {workers} to exit")
    stored = _stored(db)
    assert 3 <= stored < len(articles)
    if sig == signal.SIGKILL:  # the harshest case: rerun and check the corpus is complete, once each
        rerun = subprocess.run(cmd, capture_output=True, timeout=600)
        assert rerun.returncode == 0, rerun.stderr.decode()
        assert f"{stored} unchanged".encode() in rerun.stderr
        with sqlite3.connect(db) as con:
            ids = [r[0] for r in con.execute("select article_id from articles")]
        assert sorted(ids) == sorted(a.id for a in articles)


def _line(article: Article) -> str:
    import json

    return json.dumps({"id": article.id, "text": article.text, "published": article.published}) + "\n"
