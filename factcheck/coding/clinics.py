"""Per-clinic tables from report lines: what each clinic sells, where, for how much, with which features.

A clinic is the URL's domain (without ``www.``); for pages without a URL, the site name the
coding found in the page (``feature_evidence.site_name``); else the page itself. Works on plain
report-line dicts (report-format.md), so it reads any scan report.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from .models import BOOL_FEATURES, LEGITIMACY_TOKENS

FLAGGED = frozenset({"overstated", "unproven"})
#: one product offered for this many conditions or more is the "one product for many unrelated
#: diseases" red flag (Turner & Knoepfler 2016 counted conditions per business)
MANY_CONDITIONS = 4
_TITLE_SPLIT = re.compile(r"\s+[|\-–—·:]\s+")


def site_name(title: str | None) -> str | None:
    """The site's name from a page title ("Knee therapy | Acme Stem Cells" -> "Acme Stem Cells")."""
    if not title:
        return None
    parts = [p.strip() for p in _TITLE_SPLIT.split(title.strip()) if p.strip()]
    if len(parts) < 2:
        return None
    name = parts[-1] if len(parts[-1]) <= 60 else parts[0]
    return name if 2 <= len(name) <= 60 else None


def clinic_of(line: Mapping[str, Any]) -> str:
    url = line.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
        if host:
            return host.lower().removeprefix("www.")
    evidence = line.get("feature_evidence") or {}
    name = evidence.get("site_name") if isinstance(evidence, Mapping) else None
    if isinstance(name, str) and name:
        return name
    return str(line.get("source") or "?")


@dataclass(slots=True)
class Clinic:
    clinic: str
    pages: int = 0
    coded_pages: int = 0
    countries: Counter[str] = field(default_factory=Counter)
    therapies: Counter[str] = field(default_factory=Counter)
    #: therapy -> conditions it is offered for (claims on pages that offer treatment)
    offered: dict[str, set[str]] = field(default_factory=dict)
    conditions: set[str] = field(default_factory=set)
    flagged_claims: int = 0
    claims: int = 0
    feature_pages: Counter[str] = field(default_factory=Counter)
    prices: dict[str, list[float]] = field(default_factory=dict)

    @property
    def country(self) -> str | None:
        return self.countries.most_common(1)[0][0] if self.countries else None

    @property
    def conditions_offered(self) -> list[str]:
        return sorted({c for cs in self.offered.values() for c in cs})

    @property
    def max_conditions_per_product(self) -> int:
        return max((len(cs) for cs in self.offered.values()), default=0)

    @property
    def many_conditions(self) -> bool:
        return self.max_conditions_per_product >= MANY_CONDITIONS

    def share(self, feature: str) -> float:
        return round(self.feature_pages[feature] / self.coded_pages, 3) if self.coded_pages else 0.0

    def has(self, feature: str) -> bool:
        return self.feature_pages[feature] > 0

    def price_range(self) -> tuple[str, float, float] | None:
        """(currency, lowest, highest) in the currency the clinic states most often."""
        if not self.prices:
            return None
        currency = max(self.prices, key=lambda c: len(self.prices[c]))
        amounts = self.prices[currency]
        return currency, min(amounts), max(amounts)


def _add(clinic: Clinic, line: Mapping[str, Any]) -> None:
    clinic.pages += 1
    if line.get("status") != "ok":
        return
    if line.get("country"):
        clinic.countries[str(line["country"])] += 1
    features = line.get("features")
    offers = False
    if isinstance(features, Mapping):
        clinic.coded_pages += 1
        offers = bool(features.get("offers_treatment"))
        for name in BOOL_FEATURES:
            clinic.feature_pages[name] += bool(features.get(name))
        for token in features.get("legitimacy") or []:
            if token in LEGITIMACY_TOKENS:
                clinic.feature_pages[token] += 1
    for claim in line.get("claims") or []:
        therapy = (claim.get("therapy") or {}).get("id")
        condition = (claim.get("condition") or {}).get("id")
        if not therapy or not condition:
            continue
        clinic.claims += 1
        clinic.flagged_claims += claim.get("verdict") in FLAGGED
        clinic.therapies[therapy] += 1
        clinic.conditions.add(condition)
        if offers:
            clinic.offered.setdefault(therapy, set()).add(condition)
    evidence = line.get("feature_evidence")
    if isinstance(evidence, Mapping) and isinstance(features, Mapping) and features.get("price"):
        for price in evidence.get("prices") or []:
            try:
                amount, currency = float(price["amount"]), str(price["currency"])
            except (KeyError, TypeError, ValueError):
                continue
            clinic.prices.setdefault(currency, []).append(amount)
            if price.get("amount_max"):
                clinic.prices[currency].append(float(price["amount_max"]))


def clinics(lines: Iterable[Mapping[str, Any]]) -> list[Clinic]:
    """One :class:`Clinic` per clinic key, most flagged claims first."""
    table: dict[str, Clinic] = {}
    for line in lines:
        key = clinic_of(line)
        _add(table.setdefault(key, Clinic(key)), line)
    return sorted(table.values(), key=lambda c: (-c.flagged_claims, -c.pages, c.clinic))


def share_of_clinics(rows: list[Clinic], features: Iterable[str]) -> dict[str, float]:
    """Share of clinics (with coded pages) that show each feature on at least one page."""
    coded = [c for c in rows if c.coded_pages]
    return {f: round(sum(c.has(f) for c in coded) / len(coded), 3) if coded else 0.0 for f in features}


def by_group(rows: list[Clinic], key: str) -> dict[str, list[Clinic]]:
    """Clinics grouped by ``country`` or by ``therapy`` (a clinic counts under each therapy it sells)."""
    groups: dict[str, list[Clinic]] = {}
    for c in rows:
        names = [c.country or "unknown"] if key == "country" else (sorted(c.therapies) or ["none"])
        for name in names:
            groups.setdefault(name, []).append(c)
    return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))
