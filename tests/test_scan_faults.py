"""Faults during a scan: workers killed or stuck, the scan killed or signalled, output unwritable.

Workers are crashed with the documented test hook ``FACTCHECK_SCAN_FAULT`` (see
``factcheck.scan.FAULT_ENV``) or by SIGKILLing the worker pid from the test; the scan itself is
killed with real signals. Nothing of ours is mocked.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck.scan import FAULT_ENV, scan
from tests.scan_helpers import CLAIM_HTML, PLAIN_HTML, ROOT, cli_env, make_corpus, read_lines, run_cli

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="signals and /proc: Linux")


def _children(pid: int) -> list[tuple[int, str]]:
    """(pid, cmdline) of the direct children of ``pid``, from /proc."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmd = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            out.append((int(entry), cmd))
    return out


def _workers_of(pid: int) -> list[int]:
    return [p for p, cmd in _children(pid) if "spawn_main" in cmd]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for_lines(path: Path, n: int, proc: subprocess.Popen[str], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and path.read_bytes().count(b"\n") >= n:
            return
        assert proc.poll() is None, f"scan ended early: {proc.stderr.read() if proc.stderr else ''}"
        time.sleep(0.05)
    raise AssertionError(f"fewer than {n} lines after {timeout} s")


def _busy_corpus(root: Path, n: int = 40) -> list[str]:
    """Pages that take real checker time (claims in long text), so a kill lands mid-run."""
    root.mkdir(parents=True)
    long_claims = "".join(f"<p>Patient {i} says our stem cell therapy can cure multiple sclerosis and "
                          f"reverse Parkinson's disease.</p>" for i in range(150))
    for i in range(n):
        (root / f"p{i:03d}.html").write_text(f"<html><body>{long_claims}</body></html>", encoding="utf-8")
    return sorted(str(p) for p in root.iterdir())


def _assert_exactly_once(out: Path, expected: list[str]) -> list[dict]:
    lines = read_lines(out)  # also asserts: no partial trailing line
    assert sorted(r["source"] for r in lines) == sorted(expected)
    return lines


def test_a_worker_killed_mid_page_costs_that_page_only(tmp_path):
    expected = make_corpus(tmp_path / "in")
    (tmp_path / "in" / "crash_me.html").write_text(CLAIM_HTML, encoding="utf-8")
    expected = sorted([*expected, str(tmp_path / "in" / "crash_me.html")])
    out = tmp_path / "r.jsonl"
    proc = run_cli(tmp_path / "in", "-o", out, "--workers", "2", env={FAULT_ENV: "kill:crash_me"})
    assert proc.returncode == 0, proc.stderr
    by = {Path(r["source"]).name: r for r in _assert_exactly_once(out, expected)}
    assert by["crash_me.html"]["status"] == "error"
    assert by["crash_me.html"]["error"]["type"] == "WorkerCrash"
    assert "SIGKILL" in by["crash_me.html"]["error"]["message"]
    assert by["a_claim.html"]["status"] == "ok" and by["a_claim.html"]["claims"]
    assert sum(r["status"] == "error" for r in by.values()) == 2  # crash_me + the binary page
    assert "restarted" in proc.stderr


def test_a_worker_exiting_mid_page_in_the_library_api(tmp_path, monkeypatch):
    expected = make_corpus(tmp_path / "in", n_plain=3)
    (tmp_path / "in" / "exit_me.html").write_text(CLAIM_HTML, encoding="utf-8")
    monkeypatch.setenv(FAULT_ENV, "exit:exit_me")
    reports = {r.source: r for r in scan([tmp_path / "in"], workers=1)}
    assert sorted(reports) == sorted([*expected, str(tmp_path / "in" / "exit_me.html")])
    crashed = reports[str(tmp_path / "in" / "exit_me.html")]
    assert crashed.status == "error" and crashed.error is not None
    assert crashed.error.type == "WorkerCrash" and "exit code 3" in crashed.error.message


def test_a_page_over_the_time_limit_is_stopped_and_reported(tmp_path):
    expected = make_corpus(tmp_path / "in", n_plain=3)
    (tmp_path / "in" / "slow.html").write_text(PLAIN_HTML, encoding="utf-8")
    out = tmp_path / "r.jsonl"
    t0 = time.monotonic()
    proc = run_cli(tmp_path / "in", "-o", out, "--workers", "2", "--timeout", "2",
                   env={FAULT_ENV: "sleep:slow.html:600"})
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - t0 < 90  # the 600 s sleep was really cut short
    lines = _assert_exactly_once(out, [*expected, str(tmp_path / "in" / "slow.html")])
    by = {Path(r["source"]).name: r for r in lines}
    assert by["slow.html"]["error"]["type"] == "Timeout"
    assert by["a_claim.html"]["claims"]


def test_a_worker_sigkilled_from_outside_gets_a_crash_line_and_the_scan_finishes(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for i in range(5):
        (root / f"p{i}.html").write_text(PLAIN_HTML, encoding="utf-8")
    (root / "zz_stuck.html").write_text(CLAIM_HTML, encoding="utf-8")  # sorted last
    out = tmp_path / "r.jsonl"
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", "scan", str(root), "-o", str(out),
                             "--workers", "1", "--timeout", "0"], cwd=ROOT, text=True,
                            env=cli_env({FAULT_ENV: "sleep:zz_stuck:600"}),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_for_lines(out, 5, proc)  # the one worker is now inside zz_stuck.html
        (worker,) = _workers_of(proc.pid)
        os.kill(worker, signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == 0, err
    lines = _assert_exactly_once(out, sorted(str(p) for p in root.iterdir()))
    by = {Path(r["source"]).name: r for r in lines}
    assert by["zz_stuck.html"]["error"]["type"] == "WorkerCrash"
    assert all(r["status"] == "ok" for n, r in by.items() if n != "zz_stuck.html")


def _start_scan(folder: Path, out: Path) -> subprocess.Popen[str]:
    """A 2-worker scan in the background, to be interrupted by the test."""
    return subprocess.Popen([sys.executable, "-m", "factcheck", "scan", str(folder), "-o", str(out),
                             "--workers", "2"], cwd=ROOT, env=cli_env(), text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_kill_9_of_the_scan_then_resume_finishes_every_input_exactly_once(tmp_path):
    expected = _busy_corpus(tmp_path / "in")
    out = tmp_path / "r.jsonl"
    proc = _start_scan(tmp_path / "in", out)
    try:
        _wait_for_lines(out, 3, proc)
        workers = _workers_of(proc.pid)
        assert workers
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.communicate(timeout=30)
    done_before = out.read_bytes().count(b"\n")
    assert 3 <= done_before < len(expected), "the kill must land mid-run"
    # Workers notice the parent is gone (their pipe closes) and stop, even mid-page.
    deadline = time.monotonic() + 30
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
    # A kill during a write can leave half a line: make sure resume copes with one.
    with open(out, "ab") as fh:
        fh.write(b'{"source": "' + expected[-1].encode() + b'", "status": "o')
    again = run_cli(tmp_path / "in", "-o", out, "--workers", "2", "--resume")
    assert again.returncode == 0, again.stderr
    lines = _assert_exactly_once(out, expected)
    assert all(r["status"] == "ok" and r["claims"] for r in lines)
    assert f"{done_before} already in the report" in again.stderr


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_sigterm_and_sigint_leave_complete_lines_and_exit_nonzero(tmp_path, signum, code):
    expected = _busy_corpus(tmp_path / "in")
    out = tmp_path / "r.jsonl"
    proc = _start_scan(tmp_path / "in", out)
    try:
        _wait_for_lines(out, 2, proc)
        workers = _workers_of(proc.pid)
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.communicate()
    assert proc.returncode == code, err
    assert "--resume" in err
    partial = read_lines(out)  # complete lines only
    assert 2 <= len(partial) < len(expected)
    assert not any(_alive(w) for w in workers)
    again = run_cli(tmp_path / "in", "-o", out, "--workers", "2", "--resume")
    assert again.returncode == 0, again.stderr
    _assert_exactly_once(out, expected)


def test_unwritable_output_path_is_a_clear_error(tmp_path):
    make_corpus(tmp_path / "in", n_plain=1)
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file where a folder should be")
    proc = run_cli(tmp_path / "in", "-o", blocker / "r.jsonl", "--workers", "1")
    assert proc.returncode == 2
    assert "cannot write the report" in proc.stderr and str(blocker / "r.jsonl") in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = run_cli(tmp_path / "in", "-o", tmp_path / "in", "--workers", "1")  # a folder
    assert proc.returncode == 2 and "cannot write the report" in proc.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_disk_full_on_dev_full_is_a_clear_error(tmp_path):
    make_corpus(tmp_path / "in", n_plain=1)
    proc = run_cli(tmp_path / "in", "-o", "/dev/full", "--workers", "1")
    assert proc.returncode == 2
    assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr


def _mount_tiny_tmpfs(path: Path) -> bool:
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(path)],
                          capture_output=True).returncode == 0


def test_disk_filling_up_mid_scan_leaves_no_partial_line(tmp_path):
    disk = tmp_path / "tiny"
    if not _mount_tiny_tmpfs(disk):
        pytest.skip("cannot mount a tiny tmpfs here (needs root)")
    try:
        root = tmp_path / "in"
        root.mkdir()
        text = "".join(f"<p>Our stem cell therapy can cure multiple sclerosis, visit {i}.</p>"
                       for i in range(60))
        for i in range(30):
            (root / f"p{i:02d}.html").write_text(f"<html><body>{text}</body></html>", encoding="utf-8")
        out = disk / "r.jsonl"
        proc = run_cli(root, "-o", out, "--workers", "2", "--with-text")
        assert proc.returncode == 2, proc.stderr
        assert "No space left on device" in proc.stderr and "Traceback" not in proc.stderr
        lines = read_lines(out)  # whatever fit: complete lines only
        assert len(lines) < 30
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_workers_collect_cyclic_garbage_between_pages():
    """Scan workers run with the automatic collector off and collect between pages themselves."""
    import gc
    import weakref

    from factcheck.scan import COLLECT_EVERY_PAGES, _collect_between_pages

    class Node:
        pass

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        alive = weakref.ref(node)
        del node
        assert alive() is not None  # a cycle outlives its last name while the collector is off
        assert _collect_between_pages(1) == 1 or alive() is None
        assert _collect_between_pages(COLLECT_EVERY_PAGES) == 0
        assert alive() is None
    finally:
        if was_enabled:
            gc.enable()


def test_an_interrupt_just_after_a_write_writes_no_line_twice(tmp_path, monkeypatch):
    import factcheck.scan as scan_module

    pages = tmp_path / "in"
    pages.mkdir()
    for i in range(6):
        (pages / f"p{i}.html").write_text(f"<html><body><p>Page {i} about knees.</p></body></html>", "utf-8")
    real_write = os.write
    calls = []

    def write_then_interrupt(fd: int, data: bytes) -> int:
        n = real_write(fd, data)
        if bytes(data[:10]) == b'{"source":' and not calls:
            calls.append(n)
            raise KeyboardInterrupt  # the signal lands after the lines are out, before the list is cleared
        return n

    monkeypatch.setattr(scan_module.os, "write", write_then_interrupt)
    out = tmp_path / "r.jsonl"
    with pytest.raises(KeyboardInterrupt):
        scan_module.scan_to_file([pages], out, workers=1)
    sources = [r["source"] for r in read_lines(out)]
    assert sources and len(sources) == len(set(sources))

