"""Whether an event's clause tells one act or a summary of repeated acts.

"Trump has repeatedly urged China", "Erdogan has long threatened to send troops", "the U.S. has targeted
Al-Shabaab leaders at least twice in the past year", "Tim Cook has met with Trump several times": each
sums up many acts, not one act of the day the article was filed. GDELT counts such a sentence as an event of that day; an
analyst counting acts per week wants to leave it out, and the clustering must not make it one of the acts
it sums up. Read from the trigger verb's own modifiers only: a frequency adverb or a count of times.

A span of time is not read: "the FBI had been investigating for months", "U.S. authorities have been
investigating Huawei since 2016" tell one act kept up, the same investigation other outlets report in a
sentence, and on the clustering's dev pairs marking such spans lost as many right merges as it fixed false
ones ("officials have been meeting with Democrats for the past several days", a summary, stays unmarked).
"""

from __future__ import annotations

from spacy.tokens import Token

# adverbs of frequency: the act happened many times ("long" only with a perfect: "has long threatened")
REPEATED_ADVERBS = frozenset(
    {"repeatedly", "frequently", "often", "routinely", "regularly", "constantly", "continually",
     "consistently", "persistently", "habitually"}
)  # fmt: skip

# a count of times: "several times", "at least twice", "on three occasions"
TIMES_WORDS = frozenset({"times", "occasions"})
COUNT_ADVERBS = frozenset({"twice", "thrice"})


def _perfect(verb: Token) -> bool:
    """ "has threatened", "had long opposed"."""
    return any(
        c.dep_ in ("aux", "auxpass") and c.lower_ in ("has", "have", "had", "'ve") for c in verb.children
    )


def repeated(tok: Token) -> bool:
    """Whether the event a verb expresses is told as repeated rather than one act (see the module's
    docstring). A noun trigger ("the attacks") is not read: "a series of strikes" and "the strikes" alike
    may be one act or many; nor is a verb coordinated with one so modified (the parser joins clauses of
    their own to it: "Trump has frequently urged better relations, was hosting Xi")."""
    if tok.pos_ not in ("VERB", "AUX"):
        return False
    for child in tok.children:
        word = child.lower_
        if child.dep_ == "advmod" and word in REPEATED_ADVERBS:
            return True
        if child.dep_ == "advmod" and word == "long" and _perfect(tok):
            return True  # "has long threatened"
        if child.dep_ in ("advmod", "npadvmod") and word in COUNT_ADVERBS:
            return True  # "at least twice"
        if (
            child.dep_ in ("npadvmod", "advmod", "dobj")
            and word in TIMES_WORDS
            and any(c.dep_ in ("nummod", "amod", "quantmod") for c in child.children)
        ):
            return True  # "several times", "three times", "many times"
        if (
            child.dep_ == "prep"
            and word == "on"
            and any(p.lower_ == "occasions" for p in child.children if p.dep_ == "pobj")
        ):
            return True  # "on several occasions"
    return False
