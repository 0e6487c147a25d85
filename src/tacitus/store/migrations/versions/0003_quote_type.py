"""Quotes keep what they attribute (``type``: speech, belief, finding, intention), so users can choose.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

A user reading positions wants speech, one studying public opinion wants the polls' findings; the column
makes that a filter. Rows written before this revision are filled from the record JSON the articles
table keeps (records without the field are speech, as every quote then was).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``quotes.type``, filled from the stored records."""
    with op.batch_alter_table("quotes") as batch:
        batch.add_column(sa.Column("type", sa.Text))
    connection = op.get_bind()
    articles = sa.table("articles", sa.column("pk", sa.Integer), sa.column("record", sa.JSON))
    quotes = sa.table(
        "quotes",
        sa.column("article_pk", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("type", sa.Text),
    )
    update = (
        quotes.update()
        .where(quotes.c.article_pk == sa.bindparam("b_pk"), quotes.c.seq == sa.bindparam("b_seq"))
        .values(type=sa.bindparam("b_type"))
    )
    for pk, record in connection.execute(sa.select(articles.c.pk, articles.c.record)):
        if isinstance(record, str):  # SQLite hands JSON back as text on some drivers
            record = json.loads(record)
        rows = [
            {"b_pk": pk, "b_seq": seq, "b_type": quote.get("type") or "speech"}
            for seq, quote in enumerate((record or {}).get("quotes") or [])
        ]
        if rows:
            connection.execute(update, rows)


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("quotes") as batch:
        batch.drop_column("type")
