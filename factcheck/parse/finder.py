"""``pattern.finditer`` sped up for patterns whose alternatives start with ``\\b``.

Python's ``re`` looks for where a match can start by its first characters (a literal prefix or a
set of first characters), which it cannot do past a leading ``\\b``: such a pattern is tried at
every position of the page. The same pattern without those leading ``\\b`` (the *finder*) matches
wherever the pattern does, and ``re`` finds its candidates quickly; the pattern is then tried only
where the finder matches, in order, going on after each match as ``finditer`` does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from re import _parser as _p  # type: ignore[attr-defined]  # re's own parser (Python 3.11+)


def boundary_free_finder(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` with the ``\\b`` that opens its top-level alternatives removed, or None when that
    gains nothing (no alternative opens with ``\\b``) or is not known to be safe (verbose syntax,
    or a pattern that can match the empty string).

    Each alternative without its leading ``\\b`` matches wherever the alternative does, so the
    finder matches at every place the pattern matches (and maybe more: those are tried and fail).
    """
    source, flags = pattern.pattern, pattern.flags
    if flags & re.VERBOSE or "(?" in source.replace("(?:", "").replace("(?=", "").replace(
            "(?!", "").replace("(?<", ""):
        return None  # inline flags or comments: the text is not cut as the parser reads it
    alternatives = _split_top_level(source)
    if alternatives is None or not any(a.startswith(r"\b") for a in alternatives):
        return None
    try:
        if _p.parse(source, flags).getwidth()[0] == 0:
            return None  # finditer's handling of empty matches is not reproduced
        for a in alternatives:
            re.compile(a, flags)  # each piece stands alone: the cut fell between alternatives
        return re.compile("|".join(a[2:] if a.startswith(r"\b") else a for a in alternatives), flags)
    except re.error:
        return None


def finditer(pattern: re.Pattern[str], finder: re.Pattern[str] | None, text: str) -> Iterator[re.Match[str]]:
    """The matches of ``pattern.finditer(text)``, tried only where ``finder`` matches."""
    if finder is None:
        yield from pattern.finditer(text)
        return
    pos = 0
    search, match = finder.search, pattern.match
    while (c := search(text, pos)) is not None:
        p = c.start()
        m = match(text, p)
        if m is not None:
            yield m
            pos = m.end()  # never empty: the pattern cannot match the empty string
        else:
            pos = p + 1


def _split_top_level(source: str) -> list[str] | None:
    """``source`` cut at its top-level ``|`` (outside groups, classes and escapes)."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    in_class = False
    while i < len(source):
        ch = source[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            # a "]" right after "[" or "[^" is a member, not the end
            if source.startswith("^", i + 1):
                i += 1
            if source.startswith("]", i + 1):
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth < 0:
                return None
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
        i += 1
    if depth != 0 or in_class:
        return None
    parts.append(source[start:])
    return parts
