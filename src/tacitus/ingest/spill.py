"""What a run remembers of every article it has seen, kept on disk so that its memory does not grow with it.

Two things in a run need every article read so far: the near-duplicate index (a copy must find any earlier
article of the run, however far back) and the per-source paragraph counts behind learned boilerplate (every
paragraph key a source printed, with the text first seen under it). Held in dictionaries, they cost about
15 kB per article for each of the two duplicate indexes (datasketch's LSH keeps 51 band byte-strings per
article) and 12 kB per article for the counts and texts, which is what made a 5,720-article run's client
grow by about 0.1 MB per article (benchmarks/memory.md). Here both live in a private temporary SQLite
database: ``sqlite3.connect("")`` makes a file that SQLite deletes when the connection closes, read through
a page cache of :data:`CACHE_KIB`, so memory stays at that cache whatever the run's length, and the answers
are those of the dictionaries they replace (the same band keys, the same counts, the first text seen).

Nothing here is durable or shared: one connection per structure, used by the one thread that iterates the
run (``check_same_thread`` is off because a Dask client may iterate it from another thread than the one
that made it, never from two at once).
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence

# SQLite's page cache per structure, in KiB: its default (2 MB). Lookups hit a B-tree index of a few levels,
# so a larger cache hardly speeds a run up, and two of these per run (duplicates, counts) stay near 4 MB.
CACHE_KIB = 2048
# rows per executemany / IN list when keys are read back by the hundred (SQLite's default limit on bound
# variables is 32,766 since 3.32; older ones allow 999)
_CHUNK = 500


def _temporary() -> sqlite3.Connection:
    """A private temporary database, deleted when closed; no journal, no fsync (nothing here outlives the run)."""
    connection = sqlite3.connect("", isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    connection.execute("PRAGMA journal_mode = OFF")
    connection.execute("PRAGMA synchronous = OFF")
    return connection


class BandTable:
    """Rows added under a caller's key, each with a signature and its band keys; the rows sharing a band
    key with given ones, in the order they were added (what :class:`tacitus.ingest.dedup.DuplicateIndex`
    keeps of a run's articles)."""

    def __init__(self) -> None:
        """An empty table in a new temporary database."""
        self._db = _temporary()
        self._db.executescript(
            """
            CREATE TABLE prints (row INTEGER PRIMARY KEY, key BLOB NOT NULL UNIQUE, size INTEGER NOT NULL,
                                 signature BLOB NOT NULL);
            CREATE TABLE bands (key INTEGER NOT NULL, band INTEGER NOT NULL, row INTEGER NOT NULL);
            CREATE INDEX ix_bands_key ON bands (key);
            """
        )
        self._rows = 0

    def __len__(self) -> int:
        return self._rows

    def __contains__(self, key: Hashable) -> bool:
        found = self._db.execute("SELECT 1 FROM prints WHERE key = ?", (_blob(key),)).fetchone()
        return found is not None

    def add(self, key: Hashable, size: int, signature: bytes, pairs: Sequence[tuple[int, int]]) -> None:
        """Keep ``signature`` (of a text of ``size`` shingles) under ``key`` with its ``(band, key)`` pairs."""
        self._rows += 1
        row = self._rows
        with self._db:
            self._db.execute("INSERT INTO prints VALUES (?, ?, ?, ?)", (row, _blob(key), size, signature))
            self._db.executemany("INSERT INTO bands VALUES (?, ?, ?)", [(k, b, row) for b, k in pairs])

    def candidates(self, pairs: Sequence[tuple[int, int]]) -> list[tuple[Hashable, bytes, int]]:
        """``(key, signature, size)`` of the rows sharing a band with ``pairs``, oldest first."""
        if not pairs or not self._rows:
            return []
        wanted = set(pairs)
        rows: set[int] = set()
        keys = sorted({k for _, k in pairs})
        for i in range(0, len(keys), _CHUNK):
            part = keys[i : i + _CHUNK]
            marks = ",".join("?" * len(part))
            for key, band, row in self._db.execute(
                f"SELECT key, band, row FROM bands WHERE key IN ({marks})", part
            ):
                if (band, key) in wanted:  # the same key in another band is not the same bucket
                    rows.add(row)
        found: list[tuple[Hashable, bytes, int]] = []
        ordered = sorted(rows)
        for i in range(0, len(ordered), _CHUNK):
            part = ordered[i : i + _CHUNK]
            marks = ",".join("?" * len(part))
            for key, signature, size in self._db.execute(
                f"SELECT key, signature, size FROM prints WHERE row IN ({marks}) ORDER BY row", part
            ):
                found.append((pickle.loads(key), signature, size))
        return found


def _blob(key: Hashable) -> bytes:
    return pickle.dumps(key, protocol=pickle.HIGHEST_PROTOCOL)


class LineCounts:
    """Per source: how many articles were counted, and in how many of them each paragraph key occurs, with
    the text first given for the key (what :class:`tacitus.ingest.learned.BoilerplateModel` counts)."""

    def __init__(self) -> None:
        """No counts, in a new temporary database."""
        self._db = _temporary()
        # rowid order is the order keys were first counted, which the learned lines keep
        self._db.executescript(
            """
            CREATE TABLE lines (source INTEGER NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, text TEXT);
            CREATE UNIQUE INDEX ix_lines ON lines (source, key);
            """
        )
        self.articles: dict[str, int] = {}  # source -> articles counted (a run has a few hundred sources)
        self._ids: dict[str, int] = {}

    def _id(self, source: str) -> int:
        if source not in self._ids:
            self._ids[source] = len(self._ids)
            self.articles.setdefault(source, 0)
        return self._ids[source]

    def add(
        self,
        source: str,
        articles: int,
        counts: Iterable[tuple[str, int, str | None]],
    ) -> None:
        """Count ``articles`` more for ``source`` and ``(key, n, text)`` more: ``n`` articles with the
        key, and its text when the key has none yet (``None``: no text)."""
        sid = self._id(source)
        self.articles[source] += articles
        with self._db:
            self._db.executemany(
                "INSERT INTO lines VALUES (?, ?, ?, ?) ON CONFLICT (source, key) DO UPDATE "
                "SET n = n + excluded.n, text = COALESCE(text, excluded.text)",
                ((sid, key, n, text) for key, n, text in counts),
            )

    def at_least(self, source: str, floor: float) -> dict[str, str]:
        """The keys of ``source`` counted in at least ``floor`` articles, with their texts ("" for none),
        in the order they were first counted."""
        if source not in self._ids:
            return {}
        rows = self._db.execute(
            "SELECT key, COALESCE(text, '') FROM lines WHERE source = ? AND n >= ? ORDER BY rowid",
            (self._ids[source], floor),
        )
        return dict(rows)

    def keys(self, source: str) -> list[str]:
        """Every key counted for ``source``, in the order first counted."""
        if source not in self._ids:
            return []
        rows = self._db.execute("SELECT key FROM lines WHERE source = ? ORDER BY rowid", (self._ids[source],))
        return [key for (key,) in rows]


class KeysBySource(Mapping[str, list[str]]):
    """The keys of :class:`LineCounts` by source, read from disk one source at a time (what a store's
    ``stored_counts`` asks about), so that a run never holds every key of every source at once."""

    def __init__(self, counts: LineCounts, sources: Iterable[str]) -> None:
        """The keys of ``sources`` in ``counts``, as they are when each source is read."""
        self._counts = counts
        self._sources = list(dict.fromkeys(sources))

    def __getitem__(self, source: str) -> list[str]:
        if source not in self._sources:
            raise KeyError(source)
        return self._counts.keys(source)

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)
