"""Claims of a page: the stages put together.

mentions (lexicon, context cues) -> units -> candidate relations (``relations``) -> context filters
(``filters``) -> verdict (``match.judge``) -> page stance as one signal (``stance``) -> explained claims.
``PageAnalyzer`` holds only what is compiled from the database; no object owns a page.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace

from spacy.util import registry

from factcheck.db import EvidenceDB
from factcheck.lang.pack import LanguagePack
from factcheck.match import Judgement, applicable_records, judge, outcome_rank, scale_ceiling
from factcheck.models import FLAGGED_VERDICTS, OUTCOME_CLASS_ORDER, Claim, EvidenceRef, TermMatch, trusted
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
from factcheck.parse.relations import Candidate, PageView, RelationGenerator
from factcheck.parse.resolve import TermResolver
from factcheck.parse.stance import Stance, page_stance
from factcheck.parse.units import TOPIC_KINDS, Unit, build_units

DEFAULT_RELATIONS = "factcheck.sentence_relations.v1"
#: outcome classes that promise the patient gets better (engraftment, "reconstitution", is a step of a transplant)
PROMISE_CLASSES = tuple(c for c in OUTCOME_CLASS_ORDER if c != "reconstitution")


#: dismissals that say the page itself denies a therapy's benefit
_DENIALS = ("condition negated", "therapy negated", "the link is negated", "the sentence only denies")
#: that many denying sentences, and no more claiming ones, make a page with no stance cue one that informs
_DENYING_PAGE = 2


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
        made: list[tuple[Candidate, Claim]] = []
        for item in self.relations(PageView.build(
            text, units, self.resolver, self.treatment_nouns)):
            result = self._claim(text, item, stance, lead, models, gated, language) \
                if isinstance(item, Candidate) else item
            if isinstance(result, Claim):
                claims.append(result)
                if result.flagged and isinstance(item, Candidate):
                    made.append((item, result))
            else:
                dismissed.append(result)
        denials = len({d["start"] for d in dismissed if d["reason"].startswith(_DENIALS)})
        if stance.label == "assert" and made and denials >= _DENYING_PAGE \
                and denials >= len({c.start for _, c in made}):
            # a page that neither sells nor warns in words, yet says again and again that the therapy
            # does not do it ("Stem cell implantation is not a recovery method of autism", "the stem
            # cell cannot improve autism") denies more than it claims: it informs
            stance = Stance("inform", stance.offer, stance.inform,
                            (*stance.reasons, f"denies the therapy works in {denials} sentences"))
            for cand, claim in made:
                again = self._claim(text, cand, stance, lead, models, gated, language)
                if not isinstance(again, Claim):
                    claims.remove(claim)
                    dismissed.append(again)
        return Analysis(claims, dismissed, stance.label, list(stance.reasons), [t for u in units for t in u.terms],
                        cues)

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
