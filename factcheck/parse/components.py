"""spaCy pipeline components (registered factories; also declared as entry points).

``factcheck_sentences`` -> ``factcheck_terms`` -> ``factcheck_context`` -> ``factcheck_claims``.
Each holds its configuration and the ``Resources`` (database, language packs, cue rules) it was
initialised with or built from that configuration; components pickle as their configuration
(``nlp.pipe(n_process=2)`` under spawn rebuilds once per process). Extension values are JSON-safe.
A doc's language (``doc.lang_``, or the checker's ``fc_lang``) selects its pack.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy
import srsly
from spacy.attrs import IDX, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from factcheck.lang.pack import LanguagePack
from factcheck.parse.claims import Analysis, PageAnalyzer
from factcheck.parse.context import Cue, CueFinder
from factcheck.parse.lexicon import Lexicon, Term
from factcheck.parse.sentences import split_units

if TYPE_CHECKING:
    from factcheck.resources import Resources

TERMS_KEY = "fc_terms"
CUES_KEY = "fc_cues"
#: ``doc.user_data`` keys a caller may fill before the pipeline runs
BLOCKS_KEY = "fc_blocks"  # [(kind, start, end), ...]
PRECOMPUTED_KEY = "fc_precomputed"  # {"terms": [...], "cues": [...]} found on the unmasked page text
TEXT_KEY = "fc_text"  # the unmasked page text, when doc.text has off-topic blocks blanked
LANG_KEY = "fc_lang"  # the page's language (ISO 639-1), when it differs from the pipeline's
LANG_SPANS_KEY = "fc_lang_spans"  # [(start, end, lang), ...]: blocks in another language than the page

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


# ---------------------------------------------------------------------- resources
class _Configured:
    """Base: a component that is its JSON configuration plus the ``Resources`` built from it.

    ``initialize(resources=...)`` hands it resources built elsewhere (the checker builds one set
    for all four components); otherwise it builds its own from its configuration on first use.
    ``to_disk`` writes the user's records, rules and packs with the component (like SpanRuler's
    patterns); pickling carries the configuration and another process rebuilds from it.
    """

    name: str
    cfg: dict[str, Any]
    _resources: Resources | None = None

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None,
                   resources: Resources | None = None) -> None:
        if resources is not None:
            self._resources = resources
            self.cfg = {**self.cfg, **resources.config.to_json()}

    @property
    def resources(self) -> Resources:
        if self._resources is None:
            from factcheck.resources import ResourceConfig, build

            self._resources = build(ResourceConfig.from_json(self.cfg))
        return self._resources

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.json_dumps(self.cfg).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> _Configured:
        self.cfg = srsly.json_loads(data.decode("utf-8"))
        self._resources = None
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        srsly.write_json(p / "cfg.json", self.cfg)
        self.resources.to_disk(p / "resources")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> _Configured:
        from factcheck.resources import Resources

        p = Path(path)
        self.cfg = srsly.read_json(p / "cfg.json")
        if (p / "resources" / "resources.json").is_file():
            # the saved copies of the user's records, rules and packs, not the paths they came from
            self.cfg = {**self.cfg, **Resources.config_on_disk(p / "resources").to_json()}
        self._resources = None
        return self

    def __reduce__(self) -> tuple[Callable[..., Any], tuple[Any, ...]]:
        return (_rebuild, (type(self), self.name, self.cfg))


def _rebuild(cls: type[_Configured], name: str, cfg: dict[str, Any]) -> _Configured:
    obj = cls.__new__(cls)
    obj.name, obj.cfg = name, cfg
    return obj


def _resource_cfg(db_paths: list[str] | None = None, include_default_db: bool = True, rules_path: str | None = None,
                  extra_rules: list[dict[str, Any]] | None = None, languages: list[str] | None = None,
                  jurisdiction: str | None = None) -> dict[str, Any]:
    return {"db_paths": list(db_paths or []), "include_default_db": include_default_db, "rules_path": rules_path,
            "extra_rules": list(extra_rules or []), "languages": None if languages is None else list(languages),
            "jurisdiction": jurisdiction}


#: every component's configuration: how to build its ``Resources`` (the checker gives all four the same)
RESOURCE_CONFIG: dict[str, Any] = _resource_cfg()


def doc_language(doc: Doc) -> str:
    """The language of a doc's page: set by the checker, else the pipeline's (``spacy.blank("es")``)."""
    return str(doc.user_data.get(LANG_KEY) or doc.lang_ or "en")


# ---------------------------------------------------------------------- sentences
class SentenceUnits(_Configured):
    """Sentence starts that respect blocks: every newline ends a unit (headings, bullets)."""

    _packs: dict[str, LanguagePack] | None = None

    def __init__(self, name: str, languages: list[str] | None = None) -> None:
        self.name, self.cfg = name, {"languages": languages}

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None,
                   resources: Resources | None = None) -> None:
        if resources is not None:
            self._packs = dict(resources.languages)
            self.cfg = {"languages": resources.config.languages}

    def _pack(self, lang: str) -> LanguagePack:
        if not self._packs:
            from factcheck.resources import ResourceConfig, build_languages

            self._packs = build_languages(ResourceConfig.from_json(self.cfg))
        return self._packs.get(lang) or self._packs["en"]

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        import shutil

        p = Path(path)
        p.mkdir(parents=True, exist_ok=True)
        saved: list[str] | None = None
        if self.cfg.get("languages") is not None:
            saved = []
            for spec in self.cfg["languages"]:
                if Path(spec).is_dir():  # a user's pack folder travels with the pipeline
                    target = p / "lang" / Path(spec).name
                    shutil.rmtree(target, ignore_errors=True)
                    shutil.copytree(spec, target)
                    saved.append(f"lang/{Path(spec).name}")
                else:
                    saved.append(spec)
        srsly.write_json(p / "cfg.json", {**self.cfg, "languages": saved})

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> SentenceUnits:
        p = Path(path)
        cfg = srsly.read_json(p / "cfg.json")
        if cfg.get("languages") is not None:
            cfg["languages"] = [str(p / s) if s.startswith("lang/") else s for s in cfg["languages"]]
        self.cfg = cfg
        self._packs = None
        return self

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> SentenceUnits:
        self.cfg = srsly.json_loads(data.decode("utf-8"))
        self._packs = None
        return self

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        language = self._pack(doc_language(doc))
        # one array write: setting Token.is_sent_start per token re-scans the doc each time
        idx = _token_starts(doc)
        flags = numpy.full(len(doc), -1, dtype=numpy.int64)
        starts = numpy.searchsorted(idx, [s for s, _ in split_units(_text(doc), language)])
        flags[starts[starts < len(doc)]] = 1
        flags[0] = 1
        doc.from_array([SENT_START], flags.view(numpy.uint64).reshape(-1, 1))  # type: ignore[arg-type]
        return doc


@Language.factory("factcheck_sentences", default_config={"languages": None}, assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str, languages: list[str] | None) -> SentenceUnits:
    return SentenceUnits(name, languages)


# ---------------------------------------------------------------------- terms
class TermRecognizer(_Configured):
    """Therapies, conditions, subtypes and outcome cues from the evidence database's aliases."""

    def __init__(self, name: str, cfg: dict[str, Any]) -> None:
        self.name, self.cfg = name, cfg

    @property
    def lexicon(self) -> Lexicon:
        return self.resources.lexicon

    def __call__(self, doc: Doc) -> Doc:
        pre = doc.user_data.get(PRECOMPUTED_KEY)
        terms = ([Term(**t) for t in pre["terms"]] if pre else
                 self.lexicon.find(doc.text, doc_language(doc), doc.user_data.get(LANG_SPANS_KEY)))
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
    default_config=RESOURCE_CONFIG,
    assigns=["doc.spans", "doc._.fc_terms", "span._.fc_match"],
)
def make_terms(nlp: Language, name: str, db_paths: list[str], include_default_db: bool, rules_path: str | None,
               extra_rules: list[dict[str, Any]], languages: list[str] | None,
               jurisdiction: str | None) -> TermRecognizer:
    return TermRecognizer(name, _resource_cfg(db_paths, include_default_db, rules_path, extra_rules, languages,
                                              jurisdiction))


# ---------------------------------------------------------------------- context
class ContextCues(_Configured):
    """Context cues (negation, hedging, reported research, offers, warnings...) from data rules."""

    def __init__(self, name: str, cfg: dict[str, Any]) -> None:
        self.name, self.cfg = name, cfg

    def add_rules(self, rules: list[dict[str, Any]]) -> None:
        """Add cue rules (same shape as context_rules.json entries); validated now."""
        self._resources = self.resources.with_rules(rules)
        self.cfg = {**self.cfg, **self._resources.config.to_json()}

    @property
    def finder(self) -> CueFinder:
        """The English cue finder (``resources.cue_finder(lang)`` for another language)."""
        return self.resources.cue_finder("en")

    def __call__(self, doc: Doc) -> Doc:
        pre = doc.user_data.get(PRECOMPUTED_KEY)
        cues = [_cue(c) for c in pre["cues"]] if pre else find_cues(
            self.resources, doc.text, doc_language(doc), doc.user_data.get(LANG_SPANS_KEY))
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


def find_cues(resources: Resources, text: str, lang: str,
              spans: list[tuple[int, int, str]] | None = None) -> list[Cue]:
    """Cues of a page in ``lang``; blocks in another language (``spans``) are read with that language's rules."""
    cues = resources.cue_finder(lang).find(text)
    if not spans:
        return cues
    inside = sorted((s, e) for s, e, _ in spans)
    starts = [s for s, _ in inside]

    def within(pos: int) -> bool:
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos < inside[i][1]

    out = [c for c in cues if not within(c.start)]
    for start, end, other in spans:
        # the block's own text, so its rules see its words only; offsets shifted back to the page
        for c in resources.cue_finder(other).find(text[start:end]):
            out.append(dataclasses.replace(c, start=c.start + start, end=c.end + start))
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    return out


@Language.factory(
    "factcheck_context",
    default_config=RESOURCE_CONFIG,
    assigns=["doc.spans", "doc._.fc_cues"],
)
def make_context(nlp: Language, name: str, db_paths: list[str], include_default_db: bool, rules_path: str | None,
                 extra_rules: list[dict[str, Any]], languages: list[str] | None,
                 jurisdiction: str | None) -> ContextCues:
    return ContextCues(name, _resource_cfg(db_paths, include_default_db, rules_path, extra_rules, languages,
                                           jurisdiction))


# ---------------------------------------------------------------------- claims
class ClaimLinker(_Configured):
    """Links terms into claims, decides the page stance and gives each claim its verdict."""

    def __init__(self, name: str, cfg: dict[str, Any]) -> None:
        self.name, self.cfg = name, cfg

    @property
    def analyzer(self) -> PageAnalyzer:
        return self.resources.analyzer

    def __call__(self, doc: Doc) -> Doc:
        self.analyze_doc(doc)
        return doc

    def analyze_doc(self, doc: Doc) -> Analysis:
        """Set the claim extensions and return the analysis (with pydantic ``Claim`` objects)."""
        terms = [Term(**t) for t in (doc._.fc_terms or [])]
        cues = [_cue(c) for c in (doc._.fc_cues or [])]
        blocks = doc.user_data.get(BLOCKS_KEY)
        analysis = self.analyzer.analyze(_text(doc), blocks, terms=terms, cues=cues,
                                         language=self.resources.pack(doc_language(doc)))
        set_claim_extensions(doc, analysis)
        return analysis


def set_claim_extensions(doc: Doc, analysis: Analysis) -> None:
    """The JSON-safe claim extensions of a doc, from an analysis."""
    doc._.claims = [c.to_report_dict() for c in analysis.claims]
    doc._.fc_dismissed = analysis.dismissed
    doc._.fc_stance = {"stance": analysis.stance, "reasons": analysis.stance_reasons}


@Language.factory(
    "factcheck_claims",
    default_config=RESOURCE_CONFIG,
    assigns=["doc._.claims", "doc._.fc_dismissed", "doc._.fc_stance"],
    requires=["doc._.fc_terms", "doc._.fc_cues"],
)
def make_claims(nlp: Language, name: str, db_paths: list[str], include_default_db: bool, rules_path: str | None,
                extra_rules: list[dict[str, Any]], languages: list[str] | None,
                jurisdiction: str | None) -> ClaimLinker:
    return ClaimLinker(name, _resource_cfg(db_paths, include_default_db, rules_path, extra_rules, languages,
                                           jurisdiction))
