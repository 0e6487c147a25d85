"""JSONL inputs (``.jsonl``, ``.jsonl.gz``, ``.ndjson``): one article object a line.

Fields: ``id``, ``text`` or ``html``, ``title``, ``published`` (or ``date`` when ``published`` is absent),
``url``, ``source``, ``section`` (a list or an "a / b" string); every other field goes to ``Article.meta``.
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
from datetime import date, datetime
from pathlib import Path
from typing import Any

from tacitus.errors import InvalidDate, InvalidRecordLine
from tacitus.ingest.boilerplate import Rule, split_section
from tacitus.model import Article

KNOWN_FIELDS = ("id", "text", "html", "title", "published", "date", "url", "source", "section")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "true/false", type(None): "null"}

OnSkip = Callable[[str, str], None]


def parse_date(value: Any, what: str) -> str:
    """Return the ISO date (``YYYY-MM-DD``) of a date or ISO datetime string, or raise :class:`InvalidDate`.

    ``"2017-12-15"`` and ``"2017-12-15T10:20:00Z"`` (or with a space, or an offset) both give
    ``"2017-12-15"``: the record keeps the day, which is what event dating needs. Anything else, including
    impossible days such as 2017-02-30, raises with a message that starts with ``what`` and says how to fix it.
    """
    text = value.strip() if isinstance(value, str) else None
    m = _ISO_DATE.match(text) if text else None
    try:
        if text is None or m is None:
            raise ValueError(text)
        if len(text) == 10:
            date.fromisoformat(text)
        elif text[10] in "T ":
            datetime.fromisoformat(text)
        else:
            raise ValueError(text)
    except ValueError:
        raise InvalidDate(
            f"{what} {value!r} is not an ISO date; write it as YYYY-MM-DD, e.g. 2017-12-15"
        ) from None
    return m.group(0)


def _type_name(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "a number")


def _optional_str(obj: dict[str, Any], key: str, origin: str) -> str | None:
    value = obj.get(key)
    if value is None or isinstance(value, str):
        return value
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
    meta = {k: v for k, v in obj.items() if k not in KNOWN_FIELDS}
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
        )
    from tacitus.ingest.html import parse_html

    page = parse_html(html, url=url, origin=origin, rules=rules)
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
    )


def open_lines(path: Path) -> Iterator[bytes]:
    """Yield the raw lines of a JSONL file, gunzipping ``.gz`` files on the fly (open errors propagate)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rb") as handle:
        yield from handle


def parse_jsonl(
    lines: Iterable[str | bytes],
    *,
    name: str,
    stem: str,
    on_skip: OnSkip,
    rules: Sequence[Rule] | None = None,
) -> Iterator[Article]:
    """Yield an Article for every good line of a JSONL stream; report every bad one through ``on_skip``.

    ``name`` is the path (or ``<stdin>``) used in origins and messages (``name:line``); a missing id becomes
    ``f"{stem}-{line}"``. Blank lines are skipped silently. A line that is not UTF-8, not JSON, not an object,
    or not an article (see :func:`article_from_object`) is reported as ``on_skip(origin, reason)`` and the
    next line is read. A stream that breaks part-way (a truncated ``.gz``) is reported once and ends the file.
    """
    iterator = iter(lines)
    lineno = 0
    while True:
        try:
            raw = next(iterator)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error, UnicodeDecodeError) as exc:
            if lineno == 0:
                # Opening happens on the first read: a missing file, a permission, a .gz that is not gzip.
                why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                on_skip(
                    name,
                    f"{name}: cannot read ({why}); check the file, its permissions, and that a .gz is gzip",
                )
                return
            on_skip(
                name,
                f"{name}: stopped reading after line {lineno} ({exc}); the file is truncated or damaged,"
                " re-create it and run again",
            )
            return
        lineno += 1
        origin = f"{name}:{lineno}"
        if isinstance(raw, bytes):
            try:
                line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                bad = f"byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"
                on_skip(
                    origin,
                    f"{origin}: not UTF-8 ({bad}) — JSONL must be UTF-8; re-encode the file or remove the line",
                )
                continue
        else:
            line = raw.lstrip("\ufeff") if lineno == 1 else raw
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            on_skip(
                origin,
                f"{origin}: invalid JSON ({exc.msg} at column {exc.colno}) — fix the line or remove it",
            )
            continue
        if not isinstance(obj, dict):
            on_skip(
                origin,
                f"{origin}: expected a JSON object, found {_type_name(obj)} — put one article object on each line",
            )
            continue
        try:
            yield article_from_object(obj, origin=origin, default_id=f"{stem}-{lineno}", rules=rules)
        except (InvalidRecordLine, InvalidDate) as exc:
            on_skip(origin, str(exc))
