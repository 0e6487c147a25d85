"""Web crawls: WARC and ARC files (``.warc``, ``.warc.gz``, ``.arc``, ``.arc.gz``), read record by record.

What users have is a crawl: Common Crawl's news crawl, Heritrix, Browsertrix, ``wget --warc-file``. Each
HTML ``response`` record with HTTP status 200 becomes an Article through the HTML path
(:func:`tacitus.ingest.html.parse_html`): ``url`` is the record's ``WARC-Target-URI``, ``meta["crawled"]``
its ``WARC-Date`` (when the page was fetched, not when it was published), and the HTTP charset is honoured
(:func:`tacitus.ingest.decode.decode_html`). warcio parses the records, so chunked gzip (one member per
record, the standard), plain WARC, whole-file gzip and ARC all read.

Everything else in a crawl is passed over and *counted*, never listed one by one, since a crawl has
thousands of them: request, revisit, warcinfo and metadata records, non-HTML responses (images, scripts),
non-200 responses (redirects, errors) and HTML pages with no article (front pages, indexes). Damage is
reported once per file and kind, with a count and the first example, through ``on_skip``: records cut
short (the file is truncated) or cut by the crawler (``WARC-Truncated``), pages over the size cap, pages
that are not text, malformed records. After a malformed record reading goes on at the next record when the
file can seek (the next gzip member, or the next ``WARC/1.`` line); standard input stops there, keeping
what was read.

Memory stays flat whatever the size of the crawl: records are read one at a time, and a payload is read
only when it is an HTML page, up to ``max_bytes``.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from tacitus.errors import UnreadableInput
from tacitus.ingest.boilerplate import Rule
from tacitus.ingest.decode import GZIP_MAGIC, decode_html, format_size, sniff_format
from tacitus.ingest.fields import parsable_url
from tacitus.ingest.html import parse_html
from tacitus.model import Article, iso_stamp

OnSkip = Callable[[str, str], None]
OnPass = Callable[[str], None]

HTML_TYPES = ("text/html", "application/xhtml+xml")
# A crawl holds front pages, tag pages and error pages served with status 200; what extraction finds on them
# is a menu item or a line of link text. The shortest news briefs run 40 words and more: below this many
# words a crawled page is counted as having no article.
MIN_ARTICLE_WORDS = 20

# Records that are not pages by nature, by WARC-Type: what each is counted as.
PASSED_BY_TYPE = {
    "request": "WARC request records",
    "revisit": "WARC revisit records (pages the crawler had already stored)",
    "warcinfo": "WARC warcinfo and metadata records",
    "metadata": "WARC warcinfo and metadata records",
}
PASSED_OTHER_TYPE = "WARC resource, conversion and continuation records"
PASSED_NOT_HTML = "non-HTML responses (images, scripts, style sheets, documents)"
PASSED_NOT_200 = "responses with an HTTP status other than 200 (redirects, errors)"
PASSED_NO_ARTICLE = "HTML pages with no article text (front pages, indexes, paywalls)"

# Damage, reported once per file and kind: (what was skipped, what to do).
DAMAGE = {
    "cut": (
        "record(s) cut short",
        "the file is truncated: copy or download it again (the records before the cut were read)",
    ),
    "crawler-truncated": (
        "page(s) the crawler truncated (WARC-Truncated)",
        "crawl those pages again with a larger size limit",
    ),
    "too-big": ("page(s) over the size cap", "raise --max-bytes to read them"),
    "not-text": ("HTML response(s) that are not text", "the crawl stored binary data under text/html"),
    "malformed": (
        "malformed record(s)",
        "the file is damaged; reading went on at the next record that could be found",
    ),
}

_WARC_LINE = b"\nWARC/1."
_GZIP_MEMBER = GZIP_MAGIC + b"\x08"
_SCAN_BLOCK = 1 << 20
_HEAD_BYTES = 512
_ARC_MAGIC = b"filedesc://"
_WARC_MAGIC = b"WARC/"


@dataclass
class _Damage:
    """Damage seen in one file: a count and a first example for each kind."""

    counts: dict[str, int] = field(default_factory=dict)
    first: dict[str, str] = field(default_factory=dict)

    def add(self, kind: str, example: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1
        self.first.setdefault(kind, example)

    def report(self, name: str, on_skip: OnSkip) -> None:
        for kind, n in self.counts.items():
            what, fix = DAMAGE[kind]
            on_skip(name, f"{name}: {n} {what} skipped (first: {self.first[kind]}); {fix}")


class _Counted:
    """A read-only stream that counts the bytes read: ``tell()`` for streams that cannot seek (stdin)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.offset = 0

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        self.offset += len(data)
        return data

    def tell(self) -> int:
        return self.offset


@contextlib.contextmanager
def _quiet(noise: list[str]) -> Iterator[None]:
    # warcio prints what it notices about damaged data on stderr; a crawl would flood the terminal with it.
    # Catch it and turn it into counted damage instead.
    buffer = io.StringIO()
    with contextlib.redirect_stderr(buffer):
        yield
    said = buffer.getvalue().strip()
    if said:
        noise.append(" ".join(said.split()))


def _seekable(stream: IO[bytes]) -> bool:
    if isinstance(stream, gzip.GzipFile):
        return False  # it "seeks" by inflating again from the start: no way to skip damage
    try:
        return stream.seekable()
    except (AttributeError, OSError, ValueError):
        return False


def _size(stream: IO[bytes]) -> int | None:
    try:
        return os.fstat(stream.fileno()).st_size
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    try:
        here = stream.tell()
        end = stream.seek(0, os.SEEK_END)
        stream.seek(here)
        return end
    except (AttributeError, OSError, ValueError):
        return None


def _next_start(stream: IO[bytes], after: int, gzipped: bool) -> int | None:
    """The offset of the next record that could start after ``after``: a gzip member, or a WARC line."""
    magic = _GZIP_MEMBER if gzipped else _WARC_LINE
    skip = 0 if gzipped else 1  # the newline before "WARC/1." belongs to the previous record
    stream.seek(after + 1)
    position = after + 1
    tail = b""
    while True:
        block = stream.read(_SCAN_BLOCK)
        if not block:
            return None
        data = tail + block
        found = data.find(magic)
        if found >= 0:
            return position - len(tail) + found + skip
        tail = data[-(len(magic) - 1) :]
        position += len(block)


def _printable(message: str, limit: int = 100) -> str:
    """A library's message about damaged data, fit for one line: binary bytes it quotes become dots."""
    text = "".join(ch if ch.isprintable() else "." for ch in " ".join(message.split()))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _record_id(record: Any) -> str | None:
    value = record.rec_headers.get_header("WARC-Record-ID")
    return value.strip().strip("<>") or None if value else None


def _drain(record: Any) -> bool:
    """Read what is left of a record's block; True when the block ended before its Content-Length."""
    raw = record.raw_stream
    while raw.read(1 << 16):
        pass
    return getattr(raw, "limit", 0) > 0


class _Reader:
    """Iterates the records of one crawl file, resynchronising after damage when the file can seek."""

    def __init__(self, stream: IO[bytes], name: str) -> None:
        self.name = name
        self.damage = _Damage()
        self.noise: list[str] = []
        self.seekable = _seekable(stream)
        self.stream: Any = stream if self.seekable else _Counted(stream)
        self.gzipped = False
        self.arc = False
        self.whole_gzip = False
        self.records = 0
        self.drained = 0  # the last record whose block the page reader already read to its end
        self.problem: str | None = None  # why reading stopped early, if it did

    def _head(self) -> bytes:
        """The file's first bytes, without consuming them."""
        try:
            if self.seekable:
                here = self.stream.tell()
                head = self.stream.read(_HEAD_BYTES)
                self.stream.seek(here)
                return head
            peek = getattr(self.stream.stream, "peek", None)
            return peek(_HEAD_BYTES)[:_HEAD_BYTES] if peek else b""
        except (OSError, EOFError, ValueError, zlib.error):
            return b""  # the reader will fail on the first record and say why

    def _sniff(self) -> None:
        head = self._head()
        self.gzipped = head.startswith(GZIP_MAGIC)
        if self.gzipped:
            try:
                head = zlib.decompressobj(wbits=31).decompress(head)
            except zlib.error:
                head = b""
        head = head.lstrip()
        # ARC records have no ids of their own: warcio makes random ones, so ids come from the position
        self.arc = head.startswith(_ARC_MAGIC)
        if head and not head.startswith(_WARC_MAGIC) and not self.arc:
            # warcio takes any line of five words for an ARC record: say what the file is not, at once
            start = _printable(head[:40].decode("latin-1"), 40)
            self.problem = f"not a WARC or ARC file (it starts with {start!r})"

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        from warcio.archiveiterator import ArchiveIterator

        self._sniff()
        if self.problem:
            return
        iterator = ArchiveIterator(self.stream, arc2warc=True)
        skip = 0  # records to pass again after switching to whole-file gzip
        while True:
            try:
                with _quiet(self.noise):
                    record = next(iterator)
            except StopIteration:
                self._check_end(iterator)
                return
            except Exception as exc:  # noqa: BLE001 - warcio raises plain errors on damaged data too
                why = _printable(str(exc)) or type(exc).__name__
                if "non-chunked gzip" in why and self.seekable and not self.whole_gzip:
                    # one gzip stream around the whole file (`gzip crawl.warc`): read it through gzip
                    self.whole_gzip, skip = True, self.records
                    self.stream.seek(0)
                    self.stream = gzip.GzipFile(fileobj=self.stream)
                    self.seekable = False
                    iterator = ArchiveIterator(self.stream, arc2warc=True)
                    continue
                iterator = self._resync(iterator, why)
                if iterator is None:
                    return
                continue
            if skip:
                skip -= 1
                continue
            self.records += 1
            headers = record.rec_headers
            if not record.rec_type or headers.get_header("Content-Length") is None:
                # WARC-Type and Content-Length are mandatory: without them the header block is cut or damaged
                self.damage.add("malformed", f"{self.example(self.records, record)}: incomplete header block")
            else:
                yield self.records, record
            with _quiet(self.noise):
                if self.drained != self.records and _drain(record):
                    self.damage.add("cut", self.example(self.records, record))
            if self.noise:
                self.damage.add("malformed", f"record-{self.records}: {_printable(self.noise[-1])}")
                self.noise.clear()

    def example(self, number: int, record: Any) -> str:
        uri = record.rec_headers.get_header("WARC-Target-URI") if record.rec_headers else None
        return f"record-{number}" + (f" {uri}" if uri else "")

    def _check_end(self, iterator: Any) -> None:
        if self.whole_gzip:
            return
        if self.seekable:
            end = _size(self.stream)
        else:
            try:
                while self.stream.read(_SCAN_BLOCK):
                    pass
            except (OSError, EOFError, zlib.error) as exc:
                self.damage.add("cut", f"at byte {iterator.offset:,}: {_printable(str(exc))}")
                return
            end = self.stream.tell()
        if end is not None and iterator.offset < end:
            self.damage.add("cut", f"the last {end - iterator.offset:,} bytes, at byte {iterator.offset:,}")

    def _resync(self, iterator: Any, why: str) -> Any:
        from warcio.archiveiterator import ArchiveIterator

        failed_at = iterator.offset
        start = _next_start(self.stream, failed_at, self.gzipped) if self.seekable else None
        if start is None:
            if not self.seekable:
                self.problem = f"stopped at byte {failed_at:,} after {self.records} record(s) ({why})"
            else:
                self.damage.add("malformed", f"at byte {failed_at:,}, to the end of the file: {why}")
            return None
        self.damage.add("malformed", f"at byte {failed_at:,}: {why}")
        self.stream.seek(start)
        return ArchiveIterator(self.stream, arc2warc=True)


def read_warc(
    stream: IO[bytes],
    *,
    name: str,
    stem: str,
    on_skip: OnSkip,
    on_pass: OnPass,
    max_bytes: int,
    rules: Sequence[Rule] | None = None,
    encoding: str | None = None,
) -> Iterator[Article]:
    """Yield an Article for every HTML page of a WARC or ARC stream, as the module docstring explains.

    ``stream`` is a binary file object (a file that can seek lets reading go on after a malformed record);
    ``name`` names it in origins (``name#record-17 <url>``) and messages; ``stem`` makes ids for records
    without a ``WARC-Record-ID``. ``on_pass(reason)`` counts each record that is not an article; damage
    goes to ``on_skip(name, reason)``, one line per kind, when the file is done. ``max_bytes`` caps one
    page's payload; ``encoding`` overrides every page's charset.
    """
    reader = _Reader(stream, name)
    try:
        for number, record in reader:
            article = _article(record, number, reader, name, stem, on_pass, max_bytes, rules, encoding)
            if article is not None:
                yield article
    finally:
        if reader.problem:
            fix = (
                "check the file"
                if reader.records == 0
                else "the records before were read; re-create the file"
            )
            on_skip(name, f"{name}: {reader.problem}; {fix}")
        elif reader.records == 0 and not reader.damage.counts:
            on_skip(name, f"{name}: no WARC records (an empty file?); check that it is the crawl you meant")
        reader.damage.report(name, on_skip)


def _article(
    record: Any,
    number: int,
    reader: _Reader,
    name: str,
    stem: str,
    on_pass: OnPass,
    max_bytes: int,
    rules: Sequence[Rule] | None,
    encoding: str | None,
) -> Article | None:
    kind = record.rec_type.lower()
    if kind != "response":
        on_pass(PASSED_BY_TYPE.get(kind, PASSED_OTHER_TYPE))
        return None
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip() or None
    example = reader.example(number, record)
    http = record.http_headers
    if http is None:
        on_pass(PASSED_NOT_HTML)  # dns:, whois: and other non-HTTP responses
        return None
    if http.get_statuscode() != "200":
        on_pass(PASSED_NOT_200)
        return None
    content_type = http.get_header("Content-Type") or ""
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and mime not in HTML_TYPES:
        on_pass(PASSED_NOT_HTML)
        return None
    if record.rec_headers.get_header("WARC-Truncated"):
        reader.damage.add("crawler-truncated", example)
        return None
    with _quiet(reader.noise):
        payload = record.content_stream().read(max_bytes + 1)
        cut = _drain(record)
    reader.drained = number
    if len(payload) > max_bytes:
        reader.damage.add("too-big", f"{example}, over {format_size(max_bytes)}")
        return None
    if cut:
        reader.damage.add("cut", example)
        return None
    if not mime and sniff_format(payload[:4096]) != "html":
        on_pass(PASSED_NOT_HTML)  # no Content-Type: only what looks like HTML is read
        return None
    origin = f"{name}#record-{number}" + (f" {uri}" if uri else "")
    try:
        decoded = decode_html(payload, origin, content_type=content_type, encoding=encoding)
    except UnreadableInput as exc:
        reader.damage.add("not-text", str(exc))
        return None
    article = parse_html(decoded.text, url=parsable_url(uri), origin=origin, rules=rules)
    if len(article.text.split()) < MIN_ARTICLE_WORDS:
        on_pass(PASSED_NO_ARTICLE)
        return None
    # the crawl says where the page was: a canonical URL the page claims is the other engineer's field
    article.url = uri
    article.id = (None if reader.arc else _record_id(record)) or f"{stem}-{number}"
    crawled = iso_stamp(record.rec_headers.get_header("WARC-Date"))
    meta: dict[str, Any] = {"path": name, "warc_record": number}
    if crawled:
        meta["crawled"] = crawled
    if decoded.encoding != "utf-8":
        meta["encoding"] = decoded.encoding
    article.meta = {**meta, **article.meta}
    if decoded.warning:
        article.warnings.append(decoded.warning)
    return article
