"""The HTML pages: search (``/``), an article with its evidence highlighted, an actor, a dyad, and the
analysis form. Server-rendered Jinja templates with autoescape on: every value from the store or a request
is escaped where it is written, so a stored ``<script>`` is text on the page, never code.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from tacitus.errors import TacitusError, UnknownCode
from tacitus.ontology import cameo
from tacitus.web import data
from tacitus.web.charts import weekly_chart
from tacitus.web.highlight import annotations, pieces
from tacitus.web.listing import BadFilter, list_rows

__all__ = ["render", "render_error", "router"]

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
router = APIRouter(include_in_schema=False)

SEARCH_FILTERS = ("actor", "code", "since", "until", "text")
PAGE_ROWS = 25

SEARCH_COUNT_LIMIT = 10_000
"""The search page counts matching events and quotes up to this many and then says "10,000+": enough to
tell a broad filter from a narrow one, and each count then reads at most this many index entries however
large the store (the API's ``total`` and the CSV download still count and give every row)."""


# -- formatting for people ------------------------------------------------------------------------------


def human_day(value: Any) -> str:
    """``2017-12-14`` as ``14 Dec 2017``; a month or year alone as ``Dec 2017`` or ``2017``; anything
    else (a TIMEX value such as ``2017-W50``) as given, and nothing as an em dash."""
    if not value:
        return "—"
    text = str(value)
    try:
        if len(text) >= 10:
            day = date.fromisoformat(text[:10])
            return f"{day.day} {day:%b %Y}"
        if len(text) == 7:
            return date.fromisoformat(text + "-01").strftime("%b %Y")
    except ValueError:
        pass
    return text


def human_number(value: Any) -> str:
    """Thousands separated (``12,345``); nothing as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def goldstein(value: Any) -> str:
    """A Goldstein score with its sign (``+7.0``, ``−10.0``), as the scale reads from −10 to +10."""
    if value is None:
        return "—"
    return f"{float(value):+.1f}".replace("-", "−")


def event_name(code: Any) -> str:
    """The CAMEO name of an event code (``041`` → ``Discuss by telephone``), or the code itself."""
    try:
        return cameo(str(code)).name or str(code)
    except (UnknownCode, TypeError):
        return str(code)


def path_part(value: Any) -> str:
    """``value`` quoted for one segment of a URL path: a ``/`` or ``?`` in an article id stays inside it."""
    return quote(str(value), safe="")


def web_url(value: Any) -> str | None:
    """``value`` when it is an http(s) address, else None: a stored ``javascript:`` URL never becomes a link."""
    text = str(value or "").strip()
    return text if text.lower().startswith(("http://", "https://")) else None


def card_of(ann_id: str, annotated: dict[str, Any]) -> str:
    """The card (event, quote or actor) that explains annotation ``ann_id``."""
    return annotated[ann_id].card


templates.env.filters.update(
    day=human_day,
    num=human_number,
    gold=goldstein,
    event_name=event_name,
    pathpart=path_part,
    web_url=web_url,
    attr_card=card_of,
)
templates.env.globals.update(urlencode=urlencode)


def render(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Render template ``name`` with ``context`` (plus whether analysis is on, for the navigation)."""
    context = {"allow_analyze": request.app.state.allow_analyze, **context}
    return templates.TemplateResponse(request, name, context, status_code=status)


def render_error(status: int, message: str) -> HTMLResponse:
    """A small error page: the status and a sentence saying what went wrong and what to do."""
    html = templates.get_template("error.html").render(
        status=status, message=message, title=f"Error {status}"
    )
    return HTMLResponse(html, status_code=status)


def _query(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    return {k: request.query_params[k].strip() for k in names if request.query_params.get(k, "").strip()}


# -- search ---------------------------------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def search(request: Request) -> HTMLResponse:
    """Events and quotes matching the form's filters, with counts, a page of each and CSV links."""
    store = request.app.state.store
    filters = _query(request, SEARCH_FILTERS)
    quote_filters = {k: v for k, v in filters.items() if k != "code"}
    error = None
    events_page = quotes_page = None
    try:
        events_page = list_rows(
            store,
            "events",
            filters,
            limit=PAGE_ROWS,
            cursor=request.query_params.get("events_after") or None,
            count_limit=SEARCH_COUNT_LIMIT,
        )
        quotes_page = list_rows(
            store,
            "quotes",
            quote_filters,
            limit=PAGE_ROWS,
            cursor=request.query_params.get("quotes_after") or None,
            count_limit=SEARCH_COUNT_LIMIT,
        )
    except BadFilter as exc:
        error = str(exc)
    context = {
        "title": "Search",
        "filters": filters,
        "error": error,
        "events": events_page,
        "quotes": quotes_page,
        "summary": data.summary(store),
        "query": urlencode(filters),
        "quote_query": urlencode(quote_filters),
    }
    return render(request, "search.html", context, status=400 if error else 200)


# -- article --------------------------------------------------------------------------------------------


def record_context(record: Any) -> dict[str, Any]:
    """What the article template needs from a record: the highlighted pieces and the cards' data."""
    anns = annotations(record)
    actors = {actor.id: actor for actor in record.actors}
    return {
        "record": record,
        "pieces": pieces(record.text, anns),
        "annotated": anns,
        "actors": actors,
        "quote_text": {
            q.id: " … ".join(record.text[s:e] for s, e in (q.content_parts or [q.content_span]))
            for q in record.quotes
        },
        "span": lambda s: record.text[s[0] : s[1]] if s else None,
    }


@router.get("/articles/{key}", response_class=HTMLResponse)
def article(request: Request, key: str) -> HTMLResponse:
    """One article: its text with every event trigger, quotation, cue, speaker and actor mention marked;
    focusing or clicking a mark shows what was coded from it."""
    found = data.find_record(request.app.state.store, key)
    if found is None:
        raise HTTPException(404, f"no stored article has the id {key!r}; find it from the search page")
    record, meta = found
    context = {"title": record.title or key, "key": key, "meta": meta, **record_context(record)}
    return render(request, "article.html", context)


# -- actor and dyad -------------------------------------------------------------------------------------


@router.get("/actors/{code}", response_class=HTMLResponse)
def actor(request: Request, code: str) -> HTMLResponse:
    """One actor code: its names and roles over time, its events per week as source and target, its
    partners, what it said and whom its words name."""
    if len(code) > 40:
        raise BadFilter("an actor code is at most 40 characters; give one like RUSGOV")
    profile = data.actor_profile(request.app.state.store, code)
    if profile is None:
        raise HTTPException(404, f"no stored actor, event or quote has the code {code.upper()!r}")

    def link(name: str, row: dict[str, Any]) -> str:
        side = "actor"
        return (
            "/?"
            + urlencode({side: profile["code"], "since": row["start"], "until": row.get("end", row["start"])})
            + "#events"
        )

    chart = weekly_chart(profile["series"], link, title=f"Events of {profile['code']} per week")
    return render(request, "actor.html", {"title": profile["code"], "profile": profile, "chart": chart})


@router.get("/dyads/{a}/{b}", response_class=HTMLResponse)
def dyad(request: Request, a: str, b: str) -> HTMLResponse:
    """Two actors: events between them per week, both directions, with mean Goldstein; each bar and point
    leads to that week's events, listed below."""
    if len(a) > 40 or len(b) > 40:
        raise BadFilter("an actor code is at most 40 characters; give codes like RUSGOV")
    a, b = a.upper(), b.upper()
    store = request.app.state.store
    week = request.query_params.get("week") or None
    every = data.dyad_events(store, a, b)
    if not every:
        raise HTTPException(404, f"no stored event has {a} and {b} as source and target, in either direction")
    forward = [dict(row, day=row["date"]) for row in every if row["source_code"] == a]
    backward = [dict(row, day=row["date"]) for row in every if row["source_code"] == b]
    series = {f"{a} → {b}": data.weekly_series(forward), f"{b} → {a}": data.weekly_series(backward)}

    def link(name: str, row: dict[str, Any]) -> str:
        return f"/dyads/{a}/{b}?" + urlencode({"week": row["week"]}) + "#events"

    chart = weekly_chart(series, link, title=f"Events between {a} and {b} per week")
    shown = data.dyad_events(store, a, b, week) if week else every
    context = {
        "title": f"{a} and {b}",
        "a": a,
        "b": b,
        "chart": chart,
        "series": series,
        "week": week,
        "events": shown,
        "n_forward": len(forward),
        "n_backward": len(backward),
    }
    return render(request, "dyad.html", context)


# -- analysis -------------------------------------------------------------------------------------------


def _analysis_on(request: Request) -> None:
    if not request.app.state.allow_analyze:
        raise HTTPException(
            403, "analysis is off on this server; start it with `tacitus serve --allow-analyze`"
        )


@router.get("/analyze", response_class=HTMLResponse)
def analyze_form(request: Request) -> HTMLResponse:
    """The form to paste a text (or an HTML page) and see its record rendered like an article page."""
    _analysis_on(request)
    return render(request, "analyze.html", {"title": "Analyse a text", "form": {}})


@router.post("/analyze", response_class=HTMLResponse)
async def analyze_post(request: Request) -> HTMLResponse:
    """Analyse the posted form and render the record (not stored) as an article page."""
    _analysis_on(request)
    body = (await request.body()).decode("utf-8", errors="replace")
    fields = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    form = {k: fields.get(k, "") for k in ("text", "html", "title", "published")}
    from starlette.concurrency import run_in_threadpool

    try:
        record = await run_in_threadpool(
            data.analyze_posted,
            form["text"] or None,
            form["html"] or None,
            title=form["title"] or None,
            published=form["published"] or None,
        )
    except TacitusError as exc:
        return render(
            request, "analyze.html", {"title": "Analyse a text", "form": form, "error": str(exc)}, 422
        )
    context = {
        "title": record.title or "Your text",
        "key": None,
        "meta": None,
        "form": form,
        **record_context(record),
    }
    return render(request, "analyze.html", context)
