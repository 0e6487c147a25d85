"""`tacitus patterns import` (a PETRARCH verb dictionary as a JSON pattern file) and `--patterns`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tacitus.cli import app

runner = CliRunner()

VERBS = """--- RESTORE  [064]  ---
RESTORE
- * {&TIETYPES TIES} [902]

&TIETYPES
+MILITARY
+ECONOMIC

--- PRAISE  [051]  ---
PRAISE
"""


@pytest.mark.filterwarnings("ignore:.*not in Tacitus's CAMEO table:UserWarning")  # 902, on purpose
def test_import_then_extract_with_only_those_patterns(tmp_path: Path) -> None:
    source = tmp_path / "toy.verbs.txt"
    source.write_text(VERBS, encoding="utf-8")
    out = tmp_path / "toy.json"
    result = runner.invoke(app, ["patterns", "import", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "converted 3 pattern(s)" in result.output and "1 line(s) with codes CAMEO lacks kept" in result.output
    )
    data = json.loads(out.read_text(encoding="utf-8"))
    assert {p["code"] for p in data["patterns"]} == {"064", "051", "902"}
    assert data["sets"] == {"&tietypes": ["economic", "military"]}

    article = tmp_path / "a.txt"
    article.write_text("Iran restored military ties with Egypt. Iran attacked Iraq.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--no-title", "--patterns", str(out)])
    assert result.exit_code == 0, result.output
    record = json.loads(next(line for line in result.stdout.splitlines() if line.startswith("{")))
    # the toy code wins ("military ties"); "attacked" is no pattern of the file, so no event
    assert [(e["source_code"], e["target_code"], e["code"], e["goldstein"]) for e in record["events"]] == [
        ("IRN", "EGY", "902", None)
    ]


def test_import_refuses_what_it_cannot_write_or_read(tmp_path: Path) -> None:
    source = tmp_path / "toy.verbs.txt"
    source.write_text(VERBS, encoding="utf-8")
    result = runner.invoke(app, ["patterns", "import", str(source), "-o", str(tmp_path / "toy.yaml")])
    assert result.exit_code != 0 and "name it *.json" in result.output
    result = runner.invoke(app, ["patterns", "import", str(tmp_path / "missing.txt")])
    assert result.exit_code != 0 and "cannot read the verb dictionary" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text('- id: x.v1\n  code: "12345"\n  verbs: [call]\n', encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("Iran called Iraq.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--no-title", "--patterns", str(bad)])
    assert result.exit_code != 0 and "bad.yaml:1 (x.v1)" in result.output
