"""iter_inputs / raw_to_page: folders, globs, gzip, WARC (truncated too), JSONL (bad lines too), limits."""

from __future__ import annotations

import gzip
import io
import json
import pickle
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from factcheck.ingest import IngestError, iter_inputs, load_page, raw_to_page

PAGE = "<html><head><title>T</title></head><body><p>MSC therapy can reverse MS.</p></body></html>"


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def texts(paths, **kw):
    out = []
    for raw in iter_inputs(paths, **kw):
        out.append((raw.source, raw_to_page(raw).text if raw.error is None else f"ERROR {raw.error.message}"))
    return out


def test_folder_is_walked_recursively_sorted_and_filtered(tmp_path):
    write(tmp_path / "b.html", "<p>b</p>")
    write(tmp_path / "a.htm", "<p>a</p>")
    write(tmp_path / "sub" / "c.txt", "c line.")
    write(tmp_path / "sub" / "d.html.gz", gzip.compress(b"<p>d</p>"))
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n")
    write(tmp_path / ".hidden.html", "<p>h</p>")
    got = texts([tmp_path])
    assert got == [(str(tmp_path / "a.htm"), "a"), (str(tmp_path / "b.html"), "b"),
                   (str(tmp_path / "sub" / "c.txt"), "c line."), (str(tmp_path / "sub" / "d.html.gz"), "d")]
    assert texts([tmp_path]) == got  # deterministic


def test_glob_pattern(tmp_path):
    for name in ("x1.html", "x2.html", "y.html"):
        write(tmp_path / name, f"<p>{name}</p>")
    assert [t for _, t in texts([str(tmp_path / "x*.html")])] == ["x1.html", "x2.html"]


def test_missing_path_yields_error_and_batch_goes_on(tmp_path):
    ok = write(tmp_path / "ok.html", "<p>fine</p>")
    got = texts([tmp_path / "missing.html", ok])
    assert got[0] == (str(tmp_path / "missing.html"), "ERROR no such file")
    assert got[1][1] == "fine"


def test_corrupt_gzip_yields_error_naming_file(tmp_path):
    bad = write(tmp_path / "bad.html.gz", gzip.compress(PAGE.encode())[:30])
    junk = write(tmp_path / "junk.html.gz", b"not gzip at all")
    ok = write(tmp_path / "ok.html", PAGE)
    raws = list(iter_inputs([bad, junk, ok]))
    assert raws[0].error is not None and raws[0].source == str(bad) and "gzip" in raws[0].error.message
    assert raws[1].error is not None and "gzip" in raws[1].error.message
    assert raws[2].error is None


def test_binary_file_with_html_name_is_an_error_on_conversion(tmp_path):
    png = write(tmp_path / "photo.html", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (raw,) = iter_inputs([png])
    with pytest.raises(IngestError) as info:
        raw_to_page(raw)
    assert info.value.source == str(png) and "PNG" in info.value.message


def test_empty_and_whitespace_only_files(tmp_path):
    empty = write(tmp_path / "empty.html", b"")
    blank = write(tmp_path / "blank.txt", b"  \n\t\n")
    for path in (empty, blank):
        (raw,) = iter_inputs([path])
        page = raw_to_page(raw)
        assert page.text == "" and page.blocks == [] and any(w.startswith("no text") for w in page.warnings)


def test_encodings_from_files(tmp_path):
    write(tmp_path / "a.html", '<meta charset="shift_jis"><p>幹細胞治療</p>'.encode("shift_jis"))
    write(tmp_path / "b.html", "<p>Café crème brûlée</p>".encode("utf-16"))
    write(tmp_path / "c.txt", "Déjà vu, “stem cell” therapy.".encode("cp1252"))
    expected = ["幹細胞治療", "Café crème brûlée", "Déjà vu, “stem cell” therapy."]
    assert [t for _, t in texts([tmp_path])] == expected


def test_oversized_file_is_cut_with_warning_and_not_read_whole(tmp_path):
    big = write(tmp_path / "big.html", "<p>" + "word " * 50_000 + "</p>")
    (raw,) = iter_inputs([big], max_bytes=1000)
    assert raw.data is not None and len(raw.data) == 1000 and raw.truncated
    page = raw_to_page(raw)
    assert any("max_bytes=1000" in w for w in page.warnings)
    assert page.text.startswith("word word")


def test_oversized_gzip_is_cut_without_inflating_everything(tmp_path):
    bomb = write(tmp_path / "bomb.html.gz", gzip.compress(b"<p>" + b"a " * 5_000_000 + b"</p>"))
    (raw,) = iter_inputs([bomb], max_bytes=10_000)
    assert raw.data is not None and len(raw.data) == 10_000 and raw.warnings


def test_truncated_utf8_input_does_not_fall_into_detection(tmp_path):
    path = write(tmp_path / "cut.html", ("<p>" + "é" * 600 + "</p>").encode())
    (raw,) = iter_inputs([path], max_bytes=1000)  # 1000 - 3 bytes of "<p>" = odd: cuts inside an "é"
    page = raw_to_page(raw)
    assert page.encoding == "utf-8" and page.text == "é" * 498


# ---------------------------------------------------------------- JSONL

def test_jsonl_items_html_and_text_with_line_sources(tmp_path):
    lines = [json.dumps({"url": "https://a.example/", "html": PAGE}),
             "",
             json.dumps({"url": "https://b.example/", "text": "Heading\nMSCs cure MS."}),
             "{not json",
             json.dumps({"url": "https://c.example/"}),
             json.dumps(["a", "list"]),
             json.dumps({"url": "https://d.example/", "html": 42}),
             json.dumps({"html": "<p>no url</p>"})]
    path = write(tmp_path / "items.jsonl", "\n".join(lines) + "\n")
    raws = list(iter_inputs([path]))
    assert [r.source for r in raws] == [f"{path}:{n}" for n in (1, 3, 4, 5, 6, 7, 8)]
    assert raws[0].url == "https://a.example/"
    assert raw_to_page(raws[0]).text == "T\nMSC therapy can reverse MS."
    assert raws[1].kind == "text" and raw_to_page(raws[1]).text == "Heading\nMSCs cure MS."
    assert raws[2].error is not None and "line 4 is not JSON" in raws[2].error.message
    assert raws[3].error is not None
    assert "line 5 has neither an 'html' nor a 'text' field" in raws[3].error.message
    assert raws[4].error is not None and "not an object" in raws[4].error.message
    assert raws[5].error is not None and "'html' must be a string" in raws[5].error.message
    assert raws[6].url is None and raw_to_page(raws[6]).text == "no url"
    assert raws[2].error.source == f"{path}:4"


def test_jsonl_gz_and_overlong_line(tmp_path):
    path = write(tmp_path / "items.jsonl.gz", gzip.compress(
        (json.dumps({"html": "<p>" + "x" * 5000 + "</p>"}) + "\n" + json.dumps({"text": "ok."}) + "\n")
        .encode()))
    raws = list(iter_inputs([path], max_bytes=1000))
    assert raws[0].error is not None and "longer than max_bytes" in raws[0].error.message
    assert raws[1].source == f"{path}:2" and raw_to_page(raws[1]).text == "ok."


def test_jsonl_lone_surrogate_is_replaced_with_warning(tmp_path):
    path = write(tmp_path / "s.jsonl", '{"text": "stem \\ud800 cell."}\n')
    (raw,) = iter_inputs([path])
    page = raw_to_page(raw)
    assert page.text == "stem ? cell." and any("surrogate" in w for w in page.warnings)


# ---------------------------------------------------------------- WARC

def make_warc(path: Path, pages: list[tuple[str, bytes, str]], *, gz: bool = True) -> Path:
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gz)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for url, body, ctype in pages:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            # length given: warcio then needs no unclosed temp file (a ResourceWarning under pytest)
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          length=len(body), http_headers=headers))
    return path


WARC_PAGES = [
    ("https://a.example/", "<p>Café MSC therapy.</p>".encode("cp1252"), "text/html; charset=windows-1252"),
    ("https://a.example/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
    ("https://b.example/", b"<p>Second page.</p>", "text/html"),
    ("https://c.example/", ("<p>Third page " + "padding " * 300 + "</p>").encode(),
     "text/html; charset=utf-8"),
]


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses_with_url_and_http_charset(tmp_path, gz):
    path = make_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), WARC_PAGES, gz=gz)
    raws = list(iter_inputs([path]))
    assert [r.url for r in raws] == ["https://a.example/", "https://b.example/", "https://c.example/"]
    assert raws[0].http_charset == "windows-1252"
    assert raw_to_page(raws[0]).text == "Café MSC therapy."
    assert all(r.source.startswith(f"{path}#urn:uuid:") for r in raws)
    assert len({r.source for r in raws}) == 3
    assert [r.source for r in iter_inputs([path])] == [r.source for r in raws]  # stable


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_reports_an_error_and_next_file_goes_on(tmp_path, gz):
    path = make_warc(tmp_path / ("cut.warc.gz" if gz else "cut.warc"), WARC_PAGES, gz=gz)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - (60 if gz else 400)])  # inside the last record
    ok = write(tmp_path / "next.html", "<p>next file</p>")
    raws = list(iter_inputs([path, ok]))
    errors = [r for r in raws if r.error is not None]
    assert len(errors) == 1 and str(path) in errors[0].source
    err = errors[0].error
    assert err is not None and ("truncated" in err.message or "cut off" in err.message)
    good = [raw_to_page(r).text for r in raws if r.error is None]
    assert good[:2] == ["Café MSC therapy.", "Second page."] and good[-1] == "next file"


def test_corrupt_warc_gzip_in_the_middle(tmp_path):
    path = make_warc(tmp_path / "mid.warc.gz", WARC_PAGES)
    data = bytearray(path.read_bytes())
    mid = len(data) // 2
    data[mid: mid + 40] = b"\x00" * 40
    path.write_bytes(bytes(data))
    raws = list(iter_inputs([path]))
    assert any(r.error is not None for r in raws)


def test_warc_chunked_gzip_http_body(tmp_path):
    body = gzip.compress(b"<p>Encoded body.</p>")
    chunked = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    path = tmp_path / "enc.warc"
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip"),
                                              ("Transfer-Encoding", "chunked")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://e.example/", "response", length=len(chunked),
                                                      payload=io.BytesIO(chunked), http_headers=headers))
    (raw,) = iter_inputs([path])
    assert raw_to_page(raw).text == "Encoded body."


def test_load_page_from_path_and_bytes(tmp_path):
    path = write(tmp_path / "p.html", PAGE)
    assert load_page(path).text == "T\nMSC therapy can reverse MS."
    assert load_page(b"Title line\nA sentence.", kind="text", source="mem").source == "mem"


def test_ingest_error_pickles_with_source():
    err = IngestError("bad line", source="x.jsonl:3")
    again = pickle.loads(pickle.dumps(err))
    assert again.source == "x.jsonl:3" and again.message == "bad line"


def test_read_upto_reads_as_a_plain_bounded_read(tmp_path) -> None:
    from factcheck.ingest.sources import _read_upto

    for n in (0, 1, 9, 10, 11, 100):
        path = tmp_path / f"f{n}"
        path.write_bytes(b"x" * n)
        for limit in (1, 9, 10, 11, 50):
            with open(path, "rb") as a, open(path, "rb") as b:
                assert _read_upto(a, limit) == b.read(limit)
