"""decode_bytes: BOM, HTTP charset, meta charset, UTF-8, detection, binary refusal, no silent mojibake."""

from __future__ import annotations

import codecs

import pytest

from factcheck.ingest import IngestError, decode_bytes

WESTERN = ("<html><head><title>Café</title></head><body><p>Déjà vu – “stem cell” naïve façade</p>"
           "</body></html>")
JAPANESE = "<html><body><p>幹細胞治療は多発性硬化症を治します。東京のクリニックです。</p></body></html>"


def test_utf8_without_declaration_decodes_as_utf8():
    d = decode_bytes(WESTERN.encode("utf-8"))
    assert (d.text, d.encoding, d.method, d.warnings) == (WESTERN, "utf-8", "utf-8", [])


def test_empty_bytes_give_empty_text():
    d = decode_bytes(b"")
    assert d.text == "" and d.method == "empty"


@pytest.mark.parametrize("bom,codec", [
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
])
def test_bom_wins_and_is_removed(bom, codec):
    d = decode_bytes(bom + WESTERN.encode(codec), http_charset="windows-1252")
    assert d.text == WESTERN and d.method == "bom"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_sniffed(codec):
    d = decode_bytes(WESTERN.encode(codec))
    assert d.text == WESTERN and d.encoding == codec


def test_utf16_japanese_without_bom():
    assert decode_bytes(JAPANESE.encode("utf-16-le")).text == JAPANESE


def test_http_charset_decodes_cp1252():
    d = decode_bytes(WESTERN.encode("cp1252"), http_charset="ISO-8859-1")
    assert d.text == WESTERN and d.method == "http" and d.encoding == "cp1252"


def test_meta_charset_cp1252():
    html = '<meta charset="windows-1252">' + WESTERN
    d = decode_bytes(html.encode("cp1252"))
    assert d.text == html and d.method == "meta"


def test_meta_charset_declared_after_first_1024_bytes_is_honoured():
    html = "<html><head><style>" + "a{color:red}" * 400 + '</style><meta charset="Windows-1252"></head>'
    html += "<body><p>Déjà “vu”</p></body></html>"
    data = html.encode("cp1252")
    assert data.find(b"charset") > 1024
    d = decode_bytes(data)
    assert d.text == html and d.method == "meta"


def test_http_equiv_content_type_meta():
    html = '<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">' + JAPANESE
    d = decode_bytes(html.encode("shift_jis"))
    assert d.text == html and d.method == "meta" and d.encoding == "cp932"


def test_shift_jis_without_meta_is_detected_with_a_warning():
    d = decode_bytes(JAPANESE.encode("shift_jis"))
    assert d.text == JAPANESE and d.method == "detected"
    assert any("detected" in w for w in d.warnings)


def test_cp1252_without_meta_is_detected_as_cp1252_not_another_latin_page():
    d = decode_bytes(WESTERN.encode("cp1252"))
    assert d.text == WESTERN and d.encoding == "cp1252"


def test_wrong_meta_charset_falls_through_with_warning():
    html = '<meta charset="utf-8">' + WESTERN
    d = decode_bytes(html.encode("cp1252"))
    assert d.text == html
    assert any("'utf-8' does not decode" in w for w in d.warnings)


def test_single_byte_declaration_loses_to_valid_utf8():
    html = '<meta charset="iso-8859-1">' + WESTERN
    d = decode_bytes(html.encode("utf-8"))
    assert d.text == html and d.encoding == "utf-8"
    assert any("valid UTF-8" in w for w in d.warnings)


def test_unknown_charset_label_is_ignored_with_warning():
    d = decode_bytes(b'<meta charset="x-no-such">' + WESTERN.encode())
    assert d.encoding == "utf-8" and any("unknown" in w for w in d.warnings)


def test_non_text_codec_label_is_not_used():
    d = decode_bytes(b'<meta charset="base64"><p>hello</p>')
    assert d.text == '<meta charset="base64"><p>hello</p>'


@pytest.mark.parametrize("data", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    b"\x00\x01\x02\x03\x04\x05\x06\x07" * 512,
])
def test_binary_content_raises_ingest_error(data):
    with pytest.raises(IngestError, match="not text"):
        decode_bytes(data)


def test_ingest_error_is_a_value_error_with_source():
    err = IngestError("bad", source="a.html")
    assert isinstance(err, ValueError) and err.source == "a.html" and str(err) == "a.html: bad"


def test_truncated_input_tolerates_a_cut_multibyte_character():
    data = "Déjà vu".encode()[:-1] + "é".encode()[:1]
    d = decode_bytes(data, truncated=True)
    assert d.text == "Déjà v" and d.method == "utf-8"


def test_nothing_decodes_strictly_yields_replacement_with_counted_warning(monkeypatch):
    import factcheck.ingest.decode as dec

    monkeypatch.setattr(dec, "_detect", lambda data: None)
    d = decode_bytes(b"caf\xe9 \xff\xfe ok")
    assert d.method == "replace" and d.text.count("\ufffd") == 3
    assert any("3 replacement" in w for w in d.warnings)
