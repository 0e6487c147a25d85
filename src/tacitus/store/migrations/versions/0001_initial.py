"""Initial store: articles and their actors, quotes, events, times and places.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

The DDL is spelled out here rather than imported from ``tacitus.store.schema``: a released migration must
keep creating the same schema whatever the query code later becomes. ``tests/test_store.py`` checks that
the schema this creates matches ``schema.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _pk() -> sa.Column:
    return sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True)


def _article_fk() -> sa.Column:
    return sa.Column(
        "article_pk",
        sa.Integer,
        sa.ForeignKey("articles.pk", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    """Create the six tables and the indexes the event, quote and actor queries use."""
    op.create_table(
        "articles",
        _pk(),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("article_id", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.Text),
        sa.Column("published_day", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("source", sa.Text),
        sa.Column("section", sa.JSON),
        sa.Column("meta", sa.JSON),
        sa.Column("origin", sa.Text),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("record", sa.JSON, nullable=False),
        sa.Column("n_actors", sa.Integer, nullable=False),
        sa.Column("n_quotes", sa.Integer, nullable=False),
        sa.Column("n_events", sa.Integer, nullable=False),
        sa.Column("tacitus_version", sa.Text, nullable=False),
        sa.Column("processed_at", sa.Text, nullable=False),
        sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    )
    op.create_index("ix_articles_article_id", "articles", ["article_id"])
    op.create_index("ix_articles_published_day", "articles", ["published_day"])

    op.create_table(
        "actors",
        _pk(),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("actor_id", sa.Text, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("code", sa.Text),
        sa.Column("country", sa.Text),
        sa.Column("sector", sa.Text),
        sa.Column("kind", sa.Text),
        sa.Column("role", sa.Text),
        sa.Column("n_mentions", sa.Integer, nullable=False),
    )
    op.create_index("ix_actors_article_pk", "actors", ["article_pk"])
    op.create_index("ix_actors_code", "actors", ["code"])

    op.create_table(
        "quotes",
        _pk(),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("quote_id", sa.Text, nullable=False),
        sa.Column("speaker_id", sa.Text),
        sa.Column("speaker_name", sa.Text),
        sa.Column("speaker_code", sa.Text),
        sa.Column("kind", sa.Text, nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("content_start", sa.Integer, nullable=False),
        sa.Column("content_end", sa.Integer, nullable=False),
        sa.Column("cue", sa.Text),
        sa.Column("cue_start", sa.Integer),
        sa.Column("cue_end", sa.Integer),
        sa.Column("speaker_span", sa.Text),
        sa.Column("speaker_start", sa.Integer),
        sa.Column("speaker_end", sa.Integer),
        sa.Column("via_id", sa.Text),
        sa.Column("via_name", sa.Text),
    )
    op.create_index("ix_quotes_article_pk", "quotes", ["article_pk"])
    op.create_index("ix_quotes_speaker_code", "quotes", ["speaker_code"])

    op.create_table(
        "events",
        _pk(),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("event_id", sa.Text, nullable=False),
        sa.Column("source_id", sa.Text),
        sa.Column("source_name", sa.Text),
        sa.Column("source_code", sa.Text),
        sa.Column("target_id", sa.Text),
        sa.Column("target_name", sa.Text),
        sa.Column("target_code", sa.Text),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("root", sa.Text, nullable=False),
        sa.Column("quad_class", sa.Integer),
        sa.Column("goldstein", sa.Float),
        sa.Column("plover", sa.Text),
        sa.Column("negated", sa.Boolean, nullable=False),
        sa.Column("mood", sa.Text, nullable=False),
        sa.Column("date", sa.Text),
        sa.Column("day", sa.Text),
        sa.Column("day_from", sa.Text),
        sa.Column("place_name", sa.Text),
        sa.Column("place_country", sa.Text),
        sa.Column("place_lat", sa.Float),
        sa.Column("place_lon", sa.Float),
        sa.Column("sentence", sa.Text),
        sa.Column("sentence_start", sa.Integer),
        sa.Column("sentence_end", sa.Integer),
        sa.Column("trigger", sa.Text),
        sa.Column("trigger_start", sa.Integer),
        sa.Column("trigger_end", sa.Integer),
        sa.Column("rule", sa.Text),
    )
    op.create_index("ix_events_article_pk", "events", ["article_pk"])
    op.create_index("ix_events_source_code", "events", ["source_code"])
    op.create_index("ix_events_target_code", "events", ["target_code"])
    op.create_index("ix_events_code", "events", ["code"])
    op.create_index("ix_events_day", "events", ["day"])

    op.create_table(
        "times",
        _pk(),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("surface", sa.Text),
        sa.Column("value", sa.Text),
        sa.Column("type", sa.Text, nullable=False),
        sa.Column("vague", sa.Boolean, nullable=False),
    )
    op.create_index("ix_times_article_pk", "times", ["article_pk"])

    op.create_table(
        "places",
        _pk(),
        _article_fk(),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
        sa.Column("surface", sa.Text),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("country", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("geonames_id", sa.Integer),
    )
    op.create_index("ix_places_article_pk", "places", ["article_pk"])
    op.create_index("ix_places_country", "places", ["country"])


def downgrade() -> None:
    """Drop everything the upgrade created, children first."""
    for table in ("places", "times", "events", "quotes", "actors", "articles"):
        op.drop_table(table)
