"""Boilerplate learned per source: a line a site prints under many of its articles is dropped before analysis
and counted in the record; a line seen twice is not; the store remembers what it learned."""

from __future__ import annotations

import gzip
import io
import json
import os
from contextlib import nullcontext
from pathlib import Path

import pytest

from tacitus import jobs
from tacitus.ingest.learned import (
    MIN_ARTICLES,
    BoilerplateModel,
    article_keys,
    line_key,
    paragraphs,
    source_of,
)
from tacitus.ingest.prepare import Dropped, Preparer, Ready
from tacitus.model import Article
from tacitus.store import open_store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "allsides-intl.jsonl.gz"

FOOTER = "The Daily Planet world desk has brought you the morning briefing since 2019."
TWICE = "The ministry declined to comment."
BODIES = (
    "Russian President Vladimir Putin met Chinese President Xi Jinping in Beijing on Tuesday.",
    "Turkish troops shelled positions held by Kurdish fighters near the Syrian border town of Kobani.",
    "French President Emmanuel Macron urged Iran to return to talks on its nuclear programme.",
    "Japanese Prime Minister Shinzo Abe visited Washington to discuss trade with President Donald Trump.",
    "Kenyan police arrested three men suspected of planning an attack on a shopping centre in Nairobi.",
    "German Chancellor Angela Merkel praised the agreement reached by European finance ministers.",
)


def _page(i: int, *, footer: bool = True, twice: bool = False) -> str:
    parts = [
        BODIES[i % len(BODIES)],
        *([TWICE] if twice else []),
        *([FOOTER.replace("2019", str(2015 + i))] if footer else []),
    ]
    return "\n\n".join(parts)


def _articles(n: int, source: str = "The Daily Planet") -> list[Article]:
    return [
        Article(text=_page(i, twice=i < 2), id=f"dp-{i}", source=source, published="2019-06-0" + str(i + 1))
        for i in range(n)
    ]


# -- the model ------------------------------------------------------------------------------------------


def test_a_line_is_keyed_by_its_normalised_text() -> None:
    assert line_key("Copyright © 2019 The Daily Planet.") == line_key("copyright ©  2020 the DAILY planet.")
    assert line_key("Story continued below") != line_key("Story continues below")
    assert paragraphs("a\n\n b \n\n\nc") == ["a", "b", "c"]
    assert paragraphs("one line\nanother line") == ["one line", "another line"]
    assert source_of(Article(text="x", url="https://www.example.com/a")) == "example.com"
    assert source_of(Article(text="x")) is None


def test_a_line_in_many_articles_of_a_source_is_learned_and_one_seen_twice_is_not() -> None:
    model = BoilerplateModel()
    for article in _articles(6):
        model.observe(article.source, article_keys(article.text))
    learned = model.lines("The Daily Planet")
    assert list(learned.values()) == [FOOTER.replace("2019", "2015")]
    stripped = model.strip("The Daily Planet", _page(0, twice=True))
    assert stripped.text == BODIES[0] + "\n\n" + TWICE  # the line seen twice stays
    assert stripped.removed == [FOOTER.replace("2019", "2015")]
    # another source has learned nothing
    assert model.lines("Another Paper") == {} and model.strip("Another Paper", FOOTER).text == FOOTER


def test_a_line_needs_enough_articles_and_a_share_of_them() -> None:
    model = BoilerplateModel()
    for article in _articles(MIN_ARTICLES - 1):
        model.observe(article.source, article_keys(article.text))
    assert model.lines("The Daily Planet") == {}
    model = BoilerplateModel(min_articles=2, min_share=0.5)
    model.add_counts("The Daily Planet", 10, {line_key(FOOTER): 4})
    assert model.lines("The Daily Planet") == {}  # 4 of 10 articles is under half
    model.add_counts("The Daily Planet", 0, {line_key(FOOTER): 1})
    assert line_key(FOOTER) in model.lines("The Daily Planet")


def test_copies_of_one_story_do_not_teach_its_paragraphs() -> None:
    story = "\n\n".join(
        f"Paragraph {n} of a long story about the talks in Geneva, told at length and in detail, "
        "with enough words to be compared by their wording rather than by chance."
        for n in range(4)
    )
    copies = [Article(text=story + f"\n\n{FOOTER}", id=f"c{i}", source="Wire") for i in range(6)]
    preparer = Preparer(dedup=False)
    items = list(preparer.run(copies))
    assert all(isinstance(i, Ready) for i in items)
    assert all(i.article.text == copies[0].text for i in items)  # nothing learned from six copies


def test_an_article_that_is_all_boilerplate_is_dropped_with_a_reason() -> None:
    articles = [*_articles(6), Article(text=FOOTER, id="only-footer", source="The Daily Planet")]
    items = list(Preparer(dedup=False).run(articles))
    assert isinstance(items[-1], Dropped) and "--no-learn-boilerplate" in items[-1].reason


# -- runs -------------------------------------------------------------------------------------------------


def _jsonl(path: Path, articles: list[Article], *, field: str = "text") -> Path:
    with path.open("w", encoding="utf-8") as out:
        for a in articles:
            body = (
                a.text
                if field == "text"
                else "<html><body><article>"
                + "".join(f"<p>{p}</p>" for p in paragraphs(a.text))
                + "</article></body></html>"
            )
            out.write(
                json.dumps({"id": a.id, "source": a.source, "published": a.published, field: body}) + "\n"
            )
    return path


def test_extract_drops_the_learned_line_and_counts_it_in_the_record(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "pages.jsonl", _articles(6), field="html")
    out = io.StringIO()
    report = jobs.extract([path], out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(records) == 6 and report.boilerplate_dropped == 6
    for record in records:
        assert "world desk" not in record["text"]
        assert record["boilerplate_removed"] == {"learned:The Daily Planet": 1}
    assert TWICE in records[0]["text"]
    # with --no-learn-boilerplate the footer stays
    out = io.StringIO()
    jobs.extract([path], out, learn_boilerplate=False)
    assert all("world desk" in json.loads(line)["text"] for line in out.getvalue().splitlines())


def test_a_jsonl_text_is_kept_as_given_unless_cleaning_is_asked_for(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "texts.jsonl", _articles(6))
    out = io.StringIO()
    jobs.extract([path], out)
    given = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["text"] for r in given] == [a.text for a in _articles(6)]
    assert all(r["boilerplate_removed"] == {} for r in given)
    out = io.StringIO()
    jobs.extract([path], out, clean_text=True)
    assert all("world desk" not in json.loads(line)["text"] for line in out.getvalue().splitlines())


def test_the_store_remembers_what_it_learned_for_the_next_batch(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    jobs.process([_jsonl(tmp_path / "first.jsonl", _articles(5), field="html")], db)
    with open_store(db) as store:
        [line] = store.learned_boilerplate()
        assert (line["source"], line["n_articles"], line["share"]) == ("The Daily Planet", 5, 1.0)
    # a batch of one article from the same site: the footer is known from the store
    late = Article(text=_page(5), id="dp-late", source="The Daily Planet", published="2019-07-01")
    report = jobs.process([_jsonl(tmp_path / "second.jsonl", [late], field="html")], db)
    assert report.stored == {"inserted": 1} and report.boilerplate_dropped == 1
    with open_store(db) as store:
        record = store.get_record("dp-late")
        assert record is not None and "world desk" not in record.text
        assert record.boilerplate_removed == {"learned:The Daily Planet": 1}
        assert store.learned_boilerplate()[0]["n_articles"] == 6


@pytest.mark.skipif(not CORPUS.exists(), reason="../shared/corpora/allsides-intl.jsonl.gz is missing")
def test_lines_learned_over_the_allsides_corpus() -> None:
    # 2026-12-02: 5,283 of 148,177 paragraphs learned as boilerplate in 33 of 142 outlets (a hand check of 30
    # dropped lines found 30 site furniture or generic crossheads, no news)
    with gzip.open(CORPUS, "rt", encoding="utf-8") as handle:
        articles = [json.loads(line) for line in handle]
    model = BoilerplateModel()
    for a in articles:
        model.observe(a["source"], article_keys(a["text"]))
    dropped = {a["source"]: 0 for a in articles}
    for a in articles:
        dropped[a["source"]] += len(model.strip(a["source"], a["text"]).removed)
    assert 4000 <= sum(dropped.values()) <= 7000
    assert 25 <= sum(1 for n in dropped.values() if n) <= 45
    learned = [text for source in model.sources() for text in model.lines(source).values()]
    # furniture, not news: learned lines are short on the whole
    assert sorted(len(t) for t in learned)[len(learned) // 2] < 80


@pytest.mark.parametrize("dialect", ["sqlite", "postgresql"])
def test_stored_paragraph_counts_add_up_over_articles_on_both_databases(tmp_path: Path, dialect: str) -> None:
    # one statement writes all of an article's keys (tacitus.store.publications.add_counts): a key repeated
    # within an article counts once, keys met again add up, another source keeps its own counts
    from pg_scratch import scratch, skip_reason
    from tacitus.model import Record
    from tacitus.store.publications import Provenance

    with scratch(f"tacitus_counts_{os.getpid()}") if dialect == "postgresql" else nullcontext(None) as url:
        if dialect == "postgresql" and url is None:
            pytest.skip(skip_reason())
        db = url or tmp_path / "counts.db"
        writes = [("a", "Planet", ["k1", "k2", "k1"]), ("b", "Planet", ["k2", "k3"]), ("c", "Other", ["k2"])]
        with open_store(db) as store:
            for name, source, lines in writes:
                provenance = Provenance(key=f"key-{name}", source=source, lines=tuple(lines))
                record = Record(id=name, text=f"Text of article {name}.")
                assert store.write(record, provenance=provenance) == "inserted"
            counts = {
                s: (n, c)
                for s, n, c, _ in store.boilerplate_counts(
                    {"Planet": ["k1", "k2", "k3"], "Other": ["k2", "k9"]}
                )
            }
    assert counts == {"Planet": (2, {"k1": 1, "k2": 2, "k3": 1}), "Other": (1, {"k2": 1})}
