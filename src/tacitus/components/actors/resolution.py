"""Resolving a syntactic argument to the record's actors at use time, for quotes and events: a mention, a
pronoun ("he said"), a coordination ("Trump and Putin"), a part of a group ("thousands of Iraqi Kurds"),
or the holder of a role in a country ("the presidents of the US and Russia").
"""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Doc, Token

from tacitus.components.actors.mentions import PRONOUN_KINDS, _clean_name
from tacitus.components.quotemarks import quoted_tokens
from tacitus.kb import load_kb


def resolve_pronoun(doc: Doc, token: Token) -> str | None:
    """Resolve a pronoun to the nearest fitting actor mentioned before it, preferring a sentence subject.

    A deliberately simple rule (news prose names the speaker, then uses a pronoun): "he"/"she" look for
    people, "it" for organisations and countries, "they" for groups, roles, organisations and countries;
    look back up to three sentences, past names quoted inside speech (for a pronoun outside quotation
    marks); take the latest mention that was a subject, else the latest at all.
    """
    kinds = PRONOUN_KINDS.get(token.lower_)
    if kinds is None:
        return None
    # answers per actor list (a list that grows is a new key): a long article's pronouns chain back through
    # each other, and each is asked for again by quotes and events
    actors = doc._.actors or []
    key = (id(actors), len(actors))
    cached = doc.user_data.get("tacitus_pronouns")
    if cached is None or cached[0] != key:
        cached = (key, {})
        doc.user_data["tacitus_pronouns"] = cached
    memo: dict[int, str | None] = cached[1]
    chain: list[int] = []
    found: str | None = None
    while True:
        if token.i in memo:
            found = memo[token.i]
            break
        chain.append(token.i)
        found, previous = _resolve_once(doc, token, kinds)
        # "Maxwell ... . He now believes ... . He says": a pronoun subject nearer than any named subject
        # carries the same referent on; resolve that one instead (each step goes back, so this ends)
        if previous is None or previous.i in chain:
            break
        token = previous
    for i in chain:
        memo[i] = found
    return found


def _resolve_once(doc: Doc, token: Token, kinds: tuple[str, ...]) -> tuple[str | None, Token | None]:
    """The actor ``token`` resolves to in its window, or the nearer pronoun subject of the same kind that
    stands between it and that actor (then the caller resolves that pronoun)."""
    gender = _PRONOUN_GENDER.get(token.lower_)
    bound = _clause_subject_words(token)
    candidates = {
        a["id"]: a
        for a in doc._.actors or []
        if (a["kind"] in kinds or (gender and a["kind"] == "role" and _one_person(doc, a)))
        and not (gender and a.get("gender") and a["gender"] != gender)
        and not (bound and _names_overlap(a, bound))
    }
    sents, sent_of = _sentences(doc)
    here = sent_of[token.sent.start]
    # a name quoted in someone's speech is no antecedent for the narrative's "he" ("“Over the years,
    # Hillary Clinton has ...,” he said" is the speaker, not Clinton)
    quoted = quoted_tokens(doc)
    skip_quoted = token.i not in quoted
    # "they" as a subject whose nearest subject before it in its sentence is a plural noun that is no actor
    # stands for that noun, and names no actor: "Elephants ... are blood currency ..., and they are being
    # killed" are the elephants, not the country named a sentence before (asked before the window's actors
    # are searched, which it makes needless)
    if _plain_antecedent(doc, sents[here][0], token, quoted if skip_quoted else frozenset()):
        return None, None
    # three sentences of narrative back: the sentences of a long quotation in between do not count
    # ("Ryan said, “... . ... . ...” / He added" is still Ryan)
    k, counted = here, 0
    while k > 0 and counted < 3:
        k -= 1
        if not skip_quoted or any(
            t.i not in quoted for t in doc[sents[k][0] : sents[k][1]] if not t.is_punct and not t.is_space
        ):
            counted += 1
    floor = sents[k][0]
    # subjects in the window, ranked as readers take them: the latest sentence first, in it the subject of
    # the main clause before one inside a reported clause ("Putin said Trump was wrong. He added" is Putin),
    # then the latest; a pronoun subject of the same kind ranks like a name and passes its referent on
    subjects: list[tuple[tuple[int, bool, int], str | None, Token | None]] = []
    best_any = None
    for actor_id, actor in candidates.items():
        for s, e in actor["tokens"]:
            if not (floor <= s and e <= token.i) or (skip_quoted and s in quoted):
                continue
            if best_any is None or s > best_any[0]:
                best_any = (s, actor_id)
            head = doc[e - 1]
            if head.dep_ in ("nsubj", "nsubjpass"):
                subjects.append((_subject_rank(head, sent_of, token), actor_id, None))
    same = _SAME_PRONOUNS.get(gender or ("p" if token.lower_ in _PLURAL_PRONOUNS else ""), frozenset())
    for tok in doc[floor : token.i]:
        if (
            tok.lower_ in same
            and tok.dep_ in ("nsubj", "nsubjpass")
            and not (skip_quoted and tok.i in quoted)
        ):
            subjects.append((_subject_rank(tok, sent_of, token), None, tok))
    if subjects:
        rank, actor_id, pronoun = max(subjects, key=lambda item: item[0])
        # no fitting subject in the pronoun's own sentence, but a fitting name before it there: that name,
        # whatever its role ("Democrats pushed back, casting Mr. Lieberman as a Democrat in name only and
        # noting that he publicly supported ...": Lieberman, not a subject of the sentence before)
        if (
            rank[0] != here
            and best_any is not None
            and sent_of.get(doc[best_any[0]].sent.start) == here
            and not _in_its_own_phrase(doc[best_any[0]], token)
        ):
            return best_any[1], None
        return actor_id, pronoun
    return (best_any[1] if best_any else None), None


_OBJECT_PRONOUNS = frozenset({"him", "her", "them"})


def _in_its_own_phrase(name: Token, pronoun: Token) -> bool:
    """Whether ``name`` sits in a phrase with no subject of its own that hangs on the pronoun's verb, whose
    doer the pronoun is: "After threatening to spill the beans on Mr. Cruz's wife, Heidi Cruz, he retweeted"
    (he threatened her), unlike "After the content from Mr. Jones was removed, he issued a plea" (Jones)."""
    verb = pronoun.head
    node, controlled = name, False
    while node.head.i != node.i and node.head != verb:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            if node.tag_ not in ("VBG", "VB", "VBN") or any(
                c.dep_ in ("nsubj", "nsubjpass", "csubj") for c in node.children
            ):
                return False  # a clause with a doer of its own ("the content from Mr. Jones was removed")
            controlled = True
    return controlled and node.head == verb


def _clause_subject_words(pronoun: Token) -> frozenset[str]:
    """The name words of the subject of the clause whose object ``pronoun`` is ("Holder urged him", "Obama
    told him", "Merkel met with her"): an object pronoun never stands for its own clause's subject (that
    would be "himself"), so no actor named by those words is its antecedent. Empty for other pronouns."""
    if pronoun.lower_ not in _OBJECT_PRONOUNS:
        return frozenset()
    verb = pronoun.head
    if pronoun.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    elif pronoun.dep_ not in ("dobj", "dative", "iobj"):
        return frozenset()
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.pos_ == "PRON":
        return frozenset()
    return frozenset(t.lower_ for t in subject.subtree if t.pos_ == "PROPN" or t.i == subject.i) - {
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
    }


def _names_overlap(actor: dict, words: frozenset[str]) -> bool:
    """Whether an actor's name shares a word with ``words`` ("Eric H. Holder Jr." and "Holder")."""
    return bool({w.lower() for w in str(actor.get("name") or "").replace(",", " ").split()} & words)


def _plain_antecedent(doc: Doc, start: int, pronoun: Token, quoted: Collection[int]) -> bool:
    """Whether subject "they" (``pronoun``) stands for a plural common noun of its own sentence that no actor
    covers: the nearest subject before it (from ``start``, its sentence's first token; skipping ``quoted``
    tokens, as the narrative's pronoun skips names inside speech) is a plural noun or a coordination
    ("Elephants and other big game") outside every actor's mentions, subject of a clause joined to the
    pronoun's ("..., and they are being killed"; "allies need oil ..., and they should"). The nearest, not
    the main clause's: in "Republican opponents fear that Mr. Obama will ignore it, as they say" the nearer
    "Mr. Obama" leaves the choice to the actors. Only nouns: a name the actor layer did not take is still a
    name, and "they" may well be that actor's."""
    if pronoun.lower_ != "they" or pronoun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    nearest = None
    for tok in doc[start : pronoun.i]:
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.i not in quoted:
            nearest = tok
    # the noun's clause and the pronoun's are joined by "and"/"but": one topic carried on
    if nearest is None or nearest.pos_ != "NOUN" or not _conjoined(nearest.head, pronoun.head):
        return False
    if nearest.tag_ != "NNS" and not any(c.dep_ == "conj" for c in nearest.children):
        return False
    return not any(s <= nearest.i < e for a in doc._.actors or [] for s, e in a["tokens"])


def _conjoined(a: Token, b: Token) -> bool:
    return (b.dep_ == "conj" and b.head == a) or (a.dep_ == "conj" and a.head == b)


def _sentences(doc: Doc) -> tuple[list[tuple[int, int]], dict[int, int]]:
    """The doc's sentences as token bounds and each one's index by its first token, built once per doc
    (every pronoun of every quote and event asks); plain ints, so the doc still pickles."""
    cached = doc.user_data.get("tacitus_sentences")
    if cached is None:
        bounds = [(s.start, s.end) for s in doc.sents]
        cached = (bounds, {start: n for n, (start, _) in enumerate(bounds)})
        doc.user_data["tacitus_sentences"] = cached
    return cached


def _subject_rank(subject: Token, sent_of: dict[int, int], pronoun: Token) -> tuple[int, int, bool, int]:
    """How readily a reader takes ``subject`` for ``pronoun``: the latest sentence first; in the pronoun's
    own sentence, the subject of the innermost clause that holds the pronoun ("Fox said Trump should never
    be trusted because of the way he has demonized Mexicans": Trump; "Putin said he would go": Putin); then
    the subject of the main clause before one inside a reported clause ("Putin said Trump was wrong. He
    added" is Putin); then the latest."""
    depth = 0
    if subject.sent.start == pronoun.sent.start and _holds(subject.head, pronoun):
        depth = 1 + sum(1 for _ in subject.head.ancestors)
    return (sent_of.get(subject.sent.start, 0), depth, subject.head.dep_ == "ROOT", subject.i)


def _holds(clause: Token, token: Token) -> bool:
    """Whether ``token`` is inside ``clause``'s subtree (a verb and everything hanging on it)."""
    return clause.left_edge.i <= token.i <= clause.right_edge.i and (
        token == clause or clause in token.ancestors
    )


_PRONOUN_GENDER = {
    **{p: "m" for p in ("he", "him", "his", "himself")},
    **{p: "f" for p in ("she", "her", "hers", "herself")},
}
_SAME_PRONOUNS = {
    "m": frozenset(["he"]),
    "f": frozenset(["she"]),
    "p": frozenset(["they"]),
}
_PLURAL_PRONOUNS = frozenset(["they", "them", "their", "themselves"])
# Role nouns that name a body, not one person: "he" is never "the ministry".
_COLLECTIVE_ROLE_WORDS = (
    "government ministry administration army military police party committee council court agency "
    "parliament congress senate house department office regime forces company board commission "
    "authority authorities cabinet embassy coalition alliance group team campaign union"
)
_COLLECTIVE_ROLES = frozenset(_COLLECTIVE_ROLE_WORDS.split())


def _one_person(doc: Doc, actor: dict) -> bool:
    """Whether a role actor is one person ("a senior official", "the spokesman"), whom "he" can mean."""
    for _, e in actor["tokens"]:
        head = doc[e - 1]
        if head.tag_ not in ("NN", "NNP") or head.lemma_.lower() in _COLLECTIVE_ROLES:
            return False
    return True


def actors_for_token(doc: Doc, token: Token) -> list[str]:
    """Actor ids a syntactic argument refers to: a mention, a pronoun, or a coordination of them.

    "Trump and Putin" gives both; "the presidents of the US and Russia" gives the persons the article
    already knows in that role for each country (else nothing for that country).
    """
    index = doc._.mention_index or {}
    found: list[str] = []

    def add(actor_id: str | None) -> None:
        if actor_id and actor_id not in found:
            found.append(actor_id)

    # a conjunct said not to take part is no participant: "visiting the West Bank and Jordan, but not Gaza"
    heads = [token] + [
        c for c in token.conjuncts if c.i > token.i and not any(w.dep_ == "neg" for w in c.children)
    ]
    persons = {a["id"] for a in doc._.actors or [] if a["kind"] == "person"}
    for child in token.children:
        # "Minister X of Portugal and President Y of Brazil": the parser often coordinates Y with
        # Portugal; a person conjoined inside the "of" phrase is a second participant
        if child.dep_ == "prep" and child.lower_ in ("of", "from"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    heads += [c for c in pobj.conjuncts if index.get(c.i) in persons and c not in heads]
    for head in heads:
        if head.i in index:
            add(index[head.i])
            # "Senior Hungarian and Romanian officials": one phrase, two actors (HUNGOV and ROUGOV) with
            # the same mention; the index holds the first, the phrase means both
            for other in _sharing_mention(doc, index[head.i]):
                add(other)
            continue
        if head.lower_ in PRONOUN_KINDS:
            add(resolve_pronoun(doc, head))
            continue
        # a compound inside the argument may be the mention ("the Trump administration")
        # ("Saudi air strikes": the nationality of the doer)
        inner = [
            index[t.i]
            for t in head.children
            if t.i in index
            and t.dep_ in ("compound", "poss", "amod")
            and not _someone_elses(head, t, persons, index)
        ]
        if head.tag_ == "NNS":
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    for pobj in child.children:
                        if pobj.dep_ != "pobj":
                            continue
                        for country_tok in [pobj, *pobj.conjuncts]:
                            add(_person_in_role(doc, head, country_tok))
            if found:
                continue
        if inner:
            add(inner[0])
            continue
        # "Iran's religious leader Ayatollah Khomeini rejected": the apposition names the generic head
        named = [index[t.i] for t in head.children if t.dep_ == "appos" and t.i in index]
        if named:
            add(named[0])
            continue
        if head.tag_ == "CD" or head.lemma_.lower() in _PARTITIVES or _office_of(head):
            # "Thousands of Iraqi Kurds demonstrated", "two of its nationals", "members of the party":
            # the part acts for the whole it is drawn from; "the deputy chief of Israel's militia ally",
            # a holder of an office the article does not name, acts for the body whose office it is
            for child in head.children:
                if child.dep_ == "prep" and child.lower_ == "of" and not _instead_of(child):
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            for actor_id in actors_for_token(doc, pobj):
                                add(actor_id)
    return found


def _instead_of(prep: Token) -> bool:
    """Whether an "of" phrase is "instead of" or "regardless of": it names who is left out ("made the trip
    instead of Tillerson"), not whose the noun is."""
    return any(c.dep_ == "advmod" and c.lower_ in ("instead", "regardless") for c in prep.children)


# What a person has that acts for them ("Trump's campaign said"); any other noun a person "has" is
# someone else ("Kassig's executioner", "his parents", "Trump's lawyer").
_ONES_OWN_WORDS = (
    "campaign administration office government team staff camp spokesman spokeswoman spokesperson"
)
_ONES_OWN = frozenset(_ONES_OWN_WORDS.split())


def _someone_elses(head: Token, modifier: Token, persons: set[str], index: dict) -> bool:
    """Whether ``head`` names another actor than the person its possessive names."""
    return (
        modifier.dep_ == "poss" and index.get(modifier.i) in persons and head.lemma_.lower() not in _ONES_OWN
    )


def _sharing_mention(doc: Doc, actor_id: str) -> list[str]:
    """The other actors whose mentions include one of ``actor_id``'s, in the order of the actor list.

    The table is built once per actor list (argument resolution asks for every verb's arguments, and an
    article may name hundreds of people); a list that grows (a place made a country actor for an event)
    is a new key. Places add mentions no other actor has, so they never make a new pair."""
    actors = doc._.actors or []
    key = (id(actors), len(actors))
    cached = doc.user_data.get("tacitus_shared_mentions")
    if cached is None or cached[0] != key:
        by_mention: dict[tuple[int, int], list[str]] = {}
        for a in actors:
            for mention in a["mentions"]:
                by_mention.setdefault(tuple(mention), []).append(a["id"])
        shared: dict[str, list[str]] = {}
        for ids in by_mention.values():
            for one in ids:
                for other in ids:
                    if other != one and other not in shared.setdefault(one, []):
                        shared[one].append(other)
        order = {a["id"]: n for n, a in enumerate(actors)}
        cached = (key, {k: sorted(v, key=order.__getitem__) for k, v in shared.items()})
        doc.user_data["tacitus_shared_mentions"] = cached
    return cached[1].get(actor_id, [])


def _office_of(head: Token) -> bool:
    """Whether a common noun that is no actor may stand for the actor of its "of" phrase, as PETRARCH
    takes the first actor in a noun phrase: "the deputy chief of Israel's militia ally", "the head of the
    agency", "the embassy of Japan"."""
    return head.pos_ == "NOUN"


# Nouns that name a part or a number of a group: the group is the actor.
_PARTITIVE_WORDS = (
    "thousand thousands hundred hundreds dozen dozens million millions score scores group groups number "
    "some many most few several members member majority minority half third quarter handful crowd crowds "
    "tens "
    # places and things that stand for their holder as a target: "shelled positions of the army"
    "position positions base bases camp camps home homes office offices headquarters stronghold "
    "strongholds convoy convoys embassy"
)
_PARTITIVES = frozenset(_PARTITIVE_WORDS.split())


def _person_in_role(doc: Doc, role_noun: Token, country_tok: Token) -> str | None:
    """The known person holding ``role_noun`` ("presidents") for the country ``country_tok`` names."""
    kb = load_kb()
    ent_text = next((e.text for e in doc.ents if e.start <= country_tok.i < e.end), country_tok.text)
    country = kb.country_of(_clean_name(ent_text))
    if country is None:
        return None
    lemma = role_noun.lemma_.lower()
    for actor in doc._.actors or []:
        if actor["kind"] == "person" and actor["country"] == country:
            role = (actor["role"] or "").lower()
            if lemma in role or (not role and actor["sector"] == "GOV" and lemma == "president"):
                return actor["id"]
    for actor in doc._.actors or []:
        if actor["code"] == country:
            return actor["id"]
    return None
