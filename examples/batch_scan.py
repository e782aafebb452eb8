"""Scan a folder of pages in parallel and write the JSONL report and a per-claim CSV."""

from __future__ import annotations

import sys
from pathlib import Path

from factcheck.report_line import ReportLine
from factcheck.scan import scan


def main(folder: str = "examples/pages", out: str = "build/batch-report.jsonl") -> None:
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    flagged = 0
    with open(out, "w", encoding="utf-8") as fh:
        for report in scan([folder], workers=2):
            # the scan report format (docs/report-format.md): `factcheck report` reads it back
            fh.write(ReportLine.from_page_report(report).model_dump_json(exclude_unset=True) + "\n")
            flagged += len(report.flagged)
            print(f"{report.source}: {len(report.claims)} claims, {len(report.flagged)} flagged")
    print(f"{flagged} flagged claims; report in {out}")


if __name__ == "__main__":  # workers use the spawn start method: keep this guard
    main(*sys.argv[1:])
