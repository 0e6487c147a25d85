"""Word filters answered by an index: "the sentence (or the quotation) contains these characters".

Users search events by the words of their sentence and quotes by their words, literally and ignoring
case: ``talks`` finds "Peace talks resumed", ``%`` and ``_`` are themselves. A LIKE ``'%talks%'`` has to
read every sentence of the store (two tenths of a second on 100,000 events, twice for a page and its
count), so revision 0010 indexes the trigrams of ``events.sentence`` and ``quotes.content``:

- SQLite: an FTS5 table with the ``trigram`` tokenizer over each column (``events_fts``, ``quotes_fts``),
  external-content (the text is stored once, in its own table) and kept in sync by triggers on insert,
  update and delete (cascades from a deleted article included). A phrase query of a string of three or more
  characters matches exactly the rows containing that string, case folded: substring semantics, answered
  from the index. Shorter strings have no trigram, so they fall back to a LIKE that reads every row.
- PostgreSQL: a GIN ``pg_trgm`` index on ``lower(column)``, which answers the same ``lower(column) LIKE
  '%...%'`` the filter always was. When the server lacks ``pg_trgm`` or the right to create it, the
  migration skips the index and the filter is as slow, and as correct, as before.

One difference from the plain LIKE: SQLite's LIKE ignores the case of ASCII letters only, the trigram index
folds the case of every letter (``ÉTAT`` finds ``état``), as PostgreSQL's ``lower()`` always did.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

__all__ = [
    "FULLTEXT",
    "LIKE_BELOW",
    "MIN_INDEXED_CHARS",
    "WALK_ABOVE",
    "answers",
    "contains",
    "count_matches",
    "is_index_artefact",
    "like_agrees",
]

FULLTEXT: dict[tuple[str, str], str] = {
    ("events", "sentence"): "events_fts",
    ("quotes", "content"): "quotes_fts",
}
"""The indexed columns, ``(table, column)``, and the name of the SQLite FTS5 table over each (revision 0010)."""

TRIGRAM_INDEXES = ("ix_events_sentence_trgm", "ix_quotes_content_trgm")
"""The PostgreSQL ``pg_trgm`` indexes of revision 0010 (absent when the server has no ``pg_trgm``)."""

MIN_INDEXED_CHARS = 3
"""The trigram index finds strings of at least this many characters; shorter ones are looked for by LIKE."""

WALK_ABOVE = 500
"""Above this many matching rows, a listing finds its page by walking the index of its sort key (or of its
other filters) and checking each row against the word's matches, a cost bounded by that index; up to it, by
looking each match up (about 2 microseconds a match) and sorting them. On the 100,000-event benchmark store
the two cost the same at a few hundred matches: 1,099 matches took 2.6 ms looked up and 1.4 ms walked,
16,485 took 36 ms and 10 ms, no match at all 0 ms and 8-13 ms (a walk of the whole day index)."""

LIKE_BELOW = 5_000
"""When a listing's other filters leave at most this many rows, its word filter reads them with LIKE
instead of using the index, which would first gather every match of the word in the store. Counting the
quotes of a date window that hold "agreement" (12,089 matches in the store) or "talks" (7,693) on the
benchmark store, LIKE / index: 2,287 quotes in the window 0.6 / 2.0-4.9 ms, 4,989 quotes 1.9-2.1 / 2.2-9.4
ms, 7,919 quotes 2.8-7.2 / 2.6-5.4 ms, 36,260 quotes 15-21 / 8-11 ms."""

# the tables FTS5 makes for an external-content table "x": x itself (virtual) and its shadow tables
_FTS5_SHADOWS = ("", "_data", "_idx", "_docsize", "_config", "_content")


def is_index_artefact(name: str) -> bool:
    """True for a table or index that the word index of revision 0010 made and ``schema.metadata`` does
    not describe: the FTS5 virtual tables and their shadow tables on SQLite, the ``pg_trgm`` indexes on
    PostgreSQL. Schema comparisons (Alembic's autogenerate, tests/test_store.py) leave them out, since
    SQLAlchemy has no Table for a virtual table and the trigram index exists only where the server allows.
    """
    if name in TRIGRAM_INDEXES:
        return True
    return any(name == fts + shadow for fts in FULLTEXT.values() for shadow in _FTS5_SHADOWS)


class _Contains(FunctionElement):
    """``column`` contains ``text``, ignoring case; compiled per database (see the module docstring)."""

    type = sa.Boolean()
    inherit_cache = True
    name = "tacitus_contains"
    # a condition in its own right: without this, SQLite (no native boolean) gets "(...) = 1", which hides
    # the "pk IN (...)" from its planner and reads the whole table instead of the matching rows
    _is_implicitly_boolean = True
    # SQLite: "+pk IN (...)" rather than "pk IN (...)" (a class of its own, so the compiled statement
    # cache tells the two apart)
    walk = False


class _ContainsWalk(_Contains):
    inherit_cache = True
    walk = True


def _like_pattern(text: str) -> str:
    # the user's words are literal text: %, _ and \ match themselves
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _phrase(text: str) -> str:
    # an FTS5 string: inside double quotes every character is literal but the quote, which is doubled
    return '"' + text.replace('"', '""') + '"'


@compiles(_Contains)
def _contains_default(element: _Contains, compiler: Any, **kw: Any) -> str:
    column, pattern = list(element.clauses)[:2]
    # PostgreSQL: lower(column) is what the pg_trgm index of revision 0010 holds, so this LIKE uses it
    return f"lower({compiler.process(column, **kw)}) LIKE {compiler.process(pattern, **kw)} ESCAPE '\\'"


@compiles(_Contains, "sqlite")
def _contains_sqlite(element: _Contains, compiler: Any, **kw: Any) -> str:
    clauses = list(element.clauses)
    column, pattern = clauses[:2]
    if len(clauses) == 4:
        pk, phrase = clauses[2:]
        table = FULLTEXT[(column.table.name, column.name)]
        # "+" keeps SQLite from looking each match up by its key: it walks another index (the sort's)
        # and checks every row against the matches instead
        return (
            f"{'+' if element.walk else ''}{compiler.process(pk, **kw)} IN (SELECT rowid FROM {table} "
            f"WHERE {table} MATCH {compiler.process(phrase, **kw)})"
        )
    # a plain LIKE: it ignores ASCII case as SQLite's lower() would, and reads the column without copying it
    return f"{compiler.process(column, **kw)} LIKE {compiler.process(pattern, **kw)} ESCAPE '\\'"


def _indexed(column: sa.ColumnElement, text: str) -> str | None:
    # the FTS5 table answering "column contains text", if one does
    table = getattr(column, "table", None)
    if table is None or len(text) < MIN_INDEXED_CHARS:
        return None
    return FULLTEXT.get((table.name, getattr(column, "name", None)))


def contains(
    column: sa.ColumnElement, text: str, *, walk: bool = False, index: bool = True
) -> sa.ColumnElement[bool]:
    """A condition true when ``column`` contains ``text`` literally, ignoring case.

    For an indexed column (:data:`FULLTEXT`) and a ``text`` of at least :data:`MIN_INDEXED_CHARS`
    characters it is answered by the word index; otherwise by a LIKE (escaped: ``%`` and ``_`` are
    literal) that reads every row. ``text`` reaches the database as a bound parameter either way.
    ``walk=True`` (for a word that matches many rows, see :data:`WALK_ABOVE`) tells SQLite to find the rows
    through the query's other indexes and check them against the matches, instead of looking up each match.
    ``index=False`` asks for the LIKE, for a query whose other filters leave few rows to read (see
    :data:`LIKE_BELOW`).
    """
    pattern = sa.literal(_like_pattern(text))
    if not index or _indexed(column, text) is None:
        return _Contains(column, pattern)  # type: ignore[return-value]
    kind = _ContainsWalk if walk else _Contains
    return kind(column, pattern, column.table.c.pk, sa.literal(_phrase(text)))  # type: ignore[return-value,union-attr]


def like_agrees(text: str) -> bool:
    """True when SQLite's LIKE finds exactly the rows the word index finds for ``text``: LIKE folds the
    case of ASCII letters only, the index that of every letter, so they agree on ASCII text (a Kelvin sign
    folded to ``k`` in a stored sentence aside)."""
    return text.isascii()


def answers(connection: sa.Connection, column: sa.ColumnElement, text: str) -> bool:
    """True when this database's word index answers "``column`` contains ``text``" and Tacitus chooses how
    to use it (SQLite; PostgreSQL's planner makes that choice itself from the trigram statistics)."""
    return connection.dialect.name == "sqlite" and _indexed(column, text) is not None


def count_matches(connection: sa.Connection, column: sa.ColumnElement, text: str) -> int | None:
    """How many rows of ``column``'s table contain ``text``, counted in the word index alone (a few
    milliseconds for thousands of matches), or None where no index answers it: PostgreSQL (its planner
    has the trigram statistics), a column without one, a text shorter than :data:`MIN_INDEXED_CHARS`.

    Every row of the table has its entry (the triggers of revision 0010), so this is the exact count.
    """
    if not answers(connection, column, text):
        return None
    fts = _indexed(column, text)
    statement = sa.text(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH :phrase")
    return connection.execute(statement, {"phrase": _phrase(text)}).scalar_one()
