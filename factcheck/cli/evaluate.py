"""``factcheck evaluate CASES.jsonl``: score the checker on labelled pages (``factcheck.evaluate``).

Exit codes: 0 scored; 2 the cases file cannot be read (missing, or a bad line: ``file:line: field``),
or no case has the language asked for.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any


def add_commands(subparsers: Any) -> None:
    """Add ``evaluate`` to an ``argparse`` subparsers object."""
    p = subparsers.add_parser(
        "evaluate", help="score the checker on labelled pages (precision, recall, F1, misses)",
        description="Check every labelled case of CASES.jsonl (docs/evaluation.md) in this process and "
                    "compare with its labels: flagged-pair precision/recall/F1, verdict accuracy, "
                    "false-alarm pages, page-level F1, by language and by kind, feature agreement, and "
                    "every miss with its sentence. The last line is SCORE {json}.")
    p.add_argument("cases", type=Path, metavar="CASES.jsonl", help="labelled cases, one JSON object per line")
    p.add_argument("--json", action="store_true", help="print only the summary, as JSON")
    p.add_argument("--lang", default=None, metavar="CODE",
                   help="score only cases of this language (cases without `lang` are English)")
    p.set_defaults(func=run_evaluate)


def run_evaluate(args: argparse.Namespace) -> int:
    """Handle ``factcheck evaluate``; returns the exit code."""
    from factcheck.evaluate import CaseError, load_cases, score
    from factcheck.evaluate import check_cases as check

    prog = "factcheck evaluate"
    try:
        cases = load_cases(args.cases)
    except OSError as exc:
        print(f"{prog}: cannot read {args.cases}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except CaseError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    if args.lang:
        cases = [c for c in cases if c.language == args.lang]
        if not cases:
            print(f"{prog}: no cases with lang {args.lang}", file=sys.stderr)
            return 2
    result = score(cases, check(cases))
    print(json.dumps(result.summary) if args.json else result.text())
    return 0
