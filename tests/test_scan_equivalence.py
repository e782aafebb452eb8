"""The fast path (spot first, spaCy only on blocks with terms) finds exactly the claims of the full
pipeline (spaCy on every word), on the labelled dev pages and on generated clinic pages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.checker import Checker
from factcheck.ingest.errors import IngestError
from factcheck.ingest.html import html_to_page
from factcheck.ingest.page import Page
from factcheck.ingest.text import text_to_page
from factcheck.scan import DEFAULT_MAX_CHARS

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_CASES = SHARED / "corpus" / "dev" / "cases.jsonl"
MAKE_PAGES = SHARED / "tools" / "make_pages.py"


@pytest.fixture(scope="module")
def checkers() -> tuple[Checker, Checker]:
    return Checker(fast=True), Checker(fast=False)


def _claims(checker: Checker, page: Page) -> str:
    return json.dumps(checker.check_page(page).to_report_dict()["claims"], sort_keys=True)


@pytest.mark.skipif(not DEV_CASES.exists(), reason="needs ../shared/corpus/dev")
def test_fast_and_full_pipeline_agree_on_every_dev_page(checkers):
    fast, full = checkers
    cases = [json.loads(line) for line in DEV_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(cases) >= 40
    n_claims = 0
    for case in cases:
        if case["format"] == "html":
            page = html_to_page(case["text"], source=case["id"])
        else:
            page = text_to_page(case["text"], source=case["id"])
        a, b = _claims(fast, page), _claims(full, page)
        assert a == b, case["id"]
        n_claims += len(json.loads(a))
    assert n_claims > 40  # the check compared real claims


@pytest.mark.slow
@pytest.mark.skipif(not MAKE_PAGES.exists(), reason="needs ../shared/tools/make_pages.py")
def test_fast_and_full_pipeline_agree_on_200_generated_pages(tmp_path, checkers):
    fast, full = checkers
    subprocess.run([sys.executable, str(MAKE_PAGES), str(tmp_path), "--n", "200", "--seed", "11"],
                   check=True, capture_output=True)
    n_claims = 0
    files = sorted(tmp_path.glob("page_*.html"))
    assert len(files) == 200
    for f in files:
        try:
            page = html_to_page(f.read_bytes(), source=str(f), max_chars=DEFAULT_MAX_CHARS)
        except IngestError:
            continue
        a, b = _claims(fast, page), _claims(full, page)
        assert a == b, f.name
        n_claims += len(json.loads(a))
    assert n_claims > 200


def test_scan_lines_are_the_text_json_dumps_writes(checker):
    """``scan.to_line`` writes with pydantic-core; the text must be json.dumps' to the byte, also
    for the values the two write differently (small exponents, lone surrogates), which fall back."""
    from factcheck.scan import to_line

    text = ("Stem Cell Therapy for MS\nOur clinic offers stem cell therapy for multiple sclerosis: it "
            "repairs nerves and stops progression \u2014 \u201cI walk again\u201d. Price $14,900.\n"
            "Control \x1f, line separator \u2028, backslash \\ and quotes \" survive.")
    report = checker.check_text(text, source="page.txt")
    assert report.claims  # a line with nested claims, evidence and page coding
    tiny = report.model_copy(update={"feature_evidence": {**(report.feature_evidence or {}),
                                                          "x": [1e-7, 2.5e-05, 1e-10, 1e22, -0.0]}})
    lone = text_to_page(text, source="bad\udc80name.txt")
    for rep in (report, tiny, checker.check_page(lone), checker.check_text("", source="empty.txt")):
        assert to_line(rep) == json.dumps(rep.to_report_dict(), ensure_ascii=False, separators=(",", ":"))
