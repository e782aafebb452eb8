"""Claims of a page: the stages put together.

mentions (lexicon, context cues) -> units -> candidate relations (``relations``) -> context filters
(``filters``) -> verdict (``match.judge``) -> page stance as one signal (``stance``) -> explained claims.
``PageAnalyzer`` holds only what is compiled from the database; no object owns a page.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from operator import attrgetter
from typing import TypeVar

from spacy.util import registry

from factcheck.db import EvidenceDB
from factcheck.lang.pack import LanguagePack
from factcheck.match import Judgement, applicable_records, judge, outcome_rank, scale_ceiling
from factcheck.models import (
    FLAGGED_VERDICTS,
    OUTCOME_CLASS_ORDER,
    Claim,
    ContextFlag,
    EvidenceRef,
    TermMatch,
    trusted,
)
from factcheck.parse.context import Cue, CueFinder, governs
from factcheck.parse.filters import (
    FRAMING,
    Dismissal,
    context_flags,
    dismissal,
    drop_non_targets,
    drop_non_therapies,
    negated,
    own_assertion,
    relation_negated,
)
from factcheck.parse.lexicon import Lexicon, Term
from factcheck.parse.relations import Candidate, PageView, RelationGenerator, SentenceRelations
from factcheck.parse.resolve import TermResolver
from factcheck.parse.stance import Stance, page_stance
from factcheck.parse.units import TOPIC_KINDS, Unit, build_units

DEFAULT_RELATIONS = "factcheck.sentence_relations.v1"
_M = TypeVar("_M", Claim, TermMatch, ContextFlag)
_Offsets = TypeVar("_Offsets", TermMatch, ContextFlag)
#: outcome classes that promise the patient gets better (engraftment, "reconstitution", is a step of a transplant)
PROMISE_CLASSES = tuple(c for c in OUTCOME_CLASS_ORDER if c != "reconstitution")


@dataclass(slots=True)
class Analysis:
    claims: list[Claim]
    dismissed: list[Dismissal]
    stance: str
    stance_reasons: list[str]
    terms: list[Term]
    cues: list[Cue]


class PageAnalyzer:
    """The claim stages, compiled once from a database and a rule set; ``analyze`` is per page."""

    def __init__(self, db: EvidenceDB, lexicon: Lexicon, cues: CueFinder, *, jurisdiction: str | None = None,
                 relations: str = DEFAULT_RELATIONS, language: LanguagePack | None = None,
                 treatment_nouns: frozenset[str] | None = None, price_rules: frozenset[str] | None = None) -> None:
        self.db = db
        #: the pack whose sentence rules split a page when ``analyze`` is given no language
        self.language = language
        self.lexicon = lexicon
        self.cue_finder = cues
        #: rule names of the benefit words that only name a treatment, in every language the pages
        #: may be in (their cues come from each language's finder); default: those of ``cues``
        self.treatment_nouns = cues.treatment_nouns if treatment_nouns is None else treatment_nouns
        #: rule names of the offer cues that quote a price, in every language (ContextRule.price)
        self.price_rules = cues.price_rules if price_rules is None else price_rules
        self.jurisdiction = jurisdiction
        self.resolver = TermResolver(db)
        #: outcomes that promise the patient gets better (not e.g. engraftment, a step of a transplant)
        self.promises = frozenset(o.id for o in db.outcomes.values() if o.outcome_class in PROMISE_CLASSES)
        self.relations: RelationGenerator = registry.misc.get(relations)()

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one analyzer per database, kept for the process
    def _judge(self, therapy: str, condition: str, subtypes: tuple[str, ...], outcomes: tuple[str, ...],
               guarantee: str | None, ceiling: float | None, named: frozenset[str],
               ) -> tuple[Judgement, tuple[EvidenceRef, ...]]:
        """The verdict and its evidence references, built once per distinct question (a long page
        asks the same few thousands of times; claims share the read-only references)."""
        judgement = judge(self.db, therapy, condition, subtypes=subtypes, outcomes=outcomes,
                          guarantee=guarantee, scale_ceiling=ceiling, jurisdiction=self.jurisdiction, named=named)
        return judgement, tuple(judgement.evidence)

    def analyze(self, text: str, blocks: Sequence[tuple[str, int, int]] | None = None,
                terms: list[Term] | None = None, cues: list[Cue] | None = None,
                language: LanguagePack | None = None) -> Analysis:
        """Claims of one page. ``blocks`` are ``(kind, start, end)``; lines are blocks when absent.

        ``language``: the page's language pack (sentence rules); default the analyzer's own.
        """
        language = language or self.language
        terms = self.lexicon.find(text, language.code if language else "en") if terms is None else terms
        cues = self.cue_finder.find(text) if cues is None else cues
        units = build_units(text, blocks, terms, cues, language)
        drop_non_therapies(units, text)
        drop_non_targets(units, text)
        stance = page_stance(cues, self.price_rules)
        lead = _news_lead(units)
        if lead is not None and lead.kind in TOPIC_KINDS and stance.label == "assert":
            # a page that neither sells nor warns and opens by retelling a study is a news report
            stance = Stance("inform", stance.offer, stance.inform,
                            (*stance.reasons, "opens with a headline over a sentence that reports research"))
        claims: list[Claim] = []
        dismissed: list[Dismissal] = []
        models: dict[int, tuple[Term, TermMatch]] = {}
        gated: dict[tuple[str, str, str], frozenset[str]] = {}
        page = PageView.build(text, units, self.resolver, self.treatment_nouns)
        items = self._unit_results(page, stance, lead, models, gated, language) \
            if isinstance(self.relations, SentenceRelations) else self.relations(page)
        for item in items:
            result = self._claim(text, item, stance, lead, models, gated, language) \
                if isinstance(item, Candidate) else item
            if isinstance(result, Claim):
                claims.append(result)
            else:
                dismissed.append(result)
        return Analysis(claims, dismissed, stance.label, list(stance.reasons), [t for u in units for t in u.terms],
                        cues)

    def _unit_results(self, page: PageView, stance: Stance, lead: Unit | None,
                      models: dict[int, tuple[Term, TermMatch]], gated: dict[tuple[str, str, str], frozenset[str]],
                      language: LanguagePack | None) -> Iterator[Claim | Dismissal | Candidate]:
        """What ``SentenceRelations`` and ``_claim`` make of each unit, then the lists' candidates.

        A long page repeats its sentences (one of 18,481 units had 6,004 distinct texts): a unit whose
        text was seen before is looked up by everything its candidates and claims read
        (``_unit_key``) and, when another unit read the same, that unit's results are replayed with
        the offsets of this one (``_Replay``) instead of being worked out again.
        """
        text, units = page.text, page.units
        seen: set[tuple[str, str, int]] = set()
        first: dict[str, int] = {}  # unit text -> the first unit with it
        done: dict[int, _Replay] = {}  # results of the units that may be asked for again
        cache: dict[tuple[object, ...], _Replay] = {}
        keyed: set[int] = set()
        for index, unit in enumerate(units):
            if not (unit.terms or unit.cues):  # names nothing and points back to nothing
                continue
            body = text[unit.start:unit.end]
            earlier = first.setdefault(body, index)
            key = None
            if earlier != index:
                if earlier not in keyed:
                    keyed.add(earlier)
                    earlier_key = _unit_key(page, earlier, lead)
                    if earlier_key is not None and earlier in done:
                        cache.setdefault(earlier_key, done.pop(earlier))
                key = _unit_key(page, index, lead)
                known = cache.get(key) if key is not None else None
                if known is not None:
                    for therapy_id, condition_id in known.pairs:
                        seen.add((therapy_id, condition_id, unit.start))
                    yield from known.moved(unit)
                    continue
            made = _Replay(units[index])
            for item in SentenceRelations.unit_items(page, index, seen):
                if isinstance(item, Candidate):
                    made.pairs.append((item.therapy.id, item.condition_id))
                    result = self._claim(text, item, stance, lead, models, gated, language)
                else:
                    result = item
                made.results.append(result)
                yield result
            if key is not None:
                cache.setdefault(key, made)
            elif earlier == index:
                done[index] = made
        yield from SentenceRelations.list_items(page, seen)

    def _claim(self, text: str, cand: Candidate, stance: Stance, lead: Unit | None = None,
               models: dict[int, tuple[Term, TermMatch]] | None = None,
               gated: dict[tuple[str, str, str], frozenset[str]] | None = None,
               language: LanguagePack | None = None) -> Claim | Dismissal:
        """Context filters, verdict and stance for one candidate. ``models``: the page's terms already
        turned into report models, by ``id`` (each kept with its term, so no id is reused); ``gated``:
        the page's ``applicable_records`` answers so far, by therapy, condition and sentence."""
        unit, therapy, mentions = cand.unit, cand.therapy, cand.mentions
        head = next((m for m in mentions if m.label == "CONDITION"), mentions[0])
        if head.label == "SUBTYPE":
            head = replace(head, label="CONDITION", id=cand.condition_id)
        subtypes = [m for m in mentions if m.label == "SUBTYPE"]
        # a denied cure ("no cure for X") negates X only when the sentence names no therapy of its own
        own = cand.outcomes if therapy.method != "topic" else None
        if head.method != "topic" and all(negated(m, unit, text, outcomes=own) for m in mentions):
            return dismissal(text, unit, therapy, head, "condition negated")
        denial = relation_negated(therapy, head, unit, text)
        if denial is not None:
            return dismissal(text, unit, therapy, head, f"the link is negated ('{denial.text}')")
        live_outcomes = cand.live_outcomes if cand.live_outcomes is not None else [
            o for o in cand.outcomes if not negated(o, unit, text)]
        if cand.outcomes and not live_outcomes and not cand.via and not _predicates(unit, [therapy, *mentions], text):
            # "stem cell therapy for CP is not FDA-approved": all the sentence says of the pair is denied
            return dismissal(text, unit, therapy, head, "the sentence only denies an outcome of the therapy "
                             f"('{cand.outcomes[0].text}')")
        flags = context_flags(unit, text, [therapy, head, *subtypes, *live_outcomes])
        categories = {f.category for f in flags}
        if "TRIAL_ONLY" in categories:
            return dismissal(text, unit, therapy, head, "described as available only in trials / experimental")
        if "PRECLINICAL" in categories:
            return dismissal(text, unit, therapy, head, "reports animal or laboratory findings, not a treatment claim")
        if "REPORTED" in categories and not cand.product:
            return dismissal(text, unit, therapy, head, "reports research on a therapy the page does not offer")
        if unit.text(text).rstrip().endswith("?"):
            return dismissal(text, unit, therapy, head, "a question asks; it asserts nothing")
        guarantee = next((f.cue for f in flags if f.category == "GUARANTEE"), None)
        said = text[unit.start:unit.end] if cand.scope is None else cand.scope
        sentence = f"{therapy.text} {said}"
        key = (therapy.id, cand.condition_id, sentence)
        named = gated.get(key) if gated is not None else None
        if named is None:
            # a long page repeats its sentences: each pair asks once per distinct sentence
            named = applicable_records(self.db, therapy.id, cand.condition_id, sentence, text)
            if gated is not None:
                gated[key] = named
        judgement, evidence = self._judge(
            therapy.id, cand.condition_id, tuple(s.id for s in subtypes), tuple(o.id for o in live_outcomes),
            guarantee, scale_ceiling(self.db, cand.condition_id, said), named)
        if unit is lead and stance.label != "offer" and judgement.verdict in FLAGGED_VERDICTS:
            return dismissal(text, unit, therapy, head, "the page's first line restates the research its next "
                             f"sentence reports (a news headline); would be {judgement.verdict}: {judgement.reason}")
        if stance.label == "inform" and judgement.verdict in FLAGGED_VERDICTS \
                and not own_assertion(cand, text, self.promises):
            return dismissal(text, unit, therapy, head,
                             f"page informs rather than offers; would be {judgement.verdict}: {judgement.reason}")
        told = language.narrated(unit.text(text)) if stance.label == "inform" and language is not None \
            and judgement.verdict in FLAGGED_VERDICTS else None
        if told is not None:
            return dismissal(text, unit, therapy, head, f"page informs and the sentence narrates what happened "
                             f"('{told}'): a report, not its own claim; would be {judgement.verdict}: "
                             f"{judgement.reason}")
        if judgement.verdict == "overstated" and "HEDGED" in categories:
            return dismissal(text, unit, therapy, head, f"hedged: a statement that something may be so does not "
                             f"overstate; would be overstated: {judgement.reason}")
        if stance.label == "assert" and judgement.verdict in FLAGGED_VERDICTS and unit.kind in ("title", "heading") \
                and not _predicates(unit, [therapy, *mentions]):
            return dismissal(text, unit, therapy, head, "a headline naming a topic on a page that neither sells nor "
                             f"warns asserts nothing; would be {judgement.verdict}: {judgement.reason}")
        framing = categories & FRAMING
        if stance.label == "assert" and judgement.verdict in FLAGGED_VERDICTS and framing:
            why = ", ".join(sorted(framing)).lower()
            return dismissal(text, unit, therapy, head, f"page neither sells nor warns and the sentence is {why}; "
                             f"would be {judgement.verdict}: {judgement.reason}")
        outcome = min(live_outcomes, key=lambda t: outcome_rank(self.db, t.id), default=None)
        reason = f"{cand.via}: {judgement.reason}" if cand.via else judgement.reason
        # built by construction: the parts are typed models already and this runs per candidate
        model = _model_of if models is None else functools.partial(_shared_model, models)
        return trusted(
            Claim,
            therapy=model(therapy), condition=model(head), subtypes=[model(t) for t in subtypes],
            outcome=model(outcome) if outcome is not None else None,
            verdict=judgement.verdict,
            flagged=judgement.verdict in FLAGGED_VERDICTS, reason=reason,
            basis=judgement.basis,
            sentence=text[unit.start:unit.end], start=unit.start, end=unit.end,
            context=flags, evidence=list(evidence),
        )


def _model_of(term: Term) -> TermMatch:
    return term.to_model()


def _shared_model(models: dict[int, tuple[Term, TermMatch]], term: Term) -> TermMatch:
    """One report model per term of a page: a page topic or a sentence's therapy is in many claims,
    which share the (read-only) model."""
    known = models.get(id(term))
    if known is None:
        known = models[id(term)] = (term, term.to_model())
    return known[1]


def _news_lead(units: list[Unit]) -> Unit | None:
    """A news page's headline restating the study its first sentence reports: the page's first line, or
    the last of the headings it opens with ("Blog name / Adult Stem Cell Therapy Puts Lupus Into
    Remission / As reported by JAMA, ..."), when the sentence after it reports."""
    first_body = next((i for i, u in enumerate(units) if u.kind not in TOPIC_KINDS), len(units))
    head = max(first_body - 1, 0)
    if head + 1 < len(units) and any(c.category == "REPORTED" for c in units[head + 1].cues):
        return units[head]
    return None


def _predicates(unit: Unit, terms: list[Term], text: str | None = None) -> bool:
    """Does the unit say something of its terms ("X is excellent for treating Y"), beyond naming them
    ("Stem Cell Therapy for Stroke")? A benefit or guarantee word outside every term; with ``text``,
    one that no negation governs."""
    spans = [(t.start, t.end) for t in terms if t.method != "topic"]
    negations = [c for c in unit.cues if c.category == "NEGATED"] if text is not None else []
    return any(c.category in ("BENEFIT", "GUARANTEE") and not any(s <= c.start and c.end <= e for s, e in spans)
               and not any(governs(n, c.start, c.end, text or "", unit.cues) for n in negations)
               for c in unit.cues)


#: how far ``_service_line``'s label pattern reads from a unit's start, and ``inside_parentheses``
#: back from a cue (relations.py, context.py): the text a unit's results may read outside the unit
_READS_AFTER_START = 62
_READS_BEFORE = 80
_SERVICE_KINDS = TOPIC_KINDS | {"list_item", "table_cell"}
#: the fields of a term and a cue besides their offsets (read in C)
_TERM_FIELDS = attrgetter("label", "id", "text", "alias", "score", "method", "parent")
_CUE_FIELDS = attrgetter("category", "direction", "text", "rule", "max_scope", "weight", "barriers")


def _unit_key(page: PageView, index: int, lead: Unit | None) -> tuple[object, ...] | None:
    """Everything the candidates and claims of ``page.units[index]`` read, with the unit's own
    offsets made relative to its start (None: the unit's results are not to be shared).

    The unit's text, kind, terms and cues (all their fields); the text around it that the label
    pattern and the aside test may read; whether it is the page's news lead; the mentions lent to it
    (its section's therapy; the therapy a story named just before, which only a unit naming neither a
    therapy nor a condition reads). Page-level inputs (topics, resolution, products, stance) are
    the same for every unit of the page. Lent mentions keep their own offsets: a unit that one of
    them lies in is not shared, so a result's offset inside the unit is always the unit's own.
    """
    text, unit, resolver = page.text, page.units[index], page.resolver
    start, end = unit.start, unit.end
    section = page.section_therapy[index]
    therapy = any(t.label == "THERAPY" for t in unit.terms)
    condition = any(resolver.implies_condition(t) for t in unit.terms)
    # a story's therapy is lent only to a unit that names neither side and has no other therapy to borrow
    prior = page.prior_therapy[index] if page.prior_therapy and not therapy and not condition \
        and section is None and not page.topic_therapies else None
    for lent in (section, prior, *page.topic_therapies, *page.topic_conditions):
        if lent is not None and lent.start < end and start < lent.end:
            return None
    body = text[start:end]
    # the label pattern is tried only on a unit that names a condition and no therapy, and reads past a
    # short one; the aside test only for a negation, when the unit closes a parenthesis
    after = text[end:start + _READS_AFTER_START] if condition and not therapy and unit.kind not in _SERVICE_KINDS \
        else None
    before = text[max(0, start - _READS_BEFORE):start] if ")" in body and any(
        c.category == "NEGATED" for c in unit.cues) else None
    return (body, unit.kind, unit is lead, after, before,
            None if section is None else id(section), None if prior is None else id(prior),
            tuple(map(_TERM_FIELDS, unit.terms)), tuple(map(_CUE_FIELDS, unit.cues)),
            tuple([x - start for t in unit.terms for x in (t.start, t.end)]),
            tuple([x - start for c in unit.cues for x in (c.start, c.end)]))


class _Replay:
    """A unit's results (claims and dismissals, in order) and the pairs its candidates linked."""

    __slots__ = ("pairs", "results", "unit")

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.results: list[Claim | Dismissal] = []
        self.pairs: list[tuple[str, str]] = []

    def moved(self, unit: Unit) -> Iterator[Claim | Dismissal]:
        """The results as ``unit`` (same text, same key) gets them: offsets inside the first unit
        move with it; those of lent mentions (outside it) stay."""
        delta = unit.start - self.unit.start
        lo, hi = self.unit.start, self.unit.end
        for result in self.results:
            if isinstance(result, Claim):
                values = dict(result.__dict__)
                values["therapy"] = _moved_term(result.therapy, lo, hi, delta)
                values["condition"] = _moved_term(result.condition, lo, hi, delta)
                values["subtypes"] = [_moved_term(t, lo, hi, delta) for t in result.subtypes]
                if result.outcome is not None:
                    values["outcome"] = _moved_term(result.outcome, lo, hi, delta)
                values["start"] = result.start + delta
                values["end"] = result.end + delta
                values["context"] = [_moved(f, delta) for f in result.context]
                values["evidence"] = list(result.evidence)
                yield _rebuilt(result, values)
            else:
                yield {**result, "start": result["start"] + delta, "end": result["end"] + delta}


def _moved_term(term: TermMatch, lo: int, hi: int, delta: int) -> TermMatch:
    return _moved(term, delta) if lo <= term.start < hi else term


def _moved(model: _Offsets, delta: int) -> _Offsets:
    values = dict(model.__dict__)
    values["start"] = model.start + delta
    values["end"] = model.end + delta
    return _rebuilt(model, values)


def _rebuilt(model: _M, values: dict[str, object]) -> _M:
    """A copy of ``model`` with ``values`` as its fields (the same fields set: report lines leave unset ones out)."""
    obj = model.__class__.__new__(model.__class__)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(model.__pydantic_fields_set__))
    object.__setattr__(obj, "__pydantic_extra__", model.__pydantic_extra__)
    object.__setattr__(obj, "__pydantic_private__", model.__pydantic_private__)
    return obj
