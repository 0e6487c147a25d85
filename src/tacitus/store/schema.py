"""The store's tables as SQLAlchemy Core ``Table`` objects, for the query and write code.

The database itself is created by the Alembic migrations in ``migrations/versions``, which spell their
DDL out and stay frozen once released. These objects describe the schema at the newest migration;
``tests/test_store.py`` compares them with a freshly migrated database (Alembic's ``compare_metadata``),
so the two cannot drift apart silently. A change to the schema is therefore two edits: a new migration and
the matching change here. The word index over ``events.sentence`` and ``quotes.content`` (revision 0010:
FTS5 tables on SQLite, ``pg_trgm`` indexes on PostgreSQL) is the one exception: it has no Table here, and
the comparison leaves it out (:mod:`tacitus.store.fulltext`).

Dates are ISO strings (TEXT) so that they compare lexicographically on SQLite and PostgreSQL alike.
Every child row keeps ``seq``, its position in the record's list, so that queries return rows in
record order. Text cut from the article (``sentence``, ``content``, ...) is stored beside its offsets so
that a table or CSV reads on its own; the offsets stay the evidence.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

articles = sa.Table(
    "articles",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
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
    # the page's own metadata, its language and crawl date (revision 0006)
    sa.Column("authors", sa.JSON),
    sa.Column("site_name", sa.Text),
    sa.Column("language", sa.Text),
    sa.Column("language_source", sa.Text),
    sa.Column("canonical_url", sa.Text),
    sa.Column("modified", sa.Text),
    sa.Column("description", sa.Text),
    sa.Column("crawled", sa.Text),
    sa.UniqueConstraint("content_hash", name="uq_articles_content_hash"),
    sa.Index("ix_articles_article_id", "article_id"),
    sa.Index("ix_articles_published_day", "published_day"),
    sa.Index("ix_articles_language", "language"),
    # an article's publication day without reading its row, which holds the whole text (revision 0010)
    sa.Index("ix_articles_pk_published_day", "pk", "published_day"),
)


def _article_fk() -> sa.Column:
    return sa.Column(
        "article_pk",
        sa.Integer,
        sa.ForeignKey("articles.pk", ondelete="CASCADE"),
        nullable=False,
    )


actors = sa.Table(
    "actors",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
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
    sa.Column("code_source", sa.Text),
    sa.Index("ix_actors_article_pk", "article_pk"),
    sa.Index("ix_actors_code", "code"),
    sa.Index("ix_actors_code_source", "code_source"),
    # an event's actor by article and id, the clustering's lookup of its kind (revision 0014)
    sa.Index("ix_actors_article_actor", "article_pk", "actor_id"),
)

quotes = sa.Table(
    "quotes",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
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
    sa.Column("type", sa.Text),
    # when and where it was said (revision 0005)
    sa.Column("date", sa.Text),
    sa.Column("place_name", sa.Text),
    sa.Column("place_country", sa.Text),
    sa.Column("place_lat", sa.Float),
    sa.Column("place_lon", sa.Float),
    # the quotation it is an occurrence of (revision 0008); the quotation's quote it matched when it
    # joined (quotes.pk, NULL for the one that started it) and the share of words they had in common
    # (revision 0015)
    sa.Column("cluster_pk", sa.Integer),
    sa.Column("cluster_via", sa.Integer),
    sa.Column("cluster_score", sa.Float),
    sa.Index("ix_quotes_article_pk", "article_pk"),
    # a speaker's quotes with their article, from the index alone (revision 0010)
    sa.Index("ix_quotes_speaker_article", "speaker_code", "article_pk"),
    sa.Index("ix_quotes_cluster_pk", "cluster_pk"),
)

events = sa.Table(
    "events",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
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
    # the event cluster (the real-world event) it is a mention of (revision 0008)
    sa.Column("cluster_pk", sa.Integer),
    # what a GDELT event row takes from its representative mention, found when the event is written
    # (revision 0013): 1 when its sentence starts in the article's lead (tacitus.lead), else 0; the
    # first gazetteer place (kind set, not "place") of the article of the source's and of the target's
    # country inside the sentence, and the first named as the event's own place (places.pk, NULL for none)
    sa.Column("in_lead", sa.Integer),
    sa.Column("source_place_pk", sa.Integer),
    sa.Column("target_place_pk", sa.Integer),
    sa.Column("place_pk", sa.Integer),
    # why it is in its cluster (revision 0015): the member it matched when it joined (events.pk, NULL for
    # the mention that started the cluster), the match's score and the rule that admitted it
    # (tacitus.store.cluster_rules.MATCH_BASES)
    sa.Column("cluster_via", sa.Integer),
    sa.Column("cluster_score", sa.Float),
    sa.Column("cluster_basis", sa.Text),
    # the time of the event's own clause when coarser than a day ("2007", "2017-W49"; Event.period), with
    # ``date`` NULL (revision 0017)
    sa.Column("period", sa.Text),
    # whether the clause tells repeated acts, a summary rather than one act
    # ("has repeatedly urged"; Event.repeated; revision 0018)
    sa.Column("repeated", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Index("ix_events_article_pk", "article_pk"),
    # code filters with the day beside them: a listing by code sorted by day reads only these (revision 0010)
    sa.Index("ix_events_source_day", "source_code", "day", "code"),
    sa.Index("ix_events_target_day", "target_code", "day", "code", "source_code"),
    sa.Index("ix_events_code_day", "code", "day"),
    sa.Index("ix_events_day", "day"),
    sa.Index("ix_events_cluster_pk", "cluster_pk"),
)

times = sa.Table(
    "times",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("span_start", sa.Integer, nullable=False),
    sa.Column("span_end", sa.Integer, nullable=False),
    sa.Column("surface", sa.Text),
    sa.Column("value", sa.Text),
    sa.Column("type", sa.Text, nullable=False),
    sa.Column("vague", sa.Boolean, nullable=False),
    sa.Index("ix_times_article_pk", "article_pk"),
)

places = sa.Table(
    "places",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
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
    sa.Column("kind", sa.Text),
    sa.Index("ix_places_article_pk", "article_pk"),
    sa.Index("ix_places_country", "country"),
    # an actor's and the action's place of a GDELT event row, each read from its index alone (revision 0012)
    sa.Index("ix_places_article_country", "article_pk", "country", "kind", "span_start", "span_end"),
    sa.Index("ix_places_article_name", "article_pk", "name", "kind"),
)

CHILD_TABLES = (actors, quotes, events, times, places)
"""The per-article tables, each tied to ``articles.pk`` with ON DELETE CASCADE."""

# -- publications, signatures and learned boilerplate (revision 0007) -----------------------------------

publications = sa.Table(
    "publications",
    metadata,
    sa.Column("pk", sa.Integer, primary_key=True, autoincrement=True),
    _article_fk(),
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
    sa.Index("ix_publications_article_pk", "article_pk"),
    sa.Index("ix_publications_source", "source"),
)
"""Every outlet that printed a stored article: its ``original`` (the one analysed), then ``exact`` and
``near`` duplicates (see :mod:`tacitus.store.publications`)."""

signatures = sa.Table(
    "signatures",
    metadata,
    sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
    sa.Column("scheme", sa.Text, nullable=False),
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("minhash", sa.LargeBinary, nullable=False),
)
"""The MinHash signature of each article's text, so a batch is checked against the store without rereading."""

signature_bands = sa.Table(
    "signature_bands",
    metadata,
    sa.Column("band", sa.SmallInteger, primary_key=True, nullable=False),
    sa.Column("key", sa.BigInteger, primary_key=True, nullable=False),
    sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True,
              nullable=False),
    sa.Index("ix_signature_bands_article_pk", "article_pk"),
    sqlite_with_rowid=False,
)  # fmt: skip
"""The LSH band keys of each stored signature (revision 0009): a run finds the stored articles that share a
band with a new one by the (band, key) primary key, never by loading every signature (see
:mod:`tacitus.store.bands`)."""

signature_state = sa.Table(
    "signature_state",
    metadata,
    sa.Column("name", sa.Text, primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)
"""``banding``: the banding the band keys were made with; ``complete``: the banding every stored article is
known to have a signature and keys of (see :mod:`tacitus.store.bands`)."""

boilerplate_sources = sa.Table(
    "boilerplate_sources",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("n_articles", sa.Integer, nullable=False),
)

boilerplate_lines = sa.Table(
    "boilerplate_lines",
    metadata,
    sa.Column("source", sa.Text, primary_key=True),
    sa.Column("line_key", sa.String(16), primary_key=True),
    sa.Column("n_articles", sa.Integer, nullable=False),
    sa.Column("text", sa.Text),
)
"""In how many stored articles of a source each paragraph key occurs; ``text`` once the line is learned."""

# -- clusters across articles (revision 0008; see tacitus.store.clusters) --------------------------------

event_clusters = sa.Table(
    "event_clusters",
    metadata,
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
    sa.Index("ix_event_clusters_day", "day"),
    sa.Index("ix_event_clusters_root", "root"),
    sa.Index("ix_event_clusters_dyad", "source_country", "target_country"),
    sa.Index("ix_event_clusters_root_days", "root", "last_day"),
    sa.Index("ix_event_clusters_dyad_days", "source_country", "target_country", "last_day"),
)
"""One real-world event reported by one or more articles (GDELT's GLOBALEVENTID is ``pk``).

``code``, ``root``, the actor codes, ``quad_class``, ``goldstein`` and ``negated`` are those of the
representative member ``event_pk`` (the first one stored); ``source_country`` and ``target_country`` are
the three-letter country parts matched on (null when the actor has none); ``day`` and ``last_day`` the
earliest and latest member day (the event's day, else its article's publication day); the place is the
first member's that has one. ``n_mentions`` counts member events, ``n_articles`` the publications of their
articles (a wire copy printed by three outlets counts three) and ``n_sources`` the distinct outlets among
those publications.
"""

quote_clusters = sa.Table(
    "quote_clusters",
    metadata,
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
    sa.Index("ix_quote_clusters_match", "speaker_key", "last_day"),
    sa.Index("ix_quote_clusters_first_day", "first_day"),
    sa.Index("ix_quote_clusters_speaker_code", "speaker_code"),
)
"""One quotation (same speaker, near-same words) with all its occurrences in stored articles.

``speaker_key`` is what speakers are matched on (the speaker's code, else the normalised name);
``content`` is the representative quote's text (``quote_pk``, the first stored); counts as for
``event_clusters``; ``first_day`` and ``last_day`` span the members' days (when said, else published).
"""

article_stories = sa.Table(
    "article_stories",
    metadata,
    sa.Column("article_pk", sa.Integer, sa.ForeignKey("articles.pk", ondelete="CASCADE"), primary_key=True),
    sa.Column("terms", sa.Text, nullable=False),
)
"""Each article's story for event clustering (revision 0011): its most distinctive words with their unit
``tf * idf`` weights, ``word weight`` pairs (:func:`tacitus.store.cluster_words.story_terms`), written
when the article is clustered, so two mentions' articles are compared without reading their texts."""
