"""Relation rules of the claim stages, each on short pages written for a class of phrasing."""

from __future__ import annotations

import pytest

from factcheck import Checker
from factcheck.models import PageReport

OFFER = "\nBook your free consultation today. Contact us on WhatsApp. Packages from $9,500."
WARNING = ("\nThese treatments are unproven and not approved. Be wary of clinics that sell them; "
           "talk to your neurologist about clinical trials.")


def pairs(report: PageReport, flagged: bool = True) -> set[tuple[str, str]]:
    return {(c.therapy.id, c.condition.id) for c in report.claims if c.flagged or not flagged}


@pytest.mark.parametrize("lead_in", [
    "Other neurologic conditions we treat: Multiple Sclerosis | Parkinson's Disease | ALS",
    "Am I a candidate? Patients with: multiple sclerosis, Parkinson's disease, ALS",
])
def test_conditions_listed_inline_after_a_lead_in_are_each_claimed(checker: Checker, lead_in: str) -> None:
    report = checker.check_text("Stem Cell Therapy in the Bahamas\nOur clinic returns your own fat-derived "
                                "stem cells the same day.\n" + lead_in + OFFER)
    assert {("svf", "multiple_sclerosis"), ("svf", "parkinsons"), ("svf", "als")} <= pairs(report)


def test_bullets_under_a_treatment_heading_are_each_claimed(checker: Checker) -> None:
    report = checker.check_html(
        "<html><body><h1>Secretome therapy</h1><h2>We treat the following conditions with secretome</h2>"
        "<ul><li>Rheumatoid arthritis</li><li>Spinal cord injuries</li><li>Anti-aging</li></ul>"
        f"<p>{OFFER}</p></body></html>")
    assert {("exosome", "rheumatoid_arthritis"), ("exosome", "spinal_cord_injury"), ("exosome", "aging")} \
        <= pairs(report)


@pytest.mark.parametrize(("page", "expected"), [
    ("What does HSCT treat?\n\nMultiple sclerosis, rheumatoid arthritis, systemic lupus, Type 1 diabetes, "
     "myasthenia gravis, and more.\n\nWhat are the results?\n", {("ahsct", "lupus"), ("ahsct", "diabetes"),
                                                                  ("ahsct", "rheumatoid_arthritis")}),
    ("What can stem cell therapy help with?\n- Autism\n- Cerebral palsy\n- Parkinson's disease\n",
     {("stem_cell_unspecified", "autism"), ("stem_cell_unspecified", "cerebral_palsy"),
      ("stem_cell_unspecified", "parkinsons")}),
    ("¿Qué trata el trasplante de células madre?\n- Esclerosis lateral amiotrófica\n- Autismo\n- Parkinson\n",
     {("stem_cell_unspecified", "als"), ("stem_cell_unspecified", "autism"), ("stem_cell_unspecified", "parkinsons")}),
], ids=["comma-list", "bullets", "es"])
def test_a_question_heading_answered_by_a_list_offers_each_item(checker: Checker, page: str,
                                                               expected: set[tuple[str, str]]) -> None:
    offer = "\nReserve su consulta gratuita hoy. Paquetes desde 9.500 USD." if page.startswith("¿") else OFFER
    assert expected <= pairs(checker.check_text(page + offer))


def test_a_lead_in_naming_only_generic_cells_offers_the_page_s_product(checker: Checker) -> None:
    report = checker.check_text("Conditions we treat with stem cells:\n\n- Multiple sclerosis\n- Parkinson disease\n"
                                "- Autism\n" + OFFER)
    assert {("stem_cell_unspecified", "multiple_sclerosis"), ("stem_cell_unspecified", "parkinsons"),
            ("stem_cell_unspecified", "autism")} <= pairs(report)


@pytest.mark.parametrize(("line", "is_list"), [
    ("Multiple sclerosis, rheumatoid arthritis, systemic lupus, Type 1 diabetes, myasthenia gravis, and more.", True),
    ("Esclerosis múltiple; artritis reumatoide; lupus eritematoso sistémico; diabetes tipo 1.", True),
    ("Our neurologist sees patients with multiple sclerosis every week, although many of them also have lupus, "
     "which we refer elsewhere, and some have diabetes, which their family doctor manages.", False),
])
def test_a_run_of_short_comma_separated_items_is_a_list_line(line: str, is_list: bool) -> None:
    from factcheck.parse.units import Unit, list_like

    assert list_like(Unit(start=0, end=len(line), kind="sentence"), line) is is_list


def test_symptoms_listed_under_a_condition_lead_in_are_not_new_conditions(checker: Checker) -> None:
    report = checker.check_html(
        "<html><body><h1>Mesenchymal stem cells for MS</h1>"
        "<h2>Our mesenchymal stem cell treatment could help improve these MS symptoms:</h2>"
        "<ul><li>Blindness</li><li>Sexual dysfunction</li><li>Fatigue</li></ul>"
        f"<p>{OFFER}</p></body></html>")
    assert pairs(report) == {("msc", "multiple_sclerosis")}


def test_a_negation_between_therapy_and_condition_breaks_the_link(checker: Checker) -> None:
    report = checker.check_text("Men's health\nStem cell therapy is not listed as a treatment in any medical "
                                "guideline for erectile dysfunction." + OFFER)
    assert ("stem_cell_unspecified", "erectile_dysfunction") not in pairs(report)
    assert any("negated" in d["reason"] for d in report.dismissed)


def test_a_short_scope_negation_does_not_break_the_link(checker: Checker) -> None:
    report = checker.check_text("Knee care\nOur stem cell injections, without surgery, treat knee osteoarthritis."
                                + OFFER)
    assert ("stem_cell_unspecified", "osteoarthritis") in pairs(report)


def test_an_information_page_keeps_its_own_unhedged_assertion(checker: Checker) -> None:
    page = ("Amniotic injections: what the evidence says" + WARNING +
            "\nGood evidence shows amniotic membrane injections heal plantar fasciitis.")
    assert report_stance(checker, page) == "inform"
    assert ("perinatal_tissue", "musculoskeletal_injury") in pairs(checker.check_text(page))


def test_an_information_page_reporting_or_hedging_raises_no_flag(checker: Checker) -> None:
    page = ("Amniotic injections: what the evidence says" + WARNING +
            "\nStudies suggest amniotic membrane injections may help plantar fasciitis.")
    assert pairs(checker.check_text(page)) == set()


@pytest.mark.parametrize(("page", "pair"), [
    ("Amniotic injections: what the evidence says" + WARNING + "\nLast year a 58-year-old runner received amniotic "
     "membrane injections and her plantar fasciitis healed completely.",
     ("perinatal_tissue", "musculoskeletal_injury")),
    ("Células madre: lo que dice la evidencia\nEstos tratamientos no están aprobados y no hay pruebas de que "
     "funcionen; desconfíe de las clínicas que los venden.\nUna mujer de 80 años recibió células madre y su "
     "degeneración macular mejoró.", ("stem_cell_unspecified", "macular_degeneration")),
], ids=["en", "es"])
def test_an_information_page_retelling_what_happened_asserts_nothing(checker: Checker, page: str,
                                                                    pair: tuple[str, str]) -> None:
    report = checker.check_text(page)
    assert report.stance == "inform"
    assert pair not in pairs(report)
    assert any("narrates what happened" in d["reason"] for d in report.dismissed)


def report_stance(checker: Checker, page: str) -> str:
    return checker.check_text(page).stance


def test_a_question_promises_no_outcome(checker: Checker) -> None:
    report = checker.check_text("HSCT for relapsing MS\nWe offer HSCT for highly active relapsing MS to stop "
                                "relapses.\nIs HSCT a cure for MS?" + OFFER)
    verdicts = {c.verdict for c in report.claims if c.condition.id == "multiple_sclerosis"}
    assert verdicts == {"supported"}
    # the question itself is no claim at all (labels: questioned statements make no claim)
    assert not any(c.sentence.endswith("?") for c in report.claims)
    assert any(d["reason"].startswith("a question") for d in report.dismissed)


def test_a_hedged_population_statement_does_not_overstate(checker: Checker) -> None:
    report = checker.check_text("aHSCT for MS at our hospital\nWe offer aHSCT for highly active relapsing MS.\n"
                                "In progressive forms of MS, aHSCT may also be considered." + OFFER)
    assert {c.verdict for c in report.claims} == {"supported"}
    assert any(d["reason"].startswith("hedged") for d in report.dismissed)


def test_research_on_a_product_the_page_does_not_sell_is_no_claim(checker: Checker) -> None:
    report = checker.check_text(
        "Fetal stem cells (FSC) for men\nIn one study, men with diabetes received umbilical cord blood stem "
        "cells; the authors reported that erectile function came back.\n"
        "Our fetal stem cells restore erections in men with erectile dysfunction." + OFFER)
    assert ("cord_blood", "diabetes") not in pairs(report)
    assert any("does not offer" in d["reason"] for d in report.dismissed)


def test_enforcement_news_about_a_clinic_raises_no_flag(checker: Checker) -> None:
    page = ("Regulator settles charges against stem cell clinic\n"
            "The agency alleges that the defendants told consumers amniotic stem cell therapy could treat "
            "Parkinson's disease, autism and multiple sclerosis. According to the complaint, patients paid "
            "$9,500 to $15,000. The settlement bars such deceptive claims; the court entered the order.")
    assert pairs(checker.check_text(page)) == set()


def test_cells_of_the_body_switched_on_by_a_therapy_are_not_the_therapy(checker: Checker) -> None:
    report = checker.check_text(
        "Alzheimer's disease\nOur fat-derived stem cells are returned the same day by infusion for Alzheimer's "
        "disease. They may also switch on the brain's own neural stem cells." + OFFER)
    assert {t for t, _ in pairs(report)} == {"svf"}


def test_calling_a_guideline_accepted_use_approved_overstates_it(checker: Checker) -> None:
    report = checker.check_text("HSCT for MS\nHSCT is an approved treatment for highly active relapsing multiple "
                                "sclerosis." + OFFER)
    claim = next(c for c in report.claims if "approved" in c.sentence)
    assert claim.verdict == "overstated" and "not licensed" in claim.reason


def test_an_approval_claim_for_an_unproven_use_is_named_false(checker: Checker) -> None:
    report = checker.check_text("Stem cells for autism\nOur FDA approved stem cell therapy treats autism." + OFFER)
    claim = next(c for c in report.claims if "FDA" in c.sentence)
    assert claim.verdict == "unproven" and "no regulator has done" in claim.reason


def test_a_licensed_product_may_be_called_approved(checker: Checker) -> None:
    report = checker.check_text("Cord blood\nOmisirge is an FDA-approved treatment for blood cancers in patients "
                                "aged 12 and older who need a cord blood transplant.")
    assert {c.verdict for c in report.claims} == {"supported"}


def test_conditions_named_as_exclusions_or_side_effects_are_not_offered(checker: Checker) -> None:
    report = checker.check_html(
        "<html><body><h1>Fat-derived stem cells for knee osteoarthritis</h1>"
        "<p>We inject your own fat-derived stem cells the same day to treat knee osteoarthritis.</p>"
        "<h2>Who can be treated?</h2><ul><li>Adults with knee osteoarthritis</li></ul>"
        "<h2>Exclusion criteria</h2><ul><li>Active infection or a positive test for hepatitis B</li>"
        "<li>Uncontrolled diabetes</li></ul>"
        f"<p>{OFFER}</p></body></html>")
    assert pairs(report) == {("svf", "osteoarthritis")}


def test_a_degree_called_ms_is_not_multiple_sclerosis(checker: Checker) -> None:
    report = checker.check_text("Graduate school\nThe MS in Stem Cell Biology trains students to work with "
                                "embryonic stem cells. Apply now and request information.")
    assert pairs(report) == set()


def test_a_blog_that_speaks_of_its_own_patients_and_paid_study_offers(checker: Checker) -> None:
    blog = ("Could stem cells help Crohn's disease?\nA peer-reviewed overview, et al., for our newsletter readers."
            "\nMesenchymal stem cells calm gut inflammation. Treatment is part of our clinical study.")
    assert report_stance(checker, blog) == "inform"
    own = blog + ("\nPatients join our patient-funded clinical study in Grand Cayman. Many of our Crohn's patients "
                  "report fewer flares after treatment. Apply now.")
    assert report_stance(checker, own) == "offer"
    assert ("msc", "crohns") in pairs(checker.check_text(own))


def test_a_news_report_on_stem_cell_tourism_with_prices_raises_no_flag(checker: Checker) -> None:
    news = ("The low-down on stem cell tourism\nStem cell tourism is a global problem, peddling false hope. "
            "The top conditions marketed by such clinics are MS, Parkinson's disease and stroke. The FDA sought "
            "injunctions against two clinics selling stem cell treatments. Treatments may cost up to $80,000, "
            "not including the costs of travel.")
    report = checker.check_text(news)
    assert report.stance == "inform"
    assert pairs(report) == set()


def test_a_spanish_guide_keeps_its_own_flat_benefit_claim(checker: Checker) -> None:
    guide = ("Terapia con células madre para el autismo\nLa terapia no está aprobada por la FDA y sigue siendo "
             "un tratamiento experimental; los ensayos clínicos continúan.\nLas células madre reducen la inflamación "
             "del cerebro, mejorando la comunicación en el autismo.")
    report = checker.check_text(guide)
    assert report.stance == "inform"
    assert ("stem_cell_unspecified", "autism") in pairs(report)


def test_a_topic_headline_on_a_page_that_neither_sells_nor_warns_is_no_claim(checker: Checker) -> None:
    blog = ("The Breakthrough in Stem Cell Therapy for Stroke\nA Stanford team followed 18 patients for a year.\n"
            "Here is how the procedure works.")
    assert checker.check_text(blog).stance == "assert"
    assert pairs(checker.check_text(blog)) == set()
    # a headline that says something of the therapy is the page's assertion
    asserting = blog.replace("The Breakthrough in Stem Cell Therapy for Stroke",
                             "Stem cell therapy helps stroke survivors walk again")
    assert ("stem_cell_unspecified", "stroke") in pairs(checker.check_text(asserting))
    # the same topic headline on an offer page links the therapy to the condition (labels rule 6)
    assert ("stem_cell_unspecified", "stroke") in pairs(checker.check_text(blog + OFFER))


@pytest.mark.parametrize("sentence", [
    "Los resultados de los experimentos prueban que las células madre reparan la retina en la degeneración macular.",
    "Un hallazgo con células madre ofrece una esperanza real para recuperar el cerebro tras un ictus.",
    "Los autores del trabajo concluyen que las células madre mejoran la diabetes tipo 1.",
    "The experiments prove that stem cells repair the retina in macular degeneration.",
    "A new finding shows stem cells restore the brain after a stroke.",
])
def test_experiments_findings_and_conclusions_are_reported_research(checker: Checker, sentence: str) -> None:
    assert pairs(checker.check_text(sentence)) == set()


@pytest.mark.parametrize("sentence", [
    "Fat cells are a source of stem cells that may eventually be used to treat spinal cord injury.",
    "Someday stem cells will treat spinal cord injury.",
    "A futuro, las células madre de la grasa servirán para tratar la lesión medular.",
])
def test_a_benefit_only_in_the_future_is_no_claim(checker: Checker, sentence: str) -> None:
    assert pairs(checker.check_text(sentence)) == set()


@pytest.mark.parametrize("sentence", [
    "Según reveló la doctora, la medicina regenerativa con células madre es eficaz en pacientes con lupus.",
    "La especialista aclara que las células madre curan la esclerosis múltiple en pocas semanas.",
    "El director detalló que las células madre mejoran el autismo en nueve de cada diez niños.",
])
def test_a_spanish_speech_verb_makes_the_sentence_someone_else_s_word(checker: Checker, sentence: str) -> None:
    assert pairs(checker.check_text("Noticias de salud\n" + sentence)) == set()


def test_retold_research_and_a_lab_looking_to_treat_are_no_claim(checker: Checker) -> None:
    news = ("Lab explores stem cells\nMSC therapy was studied in severe COVID-19 and showed some signals of benefit. "
            "A lab in Sugar Land is looking to treat long COVID with stem cells.")
    assert pairs(checker.check_text(news)) == set()


def test_a_patient_blog_about_a_trial_it_hopes_to_join_makes_no_claim(checker: Checker) -> None:
    # "candidate" is a clinic's call to action only when the page offers; a patient who may be a
    # candidate for someone's trial is not selling it
    blog = ("My ALS journey, week 12\nFirst of four visits to see if I'm as good a candidate in person as I am on "
            "paper for the NurOwn stem cell trial. (Reminder, NurOwn was shown to reverse symptoms of ALS in "
            "Phase 2 trials.) Then if I am a good candidate, it's more visits.")
    report = checker.check_text(blog)
    assert report.stance != "offer" and not pairs(report)
    clinic = blog.replace("My ALS journey, week 12", "NurOwn for ALS at our clinic") + OFFER
    assert ("msc", "als") in pairs(checker.check_text(clinic))


def test_burdens_and_animal_models_do_not_set_the_page_stance(checker: Checker) -> None:
    news = ("Liver transplants in short supply\nThe limited availability of donor organs and the high cost of "
            "transplants mean many patients die waiting. Stem cell therapy can regenerate the liver in cirrhosis.")
    assert checker.check_text(news).stance != "offer"
    clinic = ("Stem Cell Therapy for Liver Cirrhosis\nWe treat liver cirrhosis with stem cell injections that help "
              "regenerate the liver. In animals, MSCs rescued experimental liver failure.")
    report = checker.check_text(clinic)
    assert report.stance == "offer" and ("stem_cell_unspecified", "liver_disease") in pairs(report)


@pytest.mark.parametrize("prose", [
    "In this type 1 diabetes study the T cells are put in contact with cord blood stem cells for two hours.",
    "En este estudio de diabetes tipo 1 los linfocitos son puestos en contacto con células madre del cordón."])
def test_cells_in_contact_with_cells_are_no_call_to_contact_the_page(checker: Checker, prose: str) -> None:
    report = checker.check_text(prose)
    assert "contact" not in report.stance_reasons[0]


@pytest.mark.parametrize("call", ["Book Your Appointment", "Schedule a free consultation with our team",
                                  "Make an appointment"])
def test_a_call_to_book_makes_a_service_heading_an_offer(checker: Checker, call: str) -> None:
    page = ("Stem Cell Treatment for Systemic Lupus\nLupus is an autoimmune disease that affects the skin, joints "
            f"and kidneys.\n{call}\n")
    report = checker.check_text(page)
    assert report.stance == "offer"
    assert ("stem_cell_unspecified", "lupus") in pairs(report)


@pytest.mark.parametrize("news, clinic", [
    ("Clinics pitch pricey knee cures\nThese clinics charge $4,000 to $25,000 for a stem cell injection. Stem cell "
     "injections repair knee osteoarthritis, the ads say, but there is no scientific evidence for it.",
     "Stem cell injections for knee osteoarthritis\nStem cell injections repair knee osteoarthritis. "
     "A treatment costs $4,000. Book now."),
    ("Clínicas que cobran caro\nEstas clínicas cobran un precio de 25.000 dólares por una inyección. Las células "
     "madre reparan la artrosis de rodilla, dicen, aunque no existe evidencia de ello.",
     "Células madre para la artrosis de rodilla\nLas células madre reparan la artrosis de rodilla. El tratamiento "
     "tiene un precio de 25.000 dólares. Agende su cita."),
], ids=["en", "es"])
def test_prices_alone_do_not_make_a_page_an_offer(checker: Checker, news: str, clinic: str) -> None:
    """News and warnings quote what clinics charge; a price sells only beside another offer cue."""
    report = checker.check_text(news)
    assert report.stance != "offer" and "prices alone sell nothing" in report.stance_reasons[0]
    assert not pairs(report)
    sold = checker.check_text(clinic)
    assert sold.stance == "offer" and ("stem_cell_unspecified", "osteoarthritis") in pairs(sold)


def test_the_word_testimonials_alone_does_not_sell(checker: Checker) -> None:
    """A critic writes that a treatment "is sold through testimonials"; a clinic shows them beside its offer."""
    blog = ("Autism and stem cells\nParents go back year after year, and as usual the treatment is sold through "
            "testimonials. Stem cells repair the autistic brain, the parents are told.")
    assert checker.check_text(blog).stance != "offer"
    clinic = "Autism and stem cells\nStem cells help children with autism. Read the testimonials. Contact us."
    assert checker.check_text(clinic).stance == "offer"


def test_a_third_party_s_treated_patients_do_not_make_the_page_an_offer(checker: Checker) -> None:
    """Without "we", "has treated" (or "offering") tells of someone else (news: "the clinic has treated 3,000
    patients"); with "we" the page speaks of its own."""
    news = ("Costa Rica's stem cell trade\nThe clinic has treated 3,000 foreigners with stem cell injections for "
            "multiple sclerosis.")
    assert checker.check_text(news).stance != "offer"
    clinic = news.replace("The clinic has treated", "We have treated")
    assert checker.check_text(clinic).stance == "offer"


@pytest.mark.parametrize(("news", "own"), [
    ("Myasthenia gravis\nAll patients treated with autologous HSCT had a severe form of myasthenia gravis.",
     "We offer HSCT. All patients treated with autologous HSCT had a severe form of myasthenia gravis."),
    ("Artrosis\nOtros 36 pacientes tratados con células madre tenían artrosis, según el médico.",
     "Ofrecemos células madre. Otros 36 pacientes tratados con células madre tenían artrosis, según el médico."),
], ids=["en", "es"])
def test_someone_else_s_treated_patients_are_half_an_offer(checker: Checker, news: str, own: str) -> None:
    """"patients treated" tells of a study's or a news story's patients as often as of the page's own: alone it
    does not make the page an offer; beside the page's own offer it still counts."""
    assert checker.check_text(news).stance != "offer"
    assert checker.check_text(own).stance == "offer"


@pytest.mark.parametrize("page", [
    "Type 2 diabetes\nStem cell therapy is an emerging treatment for type 2 diabetes. Clinical trials are under way.",
    "Diabetes tipo 2\nLa terapia con células madre es un tratamiento emergente para la diabetes tipo 2. Hay ensayos "
    "clínicos en curso.",
], ids=["en", "es"])
def test_an_emerging_treatment_on_an_information_page_is_no_assertion(checker: Checker, page: str) -> None:
    """"Emerging" says the treatment is not established: on a page that informs it asserts nothing."""
    report = checker.check_text(page)
    assert report.stance == "inform" and not pairs(report)


def test_a_citation_counts_half_against_a_clinic_s_own_procedure(checker: Checker) -> None:
    page = ("Rotator cuff tears\nBone marrow concentrate is what's used every day in our Regenexx-SD procedure to "
            "heal rotator cuff tears. Smith et al. reported a randomized trial of tendon repair.")
    report = checker.check_text(page)
    assert report.stance == "offer"
    assert ("stem_cell_unspecified", "musculoskeletal_injury") in pairs(report)


def test_a_therapy_naming_another_therapy_s_patients_is_not_offered(checker: Checker) -> None:
    page = ("MSC therapy for GVHD\nMSCs are beneficial in treating steroid-resistant GVHD in hematopoietic stem cell "
            "transplanted patients." + OFFER)
    got = pairs(checker.check_text(page))
    assert ("msc", "gvhd") in got and not any(t == "ahsct" for t, _ in got)
    # alone, the transplant is what the sentence speaks of
    alone = "aHSCT for MS\nStem cell transplant recipients with MS often stop relapsing." + OFFER
    assert ("ahsct", "multiple_sclerosis") in pairs(checker.check_text(alone), flagged=False)


@pytest.mark.parametrize(("page", "offered", "comparator"), [
    ("Exosome therapy for knee osteoarthritis\nOne key benefit of exosome therapy is that it might be less risky "
     "than live stem cell transplants for knee osteoarthritis." + OFFER, "exosome", "stem_cell_unspecified"),
    ("Unlike PRP or cortisone, our exosomes treat knee osteoarthritis at the root; compared with umbilical cord "
     "MSCs they need no donor match." + OFFER, "exosome", "msc"),
    ("Exosomas para la artrosis de rodilla\nLos exosomas son más seguros que las células madre vivas para tratar "
     "la artrosis de rodilla.\nReserve su cita hoy. Escríbanos por WhatsApp. Paquetes desde $9,500.",
     "exosome", "stem_cell_unspecified"),
])
def test_a_therapy_another_is_measured_against_is_not_offered(
        checker: Checker, page: str, offered: str, comparator: str) -> None:
    got = pairs(checker.check_text(page))
    assert (offered, "osteoarthritis") in got
    assert not any(t == comparator for t, _ in got)


def test_a_comparison_with_no_other_therapy_keeps_its_only_therapy(checker: Checker) -> None:
    page = ("Knee pain clinic\nPatients with knee osteoarthritis recover faster than ever with our stem cell "
            "injections." + OFFER)
    assert ("stem_cell_unspecified", "osteoarthritis") in pairs(checker.check_text(page))


def test_a_news_lead_restating_the_study_it_reports_is_no_claim(checker: Checker) -> None:
    news = ("Patients' own bone marrow stem cells to treat multiple sclerosis.\nA recent paper published in The "
            "Lancet reports that 23 of 24 patients in the clinical trial improved; experts say the results are "
            "surprising for a first trial.")
    assert not pairs(checker.check_text(news))
    # the same sentence later in the page, in the writer's own voice, is still the page's claim
    own = news.split("\n")[1] + "\nPatients' own bone marrow stem cells treat multiple sclerosis."
    assert pairs(checker.check_text(own)) == {("stem_cell_unspecified", "multiple_sclerosis")}


def test_a_priced_clinic_page_calling_its_therapy_experimental_still_offers(checker: Checker) -> None:
    # "still experimental" is one disclaimer, not two ("experimental" inside it); a price written
    # with the currency after the amount is a price
    page = ("Exosome hair restoration\nCost: 3,000$ - 15,000$. Sessions: 3-5.\nEXOSOME THERAPY IS STILL "
            "EXPERIMENTAL.\nExosomes help regenerate hair follicles that are weakened in hair loss.")
    report = checker.check_text(page)
    assert report.stance == "offer" and ("exosome", "hair_loss") in pairs(report)


def test_a_patient_story_names_its_one_condition_once_and_the_cells_later(checker: Checker) -> None:
    story = ("Patient stories\nDora had advanced osteoarthritis in her left knee.\nShe received our stem cell "
             "treatment last spring.\nThe pain disappeared and she walks without a cane." + OFFER)
    assert ("stem_cell_unspecified", "osteoarthritis") in pairs(checker.check_text(story))
    # two conditions named once each: no single topic to lend
    two = story.replace("advanced osteoarthritis in her left knee", "advanced osteoarthritis and lupus")
    assert not pairs(checker.check_text(two)) & {("stem_cell_unspecified", "lupus")}


def test_everyday_orthopaedic_wording_is_musculoskeletal(checker: Checker) -> None:
    page = "Orthopedic Stem Cell Therapy\nWe treat persistent musculoskeletal pain and joint dysfunction." + OFFER
    assert ("stem_cell_unspecified", "musculoskeletal_injury") in pairs(checker.check_text(page))


def test_a_denied_cure_lends_no_topic_therapy_to_a_disease_description(checker: Checker) -> None:
    page = ("Stem Cell Therapy for Parkinson's\nParkinson's is the second most common neurodegenerative disease "
            "after Alzheimer's disease, and there is no cure yet." + OFFER)
    assert ("stem_cell_unspecified", "alzheimers") not in pairs(checker.check_text(page))


def test_a_crowdfunding_appeal_speaks_in_its_organiser_s_voice(checker: Checker) -> None:
    # labels: crowdfunding pages count like clinic pages; the organiser's words about trial status
    # describe why insurance will not pay, they do not make the page a warning
    appeal = ("Stem Cell Transplant to Stop MS\nI am needing to raise money for a stem cell transplant that insurance "
              "won't cover since it is still considered experimental and in clinical trials. This miracle has proven "
              "to work for so many people with MS already.\nDonation protected")
    report = checker.check_text(appeal)
    assert report.stance == "offer"
    assert ("stem_cell_unspecified", "multiple_sclerosis") in pairs(report)


def test_conditions_bulleted_under_conditions_include_are_each_claimed(checker: Checker) -> None:
    text = ("Knee Stem Cell Therapy\n\nWhat do we know about using stem cells for knees?\n\nAdult autologous bone "
            "marrow stem cell therapy can be used to treat a variety of conditions related to the knee joint. These "
            "conditions include:\n\n  \u2022  Arthritis\n  \u2022 Tendonitis\n  \u2022 Cartilage injury\n\n"
            "Every patient and knee is unique." + OFFER)
    got = pairs(checker.check_text(text))
    assert {("stem_cell_unspecified", "osteoarthritis"), ("stem_cell_unspecified", "musculoskeletal_injury")} <= got


def test_a_sentence_that_only_denies_an_approval_makes_no_claim(checker: Checker) -> None:
    # labels: "no stem cell product is licensed for Parkinson's" is not a claim
    news = ("Cerebral palsy families\nKey takeaway: stem cell therapy for CP is not FDA-approved as a standard "
            "treatment.")
    assert not pairs(checker.check_text(news))
    assert ("stem_cell_unspecified", "cerebral_palsy") in pairs(checker.check_text(news.replace("is not", "is")))


def test_one_half_weight_cue_does_not_make_a_page_an_offer(checker: Checker) -> None:
    # a price or a "contact" line alone (news quoting what clinics charge) is too little to call a page a seller
    news = ("Travelling for treatment\nFamilies travel abroad for stem cell therapy for autism, paying around $25,000. "
            "Stem cell therapy may help children with autism, one father said.")
    assert checker.check_text(news).stance != "offer"
    assert checker.check_text(news + " Book your free consultation today.").stance == "offer"


@pytest.mark.parametrize("sentence", [
    "Any clinic or physician offering and charging for such services is breaking the law.",
    "Clinics in Mexico are offering the injections to foreigners.",
    "Children with autism often avoid eye contact.",
])
def test_offer_words_in_another_sense_do_not_make_a_news_page_sell(checker: Checker, sentence: str) -> None:
    news = "Stem cells for autism\nStem cell therapy helps children with autism, a parent told us. " + sentence
    assert checker.check_text(news).stance != "offer"


def test_these_disorders_include_continues_the_sentence_before(checker: Checker) -> None:
    page = ("Cell therapy in Kyiv\nStem cell therapy is increasingly used in the treatment of more than 70 severe "
            "diseases. These disorders include the consequences of stroke, liver cirrhosis and multiple sclerosis."
            + OFFER)
    got = pairs(checker.check_text(page))
    assert {("stem_cell_unspecified", "stroke"), ("stem_cell_unspecified", "liver_disease"),
            ("stem_cell_unspecified", "multiple_sclerosis")} <= got


def test_a_trial_registry_title_is_retold_research(checker: Checker) -> None:
    registry = ("Safety and Efficacy of Umbilical Cord Mesenchymal Stem Cell Exosomes in Treating Chronic Cough "
                "After COVID-19\nLong COVID-19 Syndrome\nAbout this trial\nEligibility Criteria\nInclusion Criteria: "
                "participants sign an informed consent form.")
    assert not pairs(checker.check_text(registry))


def test_a_price_and_its_cost_word_are_one_offer_statement(checker: Checker) -> None:
    news = ("Thai hospital treats wounds\nThe stem cell treatment, which costs about US$5,880 per patient, was "
            "tested at the hospital. Bone marrow transplants treat leukaemia, the director said.")
    assert checker.check_text(news).stance != "offer"


def test_a_forum_post_s_own_result_is_a_claim(checker: Checker) -> None:
    post = "Forum\nI had stem cell injections for knee osteoarthritis in Cancun and now I can hike again."
    assert ("stem_cell_unspecified", "osteoarthritis") in pairs(checker.check_text(post))


def test_warning_signs_of_a_disease_are_no_warning_about_treatment(checker: Checker) -> None:
    page = ("Brain injury\nWarning signs of brain injury don't always show up immediately. Stem cell therapy "
            "helps patients recover from traumatic brain injury.")
    assert checker.check_text(page).stance == "assert"
    warning = page.replace("Warning signs of brain injury don't always show up immediately.",
                           "Learn the warning signs of a dubious clinic.")
    assert checker.check_text(warning).stance == "inform"


def test_damaged_joints_are_osteoarthritis(checker: Checker) -> None:
    page = "Joint clinic\nOur stem cell injections repair damaged joints." + OFFER
    assert ("stem_cell_unspecified", "osteoarthritis") in pairs(checker.check_text(page))


@pytest.mark.parametrize("text", [
    "Our clinic offers exosome therapy for lupus.",
    "Exosome therapy for lupus. Book your consultation.",
])
def test_a_clinic_s_own_offer_stays_an_offer(checker: Checker, text: str) -> None:
    # the masks for someone else's offer ("clinics in Mexico are offering") and the one-statement rule for
    # an amount and its cost word must not swallow the page's own call to action
    assert checker.check_text(text).stance == "offer"


def test_procedure_cue_patterns_find_what_a_plain_scan_finds(checker: Checker) -> None:
    import random

    from factcheck.parse.finder import finditer

    resolver = checker.resources.analyzer.resolver
    assert resolver._cue_scans
    rng = random.Random(17)
    pieces = ["the fat is harvested", "fat", " tissue", " cells", " is ", "then ", "harvested", "extracted",
              "from ", "your ", "belly ", "abdominal ", "adipose", " or fat", " marrow", "bone marrow", ".", ",",
              " and", " or", "collect", "taken", "la grasa", " se extrae", "extraemos", " de ", "su ", "tejido adiposo",
              " medula", "xfat", "fatty", " ", "we harvest a small amount of fat",
              "cells retrieved from a patient's fat"]
    hits = 0
    for _ in range(1500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(1, 16)))
        for source, compiled, needs, finder in resolver._cue_scans:
            plain = [m.span() for m in compiled.finditer(text)]
            hits += bool(plain)
            quick = [] if needs is not None and not any(w in text for w in needs) else [
                m.span() for m in finditer(compiled, finder, text)]
            assert quick == plain, (source[:40], text)
    assert hits
