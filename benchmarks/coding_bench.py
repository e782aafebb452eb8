"""What page coding (factcheck.coding) adds to checking, on a crawl-like corpus, from one run.

    python benchmarks/coding_bench.py [CORPUS]     # default /tmp/crawl; made if missing with
        ../shared/tools/make_pages.py CORPUS --n 2000 --seed 7 --relevant 0.05

Pages are read and extracted once; then the same pages are checked with ``code_pages=False``
(baseline) and ``code_pages=True``, alternating the order over the rounds, and the best time of
each is kept. Prints the checking time of both, their ratio, and the added time per coded page
(pages where the checker spotted no therapy are not coded).
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
from factcheck.ingest.errors import IngestError  # noqa: E402
from factcheck.ingest.html import html_to_page  # noqa: E402

MAKE_PAGES = Path(os.environ.get("FACTCHECK_MAKE_PAGES", ROOT.parent / "shared" / "tools" / "make_pages.py"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", type=Path, default=Path("/tmp/crawl"))
    ap.add_argument("--rounds", type=int, default=2, help="alternating rounds; the best time of each is kept")
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
    for round_ in range(args.rounds):
        order = [("baseline", base), ("coded", coded)]
        for name, checker in order if round_ % 2 == 0 else order[::-1]:
            t0 = time.perf_counter()
            for page in pages:
                checker.check_page(page)
            best[name] = min(best[name], time.perf_counter() - t0)
    n_coded = sum(bool((coded.check_page(p).feature_evidence or {}).get("coded")) for p in pages)
    print(f"pages: {len(pages)}; coded (a therapy spotted): {n_coded}; the rest stop at the gate")
    print(f"check, coding off: {best['baseline']:.2f} s; coding on: {best['coded']:.2f} s; "
          f"ratio {best['coded'] / best['baseline']:.3f}; "
          f"{1000 * (best['coded'] - best['baseline']) / max(n_coded, 1):.1f} ms more per coded page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
