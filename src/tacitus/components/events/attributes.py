"""What an event carries besides its code: the day of its clause, its place, its sentence's span."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from tacitus.components.events.aspect import repeated
from tacitus.components.whenwhere import clause_place, clause_time, on_site, told_ahead


def clause_subject(verb: Token) -> tuple[Token | None, bool]:
    """(subject, passive?) of a verb, or of the verb it is coordinated with or depends on ("agreed and
    signed", "ready to launch"), up to three steps up; (None, False) if none."""
    node = verb
    adjunct = False
    for _ in range(3):
        subject, passive = own_subject(node)
        if subject is not None:
            # "was arrested after attacking an officer": the one arrested did the attacking
            return subject, passive and not adjunct
        if node.dep_ in ("conj", "xcomp", "advcl") and node.head.i != node.i:
            node = node.head
        elif adjunct_gerund(node):
            # "joined other Republicans in calling on Akin to quit", "responded by calling for calm",
            # "after meeting Putin, Trump said": the gerund's doer is the subject of the verb it hangs on
            node, adjunct = node.head.head, True
        else:
            break
    return None, False


def own_subject(verb: Token) -> tuple[Token | None, bool]:
    """(subject, passive?) among the verb's own dependents; (None, False) if it has none."""
    for child in verb.children:
        if child.dep_ == "nsubj":
            return child, False
        if child.dep_ == "nsubjpass":
            return child, True
    return None, False


_ADJUNCT_PREPS = frozenset({"in", "by", "after", "before", "while", "upon", "without"})


def adjunct_gerund(verb: Token) -> bool:
    """Whether ``verb`` is a gerund in a phrase of :data:`_ADJUNCT_PREPS` on another verb ("in calling",
    "by calling", "after meeting"), whose subject is then the gerund's."""
    prep = verb.head
    return (
        verb.dep_ == "pcomp"
        and verb.tag_ == "VBG"
        and prep.dep_ == "prep"
        and prep.lower_ in _ADJUNCT_PREPS
        and prep.head.pos_ in ("VERB", "AUX")
        and prep.head.i != prep.i
    )


def trimmed(sent: Span) -> tuple[int, int]:
    """Character span of a sentence without the whitespace (paragraph breaks) the tokenizer kept."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return start, sent.start_char + len(text.rstrip())


def code_fields(code: str) -> dict:
    """An event's ``code``, ``root``, ``quad_class``, ``goldstein`` and ``plover`` from the CAMEO table. A
    code the table lacks comes from a user's pattern file (``load_patterns`` warned of it: PETRARCH's
    validation suite has 903, 1010): the event keeps it, its first two digits as root, and nulls."""
    from tacitus.errors import UnknownCode
    from tacitus.ontology import cameo

    try:
        info = cameo(code)
    except UnknownCode:
        return {"code": code, "root": code[:2], "quad_class": None, "goldstein": None, "plover": None}
    return {
        "code": info.code,
        "root": info.root,
        "quad_class": info.quad_class,
        "goldstein": info.goldstein,
        "plover": info.plover,
    }


def make_event(
    doc: Doc,
    trigger: Token,
    source: str | None,
    target: str | None,
    code: str,
    *,
    mood: str,
    negated: bool,
    rule: str,
    trigger_end: Token | None = None,
) -> dict:
    """One event dict as ``Doc._.events`` holds it: codes from the CAMEO table, the actors' codes, the day
    and place of the trigger's clause, the sentence and trigger spans (``trigger_end`` widens the trigger
    to a phrase: "air strikes"), and the rule that produced it. The id is given by the tagger."""
    actors = {a["id"]: a for a in doc._.actors or []}
    date, period, date_span = clause_time(doc, trigger)
    if mood == "asserted" and date_span is not None and told_ahead(doc, trigger, date):
        mood = "intended"  # "meets Kim on June 12" told in May: a plan, coded as "will meet" is
    last = trigger_end if trigger_end is not None and trigger_end.i >= trigger.i else trigger
    return {
        "id": None,
        "source": source,
        "target": target,
        "source_code": actors[source]["code"] if source in actors else None,
        "target_code": actors[target]["code"] if target in actors else None,
        **code_fields(code),
        "negated": negated,
        "mood": mood,
        "date": date,
        "date_span": date_span,
        "place": clause_place(
            doc,
            trigger,
            on_site=on_site(code),
            country=actors[source]["country"] if source in actors else None,
        ),
        "sentence_span": trimmed(trigger.sent),
        "trigger_span": (trigger.idx, last.idx + len(last.text)),
        "rule": rule,
        "period": period,
        "repeated": repeated(trigger),
    }
