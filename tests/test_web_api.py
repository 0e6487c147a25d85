"""The JSON API of `tacitus serve` (and what its pages mark on an event), through the ASGI test client, on a
store of the bundled samples.

The store is built once for the module (the samples analysed, plus one copy of a sample with no dates at
all, so that nulls-last paging is exercised) and then served read-only, as `tacitus serve` does.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from tacitus import jobs
    from tacitus.store import open_store

    path = tmp_path_factory.mktemp("web") / "samples.db"
    jobs.demo(path)
    with open_store(path) as store:
        _write_copy(store, "undated", lambda e: replace(e, date=None, date_span=None), published=None)
    return path


def _write_copy(store, new_id: str, change, **fields):
    """Store a copy of sample 01 as article ``new_id``, each event changed by ``change``."""
    record = store.get_record("01-nairobi-fuel-levy-protest")
    copy = replace(
        record,
        id=new_id,
        text=record.text + " ",  # another text, so another article; every span still indexes it
        events=[change(e) for e in record.events],
        **fields,
    )
    assert store.write(copy) == "inserted"
    return copy


@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from tacitus.web import create_app

    app = create_app(db)
    with TestClient(app) as test_client:
        yield test_client
    app.state.store.close()


@pytest.fixture(scope="module")
def store(db):
    from tacitus.web.store import open_readonly

    with open_readonly(db) as opened:
        yield opened


def _all_pages(client, path, **params):
    rows, cursor, pages = [], None, 0
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        body = client.get(path, params=query).json()
        rows += body["items"]
        pages += 1
        cursor = body["next"]
        if cursor is None:
            return rows, body["total"], pages


def test_event_pages_walk_every_event_once_in_the_cli_order(client, store):
    expected = [(r["article_id"], r["event_id"]) for r in store.events()]
    rows, total, pages = _all_pages(client, "/api/events", limit=7)
    assert [(r["article_id"], r["event_id"]) for r in rows] == expected
    assert total == len(expected) == len(rows)
    assert pages == -(-len(expected) // 7)
    # the undated copy's events come last (nulls last), as `tacitus events` lists them
    undated = [r for r in rows if r["article_id"] == "undated"]
    assert undated and all(r["date"] is None for r in undated)
    assert rows[-len(undated) :] == undated
    assert all(r["date"] is not None for r in rows[: -len(undated)])


def test_descending_and_goldstein_sorts_keep_nulls_last_and_page_stably(client, store):
    rows, total, _ = _all_pages(client, "/api/events", sort="-date", limit=10)
    days = [r["date"] for r in rows]
    dated = [d for d in days if d is not None]
    assert dated == sorted(dated, reverse=True)
    assert days[len(dated) :] == [None] * (len(days) - len(dated))
    assert len({r["pk"] for r in rows}) == total == len(store.events())
    rows, _, _ = _all_pages(client, "/api/events", sort="goldstein", limit=9)
    scores = [r["goldstein"] for r in rows if r["goldstein"] is not None]
    assert scores == sorted(scores)


def test_event_filters_match_the_store_queries(client, store):
    for params, expected in (
        ({"actor": "ken"}, store.events(actor="KEN")),
        ({"code": "19"}, store.events(code="19")),
        (
            {"since": "2024-01-01", "until": "2024-06-30"},
            store.events(since="2024-01-01", until="2024-06-30"),
        ),
    ):
        rows, total, _ = _all_pages(client, "/api/events", limit=500, **params)
        assert total == len(expected) > 0, params
        assert [(r["article_id"], r["event_id"]) for r in rows] == [
            (r["article_id"], r["event_id"]) for r in expected
        ]
    body = client.get("/api/events", params={"source": "KENGOV", "target": "KENCOP"}).json()
    assert body["items"] and all(
        r["source_code"] == "KENGOV" and r["target_code"] == "KENCOP" for r in body["items"]
    )
    body = client.get("/api/events", params={"text": "POLICE"}).json()
    assert body["items"] and all("police" in r["sentence"].lower() for r in body["items"])
    assert body["filters"] == {"text": "POLICE"}


def test_quote_listing_filters_by_speaker_type_and_words(client, store):
    rows, total, _ = _all_pages(client, "/api/quotes", limit=13)
    assert [(r["article_id"], r["quote_id"]) for r in rows] == [
        (r["article_id"], r["quote_id"]) for r in store.quotes()
    ]
    speaker = next(r["speaker_code"] for r in rows if r["speaker_code"])
    body = client.get("/api/quotes", params={"actor": speaker, "limit": 500}).json()
    assert body["total"] == len(store.quotes(actor=speaker)) > 0
    body = client.get("/api/quotes", params={"type": "finding,speech"}).json()
    assert all(r["type"] in ("finding", "speech") for r in body["items"])
    assert client.get("/api/quotes", params={"type": "rumour"}).status_code == 400


def test_article_record_is_the_stored_record(client, store):
    body = client.get("/api/articles/02-portugal-brazil-phone-call").json()
    assert body == store.get_record("02-portugal-brazil-phone-call").to_dict()
    listing = client.get("/api/articles", params={"limit": 3}).json()
    days = [r["published_day"] for r in listing["items"]]
    assert days == sorted(days, reverse=True)  # newest first
    assert all(r["key"] == r["article_id"] for r in listing["items"])
    rows, total, _ = _all_pages(client, "/api/articles", limit=4)
    assert len(rows) == total == 15


def test_actor_listing_pages_through_the_cli_listing(client, store):
    rows, total, _ = _all_pages(client, "/api/actors", limit=40)
    expected = store.actors()
    assert total == len(expected)
    assert [(r["name"], r["code"]) for r in rows] == [(r["name"], r["code"]) for r in expected]


def test_clusters_listing_by_kind_and_filters(client, store):
    with store.engine.connect() as connection:
        n_clusters = connection.execute(sa.text("SELECT count(*) FROM event_clusters")).scalar()
    rows, total, _ = _all_pages(client, "/api/clusters", limit=20)
    assert len(rows) == total == n_clusters > 0
    days = [r["day"] for r in rows if r["day"]]
    assert days == sorted(days)
    # a cluster's members are the events whose cluster is it
    biggest = max(rows, key=lambda r: r["n_mentions"])
    members = client.get("/api/events", params={"cluster": biggest["pk"]}).json()
    assert members["total"] == biggest["n_mentions"]
    assert all(r["cluster"] == biggest["pk"] for r in members["items"])
    wide = client.get("/api/clusters", params={"min_sources": 2, "limit": 500}).json()["items"]
    assert wide == [r for r in rows if r["n_sources"] >= 2]
    by_mentions = client.get("/api/clusters", params={"sort": "-mentions", "limit": 500}).json()["items"]
    assert [r["n_mentions"] for r in by_mentions] == sorted((r["n_mentions"] for r in rows), reverse=True)
    kenya = client.get("/api/clusters", params={"actor": "KEN", "limit": 500}).json()["items"]
    assert kenya and all("KEN" in (r["source_code"] or "") + (r["target_code"] or "") for r in kenya)
    assert client.get("/api/clusters", params={"kind": "quotes"}).status_code == 200
    assert client.get("/api/clusters", params={"kind": "people"}).status_code == 400
    assert client.get("/api/clusters", params={"min_sources": "two"}).status_code == 400


def test_csv_download_has_the_cli_columns_and_every_matching_row(client, store):
    from tacitus.jobs import query_columns

    response = client.get("/api/events.csv", params={"actor": "KEN"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == query_columns("events")
    assert len(rows) - 1 == len(store.events(actor="KEN"))
    response = client.get("/api/quotes.csv")
    assert len(list(csv.reader(io.StringIO(response.text)))) - 1 == len(store.quotes())


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("/api/events", {"since": "2024-13-01"}, 400, "not an ISO date"),
        ("/api/events", {"sort": "size"}, 400, "cannot be sorted by 'size'"),
        ("/api/events", {"limit": 0}, 400, "limit"),
        ("/api/events", {"limit": 501}, 400, "limit"),
        ("/api/events", {"cursor": "not-a-cursor"}, 400, "not one this listing gave out"),
        ("/api/events", {"cluster": "x"}, 400, "not a whole number"),
        ("/api/events", {"text": "x" * 201}, 400, "at most 200"),
        ("/api/articles/no-such-article", {}, 404, "no stored article has the id"),
        ("/api/nothing", {}, 404, "is not a page or endpoint"),
    ],
)
def test_errors_are_json_sentences_with_the_right_status(client, path, params, status, words):
    response = client.get(path, params=params)
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["error"] and words in body["error"]


def test_a_cursor_only_works_with_the_sort_it_was_made_for(client):
    cursor = client.get("/api/events", params={"limit": 2}).json()["next"]
    assert client.get("/api/events", params={"limit": 2, "cursor": cursor}).status_code == 200
    response = client.get("/api/events", params={"limit": 2, "cursor": cursor, "sort": "-date"})
    assert response.status_code == 400


def test_size_limits_refuse_long_queries_and_bodies(client):
    assert client.get("/api/events", params={"text": "x" * 5000}).status_code == 414
    response = client.post("/api/analyze", content=b"{" + b" " * 2_100_000 + b"}",
                           headers={"content-type": "application/json"})  # fmt: skip
    assert response.status_code == 413
    assert "larger than" in response.json()["error"]


def test_analysis_is_refused_unless_allowed(client):
    response = client.post("/api/analyze", json={"text": "Kenya condemned Uganda."})
    assert response.status_code == 403
    assert "--allow-analyze" in response.json()["error"]


def test_analysis_when_allowed_returns_a_record_and_rejects_bad_bodies(db):
    from fastapi.testclient import TestClient

    from tacitus.web import create_app

    app = create_app(db, allow_analyze=True)
    with TestClient(app) as client:
        text = "Kenyan police arrested 31 protesters in Nairobi on Tuesday, a police spokesman said."
        record = client.post("/api/analyze", json={"text": text, "published": "2024-06-26"}).json()
        assert record["text"] == text and record["published"] == "2024-06-26"
        assert any(e["code"].startswith("1") for e in record["events"])  # an arrest is coded (CAMEO 17x/1xx)
        html = (
            "<html><head><title>Talks</title></head><body><article><p>"
            + text
            + "</p></article></body></html>"
        )
        assert client.post("/api/analyze", json={"html": html}).json()["text"].startswith("Kenyan police")
        assert client.post("/api/analyze", json={"text": text, "html": html}).status_code == 422
        assert client.post("/api/analyze", json={"txt": text}).status_code == 422
        assert client.post("/api/analyze", json={"text": text, "published": "June"}).status_code == 422
        assert (
            client.post(
                "/api/analyze", content=b"not json", headers={"content-type": "application/json"}
            ).status_code
            == 422
        )
        cross = client.post("/api/analyze", json={"text": text}, headers={"origin": "http://evil.example"})
        assert cross.status_code == 403
    app.state.store.close()


def test_openapi_lists_every_endpoint_and_docs_load_nothing_from_elsewhere(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/events", "/api/quotes", "/api/actors", "/api/articles", "/api/articles/{key}",
                 "/api/clusters", "/api/analyze"):  # fmt: skip
        assert path in spec["paths"]
    page = client.get("/docs").text
    assert "http" not in page.replace('href="/openapi.json"', "")  # every asset is a path on this server
    for asset in ("/swagger-ui/swagger-ui-bundle.js", "/swagger-ui/swagger-ui.css", "/static/docs.js"):
        assert client.get(asset).status_code == 200


def test_serving_never_creates_or_migrates_a_database(tmp_path):
    from tacitus.errors import StoreUnavailable
    from tacitus.web.store import open_readonly

    missing = tmp_path / "missing.db"
    with pytest.raises(StoreUnavailable, match="no such database"):
        open_readonly(missing)
    assert not missing.exists()
    old = tmp_path / "old.db"
    engine = sa.create_engine(f"sqlite:///{old}")
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        connection.execute(sa.text("INSERT INTO alembic_version VALUES ('0007')"))
    engine.dispose()
    with pytest.raises(StoreUnavailable, match="older than this Tacitus") as caught:
        open_readonly(old)
    assert "\n" not in str(caught.value)
    engine = sa.create_engine(f"sqlite:///{old}")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == "0007"
    engine.dispose()


def test_the_served_store_refuses_writes(store):
    with (
        pytest.raises(sa.exc.OperationalError, match="readonly|read-only|query_only"),
        store.engine.begin() as c,
    ):
        c.execute(sa.text("DELETE FROM events"))
    assert store.summary()["events"] > 0


def test_serve_command_reports_a_missing_database_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from tacitus.cli import app

    result = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "no such database" in lines[0]
    assert not (tmp_path / "nope.db").exists()


def test_json_rows_are_plain_json(client):
    body = client.get("/api/events", params={"limit": 1}).json()
    assert json.loads(json.dumps(body)) == body
    assert {"pk", "cluster", "article_key", "sentence", "trigger_start"} <= set(body["items"][0])


def test_a_summary_of_repeated_acts_is_marked_in_the_listing_and_the_article(tmp_path):
    # Event.repeated ("has repeatedly criticized"): the pages say so, as they say negated
    from fastapi.testclient import TestClient

    from tacitus import jobs
    from tacitus.store import open_store
    from tacitus.web import create_app

    path = tmp_path / "s.db"
    jobs.demo(path)
    with open_store(path) as store:
        summed = _write_copy(store, "summed", lambda e: replace(e, repeated=True))
    app = create_app(path)
    with TestClient(app) as client:
        article = client.get("/articles/summed").text
        assert article.count(">repeated</span>") == len(summed.events) > 0
        assert ">repeated</span>" not in client.get("/articles/01-nairobi-fuel-levy-protest").text
        listing = client.get("/", params={"text": summed.span_text(summed.events[0].sentence_span)[:30]}).text
        assert ">repeated</span>" in listing
    app.state.store.close()
