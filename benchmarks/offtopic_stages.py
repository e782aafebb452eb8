"""Where an off-topic page's time goes in a scan worker, against the bare floor, one process.

    python benchmarks/offtopic_stages.py CRAWL_DIR [--n 500]

CRAWL_DIR from ``../shared/tools/make_pages.py CRAWL_DIR --n 20000 --seed 7 --relevant 0.05``.
Stages run interleaved over the same off-topic pages (best of 3, CPU time), so load from other
jobs hits them alike; the floor is floor_bench.py's stages b + h.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOOLS = Path(os.environ.get("FACTCHECK_SHARED_TOOLS", ROOT.parent / "shared" / "tools"))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("crawl", type=Path)
    ap.add_argument("--n", type=int, default=500)
    a = ap.parse_args()
    sys.path.insert(0, str(TOOLS))
    import ahocorasick
    from floor_bench import build_phrases, extract_selectolax  # type: ignore[import-not-found]

    from factcheck.ingest.sources import raw_to_page, read_file
    from factcheck.scan import _result, checker_for, process_raw

    checker = checker_for(None)
    manifest = json.loads((a.crawl / "manifest.json").read_text())
    off = set(manifest["off_topic_files"])
    files = [str(a.crawl / e["file"]) for e in manifest["files"] if e["file"] in off][: a.n]
    automaton = ahocorasick.Automaton()
    for phrase, label in build_phrases():
        automaton.add_word(phrase, (len(phrase), label))
    automaton.make_automaton()

    def floor(f: str) -> None:
        with open(f, "rb") as fh:
            text = extract_selectolax(fh.read()).lower()
        n = len(text)
        for end, (size, _) in automaton.iter(text):
            s = end - size + 1
            _ = (s == 0 or not text[s - 1].isalnum()) and (end + 1 == n or not text[end + 1].isalnum())

    raws = {f: read_file(f) for f in files}
    pages = {f: raw_to_page(raws[f], max_chars=2_000_000, skim=True) for f in files}
    reports = {f: checker.check_page(pages[f]) for f in files}

    def spot(f: str) -> None:
        checker._spotter._last = None  # type: ignore[union-attr]  # measure the pass, not its cache
        checker.may_claim(pages[f].text)

    stages = {
        "floor (read + selectolax text + AC of ~400 phrases)": floor,
        "read_file": read_file,
        "skim: html_to_page(skim=True)": lambda f: raw_to_page(raws[f], max_chars=2_000_000, skim=True),
        "spot: Checker.may_claim": spot,
        "check_page of the skimmed page (spot again + report)": lambda f: checker.check_page(pages[f]),
        "JSON line": lambda f: _result(0, reports[f], True),
        "whole worker path (process_raw + line)": lambda f: _result(
            0, process_raw(checker, read_file(f), max_chars=2_000_000), True),
    }
    best = dict.fromkeys(stages, float("inf"))
    for _ in range(3):
        for name, fn in stages.items():
            t0 = time.process_time()
            for f in files:
                fn(f)
            best[name] = min(best[name], time.process_time() - t0)
    base = best["floor (read + selectolax text + AC of ~400 phrases)"]
    print(f"| stage ({len(files)} off-topic pages, CPU, best of 3) | ms/page | x floor time |")
    print("|---|---:|---:|")
    for name, secs in best.items():
        print(f"| {name} | {secs / len(files) * 1000:.3f} | {secs / base:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
