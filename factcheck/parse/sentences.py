"""Block-aware sentence units: a newline (block boundary) always ends a unit."""

from __future__ import annotations

import functools
import re

# a sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
# digit or quote; abbreviations such as "Dr." or "e.g." are not ends
# (?<![.!?]): a match starts only at the first mark of a run, else a long run of dots ("......" x 100k)
# is rescanned from every position: quadratic (140 s for 100,000 dots; found by benchmarks/regex_bench.py)
_END = re.compile(r"(?<![.!?])[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[A-Z0-9\"'\u201c\u2018(\[])")
_ABBREVIATIONS = ("dr.", "mr.", "mrs.", "ms.", "prof.", "e.g.", "i.e.", "vs.", "etc.", "no.", "st.", "approx.")


# two entries: the lexicon, the cue finder and the linker ask for the same page in turn; more
# would pin large pages (and their offset lists) in memory across a batch
@functools.lru_cache(maxsize=2)
def split_units(text: str) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of every sentence-like unit, stripped of surrounding spaces (cached per text)."""
    units: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        cut = 0
        for m in _END.finditer(line):
            head = line[max(0, m.start() - 6):m.start() + 1].lower()
            if any(head.endswith(a) for a in _ABBREVIATIONS) and m.group(0).strip() == ".":
                continue
            _append(units, line, line_start, cut, m.end())
            cut = m.end()
        _append(units, line, line_start, cut, len(line))
    return tuple(units)


def _append(units: list[tuple[int, int]], line: str, offset: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        units.append((offset + start + lead, offset + start + lead + len(stripped)))
