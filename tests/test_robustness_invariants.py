"""Invariants of the checker for any input (issue 5), tested with hypothesis.

For any Unicode text and any HTML-ish string: nothing escapes ``check_text``/``check_html`` (an error
report carries a type and a message); every claim's ``start``/``end`` slice the extracted text to
its ``sentence``, and every recognised term (not a page-topic stand-in) to its ``text``; results are
deterministic; the fast path and the full spaCy pipeline give the same claims; and ``check_html``
of a page equals ``factcheck scan`` of the same page as a file.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import factcheck
from factcheck.checker import Checker
from factcheck.ingest import IngestError, html_to_page, text_to_page
from tests.scan_helpers import ROOT, cli_env

#: words from the evidence database and the context rules, so generated pages do hold claims
TERMS = [
    "mesenchymal stem cells", "multiple sclerosis", "HSCT", "MS", "MSC", "MSCs", "ALS", "autism", "cure",
    "cures", "we offer", "Our clinic offers", "not", "no", "never", "stem cell therapy", "stem cells",
    "exosomes", "(MSCs)", "Parkinson's", "esclerosis múltiple", "guaranteed", "clinical trial", "may",
    "reverses", "umbilical cord", "knee osteoarthritis", "relapsing-remitting", "PPMS", "only in trials",
    "100%", "$5,000", "patients report", "in mice", "Who can be treated?", "is not a cure for",
    "stem\u00adcell", "M\u200bSC", "stem \u0441ell", "ｍｅｓｅｎｃｈｙｍａｌ", "mu\u0301ltiple",
]
TAGS = [
    "<p>", "</p>", "<div>", "</div>", "<h1>", "</h1>", "<h2>", "<li>", "<ul>", "</ul>", "<b>", "</b>",
    "<br>", "<script>", "</script>", "<style>", "<nav>", "</nav>", "<title>", "</title>", "<head>",
    "<body>", "<table><tr><td>", "</td><td>", "<!--", "-->", "<img alt='stem cells for MS'>", "<blockquote>",
    "<header>", "<footer>", "<main>", "<article>", "<a href='/x'>", "</a>", "<span>", "<![CDATA[", "]]>",
    "<meta charset='shift_jis'>", "<div class='cookie-banner'>", "<svg>", "<template>", "<", ">", "</",
]
ENTITIES = ["&nbsp;", "&amp;", "&#8211;", "&lt;", "&#x200b;", "&shy;", "&#0;", "&#xD800;", "&bogus;", "&",
            "&#1114112;", "\u00ad", "\u200b", "\u00a0", "\ufeff"]
PUNCT = [". ", "! ", "? ", "\n", " ", ", ", ": ", "; ", " - ", "(", ")", "\"", "\u201c", "\t", "\r\n"]

_piece = st.one_of(st.sampled_from(TERMS), st.sampled_from(TAGS), st.sampled_from(ENTITIES),
                   st.sampled_from(PUNCT), st.text(max_size=8))
HTMLISH = st.lists(_piece, max_size=40).map("".join)
TEXTISH = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(TERMS), st.sampled_from(PUNCT), st.text(max_size=6)), max_size=40)
    .map("".join),
)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=False)


@pytest.fixture(scope="module")
def slow_checker() -> Checker:
    return factcheck.load(fast=False)


def check_report(report: dict[str, Any], text: str | None) -> None:
    """The report-level invariants; ``text`` is the extracted text (None for an ingest error)."""
    if report["status"] == "error":
        assert report["error"]["type"] and report["error"]["message"], report
        assert report["claims"] == []
        return
    assert report["error"] is None
    assert text is not None
    assert report["text_length"] == len(text)
    for claim in report["claims"]:
        assert text[claim["start"]:claim["end"]] == claim["sentence"], claim
        terms = [claim["therapy"], claim["condition"], *claim["condition"]["subtypes"]]
        if claim["outcome"]:
            terms.append(claim["outcome"])
        for term in terms:
            if term["method"] != "topic":
                assert text[term["start"]:term["end"]] == term["text"], (term, claim["sentence"])
        for flag in claim["context"]:
            assert text[flag["start"]:flag["end"]] == flag["cue"], flag
    for item in report["dismissed"]:
        assert text[item["start"]:item["end"]] == item["sentence"], item


def _html_text(doc: str | bytes) -> str | None:
    try:
        return html_to_page(doc, source="<html>").text
    except IngestError:
        return None


@SETTINGS
@given(text=TEXTISH)
def test_check_text_never_raises_and_offsets_slice_exactly(checker: Checker, text: str) -> None:
    report = checker.check_text(text)
    check_report(report.to_report_dict(), text_to_page(text, source="<text>").text)


@SETTINGS
@given(doc=HTMLISH)
def test_check_html_never_raises_and_offsets_slice_exactly(checker: Checker, doc: str) -> None:
    report = checker.check_html(doc)
    check_report(report.to_report_dict(), _html_text(doc))


@settings(max_examples=100, deadline=None)
@given(data=st.one_of(st.binary(max_size=400), HTMLISH.map(lambda s: s.encode("utf-8", "surrogatepass")),
                      HTMLISH.map(lambda s: s.encode("utf-16", "surrogatepass"))))
def test_check_html_of_any_bytes_gives_a_report(checker: Checker, data: bytes) -> None:
    report = checker.check_html(data, source="bytes.html").to_report_dict()
    check_report(report, _html_text(data))
    if report["status"] == "error":
        assert report["error"]["type"] == "IngestError"


@settings(max_examples=60, deadline=None)
@given(doc=HTMLISH, as_text=st.booleans())
def test_results_are_deterministic(checker: Checker, doc: str, as_text: bool) -> None:
    run = checker.check_text if as_text else checker.check_html
    first = run(doc).to_report_dict()  # type: ignore[operator]
    assert run(doc).to_report_dict() == first  # type: ignore[operator]


@settings(max_examples=80, deadline=None)
@given(doc=HTMLISH)
def test_fast_path_and_full_pipeline_give_identical_claims(checker: Checker, slow_checker: Checker,
                                                           doc: str) -> None:
    assert checker.fast and not slow_checker.fast
    fast = checker.check_html(doc).to_report_dict()
    full = slow_checker.check_html(doc).to_report_dict()
    assert fast["claims"] == full["claims"]
    assert fast["status"] == full["status"]


def generated_pages(n: int, seed: int = 5) -> list[str]:
    """Pages built from the same pieces as HTMLISH (seeded), half of them around a claim sentence."""
    rng = random.Random(seed)
    pool = TERMS + TAGS + ENTITIES + PUNCT + ["lorem", "ipsum", "Genève", "当院", "🙂"]
    pages = []
    for i in range(n):
        body = "".join(rng.choice(pool) + rng.choice(["", " "]) for _ in range(rng.randint(5, 60)))
        if i % 2 == 0:
            body = f"<h1>{rng.choice(TERMS)}</h1><p>Our clinic offers mesenchymal stem cells for multiple " \
                   f"sclerosis.</p>{body}<p>{rng.choice(TERMS)} {rng.choice(TERMS)} {rng.choice(TERMS)}.</p>"
        pages.append(f"<html><head><title>{rng.choice(TERMS)}</title></head><body>{body}</body></html>")
    return pages


def test_check_html_and_scan_of_the_same_generated_pages_give_the_same_claims(
        checker: Checker, tmp_path: Path) -> None:
    pages = generated_pages(20)
    folder = tmp_path / "pages"
    folder.mkdir()
    for i, page in enumerate(pages):
        (folder / f"page_{i:02d}.html").write_bytes(page.encode("utf-8", "surrogatepass"))
    out = tmp_path / "report.jsonl"
    proc = subprocess.run([sys.executable, "-m", "factcheck", "scan", str(folder), "-o", str(out), "--with-text",
                           "--workers", "1", "--quiet"], cwd=ROOT, env=cli_env(), capture_output=True, text=True,
                          timeout=180)
    assert proc.returncode == 0, proc.stderr
    lines = {json.loads(line)["source"]: json.loads(line) for line in out.read_text("utf-8").splitlines()}
    assert len(lines) == len(pages)
    with_claims = 0
    for i, page in enumerate(pages):
        source = str(folder / f"page_{i:02d}.html")
        line = lines[source]
        mine = checker.check_html(page.encode("utf-8", "surrogatepass"), source=source).to_report_dict()
        assert line["claims"] == mine["claims"], source
        assert (line["status"], line["stance"], line["warnings"]) == (mine["status"], mine["stance"],
                                                                      mine["warnings"]), source
        check_report(line, line.get("text"))
        with_claims += bool(line["claims"])
    assert with_claims >= 8  # the comparison is not vacuous
