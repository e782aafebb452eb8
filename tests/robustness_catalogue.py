"""The bad-input catalogue of issue 5, as real bytes, with what the library must make of each.

Shared by the robustness tests (check_text, check_html, ``factcheck scan``, the Dask path): every
entry is written to a file under one folder, and the same bytes go to ``check_html``.
"""

from __future__ import annotations

import gzip
import io
import json
import unicodedata
import zlib
from dataclasses import dataclass, field
from pathlib import Path

CLAIM = "Our clinic offers mesenchymal stem cells for multiple sclerosis."
MSC_MS = ("msc", "multiple_sclerosis")
GENERIC_MS = ("stem_cell_unspecified", "multiple_sclerosis")
NO_TEXT = "no text"
#: the "50 MB page": over the 20 MB input limit, and its text over the 2M-character text limit
HUGE_BYTES = 50 * 1024 * 1024


def html(body: str, head: str = "<title>Clinic</title>") -> str:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>"


def claim_page(sentence: str = CLAIM, head: str = "<title>Clinic</title>") -> str:
    return html(f"<main><p>{sentence}</p></main>", head)


@dataclass(frozen=True)
class Case:
    """One catalogue entry: file name, bytes, and the outcome every entry point must give."""

    name: str
    data: bytes
    status: str = "ok"
    #: (therapy id, condition id) pairs that must be among the claims; None: no claim at all
    claims: frozenset[tuple[str, str]] | None = None
    error_type: str | None = None
    #: substrings of the error message (status "error") or of one warning (status "ok")
    says: tuple[str, ...] = ()
    #: substrings the extracted text must hold (decoding was right)
    text_has: tuple[str, ...] = ()
    #: the case is a text file (``.txt``), not HTML
    text_file: bool = False
    #: cut by the size limits: entry points with other limits may differ in warnings
    huge: bool = False
    slow: bool = False
    extra: dict[str, object] = field(default_factory=dict)


def _png() -> bytes:
    raw = b"\x00" + b"\xff\x00\x00" * 16
    chunk = zlib.compress(raw * 16)
    return (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x10" * 2 + b"\x08\x02\x00\x00\x00"
            + b"\x90\x91h6" + len(chunk).to_bytes(4, "big") + b"IDAT" + chunk + b"\x00\x00\x00\x00IEND\xaeB`\x82")


def _pdf() -> bytes:
    return (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\nstream\n" + bytes(range(256)) * 8
            + b"\nendstream\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def huge_page() -> bytes:
    """~50 MB of HTML: the claim first, then ordinary paragraphs."""
    head = html("").split("<body>")[0] + f"<body><main><p>{CLAIM}</p>\n"
    para = ("<p>The clinic is open from Monday to Friday; the staff answer questions about parking, "
            "visiting hours and invoices.</p>\n")
    n = (HUGE_BYTES - len(head)) // len(para) + 1
    return (head + para * n + "</main></body></html>").encode("ascii")


def warc_record(url: str, body: bytes) -> bytes:
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: " + \
        str(len(body)).encode() + b"\r\n\r\n" + body
    rid = f"{zlib.crc32(url.encode()):012d}-0000-4000-8000-000000000000"
    head = (f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:{rid}>\r\n"
            f"WARC-Target-URI: {url}\r\nWARC-Date: 2025-01-01T00:00:00Z\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n").encode()
    return head + http + b"\r\n\r\n"


def truncated_warc() -> bytes:
    """A complete record, then one cut off in the middle of its body."""
    good = warc_record("https://clinic.example/ok", claim_page().encode())
    cut = warc_record("https://clinic.example/cut", claim_page().encode() * 20)
    return good + cut[: len(cut) // 2]


def corrupt_gzip() -> bytes:
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb") as fh:
        fh.write(claim_page().encode() * 50)
    data = bytearray(buf.getvalue())
    data[40:60] = b"\x00" * 20  # damage the deflate stream
    return bytes(data[:-8])  # and lose the trailer


def bad_jsonl() -> bytes:
    lines = [
        json.dumps({"url": "https://clinic.example/a", "html": claim_page()}),
        "{this is not json",
        json.dumps({"url": "https://clinic.example/c", "body": "neither html nor text"}),
        json.dumps(["a", "list"]),
        json.dumps({"url": "https://clinic.example/e", "text": CLAIM}),
    ]
    return ("\n".join(lines) + "\n").encode()


#: what the JSONL file's lines must give: (line number, status, claims)
JSONL_LINES = {1: ("ok", frozenset({MSC_MS})), 2: ("error", None), 3: ("error", None), 4: ("error", None),
               5: ("ok", frozenset({MSC_MS}))}
#: sources inside the WARC: one good record, one error for the cut record
WARC_GOOD_URL = "https://clinic.example/ok"


def cases() -> list[Case]:
    cp1252_body = ("<p>Genève café – «Thérapie»: our clinic offers mesenchymal stem cells for multiple "
                   "sclerosis.</p>")
    jp = "<p>当院では幹細胞治療を行っています。Our clinic offers mesenchymal stem cells for multiple sclerosis.</p>"
    out = [
        Case("empty.html", b"", says=(NO_TEXT,)),
        Case("whitespace.html", b"  \r\n\t \n\x0c  \n", says=(NO_TEXT,)),
        Case("empty.txt", b"", says=(NO_TEXT,), text_file=True),
        Case("png_named.html", _png(), status="error", error_type="IngestError", says=("PNG",)),
        Case("pdf_named.html", _pdf(), status="error", error_type="IngestError", says=("PDF",)),
        Case("invalid_utf8.html", claim_page(CLAIM + " Caf\xe9 \xff\xfe\xc0 end.").encode("latin-1"),
             claims=frozenset({MSC_MS}), text_has=("Caf",)),
        Case("utf16_bom.html", b"\xff\xfe" + claim_page("Genève: " + CLAIM).encode("utf-16-le"),
             claims=frozenset({MSC_MS}), text_has=("Genève",)),
        Case("utf16_no_bom.html", claim_page("Genève: " + CLAIM).encode("utf-16-le"),
             claims=frozenset({MSC_MS}), text_has=("Genève",)),
        Case("utf16be_no_bom.html", claim_page("Genève: " + CLAIM).encode("utf-16-be"),
             claims=frozenset({MSC_MS}), text_has=("Genève",)),
        Case("cp1252_meta.html", html(cp1252_body, '<meta charset="windows-1252"><title>Clinique</title>')
             .encode("cp1252"), claims=frozenset({MSC_MS}), text_has=("Genève café – «Thérapie»",)),
        Case("cp1252_no_meta.html", html(cp1252_body).encode("cp1252"), claims=frozenset({MSC_MS}),
             says=("detected",), text_has=("Genève café – «Thérapie»",)),
        Case("sjis_meta.html", html(jp, '<meta charset="shift_jis"><title>幹細胞</title>').encode("shift_jis"),
             claims=frozenset({MSC_MS}), text_has=("当院では幹細胞治療を行っています。",)),
        Case("sjis_no_meta.html", html(jp * 3).encode("shift_jis"), claims=frozenset({MSC_MS}),
             says=("detected",), text_has=("当院では幹細胞治療を行っています。",)),
        # declares UTF-8, is windows-1252: the declaration is overruled, with a warning naming it
        Case("wrong_meta.html", html(cp1252_body, '<meta charset="utf-8"><title>Clinique</title>')
             .encode("cp1252"), claims=frozenset({MSC_MS}), says=("charset 'utf-8'",),
             text_has=("Genève café",)),
        # declares Shift-JIS, is UTF-8: valid UTF-8 wins or the declaration is named as wrong
        Case("wrong_meta_sjis.html", html(jp + cp1252_body, '<meta charset="shift_jis">').encode("utf-8"),
             claims=frozenset({MSC_MS}), text_has=("Genève café",)),
        Case("huge_50mb.html", huge_page(), claims=frozenset({MSC_MS}), says=("max_bytes=",), huge=True,
             slow=True),
        Case("one_line_1m.html", claim_page(CLAIM + " " + "lorem ipsum dolor sit amet " * 37_000).encode(),
             claims=frozenset({MSC_MS})),
        Case("nested_100k_divs.html", html("<div>" * 100_000 + f"<p>{CLAIM}</p>" + "</div>" * 100_000)
             .encode(), claims=frozenset({MSC_MS}), says=("nested",)),
        Case("repeated_terms.html", html("<p>" + "stem cell therapy for MS " * 20_000 + "</p>").encode(),
             claims=frozenset({GENERIC_MS})),
        Case("entities.html", html("<p>We offer mesenchymal&nbsp;stem&#32;cells for multiple&nbsp;sclerosis "
                                   "&amp; ALS &#8211; &quot;cure&quot;.</p>").encode(),
             claims=frozenset({MSC_MS, ("msc", "als")}), text_has=("multiple sclerosis & ALS – \"cure\"",)),
        Case("soft_hyphen.html", claim_page("Our clinic offers stem\u00adcell therapy for multiple sclerosis.")
             .encode(), claims=frozenset({GENERIC_MS}), text_has=("stem\u00adcell",)),
        Case("zero_width.html", claim_page("Our clinic offers M\u200bSC therapy for multiple sclerosis.").encode(),
             claims=frozenset({MSC_MS}), text_has=("M\u200bSC",)),
        Case("cyrillic_lookalike.html",
             claim_page("Our clinic offers stem \u0441ell therapy for multiple sclerosis.").encode(),
             claims=frozenset({GENERIC_MS}), text_has=("stem \u0441ell",)),
        Case("full_width.html", claim_page(
            "Our clinic offers ｍｅｓｅｎｃｈｙｍａｌ ｓｔｅｍ ｃｅｌｌｓ for "
            "ｍｕｌｔｉｐｌｅ ｓｃｌｅｒｏｓｉｓ.").encode(),
             claims=frozenset({MSC_MS})),
        Case("nfc.html", claim_page(unicodedata.normalize(
            "NFC", "We offer mesenchymal stem cells for esclerosis múltiple.")).encode(), claims=frozenset({MSC_MS})),
        Case("nfd.html", claim_page(unicodedata.normalize(
            "NFD", "We offer mesenchymal stem cells for esclerosis múltiple.")).encode(), claims=frozenset({MSC_MS})),
        Case("javascript_only.html", html(
            "<div id='app'></div><script>document.getElementById('app').innerHTML = "
            "'Our clinic offers mesenchymal stem cells for multiple sclerosis.';</script>"
            "<noscript>Please enable JavaScript.</noscript>",
            "<title></title><script src='/app.js'></script><style>body{color:red}</style>").encode(),
             says=(NO_TEXT,)),
        Case("navigation_only.html", html(
            "<header><nav><ul><li><a href='/'>Home</a></li><li><a href='/msc'>Mesenchymal stem cells for "
            "multiple sclerosis</a></li></ul></nav></header><div class='menu'><a href='/c'>Contact</a></div>"
            "<footer><p>© 2025 Clinic · Privacy · Cookies</p></footer>", "").encode(), says=(NO_TEXT,)),
        Case("truncated.warc", truncated_warc(), extra={"archive": "warc"}),
        Case("corrupt.html.gz", corrupt_gzip(), status="error", error_type="IngestError", says=("gzip",),
             extra={"archive": "gzip"}),
        Case("bad_items.jsonl", bad_jsonl(), extra={"archive": "jsonl"}),
    ]
    return out


def write_catalogue(folder: Path, include_huge: bool = True) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for case in cases():
        if case.huge and not include_huge:
            continue
        (folder / case.name).write_bytes(case.data)
        written.append(case)
    return written
