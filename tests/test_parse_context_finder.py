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


def _plain_literal_cues(finder, text: str) -> list[Cue]:
    """The literal pass as it was: every key of the rules in one automaton over the folded text, a hit kept
    where no alphanumeric stands right before or after it."""
    import ahocorasick

    from factcheck.parse.normalize import fold, normalize_key, to_original

    by_key: dict[str, list] = {}
    for rule in finder.rules:
        if rule.pattern is None:
            by_key.setdefault(normalize_key(rule.literal), []).append(rule)
    automaton = ahocorasick.Automaton()
    for key, bucket in by_key.items():
        automaton.add_word(key, (key, bucket))
    automaton.make_automaton()
    folded, offsets = fold(text)
    out = []
    for last, (key, bucket) in automaton.iter(folded):
        start, end = last - len(key) + 1, last + 1
        if (start > 0 and folded[start - 1].isalnum()) or (end < len(folded) and folded[end].isalnum()):
            continue
        o_start, o_end = to_original(offsets, start, end)
        out += [Cue(r.category, r.direction, o_start, o_end, text[o_start:o_end], r.name, r.max_scope, r.weight,
                    finder._barriers if r.category == "NEGATED" else ()) for r in bucket]
    return out


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_literal_cues_from_the_word_bounded_copy_are_the_plain_automaton_hits(lang: str) -> None:
    """The literal pass runs over a copy with every non-alphanumeric a space (keys written alike): the
    same cues, in the same order, as the plain pass with its boundary tests."""
    from factcheck.parse.normalize import fold

    finder = load_resources().cue_finder(lang)
    literals = sorted({r.literal for r in finder.rules if r.pattern is None})
    assert any(not w.replace(" ", "").isalnum() for w in literals), "no literal with punctuation: nothing tested"
    rng = random.Random(11)
    glue = [" ", "", ",", "-", "'", "\u2019", ".", "(", "\u00e9", "x", "1", "_", "\u00a0", "\u4e2d", "\n"]
    texts = _texts() + ["".join(rng.choice(literals) + rng.choice(glue) for _ in range(rng.randrange(1, 12)))
                        for _ in range(1500)]
    found = 0
    for text in texts:
        folded, offsets = fold(text)
        cues = finder._literal_cues(text, folded, offsets)
        assert cues == _plain_literal_cues(finder, text), text[:80]
        found += len(cues)
    assert found > 1000
