"""Check one page and print every claim with its verdict and the reason for it."""

from __future__ import annotations

import factcheck

PAGE = """<html><head><title>Stem Cell Therapy for MS | Example Clinic</title></head><body>
<h1>Umbilical cord stem cells for multiple sclerosis</h1>
<p>Our clinic treats multiple sclerosis with Wharton's jelly mesenchymal stem cells.</p>
<p>The cells repair damaged myelin, so our patients walk again.</p>
<p>Book your free consultation: packages from $12,000.</p>
</body></html>"""


def main() -> None:
    checker = factcheck.load()
    report = checker.check_html(PAGE, url="https://clinic.example/ms")
    for claim in report.claims:
        print(f"{claim.verdict:>10}  {claim.therapy.id} -> {claim.condition.id}: {claim.sentence}")
        print(f"{'':>12}why: {claim.reason}")
        for ref in claim.evidence:
            print(f"{'':>12}evidence: {ref.record} ({ref.status}) {ref.sources[0]}")


if __name__ == "__main__":
    main()
