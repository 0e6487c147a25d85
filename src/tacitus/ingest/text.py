"""Plain-text pages (``.txt``): title, section, body and source from the text.

A text page is what a scraper saved: usually a title on the first line, paragraphs separated by blank lines,
and the site's furniture around them. :func:`parse_text_page` splits it and applies the boilerplate rules of
:mod:`tacitus.ingest.boilerplate`; the body it returns is the cleaned paragraphs joined by ``"\\n\\n"``, and
downstream offsets index that string.
"""

from __future__ import annotations

from collections.abc import Sequence

from tacitus.ingest.boilerplate import Rule, clean_paragraphs, split_paragraphs
from tacitus.model import Article


def parse_text_page(
    raw: str, *, title: bool = True, origin: str | None = None, rules: Sequence[Rule] | None = None
) -> Article:
    """Turn the text of a scraped page into an Article with title, section, source and a clean body.

    The first paragraph that is not boilerplate is the title unless ``title`` is false; a breadcrumb trail
    before it becomes ``section``; captions, share bars, promos and the footer are dropped by the rules
    (``rules`` defaults to the packaged ones), and a rule that names the publisher fills ``source``. Each
    dropped paragraph and the id of the rule that dropped it are kept in ``meta["dropped"]``. The function
    is pure: ``id`` is left ``None`` for the caller, and ``text`` is empty when the page had no body.
    """
    page = clean_paragraphs(split_paragraphs(raw), title=title, rules=rules)
    meta = {"dropped": page.dropped} if page.dropped else {}
    return Article(
        text=page.text,
        title=page.title or None,
        source=page.source,
        section=page.section,
        meta=meta,
        origin=origin,
    )
