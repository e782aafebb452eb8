"""Disability scales are data: a user folder can declare one, and bad ones fail on load with file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from factcheck.db import DataError, load_db
from factcheck.match import judge, scale_ceiling


def _condition(scale: dict[str, Any] | None) -> dict[str, Any]:
    data: dict[str, Any] = {"id": "myelopathy", "name": "Test myelopathy", "aliases": ["test myelopathy"]}
    if scale is not None:
        data["scale"] = scale
    return data


def _record(scale_max: float | None) -> dict[str, Any]:
    return {
        "id": "ahsct-myelopathy",
        "therapy": "ahsct",
        "condition": "myelopathy",
        "population": {"scale_max": scale_max, "description": "Test population."},
        "status": "guideline_accepted",
        "jurisdictions": ["international"],
        "summary": "A test record written by the test suite for a made-up condition with a scale.",
        "sources": [{"url": "https://example.org/x", "title": "X", "publisher": "X", "date": "2025-01",
                     "kind": "guideline"}],
        "as_of": "2025-01-01",
        "modified": "2025-02-01",
        "reviewed_by": "tests",
    }


SCALE = {"id": "mds_score", "name": "MDS score", "pattern": r"\bMDS score\b\D{0,20}(\d{1,2})", "min": 0, "max": 20}


def _write(folder: Path, condition: dict[str, Any], record: dict[str, Any] | None) -> None:
    (folder / "conditions").mkdir(parents=True)
    (folder / "conditions" / "myelopathy.yaml").write_text(yaml.safe_dump(condition, sort_keys=False))
    if record is not None:
        (folder / "records" / "myelopathy").mkdir(parents=True)
        path = folder / "records" / "myelopathy" / "ahsct-myelopathy.yaml"
        path.write_text(yaml.safe_dump(record, sort_keys=False))


def test_a_user_condition_s_scale_sets_the_ceiling_judge_checks(tmp_path: Path) -> None:
    _write(tmp_path, _condition(SCALE), _record(8))
    db = load_db(tmp_path)
    assert scale_ceiling(db, "myelopathy", "accepted with an MDS score up to 12") == 12
    over = judge(db, "ahsct", "myelopathy", scale_ceiling=12)
    assert over.verdict == "overstated" and "MDS score up to 12" in over.reason
    assert judge(db, "ahsct", "myelopathy", scale_ceiling=6).verdict == "supported"


def test_a_broken_scale_pattern_is_reported_with_file_and_line(tmp_path: Path) -> None:
    _write(tmp_path, _condition({**SCALE, "pattern": r"MDS (\d"}), None)
    with pytest.raises(DataError) as info:
        load_db(tmp_path)
    issue = info.value.issues[0]
    assert issue.path.endswith("conditions/myelopathy.yaml") and issue.line and issue.field == "scale.pattern"
    assert "regular expression" in issue.message


def test_a_ceiling_needs_a_scale_and_must_lie_in_its_range(tmp_path: Path) -> None:
    _write(tmp_path / "a", _condition(None), _record(8))
    with pytest.raises(DataError) as info:
        load_db(tmp_path / "a")
    assert "declares no scale" in str(info.value) and "population.scale_max" in str(info.value)
    _write(tmp_path / "b", _condition(SCALE), _record(30))
    with pytest.raises(DataError) as info:
        load_db(tmp_path / "b")
    assert "outside the MDS score range 0-20" in str(info.value)
