"""The CAMEO codebook scorer: mojibake repair, tolerant row parsing, exact/base/root matching, a floor."""

from __future__ import annotations

from pathlib import Path

import pytest

from tacitus.errors import UnreadableInput
from tacitus.evaluate.codebook import (
    CodebookExample,
    code_matches,
    evaluate_codebook,
    load_codebook,
    parse_codebook_rows,
    repair_mojibake,
    score_codebook,
)

CODEBOOK = (
    Path(__file__).resolve().parents[2] / "shared" / "eval" / "events" / "cameo-codebook" / "cameo-codes.csv"
)


def test_mojibake_is_repaired_and_what_cannot_be_is_counted() -> None:
    # the bytes as stored: UTF-8 "’" and "£" once decoded as Mac Roman, then saved as Windows-1252
    stored = b"Moscow\x82\xc4\xf4s will; more than \xac\xa312m; Ankara\x82\xc4\xf4s C\xac? ankaya".decode(
        "latin-1"
    )
    text, repaired, left = repair_mojibake(stored)
    assert text == "Moscow’s will; more than £12m; Ankara’s C\xac? ankaya"
    assert (repaired, left) == (3, 1)  # the lone "\xac" is no UTF-8 and stays as read
    assert repair_mojibake("plain ASCII") == ("plain ASCII", 0, 0)


def _row(code: str, example: str, root: str | None = None) -> dict[str, str]:
    return {"code": code, "name": f"name {code}", "example": example, "root_code": root or code[:2]}


def test_rows_are_parsed_tolerantly_and_oddities_counted() -> None:
    rows = [
        _row("01", "NA"),
        _row("010", "U.S. military chief General Colin Powell said on Wednesday NATO would remain strong. "),
        _row(
            "0231",
            "Russia and China will ask banks for help. Note: Because of the compound source, two events.",
        ),
        _row("151", "NEED EXAMPLE. "),
        _row("0811", "The Latvian Constitutional Court cancelled restrictions on the use of the "),
        _row("X1", "A sentence."),
        _row("112", "Zimbabwe accused the US. It denied it.", root="12"),
        _row("112", "A second row for the same code."),
    ]
    examples, notes = parse_codebook_rows(rows)
    assert [e.key for e in examples] == ["010", "0231", "0811", "112", "112#2"]
    by_key = {e.key: e for e in examples}
    assert by_key["010"].flags == frozenset()  # "U.S." is an abbreviation, not a sentence end
    assert by_key["0231"].text == "Russia and China will ask banks for help."
    assert by_key["0231"].flags == {"note cut"}
    assert by_key["0811"].flags == {"cut off"}
    assert by_key["112"].flags == {"several sentences"} and by_key["112"].root == "11"
    joined = "\n".join(notes)
    assert "skipped 1 row(s): no example sentence (NA)" in joined
    assert "skipped 1 row(s): placeholder instead of an example ('NEED EXAMPLE.')" in joined
    assert "skipped 1 row(s): no 2-4 digit CAMEO code" in joined
    assert "1 example(s) had coding commentary from 'Note:' on" in joined
    assert "1 example(s) hold more than one sentence (kept)" in joined
    assert "1 example(s) stop mid-sentence in the source (kept)" in joined
    assert "codes with more than one row, scored as CODE#2, ...: 112" in joined
    assert "root_code column disagrees with the code (the code wins): 112 (root_code 12)" in joined


def test_load_reads_latin1_with_mojibake(tmp_path: Path) -> None:
    path = tmp_path / "codes.csv"
    path.write_bytes(
        b'"","code","name","example","root_code"\n'
        b'"1","051","Praise","A U.S. official praised Haiti\x82\xc4\xf4s efforts. ","05"\n'
        b'"2","052","Defend","NA","05"\n'
    )
    examples, notes = load_codebook(path)
    assert [e.text for e in examples] == ["A U.S. official praised Haiti’s efforts."]
    assert "typographic characters stored as Mac Roman mojibake: 1 repaired, 0 left as read" in notes


def test_load_rejects_a_file_that_is_not_the_codebook(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="latin-1")
    with pytest.raises(UnreadableInput, match="no code, example column"):
        load_codebook(path)
    with pytest.raises(UnreadableInput, match="cannot read"):
        load_codebook(tmp_path / "absent.csv")


@pytest.mark.parametrize(
    ("gold", "predicted", "expected"),
    [
        ("0131", {"0131"}, (True, True, True)),
        ("0131", {"0132"}, (False, True, True)),  # a sibling: same base code 013
        ("0131", {"013"}, (False, True, True)),  # the base code itself
        ("013", {"0131"}, (False, True, True)),  # a refinement of a 3-digit gold code
        ("013", {"014", None}, (False, False, True)),
        ("01", {"010"}, (False, False, True)),  # for a root code, base is exact
        ("01", {"01"}, (True, True, True)),
        ("190", {"18", "183"}, (False, False, False)),
        ("190", set(), (False, False, False)),
    ],
)
def test_exact_base_and_root_matches(gold: str, predicted: set, expected: tuple) -> None:
    assert code_matches(gold, predicted) == expected


def _example(key: str, code: str) -> CodebookExample:
    return CodebookExample(key=key, code=code, root=code[:2], name="", text="x")


def test_scoring_by_hand() -> None:
    examples = [_example("a", "0311"), _example("b", "036"), _example("c", "111"), _example("d", "190")]
    predicted = {
        "a": ["0311", "042"],  # exact
        "b": ["0361", None],  # base (a refinement) and root, not exact
        "c": ["120"],  # wrong root: 11 -> 12
        # "d": no event
    }
    metrics, counts, notes = score_codebook(examples, predicted)
    assert metrics["exact_accuracy"] == pytest.approx(1 / 4)
    assert metrics["base_accuracy"] == pytest.approx(2 / 4)
    assert metrics["root_accuracy"] == pytest.approx(2 / 4)
    assert metrics["coverage"] == pytest.approx(3 / 4)
    assert metrics["exact_given_any"] == pytest.approx(1 / 3)
    assert metrics["root_given_any"] == pytest.approx(2 / 3)
    assert counts["gold.03"] == counts["root.03"] == 2 and counts["exact.03"] == 1
    assert counts["gold.19"] == 1 and counts["root.19"] == 0
    assert "11 -> 12 x1" in notes[0]
    assert notes[1].startswith("lowest root accuracy (root: right/examples): 11 0/1, 19 0/1, 03 2/2")


def test_scoring_with_no_events_leaves_the_conditional_measures_out() -> None:
    metrics, counts, notes = score_codebook([_example("a", "0311")], {})
    assert metrics == {"exact_accuracy": 0.0, "base_accuracy": 0.0, "root_accuracy": 0.0, "coverage": 0.0}
    assert any(note.startswith("not computed") for note in notes)


@pytest.mark.skipif(not CODEBOOK.exists(), reason=f"{CODEBOOK} is missing (tests read ../shared)")
def test_floor_on_every_8th_codebook_example() -> None:
    # 276 scorable examples (35 NA, 1 placeholder); the file is in code order, so every 8th spans roots
    # 01-20 with 35 examples
    result = evaluate_codebook(CODEBOOK, stride=8)
    assert result.n_docs == result.counts["examples"] == 35
    assert result.counts["failed_examples"] == 0
    # measured on 2026-12-02 while the event coder was being rebuilt (two readings that day): root 0.314 /
    # 0.286 (11 / 10 of 35), exact 0.114 / 0.086 (4 / 3), base 0.143 / 0.114, coverage 0.400 / 0.429; the
    # full set (276) read root 0.341, base 0.185, exact 0.123, coverage 0.395. The goals are root
    # >= 0.80 and exact >= 0.60. At the end of the session: root 0.400, exact 0.171, coverage 0.571 (full
    # set root 0.507, exact 0.174, coverage 0.576). After the second session: root 0.514, exact 0.257,
    # coverage 0.657 (full set root 0.576, exact 0.210, coverage 0.641).
    assert result.metrics["root_accuracy"] >= 0.48
    assert result.metrics["exact_accuracy"] >= 0.22
    assert result.metrics["coverage"] >= 0.60
