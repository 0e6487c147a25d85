"""`tacitus eval`: the scorers on the evaluation sets."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from tacitus.cli.common import (
    ProcsOpt,
    app,
    fail,
    out,
)
from tacitus.errors import TacitusError


class EvalName(StrEnum):
    quotes = "quotes"
    events = "events"
    actors = "actors"
    time = "time"
    ingest = "ingest"
    duplicates = "duplicates"
    clusters = "clusters"
    all = "all"


@app.command("eval")
def eval_(
    which: Annotated[
        EvalName,
        typer.Argument(
            help="Which scorer: quotes (PolNeAR), events (PLOVER GSR, CAMEO codebook examples, PETRARCH "
            "validation suite), actors (PLOVER GSR actor codes, PolNeAR speakers), time (TempEval-3 and "
            "MEANTIME TIMEX3 spans and values), ingest (HTML bodies on the Scrapinghub benchmark beside its 32 "
            "tools; title, byline, date and body on Mozilla Readability's pages), duplicates (labelled "
            "AllSides article pairs, read from corpora/ beside --data), clusters (event clustering on labelled "
            "AllSides event pairs and BASIL's stories, from corpora/), all."
        ),
    ],
    data: Annotated[
        Path,
        typer.Option(
            "--data",
            envvar="TACITUS_EVAL_DATA",
            help="Folder holding the evaluation sets (quotes/polnear, events/plover-gsr), e.g. ../shared/eval.",
        ),
    ],
    split: Annotated[str, typer.Option("--split", help="PolNeAR split to score (train or dev).")] = "dev",
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Score only the first N documents.")
    ] = None,
    processes: ProcsOpt = 1,
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
) -> None:
    """Score Tacitus on the evaluation sets and print precision, recall, F1 and more."""
    from dataclasses import asdict

    from tacitus import jobs

    try:
        results = jobs.evaluate(which.value, data, split=split, limit=limit, n_process=processes)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    for result in results:
        if fmt == "json":
            sys.stdout.write(json.dumps(asdict(result), ensure_ascii=False) + "\n")
        else:
            out.print(result.format_table(), highlight=False, markup=False)
            out.print()
