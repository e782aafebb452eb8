"""Reports people read: a static HTML report, ClaimReview JSON-LD and CSV summaries of a scan."""

from .claimreview import claim_reviews, write_claimreview
from .csv_summary import domain_summary, write_claims_csv, write_domain_csv
from .html import write_html_report
from .records import LineProblem, LoadedReport, PageRecord, load, read_report

__all__ = [
    "LineProblem",
    "LoadedReport",
    "PageRecord",
    "claim_reviews",
    "domain_summary",
    "load",
    "read_report",
    "write_claimreview",
    "write_claims_csv",
    "write_domain_csv",
    "write_html_report",
]
