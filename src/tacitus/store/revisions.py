"""The schema revision a store is at and the newest one this Tacitus ships, read without importing Alembic.

Every command opens its store through :func:`tacitus.store.open_store`, which migrates a store that is
behind. Asking Alembic whether there is anything to do imports it (with Mako): a quarter of a CPU second,
as much as a GDELT export of 20,000 events spends on its rows. The answer is in two places Alembic itself
reads: the ``revision``/``down_revision`` lines of the migration files, and the ``alembic_version`` table.
When the files do not read as one chain, :func:`shipped_head` says so (None) and the caller asks Alembic.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import sqlalchemy as sa

VERSIONS_DIR = Path(__file__).resolve().parent / "migrations" / "versions"

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


def current_revisions(connection: sa.Connection) -> set[str]:
    """The revisions in the store's ``alembic_version`` table (what Alembic's
    ``MigrationContext.get_current_heads`` reads); empty for a database without one."""
    if not sa.inspect(connection).has_table("alembic_version"):
        return set()
    return set(connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars())


def up_to_date(engine: sa.Engine) -> bool:
    """True when the store is at the shipped head; False when it is not or the files cannot tell."""
    head = shipped_head()
    if head is None:
        return False
    with engine.connect() as connection:
        return current_revisions(connection) == {head}
