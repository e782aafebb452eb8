"""``factcheck scan``: many pages in, one JSONL report line per page out.

``--db``, ``--rules`` and ``--jurisdiction`` configure the checker of every worker process (the
same keywords as ``factcheck.load``); they are loaded once here first, so a bad file stops the scan
with its ``file:line`` message before any page is read.

Exit codes: 0 every input has its line (pages that failed included, as ``status: "error"``);
1 the scan could not run (a user database or rules file has problems, or the checker failed to
load in the workers); 2 the report or CSV could not
be written (unwritable path, disk full: nothing partial is left); 130 interrupted by SIGINT and
143 by SIGTERM (the report holds complete lines only; rerun with ``--resume`` to finish).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from tqdm import tqdm

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
    p.add_argument("--db", action="append", type=Path, default=[], metavar="DIR", dest="db_paths",
                   help="a folder of your own records laid out like claims_db/ (therapies/, conditions/, "
                        "outcomes/, records/<condition>/), loaded beside the bundled ones; repeatable")
    p.add_argument("--rules", type=Path, default=None, metavar="FILE",
                   help="a JSON file of extra context rules (the shape of factcheck/rules/context_rules.json)")
    p.add_argument("--jurisdiction", default=None, metavar="CODE",
                   help="where the reader is (US, EU, JP, UK...): local approvals there count as accepted "
                        "(auto: each page's own country)")
    p.add_argument("--no-coding", action="store_true",
                   help="leave out the page coding (features, country): faster on long clinic pages")
    p.set_defaults(func=run_scan)


def checker_config(args: argparse.Namespace) -> dict[str, Any]:
    """The ``factcheck.load`` keywords every worker builds its checker from."""
    config: dict[str, Any] = {}
    if args.db_paths:
        config["db_paths"] = [str(p) for p in args.db_paths]
    if args.rules is not None:
        config["rules_path"] = str(args.rules)
    if args.jurisdiction:
        # records use upper-case codes (JP, US, EU); "auto" asks each page's country
        config["jurisdiction"] = "auto" if args.jurisdiction.lower() == "auto" else args.jurisdiction.upper()
    if args.no_coding:
        config["code_pages"] = False
    return config


def check_config(config: dict[str, Any]) -> list[str]:
    """Problems of the user's database folders and rules file, as ``file:line: message`` lines."""
    from factcheck.db import DataError, load_db
    from factcheck.parse.rules import RuleError, load_rules

    problems: list[str] = []
    for path in config.get("db_paths", []):
        if not Path(path).is_dir():
            problems.append(f"--db {path}: not a folder")
    if not problems and config.get("db_paths"):
        try:
            load_db(*config["db_paths"])
        except DataError as exc:
            problems += [str(issue) for issue in exc.issues]
    if "rules_path" in config:
        try:
            load_rules(config["rules_path"])
        except OSError as exc:
            problems.append(f"--rules {config['rules_path']}: {exc.strerror or exc}")
        except RuleError as exc:
            problems.append(str(exc))
    return problems


def progress_bar(stream: TextIO, total: int | None, *, quiet: bool = False) -> tqdm:
    """tqdm's bar on ``stream``: pages, pages/s, ETA when the total is known; off unless a terminal."""
    try:
        size = os.get_terminal_size(stream.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        size = os.terminal_size((0, 0))
    # a terminal that reports no size (a fresh pty, some CI consoles) makes tqdm draw nothing:
    # give it 80x24 then
    sized = size.columns > 0 and size.lines > 0
    return tqdm(total=total, file=stream, unit=" pages", leave=False, mininterval=0.2,
                ncols=None if sized else 80, nrows=None if sized else 24, dynamic_ncols=sized,
                disable=quiet or not stream.isatty())


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
    config = checker_config(args)
    problems = check_config(config)
    if problems:
        for problem in problems:
            print(f"{prog}: {problem}", file=sys.stderr)
        return 1
    stats = ScanStats()
    progress = progress_bar(sys.stderr, None if args.quiet else count_inputs(args.paths), quiet=args.quiet)

    def on_result(res: ScanResult, st: ScanStats) -> None:
        progress.update(1)
        if progress.n % 16 == 0 or res.n_flagged or res.error_type:
            progress.set_postfix_str(f"{st.flagged} flagged, {st.errors} errors", refresh=False)

    def on_term(signum: int, frame: object) -> None:
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, on_term)
    try:
        scan_to_file(args.paths, args.output, resume=args.resume, on_result=on_result, stats=stats,
                     workers=args.workers, ordered=args.ordered, with_text=args.with_text,
                     max_bytes=args.max_bytes, max_chars=args.max_chars,
                     page_timeout=args.timeout or None, checker_config=config or None)
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


def _stop(progress: tqdm) -> None:
    progress.close()
