"""Bytes -> str for scraped pages: BOM, HTTP charset, meta charset, UTF-8, detection; never silent mojibake.

The order follows the HTML standard (BOM, then transport, then the document's own declaration) with
two deliberate departures, because scraped pages lie about their encoding more often than browsers
admit:

* a ``<meta charset>`` is honoured anywhere in the first 64 KB, not only the first 1,024 bytes
  (some pages declare it late; lexbor's own sniffing then reads them as UTF-8 with U+FFFDs);
* a declared single-byte charset (latin-1, windows-1252...) loses to UTF-8 when the bytes are valid,
  non-ASCII UTF-8: servers default to ``ISO-8859-1`` for pages that are really UTF-8, and decoding
  those as declared is exactly the mojibake we must not produce.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from factcheck.ingest.errors import IngestError

#: how far into the document a meta/XML charset declaration is looked for: well past the standard's
#: 1,024 bytes, because pages put it after big inline styles (seen at 21 KB in generated pages)
META_SCAN_BYTES = 65536
#: bytes sniffed for binary content and BOM-less UTF-16
SNIFF_BYTES = 8192

_XML_DECL_RE = re.compile(rb"""<\?xml\b[^>]{0,200}?encoding\s*=\s*["']([a-z0-9_:.()+\-]+)""", re.IGNORECASE)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"%PDF-", "PDF document"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx)"),
    (b"\x1f\x8b", "gzip data (not decompressed)"),
    (b"\x7fELF", "ELF executable"),
    (b"\x00asm", "WebAssembly module"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
    (b"BZh", "bzip2 data"),
    (b"\xfd7zXZ\x00", "xz data"),
)

_CHARSET_RE = re.compile(rb"""charset\s*=\s*["']?\s*([a-z0-9_:.()+\-]+)""", re.IGNORECASE)

# WHATWG labels whose Python codec differs from the label (the standard maps these to supersets).
_ALIASES = {
    "latin1": "cp1252", "latin-1": "cp1252", "iso-8859-1": "cp1252", "iso8859-1": "cp1252",
    "iso_8859-1": "cp1252", "l1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252",
    "windows-1252": "cp1252", "x-cp1252": "cp1252", "iso-8859-9": "cp1254", "latin5": "cp1254",
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932", "ms_kanji": "cp932",
    "windows-31j": "cp932", "csshiftjis": "cp932", "gb2312": "gb18030", "gbk": "gb18030",
    "x-gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "big5": "big5hkscs",
    "tis-620": "cp874", "iso-8859-11": "cp874", "x-mac-roman": "mac_roman", "macintosh": "mac_roman",
    # A page that declares UTF-16 in ASCII-compatible bytes cannot be UTF-16 (the standard says utf-8).
    "utf-16": "utf-8", "utf-16le": "utf-8", "utf-16be": "utf-8", "unicode": "utf-8",
}
_SINGLE_BYTE = frozenset({
    "cp1252", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "cp874", "mac_roman", "koi8_r", "koi8_u", "cp437", "cp850",
    *(f"iso8859_{i}" for i in range(1, 17)),
})
# detections trusted over the windows-1252 default: other scripts, Central European, multi-byte
_DISTINCT = frozenset({
    "cp1250", "iso8859_2", "cp1251", "koi8_r", "koi8_u", "mac_cyrillic", "iso8859_5", "cp866", "cp855",
    "cp1253", "iso8859_7", "mac_greek", "cp1255", "iso8859_8", "cp862", "cp1256", "iso8859_6", "cp874",
    "tis_620", "cp932", "shift_jis", "euc_jp", "euc_jis_2004", "iso2022_jp", "gb18030", "gb2312", "gbk",
    "big5", "big5hkscs", "cp949", "euc_kr", "johab", "cp1258", "utf_16", "utf_32", "utf-8", "utf_8",
})
# bytes that never occur in text (tab, LF, FF, CR and ESC of ISO-2022 excluded)
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 32 and b not in (9, 10, 12, 13, 27)))


@dataclass(slots=True)
class Decoded:
    """A decoded document: ``text``, the codec used, how it was chosen, and any doubts."""

    text: str
    encoding: str
    method: str  # "empty" | "bom" | "http" | "meta" | "utf-8" | "utf-16-sniff" | "detected" | "replace"
    warnings: list[str] = field(default_factory=list)


def normalize_charset(label: str | None) -> str | None:
    """The Python codec name for a charset label (WHATWG supersets applied), or None if unknown."""
    if not label:
        return None
    key = label.strip().strip("\"'").lower()
    key = _ALIASES.get(key, key)
    try:
        info = codecs.lookup(key)
    except LookupError:
        return None
    # base64, rot13, zlib... are codecs but not text encodings: a page must not pick them.
    if not getattr(info, "_is_text_encoding", True):
        return None
    name = info.name
    return {"iso8859-1": "cp1252", "ascii": "cp1252", "latin-1": "cp1252"}.get(name, name)


def sniff_binary(data: bytes) -> str | None:
    """A description of ``data`` when it is clearly not text (magic bytes, many control bytes)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    sample = data[:SNIFF_BYTES]
    if not sample or (sample.isascii() and b"\x00" not in sample and b"\x01" not in sample):
        return None  # the common case, decided in two C scans
    controls = len(sample.translate(None, _NOT_CONTROL))
    if controls > max(4, len(sample) // 20):
        return f"binary data ({controls} control bytes in the first {len(sample)})"
    return None


def _sniff_utf16(sample: bytes) -> str | None:
    """``utf-16-le``/``-be`` when NULs sit on one byte parity, as ASCII markup in UTF-16 puts them."""
    half = len(sample) // 2
    if half < 2 or b"\x00" not in sample:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def declared_charset(data: bytes) -> str | None:
    """The charset a ``<meta>`` tag (first 64 KB) or XML declaration gives, if any."""
    if (x := _XML_DECL_RE.match(data[:512].lstrip())) is not None:
        return x.group(1).decode("ascii", "replace")
    # bytes.find is ~50x faster than an IGNORECASE regex search over 64 KB; "harset" catches
    # charset/Charset, "HARSET" the shouting pages.
    for needle in (b"harset", b"HARSET"):
        i = data.find(needle, 1, META_SCAN_BYTES)
        while i >= 0:
            m = _CHARSET_RE.match(data, i - 1)
            if m is not None:
                lt = data.rfind(b"<", max(0, i - 1024), i)  # bounded: no quadratic rescans
                if lt >= 0 and data[lt:lt + 5].lower() == b"<meta" and data.find(b">", lt, i) < 0:
                    return m.group(1).decode("ascii", "replace")
            i = data.find(needle, i + 6, META_SCAN_BYTES)
    return None


def _strict(data: bytes, encoding: str, truncated: bool) -> str | None:
    try:
        if truncated:
            # A cut input may end inside a multi-byte character; drop that tail instead of failing.
            return codecs.getincrementaldecoder(encoding)("strict").decode(data, final=False)
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _is_ascii(data: bytes) -> bool:
    return data.isascii()


def _prefer_utf8(data: bytes, enc: str, truncated: bool) -> str | None:
    """UTF-8 text when ``enc`` is a single-byte charset but the bytes are non-ASCII valid UTF-8."""
    if enc in _SINGLE_BYTE and not _is_ascii(data):
        return _strict(data, "utf-8", truncated)
    return None


def _detect(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    # Detection is for the rare undeclared, non-UTF-8 page; bound its cost on huge inputs.
    matches = from_bytes(data[:200_000], steps=5, chunk_size=512)
    best = matches.best()
    if best is None or not best.encoding:
        return None
    enc = normalize_charset(best.encoding) or best.encoding
    # Short Western text fits several Latin code pages about equally (charset-normalizer reads "Déjà"
    # as cp1257 "Déją"); the web's default, windows-1252, wins unless the guess is a script of its own.
    near_1252 = any(m.encoding == "cp1252" and m.chaos <= best.chaos + 0.1 for m in matches)
    if near_1252 or (enc not in _DISTINCT and (enc in _SINGLE_BYTE or enc.startswith(("cp", "mac")))):
        enc = "cp1252"
    text = _strict(data, enc, truncated=True)
    if text is None:
        return None
    return text, enc


def decode_bytes(
    data: bytes, *, http_charset: str | None = None, declared_html: bool = True, truncated: bool = False,
) -> Decoded:
    """Decode a page's bytes; raise ``IngestError`` for binary content.

    Order: BOM, ``http_charset``, meta/XML charset in the first 64 KB (when ``declared_html``), strict
    UTF-8, BOM-less UTF-16, charset-normalizer detection, and last UTF-8 with replacement characters
    (with a warning naming the count). A declaration that fails to decode the bytes strictly is
    skipped with a warning. ``truncated`` tolerates a multi-byte character cut at the end.
    """
    if not data:
        return Decoded("", "utf-8", "empty")
    warnings: list[str] = []

    for bom, enc in _BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], enc, truncated)
            if text is not None:
                return Decoded(text, enc, "bom")
            warnings.append(f"byte-order mark says {enc} but the bytes do not decode as {enc}")
            break

    # Before the binary check (its NULs look binary) and before UTF-8 (ASCII in UTF-16 is valid UTF-8).
    utf16 = _sniff_utf16(data[:SNIFF_BYTES])
    if utf16 is not None:
        text = _strict(data, utf16, truncated)
        if text is not None:
            return Decoded(text, utf16, "utf-16-sniff", warnings)

    what = sniff_binary(data)
    if what is not None:
        raise IngestError(f"not text: looks like {what}")

    meta = declared_charset(data) if declared_html else None
    for method, label in (("http", http_charset), ("meta", meta)):
        if not label:
            continue
        norm = normalize_charset(label)
        if norm is None:
            warnings.append(f"{method} charset {label!r} is unknown; ignored")
            continue
        enc = norm
        utf8 = _prefer_utf8(data, enc, truncated)
        if utf8 is not None:
            warnings.append(f"{method} charset {label!r} declared but the bytes are valid UTF-8; used utf-8")
            return Decoded(utf8, "utf-8", "utf-8", warnings)
        text = _strict(data, enc, truncated)
        if text is not None:
            return Decoded(text, enc, method, warnings)
        warnings.append(f"{method} charset {label!r} does not decode the bytes; ignored")

    text = _strict(data, "utf-8", truncated)
    if text is not None:
        return Decoded(text, "utf-8", "utf-8", warnings)

    found = _detect(data)
    if found is not None:
        text, enc = found
        warnings.append(f"no usable charset declared and not UTF-8; detected {enc}")
        return Decoded(text, enc, "detected", warnings)

    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    warnings.append(f"no encoding decodes the bytes strictly; decoded as utf-8 with {bad} replacement "
                    "characters (U+FFFD)")
    return Decoded(text, "utf-8", "replace", warnings)
