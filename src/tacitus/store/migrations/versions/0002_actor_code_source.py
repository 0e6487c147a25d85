"""Actors keep how their code was found (``code_source``), so the store can learn people from the text.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02

A person whose title the article spelled out ("Russian Deputy Foreign Minister Igor Morgulov", code_source
"text") is what a later article that says only "Morgulov" needs; the column makes those rows one indexed
query instead of a scan of every stored record. Rows written before this revision are filled from the
record JSON the articles table keeps, so an upgraded store learns from its past too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``actors.code_source`` with an index, and fill it from the stored records."""
    with op.batch_alter_table("actors") as batch:
        batch.add_column(sa.Column("code_source", sa.Text))
    op.create_index("ix_actors_code_source", "actors", ["code_source"])
    connection = op.get_bind()
    articles = sa.table("articles", sa.column("pk", sa.Integer), sa.column("record", sa.JSON))
    actors = sa.table(
        "actors",
        sa.column("article_pk", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("code_source", sa.Text),
    )
    update = (
        actors.update()
        .where(actors.c.article_pk == sa.bindparam("b_pk"), actors.c.seq == sa.bindparam("b_seq"))
        .values(code_source=sa.bindparam("b_source"))
    )
    for pk, record in connection.execute(sa.select(articles.c.pk, articles.c.record)):
        if isinstance(record, str):  # SQLite hands JSON back as text on some drivers
            record = json.loads(record)
        rows = [
            {"b_pk": pk, "b_seq": seq, "b_source": actor.get("code_source")}
            for seq, actor in enumerate((record or {}).get("actors") or [])
            if actor.get("code_source")
        ]
        if rows:
            connection.execute(update, rows)


def downgrade() -> None:
    """Drop the column and its index."""
    op.drop_index("ix_actors_code_source", "actors")
    with op.batch_alter_table("actors") as batch:
        batch.drop_column("code_source")
