"""Helpers shared by the scan tests: a small real corpus and a way to run the CLI."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLAIM_HTML = ("<html><head><title>Stem cells</title></head><body><p>Our mesenchymal stem cell therapy can "
              "cure multiple sclerosis.</p></body></html>")
PLAIN_HTML = "<html><body><h1>Menu</h1><p>Book a table for two at our bistro.</p></body></html>"


def make_corpus(root: Path, n_plain: int = 6) -> list[str]:
    """Pages of every kind under ``root`` (folders nested); returns the expected sources, sorted."""
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "a_claim.html").write_text(CLAIM_HTML, encoding="utf-8")
    (root / "empty.html").write_bytes(b"")
    (root / "sub" / "binary.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(4000))
    with gzip.open(root / "sub" / "deeper" / "z.html.gz", "wt", encoding="utf-8") as fh:
        fh.write(CLAIM_HTML)
    (root / "sub" / "notes.txt").write_text("Exosome therapy reverses ALS in weeks.\n", encoding="utf-8")
    (root / "ignored.png").write_bytes(b"not a page suffix")
    for i in range(n_plain):
        (root / "sub" / f"plain_{i:02d}.htm").write_text(PLAIN_HTML, encoding="utf-8")
    return sorted(str(p) for p in root.rglob("*") if p.is_file() and p.suffix != ".png")


def run_cli(*args: str | os.PathLike[str], env: dict[str, str] | None = None,
            timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "factcheck", "scan", *map(str, args)], cwd=ROOT,
                          env=cli_env(env), capture_output=True, text=True, timeout=timeout)


def cli_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra or {})
    return env


def read_lines(path: Path) -> list[dict]:
    raw = path.read_bytes()
    assert raw == b"" or raw.endswith(b"\n"), "report ends in a partial line"
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]
