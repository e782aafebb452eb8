"""``python -m factcheck db ...`` run as a user would, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from factcheck import cli
from factcheck.db import load_db, schema_text

THERAPY_IDS = [
    "ahsct",
    "allogeneic_hsct",
    "cord_blood",
    "exosome",
    "msc",
    "nsc",
    "perinatal_tissue",
    "pluripotent",
    "stem_cell_unspecified",
    "svf",
]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factcheck", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_db_validate_passes_on_the_bundled_database() -> None:
    result = run("db", "validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: 10 therapies, 31 conditions")


def test_db_validate_reports_file_line_and_field_of_a_bad_folder(tmp_path: Path) -> None:
    bad = tmp_path / "records" / "lupus" / "msc-lupus-x.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "id: msc-lupus-x\ntherapy: msc\ncondition: lupus\nstatus: approved-ish\n", encoding="utf-8"
    )
    result = run("db", "validate", str(tmp_path))
    assert result.returncode == 1
    assert f"{bad}:4: status:" in result.stderr
    assert "problem(s)" in result.stderr.splitlines()[-1]


def test_db_validate_accepts_a_good_user_folder(tmp_path: Path) -> None:
    rec = tmp_path / "records" / "lupus" / "exosome-lupus.yaml"
    rec.parent.mkdir(parents=True)
    rec.write_text(
        "id: exosome-lupus\ntherapy: exosome\ncondition: lupus\nstatus: never_trialled\n"
        "jurisdictions: [international]\nsummary: No exosome product is approved for lupus; test record.\n"
        "sources:\n  - {url: 'https://example.org', title: t, publisher: p, date: 2025, kind: regulator}\n"
        "as_of: 2025-01-01\nmodified: 2025-01-02\nreviewed_by: tests\n",
        encoding="utf-8",
    )
    result = run("db", "validate", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert f"{len(load_db().records) + 1} records" in result.stdout


def test_db_stats_shows_counts_oldest_as_of_and_missing_trial_ids() -> None:
    result = run("db", "stats")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for heading in (
        "by status:",
        "by therapy:",
        "by condition:",
        "oldest as_of:",
        "records missing trial ids:",
    ):
        assert heading in out
    for therapy in THERAPY_IDS:
        assert f"  {therapy} " in out


def test_db_stats_json_is_machine_readable() -> None:
    result = run("db", "stats", "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert sorted(stats["by_therapy"]) == THERAPY_IDS
    assert sum(stats["by_status"].values()) == stats["records"]
    assert stats["by_status"]["withdrawn"] >= 1 and stats["oldest_as_of"]["date"]


def test_db_schema_prints_the_current_schema() -> None:
    result = run("db", "schema", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout == schema_text()


def test_db_schema_writes_to_a_chosen_file(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    result = run("db", "schema", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == schema_text()


def test_db_subcommands_dispatch_to_the_db_module() -> None:
    parser = cli.build_parser()
    assert parser.parse_args(["db", "stats"]).func is cli.db.run_db_stats
    assert parser.parse_args(["db", "validate"]).func is cli.db.run_db_validate
    assert parser.parse_args(["db", "schema"]).func is cli.db.run_db_schema
