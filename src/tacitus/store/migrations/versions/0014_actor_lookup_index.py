"""An index on ``actors`` by article and actor id, for the clustering's read of its actors' kinds (issue 14).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04

The clustering reads each candidate cluster's member events with the kinds of their two actors (a person
named on one side keeps another person's mention out). It joined ``actors`` on article and id with only
``ix_actors_article_pk`` to go by, and PostgreSQL planned those joins as sorts of the whole table: a cost
that grew with the store (50-130 ms a read near 5,000 AllSides articles, most of a write's time). The read
now looks each kind up with a correlated subquery, one probe of this index per event
(``tacitus.store.cluster_rows``). Index only: building it reads ``actors`` once.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the index."""
    op.create_index("ix_actors_article_actor", "actors", ["article_pk", "actor_id"])


def downgrade() -> None:
    """Drop it."""
    op.drop_index("ix_actors_article_actor", table_name="actors")
