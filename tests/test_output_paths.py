"""Names derived from URLs and sources never escape the output folder (issue 5).

The report's own tests cover hostile *sources*; here: hostile *URLs* through the whole
``write_html_report``, any string at all through ``page_filename``, and ``contained`` itself.
The Dask path names its output files by partition number only (``part-00000.jsonl``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.report import write_html_report
from factcheck.report.naming import contained, page_filename
from factcheck.report.records import page_from_dict
from tests.test_report_support import clinic_page

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,70}-[0-9a-f]{10}(-\d+)?\.html")
HOSTILE_URLS = [
    "https://evil.example/../../../../tmp/x.html",
    "https://evil.example/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "https://evil.example/..%5c..%5cwindows%5cwin.ini",
    "https://evil.example/a/b/c/" + "..;/" * 50,
    "http://evil.example/\u202egnp.exe",
    "https://evil.example/CON/aux/nul.html",
    "https://evil.example:8080/~user/.ssh/authorized_keys",
    "https:///../../x",
    "javascript:alert(1)//../../x",
    "file:///etc/passwd",
    "https://evil.example/" + "a" * 5000,
    "https://evil.example/\x00/../x",
]


def test_hostile_urls_in_a_whole_report_stay_inside_the_pages_folder(tmp_path: Path) -> None:
    records = [clinic_page(source=f"crawl.warc.gz#<urn:uuid:{i}>", url=url) for i, url in enumerate(HOSTILE_URLS)]
    records.append(clinic_page(source="../../../../tmp/escape.html", url="https://evil.example/../../x"))
    out = tmp_path / "site" / "report"
    write_html_report(records, out)
    pages = out / "pages"
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert all(p.resolve().parent in (pages.resolve(), out.resolve()) for p in files), files
    names = sorted(p.name for p in pages.iterdir())
    assert len(names) == len(records) and all(NAME.fullmatch(n) for n in names), names
    assert not (tmp_path / "tmp").exists() and not Path("/tmp/escape.html").exists()


@settings(max_examples=300, deadline=None)
@given(source=st.text(max_size=200), url=st.one_of(st.none(), st.text(max_size=200),
                                                   st.text(max_size=80).map(lambda s: "https://x.example/" + s)))
def test_any_source_and_url_give_a_plain_name_inside_the_folder(tmp_path_factory: pytest.TempPathFactory,
                                                                  source: str, url: str | None) -> None:
    name = page_filename(page_from_dict(clinic_page(source=source, url=url)))
    assert NAME.fullmatch(name), name
    folder = tmp_path_factory.getbasetemp() / "names"
    assert contained(folder, name).parent == folder.resolve()


@pytest.mark.parametrize("name", ["../x.html", "..", "a/../../x.html", "/etc/passwd", "x/y.html", ".hidden.html",
                                  "", "C:\\x.html", "page\x00.html", "Page.html"])
def test_contained_refuses_any_name_that_is_not_a_plain_file_name(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError, match=r"unsafe output name|null byte"):
        contained(tmp_path, name)


def test_dask_partition_files_are_named_by_number_only(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    from factcheck.dask import scan_to_jsonl

    pages = tmp_path / "in" / "..evil" / "https:"
    pages.mkdir(parents=True)
    (pages / "..%2f..%2fx.html").write_text("<p>Our clinic offers mesenchymal stem cells for MS.</p>")
    out = tmp_path / "out"
    import dask

    with dask.config.set(scheduler="sync"):
        written = scan_to_jsonl([tmp_path / "in"], out)
    assert [Path(p).name for p in written] == ["part-00000.jsonl"]
    assert {p.parent.resolve() for p in map(Path, written)} == {out.resolve()}
    assert sorted(p.name for p in tmp_path.rglob("*.jsonl")) == ["part-00000.jsonl"]
