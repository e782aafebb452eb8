"""Money amounts in page text: "USD 14,900", "$250.000 MXN", "12.000 €", "US$ 5,000", "$5k", "₹3-5 lakh".

Separators: a group of exactly three digits after "," "." or a space is a thousands group
("250.000" is 250000 on Latin-American and European pages); one or two digits are decimals.
A bare "$" is US dollars unless a currency follows ("$250.000 MXN"), flagged ``currency_guessed``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

from .models import Price
from .prefilter import digit_runs, has_case_twin


@lru_cache(maxsize=1)
def _currency_table() -> dict[str, str]:
    """Written currency (lower case) -> ISO code, from data/currencies.json."""
    raw = json.loads((resources.files("factcheck.coding") / "data" / "currencies.json").read_text("utf-8"))
    return {k.lower(): v for k, v in raw["symbols"].items()}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"\d{1,2}(?:,\d{2})+,\d{3}|\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_MULT = r"(?:\s?(?:k|K|thousand|mil|million|millones|lakhs?|crores?)(?![A-Za-z]))?"
_RANGE = r"\s*(?:-|–|—|to|a|hasta|y)\s*"


def _symbols() -> list[str]:
    """The currencies that may stand before an amount."""
    return [k for k in _currency_table() if not k[0].isalpha() or len(k) <= 4 or k.endswith("$")]


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    table = _currency_table()
    symbols = _alternation(_symbols())
    words = _alternation(list(table))
    amount = rf"(?:{_NUM}){_MULT}"
    pre = (rf"(?<![A-Za-z])(?P<pre>{symbols})\s?(?P<a1>{amount})(?:{_RANGE}(?:{symbols})?\s?(?P<a2>{amount}))?"
           rf"(?:\s?(?P<suf1>{words})(?![A-Za-z]))?")
    post = rf"(?<![\w.,])(?P<b1>{amount})(?:{_RANGE}(?P<b2>{amount}))?\s?(?P<suf2>{words})(?![A-Za-z])"
    return re.compile(rf"(?:{pre})|(?:{post})", re.IGNORECASE)


def parse_amount(text: str) -> float | None:
    """"14,900" -> 14900; "250.000" -> 250000; "5k" -> 5000; "1.5 million" -> 1500000."""
    m = re.match(rf"\s*({_NUM})\s?([A-Za-z]*)", text)
    if not m:
        return None
    digits, mult = m.group(1), m.group(2).lower()
    parts = re.split(r"[.,\u00a0\u202f ]", digits)
    if len(parts) > 1 and len(parts[-1]) in (1, 2):  # trailing decimals
        whole, decimals = "".join(parts[:-1]), parts[-1]
    else:
        whole, decimals = "".join(parts), ""
    value = float(f"{whole}.{decimals}" if decimals else whole)
    factor = {"k": 1e3, "thousand": 1e3, "mil": 1e3, "million": 1e6, "millones": 1e6, "lakh": 1e5,
              "lakhs": 1e5, "crore": 1e7, "crores": 1e7}.get(mult, 1.0)
    return value * factor


@lru_cache(maxsize=1)
def _anchors() -> tuple[int, frozenset[str], frozenset[str] | None] | None:
    """How far before its first digit a match can start, the characters it can start with there
    (a symbol's first, lower-cased), and the symbols lower-cased (None when a symbol holds a cased
    non-ASCII letter, whose IGNORECASE twins ``lower`` may not show); None when the currencies do
    not allow the shortcut."""
    symbols = _symbols()
    if not symbols or any(ch.isdigit() or ch.isspace() for sym in symbols for ch in sym):
        return None
    plain = all(ch.isascii() or ch.lower() == ch == ch.upper() for sym in symbols for ch in sym)
    return (max(map(len, symbols)) + 1, frozenset(sym[0].lower() for sym in symbols),
            frozenset(sym.lower() for sym in symbols) if plain else None)


def _matches(text: str) -> Iterator[re.Match[str]]:
    """``_pattern().finditer(text)``, tried only where a match can start.

    Every amount starts with a digit: a match is a written amount starting at the first digit of a
    run (nothing alphanumeric, "." or "," before it) or a currency symbol ending at most one space
    before such a digit (symbols hold no digit). So a match starts at a run of digits or at a
    symbol's first character less than ``reach`` characters before one, where the text up to the
    digit (or the space before it) is a symbol; the pattern is tried there, in order, going on
    after each match as ``finditer`` does.
    """
    pattern = _pattern()
    anchors = _anchors()
    if anchors is None or has_case_twin(text):
        yield from pattern.finditer(text)
        return
    reach, first, symbols = anchors
    last = frozenset(sym[-1] for sym in symbols) if symbols is not None else frozenset()
    match = pattern.match
    pos = 0
    tried = -1
    for r, _ in digit_runs(text):
        if r < pos:
            continue
        lo = max(pos, tried + 1, r - reach)
        if symbols is not None and lo < r and text[r - 1].lower() not in last and (
                r - 2 < lo or text[r - 2].lower() not in last):
            lo = r  # no symbol ends right before the digit or one space before it
        for p in range(lo, r + 1):
            if p < r and (text[p].lower() not in first or (
                    symbols is not None and text[p:r].lower() not in symbols
                    and text[p:r - 1].lower() not in symbols)):
                continue
            m = match(text, p)
            if m is not None:
                yield m
                pos = m.end()
                break
        tried = r


def find_prices(text: str) -> list[Price]:
    """Every money amount in ``text`` with its currency and offsets."""
    return list(_find_prices(text))


# two entries: the country finder, the price rule and the page's price list ask for the same page
@lru_cache(maxsize=2)
def _find_prices(text: str) -> tuple[Price, ...]:
    table = _currency_table()
    out: list[Price] = []
    for m in _matches(text):
        if m.group("a1") is not None:
            first, second, marks = m.group("a1"), m.group("a2"), [m.group("suf1"), m.group("pre")]
        else:
            first, second, marks = m.group("b1"), m.group("b2"), [m.group("suf2")]
        codes = [table[k.lower()] for k in marks if k and k.lower() in table]
        # "$250.000 MXN": the written code after the amount beats the bare "$" before it
        code = next((c for c in codes if c != "USD?"), None)
        guessed = code is None
        amount = parse_amount(first)
        if amount is None or amount == 0:
            continue
        high = parse_amount(second) if second else None
        if high is not None and first.strip().replace(".", "").replace(",", "").isdigit():
            # "8-15 thousand", "3-5 lakh": the multiplier written once covers both ends
            factor = high / (parse_amount(re.sub(r"[A-Za-z\s]+$", "", second or "")) or high)
            amount *= factor
        if high is not None and high < amount:
            high = None
        out.append(Price(amount=amount, currency=code or "USD", amount_max=high, text=m.group(0),
                         start=m.start(), end=m.end(), currency_guessed=guessed))
    return tuple(out)
