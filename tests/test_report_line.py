"""The report-line model: one shape to write and read, its schema and its documentation kept current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from factcheck.checker import Checker
from factcheck.report import read_report
from factcheck.report_line import (
    ClaimLine,
    ConditionRef,
    ContextCue,
    ErrorInfo,
    EvidenceRef,
    LineError,
    ReportLine,
    TermRef,
    parse_line,
    parse_obj,
    schema_path,
    schema_text,
)
from factcheck.scan import error_report

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "report-format.md"
MODELS: tuple[type[BaseModel], ...] = (ReportLine, ErrorInfo, ClaimLine, TermRef, ConditionRef, ContextCue,
                                       EvidenceRef)


def test_schema_file_is_current() -> None:
    assert schema_path().read_text(encoding="utf-8") == schema_text(), (
        "docs/report-line.schema.json is stale: run python -m factcheck.report_line")


def documented_fields(doc: str) -> dict[str, list[str]]:
    """The field names of each ``### `Model` `` table of the documentation."""
    out: dict[str, list[str]] = {}
    for section in re.split(r"^### ", doc, flags=re.M)[1:]:
        name = re.match(r"`(\w+)`", section)
        assert name, section[:40]
        out[name.group(1)] = re.findall(r"^\| `(\w+)` \|", section, flags=re.M)
    return out


def test_documentation_lists_every_field_of_every_model_and_no_other() -> None:
    documented = documented_fields(DOC.read_text(encoding="utf-8"))
    assert set(documented) == {m.__name__ for m in MODELS}
    for model in MODELS:
        own = [f for f in model.model_fields if not (model is ConditionRef and f in TermRef.model_fields)]
        assert documented[model.__name__] == own, model.__name__


def test_documented_required_column_matches_the_model() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for model in MODELS:
        section = doc.split(f"### `{model.__name__}`", 1)[1].split("###", 1)[0]
        for name, required in re.findall(r"^\| `(\w+)` \| [^|]*(?:\\\|[^|]*)* \| (yes|no) \|", section, flags=re.M):
            assert model.model_fields[name].is_required() == (required == "yes"), (model.__name__, name)


def test_checker_lines_validate_and_round_trip(checker: Checker) -> None:
    """Every example page: the line the checker writes is read back by the model unchanged."""
    pages = sorted((ROOT / "examples" / "pages").iterdir())
    assert pages
    n_claims = 0
    for path in pages:
        report = (checker.check_html(path.read_bytes(), source=str(path)) if path.suffix == ".html"
                  else checker.check_text(path.read_text(encoding="utf-8"), source=str(path)))
        line = report.to_report_dict()
        # the claims written as dicts directly (report_dict) are those of the models
        assert json.dumps(line) == json.dumps(ReportLine.from_page_report(report).to_dict())
        back = parse_line(json.dumps(line))
        assert back.to_dict() == line
        text = ReportLine.from_page_report(report).to_json()
        assert text == json.dumps(line, ensure_ascii=False, separators=(",", ":"))
        assert [(c.therapy.id, c.condition.id, c.verdict) for c in back.claims] == [
            (c.therapy.id, c.condition.id, c.verdict) for c in report.claims]
        n_claims += len(back.claims)
    assert n_claims > 0


def test_json_text_keeps_lone_surrogates_as_json_dumps_does() -> None:
    line = error_report("caf\udce9.html", None, "DecodeError", "bad bytes")
    text = ReportLine.from_page_report(line).to_json()
    assert text == json.dumps(line.to_report_dict(), ensure_ascii=False, separators=(",", ":"))


def test_error_lines_round_trip() -> None:
    line = error_report("a.html", None, "Timeout", "over 30 s").to_report_dict()
    assert line["error"] == {"type": "Timeout", "message": "over 30 s"} and line["claims"] == []
    assert parse_obj(line).to_dict() == line


def test_written_keys_are_those_of_the_contract(checker: Checker) -> None:
    """The page keys of the contract plus explanation fields and the page language."""
    line = checker.check_text("Our clinic offers mesenchymal stem cells for multiple sclerosis.").to_report_dict()
    assert list(line) == ["source", "url", "status", "error", "stance", "stance_reasons", "warnings",
                          "text_length", "claims", "dismissed", "lang", "country", "features",
                          "feature_evidence"]
    claim = line["claims"][0]
    assert list(claim) == ["therapy", "condition", "outcome", "verdict", "flagged", "reason", "basis",
                           "sentence", "start", "end", "context", "evidence"]
    assert list(claim["condition"]) == ["id", "text", "start", "end", "alias", "score", "method", "subtype",
                                        "subtypes"]
    assert list(claim["evidence"][0]) == ["record", "status", "sources"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda o: o["claims"][0].pop("sentence"), "claims[0]: missing required field 'sentence'"),
    (lambda o: o["claims"][0]["therapy"].update(start=True), "claims[0].therapy: field 'start': "),
    (lambda o: o.update(status="fine"), "field 'status': input should be 'ok' or 'error'"),
    (lambda o: o["claims"][0]["evidence"].insert(0, "msc-als"), "claims[0].evidence[0]: input should be"),
    (lambda o: o.update(claims={}), "field 'claims': input should be a valid list"),
])
def test_bad_fields_are_named(checker: Checker, change, message) -> None:  # type: ignore[no-untyped-def]
    line = checker.check_text("Our clinic offers mesenchymal stem cells for multiple sclerosis.").to_report_dict()
    change(line)
    with pytest.raises(LineError) as err:
        parse_obj(line)
    assert str(err.value).startswith(message), str(err.value)


def test_reader_names_file_and_line_and_keeps_extra_fields(tmp_path: Path, checker: Checker) -> None:
    good = checker.check_text("Our clinic offers mesenchymal stem cells for multiple sclerosis.").to_report_dict()
    extra = {**good, "lang": "en", "country": "MX", "features": {"price": True}, "crawl_id": 7}
    bad = json.loads(json.dumps(good))
    bad["claims"][0]["flagged"] = "yes"
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in (good, bad, extra)) + "\n", encoding="utf-8")
    loaded = read_report(path)
    assert [str(p) for p in loaded.problems] == [
        f"{path}:2: claims[0]: field 'flagged': input should be a valid boolean"]
    assert [p.origin for p in loaded.pages] == [f"{path}:1", f"{path}:3"]
    kept = loaded.pages[1]
    assert (kept.lang, kept.country, kept.features) == ("en", "MX", {"price": True})
    assert kept.to_dict()["crawl_id"] == 7
