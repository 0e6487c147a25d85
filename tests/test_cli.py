"""The tacitus command: extract, process, the query commands and demo, through Typer's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tacitus.cli import app

runner = CliRunner()

STORY = """Leaders discuss trade

On Tuesday, during a phone call, Russian President Vladimir Putin and Chinese President Xi Jinping discussed trade.

“We will expand our cooperation,” Putin said.
"""


@pytest.fixture()
def story(tmp_path: Path) -> Path:
    path = tmp_path / "call.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def test_extract_writes_jsonl_to_output_file(story: Path, tmp_path: Path):
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", str(story), "--published", "2019-06-07", "-o", str(out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 1
    rec = records[0]
    assert rec["title"] == "Leaders discuss trade"
    assert not rec["text"].startswith("Leaders discuss trade")
    calls = [e for e in rec["events"] if e["code"] == "041"]
    # 2019-06-07 is a Friday: "on Tuesday" is 2019-06-04
    assert calls and all(e["date"] == "2019-06-04" for e in calls)
    assert {e["source_code"] for e in calls} == {"RUSGOV", "CHNGOV"}
    speakers = {rec["actors"][int(q["speaker"][1:]) - 1]["name"] for q in rec["quotes"]}
    assert "Vladimir Putin" in speakers


def test_extract_no_title_keeps_first_line_in_text(story: Path):
    result = runner.invoke(app, ["extract", str(story), "--no-title"])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)
    assert rec["title"] is None
    assert rec["text"].startswith("Leaders discuss trade")


def test_extract_reads_stdin():
    result = runner.invoke(app, ["extract", "-", "--published", "2019-06-07"], input=STORY)
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)
    assert rec["title"] == "Leaders discuss trade"


def test_extract_jsonl_keeps_text_and_id(tmp_path: Path):
    text = "  Iran's foreign minister met his Turkish counterpart in Ankara on Monday.\n"
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 17, "text": text, "published": "2020-01-08", "lang": "en"}) + "\n")
    result = runner.invoke(app, ["extract", str(src)])
    assert result.exit_code == 0, result.output
    rec = json.loads(result.stdout)
    assert rec["text"] == text
    assert rec["id"] == "17"


def test_process_then_query_events_quotes_actors(story: Path, tmp_path: Path):
    db = tmp_path / "news.db"
    first = runner.invoke(app, ["process", str(story), "--db", str(db), "--published", "2019-06-07"])
    assert first.exit_code == 0, first.output
    assert "1 inserted" in first.output
    again = runner.invoke(app, ["process", str(story), "--db", str(db), "--published", "2019-06-07"])
    assert again.exit_code == 0 and "1 unchanged" in again.output
    redo = runner.invoke(
        app, ["process", str(story), "--db", str(db), "--published", "2019-06-07", "--reprocess"]
    )
    assert redo.exit_code == 0 and "1 replaced" in redo.output

    ev = runner.invoke(app, ["events", "--db", str(db), "--actor", "RUS", "--format", "json"])
    assert ev.exit_code == 0, ev.output
    rows = json.loads(ev.stdout)  # --format json is one JSON array
    assert rows and all("RUS" in (r["source_code"] or "") + (r["target_code"] or "") for r in rows)
    assert {r["code"] for r in rows} == {"041"}
    assert len(rows) == 2  # one call, both directions, stored once despite three runs

    none = runner.invoke(app, ["events", "--db", str(db), "--since", "2019-06-05", "--format", "json"])
    assert none.exit_code == 0 and json.loads(none.stdout) == []

    qs = runner.invoke(app, ["quotes", "--db", str(db), "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(qs.stdout)))
    assert any(row["speaker_name"] == "Vladimir Putin" for row in table)
    speech = runner.invoke(app, ["quotes", "--db", str(db), "--type", "speech", "--format", "csv"])
    assert list(csv.DictReader(io.StringIO(speech.stdout))) == [r for r in table if r["type"] == "speech"]
    bad = runner.invoke(app, ["quotes", "--db", str(db), "--type", "gossip"])
    assert bad.exit_code == 2 and "speech, belief, finding, intention" in bad.output

    ac = runner.invoke(app, ["actors", "--db", str(db)])
    assert ac.exit_code == 0 and "Xi Jinping" in ac.stdout


def test_demo_processes_samples_and_prints_summary(tmp_path: Path):
    db = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "articles" in result.stdout and str(db.resolve()) in result.stdout.replace("\n", "")
    from tacitus.store import open_store

    with open_store(db) as store:
        summary = store.summary()
    assert summary["articles"] == 14
    assert summary["events"] > 10 and summary["quotes"] > 14


def test_every_command_and_option_is_documented():
    """docs/cli.md is generated from --help (tools/gen_cli_docs.py); it must not fall behind the code."""
    import typer.main

    doc = (Path(__file__).resolve().parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    assert group.commands
    for name, command in group.commands.items():
        assert f"## tacitus {name}" in doc, f"docs/cli.md lacks `tacitus {name}`: run tools/gen_cli_docs.py"
        section = doc.split(f"## tacitus {name}\n", 1)[1].split("\n## ", 1)[0]
        for sub, subcommand in getattr(command, "commands", {}).items():
            assert f"## tacitus {name} {sub}" in doc, f"docs/cli.md lacks `tacitus {name} {sub}`"
            subsection = doc.split(f"## tacitus {name} {sub}\n", 1)[1].split("\n## ", 1)[0]
            for param in subcommand.params:
                assert all(opt in subsection for opt in param.opts if opt.startswith("--")), (name, sub)
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in section, (
                        f"`tacitus {name} {opt}` is undocumented: run tools/gen_cli_docs.py"
                    )


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("tacitus ")


def test_eval_prints_scores_and_needs_its_data(tmp_path: Path):
    shared_eval = Path(__file__).resolve().parents[2] / "shared" / "eval"
    missing = runner.invoke(app, ["eval", "events", "--data", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "--data" in missing.output
    if not shared_eval.exists():
        pytest.skip(f"{shared_eval} is missing")
    result = runner.invoke(
        app, ["eval", "events", "--data", str(shared_eval), "--limit", "5", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    # one JSON object a line: the GSR first, then the CAMEO codebook and the PETRARCH suite
    results = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["name"] for r in results][0] == "events" and len(results) == 3
    data = results[0]
    assert data["n_docs"] == 5
    assert 0.0 <= data["metrics"]["detection_recall"] <= 1.0


def test_a_missing_path_is_skipped_and_the_batch_goes_on(story: Path, tmp_path: Path):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["extract", str(missing), str(story)])
    assert result.exit_code == 1, result.output  # done, with one input skipped
    assert f"skipped {missing}: no such file or folder" in result.stderr
    assert "1 input(s) skipped" in result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == "call"


def test_rerun_skips_stored_articles_before_analysis(tmp_path: Path, monkeypatch):
    from tacitus import pipeline
    from tacitus.jobs import sample_articles

    src = tmp_path / "corpus.jsonl"
    articles = sample_articles()[:5]
    src.write_text(
        "".join(json.dumps({"id": a.id, "text": a.text}) + "\n" for a in articles), encoding="utf-8"
    )
    db = tmp_path / "r.db"
    assert runner.invoke(app, ["process", str(src), "--db", str(db)]).exit_code == 0
    analysed = []
    real = pipeline.analyze_pairs

    def counting(items, **kwargs):
        for item in items:
            analysed.append(item)
            yield from real([item], **kwargs)

    monkeypatch.setattr(pipeline, "analyze_pairs", counting)
    again = runner.invoke(app, ["process", str(src), "--db", str(db)])
    assert again.exit_code == 0, again.output
    assert "5 unchanged" in again.stderr
    assert analysed == []  # resuming a finished corpus analyses nothing
    redo = runner.invoke(app, ["process", str(src), "--db", str(db), "--reprocess"])
    assert redo.exit_code == 0 and "5 replaced" in redo.stderr and len(analysed) == 5


def test_long_text_is_cut_and_said_on_stderr(tmp_path: Path, monkeypatch):
    from tacitus import clip

    monkeypatch.setattr(clip, "MAX_CHARS", 2_000)
    src = tmp_path / "big.jsonl"
    text = "Police arrested 12 protesters in Nairobi on Monday.\n\n" * 100
    src.write_text(json.dumps({"id": "big", "text": text}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src)])
    assert result.exit_code == 0, result.output
    assert f"warning: {src}:1: text cut to its first" in result.stderr
    record = json.loads(result.stdout)
    assert len(record["text"]) <= 2_000 and text.startswith(record["text"])
    assert "text cut" in record["warnings"][0]


def _negated_story_db(tmp_path: Path) -> Path:
    src = tmp_path / "n.txt"
    src.write_text(
        "Talks stall\n\nRussia did not impose sanctions on Georgia on Monday, the Kremlin said. "
        "Iran threatened to block the Strait of Hormuz in a speech on Tuesday.\n",
        encoding="utf-8",
    )
    db = tmp_path / "n.db"
    assert (
        runner.invoke(app, ["process", str(src), "--db", str(db), "--published", "2020-03-04"]).exit_code == 0
    )
    return db


def test_events_table_reads_at_80_columns_and_shows_mood_and_negation(tmp_path: Path):
    db = _negated_story_db(tmp_path)
    rows = json.loads(runner.invoke(app, ["events", "--db", str(db), "--format", "json"]).stdout)
    assert any(r["negated"] for r in rows), rows  # the story has a negated event to show
    result = runner.invoke(app, ["events", "--db", str(db)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "NOT (negated)" in result.stdout
    assert any(r["mood"] in result.stdout for r in rows if not r["negated"])
    # one row per event: who, the code with its status, and to whom stand on one line, unbroken
    negated = next(r for r in rows if r["negated"])
    head = f"{negated['code']} {negated['plover']} · NOT (negated)"
    assert any(
        negated["source_code"] in line and head in line and negated["target_code"] in line for line in lines
    ), result.stdout


def test_query_formats_json_array_jsonl_and_csv_header_when_empty(tmp_path: Path):
    db = _negated_story_db(tmp_path)
    lines = runner.invoke(app, ["events", "--db", str(db), "--format", "jsonl"]).stdout.splitlines()
    array = json.loads(runner.invoke(app, ["events", "--db", str(db), "--format", "json"]).stdout)
    assert [json.loads(line) for line in lines] == array and array
    empty = runner.invoke(app, ["events", "--db", str(db), "--since", "2030-01-01", "--format", "csv"])
    assert empty.exit_code == 0
    assert empty.stdout.splitlines() == [",".join(array[0])]  # the header alone, same columns as the rows
    quotes = runner.invoke(app, ["quotes", "--db", str(db), "--actor", "ZZZ", "--format", "csv"])
    assert quotes.stdout.startswith("article_id,date,speaker_name")


def test_query_help_and_sqlite_url_never_create_a_database(tmp_path: Path):
    help_text = runner.invoke(app, ["events", "--help"], env={"COLUMNS": "200"}).stdout
    assert "created if missing" not in help_text and "never created" in help_text
    assert "created if missing" in runner.invoke(app, ["process", "--help"], env={"COLUMNS": "200"}).stdout
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, ["events", "--db", f"sqlite:///{missing}"])
    assert result.exit_code == 2 and "no such database" in result.stderr
    assert not missing.exists()


def test_actors_lookup_shows_candidates_codes_and_reasons():
    result = runner.invoke(
        app, ["actors", "lookup", "F.W. de Klerk", "--on", "1990-05-01", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    (person,) = json.loads(result.stdout)
    assert (person["name"], person["code"]) == ("Frederick Willem de Klerk", "ZAFGOV")
    assert "initials" in person["reason"]
    capital = json.loads(runner.invoke(app, ["actors", "lookup", "Moscow", "--format", "json"]).stdout)
    assert capital[0]["code"] == "RUS" and "RUSGOV when it acts or speaks" in capital[0]["reason"]
    role = json.loads(
        runner.invoke(app, ["actors", "lookup", "Deputy Foreign Minister", "--format", "json"]).stdout
    )
    assert role[0]["code"] == "---GOV" and role[0]["kind"] == "role"
    unknown = runner.invoke(app, ["actors", "lookup", "Zzyzx Qwerty"])
    assert unknown.exit_code == 1 and "nothing in the knowledge base matches" in unknown.stderr
    bad = runner.invoke(app, ["actors", "lookup", "Putin", "--on", "last year"])
    assert bad.exit_code == 2 and "--on" in bad.stderr
