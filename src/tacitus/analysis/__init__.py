"""Counts and charts over a store: events per dyad, root, QuadClass and period, top speakers, pictures.

:mod:`tacitus.analysis.stats` and :mod:`tacitus.analysis.speakers` aggregate in the database and return
plain dicts; :mod:`tacitus.analysis.plot` draws them with matplotlib. What is counted (distinct events or
mentions) is defined in :mod:`tacitus.analysis.units`, the calendar in :mod:`tacitus.analysis.periods`;
docs/stats.md has the definitions for users.
"""

from __future__ import annotations

from tacitus.analysis.periods import Period
from tacitus.analysis.units import Filters, Unit

__all__ = ["Filters", "Period", "Unit"]
