"""parse/finder.py: a pattern tried only where its boundary-free finder matches gives finditer's matches."""

from __future__ import annotations

import random
import re

import pytest

import factcheck
from factcheck.parse.finder import _split_top_level, boundary_free_finder, finditer

PATTERNS = [
    r"\bour (?:[a-z'’-]+ ){1,2}patients\b",
    r"\b100 ?(?:%|percent)",
    r"(?:\$|usd ?|€) ?\d{1,3}(?:[,.]\d{3})+|\b\d{1,3}(?:[,.]\d{3})+ ?(?:usd|dollars)\b",
    r"\bsi\b(?![,.!?:])|\bno [|] bar",
    r"(?<![a-z])\bwe\b|\bi\b",
    r"[\]|(]x|\b\(y\)",
]


def _texts(rng: random.Random) -> list[str]:
    pieces = ["our ", "patients", "100", "%", " percent", "$", "usd", "1,000", "12.345", " dollars", "si", "si,",
              "no | bar", "we", "i", "x", "]x", "|x", "(y)", " ", "ours", "a", "-", "’", "\n", "wei", "é"]
    return ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40))) for _ in range(2000)]


def test_split_keeps_classes_groups_and_escapes_whole() -> None:
    assert _split_top_level(r"a|[|]b|(c|d)|\|e") == ["a", "[|]b", "(c|d)", r"\|e"]
    assert _split_top_level(r"[]|]|x") == ["[]|]", "x"]
    assert _split_top_level("(a|b") is None


def test_finders_are_made_only_where_they_help_and_are_safe() -> None:
    assert boundary_free_finder(re.compile(r"\bour patients")).pattern == "our patients"  # type: ignore[union-attr]
    assert boundary_free_finder(re.compile(r"our patients")) is None  # nothing to remove
    assert boundary_free_finder(re.compile(r"\b(?:a)?")) is None  # can match the empty string
    assert boundary_free_finder(re.compile(r"(?x)\b a | b")) is None  # inline flags: not cut


@pytest.mark.parametrize("source", PATTERNS)
def test_matches_are_those_of_plain_finditer(source: str) -> None:
    pattern = re.compile(source)
    finder = boundary_free_finder(pattern)
    assert finder is not None
    for text in _texts(random.Random(11)):
        assert [m.span() for m in finditer(pattern, finder, text)] == [m.span() for m in pattern.finditer(text)]


def test_the_cue_rules_find_the_same_matches_with_their_finders() -> None:
    checker = factcheck.load()
    rng = random.Random(5)
    texts = [*_texts(rng), "in 95% of patients improve; 100 percent; only available in clinical trials; "
             "our ms patients; segun nuestra experiencia; segundo a"]
    for lang in ("en", "es", "pt"):
        finder_of = checker.resources.cue_finder(lang)
        for (pattern, _rule), finder in zip(finder_of._patterns, finder_of._finders, strict=True):
            for text in texts:
                assert [m.span() for m in finditer(pattern, finder, text)] == \
                    [m.span() for m in pattern.finditer(text)], pattern.pattern
