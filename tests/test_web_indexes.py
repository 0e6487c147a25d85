"""The indexes behind `tacitus serve`'s listings (revision 0010) and its quick start.

A word filter (``text``) is a literal, case-insensitive substring of the event's sentence or the quote's
words, answered by a trigram index (SQLite FTS5, PostgreSQL pg_trgm) that triggers keep in step with every
write; actor and event-code listings are read from composite indexes, the actor filter as one query per side
(source, target); the search page caps its counts; the server starts without Alembic. Every result is
compared with a reference computed in Python from the records written, on SQLite and, when the local server
answers, on PostgreSQL. Records are built by hand, with offsets computed from their own text.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

import pg_scratch
from tacitus.model import Actor, Event, Quote, Record
from tacitus.store import Store, _alembic_config, fulltext, head_revision, open_store
from tacitus.web import listing
from tacitus.web.listing import list_rows

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

# Sentences chosen to catch a wrong search: words across a space, case, LIKE's wildcards and escape
# character, FTS5's quote, non-ASCII letters, and a word inside another ("police" in "policemen").
SENTENCES = [
    "Police in Nairobi fired tear gas at protesters.",
    "The minister said peace TALKS would resume on Monday.",
    "Taxes rose by 50% under the_new_law, the treasury said.",
    'He said "no" to the proposal and left.',
    "L'ÉTAT a rejeté l'accord de paix.",
    "Policemen and soldiers patrolled the border.",
    "Backslash \\ and percent % signs appear in the filing.",
    "Talks between Moscow and Washington broke down.",
]
CODES = ["KENGOV", "KENCOP", "RUSGOV", "USAGOV", "USA", None, "RUSMIL", "KEN"]
EVENT_CODES = ["041", "042", "190", "112", "0233", "043"]


def make_record(i: int) -> Record:
    """Article ``i``: three of SENTENCES, an event on each and a quotation of the second."""
    chosen = [SENTENCES[(i + k * 3) % len(SENTENCES)] for k in range(3)]
    text = f"Report {i}. " + " ".join(chosen)
    spans, start = [], len(f"Report {i}. ")
    for sentence in chosen:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    speaker_code = CODES[i % len(CODES)]
    actors = [Actor("a1", f"Speaker {i}", speaker_code, None, None, "person", None, [(0, 6)])]
    events = []
    for k, span in enumerate(spans):
        source = CODES[(i + k) % len(CODES)]
        target = CODES[(i * 3 + k + 1) % len(CODES)]
        code = EVENT_CODES[(i + 2 * k) % len(EVENT_CODES)]
        day = None if (i + k) % 7 == 0 else f"2024-{1 + (i + k) % 12:02d}-{1 + (i * 5 + k) % 28:02d}"
        events.append(
            Event(f"e{k}", None, None, source, target, code, code[:2], 1, float(k - 1), "CONSULT", date=day,
                  sentence_span=span, trigger_span=(span[0], span[0] + 3), rule="test.v1")
        )  # fmt: skip
    quotes = [Quote("q1", "a1", (0, 6), None, spans[1], "direct")]
    published = None if i % 9 == 4 else f"2024-{1 + i % 12:02d}-{1 + (i * 7) % 28:02d}"
    return Record(
        id=f"r{i}", text=text, title=f"Report {i}", published=published, actors=actors, quotes=quotes,
        events=events,
    )  # fmt: skip


N_ARTICLES = 40


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str | None]:
    """A scratch PostgreSQL database for this module, dropped after it; None when no server answers."""
    with pg_scratch.scratch(f"tacitus_indexes_{os.getpid()}") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None) -> str | Path:
    """A fresh store's address: a SQLite file, or the emptied scratch PostgreSQL database."""
    if request.param == "sqlite":
        return tmp_path / "t.db"
    if pg_url is None:
        pytest.skip(pg_scratch.skip_reason())
    pg_scratch.empty(pg_url)
    return pg_url


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, pg_url: str | None
) -> Iterator[Store]:
    """A store of N_ARTICLES records, written once per backend for the tests that only read."""
    if request.param == "postgresql":
        if pg_url is None:
            pytest.skip(pg_scratch.skip_reason())
        # a database of its own: the tests that write empty the scratch one
        filled_url = pg_scratch.create(pg_url.rsplit("/", 1)[1] + "_filled")
        assert filled_url is not None, "the server made the scratch database but not this one"
        where: str | Path = filled_url
    else:
        where = tmp_path_factory.mktemp("filled") / "t.db"
    with open_store(where) as store:
        for i in range(N_ARTICLES):
            assert store.write(make_record(i)) == "inserted"
        yield store
    if request.param == "postgresql":
        pg_scratch.drop(filled_url)


def every_page(store: Store, what: str, filters: dict, sort: str | None = None, limit: int = 7) -> list:
    rows, cursor = [], None
    while True:
        page = list_rows(store, what, filters, sort=sort, limit=limit, cursor=cursor)
        rows += page.items
        cursor = page.next_cursor
        if cursor is None:
            assert page.total == len(rows), (what, filters, sort)
            return rows


def reference_events(store: Store) -> list[dict]:
    with store.engine.connect() as connection:
        return [dict(r) for r in connection.execute(sa.text("SELECT pk, sentence, source_code, target_code, code, day FROM events")).mappings()]  # fmt: skip


def in_day_order(rows: list[dict], key: str = "day", descending: bool = False) -> list[int]:
    """Row keys in listing order: by ``key`` then key (descending: both reversed), unknown days last."""
    dated = sorted(
        (r for r in rows if r[key] is not None), key=lambda r: (r[key], r["pk"]), reverse=descending
    )
    undated = sorted((r for r in rows if r[key] is None), key=lambda r: r["pk"], reverse=descending)
    return [r["pk"] for r in dated + undated]


NEEDLES = ["police", "POLICE", "lice", "peace talks", "état", "ÉTAT", "50%", "the_new", "%", "_", '"no"', "\\",
           "zz", "ta", "rejeté l'accord", "no such words"]  # fmt: skip


@pytest.mark.parametrize(("walk_above", "like_below"), [(0, 0), (10_000, 0), (10_000, 10_000)])
def test_word_filter_is_a_literal_case_insensitive_substring(
    filled: Store, walk_above: int, like_below: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # every way to answer a word (walk another index and check the matches, look each match up, or read
    # the other filters' rows with LIKE) must list the same rows
    monkeypatch.setattr(fulltext, "WALK_ABOVE", walk_above)
    monkeypatch.setattr(fulltext, "LIKE_BELOW", like_below)
    events = reference_events(filled)
    with filled.engine.connect() as connection:
        quotes = [dict(r) for r in connection.execute(sa.text("SELECT pk, content FROM quotes ORDER BY pk")).mappings()]  # fmt: skip
    for needle in NEEDLES:
        expected = [r for r in events if needle.lower() in r["sentence"].lower()]
        if len(needle) < fulltext.MIN_INDEXED_CHARS and not needle.isascii():
            continue  # (none here) SQLite's LIKE fallback folds ASCII only
        for sort, descending in ((None, False), ("-date", True)):
            got = every_page(filled, "events", {"text": needle}, sort=sort)
            assert [r["pk"] for r in got] == in_day_order(expected, descending=descending), (needle, sort)
        # with another filter: the actor's two sides, each with the word
        got = every_page(filled, "events", {"text": needle, "actor": "ken"})
        both = [r for r in expected if (r["source_code"] or "").startswith("KEN") or (r["target_code"] or "").startswith("KEN")]  # fmt: skip
        assert [r["pk"] for r in got] == in_day_order(both), needle
        got = every_page(filled, "quotes", {"text": needle}, limit=9)
        assert sorted(q["pk"] for q in got) == [
            q["pk"] for q in quotes if needle.lower() in q["content"].lower()
        ]
    # the words that must match something do (the reference is not vacuous)
    assert (
        len(every_page(filled, "events", {"text": "police"}))
        == len([r for r in events if "police" in r["sentence"].lower()])
        > len(every_page(filled, "events", {"text": "police in"}))
        > 0
    )
    assert every_page(filled, "events", {"text": "ÉTAT"}) and every_page(filled, "events", {"text": "50%"})


def test_word_index_follows_inserts_replacements_and_deletions(target: str | Path) -> None:
    with open_store(target) as store:
        record = make_record(0)  # its sentences: SENTENCES[0], [3] (quoted) and [6]
        assert store.write(record) == "inserted"
        assert [r["sentence"] for r in list_rows(store, "events", {"text": "fired tear"}).items] == [
            SENTENCES[0]
        ]
        changed = Record.from_dict({**record.to_dict(), "text": record.text.replace("fired", "threw")})
        assert store.write(changed) == "inserted"  # another text: another article
        assert store.write(changed, reprocess=True) == "replaced"  # its rows deleted and written again
        for words, n in (("threw tear", 1), ("fired tear", 1), ('"no"', 2), ("tear gas", 2)):
            assert list_rows(store, "events", {"text": words}).total == n, words
        assert list_rows(store, "quotes", {"text": 'said "no"'}).total == 2
        with store.engine.begin() as connection:
            # ON DELETE CASCADE from the article takes its events and quotes out of the index too
            connection.execute(sa.text("DELETE FROM articles WHERE text LIKE '%fired%'"))
        for words, n in (("threw tear", 1), ("fired tear", 0), ('"no"', 1), ("tear gas", 1)):
            assert list_rows(store, "events", {"text": words}).total == n, words
            assert len(every_page(store, "events", {"text": words})) == n, words
        assert list_rows(store, "quotes", {"text": 'said "no"'}).total == 1
        if store.engine.dialect.name == "sqlite":
            with store.engine.begin() as connection:
                for fts in fulltext.FULLTEXT.values():
                    # FTS5 compares its index with the content table and raises on any difference
                    connection.exec_driver_sql(
                        f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)"
                    )


def test_a_store_from_revision_0009_gets_its_rows_indexed(tmp_path: Path) -> None:
    from alembic import command

    path = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    config = _alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009")
    with Store(engine) as old:
        for i in range(5):
            old.write(make_record(i))
        with old.engine.connect() as connection:
            names = {r[0] for r in connection.execute(sa.text("SELECT name FROM sqlite_master"))}
    assert "events_fts" not in names and "ix_events_source_code" in names
    with open_store(path) as store:
        expected = sum(SENTENCES[0] in make_record(i).text for i in range(5))
        assert list_rows(store, "events", {"text": "tear gas"}).total == expected > 0
        assert list_rows(store, "events", {"actor": "KEN"}).total == sum(
            1
            for i in range(5)
            for e in make_record(i).events
            if (e.source_code or "").startswith("KEN") or (e.target_code or "").startswith("KEN")
        )
        # and back: the downgrade leaves the schema of 0009
        with store.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0009")
            names = {r[0] for r in connection.execute(sa.text("SELECT name FROM sqlite_master"))}
        assert not {n for n in names if fulltext.is_index_artefact(n)}
        assert {"ix_events_source_code", "ix_quotes_speaker_code"} <= names
        assert "ix_events_source_day" not in names


@pytest.mark.parametrize("sort", ["date", "-date", "goldstein"])
def test_actor_listing_pages_every_event_once_in_order(filled: Store, sort: str) -> None:
    events = reference_events(filled)
    for prefix in ("KEN", "kengov", "RUS", "USA", "K"):
        got = every_page(filled, "events", {"actor": prefix}, sort=sort, limit=4)
        expected = [r for r in events if any((r[s] or "").startswith(prefix.upper()) for s in ("source_code", "target_code"))]  # fmt: skip
        assert len({r["pk"] for r in got}) == len(got) == len(expected) > 0, prefix
        if sort != "goldstein":
            assert [r["pk"] for r in got] == in_day_order(expected, descending=sort == "-date"), prefix
        else:
            scores = [r["goldstein"] for r in got]
            assert scores == sorted(scores)
    # an actor and an event code; a source and a target
    got = every_page(filled, "events", {"actor": "RUS", "code": "04"}, limit=3)
    expected = [r for r in events if r["code"].startswith("04") and "RUS" in ((r["source_code"] or "")[:3], (r["target_code"] or "")[:3])]  # fmt: skip
    assert [r["pk"] for r in got] == in_day_order(expected) and expected
    got = every_page(filled, "events", {"source": "KEN", "target": "USA"}, limit=3)
    expected = [r for r in events if (r["source_code"] or "").startswith("KEN") and (r["target_code"] or "").startswith("USA")]  # fmt: skip
    assert [r["pk"] for r in got] == in_day_order(expected) and expected


def test_counts_can_stop_at_a_limit(filled: Store) -> None:
    everything = list_rows(filled, "events", {"actor": "K"})
    expected = [r for r in reference_events(filled) if any((r[s] or "").startswith("K") for s in ("source_code", "target_code"))]  # fmt: skip
    assert not everything.capped and everything.total == len(expected) > 10
    capped = list_rows(filled, "events", {"actor": "K"}, count_limit=10)
    assert capped.capped and capped.total == 10 and capped.items == everything.items
    exact = list_rows(filled, "events", {"actor": "K"}, count_limit=everything.total)
    assert not exact.capped and exact.total == everything.total


def _plans(store: Store, what: str, filters: dict) -> list[str]:
    """SQLite's plan of every statement a listing runs except the one fetching the page's rows by key."""
    statements = []

    def keep(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        statements.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", keep)
    try:
        list_rows(store, what, filters)
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", keep)
    plans = []
    with store.engine.connect() as connection:
        for statement, parameters in statements:
            if not statement.lstrip().startswith("SELECT") or (
                ".pk IN (" in statement and "_fts" not in statement
            ):
                continue  # BEGIN, and the page's own rows, read by primary key
            rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
            plans.append("\n".join(row[3] for row in rows))
    return plans


def test_code_and_word_listings_are_read_from_indexes(tmp_path: Path) -> None:
    with open_store(tmp_path / "t.db") as store:
        for i in range(N_ARTICLES):
            store.write(make_record(i))
        with store.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
        for what, filters in (
            ("events", {"actor": "KEN"}),
            ("events", {"actor": "KENGOV", "code": "04"}),
            ("events", {"code": "19"}),
            ("events", {"source": "RUS"}),
            ("quotes", {"actor": "KEN"}),
        ):
            plans = _plans(store, what, filters)
            assert plans, filters
            for plan in plans:
                # every row is found through an index holding what the query needs: no table is read
                tables = [line for line in plan.splitlines() if re.match(r"(SEARCH|SCAN) (events|quotes|articles)\b", line)]  # fmt: skip
                assert tables and all("USING COVERING INDEX" in line for line in tables), (filters, plan)
        for plan in _plans(store, "events", {"text": "police"}):
            assert "events_fts VIRTUAL TABLE INDEX 0:M" in plan  # the word index's MATCH, no LIKE scan
            assert "SCAN events\n" not in plan + "\n"


def test_postgresql_word_filter_can_use_the_trigram_index(filled: Store) -> None:
    if filled.engine.dialect.name != "postgresql":
        pytest.skip("the pg_trgm index is PostgreSQL's")
    with filled.engine.connect() as connection:
        names = set(connection.execute(sa.text("SELECT indexname FROM pg_indexes WHERE tablename IN ('events', 'quotes')")).scalars())  # fmt: skip
        assert set(fulltext.TRIGRAM_INDEXES) <= names
        # a store this small is read whole by choice; forbid that to see that the index can answer
        connection.exec_driver_sql("SET enable_seqscan = off")
        statement = listing.EVENTS.base(False).where(listing.EVENTS.filters["text"]("peace talks"))
        compiled = statement.compile(connection, compile_kwargs={"literal_binds": True})
        plan = "\n".join(connection.exec_driver_sql(f"EXPLAIN {compiled}").scalars())
        assert "ix_events_sentence_trgm" in plan, plan


def test_postgresql_without_the_right_to_create_pg_trgm_still_migrates(pg_url: str | None) -> None:
    if pg_url is None:
        pytest.skip(pg_scratch.skip_reason())
    name, role = f"tacitus_plain_{os.getpid()}", f"tacitus_plain_{os.getpid()}"
    pg_scratch.drop(name)  # left by a killed run: it holds the role's grant
    admin = pg_scratch.admin()
    with admin.connect() as connection:
        connection.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
        connection.execute(sa.text(f"CREATE ROLE {role} LOGIN"))
    assert pg_scratch.create(name) is not None  # owned by the administrator: no CREATE for the role
    owner = sa.create_engine(pg_scratch.url_of(name), isolation_level="AUTOCOMMIT")
    with owner.connect() as connection:
        connection.execute(sa.text(f"GRANT CREATE ON SCHEMA public TO {role}"))  # tables, not extensions
    owner.dispose()
    url = (
        sa.make_url(pg_scratch.PG_SERVER)
        .set(username=role, database=name)
        .render_as_string(hide_password=False)
    )
    try:
        with open_store(url) as store:
            for i in range(6):
                store.write(make_record(i))
            with store.engine.connect() as connection:
                indexes = set(connection.execute(sa.text("SELECT indexname FROM pg_indexes WHERE tablename = 'events'")).scalars())  # fmt: skip
            assert "ix_events_sentence_trgm" not in indexes and "ix_events_source_day" in indexes
            expected = sum(
                "police" in s.lower() for i in range(6) for s in SENTENCES if s in make_record(i).text
            )
            assert list_rows(store, "events", {"text": "POLICE"}).total == expected > 0
    finally:
        pg_scratch.drop(name)
        with admin.connect() as connection:
            connection.execute(sa.text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def test_search_page_caps_its_counts_and_the_api_does_not(tmp_path: Path, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    from tacitus.web import create_app, pages

    path = tmp_path / "t.db"
    with open_store(path) as store:
        for i in range(N_ARTICLES):
            store.write(make_record(i))
    monkeypatch.setattr(pages, "SEARCH_COUNT_LIMIT", 5)
    app = create_app(path)
    with TestClient(app) as client:
        page = client.get("/", params={"actor": "KEN"}).text
        assert '<span class="count">5+</span>' in page
        narrow = client.get(
            "/", params={"actor": "KEN", "text": "border", "since": "2024-03-01", "until": "2024-03-31"}
        )
        assert '+</span>' not in narrow.text and narrow.status_code == 200  # fmt: skip
        total = client.get("/api/events", params={"actor": "KEN"}).json()["total"]
        assert total > 5
    app.state.store.close()


def test_the_server_knows_the_shipped_revisions_without_alembic(tmp_path: Path) -> None:
    from tacitus.web.store import shipped_revisions

    head, known = shipped_revisions()
    assert head == head_revision()
    script = [
        p.stem.split("_")[0]
        for p in (Path(fulltext.__file__).parent / "migrations" / "versions").glob("0*.py")
    ]
    assert known == set(script) and head in known  # fmt: skip
    path = tmp_path / "t.db"
    open_store(path).close()
    # what `tacitus serve` imports and does before its first answer, in a fresh interpreter
    code = (
        "import sys, tacitus.cli, tacitus.cli.serve, uvicorn\n"
        "from tacitus.web import create_app\n"
        f"create_app({str(path)!r})\n"
        "heavy = ('alembic', 'mako', 'spacy', 'tacitus.pipeline')\n"
        "loaded = sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy)\n"
        "assert not loaded, loaded\n"
    )  # fmt: skip
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_the_read_only_server_store_lists_the_same(filled: Store) -> None:
    from tacitus.web.store import open_readonly

    where = filled.engine.url.render_as_string(hide_password=False)
    if filled.engine.dialect.name == "sqlite":
        where = filled.engine.url.database
    with open_readonly(where) as served:
        for what, filters in (
            ("events", {"text": "talks"}),
            ("events", {"actor": "RUS"}),
            ("quotes", {"text": "tear"}),
        ):
            assert every_page(served, what, filters) == every_page(filled, what, filters), (what, filters)
