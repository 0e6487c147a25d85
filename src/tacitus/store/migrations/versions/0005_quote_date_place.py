"""Quotes keep the day and place of their cue's clause, as events do: who said what, when and where.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

"Yun told reporters in Bangkok on Friday that ..." is a quote said in Bangkok on 2017-12-15; a user who
asks where and when something was said queries these columns. Rows written before this revision are filled
from the record JSON the articles table keeps (records without the fields give nulls, as the record reader
does).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("date", sa.Text),
    ("place_name", sa.Text),
    ("place_country", sa.Text),
    ("place_lat", sa.Float),
    ("place_lon", sa.Float),
)


def upgrade() -> None:
    """Add the quote's date and place columns, filled from the stored records."""
    with op.batch_alter_table("quotes") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind))
    connection = op.get_bind()
    articles = sa.table("articles", sa.column("pk", sa.Integer), sa.column("record", sa.JSON))
    quotes = sa.table(
        "quotes",
        sa.column("article_pk", sa.Integer),
        sa.column("seq", sa.Integer),
        *(sa.column(name, kind) for name, kind in _COLUMNS),
    )
    update = (
        quotes.update()
        .where(quotes.c.article_pk == sa.bindparam("b_pk"), quotes.c.seq == sa.bindparam("b_seq"))
        .values(**{name: sa.bindparam(f"b_{name}") for name, _ in _COLUMNS})
    )
    for pk, record in connection.execute(sa.select(articles.c.pk, articles.c.record)):
        if isinstance(record, str):  # SQLite hands JSON back as text on some drivers
            record = json.loads(record)
        rows = []
        for seq, quote in enumerate((record or {}).get("quotes") or []):
            place = quote.get("place") or {}
            rows.append(
                {
                    "b_pk": pk,
                    "b_seq": seq,
                    "b_date": quote.get("date"),
                    "b_place_name": place.get("name"),
                    "b_place_country": place.get("country"),
                    "b_place_lat": place.get("lat"),
                    "b_place_lon": place.get("lon"),
                }
            )
        if rows:
            connection.execute(update, rows)


def downgrade() -> None:
    """Drop the columns."""
    with op.batch_alter_table("quotes") as batch:
        for name, _ in _COLUMNS:
            batch.drop_column(name)
