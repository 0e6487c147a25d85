"""Drop the index of event clusters by QuadClass and day: nothing reads by it any more (issue 11).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05

Revision 0011 added ``ix_event_clusters_quad_days`` for the clustering's candidates of another root of one
QuadClass in articles of one story. That rule was removed: read on BASIL, every cross-outlet cluster it made
joined two acts of one story, and it made no merge on the labelled dev pairs (docs/clusters.md). The index
would only cost every cluster written.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Drop the index."""
    op.drop_index("ix_event_clusters_quad_days", table_name="event_clusters")


def downgrade() -> None:
    """Create it again."""
    op.create_index("ix_event_clusters_quad_days", "event_clusters", ["quad_class", "last_day"])
