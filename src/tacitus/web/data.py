"""What the pages and the API read from the store beyond the paginated listings: an article's record by
its key, an actor's profile, a dyad's events, the store's summary, CSV streams, and the analysis of posted
text. Plain functions over a :class:`~tacitus.store.Store`; the routers only call them and format.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator, Mapping
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from tacitus.errors import TacitusError
from tacitus.model import Article, Record
from tacitus.store import Store, queries
from tacitus.store.schema import actors, articles, events, quotes
from tacitus.web.listing import LISTINGS, BadFilter, conditions, with_article_key

__all__ = [
    "MAX_ANALYZE_CHARS",
    "AnalysisRefused",
    "actor_profile",
    "analyze_posted",
    "article_key",
    "csv_stream",
    "dyad_events",
    "find_record",
    "weekly_series",
]

MAX_ANALYZE_CHARS = 200_000
"""Longest text ``POST /api/analyze`` takes, the most the pipeline analyses of one article anyway."""

CSV_BATCH = 1000


class AnalysisRefused(TacitusError):
    """Posted text or HTML cannot be analysed (empty, too long, no article in the page)."""


def article_key(article_id: str | None, content_hash: str) -> str:
    """The key an article's page and API address use: its id, or its content hash when it has none."""
    return article_id if article_id else content_hash


def find_record(store: Store, key: str) -> tuple[Record, dict[str, Any]] | None:
    """The stored record whose id (else content hash) is ``key``, with its article row, or None.

    Ids come from inputs and may repeat; the article written last wins, as ``Store.get_record`` does.
    """
    stmt = (
        sa.select(
            articles.c.record,
            articles.c.text,
            articles.c.pk,
            articles.c.article_id,
            articles.c.content_hash,
            articles.c.processed_at,
            articles.c.tacitus_version,
        )
        .where(sa.or_(articles.c.article_id == key, articles.c.content_hash == key))
        .order_by((articles.c.article_id == key).desc(), articles.c.pk.desc())
        .limit(1)
    )
    with store.engine.connect() as connection:
        row = connection.execute(stmt).mappings().first()
    if row is None:
        return None
    doc = json.loads(row["record"]) if isinstance(row["record"], str) else dict(row["record"])
    doc["text"] = row["text"]
    meta = {k: row[k] for k in ("pk", "article_id", "content_hash", "processed_at", "tacitus_version")}
    return Record.from_dict(doc), meta


SUMMARY_TTL = 60.0
"""Seconds the store's summary is reused: counting every table of a 100,000-event store and ranking its
codes takes about 0.3 s, too much for every search page, and a minute-old count misleads no one."""

_summaries: dict[int, tuple[float, dict[str, Any]]] = {}
_summary_lock = threading.Lock()


def summary(store: Store) -> dict[str, Any]:
    """What the store holds (``Store.summary``: counts, the publication day range, the top event codes),
    computed at most once every :data:`SUMMARY_TTL` seconds per store."""
    now = time.monotonic()
    with _summary_lock:
        cached = _summaries.get(id(store))
        if cached is not None and now - cached[0] < SUMMARY_TTL:
            return cached[1]
    value = store.summary()
    with _summary_lock:
        _summaries[id(store)] = (now, value)
    return value


# -- actors and dyads -----------------------------------------------------------------------------------


def actor_profile(store: Store, code: str, quote_limit: int = 50) -> dict[str, Any] | None:
    """Everything the actor page shows about actor ``code`` (exact, case-insensitive), or None when no
    stored actor, event or quote has it.

    Keys: ``code``; ``names`` (each name and role seen with the code, how the code was found, in how many
    articles and over which days: roles over time); ``as_source``/``as_target`` (event counts);
    ``series`` (events per week as source and as target); ``partners`` (the actors it acts on or is
    acted on by most); ``quotes`` (what it said, newest first) and ``about`` (whom its quotations name).
    """
    code = code.strip().upper()
    t, a, e, q = actors, articles, events, quotes
    with store.engine.connect() as connection:
        names = [
            dict(r)
            for r in connection.execute(
                sa.select(
                    t.c.name,
                    t.c.role,
                    t.c.kind,
                    t.c.code_source,
                    sa.func.count(sa.distinct(t.c.article_pk)).label("n_articles"),
                    sa.func.min(a.c.published_day).label("first_seen"),
                    sa.func.max(a.c.published_day).label("last_seen"),
                )
                .join_from(t, a, t.c.article_pk == a.c.pk)
                .where(t.c.code == code)
                .group_by(t.c.name, t.c.role, t.c.kind, t.c.code_source)
                .order_by(sa.func.min(a.c.published_day).asc().nulls_last(), t.c.name)
            ).mappings()
        ]
        event_rows = [
            dict(r)
            for r in connection.execute(
                sa.select(
                    e.c.day, e.c.goldstein, e.c.source_code, e.c.target_code, e.c.source_name, e.c.target_name
                ).where(sa.or_(e.c.source_code == code, e.c.target_code == code))
            ).mappings()
        ]
        said = [
            with_article_key(dict(r))
            for r in connection.execute(
                queries.quotes_select()
                .add_columns(a.c.content_hash.label("article_hash"))
                .where(q.c.speaker_code == code)
                .order_by(None)
                .order_by(a.c.published_day.desc().nulls_last(), a.c.pk.desc(), q.c.seq)
                .limit(quote_limit)
            ).mappings()
        ]
    if not names and not event_rows and not said:
        return None
    as_source = [r for r in event_rows if r["source_code"] == code]
    as_target = [r for r in event_rows if r["target_code"] == code]
    partners: dict[tuple[str, str], dict[str, Any]] = {}
    for row in event_rows:
        for mine, theirs, name in (
            ("source_code", "target_code", "target_name"),
            ("target_code", "source_code", "source_name"),
        ):
            if row[mine] == code and row[theirs] and row[theirs] != code:
                key = (row[theirs], "to" if mine == "source_code" else "from")
                entry = partners.setdefault(
                    key, {"code": row[theirs], "direction": key[1], "name": row[name], "n": 0}
                )
                entry["n"] += 1
    return {
        "code": code,
        "names": names,
        "as_source": len(as_source),
        "as_target": len(as_target),
        "series": {"as source": weekly_series(as_source), "as target": weekly_series(as_target)},
        "partners": sorted(partners.values(), key=lambda p: (-p["n"], p["code"], p["direction"]))[:20],
        "quotes": said,
        "about": _quoted_about(store, said),
    }


def _quoted_about(store: Store, said: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # Whom a quotation is about: the actors of its article mentioned inside its words. That needs the
    # records (mentions are offsets), so it is read for the quotes shown only.
    counts: dict[tuple[str, str | None], int] = {}
    by_article: dict[str, list[dict[str, Any]]] = {}
    for quote in said:
        by_article.setdefault(quote["article_key"], []).append(quote)
    for digest, items in by_article.items():
        found = find_record(store, digest)
        if found is None:
            continue
        record = found[0]
        for quote in items:
            start, end = quote["content_start"], quote["content_end"]
            for actor in record.actors:
                if actor.id == quote["speaker_actor"]:
                    continue
                if any(start <= s and e <= end for s, e in actor.mentions):
                    key = (actor.name, actor.code)
                    counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [{"name": name, "code": code, "n": n} for (name, code), n in ranked[:20]]


def _week_start(day: str) -> date | None:
    try:
        parsed = date.fromisoformat(day[:10])
    except (TypeError, ValueError):
        return None  # a year or a month alone has no week
    return parsed - timedelta(days=parsed.weekday())


def weekly_series(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Count ``rows`` (dicts with ``day`` and ``goldstein``) per ISO week (Monday first), with the mean
    Goldstein score of the week's events that have one; weeks in order, empty weeks between left out.
    Rows whose day is unknown or only a month or year are not in any week."""
    weeks: dict[date, list[float | None]] = {}
    for row in rows:
        start = _week_start(row.get("day") or "")
        if start is not None:
            weeks.setdefault(start, []).append(row.get("goldstein"))
    series = []
    for start in sorted(weeks):
        scores = [g for g in weeks[start] if g is not None]
        iso = start.isocalendar()
        series.append(
            {
                "week": f"{iso.year}-W{iso.week:02d}",
                "start": start.isoformat(),
                "end": (start + timedelta(days=6)).isoformat(),
                "n": len(weeks[start]),
                "goldstein": round(sum(scores) / len(scores), 2) if scores else None,
            }
        )
    return series


def dyad_events(store: Store, a: str, b: str, week: str | None = None) -> list[dict[str, Any]]:
    """Every event between actors ``a`` and ``b`` (exact codes, either direction), in date order, as the
    events listing gives them; ``week`` (``2024-W05``) keeps one ISO week's."""
    a, b = a.strip().upper(), b.strip().upper()
    e = events
    stmt = (
        queries.events_select()
        .add_columns(articles.c.content_hash.label("article_hash"))
        .where(
            sa.or_(
                sa.and_(e.c.source_code == a, e.c.target_code == b),
                sa.and_(e.c.source_code == b, e.c.target_code == a),
            )
        )
    )
    if week:
        try:
            year, number = week.split("-W")
            start = date.fromisocalendar(int(year), int(number), 1)
        except ValueError:
            raise BadFilter(f"week {week!r} is not an ISO week; write it like 2024-W05") from None
        stmt = stmt.where(
            *queries.day_range(e.c.day, start.isoformat(), (start + timedelta(days=6)).isoformat())
        )
    with store.engine.connect() as connection:
        return [with_article_key(dict(r)) for r in connection.execute(stmt).mappings()]


# -- CSV ------------------------------------------------------------------------------------------------


def csv_stream(store: Store, what: str, filters: Mapping[str, str | None]) -> Iterator[str]:
    """Every ``events`` or ``quotes`` row matching ``filters`` as CSV text, in batches: the columns of
    ``tacitus events|quotes --format csv``. Raises :class:`BadFilter` before the first line is made."""
    listing = LISTINGS[what]
    where, _ = conditions(listing, filters)
    select = queries.events_select if what == "events" else queries.quotes_select
    stmt = select().where(*where)
    columns = queries.column_names(what)

    def lines() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        with store.engine.connect() as connection:
            result = connection.execution_options(yield_per=CSV_BATCH).execute(stmt).mappings()
            for n, row in enumerate(result, 1):
                writer.writerow(row)
                if n % CSV_BATCH == 0:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
        yield buffer.getvalue()

    return lines()


# -- analysis of posted text ----------------------------------------------------------------------------

_ANALYSIS_LOCK = threading.Lock()


def analyze_posted(
    text: str | None = None,
    html: str | None = None,
    *,
    title: str | None = None,
    published: str | None = None,
) -> Record:
    """Analyse a posted text or HTML page (never fetched: the page itself is sent) into a record.

    Exactly one of ``text`` and ``html`` must be given. ``published`` (YYYY-MM-DD) anchors relative dates.
    Raises :class:`AnalysisRefused` naming the problem (both or neither given, too long, no article found
    in the page) and :class:`~tacitus.errors.InvalidDate` for a bad ``published``.
    """
    from tacitus.pipeline import analyze

    if (text is None or not text.strip()) == (html is None or not html.strip()):
        raise AnalysisRefused("send either `text` or `html` (one of them, not empty)")
    day = queries.check_day(published, "published") if published else None
    if text is not None and text.strip():
        if len(text) > MAX_ANALYZE_CHARS:
            raise AnalysisRefused(
                f"the text is {len(text):,} characters long; send at most {MAX_ANALYZE_CHARS:,} "
                "(or analyse it with `tacitus extract`)"
            )
        article = Article(text=text, title=title or None, published=day, id="posted")
    else:
        from tacitus.ingest.html import parse_html

        article = parse_html(html or "", origin="posted page")
        if not article.text.strip():
            raise AnalysisRefused("no article text was found in the posted HTML page; send its text instead")
        article.id = "posted"
        article.title = title or article.title
        article.published = day or article.published
    # spaCy pipelines are not safe to call from several threads at once: one analysis at a time
    with _ANALYSIS_LOCK:
        return analyze(article)
