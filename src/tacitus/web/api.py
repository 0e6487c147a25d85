"""The JSON API under ``/api``: listings with the CLI's filters, sorting and cursor pagination, one
article's record, clusters, a summary, CSV downloads and (with ``--allow-analyze``) analysis of posted text.

Every listing answers ``{"items": [...], "next": cursor or null, "total": n, "sort": key, "filters":
{...}}``; pass ``next`` back as ``cursor`` (with the same filters and sort) for the following page. Errors
are ``{"error": "..."}`` with 400 (a bad filter, sort, limit or cursor), 403 (analysis not enabled), 404,
413 (body too large), 414 (query too long) or 422 (a body that is not what the endpoint takes).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from tacitus.store import Store
from tacitus.web import data
from tacitus.web.listing import DEFAULT_LIMIT, EVENTS, MAX_LIMIT, QUOTES, Page, list_actors, list_rows

router = APIRouter(prefix="/api", tags=["api"])


class PageOut(BaseModel):
    """One page of a listing."""

    items: list[dict[str, Any]] = Field(description="The rows, with the columns of the matching CLI listing.")
    next: str | None = Field(description="Opaque cursor of the next page; null on the last page.")
    total: int = Field(description="How many rows match the filters, on all pages.")
    sort: str = Field(description="The sort applied: a key, or -key when descending.")
    filters: dict[str, str] = Field(description="The filters applied.")


class AnalyzeIn(BaseModel):
    """A text or an HTML page to analyse: exactly one of ``text`` and ``html``."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(None, description="The article's body, analysed as is.")
    html: str | None = Field(
        None, description="A whole HTML page (sent, never fetched); its article is extracted."
    )
    title: str | None = Field(None, max_length=1000)
    published: str | None = Field(None, description="Publication day, YYYY-MM-DD: anchors 'on Thursday'.")


def _store(request: Request) -> Store:
    return request.app.state.store


def _page(page: Page) -> dict[str, Any]:
    return {
        "items": page.items,
        "next": page.next_cursor,
        "total": page.total,
        "sort": page.sort,
        "filters": page.filters,
    }


Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Rows per page (1 to {MAX_LIMIT}).")]
Cursor = Annotated[str | None, Query(max_length=400, description="The `next` value of the previous page.")]
Text = Annotated[str | None, Query(max_length=200)]


def _doc(listing, name: str) -> Any:  # noqa: ANN001 - a Listing
    return Query(None, max_length=200, description=listing.filter_help[name])


@router.get("/events", response_model=PageOut, summary="List events")
def list_events(
    request: Request,
    actor: str | None = _doc(EVENTS, "actor"),
    source: str | None = _doc(EVENTS, "source"),
    target: str | None = _doc(EVENTS, "target"),
    code: str | None = _doc(EVENTS, "code"),
    plover: str | None = _doc(EVENTS, "plover"),
    since: str | None = _doc(EVENTS, "since"),
    until: str | None = _doc(EVENTS, "until"),
    text: str | None = _doc(EVENTS, "text"),
    article: str | None = _doc(EVENTS, "article"),
    cluster: str | None = _doc(EVENTS, "cluster"),
    outlet: str | None = _doc(EVENTS, "outlet"),
    sort: Annotated[
        str, Query(max_length=20, description="date, goldstein or published; -key for descending.")
    ] = "date",
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Events (who did what to whom), with the columns of `tacitus events --format json` plus `pk` (the
    event's row) and `cluster` (its event cluster, when clustering has run)."""
    filters = {k: v for k, v in locals().items() if k not in ("request", "sort", "limit", "cursor")}
    return _page(list_rows(_store(request), "events", filters, sort=sort, limit=limit, cursor=cursor))


@router.get("/quotes", response_model=PageOut, summary="List quotes")
def list_quotes(
    request: Request,
    actor: str | None = _doc(QUOTES, "actor"),
    speaker: str | None = _doc(QUOTES, "speaker"),
    type: str | None = _doc(QUOTES, "type"),  # noqa: A002 - the CLI's --type
    since: str | None = _doc(QUOTES, "since"),
    until: str | None = _doc(QUOTES, "until"),
    text: str | None = _doc(QUOTES, "text"),
    article: str | None = _doc(QUOTES, "article"),
    cluster: str | None = _doc(QUOTES, "cluster"),
    outlet: str | None = _doc(QUOTES, "outlet"),
    sort: Annotated[
        str, Query(max_length=20, description="date (publication day); -date for newest first.")
    ] = "date",
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Quotes (who said what), with the columns of `tacitus quotes --format json` plus `pk` and `cluster`."""
    filters = {k: v for k, v in locals().items() if k not in ("request", "sort", "limit", "cursor")}
    return _page(list_rows(_store(request), "quotes", filters, sort=sort, limit=limit, cursor=cursor))


@router.get("/actors", response_model=PageOut, summary="List actors")
def list_actors_endpoint(
    request: Request,
    actor: Text = None,
    since: Text = None,
    until: Text = None,
    text: Annotated[str | None, Query(max_length=200, description="words in the actor's name")] = None,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Actors across articles, most widely reported first, as `tacitus actors --format json` lists them:
    `actor` is a code prefix, `since`/`until` publication days."""
    filters = {"actor": actor, "since": since, "until": until, "text": text}
    return _page(list_actors(_store(request), filters, limit=limit, cursor=cursor))


@router.get("/articles", response_model=PageOut, summary="List articles")
def list_articles(
    request: Request,
    since: Text = None,
    until: Text = None,
    text: Annotated[str | None, Query(max_length=200, description="words in the title")] = None,
    outlet: Text = None,
    language: Text = None,
    actor: Annotated[
        str | None, Query(max_length=200, description="an actor code prefix found in it")
    ] = None,
    sort: Annotated[
        str, Query(max_length=20, description="published or events; -key for descending.")
    ] = "-published",
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Stored articles (metadata and counts; the record is at /api/articles/{key}), newest first."""
    filters = {
        "since": since,
        "until": until,
        "text": text,
        "outlet": outlet,
        "language": language,
        "actor": actor,
    }
    page = list_rows(_store(request), "articles", filters, sort=sort, limit=limit, cursor=cursor)
    for item in page.items:
        item["key"] = data.article_key(item["article_id"], item["content_hash"])
    return _page(page)


@router.get("/articles/{key}", summary="One article's record")
def get_article(request: Request, key: str) -> dict[str, Any]:
    """The stored record of the article whose id is `key` (or, for an article without an id, whose
    content hash is), exactly as `tacitus extract` wrote it: see docs/record.md."""
    found = data.find_record(_store(request), key)
    if found is None:
        raise HTTPException(404, f"no stored article has the id {key!r}; list them at /api/articles")
    return found[0].to_dict()


@router.get("/clusters", response_model=PageOut, summary="List event or quote clusters")
def list_clusters(
    request: Request,
    kind: Annotated[
        Literal["events", "quotes"], Query(description="event clusters or quotation clusters")
    ] = "events",
    actor: Text = None,
    code: Annotated[
        str | None, Query(max_length=200, description="CAMEO code prefix (event clusters)")
    ] = None,
    text: Annotated[
        str | None, Query(max_length=200, description="words in the quotation (quote clusters)")
    ] = None,
    since: Text = None,
    until: Text = None,
    min_sources: Annotated[str | None, Query(max_length=10, description="at least this many outlets")] = None,
    sort: Annotated[
        str, Query(max_length=20, description="date, sources or mentions; -key for descending.")
    ] = "date",
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> dict[str, Any]:
    """Clusters across articles: one real-world event (or quotation) with how many articles and outlets
    reported it. Its members are `/api/events?cluster=N` (or `/api/quotes?cluster=N`). Empty until the
    store's clustering has run."""
    filters = {"actor": actor, "since": since, "until": until, "min_sources": min_sources}
    if kind == "events":
        filters["code"] = code
    else:
        filters["text"] = text
    if kind == "events" and text or kind == "quotes" and code:
        other = "text" if kind == "events" else "code"
        raise HTTPException(
            400,
            f"{other} filters {'quote' if other == 'text' else 'event'} clusters only; drop it or set kind",
        )
    what = "event_clusters" if kind == "events" else "quote_clusters"
    return _page(list_rows(_store(request), what, filters, sort=sort, limit=limit, cursor=cursor))


@router.get("/summary", summary="What the store holds")
def get_summary(request: Request) -> dict[str, Any]:
    """Row counts per table, the first and last publication day, and the ten most frequent event codes."""
    return data.summary(_store(request))


def _csv(request: Request, what: str, filters: dict[str, str | None]) -> StreamingResponse:
    lines = data.csv_stream(_store(request), what, filters)
    return StreamingResponse(
        lines,
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="tacitus-{what}.csv"'},
    )


@router.get("/events.csv", summary="Events as CSV", response_class=StreamingResponse)
def events_csv(
    request: Request,
    actor: Text = None,
    source: Text = None,
    target: Text = None,
    code: Text = None,
    plover: Text = None,
    since: Text = None,
    until: Text = None,
    text: Text = None,
    article: Text = None,
    cluster: Text = None,
    outlet: Text = None,
) -> StreamingResponse:
    """Every event matching the filters (those of /api/events), as `tacitus events --format csv` writes them."""
    filters = {k: v for k, v in locals().items() if k != "request"}
    return _csv(request, "events", filters)


@router.get("/quotes.csv", summary="Quotes as CSV", response_class=StreamingResponse)
def quotes_csv(
    request: Request,
    actor: Text = None,
    speaker: Text = None,
    type: Text = None,  # noqa: A002
    since: Text = None,
    until: Text = None,
    text: Text = None,
    article: Text = None,
    cluster: Text = None,
    outlet: Text = None,
) -> StreamingResponse:
    """Every quote matching the filters (those of /api/quotes), as `tacitus quotes --format csv` writes them."""
    filters = {k: v for k, v in locals().items() if k != "request"}
    return _csv(request, "quotes", filters)


@router.post("/analyze", summary="Analyse a text or an HTML page")
def analyze(request: Request, body: AnalyzeIn) -> dict[str, Any]:
    """Analyse the posted text (or HTML page, sent whole: nothing is fetched) and return its record, not
    stored. Off unless the server was started with `--allow-analyze` (403). Bodies over the server's limit
    are refused with 413, texts over 200,000 characters with 422."""
    if not request.app.state.allow_analyze:
        raise HTTPException(
            403, "analysis is off on this server; start it with `tacitus serve --allow-analyze` to turn it on"
        )
    record = data.analyze_posted(body.text, body.html, title=body.title, published=body.published)
    return record.to_dict()
