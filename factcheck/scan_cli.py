"""``factcheck scan``: many pages in, one JSONL report line per page out.

Exit codes: 0 every input has its line (pages that failed included, as ``status: "error"``);
1 the scan could not run (the checker failed to load in the workers); 2 the report or CSV could not
be written (unwritable path, disk full: nothing partial is left); 130 interrupted by SIGINT and
143 by SIGTERM (the report holds complete lines only; rerun with ``--resume`` to finish).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from factcheck.scan import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_CHARS,
    DEFAULT_PAGE_TIMEOUT,
    OutputError,
    ScanError,
    ScanResult,
    ScanStats,
    scan_to_file,
)


class _Terminated(BaseException):
    """SIGTERM, raised in the main thread so ``finally`` blocks stop workers and close the file."""


def add_commands(subparsers: Any) -> None:
    """Add ``scan`` to an ``argparse`` subparsers object."""
    p = subparsers.add_parser(
        "scan", help="check pages (files, folders, globs, .gz, WARC, JSONL) into a JSONL report",
        description="Check every page under PATH (folders recursively; .html/.htm/.txt, gzip, WARC, "
                    "JSONL of {url, html|text}) and write one JSON line per page to REPORT.jsonl.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files, folders or globs")
    p.add_argument("-o", "--output", required=True, type=Path, metavar="REPORT.jsonl",
                   help="report file (JSON lines, one per input page)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="worker processes (default: all cores; 0 = in this process, no time limit)")
    p.add_argument("--ordered", action="store_true", help="write lines in input order")
    p.add_argument("--resume", action="store_true",
                   help="keep the report's complete lines and scan only sources not in it yet")
    p.add_argument("--with-text", action="store_true",
                   help="put each page's extracted text in its line (offsets point into it)")
    p.add_argument("--csv", type=Path, default=None, metavar="CLAIMS.csv",
                   help="also write one CSV row per claim (from the whole report)")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    p.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                   help=f"cut inputs bigger than N bytes, with a warning (default {DEFAULT_MAX_BYTES})")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, metavar="N",
                   help="cut extracted text beyond N characters, with a warning "
                        f"(default {DEFAULT_MAX_CHARS})")
    p.add_argument("--timeout", type=float, default=DEFAULT_PAGE_TIMEOUT, metavar="SECONDS",
                   help="per-page time limit; a page over it gets a Timeout error line "
                        f"(default {DEFAULT_PAGE_TIMEOUT:g}; 0 = none)")
    p.set_defaults(func=run_scan)


class Progress:
    """A one-line progress bar on a terminal: pages, pages/s, ETA (when the total is known)."""

    def __init__(self, stream: TextIO, total: int | None, interval: float = 0.2) -> None:
        self.stream = stream
        self.total = total
        self.interval = interval
        self.last = 0.0
        self.width = 0

    def update(self, stats: ScanStats, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        rate = stats.pages / stats.elapsed if stats.elapsed > 0 else 0.0
        parts = []
        if self.total:
            done = min(stats.pages, self.total)
            filled = int(24 * done / self.total)
            parts.append(f"[{'#' * filled}{'.' * (24 - filled)}] {done}/{self.total}")
            left = self.total - done
            parts.append(f"ETA {_clock(left / rate)}" if rate > 0 and left else "")
        else:
            parts.append(f"{stats.pages} pages")
        parts.insert(1, f"{rate:.1f} pages/s")
        parts.append(f"{stats.flagged} flagged, {stats.errors} errors")
        line = "  ".join(p for p in parts if p)
        pad = max(0, self.width - len(line))
        self.width = len(line)
        self.stream.write("\r" + line + " " * pad)
        self.stream.flush()

    def finish(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def count_inputs(paths: list[str]) -> int | None:
    """Number of pages when every input is a page file (cheap); None when archives hide the count."""
    from factcheck.ingest.sources import JSONL_SUFFIXES, WARC_SUFFIXES, expand_paths

    seen = set()
    for path in expand_paths(paths):
        if path.lower().endswith(WARC_SUFFIXES + JSONL_SUFFIXES):
            return None
        seen.add(os.path.normpath(os.path.abspath(path)))
    return len(seen)


def _claim_pages(report: Path) -> Iterator[dict[str, Any]]:
    # Only pages with claims: write_claims_csv materialises what it is given, and most lines of a
    # crawl have none.
    with open(report, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if '"claims":[]' in line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            if obj.get("claims"):
                yield obj


def run_scan(args: argparse.Namespace) -> int:
    """Handle ``factcheck scan``; returns the exit code."""
    prog = "factcheck scan"
    if args.workers is not None and args.workers < 0:
        print(f"{prog}: --workers must be >= 0", file=sys.stderr)
        return 2
    stats = ScanStats()
    progress: Progress | None = None
    if not args.quiet and sys.stderr.isatty():
        progress = Progress(sys.stderr, count_inputs(args.paths))

    def on_result(res: ScanResult, st: ScanStats) -> None:
        if progress is not None:
            progress.update(st)

    def on_term(signum: int, frame: object) -> None:
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        scan_to_file(args.paths, args.output, resume=args.resume, on_result=on_result, stats=stats,
                     workers=args.workers, ordered=args.ordered, with_text=args.with_text,
                     max_bytes=args.max_bytes, max_chars=args.max_chars,
                     page_timeout=args.timeout or None)
    except OutputError as exc:
        _stop(progress)
        print(f"{prog}: {exc.strerror}", file=sys.stderr)
        return 2
    except ScanError as exc:
        _stop(progress)
        print(f"{prog}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        _stop(progress)
        print(f"{prog}: interrupted after {stats.pages} pages; the report holds complete lines only, "
              f"rerun with --resume to finish", file=sys.stderr)
        return 130
    except _Terminated:
        _stop(progress)
        print(f"{prog}: terminated after {stats.pages} pages; the report holds complete lines only, "
              f"rerun with --resume to finish", file=sys.stderr)
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous)
    _stop(progress)
    if args.csv is not None:
        from factcheck.report.csv_summary import write_claims_csv

        try:
            write_claims_csv(_claim_pages(args.output), args.csv)
        except OSError as exc:
            print(f"{prog}: cannot write {args.csv}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    if not args.quiet:
        print(f"{prog}: {stats.summary()}; report: {args.output}", file=sys.stderr)
        if stats.worker_restarts:
            print(f"{prog}: {stats.worker_restarts} worker(s) restarted after a crash or time limit",
                  file=sys.stderr)
    return 0


def _stop(progress: Progress | None) -> None:
    if progress is not None:
        progress.finish()
