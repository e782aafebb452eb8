"""A long page repeats its sentences: each distinct unit is analysed once and its results replayed
(``PageAnalyzer._unit_results``), with the same claims, dismissals and offsets as analysing every unit."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from factcheck.checker import Checker
from factcheck.parse import components
from factcheck.parse.claims import Analysis, PageAnalyzer
from factcheck.parse.relations import PageView, SentenceRelations

# sections with their own therapy, a lent page topic, a story's result borrowing the therapy named
# just before, a negation, an aside, a question, a short labelled line and a list: each repeated
SECTION = (
    "Stem Cell Therapy for Multiple Sclerosis\n"
    "Our patients with multiple sclerosis come to us because stem cell injections help them walk again.\n"
    "Umbilical cord MSCs are not a cure for Parkinson's disease. Stem cells (not embryonic) heal cerebral palsy.\n"
    "Can stem cells cure autism?\n"
    "Results: improved mobility.\n"
    "I had mesenchymal stem cells in March. Since the treatment I can walk again.\n"
    "Reply\n"
    "Conditions we treat:\n- Multiple sclerosis\n- Parkinson's disease\n"
)
PAGE = ("Stem Cell Clinic\n" + SECTION * 3 + "Exosome therapy for lupus\n" + SECTION * 2
        + "Book your free consultation today. Contact us on WhatsApp. Packages from $9,500.\n")


def _uncached(analyzer: PageAnalyzer) -> PageAnalyzer:
    """The same analyzer with a relation generator that is not ``SentenceRelations``: every unit analysed."""
    plain = copy.copy(analyzer)
    relations = SentenceRelations()

    def generate(page: PageView) -> Any:
        return relations(page)

    plain.relations = generate
    return plain


def _analysis(checker: Checker, analyzer: PageAnalyzer, text: str) -> Analysis:
    res = checker.resources
    return analyzer.analyze(text, None, terms=res.lexicon.find(text, "en"),
                            cues=components.find_cues(res, text, "en"), language=res.pack("en"))


def _dumped(analysis: Analysis) -> tuple[list[dict[str, Any]], list[Any]]:
    return [c.to_report_dict() for c in analysis.claims], [dict(d) for d in analysis.dismissed]


def test_replayed_units_give_the_claims_of_analysing_every_unit(checker: Checker,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    analyzer = checker.resources.analyzer
    calls = {"claim": 0}
    claim = PageAnalyzer._claim

    def counted(self: PageAnalyzer, *args: Any, **kwargs: Any) -> Any:
        calls["claim"] += 1
        return claim(self, *args, **kwargs)

    monkeypatch.setattr(PageAnalyzer, "_claim", counted)
    cached = _analysis(checker, analyzer, PAGE)
    cached_calls, calls["claim"] = calls["claim"], 0
    plain = _analysis(checker, _uncached(analyzer), PAGE)
    assert _dumped(cached) == _dumped(plain)
    assert cached.claims and cached.dismissed
    # the repeated sections were not analysed again
    assert cached_calls < calls["claim"] / 2
    for c in cached.claims:
        assert PAGE[c.start:c.end] == c.sentence
        for term in (c.therapy, c.condition, *c.subtypes, *([c.outcome] if c.outcome else [])):
            if term.method != "topic":
                assert PAGE[term.start:term.end] == term.text
        for flag in c.context:
            assert PAGE[flag.start:flag.end] == flag.cue
    for d in cached.dismissed:
        assert PAGE[d["start"]:d["end"]] == d["sentence"]
    # the claims of each repeat sit in their own copy of the section
    starts = {c.start for c in cached.claims if c.sentence.startswith("Our patients with multiple sclerosis")}
    assert len(starts) == 5


def test_a_unit_that_holds_a_lent_mention_is_not_replayed(checker: Checker) -> None:
    # the heading lends its therapy to its section: the heading itself is analysed each time
    text = ("Exosome therapy for lupus\nExosome therapy for lupus\nIt helps patients feel better.\n"
            "Exosome therapy for lupus\nBook your free consultation today.\n")
    cached = _analysis(checker, checker.resources.analyzer, text)
    plain = _analysis(checker, _uncached(checker.resources.analyzer), text)
    assert _dumped(cached) == _dumped(plain)
