"""Bytes are decoded once, at the edge: stdin and files alike, gzip by its magic bytes, a declared encoding,
a guessed one only with a warning; no invalid byte or lone surrogate ever reaches a record or the store."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tacitus.cli import app
from tacitus.errors import UnreadableInput
from tacitus.ingest.decode import decode_bytes, gunzip

runner = CliRunner()
BODY = "Protesters rallied in Nairobi on Monday against a new fuel tax, police said."


def _records(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


# --- the decoder ------------------------------------------------------------------------------------------


def test_utf8_bom_utf16_and_declared_encodings():
    assert decode_bytes("Café".encode("utf-8-sig"), "x").text == "Café"
    assert decode_bytes("Café".encode("utf-16"), "x").text == "Café"
    russian = "Москва заявила протест."
    decoded = decode_bytes(russian.encode("koi8_r"), "x", "koi8_r")
    assert (decoded.text, decoded.encoding, decoded.warning) == (russian, "koi8_r", None)
    with pytest.raises(UnreadableInput, match="not utf-8 text.*check --encoding"):
        decode_bytes(b"caf\xe9", "x", "utf-8")


def test_non_utf8_is_guessed_as_cp1252_with_a_warning_naming_the_byte():
    decoded = decode_bytes("Caf\xe9 \u201cquoted\u201d".encode("cp1252"), "old.txt")
    assert decoded.text == "Café “quoted”"
    assert decoded.encoding == "cp1252"
    assert "old.txt: not UTF-8 (byte 0xe9 at offset 3); guessed Windows-1252" in decoded.warning
    assert "--encoding" in decoded.warning


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02binary", bytes(range(1, 32)) * 20, b"\x81\x8d\x8f\x90 not text"],
    ids=["nul", "controls", "undefined-cp1252"],
)
def test_binary_data_is_refused(data):
    with pytest.raises(UnreadableInput, match="^blob: "):
        decode_bytes(data, "blob")


def test_gzip_by_magic_bytes_and_damaged_gzip():
    assert decode_bytes(gzip.compress(BODY.encode()), "x").text == BODY
    # two members, as `cat a.gz b.gz` makes
    assert gunzip(gzip.compress(b"one ") + gzip.compress(b"two"), "x") == b"one two"
    with pytest.raises(UnreadableInput, match="truncated"):
        gunzip(gzip.compress(BODY.encode() * 50)[:-30], "x")


# --- standard input ---------------------------------------------------------------------------------------


def test_invalid_utf8_on_stdin_is_decoded_with_a_warning_not_written_raw():
    data = f"A headline\n\n{BODY} Caf\xe9 owners joined.\n".encode("cp1252")
    result = runner.invoke(app, ["extract", "-"], input=data)
    assert result.exit_code == 0, result.output
    (record,) = _records(result.stdout)
    assert record["text"].endswith("Café owners joined.")
    assert "\udce9" not in result.stdout
    assert any("guessed Windows-1252" in w for w in record["warnings"])
    assert "warning:" in result.stderr and "<stdin>" in result.stderr


def test_invalid_utf8_on_stdin_is_stored(tmp_path: Path):
    db = tmp_path / "s.db"
    data = f"A headline\n\n{BODY} Caf\xe9 owners joined.\n".encode("cp1252")
    result = runner.invoke(app, ["process", "-", "--db", str(db)], input=data)
    assert result.exit_code == 0, result.output
    assert "1 inserted" in result.stderr


def test_binary_stdin_is_skipped_with_a_clear_reason():
    result = runner.invoke(app, ["extract", "-"], input=Path("/bin/sh").resolve().read_bytes()[:4000])
    assert result.exit_code == 2
    assert "<stdin>: looks like a binary file" in result.stderr
    assert "surrogates" not in result.output


def test_declared_encoding_for_stdin_and_jsonl(tmp_path: Path):
    text = "Заголовок\n\nМосква заявила протест послу Латвии в понедельник.\n"
    # Russian: analysed although no Russian model is installed (--any-language); the test is the decoding
    result = runner.invoke(
        app, ["extract", "-", "--encoding", "koi8-r", "--any-language"], input=text.encode("koi8_r")
    )
    assert result.exit_code == 0, result.output
    assert _records(result.stdout)[0]["text"] == "Москва заявила протест послу Латвии в понедельник."
    src = tmp_path / "ru.jsonl"
    src.write_bytes(json.dumps({"id": "r1", "text": "Москва"}, ensure_ascii=False).encode("cp1251") + b"\n")
    undeclared = runner.invoke(app, ["extract", str(src)])
    assert undeclared.exit_code == 2 and "JSONL must be UTF-8" in undeclared.stderr
    declared = runner.invoke(app, ["extract", str(src), "--encoding", "cp1251", "--any-language"])
    assert declared.exit_code == 0 and _records(declared.stdout)[0]["text"] == "Москва"
    bad = runner.invoke(app, ["extract", str(src), "--encoding", "klingon"])
    assert bad.exit_code == 2 and "--encoding 'klingon'" in bad.stderr


def test_gzipped_stdin_reads():
    page = f"A headline\n\n{BODY}\n".encode()
    result = runner.invoke(app, ["extract", "-"], input=gzip.compress(page))
    assert result.exit_code == 0, result.output
    assert _records(result.stdout)[0]["text"] == BODY


# --- files ------------------------------------------------------------------------------------------------


def test_gzipped_text_html_and_jsonl_files(tmp_path: Path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(f"Title A\n\n{BODY}".encode()))
    html = f"<html><head><title>Title B</title></head><body><article><p>{BODY}</p></article></body></html>"
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(html.encode()))
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(json.dumps({"id": "c", "text": BODY}).encode()))
    # one body in three files: duplicates, analysed each (--no-dedup) since the test is the reading
    result = runner.invoke(app, ["extract", str(tmp_path), "--no-dedup"])
    assert result.exit_code == 0, result.output
    records = _records(result.stdout)
    assert [r["id"] for r in records] == ["a", "b", "c"]
    assert all(r["text"] == BODY for r in records)


def test_unknown_gz_names_the_fix_that_works(tmp_path: Path):
    odd = tmp_path / "dump.gz"
    odd.write_bytes(gzip.compress(f"Title\n\n{BODY}".encode()))
    refused = runner.invoke(app, ["extract", str(odd)])
    assert refused.exit_code == 2 and "--input-format text" in refused.stderr
    forced = runner.invoke(app, ["extract", str(odd), "--input-format", "text"])
    assert forced.exit_code == 0 and _records(forced.stdout)[0]["text"] == BODY


def test_cp1252_file_warns_on_stderr_and_in_the_record(tmp_path: Path):
    page = tmp_path / "old.txt"
    page.write_bytes(f"Title\n\n{BODY} Caf\xe9.".encode("cp1252"))
    result = runner.invoke(app, ["extract", str(page)])
    assert result.exit_code == 0, result.output
    assert f"warning: {page}: not UTF-8" in result.stderr
    (record,) = _records(result.stdout)
    assert record["text"].endswith("Café.") and "guessed Windows-1252" in record["warnings"][0]


def test_jsonl_lone_surrogate_escape_is_replaced_keeping_offsets(tmp_path: Path):
    src = tmp_path / "s.jsonl"
    src.write_text('{"id": "s", "text": "Police said \\ud800 the rally was calm."}\n', encoding="utf-8")
    db = tmp_path / "s.db"
    result = runner.invoke(app, ["process", str(src), "--db", str(db)])
    assert result.exit_code == 0, result.output
    out = runner.invoke(app, ["extract", str(src)])
    (record,) = _records(out.stdout)
    assert record["text"] == "Police said \ufffd the rally was calm."
    assert "lone surrogate" in record["warnings"][0]


def test_empty_jsonl_text_is_skipped_not_stored(tmp_path: Path):
    src = tmp_path / "e.jsonl"
    src.write_text(
        json.dumps({"id": "empty", "text": "  \n"}) + "\n" + json.dumps({"id": "ok", "text": BODY}) + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "e.db"
    result = runner.invoke(app, ["process", str(src), "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert f"{src}:1: 'text' is empty" in result.stderr
    from tacitus.store import open_store

    with open_store(db) as store:
        assert store.summary()["articles"] == 1


@pytest.mark.parametrize("fmt", ["auto", "jsonl"])
def test_gzipped_jsonl_on_stdin(fmt):
    data = gzip.compress((json.dumps({"id": "g1", "text": BODY}) + "\n").encode())
    result = runner.invoke(app, ["extract", "-", "--input-format", fmt], input=data)
    assert result.exit_code == 0, result.output
    assert [(r["id"], r["text"]) for r in _records(result.stdout)] == [("g1", BODY)]


def test_html_on_stdin_with_its_own_charset():
    html = (
        '<html><head><meta charset="windows-1252"><title>T</title></head>'
        f"<body><article><p>{BODY} Caf\xe9 owners joined.</p></article></body></html>"
    )
    result = runner.invoke(app, ["extract", "-"], input=html.encode("cp1252"))
    assert result.exit_code == 0, result.output
    assert _records(result.stdout)[0]["text"].endswith("Café owners joined.")
