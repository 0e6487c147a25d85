"""Appeals (CAMEO 02) and demands (CAMEO 10): "X urged Y to return to talks" is X -> Y, 026.

The asking verb is the event; its addressee (the object, or "on"/"to" Y) is the target, and the code comes
from what is asked for (``ontology/data/appeals.yaml``): the complement verb and its object ("to release
the prisoners"), a "for" phrase ("called for calm"), or a "that" clause ("demanded that Israel withdraw",
whose subject is then the addressee). The asked-for act itself is not an event of its own: nobody has
negotiated yet, so :func:`appeal_events` also returns the complement verbs it consumed, and the tagger
codes no event on them.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Token

from tacitus.components.actors import actors_for_token
from tacitus.components.events.attributes import clause_subject, make_event
from tacitus.components.events.mood import mood_of
from tacitus.errors import InvalidRuleFile, UnknownCode
from tacitus.ontology import cameo
from tacitus.ontology.wordlists import packaged_rules, word_set

_ADDRESSEE_PREPS = ("on", "upon", "to")


def _data() -> dict:
    return packaged_rules("appeals.yaml")


@lru_cache(maxsize=1)
def _table() -> tuple[frozenset[str], frozenset[str], tuple[tuple[str, frozenset[str]], ...]]:
    name = "appeals.yaml"
    data = _data()
    try:
        asks = tuple(
            (str(row["suffix"]), frozenset(w.lower() for w in row["words"])) for row in data["asked_for"]
        )
        appeal, demand = frozenset(data["appeal_verbs"]), frozenset(data["demand_verbs"])
    except (KeyError, TypeError) as exc:
        raise InvalidRuleFile(
            f"{name}: expected appeal_verbs, demand_verbs and asked_for rows ({exc})"
        ) from exc
    for root in ("02", "10"):
        for suffix, _ in asks:
            try:
                cameo(root + suffix)
            except UnknownCode as exc:
                raise InvalidRuleFile(
                    f"{name}: suffix {suffix!r} gives no CAMEO code under {root}: {exc}"
                ) from exc
    return appeal, demand, asks


def _complement(verb: Token) -> tuple[Token | None, list[Token]]:
    """The asked-for act ("to return": the xcomp, or the ccomp of "demanded that ...") and the words that
    say what it is (its subtree, or the object of "for")."""
    for child in verb.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            return child, list(child.subtree)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ == "for":
            return None, [t for pobj in child.children if pobj.dep_ == "pobj" for t in pobj.subtree]
    return None, []


_QUESTION_WORDS = frozenset({"whether", "if", "what", "why", "how", "who", "when", "where", "which"})


def _a_question(verb: Token) -> bool:
    """Whether a verb of asking asks a question rather than for something: "asked whether the attack was
    terrorism", "asked the same question", a sentence that asks with a question mark and asks nobody to
    do anything ("“Is it true,” Roberts asked Mr. Sellers, “that ...?”"), or a passive participle with no
    asker ("When asked ...")."""
    if verb.lemma_.lower() not in ("ask", "query", "question"):
        return False
    if verb.tag_ == "VBN" and not any(
        c.dep_ in ("nsubj", "aux", "auxpass", "nsubjpass") for c in verb.children
    ):
        return True  # "When asked during a taping ... the president said"
    if any(t.text == "?" for t in verb.sent) and not any(
        c.dep_ == "xcomp" or (c.dep_ == "prep" and c.lower_ == "for") for c in verb.children
    ):
        return True  # "“Is it true,” Roberts asked Mr. Sellers, “that ...?”": asking nothing done
    for child in verb.children:
        if child.dep_ == "dobj" and child.lemma_.lower() in ("question", "query"):
            return True
        if child.dep_ in ("ccomp", "xcomp") and any(
            g.lower_ in _QUESTION_WORDS and g.i < child.i for g in child.subtree
        ):
            return True
    # "asked a defendant if Robertson prayed for him": the parser may hang the "if" clause on the verb as
    # an adverbial one; with no infinitive asking for an act, it is the question asked
    return not any(c.dep_ == "xcomp" for c in verb.children) and any(
        c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in ("if", "whether") for g in c.children)
        for c in verb.children
    )


def _publishes(word: Token) -> bool:
    """Whether ``word`` is a verb releasing a document ("release the full report": ``documents`` in
    appeals.yaml), which asks for no release of persons or property."""
    return word.lemma_.lower() == "release" and any(
        c.dep_ == "dobj" and c.lemma_.lower() in _word_list("documents") for c in word.children
    )


def _on_anonymity(verb: Token) -> bool:
    """ "insisted on anonymity": a source's condition for speaking to a reporter, no demand of anyone."""
    return any(
        c.dep_ == "prep" and c.lower_ == "on" and any(g.lemma_.lower() == "anonymity" for g in c.subtree)
        for c in verb.children
    )


def _a_claim(verb: Token) -> bool:
    """Whether "insist" insists that something is so rather than that it be done: its that-clause's verb is
    finite in the indicative ("insisted that he would compete", "insists it did nothing wrong"), not a bare
    subjunctive or an order ("insisted that Congress approve the funding", "insist that he must resign")."""
    for child in verb.children:
        if child.dep_ != "ccomp" or child.pos_ not in ("VERB", "AUX"):
            continue
        aux = {c.lower_ for c in child.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"must", "should"} or aux == {"be"}:
            return False  # "insist that he must resign", the passive subjunctive "that the vote be held"
        if aux or child.lemma_.lower() in _STATES:
            return True  # "would compete", "has done", "they are innocent"
        # a bare form is the subjunctive of an order ("that Congress approve"); a finite past or third
        # person form states a fact ("that he knew", "that it works")
        return child.tag_ not in ("VB", "VBP")
    return False


# Verbs of state: "insists they know", "insisted they remain friends" claim, they order nothing.
_STATES = frozenset(
    {"be", "have", "know", "want", "believe", "think", "support", "remain", "need", "feel", "mean", "like",
     "agree", "oppose", "understand", "hope", "deserve", "owe", "exist", "matter", "belong", "seem"}
)  # fmt: skip


def _addressee(verb: Token, act: Token | None) -> list[Token]:
    for child in verb.children:
        if child.dep_ in ("dobj", "dative"):
            return [child]
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in _ADDRESSEE_PREPS:
            # "on Tuesday" is no addressee: only a phrase that names an actor is one
            found = [p for p in child.children if p.dep_ == "pobj" and actors_for_token(verb.doc, p)]
            if found:
                return found
    if act is not None and act.dep_ == "ccomp":
        # "demanded that Israel withdraw": the one who is to act
        return [c for c in act.children if c.dep_ in ("nsubj", "nsubjpass")]
    return []


def _subject(verb: Token) -> Token | None:
    subject, passive = clause_subject(verb)
    return None if passive else subject


def _asks_of(prep: Token) -> bool:
    """Whether ``prep``, a child of "call", makes it a request: "on"/"upon"/"for" after the verb whose object
    is no time ("called on Iran to", "called for calm"; not "on Monday called the case unfair", where the
    parser hangs the day's "on" on the verb)."""
    if prep.dep_ != "prep" or prep.lower_ not in ("on", "upon", "for") or prep.i < prep.head.i:
        return False
    return not any(c.dep_ == "pobj" and c.ent_type_ in ("DATE", "TIME") for c in prep.children)


def appeal_events(doc: Doc, skip: set[int] | None = None) -> tuple[list[dict], set[int]]:
    """The appeal and demand events of a doc, and the indices of the complement verbs they consumed."""
    appeal_verbs, demand_verbs, asks = _table()
    events: list[dict] = []
    consumed: set[int] = set()
    for verb in doc:
        if skip and verb.i in skip:
            continue
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or (lemma not in appeal_verbs and lemma not in demand_verbs):
            continue
        if lemma == "call" and not any(_asks_of(c) for c in verb.children):
            continue  # "called him a liar", "called the election", "on Monday called the case unfair"
        if _a_question(verb):
            continue  # "asked whether", "when asked about", "asked the same question": no request
        if lemma == "insist" and (_a_claim(verb) or _on_anonymity(verb)):
            continue  # "insisted that he would compete", "insisted on anonymity": nothing demanded
        act, words = _complement(verb)
        asked = None
        if act is None and not words:
            # "demanded immediate elections", "urged dialogue", "demanding autonomy from Serbian
            # authorities": the object is the thing asked for, unless it is the one asked
            asked = next((c for c in verb.children if c.dep_ == "dobj"), None)
            if asked is not None and asked.i in (doc._.mention_index or {}):
                asked = None
            words = list(asked.subtree) if asked is not None else []
        if act is None and not words:
            continue  # "asked about", "pressed ahead": nothing asked of anyone
        subject = _subject(verb)
        if subject is None:
            continue
        sources = actors_for_token(doc, subject)
        if not sources:
            continue
        asked_words = [t for t in words if not _publishes(t)]
        lemmas = {t.lemma_.lower() for t in asked_words} | {t.lower_ for t in asked_words}
        suffix = next((s for s, ws in asks if lemmas & ws), "0")
        code = ("10" if lemma in demand_verbs else "02") + suffix
        addressees = _addressee(verb, act) if asked is None else []
        if asked is not None:
            # whom it is demanded of: "from Serbian authorities", "an admission by Moscow", "a truce with X"
            addressees = [p for node in (verb, asked) for c in node.children
                          if c.dep_ in ("prep", "agent") and c.lower_ in ("from", "by", "of", "with", "between")
                          for p in c.children if p.dep_ == "pobj"]  # fmt: skip
        targets = [a for t in addressees for a in actors_for_token(doc, t) if a not in sources]
        mood, negated = mood_of(verb)
        for source in sources:
            for target in targets or [None]:
                if target == source:
                    continue
                events.append(
                    make_event(
                        doc, verb, source, target, code, mood=mood, negated=negated, rule=f"appeal.{lemma}.v1"
                    )
                )
        if act is not None:
            consumed.add(act.i)
            consumed.update(c.i for c in act.conjuncts)
    return events, consumed


def _code_03(suffix: str) -> str:
    """The "express intent" code for an ask suffix, or the nearest coarser one CAMEO has."""
    for code in ("03" + suffix, "03" + suffix[:1], "030"):
        try:
            return cameo(code).code
        except UnknownCode:
            continue
    return "030"


def _offered(verb: Token) -> tuple[Token | None, list[Token]]:
    """What is offered: the complement verb ("agreed to undertake"), a that-clause, a "to/on/upon" phrase
    ("agreed to a ceasefire", "agreed on a deal") or an object ("offered talks", "promised reforms")."""
    for child in verb.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            if child.dep_ == "ccomp" and verb.lemma_.lower() == "volunteer":
                return None, []  # "does not volunteer that his service never took him overseas": telling
            return child, list(child.subtree)
    for child in verb.children:
        if child.dep_ == "prep" and child.lower_ in ("to", "on", "upon"):
            pobjs = [p for p in child.children if p.dep_ == "pobj"]
            # "agreed to a ceasefire" (an act), not "agreed to Iran's terms" as a party: the phrase's own
            # head is no actor's mention ("US mediation" is still mediation)
            if pobjs and pobjs[0].i not in (verb.doc._.mention_index or {}):
                return None, [t for p in pobjs for t in p.subtree]
    for child in verb.children:
        if child.dep_ == "dobj" and not actors_for_token(verb.doc, child):
            if verb.lemma_.lower() == "commit" and child.lemma_.lower() in _word_list("wrongs_committed"):
                return None, []  # "committed a crime", "did not commit obstruction of justice"
            if child.lemma_.lower() in _word_list("words_offered"):
                return None, []  # "offered his doubts": an opinion, not an offer
            return None, list(child.subtree)
    return None, []


@lru_cache(maxsize=8)
def _word_list(key: str) -> frozenset[str]:
    """A list of words of appeals.yaml, lower case; a key that holds no list raises InvalidRuleFile."""
    return word_set("appeals.yaml", key, _data().get(key) or [])


def _parties(verb: Token, act: Token | None) -> list[Token]:
    """Who the offer is made to or agreed with: "with"/"to" or a dative on the verb, else the act's own."""
    doc = verb.doc
    for node in [verb, act] if act is not None else [verb]:
        for child in node.children:
            if child.dep_ == "dative" or (
                child.dep_ == "prep" and child.lower_ in ("with", "to", "on", "against")
            ):
                found = [p for p in child.children if p.dep_ == "pobj"] if child.dep_ == "prep" else [child]
                found += [c for p in found for c in p.children if c.dep_ == "pobj"]
                found = [t for t in found if actors_for_token(doc, t)]
                if found:
                    return found
            if node is act and child.dep_ in ("dobj", "dative") and actors_for_token(doc, child):
                return [child]
    return []


def intent_events(doc: Doc, covered: set[int], skip: set[int] | None = None) -> list[dict]:
    """Offers, promises and agreements (CAMEO 03) whose act has no event of its own (see appeals.yaml).

    ``covered`` holds the tokens that already trigger an event: an intent verb among them, or one whose
    offered act contains one, adds nothing.
    """
    _, _, asks = _table()
    verbs = frozenset(_data().get("intent_verbs") or [])
    specific = frozenset(_data().get("specific_only") or [])
    events: list[dict] = []
    for verb in doc:
        if skip and verb.i in skip:
            continue
        lemma = verb.lemma_.lower()
        if verb.pos_ != "VERB" or lemma not in verbs or verb.i in covered:
            continue
        act, words = _offered(verb)
        if not words or any(t.i in covered for t in words):
            continue
        subject = _subject(verb)
        sources = actors_for_token(doc, subject) if subject is not None else []
        if not sources:
            continue
        lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
        suffix = next((s for s, ws in asks if lemmas & ws), "0")
        if suffix == "0" and lemma in specific:
            continue  # "vowed to keep each migrant": a vow, but no offer of cooperation
        code = _code_03(suffix)
        targets = [a for t in _parties(verb, act) for a in actors_for_token(doc, t) if a not in sources]
        if targets:
            pairs = [(s, t) for s in sources for t in targets]
        elif len(sources) > 1:
            pairs = [(s, t) for s in sources for t in sources if s != t]  # "Jordan and Britain agreed to"
        else:
            pairs = [(s, None) for s in sources]
        mood, negated = mood_of(verb)
        if mood == "intended":
            mood = "asserted"  # "will agree to" is still an expression of intent, which the code says
        for source, target in pairs:
            events.append(
                make_event(
                    doc, verb, source, target, code, mood=mood, negated=negated, rule=f"intent.{lemma}.v1"
                )
            )
    return events


_SPEAKING = frozenset(
    [
        "say",
        "tell",
        "announce",
        "insist",
        "remind",
        "warn",
        "stress",
        "declare",
        "state",
        "add",
        "argue",
        "reiterate",
        "demand",
        "write",
        "emphasize",
        "emphasise",
        "note",
        "urge",
    ]
)


# Nouns of saying whose "that ... must" clause is their speaker's demand ("issued a reminder to Iraq that it
# must cooperate"); a clause on a rule ("the mandate that employers must provide") is the rule's content.
_SPEECH_NOUNS = frozenset(
    {"reminder", "warning", "message", "statement", "letter", "ultimatum", "notice", "note", "reply",
     "response", "argument", "position", "insistence", "declaration", "communique", "assertion", "view"}
)  # fmt: skip


def obligation_events(doc: Doc, skip: set[int] | None = None) -> tuple[list[dict], set[int]]:
    """What a speaker says another must do is a demand by the speaker (CAMEO 10x): "the rebels announced
    that Kagame must agree to constitutional changes" is rebels -> Kagame, 104. Returns the events and the
    clause verbs they consumed (nobody has agreed yet)."""
    _, _, asks = _table()
    events: list[dict] = []
    consumed: set[int] = set()
    for verb in doc:
        if skip and verb.i in skip:
            continue
        if verb.dep_ not in ("ccomp", "acl"):
            continue
        if verb.pos_ not in ("VERB", "AUX") and not any(c.dep_ == "aux" for c in verb.children):
            continue  # the tagger may call a clause's verb a noun ("must ... refrain"); its aux says it is one
        asking_noun = verb.head.pos_ == "NOUN" and verb.head.lemma_.lower() in (
            "demand",
            "call",
            "appeal",
            "request",
        )
        if not asking_noun and not any(
            c.dep_ == "aux" and c.lower_ in ("must", "should", "ought") for c in verb.children
        ):
            continue  # "its demand that Israel ease restrictions" needs no "must"
        speaker_verb = verb.head
        if speaker_verb.pos_ in ("NOUN", "PROPN"):  # "issued a reminder to Iraq that it must cooperate"
            if not asking_noun and speaker_verb.lemma_.lower() not in _SPEECH_NOUNS:
                continue  # "the mandate that employers must provide": the rule's, not the speaker's
            speaker_verb = speaker_verb.head
        if speaker_verb.pos_ != "VERB" or (
            verb.dep_ == "ccomp" and speaker_verb.lemma_.lower() not in _SPEAKING
        ):
            continue
        speaker = _subject(speaker_verb)
        addressee = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if speaker is None or addressee is None:
            continue
        sources = actors_for_token(doc, speaker)
        targets = [a for a in actors_for_token(doc, addressee) if a not in sources]
        if not sources or not targets:
            continue
        words = list(verb.subtree)
        lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
        root = "02" if asking_noun and verb.head.lemma_.lower() in ("call", "appeal", "request") else "10"
        code = root + next((s for s, ws in asks if lemmas & ws), "0")
        mood, negated = mood_of(speaker_verb)
        if mood == "reported":
            mood = "asserted"  # the demand is the speaker's own act
        for source in sources:
            for target in targets:
                events.append(
                    make_event(
                        doc, verb, source, target, code, mood=mood, negated=negated, rule="demand.must.v1"
                    )
                )
        # everything the clause says they must do ("must be ready to mediate") is asked, not done
        consumed.update(t.i for t in verb.subtree if t.pos_ in ("VERB", "AUX"))
    return events, consumed
