"""A small real slice of the soak (benchmarks/soak.py, ``make soak``): 8 articles of each corpus through
``tacitus process`` into SQLite, once with one process and once with two.

Both runs must exit without a crash, store only records that validate (schema, spans inside ``text`` on
whole characters), account for every input (stored, duplicate or skipped with a reason), and store the
very same records.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PER_CORPUS = 8


def _soak():
    spec = importlib.util.spec_from_file_location("soak", ROOT / "benchmarks" / "soak.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["soak"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory):
    if not (SHARED / "corpora" / "allsides-intl.jsonl.gz").exists():
        pytest.skip(f"{SHARED} is missing (tests read ../shared beside the checkout)")
    soak = _soak()
    work = tmp_path_factory.mktemp("soak")
    paths, n = [], 0
    for corpus in soak.CORPORA:
        found, count = soak.prepare_inputs(corpus, work / corpus, PER_CORPUS)
        paths += found
        n += count
    done = []
    for procs in (1, 2):
        run = soak.Run("slice", "sqlite", procs, n)
        db = str(work / f"j{procs}.db")
        soak.run_process(run, paths, db, work / f"j{procs}.stderr")
        soak.check_store(run, db)
        soak.check_counts(run)
        done.append(run)
    return soak, done


def test_every_corpus_is_in_the_slice(runs) -> None:
    soak, (one, _) = runs
    assert one.inputs == PER_CORPUS * len(soak.CORPORA)


@pytest.mark.parametrize("index", [0, 1], ids=["j1", "j2"])
def test_no_crash_every_record_valid_and_every_input_accounted_for(runs, index: int) -> None:
    _, done = runs
    run = done[index]
    assert run.exit_code in (0, 1), run.exit_code
    assert run.problems == []
    assert run.invalid == []
    # most of the slice is stored: skips are the exception (empty pages, say), each with its reason
    assert run.stored.get("inserted", 0) >= 0.9 * run.inputs
    assert len(run.digest) == run.stored["inserted"]


def test_one_process_and_two_store_the_same_records(runs) -> None:
    soak, (one, two) = runs
    assert soak.compare(one, two) == []
    assert one.skips == two.skips


def test_a_record_that_differs_or_is_missing_is_reported(runs) -> None:
    # the comparison itself can fail: a changed record and a missing one are both named
    soak, (one, _) = runs
    other = soak.Run("slice", "sqlite", 2, one.inputs, digest=dict(one.digest))
    first, second = sorted(other.digest)[:2]
    other.digest[first] = "changed"
    del other.digest[second]
    (problem,) = soak.compare(one, other)
    assert "2 record(s) differ" in problem
    assert first.split("|")[0] in problem and second.split("|")[0] in problem


def test_a_cluster_window_at_the_ends_of_the_calendar_does_not_crash() -> None:
    # found by the soak on all 311 HTML pages: an event dated in year 9999 (or 1) made the cluster window's
    # bound overflow, and the OverflowError ended the whole `tacitus process` run
    from datetime import date

    from tacitus.store.clusters import _span

    assert _span([date(9999, 12, 30)], 3) == ("9999-12-27", "9999-12-31")
    assert _span([date(1, 1, 2), None], 3) == ("0001-01-01", "0001-01-05")
    assert _span([date(2017, 12, 15)], 3) == ("2017-12-12", "2017-12-18")
    assert _span([None], 3) is None


def test_an_article_dated_in_year_one_is_analysed() -> None:
    # found by the soak: a Scrapinghub page whose date reads 0001-01-01 failed its whole article in the time
    # stage ("on Monday" counted back from year 1 overflowed); such a day is no anchor for relative dates
    from tacitus.model import Article
    from tacitus.pipeline import analyze
    from tacitus.schema import validate_record

    record = analyze(Article(text="The minister left Paris on Monday.", published="0001-01-01"))
    assert validate_record(record.to_dict()) == []
    assert [record.span_text(t.span) for t in record.times] == ["Monday"]


def test_the_report_goes_to_a_temporary_file_unless_out_names_one(tmp_path, monkeypatch, capsys):
    # `--only ,` runs no corpus: the arguments are handled and the (empty) report written, in seconds
    import tempfile

    soak = _soak()
    # the table the default once overwrote, in a checkout of its own here, so that a regression costs no
    # committed file; the real one is watched too
    monkeypatch.setattr(soak, "ROOT", tmp_path / "checkout")
    committed = tmp_path / "checkout" / "benchmarks" / "soak.md"
    committed.parent.mkdir(parents=True)
    committed.write_text("the committed table\n", encoding="utf-8")
    real = (ROOT / "benchmarks" / "soak.md").read_bytes()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the temporary report and work folder land here
    assert soak.main(["--only", ","]) == 0
    said = capsys.readouterr().out
    (report,) = tmp_path.glob("tacitus-soak-*.md")
    assert f"report {report}" in said and f"report written to {report}" in said
    assert report.read_text(encoding="utf-8").startswith("# Soak: every real article")
    assert committed.read_text(encoding="utf-8") == "the committed table\n"
    assert (ROOT / "benchmarks" / "soak.md").read_bytes() == real
    # --out writes where it is told, and makes no temporary report
    chosen = tmp_path / "chosen.md"
    assert soak.main(["--only", ",", "--out", str(chosen)]) == 0
    assert f"report written to {chosen}" in capsys.readouterr().out
    assert chosen.read_text(encoding="utf-8").startswith("# Soak: every real article")
    assert list(tmp_path.glob("tacitus-soak-*.md")) == [report]
