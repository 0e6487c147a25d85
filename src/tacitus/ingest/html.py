"""HTML pages (``.html``, ``.htm``, or the ``html`` field of a JSONL line): body and metadata by trafilatura.

trafilatura finds the main text and the page's title, date and site name far better than we would; its
output then goes through the same boilerplate rules as text pages, because captions and "Read more" lines
still slip through on real sites. trafilatura is imported on first use, so reading only text files or JSONL
does not pay for it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from typing import Any

from tacitus.errors import InvalidDate
from tacitus.ingest.boilerplate import Rule, clean_paragraphs, split_section
from tacitus.ingest.fields import parse_date
from tacitus.ingest.metadata import PageMetadata, parse_tree, read_metadata
from tacitus.model import Article

# Dates only from the page's own metadata and markup: htmldate's extensive search reads dates out of free
# text, and a guessed publication date would be a guess dressed as a fact.
_DATE_PARAMS = {"extensive_search": False, "original_date": True}


# Extraction settings, chosen on the dev half of the Scrapinghub benchmark (tacitus.evaluate.ingest): recall
# mode keeps the paragraphs that precision mode loses (body F1 0.965 against 0.947 in fast mode), and the
# furniture it lets through is what the boilerplate rules and the title and standfirst checks below remove;
# fast mode skips trafilatura's second opinion from its readability and jusText ports, which cost 40% more
# time for no gain once that cleaning is done; tables are kept because some pages lay their body text out in
# them (dev F1 0.976 with, 0.974 without).
_EXTRACTION = {
    "favor_recall": True,
    "fast": True,
    "include_tables": True,
    "include_comments": False,
}
# "Headline | Site", "Headline - Site": the headline alone is the part before the last separator
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·•]+\s+")
_WORD = re.compile(r"\w+")
# how far down a repeated headline may sit (a kicker or a date line may come first)
_TITLE_REACH = 3
# A paragraph recovered from a sibling chunk of the body is a full sentence of at least this many characters:
# teasers and captions in look-alike containers are shorter or do not end a sentence.
_CHUNK_MIN = 80
_SENTENCE_END = tuple(".!?…\"”’'")


def _extract(page: Any, url: str | None) -> Any:
    """trafilatura's body and metadata of a page (a parsed tree or the raw markup), or ``None``."""
    import trafilatura

    if isinstance(page, str | bytes):
        return trafilatura.bare_extraction(
            page, url=url, with_metadata=True, date_extraction_params=_DATE_PARAMS, **_EXTRACTION
        )
    doc = trafilatura.bare_extraction(page, url=url, with_metadata=False, **_EXTRACTION)
    if doc is not None:
        _add_metadata(doc, page, url)
    return doc


def _add_metadata(doc: Any, tree: Any, url: str | None) -> None:
    """trafilatura's page metadata, less its author, tag and licence searches, set on ``doc``.

    Authors come from :mod:`tacitus.ingest.bylines` and tags and licences are not used, while those three
    searches were a third of the whole extraction time on the Scrapinghub pages. The steps are
    trafilatura's own (``trafilatura.metadata.extract_metadata``); if a later trafilatura renames them, its
    whole metadata pass is used instead.
    """
    from trafilatura import metadata as tm

    try:
        try:
            from htmldate import find_date

            found = tm.examine_meta(tree)
            with contextlib.suppress(Exception):  # trafilatura's guard: its JSON-LD reader fails on odd data
                found = tm.extract_meta_json(tree, found)
            found.title = found.title or tm.extract_title(tree)
            found.url = found.url or tm.extract_url(tree, url)
            found.date = find_date(tree, url=found.url, **_DATE_PARAMS)
            found.sitename = found.sitename or tm.extract_sitename(tree)
        except (ImportError, AttributeError):
            found = tm.extract_metadata(tree, url, _DATE_PARAMS)
    except (TypeError, ValueError):
        # what trafilatura's own extraction gives up on in broken markup: the body stays, metadata unknown
        return
    for name in ("title", "url", "date", "sitename", "categories", "description"):
        setattr(doc, name, getattr(found, name, None))


def _categories(doc: Any, tree: Any) -> list[str]:
    """The page's categories: from its metadata, else its category links (searched only when needed, as
    the last source of a section: the search costs as much as reading all the other metadata)."""
    found = doc.categories
    if not found and tree is not None:
        with contextlib.suppress(ImportError, AttributeError):
            from trafilatura.metadata import extract_catstags

            found = extract_catstags("category", tree)
    return [c for c in (found or []) if isinstance(c, str) and c.strip()]


def _words(text: str | None) -> str:
    return " ".join(_WORD.findall((text or "").casefold()))


def _title_forms(*titles: str | None) -> set[str]:
    forms = set()
    for title in titles:
        if not title:
            continue
        forms.add(_words(title))
        parts = _TITLE_SEPARATOR.split(title)
        if len(parts) > 1:
            forms.update((_words(parts[0]), _words(" ".join(parts[:-1]))))
    return {f for f in forms if f}


def _recover_chunks(tree: Any, paragraphs: list[str]) -> list[str]:
    """Add the body paragraphs trafilatura missed because the article is split into several containers.

    Some sites cut the body into chunks (one container per run of paragraphs, adverts between them), and
    trafilatura takes the first container that looks like a body. Its paragraphs tell which containers
    those are (tag and class); a full-sentence paragraph in *another* container of the same tag and class
    that gave nothing is the rest of the article, and goes in after the extracted paragraph that precedes
    it on the page. Containers without a class are never matched: too many unrelated boxes look alike.
    """
    found = {_words(text): index for index, text in enumerate(paragraphs)}
    anchors: list[tuple[int, int]] = []  # (position on the page, index in paragraphs)
    kinds: set[tuple[str, str]] = set()
    used: set[Any] = set()
    candidates: list[tuple[int, Any, str]] = []
    for position, element in enumerate(tree.iter("p")):
        text = " ".join(element.text_content().split())
        if len(text) < _CHUNK_MIN:
            continue
        parent = element.getparent()
        index = found.get(_words(text))
        if index is not None:
            anchors.append((position, index))
            if parent is not None and parent.get("class"):
                kinds.add((parent.tag, parent.get("class")))
                used.add(parent)
        elif text.endswith(_SENTENCE_END) and parent is not None:
            candidates.append((position, parent, text))
    if not anchors:
        return paragraphs
    after: dict[int, list[str]] = {}
    for position, parent, text in candidates:
        if parent not in used and (parent.tag, parent.get("class")) in kinds:
            before = [index for at, index in anchors if at < position]
            after.setdefault(max(before) if before else -1, []).append(text)
    if not after:
        return paragraphs
    out = after.get(-1, [])
    for index, text in enumerate(paragraphs):
        out.append(text)
        out.extend(after.get(index, []))
    return out


def _headings(doc: Any) -> dict[str, str]:
    """The words of each heading trafilatura kept, with its level (``h1``... from the page's element)."""
    body = getattr(doc, "body", None)
    if body is None:
        return {}
    return {_words("".join(h.itertext())): h.get("rend") or "" for h in body.iter("head")}


def _strip_head(
    paragraphs: list[str], titles: set[str], description: str | None, headings: dict[str, str]
) -> list[dict[str, str]]:
    """Drop the headline repeated at the top of the body and a standfirst heading; return what went.

    trafilatura keeps the page's <h1> (and sometimes a second copy of the headline) in the text: a copy of
    the title, or an <h1> whatever its words (the on-page headline often differs from the <title>), at the
    top is the headline. The standfirst under the headline (the summary the page also gives as its
    description) comes out as a heading. A lead paragraph that says the same as the description is body
    text and stays: only a *heading* equal to the description is the standfirst.
    """
    dropped = []
    summary = _words(description)
    for index in range(min(_TITLE_REACH, len(paragraphs)) - 1, -1, -1):
        words = _words(paragraphs[index])
        if words in titles or headings.get(words) == "h1":
            dropped.append({"rule": "html.title", "text": paragraphs.pop(index)})
        elif summary and words == summary and words in headings:
            dropped.append({"rule": "html.standfirst", "text": paragraphs.pop(index)})
    return dropped[::-1]


def parse_html(
    html: str | bytes,
    *,
    url: str | None = None,
    origin: str | None = None,
    rules: Sequence[Rule] | None = None,
) -> Article:
    """Extract the article from an HTML page: body text, title, date, site name and categories.

    Bytes are parsed with trafilatura's loader so that the page's declared charset is honoured. The body is
    trafilatura's paragraphs in recall mode (see ``_EXTRACTION``) with the chunks of a split body it missed,
    less the repeated headline and the standfirst heading, after the boilerplate rules, joined by ``"\\n\\n"``; ``text`` is empty when no
    article was found, and the caller decides what to do.
    """
    # one parse serves trafilatura (which works on its own copy) and the metadata reader
    tree = parse_tree(html)
    doc = _extract(tree if tree is not None else html, url)
    if doc is None:
        return Article(text="", url=url, origin=origin)
    paragraphs = [line.strip() for line in (doc.text or "").split("\n") if line.strip()]
    if tree is not None:
        paragraphs = _recover_chunks(tree, paragraphs)
    published = None
    if doc.date:
        try:
            published = parse_date(str(doc.date), "date")
        except InvalidDate:
            published = None
    extracted_title = (doc.title or "").strip() or None
    info = PageMetadata()
    if tree is not None:
        info = read_metadata(tree, url=url, title=extracted_title, published=published)
        published = info.published
    # the page's declared headline first: trafilatura takes a lone <h1> over <title>, and that <h1> is
    # sometimes a section's name or a promotion
    title = info.title or extracted_title
    # the title is not part of the body anywhere in Tacitus
    description = info.description or getattr(doc, "description", None)
    dropped = _strip_head(paragraphs, _title_forms(title, extracted_title), description, _headings(doc))
    page = clean_paragraphs(paragraphs, title=False, rules=rules)
    categories = _categories(doc, tree) if not (page.section or info.section) else []
    # a breadcrumb line in the text (the seed's) first, then the page's marked-up breadcrumb trail, then
    # trafilatura's categories (article:section, category links), which are often tags rather than sections
    section = page.section or info.section or [p for c in categories for p in split_section(c)]
    site_name = info.site_name or (doc.sitename or "").strip() or None
    dropped.extend(page.dropped)
    return Article(
        text=page.text,
        title=title,
        published=published,
        url=doc.url or url,
        source=page.source or site_name,
        section=section,
        meta={"dropped": dropped} if dropped else {},
        origin=origin,
        authors=info.authors,
        site_name=site_name,
        language=info.language,
        language_source="declared" if info.language else None,
        canonical_url=info.canonical_url,
        modified=info.modified,
        description=info.description,
    )
