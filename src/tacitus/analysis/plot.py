"""Charts of stored events, drawn with matplotlib's Agg renderer and saved as PNG or SVG.

:func:`dyad_figure` draws two actors' events per period (bars, one colour per direction) and their mean
Goldstein score (lines on a second axis fixed at -10..+10, with the neutral 0 marked); :func:`network_figure`
draws an actor and its counterparts on a circle, each edge as wide as the events between them and coloured
by their mean Goldstein score or by whether cooperation or conflict dominates. Both return a
``matplotlib.figure.Figure`` built without pyplot (no global state, so a web server can draw in threads),
whose artists carry the values drawn: tests and callers read them back. :func:`plot_dyad` and
:func:`plot_network` fetch the numbers from a store first (:mod:`tacitus.analysis.stats`) and raise
:class:`~tacitus.errors.EmptyResult` when there is nothing to draw; :func:`save_figure` writes the file,
its format chosen by the suffix.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LinearSegmentedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from tacitus.analysis.periods import Period
from tacitus.analysis.stats import actor_network, count_column, dyad_series, store_name
from tacitus.analysis.units import UNIT_NOTES, Filters, Unit
from tacitus.errors import EmptyResult, UsageError

CHART_FORMATS = {".png": "png", ".svg": "svg"}
"""The files a chart can be written to, by suffix."""

FIGSIZE = (10.0, 5.6)
"""Inches; at :data:`DPI` a PNG is 1000 x 560 pixels, wide enough for a year of weekly bars."""

DPI = 100

DIRECTION_COLOURS = ("#1b6ca8", "#d95f02")
"""Blue for A -> B, orange for B -> A: a pair that colour-blind readers tell apart too."""

GOLDSTEIN_RANGE = (-10.0, 10.0)
"""The Goldstein scale's ends: material conflict at -10, material cooperation at +10."""

GOLDSTEIN_LABEL = "mean Goldstein score\n(−10 conflict … +10 cooperation)"

GOLDSTEIN_CMAP = LinearSegmentedColormap.from_list("goldstein", ["#b2182b", "#9a9a9a", "#2166ac"])
"""Red for conflict, grey for neutral, blue for cooperation: diverging, readable without red-green, and a
neutral edge stays visible on white (a white midpoint, as in RdBu, would hide it)."""

QUAD_COLOURS = {"cooperation": "#2166ac", "conflict": "#b2182b", "even": "#8c8c8c"}

NETWORK_LIMIT = 20
"""Counterparts drawn by default: more labels than this on one circle overlap at the default size."""

MAX_TICK_LABELS = 14
"""At most this many period labels under a series; the others are left out, their bars stay."""

PERIOD_AXIS = {
    "day": "day",
    "week": "ISO week (year-Wnn; weeks start on Monday)",
    "month": "month",
    "year": "year",
}


def chart_format(path: str | Path) -> str:
    """The format a chart is written in, from ``path``'s suffix (``png`` or ``svg``).

    Raises :class:`~tacitus.errors.UsageError` naming the file for any other suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in CHART_FORMATS:
        shown = f"a {suffix} file" if suffix else "a file without a suffix"
        raise UsageError(f"{path}: cannot draw a chart as {shown}; name the output .png or .svg")
    return CHART_FORMATS[suffix]


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` to ``path`` as PNG or SVG (by suffix) and return the path.

    SVG keeps its text as text (not glyph outlines), so titles, labels and legends can be searched, copied
    and translated; ids are derived from a fixed salt, so the same chart gives the same file.
    """
    path = Path(path)
    fmt = chart_format(path)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "tacitus"}):
        figure.savefig(path, format=fmt, dpi=DPI, metadata={"Date": None} if fmt == "svg" else None)
    return path


def _new_figure() -> Figure:
    figure = Figure(figsize=FIGSIZE, dpi=DPI)
    FigureCanvasAgg(figure)  # the Agg renderer, whatever backend pyplot would pick
    return figure


def _filters_text(filters: Filters | None) -> str:
    if filters is None:
        return ""
    shown = filters.described()
    shown.pop("source_actor", None)
    shown.pop("target_actor", None)
    return "; ".join(f"{key} {value}" for key, value in shown.items())


def dyad_figure(
    series: list[dict[str, Any]],
    a: str,
    b: str,
    *,
    unit: Unit | str = Unit.events,
    period: Period | str = Period.week,
    subtitle: str = "",
) -> Figure:
    """Draw a dyad's series (:func:`tacitus.analysis.stats.dyad_series`) and return the figure.

    Bars: the count per period, ``a`` to ``b`` left of each tick and ``b`` to ``a`` right, in two colours.
    Lines on the right-hand axis (-10..+10, a dotted line at 0): each direction's mean Goldstein score, with
    a gap for periods without events. The bar containers are labelled ``"A → B: events"`` and the lines
    ``"A → B: mean Goldstein"``, as the legend shows them.
    """
    unit, period = Unit(unit), Period(period)
    word = count_column(unit)
    figure = _new_figure()
    ax = figure.add_axes((0.07, 0.26, 0.82, 0.6))
    goldstein_ax = ax.twinx()
    x = list(range(len(series)))
    width = 0.4
    directions = ((f"{a} → {b}", "a_to_b", -width / 2), (f"{b} → {a}", "b_to_a", width / 2))
    handles = []
    for (name, key, offset), colour in zip(directions, DIRECTION_COLOURS, strict=True):
        positions = [i + offset for i in x]
        bars = ax.bar(
            positions, [row[key] for row in series], width, color=colour, alpha=0.75, label=f"{name}: {word}"
        )
        handles.append(bars)
    for (name, key, offset), colour, style in zip(directions, DIRECTION_COLOURS, ("-", "--"), strict=True):
        values = [math.nan if row[f"{key}_goldstein"] is None else row[f"{key}_goldstein"] for row in series]
        (line,) = goldstein_ax.plot(
            [i + offset for i in x],
            values,
            linestyle=style,
            marker="o",
            markersize=4,
            color=colour,
            label=f"{name}: mean Goldstein",
        )
        handles.append(line)
    zero = goldstein_ax.axhline(
        0.0, color="#555555", linewidth=0.8, linestyle=":", label="Goldstein 0 (neutral)"
    )
    handles.append(zero)
    goldstein_ax.set_ylim(*GOLDSTEIN_RANGE)
    goldstein_ax.set_ylabel(GOLDSTEIN_LABEL)
    ax.set_ylabel(f"{word} per {period.value}")
    ax.set_xlabel(PERIOD_AXIS[period.value])
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlim(-0.6, len(series) - 0.4)
    step = max(1, math.ceil(len(series) / MAX_TICK_LABELS))
    ticks = x[::step]
    ax.set_xticks(ticks, [series[i]["period"] for i in ticks], rotation=30, ha="right", fontsize=8)
    first, last = (series[0]["period"], series[-1]["period"]) if series else ("", "")
    figure.suptitle(f"{a} and {b}: {word} per {period.value} and mean Goldstein score, {first} to {last}")
    ax.set_title(subtitle or UNIT_NOTES[unit.value], fontsize=8, color="#444444")
    figure.legend(handles, [h.get_label() for h in handles], loc="lower center", ncol=3, fontsize=8)
    return figure


def plot_dyad(
    store: Any,
    a: str,
    b: str,
    *,
    period: Period | str = Period.week,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
) -> Figure:
    """Fetch and draw the events between ``a`` and ``b`` (code prefixes) in ``store``.

    Raises :class:`~tacitus.errors.EmptyResult` naming the store when the two have no dated event.
    """
    unit, period = Unit(unit), Period(period)
    series = dyad_series(store, a, b, period, unit, filters)
    where = store_name(store)
    if not series:
        extra = _filters_text(filters)
        raise EmptyResult(
            f"no events between {a} and {b} in {where}{' with ' + extra if extra else ''}; try shorter code "
            f"prefixes (USA for USAGOV), fewer filters, or `tacitus stats --db {where} --by dyad --actor {a}` "
            f"to see whom {a} meets"
        )
    notes = [UNIT_NOTES[unit.value], Path(where).name]
    if _filters_text(filters):
        notes.append(_filters_text(filters))
    return dyad_figure(series, a, b, unit=unit, period=period, subtitle=" · ".join(notes))


def _edge_colour(row: dict[str, Any], colour_by: str, cmap: Any, norm: Normalize) -> str | tuple:
    if colour_by == "quad":
        if row["cooperation"] > row["conflict"]:
            return QUAD_COLOURS["cooperation"]
        if row["conflict"] > row["cooperation"]:
            return QUAD_COLOURS["conflict"]
        return QUAD_COLOURS["even"]
    if row["goldstein"] is None:
        return QUAD_COLOURS["even"]
    return cmap(norm(row["goldstein"]))


def circle_layout(n: int, radius: float = 1.0) -> list[tuple[float, float]]:
    """Positions of ``n`` nodes on a circle around the origin, the first at the top, then clockwise."""
    return [
        (
            radius * math.cos(math.pi / 2 - 2 * math.pi * i / n),
            radius * math.sin(math.pi / 2 - 2 * math.pi * i / n),
        )
        for i in range(n)
    ]


def network_figure(
    rows: list[dict[str, Any]],
    actor: str,
    *,
    unit: Unit | str = Unit.events,
    colour_by: str = "goldstein",
    hidden: int = 0,
    subtitle: str = "",
) -> Figure:
    """Draw ``actor`` and its counterparts (:func:`tacitus.analysis.stats.actor_network` rows) and return
    the figure.

    The actor sits in the middle, its counterparts on a circle, most frequent at the top then clockwise.
    Each edge's width grows with the events between the two (both directions) and is labelled with their
    number; its colour is the mean Goldstein score (``colour_by="goldstein"``, a red-blue scale with a
    colour bar) or which of cooperation (QuadClass 1-2) and conflict (3-4) has more events (``"quad"``).
    Edges are ``Line2D`` objects with the gid ``edge:COUNTERPART``, their labels texts with the gid
    ``count:COUNTERPART``, node names texts with the gid ``node:CODE``. ``hidden`` counterparts beyond
    those drawn are mentioned in the title.
    """
    unit = Unit(unit)
    if colour_by not in ("goldstein", "quad"):
        raise UsageError(f"colour {colour_by!r} is not known; colour edges by goldstein or quad")
    word = count_column(unit)
    figure = _new_figure()
    ax = figure.add_axes((0.02, 0.04, 0.7, 0.82))
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(-1.45, 1.45)
    ax.set_ylim(-1.3, 1.3)
    cmap = GOLDSTEIN_CMAP
    norm = Normalize(*GOLDSTEIN_RANGE)
    top = max((row[word] for row in rows), default=1)
    positions = circle_layout(len(rows))
    for row, (x, y) in zip(rows, positions, strict=True):
        n = row[word]
        line = Line2D(
            [0.0, x],
            [0.0, y],
            linewidth=1.0 + 9.0 * n / top,
            color=_edge_colour(row, colour_by, cmap, norm),
            solid_capstyle="round",
            zorder=1,
            label="_nolegend_",
        )
        line.set_gid(f"edge:{row['counterpart']}")
        ax.add_line(line)
        label = ax.text(
            0.55 * x,
            0.55 * y,
            str(n),
            ha="center",
            va="center",
            fontsize=8,
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.85},
            zorder=3,
        )
        label.set_gid(f"count:{row['counterpart']}")
        ax.scatter([x], [y], s=60 + 240 * n / top, color="#f0f0f0", edgecolors="#333333", zorder=2)
        name = ax.text(
            1.14 * x,
            1.12 * y,
            row["counterpart"],
            ha="left" if x > 0.2 else "right" if x < -0.2 else "center",
            va="bottom" if y > 0.2 else "top" if y < -0.2 else "center",
            fontsize=9,
            zorder=4,
        )
        name.set_gid(f"node:{row['counterpart']}")
    ax.scatter([0.0], [0.0], s=500, color="#333333", zorder=2)
    centre = ax.text(
        0.0, 0.0, actor, ha="center", va="center", color="white", fontsize=9, weight="bold", zorder=4
    )
    centre.set_gid(f"node:{actor}")
    handles = [
        Line2D([], [], color="#555555", linewidth=1.0 + 9.0 / top, label=f"1 {word.removesuffix('s')}"),
        Line2D([], [], color="#555555", linewidth=10.0, label=f"{top} {word}"),
    ]
    if colour_by == "quad":
        handles += [
            Line2D(
                [],
                [],
                color=QUAD_COLOURS["cooperation"],
                linewidth=4,
                label="more cooperation (QuadClass 1–2)",
            ),
            Line2D(
                [], [], color=QUAD_COLOURS["conflict"], linewidth=4, label="more conflict (QuadClass 3–4)"
            ),
            Line2D([], [], color=QUAD_COLOURS["even"], linewidth=4, label="as much of each"),
        ]
    else:
        bar = figure.colorbar(
            matplotlib.cm.ScalarMappable(norm=norm, cmap=cmap),
            ax=ax,
            fraction=0.04,
            pad=0.02,
            location="right",
        )
        bar.set_label(GOLDSTEIN_LABEL)
    figure.legend(
        handles=handles, title="edge width and colour", loc="lower right", fontsize=8, title_fontsize=8
    )
    shown = f"{len(rows)} counterparts" + (f" (the most frequent; {hidden} more not drawn)" if hidden else "")
    colouring = "mean Goldstein score" if colour_by == "goldstein" else "cooperation or conflict"
    figure.suptitle(f"{actor} and its counterparts: {word} between them, coloured by {colouring}")
    ax.set_title(" · ".join(part for part in (shown, subtitle) if part), fontsize=8, color="#444444")
    return figure


def plot_network(
    store: Any,
    actor: str,
    *,
    unit: Unit | str = Unit.events,
    filters: Filters | None = None,
    countries: bool = False,
    limit: int = NETWORK_LIMIT,
    colour_by: str = "goldstein",
) -> Figure:
    """Fetch and draw ``actor``'s network (its ``limit`` most frequent counterparts) in ``store``.

    Raises :class:`~tacitus.errors.EmptyResult` naming the store when the actor has no counterpart.
    """
    unit = Unit(unit)
    rows = actor_network(store, actor, unit, filters, countries=countries)
    where = store_name(store)
    if not rows:
        extra = _filters_text(filters)
        raise EmptyResult(
            f"no events between {actor} and another actor in {where}{' with ' + extra if extra else ''}; try "
            f"a shorter code prefix (USA for USAGOV), fewer filters, or `tacitus stats --db {where} --by dyad` "
            "for the actors it holds"
        )
    notes = [UNIT_NOTES[unit.value].split(":")[0], Path(where).name]
    if _filters_text(filters):
        notes.append(_filters_text(filters))
    return network_figure(
        rows[:limit],
        actor,
        unit=unit,
        colour_by=colour_by,
        hidden=max(0, len(rows) - limit),
        subtitle=" · ".join(notes),
    )
