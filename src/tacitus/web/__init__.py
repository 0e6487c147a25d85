"""``tacitus serve``: a JSON API and server-rendered pages to read and check what a store holds.

:func:`create_app` builds the FastAPI app over a database opened read-only; the CLI runs it on Uvicorn.
Modules: ``store`` (read-only opening), ``listing`` (filtered, sorted, cursor-paginated listings),
``data`` (records, actor profiles, dyads, CSV, analysis of posted text), ``highlight`` (an article's text cut
into highlighted pieces), ``charts`` (server-drawn SVG), ``api`` and ``pages`` (the routers), ``app`` (the
wiring, security headers and size limits). Templates and static files ship in the package.
"""

from __future__ import annotations

from tacitus.web.app import create_app

__all__ = ["create_app"]
