"""atheris fuzz target: ``Checker.check_html`` on arbitrary bytes and on arbitrary text.

Every input must give a report; an ``error`` report must carry a type and a message, and every
claim's offsets must slice the extracted text to its sentence. Anything else is a crash.

    python tests/fuzz/fuzz_check_html.py -atheris_runs=200000          # make fuzz
    python tests/fuzz/fuzz_check_html.py -max_total_time=600 corpus/   # keep a corpus
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["factcheck"]):
    import factcheck
    from factcheck.ingest import IngestError, html_to_page

CHECKER = factcheck.load()


def check(data: bytes | str) -> None:
    report = CHECKER.check_html(data, source="fuzz.html")
    if report.status == "error":
        assert report.error is not None and report.error.type and report.error.message, report
        return
    try:
        text = html_to_page(data, source="fuzz.html").text
    except IngestError:
        raise AssertionError(f"check_html gave an ok report for input html_to_page refuses: {report}") from None
    for claim in report.claims:
        assert text[claim.start:claim.end] == claim.sentence, (claim.start, claim.end, claim.sentence)


def test_one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    if fdp.ConsumeBool():
        check(fdp.ConsumeBytes(fdp.remaining_bytes()))
    else:
        check(fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes()))


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
