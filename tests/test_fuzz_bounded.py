"""The atheris fuzz targets, run for a bounded number of inputs (``make fuzz`` runs them longer).

Longer runs, as documented in each target:
    python tests/fuzz/fuzz_check_html.py -atheris_runs=200000
    python tests/fuzz/fuzz_db_loader.py -atheris_runs=50000
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("atheris")

FUZZ = Path(__file__).resolve().parent / "fuzz"


@pytest.mark.parametrize(("target", "runs"), [("fuzz_check_html.py", 3000), ("fuzz_db_loader.py", 1500)])
def test_fuzz_target_survives_a_bounded_run(tmp_path: Path, target: str, runs: int) -> None:
    proc = subprocess.run(
        [sys.executable, str(FUZZ / target), f"-atheris_runs={runs}", "-seed=1", "-max_len=4096",
         f"-artifact_prefix={tmp_path}/"],
        cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert f"Done {runs} " in proc.stderr, proc.stderr[-2000:]
    assert not list(tmp_path.glob("crash-*"))
