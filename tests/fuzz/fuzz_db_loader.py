"""atheris fuzz target: the evidence-database loader on an arbitrary record file.

Each input is written as ``records/lupus/exosome-lupus.yaml`` of a temporary database folder laid
out like ``claims_db/`` (a copy of the bundled exosome therapy, lupus condition and outcome
categories, so the record's references resolve) and loaded alone with ``factcheck.load_db``.
The only acceptable failure is
``DataError`` whose every issue names the file; a YAML tag must never construct an object.

    python tests/fuzz/fuzz_db_loader.py -atheris_runs=50000
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

import atheris

with atheris.instrument_imports(include=["factcheck"]):
    from factcheck.db import DataError, load_db

BUNDLED = Path(__file__).resolve().parents[2] / "claims_db"
ROOT = Path(tempfile.mkdtemp(prefix="fuzz-db-"))
for rel in ["therapies/exosome.yaml", "conditions/lupus.yaml", *(f"outcomes/{p.name}" for p in
                                                                (BUNDLED / "outcomes").glob("*.yaml"))]:
    (ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(BUNDLED / rel, ROOT / rel)
RECORD = ROOT / "records" / "lupus" / "exosome-lupus.yaml"
RECORD.parent.mkdir(parents=True)
MARKER = ROOT / "pwned"
SEED = b"""id: exosome-lupus
therapy: exosome
condition: lupus
status: never_trialled
jurisdictions: [international]
summary: A fuzz seed record; no exosome product is approved for lupus.
sources:
  - {url: 'https://example.org/exo', title: t, publisher: p, date: 2025, kind: regulator}
as_of: 2025-01-01
modified: 2025-01-02
reviewed_by: fuzz
"""


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():  # mutate around a valid record: reaches the field checks, not only the parser
        cut = fdp.ConsumeIntInRange(0, len(SEED))
        body = SEED[:cut] + fdp.ConsumeBytes(fdp.ConsumeIntInRange(0, 64)) + SEED[cut:]
    else:
        body = fdp.ConsumeBytes(fdp.remaining_bytes())
    RECORD.write_bytes(body)
    try:
        load_db(ROOT, include_default=False)
    except DataError as exc:
        assert exc.issues, "DataError without issues"
        for issue in exc.issues:
            assert issue.path and os.path.basename(str(issue.path)), issue
            assert issue.message, issue
    assert not MARKER.exists(), "a YAML tag ran code"


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
