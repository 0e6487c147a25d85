"""Listing what a database holds: `tacitus events`, `quotes`, `actors` (and `actors lookup`), `publications`."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.markup import escape

from tacitus.cli.common import (
    ActorOpt,
    ActorsFileOpt,
    LimitOpt,
    OutFmtOpt,
    OutputFormat,
    QueryDbOpt,
    SinceOpt,
    UntilOpt,
    app,
    err,
    fail,
    out,
)
from tacitus.cli.tables import events_table, plain_table
from tacitus.errors import TacitusError


def _query(
    what: str, db: str, actor, since, until, fmt: OutputFormat, limit, columns: list[str], types=None, **extra
) -> None:
    from tacitus import jobs

    given = {"actor": actor, "since": since, "until": until, "types": types or None, **extra}
    filters = {k: v for k, v in given.items() if v is not None}
    try:
        rows = jobs.query(db, what, limit=limit, **filters)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt is OutputFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write(jobs.rows_to_csv(rows, jobs.query_columns(what)))
        return
    table = events_table(rows) if what == "events" else plain_table(what, rows, columns)
    out.print(table)


# The three query commands differ only in what they list and which columns the table shows (events have a
# table of their own, above).
QUERY_COMMANDS = {
    "events": (
        "List stored events (who did what to whom, when, where, with mood, negation and evidence), filtered "
        "by actor and date.",
        [],
    ),
    "quotes": (
        "List stored quotes (who said what), filtered by speaker code and date.",
        ["published", "speaker_name", "speaker_code", "kind", "type", "content"],
    ),
    "actors": (
        "List stored actors with their codes and how often they appear (or: tacitus actors lookup TEXT).",
        ["name", "code", "kind", "role", "n_articles", "n_mentions"],
    ),
}


def _query_command(what: str, summary: str, columns: list[str]):
    def command(
        ctx: typer.Context,
        db: QueryDbOpt = "tacitus.db",
        actor: ActorOpt = None,
        since: SinceOpt = None,
        until: UntilOpt = None,
        fmt: OutFmtOpt = OutputFormat.table,
        limit: LimitOpt = None,
    ) -> None:
        # as a group's callback (tacitus actors), list only when no subcommand (lookup) was asked for
        if getattr(ctx, "invoked_subcommand", None) is None:
            _query(what, db, actor, since, until, fmt, limit, columns)

    command.__doc__ = summary
    command.__name__ = what
    return command


app.command("events")(_query_command("events", *QUERY_COMMANDS["events"]))


@app.command("publications")
def publications_command(
    db: QueryDbOpt = "tacitus.db",
    article: Annotated[
        str | None, typer.Option("--article", help="Only the publications of this article (its id).")
    ] = None,
    fmt: OutFmtOpt = OutputFormat.table,
    limit: LimitOpt = None,
) -> None:
    """List every outlet that printed a stored article: the one analysed (original), then its duplicates."""
    columns = ["article_id", "kind", "similarity", "source", "published", "title"]
    _query("publications", db, None, None, None, fmt, limit, columns, article_id=article)


@app.command("quotes")
def quotes_command(
    db: QueryDbOpt = "tacitus.db",
    actor: ActorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    fmt: OutFmtOpt = OutputFormat.table,
    limit: LimitOpt = None,
    quote_type: Annotated[
        str | None,
        typer.Option(
            "--type", help="Keep these quote types only, comma-separated: speech, belief, finding, intention."
        ),
    ] = None,
) -> None:
    """List stored quotes (who said what), filtered by speaker code, date and type."""
    from tacitus.model import check_quote_types

    try:
        types = sorted(check_quote_types(quote_type.split(","))) if quote_type else None
    except TacitusError as exc:
        raise fail(f"--type: {exc}") from None
    _query("quotes", db, actor, since, until, fmt, limit, QUERY_COMMANDS["quotes"][1], types)


# `tacitus actors` lists stored actors; `tacitus actors lookup TEXT` asks the knowledge base.
actors_app = typer.Typer(invoke_without_command=True, no_args_is_help=False, add_completion=False)
actors_app.callback()(_query_command("actors", *QUERY_COMMANDS["actors"]))
app.add_typer(actors_app, name="actors")


@actors_app.command("lookup")
def actors_lookup(
    text: Annotated[str, typer.Argument(help="A name, title or country word as an article writes it.")],
    on: Annotated[
        str | None, typer.Option("--on", help="The day (YYYY-MM-DD) whose codes apply; default: the latest.")
    ] = None,
    fmt: OutFmtOpt = OutputFormat.table,
    actors: ActorsFileOpt = None,
) -> None:
    """Show the knowledge base's candidates for TEXT, the code each has on --on, and why it matched."""
    from tacitus import jobs

    try:
        rows = jobs.lookup_actor(text, on=on, actors_file=actors)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        for row in rows if fmt is OutputFormat.jsonl else [rows]:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(jobs.rows_to_csv(rows, jobs.LOOKUP_COLUMNS))
    elif rows:
        out.print(plain_table(f"candidates for {text!r}", rows, jobs.LOOKUP_COLUMNS))
    if not rows:
        err.print(f"nothing in the knowledge base matches {escape(text)!r}", highlight=False)
        raise typer.Exit(1)
