"""The loaded checker: page in, explained report out.

``Checker`` owns one spaCy pipeline (``spacy.blank("en")`` + the factcheck components). Every page
is first spotted without spaCy (Aho-Corasick over the folded text): a page that names no
therapy or no condition cannot hold a claim and skips spaCy altogether; otherwise only blocks
that hold a term are tokenised (the others are blanked to spaces, which spaCy keeps as single
whitespace tokens, so offsets stay those of the page). Terms and cues found on the full text
are handed to the components, so the fast path gives exactly the claims of the full pipeline.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from factcheck.ingest.page import Page
from factcheck.models import Claim, PageError, PageReport
from factcheck.parse import components
from factcheck.parse.claims import Analysis

PIPE_NAMES = ("factcheck_sentences", "factcheck_terms", "factcheck_context", "factcheck_claims")


def build_nlp(*, db_paths: Iterable[str | Path] = (), include_default_db: bool = True,
              rules_path: str | Path | None = None, extra_rules: list[dict[str, Any]] | None = None,
              jurisdiction: str | None = None) -> Language:
    """``spacy.blank("en")`` with the four factcheck components, configured."""
    nlp = spacy.blank("en")
    nlp.max_length = 50_000_000
    db = {"db_paths": [str(p) for p in db_paths], "include_default_db": include_default_db}
    nlp.add_pipe("factcheck_sentences")
    nlp.add_pipe("factcheck_terms", config=db)
    nlp.add_pipe("factcheck_context", config={"rules_path": str(rules_path) if rules_path else None,
                                              "extra_rules": list(extra_rules or [])})
    nlp.add_pipe("factcheck_claims", config={**db, "jurisdiction": jurisdiction})
    return nlp


class Checker:
    """Checks pages. Build with ``factcheck.load()``; reuse it for every page."""

    def __init__(self, nlp: Language | None = None, *, fast: bool = True, **config: Any) -> None:
        self.nlp = nlp if nlp is not None else build_nlp(**config)
        self.fast = fast
        self._terms: components.TermRecognizer = self.nlp.get_pipe("factcheck_terms")  # type: ignore[assignment]
        self._context: components.ContextCues = self.nlp.get_pipe("factcheck_context")  # type: ignore[assignment]
        self._claims: components.ClaimLinker = self.nlp.get_pipe("factcheck_claims")  # type: ignore[assignment]

    # ------------------------------------------------------------------ properties
    @property
    def db(self) -> Any:
        return self._claims.analyzer.db

    @property
    def lexicon(self) -> Any:
        return self._terms.lexicon

    # ------------------------------------------------------------------ checking
    def check_page(self, page: Page) -> PageReport:
        """Claims of an extracted page. Never raises for page content: errors become error reports."""
        try:
            return self._check(page)
        except Exception as exc:  # a page must never kill a batch
            return PageReport(source=page.source, url=page.url, status="error",
                              error=PageError(type=type(exc).__name__, message=str(exc)[:500]),
                              warnings=list(page.warnings), text_length=len(page.text))

    def check_text(self, text: str, *, source: str = "<text>", url: str | None = None) -> PageReport:
        from factcheck.ingest.text import text_to_page

        return self.check_page(text_to_page(text, source=source, url=url))

    def check_html(self, html: str | bytes, *, url: str | None = None, source: str | None = None) -> PageReport:
        from factcheck.ingest.errors import IngestError
        from factcheck.ingest.html import html_to_page

        src = source or url or "<html>"
        try:
            page = html_to_page(html, source=src, url=url)
        except IngestError as exc:
            return PageReport(source=src, url=url, status="error",
                              error=PageError(type="IngestError", message=str(exc)))
        return self.check_page(page)

    def pipe(self, items: Iterable[Page | str]) -> Iterator[PageReport]:
        """Reports for pages (or plain texts), in order."""
        for i, item in enumerate(items):
            yield self.check_page(item) if isinstance(item, Page) else self.check_text(item, source=f"<text {i}>")

    def analyze(self, text: str, blocks: list[tuple[str, int, int]] | None = None) -> Analysis:
        """The full analysis (terms, cues, dismissed candidates) of a text, without spaCy."""
        return self._claims.analyzer.analyze(text, blocks, terms=self.lexicon.find(text),
                                             cues=self._context.finder.find(text))

    def _check(self, page: Page) -> PageReport:
        text = page.text
        blocks = [(b.kind, b.start, b.end) for b in page.blocks]
        report = PageReport(source=page.source, url=page.url, warnings=list(page.warnings), text_length=len(text))
        if self.fast:
            terms = self.lexicon.find(text)
            labels = {t.label for t in terms}
            if not ("THERAPY" in labels and labels & {"CONDITION", "SUBTYPE"}):
                report.stance = "no_claim_terms"  # nothing to link: spaCy is never run
                return report
            doc = self.nlp.make_doc(_mask(text, blocks, terms))
            doc.user_data[components.PRECOMPUTED_KEY] = {
                "terms": [t.model_dump() for t in terms],
                "cues": [components._cue_dict(c) for c in self._context.finder.find(text)]}
            doc.user_data[components.TEXT_KEY] = text
        else:
            doc = self.nlp.make_doc(text)
        doc.user_data[components.BLOCKS_KEY] = blocks
        for _name, proc in self.nlp.pipeline:
            doc = proc(doc)
        report.claims = [Claim.model_validate(_claim_model(c)) for c in doc._.claims]
        report.stance = doc._.fc_stance["stance"]
        report.stance_reasons = doc._.fc_stance["reasons"]
        report.dismissed = doc._.fc_dismissed
        fuzzy = sorted({f"{t['text']!r}~{t['alias']!r}" for t in doc._.fc_terms if t["method"] == "fuzzy"})
        if fuzzy:
            report.warnings.append("fuzzy matches: " + ", ".join(fuzzy[:10]))
        return report


def _claim_model(d: dict[str, Any]) -> dict[str, Any]:
    """Report dict of a claim (as stored in ``Doc._.claims``) back to ``Claim`` fields."""
    def term(t: dict[str, Any], label: str) -> dict[str, Any]:
        return {"label": label, "id": t["id"], "text": t["text"], "start": t["start"], "end": t["end"],
                "alias": t["alias"], "score": t["score"], "method": t["method"]}

    cond = d["condition"]
    return {
        "therapy": term(d["therapy"], "THERAPY"),
        "condition": term(cond, "CONDITION"),
        "subtypes": [{**term(s, "SUBTYPE"), "parent": cond["id"]} for s in cond.get("subtypes", [])],
        "outcome": term(d["outcome"], "OUTCOME") if d.get("outcome") else None,
        **{k: d[k] for k in ("verdict", "flagged", "reason", "basis", "sentence", "start", "end",
                             "context", "evidence")},
    }


def _mask(text: str, blocks: list[tuple[str, int, int]], terms: list[Any]) -> str:
    """Blank every block without a term, keeping length and newlines (offsets stay valid)."""
    if not blocks:
        return text
    keep = bytearray(len(blocks))
    starts = [b[1] for b in blocks]
    for t in terms:
        i = bisect.bisect_right(starts, t.start) - 1
        if i >= 0:
            keep[i] = 1
    pieces: list[str] = []
    pos = 0
    for flag, (_kind, s, e) in zip(keep, blocks, strict=True):
        if not flag:
            pieces.append(text[pos:s])
            pieces.append(" " * (e - s))
            pos = e
    pieces.append(text[pos:])
    return "".join(pieces)
