"""The ``factcheck`` command: its subcommands, their help, and scan's checker options in workers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from scan_helpers import read_lines, run_cli

import factcheck
from factcheck.cli import COMMANDS, build_parser, main

#: a record of the user's own: exosome for lupus, approved under a conditional Japanese approval only
USER_RECORD = """\
id: exosome-lupus
therapy: exosome
condition: lupus
status: approved
conditional: true
jurisdictions: [JP]
summary: A record written by the CLI tests; a conditional approval that holds in Japan only.
sources:
  - {url: 'https://example.org/exo', title: t, publisher: p, date: 2025, kind: regulator}
as_of: 2025-01-01
modified: 2025-01-02
reviewed_by: tests
"""
#: a user context rule: an offer cue no bundled rule knows
USER_RULES = {"rules": [{"literal": "zorblax", "category": "OFFER", "direction": "PAGE"}]}
PAGE = "Exosome Therapy for Lupus\nOur clinic treats lupus with exosome therapy. Zorblax today.\n"


def subcommand_names() -> list[str]:
    parser = build_parser()
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return list(action.choices)


def test_every_command_module_registers_its_subcommand() -> None:
    assert subcommand_names() == ["scan", "report", "evaluate", "db"]
    assert len(COMMANDS) == 4


def test_top_level_help_lists_every_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for name in subcommand_names():
        assert f"    {name} " in out, name


@pytest.mark.parametrize("argv", [["scan"], ["report"], ["evaluate"], ["db"], ["db", "validate"],
                                  ["db", "stats"], ["db", "schema"]])
def test_each_subcommand_has_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: factcheck {' '.join(argv)}")
    assert "options:" in out


def test_scan_help_documents_the_checker_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["scan", "--help"])
    out = capsys.readouterr().out
    for flag in ("--db DIR", "--rules FILE", "--jurisdiction CODE"):
        assert flag in out


def test_unknown_subcommand_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["frobnicate"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err


def _user_files(tmp_path: Path) -> tuple[Path, Path, Path]:
    db = tmp_path / "mydb"
    (db / "records" / "lupus").mkdir(parents=True)
    (db / "records" / "lupus" / "exosome-lupus.yaml").write_text(USER_RECORD, encoding="utf-8")
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps(USER_RULES), encoding="utf-8")
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(3):  # more pages than workers: every worker process gets some
        (pages / f"p{i}.txt").write_text(PAGE, encoding="utf-8")
    return db, rules, pages


def test_scan_workers_honour_user_record_rule_and_jurisdiction(tmp_path: Path) -> None:
    db, rules, pages = _user_files(tmp_path)
    # in this process, without the jurisdiction, the same record leaves the claim unproven
    plain = factcheck.load(db_paths=[db]).check_text(PAGE).to_report_dict()
    assert {c["verdict"] for c in plain["claims"]} == {"unproven"}
    assert not any("zorblax" in r for r in plain["stance_reasons"])

    out = tmp_path / "r.jsonl"
    done = run_cli(pages, "-o", out, "--workers", "2", "--db", db, "--rules", rules, "--jurisdiction", "JP")
    assert done.returncode == 0, done.stderr
    lines = read_lines(out)
    assert len(lines) == 3
    for line in lines:
        assert line["status"] == "ok"
        assert any("zorblax" in reason for reason in line["stance_reasons"])  # the user rule
        claims = line["claims"]
        assert claims and all(c["therapy"]["id"] == "exosome" and c["condition"]["id"] == "lupus" for c in claims)
        assert {e["record"] for c in claims for e in c["evidence"]} == {"exosome-lupus"}  # the user record
        assert {c["verdict"] for c in claims} == {"supported"}  # in force under --jurisdiction JP


def test_scan_stops_on_a_bad_user_database_naming_file_and_line(tmp_path: Path) -> None:
    db, rules, pages = _user_files(tmp_path)
    bad = db / "records" / "lupus" / "exosome-lupus.yaml"
    bad.write_text(USER_RECORD.replace("status: approved", "status: approved-ish"), encoding="utf-8")
    out = tmp_path / "r.jsonl"
    done = run_cli(pages, "-o", out, "--workers", "1", "--db", db)
    assert done.returncode == 1
    assert f"{bad}:4: status" in done.stderr and not out.exists()

    missing = run_cli(pages, "-o", out, "--workers", "1", "--rules", tmp_path / "nope.json")
    assert missing.returncode == 1 and "nope.json" in missing.stderr
    not_a_folder = run_cli(pages, "-o", out, "--workers", "1", "--db", rules)
    assert not_a_folder.returncode == 1 and "not a folder" in not_a_folder.stderr
