"""The schema revisions the store's migration files name, read without importing the store or Alembic.

A leaf module, outside :mod:`tacitus.store` (whose import brings SQLAlchemy), so that a command can tell
whether a SQLite store is at the newest revision without either: ``tacitus export`` reads an up-to-date
store with :mod:`sqlite3` alone (:mod:`tacitus.export.gdelt`). :mod:`tacitus.store.revisions` re-exports
these and compares them with a database's ``alembic_version``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS_DIR = Path(__file__).resolve().parent / "store" / "migrations" / "versions"

_REVISION = re.compile(r"""^revision(?:\s*:[^=]*)?=\s*["'](\w+)["']""", re.M)
_DOWN_REVISION = re.compile(r"""^down_revision(?:\s*:[^=]*)?=\s*(?:["'](\w+)["']|None)""", re.M)


@cache
def shipped_chain() -> dict[str, str | None] | None:
    """Every revision of the migration files with the one before it (``{"0012": "0011", ...}``), or None
    when a file does not read as ``revision = "..."`` and ``down_revision = ...`` (then only Alembic can
    tell)."""
    revisions: dict[str, str | None] = {}
    for path in sorted(VERSIONS_DIR.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN_REVISION.search(text)
        if revision is None or down is None:
            return None
        revisions[revision.group(1)] = down.group(1)
    return revisions


def shipped_head() -> str | None:
    """The newest revision of the migration files (``revision = "0012"``, ``down_revision = "0011"``), or
    None when they do not form one chain with one head (then only Alembic can tell)."""
    revisions = shipped_chain()
    if revisions is None:
        return None
    heads = set(revisions) - set(revisions.values())
    return heads.pop() if len(heads) == 1 else None
