"""Publications of each article (duplicates from other outlets), MinHash signatures, learned boilerplate.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

The same wire story printed by forty outlets is one article analysed once, with forty publications; a
count of sources per event or quote counts these. Every article stored before this revision gets its one
``original`` publication from its own row, keyed as :func:`tacitus.store.publications.publication_key`
keys new ones (the formula is spelled out here, since a migration must not change when the code does).
Signatures are not computed here: a run computes the missing ones from the stored texts the first time it
needs them. Boilerplate counts start empty: they grow with the articles stored from now on.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DAY = re.compile(r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:$|[T ])")


def _key(digest: str, article_id, url, source, title, published) -> str:  # noqa: ANN001
    payload = json.dumps([digest, article_id, url, source, title, published], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _day(value: str | None) -> str | None:
    match = _DAY.match(value) if value else None
    return match.group(1) if match else None


def upgrade() -> None:
    """Create the four tables and give every stored article its original publication."""
    op.create_table(
        "publications",
        sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("similarity", sa.Float),
        sa.Column("article_id", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("published_day", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("origin", sa.Text),
        sa.Column("added_at", sa.Text, nullable=False),
        sa.UniqueConstraint("key", name="uq_publications_key"),
    )
    op.create_index("ix_publications_article_pk", "publications", ["article_pk"])
    op.create_index("ix_publications_source", "publications", ["source"])
    op.create_table(
        "signatures",
        sa.Column(
            "article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("scheme", sa.Text, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("minhash", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "boilerplate_sources",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("n_articles", sa.Integer, nullable=False),
    )
    op.create_table(
        "boilerplate_lines",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("line_key", sa.String(16), primary_key=True),
        sa.Column("n_articles", sa.Integer, nullable=False),
        sa.Column("text", sa.Text),
    )
    connection = op.get_bind()
    articles = sa.table(
        "articles",
        *(sa.column(name, sa.Text) for name in (
            "content_hash", "article_id", "url", "source", "title", "published", "origin", "processed_at",
        )),
        sa.column("pk", sa.Integer),
    )  # fmt: skip
    publications = sa.table(
        "publications",
        *(sa.column(name, sa.Text) for name in (
            "key", "kind", "article_id", "title", "published", "published_day", "url", "source", "origin",
            "added_at",
        )),
        sa.column("article_pk", sa.Integer),
    )  # fmt: skip
    rows = []
    for a in connection.execute(sa.select(articles)).mappings().all():
        rows.append(
            {
                "article_pk": a["pk"],
                "key": _key(
                    a["content_hash"], a["article_id"], a["url"], a["source"], a["title"], a["published"]
                ),
                "kind": "original",
                "article_id": a["article_id"],
                "title": a["title"],
                "published": a["published"],
                "published_day": _day(a["published"]),
                "url": a["url"],
                "source": a["source"],
                "origin": a["origin"],
                "added_at": a["processed_at"],
            }
        )
        if len(rows) >= 1000:
            connection.execute(sa.insert(publications), rows)
            rows = []
    if rows:
        connection.execute(sa.insert(publications), rows)


def downgrade() -> None:
    """Drop the four tables."""
    for table in ("boilerplate_lines", "boilerplate_sources", "signatures"):
        op.drop_table(table)
    op.drop_index("ix_publications_source", table_name="publications")
    op.drop_index("ix_publications_article_pk", table_name="publications")
    op.drop_table("publications")
