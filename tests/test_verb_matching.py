"""How verb patterns match a dependency parse: multi-word verbs (particles), several content words,
prepositional phrases, words before the verb, blockers, named sets and explicit source/target slots (the
constructs of the PETRARCH-2 dictionary, tools/build_verb_patterns.py), on sentences of our own."""

from __future__ import annotations

import pytest

from tacitus.components.events import parse_patterns, read_patterns
from tacitus.components.events.verbs import apply_pattern
from tacitus.errors import InvalidRuleFile
from tacitus.pipeline import load_nlp


def _code(rows: list[dict], sets: dict | None = None) -> list:
    by_verb: dict[str, list] = {}
    for pattern in parse_patterns(rows, "test.json", sets=sets):
        for verb in pattern.verbs:
            by_verb.setdefault(verb, []).append(pattern)

    def run(text: str) -> list[tuple[str | None, str, str | None, str]]:
        """The events the patterns code on the sentence, as the tagger applies them: per verb, the
        first pattern that yields (a blocker yields nothing and ends the search)."""
        doc = load_nlp()(text)
        out = []
        for tok in doc:
            for pattern in by_verb.get(tok.lemma_.lower(), []) if tok.pos_ == "VERB" else []:
                produced = apply_pattern(doc, tok, pattern)
                if produced is not None:
                    out += [(e["source_code"], e["code"], e["target_code"], e["rule"]) for e in produced]
                    break
        return out

    return run


def test_multi_word_verb_needs_its_particle_and_comes_before_the_bare_verb() -> None:
    run = _code(
        [
            {"id": "kick.v1", "code": "180", "verbs": ["kick"], "target": ["object_actor"]},
            {"id": "kick_out.v1", "code": "174", "verbs": ["kick"], "particle": "out",
             "target": ["object_actor"]},
            {"id": "kick_off.v1", "verbs": ["kick"], "particle": "off", "blocker": True},
        ]
    )  # fmt: skip
    assert run("Kenya kicked out the Somali ambassador.") == [("KEN", "174", "SOMGOV", "kick_out.v1")]
    assert run("Kenya kicked the Somali ambassador out.") == [("KEN", "174", "SOMGOV", "kick_out.v1")]
    assert run("Kenyan police kicked the Somali ambassador.") == [("KENCOP", "180", "SOMGOV", "kick.v1")]
    # the null-coded "kick off" blocks the bare verb
    assert run("Kenyan police kicked off the talks with the Somali ambassador.") == []


def test_pure_particle_is_no_preposition_with_an_object() -> None:
    run = _code([{"id": "take_over.v1", "code": "171", "verbs": ["take"], "particle": "over"}])
    assert run("Somali militants took over the Kenyan embassy.")
    assert run("It has taken the Somali government over a year to answer Kenya.") == []


def test_prepositional_multi_word_verb_and_its_target() -> None:
    run = _code(
        [
            {
                "id": "side_with.v1",
                "code": "050",
                "verbs": ["side"],
                "particle": "with",
                "target": ["prep:with"],
            }
        ]
    )
    assert run("China sided with Russia.") == [("CHN", "050", "RUS", "side_with.v1")]
    assert run("China sided against Russia.") == []


def test_several_content_words_are_all_needed() -> None:
    run = _code(
        [{"id": "aid.humanitarian.v1", "code": "073", "verbs": ["send"], "objects": ["aid"],
          "objects_all": [["humanitarian"]], "target": ["prep:to"]}]
    )  # fmt: skip
    assert run("Germany sent humanitarian aid to Syria.") == [("DEU", "073", "SYR", "aid.humanitarian.v1")]
    assert run("Germany sent aid to Syria.") == []
    # a word of another clause is not the verb's
    assert run("Germany sent aid to Syria, which needs humanitarian workers.") == []


def test_prepositional_phrase_with_its_word_and_where_it_hangs() -> None:
    run = _code(
        [{"id": "mobilize.border.v1", "code": "154", "verbs": ["rush"], "objects": ["troop"],
          "preps": {"to": ["border"]}, "target": ["prep:against"], "target_optional": True}]
    )  # fmt: skip
    assert run("Iran rushed troops to the northern border.")
    assert run("Iran rushed troops to Baghdad.") == []
    run = _code([{"id": "against.v1", "code": "113", "verbs": ["support"], "preps": {"against": []}}])
    # PETRARCH-2 looks for the verb's phrases and those inside its nouns, not further down
    assert run("Saudi Arabia supported the rights of Palestinians in their struggle against Israel.") == []


def test_words_before_the_verb() -> None:
    run = _code(
        [{"id": "air.v1", "code": "195", "verbs": ["strike", "pound"], "before": [["jet", "aircraft"]],
          "target": ["object_actor"]}]
    )  # fmt: skip
    assert run("Israeli jets struck Gaza.") == [("ISR", "195", "PSEGZA", "air.v1")]
    # the subject of the governing verb is before the verb too
    assert run("Israeli jets continued to pound Gaza.") == [("ISR", "195", "PSEGZA", "air.v1")]
    assert run("Israel struck Gaza.") == []


def test_blocker_ends_the_search_for_the_verb() -> None:
    run = _code(
        [
            {"id": "fight.corruption.v1", "verbs": ["fight"], "objects": ["corruption"], "blocker": True},
            {"id": "fight.v1", "code": "190", "verbs": ["fight"], "target": ["object_actor"]},
        ]
    )
    assert run("Nigerian troops fought corruption in Boko Haram camps.") == []
    assert run("Nigerian troops fought Boko Haram militants.") == [("NGAMIL", "190", "NGAREB", "fight.v1")]


def test_target_only_code_makes_the_subject_the_target() -> None:
    # PETRARCH-2's "- * LOAN  [:071]  # RECEIVE": the subject receives, the lender acts
    run = _code(
        [{"id": "receive.loan.v1", "code": "071", "verbs": ["receive"], "objects": ["loan"],
          "source": ["object_actor", "prep:from", "prep:by"], "target": ["subject"]}]
    )  # fmt: skip
    assert run("Kenya received a loan from the World Bank.") == [
        ("IGOUNODEVWBK", "071", "KEN", "receive.loan.v1")
    ]
    assert run("Kenya received a loan.") == []  # nobody gave it: no source, no event


def test_marked_target_slot() -> None:
    # "- * TROOP (AGAINST +)": the target is in the "against" phrase, not the object
    run = _code(
        [{"id": "send.against.v1", "code": "150", "verbs": ["send"], "objects": ["troop"],
          "target": ["prep:against"]}]
    )  # fmt: skip
    assert run("Turkey sent troops against the Kurdish rebels.") == [
        ("TUR", "150", "TURREB", "send.against.v1")
    ]
    assert run("Turkey sent troops to the Kurdish rebels.") == []


def test_named_sets_and_phrases() -> None:
    run = _code(
        [
            {
                "id": "deploy.v1",
                "code": "150",
                "verbs": ["deploy"],
                "objects": ["&military"],
                "target": ["prep:to"],
            }
        ],
        sets={"&military": ["troop", "armed force"]},
    )
    assert run("Egypt deployed its armed forces to Libya.") == [("EGY", "150", "LBY", "deploy.v1")]
    assert run("Egypt deployed its forces to Libya.") == []  # "force" alone is not the phrase


def test_multi_word_verbs_come_first_whatever_the_file_order() -> None:
    patterns = parse_patterns(
        [
            {"id": "a.v1", "code": "180", "verbs": ["kick"]},
            {"id": "b.v1", "code": "174", "verbs": ["kick", "boot"], "particle": "out"},
            {"id": "c.v1", "code": "190", "verbs": ["kick"], "objects": ["door"]},
        ],
        "x.yaml",
    )
    assert [p.id for p in patterns] == ["b.v1", "a.v1", "c.v1"]


def test_new_keys_are_validated_with_file_and_line() -> None:
    text = (
        '{"about": "x", "sets": {"&a": ["b"]},\n "patterns": [\n'
        '{"id": "ok.v1", "code": "190", "verbs": ["fight"], "objects": ["&a"], "preps": {"with": []}},\n'
        '{"id": "bad.v1", "verbs": ["fight"], "blocker": true, "code": "190"}\n]}\n'
    )
    with pytest.raises(InvalidRuleFile, match=r"gen\.json:4 \(bad\.v1\).*blocker codes no event"):
        read_patterns(text, "gen.json")
    with pytest.raises(InvalidRuleFile, match="does not define"):
        parse_patterns([{"id": "x.v1", "code": "190", "verbs": ["fight"], "objects": ["&nope"]}], "x.yaml")
    with pytest.raises(InvalidRuleFile, match="particle must be a string"):
        parse_patterns([{"id": "x.v1", "code": "190", "verbs": ["fight"], "particle": ["out"]}], "x.yaml")
    with pytest.raises(InvalidRuleFile, match="preps must map"):
        parse_patterns([{"id": "x.v1", "code": "190", "verbs": ["fight"], "preps": ["with"]}], "x.yaml")
    with pytest.raises(InvalidRuleFile, match="unknown source slot"):
        parse_patterns([{"id": "x.v1", "code": "190", "verbs": ["fight"], "source": ["agent"]}], "x.yaml")
    with pytest.raises(InvalidRuleFile, match="missing required key 'code'"):
        parse_patterns([{"id": "x.v1", "verbs": ["fight"]}], "x.yaml")
    # the old keys keep their meaning: a plain pattern has the subject as source and the object as target
    (p,) = parse_patterns([{"id": "x.v1", "code": "190", "verbs": ["Fight"]}], "x.yaml")
    assert (p.source, p.target, p.particle, p.blocker, p.verbs) == (
        ("subject",),
        ("object",),
        (),
        False,
        {"fight"},
    )


def test_an_object_word_may_describe_a_name_and_a_counted_object_is_the_object() -> None:
    run = _code(
        [
            {"id": "extradite.v1", "code": "063", "verbs": ["extradite"], "objects": ["militant"],
             "target": ["prep:to"]},
            {"id": "abduct.v1", "code": "181", "verbs": ["abduct"], "target": ["object_actor"]},
        ]
    )  # fmt: skip
    # the object's head is the name; the pattern's word is its descriptor, as PETRARCH reads the phrase
    assert run("Kenya extradited suspected militant Omar Farah to Somalia.") == [
        ("KEN", "063", "SOM", "extradite.v1")
    ]
    assert run("Kenya extradited the businessman Omar Farah to Somalia.") == []
    # "up to 16 advisers": the parser makes "up" a particle and "to" a preposition; the advisers are
    # still what was abducted
    assert run("Somali rebels abducted up to 16 Kenyan doctors.") == [
        ("SOMREB", "181", "KENHLH", "abduct.v1")
    ]
