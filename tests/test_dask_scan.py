"""The Dask path on a real LocalCluster with two worker processes."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from factcheck.dask import scan_bag, scan_to_jsonl  # noqa: E402

CLAIM = "<html><body><p>Our mesenchymal stem cell therapy can cure multiple sclerosis.</p></body></html>"


def _corpus(root: Path) -> set[str]:
    (root / "sub").mkdir(parents=True)
    (root / "a.html").write_text(CLAIM, encoding="utf-8")
    (root / "b.htm").write_text("<html><body><p>Book a table for two.</p></body></html>", encoding="utf-8")
    (root / "empty.html").write_bytes(b"")
    (root / "sub" / "png.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    with gzip.open(root / "sub" / "c.txt.gz", "wt", encoding="utf-8") as fh:
        fh.write("Exosome therapy reverses ALS in weeks.\n")
    with open(root / "items.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({"url": "https://x.example/1", "html": CLAIM}) + "\n")
        fh.write("not json\n")
    return {str(root / n) for n in ("a.html", "b.htm", "empty.html", "sub/png.html", "sub/c.txt.gz")} | {
        f"{root / 'items.jsonl'}:1", f"{root / 'items.jsonl'}:2"}


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as c:
        yield c


def test_scan_bag_gives_one_report_per_input_on_a_two_process_cluster(tmp_path, client):
    expected = _corpus(tmp_path / "in")
    reports = scan_bag([tmp_path / "in"], npartitions=3).compute()
    assert sorted(r["source"] for r in reports) == sorted(expected)
    by = {r["source"]: r for r in reports}
    assert [c["therapy"]["id"] for c in by[str(tmp_path / "in" / "a.html")]["claims"]] == ["msc"]
    assert by[str(tmp_path / "in" / "sub" / "png.html")]["status"] == "error"
    assert by[f"{tmp_path / 'in' / 'items.jsonl'}:2"]["error"]["type"] == "IngestError"
    assert by[f"{tmp_path / 'in' / 'items.jsonl'}:1"]["url"] == "https://x.example/1"


def test_one_checker_is_built_per_worker_process(tmp_path, client):
    _corpus(tmp_path / "in")
    scan_bag([tmp_path / "in"], npartitions=6).compute()

    def built() -> int:
        from factcheck import scan

        return len(scan._CHECKERS)

    counts = client.run(built)
    assert len(counts) == 2 and all(n <= 1 for n in counts.values())


def test_scan_to_jsonl_writes_partitioned_complete_lines(tmp_path, client):
    expected = _corpus(tmp_path / "in")
    parts = scan_to_jsonl([tmp_path / "in"], tmp_path / "out", npartitions=2)
    assert len(parts) == 2 and all(Path(p).name.startswith("part-") for p in parts)
    sources = []
    for p in parts:
        text = Path(p).read_text(encoding="utf-8")
        assert text.endswith("\n")
        sources += [json.loads(line)["source"] for line in text.splitlines()]
    assert sorted(sources) == sorted(expected)


def test_without_dask_the_import_error_names_the_extra(tmp_path):
    import subprocess
    import sys

    code = ("import sys; sys.modules['dask'] = None; sys.modules['dask.bag'] = None\n"
            "try:\n    import factcheck.dask\nexcept ImportError as e:\n    print(e)\n")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert "factcheck[dask]" in out.stdout and "extra" in out.stdout
