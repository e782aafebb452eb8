"""Verdicts: a linked claim against the evidence records of its therapy and condition.

``supported``: an accepted record (approved / guideline-accepted, in force for the jurisdiction)
covers the claimed population and the promised outcome stays within it. ``overstated``: an
accepted record exists but the claim promises more (cure, repair/regeneration, reversal,
guarantee) or names a population the record excludes. ``unproven``: only investigational,
negative, never-trialled or withdrawn records, or no record at all (``basis="default"``).

Which record decides: records that do not apply to the claim are set aside first (an accepted
product record when the page does not name the product; a record whose wording the claim does not
use, see ``EvidenceRecord.requires_wording``); of the rest the most specific one that fits wins:
a named product, then a record whose population the claim names, then a general record.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from factcheck.db import NO_RECORD_REASON, NO_RECORD_VERDICT, EvidenceDB
from factcheck.models import (
    OUTCOME_CLASS_ORDER,
    OVERCLAIM_CLASSES,
    Condition,
    EvidenceRecord,
    EvidenceRef,
    trusted,
)
from factcheck.parse.normalize import fold, normalize_key

__all__ = [
    "NO_RECORD_REASON",
    "OUTCOME_CLASS_ORDER",
    "Judgement",
    "applicable_records",
    "in_force",
    "judge",
    "outcome_rank",
    "scale_ceiling",
]


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


# --------------------------------------------------------------------------- which records apply


def _gated(record: EvidenceRecord) -> bool:
    """A record that applies only when the text names its product or uses its wording."""
    return bool((record.accepted and record.product_names) or record.requires_wording or record.excludes_wording)


@functools.lru_cache(maxsize=512)
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    body = _body(phrases)
    return None if body is None else re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")


def _body(phrases: tuple[str, ...]) -> str | None:
    keys = sorted({normalize_key(p) for p in phrases} - {""}, key=len, reverse=True)
    if not keys:
        return None
    return "|".join(r"\s+".join(re.escape(w) for w in k.split()) for k in keys)


@functools.lru_cache(maxsize=512)
def _phrase_finder(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """``_phrases`` without its boundary tests: ``re`` skips to the places a phrase starts by its
    first characters, which it cannot do past a leading lookbehind (it tries every position)."""
    body = _body(phrases)
    return None if body is None else re.compile(f"(?:{body})")


def _says(phrases: Sequence[str], folded: str) -> bool:
    pattern = _phrases(tuple(phrases))
    return pattern is not None and pattern.search(folded) is not None


@functools.lru_cache(maxsize=32)  # a few product lists per page; small, since keys pin page texts
def _page_says(phrases: tuple[str, ...], folded_page: str) -> bool:
    """``_says`` for a whole page, once per page and phrase list (every claim of the page asks).

    The pattern is tried only where its phrases start (``_phrase_finder``), each place in turn: a
    match of the pattern is a match of the finder at the same place (~35 -> ~2 ms on a 1 MB page)."""
    pattern, finder = _phrases(phrases), _phrase_finder(phrases)
    if pattern is None or finder is None:
        return False
    pos = 0
    while (found := finder.search(folded_page, pos)) is not None:
        if pattern.match(folded_page, found.start()) is not None:
            return True
        pos = found.start() + 1
    return False


def applicable_records(db: EvidenceDB, therapy: str, condition: str, sentence: str, page: str = "") -> frozenset[str]:
    """Ids of the pair's product and wording records that apply to a claim in ``sentence`` on ``page``.

    A product record applies when the page (or the sentence) names the product (an unaccepted one
    also speaks for its population without that); a record with ``requires_wording`` when the
    sentence uses one of its phrases (or names its product) and none of its ``excludes_wording``.
    Pass the result to ``judge(named=...)``.
    """
    candidates = [r for r in db.records_for(therapy, condition)
                  if r.product_names or r.requires_wording or r.excludes_wording]
    if not candidates:
        return frozenset()
    # uncached fold: fold's cache holds whole pages, which a sentence must not evict
    said = fold.__wrapped__(sentence)[0]
    out = set()
    for record in candidates:
        product_named = bool(record.product_names) and (
            _says(record.product_names, said)
            or bool(page and _page_says(tuple(record.product_names), fold(page)[0])))
        if record.accepted and record.product_names and not product_named:
            continue
        if record.requires_wording and not (product_named or _says(record.requires_wording, said)):
            continue
        if record.excludes_wording and _says(record.excludes_wording, said):
            continue
        if product_named or record.requires_wording or record.excludes_wording:
            out.add(record.id)
    return frozenset(out)


# --------------------------------------------------------------------------- scales and outcomes


@functools.lru_cache(maxsize=64)
def _scale_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def scale_ceiling(db: EvidenceDB, condition: str, text: str) -> float | None:
    """The highest score a text accepts on the condition's scale ("EDSS up to 8" -> 8), if it names one."""
    cond = db.conditions.get(condition)
    scale = cond.scale if cond is not None else None
    if scale is None:
        return None
    values = [
        value
        for m in _scale_pattern(scale.pattern).finditer(text)
        for group in m.groups() if group
        for value in [_number(group)]
        if value is not None and scale.min <= value <= scale.max
    ]
    return max(values) if values else None


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def outcome_rank(db: EvidenceDB, outcome_id: str) -> int:
    """Position of an outcome's class in ``OUTCOME_CLASS_ORDER`` (0 = strongest promise)."""
    category = db.outcomes.get(outcome_id)
    if category is None or category.outcome_class not in OUTCOME_CLASS_ORDER:
        return len(OUTCOME_CLASS_ORDER)
    return OUTCOME_CLASS_ORDER.index(category.outcome_class)


# --------------------------------------------------------------------------- the verdict


def judge(
    db: EvidenceDB,
    therapy: str,
    condition: str,
    *,
    subtypes: Sequence[str] = (),
    outcomes: Sequence[str] = (),
    guarantee: str | None = None,
    scale_ceiling: float | None = None,
    jurisdiction: str | None = None,
    named: Collection[str] = (),
) -> Judgement:
    """Verdict for one claim.

    ``subtypes``/``outcomes`` are ids found with it, ``guarantee`` a hype cue, ``scale_ceiling``
    the highest score on the condition's scale the claim accepts (see ``scale_ceiling()``),
    ``named`` the gated records that apply to it (see ``applicable_records()``).
    """
    every = db.records_for(therapy, condition)
    records = [r for r in every if not _gated(r) or r.id in named]
    if not records:
        return Judgement(NO_RECORD_VERDICT, NO_RECORD_REASON + _unnamed_products(every), "default")
    cond = db.conditions.get(condition)
    accepted = [r for r in records if in_force(r, jurisdiction)]
    if not accepted:
        ranked = sorted(records, key=lambda r: (*_precedence(r, cond, subtypes, named), r.status == "withdrawn"))
        best = ranked[0]
        reason = (f"{_label(db, therapy, condition)} is {best.status.replace('_', ' ')} ({best.id}), "
                  "yet the page presents it as a treatment")
        others = [r for r in records if r.accepted and not in_force(r, jurisdiction)]
        if others:
            where = ", ".join(sorted({j for r in others for j in r.jurisdictions}))
            reason += f" (accepted only under a conditional/local approval: {where})"
        if any((c := db.outcomes.get(o)) is not None and c.outcome_class == "approval" for o in outcomes):
            reason += "; the page calls it approved, which no regulator has done for this use"
        return Judgement("unproven", reason + _unnamed_products(every), "record", tuple(ranked[:2]))

    record = min(accepted, key=lambda r: _precedence(r, cond, subtypes, named))
    problems: list[str] = []
    for outcome_id in outcomes:
        category = db.outcomes.get(outcome_id)
        if outcome_id in record.outcomes_not_supported or (
            category is not None and category.outcome_class in OVERCLAIM_CLASSES
            and outcome_id not in record.outcomes_supported
        ):
            name = category.name if category else outcome_id
            problems.append(f"promises '{name}', which the evidence does not support")
        elif category is not None and category.outcome_class == "approval" and record.status != "approved":
            problems.append(f"calls it approved, yet it is {record.status.replace('_', ' ')}, not licensed")
    excluded = _excluded(cond, record, subtypes)
    if excluded:
        names = ", ".join(_subtype_name(cond, s) for s in excluded)
        problems.append(f"offers it for {names}, where benefit is unlikely")
    outside = [s for s in subtypes if s not in excluded and not _ages_overlap(record, cond, s)]
    if outside:
        names = ", ".join(_subtype_name(cond, s) for s in outside)
        problems.append(f"offers it for {names}, outside the ages the evidence covers ({_ages(record)})")
    if guarantee:
        problems.append(f"guarantees results ('{guarantee}')")
    ceiling = record.population.scale_max
    scale = cond.scale if cond is not None else None
    if scale_ceiling is not None and ceiling is not None and scale is not None and scale_ceiling > ceiling:
        problems.append(f"accepts {scale.name} up to {scale_ceiling:g}, beyond the {ceiling:g} the evidence covers")
    status = record.status.replace("_", " ")
    if problems:
        return Judgement("overstated", f"{status} ({record.id}) only for {_population(record)}; but the claim "
                         + "; ".join(problems), "record", (record,))
    return Judgement("supported", f"{status} ({record.id}) for {_population(record)}", "record", (record,))


def _precedence(record: EvidenceRecord, cond: Condition | None, subtypes: Sequence[str],
                named: Collection[str]) -> tuple[int, bool]:
    """Smallest = most specific fitting record: a named product, then a named population, then general.

    A product record the page does not name (only unaccepted ones get this far) speaks for its
    population, after a record of the same rank that is not about one product.
    """
    population = set(record.population.subtypes)
    fits = (not population or not subtypes or bool(population & set(subtypes))) and all(
        _ages_overlap(record, cond, s) for s in subtypes)
    unnamed_product = bool(record.product_names) and record.id not in named
    if not fits:
        rank = 4
    elif record.product_names and not unnamed_product:
        rank = 0
    elif population & set(subtypes):
        rank = 1
    else:
        rank = 2 if _gated(record) else 3
    return rank, unnamed_product


def _unnamed_products(records: Sequence[EvidenceRecord]) -> str:
    products = sorted({r.product for r in records if r.accepted and r.product})
    return f" (only {', '.join(products)}, which the page does not name, is accepted)" if products else ""


def _ages_overlap(record: EvidenceRecord, cond: Condition | None, subtype: str) -> bool:
    found = next((s for s in cond.subtypes if s.id == subtype), None) if cond is not None else None
    if found is None:
        return True
    low = max(record.population.age_min or 0.0, found.age_min or 0.0)
    high = min(record.population.age_max if record.population.age_max is not None else 200.0,
               found.age_max if found.age_max is not None else 200.0)
    return low <= high


def _ages(record: EvidenceRecord) -> str:
    low, high = record.population.age_min, record.population.age_max
    if low is not None and high is not None:
        return f"{low:g}-{high:g} years"
    return f"{low:g} years and over" if low is not None else f"up to {high:g} years"


def _subtype_name(cond: Condition | None, subtype: str) -> str:
    found = next((s for s in cond.subtypes if s.id == subtype), None) if cond is not None else None
    return found.name if found is not None else subtype


def _label(db: EvidenceDB, therapy: str, condition: str) -> str:
    t, c = db.therapies.get(therapy), db.conditions.get(condition)
    return f"{t.name if t else therapy} for {c.name if c else condition}"


def _population(record: EvidenceRecord) -> str:
    return (record.population.description or record.condition.replace("_", " ")).rstrip(".")


def _excluded(cond: Condition | None, record: EvidenceRecord, subtypes: Sequence[str]) -> list[str]:
    """Excluded subtypes named in the claim, unless it also restricts them to active disease."""
    hits = [s for s in subtypes if s in record.excluded_subtypes]
    if not hits:
        return []
    kinds = {s.id: s.kind for s in cond.subtypes} if cond is not None else {}
    qualified = any(kinds.get(s) == "activity" and s not in record.excluded_subtypes for s in subtypes)
    return [] if qualified and all(kinds.get(h) != "scope" for h in hits) else hits

