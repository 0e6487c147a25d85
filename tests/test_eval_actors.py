"""The actor-code scorer on the PLOVER GSR: country and full-code recall and precision, and a floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from tacitus.evaluate.actors import evaluate_gsr_actors, score_actors
from tacitus.evaluate.events import GoldActor, GoldSentence

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
GSR = EVAL / "events" / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"


def _gold(key: str, sources: tuple[GoldActor, ...], targets: tuple[GoldActor, ...] = ()) -> GoldSentence:
    return GoldSentence(key, key, "text", None, "AGREE", "AGREE", sources, targets)


def test_recall_and_precision_by_country_and_full_code():
    gold = [
        _gold("s1", (GoldActor("HUN", "GOV"), GoldActor("ROU", "GOV"))),
        _gold("s2", (GoldActor("IGO"),), (GoldActor("JPN"), GoldActor("IGO"))),
    ]
    predicted = {
        "s1": ["HUNGOV", "ROU", "ROUREF", None],  # ROU found as a country, but not its government
        "s2": ["IGOUNO", "FRA", "---REB"],  # a no-country code claims nothing; FRA is wrong
    }
    metrics, counts, notes = score_actors(gold, predicted)
    # gold actors: HUNGOV, ROUGOV, IGO, JPN (the repeated IGO counts once)
    assert counts["gold_actors"] == 4
    assert metrics["country_recall"] == 3 / 4  # HUN, ROU, IGO
    assert metrics["code_recall"] == 2 / 4  # HUNGOV and IGO (no sector asked)
    # predicted codes: HUNGOV, ROU, ROUREF, IGOUNO, FRA
    assert counts["predicted_codes"] == 5
    assert metrics["country_precision"] == 4 / 5
    assert metrics["code_precision"] == 2 / 5  # HUNGOV, IGOUNO
    assert "ROUGOV x1" in notes[0] and "JPN (country) x1" in notes[0]


def test_no_prediction_means_zero_recall_and_no_precision():
    metrics, counts, _ = score_actors([_gold("s1", (GoldActor("USA", "GOV"),))], {})
    assert metrics == {"country_recall": 0.0, "code_recall": 0.0}
    assert counts["predicted_codes"] == 0


@pytest.mark.skipif(not GSR.exists(), reason=f"{GSR} is missing (tests read ../shared beside the checkout)")
def test_floor_on_every_8th_gsr_record() -> None:
    result = evaluate_gsr_actors(GSR, stride=8)
    assert result.n_docs == 41 and result.counts["gold_actors"] == 86
    assert result.counts["failed_sentences"] == 0
    # measured 0.884 country / 0.709 full code recall (0.756 / 0.523 before the work on issue 6)
    assert result.metrics["country_recall"] >= 0.86
    assert result.metrics["code_recall"] >= 0.68
    # measured 0.881 / 0.642 (0.882 / 0.632 before)
    assert result.metrics["country_precision"] >= 0.85
    assert result.metrics["code_precision"] >= 0.61


@pytest.mark.skipif(
    not (EVAL / "quotes" / "polnear").is_dir(), reason="../shared/eval/quotes/polnear is not present"
)
def test_eval_actors_also_scores_polnear_speakers() -> None:
    from tacitus.jobs import evaluate

    gsr, speakers = evaluate("actors", EVAL, limit=4)
    assert gsr.name == "actors" and speakers.name == "actors (speakers)"
    assert set(speakers.metrics) == {"speaker_resolved", "speaker_coded", "speaker_coded_people"}
    counts = speakers.counts
    # the shares are counts over the matched attributions with a gold source, and nest as they should
    assert speakers.metrics["speaker_coded"] == counts["speaker_coded"] / counts["source_pairs"]
    assert counts["speaker_party_coded"] <= counts["speaker_coded"] <= counts["speaker_resolved"]
    assert counts["speaker_party_pairs"] <= counts["source_pairs"]
