"""The schema revision check that spares opening an up-to-date store the import of Alembic."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from tacitus.store import head_revision, open_store, revisions


def test_the_files_name_the_head_alembic_names():
    assert revisions.shipped_head() == head_revision()


def test_up_to_date_only_at_the_head(tmp_path: Path):
    empty = sa.create_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    assert revisions.up_to_date(empty) is False  # no alembic_version table: to be created
    db = tmp_path / "store.db"
    open_store(db).close()
    engine = sa.create_engine(f"sqlite:///{db}")
    assert revisions.up_to_date(engine) is True
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0011'")
    assert revisions.up_to_date(engine) is False


def test_a_store_behind_is_still_migrated(tmp_path: Path):
    db = tmp_path / "store.db"
    open_store(db).close()
    with sqlite3.connect(db) as connection:
        connection.execute("ALTER TABLE events DROP COLUMN repeated")  # revision 0018's
        connection.execute("ALTER TABLE events DROP COLUMN period")  # revision 0017's
        for table, column in (("events", "cluster_via"), ("events", "cluster_score"), ("events", "cluster_basis"),
                              ("quotes", "cluster_via"), ("quotes", "cluster_score")):  # revision 0015's  # fmt: skip
            connection.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        # revision 0016 dropped an index of 0011's
        connection.execute(
            "CREATE INDEX ix_event_clusters_quad_days ON event_clusters (quad_class, last_day)"
        )
        for column in ("in_lead", "source_place_pk", "target_place_pk", "place_pk"):  # revision 0013's
            connection.execute(f"ALTER TABLE events DROP COLUMN {column}")
        connection.execute("DROP INDEX ix_actors_article_actor")  # revision 0014's
        connection.execute("DROP INDEX ix_places_article_name")  # a store at revision 0011
        connection.execute("DROP INDEX ix_places_article_country")
        connection.execute("UPDATE alembic_version SET version_num = '0011'")
    open_store(db).close()
    with sqlite3.connect(db) as connection:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert version == head_revision() and "ix_places_article_name" in names
    assert "ix_event_clusters_quad_days" not in names


def test_opening_an_up_to_date_store_does_not_import_alembic(tmp_path: Path):
    db = tmp_path / "store.db"
    open_store(db).close()
    code = (
        "import sys; from tacitus.store import open_store; "
        f"open_store({str(db)!r}).close(); print('alembic' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
