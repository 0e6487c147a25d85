"""`tacitus serve` in a real browser: Playwright drives Debian's Chromium (/usr/bin/chromium, never a
downloaded browser) against a server on a free localhost port, on a store of the bundled samples plus one
hostile article (tests/test_web_security.py makes it).

Checks: the highlights cover exactly the record's spans; a reader can go article -> actor -> dyad -> a
week's events by clicking, and read the marks by keyboard; the page fits a phone's width; no payload runs;
nothing is requested from another server and no CSP violation is reported. Screenshots of every page go to
a folder printed at the start (TACITUS_ARTIFACTS chooses it; CI keeps it as the run's artefacts).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("TACITUS_CHROMIUM", "/usr/bin/chromium")

pytestmark = [
    pytest.mark.skipif(
        not Path(CHROMIUM).exists() and not shutil.which("chromium"),
        reason=f"Debian's chromium is not installed ({CHROMIUM}); `apt-get install chromium` (.ci/run does)",
    ),
    pytest.mark.filterwarnings("ignore:Using `httpx` with `starlette.testclient`"),
]

playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="the playwright package is a dev dependency"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    from tacitus import jobs
    from tacitus.store import open_store
    from test_web_security import hostile_record

    path = tmp_path_factory.mktemp("webbrowser") / "samples.db"
    jobs.demo(path)
    with open_store(path) as store:
        store.write(hostile_record(store.get_record("02-portugal-brazil-phone-call")))
    return path


@pytest.fixture(scope="module")
def base_url(db):
    import uvicorn

    from tacitus.web import create_app

    app = create_app(db, allow_analyze=True)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the test server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    app.state.store.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("TACITUS_ARTIFACTS") or tmp_path_factory.mktemp("artifacts")) / "web"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the web pages: {folder}")
    return folder


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=shutil.which("chromium") or CHROMIUM)
        yield launched
        launched.close()


class Watch:
    """A page with everything it reports: console errors (CSP violations among them), uncaught
    exceptions, dialogs (an alert() from a payload) and every URL it requested."""

    def __init__(self, browser, base_url: str, **options) -> None:
        self.context = browser.new_context(**options)
        self.page = self.context.new_page()
        self.base = base_url
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def go(self, path: str):
        response = self.page.goto(self.base + path)
        return response

    def check_clean(self) -> None:
        assert not self.errors, self.errors
        assert not self.dialogs, self.dialogs
        foreign = [
            url for url in self.requests if not url.startswith(self.base) and not url.startswith("data:")
        ]
        assert not foreign, f"requests to other servers: {foreign}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watch(browser, base_url):
    opened = Watch(browser, base_url, viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()


def _expected_annotation_texts(record) -> dict[str, str]:
    from tacitus.web.highlight import annotations

    texts = {}
    for ann_id, ann in annotations(record).items():
        merged: list[list[int]] = []
        for start, end in ann.spans:
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        texts[ann_id] = "".join(record.text[s:e] for s, e in merged)
    return texts


MARK_TEXTS = """() => {
  const texts = {};
  for (const mark of document.querySelectorAll('#text mark[data-ann]')) {
    for (const id of mark.dataset.ann.split(' ')) { texts[id] = (texts[id] || '') + mark.textContent; }
  }
  return texts;
}"""


@pytest.mark.parametrize(
    "article_id", ["02-portugal-brazil-phone-call", "sample-jsonl-04", "05-korea-vietnam-state-visit"]
)
def test_highlights_cover_exactly_the_records_spans(watch, db, shots, article_id):
    from tacitus.web.store import open_readonly

    with open_readonly(db) as store:
        record = store.get_record(article_id)
    watch.go(f"/articles/{article_id}")
    page = watch.page
    # the whole text is on the page, character for character, marks and all
    assert page.locator("#text").text_content() == record.text
    shown = page.evaluate(MARK_TEXTS)
    expected = _expected_annotation_texts(record)
    assert shown == expected
    # and the ids line up with the record: every event trigger, quote and actor is there
    assert {e.id for e in record.events if e.trigger_span} <= set(shown)
    assert {q.id for q in record.quotes} <= set(shown)
    page.screenshot(path=str(shots / f"article-{article_id}.png"), full_page=True)
    watch.check_clean()


def test_click_through_search_article_actor_dyad_and_a_weeks_events(watch, shots):
    page = watch.page
    watch.go("/?actor=KENGOV")
    page.screenshot(path=str(shots / "search.png"), full_page=True)
    page.locator("#events table a[href^='/articles/']").first.click()
    page.wait_for_url("**/articles/01-nairobi-fuel-levy-protest#at-e*")
    # the event the link pointed at is explained in the panel
    card = page.locator("#panel-cards .card-event").first
    assert card.is_visible()
    code = card.locator("code").first.text_content()
    assert code and code.isdigit()
    # clicking a speaker shows its quote's card, with the speaker's name
    speaker = page.locator("#text mark.k-speaker").first
    speaker.click()
    quote_card = page.locator("#panel-cards .card-quote").first
    assert quote_card.is_visible()
    page.screenshot(path=str(shots / "article-panel.png"))
    # the actor of an event, one click from its card
    page.locator("#text mark.k-event").first.click()
    page.locator("#panel-cards .card-event a[href^='/actors/']").first.click()
    page.wait_for_url("**/actors/**")
    actor_code = page.locator("h1 code").text_content()
    assert actor_code and actor_code == page.url.rsplit("/", 1)[1]
    assert page.locator("svg.chart rect.bar").count() >= 1
    page.screenshot(path=str(shots / "actor.png"), full_page=True)
    # a partner leads to the dyad; a bar leads to the events of its week
    page.locator(".partners a[href^='/dyads/']").first.click()
    page.wait_for_url("**/dyads/**")
    bars = page.locator("svg.chart a.bar-link")
    assert bars.count() >= 1
    title = bars.first.locator("title").text_content()
    n = int(title.split(": ", 1)[1].split(" ")[0])
    page.screenshot(path=str(shots / "dyad.png"), full_page=True)
    bars.first.click()
    page.wait_for_url("**week=*")
    assert page.locator("#events tbody tr").count() == n
    watch.check_clean()


def test_marks_are_reachable_and_readable_by_keyboard(watch):
    page = watch.page
    watch.go("/articles/02-portugal-brazil-phone-call")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark[data-ann]')"):
            break
    else:
        pytest.fail("no mark of the text could be reached with Tab")
    cards = page.evaluate("document.activeElement.dataset.cards").split()
    shown = page.locator("#panel-cards .card")
    assert shown.count() == len(cards) >= 1
    assert page.locator("#panel-cards").text_content().strip()
    watch.check_clean()


def test_pages_fit_a_phone_screen(browser, base_url, shots):
    phone = Watch(browser, base_url, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        for name, path in (
            ("article", "/articles/02-portugal-brazil-phone-call"),
            ("search", "/?actor=KEN"),
            ("actor", "/actors/KENGOV"),
            ("dyad", "/dyads/KENGOV/KENCOP"),
        ):
            phone.go(path)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width} px wide on a 390 px screen"
            phone.page.screenshot(path=str(shots / f"phone-{name}.png"), full_page=True)
        phone.check_clean()
    finally:
        phone.close()


def test_a_hostile_article_runs_none_of_its_payloads(watch, shots):
    watch.go("/articles/hostile")
    page = watch.page
    page.locator("#text mark[data-ann]").first.click()
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert "<script>window.__xss = 1</script>" in page.locator("h1").text_content()
    assert page.locator("img").count() == 0 and page.locator("svg").count() == 0
    page.screenshot(path=str(shots / "hostile.png"), full_page=True)
    watch.check_clean()


def test_analyze_page_renders_the_record_of_a_pasted_text(watch, shots):
    page = watch.page
    watch.go("/analyze")
    text = "Kenyan police arrested 31 protesters in Nairobi on Tuesday, a police spokesman said."
    page.fill("textarea[name=text]", text)
    page.fill("input[name=published]", "2024-06-26")
    page.click("form.analyze button[type=submit]")
    page.wait_for_selector("#text")
    assert page.locator("#text").text_content() == text
    assert page.locator("#text mark.k-event").count() >= 1
    page.screenshot(path=str(shots / "analyze.png"), full_page=True)
    watch.check_clean()


def test_api_docs_render_from_this_server_only(watch, shots):
    watch.go("/docs")
    watch.page.wait_for_selector(".opblock-summary-path", timeout=15000)
    paths = watch.page.locator(".opblock-summary-path").all_text_contents()
    assert "/api/events" in paths and "/api/analyze" in paths
    watch.page.screenshot(path=str(shots / "docs.png"))
    watch.check_clean()
