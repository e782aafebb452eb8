"""Read scan report lines through the report-line model the scanner writes them with.

A line is validated as a :class:`factcheck.report_line.ReportLine`: tolerant of extra fields (the
report format welcomes them), strict about the declared ones. A line that is not JSON, not an
object, or has a faulty field becomes a :class:`LineProblem` naming the file, line and field, and
the other lines are still read. The names below (``PageRecord``, ``ClaimRecord``, ``Term``) are
the report writers' names for the model's classes.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from factcheck.report_line import (
    FLAGGED,
    ClaimLine,
    ContextCue,
    EvidenceRef,
    LineError,
    ReportLine,
    TermRef,
    Verdict,
    parse_obj,
)

__all__ = ["FLAGGED", "VERDICTS", "ClaimRecord", "ContextCue", "Evidence", "LineProblem", "LoadedReport",
           "PageRecord", "RecordError", "Term", "iter_claims", "load", "page_from_dict", "read_report"]

VERDICTS: tuple[Verdict, ...] = ("unproven", "overstated", "supported")

PageRecord = ReportLine
ClaimRecord = ClaimLine
Term = TermRef
Evidence = EvidenceRef
RecordError = LineError


@dataclass(frozen=True, slots=True)
class LineProblem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(slots=True)
class LoadedReport:
    pages: list[PageRecord]
    problems: list[LineProblem]


def page_from_dict(obj: Any, origin: str = "") -> PageRecord:
    """Read one report line's object; raises :class:`RecordError` naming the faulty field."""
    line = parse_obj(obj, origin)
    for claim in line.claims:
        for ev in claim.evidence:
            if not ev.summary:
                ev.summary = _bundled_summary(ev.record)
    return line


def read_report(path: str | os.PathLike[str]) -> LoadedReport:
    """Read a JSONL scan report; unreadable lines become problems, the rest are kept."""
    pages: list[PageRecord] = []
    problems: list[LineProblem] = []
    name = os.fspath(path)
    # errors="replace": one bad byte should cost a character, not the whole report
    with open(path, encoding="utf-8", errors="replace") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                message = f"not valid JSON ({exc.msg} at column {exc.colno})"
                problems.append(LineProblem(name, lineno, message))
                continue
            try:
                pages.append(page_from_dict(obj, origin=f"{name}:{lineno}"))
            except RecordError as exc:
                problems.append(LineProblem(name, lineno, str(exc) or "invalid line"))
    return LoadedReport(pages, problems)


ReportInput = str | os.PathLike[str] | Iterable[Mapping[str, Any] | PageRecord] | LoadedReport


def load(report: ReportInput) -> LoadedReport:
    """Accept a report path, a :class:`LoadedReport`, or an iterable of report dicts / records."""
    if isinstance(report, LoadedReport):
        return report
    if isinstance(report, str | os.PathLike):
        return read_report(report)
    pages: list[PageRecord] = []
    problems: list[LineProblem] = []
    for i, item in enumerate(report, start=1):
        if isinstance(item, PageRecord):
            pages.append(item)
            continue
        try:
            pages.append(page_from_dict(item, origin=f"record {i}"))
        except RecordError as exc:
            problems.append(LineProblem("<records>", i, str(exc)))
    return LoadedReport(pages, problems)


def iter_claims(pages: Iterable[PageRecord]) -> Iterator[tuple[PageRecord, ClaimRecord]]:
    for page in pages:
        for claim in page.claims:
            yield page, claim


@functools.lru_cache(maxsize=1024)
def _bundled_summary(record_id: str) -> str:
    """Scan lines cite records by id; the summary comes from the bundled database when it has it."""
    try:
        from factcheck.db import default_db

        record = default_db().records.get(record_id)
    except Exception:  # a report must render even if the database cannot be loaded here
        return ""
    return record.summary if record is not None else ""
