"""`tacitus plot` and tacitus.analysis.plot: a dyad's series and an actor's network, as PNG and SVG.

The store holds the 17 AllSides articles on North Korea of August 2017 (the "fire and fury" weeks), so the
United States and North Korea have events in both directions over several weeks. The charts' values are
read back from the figures' artists and compared with the counts, which are checked against the tables.
"""

from __future__ import annotations

import gzip
import json
import math
import sqlite3
from pathlib import Path

import matplotlib.image
import pytest
from typer.testing import CliRunner

from tacitus import jobs
from tacitus.analysis.plot import (
    DPI,
    FIGSIZE,
    GOLDSTEIN_CMAP,
    QUAD_COLOURS,
    chart_format,
    plot_dyad,
    plot_network,
    save_figure,
)
from tacitus.analysis.stats import actor_network, dyad_series
from tacitus.cli import app
from tacitus.errors import EmptyResult, UsageError
from tacitus.store import open_store

ALLSIDES = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "allsides-intl.jsonl.gz"
runner = CliRunner()


@pytest.fixture(scope="module")
def nk_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not ALLSIDES.exists():
        pytest.skip(f"{ALLSIDES} is missing (tests read ../shared beside the checkout)")
    folder = tmp_path_factory.mktemp("plot")
    path = folder / "north-korea-2017-08.jsonl"
    with gzip.open(ALLSIDES, "rt", encoding="utf-8") as lines, path.open("w", encoding="utf-8") as out:
        for line in lines:
            row = json.loads(line)
            if row.get("topic") == "north_korea" and (row.get("date") or "").startswith("2017-08"):
                keep = {
                    "id": row["id"],
                    "title": row["title"],
                    "published": row["date"],
                    "source": row["source"],
                }
                out.write(json.dumps({**keep, "url": row["url"], "text": row["text"]}) + "\n")
    db = folder / "nk.db"
    report = jobs.process([path], db)
    assert report.stored.get("inserted", 0) >= 15
    return db


@pytest.fixture(scope="module")
def store(nk_db: Path):
    with open_store(nk_db) as opened:
        yield opened


def _nan(value):
    return math.nan if value is None else value


def test_dyad_chart_draws_the_series(store, nk_db: Path):
    series = dyad_series(store, "USA", "PRK", "week", "mentions")
    figure = plot_dyad(store, "USA", "PRK", period="week", unit="mentions")
    counts, goldstein = figure.axes[:2]
    bars = {container.get_label(): container for container in counts.containers}
    assert set(bars) == {"USA → PRK: mentions", "PRK → USA: mentions"}
    assert [b.get_height() for b in bars["USA → PRK: mentions"]] == [r["a_to_b"] for r in series]
    assert [b.get_height() for b in bars["PRK → USA: mentions"]] == [r["b_to_a"] for r in series]
    # the bars add up to a plain count of the table (not negated, dated: every day is in some week)
    connection = sqlite3.connect(nk_db)
    (n,) = connection.execute(
        "SELECT count(*) FROM events WHERE source_code LIKE 'USA%' AND target_code LIKE 'PRK%'"
        " AND NOT negated AND day IS NOT NULL"
    ).fetchone()
    connection.close()
    assert sum(b.get_height() for b in bars["USA → PRK: mentions"]) == n > 0
    lines = {line.get_label(): line for line in goldstein.get_lines()}
    forward = lines["USA → PRK: mean Goldstein"].get_ydata()
    expected = [_nan(r["a_to_b_goldstein"]) for r in series]
    assert forward == pytest.approx(expected, nan_ok=True)
    assert "PRK → USA: mean Goldstein" in lines
    assert list(lines["Goldstein 0 (neutral)"].get_ydata()) == [0, 0]
    assert goldstein.get_ylim() == (-10.0, 10.0)
    assert counts.get_ylabel() == "mentions per week"
    assert "Goldstein" in goldstein.get_ylabel() and "conflict" in goldstein.get_ylabel()
    assert counts.get_xlabel().startswith("ISO week")
    shown = [tick.get_text() for tick in counts.get_xticklabels()]
    assert shown[0] == series[0]["period"] and all(label.startswith("2017-W") for label in shown)
    assert figure.get_suptitle().startswith("USA and PRK: mentions per week")
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert legend[:4] == [
        "USA → PRK: mentions",
        "PRK → USA: mentions",
        "USA → PRK: mean Goldstein",
        "PRK → USA: mean Goldstein",
    ]


def test_png_opens_at_its_size_and_svg_keeps_its_text(store, tmp_path: Path):
    figure = plot_dyad(store, "USA", "PRK", period="week")
    png = save_figure(figure, tmp_path / "dyad.png")
    pixels = matplotlib.image.imread(png)
    assert pixels.shape[:2] == (round(FIGSIZE[1] * DPI), round(FIGSIZE[0] * DPI))
    svg = save_figure(figure, tmp_path / "dyad.SVG").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for text in (
        "USA and PRK: events per week and mean Goldstein score",
        "events per week",
        "mean Goldstein score",
        "(−10 conflict … +10 cooperation)",
        "ISO week (year-Wnn; weeks start on Monday)",
        "USA → PRK: events",
        "PRK → USA: mean Goldstein",
        "Goldstein 0 (neutral)",
    ):
        assert text in svg, text
    assert save_figure(figure, tmp_path / "again.svg").read_text(encoding="utf-8") == svg  # reproducible


def test_network_edges_are_the_counterparts(store):
    rows = actor_network(store, "PRK")
    figure = plot_network(store, "PRK", limit=5)
    ax = figure.axes[0]
    edges = [line for line in ax.get_lines() if (line.get_gid() or "").startswith("edge:")]
    assert [line.get_gid() for line in edges] == [f"edge:{r['counterpart']}" for r in rows[:5]]
    widths = [line.get_linewidth() for line in edges]
    assert widths == sorted(widths, reverse=True) and widths[0] == pytest.approx(10.0)
    labels = {t.get_gid(): t.get_text() for t in ax.texts if t.get_gid()}
    for row in rows[:5]:
        assert labels[f"count:{row['counterpart']}"] == str(row["events"])
        assert labels[f"node:{row['counterpart']}"] == row["counterpart"]
    assert labels["node:PRK"] == "PRK"
    norm = (rows[0]["goldstein"] + 10.0) / 20.0
    assert tuple(edges[0].get_color()) == pytest.approx(GOLDSTEIN_CMAP(norm))
    assert f"{len(rows) - 5} more not drawn" in ax.get_title()
    assert "mean Goldstein score" in figure.axes[1].get_ylabel()  # the colour bar


def test_network_coloured_by_quad_class(store):
    rows = {r["counterpart"]: r for r in actor_network(store, "USA", countries=True)}
    figure = plot_network(store, "USA", countries=True, colour_by="quad")
    for line in figure.axes[0].get_lines():
        row = rows[line.get_gid().removeprefix("edge:")]
        side = "cooperation" if row["cooperation"] > row["conflict"] else "conflict"
        if row["cooperation"] == row["conflict"]:
            side = "even"
        assert line.get_color() == QUAD_COLOURS[side]
    legend = [text.get_text() for text in figure.legends[0].get_texts()]
    assert "more conflict (QuadClass 3–4)" in legend and len(figure.axes) == 1  # no colour bar


def test_cli_writes_charts_and_fails_in_one_line(nk_db: Path, tmp_path: Path):
    out = tmp_path / "usa-prk.svg"
    result = runner.invoke(app, ["plot", "dyad", "USA", "PRK", "--db", str(nk_db), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "USA and PRK" in out.read_text(encoding="utf-8")
    net = tmp_path / "prk.png"
    result = runner.invoke(
        app, ["plot", "network", "PRK", "--db", str(nk_db), "-o", str(net), "--colour", "quad"]
    )
    assert result.exit_code == 0, result.output
    assert matplotlib.image.imread(net).shape[:2] == (560, 1000)

    bad = runner.invoke(
        app, ["plot", "dyad", "USA", "PRK", "--db", str(nk_db), "-o", str(tmp_path / "c.jpg")]
    )
    assert bad.exit_code == 2 and "cannot draw a chart as a .jpg file" in bad.output
    assert not (tmp_path / "c.jpg").exists()
    empty = runner.invoke(
        app, ["plot", "dyad", "RUS", "UKR", "--db", str(nk_db), "-o", str(tmp_path / "e.png")]
    )
    assert empty.exit_code == 2
    assert "no events between RUS and UKR in" in empty.output and "nk.db" in empty.output
    assert len(empty.output.strip().splitlines()) == 1  # one line, however long
    missing = runner.invoke(app, ["plot", "network", "PRK", "--db", str(tmp_path / "no.db"), "-o", str(net)])
    assert missing.exit_code == 2 and "no such database" in missing.output


def test_empty_results_and_bad_suffixes_are_typed_errors(store):
    with pytest.raises(EmptyResult, match=r"no events between RUS and UKR in .*nk\.db; try"):
        plot_dyad(store, "RUS", "UKR")
    with pytest.raises(EmptyResult, match="no events between XYZ and another actor"):
        plot_network(store, "XYZ")
    with pytest.raises(UsageError, match="name the output .png or .svg"):
        chart_format("chart.pdf")
    assert chart_format("Chart.PNG") == "png"
