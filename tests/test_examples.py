"""The README's examples and the scripts in examples/ run and print what they promise."""

from __future__ import annotations

import doctest
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pycon_blocks() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```pycon\n(.*?)```", text, flags=re.S)


def test_readme_has_examples() -> None:
    assert len(_pycon_blocks()) >= 4


def test_readme_examples_print_what_they_claim(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    globs: dict[str, object] = {}
    for i, block in enumerate(_pycon_blocks()):
        test = parser.get_doctest(block, globs, f"README block {i}", "README.md", 0)
        runner.run(test, clear_globs=False)
        globs = test.globs  # later blocks build on earlier ones, as a reader would
    result = runner.summarize(verbose=False)
    assert result.failed == 0 and result.attempted > 0


def test_package_docstring_example_runs() -> None:
    import factcheck

    assert doctest.testmod(factcheck, verbose=False).failed == 0


def test_quickstart_script_prints_verdicts_with_sources() -> None:
    out = subprocess.run([sys.executable, "examples/quickstart.py"], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=300).stdout
    assert "unproven  msc -> multiple_sclerosis" in out
    assert "evidence: msc-multiple_sclerosis (trials_negative) https://" in out


def test_batch_scan_script_reports_every_example_page(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "examples/batch_scan.py", "examples/pages", str(tmp_path / "r.jsonl")],
                         cwd=ROOT, capture_output=True, text=True, check=True, timeout=600).stdout
    pages = list((ROOT / "examples" / "pages").iterdir())
    lines = (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(pages)
    assert "flagged claims" in out
    # the script writes the report format: read back through the same model, every line valid
    from factcheck.report import read_report

    loaded = read_report(tmp_path / "r.jsonl")
    assert loaded.problems == [] and len(loaded.pages) == len(pages)
    assert sum(len(p.flagged) for p in loaded.pages) == int(out.splitlines()[-1].split()[0])


def test_readme_links_stay_inside_the_repository_and_resolve() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", text)
    assert targets, "the README links its docs"
    for target in targets:
        path = target.split("#", 1)[0]
        assert "://" not in target and not target.startswith(("/", "..")), target
        assert (ROOT / path).resolve().is_relative_to(ROOT) and (ROOT / path).exists(), target
    # nor as bare text: the shared material beside a checkout is not part of the project
    assert "../shared" not in text


def test_readme_says_nothing_twice() -> None:
    """No sentence of prose (eight words or more) appears twice: a pasted paragraph shows up here."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    sentences = [s for s in (" ".join(x.split()) for x in re.split(r"(?<=[.!?])\s+|\n\n", prose))
                 if len(s.split()) >= 8]
    repeated = {s for s in sentences if sentences.count(s) > 1}
    assert not repeated, repeated
