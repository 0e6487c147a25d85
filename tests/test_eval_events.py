"""The PLOVER GSR event scorer: tolerant loading, gold parsing, matching, and a floor on a real slice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tacitus.errors import UnreadableInput
from tacitus.evaluate import EvalResult
from tacitus.evaluate.events import (
    GSR_TO_TACITUS,
    GoldActor,
    GoldSentence,
    PredictedEvent,
    country_of,
    evaluate_plover_gsr,
    gold_triples,
    load_plover_gsr,
    parse_gsr_records,
    read_json_tolerant,
    score_events,
    triple_scores,
)
from tacitus.ontology import cameo_codes

GSR = (
    Path(__file__).resolve().parents[2] / "shared" / "eval" / "events" / "plover-gsr" / "PLOVER_GSR_CAMEO.txt"
)


def _record(rid: str, event: str, text: str = "Some sentence.", **extra) -> dict:
    return {"id": rid, "date": "2000-01-01", "event": event, "text": text, **extra}


def test_strict_json_parses_without_notes() -> None:
    data, notes = read_json_tolerant('[{"a": 1}]')
    assert data == [{"a": 1}]
    assert notes == []


def test_comments_and_trailing_commas_are_dropped_and_reported() -> None:
    text = """[
    // a line comment
    {"url": "http://x.org/a", "text": "lists end with ,] here", "n": [1, 2,],},
    /* a block
       comment */
    ]"""
    data, notes = read_json_tolerant(text)
    # "//" and ",]" inside strings are content, not syntax
    assert data == [{"url": "http://x.org/a", "text": "lists end with ,] here", "n": [1, 2]}]
    assert "parsed tolerantly: dropped 2 comments" in notes
    assert "parsed tolerantly: dropped 3 trailing commas" in notes


def test_unparseable_json_raises_a_typed_error() -> None:
    with pytest.raises(UnreadableInput, match="not valid JSON"):
        read_json_tolerant('[{"a": }]')


def test_alias_table_points_at_plover_values_tacitus_knows() -> None:
    known = {entry.plover for entry in cameo_codes().values() if entry.plover}
    assert set(GSR_TO_TACITUS.values()) <= known
    # the renamings the PLOVER README's CAMEO-root table implies
    assert GSR_TO_TACITUS["DEMAND"] == "REQUEST"
    assert GSR_TO_TACITUS["DISAPPROVE"] == "ACCUSE"
    assert GSR_TO_TACITUS["FIGHT"] == "ASSAULT"


def test_parse_skips_headers_and_normalises_gold() -> None:
    records = [
        {"id": "DOC-1", "event": "DOCUMENT", "eventText": "header"},
        _record(
            "R-1",
            "FIGHT",
            source=[{"actorText": "Vietnamese-led forces", "code": "VTN", "sector": "MIL"}],
            target=[{"actorText": "Bosnian Serbs", "code": "BIH", "sector": "CVLsrp"}],
        ),
        _record("R-2", "DEMAND", source=[{"actorText": "Japan", "code": "JAP", "sector": "***"}], target=""),
        _record(
            "R-2",
            "AGREE",
            source=[
                {"actorText": "Hungarian", "code": "HUN", "sector": "GOV"},
                {"actorText": "Libyans", "code": "LBY", "sector": "CIV"},
            ],
            textInfo={"markup": "(SRC/TAR: Hungarian) and (SRC/TAR: Libyans) (EVT: agreed)"},
        ),
        _record("R-3", "INVESTIGATE", source=[{"actorText": "Italy", "code": "ITL"}], target="diplomatic"),
        _record("R-4", "CRIME"),
        _record("R-5", "AGREE", text="   "),
        "not an object",
    ]
    gold, notes = parse_gsr_records(records)
    assert [g.key for g in gold] == ["R-1", "R-2", "R-2#2", "R-3", "R-4"]
    assert [g.plover for g in gold] == ["ASSAULT", "REQUEST", "AGREE", "ACCUSE", None]
    assert gold[0].sources == (GoldActor("VNM", "MIL"),)
    assert gold[0].targets == (GoldActor("BIH", "CVL"),)  # lower-case ethnic suffix dropped
    assert gold[1].sources == (GoldActor("JPN", None),)  # "***" means no sector
    assert gold[1].targets == ()
    # compound SRC/TAR actors act on one another: the sources are the targets too
    assert gold[2].targets == gold[2].sources == (GoldActor("HUN", "GOV"), GoldActor("LBY", "CVL"))
    assert gold[3].sources == (GoldActor("ITA", None),)
    assert gold[3].targets == ()
    joined = "\n".join(notes)
    assert "skipped 1 record(s): DOCUMENT header" in joined
    assert "skipped 1 record(s): no text" in joined
    assert "skipped 1 record(s): not a JSON object" in joined
    assert "id R-2 appears more than once" in joined
    assert "R-3: target 'diplomatic'" in joined
    assert "without a Tacitus PLOVER value (never matched): CRIME" in joined


def test_load_reads_a_file_with_trailing_commas(tmp_path: Path) -> None:
    path = tmp_path / "gsr.txt"
    body = json.dumps([_record("R-1", "AGREE", source=[{"actorText": "France", "code": "FRA"}])])
    path.write_text(body[:-1] + ",]", encoding="utf-8")
    gold, notes = load_plover_gsr(path)
    assert [g.key for g in gold] == ["R-1"]
    assert "parsed tolerantly: dropped 1 trailing commas" in notes


def test_load_rejects_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableInput, match="cannot read"):
        load_plover_gsr(tmp_path / "absent.txt")


def _gold(key: str, category: str, plover: str | None, sources=(), targets=()) -> GoldSentence:
    return GoldSentence(key, key, "x", None, category, plover, tuple(sources), tuple(targets))


def test_scoring_by_hand() -> None:
    gold = [
        _gold("s1", "AGREE", "AGREE", [GoldActor("RUS", "GOV")], [GoldActor("ARM", "GOV")]),
        _gold("s2", "DEMAND", "REQUEST", [GoldActor("USA")], [GoldActor("IRQ")]),
        _gold("s3", "FIGHT", "ASSAULT", [GoldActor("SDN", "REB")]),
        _gold("s4", "CRIME", None),
    ]
    predicted = {
        "s1": [PredictedEvent("AGREE", "RUSGOV", "ARMMIL"), PredictedEvent("CONSULT", "RUSGOV", "ARMGOV")],
        "s2": [PredictedEvent(None, "USA", None)],  # an appeal (CAMEO 02): no PLOVER category
        "s3": [PredictedEvent("ASSAULT", "SDNMIL", None), PredictedEvent("ASSAULT", None, None)],
    }
    metrics, counts, notes = score_events(gold, predicted)
    # 3 of 4 sentences have events; s1 and s3 have one in the gold category; 3 of 5 events match
    assert metrics["detection_recall"] == pytest.approx(3 / 4)
    assert metrics["category_accuracy"] == pytest.approx(2 / 4)
    assert metrics["event_precision"] == pytest.approx(3 / 5)
    # pairs: predicted {s1 AGREE, s1 CONSULT, s3 ASSAULT}, gold 4, 2 shared
    assert metrics["pair_precision"] == pytest.approx(2 / 3)
    assert metrics["pair_recall"] == pytest.approx(2 / 4)
    assert metrics["pair_f1"] == pytest.approx(4 / 7)
    # s1: RUSGOV has RUS and GOV; s3: SDNMIL has SDN but not REB
    assert metrics["source_country_accuracy"] == 1.0
    assert metrics["source_sector_accuracy"] == 0.5
    # only s1 has gold targets; the AGREE event's target ARMMIL has the country but not GOV (the CONSULT
    # event's ARMGOV does not count: it is not in the gold category)
    assert metrics["target_country_accuracy"] == 1.0
    assert metrics["target_sector_accuracy"] == 0.0
    assert counts["sentences"] == 4
    assert counts["predicted_events"] == 5
    assert counts["predicted_events_without_plover"] == 1
    assert counts["matched_events"] == 3
    assert counts["target_country_scored"] == 1
    assert counts["gold.FIGHT"] == counts["matched.FIGHT"] == 1
    assert counts["gold.CRIME"] == 1 and counts["matched.CRIME"] == 0
    assert any("AGREE -> CONSULT x1" in note for note in notes)


def test_scoring_with_nothing_matched_leaves_actor_metrics_out() -> None:
    gold = [_gold("s1", "AGREE", "AGREE", [GoldActor("RUS")])]
    metrics, counts, notes = score_events(gold, {})
    assert metrics["pair_f1"] == 0.0
    assert metrics["detection_recall"] == 0.0
    assert "source_country_accuracy" not in metrics
    assert "event_precision" not in metrics  # no predicted events to divide by
    assert any(note.startswith("not computed") and "event_precision" in note for note in notes)
    assert counts["matched_sentences"] == 0


@pytest.mark.skipif(not GSR.exists(), reason=f"{GSR} is missing (tests read ../shared beside the checkout)")
def test_floor_on_every_8th_gsr_record() -> None:
    # The file is grouped by category; every 8th record gives 41 sentences over 18 categories, so the
    # floor guards more than one pattern family.
    result = evaluate_plover_gsr(GSR, stride=8)
    assert isinstance(result, EvalResult)
    assert result.n_docs == result.counts["sentences"] == 41
    assert result.counts["failed_sentences"] == 0
    # measured 0.310 (9 of 41 matched, 17 predicted pairs); 0.291 with the PETRARCH-2 patterns before the
    # actor work of issue 6 (8 of 41 sentences matched, 14 predicted pairs, 8 right);
    # 0.250 with the hand-written patterns alone; 0.686 after issue 7's nouns, appeals, intents, mood and
    # the whole PETRARCH-2 dictionary (2026-12-02; full set 0.655); 0.712 after the second session on
    # issue 7 (bare verb lines, implicit targets, source-less violence; full set 0.681)
    assert result.metrics["pair_f1"] >= 0.66
    # measured 0.366 (15 of 41 sentences with an event) once actors were found after "to"/"at" and in
    # possessives; 0.293 before that, 0.195 before the PETRARCH-2 patterns; 0.683 after issue 7's work;
    # 0.756 after its second session (full set 0.665)
    assert result.metrics["detection_recall"] >= 0.70


# ----------------------------------------------------------------------------------------------------
# (source country, target country, type) triples


def test_country_of_reads_the_first_block_and_ignores_no_country_codes() -> None:
    assert country_of("RUSGOV") == "RUS"
    assert country_of("igouno") == "IGO"
    assert country_of("---GOV") is None
    assert country_of(None) is None and country_of("") is None


def test_gold_triples_pair_sources_with_targets() -> None:
    hun, rou, usa = GoldActor("HUN", "GOV"), GoldActor("ROU", "GOV"), GoldActor("USA")
    # two sources, one target: two triples; sectors play no part
    sentence = _gold("s1", "DEMAND", "REQUEST", [hun, rou], [usa])
    assert gold_triples(sentence) == {("HUN", "USA", "REQUEST"), ("ROU", "USA", "REQUEST")}
    # compound SRC/TAR actors act on one another, never on themselves
    mutual = _gold("s2", "AGREE", "AGREE", [hun, rou], [hun, rou])
    assert gold_triples(mutual) == {("HUN", "ROU", "AGREE"), ("ROU", "HUN", "AGREE")}
    # no gold target: None stands for it
    assert gold_triples(_gold("s3", "PROTEST", "PROTEST", [usa])) == {("USA", None, "PROTEST")}


def test_triple_precision_recall_and_f1_by_hand() -> None:
    gold = {
        "s1": {("RUS", "UKR", "ASSAULT")},
        "s2": {("USA", "IRN", "THREATEN"), ("GBR", "IRN", "THREATEN")},
        "s3": {("FRA", None, "PROTEST")},
    }
    predicted = {
        "s1": [("RUS", "UKR", "ASSAULT"), ("RUS", "UKR", "ASSAULT"), ("UKR", "RUS", "ASSAULT")],  # a repeat
        "s2": [("USA", "IRN", "THREATEN")],
        "s4": [("DEU", None, "CONSULT")],  # an item without gold counts against precision
    }
    metrics, counts = triple_scores(gold, predicted)
    # predicted (distinct per item) 2 + 1 + 1 = 4, gold 1 + 2 + 1 = 4, matched 1 + 1 = 2
    assert counts == {"gold": 4, "predicted": 4, "matched": 2}
    assert metrics["precision"] == pytest.approx(2 / 4)
    assert metrics["recall"] == pytest.approx(2 / 4)
    assert metrics["f1"] == pytest.approx(0.5)
    nothing, _ = triple_scores(gold, {})
    assert nothing == {"recall": 0.0, "f1": 0.0}  # no precision without predictions


def test_score_events_reports_plover_triples() -> None:
    gold = [
        _gold("s1", "AGREE", "AGREE", [GoldActor("RUS", "GOV")], [GoldActor("ARM", "GOV")]),
        _gold("s2", "FIGHT", "ASSAULT", [GoldActor("SDN", "REB")], [GoldActor("SSD")]),
    ]
    predicted = {
        # RUS->ARM AGREE matches (sectors ignored); the CONSULT triple does not
        "s1": [PredictedEvent("AGREE", "RUSGOV", "ARMMIL"), PredictedEvent("CONSULT", "RUSGOV", "ARMGOV")],
        # right type and source, but no target: (SDN, None, ASSAULT) is not (SDN, SSD, ASSAULT); the
        # event without a PLOVER value (CAMEO 01/02) gives no triple
        "s2": [PredictedEvent("ASSAULT", "SDNREB", None), PredictedEvent(None, "SDN", "SSD")],
    }
    metrics, counts, _ = score_events(gold, predicted)
    assert (counts["gold_triples"], counts["predicted_triples"], counts["matched_triples"]) == (2, 3, 1)
    assert metrics["triple_precision"] == pytest.approx(1 / 3)
    assert metrics["triple_recall"] == pytest.approx(1 / 2)
    assert metrics["triple_f1"] == pytest.approx(2 / 5)


@pytest.mark.skipif(not GSR.exists(), reason=f"{GSR} is missing (tests read ../shared beside the checkout)")
def test_triple_floor_on_every_8th_gsr_record() -> None:
    result = evaluate_plover_gsr(GSR, stride=8)
    assert result.counts["gold_triples"] == 47
    # measured on 2026-12-02 while the event coder was being rebuilt: 0.152 then 0.203 (5 of 19, then 7 of
    # 22 predicted triples right, 47 gold); full set 0.295 (75 of 153 predicted right, 356 gold); at the
    # end of the session 0.333 (precision 0.419), full set 0.404; after the second session on issue 7
    # (targets found in the act threatened or refused, in the place of a protest) 0.439 (precision
    # 0.514), full set 0.474
    assert result.metrics["triple_f1"] >= 0.40
    assert result.metrics["triple_precision"] >= 0.46


EVAL = GSR.parents[2]


@pytest.mark.skipif(
    not (EVAL / "events" / "petrarch-unit-tests").is_dir()
    or not (EVAL / "events" / "cameo-codebook").is_dir(),
    reason="../shared/eval/events is not complete",
)
def test_eval_events_gives_gsr_codebook_and_petrarch_suite_with_the_limit_on_each() -> None:
    from tacitus.jobs import evaluate

    gsr, codebook, suite = evaluate("events", EVAL, limit=3)
    assert [r.name for r in (gsr, codebook, suite)] == [
        "events",
        "events (CAMEO codebook)",
        "events (PETRARCH validation)",
    ]
    assert gsr.n_docs == codebook.n_docs == 3
    assert suite.counts["records"] == 3
    assert {"triple_recall", "triple_f1"} <= set(gsr.metrics)
    assert "exact_accuracy" in codebook.metrics and "record_accuracy" in suite.metrics
