"""What every ``tacitus`` command shares: the Typer app, the consoles, the options, progress and exit codes.

Library errors are typed (:mod:`tacitus.errors`); in the command modules, and only there, they become
one-line messages and exit codes: 0 done, 1 done with some inputs skipped, 2 nothing could be done (bad
usage, unreadable inputs), 130 interrupted by Ctrl-C (SIGINT), 143 stopped by SIGTERM; an interrupted run
says how far it got.
"""

from __future__ import annotations

import signal
import sys
import time
from collections import deque
from collections.abc import Callable
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

from tacitus import __version__

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


class Engine(StrEnum):
    local = "local"
    dask = "dask"


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def fail(message: str, code: int = 2) -> typer.Exit:
    # messages quote user input and file contents: never let rich read them as markup ("[RUSGOV]")
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


PROGRESS_DELAY = 3.0  # seconds: short runs finish before a bar would be worth drawing
# The rate is measured over the last minute, not the whole run: a resumed run first counts its stored
# articles by the thousand per second, and a cluster's rate changes as workers come and go.
RATE_WINDOW = 60.0


def rate_and_eta(
    samples: deque[tuple[float, int]], now: float, done: int, total: int | None
) -> tuple[float, float | None]:
    """Articles per second over the last :data:`RATE_WINDOW` seconds of ``samples`` (``(time, done)``
    pairs, oldest first, never empty, to which ``(now, done)`` is added), and the seconds left for
    ``total`` at that rate (``None`` while the total is unknown or nothing has been done yet)."""
    if now - samples[-1][0] >= 0.25:  # a few samples a second are plenty, however fast the ticks
        samples.append((now, done))
    while len(samples) > 2 and now - samples[1][0] >= RATE_WINDOW:
        samples.popleft()
    then, before = samples[0]
    rate = (done - before) / (now - then) if now > then else 0.0
    if total is None or rate <= 0:
        return rate, None
    return rate, max(0, total - done) / rate


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    return f"ETA {seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class _Ticker:
    """Counts finished articles and draws a progress line once a run has lasted PROGRESS_DELAY seconds:
    articles done, the rate, and the time left once ``total()`` knows how many there are."""

    def __init__(self, label: str, total: Callable[[], int | None] | None = None) -> None:
        self.label = label
        self.total = total
        self.started = time.monotonic()
        self.done = 0
        self.samples: deque[tuple[float, int]] = deque([(self.started, 0)])
        self.bar: Progress | None = None
        self.task = None

    def __call__(self, n: int) -> None:
        self.done += n
        if self.bar is None and time.monotonic() - self.started >= PROGRESS_DELAY:
            self.bar = Progress(
                SpinnerColumn(),
                TextColumn(self.label),
                TextColumn("{task.completed} done"),
                TextColumn("{task.fields[rate]}"),
                TextColumn("{task.fields[eta]}"),
                TimeElapsedColumn(),
                console=err,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=None, rate="", eta="")
        if self.bar is not None:
            total = self.total() if self.total else None
            rate, left = rate_and_eta(self.samples, time.monotonic(), self.done, total)
            self.bar.update(self.task, completed=self.done, rate=f"{rate:.1f} articles/s", eta=_clock(left))

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


@contextmanager
def progress(label: str, total: Callable[[], int | None] | None = None):
    """A progress line on stderr for runs longer than a few seconds; silent in pipes and CI logs.
    ``total`` says how many articles the run will count, once it knows (for the time left)."""
    if not err.is_terminal:
        yield None
        return
    ticker = _Ticker(label, total)
    try:
        yield ticker
    finally:
        ticker.close()


def listener(kind: str, origin: str, message: str) -> None:
    """Print a skipped input or a warning as it happens, so a long run does not hide them until the end."""
    label = "[yellow]skipped[/]" if kind == "skipped" else "[yellow]warning:[/]"
    text = f"{origin}: {message}" if kind == "skipped" and not message.startswith(origin) else message
    err.print(f"{label} {escape(text)}", highlight=False, soft_wrap=True)


def finish(report, what: str) -> None:
    # one line per language of the articles not analysed for it, with what to do
    for language, n in sorted(report.languages_skipped.items(), key=lambda item: (-item[1], item[0])):
        err.print(f"skipped {n:,} article(s): {escape(report.language_reasons[language])}", highlight=False)
    # one line per reason for what a crawl holds besides articles (thousands of records, never listed)
    for reason, n in sorted(report.passed_over.items(), key=lambda item: (-item[1], item[0])):
        err.print(f"passed over {n:,} {reason}", highlight=False)
    if report.nothing_done:
        if report.skipped:
            raise fail(f"nothing was {what}: {len(report.skipped)} input(s) skipped (reasons above)")
        if report.languages_skipped:
            raise fail(f"nothing was {what}: every article was in a language not analysed (see above)")
        raise fail(f"nothing was {what}: the inputs held no articles")
    if report.skipped:
        err.print(f"{len(report.skipped)} input(s) skipped", highlight=False)
        raise typer.Exit(1)


def cleaning_summary(report) -> None:
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
def interruptible(report, what: str):
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
ProcsOpt = Annotated[
    int,
    typer.Option(
        "--processes", "-j", min=1, help="Worker processes for analysis (--engine dask: local Dask workers)."
    ),
]
EngineOpt = Annotated[
    Engine,
    typer.Option(
        "--engine",
        help="Where analysis runs: local (this machine's processes) or dask (a local Dask cluster of -j "
        "workers, or the cluster of --scheduler; pip install 'tacitus[dask]'). See docs/dask.md.",
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="With --engine dask: the address of a running Dask scheduler (tcp://host:8786) whose workers "
        "analyse; they store their records themselves into PostgreSQL (--db postgresql+psycopg://...) or "
        "--out-parquet; into SQLite the records come back here to be stored.",
    ),
]
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


@contextmanager
def stdout_sink():
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


def write_output(text: str, output: Path | None) -> None:
    """Write a converted file to ``output``, or to stdout without one; a failure is one line naming it."""
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise fail(f"{output}: cannot write ({exc.strerror}); choose another -o") from None
