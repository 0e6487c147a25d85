"""The LSH band keys of every stored signature, so a duplicate check queries the store instead of loading it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

Until this revision every run of ``tacitus process`` read every stored signature into an in-memory LSH
index before its first article: memory and start-up grew with the store, without bound. Now each stored
article keeps its band keys (``signature_bands``: band number, a 64-bit hash of the band's values, the
article) under a (band, key) primary key, and a run asks the store for the articles sharing a band with
the one at hand (:mod:`tacitus.ingest.dedup`, :mod:`tacitus.store.bands`).

``signature_state`` records the banding the keys were made with and the banding every stored article is
known to have a signature and keys of, so a run can start without scanning the store. Nothing is computed
here: the banding parameters come from code (datasketch's optimiser for the threshold Tacitus uses), which
a migration must not depend on, so the first run after this revision finds no state and makes the keys of
the stored signatures, in batches (:meth:`tacitus.store.Store.prepare_signatures`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the band and state tables."""
    op.create_table(
        "signature_bands",
        sa.Column("band", sa.SmallInteger, primary_key=True, nullable=False),
        sa.Column("key", sa.BigInteger, primary_key=True, nullable=False),
        sa.Column(
            "article_pk",
            sa.Integer,
            sa.ForeignKey("articles.pk", ondelete="CASCADE"),
            primary_key=True,
            nullable=False,
        ),
        # On SQLite the primary key is then the table itself: one B-tree fewer for 51 rows per article.
        sqlite_with_rowid=False,
    )
    # ON DELETE CASCADE finds an article's rows through this index, not by scanning every band.
    op.create_index("ix_signature_bands_article_pk", "signature_bands", ["article_pk"])
    op.create_table(
        "signature_state",
        sa.Column("name", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop them."""
    op.drop_table("signature_state")
    op.drop_index("ix_signature_bands_article_pk", table_name="signature_bands")
    op.drop_table("signature_bands")
