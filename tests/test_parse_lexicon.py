"""Term recognition from database aliases: spelling variants, invisible characters, abbreviations."""

from __future__ import annotations

import pytest

from factcheck.checker import Checker


def _ids(checker: Checker, text: str, label: str) -> list[str]:
    return [t.id for t in checker.lexicon.find(text) if t.label == label]


@pytest.mark.parametrize(
    "text",
    [
        "We use mesenchymal stem cells.",
        "We use mesenchymal stromal cells.",
        "We use Mesenchymal Stem-Cells.",
        "We use MSCs.",
        "We use MSC's.",
        "We use Wharton's jelly MSCs.",
        "We use Whartons jelly cells.",
        "We use mesenchymal stem\u00adcells.",
        "We use M\u200bSCs.",
        "We use ｍｅｓｅｎｃｈｙｍａｌ stem cells.",
        "We use mesenchymal stem сells.",  # Cyrillic es
    ],
)
def test_msc_variants_resolve_to_msc(checker: Checker, text: str) -> None:
    assert "msc" in _ids(checker, text, "THERAPY")


def test_match_offsets_slice_original_text_even_with_invisible_characters(checker: Checker) -> None:
    text = "Offer: mesen\u00adchymal stem cells for multiple\u200b sclerosis."
    for term in checker.lexicon.find(text):
        assert text[term.start:term.end] == term.text
    assert {"msc", "multiple_sclerosis"} <= {t.id for t in checker.lexicon.find(text)}


def test_accents_nfc_and_nfd_both_match(checker: Checker) -> None:
    nfc = "Tratamiento para la esclerosis m\u00faltiple"
    nfd = "Tratamiento para la esclerosis mu\u0301ltiple"
    assert _ids(checker, nfc, "CONDITION") == ["multiple_sclerosis"]
    assert _ids(checker, nfd, "CONDITION") == ["multiple_sclerosis"]


def test_misspelling_matches_fuzzily_with_score(checker: Checker) -> None:
    terms = [t for t in checker.lexicon.find("treatment with mesenchymal stem cells for multiple scelrosis")
             if t.label == "CONDITION"]
    assert terms and terms[0].id == "multiple_sclerosis"
    assert terms[0].method == "fuzzy" and 70 <= terms[0].score < 100


def test_real_words_near_alias_words_are_not_corrected(checker: Checker) -> None:
    assert not [t for t in checker.lexicon.find("neurodegeneration is a process") if t.method == "fuzzy"]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Stem cells for peripheral neuropathy, diabetic neuropathy and polyneuropathy."),
    ("es", "Células madre para la neuropatía periférica, las neuropatías y la polineuropatía."),
    ("pt", "Células-tronco para a neuropatia periférica e as neuropatias."),
])
def test_neuropathy_is_not_read_as_nephropathy(checker: Checker, lang: str, text: str) -> None:
    # one letter from "nephropathy" (kidney disease), and a disease of its own: nerves, not kidneys
    assert "kidney_disease" not in {t.id for t in checker.lexicon.find(text, lang)}


@pytest.mark.parametrize(("lang", "text", "not_meant"), [
    ("es", "Las células madre alivian la ansiedad y las conductas repetitivas del autismo.", "aging"),
    ("es", "Terapia con células madre para artistas y deportistas con artrosis.", "autism"),
    ("es", "Terapia con células madre con decencia y ética para la artrosis.", "alzheimers"),
    ("en", "Stem cell therapy for knee arthritis: the boldness of a new treatment.", "hair_loss"),
    ("en", "Stem cells for knee arthritis, with concessions for seniors.", "traumatic_brain_injury"),
])
def test_common_words_one_letter_from_a_condition_are_not_corrected(
        checker: Checker, lang: str, text: str, not_meant: str) -> None:
    # found by running the most frequent words of each language through the misspelling correction
    assert not_meant not in {t.id for t in checker.lexicon.find(text, lang) if t.label == "CONDITION"}


@pytest.mark.parametrize("name", ["degeneración macular asociada al envejecimiento",
                                  "degeneración macular relacionada con la edad", "degeneración macular senil"])
def test_a_spanish_name_of_amd_is_one_condition_not_also_ageing(checker: Checker, name: str) -> None:
    assert {t.id for t in checker.lexicon.find(f"Células madre para la {name}.", "es")
            if t.label == "CONDITION"} == {"macular_degeneration"}


def test_abbreviation_is_case_sensitive(checker: Checker) -> None:
    assert "multiple_sclerosis" in _ids(checker, "Living with MS is hard.", "CONDITION")
    assert "multiple_sclerosis" not in _ids(checker, "Ms Smith wrote ms word files.", "CONDITION")
    assert "multiple_sclerosis" not in _ids(checker, "Export to MS Office.", "CONDITION")


def test_page_defined_abbreviation_becomes_an_alias(checker: Checker) -> None:
    text = "We offer umbilical cord mesenchymal stem cells (UCXQ). UCXQ infusions help lupus."
    terms = [t for t in checker.lexicon.find(text) if t.method == "page_abbreviation"]
    assert terms and terms[0].id == "msc" and terms[0].text == "UCXQ"


def test_page_defined_abbreviation_is_found_where_the_plain_regex_finds_it(checker: Checker) -> None:
    import re

    text = ("We offer umbilical cord mesenchymal stem cells (UCXQ). UCXQs, UCXQ's and 2UCXQ, xUCXQ, UCXQy,\n"
            "UCXQ-based (UCXQ) UCXQUCXQ UCXQ")
    found = [(t.start, t.end) for t in checker.lexicon.find(text) if t.method == "page_abbreviation"]
    plain = [m.span() for m in re.finditer(r"(?<![A-Za-z0-9])UCXQ(?:'?s)?(?![A-Za-z0-9])", text)]
    assert found == plain and len(found) == 6


def test_hidden_word_boundaries_prevent_partial_matches(checker: Checker) -> None:
    assert not _ids(checker, "The SMSC committee met on ALSace street.", "THERAPY")


def test_ordinary_words_in_capitals_are_not_read_as_abbreviations(checker: Checker) -> None:
    assert not _ids(checker, "STEM CELL THERAPY FOR ALL", "CONDITION")
    assert _ids(checker, "Stem cells for ALL and AML", "CONDITION") == ["blood_cancer", "blood_cancer"]
    assert _ids(checker, "HSCT FOR MS PATIENTS", "CONDITION") == ["multiple_sclerosis"]


def test_plant_stem_cell_cosmetics_are_not_a_therapy(checker: Checker) -> None:
    assert not _ids(checker, "Our serum with apple stem cells smooths wrinkles.", "THERAPY")


def test_look_alike_letters_match_but_are_reported(checker: Checker) -> None:
    report = checker.check_text("Our clinic offers mesenchymal stem сells for multiple sclerosis. Book now.")
    assert report.claims and report.claims[0].therapy.id == "msc"
    assert any("look-alike letters" in w for w in report.warnings)


def test_an_abbreviation_followed_by_a_number_is_a_code(checker: Checker) -> None:
    # "CD-133 cells" are a cell marker, not Crohn's disease (CD)
    assert "crohns" not in _ids(checker, "We inject autologous CD-133 (+) stem cells and CD 34 cells.", "CONDITION")
    assert "crohns" in _ids(checker, "Stem cells for CD (Crohn's disease) and UC.", "CONDITION")
