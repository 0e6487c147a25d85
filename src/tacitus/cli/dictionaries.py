"""Converting dictionaries: `tacitus actors import` (TABARI/PETRARCH actors and agents), `patterns import`."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from tacitus.cli.common import (
    app,
    err,
    fail,
    write_output,
)
from tacitus.cli.query import actors_app
from tacitus.errors import TacitusError


@actors_app.command("import")
def actors_import(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="TABARI/PETRARCH actor or agent dictionaries (e.g. Phoenix.agents.txt); each file's kind "
            "is told by its codes.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the YAML actor file here instead of stdout.")
    ] = None,
) -> None:
    """Turn TABARI/PETRARCH actor and agent dictionaries into a YAML actor file for --actors.

    Actors keep their synonyms and dated codes ([RUSGOV 991231-080507]; until is exclusive,
    as in TABARI); agents ([~GOV]) become role words, with substitution sets (!PERSON!) and
    plurals expanded. A one-line summary on stderr counts entries, roles and the lines
    skipped or repaired, by reason, with file:line examples.
    """
    from tacitus.kb.tabari import Report, import_dictionaries, to_yaml

    if output is not None and not output.parent.exists():
        raise fail(f"{output}: the folder {output.parent} does not exist; create it or choose another -o")
    report = Report()
    try:
        imported = import_dictionaries(files, report)
    except TacitusError as exc:
        raise fail(str(exc)) from None
    if not imported.entries and not imported.roles:
        raise fail(
            f"nothing was imported from {', '.join(map(str, files))}: no actor or role with a usable code; "
            f"give TABARI actor or agent dictionaries ({report.skipped_summary(1) or 'no entries'})"
        )
    text = to_yaml(imported)
    write_output(text, output)
    where = f" to {output}" if output is not None else ""
    n, m = len(imported.entries), len(imported.roles)
    summary = (
        f"imported {n} {'entry' if n == 1 else 'entries'} and {m} role{'' if m == 1 else 's'} from "
        f"{len(files)} file(s){where}; skipped or repaired: {report.skipped_summary() or 'nothing'}"
    )
    err.print(escape(summary), highlight=False, soft_wrap=True)


# `tacitus patterns import FILE -o OUT.json`: a PETRARCH verb dictionary as a pattern file for --patterns.
patterns_app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="Verb pattern files for --patterns."
)
app.add_typer(patterns_app, name="patterns")


@patterns_app.command("import")
def patterns_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A PETRARCH/TABARI verb dictionary (e.g. CAMEO.2.0.txt, PETR.Validate.verbs.txt).",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSON pattern file here (*.json) instead of stdout."),
    ] = None,
) -> None:
    """Turn a PETRARCH verb dictionary into a JSON verb pattern file for --patterns.

    Every verb line and pattern line Tacitus can express is converted as PETRARCH-2 reads it (synonym
    sets, multi-word verbs, prepositional phrases, source and target markers, [---] blockers); codes
    CAMEO lacks are kept. A summary on stderr counts the patterns and the lines skipped, by reason.
    """
    from tacitus.ontology.petrarch_verbs import convert_dictionary

    if output is not None and output.suffix != ".json":
        raise fail(f"{output}: a pattern file made here is JSON; name it *.json (it is read by its suffix)")
    if output is not None and not output.parent.exists():
        raise fail(f"{output}: the folder {output.parent} does not exist; create it or choose another -o")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # codes outside CAMEO: counted in the summary
            text, converter, converted = convert_dictionary(file)
    except OSError as exc:
        raise fail(f"{file}: cannot read the verb dictionary ({exc.strerror})") from None
    except TacitusError as exc:
        raise fail(str(exc)) from None
    if not converted:
        raise fail(
            f"nothing was converted from {file}: no verb block Tacitus can express; is it a verb dictionary?"
        )
    write_output(text, output)
    c = converter.counts
    outside = c["codes kept that Tacitus's CAMEO table lacks"]
    skipped = converter.pattern_skips + converter.verb_skips
    reasons = "; ".join(f"{reason}: {n}" for reason, n in skipped.most_common(4)) or "nothing"
    where = f" to {output}" if output is not None else ""
    summary = (
        f"converted {len(converted)} pattern(s){where} from {c['pattern lines converted']} of "
        f"{c['pattern lines']} pattern lines and {c['verb lines']} verb lines; "
        f"{outside} line(s) with codes CAMEO lacks kept; "
        f"skipped: {reasons}"
    )
    err.print(escape(summary), highlight=False, soft_wrap=True)
