"""Named groups and organisations of tools/curated/tacitus.actors.txt, as the built knowledge base answers them.

The curated file adds the armed groups, parties, agencies, IGOs and companies in the news since 2015 that
the Phoenix dictionaries lack, each block with a comment and a source. tools/build_kb.py reads it after the
Phoenix files (source "tacitus").

NOTE: most tests here read the packaged data (src/tacitus/kb/data), not the curated file: after editing the
file, rebuild with ``.venv/bin/python tools/build_kb.py`` or they fail (the first test says so). The tests of
the file itself (it parses, every block has a source) need no rebuild.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tacitus.kb import KnowledgeBase, load_kb
from tacitus.kb.tabari import RawGroup, Report, read_actor_file

REPO = Path(__file__).resolve().parent.parent
CURATED = REPO / "tools" / "curated" / "tacitus.actors.txt"
DATA = REPO / "src" / "tacitus" / "kb" / "data"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def blocks() -> list[RawGroup]:
    report = Report()
    groups = read_actor_file(CURATED, "tacitus", report)
    assert not report.skipped, report.skipped_summary()  # every phrase, code and date of the file is read
    return groups


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    """Entry id -> the "source" field of the packaged data ("tacitus:47", "milnonstate:1768")."""
    out = {}
    for line in (DATA / "actors.jsonl").read_text(encoding="utf-8").splitlines():
        if line:
            entry = json.loads(line)
            out[entry["id"]] = entry["source"]
    return out


def _name(phrase: str) -> str:
    return phrase.replace("_", " ").strip()


# ----------------------------------------------------------------------------------------------------
# The file itself


def test_every_block_has_a_source(blocks: list[RawGroup]) -> None:
    """Each block has a comment right above it, and one of its lines gives a Source: URL."""
    lines = CURATED.read_text(encoding="utf-8").splitlines()
    for group in blocks:
        comments = []
        n = group.line - 2  # the line before the block's first primary line (0-based)
        while n >= 0 and lines[n].startswith("#"):
            comments.append(lines[n])
            n -= 1
        assert comments, f"no comment above line {group.line}"
        assert any(re.search(r"Source: .*https?://\S+", c) for c in comments), (
            f"no Source: above line {group.line}"
        )


def test_every_block_has_a_code(blocks: list[RawGroup]) -> None:
    assert len(blocks) > 250
    for group in blocks:
        assert group.codes and group.primaries, group.line


# ----------------------------------------------------------------------------------------------------
# The packaged knowledge base (rebuild after editing the file)


def test_the_packaged_data_was_built_from_this_file() -> None:
    digest = hashlib.sha256(CURATED.read_bytes()).hexdigest()
    listed = (DATA / "SOURCES.txt").read_text(encoding="utf-8")
    assert f"tools/curated/{CURATED.name}  sha256 {digest}" in listed, (
        "src/tacitus/kb/data predates tools/curated/tacitus.actors.txt: run .venv/bin/python tools/build_kb.py"
    )


@pytest.mark.parametrize(
    ("name", "day", "code"),
    [
        # armed groups
        ("Houthis", None, "YEMREB"),
        ("ISWAP", None, "NGAREB"),  # where it fights, as Phoenix codes Boko Haram
        ("JNIM", None, "MLIREB"),
        ("M23", None, "CODREB"),
        ("Kataib Hezbollah", None, "IRQUAF"),
        ("IRGC", None, "IRNMIL"),  # Phoenix's code for the Revolutionary Guard
        ("Wagner Group", "2022-06-01", "RUSUAF"),
        ("Wagner Group", "2023-06-24", "RUSREB"),  # the mutiny of 23-24 June 2023
        ("Wagner Group", "2023-06-25", "RUSUAF"),
        ("Hayat Tahrir al-Sham", "2020-01-01", "SYRREBMUS"),
        ("HTS", "2025-03-01", "SYRGOV"),  # Syria's government since Assad fell on 2024-12-08
        ("Rapid Support Forces", "2020-01-01", "SDNMIL"),
        ("Rapid Support Forces", "2024-01-01", "SDNREB"),  # at war with the army since 2023-04-15
        ("Popular Mobilization Forces", "2015-06-01", "IRQUAF"),
        ("PMF", "2020-06-01", "IRQMIL"),  # part of the armed forces by the law of 2016-11-26
        ("Islamic Emirate of Afghanistan", "2000-01-01", "AFGGOV"),
        ("Taliban government", "2015-01-01", "AFGREB"),
        ("Islamic Emirate", "2023-01-01", "AFGGOV"),
        # parties
        ("GOP", None, "USAPTY"),
        ("Democrats", None, "USAPTY"),
        ("Tories", None, "GBRPTY"),
        ("Reform UK", None, "GBRPTY"),
        ("AfD", None, "DEUPTY"),
        ("Rassemblement National", None, "FRAPTY"),
        ("BJP", None, "INDPTY"),
        ("Likud", None, "ISRPTY"),
        ("CCP", None, "CHNGOV"),  # Phoenix codes the Communist Party of China as the government
        # agencies
        ("DHS", None, "USAGOV"),
        ("ICE", None, "USACOP"),
        ("GRU", None, "RUSSPY"),
        ("SBU", None, "UKRSPY"),
        ("Downing Street", None, "GBRGOV"),
        ("Bank of England", None, "GBRGOVBUS"),
        # international organisations
        ("WTO", None, "IGOBUSWTO"),
        ("African Union", None, "IGOAFRAFU"),
        ("G20", None, "IGOBUS"),
        ("OPEC+", None, "IGOOPC"),
        ("Europol", None, "IGOEURCOP"),
        ("UNRWA", None, "IGOUNOREF"),
        # companies
        ("Gazprom", None, "MNCRUS"),
        ("Huawei", None, "MNCCHNMED"),
        ("TikTok", None, "MNCCHNMED"),
        ("Meta Platforms", None, "MNCUSAMED"),
        ("Tesla", None, "MNCUSA"),
        ("TSMC", None, "MNCTWN"),
        ("Shell plc", None, "MNCGBR"),
        ("Moderna", None, "MNCUSAHLH"),
        ("Airbus", None, "MNCEUR"),
    ],
)
def test_curated_names_and_codes(kb: KnowledgeBase, name: str, day: str | None, code: str) -> None:
    found = kb.lookup(name, on=day)
    assert found is not None, name
    assert found.code == code, (name, day)


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Houthis", "group"),
        ("Wagner Group", "group"),
        ("Republican Party", "organization"),
        ("Federal Office for the Protection of the Constitution", "organization"),
        ("WTO", "igo"),
        ("Gazprom", "organization"),
    ],
)
def test_curated_kinds(kb: KnowledgeBase, name: str, kind: str) -> None:
    found = kb.lookup(name)
    assert found is not None and found.kind == kind, (name, found)


def test_every_name_of_a_block_finds_that_block(
    kb: KnowledgeBase, blocks: list[RawGroup], sources: dict[str, str]
) -> None:
    """No curated name is kept by an earlier entry (the index prefers Phoenix's entries of the same kind),
    and no block's names are split between entries."""
    for group in blocks:
        names = [_name(p) for p, _ in group.primaries] + [_name(s) for s in group.synonyms]
        for name in names:
            found = kb.lookup(name)
            assert found is not None, name
            assert sources[found.id] == f"tacitus:{group.line}", (name, found.id, sources[found.id])


@pytest.mark.parametrize(
    "word",
    [
        # common words, places, surnames and acronyms of several bodies, deliberately not curated
        "Apple", "Amazon", "Meta", "Shell", "X", "Total", "Intel", "Ford", "WHO", "IS", "Fed",
        "Wagner", "Azov", "SDF", "RSF", "ADF", "PPP", "PAN", "Vox", "Renaissance", "Greens", "League",
        "National Front", "Congress",
    ],
)  # fmt: skip
def test_risky_bare_words_are_not_curated(kb: KnowledgeBase, sources: dict[str, str], word: str) -> None:
    found = kb.lookup(word)
    assert found is None or not sources[found.id].startswith("tacitus:"), (word, found)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        # Phoenix keeps its own entries for these; the curated file only adds other names
        ("Taliban", "AFGREB"),
        ("Ansar Allah", "LBNREB"),
        ("Islamic Jihad", "LBNREB"),
        ("Chinese Communist Party", "CHNGOV"),
        ("Revolutionary Guards", "IRNMIL"),
        ("Israel Defense Forces", "ISRMIL"),
    ],
)
def test_phoenix_keeps_its_names(kb: KnowledgeBase, sources: dict[str, str], name: str, code: str) -> None:
    found = kb.lookup(name)
    assert found is not None and found.code == code, name
    assert not sources[found.id].startswith("tacitus:"), name
