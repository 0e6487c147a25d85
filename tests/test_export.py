"""tacitus export: CSV, JSON lines and Parquet for every table, filters, streaming in chunks, and errors.

The store is the bundled samples (14 articles with their dates and outlets) plus a wire copy of one of them
printed by a second outlet, analysed once for the whole session (:func:`sample_store`, also used by
test_export_gdelt.py and test_export_polecat.py). Expected values were read off the sample texts by hand.
"""

from __future__ import annotations

import atexit
import csv
import dataclasses
import io
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import pg_scratch
from tacitus.cli import app
from tacitus.errors import InvalidDate, StoreUnavailable, UsageError
from tacitus.export import Filters, export, stream, tables

runner = CliRunner()

WIRE_SOURCE = "Prairie Courier"
WIRE_URL = "https://www.prairie-courier.example/world/mexico-canada-talks"


@cache
def sample_store() -> Path:
    """The samples and one wire copy (sample-jsonl-01 again, from another outlet), stored once per session."""
    from tacitus import jobs

    folder = Path(tempfile.mkdtemp(prefix="tacitus-export-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    db = folder / "samples.db"
    articles = jobs.sample_articles()
    original = next(a for a in articles if a.id == "sample-jsonl-01")
    copy = dataclasses.replace(
        original, id="wire-copy-01", source=WIRE_SOURCE, url=WIRE_URL, origin="test:wire"
    )
    report = jobs.process([], db, articles=[*articles, copy])
    assert report.stored.get("inserted") == 14 and report.duplicates == 1, report.stored
    return db


@pytest.fixture(scope="module")
def db() -> Path:
    return sample_store()


def _sql(db: Path, query: str, *args) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(query, args).fetchall()


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _export_text(db: Path, what: str, fmt: str, **filters) -> str:
    out = io.StringIO()
    export(db, what, fmt, filters=Filters(**filters), stdout=out)
    return out.getvalue()


# -- CSV and JSON lines --------------------------------------------------------------------------------


@pytest.mark.parametrize("what", stream.TABLES)
def test_csv_and_jsonl_have_the_documented_columns_and_every_row(db, what):
    expected = {
        "events": "SELECT count(*) FROM events",
        "quotes": "SELECT count(*) FROM quotes",
        "actors": "SELECT count(*) FROM (SELECT DISTINCT name, code FROM actors)",
        "articles": "SELECT count(*) FROM articles",
        "clusters": "SELECT count(*) FROM event_clusters",
        # one mention per (cluster, article, publication)
        "mentions": "SELECT count(*) FROM (SELECT DISTINCT e.cluster_pk, p.pk FROM events e "
        "JOIN publications p ON p.article_pk = e.article_pk WHERE e.cluster_pk IS NOT NULL)",
    }[what]
    (n,) = _sql(db, expected)[0]
    assert n > 0
    rows = _csv_rows(_export_text(db, what, "csv"))
    assert list(rows[0]) == tables.columns(what)
    assert len(rows) == n
    lines = [json.loads(line) for line in _export_text(db, what, "jsonl").splitlines()]
    assert len(lines) == n and list(lines[0]) == tables.columns(what)


def test_events_csv_has_the_listing_columns_then_ids(db):
    from tacitus.store.queries import column_names

    assert tables.columns("events")[: len(column_names("events"))] == column_names("events")
    assert tables.columns("events")[-4:] == ["event_pk", "cluster_id", "article_pk", "language"]


def test_an_event_row_reads_as_the_sample_says(db):
    rows = _csv_rows(_export_text(db, "events", "csv", actor="MEXGOV", code="042"))
    assert len(rows) == 1
    row = rows[0]
    # "Foreign Minister Sofía Aranda of Mexico visited Ottawa on Wednesday" (published Thursday 2024-04-25)
    assert (row["source_name"], row["code"], row["plover"], row["target_code"]) == (
        "Sofía Aranda", "042", "CONSULT", "CANGOV",
    )  # fmt: skip
    assert (row["date"], row["date_from"], row["place"], row["trigger"]) == (
        "2024-04-24",
        "event",
        "Ottawa",
        "visited",
    )
    assert row["outlet"] == "Northern Ledger" and row["sources"] == "2" and row["publications"] == "2"
    assert row["negated"] == "False" and row["cluster_id"]


def test_article_lists_are_json_in_csv_and_arrays_in_jsonl(db):
    first_csv = _csv_rows(_export_text(db, "articles", "csv"))[0]
    first_json = json.loads(_export_text(db, "articles", "jsonl").splitlines()[0])
    assert first_csv["article_id"] == "01-nairobi-fuel-levy-protest"
    assert json.loads(first_csv["section"]) == first_json["section"] == ["World", "Africa", "Kenya"]
    assert first_json["published_day"] == "2024-03-12" and first_json["source"] == "Meridian News"


# -- Parquet -------------------------------------------------------------------------------------------


def test_parquet_file_has_the_documented_schema(db, tmp_path):
    out = tmp_path / "events.parquet"
    result = export(db, "events", "parquet", out)
    table = pq.read_table(out)
    assert table.schema.equals(tables.schema("events"))
    assert table.num_rows == result.rows == _sql(db, "SELECT count(*) FROM events")[0][0]
    assert str(table.schema.field("date").type) == "date32[day]"
    assert str(table.schema.field("goldstein").type) == "double"
    assert str(table.schema.field("negated").type) == "bool"
    visit = [r for r in table.to_pylist() if r["trigger"] == "visited"]
    assert len(visit) == 1 and str(visit[0]["date"]) == "2024-04-24" and visit[0]["place_lat"] > 45


def test_parquet_dataset_is_partitioned_by_month_and_reads_in_duckdb_and_pyarrow(db, tmp_path):
    import duckdb
    import pyarrow.dataset as ds

    folder = tmp_path / "events"
    folder.mkdir()
    result = export(db, "events", "parquet", folder)
    months = sorted(p.name for p in folder.iterdir())
    expected = sorted(
        f"month={day[:7]}" if day else "month=__HIVE_DEFAULT_PARTITION__"
        for (day,) in _sql(db, "SELECT DISTINCT day FROM events")
    )
    assert months == sorted(set(expected))
    assert (folder / "month=2024-04" / "part-0.parquet").exists()
    dataset = ds.dataset(folder, format="parquet", partitioning="hive")
    assert dataset.count_rows() == result.rows
    april = dataset.to_table(filter=ds.field("month") == "2024-04")
    (n_april,) = _sql(db, "SELECT count(*) FROM events WHERE day LIKE '2024-04-%'")[0]
    assert april.num_rows == n_april > 0
    con = duckdb.connect()
    total, distinct_months = con.execute(
        f"SELECT count(*), count(DISTINCT month) FROM read_parquet('{folder}/**/*.parquet', hive_partitioning=true)"
    ).fetchone()
    assert total == result.rows and distinct_months == len(set(expected))
    described = con.execute(
        f"DESCRIBE SELECT * FROM read_parquet('{folder}/**/*.parquet', hive_partitioning=true)"
    )
    types = {row[0]: row[1] for row in described.fetchall()}
    assert types["date"] == "DATE" and types["goldstein"] == "DOUBLE" and types["event_pk"] == "BIGINT"
    assert types["negated"] == "BOOLEAN" and types["code"] == "VARCHAR"


def test_parquet_dataset_refuses_a_folder_that_is_not_empty(db, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "old.parquet").write_bytes(b"x")
    with pytest.raises(UsageError, match="not empty"):
        export(db, "quotes", "parquet", folder)


def test_actors_dataset_has_no_month_partition(db, tmp_path):
    folder = tmp_path / "actors"  # no suffix: a folder, created
    export(db, "actors", "parquet", folder)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.parquet"))
    assert files == ["part-0.parquet"]


# -- filters -------------------------------------------------------------------------------------------


def test_filters_keep_what_they_say(db):
    def events(**f) -> list[dict[str, str]]:
        return _csv_rows(_export_text(db, "events", "csv", **f))

    mex = events(actor="mex")
    assert mex and all("MEX" in (r["source_code"][:3], r["target_code"][:3]) for r in mex)
    assert (
        len(mex)
        == _sql(db, "SELECT count(*) FROM events WHERE source_code LIKE 'MEX%' OR target_code LIKE 'MEX%'")[
            0
        ][0]
    )
    assert {r["code"][:2] for r in events(code="04")} == {"04"}
    assert {r["root"] for r in events(root="17")} == {"17"}
    consult = events(type="consult")
    assert consult and {r["plover"] for r in consult} == {"CONSULT"}
    april = events(since="2024-04-01", until="2024-04-30")
    assert april and all("2024-04-01" <= r["date"] <= "2024-04-30" for r in april)
    # the wire copy's outlet printed only sample-jsonl-01
    assert {r["article_id"] for r in events(source="prairie")} == {"sample-jsonl-01"}
    visas = events(text="VISA")
    assert visas and all("visa" in r["sentence"].lower() for r in visas)


def test_quote_actor_and_text_filters(db):
    rows = _csv_rows(_export_text(db, "quotes", "csv", text="seasonal agricultural"))
    assert rows == [] or all("seasonal agricultural" in r["content"].lower() for r in rows)
    proud = _csv_rows(_export_text(db, "quotes", "csv", text="proud of that partnership"))
    assert len(proud) == 1 and proud[0]["speaker_code"] == "MEXGOV"
    assert _csv_rows(_export_text(db, "quotes", "csv", actor="CANGOV", type="speech"))


def test_article_filters(db):
    rows = _csv_rows(_export_text(db, "articles", "csv", source="prairie"))
    assert [r["article_id"] for r in rows] == ["sample-jsonl-01"]
    assert rows[0]["sources"] == "2"
    peru = _csv_rows(_export_text(db, "articles", "csv", actor="PER"))
    assert [r["article_id"] for r in peru] == ["07-peru-official-arrest"]


# -- streaming -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("what", ["events", "mentions", "quotes"])
def test_tiny_chunks_give_the_same_rows(db, what, monkeypatch):
    whole = _export_text(db, what, "jsonl")
    monkeypatch.setattr(stream, "CHUNK", 3)
    seen: list[int] = []
    original = stream.chunks

    def spy(connection, statement, size=None):
        for chunk in original(connection, statement, 3):
            seen.append(len(chunk))
            yield chunk

    monkeypatch.setattr(stream, "chunks", spy)
    assert _export_text(db, what, "jsonl") == whole
    assert max(seen) == 3 and len(seen) > 3  # really read a few rows at a time


# -- errors --------------------------------------------------------------------------------------------


def test_library_errors_name_the_input(db, tmp_path):
    with pytest.raises(StoreUnavailable, match="no such database"):
        export(tmp_path / "missing.db", "events", "csv")
    with pytest.raises(UsageError, match="unknown format 'xml'"):
        export(db, "events", "xml")
    with pytest.raises(UsageError, match="writes events and mentions, not quotes"):
        export(db, "quotes", "gdelt")
    with pytest.raises(UsageError, match="--code does not filter quotes"):
        export(db, "quotes", "csv", filters=Filters(code="04"))
    with pytest.raises(UsageError, match="not a PLOVER event type"):
        export(db, "events", "csv", filters=Filters(type="HUG"))
    with pytest.raises(UsageError, match="not a CAMEO root"):
        export(db, "events", "csv", filters=Filters(root="21"))
    with pytest.raises(InvalidDate, match="--since"):
        export(db, "events", "csv", filters=Filters(since="2024-13-01"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["events", "--db", "{tmp}/nope.db", "--format", "csv"], "no such database"),
        (["events", "--format", "xml"], "unknown format 'xml'"),
        (["events", "--format", "csv", "--code", "4x"], "is not a CAMEO event code"),
        (["events", "--format", "csv", "--until", "yesterday"], "--until date 'yesterday'"),
        (["tweets", "--format", "csv"], "unknown table 'tweets'"),
        (["events", "--format", "jsonl", "--header"], "--header is for --format gdelt"),
    ],
)
def test_cli_errors_are_one_line(db, tmp_path, args, message):
    argv = ["export", *(a.replace("{tmp}", str(tmp_path)) for a in args)]
    if "--db" not in argv:
        argv += ["--db", str(db)]
    result = runner.invoke(app, argv, env={"COLUMNS": "200"})
    assert result.exit_code == 2, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0], result.stderr


def test_cli_writes_a_file_and_says_how_many_rows(db, tmp_path):
    out = tmp_path / "quotes.csv"
    result = runner.invoke(app, ["export", "quotes", "--db", str(db), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    (n,) = _sql(db, "SELECT count(*) FROM quotes")[0]
    assert len(_csv_rows(out.read_text(encoding="utf-8"))) == n
    assert f"exported {n:,} quotes (csv) to {out}" in " ".join(result.stderr.split())


# -- PostgreSQL ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg(db) -> Iterator[str]:
    """The sample store's records written again into a scratch PostgreSQL database (no re-analysis);
    skipped when no server answers (tests/pg_scratch.py)."""
    from tacitus.store import open_store

    with pg_scratch.scratch(f"tacitus_export_{os.getpid()}") as url:
        if url is None:
            pytest.skip(pg_scratch.skip_reason())
        with open_store(db) as source, open_store(url) as target:
            for record in source.records():
                target.write(record)
        yield url


def test_postgresql_streams_the_same_gdelt_rows(db, pg):
    from tacitus.export.gdelt import EVENT_COLUMNS

    def visit(target) -> dict[str, str]:
        out = io.StringIO()
        # a filter with bound parameters and an IN list, through the server-side cursor
        export(target, "events", "gdelt", filters=Filters(actor="MEX", type="CONSULT"), stdout=out)
        rows = [
            dict(zip(EVENT_COLUMNS, line.split("\t"), strict=True)) for line in out.getvalue().splitlines()
        ]
        (row,) = [r for r in rows if r["EventCode"] == "042"]
        return {
            k: v
            for k, v in row.items()
            if k not in ("GLOBALEVENTID", "DATEADDED", "NumArticles", "NumSources")
        }

    # the wire copy is a publication of the SQLite store only: counts of articles and outlets aside
    assert visit(pg) == visit(db)
    assert visit(pg)["ActionGeo_FullName"] == "Ottawa, Canada"
    mentions = io.StringIO()
    result = export(pg, "mentions", "gdelt", stdout=mentions)
    import sqlalchemy as sa

    engine = sa.create_engine(pg)
    with engine.connect() as connection:
        expected = connection.execute(
            sa.text(
                "SELECT count(DISTINCT cluster_pk || '-' || article_pk) FROM events WHERE cluster_pk IS NOT NULL"
            )
        ).scalar_one()
    engine.dispose()
    assert result.rows == expected == len(mentions.getvalue().splitlines())


def test_postgresql_writes_the_same_polecat_records(db, pg):
    # POLECAT reads plain tuples through PostgreSQL's server-side cursor, with the articles' languages and
    # places looked up beside it: the records are those of SQLite but for the keys each database gave them
    def records(target) -> list[dict]:
        out = io.StringIO()
        export(target, "events", "polecat", stdout=out)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        return [{k: v for k, v in r.items() if k not in ("event_id", "cluster_id")} for r in rows]

    # in store order, which is the order each database was written in: compared as sorted lists
    on_pg, on_sqlite = (sorted(records(t), key=lambda r: json.dumps(r, sort_keys=True)) for t in (pg, db))
    assert on_pg == on_sqlite and len(on_pg) > 0
    assert any(r["language"] for r in on_pg) and any(r["geonames_id"] for r in on_pg)
