"""What page coding (factcheck.coding) adds to checking, on a crawl-like corpus, from one run.

    python benchmarks/coding_bench.py [CORPUS]     # default /tmp/crawl; made if missing with
        ../shared/tools/make_pages.py CORPUS --n 2000 --seed 7 --relevant 0.05

Pages are read and extracted once; then the same pages are checked with ``code_pages=False``
(baseline) and ``code_pages=True``, alternating the order over three rounds, and the best time of
each is kept. Prints the checking time of both, their ratio, and coding's own time on topical
and off-topic pages (off-topic pages stop at the rules file's cheap ``topic`` gate).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.checker import Checker  # noqa: E402
from factcheck.coding import code_page  # noqa: E402
from factcheck.coding.rules import load_rules  # noqa: E402
from factcheck.ingest.errors import IngestError  # noqa: E402
from factcheck.ingest.html import html_to_page  # noqa: E402

MAKE_PAGES = Path(os.environ.get("FACTCHECK_MAKE_PAGES", ROOT.parent / "shared" / "tools" / "make_pages.py"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", type=Path, default=Path("/tmp/crawl"))
    args = ap.parse_args()
    if not args.corpus.exists():
        subprocess.run([sys.executable, str(MAKE_PAGES), str(args.corpus), "--n", "2000", "--seed", "7",
                        "--relevant", "0.05"], check=True)
    pages = []
    for path in sorted(args.corpus.glob("*.html")):
        try:
            pages.append(html_to_page(path.read_bytes(), source=str(path), max_chars=2_000_000))
        except IngestError:
            continue
    base, coded = Checker(code_pages=False), Checker(code_pages=True)
    base.check_page(pages[0]), coded.check_page(pages[0])  # warm-up: rules, gazetteer, database
    best = {"baseline": float("inf"), "coded": float("inf")}
    for round_ in range(3):
        order = [("baseline", base), ("coded", coded)]
        for name, checker in order if round_ % 2 == 0 else order[::-1]:
            t0 = time.perf_counter()
            for page in pages:
                checker.check_page(page)
            best[name] = min(best[name], time.perf_counter() - t0)
    rules = load_rules("en")
    topical = [p for p in pages if any(r.search(p.text) for r in rules.topic)]
    off = [p for p in pages if p not in topical]
    timings = {}
    for label, group in (("topical", topical), ("off_topic", off)):
        t0 = time.perf_counter()
        for page in group:
            code_page(page.text, url=page.url)
        timings[label] = (time.perf_counter() - t0, len(group))
    print(f"pages: {len(pages)} ({len(topical)} pass the topic gate, {len(off)} stop at it)")
    print(f"check, coding off: {best['baseline']:.2f} s; coding on: {best['coded']:.2f} s; "
          f"ratio {best['coded'] / best['baseline']:.3f}")
    for label, (seconds, n) in timings.items():
        print(f"code_page alone, {label}: {seconds:.2f} s for {n} pages ({1000 * seconds / max(n, 1):.2f} ms/page)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
