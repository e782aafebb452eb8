"""Claim linking, context and verdicts on short pages written for the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.checker import Checker
from factcheck.models import PageReport

SHARED = Path(__file__).resolve().parents[2] / "shared"


def pairs(report: PageReport) -> dict[tuple[str, str], str]:
    rank = {"supported": 0, "overstated": 1, "unproven": 2}
    out: dict[tuple[str, str], str] = {}
    for c in report.claims:
        key = (c.therapy.id, c.condition.id)
        if key not in out or rank[c.verdict] > rank[out[key]]:
            out[key] = c.verdict
    return out


CLINIC_FOOTER = "\nBook your free consultation today. Contact us on WhatsApp. Packages from $9,500."


def test_msc_offered_for_ms_is_unproven_with_cited_record(checker: Checker) -> None:
    report = checker.check_text(
        "Umbilical Cord MSC Therapy for Multiple Sclerosis\n"
        "Our clinic treats multiple sclerosis with Wharton's jelly mesenchymal stem cells." + CLINIC_FOOTER)
    claim = next(c for c in report.claims if c.therapy.id == "msc")
    assert claim.condition.id == "multiple_sclerosis"
    assert claim.verdict == "unproven" and claim.flagged and claim.basis == "record"
    assert claim.evidence and all(ref.sources for ref in claim.evidence)
    assert report.claims[0].sentence in checker_text(report, claim)


def checker_text(report: PageReport, claim) -> str:  # type: ignore[no-untyped-def]
    return claim.sentence


def test_claim_offsets_point_at_the_sentence(checker: Checker) -> None:
    text = "Stem Cells for MS\nWe offer exosome therapy for multiple sclerosis patients." + CLINIC_FOOTER
    report = checker.check_text(text)
    assert report.claims
    for claim in report.claims:
        assert text[claim.start:claim.end] == claim.sentence
        if claim.therapy.method != "topic":
            assert text[claim.therapy.start:claim.therapy.end] == claim.therapy.text


def test_ahsct_for_highly_active_relapsing_ms_reducing_relapses_is_supported(checker: Checker) -> None:
    report = checker.check_text(
        "HSCT for Multiple Sclerosis\n"
        "We offer autologous haematopoietic stem cell transplantation (aHSCT) for highly active "
        "relapsing-remitting MS that has not responded to high-efficacy DMTs. aHSCT reduces relapses "
        "and new MRI lesions in this group." + CLINIC_FOOTER)
    assert pairs(report) == {("ahsct", "multiple_sclerosis"): "supported"}


def test_ahsct_promising_nerve_repair_is_overstated(checker: Checker) -> None:
    report = checker.check_text(
        "HSCT for MS\nOur HSCT programme for multiple sclerosis repairs damaged nerves and restores myelin."
        + CLINIC_FOOTER)
    assert pairs(report)[("ahsct", "multiple_sclerosis")] == "overstated"
    claim = next(c for c in report.claims if c.verdict == "overstated")
    assert claim.outcome is not None and "does not support" in claim.reason


def test_ahsct_for_all_types_or_ppms_is_overstated(checker: Checker) -> None:
    for sentence in ("We accept patients with all types of MS for HSCT.", "We offer HSCT for PPMS."):
        report = checker.check_text("HSCT for Multiple Sclerosis\n" + sentence + CLINIC_FOOTER)
        assert pairs(report).get(("ahsct", "multiple_sclerosis")) == "overstated", sentence


@pytest.mark.parametrize("sentence", [
    "HSCT halts the progression of MS and regresses the disease.",
    "HSCT is the best option for halting the progression of the condition and regressing it.",
])
def test_ahsct_promising_disease_regression_is_overstated(checker: Checker, sentence: str) -> None:
    report = checker.check_text("HSCT for Multiple Sclerosis\n" + sentence + CLINIC_FOOTER)
    assert pairs(report).get(("ahsct", "multiple_sclerosis")) == "overstated"


def test_ahsct_that_makes_the_disease_recede_in_spanish_is_overstated(checker: Checker) -> None:
    report = checker.check_text("TPH para la esclerosis múltiple\nEl TPH detiene la esclerosis múltiple y hace "
                                "retroceder la enfermedad.\nReserve su cita hoy.")
    assert pairs(report).get(("ahsct", "multiple_sclerosis")) == "overstated"


def test_good_news_for_anyone_with_ms_considering_hsct_is_no_blanket_eligibility(checker: Checker) -> None:
    # "anyone with MS" says who the news is for, not that every type of MS is accepted
    report = checker.check_text("HSCT in Russia\nThere's good news for anyone with multiple sclerosis who is "
                                "considering undergoing HSCT: the programme has published a guide.")
    assert pairs(report).get(("ahsct", "multiple_sclerosis")) != "overstated"


@pytest.mark.parametrize("page", [
    "HSCT for Multiple Sclerosis\nWho can be taken up for HSCT?\nPatients with MS having a relapsing-remitting course, "
    "secondary progressive (SPMS) or primary progressive (PPMS) disease and an EDSS below 6." + CLINIC_FOOTER,
    "TPH para la esclerosis múltiple\n¿Quiénes pueden ser tratados con TPH?\nPacientes con esclerosis múltiple "
    "remitente-recurrente, secundaria progresiva o primaria progresiva, con un EDSS menor de 6.\nReserve su cita hoy.",
])
def test_the_answer_under_an_eligibility_question_is_the_population_offered(checker: Checker, page: str) -> None:
    assert pairs(checker.check_text(page)).get(("ahsct", "multiple_sclerosis")) == "overstated"


def test_a_negated_answer_under_an_eligibility_question_offers_nothing(checker: Checker) -> None:
    page = ("HSCT for Multiple Sclerosis\nWho can be treated with HSCT?\nWe do not treat primary progressive MS "
            "(PPMS) or secondary progressive MS without relapses.\nWe offer HSCT for relapsing MS." + CLINIC_FOOTER)
    assert pairs(checker.check_text(page)) == {("ahsct", "multiple_sclerosis"): "supported"}


def test_ppms_restricted_to_active_disease_is_not_overstated(checker: Checker) -> None:
    report = checker.check_text(
        "HSCT for Multiple Sclerosis\nWe offer HSCT for relapsing MS, and for PPMS only with active "
        "inflammatory disease on MRI." + CLINIC_FOOTER)
    assert pairs(report) == {("ahsct", "multiple_sclerosis"): "supported"}


def test_hidden_ahsct_is_resolved_from_procedure_cues(checker: Checker) -> None:
    report = checker.check_text(
        "Stem Cell Therapy for MS\nOur stem cell therapy for multiple sclerosis halts the disease. "
        "Chemotherapy removes the faulty immune system and your own stem cells are re-infused." + CLINIC_FOOTER)
    claim = next(c for c in report.claims if c.condition.id == "multiple_sclerosis")
    assert claim.therapy.id == "ahsct" and claim.therapy.method == "procedure_cue"
    assert "procedure cue" in claim.therapy.alias


def test_same_day_fat_cells_are_svf_whatever_the_page_calls_them(checker: Checker) -> None:
    # labels.md: fat harvested and returned the same day is svf, even when called MSCs; cells whose
    # name says where they come from (cord MSCs) are not re-read by that procedure
    same_day = ("Mesenchymal Stem Cells for Knees\nWe treat knee osteoarthritis with mesenchymal stem cells. "
                "Fat is taken by mini-liposuction and the cells are injected back the same day.")
    report = checker.check_text(same_day + CLINIC_FOOTER)
    assert pairs(report) == {("svf", "osteoarthritis"): "unproven"}
    claim = report.claims[0]
    assert claim.therapy.method == "procedure_cue" and "same_day_fat" in claim.therapy.alias
    cord = same_day + "\nWe also treat rheumatoid arthritis with umbilical cord MSCs."
    assert pairs(checker.check_text(cord + CLINIC_FOOTER)) == {
        ("svf", "osteoarthritis"): "unproven", ("msc", "rheumatoid_arthritis"): "unproven"}
    cultured = same_day.replace("injected back the same day", "grown in the lab for three weeks, then re-injected")
    assert pairs(checker.check_text(cultured + CLINIC_FOOTER)) == {("msc", "osteoarthritis"): "unproven"}


def test_a_cord_blood_bank_s_umbilical_cord_stem_cells_are_cord_blood(checker: Checker) -> None:
    # labels.md: bare "umbilical cord stem cells" on a page that banks cord blood are cord blood, so the
    # accepted use (blood cancers) is not flagged as an unproven MSC claim; named MSCs stay msc
    bank = ("Store your baby's cord blood with us.\nUmbilical cord stem cells are used to treat leukaemia and "
            "lymphoma. Our cord blood bank also stores Wharton's jelly MSCs, which are studied for autism.")
    got = pairs(checker.check_text(bank + CLINIC_FOOTER))
    assert got.get(("cord_blood", "blood_cancer")) == "supported"
    assert ("msc", "blood_cancer") not in got
    clinic = bank.replace("Store your baby's cord blood with us.", "Cord Cell Clinic").replace(
        " Our cord blood bank also stores", " We also use")
    assert pairs(checker.check_text(clinic + CLINIC_FOOTER)).get(("msc", "blood_cancer")) == "unproven"


def test_a_negated_culture_step_does_not_make_fat_cells_msc(checker: Checker) -> None:
    page = ("Cardiac Cell Therapy\nWe treat heart failure with regenerative cells from your own fat. A small amount "
            "of fat is taken by mini-liposuction and the cells go back in the same afternoon. Nothing is grown or "
            "expanded in a laboratory.")
    assert pairs(checker.check_text(page + CLINIC_FOOTER)) == {("svf", "heart_failure"): "unproven"}
    cultured = page.replace("in the same afternoon. Nothing is grown or expanded", "three weeks later. They are grown")
    assert pairs(checker.check_text(cultured + CLINIC_FOOTER)) == {("msc", "heart_failure"): "unproven"}


def test_a_condition_named_as_the_cause_of_another_is_not_treated(checker: Checker) -> None:
    page = ("Stem Cell Therapy for ED\nWho can benefit?\n- Men with erectile dysfunction linked to diabetes\n"
            "- Men with ED caused by prostate surgery" + CLINIC_FOOTER)
    assert pairs(checker.check_text(page)) == {("stem_cell_unspecified", "erectile_dysfunction"): "unproven"}
    # without the cause words both conditions are offered
    listed = page.replace("erectile dysfunction linked to diabetes", "erectile dysfunction or diabetes")
    assert ("stem_cell_unspecified", "diabetes") in pairs(checker.check_text(listed))


def test_a_condition_named_as_a_side_effect_is_not_treated(checker: Checker) -> None:
    page = ("HSCT for Multiple Sclerosis\nWe offer HSCT for highly active relapsing MS to stop relapses. As late side "
            "effects there were tiredness (2-3 months after HSCT) and hair loss (4-5 months after HSCT).")
    assert pairs(checker.check_text(page + CLINIC_FOOTER)) == {("ahsct", "multiple_sclerosis"): "supported"}


def test_a_listed_condition_keeps_its_own_qualifier(checker: Checker) -> None:
    page = ("HSCT in Moscow\nHSCT helps these diseases:\n- Multiple sclerosis of all variants\n"
            "- Crohn's disease" + CLINIC_FOOTER)
    got = pairs(checker.check_text(page))
    assert got[("ahsct", "multiple_sclerosis")] == "overstated" and got[("ahsct", "crohns")] == "unproven"


def test_joint_pain_on_an_arthritis_page_is_the_arthritis(checker: Checker) -> None:
    pain = "Stem Cells for Knee Pain\nOur stem cell injections relieve knee pain without surgery."
    assert pairs(checker.check_text(pain + CLINIC_FOOTER)) == {("stem_cell_unspecified", "musculoskeletal_injury"):
                                                               "unproven"}
    arthritis = pain + "\nWe treat knee osteoarthritis in one visit."
    report = checker.check_text(arthritis + CLINIC_FOOTER)
    assert pairs(report) == {("stem_cell_unspecified", "osteoarthritis"): "unproven"}
    assert any("a symptom of it" in c.condition.alias for c in report.claims)


def test_a_product_named_with_its_source_is_one_product(checker: Checker) -> None:
    named = ("Autism Program\nWe treat autism with MSCs taken from umbilical cord and placental tissue, which "
             "improve speech and eye contact.")
    assert pairs(checker.check_text(named + CLINIC_FOOTER)) == {("msc", "autism"): "unproven"}
    generic = ("Knee Program\nWe treat knee osteoarthritis with stem cells derived from amniotic fluid, which "
               "regrow cartilage.")
    assert pairs(checker.check_text(generic + CLINIC_FOOTER)) == {("perinatal_tissue", "osteoarthritis"): "unproven"}
    exosomes = "Hair Clinic\nOur exosomes derived from mesenchymal stem cells regrow hair in alopecia."
    assert pairs(checker.check_text(exosomes + CLINIC_FOOTER)) == {("exosome", "hair_loss"): "unproven"}


def test_generic_stem_cells_never_stand_for_exosomes(checker: Checker) -> None:
    page = ("Parkinson's Program\nWe treat Parkinson's disease with stem cell therapy and exosomes to slow the "
            "decline.")
    assert pairs(checker.check_text(page + CLINIC_FOOTER)) == {
        ("stem_cell_unspecified", "parkinsons"): "unproven", ("exosome", "parkinsons"): "unproven"}


def test_unnamed_stem_cells_from_cords_and_placentas_are_perinatal_tissue(checker: Checker) -> None:
    page = ("Regenerative Medicine\nOur stem cells come from donated umbilical cords and placentas. "
            "Our stem cell treatment regenerates knee joints worn by osteoarthritis." + CLINIC_FOOTER)
    assert pairs(checker.check_text(page)) == {("perinatal_tissue", "osteoarthritis"): "unproven"}


def test_stem_cells_from_the_patients_fat_are_svf_unless_cultured(checker: Checker) -> None:
    fat = ("COPD Treatment\nStem cells are taken from the patient's own fat and returned by IV. Our stem cell "
           "therapy helps COPD patients breathe easier.")
    assert pairs(checker.check_text(fat + CLINIC_FOOTER)) == {("svf", "copd"): "unproven"}
    cultured = fat.replace("returned by IV", "grown in the lab for three weeks, then returned by IV")
    assert pairs(checker.check_text(cultured + CLINIC_FOOTER)) == {("msc", "copd"): "unproven"}


def test_unspecified_stem_cells_without_chemotherapy_stay_unspecified(checker: Checker) -> None:
    report = checker.check_text(
        "Stem Cell Therapy for MS\nOur stem cell therapy resets the immune system and regenerates myelin in "
        "multiple sclerosis." + CLINIC_FOOTER)
    assert pairs(report) == {("stem_cell_unspecified", "multiple_sclerosis"): "unproven"}


def test_negated_cure_is_not_a_cure_promise(checker: Checker) -> None:
    report = checker.check_text(
        "HSCT for MS\nHSCT is not a cure for multiple sclerosis, but we offer it for highly active relapsing MS "
        "to reduce relapses." + CLINIC_FOOTER)
    assert pairs(report) == {("ahsct", "multiple_sclerosis"): "supported"}


def test_a_denied_cure_for_the_disease_does_not_negate_the_offer(checker: Checker) -> None:
    page = "COPD Care\nAlthough there is no cure for COPD, our stem cell therapy promotes healing of the lungs."
    assert pairs(checker.check_text(page + CLINIC_FOOTER)) == {("stem_cell_unspecified", "copd"): "unproven"}
    denial = "COPD Care\nStem cell therapy does not cure COPD."
    assert pairs(checker.check_text(denial + CLINIC_FOOTER)) == {}


def test_statement_about_other_drugs_is_not_a_stem_cell_claim(checker: Checker) -> None:
    report = checker.check_text(
        "Mesenchymal Stem Cells for MS\nDisease-modifying drugs cannot repair the damage multiple sclerosis "
        "causes." + CLINIC_FOOTER)
    assert all(c.therapy.method != "topic" or "drugs" not in c.sentence for c in report.claims)


def test_topic_therapy_and_condition_carry_to_outcome_sentences(checker: Checker) -> None:
    report = checker.check_text(
        "Mesenchymal Stem Cell Treatment for Multiple Sclerosis\nOur patients walk again after treatment."
        + CLINIC_FOOTER)
    claim = next(c for c in report.claims if "walk again" in c.sentence)
    assert (claim.therapy.id, claim.condition.id) == ("msc", "multiple_sclerosis")
    assert claim.therapy.method == "topic" and claim.verdict == "unproven"


def test_warning_page_raises_no_flag(checker: Checker) -> None:
    report = checker.check_text(
        "Unproven stem cell treatments for MS\nSome clinics sell mesenchymal stem cells and exosomes for "
        "multiple sclerosis. These treatments are unproven and experimental: the largest trial, MESEMS, "
        "was negative. Be wary of clinics that charge thousands. Talk to your neurologist about clinical "
        "trials. aHSCT is the only stem cell therapy accepted for MS, and only for highly active relapsing MS.")
    assert not [c for c in report.claims if c.flagged]


def test_msif_seed_page_raises_no_flag(checker: Checker) -> None:
    seed = next((SHARED / "seeds").glob("000_*.txt"), None)
    if seed is None:
        pytest.skip("needs ../shared/seeds/000_*.txt (the shared material beside the repository)")
    report = checker.check_text(seed.read_text(encoding="utf-8"), source=seed.name)
    assert report.status == "ok"
    assert not [c for c in report.claims if c.flagged]


def test_pair_without_record_is_unproven_by_default(checker: Checker, db) -> None:  # type: ignore[no-untyped-def]
    missing = [c for c in db.conditions if not db.records_for("svf", c)]
    assert missing, "every svf pair has a record; pick another therapy for this test"
    condition = db.conditions[missing[0]]
    report = checker.check_text(f"SVF for {condition.name}\nWe offer stromal vascular fraction for "
                                f"{condition.aliases[0]}." + CLINIC_FOOTER)
    claim = next(c for c in report.claims if c.condition.id == condition.id)
    assert claim.verdict == "unproven" and claim.basis == "default" and "no evidence record" in claim.reason
    assert claim.evidence == []


def test_animal_study_sentence_is_not_a_claim(checker: Checker) -> None:
    report = checker.check_text(
        "Animal studies have shown that mesenchymal stem cells remyelinate nerves in "
        "mouse models of multiple sclerosis." + CLINIC_FOOTER)
    assert not report.claims
    assert any("animal" in d["reason"] for d in report.dismissed)


def test_eligibility_list_naming_ppms_makes_ahsct_overstated(checker: Checker) -> None:
    report = checker.check_text("HSCT for Multiple Sclerosis\nWe offer HSCT in our clinic.\nWho can be treated?\n"
                                "RRMS\nSPMS\nPPMS\nContact us for a quote.")
    listed = [c for c in report.claims if c.reason.startswith("eligibility list")]
    assert listed and listed[0].verdict == "overstated"
    assert {"ppms", "spms"} <= {s.id for s in listed[0].subtypes}


def test_eligibility_list_that_requires_active_disease_is_supported(checker: Checker) -> None:
    report = checker.check_text("HSCT for Multiple Sclerosis\nWe offer HSCT in our clinic.\nWho can be treated?\n"
                                "RRMS\nPPMS with active inflammation on MRI\nContact us for a quote.")
    assert pairs(report) == {("ahsct", "multiple_sclerosis"): "supported"}


def test_eligibility_beyond_the_evidenced_disability_is_overstated(checker: Checker) -> None:
    report = checker.check_text("HSCT for MS\nWe offer HSCT in our clinic.\nWho can be treated?\nRRMS\nEDSS up to 8\n"
                                "Contact us for a quote.")
    listed = next(c for c in report.claims if c.reason.startswith("eligibility list"))
    assert listed.verdict == "overstated" and "EDSS up to 8" in listed.reason


def test_claims_built_without_validation_are_valid_models(checker: Checker) -> None:
    from factcheck.models import Claim

    report = checker.check_text("HSCT for MS\nWe offer HSCT for PPMS. It regenerates nerves." + CLINIC_FOOTER)
    assert report.claims
    for claim in report.claims:
        # re-validating the dump must give the same claim: the trusted construction skipped nothing
        assert Claim.model_validate(claim.model_dump()) == claim
        assert Claim.model_validate_json(claim.model_dump_json()).model_dump() == claim.model_dump()


def test_conditions_listed_under_we_treat_are_each_offered(checker: Checker) -> None:
    report = checker.check_text("Stem Cell Therapy | Nova Clinic\nWe use umbilical cord mesenchymal stem cells.\n"
                                "Conditions we treat:\nMultiple sclerosis\nParkinson's disease\nAutism\n"
                                "Book a consultation.")
    assert pairs(report) == {("msc", "multiple_sclerosis"): "unproven", ("msc", "parkinsons"): "unproven",
                             ("msc", "autism"): "unproven"}


def test_cells_named_as_the_source_of_an_exosome_product_are_no_second_product(checker: Checker) -> None:
    page = ("Exosome Hair Restoration\nWe treat hair loss with exosomes. The benefit of these exosomes for hair loss "
            "is that they are stem cell-derived. Our MSC-derived exosomes regrow hair in hair loss.")
    got = pairs(checker.check_text(page + CLINIC_FOOTER))
    assert got == {("exosome", "hair_loss"): "unproven"}
    # written right before the exosomes, the cells are their source too
    for written in ("Our mesenchymal stem cell exosomes", "Our umbilical cord MSC secretome"):
        assert pairs(checker.check_text(page.replace("Our MSC-derived exosomes", written) + CLINIC_FOOTER)) \
            == {("exosome", "hair_loss"): "unproven"}, written
    # named for themselves, the cells are a product of the page
    cells = page.replace("Our MSC-derived exosomes regrow", "Our MSCs also regrow")
    assert ("msc", "hair_loss") in pairs(checker.check_text(cells + CLINIC_FOOTER))
