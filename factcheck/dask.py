"""Scan on a Dask cluster (optional extra: ``pip install 'factcheck[dask]'``).

>>> from distributed import Client                                  # doctest: +SKIP
>>> from factcheck.dask import scan_bag, scan_to_jsonl
>>> client = Client("tcp://scheduler:8786")                         # doctest: +SKIP
>>> scan_to_jsonl(["s3-mounted/crawl/*.warc.gz"], "out/")           # doctest: +SKIP

Inputs are expanded to files on the client (folders, globs); each partition is a list of files
(WARC/JSONL archives are never split) that a worker reads, extracts and checks with ONE checker
per worker process, built on first use and cached (``factcheck.scan.checker_for``). Every input
page yields one report dict, errors included, exactly as ``factcheck scan`` writes them.

Use process workers with one thread each (``dask worker --nthreads 1 --nworkers N``): the checker
is CPU-bound Python, so threads in one process only share one core's worth of GIL.

On a real cluster: install ``factcheck[dask]`` (same version) on every worker image; start
``dask scheduler`` and ``dask worker tcp://SCHEDULER:8786 --nthreads 1 --nworkers <cores>``; give
the client paths every worker can read (a shared filesystem or a mounted bucket), since workers
open the files themselves; connect with ``distributed.Client("tcp://SCHEDULER:8786")`` and call
``scan_to_jsonl(paths, outdir)`` with ``outdir`` on shared storage too. Size partitions so each takes
a minute or more (many pages, or one large WARC each): the first task on a worker pays ~1 s to
build its checker. Per-page time limits and crash isolation are those of Dask (a lost worker's
partition is retried), not of ``factcheck scan``'s watchdog.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

try:
    import dask.bag as db
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise ImportError(
        "factcheck.dask needs Dask: install the 'dask' extra, e.g. pip install 'factcheck[dask]' "
        f"(dask[bag] and distributed); import failed with: {exc}") from exc

from factcheck.scan import DEFAULT_MAX_BYTES, DEFAULT_MAX_CHARS, checker_for, process_raw

PathArg = str | os.PathLike[str]


def _scan_files(files: Iterable[str], checker_config: dict[str, Any] | None, with_text: bool,
                max_bytes: int, max_chars: int | None) -> Iterator[dict[str, Any]]:
    from factcheck.ingest.sources import iter_inputs

    checker = checker_for(checker_config)  # one per worker process, cached across tasks
    for raw in iter_inputs(list(files), max_bytes=max_bytes):
        yield process_raw(checker, raw, with_text=with_text, max_chars=max_chars).to_report_dict()


def _partition(files: list[str], checker_config: dict[str, Any] | None, with_text: bool,
               max_bytes: int, max_chars: int | None) -> list[dict[str, Any]]:
    return list(_scan_files(files, checker_config, with_text, max_bytes, max_chars))


def scan_bag(paths: Iterable[PathArg] | PathArg, *, npartitions: int | None = None,
             checker_config: dict[str, Any] | None = None, with_text: bool = False,
             max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int | None = DEFAULT_MAX_CHARS) -> db.Bag:
    """A bag of report dicts (report-format.md), one per input page under ``paths``.

    ``npartitions`` defaults to one partition per ~25 files (at least 1); archives (WARC,
    JSONL) are never split across partitions.
    """
    from factcheck.ingest.sources import expand_paths

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    files = list(dict.fromkeys(expand_paths([os.fspath(p) for p in paths])))
    if not files:
        return db.from_sequence([], npartitions=1)
    n = npartitions or max(1, min(len(files), len(files) // 25 or 1))
    n = max(1, min(n, len(files)))
    return db.from_sequence(files, npartitions=n).map_partitions(
        _partition, checker_config, with_text, max_bytes, max_chars)


def scan_to_jsonl(paths: Iterable[PathArg] | PathArg, outdir: PathArg, *, npartitions: int | None = None,
                  checker_config: dict[str, Any] | None = None, with_text: bool = False,
                  max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int | None = DEFAULT_MAX_CHARS,
                  compute: bool = True) -> list[str]:
    """Write ``outdir/part-00000.jsonl``... (one line per page) and return their paths.

    Runs on the current Dask scheduler (a ``distributed.Client`` if one is active).
    """
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    bag = scan_bag(paths, npartitions=npartitions, checker_config=checker_config, with_text=with_text,
                   max_bytes=max_bytes, max_chars=max_chars)
    lines = bag.map(json.dumps, ensure_ascii=False, separators=(",", ":"))
    written = lines.to_textfiles(str(out / "part-*.jsonl"), name_function=lambda i: f"{i:05d}",
                                 compute=compute, last_endline=True)
    return [os.fspath(p) for p in written] if compute else written
