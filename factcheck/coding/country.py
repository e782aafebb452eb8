"""Where the page says treatment is given (ISO 3166-1 alpha-2), with the evidence that decided.

Evidence, strongest first: a postal address (US ZIP after a state code, a place on an address or
contact line), a place right after a location cue ("our clinic in Tijuana", "treatment in
Moscow"), a phone number's country code, a city or region, a country name, a local currency, the
URL's top-level domain. Each kind counts at most a few times per country, so a long page that
names one country often does not drown the one address it gives.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

import ahocorasick

from .models import CountryEvidence, CountryResult
from .prefilter import digit_runs
from .prices import find_prices

WEIGHTS = {"address": 6.0, "clinic_location": 5.0, "phone": 3.0, "city": 2.0, "country_name": 1.5,
           "currency": 1.0, "tld": 1.0, "regulator": 0.5}
#: mentions of one kind counted per country
MAX_PER_KIND = 3
_CUE_WINDOW = 60
_POSTCODE_AFTER = re.compile(r",?\s*(?:\d{4,6}\b|[A-Z]{2}\s\d{5})")
_PLACE_PREPOSITION = re.compile(r"\b(?:in|en|to|a|at|em|near|of)\s+(?:the\s+)?$")
#: a place inside a journal's name ("New England Journal of Medicine", "Revista Médica de Chile"): where a
#: paper appeared, not where treatment is given (a national society a doctor belongs to still counts)
_IN_TITLE_AFTER = re.compile(r"\s(?:Journal|Medical Journal)\b")
_IN_TITLE_BEFORE = re.compile(r"\b(?:Journal of(?: the)?|Revista)\s+(?:\w+\s+){0,2}(?:de(?:l| la)?\s+)?$")

_US_ZIP_BODY = (r"(?:A[KLRZ]|C[AOT]|D[CE]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[ADEINOST]|N[CDEHJMVY]|O[HKR]|PA|RI|"
                r"S[CD]|T[NX]|UT|V[AT]|W[AIVY])\s\d{5}(?:-\d{4})?\b")
_US_ZIP = re.compile(r"\b" + _US_ZIP_BODY)
_ORIGIN = re.compile(r"\b(?:from|desde|de origen)\s+(?:\w+\s+){0,1}(?:(?:and|or|y|e)\s+)?$|"
                     r"\bfrom\s+[A-Z]\w+(?:\s[A-Z]\w+)?,?\s+(?:and|or)\s+$")
_PHONE_BODY = r"\+\s?(\d{1,3})[\s\-.(]"
_PHONE = re.compile(r"(?<![\w+])" + _PHONE_BODY)
#: "(813) 555-0123", "813-555-0123": the North American numbering plan
_NANP = re.compile(r"(?<![\d+])(?:\(\d{3}\)\s?|\d{3}[-.])\d{3}[-.]\d{4}(?!\d)")
# "Tampa, FL"; without the codes that are also degrees or titles after a name (MD, MS, PA, DO, ME)
_US_CITY_STATE_BODY = (r"[A-Z][a-z]+(?: [A-Z][a-z]+)?, (?:A[KLRZ]|C[AOT]|FL|GA|HI|I[ADLN]|K[SY]|LA|M[AINOT]|"
                       r"N[CDEHJMVY]|O[HKR]|RI|S[CD]|T[NX]|UT|V[AT]|W[AIVY])\b(?!\.\w)")
_US_CITY_STATE = re.compile(r"\b" + _US_CITY_STATE_BODY)
#: each pattern without its leading zero-width test: re finds where those start by their first
#: characters (a literal or a set), which it cannot do past a leading \b or lookbehind
#: (_US_ZIP and _NANP are tried where runs of digits say they can start: _zip_starts, _nanp_starts)
_FINDERS = {_PHONE: re.compile(_PHONE_BODY), _US_CITY_STATE: re.compile(_US_CITY_STATE_BODY)}


def _finditer(pattern: re.Pattern[str], finder: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, where every match of ``pattern`` starts where ``finder`` matches
    (``finder`` is ``pattern`` without its leading zero-width test, or looser still).

    ``pattern`` is tried only where ``finder`` matches, in order, going on after each match as
    ``finditer`` does (a lookbehind still sees the text before the place: ``match`` reads the
    whole string). ``pattern`` does not match the empty string.
    """
    pos = 0
    search, match = finder.search, pattern.match
    while (c := search(text, pos)) is not None:
        p = c.start()
        m = match(text, p)
        if m is not None and m.end() > p:
            yield m
            pos = m.end()
        else:
            pos = p + 1


def _tried_at(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` where every match starts at one of ``starts`` (ascending): tried
    there only, going on after each match as ``finditer`` does."""
    pos = 0
    match = pattern.match
    for p in starts:
        if p < pos:
            continue
        m = match(text, p)
        if m is not None and m.end() > p:
            yield m
            pos = m.end()


def _zip_starts(runs: Iterable[tuple[int, int]]) -> Iterator[int]:
    r"""Where a ``_US_ZIP`` match can start: its five digits follow ``\s`` and are not followed by a
    digit (``\b``, or "-" and four), so they are a whole run of ``\d``; the match starts three
    characters before (a state code and one space)."""
    return (r - 3 for r, e in runs if e - r == 5 and r >= 3)


def _nanp_starts(runs: Iterable[tuple[int, int]], text: str) -> Iterator[int]:
    r"""Where a ``_NANP`` match can start: at a run of exactly three digits (not after a digit,
    then "-" or "."), or at the "(" right before one ("(813)")."""
    for r, e in runs:
        if e - r == 3:
            if r and text[r - 1] == "(":
                yield r - 1
            yield r


@dataclass(frozen=True, slots=True)
class _Gazetteer:
    names: Any
    kind_of: dict[str, tuple[str, str]]  # surface form -> (country, kind)
    regulators: re.Pattern[str]
    regulators_at: re.Pattern[str]  # the same without the leading \b (_finditer)
    regulator_country: dict[str, str]
    phone: dict[str, str]
    currency: dict[str, str]
    tld: dict[str, str]
    location_cue: re.Pattern[str]
    address_cue: re.Pattern[str]
    eu_members: frozenset[str]


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    raw = json.loads((resources.files("factcheck.coding") / "data" / "places.json").read_text("utf-8"))
    kind_of: dict[str, tuple[str, str]] = {}
    phone, currency, tld = {}, {}, {}
    for code, c in raw["countries"].items():
        for name in c["names"]:
            kind_of[name] = (code, "country_name")
        for city in c["cities"]:
            kind_of[city] = (code, "city")
        if c.get("phone"):
            phone[c["phone"]] = code
        for cur in c.get("currencies", []):
            currency[cur] = code
        tld[c["tld"]] = code
    # case-sensitive: place names are capitalised ("Cali", not "cali"); whole words only (checked
    # on each hit). Aho-Corasick: one pass over the page whatever the size of the gazetteer.
    names = ahocorasick.Automaton()
    for name in kind_of:
        names.add_word(name, name)
    names.make_automaton()

    def cue(words: list[str]) -> re.Pattern[str]:
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)

    regs = raw.get("regulators", {})
    reg_body = r"(?:" + "|".join(re.escape(r) for r in sorted(regs, key=len, reverse=True)) + r")\b"
    return _Gazetteer(names, kind_of, re.compile(r"\b" + reg_body), re.compile(reg_body), regs, phone, currency, tld,
                      cue(raw["location_cues"]),
                      cue(raw["address_cues"]), frozenset(raw["eu_members"]))


def _line_of(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return text[start:end if end >= 0 else len(text)]


def _place_hits(g: _Gazetteer, text: str) -> list[tuple[int, int, str]]:
    """Whole-word gazetteer hits, longest first where they overlap ("Mexico City" over "Mexico")."""
    hits = []
    for last, name in g.names.iter(text):
        start, end = last - len(name) + 1, last + 1
        if (start > 0 and (text[start - 1].isalnum() or text[start - 1] in "._")) or (
                end < len(text) and (text[end].isalnum() or text[end] == "_")):
            continue
        hits.append((start, end, name))
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, str]] = []
    for h in hits:
        if not kept or h[0] >= kept[-1][1]:
            kept.append(h)
    return kept


def find_country(text: str, *, url: str | None = None) -> CountryResult:
    """The country where the page says treatment is given, or ``country=None`` without evidence."""
    g = gazetteer()
    evidence: list[CountryEvidence] = []
    #: line start -> the line holds an address cue (a long page names many places per line)
    address_lines: dict[int, bool] = {}
    for start, end, name in _place_hits(g, text):
        code, kind = g.kind_of[name]
        before = text[max(0, start - _CUE_WINDOW):start]
        if _IN_TITLE_AFTER.match(text, end) or _IN_TITLE_BEFORE.search(before):
            continue  # a journal named after a place says nothing of where treatment is given
        line_start = text.rfind("\n", 0, start) + 1
        on_address_line = address_lines.get(line_start)
        if on_address_line is None:
            on_address_line = address_lines[line_start] = g.address_cue.search(_line_of(text, start)) is not None
        after = text[end:end + 12]
        if on_address_line or _POSTCODE_AFTER.match(after):
            kind = "address"
        elif _PLACE_PREPOSITION.search(before) and g.location_cue.search(before):
            kind = "clinic_location"
        weight = WEIGHTS[kind]
        if kind in ("city", "country_name") and _ORIGIN.search(before):
            weight /= 4  # "patients come from Texas and California": where they live, not where treated
        evidence.append(CountryEvidence(country=code, kind=kind, text=name, start=start, end=end,  # type: ignore[arg-type]
                                        weight=weight))
    runs = digit_runs(text)
    for m in _tried_at(_US_ZIP, text, _zip_starts(runs)):
        evidence.append(CountryEvidence(country="US", kind="address", text=m.group(0), start=m.start(),
                                        end=m.end(), weight=WEIGHTS["address"]))
    for m in _finditer(_US_CITY_STATE, _FINDERS[_US_CITY_STATE], text):
        evidence.append(CountryEvidence(country="US", kind="address", text=m.group(0), start=m.start(),
                                        end=m.end(), weight=WEIGHTS["address"] / 2))
    for m in _tried_at(_NANP, text, _nanp_starts(runs, text)):
        evidence.append(CountryEvidence(country="US", kind="phone", text=m.group(0), start=m.start(),
                                        end=m.end(), weight=WEIGHTS["phone"] / 2))
    for m in _finditer(g.regulators, g.regulators_at, text):
        evidence.append(CountryEvidence(country=g.regulator_country[m.group(0)], kind="regulator", text=m.group(0),
                                        start=m.start(), end=m.end(), weight=WEIGHTS["regulator"]))
    for m in _finditer(_PHONE, _FINDERS[_PHONE], text):
        digits = m.group(1)
        dialled = next((g.phone[digits[:n]] for n in (3, 2, 1) if digits[:n] in g.phone), None)
        if dialled:
            evidence.append(CountryEvidence(country=dialled, kind="phone", text=m.group(0).strip(), start=m.start(),
                                            end=m.end(), weight=WEIGHTS["phone"]))
    for price in find_prices(text):
        issuer = g.currency.get(price.currency)
        if issuer:
            evidence.append(CountryEvidence(country=issuer, kind="currency", text=price.text, start=price.start,
                                            end=price.end, weight=WEIGHTS["currency"]))
    if url:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        suffix = host.rsplit(".", 1)[-1] if "." in host else ""
        if suffix in g.tld:
            evidence.append(CountryEvidence(country=g.tld[suffix], kind="tld", text=host, weight=WEIGHTS["tld"]))
    return decide(evidence)


def decide(evidence: list[CountryEvidence]) -> CountryResult:
    """Sum capped weights per country; the highest wins; ``decided_by`` is its heaviest kind."""
    totals: dict[str, dict[str, float]] = {}
    counts: dict[tuple[str, str], int] = {}
    for ev in evidence:
        key = (ev.country, ev.kind)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= MAX_PER_KIND:
            by_kind = totals.setdefault(ev.country, {})
            by_kind[ev.kind] = by_kind.get(ev.kind, 0.0) + ev.weight
    if not totals:
        return CountryResult(evidence=evidence)
    best = max(totals, key=lambda c: (sum(totals[c].values()), max(totals[c].values())))
    kinds = totals[best]
    decided_by = max(kinds, key=lambda k: (kinds[k], WEIGHTS[k]))
    shown = [e for e in evidence if e.country == best][:10] + [e for e in evidence if e.country != best][:5]
    return CountryResult(country=best, decided_by=decided_by, score=round(sum(kinds.values()), 2), evidence=shown)




def jurisdiction_of(country: str | None) -> str | None:
    """The evidence-record jurisdiction a country's approvals are filed under ("UK", "EU", "JP"...)."""
    if country is None:
        return None
    if country == "GB":
        return "UK"
    # EU members: an EU-wide (EMA) approval is in force there
    return "EU" if country in gazetteer().eu_members else country


def jurisdiction_note(place: CountryResult | None) -> str:
    """What the reason of a claim says about the jurisdiction used (``jurisdiction="auto"``)."""
    if place is None or place.country is None:
        return "jurisdiction auto: no country found on the page, so only international acceptance counts"
    code = jurisdiction_of(place.country)
    via = f" ({code})" if code != place.country else ""
    return f"jurisdiction auto: judged for {place.country}{via}, the page's country (decided by {place.decided_by})"
