"""ClaimReview JSON-LD: shapes checked against schema.org property names, offline."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from test_report_support import CTGOV, NMSS, clinic_page, error_page, hostile_page, info_page, sample_records

from factcheck.report import claim_reviews, write_claimreview, write_html_report
from factcheck.report.claimreview import BEST_RATING, WORST_RATING, shorten

# Properties schema.org defines for each type we emit (a subset of each type's full list, wide
# enough to hold everything we write; an unknown name here is a typo in our output). Required
# properties follow Google's ClaimReview structured-data guidelines.
THING = {"@type", "@context", "@id", "name", "url", "description", "alternateName", "sameAs", "identifier"}
CREATIVE_WORK = THING | {
    "author",
    "datePublished",
    "dateModified",
    "citation",
    "about",
    "headline",
    "publisher",
    "inLanguage",
    "text",
    "appearance",
    "firstAppearance",
}
SCHEMA: dict[str, tuple[set[str], set[str]]] = {
    # type: (required, allowed)
    "ClaimReview": (
        {
            "@context",
            "@type",
            "url",
            "claimReviewed",
            "reviewRating",
            "author",
            "datePublished",
            "itemReviewed",
        },
        CREATIVE_WORK | {"claimReviewed", "reviewRating", "itemReviewed", "reviewBody", "reviewAspect"},
    ),
    "Rating": (
        {"@type", "ratingValue", "bestRating", "worstRating", "alternateName"},
        THING | {"ratingValue", "bestRating", "worstRating", "ratingExplanation", "reviewAspect", "author"},
    ),
    "Claim": ({"@type", "appearance"}, CREATIVE_WORK),
    "CreativeWork": ({"@type", "url"}, CREATIVE_WORK),
    "Organization": ({"@type", "name"}, THING | {"logo", "email"}),
    "MedicalTherapy": ({"@type", "name"}, THING),
    "MedicalCondition": ({"@type", "name"}, THING),
}
# which types a property may hold (schema.org ranges, narrowed to what we use)
RANGES = {
    "reviewRating": {"Rating"},
    "itemReviewed": {"Claim"},
    "author": {"Organization"},
    "appearance": {"CreativeWork"},
    "citation": {"CreativeWork"},
    "about": {"MedicalTherapy", "MedicalCondition"},
}


def validate(node: Any, path: str = "$") -> list[str]:
    """Problems with a JSON-LD node and everything under it (empty when it is well-shaped)."""
    if not isinstance(node, dict):
        return [f"{path}: expected an object"]
    kind = node.get("@type")
    if kind not in SCHEMA:
        return [f"{path}: unknown @type {kind!r}"]
    required, allowed = SCHEMA[kind]
    errors = [f"{path}: {kind} lacks {p}" for p in sorted(required - node.keys())]
    errors += [f"{path}: {kind} has no property {p}" for p in sorted(node.keys() - allowed)]
    for key, value in node.items():
        values = value if isinstance(value, list) else [value]
        if key in RANGES:
            for i, v in enumerate(values):
                sub = f"{path}.{key}[{i}]" if isinstance(value, list) else f"{path}.{key}"
                if not isinstance(v, dict) or v.get("@type") not in RANGES[key]:
                    errors.append(f"{sub}: expected one of {sorted(RANGES[key])}")
                else:
                    errors += validate(v, sub)
        elif key in {"url", "name", "claimReviewed", "alternateName", "reviewBody", "ratingExplanation"} and (
            not isinstance(value, str) or not value
        ):
            errors.append(f"{path}.{key}: expected non-empty text")
    if kind == "ClaimReview":
        if node.get("@context") != "https://schema.org":
            errors.append(f"{path}: @context must be https://schema.org")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(node.get("datePublished"))):
            errors.append(f"{path}.datePublished: expected an ISO date")
    if kind == "Rating":
        nums = [node.get(k) for k in ("worstRating", "ratingValue", "bestRating")]
        if not all(isinstance(n, int | float) for n in nums) or not nums[0] <= nums[1] <= nums[2]:  # type: ignore[operator]
            errors.append(f"{path}: need worstRating <= ratingValue <= bestRating, got {nums}")
    return errors


def test_the_validator_catches_what_it_should() -> None:
    good = claim_reviews([clinic_page()], date="2026-01-02")[0]
    assert validate(good) == []
    bad = json.loads(json.dumps(good))
    del bad["reviewRating"]["alternateName"]
    bad["itemReviewed"]["apperance"] = bad["itemReviewed"].pop("appearance")
    bad["reviewRating"]["ratingValue"] = 9
    assert sorted(validate(bad)) == [
        "$.itemReviewed: Claim has no property apperance",
        "$.itemReviewed: Claim lacks appearance",
        "$.reviewRating: Rating lacks alternateName",
        "$.reviewRating: need worstRating <= ratingValue <= bestRating, got [1, 9, 3]",
    ]


def test_one_valid_review_per_flagged_claim() -> None:
    records = sample_records()
    reviews = claim_reviews(
        records, org_name="MS Watch", org_url="https://mswatch.example", date=dt.date(2026, 3, 1)
    )
    flagged = [c for r in records for c in r["claims"] if c["flagged"]]
    assert len(reviews) == len(flagged) == 7
    for review, c in zip(reviews, flagged, strict=True):
        assert validate(review) == [], review
        assert review["reviewRating"]["alternateName"] == c["verdict"]
        assert review["author"] == {
            "@type": "Organization",
            "name": "MS Watch",
            "url": "https://mswatch.example",
        }
        assert review["datePublished"] == "2026-03-01"
        assert [x["url"] for x in review.get("citation", [])] == list(
            dict.fromkeys(u for e in c["evidence"] for u in e["sources"])
        )
        assert review["reviewRating"]["ratingExplanation"] == c["reason"]


def test_rating_scale_and_appearance() -> None:
    page = clinic_page()
    page["claims"][2]["verdict"] = "overstated"  # aHSCT claim, now overstated
    page["claims"][2]["flagged"] = True
    reviews = claim_reviews([page, info_page(), error_page()])
    ratings = {r["reviewRating"]["alternateName"]: r["reviewRating"]["ratingValue"] for r in reviews}
    assert ratings == {"unproven": 1, "overstated": 2}
    assert all(
        r["reviewRating"]["worstRating"] == WORST_RATING and r["reviewRating"]["bestRating"] == BEST_RATING
        for r in reviews
    )
    assert {r["itemReviewed"]["appearance"]["url"] for r in reviews} == {page["url"]}
    first = reviews[0]
    assert first["citation"] == [
        {"@type": "CreativeWork", "url": NMSS},
        {"@type": "CreativeWork", "url": CTGOV},
    ]
    assert first["itemReviewed"]["about"][1] == {"@type": "MedicalCondition", "name": "multiple sclerosis"}


def test_appearance_falls_back_to_source_and_defaults() -> None:
    review = claim_reviews([clinic_page(url=None, source="crawl/clinic.html")])[0]
    assert review["itemReviewed"]["appearance"]["url"] == "crawl/clinic.html"
    assert review["author"] == {"@type": "Organization", "name": "factcheck"}
    assert review["datePublished"] == dt.date.today().isoformat()


def test_claim_reviewed_is_short_and_cut_at_a_word_boundary() -> None:
    for review, c in zip(
        claim_reviews([clinic_page()]), [c for c in clinic_page()["claims"] if c["flagged"]], strict=True
    ):
        text = review["claimReviewed"]
        assert len(text) <= 75
        if len(c["sentence"]) > 75:
            assert text.endswith("…")
            kept = text[:-1]
            assert c["sentence"].startswith(kept) and c["sentence"][len(kept)] in " ,;:.-"
        else:
            assert text == c["sentence"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short claim.", "Short claim."),
        ("  spaced\n  out\ttext ", "spaced out text"),
        ("word " * 30, "word word word word word word word word word word word word word word…"),
        ("x" * 100, "x" * 74 + "…"),
        (
            "Our stem cells cure MS, Parkinson's, ALS, autism, and ageing, - guaranteed results for all",
            "Our stem cells cure MS, Parkinson's, ALS, autism, and ageing…",
        ),
    ],
)
def test_shorten(text: str, expected: str) -> None:
    assert shorten(text) == expected
    assert len(shorten(text)) <= 75


def test_review_urls_point_at_the_claims_in_the_html_report(tmp_path: Path) -> None:
    records = sample_records()
    write_html_report(records, tmp_path)
    for review in claim_reviews(records):
        page, anchor = review["url"].split("#")
        assert re.fullmatch(r"pages/[a-z0-9-]+\.html", page)
        assert f'id="{anchor}"' in (tmp_path / page).read_text(encoding="utf-8")
    published = claim_reviews(records, base_url="https://mswatch.example/reports/2026-03/")
    assert all(r["url"].startswith("https://mswatch.example/reports/2026-03/pages/") for r in published)


def test_write_json_array_and_jsonl(tmp_path: Path) -> None:
    records = sample_records()
    as_array = json.loads(
        write_claimreview(records, tmp_path / "cr.json", date="2026-03-01").read_text("utf-8")
    )
    lines = (
        write_claimreview(records, tmp_path / "cr.jsonl", date="2026-03-01").read_text("utf-8").splitlines()
    )
    assert isinstance(as_array, list) and len(as_array) == 7
    assert [json.loads(line) for line in lines] == as_array
    # non-ASCII stays readable, and hostile text is data, not markup, in JSON
    assert "Wharton's jelly" in (tmp_path / "cr.json").read_text("utf-8")


def test_claimreview_files_have_no_raw_html_characters(tmp_path: Path) -> None:
    records = [hostile_page(), *sample_records()]
    for name in ("claimreview.json", "claimreview.jsonl"):
        text = write_claimreview(records, tmp_path / name, date="2026-03-01").read_text(encoding="utf-8")
        assert not set(text) & {"<", ">", "&"}
        assert "\\u003c/script\\u003e" in text
        lines = [json.loads(line) for line in text.splitlines()] if name.endswith("l") else json.loads(text)
        assert lines == claim_reviews(records, date="2026-03-01")
