"""An event told as repeated is a summary, not one act (Event.repeated, issue 11)."""

from __future__ import annotations

import pytest

from tacitus.pipeline import analyze


def _repeated(text: str, trigger: str) -> list[bool]:
    r = analyze(text, published="2019-10-10")
    found = [e.repeated for e in r.events if r.span_text(e.trigger_span) == trigger]
    assert found, [(r.span_text(e.trigger_span), e.code) for e in r.events]
    return found


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        (
            "Turkish President Recep Tayyip Erdogan has long threatened to send troops into Syria.",
            "threatened",
        ),
        ("Donald Trump has repeatedly criticized NAFTA, calling it the worst trade deal.", "criticized"),
        (
            "The United States has attacked Al-Shabaab leaders in Somalia at least twice in the past year.",
            "attacked",
        ),
        ("Apple CEO Tim Cook has met with Donald Trump several times.", "met"),
    ],
)
def test_a_summary_of_many_acts_is_repeated(text: str, trigger: str) -> None:
    assert all(_repeated(text, trigger))


@pytest.mark.parametrize(
    ("text", "trigger"),
    [
        ("Donald Trump met Kim Jong Un in Singapore on Tuesday.", "met"),
        ("Donald Trump has met Kim Jong Un in Singapore.", "met"),  # a perfect alone is one act
        ("Donald Trump met Kim Jong Un for the first time in years.", "met"),
        ("Israel attacked Gaza for the fifth straight day.", "attacked"),  # one day's act of a campaign
        # one act kept up is one act: the investigation other outlets report in a sentence
        ("The FBI had been investigating Paula Broadwell for months.", "investigating"),
        ("Turkey announced on Wednesday that its forces will attack Syria.", "attack"),
    ],
)
def test_one_act_is_not_repeated(text: str, trigger: str) -> None:
    assert not any(_repeated(text, trigger))
