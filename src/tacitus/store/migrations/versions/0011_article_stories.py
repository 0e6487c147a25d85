"""Each article's story terms, so event clustering compares two mentions' articles without their texts.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

Two mentions are far more likely one event when their articles tell the same story, and never one when
the articles tell different stories (docs/clusters.md). ``article_stories`` keeps, per article, its most
distinctive words with their weights (:func:`tacitus.store.cluster_rules.story_terms`), written when the
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
    """Create the table."""
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


def downgrade() -> None:
    """Drop it."""
    op.drop_table("article_stories")
