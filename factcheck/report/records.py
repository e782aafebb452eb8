"""Read scan report lines into small typed records the report writers share.

Reading is tolerant of extra fields (the report format welcomes them) and strict about the
fields the contract requires (spec/report-format.md): a line that is not a JSON object, or
lacks a required field, becomes a :class:`LineProblem` naming the file and line, and the other
lines are still read.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

FLAGGED = frozenset({"overstated", "unproven"})
VERDICTS = ("unproven", "overstated", "supported")


class RecordError(ValueError):
    """A report line (or one of its claims) does not follow the report format."""


@dataclass(frozen=True, slots=True)
class Term:
    """A recognised therapy, condition or outcome mention; offsets are into the page text."""

    id: str
    text: str
    start: int | None = None
    end: int | None = None
    alias: str | None = None
    score: float | None = None
    method: str | None = None
    subtype: str | None = None


@dataclass(frozen=True, slots=True)
class ContextCue:
    category: str
    cue: str
    start: int | None = None
    end: int | None = None
    rule: str = ""


@dataclass(frozen=True, slots=True)
class Evidence:
    record: str
    status: str
    sources: tuple[str, ...] = ()
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    therapy: Term
    condition: Term
    outcome: Term | None
    verdict: str
    flagged: bool
    sentence: str
    start: int
    end: int
    reason: str = ""
    basis: str = ""
    subtypes: tuple[str, ...] = ()
    context: tuple[ContextCue, ...] = ()
    evidence: tuple[Evidence, ...] = ()

    @property
    def subtype(self) -> str | None:
        return self.condition.subtype or (self.subtypes[0] if self.subtypes else None)

    @property
    def sources(self) -> list[str]:
        """Evidence source URLs, de-duplicated, in order."""
        return list(dict.fromkeys(u for e in self.evidence for u in e.sources))


@dataclass(slots=True)
class PageRecord:
    source: str
    status: str
    claims: list[ClaimRecord]
    url: str | None = None
    error: dict[str, str] | None = None
    stance: str | None = None
    stance_reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text_length: int | None = None
    text: str | None = None
    #: where the line came from ("report.jsonl:12"), for messages
    origin: str = ""

    @property
    def flagged(self) -> list[ClaimRecord]:
        return [c for c in self.claims if c.flagged]

    @property
    def location(self) -> str:
        """The page URL when known, else its source path."""
        return self.url or self.source


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


# --------------------------------------------------------------------------- field readers


def _str(obj: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise RecordError(f"{where}: missing required field {key!r}")
        return None
    if not isinstance(value, str):
        raise RecordError(f"{where}: field {key!r} must be a string, got {type(value).__name__}")
    return value


def _int(obj: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> int | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise RecordError(f"{where}: missing required field {key!r}")
        return None
    # bool is an int subclass; a true/false offset is a bug upstream, not an offset
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(f"{where}: field {key!r} must be an integer, got {value!r}")
    return value


def _term(obj: Any, where: str) -> Term:
    if not isinstance(obj, Mapping):
        raise RecordError(f"{where}: must be an object, got {type(obj).__name__}")
    score = obj.get("score")
    return Term(
        id=_str(obj, "id", where) or "",
        text=_str(obj, "text", where, required=False) or "",
        start=_int(obj, "start", where, required=False),
        end=_int(obj, "end", where, required=False),
        alias=_str(obj, "alias", where, required=False),
        score=float(score) if isinstance(score, int | float) and not isinstance(score, bool) else None,
        method=_str(obj, "method", where, required=False),
        subtype=_str(obj, "subtype", where, required=False),
    )


def _claim(obj: Any, where: str) -> ClaimRecord:
    if not isinstance(obj, Mapping):
        raise RecordError(f"{where}: must be an object, got {type(obj).__name__}")
    for key in ("therapy", "condition", "verdict", "flagged", "sentence", "start", "end", "evidence"):
        if key not in obj:
            raise RecordError(f"{where}: missing required field {key!r}")
    if not isinstance(obj["flagged"], bool):
        raise RecordError(f"{where}: field 'flagged' must be true or false")
    evidence_raw = obj["evidence"]
    if not isinstance(evidence_raw, list):
        raise RecordError(f"{where}: field 'evidence' must be a list")
    evidence = []
    for j, ev in enumerate(evidence_raw):
        ew = f"{where}.evidence[{j}]"
        if not isinstance(ev, Mapping):
            raise RecordError(f"{ew}: must be an object")
        sources = ev.get("sources") or []
        if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
            raise RecordError(f"{ew}: field 'sources' must be a list of strings")
        evidence.append(Evidence(
            record=_str(ev, "record", ew) or "",
            status=_str(ev, "status", ew, required=False) or "",
            sources=tuple(sources),
            summary=_str(ev, "summary", ew, required=False) or _bundled_summary(_str(ev, "record", ew) or ""),
        ))
    context = []
    for j, cue in enumerate(obj.get("context") or []):
        cw = f"{where}.context[{j}]"
        if not isinstance(cue, Mapping):
            raise RecordError(f"{cw}: must be an object")
        context.append(ContextCue(
            category=_str(cue, "category", cw) or "",
            cue=_str(cue, "cue", cw, required=False) or "",
            start=_int(cue, "start", cw, required=False),
            end=_int(cue, "end", cw, required=False),
            rule=_str(cue, "rule", cw, required=False) or "",
        ))
    subtypes = obj.get("subtypes") or []
    # `subtypes` is a list of ids in the report; be lenient about full match objects too
    subtype_ids = tuple(s["id"] if isinstance(s, Mapping) and "id" in s else str(s) for s in subtypes)
    outcome = obj.get("outcome")
    return ClaimRecord(
        therapy=_term(obj["therapy"], f"{where}.therapy"),
        condition=_term(obj["condition"], f"{where}.condition"),
        outcome=_term(outcome, f"{where}.outcome") if outcome is not None else None,
        verdict=_str(obj, "verdict", where) or "",
        flagged=obj["flagged"],
        sentence=_str(obj, "sentence", where) or "",
        start=_int(obj, "start", where) or 0,
        end=_int(obj, "end", where) or 0,
        reason=_str(obj, "reason", where, required=False) or "",
        basis=_str(obj, "basis", where, required=False) or "",
        subtypes=subtype_ids,
        context=tuple(context),
        evidence=tuple(evidence),
    )


def page_from_dict(obj: Any, origin: str = "") -> PageRecord:
    """Read one report line's object; raises :class:`RecordError` naming the faulty field."""
    where = origin or "report line"
    if not isinstance(obj, Mapping):
        raise RecordError(f"{where}: a report line must be a JSON object, got {type(obj).__name__}")
    source = _str(obj, "source", where) or ""
    status = _str(obj, "status", where) or ""
    if status not in ("ok", "error"):
        raise RecordError(f"{where}: field 'status' must be 'ok' or 'error', got {status!r}")
    claims_raw = obj.get("claims")
    if claims_raw is None:
        raise RecordError(f"{where}: missing required field 'claims'")
    if not isinstance(claims_raw, list):
        raise RecordError(f"{where}: field 'claims' must be a list")
    error = obj.get("error")
    if error is not None and not isinstance(error, Mapping):
        raise RecordError(f"{where}: field 'error' must be an object or null")
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise RecordError(f"{where}: field 'text' must be a string")
    return PageRecord(
        source=source,
        status=status,
        claims=[_claim(c, f"{where}: claims[{i}]") for i, c in enumerate(claims_raw)],
        url=_str(obj, "url", where, required=False),
        error={str(k): str(v) for k, v in error.items()} if error else None,
        stance=_str(obj, "stance", where, required=False),
        stance_reasons=[str(s) for s in obj.get("stance_reasons") or []],
        warnings=[str(s) for s in obj.get("warnings") or []],
        text_length=_int(obj, "text_length", where, required=False),
        text=text,
        origin=origin,
    )


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
                msg = str(exc).removeprefix(f"{name}:{lineno}: ").removeprefix(f"{name}:{lineno}")
                problems.append(LineProblem(name, lineno, msg.lstrip(": ") or "invalid line"))
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
            problems.append(LineProblem("<records>", i, str(exc).removeprefix(f"record {i}: ")))
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
