"""Reading inputs into Articles: text pages, JSONL, HTML, web crawls (WARC), feeds, folders and standard input.

:func:`read_articles` is the one entry point; the CLI and the library both call it. Formats are chosen by
extension (``.txt``; ``.jsonl``, ``.ndjson``; ``.html``, ``.htm``; ``.warc``, ``.arc``; ``.rss``,
``.atom``, ``.xml``; each also gzipped, ``.gz``) or forced with ``input_format``. ``-`` is standard input,
sniffed from its first bytes (gzipped or not): a WARC or ARC crawl (``WARC/1.``), JSONL (``{``), a feed
(an XML root ``<rss>``, ``<feed>`` or ``<rdf:RDF>``), an HTML page, else a text page. In a folder, ``.xml``
files are read only when they are feeds (sitemaps and other XML are not inputs).

Web crawls (:mod:`tacitus.ingest.warc`) stream record by record in constant memory; their HTML responses
become articles with the crawl date in ``meta["crawled"]``, and the records that are not articles
(requests, revisits, images, redirects, front pages) are counted by reason in ``report.passed_over``, not
listed one by one. Feeds (:mod:`tacitus.ingest.feeds`) give an article for each entry that carries its
full text; the links of the others go to ``report.links`` (``tacitus links`` prints them).

Error policy. Mistakes in *how* Tacitus was asked raise at once, when :func:`read_articles` is called and
before anything is read: an unknown ``input_format`` (:class:`UnknownInputFormat`), no sources at all
(:class:`NoInputs`), a bad ``published`` default (:class:`InvalidDate`), an unknown ``encoding``
(:class:`UnreadableInput`), a ``max_bytes`` that is not a positive number (:class:`UsageError`). Problems
with *one input* never end a batch: a path that does not exist, a file of an unknown type, a folder with no
inputs, an empty file, a binary file, a file over the size cap, a file that cannot be read or decoded, a
bad JSONL line, a bad date, a page with no body, a damaged crawl record is skipped and recorded in
``report.skipped`` with a one-line reason that names the input and the fix, and reading goes on (missing
paths are reported before any article is read). What was read before damage is kept: the lines of a
JSONL file before a truncated gzip end, the records of a crawl before (and after) a malformed one, and
the text of a gzipped page up to its cut (with a warning). Without a ``report``, skipped items are logged
as warnings on the ``tacitus.ingest`` logger so nothing is lost silently.

Size cap. ``max_bytes`` (default :data:`DEFAULT_MAX_BYTES`, 20 MB; ``--max-bytes``) caps one page file, one
JSONL line, one feed, and one crawl record's payload, after gunzipping; a crawl file itself is not capped.

Encodings. Bytes are decoded once, by :mod:`tacitus.ingest.decode`: gzip is recognised by its magic
bytes (``.txt.gz``, ``.html.gz`` or a gzipped stdin all work), a declared ``encoding`` wins, then a
byte-order mark, then UTF-8; other bytes are read as Windows-1252 with a warning that it was a guess, in
``report.warnings``, the article's ``warnings`` and ``meta["encoding"]``. An HTML page that is not UTF-8
is read in the charset it declares (HTTP header in a crawl, then ``<meta charset>``); one that declares
UTF-8 but is not is read as Windows-1252 with a warning. JSONL lines are UTF-8 (RFC 8259) unless an
encoding is declared.
"""

from __future__ import annotations

import gzip
import io
import logging
import os
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tacitus.errors import NoInputs, UnknownInputFormat, UnreadableInput, UsageError
from tacitus.ingest.boilerplate import Rule, load_rules
from tacitus.ingest.decode import (
    DEFAULT_MAX_BYTES,
    GZIP_MAGIC,
    check_encoding,
    decode_bytes,
    decode_html,
    format_size,
    gunzip_partial,
    sniff_format,
)
from tacitus.ingest.feeds import read_feed
from tacitus.ingest.fields import parse_date
from tacitus.ingest.html import parse_html
from tacitus.ingest.jsonl import OnSkip, capped_lines, open_lines, parse_jsonl
from tacitus.ingest.text import parse_text_page
from tacitus.ingest.warc import read_warc
from tacitus.model import Article

__all__ = [
    "DEFAULT_MAX_BYTES",
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

INPUT_FORMATS = ("auto", "text", "jsonl", "html", "warc", "feed")
# Longest suffixes first so ".jsonl.gz" is not taken for an unknown ".gz", and ".warc" not for ".arc".
# A trailing ".gz" is looked through (and gzip is also recognised by its bytes, whatever the name).
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".warc": "warc",
    ".arc": "warc",
    ".atom": "feed",
    ".rss": "feed",
    ".xml": "feed",
}
STDIN = "-"
_STDIN_NAME = "<stdin>"
# Enough of a stream's start to tell its format (see sniff_format): an XML prolog, a doctype, comments.
_SNIFF_BYTES = 8192

log = logging.getLogger("tacitus.ingest")


@dataclass
class Skipped:
    """An input (a file, or ``file.jsonl:12`` for one line) that was not read, and why, in one line."""

    origin: str
    reason: str


@dataclass
class IngestReport:
    """What happened while reading: items skipped, articles yielded, warnings, and what was passed over.

    ``passed_over`` counts, by reason, the crawl records that are not articles by nature (requests,
    images, redirects, front pages): a crawl has thousands, so they are counted, not listed.
    ``links`` are the pages that feeds only link to, for ``tacitus links``. It is filled while
    :func:`read_articles` is iterated, so read it after the loop.
    """

    skipped: list[Skipped] = field(default_factory=list)
    articles: int = 0
    warnings: list[str] = field(default_factory=list)
    passed_over: dict[str, int] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)

    def summary(self) -> list[str]:
        """One line per reason something was passed over, most frequent first (``[]`` when nothing was)."""
        ranked = sorted(self.passed_over.items(), key=lambda item: (-item[1], item[0]))
        return [f"passed over {n:,} {reason}" for reason, n in ranked]


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


def _head(path: Path) -> bytes:
    """The first bytes of a file, gunzipped when it is gzip (for sniffing; errors give ``b""``)."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_SNIFF_BYTES)
        if raw.startswith(GZIP_MAGIC):
            return zlib.decompressobj(wbits=31).decompress(raw, _SNIFF_BYTES)
    except (OSError, zlib.error):
        return b""
    return raw


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
            if name.startswith("."):
                continue
            fmt = _format_of(path)
            # .xml is a feed only when it is one: a folder's sitemaps and other XML files are not inputs
            if fmt == "feed" and _inner_name(path).endswith(".xml") and sniff_format(_head(path)) != "feed":
                continue
            if fmt is not None:
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
                    "pass --input-format text (or jsonl, html, warc, feed) to read it anyway",
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
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article]:
    """Read every article from files, folders (recursively, in sorted order) and ``-`` (standard input).

    ``input_format`` is ``auto`` (by extension, or sniffed for standard input) or forces ``text``,
    ``jsonl``, ``html``, ``warc`` or ``feed`` for every input. ``published`` (an ISO date) fills articles
    that have no date; ``title=False`` makes text pages all body; ``stdin`` replaces ``sys.stdin`` (a binary
    stream, or a text stream already decoded); ``rules`` replaces the packaged boilerplate rules;
    ``encoding`` declares the inputs' encoding instead of detecting it; ``max_bytes`` caps one page, JSONL
    line, feed or crawl record. Usage errors raise at once; per-item problems are recorded in ``report``
    and reading goes on, as the module docstring explains. Articles come lazily, in input order.
    """
    if input_format not in INPUT_FORMATS:
        raise UnknownInputFormat(
            f"unknown input format {input_format!r}; use one of {', '.join(INPUT_FORMATS)}"
        )
    if isinstance(max_bytes, bool) or not isinstance(max_bytes, int) or max_bytes < 1:
        raise UsageError(f"--max-bytes must be a positive number of bytes, not {max_bytes!r}")
    default_date = validate_date(published, "--published") if published is not None else None
    encoding = check_encoding(encoding)
    own_report = report is None
    report = IngestReport() if report is None else report
    plan = _plan(list(sources), input_format, report)
    if own_report:
        for item in report.skipped:
            log.warning("%s", item.reason)
    options = _Options(title, tuple(rules) if rules is not None else None, encoding, max_bytes)
    return _iterate(plan, report, own_report, default_date, stdin, options)


@dataclass(frozen=True)
class _Options:
    title: bool
    rules: tuple[Rule, ...] | None
    encoding: str | None
    max_bytes: int


@dataclass
class _Sinks:
    """Where readers report: skipped items, passed-over records, and the links of feeds."""

    skip: OnSkip
    passed: Callable[[str], None]
    link: Callable[[str], None]


def _iterate(
    plan: list[tuple[Path | None, str]],
    report: IngestReport,
    own_report: bool,
    default_date: str | None,
    stdin: IO | None,
    options: _Options,
) -> Iterator[Article]:
    def on_skip(origin: str, reason: str) -> None:
        _skip(report, origin, reason)
        if own_report:
            log.warning("%s", reason)

    def on_pass(reason: str) -> None:
        report.passed_over[reason] = report.passed_over.get(reason, 0) + 1

    sinks = _Sinks(on_skip, on_pass, report.links.append)
    for path, fmt in plan:
        if path is None:
            stream = stdin if stdin is not None else sys.stdin
            articles = _read_stdin(stream, fmt, sinks, options)
        else:
            articles = _read_file(path, fmt, sinks, options)
        for article in articles:
            if article.published is None:
                article.published = default_date
            for warning in article.warnings:
                report.warnings.append(warning)
                if own_report:
                    log.warning("%s", warning)
            report.articles += 1
            yield article
    if own_report:
        for line in report.summary():
            log.info("%s", line)


def _stem(path: Path) -> str:
    name = path.name
    if name.lower().endswith(".gz"):
        name = name[:-3]
    for suffix in EXTENSIONS:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return Path(name).stem


def _read_file(path: Path, fmt: str, sinks: _Sinks, options: _Options) -> Iterator[Article]:
    name = str(path)
    if fmt == "jsonl":
        yield from parse_jsonl(
            open_lines(path, options.max_bytes),
            name=name,
            stem=_stem(path),
            on_skip=sinks.skip,
            rules=options.rules,
            encoding=options.encoding,
            max_bytes=options.max_bytes,
        )
        return
    if fmt == "warc":
        try:
            handle = open(path, "rb")  # noqa: SIM115 - closed below, after the generator is done
        except OSError as exc:
            sinks.skip(
                name, f"{name}: cannot read ({exc.strerror or exc}); check the file and its permissions"
            )
            return
        with handle:
            yield from _warc(handle, name, _stem(path), sinks, options)
        return
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            sinks.skip(name, _too_big(name, f"is {format_size(size)}", options.max_bytes))
            return
        data = path.read_bytes()
    except OSError as exc:
        sinks.skip(name, f"{name}: cannot read ({exc.strerror or exc}); check the file and its permissions")
        return
    yield from _from_bytes(data, name, _stem(path), fmt, sinks, options, {"path": name})


def _too_big(name: str, what: str, max_bytes: int) -> str:
    return (
        f"{name}: {what}, over the {format_size(max_bytes)} cap on one page (--max-bytes); it is not one "
        "article: split it, pass the articles as JSONL, or raise --max-bytes"
    )


def _warc(stream: IO[bytes], name: str, stem: str, sinks: _Sinks, options: _Options) -> Iterator[Article]:
    return read_warc(
        stream,
        name=name,
        stem=stem,
        on_skip=sinks.skip,
        on_pass=sinks.passed,
        max_bytes=options.max_bytes,
        rules=options.rules,
        encoding=options.encoding,
    )


def _from_bytes(
    data: bytes,
    name: str,
    stem: str,
    fmt: str,
    sinks: _Sinks,
    options: _Options,
    meta: dict,
) -> Iterator[Article]:
    """The articles of a whole input held in memory: a page (text or HTML) or a feed, possibly gzipped."""
    warning = None
    if data.startswith(GZIP_MAGIC):
        try:
            data, warning = gunzip_partial(data, name, options.max_bytes)
        except UnreadableInput as exc:
            sinks.skip(name, str(exc))
            return
    if not data.strip():
        sinks.skip(name, f"{name}: empty (no text at all); check that it is the file you meant")
        return
    if fmt == "feed":
        articles = list(
            read_feed(data, name=name, stem=stem, on_skip=sinks.skip, on_link=sinks.link, rules=options.rules)
        )
        for article in articles:
            if warning:
                article.warnings.append(warning)
            article.meta = {**meta, **article.meta}
        yield from articles
        return
    article = _page_from_bytes(data, name, fmt, options, sinks.skip)
    if article is not None:
        article.id = stem
        article.meta = {**meta, **article.meta}
        if warning:
            article.warnings.append(warning)
        yield article


def _page_from_bytes(data: bytes, name: str, fmt: str, options: _Options, on_skip: OnSkip) -> Article | None:
    """One page (text or HTML, already gunzipped) from its bytes, or ``None`` after reporting why not."""
    try:
        if fmt == "html":
            decoded = decode_html(data, name, encoding=options.encoding)
            article = parse_html(decoded.text, origin=name, rules=options.rules)
        else:
            decoded = decode_bytes(data, name, options.encoding)
            article = parse_text_page(decoded.text, title=options.title, origin=name, rules=options.rules)
    except UnreadableInput as exc:
        on_skip(name, str(exc))
        return None
    if not article.text.strip():
        if fmt == "html":
            hint = "it holds no article (a front page, an index, a paywall?); check the input"
        else:
            hint = "pass --no-title if it is all body text" if article.title else "check the input"
        on_skip(name, f"{name}: no article text found; {hint}")
        return None
    if decoded.encoding != "utf-8":
        article.meta["encoding"] = decoded.encoding
    if decoded.warning:
        article.warnings.append(decoded.warning)
    return article


class _Joined(io.RawIOBase):
    """Bytes already read (``head``) followed by the rest of a stream, as one binary stream.

    Standard input cannot be rewound after its first bytes were read to sniff its format. A text stream
    (a test's ``StringIO``) is encoded back to UTF-8, undecodable bytes kept as they were.
    """

    def __init__(self, head: bytes, rest: IO) -> None:
        self._pending = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # noqa: ANN001 - a writable buffer (memoryview, bytearray)
        if not self._pending:
            chunk = self._rest.read(max(len(buffer), 1))
            if isinstance(chunk, str):
                chunk = chunk.encode("utf-8", "surrogateescape")
            self._pending = chunk or b""
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _read_upto(stream: IO[bytes], size: int) -> bytes:
    parts, got = [], 0
    while got < size:
        chunk = stream.read(size - got)
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts)


def _read_stdin(stream: IO, fmt: str, sinks: _Sinks, options: _Options) -> Iterator[Article]:
    name = _STDIN_NAME
    # Read bytes and decode them here, like files: a text stream would have decoded them with the locale's
    # codec and smuggled undecodable bytes through as surrogates.
    source = io.BufferedReader(_Joined(b"", getattr(stream, "buffer", stream)))
    try:
        head = _read_upto(source, _SNIFF_BYTES)
    except OSError as exc:
        sinks.skip(name, f"{name}: cannot read standard input ({exc})")
        return
    whole = io.BufferedReader(_Joined(head, source))
    gzipped = head.startswith(GZIP_MAGIC)
    if fmt == "auto":
        try:
            inner = zlib.decompressobj(wbits=31).decompress(head, _SNIFF_BYTES) if gzipped else head
        except zlib.error:
            inner = b""
        fmt = sniff_format(inner)
    if fmt in ("warc", "jsonl"):
        # streamed: a crawl or a JSONL export may be far larger than memory
        lines: IO[bytes] = gzip.GzipFile(fileobj=whole) if gzipped else whole
        if fmt == "warc":
            yield from _warc(lines, name, "stdin", sinks, options)
            return
        yield from parse_jsonl(
            capped_lines(lines, options.max_bytes),
            name=name,
            stem="stdin",
            on_skip=sinks.skip,
            rules=options.rules,
            encoding=options.encoding,
            max_bytes=options.max_bytes,
        )
        return
    try:
        data = _read_upto(whole, options.max_bytes + 1)
    except OSError as exc:
        sinks.skip(name, f"{name}: cannot read standard input ({exc})")
        return
    if len(data) > options.max_bytes:
        sinks.skip(name, _too_big(name, "is longer", options.max_bytes))
        return
    yield from _from_bytes(data, name, "stdin", fmt, sinks, options, {})
