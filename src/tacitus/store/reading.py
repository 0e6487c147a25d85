"""Reading the store: :class:`StoreReading`, the half of :class:`tacitus.store.Store` that answers the
queries behind ``tacitus events|quotes|actors|clusters``, reads records back and sums up what is stored.
The statements themselves are built in :mod:`tacitus.store.queries` and :mod:`tacitus.store.cluster_queries`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from tacitus.model import Record
from tacitus.store import cluster_queries, queries
from tacitus.store.schema import CHILD_TABLES, articles, publications


class StoreReading:
    """The reading methods of :class:`tacitus.store.Store` (which sets ``engine``)."""

    engine: sa.Engine

    def _rows(self, statement: sa.Select) -> list[dict[str, Any]]:
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(statement).mappings()]

    def learned_boilerplate(self, source: str | None = None) -> list[dict[str, Any]]:
        """The lines learned as boilerplate so far (source, text, n_articles: the stored articles of the
        source that have it, share: of all its stored articles), most frequent first; ``source`` keeps one
        source's."""
        return self._rows(queries.boilerplate_select(source))

    def publications(self, article_id: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Every stored publication: the outlet, URL, title and day of each printing of an article.

        Keys: article_id (of the article analysed), kind (``original``, ``exact``, ``near``), similarity,
        source, url, title, published, publication_id (the publication's own input id), added_at.
        ``article_id`` keeps one article's.
        """
        return self._rows(queries.publications_select(article_id, limit))

    def events(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        *,
        code: str | None = None,
    ) -> list[dict[str, Any]]:
        """Return stored events as plain dicts, in date order, optionally filtered.

        ``actor`` keeps events whose source or target code starts with it, ignoring case (``RUS`` finds
        ``RUSGOV``); ``code`` does the same for the CAMEO code (``04`` finds ``041``). ``since`` and
        ``until`` are inclusive ISO days compared with the row's ``date``: the event's own date when it
        has one, else the article's publication day; ``date_from`` says which (``"event"`` or
        ``"published"``). Events with neither are left out whenever a date bound is given. Keys, in table
        order: article_id, date, date_from, source_name, source_code, code, plover, goldstein,
        target_name, target_code, place, sentence, rule, event_id, root, quad_class, negated, mood,
        event_date (as in the record), event_period (the record's ``period``), event_repeated (its
        ``repeated``), place_country, place_lat,
        place_lon, trigger, sentence_start, sentence_end, trigger_start, trigger_end, source_actor,
        target_actor (actor ids), published, title, url, outlet (the record's ``source``).
        """
        since, until = _days(since, until)
        return self._rows(queries.events_select(actor, since, until, code, limit))

    def quotes(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        types: Sequence[str] | None = None,
    ) -> list[dict[str, Any]]:
        """Return stored quotes as plain dicts, in publication order, optionally filtered (``types``: keep
        the quotes of these types only).

        ``actor`` keeps quotes whose speaker's code starts with it, ignoring case; ``since`` and ``until``
        are inclusive ISO days compared with the article's publication day (returned as ``date``; the day
        the quote was said, when its clause or the dateline gives it, is ``quote_date``). Keys, in table
        order: article_id, date, speaker_name, speaker_code, kind, type, content, cue, speaker_span (the
        words naming the speaker), via_name, quote_id, speaker_actor, via_actor (actor ids),
        content_start, content_end, cue_start, cue_end, speaker_start, speaker_end, quote_date,
        place_name, place_country, place_lat, place_lon (where it was said), published, title, url,
        outlet.
        """
        since, until = _days(since, until)
        return self._rows(queries.quotes_select(actor, since, until, limit, types))

    def actors(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Return actors aggregated across articles, most widely reported first.

        One row per (name, code): name, code, kind, role, country, sector, n_articles (articles that
        mention the actor), n_mentions (mentions in all of them), first_seen and last_seen (publication
        days). ``actor`` is a case-insensitive code prefix; ``since`` and ``until`` are inclusive ISO days
        compared with the article's publication day.
        """
        since, until = _days(since, until)
        return self._rows(queries.actors_select(actor, since, until, limit))

    def event_clusters(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        *,
        code: str | None = None,
        min_sources: int | None = None,
        order: str = "day",
    ) -> list[dict[str, Any]]:
        """Return the event clusters (one real-world event each, :mod:`tacitus.store.clusters`) as dicts.

        Filters as :meth:`events` (``since``/``until`` bound the cluster's first day); ``min_sources`` keeps
        those reported by at least that many outlets; ``order`` is ``day`` or ``sources`` (most reported
        first). Keys: see :func:`tacitus.store.cluster_queries.event_clusters_select`.
        """
        since, until = _days(since, until)
        return self._rows(
            cluster_queries.event_clusters_select(actor, since, until, code, min_sources, order, limit)
        )

    def quote_clusters(
        self,
        actor: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        *,
        min_sources: int | None = None,
        order: str = "day",
    ) -> list[dict[str, Any]]:
        """Return the quotations (a quote's occurrences across articles) as dicts, filtered as
        :meth:`event_clusters` (``actor``: the speaker's code prefix)."""
        since, until = _days(since, until)
        return self._rows(
            cluster_queries.quote_clusters_select(actor, since, until, min_sources, order, limit)
        )

    def cluster_members(self, cluster_id: int, what: str = "events") -> list[dict[str, Any]]:
        """Return every mention of one event cluster (``what="quotes"``: of one quotation), with its article."""
        return self._rows(cluster_queries.members_select(cluster_id, what))

    def learned_actors(self) -> list[dict[str, Any]]:
        """Return the people stored articles named with their title (name, code, role, article_id,
        content_hash, published_day), oldest first: what :func:`tacitus.kb.learned.learned_entries` turns
        into knowledge-base entries for the next run."""
        return self._rows(queries.learned_select())

    def get_record(self, article_id: str) -> Record | None:
        """Return the stored record with this id exactly as it was written, or ``None``.

        Ids come from the input and are not guaranteed unique across inputs (only the text is); if two
        stored articles share an id, the one written last is returned.
        """
        statement = (
            sa.select(articles.c.record, articles.c.text)
            .where(articles.c.article_id == article_id)
            .order_by(articles.c.pk.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(statement).first()
        return None if row is None else _record_from(row.record, row.text)

    def records(self, since: str | None = None, until: str | None = None) -> Iterator[Record]:
        """Yield stored records in publication order, optionally within inclusive ISO publication days.

        Rows are fetched in batches, so exporting a large store does not load it all into memory; the
        connection stays open until the iterator is exhausted or closed.
        """
        since, until = _days(since, until)
        statement = (
            sa.select(articles.c.record, articles.c.text)
            .where(*queries.day_range(articles.c.published_day, since, until))
            .order_by(articles.c.published_day.asc().nulls_last(), articles.c.pk)
        )
        with self.engine.connect() as connection:
            for row in connection.execution_options(yield_per=200).execute(statement):
                yield _record_from(row.record, row.text)

    def summary(self) -> dict[str, Any]:
        """Return what the store holds: row counts per table, the publication day range and top codes.

        Keys: articles, actors, quotes, events, times, places, publications (counts), first_published,
        last_published (ISO days or ``None``), top_event_codes (up to ten dicts with code, plover, n, most frequent
        first).
        """
        result: dict[str, Any] = {}
        with self.engine.connect() as connection:
            for table in (articles, *CHILD_TABLES, publications):
                result[table.name] = connection.execute(
                    sa.select(sa.func.count()).select_from(table)
                ).scalar_one()
            first, last = connection.execute(
                sa.select(sa.func.min(articles.c.published_day), sa.func.max(articles.c.published_day))
            ).one()
            result["first_published"] = first
            result["last_published"] = last
            result["top_event_codes"] = [
                dict(r) for r in connection.execute(queries.top_codes_select()).mappings()
            ]
        return result


def _days(since: str | None, until: str | None) -> tuple[str | None, str | None]:
    """``since`` and ``until`` checked as ISO days (:class:`~tacitus.errors.InvalidDate` names the bad one)."""
    return queries.check_day(since, "since"), queries.check_day(until, "until")


def _record_from(doc: dict[str, Any] | str, text: str) -> Record:
    # Some drivers hand JSON back as text (e.g. a plain TEXT column seen through another tool).
    data = json.loads(doc) if isinstance(doc, str) else dict(doc)
    data["text"] = text
    return Record.from_dict(data)
