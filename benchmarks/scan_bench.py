"""Throughput, memory and equivalence of ``factcheck scan`` on generated corpora, from one run.

    python benchmarks/scan_bench.py                       # makes build/bench/{dense,crawl} if missing
    python benchmarks/scan_bench.py --dense D --crawl C --md table.md

Corpora (../shared/tools/make_pages.py): dense clinic ``--n 2000 --seed 7``; crawl-like
``--n 20000 --seed 7 --relevant 0.05``. Rows:

* full scan: ``factcheck.scan.iter_results`` with 1 and 2 worker processes, wall clock including
  worker start-up, reading, extraction, checking and JSON serialisation;
* floor: one process, read + ``html_to_page`` (selectolax) + the checker's own ``Lexicon.find``
  (Aho-Corasick spotting of the same aliases), no spaCy;
* naive: one process, read + ``html_to_page`` + ``Checker(fast=False)`` (spaCy tokenises every
  page's whole text and the components run on all of it). The same loop also runs, untimed,
  ``Checker(fast=True)`` on each page and compares the claims (one snapshot of the code).

Also: peak RSS per worker (VmHWM) at 1k and 20k crawl pages, claims found on the off-topic pages,
and an equivalence check (fast and naive checker give identical claims on every dense page).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.scan import DEFAULT_MAX_CHARS, ScanStats, iter_results  # noqa: E402

MAKE_PAGES = Path(os.environ.get("FACTCHECK_MAKE_PAGES", ROOT.parent / "shared" / "tools" / "make_pages.py"))


def ensure_corpus(path: Path, *args: str) -> Path:
    if not (path / "manifest.json").exists():
        subprocess.run([sys.executable, str(MAKE_PAGES), str(path), *args], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def files_of(corpus: Path, limit: int | None = None) -> list[str]:
    manifest = json.loads((corpus / "manifest.json").read_text())
    names = [e["file"] for e in manifest["files"]][:limit]
    return [str(corpus / n) for n in names]


def off_topic(corpus: Path) -> set[str]:
    manifest = json.loads((corpus / "manifest.json").read_text())
    return {str(corpus / f) for f in manifest.get("off_topic_files", [])}


def total_bytes(files: list[str]) -> int:
    return sum(os.path.getsize(f) for f in files)


def _burn(n: int) -> float:
    t = time.perf_counter()
    s = 0
    for i in range(n):
        s += i
    return time.perf_counter() - t


def effective_cores() -> float:
    """How many cores this run really got: one busy loop alone vs two in parallel processes."""
    import multiprocessing

    one = _burn(10_000_000)
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        pool.map(_burn, [0, 0])  # start-up out of the timing
        t = time.perf_counter()
        pool.map(_burn, [10_000_000, 10_000_000])
        two = time.perf_counter() - t
    return round(2 * one / two, 2)


def full_scan(files: list[str], workers: int) -> dict[str, Any]:
    stats = ScanStats()
    claims: dict[str, str] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    for res in iter_results(files, workers=workers, stats=stats, as_lines=True):
        if res.n_claims:
            assert res.line is not None
            claims[res.source] = json.dumps(json.loads(res.line)["claims"], sort_keys=True)
    dt = time.perf_counter() - t0
    cpu = time.process_time() - c0 + sum(stats.worker_cpu_s)
    return {"seconds": dt, "cpu": cpu, "pages": stats.pages, "claims": stats.claims, "errors": stats.errors,
            "rss": stats.worker_peak_rss_mb, "worker_cpu": stats.worker_cpu_s, "by_source": claims}


def floor(files: list[str], lexicon: Any) -> dict[str, Any]:
    from factcheck.ingest.errors import IngestError
    from factcheck.ingest.html import html_to_page

    hits = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        try:
            page = html_to_page(data, source=f)
        except IngestError:
            continue
        hits += len(lexicon.find(page.text))
    return {"seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0, "terms": hits}


def naive(files: list[str]) -> dict[str, Any]:
    """The naive baseline, timed; and, untimed, the fast checker on the same pages in the same
    process, so the equivalence check compares one snapshot of the code."""
    from factcheck.checker import Checker
    from factcheck.ingest.errors import IngestError
    from factcheck.ingest.html import html_to_page

    full, fast = Checker(fast=False), Checker(fast=True)
    differing: list[str] = []
    n_claims = 0
    wall = cpu = 0.0
    for f in files:
        t0, c0 = time.perf_counter(), time.process_time()
        with open(f, "rb") as fh:
            data = fh.read()
        try:
            page = html_to_page(data, source=f, max_chars=DEFAULT_MAX_CHARS)
        except IngestError:
            wall += time.perf_counter() - t0
            cpu += time.process_time() - c0
            continue
        report = full.check_page(page)
        wall += time.perf_counter() - t0
        cpu += time.process_time() - c0
        n_claims += len(report.claims)
        if report.to_report_dict()["claims"] != fast.check_page(page).to_report_dict()["claims"]:
            differing.append(f)
    return {"seconds": wall, "cpu": cpu, "claims": n_claims, "differing": differing}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dense", type=Path, default=ROOT / "build" / "bench" / "dense")
    ap.add_argument("--crawl", type=Path, default=ROOT / "build" / "bench" / "crawl")
    ap.add_argument("--limit", type=int, default=None, help="first N files of each corpus (smoke runs)")
    ap.add_argument("--md", type=Path, default=None, help="also write the table (markdown) here")
    ap.add_argument("--json", type=Path, default=None, help="also write the raw numbers here")
    a = ap.parse_args(argv)

    dense_dir = ensure_corpus(a.dense, "--n", "2000", "--seed", "7")
    crawl_dir = ensure_corpus(a.crawl, "--n", "20000", "--seed", "7", "--relevant", "0.05")
    dense, crawl = files_of(dense_dir, a.limit), files_of(crawl_dir, a.limit)
    from factcheck.checker import Checker

    lexicon = Checker().lexicon
    out: dict[str, Any] = {"cpus": os.cpu_count(), "effective_cores_before": effective_cores()}
    rows: list[tuple[str, str, int, int, float, float]] = []
    for name, files in (("dense", dense), ("crawl", crawl)):
        nbytes = total_bytes(files)
        out[name] = {"pages": len(files), "bytes": nbytes}
        fl = floor(files, lexicon)
        rows.append((name, "floor: selectolax + Aho-Corasick (1 proc)", len(files), nbytes, fl["seconds"], fl["cpu"]))
        log(f"[{name}] floor {fl['seconds']:.1f}s")
        out[name]["floor"] = fl
        if name == "dense":
            nv = naive(files)
            rows.append((name, "naive: Checker(fast=False) (1 proc)", len(files), nbytes, nv["seconds"], nv["cpu"]))
            out[name]["naive"] = {k: v for k, v in nv.items() if k != "differing"}
            log(f"[{name}] naive {nv['seconds']:.1f}s")
        runs = {}
        for workers in (1, 2):
            r = full_scan(files, workers)
            runs[workers] = r
            rows.append((name, f"full scan, {workers} worker process{'es' if workers > 1 else ''}",
                         len(files), nbytes, r["seconds"], r["cpu"]))
            log(f"[{name}] full scan x{workers} {r['seconds']:.1f}s rss {r['rss']}")
        out[name]["full"] = {w: {k: v for k, v in r.items() if k != "by_source"} for w, r in runs.items()}
        out[name]["scaling_2_vs_1"] = runs[1]["seconds"] / runs[2]["seconds"]
        # "per core": pages per CPU-second (parent + workers), robust to other jobs on the machine
        if name == "dense":
            out[name]["full_vs_naive_per_core"] = nv["cpu"] / runs[1]["cpu"]
            out[name]["full_vs_naive_wall"] = nv["seconds"] / runs[1]["seconds"]
            out[name]["equivalence_pages_differing"] = len(nv["differing"])
            out[name]["equivalence_examples"] = nv["differing"][:5]
        else:
            out[name]["full_vs_floor_per_core"] = fl["cpu"] / runs[1]["cpu"]
            out[name]["full_vs_floor_wall"] = fl["seconds"] / runs[1]["seconds"]
            off = off_topic(crawl_dir)
            out[name]["claims_on_off_topic_pages"] = sum(
                len(json.loads(c)) for s, c in runs[2]["by_source"].items() if s in off)
            out[name]["rss_20k_mb"] = runs[2]["rss"]
    if a.limit is None or a.limit > 1000:
        r1k = full_scan(crawl[:1000], 2)
        out["crawl"]["rss_1k_mb"] = r1k["rss"]
    else:
        out["crawl"]["rss_1k_mb"] = out["crawl"]["rss_20k_mb"]
    out["effective_cores_after"] = effective_cores()

    lines = [f"effective cores (2 busy loops vs 1): {out['effective_cores_before']} before, "
             f"{out['effective_cores_after']} after", "",
             "| corpus | run | pages | MB | wall s | pages/s | MB/s | CPU s | pages per CPU-s |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for corpus, run, pages, nbytes, secs, cpu in rows:
        lines.append(f"| {corpus} | {run} | {pages} | {nbytes / 1e6:.0f} | {secs:.1f} | {pages / secs:.1f} | "
                     f"{nbytes / 1e6 / secs:.2f} | {cpu:.1f} | {pages / cpu:.1f} |")
    d, c = out["dense"], out["crawl"]
    rss_all = c["rss_20k_mb"] + c["rss_1k_mb"]
    lines += [
        "",
        "| target (issue 4) | measured | met |",
        "|---|---:|---|",
        f"| crawl: full scan >= 0.4x floor per core (CPU) | {c['full_vs_floor_per_core']:.2f}x "
        f"(wall {c['full_vs_floor_wall']:.2f}x) | {'yes' if c['full_vs_floor_per_core'] >= 0.4 else 'NO'} |",
        f"| dense: full scan >= 3x naive per core (CPU) | {d['full_vs_naive_per_core']:.2f}x "
        f"(wall {d['full_vs_naive_wall']:.2f}x) | {'yes' if d['full_vs_naive_per_core'] >= 3 else 'NO'} |",
        f"| dense: 2 processes >= 1.7x one (wall) | {d['scaling_2_vs_1']:.2f}x | "
        f"{'yes' if d['scaling_2_vs_1'] >= 1.7 else 'NO'} |",
        f"| crawl: 2 processes >= 1.7x one (wall) | {c['scaling_2_vs_1']:.2f}x | "
        f"{'yes' if c['scaling_2_vs_1'] >= 1.7 else 'NO'} |",
        f"| peak RSS per worker <= 300 MB, flat 1k -> 20k crawl pages (MB) | "
        f"{c['rss_1k_mb']} -> {c['rss_20k_mb']} | {'yes' if rss_all and max(rss_all) <= 300 else 'NO'} |",
        f"| claims on off-topic pages = 0 | {c['claims_on_off_topic_pages']} | "
        f"{'yes' if c['claims_on_off_topic_pages'] == 0 else 'NO'} |",
        f"| fast == naive claims on every dense page | {d['equivalence_pages_differing']} pages differ | "
        f"{'yes' if d['equivalence_pages_differing'] == 0 else 'NO'} |",
    ]
    table = "\n".join(lines)
    print(table)
    if a.md:
        a.md.write_text(table + "\n")
    if a.json:
        a.json.write_text(json.dumps(out, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
