"""spaCy pipeline components (registered factories; also declared as entry points).

``factcheck_sentences`` -> ``factcheck_terms`` -> ``factcheck_context`` -> ``factcheck_claims``.
Each holds only its configuration; the compiled database, lexicon and rules are cached per
configuration in this process, so components pickle small (``nlp.pipe(n_process=2)`` under
spawn) and several pipelines share one compiled database. Extension values are JSON-safe.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy
import srsly
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from factcheck.parse.claims import Analysis, PageAnalyzer
from factcheck.parse.context import Cue, CueFinder
from factcheck.parse.lexicon import Lexicon, Term
from factcheck.parse.rules import load_rules
from factcheck.parse.sentences import split_units

TERMS_KEY = "fc_terms"
CUES_KEY = "fc_cues"
#: ``doc.user_data`` keys a caller may fill before the pipeline runs
BLOCKS_KEY = "fc_blocks"  # [(kind, start, end), ...]
PRECOMPUTED_KEY = "fc_precomputed"  # {"terms": [...], "cues": [...]} found on the unmasked page text
TEXT_KEY = "fc_text"  # the unmasked page text, when doc.text has off-topic blocks blanked

for _name, _default in (("claims", None), ("fc_dismissed", None), ("fc_stance", None), ("fc_terms", None),
                        ("fc_cues", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Span.has_extension("fc_match"):
    Span.set_extension("fc_match", default=None)


def _token_starts(doc: Doc) -> numpy.ndarray:
    return doc.to_array(IDX).astype(numpy.int64)


def _token_bounds(doc: Doc, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token ranges covering character spans (expanded to whole tokens); empty when outside."""
    if not spans or not len(doc):
        return [(0, 0)] * len(spans)
    starts = _token_starts(doc)
    ends = starts + doc.to_array(LENGTH).astype(numpy.int64)
    chars = numpy.asarray(spans, dtype=numpy.int64)
    first = numpy.searchsorted(ends, chars[:, 0], side="right")
    last = numpy.searchsorted(starts, chars[:, 1], side="left")
    return [(int(i), int(j)) for i, j in zip(first, last, strict=True)]


def _text(doc: Doc) -> str:
    """The page text: the unmasked original when the checker blanked off-topic blocks."""
    # not .get(TEXT_KEY, doc.text): the default would join every token's text on each call
    return doc.user_data[TEXT_KEY] if TEXT_KEY in doc.user_data else doc.text  # noqa: SIM401


# ---------------------------------------------------------------------- shared, cached resources
@functools.lru_cache(maxsize=8)
def _db(db_paths: tuple[str, ...], include_default: bool) -> Any:
    from factcheck.db import load_db

    return load_db(*db_paths, include_default=include_default)


@functools.lru_cache(maxsize=8)
def _lexicon(db_paths: tuple[str, ...], include_default: bool) -> Lexicon:
    return Lexicon.from_db(_db(db_paths, include_default))


@functools.lru_cache(maxsize=8)
def _cue_finder(rules_path: str | None, extra_json: str) -> CueFinder:
    extra = json.loads(extra_json) if extra_json else None
    return CueFinder(load_rules(rules_path, extra=extra))


class _Configured:
    """Base: a component that is nothing but its JSON configuration."""

    name: str
    cfg: dict[str, Any]

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self.cfg).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> _Configured:
        self.cfg = srsly.json_loads(data.decode("utf-8"))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        srsly.write_json(p / "cfg.json", self.cfg)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> _Configured:
        self.cfg = srsly.read_json(Path(path) / "cfg.json")
        return self

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return (_rebuild, (type(self), self.name, self.cfg))


def _rebuild(cls: type[_Configured], name: str, cfg: dict[str, Any]) -> _Configured:
    obj = cls.__new__(cls)
    obj.name, obj.cfg = name, cfg
    return obj


def _db_key(cfg: dict[str, Any]) -> tuple[tuple[str, ...], bool]:
    return tuple(cfg.get("db_paths") or ()), bool(cfg.get("include_default_db", True))


# ---------------------------------------------------------------------- sentences
class SentenceUnits(_Configured):
    """Sentence starts that respect blocks: every newline ends a unit (headings, bullets)."""

    def __init__(self, name: str) -> None:
        self.name, self.cfg = name, {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        # one array write: setting Token.is_sent_start per token re-scans the doc each time
        idx = _token_starts(doc)
        flags = numpy.full(len(doc), -1, dtype=numpy.int64)
        starts = numpy.searchsorted(idx, [s for s, _ in split_units(_text(doc))])
        flags[starts[starts < len(doc)]] = 1
        flags[0] = 1
        doc.from_array([SENT_START], flags.view(numpy.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        return doc


@Language.factory("factcheck_sentences", assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str) -> SentenceUnits:
    return SentenceUnits(name)


# ---------------------------------------------------------------------- terms
class TermRecognizer(_Configured):
    """Therapies, conditions, subtypes and outcome cues from the evidence database's aliases."""

    def __init__(self, name: str, db_paths: list[str], include_default_db: bool) -> None:
        self.name = name
        self.cfg = {"db_paths": list(db_paths), "include_default_db": include_default_db}

    @property
    def lexicon(self) -> Lexicon:
        return _lexicon(*_db_key(self.cfg))

    def __call__(self, doc: Doc) -> Doc:
        pre = doc.user_data.get(PRECOMPUTED_KEY)
        terms = [Term(**t) for t in pre["terms"]] if pre else self.lexicon.find(doc.text)
        spans = []
        for term, (i, j) in zip(terms, _token_bounds(doc, [(t.start, t.end) for t in terms]), strict=True):
            if i < j:
                span = Span(doc, i, j, label=term.label)
                span._.fc_match = term.as_dict()
                spans.append(span)
        doc.spans[TERMS_KEY] = spans
        doc._.fc_terms = [t.as_dict() for t in terms]
        return doc


@Language.factory(
    "factcheck_terms",
    default_config={"db_paths": [], "include_default_db": True},
    assigns=["doc.spans", "doc._.fc_terms", "span._.fc_match"],
)
def make_terms(nlp: Language, name: str, db_paths: list[str], include_default_db: bool) -> TermRecognizer:
    return TermRecognizer(name, db_paths, include_default_db)


# ---------------------------------------------------------------------- context
class ContextCues(_Configured):
    """Context cues (negation, hedging, reported research, offers, warnings...) from data rules."""

    def __init__(self, name: str, rules_path: str | None, extra_rules: list[dict[str, Any]]) -> None:
        self.name = name
        self.cfg = {"rules_path": rules_path, "extra_rules": list(extra_rules)}

    def add_rules(self, rules: list[dict[str, Any]]) -> None:
        """Add cue rules (same shape as context_rules.json entries); validated now."""
        load_rules(extra=rules, include_default=False)
        self.cfg = {**self.cfg, "extra_rules": [*self.cfg["extra_rules"], *rules]}

    @property
    def finder(self) -> CueFinder:
        extra = self.cfg.get("extra_rules") or []
        return _cue_finder(self.cfg.get("rules_path"), json.dumps(extra, sort_keys=True) if extra else "")

    def __call__(self, doc: Doc) -> Doc:
        pre = doc.user_data.get(PRECOMPUTED_KEY)
        cues = [_cue(c) for c in pre["cues"]] if pre else self.finder.find(doc.text)
        bounds = _token_bounds(doc, [(c.start, c.end) for c in cues])
        doc.spans[CUES_KEY] = [Span(doc, i, j, label=c.category)
                               for c, (i, j) in zip(cues, bounds, strict=True) if i < j]
        doc._.fc_cues = [_cue_dict(c) for c in cues]
        return doc


def _cue(data: dict[str, Any]) -> Cue:
    return Cue(**{**data, "barriers": tuple(data.get("barriers", ()))})


def _cue_dict(cue: Cue) -> dict[str, Any]:
    return {"category": cue.category, "direction": cue.direction, "start": cue.start, "end": cue.end,
            "text": cue.text, "rule": cue.rule, "max_scope": cue.max_scope, "weight": cue.weight,
            "barriers": list(cue.barriers)}


@Language.factory(
    "factcheck_context",
    default_config={"rules_path": None, "extra_rules": []},
    assigns=["doc.spans", "doc._.fc_cues"],
)
def make_context(nlp: Language, name: str, rules_path: str | None, extra_rules: list[dict[str, Any]]) -> ContextCues:
    return ContextCues(name, rules_path, extra_rules)


# ---------------------------------------------------------------------- claims
@functools.lru_cache(maxsize=8)
def _analyzer(db_paths: tuple[str, ...], include_default: bool, jurisdiction: str | None) -> PageAnalyzer:
    lexicon = _lexicon(db_paths, include_default)
    # the cue finder is passed per call; the analyzer only needs one for standalone use
    return PageAnalyzer(_db(db_paths, include_default), lexicon, _cue_finder(None, ""), jurisdiction=jurisdiction)


class ClaimLinker(_Configured):
    """Links terms into claims, decides the page stance and gives each claim its verdict."""

    def __init__(self, name: str, db_paths: list[str], include_default_db: bool, jurisdiction: str | None) -> None:
        self.name = name
        self.cfg = {"db_paths": list(db_paths), "include_default_db": include_default_db,
                    "jurisdiction": jurisdiction}

    @property
    def analyzer(self) -> PageAnalyzer:
        return _analyzer(*_db_key(self.cfg), self.cfg.get("jurisdiction"))

    def __call__(self, doc: Doc) -> Doc:
        self.analyze_doc(doc)
        return doc

    def analyze_doc(self, doc: Doc) -> Analysis:
        """Set the claim extensions and return the analysis (with pydantic ``Claim`` objects)."""
        terms = [Term(**t) for t in (doc._.fc_terms or [])]
        cues = [_cue(c) for c in (doc._.fc_cues or [])]
        blocks = doc.user_data.get(BLOCKS_KEY)
        analysis = self.analyzer.analyze(_text(doc), blocks, terms=terms, cues=cues)
        set_claim_extensions(doc, analysis)
        return analysis


def set_claim_extensions(doc: Doc, analysis: Analysis) -> None:
    """The JSON-safe claim extensions of a doc, from an analysis."""
    doc._.claims = [c.to_report_dict() for c in analysis.claims]
    doc._.fc_dismissed = analysis.dismissed
    doc._.fc_stance = {"stance": analysis.stance, "reasons": analysis.stance_reasons}


@Language.factory(
    "factcheck_claims",
    default_config={"db_paths": [], "include_default_db": True, "jurisdiction": None},
    assigns=["doc._.claims", "doc._.fc_dismissed", "doc._.fc_stance"],
    requires=["doc._.fc_terms", "doc._.fc_cues"],
)
def make_claims(nlp: Language, name: str, db_paths: list[str], include_default_db: bool,
                jurisdiction: str | None) -> ClaimLinker:
    return ClaimLinker(name, db_paths, include_default_db, jurisdiction)
