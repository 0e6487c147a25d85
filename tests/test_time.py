"""Time expressions normalised against the publication date (tacitus_time_v1)."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.components.time import normalise

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
    assert normalise("Friday", FRIDAY, future=True)[0] == "2017-12-22"


def test_durations():
    assert normalise("one year", FRIDAY)[:2] == ("P1Y", "DURATION")
    assert normalise("three weeks", FRIDAY)[:2] == ("P3W", "DURATION")
    value, kind, vague = normalise("decades", FRIDAY)
    assert (value, kind, vague) == ("PXDE", "DURATION", True)


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
