"""Bytes to text: size caps, binary sniffing, charset detection and content-kind sniffing.

Every input kind (files, fetched pages, feed entries, table rows) goes through these helpers so
that caps and decoding rules are the same everywhere. Input is hostile: nothing here trusts a
declared charset blindly, and binary payloads are refused before any parser sees them.
"""

from __future__ import annotations

import codecs
import functools
import logging
import re
from dataclasses import dataclass
from typing import Literal

import charset_normalizer

from newsprism.errors import ParseError

MAX_INPUT_BYTES = 5 * 1024 * 1024  # one document (file, page, feed, table row); bigger is refused
MAX_INPUT_LABEL = "5 MB"  # how MAX_INPUT_BYTES is named in rejection messages
SNIFF_BYTES = 4096  # how much of the start of a payload content sniffing looks at

# Magic numbers of formats people plausibly drop into a news folder by mistake. Short ASCII magics
# ("MZ", "ID3", "BZh") are left out: a text may start with them; those formats contain NUL bytes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP/Office document"),
    (b"\x1f\x8b", "gzip"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip"),
    (b"\x7fELF", "ELF executable"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office document"),
    (b"\x00\x00\x00\x18ftyp", "MP4"),
    (b"\x00\x00\x00\x20ftyp", "MP4"),
    (b"\x1a\x45\xdf\xa3", "Matroska/WebM"),
)
_RIFF_KINDS = {b"WEBP": "WEBP", b"WAVE": "WAV", b"AVI ": "AVI"}
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control characters (other than tab/newline/CR/form feed) above which decoded text is
# judged garbage. Real articles have ~0; mis-decoded binaries have several percent.
MAX_CONTROL_CHAR_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")

# Mixed encodings: UTF-8 text with parts in a single-byte legacy encoding (a latin-1 paragraph
# pasted into a UTF-8 file). Measured on the xling bench articles re-encoded in cp1252, latin-1,
# cp1251 and KOI8-R, and on CJK text in Shift-JIS, EUC-JP, GBK, Big5 and EUC-KR: a file wholly
# in a legacy encoding has at most 0.05 "clean" UTF-8 characters (a valid multi-byte sequence
# with no undecodable byte beside it) per undecodable byte, and no line with non-ASCII text that
# is valid UTF-8. A file is read as mixed above either mark; otherwise it is one legacy encoding.
MIXED_MIN_UTF8_SHARE = 0.25  # clean UTF-8 characters per undecodable byte
MIXED_MIN_LINE_CHARS = 2  # non-ASCII characters on lines that are wholly valid UTF-8
MIXED_FALLBACK_ENCODING = "cp1252"  # undecodable parts, unless a single-byte charset is declared
_ESCAPED = re.compile("[\udc80-\udcff]+")  # bytes that are not UTF-8, after surrogateescape
_CLEAN_UTF8 = re.compile("(?<![\udc80-\udcff])[^\x00-\x7f\udc80-\udcff](?![\udc80-\udcff])")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_LATIN1_NAMES = frozenset({"iso8859-1", "ascii", "utf-8", MIXED_FALLBACK_ENCODING})
_log = logging.getLogger(__name__)

ContentKind = Literal["html", "feed", "xml", "json", "text"]


def too_large_problem() -> str:
    """The one wording used for every size-cap rejection."""
    return f"larger than {MAX_INPUT_LABEL} cap"


def bom_encoding(data: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def binary_kind(data: bytes) -> str | None:
    """Name of the binary format ``data`` looks like ("PNG", "NUL bytes"...), or None for text."""
    head = data[:SNIFF_BYTES]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[head[8:12]]
    if bom_encoding(head) in ("utf-16", "utf-32"):
        return None  # NUL bytes are expected in UTF-16/32 text
    if b"\x00" in head:
        return "contains NUL bytes"
    return None


def binary_problem(kind: str) -> str:
    """Rejection wording for a binary payload."""
    if kind.startswith("contains"):
        return f"binary file ({kind})"
    return f"binary file (looks like {kind})"


def normalize_newlines(text: str) -> str:
    """CRLF / CR line ends to LF; drop a leading BOM character that survived decoding."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")


def _lookup(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding.strip().strip("\"'")).name
    except LookupError:
        return None


def decode_bytes(data: bytes, origin: str, declared: str | None = None) -> str:
    """Decode ``data`` to text: BOM, then UTF-8, then mixed UTF-8, then a declared charset, then detection.

    ``declared`` is a charset from an HTTP header or an HTML meta tag. Valid UTF-8 wins over it:
    servers often claim ISO-8859-1 for UTF-8 pages, and non-ASCII text in a legacy encoding is
    almost never valid UTF-8 by accident. So does mostly-valid UTF-8 (``decode_mixed``: a legacy
    charset would turn its UTF-8 parts to mojibake); a one-line warning naming ``origin`` is
    logged when a file is read that way. A declared charset that fails to decode is ignored.
    Raises ``ParseError`` for binary content or bytes no encoding explains.
    """
    declared_name = _lookup(declared)
    wide = declared_name is not None and declared_name.startswith(("utf-16", "utf-32"))
    kind = None if wide else binary_kind(data)  # NUL bytes are normal in declared UTF-16/32
    if kind:
        raise ParseError(origin, binary_problem(kind))
    text = _strict_decode(data, (bom_encoding(data), declared_name if wide else None, "utf-8"))
    if text is None and not wide:
        mixed = decode_mixed(data, declared_name)
        if mixed is not None and not _looks_garbled(mixed.text):
            text = mixed.text
            _log.warning("warning: %s: %s", origin, mixed.problem())
    if text is None:
        text = _strict_decode(data, (declared_name,))
    if text is None:
        best = charset_normalizer.from_bytes(data).best()
        text = str(best) if best is not None else None
    if text is None or _looks_garbled(text):
        raise ParseError(origin, "not valid UTF-8 or any detectable encoding")
    return normalize_newlines(text)


@dataclass(frozen=True, slots=True)
class MixedDecoding:
    """Text read from UTF-8 with parts in a legacy encoding: how many lines were, and in what."""

    text: str
    legacy_lines: int
    legacy_encoding: str

    def problem(self) -> str:
        """The one-line warning: what was done and how to avoid it."""
        return (
            f"mixed encodings: {self.legacy_lines} line(s) not valid UTF-8 were read as {self.legacy_encoding},"
            " the rest as UTF-8 (check those lines; save the file as UTF-8 to avoid this)"
        )


def decode_mixed(data: bytes, declared: str | None = None) -> MixedDecoding | None:
    """Mostly-UTF-8 ``data`` with some parts that are not, each part decoded sensibly; else None.

    None when ``data`` is valid UTF-8, or shows too little UTF-8 (see ``MIXED_MIN_UTF8_SHARE``):
    a file wholly in one legacy encoding is left to charset detection. A line that is valid UTF-8
    stays UTF-8; a line with enough clean UTF-8 of its own keeps it and reads only its undecodable
    bytes in the legacy encoding (a declared single-byte charset, else Windows-1252); any other
    line is read wholly in the legacy encoding.
    """
    escaped = data.decode("utf-8", "surrogateescape")
    undecodable = sum(len(run) for run in _ESCAPED.findall(escaped))
    clean = len(_CLEAN_UTF8.findall(escaped))
    if not undecodable or not clean:
        return None
    lines = escaped.split("\n")
    line_chars = sum(len(_NON_ASCII.findall(line)) for line in lines if not _ESCAPED.search(line))
    if clean < MIXED_MIN_UTF8_SHARE * undecodable and line_chars < MIXED_MIN_LINE_CHARS:
        return None
    legacy = _legacy_encoding(declared)
    table = _decoding_table(legacy)
    out: list[str] = []
    converted = 0
    for line in lines:
        runs = _ESCAPED.findall(line)
        if runs:
            converted += 1
            if len(_CLEAN_UTF8.findall(line)) >= MIXED_MIN_UTF8_SHARE * sum(map(len, runs)):
                line = _ESCAPED.sub(lambda m: _legacy_decode(m.group(), table), line)
            else:
                line = _legacy_decode(line, table)
        out.append(line)
    return MixedDecoding("\n".join(out), converted, legacy)


def _legacy_encoding(declared: str | None) -> str:
    """The encoding for a mixed file's non-UTF-8 parts: a declared single-byte one, else cp1252.

    ISO-8859-1 and ASCII labels mean Windows-1252 on the web (WHATWG), so they fall back too."""
    if declared is None or declared in _LATIN1_NAMES:
        return MIXED_FALLBACK_ENCODING
    high = bytes(range(0x80, 0x100))
    if len(high.decode(declared, "replace")) != len(high):  # multi-byte: cannot read stray bytes
        return MIXED_FALLBACK_ENCODING
    return declared


@functools.lru_cache(maxsize=8)
def _decoding_table(encoding: str) -> str:
    """256 characters: byte i in ``encoding``, or U+00i where it has none (latin-1)."""
    chars = []
    for value in range(256):
        try:
            char = bytes([value]).decode(encoding)
        except UnicodeDecodeError:
            char = ""
        chars.append(char if len(char) == 1 else chr(value))
    return "".join(chars)


def _legacy_decode(escaped: str, table: str) -> str:
    """Decode a surrogate-escaped piece of text with a single-byte table."""
    raw = escaped.encode("utf-8", "surrogateescape")
    return codecs.charmap_decode(raw, "strict", table)[0]


def _strict_decode(data: bytes, encodings: tuple[str | None, ...]) -> str | None:
    """``data`` decoded by the first of ``encodings`` that decodes it wholly into text, or None."""
    for encoding in encodings:
        if encoding is None:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _looks_garbled(text):
            return text
    return None


def _looks_garbled(text: str) -> bool:
    if not text:
        return False
    sample = text[:20000]
    return len(_CONTROL.findall(sample)) > MAX_CONTROL_CHAR_SHARE * len(sample)


_HTML_HINT = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<p[\s>]|<div[\s>]|<article[\s>]",
    re.I,
)
_FEED_HINT = re.compile(rb"<rss[\s>]|<feed[\s>][^>]*|<rdf:rdf[\s>]|<channel[\s>]", re.I)


def sniff_kind(data: bytes) -> ContentKind:
    """Guess what a payload is from its first bytes: HTML, an RSS/Atom feed, other XML, JSON, text.

    Works on bytes so it can run before decoding; UTF-16/32 payloads are decoded for the check.
    """
    head = data[:SNIFF_BYTES]
    bom = bom_encoding(head)
    if bom in ("utf-16", "utf-32"):
        head = head.decode(bom, errors="ignore").encode("utf-8")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    feed, html = _FEED_HINT.search(head), _HTML_HINT.search(head)
    if feed and (not html or stripped.startswith(b"<?xml") or _is_feed_root(stripped)):
        return "feed"
    if html:
        return "html"
    if stripped.startswith(b"<?xml"):
        return "xml"
    if stripped[:1] in (b"{", b"["):
        return "json"
    return "text"


def _is_feed_root(stripped: bytes) -> bool:
    lowered = stripped[:200].lower()
    return lowered.startswith((b"<rss", b"<rdf:rdf", b"<feed"))
