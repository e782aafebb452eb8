"""schema.org ClaimReview JSON-LD for each flagged claim (https://schema.org/ClaimReview).

Rating scale (``reviewRating``), documented here because ClaimReview leaves it to the publisher:

=====  ============  =========================================================================
value  verdict       meaning
=====  ============  =========================================================================
1      unproven      only investigational / never trialled / trials negative, yet offered
2      overstated    an accepted use exists, but the claim goes past what the evidence shows
3      supported     within what the evidence shows (not exported: only flagged claims are)
=====  ============  =========================================================================

``worstRating`` is 1 and ``bestRating`` 3; ``alternateName`` carries the verdict word, which is
what fact-check consumers display.

ClaimReview is meant to be pasted into a ``<script type="application/ld+json">`` block, where a
page's ``</script>`` would end the block early. The files therefore escape ``<``, ``>`` and ``&``
in string values as ``\u003c``, ``\u003e``, ``\u0026`` (as JSON-LD embedders do): the same JSON
to a parser, inert to an HTML tokenizer.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from .html import PAGES_DIR, pages_with_files
from .records import ClaimRecord, PageRecord, ReportInput, load

RATING_SCALE: dict[str, int] = {"unproven": 1, "overstated": 2, "supported": 3}
WORST_RATING, BEST_RATING = 1, 3
CLAIM_MAX = 75
DEFAULT_ORG_NAME = "factcheck"


#: characters an HTML tokenizer reads inside <script>; outside strings JSON never has them
_HTML_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps_html_safe(obj: Any, *, indent: int | None = None) -> str:
    """``json.dumps`` whose output can sit inside an HTML ``<script>`` element unchanged."""
    return json.dumps(obj, ensure_ascii=False, indent=indent).translate(_HTML_SAFE)


def shorten(text: str, limit: int = CLAIM_MAX) -> str:
    """``text`` on one line, cut at a word boundary with an ellipsis to at most ``limit`` chars."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:  # a word boundary not too far back; else cut the long word
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—") + "…"


def _review(
    page: PageRecord, claim: ClaimRecord, number: int, page_file: str, *,
    org: dict[str, str], date: str, base_url: str | None,
) -> dict[str, Any]:
    anchor = f"{PAGES_DIR}/{page_file}#claim-{number}"
    url = f"{base_url.rstrip('/')}/{anchor}" if base_url else anchor
    rating: dict[str, Any] = {
        "@type": "Rating",
        "ratingValue": RATING_SCALE.get(claim.verdict, WORST_RATING),
        "bestRating": BEST_RATING,
        "worstRating": WORST_RATING,
        "alternateName": claim.verdict,
    }
    if claim.reason:
        rating["ratingExplanation"] = claim.reason
    review: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": shorten(claim.sentence),
        "reviewRating": rating,
        "itemReviewed": {
            "@type": "Claim",
            "appearance": {"@type": "CreativeWork", "url": page.url or page.source},
            "about": [
                {"@type": "MedicalTherapy", "name": claim.therapy.id.replace("_", " ")},
                {"@type": "MedicalCondition", "name": claim.condition.id.replace("_", " ")},
            ],
        },
        "author": {"@type": "Organization", **org},
        "datePublished": date,
    }
    if claim.reason:
        review["reviewBody"] = claim.reason
    sources = claim.sources
    if sources:
        review["citation"] = [{"@type": "CreativeWork", "url": u} for u in sources]
    return review


def claim_reviews(
    report: ReportInput, *, org_name: str = DEFAULT_ORG_NAME, org_url: str | None = None,
    date: dt.date | str | None = None, base_url: str | None = None,
) -> list[dict[str, Any]]:
    """One ClaimReview dict per flagged claim, in report order.

    ``url`` points at the claim in the HTML report (``pages/<file>.html#claim-N``), absolute when
    ``base_url`` says where the report is published.
    """
    org = {"name": org_name}
    if org_url:
        org["url"] = org_url
    when = date.isoformat() if isinstance(date, dt.date) else (date or dt.date.today().isoformat())
    reviews = []
    for page, page_file in pages_with_files(load(report).pages):
        for number, claim in enumerate(page.claims, start=1):
            if claim.flagged:
                reviews.append(_review(page, claim, number, page_file, org=org, date=when, base_url=base_url))
    return reviews


def write_claimreview(
    report: ReportInput, path: str | os.PathLike[str], *, jsonl: bool | None = None, **options: Any
) -> Path:
    """Write the reviews as a JSON array, or one per line when ``jsonl`` (default: by suffix)."""
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    reviews = claim_reviews(report, **options)
    if jsonl is None:
        jsonl = out.suffix == ".jsonl"
    with out.open("w", encoding="utf-8", errors="replace") as fh:
        if jsonl:
            fh.writelines(dumps_html_safe(r) + "\n" for r in reviews)
        else:
            fh.write(dumps_html_safe(reviews, indent=2) + "\n")
    return out
