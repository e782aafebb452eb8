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
import copy
import dataclasses
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from factcheck.coding.clinics import site_name
from factcheck.coding.country import find_country, jurisdiction_note, jurisdiction_of
from factcheck.coding.features import code_page, uncoded_report
from factcheck.coding.models import CountryResult
from factcheck.db import EvidenceDB
from factcheck.ingest.page import Page
from factcheck.models import PageError, PageReport
from factcheck.parse import components
from factcheck.parse.claims import Analysis, PageAnalyzer
from factcheck.parse.lexicon import Lexicon, has_confusables
from factcheck.parse.spot import Spotter
from factcheck.resources import Resources, load_resources

#: default limits of check_html/check_text, the same as ``factcheck scan``'s (a 50 MB page is cut, not
#: checked whole: that took 75 s and 1.3 GB)
MAX_BYTES = 20 * 1024 * 1024
MAX_CHARS = 2_000_000

_SURROGATE = re.compile("[\ud800-\udfff]")

PIPE_NAMES = ("factcheck_sentences", "factcheck_terms", "factcheck_context", "factcheck_claims")


def build_nlp(*, resources: Resources | None = None, lang: str = "en", **config: Any) -> Language:
    """``spacy.blank(<lang>)`` with the four factcheck components, initialised with ``resources``.

    Without ``resources``, they are loaded from ``config`` (``load_resources`` keywords).
    """
    resources = resources if resources is not None else load_resources(**config)
    nlp = spacy.blank(resources.pack(lang).spec.spacy_lang)
    nlp.max_length = 50_000_000
    cfg = resources.config.to_json()
    nlp.add_pipe("factcheck_sentences", config={"languages": cfg["languages"]})
    for name in PIPE_NAMES[1:]:
        nlp.add_pipe(name, config=cfg)
    for name in PIPE_NAMES:
        pipe = cast("components._Configured", nlp.get_pipe(name))
        pipe.initialize(lambda: [], nlp=nlp, resources=resources)
    return nlp


class Checker:
    """Checks pages. Build with ``factcheck.load()``; reuse it for every page.

    ``resources`` (``factcheck.resources.load_resources``) are shared by every pipeline the checker
    builds (one ``spacy.blank(lang)`` per page language a Doc is asked for); without them they are
    loaded from ``config``. Given an ``nlp``, the checker uses that pipeline's resources.
    """

    def __init__(self, nlp: Language | None = None, *, fast: bool = True, resources: Resources | None = None,
                 code_pages: bool = True, **config: Any) -> None:
        # jurisdiction="auto": each page's own country decides which local approvals count
        self.auto_jurisdiction = config.get("jurisdiction") == "auto"
        if self.auto_jurisdiction:
            config["jurisdiction"] = None
        #: page coding (factcheck.coding): features, country and prices on every report
        self.code_pages = code_pages
        self._by_jurisdiction: dict[str, PageAnalyzer] = {}
        if nlp is None:
            # loaded now: a bad user file must fail load() with its DataError, not turn every
            # page of a batch into an error report
            resources = resources if resources is not None else load_resources(**config)
            nlp = build_nlp(resources=resources)
        elif resources is None:
            resources = cast("components.ClaimLinker", nlp.get_pipe("factcheck_claims")).resources
        self.resources: Resources = resources
        self.nlp = nlp
        self.fast = fast
        self._nlps: dict[str, Language] = {str(nlp.lang): nlp}
        self._terms: components.TermRecognizer = self.nlp.get_pipe("factcheck_terms")  # type: ignore[assignment]
        self._context: components.ContextCues = self.nlp.get_pipe("factcheck_context")  # type: ignore[assignment]
        self._claims: components.ClaimLinker = self.nlp.get_pipe("factcheck_claims")  # type: ignore[assignment]
        self._spotter: Spotter | None = None

    # ------------------------------------------------------------------ properties
    @property
    def db(self) -> EvidenceDB:
        return self.resources.db

    @property
    def lexicon(self) -> Lexicon:
        return self.resources.lexicon

    def nlp_for(self, lang: str) -> Language:
        """The pipeline for pages in ``lang`` (``spacy.blank`` of its pack), sharing this checker's resources."""
        spacy_lang = self.resources.pack(lang).spec.spacy_lang
        if spacy_lang not in self._nlps:
            self._nlps[spacy_lang] = build_nlp(resources=self.resources, lang=lang)
        return self._nlps[spacy_lang]

    def may_claim(self, text: str) -> bool:
        """The cheap pre-check (``parse/spot.py``): False only for a text that cannot hold a claim."""
        if self._spotter is None:
            self._spotter = Spotter(self.lexicon)
        return self._spotter.may_claim(text)

    def _names_therapy(self, text: str) -> bool:
        if self._spotter is None:
            self._spotter = Spotter(self.lexicon)
        return self._spotter.names_therapy(text)

    # ------------------------------------------------------------------ checking
    def check_page(self, page: Page) -> PageReport:
        """Claims of an extracted page. Never raises for page content: errors become error reports."""
        return self._guarded(page, with_doc=False)[0]

    def check_doc(self, page: Page | str) -> tuple[PageReport, Doc | None]:
        """The report and a spaCy ``Doc`` of the page (``None`` for a page with nothing to check).

        The doc carries the claims as ``Doc._.claims`` and the term and cue spans in ``doc.spans``.
        In the fast mode only the sentences that hold a claim (or a set-aside candidate) are
        tokenised; the rest of the text is blanked, so offsets are those of the page.
        """
        if isinstance(page, str):
            from factcheck.ingest.text import text_to_page

            page = text_to_page(page, source="<text>")
        return self._guarded(page, with_doc=True)

    def _guarded(self, page: Page, *, with_doc: bool) -> tuple[PageReport, Doc | None]:
        if not page.text.isascii() and _has_surrogates(page.text):
            # JSON and surrogateescape strings carry lone surrogates; spaCy (and UTF-8 output) cannot.
            # One U+FFFD each keeps every offset.
            page = dataclasses.replace(page, text=_SURROGATE.sub("\ufffd", page.text), warnings=[
                *page.warnings, "lone surrogate characters in the text replaced by U+FFFD"])
        try:
            return self._check(page, with_doc=with_doc)
        except Exception as exc:  # a page must never kill a batch
            return PageReport(source=page.source, url=page.url, status="error",
                              error=PageError(type=type(exc).__name__, message=str(exc)[:500]),
                              warnings=list(page.warnings), text_length=len(page.text)), None

    def check_text(self, text: str, *, source: str = "<text>", url: str | None = None,
                   max_chars: int | None = MAX_CHARS) -> PageReport:
        """``max_chars`` (None: no limit) cuts the text at a line boundary, with a warning."""
        from factcheck.ingest.text import text_to_page

        return self.check_page(text_to_page(text, source=source, url=url, max_chars=max_chars))

    def check_html(self, html: str | bytes, *, url: str | None = None, source: str | None = None,
                   max_bytes: int | None = MAX_BYTES, max_chars: int | None = MAX_CHARS) -> PageReport:
        """Like ``factcheck scan`` on one page: input over ``max_bytes`` (bytes, or characters of a
        str) and text over ``max_chars`` are cut with a warning on the report (None: no limit)."""
        from factcheck.ingest.errors import IngestError
        from factcheck.ingest.html import html_to_page

        src = source or url or "<html>"
        cut = max_bytes is not None and len(html) > max_bytes
        doc = html[:max_bytes] if cut else html
        try:
            # skimmed first: a page that cannot hold a claim never pays for the full extraction
            page = html_to_page(doc, source=src, url=url, max_chars=max_chars, truncated=cut, skim=self.fast)
            if self.fast and self.may_claim(page.text):
                page = html_to_page(doc, source=src, url=url, max_chars=max_chars, truncated=cut)
        except IngestError as exc:
            return PageReport(source=src, url=url, status="error",
                              error=PageError(type="IngestError", message=str(exc)))
        if cut:  # the same warning as scan's
            page.warnings.insert(0, f"input larger than max_bytes={max_bytes}; only the first {max_bytes} "
                                    "bytes were read")
        return self.check_page(page)

    def pipe(self, items: Iterable[Page | str]) -> Iterator[PageReport]:
        """Reports for pages (or plain texts), in order."""
        for i, item in enumerate(items):
            yield self.check_page(item) if isinstance(item, Page) else self.check_text(item, source=f"<text {i}>")

    def analyze(self, text: str, blocks: list[tuple[str, int, int]] | None = None, lang: str = "en") -> Analysis:
        """The full analysis (terms, cues, dismissed candidates) of a text in ``lang``, without spaCy."""
        res = self.resources
        return res.analyzer.analyze(text, blocks, terms=res.lexicon.find(text, lang),
                                    cues=components.find_cues(res, text, lang), language=res.pack(lang))

    def _check(self, page: Page, *, with_doc: bool) -> tuple[PageReport, Doc | None]:
        text = page.text
        blocks = [(b.kind, b.start, b.end) for b in page.blocks]
        report = PageReport(source=page.source, url=page.url, warnings=list(page.warnings), text_length=len(text))
        lang = self._language(page)
        report.lang = lang
        res = self.resources
        doc: Doc | None = None
        spans: list[tuple[int, int, str]] | None = None
        topical: bool | None = None  # None: the coding rules' own topic patterns decide
        place: CountryResult | None = None
        if self.fast:
            terms = res.lexicon.find(text, lang) if self.may_claim(text) else []
            labels = {t.label for t in terms}
            if "THERAPY" in labels:
                # blocks in another language are looked for only on pages that name a therapy: an
                # off-topic page pays for no block-by-block identification
                spans = self._block_languages(page, lang)
                if spans:
                    terms = res.lexicon.find(text, lang, spans)
                    labels = {t.label for t in terms}
            # a page that names no therapy is not coded (all features false): the spotting above
            # already paid for knowing that, so off-topic crawl pages cost nothing more; a page that
            # names a therapy but no condition (a clinic's price or FAQ page) is still coded
            topical = "THERAPY" in labels or (not terms and self._names_therapy(text))
            if topical and (self.code_pages or self.auto_jurisdiction):
                place = find_country(text, url=page.url)
            if not ("THERAPY" in labels and labels & {"CONDITION", "SUBTYPE"}):
                report.stance = "no_claim_terms"  # nothing to link: spaCy is never run
                self._code(report, page, place, topical)
                return report, None
            cues = components.find_cues(res, text, lang, spans)
            # the shared compiled lexicon, rules and analyzer, without tokenising: claims never
            # depend on tokens, so only a caller who wants a Doc pays for spaCy
            analysis = self._analyzer_for(place).analyze(text, blocks, terms=terms, cues=cues,
                                                         language=res.pack(lang))
            if with_doc:
                doc = self._claim_doc(text, blocks, terms, cues, analysis, lang, spans)
        else:
            # (the full-pipeline path judges with the component's own jurisdiction: "auto" applies
            # to the fast path, which is the default)
            place = find_country(text, url=page.url) if self.code_pages else None
            spans = self._block_languages(page, lang)
            nlp = self.nlp_for(lang)
            doc = nlp.make_doc(text)
            doc.user_data[components.BLOCKS_KEY] = blocks
            doc.user_data[components.LANG_KEY] = lang
            if spans:
                doc.user_data[components.LANG_SPANS_KEY] = spans
            claims_pipe: components.ClaimLinker = nlp.get_pipe("factcheck_claims")  # type: ignore[assignment]
            for _name, proc in nlp.pipeline:
                if proc is not claims_pipe:
                    doc = proc(doc)
            analysis = claims_pipe.analyze_doc(doc)  # the same component, keeping its pydantic claims
        report.claims = analysis.claims
        report.stance = analysis.stance
        report.stance_reasons = analysis.stance_reasons
        report.dismissed = [dict(d) for d in analysis.dismissed]
        fuzzy = sorted({f"{t.text!r}~{t.alias!r}" for t in analysis.terms if t.method == "fuzzy"})
        if fuzzy:
            report.warnings.append("fuzzy matches: " + ", ".join(fuzzy[:10]))
        mixed = sorted({t.text for t in analysis.terms if has_confusables(t.text)})
        if mixed:
            # matched anyway, but a Latin word spelt with Cyrillic/Greek letters may be deliberate evasion
            report.warnings.append("look-alike letters (Cyrillic/Greek) inside matched terms: "
                                   + ", ".join(repr(m) for m in mixed[:10]))
        if self.auto_jurisdiction:
            note = jurisdiction_note(place)
            for claim in report.claims:
                claim.reason = f"{claim.reason} [{note}]"
        self._code(report, page, place, topical)
        return report, doc

    def _analyzer_for(self, place: CountryResult | None) -> PageAnalyzer:
        """The claim analyzer judging under the page's jurisdiction (``jurisdiction="auto"``)."""
        code = jurisdiction_of(place.country) if self.auto_jurisdiction and place is not None else None
        if code is None:
            return self.resources.analyzer
        if code not in self._by_jurisdiction:
            # a shallow copy shares the compiled lexicon and database; only the verdicts differ
            clone = copy.copy(self.resources.analyzer)
            clone.jurisdiction = code
            self._by_jurisdiction[code] = clone
        return self._by_jurisdiction[code]

    def _code(self, report: PageReport, page: Page, place: CountryResult | None, topical: bool | None) -> None:
        """Page features (factcheck.coding) on the report; cheap on pages not about a treatment."""
        if not self.code_pages or not page.text:
            return
        if topical is False and place is None:  # most crawl pages: the same all-false coding every time
            report.country = None
            report.features, report.feature_evidence = uncoded_report()
        else:
            coded = code_page(page.text, lang=report.lang or "en", url=page.url, has_claims=bool(report.claims),
                              country=place, topical=topical)
            report.country = coded.country.country
            report.features = coded.values()
            report.feature_evidence = coded.explanation()
        title = next((page.text[b.start:b.end] for b in page.blocks if b.kind == "title"), None)
        report.feature_evidence["site_name"] = site_name(title)

    def _language(self, page: Page) -> str:
        """The page's main language, from a bounded sample of its text (no pass over the whole page)."""
        return self.resources.identifier.page_language(page.text)

    def _block_languages(self, page: Page, lang: str) -> list[tuple[int, int, str]] | None:
        """Blocks written in another language than the page (a Spanish testimonial on an English page)."""
        if len(self.resources.languages) < 2:
            return None
        return self.resources.identifier.block_languages(page.text, [(b.start, b.end) for b in page.blocks],
                                                         lang) or None

    def _claim_doc(self, text: str, blocks: list[tuple[str, int, int]], terms: list[Any], cues: list[Any],
                   analysis: Analysis, lang: str = "en", spans: list[tuple[int, int, str]] | None = None) -> Doc:
        """A Doc in which spaCy tokenised only the sentences of claims and set-aside candidates."""
        keep = sorted({(c.start, c.end) for c in analysis.claims}
                      | {(d["start"], d["end"]) for d in analysis.dismissed})
        nlp = self.nlp_for(lang)
        doc = nlp.make_doc(_keep_only(text, keep))
        doc.user_data[components.LANG_KEY] = lang
        if spans:
            doc.user_data[components.LANG_SPANS_KEY] = spans
        inside = _inside(keep)
        doc.user_data[components.PRECOMPUTED_KEY] = {
            "terms": [t.as_dict() for t in terms if inside(t.start)],
            "cues": [components._cue_dict(c) for c in cues if inside(c.start)]}
        doc.user_data[components.TEXT_KEY] = text
        doc.user_data[components.BLOCKS_KEY] = blocks
        for proc in (nlp.get_pipe(n) for n in PIPE_NAMES[:3]):
            doc = proc(doc)
        components.set_claim_extensions(doc, analysis)
        return doc


def _has_surrogates(text: str) -> bool:
    """True when ``text`` holds a lone surrogate: strict UTF-8 encoding (in C) refuses exactly those.

    A regex search for ``[\ud800-\udfff]`` walks a non-ASCII page character by character (~0.1 ms
    on a crawl page); the encoder copies it at memory speed.
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _keep_only(text: str, spans: list[tuple[int, int]]) -> str:
    """Blank everything outside ``spans`` (sorted), keeping length and newlines."""
    pieces: list[str] = []
    pos = 0
    for s, e in spans:
        if s > pos:
            gap = text[pos:s]
            pieces.append(_blank(gap))
        pieces.append(text[max(s, pos):e])
        pos = max(pos, e)
    pieces.append(_blank(text[pos:]))
    return "".join(pieces)


def _blank(chunk: str) -> str:
    # newlines survive so block boundaries (sentence starts) stay where they were
    return "\n".join(" " * len(line) for line in chunk.split("\n"))


def _inside(spans: list[tuple[int, int]]) -> Any:
    starts = [s for s, _ in spans]

    def test(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos < spans[i][1]

    return test
