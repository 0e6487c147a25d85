"""Fuzzing every reader through read_articles: random bytes and mutated real inputs never break a batch.

Whatever the bytes, reading a correctly asked-for input never raises: each input ends as articles, or as
skipped items with a one-line reason naming it, or (for crawls) as records passed over by reason. Nothing
is lost silently, and every article has text a record can hold (no lone surrogates, no NUL).
"""

from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tacitus.ingest import INPUT_FORMATS, IngestReport, read_articles

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
# 60 examples a test in `make test`; `make soak` sets TACITUS_FUZZ_EXAMPLES=10000
FUZZ = settings(
    max_examples=int(os.environ.get("TACITUS_FUZZ_EXAMPLES", "0")) or 60,
    deadline=None,
    print_blob=True,  # a failure in a long run prints the line that replays it (@reproduce_failure)
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# The extension each format is read by, for inputs given as files (auto-detection by name).
SUFFIXES = (".txt", ".html", ".jsonl", ".warc", ".warc.gz", ".rss", ".xml", ".txt.gz", ".jsonl.gz")

PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Talks resume in Geneva</title></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Talks resume in Geneva</h1>"
    "<p>The foreign ministers of France and Germany met in Geneva on Thursday to discuss sanctions.</p>"
    "<p>\u201cWe made progress,\u201d the French minister told reporters after the caf\xe9 meeting.</p>"
    "</article><footer>Copyright 2017</footer></body></html>"
)
FEED = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
    'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title>'
    "<item><title>One</title><link>https://x.example/1</link><pubDate>Fri, 15 Dec 2017 01:20:00 +0900"
    f"</pubDate><content:encoded><![CDATA[{PAGE.split('<article>')[1].split('</article>')[0] * 3}]]>"
    "</content:encoded></item><item><title>Two</title><link>https://x.example/2</link>"
    "<description>Teaser.</description></item></channel></rss>"
)


def _warc(gzipped: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzipped)
    request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.example")], is_http_request=True)
    writer.write_record(
        writer.create_warc_record(
            "https://x.example/1", "request", payload=io.BytesIO(b""), http_headers=request
        )
    )
    for n, body in enumerate((PAGE.encode(), PAGE.encode("cp1252", "replace"))):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        record = writer.create_warc_record(
            f"https://x.example/{n}", "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(record)
    return buffer.getvalue()


def _seeds() -> list[bytes]:
    text = sorted(SAMPLES.glob("*.txt"))[0].read_bytes() if SAMPLES.is_dir() else b"Title\n\nBody text."
    jsonl = b"".join(
        json.dumps(row).encode() + b"\n"
        for row in (
            {"id": "a", "text": "Ministers met."},
            {"id": "b", "html": PAGE},
            {"text": "x", "date": "2017"},
        )
    )
    return [text, PAGE.encode(), jsonl, FEED.encode(), _warc(True), _warc(False), gzip.compress(jsonl)]


SEEDS = _seeds()


@st.composite
def mutated(draw) -> bytes:
    """A real input with a few random edits: bytes flipped, a cut, a slice dropped or repeated, junk inserted."""
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        kind = draw(st.sampled_from(("flip", "cut", "drop", "repeat", "insert")))
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] ^= draw(st.integers(1, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "drop":
            del data[at : at + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 64))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
    return bytes(data)


INPUTS = st.one_of(st.binary(max_size=2048), mutated())


def _check(report: IngestReport, articles: list, name: str) -> None:
    """The invariants: nothing lost silently, reasons name the input, articles are storable text."""
    assert articles or report.skipped or report.passed_over, f"{name}: nothing read and nothing said"
    for item in report.skipped:
        assert item.reason.strip() and "\n" not in item.reason
        assert item.reason.startswith(name) or item.origin.startswith(name)
    for article in articles:
        assert isinstance(article.text, str) and article.text.strip()
        assert "\x00" not in article.text
        article.text.encode("utf-8")  # no lone surrogates: a record and the store can hold it
        for value in (article.title, article.url, article.source, article.published):
            assert value is None or isinstance(value, str)


@FUZZ
@given(data=INPUTS, fmt=st.sampled_from(INPUT_FORMATS))
@example(data=b'<?encoding="\x80"?><rss', fmt="auto")  # feedparser raised on these XML prologs
@example(data=b'<?encoding="\x00"?><rss', fmt="feed")
def test_any_bytes_on_stdin_in_any_format(data: bytes, fmt: str):
    report = IngestReport()
    articles = list(read_articles(["-"], input_format=fmt, report=report, stdin=io.BytesIO(data)))
    _check(report, articles, "<stdin>")


@FUZZ
@given(data=INPUTS, suffix=st.sampled_from(SUFFIXES))
def test_any_bytes_in_a_file_of_any_kind(tmp_path: Path, data: bytes, suffix: str):
    path = tmp_path / f"input{suffix}"
    path.write_bytes(data)
    report = IngestReport()
    articles = list(read_articles([path], report=report, max_bytes=64 * 1024))
    _check(report, articles, str(path))


@FUZZ
@given(data=mutated(), text=st.text(max_size=300))
def test_a_text_stream_on_stdin(data: bytes, text: str):
    # a caller may hand a text stream (already decoded); odd characters must not break the readers either
    report = IngestReport()
    stream = io.StringIO(text + data.decode("latin-1"))
    articles = list(read_articles(["-"], report=report, stdin=stream))
    _check(report, articles, "<stdin>")
