"""One Resources object: a user's record and cue rule are honoured through every entry point."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import spacy
import yaml

import factcheck
from factcheck.checker import PIPE_NAMES, Checker, build_nlp
from factcheck.resources import Resources, load_resources

TEXT = "Our clinic offers exosome therapy for lupus. Zorblax exosome therapy heals lupus. Book your consultation."
USER_RULE = {"literal": "zorblax", "category": "HEDGED", "direction": "FORWARD", "max_scope": 8}
USER_RECORD_ID = "exosome-lupus-usertest"


def _user_db(folder: Path) -> Path:
    record: dict[str, Any] = {
        "id": USER_RECORD_ID, "therapy": "exosome", "condition": "lupus", "status": "never_trialled",
        "jurisdictions": ["international"], "outcomes_not_supported": ["cure"],
        "summary": "A user's own record, written by the test suite: no exosome product is approved for lupus.",
        "sources": [{"url": "https://example.org/exo", "title": "Example", "publisher": "Example org",
                     "date": "2025-01", "kind": "regulator"}],
        "as_of": "2025-01-01", "modified": "2025-02-01", "reviewed_by": "tests"}
    path = folder / "records" / "lupus" / f"{USER_RECORD_ID}.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(record), encoding="utf-8")
    return folder


def _honoured(claims: list[dict[str, Any]]) -> tuple[bool, bool]:
    """(the user's record decided a claim, the user's rule flagged one)."""
    record = any(e["record"] == USER_RECORD_ID for c in claims for e in c["evidence"])
    rule = any(f["rule"] == "HEDGED:zorblax" for c in claims for f in c["context"])
    return record, rule


def test_without_them_neither_shows(tmp_path: Path) -> None:
    claims = [c.to_report_dict() for c in factcheck.load().check_text(TEXT).claims]
    assert claims and _honoured(claims) == (False, False)


def test_factcheck_load_honours_a_user_record_and_rule(tmp_path: Path) -> None:
    checker = factcheck.load(db_paths=[_user_db(tmp_path / "db")], extra_rules=[USER_RULE])
    for fast in (True, False):
        checker.fast = fast
        assert _honoured([c.to_report_dict() for c in checker.check_text(TEXT).claims]) == (True, True)
    _report, doc = checker.check_doc(TEXT)
    assert doc is not None and _honoured(doc._.claims) == (True, True)


def test_one_resources_object_is_shared_by_the_checker_and_its_components(tmp_path: Path) -> None:
    resources = load_resources(db_paths=[_user_db(tmp_path / "db")], extra_rules=[USER_RULE])
    checker = Checker(resources=resources)
    assert checker.resources is resources
    assert all(checker.nlp.get_pipe(n).resources is resources for n in PIPE_NAMES[1:])  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        resources.db = None  # type: ignore[misc]
    assert USER_RECORD_ID in resources.db.records


def test_add_pipe_to_disk_and_spacy_load_carry_the_user_record_and_rule(tmp_path: Path) -> None:
    user_db = _user_db(tmp_path / "db")
    nlp = spacy.blank("en")
    nlp.add_pipe("factcheck_sentences")
    cfg = {"db_paths": [str(user_db)], "extra_rules": [USER_RULE]}
    for name in PIPE_NAMES[1:]:
        nlp.add_pipe(name, config=cfg)
    assert _honoured(nlp(TEXT)._.claims) == (True, True)
    nlp.to_disk(tmp_path / "model")
    shutil.rmtree(user_db)  # the saved pipeline carries its own copy of the user's records
    loaded = spacy.load(tmp_path / "model")
    assert _honoured(loaded(TEXT)._.claims) == (True, True)
    # and rules added to a live component travel too
    more = {"literal": "quuxify", "category": "HEDGED", "direction": "FORWARD", "max_scope": 8}
    loaded.get_pipe("factcheck_context").add_rules([more])  # type: ignore[attr-defined]
    loaded.to_disk(tmp_path / "model2")
    again = spacy.load(tmp_path / "model2")
    claims = again("Quuxify exosome therapy heals lupus. Book your consultation.")._.claims
    assert any(f["rule"] == "HEDGED:quuxify" for c in claims for f in c["context"])


def test_resources_round_trip_through_disk(tmp_path: Path) -> None:
    rules = tmp_path / "rules.json"
    rules.write_text(json.dumps({"rules": [USER_RULE]}), encoding="utf-8")
    resources = load_resources(db_paths=[_user_db(tmp_path / "db")], rules_path=rules, jurisdiction="US")
    resources.to_disk(tmp_path / "saved")
    back = Resources.from_disk(tmp_path / "saved")
    assert back.jurisdiction == "US"
    assert USER_RECORD_ID in back.db.records
    assert [r.name for r in back.user_rules] == ["HEDGED:zorblax"]


def test_two_processes_under_spawn_honour_the_user_record_and_rule(tmp_path: Path) -> None:
    user_db = _user_db(tmp_path / "db")
    build_nlp(db_paths=[user_db], extra_rules=[USER_RULE]).to_disk(tmp_path / "model")
    code = (
        "import json, multiprocessing as mp, sys, spacy\n"
        "mp.set_start_method('spawn', force=True)\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "texts = json.loads(sys.stdin.read())\n"
        "print(json.dumps([d._.claims for d in nlp.pipe(texts, n_process=2, batch_size=1)]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "model")], input=json.dumps([TEXT] * 4),
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    per_doc = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(per_doc) == 4
    assert all(_honoured(claims) == (True, True) for claims in per_doc)
