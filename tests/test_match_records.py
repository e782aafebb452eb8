"""Which evidence record decides a claim: products, transplant wording, populations, scales (issue 15).

Every sentence goes through the real checker (spaCy blank pipeline, bundled database); the verdicts
and the record the reason cites follow from the records in claims_db/.
"""

from __future__ import annotations

import functools

import pytest

import factcheck
from factcheck.checker import Checker
from factcheck.db import NO_RECORD_REASON, default_db
from factcheck.match import applicable_records, judge, outcome_rank, scale_ceiling
from factcheck.models import OUTCOME_CLASS_ORDER, OutcomeClass


@functools.cache
def _checker(jurisdiction: str | None) -> Checker:
    return factcheck.load(jurisdiction=jurisdiction)


def _claim(sentence: str, therapy: str, condition: str, jurisdiction: str | None = None) -> factcheck.Claim:
    report = _checker(jurisdiction).check_text(sentence)
    found = [c for c in report.claims if (c.therapy.id, c.condition.id) == (therapy, condition)]
    assert found, [(c.therapy.id, c.condition.id) for c in report.claims]
    return found[0]


# --------------------------------------------------------------------------- accepted transplant uses

@pytest.mark.parametrize(
    ("sentence", "therapy", "condition", "record"),
    [
        ("Stem cell transplant is a proven treatment for leukaemia.", "stem_cell_unspecified", "blood_cancer",
         "stem_cell_unspecified-blood_cancer-transplant"),
        ("Stem cell transplant is standard care for thalassaemia.", "stem_cell_unspecified", "blood_disorder",
         "stem_cell_unspecified-blood_disorder-transplant"),
        ("A bone marrow transplant can cure sickle cell disease.", "ahsct", "blood_disorder",
         "ahsct-blood_disorder-transplant"),
        ("HSCT is the standard treatment for severe aplastic anaemia.", "ahsct", "blood_disorder",
         "ahsct-blood_disorder-transplant"),
    ],
)
def test_transplant_wording_for_blood_diseases_is_supported(sentence: str, therapy: str, condition: str,
                                                              record: str) -> None:
    claim = _claim(sentence, therapy, condition)
    assert claim.verdict == "supported", claim.reason
    assert claim.basis == "record" and record in claim.reason


@pytest.mark.parametrize("jurisdiction", ["EU", "UK", "JP"])
def test_cord_blood_transplant_is_accepted_beyond_the_us_licences(jurisdiction: str) -> None:
    claim = _claim("Cord blood transplant is an established treatment for leukaemia.", "cord_blood",
                   "blood_cancer", jurisdiction)
    assert claim.verdict == "supported", claim.reason
    assert "cord_blood-blood_cancer-transplant" in claim.reason


def test_a_stem_cell_offer_for_leukaemia_without_transplant_wording_stays_unproven() -> None:
    claim = _claim("We offer stem cell therapy for leukaemia. Book now.", "stem_cell_unspecified", "blood_cancer")
    assert claim.verdict == "unproven" and claim.basis == "default"


def test_own_cells_wording_does_not_borrow_the_donor_transplant_record() -> None:
    claim = _claim("We offer an autologous stem cell transplant for sickle cell disease.", "ahsct", "blood_disorder")
    assert claim.verdict == "unproven" and claim.basis == "default"


# --------------------------------------------------------------------------- product-specific records

def test_an_unnamed_msc_product_for_gvhd_does_not_inherit_ryoncil() -> None:
    claim = _claim("Our umbilical cord MSCs treat graft-versus-host disease. Book now.", "msc", "gvhd")
    assert claim.verdict == "unproven"
    assert "msc-gvhd-ryoncil" not in [e.record for e in claim.evidence] and "Ryoncil" in claim.reason


def test_ryoncil_for_paediatric_steroid_refractory_acute_gvhd_is_supported() -> None:
    claim = _claim("Ryoncil is approved for paediatric steroid-refractory acute GVHD.", "msc", "gvhd")
    assert claim.verdict == "supported" and "msc-gvhd-ryoncil" in claim.reason


def test_a_product_named_elsewhere_on_the_page_counts() -> None:
    text = "Ryoncil is now available at our centre.\n\nIt treats steroid-refractory acute GVHD in children."
    claims = [c for c in _checker(None).check_text(text).claims if c.condition.id == "gvhd"]
    assert claims and all("msc-gvhd-ryoncil" in c.reason for c in claims)


def test_ryoncil_for_adults_is_overstated() -> None:
    claim = _claim("Ryoncil treats steroid-refractory acute GVHD in adults.", "msc", "gvhd")
    assert claim.verdict == "overstated" and "Adults" in claim.reason


def test_omisirge_survival_claim_is_overstated_by_the_omisirge_record() -> None:
    claim = _claim("Omisirge improves survival in leukaemia.", "cord_blood", "blood_cancer")
    assert claim.verdict == "overstated" and "cord_blood-blood_cancer-omisirge" in claim.reason


def test_frailty_reason_cites_the_frailty_record() -> None:
    claim = _claim("Our clinic offers MSC therapy for frailty in older adults.", "msc", "aging")
    assert claim.verdict == "unproven" and "msc-aging-frailty" in claim.reason
    general = _claim("Our clinic offers MSC therapy for anti-aging.", "msc", "aging")
    assert "msc-aging-frailty" not in general.reason and "msc-aging" in general.reason


# --------------------------------------------------------------------------- MS populations

def test_hsct_for_spms_is_overstated() -> None:
    claim = _claim("Our clinic offers HSCT for SPMS patients.", "ahsct", "multiple_sclerosis")
    assert claim.verdict == "overstated" and "Secondary progressive" in claim.reason


def test_hsct_for_spms_with_ongoing_relapses_is_supported() -> None:
    claim = _claim("Our clinic offers HSCT for SPMS with ongoing relapses.", "ahsct", "multiple_sclerosis")
    assert claim.verdict == "supported", claim.reason


@pytest.mark.parametrize("subtype", ["PRMS", "CIS"])
def test_hsct_for_other_non_relapsing_forms_is_overstated(subtype: str) -> None:
    claim = _claim(f"Our clinic offers HSCT for MS, including {subtype}.", "ahsct", "multiple_sclerosis")
    assert claim.verdict == "overstated", claim.reason


def test_hsct_for_active_progressive_ms_follows_the_accepted_record() -> None:
    claim = _claim("Our clinic offers HSCT for progressive MS with active inflammation.", "ahsct",
                   "multiple_sclerosis")
    assert claim.verdict == "supported" and "ahsct-multiple_sclerosis" in claim.reason


def test_an_edss_ceiling_above_the_evidence_is_overstated_and_named_by_the_scale() -> None:
    claim = _claim("Our clinic offers HSCT for MS patients with EDSS up to 8.", "ahsct", "multiple_sclerosis")
    assert claim.verdict == "overstated" and "EDSS up to 8" in claim.reason


def test_age_words_alone_start_no_gvhd_claim() -> None:
    report = _checker(None).check_text("We treat adult patients with mesenchymal stem cells for liver disease.")
    assert {c.condition.id for c in report.claims} == {"liver_disease"}


# --------------------------------------------------------------------------- the functions claims.py calls

def test_scale_ceiling_reads_the_condition_s_scale_from_data() -> None:
    db = default_db()
    assert scale_ceiling(db, "multiple_sclerosis", "patients with EDSS 0-6.5") == 6.5
    assert scale_ceiling(db, "multiple_sclerosis", "EDSS of up to 8 accepted") == 8
    assert scale_ceiling(db, "multiple_sclerosis", "EDSS 45 points") is None  # outside the scale's range
    assert scale_ceiling(db, "parkinsons", "EDSS up to 8") is None  # no scale declared


def test_outcome_ranking_covers_every_outcome_class() -> None:
    assert set(OUTCOME_CLASS_ORDER) == set(OutcomeClass.__args__)  # type: ignore[attr-defined]
    db = default_db()
    ranks = {o: outcome_rank(db, o) for o in db.outcomes}
    assert ranks["cure"] < ranks["halt_progression"] < ranks["blood_immune_reconstitution"] < len(OUTCOME_CLASS_ORDER)


def test_judge_without_the_gates_met_ignores_gated_records() -> None:
    db = default_db()
    bare = judge(db, "stem_cell_unspecified", "blood_cancer")
    assert bare.verdict == "unproven" and bare.reason == NO_RECORD_REASON
    named = applicable_records(db, "stem_cell_unspecified", "blood_cancer", "a stem cell transplant for AML")
    assert named == {"stem_cell_unspecified-blood_cancer-transplant"}
    assert judge(db, "stem_cell_unspecified", "blood_cancer", named=named).verdict == "supported"


# --------------------------------------------------------------------------- pairs clinics sell

@pytest.mark.parametrize(
    ("sentence", "therapy", "condition"),
    [
        ("We offer cord blood stem cell therapy for cerebral palsy.", "cord_blood", "cerebral_palsy"),
        ("We offer stromal vascular fraction for Alzheimer's disease.", "svf", "alzheimers"),
        ("We offer stromal vascular fraction for COPD.", "svf", "copd"),
        ("We offer stromal vascular fraction for macular degeneration.", "svf", "macular_degeneration"),
        ("We offer stromal vascular fraction for hair loss.", "svf", "hair_loss"),
        ("We offer amniotic stem cells for stroke recovery.", "perinatal_tissue", "stroke"),
        ("We offer amniotic stem cells for heart failure.", "perinatal_tissue", "heart_failure"),
        ("We offer amniotic stem cells for chronic kidney disease.", "perinatal_tissue", "kidney_disease"),
        ("We offer exosome therapy for knee osteoarthritis.", "exosome", "osteoarthritis"),
        ("We offer exosome therapy for back pain.", "exosome", "musculoskeletal_injury"),
        ("We offer exosome therapy for autism.", "exosome", "autism"),
        ("We offer exosome therapy for Parkinson's disease.", "exosome", "parkinsons"),
    ],
)
def test_commonly_sold_pairs_stay_unproven_with_a_cited_record(sentence: str, therapy: str, condition: str) -> None:
    claim = _claim(sentence, therapy, condition)
    assert claim.verdict == "unproven" and claim.basis == "record"
    assert f"{therapy}-{condition}" in claim.reason


def test_a_page_names_a_product_where_the_plain_search_finds_it() -> None:
    import random

    from factcheck.match import _page_says, _says

    rng = random.Random(7)
    phrases = ("Remestemcel-L", "Ryoncil", "HB adMSCs", "ab", "aba")
    pieces = ["remestemcel l", "remestemcel  l", "ryoncil", "xryoncil", "ryoncils", "hb admscs", "hb\nadmsc",
              "ab", "aba", "abab", "x", "1", " ", "-", "é"]
    # phrases that overlap: a place where one fails its boundary test may hide another that passes
    overlapping = ("stem cell", "cell therapy")
    more = ["xstem cell therapy", "stem", "cell", "therapy", "xstem"]
    hits = 0
    for _ in range(3000):
        page = "".join(rng.choice(pieces + more) for _ in range(rng.randrange(0, 12)))
        for listed in (phrases, overlapping):
            expected = _says(listed, page)
            hits += expected
            assert _page_says(listed, page) == expected, page
    assert 0 < hits < 6000
    assert _page_says(overlapping, "xstem cell therapy") and not _page_says(overlapping, "xstem cell")
