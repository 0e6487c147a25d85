"""Bytes to text, once, at the edge: gzip, byte-order marks, UTF-8, a declared encoding, or a guess.

Every reader hands its raw bytes here (files, standard input, JSONL lines), so that no invalid byte and no
lone surrogate ever reaches the pipeline, the JSONL output or the database. The rules:

- gzip is recognised by its magic bytes, whatever the file is called, and decompressed (bounded, so a
  "zip bomb" is refused rather than filling memory);
- a declared encoding (``--encoding``) wins and must decode strictly, or the input is skipped with a reason;
- otherwise a byte-order mark (UTF-8, UTF-16) decides, then strict UTF-8;
- bytes that are not UTF-8 are read as Windows-1252, the encoding browsers use for pages labelled Latin-1
  and the one old Windows scrapers write, and the caller gets a warning saying it was a guess and how to
  declare the right encoding; statistical detectors guess worse than this on short news texts (they take
  French cp1252 for Baltic cp1257);
- NUL bytes, or control characters where text would have none, mean a binary file: it is refused.
"""

from __future__ import annotations

import codecs
import io
import zlib
from dataclasses import dataclass

from tacitus.errors import UnreadableInput

GZIP_MAGIC = b"\x1f\x8b"
FALLBACK_ENCODING = "cp1252"
# A news page is a few kilobytes; anything that inflates past this is not one (or is an attack).
MAX_INFLATED_BYTES = 256 * 1024 * 1024
# Share of C0 control characters (other than tab, newlines, form feed) above which "text" is binary data.
_MAX_CONTROL_SHARE = 0.01
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")

__all__ = [
    "FALLBACK_ENCODING",
    "GZIP_MAGIC",
    "Decoded",
    "check_encoding",
    "decode_bytes",
    "decode_line",
    "gunzip",
]


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the encoding used, and a warning when that encoding was a guess."""

    text: str
    encoding: str
    warning: str | None = None


def check_encoding(encoding: str | None) -> str | None:
    """Return the codec's canonical name for a user-declared encoding, or raise :class:`UnreadableInput`.

    Called once when a run starts, so that ``--encoding latin-9`` is accepted and ``--encoding nope`` fails
    in a second, not once per file.
    """
    if encoding is None:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise UnreadableInput(
            f"--encoding {encoding!r} is not an encoding Python knows; use e.g. utf-8, cp1252, latin-1, koi8-r"
        ) from None


def gunzip(data: bytes, name: str) -> bytes:
    """Decompress gzip bytes (several members allowed), refusing damaged or oversized streams."""
    out = io.BytesIO()
    inflater = zlib.decompressobj(wbits=31)
    rest = data
    try:
        while rest:
            out.write(inflater.decompress(rest, MAX_INFLATED_BYTES + 1 - out.tell()))
            if out.tell() > MAX_INFLATED_BYTES:
                raise UnreadableInput(
                    f"{name}: inflates to more than {MAX_INFLATED_BYTES // 2**20} MB; "
                    "that is not a news page, split it or pass the articles as JSONL"
                )
            if inflater.unconsumed_tail:
                rest = inflater.unconsumed_tail
                continue
            if not inflater.eof:
                raise UnreadableInput(f"{name}: the gzip data is truncated; re-create the file")
            # a second gzip member may follow (files concatenated with cat)
            rest = inflater.unused_data.lstrip(b"\x00")
            inflater = zlib.decompressobj(wbits=31)
    except zlib.error as exc:
        raise UnreadableInput(f"{name}: damaged gzip data ({exc}); re-create the file") from None
    return out.getvalue()


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ch < " " and ch not in _TEXT_CONTROLS)
    return controls / len(sample) > _MAX_CONTROL_SHARE


def _binary(name: str) -> UnreadableInput:
    return UnreadableInput(f"{name}: looks like a binary file, not text; pass text, JSONL or HTML pages")


def decode_bytes(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Decode an input's bytes to text following the module's rules; raise :class:`UnreadableInput`.

    ``name`` is the input's name for messages; ``encoding`` is the user's declared encoding, if any.
    gzip data is decompressed first. The result's ``warning`` is set when the encoding was guessed.
    """
    if data.startswith(GZIP_MAGIC):
        data = gunzip(data, name)
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise UnreadableInput(
                f"{name}: not {encoding} text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "check --encoding"
            ) from None
        if "\x00" in text or _looks_binary(text):
            raise _binary(name)
        return Decoded(text.removeprefix("\ufeff"), encoding)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableInput(f"{name}: broken UTF-16 text ({exc.reason}); re-save it as UTF-8") from None
    if b"\x00" in data:
        raise _binary(name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = f"byte 0x{data[exc.start]:02x} at offset {exc.start}"
    else:
        if _looks_binary(text):
            raise _binary(name)
        return Decoded(text, "utf-8")
    try:
        text = data.decode(FALLBACK_ENCODING)
    except UnicodeDecodeError:
        raise UnreadableInput(
            f"{name}: neither UTF-8 nor Windows-1252 text ({bad}); declare its encoding with --encoding "
            "or convert it, e.g. iconv -f <encoding> -t utf-8"
        ) from None
    if _looks_binary(text):
        raise _binary(name)
    return Decoded(
        text,
        FALLBACK_ENCODING,
        f"{name}: not UTF-8 ({bad}); guessed Windows-1252: check accented letters, or declare the "
        "encoding with --encoding",
    )


def decode_line(raw: bytes, origin: str, encoding: str | None, first: bool) -> str:
    """Decode one JSONL line: UTF-8 (RFC 8259) unless an encoding is declared; never guess per line.

    A guess per line could read two lines of one file in two encodings; a line that does not decode is
    refused with :class:`UnreadableInput` naming the byte, and the caller skips it.
    """
    codec = encoding or ("utf-8-sig" if first else "utf-8")
    try:
        line = raw.decode(codec)
    except UnicodeDecodeError as exc:
        hint = (
            "check --encoding" if encoding else "JSONL must be UTF-8; re-encode the file or pass --encoding"
        )
        raise UnreadableInput(
            f"{origin}: not {encoding or 'UTF-8'} (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"
            f" — {hint}, or remove the line"
        ) from None
    return line.removeprefix("\ufeff") if first else line
