"""The mood of an event: asserted, intended, hypothetical, demanded, reported or negated by its context."""

from __future__ import annotations

from spacy.tokens import Token

from tacitus.components.events.figurative import words as figurative_words

# Heads that put an act on a schedule: "the visit is scheduled to include", "the vote is set for Tuesday",
# "talks are due to begin", "the summit is planned for June" (lemmas; "due" is an adjective)
SCHEDULE_HEADS = frozenset({"schedule", "set", "slate", "due", "plan"})
# (a schedule is an intent too: "is scheduled to meet", "was due to meet", "is poised to sign")
INTENT_HEADS = {"willing", "ready", "prepared", "intend", "want", "hope", "offer", "agree", "vow", "promise",
                "seek", "aim", "eager", "expect", "decide", "propose", "poise"} | SCHEDULE_HEADS  # fmt: skip
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
# A clause marked by these, or inside one, states a condition or an open question, not an act: "if Iran
# attacks", "unless Tehran stops", "asked whether Russia had met"
CONDITIONAL_MARKS = {"if", "unless", "whether", "lest"}
# "Had Iran attacked, ...", "Should talks fail, ...": a condition by inversion, with no "if"
CONDITIONAL_INVERSION_AUX = {"had", "should", "were"}
# Words that open a direct question ("What else did Flynn discuss?", "Who attacked the embassy?")
QUESTION_WORDS = {"what", "who", "whom", "whose", "which", "when", "where", "why", "how"}
# An infinitive after these verbs of motion is their purpose ("went to meet", "came to see"); after other
# verbs it is the act itself ("began to shell", "managed to meet")
MOTION_HEADS = {"go", "come", "travel", "fly", "head", "leave", "return", "rush", "arrive", "move", "drive"}
# Rising or standing to speak does what it rises for: "senators rose one by one to voice concerns", "stood to
# applaud" (the floor of a chamber: the infinitive is the act, not a purpose ahead)
RISE_HEADS = {"rise", "stand"}
# "in order to meet", "so as to avoid"
PURPOSE_PHRASES = {("in", "order"), ("so", "as")}
# Predicates of "it is ... (for X) to do": the act weighed, not done ("it is premature for Democrats to push
# for impeachment"). Not "wrong" or "right": "it was wrong for Russia to invade" says Russia invaded.
UNREAL_PREDICATES = frozenset(
    {"premature", "early", "unlikely", "impossible", "difficult", "hard", "easy", "possible", "important",
     "necessary", "essential", "crucial", "vital", "likely", "time", "imperative", "unwise", "wise",
     "advisable", "urgent", "needed"}
)  # fmt: skip

# Nouns whose infinitive is what they aim at, not a thing done: "a bill to let victims sue", "a plan to
# attack", "an effort to oust". Not "vote" or "decision" ("the House vote to impeach" impeached), nor the
# first/only one to do something ("the first president to visit" visited).
PURPOSE_NOUNS = frozenset(
    {"bill", "law", "measure", "plan", "proposal", "effort", "attempt", "push", "bid", "campaign", "drive",
     "legislation", "resolution", "amendment", "motion", "initiative", "plot", "scheme", "strategy",
     "threat", "demand", "request", "call", "offer", "pledge", "promise", "program", "programme", "quest"}
)  # fmt: skip
# How far up the clauses a condition is looked for
CLAUSE_LINKS = ("conj", "xcomp", "ccomp", "advcl", "pcomp", "csubj")


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


def _subject(verb: Token) -> Token | None:
    return next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "expl")), None)


def _inverted(verb: Token, auxiliaries: set[str] | None = None) -> bool:
    """Whether an auxiliary (of ``auxiliaries``, else any) comes before the clause's subject: "did Flynn
    discuss", "will Trump meet", "is Russia ready" (the copula its own head)."""
    subject = _subject(verb)
    if subject is None:
        return False
    before = [c for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < subject.i]
    if verb.lemma_ in ("be", "have", "do") and verb.i < subject.i:
        before.append(verb)
    return any(auxiliaries is None or a.lower_ in auxiliaries for a in before)


def _ends_in_question_mark(clause: Token) -> bool:
    """Whether a "?" ends the clause: attached to it, or right after its last word (closing quotes and
    brackets aside; "Trump asked: 'Can you do us a favor?'" attaches it to "asked")."""
    if any(c.dep_ == "punct" and c.text == "?" for c in clause.children):
        return True
    doc = clause.doc
    i = clause.right_edge.i + 1
    while i < len(doc) and (doc[i].is_quote or doc[i].text in (")", "]")):
        i += 1
    return i < len(doc) and doc[i].text == "?"


def questioned(tok: Token) -> bool:
    """Whether the verb's clause is a direct question, which asserts no act: it ends in "?" and opens with
    a question word or an auxiliary before its subject. The verb's own clause counts, or a clause it is
    the infinitive or coordinate of ("Is Russia planning to attack?"); a clause embedded in a question is
    the question's premise ("Do you want to understand why Obama is visiting Israel?": he is), unless it is
    a question itself, quoted ("Trump asked: 'Can you investigate Biden?'")."""
    clause = tok
    for _ in range(4):
        if clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
            clause = clause.head
        else:
            break
    if not _ends_in_question_mark(clause):
        return False
    if _inverted(clause):
        return True
    if clause.dep_ != "ROOT":
        return False
    first = clause.left_edge
    while first.i < clause.i and (first.is_punct or first.dep_ == "cc"):
        first = first.doc[first.i + 1]
    return first.lower_ in QUESTION_WORDS


def conditional(tok: Token) -> bool:
    """Whether the verb's clause, or a clause it belongs to, is a condition or an open question: marked
    "if", "unless", "whether" (CONDITIONAL_MARKS), or inverted ("Had Iran attacked, ..."). Relative clauses
    end the search: "if the man who attacked the embassy is caught" does not make the attack conditional."""
    clause = tok
    for _ in range(6):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in clause.children):
            return True
        if (
            clause.dep_ == "advcl"
            and not any(c.dep_ == "mark" for c in clause.children)
            and _inverted(clause, CONDITIONAL_INVERSION_AUX)
        ):
            return True
        if clause.dep_ not in CLAUSE_LINKS or clause.head.i == clause.i:
            return False
        clause = clause.head
    return False


# "took to Twitter to blast", "went on Fox News to defend", "used his speech to attack": the infinitive is
# what was said on the medium, done, not a purpose ahead
MEDIUM_HEADS = frozenset({"take", "go", "use", "appear", "turn", "return"})


def _to_a_medium(head: Token) -> bool:
    """Whether ``head`` ("took", "went", "used") goes to or uses a medium of words (``figurative.yaml``'s
    ``medium``: Twitter, a speech, an interview, the floor ...)."""
    if head.lemma_.lower() not in MEDIUM_HEADS:
        return False
    medium = figurative_words().medium
    for child in head.children:
        if child.dep_ == "dobj" and head.lemma_.lower() == "use" and child.lemma_.lower() in medium:
            return True
        if child.dep_ == "prep" and child.lower_ in ("to", "on", "onto"):
            for g in child.children:
                if g.dep_ != "pobj":
                    continue
                if g.lemma_.lower() in medium or (child.lower_ == "on" and g.ent_type_ == "ORG"):
                    return True  # "went on Fox News to defend": a network or a show
    return False


def purpose(tok: Token) -> bool:
    """Whether the verb states the purpose of another act, which it does not assert done: an adverbial
    infinitive ("left for Riyadh to meet the King"), an infinitive weighed by "it is premature/difficult
    ..." (:data:`UNREAL_PREDICATES`), an infinitive after a verb of motion ("went to meet") or on a noun of
    aim (:data:`PURPOSE_NOUNS`: "a bill to let victims sue"), "in order to", "so as to",
    "so that". The purpose of being somewhere is under way, not ahead: "was on
    a visit to Pyongyang to discuss the summit" (he was discussing it)."""
    doc = tok.doc
    if tok.dep_ == "advcl" and tok.head.lemma_ == "be":
        # "it is premature for Democrats to push for impeachment", "it would be difficult for Russia to
        # attack": what the adjective weighs is not done
        return any(
            c.dep_ in ("acomp", "attr") and c.lemma_.lower() in UNREAL_PREDICATES for c in tok.head.children
        )
    to = next((c for c in tok.children if c.dep_ == "aux" and c.lower_ == "to"), None)
    if to is not None:
        if tok.dep_ in ("advcl", "xcomp") and _to_a_medium(tok.head):
            return False  # "took to Facebook to blast her sister": she blasted her, there
        if tok.dep_ in ("advcl", "xcomp") and tok.head.lemma_.lower() in RISE_HEADS:
            return False  # "rose one by one to voice concerns": they voiced them
        if tok.dep_ == "advcl" or (tok.dep_ == "xcomp" and tok.head.lemma_.lower() in MOTION_HEADS):
            return True
        if to.i >= 2 and (doc[to.i - 2].lower_, doc[to.i - 1].lower_) in PURPOSE_PHRASES:
            return True
        if tok.dep_ == "acl" and tok.head.lemma_.lower() in PURPOSE_NOUNS:
            return True  # "a bill to let victims sue": what the bill is for
    marks = {c.lower_ for c in tok.children if c.dep_ == "mark"}
    return tok.dep_ == "advcl" and {"so", "that"} <= marks


# Prepositions of time whose gerund ("before meeting", "after signing") is done when its main verb is
TEMPORAL_PREPOSITIONS = frozenset({"before", "after", "while", "upon", "on", "since", "until", "when"})


def mood_of(tok: Token) -> tuple[str, bool]:
    """The mood of the event a verb expresses and whether it is negated: asserted, intended, hypothetical,
    demanded, reported or negated-by-context, read from its negation, auxiliaries and governing verbs. A
    question, a condition or a purpose is hypothetical: "Will Trump meet Kim?", "if Iran attacks", "left
    for Riyadh to meet the King" say nothing happened (a purpose of a future act shares its future:
    "will travel to Havana to meet" is intended)."""
    negated = any(c.dep_ == "neg" for c in tok.children)
    aux = {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}
    verb = tok
    while verb.dep_ == "conj" and verb.head.i != verb.i:
        # "wouldn't be shaking hands or meet": a coordinated verb shares its first verb's negation/modal
        verb = verb.head
        negated = negated or any(c.dep_ == "neg" for c in verb.children)
        aux |= {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if questioned(tok):
        return "hypothetical", negated
    # the verbs that govern a coordinated verb's first verb govern it too: "invited Trump to come to Mexico
    # and apologize" (the apology is invited, not made), "agreed to cooperate and withdraw"; unless the two
    # differ in form, which says the parser joined a clause of its own to an infinitive ("ordered agencies to
    # study the law and urged the generals": the urging was done)
    head = verb if verb.tag_ == tok.tag_ else tok
    mood = "asserted"
    aimed = purpose(verb)
    for _ in range(4):
        if head.dep_ == "advcl" and any(c.dep_ == "mark" for c in head.children):
            # "After Iran attacked, the US vowed to respond": a clause with its own conjunction is not what
            # its main verb vows or asks, nor of its tense; only what governs that verb governs it too
            head = head.head
            continue
        if head.dep_ == "pcomp" and head.tag_ == "VBG" and head.head.lower_ in TEMPORAL_PREPOSITIONS:
            # "Before meeting Mr. Putin, Mr. Trump will meet Pena Nieto": a gerund has no tense of its own
            # and shares its main verb's (where a clause with its own verb and conjunction keeps its own)
            parent = head.head.head
            aux |= {c.lower_ for c in parent.children if c.dep_ in ("aux", "auxpass")}
            head = parent
            continue
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
            aimed = aimed or purpose(head)  # "left to meet and to negotiate", the purpose's own infinitive
            continue
        break
    condition = conditional(tok) or (verb.i != tok.i and conditional(verb))
    if condition and mood in ("asserted", "reported", "intended"):
        mood = "hypothetical"  # "if Iran decides to attack": an intention that is itself a condition
    elif mood in ("asserted", "reported"):
        # "Hungary said it will support the resolution", "Iraq said it would allow inspectors": a stated
        # intention (reported "would" is the future of the past), whoever reports it
        if aux & {"will", "shall", "'ll"} or (mood == "reported" and "would" in aux):
            mood = "intended"
        elif aux & HYPOTHETICAL_AUX or aimed:
            mood = "hypothetical"
    return mood, negated


# A noun event with one of these determiners, subject of a modal verb, is only imagined: "a return trip
# by Pompeo would be hard to agree to" (where "the attack could spark a war" is a real attack)
INDEFINITE_DETERMINERS = {"a", "an", "any", "such"}
IMAGINING_AUX = {"would", "could", "might", "may"}


def noun_mood(noun: Token) -> tuple[str, bool]:
    """The mood of an event a noun names without a support verb ("the attack", "a return trip"): asserted
    and negated as the noun is ("not an attack"), but hypothetical in a question or a condition ("Will the
    summit go ahead?", "if talks fail") and when an indefinite noun is the subject of a modal verb, and
    intended when it is put on a schedule ("the visit is scheduled to include": :func:`scheduled`)."""
    negated = any(c.dep_ == "neg" for c in noun.children)
    head = noun
    while head.dep_ == "conj" and head.head.i != head.i:
        head = head.head  # "such a meeting, or even a return trip by Pompeo"
    clause = head.head
    for _ in range(3):
        if clause.pos_ in ("VERB", "AUX") or clause.head.i == clause.i:
            break
        clause = clause.head
    if clause.pos_ not in ("VERB", "AUX"):
        return "asserted", negated
    if questioned(clause) or conditional(clause):
        return "hypothetical", negated
    indefinite = any(
        c.dep_ in ("det", "predet") and c.lower_ in INDEFINITE_DETERMINERS
        for c in (*noun.children, *head.children)
    )
    aux = {c.lower_ for c in clause.children if c.dep_ in ("aux", "auxpass")}
    if head.dep_ in ("nsubj", "nsubjpass") and indefinite and aux & IMAGINING_AUX and "have" not in aux:
        return "hypothetical", negated
    if head.dep_ in ("nsubj", "nsubjpass") and scheduled(clause):
        return "intended", negated  # "Obama's visit to Jordan is scheduled to include", "the vote is set for"
    return "asserted", negated


def scheduled(clause: Token) -> bool:
    """Whether a present-tense clause puts its subject on a schedule, ahead: a :data:`SCHEDULE_HEADS` verb or
    adjective with an infinitive or a "for" of its own ("is scheduled to include", "is set for Tuesday"). A
    past one ("the attack was planned for months") may have been carried out."""
    head = clause
    if clause.lemma_ == "be":
        head = next(
            (c for c in clause.children if c.dep_ == "acomp" and c.lemma_.lower() in SCHEDULE_HEADS), clause
        )
    if head.lemma_.lower() not in SCHEDULE_HEADS:
        return False
    present = any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in ("is", "are", "'s", "'re") for c in clause.children
    ) or clause.tag_ in ("VBZ", "VBP")
    ahead = any(
        c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "for")
        for c in (*head.children, *clause.children)
    )
    return present and ahead
