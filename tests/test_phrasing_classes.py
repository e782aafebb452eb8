"""Classes of phrasing read on real clinic, news and charity pages (en/es/pt), one short page each.

Each row names the class it stands for; a row is a way people write, never one page's sentence.
``CLAIMED``: the pair must be flagged. ``NOT_CLAIMED``: nothing may be flagged. The tests below the
tables check what a pair table cannot say (stance, a pair that must be absent, an exact set).
"""

from __future__ import annotations

import pytest

from factcheck import Checker
from factcheck.models import PageReport

OFFER = "\nBook your free consultation today. Contact us on WhatsApp. Packages from $9,500."
SCU = "stem_cell_unspecified"


def pairs(report: PageReport) -> set[tuple[str, str]]:
    return {(c.therapy.id, c.condition.id) for c in report.claims if c.flagged}


CLAIMED = [
    # a story names the disease, the cells and the result in separate sentences
    pytest.param("My son was born with severe cerebral palsy. Last year we travelled to Mexico for stem cell therapy. "
                 "Since the treatment he can sit up on his own and his speech has improved.",
                 (SCU, "cerebral_palsy"), id="story-since-the-treatment-en"),
    pytest.param("Mi hijo nació con parálisis cerebral. El año pasado viajamos a México para la terapia con células "
                 "madre. Después del tratamiento su lenguaje mejoró mucho.",
                 (SCU, "cerebral_palsy"), id="story-despues-del-tratamiento-es"),
    pytest.param("Meu filho nasceu com paralisia cerebral. No ano passado fomos ao México para a terapia com "
                 "células-tronco. Após o tratamento a fala dele melhorou muito.",
                 (SCU, "cerebral_palsy"), id="story-apos-o-tratamento-pt"),
    pytest.param("Mi rodilla tenía artrosis avanzada. El doctor me aplicó un implante de células madre. A las pocas "
                 "semanas el dolor desapareció por completo.", (SCU, "osteoarthritis"), id="story-pain-went-away-es"),
    pytest.param("Cerebral Palsy\nThe stem cell therapy was given to 15 children in 2019. Eleven of the 15 had a "
                 "significant improvement (73%).", (SCU, "cerebral_palsy"), id="clinic-results-en"),
    pytest.param("Parálisis cerebral\nLa terapia con células madre se aplicó a 15 niños en 2019. Once de los 15 "
                 "tuvieron una mejoría significativa.", (SCU, "cerebral_palsy"), id="clinic-results-es"),
    pytest.param("Jax was diagnosed with autism at two. Shortly after fetal stem cell therapy, Jax started speaking.",
                 (SCU, "autism"), id="started-speaking-en"),
    pytest.param("A Jax le diagnosticaron autismo a los dos años. Poco después de la terapia con células madre, Jax "
                 "empezó a hablar.", (SCU, "autism"), id="empezo-a-hablar-es"),
    pytest.param("His knee was bone-on-bone. Jerry tried a stem cell injection anyway. Six months later, he felt "
                 "better.", (SCU, "osteoarthritis"), id="felt-better-en"),
    pytest.param("Su rodilla tenía artrosis. Ana probó una inyección de células madre. Seis meses después se sintió "
                 "mejor.", (SCU, "osteoarthritis"), id="se-sintio-mejor-es"),
    # a stated success rate, with a qualifier on how the treatment is done
    pytest.param("Stem Cell Orthopedics\nKnee pain is the number one problem we see. The success rate of stem cell "
                 "therapy, if done properly, is 80-85%.", (SCU, "musculoskeletal_injury"), id="success-rate-en"),
    pytest.param("Células madre para la rodilla\nEl dolor de rodilla es el problema más frecuente. La tasa de éxito de "
                 "la terapia con células madre, si se hace correctamente, es del 80-85%.",
                 (SCU, "musculoskeletal_injury"), id="tasa-de-exito-es"),
    # renewing or rebuilding tissue is a benefit
    pytest.param("Motor Neuron Disease\nALS is a rapidly progressive disease. Cell therapy has the capacity to renew "
                 "the tissues.", (SCU, "als"), id="renew-tissues-en"),
    pytest.param("Esclerosis lateral amiotrófica\nLa ELA es una enfermedad progresiva. La terapia celular tiene la "
                 "capacidad de renovar los tejidos.", (SCU, "als"), id="renovar-tejidos-es"),
    # a better quality of life is a promise
    pytest.param("Stem cells for COPD\nOur stem cell therapy improves the quality of life of COPD patients.",
                 (SCU, "copd"), id="improves-the-quality-of-life"),
    pytest.param("Células madre para la artrosis de rodilla\nGracias a nuestro tratamiento con células madre, "
                 "nuestros pacientes con artrosis han ganado en calidad de vida.", (SCU, "osteoarthritis"),
                 id="ganado-en-calidad-de-vida"),
    # skin ageing in cosmetic wording
    pytest.param("Exosomas en medicina estética\nLos exosomas reducen visiblemente las arrugas finas y los signos de "
                 "la edad." + OFFER, ("exosome", "aging"), id="arrugas-es"),
    pytest.param("Exosome facials\nOur exosome treatment smooths fine lines and wrinkles." + OFFER,
                 ("exosome", "aging"), id="wrinkles-en"),
    pytest.param("Exossomos na estética\nOs exossomos reduzem as rugas e os sinais da idade." + OFFER,
                 ("exosome", "aging"), id="rugas-pt"),
    # the section's product, pointed back to
    pytest.param("Infiltración de articulaciones con células madre mesenquimales\nEste tipo de tratamiento es muy "
                 "efectivo en las lesiones de rodilla.", ("msc", "musculoskeletal_injury"), id="este-tipo-efectivo-es"),
    pytest.param("Infiltração com células-tronco mesenquimais\nEste tipo de tratamento é útil para a artrose do "
                 "joelho.", ("msc", "osteoarthritis"), id="este-tipo-util-pt"),
    pytest.param("Mesenchymal stem cell injections\nThis type of treatment is useful for knee osteoarthritis.",
                 ("msc", "osteoarthritis"), id="this-type-useful-en"),
    # benefit words and idioms
    pytest.param("Stem Cell Knee Clinical Trials\nAlthough knee replacement surgery is successful for many, stem cell "
                 "therapy offers a new alternative to knee replacement for knee osteoarthritis.",
                 (SCU, "osteoarthritis"), id="alternative-to-en"),
    pytest.param("Ensayos clínicos de rodilla\nLa terapia con células madre es una nueva alternativa a la prótesis "
                 "para la artrosis de rodilla.", (SCU, "osteoarthritis"), id="alternativa-a-es"),
    pytest.param("All isn't lost for people diagnosed with Parkinson's disease: our stem cell therapy helps them."
                 + OFFER, (SCU, "parkinsons"), id="all-isnt-lost-en"),
    pytest.param("No todo está perdido para los pacientes con Parkinson: nuestra terapia con células madre les ayuda."
                 + OFFER, (SCU, "parkinsons"), id="no-todo-esta-perdido-es"),
    pytest.param("Stem cells (not embryonic) are healing kids with CP at our clinic." + OFFER,
                 (SCU, "cerebral_palsy"), id="negation-in-an-aside"),
    pytest.param("Our MSCs (not yet FDA-approved) help patients with MS walk again." + OFFER,
                 ("msc", "multiple_sclerosis"), id="negation-in-an-aside-approval"),
    # vocabulary
    pytest.param("Las células mesenquimales de nuestra clínica curan las lesiones del cartílago articular y la "
                 "condromalacia." + OFFER, ("msc", "musculoskeletal_injury"), id="lesiones-del-cartilago-es"),
    pytest.param("An MRI showed a medial meniscal tear. We injected stem cells and the tear healed." + OFFER,
                 (SCU, "musculoskeletal_injury"), id="meniscal-tear-en"),
    pytest.param("Nuestras células madre curan la lesión meniscal y el dolor de tobillo." + OFFER,
                 (SCU, "musculoskeletal_injury"), id="lesion-meniscal-es"),
    pytest.param("I injured my knee skiing, and our stem cell injections repaired the damaged knee." + OFFER,
                 (SCU, "musculoskeletal_injury"), id="injured-knee-en"),
    pytest.param("Las células madre, especialmente las mesenquimales, ayudan a nuestros pacientes con lupus." + OFFER,
                 ("msc", "lupus"), id="las-mesenquimales-es"),
    pytest.param("Dentro de las células madre adultas se encuentran las conocidas como mesenquimales, que se aplican "
                 "en nuestra clínica para tratar el lupus." + OFFER, ("msc", "lupus"), id="como-mesenquimales-es"),
    pytest.param("Our extra cellular vesicles from bone marrow are very effective for hair restoration." + OFFER,
                 ("exosome", "hair_loss"), id="extra-cellular-vesicles-en"),
    pytest.param("Nuestra terapia con células madre del folículo piloso y células madre mesenquimales logra la "
                 "repoblación del cabello." + OFFER, (SCU, "hair_loss"), id="follicle-stem-cells-es"),
    pytest.param("Our hair follicle stem cells bring hair regrowth to thinning scalps." + OFFER,
                 (SCU, "hair_loss"), id="hair-follicle-stem-cells-en"),
    pytest.param("Sus padres habían almacenado las células madre del cordón de Ryan. Los médicos le infundieron sus "
                 "propias células madre para curarlo de su parálisis cerebral.",
                 ("cord_blood", "cerebral_palsy"), id="banked-cord-es"),
    pytest.param("Which conditions do you treat?\nOur stem cell program treats cerebral palsy, spinal cord injury, "
                 "brain injury and the after-effects of stroke." + OFFER,
                 (SCU, "traumatic_brain_injury"), id="brain-injury-as-a-list-item"),
]

NOT_CLAIMED = [
    # what cells give off of themselves, and a therapy others are paying attention to
    pytest.param("Exosomes and the knee\nExosome therapy is a non-surgical option gaining attention for its potential "
                 "to stimulate repair in knee osteoarthritis. When released by cells involved in tissue repair, "
                 "exosomes promote the healing of knee osteoarthritis.", id="exosomes-the-body-releases-en"),
    # a page that, with no warning word, says again and again that the therapy does not work
    pytest.param("A Big NO For Stem Cell Implantation For Autism\nIn 2015 I attended a seminar on stem cell "
                 "implantation in autistic babies. Stem cell implantation is not a recovery method of autism. The "
                 "stem cell cannot improve autism. Still, people are running to Panama for stem cell therapy, with the "
                 "ambition of recovery within weeks.", id="page-that-denies-again-and-again-en"),
    pytest.param("Un gran NO a las células madre para el autismo\nAsistí a un seminario sobre implantes de células "
                 "madre en niños autistas. Las células madre no curan el autismo. Las células madre no pueden mejorar "
                 "el autismo. Aun así, muchas familias viajan a Panamá para la terapia con células madre con la "
                 "ilusión de una recuperación en semanas.", id="page-that-denies-again-and-again-es"),
    # veterinary use: the animals treated are not the page's patients
    pytest.param("Fat Stem Cells\nTreating arthritis with fat-derived stem cells has become commonplace in veterinary "
                 "medicine, with over 7,000 horses and dogs treated.", id="veterinary-use-en"),
    pytest.param("Células madre de grasa\nTratar la artrosis con células madre de grasa ya es habitual en medicina "
                 "veterinaria: miles de perros y caballos han sido tratados.", id="veterinary-use-es"),
    # a consumer article that says the therapy is unproven and not yet approved, and quotes a sceptic
    pytest.param("Stem Cells Show Early Promise As an Erectile Dysfunction Cure\nHowever, some medical professionals "
                 "tout stem cell therapy as the potential cure for ED. The treatment hasn't been proven safe and "
                 "effective, so it has yet to be approved by the FDA. Dr. Cohen remains skeptical of stem cell therapy "
                 "for ED.", id="unproven-not-yet-approved-en"),
    pytest.param("Células madre para la disfunción eréctil: una promesa temprana\nAlgunos médicos presentan las "
                 "células madre como la cura de la disfunción eréctil. El tratamiento no ha sido probado y aún no ha "
                 "sido aprobado. El urólogo se muestra escéptico.", id="unproven-not-yet-approved-es"),
    # a news feature quoting what clinics charge: "a hefty price: 'The cost ...'" is prose, not a price list
    pytest.param("On the road for a stem-cell cure, or a rip-off?\nMany patients travel abroad for treatment, and many "
                 "are already paying a hefty price: \"The cost of stem cells for ALS, spinal cord injury or stroke can "
                 "be $45,000,\" the executive said.", id="quoted-price-in-a-news-feature-en"),
    # the market of others described: an offer growing, clinics multiplying
    pytest.param("Advertencia\nSe ha incrementado la oferta de tratamientos con células madre para tratar el "
                 "Parkinson y la diabetes.", id="oferta-creciente-es"),
    pytest.param("Warning\nAn increasing number of clinics now treat Parkinson's disease with stem cells.",
                 id="growing-number-of-clinics-en"),
    pytest.param("News\nThe number of clinics using stem cells to treat knee arthritis keeps rising.",
                 id="number-of-clinics-en"),
    # hearsay: what the writer keeps hearing about is not what it offers or knows
    pytest.param("Hair loss\nWe keep hearing about stem cell treatment for hair restoration.", id="hearsay-en"),
    pytest.param("Alopecia\nHemos oído hablar de tratamientos con células madre para la alopecia.",
                 id="hearsay-es"),
    # a quotation closed and attributed is someone else's words, however long the quote
    pytest.param("Stem cells for myasthenia gravis\n\u201cAutologous HSCT results in long-term symptom- and "
                 "treatment-free remission in patients with severe myasthenia gravis,\u201d the authors write.",
                 id="attributed-quotation-en"),
    pytest.param("Células madre y diabetes\n\u201cLas células madre de la grasa curan la diabetes tipo 1 en pocos "
                 "meses de tratamiento\u201d, escribió el periodista.", id="cita-atribuida-es"),
    pytest.param("Stem cells for MS\nThe authors found that stem cells halted disability in multiple sclerosis.",
                 id="the-authors-en"),
    # a thesis or a repository record reports research: its hedged hopes are no claim
    pytest.param("Tesis de grado\nUna opción es la terapia con células madre, que refleja un potencial prometedor "
                 "para mejorar el pie diabético.", id="tesis-es"),
    pytest.param("Master's thesis\nOne option is stem cell therapy, which shows a promising potential to improve the "
                 "diabetic foot.", id="thesis-en"),
    # research in progress: scientists study a disease with cells, or work in models
    pytest.param("Autism\nNeuroscientists are researching autism through the use of stem cells.",
                 id="researching-en"),
    pytest.param("Autismo\nLos neurocientíficos están investigando el autismo con células madre.",
                 id="investigando-es"),
    pytest.param("Esclerosis múltiple\nEn estos modelos, las células madre reparan la mielina de la esclerosis "
                 "múltiple.", id="en-estos-modelos-es"),
    # a family's appeal told in the third person is news about the appeal (their own page says "help us")
    pytest.param("Cerebral palsy\nParents appeal to the public to help them raise funds for their son's stem cell "
                 "treatment for cerebral palsy, which could help him walk.", id="help-them-raise-en"),
    pytest.param("Parálisis cerebral\nLos padres lanzaron una colecta para el tratamiento con células madre de su "
                 "hijo, que podría mejorar su parálisis cerebral.", id="lanzaron-una-colecta-es"),
    pytest.param("Parálisis cerebral\nLa niña necesita viajar a China para recibir células madre que mejoren su "
                 "parálisis cerebral.", id="necesita-viajar-es"),
    # a review article speaks of its own review: the page informs
    pytest.param("Diabetes\nEn esta revisión se analizan las células madre mesenquimales, que regeneran el páncreas "
                 "en la diabetes.", id="en-esta-revision-es"),
    pytest.param("Diabetes\nIn this review we discuss mesenchymal stem cells, which regenerate the pancreas in "
                 "diabetes.", id="in-this-review-en"),
    # what a clinic was doing, told in the past, is a story retold (a regulator's or reporter's)
    pytest.param("COPD\nThe company was administering stem cells into the spinal cord of patients to treat COPD.",
                 id="was-administering-en"),
    pytest.param("EPOC\nLa empresa estaba inyectando células madre a pacientes para tratar la EPOC.",
                 id="estaba-inyectando-es"),
    pytest.param("EPOC\nLa empresa inyectaba células madre a pacientes para tratar la EPOC.", id="inyectaba-es"),
    # what a product is promoted as is its sellers' claim
    pytest.param("Exosomas sin respaldo\nLos exosomas se promocionan como un tratamiento milagroso para la caída del "
                 "cabello y el Parkinson.", id="se-promocionan-como-es"),
    pytest.param("Exosomes\nExosomes are promoted as a miracle treatment for hair loss and Parkinson's disease.",
                 id="are-promoted-as-en"),
    # a research team's finding is reported research
    pytest.param("Parkinson\nUn equipo del instituto presentó una terapia con exosomas. El hallazgo podría revertir "
                 "el daño neuronal del Parkinson con exosomas.", id="el-hallazgo-es"),
    pytest.param("Parkinson's\nA team of scientists presented an exosome therapy. The finding could reverse the nerve "
                 "damage of Parkinson's disease with exosomes.", id="the-finding-en"),
    # a clinic named in the third person ("a clinic in Panama") is someone else's offer, retold
    pytest.param("Autism and stem cells\nIn this case, a clinic in Panama injects stem cells into children with "
                 "autism.", id="a-clinic-in-en"),
    pytest.param("Autismo y células madre\nEn este caso, una clínica en Panamá inyecta células madre a niños con "
                 "autismo.", id="una-clinica-en-es"),
    # a critic's words make a page a warning, whatever prices and offers it retells
    pytest.param("Pricey, bogus knee cures\nStem cell injections may repair knee arthritis, and a session costs "
                 "$5,000.", id="bogus-cures-en"),
    pytest.param("Curas milagrosas\nLos charlatanes ofrecen células madre que reparan la artrosis de rodilla, a "
                 "precios altos.", id="charlatanes-es"),
    # the advertising of a company a regulator inspects is the company's claim, not the page's
    pytest.param("Inspección\nEl organismo fiscalizó a la empresa VidaCel, cuya publicidad afirmaba que las "
                 "células madre curan el COVID-19.", id="su-publicidad-afirmaba-es"),
    # treated rats are preclinical wherever the word stands in the sentence
    pytest.param("Disfunción eréctil\nDos meses después, las ratas tratadas con células madre mejoraron la "
                 "función eréctil.", id="ratas-tratadas-es"),
    pytest.param("Erectile dysfunction\nTwo months later, the rats treated with stem cells had better erectile "
                 "function.", id="rats-treated-en"),
    pytest.param("Stem cells for COPD\nChronic obstructive pulmonary disease (COPD) can cause a decline in quality of "
                 "life.", id="disease-takes-quality-of-life"),
    pytest.param("Células madre y envejecimiento\nCuando las células se desgastan, el cuerpo pierde vitalidad.",
                 id="pierde-vitalidad"),
    pytest.param("Terapia celular\nLa doctora explica que la terapia celular se puede usar para tratar la diabetes "
                 "y el Parkinson.", id="explica-que"),
    pytest.param("Diabetes tipo 2\nAlrededor del mundo se investigan diferentes terapias con células madre "
                 "mesenquimales para tratar la diabetes tipo 2.", id="se-investigan"),
    pytest.param("Long COVID\nIn the context of long COVID, stem cell therapy is being explored for its ability to "
                 "repair the lungs.", id="being-explored"),
    pytest.param("Cell-based therapy for long COVID\nIt is disheartening to see people suffer from the side effects of "
                 "medicines used to treat COVID.", id="medicines-used-to-treat"),
    pytest.param("Stem cells\nThe stem cells in our body are tissue specific, except that they are aging: a stem cell "
                 "that is 80 years old is not the same. Our stem cells repair tissue.", id="cells-are-aging"),
    pytest.param("Células madre\nEl envejecimiento de la población aumenta la demanda. Nuestras células madre "
                 "reparan tejidos.", id="envejecimiento-de-la-poblacion"),
    pytest.param("Stem cells for knees\nKnee pain is common. Success rates vary between clinics and nobody can "
                 "promise a result.", id="success-rates-vary"),
    pytest.param("Multiple sclerosis is a chronic disease. Researchers at Oxford gave mesenchymal stem cells to 20 "
                 "patients. After the treatment, several patients improved.", id="result-after-retold-research"),
    pytest.param("ALS is a terrible disease. A team in Boston is now testing stem cells as a new way to treat ALS.",
                 id="now-testing-en"),
    pytest.param("La ELA es terrible. Un equipo de Boston está ahora probando células madre como nueva forma de "
                 "tratar la ELA.", id="ahora-probando-es"),
    pytest.param("In recent years we have seen a worrying rise in clinics that promise families to treat autism with "
                 "stem cells.", id="clinics-that-promise-en"),
    pytest.param("Hemos asistido a un preocupante aumento de los institutos que proponen a las familias tratar el "
                 "autismo con células madre.", id="institutos-que-proponen-es"),
    pytest.param("Vimos um aumento preocupante de clínicas que prometem às famílias tratar o autismo com "
                 "células-tronco.", id="clinicas-que-prometem-pt"),
    pytest.param("Las clínicas de longevidad comercializan cada vez más sus propios tratamientos con células madre "
                 "para la artritis, la enfermedad de Parkinson y la ELA.", id="clinicas-comercializan-es"),
    pytest.param("Hace dos décadas, las células madre eran señaladas como la llave maestra, prometiendo frenar el "
                 "envejecimiento y curar el Parkinson.", id="eran-senaladas-como-es"),
    pytest.param("Two decades ago stem cells were touted as a cure for Parkinson's disease.", id="touted-as-en"),
    pytest.param("Stem cell therapy is not (as some claim) a cure for MS.", id="negation-before-an-aside"),
    pytest.param("Tratamiento del Parkinson con células madre\nEl 16 de abril, la revista Nature publicó dos artículos "
                 "sobre las células madre para tratar el Parkinson.", id="revista-publico-es"),
    pytest.param("Pie diabético\nActualmente se estudia la posibilidad de aplicar una terapia con células madre en las "
                 "úlceras de la diabetes.", id="se-estudia-es"),
    pytest.param("Tratamiento con células madre para la necrosis avascular: perspectivas actuales\nLa necrosis "
                 "avascular es una enfermedad del hueso.", id="review-title-es"),
    pytest.param("Regenerative therapies including stem cell therapy have gained considerable attention because of "
                 "their ability to reverse erectile dysfunction.", id="gained-attention-en"),
    pytest.param("Question from a reader\nI searched the internet and saw that stem cells can repair the cartilage of "
                 "knee osteoarthritis. Do you have any experience with this?", id="hearsay-en"),
    pytest.param("Pregunta de un lector\nBusqué en internet y leí que las células madre reparan el cartílago en la "
                 "artrosis de rodilla. ¿Tienen experiencia con esto?", id="hearsay-es"),
]


@pytest.mark.parametrize("text", [
    "Stem cell therapy for knee osteoarthritis\nOur stem cell injections treat knee osteoarthritis with low risks "
    "and a short recovery time. Stem cell therapy is not recommended for children and pregnant women.",
    "Células madre para la artrosis de rodilla\nNuestras inyecciones de células madre tratan la artrosis de rodilla "
    "con bajos riesgos. No se recomienda en niños ni embarazadas. Pida cita.",
])
def test_low_risks_and_a_contraindication_do_not_make_a_clinic_page_a_warning(checker: Checker, text: str) -> None:
    report = checker.check_text(text)
    assert report.stance != "inform"
    assert (SCU, "osteoarthritis") in pairs(report)


@pytest.mark.parametrize(("text", "lang"), [
    ("Stem cell therapy is the best way of treating backaches, musculoskeletal disorders and joint injuries.", "en"),
    ("La terapia con células madre trata los trastornos musculoesqueléticos y las lesiones articulares.", "es"),
])
def test_backaches_and_musculoskeletal_disorders_are_musculoskeletal_injury(
        checker: Checker, text: str, lang: str) -> None:
    found = {t.id for t in checker.lexicon.find(text, lang) if t.label == "CONDITION"}
    assert found == {"musculoskeletal_injury"}


@pytest.mark.parametrize(("text", "pair"), CLAIMED)
def test_a_class_of_phrasing_is_claimed(checker: Checker, text: str, pair: tuple[str, str]) -> None:
    assert pair in pairs(checker.check_text(text))


@pytest.mark.parametrize("text", NOT_CLAIMED)
def test_a_class_of_phrasing_claims_nothing(checker: Checker, text: str) -> None:
    assert not pairs(checker.check_text(text))


@pytest.mark.parametrize("text", [
    "Stem Cell Therapy for MS\nOur stem cells do not only ease the symptoms of multiple sclerosis, they heal the "
    "original brain injury." + OFFER,
    "Células madre para la parálisis cerebral\nNuestro tratamiento con células madre ayuda a impedir el daño "
    "cerebral en niños con parálisis cerebral." + OFFER,
])
def test_brain_injury_on_a_page_about_another_brain_disease_is_that_disease(checker: Checker, text: str) -> None:
    found = pairs(checker.check_text(text))
    assert found and "traumatic_brain_injury" not in {c for _, c in found}


def test_spastic_quadriplegic_cerebral_palsy_is_cerebral_palsy(checker: Checker) -> None:
    assert pairs(checker.check_text("Our stem cell therapy helps children with spastic quadriplegic cerebral palsy."
                                    + OFFER)) == {(SCU, "cerebral_palsy")}


@pytest.mark.parametrize("text", [
    "PHILADELPHIA (CBS) - Stem cell therapy for ALS: a local father enrolled at a Boston hospital.",
    "MADRID (EFE). Terapia con células madre para la ELA: un padre de familia participa en un hospital de Boston.",
    # an outlet the agencies rule does not name, credited in a dated dateline or in the Spanish ".-" style
    "CIUDAD DE MÉXICO, mayo 7 (EL UNIVERSAL).- Especialistas cultivan células madre mesenquimales que ayudan a "
    "contrarrestar el daño del páncreas en personas con diabetes.",
    "BOGOTÁ (Colprensa).- Las células madre mesenquimales ayudan a contrarrestar el daño del páncreas en la diabetes.",
    "SPRINGFIELD, May 7 (Valley Health Wire) - Mesenchymal stem cells repair the pancreas in diabetes, doctors say.",
])
def test_a_wire_dateline_makes_the_page_news(checker: Checker, text: str) -> None:
    report = checker.check_text(text)
    assert report.stance == "inform" and not pairs(report)


@pytest.mark.parametrize("text", [
    "Mesenchymal Stem Cells (MSCs) - Our Treatment\nOur mesenchymal stem cells repair the pancreas in diabetes."
    + OFFER,
    "Células madre (MSC).- Nuestro tratamiento\nNuestras células madre mesenquimales reparan el páncreas en la "
    "diabetes." + OFFER,
])
def test_a_heading_with_an_abbreviation_and_a_dash_is_no_dateline(checker: Checker, text: str) -> None:
    assert ("msc", "diabetes") in pairs(checker.check_text(text))


@pytest.mark.parametrize("text", [
    "Stem cell therapy in Costa Rica. Scientists accuse the country of offering false hope to people with multiple "
    "sclerosis.",
    "Terapia con células madre en Costa Rica. Los científicos acusan al país de ofrecer falsas esperanzas a los "
    "pacientes con esclerosis múltiple.",
])
def test_offering_false_hope_is_a_warning_not_an_offer(checker: Checker, text: str) -> None:
    assert checker.check_text(text).stance == "inform"


def test_regulatory_cells_are_biology_not_a_regulator(checker: Checker) -> None:
    report = checker.check_text("Motor Neuron Disease\nStem cell therapy helps ALS patients: the cells restore "
                                "regulatory T cells and regulatory microenvironments in the spinal cord.")
    assert report.stance != "inform" and (SCU, "als") in pairs(report)


def test_a_page_that_opens_by_retelling_a_study_is_a_news_report(checker: Checker) -> None:
    report = checker.check_html(
        "<html><body><h1>Patient's own stem cells can treat a muscle disorder</h1>"
        "<p>A hospital in Canada has recently concluded a study on stem cells for myasthenia gravis.</p>"
        "<p>After the treatment using the stem cells, the patients have been symptom-free.</p></body></html>")
    assert report.stance == "inform" and not pairs(report)


def test_a_headline_under_the_blog_name_restating_the_study_below_is_no_claim(checker: Checker) -> None:
    report = checker.check_html(
        "<html><body><h1>Health Notes</h1><h2>Adult Stem Cell Therapy Puts Lupus Into Remission</h2>"
        "<p>As reported by a medical journal, in human trials people with severe lupus benefited from "
        "bone marrow stem cells.</p></body></html>")
    assert not pairs(report)


def test_a_heading_naming_only_the_therapy_borrows_no_condition(checker: Checker) -> None:
    report = checker.check_html(
        "<html><head><title>HSCT Part 4: The Treatment Itself</title></head><body>"
        "<h1>HSCT Part 4: The Treatment Itself</h1><h2>COVID threw us for a loop</h2>"
        "<p>The second day my caregiver was ill and stayed home.</p></body></html>")
    assert ("ahsct", "covid19") not in pairs(report)


@pytest.mark.parametrize(("text", "sentence"), [
    ("Stem Cell Therapy for COPD\nCurrent treatment for COPD brings only symptom relief." + OFFER,
     "Current treatment for COPD"),
    ("Células madre para la EPOC\nEl tratamiento médico actual para la EPOC se centra en el alivio de los síntomas."
     + OFFER, "El tratamiento médico actual"),
])
def test_standard_care_borrows_no_stem_cell_topic(checker: Checker, text: str, sentence: str) -> None:
    assert not [c for c in checker.check_text(text).claims if c.sentence.startswith(sentence)]


def test_chemotherapy_then_cells_implanted_back_is_ahsct_across_sentences(checker: Checker) -> None:
    found = pairs(checker.check_text(
        "Stem Cell Treatment for Lupus\nThe patient first receives very high doses of chemotherapy, which virtually "
        "destroys the immune system. The stem cells are then implanted back into the bone marrow. Our stem cell "
        "treatment puts lupus into remission." + OFFER))
    assert ("ahsct", "lupus") in found and (SCU, "lupus") not in found


def test_fat_drawn_and_processed_in_the_same_session_is_svf_in_spanish(checker: Checker) -> None:
    found = pairs(checker.check_text(
        "Opté por un tratamiento con concentrado de células mesenquimales para tratar la condromalacia. El "
        "concentrado se extrae de la grasa abdominal mediante un miniaspirado y se procesa en el mismo momento."
        + OFFER))
    assert ("svf", "musculoskeletal_injury") in found and ("msc", "musculoskeletal_injury") not in found


@pytest.mark.parametrize("text", [
    "Stem Cell Therapy for Knee Pain\nStem cells retrieved from a patient's adipose or fat tissue are injected into "
    "the knee. Our stem cell therapy relieves knee osteoarthritis." + OFFER,
    "Stem Cell Hair Restoration\nThe fat containing the stem cells is harvested from the abdomen and spun in a "
    "centrifuge. Our stem cell treatment reverses hair loss." + OFFER,
    "Terapia con células madre para la rodilla\nLa grasa se extrae del abdomen con una cánula fina. "
    "Nuestra terapia con células madre alivia la artrosis de rodilla." + OFFER,
    "Stem Cell Therapy in Turkey\nOur stem cell therapy treats hair loss with stem cells that are separated from "
    "the fats removed from the body." + OFFER,
])
def test_fat_named_as_what_is_harvested_makes_generic_cells_svf(checker: Checker, text: str) -> None:
    found = {t for t, _ in pairs(checker.check_text(text))}
    assert found == {"svf"}


@pytest.mark.parametrize("text", [
    # fat is one of several sources the page names, or the cells are grown: not the same-day product
    "Stem Cell Therapy for Knee Pain\nStem cells can be harvested from bone marrow or fat. Our stem cell therapy "
    "relieves knee osteoarthritis." + OFFER,
    "Terapia con células madre para la rodilla\nLas células se obtienen de la médula ósea o de la grasa. Nuestra "
    "terapia con células madre alivia la artrosis de rodilla." + OFFER,
])
def test_fat_as_one_of_several_sources_leaves_generic_cells_unspecified(checker: Checker, text: str) -> None:
    found = {t for t, _ in pairs(checker.check_text(text))}
    assert found == {SCU}


@pytest.mark.parametrize(("text", "product"), [
    ("Stem Cell Therapy for Erectile Dysfunction\nOur clinic offers stem cell therapy for erectile dysfunction. "
     "Bone marrow transplants have been used for decades to treat leukemia and lymphoma." + OFFER, SCU),
    ("Terapia con células madre para la artrosis\nOfrecemos terapia con células madre para la artrosis de rodilla. "
     "El trasplante de médula ósea se utiliza desde hace 50 años para tratar la leucemia." + OFFER, SCU),
    ("Stem Cell Treatment for MS\nWe offer aHSCT for multiple sclerosis. HSCT has treated leukemia for decades. "
     "Our stem cell treatment cures MS and repairs myelin." + OFFER, "ahsct"),
])
def test_a_transplant_told_for_its_textbook_use_is_not_the_pages_product(checker: Checker, text: str,
                                                                          product: str) -> None:
    """History of the accepted use ("transplants have treated leukaemia for decades") names no product:
    the page's generic "stem cells" stay what the page sells, and the history sentence flags nothing."""
    found = pairs(checker.check_text(text))
    assert found and {t for t, _ in found} == {product}
    assert not {c for _, c in found} & {"blood_cancer", "blood_disorder"}


@pytest.mark.parametrize("text", [
    "Stem cell therapy for diabetes\nWe offer stem cell therapy for diabetes. Bone marrow stem cell "
    "transplantations have been used for decades to treat leukemia." + OFFER,
    "Células madre para la diabetes\nOfrecemos terapia con células madre para la diabetes. El trasplante de células "
    "madre se usa desde hace décadas para tratar la leucemia y el linfoma." + OFFER,
    "Células-tronco para o diabetes\nOferecemos terapia com células-tronco para o diabetes. O transplante de "
    "células-tronco é usado há décadas para tratar a leucemia." + OFFER,
])
def test_a_stem_cell_transplant_for_blood_cancer_is_the_accepted_use_in_every_language(checker: Checker,
                                                                                         text: str) -> None:
    report = checker.check_text(text)
    told = [c for c in report.claims if c.condition.id == "blood_cancer"]
    assert told and not any(c.flagged for c in told)
    assert (SCU, "diabetes") in pairs(report)


@pytest.mark.parametrize(("text", "sentence"), [
    ("Stem Cell Therapy for Multiple Sclerosis\nOur mesenchymal stem cells help MS patients walk again. A typical "
     "treatment runs as follows: the stem cells are given by a licensed physician." + OFFER, "A typical treatment"),
    ("Terapia con células madre para la artrosis\nNuestras células madre regeneran el cartílago de la rodilla con "
     "artrosis. Las células madre se encuentran en los tejidos; hay diferentes tipos de terapias." + OFFER,
     "Las células madre se encuentran"),
    ("Terapia com células-tronco para a artrose\nNossas células-tronco regeneram a cartilagem do joelho com artrose. "
     "As células-tronco estão nos tecidos; há diferentes tipos de terapias." + OFFER, "As células-tronco estão"),
])
def test_a_word_that_only_names_the_treatment_borrows_no_page_condition(checker: Checker, text: str,
                                                                          sentence: str) -> None:
    """"A typical treatment runs as follows" names the treatment and says nothing of the page's condition;
    the page's own claim ("help MS patients walk again") still stands."""
    claims = checker.check_text(text).claims
    assert any(c.flagged for c in claims)
    assert not [c for c in claims if c.sentence.startswith(sentence)]


@pytest.mark.parametrize("text", [
    "Stem Cell Therapy for Multiple Sclerosis\nOur stem cell treatment helps patients regain their balance." + OFFER,
    "Terapia con células madre para la artrosis\nNuestro tratamiento con células madre alivia el dolor." + OFFER,
])
def test_a_treatment_said_to_do_good_still_borrows_the_page_condition(checker: Checker, text: str) -> None:
    assert [c for c in checker.check_text(text).claims if c.flagged and c.condition.method == "topic"]


@pytest.mark.parametrize(("text", "sentence"), [
    ("Stem Cell Therapy for Cerebral Palsy\nOur stem cells help children with cerebral palsy walk. Cerebral palsy "
     "comes with many complications and requires different types of therapy." + OFFER, "Cerebral palsy comes"),
    ("Terapia con células madre para la EPOC\nNuestras células madre mejoran la respiración en la EPOC. Este enfoque "
     "abre nuevas posibilidades para el tratamiento de la EPOC en el mundo." + OFFER, "Este enfoque"),
])
def test_a_word_that_only_names_a_treatment_lends_no_page_product(checker: Checker, text: str, sentence: str) -> None:
    claims = checker.check_text(text).claims
    assert any(c.flagged for c in claims)
    assert not [c for c in claims if c.sentence.startswith(sentence)]


@pytest.mark.parametrize("text", [
    "Mesenchymal stem cells in Mexico\nOur MSCs are grown in our own laboratory.\nMultiple Sclerosis Treatment\n"
    "Relapses and fatigue are the main complaints of our patients." + OFFER,
    "Células madre mesenquimales en México\nCultivamos nuestras células en laboratorio propio.\n"
    "- Tratamiento de la esclerosis múltiple: sesiones de cinco días." + OFFER,
])
def test_a_heading_or_list_line_naming_a_conditions_treatment_is_the_pages_service(checker: Checker, text: str) -> None:
    assert ("msc", "multiple_sclerosis") in pairs(checker.check_text(text))


@pytest.mark.parametrize(("text", "pair"), [
    ("Rheumatoid Arthritis\nThere is no cure for rheumatoid arthritis, only treatments that control it. However, "
     "stem cell therapy may be a new, more effective solution for rheumatoid arthritis.",
     (SCU, "rheumatoid_arthritis")),
    ("Caída del pelo\nEste tratamiento con exosomas puede ayudar con la caída del pelo.", ("exosome", "hair_loss")),
])
def test_a_hedged_sentence_on_a_page_that_neither_sells_nor_warns_is_a_hedged_claim(
        checker: Checker, text: str, pair: tuple[str, str]) -> None:
    report = checker.check_text(text)
    assert report.stance == "assert"
    hedged = [c for c in report.claims if c.flagged and (c.therapy.id, c.condition.id) == pair]
    assert hedged and any(f.category == "HEDGED" for c in hedged for f in c.context)


def test_a_reported_sentence_on_a_page_that_neither_sells_nor_warns_is_still_no_claim(checker: Checker) -> None:
    report = checker.check_text("Rheumatoid Arthritis\nRA is a chronic disease of the joints. A 2019 study reported "
                                "that stem cell therapy improved "
                                "rheumatoid arthritis in 20 patients.")
    assert report.stance == "assert" and not pairs(report)


@pytest.mark.parametrize("text", [
    "Exosomas en medicina estética\nLos exosomas, obtenidos a partir de células madre, reducen las arrugas." + OFFER,
    "Exosomas faciales\nLos exosomas se derivan principalmente de células madre mesenquimales y reducen las arrugas."
    + OFFER,
    "Exosome facials\nExosomes secreted by mesenchymal stem cells smooth wrinkles." + OFFER,
])
def test_cells_an_acellular_product_comes_from_are_its_source_not_a_second_product(checker: Checker,
                                                                                    text: str) -> None:
    assert pairs(checker.check_text(text)) == {("exosome", "aging")}


@pytest.mark.parametrize("page, denial", [
    ("Stem cells and MS\nOur clinic works with mesenchymal stem cells. Currently, there is no approved stem cell "
     "therapy for MS." + OFFER, "there is no approved"),
    ("Células madre y esclerosis múltiple\nNuestra clínica trabaja con células madre mesenquimales. Actualmente, no "
     "existe ninguna terapia aprobada de células madre para la EM." + OFFER, "no existe ninguna"),
], ids=["en", "es"])
def test_a_denial_applies_to_a_generic_mention_the_section_resolves(checker: Checker, page: str, denial: str) -> None:
    """"stem cells" in a denial stands for the section's one cell type (msc) and is still the denied word."""
    report = checker.check_text(page)
    at = page.index(denial)
    assert not [c for c in report.claims if c.start <= at < c.end]
    assert any(d["reason"] == "therapy negated" and d["start"] <= at < d["end"] for d in report.dismissed)
