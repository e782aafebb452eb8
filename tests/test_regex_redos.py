"""No regular expression that sees page text backtracks catastrophically (issue 5).

No assertion here is on a wall-clock figure. A linear-time check measures the *growth* of this
process's CPU time (``time.process_time``: other processes on a busy machine do not count) from n
to 4n characters of adversarial input, best of a few runs: linear work grows 4x, quadratic 16x,
catastrophic explodes. The bound is 10x, a margin timer noise does not reach once both runs take
more than a floor of 5 ms. The timings themselves live in ``benchmarks/regex_bench.py``.
"""

from __future__ import annotations

import importlib.util
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from factcheck.parse.rules import RuleError, load_rules

_spec = importlib.util.spec_from_file_location(
    "regex_bench", Path(__file__).resolve().parent.parent / "benchmarks" / "regex_bench.py")
assert _spec is not None and _spec.loader is not None
bench = importlib.util.module_from_spec(_spec)
sys.modules["regex_bench"] = bench
_spec.loader.exec_module(bench)


#: linear grows 4x from n to 4n, quadratic 16x
GROWTH_BOUND = 10.0
#: CPU seconds below which a ratio is timer resolution, not growth
FLOOR = 0.005


def cpu_time(work: Callable[[], object], repeat: int = 3) -> float:
    """Best-of-``repeat`` CPU time of ``work`` in this process (immune to other processes' load)."""
    best = float("inf")
    for _ in range(repeat):
        started = time.process_time()
        work()
        best = min(best, time.process_time() - started)
    return best


def growth(small: float, large: float) -> float:
    return max(large, FLOOR) / max(small, FLOOR)


def finditer_all(pattern: re.Pattern[str] | re.Pattern[bytes], text: str) -> Callable[[], object]:
    subject: str | bytes = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
    return lambda: sum(1 for _ in pattern.finditer(subject))  # type: ignore[arg-type]


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

    def work(n: int) -> Callable[[], object]:
        return lambda: (split_units("." * n), split_units("Hi!? " * (n // 5)))

    small, large = cpu_time(work(50_000)), cpu_time(work(200_000))
    assert growth(small, large) < GROWTH_BOUND, (small, large)


@pytest.mark.slow
def test_every_text_facing_pattern_stays_linear_on_adversarial_input() -> None:
    skip = set(bench.KNOWN_QUADRATIC) | set(bench.BOUNDED)
    named = [(name, pattern) for name, pattern in bench.patterns() if name not in skip]
    assert len(named) >= 10
    n = 50_000
    small_inputs, large_inputs = dict(bench.inputs(n)), dict(bench.inputs(4 * n))
    slow = {}
    for name, pattern in named:
        for label, text in small_inputs.items():
            small = cpu_time(finditer_all(pattern, text), repeat=1)
            large = cpu_time(finditer_all(pattern, large_inputs[label]), repeat=1)
            if growth(small, large) >= GROWTH_BOUND:
                # confirm with best-of-3 on both sizes before calling it super-linear
                small, large = (cpu_time(finditer_all(pattern, t)) for t in (text, large_inputs[label]))
                if growth(small, large) >= GROWTH_BOUND:
                    slow[name] = (label, small, large)
    assert not slow, slow


@pytest.mark.parametrize("frag", ["<meta charset=", "<a b "])
def test_tag_pattern_is_linear_on_tags_that_never_close(frag: str) -> None:
    """Was quadratic: 7 s for 200 KB of '<meta charset=' (found by benchmarks/regex_bench.py)."""
    pattern = bench.pattern_named("factcheck.ingest.html._TAG_RE")
    texts = {n: (frag * (n // len(frag) + 1))[:n] for n in (25_000, 100_000)}
    small, large = (cpu_time(finditer_all(pattern, texts[n])) for n in (25_000, 100_000))
    assert growth(small, large) < GROWTH_BOUND, (small, large)
