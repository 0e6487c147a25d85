"""Actor coding scored on the PLOVER GSR: are the actors a human coder named among the sentence's actors?

Each GSR record names its source and target actors with a CAMEO country (or IGO/NGO/...) block and a sector
("HUN" + "GOV"). For every sentence, Tacitus's actors (``record.actors``, all of them, whatever event they
take part in) are compared with those gold actors:

- ``country_recall``: share of gold actors whose country block is the first block of some actor code;
- ``code_recall``: share of gold actors matched on country *and* sector (a gold actor without a sector
  needs the country only), the "full code" of the issue;
- ``country_precision`` / ``code_precision``: share of the sentence's distinct predicted codes that match a
  gold actor (no-country codes, "---REB", claim no country and are left out). The GSR codes only the event's participants, so an actor Tacitus rightly finds elsewhere in
  the sentence ("refugees in Hungary") counts against precision: read it as a lower bound.

This measures the actor layer alone, independent of whether an event was found. The notes list the gold
countries most often missed and sample sentences, which is where to look next.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from tacitus.evaluate import EvalResult
from tacitus.evaluate.events import GoldActor, GoldSentence, evaluate_on_gsr

_SAMPLES = 8


def _blocks(code: str) -> tuple[str, list[str]]:
    code = code.upper()
    return code[:3], [code[i : i + 3] for i in range(3, len(code), 3)]


def _matches(code: str, actor: GoldActor, with_sector: bool) -> bool:
    country, sectors = _blocks(code)
    if country != actor.country:
        return False
    return not with_sector or actor.sector is None or actor.sector in sectors


def score_actors(
    gold: Sequence[GoldSentence], predicted: Mapping[str, Sequence[str]]
) -> tuple[dict[str, float], dict[str, int], list[str]]:
    """Score predicted actor codes (keyed by gold sentence key) against the gold source and target actors.

    Returns ``(metrics, counts, notes)`` as defined in the module docstring. A gold actor listed both as
    source and target (compound actors) counts once.
    """
    c: Counter[str] = Counter(
        dict.fromkeys(
            ("gold_actors", "country_found", "code_found", "predicted_codes", "country_right", "code_right"),
            0,
        )
    )
    missed: Counter[str] = Counter()
    samples: list[str] = []
    for sentence in gold:
        actors = list(dict.fromkeys((*sentence.sources, *sentence.targets)))
        # a no-country code ("---REB") claims no country: it cannot match a gold actor, nor count against
        # precision
        codes = sorted(
            {code.upper() for code in predicted.get(sentence.key, ()) if code and code[:3] != "---"}
        )
        c["gold_actors"] += len(actors)
        c["predicted_codes"] += len(codes)
        for actor in actors:
            country = any(_matches(code, actor, False) for code in codes)
            full = any(_matches(code, actor, True) for code in codes)
            c["country_found"] += country
            c["code_found"] += full
            if not full:
                missed[actor.country + (actor.sector or "") + ("" if country else " (country)")] += 1
                if len(samples) < _SAMPLES:
                    samples.append(
                        f"{sentence.key}: gold {actor.country}{actor.sector or ''}, found {codes or 'none'}"
                    )
        for code in codes:
            c["country_right"] += any(_matches(code, a, False) for a in actors)
            c["code_right"] += any(_matches(code, a, True) for a in actors)
    metrics = {}
    if c["gold_actors"]:
        metrics["country_recall"] = c["country_found"] / c["gold_actors"]
        metrics["code_recall"] = c["code_found"] / c["gold_actors"]
    if c["predicted_codes"]:
        metrics["country_precision"] = c["country_right"] / c["predicted_codes"]
        metrics["code_precision"] = c["code_right"] / c["predicted_codes"]
    notes = []
    if missed:
        top = ", ".join(f"{code} x{n}" for code, n in missed.most_common(12))
        notes.append(f"gold actors most often missed (full code; '(country)' = country missed too): {top}")
        notes.append("examples: " + "; ".join(samples))
    return metrics, dict(sorted(c.items())), notes


def evaluate_gsr_actors(
    data_file: Path, limit: int | None = None, n_process: int = 1, stride: int = 1
) -> EvalResult:
    """Analyse every GSR sentence and score its actors (see the module docstring).

    ``limit``, ``stride`` and ``n_process`` work as in :func:`tacitus.evaluate.events.evaluate_plover_gsr`.
    """
    return evaluate_on_gsr(
        data_file,
        name="actors",
        dataset=f"plover-gsr actors ({Path(data_file).name})",
        predict=lambda record: [a.code for a in record.actors if a.code],
        score=score_actors,
        limit=limit,
        n_process=n_process,
        stride=stride,
        keep=lambda g: bool(g.sources or g.targets),
        nothing="no actors",
    )


SPEAKER_MEASURES = ("speaker_resolved", "speaker_coded", "speaker_coded_people")


def speaker_result(quotes: EvalResult) -> EvalResult:
    """The actor side of a PolNeAR quote evaluation: of the attributions Tacitus found, the share whose
    speaker is an actor of the record (``speaker_resolved``), one with a country-bearing code
    (``speaker_coded``), and the latter among gold sources that are people or organisations
    (``speaker_coded_people``, the issue's measure; see :mod:`tacitus.evaluate.polnear`)."""
    counts = {k: v for k, v in quotes.counts.items() if k.startswith("speaker_") or k == "source_pairs"}
    return EvalResult(
        name="actors (speakers)",
        dataset=quotes.dataset,
        n_docs=quotes.n_docs,
        metrics={k: quotes.metrics[k] for k in SPEAKER_MEASURES if k in quotes.metrics},
        counts=counts,
        notes=[n for n in quotes.notes if "failed" in n],
    )
