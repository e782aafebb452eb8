"""No regular expression that sees page text backtracks catastrophically (issue 5).

Not a timed unit test: the bound is the growth from 100 KB to 200 KB of adversarial input (linear
doubles, quadratic quadruples, catastrophic explodes), not an absolute time. The benchmark
``benchmarks/regex_bench.py`` prints the timings.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest

from factcheck.parse.rules import RuleError, load_rules

_spec = importlib.util.spec_from_file_location(
    "regex_bench", Path(__file__).resolve().parent.parent / "benchmarks" / "regex_bench.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["regex_bench"] = bench
_spec.loader.exec_module(bench)


def _rule(pattern: str) -> list[dict[str, object]]:
    return [{"literal": "x", "category": "OFFER", "direction": "PAGE", "pattern": pattern}]


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a*)*b", "(?:\\w+\\s?)+$", "(\\d+)*x", "(a+){2,}", "(?:x*)+"])
def test_rule_loader_refuses_nested_quantifiers(pattern: str) -> None:
    with pytest.raises(RuleError, match="catastrophic"):
        load_rules(extra=_rule(pattern), include_default=False)


@pytest.mark.parametrize("pattern", ["((a+))+$", "((ab)+)+$", "(a|b+){2,}"])
def test_rule_loader_refuses_nested_quantifiers_through_an_extra_group(pattern: str) -> None:
    with pytest.raises(RuleError, match="catastrophic"):
        load_rules(extra=_rule(pattern), include_default=False)


def test_rule_loader_accepts_the_bundled_patterns_and_plain_quantifiers() -> None:
    assert [r for r in load_rules() if r.pattern]
    load_rules(extra=_rule("\\b\\d{1,3}(?:[,.]\\d{3})+ ?(?:usd|euros)\\b"), include_default=False)


def test_sentence_splitting_is_linear_on_a_long_run_of_dots() -> None:
    """Was quadratic: 140 s for 100,000 dots (found by benchmarks/regex_bench.py)."""
    from factcheck.parse.sentences import split_units

    def timed(n: int) -> float:
        started = time.perf_counter()
        split_units("." * n)
        split_units("Hi!? " * (n // 5))
        return time.perf_counter() - started

    small, large = timed(100_000), timed(200_000)
    assert max(large, 0.005) / max(small, 0.005) < 4, (small, large)


@pytest.mark.slow
def test_every_text_facing_pattern_stays_linear_on_adversarial_input() -> None:
    skip = bench.KNOWN_QUADRATIC
    small, large = bench.worst(100_000, repeat=2, skip=skip), bench.worst(200_000, repeat=2, skip=skip)
    assert small.keys() == large.keys() and len(small) >= 10
    floor = 0.005  # seconds: below this the ratio is timer noise
    slow = {name: (small[name], large[name]) for name in small
            if max(large[name][0], floor) / max(small[name][0], floor) >= 4}
    assert not slow, slow
    worst = max(t for t, _ in large.values())
    assert worst < 5.0, f"a pattern takes {worst:.1f} s on 200 KB"


@pytest.mark.parametrize("frag", ["<meta charset=", "<a b "])
def test_tag_pattern_is_linear_on_tags_that_never_close(frag: str) -> None:
    """Was quadratic: 7 s for 200 KB of '<meta charset=' (found by benchmarks/regex_bench.py)."""
    pattern = bench.pattern_named("factcheck.ingest.html._TAG_RE")
    texts = {n: (frag * (n // len(frag) + 1))[:n] for n in (25_000, 50_000)}
    small, large = (bench.timed(pattern, texts[n], 1) for n in (25_000, 50_000))
    assert max(large, 0.005) / max(small, 0.005) < 3, (small, large)
