"""The ``tacitus`` command: a thin shell over :mod:`tacitus.jobs`.

Each command parses its options, calls one library function and formats the result. Library errors are
typed (:mod:`tacitus.errors`); here, and only here, they become one-line messages and exit codes:
0 done, 1 done with some inputs skipped, 2 nothing could be done (bad usage, unreadable inputs),
130 interrupted by Ctrl-C (SIGINT), 143 stopped by SIGTERM; an interrupted run says how far it got.
"""

from __future__ import annotations

import json
import signal
import sys
import time
import warnings
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich import box
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
    warc = "warc"
    feed = "feed"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
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


def _listener(kind: str, origin: str, message: str) -> None:
    """Print a skipped input or a warning as it happens, so a long run does not hide them until the end."""
    label = "[yellow]skipped[/]" if kind == "skipped" else "[yellow]warning:[/]"
    text = f"{origin}: {message}" if kind == "skipped" and not message.startswith(origin) else message
    err.print(f"{label} {escape(text)}", highlight=False, soft_wrap=True)


def _finish(report, what: str) -> None:
    # one line per language of the articles not analysed for it, with what to do
    for language, n in sorted(report.languages_skipped.items(), key=lambda item: (-item[1], item[0])):
        err.print(f"skipped {n:,} article(s): {escape(report.language_reasons[language])}", highlight=False)
    # one line per reason for what a crawl holds besides articles (thousands of records, never listed)
    for reason, n in sorted(report.passed_over.items(), key=lambda item: (-item[1], item[0])):
        err.print(f"passed over {n:,} {reason}", highlight=False)
    if report.nothing_done:
        if report.skipped:
            raise _fail(f"nothing was {what}: {len(report.skipped)} input(s) skipped (reasons above)")
        if report.languages_skipped:
            raise _fail(f"nothing was {what}: every article was in a language not analysed (see above)")
        raise _fail(f"nothing was {what}: the inputs held no articles")
    if report.skipped:
        err.print(f"{len(report.skipped)} input(s) skipped", highlight=False)
        raise typer.Exit(1)


def _cleaning_summary(report) -> None:
    """One line on duplicates and learned boilerplate, when there were any."""
    parts = []
    if report.duplicates:
        parts.append(f"{report.duplicates:,} duplicate(s) of articles already analysed, not analysed again")
    if report.boilerplate_dropped:
        parts.append(
            f"{report.boilerplate_dropped:,} boilerplate paragraph(s) learned per source and dropped"
        )
    if parts:
        err.print("; ".join(parts), highlight=False)


class _Stopped(KeyboardInterrupt):
    """SIGTERM, raised where the main thread is, so that a stopped run cleans up like an interrupted one."""


def _on_sigterm(signum, frame) -> None:  # noqa: ARG001 - the signal handler signature
    raise _Stopped()


@contextmanager
def _interruptible(report, what: str):
    """Turn Ctrl-C and SIGTERM into one line saying how far the run got, and exit 130 or 143.

    The library's engines stop their worker processes on the way out (the exception passes through
    them), so nothing is left running; stored articles are whole, and a rerun resumes after them.
    """
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    except KeyboardInterrupt as exc:
        stopped = isinstance(exc, _Stopped)
        done = (
            f"{report.written} record(s) written"
            if report.database is None
            else ", ".join(f"{n} {status}" for status, n in sorted(report.stored.items())) or "nothing stored"
        )
        resume = "; run the same command again to resume" if report.database is not None else ""
        err.print(
            f"[bold red]{'stopped' if stopped else 'interrupted'}:[/] after {report.read} article(s) read: "
            f"{escape(done)}, {len(report.skipped)} skipped{resume}",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(143 if stopped else 130) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


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
    typer.Argument(
        help="Input files or folders: .txt, .jsonl, .html, .warc (web crawls), .rss/.atom/.xml (feeds), each "
        "also gzipped (.gz); '-' reads stdin."
    ),
]
FormatOpt = Annotated[
    InputFormat,
    typer.Option("--input-format", help="How to read the inputs (auto: by extension, or sniffed)."),
]
MaxBytesOpt = Annotated[
    int | None,
    typer.Option(
        "--max-bytes",
        min=1,
        help="Largest page, JSONL line, feed or crawl record to read, in bytes (default 20 MB); larger ones "
        "are skipped with a reason. A crawl file itself has no cap.",
    ),
]
PublishedOpt = Annotated[
    str | None, typer.Option("--published", help="Publication date (YYYY-MM-DD) for inputs that carry none.")
]
TitleOpt = Annotated[
    bool, typer.Option("--title/--no-title", help="Text pages: the first non-empty line is the title.")
]
ProcsOpt = Annotated[int, typer.Option("--processes", "-j", min=1, help="Worker processes for analysis.")]
ActorsFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--actors",
        help="Your own actor entries (YAML: name, code or dated codes, kind, names); they win over ours.",
    ),
]
PatternsFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--patterns",
        help="Your own verb patterns (YAML, or JSON from `tacitus patterns import`); they replace ours: "
        "only they code events.",
    ),
]
QuoteTypesOpt = Annotated[
    str | None,
    typer.Option(
        "--quote-types",
        help="Quote types to keep, comma-separated, among speech, belief, finding, intention (default: "
        "speech,finding; beliefs and intentions are off until their precision reaches 0.85).",
    ),
]
LanguagesOpt = Annotated[
    str | None,
    typer.Option(
        "--languages",
        help="Analyse articles in these languages only, comma-separated ISO 639-1 codes (e.g. en,de); a "
        "language without a model of its own goes through the English one. Default: the languages a model "
        "is installed for (English); articles in others are skipped and counted.",
    ),
]
AnyLanguageOpt = Annotated[
    bool,
    typer.Option("--any-language", help="Analyse every article whatever its language (no language check)."),
]
DedupOpt = Annotated[
    bool,
    typer.Option(
        "--dedup/--no-dedup",
        help="Find articles that repeat an earlier one (a wire copy under another headline, a trimmed "
        "ending): they are not analysed again but written (extract) or stored (process) as another "
        "publication of it.",
    ),
]
LearnOpt = Annotated[
    bool,
    typer.Option(
        "--learn-boilerplate/--no-learn-boilerplate",
        help="Drop the lines a source prints under many of its articles (footers, 'Read more', newsletter "
        "boxes), learned over the inputs and the database.",
    ),
]
CleanTextOpt = Annotated[
    bool,
    typer.Option(
        "--clean-text",
        help="Drop learned boilerplate from JSONL 'text' fields too (kept as given otherwise, so that "
        "offsets match the input).",
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Encoding of the inputs (e.g. cp1252, koi8-r), instead of detecting it: UTF-8 or a byte-order "
        "mark, else Windows-1252 with a warning.",
    ),
]


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
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = None,
    actors: ActorsFileOpt = None,
    patterns: PatternsFileOpt = None,
    quote_types: QuoteTypesOpt = None,
    languages: LanguagesOpt = None,
    any_language: AnyLanguageOpt = False,
    dedup: DedupOpt = True,
    learn_boilerplate: LearnOpt = True,
    clean_text: CleanTextOpt = False,
) -> None:
    """Analyse articles and write one JSON record per article (JSONL) to stdout or --output.

    An article that repeats an earlier one gets a short line naming it (duplicate_of) instead of a record.
    """
    from tacitus import jobs

    if output is not None and not output.parent.exists():
        raise _fail(
            f"{output}: the folder {output.parent} does not exist; create it or choose another --output"
        )
    report = jobs.RunReport(listener=_listener)
    try:
        with (
            _interruptible(report, "extracted"),
            open(output, "w", encoding="utf-8") if output else _stdout() as sink,
            _progress("analysing") as tick,
        ):
            jobs.extract(
                files,
                sink,
                input_format=input_format.value,
                published=published,
                title=title,
                n_process=processes,
                progress=tick,
                encoding=encoding,
                max_bytes=max_bytes,
                report=report,
                actors_file=actors,
                patterns_file=patterns,
                quote_types=quote_types.split(",") if quote_types else None,
                languages=languages.split(",") if languages else None,
                any_language=any_language,
                dedup=dedup,
                learn_boilerplate=learn_boilerplate,
                clean_text=clean_text,
            )
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    _cleaning_summary(report)
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
QueryDbOpt = Annotated[
    str,
    typer.Option(
        "--db", help="SQLite database file or SQLAlchemy URL, made by `tacitus process` (never created here)."
    ),
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
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = None,
    actors: ActorsFileOpt = None,
    patterns: PatternsFileOpt = None,
    quote_types: QuoteTypesOpt = None,
    languages: LanguagesOpt = None,
    any_language: AnyLanguageOpt = False,
    dedup: DedupOpt = True,
    learn_boilerplate: LearnOpt = True,
    clean_text: CleanTextOpt = False,
) -> None:
    """Analyse articles and store their records in a database (each article stored once).

    Articles already stored (same publication) are counted as unchanged without being analysed again, so
    running the same command after an interruption resumes where it stopped. An article that repeats one
    already analysed is stored as another publication of it (counted as duplicate).
    """
    from tacitus import jobs

    report = jobs.RunReport(listener=_listener)
    try:
        with _interruptible(report, "stored"), _progress("analysing") as tick:
            jobs.process(
                files,
                db,
                input_format=input_format.value,
                published=published,
                title=title,
                reprocess=reprocess,
                n_process=processes,
                progress=tick,
                encoding=encoding,
                max_bytes=max_bytes,
                report=report,
                actors_file=actors,
                patterns_file=patterns,
                quote_types=quote_types.split(",") if quote_types else None,
                languages=languages.split(",") if languages else None,
                any_language=any_language,
                dedup=dedup,
                learn_boilerplate=learn_boilerplate,
                clean_text=clean_text,
            )
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    _cleaning_summary(report)
    stored = ", ".join(f"{n} {status}" for status, n in sorted(report.stored.items())) or "nothing stored"
    err.print(f"{report.read} article(s) read; {stored}; database: {report.database}", highlight=False)
    _finish(report, "stored")


@app.command()
def links(
    files: FilesArg,
    input_format: FormatOpt = InputFormat.auto,
    max_bytes: MaxBytesOpt = None,
) -> None:
    """Print the links of the feed entries that carry no full text, one a line, to fetch them.

    Tacitus never fetches pages. Save the list, crawl it into a WARC, and give Tacitus the WARC:
    `tacitus links feed.xml > links.txt && wget --warc-file=news -i links.txt && tacitus extract news.warc.gz`.
    """
    from tacitus import jobs

    report = jobs.RunReport(listener=_listener)
    try:
        found = jobs.feed_links(files, input_format=input_format.value, max_bytes=max_bytes, report=report)
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    for link in found:
        out.print(link, highlight=False, soft_wrap=True, markup=False)
    err.print(f"{len(found)} link(s) to fetch", highlight=False)
    if report.skipped:
        raise typer.Exit(1)


ActorOpt = Annotated[
    str | None, typer.Option("--actor", help="Actor code or prefix (RUS matches RUSGOV, RUSMIL, ...).")
]
SinceOpt = Annotated[str | None, typer.Option("--since", help="From this date (YYYY-MM-DD), inclusive.")]
UntilOpt = Annotated[str | None, typer.Option("--until", help="Up to this date (YYYY-MM-DD), inclusive.")]
OutFmtOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        help="table (for reading), json (one array), jsonl (one object a line) or csv (with header).",
    ),
]
LimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="At most this many rows.")]


def _query(
    what: str, db: str, actor, since, until, fmt: OutputFormat, limit, columns: list[str], types=None, **extra
) -> None:
    from tacitus import jobs

    given = {"actor": actor, "since": since, "until": until, "types": types or None, **extra}
    filters = {k: v for k, v in given.items() if v is not None}
    try:
        rows = jobs.query(db, what, limit=limit, **filters)
    except TacitusError as exc:
        raise _fail(str(exc)) from None
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
    table = events_table(rows) if what == "events" else _plain_table(what, rows, columns)
    out.print(table)


def _cell(value) -> str:
    return "" if value is None else str(value)


def _plain_table(what: str, rows: list[dict], columns: list[str]) -> Table:
    table = Table(title=f"{len(rows)} {what}", show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[_cell(row.get(c)) for c in columns])
    return table


SENTENCE_CHARS = 120  # the evidence shown under each event; --format json/csv gives it whole


def _actor_cell(code, name) -> str:
    return "\n".join(part for part in (_cell(code) or "?", _cell(name)) if part)


def events_table(rows: list[dict]) -> Table:
    """Events as a table that reads at 80 columns: who, what (with mood and negation), to whom, the evidence.

    The "did" cell carries the CAMEO code and PLOVER category, whether the event is negated and its mood,
    where it happened, and the start of the sentence it comes from.
    """
    table = Table(title=f"{len(rows)} events", box=box.SIMPLE_HEAD, show_lines=True, expand=False)
    table.add_column("date", no_wrap=True, min_width=10, max_width=10)
    table.add_column("who", overflow="fold", max_width=18)
    table.add_column("did", overflow="fold", ratio=1, min_width=24)
    table.add_column("to whom", overflow="fold", max_width=18)
    for row in rows:
        what = " ".join(p for p in (_cell(row.get("code")), _cell(row.get("plover"))) if p)
        status = "NOT (negated)" if row.get("negated") else _cell(row.get("mood")) or "asserted"
        lines = [f"[bold]{escape(what)}[/] · {escape(status)}"]
        if row.get("place"):
            lines.append(f"in {escape(_cell(row['place']))}")
        if (row.get("sources") or 0) > 1:  # the story was printed by several outlets: one event, not several
            lines.append(f"reported by {row['sources']} sources")
        sentence = " ".join(_cell(row.get("sentence")).split())
        if sentence:
            if len(sentence) > SENTENCE_CHARS:
                sentence = sentence[: SENTENCE_CHARS - 1].rstrip() + "…"
            lines.append(f"[dim]“{escape(sentence)}”[/]")
        date = _cell(row.get("date"))
        if row.get("date_from") == "published":
            date += "\n[dim]published[/]"  # no event date in the text: the article's day stands in
        table.add_row(
            date,
            escape(_actor_cell(row.get("source_code"), row.get("source_name"))),
            "\n".join(lines),
            escape(_actor_cell(row.get("target_code"), row.get("target_name"))),
        )
    return table


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
        raise _fail(f"--type: {exc}") from None
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
        raise _fail(str(exc)) from None
    if fmt in (OutputFormat.json, OutputFormat.jsonl):
        for row in rows if fmt is OutputFormat.jsonl else [rows]:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(jobs.rows_to_csv(rows, jobs.LOOKUP_COLUMNS))
    elif rows:
        out.print(_plain_table(f"candidates for {text!r}", rows, jobs.LOOKUP_COLUMNS))
    if not rows:
        err.print(f"nothing in the knowledge base matches {escape(text)!r}", highlight=False)
        raise typer.Exit(1)


def _write_output(text: str, output: Path | None) -> None:
    """Write a converted file to ``output``, or to stdout without one; a failure is one line naming it."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc.strerror}); choose another -o") from None


@actors_app.command("import")
def actors_import(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="TABARI/PETRARCH actor or agent dictionaries (e.g. Phoenix.agents.txt); each file's kind "
            "is told by its codes.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the YAML actor file here instead of stdout.")
    ] = None,
) -> None:
    """Turn TABARI/PETRARCH actor and agent dictionaries into a YAML actor file for --actors.

    Actors keep their synonyms and dated codes ([RUSGOV 991231-080507]; until is exclusive,
    as in TABARI); agents ([~GOV]) become role words, with substitution sets (!PERSON!) and
    plurals expanded. A one-line summary on stderr counts entries, roles and the lines
    skipped or repaired, by reason, with file:line examples.
    """
    from tacitus.kb.tabari import Report, import_dictionaries, to_yaml

    if output is not None and not output.parent.exists():
        raise _fail(f"{output}: the folder {output.parent} does not exist; create it or choose another -o")
    report = Report()
    try:
        imported = import_dictionaries(files, report)
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    if not imported.entries and not imported.roles:
        raise _fail(
            f"nothing was imported from {', '.join(map(str, files))}: no actor or role with a usable code; "
            f"give TABARI actor or agent dictionaries ({report.skipped_summary(1) or 'no entries'})"
        )
    text = to_yaml(imported)
    _write_output(text, output)
    where = f" to {output}" if output is not None else ""
    n, m = len(imported.entries), len(imported.roles)
    summary = (
        f"imported {n} {'entry' if n == 1 else 'entries'} and {m} role{'' if m == 1 else 's'} from "
        f"{len(files)} file(s){where}; skipped or repaired: {report.skipped_summary() or 'nothing'}"
    )
    err.print(escape(summary), highlight=False, soft_wrap=True)


# `tacitus patterns import FILE -o OUT.json`: a PETRARCH verb dictionary as a pattern file for --patterns.
patterns_app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Verb pattern files for --patterns."
)
app.add_typer(patterns_app, name="patterns")


@patterns_app.command("import")
def patterns_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A PETRARCH/TABARI verb dictionary (e.g. CAMEO.2.0.txt, PETR.Validate.verbs.txt).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON pattern file here (*.json) instead of stdout."),
    ] = None,
) -> None:
    """Turn a PETRARCH verb dictionary into a JSON verb pattern file for --patterns.

    Every verb line and pattern line Tacitus can express is converted as PETRARCH-2 reads it (synonym
    sets, multi-word verbs, prepositional phrases, source and target markers, [---] blockers); codes
    CAMEO lacks are kept. A summary on stderr counts the patterns and the lines skipped, by reason.
    """
    from tacitus.ontology.petrarch_verbs import convert_dictionary

    if output is not None and output.suffix != ".json":
        raise _fail(f"{output}: a pattern file made here is JSON; name it *.json (it is read by its suffix)")
    if output is not None and not output.parent.exists():
        raise _fail(f"{output}: the folder {output.parent} does not exist; create it or choose another -o")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # codes outside CAMEO: counted in the summary
            text, converter, converted = convert_dictionary(file)
    except OSError as exc:
        raise _fail(f"{file}: cannot read the verb dictionary ({exc.strerror})") from None
    except TacitusError as exc:
        raise _fail(str(exc)) from None
    if not converted:
        raise _fail(
            f"nothing was converted from {file}: no verb block Tacitus can express; is it a verb dictionary?"
        )
    _write_output(text, output)
    c = converter.counts
    outside = c["codes kept that Tacitus's CAMEO table lacks"]
    skipped = converter.pattern_skips + converter.verb_skips
    reasons = "; ".join(f"{reason}: {n}" for reason, n in skipped.most_common(4)) or "nothing"
    where = f" to {output}" if output is not None else ""
    summary = (
        f"converted {len(converted)} pattern(s){where} from {c['pattern lines converted']} of "
        f"{c['pattern lines']} pattern lines and {c['verb lines']} verb lines; "
        f"{outside} line(s) with codes CAMEO lacks kept; "
        f"skipped: {reasons}"
    )
    err.print(escape(summary), highlight=False, soft_wrap=True)


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
        ev = events_table(sample_events)
        ev.title = "Some events"
        out.print(ev)
    out.print(f"Database: {Path(db).resolve()}", highlight=False)
    out.print(f"Try: tacitus events --db {db} --actor USA   |   tacitus quotes --db {db}", highlight=False)
    _finish(report, "stored")


class EvalName(StrEnum):
    quotes = "quotes"
    events = "events"
    actors = "actors"
    time = "time"
    ingest = "ingest"
    duplicates = "duplicates"
    all = "all"


@app.command("eval")
def eval_(
    which: Annotated[
        EvalName,
        typer.Argument(
            help="Which scorer: quotes (PolNeAR), events (PLOVER GSR, CAMEO codebook examples, PETRARCH "
            "validation suite), actors (PLOVER GSR actor codes, PolNeAR speakers), time (TempEval-3 and "
            "MEANTIME TIMEX3 spans and values), ingest (HTML bodies on the Scrapinghub benchmark beside its 32 "
            "tools; title, byline, date and body on Mozilla Readability's pages), duplicates (labelled "
            "AllSides article pairs, read from corpora/ beside --data), all."
        ),
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


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    # a warning from the library (a pattern file's codes outside the CAMEO table) is for the user: one line,
    # not Python's file:line and source excerpt
    print(f"warning: {message}", file=sys.stderr)


def main() -> None:
    """Console-script entry point."""
    import warnings

    warnings.showwarning = _one_line_warning
    app()


if __name__ == "__main__":
    main()
