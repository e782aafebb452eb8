"""Page coding (labels.md "Page features") on short pages written for each feature, hard negatives included."""

from __future__ import annotations

import pytest

from factcheck.coding import code_page

OFFER = ("Our clinic offers umbilical cord stem cell therapy for knee arthritis. "
         "Book a free consultation with our team today.")
CHARITY = ("About stem cell treatments for MS\n"
           "The MS Society funds research into stem cell transplantation. The MIST trial, published in JAMA in "
           "2025, compared aHSCT with the best available drugs. Studies show it can stop relapses in some "
           "people, but it is only available inside trials and specialist centres. Talk to your neurologist.")


def values(text: str, **kw: object) -> dict[str, object]:
    return code_page(text, **kw).values()  # type: ignore[arg-type]


# --------------------------------------------------------------------------- offers_treatment


def test_offer_page_offers_treatment() -> None:
    assert values(OFFER)["offers_treatment"] is True


def test_news_report_about_a_clinic_does_not_offer() -> None:
    news = ("A clinic in Florida sold stem cell injections for knee pain, according to court papers. "
            "Regulators said the cells were not approved. Patients paid out of pocket.")
    assert values(news)["offers_treatment"] is False


@pytest.mark.parametrize(("page", "lang"), [
    # the publisher's own service said in other words, each with a second sign of an offer
    ("Stem cells for lupus. We have resumed stem cell treatments at our clinic.", "en"),
    ("Stem cell facelift. Dr. Schuster offers fat grafting using stem cells at our clinic.", "en"),
    ("Células madre para la rodilla. Venimos utilizando con nuestros pacientes el tejido adiposo microfragmentado.",
     "es"),
    ("Células madre para la artritis. El equipo médico de StemCells21 aplica células madre en la rodilla.", "es"),
])
def test_a_service_said_in_other_words_offers_treatment(page: str, lang: str) -> None:
    assert values(page, lang=lang)["offers_treatment"] is True


def test_a_doctor_quoted_in_the_news_does_not_offer() -> None:
    news = ("Stem cell clinics under scrutiny. Dr. Smith offers stem cell injections for knee pain, the lawsuit "
            "says. Regulators warned the clinic.")
    assert values(news)["offers_treatment"] is False


# --------------------------------------------------------------------------- price


@pytest.mark.parametrize("sentence", [
    "The treatment costs USD 14,900 including accommodation.",
    "Price per injection: $5k.",
    "Our full package is 12.000 € for three infusions.",
])
def test_price_stated(sentence: str) -> None:
    assert values("Stem cell therapy. " + sentence)["price"] is True


def test_money_that_is_not_a_treatment_price() -> None:
    page = ("Stem cell conference 2025. Registration fee: $450 for members. The regenerative medicine market "
            "was worth $3 billion last year.")
    assert values(page)["price"] is False


# --------------------------------------------------------------------------- testimonial


def test_patient_quote_is_a_testimonial() -> None:
    page = OFFER + ' "After my stem cell treatment I can walk to the shops again without pain." - Linda, 64'
    assert values(page)["testimonial"] is True


def test_before_and_after_story_is_a_testimonial() -> None:
    page = OFFER + " Before the treatment Sam used single words. Four months later he says whole sentences."
    assert values(page)["testimonial"] is True


def test_spanish_story_is_a_testimonial() -> None:
    page = ("Células madre para el autismo en nuestra clínica. Mateo casi no hablaba. Tras dos aplicaciones "
            "empezó a decir frases cortas.")
    assert values(page, lang="es")["testimonial"] is True


@pytest.mark.parametrize(("page", "lang"), [
    ("Stem cells for autism. His mother wrote to us: the biggest change is that he comes to find us now. "
     "He had four stem cell injections.", "en"),
    ("Stem cell therapy. One of our first patients could barely walk before treatment. At his six-month "
     "check-up he was walking two miles a day.", "en"),
    ("Stem cell therapy. After his cell therapy the wound closed.", "en"),
    ("Células madre para el autismo. Su madre nos escribió que ahora los busca. Recibió cuatro infusiones de "
     "células madre.", "es"),
    ("Terapia celular. Uno de nuestros pacientes apenas caminaba antes del tratamiento. En su control de los seis "
     "meses caminaba dos kilómetros al día.", "es"),
])
def test_a_result_told_by_family_or_at_a_follow_up_is_a_testimonial(page: str, lang: str) -> None:
    assert values(page, lang=lang)["testimonial"] is True


@pytest.mark.parametrize(("page", "lang"), [
    # a patient's result told in the third person by news, a clinic or a blog; pronoun-less Spanish first person
    ("Stem cells in Costa Rica. Murillo left the wheelchair after the stem cell therapy.", "en"),
    ("Knee injections. Six months after his stem cell injections, Robert is back in the gym.", "en"),
    ("Cord blood for autism. Her parents saw big changes in her speech after the infusion.", "en"),
    ("Técnica con células madre. Tras la terapia empecé a recuperar la movilidad de las piernas.", "es"),
    ("Trasplante de médula. Ángel venció la leucemia gracias al trasplante y hoy juega fútbol.", "es"),
    ("Células madre del cordón. Su madre asegura que, después de la infusión, la niña está más conectada con el mundo.",
     "es"),
    # one patient free of a drug or device, or back to what was lost; a result told a sentence away
    ("Islet cells from stem cells. The patient has been insulin-free for a year after the transplant.", "en"),
    ("Stem cell therapy for MS. After the transplant she no longer needs a wheelchair.", "en"),
    ("Trasplante de células. Tras pocas semanas, el paciente dejó de depender de la insulina.", "es"),
    ("Sangre de cordón. Luego de las transfusiones, la niña recuperó su tonicidad muscular.", "es"),
    ("Mi trasplante de células madre en Moscú. Caminé por la playa sin bastón.", "es"),
    ("My HSCT in Moscow, day 180. The transplant is behind me.\nI feel so much better than last year.", "en"),
    ("Our son's stem cell infusion in Panama. We are noticing even more talking and better eye contact.", "en"),
])
def test_a_patient_s_result_told_by_others_or_without_a_pronoun_is_a_testimonial(page: str, lang: str) -> None:
    assert values(page, lang=lang)["testimonial"] is True


@pytest.mark.parametrize(("page", "lang"), [
    # a clinic's general experience, animals, a hope: no patient's own result
    ("Stem cells for autism. In our experience, many families see better eye contact after the treatment.", "en"),
    ("Stem cells for spinal cord injury. In the study, paralysed rats walked again after the cell transplant.",
     "en"),
    ("Stem cells for spinal cord injury. We hope he will be out of the wheelchair after the treatment.", "en"),
    (OFFER + " Lupus is a devastating disorder that cannot be cured.", "en"),
    ("Células madre. En el estudio, los ratones volvieron a caminar tras el trasplante de células.", "es"),
    # a group's result is a success rate, not one patient's story; a researcher's feelings are no result
    ("Islet cells from stem cells. Ten of the twelve patients became insulin-free after the transplant.", "en"),
    ("Trasplante de células. Los pacientes dejaron de depender de la insulina tras el trasplante.", "es"),
    ("Stem cell research. It is an exciting field to work in, and I feel lucky to be part of it; the "
     "transplant field grows.", "en"),
])
def test_general_experience_animals_and_hopes_are_no_testimonial(page: str, lang: str) -> None:
    assert values(page, lang=lang)["testimonial"] is False


def test_family_telling_of_a_death_or_a_complaint_is_no_testimonial() -> None:
    page = "Stem cell clinic under investigation. His mother told the court he died after the stem cell infusion."
    assert values(page)["testimonial"] is False


def test_quoted_expert_is_not_a_testimonial() -> None:
    page = ("Stem cell therapy for arthritis is still being studied. \"We do not yet know which patients "
            "benefit, and I would not offer it outside a trial,\" said Dr. Maria Lopez, a rheumatologist.")
    assert values(page)["testimonial"] is False


def test_patient_stories_menu_item_alone_is_not_a_testimonial() -> None:
    page = "Home | Treatments | Patient Stories | Contact\nOur stem cell therapy for knees."
    assert values(page)["testimonial"] is False


# --------------------------------------------------------------------------- success_rate


def test_share_of_patients_improving_is_a_success_rate() -> None:
    assert values(OFFER + " 85% of our patients improve within three months.")["success_rate"] is True


def test_count_of_patients_cured_is_a_success_rate() -> None:
    assert values(OFFER + " Over 1,000 patients have been successfully treated.")["success_rate"] is True


def test_trial_size_and_prevalence_are_not_success_rates() -> None:
    page = ("Stem cell research update. The phase 2 trial enrolled 120 patients at 14 centres. "
            "About 15% of adults over 60 are diagnosed with knee osteoarthritis. More than 600 people have "
            "been treated at the centre since 2010.")
    assert values(page)["success_rate"] is False


@pytest.mark.parametrize(("page", "lang"), [
    # numbers written out, "of the N", "all N patients", results as what patients no longer need
    (OFFER + " Over seventy percent of the 3,000 patients treated reported improvement.", "en"),
    ("Stem cell transplant for MS. In the study, 17 of the 23 patients improved.", "en"),
    ("Stem cell injections for the hip. All six patients improved within a year.", "en"),
    ("Células madre para el corazón. El estudio mostró un cuarenta por ciento de reducción en hospitalizaciones.",
     "es"),
    ("Células madre para la diabetes. 10 de 12 personas tratadas abandonaron las inyecciones de insulina.", "es"),
])
def test_numbers_of_patients_improving_told_in_words_are_a_success_rate(page: str, lang: str) -> None:
    assert values(page, lang=lang)["success_rate"] is True


@pytest.mark.parametrize(("page", "lang"), [
    # a trial's hoped-for effect, a hypothetical, patients failing other drugs, a symptom's prevalence, no number
    ("Stem cell transplant trial. We anticipate a 50% reduction in relapses over three years.", "en"),
    ("Stem cells for autism. Even if only 20% of those treated improve, it would be an amazing result.", "en"),
    (OFFER + " Most patients notice less pain and better movement after treatment.", "en"),
    ("Células madre para la artritis. Más del 30% de los pacientes no responden a los tratamientos actuales.",
     "es"),
    ("Células madre para la ELA. El 50% de los pacientes con ELA muestra también síntomas cognitivos.", "es"),
])
def test_hopes_failures_prevalence_and_vague_shares_are_no_success_rate(page: str, lang: str) -> None:
    assert values(page, lang=lang)["success_rate"] is False


# --------------------------------------------------------------------------- safety_claim


@pytest.mark.parametrize("sentence", [
    "Stem cell therapy is safe and effective.",
    "Because we use your own cells there is no risk of rejection.",
    "The treatment has no side effects.",
])
def test_safety_claims(sentence: str) -> None:
    assert values(OFFER + " " + sentence)["safety_claim"] is True


def test_safety_protocols_are_not_a_safety_claim() -> None:
    assert values(OFFER + " We follow strict safety protocols in our laboratory.")["safety_claim"] is False


@pytest.mark.parametrize("sentence", [
    "My treatment in Moscow is over and I'm safely back at home with my family.",
    "Three years later I can safely say there has been no improvement.",
    "Patients must be healthy enough to safely tolerate the treatment.",
    "3 tips to stay safe if you are considering stem cells for Parkinson's.",
    "The treatment hasn't been proven safe and effective.",
])
def test_safely_in_other_senses_and_denied_safety_are_no_safety_claim(sentence: str) -> None:
    assert values(OFFER + " " + sentence)["safety_claim"] is False


@pytest.mark.parametrize("sentence", [
    'The goal was simple: "less pain, less swelling, maybe even fresh cartilage."',
    "The other medications that he was on caused severe side effects such as muscle stiffness.",
])
def test_relief_of_a_symptom_and_other_drugs_side_effects_disclose_no_risk(sentence: str) -> None:
    assert values(OFFER + " " + sentence)["risk_disclosure"] is False


def test_unproven_safety_is_not_a_safety_claim() -> None:
    page = "Stem cell clinics advertise widely. It is not known whether these injections are safe."
    assert values(page)["safety_claim"] is False


@pytest.mark.parametrize(("page", "lang"), [
    # safety said in other words: risks denied in the plural, a low risk, a proven safety, safer than another
    (OFFER + " There are no chances of rejection.", "en"),
    (OFFER + " Exosomes are less risky than live stem cell transplants.", "en"),
    (OFFER + " Studies have already proven the safety and efficacy of the cells.", "en"),
    ("Terapia con células madre para el ictus. Un tratamiento muy eficaz y segura, según el estudio.", "es"),
    ("Células madre para la artrosis. No hay riesgos de infección con este procedimiento.", "es"),
    ("Células madre para la EM. El autotrasplante tiene bajo riesgo de complicaciones severas.", "es"),
    ("Células madre para la EM. Se usan sin que se hayan registrado problemas de seguridad.", "es"),
    ("Células madre para la artrosis. Las MSC son generalmente seguras, con pocos eventos adversos.", "es"),
    ("Trasplante de médula ósea. Los trasplantes se consideran seguros y eficaces.", "es"),
    ("Trasplante autólogo para el mieloma: una opción terapéutica segura para pacientes seleccionados.", "es"),
    ("Células madre para el autismo. Las células madre no dañarán de ninguna manera al paciente.", "es"),
    ("Células madre para la artrosis. Se obtienen del paciente, eliminando el riesgo de rechazo.", "es"),
])
def test_safety_said_in_other_words_is_a_safety_claim(page: str, lang: str) -> None:
    assert values(page, lang=lang)["safety_claim"] is True


def test_a_regulatory_low_risk_category_is_no_safety_claim() -> None:
    page = ("Células madre en clínicas. Los procedimientos con extractos de médula ósea se consideran de bajo riesgo "
            "y casi no tienen supervisión.")
    assert values(page, lang="es")["safety_claim"] is False


# --------------------------------------------------------------------------- risk_disclosure


def test_named_side_effects_are_a_risk_disclosure() -> None:
    page = OFFER + " Possible side effects include headache, fever and swelling at the injection site."
    assert values(page)["risk_disclosure"] is True


def test_rare_side_effects_without_a_name_are_not_a_risk_disclosure() -> None:
    assert values(OFFER + " Side effects are rare.")["risk_disclosure"] is False


def test_negated_risk_is_not_a_risk_disclosure() -> None:
    assert values(OFFER + " There is no risk of infection or allergic reaction.")["risk_disclosure"] is False


@pytest.mark.parametrize(("page", "lang"), [
    # what the disease does is no risk of the treatment, however close "such as" or "can" stands
    (OFFER + " Lupus can be brought on by infections and by some drugs, such as seizure medications.", "en"),
    (OFFER + " Liver cirrhosis causes more than 33,500 deaths every year; common causes include viral infection.",
     "en"),
    ("Nuestra clínica ofrece células madre. La artritis reumatoide provoca inflamación y dolor en las "
     "articulaciones, como sabe quien la padece.", "es"),
    ("Nuestra clínica ofrece células madre. Las células hematopoyéticas producen glóbulos blancos, que combaten "
     "infecciones, y plaquetas.", "es"),
])
def test_harms_of_the_disease_are_no_risk_disclosure(page: str, lang: str) -> None:
    assert values(page, lang=lang)["risk_disclosure"] is False


@pytest.mark.parametrize(("page", "lang"), [
    (OFFER + " Reported problems after clinic treatments include serious infections and tumours.", "en"),
    (OFFER + " Some patients may experience a mild fever for a day.", "en"),
    ("Nuestra clínica ofrece células madre. Tras la infusión algunos pacientes tienen fiebre o dolor de cabeza.",
     "es"),
])
def test_harms_after_the_treatment_are_a_risk_disclosure(page: str, lang: str) -> None:
    assert values(page, lang=lang)["risk_disclosure"] is True


# --------------------------------------------------------------------------- pay_to_participate


def test_patient_funded_study_is_pay_to_participate() -> None:
    page = OFFER + " Patients join our patient-funded clinical study; the protocol fee covers the cells."
    assert values(page)["pay_to_participate"] is True


def test_advice_against_paying_for_a_trial_is_not_pay_to_participate() -> None:
    page = ("Questions to ask about stem cell clinics: Am I being asked to pay to take part in a study? "
            "Be wary: real clinical trials rarely charge participants.")
    assert values(page)["pay_to_participate"] is False


# --------------------------------------------------------------------------- legitimacy tokens


@pytest.mark.parametrize(("sentence", "token"), [
    ("Our cells come from an FDA-registered laboratory.", "fda"),
    ("The clinic is licensed by COFEPRIS.", "regulator_other"),
    ("The protocol is registered on ClinicalTrials.gov (NCT01234567).", "trial_registration"),
    ("Our protocol was approved by an institutional review board (IRB).", "ethics_approval"),
    ("Our results were published in the Journal of Translational Medicine.", "publications"),
    ("Our treatment is backed by published papers and case reports.", "publications"),
    ("Dr. Petrov has written many papers on transplantation for autoimmune disease.", "publications"),
    ("Our hospital is JCI accredited.", "accreditation"),
    ("Our patented cell expansion method doubles the yield.", "patent"),
    ("Dr. Smith is a member of the ISSCR.", "society_membership"),
    ("As seen on CNN and Good Morning America.", "media"),
    ("Best Stem Cell Clinic in the USA \u2013 Life Sciences Review Magazine.", "media"),
])
def test_legitimacy_tokens(sentence: str, token: str) -> None:
    assert token in values(OFFER + " " + sentence)["legitimacy"]  # type: ignore[operator]


def test_not_fda_approved_is_no_fda_token() -> None:
    page = OFFER + " Stem cell therapy for arthritis is not FDA approved."
    assert "fda" not in values(page)["legitimacy"]  # type: ignore[operator]


def test_charity_citing_trials_has_no_publications_token() -> None:
    # it sells nothing and claims nothing: the citations inform, they do not lend legitimacy to an offer
    assert values(CHARITY)["legitimacy"] == []


def test_same_citation_on_an_offer_page_is_a_publications_token() -> None:
    page = OFFER + " Studies show our cells reduce knee pain; see the results published in JAMA in 2025."
    assert "publications" in values(page)["legitimacy"]  # type: ignore[operator]


def test_regulator_closing_a_clinic_is_no_endorsement() -> None:
    page = OFFER + " COFEPRIS suspended the clinic's licence after a warning about unapproved stem cells."
    assert "regulator_other" not in values(page)["legitimacy"]  # type: ignore[operator]


# --------------------------------------------------------------------------- explanation, gate, NCT


def test_every_true_feature_is_explained_by_spans_with_offsets() -> None:
    page = OFFER + " It is safe and effective. Price: US$ 5,000."
    coded = code_page(page)
    for name, ev in coded.features.items():
        if ev.value:
            assert ev.spans, name
            for span in ev.spans:
                assert page[span.start:span.end] == span.text
                assert span.text in span.sentence and span.rule


def test_page_not_about_a_treatment_is_not_coded() -> None:
    shop = "Summer sale! Book a free consultation with our stylists. Haircut $45. Safe and effective products."
    coded = code_page(shop)
    assert coded.coded is False and not any(coded.values()[n] for n in ("offers_treatment", "price"))


def test_nct_numbers_are_extracted() -> None:
    coded = code_page(OFFER + " Registered as NCT02418325 and NCT 03000000.")
    assert coded.nct_ids == ["NCT02418325", "NCT03000000"]


# --------------------------------------------------------------------------- Spanish rules


def test_spanish_page_uses_spanish_rules() -> None:
    page = ("Terapia con células madre mesenquimales en nuestra clínica de Tijuana. Pide tu cita. "
            "Es un tratamiento seguro, sin rechazo. Precio: $250.000 MXN. Puede causar fiebre leve y dolor de "
            "cabeza después del procedimiento.")
    got = values(page, lang="es")
    assert got["offers_treatment"] and got["price"] and got["safety_claim"] and got["risk_disclosure"]
    assert values(page, lang="en")["risk_disclosure"] is False  # the English rules do not read Spanish


def test_unknown_language_falls_back_to_english_rules() -> None:
    assert values(OFFER, lang="xx")["offers_treatment"] is True


def test_researchers_studying_a_disease_is_no_publication() -> None:
    page = OFFER + " Doctors and researchers have studied autism for years and it is still a mystery."
    assert "publications" not in values(page)["legitimacy"]  # type: ignore[operator]


def test_a_spanish_journal_name_in_quotes_is_a_publication() -> None:
    page = ("Nuestra clínica ofrece terapia con células madre para la esclerosis múltiple. Agende su cita. "
            "Los resultados fueron publicados en «Multiple Sclerosis Journal».")
    assert "publications" in values(page, lang="es")["legitimacy"]  # type: ignore[operator]


ES_OFFER = "Nuestra clínica ofrece terapia con células madre para la artrosis de rodilla. Agende su cita."


@pytest.mark.parametrize(("page", "lang", "token"), [
    (OFFER + " Stem cell therapy has been proven to work in several studies.", "en", "publications"),
    (ES_OFFER + " Los ensayos clínicos demuestran que el 79% de los pacientes mejora.", "es", "publications"),
    (ES_OFFER + " Varios estudios científicos recientes han demostrado su seguridad.", "es", "publications"),
    (ES_OFFER + " Nuestro laboratorio está regulado por la COFEPRIS.", "es", "regulator_other"),
    (ES_OFFER + " Trabajamos bajo la supervisión del Ministerio de Salud.", "es", "regulator_other"),
    (ES_OFFER + " Nuestro laboratorio está certificado ISO.", "es", "accreditation"),
])
def test_studies_named_with_adjectives_and_regulators_that_oversee_lend_legitimacy(
        page: str, lang: str, token: str) -> None:
    assert token in values(page, lang=lang)["legitimacy"]  # type: ignore[operator]


def test_a_regulator_closing_a_clinic_lends_no_legitimacy() -> None:
    page = ES_OFFER + " La COFEPRIS clausuró la clínica, que no estaba regulada."
    assert "regulator_other" not in values(page, lang="es")["legitimacy"]  # type: ignore[operator]


@pytest.mark.parametrize(("page", "lang"), [
    ("Stem cell transplant. The body may reject the donor stem cells, causing severe complications.", "en"),
    ("Células madre. Los riesgos incluyen infección en la zona de punción y dolor de cabeza.", "es"),
    ("Células madre. El rechazo puede provocar graves complicaciones tras el trasplante.", "es"),
])
def test_complications_a_treatment_can_cause_are_a_risk_disclosure(page: str, lang: str) -> None:
    assert values(page, lang=lang)["risk_disclosure"] is True


@pytest.mark.parametrize(("page", "lang"), [
    ("Stem cells. Donor MSC do not cause rejection, so the procedure is safe.", "en"),
    ("Stem cells. Our treatment causes no side effects.", "en"),
    ("Células madre. Nuestro tratamiento no provoca complicaciones.", "es"),
    ("Células madre. Los efectos secundarios son mínimos.", "es"),
])
def test_complications_denied_are_no_risk_disclosure(page: str, lang: str) -> None:
    assert values(page, lang=lang)["risk_disclosure"] is False


@pytest.mark.parametrize(("tail", "cited"), [
    ("Publicado en Blog · Rejuvenecimiento facial", False),
    ("Publicado en Noticias. Nuestros pacientes están contentos.", False),
    ("El estudio fue publicado en la revista Cell Stem Cell en 2023.", True),
])
def test_a_blog_posts_published_in_line_cites_no_publication(tail: str, cited: bool) -> None:
    page = "Ofrecemos terapia con células madre en nuestra clínica. Reserve su consulta gratuita hoy. " + tail
    assert ("publications" in values(page, lang="es")["legitimacy"]) is cited  # type: ignore[operator]


# --------------------------------------------------------------------------- pages not about a treatment


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_uncoded_report_is_what_code_page_gives_a_page_not_about_a_treatment(lang: str) -> None:
    from factcheck.coding.features import uncoded_report

    coded = code_page("Weather today: sunny, light winds from the west.", lang=lang, topical=False)
    values, explanation = uncoded_report()
    assert (values, explanation) == (coded.values(), coded.explanation())
    assert list(explanation["country"]) == list(coded.explanation()["country"])  # the line's key order
    # each call gives new objects: a caller may add to them (the checker adds site_name)
    explanation["site_name"] = "x"
    values["legitimacy"].append("fda")
    assert uncoded_report() == (coded.values(), coded.explanation())


def test_a_page_not_about_a_treatment_has_the_report_fields_of_full_coding() -> None:
    import factcheck

    checker = factcheck.load()
    html = "<html><head><title>Weather | Town News</title></head><body><p>Sunny, light winds.</p></body></html>"
    report = checker.check_html(html)
    coded = code_page("Weather | Town News\nSunny, light winds.", topical=False)
    assert report.features == coded.values()
    evidence = dict(report.feature_evidence or {})
    evidence.pop("site_name")  # from the title block (a skimmed page has none)
    assert evidence == coded.explanation()
    assert "country" in report.model_fields_set and report.country is None
