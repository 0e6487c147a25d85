"""Whether an event's clause tells repeated acts rather than one (issue 11).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06

"Mr. Erdogan has long threatened to send troops into Syria", "the U.S. has targeted Al-Shabaab leaders at
least twice in the past year": each sums up many acts, and was stored as an act of its article's day, which
the clustering then joined to one of the acts it sums up. Records now say so (the event's ``repeated``),
and the clustering keeps such a summary apart from single acts. FALSE in the rows stored before this
revision until the articles are analysed again.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column (false in the rows already stored)."""
    op.add_column("events", sa.Column("repeated", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    """Drop it."""
    with op.batch_alter_table("events") as batch:
        batch.drop_column("repeated")
