"""Language identification per page and per block; a page's language selects its pack and its spaCy pipeline."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

import factcheck
from factcheck.checker import Checker
from factcheck.ingest.html import html_to_page
from factcheck.ingest.text import text_to_page
from factcheck.lang.identify import LanguageIdentifier
from factcheck.lang.pack import bundled_packs

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_CASES = SHARED / "corpus" / "dev" / "cases.jsonl"


@pytest.mark.skipif(not DEV_CASES.exists(), reason="needs ../shared/corpus/dev")
def test_every_dev_page_gets_its_labelled_language(checker: Checker) -> None:
    cases = [json.loads(line) for line in DEV_CASES.read_text(encoding="utf-8").splitlines() if line.strip()]
    wrong = []
    for case in cases:
        make = html_to_page if case["format"] == "html" else text_to_page
        report = checker.check_page(make(case["text"], source=case["id"]))
        if report.to_report_dict()["lang"] != case.get("lang", "en"):
            wrong.append((case["id"], report.lang, case.get("lang", "en")))
    assert {case.get("lang", "en") for case in cases} >= {"en", "es"}
    assert wrong == []


@pytest.mark.parametrize(("text", "lang"), [
    ("Our clinic offers treatment for patients who have not found relief with other therapies.", "en"),
    ("Nuestra clínica ofrece el tratamiento a los pacientes que no han encontrado alivio con otras terapias.", "es"),
    ("Nossa clínica oferece o tratamento aos pacientes que não encontraram alívio com outras terapias.", "pt"),
    ("¿Quién puede recibir el tratamiento?", "es"),
    ("Stem cells", "en"),  # nothing votes: the default
])
def test_short_texts(text: str, lang: str) -> None:
    assert LanguageIdentifier(bundled_packs()).guess(text).lang == lang


def _toy_db(folder: Path) -> Path:
    condition: dict[str, Any] = {
        "id": "toy_fever", "name": "Toy fever", "aliases": ["toy fever"],
        "translations": {"es": {"aliases": ["fiebre de juguete"], "abbreviations": ["FJG"]},
                         "pt": {"aliases": ["febre de brinquedo"], "abbreviations": ["FBQ"]}}}
    path = folder / "conditions" / "toy_fever.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(condition, allow_unicode=True), encoding="utf-8")
    return folder


ENGLISH_WITH_SPANISH_TESTIMONIAL = (
    "Stem Cell Treatment at Our Clinic\n"
    "We offer mesenchymal stem cell therapy to patients from all over the world. Book your consultation today.\n"
    "Testimonials\n"
    "Mi hija tiene FJG desde hace años y después de las células madre mesenquimales ya puede caminar sola, "
    "muchas gracias a todo el equipo de la clínica por su atención.\n"
    "Patients with FJG are welcome too, and our team will answer all of your questions by email.\n"
)


def test_a_spanish_block_on_an_english_page_reads_spanish_abbreviations(tmp_path: Path) -> None:
    checker = factcheck.load(db_paths=[_toy_db(tmp_path / "db")])
    page = text_to_page(ENGLISH_WITH_SPANISH_TESTIMONIAL, source="mixed")
    assert checker.resources.identifier.page_language(page.text) == "en"
    spans = checker._block_languages(page, "en")
    assert spans is not None and [lang for _, _, lang in spans] == ["es"]
    start, end, _ = spans[0]
    assert page.text[start:end].startswith("Mi hija tiene FJG")
    for fast in (True, False):
        checker.fast = fast
        report = checker.check_page(page)
        assert report.lang == "en"
        # (claims that borrow the page's one condition as their topic point at its first mention too)
        fjg = sorted({c.condition.start for c in report.claims
                      if c.condition.text == "FJG" and c.condition.method != "topic"})
        # the Spanish abbreviation counts in the Spanish testimonial only, not in the English sentence
        assert fjg == [page.text.index("FJG")], fast


SPANISH_PAGE = (
    "Tratamiento con células madre mesenquimales para la fiebre de juguete\n"
    "¿Quién puede recibir el tratamiento? Los pacientes con FJG de todas las edades. "
    "La Dra. Pérez y su equipo le atienden de lunes a viernes. ¡Agende su cita por WhatsApp!\n"
)
PORTUGUESE_PAGE = (
    "Tratamento com células-tronco mesenquimais (MSC) para a febre de brinquedo\n"
    "Nossa clínica oferece o tratamento para pacientes com FBQ. Você não precisa de encaminhamento médico, "
    "agende sua consulta pelo WhatsApp.\n"
)


@pytest.mark.parametrize(("text", "lang", "abbreviation"),
                         [(SPANISH_PAGE, "es", "FJG"), (PORTUGUESE_PAGE, "pt", "FBQ")])
def test_a_page_in_another_language_gets_its_pack_and_spacy_blank_of_its_language(
        tmp_path: Path, text: str, lang: str, abbreviation: str) -> None:
    checker = factcheck.load(db_paths=[_toy_db(tmp_path / "db")])
    report, doc = checker.check_doc(text)
    assert report.lang == lang
    assert doc is not None and doc.lang_ == lang
    # the therapy's Spanish/Portuguese aliases are the vocabulary curators' (the spanish branch)
    assert report.claims and {c.condition.id for c in report.claims} == {"toy_fever"}
    assert abbreviation in {t.text for t in checker.analyze(text, lang=lang).terms if t.id == "toy_fever"}
    assert abbreviation not in {t.text for t in checker.analyze(text, lang="en").terms if t.id == "toy_fever"}
    # the full pipeline on the language's own spacy.blank gives the same claims
    checker.fast = False
    full = checker.check_text(text)
    assert [c.to_report_dict() for c in full.claims] == [c.to_report_dict() for c in report.claims]
    assert checker.nlp_for(lang).lang == lang
    # evidence reasons stay English (a quoted list heading such as '¿Quién puede recibir...?' is page text)
    assert all(re.sub(r"'[^']*'", "", c.reason).isascii() for c in report.claims)


def _every_block_guessed(ident: LanguageIdentifier, text: str, blocks: list[tuple[int, int]],
                         page_lang: str) -> list[tuple[int, int, str]]:
    """``block_languages`` as it was: ``guess`` on every block long enough to vote."""
    out: list[tuple[int, int, str]] = []
    for start, end in blocks:
        chunk = text[start:end]
        if chunk.count(" ") + 1 < 8:
            continue
        g = ident.guess(chunk)
        if g.lang != page_lang and g.votes >= 3.0 and g.votes >= 2.0 * g.runner_up:
            if out and out[-1][2] == g.lang and out[-1][1] >= start - 1:
                out[-1] = (out[-1][0], end, g.lang)
            else:
                out.append((start, end, g.lang))
    return out


MIXED_LINES = [
    "We offer mesenchymal stem cell therapy to patients from all over the world, as a day procedure.",
    "Mi hija tiene parálisis desde hace años y después de las células madre ya puede caminar sola.",
    "Nossa clínica oferece o tratamento aos pacientes que não encontraram alívio com outras terapias.",
    "¿Quién puede recibir el tratamiento? Los pacientes de todas las edades, de lunes a viernes.",
    "A patient, a doctor, a nurse and a friend do a walk: no pain, no fear, a good day, a new life.",
    "ℌ İSTANBUL ΣΟΦΟΣ ﬁnal Ⓐ DE LA QUE Y EN EL POR PARA CON UNA — mixed case and compatibility forms.",
    "São Paulo, ação, coração, não, são, irmãos e irmãs: a família está em casa com os filhos.",
    "España, año, niño, señor: el niño y la niña están en la escuela con los demás niños del barrio.",
    # votes that only the accents' folding (nao, sao, ate) or the distinctive letters (ñ) give, three at least
    "Até logo, também sabemos bem, você entende tudo agora",
    "Señor Muñoz, niño sabe bien, gente contenta hoy ok",
    "short line",
    "",
    "de la que y en el los las del por para con una un su sus al lo le se es son más",
]


@pytest.mark.parametrize("page_lang", ["en", "es", "pt"])
def test_block_languages_equals_guessing_every_block(page_lang: str) -> None:
    ident = LanguageIdentifier(bundled_packs())
    # a line of many distinct characters: the page goes through NFKD whole
    many = " ".join(chr(c) for c in range(0x4E00, 0x4E60)) + " e a o de da do"
    for order in (MIXED_LINES, MIXED_LINES[::-1], MIXED_LINES[3:] + MIXED_LINES[:3], [many, *MIXED_LINES]):
        text = "\n".join(order)
        blocks, pos = [], 0
        for line in order:
            blocks.append((pos, pos + len(line)))
            pos += len(line) + 1
        expected = _every_block_guessed(ident, text, blocks, page_lang)
        assert ident.block_languages(text, blocks, page_lang) == expected
        assert expected  # some line is in another language whatever the page's
        # blocks that are not whole lines: every block is guessed
        halves = [(s, (s + e) // 2) for s, e in blocks] + [((s + e) // 2, e) for s, e in blocks]
        halves.sort()
        assert ident.block_languages(text, halves, page_lang) == _every_block_guessed(ident, text, halves, page_lang)
