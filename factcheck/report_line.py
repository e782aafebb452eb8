"""One line of a scan report: the model that writes it (scan, ``to_report_dict``) and reads it back.

``ReportLine`` is the public contract (docs/report-format.md, JSON Schema in
docs/report-line.schema.json). Writing builds the models from a checked page without
re-validating (the checker made the values); reading validates every line and names the faulty
field with its file and line (:func:`parse_line`). Fields other than the ones declared here are
kept on read (the format welcomes them) and never dropped by the report writers.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, Strict, ValidationError

if TYPE_CHECKING:
    from factcheck.models import Claim, PageReport, TermMatch

#: character offsets are integers, never true/false (a bool offset is a bug upstream)
Offset = Annotated[int, Strict()]
Verdict = Literal["supported", "overstated", "unproven"]
FLAGGED = frozenset({"overstated", "unproven"})


class _Line(BaseModel):
    # extra="allow": the report format welcomes more fields; they are kept, not refused
    model_config = ConfigDict(extra="allow")


class TermRef(_Line):
    """A recognised therapy, condition or outcome mention; offsets are into the page text."""

    id: str = Field(description="database id (therapies/, conditions/ or outcomes/ of claims_db)")
    text: str = Field("", description="the words on the page")
    start: Offset | None = Field(None, description="offset of the first character in the page text")
    end: Offset | None = Field(None, description="offset just past the last character")
    alias: str | None = Field(None, description="the database alias the words matched")
    score: float | None = Field(None, description="match score, 100 for exact matches")
    method: str | None = Field(
        None, description="how it was recognised: exact, fuzzy, abbreviation, page_abbreviation, "
        "procedure_cue or topic")


class ConditionRef(TermRef):
    """The condition of a claim, with the subtypes named beside it."""

    subtype: str | None = Field(None, description="id of the first subtype named (e.g. spms), or null")
    subtypes: list[TermRef] = Field(default_factory=list, description="every subtype mention of the claim")


class ContextCue(_Line):
    """A ConText cue that shaped the claim (negation, offer, trial-only...)."""

    category: str = Field(description="cue category of the context rules (NEGATED, REPORTED, "
                          "GUARANTEE, OTHER_TREATMENT...)")
    cue: str = Field("", description="the words of the cue")
    start: Offset | None = Field(None, description="offset of the cue in the page text")
    end: Offset | None = Field(None, description="offset just past the cue")
    rule: str = Field("", description="name of the context rule that matched (CATEGORY:literal)")


class EvidenceRef(_Line):
    """An evidence record the verdict rests on; lines cite records by id."""

    record: str = Field(description="evidence record id (claims_db/records/)")
    status: str = Field("", description="record status: approved, guideline_accepted, investigational, "
                        "trials_negative, never_trialled or withdrawn")
    sources: list[str] = Field(default_factory=list, description="URLs of the record's sources")
    summary: str | None = Field(None, description="the record's summary (not written by scan; the "
                                "report writer looks it up in the bundled database)")


class ClaimLine(_Line):
    """A claim: therapy X helps condition Y, with its verdict and why."""

    therapy: TermRef = Field(description="the therapy as named on the page")
    condition: ConditionRef = Field(description="the condition, with its subtypes")
    outcome: TermRef | None = Field(None, description="the promised outcome, or null when none is stated")
    verdict: Verdict = Field(description="supported, overstated or unproven (docs/report-format.md)")
    flagged: Annotated[bool, Strict()] = Field(description="true when the verdict is overstated or unproven")
    reason: str = Field("", description="why the verdict, in a sentence")
    basis: str = Field("record", description="record: an evidence record decided; default: none exists "
                       "for the pair")
    sentence: str = Field(description="the sentence (or heading) that carries the claim")
    start: Offset = Field(description="offset of the sentence in the page text")
    end: Offset = Field(description="offset just past the sentence")
    context: list[ContextCue] = Field(default_factory=list, description="cues around the claim that "
                                      "shaped it")
    evidence: list[EvidenceRef] = Field(description="the records the verdict rests on (empty when none "
                                        "exists: basis default)")

    @property
    def subtype(self) -> str | None:
        return self.condition.subtype or (self.condition.subtypes[0].id if self.condition.subtypes else None)

    @property
    def sources(self) -> list[str]:
        """Evidence source URLs, de-duplicated, in order."""
        return list(dict.fromkeys(u for e in self.evidence for u in e.sources))


class ErrorInfo(_Line):
    """Why a page could not be checked (lines with status error)."""

    type: str = Field(description="error class (Timeout, DecodeError, TooLarge, WorkerCrash...)")
    message: str = Field(description="what went wrong, for people")


class ReportLine(_Line):
    """One scanned page: every input gets exactly one line, pages that failed included."""

    source: str = Field(description="the input path (or archive member / JSONL record) as given or found")
    url: str | None = Field(None, description="the page URL when known (WARC, JSONL, canonical link)")
    status: Literal["ok", "error"] = Field(description="ok, or error when the page could not be checked")
    error: ErrorInfo | None = Field(None, description="null unless status is error")
    stance: str | None = Field(None, description="the page's stance: offer, inform or assert (no cue "
                               "either way); null when the page could not be read")
    stance_reasons: list[str] = Field(default_factory=list, description="cues that set the stance")
    warnings: list[str] = Field(default_factory=list, description="what was cut or repaired on the way in")
    text_length: Offset | None = Field(None, description="characters of extracted text")
    claims: list[ClaimLine] = Field(description="the claims found (empty for error lines)")
    dismissed: list[dict[str, Any]] = Field(
        default_factory=list, description="candidate claims set aside, each with the reason")
    text: str | None = Field(None, description="the extracted text the offsets point into (scan "
                             "--with-text only)")
    lang: str | None = Field(None, description="ISO 639-1 code of the page's main language")
    country: str | None = Field(None, description="ISO 3166-1 alpha-2 code where the page says treatment "
                                "is given")
    features: dict[str, Any] | None = Field(None, description="page coding (offers_treatment, price, ...)")
    feature_evidence: dict[str, Any] | None = Field(
        None, description="what decided each true feature (span, sentence, offsets, rule), prices with amount and "
                          "currency, NCT ids, the country's evidence and the site name")

    _origin: str = PrivateAttr(default="")

    @property
    def origin(self) -> str:
        """Where the line came from ("report.jsonl:12"), for messages."""
        return self._origin

    @property
    def flagged(self) -> list[ClaimLine]:
        return [c for c in self.claims if c.flagged]

    @property
    def location(self) -> str:
        """The page URL when known, else its source path."""
        return self.url or self.source

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of the line: the fields that were given (None where given as None)."""
        return self.model_dump(exclude_unset=True)

    def to_json(self) -> str:
        """The line's JSON text (compact, UTF-8 characters unescaped), as ``json.dumps(to_dict())``.

        pydantic's serializer is ~1.8x cheaper than building the dict and dumping it; it refuses
        lone surrogates (a file name read with surrogateescape), which json.dumps passes through.
        """
        try:
            return self.model_dump_json(exclude_unset=True)
        except (UnicodeEncodeError, ValueError):
            return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    # ------------------------------------------------------------------ writing
    @classmethod
    def from_page_report(cls, report: PageReport, *, claims: bool = True) -> ReportLine:
        """The line of a checked page (values the checker made: built, not re-validated).

        ``claims=False`` leaves the claims list empty (``report_dict`` writes them itself)."""
        values: dict[str, Any] = {
            "source": report.source, "url": report.url, "status": report.status,
            "error": _built(ErrorInfo, {"type": report.error.type, "message": report.error.message})
            if report.error else None,
            "stance": report.stance, "stance_reasons": report.stance_reasons, "warnings": report.warnings,
            "text_length": report.text_length, "claims": [claim_line(c) for c in report.claims] if claims else [],
            "dismissed": report.dismissed,
        }
        unset = dict(_NO_PAGE_CODING)
        coded = getattr(report, "features", None) is not None
        for name in _NO_PAGE_CODING:  # page coding the checker made is written (country: null when unknown)
            value = getattr(report, name, None)
            if value is not None or (coded and name == "country"):
                values[name] = value
                del unset[name]
        if report.text is not None:
            values["text"] = report.text
        else:
            unset["text"] = None
        return _built(cls, values, unset)


_M = TypeVar("_M", bound=_Line)


def _built(cls: type[_M], values: dict[str, Any], unset: dict[str, Any] | None = None) -> _M:
    """``cls`` from values the checker made, without validation (``model_construct`` costs 3x more).

    ``values`` are the fields written; ``unset`` holds the others (with their defaults), which
    ``to_dict`` leaves out.
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", {**values, **unset} if unset else values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", {})
    object.__setattr__(obj, "__pydantic_private__", {"_origin": ""} if cls is ReportLine else None)
    return obj


_NO_SUMMARY = {"summary": None}
_NO_PAGE_CODING = {"lang": None, "country": None, "features": None, "feature_evidence": None}


def _term(match: TermMatch) -> TermRef:
    return _built(TermRef, {"id": match.id, "text": match.text, "start": match.start, "end": match.end,
                            "alias": match.alias, "score": match.score, "method": match.method})


def claim_line(claim: Claim) -> ClaimLine:
    """The report form of a checked claim (the record summary is left out: lines cite by id)."""
    c = claim.condition
    condition = _built(ConditionRef, {
        "id": c.id, "text": c.text, "start": c.start, "end": c.end, "alias": c.alias, "score": c.score,
        "method": c.method, "subtype": claim.subtypes[0].id if claim.subtypes else None,
        "subtypes": [_term(s) for s in claim.subtypes]})
    return _built(ClaimLine, {
        "therapy": _term(claim.therapy), "condition": condition,
        "outcome": _term(claim.outcome) if claim.outcome is not None else None,
        "verdict": claim.verdict, "flagged": claim.flagged, "reason": claim.reason, "basis": claim.basis,
        "sentence": claim.sentence, "start": claim.start, "end": claim.end,
        "context": [_built(ContextCue, {"category": f.category, "cue": f.cue, "start": f.start, "end": f.end,
                                        "rule": f.rule}) for f in claim.context],
        "evidence": [_built(EvidenceRef, {"record": e.record, "status": e.status, "sources": e.sources},
                            _NO_SUMMARY) for e in claim.evidence]})


def report_dict(report: PageReport) -> dict[str, Any]:
    """``ReportLine.from_page_report(report).to_dict()``, the claims written as dicts directly.

    A clinic page holds a hundred claims or more: building a ``ClaimLine`` of five models for each
    and dumping it cost as much as the page coding. ``claim_dict`` gives the same dict.
    """
    if not report.claims:
        return ReportLine.from_page_report(report).to_dict()
    out = ReportLine.from_page_report(report, claims=False).to_dict()
    out["claims"] = [claim_dict(c) for c in report.claims]
    return out


def _term_dict(match: TermMatch) -> dict[str, Any]:
    return {"id": match.id, "text": match.text, "start": match.start, "end": match.end, "alias": match.alias,
            "score": match.score, "method": match.method}


def claim_dict(claim: Claim) -> dict[str, Any]:
    """``claim_line(claim).to_dict()`` without the models (fields in the models' order)."""
    c = claim.condition
    return {
        "therapy": _term_dict(claim.therapy),
        "condition": {"id": c.id, "text": c.text, "start": c.start, "end": c.end, "alias": c.alias,
                      "score": c.score, "method": c.method,
                      "subtype": claim.subtypes[0].id if claim.subtypes else None,
                      "subtypes": [_term_dict(s) for s in claim.subtypes]},
        "outcome": _term_dict(claim.outcome) if claim.outcome is not None else None,
        "verdict": claim.verdict, "flagged": claim.flagged, "reason": claim.reason, "basis": claim.basis,
        "sentence": claim.sentence, "start": claim.start, "end": claim.end,
        "context": [{"category": f.category, "cue": f.cue, "start": f.start, "end": f.end, "rule": f.rule}
                    for f in claim.context],
        "evidence": [{"record": e.record, "status": e.status, "sources": list(e.sources)} for e in claim.evidence]}


# --------------------------------------------------------------------------- reading


class LineError(ValueError):
    """A report line does not follow the format; the message names the field."""


def _where(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(err: Any) -> str:
    loc = tuple(err["loc"])
    parent, field = _where(loc[:-1]), loc[-1] if loc else ""
    if err["type"] == "missing":
        text = f"missing required field {field!r}"
    elif isinstance(field, int):
        parent, text = _where(loc), err["msg"][0].lower() + err["msg"][1:]
    else:
        text = f"field {field!r}: {err['msg'][0].lower()}{err['msg'][1:]}"
    return f"{parent}: {text}" if parent else text


def parse_obj(obj: Any, origin: str = "") -> ReportLine:
    """Validate one decoded line; raises :class:`LineError` naming the first faulty field."""
    if not isinstance(obj, dict):
        raise LineError(f"a report line must be a JSON object, got {type(obj).__name__}")
    try:
        line = ReportLine.model_validate(obj)
    except ValidationError as exc:
        raise LineError(_message(exc.errors()[0])) from None
    line._origin = origin
    return line


def parse_line(text: str, origin: str = "") -> ReportLine:
    """Decode and validate one JSON line; raises :class:`LineError`."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LineError(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    return parse_obj(obj, origin)


# --------------------------------------------------------------------------- schema


def export_schema() -> dict[str, Any]:
    """The JSON Schema of one report line (docs/report-line.schema.json)."""
    schema = ReportLine.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "factcheck scan report line", **{k: v for k, v in schema.items() if k != "title"}}


def schema_text() -> str:
    return json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"


def schema_path() -> Path:
    """docs/report-line.schema.json of a source checkout."""
    return Path(__file__).resolve().parent.parent / "docs" / "report-line.schema.json"


if __name__ == "__main__":  # python -m factcheck.report_line: refresh docs/report-line.schema.json
    schema_path().write_text(schema_text(), encoding="utf-8")
    print(f"wrote {schema_path()}")
