"""Alembic environment for the Tacitus store.

``tacitus.store.open_store`` runs the migrations in code and hands its own connection over through
``config.attributes["connection"]``, so the upgrade happens inside the transaction (and, on SQLite, the
write lock) that the store opened. Developers can also run ``alembic`` by hand with
``-x url=sqlite:///path.db`` (or ``sqlalchemy.url`` in an ini file), e.g. to draft the next migration
with ``alembic revision --autogenerate`` against ``tacitus.store.schema.metadata``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from tacitus.store.schema import metadata

config = context.config


def _url() -> str:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("no database: pass -x url=sqlite:///path.db or set sqlalchemy.url")
    return url


def _configure(connection: sa.Connection) -> None:
    # Batch mode lets later migrations ALTER tables on SQLite (copy-and-move); it is a no-op elsewhere.
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)


def run_migrations_offline() -> None:
    """Emit the migration SQL to stdout (``alembic upgrade head --sql``) for a DBA to review and run."""
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run the migrations on the store's connection, or on a fresh engine when run from the CLI."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = sa.create_engine(_url(), poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
