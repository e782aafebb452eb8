"""``factcheck report``: the subcommand, its exit codes, and a real scan of examples/pages."""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from test_report_claimreview import validate
from test_report_support import clinic_page, info_page, sample_records, write_jsonl

from factcheck.cli.report import add_commands
from factcheck.report.naming import page_filename
from factcheck.report.records import read_report

ROOT = Path(__file__).resolve().parents[1]


#: what `--format csv` writes (clinics.csv and coding.csv: page coding, factcheck.report.clinics)
CSV_FILES = ["claims.csv", "clinics.csv", "coding.csv", "domains.csv"]

def run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="factcheck")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


def test_report_writes_everything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = write_jsonl(tmp_path / "scan.jsonl", sample_records())
    out = tmp_path / "out"
    assert (
        run(
            [
                "report",
                str(report),
                "-o",
                str(out),
                "--org-name",
                "MS Watch",
                "--org-url",
                "https://mswatch.example",
                "--date",
                "2026-03-01",
            ]
        )
        == 0
    )
    assert (out / "index.html").is_file() and len(list((out / "pages").iterdir())) == 5
    reviews = json.loads((out / "claimreview.json").read_text("utf-8"))
    assert len(reviews) == 7 and reviews[0]["author"]["name"] == "MS Watch"
    assert reviews[0]["datePublished"] == "2026-03-01"
    assert (out / "domains.csv").is_file() and (out / "claims.csv").is_file()
    printed = capsys.readouterr()
    assert "5 pages, 10 claims, 7 flagged" in printed.out and printed.err == ""


def test_one_format_only(tmp_path: Path) -> None:
    report = write_jsonl(tmp_path / "scan.jsonl", [clinic_page()])
    assert run(["report", str(report), "-o", str(tmp_path / "o"), "--format", "claimreview", "--jsonl"]) == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["claimreview.jsonl"]
    assert run(["report", str(report), "-o", str(tmp_path / "c"), "--format", "csv"]) == 0
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == CSV_FILES


def test_bad_lines_are_named_and_the_rest_still_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = clinic_page()
    del broken["claims"][0]["sentence"]
    report = write_jsonl(
        tmp_path / "scan.jsonl", [info_page(), broken], ["{truncated", json.dumps(clinic_page())]
    )
    out = tmp_path / "out"
    assert run(["report", str(report), "-o", str(out)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"factcheck report: {report}:2: claims[0]: missing required field 'sentence'",
        f"factcheck report: {report}:3: not valid JSON (Expecting property name enclosed in double "
        "quotes at column 2)",
    ]
    assert len(list((out / "pages").iterdir())) == 2
    with (out / "claims.csv").open(encoding="utf-8", newline="") as fh:
        assert len(list(csv.DictReader(fh))) == 1 + 4


def test_unusable_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "o")]) == 2
    assert "cannot read" in capsys.readouterr().err and not (tmp_path / "o").exists()
    with pytest.raises(SystemExit):
        run(["report", "x.jsonl", "-o", "o", "--date", "next tuesday"])
    with pytest.raises(SystemExit):
        run(["report", "x.jsonl"])  # -o is required


def test_module_entry_point(tmp_path: Path) -> None:
    report = write_jsonl(tmp_path / "scan.jsonl", [clinic_page()])
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "factcheck.report",
            "report",
            str(report),
            "-o",
            str(tmp_path / "o"),
            "--format",
            "html",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "o" / "index.html").is_file()


def scan_examples(tmp_path: Path) -> Path:
    """A real scan of examples/pages with the page text (the report the README shows)."""
    report = tmp_path / "examples.jsonl"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "factcheck",
            "scan",
            str(ROOT / "examples" / "pages"),
            "-o",
            str(report),
            "--with-text",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return report


def test_report_of_a_real_scan_of_the_examples(tmp_path: Path) -> None:
    report = scan_examples(tmp_path)
    loaded = read_report(report)
    assert loaded.problems == [] and loaded.pages
    done = subprocess.run(
        [sys.executable, "-m", "factcheck", "report", str(report), "-o", str(tmp_path / "site")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    site = tmp_path / "site"
    assert len(list((site / "pages").iterdir())) == len(loaded.pages)
    for page in loaded.pages:
        markup = (site / "pages" / page_filename(page)).read_text(encoding="utf-8")
        assert page.text is not None, "scan --with-text should carry the page text"
        for n, claim in enumerate(page.claims, start=1):
            assert f'id="claim-{n}"' in markup and f'id="t-claim-{n}"' in markup
            for url in claim.sources:
                assert f'href="{url}"' in markup
        if page.claims:
            assert 'class="chip k-therapy"' in markup and 'class="chip k-condition"' in markup
    reviews = json.loads((site / "claimreview.json").read_text("utf-8"))
    assert len(reviews) == sum(len(p.flagged) for p in loaded.pages)
    assert all(validate(r) == [] for r in reviews)


def test_through_the_factcheck_command(tmp_path: Path) -> None:
    report = write_jsonl(tmp_path / "scan.jsonl", sample_records())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "factcheck",
            "report",
            str(report),
            "-o",
            str(tmp_path / "o"),
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == CSV_FILES
