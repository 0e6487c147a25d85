"""PolNeAR quote scorer: BRAT parsing, annotator choice, matching, and an evaluation floor on real dev data."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tacitus.errors import NoInputs
from tacitus.evaluate import EvalResult
from tacitus.evaluate.polnear import (
    GoldAttribution,
    GoldDoc,
    choose_annotation,
    content_chars,
    evaluate_polnear,
    greedy_match,
    load_polnear,
    parse_ann,
    parse_spans,
    score_document,
)
from tacitus.model import Actor, Quote, Record

SHARED = Path(__file__).resolve().parents[2] / "shared"
POLNEAR = SHARED / "eval" / "quotes" / "polnear" / "data"

# Offsets below are counted by hand; the tests also check the slices so a miscount fails loudly.
#          0         1         2         3         4
#          0123456789012345678901234567890123456789012345
TEXT1 = 'He said "Go now," and left. "Stay," he added.'
#          0         1         2
#          0123456789012345678901234567
TEXT2 = '"We won," she said. "Again."'


def test_hand_counted_offsets_are_right():
    assert TEXT1[0:2] == "He" and TEXT1[3:7] == "said" and TEXT1[8:17] == '"Go now,"'
    assert TEXT1[28:35] == '"Stay,"' and TEXT1[36:38] == "he" and TEXT1[39:44] == "added"
    assert TEXT2[0:9] == '"We won,"' and TEXT2[10:13] == "she" and TEXT2[20:28] == '"Again."'


def test_parse_spans_keeps_discontinuous_fragments_in_file_order():
    assert parse_spans("12 20") == ((12, 20),)
    assert parse_spans("209 236;91 186") == ((209, 236), (91, 186))
    with pytest.raises(ValueError):
        parse_spans("20 12")
    with pytest.raises(ValueError):
        parse_spans("12")


def test_parse_ann_builds_attributions_and_counts_what_it_skips():
    ann = "\n".join(
        [
            "T1\tSource 0 2\tHe",
            "T2\tCue 3 7\tsaid",
            'T3\tContent 8 17\t"Go now,"',
            "T4\tAttribution 3 7\tsaid",
            "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
            # a second attribution whose content has an extra fragment through a numbered role
            "T5\tSource 36 38\the",
            "T6\tCue 39 44\tadded",
            'T7\tContent 28 35\t"Stay,"',
            "T8\tContent 18 26\tand left",
            "T9\tAttribution 39 44\tadded",
            "E2\tAttribution:T9 Cue:T6 Source:T5 Content:T7 Content2:T8",
            # no source: kept, with an empty source
            "T10\tCue 22 26\tleft",
            "T11\tContent 0 2\tHe",
            "T12\tAttribution-no-source 22 26\tleft",
            "E3\tAttribution-no-source:T12 Cue:T10 Content:T11",
            # no content: skipped
            "T13\tAttribution-no-source 3 7\tsaid",
            "E4\tAttribution-no-source:T13 ",
            # an entity whose stored text is not the text at its offsets: dropped, and its event with it
            "T14\tContent 8 17\tsomething else",
            "T15\tAttribution 3 7\tsaid",
            "E5\tAttribution:T15 Content:T14 Cue:T2",
            'T16\tDiscuss 28 35\t"Stay,"',
            "#1\tAnnotatorNotes T16\tnot sure",
        ]
    )
    parsed = parse_ann(ann, TEXT1)
    assert parsed.attributions == [
        GoldAttribution("E1", content=((8, 17),), cue=((3, 7),), source=((0, 2),)),
        GoldAttribution("E2", content=((28, 35), (18, 26)), cue=((39, 44),), source=((36, 38),)),
        GoldAttribution("E3", content=((0, 2),), cue=((22, 26),), source=()),
    ]
    assert parsed.skipped == Counter(
        {
            "attribution without content": 1,
            "entity text differs from text at its offsets": 1,
            "attribution with a role pointing at a missing entity": 1,
            "Discuss entity": 1,
            "annotator note": 1,
        }
    )


def test_parse_ann_reads_out_of_order_discontinuous_spans_and_multiline_entity_text():
    text = "Line one\nline two, she said."
    assert text[0:17] == "Line one\nline two" and text[19:22] == "she" and text[23:27] == "said"
    ann = (
        "T1\tContent 0 17\tLine one\nline two\n"  # BRAT writes the newline inside the entity text as is
        "T2\tSource 19 22\tshe\nT3\tCue 23 27\tsaid\nT4\tAttribution 23 27\tsaid\n"
        "E1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
    )
    assert parse_ann(ann, text).attributions == [GoldAttribution("E1", ((0, 17),), ((23, 27),), ((19, 22),))]

    ann2 = (
        'T1\tContent 20 28;0 9\t"Again." "We won,"\nT2\tSource 10 13\tshe\nT3\tCue 14 18\tsaid\n'
        "T4\tAttribution 14 18\tsaid\nE1\tAttribution:T4 Content:T1 Cue:T3 Source:T2\n"
    )
    parsed = parse_ann(ann2, TEXT2)
    assert parsed.attributions[0].content == ((20, 28), (0, 9))
    assert not parsed.skipped


def test_choose_annotation_takes_the_smallest_annotator_id_of_that_article_only():
    paths = [
        Path("a-b_ef2d.ann"),
        Path("a-b_4b22.ann"),
        Path("a-b_c_0000.ann"),  # article "a-b_c", whose name merely starts with "a-b_"
        Path("x_1111.ann"),
    ]
    assert choose_annotation(paths, "a-b") == ("4b22", Path("a-b_4b22.ann"))
    assert choose_annotation(paths, "a-b_c") == ("0000", Path("a-b_c_0000.ann"))
    assert choose_annotation(paths, "zzz") is None


def test_content_chars_ignore_quotes_punctuation_and_spaces():
    # '"Go now,"' covers G(9) o(10) n(12) o(13) w(14)
    assert content_chars(TEXT1, [(8, 17)]) == {9, 10, 12, 13, 14}
    # so a span trimmed of its quotes and comma is the same set: what "strict" compares
    assert content_chars(TEXT1, [(9, 15)]) == content_chars(TEXT1, [(8, 17)])
    # fragments are unioned: '"We won,"' + '"Again."'
    assert content_chars(TEXT2, [(20, 28), (0, 9)]) == {1, 2, 4, 5, 6, 21, 22, 23, 24, 25}


def test_strict_half_and_soft_matching():
    gold = [content_chars(TEXT1, [(8, 17)])]  # G o n o w: 5 characters
    trimmed = content_chars(TEXT1, [(9, 15)])  # "Go now": equal after trimming
    most = content_chars(TEXT1, [(9, 14)])  # "Go no": 4 of 5, Jaccard 0.8
    little = content_chars(TEXT1, [(9, 11)])  # "Go": 2 of 5, Jaccard 0.4
    elsewhere = content_chars(TEXT1, [(22, 26)])  # "left": no overlap
    assert greedy_match([trimmed], gold, "strict") == [(0, 0)]
    assert greedy_match([most], gold, "strict") == []
    assert greedy_match([most], gold, "half") == [(0, 0)]
    assert greedy_match([little], gold, "half") == []
    assert greedy_match([little], gold, "soft") == [(0, 0)]
    assert greedy_match([elsewhere], gold, "soft") == []
    with pytest.raises(ValueError):
        greedy_match([most], gold, "loose")


def test_one_to_one_assignment_prefers_the_larger_overlap():
    g0, g1 = frozenset(range(0, 10)), frozenset(range(10, 20))
    # one prediction spanning two gold attributions matches only one of them; the tie (Jaccard 0.5 each)
    # goes to the first gold, so recall is 1 of 2
    assert greedy_match([frozenset(range(0, 20))], [g0, g1], "soft") == [(0, 0)]
    # two predictions on one gold: the better one (Jaccard 0.9 against 0.5) takes it, the other is unmatched
    assert greedy_match([frozenset(range(0, 5)), frozenset(range(0, 9))], [g0], "soft") == [(1, 0)]
    # a wide prediction and a narrow one: the narrow one's better pair (0.8) goes first, then the wide one
    # falls back to the gold still free
    preds = [frozenset(range(0, 20)), frozenset(range(10, 18))]
    assert greedy_match(preds, [g0, g1], "soft") == [(0, 0), (1, 1)]


def _gold_doc(text: str, attributions: list[GoldAttribution]) -> GoldDoc:
    return GoldDoc("doc", text, None, "4b22", attributions, Path("doc.txt"))


def test_score_document_cue_and_source_through_speaker_span_or_actor_mentions():
    gold = _gold_doc(
        TEXT2,
        [GoldAttribution("E1", content=((20, 28), (0, 9)), cue=((14, 18),), source=((10, 13),))],
    )
    # the speaker span points at a wrong word, but the speaker actor's mentions include "she"
    record = Record(
        id="doc",
        text=TEXT2,
        actors=[Actor(id="a1", name="Jo", mentions=[(10, 13)])],
        quotes=[
            Quote("q1", speaker="a1", speaker_span=(20, 27), cue_span=(14, 18), content_span=(1, 7)),
            Quote("q2", speaker=None, speaker_span=(10, 13), cue_span=None, content_span=(21, 26)),
        ],
    )
    score = score_document(record, gold)
    # both predictions overlap the one gold content: "We won" has Jaccard 5/10, "Again" 5/10; the tie goes
    # to the first prediction and the second is a false positive that still overlaps gold
    assert score.pairs["soft"] == [(0, 0)]
    assert score.pairs["half"] == [(0, 0)]
    assert score.pairs["strict"] == []  # neither fragment alone is the whole discontinuous content
    assert score.n_pred == 2 and score.n_gold == 1 and score.n_pred_overlapping == 2
    assert score.cue_ok == {(0, 0): True}
    assert score.source_span_ok == {(0, 0): False}
    assert score.source_ok == {(0, 0): True}

    # a failed article predicts nothing
    assert score_document(None, gold).pairs == {"strict": [], "half": [], "soft": []}


def test_gold_without_source_is_left_out_of_source_accuracy():
    gold = _gold_doc(TEXT1, [GoldAttribution("E1", content=((8, 17),), cue=(), source=())])
    record = Record(id="doc", text=TEXT1, quotes=[Quote("q1", None, None, None, (8, 17))])
    score = score_document(record, gold)
    assert score.pairs["strict"] == [(0, 0)]
    assert score.cue_ok == {} and score.source_ok == {}


def _write_polnear(root: Path) -> None:
    (root / "dev" / "text").mkdir(parents=True)
    (root / "dev" / "attributions").mkdir(parents=True)
    # a CR LF line end: BRAT counts the "\r", so the text must reach the parser untranslated
    text = 'Title\r\nHe said "Go."\r\n'
    assert text[7:9] == "He" and text[10:14] == "said" and text[15:20] == '"Go."'
    (root / "dev" / "text" / "doc-a.txt").write_bytes(text.encode("utf-8"))
    full = (
        'T1\tSource 7 9\tHe\nT2\tCue 10 14\tsaid\nT3\tContent 15 20\t"Go."\n'
        "T4\tAttribution 10 14\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    )
    (root / "dev" / "attributions" / "doc-a_ef2d.ann").write_text(full, encoding="utf-8")
    (root / "dev" / "attributions" / "doc-a_4b22.ann").write_text("", encoding="utf-8")
    (root / "metadata.tsv").write_text(
        "compartment\tfilename\tpublication_date\ndev\tdoc-a\t2016-09-12\n", encoding="utf-8"
    )


def test_load_polnear_keeps_crlf_text_picks_one_annotator_and_reads_the_date(tmp_path: Path):
    _write_polnear(tmp_path)
    docs, skipped, notes = load_polnear(tmp_path, "dev")
    assert [(d.id, d.annotator, d.published) for d in docs] == [("doc-a", "4b22", "2016-09-12")]
    assert docs[0].text == 'Title\r\nHe said "Go."\r\n'
    assert docs[0].attributions == []  # annotator 4b22 sorts first and annotated nothing
    assert skipped["article with BOM or CR (kept as is)"] == 1
    assert any("1 of 1 articles had several" in n for n in notes)

    (tmp_path / "dev" / "attributions" / "doc-a_4b22.ann").unlink()
    docs, skipped, _ = load_polnear(tmp_path, "dev")
    assert docs[0].annotator == "ef2d"
    assert docs[0].attributions == [GoldAttribution("E1", ((15, 20),), ((10, 14),), ((7, 9),))]
    assert not skipped.get("entity text differs from text at its offsets")


def test_missing_split_is_a_typed_error(tmp_path: Path):
    with pytest.raises(NoInputs, match="PolNeAR"):
        load_polnear(tmp_path, "dev")


@pytest.fixture(scope="module")
def dev_slice() -> EvalResult:
    if not POLNEAR.is_dir():
        pytest.skip(f"{POLNEAR} is missing (the evaluation reads ../shared beside the checkout)")
    return evaluate_polnear(POLNEAR, "dev", limit=10)


def test_dev_slice_parses_cleanly(dev_slice: EvalResult):
    assert dev_slice.n_docs == 10
    assert dev_slice.counts["failed_docs"] == 0
    # every gold entity's text equals the text at its offsets: the text Tacitus sees is the text annotated
    assert not any("differs" in k or "past end" in k for k in dev_slice.counts)
    assert dev_slice.counts["gold"] == 224


def test_dev_slice_quote_floor(dev_slice: EvalResult):
    # Evaluation floor on the first 10 dev articles (sorted by name). Measured when this floor was set
    # (after belief cues, "..., police said" clauses and ''-quotes): content_f1_soft 0.632, source_accuracy
    # 0.843; first version: 0.578 and 0.860. Recall stays the open front (polls, findings, intentions).
    assert dev_slice.metrics["content_f1_soft"] >= 0.65  # 0.694 with speech acts (0.632 before)
    assert dev_slice.metrics["source_accuracy"] >= 0.80
    # issue 6: speakers that resolve to an actor with a country-bearing code. Measured on this slice 0.583
    # after US titles (Sen., Gov.) and place context; 0.713 (0.859 among people and organisations) once
    # unknown people take the article's country and pronouns look past long quotations (all of dev: 0.747
    # and 0.867; the issue asks 0.90 of people and organisations)
    assert dev_slice.metrics["speaker_coded"] >= 0.68
    assert dev_slice.metrics["speaker_coded_people"] >= 0.83
    assert dev_slice.metrics["speaker_resolved"] >= dev_slice.metrics["speaker_coded"]
    # issue 8: PolNeAR's exact spans (content, source, cue) and whole relations. Measured on this slice
    # after the span conventions, quotes in parts, parentheticals and colon lines: content exact F1 0.491
    # (precision 0.728), source exact 0.545, cue exact 0.544, relation exact 0.444; before issue 8 the
    # full dev set read content exact F1 0.294. Speech acts with an object as content ("criticized the
    # platform", "called for an inquiry", "asked about the loan") then traded strict precision for recall:
    # on this slice content exact F1 0.507 (precision 0.662), source 0.622, cue 0.590, relation 0.468.
    assert dev_slice.metrics["content_f1_strict"] >= 0.48
    assert dev_slice.metrics["content_p_strict"] >= 0.64
    assert dev_slice.metrics["source_f1_exact"] >= 0.58
    assert dev_slice.metrics["cue_f1_exact"] >= 0.55
    assert dev_slice.metrics["relation_f1_exact"] >= 0.43
