"""The CAMEO table: lookups, invariants, and that tools/build_ontology.py reproduces the committed file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tacitus.errors import UnknownCode
from tacitus.ontology import CameoCode, cameo, cameo_codes, quad_class_of, root_of

REPO = Path(__file__).resolve().parents[1]
RESOURCES = REPO.parent / "shared" / "resources"
COMMITTED = REPO / "src" / "tacitus" / "ontology" / "data" / "cameo.tsv"


def test_telephone_consultation() -> None:
    # GDELT's lookup: "041\t1.0"; CAMEO2PLOVER: "041: CONSULT, phone, # Discuss by telephone".
    entry = cameo("041")
    assert entry == CameoCode("041", "Discuss by telephone", "04", 1, 1.0, "CONSULT", "phone")


def test_praise_maps_to_support_not_a_praise_type() -> None:
    # CAMEO2PLOVER: "051: SUPPORT, , diplomatic # Praise or endorse"; PLOVER has no PRAISE type.
    entry = cameo("051")
    assert (entry.name, entry.plover, entry.plover_mode, entry.goldstein) == (
        "Praise or endorse",
        "SUPPORT",
        None,
        3.4,
    )


def test_sanctions_are_material_conflict() -> None:
    # 163 sits under CAMEO2PLOVER's "16: SANCTION" block but its own line says COERCE: the line wins.
    entry = cameo("163")
    assert entry.goldstein is not None and entry.goldstein < 0
    assert entry.goldstein == -8.0
    assert entry.quad_class == 4
    assert (entry.plover, entry.plover_mode) == ("COERCE", "restrict")


def test_root_codes_have_hand_written_names() -> None:
    assert cameo("01").name == "MAKE PUBLIC STATEMENT"
    assert cameo("20").name == "USE UNCONVENTIONAL MASS VIOLENCE"
    assert cameo("08").plover == "CONCEDE"  # first of the file's two "08:" lines, agreeing with 080


def test_unknown_code_raises_with_guidance() -> None:
    with pytest.raises(UnknownCode, match=r"'999'.*tacitus/ontology/data/cameo\.tsv"):
        cameo("999")
    with pytest.raises(UnknownCode, match="did you mean '041'"):
        cameo("41")
    with pytest.raises(UnknownCode):
        root_of("999")


def test_helpers() -> None:
    assert root_of("041") == "04"
    assert root_of("0211") == "02"
    assert root_of("04") == "04"
    assert quad_class_of("0211") == 1
    assert quad_class_of("0874") == 2
    assert quad_class_of("1123") == 3
    assert quad_class_of("2042") == 4


def test_table_invariants() -> None:
    codes = cameo_codes()
    assert 300 <= len(codes) <= 330
    assert list(codes) == sorted(codes)
    for code, entry in codes.items():
        assert entry.code == code and code.isdigit() and 2 <= len(code) <= 4
        assert entry.root == code[:2]
        assert entry.root in codes, f"{code}: root {entry.root} missing"
        assert entry.quad_class in (1, 2, 3, 4)
        assert entry.quad_class == codes[entry.root].quad_class
        assert entry.goldstein is None or -10.0 <= entry.goldstein <= 10.0
        assert entry.plover_mode is None or entry.plover is not None
    assert sorted({entry.root for entry in codes.values()}) == [f"{n:02d}" for n in range(1, 21)]


def test_cameo_codes_returns_a_copy() -> None:
    codes = cameo_codes()
    codes.pop("041")
    assert "041" in cameo_codes()


@pytest.mark.skipif(not RESOURCES.is_dir(), reason=f"{RESOURCES} not found (../shared/resources)")
def test_tool_reproduces_committed_table(tmp_path: Path) -> None:
    out = tmp_path / "cameo.tsv"
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "build_ontology.py"), "--resources", str(RESOURCES)]
        + ["--output", str(out), "--quiet"],
        check=True,
        capture_output=True,
    )
    assert out.read_bytes() == COMMITTED.read_bytes(), "rerun tools/build_ontology.py and commit the result"
