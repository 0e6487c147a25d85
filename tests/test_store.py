"""Tests for the store: migrations, idempotent writes, per-article transactions, queries, round trips.

Records are built by hand with offsets computed from their own text. Every test runs on SQLite and, when a
PostgreSQL server answers at TACITUS_TEST_PG_SERVER (default: the local trust-auth server the project's
machines and CI run), on a scratch database created for the session and dropped after it. Setting
TACITUS_TEST_PG_URL instead uses that database as is (the tests drop and recreate the store's tables there).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

import pg_scratch
from tacitus.errors import InvalidDate, StoreUnavailable
from tacitus.model import Actor, Article, Event, Place, PlaceRef, Quote, Record, TimeExpr
from tacitus.store import RecordRejected, Store, content_hash, head_revision, open_store, rows
from tacitus.store.fulltext import is_index_artefact
from tacitus.store.schema import metadata

# A local PostgreSQL server gets a throw-away database per test session (tests/pg_scratch.py says which
# and how to choose another); TACITUS_TEST_PG_URL instead names a database to use as is.
PG_URL = os.environ.get("TACITUS_TEST_PG_URL")
SCRATCH = None if PG_URL else f"tacitus_test_{os.getpid()}"
# The scratch database is made when this file's tests start, not when it is imported: pytest-xdist's every
# worker imports every test file to collect it, and a worker that ran none of these tests never dropped the
# database it had made (five tacitus_test_<pid> were left on the server after a day of runs).
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL or pg_scratch.reachable() else [])]


@pytest.fixture(scope="module", autouse=True)
def _scratch_database() -> Iterator[None]:
    global PG_URL
    made = pg_scratch.create(SCRATCH) if SCRATCH and "postgresql" in BACKENDS else None
    PG_URL = PG_URL or made
    yield
    if made:
        pg_scratch.drop(SCRATCH)  # type: ignore[arg-type]


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str | Path:
    """Where to open a fresh store: a SQLite file, or (when configured) an emptied PostgreSQL database."""
    if request.param == "postgresql":
        assert PG_URL is not None
        pg_scratch.empty(PG_URL)
        return PG_URL
    return tmp_path / "tacitus.db"


@pytest.fixture
def store(target: str | Path) -> Iterator[Store]:
    with open_store(target) as opened:
        yield opened


def span(text: str, part: str, start: int = 0) -> tuple[int, int]:
    """Return the offsets of ``part`` in ``text`` (first occurrence from ``start``)."""
    i = text.index(part, start)
    return (i, i + len(part))


def make_record(
    rid: str = "r1",
    published: str | None = "2017-12-15",
    event_date: str | None = "2017-12-14",
    suffix: str = "",
) -> Record:
    """A small record in the shape of the seed article: a phone call, a quote, a place, a time."""
    text = (
        'Russian Deputy Foreign Minister Igor Morgulov said Moscow is "not ready to strangle" North Korea. '
        "On Thursday, Donald Trump and Vladimir Putin discussed North Korea by telephone. "
        "Joseph Yun urged Pyongyang to accept talks in Bangkok." + suffix
    )
    s1 = span(text, text.split(". ")[0])
    s2 = span(text, "On Thursday, Donald Trump and Vladimir Putin discussed North Korea by telephone")
    s3 = span(text, "Joseph Yun urged Pyongyang to accept talks in Bangkok")
    actors = [
        Actor("a1", "Igor Morgulov", "RUSGOV", "RUS", "GOV", "person", "Deputy Foreign Minister",
              [span(text, "Igor Morgulov")]),
        Actor("a2", "Donald Trump", "USAGOV", "USA", "GOV", "person", "President", [span(text, "Donald Trump")]),
        Actor("a3", "Vladimir Putin", "RUSGOV", "RUS", "GOV", "person", "President",
              [span(text, "Vladimir Putin")]),
        Actor("a4", "Joseph Yun", "USAGOV", "USA", "GOV", "person", "envoy", [span(text, "Joseph Yun")]),
        Actor("a5", "North Korea", "PRKGOV", "PRK", "GOV", "country", None,
              [span(text, "North Korea"), span(text, "Pyongyang")]),
    ]  # fmt: skip
    quotes = [
        Quote("q1", "a1", span(text, "Igor Morgulov"), span(text, "said"), span(text, "not ready to strangle"),
              "mixed"),
    ]  # fmt: skip
    bangkok = PlaceRef("Bangkok", "THA", 13.75, 100.5)
    events = [
        Event("e1", "a2", "a3", "USAGOV", "RUSGOV", "041", "04", 1, 1.0, "CONSULT", date=event_date,
              date_span=span(text, "Thursday"), sentence_span=s2, trigger_span=span(text, "discussed"),
              rule="consult.telephone.v1"),
        Event("e2", "a3", "a2", "RUSGOV", "USAGOV", "041", "04", 1, 1.0, "CONSULT", date=event_date,
              date_span=span(text, "Thursday"), sentence_span=s2, trigger_span=span(text, "discussed"),
              rule="consult.telephone.v1"),
        Event("e3", "a4", "a5", "USAGOV", "PRKGOV", "023", "02", 1, 3.4, "REQUEST", place=bangkok,
              sentence_span=s3, trigger_span=span(text, "urged"), rule="appeal.urge.v1"),
        Event("e4", "a1", "a5", "RUSGOV", "PRKGOV", "120", "12", 3, -4.0, "REJECT", negated=True,
              mood="negated-by-context", sentence_span=s1, trigger_span=span(text, "strangle"), rule="x.v1"),
    ]  # fmt: skip
    return Record(
        id=rid,
        text=text,
        title="Russia not ready to strangle North Korea",
        published=published,
        url="https://example.org/a",
        source="Press TV",
        section=["News", "Koreas"],
        actors=actors,
        quotes=quotes,
        events=events,
        times=[TimeExpr(span(text, "Thursday"), "2017-12-14", "DATE", False)],
        places=[Place(span(text, "Bangkok"), "Bangkok", "THA", 13.75, 100.5, 1609350)],
        warnings=["a warning"],
    )


def count(store: Store, table: str) -> int:
    with store.engine.connect() as connection:
        return connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()


# -- migrations ----------------------------------------------------------------------------------------


def test_open_migrates_an_empty_database_to_head(store: Store) -> None:
    names = set(sa.inspect(store.engine).get_table_names())
    assert {"articles", "actors", "quotes", "events", "times", "places", "alembic_version"} <= names
    with store.engine.connect() as connection:
        assert (
            connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar_one()
            == head_revision()
        )


def test_sqlite_pragmas_are_on(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.db") as store, store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_reopen_is_a_no_op(target: str | Path) -> None:
    with open_store(target) as store:
        assert store.write(make_record()) == "inserted"
    with open_store(target) as store:
        assert count(store, "articles") == 1
        with store.engine.connect() as connection:
            versions = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
        assert versions == [head_revision()]


def _described(name: str | None, type_: str, _parents: dict) -> bool:
    # The word index of revision 0010 has no Table in the metadata: SQLAlchemy cannot describe an FTS5
    # virtual table (nor its shadow tables), and the pg_trgm index exists only where the server allows it.
    # Left out here by name, explicitly; tests/test_web_indexes.py checks that it exists and is used.
    return not (name and type_ in ("table", "index") and is_index_artefact(name))


def test_migrated_schema_matches_the_table_objects(store: Store) -> None:
    with store.engine.connect() as connection:
        diffs = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True, "include_name": _described}),
            metadata,
        )
    assert diffs == []
    # compare_metadata ignores some details on SQLite; check columns, nullability and indexes by hand too.
    inspector = sa.inspect(store.engine)
    for table in metadata.sorted_tables:
        reflected = inspector.get_columns(table.name)
        assert [c["name"] for c in reflected] == [c.name for c in table.columns], table.name
        assert {c["name"]: c["nullable"] for c in reflected} == {c.name: c.nullable for c in table.columns}, (
            table.name
        )
        # PostgreSQL also lists the index behind a UNIQUE constraint; that one is checked as a constraint.
        indexes = {
            i["name"]
            for i in inspector.get_indexes(table.name)
            if "duplicates_constraint" not in i and _described(i["name"], "index", {})
        }
        assert indexes == {i.name for i in table.indexes}, table.name
        uniques = {u["name"] for u in inspector.get_unique_constraints(table.name)}
        assert uniques == {c.name for c in table.constraints if isinstance(c, sa.UniqueConstraint)}, (
            table.name
        )
        foreign = [
            (fk["referred_table"], fk["options"].get("ondelete"))
            for fk in inspector.get_foreign_keys(table.name)
        ]
        assert foreign == [("articles", "CASCADE")] * len(table.foreign_keys)


def test_newer_database_revision_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    open_store(path).close()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="9999.*newer"):
        open_store(path)


# -- opening errors ------------------------------------------------------------------------------------


def test_missing_folder_is_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "nope" / "t.db"
    with pytest.raises(StoreUnavailable) as info:
        open_store(path)
    message = str(info.value)
    assert str(path) in message and "create the folder first or choose another --db path" in message
    assert "\n" not in message
    with pytest.raises(StoreUnavailable, match="create the folder first"):
        open_store(f"sqlite:///{path}")


def test_not_a_database_is_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    path.write_bytes(b"this is not a database, just some text that is long enough to have a header" * 20)
    with pytest.raises(StoreUnavailable, match=str(path)) as info:
        open_store(path)
    assert "\n" not in str(info.value)
    with pytest.raises(StoreUnavailable, match="is a folder"):
        open_store(tmp_path)


def test_missing_driver_is_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match="driver"):
        open_store("nosuchdialect://user:secret@localhost/db")


# -- writing -------------------------------------------------------------------------------------------


def test_content_hash_is_sha256_of_utf8_text() -> None:
    assert content_hash("é") == hashlib.sha256(b"\xc3\xa9").hexdigest()
    assert len(content_hash("x")) == 64


def test_writing_twice_stores_once(store: Store) -> None:
    record = make_record()
    assert store.write(record) == "inserted"
    assert store.write(make_record(rid="other-id")) == "skipped"
    assert count(store, "articles") == 1
    assert count(store, "events") == 4
    assert store.write_many([record, (make_record(suffix=" More."), None)]) == {
        "inserted": 1,
        "skipped": 1,
        "replaced": 0,
        "failed": 0,
    }


def test_reprocess_replaces_old_rows(store: Store) -> None:
    assert store.write(make_record(), Article(text="", meta={"feed": "x"}, origin="in.jsonl:1")) == "inserted"
    changed = make_record()
    changed.events = changed.events[:1]
    changed.events[0].rule = "consult.telephone.v2"
    changed.actors = changed.actors[:3]
    assert store.write(changed, reprocess=True) == "replaced"
    assert count(store, "articles") == 1
    assert count(store, "events") == 1
    assert count(store, "actors") == 3
    assert [e["rule"] for e in store.events()] == ["consult.telephone.v2"]
    assert store.get_record("r1").to_dict() == changed.to_dict()
    assert store.write(make_record(suffix=" New."), reprocess=True) == "inserted"


def test_failed_article_leaves_nothing_and_keeps_earlier_ones(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert store.write(make_record("first", suffix=" One.")) == "inserted"
    # The database itself refuses the fourth event (code is NOT NULL) after the article, its actors,
    # quotes and earlier events rows were sent.
    bad = make_record("bad", suffix=" Two.")
    bad.events[3].code = None  # type: ignore[assignment]
    with pytest.raises(RecordRejected, match="bad"):
        store.write(bad)

    # A failure in our own code half-way through (after articles, actors, quotes) rolls back as well.
    def boom(record: Record, article_pk: int) -> list[dict]:
        raise ValueError("forced failure")

    monkeypatch.setattr(rows, "event_rows", boom)
    with pytest.raises(RecordRejected, match="forced failure"):
        store.write(make_record("bad2", suffix=" Three."))
    monkeypatch.undo()
    assert count(store, "articles") == 1
    assert count(store, "actors") == 5
    assert count(store, "quotes") == 1
    assert count(store, "events") == 4
    assert store.get_record("bad") is None and store.get_record("bad2") is None

    failures: list[tuple[str | None, str]] = []
    counts = store.write_many(
        [make_record("ok", suffix=" Four."), bad, make_record("ok2", suffix=" Five.")],
        on_error=lambda record, error: failures.append((record.id, str(error))),
    )
    assert counts == {"inserted": 2, "skipped": 0, "replaced": 0, "failed": 1}
    assert [f[0] for f in failures] == ["bad"] and "not stored" in failures[0][1]
    with pytest.raises(RecordRejected):
        store.write_many([bad])


def test_failed_replace_keeps_the_old_version(store: Store) -> None:
    record = make_record()
    store.write(record)
    bad = make_record()
    bad.events[0].root = None  # type: ignore[assignment]
    with pytest.raises(RecordRejected):
        store.write(bad, reprocess=True)
    assert store.get_record("r1").to_dict() == record.to_dict()
    assert count(store, "events") == 4


def test_get_record_round_trips_exactly(store: Store) -> None:
    record = make_record()
    record.text += " Ünïcödé — “quotes”."
    store.write(record, Article(text=record.text, meta={"when": datetime.date(2017, 12, 15)}))
    back = store.get_record("r1")
    assert back is not None and back.to_dict() == record.to_dict()
    assert store.get_record("missing") is None
    assert [r.id for r in store.records()] == ["r1"]


def test_rows_cut_text_at_offsets() -> None:
    record = make_record()
    [quote] = rows.quote_rows(record, 1)
    assert (quote["content"], quote["cue"], quote["speaker_span"]) == (
        "not ready to strangle",
        "said",
        "Igor Morgulov",
    )
    assert quote["speaker_code"] == "RUSGOV"
    event = rows.event_rows(record, 1)[0]
    assert event["trigger"] == "discussed" and event["sentence"].startswith("On Thursday")
    assert (event["source_name"], event["target_name"]) == ("Donald Trump", "Vladimir Putin")


def test_day_of_keeps_only_iso_prefixes() -> None:
    assert rows.day_of("2017-12-14T09:00:00+00:00") == "2017-12-14"
    assert rows.day_of("2017-12") == "2017-12"
    assert rows.day_of("2017-W50") is None
    assert rows.day_of("PAST_REF") is None
    assert rows.day_of(None) is None


# -- queries -------------------------------------------------------------------------------------------


def _three_articles(store: Store) -> None:
    store.write(make_record("a", published="2017-12-15", event_date="2017-12-14", suffix=" A."))
    store.write(make_record("b", published="2018-01-10T08:00:00Z", event_date=None, suffix=" B."))
    store.write(make_record("c", published=None, event_date=None, suffix=" C."))


def test_events_columns_and_order(store: Store) -> None:
    _three_articles(store)
    result = store.events()
    assert list(result[0])[:13] == [
        "article_id", "date", "date_from", "source_name", "source_code", "code", "plover", "goldstein",
        "target_name", "target_code", "place", "sentence", "rule",
    ]  # fmt: skip
    # Undated rows come last; within a date, record order.
    assert [r["date"] for r in result][-4:] == [None] * 4
    first = result[0]
    assert (first["article_id"], first["event_id"], first["date"], first["date_from"]) == (
        "a",
        "e1",
        "2017-12-14",
        "event",
    )
    assert [(r["event_id"], r["date_from"]) for r in result if r["article_id"] == "a"] == [
        ("e1", "event"), ("e2", "event"), ("e3", "published"), ("e4", "published"),
    ]  # fmt: skip
    bangkok = result[2]
    assert (bangkok["place"], bangkok["place_lat"], bangkok["trigger"]) == ("Bangkok", 13.75, "urged")
    negated = next(r for r in result if r["event_id"] == "e4")
    assert negated["negated"] is True and negated["goldstein"] == -4.0


def test_events_actor_prefix_is_case_insensitive(store: Store) -> None:
    _three_articles(store)
    assert {(r["source_code"], r["target_code"]) for r in store.events(actor="rus")} == {
        ("USAGOV", "RUSGOV"),
        ("RUSGOV", "USAGOV"),
        ("RUSGOV", "PRKGOV"),
    }
    assert {r["event_id"] for r in store.events(actor="PRKGOV")} == {"e3", "e4"}
    assert store.events(actor="RUS_") == []
    # a prefix is an index range (USAG <= code < USAH): its ends must neither add nor lose a code
    assert {r["event_id"] for r in store.events(actor="usag")} == {"e1", "e2", "e3"}
    assert store.events(actor="RUSGOVX") == [] and store.events(actor="PRKGOW") == []
    assert store.events(actor="---") == []  # punctuation keeps the LIKE, which finds no such code here
    assert {r["code"] for r in store.events(code="04")} == {"041"}
    assert len(store.events(limit=2)) == 2


def test_events_dates_are_inclusive_and_fall_back_to_published(store: Store) -> None:
    _three_articles(store)
    # Article a: events e1,e2 dated 2017-12-14 by the event, e3,e4 by publication (2017-12-15).
    day14 = store.events(since="2017-12-14", until="2017-12-14")
    assert {(r["article_id"], r["event_id"], r["date_from"]) for r in day14} == {
        ("a", "e1", "event"),
        ("a", "e2", "event"),
    }
    day15 = store.events(since="2017-12-15", until="2017-12-15")
    assert {(r["event_id"], r["date_from"]) for r in day15} == {("e3", "published"), ("e4", "published")}
    # Article b was published with a time of day: its day still counts as 2018-01-10, inclusive.
    b = store.events(until="2018-01-10", since="2018-01-10")
    assert {r["article_id"] for r in b} == {"b"} and len(b) == 4
    assert all(r["date"] == "2018-01-10" for r in b)
    assert len(store.events(since="2017-12-15")) == 6
    # Article c has no date at all: any date bound leaves it out.
    assert "c" not in {r["article_id"] for r in store.events(since="1900-01-01")}
    with pytest.raises(InvalidDate, match="2017-13-01"):
        store.events(since="2017-13-01")
    with pytest.raises(InvalidDate):
        store.events(until="2017-12")


def test_quotes_filters(store: Store) -> None:
    _three_articles(store)
    result = store.quotes()
    assert len(result) == 3
    assert list(result[0])[:7] == [
        "article_id",
        "date",
        "speaker_name",
        "speaker_code",
        "kind",
        "type",
        "content",
    ]
    assert result[0]["content"] == "not ready to strangle" and result[0]["speaker_name"] == "Igor Morgulov"
    assert len(store.quotes(actor="rus")) == 3
    assert store.quotes(actor="USA") == []
    assert [r["article_id"] for r in store.quotes(since="2018-01-01")] == ["b"]
    assert [r["article_id"] for r in store.quotes(until="2017-12-15")] == ["a"]
    # every stored quote is speech (make_record's default): a filter on type keeps or drops them all
    assert {r["type"] for r in result} == {"speech"}
    assert len(store.quotes(types=["speech", "belief"])) == 3
    assert store.quotes(types=["finding"]) == []


def test_actors_are_aggregated(store: Store) -> None:
    _three_articles(store)
    result = store.actors()
    assert len(result) == 5
    korea = next(r for r in result if r["code"] == "PRKGOV")
    assert (korea["n_articles"], korea["n_mentions"]) == (3, 6)
    assert (korea["first_seen"], korea["last_seen"]) == ("2017-12-15", "2018-01-10")
    assert [r["name"] for r in store.actors(actor="rus")] == ["Igor Morgulov", "Vladimir Putin"]
    morgulov = store.actors(actor="RUSGOV", since="2018-01-01")[0]
    assert (morgulov["n_articles"], morgulov["role"]) == (1, "Deputy Foreign Minister")
    assert list(result[0])[:8] == [
        "name",
        "code",
        "kind",
        "role",
        "country",
        "sector",
        "n_articles",
        "n_mentions",
    ]


def test_summary(store: Store) -> None:
    _three_articles(store)
    summary = store.summary()
    assert {k: summary[k] for k in ("articles", "actors", "quotes", "events", "times", "places")} == {
        "articles": 3,
        "actors": 15,
        "quotes": 3,
        "events": 12,
        "times": 3,
        "places": 3,
    }
    assert summary["top_event_codes"][0] == {"code": "041", "plover": "CONSULT", "n": 6}
    assert (summary["first_published"], summary["last_published"]) == ("2017-12-15", "2018-01-10")


def test_quote_rows_carry_type_and_the_words_of_every_part(tmp_path: Path) -> None:
    text = "“Let us wait,” he said. “Talks may come.”"
    record = Record(
        id="parts",
        text=text,
        quotes=[
            Quote(
                id="q1", speaker=None, speaker_span=(15, 17), cue_span=(18, 22), content_span=(1, 40),
                type="belief", content_parts=[(1, 13), (25, 40)],
            )
        ],
    )  # fmt: skip
    (row,) = rows.quote_rows(record, 1)
    assert row["type"] == "belief"
    # the words of both parts, without the cue between them
    assert row["content"] == "Let us wait, … Talks may come."


def test_upgrading_an_old_store_fills_quote_types_from_the_records(tmp_path: Path) -> None:
    from alembic import command

    from tacitus.store import _alembic_config

    db = tmp_path / "old.db"
    with open_store(db) as store:
        store.write(make_record("a", published="2017-12-15", event_date="2017-12-14", suffix=" A."))
        config = _alembic_config()
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0002")  # a store written before quotes had a type
        with store.engine.connect() as connection:
            assert "type" not in {c["name"] for c in sa.inspect(connection).get_columns("quotes")}
    # opening migrates to head and fills the column
    with open_store(db) as store, store.engine.connect() as connection:
        types = connection.execute(sa.text("SELECT type FROM quotes")).scalars().all()
    assert types and set(types) == {"speech"}


def test_upgrading_a_store_from_0005_keeps_its_rows_and_fills_the_article_metadata(tmp_path: Path) -> None:
    from dataclasses import replace

    from alembic import command

    from tacitus.store import _alembic_config

    db = tmp_path / "old.db"
    record = replace(
        make_record("a"),
        authors=["Eleanor Ainge Roy"],
        site_name="the Guardian",
        language="en",
        language_source="detected",
        canonical_url="https://www.theguardian.com/world/2019/jan/03/a",
        modified="2019-01-16",
        description="A summary.",
    )
    article = Article(text=record.text, meta={"crawled": "2019-01-17T08:00:00Z"})
    with open_store(db) as store:
        store.write(record, article)
        config = _alembic_config()
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0005")  # a store written before the article metadata columns
        with store.engine.connect() as connection:
            columns = {c["name"] for c in sa.inspect(connection).get_columns("articles")}
            assert "language" not in columns and "authors" not in columns
            # dropping the parent's columns must not cascade into the children
            assert connection.execute(sa.text("SELECT count(*) FROM quotes")).scalar() == 1
    with open_store(db) as store, store.engine.connect() as connection:
        row = connection.execute(
            sa.text(
                "SELECT authors, site_name, language, language_source, canonical_url, modified, description, "
                "crawled FROM articles"
            )
        ).one()
        counts = [
            connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar() for t in ("quotes", "events")
        ]
    authors = row[0] if isinstance(row[0], list) else json.loads(row[0])
    assert authors == ["Eleanor Ainge Roy"]
    assert tuple(row[1:7]) == (
        "the Guardian", "en", "detected", "https://www.theguardian.com/world/2019/jan/03/a", "2019-01-16",
        "A summary.",
    )  # fmt: skip
    # the record had no crawl date (the article's meta had it): the migration reads it from meta
    assert row[7] == "2019-01-17T08:00:00Z"
    assert counts == [len(record.quotes), len(record.events)]


def test_new_article_rows_carry_the_metadata_columns() -> None:
    from dataclasses import replace

    record = replace(make_record("a"), authors=["A B"], language="de", language_source="declared")
    row = rows.article_row(record, None, "x" * 64, "0")
    assert row["authors"] == ["A B"] and row["language"] == "de" and row["language_source"] == "declared"
    assert row["crawled"] is None and row["site_name"] is None


def _gdelt_record() -> Record:
    """make_record with gazetteer places: an unknown place (kind ``place``) of Russia in the first sentence,
    North Korea (a country) in the first two, Pyongyang and Bangkok (cities) in the third."""
    record = make_record("g")
    text = record.text
    s2 = text.index("On Thursday")
    record.places = [
        Place(span(text, "Moscow"), "Moscow", "RUS", None, None, None, kind="place"),
        Place(span(text, "North Korea"), "North Korea", "PRK", 40.0, 127.0, 1873107, kind="country"),
        Place(span(text, "North Korea", s2), "North Korea", "PRK", 40.0, 127.0, 1873107, kind="country"),
        Place(span(text, "Pyongyang"), "Pyongyang", "PRK", 39.03, 125.75, 1871859, kind="city"),
        Place(span(text, "Bangkok"), "Bangkok", "THA", 13.75, 100.5, 1609350, kind="city"),
    ]
    return record


def _gdelt_fields(store: Store) -> dict[str, tuple]:
    with store.engine.connect() as connection:
        found = connection.execute(
            sa.text("SELECT event_id, in_lead, source_place_pk, target_place_pk, place_pk FROM events")
        )
        return {event_id: tuple(rest) for event_id, *rest in found}


def test_events_keep_their_gdelt_lead_and_places_and_the_migration_fills_old_rows(target: str | Path) -> None:
    # revision 0013: written with the event; a store from before it gets the same values when it is opened
    from alembic import command

    from tacitus.store import _alembic_config

    with open_store(target) as store:
        store.write(_gdelt_record())
        with store.engine.connect() as connection:
            place = dict(connection.execute(sa.text("SELECT seq, pk FROM places")).all())
        written = _gdelt_fields(store)
        # by hand: no paragraph break, so the lead is the first two sentences (e4's and e1/e2's); the actors'
        # places are their country's gazetteer places inside the sentence (Moscow is no gazetteer place, the
        # earlier North Koreas lie outside e3's sentence); e3's own place is Bangkok
        assert written == {
            "e1": (1, None, None, None),
            "e2": (1, None, None, None),
            "e3": (0, None, place[3], place[4]),
            "e4": (1, None, place[1], None),
        }
        config = _alembic_config()
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0012")  # a store written before the columns
        with store.engine.connect() as connection:
            assert "in_lead" not in {c["name"] for c in sa.inspect(connection).get_columns("events")}
            assert connection.execute(sa.text("SELECT count(*) FROM events")).scalar() == 4
    with open_store(target) as store:
        assert _gdelt_fields(store) == written
        # a record whose one place is no gazetteer place (kind "place"): its events name none
        store.write(make_record("h", suffix=" More."))
        with store.engine.connect() as connection:
            later = connection.execute(
                sa.text(
                    "SELECT e.in_lead, e.source_place_pk, e.target_place_pk, e.place_pk FROM events e "
                    "JOIN articles a ON a.pk = e.article_pk WHERE a.article_id = 'h' ORDER BY e.seq"
                )
            ).all()
        assert [tuple(r) for r in later] == [(1, None, None, None)] * 2 + [
            (0, None, None, None),
            (1, None, None, None),
        ]


def test_event_rows_flag_the_lead_by_paragraph() -> None:
    # a short first line is a headline, not the lead: the lead is the first paragraph of eight words or more
    record = make_record("p")
    record.text = "Headline here\n\n" + record.text
    shift = len("Headline here\n\n")
    for e in record.events:
        e.sentence_span = (e.sentence_span[0] + shift, e.sentence_span[1] + shift)
    flags = {row["event_id"]: row["in_lead"] for row in rows.event_rows(record, 1)}
    assert flags == {"e1": 1, "e2": 1, "e3": 1, "e4": 1}  # one paragraph after the headline
    record.events[2].sentence_span = None
    assert rows.event_rows(record, 1)[2]["in_lead"] is None
