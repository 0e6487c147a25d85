"""Scorers for the evaluation data sets in ``../shared/eval`` (callers pass the data directory).

Each scorer returns an :class:`EvalResult`: a name, the data set and split it ran on, how many documents it
scored, float metrics, integer counts, and free-text notes (skipped files, annotator choice, run time).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class EvalResult:
    """The outcome of one scorer run: metrics (floats), counts (ints) and human-readable notes."""

    name: str
    dataset: str
    n_docs: int
    metrics: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def format_table(self) -> str:
        """Render the result as a plain-text table: a header line, metrics, counts, then notes.

        Metrics are printed with three decimals and counts as integers, each sorted by name so two runs can
        be diffed line by line.
        """
        lines = [f"{self.name} on {self.dataset} ({self.n_docs} docs)"]
        width = max((len(k) for k in [*self.metrics, *self.counts]), default=0)
        if self.metrics:
            lines.append("metrics:")
            lines.extend(f"  {k:<{width}}  {v:.3f}" for k, v in sorted(self.metrics.items()))
        if self.counts:
            lines.append("counts:")
            lines.extend(f"  {k:<{width}}  {v:d}" for k, v in sorted(self.counts.items()))
        if self.notes:
            lines.append("notes:")
            lines.extend(f"  - {n}" for n in self.notes)
        return "\n".join(lines)


__all__ = ["EvalResult"]
