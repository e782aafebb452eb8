"""Crawl-speed and equivalence of ``factcheck scan``, every figure from one run on this machine.

    python benchmarks/scan_bench.py --ref-src /path/to/checkout-of-the-previous-version
    python benchmarks/scan_bench.py --ref-python /other/venv/bin/python --ref-crawl-report ref.jsonl

Corpora (../shared/tools/make_pages.py, made under build/bench if missing): crawl-like
``--n 20000 --seed 7 --relevant 0.05`` and dense clinic ``--n 2000 --seed 7``. Rows, one process
or one worker each:

* floor: read + selectolax text (``floor_bench.extract_selectolax``) + one Aho-Corasick pass of
  the ~400 phrases of ``floor_bench.build_phrases`` over the lower-cased text (its stages b + h);
* full extraction: read + ``html_to_page`` (boilerplate removal, blocks) + ``Lexicon.find``;
* full scan: ``factcheck scan --workers 1`` as a subprocess, minus its start-up (the same command
  on a one-page folder), so worker start-up, reading, pre-check, extraction, checking and line
  writing are all in;
* reference scan (``--ref-src`` or ``--ref-python``): the same command run by the previous code.

Checks: claims (therapy, condition, verdict, start, end) identical to the reference on every
clinic page of both corpora, whole report lines identical on every off-topic page and (the
stronger check, for changes that keep even page coding and warnings) on every page, no claim on
any off-topic page. The crawl reference comes from ``--ref-crawl-report`` or, with
``--ref-crawl``, from a reference scan of the crawl in this run (slow: the old code's rate).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOOLS = Path(os.environ.get("FACTCHECK_SHARED_TOOLS", ROOT.parent / "shared" / "tools"))


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ensure_corpus(path: Path, *args: str) -> Path:
    if not (path / "manifest.json").exists():
        subprocess.run([sys.executable, str(TOOLS / "make_pages.py"), str(path), *args], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def manifest(corpus: Path) -> dict[str, Any]:
    return json.loads((corpus / "manifest.json").read_text())


def files_of(corpus: Path) -> list[str]:
    return [str(corpus / e["file"]) for e in manifest(corpus)["files"]]


def floor(files: list[str]) -> tuple[float, float]:
    """Seconds for read + selectolax text + one Aho-Corasick pass of ~400 phrases (floor_bench b + h)."""
    sys.path.insert(0, str(TOOLS))
    import ahocorasick
    from floor_bench import build_phrases, extract_selectolax  # type: ignore[import-not-found]

    automaton = ahocorasick.Automaton()
    for phrase, label in build_phrases():
        automaton.add_word(phrase, (len(phrase), label))
    automaton.make_automaton()
    hits = 0
    t0, c0 = time.perf_counter(), time.process_time()
    for f in files:
        with open(f, "rb") as fh:
            text = extract_selectolax(fh.read()).lower()
        n = len(text)
        for end, (size, _) in automaton.iter(text):
            s = end - size + 1
            if (s == 0 or not text[s - 1].isalnum()) and (end + 1 == n or not text[end + 1].isalnum()):
                hits += 1
    return time.perf_counter() - t0, time.process_time() - c0


def full_extraction(files: list[str]) -> tuple[float, float]:
    """Seconds for read + html_to_page + Lexicon.find (every page extracted and matched in full)."""
    import factcheck
    from factcheck.ingest.errors import IngestError
    from factcheck.ingest.html import html_to_page

    lexicon = factcheck.load().lexicon
    t0, c0 = time.perf_counter(), time.process_time()
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        with contextlib.suppress(IngestError):
            lexicon.find(html_to_page(data, source=f, max_chars=2_000_000).text)
    return time.perf_counter() - t0, time.process_time() - c0


def cli_scan(python: str, src: str | None, corpus: Path, out: Path) -> tuple[float, float]:
    """Wall and CPU seconds (parent and worker) of ``factcheck scan --workers 1`` run by ``python``
    (``src`` on PYTHONPATH)."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    t0, r0 = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([python, "-m", "factcheck", "scan", "--quiet", "--workers", "1", "-o", str(out), str(corpus)],
                   check=True, env=env, cwd=tempfile.gettempdir())
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the worker was waited for: it is included
    return time.perf_counter() - t0, r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime


def startup(python: str, src: str | None, one_page: str, tmp: Path) -> tuple[float, float]:
    folder = tmp / f"one-{abs(hash((python, src)))}"
    folder.mkdir(exist_ok=True)
    (folder / "page.html").write_bytes(Path(one_page).read_bytes())
    runs = [cli_scan(python, src, folder, tmp / "one.jsonl") for _ in range(2)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def lines_by_name(report: Path) -> dict[str, dict[str, Any]]:
    out = {}
    with open(report, encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            out[Path(d["source"]).name] = d
    return out


def claim_set(line: dict[str, Any]) -> list[tuple[Any, ...]]:
    return sorted((c["therapy"]["id"], c["condition"]["id"], c["verdict"], c["start"], c["end"])
                  for c in line["claims"])


def compare(ours: Path, ref: Path, corpus: Path) -> dict[str, Any]:
    """Claim sets on clinic pages, whole lines (minus source) on off-topic pages, claims off-topic."""
    a, b = lines_by_name(ours), lines_by_name(ref)
    off = {Path(f).name for f in manifest(corpus).get("off_topic_files", [])}
    differ = [n for n in b if n not in off and claim_set(a.get(n, {"claims": []})) != claim_set(b[n])]
    lines_differ = [n for n in b if n in off and {**a.get(n, {}), "source": ""} != {**b[n], "source": ""}]
    # whole lines, clinic pages too (page coding, country, dismissed candidates, warnings)
    all_differ = [n for n in b if {**a.get(n, {}), "source": ""} != {**b[n], "source": ""}]
    return {"pages": len(a), "ref_pages": len(b), "clinic_pages": len(b) - len(off & b.keys()),
            "clinic_claims": sum(len(b[n]["claims"]) for n in b if n not in off),
            "clinic_pages_differing": len(differ), "examples": differ[:5],
            "off_topic_lines_differing": len(lines_differ), "off_topic_examples": lines_differ[:5],
            "lines_differing": len(all_differ), "line_examples": all_differ[:5],
            "claims_on_off_topic": sum(len(a[n]["claims"]) for n in off if n in a)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dense", type=Path, default=ROOT / "build" / "bench" / "dense")
    ap.add_argument("--crawl", type=Path, default=ROOT / "build" / "bench" / "crawl")
    ap.add_argument("--ref-src", help="PYTHONPATH for the reference (a checkout of the previous version)")
    ap.add_argument("--ref-python", default=sys.executable, help="python of the reference install")
    ap.add_argument("--ref-crawl-report", type=Path, help="the reference's report of the crawl corpus")
    ap.add_argument("--ref-crawl", action="store_true", help="scan the crawl with the reference too (slow)")
    ap.add_argument("--md", type=Path, help="also write the tables here")
    ap.add_argument("--json", type=Path, help="also write the raw numbers here")
    a = ap.parse_args(argv)
    has_ref = bool(a.ref_src) or a.ref_python != sys.executable
    crawl_dir = ensure_corpus(a.crawl, "--n", "20000", "--seed", "7", "--relevant", "0.05")
    dense_dir = ensure_corpus(a.dense, "--n", "2000", "--seed", "7")
    tmp = Path(tempfile.mkdtemp(prefix="scan-bench-"))
    out: dict[str, Any] = {}
    rows: list[tuple[str, str, int, float, float]] = []
    one_page = files_of(dense_dir)[5]
    up = startup(sys.executable, None, one_page, tmp)
    up_ref = startup(a.ref_python, a.ref_src, one_page, tmp) if has_ref else None
    out["startup_s"], out["ref_startup_s"] = up, up_ref
    log(f"start-up {up} (reference {up_ref})")
    for name, corpus in (("crawl", crawl_dir), ("dense", dense_dir)):
        files = files_of(corpus)
        res: dict[str, Any] = {"pages": len(files)}
        res["floor_s"], res["floor_cpu"] = floor(files)
        log(f"[{name}] floor {res['floor_s']:.1f}s")
        res["extraction_s"], res["extraction_cpu"] = full_extraction(files)
        log(f"[{name}] full extraction {res['extraction_s']:.1f}s")
        ours = tmp / f"{name}.jsonl"
        wall, cpu = cli_scan(sys.executable, None, corpus, ours)
        res["scan_s"], res["scan_cpu"] = wall - up[0], cpu - up[1]
        log(f"[{name}] full scan {res['scan_s']:.1f}s")
        rows += [(name, "floor: selectolax text + one Aho-Corasick pass (~400 phrases)", len(files),
                  res["floor_s"], res["floor_cpu"]),
                 (name, "full extraction: html_to_page + Lexicon.find", len(files), res["extraction_s"],
                  res["extraction_cpu"]),
                 (name, "full scan, 1 worker (start-up subtracted)", len(files), res["scan_s"], res["scan_cpu"])]
        ref_report = None
        if has_ref and (name == "dense" or a.ref_crawl):
            ref_report = tmp / f"{name}-ref.jsonl"
            wall, cpu = cli_scan(a.ref_python, a.ref_src, corpus, ref_report)
            res["ref_scan_s"], res["ref_scan_cpu"] = wall - up_ref[0], cpu - up_ref[1]  # type: ignore[index]
            rows.append((name, "reference scan (previous code), 1 worker (start-up subtracted)", len(files),
                         res["ref_scan_s"], res["ref_scan_cpu"]))
            log(f"[{name}] reference scan {res['ref_scan_s']:.1f}s")
        elif name == "crawl" and a.ref_crawl_report:
            ref_report = a.ref_crawl_report
        if ref_report is not None:
            res["equivalence"] = compare(ours, ref_report, corpus)
        else:
            res["claims_on_off_topic"] = compare(ours, ours, corpus)["claims_on_off_topic"]
        out[name] = res
    lines = ["| corpus | run | pages | wall s | pages/s | x floor (wall) | CPU s | pages/CPU-s | x floor (CPU) |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for corpus_name, run, pages, secs, cpu in rows:
        fl = out[corpus_name]
        lines.append(f"| {corpus_name} | {run} | {pages} | {secs:.1f} | {pages / secs:.0f} | "
                     f"{fl['floor_s'] / secs:.2f} | {cpu:.1f} | {pages / cpu:.0f} | {fl['floor_cpu'] / cpu:.2f} |")
    c, d = out["crawl"], out["dense"]
    ratio, ratio_cpu = c["floor_s"] / c["scan_s"], c["floor_cpu"] / c["scan_cpu"]
    lines += ["", "| check | measured | met |", "|---|---:|---|",
              f"| crawl: full scan >= 0.4 x floor | {ratio:.2f} x wall, {ratio_cpu:.2f} x CPU | "
              f"{'yes' if min(ratio, ratio_cpu) >= 0.4 else 'NO'} |"]
    if "ref_scan_s" in d:
        speed, speed_cpu = d["ref_scan_s"] / d["scan_s"], d["ref_scan_cpu"] / d["scan_cpu"]
        lines.append(f"| dense: full scan not slower than the reference | {d['scan_s']:.1f} s vs "
                     f"{d['ref_scan_s']:.1f} s wall ({speed:.2f} x), {d['scan_cpu']:.1f} vs {d['ref_scan_cpu']:.1f} "
                     f"CPU s ({speed_cpu:.2f} x) | {'yes' if min(speed, speed_cpu) >= 0.95 else 'NO'} |")
    for corpus_name in ("crawl", "dense"):
        eq = out[corpus_name].get("equivalence")
        if eq:
            lines.append(f"| {corpus_name}: claims identical on every clinic page ({eq['clinic_pages']} pages, "
                         f"{eq['clinic_claims']} claims) | {eq['clinic_pages_differing']} differ | "
                         f"{'yes' if not eq['clinic_pages_differing'] else 'NO'} |")
            if corpus_name == "crawl":
                lines.append(f"| crawl: off-topic report lines identical | {eq['off_topic_lines_differing']} differ"
                             f" | {'yes' if not eq['off_topic_lines_differing'] else 'NO'} |")
            lines.append(f"| {corpus_name}: every report line identical but its source ({eq['ref_pages']} lines) | "
                         f"{eq['lines_differing']} differ | {'yes' if not eq['lines_differing'] else 'NO'} |")
        off = eq["claims_on_off_topic"] if eq else out[corpus_name].get("claims_on_off_topic", 0)
        if corpus_name == "crawl":
            lines.append(f"| crawl: no claim on any off-topic page | {off} | {'yes' if off == 0 else 'NO'} |")
    table = "\n".join(lines)
    print(table)
    if a.md:
        a.md.write_text(table + "\n")
    if a.json:
        a.json.write_text(json.dumps(out, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
