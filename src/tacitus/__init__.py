"""Tacitus: who did what to whom, when and where, and who said what, from news text.

The public API is small: :func:`analyze` for one text or article, :func:`analyze_batch` for many (in input
order, on several processes if asked), and the plain data classes of :mod:`tacitus.model`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from typing import Any  # noqa: E402

from tacitus.model import Actor, Article, Event, Place, PlaceRef, Quote, Record, TimeExpr  # noqa: E402

_PIPELINE_NAMES = ("analyze", "analyze_batch", "load_nlp")


def __getattr__(name: str) -> Any:
    # The pipeline imports spaCy (about a second); load it only when asked so that the store, the
    # exporters and the CLI's --help stay fast.
    if name in _PIPELINE_NAMES:
        from tacitus import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'tacitus' has no attribute {name!r}")


__all__ = [
    "Actor",
    "Article",
    "Event",
    "Place",
    "PlaceRef",
    "Quote",
    "Record",
    "TimeExpr",
    "__version__",
    "analyze",
    "analyze_batch",
    "load_nlp",
]
