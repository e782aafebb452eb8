"""The coding rules' literal prefilter (coding/prefilter.py) finds exactly the spans of a plain
``finditer`` of every rule, and page coding with it equals page coding without it."""

from __future__ import annotations

import json
import os
import random
import re
from pathlib import Path

import pytest

import factcheck
from factcheck.coding import features as F
from factcheck.coding.prefilter import (
    CASE_TWINS,
    RuleFilter,
    alternatives,
    digit_runs,
    prefix_literals,
    required_literals,
)
from factcheck.coding.rules import load_rules
from factcheck.ingest.html import html_to_page

ROOT = Path(__file__).resolve().parent.parent
DEV = Path(os.environ.get("FACTCHECK_SHARED", ROOT.parent / "shared")) / "corpus" / "dev" / "cases.jsonl"


def test_case_twins_are_every_non_ascii_character_ignorecase_matches_to_ascii() -> None:
    ascii_any = re.compile(r"[\x00-\x7f]", re.IGNORECASE)
    twins = {chr(c) for c in range(128, 0x110000) if ascii_any.fullmatch(chr(c))}
    assert twins == set(CASE_TWINS)


@pytest.mark.parametrize(("pattern", "required", "starts"), [
    (r"\bstem cells?\b", {"stem cell"}, {"stem cell"}),
    (r"\b(?:book|schedule)\s+(?:a|an)\b", {"book", "schedule"}, {"book", "schedule"}),
    (r"\b(?:international )?patient coordinators?", {"patient coordinator"},
     {"international patient coordinator", "patient coordinator"}),
    (r"\b\d+ of \w+", {" of "}, None),
    (r"(?:a|b)?xyz", {"xyz"}, None),  # one-letter starts are too short to anchor on
    (r"\bfoo|[a-z]+ bar", {"foo", " bar"}, None),
    (r"caf\u00e9s", {"caf"}, {"caf"}),  # non-ASCII letters end a literal
    (r"(?<!no )risk", {"risk"}, {"risk"}),
    # a repeated item is followed by itself: "very very good" starts "very v", not "very g"
    (r"\b(?:very )+good", {"very "}, {"very "}),
    (r"\b(?:very )?good", {"good"}, {"very good", "good"}),
])
def test_required_and_start_literals(pattern: str, required: set[str], starts: set[str] | None) -> None:
    assert required_literals(pattern, re.I) == required
    got = prefix_literals(pattern, re.I)
    if starts is None:
        assert got is None or min(map(len, got)) < 3
    else:
        assert got == starts


def test_alternatives_split_the_leading_alternation() -> None:
    alts = alternatives(r"\b(?:the )?[a-z]+ government|government of \w+|\bministry\b", re.I)
    assert [req for req, _ in alts] == [{" government"}, {"government of "}, {"ministry"}]
    assert [starts for _, starts in alts] == [None, {"government of "}, {"ministry"}]


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "examples" / "pages").iterdir())]
    if DEV.exists():
        with open(DEV, encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i % 7 == 0:
                    case = json.loads(line)
                    raw = case.get("text") or ""
                    texts.append(html_to_page(raw, source="dev").text if case.get("format") == "html" else raw)
    rng = random.Random(5)
    mixed = []
    for t in texts[:12]:
        words = t.split(" ")
        for i in range(len(words)):
            r = rng.random()
            words[i] = (words[i].upper() if r < 0.1 else words[i].title() if r < 0.2
                        else words[i].replace("a", "\u00e1") if r < 0.25 else words[i])
        mixed.append(" ".join(words))
    # a case twin (the page is not filtered), a character that lower-cases longer, overlapping starts
    mixed += ["SAFE AND EFFECTIVE. Kelvin \u212a. Our \u0130NTERNATIONAL PATIENT COORDINATOR",
              "\u0130stanbul clinic: our stem cell treatment costs $5,000. Book a consultation.",
              "patient patient coordinators coordinators; studies show studies show",
              # word boundaries next to underscores, non-ASCII word and non-word characters
              "x_we offer; \u00e9we offer; \u00b2we offer; \u00abwe offer\u00bb; we\u00a0offer; \u03a3WE OFFER; "
              "Our_clinic offers; our\u2019 clinic offers; \u01c5we offer; _we offer; we offer_; -We offer"]
    return texts + mixed


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_filtered_rule_spans_equal_plain_finditer(lang: str) -> None:
    rules = load_rules(lang)
    patterns = [F._rule_regex(r) for f in (*rules.features, *rules.legitimacy) for r in f.rules
                if r.regex.pattern != "{money}"]
    rule_filter = RuleFilter(patterns)
    for text in _texts():
        page = rule_filter.page(text)
        for p in patterns:
            plain = [m.span() for m in p.finditer(text)]
            got = list(rule_filter.finditer(p, text, page))
            assert got == plain, (p.pattern[:80], text[:80])
            assert rule_filter.may_match(p, page) or not plain


class _NoFilter:
    def page(self, text: str) -> None:
        return None

    def may_match(self, pattern: re.Pattern[str], page: object) -> bool:
        return True

    def finditer(self, pattern: re.Pattern[str], text: str, page: object):  # type: ignore[no-untyped-def]
        for m in pattern.finditer(text):
            yield m.span()


@pytest.mark.parametrize("lang", ["en", "es", "pt"])
def test_page_coding_is_the_same_with_and_without_the_prefilter(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _texts()
    with_filter = [F.code_page(t, lang=lang, topical=True).model_dump_json() for t in texts]
    monkeypatch.setattr(F, "_rule_filter", lambda rules: _NoFilter())
    assert [F.code_page(t, lang=lang, topical=True).model_dump_json() for t in texts] == with_filter


def test_dense_start_strings_hand_over_to_the_plain_scan_with_the_same_spans() -> None:
    pattern = re.compile(r"\b(?:i|my son)\b[^.!?\n]{0,20}\bwalk\w*", re.IGNORECASE)
    rule_filter = RuleFilter([pattern])
    text = " ".join(["I think i said it. My son can walk again, I walked."] * 40 + ["i " * 300, "I walk."])
    page = rule_filter.page(text)
    assert list(rule_filter.finditer(pattern, text, page)) == [m.span() for m in pattern.finditer(text)]


def test_money_matches_tried_at_digits_equal_plain_finditer() -> None:
    from factcheck.coding import prices

    rng = random.Random(3)
    pieces = [*"0123456789 .,-$€£¥₹kKusdUSDmxnMXNeuroRs.aAtoy\u00a0\u0131", "US$", "usd", "pesos", " to ",
              "euros", "1,000", "12.000", "R$", "Rs.", "\u0130"]
    texts = _texts() + ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 30))) for _ in range(3000)]
    pattern = prices._pattern()
    for text in texts:
        assert [m.span() for m in prices._matches(text)] == [m.span() for m in pattern.finditer(text)], text


def test_country_patterns_tried_where_their_finders_match_equal_plain_finditer() -> None:
    from factcheck.coding import country

    g = country.gazetteer()
    pairs = [*country._FINDERS.items(), (g.regulators, g.regulators_at)]
    rng = random.Random(11)
    pieces = ["(813)555-0123", "813.555.0123", "813-555-0123", "+1 813-555-0123", "Tampa, FL", " FL 33602", "+1 ",
              "+52-", "(813) 555-0123", "FDA", "xFDA", "TGA.", "Health Canada", "+", "+ 44 ", "a+1 ", " ", ", ",
              "CA 90210-1234", "San Diego, CA", "NY", "\n", "1", "12345", "Thai FDA", "\u0661\u0662\u0663"]
    texts = _texts() + ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(3000)]
    for text in texts:
        for pattern, finder in pairs:
            got = [(m.span(), m.groups()) for m in country._finditer(pattern, finder, text)]
            assert got == [(m.span(), m.groups()) for m in pattern.finditer(text)], (pattern.pattern[:40], text)
        runs = digit_runs(text)
        for pattern, starts in ((country._US_ZIP, country._zip_starts(runs)),
                                (country._NANP, country._nanp_starts(runs, text))):
            got = [(m.span(), m.groups()) for m in country._tried_at(pattern, text, starts)]
            assert got == [(m.span(), m.groups()) for m in pattern.finditer(text)], (pattern.pattern[:40], text)


def test_digit_runs_are_the_runs_of_backslash_d() -> None:
    every = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for i in range(0, len(every), 60):  # every character, a page's worth of distinct ones at a time
        text = "".join(c + "7" * (j % 3) for j, c in enumerate(every[i:i + 60]))
        assert list(digit_runs(text)) == [m.span() for m in re.finditer(r"\d+", text)], i
    assert list(digit_runs("".join(every[:3000]))) == [m.span() for m in re.finditer(r"\d+", "".join(every[:3000]))]
    rng = random.Random(5)
    pieces = ["1", "23", "a", " ", "\u0661", "\u0662\u0663", "\uff11", "\u00b2", "\u2155", "é", "\n", "x9", "\ud800"]
    for text in _texts() + ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 20))) for _ in range(3000)]:
        assert list(digit_runs(text)) == [m.span() for m in re.finditer(r"\d+", text)], text


def test_digit_led_alternatives_are_tried_where_digits_start_a_word() -> None:
    from factcheck.coding.prefilter import _top_alternatives, digit_led, word_led

    def led(pattern: str) -> list[bool]:
        return [digit_led(a) for a in _top_alternatives(pattern, re.IGNORECASE) or []]

    assert led(r"\b\d{1,3} ?% better") == [True]
    assert led(r"\b(?:\d{1,3}|one|two)\s+of") == [True, False, False]
    assert led(r"\b[0-9][\d,.]*\+? patients") == [True]
    assert led(r"\d+ patients") == [False]  # no \b: a match may start inside a run of digits
    assert led(r"\b\w+ months later") == [False]
    assert led(r"\b\d{0,3}x") == [False]  # may start with x
    assert word_led(_top_alternatives(r"\b(?:\w+|\d+) (?:months?|weeks?) later", re.I)[0]) == {" month", " week"}
    assert word_led(_top_alternatives(r"\b\w+ s", re.I)[0]) is None  # too short to look for
    assert word_led(_top_alternatives(r"\w+ months", re.I)[0]) is None  # no \b: may start inside a word
    assert word_led(_top_alternatives(r"\b[\w.]+ months", re.I)[0]) is None  # may hold a non-word character
    patterns = [re.compile(p, re.IGNORECASE) for p in (
        r"\b\d{1,3}(?:[.,]\d)?\s?(?:%|percent)[^.!?\n]{0,30}\b(?:better|improv\w*)",
        r"\b(?:\d{1,3}|one|two|three)\s+(?:out\s+)?of\s+(?:\d{1,3}|ten)\b(?:\s+\w+){0,2}\s+improved",
        r"\b(?:over|more than|\d[\d,.]*\+?)\s+patients\s+(?:have\s+)?(?:improved|recovered)",
        r"\b(?:(?:\w+|\d+) (?:months?|weeks?) (?:later|after the treatment)|after (?:the|his) (?:first|second) "
        r"(?:treatment|session))\b,?\s+(?:he|she|[A-Z][a-z]+)\s+(?:walks?|said)\b")]
    rng = random.Random(11)
    pieces = [*"0123456789 .,+%_-xX\n", "\u0663", "\u00b2", "\u00e9", "a1", "percent", " better", " improved",
              " of ", "out of ", "one ", "two ", "ten ", "patients ", "over ", "more than ", "have ",
              " months later", " week later", "after the first treatment", "six", "\u00e9t\u00e9", " she walks",
              " Anna said", ", he said", "Weeks"]
    texts = _texts() + ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 40))) for _ in range(3000)]
    rule_filter = RuleFilter(patterns)
    for text in texts:
        page = rule_filter.page(text)
        for p in patterns:
            assert list(rule_filter.finditer(p, text, page)) == [m.span() for m in p.finditer(text)], (p.pattern, text)


def test_case_twin_test_agrees_with_a_walk_over_the_characters():
    from factcheck.coding.prefilter import has_case_twin

    texts = ["plain ascii", "caf\u00e9 \u2019quoted\u2019", *(f"a\u00e9b{t}c" for t in CASE_TWINS), *CASE_TWINS, ""]
    for text in texts:
        assert has_case_twin(text) == (not CASE_TWINS.isdisjoint(text)), text


def test_digit_anchored_patterns_match_as_plain_finditer() -> None:
    from factcheck.coding.prefilter import digit_anchored, digit_reach

    assert digit_reach(re.compile(r"(?:\$|usd ?) ?\d{1,3}")) == 5
    assert digit_reach(re.compile(r"\b\d+ %")) == 0
    assert digit_reach(re.compile(r"(?:ab|c)\d|\b\d")) == 2
    # a digit that may follow another, a class that holds digits, an unbounded or digit-matching prefix
    for unknown in (r"\d+", r"x?\d", r"[0-9]+", r"(?:\w)\d", r"a\s*\d", r".\d", r"[^a]\d", r"\b\d?x", r"a|\b\d"):
        assert digit_reach(re.compile(unknown)) is None, unknown
    checker = factcheck.load()
    patterns = [p for lang in ("en", "es", "pt") for p, _ in checker.resources.cue_finder(lang)._patterns
                if digit_reach(p) is not None]
    assert len(patterns) >= 6
    patterns += [re.compile(p) for p in (r"(?:ab|c)\d|\b\d", r"\b(?:a)?\d{2}x?", r"(?<!1)\$ ?\d+(?:\.\d+)?k?")]
    rng = random.Random(13)
    pieces = ["1", "12", "123", "1,000", "12.000", "5.5", " ", "$", "usd ", "us$", "eur ", "€", "£", "%", " percent",
              " success", " of our patients improve", "in ", "ab", "c", "a", "x", "k", "\u0661\u0662", "\uff13",
              " dollars", "euros", "r$ ", "reais", "\n", "por ciento", " de éxito", "-"]
    for text in _texts()[:20] + ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 25))) for _ in range(1000)]:
        folded = text.lower()
        for pattern in patterns:
            reach = digit_reach(pattern)
            assert reach is not None
            assert list(digit_anchored(pattern, folded, reach)) == [m.span() for m in pattern.finditer(folded)], (
                pattern.pattern[:40], folded)


def test_word_before_a_follow_string_from_the_bounded_copy_is_the_walked_one() -> None:
    """``_words_before`` finds each word's start by ``rfind`` in the page's bounded copy: the same
    starts as the walk back over word characters of the text."""
    from factcheck.coding.prefilter import PageText, RuleFilter, _automaton_of, _words_before

    rng = random.Random(5)
    pieces = ["ab", "cells", " of ", "x ", "\u00e9-", "c", "_", "1", "-", ".", " ", "\u00c9", "\u4e2d", "\u00b2",
              "\u2019", "\u03a3", "\u00df", "w" * 70]
    follow = _automaton_of({" of ", "x ", "\u00e9-", "c"})
    compared = with_starts = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 20)))
        lower = text.lower()
        if len(lower) != len(text):
            continue
        bounded = RuleFilter._bounded(PageText(lower, set(), True), text)
        assert bounded is not None, text
        walked = _words_before(follow, lower, text)
        assert _words_before(follow, lower, text, bounded) == walked, text
        compared += 1
        with_starts += bool(walked)
    assert compared > 2000 and with_starts > 1000
