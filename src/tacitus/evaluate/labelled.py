"""The labelled TSV files the scorers ship (pairs of event mentions, of articles, BASIL's links): ``#``
comment lines, one header line of known columns, one row a line. Read here once, so that every file's errors
name the file and the line alike."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def read_rows(
    path: str | Path | None, packaged: str, columns: tuple[str, ...]
) -> tuple[str, list[tuple[int, dict[str, str]]]]:
    """``(name, [(line number, {column: value})])`` of the file at ``path``, or of the packaged data file
    ``packaged`` when ``path`` is None. A missing or wrong header raises ``ValueError`` naming the file (and
    the line); the rows are checked by the caller, which knows their values."""
    if path is None:
        content = resources.files("tacitus.evaluate").joinpath("data", packaged).read_text(encoding="utf-8")
        name = packaged
    else:
        content = Path(path).read_text(encoding="utf-8")
        name = str(path)
    lines = [(n, line) for n, line in enumerate(content.splitlines(), 1) if line and not line.startswith("#")]
    if not lines or tuple(lines[0][1].split("\t")) != columns:
        where = f"{name}:{lines[0][0]}" if lines else name
        raise ValueError(f"{where}: the header must be {', '.join(columns)}")
    return name, [(n, dict(zip(columns, line.split("\t"), strict=False))) for n, line in lines[1:]]
