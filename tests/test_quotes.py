"""Quotes: direct, indirect and mixed attributions with resolved speakers (tacitus_quotes_v1)."""

from __future__ import annotations

import pytest

from tacitus.components.quotes import find_quotations, load_cues
from tacitus.errors import InvalidRuleFile
from tacitus.pipeline import analyze


def _quotes(text: str):
    r = analyze(text, published="2023-05-02")
    out = []
    for q in r.quotes:
        speaker = r.actor(q.speaker)
        out.append(
            (
                speaker.name if speaker else None,
                r.span_text(q.speaker_span),
                q.kind,
                r.span_text(q.content_span),
            )
        )
    return r, out


def test_direct_quote_after_the_content_with_pronoun_speaker():
    r, qs = _quotes(
        "Foreign Minister Anna Keller of Germany arrived in Rome on Monday.\n\n"
        "“We will not accept this,” she said."
    )
    assert ("Anna Keller", "she", "direct", "We will not accept this") in qs


def test_direct_quote_introduced_by_colon():
    r, qs = _quotes(
        'Prime Minister Olav Brekke of Norway spoke to reporters. He said: "The border stays open."'
    )
    assert ("Olav Brekke", "He", "direct", "The border stays open.") in qs


def test_indirect_and_mixed():
    r, qs = _quotes(
        "Chilean Foreign Minister Marcela Reyes said Chile was ready to hold talks. "
        "Reyes said the delays were “a temporary problem.”"
    )
    kinds = {content: kind for _, _, kind, content in qs}
    assert kinds["Chile was ready to hold talks"] == "indirect"
    mixed = [c for c in kinds if c.startswith("the delays were")]
    assert mixed and kinds[mixed[0]] == "mixed"
    assert all(name == "Marcela Reyes" for name, *_ in qs)


def test_according_to():
    r, qs = _quotes("Five soldiers were killed in the attack, according to the Nigerian army.")
    assert len(qs) == 1
    _, speaker_text, kind, content = qs[0]
    assert "Nigerian army" in speaker_text
    assert content == "Five soldiers were killed in the attack"
    assert r.span_text(r.quotes[0].cue_span) == "according to"


def test_scare_quotes_are_not_quotations():
    assert find_quotations("Russia is ‘not ready’ and the ‘deal’ is off.") == []
    assert find_quotations("He called it ‘a very bad idea indeed’ today.") != []


def test_quotation_stops_at_paragraph_break():
    text = "“An unclosed quotation\n\nA new paragraph with “a closed one” here."
    spans = find_quotations(text)
    assert [text[s:e] for s, e in spans] == ["a closed one"]


def test_cue_table_is_data_and_checked(monkeypatch):
    cues = load_cues()
    assert cues["say"] == "speech" and cues["tweet"] == "writing"
    from importlib import resources

    real = resources.files

    class Fake:
        def joinpath(self, *parts):
            return self

        def read_text(self, encoding="utf-8"):
            return "lemma\tkind\nsay\tshouting\n"

    monkeypatch.setattr(resources, "files", lambda pkg: Fake() if pkg == "tacitus.components" else real(pkg))
    load_cues.cache_clear()
    try:
        with pytest.raises(InvalidRuleFile, match=r"cue_verbs.tsv:2"):
            load_cues()
    finally:
        load_cues.cache_clear()


def test_reporting_clause_after_the_content():
    r, qs = _quotes("The officer was not wearing a recording device, Kenyan police said.")
    assert [(kind, content) for _, _, kind, content in qs] == [
        ("indirect", "The officer was not wearing a recording device")
    ]
    assert "police" in qs[0][1]


def test_two_apostrophes_as_quotation_marks():
    assert [
        text
        for text in ["''This isn't tax reform,'' said Douglas Holtz-Eakin."]
        for _ in find_quotations(text)
    ]
    text = "''This isn't tax reform,'' said Douglas Holtz-Eakin."
    assert [text[s:e] for s, e in find_quotations(text)] == ["This isn't tax reform,"]
    r, qs = _quotes(text)
    assert ("Douglas Holtz-Eakin", "Douglas Holtz-Eakin", "direct", "This isn't tax reform") in qs


def test_transcript_and_signed_quotations():
    r, qs = _quotes(
        "PENCE: Well, look, we will win this election in November.\n\nKAINE: We will see about that."
    )
    assert [(speaker, content) for _, speaker, _, content in qs] == [
        ("PENCE", "Well, look, we will win this election in November."),
        ("KAINE", "We will see about that."),
    ]
    r, qs = _quotes("“I have never voted before and I am voting this year.” ― Sonya Herridge")
    assert [(speaker, kind) for _, speaker, kind, _ in qs] == [("Sonya Herridge", "direct")]


def test_a_dateline_is_not_a_speaker():
    r, qs = _quotes("WASHINGTON: Lawmakers returned to the capital on Monday after the recess.")
    assert qs == []


def test_beliefs_need_a_clause():
    r, qs = _quotes("Senator Tim Kaine believes the deal is good for Virginia. Kaine believes.")
    assert [(name, kind, content) for name, _, kind, content in qs] == [
        ("Tim Kaine", "indirect", "the deal is good for Virginia")
    ]


def test_relative_pronoun_speaker_resolves_to_its_antecedent():
    r = analyze(
        "Kenyan officials, who said the levy would stay, met the unions on Monday.", published="2024-03-12"
    )
    assert len(r.quotes) == 1
    q = r.quotes[0]
    # the source as PolNeAR marks it: the antecedent's phrase, not the relative pronoun
    assert r.span_text(q.speaker_span) == "Kenyan officials"
    assert r.actor(q.speaker).name == "Kenyan officials" and r.actor(q.speaker).code == "KENGOV"
    assert r.span_text(q.content_span) == "the levy would stay"


def test_he_said_skips_a_name_quoted_inside_the_speech():
    # the nearest man before "he" is named inside the quotation: he is talked about, not speaking
    r = analyze(
        "Former Attorney General Michael Mukasey said the scandal was only the latest issue. “Over the years, "
        "Hillary Clinton has done a lot of things to show why she should not be president,” he said.",
        published="2016-07-01",
    )
    (quote,) = [q for q in r.quotes if r.span_text(q.speaker_span) == "he"]
    assert r.speaker_name(quote) == "Michael Mukasey"


def test_a_pronoun_inside_a_quotation_may_still_refer_to_a_quoted_name():
    from tacitus.components.actors import resolve_pronoun
    from tacitus.pipeline import load_nlp

    doc = load_nlp()(
        "Senator Tom Smith spoke on Monday. “Governor Bill Jones lied to us, and he knows it,” Smith said."
    )
    he = next(t for t in doc if t.lower_ == "he")
    jones = next(a for a in doc._.actors if a["name"] == "Bill Jones")
    assert resolve_pronoun(doc, he) == jones["id"]
