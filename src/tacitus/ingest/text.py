"""Plain-text pages (``.txt``): decoding the bytes, then title, section, body and source from the text.

A text page is what a scraper saved: usually a title on the first line, paragraphs separated by blank lines,
and the site's furniture around them. :func:`parse_text_page` splits it and applies the boilerplate rules of
:mod:`tacitus.ingest.boilerplate`; the body it returns is the cleaned paragraphs joined by ``"\\n\\n"``, and
downstream offsets index that string.
"""

from __future__ import annotations

from collections.abc import Sequence

from tacitus.errors import UnreadableInput
from tacitus.ingest.boilerplate import Rule, clean_paragraphs, split_paragraphs
from tacitus.model import Article


def decode_bytes(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode a text file's bytes; return the text and a warning when a fallback encoding was used.

    UTF-8 is tried first (a byte-order mark is dropped), and UTF-16 when the file starts with its mark. Bytes
    that are not UTF-8 are read as Windows-1252, the encoding browsers use for pages labelled Latin-1 and the
    one older Windows scrapers write; it still rejects its five undefined bytes, so it does not "decode"
    arbitrary binary data. The warning names the first bad byte so the user can check the accents. NUL bytes
    mean a binary file and raise :class:`UnreadableInput`, as do bytes neither encoding accepts.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise UnreadableInput(
                f"{name}: broken UTF-16 text ({exc.reason}); re-save the file as UTF-8"
            ) from exc
    if b"\x00" in data:
        raise UnreadableInput(
            f"{name}: looks like a binary file (it has NUL bytes); pass text, JSONL or HTML"
        )
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        bad = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise UnreadableInput(
            f"{name}: neither UTF-8 nor Windows-1252 text ({bad}); convert it, e.g. iconv -f <encoding> -t utf-8"
        ) from exc
    return (
        text,
        f"{name}: not UTF-8 ({bad}); read as Windows-1252, check accented letters or re-save as UTF-8",
    )


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
