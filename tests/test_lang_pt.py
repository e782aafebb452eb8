"""Portuguese pages end to end: the smaller Portuguese pack (aliases + cue rules) on pages written for the test."""

from __future__ import annotations

import pytest

from factcheck.checker import Checker
from tests.lang_helpers import LangPage


class Page(LangPage):
    default_lang = "pt"


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker()


def pairs(checker: Checker, text: str, *, lang: str = "pt") -> dict[tuple[str, str], str]:
    return Page(checker, text, lang).flagged()


def test_clinic_offer_is_flagged(checker: Checker) -> None:
    text = """Tratamento com células-tronco mesenquimais para esclerose múltipla e autismo

Nossa clínica oferece terapia com células-tronco mesenquimais do cordão umbilical.
As células-tronco ajudam na regeneração da mielina e melhoram a qualidade de vida.
Agende sua consulta pelo WhatsApp e peça seu orçamento: pacotes a partir de R$ 45.000.
"""
    got = pairs(checker, text)
    assert got == {("msc", "multiple_sclerosis"): "unproven", ("msc", "autism"): "unproven"}


def test_not_a_cure_is_no_claim(checker: Checker) -> None:
    text = """Perguntas frequentes

A terapia com células-tronco não é uma cura para a artrose e não há evidência de que regenere a cartilagem.
"""
    assert not pairs(checker, text)


def test_portuguese_no_is_in_the_not_a_negation(checker: Checker) -> None:
    # "no" = em + o: the English negation rule is not inherited (language.json rules_except)
    text = "Aplicamos células-tronco mesenquimais no tratamento do autismo. Agende sua consulta pelo WhatsApp."
    assert pairs(checker, text) == {("msc", "autism"): "unproven"}
    assert not pairs(checker, "Células-tronco não curam o autismo. Agende sua consulta pelo WhatsApp.")


def test_regulator_warning_raises_no_flag(checker: Checker) -> None:
    text = """Anvisa alerta: terapias com células-tronco não são autorizadas

A Anvisa adverte que o tratamento com células-tronco para autismo, esclerose lateral amiotrófica e lesão medular
é experimental, não aprovado e só pode ser feito em ensaios clínicos. Desconfie de promessas de cura e converse
com seu médico.
"""
    report = Page(checker, text)
    assert report.stance == "inform"
    assert not [c for c in report.claims if c.flagged]


def test_conditions_list_under_an_offer(checker: Checker) -> None:
    text = """Terapia com exossomos em São Paulo

Doenças que tratamos:
- Artrose do joelho
- Doença de Parkinson
- Queda de cabelo

Agende sua avaliação gratuita.
"""
    got = pairs(checker, text)
    assert {cond for ther, cond in got if ther == "exosome"} >= {"osteoarthritis", "parkinsons", "hair_loss"}


def test_portuguese_abbreviation_names_ahsct(checker: Checker) -> None:
    text = """Transplante para esclerose múltipla

Nossa clínica oferece o TCTH para pacientes com esclerose múltipla remitente-recorrente com surtos recentes.
Você não precisa de internação prolongada. Agende sua consulta.
"""
    claims = {(c.therapy.id, c.condition.id) for c in Page(checker, text).claims}
    assert ("ahsct", "multiple_sclerosis") in claims


def test_checker_reads_a_portuguese_page_with_the_portuguese_pack(checker: Checker) -> None:
    text = """Tratamento com células-tronco para autismo

Nossa clínica oferece tratamento com células-tronco para crianças com transtorno do espectro autista.
Os pais relatam melhora na fala e no contato visual. Agende sua consulta pelo WhatsApp.
"""
    report = checker.check_text(text)
    assert report.lang == "pt"
    assert {(c.therapy.id, c.condition.id) for c in report.claims if c.flagged} == {("stem_cell_unspecified", "autism")}


def test_research_being_studied_or_tested_is_reported(checker: Checker) -> None:
    # "tem sido estudada" / "está testando" retell research, like English "has been studied" / "is testing"
    for text in ["A terapia celular tem sido estudada como intervenção terapêutica para pacientes com autismo.",
                 "A universidade está testando células-tronco mesenquimais para tratar a esclerose múltipla."]:
        assert not pairs(checker, text), text
    assert pairs(checker, "A terapia celular é uma intervenção terapêutica para pacientes com autismo.")


def test_a_short_portuguese_sentence_reads_as_portuguese(checker: Checker) -> None:
    # "o" (the) and "e" (and) are Portuguese function words: read as Spanish, "no joelho" (in the knee)
    # would be a negation
    text = "A universidade está testando o implante de células-tronco no joelho para tratar a artrose."
    assert checker.resources.identifier.page_language(text) == "pt"
