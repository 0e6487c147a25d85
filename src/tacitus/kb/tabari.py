"""Reading TABARI/PETRARCH actor and agent dictionaries, and turning them into a user actor file.

The readers follow PETRARCH's reading of the TABARI format (openeventdata/petrarch2, PETRreader.py), the
reference implementation, with tolerance for the hand edits found in the Phoenix files. An actor
dictionary lists phrases and their CAMEO codes::

    BORIS_YELTSIN_                  # a primary phrase; primaries without codes that follow one another
    BORIS_N._YELTSIN                # are synonyms of one actor and share the codes that follow them
    +YELTSIN                        # a synonym
    [RUSGOV 910710-991231]          # a dated code: from the first day, until the second (exclusive)
    [RUSELI >991231]                # from this day on; [CODE <DATE] until this day; [CODE] undated

and an agent dictionary lists role words and the code they add to an actor's (``[~GOV]`` appends GOV:
a Russian minister is RUS + GOV; ``[IGO~]`` prefixes the actor's code), with substitution sets
(``!PERSON! = MAN, MEN, WOMAN``) and plurals (``{PLURAL}``, ``{}`` for none). ``#`` starts a comment,
``<!-- ... -->`` is a comment (over several lines too), and ``---STOP---`` ends an actor file.

``tools/build_kb.py`` builds the packaged knowledge base with these readers; ``tacitus actors import``
uses them with :func:`import_dictionaries` and :func:`to_yaml` to write a file for ``--actors``
(see :mod:`tacitus.kb.user`). What is skipped or repaired is counted in a :class:`Report`, by reason,
with file:line examples. Standard library only.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tacitus.errors import InvalidRuleFile, UnreadableInput
from tacitus.kb import _SECTOR_ONLY, normalize

__all__ = [
    "Imported",
    "RawCode",
    "RawGroup",
    "Report",
    "canonical_primary",
    "classify",
    "clean_phrase",
    "current_code",
    "dedupe_roles",
    "dictionary_kind",
    "expand_macros",
    "import_dictionaries",
    "natural_case",
    "parse_code",
    "parse_date",
    "read_actor_file",
    "read_agents",
    "read_dictionary_text",
    "repair_date",
    "strip_the",
    "to_yaml",
]


def _words(text: str) -> frozenset[str]:
    """A set of words written as one blank-separated string, which keeps long word lists readable."""
    return frozenset(text.split())


# Sectors of armed non-state actors: an entry whose current code has one is a group, not a person.
ARMED = _words("REB INS UAF SEP")

# Words that make a named actor an institution rather than a person. CountryInfo-derived entries are
# people except when their name says otherwise (ISLAMIC_REVOLUTIONARY_COUNCIL_ carries the person marker).
INSTITUTION_WORDS = _words(
    """
    ACADEMY ADMINISTRATION AGENCY AIRLINE AIRLINES ALLIANCE ARMY ASSEMBLY ASSOCIATION AUTHORITY BANK BOARD
    BRIGADE BRIGADES BUREAU CABINET CENTER CENTRE CHAMBER COALITION COLLEGE COMMAND COMMISSION COMMITTEE
    COMMUNITY COMPANY CONFEDERATION CONFERENCE CONGRESS CORPORATION CORPS COUNCIL COURT DEPARTMENT
    DIRECTORATE DIVISION DUMA EMBASSY FEDERATION FORCE FORCES FOUNDATION FRONT FUND GOVERNMENT GROUP GUARD
    HOUSE INSTITUTE INSTITUTION KREMLIN LEAGUE LEGION MILITARY MINISTRY MISSION MOVEMENT NAVY NETWORK
    OFFICE ORGANISATION ORGANIZATION PARLIAMENT PARTY POLICE POLITBURO PRESIDENCY PRESIDIUM PROGRAM
    PROGRAMME REGIME REPUBLIC SECRETARIAT SENATE SERVICE SERVICES SOCIETY SOVIET STAFF STATE TRIBUNAL UNION
    UNIVERSITY
    """
)

# A synonym starting with one of these ("+MR_ASSAD", "+LADY_ASHTON") makes an undated entry a person.
PERSON_TITLES = tuple(
    f"{t} "
    for t in sorted(
        _words(
            "MR MR. MRS MRS. MS MS. DR DR. SIR LADY LORD BARONESS PRESIDENT PREMIER SENATOR KING QUEEN PRINCE SHEIKH AYATOLLAH"
        )
    )
) + ("PRIME MINISTER ",)

# Short words kept lower case inside a name ("Bashar al-Assad", "Ministry of Defence").
PARTICLES = _words(
    "of the and for in on at to de del della des du da di la le les el al bin ibn van von der den y e und et"
    " upon"
)
# No-vowel words that are abbreviations written in title case, not acronyms.
TITLE_ABBREVIATIONS = _words("MR MRS MS DR ST JR SR LT SGT CPL PVT MT FT")
ROMAN_NUMERALS = _words("II III IV VI VII VIII IX XI XII XIII XIV XV XVI")
# Acronyms of four letters or more that the file writes like words; the shape rules below cannot tell
# NATO from PERU, so the few the news uses most are listed.
KNOWN_ACRONYMS = _words(
    "NATO OPEC ASEAN IAEA UNSC UNICEF UNESCO UNHCR UNRWA UNDP UNEP UNIFIL SCOTUS CENTCOM AFRICOM DARPA "
    "NASA NAFTA FIFA ECOWAS SADC USAID ISIS ISIL FARC UNITA SWAPO ANSF DPRK USSR OSCE MERCOSUR SEATO CENTO "
    "INTERPOL EUROPOL FRELIMO RENAMO AMISOM MONUSCO MINUSMA UNAMA UNAMI ICRC"
)

# A few stems survive from TABARI in the agents file ("COMMERCE_MINIST"); PETRARCH no longer stems, so
# they are expanded to the words they were meant to match.
AGENT_STEMS = {"MINIST": "!MINIST!", "COMPAN": "!COMPAN!"}
EXTRA_MACROS = {"COMPAN": ["COMPANY", "COMPANIES"]}

PREPOSITIONS = _words("of for to at in on from with without de")


# ----------------------------------------------------------------------------------------------------
# Reading the TABARI actor format


@dataclass
class RawCode:
    """One bracketed code as read: the code, its first day and its end (exclusive), and its line."""

    code: str
    start: dt.date | None
    end: dt.date | None
    line: int


@dataclass
class RawGroup:
    """One actor of an actor file: its primary phrases, synonyms and codes, as written (upper case)."""

    source: str
    line: int
    primaries: list[tuple[str, bool]] = field(default_factory=list)  # (phrase, has synonyms or code)
    synonyms: list[str] = field(default_factory=list)
    codes: list[RawCode] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    header_code: bool = False


class Report:
    """Counts of what was read and skipped, printed at the end so a change in the sources shows."""

    def __init__(self) -> None:
        """An empty report: nothing read, nothing skipped."""
        self.read: Counter[str] = Counter()
        self.skipped: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = defaultdict(list)

    def skip(self, reason: str, where: str) -> None:
        """Count one line (or phrase) skipped or repaired for ``reason``; keep the first three ``where``."""
        self.skipped[reason] += 1
        if len(self.examples[reason]) < 3:
            self.examples[reason].append(where)

    def print(self) -> None:
        """Print every count, with examples of what was skipped, to stdout."""
        print("read:")
        for key, n in sorted(self.read.items()):
            print(f"  {key:<48} {n:>7}")
        print("skipped or repaired:")
        for key, n in sorted(self.skipped.items()):
            print(f"  {key:<48} {n:>7}   e.g. {', '.join(self.examples[key])}")

    def skipped_summary(self, examples: int = 2) -> str:
        """What was skipped or repaired, on one line: "reason: N (e.g. file:line, ...); ...", most first."""
        parts = [
            f"{reason}: {n} (e.g. {', '.join(self.examples[reason][:examples])})"
            for reason, n in sorted(self.skipped.items(), key=lambda kv: (-kv[1], kv[0]))
        ]
        return "; ".join(parts)


DATE_RE = re.compile(r"^\d+$")


def parse_date(text: str) -> dt.date | None:
    """A TABARI date: YYMMDD (00-30 is 20YY, as in KEDS, TABARI and PETRARCH) or YYYYMMDD.

    Returns None when the digits do not make a date; the caller decides what to skip.
    """
    text = text.strip()
    if not DATE_RE.match(text):
        return None
    try:
        if len(text) == 6:
            year = int(text[:2])
            year += 2000 if year <= 30 else 1900
            return dt.date(year, int(text[2:4]), int(text[4:6]))
        if len(text) == 8:
            return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None
    return None


CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{2,}$")


def parse_code(body: str, where: str, report: Report) -> RawCode | None:
    """One bracketed code: ``CODE``, ``CODE >DATE``, ``CODE <DATE``, ``CODE D1-D2`` or ``CODE DATE``.

    ``where`` is "source:line"; a code that cannot be read is counted in ``report`` and None returned.
    """
    parts = body.split(None, 1)
    if not parts:
        report.skip("empty code brackets", where)
        return None
    code = parts[0]
    rest = parts[1].replace(" ", "") if len(parts) > 1 else ""
    line = int(where.rsplit(":", 1)[1])
    if code == "---":
        # TABARI's "no code": the phrase is known and deliberately not an actor (INDIAN_OCEAN).
        report.skip("code [---] (known non-actor)", where)
        return None
    if not CODE_RE.match(code):
        report.skip("malformed code", where)
        return None
    if not rest:
        return RawCode(code, None, None, line)
    if rest[0] in "<>":
        date = parse_date(rest[1:])
        if date is None:
            date = repair_date(rest[1:], where, report)
        if date is None:
            report.skip("code with unreadable date", where)
            return None
        return RawCode(code, None, date, line) if rest[0] == "<" else RawCode(code, date, None, line)
    if "-" in rest:
        a, _, b = rest.partition("-")
        start = parse_date(a) or repair_date(a, where, report)
        end = parse_date(b) or repair_date(b, where, report)
        if start is None or end is None:
            report.skip("code with unreadable date", where)
            return None
        if end < start:
            # PETRARCH skips these too: the interval is empty, and guessing which end is wrong is worse.
            report.skip("code whose end date precedes its start", where)
            return None
        return RawCode(code, start, end, line)
    date = parse_date(rest) or repair_date(rest, where, report)
    if date is None:
        report.skip("code with unreadable date", where)
        return None
    # A bare date ("[MNEGOV 20121204]", "[USAGOV 19820101] # entered Foreign Service") is a start date.
    report.skip("bare date read as a start date (repaired)", where)
    return RawCode(code, date, None, line)


def repair_date(text: str, where: str, report: Report) -> dt.date | None:
    """Dates mistyped with a doubled century ("1920030320" for 20030320) are read from their last 8 digits."""
    text = text.strip()
    if len(text) == 10 and text.isdigit():
        date = parse_date(text[2:])
        if date is not None:
            report.skip("ten-digit date read from its last 8 digits (repaired)", where)
            return date
    return None


def clean_phrase(text: str) -> str:
    """TABARI phrase to natural text: underscores and runs of blanks become one space."""
    text = text.replace("_", " ")
    return " ".join(text.split())


def _content_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) for the lines PETRARCH reads: XML-style comments are left out.

    As in PETRARCH's read_FIN_line, a line starting with ``<!`` is a comment, a ``<!-- ... -->`` inside a
    line is removed, and a ``<!--`` left open runs to the line holding ``-->``. Blank and ``#`` lines are
    left to the readers, which count what they read.
    """
    in_comment = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        if in_comment:
            in_comment = "-->" not in raw
            continue
        if "<!" in raw:
            stripped = raw.strip()
            while "<!--" in raw and "-->" in raw.partition("<!--")[2]:
                head, _, tail = raw.partition("<!--")
                raw = head + tail.partition("-->")[2]
            if stripped.startswith("<!"):
                rest = stripped[2:].lstrip()
                in_comment = rest.startswith("--") and "-->" not in rest[2:]
                continue
            if "<!--" in raw:
                raw = raw.partition("<!--")[0]
                in_comment = True
        yield lineno, raw


def read_actor_file(
    path: Path,
    source: str,
    report: Report,
    text: str | None = None,
    *,
    bracket_ends_actor: bool = False,
) -> list[RawGroup]:
    """Read a TABARI actor dictionary into groups of phrases sharing one list of codes.

    PETRARCH's rule is followed: a primary line (not ``+``, not a code line) starts a new actor only when
    the current one already has a code, so consecutive primary lines without codes ("BORIS_YELTSIN_",
    "BORIS_N._YELTSIN", "YELTSIN") are synonyms of one actor and share the codes that follow them.
    ``source`` names the file in the report ("source:line"); ``text`` is the file's text if already read.

    With ``bracket_ends_actor``, an actor "has a code" once any bracket was written for it, as in
    PETRARCH, even one skipped here ([---], a malformed code or date): "INDIAN_OCEAN [---]" then
    "LOK_SABHA [INDGOVLEG]" are two actors, not one. Without it (tools/build_kb.py, whose committed data
    was built that way) only a code read counts, and the next primary joins the actor that lost its code.
    """
    groups: list[RawGroup] = []
    current: RawGroup | None = None
    bracketed = False  # a code was written for the current actor, read or not
    if text is None:
        text = path.read_text(encoding="utf-8")
    for lineno, raw in _content_lines(text):
        where = f"{source}:{lineno}"
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        report.read[f"{source}: lines"] += 1
        body, _, comment = stripped.partition("#")
        body = body.strip()
        comment = comment.strip()
        if "---STOP---" in body:
            break
        if not body:
            continue
        if body.startswith("["):
            if current is None:
                report.skip("code line before any actor", where)
                continue
            bracketed = True
            for inner in re.findall(r"\[([^\]]*)\]", body):
                code = parse_code(inner, where, report)
                if code is not None:
                    current.codes.append(code)
            continue
        if body.startswith("+"):
            if current is None:
                report.skip("synonym before any actor", where)
                continue
            body = body.partition(";")[0]
            # "+A_+_B_" (two synonyms typed on one line) is read as two synonyms
            pieces = [p for p in body.split("+") if p.strip()]
            if len(pieces) > 1:
                report.skip("several synonyms on one line (split)", where)
            for piece in pieces:
                if "[" in piece:
                    report.skip("code on a synonym line (ignored)", where)
                    piece = piece.partition("[")[0]
                phrase = clean_phrase(piece)
                if phrase:
                    current.synonyms.append(phrase)
                    if current.primaries:
                        current.primaries[-1] = (current.primaries[-1][0], True)
            continue
        if raw[:1].isspace():
            report.skip("indented primary line (read as primary)", where)
        name_part, bracket, code_part = body.partition("[")
        if current is None or current.codes or (bracket_ends_actor and bracketed):
            current = RawGroup(source=source, line=lineno)
            groups.append(current)
            bracketed = False
        bracketed = bracketed or bool(bracket)
        phrase = clean_phrase(name_part)
        if comment:
            current.comments.append(comment)
        if bracket:
            for inner in re.findall(r"\[([^\]]*)\]", "[" + code_part):
                code = parse_code(inner, where, report)
                if code is not None:
                    current.codes.append(code)
                    current.header_code = True
        if phrase:
            current.primaries.append((phrase, bool(bracket)))
        else:
            report.skip("primary line without a phrase", where)
    return groups


# ----------------------------------------------------------------------------------------------------
# Natural text


def natural_case(phrase: str, acronyms: frozenset[str] = frozenset()) -> str:
    """Upper-case TABARI phrase to the case a newspaper would print ("KIM_JONG-UN" -> "Kim Jong-Un").

    Acronyms stay upper case: words with dots or digits, words without vowels (DPRK), short one-word forms
    (US, UN, FSB), known ones (NATO) and any word in ``acronyms``.
    """
    words = phrase.split(" ")
    single = len(words) == 1
    out = []
    for i, word in enumerate(words):
        out.append(_case_word(word, first=i == 0, single=single, acronyms=acronyms))
    return " ".join(out)


def _is_acronym(word: str, single: bool, acronyms: frozenset[str], first: bool = True) -> bool:
    letters = re.sub(r"[^A-Z]", "", word.upper())
    if not letters or letters in TITLE_ABBREVIATIONS:
        return False
    if word in acronyms or letters in KNOWN_ACRONYMS or (word in ROMAN_NUMERALS and not first):
        return True
    if "." in word or any(ch.isdigit() for ch in word):
        return True
    if word.isalpha() and not re.search(r"[AEIOUY]", word):
        return True
    return single and word.isalpha() and len(word) <= 3 and word.lower() not in PARTICLES


def _case_word(word: str, first: bool, single: bool, acronyms: frozenset[str]) -> str:
    if not word or not any(ch.isalpha() for ch in word):
        return word
    if word != word.upper():  # already mixed case in the source ("UN_Secy_Gen")
        return word
    core = word.strip("()\"'[],-")
    if core != word and core:  # "(SUPREME" -> "(Supreme", "(US)" -> "(US)"
        start = word.index(core)
        return word[:start] + _case_word(core, first, single, acronyms) + word[start + len(core) :]
    if _is_acronym(word, single, acronyms, first):
        return word
    if "-" in word:
        # "AL-ASSAD" -> "al-Assad" inside a name, "Al-Qaeda" at its start
        parts = word.split("-")
        return "-".join(
            _case_word(p, first=first and j == 0, single=False, acronyms=acronyms)
            for j, p in enumerate(parts)
        )
    lower = word.lower()
    if not first and lower in PARTICLES:
        return lower
    pieces = lower.split("'")
    cased = [pieces[0][:1].upper() + pieces[0][1:]]
    for prev, piece in zip(pieces, pieces[1:], strict=False):
        # "D'IVOIRE" -> "D'Ivoire", "PEOPLE'S" -> "People's"
        cased.append(piece[:1].upper() + piece[1:] if len(prev) == 1 else piece)
    result = "'".join(cased)
    if result.startswith("Mc") and len(result) > 2:
        result = "Mc" + result[2:3].upper() + result[3:]
    return result


def acronyms_of(groups: Iterable[RawGroup]) -> frozenset[str]:
    """Short words written alone as a phrase ("+US_", "+UN_"): acronyms, for :func:`natural_case`.

    Remembering them makes "US_CONGRESS" print as "US Congress" rather than "Us Congress".
    """
    found = set()
    for g in groups:
        for phrase in [p for p, _ in g.primaries] + g.synonyms:
            if " " not in phrase and _is_acronym(phrase, True, frozenset()) and phrase.isalpha():
                found.add(phrase)
    return frozenset(found)


def strip_the(phrase: str) -> str:
    """A phrase without a leading "THE " ("THE_AU" names the AU), unless "THE" is all of it."""
    return phrase[4:] if phrase.upper().startswith("THE ") and len(phrase) > 4 else phrase


# ----------------------------------------------------------------------------------------------------
# What a group is


def current_code(codes: list[RawCode]) -> str | None:
    """The code that holds at the end of the record: mirrors KnowledgeBase's choice for on=None."""
    open_ended = [c for c in codes if c.start is not None and c.end is None]
    if open_ended:
        return max(open_ended, key=lambda c: c.start).code
    defaults = [c for c in codes if c.start is None and c.end is None]
    if defaults:
        return defaults[0].code
    if codes:
        return max(codes, key=lambda c: (c.end or dt.date.min, c.start or dt.date.min)).code
    return None


def classify(group: RawGroup, words: set[str]) -> str:
    """kind of a non-country group: person, organization, igo or group (armed non-state actor).

    The files do not say; the evidence is the CountryInfo/IGOrulers markers on leaders' lines, a title in
    a synonym ("+MR_ASSAD"), dated codes (posts are dated, institutions mostly are not) and words such as
    COUNCIL or STATE in the name. A one-word name with dated codes ("HEZBOLLAH") is not taken for a person.
    """
    codes = group.codes
    dated = any(c.start or c.end for c in codes)
    person_marker = any("CountryInfo" in c or "IGOrulers" in c for c in group.comments)
    institution = bool(words & INSTITUTION_WORDS)
    titled = any(s.upper().startswith(PERSON_TITLES) for s in group.synonyms)
    if group.source == "milnonstate":
        # this file lists leaders as synonyms of their group ("+SHEIKH_HASSAN_NASRALLAH" under HEZBOLLAH_)
        return "group"
    if not institution and (person_marker or titled):
        return "person"
    prefix = current_code(codes) or ""
    armed = prefix.startswith("IMG") or any(prefix[i : i + 3] in ARMED for i in range(3, len(prefix) - 2, 3))
    if not institution and dated and len(words) > 1 and not armed:
        return "person"
    if prefix.startswith("IGO"):
        return "igo"
    if armed:
        return "group"
    return "organization"


def canonical_primary(group: RawGroup) -> str:
    """The group's main name: the first primary phrase that carries synonyms or the code."""
    # In a run of primary lines without codes, the line that carries synonyms or the code is the main
    # name ("U.N." followed by "UN_SECRETARY_GENERAL +..." is the Secretary-General's entry).
    for phrase, main in group.primaries:
        if main:
            return phrase
    return group.primaries[0][0]


# ----------------------------------------------------------------------------------------------------
# Agents: role words


def pluralize_word(word: str) -> str | None:
    """The plural of an English noun, or None when it is plural already ("MINISTERS", "POLICE")."""
    lower = word.lower()
    if lower.endswith(("man",)) and lower not in (
        "human",
        "german",
        "roman",
        "shaman",
        "ottoman",
        "talisman",
    ):
        return word[:-3] + ("MEN" if word.isupper() else "men")
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return None  # already plural ("MINISTERS", "AFFAIRS")
    if lower.endswith(("men", "people", "police", "staff", "personnel")):
        return None
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + "IES"
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return word + "ES"
    return word + "S"


def pluralize_phrase(words: list[str]) -> list[str] | None:
    """Plural of a role phrase: its head noun, the word before the first preposition or the last word."""
    head = len(words) - 1
    for i, w in enumerate(words[1:], start=1):
        if w.lower() in PREPOSITIONS:
            head = i - 1
            break
    plural = pluralize_word(words[head])
    if plural is None:
        return None
    return words[:head] + [plural] + words[head + 1 :]


def read_agents(
    path: Path,
    report: Report,
    *,
    source: str = "agents",
    extra_roles: Iterable[tuple[str, str]] = (),
    text: str | None = None,
    lines: dict[str, str] | None = None,
) -> list[tuple[str, str, str]]:
    """Read a TABARI agents file into (phrase, sector, source) rows, macros and plurals expanded.

    Follows PETRARCH's read_agent_dictionary: ``!NAME! = A, B`` defines a substitution set, ``{PLURAL}``
    gives the plural and ``{}`` says there is none; otherwise the regular plural is generated (with the
    -man/-men and vowel+y cases PETRARCH gets wrong, e.g. "ENVOY" -> "ENVOYS"). Only ``[~CODE]`` agents
    are read, as the sector CODE they add after an actor's code; ``[CODE~]`` ones (IGO~, NGO~) make
    the actor international rather than give it a sector, and are counted as skipped. ``source`` names the
    file in the rows and the report ("source:line"); ``extra_roles`` are (phrase, sector) pairs of the
    caller's own, read after the file with its substitution sets and given the source "tacitus".
    ``lines``, if given, is filled with the "source:line" each phrase was first read from.
    """
    macros: dict[str, list[str]] = dict(EXTRA_MACROS)
    rows: list[tuple[str, str, str]] = []
    if text is None:
        text = path.read_text(encoding="utf-8")
    for lineno, raw in _content_lines(text):
        where = f"{source}:{lineno}"
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        body = stripped.partition("#")[0].strip()
        report.read["agents: lines"] += 1
        if "!" in body and "=" in body:
            m = re.match(r"!([A-Z]+)!\s*=\s*(.*)$", body)
            if not m:
                report.skip("agents: malformed substitution set", where)
                continue
            macros[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
            continue
        if "[" not in body:
            report.skip("agents: line without a code", where)
            continue
        phrase_part, _, code_part = body.partition("[")
        code = code_part.partition("]")[0].strip()
        if code.endswith("}") and "]" not in code_part:
            # "[~ENV}" (Phoenix.agents.txt): a brace typed for the bracket
            report.skip("agents: code closed by '}' (repaired)", where)
            code = code[:-1].strip()
        if "~" not in code:
            report.skip("agents: code without '~' (an actor code?)", where)
            continue
        if not code.startswith("~"):
            # "[IGO~]" makes the agent an international actor of whatever it attaches to; it is not a
            # sector of a country, which is all a role can say here.
            report.skip("agents: code is not a sector ([IGO~])", where)
            continue
        sector = code[1:].strip()
        plural_given: str | None = None
        if "{" in phrase_part:
            if "}" not in phrase_part:
                report.skip("agents: missing '}'", where)
                continue
            plural_given = phrase_part[phrase_part.find("{") + 1 : phrase_part.find("}")].strip()
            phrase_part = phrase_part[: phrase_part.find("{")]
        phrase_part = phrase_part.strip()
        for stem, macro in AGENT_STEMS.items():
            phrase_part = re.sub(rf"(?<![A-Z!]){stem}(?![A-Z!])", macro, phrase_part)
        variants = expand_macros(phrase_part, macros, where, report)
        for variant in variants:
            words = clean_phrase(variant).split()
            if not words:
                continue
            rows.append((" ".join(words).lower(), sector, source))
            if lines is not None:
                lines.setdefault(rows[-1][0], where)
            if "!" in phrase_part:
                continue  # the substitution set lists its own plurals (MINISTER, MINISTERS)
            if plural_given is not None:
                if plural_given:
                    rows.append((clean_phrase(plural_given).lower(), sector, source))
            elif plural := pluralize_phrase(words):
                rows.append((" ".join(plural).lower(), sector, source))
            if lines is not None:
                lines.setdefault(rows[-1][0], where)
    for phrase, sector in extra_roles:
        for variant in expand_macros(phrase.upper(), macros, "tool", report):
            words = clean_phrase(variant).split()
            rows.append((" ".join(words).lower(), sector, "tacitus"))
            if "!" not in phrase:
                plural = pluralize_phrase(words)
                if plural:
                    rows.append((" ".join(plural).lower(), sector, "tacitus"))
    return rows


def expand_macros(phrase: str, macros: dict[str, list[str]], where: str, report: Report) -> list[str]:
    """Every phrase ``phrase`` stands for, its ``!NAME!`` markers replaced by each word of their set.

    A marker without a set is counted in ``report`` and gives no phrase.
    """
    m = re.search(r"!([A-Z]+)!", phrase)
    if not m:
        return [phrase]
    if m.group(1) not in macros:
        report.skip("agents: unknown substitution set", where)
        return []
    out = []
    for sub in macros[m.group(1)]:
        out += expand_macros(phrase[: m.start()] + sub + phrase[m.end() :], macros, where, report)
    return out


def dedupe_roles(rows: list[tuple[str, str, str]], report: Report) -> list[tuple[str, str, str]]:
    """One row per phrase, sorted: a "tacitus" row wins over a file's, else the first row read wins."""
    # The tool's own lines override the agents file (that is why they exist); within the agents file the
    # first line wins, as in PETRARCH.
    chosen: dict[str, tuple[str, str, str]] = {}
    for row in rows:
        phrase = row[0]
        if phrase in chosen:
            old = chosen[phrase]
            if row[2] == "tacitus" and old[2] != "tacitus":
                chosen[phrase] = row
            elif old[1] != row[1]:
                report.skip("agents: phrase listed with two sectors (first kept)", f"{phrase}")
            continue
        chosen[phrase] = row
    return sorted(chosen.values())


# ----------------------------------------------------------------------------------------------------
# Importing dictionaries as a user actor file (tacitus actors import)

# What looks like a TABARI code inside brackets: "RUS", "HOB < 950601", "~GOV", " NGO~", "ELR/GAL", "---".
_CODE_LIKE = re.compile(r"^\s*(~?\s*[A-Za-z0-9/]{3,}\s*~?|-{3}|\+{3})(\s|$)")
# The codes a user actor file holds (tacitus.kb.user): 3-letter groups; a longer code is not CAMEO.
_USER_CODE = re.compile(r"^[A-Z]{3}(?:[A-Z]{3}|[0-9]{3})*$")
# A bare 3-letter code names a country unless it is one of these international or unknown prefixes.
_NOT_COUNTRIES = _words("IGO NGO IMG MNC UIS UNK UNO")


def read_dictionary_text(path: Path) -> str:
    """The text of a dictionary file, or an error naming the file and what to do.

    Raises :class:`UnreadableInput` for a missing, unreadable, binary or non-UTF-8 file.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(
            f"{path}: no such file; give the path of a TABARI actor or agent dictionary"
        ) from None
    except IsADirectoryError:
        raise UnreadableInput(f"{path}: a folder, not a file; give the dictionary files in it") from None
    except OSError as exc:
        raise UnreadableInput(f"{path}: cannot be read ({exc.strerror}); check its permissions") from None
    if b"\x00" in data[:65536]:
        raise UnreadableInput(
            f"{path}: a binary file, not a TABARI dictionary; give a text .actors.txt or .agents.txt file"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnreadableInput(
            f"{path}:{line}: not UTF-8 text; convert the file first (e.g. iconv -f cp1252 -t utf-8)"
        ) from None


def dictionary_kind(text: str) -> str | None:
    """Which dictionary ``text`` is, as its codes say: "actors", "agents", or None if no line has a code.

    PETRARCH needs a ``~`` in every agent code, to know on which side of an actor's code the agent's goes
    (``[~GOV]``, ``[IGO~]``), and an actor code never has one, so the codes say which kind a file is; so
    do substitution sets (``!PERSON! = MAN, MEN``), which only agent files have. The majority decides,
    so that a stray code of the other kind does not turn a file around.
    """
    agents = actors = 0
    for _, raw in _content_lines(text):
        body = raw.strip()
        if not body or body.startswith("#"):
            continue
        body = body.partition("#")[0]
        if "---STOP---" in body:
            break
        if re.match(r"^!\w+!\s*=", body):
            agents += 1
            continue
        for inner in re.findall(r"\[([^\]]*)\]", body):
            if _CODE_LIKE.match(inner):
                if "~" in inner:
                    agents += 1
                else:
                    actors += 1
    if agents == actors == 0:
        return None
    return "agents" if agents > actors else "actors"


@dataclass
class Imported:
    """What :func:`import_dictionaries` read: user-file entries and roles, and each file's kind."""

    entries: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    files: list[tuple[Path, str]] = field(default_factory=list)


def import_dictionaries(paths: Sequence[Path | str], report: Report) -> Imported:
    """Read TABARI actor and agent dictionaries (the kind of each told by its codes) for a user file.

    Actors become entries as :mod:`tacitus.kb.user` reads them: ``name`` (the main phrase in natural
    case), ``codes`` (``{code, from, until}``: TABARI's end dates are exclusive and so is ``until``) or
    ``code`` for a single undated code, ``kind`` (guessed: see :func:`group_kind`), ``names`` (the other
    phrases) and ``source`` ("file:line", for a comment). Agents become roles ``{role, code}``:
    the phrase in lower case, macros and plurals expanded, and the sector code without its ``~``; where
    several files or lines give a phrase, the first wins, as in PETRARCH. Codes a
    user file cannot hold ([---], codes not made of 3-letter groups) and lines PETRARCH would not read are
    counted in ``report`` by reason. Raises :class:`UnreadableInput` for a file that cannot be read and
    :class:`InvalidRuleFile` for one that is not a TABARI dictionary.
    """
    result = Imported()
    groups: list[RawGroup] = []
    role_rows: list[tuple[str, str, str]] = []
    role_lines: dict[str, str] = {}
    for path in map(Path, paths):
        text = read_dictionary_text(path)
        kind = dictionary_kind(text)
        if kind is None:
            raise InvalidRuleFile(
                f"{path}: not a TABARI actor or agent dictionary (no line has a [CODE]); give a file with "
                "lines like RUSSIA [RUS] or FOREIGN_MINISTER [~GOV]"
            )
        result.files.append((path, kind))
        if kind == "agents":
            rows = read_agents(path, report, source=str(path), text=text, lines=role_lines)
            role_rows += rows
            report.read["roles read"] += len(rows)
        else:
            found = read_actor_file(path, str(path), report, text=text, bracket_ends_actor=True)
            report.read["actors read"] += len(found)
            groups += found
    bad_lines = set()
    for phrase, sector, source in dedupe_roles(role_rows, report):
        if not _USER_CODE.match(sector):
            where = role_lines.get(phrase, source)
            if where not in bad_lines:  # a line's singular and plural are one mistake
                bad_lines.add(where)
                report.skip("agents: code not made of 3-letter groups", where)
            continue
        result.roles.append({"role": phrase, "code": sector})
    acronyms = acronyms_of(groups)
    for group in groups:
        entry = group_entry(group, acronyms, report)
        if entry is not None:
            result.entries.append(entry)
    return result


def group_kind(group: RawGroup) -> str:
    """A user-file kind for an actor group: country, person, organization, igo or group.

    A group whose codes are all bare 3-letter codes (RUS, not IGO or a sector alone) is a country, one
    whose main phrase starts with a title (PRESIDENT_, MR_) a person; otherwise :func:`classify` guesses
    from the codes, comments and words, as for the packaged data.
    """
    codes = [c.code for c in group.codes]
    if codes and all(len(c) == 3 and c not in _NOT_COUNTRIES and c not in _SECTOR_ONLY for c in codes):
        return "country"
    primary = canonical_primary(group).upper()
    words = set(re.findall(r"[A-Z]+", primary))
    if f"{primary} ".startswith(PERSON_TITLES) and not words & INSTITUTION_WORDS:
        return "person"  # "PRESIDENT_GEORGE_W._BUSH"; classify() looks for titles in synonyms only
    return classify(group, words)


def group_entry(group: RawGroup, acronyms: frozenset[str], report: Report) -> dict[str, Any] | None:
    """One actor group as a user-file entry (see :func:`import_dictionaries`), or None if unusable."""
    where = f"{group.source}:{group.line}"
    codes: list[dict[str, str | None]] = []
    seen = set()
    for c in group.codes:
        if not _USER_CODE.match(c.code):
            report.skip("code not made of 3-letter groups", f"{group.source}:{c.line}")
            continue
        key = (c.code, c.start, c.end)
        if key not in seen:
            seen.add(key)
            codes.append(
                {
                    "code": c.code,
                    "from": c.start.isoformat() if c.start else None,
                    "until": c.end.isoformat() if c.end else None,
                }
            )
    if not codes:
        report.skip("actor without a usable code", where)
        return None
    if not group.primaries:
        report.skip("actor without a name", where)
        return None
    name = natural_case(strip_the(canonical_primary(group)), acronyms)
    seen_forms = {name.casefold()}
    names = []
    for phrase in [p for p, _ in group.primaries] + group.synonyms:
        form = natural_case(phrase, acronyms)
        if form.casefold() not in seen_forms and normalize(form):
            seen_forms.add(form.casefold())
            names.append(form)
    entry: dict[str, Any] = {"name": name}
    if len(codes) == 1 and codes[0]["from"] is None and codes[0]["until"] is None:
        entry["code"] = codes[0]["code"]
    else:
        entry["codes"] = codes
    entry["kind"] = group_kind(group)
    if names:
        entry["names"] = names
    entry["source"] = where
    return entry


# YAML words a plain scalar must not be (they would load as booleans or null)
_YAML_WORDS = _words("true false yes no on off null y n ~")
_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .'()&/_-]*$")


def _scalar(text: str) -> str:
    """A string as YAML: plain when it cannot be misread, else double-quoted (JSON's escapes are YAML's)."""
    if _PLAIN.match(text) and text.lower() not in _YAML_WORDS and not text.endswith((" ", ":")):
        return text
    return json.dumps(text, ensure_ascii=False)


def to_yaml(imported: Imported) -> str:
    """The user actor file for ``--actors``: a header, then one entry per actor and one line per role.

    Each entry's first line ends with a comment naming the TABARI file and line it comes from.
    """
    lines = ["# Actor entries and role words imported by `tacitus actors import` from:"]
    lines += [f"#   {path} ({kind})" for path, kind in imported.files]
    lines += [
        "# Use it with --actors FILE; its entries and roles win over the packaged knowledge base's.",
        "# A code holds from `from` (inclusive) until `until` (exclusive), as TABARI dates do; `kind` is",
        "# guessed from the codes and words (person, organization, igo, group, country): check it.",
    ]
    for e in imported.entries:
        lines.append(f"- name: {_scalar(e['name'])}  # {e['source']}")
        if "code" in e:
            lines.append(f"  code: {_scalar(e['code'])}")
        else:
            lines.append("  codes:")
            for c in e["codes"]:
                parts = [f"code: {_scalar(c['code'])}"]
                parts += [f"{key}: {c[key]}" for key in ("from", "until") if c[key]]
                lines.append(f"    - {{{', '.join(parts)}}}")
        lines.append(f"  kind: {e['kind']}")
        if e.get("names"):
            lines.append(f"  names: [{', '.join(_scalar(n) for n in e['names'])}]")
    for r in imported.roles:
        lines.append(f"- {{role: {_scalar(r['role'])}, code: {_scalar(r['code'])}}}")
    return "\n".join(lines) + "\n"
