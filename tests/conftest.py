"""Shared fixtures: where ../shared is, and the seed article."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

# A suite started in the background of a non-interactive shell (`make test &`, some CI runners) inherits SIGINT
# ignored, and so would every `tacitus` process the tests start: Python installs no KeyboardInterrupt handler
# then, and the Ctrl-C tests would test the launcher, not Tacitus. Restore the handler a terminal would give.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_416052134ac3e5b3.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    if not SEED.exists():
        pytest.skip(f"{SEED} is missing (tests read ../shared beside the checkout)")
    return SEED


@pytest.fixture(scope="session")
def seed_record(seed_path: Path):
    """The seed article analysed once for the whole session, as a Record."""
    from tacitus.ingest import parse_text_page
    from tacitus.pipeline import analyze

    article = parse_text_page(seed_path.read_text(encoding="utf-8"), origin=str(seed_path))
    article.published = "2017-12-15"
    return analyze(article)
