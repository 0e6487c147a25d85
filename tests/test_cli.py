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
    assert again.exit_code == 0 and "1 skipped" in again.output
    redo = runner.invoke(
        app, ["process", str(story), "--db", str(db), "--published", "2019-06-07", "--reprocess"]
    )
    assert redo.exit_code == 0 and "1 replaced" in redo.output

    ev = runner.invoke(app, ["events", "--db", str(db), "--actor", "RUS", "--format", "json"])
    assert ev.exit_code == 0, ev.output
    rows = [json.loads(line) for line in ev.stdout.splitlines()]
    assert rows and all("RUS" in (r["source_code"] or "") + (r["target_code"] or "") for r in rows)
    assert {r["code"] for r in rows} == {"041"}
    assert len(rows) == 2  # one call, both directions, stored once despite three runs

    none = runner.invoke(app, ["events", "--db", str(db), "--since", "2019-06-05", "--format", "json"])
    assert none.exit_code == 0 and none.stdout.strip() == ""

    qs = runner.invoke(app, ["quotes", "--db", str(db), "--format", "csv"])
    table = list(csv.DictReader(io.StringIO(qs.stdout)))
    assert any(row["speaker_name"] == "Vladimir Putin" for row in table)

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
        section = doc.split(f"## tacitus {name}", 1)[1].split("\n## ", 1)[0]
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
    data = json.loads(result.stdout)
    assert data["name"] == "events" and data["n_docs"] == 5
    assert 0.0 <= data["metrics"]["detection_recall"] <= 1.0
