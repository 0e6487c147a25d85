"""RSS and Atom feeds (``.rss``, ``.atom``, ``.xml``, or sniffed): entries that carry their article.

feedparser reads every kind of feed (RSS 0.9x to 2.0, RDF/RSS 1.0, Atom 0.3 and 1.0), however malformed,
and sanitises the HTML inside. An entry with its full text (``content:encoded``, Atom ``<content>``, or a
summary long enough to be the article) becomes an Article: ``title``, ``url`` (the entry's link),
``published`` (the entry's own date, the day as the publisher wrote it), ``source`` (the feed's title), and
the body cleaned through the HTML path (:func:`tacitus.ingest.html.parse_html`), so captions and share
lines go as they do on pages. Authors, categories, the feed's language and the entry's ``updated`` date go
to ``meta``.

Most news feeds carry only a link and a teaser. Those entries are not analysed: a teaser is not the
article, and nothing is fetched. One line per feed says how many entries only link to their pages and what
to do (list the links with ``tacitus links``, fetch the pages into a WARC, give Tacitus the WARC); the
links themselves go to ``on_link``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from email.utils import parsedate_to_datetime
from html import escape, unescape
from typing import Any

from tacitus.errors import InvalidDate
from tacitus.ingest.boilerplate import Rule
from tacitus.ingest.fields import parsable_url, parse_date
from tacitus.ingest.html import parse_html
from tacitus.model import Article

OnSkip = Callable[[str, str], None]
OnLink = Callable[[str], None]

# An entry's content is its article when the cleaned text has at least this many words; a summary has to
# be longer, since feeds use it for teasers. Short news briefs run 50 to 100 words; teasers 15 to 60.
FULL_CONTENT_MIN_WORDS = 40
FULL_SUMMARY_MIN_WORDS = 150
# A text ending like this is a teaser that stops where the page goes on, whatever its length.
TEASER_ENDINGS = (
    "…",
    "...",
    "[…]",
    "[...]",
    "(more…)",
    "(more...)",
    "read more",
    "read more »",
    "continue reading",
    "continue reading →",
    "read the full story",
    "read the full article",
)
# The words of the one line a feed gets for its link-only entries (``tacitus links`` leaves it out).
LINK_ONLY = "only link to their pages"
_TAG = re.compile(r"<[^>]*>")
_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _plain(value: str | None) -> str:
    """Text of a short HTML or plain value (a title, a quick word count): tags dropped, entities read."""
    return " ".join(unescape(_TAG.sub(" ", value or "")).split())


def _is_teaser(text: str) -> bool:
    tail = text.rstrip().casefold()
    return any(tail.endswith(ending) for ending in TEASER_ENDINGS)


def _entry_date(entry: Any, key: str) -> str | None:
    """The day of an entry's date as the publisher wrote it (its own time zone), or ``None``."""
    # dict.get: feedparser maps a missing "updated" to "published" (with a warning) on attribute access
    raw = dict.get(entry, key)
    if isinstance(raw, str) and raw.strip():
        try:
            return parse_date(raw, key)
        except InvalidDate:
            pass
        try:
            return parsedate_to_datetime(raw.strip()).date().isoformat()
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    parsed = dict.get(entry, f"{key}_parsed")  # feedparser's reading of other formats, in UTC
    if parsed:
        try:
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday).isoformat()
        except (ValueError, AttributeError):
            return None
    return None


def _body_html(entry: Any) -> tuple[str, bool]:
    """The entry's richest HTML: its longest content if any (True), else its summary (False)."""
    contents = [c for c in entry.get("content") or [] if isinstance(c.get("value"), str)]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        value = best["value"]
        if best.get("type") not in _HTML_TYPES:
            value = f"<pre>{escape(value)}</pre>" if "\n" in value else f"<p>{escape(value)}</p>"
        return value, True
    summary = entry.get("summary")
    return (summary if isinstance(summary, str) else ""), False


def _article_text(entry: Any, title: str | None, link: str | None, rules: Sequence[Rule] | None) -> Article:
    """The entry's body through the HTML path, or an empty Article when the entry only links to its page."""
    body, is_content = _body_html(entry)
    least = FULL_CONTENT_MIN_WORDS if is_content else FULL_SUMMARY_MIN_WORDS
    quick = _plain(body)
    if len(quick.split()) < least or _is_teaser(quick):
        return Article(text="")
    page = (
        f"<html><head><title>{escape(title or '')}</title></head>"
        f"<body><article>{body}</article></body></html>"
    )
    article = parse_html(page, url=link, rules=rules)
    if len(article.text.split()) < least or _is_teaser(article.text):
        return Article(text="")
    return article


def read_feed(
    data: bytes,
    *,
    name: str,
    stem: str,
    on_skip: OnSkip,
    on_link: OnLink,
    rules: Sequence[Rule] | None = None,
) -> Iterator[Article]:
    """Yield an Article for every entry of a feed that carries its full text, as the module docstring says.

    ``data`` is the feed's bytes (feedparser reads their encoding); ``name`` names it in origins
    (``name#entry-3``) and messages; ``stem`` makes ids for entries with neither an id nor a link. A feed
    Tacitus cannot read, one with no entries, and the entries that only link to their pages are reported
    through ``on_skip``, once per feed; each of those links goes to ``on_link``.
    """
    import feedparser

    # A stream, never bytes or a string: feedparser opens a string that looks like a URL or a file name.
    try:
        parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # noqa: BLE001 - feedparser means never to raise; a garbled XML prolog still can
        why = " ".join(str(exc).split())[:160] or type(exc).__name__
        on_skip(name, f"{name}: not a readable feed ({why}); check the file, or pick another --input-format")
        return
    entries = parsed.get("entries") or []
    if not parsed.get("version") and not entries:
        why = parsed.get("bozo_exception")
        detail = f" ({' '.join(str(why).split())[:160]})" if why else ""
        on_skip(
            name, f"{name}: not an RSS or Atom feed{detail}; check the file, or pick another --input-format"
        )
        return
    if not entries:
        on_skip(name, f"{name}: the feed has no entries; check that it is the feed you meant")
        return
    feed = parsed.get("feed") or {}
    source = _plain(feed.get("title")) or None
    language = feed.get("language")
    link_only = 0
    for number, entry in enumerate(entries, start=1):
        link = parsable_url(entry.get("link"))
        title = _plain(entry.get("title")) or None
        article = _article_text(entry, title, link, rules)
        if not article.text:
            link_only += 1
            if link:
                on_link(link)
            continue
        meta: dict[str, Any] = {"feed": source} if source else {}
        authors = [_plain(a.get("name")) for a in entry.get("authors") or [] if _plain(a.get("name"))]
        if authors:
            meta["authors"] = authors
        tags = [_plain(t.get("term")) for t in entry.get("tags") or [] if _plain(t.get("term"))]
        if tags:
            meta["tags"] = tags
        if entry.get("language") or language:
            meta["language"] = entry.get("language") or language
        published = _entry_date(entry, "published")
        updated = _entry_date(entry, "updated")
        if updated and updated != published:
            meta["updated"] = updated
        article.meta = {**meta, **article.meta}
        article.title = title or article.title
        article.url = link
        article.source = source or article.source
        article.published = published
        article.id = entry.get("id") or link or f"{stem}-{number}"
        article.origin = f"{name}#entry-{number}"
        yield article
    if link_only:
        on_skip(
            name,
            f"{name}: {link_only} of {len(entries)} entries {LINK_ONLY} (no full text in the "
            f"feed); list the links with `tacitus links {name}`, fetch the pages (e.g. `wget "
            "--warc-file=news -i links.txt`) and give Tacitus news.warc.gz",
        )
