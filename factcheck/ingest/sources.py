"""Inputs -> ``RawInput``s: files, folders, globs, gzip, WARC and JSONL, one per page, errors included.

A batch writes exactly one report line per input and resumes by ``source``, so every input,
broken ones too, comes out as a ``RawInput`` with a unique, stable ``source``:

* a file: its path as given (``pages/a.html``);
* a WARC record: ``crawl.warc.gz#<WARC-Record-ID>`` (``#@<offset>`` when the record has no id or
  repeats one);
* a JSONL line: ``items.jsonl:17`` (1-based line number).

Nothing is read whole: every read stops at ``max_bytes + 1`` bytes, and a larger input is cut to
``max_bytes`` with a warning (``truncated=True``).
"""

from __future__ import annotations

import glob
import gzip
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Literal

from factcheck.ingest.errors import IngestError
from factcheck.ingest.page import Page

#: default per-input size limit (bytes of HTML/text after gzip/WARC/HTTP decoding)
MAX_BYTES = 20 * 1024 * 1024

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
TEXT_SUFFIXES = (".txt", ".text", ".md")
WARC_SUFFIXES = (".warc", ".warc.gz", ".arc.gz")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
_GZ_PAGE_SUFFIXES = tuple(s + ".gz" for s in HTML_SUFFIXES + TEXT_SUFFIXES)
#: files a folder walk picks up
SUFFIXES = HTML_SUFFIXES + TEXT_SUFFIXES + _GZ_PAGE_SUFFIXES + WARC_SUFFIXES + JSONL_SUFFIXES
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ_CHUNK = 1 << 20

Kind = Literal["html", "text"]


@dataclass(slots=True)
class RawInput:
    """One page's bytes (or the error that stopped them), before decoding."""

    source: str
    data: bytes | None
    kind: Kind = "html"
    url: str | None = None
    http_charset: str | None = None
    error: IngestError | None = None
    warnings: list[str] = field(default_factory=list)
    truncated: bool = False


def _error(source: str, message: str, kind: Kind = "html", url: str | None = None) -> RawInput:
    return RawInput(source, None, kind, url, None, IngestError(message, source=source))


def _limit(source: str, data: bytes, max_bytes: int, kind: Kind, url: str | None = None,
           http_charset: str | None = None) -> RawInput:
    """A RawInput from at most ``max_bytes + 1`` bytes; over the limit it is cut with a warning."""
    if len(data) <= max_bytes:
        return RawInput(source, data, kind, url, http_charset)
    warning = f"input larger than max_bytes={max_bytes}; only the first {max_bytes} bytes were read"
    return RawInput(source, data[:max_bytes], kind, url, http_charset, warnings=[warning], truncated=True)


def _name_kind(name: str) -> Kind | None:
    low = name.lower()
    if low.endswith(".gz"):
        low = low[:-3]
    if low.endswith(HTML_SUFFIXES):
        return "html"
    if low.endswith(TEXT_SUFFIXES):
        return "text"
    return None


def expand_paths(paths: Iterable[str | Path]) -> Iterator[str]:
    """Files named by ``paths``: files as given, folders walked recursively (sorted), globs expanded.

    A path that matches nothing is yielded as is (reading it then reports the error).
    """
    for p in paths:
        text = os.fspath(p)
        if os.path.isdir(text):
            found: list[str] = []
            for root, dirs, files in os.walk(text):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(os.path.join(root, f) for f in files
                             if not f.startswith(".") and f.lower().endswith(SUFFIXES))
            yield from sorted(found)
        elif not os.path.exists(text) and glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield text
            for m in matches:
                if os.path.isdir(m):
                    yield from expand_paths([m])
                else:
                    yield m
        else:
            yield text


def iter_inputs(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES) -> Iterator[RawInput]:
    """Every page in ``paths`` (files, folders, globs; html/htm/txt, .gz, WARC, JSONL) as a RawInput.

    Never raises for bad input: an unreadable file, corrupt gzip, truncated WARC record or bad JSONL
    line becomes a RawInput with ``error`` set, and iteration goes on.
    """
    for path in expand_paths(paths):
        low = path.lower()
        if low.endswith(WARC_SUFFIXES):
            yield from iter_warc(path, max_bytes=max_bytes)
        elif low.endswith(JSONL_SUFFIXES):
            yield from iter_jsonl(path, max_bytes=max_bytes)
        else:
            yield read_file(path, max_bytes=max_bytes)


def _read_upto(fh: IO[bytes], limit: int) -> bytes:
    """``fh.read(limit)``, asking first for the file's size: a read of 20 MB allocates that much
    for a 70 KB page (0.1 ms a page on a crawl). A file that grew meanwhile is read on to ``limit``."""
    try:
        size = os.fstat(fh.fileno()).st_size
    except (OSError, ValueError):
        return fh.read(limit)
    if size + 1 >= limit:
        return fh.read(limit)
    data = fh.read(size + 1)
    if len(data) > size:  # longer than it said (growing, or a special file): read on as read(limit) would
        data += fh.read(limit - len(data))
    return data


def read_file(path: str, *, max_bytes: int = MAX_BYTES) -> RawInput:
    """One page file (``.gz`` decompressed); an unknown suffix is sniffed (``<`` first: HTML)."""
    kind = _name_kind(path)
    try:
        if path.lower().endswith(".gz"):
            with gzip.open(path, "rb") as fh:
                data = fh.read(max_bytes + 1)
        else:
            with open(path, "rb") as fh:
                data = _read_upto(fh, max_bytes + 1)
    except FileNotFoundError:
        return _error(path, "no such file", kind or "html")
    except IsADirectoryError:
        return _error(path, "is a directory", kind or "html")
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        return _error(path, f"corrupt gzip: {exc or type(exc).__name__}", kind or "html")
    except OSError as exc:
        return _error(path, f"cannot read: {exc.strerror or exc}", kind or "html")
    if kind is None:
        kind = "html" if data.lstrip()[:1] == b"<" else "text"
    return _limit(path, data, max_bytes, kind)


def iter_jsonl(path: str, *, max_bytes: int = MAX_BYTES) -> Iterator[RawInput]:
    """One RawInput per non-blank line of ``{"url": ..., "html": ...}`` or ``{"url": ..., "text": ...}``."""
    try:
        opener = gzip.open if path.lower().endswith(".gz") else open
        fh: IO[bytes] = opener(path, "rb")  # type: ignore[assignment]
    except OSError as exc:
        yield _error(path, f"cannot read: {exc.strerror or exc}")
        return
    with fh:
        lineno = 0
        while True:
            try:
                line = fh.readline(max_bytes + 1)
            except (gzip.BadGzipFile, EOFError, zlib.error, OSError) as exc:
                yield _error(f"{path}:{lineno + 1}", f"corrupt file after line {lineno}: {exc}")
                return
            if not line:
                return
            lineno += 1
            source = f"{path}:{lineno}"
            if len(line) > max_bytes and not line.endswith(b"\n"):
                if not _skip_rest_of_line(fh):
                    return
                yield _error(source, f"line {lineno} is longer than max_bytes={max_bytes}; skipped")
                continue
            if not line.strip():
                continue
            yield _jsonl_item(source, lineno, line, max_bytes)


def _skip_rest_of_line(fh: IO[bytes]) -> bool:
    while True:
        try:
            chunk = fh.readline(_READ_CHUNK)
        except (gzip.BadGzipFile, EOFError, zlib.error, OSError):
            return False
        if not chunk:
            return True
        if chunk.endswith(b"\n"):
            return True


def _jsonl_item(source: str, lineno: int, line: bytes, max_bytes: int) -> RawInput:
    try:
        item = json.loads(line)
    except (ValueError, RecursionError) as exc:
        return _error(source, f"line {lineno} is not JSON: {exc}")
    if not isinstance(item, dict):
        return _error(source, f"line {lineno} is a JSON {type(item).__name__}, not an object")
    url = item.get("url")
    url = url if isinstance(url, str) else None
    for key, kind in (("html", "html"), ("text", "text")):
        value = item.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            return _error(source, f"line {lineno}: field {key!r} must be a string, not "
                          f"{type(value).__name__}", kind, url)  # type: ignore[arg-type]
        try:
            data = value.encode("utf-8")
            note = None
        except UnicodeEncodeError:  # JSON may carry lone surrogates ("\ud800")
            data = value.encode("utf-8", "replace")
            note = f"line {lineno}: lone surrogate characters in {key!r} replaced by '?'"
        raw = _limit(source, data, max_bytes, kind, url, "utf-8")  # type: ignore[arg-type]
        if note:
            raw.warnings.append(note)
        return raw
    return _error(source, f"line {lineno} has neither an 'html' nor a 'text' field", url=url)


def iter_warc(path: str, *, max_bytes: int = MAX_BYTES) -> Iterator[RawInput]:
    """HTML response (and resource) records of a WARC/WARC.gz file, read with FastWARC.

    Keeps the target URI and the HTTP charset; HTTP content/transfer encodings are undone. A record
    cut short, or a stream that cannot be parsed further, yields an error naming file and record.
    """
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    try:
        stream = open(path, "rb")  # noqa: SIM115 - closed below; ArchiveIterator reads it lazily
    except OSError as exc:
        yield _error(path, f"cannot read: {exc.strerror or exc}")
        return
    seen: set[str] = set()
    last = "its start"
    last_pos = -1
    cut_reported = False
    with stream:
        # All record types come through (filtered below) so the last record seen is the last one
        # parsed, which the tail check after the loop relies on.
        records = ArchiveIterator(stream, parse_http=False, auto_decode="none")
        try:
            for record in records:
                last_pos = record.stream_pos
                if record.record_type not in (WarcRecordType.response, WarcRecordType.resource):
                    record.reader.consume()
                    continue
                rid = (record.record_id or "").strip("<>")
                source = f"{path}#{rid}" if rid and rid not in seen else f"{path}#@{record.stream_pos}"
                seen.add(rid)
                last = f"record {source}"
                raw = _warc_record(record, source, max_bytes, WarcRecordType.resource)
                cut_reported = raw is not None and raw.error is not None and "truncated" in raw.error.message
                if raw is not None:
                    yield raw
        except (OSError, ValueError, EOFError, zlib.error) as exc:
            # one per file at most: iteration cannot go on in a stream that does not parse
            yield _error(f"{path}#@stream-error",
                         f"WARC stream unreadable after {last}: {exc or type(exc).__name__}")
            return
    problem = None if cut_reported else _warc_tail_problem(path, last_pos)
    if problem:
        yield _error(f"{path}#@stream-error", f"{problem} (after {last})")


def _warc_tail_problem(path: str, last_pos: int) -> str | None:
    """Why the WARC file does not end cleanly after the last parsed record, or None.

    FastWARC ends iteration quietly at a truncated gzip member or unparsable bytes, which would
    drop the cut-off records without a trace; a batch must report them.
    """
    try:
        size = os.path.getsize(path)
        with open(path, "rb") as fh:
            start = max(last_pos, 0)
            fh.seek(start)
            head = fh.read(2)
            if head == b"\x1f\x8b":
                fh.seek(start)
                return _gzip_tail_problem(fh, members_allowed=1 if last_pos >= 0 else 0)
            if last_pos < 0:
                return "no WARC record found" if size else None
            fh.seek(last_pos)
            block = fh.read(65536)
    except OSError as exc:
        return f"cannot re-read the file: {exc.strerror or exc}"
    hdr_end = block.find(b"\r\n\r\n")
    length = None
    for line in block[:hdr_end].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length" and value.strip().isdigit():
            length = int(value.strip())
    if hdr_end < 0 or length is None:
        return "WARC record headers cut off at the end of the file"
    end = last_pos + hdr_end + 4 + length
    if size < end:
        return f"last WARC record cut off: file ends {end - size} bytes early"
    if size > end + 4:
        with open(path, "rb") as fh:
            fh.seek(end)
            if fh.read(4096).strip():
                return f"unparsable data after byte {end}"
    return None


def _gzip_tail_problem(fh: IO[bytes], members_allowed: int) -> str | None:
    members = 0
    d = None
    while chunk := fh.read(_READ_CHUNK):
        while chunk:
            if d is None:
                if not chunk.strip(b"\x00\r\n "):
                    break  # padding
                if members >= members_allowed:
                    return "a record after it is truncated or corrupt (unparsable gzip member)"
                d = zlib.decompressobj(31)
            try:
                d.decompress(chunk)
            except zlib.error as exc:
                return f"corrupt gzip data: {exc}"
            if not d.eof:
                break
            members += 1
            chunk = d.unused_data
            d = None
    if d is not None:
        return "truncated gzip member at the end of the file"
    return None


def _warc_record(record: Any, source: str, max_bytes: int, resource: object) -> RawInput | None:
    rec = record  # fastwarc.warc.WarcRecord; Any because fastwarc ships no stubs
    headers = rec.headers
    url = headers.get("WARC-Target-URI")
    length = rec.content_length
    if rec.record_type == resource:
        ctype = headers.get("Content-Type", "")
        if not ctype.lower().startswith(_HTML_TYPES):
            rec.reader.consume()
            return None
        body = rec.reader.read(max_bytes + 1)
        if len(body) < min(length, max_bytes + 1):
            return _error(source, f"truncated WARC record: {len(body)} of {length} bytes", url=url)
        return _limit(source, body, max_bytes, "html", url, _charset_of(ctype))
    block = rec.reader.read(max_bytes + 1 + 65536)
    if len(block) < min(length, max_bytes + 1 + 65536):
        return _error(source, f"truncated WARC record: {len(block)} of {length} bytes", url=url)
    head, sep, body = block.partition(b"\r\n\r\n")
    if not sep:
        head, sep, body = block.partition(b"\n\n")
    if not sep or not head.startswith(b"HTTP/"):
        return _error(source, "WARC response record holds no HTTP response", url=url)
    status, http = _parse_http_head(head)
    ctype = http.get("content-type", "")
    if not ctype.lower().startswith(_HTML_TYPES):
        return None  # images, CSS, scripts: not pages
    if status is not None and (100 <= status < 200 or status in (204, 304) or 300 <= status < 400):
        return None  # no page body (redirects, not-modified)
    try:
        body = _undo_http_encodings(body, http, max_bytes)
    except (OSError, ValueError, zlib.error, EOFError) as exc:
        return _error(source, f"cannot decode the HTTP body: {exc}", url=url)
    if length > max_bytes + 65536:
        body = body[: max_bytes + 1]
    return _limit(source, body, max_bytes, "html", url, _charset_of(ctype))


def _parse_http_head(head: bytes) -> tuple[int | None, dict[str, str]]:
    lines = head.decode("latin-1").split("\n")
    status: int | None = None
    parts = lines[0].split()
    if len(parts) >= 2 and parts[1].isdigit():
        status = int(parts[1])
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            fields[name.strip().lower()] = value.strip()
    return status, fields


def _charset_of(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip("\"'"):
            return value.strip().strip("\"'")
    return None


def _undo_http_encodings(body: bytes, http: dict[str, str], max_bytes: int) -> bytes:
    if "chunked" in http.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    encoding = http.get("content-encoding", "").lower().strip()
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 31 if "gzip" in encoding else 15
        d = zlib.decompressobj(wbits)
        try:
            out = d.decompress(body, max_bytes + 1)
        except zlib.error:
            if encoding != "deflate":
                raise
            out = zlib.decompressobj(-15).decompress(body, max_bytes + 1)  # raw deflate, as some servers send
        return out
    if encoding and encoding != "identity":
        raise ValueError(f"unsupported Content-Encoding {encoding!r}")
    return body


def _dechunk(body: bytes) -> bytes:
    out: list[bytes] = []
    pos = 0
    while True:
        eol = body.find(b"\r\n", pos)
        if eol < 0:
            break
        size_text = body[pos:eol].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            # not really chunked (crawlers often store the de-chunked body but keep the header)
            return body if not out else b"".join(out)
        if size == 0:
            break
        out.append(body[eol + 2: eol + 2 + size])
        pos = eol + 2 + size + 2
    return b"".join(out)


def raw_to_page(raw: RawInput, *, max_chars: int | None = None, skim: bool = False) -> Page:
    """The ``Page`` of one input (html_to_page or text_to_page); raises its ``IngestError`` if it has one.

    ``skim`` is ``html_to_page``'s (a text input is always read in full: that costs no more).
    """
    from factcheck.ingest.decode import decode_bytes
    from factcheck.ingest.html import html_to_page
    from factcheck.ingest.text import text_to_page

    if raw.error is not None:
        raise raw.error
    data = raw.data or b""
    if raw.kind == "html":
        page = html_to_page(data, source=raw.source, url=raw.url, http_charset=raw.http_charset,
                            max_chars=max_chars, truncated=raw.truncated, skim=skim)
    else:
        try:
            decoded = decode_bytes(data, http_charset=raw.http_charset, declared_html=False,
                                   truncated=raw.truncated)
        except IngestError as exc:
            raise exc.with_source(raw.source) from None
        page = text_to_page(decoded.text, source=raw.source, url=raw.url, max_chars=max_chars,
                            encoding=decoded.encoding, warnings=decoded.warnings)
    if raw.warnings:
        page.warnings[:0] = raw.warnings
    return page


def load_page(path_or_bytes: str | Path | bytes, *, source: str | None = None, kind: Kind | None = None,
              max_bytes: int = MAX_BYTES, max_chars: int | None = None) -> Page:
    """One page from a file path or from bytes (HTML unless ``kind="text"``); raises ``IngestError``."""
    if isinstance(path_or_bytes, bytes | bytearray):
        data = bytes(path_or_bytes)
        raw = _limit(source or "<bytes>", data, max_bytes, kind or "html")
    else:
        raw = read_file(os.fspath(path_or_bytes), max_bytes=max_bytes)
        if source:
            raw.source = source
        if kind:
            raw.kind = kind
    return raw_to_page(raw, max_chars=max_chars)
