#!/usr/bin/env python3
"""Extraction and WARC-reading benchmark for factcheck.ingest (results: benchmarks/README.md).

Usage:
    python /work/shared/tools/make_pages.py /tmp/pages --n 2000 --seed 7
    .venv/bin/python benchmarks/extract_bench.py /tmp/pages [--dev ../shared/corpus/dev/cases.jsonl]
        [--runs 3] [--skip-warc]

Extractors, all on the same bytes, timed in this one process, runs interleaved so machine noise hits
them alike (median of --runs passes, after a warm-up of 100 pages):

* floor: the floors.md stage b (``LexborHTMLParser(bytes, encoding=True)``, strip 7 tags,
  ``body.text(" ", strip=True)``): no decoding rules, no boilerplate removal, no blocks;
* factcheck: ``html_to_page`` (decoding, boilerplate removal, typed blocks with offsets);
* resiliparse: ``detect_encoding`` + ``HTMLTree.parse_from_bytes`` + ``extract_plain_text(main_content=True)``
  (floors.md stage d), when installed.

On the dev cases it also counts how many labelled claim quotes ("evidence") survive extraction.
The WARC part writes the pages into a per-record-gzipped WARC with warcio and times reading the
HTML responses back (bytes + URL + HTTP charset) with FastWARC (factcheck's ``iter_warc``) and with
warcio's ``ArchiveIterator``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from factcheck.ingest import IngestError, html_to_page

STRIP = ["script", "style", "noscript", "template", "svg", "nav", "footer"]


def floor_text(data: bytes) -> str:
    from selectolax.lexbor import LexborHTMLParser

    if not data or data.startswith(b"\x89PNG"):
        return ""
    tree = LexborHTMLParser(data, encoding=True)
    tree.strip_tags(STRIP, recursive=True)
    body = tree.body
    return body.text(separator=" ", strip=True) if body is not None else ""


def factcheck_text(data: bytes) -> str:
    try:
        return html_to_page(data, source="bench").text
    except IngestError:
        return ""


def resiliparse_text(data: bytes) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.encoding import detect_encoding
    from resiliparse.parse.html import HTMLTree

    if not data or data.startswith(b"\x89PNG"):
        return ""
    tree = HTMLTree.parse_from_bytes(data, detect_encoding(data) or "utf-8")
    return extract_plain_text(tree, main_content=True)


def extractors() -> dict[str, Callable[[bytes], str]]:
    out: dict[str, Callable[[bytes], str]] = {"floor": floor_text, "factcheck": factcheck_text}
    try:
        import resiliparse.extract.html2text  # noqa: F401
    except ImportError:
        print("resiliparse not installed: skipped", file=sys.stderr)
    else:
        out["resiliparse"] = resiliparse_text
    return out


def time_extractors(datas: list[bytes], runs: int) -> dict[str, dict[str, float]]:
    fns = extractors()
    times: dict[str, list[float]] = {k: [] for k in fns}
    words: dict[str, int] = {}
    for fn in fns.values():
        for d in datas[:100]:
            fn(d)
    for _ in range(runs):
        for name, fn in fns.items():
            n_words = 0
            t0 = time.perf_counter()
            for d in datas:
                n_words += len(fn(d).split())
            times[name].append(time.perf_counter() - t0)
            words[name] = n_words
    total_mb = sum(len(d) for d in datas) / 1e6
    res = {}
    for name, ts in times.items():
        med = statistics.median(ts)
        res[name] = {"seconds": med, "min": min(ts), "max": max(ts), "pages_s": len(datas) / med,
                     "ms_page": med / len(datas) * 1000, "mb_s": total_mb / med, "words": words[name]}
    return res


def dev_cases(path: Path) -> dict[str, dict[str, float]]:
    cases = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    html = [c for c in cases if c.get("format") == "html"]
    res = {}
    for name, fn in extractors().items():
        n_words = kept = total = 0
        t0 = time.perf_counter()
        texts = [fn(c["text"].encode("utf-8")) for c in html]
        dt = time.perf_counter() - t0
        for case, text in zip(html, texts, strict=True):
            n_words += len(text.split())
            flat = " ".join(text.split()).lower()
            for claim in case.get("claims", []):
                total += 1
                kept += " ".join(claim["evidence"].split()).lower() in flat
        res[name] = {"pages": len(html), "words": n_words, "evidence_kept": kept, "evidence_total": total,
                     "ms_page": dt / len(html) * 1000}
    return res


def warc_bench(datas: list[bytes], runs: int) -> dict[str, dict[str, float]]:
    from warcio.archiveiterator import ArchiveIterator as WarcioIterator
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from factcheck.ingest.sources import iter_warc

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pages.warc.gz")
        with open(path, "wb") as fh:
            writer = WARCWriter(fh, gzip=True)
            for i, d in enumerate(datas):
                headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                           protocol="HTTP/1.1")
                writer.write_record(writer.create_warc_record(
                    f"https://example.org/{i}", "response", payload=io.BytesIO(d), length=len(d),
                    http_headers=headers))
        size = os.path.getsize(path)

        def with_fastwarc() -> int:
            n = 0
            for raw in iter_warc(path):
                n += len(raw.data or b"")
            return n

        def with_warcio() -> int:
            n = 0
            with open(path, "rb") as fh:
                for rec in WarcioIterator(fh):
                    if rec.rec_type != "response":
                        continue
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                    if not ctype.startswith("text/html"):
                        continue
                    _ = rec.rec_headers.get_header("WARC-Target-URI")
                    n += len(rec.content_stream().read())
            return n

        res = {}
        times: dict[str, list[float]] = {"fastwarc (iter_warc)": [], "warcio": []}
        fns = {"fastwarc (iter_warc)": with_fastwarc, "warcio": with_warcio}
        for _ in range(runs):
            for name, fn in fns.items():
                t0 = time.perf_counter()
                nbytes = fn()
                times[name].append(time.perf_counter() - t0)
        for name, ts in times.items():
            med = statistics.median(ts)
            res[name] = {"seconds": med, "records_s": len(datas) / med, "mb_s": nbytes / 1e6 / med,
                         "warc_gz_mb": size / 1e6}
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", type=Path)
    default_dev = Path(__file__).resolve().parents[2] / "shared/corpus/dev/cases.jsonl"
    ap.add_argument("--dev", type=Path, default=default_dev)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-warc", action="store_true")
    a = ap.parse_args(argv)
    files = sorted(a.pages.glob("*.html"))
    datas = [f.read_bytes() for f in files]
    print(f"## Extraction, {len(datas)} generated pages ({sum(map(len, datas)) / 1e6:.1f} MB), "
          f"median of {a.runs}\n")
    res = time_extractors(datas, a.runs)
    floor = res["floor"]["ms_page"]
    print("| extractor | pages/s | ms/page | x floor | HTML MB/s | words kept |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in res.items():
        print(f"| {name} | {r['pages_s']:.0f} | {r['ms_page']:.3f} | {r['ms_page'] / floor:.2f} | "
              f"{r['mb_s']:.0f} | {r['words']:,} |")
    if a.dev.exists():
        print(f"\n## Dev cases ({a.dev.name}, HTML pages)\n")
        print("| extractor | pages | words kept | claim quotes kept | ms/page |")
        print("|---|---:|---:|---:|---:|")
        for name, r in dev_cases(a.dev).items():
            print(f"| {name} | {r['pages']} | {r['words']:,} | {r['evidence_kept']}/{r['evidence_total']} | "
                  f"{r['ms_page']:.3f} |")
    if not a.skip_warc:
        print(f"\n## WARC reading ({len(datas)} response records, per-record gzip), median of {a.runs}\n")
        print("| reader | records/s | payload MB/s | seconds |")
        print("|---|---:|---:|---:|")
        for name, r in warc_bench(datas, a.runs).items():
            print(f"| {name} | {r['records_s']:.0f} | {r['mb_s']:.0f} | {r['seconds']:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
