"""The mood of an event: asserted, intended, hypothetical, demanded, reported or negated by its context."""

from __future__ import annotations

from spacy.tokens import Token

INTENT_HEADS = {"willing", "ready", "prepared", "plan", "intend", "want", "hope", "offer", "agree", "vow",
                "promise", "seek", "aim", "eager", "expect", "decide", "propose"}  # fmt: skip
DEMAND_HEADS = {"urge", "demand", "call", "ask", "press", "push", "appeal", "insist", "tell", "order"}
# verbs whose object, not subject, performs the infinitive: "X invited Y to visit Z" -> Y visits
OBJECT_CONTROL = DEMAND_HEADS | {
    "invite",
    "encourage",
    "persuade",
    "allow",
    "help",
    "force",
    "pressure",
    "permit",
    "direct",
    "instruct",
    "authorize",
    "authorise",
}
NEGATING_CUES = {"deny", "reject", "dismiss", "refute"}
# "declined to attack", "refused to meet": the act was not done
REFUSING_HEADS = {"decline", "refuse", "fail", "avoid", "hesitate", "reluctant", "unwilling"}
# What an intended act is coded as (CAMEO's 03x "express intent to", 13x "threaten"), by the act's root: an
# intention to meet is 036, to give aid 033, to attack a threat of force (138). A pattern's own
# intent_code comes first.
INTENT_CODES = {
    "03": None, "04": "036", "05": "032", "06": "031", "07": "033", "08": "035", "09": "030",
    "10": None, "11": None, "12": None, "13": None, "14": "133", "15": "138", "16": "131", "17": "137",
    "18": "138", "19": "138", "20": "138",
}  # fmt: skip
REPORTING_CUES = {"say", "tell", "report", "claim", "announce", "state", "add", "confirm", "allege"}
HYPOTHETICAL_AUX = {"would", "could", "may", "might", "should", "can"}


# What refusing a cooperative act is coded as (CAMEO 12x), by the act's root: refusing to meet is 125,
# to give aid 122, to yield 124. Refusing a hostile act ("declined to attack") is no event: it stays the
# act, negated.
REFUSAL_CODES = {"03": "120", "04": "125", "05": "120", "06": "121", "07": "122", "08": "124", "09": "120"}
REFUSING_VERBS = {"refuse", "decline", "reject", "balk", "rule"}
# Modals by which a reported clause states what someone must do: "Chirac reminded Iraq that it must
# cooperate" is a demand by Chirac on Iraq (CAMEO 10x), not Iraq cooperating.
OBLIGATION_AUX = {"must", "should", "ought"}


def refusal_code(code: str) -> str | None:
    """The CAMEO 12x code of refusing ``code``; None for acts whose refusal is no event."""
    return REFUSAL_CODES.get(code[:2])


def refused_by(tok: Token) -> Token | None:
    """The verb that refuses ``tok``'s act ("refused to meet", "declined to accept"), if one does."""
    head = tok
    for _ in range(3):
        if head.dep_ in ("xcomp", "conj") and head.head.i != head.i:
            head = head.head
            if head.lemma_.lower() in REFUSING_VERBS:
                return head
        else:
            break
    return None


def intended_code(code: str) -> str | None:
    """The CAMEO code of an intention to do ``code`` (see INTENT_CODES); None keeps the code as it is."""
    return INTENT_CODES.get(code[:2])


def mood_of(tok: Token) -> tuple[str, bool]:
    """The mood of the event a verb expresses and whether it is negated: asserted, intended, hypothetical,
    demanded, reported or negated-by-context, read from its negation, auxiliaries and governing verbs."""
    negated = any(c.dep_ == "neg" for c in tok.children)
    aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    verb = tok
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        # "wouldn't be shaking hands or meet": a coordinated verb shares its first verb's negation/modal
        verb = verb.head
        negated = negated or any(c.dep_ == "neg" for c in verb.children)
        aux |= {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    head = tok
    mood = "asserted"
    for _ in range(4):
        if head.dep_ in ("xcomp", "ccomp", "acl", "advcl", "relcl") or head.dep_ == "pobj":
            parent = head.head
            lemma = parent.lemma_.lower()
            if lemma in NEGATING_CUES:
                return "negated-by-context", negated
            if lemma in REFUSING_HEADS and head.dep_ in ("xcomp", "acomp"):
                return "negated-by-context", True
            if lemma in DEMAND_HEADS and head.dep_ == "xcomp":
                return "demanded", negated
            infinitive = head.dep_ == "xcomp" or (
                head.dep_ == "advcl" and any(c.lower_ == "to" for c in head.children)
            )  # the parser makes some of these infinitives adverbial clauses
            if lemma in OBJECT_CONTROL and infinitive:
                return "hypothetical", negated  # invited, encouraged: not yet done
            if lemma in INTENT_HEADS:
                mood = "intended"
                if any(c.dep_ == "neg" for c in parent.children):
                    negated = True
                break
            if lemma in REPORTING_CUES and head.dep_ == "ccomp":
                mood = "reported"
                break
            if head.dep_ in ("xcomp", "advcl"):
                # "will travel to Brasilia to meet": the purpose shares the future of its main verb
                aux |= {c.lower_ for c in parent.children if c.dep_ in ("aux", "auxpass")}
                negated = negated or (head.dep_ == "xcomp" and any(c.dep_ == "neg" for c in parent.children))
            head = parent
            continue
        break
    if mood in ("asserted", "reported"):
        conditional = any(c.dep_ == "mark" and c.lower_ == "if" for c in tok.children)
        # "Hungary said it will support the resolution", "Iraq said it would allow inspectors": a stated
        # intention (reported "would" is the future of the past), whoever reports it
        if aux & {"will", "shall", "'ll"} or (mood == "reported" and "would" in aux and not conditional):
            mood = "intended"
        elif aux & HYPOTHETICAL_AUX or conditional:
            mood = "hypothetical"
    return mood, negated
