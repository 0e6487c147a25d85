"""Web crawls: WARC and ARC files, gzipped or not, from files or stdin; what is passed over and what is damage.

Every crawl here is built inside the test with warcio's writer (or by hand for ARC), so each expected count
is the number of records of that kind the test wrote.
"""

from __future__ import annotations

import gzip
import io
import json
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tacitus.cli import app
from tacitus.ingest import IngestReport, read_articles
from tacitus.ingest.warc import (
    PASSED_BY_TYPE,
    PASSED_NO_ARTICLE,
    PASSED_NOT_200,
    PASSED_NOT_HTML,
)

CRAWLED = "2017-12-15T10:20:00Z"
SENTENCES = (
    "Russia says it is not ready to strangle North Korea economically with new sanctions, a diplomat said.",
    "Deputy Foreign Minister Igor Morgulov said the pressure on Pyongyang was approaching a red line.",
    "He urged dialogue instead of harsher sanctions and said Moscow had other channels to the North.",
)


def _page(title: str, sentences=SENTENCES, charset: str = "utf-8") -> str:
    paragraphs = "".join(f"<p>{s}</p>" for s in sentences)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>{title}</title></head><body>'
        f'<nav><a href="/">Home</a></nav><article><h1>{title}</h1>{paragraphs}</article>'
        "<footer>Copyright 2017 Example News</footer></body></html>"
    )


class Crawl:
    """A WARC written record by record with warcio, as a crawler would."""

    def __init__(self, gzipped: bool = True) -> None:
        self.buffer = io.BytesIO()
        self.writer = WARCWriter(self.buffer, gzip=gzipped)
        self.records = 0

    def _record_id(self, url: str) -> str:
        # warcio's default id is a random uuid4: the same crawl would compress to other bytes on each run,
        # and a test that damages given bytes ("inside the second record's gzip member") would hit another
        # spot each time (a fresh clone's make test failed on it once in many runs)
        self.records += 1
        return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{self.records}:{url}')}>"

    def info(self) -> Crawl:
        self.writer.write_record(self.writer.create_warcinfo_record("crawl.warc.gz", {"software": "test"}))
        return self

    def request(self, url: str) -> Crawl:
        http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "news.example.com")], is_http_request=True)
        record = self.writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=http)
        self.writer.write_record(record)
        return self

    def response(
        self,
        url: str,
        body: bytes,
        *,
        status: str = "200 OK",
        content_type: str | None = "text/html; charset=utf-8",
        warc_headers: dict | None = None,
    ) -> Crawl:
        headers = [("Content-Type", content_type)] if content_type else []
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = self.writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            http_headers=http,
            warc_headers_dict={
                "WARC-Date": CRAWLED,
                "WARC-Record-ID": self._record_id(url),
                **(warc_headers or {}),
            },
        )
        self.writer.write_record(record)
        return self

    def revisit(self, url: str) -> Crawl:
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
        record = self.writer.create_revisit_record(
            url, "sha1:AAAA", url, "2017-12-01T00:00:00Z", http_headers=http
        )
        self.writer.write_record(record)
        return self

    def metadata(self, url: str) -> Crawl:
        record = self.writer.create_warc_record(
            url, "metadata", payload=io.BytesIO(b"outlink: x"), warc_content_type="application/warc-fields"
        )
        self.writer.write_record(record)
        return self

    def bytes(self) -> bytes:
        return self.buffer.getvalue()


def _story(n: int) -> bytes:
    return _page(f"Story {n}").encode()


def _read(sources, **kwargs):
    report = IngestReport()
    return list(read_articles(sources, report=report, **kwargs)), report


def _mixed_crawl(gzipped: bool = True) -> bytes:
    """Two articles among the other records of a real crawl."""
    crawl = Crawl(gzipped).info()
    crawl.request("https://news.example.com/a").response("https://news.example.com/a", _story(1))
    crawl.request("https://news.example.com/logo.png")
    crawl.response(
        "https://news.example.com/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png"
    )
    crawl.response("https://news.example.com/old", b"", status="301 Moved Permanently")
    crawl.response("https://news.example.com/gone", b"<html>Not found</html>", status="404 Not Found")
    crawl.revisit("https://news.example.com/a")
    crawl.metadata("https://news.example.com/a")
    front = b"<html><head><title>Home</title></head><body><nav><a href='/a'>A</a></nav></body></html>"
    crawl.response("https://news.example.com/", front)
    crawl.response("https://news.example.com/b", _story(2))
    return crawl.bytes()


# --- what becomes an article, and what is passed over ----------------------------------------------------


def test_html_responses_become_articles_with_target_uri_crawl_date_and_origin(tmp_path: Path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_mixed_crawl())
    articles, report = _read([path])
    assert [a.title for a in articles] == ["Story 1", "Story 2"]
    first = articles[0]
    assert first.url == "https://news.example.com/a"
    assert first.meta["crawled"] == CRAWLED
    assert first.published is None  # the crawl date is not the publication date
    assert first.origin == f"{path}#record-3 https://news.example.com/a"
    assert first.id.startswith("urn:uuid:")
    assert first.text.startswith("Russia says it is not ready")
    assert "Copyright" not in first.text and "Home" not in first.text
    assert report.skipped == []


def test_other_records_are_counted_by_reason_not_listed(tmp_path: Path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_mixed_crawl())
    _, report = _read([path])
    assert report.passed_over == {
        PASSED_BY_TYPE["warcinfo"]: 2,  # the warcinfo and the metadata record
        PASSED_BY_TYPE["request"]: 2,
        PASSED_BY_TYPE["revisit"]: 1,
        PASSED_NOT_HTML: 1,
        PASSED_NOT_200: 2,
        PASSED_NO_ARTICLE: 1,
    }
    lines = report.summary()
    assert len(lines) == 6 and lines[0].startswith("passed over 2 ")


@pytest.mark.parametrize("kind", ["gzip-per-record", "plain", "whole-file-gzip"])
def test_every_kind_of_warc_file_reads_alike(tmp_path: Path, kind: str):
    data = {
        "gzip-per-record": _mixed_crawl(),
        "plain": _mixed_crawl(gzipped=False),
        "whole-file-gzip": gzip.compress(_mixed_crawl(gzipped=False)),
    }[kind]
    path = tmp_path / ("crawl.warc" if kind == "plain" else "crawl.warc.gz")
    path.write_bytes(data)
    articles, report = _read([path])
    assert [a.url for a in articles] == ["https://news.example.com/a", "https://news.example.com/b"]
    assert report.skipped == []
    assert sum(report.passed_over.values()) == 9


@pytest.mark.parametrize("gzipped", [True, False])
def test_stdin_is_sniffed_as_a_crawl(gzipped: bool):
    articles, report = _read(["-"], stdin=io.BytesIO(_mixed_crawl(gzipped)))
    assert [a.title for a in articles] == ["Story 1", "Story 2"]
    assert articles[0].origin == "<stdin>#record-3 https://news.example.com/a"
    assert report.skipped == []


def test_input_format_warc_reads_any_name(tmp_path: Path):
    path = tmp_path / "crawl.bin"
    path.write_bytes(_mixed_crawl())
    articles, _ = _read([path], input_format="warc")
    assert len(articles) == 2


def test_folder_walk_finds_crawls(tmp_path: Path):
    (tmp_path / "crawls").mkdir()
    (tmp_path / "crawls" / "one.warc.gz").write_bytes(_mixed_crawl())
    (tmp_path / "crawls" / "two.warc").write_bytes(_mixed_crawl(gzipped=False))
    articles, _ = _read([tmp_path / "crawls"])
    assert len(articles) == 4


def test_arc_files_read_too(tmp_path: Path):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + _story(3)
    version = b"1 0 Internet Archive\nURL IP-address Archive-date Content-type Archive-length\n"
    arc = b"filedesc://old.arc 0.0.0.0 20171215102000 text/plain %d\n%s\n" % (len(version), version)
    arc += b"http://example.com/talks 93.184.216.34 20171215102000 text/html %d\n%s\n" % (len(http), http)
    path = tmp_path / "old.arc"
    path.write_bytes(arc)
    (article,), report = _read([path])
    assert (article.url, article.meta["crawled"], article.title) == (
        "http://example.com/talks",
        CRAWLED,
        "Story 3",
    )
    assert article.id == "old-2"  # ARC records carry no ids: the position makes a stable one
    assert report.passed_over == {PASSED_BY_TYPE["warcinfo"]: 1}


# --- charsets -----------------------------------------------------------------------------------------------


def test_http_charset_is_honoured():
    russian = (
        "Москва заявила, что не готова душить Северную Корею новыми санкциями, сообщил дипломат в пятницу.",
        "Заместитель министра иностранных дел Игорь Моргулов призвал к диалогу вместо новых санкций.",
        "По его словам, давление на Пхеньян приближается к красной линии, сообщает агентство Интерфакс.",
    )
    page = _page("Россия и КНДР", russian, charset="").replace('<meta charset="">', "").encode("cp1251")
    crawl = Crawl().response("https://ru.example.com/a", page, content_type="text/html; charset=windows-1251")
    (article,), report = _read(["-"], stdin=io.BytesIO(crawl.bytes()))
    assert article.title == "Россия и КНДР"
    assert article.text.startswith("Москва заявила")
    assert article.meta["encoding"] == "cp1251"
    assert article.warnings == [] and report.warnings == []


def test_page_that_declares_utf8_but_is_cp1252_is_read_with_a_warning():
    sentences = tuple(s.replace("dialogue", "dialogue \u201cat once\u201d, caf\xe9 style") for s in SENTENCES)
    page = _page("Caf\xe9 diplomacy", sentences).encode("cp1252")
    crawl = Crawl().response("https://news.example.com/c", page)
    (article,), report = _read(["-"], stdin=io.BytesIO(crawl.bytes()))
    assert article.title == "Café diplomacy"
    assert "\u201cat once\u201d, café style" in article.text
    assert article.meta["encoding"] == "cp1252"
    (warning,) = report.warnings
    assert "#record-1 https://news.example.com/c: declares UTF-8 but is not (byte 0x" in warning
    assert warning in article.warnings


# --- damage -------------------------------------------------------------------------------------------------


def test_truncated_file_keeps_the_records_before_the_cut(tmp_path: Path):
    data = _mixed_crawl()
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: len(data) - 200])  # inside the last response
    articles, report = _read([path])
    assert [a.title for a in articles] == ["Story 1"]
    (skipped,) = report.skipped
    assert skipped.reason.startswith(f"{path}: 1 record(s) cut short skipped (first: ")
    assert "the file is truncated" in skipped.reason


def test_truncated_plain_warc_on_stdin_keeps_what_was_read():
    data = _mixed_crawl(gzipped=False)
    articles, report = _read(["-"], stdin=io.BytesIO(data[: len(data) - 300]))
    assert [a.title for a in articles] == ["Story 1"]
    assert "cut short" in report.skipped[0].reason


def test_malformed_record_is_skipped_and_reading_goes_on(tmp_path: Path):
    data = _mixed_crawl(gzipped=False)
    second = data.index(b"WARC/1.", data.index(b"https://news.example.com/logo.png"))
    path = tmp_path / "damaged.warc"
    path.write_bytes(data[:second] + b"this line is no WARC header\r\n" + data[second:])
    articles, report = _read([path])
    assert [a.title for a in articles] == ["Story 1", "Story 2"]
    (skipped,) = report.skipped
    assert skipped.reason.startswith(f"{path}: 1 malformed record(s) skipped (first: at byte ")
    assert "reading went on at the next record" in skipped.reason


def test_malformed_record_on_stdin_stops_there_keeping_what_was_read():
    data = _mixed_crawl(gzipped=False)
    second = data.index(b"WARC/1.", data.index(b"https://news.example.com/logo.png"))
    damaged = data[:second] + b"this line is no WARC header\r\n" + data[second:]
    articles, report = _read(["-"], stdin=io.BytesIO(damaged))
    assert [a.title for a in articles] == ["Story 1"]  # standard input cannot seek to the next record
    (skipped,) = report.skipped
    assert skipped.reason.startswith("<stdin>: stopped at byte ")
    assert " record(s) (" in skipped.reason and "the records before were read" in skipped.reason


def test_damaged_gzip_member_is_skipped_and_reading_goes_on(tmp_path: Path):
    crawl = Crawl().response("https://news.example.com/a", _story(1))
    start = len(crawl.bytes())
    crawl.response("https://news.example.com/x", _story(9)).response("https://news.example.com/b", _story(2))
    data = bytearray(crawl.bytes())
    data[start + 40 : start + 80] = b"\xff" * 40  # inside the second record's gzip member
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(bytes(data))
    articles, report = _read([path])
    assert [a.title for a in articles] == ["Story 1", "Story 2"]
    assert "malformed record(s) skipped" in report.skipped[0].reason


def test_crawler_truncated_and_oversized_pages_are_skipped_and_counted(tmp_path: Path):
    crawl = Crawl().response(
        "https://news.example.com/a", _story(1), warc_headers={"WARC-Truncated": "length"}
    )
    crawl.response("https://news.example.com/big", _page("Big", SENTENCES * 40).encode())
    crawl.response("https://news.example.com/b", _story(2))
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(crawl.bytes())
    articles, report = _read([path], max_bytes=4000)
    assert [a.title for a in articles] == ["Story 2"]
    reasons = sorted(s.reason for s in report.skipped)
    assert reasons[0].startswith(f"{path}: 1 page(s) over the size cap skipped (first: record-2 ")
    assert "raise --max-bytes" in reasons[0]
    assert reasons[1].startswith(f"{path}: 1 page(s) the crawler truncated (WARC-Truncated) skipped")


def test_binary_payload_labelled_html_is_skipped_with_a_reason():
    crawl = Crawl().response("https://news.example.com/blob", bytes(range(256)) * 8)
    crawl.response("https://news.example.com/b", _story(2))
    articles, report = _read(["-"], stdin=io.BytesIO(crawl.bytes()))
    assert [a.title for a in articles] == ["Story 2"]
    (skipped,) = report.skipped
    assert "1 HTML response(s) that are not text skipped" in skipped.reason
    assert "looks like a binary file" in skipped.reason


def test_not_a_crawl_and_an_empty_crawl_are_skipped(tmp_path: Path):
    (tmp_path / "notes.warc").write_text("These are my notes, not a crawl.\n")
    (tmp_path / "empty.warc.gz").write_bytes(b"")
    articles, report = _read([tmp_path / "notes.warc", tmp_path / "empty.warc.gz"])
    assert articles == []
    notes, empty = (s.reason for s in report.skipped)
    assert notes.startswith(f"{tmp_path / 'notes.warc'}: not a WARC or ARC file (")
    assert empty.startswith(f"{tmp_path / 'empty.warc.gz'}: no WARC records")


def test_warc_size_is_not_capped_only_its_records(tmp_path: Path):
    crawl = Crawl(gzipped=False)
    for n in range(30):
        crawl.response(f"https://news.example.com/{n}", _story(n))
    path = tmp_path / "crawl.warc"
    path.write_bytes(crawl.bytes())
    assert path.stat().st_size > 5 * 2_000
    articles, report = _read([path], max_bytes=2_000)
    assert len(articles) == 30 and report.skipped == []


# --- the CLI ------------------------------------------------------------------------------------------------


def test_cli_extracts_a_crawl_and_prints_one_line_per_reason(tmp_path: Path):
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(_mixed_crawl())
    result = CliRunner().invoke(app, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [r["url"] for r in records] == ["https://news.example.com/a", "https://news.example.com/b"]
    assert "passed over 2 WARC request records" in result.stderr
    assert result.stderr.count("passed over") == 6


def test_a_target_uri_that_does_not_parse_is_kept_as_the_crawl_says():
    # "title | site" without a matching heading: the HTML path looks at the URL's host (urlsplit raises)
    page = (
        _page("Story 1").replace("<h1>Story 1</h1>", "").replace("<title>Story 1", "<title>Story 1 | Example")
    )
    crawl = Crawl().response("https://[news.example.com/a", page.encode())
    (article,), report = _read(["-"], stdin=io.BytesIO(crawl.bytes()))
    assert article.url == "https://[news.example.com/a" and article.text.startswith("Russia says")
    assert report.skipped == []
