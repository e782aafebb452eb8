"""Spanish pages end to end: the bundled Spanish vocabulary and cue rules give the verdicts a reviewer would.

Every page here is written for the test (no real page text): clinic offers as Mexican, Colombian,
Argentine and Spanish clinics phrase them, a regulator warning, negation, hedges, eligibility lists
and the Spanish-only abbreviation "EM" that must stay silent in English text.
"""

from __future__ import annotations

import pytest

from factcheck.checker import Checker
from tests.lang_helpers import LangPage


class Page(LangPage):
    default_lang = "es"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def pairs(checker: Checker, text: str, *, lang: str = "es") -> dict[tuple[str, str], str]:
    return Page(checker, text, lang).flagged()


CLINIC_MS = """Tratamiento con células madre mesenquimales para la esclerosis múltiple en Cancún

Nuestra clínica ofrece terapia con células madre mesenquimales de cordón umbilical para pacientes con EM.
Las células madre ayudan a la regeneración de la mielina y a reparar los nervios dañados.
Más del 80% de nuestros pacientes mejoran desde la primera aplicación.
Agende su cita hoy por WhatsApp y solicite su cotización del paquete de 5 días.
"""


def test_clinic_offer_is_flagged(checker: Checker) -> None:
    got = pairs(checker, CLINIC_MS)
    assert got == {("msc", "multiple_sclerosis"): "unproven"}


def test_clinic_offer_names_its_promise(checker: Checker) -> None:
    report = Page(checker, CLINIC_MS)
    assert report.stance == "offer"
    outcomes = {c.outcome.id for c in report.claims if c.outcome is not None}
    assert "nerve_myelin_regeneration" in outcomes


def test_abbreviation_em_only_in_spanish(checker: Checker) -> None:
    spanish = "Terapia con células madre para la EM. Agende su cita por WhatsApp y pida su cotización."
    assert ("stem_cell_unspecified", "multiple_sclerosis") in pairs(checker, spanish)
    english = ("Stem cell therapy for EM fields and EM radiation shielding. Book your appointment today "
               "and ask for a quote for our clinic package.")
    conditions = {c.condition.id for c in Page(checker, english, "en").claims}
    assert "multiple_sclerosis" not in conditions
    # the same English words read as Spanish would name MS: the language, not the letters, decides
    assert "multiple_sclerosis" in {c.condition.id for c in Page(checker, english, "es").claims}


def test_abbreviations_in_a_bare_list_are_list_items_not_heading_capitals(checker: Checker) -> None:
    listed = "Tratamos con células madre: EPOC, párkinson, TEA, ELA, EM. Agende su cita por WhatsApp."
    got = pairs(checker, listed)
    assert {"autism", "als", "multiple_sclerosis", "copd", "parkinsons"} <= {c for _, c in got}
    # words of a heading set in capitals are still no abbreviations
    heading = "UNA TEA PARA LA FIESTA\nTerapia con células madre. Agende su cita por WhatsApp."
    assert not any(c == "autism" for _, c in pairs(checker, heading))


def test_the_latin_american_plural_celulas_madres_matches_every_alias(checker: Checker) -> None:
    page = ("Trasplante para esclerosis múltiple\nOfrecemos trasplante de células madres hematopoyéticas "
            "autólogas para la esclerosis múltiple, y terapia con células madres mesenquimales para el autismo. "
            "Agende su cita por WhatsApp.")
    got = pairs(checker, page)
    assert ("msc", "autism") in got and any(t == "ahsct" for t, _ in got)


def test_checker_reads_a_spanish_page_with_the_spanish_pack(checker: Checker) -> None:
    report = checker.check_text(CLINIC_MS)
    assert report.lang == "es"
    assert {(c.therapy.id, c.condition.id) for c in report.claims if c.flagged} == {("msc", "multiple_sclerosis")}
    assert report.stance == "offer"


def test_regulator_warning_raises_no_flag(checker: Checker) -> None:
    warning = """Alerta sanitaria: COFEPRIS advierte sobre clínicas de células madre

La Comisión Federal para la Protección contra Riesgos Sanitarios advierte que los tratamientos con células madre
para el autismo, la esclerosis múltiple y la parálisis cerebral que se anuncian en internet no están aprobados.
Estos procedimientos no autorizados son experimentales y solo deben aplicarse en ensayos clínicos.
Desconfíe de quien prometa curas o resultados garantizados y hable con su médico.
"""
    report = Page(checker, warning)
    assert report.stance == "inform"
    assert not [c for c in report.claims if c.flagged]


def test_negated_cure_is_no_claim(checker: Checker) -> None:
    text = """Células madre y esclerosis lateral amiotrófica

Las células madre no son una cura para la esclerosis lateral amiotrófica y no existe evidencia de que la frenen.
Ningún tratamiento con células madre ha demostrado beneficio en la ELA.
"""
    assert not pairs(checker, text)


def test_pseudo_negation_keeps_the_claim(checker: Checker) -> None:
    text = """Terapia con células madre para el autismo en Bogotá

No solo tratamos el autismo con células madre: también ofrecemos terapia de lenguaje.
Agenda tu consulta gratuita por WhatsApp.
"""
    assert ("stem_cell_unspecified", "autism") in pairs(checker, text)


def test_hedged_research_on_a_neutral_page_is_no_claim(checker: Checker) -> None:
    text = """¿Qué se sabe de las células madre en el párkinson?

Algunos investigadores creen que las células madre podrían ayudar algún día en el párkinson.
Un estudio demostró resultados preliminares en ratones.
"""
    assert not pairs(checker, text)


def test_eligibility_list_makes_each_condition_a_claim(checker: Checker) -> None:
    text = """Terapia con exosomas en Guadalajara

Padecimientos que tratamos:
- Artrosis de rodilla
- Lesión medular
- Alzhéimer
- Caída del cabello

Precio del tratamiento y paquetes: solicite su cotización por WhatsApp.
"""
    got = pairs(checker, text)
    assert {cond for ther, cond in got if ther == "exosome"} >= {
        "osteoarthritis", "spinal_cord_injury", "alzheimers", "hair_loss"}


def test_ms_eligibility_with_subtypes(checker: Checker) -> None:
    text = """Trasplante autólogo de células madre hematopoyéticas (TAPH) para esclerosis múltiple en Puebla

¿Quién puede recibir el tratamiento?
- Esclerosis múltiple remitente-recurrente
- Esclerosis múltiple primaria progresiva
- Esclerosis múltiple secundaria progresiva

Agende su cita. Precio del paquete: USD 54.500.
"""
    got = pairs(checker, text)
    assert got.get(("ahsct", "multiple_sclerosis")) == "overstated"


def test_same_day_fat_is_svf(checker: Checker) -> None:
    text = """Células madre para artrosis de rodilla en Buenos Aires

Con una miniliposucción obtenemos grasa abdominal y las células madre se reinyectan en la rodilla el mismo día.
Nuestros pacientes vuelven a caminar sin dolor. Consulta gratuita por WhatsApp.
"""
    assert ("svf", "osteoarthritis") in pairs(checker, text)


def test_cord_bank_stem_cells_are_cord_blood(checker: Checker) -> None:
    text = """Banco de cordón umbilical en Lima

Guarda el cordón umbilical de tu bebé. Las células madre del cordón umbilical se utilizan para tratar leucemias y
linfomas. Solicita información.
"""
    got = {(c.therapy.id, c.condition.id): c.verdict for c in Page(checker, text).claims}
    assert got.get(("cord_blood", "blood_cancer")) == "supported" and ("msc", "blood_cancer") not in got
    assert not pairs(checker, text)  # nothing flagged: the bank states the accepted use


def test_plant_stem_cells_are_no_therapy(checker: Checker) -> None:
    text = """Sérum rejuvenecedor con células madre vegetales

Nuestro sérum con extracto de células madre de manzana ayuda contra el envejecimiento de la piel.
Precio: 45 € — pide cita en nuestra clínica.
"""
    assert not pairs(checker, text)


def test_exosomes_named_as_the_mechanism_are_no_product(checker: Checker) -> None:
    text = """Células madre mesenquimales para la artrosis

Nuestro tratamiento con células madre mesenquimales para la artrosis de rodilla actúa a través de los exosomas que
estas liberan, que reducen la inflamación. Agenda tu valoración.
"""
    got = pairs(checker, text)
    assert ("msc", "osteoarthritis") in got
    assert not any(ther == "exosome" for ther, _ in got)



def test_a_page_about_plant_stem_cells_makes_no_stem_cell_claim(checker: Checker) -> None:
    # labels: plant "stem cells" and skincare extracts are no therapy; the plant origin said in another
    # sentence still decides what the page's unnamed "células madre" are
    text = """Tratamientos antiedad

Una de las técnicas más sonadas son las células madre, que ayudan al rejuvenecimiento de la piel.
Hay cremas y sérums de cosmética con células madre vegetales extraídas de manzanas.
"""
    assert not pairs(checker, text)
    clinic = text.replace("Hay cremas y sérums de cosmética con células madre vegetales extraídas de manzanas.",
                          "Agenda tu cita en nuestra clínica.")
    assert pairs(checker, clinic) == {("stem_cell_unspecified", "aging"): "unproven"}


def test_this_treatment_names_the_page_s_one_product(checker: Checker) -> None:
    # the cells are named in another section and nowhere else: only the anaphor links the back pain to them
    html = ("<html lang='es'><body><h1>Unidad de columna</h1><p>Las células mesenquimales se cultivan en sala "
            "blanca.</p><h2>Diagnóstico por imagen</h2><p>El paciente de este tratamiento es aquel que tiene dolor "
            "lumbar por una hernia de disco.</p></body></html>")

    def flagged(page: str) -> set[tuple[str, str]]:
        return {(c.therapy.id, c.condition.id) for c in checker.check_html(page).claims if c.flagged}

    assert flagged(html) == {("msc", "musculoskeletal_injury")}
    assert not flagged(html.replace("de este tratamiento", "de la resonancia"))


def test_an_announcement_retold_by_the_news_is_reported(checker: Checker) -> None:
    text = """Polémica en Hidalgo

Tras el anuncio del gobernador sobre la recuperación de 26 pacientes graves de Covid-19 gracias a la terapia con
células madre, médicos pidieron pruebas.
"""
    assert not pairs(checker, text)



@pytest.mark.parametrize("sentence", [
    "Las células madre tienen el potencial de cambiar la forma en que tratamos enfermedades.",
    "Los padres tratamos de entender qué les pasa.",
    "Los niños con autismo evitan el contacto visual.",
])
def test_offer_words_in_another_sense_do_not_make_a_page_sell(checker: Checker, sentence: str) -> None:
    text = "Células madre y autismo\n\nLas células madre ayudan a los niños con autismo, dijo un padre. " + sentence
    assert Page(checker, text).stance != "offer"


def test_a_forum_author_s_own_result_is_a_claim(checker: Checker) -> None:
    # labels: on forums the author's own assertions count; a negation after the claim ("sin bastón")
    # denies nothing of it, one before it does
    text = ("Foro esclerosis múltiple\nRe: células madre en Panamá\nYo me hice el tratamiento con células madre "
            "mesenquimales en Panamá y mi esclerosis múltiple mejoró mucho, ya camino sin bastón.\n")
    assert pairs(checker, text) == {("msc", "multiple_sclerosis"): "unproven"}
    doubt = text.replace("Yo me hice el tratamiento", "No creo en el tratamiento")
    assert not pairs(checker, doubt)


def test_stem_cells_from_the_patient_s_own_fat_are_svf(checker: Checker) -> None:
    text = ("Rodilla\n\nLas células madre adultas obtenidas de la grasa del mismo paciente mejoran la artrosis de "
            "rodilla. Agende su cita.\n")
    assert pairs(checker, text) == {("svf", "osteoarthritis"): "unproven"}


def test_allegedly_is_someone_else_s_claim(checker: Checker) -> None:
    text = ("Denuncia en California\n\nLos pacientes recibieron inyecciones que supuestamente contenían células madre "
            "de sangre de cordón umbilical para la artritis.\n")
    assert not pairs(checker, text)
