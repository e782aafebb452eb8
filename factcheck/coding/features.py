"""Page features (labels.md "Page features"), each explained by the spans of the rules that decided it.

Cost: a page that no ``topic`` pattern of the rules file matches is not about a treatment and is
returned uncoded (all false) after one cheap scan; only topical pages run the cue rules.
"""

from __future__ import annotations

import bisect
import functools
import pickle
import re
from collections.abc import Iterator, Sequence
from typing import Any

from factcheck.parse.sentences import split_units

from .country import find_country
from .models import BOOL_FEATURES, LEGITIMACY_TOKENS, CountryResult, FeatureEvidence, PageFeatures, Span
from .prefilter import PageText, RuleFilter
from .prices import _pattern as _money_pattern
from .prices import find_prices
from .rules import CodingRules, CompiledFeature, CompiledRule, load_rules

_NCT = re.compile(r"\bNCT\s?0\d{7}\b")
#: spans kept per rule for the explanation (a page may repeat a phrase dozens of times)
SPANS_PER_RULE = 3
#: the literal prefilter of each rules file, and what it found on the page being coded
_FILTERS: dict[int, tuple[CodingRules, RuleFilter]] = {}
_Prefilter = tuple[RuleFilter, PageText | None]


class _Sentences:
    """Sentence lookup by offset (the checker's own sentence units), split on first use."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._units: tuple[tuple[int, int], ...] | None = None
        self._starts: list[int] = []

    @property
    def units(self) -> tuple[tuple[int, int], ...]:
        if self._units is None:
            units = self._units = split_units(self.text)
            self._starts = [s for s, _ in units]
            return units
        return self._units

    @property
    def starts(self) -> list[int]:
        _ = self.units
        return self._starts

    def around(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.units[i][1]:
            return self.units[i]
        return pos, pos

    def start_before(self, pos: int, n: int) -> int:
        """Start of the sentence ``n`` sentences before the one at ``pos``."""
        i = bisect.bisect_right(self.starts, pos) - 1
        return self.units[max(0, i - n)][0] if i >= 0 else pos


def _rule_regex(rule: CompiledRule) -> re.Pattern[str]:
    if "{money}" not in rule.regex.pattern:
        return rule.regex
    return _expanded(rule.regex.pattern)


_EXPANDED: dict[str, re.Pattern[str]] = {}


def _expanded(pattern: str) -> re.Pattern[str]:
    # "{money}" in a rule stands for any amount with a currency (prices.py)
    if pattern not in _EXPANDED:
        _EXPANDED[pattern] = re.compile(pattern.replace("{money}", f"(?:{_money_pattern().pattern})"),
                                        re.IGNORECASE)
    return _EXPANDED[pattern]


def _hits(rule: CompiledRule, text: str, prefilter: _Prefilter | None = None) -> Iterator[tuple[int, int]]:
    if rule.regex.pattern == "{money}":  # the page's prices, parsed once
        for price in find_prices(text):
            yield price.start, price.end
        return
    if prefilter is None:
        for m in _rule_regex(rule).finditer(text):
            yield m.start(), m.end()
        return
    # the same spans, tried only where the rule's literals are (prefilter.py)
    yield from prefilter[0].finditer(_rule_regex(rule), text, prefilter[1])


def _rule_filter(rules: CodingRules) -> RuleFilter:
    """The literal prefilter of a rules file (prefilter.py), built once per ``CodingRules``."""
    entry = _FILTERS.get(id(rules))
    if entry is None or entry[0] is not rules:
        patterns = [_rule_regex(r) for f in (*rules.features, *rules.legitimacy) for r in f.rules
                    if r.regex.pattern != "{money}"]
        entry = _FILTERS[id(rules)] = (rules, RuleFilter(patterns))
    return entry[1]


def _matches(rule: CompiledRule, text: str, sents: _Sentences,
             prefilter: _Prefilter | None = None) -> list[Span]:
    spans: list[Span] = []
    if (prefilter is not None and rule.regex.pattern != "{money}"
            and not prefilter[0].may_match(_rule_regex(rule), prefilter[1])):
        return spans  # none of the words every match needs is on the page
    for start, end in _hits(rule, text, prefilter):
        s, e = sents.around(start)
        sentence = text[s:e] if e > s else text[start:end]
        if rule.near:
            scope = text[sents.start_before(s, rule.near_context):e] if rule.near_context else sentence
            if not all(p.search(scope) for p in rule.near):
                continue
        if any(p.search(sentence) for p in rule.unless):
            continue
        if rule.unless_before:
            before = text[max(s, start - rule.window):start]
            if any(p.search(before) for p in rule.unless_before):
                continue
        spans.append(Span(text=text[start:end], sentence=sentence.strip(), start=start, end=end, rule=rule.id))
        if len(spans) >= SPANS_PER_RULE:
            break
    return spans


def _evaluate(feature: CompiledFeature, text: str, sents: _Sentences, facts: dict[str, bool],
              prefilter: _Prefilter | None = None) -> FeatureEvidence:
    spans: list[Span] = []
    score = 0.0
    for rule in feature.rules:
        found = _matches(rule, text, sents, prefilter)
        if found:
            score += rule.weight
            spans.extend(found)
    value = score >= feature.threshold
    note = None
    if value and feature.requires and not any(facts.get(r, False) for r in feature.requires):
        value = False
        note = "cues found, but the page needs " + " or ".join(feature.requires)
    return FeatureEvidence(feature=feature.name, value=value, score=round(score, 3),
                           threshold=feature.threshold, spans=spans, note=note)


def code_page(text: str, *, lang: str = "en", rules: CodingRules | None = None, url: str | None = None,
              has_claims: bool = False, country: CountryResult | None = None,
              topical: bool | None = None) -> PageFeatures:
    """Code one page. ``has_claims``: the checker found a claim the page itself makes; ``country``:
    already found by the caller (the checker needs it before judging claims); ``topical``: the
    caller already knows whether the page is about a treatment (else the rules' ``topic`` decides)."""
    rules = rules or load_rules(lang)
    result = PageFeatures(lang=lang)
    if topical is None:
        topical = any(p.search(text) for p in rules.topic)
    if not topical:
        result.coded = False
        result.features = {n: FeatureEvidence(feature=n, value=False) for n in BOOL_FEATURES}
        result.country = country if country is not None else CountryResult()
        return result
    sents = _Sentences(text)
    rule_filter = _rule_filter(rules)
    prefilter = (rule_filter, rule_filter.page(text))
    facts = {"claims": has_claims}
    by_name = {f.name: f for f in rules.features}
    # offers_treatment first: other features may require it
    order = sorted(by_name, key=lambda n: n != "offers_treatment")
    for name in order:
        ev = _evaluate(by_name[name], text, sents, facts, prefilter)
        result.features[name] = ev
        facts[name] = ev.value
        facts["not_" + name] = not ev.value
    for name in BOOL_FEATURES:
        result.features.setdefault(name, FeatureEvidence(feature=name, value=False))
    for feature in rules.legitimacy:
        result.legitimacy[feature.name] = _evaluate(feature, text, sents, facts, prefilter)
    result.prices = find_prices(text)
    # every id holds "NCT": a substring test in C spares most pages the regex, which tries every
    # position (re cannot skip ahead past a leading \b)
    result.nct_ids = sorted({m.group(0).replace(" ", "") for m in _NCT.finditer(text)}) if "NCT" in text else []
    result.country = country if country is not None else find_country(text, url=url)
    return result


@functools.cache
def _uncoded_pickle() -> bytes:
    coded = code_page("", topical=False)
    return pickle.dumps((coded.values(), coded.explanation()), protocol=pickle.HIGHEST_PROTOCOL)


def uncoded_report() -> tuple[dict[str, Any], dict[str, Any]]:
    """``values()`` and ``explanation()`` of ``code_page(..., topical=False)`` with no country given,
    as new dicts: nineteen of twenty crawl pages are not about a treatment, and building their models
    and dumps again each time cost more than the rest of their coding."""
    values, explanation = pickle.loads(_uncoded_pickle())  # new dicts and lists each time (the cheapest copy)
    return values, explanation


def feature_values(features: PageFeatures) -> dict[str, object]:
    """Shortcut for the report line's ``features`` object."""
    return features.values()


__all__: Sequence[str] = ("BOOL_FEATURES", "LEGITIMACY_TOKENS", "code_page", "feature_values", "uncoded_report")
