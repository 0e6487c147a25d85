"""The ``tacitus`` command: a thin shell over :mod:`tacitus.jobs`.

Each command parses its options, calls one library function and formats the result. Library errors are
typed (:mod:`tacitus.errors`); here, and only here, they become one-line messages and exit codes:
0 done, 1 done with some inputs skipped, 2 nothing could be done (bad usage, unreadable inputs).
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from tacitus import __version__
from tacitus.errors import TacitusError

app = typer.Typer(
    name="tacitus",
    help="Who did what to whom, when and where, and who said what: evidence-linked records from news.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()


class InputFormat(StrEnum):
    auto = "auto"
    text = "text"
    jsonl = "jsonl"
    html = "html"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _fail(message: str, code: int = 2) -> typer.Exit:
    # messages quote user input and file contents: never let rich read them as markup ("[RUSGOV]")
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


PROGRESS_DELAY = 3.0  # seconds: short runs finish before a bar would be worth drawing


class _Ticker:
    """Counts finished articles and draws a progress bar once a run has lasted PROGRESS_DELAY seconds."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.started = time.monotonic()
        self.done = 0
        self.bar: Progress | None = None
        self.task = None

    def __call__(self, n: int) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.advance(self.task, n)
            return
        if time.monotonic() - self.started >= PROGRESS_DELAY:
            self.bar = Progress(
                SpinnerColumn(),
                TextColumn(self.label),
                TextColumn("{task.completed} done"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=None, completed=self.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def _progress(label: str):
    """A progress line on stderr for runs longer than a few seconds; silent in pipes and CI logs."""
    if not err.is_terminal:
        yield None
        return
    ticker = _Ticker(label)
    try:
        yield ticker
    finally:
        ticker.close()


def _finish(report, what: str) -> None:
    for origin, reason in report.skipped:
        err.print(f"[yellow]skipped[/] {escape(origin)}: {escape(reason)}", highlight=False, soft_wrap=True)
    if report.nothing_done:
        if report.skipped:
            raise _fail(f"nothing was {what}: {len(report.skipped)} input(s) skipped (reasons above)")
        raise _fail(f"nothing was {what}: the inputs held no articles")
    if report.skipped:
        err.print(f"{len(report.skipped)} input(s) skipped", highlight=False)
        raise typer.Exit(1)


def _version(value: bool) -> None:
    if value:
        out.print(f"tacitus {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Tacitus: turn news into coded events (CAMEO, PLOVER, Goldstein) and attributed quotes."""


FilesArg = Annotated[
    list[str],
    typer.Argument(help="Input files or folders (.txt, .jsonl, .jsonl.gz, .html); '-' reads stdin."),
]
FormatOpt = Annotated[InputFormat, typer.Option("--input-format", help="How to read the inputs.")]
PublishedOpt = Annotated[
    str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
]
TitleOpt = Annotated[
    bool, typer.Option("--title/--no-title", help="Text pages: the first non-empty line is the title.")
]
ProcsOpt = Annotated[int, typer.Option("--processes", "-j", min=1, help="Worker processes for analysis.")]


@app.command()
def extract(
    files: FilesArg,
    input_format: FormatOpt = InputFormat.auto,
    published: PublishedOpt = None,
    title: TitleOpt = True,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSONL records here instead of stdout.")
    ] = None,
    processes: ProcsOpt = 1,
) -> None:
    """Analyse articles and write one JSON record per article (JSONL) to stdout or --output."""
    from tacitus import jobs

    try:
        if output is not None and not output.parent.exists():
            raise _fail(
                f"{output}: the folder {output.parent} does not exist; create it or choose another --output"
            )
        with (
            open(output, "w", encoding="utf-8") if output else _stdout() as sink,
            _progress("analysing") as tick,
        ):
            report = jobs.extract(
                files,
                sink,
                input_format=input_format.value,
                published=published,
                title=title,
                n_process=processes,
                progress=tick,
            )
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    _finish(report, "extracted")
    if output is not None:
        err.print(f"{report.written} record(s) written to {output}", highlight=False)


@contextmanager
def _stdout():
    yield sys.stdout
    sys.stdout.flush()


DbOpt = Annotated[
    str, typer.Option("--db", help="SQLite database file (created if missing) or SQLAlchemy URL.")
]


@app.command()
def process(
    files: FilesArg,
    db: DbOpt = "tacitus.db",
    input_format: FormatOpt = InputFormat.auto,
    published: PublishedOpt = None,
    title: TitleOpt = True,
    reprocess: Annotated[
        bool, typer.Option("--reprocess", help="Replace articles already stored instead of skipping them.")
    ] = False,
    processes: ProcsOpt = 1,
) -> None:
    """Analyse articles and store their records in a database (each article stored once)."""
    from tacitus import jobs

    try:
        with _progress("analysing") as tick:
            report = jobs.process(
                files,
                db,
                input_format=input_format.value,
                published=published,
                title=title,
                reprocess=reprocess,
                n_process=processes,
                progress=tick,
            )
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    stored = ", ".join(f"{n} {status}" for status, n in sorted(report.stored.items())) or "nothing stored"
    err.print(f"{report.read} article(s) read; {stored}; database: {report.database}", highlight=False)
    _finish(report, "stored")


ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Actor code or prefix (RUS matches RUSGOV, RUSMIL, ...).")
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD), inclusive.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY-MM-DD), inclusive.")]
OutFmtOpt = Annotated[OutputFormat, typer.Option("--format", help="Output format.")]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="At most this many rows.")]


def _query(what: str, db: str, actor, since, until, fmt: OutputFormat, limit, columns: list[str]) -> None:
    from tacitus import jobs

    try:
        rows = jobs.query(db, what, actor=actor, since=since, until=until, limit=limit)
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    if fmt is OutputFormat.json:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write(jobs.rows_to_csv(rows))
        return
    table = Table(title=f"{len(rows)} {what}", show_lines=False)
    shown = [c for c in columns if not rows or c in rows[0]]
    for col in shown:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*["" if row.get(c) is None else str(row.get(c)) for c in shown])
    out.print(table)


# The three query commands differ only in what they list and which columns the table shows.
QUERY_COMMANDS = {
    "events": (
        "List stored events (who did what to whom, when, where), filtered by actor and date.",
        [
            "date",
            "source_name",
            "source_code",
            "code",
            "plover",
            "target_name",
            "target_code",
            "place",
            "sentence",
        ],
    ),
    "quotes": (
        "List stored quotes (who said what), filtered by speaker code and date.",
        ["published", "speaker_name", "speaker_code", "kind", "content"],
    ),
    "actors": (
        "List stored actors with their codes and how often they appear.",
        ["name", "code", "kind", "role", "n_articles", "n_mentions"],
    ),
}


def _query_command(what: str, summary: str, columns: list[str]):
    def command(
        db: DbOpt = "tacitus.db",
        actor: ActorOpt = None,
        since: SinceOpt = None,
        until: UntilOpt = None,
        fmt: OutFmtOpt = OutputFormat.table,
        limit: LimitOpt = None,
    ) -> None:
        _query(what, db, actor, since, until, fmt, limit, columns)

    command.__doc__ = summary
    command.__name__ = what
    return command


for _what, (_summary, _columns) in QUERY_COMMANDS.items():
    app.command(_what)(_query_command(_what, _summary, _columns))


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Where to write the demo database.")] = "tacitus-demo.db",
) -> None:
    """Process the bundled sample articles into a database and print a summary."""
    from tacitus import jobs

    try:
        with _progress("analysing samples") as tick:
            report = jobs.demo(db, progress=tick)
        summary = jobs.summary(db)
        sample_events = jobs.query(db, "events", limit=8)
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    table = Table(title="Tacitus demo: bundled samples")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("articles", "actors", "quotes", "events", "times", "places"):
        if key in summary:
            table.add_row(key, str(summary[key]))
    out.print(table)
    if sample_events:
        ev = Table(title="Some events")
        for col in ("date", "source_code", "code", "target_code", "rule"):
            ev.add_column(col)
        for row in sample_events:
            ev.add_row(
                *[
                    "" if row.get(c) is None else str(row.get(c))
                    for c in ("date", "source_code", "code", "target_code", "rule")
                ]
            )
        out.print(ev)
    out.print(f"Database: {Path(db).resolve()}", highlight=False)
    out.print(f"Try: tacitus events --db {db} --actor USA   |   tacitus quotes --db {db}", highlight=False)
    _finish(report, "stored")


class EvalName(StrEnum):
    quotes = "quotes"
    events = "events"
    all = "all"


@app.command("eval")
def eval_(
    which: Annotated[
        EvalName, typer.Argument(help="Which scorer: quotes (PolNeAR), events (PLOVER GSR), all.")
    ],
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            envvar="TACITUS_EVAL_DATA",
            help="Folder holding the evaluation sets (quotes/polnear, events/plover-gsr), e.g. ../shared/eval.",
        ),
    ],
    split: Annotated[str, typer.Option("--split", help="PolNeAR split to score (train or dev).")] = "dev",
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Score only the first N documents.")
    ] = None,
    processes: ProcsOpt = 1,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Score Tacitus on the evaluation sets and print precision, recall, F1 and more."""
    from dataclasses import asdict

    from tacitus import jobs

    try:
        results = jobs.evaluate(which.value, data, split=split, limit=limit, n_process=processes)
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    for result in results:
        if fmt == "json":
            sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
        else:
            out.print(result.format_table(), highlight=False, markup=False)
            out.print()


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
