"""Issue 5's bad-input catalogue at every entry point: check_text, check_html, ``factcheck scan`` of the
same bytes as files (one subprocess over one folder), the Dask path, and the evidence-file loaders.

The catalogue itself (bytes and expected outcomes) is in ``tests/robustness_catalogue.py``. The ingest
readers and the scan faults have their own tests (test_ingest_*.py, test_scan_faults.py); here every
case goes through the public entry points end to end.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from factcheck.checker import Checker
from factcheck.ingest import IngestError, html_to_page
from tests.robustness_catalogue import (
    CLAIM,
    GENERIC_MS,
    JSONL_LINES,
    MSC_MS,
    NO_TEXT,
    WARC_GOOD_URL,
    Case,
    cases,
    write_catalogue,
)
from tests.scan_helpers import ROOT, cli_env

PAGE_CASES = [c for c in cases() if not c.extra]
#: peak RSS allowed for the scan of the whole catalogue, 50 MB page included (measured: ~320 MB per
#: process; reading the 50 MB page whole took 1.3 GB)
MAX_RSS_MB = 900


def _pairs(claims: list[Any]) -> set[tuple[str, str]]:
    return {(c["therapy"]["id"], c["condition"]["id"]) if isinstance(c, dict) else (c.therapy.id, c.condition.id)
            for c in claims}


def assert_outcome(case: Case, report: dict[str, Any], text: str | None) -> None:
    """The outcome ``case`` promises, on a report dict (``to_report_dict`` / a scan line)."""
    where = f"{case.name}: {json.dumps(report)[:600]}"
    assert report["status"] == case.status, where
    if case.status == "error":
        assert report["error"]["type"] == case.error_type, where
        assert report["error"]["message"], where
        assert all(s in report["error"]["message"] for s in case.says), where
        assert report["claims"] == [], where
        return
    assert report["error"] is None, where
    if case.claims is None:
        assert report["claims"] == [], where
    else:
        assert case.claims <= _pairs(report["claims"]), where
    for needle in case.says:
        assert any(needle in w for w in report["warnings"]), where
    if text is not None:
        for needle in case.text_has:
            assert needle in text, f"{case.name}: {needle!r} not in the extracted text {text[:300]!r}"
        for claim in report["claims"]:
            assert text[claim["start"]:claim["end"]] == claim["sentence"], where


# --------------------------------------------------------------------------- check_html


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=[pytest.mark.slow] if c.slow else [])
                                  for c in PAGE_CASES])
def test_check_html_gives_the_catalogue_outcome_for_the_raw_bytes(checker: Checker, case: Case) -> None:
    report = checker.check_html(case.data, source=case.name).to_report_dict()
    try:
        text: str | None = html_to_page(case.data[:20 * 1024 * 1024], source=case.name, max_chars=2_000_000,
                                        truncated=case.huge).text
    except IngestError:
        text = None
    assert_outcome(case, report, text)


def test_check_html_cuts_a_50mb_page_to_the_limits_with_warnings(checker: Checker) -> None:
    # smaller limits, the same mechanism as the 50 MB case (which runs in the slow set)
    page = ("<html><body><p>" + CLAIM + "</p>" + "<p>Opening hours and parking.</p>" * 40_000
            + "</body></html>").encode()
    report = checker.check_html(page, source="big.html", max_bytes=500_000, max_chars=100_000)
    assert report.status == "ok" and _pairs(report.claims) == {MSC_MS}
    assert report.warnings[0].startswith("input larger than max_bytes=500000")
    assert any(w.startswith("text cut to max_chars=100000") for w in report.warnings)
    assert report.text_length <= 100_000
    whole = checker.check_html(page, source="big.html", max_bytes=None, max_chars=None)
    assert whole.warnings == [] and whole.text_length > 1_000_000


def test_check_html_of_str_and_of_bytes_agree_for_text_cases(checker: Checker) -> None:
    for case in PAGE_CASES:
        if case.huge or case.status == "error":
            continue
        try:
            as_str = case.data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        a = checker.check_html(as_str, source=case.name).to_report_dict()
        b = checker.check_html(case.data, source=case.name).to_report_dict()
        assert (a["claims"], a["status"]) == (b["claims"], b["status"]), case.name


# --------------------------------------------------------------------------- check_text

TEXT_CASES = {
    "empty": ("", None, (NO_TEXT,)),
    "whitespace only": (" \t\r\n\u00a0\u2003\n  ", None, (NO_TEXT,)),
    "control characters and NUL": ("\x00\x01\x02" + CLAIM + "\x7f\x1b[0m", {MSC_MS}, ()),
    "lone surrogates": ("\ud800 " + CLAIM + " \udfff", {MSC_MS}, ("lone surrogate",)),
    "one line of 1M characters": (CLAIM + " " + "lorem ipsum dolor sit amet " * 37_000, {MSC_MS}, ()),
    "repeated terms": ("stem cell therapy for MS " * 20_000, {GENERIC_MS}, ()),
    "soft hyphen": ("Our clinic offers stem\u00adcell therapy for multiple sclerosis.", {GENERIC_MS}, ()),
    "zero-width space": ("Our clinic offers M\u200bSC therapy for multiple sclerosis.", {MSC_MS}, ()),
    "zero-width joiner and BOM": ("Our clinic offers mesen\u200dchymal stem\ufeff cells for multiple sclerosis.",
                                  {MSC_MS}, ()),
    "Cyrillic look-alike": ("Our clinic offers stem \u0441ell therapy for multiple sclerosis.", {GENERIC_MS}, ()),
    "Greek look-alike": ("Our clinic offers mesenchymal stem cells for multiple scler\u03bfsis.", {MSC_MS}, ()),
    "full-width letters": ("Our clinic offers ｍｅｓｅｎｃｈｙｍａｌ ｓｔｅｍ ｃｅｌｌｓ for ＭＳ.", {MSC_MS}, ()),
    "NFC accents": (unicodedata.normalize("NFC", "We offer mesenchymal stem cells for esclerosis múltiple."),
                    {MSC_MS}, ()),
    "NFD accents": (unicodedata.normalize("NFD", "We offer mesenchymal stem cells for esclerosis múltiple."),
                    {MSC_MS}, ()),
    "full-width abbreviation": ("Our clinic offers mesenchymal stem cells for ＭＳ.", {MSC_MS}, ()),
    # abbreviations must show their exact letters: a Cyrillic "М" in "MS" is not the disease
    "Cyrillic look-alike in an abbreviation": ("Our clinic offers mesenchymal stem cells for \u041cS.", None, ()),
    # entities are not decoded in plain text: "mesenchymal&nbsp;stem" is no alias, "stem cells" is
    "entities stay literal in text": ("We offer mesenchymal&nbsp;stem cells for multiple sclerosis.",
                                      {GENERIC_MS}, ()),
    "no-break spaces": ("We offer mesenchymal\u00a0stem\u202fcells for multiple\u00a0sclerosis.", {MSC_MS}, ()),
}


@pytest.mark.parametrize("name", list(TEXT_CASES))
def test_check_text_matches_or_reports_each_catalogue_text(checker: Checker, name: str) -> None:
    text, claims, says = TEXT_CASES[name]
    report = checker.check_text(text, source=name)
    assert report.status == "ok", report.error
    if claims is None:
        assert report.claims == []
    else:
        assert claims <= _pairs(report.claims), report.to_report_dict()
    for needle in says:
        assert any(needle in w for w in report.warnings), report.warnings
    page_text = " ".join(text.split()).replace("\ud800", "\ufffd").replace("\udfff", "\ufffd")
    for claim in report.claims:
        # offsets point into the page text (one block per line; these texts are one line)
        assert page_text[claim.start:claim.end] == claim.sentence


def test_repeated_terms_stay_linear_in_check_text(checker: Checker) -> None:
    """"stem cell therapy for MS " * n: one sentence unit with n therapies and n conditions.

    It took ~600 s for n = 20,000 (pairs of therapies and conditions and of terms and cues were
    compared in four places); compare n and 4n so the bound is a ratio, not a machine speed, in
    this process's CPU time (other processes on a busy machine do not count).
    """
    def timed(n: int) -> float:
        best = float("inf")
        for _ in range(2):
            started = time.process_time()
            report = checker.check_text("stem cell therapy for MS " * n)
            best = min(best, time.process_time() - started)
            assert _pairs(report.claims) == {GENERIC_MS}
        return best

    small, large = timed(2_500), timed(10_000)
    assert large < 12 * small + 0.5, (small, large)  # 4x the input: quadratic would be 16x


@pytest.mark.slow
def test_check_text_cuts_50m_characters_with_a_warning(checker: Checker) -> None:
    text = CLAIM + "\n" + ("The clinic is open on weekdays and the staff answer questions.\n" * 800_000)
    report = checker.check_text(text, source="huge.txt")
    assert report.status == "ok" and _pairs(report.claims) == {MSC_MS}
    assert report.text_length <= 2_000_000
    assert any(w.startswith("text cut to max_chars=2000000") for w in report.warnings)


# --------------------------------------------------------------------------- factcheck scan

_RSS_WRAPPER = textwrap.dedent("""
    import resource, subprocess, sys
    proc = subprocess.run(sys.argv[1:], capture_output=True, text=True)
    sys.stderr.write(proc.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    print(proc.returncode, peak)
""")


def run_scan_measured(*args: str | Path, timeout: float = 300) -> tuple[int, float, str]:
    """Run ``python -m factcheck scan ARGS`` under a fresh parent; return (exit code, peak RSS MB, stderr).

    The wrapper is a new process, so RUSAGE_CHILDREN holds only the scan and its workers.
    """
    proc = subprocess.run([sys.executable, "-c", _RSS_WRAPPER, sys.executable, "-m", "factcheck", "scan",
                           *map(str, args)], cwd=ROOT, env=cli_env(), capture_output=True, text=True,
                          timeout=timeout)
    code, peak = proc.stdout.split()
    return int(code), float(peak), proc.stderr


def _by_source(lines: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        out.setdefault(line["source"], []).append(line)
    return out


def check_archive_lines(folder: Path, by_source: dict[str, list[dict[str, Any]]]) -> None:
    """The archives of the catalogue: one line per item, an error line per bad item, the rest checked."""
    jsonl = str(folder / "bad_items.jsonl")
    for lineno, (status, claims) in JSONL_LINES.items():
        [line] = by_source.pop(f"{jsonl}:{lineno}")
        assert line["status"] == status, line
        if status == "error":
            assert line["error"]["type"] == "IngestError" and f"line {lineno}" in line["error"]["message"]
        else:
            assert claims is not None and claims <= _pairs(line["claims"])
    warc = str(folder / "truncated.warc")
    records = {s: ls for s, ls in by_source.items() if s.startswith(warc + "#")}
    for s in records:
        del by_source[s]
    good = [ls[0] for ls in records.values() if ls[0]["url"] == WARC_GOOD_URL]
    bad = [ls[0] for ls in records.values() if ls[0]["status"] == "error"]
    assert all(len(ls) == 1 for ls in records.values()), records
    assert len(good) == 1 and good[0]["status"] == "ok" and _pairs(good[0]["claims"]) == {MSC_MS}
    assert len(bad) == 1 and bad[0]["error"]["type"] == "IngestError", records
    assert "truncated" in bad[0]["error"]["message"] or "cut off" in bad[0]["error"]["message"]
    [gz] = by_source.pop(str(folder / "corrupt.html.gz"))
    assert gz["status"] == "error" and "gzip" in gz["error"]["message"]


def test_scan_of_the_catalogue_folder_gives_one_line_per_file_and_bounded_memory(tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    written = write_catalogue(folder)
    report = tmp_path / "report.jsonl"
    code, peak_mb, stderr = run_scan_measured(folder, "-o", report, "--with-text", "--workers", "2")
    assert code == 0, stderr
    raw = report.read_bytes()
    assert raw.endswith(b"\n")
    by_source = _by_source([json.loads(line) for line in raw.decode("utf-8").splitlines()])
    for case in written:
        if case.extra:
            continue
        lines = by_source.pop(str(folder / case.name), [])
        assert len(lines) == 1, f"{case.name}: {len(lines)} lines"
        assert_outcome(case, lines[0], lines[0].get("text"))
    check_archive_lines(folder, by_source)
    assert by_source == {}, f"unexpected lines: {list(by_source)}"
    assert peak_mb < MAX_RSS_MB, f"peak RSS {peak_mb:.0f} MB"
    assert "errors" in stderr


def test_check_html_and_scan_agree_on_every_catalogue_page(checker: Checker, tmp_path: Path) -> None:
    folder = tmp_path / "catalogue"
    written = [c for c in write_catalogue(folder, include_huge=False) if not c.extra]
    report = tmp_path / "report.jsonl"
    code, _, stderr = run_scan_measured(folder, "-o", report, "--workers", "0", "--quiet")
    assert code == 0, stderr
    by_source = _by_source([json.loads(line) for line in report.read_text("utf-8").splitlines()])
    for case in written:
        source = str(folder / case.name)
        [line] = by_source[source]
        mine = checker.check_html(case.data, source=source).to_report_dict()
        if case.status == "error":
            assert (line["status"], line["error"]["type"]) == (mine["status"], mine["error"]["type"])
            continue
        for key in ("status", "claims", "stance", "dismissed", "text_length"):
            assert line[key] == mine[key], (case.name, key)


# --------------------------------------------------------------------------- the Dask path


@pytest.mark.slow
def test_dask_scan_of_the_catalogue_gives_the_same_outcomes(tmp_path: Path) -> None:
    pytest.importorskip("dask.bag")
    from factcheck.dask import scan_bag

    folder = tmp_path / "catalogue"
    written = write_catalogue(folder, include_huge=False)
    lines = scan_bag(folder, npartitions=3, with_text=True).compute(scheduler="sync")
    by_source = _by_source(lines)
    for case in written:
        if case.extra:
            continue
        [line] = by_source.pop(str(folder / case.name))
        assert_outcome(case, line, line.get("text"))
    check_archive_lines(folder, by_source)
    assert by_source == {}


# --------------------------------------------------------------------------- evidence files

GOOD_RECORD = """\
id: exosome-lupus
therapy: exosome
condition: lupus
status: never_trialled
jurisdictions: [international]
summary: A test record written by the robustness suite; no exosome product is approved for lupus.
sources:
  - {url: 'https://example.org/exo', title: t, publisher: p, date: 2025, kind: regulator}
as_of: 2025-01-01
modified: 2025-01-02
reviewed_by: tests
"""


def bad_database(root: Path, marker: Path) -> dict[str, tuple[Path, tuple[int, ...], str | None, str]]:
    """A user folder with one file per evidence-file fault; returns name -> (file, lines, field, words).

    YAML syntax errors are found where the parser gives up: the bad line or the next one.
    """
    def put(rel: str, text: str) -> Path:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    malformed = put("records/lupus/msc-lupus-a.yaml", GOOD_RECORD.replace("exosome-lupus", "msc-lupus-a")
                    .replace("therapy: exosome", "therapy: [msc"))
    wrong_type = put("records/lupus/msc-lupus-b.yaml", GOOD_RECORD.replace("exosome-lupus", "msc-lupus-b")
                     .replace("therapy: exosome", "therapy: msc").replace("jurisdictions: [international]",
                                                                          "jurisdictions: {eu: yes}"))
    unknown = put("records/lupus/msc-lupus-c.yaml", GOOD_RECORD.replace("exosome-lupus", "msc-lupus-c")
                  .replace("therapy: exosome", "therapy: msc") + "verdikt: approved\n")
    dangling = put("records/lupus/unicorn-lupus.yaml", GOOD_RECORD.replace("exosome-lupus", "unicorn-lupus")
                   .replace("therapy: exosome", "therapy: unicorn"))
    put("records/lupus/exosome-lupus.yaml", GOOD_RECORD)
    duplicate = put("records/lupus/exosome-lupus.yml", GOOD_RECORD)
    tagged = put("records/lupus/msc-lupus-d.yaml", GOOD_RECORD.replace("exosome-lupus", "msc-lupus-d")
                 .replace("therapy: exosome", "therapy: msc")
                 .replace("reviewed_by: tests", f"reviewed_by: !!python/object/apply:os.system ['touch {marker}']"))
    return {
        "malformed YAML": (malformed, (2, 3), None, "malformed YAML"),
        "wrong type": (wrong_type, (5,), "jurisdictions", ""),
        "unknown key": (unknown, (12,), "verdikt", "unknown key 'verdikt'"),
        "dangling id": (dangling, (2,), "therapy", "unknown therapy id 'unicorn'"),
        "duplicate id": (duplicate, (1,), "id", "duplicate id 'exosome-lupus'"),
        "python object tag": (tagged, (11,), None, "refused"),
    }


def test_bad_evidence_files_fail_load_db_with_file_line_and_field_and_nothing_runs(tmp_path: Path) -> None:
    from factcheck import load, load_db
    from factcheck.db import DataError

    marker = tmp_path / "pwned"
    expected = bad_database(tmp_path / "db", marker)
    for loader in (lambda: load_db(tmp_path / "db"), lambda: load(db_paths=[tmp_path / "db"])):
        with pytest.raises(DataError) as info:
            loader()
        issues = info.value.issues
        for name, (path, lines, field, words) in expected.items():
            hits = [i for i in issues if i.path == str(path)]
            assert hits, f"{name}: no issue names {path}: {[str(i) for i in issues]}"
            assert any(i.line in lines and (field is None or i.field == field) and words in str(i)
                       for i in hits), f"{name}: {[str(i) for i in hits]}"
    assert not marker.exists(), "a YAML tag ran a command"


def test_db_validate_names_file_line_and_field_of_every_bad_evidence_file(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    expected = bad_database(tmp_path / "db", marker)
    proc = subprocess.run([sys.executable, "-m", "factcheck", "db", "validate", str(tmp_path / "db")], cwd=ROOT,
                          env=cli_env(), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stderr.splitlines()
    for name, (path, numbers, field, words) in expected.items():
        prefixes = tuple(f"{path}:{n}: " + (f"{field}:" if field else "") for n in numbers)
        assert any(ln.startswith(prefixes) and words in ln for ln in lines), f"{name}: {prefixes} in {lines}"
    assert "Traceback" not in proc.stderr
    assert not marker.exists(), "a YAML tag ran a command"
