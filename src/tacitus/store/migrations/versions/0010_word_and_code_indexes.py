"""Indexes for the web listings: words of sentences and quotations, actor and event codes in date order.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

``tacitus serve`` lists events and quotes filtered by words, actor codes and event codes, sorted by day,
on stores of 100,000 events and more (issue 12: 100 ms at the 95th percentile). Before this revision a word
filter read every sentence, and a code filter found its rows by index but read each one from the table to
learn its day before sorting. This revision adds:

- a trigram word index over ``events.sentence`` and ``quotes.content`` (see :mod:`tacitus.store.fulltext`
  for how queries use it). On SQLite, FTS5 tables ``events_fts`` and ``quotes_fts`` with the ``trigram``
  tokenizer, external-content (the text stays only in ``events`` and ``quotes``), filled from the stored
  rows and kept in sync by triggers on insert, on update of the column and on delete, which ON DELETE
  CASCADE from ``articles`` fires too. A later migration that recreates ``events`` or ``quotes`` (a batch
  copy) drops these triggers and must create them again. On PostgreSQL, a GIN ``pg_trgm`` index on the
  lowered column, when the server has ``pg_trgm`` and lets this user create it; otherwise no index (the
  filter still works, by reading every row). Neither is in ``schema.metadata``: SQLAlchemy has no Table for
  a virtual table, and the trigram index exists only where the server allows
  (:func:`tacitus.store.fulltext.is_index_artefact`).
- composite indexes that hold the sort key beside the filter: ``events (source_code, day, code)``,
  ``(target_code, day, code, source_code)`` and ``(code, day)`` replace the three single-column code indexes (each is
  the old one with columns after it, so every lookup the old one served it serves), ``quotes
  (speaker_code, article_pk)`` replaces ``(speaker_code)``, and ``articles (pk, published_day)`` gives a
  quote listing its publication day without reading the article's row (which holds the whole text and
  record). A code listing is then read from indexes alone.

Only ``CREATE``/``DROP INDEX`` and new tables: ``articles`` is never copied (see the project's rule: a
batch copy of ``articles`` would empty its child tables through the cascade).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tacitus.errors import StoreUnavailable

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, its text column, the FTS5 table over it) -- spelled out here so the migration stays frozen
_WORD_INDEXES = (("events", "sentence", "events_fts"), ("quotes", "content", "quotes_fts"))
_TRIGRAM_INDEXES = (("events", "sentence", "ix_events_sentence_trgm"), ("quotes", "content", "ix_quotes_content_trgm"))  # fmt: skip

_NEW_INDEXES = (
    ("ix_events_source_day", "events", ["source_code", "day", "code"]),
    # source_code last: a listing by actor (source or target) counts the target side's rows that are not
    # already on the source side from this index alone
    ("ix_events_target_day", "events", ["target_code", "day", "code", "source_code"]),
    ("ix_events_code_day", "events", ["code", "day"]),
    ("ix_quotes_speaker_article", "quotes", ["speaker_code", "article_pk"]),
    ("ix_articles_pk_published_day", "articles", ["pk", "published_day"]),
)
_OLD_INDEXES = (
    ("ix_events_source_code", "events", ["source_code"]),
    ("ix_events_target_code", "events", ["target_code"]),
    ("ix_events_code", "events", ["code"]),
    ("ix_quotes_speaker_code", "quotes", ["speaker_code"]),
)


def _sqlite_word_indexes() -> None:
    bind = op.get_bind()
    try:
        bind.exec_driver_sql("CREATE VIRTUAL TABLE temp.tacitus_fts_probe USING fts5(x, tokenize='trigram')")
        bind.exec_driver_sql("DROP TABLE temp.tacitus_fts_probe")
    except sa.exc.OperationalError as error:
        # built without FTS5, or older than 3.34 (no trigram tokenizer): say so rather than fail half-way
        version = bind.exec_driver_sql("SELECT sqlite_version()").scalar()
        raise StoreUnavailable(
            f"this SQLite ({version}) cannot make the word index of revision 0010 (FTS5 with the trigram "
            f"tokenizer: {error.orig}); use a Python whose sqlite3 has SQLite 3.34 or newer with FTS5"
        ) from None
    for table, column, fts in _WORD_INDEXES:
        op.execute(
            f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', content_rowid='pk', "
            "tokenize='trigram')"
        )
        # the external-content protocol: the index is told the old value to remove and the new one to add
        op.execute(
            f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts} (rowid, {column}) VALUES (new.pk, new.{column}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.pk, old.{column}); END"
        )
        op.execute(
            f"CREATE TRIGGER {fts}_update AFTER UPDATE OF pk, {column} ON {table} BEGIN "
            f"INSERT INTO {fts} ({fts}, rowid, {column}) VALUES ('delete', old.pk, old.{column}); "
            f"INSERT INTO {fts} (rowid, {column}) VALUES (new.pk, new.{column}); END"
        )
        # index the rows stored before this revision
        op.execute(f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')")


def _postgresql_word_indexes() -> None:
    bind = op.get_bind()
    available = bind.execute(
        sa.text("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_trgm'")
    ).scalar_one()
    if not available:
        return
    try:
        # in a savepoint: a refused CREATE EXTENSION (no privilege) must not abort the migration
        with bind.begin_nested():
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except sa.exc.DBAPIError:
        return
    for table, column, name in _TRIGRAM_INDEXES:
        op.execute(f"CREATE INDEX {name} ON {table} USING gin (lower({column}) gin_trgm_ops)")


def upgrade() -> None:
    """Add the word indexes and replace the code indexes by composite ones."""
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _sqlite_word_indexes()
    elif dialect == "postgresql":
        _postgresql_word_indexes()
    for name, table, columns in _NEW_INDEXES:
        op.create_index(name, table, columns)
    for name, table, _columns in _OLD_INDEXES:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    """Back to the single-column code indexes and no word index."""
    for name, table, columns in _OLD_INDEXES:
        op.create_index(name, table, columns)
    for name, table, _columns in _NEW_INDEXES:
        op.drop_index(name, table_name=table)
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for _table, _column, fts in _WORD_INDEXES:
            for suffix in ("insert", "delete", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
            op.execute(f"DROP TABLE IF EXISTS {fts}")
    elif dialect == "postgresql":
        for _table, _column, name in _TRIGRAM_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
