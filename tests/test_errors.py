"""Bad input: one clear line naming the input and the fix; exit 2 when nothing could be processed; a
batch skips and counts its bad items and stores the rest."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from tacitus.cli import app

runner = CliRunner()
GOOD = "Protesters rallied in Nairobi on Monday against a new fuel tax.\n"


def _error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_missing_file(tmp_path: Path):
    missing = tmp_path / "nope.txt"
    result = runner.invoke(app, ["extract", str(missing)])
    assert result.exit_code == 2
    assert str(missing) in result.output


def test_directory_without_inputs(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 2
    assert "nothing was extracted" in _error_line(result)
    skipped = [line for line in result.output.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and str(empty) in skipped[0] and ".txt" in skipped[0]


def test_invalid_json_line_is_skipped_and_the_rest_stored(tmp_path: Path):
    src = tmp_path / "batch.jsonl"
    lines = [
        json.dumps({"id": "ok-1", "text": GOOD, "published": "2024-03-12"}),
        '{"id": "broken", "text": ',
        json.dumps(
            {"id": "ok-2", "text": "Police arrested 12 protesters in Nairobi.", "published": "2024-03-12"}
        ),
    ]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "t.db"
    result = runner.invoke(app, ["process", str(src), "--db", str(db)])
    assert result.exit_code == 1, result.output  # done, with one input skipped
    assert f"{src}:2" in result.output and "invalid JSON" in result.output
    from tacitus.store import open_store

    with open_store(db) as store:
        assert store.summary()["articles"] == 2


def test_all_lines_invalid_exits_2(tmp_path: Path):
    src = tmp_path / "bad.jsonl"
    src.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src)])
    assert result.exit_code == 2
    assert f"{src}:1" in result.output


def test_unknown_input_format_option():
    result = runner.invoke(app, ["extract", "x.txt", "--input-format", "pdf"])
    assert result.exit_code == 2
    assert "pdf" in result.output


def test_unknown_extension_names_the_file_and_the_fix(tmp_path: Path):
    src = tmp_path / "story.docx"
    src.write_text(GOOD, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src)])
    assert result.exit_code == 2
    assert str(src) in result.output and "--input-format" in result.output


def test_database_folder_missing(tmp_path: Path):
    src = tmp_path / "a.txt"
    src.write_text("Title\n\n" + GOOD, encoding="utf-8")
    db = tmp_path / "no" / "such" / "dir" / "t.db"
    result = runner.invoke(app, ["process", str(src), "--db", str(db)])
    assert result.exit_code == 2
    line = _error_line(result)
    assert str(db) in line and "create the folder" in line


def test_bad_published_date(tmp_path: Path):
    src = tmp_path / "a.txt"
    src.write_text("Title\n\n" + GOOD, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "--published", "15/12/2017"])
    assert result.exit_code == 2
    assert "--published" in _error_line(result)


def test_one_unreadable_file_among_good_ones(tmp_path: Path):
    good = tmp_path / "good.txt"
    good.write_text("Title\n\n" + GOOD, encoding="utf-8")
    binary = tmp_path / "scan.txt"
    binary.write_bytes(b"%PDF-1.4\x00\x00\x81\x8d binary")
    result = runner.invoke(app, ["extract", str(good), str(binary)])
    assert result.exit_code == 1, result.output
    assert "scan.txt" in result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(records) == 1 and records[0]["id"] == "good"


def test_query_on_missing_database_does_not_create_it(tmp_path: Path):
    db = tmp_path / "typo.db"
    result = runner.invoke(app, ["events", "--db", str(db)])
    assert result.exit_code == 2
    assert str(db) in _error_line(result) and "tacitus process" in _error_line(result)
    assert not db.exists()


def test_messages_keep_brackets_from_the_input(tmp_path: Path):
    src = tmp_path / "[draft] notes.jsonl"
    src.write_text('{"id": [1, 2]\n', encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src)])
    assert result.exit_code == 2
    assert "[draft] notes.jsonl:1" in result.output
