"""The static HTML report: content, highlighting, escaping and safe file names."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_report_support import (
    CLINIC_TEXT,
    CTGOV,
    NMSS,
    clinic_page,
    error_page,
    hostile_page,
    info_page,
    sample_records,
    write_jsonl,
)

from factcheck.models import Claim, ContextFlag, EvidenceRef, PageReport, TermMatch
from factcheck.report import read_report, write_html_report
from factcheck.report.html import SORT_JS, _Region, _Span, highlight
from factcheck.report.naming import assign_filenames, page_filename
from factcheck.report.records import load, page_from_dict


class Tree(HTMLParser):
    """Every start tag with its attributes, and the text outside chips and badges."""

    VOID: ClassVar[frozenset[str]] = frozenset(
        ["meta", "br", "img", "input", "link", "hr", "rect", "area", "base", "col", "embed", "source"]
    )

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._stack: list[str] = []
        self._skip = 0
        self._in_script = False
        self.text: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        self.tags.append((tag, d))
        self._in_script = tag == "script"
        if tag in self.VOID:
            return
        classes = (d.get("class") or "").split()
        skip = "chip" in classes or "badge" in classes
        self._stack.append("skip" if skip else tag)
        self._skip += skip

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        top = self._stack.pop()
        self._skip -= top == "skip"
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        elif not self._skip:
            self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def _pages(outdir: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (outdir / "pages").iterdir()}


def _page_for(outdir: Path, record: dict[str, Any]) -> str:
    return (outdir / "pages" / page_filename(page_from_dict(record))).read_text(encoding="utf-8")


@pytest.fixture
def report(tmp_path: Path) -> Path:
    return write_jsonl(tmp_path / "scan.jsonl", sample_records())


@pytest.fixture
def outdir(tmp_path: Path, report: Path) -> Path:
    out = tmp_path / "site"
    assert write_html_report(report, out, title="MS clinics, November") == out / "index.html"
    return out


def test_index_totals_table_chart_and_outcomes(outdir: Path) -> None:
    index = (outdir / "index.html").read_text(encoding="utf-8")
    tree = Tree(index)
    totals = dict(re.findall(r'<div class="n">([\d,]+)</div><div class="l">([^<]+)</div>', index))
    assert {v: int(k) for k, v in totals.items()} == {
        "Pages": 5,
        "Claims": 10,
        "Flagged claims": 7,
        "Pages with flags": 3,
        "Errors": 1,
    }
    # the pages table comes sorted by flagged claims, most first, and every row links to its page
    table = index[index.index('id="pages"') : index.index("</table>", index.index('id="pages"'))]
    flagged = [
        int(n) for n in re.findall(r'</td><td class="num" data-sort="(\d+)">\d+</td><td class="num"', table)
    ]
    assert flagged == sorted(flagged, reverse=True) and flagged[0] == 3
    links = re.findall(r'<td class="page"><a href="(pages/[^"]+)"', table)
    assert len(links) == 5 and all((outdir / h).is_file() for h in links)
    # chart: inline SVG, one bar per verdict of each pair, no external reference anywhere
    assert index.count("<svg") == 1
    assert "msc → multiple sclerosis: 2 unproven" in index
    assert "ahsct → multiple sclerosis: 3 supported" in index
    # outcome promises, as worded, most common first
    assert re.search(r"remyelination.*“repair the myelin in SPMS” ×2", index)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", index)
    assert tree.find("a", href="pages/" + page_filename(page_from_dict(error_page())))


def test_claim_page_highlights_badges_context_and_evidence(outdir: Path) -> None:
    record = clinic_page()
    page = _page_for(outdir, record)
    tree = Tree(page)
    first = record["claims"][0]
    spans = [a.get("data-spans") or "" for a in tree.find("span") if "seg" in (a.get("class") or "")]
    for kind in ("therapy", "condition", "outcome"):
        t = first[kind]
        assert any(f"{kind}:{t['start']}-{t['end']}" in s for s in spans), kind
    # one article per claim with its verdict badge, and a badge in the text linking to it
    for n, c in enumerate(record["claims"], start=1):
        assert tree.find("article", id=f"claim-{n}", **{"class": f"claim v-{c['verdict']}"})
        assert tree.find("a", href=f"#claim-{n}")
        assert tree.find("span", id=f"t-claim-{n}")
    assert (
        '<span class="flag f-guarantee" title="guarantee_results">guarantee</span>“We guarantee results”'
        in page
    )
    assert "<code>msc-multiple_sclerosis</code>" in page
    hrefs = {a.get("href") for a in tree.find("a")}
    assert {NMSS, CTGOV} <= hrefs
    assert "no trial has shown repair of myelin" in page
    # the text shown is the page text, exactly, once chips and badges are set aside
    doc = page[page.index('<div class="doc">') + len('<div class="doc">') :]
    doc = doc[: doc.index("</div></section>")]
    assert "".join(Tree(doc).text) == CLINIC_TEXT


def test_overlapping_spans_are_stacked_on_separate_tracks(outdir: Path) -> None:
    page = _page_for(outdir, clinic_page())
    # "repair the myelin in SPMS" (outcome) overlaps "SPMS" (condition): the shared text carries both
    segs = re.findall(r'data-spans="([^"]*)" style="([^"]*)"[^>]*>SPMS<', page)
    assert segs
    data, style = segs[0]
    assert "outcome:" in data and "condition:" in data
    offsets = re.findall(r"calc\(100% - (\d+)px\)", style)
    assert len(offsets) == 2 and offsets[0] != offsets[1]


def test_hostile_page_is_shown_as_text_and_nothing_is_injected(tmp_path: Path) -> None:
    out = tmp_path / "site"
    write_html_report([hostile_page(), clinic_page()], out, title='<script>alert("title")</script>')
    files = {"index.html": (out / "index.html").read_text(encoding="utf-8"), **_pages(out)}
    for name, markup in files.items():
        tree = Tree(markup)
        # the only script is our own sorting script, on the index only
        assert tree.scripts == ([SORT_JS] if name == "index.html" else []), name
        injected = {t for t, _ in tree.tags} & {"img", "iframe", "b", "i", "u", "textarea", "object", "embed"}
        assert not injected, (name, injected)
        for tag, attrs in tree.tags:
            assert not [k for k in attrs if k.startswith("on")], (name, tag, attrs)
            href = attrs.get("href")
            if href is not None:
                assert re.match(r"^(https?://|#|pages/|\.\./index\.html$)", href), (name, href)
                assert "<" not in href and '"' not in href
    page = files[page_filename(page_from_dict(hostile_page()))]
    text = html.unescape(page)
    for needle in (
        '<script>alert("pwned")</script>',
        '"><img src=x onerror=alert(2)>',
        "<iframe src=javascript:alert(3)></iframe>",
        "<script>alert(7)</script> summary",
        "javascript:alert(5)",
        "{{7*7}} ${7*7} <!-- comment --> &amp; &lt;done&gt;",
    ):
        assert needle in text, needle  # shown, as text
    assert "&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;" in page
    assert 'href="javascript:' not in page


@pytest.mark.parametrize(
    "source",
    [
        "../../etc/passwd",
        "/etc/passwd",
        "..\\..\\windows\\system32\\config",
        "C:\\Users\\x\\page.html",
        "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "..%2F..%2F..%2Fhome",
        "....//....//etc",
        "a/" * 3000 + "x.html",
        "x" * 10_000,
        "клиника/стволовые-клетки.html",
        "中文/干细胞治疗.html",
        "café/thérapie-cellulaire.html",
        "\u202egnp.exe",
        "CON",
        ".htaccess",
        "",
        "\x00nul",
        "-rf",
    ],
)
def test_page_file_names_never_escape_the_output_folder(tmp_path: Path, source: str) -> None:
    record = {**clinic_page(source=source, url=None)}
    out = tmp_path / "site"
    write_html_report([record], out)
    files = list((out / "pages").iterdir())
    assert len(files) == 1
    name = files[0].name
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]{0,70}-[0-9a-f]{10}\.html", name), name
    assert files[0].resolve().parent == (out / "pages").resolve()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == sorted([name, "index.html"])


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/../../../etc/passwd",
        "https://evil.example/%2e%2e/%2e%2e/x",
        "file:///etc/passwd",
        "https://xn--80akhbyknj4f.example/стволовые",
    ],
)
def test_page_file_names_from_urls(tmp_path: Path, url: str) -> None:
    name = page_filename(page_from_dict(clinic_page(url=url)))
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*-[0-9a-f]{10}\.html", name)
    assert ".." not in name and "/" not in name


def test_page_file_names_are_readable_stable_and_distinct() -> None:
    pages = [page_from_dict(clinic_page(source=f"crawl/page-{i}.html", url=None)) for i in range(50)]
    names = assign_filenames(pages)
    assert len(set(names)) == 50
    assert names[7].startswith("page-7-") and names == assign_filenames(pages)
    same = page_from_dict(clinic_page())
    assert assign_filenames([same, same]) == [page_filename(same), page_filename(same)[:-5] + "-2.html"]
    assert page_filename(same).startswith("regen-clinic-example-treatments-multiple-sclerosis-")


def test_without_text_the_claim_sentences_are_shown_highlighted(tmp_path: Path) -> None:
    record = clinic_page(with_text=False)
    out = tmp_path / "site"
    write_html_report([record], out)
    page = _page_for(out, record)
    assert 'class="doc"' not in page and "--with-text" in page
    tree = Tree(page)
    segs = [a.get("data-spans") or "" for a in tree.find("span") if "seg" in (a.get("class") or "")]
    # offsets are rebased to the sentence: Wharton's jelly MSCs sits 4 chars into its sentence
    assert any("therapy:4-24" in s for s in segs)
    assert "Our </span>" not in page  # plain text before the first chip is not wrapped
    assert 'href="#t-claim-1"' not in page  # nothing to jump to


def test_report_from_the_pydantic_models_without_term_offsets(tmp_path: Path) -> None:
    """Lines as ``PageReport.to_report_dict`` writes them today (no term offsets) still highlight."""
    text = "Our clinic offers MSC therapy that can cure progressive multiple sclerosis."

    def match(label: str, tid: str, s: str) -> TermMatch:
        i = text.index(s)
        return TermMatch(label=label, id=tid, text=s, start=i, end=i + len(s), alias=s.lower())  # type: ignore[arg-type]

    claim = Claim(
        therapy=match("THERAPY", "msc", "MSC therapy"),
        condition=match("CONDITION", "multiple_sclerosis", "multiple sclerosis"),
        subtypes=[match("SUBTYPE", "progressive", "progressive")],
        outcome=match("OUTCOME", "cure", "cure"),
        verdict="unproven",
        flagged=True,
        reason="MSCs are investigational for MS.",
        sentence=text,
        start=0,
        end=len(text),
        context=[ContextFlag(category="offer", cue="offers", start=11, end=17, rule="offer_offers")],
        evidence=[EvidenceRef(record="msc-multiple_sclerosis", status="investigational", sources=[NMSS])],
    )
    line = PageReport(
        source="p.html", url="https://c.example/ms", text_length=len(text), claims=[claim]
    ).to_report_dict()
    line["text"] = text
    out = tmp_path / "site"
    write_html_report([line], out)
    page = (out / "pages" / page_filename(page_from_dict(line))).read_text(encoding="utf-8")
    for kind, s in (("therapy", "MSC therapy"), ("condition", "multiple sclerosis"), ("outcome", "cure")):
        i = text.index(s)
        assert f"{kind}:{i}-{i + len(s)}" in page
    assert "multiple sclerosis (progressive)" in page
    assert f'href="{NMSS}"' in page


def test_bad_offsets_do_not_break_the_page_and_unknown_verdicts_are_named(tmp_path: Path) -> None:
    record = clinic_page()
    c = record["claims"][0]
    c["therapy"].update(start=10_000, end=10_020, text="not on the page")
    c["start"], c["end"] = 5_000, 4_000
    out = tmp_path / "site"
    write_html_report([record], out)
    page = _page_for(out, record)
    assert "therapy:10000" not in page and 'id="t-claim-1"' not in page
    # an unknown verdict is a faulty line: named with its field, never rendered
    weird = clinic_page(source="weird.html")
    weird["claims"][1]["verdict"] = 'weird" onclick="x'
    loaded = load([record, weird])
    assert [str(p) for p in loaded.problems] == [
        "<records>:2: claims[1]: field 'verdict': input should be 'supported', 'overstated' or 'unproven'"]
    write_html_report(loaded, tmp_path / "site2")
    index = (tmp_path / "site2" / "index.html").read_text(encoding="utf-8")
    assert 'onclick="x' not in index and "1 report line(s) could not be read" in index


def test_unreadable_lines_are_named_and_the_rest_reported(tmp_path: Path) -> None:
    bad_claim = clinic_page()
    del bad_claim["claims"][2]["verdict"]
    path = write_jsonl(
        tmp_path / "scan.jsonl",
        [info_page(), bad_claim],
        ["{not json", "[1, 2]", '{"source": "a.html", "status": "ok"}', clinic_page_json()],
    )
    loaded = read_report(path)
    assert [str(p) for p in loaded.problems] == [
        f"{path}:2: claims[2]: missing required field 'verdict'",
        f"{path}:3: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        f"{path}:4: a report line must be a JSON object, got list",
        f"{path}:5: missing required field 'claims'",
    ]
    assert [p.source for p in loaded.pages] == [
        "examples/pages/charity-info.html",
        "examples/pages/clinic-msc-ms.html",
    ]
    write_html_report(path, tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "4 report line(s) could not be read" in index and "scan.jsonl:5: missing required field" in index
    assert str(tmp_path) not in index  # local folders are not published with the report


def clinic_page_json() -> str:
    return json.dumps(clinic_page())


def test_content_security_policy_admits_only_our_script(outdir: Path) -> None:
    index = (outdir / "index.html").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(SORT_JS.encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', index)
    assert csp
    policy = html.unescape(csp.group(1))
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy
    assert f"<script>{SORT_JS}</script>" in index


_TEXT = st.text(alphabet=st.sampled_from(list("ab <>&\"'\n\tß€")), max_size=60)


@settings(max_examples=200, deadline=None)
@given(
    text=_TEXT,
    raw=st.lists(
        st.tuples(
            st.integers(-5, 70),
            st.integers(-5, 70),
            st.sampled_from(["therapy", "condition", "outcome", "cue"]),
        ),
        max_size=8,
    ),
    regions=st.lists(
        st.tuples(
            st.integers(-5, 70), st.integers(-5, 70), st.sampled_from(["unproven", "overstated", "supported"])
        ),
        max_size=4,
    ),
)
def test_highlight_keeps_the_text_and_the_markup_balanced(
    text: str, raw: list[tuple[int, int, str]], regions: list[tuple[int, int, str]]
) -> None:
    spans = [_Span(a, b, kind, f"{kind}<x>", '"title"') for a, b, kind in raw]
    regs = [_Region(a, b, v, i) for i, (a, b, v) in enumerate(regions, start=1)]
    markup = highlight(text, spans, regs)
    tree = Tree(markup)  # raises on unbalanced markup (pop from empty stack)
    assert not tree._stack
    assert "".join(tree.text) == text


def test_lone_surrogates_do_not_stop_the_report(tmp_path: Path) -> None:
    """JSON may carry lone surrogates ("\\ud800") that UTF-8 cannot encode; they become "?"."""
    record = clinic_page()
    record["text"] += "\ud800 tail"
    record["claims"][0]["sentence"] += "\udfff"
    write_html_report([record], tmp_path / "site")
    assert "? tail" in _page_for(tmp_path / "site", record)


def test_report_of_real_checker_output(tmp_path: Path) -> None:
    """Lines from the real pipeline: every claim's spans are drawn over the text they name."""
    checker_mod = pytest.importorskip("factcheck.checker")
    ingest = pytest.importorskip("factcheck.ingest.html")
    markup = (
        "<html><head><title>Stem Cell Therapy for MS</title></head><body><h1>Stem cell treatment for MS</h1>"
        "<p>Our Wharton's jelly MSCs repair the myelin in SPMS and halt progression for good.</p>"
        "<p>aHSCT is an established treatment for highly active relapsing MS and reduces relapses.</p>"
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; Book a consultation today.</p></body></html>"
    )
    page = ingest.html_to_page(markup, source="pages/regen-ms.html", url="https://regen.example/ms")
    line = checker_mod.Checker().check_page(page).to_report_dict()
    line["text"] = page.text
    assert line["claims"], "the checker should find the MSC and aHSCT claims"
    out = tmp_path / "site"
    write_html_report([line], out)
    html_page = (out / "pages" / page_filename(page_from_dict(line))).read_text(encoding="utf-8")
    segs = [
        a.get("data-spans") or "" for a in Tree(html_page).find("span") if "seg" in (a.get("class") or "")
    ]
    for n, c in enumerate(line["claims"], start=1):
        assert f'id="t-claim-{n}"' in html_page
        for kind in ("therapy", "condition"):
            t = c[kind]
            if t.get("start") is not None:
                assert page.text[t["start"] : t["end"]] == t["text"]
                assert any(f"{kind}:{t['start']}-{t['end']}" in s for s in segs), (kind, t)
        for url in {u for e in c["evidence"] for u in e["sources"]}:
            assert f'href="{html.escape(url)}"' in html_page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html_page
