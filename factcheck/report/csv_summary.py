"""CSV for spreadsheets and pandas: a summary per domain and one row per claim.

Cells holding text from a scanned page are neutralised against spreadsheet formula injection
(OWASP "CSV injection"): a text cell starting with ``= + - @`` or a tab/CR gets a leading ``'``,
which spreadsheets hide and which keeps a hostile page from running a formula on a reader's machine.
Numbers and booleans are written as they are.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .naming import domain_of
from .records import PageRecord, ReportInput, load

DOMAIN_COLUMNS = ("domain", "pages", "pages_with_flags", "flagged_claims", "claims", "therapies",
                  "conditions", "errors")
CLAIM_COLUMNS = ("source", "url", "therapy", "condition", "subtype", "outcome", "verdict", "flagged",
                 "sentence", "start", "end", "records")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A CSV cell; text that a spreadsheet would read as a formula is prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass(slots=True)
class DomainRow:
    domain: str
    pages: int = 0
    pages_with_flags: int = 0
    flagged_claims: int = 0
    claims: int = 0
    therapies: set[str] = field(default_factory=set)
    conditions: set[str] = field(default_factory=set)
    errors: int = 0

    def as_row(self) -> list[object]:
        return [self.domain, self.pages, self.pages_with_flags, self.flagged_claims, self.claims,
                ";".join(sorted(self.therapies)), ";".join(sorted(self.conditions)), self.errors]


def domain_summary(pages: Iterable[PageRecord]) -> list[DomainRow]:
    """Rows per domain, most flagged claims first."""
    rows: dict[str, DomainRow] = {}
    for page in pages:
        domain = domain_of(page)
        row = rows.setdefault(domain, DomainRow(domain))
        row.pages += 1
        row.errors += page.status == "error"
        row.claims += len(page.claims)
        flagged = page.flagged
        row.flagged_claims += len(flagged)
        row.pages_with_flags += bool(flagged)
        row.therapies.update(c.therapy.id for c in page.claims)
        row.conditions.update(c.condition.id for c in page.claims)
    return sorted(rows.values(), key=lambda r: (-r.flagged_claims, -r.pages, r.domain))


def _write(path: str | os.PathLike[str], header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    # utf-8 without BOM: pandas and csv read it as is; newline="" lets csv write \r\n row ends only
    # errors="replace": a lone surrogate (legal in JSON, not in UTF-8) must not stop the file
    with out.open("w", encoding="utf-8", errors="replace", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([cell(v) for v in row] for row in rows)
    return out


def write_domain_csv(report: ReportInput, path: str | os.PathLike[str]) -> Path:
    """One row per domain: pages, pages_with_flags, flagged_claims, claims, therapies, conditions."""
    return _write(path, DOMAIN_COLUMNS, (r.as_row() for r in domain_summary(load(report).pages)))


def write_claims_csv(records: ReportInput, path: str | os.PathLike[str]) -> Path:
    """One row per claim; ``records`` lists the evidence record ids, ``;``-separated."""
    def rows() -> Iterable[list[object]]:
        for page in load(records).pages:
            for c in page.claims:
                yield [page.source, page.url or "", c.therapy.id, c.condition.id, c.subtype or "",
                       c.outcome.id if c.outcome else "", c.verdict, c.flagged, c.sentence, c.start,
                       c.end, ";".join(e.record for e in c.evidence)]
    return _write(path, CLAIM_COLUMNS, rows())
