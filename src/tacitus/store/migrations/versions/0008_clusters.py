"""Event and quote clusters across articles: one row per real-world event or quotation, many mentions.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

The same phone call reported by forty outlets is forty ``events`` rows; ``event_clusters`` makes it one
event (GDELT's GLOBALEVENTID is its ``pk``) with its counts of mentions, articles and sources, and every
``events`` row points to its cluster through ``events.cluster_pk``. ``quote_clusters`` does the same for a
quotation printed in several articles (as Quotebank does). The columns are plain ALTER TABLE additions on
the child tables, never a batch copy (SQLite's copy-and-rename of a table would lose its rows' links).
Rows stored before this revision get no cluster here: ``tacitus clusters rebuild`` (or
:func:`tacitus.store.clusters.rebuild`) computes them, since the rules live in code that may change.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two cluster tables and the ``cluster_pk`` columns of events and quotes."""
    op.create_table(
        "event_clusters",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("root", sa.Text, nullable=False),
        sa.Column("source_code", sa.Text),
        sa.Column("target_code", sa.Text),
        sa.Column("source_country", sa.Text),
        sa.Column("target_country", sa.Text),
        sa.Column("quad_class", sa.Integer),
        sa.Column("goldstein", sa.Float),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("day", sa.Text),
        sa.Column("last_day", sa.Text),
        sa.Column("place_name", sa.Text),
        sa.Column("place_country", sa.Text),
        sa.Column("place_lat", sa.Float),
        sa.Column("place_lon", sa.Float),
        sa.Column("n_mentions", sa.Integer, nullable=False),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("event_pk", sa.Integer),
        sa.Column("added_at", sa.Text, nullable=False),
    )
    op.create_index("ix_event_clusters_day", "event_clusters", ["day"])
    op.create_index("ix_event_clusters_root", "event_clusters", ["root"])
    op.create_index("ix_event_clusters_dyad", "event_clusters", ["source_country", "target_country"])
    # the candidate queries of tacitus.store.clusters: one root (or one dyad) within a window of days
    op.create_index("ix_event_clusters_root_days", "event_clusters", ["root", "last_day"])
    op.create_index(
        "ix_event_clusters_dyad_days", "event_clusters", ["source_country", "target_country", "last_day"]
    )
    op.add_column("events", sa.Column("cluster_pk", sa.Integer))
    op.create_index("ix_events_cluster_pk", "events", ["cluster_pk"])

    op.create_table(
        "quote_clusters",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("speaker_key", sa.Text, nullable=False),
        sa.Column("speaker_code", sa.Text),
        sa.Column("speaker_name", sa.Text),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("n_quotes", sa.Integer, nullable=False),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("n_sources", sa.Integer, nullable=False),
        sa.Column("first_day", sa.Text),
        sa.Column("last_day", sa.Text),
        sa.Column("quote_pk", sa.Integer),
        sa.Column("added_at", sa.Text, nullable=False),
    )
    op.create_index("ix_quote_clusters_match", "quote_clusters", ["speaker_key", "last_day"])
    op.create_index("ix_quote_clusters_first_day", "quote_clusters", ["first_day"])
    op.create_index("ix_quote_clusters_speaker_code", "quote_clusters", ["speaker_code"])
    op.add_column("quotes", sa.Column("cluster_pk", sa.Integer))
    op.create_index("ix_quotes_cluster_pk", "quotes", ["cluster_pk"])


def downgrade() -> None:
    """Drop the cluster tables and columns."""
    op.drop_index("ix_quotes_cluster_pk", table_name="quotes")
    op.drop_column("quotes", "cluster_pk")  # SQLite >= 3.35 drops a column in place
    op.drop_table("quote_clusters")
    op.drop_index("ix_events_cluster_pk", table_name="events")
    op.drop_column("events", "cluster_pk")
    op.drop_table("event_clusters")
