"""Input reading: text pages and their boilerplate, JSONL, HTML, folders, standard input, and the error policy."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from tacitus.errors import InvalidDate, InvalidRuleFile, NoInputs, UnknownInputFormat, UsageError
from tacitus.ingest import IngestReport, load_rules, parse_text_page, read_articles, validate_date
from tacitus.ingest.boilerplate import clean_paragraphs

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_416052134ac3e5b3.txt"

HTML_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Russia not ready to strangle North Korea | Press TV</title>
<meta property="og:site_name" content="Press TV">
<meta property="article:published_time" content="2017-12-15T10:20:00Z">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article>
<h1>Russia not ready to strangle North Korea</h1>
<p>Russia says it is not ready to strangle North Korea economically with new sanctions, a diplomat said on Friday.</p>
<p>Deputy Foreign Minister Igor Morgulov said the pressure on North Korea was approaching a red line, Interfax reported.</p>
<p>Morgulov urged dialog instead of harsher sanctions and said Moscow had other channels to Pyongyang.</p>
</article>
<footer><p>Copyright 2017 Press TV. All rights reserved.</p></footer>
</body></html>
"""


def _read(sources, **kwargs):
    report = IngestReport()
    articles = list(read_articles(sources, report=report, **kwargs))
    return articles, report


# --- text pages: the seed ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_article():
    if not SEED.exists():
        pytest.skip(f"seed page not found at {SEED}")
    (article,), report = _read([SEED])
    assert report.skipped == []
    return article


def test_seed_breadcrumb_becomes_section_not_title(seed_article):
    assert seed_article.section == ["News", "Foreign Policy", "Koreas", "Russia"]
    assert seed_article.title == "Russia ‘not ready to strangle’ North Korea with more bans"
    assert "Foreign Policy" not in seed_article.text


def test_seed_body_starts_after_caption(seed_article):
    paragraphs = seed_article.text.split("\n\n")
    assert paragraphs[0].startswith("Russia says it is not ready")
    assert "(Photo by AFP)" not in seed_article.text
    assert "shakes hands" not in seed_article.text
    assert seed_article.title not in seed_article.text


def test_seed_footer_dropped_and_names_source(seed_article):
    assert "alternate addresses" not in seed_article.text
    assert "Roku" not in seed_article.text
    assert seed_article.text.endswith("on common international issues.")
    assert seed_article.source == "Press TV"


def test_seed_crossheads_kept(seed_article):
    paragraphs = seed_article.text.split("\n\n")
    assert "Trump, Putin discuss North Korea" in paragraphs
    assert "US repeats offer of unconditional talks" in paragraphs


def test_seed_text_shape_and_ids(seed_article):
    assert "\n\n\n" not in seed_article.text
    assert all(p == p.strip() and p for p in seed_article.text.split("\n\n"))
    assert seed_article.id == SEED.stem
    assert seed_article.origin == str(SEED)
    assert seed_article.meta["path"] == str(SEED)
    rules = {d["rule"] for d in seed_article.meta["dropped"]}
    assert {"breadcrumb.separators", "caption.paren-photo-credit", "footer.alternate-addresses"} <= rules


# --- text pages: rules on small inline pages ------------------------------------------------------------------


def test_title_false_keeps_first_line_in_body():
    article = parse_text_page("Plain first paragraph.\n\nSecond paragraph.", title=False)
    assert article.title is None
    assert article.text == "Plain first paragraph.\n\nSecond paragraph."


def test_paragraph_mentioning_photo_survives():
    body = [
        "Protesters held up photos of the president, and an AFP photographer was among those detained.",
        "Getty Images said it would appeal the ruling.",
        "Photographs of the meeting showed the two leaders smiling.",
    ]
    raw = "\n\n".join(
        ["A title", *body, "Image copyright Getty Images", "Soldiers at the border. (AFP photo)"]
    )
    article = parse_text_page(raw)
    assert article.text.split("\n\n") == body


def test_common_junk_dropped_but_crosshead_kept():
    raw = "\n\n".join(
        [
            "Home > World > Europe",
            "Leaders meet in Brussels",
            "Share this article",
            "EU leaders met in Brussels on Friday to discuss sanctions.",
            "Advertisement",
            "Talks continue",
            "The talks will resume on Monday, officials said.",
            "Photo: Reuters",
            "Read more: Why the summit matters",
            "Diplomats said a deal was close.",
            "Related:",
            "Sanctions vote delayed",
            "EU envoys head to Kyiv",
            "Follow us on Twitter @example",
            "© 2017 Example News. All rights reserved.",
        ]
    )
    article = parse_text_page(raw)
    assert article.section == ["World", "Europe"]
    assert article.title == "Leaders meet in Brussels"
    assert article.text.split("\n\n") == [
        "EU leaders met in Brussels on Friday to discuss sanctions.",
        "Talks continue",
        "The talks will resume on Monday, officials said.",
        "Diplomats said a deal was close.",
    ]
    assert article.source is None


def test_breadcrumb_only_before_title_and_footer_only_at_end():
    raw = "\n\n".join(
        [
            "A headline",
            "News / Politics / Europe",
            "Copyright © 2017 Example News was cited in court on Monday, the judge said.",
            "Last paragraph of the body.",
        ]
    )
    article = parse_text_page(raw)
    assert article.section == []
    assert "News / Politics / Europe" in article.text
    assert "Copyright © 2017 Example News was cited" in article.text


def test_title_with_pipe_is_not_a_breadcrumb():
    article = parse_text_page("Analysis | Why the talks failed\n\nBody text here.")
    assert article.title == "Analysis | Why the talks failed"
    assert article.section == []


def test_page_without_blank_lines_is_one_paragraph_per_line():
    article = parse_text_page("Title\r\nFirst paragraph.\r\nSecond paragraph.\r\n")
    assert article.title == "Title"
    assert article.text == "First paragraph.\n\nSecond paragraph."


def test_clean_paragraphs_reports_rule_ids():
    page = clean_paragraphs(["Body sentence.", "Slideshow (3 Images)"], title=False)
    assert page.paragraphs == ["Body sentence."]
    assert page.dropped == [{"rule": "caption.slideshow", "text": "Slideshow (3 Images)"}]


# --- rule files ---------------------------------------------------------------------------------------------


def test_packaged_rules_load_with_known_kinds():
    rules = load_rules()
    assert len(rules) >= 30
    assert len({r.id for r in rules}) == len(rules)
    assert {"breadcrumb", "caption", "footer", "share"} <= {r.kind for r in rules}


def test_rule_file_with_unknown_kind_is_rejected_with_file_and_line(tmp_path):
    path = tmp_path / "rules.tsv"
    path.write_text(
        "# comment\nid\tkind\twhere\tregex\tcomment\nok.one\tcaption\tany\t^Photo$\t\nbad.two\tbanner\tany\t^X$\t\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidRuleFile, match=rf"{path}:4: unknown kind 'banner'"):
        load_rules(path)


def test_rule_file_with_unknown_column_or_bad_regex_is_rejected(tmp_path):
    path = tmp_path / "rules.tsv"
    path.write_text("id\tkind\twhere\tpattern\n", encoding="utf-8")
    with pytest.raises(InvalidRuleFile, match=rf"{path}:1: unknown column 'pattern'"):
        load_rules(path)
    path.write_text("id\tkind\twhere\tregex\tcomment\nx\tad\tany\t(unclosed\t\n", encoding="utf-8")
    with pytest.raises(InvalidRuleFile, match=rf"{path}:2: bad regex"):
        load_rules(path)


def test_custom_rules_replace_packaged_ones(tmp_path):
    path = tmp_path / "rules.tsv"
    path.write_text("id\tkind\twhere\tregex\tcomment\nmine\tpromo\tany\t^Buy now$\t\n", encoding="utf-8")
    page = tmp_path / "p.txt"
    page.write_text("Title\n\nBody.\n\nBuy now\n\nAdvertisement\n\nEnd.", encoding="utf-8")
    (article,), _ = _read([page], rules=load_rules(path))
    assert article.text == "Body.\n\nAdvertisement\n\nEnd."


# --- JSONL --------------------------------------------------------------------------------------------------


def test_jsonl_text_kept_byte_identical_and_id_echoed(tmp_path):
    text = "  Leading spaces,\r\n odd  spacing\n\n\nand “quotes” — kept.\t\n"
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 42, "text": text, "title": "T"}) + "\n", encoding="utf-8")
    (article,), report = _read([path])
    assert article.text == text
    assert article.id == "42"
    assert article.title == "T"
    assert article.origin == f"{path}:1"
    assert report.articles == 1


def test_jsonl_date_alias_section_and_meta(tmp_path):
    lines = [
        {"id": "a", "text": "x", "date": "2017-12-15T10:20:00Z", "topic": "nk", "bias": "left"},
        {"id": "b", "text": "y", "published": "2017-12-14", "date": "yesterday", "section": "World / Asia"},
        {"text": "z", "section": ["News", "Koreas"]},
    ]
    path = tmp_path / "feed.ndjson"
    path.write_text("".join(json.dumps(obj) + "\n" for obj in lines), encoding="utf-8")
    a, b, c = _read([path])[0]
    assert a.published == "2017-12-15"
    assert a.meta == {"topic": "nk", "bias": "left"}
    assert b.published == "2017-12-14"
    assert b.meta == {"date": "yesterday"}
    assert b.section == ["World", "Asia"]
    assert c.id == "feed-3"
    assert c.section == ["News", "Koreas"]


def test_jsonl_bad_lines_skipped_with_line_numbers(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"id": "ok1", "text": "one"}\n'
        "\n"
        '{"id": "broken", "text": \n'
        "[1, 2]\n"
        '{"id": "notext", "title": "only a title"}\n'
        '{"id": "baddate", "text": "x", "published": "15/12/2017"}\n'
        '{"id": "ok2", "text": "two"}\n',
        encoding="utf-8",
    )
    articles, report = _read([path])
    assert [a.id for a in articles] == ["ok1", "ok2"]
    assert report.articles == 2
    assert [s.origin for s in report.skipped] == [f"{path}:{n}" for n in (3, 4, 5, 6)]
    assert report.skipped[0].reason.startswith(f"{path}:3: invalid JSON (")
    assert "fix the line or remove it" in report.skipped[0].reason
    assert "YYYY-MM-DD" in report.skipped[3].reason


def test_jsonl_gz_and_non_utf8_line(tmp_path):
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wb") as handle:
        handle.write(b'{"text": "caf\xe9"}\n{"text": "fine"}\n')
    articles, report = _read([path])
    assert [a.text for a in articles] == ["fine"]
    assert articles[0].id == "feed-2"
    assert "not UTF-8" in report.skipped[0].reason


def test_jsonl_html_field_extracted(tmp_path):
    path = tmp_path / "pages.jsonl"
    path.write_text(json.dumps({"id": "p1", "html": HTML_PAGE, "section": "World"}) + "\n", encoding="utf-8")
    (article,), _ = _read([path])
    assert article.text.startswith("Russia says it is not ready")
    assert article.title == "Russia not ready to strangle North Korea"
    assert article.published == "2017-12-15"
    assert article.section == ["World"]


# --- HTML ---------------------------------------------------------------------------------------------------


def test_html_file_via_trafilatura(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    (article,), report = _read([path])
    assert article.id == "story"
    assert article.title == "Russia not ready to strangle North Korea"
    assert article.text.split("\n\n")[0].startswith("Russia says it is not ready")
    assert len(article.text.split("\n\n")) == 3
    assert "Home" not in article.text and "All rights reserved" not in article.text
    assert article.published == "2017-12-15"
    assert article.source == "Press TV"


# --- folders, formats, defaults -----------------------------------------------------------------------------


def test_directory_recursion_sorted_and_hidden_skipped(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text("T2\n\nBody two.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("T1\n\nBody one.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "j", "text": "Body three."}\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("T\n\nhidden", encoding="utf-8")
    articles, report = _read([tmp_path], published="2017-12-15")
    assert [a.id for a in articles] == ["a", "2", "j"]
    assert all(a.published == "2017-12-15" for a in articles)
    assert report.articles == 3 and report.skipped == []


def test_no_sources_raises_but_an_empty_folder_is_skipped(tmp_path):
    with pytest.raises(NoInputs, match="no inputs given"):
        read_articles([])
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    articles, report = _read([tmp_path])
    assert articles == []
    assert [s.origin for s in report.skipped] == [str(tmp_path)]
    assert "no .jsonl" in report.skipped[0].reason and ".txt" in report.skipped[0].reason


def test_unknown_format_raises_at_once_unknown_extension_is_skipped(tmp_path):
    with pytest.raises(UnknownInputFormat, match="'xml'.*auto, text, jsonl, html"):
        read_articles([tmp_path], input_format="xml")
    odd = tmp_path / "page.md"
    odd.write_text("Title\n\nBody.", encoding="utf-8")
    articles, report = _read([odd])
    assert articles == [] and "--input-format text" in report.skipped[0].reason
    (article,), _ = _read([odd], input_format="text")
    assert article.text == "Body."


def test_missing_path_and_bad_file_are_skipped_the_rest_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nBody.", encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02")
    title_only = tmp_path / "title_only.txt"
    title_only.write_text("Just a headline\n", encoding="utf-8")
    missing = tmp_path / "nope.txt"
    articles, report = _read([missing, binary, good, title_only])
    assert [a.id for a in articles] == ["good"]
    assert [s.origin for s in report.skipped] == [str(missing), str(binary), str(title_only)]
    assert "no such file" in report.skipped[0].reason
    assert "--no-title" in report.skipped[2].reason


def test_missing_paths_are_reported_before_any_article_is_read(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Title\n\nBody.", encoding="utf-8")
    report = IngestReport()
    articles = read_articles([good, tmp_path / "nope.txt"], report=report)
    # a typo is known in a second, not after an hour of work on the other inputs
    assert [s.origin for s in report.skipped] == [str(tmp_path / "nope.txt")]
    assert [a.id for a in articles] == ["good"]


def test_cp1252_page_read_with_warning(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("Title\n\nCaf\xe9 society.".encode("cp1252"))
    (article,), report = _read([path])
    assert article.text == "Café society."
    assert article.meta["encoding"] == "cp1252"
    assert "Windows-1252" in report.warnings[0]


def test_validate_date():
    assert validate_date("2017-12-15", "--published") == "2017-12-15"
    assert validate_date("2017-12-15T10:20:00+00:00", "--published") == "2017-12-15"
    for bad in ("15/12/2017", "2017-02-30", "2017-12-15garbage", ""):
        with pytest.raises(InvalidDate, match="--published"):
            validate_date(bad, "--published")


# --- standard input -----------------------------------------------------------------------------------------


def test_stdin_auto_detects_jsonl():
    stream = io.StringIO('\n{"id": "s1", "text": "one"}\n{"text": "two"}\n')
    articles, _ = _read(["-"], stdin=stream)
    assert [(a.id, a.text) for a in articles] == [("s1", "one"), ("stdin-3", "two")]


def test_stdin_auto_detects_text_page():
    stream = io.StringIO("A headline\n\nThe body, with a photo mentioned.\n")
    (article,), _ = _read(["-"], stdin=stream)
    assert (article.id, article.title, article.text) == (
        "stdin",
        "A headline",
        "The body, with a photo mentioned.",
    )
    assert article.origin == "<stdin>"


# --- bad input: each skipped with one line naming the input and the fix, nothing already read lost --------------

ARTICLE = "Title\n\n" + "Ministers met in Geneva on Thursday to discuss sanctions, officials said. " * 3
BODY_PARAGRAPHS = (
    "Ministers met in Geneva on Thursday to discuss sanctions on the government, officials said.",
    "They agreed to meet again next month, the French foreign minister told reporters after the talks.",
    "The two delegations will present a joint proposal to their partners before the end of the year.",
)


@pytest.mark.parametrize("name", ["blob.txt", "blob.html", "blob.txt.gz"])
def test_binary_files_are_skipped_as_binary(tmp_path, name):
    data = bytes(range(256)) * 64
    path = tmp_path / name
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    articles, report = _read([path])
    assert articles == []
    assert report.skipped[0].reason == (
        f"{path}: looks like a binary file, not text; pass text, JSONL or HTML pages"
    )


@pytest.mark.parametrize("name", ["empty.txt", "empty.html", "blank.txt.gz", "empty.jsonl", "empty.rss"])
def test_empty_files_are_skipped_as_empty(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(gzip.compress(b" \n\n") if name.endswith(".gz") else b"")
    articles, report = _read([path])
    assert articles == []
    (skipped,) = report.skipped
    assert skipped.reason.startswith(f"{path}: empty")
    assert "check that it is the file you meant" in skipped.reason


def test_files_over_the_size_cap_are_skipped_and_the_rest_read(tmp_path):
    big, small = tmp_path / "big.txt", tmp_path / "small.txt"
    big.write_text(ARTICLE * 50, encoding="utf-8")
    small.write_text(ARTICLE, encoding="utf-8")
    articles, report = _read([big, small], max_bytes=2_000)
    assert [a.id for a in articles] == ["small"]
    (skipped,) = report.skipped
    assert skipped.reason.startswith(
        f"{big}: is {big.stat().st_size:,} bytes, over the 2,000 bytes cap on one page"
    )
    assert "raise --max-bytes" in skipped.reason


def test_gzip_bombs_and_long_jsonl_lines_and_long_stdin_are_capped(tmp_path):
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a " * 50_000))
    lines = tmp_path / "lines.jsonl"
    lines.write_text(
        json.dumps({"id": "long", "text": "x " * 5_000})
        + "\n"
        + json.dumps({"id": "ok", "text": "Short."})
        + "\n",
        encoding="utf-8",
    )
    articles, report = _read([bomb, lines], max_bytes=1_000)
    assert [a.id for a in articles] == ["ok"]
    bomb_reason, line_reason = (s.reason for s in report.skipped)
    assert bomb_reason.startswith(f"{bomb}: inflates to more than 1,000 bytes")
    assert line_reason.startswith(f"{lines}:1: the line is longer than 1,000 bytes (--max-bytes)")
    articles, report = _read(["-"], stdin=io.BytesIO(ARTICLE.encode() * 40), max_bytes=1_000)
    assert articles == []
    assert report.skipped[0].reason.startswith("<stdin>: is longer, over the 1,000 bytes cap on one page")


def test_max_bytes_must_be_positive():
    with pytest.raises(UsageError, match="--max-bytes must be a positive number of bytes"):
        read_articles(["-"], max_bytes=0)


def test_truncated_gzip_page_keeps_what_was_read_with_a_warning(tmp_path):
    path = tmp_path / "cut.html.gz"
    data = gzip.compress(HTML_PAGE.encode())
    path.write_bytes(data[: len(data) * 3 // 4])
    (article,), report = _read([path])
    assert article.text.startswith("Russia says it is not ready to strangle North Korea")
    (warning,) = report.warnings
    assert warning.startswith(f"{path}: the gzip data is truncated; read the ")
    assert warning in article.warnings


def test_truncated_jsonl_gz_keeps_the_lines_before_the_cut(tmp_path):
    rows = "".join(json.dumps({"id": f"r{n}", "text": f"Article {n} " * 200}) + "\n" for n in range(20))
    data = gzip.compress(rows.encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    articles, report = _read([path])
    assert 0 < len(articles) < 20
    assert [a.id for a in articles] == [f"r{n}" for n in range(len(articles))]
    (skipped,) = report.skipped
    assert skipped.reason.startswith(f"{path}: stopped reading after line {len(articles)}")


def test_html_that_lies_about_utf8_is_read_as_cp1252_with_a_warning(tmp_path):
    path = tmp_path / "lying.html"
    path.write_bytes(HTML_PAGE.replace("a diplomat said", "a caf\xe9 diplomat said").encode("cp1252"))
    (article,), report = _read([path])
    assert "a café diplomat said" in article.text
    assert article.meta["encoding"] == "cp1252"
    (warning,) = report.warnings
    assert warning.startswith(f"{path}: declares UTF-8 but is not (byte 0xe9 at offset ")


def test_html_in_its_declared_charset_is_read_without_a_warning(tmp_path):
    page = HTML_PAGE.replace('charset="utf-8"', 'charset="koi8-r"').replace(
        "a diplomat said", "a diplomat (дипломат) said"
    )
    path = tmp_path / "koi8.html"
    path.write_bytes(page.encode("koi8_r"))
    (article,), report = _read([path])
    assert "a diplomat (дипломат) said" in article.text
    assert article.meta["encoding"] == "koi8-r"
    assert report.warnings == []


def test_html_with_no_article_says_so(tmp_path):
    path = tmp_path / "index.html"
    path.write_text("<html><head><title>Home</title></head><body></body></html>", encoding="utf-8")
    articles, report = _read([path])
    assert articles == []
    assert report.skipped[0].reason.startswith(f"{path}: no article text found; it holds no article")


def test_jsonl_html_with_a_url_that_does_not_parse_is_still_read(tmp_path):
    # a "title | site" page without a matching heading makes the HTML path look at the URL's host, where
    # urlsplit raises on "[broken"
    body = "".join(f"<p>{p}</p>" for p in BODY_PARAGRAPHS)
    page = (
        "<html><head><title>Geneva talks | Example News</title>"
        f'<meta property="og:site_name" content="Example News"></head><body><article>{body}</article></body></html>'
    )
    path = tmp_path / "odd.jsonl"
    path.write_text(json.dumps({"id": "h", "url": "https://[broken/", "html": page}) + "\n", encoding="utf-8")
    (article,), report = _read([path])
    assert article.url == "https://[broken/"  # the line's own field, kept as given
    assert article.text.startswith("Ministers met in Geneva on Thursday")
    assert report.skipped == []
