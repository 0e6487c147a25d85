"""Reading inputs into Articles: text pages, JSONL, HTML, directories of them, and standard input.

:func:`read_articles` is the one entry point; the CLI and the library both call it. Formats are chosen by
extension (``.txt``; ``.jsonl``, ``.jsonl.gz``, ``.ndjson``, ``.ndjson.gz``; ``.html``, ``.htm``) or forced
with ``input_format``; ``-`` is standard input, JSONL when its first non-blank character is ``{``, HTML when
it starts with ``<!doctype html`` or ``<html``, a text page otherwise.

Error policy. Mistakes in *how* Tacitus was asked raise at once, when :func:`read_articles` is called and
before anything is read: an unknown ``input_format`` (:class:`UnknownInputFormat`), no sources at all
(:class:`NoInputs`), a bad ``published`` default (:class:`InvalidDate`), an unknown ``encoding``
(:class:`UnreadableInput`). Problems with *one input* never end a batch: a path that does not exist, a file
of an unknown type, a folder with no inputs, a file that cannot be read or decoded, a bad JSONL line, a bad
date, a page with no body is skipped and recorded in ``report.skipped`` with a one-line reason that names
the input and the fix, and reading goes on (missing paths are reported before any article is read). Without
a ``report``, skipped items are logged as warnings on the ``tacitus.ingest`` logger so nothing is lost
silently.

Encodings. Bytes are decoded once, here, by :mod:`tacitus.ingest.decode`: gzip is recognised by its magic
bytes (``.txt.gz``, ``.html.gz`` or a gzipped stdin all work), a declared ``encoding`` wins, then a
byte-order mark, then UTF-8; other bytes are read as Windows-1252 with a warning that it was a guess, in
``report.warnings``, the article's ``warnings`` and ``meta["encoding"]``. JSONL lines are UTF-8 (RFC 8259)
unless an encoding is declared. HTML bytes go to trafilatura, which honours the page's declared charset.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tacitus.errors import NoInputs, UnknownInputFormat, UnreadableInput
from tacitus.ingest.boilerplate import Rule, load_rules
from tacitus.ingest.decode import GZIP_MAGIC, check_encoding, decode_bytes, gunzip
from tacitus.ingest.fields import parse_date
from tacitus.ingest.html import parse_html
from tacitus.ingest.jsonl import OnSkip, open_lines, parse_jsonl
from tacitus.ingest.text import parse_text_page
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
# A trailing ".gz" is looked through (and gzip is also recognised by its bytes, whatever the name).
EXTENSIONS = {
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


def _inner_name(path: Path) -> str:
    name = path.name.lower()
    return name[:-3] if name.endswith(".gz") else name


def _format_of(path: Path) -> str | None:
    name = _inner_name(path)
    for suffix, fmt in EXTENSIONS.items():
        if name.endswith(suffix):
            return fmt
    return None


def _known_list() -> str:
    return ", ".join(EXTENSIONS) + " (each also gzipped, .gz)"


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
            # A folder we could not list is already reported as skipped.
            if not files and not errors:
                _skip(
                    report,
                    str(path),
                    f"{path}: no {', '.join(EXTENSIONS)} files found in the folder; pass files or a folder "
                    "that has some",
                )
            plan.extend(
                (f, input_format if input_format != "auto" else _format_of(f) or "text") for f in files
            )
        elif path.exists():
            fmt = input_format if input_format != "auto" else _format_of(path)
            if fmt is None:
                _skip(
                    report,
                    str(path),
                    f"{path}: unknown file type (Tacitus reads {_known_list()}); "
                    "pass --input-format text (or jsonl, html) to read it anyway",
                )
                continue
            plan.append((path, fmt))
        else:
            _skip(report, str(path), f"{path}: no such file or folder; check the path")
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
    stdin: IO | None = None,
    rules: Iterable[Rule] | None = None,
    encoding: str | None = None,
) -> Iterator[Article]:
    """Read every article from files, folders (recursively, in sorted order) and ``-`` (standard input).

    ``input_format`` is ``auto`` (by extension, or sniffed for standard input) or forces ``text``,
    ``jsonl`` or ``html`` for every input. ``published`` (an ISO date) fills articles that have no date;
    ``title=False`` makes text pages all body; ``stdin`` replaces ``sys.stdin`` (a binary stream, or a text
    stream already decoded); ``rules`` replaces the packaged boilerplate rules; ``encoding`` declares the
    inputs' encoding instead of detecting it. Usage errors raise at once; per-item problems are recorded in ``report``
    and reading goes on, as the module docstring explains. Articles come lazily, in input order.
    """
    if input_format not in INPUT_FORMATS:
        raise UnknownInputFormat(
            f"unknown input format {input_format!r}; use one of {', '.join(INPUT_FORMATS)}"
        )
    default_date = validate_date(published, "--published") if published is not None else None
    encoding = check_encoding(encoding)
    own_report = report is None
    report = IngestReport() if report is None else report
    plan = _plan(list(sources), input_format, report)
    if own_report:
        for item in report.skipped:
            log.warning("%s", item.reason)
    rule_set = tuple(rules) if rules is not None else None
    return _iterate(plan, report, own_report, default_date, title, stdin, rule_set, encoding)


def _iterate(
    plan: list[tuple[Path | None, str]],
    report: IngestReport,
    own_report: bool,
    default_date: str | None,
    title: bool,
    stdin: IO | None,
    rules: tuple[Rule, ...] | None,
    encoding: str | None,
) -> Iterator[Article]:
    def on_skip(origin: str, reason: str) -> None:
        _skip(report, origin, reason)
        if own_report:
            log.warning("%s", reason)

    for path, fmt in plan:
        if path is None:
            stream = stdin if stdin is not None else sys.stdin
            articles = _read_stdin(stream, fmt, title, on_skip, rules, encoding)
        elif fmt == "jsonl":
            articles = parse_jsonl(
                open_lines(path),
                name=str(path),
                stem=_stem(path),
                on_skip=on_skip,
                rules=rules,
                encoding=encoding,
            )
        else:
            articles = _read_page(path, fmt, title, on_skip, rules, encoding)
        for article in articles:
            if article.published is None:
                article.published = default_date
            for warning in article.warnings:
                report.warnings.append(warning)
                if own_report:
                    log.warning("%s", warning)
            report.articles += 1
            yield article


def _stem(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    for suffix in EXTENSIONS:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def _read_page(
    path: Path,
    fmt: str,
    title: bool,
    on_skip: OnSkip,
    rules: tuple[Rule, ...] | None,
    encoding: str | None,
) -> Iterator[Article]:
    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        on_skip(name, f"{name}: cannot read ({exc.strerror or exc}); check the file and its permissions")
        return
    article = _page_from_bytes(data, name, fmt, title, on_skip, rules, encoding)
    if article is not None:
        article.id = _stem(path)
        article.meta = {"path": name, **article.meta}
        yield article


def _page_from_bytes(
    data: bytes,
    name: str,
    fmt: str,
    title: bool,
    on_skip: OnSkip,
    rules: tuple[Rule, ...] | None,
    encoding: str | None,
) -> Article | None:
    """One page (text or HTML, possibly gzipped) from its bytes, or ``None`` after reporting why not."""
    try:
        if data.startswith(GZIP_MAGIC):
            data = gunzip(data, name)
        if fmt == "html" and encoding is None:
            # trafilatura reads the page's own <meta charset> from the bytes
            article = parse_html(data, origin=name, rules=rules)
            decoded = None
        else:
            decoded = decode_bytes(data, name, encoding)
            if fmt == "html":
                article = parse_html(decoded.text, origin=name, rules=rules)
            else:
                article = parse_text_page(decoded.text, title=title, origin=name, rules=rules)
    except UnreadableInput as exc:
        on_skip(name, str(exc))
        return None
    if not article.text.strip():
        hint = "pass --no-title if it is all body text" if article.title else "check the input"
        on_skip(name, f"{name}: no article text found; {hint}")
        return None
    if decoded is not None and decoded.encoding != "utf-8":
        article.meta["encoding"] = decoded.encoding
    if decoded is not None and decoded.warning:
        article.warnings.append(decoded.warning)
    return article


def _read_stdin(
    stream: IO,
    fmt: str,
    title: bool,
    on_skip: OnSkip,
    rules: tuple[Rule, ...] | None,
    encoding: str | None,
) -> Iterator[Article]:
    name = _STDIN_NAME
    # Read bytes and decode them here, like files: a text stream would have decoded them with the locale's
    # codec and smuggled undecodable bytes through as surrogates.
    source = getattr(stream, "buffer", stream)
    try:
        if fmt in ("auto", "jsonl"):
            # Sniff without reading everything: a JSONL stream may be large, and is parsed line by line.
            head: list = []
            for line in source:
                head.append(line)
                if line.strip():
                    break
            first = head[-1] if head else ""
            if isinstance(first, bytes):
                gzipped = first.startswith(GZIP_MAGIC)
                first = first.decode("utf-8", "replace")
            else:
                gzipped = False
            if not gzipped and (fmt == "jsonl" or first.lstrip("\ufeff").lstrip().startswith("{")):
                lines = _chain(head, source)
                yield from parse_jsonl(
                    lines, name=name, stem="stdin", on_skip=on_skip, rules=rules, encoding=encoding
                )
                return
            raw = _join(head) + source.read()
        else:
            raw = source.read()
    except OSError as exc:
        on_skip(name, f"{name}: cannot read standard input ({exc})")
        return
    data = raw.encode("utf-8", "surrogateescape") if isinstance(raw, str) else raw
    if data.startswith(GZIP_MAGIC):
        try:
            data = gunzip(data, name)
        except UnreadableInput as exc:
            on_skip(name, str(exc))
            return
    if fmt == "auto":
        lowered = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower()
        if lowered.startswith(b"{"):
            fmt = "jsonl"
        else:
            fmt = "html" if lowered.startswith((b"<!doctype html", b"<html")) else "text"
    if fmt == "jsonl":  # here only when it came gzipped
        yield from parse_jsonl(
            data.splitlines(keepends=True),
            name=name,
            stem="stdin",
            on_skip=on_skip,
            rules=rules,
            encoding=encoding,
        )
        return
    article = _page_from_bytes(data, name, fmt, title, on_skip, rules, encoding)
    if article is not None:
        article.id = "stdin"
        yield article


def _join(head: list) -> str | bytes:
    return b"".join(head) if head and isinstance(head[0], bytes) else "".join(head)


def _chain(head: list, stream: Iterable) -> Iterator:
    yield from head
    yield from stream
