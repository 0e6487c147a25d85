"""Why each mention is in its cluster: the member it matched, the score and the rule (issue 11).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05

A cluster is made greedily: each new mention joins the cluster holding the member it matches best. The
store kept only the cluster, so a reader asking why two reports were counted as one event had to run the
rules again. ``events.cluster_via`` (the member's ``events.pk``), ``cluster_score`` and ``cluster_basis``
(``tacitus.store.cluster_rules.MATCH_BASES``: same story, same actors, words alone, ...) and
``quotes.cluster_via`` and ``cluster_score`` (the quotation's quote it matched and the share of words in
common) say it. NULL for a mention that started its cluster, and for every mention clustered before this
revision until ``tacitus clusters rebuild``. No foreign key: the member may leave (``--reprocess``) while the
mention stays, as the cluster itself does (docs/clusters.md).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns (NULL in the rows already stored)."""
    for table in ("events", "quotes"):
        op.add_column(table, sa.Column("cluster_via", sa.Integer))
        op.add_column(table, sa.Column("cluster_score", sa.Float))
    op.add_column("events", sa.Column("cluster_basis", sa.Text))


def downgrade() -> None:
    """Drop them."""
    with op.batch_alter_table("events") as batch:
        batch.drop_column("cluster_basis")
        batch.drop_column("cluster_score")
        batch.drop_column("cluster_via")
    with op.batch_alter_table("quotes") as batch:
        batch.drop_column("cluster_score")
        batch.drop_column("cluster_via")
