"""Reading inputs into Articles: text pages, JSONL, HTML, directories of them, and standard input.

:func:`read_articles` is the one entry point; the CLI and the library both call it. Formats are chosen by
extension (``.txt``; ``.jsonl``, ``.jsonl.gz``, ``.ndjson``, ``.ndjson.gz``; ``.html``, ``.htm``) or forced
with ``input_format``; ``-`` is standard input, JSONL when its first non-blank character is ``{``, HTML when
it starts with ``<!doctype html`` or ``<html``, a text page otherwise.

Error policy. Mistakes in *what was asked for* raise at once, when :func:`read_articles` is called and
before anything is read, so a typo fails in a second instead of after an hour of work on the other inputs:
an unknown ``input_format`` or file extension (:class:`UnknownInputFormat`), a path that does not exist
(:class:`UnreadableInput`), an explicitly given folder with no input files or no sources at all
(:class:`NoInputs`), a bad ``published`` default (:class:`InvalidDate`). Problems *inside* the inputs never
raise: a file that cannot be read or decoded, a bad JSONL line, a bad date, a page with no body is skipped
and recorded in ``report.skipped`` with a one-line reason that names the input and the fix, and reading goes
on. Without a ``report``, skipped items are logged as warnings on the ``tacitus.ingest`` logger so nothing is
lost silently. The CLI prints each skipped item and exits with code 2 when no article at all was read.

Encodings. Text pages are read as UTF-8 (a byte-order mark is dropped; UTF-16 with a mark is honoured); other
bytes fall back to Windows-1252 with a warning in ``report.warnings`` and ``meta["encoding"]``, because that
is what old scrapers and pages labelled Latin-1 really are, and it still rejects undefined bytes. JSONL must
be UTF-8 (RFC 8259): a line that is not is skipped. HTML bytes go to trafilatura, which honours the page's
declared charset.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tacitus.errors import NoInputs, UnknownInputFormat, UnreadableInput
from tacitus.ingest.boilerplate import Rule, load_rules
from tacitus.ingest.html import parse_html
from tacitus.ingest.jsonl import OnSkip, open_lines, parse_date, parse_jsonl
from tacitus.ingest.text import decode_bytes, parse_text_page
from tacitus.model import Article

__all__ = [
    "EXTENSIONS",
    "INPUT_FORMATS",
    "IngestReport",
    "Rule",
    "Skipped",
    "load_rules",
    "parse_html",
    "parse_text_page",
    "read_articles",
    "validate_date",
]

INPUT_FORMATS = ("auto", "text", "jsonl", "html")
# Longest suffixes first so ".jsonl.gz" is not taken for an unknown ".gz".
EXTENSIONS = {
    ".jsonl.gz": "jsonl",
    ".ndjson.gz": "jsonl",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
}
STDIN = "-"
_STDIN_NAME = "<stdin>"

log = logging.getLogger("tacitus.ingest")


@dataclass
class Skipped:
    """An input (a file, or ``file.jsonl:12`` for one line) that was not read, and why, in one line."""

    origin: str
    reason: str


@dataclass
class IngestReport:
    """What happened while reading: items skipped, articles yielded, and warnings such as encoding fallbacks.

    It is filled while :func:`read_articles` is iterated, so read it after the loop.
    """

    skipped: list[Skipped] = field(default_factory=list)
    articles: int = 0
    warnings: list[str] = field(default_factory=list)


def validate_date(value: str, what: str) -> str:
    """Return ``value`` as an ISO date (``YYYY-MM-DD``) or raise :class:`InvalidDate` naming ``what``.

    An ISO datetime (``2017-12-15T10:20:00Z``) is accepted and gives its date part, since a record's
    ``published`` is a day. ``what`` names where the value came from (``--published``, ``file.jsonl:3:
    published``) so the message can be printed as it is.
    """
    return parse_date(value, what)


def _format_of(path: Path) -> str | None:
    name = path.name.lower()
    for suffix, fmt in EXTENSIONS.items():
        if name.endswith(suffix):
            return fmt
    return None


def _known_list() -> str:
    return ", ".join(EXTENSIONS)


def _walk(folder: Path, report: IngestReport) -> tuple[list[Path], int]:
    errors = 0

    def on_error(exc: OSError) -> None:
        nonlocal errors
        errors += 1
        where = exc.filename or str(folder)
        _skip(report, str(where), f"{where}: cannot list the folder ({exc.strerror}); check its permissions")

    found: list[Path] = []
    # os.walk does not follow symlinked folders, so a link loop cannot make this run forever.
    for root, dirs, files in os.walk(folder, onerror=on_error):
        # Hidden folders and files (.git, .cache, editor backups) are never inputs.
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root, name)
            if not name.startswith(".") and _format_of(path) is not None:
                found.append(path)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix()), errors


def _plan(
    sources: list[str | Path], input_format: str, report: IngestReport
) -> list[tuple[Path | None, str]]:
    if not sources:
        raise NoInputs("no inputs given; pass files, a folder, or - for standard input")
    plan: list[tuple[Path | None, str]] = []
    for source in sources:
        if str(source) == STDIN:
            plan.append((None, input_format))
            continue
        path = Path(source)
        if path.is_dir():
            files, errors = _walk(path, report)
            # A folder we could not list is already reported as skipped; an empty one is a usage mistake.
            if not files and not errors:
                raise NoInputs(
                    f"{path}: no .txt, .jsonl, .html files found; pass files or a folder that has some"
                )
            plan.extend(
                (f, input_format if input_format != "auto" else _format_of(f) or "text") for f in files
            )
        elif path.exists():
            fmt = input_format if input_format != "auto" else _format_of(path)
            if fmt is None:
                raise UnknownInputFormat(
                    f"{path}: unknown file type (Tacitus reads {_known_list()}); "
                    "pass --input-format text (or jsonl, html) to read it anyway"
                )
            plan.append((path, fmt))
        else:
            raise UnreadableInput(f"{path}: no such file or folder; check the path")
    return plan


def _skip(report: IngestReport, origin: str, reason: str) -> None:
    report.skipped.append(Skipped(origin, reason))


def read_articles(
    sources: Iterable[str | Path],
    *,
    input_format: str = "auto",
    published: str | None = None,
    title: bool = True,
    report: IngestReport | None = None,
    stdin: TextIO | None = None,
    rules: Iterable[Rule] | None = None,
) -> Iterator[Article]:
    """Read every article from files, folders (recursively, in sorted order) and ``-`` (standard input).

    ``input_format`` is ``auto`` (by extension, or sniffed for standard input) or forces ``text``,
    ``jsonl`` or ``html`` for every input. ``published`` (an ISO date) fills articles that have no date;
    ``title=False`` makes text pages all body; ``stdin`` replaces ``sys.stdin``; ``rules`` replaces the
    packaged boilerplate rules. Usage errors raise at once; per-item problems are recorded in ``report``
    and reading goes on, as the module docstring explains. Articles come lazily, in input order.
    """
    if input_format not in INPUT_FORMATS:
        raise UnknownInputFormat(
            f"unknown input format {input_format!r}; use one of {', '.join(INPUT_FORMATS)}"
        )
    default_date = validate_date(published, "--published") if published is not None else None
    own_report = report is None
    report = IngestReport() if report is None else report
    plan = _plan(list(sources), input_format, report)
    rule_set = tuple(rules) if rules is not None else None
    return _iterate(plan, report, own_report, default_date, title, stdin, rule_set)


def _iterate(
    plan: list[tuple[Path | None, str]],
    report: IngestReport,
    own_report: bool,
    default_date: str | None,
    title: bool,
    stdin: TextIO | None,
    rules: tuple[Rule, ...] | None,
) -> Iterator[Article]:
    def on_skip(origin: str, reason: str) -> None:
        _skip(report, origin, reason)
        if own_report:
            log.warning("%s", reason)

    def warn(message: str) -> None:
        report.warnings.append(message)
        if own_report:
            log.warning("%s", message)

    for path, fmt in plan:
        if path is None:
            articles = _read_stdin(stdin if stdin is not None else sys.stdin, fmt, title, on_skip, rules)
        elif fmt == "jsonl":
            articles = parse_jsonl(
                open_lines(path), name=str(path), stem=_stem(path), on_skip=on_skip, rules=rules
            )
        else:
            articles = _read_page(path, fmt, title, on_skip, warn, rules)
        for article in articles:
            if article.published is None:
                article.published = default_date
            report.articles += 1
            yield article


def _stem(path: Path) -> str:
    name = path.name
    for suffix in EXTENSIONS:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def _read_page(
    path: Path,
    fmt: str,
    title: bool,
    on_skip: OnSkip,
    warn: Callable[[str], None],
    rules: tuple[Rule, ...] | None,
) -> Iterator[Article]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        on_skip(name, f"{name}: cannot read ({exc.strerror or exc}); check the file and its permissions")
        return
    if fmt == "html":
        article = parse_html(data, origin=name, rules=rules)
        encoding = None
    else:
        try:
            raw, warning = decode_bytes(data, name)
        except UnreadableInput as exc:
            on_skip(name, str(exc))
            return
        encoding = "cp1252" if warning else None
        if warning:
            warn(warning)
        article = parse_text_page(raw, title=title, origin=name, rules=rules)
    article = _finish_page(article, _stem(path), name, encoding, on_skip)
    if article is not None:
        yield article


def _finish_page(
    article: Article, article_id: str, name: str, encoding: str | None, on_skip: OnSkip
) -> Article | None:
    if not article.text.strip():
        hint = "pass --no-title if the file is all body text" if article.title else "check the file"
        on_skip(name, f"{name}: no article text found; {hint}")
        return None
    article.id = article_id
    meta = {"path": name}
    if encoding:
        meta["encoding"] = encoding
    article.meta = {**meta, **article.meta}
    return article


def _read_stdin(
    stream: TextIO, fmt: str, title: bool, on_skip: OnSkip, rules: tuple[Rule, ...] | None
) -> Iterator[Article]:
    name = _STDIN_NAME
    try:
        if fmt in ("auto", "jsonl"):
            # Sniff without reading everything: a JSONL stream may be large, and is parsed line by line.
            head: list[str] = []
            for line in stream:
                head.append(line)
                if line.strip():
                    break
            first = "".join(head).lstrip("\ufeff").lstrip()
            if fmt == "jsonl" or first.startswith("{"):
                lines = _chain(head, stream)
                yield from parse_jsonl(lines, name=name, stem="stdin", on_skip=on_skip, rules=rules)
                return
            raw = "".join(head) + stream.read()
        else:
            raw = stream.read()
    except UnicodeDecodeError as exc:
        on_skip(name, f"{name}: not UTF-8 text ({exc.reason}); pipe UTF-8, e.g. through iconv -t utf-8")
        return
    except OSError as exc:
        on_skip(name, f"{name}: cannot read standard input ({exc})")
        return
    lowered = raw.lstrip("\ufeff").lstrip()[:15].lower()
    if fmt == "html" or (fmt == "auto" and lowered.startswith(("<!doctype html", "<html"))):
        article = parse_html(raw, origin=name, rules=rules)
    else:
        article = parse_text_page(raw, title=title, origin=name, rules=rules)
    if not article.text.strip():
        hint = "pass --no-title if it is all body text" if article.title else "pipe an article in"
        on_skip(name, f"{name}: no article text found; {hint}")
        return
    article.id = "stdin"
    yield article


def _chain(head: list[str], stream: TextIO) -> Iterator[str]:
    yield from head
    yield from stream
