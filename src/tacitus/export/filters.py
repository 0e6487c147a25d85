"""What ``tacitus export`` may be asked for: the tables, the filters each takes, and their checks.

No SQL here and nothing that imports SQLAlchemy or the store at import time, so that an export that needs
no query building (a whole SQLite store as GDELT events, :mod:`tacitus.export.gdelt`) starts without them;
:mod:`tacitus.export.stream` turns the checked filters into SQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from tacitus.errors import UsageError

TABLES = ("events", "mentions", "quotes", "actors", "articles", "clusters")
"""What ``tacitus export`` writes: event mentions, GDELT mentions, quotes, actors, articles, event clusters."""

_EVENT_FILTERS = frozenset({"actor", "code", "root", "type", "since", "until", "source", "text"})
APPLIES: dict[str, frozenset[str]] = {
    "events": _EVENT_FILTERS,
    "mentions": _EVENT_FILTERS,
    "clusters": _EVENT_FILTERS,
    "quotes": frozenset({"actor", "type", "since", "until", "source", "text"}),
    "actors": frozenset({"actor", "since", "until", "source", "text"}),
    "articles": frozenset({"actor", "since", "until", "source", "text"}),
}
"""The filters each table takes."""

_CODE = re.compile(r"\d{1,4}")
_ROOT = re.compile(r"\d{2}")


@dataclass(frozen=True)
class Filters:
    """What to keep. ``actor`` and ``code`` are prefixes (``RUS`` keeps ``RUSGOV``, ``04`` keeps ``041``);
    ``root`` a CAMEO root (``04``); ``type`` a PLOVER event type (events, mentions, clusters) or quote
    types, comma-separated (quotes); ``since``/``until`` inclusive ISO days; ``source`` part of an outlet's
    name (case-insensitive); ``text`` words the evidence contains (case-insensitive)."""

    actor: str | None = None
    code: str | None = None
    root: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    source: str | None = None
    text: str | None = None

    def given(self) -> list[str]:
        """The names of the filters that are set."""
        return [name for name, value in vars(self).items() if value not in (None, "")]


def check_filters(what: str, filters: Filters) -> Filters:
    """Return ``filters`` checked for table ``what``, normalised (codes upper-case, types split), or raise.

    Raises :class:`~tacitus.errors.UsageError` for an unknown table, a filter that does not apply to it, a
    code or root that is not digits, an unknown PLOVER or quote type; :class:`~tacitus.errors.InvalidDate`
    for a date that is not ``YYYY-MM-DD``. Each message names the option and what to write instead.
    """
    if what not in TABLES:
        raise UsageError(f"unknown table {what!r}: choose among {', '.join(TABLES)}")
    given = filters.given()
    if not given:
        return filters
    for name in given:
        if name not in APPLIES[what]:
            takes = ", ".join(t for t in TABLES if name in APPLIES[t])
            raise UsageError(f"--{name} does not filter {what}; it applies to {takes}")
    from tacitus.store.queries import check_day

    changes: dict[str, Any] = {
        "since": check_day(filters.since, "--since"),
        "until": check_day(filters.until, "--until"),
    }
    if filters.code is not None:
        code = filters.code.strip()
        if not _CODE.fullmatch(code):
            raise UsageError(
                f"--code {filters.code!r} is not a CAMEO event code or prefix: write 1 to 4 digits, e.g. 04 or 0411"
            )
        changes["code"] = code
    if filters.root is not None:
        root = filters.root.strip()
        if not _ROOT.fullmatch(root) or not 1 <= int(root) <= 20:
            raise UsageError(f"--root {filters.root!r} is not a CAMEO root: write two digits from 01 to 20")
        changes["root"] = root
    if filters.type is not None:
        changes["type"] = _check_type(what, filters.type)
    if filters.actor is not None:
        changes["actor"] = filters.actor.strip().upper() or None
    return replace(filters, **changes)


def plover_types() -> list[str]:
    """The PLOVER event types of the CAMEO table, sorted."""
    from tacitus.ontology import cameo_codes

    return sorted({c.plover for c in cameo_codes().values() if c.plover})


def _check_type(what: str, value: str) -> str:
    if what == "quotes":
        from tacitus.model import check_quote_types

        try:
            return ",".join(sorted(check_quote_types(value.split(","))))
        except UsageError as exc:
            raise UsageError(f"--type: {exc}") from None
    kind = value.strip().upper()
    valid = plover_types()
    if kind not in valid:
        raise UsageError(f"--type {value!r} is not a PLOVER event type: choose among {', '.join(valid)}")
    return kind


def codes_of_type(kind: str) -> list[str]:
    """Every CAMEO code whose PLOVER event type is ``kind``."""
    from tacitus.ontology import cameo_codes

    return sorted(code for code, entry in cameo_codes().items() if entry.plover == kind)
