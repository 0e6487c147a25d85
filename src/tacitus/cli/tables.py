"""Tables for reading rows at a terminal: the events table that reads at 80 columns, and plain ones."""

from __future__ import annotations

from rich import box
from rich.markup import escape
from rich.table import Table


def _cell(value) -> str:
    return "" if value is None else str(value)


def plain_table(what: str, rows: list[dict], columns: list[str]) -> Table:
    table = Table(title=f"{len(rows)} {what}", show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*[_cell(row.get(c)) for c in columns])
    return table


SENTENCE_CHARS = 120  # the evidence shown under each event; --format json/csv gives it whole


def _actor_cell(code, name) -> str:
    return "\n".join(part for part in (_cell(code) or "?", _cell(name)) if part)


def events_table(rows: list[dict]) -> Table:
    """Events as a table that reads at 80 columns: who, what (with mood and negation), to whom, the evidence.

    The "did" cell carries the CAMEO code and PLOVER category, whether the event is negated and its mood,
    where it happened, and the start of the sentence it comes from.
    """
    table = Table(title=f"{len(rows)} events", box=box.SIMPLE_HEAD, show_lines=True, expand=False)
    table.add_column("date", no_wrap=True, min_width=10, max_width=10)
    table.add_column("who", overflow="fold", max_width=18)
    table.add_column("did", overflow="fold", ratio=1, min_width=24)
    table.add_column("to whom", overflow="fold", max_width=18)
    for row in rows:
        what = " ".join(p for p in (_cell(row.get("code")), _cell(row.get("plover"))) if p)
        status = "NOT (negated)" if row.get("negated") else _cell(row.get("mood")) or "asserted"
        lines = [f"[bold]{escape(what)}[/] · {escape(status)}"]
        if row.get("place"):
            lines.append(f"in {escape(_cell(row['place']))}")
        if (row.get("sources") or 0) > 1:  # the story was printed by several outlets: one event, not several
            lines.append(f"reported by {row['sources']} sources")
        sentence = " ".join(_cell(row.get("sentence")).split())
        if sentence:
            if len(sentence) > SENTENCE_CHARS:
                sentence = sentence[: SENTENCE_CHARS - 1].rstrip() + "…"
            lines.append(f"[dim]“{escape(sentence)}”[/]")
        date = _cell(row.get("date"))
        if row.get("date_from") == "published":
            date += "\n[dim]published[/]"  # no event date in the text: the article's day stands in
        table.add_row(
            date,
            escape(_actor_cell(row.get("source_code"), row.get("source_name"))),
            "\n".join(lines),
            escape(_actor_cell(row.get("target_code"), row.get("target_name"))),
        )
    return table
