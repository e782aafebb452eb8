"""Nothing in the pipeline reaches the network: sockets are blocked in a fresh interpreter, which
then imports factcheck and its heavy dependencies, loads the checker, checks HTML, scans a folder
(worker processes included) and writes the HTML report. Any connection attempt is recorded and fails.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.scan_helpers import ROOT, cli_env, make_corpus

#: installed in every interpreter of the test (the scan's spawned workers too) via sitecustomize
BLOCKER = textwrap.dedent("""
    import os, socket

    _LOG = os.environ["FACTCHECK_NET_LOG"]

    def _refuse(what):
        def refuse(*args, **kwargs):
            with open(_LOG, "a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {what} {args[1:] if what.startswith('socket.') else args}\\n")
            raise OSError(f"network access blocked by the test: {what}")
        return refuse

    socket.socket.connect = _refuse("socket.connect")
    socket.socket.connect_ex = _refuse("socket.connect_ex")
    socket.socket.sendto = _refuse("socket.sendto")
    socket.create_connection = _refuse("create_connection")
    socket.getaddrinfo = _refuse("getaddrinfo")
    socket.gethostbyname = _refuse("gethostbyname")
""")

PIPELINE = textwrap.dedent("""
    import json, sys
    import spacy, rapidfuzz, selectolax, yaml, pydantic, charset_normalizer, ahocorasick, fastwarc
    import factcheck
    from factcheck.scan import scan_to_file
    checker = factcheck.load()
    report = checker.check_html("<p>Our clinic offers mesenchymal stem cells for multiple sclerosis.</p>",
                                url="https://clinic.example/ms")
    assert report.claims, report
    stats = scan_to_file([sys.argv[1]], sys.argv[2], workers=2, with_text=True)
    print(json.dumps({"pages": stats.pages, "claims": stats.claims}))
""")


def _env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(BLOCKER, encoding="utf-8")
    log = tmp_path / "net.log"
    env = cli_env({"FACTCHECK_NET_LOG": str(log), "HF_HUB_OFFLINE": "", "NO_PROXY": ""})
    env["PYTHONPATH"] = str(site) + ":" + env["PYTHONPATH"]
    return env, log


def test_blocker_catches_a_connection_attempt(tmp_path: Path) -> None:
    env, log = _env(tmp_path)
    proc = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('example.org', 80))"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0 and "network access blocked" in proc.stderr
    assert "create_connection" in log.read_text()


def test_whole_pipeline_runs_with_sockets_blocked_and_never_tries_to_connect(tmp_path: Path) -> None:
    env, log = _env(tmp_path)
    pages = tmp_path / "pages"
    sources = make_corpus(pages, n_plain=2)
    report = tmp_path / "report.jsonl"
    proc = subprocess.run([sys.executable, "-c", PIPELINE, str(pages), str(report)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert json.loads(proc.stdout.splitlines()[-1])["pages"] == len(sources)
    out = tmp_path / "html"
    proc = subprocess.run([sys.executable, "-m", "factcheck", "report", str(report), "-o", str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (out / "index.html").exists()
    proc = subprocess.run([sys.executable, "-m", "factcheck", "db", "validate"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not log.exists(), f"connection attempts: {log.read_text()}"
