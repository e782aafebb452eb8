"""`factcheck report` on a scan with page coding: clinics.csv, coding.csv and the HTML section in Chromium."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_report_browser import CHROMIUM, Dom, dump_dom, screenshot

import factcheck

PAGES = [
    ("https://www.cells.example/autism",
     "Autism | Cells Example\nOur clinic in Cancun, Mexico offers stem cell therapy for autism, cerebral palsy, "
     "multiple sclerosis, ALS and Parkinson's disease. The treatment costs USD 14,900. It is safe and effective. "
     "Book a free consultation."),
    ("https://cells.example/ms",
     "MS | Cells Example\nOur clinic in Cancun offers stem cell therapy for multiple sclerosis. "
     "Price: $9,500. \"After my treatment I can walk again,\" says Ann. Book a consultation."),
    ("https://kneeclinic.example/knees",
     "Knees | Knee Clinic\nWe offer stem cell injections for knee osteoarthritis at our office in Tampa, FL 33602. "
     "Possible side effects include swelling and soreness. Our lab is FDA-registered. Call us today."),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    checker = factcheck.load()
    path = tmp_path_factory.mktemp("coding") / "scan.jsonl"
    lines = [checker.check_text(text, source=f"p{i}.txt", url=url).to_report_dict()
             for i, (url, text) in enumerate(PAGES)]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def outdir(report: Path) -> Path:
    out = report.parent / "site"
    done = subprocess.run([sys.executable, "-m", "factcheck", "report", str(report), "-o", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return out


def test_report_writes_clinics_csv_and_coding_sheet(outdir: Path) -> None:
    with (outdir / "clinics.csv").open(encoding="utf-8") as fh:
        clinics = {r["clinic"]: r for r in csv.DictReader(fh)}
    assert set(clinics) == {"cells.example", "kneeclinic.example"}
    cells = clinics["cells.example"]
    assert cells["pages"] == "2" and cells["country"] == "MX"
    assert int(cells["conditions_offered_count"]) >= 4 and cells["many_conditions_red_flag"] == "True"
    assert (cells["price_currency"], cells["price_min"], cells["price_max"]) == ("USD", "9500.0", "14900.0")
    assert cells["share_testimonial"] == "0.5" and clinics["kneeclinic.example"]["country"] == "US"
    with (outdir / "coding.csv").open(encoding="utf-8") as fh:
        sheet = list(csv.DictReader(fh))
    assert [r["fda"] for r in sheet] == ["0", "0", "1"] and [r["risk_disclosure"] for r in sheet] == ["0", "0", "1"]


@pytest.mark.slow
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs headless Chromium at /usr/bin/chromium")
def test_clinic_section_renders_in_chromium(outdir: Path, tmp_path: Path) -> None:
    dom = Dom(dump_dom(tmp_path, outdir / "index.html"))
    # the sorting script still runs under the page's CSP with the new section in place
    assert dom.elements[0] == ("html", {"lang": "en", "data-js": "sortable"})
    charts = dom.having("svg", "feature-chart")
    assert len(charts) == 1
    assert {"clinics-table", "features-by-country", "features-by-therapy"} <= {
        a.get("id") for t, a in dom.elements if t == "table"}
    text = " ".join(dom.text)
    assert "cells.example" in text and "many conditions" in text and "USD 9,500–14,900" in text
    screenshot(tmp_path, outdir / "index.html", "report-clinics.png", height=2400)


def test_a_clinic_page_naming_a_therapy_but_no_condition_is_coded() -> None:
    # a price or FAQ page ("Stem cell therapy packages from $5,000") holds no claim but is about a treatment
    from factcheck import Checker

    report = Checker().check_text("Stem cell therapy packages\nOur stem cell therapy costs $5,000 per infusion. "
                                  "Book your consultation with our team today.")
    assert report.stance == "no_claim_terms"
    assert report.features["price"] is True and report.features["offers_treatment"] is True
    off_topic = Checker().check_text("Garden centre\nOur seedlings cost $5 each. Book your visit today.")
    assert off_topic.features["price"] is False
