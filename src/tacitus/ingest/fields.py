"""Field values shared by every reader (JSONL, HTML, feeds): publication dates.

This module sits below the readers so that ``html`` and ``jsonl`` both use it without importing each other.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from tacitus.errors import InvalidDate

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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


def parsable_url(value: str | None) -> str | None:
    """``value`` when it is a URL Python can split, else ``None`` (``https://[x`` raises in urlsplit).

    Links in feeds and target URIs in crawls are whatever the crawler or the publisher wrote; one that
    does not parse must not reach code that takes a URL apart.
    """
    if not value:
        return None
    try:
        urlsplit(value).hostname  # noqa: B018 - hostname is where a bad IPv6 literal raises
    except ValueError:
        return None
    return value
