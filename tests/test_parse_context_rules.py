"""Context cue rules: validated on load, extendable by users, applied in the ConText manner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from factcheck.parse.context import CueFinder, governs
from factcheck.parse.rules import RuleError, load_rules


def test_bundled_rules_load_and_cover_every_category() -> None:
    rules = load_rules()
    categories = {r.category for r in rules}
    assert {"NEGATED", "HEDGED", "REPORTED", "HYPOTHETICAL", "GUARANTEE", "OFFER", "DISCLAIMER",
            "WARNING", "OTHER_TREATMENT", "TERMINATE", "PSEUDO"} <= categories


def test_rule_with_unknown_key_or_category_is_refused_with_its_index(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_text(json.dumps({"rules": [
        {"literal": "ok", "category": "OFFER", "direction": "PAGE"},
        {"literal": "bad", "category": "NOPE", "direction": "PAGE", "colour": "red"},
    ]}))
    with pytest.raises(RuleError) as err:
        load_rules(path)
    message = str(err.value)
    assert "rules[1].category" in message and "rules[1].colour" in message and str(path) in message


def test_pattern_with_nested_quantifier_is_refused() -> None:
    with pytest.raises(RuleError, match="catastrophic"):
        load_rules(extra=[{"literal": "x", "category": "OFFER", "direction": "PAGE", "pattern": "(a+)+$"}],
                   include_default=False)


def test_reports_is_refused_on_a_rule_that_is_not_a_look_alike() -> None:
    with pytest.raises(RuleError, match=r"rules\[0\].*PSEUDO"):
        load_rules(extra=[{"literal": "x", "category": "OFFER", "direction": "PAGE", "reports": True}],
                   include_default=False)


def test_names_treatment_is_refused_on_a_rule_that_is_not_a_benefit_word() -> None:
    with pytest.raises(RuleError, match=r"rules\[0\].*BENEFIT"):
        load_rules(extra=[{"literal": "x", "category": "OFFER", "direction": "PAGE", "names_treatment": True}],
                   include_default=False)


def test_price_is_refused_on_a_rule_that_is_not_an_offer() -> None:
    with pytest.raises(RuleError, match=r"rules\[0\].*OFFER"):
        load_rules(extra=[{"literal": "x", "category": "WARNING", "direction": "PAGE", "price": True}],
                   include_default=False)


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_every_language_marks_its_price_words_and_only_offers(lang: str) -> None:
    rules = load_rules(lang=lang)
    priced = [r for r in rules if r.price]
    assert priced and all(r.category == "OFFER" for r in priced)
    # a call to action is never a price: a page that asks for a booking sells
    assert not any(r.price for r in rules if r.literal in {"book now", "contact us", "agende su cita", "fale conosco"})


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_every_language_marks_its_words_for_a_treatment(lang: str) -> None:
    finder = CueFinder(load_rules(lang=lang))
    nouns = {name.split(":", 1)[1] for name in finder.treatment_nouns}
    assert nouns and nouns <= {"treatment", "treatments", "therapy", "therapies", "tratamiento", "tratamientos",
                               "terapia", "terapias", "tratamento", "tratamentos"}


def test_a_retold_offer_masks_the_offer_and_reports() -> None:
    finder = CueFinder(load_rules(extra=[{"literal": "clinics that sell", "category": "PSEUDO", "direction": "PSEUDO",
                                          "masks_offers": True, "reports": True}], include_default=False)
                       + load_rules(extra=[{"literal": "sell", "category": "OFFER", "direction": "PAGE"}],
                                    include_default=False))
    categories = {c.category for c in finder.find("Beware of clinics that sell stem cells for autism.")}
    assert categories == {"PSEUDO", "REPORTED"}


def test_user_rule_is_found_in_text() -> None:
    finder = CueFinder(load_rules(extra=[{"literal": "reserve your spot", "category": "OFFER",
                                          "direction": "PAGE"}]))
    assert any(c.category == "OFFER" and c.text == "Reserve your spot" for c in finder.find("Reserve your spot!"))


@pytest.mark.parametrize(("text", "target", "expected"), [
    ("HSCT does not regenerate nerves", "regenerate nerves", True),
    ("HSCT is not only safe, it regenerates nerves", "regenerates nerves", False),  # pseudo-negation
    ("There is no cure, but stem cells regenerate nerves", "regenerate nerves", False),  # terminated
    ("Stem cells regenerate nerves; no side effects", "regenerate nerves", False),  # negation looks forward
])
def test_negation_scope(text: str, target: str, expected: bool) -> None:
    finder = CueFinder(load_rules())
    cues = finder.find(text)
    start = text.index(target)
    negated = any(c.category == "NEGATED" and governs(c, start, start + len(target), text, cues) for c in cues)
    assert negated is expected


def test_every_cue_category_is_documented() -> None:
    import typing
    from pathlib import Path

    from factcheck.parse.rules import Category

    doc = Path(__file__).resolve().parent.parent / "docs" / "cue-rules.md"
    if not doc.exists():
        pytest.skip("docs/ is not shipped with an installed package")
    text = doc.read_text(encoding="utf-8")
    missing = [c for c in typing.get_args(Category) if f"| `{c}` |" not in text]
    assert not missing, f"docs/cue-rules.md does not describe {missing}"
