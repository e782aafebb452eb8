"""A non-editable install from the wheel works offline, with the evidence database inside."""

from __future__ import annotations

import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(ROOT)], check=True, capture_output=True, timeout=600)
    return next(out.glob("factcheck-*.whl"))


def test_wheel_ships_data_rules_and_type_marker(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "factcheck/py.typed" in names
    assert "factcheck/lang/en/context_rules.json" in names
    assert "claims_db/schema.json" in names
    records = [n for n in names if n.startswith("claims_db/records/") and n.endswith(".yaml")]
    assert len(records) >= 80
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[spacy_factories]" in text and "factcheck_claims" in text


@pytest.mark.slow
def test_installed_wheel_checks_a_page_outside_the_source_tree(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    py = venv / "bin" / "python"
    # dependencies come from this environment (no network); factcheck itself only from the wheel
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    deps = [p for p in site.getsitepackages() if "site-packages" in p]
    (Path(purelib) / "deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)],
                   check=True, timeout=300)
    code = (
        "import factcheck, pathlib, sys\n"
        "assert 'site-packages' in factcheck.__file__, factcheck.__file__\n"
        "r = factcheck.load().check_text('Stem cells for MS\\nOur clinic treats multiple sclerosis with "
        "mesenchymal stem cells. Book now.')\n"
        "print(r.claims[0].verdict, r.claims[0].evidence[0].record)\n"
    )
    out = subprocess.run([str(py), "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["unproven", "msc-multiple_sclerosis"]
    db = subprocess.run([str(py), "-m", "factcheck", "db", "validate"], cwd=tmp_path, capture_output=True,
                        text=True, timeout=300)
    assert db.returncode == 0 and db.stdout.startswith("ok:")
