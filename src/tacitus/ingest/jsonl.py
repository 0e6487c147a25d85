"""JSONL inputs (``.jsonl``, ``.jsonl.gz``, ``.ndjson``): one article object a line.

Fields: ``id``, ``text`` or ``html``, ``title``, ``published`` (or ``date`` when ``published`` is absent),
``url``, ``source``, ``section`` (a list or an "a / b" string), and the page metadata ``authors``,
``site_name``, ``language``, ``canonical_url``, ``modified``, ``description``; every other field goes to
``Article.meta`` (``crawled`` among them, which the record reports).
A ``text`` is kept exactly as given, because outside scorers hold offsets into it; an ``html`` page (used
only when there is no ``text``) is extracted like an HTML file. A bad line is skipped and reported with its
line number through ``on_skip``; the lines around it are read as usual.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from tacitus.errors import InvalidDate, InvalidRecordLine, UnreadableInput
from tacitus.ingest.boilerplate import Rule, split_section
from tacitus.ingest.bylines import split_names
from tacitus.ingest.decode import GZIP_MAGIC, decode_line, format_size
from tacitus.ingest.fields import parsable_url, parse_date
from tacitus.ingest.html import parse_html
from tacitus.ingest.metadata import language_tag
from tacitus.model import Article

KNOWN_FIELDS = ("id", "text", "html", "title", "published", "date", "url", "source", "section")
# Page metadata a line may carry (news APIs and crawls export them); they go into the record as they are.
METADATA_FIELDS = ("authors", "site_name", "language", "canonical_url", "modified", "description")
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}

OnSkip = Callable[[str, str], None]


def _scrub(value: Any) -> tuple[Any, int]:
    """Replace lone surrogates (JSON may escape half a character, "\\ud800") in every string of a value.

    No UTF-8 output or database can hold them; one code point for one keeps every offset valid.
    """
    if isinstance(value, str):
        return _SURROGATE.subn("\ufffd", value)
    if isinstance(value, list):
        items = [_scrub(v) for v in value]
        return [v for v, _ in items], sum(n for _, n in items)
    if isinstance(value, dict):
        pairs = {_scrub(k)[0]: _scrub(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, sum(n for _, n in pairs.values())
    return value, 0


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "a number")


def _no_nul(value: str, key: str, origin: str) -> str:
    # JSON can write "\u0000"; no store keeps it (PostgreSQL refuses it in text), and no article holds one
    if "\x00" in value:
        raise InvalidRecordLine(
            f"{origin}: {key!r} holds a NUL character (binary data?) — remove it or the line"
        )
    return value


def _optional_str(obj: dict[str, Any], key: str, origin: str) -> str | None:
    value = obj.get(key)
    if value is None:
        return value
    if isinstance(value, str):
        return _no_nul(value, key, origin)
    raise InvalidRecordLine(
        f"{origin}: {key!r} must be a string, found {_type_name(value)} — fix the line or remove it"
    )


def _section(value: Any, origin: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return split_section(value.replace("/", " / "))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise InvalidRecordLine(
        f"{origin}: 'section' must be a list of strings or an \"a / b\" string, found {_type_name(value)}"
        " — fix the line or remove the field"
    )


def _metadata(obj: dict[str, Any], origin: str) -> dict[str, Any]:
    """The page-metadata fields of a line, checked: ``authors`` a list of names or one string ("A, B"),
    ``language`` a language tag (``en``, ``en-US``), ``modified`` an ISO date, the others strings."""
    authors = obj.get("authors")
    if isinstance(authors, str):
        authors = split_names(authors)
    elif authors is None:
        authors = []
    elif not (isinstance(authors, list) and all(isinstance(a, str) for a in authors)):
        raise InvalidRecordLine(
            f"{origin}: 'authors' must be a list of names or a string, found {_type_name(authors)} — fix the "
            "line or remove the field"
        )
    language = language_tag(_optional_str(obj, "language", origin))
    modified = None
    if obj.get("modified") is not None:
        try:
            modified = parse_date(obj["modified"], f"{origin}: modified")
        except InvalidDate as exc:
            raise InvalidDate(f"{exc}, or remove the field") from None
    return {
        "authors": [a.strip() for a in authors if a.strip()],
        "site_name": _optional_str(obj, "site_name", origin),
        "language": language,
        "language_source": "declared" if language else None,
        "canonical_url": _optional_str(obj, "canonical_url", origin),
        "modified": modified,
        "description": _optional_str(obj, "description", origin),
    }


def article_from_object(
    obj: dict[str, Any], *, origin: str, default_id: str, rules: Sequence[Rule] | None = None
) -> Article:
    """Build an Article from one JSONL object, or raise :class:`InvalidRecordLine` / :class:`InvalidDate`.

    ``text`` is used unchanged and ``id`` is echoed as a string (``default_id`` when missing). Without a
    ``text``, an ``html`` field is extracted with trafilatura and the object's own title, date, source and
    section win over what the page says. Fields Tacitus does not know are kept in ``meta``.
    """
    text = obj.get("text")
    html = obj.get("html")
    if text is not None and not isinstance(text, str):
        raise InvalidRecordLine(
            f"{origin}: 'text' must be a string, found {_type_name(text)} — fix the line or remove it"
        )
    if text is not None and not text.strip():
        raise InvalidRecordLine(f"{origin}: 'text' is empty — add the article text or remove the line")
    if text is not None:
        _no_nul(text, "text", origin)
    if text is None and not isinstance(html, str):
        raise InvalidRecordLine(
            f"{origin}: no 'text' or 'html' field — add the article text or remove the line"
        )
    raw_id = obj.get("id")
    if isinstance(raw_id, dict | list):
        raise InvalidRecordLine(f"{origin}: 'id' must be a string or a number — fix the line or remove it")
    article_id = default_id if raw_id is None or raw_id == "" else str(raw_id)
    title = _optional_str(obj, "title", origin)
    url = _optional_str(obj, "url", origin)
    source = _optional_str(obj, "source", origin)
    section = _section(obj.get("section"), origin)
    date_key = "published" if obj.get("published") is not None else "date"
    published = None
    if obj.get(date_key) is not None:
        try:
            published = parse_date(obj[date_key], f"{origin}: {date_key}")
        except InvalidDate as exc:
            raise InvalidDate(f"{exc}, or remove the field") from None
    meta = {k: v for k, v in obj.items() if k not in KNOWN_FIELDS and k not in METADATA_FIELDS}
    fields = _metadata(obj, origin)
    if date_key == "published" and "date" in obj:
        # Only one of the two is the publication date; keep the other, it may mean something else.
        meta["date"] = obj["date"]
    if text is not None:
        return Article(
            text=text,
            id=article_id,
            title=title,
            published=published,
            url=url,
            source=source,
            section=section,
            meta=meta,
            origin=origin,
            text_given=True,
            **fields,
        )
    page = parse_html(html, url=parsable_url(url), origin=origin, rules=rules)
    if not page.text:
        raise InvalidRecordLine(
            f"{origin}: no article text found in the 'html' field — add a 'text' field or remove the line"
        )
    meta.update(page.meta)
    return Article(
        text=page.text,
        id=article_id,
        title=title if title is not None else page.title,
        published=published if published is not None else page.published,
        url=url if url is not None else page.url,
        source=source if source is not None else page.source,
        section=section or page.section,
        meta=meta,
        origin=origin,
        # the line's own metadata wins over what the page says, field by field
        **{k: v if v else getattr(page, k) for k, v in fields.items() if k != "language_source"},
        language_source=fields["language_source"] or page.language_source,
    )


def capped_lines(stream: IO[bytes], max_bytes: int | None) -> Iterator[bytes]:
    """Yield the lines of a binary stream; a line over ``max_bytes`` is cut to ``max_bytes + 1`` bytes.

    The rest of an overlong line is read and dropped in blocks, so a file that is one 5 GB "line" (a dump,
    a binary file) costs constant memory; :func:`parse_jsonl` sees the length and skips the line.
    """
    if max_bytes is None:
        yield from stream
        return
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
        yield line


def open_lines(path: Path, max_bytes: int | None = None) -> Iterator[bytes]:
    """Yield the raw lines of a JSONL file, gunzipping gzip data on the fly (open errors propagate).

    gzip is recognised by its magic bytes, so a gzipped file without ``.gz`` in its name reads too; lines
    over ``max_bytes`` are cut as :func:`capped_lines` explains.
    """
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == GZIP_MAGIC
        handle.seek(0)
        if not gzipped:
            yield from capped_lines(handle, max_bytes)
            return
        with gzip.GzipFile(fileobj=handle) as inflated:
            yield from capped_lines(inflated, max_bytes)


def parse_jsonl(
    lines: Iterable[str | bytes],
    *,
    name: str,
    stem: str,
    on_skip: OnSkip,
    rules: Sequence[Rule] | None = None,
    encoding: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[Article]:
    """Yield an Article for every good line of a JSONL stream; report every bad one through ``on_skip``.

        ``name`` is the path (or ``<stdin>``) used in origins and messages (``name:line``); a missing id becomes
    ``f"{stem}-{line}"``. Blank lines are skipped silently; a stream with nothing but blank lines is reported
    as empty. Byte lines are UTF-8 unless ``encoding`` declares another. A line longer than ``max_bytes``,
    one that does not decode, is not JSON, not an object, or not an article (see
    :func:`article_from_object`) is reported as ``on_skip(origin, reason)`` and the next line is read. A
    stream that breaks part-way (a truncated ``.gz``) is reported once and ends the file: the lines before
    the break are kept.
    """
    iterator = iter(lines)
    lineno = 0
    told = 0  # lines read into an article or skipped with a reason: none at the end means an empty input

    def skip(origin: str, reason: str) -> None:
        nonlocal told
        told += 1
        on_skip(origin, reason)

    while True:
        try:
            raw = next(iterator)
        except StopIteration:
            if not told:
                skip(name, f"{name}: empty (no JSON lines); check that it is the file you meant")
            return
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            if lineno == 0:
                # Opening happens on the first read: a missing file, a permission, a .gz that is not gzip.
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                skip(
                    name,
                    f"{name}: cannot read ({why}); check the file, its permissions, and that a .gz is gzip",
                )
                return
            skip(
                name,
                f"{name}: stopped reading after line {lineno} ({exc}); the file is truncated or damaged,"
                " re-create it and run again",
            )
            return
        lineno += 1
        origin = f"{name}:{lineno}"
        if max_bytes is not None and len(raw) > max_bytes:
            skip(
                origin,
                f"{origin}: the line is longer than {format_size(max_bytes)} (--max-bytes); it is not one "
                "article: split it, or raise --max-bytes",
            )
            continue
        if isinstance(raw, bytes):
            try:
                line = decode_line(raw, origin, encoding, first=lineno == 1)
            except UnreadableInput as exc:
                skip(origin, str(exc))
                continue
        else:
            line = raw.lstrip("\ufeff") if lineno == 1 else raw
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            skip(
                origin,
                f"{origin}: invalid JSON ({exc.msg} at column {exc.colno}) — fix the line or remove it",
            )
            continue
        if not isinstance(obj, dict):
            skip(
                origin,
                f"{origin}: expected a JSON object, found {_type_name(obj)} — put one article object on each line",
            )
            continue
        # lone surrogates can only come from \uD8xx-style escapes: skip the walk when the line has none
        obj, fixed = _scrub(obj) if "\\ud" in line.lower() else (obj, 0)
        try:
            article = article_from_object(obj, origin=origin, default_id=f"{stem}-{lineno}", rules=rules)
        except (InvalidRecordLine, InvalidDate) as exc:
            skip(origin, str(exc))
            continue
        if fixed:
            article.warnings.append(f"{origin}: {fixed} lone surrogate escape(s) replaced by U+FFFD")
        told += 1
        yield article
