"""Page coding parts: rules file validation, price parsing, country evidence, checker wiring, clinic tables."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import factcheck
from factcheck.coding.clinics import clinics, site_name
from factcheck.coding.country import find_country, jurisdiction_of
from factcheck.coding.prices import find_prices
from factcheck.coding.rules import RulesError, load_rules, parse_rules
from factcheck.report.clinics import clinic_section, write_clinics_csv, write_coding_sheet

# --------------------------------------------------------------------------- rules files


def test_bundled_rule_files_load_for_every_language() -> None:
    for lang in ("en", "es"):
        rules = load_rules(lang)
        assert rules.language == lang and rules.features and rules.legitimacy


def _rules(**change: object) -> str:
    spec = {"language": "en", "topic": ["stem cell"], "features": {"price": {"rules": [
        {"id": "money", "pattern": "\\$\\d+"}]}}, "legitimacy": {}}
    spec.update(change)
    return json.dumps(spec, indent=2)


def test_bad_regex_is_named_with_file_line_and_field() -> None:
    raw = _rules(features={"price": {"rules": [{"id": "ok", "pattern": "cost"}, {"id": "broken", "pattern": "(a"}]}})
    with pytest.raises(RulesError) as err:
        parse_rules(raw, "my_features.json")
    message = str(err.value)
    line = raw.splitlines().index(next(ln for ln in raw.splitlines() if '"broken"' in ln)) + 1
    assert f"my_features.json:{line}:" in message
    assert "features.price.rules.1.pattern" in message and "invalid regular expression" in message


def test_unknown_feature_and_veto_are_errors() -> None:
    with pytest.raises(RulesError, match="unknown feature"):
        parse_rules(_rules(features={"prices": {"rules": []}}), "f.json")
    with pytest.raises(RulesError, match="unknown veto list 'warn'"):
        parse_rules(_rules(features={"price": {"rules": [{"id": "a", "pattern": "cost", "veto": ["warn"]}]}}),
                    "f.json")


def test_catastrophic_pattern_is_refused() -> None:
    with pytest.raises(RulesError, match="nested quantifier"):
        parse_rules(_rules(features={"price": {"rules": [{"id": "a", "pattern": "(a+)+$"}]}}), "f.json")


def test_not_json_names_the_line() -> None:
    with pytest.raises(RulesError, match=r"f\.json:3: <json>"):
        parse_rules('{\n "language": "en",\n oops\n}', "f.json")


# --------------------------------------------------------------------------- prices


@pytest.mark.parametrize(("text", "amount", "currency", "high"), [
    ("USD 14,900", 14900, "USD", None),
    ("$250.000 MXN", 250000, "MXN", None),
    ("12.000 €", 12000, "EUR", None),
    ("US$ 5,000", 5000, "USD", None),
    ("$5k", 5000, "USD", None),
    ("$8,000-15,000", 8000, "USD", 15000),
    ("₹3-5 lakh", 300000, "INR", 500000),
    ("Rs. 2,50,000", 250000, "INR", None),
    ("€1.500,50", 1500.5, "EUR", None),
    ("15 mil dólares", 15000, "USD", None),
    ("45,000 US dollars", 45000, "USD", None),
    ("45.000 dólares estadounidenses", 45000, "USD", None),
])
def test_prices_parse(text: str, amount: float, currency: str, high: float | None) -> None:
    (price,) = find_prices(f"The cost is {text} in total.")
    assert (price.amount, price.currency, price.amount_max) == (amount, currency, high)
    assert price.text.strip() == text


def test_bare_dollar_is_marked_as_guessed() -> None:
    assert find_prices("only $900")[0].currency_guessed is True
    assert find_prices("only US$900")[0].currency_guessed is False


def test_years_and_counts_are_not_prices() -> None:
    assert find_prices("In 2019, 500 patients were treated in 12 countries.") == []


# --------------------------------------------------------------------------- country


def test_clinic_location_decides_over_a_passing_mention() -> None:
    result = find_country("Many patients come from Texas and California. Our clinic in Tijuana is 20 minutes "
                          "from the border.")
    assert result.country == "MX" and result.decided_by == "clinic_location"


def test_phone_code_decides_when_nothing_else_is_said() -> None:
    result = find_country("Call us on +66 2 555 0100 for stem cell therapy.")
    assert (result.country, result.decided_by) == ("TH", "phone")


def test_us_address_and_tld() -> None:
    assert find_country("Visit us: 100 Main St, Sarasota, FL 34236").decided_by == "address"
    assert find_country("Stem cell therapy.", url="https://clinic.example.co").country == "CO"


def test_no_evidence_no_country() -> None:
    assert find_country("Stem cell therapy for knees.").country is None


@pytest.mark.parametrize("text", [
    "The results were published in the New England Journal of Medicine.",
    "El estudio se publicó en la Revista Médica de Chile.",
])
def test_a_journal_named_after_a_place_gives_no_country(text: str) -> None:
    assert find_country(text).country is None


def test_a_national_society_a_doctor_belongs_to_still_counts() -> None:
    assert find_country("El doctor es miembro de la Asociación Argentina de Ortopedia.").country == "AR"


def test_jurisdiction_codes() -> None:
    assert [jurisdiction_of(c) for c in ("JP", "GB", "DE", None)] == ["JP", "UK", "EU", None]


# --------------------------------------------------------------------------- checker wiring

JAPAN = ("Our clinic in Tokyo, Japan offers Stemirac, a mesenchymal stem cell therapy, for spinal cord injury. "
         "Call +81 3 5555 0100 to book a consultation.")


@pytest.fixture(scope="module")
def checker() -> factcheck.Checker:
    return factcheck.load()


def test_report_line_carries_country_and_features(checker: factcheck.Checker) -> None:
    line = checker.check_text(JAPAN).to_report_dict()
    assert line["country"] == "JP"
    assert set(line["features"]) == {"offers_treatment", "price", "testimonial", "success_rate", "safety_claim",
                                     "risk_disclosure", "pay_to_participate", "legitimacy"}
    assert line["features"]["offers_treatment"] is True
    spans = line["feature_evidence"]["features"]["offers_treatment"]
    assert all(JAPAN[s["start"]:s["end"]] == s["text"] for s in spans)
    assert line["feature_evidence"]["country"]["decided_by"] in ("clinic_location", "phone")
    json.dumps(line)  # serialisable as a report line


def test_auto_jurisdiction_counts_japans_conditional_approval_for_a_japanese_clinic(
        checker: factcheck.Checker) -> None:
    default = [c.verdict for c in checker.check_text(JAPAN).claims]
    auto = factcheck.load(jurisdiction="auto").check_text(JAPAN)
    assert default == ["unproven"]
    assert [c.verdict for c in auto.claims] != default
    assert "judged for JP" in auto.claims[0].reason


def test_auto_jurisdiction_elsewhere_keeps_the_default_verdict(checker: factcheck.Checker) -> None:
    text = JAPAN.replace("Tokyo, Japan", "Cancun, Mexico").replace("+81 3 5555 0100", "+52 998 555 0100")
    auto = factcheck.load(jurisdiction="auto").check_text(text)
    assert [c.verdict for c in auto.claims] == [c.verdict for c in checker.check_text(text).claims]
    assert "judged for MX" in auto.claims[0].reason


def test_off_topic_page_is_not_coded(checker: factcheck.Checker) -> None:
    line = checker.check_text("Summer sale! Call us today. Shoes from $45.").to_report_dict()
    assert line["feature_evidence"]["coded"] is False and line["features"]["price"] is False


# --------------------------------------------------------------------------- clinic tables

MULTI = ("Our clinic in Cancun, Mexico offers stem cell therapy for autism, multiple sclerosis, ALS, "
         "Parkinson's disease and knee osteoarthritis. The treatment costs USD 14,900. "
         "Book a free consultation.")


def _lines(checker: factcheck.Checker) -> list[dict[str, object]]:
    return [checker.check_text(MULTI, source="a.html", url="https://www.cells.example/autism").to_report_dict(),
            checker.check_text(MULTI.replace("14,900", "9,500"), source="b.html",
                               url="https://cells.example/ms").to_report_dict(),
            checker.check_text(JAPAN, source="c.html").to_report_dict()]


def test_clinic_rows_aggregate_pages_by_domain(checker: factcheck.Checker) -> None:
    rows = {c.clinic: c for c in clinics(_lines(checker))}
    clinic = rows["cells.example"]
    assert clinic.pages == 2 and clinic.country == "MX"
    assert len(clinic.conditions_offered) >= 4 and clinic.many_conditions
    assert clinic.price_range() == ("USD", 9500, 14900)
    assert clinic.share("offers_treatment") == 1.0


def test_clinics_csv_and_coding_sheet(checker: factcheck.Checker, tmp_path: Path) -> None:
    lines = _lines(checker)
    with write_clinics_csv(lines, tmp_path / "clinics.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["clinic"] for r in rows][:1] == ["cells.example"]
    assert rows[0]["many_conditions_red_flag"] == "True" and rows[0]["price_min"] == "9500.0"
    with write_coding_sheet(lines, tmp_path / "coding.csv").open(encoding="utf-8") as fh:
        sheet = list(csv.DictReader(fh))
    assert len(sheet) == 3 and sheet[0]["offers_treatment"] == "1" and sheet[0]["price"] == "1"
    assert sheet[2]["country"] == "JP"


def test_html_section_has_an_inline_chart(checker: factcheck.Checker) -> None:
    section = clinic_section(_lines(checker))
    assert "<svg" in section and "cells.example" in section and "many conditions" in section
    assert "http" not in section.split("<svg", 1)[1].split("</svg>", 1)[0].replace("http://www.w3.org", "")


def test_site_name_from_title() -> None:
    assert site_name("Knee therapy | Acme Stem Cells") == "Acme Stem Cells"
    assert site_name("Home") is None
