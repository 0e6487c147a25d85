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
import re
import zlib
from dataclasses import dataclass

from tacitus.errors import UnreadableInput

GZIP_MAGIC = b"\x1f\x8b"
FALLBACK_ENCODING = "cp1252"
# A news page is a few kilobytes; anything that inflates past this is not one (or is an attack).
MAX_INFLATED_BYTES = 256 * 1024 * 1024
# The default cap on one page, one JSONL line or one WARC record's payload (``--max-bytes``): the longest
# real news pages are a few megabytes with their markup; past this it is a dump, a log or an attack.
DEFAULT_MAX_BYTES = 20 * 2**20
# Share of C0 control characters (other than tab, newlines, form feed) above which "text" is binary data.
_MAX_CONTROL_SHARE = 0.01
# C0 control characters other than tab, newlines, vertical tab and form feed (a regex counts them at C speed)
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FALLBACK_ENCODING",
    "GZIP_MAGIC",
    "Decoded",
    "check_encoding",
    "decode_bytes",
    "decode_html",
    "decode_line",
    "declared_charset",
    "format_size",
    "gunzip",
    "gunzip_partial",
    "sniff_format",
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


def _inflate(data: bytes, name: str, limit: int) -> tuple[bytes, str | None]:
    """Inflate every gzip member; return the bytes and, when the stream broke, why (else ``None``)."""
    out = io.BytesIO()
    inflater = zlib.decompressobj(wbits=31)
    rest = data
    broke = None
    try:
        while rest:
            out.write(inflater.decompress(rest, limit + 1 - out.tell()))
            if out.tell() > limit:
                raise UnreadableInput(
                    f"{name}: inflates to more than {format_size(limit)}; that is not a news page: split it, pass "
                    "the articles as JSONL, or raise --max-bytes"
                )
            if inflater.unconsumed_tail:
                rest = inflater.unconsumed_tail
                continue
            if not inflater.eof:
                broke = "the gzip data is truncated"
                break
            # a second gzip member may follow (files concatenated with cat)
            rest = inflater.unused_data.lstrip(b"\x00")
            inflater = zlib.decompressobj(wbits=31)
    except zlib.error as exc:
        broke = f"damaged gzip data ({exc})"
    return out.getvalue(), broke


def format_size(n: int) -> str:
    """A byte count for messages: ``20 MB``, ``1.5 MB``, ``800 bytes``."""
    return f"{n / 2**20:.3g} MB" if n >= 2**20 else f"{n:,} bytes"


def gunzip(data: bytes, name: str, limit: int = MAX_INFLATED_BYTES) -> bytes:
    """Decompress gzip bytes (several members allowed), refusing damaged, truncated or oversized streams."""
    out, broke = _inflate(data, name, limit)
    if broke:
        raise UnreadableInput(f"{name}: {broke}; re-create the file")
    return out


def gunzip_partial(data: bytes, name: str, limit: int = MAX_INFLATED_BYTES) -> tuple[bytes, str | None]:
    """Decompress gzip bytes, keeping what was read before a cut or damage, with a warning saying so.

    A page cut short by a failed download still holds its first paragraphs, and those are worth more than
    nothing; the warning (``None`` when the data was whole) goes into the report and the record. Nothing
    read at all, or more than ``limit`` bytes, raises :class:`UnreadableInput`.
    """
    out, broke = _inflate(data, name, limit)
    if broke is None:
        return out, None
    if not out.strip():
        raise UnreadableInput(f"{name}: {broke} before any text; re-create the file")
    return out, f"{name}: {broke}; read the {len(out):,} bytes before the cut, the rest is lost"


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    controls = len(_CONTROLS.findall(sample))
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
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UnreadableInput(f"{name}: broken UTF-16 text ({exc.reason}); re-save it as UTF-8") from None
        # NUL bytes are normal in UTF-16, so the byte test below cannot see a NUL character: test the text,
        # as for a declared encoding (a NUL reached the article's text, which PostgreSQL refuses to store)
        if "\x00" in text or _looks_binary(text):
            raise _binary(name)
        return Decoded(text, "utf-16")
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


# --- HTML pages: the charset they declare ---------------------------------------------------------------

# <meta charset=x>, <meta http-equiv="Content-Type" content="text/html; charset=x">, <?xml encoding="x"?>
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# How far into a page its charset declaration is looked for (browsers look at 1,024 bytes; be lenient).
_PRESCAN_BYTES = 4096
# Labels browsers read as Windows-1252 (WHATWG Encoding): a page "in Latin-1" is really in Windows-1252.
_AS_CP1252 = frozenset(("latin_1", "ascii", "iso8859_1", "cp1252"))


def _codec(label: str | bytes | None) -> str | None:
    if label is None:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "replace")
    try:
        name = codecs.lookup(label.strip()).name
    except LookupError:
        return None
    if name.startswith(("utf-16", "utf-32")):
        return "utf-8"  # a page that reached us as ASCII-compatible bytes is not UTF-16, whatever it says
    return FALLBACK_ENCODING if name in _AS_CP1252 else name


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset a page declares, as a Python codec name: the HTTP ``Content-Type`` first, then the markup.

    ``content_type`` is the HTTP header (from a WARC response); the markup is looked at in its first few
    kilobytes (``<meta charset>``, the ``http-equiv`` form, an XML declaration). Latin-1 and ASCII are read as
    Windows-1252, as browsers do; labels Python does not know are ignored (``None``).
    """
    if content_type:
        m = _HTTP_CHARSET.search(content_type)
        codec = _codec(m.group(1)) if m else None
        if codec:
            return codec
    head = data[:_PRESCAN_BYTES]
    m = _XML_ENCODING.match(head) or _META_CHARSET.search(head)
    return _codec(m.group(1)) if m else None


def decode_html(
    data: bytes, name: str, *, content_type: str | None = None, encoding: str | None = None
) -> Decoded:
    """Decode an HTML page's bytes: a declared ``encoding`` wins, then a BOM, then valid UTF-8, then the page's.

    Valid UTF-8 is taken as UTF-8 whatever the page declares: servers often label UTF-8 pages Latin-1 by
    default, and text in another encoding is almost never valid UTF-8 by chance. Otherwise the charset the
    page declares (HTTP header, then markup; see :func:`declared_charset`) is used when its bytes decode with
    it; a page that declares UTF-8 but is not, or declares nothing, is read as Windows-1252 with a warning
    naming the lie, so it is read, not lost. Binary data raises :class:`UnreadableInput`, as for text files.
    """
    if encoding is not None or data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return decode_bytes(data, name, encoding)
    declared = declared_charset(data, content_type)
    if declared not in (None, "utf-8", FALLBACK_ENCODING):
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            if not data.isascii() and "\x00" not in text and not _looks_binary(text):
                try:
                    data.decode("utf-8")
                except UnicodeDecodeError:
                    return Decoded(text, declared)
    decoded = decode_bytes(data, name)
    if decoded.encoding == FALLBACK_ENCODING and declared == FALLBACK_ENCODING:
        return Decoded(decoded.text, FALLBACK_ENCODING)  # what it said it was: no guess, no warning
    if decoded.warning and declared is not None:
        said = "UTF-8" if declared == "utf-8" else declared
        reason = decoded.warning.split("(", 1)[1].split(")", 1)[0]
        return Decoded(
            decoded.text,
            decoded.encoding,
            f"{name}: declares {said} but is not ({reason}); read as Windows-1252: check accented letters, "
            "or declare the encoding with --encoding",
        )
    return decoded


# --- what an input is, from its first bytes -------------------------------------------------------------

# The first element of an XML or HTML document, after declarations, comments, processing instructions
_ROOT = re.compile(
    rb"^(?:\s|<\?.*?\?>|<!--.*?-->|<!doctype[^>]*>)*<([A-Za-z][\w:.-]*)", re.DOTALL | re.IGNORECASE
)
_FEED_ROOTS = frozenset((b"rss", b"feed", b"rdf:rdf"))
_WARC_MAGIC = (b"WARC/1.", b"WARC/0.")
# ARC files (the Internet Archive's format before WARC) open with a filedesc:// header record.
_ARC_MAGIC = b"filedesc://"


def sniff_format(head: bytes) -> str:
    """Name the format of an input from its first kilobytes (already gunzipped): what ``auto`` means for stdin.

    ``warc`` for a WARC (``WARC/1.``) or ARC file, ``jsonl`` when the first non-blank character is ``{``,
    ``feed`` for an XML document whose root is ``<rss>``, ``<feed>`` or ``<rdf:RDF>``, ``html`` for an HTML
    or XHTML page, ``text`` for anything else (a binary blob is refused later, when it is decoded).
    """
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(_WARC_MAGIC) or body.startswith(_ARC_MAGIC):
        return "warc"
    if body.startswith(b"{"):
        return "jsonl"
    if not body.startswith(b"<"):
        return "text"
    m = _ROOT.match(body[:_PRESCAN_BYTES])
    root = m.group(1).lower() if m else b""
    if root in _FEED_ROOTS:
        return "feed"
    if root in (b"html", b"head", b"body") or body[:15].lower().startswith(b"<!doctype html"):
        return "html"
    return "text"
