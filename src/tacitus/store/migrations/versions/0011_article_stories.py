"""Each article's story terms, so event clustering compares two mentions' articles without their texts, and
an index of event clusters by QuadClass and days.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Two mentions are far more likely one event when their articles tell the same story, and never one when
the articles tell different stories (docs/clusters.md). ``article_stories`` keeps, per article, its most
distinctive words with their weights (:func:`tacitus.store.cluster_words.story_terms`), written when the
article is clustered. Nothing is computed here: the weights come from code and packaged data, which a
migration must not depend on; articles stored before this revision have no row (their mentions are
clustered on their sentences alone) until ``tacitus clusters rebuild``. A new table only: ``articles`` is
never copied.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table and the index."""
    op.create_table(
        "article_stories",
        sa.Column(
            "article_pk",
            sa.Integer,
            sa.ForeignKey("articles.pk", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("terms", sa.Text, nullable=False),
    )
    # the candidates of another root of one QuadClass (cluster_rules.SAME_STORY) are read by QuadClass and
    # the window's days, like those of one root by ix_event_clusters_root_days
    op.create_index("ix_event_clusters_quad_days", "event_clusters", ["quad_class", "last_day"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_event_clusters_quad_days", table_name="event_clusters")
    op.drop_table("article_stories")
