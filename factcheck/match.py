"""Verdicts: a linked claim against the evidence records of its therapy and condition.

``supported``: an accepted record (approved / guideline-accepted, in force for the jurisdiction)
covers the claimed population and the promised outcome stays within it. ``overstated``: an
accepted record exists but the claim promises more (cure, repair/regeneration, reversal,
guarantee) or names a population the record excludes. ``unproven``: only investigational,
negative, never-trialled or withdrawn records, or no record at all (``basis="default"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from factcheck.models import OVERCLAIM_CLASSES, EvidenceRecord, EvidenceRef, trusted

NO_RECORD_REASON = ("no evidence record for this therapy and condition: by default an unreviewed stem-cell "
                    "use is unproven (no approval, guideline or trial is known to support it)")


@dataclass(frozen=True, slots=True)
class Judgement:
    verdict: str
    reason: str
    basis: str
    records: tuple[EvidenceRecord, ...] = field(default_factory=tuple)

    @property
    def evidence(self) -> list[EvidenceRef]:
        return [
            trusted(EvidenceRef, record=r.id, status=r.status, sources=[s.url for s in r.sources],
                    summary=r.summary)
            for r in self.records
        ]


def in_force(record: EvidenceRecord, jurisdiction: str | None) -> bool:
    """An acceptance counts where it holds: everywhere for guidelines, locally for approvals."""
    if not record.accepted:
        return False
    if "international" in record.jurisdictions:
        return True
    if jurisdiction is not None:
        return jurisdiction in record.jurisdictions
    # with no jurisdiction given, a conditional national approval (Japan) does not carry abroad
    return not record.conditional


def _population_fits(record: EvidenceRecord, subtypes: Sequence[str]) -> bool:
    return not record.population.subtypes or not subtypes or bool(set(subtypes) & set(record.population.subtypes))


def judge(
    db: object,
    therapy: str,
    condition: str,
    *,
    subtypes: Sequence[str] = (),
    outcomes: Sequence[str] = (),
    guarantee: str | None = None,
    edss: float | None = None,
    jurisdiction: str | None = None,
) -> Judgement:
    """Verdict for one claim.

    ``subtypes``/``outcomes`` are ids found with it, ``guarantee`` a hype cue, ``edss`` the highest
    disability score (MS EDSS) the claim accepts.
    """
    records: list[EvidenceRecord] = db.records_for(therapy, condition)  # type: ignore[attr-defined]
    if not records:
        return Judgement("unproven", NO_RECORD_REASON, "default")
    accepted = [r for r in records if in_force(r, jurisdiction)]
    if not accepted:
        ranked = sorted(records, key=lambda r: (not _population_fits(r, subtypes), r.status == "withdrawn"))
        best = ranked[0]
        reason = (f"{_label(db, 'therapies', therapy)} for {_label(db, 'conditions', condition)} is "
                  f"{best.status.replace('_', ' ')} ({best.id}), yet the page presents it as a treatment")
        others = [r for r in records if r.accepted and not in_force(r, jurisdiction)]
        if others:
            where = ", ".join(sorted({j for r in others for j in r.jurisdictions}))
            reason += f" (accepted only under a conditional/local approval: {where})"
        return Judgement("unproven", reason, "record", tuple(ranked[:2]))

    fitting = [r for r in accepted if _population_fits(r, subtypes)] or accepted
    record = fitting[0]
    problems: list[str] = []
    outcome_db = db.outcomes  # type: ignore[attr-defined]
    for outcome_id in outcomes:
        category = outcome_db.get(outcome_id)
        if outcome_id in record.outcomes_not_supported or (
            category is not None and category.outcome_class in OVERCLAIM_CLASSES
            and outcome_id not in record.outcomes_supported
        ):
            name = category.name if category else outcome_id
            problems.append(f"promises '{name}', which the evidence does not support")
    excluded = _excluded(db, record, condition, subtypes)
    if excluded:
        names = ", ".join(_subtype_name(db, condition, s) for s in excluded)
        problems.append(f"offers it for {names}, where benefit is unlikely")
    if guarantee:
        problems.append(f"guarantees results ('{guarantee}')")
    ceiling = record.population.edss_max
    if edss is not None and ceiling is not None and edss > ceiling:
        problems.append(f"accepts EDSS up to {edss:g}, beyond the {ceiling:g} the evidence covers")
    status = record.status.replace("_", " ")
    if problems:
        return Judgement("overstated", f"{status} ({record.id}) only for {_population(record)}; but the claim "
                         + "; ".join(problems), "record", (record,))
    return Judgement("supported", f"{status} ({record.id}) for {_population(record)}", "record", (record,))


def _subtype_name(db: object, condition: str, subtype: str) -> str:
    cond = db.conditions.get(condition)  # type: ignore[attr-defined]
    found = next((s for s in cond.subtypes if s.id == subtype), None) if cond is not None else None
    return found.name if found is not None else subtype


def _label(db: object, table: str, key: str) -> str:
    item = getattr(db, table).get(key)
    return item.name if item is not None else key


def _population(record: EvidenceRecord) -> str:
    return (record.population.description or record.condition.replace("_", " ")).rstrip(".")


def _excluded(db: object, record: EvidenceRecord, condition: str, subtypes: Sequence[str]) -> list[str]:
    """Excluded subtypes named in the claim, unless it also restricts them to active disease."""
    hits = [s for s in subtypes if s in record.excluded_subtypes]
    if not hits:
        return []
    cond = db.conditions.get(condition)  # type: ignore[attr-defined]
    kinds = {s.id: s.kind for s in cond.subtypes} if cond is not None else {}
    qualified = any(kinds.get(s) == "activity" and s not in record.excluded_subtypes for s in subtypes)
    return [] if qualified and all(kinds.get(h) != "scope" for h in hits) else hits
