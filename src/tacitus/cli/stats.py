"""Counting and drawing what a database holds: `tacitus stats`, `tacitus plot dyad`, `tacitus plot network`."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from tacitus.cli.common import ActorOpt, QueryDbOpt, SinceOpt, UntilOpt, app, err, fail, out
from tacitus.errors import TacitusError


class By(StrEnum):
    dyad = "dyad"
    root = "root"
    quad = "quad"
    period = "period"
    speaker = "speaker"


class PeriodName(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    year = "year"


class CountUnit(StrEnum):
    events = "events"
    mentions = "mentions"


class StatsFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Colour(StrEnum):
    goldstein = "goldstein"
    quad = "quad"


PeriodOpt = Annotated[
    PeriodName,
    typer.Option(
        "--period", help="Period length: day, week (ISO weeks: 2017-W50, from its Monday), month, year."
    ),
]
CountOpt = Annotated[
    CountUnit,
    typer.Option(
        "--count",
        help="What to count: events (distinct: the mentions of one event in several articles, one cluster, "
        "count once; quotations likewise) or mentions (every article's statement counts). The mean Goldstein "
        "score is taken over the same units.",
    ),
]
OutletOpt = Annotated[
    str | None,
    typer.Option(
        "--source", help="Only what this outlet published (the record's source, e.g. Reuters; any case)."
    ),
]
CodeOpt = Annotated[
    str | None, typer.Option("--code", help="CAMEO event code or prefix (19 keeps 190, 193, ...).")
]
NegatedOpt = Annotated[
    bool,
    typer.Option("--negated", help='Count negated events too ("did not attack"); left out by default.'),
]
RepeatedOpt = Annotated[
    bool,
    typer.Option(
        "--repeated",
        help='Count summaries of repeated acts too ("has repeatedly criticized NAFTA"); left out by default.',
    ),
]
MoodOpt = Annotated[
    str | None,
    typer.Option(
        "--mood",
        help="Only events in these moods, comma-separated: asserted, reported, intended, hypothetical, "
        "demanded, negated-by-context (default: all).",
    ),
]
CountriesOpt = Annotated[
    bool,
    typer.Option(
        "--countries",
        help="Group actors by the country part of their codes (USAGOV and USAMIL are USA; ---GOV has none).",
    ),
]
ChartOpt = Annotated[
    Path, typer.Option("--output", "-o", help="The chart to write: a .png or .svg file (format by suffix).")
]


def _filters(actor, since, until, source, code, negated, mood, repeated, **sides):
    from tacitus.analysis.units import MOODS, Filters

    moods = None
    if mood:
        moods = tuple(m.strip() for m in mood.split(",") if m.strip())
        unknown = [m for m in moods if m not in MOODS]
        if unknown:
            raise fail(f"--mood: {', '.join(unknown)} is not a mood; use some of {', '.join(MOODS)}")
    return Filters(
        actor=actor, since=since, until=until, outlet=source, code=code, negated=negated, moods=moods,
        repeated=repeated, **sides,
    )  # fmt: skip


def _fmt(value: Any, digits: int = 2) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _about(entries: list[dict[str, Any]]) -> str:
    return "; ".join(f"{e['name']} ({e['code'] or '?'}) {e['n']}" for e in entries)


TABLE_COLUMNS = {
    "dyad": ["source", "target", None, "goldstein", "cooperation", "conflict"],
    "root": ["root", "name", "quad_class", None, "goldstein"],
    "quad": ["quad_class", "name", None, "share", "goldstein"],
    "period": ["period", "start", None, "goldstein", "cooperation", "conflict"],
    "speaker": ["speaker_name", "speaker_code", None, "about"],
}
"""The columns of each table, in order; None stands for the count column, named after the unit."""

TITLES = {
    "dyad": "per dyad (source → target)",
    "root": "per CAMEO root",
    "quad": "per QuadClass",
    "period": "per {period}",
    "speaker": "per speaker, and whom they speak about",
}


def _columns(table: dict[str, Any]) -> list[str]:
    columns = [table["count_column"] if c is None else c for c in TABLE_COLUMNS[table["by"]]]
    return [c for c in columns if c != "about" or table.get("about")]  # --about 0: not looked for


def _rich_table(table: dict[str, Any], db: str, in_summary: bool = False) -> Table:
    columns = _columns(table)
    title = f"{table['count_column'].replace('_', ' ')} {TITLES[table['by']].format(**table)}"
    if table["by"] == "period" and len(table["rows"]) < table.get("n_periods", 0):
        title += f" (the latest {len(table['rows'])} of {table['n_periods']})"
    caption = []
    if not in_summary:  # the summary says the unit, filters and database once, above its tables
        caption.append(f"counted: {table['unit_note']}")
        if table["filters"]:
            caption.append("filters: " + "; ".join(f"{k} {v}" for k, v in table["filters"].items()))
    if table["by"] == "dyad":
        caption.append("events missing a side belong to no dyad")
    if table["by"] == "speaker":
        caption.append("about: actors named in the quoted words or in events the quote states, with how many")
    if in_summary and table["by"] == "speaker":
        caption.append(f"counted: {table['unit_note']}")
    if not in_summary:
        caption.append(db)
    rich = Table(title=title, caption=escape("\n".join(caption)), caption_justify="left")
    for column in columns:
        numeric = column in (table["count_column"], "goldstein", "cooperation", "conflict", "share")
        rich.add_column(column.replace("_", " "), justify="right" if numeric else "left", overflow="fold")
    for row in table["rows"]:
        cells = []
        for column in columns:
            value = row.get(column)
            if column == "about":
                cells.append(_about(value or []))
            elif column == "share":
                cells.append(f"{value:.1%}")
            elif column in ("source", "target") and value is None:
                cells.append("-")
            elif column == "period" and value is None:
                cells.append("(undated)")
            else:
                cells.append(_fmt(value))
        rich.add_row(*(escape(c) for c in cells))
    return rich


def _rounded(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # three decimals say all a mean of Goldstein scores (given to one decimal) can
    return [{k: round(v, 3) if isinstance(v, float) else v for k, v in row.items()} for row in rows]


def _print_totals(summary: dict[str, Any], db: str) -> None:
    totals = summary["totals"]
    span = f", {totals['first_day']} to {totals['last_day']}" if totals["first_day"] else ""
    undated = f" ({totals['undated']:,} undated)" if totals["undated"] else ""
    mean = totals["goldstein"]
    lines = [
        f"{db}: {totals['events']:,} distinct events from {totals['mentions']:,} mentions in "
        f"{totals['articles']:,} articles{span}{undated}"
        + ("" if mean is None else f"; mean Goldstein {mean:.2f} over the {summary['unit']}"),
        f"counted: {summary['unit_note']}",
    ]
    if summary["filters"]:
        lines.append("filters: " + "; ".join(f"{k} {v}" for k, v in summary["filters"].items()))
    for line in lines:
        out.print(escape(line), highlight=False)


@app.command("stats")
def stats_command(
    db: QueryDbOpt = "tacitus.db",
    by: Annotated[
        By | None,
        typer.Option(
            "--by",
            help="Count by dyad (source and target actor), CAMEO root, QuadClass, period, or speaker (quotes, "
            "with the actors they are about). Without it: totals and a short table of each.",
        ),
    ] = None,
    period: PeriodOpt = PeriodName.week,
    count: CountOpt = CountUnit.events,
    countries: CountriesOpt = False,
    actor: ActorOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: OutletOpt = None,
    code: CodeOpt = None,
    negated: NegatedOpt = False,
    repeated: RepeatedOpt = False,
    mood: MoodOpt = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            min=0,
            help="Rows per table (0: all). Default: 20 dyads or speakers, every root, QuadClass and period; "
            "10 of each in the summary (periods: the latest).",
        ),
    ] = None,
    about: Annotated[
        int | None,
        typer.Option(
            "--about",
            min=0,
            help="Actors named per speaker, those their quotes are about (default 5; 3 in the summary). 0 skips "
            "reading the records: faster on a large store.",
        ),
    ] = None,
    fmt: Annotated[
        StatsFormat,
        typer.Option(
            "--format", help="table (for reading), csv (one table, with header: needs --by) or json."
        ),
    ] = StatsFormat.table,
) -> None:
    """Count stored events per dyad, root, QuadClass or period with their mean Goldstein score, and the top
    speakers with whom they speak about."""
    from tacitus.analysis.report import open_existing, stats_summary, stats_table
    from tacitus.jobs import rows_to_csv

    if fmt is StatsFormat.csv and by is None:
        raise fail("--format csv writes one table: add --by dyad, root, quad, period or speaker")
    filters = _filters(actor, since, until, source, code, negated, mood, repeated)
    options = {"period": period.value, "unit": count.value, "filters": filters, "limit": limit}
    if about is not None:
        options["about"] = about
    try:
        with open_existing(db) as store:
            if by is None:
                result = stats_summary(store, countries=countries, **options)
            else:
                result = stats_table(store, by.value, countries=countries, **options)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    tables = (
        [result] if by is not None else [result[key] for key in ("dyad", "root", "quad", "period", "speaker")]
    )
    for table in tables:
        table["rows"] = _rounded(table["rows"])
    if fmt is StatsFormat.json:
        if by is None:
            result["totals"] = _rounded([result["totals"]])[0]
        sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt is StatsFormat.csv:
        sys.stdout.write(rows_to_csv(result["rows"], _columns(result)))
        return
    if by is None:
        _print_totals(result, db)
    for table in tables:
        if table["rows"]:
            out.print(_rich_table(table, db, in_summary=by is None))
        else:
            what = "quotes" if table["by"] == "speaker" else "events"
            err.print(
                escape(f"no {what} in {db} to count per {table['by']} with these filters"), highlight=False
            )


plot_app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Draw charts of stored events as PNG or SVG: a dyad's events over time, an actor's network.",
)
app.add_typer(plot_app, name="plot")


def _write_chart(draw, output: Path) -> None:
    from tacitus.analysis.plot import chart_format, save_figure

    try:
        chart_format(output)  # a wrong suffix is told before any work
        figure = draw()
        save_figure(figure, output)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{output}: cannot write ({exc.strerror or exc}); choose another -o") from None
    err.print(escape(f"wrote {output}"), highlight=False)


@plot_app.command("dyad")
def plot_dyad_command(
    a: Annotated[
        str, typer.Argument(metavar="A", help="One actor: a code or prefix (RUS covers RUSGOV, RUSMIL, ...).")
    ],
    b: Annotated[str, typer.Argument(metavar="B", help="The other actor, likewise.")],
    output: ChartOpt,
    db: QueryDbOpt = "tacitus.db",
    period: PeriodOpt = PeriodName.week,
    count: CountOpt = CountUnit.events,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: OutletOpt = None,
    code: CodeOpt = None,
    negated: NegatedOpt = False,
    repeated: RepeatedOpt = False,
    mood: MoodOpt = None,
) -> None:
    """Draw the events between A and B per period (bars, one colour per direction) and their mean Goldstein
    score (lines, -10..+10)."""
    from tacitus.analysis.plot import plot_dyad
    from tacitus.analysis.report import open_existing

    filters = _filters(None, since, until, source, code, negated, mood, repeated)

    def draw():
        with open_existing(db) as store:
            return plot_dyad(store, a, b, period=period.value, unit=count.value, filters=filters)

    _write_chart(draw, output)


@plot_app.command("network")
def plot_network_command(
    actor: Annotated[
        str,
        typer.Argument(metavar="ACTOR", help="The actor: a code or prefix (RUS covers RUSGOV, RUSMIL, ...)."),
    ],
    output: ChartOpt,
    db: QueryDbOpt = "tacitus.db",
    colour: Annotated[
        Colour,
        typer.Option(
            "--colour",
            "--color",
            help="Colour edges by mean Goldstein score (red conflict, grey neutral, blue cooperation) or by "
            "quad: whether cooperation (QuadClass 1-2) or conflict (3-4) has more events.",
        ),
    ] = Colour.goldstein,
    count: CountOpt = CountUnit.events,
    countries: CountriesOpt = False,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="Counterparts drawn: the most frequent (default 20).")
    ] = 20,
    since: SinceOpt = None,
    until: UntilOpt = None,
    source: OutletOpt = None,
    code: CodeOpt = None,
    negated: NegatedOpt = False,
    repeated: RepeatedOpt = False,
    mood: MoodOpt = None,
) -> None:
    """Draw ACTOR and the actors it has events with: edges as wide as their events, labelled with how many,
    coloured by mean Goldstein score or by cooperation against conflict."""
    from tacitus.analysis.plot import plot_network
    from tacitus.analysis.report import open_existing

    filters = _filters(None, since, until, source, code, negated, mood, repeated)

    def draw():
        with open_existing(db) as store:
            return plot_network(
                store,
                actor,
                unit=count.value,
                filters=filters,
                countries=countries,
                limit=limit,
                colour_by=colour.value,
            )

    _write_chart(draw, output)
