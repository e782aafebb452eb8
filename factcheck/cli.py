"""The ``factcheck`` command line: ``db validate | stats | schema`` here, ``scan``/``report`` plug in.

The parser is assembled from small ``add_*_commands(subparsers)`` functions. Command modules
owned elsewhere (``factcheck.scan_cli``, ``factcheck.report.cli``) are imported only if present
and each contributes its subcommands through ``add_commands(subparsers)``. Every subcommand sets
``func`` to a handler ``(argparse.Namespace) -> int`` (the exit code).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

#: optional modules that add subcommands; absent ones are skipped
PLUGIN_MODULES: tuple[str, ...] = ("factcheck.scan_cli", "factcheck.report.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck",
        description="Fact-check stem-cell clinic pages against curated, cited evidence.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in PLUGIN_MODULES:
        module = _optional_import(name)
        if module is not None:
            module.add_commands(subparsers)
    add_db_commands(subparsers)
    return parser


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("factcheck")
    except Exception:  # not installed (source checkout): the version is only informative
        return "unknown"


def _optional_import(name: str) -> Any:
    """Import a command module if it exists; errors *inside* an existing module still surface."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


# --------------------------------------------------------------------------- db


def add_db_commands(subparsers: Any) -> None:
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


# --------------------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:
        # output piped into `head` and closed early: not an error worth a traceback
        sys.stderr.close()
        return 141
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
