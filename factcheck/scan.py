"""Batch scanning: many inputs in, one report per input out, in parallel, streaming, crash-safe.

>>> from factcheck.scan import scan
>>> for report in scan(["pages/"], workers=2):      # doctest: +SKIP
...     print(report.source, len(report.claims))

How it works (and why):

* **Whole pages per process.** The parent lists page files and hands each worker batches of
  paths (``_FileRef``; WARC/JSONL records travel as ``RawInput`` bytes) over a private pipe; the
  worker reads its own files. The worker builds ONE checker at start, extracts and
  checks each page and sends back a compact result (a ready JSON line, or the ``PageReport`` for
  the library API). Splitting whole pages over processes scales (2.3x on 2 cores in
  reference/floors.md); ``nlp.pipe(n_process=...)`` does not (1.2x).
* **Bounded memory.** At most ``prefetch`` pages are assigned to a worker at a time, and in
  ``ordered`` mode at most ``max_buffered`` finished results wait for a slow page ahead of them;
  the input list is never materialised.
* **Every input yields exactly one report.** Because each worker has its own pipe and handles its
  pages in the order sent, the parent always knows which page a worker is on. A worker that dies
  (SIGKILL, segfault, OOM killer) costs that one page a ``WorkerCrash`` error report; its other
  queued pages go back to the queue and a fresh worker is started. The per-page time limit is a
  parent-side watchdog (a pebble-like per-task timeout): when a page runs longer than
  ``page_timeout`` seconds its worker is killed, the page gets a ``Timeout`` error report, and a
  fresh worker takes over. Killing is the only way to stop arbitrary work in CPython (a thread
  or an alarm signal cannot interrupt C code such as lexbor or spaCy's tokenizer).
* **Start method.** Workers use the ``spawn`` start method: safe in threaded parents (notebooks,
  Dask clients) and on every OS. As always with spawn, a *script* calling ``scan`` with workers
  must guard its entry point with ``if __name__ == "__main__":``.

``ReportWriter`` appends complete lines only and repairs a file cut by a crash before ``--resume``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic_core import PydanticSerializationError, to_json

from factcheck.models import PageError, PageReport

if TYPE_CHECKING:
    from factcheck.checker import Checker

#: a page bigger than this (bytes of HTML or text) is refused with an IngestError
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: extracted text is cut (with a warning on the report) beyond this many characters
DEFAULT_MAX_CHARS = 2_000_000
#: seconds one page may take in a worker before the worker is killed and the page reported
DEFAULT_PAGE_TIMEOUT = 120.0
#: test hook, read by workers: ``exit:SUBSTR`` (os._exit), ``kill:SUBSTR`` (SIGKILL itself) or
#: ``sleep:SUBSTR:SECONDS`` when a page's source contains SUBSTR. Lets tests crash or stall a worker
#: in the middle of a real page without mocking anything.
FAULT_ENV = "FACTCHECK_SCAN_FAULT"

PathArg = str | os.PathLike[str]

#: pages (and bytes of in-memory pages) sent to a worker in one message; a crash or timeout still
#: costs one page, because the worker publishes which page it is on (see _worker_main)
PAGES_PER_BATCH = 16
BYTES_PER_BATCH = 4 * 1024 * 1024
LINES_PER_WRITE = 256
LINES_MAX_DELAY = 0.5
#: a worker hands results over in one message per this many pages, or sooner when idle or late
RESULTS_PER_MESSAGE = 64
RESULTS_MAX_DELAY = 0.2
#: workers collect cyclic garbage themselves, between pages (see _worker_main): a full collection
#: walks the caches (~25 ms), so every this many pages, or once this many objects were kept
COLLECT_EVERY_PAGES = 1000
COLLECT_OBJECTS = 1_000_000


class ScanError(RuntimeError):
    """The scan as a whole cannot go on (e.g. the checker cannot be built in a worker)."""


class OutputError(OSError):
    """The report file cannot be written (unwritable path, disk full)."""


# --------------------------------------------------------------------------- results


@dataclass(slots=True)
class ScanResult:
    """One input's outcome: a ready JSON line (``line``) or a ``PageReport`` (``report``)."""

    index: int
    source: str
    status: str
    n_claims: int
    n_flagged: int
    error_type: str | None
    line: str | None = None
    report: PageReport | None = None


@dataclass(slots=True)
class ScanStats:
    """Counts of a scan so far (the CLI's summary)."""

    pages: int = 0
    claims: int = 0
    flagged: int = 0
    errors: int = 0
    skipped: int = 0
    error_types: Counter[str] = field(default_factory=Counter)
    started: float = field(default_factory=time.perf_counter)
    elapsed: float = 0.0
    worker_restarts: int = 0
    #: peak resident set (MB) and CPU seconds of each worker process that ended normally
    worker_peak_rss_mb: list[float] = field(default_factory=list)
    worker_cpu_s: list[float] = field(default_factory=list)

    def add(self, result: ScanResult) -> None:
        self.pages += 1
        self.claims += result.n_claims
        self.flagged += result.n_flagged
        if result.status == "error":
            self.errors += 1
            self.error_types[result.error_type or "error"] += 1
        self.elapsed = time.perf_counter() - self.started

    def summary(self) -> str:
        rate = self.pages / self.elapsed if self.elapsed > 0 else 0.0
        text = (f"{self.pages} pages, {self.claims} claims, {self.flagged} flagged, {self.errors} errors"
                f" in {self.elapsed:.1f} s ({rate:.1f} pages/s)")
        if self.skipped:
            text += f"; {self.skipped} already in the report (resumed)"
        if self.error_types:
            text += "; errors: " + ", ".join(f"{k} {v}" for k, v in self.error_types.most_common())
        return text


def error_report(source: str, url: str | None, etype: str, message: str) -> PageReport:
    return PageReport(source=source, url=url, status="error", error=PageError(type=etype, message=message))


def _result(index: int, report: PageReport, as_line: bool) -> ScanResult:
    flagged = sum(1 for c in report.claims if c.flagged)
    etype = report.error.type if report.error else None
    if as_line:
        return ScanResult(index, report.source, report.status, len(report.claims), flagged, etype,
                          line=to_line(report))
    return ScanResult(index, report.source, report.status, len(report.claims), flagged, etype, report=report)


def to_line(report: PageReport) -> str:
    """The report's JSON line (no trailing newline); json escapes newlines, so it is one line.

    The text of ``json.dumps(..., ensure_ascii=False, separators=(",", ":"))``, written by
    pydantic-core's serializer (~3x cheaper: a clinic page's line holds a hundred claims, a long
    page's several MB). The two write every value alike but a float with a one-digit negative
    exponent ("1e-7" for "1e-07"), and pydantic-core refuses lone surrogates: json.dumps writes those.
    """
    obj = report.to_report_dict()
    try:
        data = to_json(obj)
    except PydanticSerializationError:
        data = None
    if data is None or not _plain_exponents(data):
        return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    return data.decode("utf-8")


def _plain_exponents(data: bytes) -> bool:
    """False when the JSON may hold a number with a negative exponent (a digit, "e-", a digit);
    "e-" in text ("age-related") is passed over by looking at its neighbours."""
    i = data.find(b"e-")
    while i >= 0:
        if i > 0 and 48 <= data[i - 1] <= 57 and i + 2 < len(data) and 48 <= data[i + 2] <= 57:
            return False
        i = data.find(b"e-", i + 2)
    return True


# --------------------------------------------------------------------------- one page


def process_raw(checker: Any, raw: Any, *, with_text: bool = False,
                max_chars: int | None = None) -> PageReport:
    """Extract and check one ``RawInput``; never raises for page content."""
    from factcheck.ingest.errors import IngestError
    from factcheck.ingest.sources import raw_to_page

    if raw.error is not None:
        err = raw.error
        return error_report(raw.source, raw.url, _error_type(err), getattr(err, "message", None) or str(err))
    try:
        # skimmed first: a page that cannot hold a claim never pays for the full extraction
        skim = raw.kind == "html" and getattr(checker, "fast", False) and not with_text
        page = raw_to_page(raw, max_chars=max_chars, skim=skim)
        if skim and checker.may_claim(page.text):
            page = raw_to_page(raw, max_chars=max_chars)
    except IngestError as exc:
        return error_report(raw.source, raw.url, "IngestError", exc.message)
    except Exception as exc:  # an extractor bug must cost one page, not the batch
        return error_report(raw.source, raw.url, type(exc).__name__, str(exc)[:500])
    report: PageReport = checker.check_page(page)
    if with_text:
        report.text = page.text
    return report


def _error_type(err: object) -> str:
    return type(err).__name__ if isinstance(err, BaseException) else "IngestError"


_CHECKERS: dict[str, Checker] = {}


def checker_for(config: dict[str, Any] | None) -> Checker:
    """A checker for ``config`` (``factcheck.load`` keywords), built once per process and cached."""
    key = json.dumps(config or {}, sort_keys=True, default=str)
    checker = _CHECKERS.get(key)
    if checker is None:
        import factcheck

        checker = _CHECKERS[key] = factcheck.load(**(config or {}))
    return checker


def peak_rss_mb() -> float:
    """Peak resident set of this process in MB (VmHWM; ru_maxrss is KB on Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------- worker process


@dataclass(frozen=True, slots=True)
class _WorkerConfig:
    checker_config: dict[str, Any] | None
    with_text: bool
    max_chars: int | None
    as_lines: bool
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True, slots=True)
class _FileRef:
    """A page file the worker reads itself (its source is its path, as for ``read_file``).

    Sending the path instead of the bytes keeps reading, pickling and piping ~70 KB per page out
    of the parent, which otherwise costs a worker-sized share of a core on a crawl.
    """

    source: str
    url: None = None
    error: None = None


def _fault(spec: str, source: str) -> None:
    """The FAULT_ENV test hook (see there)."""
    kind, _, rest = spec.partition(":")
    needle, _, arg = rest.partition(":")
    if not needle or needle not in source:
        return
    if kind == "exit":
        os._exit(3)
    elif kind == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    elif kind == "sleep":
        time.sleep(float(arg or 3600))


def _worker_main(conn: Connection, cfg: _WorkerConfig, progress: Any) -> None:
    """Worker loop: build the checker, then check batches of pages in the order they arrive.

    ``progress`` (shared memory) holds the index of the page being checked, -1 between pages:
    the parent reads it to blame the right page for a crash or a timeout, so results can travel
    in batches.
    """
    # The parent decides what an interrupt means: a Ctrl-C (or a SIGTERM) sent to the whole
    # process group must not kill workers mid-page and have their pages reported as crashed.
    # Workers still always end: the parent SIGKILLs them, or they exit when its pipe closes.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    try:
        checker = checker_for(cfg.checker_config)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            conn.send(("init_error", f"{type(exc).__name__}: {exc}"))
        return
    # the checker's compiled resources (~300,000 objects) live as long as the worker: kept out of
    # the collector, a full collection walks only page objects (a long page triggers several; they
    # took ~15% of its time walking the resources)
    gc.freeze()
    # A page leaves almost no cyclic garbage (a few objects on a clinic page, none off-topic), but
    # the automatic collector walks every live object of the page being checked, again and again
    # while a long page builds its terms, cues and claims (~10% of a 2 MB page). Collected here
    # between pages instead (_collect_between_pages).
    gc.disable()
    since_collect = 0
    inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()

    def read() -> None:
        # A reader thread keeps the pipe drained, so the parent never blocks sending a page
        # while this process blocks sending a result (both pipe buffers full = deadlock).
        try:
            while True:
                inbox.put(conn.recv())
        except (EOFError, OSError):
            os._exit(0)  # the parent is gone: stop at once, even mid-page

    threading.Thread(target=read, daemon=True).start()
    done: list[ScanResult] = []
    lock = threading.Lock()

    def flush() -> None:
        with lock:
            if done:
                conn.send(("results", done[:]))
                done.clear()

    def flush_late() -> None:
        # finished pages must not wait behind a slow one (nor behind a crash, which loses them)
        while True:
            time.sleep(RESULTS_MAX_DELAY)
            flush()

    conn.send(("ready", os.getpid()))
    threading.Thread(target=flush_late, daemon=True).start()
    fault = os.environ.get(FAULT_ENV, "")
    while True:
        if inbox.empty():  # nothing else to do: hand over what is finished
            flush()
        batch = inbox.get()
        if batch is None:
            flush()
            usage = resource.getrusage(resource.RUSAGE_SELF)
            conn.send(("bye", peak_rss_mb(), usage.ru_utime + usage.ru_stime))
            return
        for index, raw in batch:
            progress.value = index
            if fault:
                _fault(fault, raw.source)
            if isinstance(raw, _FileRef):
                from factcheck.ingest.sources import read_file

                raw = read_file(raw.source, max_bytes=cfg.max_bytes)
            report = process_raw(checker, raw, with_text=cfg.with_text, max_chars=cfg.max_chars)
            result = _result(index, report, cfg.as_lines)
            with lock:
                done.append(result)
            progress.value = -1
            since_collect = _collect_between_pages(since_collect + 1)
            if len(done) >= RESULTS_PER_MESSAGE:
                flush()


def _collect_between_pages(pages: int) -> int:
    """A full collection every ``COLLECT_EVERY_PAGES`` pages, or sooner once ``COLLECT_OBJECTS``
    container objects have been kept since the last one; returns the pages since it."""
    if pages >= COLLECT_EVERY_PAGES or gc.get_count()[0] > COLLECT_OBJECTS:
        gc.collect()
        return 0
    return pages


class _Worker:
    def __init__(self, ctx: Any, cfg: _WorkerConfig) -> None:
        self.conn, child = ctx.Pipe(duplex=True)
        self.progress = ctx.RawValue("q", -1)
        self.proc = ctx.Process(target=_worker_main, args=(child, cfg, self.progress), daemon=True,
                                name="factcheck-scan-worker")
        self.proc.start()
        child.close()
        self.ready = False
        self.dead = False
        #: pages sent and not answered, in the order the worker handles them
        self.tasks: deque[tuple[int, Any]] = deque()
        #: the page index last read from ``progress`` and since when (the per-page clock)
        self.seen: int = -1
        self.seen_since = 0.0

    def send(self, batch: list[tuple[int, Any]]) -> None:
        self.conn.send(batch)
        self.tasks.extend(batch)

    def current(self, now: float) -> int:
        """The index of the page being checked (-1: none), restarting its clock when it changes."""
        index = int(self.progress.value)
        if index != self.seen:
            self.seen, self.seen_since = index, now
        return index

    def take(self, index: int) -> tuple[int, Any] | None:
        """Remove and return the task of page ``index`` (normally the head)."""
        if self.tasks and self.tasks[0][0] == index:
            return self.tasks.popleft()
        for task in self.tasks:
            if task[0] == index:
                self.tasks.remove(task)
                return task
        return None

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.proc.kill()
        with contextlib.suppress(Exception):
            self.proc.join(5)
        with contextlib.suppress(Exception):
            self.conn.close()
        self.dead = True


def _signal_name(exitcode: int | None) -> str:
    if exitcode is None:
        return "unknown"
    if exitcode < 0:
        try:
            return f"signal {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


class _Pool:
    """Worker processes with per-page crash attribution and a per-page watchdog."""

    def __init__(self, n: int, cfg: _WorkerConfig, *, page_timeout: float | None, prefetch: int,
                 stats: ScanStats, start_method: str = "spawn") -> None:
        self.ctx = multiprocessing.get_context(start_method)
        self.cfg = cfg
        self.page_timeout = page_timeout
        self.prefetch = max(1, prefetch)
        self.stats = stats
        self.workers: list[_Worker] = [_Worker(self.ctx, cfg) for _ in range(n)]
        self.requeued: deque[tuple[int, Any]] = deque()
        self.init_failures = 0

    # -- lifecycle
    def close(self, graceful: bool) -> None:
        """Stop workers; when ``graceful``, ask them for their peak RSS first."""
        if graceful:
            for w in self.workers:
                if not w.dead:
                    with contextlib.suppress(Exception):
                        w.conn.send(None)
            deadline = time.monotonic() + 10
            for w in self.workers:
                if w.dead:
                    continue
                with contextlib.suppress(Exception):
                    while w.conn.poll(max(0.0, deadline - time.monotonic())):
                        msg = w.conn.recv()
                        if msg[0] == "bye":
                            self.stats.worker_peak_rss_mb.append(round(msg[1], 1))
                            self.stats.worker_cpu_s.append(round(msg[2], 2))
                            break
        for w in self.workers:
            w.kill()

    def _replace(self, w: _Worker) -> None:
        w.kill()
        self.stats.worker_restarts += 1
        self.workers[self.workers.index(w)] = _Worker(self.ctx, self.cfg)

    # -- the loop
    def in_flight(self) -> int:
        return sum(len(w.tasks) for w in self.workers)

    def idle_slots(self) -> list[_Worker]:
        return [w for w in self.workers if not w.dead and len(w.tasks) < self.prefetch]

    def dispatch(self, w: _Worker, batch: list[tuple[int, Any]]) -> bool:
        try:
            w.send(batch)
        except (OSError, ValueError):
            # The worker died between our checks; its death is handled by poll(); these pages
            # were never received, so they go back to the queue.
            self.requeued.extendleft(reversed(batch))
            return False
        return True

    def poll(self, timeout: float) -> list[ScanResult]:
        """Wait up to ``timeout`` s; return finished results (including crash/timeout reports)."""
        out: list[ScanResult] = []
        by_obj: dict[Any, _Worker] = {}
        for w in self.workers:
            by_obj[w.conn] = w
            by_obj[w.proc.sentinel] = w
        now = time.monotonic()
        if self.page_timeout:
            starts = [w.seen_since for w in self.workers if not w.dead and w.current(now) >= 0]
            if starts:
                timeout = max(0.0, min(timeout, min(starts) + self.page_timeout - now))
        ready = wait(list(by_obj), timeout)
        touched = {id(by_obj[o]): by_obj[o] for o in ready}
        for w in touched.values():
            self._drain(w, out)
        now = time.monotonic()
        for w in list(self.workers):
            if w.dead or not w.proc.is_alive():
                self._drain(w, out)
                self._on_death(w, out)
            elif (self.page_timeout and w.tasks and w.current(now) >= 0
                  and now - w.seen_since > self.page_timeout):
                self._on_timeout(w, out)
        return out

    def _drain(self, w: _Worker, out: list[ScanResult]) -> None:
        try:
            while not w.dead and w.conn.poll():
                self._handle(w, w.conn.recv(), out)
        except (EOFError, OSError):
            w.dead = True

    def _handle(self, w: _Worker, msg: tuple[Any, ...], out: list[ScanResult]) -> None:
        kind = msg[0]
        if kind == "results":
            for res in msg[1]:
                w.take(res.index)
                out.append(res)
            self.init_failures = 0
        elif kind == "ready":
            w.ready = True
        elif kind == "init_error":
            raise ScanError(f"a scan worker could not build the checker: {msg[1]}")

    def _on_death(self, w: _Worker, out: list[ScanResult]) -> None:
        # The pipe can report EOF a moment before the process is reaped: wait for its exit code.
        w.proc.join(2)
        exitcode = w.proc.exitcode
        if not w.ready:
            # Died while loading the checker: no page is to blame. Give up after a few tries
            # rather than respawning forever.
            self.init_failures += 1
            if self.init_failures >= 3:
                raise ScanError(f"scan workers die while starting ({_signal_name(exitcode)})")
        elif w.tasks:
            # the page in progress when it died; a worker killed between pages blames its next one
            task = w.take(int(w.progress.value)) or w.tasks.popleft()
            index, raw = task
            out.append(_result(index, error_report(
                raw.source, raw.url, "WorkerCrash",
                f"the worker process died ({_signal_name(exitcode)}) while checking this page"),
                self.cfg.as_lines))
        self.requeued.extendleft(reversed(w.tasks))
        w.tasks.clear()
        self._replace(w)

    def _on_timeout(self, w: _Worker, out: list[ScanResult]) -> None:
        index, raw = w.take(w.seen) or w.tasks.popleft()
        out.append(_result(index, error_report(
            raw.source, raw.url, "Timeout",
            f"checking took longer than {self.page_timeout:g} s; the worker was stopped"), self.cfg.as_lines))
        self.requeued.extendleft(reversed(w.tasks))
        w.tasks.clear()
        self._replace(w)


# --------------------------------------------------------------------------- the scan


def iter_results(
    paths: Iterable[PathArg] | PathArg, *, workers: int | None = None, ordered: bool = False,
    with_text: bool = False, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int | None = DEFAULT_MAX_CHARS,
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT, checker_config: dict[str, Any] | None = None,
    skip_sources: Callable[[str], bool] | None = None, as_lines: bool = True,
    stats: ScanStats | None = None, prefetch: int = 2, max_buffered: int | None = None,
    on_wait: Callable[[], None] | None = None,
) -> Iterator[ScanResult]:
    """One ``ScanResult`` per input (the engine behind ``scan`` and ``factcheck scan``).

    ``workers``: processes (default: all cores); ``0`` checks in this process (no isolation, no
    time limit: for debugging). ``skip_sources(source)`` true skips an input (resume).
    ``as_lines`` returns ready JSON lines instead of ``PageReport`` objects. ``on_wait()`` is
    called whenever the scan is about to wait for its workers (a writer flushes its lines then).
    """
    from factcheck.ingest.sources import JSONL_SUFFIXES, WARC_SUFFIXES, expand_paths, iter_inputs

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    stats = stats if stats is not None else ScanStats()
    n_workers = (os.cpu_count() or 1) if workers is None else workers
    path_list = [os.fspath(p) for p in paths]

    def tasks() -> Iterator[tuple[int, Any]]:
        # A file named twice (a folder and a file in it, "a.html" and "./a.html") is read once,
        # so every input has exactly one line; the set holds file paths, not pages.
        seen: set[str] = set()
        i = 0
        for path in expand_paths(path_list):
            key = os.path.normpath(os.path.abspath(path))
            if key in seen:
                continue
            seen.add(key)
            if n_workers > 0 and not path.lower().endswith(WARC_SUFFIXES + JSONL_SUFFIXES):
                # A page file: the worker reads it (see _FileRef).
                if skip_sources is not None and skip_sources(path):
                    stats.skipped += 1
                    continue
                yield i, _FileRef(path)
                i += 1
                continue
            for raw in iter_inputs([path], max_bytes=max_bytes):
                if skip_sources is not None and skip_sources(raw.source):
                    stats.skipped += 1
                    continue
                yield i, raw
                i += 1

    def counted(results: Iterator[ScanResult]) -> Iterator[ScanResult]:
        try:
            for res in results:
                stats.add(res)
                yield res
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # stops the workers now, not when garbage collection gets to it

    if n_workers <= 0:
        checker = checker_for(checker_config)
        return counted(_result(i, process_raw(checker, raw, with_text=with_text, max_chars=max_chars),
                               as_lines) for i, raw in tasks())
    cfg = _WorkerConfig(checker_config, with_text, max_chars, as_lines, max_bytes)
    buffered = max_buffered if max_buffered is not None else 64 + 16 * n_workers
    return counted(_pooled(tasks(), n_workers, cfg, ordered=ordered, page_timeout=page_timeout,
                           prefetch=prefetch, max_buffered=buffered, stats=stats, on_wait=on_wait))


def _pooled(tasks: Iterator[tuple[int, Any]], n_workers: int, cfg: _WorkerConfig, *, ordered: bool,
            page_timeout: float | None, prefetch: int, max_buffered: int, stats: ScanStats,
            on_wait: Callable[[], None] | None = None) -> Iterator[ScanResult]:
    # prefetch counts batches: keep that many in flight per worker
    pool = _Pool(n_workers, cfg, page_timeout=page_timeout, prefetch=prefetch * PAGES_PER_BATCH, stats=stats)
    graceful = False
    pending: dict[int, ScanResult] = {}  # ordered mode: finished, waiting for earlier pages
    next_out = 0
    exhausted = False

    def emit(results: list[ScanResult]) -> list[ScanResult]:
        nonlocal next_out
        if not ordered:
            return results
        for res in results:
            pending[res.index] = res
        ready = []
        while next_out in pending:
            ready.append(pending.pop(next_out))
            next_out += 1
        return ready

    try:
        while True:
            # Fill every worker's small queue with batches; in ordered mode stop while too much waits.
            for w in pool.idle_slots():
                while len(w.tasks) < pool.prefetch and not w.dead:
                    batch: list[tuple[int, Any]] = []
                    size = 0
                    while len(batch) < PAGES_PER_BATCH and size < BYTES_PER_BATCH:
                        if ordered and len(pending) >= max_buffered:
                            break
                        if pool.requeued:
                            task = pool.requeued.popleft()
                        elif exhausted:
                            break
                        else:
                            nxt = next(tasks, None)
                            if nxt is None:
                                exhausted = True
                                break
                            task = nxt
                            if task[1].error is not None:
                                # Refused by ingest (unreadable, too large): no worker needed.
                                yield from emit([_result(task[0], process_raw(None, task[1]), cfg.as_lines)])
                                continue
                        batch.append(task)
                        size += len(getattr(task[1], "data", None) or b"")
                    if not batch or not pool.dispatch(w, batch):
                        break
            if exhausted and not pool.requeued and pool.in_flight() == 0:
                break
            if on_wait is not None:
                on_wait()
            yield from emit(pool.poll(1.0))
        for i in sorted(pending):  # only if an index went missing: never lose a page
            yield pending.pop(i)
        graceful = True
    finally:
        pool.close(graceful)


def scan(
    paths: Iterable[PathArg] | PathArg, *, workers: int | None = None, ordered: bool = False,
    with_text: bool = False, max_bytes: int = DEFAULT_MAX_BYTES, max_chars: int | None = DEFAULT_MAX_CHARS,
    page_timeout: float | None = DEFAULT_PAGE_TIMEOUT, checker_config: dict[str, Any] | None = None,
    resume_from: PathArg | None = None,
) -> Generator[PageReport, None, None]:
    """Reports of every page under ``paths`` (files, folders, globs, .gz, WARC, JSONL), streamed.

    One report per input, errors included (``status == "error"``). ``ordered`` keeps input
    order; ``resume_from`` (a report file) skips the sources it already holds.
    ``checker_config`` holds ``factcheck.load`` keywords. Closing the iterator stops the workers.
    """
    done = read_done_sources(resume_from) if resume_from is not None else None
    for res in iter_results(paths, workers=workers, ordered=ordered, with_text=with_text, max_bytes=max_bytes,
                            max_chars=max_chars, page_timeout=page_timeout, checker_config=checker_config,
                            skip_sources=done.__contains__ if done else None, as_lines=False):
        assert res.report is not None
        yield res.report


# --------------------------------------------------------------------------- the report file


def read_done_sources(path: PathArg) -> set[str]:
    """Sources that already have a complete line in a report file (missing file: none)."""
    done: set[str] = set()
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below; a missing file is simply empty
    except FileNotFoundError:
        return done
    with fh:
        for line in fh:
            if not line.endswith(b"\n"):
                break  # a partial last line: not done
            with contextlib.suppress(ValueError, AttributeError, TypeError):
                done.add(json.loads(line)["source"])
    return done


def repair_report(path: PathArg) -> set[str]:
    """Make a report safe to append to after a crash; return the sources it holds.

    Drops a trailing partial line (cut by kill -9 or a full disk) and any line that is not a
    complete JSON report, rewriting the file only in that rare second case.
    """
    done: set[str] = set()
    bad = False
    good_end = 0
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        return done
    with fh:
        pos = 0
        for line in fh:
            pos += len(line)
            if not line.endswith(b"\n"):
                break
            try:
                source = json.loads(line)["source"]
                if not isinstance(source, str):
                    raise TypeError(source)
            except (ValueError, KeyError, TypeError):
                bad = True
                continue
            done.add(source)
            good_end = pos
    if bad:
        tmp = Path(f"{os.fspath(path)}.repair")
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            for line in src:
                if line.endswith(b"\n"):
                    with contextlib.suppress(ValueError, KeyError, TypeError):
                        if isinstance(json.loads(line)["source"], str):
                            dst.write(line)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, path)
    else:
        with open(path, "r+b") as out:
            if os.fstat(out.fileno()).st_size != good_end:
                out.truncate(good_end)
    return done


class ReportWriter:
    """Appends report lines, each with one write: a crash or a full disk never leaves half a line.

    ``resume=True`` keeps what is there (after ``repair_report``) and exposes ``done`` sources.
    """

    def __init__(self, path: PathArg, *, resume: bool = False) -> None:
        self.path = os.fspath(path)
        self.done: set[str] = set()
        try:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            if resume:
                self.done = repair_report(self.path)
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | (0 if resume else os.O_TRUNC)
            self.fd = os.open(self.path, flags, 0o644)
        except OSError as exc:
            raise OutputError(exc.errno, f"cannot write the report {self.path}: "
                                         f"{exc.strerror or exc}") from exc
        self.lines = 0

    def write(self, line: str) -> None:
        self.write_many([line])

    def write_many(self, lines: list[str]) -> None:
        """Append complete lines with one write (a failure takes back anything partial)."""
        if not lines:
            return
        data = ("\n".join(lines) + "\n").encode("utf-8")
        try:
            pos = os.lseek(self.fd, 0, os.SEEK_END)
        except OSError:
            pos = -1  # not seekable (a pipe, /dev/full): nothing to roll back
        written = 0
        try:
            while written < len(data):
                written += os.write(self.fd, data[written:])
        except BaseException as exc:
            # ENOSPC midway, or an interrupt between two partial writes: take the fragment back.
            if 0 < written < len(data) and pos >= 0:
                with contextlib.suppress(OSError):
                    os.ftruncate(self.fd, pos)
            if isinstance(exc, OSError):
                raise OutputError(exc.errno, f"cannot write the report {self.path}: "
                                             f"{exc.strerror or exc}") from exc
            raise
        self.lines += len(lines)

    def close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            try:
                with contextlib.suppress(OSError):
                    os.fsync(fd)
            finally:
                os.close(fd)

    def __enter__(self) -> ReportWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def scan_to_file(
    paths: Iterable[PathArg] | PathArg, output: PathArg, *, resume: bool = False,
    on_result: Callable[[ScanResult, ScanStats], None] | None = None, stats: ScanStats | None = None,
    **options: Any,
) -> ScanStats:
    """Scan into a JSONL report (report-format.md); ``options`` are those of ``iter_results``.

    Raises ``OutputError`` when the report cannot be written (nothing partial is left behind).
    """
    stats = stats if stats is not None else ScanStats()
    with ReportWriter(output, resume=resume) as writer:
        done = writer.done
        # Lines go out in groups, one write each (never a partial line): a write per line showed
        # in profiles. A group is written whenever the scan waits for workers, so a line is never
        # held back by a slow page; a kill -9 loses at most one group, which --resume scans again.
        lines: list[str] = []
        flushed = [time.monotonic()]

        def flush() -> None:
            if lines:
                # taken off the list before the write: a signal that lands just after the write
                # must not leave them to be written again by the ``finally`` below (a kill mid-write
                # loses the group instead, which --resume scans again)
                group = lines[:]
                lines.clear()
                writer.write_many(group)
            flushed[0] = time.monotonic()

        results = iter_results(paths, skip_sources=done.__contains__ if done else None, as_lines=True,
                               stats=stats, on_wait=flush, **options)
        try:
            for res in results:
                assert res.line is not None
                lines.append(res.line)
                if len(lines) >= LINES_PER_WRITE or time.monotonic() - flushed[0] > LINES_MAX_DELAY:
                    flush()
                if on_result is not None:
                    on_result(res, stats)
            flush()
        finally:
            with contextlib.suppress(OutputError):
                flush()  # an interrupted scan keeps every finished line
            close = getattr(results, "close", None)
            if close is not None:
                close()
    stats.elapsed = time.perf_counter() - stats.started
    return stats
