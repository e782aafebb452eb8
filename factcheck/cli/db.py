"""``factcheck db validate | stats | schema``: check, summarise or export the evidence database.

Exit codes: 0 done; 1 the database has problems (each printed as ``path:line: field: message``).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_commands(subparsers: Any) -> None:
    """``factcheck db validate|stats|schema``."""
    db = subparsers.add_parser(
        "db",
        help="validate, summarise or export the evidence database",
        description="Work with the evidence database (bundled claims_db plus your folders).",
    )
    db_sub = db.add_subparsers(dest="db_command", metavar="DB_COMMAND")
    db_sub.required = True

    def add_folder_args(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "paths",
            nargs="*",
            type=Path,
            metavar="PATH",
            help="extra database folders laid out like claims_db/ (therapies/, conditions/, "
            "outcomes/, records/<condition>/)",
        )
        p.add_argument("--no-default", action="store_true", help="do not load the bundled database")
        p.add_argument(
            "--replace", action="store_true", help="let folder entries override bundled ones with the same id"
        )

    validate = db_sub.add_parser(
        "validate",
        help="load and check every file; exit 1 on any problem",
        description="Validate the bundled database plus PATH folders. Problems are "
        "printed as path:line: field: message.",
    )
    add_folder_args(validate)
    validate.set_defaults(func=run_db_validate)

    stats = db_sub.add_parser(
        "stats",
        help="counts by status, therapy and condition",
        description="Counts by status, therapy and condition; oldest as_of; records missing trial ids.",
    )
    add_folder_args(stats)
    stats.add_argument("--json", action="store_true", help="print the statistics as JSON")
    stats.set_defaults(func=run_db_stats)

    schema = db_sub.add_parser(
        "schema",
        help="write the JSON Schema of the file formats",
        description="Write the JSON Schema (default: claims_db/schema.json; '-' for stdout).",
    )
    schema.add_argument("-o", "--output", default=None, metavar="FILE", help="where to write ('-' = stdout)")
    schema.set_defaults(func=run_db_schema)


def _load(args: argparse.Namespace) -> Any:
    from factcheck.db import load_db

    return load_db(*args.paths, include_default=not args.no_default, replace=args.replace)


def run_db_validate(args: argparse.Namespace) -> int:
    from factcheck.db import DataError

    try:
        db = _load(args)
    except DataError as exc:
        for issue in exc.issues:
            print(issue, file=sys.stderr)
        print(f"factcheck db validate: {len(exc.issues)} problem(s)", file=sys.stderr)
        return 1
    print(
        f"ok: {len(db.therapies)} therapies, {len(db.conditions)} conditions, {len(db.outcomes)} outcomes, "
        f"{len(db.records)} records ({db.load_seconds * 1000:.0f} ms)"
    )
    return 0


def run_db_stats(args: argparse.Namespace) -> int:
    from factcheck.db import DataError

    try:
        db = _load(args)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    stats = db.stats()
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    print(
        f"{stats['records']} records, {stats['therapies']} therapies, {stats['conditions']} conditions, "
        f"{stats['outcomes']} outcome categories"
    )
    for title, key in (
        ("by status", "by_status"),
        ("by therapy", "by_therapy"),
        ("by condition", "by_condition"),
    ):
        print(f"\n{title}:")
        counts: dict[str, int] = stats[key]
        width = max((len(k) for k in counts), default=0)
        for name, count in counts.items():
            print(f"  {name:<{width}}  {count}")
    oldest = stats["oldest_as_of"]
    if oldest:
        print(f"\noldest as_of: {oldest['date']} ({', '.join(oldest['records'])})")
    missing = stats["missing_trial_ids"]
    print(f"\nrecords missing trial ids: {len(missing)}")
    for rid in missing:
        print(f"  {rid}")
    for key, label in (
        ("therapies_without_records", "therapies without records"),
        ("conditions_without_records", "conditions without records"),
    ):
        if stats[key]:
            print(f"\n{label}: {', '.join(stats[key])}")
    return 0


def run_db_schema(args: argparse.Namespace) -> int:
    from factcheck.db import schema_text, write_schema

    if args.output == "-":
        sys.stdout.write(schema_text())
        return 0
    print(f"wrote {write_schema(args.output)}")
    return 0
