"""Time expressions normalised against the publication date (tacitus_time_v1)."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.components.time import normalise
from tacitus.pipeline import analyze

FRIDAY = dt.date(2017, 12, 15)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Thursday", "2017-12-14"),  # the day before a Friday
        ("on Friday", "2017-12-15"),  # the day of publication itself
        ("last Friday", "2017-12-08"),
        ("Monday", "2017-12-11"),
        ("next Monday", "2017-12-18"),
        ("yesterday", "2017-12-14"),
        ("today", "2017-12-15"),
        ("tomorrow", "2017-12-16"),
        ("November 10, 2017", "2017-11-10"),
        ("10 November 2017", "2017-11-10"),
        ("Dec. 3", "2017-12-03"),
        ("Jan. 3", "2018-01-03"),  # nearest to a December publication date
        ("December 2016", "2016-12"),
        ("2014", "2014"),
        ("last week", "2017-W49"),
        ("last month", "2017-11"),
        ("next year", "2018"),
        ("two days ago", "2017-12-13"),
    ],
)
def test_dates_against_publication(text: str, value: str):
    got, kind, _ = normalise(text, FRIDAY)
    assert (got, kind) == (value, "DATE")


def test_future_tense_reads_weekday_forward():
    assert normalise("Monday", FRIDAY, future=True)[0] == "2017-12-18"
    # the day of publication itself, as TimeBank's and MEANTIME's annotators read "will ... on Friday"
    assert normalise("Friday", FRIDAY, future=True)[0] == "2017-12-15"
    assert normalise("next Friday", FRIDAY)[0] == "2017-12-22"


def test_durations():
    assert normalise("one year", FRIDAY)[:2] == ("P1Y", "DURATION")
    assert normalise("three weeks", FRIDAY)[:2] == ("P3W", "DURATION")
    # TIMEX3 writes decades in years: "a decade" P10Y, "decades" PXY (TempEval-3's "decades-long")
    value, kind, vague = normalise("decades", FRIDAY)
    assert (value, kind, vague) == ("PXY", "DURATION", True)
    assert normalise("a decade", FRIDAY)[:2] == ("P10Y", "DURATION")


def test_relative_without_publication_date_is_unknown():
    value, _, vague = normalise("Thursday", None)
    assert value is None and vague
    # absolute dates need no anchor
    assert normalise("November 10, 2017", None)[0] == "2017-11-10"


def test_impossible_date_is_unknown_not_an_error():
    assert normalise("February 30, 2017", FRIDAY)[0] is None


def test_component_fills_doc_times():
    from tacitus.pipeline import analyze

    r = analyze(
        "The talks were held on Thursday in Geneva. A deal is expected next week.", published="2017-12-15"
    )
    values = {r.span_text(t.span): t.value for t in r.times}
    assert values["Thursday"] == "2017-12-14"
    assert values["next week"] == "2017-W51"


@pytest.mark.parametrize(
    ("text", "published", "value", "kind"),
    [
        # durations: clock units, hyphenated, vague, decades in years (TIMEX3 guidelines)
        ("five hours", FRIDAY, "PT5H", "DURATION"),
        ("16-hour", FRIDAY, "PT16H", "DURATION"),
        ("a couple of years", FRIDAY, "P2Y", "DURATION"),
        ("several days", FRIDAY, "PXD", "DURATION"),
        ("the past decade", FRIDAY, "P10Y", "DURATION"),
        ("twenty four hours", FRIDAY, "PT24H", "DURATION"),
        ("recent days", FRIDAY, "PXD", "DURATION"),
        # references
        ("now", FRIDAY, "PRESENT_REF", "DATE"),
        ("recently", FRIDAY, "PAST_REF", "DATE"),
        ("the future", FRIDAY, "FUTURE_REF", "DATE"),
        # parts of day and clock times
        ("this morning", FRIDAY, "2017-12-15TMO", "TIME"),
        ("Thursday night", FRIDAY, "2017-12-14TNI", "TIME"),
        ("10:35 a.m.", FRIDAY, "2017-12-15T10:35", "TIME"),
        ("18:00 UTC", FRIDAY, "2017-12-15T18:00Z", "TIME"),
        # seasons, quarters, decades, centuries
        ("last fall", dt.date(1999, 4, 10), "1998-FA", "DATE"),
        ("last fall", FRIDAY, "2017-FA", "DATE"),
        ("the third quarter", FRIDAY, "2017-Q3", "DATE"),
        ("the 1990s", FRIDAY, "199", "DATE"),
        ("the 20th century", FRIDAY, "19", "DATE"),
        # relative to publication
        ("50 years ago", dt.date(1999, 2, 16), "1949", "DATE"),
        ("two months ago", dt.date(2000, 1, 28), "1999-11", "DATE"),
        ("earlier this month", FRIDAY, "2017-12", "DATE"),
        ("early December", dt.date(2000, 1, 7), "1999-12", "DATE"),
        ("last October", dt.date(1999, 2, 6), "1998-10", "DATE"),
        ("March 01 , 2008", None, "2008-03-01", "DATE"),  # tokenised text, as MEANTIME has it
        # sets
        ("daily", FRIDAY, "P1D", "SET"),
        ("every Monday", FRIDAY, "XXXX-WXX-1", "SET"),
        ("twice a year", FRIDAY, "P1Y", "SET"),
    ],
)
def test_timex3_values(text: str, published: dt.date | None, value: str, kind: str):
    assert normalise(text, published)[:2] == (value, kind)


def test_a_month_named_without_a_year_is_the_last_one_unless_the_clause_is_future():
    spring = dt.date(2017, 4, 10)
    assert normalise("September", spring)[0] == "2016-09"  # reported: the September before
    assert normalise("September", spring, future=True)[0] == "2017-09"


def test_a_range_is_two_expressions_and_now_is_found():
    from tacitus.pipeline import analyze

    r = analyze("Prices rose between 1994 and 1997, and they are falling now.", published="2017-12-15")
    values = {r.span_text(t.span): t.value for t in r.times}
    assert values.get("1994") == "1994" and values.get("1997") == "1997"
    assert values.get("now") == "PRESENT_REF"


def test_the_weekend_is_a_date_and_a_far_reading_gives_way_to_the_nearest():
    monday = dt.date(1990, 8, 13)
    assert normalise("the weekend", monday)[:2] == ("1990-W32-WE", "DATE")
    assert normalise("a weekend", monday)[:2] == ("P2D", "DURATION")
    # a past verb hung on an upcoming day ("said ... Dec. 10" in November): the nearest Dec. 10
    assert normalise("Dec. 10", dt.date(1989, 11, 2), future=False)[0] == "1989-12-10"


def test_ages_and_bare_numbers_are_not_times():
    from tacitus.pipeline import analyze

    r = analyze("The 6-year-old boy and his father, 44, were found on Monday.", published="2017-12-15")
    assert [r.span_text(t.span) for t in r.times] == ["Monday"]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("nineteen ninety-six", "1996", "DATE"),  # transcripts write years in words
        ("the year two thousand", "2000", "DATE"),
        ("this year's third quarter", "2017-Q3", "DATE"),  # not "this quarter"
        ("the 1988 second quarter", "1988-Q2", "DATE"),
        ("the first quarter of last year", "2016-Q1", "DATE"),
        ("the final quarter of 2009", "2009-Q4", "DATE"),
        ("last quarter", "2017-Q3", "DATE"),  # "last" is a step here, not an ordinal
        ("the year ended March 31", "P1Y", "DURATION"),  # the period named by its end
        ("the first nine months of 1997", "P9M", "DURATION"),
        ("at least 72 hours", "PT72H", "DURATION"),  # "at least" goes before "at" is taken off
    ],
)
def test_quarters_spelled_years_and_periods(text: str, value: str, kind: str) -> None:
    assert normalise(text, FRIDAY)[:2] == (value, kind)


def _times(text: str, published: str) -> dict[str, str]:
    r = analyze(text, published=published)
    return {r.span_text(t.span): t.value for t in r.times}


def test_expressions_that_point_back_at_another_time():
    # a quarterly report: "the quarter" is the one named before, "a year earlier" that quarter a year back
    times = _times(
        "Profit rose 5% in the third quarter. Sales in the quarter fell, compared with a year earlier.",
        "1989-10-27",
    )
    assert times["the third quarter"] == "1989-Q3"
    assert times["the quarter"] == "1989-Q3" and times["a year earlier"] == "1988-Q3"
    # "the quarter" with no quarter named before: the one before publication's, the one reported on
    assert _times("Sales in the quarter fell 3%.", "1989-10-27")["the quarter"] == "1989-Q3"
    # "the day" and "that night" are the day named before, else the day of publication
    times = _times(
        "The vote was held on Friday. Shares fell 2% on the day, and protests began that night.", "2009-04-06"
    )
    assert times["Friday"] == "2009-04-03" and times["the day"] == "2009-04-03"
    assert times["that night"] == "2009-04-03TNI"
    assert _times("Shares fell 3% on the day.", "2009-04-06")["the day"] == "2009-04-06"
    # "that year", "the following year" count from the last year named
    times = _times(
        "The war began in 1991. Later that year the city fell, and peace came the following year.",
        "2000-01-01",
    )
    assert times["Later that year"] == "1991"
    assert times["the following year"] == "1992"


def test_a_day_and_its_part_of_day_are_one_expression():
    times = _times(
        "Police raided the house on Saturday night and the vote was held at noon Thursday.", "1991-02-20"
    )
    assert times["Saturday night"] == "1991-02-16TNI" and times["noon Thursday"] == "1991-02-14T12:00"


def test_an_infinitive_done_when_its_verb_is_shares_its_past() -> None:
    # "to" + verb looks ahead ("plans to visit on Sunday"), but not under "appeared", "managed", "failed"
    assert _times("Trump appeared to throw ZTE a lifeline with his tweet Sunday.", "2018-05-14") == {
        "Sunday": "2018-05-13"
    }
    assert _times("Rescuers managed to reach the village on Friday.", "2018-05-14") == {
        "Friday": "2018-05-11"
    }
    assert _times("Trump plans to visit Kabul on Sunday.", "2018-05-14") == {"Sunday": "2018-05-20"}
