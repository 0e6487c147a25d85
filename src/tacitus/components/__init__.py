"""Tacitus's spaCy components: one module per concern, each a versioned factory.

Every component reads and writes plain Python data on ``Doc._`` extensions (lists of dicts with character
offsets), so docs survive ``nlp.pipe(n_process=N)`` pickling and a user can add any component to their own
pipeline. Extensions are registered once, here, by :func:`register_extensions`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from spacy.tokens import Doc, Span

from tacitus.errors import TimeBudgetExceeded
from tacitus.watchdog import watch

# name -> default value. Mutable defaults are never shared: components always assign fresh lists.
EXTENSIONS: dict[str, object] = {
    "published": None,  # ISO date of publication, set by the pipeline before the components run
    "actors": None,  # list of actor dicts (see components.actors)
    "mention_index": None,  # token index -> actor id, for every token inside an actor mention
    "quotes": None,
    "events": None,
    "times": None,
    "places": None,
    "tacitus_warnings": None,
    # set by tacitus.pipeline: components record a failure here instead of raising (see `guarded`)
    "tacitus_guard": False,
    "tacitus_error": None,
    "tacitus_timed_out": False,  # the error is the article's time budget running out (tacitus.watchdog)
}


# Prepositions after which a place name is a location ("in Bangkok", "through central Moscow"), not a
# participant; shared by the actor and place taggers so they never disagree about a mention. "to" is not
# among them: "sent aid to Nepal", "an appeal to Pyongyang", "travelled to Accra" name the recipient or
# the host of the act, which CAMEO codes as its target.
LOCATIVE_PREPS = frozenset(
    [
        "in",
        "at",
        "near",
        "across",
        "throughout",
        "inside",
        "outside",
        "around",
        "from",
        "into",
        "through",
        "toward",
        "towards",
        "via",
        "along",
        "within",
        "beyond",
        "off",
        "onto",
    ]  # noqa: SIM905 - a word list reads better as one string
)


def is_locative(span: Span) -> bool:
    """A place used as a place ("in Bangkok", "in Moscow and Kyiv"), not as a participant ("Bangkok said").

    "from Russia" after a verb of movement is a place; after a noun ("envoy from Russia") it tells
    nationality, which the actor tagger reads from the noun phrase itself.
    """
    root = span.root
    while root.dep_ == "conj":  # conjuncts share their first conjunct's role
        root = root.head
    if root.dep_ == "pobj" and root.head.lower_ in LOCATIVE_PREPS:
        return True
    return root.dep_ == "npadvmod"


def dateline_follows(ent: Span) -> bool:
    """Whether what follows ``ent`` makes it a dateline: "MOSCOW —", "BANGKOK (Reuters)", "KISUMU, Kenya"
    (a comma only after a name in capitals). Where the name must stand is the caller's to say."""
    doc = ent.doc
    if ent.end >= len(doc):
        return False
    follower = doc[ent.end]
    return follower.text in ("—", "–", "-", "--", "(") or (follower.text == "," and ent.text.isupper())


_TEXT_KEY = ("tacitus", "text")


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per doc: spaCy joins every token's text on each access (about 5 ms for a
    long article), and six components read it. A doc's text never changes once made (merging tokens keeps
    it), so the string is kept in ``user_data``."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


def opening_paragraph_starts(text: str, within: int = 300, count: int = 3) -> list[int]:
    """Where the first paragraphs of ``text`` start, within its first ``within`` characters: a dateline
    opens one of them (the first, or the body's after a headline line)."""
    head = text[:within]
    return [0, *(m.end() for m in re.finditer(r"\n\s*\n", head))][:count]


def register_extensions() -> None:
    """Register Tacitus's ``Doc._`` extensions once per process; later calls do nothing."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


def guarded(stage: str) -> Callable:
    """Decorate a component's ``__call__`` so that, inside Tacitus's own pipeline, a failure on one doc
    is recorded in ``Doc._.tacitus_error`` and the later stages skip that doc, instead of an exception
    that would end the whole ``nlp.pipe`` stream (and every other article with it). Outside it (a user's
    own pipeline, where ``Doc._.tacitus_guard`` is unset) exceptions propagate as usual.
    """

    def wrap(call: Callable[[object, Doc], Doc]) -> Callable[[object, Doc], Doc]:
        @functools.wraps(call)
        def inner(self: object, doc: Doc) -> Doc:
            if not doc._.tacitus_guard:
                return call(self, doc)
            if doc._.tacitus_error:
                return doc
            try:
                with watch(doc, stage):  # the article's time budget (tacitus.watchdog)
                    return call(self, doc)
            except TimeBudgetExceeded as exc:
                doc._.tacitus_error = str(exc)
                doc._.tacitus_timed_out = True
                return doc
            except Exception as exc:  # noqa: BLE001 - reported per article by the pipeline
                doc._.tacitus_error = f"{stage} stage failed: {type(exc).__name__}: {exc}"
                return doc

        return inner

    return wrap


register_extensions()
