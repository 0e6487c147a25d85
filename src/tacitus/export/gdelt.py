"""GDELT 2.0 event and mentions tables from the store: one event row per event cluster, one mention row per
publication that reports it.

The event table has GDELT's 61 columns in GDELT's order (``EVENT_COLUMNS``, as in
``GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv``), tab-separated, no header, no quoting, as GDELT
ships its files, so a notebook that reads GDELT reads this unchanged. ``GLOBALEVENTID`` is the cluster's
id (``event_clusters.pk``) and the mentions table's ``GLOBALEVENTID`` points to it. Where Tacitus has no
value a column is empty, never filled with a guess; docs/export.md says where each column comes from.

The event table of a whole SQLite store at the current revision is read with :mod:`sqlite3` alone
(:func:`write_sqlite_events`: no SQLAlchemy to import, a quarter of a CPU second); with filters, or from
PostgreSQL, the query is built by :mod:`tacitus.export.stream`. Both write the same lines
(:func:`_event_lines`).
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

from tacitus.export import lookups
from tacitus.export.actor_codes import NO_ACTOR, split_actor_code
from tacitus.export.geo import NO_GEO, make_geo
from tacitus.export.lookups import OWN_PLACE
from tacitus.lead import (  # noqa: F401 - LEAD_*, ABBREVIATIONS, sentence_ends: part of this module's API
    ABBREVIATIONS,
    LEAD_CHARS,
    LEAD_MIN_WORDS,
    LEAD_SENTENCES,
    SENTENCE_END,
    SENTENCE_STOP,
    lead_end,
    sentence_ends,
)
from tacitus.lead import in_lead as in_lead_of

if TYPE_CHECKING:  # SQLAlchemy and the query building are imported when a query is built, not before: the
    # GDELT events of a whole SQLite store are read with sqlite3 alone (write_sqlite_events)
    import sqlite3

    import sqlalchemy as sa

    from tacitus.export.filters import Filters

EVENT_COLUMNS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
"""GDELT 2.0's event table columns, in order (61)."""

MENTION_COLUMNS = (
    "GLOBALEVENTID", "EventTimeDate", "MentionTimeDate", "MentionType", "MentionSourceName",
    "MentionIdentifier", "SentenceID", "Actor1CharOffset", "Actor2CharOffset", "ActionCharOffset",
    "InRawText", "Confidence", "MentionDocLen", "MentionDocTone", "MentionDocTranslationInfo", "Extras",
)  # fmt: skip
"""GDELT 2.0's mentions table columns, in order (16)."""

# GDELT's MentionType: 1 WEB (a URL identifies the document), 2 CITATIONONLY (a textual citation does).
MENTION_WEB, MENTION_CITATION = 1, 2


def gdelt_stamp(iso: str | None) -> str:
    """GDELT's ``YYYYMMDDHHMMSS`` (UTC) for an ISO timestamp such as ``2026-12-03T10:04:05+00:00``; a day
    alone gives midnight; ``""`` for none."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y%m%d%H%M%S")


def day_columns(day: str | None) -> tuple[str, str, str, str]:
    """SQLDATE, MonthYear, Year and FractionDate of an ISO day (GDELT: FractionDate is
    Year + (month * 30 + day) / 365, to four decimals); empty strings for no day."""
    if not day or len(day) < 10:
        return "", "", "", ""
    year, month, dom = day[:4], day[5:7], day[8:10]
    try:
        fraction = int(year) + (int(month) * 30 + int(dom)) / 365
    except ValueError:
        return "", "", "", ""
    return f"{year}{month}{dom}", f"{year}{month}", year, f"{fraction:.4f}"


def base_code(code: str) -> str:
    """GDELT's EventBaseCode: the 3-digit level of a 4-digit code, else the code itself."""
    return code[:3] if len(code) == 4 else code


def _clean(value: str | None) -> str:
    # GDELT files are never quoted: a tab or line break inside a name would shift every later column
    if not value:
        return ""
    if "\t" in value or "\n" in value or "\r" in value:
        return " ".join(value.split())
    return value


def _text(value: Any) -> str:
    """A cell: empty for None, a string made safe for a tab-separated line, else the value's ``str``."""
    if value is None:
        return ""
    return _clean(value) if isinstance(value, str) else str(value)


# Each row joins a few pre-formatted groups of cells; the groups repeat across rows (the same actor, day or
# place in thousands of clusters), so they are formatted once and cached. Bounded caches keep memory flat.
_EMPTY_ACTOR = "\t" * 9
_EMPTY_GEO = "\t" * 7


@lru_cache(maxsize=65536)
def actor_cells(code: str | None, name: str | None) -> str:
    """GDELT's ten actor columns (code, name, country, known group, ethnic, religions, types), tab-joined."""
    parts = split_actor_code(code)
    if parts is NO_ACTOR:
        return _EMPTY_ACTOR
    return "\t".join(
        (parts.code, _clean(name).upper(), parts.country, parts.known_group, parts.ethnic, parts.religion1,
         parts.religion2, parts.type1, parts.type2, parts.type3)
    )  # fmt: skip


@lru_cache(maxsize=65536)
def geo_cells(
    name: str | None, country: str | None, lat: Any, lon: Any, kind: str | None, geonames_id: int | None
) -> str:
    """GDELT's eight geography columns of one place, tab-joined (:func:`tacitus.export.geo.make_geo`)."""
    geo = make_geo(_clean(name), country, lat, lon, kind, geonames_id)
    return _EMPTY_GEO if geo is NO_GEO else "\t".join(_text(v) for v in geo.cells())


@lru_cache(maxsize=16384)
def day_cells(day: str | None) -> str:
    """SQLDATE, MonthYear, Year and FractionDate, tab-joined (:func:`day_columns`)."""
    return "\t".join(day_columns(day))


@lru_cache(maxsize=4096)
def _stamp(iso: str | None) -> str:
    # the store writes UTC stamps as 2026-12-03T07:55:36+00:00: cut them up rather than parse each one;
    # cached because a clustering run stamps every cluster it writes with the same moment
    if iso and len(iso) == 25 and iso.endswith("+00:00"):
        return iso[0:4] + iso[5:7] + iso[8:10] + iso[11:13] + iso[14:16] + iso[17:19]
    return gdelt_stamp(iso)


def _chunk_geo(connection: Any, chunk: list[tuple]) -> dict[int, str]:
    """The geography cells of the places a chunk's rows name (their last three columns), by place pk."""
    pks = {pk for row in chunk for pk in row[-3:] if pk}
    return {
        pk: geo_cells(name, country, lat, lon, kind, geonames_id)
        for pk, name, country, lat, lon, kind, geonames_id in lookups.places_by_pk(connection, pks)
    }


def _own_geo(connection: Any, chunk: list[tuple]) -> dict[int, str]:
    """The geography cells of the clusters' own places where their article does not name them (the place
    came from another member article: no kind or id for it here), by cluster pk."""
    pks = [row[0] for row in chunk if row[-1] == OWN_PLACE]
    return {
        pk: geo_cells(name, country, lat, lon, None, None)
        for pk, name, country, lat, lon in lookups.cluster_places(connection, pks)
    }


def _number(value: Any) -> str:
    return "" if value is None else str(value)


def _urls(connection: Any, chunk: list[tuple]) -> dict[int | None, str]:
    """SOURCEURL of a chunk's articles (the 9th column), by article pk; ``""`` for none."""
    urls: dict[int | None, str] = {None: ""}
    for pk, url in lookups.article_urls(connection, {row[8] for row in chunk if row[8] is not None}):
        # a URL with no tab or line break (isprintable is False for them) is written as it is
        urls[pk] = "" if url is None else url if url.isprintable() else _clean(url)
    return urls


def _root_events(connection: Any, chunk: list[tuple]) -> dict[int, str]:
    """IsRootEvent of the rows whose event was stored without ``in_lead`` (the 12th column is None), by
    cluster pk: from the lead of their articles, whose first characters are read once per chunk."""
    missing = {row[0]: row[8] for row in chunk if row[11] is None}
    if not missing:
        return {}
    starts = dict(lookups.sentence_starts(connection, missing))
    # a sentence starting past LEAD_CHARS is not in the lead (which ends within them), and one starting at
    # 0 is: only the articles of the other mentions are read
    near_top = {missing[pk] for pk, start in starts.items() if start is not None and 0 < start < LEAD_CHARS}
    leads = {pk: lead_end(head) for pk, head in lookups.text_heads(connection, near_top, LEAD_CHARS).items()}
    return {
        pk: "1" if in_lead_of(start, leads.get(missing[pk], 0)) else "0"
        for pk, start in starts.items()
        if start is not None
    }


def event_lines(connection: sa.Connection, filters: Filters) -> Iterator[list[str]]:
    """GDELT event table lines, a chunk at a time, for the clusters ``filters`` keep.

    The database hands each row its representative mention's IsRootEvent cell and three place pks, stored
    when the event was written (:func:`tacitus.export.stream.gdelt_events_rows`); here a chunk's places
    and URLs are read once per chunk and formatted once each (:func:`_chunk_geo`, :func:`_urls`). For
    events stored without the flag, the lead is found from their articles' first characters
    (:func:`_root_events`)."""
    from tacitus.export import stream

    yield from _event_lines(connection, stream.raw_chunks(connection, stream.gdelt_events_rows(filters)))


def _event_lines(connection: Any, chunks: Iterator[list[tuple]]) -> Iterator[list[str]]:
    """The lines of :func:`event_lines` from the rows of :func:`tacitus.export.stream.gdelt_events_rows`,
    with the chunks' lookups run on ``connection`` (SQLAlchemy's or a DB-API connection)."""
    for chunk in chunks:
        place = _chunk_geo(connection, chunk).get
        own = _own_geo(connection, chunk)
        url_of = _urls(connection, chunk).__getitem__
        found = _root_events(connection, chunk)
        lines = []
        append = lines.append
        for (
            pk, codes, source_code, target_code, goldstein, day, counts, added_at, article_pk, source_name,
            target_name, root_event, source_place, target_place, action_place,
        ) in chunk:  # fmt: skip
            # one join over a tuple: the cells are strings already (codes and counts joined by the database)
            append(
                "\t".join((
                    str(pk), day_cells(day), actor_cells(source_code, source_name),
                    actor_cells(target_code, target_name), found[pk] if root_event is None else root_event,
                    codes, "" if goldstein is None else str(goldstein), counts, "",
                    place(source_place, _EMPTY_GEO), place(target_place, _EMPTY_GEO),
                    own[pk] if action_place == OWN_PLACE else place(action_place, _EMPTY_GEO),
                    _stamp(added_at), url_of(article_pk) + "\n",
                ))
            )  # fmt: skip
        yield lines


# -- mentions -----------------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def source_name(url: str | None, outlet: str | None) -> str:
    """GDELT's MentionSourceName: the URL's host without ``www.`` (``nytimes.com``), else the outlet."""
    if url:
        host = urlsplit(url).hostname or ""
        if host:
            return host[4:] if host.startswith("www.") else host
    return outlet or ""


def sentence_starts(text: str) -> list[int]:
    """The offsets at which a new sentence begins, for :func:`sentence_number`: just past each sentence end
    (:func:`sentence_ends`) and after each unpunctuated line (a headline, a crosshead), sorted."""
    marks = [match.start() + 1 for match in SENTENCE_STOP.finditer(text)]
    if "\n" in text:
        at = 0
        for line in text.split("\n")[:-1]:
            at += len(line) + 1
            if line.strip() and not SENTENCE_END.search(line.rstrip() + " "):
                marks.append(at - 1)
        marks.sort()
    return marks


def sentence_number(text: str | list[int], start: int) -> int:
    """GDELT's SentenceID for a sentence starting at ``start``: 1 + the sentence ends and unpunctuated lines
    before it (``text`` may be the :func:`sentence_starts` of the text, computed once for many sentences).
    The parser's own sentence splits are not stored; this counts them again from the punctuation."""
    marks = sentence_starts(text) if isinstance(text, str) else text
    return bisect_left(marks, start) + 1


def _actor_offset(actors: dict[str, list], actor_id: str | None, start: int | None, end: int | None) -> int:
    """Where the actor is named in the mention's sentence (its first mention there), else -1 (GDELT's value
    for "not found")."""
    if not actor_id or start is None or end is None:
        return -1
    for s, e in actors.get(actor_id, ()):
        if s >= start and e <= end:
            return s
    return -1


class _Articles:
    """What the mentions need of a chunk's articles: text length, sentence starts, actors' mentions."""

    def __init__(
        self, connection: sa.Connection, needed: dict[int, int], actor_ids: dict[int, set[str]]
    ) -> None:
        """``needed``: article pk -> the furthest sentence start asked for (sentences are counted up to it);
        ``actor_ids``: article pk -> the ids of the actors whose mentions are asked for (an article names
        dozens of actors; only these are kept)."""
        import sqlalchemy as sa

        from tacitus.store.schema import articles

        a = articles
        # only the record's actors are read: the whole record would be parsed for nothing
        stmt = sa.select(a.c.pk, a.c.text, a.c.record["actors"].label("actors")).where(
            a.c.pk.in_(sorted(needed))
        )
        self.length: dict[int, int] = {}
        self.starts: dict[int, list[int]] = {}
        self.actors: dict[int, dict[str, list]] = {}
        for pk, text, actors in connection.execute(stmt):
            text = text or ""
            self.length[pk] = len(text)
            self.starts[pk] = sentence_starts(text[: needed[pk] + 1])
            if isinstance(actors, str):
                actors = json.loads(actors)
            wanted = actor_ids.get(pk, ())
            kept: dict[str, list] = {}
            for x in actors or ():
                if isinstance(x, dict) and (actor_id := x.get("id")) in wanted:
                    kept[actor_id] = x.get("mentions") or []
            self.actors[pk] = kept


_MENTION_SOURCES = (
    "cluster_id", "cluster_added_at", "event_pk", "article_pk", "source_id", "target_id", "sentence_start",
    "sentence_end", "trigger_start", "outlet", "url", "publication_id", "added_at", "article_id",
)  # fmt: skip
"""The columns of :func:`tacitus.export.stream.mentions_rows` a GDELT mention is made of."""


def mention_lines(connection: sa.Connection, filters: Filters) -> Iterator[list[str]]:
    """GDELT mentions table lines, a chunk at a time: one per publication of each article reporting a
    kept cluster (the article's first member event is its mention)."""
    # without the columns only the CSV and Parquet mentions have: the sentence (text handed to Python for
    # every row) and the article's language (stored after its text and record: read through their overflow
    # pages for every row)
    from tacitus.export import stream

    statement = stream.mentions_rows(filters, only=_MENTION_SOURCES)
    rows = stream.first_per_article(stream.chunks(connection, statement))
    for chunk in _batched(rows, lookups.CHUNK):
        needed: dict[int, int] = {}
        actor_ids: dict[int, set[str]] = {}
        for r in chunk:
            needed[r.article_pk] = max(needed.get(r.article_pk, 0), r.sentence_start or 0)
            actor_ids.setdefault(r.article_pk, set()).update((r.source_id, r.target_id))
        docs = _Articles(connection, needed, actor_ids)
        lines = []
        append = lines.append
        for r in chunk:
            url, start, end = r.url, r.sentence_start, r.sentence_end
            actors = docs.actors.get(r.article_pk, {})
            if url:
                kind, identifier = MENTION_WEB, _clean(url)
            else:
                kind, identifier = (
                    MENTION_CITATION,
                    _clean(" ".join(p for p in (r.outlet, r.publication_id or r.article_id) if p)),
                )
            sentence = "" if start is None else bisect_left(docs.starts.get(r.article_pk, []), start) + 1
            action = -1 if r.trigger_start is None else r.trigger_start
            append(
                f"{r.cluster_id}\t{_stamp(r.cluster_added_at)}\t{_stamp(r.added_at)}\t{kind}\t"
                f"{_clean(source_name(url, r.outlet))}\t{identifier}\t{sentence}\t"
                f"{_actor_offset(actors, r.source_id, start, end)}\t{_actor_offset(actors, r.target_id, start, end)}\t"
                f"{action}\t\t\t{_number(docs.length.get(r.article_pk))}\t\t\t\n"
            )
        yield lines


def _batched(rows: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write(
    connection: sa.Connection, what: str, filters: Filters, out: IO[str], *, header: bool = False
) -> int:
    """Write the GDELT ``events`` or ``mentions`` table to ``out`` and return the number of rows."""
    columns, lines = (
        (EVENT_COLUMNS, event_lines(connection, filters))
        if what == "events"
        else (MENTION_COLUMNS, mention_lines(connection, filters))
    )
    if header:
        out.write("\t".join(columns) + "\n")
    n = 0
    for chunk in lines:
        out.write("".join(chunk))
        n += len(chunk)
    return n


# -- a whole SQLite store's event table, with sqlite3 alone -------------------------------------------------

SQLITE_EVENTS = (
    "SELECT event_clusters.pk, event_clusters.code || '\t' || CASE WHEN (length(event_clusters.code) ="
    " 4) THEN substr(event_clusters.code, 1, 3) ELSE event_clusters.code END || '\t' || event_clusters"
    ".root || '\t' || coalesce(CAST(event_clusters.quad_class AS TEXT), '') AS codes, event_clusters.s"
    'ource_code, event_clusters.target_code, event_clusters.goldstein, event_clusters.day, CAST(event'
    "_clusters.n_mentions AS TEXT) || '\t' || CAST(event_clusters.n_sources AS TEXT) || '\t' || CAST(ev"
    'ent_clusters.n_articles AS TEXT) AS counts, event_clusters.added_at, events.article_pk, events.s'
    'ource_name, events.target_name, CASE WHEN (events.article_pk IS NULL OR events.sentence_start IS'
    " NULL) THEN '' WHEN (events.in_lead IS NULL) THEN NULL WHEN (events.in_lead = 0) THEN '0' ELSE '"
    "1' END AS root_event, CASE WHEN (events.in_lead IS NOT NULL) THEN events.source_place_pk ELSE (S"
    'ELECT min(gp.pk + 0) AS min_1 \nFROM places AS gp \nWHERE gp.article_pk = events.article_pk AND gp'
    ".kind != 'place' AND gp.country = event_clusters.source_country AND gp.span_start >= events.sent"
    'ence_start AND gp.span_end <= events.sentence_end) END AS source_place, CASE WHEN (events.in_lea'
    'd IS NOT NULL) THEN events.target_place_pk ELSE (SELECT min(gp.pk + 0) AS min_2 \nFROM places AS '
    "gp \nWHERE gp.article_pk = events.article_pk AND gp.kind != 'place' AND gp.country = event_cluste"
    'rs.target_country AND gp.span_start >= events.sentence_start AND gp.span_end <= events.sentence_'
    "end) END AS target_place, CASE WHEN (coalesce(event_clusters.place_name, '') = '') THEN NULL WHE"
    'N (events.in_lead IS NOT NULL AND event_clusters.place_name = events.place_name) THEN coalesce(e'
    'vents.place_pk, 0) ELSE coalesce((SELECT min(gp.pk + 0) AS min_3 \nFROM places AS gp \nWHERE gp.ar'
    "ticle_pk = events.article_pk AND gp.kind != 'place' AND gp.name = event_clusters.place_name), 0)"
    ' END AS action_place \nFROM event_clusters LEFT OUTER JOIN events ON events.pk = event_clusters.e'
    'vent_pk ORDER BY event_clusters.pk'
)  # fmt: skip
"""What :func:`tacitus.export.stream.gdelt_events_rows` compiles to on SQLite without filters, written out
so that a whole store's event table is read without importing SQLAlchemy (a quarter of a CPU second of a
100,000-row export); tests/test_export_gdelt.py checks that the two stay the same statement."""


def sqlite_file_at_head(db: str | Path) -> Path | None:
    """The SQLite file ``db`` names when it is a plain path to an existing file (not a URL) whose store is
    at the schema revision this Tacitus ships, else None (the caller opens it as any store: a URL, a store
    to migrate, a file that is no store, each with the store's own checks and messages)."""
    import sqlite3

    from tacitus.schema_revisions import shipped_head

    if not isinstance(db, (str, Path)) or (isinstance(db, str) and (db == ":memory:" or "://" in db)):
        return None
    path = Path(db).expanduser()
    head = shipped_head()
    if head is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(path)
    except sqlite3.Error:
        return None
    try:
        versions = {v for (v,) in connection.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.Error:  # not a database, or no store
        return None
    finally:
        connection.close()
    return path if versions == {head} else None


def write_sqlite_events(path: Path, out: IO[str], *, header: bool = False) -> int:
    """Write the GDELT event table of the whole SQLite store at ``path`` (at the shipped revision:
    :func:`sqlite_file_at_head`) to ``out`` with :mod:`sqlite3` alone, in one read transaction; the same
    bytes as :func:`write` with no filters."""
    import sqlite3

    connection: sqlite3.Connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")  # one snapshot for the rows and the chunks' lookups
        cursor = connection.execute(SQLITE_EVENTS)

        def chunks() -> Iterator[list[tuple]]:
            while rows := cursor.fetchmany(lookups.CHUNK):
                yield rows

        if header:
            out.write("\t".join(EVENT_COLUMNS) + "\n")
        n = 0
        for lines in _event_lines(connection, chunks()):
            out.write("".join(lines))
            n += len(lines)
        connection.execute("COMMIT")
        return n
    finally:
        connection.close()
