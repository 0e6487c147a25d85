"""Weekly charts drawn on the server as inline SVG: counts as bars, mean Goldstein as a line.

The pages may load nothing from elsewhere and run no third-party code, so the charts are SVG made here:
every bar and point is a link to the events behind it (one click, or Enter on the focused link), with a
``<title>`` a screen reader or a hover reads. Colours come from the stylesheet through class names, so the
markup carries no inline style (the Content-Security-Policy forbids it). Every text in the SVG is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from html import escape
from typing import Any

from markupsafe import Markup

__all__ = ["weekly_chart"]

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 44, 44, 16, 40
GOLDSTEIN_RANGE = 10.0  # the Goldstein scale runs from -10 (most conflictual) to +10 (most cooperative)


def _day(value: str) -> date:
    return date.fromisoformat(value)


def _label(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _ticks(top: int) -> list[int]:
    if top <= 5:
        return list(range(0, top + 1))
    step = max(1, round(top / 4))
    return list(range(0, top + 1, step))


def weekly_chart(
    series: Mapping[str, Sequence[Mapping[str, Any]]],
    link: Callable[[str, Mapping[str, Any]], str],
    *,
    title: str,
    goldstein: bool = True,
) -> Markup:
    """An SVG chart of weekly counts for each named series (rows from :func:`tacitus.web.data.weekly_series`:
    week, start, end, n, goldstein), bars side by side per week, and, when ``goldstein``, the mean
    Goldstein score of all series' events per week as a line on the right-hand axis. ``link(name, row)``
    gives the address of the events behind a bar; the line's points link as the first series' bars do.
    Returns markup ready for a template (everything in it escaped)."""
    names = [name for name, rows in series.items() if rows]
    weeks = sorted({row["start"] for name in names for row in series[name]})
    if not weeks:
        return Markup('<p class="empty">No dated events to chart.</p>')
    first, last = _day(weeks[0]), _day(weeks[-1])
    span_weeks = max(1, (last - first).days // 7 + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / span_weeks
    bar = max(1.5, min(28.0, slot * 0.8 / max(1, len(names))))
    top = max(row["n"] for name in names for row in series[name])

    def x_of(start: str) -> float:
        return LEFT + ((_day(start) - first).days // 7) * slot + slot / 2

    def y_count(n: float) -> float:
        return TOP + plot_h - (n / top) * plot_h

    def y_gold(g: float) -> float:
        return TOP + plot_h / 2 - (g / GOLDSTEIN_RANGE) * (plot_h / 2)

    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="chart-title" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="chart-title">{escape(title)}</title>'
    ]
    for tick in _ticks(top):
        y = y_count(tick)
        out.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        out.append(f'<text class="axis" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{tick}</text>')
    out.append(
        f'<text class="axis" x="12" y="{TOP + plot_h / 2:.1f}" transform="rotate(-90 12 {TOP + plot_h / 2:.1f})" '
        'text-anchor="middle">events per week</text>'
    )
    if goldstein:
        for tick in (-10, -5, 0, 5, 10):
            y = y_gold(tick)
            out.append(f'<text class="axis gold" x="{WIDTH - RIGHT + 6}" y="{y + 4:.1f}">{tick:+d}</text>')
        out.append(
            f'<line class="zero" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y_gold(0):.1f}" y2="{y_gold(0):.1f}"/>'
        )
        out.append(
            f'<text class="axis gold" x="{WIDTH - 8}" y="{TOP + plot_h / 2:.1f}" '
            f'transform="rotate(90 {WIDTH - 8} {TOP + plot_h / 2:.1f})" text-anchor="middle">mean Goldstein</text>'
        )
    for index, name in enumerate(names):
        offset = (index - (len(names) - 1) / 2) * bar
        for row in series[name]:
            x = x_of(row["start"]) + offset - bar / 2
            y = y_count(row["n"])
            mean = "" if row.get("goldstein") is None else f", mean Goldstein {row['goldstein']:+.1f}"
            label = f"{name}: {row['n']} event{'s' if row['n'] != 1 else ''} in the week of {_label(_day(row['start']))}{mean}"
            out.append(
                f'<a href="{escape(link(name, row))}" class="bar-link"><rect class="bar s{index}" x="{x:.1f}" '
                f'y="{y:.1f}" width="{bar:.1f}" height="{TOP + plot_h - y:.1f}"><title>{escape(label)}</title>'
                "</rect></a>"
            )
    if goldstein:
        merged: dict[str, list[tuple[float, int]]] = {}
        for name in names:
            for row in series[name]:
                if row.get("goldstein") is not None:
                    merged.setdefault(row["start"], []).append((row["goldstein"], row["n"]))
        points = []
        for start in sorted(merged):
            # the week's mean over every series, each series' mean weighted by its number of events
            total = sum(n for _, n in merged[start])
            mean = sum(g * n for g, n in merged[start]) / total
            points.append((start, x_of(start), y_gold(mean), mean))
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for _, x, y, _ in points)
            out.append(f'<polyline class="gold-line" points="{path}"/>')
        row_by_start = {row["start"]: row for row in series[names[0]]}
        for start, x, y, mean in points:
            iso = _day(start).isocalendar()
            row = row_by_start.get(start) or {"start": start, "week": f"{iso.year}-W{iso.week:02d}"}
            label = f"mean Goldstein {mean:+.1f} in the week of {_label(_day(start))}"
            out.append(
                f'<a href="{escape(link(names[0], row))}" class="point-link"><circle class="gold-point" '
                f'cx="{x:.1f}" cy="{y:.1f}" r="4"><title>{escape(label)}</title></circle></a>'
            )
    out.append(f'<text class="axis" x="{LEFT}" y="{HEIGHT - 12}">{escape(_label(first))}</text>')
    if last != first:
        out.append(
            f'<text class="axis" x="{WIDTH - RIGHT}" y="{HEIGHT - 12}" text-anchor="end">{escape(_label(last))}</text>'
        )
    out.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch s{index}"></span>{escape(name)}</li>' for index, name in enumerate(names)
    )
    if goldstein:
        legend += '<li><span class="swatch gold"></span>mean Goldstein (right axis, −10 to +10)</li>'
    return Markup("".join(out) + f'<ul class="legend">{legend}</ul>')
