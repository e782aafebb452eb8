"""Context filters: which cues govern a candidate's words, and which candidates they set aside."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from factcheck.models import ContextFlag, trusted
from factcheck.parse.context import Cue, governs, inside_parentheses
from factcheck.parse.lexicon import Term
from factcheck.parse.units import Unit

if TYPE_CHECKING:
    from factcheck.parse.relations import Candidate

#: context categories reported on a claim
CLAIM_CATEGORIES = ("NEGATED", "HEDGED", "REPORTED", "HYPOTHETICAL", "GUARANTEE", "TRIAL_ONLY", "OTHER_TREATMENT",
                    "PRECLINICAL")
#: categories that apply to the whole unit, whatever words they stand next to
UNIT_WIDE = ("TRIAL_ONLY", "OTHER_TREATMENT", "GUARANTEE", "REPORTED", "PRECLINICAL")
#: framings under which a sentence on a page that neither sells nor warns asserts nothing of its own; a
#: hedge ("stem cells may help RA") is still the page's claim, flagged as hedged (labels: only news and
#: information pages need an unqualified assertion, and those read as informing)
FRAMING = frozenset({"REPORTED", "HYPOTHETICAL"})


class Dismissal(TypedDict):
    """A candidate claim set aside, and why."""

    therapy: str
    condition: str | None
    reason: str
    sentence: str
    start: int
    end: int


def dismissal(text: str, unit: Unit, therapy: Term, condition: Term | None, why: str) -> Dismissal:
    return {"therapy": therapy.id, "condition": condition.id if condition else None, "reason": why,
            "sentence": text[unit.start:unit.end], "start": unit.start, "end": unit.end}


def negated(term: Term, unit: Unit, text: str, negations: list[Cue] | None = None,
            outcomes: list[Term] | None = None) -> bool:
    """``negations``: the unit's NEGATED cues, when the caller has them (saves a pass per term).

    With ``outcomes`` (the unit's promised outcomes), a negation whose nearest word is an outcome
    denies that outcome only: in "there is no cure for COPD, but our stem cell therapy helps" neither
    COPD nor the therapy is negated.
    """
    if term.method == "topic":
        return False
    pool = unit.cues if negations is None else negations
    return any(c.category == "NEGATED" and governs(c, term.start, term.end, text, unit.cues)
               and not (outcomes and c.end <= term.start and any(
                   c.start <= o.start and o.end <= term.start and few_words(text, c.end, o.start, 1)
                   for o in outcomes))
               for c in pool)


def few_words(text: str, lo: int, hi: int, n: int) -> bool:
    """At most ``n`` words between ``lo`` and ``hi`` (looks at no more than needed)."""
    return hi <= lo or (len(text[lo:min(hi, lo + 64 * (n + 1))].split()) <= n and hi - lo <= 64 * (n + 1))


#: negations whose rules give them a clause-long scope ("is not", "does not"); short-scope ones
#: ("without", "no") qualify a phrase ("without surgery") rather than the relation
CLAUSE_NEGATION_SCOPE = 5


def relation_negated(a: Term, b: Term, unit: Unit, text: str | None = None) -> Cue | None:
    """A clause negation standing between two linked mentions ("X is not a treatment for Y"); with
    ``text``, one inside an aside that closes before the second mention does not count ("Stem cells
    (not embryonic) heal CP")."""
    if a.method == "topic" or b.method == "topic":
        return None
    first, second = (a, b) if a.start <= b.start else (b, a)
    for cue in unit.cues:
        if cue.category == "NEGATED" and cue.direction == "FORWARD" and (cue.max_scope or 0) >= CLAUSE_NEGATION_SCOPE \
                and first.end <= cue.start and cue.end <= second.start \
                and not any(t.category == "TERMINATE" and first.end <= t.start < cue.start for t in unit.cues) \
                and not (text is not None and ")" in text[cue.end:second.start]
                         and inside_parentheses(text, cue.start)):
            return cue
    return None


#: cues that make a sentence on an information page someone else's word, a doubt or a warning
_NOT_OWN = frozenset({"NEGATED", "HEDGED", "REPORTED", "HYPOTHETICAL", "PRECLINICAL", "TRIAL_ONLY", "WARNING",
                      "DISCLAIMER", "INFO", "OTHER_TREATMENT"})


def own_assertion(cand: Candidate, text: str, promises: frozenset[str]) -> bool:
    """A sentence in which the page itself, unhedged, says the therapy works for the condition.

    On a page that informs or warns, such a sentence is still the page's claim ("Good evidence shows
    these injections heal tendon problems"): both terms named in it, a promised outcome (``promises``:
    outcome ids that say the patient gets better) or a benefit word (not one inside a term: "therapy")
    linking them, and nothing that makes it a report, a doubt, a question or a warning.
    """
    unit = cand.unit
    if unit.kind in ("title", "heading", "meta") or unit.text(text).rstrip().endswith("?"):
        return False
    if cand.therapy.method == "topic" or any(m.method == "topic" for m in cand.mentions):
        return False
    # a negation after all of the claim's words ("...improved, I walk without a cane") denies none of them
    last = max(t.end for t in (cand.therapy, *cand.mentions, *cand.outcomes) if t.method != "topic")
    if any(c.category in _NOT_OWN and (c.category != "NEGATED" or c.start < last) for c in unit.cues):
        return False
    if any(o.id in promises for o in cand.outcomes):
        return True
    spans = [(t.start, t.end) for t in (cand.therapy, *cand.mentions)]
    return any(c.category in ("BENEFIT", "GUARANTEE") and not any(s <= c.start and c.end <= e for s, e in spans)
               for c in unit.cues)


def context_flags(unit: Unit, text: str, terms: list[Term]) -> list[ContextFlag]:
    """The unit's cues that govern ``terms`` (or the whole unit), as report flags; negation excluded."""
    flags: list[ContextFlag] = []
    seen: set[tuple[str, int]] = set()
    for cue in unit.cues:
        if cue.category not in CLAIM_CATEGORIES or cue.category == "NEGATED" or (cue.category, cue.start) in seen:
            continue  # negation is applied to the terms themselves
        if cue.category in UNIT_WIDE or any(
            t.method != "topic" and governs(cue, t.start, t.end, text, unit.cues) for t in terms
        ):
            seen.add((cue.category, cue.start))
            flags.append(trusted(ContextFlag, category=cue.category, cue=cue.text, start=cue.start, end=cue.end,
                                 rule=cue.rule))
    return flags


def drop_non_therapies(units: list[Unit], text: str) -> None:
    """Therapy words that name no therapy given: cells the body makes ("stem cells activate neural
    progenitor cells", ENDOGENOUS cues) and a therapy that only says who another therapy's patients are
    ("MSCs for GVHD in stem cell transplant recipients", POPULATION cues) or what another therapy is
    measured against ("exosomes are less risky than live stem cells", COMPARATOR cues)."""
    for unit in units:
        if not unit.terms or not unit.cues:
            continue  # nothing to drop, or nothing to drop it for
        endogenous = [c for c in unit.cues if c.category == "ENDOGENOUS"]  # once per unit, not per term
        if endogenous:
            unit.terms = [t for t in unit.terms if not (t.label == "THERAPY" and any(
                governs(c, t.start, t.end, text, unit.cues) for c in endogenous))]
        # a therapy that says who is treated or what is compared with: dropped when another is given
        beside = [c for c in unit.cues if c.category in ("POPULATION", "COMPARATOR")]
        if beside:
            therapies = [t for t in unit.terms if t.label == "THERAPY"]
            mentioned = {id(t) for t in therapies
                         if any(governs(c, t.start, t.end, text, unit.cues) for c in beside)}
            if mentioned and len(mentioned) < len(therapies):  # another therapy is what is given
                unit.terms = [t for t in unit.terms if id(t) not in mentioned]


def drop_non_targets(units: list[Unit], text: str) -> None:
    """Conditions that are not what is treated: one named as the cause of another ("ED linked to
    diabetes", CAUSE cues) or as a side effect of the treatment ("late side effects: hair loss", ADVERSE)."""
    for unit in units:
        if not unit.terms or not unit.cues:
            continue  # nothing to drop, or nothing to drop it for
        causes = [c for c in unit.cues if c.category in ("CAUSE", "ADVERSE")]
        if causes:
            unit.terms = [t for t in unit.terms if not (t.label == "CONDITION" and any(
                governs(c, t.start, t.end, text, unit.cues) and (c.category == "ADVERSE" or any(
                    o.label == "CONDITION" and o.end <= c.start for o in unit.terms)) for c in causes))]
