"""An event's period: the time of its own clause when coarser than a day (issue 11).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06

"Brennan defended the drone program in an interview in 2007" was stored with the article's day, and the
clustering took it for that day's act: an event's ``date`` is a day, so a year, a month or a week of its own
clause ("in 2007", "last week", "in October") was left in the record's times. Records now carry it as the
event's ``period`` (a TIMEX3 value: "2007", "2017-W49", "2017-10") with ``date`` null, and the clustering
keeps such a mention out of clusters of days outside it. NULL in the rows stored before this revision until
the articles are analysed again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column (NULL in the rows already stored)."""
    op.add_column("events", sa.Column("period", sa.Text))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("events") as batch:
        batch.drop_column("period")
