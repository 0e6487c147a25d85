"""The web application: :func:`create_app` wires the read-only store, the API and page routers, the
security headers, the size limits and the error pages into one FastAPI app.

Nothing the server sends loads anything from elsewhere: templates, our CSS and JavaScript and the Swagger UI
files (from the ``fastapi-offline`` package) are served by the app itself, and the Content-Security-Policy
header tells the browser to refuse anything else, inline scripts included.
"""

from __future__ import annotations

import importlib.resources
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from tacitus import __version__
from tacitus.errors import StoreUnavailable, TacitusError
from tacitus.store import Store
from tacitus.web.listing import BadFilter
from tacitus.web.store import open_readonly

__all__ = ["MAX_BODY_BYTES", "MAX_QUERY_BYTES", "create_app"]

HERE = Path(__file__).resolve().parent

MAX_QUERY_BYTES = 4096
"""Longest query string accepted (414 beyond): every filter together fits in a few hundred bytes."""

MAX_BODY_BYTES = 2_000_000
"""Largest request body accepted (413 beyond): ``POST /api/analyze`` takes one article, and a long news
page is well under 200 KB of HTML; the analysis itself stops at 200,000 characters of text."""

# default-src 'self' and nothing inline: every script and style is a file of ours. img-src allows data:
# because Swagger UI's stylesheet draws its icons as data: URIs. form-action and frame-ancestors are not
# covered by default-src and are closed separately.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)

SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on our own form posts
    "referrer-policy": "same-origin",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class _BodyTooLarge(Exception):
    pass


def _wants_json(path: str) -> bool:
    return path.startswith("/api") or path.endswith(".json")


async def _refuse(scope: Scope, send: Send, status: int, message: str) -> None:
    response = error_response(scope.get("path", ""), status, message)
    await response({"type": "http", **scope}, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


class GuardMiddleware:
    """Pure ASGI middleware: refuse an over-long query string (414) or body (413) before any view reads
    it, refuse a cross-site POST (403: a page elsewhere must not make this server analyse text), and add
    the security headers to every response."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.decode().lower() not in SECURITY_HEADERS
                ]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            await _refuse(
                scope,
                send_with_headers,
                414,
                f"the query string is longer than {MAX_QUERY_BYTES} bytes; narrow the filters",
            )
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if scope.get("method") == "POST" and not _same_origin(headers):
            await _refuse(
                scope, send_with_headers, 403, "a page from another site cannot post to this server"
            )
            return
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _refuse(scope, send_with_headers, 413, self._too_large())
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    raise _BodyTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send_with_headers(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _refuse(scope, send_with_headers, 413, self._too_large())

    def _too_large(self) -> str:
        return (
            f"the request body is larger than {self.max_body:,} bytes; send one article at a time, "
            "or analyse large inputs with `tacitus extract`"
        )


def _same_origin(headers: dict[str, str]) -> bool:
    # A browser says where a request comes from: Sec-Fetch-Site (modern browsers), else Origin, which it
    # sends with every cross-site POST. A client with neither (curl, a script) is not a page acting on a
    # visitor's behalf. Origin "null" (a sandboxed frame, a file: page) is never this server.
    site = headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return True
    return origin.split("://", 1)[-1].rstrip("/") == headers.get("host", "")


def error_response(path: str, status: int, message: str) -> Response:
    """The error as the client wants it: ``{"error": message}`` for the API, a small page otherwise."""
    if _wants_json(path):
        return JSONResponse({"error": message}, status_code=status)
    from tacitus.web.pages import render_error

    return render_error(status, message)


def create_app(
    store: str | Path | Store, allow_analyze: bool = False, max_body: int = MAX_BODY_BYTES
) -> FastAPI:
    """Build the Tacitus web app over the database ``store`` (a path or URL, opened read-only with
    :func:`~tacitus.web.store.open_readonly`, or an open :class:`Store`).

    ``allow_analyze`` turns on ``POST /api/analyze`` and the ``/analyze`` page, which run the NLP pipeline
    on text a visitor sends (off by default: it costs CPU, and a public server should not offer it).
    Raises :class:`StoreUnavailable` when the database cannot be served.
    """
    from fastapi_offline import __name__ as offline_package

    from tacitus.web import api, pages

    opened = store if isinstance(store, Store) else open_readonly(store)
    app = FastAPI(
        title="Tacitus",
        version=__version__,
        summary="Events (who did what to whom) and quotes (who said what) stored by Tacitus, each with "
        "the sentence it came from.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.store = opened
    app.state.allow_analyze = allow_analyze
    app.add_middleware(GuardMiddleware, max_body=max_body)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    swagger = importlib.resources.files(offline_package) / "static"
    app.mount("/swagger-ui", StaticFiles(directory=str(swagger)), name="swagger")
    app.include_router(api.router)
    app.include_router(pages.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = error.detail if isinstance(error.detail, str) else "the request could not be served"
        if error.status_code == 404 and message == "Not Found":
            message = f"nothing here: {request.url.path} is not a page or endpoint of this server"
        if error.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(request.url.path, error.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> Response:
        problems = []
        for item in error.errors():
            where = ".".join(
                str(part) for part in item.get("loc", ()) if part not in ("query", "body", "path")
            )
            problems.append(f"{where or 'request'}: {item.get('msg', 'invalid value')}")
        message = "the request is not valid: " + "; ".join(problems)
        status = 400 if all(item.get("loc", ("",))[0] == "query" for item in error.errors()) else 422
        return error_response(request.url.path, status, message)

    @app.exception_handler(BadFilter)
    async def bad_filter(request: Request, error: BadFilter) -> Response:
        return error_response(request.url.path, 400, str(error))

    @app.exception_handler(StoreUnavailable)
    async def unavailable(request: Request, error: StoreUnavailable) -> Response:
        return error_response(request.url.path, 503, str(error))

    @app.exception_handler(TacitusError)
    async def tacitus_error(request: Request, error: TacitusError) -> Response:
        return error_response(request.url.path, 422, str(error))

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return pages.render(request, "docs.html", {"title": "API"})

    return app
