"""The ``factcheck`` command: one module per subcommand, registered here.

Each module in :data:`COMMANDS` has ``add_commands(subparsers)``, which adds its subcommand and
sets ``func`` to a handler ``(argparse.Namespace) -> int`` (the exit code).
"""

from __future__ import annotations

import argparse
import sys

from factcheck.cli import db, evaluate, report, scan

#: the subcommands, in the order ``factcheck --help`` lists them
COMMANDS = (scan, report, evaluate, db)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factcheck",
        description="Fact-check stem-cell clinic pages against curated, cited evidence.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for module in COMMANDS:
        module.add_commands(subparsers)
    return parser


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("factcheck")
    except Exception:  # not installed (source checkout): the version is only informative
        return "unknown"


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
