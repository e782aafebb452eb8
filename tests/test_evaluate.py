"""``factcheck evaluate``: the scoring of labelled cases, against cases written here and tools/score.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck.checker import Checker
from factcheck.cli import main
from factcheck.evaluate import Case, CaseError, evaluate, load_cases

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV_CASES = SHARED / "corpus" / "dev" / "cases.jsonl"
SCORER = SHARED / "tools" / "score.py"

FOOTER = "\nBook your free consultation today. Packages from $9,500."
CASES = [
    # found and labelled: a true positive with the right verdict
    {"id": "offer", "kind": "clinic", "text": "MSC Therapy for Multiple Sclerosis\nOur clinic treats multiple "
     "sclerosis with mesenchymal stem cells." + FOOTER,
     "claims": [{"therapy": "msc", "condition": "multiple_sclerosis", "verdict": "unproven",
                 "evidence": "Our clinic treats multiple sclerosis"}]},
    # labelled with a pair the page never names: a miss, shown with its gold quote
    {"id": "missed", "kind": "clinic", "text": "MSC Therapy for Multiple Sclerosis\nOur clinic treats multiple "
     "sclerosis with mesenchymal stem cells." + FOOTER,
     "claims": [{"therapy": "msc", "condition": "multiple_sclerosis", "verdict": "unproven"},
                {"therapy": "svf", "condition": "autism", "verdict": "unproven", "evidence": "a quote of it"}]},
    # a clean information page in Spanish (no gold claims)
    {"id": "clean", "kind": "information", "lang": "es", "text": "Horario de la biblioteca: lunes a viernes."},
    # labelled clean, but the page sells a therapy: a false alarm, shown with the checker's sentence
    {"id": "alarm", "kind": "news", "text": "Exosome Therapy for Lupus\nOur clinic treats lupus with exosome "
     "therapy." + FOOTER, "claims": []},
]


@pytest.fixture(scope="module")
def cases_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cases") / "cases.jsonl"
    path.write_text("".join(json.dumps(c) + "\n" for c in CASES), encoding="utf-8")
    return path


def test_scores_of_cases_written_here(cases_file: Path, checker: Checker) -> None:
    result = evaluate(cases_file, checker)
    s = result.summary
    # tp: offer + missed share the msc/MS pair; fn: svf/autism; fp: exosome/lupus on "alarm"
    assert (s["flagged_tp"], s["flagged_fn"], s["flagged_fp"]) == (2, 1, 1)
    assert (s["precision"], s["recall"], s["f1"]) == (0.667, 0.667, 0.667)
    assert s["verdict_accuracy"] == 1.0
    assert (s["clean_pages"], s["false_alarm_pages"]) == (2, 1)
    assert s["page_f1"] == 0.8  # page tp 2, page fp 1, page fn 0
    assert s["f1_by_lang"] == {"en": 0.667, "es": 0.0}
    assert s["by_kind"]["news"]["pages"] == 1 and s["by_kind"]["clinic"]["recall"] == 0.667
    kinds = {(m.case, m.kind) for m in result.misses}
    assert kinds == {("missed", "missed"), ("alarm", "false_flag")}
    by_case = {m.case: m for m in result.misses}
    assert by_case["missed"].sentence == "a quote of it"
    assert "lupus" in by_case["alarm"].sentence.lower()
    assert result.text().splitlines()[-1] == "SCORE " + json.dumps(s)


def test_lang_keeps_one_language(cases_file: Path, checker: Checker) -> None:
    s = evaluate(cases_file, checker, lang="es").summary
    assert s["cases"] == 1 and s["clean_pages"] == 1 and s["false_alarm_pages"] == 0


def test_cli_json_and_bad_cases(cases_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["evaluate", str(cases_file), "--json", "--lang", "en"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["cases"] == 3 and summary["flagged_fp"] == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(CASES[0]) + "\n" + json.dumps({"id": "x", "claims": []}) + "\n", encoding="utf-8")
    assert main(["evaluate", str(bad)]) == 2
    assert f"{bad}:2: text: Field required" in capsys.readouterr().err
    assert main(["evaluate", str(cases_file), "--lang", "xx"]) == 2
    assert main(["evaluate", str(tmp_path / "none.jsonl")]) == 2
    with pytest.raises(CaseError, match=r":2: claims\.0\.verdict"):
        bad.write_text(json.dumps(CASES[0]) + "\n" + json.dumps(
            {**CASES[0], "claims": [{"therapy": "msc", "condition": "als", "verdict": "maybe"}]}) + "\n")
        load_cases(bad)


def test_cases_default_to_english_text() -> None:
    case = Case.model_validate({"id": "a", "text": "t"})
    assert (case.language, case.format, case.kind, case.claims) == ("en", "text", "clinic", [])


@pytest.mark.slow
@pytest.mark.skipif(not (DEV_CASES.exists() and SCORER.exists()),
                    reason="needs ../shared/corpus/dev/cases.jsonl and ../shared/tools/score.py")
def test_agrees_with_the_shared_scorer_on_the_dev_cases(checker: Checker) -> None:
    done = subprocess.run([sys.executable, str(SCORER), str(DEV_CASES), "--json"], cwd=ROOT, capture_output=True,
                          text=True, timeout=900, check=True)
    theirs = json.loads(done.stdout.strip().splitlines()[-1].removeprefix("SCORE "))
    ours = evaluate(DEV_CASES, checker).summary
    assert {k: ours[k] for k in theirs} == theirs
