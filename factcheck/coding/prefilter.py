"""Which coding rules can match a page at all: one Aho-Corasick pass instead of a regex scan each.

Every cue rule is a case-insensitive regular expression, and Python's ``re`` finds no literal or
character-set prefix in a pattern that starts with ``\\b(?:...)`` under ``IGNORECASE``: each rule
walks the whole page position by position (~1-10 ms a rule on a long clinic page). Most rules
name words, though: from the parsed pattern we derive a set of lower-case ASCII strings of which
*every* match must contain one (``required_literals``). A page whose lower-cased text holds none of
a rule's strings cannot match that rule, and the rule's scan is skipped; otherwise it runs as
before, so the spans found are exactly those of the plain scan.

Why lower-cased text is enough: under ``IGNORECASE`` an ASCII letter of a pattern matches a text
character whose lower case is that letter, or one of four non-ASCII characters (``İ ı ſ K``,
``CASE_TWINS``). A page holding one of those is not filtered (every rule runs). Literals are only
taken from ASCII characters of the pattern; anything else (classes, ``\\w``, optional parts,
non-ASCII letters) breaks a literal run and is not required.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable, Iterator
from re import _constants as _c  # type: ignore[attr-defined]  # re's own parser (Python 3.11+)
from re import _parser as _p  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

#: the non-ASCII characters that ``re.IGNORECASE`` matches to an ASCII letter (tests check this
#: against every code point)
CASE_TWINS = frozenset("\u0130\u0131\u017f\u212a")
#: literals shorter than this are not worth requiring (a one-letter word is on every page)
MIN_LITERAL = 2
#: a rule is tried only where its start strings are when none is shorter than this
MIN_START = 1
#: ... unless there are more than DENSE_AFTER of them on the page, more than one per DENSE_EVERY
#: characters: then the plain scan is cheaper
DENSE_AFTER = 32
DENSE_EVERY = 24

_Req = frozenset[str] | None
_ASCII = bytes(range(128))


def has_case_twin(text: str) -> bool:
    """Does ``text`` hold one of ``CASE_TWINS``? Four substring searches in C: ``isdisjoint(text)``
    makes a string object of every character of the page (~20 ms on a 1 MB page)."""
    return not text.isascii() and any(c in text for c in CASE_TWINS)


def required_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case ASCII strings one of which every match of ``pattern`` contains (``None``: unknown).

    Conservative: ``None`` whenever the pattern's structure is not understood.
    """
    try:
        parsed = _p.parse(pattern, flags)
    except Exception:  # pragma: no cover - the rules were compiled already
        return None
    return _seq(list(parsed))


def _better(a: _Req, b: _Req) -> _Req:
    """The more selective requirement: longer shortest string, then fewer strings."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _lit(code: int) -> str | None:
    if code < 128:
        return chr(code).lower()
    return None


def _seq(items: list[tuple[Any, Any]]) -> _Req:
    best: _Req = None
    run = ""

    def close() -> None:
        nonlocal best, run
        if len(run) >= MIN_LITERAL:
            best = _better(best, frozenset({run}))
        run = ""

    for op, av in items:
        if op is _c.LITERAL and (ch := _lit(av)) is not None:
            run += ch
            continue
        if op in (_c.AT, _c.ASSERT_NOT):
            # zero-width: the literal run goes on across a word boundary; a negative lookaround
            # requires nothing and consumes nothing
            if op is _c.ASSERT_NOT:
                close()
            continue
        close()
        best = _better(best, _element(op, av))
    close()
    return best


def _element(op: Any, av: Any) -> _Req:
    if op is _c.SUBPATTERN:
        return _seq(list(av[-1]))
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _seq(list(av))
    if op is _c.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            req = _seq(list(alt))
            if req is None:
                return None
            out |= req
        return frozenset(out)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT) or op is getattr(_c, "POSSESSIVE_REPEAT", None):
        lo, _hi, item = av
        return _seq(list(item)) if lo >= 1 else None
    if op is _c.ASSERT:  # a positive lookaround: its text is on the page too
        return _seq(list(av[1]))
    return None


def prefix_literals(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """Lower-case ASCII strings one of which every match of ``pattern`` *starts* with (``None``:
    unknown). Zero-width tests (``\\b``, lookarounds) before the first character are passed over."""
    try:
        parsed = _p.parse(pattern, flags)
    except Exception:  # pragma: no cover - the rules were compiled already
        return None
    return _first(list(parsed))


def alternatives(pattern: str, flags: int = 0) -> list[tuple[_Req, _Req]]:
    """``(required, prefix)`` literals of each top-level alternative of ``pattern``.

    ``\\b(?:a|b)c`` has the alternatives ``\\bac`` and ``\\bbc``: a match of the pattern is a match
    of one of them. A pattern without a leading alternation is its own single alternative.
    """
    alts = _top_alternatives(pattern, flags)
    if alts is None:  # pragma: no cover - the rules were compiled already
        return [(None, None)]
    return [(_seq(alt), _first(alt)) for alt in alts]


def _top_alternatives(pattern: str, flags: int) -> list[list[tuple[Any, Any]]] | None:
    """The parsed items of each top-level alternative (the leading zero-width tests kept in each)."""
    try:
        items = list(_p.parse(pattern, flags))
    except Exception:  # pragma: no cover - the rules were compiled already
        return None
    lead = 0
    while lead < len(items) and items[lead][0] in _ZERO_WIDTH:
        lead += 1
    alts: list[list[tuple[Any, Any]]] = [items]
    if lead < len(items):
        op, av = items[lead]
        if op is _c.SUBPATTERN and len(av[-1]) == 1 and av[-1][0][0] is _c.BRANCH:
            op, av = av[-1][0]
        if op is _c.BRANCH:
            alts = [items[:lead] + list(alt) + items[lead + 1:] for alt in av[1]]
    return alts


_ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
_REPEATS = tuple(op for op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) if op is not None)
#: UTF-8 / ASCII bytes -> "1" for an ASCII digit, "0" for anything else (``digit_runs``)
_DIGIT_MAP = bytes(49 if 48 <= c <= 57 else 48 for c in range(256))
_ONES = re.compile(b"1+")
_DIGITS = re.compile(r"\d+")
#: beyond this many distinct non-ASCII characters a page is not mapped one character at a time
MANY_CHARS = 64


@functools.lru_cache(maxsize=4)  # the page, its folded copy: asked by prices, country and both prefilters
def digit_runs(text: str) -> tuple[tuple[int, int], ...]:
    r"""The spans of ``re.finditer(r"\d+", text)``, found in C at memory speed.

    ``re`` tries a class at every character (~25 ns each); here each distinct non-ASCII character
    becomes one ASCII character in place ("1" for a decimal digit, as ``\d`` reads it, else "a"),
    every byte a "1" or a "0", and the runs of "1" are found by their literal first byte.
    """
    if not text.isascii():
        chars = set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode("utf-8", "surrogatepass"))
        if len(chars) > MANY_CHARS:  # one pass per character would cost more than re's scan
            return tuple(m.span() for m in _DIGITS.finditer(text))
        for char in chars:
            text = text.replace(char, "1" if char.isdecimal() else "a")
    return tuple(m.span() for m in _ONES.finditer(text.encode("ascii").translate(_DIGIT_MAP)))


def digit_reach(pattern: re.Pattern[str]) -> int | None:
    r"""How far before its first digit a match of ``pattern`` can start, when every match holds a
    ``\d`` that starts a run of them and only non-digits before it (``(?:\$|usd ?) ?\d{1,3}``: 5;
    ``\b\d+ %``: 0); None when that is not known.

    Each top-level alternative must open with elements of bounded width that never match a digit
    (zero-width tests aside) and then an element that starts with ``\d``; the character before
    that digit is one of those elements', or, when they may match nothing, the alternative holds a
    ``\b`` (which then stands right before the digit). Such a pattern need only be tried within
    that many characters before each run of digits (``digit_anchored``).
    """
    if _p.parse(pattern.pattern, pattern.flags).getwidth()[0] == 0:
        return None
    alts = _top_alternatives(pattern.pattern, pattern.flags)
    if not alts:
        return None
    reach = 0
    for items in alts:
        lo = hi = 0
        boundary = False
        for op, av in items:
            if op in _ZERO_WIDTH:
                boundary = boundary or (op is _c.AT and av is _c.AT_BOUNDARY)
                continue
            if _digit_first(op, av):
                if lo == 0 and not boundary:
                    return None
                reach = max(reach, hi)
                break
            if not _no_digit(op, av):
                return None
            width = _p.SubPattern(_p.State(), [(op, av)]).getwidth()
            lo, hi = lo + width[0], hi + width[1]
            if hi >= _c.MAXREPEAT:
                return None
        else:
            return None
    return reach


def _digit_first(op: Any, av: Any) -> bool:
    r"""Does every match of the element start with a ``\d`` character?"""
    if op is _c.IN:
        return list(av) == [(_c.CATEGORY, _c.CATEGORY_DIGIT)]
    if op in _REPEATS:
        lo, _hi, item = av
        return lo >= 1 and len(item) > 0 and _digit_first(*item[0])
    if op is _c.SUBPATTERN:
        return len(av[-1]) > 0 and _digit_first(*av[-1][0])
    if op is _c.BRANCH:
        return all(len(alt) > 0 and _digit_first(*alt[0]) for alt in av[1])
    return False


def _no_digit(op: Any, av: Any) -> bool:
    r"""Does the element never match a ``\d`` character (zero-width tests inside allowed)?"""
    if op in _ZERO_WIDTH:
        return True
    if op is _c.LITERAL:
        return not chr(av).isdecimal()
    if op is _c.IN:
        return all((o is _c.LITERAL and not chr(a).isdecimal())
                   or (o is _c.RANGE and not _decimal_in(*a))
                   or (o is _c.CATEGORY and a in (_c.CATEGORY_SPACE, _c.CATEGORY_NOT_DIGIT, _c.CATEGORY_NOT_WORD))
                   for o, a in av)
    if op in _REPEATS:
        return all(_no_digit(o, a) for o, a in av[2])
    if op is _c.SUBPATTERN:
        return all(_no_digit(o, a) for o, a in av[-1])
    if op is _c.BRANCH:
        return all(_no_digit(o, a) for alt in av[1] for o, a in alt)
    return False


@functools.lru_cache(maxsize=256)
def _decimal_in(lo: int, hi: int) -> bool:
    return any(chr(c).isdecimal() for c in range(lo, hi + 1))


def digit_anchored(pattern: re.Pattern[str], text: str, reach: int) -> Iterator[tuple[int, int]]:
    """The spans of ``pattern.finditer(text)`` for a pattern of ``digit_reach`` ``reach``: tried only
    at the places up to ``reach`` characters before each run of digits, in order, going on after
    each match as ``finditer`` does (every match starts at one of them, before its first digit)."""
    match = pattern.match
    pos = 0
    tried = -1
    for r, _ in digit_runs(text):
        if r < pos:
            continue
        for p in range(max(pos, tried + 1, r - reach), r + 1):
            m = match(text, p)
            if m is not None and m.end() > p:
                yield p, m.end()
                pos = m.end()
                break
        tried = r


def digit_led(items: list[tuple[Any, Any]]) -> bool:
    r"""Does every match of the sequence ``items`` start with a digit right after a ``\b``
    (``\b\d{1,3}...``)? Such a match starts where a run of digits starts a word."""
    boundary = False
    for op, av in items:
        if op in _ZERO_WIDTH:
            boundary = boundary or (op is _c.AT and av is _c.AT_BOUNDARY)
            continue
        return boundary and _starts_with_digit(op, av)
    return False


def word_led(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    r"""For a sequence that starts with a run of word characters after a ``\b`` and goes on with a
    string that starts with a non-word character (``\b\w+ (?:months?|weeks?) later``): those
    strings (`` month``, `` week``); a match starts where the word before one of them starts.
    None for any other sequence, or strings too short to be worth looking for."""
    boundary = False
    for i, (op, av) in enumerate(items):
        if op in _ZERO_WIDTH:
            boundary = boundary or (op is _c.AT and av is _c.AT_BOUNDARY)
            continue
        if not (boundary and _word_run(op, av)):
            return None
        follow = _first(items[i + 1:], extend=True)
        if follow is None or min(map(len, follow)) < 3 or any(_is_word(w[0]) for w in follow):
            return None
        return follow
    return None


def _word_run(op: Any, av: Any) -> bool:
    """Does the element only ever match a non-empty string of word characters?"""
    if op is _c.IN:
        return bool(av) and all(
            (o is _c.CATEGORY and a in (_c.CATEGORY_WORD, _c.CATEGORY_DIGIT))
            or (o is _c.LITERAL and a < 128 and _is_word(chr(a)))
            or (o is _c.RANGE and _ascii_word_range(a)) for o, a in av)
    if op is _c.LITERAL:
        return av < 128 and _is_word(chr(av))
    if op in _REPEATS:
        lo, _hi, item = av
        return lo >= 1 and len(item) > 0 and all(_word_run(o, a) for o, a in item)
    if op is _c.SUBPATTERN:
        return len(av[-1]) > 0 and all(_word_run(o, a) for o, a in av[-1])
    if op is _c.BRANCH:
        return all(len(alt) > 0 and all(_word_run(o, a) for o, a in alt) for alt in av[1])
    return False


def _ascii_word_range(bounds: tuple[int, int]) -> bool:
    lo, hi = bounds
    return any(a <= lo and hi <= b for a, b in ((48, 57), (65, 90), (97, 122)))


def _words_before(follow: Any, lower: str, text: str, bounded: str | None = None) -> set[int]:
    """Where the word (a run of word characters) before each ``follow`` string in ``lower`` starts.

    ``bounded``: ``" "`` + ``lower`` with every non-word character a space, where word characters
    are those of ``text`` (``RuleFilter._bounded``): the word's start is found by ``str.rfind``."""
    if bounded is not None:
        # the last space at or before offset q of ``bounded`` is the character before the word
        # that ends at q - 1 of ``lower`` (p == q: no word there)
        return {p for end, w in follow.iter(lower)
                if (p := bounded.rfind(" ", 0, (q := end - len(w) + 1) + 1)) < q}
    out: set[int] = set()
    for end, w in follow.iter(lower):
        q = end - len(w) + 1
        p = q
        while p > 0 and _is_word(text[p - 1]):
            p -= 1
        if p < q:
            out.add(p)
    return out


def _starts_with_digit(op: Any, av: Any) -> bool:
    if op is _c.IN:
        return bool(av) and all(
            (o is _c.CATEGORY and a is _c.CATEGORY_DIGIT) or (o is _c.LITERAL and 48 <= a <= 57)
            or (o is _c.RANGE and 48 <= a[0] <= a[1] <= 57) for o, a in av)
    if op in _REPEATS:
        lo, _hi, item = av
        return lo >= 1 and len(item) > 0 and _starts_with_digit(*item[0])
    if op is _c.SUBPATTERN:
        return len(av[-1]) > 0 and _starts_with_digit(*av[-1][0])
    return False


def _automaton_of(words: set[str]) -> Any:
    """An Aho-Corasick automaton whose values are the words themselves (None for no words)."""
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    for w in words:
        automaton.add_word(w, w)
    automaton.make_automaton()
    return automaton


def starts_at_word_boundary(pattern: str, flags: int = 0) -> bool:
    """True when every top-level alternative of ``pattern`` (as ``alternatives`` splits it) has a
    ``\\b`` among the zero-width tests before its first character."""
    alts = _top_alternatives(pattern, flags)
    return alts is not None and all(_leading_boundary(alt) for alt in alts)


def _leading_boundary(items: list[tuple[Any, Any]]) -> bool:
    for op, av in items:
        if op not in _ZERO_WIDTH:
            return False
        if op is _c.AT and av is _c.AT_BOUNDARY:
            return True
    return False


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # re's \w on str


#: UTF-8 bytes with every ASCII non-word character (re's ``\W``) a space, other bytes kept
_NON_WORD_SPACE = bytes(32 if c < 128 and not _is_word(chr(c)) else c for c in range(256))
#: beyond this many start strings a pattern is not anchored (and the set is not grown further)
_MAX_STARTS = 2000


def _first(items: list[tuple[Any, Any]], extend: bool = False) -> _Req:
    """The strings every match of the sequence ``items`` starts with (``None``: unknown).

    ``extend``: read on through groups and alternations after a literal run ("ab(?:c|d)" gives "abc",
    "abd" rather than "ab"), up to a repeat: the fixed strings that follow a word."""
    run = ""
    for i, (op, av) in enumerate(items):
        if op is _c.LITERAL and (ch := _lit(av)) is not None:
            run += ch
            continue
        if op in _ZERO_WIDTH:
            continue  # zero-width: the next character is still the next of the match
        if run and not extend:
            return frozenset({run})
        rest = items[i + 1:]
        tail: _Req = None
        if op is _c.SUBPATTERN:
            tail = _first(list(av[-1]) + rest, extend)
        elif op is _c.BRANCH:
            tail = _union([_first(list(alt) + rest, extend) for alt in av[1]])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and not extend:  # a follow string stops at a repeat
            lo, hi, item = av
            # an item that may repeat is followed by itself, not by ``rest``: "(?:ab)+c" starts "ab"
            once = _first(list(item) + rest, extend) if hi == 1 else _first(list(item), extend)
            tail = once if lo >= 1 else _union([once, _first(rest, extend)])
        if tail is None:
            return frozenset({run}) if run else None
        return _union([frozenset(run + t for t in tail)]) if run else tail
    return frozenset({run}) if run else None


def _union(sets: list[_Req]) -> _Req:
    out: set[str] = set()
    for req in sets:
        if req is None:
            return None
        out |= req
        if len(out) > _MAX_STARTS:
            return None
    return frozenset(out)


class PageText:
    """What the rules' literal tests need of one page."""

    __slots__ = ("aligned", "bounded", "digit_starts", "lower", "plans", "present", "starts", "word_starts")

    def __init__(self, lower: str, present: set[str], aligned: bool) -> None:
        self.lower = lower
        self.present = present
        #: each pattern's plan on this page (``_Rule.plan``)
        self.plans: dict[str, str] = {}
        #: ``lower`` has the text's offsets (no character changed length when lower-cased)
        self.aligned = aligned
        #: start string -> its offsets in ``lower``, for the rules without short start strings
        #: (``RuleFilter._starts``), found on first use
        self.starts: dict[str, list[int]] | None = None
        #: start string -> its offsets in ``lower`` where a word starts, for the rules that begin
        #: at ``\b`` (``RuleFilter._word_starts``); found on first use; False: not available
        self.word_starts: dict[str, list[int]] | bool | None = None
        #: " " + ``lower`` with every non-word character a space (``RuleFilter._bounded``); False:
        #: not available (a character whose lower case is not a word character as it is)
        self.bounded: str | bool | None = None
        #: where a run of digits starts a word, for the rules with digit-led alternatives
        self.digit_starts: list[int] | None = None


class _Rule:
    """One pattern's literal tests: each alternative's required and start strings."""

    __slots__ = ("alts", "digits", "finder", "follow", "longest", "short", "start_words", "word_start")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        # (the rules files compile every pattern case-insensitively)
        alts = alternatives(pattern.pattern, pattern.flags) if pattern.flags & re.IGNORECASE else [(None, None)]
        items = _top_alternatives(pattern.pattern, pattern.flags) if pattern.flags & re.IGNORECASE else None
        led = ([digit_led(alt) for alt in items] if items is not None and len(items) == len(alts)
               else [False] * len(alts))
        #: some alternative starts with a digit at a word start (tried where digits start a word)
        self.digits = any(led)
        word = ([word_led(alt) for alt in items] if items is not None and len(items) == len(alts)
                else [None] * len(alts))
        follows = set().union(*(w for w in word if w is not None))
        #: the strings after a leading word of some alternatives (tried where that word starts)
        self.follow: Any = _automaton_of(follows)
        #: (required strings, whether the alternative's matches start at a start string, a digit or
        #: the word before a follow string)
        self.alts = [(req, (starts is not None and min(map(len, starts)) >= MIN_START) or by_digit
                      or by_word is not None)
                     for (req, starts), by_digit, by_word in zip(alts, led, word, strict=True)]
        starts_all = set().union(*(starts for _, starts in alts if starts is not None))
        self.finder: Any = None
        self.longest = max(map(len, starts_all), default=0)
        #: the start strings that may be everywhere on a page
        self.short = sorted(w for w in starts_all if len(w) <= 2)
        self.start_words = tuple(sorted(starts_all))
        #: every match starts where a word does (``\b`` before a word character)
        self.word_start = bool(starts_all) and all(_is_word(w[0]) for w in starts_all) and (
            bool(pattern.flags & re.IGNORECASE) and starts_at_word_boundary(pattern.pattern, pattern.flags))
        if any(anchored for _, anchored in self.alts) and starts_all:
            self.finder = ahocorasick.Automaton()
            for w in starts_all:
                self.finder.add_word(w, len(w))
            self.finder.make_automaton()

    def words(self) -> set[str]:
        return set().union(*(req for req, _ in self.alts if req is not None))

    def plan(self, present: set[str]) -> str:
        """"skip" (no alternative can match), "anchored" (each that can starts at a start string) or "scan"."""
        possible = [anchored for req, anchored in self.alts if req is None or not req.isdisjoint(present)]
        if not possible:
            return "skip"
        return "anchored" if all(possible) else "scan"


class RuleFilter:
    """The literal tests of many patterns, looked up in one pass over a page."""

    def __init__(self, patterns: Iterable[re.Pattern[str]]) -> None:
        self._rules: dict[str, _Rule] = {}
        words: set[str] = set()
        for p in patterns:
            if p.pattern not in self._rules:
                rule = self._rules[p.pattern] = _Rule(p)
                words |= rule.words()
        self._automaton: Any = _automaton_of(words)
        # the start strings of every anchored rule without short ones, found in one pass per page
        # instead of one pass per rule (a rule with a short start string may be dense on the page
        # and keeps its own finder, counted first)
        self._starts: Any = _automaton_of(
            {w for r in self._rules.values() if r.finder is not None and not r.short for w in r.start_words})
        # the start strings of the rules that begin at a word boundary, each after a space, for a
        # copy of the page with every non-word character a space: only the places where a word
        # starts with one come out ("we" starts few words but is inside many: "were", "between")
        self._word_starts: Any = None
        bounded: dict[str, list[str]] = {}
        for r in self._rules.values():
            if r.finder is not None and r.word_start:
                for w in r.start_words:
                    key = " " + w.encode().translate(_NON_WORD_SPACE).decode()
                    if w not in bounded.setdefault(key, []):
                        bounded[key].append(w)
        if bounded:
            self._word_starts = ahocorasick.Automaton()
            for key, ws in bounded.items():
                # a start string of word characters only is its own key: where the key is, it is
                # (the copy changes no word character); the others are told apart by the text
                sure = key[1:] if key[1:] in ws else None
                self._word_starts.add_word(key, (len(key) - 1, sure, tuple(w for w in ws if w != sure)))
            self._word_starts.make_automaton()

    def page(self, text: str) -> PageText | None:
        """The page's lower-cased text and required literals (``None``: the page cannot be filtered)."""
        if has_case_twin(text):
            return None
        lower = text.lower()
        present = {w for _, w in self._automaton.iter(lower)} if self._automaton is not None else set()
        return PageText(lower, present, len(lower) == len(text))

    def _plan(self, pattern: re.Pattern[str], page: PageText | None) -> str:
        rule = self._rules.get(pattern.pattern)
        if page is None or rule is None:
            return "scan"
        plan = page.plans.get(pattern.pattern)
        if plan is None:
            plan = page.plans[pattern.pattern] = rule.plan(page.present)
        return plan

    def may_match(self, pattern: re.Pattern[str], page: PageText | None) -> bool:
        """False only when no match of ``pattern`` is possible on ``page``."""
        return self._plan(pattern, page) != "skip"

    def anchored(self, pattern: re.Pattern[str], page: PageText | None) -> bool:
        """Will ``finditer`` try ``pattern`` only where its start strings are on ``page``?"""
        return self._plan(pattern, page) == "anchored" and page is not None and page.aligned

    def _start_offsets(self, page: PageText) -> dict[str, list[int]]:
        if page.starts is None:
            offsets: dict[str, list[int]] = {}
            for end, w in self._starts.iter(page.lower):
                start = end - len(w) + 1
                if (found := offsets.get(w)) is None:
                    offsets[w] = [start]
                else:
                    found.append(start)
            page.starts = offsets
        return page.starts

    @staticmethod
    def _digit_starts(page: PageText, text: str) -> list[int]:
        if page.digit_starts is None:
            page.digit_starts = [s for s, _ in digit_runs(text) if s == 0 or not _is_word(text[s - 1])]
        return page.digit_starts

    @staticmethod
    def _bounded(page: PageText, text: str) -> str | None:
        """``page.bounded``, made on first use (None when some non-ASCII character is a word
        character in ``text`` but not in ``page.lower``, or the reverse)."""
        if page.bounded is None:
            page.bounded = False
            lower = page.lower
            if not text.isascii():
                for char in set(text.encode("utf-8", "surrogatepass").translate(None, _ASCII).decode(
                        "utf-8", "surrogatepass")):
                    folded = char.lower()
                    if len(folded) != 1 or _is_word(folded) != _is_word(char):
                        return None
                    if not _is_word(folded):
                        lower = lower.replace(folded, " ")
            page.bounded = " " + lower.encode("utf-8", "surrogatepass").translate(_NON_WORD_SPACE).decode(
                "utf-8", "surrogatepass")
        return page.bounded if page.bounded is not False else None  # type: ignore[return-value]

    def _word_start_offsets(self, page: PageText, text: str) -> dict[str, list[int]] | None:
        """Where each word-start string begins a word of ``text`` (None when some non-ASCII
        character is a word character in ``text`` but not in ``page.lower``, or the reverse)."""
        if page.word_starts is None:
            page.word_starts = False
            bounded = self._bounded(page, text)
            if bounded is None:
                return None
            offsets: dict[str, list[int]] = {}
            for end, (size, sure, words) in self._word_starts.iter(bounded):
                start = end - size  # in ``lower``: the key's space is the character before
                if sure is not None:
                    if (found := offsets.get(sure)) is None:
                        offsets[sure] = [start]
                    else:
                        found.append(start)
                for w in words:
                    if page.lower.startswith(w, start):
                        if (found := offsets.get(w)) is None:
                            offsets[w] = [start]
                        else:
                            found.append(start)
            page.word_starts = offsets
        return page.word_starts if page.word_starts is not False else None  # type: ignore[return-value]

    def finditer(self, pattern: re.Pattern[str], text: str, page: PageText | None) -> Iterator[tuple[int, int]]:
        """The spans of ``pattern.finditer(text)``; where every alternative of the pattern that the
        page's literals allow starts with a start string, the pattern is tried only where those are."""
        plan = self._plan(pattern, page)
        if plan == "skip":
            return
        if plan == "scan" or page is None or not page.aligned:
            for m in pattern.finditer(text):
                yield m.span()
            return
        rule = self._rules[pattern.pattern]
        words = self._word_start_offsets(page, text) if rule.word_start else None
        # start strings this dense (a one-letter word) cost more than the plain scan: the short
        # ones are counted in C before any is listed
        dense = words is None and rule.short and sum(map(page.lower.count, rule.short)) * DENSE_EVERY > len(text)
        if words is not None:
            starts = sorted(set(itertools.chain.from_iterable(
                offs for w in rule.start_words if (offs := words.get(w)))))
        elif dense:
            starts = []
        elif rule.short:
            starts = sorted({end - size + 1 for end, size in rule.finder.iter(page.lower)})
        else:
            offsets = self._start_offsets(page) if rule.start_words else {}
            starts = sorted(set(itertools.chain.from_iterable(
                offs for w in rule.start_words if (offs := offsets.get(w)))))
        if rule.digits and not dense:
            starts = sorted({*starts, *self._digit_starts(page, text)})
        if rule.follow is not None and not dense:
            starts = sorted({*starts, *_words_before(rule.follow, page.lower, text, self._bounded(page, text))})
        if dense or (len(starts) > DENSE_AFTER and len(starts) * DENSE_EVERY > len(text)):
            for m in pattern.finditer(text):
                yield m.span()
            return
        match = pattern.match
        pos = 0
        for p in starts:
            if p < pos:
                continue
            found = match(text, p)
            if found is not None and found.end() > p:
                yield p, found.end()
                pos = found.end()  # finditer goes on after a match
