"""`tacitus export`: a table of the store as GDELT, POLECAT, CSV, JSON lines or Parquet."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tacitus.cli.common import ActorOpt, QueryDbOpt, SinceOpt, UntilOpt, app, err, fail
from tacitus.errors import TacitusError

# Plain strings, checked by the library, so that a bad value is one line naming the valid ones (Typer's own
# choice errors are a framed box).
TableArg = Annotated[
    str,
    typer.Argument(
        help="What to export: events (one row per mention; with --format gdelt, per event cluster), "
        "mentions (GDELT's mentions table: one row per publication reporting a cluster), quotes, actors, "
        "articles or clusters.",
        metavar="TABLE",
        show_default=False,
    ),
]


@app.command("export")
def export_command(
    what: TableArg,
    fmt: Annotated[
        str,
        typer.Option(
            "--format",
            help="gdelt (events, mentions: GDELT 2.0 tab-separated tables), polecat (events: PLOVER records "
            "as JSON lines), csv (with a header), jsonl, or parquet (a file, or a month-partitioned dataset "
            "when -o is a folder).",
            metavar="FORMAT",
            show_default=False,
        ),
    ],
    db: QueryDbOpt = "tacitus.db",
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Write here instead of stdout (Parquet: a .parquet file or a folder)."
        ),
    ] = None,
    header: Annotated[
        bool, typer.Option("--header", help="GDELT: add a first line with GDELT's column names.")
    ] = False,
    actor: ActorOpt = None,
    code: Annotated[
        str | None, typer.Option("--code", help="CAMEO event code or prefix (04 matches 040-046, 0411).")
    ] = None,
    root: Annotated[str | None, typer.Option("--root", help="CAMEO root code, 01 to 20.")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--type",
            help="Events, mentions, clusters: a PLOVER event type (CONSULT, ASSAULT, ...). Quotes: quote "
            "types, comma-separated (speech, finding, belief, intention).",
        ),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Only what this outlet printed (part of its name, any case)."),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            help="Only rows whose evidence has these words: an event's sentence, a quote's content, an "
            "actor's name, an article's title or text.",
        ),
    ] = None,
) -> None:
    """Export a table of the store as GDELT, POLECAT, CSV, JSON lines or Parquet, streamed in flat memory."""
    from tacitus.export import Filters, export

    if fmt == "parquet" and output is None and sys.stdout.isatty():
        raise fail("Parquet is binary: give -o FILE.parquet or -o FOLDER/, or pipe the output")
    filters = Filters(
        actor=actor, code=code, root=root, type=kind, since=since, until=until, source=source, text=text
    )
    try:
        result = export(db, what, fmt, output, filters=filters, header=header)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    where = "" if result.target == "-" else f" to {result.target}"
    label = "event clusters" if (what, fmt) == ("events", "gdelt") else what
    line = f"exported {result.rows:,} {label} ({fmt}){where}"
    if result.left_out:
        line += f"; {result.left_out:,} events without a PLOVER type (CAMEO statements and appeals) left out"
    err.print(escape(line), highlight=False, soft_wrap=True)
