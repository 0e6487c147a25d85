#!/usr/bin/env python3
"""Build ``src/tacitus/ontology/data/petrarch_patterns.json`` from the PETRARCH-2 CAMEO verb dictionary.

Source: ``phoenix/CAMEO.2.0.txt`` under ``../shared/resources`` (Open Event Data Alliance, MIT License), the
verb dictionary of PETRARCH-2. The conversion itself, and how it reads the dictionary, is
:mod:`tacitus.ontology.petrarch_verbs` (also used by ``tacitus patterns import`` for a user's dictionary);
this shell runs its packaged form (:func:`~tacitus.ontology.petrarch_verbs.build_packaged`: without what
``verb_patterns.yaml`` already codes, only codes of Tacitus's CAMEO table), writes the file and prints what
was converted and what was skipped, by reason.

Usage: ``python tools/build_verb_patterns.py [--resources DIR] [--output FILE] [--list]``. The output is
deterministic (a test checks that the committed file is reproduced byte for byte).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from tacitus.ontology.petrarch_verbs import (  # noqa: E402  (re-exported for tests and scripts)
    ABOUT,
    Converter,
    Lemmas,
    build_packaged,
    read_dictionary,
    render,
)

__all__ = ["ABOUT", "Converter", "Lemmas", "build", "main", "read_dictionary", "render"]

DEFAULT_RESOURCES = REPO.parent / "shared" / "resources"
DEFAULT_OUTPUT = REPO / "src" / "tacitus" / "ontology" / "data" / "petrarch_patterns.json"
HANDWRITTEN = REPO / "src" / "tacitus" / "ontology" / "data" / "verb_patterns.yaml"
VERBS_FILE = Path("phoenix/CAMEO.2.0.txt")


def build(resources: Path) -> tuple[str, Converter, list[dict]]:
    """Read the dictionary and the hand-written patterns; return the JSON text, the converter (for its
    counts) and the patterns."""
    return build_packaged(resources / VERBS_FILE, HANDWRITTEN)


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
    print(f"wrote {args.output}: {len(patterns)} patterns ({sum('blocker' in p for p in patterns)} blockers)")
    print(f"blocks: {c['blocks']}, converted {c['blocks converted']}")
    for reason, n in sorted(conv.block_skips.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  skipped ({reason}): {n}")
    print(f"pattern lines: {c['pattern lines']}, converted {c['pattern lines converted']}")
    for reason, n in sorted(conv.pattern_skips.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  skipped ({reason}): {n}")
    own = sum(conv.verb_kinds.values())
    print(f"verb lines: {c['verb lines']}, with a pattern of their own: {own}")
    for kind, n in sorted(conv.verb_kinds.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  {kind}: {n}")
    for reason, n in sorted(conv.verb_skips.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"  none ({reason}): {n}")
    for key in sorted(
        k for k in c if k.startswith(("synonym", "pattern lines restricted", "patterns merged"))
    ):
        print(f"{key}: {c[key]}")
    if args.list:
        for p in patterns:
            print(json.dumps({k: v for k, v in p.items() if not k.startswith("_")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
