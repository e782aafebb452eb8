"""``python -m factcheck.report report REPORT.jsonl -o OUTDIR`` (same as ``factcheck report``)."""

import sys

from factcheck.cli import main

sys.exit(main(["report", *sys.argv[2:]] if sys.argv[1:2] == ["report"] else ["report", *sys.argv[1:]]))
