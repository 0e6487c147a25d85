"""What tests/test_faults.py runs and checks: a small corpus, real `tacitus process` runs, the checks a store
must pass whatever happened to the runs that wrote it, a relay that cuts the connection to PostgreSQL, and a
PostgreSQL server of the test's own to restart for real."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
ALLSIDES = ROOT.parent / "shared" / "corpora" / "allsides-intl.jsonl.gz"

# AllSides articles added to the 14 samples: short ones, so a cycle costs little more than a start-up.
ALLSIDES_ARTICLES = 8
ALLSIDES_MAX_CHARS = 3000
# A run that takes longer than this is hung, not slow (14-30 short articles; minutes on a loaded machine).
RUN_TIMEOUT = 600


# -- the corpus and the runs ---------------------------------------------------------------------------------


def make_corpus(folder: Path) -> Path:
    """The 14 samples, a few short AllSides articles when ../shared has them, and three duplicates: two
    copies of a sample under other ids and outlets (stored as publications of it) and one of AllSides."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in SAMPLES.iterdir():
        if path.name != "README.md":
            shutil.copy(path, folder / path.name)
    sample = json.loads((SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()[0])
    copies = [
        {**sample, "id": f"copy-{n}", "source": f"Copy Wire {n}", "url": f"https://example.org/copy/{n}"}
        for n in (1, 2)
    ]
    rows: list[dict] = []
    if ALLSIDES.exists():
        with gzip.open(ALLSIDES, "rt", encoding="utf-8") as lines:
            for line in lines:
                row = json.loads(line)
                if len(row["text"]) <= ALLSIDES_MAX_CHARS:
                    rows.append(row)
                if len(rows) == ALLSIDES_ARTICLES:
                    break
        if rows:
            copies.append(
                {**rows[0], "id": "copy-3", "source": "Copy Wire 3", "url": "https://example.org/c/3"}
            )
    with (folder / "more.jsonl").open("w", encoding="utf-8") as out:
        for row in rows + copies:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


def tacitus(*args: str) -> list[str]:
    """The command line of a real `tacitus` process (this interpreter, so the same checkout)."""
    return [sys.executable, "-m", "tacitus.cli", *args]


def start(args: list[str], log: Path) -> subprocess.Popen:
    """Start a run in a session of its own, so a kill reaches its worker processes too (as a reboot does)."""
    return subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=log.open("wb"), start_new_session=True, cwd=log.parent
    )


def finish(args: list[str], log: Path) -> str:
    """Run to the end; return what it printed on stderr, failing the test on a non-zero exit."""
    proc = start(args, log)
    try:
        code = proc.wait(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pytest.fail(f"{' '.join(args)} hung for {RUN_TIMEOUT} s:\n{log.read_text(errors='replace')[-3000:]}")
    text = log.read_text(errors="replace")
    assert code == 0, f"{' '.join(args)} exited {code}:\n{text[-3000:]}"
    return text


def read_count(text: str) -> int:
    found = re.search(r"(\d+) article\(s\) read", text)
    assert found, text[-2000:]
    return int(found.group(1))


# -- what a store must look like, whatever happened to the runs that wrote it -------------------------------

# Each check is a query that must return no row; its name says what a row would mean.
SQL_CHECKS = {
    "an article without exactly one original publication": """
        SELECT a.pk FROM articles a LEFT JOIN publications p ON p.article_pk = a.pk AND p.kind = 'original'
        GROUP BY a.pk HAVING count(p.pk) != 1""",
    "a publication of no stored article": """
        SELECT p.pk FROM publications p LEFT JOIN articles a ON a.pk = p.article_pk WHERE a.pk IS NULL""",
    "an article whose stored events are not its record's": """
        SELECT a.pk FROM articles a
        WHERE a.n_events != (SELECT count(*) FROM events e WHERE e.article_pk = a.pk)""",
    "an article whose stored quotes are not its record's": """
        SELECT a.pk FROM articles a
        WHERE a.n_quotes != (SELECT count(*) FROM quotes q WHERE q.article_pk = a.pk)""",
    "an event in no cluster, or in a cluster that is gone": """
        SELECT e.pk FROM events e LEFT JOIN event_clusters c ON c.pk = e.cluster_pk WHERE c.pk IS NULL""",
    "a quote in a cluster that is gone": """
        SELECT q.pk FROM quotes q LEFT JOIN quote_clusters c ON c.pk = q.cluster_pk
        WHERE q.cluster_pk IS NOT NULL AND c.pk IS NULL""",
    "an event cluster whose n_mentions is not its members'": """
        SELECT c.pk FROM event_clusters c
        WHERE c.n_mentions != (SELECT count(*) FROM events e WHERE e.cluster_pk = c.pk)""",
    "a quote cluster whose n_quotes is not its members'": """
        SELECT c.pk FROM quote_clusters c
        WHERE c.n_quotes != (SELECT count(*) FROM quotes q WHERE q.cluster_pk = c.pk)""",
    "an event cluster whose n_articles is not its members' publications": """
        SELECT c.pk FROM event_clusters c WHERE c.n_articles != (
            SELECT count(*) FROM publications p
            WHERE p.article_pk IN (SELECT e.article_pk FROM events e WHERE e.cluster_pk = c.pk))""",
    "an event cluster made twice (the same first mention)": """
        SELECT event_pk FROM event_clusters GROUP BY event_pk HAVING count(*) > 1""",
    "a signature of no stored article": """
        SELECT s.article_pk FROM signatures s LEFT JOIN articles a ON a.pk = s.article_pk
        WHERE a.pk IS NULL""",
}


def check_rows(execute) -> dict[str, int]:  # noqa: ANN001 - a cursor's or a connection's execute
    """Run every SQL check through ``execute`` (SQLite or PostgreSQL); fail on the first broken one and
    return the table counts."""
    for what, sql in SQL_CHECKS.items():
        bad = list(execute(sql))
        assert not bad, f"{what}: {bad[:5]}"
    return {
        table: list(execute(f"SELECT count(*) FROM {table}"))[0][0]  # noqa: S608 - fixed table names
        for table in ("articles", "publications", "events", "quotes", "event_clusters", "quote_clusters")
    }


def check_store(db: Path) -> dict[str, int]:
    """SQLite's integrity and foreign keys, then :data:`SQL_CHECKS`; returns the table counts."""
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        return check_rows(lambda sql: connection.execute(sql).fetchall())


def table_names(db: Path) -> list[str]:
    """The tables an SQLite file holds (none when a run was killed before its schema's transaction committed)."""
    with sqlite3.connect(db) as connection:
        return [name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def publication_keys(db: Path) -> dict[str, str]:
    """Every stored publication's key and kind: one per input publication."""
    with sqlite3.connect(db) as connection:
        return dict(connection.execute("SELECT key, kind FROM publications").fetchall())


def stored_publications(db: Path) -> int:
    """How many publications a running writer has committed so far (0 before the schema is there)."""
    try:
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return 0
    try:
        return connection.execute("SELECT count(*) FROM publications").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        connection.close()


def check_pg(url: str) -> tuple[dict[str, int], dict[str, str]]:
    """:data:`SQL_CHECKS` on a PostgreSQL store; its table counts and publication keys."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            counts = check_rows(lambda sql: connection.execute(sa.text(sql)).fetchall())
            keys = dict(connection.execute(sa.text("SELECT key, kind FROM publications")).fetchall())
    finally:
        engine.dispose()
    return counts, keys


# -- a PostgreSQL restart, as the client sees it -------------------------------------------------------------
#
# The server on this machine is shared by every test run and every developer, so it is never restarted here.
# What a client sees of a restart is reproduced instead by a relay on 127.0.0.1 between Tacitus and the server
# (Outage): every open connection is cut, and new ones are dropped as soon as they are made, until the server
# is "back"; the relay then forwards connections again.


class Outage:
    """A TCP relay from a free port on 127.0.0.1 to the PostgreSQL server, which can play a restart."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.down_until = 0.0
        self.open: set[socket.socket] = set()
        self.lock = threading.Lock()
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if time.monotonic() < self.down_until:
                client.close()  # the server is "restarting": the connection is dropped at once
                continue
            server = socket.create_connection(self.upstream)
            with self.lock:
                self.open.update((client, server))
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, sink):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()
            with self.lock:
                self.open.difference_update((source, sink))

    def cut(self, seconds: float) -> None:
        """Close every relayed connection and drop new ones for ``seconds``."""
        self.down_until = time.monotonic() + seconds
        with self.lock:
            victims = list(self.open)
        for s in victims:
            with contextlib.suppress(OSError):
                s.shutdown(socket.SHUT_RDWR)

    def close(self) -> None:
        self.closed = True
        self.cut(0)
        self.listener.close()


def pg_publications(url: str) -> int:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT count(*) FROM publications")).scalar_one()
    except sa.exc.SQLAlchemyError:
        return 0  # the schema is not there yet
    finally:
        engine.dispose()


# -- a PostgreSQL server of the test's own, to restart for real ----------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


class PrivateServer:
    """A throwaway PostgreSQL cluster (initdb in a temporary folder, a free port, trust auth), so a test can
    restart a real server mid-run without touching the machine's shared one, which other runs use.

    PostgreSQL refuses to run as root: as root the server runs as the ``postgres`` user (``runuser``), and the
    folder is theirs. ``PrivateServer.unavailable()`` says why one cannot be made here (no initdb, root without
    a postgres user), so the test skips with that reason."""

    def __init__(self) -> None:
        import pwd
        import tempfile

        self.as_user: list[str] = []
        self.folder = Path(tempfile.mkdtemp(prefix="tacitus-pg-"))
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            entry = pwd.getpwnam("postgres")
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self.data = self.folder / "data"
        self.port = _free_port()
        self.log = self.folder / "server.log"
        self._run(_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        self.start()

    @staticmethod
    def unavailable() -> str | None:
        if not _pg_bin("initdb") or not _pg_bin("pg_ctl"):
            return "PostgreSQL's initdb and pg_ctl are not installed"
        if os.geteuid() == 0:
            import pwd

            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return "running as root and there is no postgres user to run a server as"
            if not shutil.which("runuser"):
                return "running as root without runuser"
        return None

    def _run(self, *args: str | None) -> None:
        command = [*self.as_user, *(str(arg) for arg in args)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.folder)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} exited {done.returncode}:\n{done.stdout}{done.stderr}")

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", *args)

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> None:
        """A fast restart, as an administrator's ``systemctl restart postgresql``: every session is cut,
        open transactions are rolled back, and the server answers again a second or so later."""
        self._ctl("-m", "fast", "restart")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._ctl("-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
