"""Find context cues in a page and decide which terms they govern (ConText algorithm).

Cues are found in one Aho-Corasick pass (literals) plus the rules' regular expressions, on the
folded text. A cue governs a term in the same sentence unit when the term lies in the cue's
direction, within ``max_scope`` words, with no TERMINATE cue between them; PSEUDO cues mask
the cues they overlap ("not only" is no negation).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from re import _parser as _p  # type: ignore[attr-defined]  # re's own parser (Python 3.11+)

import ahocorasick

from factcheck.coding.prefilter import RuleFilter, digit_anchored, digit_reach
from factcheck.lang.pack import LanguagePack
from factcheck.parse.finder import boundary_free_finder, finditer
from factcheck.parse.normalize import bounded_key, fold, normalize_key, to_original, word_bounded
from factcheck.parse.rules import ContextRule
from factcheck.parse.sentences import english

_WORDS = re.compile(r"\S+")


# not frozen: a long page builds ~20,000 cues and a frozen dataclass sets each field through
# object.__setattr__ (6x the cost); cues are never changed once found, and hash as before
@dataclass(slots=True, unsafe_hash=True)
class Cue:
    category: str
    direction: str
    start: int
    end: int
    text: str
    rule: str
    max_scope: int | None
    weight: float = 1.0
    #: a NEGATED cue does not reach over these (its language pack's ``negation_barriers``)
    barriers: tuple[str, ...] = ()


class CueFinder:
    """Compiled context rules. Build once per rule set; ``find`` is cheap per page."""

    def __init__(self, rules: Iterable[ContextRule], language: LanguagePack | None = None) -> None:
        self.rules = list(rules)
        #: the language the rules are for (its negation barriers go on every NEGATED cue)
        self.language = english() if language is None else language
        self._barriers = tuple(self.language.spec.negation_barriers)
        self._automaton = ahocorasick.Automaton()
        by_key: dict[str, list[ContextRule]] = {}
        self._patterns: list[tuple[re.Pattern[str], ContextRule]] = []
        #: each pattern's finder (parse/finder.py): re cannot skip ahead past a leading \b
        self._finders: list[re.Pattern[str] | None] = []
        for rule in self.rules:
            if rule.pattern is not None:
                self._patterns.append((re.compile(rule.pattern), rule))
                self._finders.append(boundary_free_finder(self._patterns[-1][0]))
            else:
                by_key.setdefault(normalize_key(rule.literal), []).append(rule)
        # keys written as ``word_bounded`` writes the page: only word-bounded places match (a page
        # holds many cue words inside other words); keys written alike are told apart by the text
        slots: dict[str, list[tuple[str, tuple[tuple[str, str, str, int | None, float, tuple[str, ...]], ...]]]] = {}
        for key, bucket in by_key.items():
            # each rule's fields read once here, not per match (a long page has ~20,000 literal cues)
            slots.setdefault(bounded_key(key), []).append((key, tuple(
                (r.category, r.direction, r.name, r.max_scope, r.weight,
                 self._barriers if r.category == "NEGATED" else ()) for r in bucket)))
        for padded, keys in slots.items():
            self._automaton.add_word(padded, (len(padded) - 2, tuple(keys)))
        if by_key:
            self._automaton.make_automaton()
        self._has_literals = bool(by_key)
        # the coding rules' literal prefilter (coding/prefilter.py), which reads patterns as
        # case-insensitive: every case-sensitive match is one of those, so its skips and start
        # places hold here too; a pattern that can match the empty string keeps the plain scan
        nonempty = [p for p, _ in self._patterns if _p.parse(p.pattern, p.flags).getwidth()[0] > 0]
        self._filtered = frozenset(p.pattern for p in nonempty)
        self._literals = RuleFilter(re.compile(p.pattern, p.flags | re.IGNORECASE) for p in nonempty)
        #: patterns whose matches start just before a run of digits (a price): tried only there
        self._digit_reach = {p.pattern: reach for p, _ in self._patterns if (reach := digit_reach(p)) is not None}
        self._offer_maskers = frozenset(r.name for r in self.rules if r.direction == "PSEUDO" and r.masks_offers)
        self._reporters = frozenset(r.name for r in self.rules if r.reports)
        #: names of the BENEFIT rules whose words only name a treatment ("therapy", "tratamiento")
        self.treatment_nouns = frozenset(r.name for r in self.rules if r.names_treatment)
        #: names of the OFFER rules that quote a price (ContextRule.price)
        self.price_rules = frozenset(r.name for r in self.rules if r.price)

    def find(self, text: str) -> list[Cue]:
        folded, offsets = fold(text)
        cues = self._literal_cues(text, folded, offsets)
        page = self._literals.page(folded) if self._patterns else None
        for (pattern, rule), finder in zip(self._patterns, self._finders, strict=True):
            spans: Iterable[tuple[int, int]]
            digits = self._digit_reach.get(pattern.pattern)
            if page is not None and pattern.pattern in self._filtered:
                if not self._literals.may_match(pattern, page):
                    continue  # none of the strings every match holds is on the page
                if self._literals.anchored(pattern, page):
                    spans = self._literals.finditer(pattern, folded, page)
                elif digits is not None:
                    spans = digit_anchored(pattern, folded, digits)
                else:
                    spans = (m.span() for m in finditer(pattern, finder, folded))
            elif digits is not None:
                spans = digit_anchored(pattern, folded, digits)
            else:
                spans = (m.span() for m in finditer(pattern, finder, folded))
            for m_start, m_end in spans:
                if m_end == m_start:
                    continue
                o_start, o_end = to_original(offsets, m_start, m_end)
                cues.append(Cue(rule.category, rule.direction, o_start, o_end, text[o_start:o_end],
                                rule.name, rule.max_scope, rule.weight,
                                self._barriers if rule.category == "NEGATED" else ()))
        pseudo = [c for c in cues if c.direction == "PSEUDO"]
        if pseudo:
            # a PSEUDO cue is a look-alike: "not only" is no negation, "our IRB-approved study" no research
            # report; an offer inside it still sells ("our patient-funded study")
            masks = _Overlaps(pseudo)
            offer_masks = _Overlaps([p for p in pseudo if p.rule in self._offer_maskers])
            cues = [c for c in cues if c.direction == "PSEUDO"
                    or not (offer_masks if c.category == "OFFER" else masks).hits(c.start, c.end)]
        # a longer cue of the same category swallows the ones inside it ("does not" > "not")
        cues.sort(key=_cue_order)
        kept: list[Cue] = []
        reach: dict[str, int] = {}  # per category, the end of the widest cue kept so far
        for cue in cues:
            widest = reach.get(cue.category, -1)
            if cue.end <= widest:
                continue
            kept.append(cue)
            reach[cue.category] = cue.end  # > widest, as just tested
        if self._reporters and any(c.rule in self._reporters for c in kept):
            # someone else's offer, retold: what the sentence claims is theirs
            kept += [Cue("REPORTED", "BIDIRECTIONAL", c.start, c.end, c.text, c.rule, c.max_scope, c.weight, ())
                     for c in kept if c.rule in self._reporters]
            kept.sort(key=_cue_order)
        return kept


    def _literal_cues(self, text: str, folded: str, offsets: list[int] | None) -> list[Cue]:
        """The literal rules' cues: their keys where they stand between non-alphanumerics of
        ``folded``, in the order of an automaton's pass over it (by end, the longest first)."""
        cues: list[Cue] = []
        if not self._has_literals:
            return cues
        append = cues.append
        for last, (size, keys) in self._automaton.iter(word_bounded(folded)):
            start = last - size - 1  # in ``folded``: the copy's leading space is offset 0
            for key, bucket in keys:
                if not folded.startswith(key, start):
                    continue
                end = start + size
                o_start, o_end = (start, end) if offsets is None else to_original(offsets, start, end)
                said = text[o_start:o_end]
                for category, direction, name, scope, weight, barriers in bucket:
                    append(Cue(category, direction, o_start, o_end, said, name, scope, weight, barriers))
        return cues


def _cue_order(cue: Cue) -> tuple[int, int]:
    """Text order; at one start the longer cue first."""
    return cue.start, cue.start - cue.end


def inside_parentheses(text: str, at: int, reach: int = 80) -> bool:
    """Is ``at`` inside an aside opened by "(" in the ``reach`` characters before it?"""
    before = text[max(0, at - reach):at]
    return before.rfind("(") > before.rfind(")")


class _Overlaps:
    """Intervals, asked "does any overlap [start, end)?" in O(log n) (long pages have thousands of cues)."""

    __slots__ = ("_reach", "_starts")

    def __init__(self, cues: list[Cue]) -> None:
        spans = sorted((c.start, c.end) for c in cues)
        self._starts = [s for s, _ in spans]
        #: the largest end among the first i+1 intervals (by start)
        self._reach = list(accumulate((e for _, e in spans), max))

    def hits(self, start: int, end: int) -> bool:
        k = bisect_left(self._starts, end)  # the intervals that start before ``end``
        return k > 0 and self._reach[k - 1] > start


def _words_between(text: str, a: int, b: int) -> int:
    return len(_WORDS.findall(text[a:b])) if b > a else 0


def governs(cue: Cue, start: int, end: int, text: str, unit_cues: list[Cue]) -> bool:
    """Does ``cue`` apply to the term at ``[start, end)`` (both inside the same unit)?"""
    if cue.direction in ("PAGE", "PSEUDO", "TERMINATE"):
        return False
    if cue.start < end and start < cue.end:
        return True
    forward = cue.end <= start
    if forward and cue.direction not in ("FORWARD", "BIDIRECTIONAL"):
        return False
    if not forward and cue.direction not in ("BACKWARD", "BIDIRECTIONAL"):
        return False
    lo, hi = (cue.end, start) if forward else (end, cue.start)
    if cue.max_scope is not None and _words_between(text, lo, hi) > cue.max_scope:
        return False
    gap = text[lo:hi]
    if cue.category == "NEGATED" and (any(p in gap for p in cue.barriers) or (
            forward and ")" in gap and inside_parentheses(text, cue.start))):
        return False  # "Stem cells (not embryonic) heal CP": the aside negates only itself
    if cue.category == "COMPARATOR" and any(p in gap for p in ",;:"):
        return False  # "Unlike PRP or cortisone, our exosomes...": the comparison ends with its clause
    return not any(t.direction == "TERMINATE" and lo <= t.start and t.end <= hi for t in unit_cues)
