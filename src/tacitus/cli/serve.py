"""`tacitus serve`: the JSON API and the pages over a stored database, on Uvicorn."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from tacitus.cli.common import QueryDbOpt, app, err, fail
from tacitus.errors import TacitusError

DEFAULT_HOST = "127.0.0.1"  # only this machine can connect unless the user says otherwise
DEFAULT_PORT = 8000


@app.command("serve")
def serve(
    db: QueryDbOpt = "tacitus.db",
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on; 0.0.0.0 opens the server to your network.")
    ] = DEFAULT_HOST,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = DEFAULT_PORT,
    allow_analyze: Annotated[
        bool,
        typer.Option(
            "--allow-analyze",
            help="Let visitors analyse pasted text (POST /api/analyze and the /analyze page); it costs CPU.",
        ),
    ] = False,
) -> None:
    """Serve the pages (search, articles with their evidence highlighted, actors, dyads) and the JSON API
    (/api/..., docs at /docs) of a database, read-only. Stop with Ctrl-C."""
    started = time.monotonic()
    try:
        from tacitus.web import create_app

        web_app = create_app(db, allow_analyze=allow_analyze)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    import uvicorn

    shown = f"[{host}]" if ":" in host else host
    err.print(
        f"serving {web_app.state.store.url} read-only at http://{shown}:{port}/ (API docs at /docs; "
        f"ready in {time.monotonic() - started:.1f} s); Ctrl-C stops",
        highlight=False,
        soft_wrap=True,
    )
    try:
        uvicorn.run(web_app, host=host, port=port, log_level="warning", server_header=False)
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}; choose another --port") from None
    finally:
        web_app.state.store.close()
