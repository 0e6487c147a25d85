"""The dated office holders of tools/curated/tacitus.offices.txt, as the built knowledge base answers them.

The file lists heads of state and government, foreign and defence ministers 2000-2026 with day-precise
codes; tools/build_kb.py merges each block into the Phoenix or leaders-file person of the same name and
lets its dates win. These tests read the packaged data (rebuild with tools/build_kb.py after editing).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from tacitus.kb import KnowledgeBase, load_kb, normalize
from tacitus.kb.tabari import RawGroup, Report, read_actor_file

REPO = Path(__file__).resolve().parent.parent
OFFICES = REPO / "tools" / "curated" / "tacitus.offices.txt"
DATA = REPO / "src" / "tacitus" / "kb" / "data"

# Blocks whose name another entry keeps: Australia's defence minister David Johnston (2013-2014) shares
# his name with Canada's Governor General, whom the Phoenix Countries file has.
SHADOWED = {"DAVID JOHNSTON"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


@pytest.fixture(scope="module")
def blocks() -> list[RawGroup]:
    report = Report()
    groups = read_actor_file(OFFICES, "tacitus-offices", report)
    assert not report.skipped, report.skipped_summary()  # every code and date of the file is read
    return groups


def _name(phrase: str) -> str:
    return phrase.replace("_", " ").strip()


@pytest.mark.parametrize(
    ("name", "day", "code"),
    [
        ("Keir Starmer", "2023-06-01", "GBROPP"),  # Leader of the Opposition 2020-2024
        ("Keir Starmer", "2024-09-01", "GBRGOV"),
        ("Sir Keir Starmer", "2025-06-01", "GBRGOV"),
        ("Rishi Sunak", "2023-06-01", "GBRGOV"),
        ("Rishi Sunak", "2025-06-01", "GBRELI"),
        ("Antony Blinken", "2022-01-01", "USAGOV"),
        ("Antony Blinken", "2025-06-01", "USAELI"),  # out of office from 2025-01-20
        ("Hillary Clinton", "2011-06-01", "USAGOV"),
        ("Hillary Clinton", "2015-06-01", "USAELI"),
        ("Sergei Lavrov", "2010-06-01", "RUSGOV"),
        ("Lloyd Austin", "2023-01-01", "USAGOVMIL"),  # defence ministers are GOVMIL, as in Phoenix
        ("Lloyd Austin", "2025-03-01", "USAELI"),
        ("Pete Hegseth", "2025-03-01", "USAGOVMIL"),
        ("Javier Milei", "2024-06-01", "ARGGOV"),
        ("Claudia Sheinbaum", "2025-01-01", "MEXGOV"),
        ("Friedrich Merz", "2023-06-01", "DEUOPP"),
        ("Friedrich Merz", "2025-06-01", "DEUGOV"),
        ("Lee Jae-myung", "2025-07-01", "KORGOV"),
        ("Masoud Pezeshkian", "2025-01-01", "IRNGOV"),
        ("Abbas Araghchi", "2025-01-01", "IRNGOV"),
        ("Wang Yi", "2020-01-01", "CHNGOV"),
        ("Dmytro Kuleba", "2022-03-01", "UKRGOV"),
        ("Dmytro Kuleba", "2025-01-01", "UKRELI"),
        ("Ursula von der Leyen", "2015-01-01", "DEUGOVMIL"),
        ("Ursula von der Leyen", "2020-06-01", "IGOEUREEC"),  # the EU as Phoenix codes it
        ("Donald Tusk", "2017-01-01", "IGOEUREEC"),
        ("Donald Tusk", "2024-06-01", "POLGOV"),
        ("Mohammed bin Salman", "2018-01-01", "SAUGOVMIL"),
        ("Mohammed bin Salman", "2023-01-01", "SAUGOV"),
        ("Lula", "2005-01-01", "BRAGOV"),
        ("Lula", "2015-01-01", "BRAELI"),
        ("Lula", "2024-01-01", "BRAGOV"),
    ],
)
def test_office_holders_on_a_day(kb: KnowledgeBase, name: str, day: str, code: str) -> None:
    found = kb.lookup(name, on=day)
    assert found is not None and found.kind == "person", name
    assert found.code == code, (name, day)


def test_the_curated_days_win_over_the_leaders_files_years(kb: KnowledgeBase) -> None:
    # wikidata.csv gives Boris Johnson 2019-2022 (years); the curated file says he left on 2022-09-06
    assert kb.lookup("Boris Johnson", on="2022-09-05").code == "GBRGOV"
    assert kb.lookup("Boris Johnson", on="2022-12-31").code == "GBRELI"
    # Kim Jong Un: the leaders files say 2011, his father died on 2011-12-17
    assert kb.lookup("Kim Jong Un", on="2011-12-16").code == "PRK"
    assert kb.lookup("Kim Jong Un", on="2011-12-17").code == "PRKGOV"


def test_a_phoenix_person_keeps_its_entry_and_older_codes(kb: KnowledgeBase) -> None:
    # SERGEY_LAVROV_ [RUSGOV 940922-040712] (UN ambassador) in the Countries file, and the curated block
    # [RUSGOV >20040309] with the spelling SERGEI_LAVROV_: one entry, Phoenix's, with both
    lavrov = kb.lookup("Sergey Lavrov", on="2003-06-01")
    assert (lavrov.id, lavrov.code) == (kb.lookup("Sergei Lavrov").id, "RUSGOV")
    entry = _data_entry(lavrov.id)
    assert entry["source"].startswith("countries:")
    assert {"code": "RUSGOV", "start": "1994-09-22", "end": "2004-03-09"} in entry["codes"]
    # Ban Ki-moon: Foreign Minister (curated) and UN Secretary-General (International file) in one entry
    assert kb.lookup("Ban Ki-moon", on="2005-06-01").code == "KORGOV"
    assert kb.lookup("Ban Ki-moon", on="2010-06-01").code == "IGOUNO"


def test_near_duplicates_between_phoenix_and_the_leaders_files_are_one_person(kb: KnowledgeBase) -> None:
    for short, full in (
        ("William Ruto", "William Samoei Ruto"),
        ("Sheikh Hasina", "Sheikh Hasina Wajed"),
        ("Luis Arce", "Luis Alberto Arce Catacora"),
        ("Miguel Díaz-Canel", "Miguel Diaz Canel Bermudez"),
    ):
        assert kb.lookup(short).id == kb.lookup(full).id, short
    # a father and son who share a first name and a surname stay two people
    assert kb.lookup("Luis Lacalle Pou").id != kb.lookup("Luis Alberto Lacalle").id


def test_every_block_has_a_source(blocks: list[RawGroup]) -> None:
    lines = OFFICES.read_text(encoding="utf-8").splitlines()
    for group in blocks:
        comments = []
        n = group.line - 2  # the line before the block's first primary line (0-based)
        while n >= 0 and lines[n].startswith("#"):
            comments.append(lines[n])
            n -= 1
        assert any(re.search(r"Source: https?://\S+", c) for c in comments), (
            f"no Source: above line {group.line}"
        )


# One-word names the news uses alone for one person: monarchs' regnal names and Brazilian and Indonesian
# usage. Bare surnames are never names of a block.
ONE_WORD = {"akihito", "naruhito", "lula", "amlo", "jokowi", "megawati", "prabowo", "sugiono"}


def test_every_block_is_dated_and_has_no_bare_surname(blocks: list[RawGroup]) -> None:
    assert len(blocks) > 600
    for group in blocks:
        assert group.codes and all(c.start or c.end for c in group.codes), group.line
        for phrase in [p for p, _ in group.primaries] + group.synonyms:
            key = normalize(_name(phrase))
            assert len(key.split()) >= 2 or key in ONE_WORD, (group.line, phrase)


def test_every_block_resolves_to_one_entry_with_its_codes(kb: KnowledgeBase, blocks: list[RawGroup]) -> None:
    """Each name of a block finds one entry, and on the first, middle and last day of each of the block's
    codes that entry answers what the block alone would answer (the curated codes win where they speak)."""
    for group in blocks:
        primary = group.primaries[0][0]
        if primary in SHADOWED:
            assert kb.lookup(_name(primary), on="2014-06-01").code != group.codes[0].code
            continue
        names = [_name(p) for p, _ in group.primaries] + [_name(s) for s in group.synonyms]
        ids = {kb.lookup(n).id for n in names}
        assert len(ids) == 1, (primary, ids)
        own = _inline_kb(group)
        for code in group.codes:
            start = code.start or dt.date(1990, 1, 1)
            last = (code.end or dt.date(2026, 6, 1)) - dt.timedelta(days=1)
            for day in (start, start + (last - start) / 2, last):
                assert kb.lookup(names[0], on=day).code == own.lookup("x", on=day).code, (primary, day)


def test_the_build_lists_the_file_in_sources() -> None:
    sources = (DATA / "SOURCES.txt").read_text(encoding="utf-8")
    assert "tools/curated/tacitus.offices.txt  sha256" in sources


def _inline_kb(group: RawGroup) -> KnowledgeBase:
    codes = [
        {
            "code": c.code,
            "start": c.start.isoformat() if c.start else None,
            "end": c.end.isoformat() if c.end else None,
        }
        for c in group.codes
    ]
    country = next(c.code[:3] for c in reversed(group.codes))
    entry = {"id": "x", "name": "X", "kind": "person", "country": country, "names": ["X"], "codes": codes}
    return KnowledgeBase(json.dumps(entry) + "\n", "key\tid\nx\tx\n", "phrase\tsector\tsource\n")


def _data_entry(entry_id: str) -> dict:
    prefix = f'{{"id":"{entry_id}",'
    for line in (DATA / "actors.jsonl").read_text(encoding="utf-8").splitlines():
        if line.startswith(prefix):
            return json.loads(line)
    raise AssertionError(f"no entry {entry_id}")
