"""Block-aware sentence units: a newline (block boundary) always ends a unit.

Within a line, a sentence ends where the language pack's sentence-end pattern matches (". " before
a capital, digit, quote or an opener such as "¿"), except after one of the pack's abbreviations.
"""

from __future__ import annotations

import functools
import re

from factcheck.lang.pack import LanguagePack, bundled_pack
from factcheck.parse.finder import finditer

#: how every pack's sentence-end pattern opens (lang/pack.py), and the characters it starts with
_NO_END_BEFORE = "(?<![.!?])"
_END_CHAR = re.compile("[.!?]")


@functools.cache
def english() -> LanguagePack:
    """The bundled English pack: the default when no language is given (read once per process)."""
    return bundled_pack("en")


def split_units(text: str, language: LanguagePack | None = None) -> tuple[tuple[int, int], ...]:
    """``(start, end)`` of every sentence-like unit, stripped of surrounding spaces (cached per text)."""
    language = english() if language is None else language
    # cached by what splitting reads of the pack, not by the pack object: the page coding's
    # English default and the checker's loaded English pack are two objects with the same rules
    return _split(text, language.sentence_end, language.spec.sentences.abbreviations)


# two entries: the lexicon, the cue finder and the linker ask for the same page in turn; more
# would pin large pages (and their offset lists) in memory across a batch
@functools.lru_cache(maxsize=2)
def _split(text: str, end: re.Pattern[str], abbreviations: tuple[str, ...]) -> tuple[tuple[int, int], ...]:
    units: list[tuple[int, int]] = []
    pos = 0
    finder = _finder(end)
    for line in text.split("\n"):
        line_start = pos
        pos += len(line) + 1
        cut = 0
        if finder is None or "." in line or "!" in line or "?" in line:  # else the finder cannot match
            for m in finditer(end, finder, line):
                head = line[max(0, m.start() - 6):m.start() + 1].lower()
                if head.endswith(abbreviations) and m.group(0).strip() == ".":  # a tuple: tested in C
                    continue
                # (_append, written out: a long page has tens of thousands of sentences)
                piece = line[cut:m.end()]
                stripped = piece.strip()
                if stripped:
                    first = line_start + cut + len(piece) - len(piece.lstrip())
                    units.append((first, first + len(stripped)))
                cut = m.end()
        _append(units, line, line_start, cut, len(line))
    return tuple(units)


def _append(units: list[tuple[int, int]], line: str, offset: int, start: int, end: int) -> None:
    piece = line[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        units.append((offset + start + lead, offset + start + lead + len(stripped)))


def _finder(end: re.Pattern[str]) -> re.Pattern[str] | None:
    """Where a match of the end pattern can start: at one of ``.!?``. A pattern that opens with a
    lookbehind is tried by ``re`` at every position of the text; the finder's first characters let
    ``re`` skip ahead, and the pattern is tried only there (parse/finder.py)."""
    return _END_CHAR if end.pattern.startswith(_NO_END_BEFORE + "[.!?]+") else None
