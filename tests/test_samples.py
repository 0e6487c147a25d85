"""The bundled samples: every record the demo stores satisfies the contract (schema and cross-checks)."""

from __future__ import annotations

from tacitus.jobs import sample_articles
from tacitus.pipeline import analyze_batch
from tacitus.schema import validate_record


def test_every_sample_record_validates():
    articles = sample_articles()
    assert 10 <= len(articles) <= 20
    assert all(a.published for a in articles), "published.tsv or the JSONL must date every sample"
    records = list(analyze_batch(articles))
    assert len(records) == len(articles)
    for record in records:
        problems = validate_record(record.to_dict())
        assert problems == [], (record.id, problems)
    # the samples were written to exercise every stage
    assert sum(len(r.events) for r in records) >= 20
    assert sum(len(r.quotes) for r in records) >= 30
    assert {e.code for r in records for e in r.events} >= {"036", "051", "112", "120", "163", "173"}


def test_scraped_sample_page_is_cleaned():
    by_id = {a.id: a for a in sample_articles()}
    page = by_id["01-nairobi-fuel-levy-protest"]
    assert page.section and "Kenya" in page.section
    assert "(Photo by Northwire)" not in page.text
    assert "can also be accessed" not in page.text
