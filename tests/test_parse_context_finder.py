"""The cue finder's short cuts (literal prefilter, PSEUDO masking by sorted intervals) change no cue."""

from __future__ import annotations

import copy
import random
from pathlib import Path

import pytest

from factcheck.parse.context import Cue, _Overlaps
from factcheck.resources import load_resources

ROOT = Path(__file__).resolve().parents[1]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "examples" / "pages").iterdir())]
    rng = random.Random(7)
    words = " ".join(texts).split()[:4000]
    # shuffled words: cue phrases next to numbers, prices and look-alike (PSEUDO) phrases they were not written with
    texts += [" ".join(rng.choice(words) for _ in range(400)) for _ in range(20)]
    texts += ["Not only 95% of our patients improved: $12,000 per treatment, 3 of 10 walked.",
              "No es solo un 90% de mejoria; según estudios, 100% seguro. Não só 80% de sucesso."]
    return texts


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_cues_are_the_same_without_the_literal_prefilter(lang: str) -> None:
    finder = load_resources().cue_finder(lang)
    plain = copy.copy(finder)
    plain._filtered = frozenset()  # every pattern scanned as re.finditer does
    assert finder._filtered, "the prefilter takes no pattern: the test compares nothing"
    for text in _texts():
        assert finder.find(text) == plain.find(text), text[:80]


def test_overlap_index_answers_as_the_pairwise_test() -> None:
    rng = random.Random(3)
    for _ in range(300):
        spans = [(s, s + rng.randrange(1, 12)) for s in (rng.randrange(0, 200) for _ in range(rng.randrange(1, 15)))]
        cues = [Cue("PSEUDO", "PSEUDO", s, e, "", "r", None) for s, e in spans]
        index = _Overlaps(cues)
        for start in range(0, 210, 3):
            end = start + rng.randrange(1, 15)
            assert index.hits(start, end) == any(start < e and s < end for s, e in spans)
