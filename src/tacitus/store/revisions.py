"""The schema revision a store is at and the newest one this Tacitus ships, read without importing Alembic.

Every command opens its store through :func:`tacitus.store.open_store`, which migrates a store that is
behind. Asking Alembic whether there is anything to do imports it (with Mako): a quarter of a CPU second,
as much as a GDELT export of 20,000 events spends on its rows. The answer is in two places Alembic itself
reads: the ``revision``/``down_revision`` lines of the migration files, and the ``alembic_version`` table.
When the files do not read as one chain, :func:`shipped_head` says so (None) and the caller asks Alembic.
"""

from __future__ import annotations

import sqlalchemy as sa

from tacitus.schema_revisions import VERSIONS_DIR, shipped_chain, shipped_head

__all__ = ["VERSIONS_DIR", "current_revisions", "shipped_chain", "shipped_head", "up_to_date"]


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
