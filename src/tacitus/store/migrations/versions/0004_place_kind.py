"""Places keep their gazetteer feature kind (city, country, region, place), so users can map or filter them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

A city has a point, a region a reference point, a country only its code: a map or a count by city needs to
know which. Rows written before this revision are filled from the record JSON the articles table keeps
(records without the field give ``place``, as the record reader does).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``places.kind``, filled from the stored records."""
    with op.batch_alter_table("places") as batch:
        batch.add_column(sa.Column("kind", sa.Text))
    connection = op.get_bind()
    articles = sa.table("articles", sa.column("pk", sa.Integer), sa.column("record", sa.JSON))
    places = sa.table(
        "places",
        sa.column("article_pk", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("kind", sa.Text),
    )
    update = (
        places.update()
        .where(places.c.article_pk == sa.bindparam("b_pk"), places.c.seq == sa.bindparam("b_seq"))
        .values(kind=sa.bindparam("b_kind"))
    )
    for pk, record in connection.execute(sa.select(articles.c.pk, articles.c.record)):
        if isinstance(record, str):  # SQLite hands JSON back as text on some drivers
            record = json.loads(record)
        rows = [
            {"b_pk": pk, "b_seq": seq, "b_kind": place.get("kind") or "place"}
            for seq, place in enumerate((record or {}).get("places") or [])
        ]
        if rows:
            connection.execute(update, rows)


def downgrade() -> None:
    """Drop the column."""
    with op.batch_alter_table("places") as batch:
        batch.drop_column("kind")
