"""`tacitus clusters`: the events (and quotations) that several articles report, listed, shown, rebuilt."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

import typer
from rich import box
from rich.markup import escape
from rich.table import Table

from tacitus.cli.common import (
    ActorOpt,
    LimitOpt,
    OutFmtOpt,
    OutputFormat,
    QueryDbOpt,
    SinceOpt,
    UntilOpt,
    app,
    err,
    fail,
    out,
)
from tacitus.errors import StoreUnavailable, TacitusError

SENTENCE_CHARS = 100  # the table shows the start of the evidence; json and csv give it whole


def _short(text: object) -> str:
    """The start of a sentence or quote on one line, at most :data:`SENTENCE_CHARS` characters."""
    line = " ".join(str(text or "").split())
    return line if len(line) <= SENTENCE_CHARS else line[: SENTENCE_CHARS - 1].rstrip() + "…"


class ClusterOrder(StrEnum):
    day = "day"
    sources = "sources"


QuotesOpt = Annotated[
    bool,
    typer.Option("--quotes", help="Quotations (a quote's occurrences across articles) instead of events."),
]


def _table(rows: list[dict], title: str, quotes: bool) -> Table:
    """Clusters as a table that reads at 80 columns: id and day, who did what to whom (or who said it),
    how widely it was reported (outlets/articles/mentions), and the start of the evidence."""
    table = Table(title=f"{len(rows)} {title}", box=box.SIMPLE_HEAD, show_lines=True, expand=False)
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("date", no_wrap=True, min_width=10, max_width=10)
    table.add_column("who" if quotes else "event", overflow="fold", max_width=22)
    table.add_column("src/art/men", no_wrap=True, justify="right")
    table.add_column("said" if quotes else "sentence", overflow="fold", ratio=1, min_width=24)
    for row in rows:
        if quotes:
            who = " ".join(str(p) for p in (row.get("speaker_code"), row.get("speaker_name")) if p)
            counts = f"{row['n_sources']}/{row['n_articles']}/{row['n_quotes']}"
            text = row.get("content")
        else:
            who = f"{row.get('source_code') or '?'} {row.get('code')} {row.get('target_code') or '?'}"
            counts = f"{row['n_sources']}/{row['n_articles']}/{row['n_mentions']}"
            text = row.get("sentence")
        table.add_row(
            str(row["cluster_id"]), str(row.get("date") or ""), escape(who), counts, escape(_short(text))
        )
    return table


def _members_table(rows: list[dict], cluster_id: int, quotes: bool) -> Table:
    """A cluster's mentions at 80 columns: each mention's pk, outlet and day, the event (or speaker), how it
    joined (the member's pk it matched, the rule and the score; blank for the first) and its words."""
    table = Table(title=f"{len(rows)} mentions of {cluster_id}", box=box.SIMPLE_HEAD, show_lines=True)
    table.add_column("pk", no_wrap=True)
    table.add_column("outlet · day", overflow="fold", max_width=12)
    table.add_column("speaker" if quotes else "event", overflow="fold", max_width=14)
    table.add_column("joined via", overflow="fold", max_width=12)
    table.add_column("quote" if quotes else "sentence", overflow="fold", ratio=1, min_width=20)
    for row in rows:
        if quotes:
            who, text = row.get("speaker_name") or "", row.get("content")
        else:
            who = f"{row.get('source_code') or '?'} {row.get('code')} {row.get('target_code') or '?'}"
            text = row.get("sentence")
        joined = ""
        if row.get("via") is not None:
            joined = " ".join(str(p) for p in (row["via"], row.get("basis"), f"{row['score']:.2f}") if p)
        day = f"{row.get('outlet') or ''}\n{row.get('date') or ''}".strip()
        table.add_row(str(row["pk"]), escape(day), escape(who), escape(joined), escape(_short(text)))
    return table


def _print(rows: list[dict], fmt: OutputFormat, columns: list[str], table: Callable[[], object]) -> None:
    from tacitus import jobs

    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
    elif fmt is OutputFormat.jsonl:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt is OutputFormat.csv:
        sys.stdout.write(jobs.rows_to_csv(rows, columns))
    else:
        out.print(table())


clusters_app = typer.Typer(invoke_without_command=True, no_args_is_help=False, add_completion=False)
app.add_typer(clusters_app, name="clusters")


@clusters_app.callback()
def clusters_command(
    ctx: typer.Context,
    db: QueryDbOpt = "tacitus.db",
    quotes: QuotesOpt = False,
    actor: ActorOpt = None,
    code: Annotated[
        str | None,
        typer.Option("--code", help="CAMEO code or prefix of the event (04 matches 040, 043, ...)."),
    ] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    min_sources: Annotated[
        int | None, typer.Option("--min-sources", min=1, help="Only those reported by at least N outlets.")
    ] = None,
    order: Annotated[
        ClusterOrder,
        typer.Option("--order", help="day (oldest first) or sources (most widely reported first)."),
    ] = ClusterOrder.day,
    fmt: OutFmtOpt = OutputFormat.table,
    limit: LimitOpt = None,
) -> None:
    """List events (--quotes: quotations) with the outlets, articles and mentions reporting each one.

    One row per event cluster, with the sentence that first reported it; `tacitus clusters show ID` lists
    every mention, `tacitus clusters rebuild` recomputes the clusters.
    """
    if getattr(ctx, "invoked_subcommand", None) is not None:
        return
    from tacitus import jobs
    from tacitus.store.cluster_queries import column_names

    what = "quotes" if quotes else "events"
    if quotes and code:
        raise fail("--code applies to events; leave it out with --quotes")
    filters = {"actor": actor, "since": since, "until": until, "min_sources": min_sources, "code": code}
    filters = {k: v for k, v in filters.items() if v is not None}
    try:
        rows = jobs.query(db, f"{what[:-1]}_clusters", limit=limit, order=order.value, **filters)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    title = "quotations" if quotes else "event clusters"
    _print(rows, fmt, column_names(what), lambda: _table(rows, title, quotes))


@clusters_app.command("show")
def clusters_show(
    cluster_id: Annotated[int, typer.Argument(help="The cluster's id (cluster_id in the listing).")],
    db: QueryDbOpt = "tacitus.db",
    quotes: QuotesOpt = False,
    fmt: OutFmtOpt = OutputFormat.table,
) -> None:
    """Show every mention of one cluster: its outlet, day and sentence (or words), and how it joined: the
    member it matched, the rule and the score (--format json or csv adds the article id, title and URL)."""
    from tacitus.store.cluster_queries import column_names

    what = "quotes" if quotes else "events"
    try:
        with _open(db) as store:
            rows = store.cluster_members(cluster_id, what)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    if not rows:
        err.print(f"no {'quotation' if quotes else 'event cluster'} {cluster_id} in {db}", highlight=False)
        raise typer.Exit(1)
    _print(
        rows,
        fmt,
        column_names("quote-members" if quotes else "members"),
        lambda: _members_table(rows, cluster_id, quotes),
    )


def _open(db: str):  # noqa: ANN202 - a Store
    """Open an existing database (never create one: a typo in --db would otherwise answer "nothing")."""
    from tacitus.store import open_store, sqlite_file

    path = sqlite_file(db)
    if path is not None and not path.exists():
        raise StoreUnavailable(f"{db}: no such database; create it with `tacitus process FILES --db {db}`")
    return open_store(db)


@clusters_app.command("rebuild")
def clusters_rebuild(db: QueryDbOpt = "tacitus.db") -> None:
    """Recompute every cluster of a database from its events and quotes (after the clustering rules changed,
    or for a database written before clusters existed)."""
    from rich.progress import Progress

    try:
        with _open(db) as store, Progress(console=err, transient=True) as progress:
            task = progress.add_task("clustering", total=None)
            counts = store.rebuild_clusters(
                lambda done, total: progress.update(task, completed=done, total=total)
            )
    except StoreUnavailable as exc:
        raise fail(str(exc)) from None
    out.print(
        f"{counts['articles']} articles: {counts['event_clusters']} event clusters, "
        f"{counts['quote_clusters']} quotations",
        highlight=False,
    )
