#!/usr/bin/env python3
"""Build ``src/tacitus/ontology/data/cameo.tsv`` from the third-party tables in ``../shared/resources``.

One row per CAMEO event code (2-, 3- and 4-digit), sorted by code, with its name, Goldstein score, GDELT
quad class, and PLOVER event type and mode. Sources:

- ``cameo/CAMEO.goldsteinscale.txt``: GDELT's Goldstein lookup (public codebook). It is the reference list
  of CAMEO codes.
- ``plover/CAMEO2PLOVER-2021.txt``: the CAMEO->PLOVER table (PLOVER draft 0.8, Open Event Data Alliance,
  CC BY-SA 4.0 per the PLOVER README). Its comments give the code names.
- ``plover/PLOVER_structured_codebook_updated.csv``: the modes PLOVER defines for each event type, used to
  drop modes the mapping table assigns but PLOVER does not define.
- ``phoenix/CAMEO.2.0.txt``: the PETRARCH-2 verb dictionary (MIT, Open Event Data Alliance); the codes its
  patterns emit are added so that every code a Phoenix-derived pattern can produce has a row.
- ``cameo/GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv``: only cited, for the QuadClass definition.

Usage: ``python tools/build_ontology.py [--resources DIR] [--output FILE]``. The output is deterministic:
running it twice on the same resources gives the same bytes (a test checks the committed file).
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RESOURCES = REPO.parent / "shared" / "resources"
DEFAULT_OUTPUT = REPO / "src" / "tacitus" / "ontology" / "data" / "cameo.tsv"

GOLDSTEIN_FILE = Path("cameo/CAMEO.goldsteinscale.txt")
PLOVER_FILE = Path("plover/CAMEO2PLOVER-2021.txt")
CODEBOOK_FILE = Path("plover/PLOVER_structured_codebook_updated.csv")
VERBS_FILE = Path("phoenix/CAMEO.2.0.txt")

COLUMNS = ("code", "name", "goldstein", "quad_class", "plover", "plover_mode")

# No resource names the 20 root categories (CAMEO2PLOVER's root lines carry a PLOVER type, not a CAMEO
# name), so these are written from the public CAMEO manual (Schrodt, v1.1b3, 2012), upper case as there.
ROOT_NAMES = {
    "01": "MAKE PUBLIC STATEMENT",
    "02": "APPEAL",
    "03": "EXPRESS INTENT TO COOPERATE",
    "04": "CONSULT",
    "05": "ENGAGE IN DIPLOMATIC COOPERATION",
    "06": "ENGAGE IN MATERIAL COOPERATION",
    "07": "PROVIDE AID",
    "08": "YIELD",
    "09": "INVESTIGATE",
    "10": "DEMAND",
    "11": "DISAPPROVE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "EXHIBIT FORCE POSTURE",
    "16": "REDUCE RELATIONS",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "FIGHT",
    "20": "USE UNCONVENTIONAL MASS VIOLENCE",
}

# PLOVER drops CAMEO's roots 01 (statements) and 02 (appeals), so CAMEO2PLOVER names none of their codes;
# Tacitus codes them (a claim of responsibility, a call on others to negotiate), so they are named here from
# the same public CAMEO manual (Schrodt, v1.1b3, 2012), word for word. They have no PLOVER type.
STATEMENT_APPEAL_NAMES = {
    "010": "Make statement, not specified below",
    "011": "Decline comment",
    "012": "Make pessimistic comment",
    "013": "Make optimistic comment",
    "014": "Consider policy option",
    "015": "Acknowledge or claim responsibility",
    "016": "Deny responsibility",
    "017": "Engage in symbolic act",
    "018": "Make empathetic comment",
    "019": "Express accord",
    "020": "Make an appeal or request, not specified below",
    "021": "Appeal for material cooperation, not specified below",
    "0211": "Appeal for economic cooperation",
    "0212": "Appeal for military cooperation",
    "0213": "Appeal for judicial cooperation",
    "0214": "Appeal for intelligence",
    "022": "Appeal for diplomatic cooperation, such as policy support",
    "023": "Appeal for aid, not specified below",
    "0231": "Appeal for economic aid",
    "0232": "Appeal for military aid",
    "0233": "Appeal for humanitarian aid",
    "0234": "Appeal for military protection or peacekeeping",
    "024": "Appeal for political reform, not specified below",
    "0241": "Appeal for change in leadership",
    "0242": "Appeal for policy change",
    "0243": "Appeal for rights",
    "0244": "Appeal for change in institutions, regime",
    "025": "Appeal to yield, not specified below",
    "0251": "Appeal for easing of administrative sanctions",
    "0252": "Appeal for easing of popular dissent",
    "0253": "Appeal for release of persons or property",
    "0254": "Appeal for easing of economic sanctions, boycott, or embargo",
    "0255": "Appeal for target to allow international involvement (non-mediation)",
    "0256": "Appeal for de-escalation of military engagement",
    "026": "Appeal to others to meet or negotiate",
    "027": "Appeal to others to settle dispute",
    "028": "Appeal to others to engage in or accept mediation",
}

# Spelling slips in CAMEO2PLOVER's comments, corrected word for word (the names are otherwise verbatim).
TYPOS = {"Apolgize": "Apologize", "adminstrative": "administrative", "Ostruct": "Obstruct"}

# An editor's dated note appended to a comment, e.g. `# Ease curfew  21.09.17: "ease" is no longer a mode`.
EDITOR_NOTE = re.compile(r" \d{2}\.\d{2}\.\d{2}:.*$")
CODE = re.compile(r"^\d{2,4}$")
PLOVER_LINE = re.compile(r"^(\d{2,4}):(.*)$")
VERB_CODE = re.compile(r"\[(\d{2,4})(?::(\d{2,4}))?\]")
TRANSFORMATION_CODE = re.compile(r"^~.*=\s*\S+\s+\S+\s+(\d{2,4})\s*$")

HEADER = """\
# CAMEO event codes: name, Goldstein score, GDELT quad class, PLOVER event type and mode.
# Generated by tools/build_ontology.py from ../shared/resources: do not edit by hand, rerun the tool.
# An empty cell means unknown: no source gives a value, and none is guessed.
# code: every code in GDELT's Goldstein lookup, in CAMEO2PLOVER-2021.txt, or emitted by a pattern of
#   the Phoenix CAMEO.2.0 verb dictionary (PETRARCH-2; MIT, (c) 2015 Open Event Data Alliance).
# goldstein: GDELT CAMEO.goldsteinscale.txt (GDELT 2.0 event codebook, public).
# quad_class: from the root code, as GDELT 2.0 defines QuadClass (1 verbal cooperation: roots 01-05,
#   2 material cooperation: 06-08, 3 verbal conflict: 09-13, 4 material conflict: 14-20).
# plover, plover_mode: CAMEO2PLOVER-2021.txt (PLOVER draft 0.8, 17 Sep 2021, ed. Philip Schrodt, Open Event
#   Data Alliance, CC BY-SA 4.0 as stated in the PLOVER README); a mode is kept only when
#   PLOVER_structured_codebook_updated.csv (same project and licence) defines it for that event type.
# name: the comments of CAMEO2PLOVER-2021.txt, with three spelling slips corrected; the names of the 20
#   root codes are not in any source and were written by hand from the public CAMEO manual (v1.1b3).
# Licence: this table adapts CC BY-SA 4.0 material (PLOVER) and is distributed under CC BY-SA 4.0.
"""


@dataclass
class Report:
    """What the build saw, kept to print at the end (nothing is dropped silently)."""

    skipped: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PloverEntry:
    category: str
    mode: str
    name: str
    line: int


def read_goldstein(path: Path, report: Report) -> dict[str, float]:
    """Read GDELT's two-column lookup, keeping every well-formed code and reporting the rest."""
    scores: dict[str, float] = {}
    lines = path.read_text(encoding="ascii").splitlines()
    if not lines or lines[0].split("\t") != ["CAMEOEVENTCODE", "GOLDSTEINSCALE"]:
        raise SystemExit(f"{path}:1: unexpected header {lines[:1]!r}")
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split("\t")
        try:
            code, value = parts
            score = float(value)
        except ValueError:
            report.skipped.append(f"{path.name}:{number}: not 'code<TAB>score': {line!r}")
            continue
        if not CODE.match(code) or not -10.0 <= score <= 10.0:
            report.skipped.append(f"{path.name}:{number}: bad code or score out of [-10, 10]: {line!r}")
        elif code in scores:
            report.skipped.append(f"{path.name}:{number}: duplicate code {code}, first value kept")
        else:
            scores[code] = score
    return scores


def clean_name(raw: str, category: str, code: str, report: Report) -> str:
    """Turn a CAMEO2PLOVER comment into a code name, saying what was changed."""
    name = " ".join(raw.split())  # also keeps tabs out of the TSV
    stripped = EDITOR_NOTE.sub("", name)
    if stripped != name:
        report.notes.append(f"{code}: editor's note removed from name: {name[len(stripped) :].strip()!r}")
        name = stripped
    for wrong, right in TYPOS.items():
        if wrong in name:
            name = name.replace(wrong, right)
            report.notes.append(f"{code}: name spelling corrected: {wrong!r} -> {right!r}")
    # `100: REQUEST, , # REQUEST`: the comment repeats the PLOVER type instead of naming the CAMEO code.
    if name == category:
        report.notes.append(f"{code}: comment {name!r} is the PLOVER type, not a CAMEO name; name left empty")
        name = ""
    return name


def read_plover(path: Path, report: Report) -> dict[str, PloverEntry]:
    """Read CAMEO2PLOVER lines `code: TYPE, mode, context # name`; the first line for a code wins."""
    entries: dict[str, PloverEntry] = {}
    for number, line in enumerate(path.read_text(encoding="ascii").splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if set(stripped) == {"~"}:  # the file's end marker
            continue
        match = PLOVER_LINE.match(stripped)
        if not match:
            report.skipped.append(f"{path.name}:{number}: not a 'code: TYPE, mode, context' line: {line!r}")
            continue
        code, rest = match.groups()
        body, _, comment = rest.partition("#")
        # The third field is PLOVER's context (e.g. "diplomatic"); the table does not carry it.
        fields = [part.strip() for part in body.split(",")]
        category = fields[0]
        mode = fields[1] if len(fields) > 1 else ""
        if not re.fullmatch(r"[A-Z]+", category):
            report.skipped.append(f"{path.name}:{number}: no PLOVER event type: {line!r}")
            continue
        entry = PloverEntry(category, mode, clean_name(comment, category, code, report), number)
        if code in entries:
            first = entries[code]
            report.notes.append(
                f"{path.name}:{number}: {code} repeated ({category}, {mode or '-'}, {entry.name!r}); "
                f"line {first.line} kept ({first.category}, {first.mode or '-'}, {first.name!r})"
            )
            continue
        entries[code] = entry
    return entries


def read_codebook_modes(path: Path) -> dict[str, set[str]]:
    """Map each PLOVER event type to the modes the structured codebook defines for it."""
    modes: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            modes.setdefault(row["event"].strip(), set()).add(row["mode"].strip())
    return modes


def read_verb_codes(path: Path) -> Counter[str]:
    """Count the event codes the Phoenix verb dictionary's patterns and transformations emit."""
    used: Counter[str] = Counter()
    for line in path.read_text(encoding="ascii").splitlines():
        text = line.partition("#")[0]  # a code inside a comment is not emitted
        for match in VERB_CODE.finditer(text):
            used.update(code for code in match.groups() if code)
        transformation = TRANSFORMATION_CODE.match(text.strip())
        if transformation:
            used[transformation.group(1)] += 1
    return used


def quad_class(root: str) -> int:
    """GDELT's QuadClass for a root code: 01-05 -> 1, 06-08 -> 2, 09-13 -> 3, 14-20 -> 4."""
    number = int(root)
    if 1 <= number <= 5:
        return 1
    if number <= 8:
        return 2
    if number <= 13:
        return 3
    if number <= 20:
        return 4
    raise ValueError(f"CAMEO root {root!r} is outside 01-20")


def build(resources: Path) -> tuple[str, Report, Counter[str]]:
    """Return the TSV text, what was skipped or changed, and counts to print."""
    report = Report()
    goldstein = read_goldstein(resources / GOLDSTEIN_FILE, report)
    plover = read_plover(resources / PLOVER_FILE, report)
    modes = read_codebook_modes(resources / CODEBOOK_FILE)
    verb_codes = read_verb_codes(resources / VERBS_FILE)

    for code in sorted(set(plover) - set(goldstein)):
        report.notes.append(f"{code}: in CAMEO2PLOVER, not in the Goldstein lookup; kept, goldstein empty")
    for code in sorted(set(verb_codes) - set(goldstein) - set(plover)):
        report.notes.append(
            f"{code}: emitted by {verb_codes[code]} Phoenix verb pattern(s), in no other source; "
            "kept with name, goldstein and plover empty"
        )
    codes = sorted(set(goldstein) | set(plover) | set(verb_codes))

    counts: Counter[str] = Counter()
    nameless: list[str] = []
    rows = ["\t".join(COLUMNS)]
    for code in codes:
        root = code[:2]
        entry = plover.get(code)
        category = entry.category if entry else ""
        if entry and category not in modes:
            raise SystemExit(f"{PLOVER_FILE}:{entry.line}: {category} is not a PLOVER event type")
        mode = entry.mode if entry else ""
        if mode and mode not in modes[category]:
            report.notes.append(f"{code}: mode {mode!r} is not a PLOVER mode of {category}; mode left empty")
            mode = ""
        name = entry.name if entry else ""
        if not name and code in ROOT_NAMES:
            name = ROOT_NAMES[code]
        if not name and code in STATEMENT_APPEAL_NAMES:
            name = STATEMENT_APPEAL_NAMES[code]
            counts["names written from the CAMEO manual (roots)"] += 1
        score = goldstein.get(code)
        rows.append(
            "\t".join(
                [code, name, "" if score is None else repr(score), str(quad_class(root)), category, mode]
            )
        )
        counts[f"{len(code)}-digit codes"] += 1
        counts["with goldstein"] += score is not None
        counts["with plover"] += bool(category)
        counts["with plover_mode"] += bool(mode)
        counts["with name"] += bool(name)
        if not name:
            nameless.append(code)
    counts["codes"] = len(codes)
    if nameless:
        report.notes.append(f"no name in any source, left empty ({len(nameless)}): {', '.join(nameless)}")
    return HEADER + "\n".join(rows) + "\n", report, counts


def main(argv: list[str] | None = None) -> int:
    """Build the table, write it, and print counts plus everything skipped or changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--resources", type=Path, default=DEFAULT_RESOURCES, help="shared/resources dir")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="TSV file to write")
    parser.add_argument("--quiet", action="store_true", help="print only the counts")
    args = parser.parse_args(argv)
    if not args.resources.is_dir():
        parser.error(f"resources directory not found: {args.resources}")

    text, report, counts = build(args.resources)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(text.encode("utf-8"))

    print(f"wrote {args.output}")
    for key in sorted(counts):
        print(f"  {key}: {counts[key]}")
    print(f"skipped lines: {len(report.skipped)}")
    for line in report.skipped:
        print(f"  {line}")
    print(f"notes: {len(report.notes)}")
    if not args.quiet:
        for line in report.notes:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
