"""RSS, Atom and RDF feeds: entries with their full text are articles; link-only entries are listed, not fetched."""

from __future__ import annotations

import io
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tacitus.cli import app
from tacitus.ingest import IngestReport, read_articles
from tacitus.ingest.feeds import FULL_SUMMARY_MIN_WORDS

runner = CliRunner()

BODY = (
    "<p>The foreign ministers of France and Germany met in Geneva on Thursday to discuss new sanctions "
    "on Iran, officials from both governments said after the talks ended late in the evening.</p>"
    "<p>They agreed to meet again next month. &ldquo;We made progress,&rdquo; the French minister told "
    "reporters, adding that the two countries would present a joint proposal to their partners.</p>"
    "<figure><img src='x.jpg'><figcaption>The ministers in Geneva. (Photo by AFP)</figcaption></figure>"
)
SENTENCE = "The minister said the talks in Geneva would resume next week after a pause of several days. "

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>Example News</title><link>https://news.example.com/</link><description>News</description>
<language>en-gb</language>
<item><title>Ministers meet in Geneva</title><link>https://news.example.com/geneva</link>
<guid isPermaLink="false">geneva-2017</guid>
<pubDate>Fri, 15 Dec 2017 01:20:00 +0900</pubDate><dc:creator>Jane Roe</dc:creator><category>World</category>
<description>Ministers meet in Geneva [&#8230;]</description>
<content:encoded><![CDATA[{BODY}]]></content:encoded></item>
<item><title>Only a teaser</title><link>https://news.example.com/teaser</link>
<description>The minister spoke about the talks. Read more</description></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Wire</title><id>urn:wire</id>
<updated>2017-12-16T00:00:00Z</updated>
<entry><title type="html">Talks &lt;em&gt;resume&lt;/em&gt;</title><id>urn:wire:1</id>
<link href="https://wire.example.com/1"/><published>2017-12-14T22:00:00-05:00</published>
<updated>2017-12-16T08:00:00Z</updated><author><name>A. Writer</name></author>
<summary type="html">{"<p>" + SENTENCE * 20 + "</p>"}</summary></entry>
<entry><title>Long teaser</title><id>urn:wire:2</id><link href="https://wire.example.com/2"/>
<updated>2017-12-15T08:00:00Z</updated><summary>{SENTENCE * 20}Continue reading</summary></entry>
<entry><title>Content</title><id>urn:wire:3</id><link href="https://wire.example.com/3"/>
<updated>2017-12-15T08:00:00Z</updated><content type="html">{BODY.replace("<", "&lt;")}</content></entry>
</feed>
"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
         xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://old.example.com/"><title>Old Site</title><link>https://old.example.com/</link>
<description>d</description></channel>
<item rdf:about="https://old.example.com/1"><title>One</title><link>https://old.example.com/1</link>
<description>A short teaser.</description><dc:date>2017-12-15</dc:date></item>
<item rdf:about="https://old.example.com/2"><title>Two</title><link>https://old.example.com/2</link>
<description>Another short teaser.</description></item>
</rdf:RDF>
"""


def _read(sources, **kwargs):
    report = IngestReport()
    return list(read_articles(sources, report=report, **kwargs)), report


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_rss_entry_with_full_content_is_an_article(tmp_path: Path):
    path = _write(tmp_path, "news.rss", RSS)
    (article,), report = _read([path])
    assert article.title == "Ministers meet in Geneva"
    assert article.url == "https://news.example.com/geneva"
    assert article.id == "geneva-2017"
    assert article.published == "2017-12-15"  # the publisher's day (+09:00), not the UTC one (14th)
    assert article.source == "Example News"
    assert article.origin == f"{path}#entry-1"
    assert article.meta["authors"] == ["Jane Roe"]
    assert article.meta["tags"] == ["World"]
    assert article.meta["language"] == "en-gb"
    paragraphs = article.text.split("\n\n")
    assert paragraphs[0].startswith("The foreign ministers of France and Germany met in Geneva")
    assert "\u201cWe made progress,\u201d" in paragraphs[1]
    assert "Photo by AFP" not in article.text
    assert report.links == ["https://news.example.com/teaser"]


def test_link_only_entries_get_one_line_saying_what_to_do(tmp_path: Path):
    path = _write(tmp_path, "news.rss", RSS)
    _, report = _read([path])
    (skipped,) = report.skipped
    assert skipped.reason.startswith(f"{path}: 1 of 2 entries only link to their pages")
    assert f"tacitus links {path}" in skipped.reason
    assert "wget --warc-file" in skipped.reason


def test_atom_summary_long_enough_is_the_article_but_a_teaser_ending_is_not(tmp_path: Path):
    path = _write(tmp_path, "wire.atom", ATOM)
    articles, report = _read([path])
    assert [a.url for a in articles] == ["https://wire.example.com/1", "https://wire.example.com/3"]
    summary, content = articles
    assert summary.title == "Talks resume"
    assert summary.published == "2017-12-14"
    assert summary.meta["updated"] == "2017-12-16"
    assert summary.meta["authors"] == ["A. Writer"]
    assert len(summary.text.split()) >= FULL_SUMMARY_MIN_WORDS
    # Atom's <updated> is when the entry changed, not when it was published: unknown stays unknown
    assert content.published is None
    assert content.text.startswith("The foreign ministers")
    assert report.links == ["https://wire.example.com/2"]


def test_rdf_feed_of_teasers_is_listed_not_analysed(tmp_path: Path):
    path = _write(tmp_path, "old.xml", RDF)
    articles, report = _read([path])
    assert articles == []
    assert report.links == ["https://old.example.com/1", "https://old.example.com/2"]
    assert "2 of 2 entries only link to their pages" in report.skipped[0].reason


def test_links_command_prints_the_links_to_fetch(tmp_path: Path):
    rss = _write(tmp_path, "news.rss", RSS)
    rdf = _write(tmp_path, "old.xml", RDF)
    result = runner.invoke(app, ["links", str(rss), str(rdf)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "https://news.example.com/teaser",
        "https://old.example.com/1",
        "https://old.example.com/2",
    ]
    assert "3 link(s) to fetch" in result.stderr
    assert "only link to their pages" not in result.stderr


def test_feed_on_stdin_is_sniffed():
    articles, report = _read(["-"], stdin=io.BytesIO(RSS.encode()))
    assert [a.title for a in articles] == ["Ministers meet in Geneva"]
    assert articles[0].origin == "<stdin>#entry-1"
    assert report.links == ["https://news.example.com/teaser"]


def test_folder_reads_xml_feeds_but_not_other_xml(tmp_path: Path):
    _write(tmp_path, "feed.xml", RSS)
    _write(tmp_path, "sitemap.xml", '<?xml version="1.0"?><urlset><url><loc>https://x/</loc></url></urlset>')
    articles, report = _read([tmp_path])
    assert [a.title for a in articles] == ["Ministers meet in Geneva"]
    assert all("sitemap" not in s.reason for s in report.skipped)


def test_not_a_feed_and_an_empty_feed_are_skipped_with_reasons(tmp_path: Path):
    page = _write(tmp_path, "page.rss", "<html><body><p>Just a page.</p></body></html>")
    empty = _write(tmp_path, "empty.rss", '<rss version="2.0"><channel><title>T</title></channel></rss>')
    articles, report = _read([page, empty])
    assert articles == []
    first, second = (s.reason for s in report.skipped)
    assert first.startswith(f"{page}: not an RSS or Atom feed")
    assert second == f"{empty}: the feed has no entries; check that it is the feed you meant"


@pytest.mark.parametrize("names", ["a URL", "a file"])
def test_nothing_is_fetched_or_opened_for_a_feed_that_names_a_url_or_a_file(tmp_path, monkeypatch, names):
    def no_network(*args, **kwargs):
        raise AssertionError("a feed made Tacitus open a network connection")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    real = _write(tmp_path, "real.rss", RSS)  # what feedparser would read if it opened the name
    content = "https://news.example.com/feed.rss" if names == "a URL" else str(real)
    path = _write(tmp_path, "odd.rss", content)
    articles, report = _read([path])
    assert articles == []
    assert report.skipped[0].reason.startswith(f"{path}: not an RSS or Atom feed")


def test_an_entry_link_that_is_no_url_is_dropped_not_fatal(tmp_path: Path):
    path = _write(
        tmp_path, "odd.rss", RSS.replace("https://news.example.com/geneva", "https://[news.example.com/g")
    )
    (article,), _ = _read([path])
    assert article.url is None and article.id == "geneva-2017"
    assert article.text.startswith("The foreign ministers")
