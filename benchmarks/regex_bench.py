"""ReDoS check: every regular expression that sees page text, against long adversarial strings.

    python benchmarks/regex_bench.py            # 100 KB and 200 KB inputs, prints the worst cases
    python benchmarks/regex_bench.py 1000000    # sizes in bytes/characters
    python benchmarks/regex_bench.py 100000 --all   # also time the known-quadratic patterns in full

Patterns: the context rules' ``pattern``s (factcheck/lang/en/context_rules.json), the verb-object
outcome phrases the lexicon compiles from the database, the conditions' scale patterns, and every
compiled pattern at module level in factcheck.parse.*, factcheck.ingest.* and factcheck.report.naming.
Inputs: long runs of single characters and repeats of fragments that start (but never finish) a match. A pattern that
backtracks catastrophically takes seconds on these and grows much faster than the input.
"""

from __future__ import annotations

import importlib
import re
import sys
import time
from collections.abc import Iterable, Iterator

MODULES = [
    "factcheck.parse.context", "factcheck.parse.lexicon", "factcheck.parse.normalize", "factcheck.parse.rules",
    "factcheck.parse.sentences", "factcheck.parse.claims", "factcheck.ingest.decode", "factcheck.ingest.html",
    "factcheck.ingest.sources", "factcheck.ingest.text", "factcheck.report.naming",
]
#: fragments that begin matches of the patterns above without completing them
FRAGMENTS = [
    "a", "1", " ", "\t", "<", "(", "'", ".", "-", "<a ", "<a b='", "</", "12.5 % ", "12 percent of ", "$1,", "1,000",
    "100 ", "only be available by taking part in an ", "only offered in the clinical ", "still in clinical ",
    "remain ", "is ", "(MSC", " (MS", "charset=", "<meta charset=", "<?xml encoding=", "A. ", "Dr. A", "e.g. ",
    "improve ", "improves the ", "stem cell ", "mesenchymal stem ", "cure ", "reverse ", "http://", "https://a",
    "%2e", "é", "ｍ", "\u00ad", "a" * 7 + " ", "EDSS ", "EDSS up to 1",
]


#: patterns only ever run on a bounded slice or anchored at one position: listed, not timed
BOUNDED = {
    "factcheck.parse.lexicon._WORD_BEFORE": "searches 40 characters before a term",
    "factcheck.parse.lexicon._WORD_AFTER": "searches 40 characters after a term",
    "factcheck.parse.lexicon._ABBR_DEF": "match() anchored at the end of a term",
    "factcheck.ingest.decode._XML_DECL_RE": "match() on the first 512 bytes",
    "factcheck.parse.rules._NESTED_QUANTIFIER": "runs on rule patterns, not on pages",
}
#: quadratic on adversarial input, reported (issue 5 note): timed separately on small inputs
#: patterns known to be super-linear, with the fragment that shows it (none now: ingest's _TAG_RE
#: was quadratic on "<" without ">" until it excluded "<" from the attribute run)
KNOWN_QUADRATIC: dict[str, str] = {}


def patterns() -> Iterator[tuple[str, re.Pattern[str] | re.Pattern[bytes]]]:
    import factcheck
    from factcheck.lang.pack import bundled_packs
    from factcheck.parse.rules import load_rules

    for rule in load_rules():
        if rule.pattern is not None:
            yield f"rule {rule.name}", re.compile(rule.pattern)
    for code, pack in bundled_packs().items():  # sentence ends are language data now
        yield f"sentence end ({code})", pack.sentence_end
        for i, narration in enumerate(pack.narration_patterns):  # narration verb forms, tried on claim sentences
            if narration is not None:
                yield f"narration {i} ({code})", narration
        for rule in pack.rules:
            if rule.pattern is not None and code != "en":
                yield f"rule {code} {rule.name}", re.compile(rule.pattern)
    checker = factcheck.load()
    for pattern, entry in checker.lexicon._phrases:
        yield f"verb-object {entry.id}", pattern
    for condition in checker.db.conditions.values():  # disability scales are data (EDSS for MS)
        if condition.scale is not None:
            yield f"scale {condition.id}", re.compile(condition.scale.pattern)
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{name}.{attr}", value


def inputs(size: int) -> Iterator[tuple[str, str]]:
    for frag in FRAGMENTS:
        yield repr(frag[:20]), (frag * (size // len(frag) + 1))[:size]


def timed(pattern: re.Pattern[str] | re.Pattern[bytes], text: str, repeat: int = 3) -> float:
    subject: str | bytes = text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _m in pattern.finditer(subject):  # type: ignore[arg-type]
            pass
        best = min(best, time.perf_counter() - started)
    return best


def worst(size: int, repeat: int = 3, skip: Iterable[str] = ()) -> dict[str, tuple[float, str]]:
    """Per pattern: the slowest time over the adversarial inputs of ``size``, and which input.

    Patterns in ``BOUNDED`` and ``skip`` are left out.
    """
    out: dict[str, tuple[float, str]] = {}
    cases = list(inputs(size))
    left_out = set(BOUNDED) | set(skip)
    for name, pattern in patterns():
        if name not in left_out:
            out[name] = max((timed(pattern, text, repeat), label) for label, text in cases)
    return out


def pattern_named(name: str) -> re.Pattern[str] | re.Pattern[bytes]:
    return dict(patterns())[name]


def main(argv: list[str]) -> int:
    small = int(argv[1]) if len(argv) > 1 else 100_000
    large = 2 * small
    skip = KNOWN_QUADRATIC if "--all" not in argv else {}
    a, b = worst(small, skip=skip), worst(large, skip=skip)
    rows = sorted(b, key=lambda n: -b[n][0])
    print(f"{'pattern':<60} {small:>9} {large:>9}  ratio  worst input")
    for name in rows:
        ratio = b[name][0] / max(a[name][0], 1e-4)
        print(f"{name[:60]:<60} {a[name][0] * 1000:8.1f}ms {b[name][0] * 1000:8.1f}ms {ratio:5.1f}  {b[name][1]}")
    top = rows[0]
    print(f"\nworst: {top} {b[top][0] * 1000:.1f} ms on {large} characters of {b[top][1]}")
    for name, frag in skip.items():
        pattern = pattern_named(name)
        t1, t2 = (timed(pattern, dict(inputs(n))[repr(frag[:20])], 1) for n in (small // 4, small // 2))
        print(f"known quadratic: {name}: {t1 * 1000:.0f} ms at {small // 4}, {t2 * 1000:.0f} ms at {small // 2} "
              f"(--all times it in full)")
    for name, why in BOUNDED.items():
        print(f"not timed: {name}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
