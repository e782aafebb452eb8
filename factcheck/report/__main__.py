"""``python -m factcheck.report report REPORT.jsonl -o OUTDIR`` (same as ``factcheck report``)."""

import sys

from .cli import main

sys.exit(main())
