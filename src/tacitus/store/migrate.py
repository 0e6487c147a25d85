"""The store's schema migrations: the Alembic scripts in ``migrations/`` and bringing a database to them.

Alembic is imported only where a schema is checked or migrated: importing it (with Mako) costs a few
tenths of a second, which ``tacitus serve`` (it never migrates) and every read-only command would pay.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from tacitus.errors import StoreUnavailable
from tacitus.store.connect import WRITE

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# An arbitrary constant key for pg_advisory_xact_lock: two processes opening an empty PostgreSQL database
# at once must not both create the tables.
_PG_MIGRATION_LOCK = 0x7461_6369_7475_73


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    # ConfigParser interpolation would read a "%" in the install path as a placeholder.
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


def head_revision() -> str:
    """Return the Alembic revision id of the newest schema this version of Tacitus ships.

    A database opened with :func:`open_store` is at this revision afterwards; tests and diagnostics
    (``tacitus doctor``) compare it with the database's ``alembic_version``.
    """
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the store ships at least one migration"
    return head


def migrate(engine: sa.Engine) -> None:
    """Bring the database to the newest revision; do nothing (and take no write lock) if it is there."""
    from tacitus.store.revisions import up_to_date

    if up_to_date(engine):  # known without importing Alembic (tacitus.store.revisions)
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    heads = set(script.get_heads())
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current == heads:
        return
    known = {rev.revision for rev in script.walk_revisions()}
    unknown = current - known
    if unknown:
        raise StoreUnavailable(
            f"schema revision {', '.join(sorted(unknown))} is newer than this Tacitus knows; "
            "upgrade tacitus (pip install -U tacitus) or choose another --db path"
        )
    with engine.connect() as connection:
        connection.execution_options(**{WRITE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
