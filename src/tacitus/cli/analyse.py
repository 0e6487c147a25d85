"""Analysing articles: `tacitus extract` (records to JSONL), `process` (into a database), `links`, `demo`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from tacitus.cli.common import (
    ActorsFileOpt,
    AnyLanguageOpt,
    CleanTextOpt,
    DbOpt,
    DedupOpt,
    EncodingOpt,
    Engine,
    EngineOpt,
    FilesArg,
    FormatOpt,
    InputFormat,
    LanguagesOpt,
    LearnOpt,
    MaxBytesOpt,
    PatternsFileOpt,
    ProcsOpt,
    PublishedOpt,
    QuoteTypesOpt,
    SchedulerOpt,
    TitleOpt,
    app,
    cleaning_summary,
    err,
    fail,
    finish,
    interruptible,
    listener,
    out,
    progress,
    stdout_sink,
)
from tacitus.cli.tables import events_table
from tacitus.errors import TacitusError


@app.command()
def extract(
    files: FilesArg,
    input_format: FormatOpt = InputFormat.auto,
    published: PublishedOpt = None,
    title: TitleOpt = True,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the JSONL records here instead of stdout.")
    ] = None,
    processes: ProcsOpt = 1,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = None,
    actors: ActorsFileOpt = None,
    patterns: PatternsFileOpt = None,
    quote_types: QuoteTypesOpt = None,
    languages: LanguagesOpt = None,
    any_language: AnyLanguageOpt = False,
    dedup: DedupOpt = True,
    learn_boilerplate: LearnOpt = True,
    clean_text: CleanTextOpt = False,
    engine: EngineOpt = Engine.local,
    scheduler: SchedulerOpt = None,
) -> None:
    """Analyse articles and write one JSON record per article (JSONL) to stdout or --output.

    An article that repeats an earlier one gets a short line naming it (duplicate_of) instead of a record.
    """
    from tacitus import jobs

    if output is not None and not output.parent.exists():
        raise fail(
            f"{output}: the folder {output.parent} does not exist; create it or choose another --output"
        )
    report = jobs.RunReport(listener=listener)
    try:
        with (
            interruptible(report, "extracted"),
            open(output, "w", encoding="utf-8") if output else stdout_sink() as sink,
            progress("analysing", report.expected) as tick,
        ):
            jobs.extract(
                files,
                sink,
                input_format=input_format.value,
                published=published,
                title=title,
                n_process=processes,
                progress=tick,
                encoding=encoding,
                max_bytes=max_bytes,
                report=report,
                actors_file=actors,
                patterns_file=patterns,
                quote_types=quote_types.split(",") if quote_types else None,
                languages=languages.split(",") if languages else None,
                any_language=any_language,
                dedup=dedup,
                learn_boilerplate=learn_boilerplate,
                clean_text=clean_text,
                engine=engine.value,
                scheduler=scheduler,
            )
    except TacitusError as exc:
        raise fail(str(exc)) from None
    cleaning_summary(report)
    finish(report, "extracted")
    if output is not None:
        err.print(f"{report.written} record(s) written to {output}", highlight=False)


@app.command()
def process(
    files: FilesArg,
    db: DbOpt = "tacitus.db",
    input_format: FormatOpt = InputFormat.auto,
    published: PublishedOpt = None,
    title: TitleOpt = True,
    reprocess: Annotated[
        bool, typer.Option("--reprocess", help="Replace articles already stored instead of skipping them.")
    ] = False,
    processes: ProcsOpt = 1,
    encoding: EncodingOpt = None,
    max_bytes: MaxBytesOpt = None,
    actors: ActorsFileOpt = None,
    patterns: PatternsFileOpt = None,
    quote_types: QuoteTypesOpt = None,
    languages: LanguagesOpt = None,
    any_language: AnyLanguageOpt = False,
    dedup: DedupOpt = True,
    learn_boilerplate: LearnOpt = True,
    clean_text: CleanTextOpt = False,
    engine: EngineOpt = Engine.local,
    scheduler: SchedulerOpt = None,
    out_parquet: Annotated[
        Path | None,
        typer.Option(
            "--out-parquet",
            help="Write the records as a Parquet dataset in this folder instead of a database (with --engine "
            "dask each worker writes its partitions: a folder every worker reaches); `tacitus load` stores "
            "it. --db is not used. See docs/dask.md.",
        ),
    ] = None,
) -> None:
    """Analyse articles and store their records in a database (each article stored once).

    Articles already stored (same publication) are counted as unchanged without being analysed again, so
    running the same command after an interruption resumes where it stopped. An article that repeats one
    already analysed is stored as another publication of it (counted as duplicate).
    """
    from tacitus import jobs

    report = jobs.RunReport(listener=listener)
    run = jobs.process
    if out_parquet is not None:
        from tacitus.datasets import process_to_parquet

        run, db = process_to_parquet, str(out_parquet)  # type: ignore[assignment]
    try:
        with interruptible(report, "stored"), progress("analysing", report.expected) as tick:
            run(
                files,
                db,
                input_format=input_format.value,
                published=published,
                title=title,
                **({} if out_parquet else {"reprocess": reprocess}),
                n_process=processes,
                progress=tick,
                encoding=encoding,
                max_bytes=max_bytes,
                report=report,
                actors_file=actors,
                patterns_file=patterns,
                quote_types=quote_types.split(",") if quote_types else None,
                languages=languages.split(",") if languages else None,
                any_language=any_language,
                dedup=dedup,
                learn_boilerplate=learn_boilerplate,
                clean_text=clean_text,
                engine=engine.value,
                scheduler=scheduler,
            )
    except TacitusError as exc:
        raise fail(str(exc)) from None
    cleaning_summary(report)
    if out_parquet is not None:
        err.print(
            f"{report.read} article(s) read; {report.written} record(s) and {report.duplicates} duplicate(s) "
            f"written to {report.database}; store them with `tacitus load {out_parquet} --db DB`",
            highlight=False,
        )
        finish(report, "written")
        return
    stored = ", ".join(f"{n} {status}" for status, n in sorted(report.stored.items())) or "nothing stored"
    err.print(f"{report.read} article(s) read; {stored}; database: {report.database}", highlight=False)
    finish(report, "stored")


@app.command()
def load(
    folder: Annotated[
        Path, typer.Argument(help="A dataset folder written by `tacitus process --out-parquet`.")
    ],
    db: DbOpt = "tacitus.db",
) -> None:
    """Store a Parquet dataset written by `tacitus process --out-parquet` in a database.

    Records are stored in input order with the same duplicate handling and clustering as `tacitus process`;
    what the database holds already (same publication or same text) is counted as unchanged, so loading
    twice stores nothing twice.
    """
    from tacitus import jobs
    from tacitus.datasets import load as load_dataset

    report = jobs.RunReport(listener=listener)
    try:
        with interruptible(report, "stored"), progress("loading") as tick:
            load_dataset(folder, db, progress=tick, report=report)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    stored = ", ".join(f"{n} {status}" for status, n in sorted(report.stored.items())) or "nothing stored"
    err.print(f"{report.read} row(s) read; {stored}; database: {report.database}", highlight=False)
    finish(report, "stored")


@app.command()
def links(
    files: FilesArg,
    input_format: FormatOpt = InputFormat.auto,
    max_bytes: MaxBytesOpt = None,
) -> None:
    """Print the links of the feed entries that carry no full text, one a line, to fetch them.

    Tacitus never fetches pages. Save the list, crawl it into a WARC, and give Tacitus the WARC:
    `tacitus links feed.xml > links.txt && wget --warc-file=news -i links.txt && tacitus extract news.warc.gz`.
    """
    from tacitus import jobs

    report = jobs.RunReport(listener=listener)
    try:
        found = jobs.feed_links(files, input_format=input_format.value, max_bytes=max_bytes, report=report)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    for link in found:
        out.print(link, highlight=False, soft_wrap=True, markup=False)
    err.print(f"{len(found)} link(s) to fetch", highlight=False)
    if report.skipped:
        raise typer.Exit(1)


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Where to write the demo database.")] = "tacitus-demo.db",
) -> None:
    """Process the bundled sample articles into a database and print a summary."""
    from tacitus import jobs

    try:
        with progress("analysing samples") as tick:
            report = jobs.demo(db, progress=tick)
        summary = jobs.summary(db)
        sample_events = jobs.query(db, "events", limit=8)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    table = Table(title="Tacitus demo: bundled samples")
    table.add_column("what")
    table.add_column("count", justify="right")
    for key in ("articles", "actors", "quotes", "events", "times", "places"):
        if key in summary:
            table.add_row(key, str(summary[key]))
    out.print(table)
    if sample_events:
        ev = events_table(sample_events)
        ev.title = "Some events"
        out.print(ev)
    out.print(f"Database: {Path(db).resolve()}", highlight=False)
    out.print(f"Try: tacitus events --db {db} --actor USA   |   tacitus quotes --db {db}", highlight=False)
    finish(report, "stored")
