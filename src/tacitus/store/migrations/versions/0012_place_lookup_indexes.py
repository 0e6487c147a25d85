"""Covering indexes on ``places`` for the lookups of the GDELT export (issue 11).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

Each GDELT event row names up to three places of its representative mention's article: each actor's
(the first gazetteer place of the actor's country within the mention's sentence) and the action's (the
first gazetteer place named as the cluster's place). The export finds them with one correlated subquery
each; these indexes hold every column those subqueries test, so each is answered from the index alone
(``ix_places_article_pk`` would send every candidate place to the table for its country, kind and span:
three times the database time, measured on 100,000 events). Indexes only: ``places`` is not copied, and
building them reads ``places`` once (a few seconds per million places).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the two indexes."""
    # an actor's place: by article and country, then the kind and span the subquery tests
    op.create_index(
        "ix_places_article_country", "places", ["article_pk", "country", "kind", "span_start", "span_end"]
    )
    # the action's place: by article and name, then the kind
    op.create_index("ix_places_article_name", "places", ["article_pk", "name", "kind"])


def downgrade() -> None:
    """Drop them."""
    op.drop_index("ix_places_article_name", table_name="places")
    op.drop_index("ix_places_article_country", table_name="places")
