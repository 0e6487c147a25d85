"""Tacitus: who did what to whom, when and where, and who said what, from news text.

The public API is small: :func:`analyze` for one text or article, :func:`analyze_batch` for many (in input
order, on several processes if asked), and the plain data classes of :mod:`tacitus.model`.
"""

from __future__ import annotations

__version__ = "0.1.0"

from tacitus.model import Actor, Article, Event, Place, PlaceRef, Quote, Record, TimeExpr  # noqa: E402
from tacitus.pipeline import analyze, analyze_batch, load_nlp  # noqa: E402

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
