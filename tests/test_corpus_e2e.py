"""End to end on real, noisy news from ../shared: the CLI reads it, every record keeps the contract."""

from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tacitus.cli import app
from tacitus.schema import validate_record

SHARED = Path(__file__).resolve().parents[2] / "shared"
ALLSIDES = SHARED / "corpora" / "allsides-intl.jsonl.gz"
BBC = SHARED / "corpora" / "bbc-politics"


@pytest.fixture(scope="module")
def allsides_slice(tmp_path_factory) -> list[dict]:
    if not ALLSIDES.exists():
        pytest.skip(f"{ALLSIDES} is missing")
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in islice(fh, 15)]


def test_allsides_jsonl_text_and_ids_survive_and_records_validate(allsides_slice, tmp_path: Path):
    src = tmp_path / "slice.jsonl"
    src.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in allsides_slice), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["extract", str(src)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(allsides_slice)
    for row, rec in zip(allsides_slice, records, strict=True):
        assert rec["id"] == str(row["id"])
        assert rec["text"] == row["text"]  # outside scorers rely on offsets into the input text
        assert validate_record(rec) == [], rec["id"]
    assert sum(len(r["quotes"]) for r in records) > 0
    assert sum(len(r["events"]) for r in records) > 0


def test_bbc_pages_title_line_and_records_validate(tmp_path: Path):
    if not BBC.exists():
        pytest.skip(f"{BBC} is missing")
    pages = sorted(BBC.glob("*.txt"))[:10]
    result = CliRunner().invoke(app, ["extract", *map(str, pages), "--published", "2005-01-01"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == len(pages)
    for page, rec in zip(pages, records, strict=True):
        first_line = next(
            line for line in page.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()
        )
        assert rec["title"] == first_line.strip()
        assert not rec["text"].startswith(first_line.strip())
        assert validate_record(rec) == []
