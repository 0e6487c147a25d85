"""HTML pages (``.html``, ``.htm``, or the ``html`` field of a JSONL line): body and metadata by trafilatura.

trafilatura finds the main text and the page's title, date and site name far better than we would; its
output then goes through the same boilerplate rules as text pages, because captions and "Read more" lines
still slip through on real sites. trafilatura is imported on first use, so reading only text files or JSONL
does not pay for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tacitus.errors import InvalidDate
from tacitus.ingest.boilerplate import Rule, clean_paragraphs, split_section
from tacitus.ingest.fields import parse_date
from tacitus.model import Article

# Dates only from the page's own metadata and markup: htmldate's extensive search reads dates out of free
# text, and a guessed publication date would be a guess dressed as a fact.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


def _extract(html: str | bytes, url: str | None, precise: bool) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=precise,
        date_extraction_params=_DATE_PARAMS,
    )


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def parse_html(
    html: str | bytes,
    *,
    url: str | None = None,
    origin: str | None = None,
    rules: Sequence[Rule] | None = None,
) -> Article:
    """Extract the article from an HTML page: body text, title, date, site name and categories.

    Bytes are passed to trafilatura as they are so that it can honour the page's declared charset. The
    extraction favours precision and falls back to trafilatura's default balance when that finds nothing.
    The body is trafilatura's paragraphs (a heading equal to the title removed) after the boilerplate rules,
    joined by ``"\\n\\n"``; ``text`` is empty when no article was found, and the caller decides what to do.
    """
    doc = _extract(html, url, precise=True)
    if doc is None or not (doc.text or "").strip():
        doc = _extract(html, url, precise=False)
    if doc is None:
        return Article(text="", url=url, origin=origin)
    paragraphs = [line.strip() for line in (doc.text or "").split("\n") if line.strip()]
    title = (doc.title or "").strip() or None
    dropped: list[dict[str, str]] = []
    if title and paragraphs and _same(paragraphs[0], title):
        # trafilatura keeps the <h1> in the text; the title is not part of the body anywhere in Tacitus.
        dropped.append({"rule": "html.title", "text": paragraphs.pop(0)})
    page = clean_paragraphs(paragraphs, title=False, rules=rules)
    published = None
    if doc.date:
        try:
            published = parse_date(str(doc.date), "date")
        except InvalidDate:
            published = None
    categories = [c for c in (doc.categories or []) if isinstance(c, str) and c.strip()]
    section = page.section or [p for c in categories for p in split_section(c)]
    dropped.extend(page.dropped)
    return Article(
        text=page.text,
        title=title,
        published=published,
        url=doc.url or url,
        source=page.source or (doc.sitename or "").strip() or None,
        section=section,
        meta={"dropped": dropped} if dropped else {},
        origin=origin,
    )
