"""What makes an attribution: the cue-verb table (data) and the word sets that give a quote its type or
its shape (findings, documents, directives), and the punctuation patterns of speech without a verb."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from tacitus.errors import InvalidRuleFile

CUE_KINDS = {"speech", "act", "writing", "belief", "intention"}
# Sources whose attributions are findings, not speech: "a new poll shows", "the report says", "according to
# data from the Census Bureau" (lemmas of the source's head noun).
_FINDING_WORDS = (
    "poll polling survey report study research data document documents memo analysis figure figures "
    "statistic statistics census audit review investigation inquiry probe record filing estimate "
    "projection model forecast index tally count results result finding findings assessment"
)
FINDING_SOURCES = frozenset(_FINDING_WORDS.split())
# Verbs by which a finding states what it found, and documents that state findings as written records.
_SHOWING = frozenset({"show", "find", "suggest", "indicate", "reveal", "confirm"})
_DOCUMENT_WORDS = "email emails file files letter letters paper papers transcript transcripts photo video"
_DOCUMENTS = frozenset(_DOCUMENT_WORDS.split())
# Speech verbs that direct someone to act ("told X not to worry", "asked X to stop"): the act is the content.
_DIRECTIVES = frozenset({"tell", "ask", "urge", "warn", "advise", "order", "instruct", "encourage", "remind"})
# A paragraph that opens with a short name and a colon: "PENCE: Well, look, ..." / "Pat Caddell: Voters ..."
_SPEAKER_COLON = re.compile(
    r"(?:^|\n)(?P<name>[A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*){0,3})(?P<colon>:)[ \t]+(?P<content>[^\n]+)"
)
# A quotation signed after a dash, ending its paragraph: “...” — Sonya Herridge, 54, of Ohio
_DASH_SIGNATURE = re.compile(
    r"[ \t]*(?P<dash>[—―–]|--)[ \t]*(?P<name>[A-Z][\w.'’-]*(?:[ ][A-Z][\w.'’-]*){0,3})"
)


@lru_cache(maxsize=1)
def load_cues() -> dict[str, str]:
    """Load the cue-verb table (lemma -> kind), rejecting unknown kinds with file and line."""
    name = "cue_verbs.tsv"
    text = resources.files("tacitus.components").joinpath("data", name).read_text(encoding="utf-8")
    cues: dict[str, str] = {}
    header_seen = False
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if not header_seen:
            if cols != ["lemma", "kind"]:
                raise InvalidRuleFile(f"{name}:{lineno}: expected header 'lemma<TAB>kind', got {line!r}")
            header_seen = True
            continue
        if len(cols) != 2 or cols[1] not in CUE_KINDS:
            raise InvalidRuleFile(
                f"{name}:{lineno}: expected 'lemma<TAB>kind' with kind in {sorted(CUE_KINDS)}, got {line!r}"
            )
        cues[cols[0].strip().lower()] = cols[1]
    return cues
