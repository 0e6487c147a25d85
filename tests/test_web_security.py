"""Security of `tacitus serve`: stored payloads render inert, the CSP header is on every response, filters
with SQL metacharacters are only text, and no read endpoint changes the database.

The hostile article is a real sample record with script and event-handler payloads put into its text,
title, outlet, URL and an actor's name, as a crawled page could carry them. (The same article is loaded in a
real browser by tests/test_web_browser.py, which checks that no payload runs.)
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`")

PAYLOADS = (
    "<script>window.__xss = 1</script>",
    '<img src=x onerror="window.__xss = 2">',
    '"><svg onload=window.__xss=3>',
    "javascript:window.__xss=4",
)


def hostile_record(record):
    """``record`` with every payload in its text (appended, so every span still holds), title, outlet,
    URL and first actor's name."""
    text = record.text + "\n\n" + " ".join(PAYLOADS)
    first = replace(record.actors[0], name=PAYLOADS[1] + " " + record.actors[0].name)
    return replace(
        record,
        id="hostile",
        title=PAYLOADS[0] + " headline " + PAYLOADS[2],
        source=PAYLOADS[1],
        url=PAYLOADS[3],
        text=text,
        actors=[first, *record.actors[1:]],
    )


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from tacitus import jobs
    from tacitus.store import open_store

    path = tmp_path_factory.mktemp("websec") / "hostile.db"
    jobs.demo(path)
    with open_store(path) as store:
        assert store.write(hostile_record(store.get_record("02-portugal-brazil-phone-call"))) == "inserted"
    return path


@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from tacitus.web import create_app

    app = create_app(db)
    with TestClient(app) as test_client:
        yield test_client
    app.state.store.close()


class _Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    return parser


def assert_inert(html: str) -> _Elements:
    page = parse(html)
    for tag, attrs in page.tags:
        handlers = [name for name in attrs if name.lower().startswith("on")]
        assert not handlers, f"<{tag}> carries event handler attributes {handlers}"
        if tag == "script":
            assert attrs.get("src", "").startswith("/"), f"a script that is not one of our files: {attrs}"
        for name in ("href", "src", "action"):
            assert not (attrs.get(name) or "").strip().lower().startswith("javascript:"), (tag, attrs)
    assert all(
        tag not in ("svg", "img", "iframe", "object") or attrs.get("class") == "chart"
        for tag, attrs in page.tags
    )
    return page


def test_a_hostile_article_renders_its_payloads_as_text(client):
    response = client.get("/articles/hostile")
    assert response.status_code == 200
    page = assert_inert(response.text)
    text = "".join(page.text)
    # the payloads are on the page, as the words they are, so a reader sees what the article held
    for payload in PAYLOADS:
        assert payload in text
    assert "<script>window" not in response.text  # escaped in the markup, not merely hidden


@pytest.mark.parametrize(
    "path",
    [
        "/?text=onerror",
        "/?text=%3Cscript%3E",
        "/actors/PRTGOV",
        "/dyads/PRTGOV/BRAGOV",
        '/?actor="><script>alert(1)</script>',
        "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/?since=<img src=x onerror=alert(1)>",
    ],
)
def test_every_page_showing_stored_or_requested_text_is_inert(client, path):
    response = client.get(path)
    assert response.status_code in (200, 400, 404)
    assert_inert(response.text)


def test_the_security_headers_are_on_every_kind_of_response(client):
    for path in (
        "/",
        "/articles/hostile",
        "/api/events",
        "/api/nothing",
        "/nothing",
        "/static/tacitus.css",
        "/docs",
    ):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"  # addresses never leak to other sites


def test_pages_have_no_inline_script_or_style_for_the_csp_to_block(client):
    for path in ("/", "/articles/hostile", "/actors/PRTGOV", "/dyads/PRTGOV/BRAGOV", "/docs"):
        page = parse(client.get(path).text)
        assert all(tag != "style" for tag, _ in page.tags)
        assert all("style" not in attrs for _, attrs in page.tags), path
        assert all(attrs.get("src") for tag, attrs in page.tags if tag == "script"), path


@pytest.mark.parametrize(
    "value",
    [
        "' OR '1'='1",
        "'; DROP TABLE events; --",
        '" OR 1=1 --',
        "%",
        "_",
        "\\",
        "KEN%' UNION SELECT * FROM articles --",
    ],
)
def test_filters_with_sql_metacharacters_are_literal_text(client, value):
    from tacitus.web.store import open_readonly

    for field in ("actor", "code", "text", "outlet", "article"):
        response = client.get("/api/events", params={field: value, "limit": 500})
        assert response.status_code == 200, (field, response.text)
        rows = response.json()["items"]
        if field in ("text", "outlet"):
            # a literal substring search: only sentences (outlets) really holding the characters match
            column = "sentence" if field == "text" else "outlet"
            assert all(value.lower() in (r[column] or "").lower() for r in rows)
        else:
            assert rows == []
    assert client.get("/api/quotes", params={"text": value}).status_code == 200
    assert client.get("/", params={"actor": value, "text": value}).status_code == 200
    with open_readonly(client.app.state.store.url) as store:
        assert store.summary()["events"] > 0  # nothing was dropped


def test_percent_matches_only_a_literal_percent(client):
    every = client.get("/api/events", params={"limit": 500}).json()["items"]
    expected = [r["pk"] for r in every if "%" in (r["sentence"] or "")]
    got = client.get("/api/events", params={"text": "%", "limit": 500}).json()["items"]
    assert [r["pk"] for r in got] == expected
    assert len(expected) < len(every)


def test_no_read_endpoint_changes_the_database(client, db):
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for path in (
        "/",
        "/?actor=KEN&text=police",
        "/articles/hostile",
        "/actors/KENGOV",
        "/dyads/KENGOV/KENCOP",
        "/api/events",
        "/api/quotes",
        "/api/actors",
        "/api/articles",
        "/api/articles/hostile",
        "/api/clusters",
        "/api/summary",
        "/api/events.csv",
        "/api/quotes.csv",
    ):
        assert client.get(path).status_code == 200, path
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


def test_analysis_form_is_refused_when_analysis_is_off(client):
    assert client.get("/analyze").status_code == 403
    assert client.post("/analyze", data={"text": "Kenya condemned Uganda."}).status_code == 403
