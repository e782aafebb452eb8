"""The report as a browser renders it: headless Chromium, DOM dumps and screenshots.

Screenshots go to tests/artifacts/ (gitignored) for people to look at.
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from test_report_cli import scan_examples
from test_report_support import NMSS, clinic_page, hostile_page, sample_records, write_jsonl

from factcheck.report import read_report, write_html_report
from factcheck.report.naming import page_filename
from factcheck.report.records import page_from_dict

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs headless Chromium at /usr/bin/chromium (apt-get install -y chromium)",
    ),
]


class Dom(HTMLParser):
    """Elements of a DOM dump: (tag, attributes), and the page's text."""

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def having(self, tag: str, cls: str | None = None) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.elements if t == tag and (cls is None or cls in (a.get("class") or "").split())
        ]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ]
    done = subprocess.run(
        [str(CHROMIUM), *flags, *args], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def dump_dom(tmp_path: Path, page: Path) -> str:
    # a virtual-time budget lets the page's script run before the DOM is serialised
    return chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", page.resolve().as_uri()).stdout


def screenshot(tmp_path: Path, page: Path, name: str, height: int = 1600) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    target.unlink(missing_ok=True)
    chromium(tmp_path, f"--screenshot={target}", f"--window-size=1280,{height}", page.resolve().as_uri())
    data = target.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000  # a real render, not a blank page
    return target


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("browser")
    report = write_jsonl(tmp / "scan.jsonl", sample_records())
    write_html_report(report, tmp / "site", title="Stem-cell clinic claims: sample scan")
    return tmp / "site"


def test_claim_page_renders_highlights_and_source_links(site: Path, tmp_path: Path) -> None:
    record = clinic_page()
    page = site / "pages" / page_filename(page_from_dict(record))
    dom = Dom(dump_dom(tmp_path, page))
    spans = " ".join(a.get("data-spans") or "" for a in dom.having("span", "seg"))
    for c in record["claims"]:
        for kind in ("therapy", "condition", "outcome"):
            assert f"{kind}:{c[kind]['start']}-{c[kind]['end']}" in spans
    chips = {a.get("class") for a in dom.having("span", "chip")}
    assert {"chip k-therapy", "chip k-condition", "chip k-outcome", "chip k-cue"} <= chips
    badges = [a for a in dom.having("a", "badge") if (a.get("href") or "").startswith("#claim-")]
    assert len(badges) == len(record["claims"])
    assert NMSS in {a.get("href") for a in dom.having("a")}
    screenshot(tmp_path, page, "report-page.png", height=2000)


def test_index_renders_and_its_sorting_script_runs(site: Path, tmp_path: Path) -> None:
    markup = dump_dom(tmp_path, site / "index.html")
    dom = Dom(markup)
    # the script set this mark: the CSP hash admits our inline script, and it ran without error
    assert dom.elements[0] == ("html", {"lang": "en", "data-js": "sortable"})
    assert len(dom.having("svg")) == 1 and len(dom.having("rect")) >= 5
    links = [a.get("href") for a in dom.having("a") if (a.get("href") or "").startswith("pages/")]
    assert len(links) == 5
    screenshot(tmp_path, site / "index.html", "report-index.png", height=1500)


def test_hostile_page_shows_its_markup_as_text(site: Path, tmp_path: Path) -> None:
    page = site / "pages" / page_filename(page_from_dict(hostile_page()))
    markup = dump_dom(tmp_path, page)
    dom = Dom(markup)
    tags = {t for t, _ in dom.elements}
    assert not tags & {"script", "img", "iframe", "b", "textarea", "object", "embed"}, tags
    assert not [a for _, a in dom.elements if any(k.startswith("on") for k in a)]
    text = "".join(dom.text)
    assert '<script>alert("pwned")</script>' in text and "<iframe src=javascript:alert(3)></iframe>" in text
    assert not re.search(r'href="javascript:', markup, re.IGNORECASE)
    screenshot(tmp_path, page, "report-hostile.png", height=1100)


def test_clicking_a_header_sorts_the_pages_table(site: Path, tmp_path: Path) -> None:
    # a copy with a test script that clicks "Claims" then "Page"; the CSP (which would rightly
    # block the test script) is dropped from the copy only
    markup = (site / "index.html").read_text(encoding="utf-8")
    markup = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", markup)
    clicks = (
        "<script>var h=document.querySelectorAll('#pages th');h[4].click();"
        "document.body.setAttribute('data-claims',Array.prototype.map.call("
        "document.querySelectorAll('#pages tbody tr'),function(r){return r.cells[4].textContent;}).join());"
        "h[0].click();h[0].click();</script>"
    )
    copy = site / "index-sorted.html"
    copy.write_text(markup.replace("</body>", clicks + "</body>"), encoding="utf-8")
    try:
        dom = Dom(dump_dom(tmp_path, copy))
    finally:
        copy.unlink()
    body = dom.having("body")[0]
    assert body.get("data-claims") == "0,1,1,4,4"  # numeric ascending after one click
    heads = dom.having("th")
    assert heads[0].get("aria-sort") == "descending" and heads[4].get("aria-sort") is None
    rows = [a.get("title") for a in dom.having("a") if (a.get("href") or "").startswith("pages/")]
    assert rows == sorted(rows, key=lambda s: (s or "").lower(), reverse=True)


def test_report_of_a_real_scan_of_the_examples(tmp_path: Path) -> None:
    report = scan_examples(tmp_path)
    loaded = read_report(report)
    index = write_html_report(report, tmp_path / "site", title="factcheck: examples/pages")
    dom = Dom(dump_dom(tmp_path, index))
    assert len([a for a in dom.having("a") if (a.get("href") or "").startswith("pages/")]) == len(
        loaded.pages
    )
    flagged = [p for p in loaded.pages if p.flagged]
    assert flagged, "the examples should include pages with flagged claims"
    busiest = max(flagged, key=lambda p: len(p.flagged))
    page = tmp_path / "site" / "pages" / page_filename(busiest)
    dom = Dom(dump_dom(tmp_path, page))
    assert dom.having("span", "seg") and dom.having("span", "chip")
    hrefs = {a.get("href") for a in dom.having("a")}
    assert {u for c in busiest.claims for u in c.sources} <= hrefs
    screenshot(tmp_path, index, "examples-index.png", height=1500)
    screenshot(tmp_path, page, "examples-page.png", height=2000)


def test_claimreview_embedded_in_a_page_stays_one_script_element(tmp_path: Path) -> None:
    """A hostile page's `</script>` in ClaimReview must not end the JSON-LD block it is pasted into."""
    from factcheck.report import write_claimreview

    reviews_file = write_claimreview([hostile_page(), *sample_records()], tmp_path / "claimreview.json",
                                     date="2026-03-01")
    payload = reviews_file.read_text(encoding="utf-8")
    assert "</script>" in json.dumps(json.loads(payload))  # the hostile text is there, escaped
    page = tmp_path / "embedded.html"
    page.write_text('<!doctype html><html><head><title>t</title><script type="application/ld+json">'
                    f"{payload}</script></head><body><p id=end>end</p></body></html>", encoding="utf-8")
    dom = Dom(dump_dom(tmp_path, page))
    assert [t for t, _ in dom.elements].count("script") == 1
    assert not dom.having("img") and not dom.having("iframe")
    # the browser's script text parses back to the same reviews
    script_text = dump_dom(tmp_path, page).split('type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert json.loads(script_text) == json.loads(payload)
