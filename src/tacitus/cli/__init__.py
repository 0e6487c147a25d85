"""The ``tacitus`` command: thin shells over :mod:`tacitus.jobs`, one module per family of commands.

Each command parses its options, calls one library function and formats the result. The app, the shared
options and the exit codes live in :mod:`tacitus.cli.common`; importing a command module registers its
commands, in the order ``tacitus --help`` lists them.
"""

from __future__ import annotations

import sys

from tacitus.cli import (  # noqa: F401 - registers the commands
    analyse,
    clusters,
    dictionaries,
    evaluate,
    export,
    query,
    serve,
    stats,
)
from tacitus.cli.common import app

__all__ = ["app", "main"]


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    # a warning from the library (a pattern file's codes outside the CAMEO table) is for the user: one line,
    # not Python's file:line and source excerpt
    print(f"warning: {message}", file=sys.stderr)


def main() -> None:
    """Console-script entry point."""
    import warnings

    warnings.showwarning = _one_line_warning
    app()


if __name__ == "__main__":
    main()
