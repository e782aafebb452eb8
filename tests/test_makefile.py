"""``make`` picks its interpreter: the newest suitable Python on PATH, and says which."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PICK = ROOT / "scripts" / "pick-python"
MAKE = shutil.which("make")
#: a real interpreter (>= 3.11: this suite runs on one), to stand in for python3.12 and friends
REAL = Path(sys.executable).resolve()
TOO_OLD = "#!/bin/sh\n# a Python 3.10: fails the version check\nexit 1\n"


def bindir(tmp_path: Path, real: tuple[str, ...] = (), old: tuple[str, ...] = ()) -> Path:
    """A folder to be the whole PATH: ``real`` names link to a real Python, ``old`` ones refuse."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for name in real:
        (folder / name).symlink_to(REAL)
    for name in old:
        (folder / name).write_text(TOO_OLD, encoding="utf-8")
        (folder / name).chmod(0o755)
    return folder


def pick(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["/bin/sh", str(PICK)], env={"PATH": str(path)}, capture_output=True, text=True,
                          timeout=60)


def test_only_python3_12_on_path_is_picked(tmp_path: Path) -> None:
    folder = bindir(tmp_path, real=("python3.12",))
    done = pick(folder)
    assert done.returncode == 0 and done.stdout.strip() == str(folder / "python3.12")


def test_newest_suitable_wins_and_a_too_old_one_is_skipped(tmp_path: Path) -> None:
    folder = bindir(tmp_path, real=("python3.11", "python3.12", "python3"), old=("python3.13",))
    assert pick(folder).stdout.strip() == str(folder / "python3.12")


def test_plain_python3_is_the_last_resort(tmp_path: Path) -> None:
    folder = bindir(tmp_path, real=("python3",), old=("python3.11",))
    assert pick(folder).stdout.strip() == str(folder / "python3")


def test_nothing_suitable_exits_1_silently(tmp_path: Path) -> None:
    done = pick(bindir(tmp_path, old=("python3.13", "python3")))
    assert done.returncode == 1 and done.stdout == ""


@pytest.mark.skipif(MAKE is None, reason="needs make")
def test_make_says_which_interpreter_or_why_none(tmp_path: Path) -> None:
    assert MAKE is not None
    folder = bindir(tmp_path, real=("python3.12",))
    done = subprocess.run([MAKE, "-s", "python"], cwd=ROOT, env={"PATH": str(folder)}, capture_output=True,
                          text=True, timeout=60)
    major, minor, micro = sys.version_info[:3]
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"using {folder / 'python3.12'} (Python {major}.{minor}.{micro})"
    empty = tmp_path / "empty"
    empty.mkdir()
    none = subprocess.run([MAKE, "-s", "python"], cwd=ROOT, env={"PATH": str(empty)}, capture_output=True,
                          text=True, timeout=60)
    assert none.returncode != 0 and "need Python >= 3.11" in none.stdout + none.stderr
    given = subprocess.run([MAKE, "-s", "python", f"PYTHON={REAL}"], cwd=ROOT, env={"PATH": str(empty)},
                           capture_output=True, text=True, timeout=60)
    assert given.stdout.strip().startswith(f"using {REAL} (Python")


def test_pick_script_is_executable() -> None:
    assert os.access(PICK, os.X_OK)
