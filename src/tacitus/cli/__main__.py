"""``python -m tacitus.cli``: the same command as ``tacitus`` (tests and scripts run it with this interpreter)."""

from tacitus.cli import main

main()
