"""``factcheck report``: turn a scan report into HTML, ClaimReview JSON-LD and CSV.

``python -m factcheck.report report ...`` runs the same command.
Exit codes: 0 all written; 1 written, but some report lines could not be read (each is named on
stderr as ``file:line: problem``); 2 nothing written (bad arguments, unreadable report file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from factcheck.report.claimreview import DEFAULT_ORG_NAME, write_claimreview
from factcheck.report.clinics import write_clinics_csv, write_coding_sheet
from factcheck.report.csv_summary import write_claims_csv, write_domain_csv
from factcheck.report.html import DEFAULT_TITLE, write_html_report
from factcheck.report.records import read_report

FORMATS = ("html", "claimreview", "csv", "all")


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_commands(subparsers: Any) -> None:
    """Add the ``report`` subcommand to an ``argparse`` subparsers object."""
    p = subparsers.add_parser(
        "report", help="write an HTML report, ClaimReview JSON-LD and CSV from a scan report",
        description="Turn a scan report (JSONL) into files people read: OUTDIR/index.html with one page "
                    "per scanned page, OUTDIR/claimreview.json, OUTDIR/domains.csv, OUTDIR/claims.csv, "
                    "OUTDIR/clinics.csv (one row per clinic) and OUTDIR/coding.csv (the page coding sheet).")
    p.add_argument("report", type=Path, metavar="REPORT.jsonl", help="a report written by `factcheck scan`")
    p.add_argument("-o", "--outdir", type=Path, required=True, metavar="OUTDIR", help="folder to write into")
    p.add_argument("--format", choices=FORMATS, default="all", help="what to write (default: all)")
    p.add_argument("--title", default=DEFAULT_TITLE, help="title of the HTML report")
    p.add_argument("--org-name", default=DEFAULT_ORG_NAME, help="ClaimReview author organisation name")
    p.add_argument("--org-url", default=None, help="ClaimReview author organisation URL")
    p.add_argument("--base-url", default=None,
                   help="where OUTDIR will be published; makes ClaimReview `url`s absolute")
    p.add_argument("--date", type=_date, default=None, help="ClaimReview datePublished (default: today)")
    p.add_argument("--jsonl", action="store_true",
                   help="write ClaimReview as claimreview.jsonl, one per line")
    p.set_defaults(func=run_report)


def run_report(args: argparse.Namespace) -> int:
    """Handle ``factcheck report``; returns the exit code."""
    try:
        loaded = read_report(args.report)
    except OSError as exc:
        print(f"factcheck report: cannot read {args.report}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    for problem in loaded.problems:
        print(f"factcheck report: {problem}", file=sys.stderr)
    fmt = args.format
    written: list[Path] = []
    try:
        if fmt in ("html", "all"):
            written.append(write_html_report(loaded, args.outdir, title=args.title, coding_source=args.report))
        if fmt in ("claimreview", "all"):
            name = "claimreview.jsonl" if args.jsonl else "claimreview.json"
            written.append(write_claimreview(loaded, args.outdir / name, org_name=args.org_name,
                                             org_url=args.org_url, date=args.date, base_url=args.base_url))
        if fmt in ("csv", "all"):
            written.append(write_domain_csv(loaded, args.outdir / "domains.csv"))
            written.append(write_claims_csv(loaded, args.outdir / "claims.csv"))
            written.append(write_clinics_csv(args.report, args.outdir / "clinics.csv"))
            written.append(write_coding_sheet(args.report, args.outdir / "coding.csv"))
    except OSError as exc:
        print(f"factcheck report: cannot write to {args.outdir}: {exc}", file=sys.stderr)
        return 2
    n_claims = sum(len(p.claims) for p in loaded.pages)
    n_flagged = sum(len(p.flagged) for p in loaded.pages)
    print(f"{len(loaded.pages)} pages, {n_claims} claims, {n_flagged} flagged"
          + (f", {len(loaded.problems)} unreadable line(s)" if loaded.problems else ""))
    for path in written:
        print(f"wrote {path}")
    return 1 if loaded.problems else 0
