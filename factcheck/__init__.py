"""factcheck: fact-check what stem-cell clinics promise on their web pages.

>>> import factcheck
>>> checker = factcheck.load()
>>> report = checker.check_text("Our clinic offers mesenchymal stem cells for multiple sclerosis.")
>>> [(c.therapy.id, c.condition.id, c.verdict) for c in report.claims]
[('msc', 'multiple_sclerosis', 'unproven')]
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.models import Claim, EvidenceRecord, PageReport

if TYPE_CHECKING:
    from factcheck.checker import Checker
    from factcheck.db import EvidenceDB
    from factcheck.resources import Resources

__version__ = "0.1.0"
__all__ = ["Checker", "Claim", "EvidenceRecord", "PageReport", "__version__", "load", "load_db"]


def load(*, db_paths: list[str | Path] | tuple[str | Path, ...] = (), include_default_db: bool = True,
         rules_path: str | Path | None = None, extra_rules: list[dict[str, Any]] | None = None,
         jurisdiction: str | None = None, languages: list[str | Path] | tuple[str | Path, ...] | None = None,
         fast: bool = True, resources: Resources | None = None, code_pages: bool = True) -> Checker:
    """A ready checker: the bundled evidence database (plus ``db_paths``), language packs and context rules.

    ``db_paths`` are folders laid out like ``claims_db/`` with your own records; ``rules_path`` a
    JSON file of extra context rules; ``jurisdiction`` ("US", "EU", "JP"...) lets local approvals
    count as accepted (``"auto"``: each page's own country, ``PageReport.country``, and every claim's reason
    says which); ``languages`` bundled pack codes or pack folders (default: all bundled).
    ``resources`` (``factcheck.resources.load_resources``) replaces all of these. ``code_pages=False``
    leaves out the page coding (features, country), which costs tens of milliseconds on a long clinic page.
    """
    from factcheck.checker import Checker

    if resources is not None:
        return Checker(resources=resources, fast=fast, code_pages=code_pages)
    return Checker(db_paths=db_paths, include_default_db=include_default_db, rules_path=rules_path,
                   extra_rules=extra_rules, jurisdiction=jurisdiction, languages=languages, fast=fast,
                   code_pages=code_pages)


def load_db(*paths: str | Path, include_default: bool = True) -> EvidenceDB:
    """The evidence database: bundled records plus records from ``paths``."""
    from factcheck.db import load_db as _load_db

    return _load_db(*paths, include_default=include_default)


def __getattr__(name: str) -> Any:
    if name == "Checker":
        from factcheck.checker import Checker

        return Checker
    raise AttributeError(name)
