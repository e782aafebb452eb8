"""`factcheck scan` end to end on real files: inputs, one line per input, order, CSV, summary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from factcheck.scan import ScanStats, scan, scan_to_file
from tests.scan_helpers import CLAIM_HTML, PLAIN_HTML, make_corpus, read_lines, run_cli


def test_folder_scan_writes_exactly_one_line_per_input_including_failures(tmp_path):
    expected = make_corpus(tmp_path / "in")
    out = tmp_path / "report.jsonl"
    proc = run_cli(tmp_path / "in", "-o", out, "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    lines = read_lines(out)
    assert sorted(r["source"] for r in lines) == expected  # recursive, .gz, .txt; .png skipped
    by = {Path(r["source"]).name: r for r in lines}
    assert by["binary.html"]["status"] == "error"
    assert by["binary.html"]["error"]["type"] == "IngestError"
    assert by["empty.html"]["status"] == "ok" and by["empty.html"]["claims"] == []
    for name in ("a_claim.html", "z.html.gz"):
        claim = by[name]["claims"][0]
        assert (claim["therapy"]["id"], claim["condition"]["id"], claim["flagged"]) == (
            "msc", "multiple_sclerosis", True)
    assert by["notes.txt"]["claims"][0]["therapy"]["id"] == "exosome"


def test_a_file_named_twice_is_scanned_once(tmp_path):
    expected = make_corpus(tmp_path / "in", n_plain=1)
    out = tmp_path / "r.jsonl"
    proc = run_cli(tmp_path / "in", tmp_path / "in" / "a_claim.html", "-o", out, "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert sorted(r["source"] for r in read_lines(out)) == expected


def test_ordered_output_follows_input_order(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    # big claim pages first, tiny pages after: unordered workers would finish the tiny ones first
    names = []
    for i in range(12):
        name = f"p{i:02d}.html"
        filler = "<p>" + "More about the stem cell clinic. " * 400 + "</p></body>"
        body = CLAIM_HTML.replace("</body>", filler) if i < 3 else PLAIN_HTML
        (root / name).write_text(body, encoding="utf-8")
        names.append(str(root / name))
    out = tmp_path / "r.jsonl"
    proc = run_cli(root, "-o", out, "--workers", "2", "--ordered")
    assert proc.returncode == 0, proc.stderr
    assert [r["source"] for r in read_lines(out)] == names


def test_with_text_puts_the_extracted_text_that_offsets_point_into(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.html").write_text(CLAIM_HTML, encoding="utf-8")
    out = tmp_path / "r.jsonl"
    assert run_cli(root, "-o", out, "--with-text", "--workers", "1").returncode == 0
    (line,) = read_lines(out)
    claim = line["claims"][0]
    assert line["text"][claim["start"]:claim["end"]] == claim["sentence"]


def test_csv_has_one_row_per_claim(tmp_path):
    make_corpus(tmp_path / "in")
    out, table = tmp_path / "r.jsonl", tmp_path / "claims.csv"
    proc = run_cli(tmp_path / "in", "-o", out, "--csv", table, "--workers", "2")
    assert proc.returncode == 0, proc.stderr
    with open(table, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    n_claims = sum(len(r["claims"]) for r in read_lines(out))
    assert len(rows) == n_claims >= 3
    assert {Path(r["source"]).name for r in rows} == {"a_claim.html", "z.html.gz", "notes.txt"}
    assert all(r["verdict"] in {"supported", "overstated", "unproven"} for r in rows)


def test_summary_counts_pages_claims_flags_and_errors(tmp_path):
    expected = make_corpus(tmp_path / "in")
    proc = run_cli(tmp_path / "in", "-o", tmp_path / "r.jsonl", "--workers", "1")
    assert proc.returncode == 0
    summary = proc.stderr.strip().splitlines()[-1]
    assert f"{len(expected)} pages, 3 claims, 3 flagged, 1 errors" in summary
    assert "\r" not in proc.stderr  # no progress bar when stderr is not a terminal
    quiet = run_cli(tmp_path / "in", "-o", tmp_path / "q.jsonl", "--workers", "1", "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_missing_input_path_gets_an_error_line_and_the_batch_goes_on(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.html").write_text(CLAIM_HTML, encoding="utf-8")
    out = tmp_path / "r.jsonl"
    proc = run_cli(root / "a.html", tmp_path / "nope.html", "-o", out, "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    by = {Path(r["source"]).name: r for r in read_lines(out)}
    assert by["nope.html"]["status"] == "error" and by["a.html"]["status"] == "ok"


def test_library_scan_streams_page_reports_in_process_and_in_workers(tmp_path):
    expected = make_corpus(tmp_path / "in", n_plain=2)
    inline = {r.source: r for r in scan([tmp_path / "in"], workers=0)}
    pooled = {r.source: r for r in scan([tmp_path / "in"], workers=2, ordered=True)}
    assert sorted(inline) == sorted(pooled) == expected
    for src in expected:
        assert inline[src].to_report_dict() == pooled[src].to_report_dict()


def test_closing_the_scan_iterator_early_stops_the_workers(tmp_path):
    make_corpus(tmp_path / "in", n_plain=20)
    it = scan([tmp_path / "in"], workers=2)
    first = next(it)
    assert first.source
    it.close()  # must not hang, must not leave workers behind
    import multiprocessing

    assert [p for p in multiprocessing.active_children() if p.name == "factcheck-scan-worker"] == []


def test_scan_to_file_resume_skips_sources_already_written(tmp_path):
    expected = make_corpus(tmp_path / "in", n_plain=3)
    out = tmp_path / "r.jsonl"
    first = read_lines(out) if out.exists() else []
    assert first == []
    stats = scan_to_file([tmp_path / "in" / "a_claim.html"], out, workers=0)
    assert stats.pages == 1
    stats2 = ScanStats()
    scan_to_file([tmp_path / "in"], out, resume=True, workers=1, stats=stats2)
    assert stats2.skipped == 1 and stats2.pages == len(expected) - 1
    assert sorted(r["source"] for r in read_lines(out)) == expected
    assert json.loads(out.read_text().splitlines()[0])["source"].endswith("a_claim.html")


def test_progress_bar_shows_count_rate_and_counts_then_clears_itself():
    import io

    from factcheck.cli.scan import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    bar = progress_bar(stream, total=200)
    bar.update(50)
    bar.set_postfix_str("7 flagged, 1 errors", refresh=False)
    bar.refresh()
    shown = stream.getvalue()
    assert "50/200" in shown and "pages/s" in shown and "7 flagged, 1 errors" in shown
    bar.close()
    assert stream.getvalue().endswith("\r") and "\n" not in stream.getvalue()
    quiet = io.StringIO()  # not a terminal: no bar at all
    bar = progress_bar(quiet, total=200)
    bar.update(50)
    bar.close()
    assert quiet.getvalue() == ""


def test_progress_bar_is_drawn_only_on_a_terminal(tmp_path):
    import pty
    import subprocess
    import sys

    from tests.scan_helpers import ROOT, cli_env

    make_corpus(tmp_path / "in", n_plain=1)
    primary, secondary = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "factcheck", "scan", str(tmp_path / "in"), "-o",
                               str(tmp_path / "r.jsonl"), "--workers", "1"], cwd=ROOT, env=cli_env(),
                              stdout=subprocess.DEVNULL, stderr=secondary, timeout=120)
        import os

        os.close(secondary)
        secondary = -1
        chunks = []
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        import os

        os.close(primary)
        if secondary >= 0:
            os.close(secondary)
    assert proc.returncode == 0
    tty_err = b"".join(chunks).decode()
    assert "/6 [" in tty_err and " pages/s]" in tty_err


def test_no_coding_leaves_out_page_features_and_auto_judges_by_the_page_country(tmp_path: Path) -> None:
    import subprocess
    import sys

    page = tmp_path / "in" / "jp.txt"
    page.parent.mkdir()
    page.write_text("Stemirac in Tokyo\nOur clinic in Tokyo, Japan offers Stemirac for spinal cord injury. "
                    "Call +81 3 5555 0100 to book a consultation.", encoding="utf-8")

    def scan(*flags: str) -> dict:  # type: ignore[type-arg]
        out = tmp_path / f"out{len(flags)}.jsonl"
        proc = subprocess.run([sys.executable, "-m", "factcheck", "scan", str(page.parent), "-o", str(out),
                               "--workers", "1", "--quiet", *flags], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        return json.loads(out.read_text(encoding="utf-8").splitlines()[0])

    coded = scan("--jurisdiction", "auto")
    assert coded["country"] == "JP" and coded["features"]["offers_treatment"] is True
    assert {c["verdict"] for c in coded["claims"]} == {"supported"}
    bare = scan("--no-coding")
    assert "features" not in bare and {c["verdict"] for c in bare["claims"]} == {"unproven"}
