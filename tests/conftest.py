"""Shared fixtures: where ../shared is, and the seed article."""

from __future__ import annotations

from pathlib import Path

import pytest

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
