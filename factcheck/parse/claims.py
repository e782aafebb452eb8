"""Claim linking and page stance: terms + cues of a page -> explained claims.

Reads a page the way a reviewer coding clinic websites does:

1. therapies whose name is hidden are resolved from procedure cues on the page, and generic
   "stem cell therapy" mentions from the one specific therapy the page describes;
2. the page topic (title, meta description, headings) supplies the therapy or condition a
   sentence leaves implicit ("Our patients walk again" under "Stem Cell Treatment for MS");
3. in every sentence unit, therapy x condition (x outcome) are linked and the context cues that
   govern them are kept; negated mentions and statements about other drugs make no claim;
4. the page stance (offers the therapy vs informs/warns/reports) decides whether an
   unsupported claim is the page's own: information pages raise no flag.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from factcheck.lang.pack import LanguagePack
from factcheck.match import Judgement, judge
from factcheck.models import FLAGGED_VERDICTS, Claim, ContextFlag, trusted
from factcheck.parse.context import Cue, CueFinder, governs
from factcheck.parse.lexicon import Lexicon, Term
from factcheck.parse.normalize import fold, normalize_key
from factcheck.parse.sentences import split_units

TOPIC_KINDS = frozenset({"title", "meta", "heading"})
#: context categories reported on a claim
CLAIM_CATEGORIES = ("NEGATED", "HEDGED", "REPORTED", "HYPOTHETICAL", "GUARANTEE", "TRIAL_ONLY", "OTHER_TREATMENT",
                    "PRECLINICAL")


@dataclass(slots=True)
class Unit:
    start: int
    end: int
    kind: str
    terms: list[Term] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)


@dataclass(slots=True)
class Analysis:
    claims: list[Claim]
    dismissed: list[dict[str, object]]
    stance: str
    stance_reasons: list[str]
    terms: list[Term]
    cues: list[Cue]


@dataclass(frozen=True, slots=True)
class Resolution:
    therapy: str | None
    why: str


class PageAnalyzer:
    """Everything needed to check one page; built once from a database and a rule set."""

    def __init__(self, db: object, lexicon: Lexicon, cues: CueFinder, *, jurisdiction: str | None = None,
                 language: LanguagePack | None = None) -> None:
        self.db = db
        #: the pack whose sentence rules split a page when ``analyze`` is given no language
        self.language = language
        self.lexicon = lexicon
        self.cue_finder = cues
        self.jurisdiction = jurisdiction
        therapies = db.therapies.values()  # type: ignore[attr-defined]
        self._generic = {t.id for t in therapies if t.kind == "unspecified"}
        self._fixed = {normalize_key(a) for t in therapies
                       for fields in (t, *t.translations.values()) for a in fields.fixed_aliases}
        # a subtype mention names its condition only when it is unambiguous on its own
        # ("RRMS", "primary progressive"); "chronic" or "children" only qualify a named condition
        self._implying: set[tuple[str, str]] = set()
        for cond in db.conditions.values():  # type: ignore[attr-defined]
            cond_keys = {normalize_key(a) for a in [cond.name, *cond.aliases]}
            cond_keys |= {normalize_key(a) for tr in cond.translations.values() for a in tr.aliases}
            for sub in cond.subtypes:
                for alias in [*sub.aliases, *(a for tr in sub.translations.values() for a in tr.aliases)]:
                    key = normalize_key(alias)
                    if len(key.split()) >= 2 or any(k in key for k in cond_keys):
                        self._implying.add((sub.id, key))
                for abbr in [*sub.abbreviations, *(a for tr in sub.translations.values() for a in tr.abbreviations)]:
                    self._implying.add((sub.id, normalize_key(abbr)))
        # one whole-word pattern per cue group ("atg" must not fire inside another word)
        self._procedure_cues = [
            (therapy.id, cue.id, [_any_phrase(group) for group in cue.all_of])
            for therapy in db.therapies.values()  # type: ignore[attr-defined]
            for fields in (therapy, *therapy.translations.values())
            for cue in fields.procedure_cues
        ]

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - one analyzer per database, kept for the process
    def _judge(self, therapy: str, condition: str, subtypes: tuple[str, ...], outcomes: tuple[str, ...],
               guarantee: str | None, edss: float | None) -> Judgement:
        return judge(self.db, therapy, condition, subtypes=subtypes, outcomes=outcomes, guarantee=guarantee,
                     edss=edss, jurisdiction=self.jurisdiction)

    # ------------------------------------------------------------------ public
    def analyze(self, text: str, blocks: Sequence[tuple[str, int, int]] | None = None,
                terms: list[Term] | None = None, cues: list[Cue] | None = None,
                language: LanguagePack | None = None) -> Analysis:
        """Claims of one page. ``blocks`` are ``(kind, start, end)``; lines are blocks when absent.

        ``language``: the page's language pack (sentence rules); default the analyzer's own.
        """
        language = language or self.language
        terms = self.lexicon.find(text, language.code if language else "en") if terms is None else terms
        cues = self.cue_finder.find(text) if cues is None else cues
        units = self._units(text, blocks, language)
        _distribute(units, terms, cues)
        for unit in units:  # "stem cells activate neural progenitor cells": the NPCs are not a therapy
            endogenous = [c for c in unit.cues if c.category == "ENDOGENOUS"]  # once per unit, not per term
            if endogenous:
                unit.terms = [t for t in unit.terms if not (t.label == "THERAPY" and any(
                    governs(c, t.start, t.end, text, unit.cues) for c in endogenous))]
        terms = [t for u in units for t in u.terms]
        stance, reasons = self._stance(cues)
        claims, dismissed = self._link(text, units, stance)
        return Analysis(claims, dismissed, stance, reasons, terms, cues)

    # ------------------------------------------------------------------ units
    @staticmethod
    def _units(text: str, blocks: Sequence[tuple[str, int, int]] | None,
               language: LanguagePack | None = None) -> list[Unit]:
        if not blocks:
            return [Unit(s, e, "text") for s, e in split_units(text, language)]
        starts = [b[1] for b in blocks]
        units = []
        for s, e in split_units(text, language):
            i = bisect.bisect_right(starts, s) - 1
            kind = blocks[i][0] if i >= 0 and s < blocks[i][2] else "text"
            units.append(Unit(s, e, kind))
        return units

    # ------------------------------------------------------------------ stance
    def _stance(self, cues: list[Cue]) -> tuple[str, list[str]]:
        """Offer (sells or asserts) vs inform (warns, reports research or news): distinct cues vote.

        Each distinct cue counts once, with its rule's weight (a price or "contact" counts half).
        """
        def tally(categories: tuple[str, ...]) -> tuple[float, list[str]]:
            best: dict[str, float] = {}
            for c in cues:
                if c.category in categories:
                    key = c.text.lower()
                    best[key] = max(best.get(key, 0.0), c.weight)
            return sum(best.values()), sorted(best)

        offer, offer_cues = tally(("OFFER",))
        inform, inform_cues = tally(("WARNING", "TRIAL_ONLY", "INFO"))
        if inform > offer:
            stance = "inform"
        elif offer:
            stance = "offer"
        else:
            stance = "assert"  # no signal either way: only plain assertions count
        reasons = [f"offer cues ({offer:g}): {', '.join(offer_cues) or 'none'}",
                   f"inform cues ({inform:g}): {', '.join(inform_cues) or 'none'}"]
        return stance, reasons

    # ------------------------------------------------------------------ therapy resolution
    def _procedure_therapies(self, text: str) -> dict[str, str]:
        folded = fold(text)[0]
        found: dict[str, str] = {}
        for therapy_id, cue_id, groups in self._procedure_cues:
            hits = []
            for group in groups:
                m = group.search(folded)
                if m is None:
                    break
                hits.append(m.group(0))
            else:
                found.setdefault(therapy_id, f"procedure cue '{cue_id}': " + " + ".join(hits))
        return found

    def _resolver(self, text: str, units: list[Unit]) -> Resolution:
        """What a generic 'stem cell therapy' on this page stands for.

        The one specific therapy the page names or describes by procedure; when it names several,
        the one named in at least two thirds of the naming sentences; otherwise generic mentions
        are ambiguous and make no claim.
        """
        # evidence = sentence units naming the therapy (an abbreviation in brackets is the same
        # mention); a therapy only described by its procedure counts once
        named: Counter[str] = Counter()
        for unit in units:
            named.update({t.id for t in unit.terms if t.label == "THERAPY" and not self._is_generic(t)})
        by_cue = self._procedure_therapies(text)
        generic_id = next(iter(sorted(self._generic)), "stem_cell_unspecified")
        weight = Counter(named)
        for therapy_id in by_cue:
            weight[therapy_id] = max(weight[therapy_id], 1)
        weight.pop(generic_id, None)
        if not weight:
            return Resolution(generic_id, "no cell type named on the page")
        top, top_weight = weight.most_common(1)[0]
        if len(weight) == 1 or top_weight >= 2 * sum(weight.values()) / 3:
            why = by_cue.get(top) or f"the page names {top} ({named[top]} mentions)"
            if len(weight) > 1:
                why += f"; it dominates {', '.join(sorted(weight))}"
            return Resolution(top, why)
        return Resolution(None, f"ambiguous: the page names {', '.join(sorted(weight))}")

    # ------------------------------------------------------------------ linking
    def _topic(self, units: list[Unit], label: str, resolve: Resolution) -> list[Term]:
        """The therapy/condition the page is about: from title and headings, else a clear majority."""
        def tally(pool: list[Unit]) -> tuple[Counter[str], dict[str, Term]]:
            counts: Counter[str] = Counter()
            first: dict[str, Term] = {}
            for u in pool:
                for t in u.terms:
                    tid = self._term_id(t, resolve) if t.label == label else (
                        t.parent if label == "CONDITION" and t.label == "SUBTYPE" and self._implies_condition(t)
                        else None)
                    if tid:
                        counts[tid] += 1
                        first.setdefault(tid, t)
            return counts, first

        def mention(tid: str, t: Term) -> Term:
            return Term(label=label, id=tid, text=t.text, start=t.start, end=t.end,
                             alias=f"page topic ({t.text!r})", score=t.score, method="topic")

        head, first = tally([u for u in units if u.kind in TOPIC_KINDS])
        if head:
            top = head.most_common(1)[0][0]
            return [mention(top, first[top])]
        body, first = tally(units)
        if body:
            top, n = body.most_common(1)[0]
            if n >= 2 and n >= 0.6 * sum(body.values()):
                return [mention(top, first[top])]
        return []

    def _is_generic(self, term: Term) -> bool:
        return term.label == "THERAPY" and term.id in self._generic and normalize_key(term.alias) not in self._fixed

    def _implies_condition(self, term: Term) -> bool:
        return term.label == "CONDITION" or (term.id, normalize_key(term.alias)) in self._implying

    def _section_therapies(self, units: list[Unit]) -> list[Term | None]:
        """Per unit: the specific therapy its section (heading to next heading) is about, if one."""
        out: list[Term | None] = [None] * len(units)
        start = 0
        bounds = [i for i, u in enumerate(units) if u.kind in ("heading", "title")] + [len(units)]
        for end in bounds:
            if end > start:
                named: Counter[str] = Counter()
                first: dict[str, Term] = {}
                for u in units[start:end]:
                    specific = [t for t in u.terms if t.label == "THERAPY" and not self._is_generic(t)]
                    named.update({t.id for t in specific})
                    for t in specific:
                        first.setdefault(t.id, t)
                if named:
                    top, n = named.most_common(1)[0]
                    if len(named) == 1 or n >= 2 * sum(named.values()) / 3:
                        t = first[top]
                        out[start:end] = [Term(
                            label="THERAPY", id=top, text=t.text, start=t.start, end=t.end,
                            alias=f"named in this section ({t.text!r})", score=t.score, method="topic",
                        )] * (end - start)
            start = end
        return out

    def _term_id(self, term: Term, resolve: Resolution) -> str | None:
        return resolve.therapy if self._is_generic(term) else term.id

    def _link(self, text: str, units: list[Unit], stance: str) -> tuple[list[Claim], list[dict[str, object]]]:
        resolve = self._resolver(text, units)
        topic_therapies = self._topic(units, "THERAPY", resolve)
        topic_conditions = self._topic(units, "CONDITION", resolve)
        section_therapy = self._section_therapies(units)
        claims: list[Claim] = []
        dismissed: list[dict[str, object]] = []
        seen: set[tuple[str, str, int]] = set()
        for index, unit in enumerate(units):
            local = section_therapy[index]
            therapies = [t for t in unit.terms if t.label == "THERAPY"]
            # a qualifying subtype ("active", "chronic") counts only beside its condition
            named = {t.parent if t.label == "SUBTYPE" else t.id for t in unit.terms if self._implies_condition(t)}
            conditions = [t for t in unit.terms if self._implies_condition(t)
                          or (t.label == "SUBTYPE" and t.parent in named)]
            outcomes = [t for t in unit.terms if t.label == "OUTCOME"]
            if not (therapies or conditions or outcomes):
                continue
            categories = {c.category for c in unit.cues}
            anchors = [t for t in (*therapies, *conditions) if t.method != "topic"]
            benefit = bool(outcomes) or any(
                c.category in ("BENEFIT", "OFFER", "GUARANTEE") and any(_near(c, t, text) for t in anchors)
                for c in unit.cues)
            # a sentence that reports research or animal work asserts nothing about the page topic
            framed = bool(categories & {"REPORTED", "PRECLINICAL", "HYPOTHETICAL"})
            own_therapy = bool(therapies)
            # make the implicit therapy / condition explicit from the page topic
            implicit = [local] if local else topic_therapies
            if not therapies and conditions and benefit and implicit and not framed \
                    and "OTHER_TREATMENT" not in categories:
                therapies = list(implicit)
            if therapies and not conditions and benefit and topic_conditions and not framed:
                conditions = list(topic_conditions)
            if not therapies and not conditions and outcomes and implicit and topic_conditions and not framed \
                    and "OTHER_TREATMENT" not in categories:
                therapies = list(implicit)
                conditions = list(topic_conditions)
            if not therapies or not conditions:
                continue
            in_unit = {t.id for t in therapies if t.method != "topic" and not self._is_generic(t)}
            negations = [c for c in unit.cues if c.category == "NEGATED"]
            by_condition: dict[str, list[Term]] = {}  # the same for every therapy of the unit
            for cond in conditions:
                cid = cond.parent if cond.label == "SUBTYPE" and cond.parent else cond.id
                by_condition.setdefault(cid, []).append(cond)
            for therapy in therapies:
                if therapy.method == "topic":
                    therapy_id: str | None = therapy.id
                elif not self._is_generic(therapy):
                    therapy_id = therapy.id
                elif len(in_unit) == 1:
                    therapy_id, resolve_why = next(iter(in_unit)), "named in the same sentence"
                elif local:
                    therapy_id, resolve_why = local.id, "the one cell type named in this section"
                else:
                    therapy_id, resolve_why = resolve.therapy, resolve.why
                if therapy_id is None:
                    dismissed.append(_dismissal(text, unit, therapy, None, f"generic therapy is {resolve.why}"))
                    continue
                if therapy.id != therapy_id:
                    therapy = replace(
                        therapy, id=therapy_id, method="procedure_cue" if "procedure cue" in resolve_why else "topic",
                        alias=f"{therapy.alias} -> {therapy_id} ({resolve_why})")
                if own_therapy and _negated(therapy, unit, text, negations):
                    dismissed.append(_dismissal(text, unit, therapy, None, "therapy negated"))
                    continue
                for cid, mentions in by_condition.items():
                    if (therapy.id, cid, unit.start) in seen:
                        continue
                    seen.add((therapy.id, cid, unit.start))
                    claim = self._claim(text, unit, therapy, cid, mentions, outcomes, stance)
                    if isinstance(claim, Claim):
                        claims.append(claim)
                    else:
                        dismissed.append(claim)
        claims += self._eligibility_claims(text, units, section_therapy, topic_therapies, resolve, stance, dismissed,
                                           seen)
        return claims, dismissed

    def _eligibility_claims(self, text: str, units: list[Unit], section_therapy: list[Term | None],
                            topic_therapies: list[Term], resolve: Resolution, stance: str,
                            dismissed: list[dict[str, object]], seen: set[tuple[str, str, int]]) -> list[Claim]:
        """Eligibility lists ("Who can be treated?" + bullets) are claims about a population.

        The subtypes and scopes listed under such a heading, taken together, are the population the
        page offers the therapy to: "PPMS" under it is a population claim even in a bullet with no
        therapy in it, unless the list also requires active disease.
        """
        out: list[Claim] = []
        for opener in [i for i, u in enumerate(units) if any(c.category == "ELIGIBILITY" for c in u.cues)]:
            end = opener + 1
            while end < len(units) and _list_like(units[end], text):
                end += 1
            section = units[opener:end]
            therapy = section_therapy[opener] or (topic_therapies[0] if topic_therapies else None)
            if therapy is None:
                continue
            # "Conditions we treat:" + bullets naming conditions: each bullet offers the therapy
            for item in section[1:]:
                if any(t.label == "THERAPY" for t in item.terms):
                    continue  # a bullet with its own therapy was linked like any sentence
                for cond in {t.id: t for t in item.terms if t.label == "CONDITION"}.values():
                    if (therapy.id, cond.id, item.start) in seen:
                        continue
                    seen.add((therapy.id, cond.id, item.start))
                    claim = self._claim(text, item, therapy, cond.id, [cond], [], stance)
                    if isinstance(claim, Claim):
                        claim.reason = f"listed under '{text[units[opener].start:units[opener].end]}': {claim.reason}"
                        out.append(claim)
                    else:
                        dismissed.append(claim)
            subtypes = [t for u in section for t in u.terms if t.label == "SUBTYPE" and t.parent]
            if not subtypes:
                continue
            condition_id = Counter(t.parent or "" for t in subtypes).most_common(1)[0][0]
            listed = [t for t in subtypes if t.parent == condition_id]
            anchor = next(u for u in section if any(t in u.terms for t in listed))
            head = replace(listed[0], label="CONDITION", id=condition_id)
            scope = text[section[0].start:section[-1].end]
            claim = self._claim(text, anchor, therapy, condition_id, [head, *listed], [], stance, scope)
            if isinstance(claim, Claim):
                claim.reason = f"eligibility list: {claim.reason}"
                out.append(claim)
            else:
                dismissed.append(claim)
        return out

    def _claim(self, text: str, unit: Unit, therapy: Term, condition_id: str, mentions: list[Term],
               outcomes: list[Term], stance: str, scope: str | None = None) -> Claim | dict[str, object]:
        """One candidate claim in ``unit``; ``scope`` is the wider text it speaks for (an eligibility list)."""
        head = next((m for m in mentions if m.label == "CONDITION"), mentions[0])
        if head.label == "SUBTYPE":
            head = replace(head, label="CONDITION", id=condition_id)
        subtypes = [m for m in mentions if m.label == "SUBTYPE"]
        if head.method != "topic" and all(_negated(m, unit, text) for m in mentions):
            return _dismissal(text, unit, therapy, head, "condition negated")
        live_outcomes = [o for o in outcomes if not _negated(o, unit, text)]
        flags = _flags(unit, text, [therapy, head, *subtypes, *live_outcomes])
        categories = {f.category for f in flags}
        if "TRIAL_ONLY" in categories:
            return _dismissal(text, unit, therapy, head, "described as available only in trials / experimental")
        if "PRECLINICAL" in categories:
            return _dismissal(text, unit, therapy, head, "reports animal or laboratory findings, not a treatment claim")
        guarantee = next((f.cue for f in flags if f.category == "GUARANTEE"), None)
        judgement = self._judge(
            therapy.id, condition_id, tuple(s.id for s in subtypes), tuple(o.id for o in live_outcomes),
            guarantee, _edss_ceiling(text[unit.start:unit.end] if scope is None else scope))
        if stance == "inform" and judgement.verdict in FLAGGED_VERDICTS:
            return _dismissal(text, unit, therapy, head,
                              f"page informs rather than offers; would be {judgement.verdict}: {judgement.reason}")
        framing = categories & {"HEDGED", "REPORTED", "HYPOTHETICAL"}
        if stance == "assert" and judgement.verdict in FLAGGED_VERDICTS and (
                framing or text[unit.start:unit.end].rstrip().endswith("?")):
            why = ", ".join(sorted(framing)).lower() or "a question"
            return _dismissal(text, unit, therapy, head, f"page neither sells nor warns and the sentence is {why}; "
                              f"would be {judgement.verdict}: {judgement.reason}")
        outcome = _strongest_outcome(self.db, live_outcomes)
        # built by construction: the parts are typed models already and this runs per candidate
        return trusted(
            Claim,
            therapy=therapy.to_model(), condition=head.to_model(), subtypes=[t.to_model() for t in subtypes],
            outcome=outcome.to_model() if outcome is not None else None,
            verdict=judgement.verdict,
            flagged=judgement.verdict in FLAGGED_VERDICTS, reason=judgement.reason,
            basis=judgement.basis,
            sentence=text[unit.start:unit.end], start=unit.start, end=unit.end,
            context=flags, evidence=judgement.evidence,
        )


_EDSS = re.compile(r"\bEDSS\b[^.\n]{0,40}?(\d{1,2}(?:[.,]\d)?)(?:\s*(?:-|to|–)\s*(\d{1,2}(?:[.,]\d)?))?")


def _edss_ceiling(text: str) -> float | None:
    """The highest EDSS a text accepts ("EDSS up to 8", "EDSS 0-6.5"), if it names one."""
    values = []
    for m in _EDSS.finditer(text):
        for g in m.groups():
            if g:
                value = float(g.replace(",", "."))
                if value <= 10:
                    values.append(value)
    return max(values) if values else None


def _any_phrase(phrases: list[str]) -> re.Pattern[str]:
    keys = sorted({normalize_key(p) for p in phrases if normalize_key(p)}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(re.escape(k) for k in keys) + r")(?![a-z0-9])")


def _near(cue: Cue, term: Term, text: str, max_words: int = 12) -> bool:
    """A cue within ``max_words`` of a term, on either side (offer cues have no direction)."""
    lo, hi = (cue.end, term.start) if cue.end <= term.start else (term.end, cue.start)
    return hi <= lo or len(text[lo:hi].split()) <= max_words


def _list_like(unit: Unit, text: str) -> bool:
    """A bullet, a table cell, a short line, or a lead-in ending with a colon."""
    body = text[unit.start:unit.end]
    return unit.kind in ("list_item", "table_cell") or len(body.split()) <= 12 or body.rstrip().endswith(":")


def _strongest_outcome(db: object, outcomes: list[Term]) -> Term | None:
    if not outcomes:
        return None
    order = ["cure", "reversal", "regeneration", "guarantee", "halts_progression", "fewer_relapses",
             "symptom_relief", "quality_of_life"]
    outcome_db = db.outcomes  # type: ignore[attr-defined]

    def rank(t: Term) -> int:
        cat = outcome_db.get(t.id)
        return order.index(cat.outcome_class) if cat is not None and cat.outcome_class in order else len(order)

    return min(outcomes, key=rank)


def _negated(term: Term, unit: Unit, text: str, negations: list[Cue] | None = None) -> bool:
    """``negations``: the unit's NEGATED cues, when the caller has them (saves a pass per term)."""
    if term.method == "topic":
        return False
    pool = unit.cues if negations is None else negations
    return any(c.category == "NEGATED" and governs(c, term.start, term.end, text, unit.cues) for c in pool)


def _flags(unit: Unit, text: str, terms: list[Term]) -> list[ContextFlag]:
    flags: list[ContextFlag] = []
    seen: set[tuple[str, int]] = set()
    for cue in unit.cues:
        if cue.category not in CLAIM_CATEGORIES or (cue.category, cue.start) in seen:
            continue
        if cue.category in ("TRIAL_ONLY", "OTHER_TREATMENT", "GUARANTEE", "REPORTED", "PRECLINICAL") or any(
            t.method != "topic" and governs(cue, t.start, t.end, text, unit.cues) for t in terms
        ):
            if cue.category == "NEGATED":
                continue  # negation is applied to the terms themselves
            seen.add((cue.category, cue.start))
            flags.append(trusted(ContextFlag, category=cue.category, cue=cue.text, start=cue.start, end=cue.end,
                                 rule=cue.rule))
    return flags


def _distribute(units: list[Unit], terms: list[Term], cues: list[Cue]) -> None:
    starts = [u.start for u in units]
    for item in terms:
        i = bisect.bisect_right(starts, item.start) - 1
        if i >= 0 and item.start < units[i].end:
            units[i].terms.append(item)
    for cue in cues:
        i = bisect.bisect_right(starts, cue.start) - 1
        if i >= 0 and cue.start < units[i].end:
            units[i].cues.append(cue)


def _dismissal(text: str, unit: Unit, therapy: Term, condition: Term | None, why: str) -> dict[str, object]:
    return {"therapy": therapy.id, "condition": condition.id if condition else None, "reason": why,
            "sentence": text[unit.start:unit.end], "start": unit.start, "end": unit.end}
