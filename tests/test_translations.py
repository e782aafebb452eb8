"""Aliases in other languages (``translations``): validated with located errors, indexed by the lexicon."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from factcheck.db import DataError, load_db
from factcheck.parse.lexicon import Lexicon


def _write(folder: Path, rel: str, data: dict[str, Any]) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _condition(translations: dict[str, Any]) -> dict[str, Any]:
    return {"id": "toy_fever", "name": "Toy fever", "aliases": ["toy fever"], "abbreviations": ["TFV"],
            "subtypes": [{"id": "toy_chronic", "name": "Chronic toy fever", "aliases": ["chronic toy fever"],
                          "translations": {"es": {"aliases": ["fiebre de juguete crónica"]}}}],
            "translations": translations}


@pytest.fixture(scope="module")
def user_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("translated")
    _write(folder, "conditions/toy_fever.yaml", _condition(
        {"es": {"aliases": ["fiebre de juguete"], "abbreviations": ["FJG"]},
         "pt": {"aliases": ["febre de brinquedo"], "abbreviations": ["FBQ"]}}))
    _write(folder, "outcomes/toy_relief.yaml", {
        "id": "toy_relief", "name": "Toy relief", "outcome_class": "symptom_relief", "cues": ["toy relief"],
        "translations": {"es": {"cues": ["alivio de juguete"],
                                "verb_object": [{"verbs": ["aliviar"], "objects": ["fiebre de juguete"]}]}}})
    return folder


def test_translated_aliases_load_and_are_matched_in_any_language(user_db: Path) -> None:
    db = load_db(user_db)
    assert db.conditions["toy_fever"].translations["es"].aliases == ["fiebre de juguete"]
    lexicon = Lexicon.from_db(db)
    for lang in ("en", "es", "pt"):
        found = {(t.label, t.id) for t in lexicon.find("Tratamos la fiebre de juguete y la febre de brinquedo.", lang)}
        assert ("CONDITION", "toy_fever") in found
    subtypes = [t for t in lexicon.find("Casos de fiebre de juguete crónica.", "es") if t.label == "SUBTYPE"]
    assert [(t.id, t.parent) for t in subtypes] == [("toy_chronic", "toy_fever")]
    outcomes = {t.id for t in lexicon.find("Promete alivio de juguete.", "es") if t.label == "OUTCOME"}
    assert outcomes == {"toy_relief"}


def test_language_abbreviations_are_read_only_in_their_language(user_db: Path) -> None:
    lexicon = Lexicon.from_db(load_db(user_db))
    text = "Tratamos FJG, FBQ y TFV."

    def found(lang: str) -> set[str]:
        return {t.text for t in lexicon.find(text, lang) if t.id == "toy_fever"}

    assert found("es") == {"FJG", "TFV"}
    assert found("pt") == {"FBQ", "TFV"}
    assert found("en") == {"TFV"}  # top-level (English) abbreviations are read everywhere


def test_translated_verb_object_cue_is_indexed(user_db: Path) -> None:
    lexicon = Lexicon.from_db(load_db(user_db))
    assert "toy_relief" in {t.id for t in lexicon.find("Queremos aliviar tu fiebre de juguete.", "es")}


@pytest.mark.parametrize(
    ("translations", "field", "message"),
    [
        ({"xx": {"aliases": ["toy"]}}, "translations.xx", "unknown language 'xx'"),
        ({"en": {"aliases": ["toy"]}}, "translations.en", "top-level alias fields are English"),
        ({"es": {"alias": ["fiebre"]}}, "translations.es.alias", "unknown key 'alias'"),
        ({"ES": {"aliases": ["fiebre"]}}, "translations.ES.[key]", "should match pattern"),
    ],
)
def test_bad_translations_are_rejected_with_file_line_and_field(
    tmp_path: Path, translations: dict[str, Any], field: str, message: str
) -> None:
    path = _write(tmp_path, "conditions/toy_fever.yaml", _condition(translations))
    with pytest.raises(DataError) as info:
        load_db(tmp_path)
    issue = info.value.issues[0]
    assert issue.path == str(path)
    assert issue.field == field
    assert message in issue.message
    key = next(part for part in reversed(field.split(".")) if part != "[key]")
    assert path.read_text(encoding="utf-8").splitlines()[issue.line - 1].strip().startswith(f"{key}:")


def test_a_translated_alias_may_not_name_another_condition(tmp_path: Path) -> None:
    path = _write(tmp_path, "conditions/toy_fever.yaml", _condition({"es": {"aliases": ["multiple sclerosis"]}}))
    with pytest.raises(DataError) as info:
        load_db(tmp_path)
    issue = info.value.issues[0]
    assert (issue.path, issue.field) == (str(path), "translations.es.aliases[0]")
    assert "also an alias of 'multiple_sclerosis'" in issue.message


def test_a_language_abbreviation_may_be_reused_by_another_language(tmp_path: Path) -> None:
    _write(tmp_path, "conditions/toy_fever.yaml", _condition({"es": {"abbreviations": ["TYQ"]}}))
    other = _condition({"pt": {"abbreviations": ["TYQ"]}})
    other.update(id="toy_cough", name="Toy cough", aliases=["toy cough"], abbreviations=[], subtypes=[])
    _write(tmp_path, "conditions/toy_cough.yaml", other)
    db = load_db(tmp_path)
    lexicon = Lexicon.from_db(db)
    assert {t.id for t in lexicon.find("TYQ", "es")} == {"toy_fever"}
    assert {t.id for t in lexicon.find("TYQ", "pt")} == {"toy_cough"}
    same = _condition({"pt": {"abbreviations": ["TFV"]}})
    same.update(id="toy_cough", name="Toy cough", aliases=["toy cough"], abbreviations=[], subtypes=[])
    _write(tmp_path, "conditions/toy_cough.yaml", same)
    with pytest.raises(DataError, match=r"abbreviation 'TFV' is also an abbreviation of 'toy_(fever|cough)'"):
        load_db(tmp_path)
