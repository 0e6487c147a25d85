"""The watchdog (tacitus.watchdog): a pathological article is cut or skipped with a reason, never hangs a batch.

The slow stage injected here burns CPU for up to 20 s, inside a ``try/except Exception`` that swallows
what it can: only an enforced budget stops it early, so the tests cannot pass by a fast machine or by a
stage that gives up on its own, and the article can only be reported as timed out if the timer fired.
"""

from __future__ import annotations

import time

import pytest

from tacitus.components import quotemarks
from tacitus.errors import AnalysisFailed, TimeBudgetExceeded
from tacitus.model import Article
from tacitus.pipeline import _make_doc, analyze, analyze_batch, load_nlp
from tacitus.schema import validate_record
from tacitus.watchdog import ENV_VAR, MAX_RUN_CHARS, article_seconds, break_long_runs

SLOW_MARK = "Slowpoke"  # the injected stage is slow on articles that contain this word, and only on them
BURN_SECONDS = 20.0


@pytest.fixture
def slow_quotes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The quote marks finder (run by the actor and quote stages) spins on SLOW_MARK articles."""
    # the first article of a process also pays the stages' lazy loading (knowledge base, gazetteer: a few
    # seconds, well inside the real budget but not inside this test's half second)
    analyze("France and Germany met in Geneva.")
    real = quotemarks._find

    def find(text: str):
        if SLOW_MARK in text:
            until = time.process_time() + BURN_SECONDS
            while time.process_time() < until:
                try:
                    sum(range(10_000))
                except Exception:  # noqa: BLE001, S112 - a stage that swallows errors must still be stopped
                    continue
        return real(text)

    monkeypatch.setattr(quotemarks, "_find", find)
    quotemarks._find_cached.cache_clear()
    monkeypatch.setenv(ENV_VAR, "0.5")
    yield
    quotemarks._find_cached.cache_clear()


def test_a_slow_stage_skips_its_article_and_the_batch_goes_on(slow_quotes) -> None:
    texts = [
        "France and Germany met in Geneva on Thursday.",
        f"{SLOW_MARK} said the talks in Vienna would resume.",
        "Russia criticized the United States on Friday.",
    ]
    failed: list[tuple[str, Exception]] = []
    started = time.process_time()
    records = list(analyze_batch(texts, on_error=lambda a, exc: failed.append((a.text, exc))))
    spent = time.process_time() - started
    assert [r.text for r in records] == [texts[0], texts[2]]
    assert [text for text, _ in failed] == [texts[1]]
    error = failed[0][1]
    assert isinstance(error, TimeBudgetExceeded)
    assert "time budget (0.5 CPU seconds)" in str(error) and ENV_VAR in str(error)
    assert spent < BURN_SECONDS  # the stage was stopped, not left to finish
    for record in records:
        assert validate_record(record.to_dict()) == []


def test_analyze_raises_the_typed_error_for_an_article_over_budget(slow_quotes) -> None:
    with pytest.raises(TimeBudgetExceeded, match="ran out of the article's time budget"):
        analyze(f"{SLOW_MARK} met the minister.")
    assert issubclass(TimeBudgetExceeded, AnalysisFailed)  # callers catching AnalysisFailed still do


def test_no_budget_when_the_variable_is_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "0")
    assert article_seconds() is None
    monkeypatch.setenv(ENV_VAR, "not a number")  # a typo keeps the default guard
    assert article_seconds() == 60.0
    monkeypatch.delenv(ENV_VAR)
    assert article_seconds() == 60.0


def test_long_runs_are_read_in_pieces_with_every_offset_kept() -> None:
    text = "Talks resumed. " + "x" * 1000 + " and " + "'s" * 300 + " end."
    copy, runs = break_long_runs(text)
    assert len(copy) == len(text)
    assert runs == [(15, 1015), (1020, 1620)]
    assert max(len(word) for word in copy.split()) == MAX_RUN_CHARS
    # only characters inside the long runs changed, and each into a space
    assert all(
        a == b or (b == " " and any(s <= i < e for s, e in runs))
        for i, (a, b) in enumerate(zip(text, copy, strict=True))
    )
    short = "Nothing long here."
    assert break_long_runs(short) == (short, [])
    assert break_long_runs(short)[0] is short


def test_a_real_pathological_article_is_tokenized_in_pieces_and_validates() -> None:
    # 10,000 quotation marks and 8,000 characters of 's in a row: spaCy's tokenizer is quadratic on such
    # runs (about 7 s for the 8,000 alone, minutes for a page of them); in pieces of 250 it is linear
    text = "The minister spoke. " + '"' * 10_000 + " Then " + "'s" * 4_000 + " he left."
    doc = _make_doc(load_nlp(), Article(text=text))
    assert len(doc.text) == len(text)
    assert max(len(token) for token in doc) <= MAX_RUN_CHARS
    record = analyze(text)
    assert record.text == text
    assert validate_record(record.to_dict()) == []
    assert any("without a space" in w and "pieces of 250" in w for w in record.warnings)


def test_quotation_marks_are_found_as_before_and_in_n_log_n() -> None:
    # the reference is the former quadratic check (every span against every new one), on texts made of the
    # pieces that matter: marks of every kind, spaces, paragraph breaks and words
    import random

    rng = random.Random(14)
    pieces = ['"', "“", "”", "‘", "’", "''", "``", " ", "\n", "\n\n", "a", "word", "b c d"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert quotemarks._find(text) == _reference_find(text), repr(text)
    spans, _, unclosed = quotemarks._find('"' * 10_000)
    assert len(spans) == 5_000 and all(s == e for s, e in spans) and unclosed == []


def _reference_find(text: str):
    import re

    spans: list[tuple[int, int]] = []
    for pattern in quotemarks._QUOTE_PATTERNS:
        for m in pattern.finditer(text):
            s, e = m.span(1)
            if pattern.pattern.startswith("(?<![\\w])‘") and len(m.group(1).split()) < 3:
                continue
            if any(s < oe and os < e for os, oe in spans):
                continue
            spans.append((s, e))
    continued, unclosed = [], []
    starts = {s for s, _ in spans}
    for m in re.finditer(r"(?:^|(?<=\n)|(?<=\s))([“\"])(?=\S)", text):
        opening = m.start(1)
        if opening + 1 in starts or any(s <= opening < e for s, e in spans):
            continue
        end = text.find("\n\n", opening)
        end = len(text) if end < 0 else end
        if m.group(1) == '"' and text.count('"', opening + 1, end) % 2 == 1:
            continue
        nxt = end
        while nxt < len(text) and text[nxt] in "\n \t":
            nxt += 1
        part = (opening + 1, end)
        if any(s < part[1] and part[0] < e for s, e in spans):
            unclosed.append(opening)
        elif nxt < len(text) and text[nxt] in quotemarks._OPENERS:
            continued.append(part)
            spans.append(part)
        else:
            unclosed.append(opening)
    return sorted(spans), sorted(continued), unclosed


def _hanging_worker_main(tasks, results, parent_pid, *_config) -> None:
    """A stand-in worker (no spaCy, so it starts fast) that hangs in a sleep, where no CPU timer fires, on
    chunks holding SLOW_MARK: only the parent's wall-clock limit can end it."""
    import signal

    from tacitus import parallel
    from tacitus.model import Record

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parallel._die_with_parent(parent_pid)
    results.send(("ready", None))
    while True:
        task = tasks.get()
        if task is None:
            return
        index, articles = task
        if any(SLOW_MARK in a.text for a in articles):
            time.sleep(90)  # bounded: were the limit not enforced, the test fails instead of hanging
        results.send(("done", (index, [Record(id=a.id, text=a.text) for a in articles])))


def test_a_worker_stuck_past_its_chunk_limit_is_killed_and_the_rest_goes_on(monkeypatch) -> None:
    from tacitus import parallel

    monkeypatch.setattr(parallel, "WORKER_MAIN", _hanging_worker_main)
    monkeypatch.setenv(ENV_VAR, "0.5")  # a chunk of one article may take 3 x 0.5 s of wall time
    texts = ["one", "two", f"{SLOW_MARK} three", "four", "five", "six", "seven"]
    articles = [Article(text=t, id=str(i)) for i, t in enumerate(texts)]
    outcomes = list(parallel.analyze_parallel(iter(articles), n_process=2, chunk_size=1))
    assert [a.text for a, _ in outcomes] == texts  # every article answered, in input order
    failed = [(a.text, o) for a, o in outcomes if isinstance(o, Exception)]
    assert [text for text, _ in failed] == [texts[2]]
    assert isinstance(failed[0][1], TimeBudgetExceeded)
    assert "stopped after 1.5 s on its chunk of 1 article(s)" in str(failed[0][1])
    # the chunks queued behind the stuck one went to the other worker or to its replacement
    assert all(o.text == a.text for a, o in outcomes if not isinstance(o, Exception))
