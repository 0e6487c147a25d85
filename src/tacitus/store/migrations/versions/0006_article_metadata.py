"""Articles keep the page's metadata: authors, site name, language, canonical URL, dates, description.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

A user who asks "what did this outlet's authors write in German last week" needs these as columns, not
buried in the record JSON. Rows written before this revision are filled from the record JSON the articles
table keeps; records written before these fields existed give nulls (the record reader does the same),
except ``crawled``, which a WARC reader left in the article's ``meta``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("authors", sa.JSON),
    ("site_name", sa.Text),
    ("language", sa.Text),
    ("language_source", sa.Text),
    ("canonical_url", sa.Text),
    ("modified", sa.Text),
    ("description", sa.Text),
    ("crawled", sa.Text),
)


def _loaded(value: object) -> dict:
    if isinstance(value, str):  # SQLite hands JSON back as text on some drivers
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def upgrade() -> None:
    """Add the article metadata columns, filled from the stored records."""
    # plain ALTER TABLE, never a batch copy: SQLite's copy-and-rename of the parent table would fire the
    # children's ON DELETE CASCADE and empty them
    for name, kind in _COLUMNS:
        op.add_column("articles", sa.Column(name, kind))
    op.create_index("ix_articles_language", "articles", ["language"])
    connection = op.get_bind()
    articles = sa.table(
        "articles",
        sa.column("pk", sa.Integer),
        sa.column("record", sa.JSON),
        sa.column("meta", sa.JSON),
        *(sa.column(name, kind) for name, kind in _COLUMNS),
    )
    update = (
        articles.update()
        .where(articles.c.pk == sa.bindparam("b_pk"))
        .values(**{name: sa.bindparam(f"b_{name}") for name, _ in _COLUMNS})
    )
    rows = []
    for pk, record, meta in connection.execute(sa.select(articles.c.pk, articles.c.record, articles.c.meta)):
        record, meta = _loaded(record), _loaded(meta)
        row = {f"b_{name}": record.get(name) for name, _ in _COLUMNS}
        row["b_authors"] = list(record.get("authors") or [])
        row["b_crawled"] = record.get("crawled") or meta.get("crawled")
        row["b_pk"] = pk
        rows.append(row)
    if rows:
        connection.execute(update, rows)


def downgrade() -> None:
    """Drop the columns."""
    op.drop_index("ix_articles_language", table_name="articles")
    for name, _ in reversed(_COLUMNS):
        op.drop_column("articles", name)  # SQLite >= 3.35 drops a column in place, keeping the children
