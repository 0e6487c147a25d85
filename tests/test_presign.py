"""Languages and MinHash fingerprints made on the Dask workers (tacitus.engines.presign): the client decides
from them exactly what it decided from its own, never starts a cluster for stored articles, and a run
on a real cluster stores what one process stores, duplicates included, without the client detecting a
language or making a fingerprint of a text the workers signed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import test_engine_dask as base
from tacitus import jobs
from tacitus.engines.presign import Presigner, sign_texts
from tacitus.ingest.dedup import fingerprint
from tacitus.ingest.language import detect_language, settle_language
from tacitus.ingest.prepare import Preparer
from tacitus.model import Article

# test_engine_dask's fixtures: its corpus of real news, its scheduler and two workers
corpus, cluster = base.corpus, base.cluster
_contents = base._contents

ENGLISH = (
    "The finance ministers of the group met in Brussels on Tuesday and agreed to extend the credit line "
    "for another year, officials said after the talks ended late in the evening."
)
GERMAN = (
    "Die Finanzminister der Gruppe trafen sich am Dienstag in Brüssel und einigten sich darauf, die "
    "Kreditlinie um ein weiteres Jahr zu verlängern, sagten Beamte nach den Gesprächen am Abend."
)


# -- a client stand-in: tasks run here, at once --------------------------------------------------------


@dataclass
class _Future:
    value: Any = None
    error: Exception | None = None
    released: bool = False

    def result(self) -> Any:
        if self.error is not None:
            raise self.error
        return self.value

    def release(self) -> None:
        self.released = True


@dataclass
class _Client:
    """Runs each task when it is submitted; ``answer`` may replace what a task returns (what a worker said)."""

    answer: Any = None
    fail: bool = False
    texts: list[list[str]] = field(default_factory=list)
    priorities: list[int] = field(default_factory=list)

    def submit(self, fn: Any, texts: list[str], **options: Any) -> _Future:
        self.texts.append(texts)
        self.priorities.append(options["priority"])
        if self.fail:
            return _Future(error=OSError("worker gone"))
        return _Future(self.answer(texts) if self.answer else fn(texts))


@dataclass
class _Session:
    client: _Client | None = None
    run_id: str = "test"
    started: int = 0


def _presigner(client: _Client, preparer: Any = None, size: int = 2) -> tuple[Presigner, _Session]:
    session = _Session()

    def start() -> None:
        session.started += 1
        session.client = client

    return Presigner(session, start, size, preparer), session


# -- on the workers ------------------------------------------------------------------------------------


def test_a_worker_signs_a_text_as_the_client_would() -> None:
    texts = [ENGLISH, GERMAN, "Test", ""]
    for text, (found, data, size) in zip(texts, sign_texts(texts), strict=True):
        assert found == detect_language(text)
        here = fingerprint(text)
        assert (data, size) == (here.to_bytes(), here.size)
    assert sign_texts(texts)[0][0][0] == "en" and sign_texts(texts)[1][0][0] == "de"
    assert sign_texts(texts)[2][0] is None  # too few letters to tell


# -- on the client -------------------------------------------------------------------------------------


def test_the_client_takes_the_workers_language_and_fingerprint_for_each_text() -> None:
    # the "workers" answer German for every text and the fingerprint of another text: the client must use
    # what they said, not detect or sign again
    other = fingerprint(GERMAN)
    client = _Client(answer=lambda texts: [(("de", 0.99), other.to_bytes(), other.size) for _ in texts])
    preparer = Preparer()
    presigner, session = _presigner(client, preparer)
    articles = [Article(text=ENGLISH + f" Item {n}.", id=str(n)) for n in range(5)]
    out = list(presigner.run(articles))
    assert [a.id for a in out] == ["0", "1", "2", "3", "4"]
    assert all((a.language, a.language_source) == ("de", "detected") for a in out)
    assert preparer.sign == presigner.sign and presigner.signed == 5 and session.started == 1
    assert [len(t) for t in client.texts] == [2, 2, 1] and set(client.priorities) == {1}
    assert presigner.sign(out[0].text) == other
    # a text no worker saw (learned boilerplate removed) is signed here
    assert presigner.sign(ENGLISH) == fingerprint(ENGLISH)


def test_articles_passed_over_are_forgotten_and_a_text_met_again_is_signed_here() -> None:
    presigner, _ = _presigner(_Client())
    texts = [f"{ENGLISH} Paragraph {n}." for n in range(4)]
    list(presigner.run([Article(text=t, id=str(n)) for n, t in enumerate(texts)]))
    assert presigner.sign(texts[2]) == fingerprint(texts[2])
    assert list(presigner._prints) == [texts[3]]  # 0 and 1 were passed over (a language skipped)
    assert presigner.sign(texts[0]) == fingerprint(texts[0])  # made here: still right


def test_a_settled_article_is_what_settle_language_makes_of_it() -> None:
    # a declared language stays when the text is too short to tell; a detected one is kept as it was
    articles = [
        Article(text="Test", id="short", language="fr"),
        Article(text=GERMAN, id="de", language="en"),
        Article(text=ENGLISH, id="known", language="en", language_source="detected"),
    ]
    presigner, _ = _presigner(_Client())
    assert list(presigner.run(articles)) == [settle_language(a) for a in articles]


def test_no_cluster_is_started_while_the_articles_are_stored_already() -> None:
    stored = {"0", "1"}
    preparer = Preparer(known=lambda article, digest: "original" if article.id in stored else None)
    client = _Client()
    presigner, session = _presigner(client, preparer)
    articles = [Article(text=f"{ENGLISH} {n}", id=str(n)) for n in range(2)]
    assert list(presigner.run(articles)) == articles  # as read: the client handles them as before
    assert session.started == 0 and not client.texts
    # a new article starts it, and it and those after are signed on the workers
    more = [*articles, Article(text=GERMAN, id="2"), Article(text=ENGLISH, id="3")]
    out = list(presigner.run(more))
    assert session.started == 1 and client.texts == [[GERMAN, ENGLISH]]
    assert [a.language for a in out] == [None, None, "de", "en"]
    # reprocessing analyses stored originals again: they start it too
    preparer.analyse_known = ("original",)
    presigner, session = _presigner(_Client(), preparer)
    list(presigner.run(articles))
    assert session.started == 1


def test_a_signing_task_that_fails_leaves_the_work_to_the_client() -> None:
    presigner, _ = _presigner(_Client(fail=True))
    articles = [Article(text=ENGLISH, id="a"), Article(text=GERMAN, id="b")]
    assert list(presigner.run(articles)) == articles  # unsettled: the client's stages settle them
    assert presigner.signed == 0 and presigner.sign(GERMAN) == fingerprint(GERMAN)


# -- a run on a real cluster ---------------------------------------------------------------------------


@pytest.fixture
def with_copies(corpus: Path, tmp_path: Path) -> Path:
    """The corpus and two copies from other outlets: one whole, one cut short (near duplicates)."""
    lines = corpus.read_text(encoding="utf-8").splitlines()
    first, second = json.loads(lines[0]), json.loads(lines[1])
    whole = {**first, "id": "copy-whole", "source": "Another Outlet", "title": "Another headline"}
    cut = {
        **second,
        "id": "copy-cut",
        "source": "A Third Outlet",
        "text": second["text"][: len(second["text"]) * 4 // 5],
    }
    path = tmp_path / "copies.jsonl"
    path.write_text("\n".join([*lines, json.dumps(whole), json.dumps(cut)]) + "\n", encoding="utf-8")
    return path


def test_a_run_signed_on_the_workers_stores_what_one_process_stores(
    with_copies: Path, cluster: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = jobs.process([with_copies], tmp_path / "one.db")
    assert reference.duplicates >= 1

    import tacitus.ingest.dedup as dedup
    import tacitus.ingest.language as language

    made: list[int] = []
    detected: list[str] = []
    real_minhash, real_detect = dedup.MinHash, language.detect_language

    def counted_minhash(*args: Any, **kwargs: Any) -> Any:
        made.append(1)
        return real_minhash(*args, **kwargs)

    def counted_detect(text: str) -> Any:
        detected.append(text)
        return real_detect(text)

    monkeypatch.setattr(dedup, "MinHash", counted_minhash)  # every fingerprint made in this process
    monkeypatch.setattr(language, "detect_language", counted_detect)
    import dask

    with dask.config.set({"tacitus.presign": True}):
        report = jobs.process([with_copies], tmp_path / "dask.db", engine="dask", scheduler=cluster)
    assert (report.stored, report.duplicates) == (reference.stored, reference.duplicates)
    assert _contents(str(tmp_path / "dask.db")) == _contents(str(tmp_path / "one.db"))
    # the client made no fingerprint and detected no language: the workers did (no learned line was
    # removed from these articles, so no text was left for the client to sign)
    assert made == [] and detected == []
    # by default (tacitus.presign off) the client does both itself, and stores the same
    made.clear(), detected.clear()
    report = jobs.process([with_copies], tmp_path / "dask-off.db", engine="dask", scheduler=cluster)
    assert _contents(str(tmp_path / "dask-off.db")) == _contents(str(tmp_path / "one.db"))
    assert made and detected


def test_presigning_is_a_yes_no_dask_setting_off_by_default() -> None:
    import dask

    from tacitus.engines.dask import PRESIGN
    from tacitus.engines.dask_worker import flag
    from tacitus.errors import EngineUnavailable

    assert flag("presign", PRESIGN) is False
    for text, expected in (("true", True), ("on", True), ("0", False), ("No", False)):
        with dask.config.set({"tacitus.presign": text}):
            assert flag("presign", PRESIGN) is expected
    with (
        dask.config.set({"tacitus.presign": "maybe"}),
        pytest.raises(EngineUnavailable, match="true or false"),
    ):
        flag("presign", PRESIGN)
