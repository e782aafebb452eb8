"""Candidate relations: which therapy is presented as helping which condition, and where.

A generator takes the page's units (with their terms and cues) and yields candidates: therapy,
condition, outcomes and the unit that carries them, or a dismissal when a mention cannot make one.
Generators are registered in spaCy's ``misc`` registry so a pipeline can swap them by name.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from spacy.util import registry

from factcheck.parse.context import governs
from factcheck.parse.filters import Dismissal, dismissal, few_words, negated
from factcheck.parse.lexicon import Term
from factcheck.parse.resolve import Resolution, TermResolver
from factcheck.parse.units import TOPIC_KINDS, Unit, list_like


@dataclass(slots=True)
class Candidate:
    """A therapy linked to a condition in one unit, before context filters and verdicts."""

    unit: Unit
    therapy: Term
    condition_id: str
    mentions: list[Term]
    outcomes: list[Term] = field(default_factory=list)
    #: the wider text the claim speaks for (an eligibility list), when not the unit alone
    scope: str | None = None
    #: how the relation was found, prefixed to the verdict's reason ("" for a plain sentence)
    via: str = ""
    #: the therapy is one the page itself names outside reported research
    product: bool = True
    #: ``outcomes`` that no negation of the unit governs, when the generator found them already
    live_outcomes: list[Term] | None = None


@dataclass(slots=True)
class PageView:
    """What the relation stage reads: the page's units and the page-level resolutions."""

    text: str
    units: list[Unit]
    resolver: TermResolver
    resolution: Resolution
    topic_therapies: list[Term]
    topic_conditions: list[Term]
    section_therapy: list[Term | None]
    #: the therapies the page itself names outside reported research (its products)
    products: frozenset[str] = frozenset()
    #: per unit: the therapy a sentence shortly before it named (a story's "I had stem cells... The pain is gone")
    prior_therapy: list[Term | None] = field(default_factory=list)
    #: rule names of the benefit words that only name a treatment ("therapy": ContextRule.names_treatment)
    treatment_nouns: frozenset[str] = frozenset()

    @classmethod
    def build(cls, text: str, units: list[Unit], resolver: TermResolver,
              treatment_nouns: frozenset[str] = frozenset()) -> PageView:
        resolver.apply_sources(units, text)
        procedures = resolver.apply_procedures(text, units)
        resolver.apply_symptoms(units, text)
        named = resolver.named_products(units)  # (units change no more: read once, used thrice)
        resolution = resolver.page_resolution(text, units, procedures, named)
        topic = resolver.topic(units, "THERAPY", resolution)
        products = {t.id for terms in named for t in terms} | {t.id for t in topic}
        if resolution.therapy:
            products.add(resolution.therapy)
        return cls(text, units, resolver, resolution, topic, resolver.topic(units, "CONDITION", resolution),
                   resolver.section_therapies(units, named), frozenset(products),
                   _prior(units, lambda t: resolver.term_id(t, resolution) if t.label == "THERAPY" else None),
                   treatment_nouns)


RelationGenerator = Callable[[PageView], Iterator[Candidate | Dismissal]]

#: cue categories of a sentence that speaks of research, animals, a hypothesis or another treatment
_NOT_THE_PRODUCT = frozenset({"REPORTED", "PRECLINICAL", "HYPOTHETICAL", "OTHER_TREATMENT"})
#: how many sentences back a story's treatment sentence may lie from its result
_STORY_REACH = 3


def _prior(units: list[Unit], id_of: Callable[[Term], str | None]) -> list[Term | None]:
    """Per unit: the last mention ``id_of`` accepts in the few sentences before it, outside headings
    and framed text (its id as ``id_of`` gives it).

    A patient's story names the disease, the cells and the result in separate sentences; each speaks
    of what the story just named."""
    out: list[Term | None] = [None] * len(units)
    last: tuple[int, Term, str] | None = None
    # one (read-only) mention per mention named: the units after it share it
    made: tuple[tuple[int, Term, str], Term] | None = None
    for i, unit in enumerate(units):
        if last is not None and i - last[0] <= _STORY_REACH:
            if made is None or made[0] is not last:
                _, t, tid = last
                made = (last, Term(label=t.label, id=tid, text=t.text, start=t.start, end=t.end,
                                   alias=f"named just before ({t.text!r})", score=t.score, method="topic"))
            out[i] = made[1]
        if not unit.terms or unit.kind in TOPIC_KINDS or any(c.category in _NOT_THE_PRODUCT for c in unit.cues):
            continue
        for term in unit.terms:
            mention_id = id_of(term)
            if mention_id:
                last = (i, term, mention_id)
    return out


def _benefit(unit: Unit, anchors: list[tuple[int, int]], outcomes: list[Term], text: str, max_words: int = 12,
             ignore: frozenset[str] = frozenset()) -> bool:
    """Does the unit say the treatment does good: a promised outcome, or a benefit/offer word near an
    anchor (a term's span, or the words that point back to one: "since the treatment")?
    Cues of the rules in ``ignore`` do not count.

    A benefit word inside an anchor ("therapy" in "stem cell therapy") says nothing of a benefit. Linear in
    the unit's cues and terms (a page may repeat a phrase thousands of times in one paragraph).
    """
    if outcomes:
        return True
    if not anchors:
        return False
    spans = sorted(anchors)
    starts = [s for s, _ in spans]
    reach: list[int] = []  # reach[i]: the furthest end among spans[0..i]
    for _, e in spans:
        reach.append(max(e, reach[-1]) if reach else e)
    negations = [c for c in unit.cues if c.category == "NEGATED"]
    for cue in unit.cues:
        if cue.category not in ("BENEFIT", "OFFER", "GUARANTEE") or cue.rule in ignore:
            continue
        if negations and any(governs(n, cue.start, cue.end, text, unit.cues) for n in negations):
            continue  # "there is no cure yet" promises nothing
        i = bisect.bisect_right(starts, cue.start) - 1
        if i >= 0 and reach[i] >= cue.end:
            continue  # inside a term
        k = bisect.bisect_left(starts, cue.end)
        if k > 0 and (reach[k - 1] > cue.start or few_words(text, reach[k - 1], cue.start, max_words)):
            return True
        if k < len(starts) and few_words(text, cue.end, starts[k], max_words):
            return True
    return False


def _borrow_topics(page: PageView, index: int, therapies: list[Term], conditions: list[Term],
                   outcomes: list[Term], promised: list[Term] | None = None) -> tuple[list[Term], list[Term]]:
    """Make an implicit therapy / condition explicit from the section or page topic.

    "Our patients walk again" under "Stem Cell Treatment for MS" names neither; a sentence that
    reports research, animal work or another drug asserts nothing about the page topic.
    ``promised``: the ``outcomes`` no negation governs, when the caller has them.
    """
    unit = page.units[index]
    categories = {c.category for c in unit.cues}
    framed = bool(categories & {"REPORTED", "PRECLINICAL", "HYPOTHETICAL"})
    other = "OTHER_TREATMENT" in categories
    anchors = [(t.start, t.end) for t in (*therapies, *conditions) if t.method != "topic"]
    # a denied outcome ("there is still no cure") promises nothing to lend a topic for
    if promised is None:
        promised = _live(outcomes, unit, page.text)
    benefit = _benefit(unit, anchors, promised, page.text)
    local = page.section_therapy[index]
    implicit = [local] if local else page.topic_therapies
    # "this treatment is aimed at disc degeneration": the page's one product, named elsewhere
    anaphor = next((c for c in unit.cues if c.category == "ANAPHOR"), None)
    if anaphor is not None and not therapies and conditions and not framed and not other:
        if not implicit and page.resolution.therapy is not None \
                and page.resolution.therapy not in page.resolver.generic:
            implicit = [Term(label="THERAPY", id=page.resolution.therapy, text=anaphor.text, start=anaphor.start,
                             end=anaphor.end, alias=f"'{anaphor.text}' -> {page.resolution.therapy} "
                             f"({page.resolution.why})", method="topic")]
        if implicit:
            return list(implicit), conditions
    # a word that only names a treatment lends no topic: "A typical treatment runs as follows" says
    # nothing of the page's condition, "CP requires different types of therapy" nothing of its product;
    # a heading or list line naming a condition's treatment is the page's service ("MS Treatment")
    lends = benefit and (bool(therapies) != bool(conditions)) and (
        bool(promised) or _benefit(unit, anchors, promised, page.text, ignore=page.treatment_nouns))
    if not therapies and conditions and (lends or (benefit and _service_line(unit, page.text))) and implicit \
            and not framed and not other:
        therapies = list(implicit)
    elif therapies and not conditions and lends and page.topic_conditions and not framed \
            and unit.kind not in TOPIC_KINDS:
        conditions = list(page.topic_conditions)
    if therapies or conditions or framed or other or not page.topic_conditions:
        return therapies, conditions
    # a result with neither side named: "Since the treatment he can sit up" (the treatment the story
    # just named, for the one condition the page is about)
    prior = page.prior_therapy[index] if page.prior_therapy else None
    story = implicit or ([prior] if prior else [])
    if anaphor is not None and not promised:
        if not _benefit(unit, [(anaphor.start, anaphor.end)], [], page.text):
            return therapies, conditions
    elif not promised:
        return therapies, conditions
    if story:
        return list(story), list(page.topic_conditions)
    return therapies, conditions


def _live(outcomes: list[Term], unit: Unit, text: str) -> list[Term]:
    """The outcomes no negation of the unit governs ("there is still no cure" promises nothing)."""
    return [o for o in outcomes if not negated(o, unit, text)] if outcomes else outcomes


#: a bullet, or a label before a colon, opening a line ("- Treatment of hair loss: ...", "MS treatment: ...")
_LABELLED = re.compile(r"\s*(?:[-\u2013\u2022*\u00b7]\s|[^.:!?]{1,60}:)")


def _service_line(unit: Unit, text: str) -> bool:
    """A heading, a bullet, a table cell or a labelled line: where a page lists what it offers."""
    return unit.kind in TOPIC_KINDS or unit.kind in ("list_item", "table_cell") \
        or _LABELLED.match(text, unit.start) is not None


def _resolve_therapy(page: PageView, index: int, therapy: Term, in_unit: set[str]) -> Term | None:
    """The mention with the therapy id it stands for (a generic one resolved), or None if ambiguous."""
    resolver, local, resolution = page.resolver, page.section_therapy[index], page.resolution
    why = ""
    if therapy.method == "topic" or not resolver.is_generic(therapy):
        return therapy
    # "stem cells and exosomes" are two products: generic cells never stand for an acellular one
    cells = {i for i in in_unit if resolver.is_cell_product(i)}
    if local and not resolver.is_cell_product(local.id):
        local = None
    if len(cells) == 1:
        therapy_id, why = next(iter(cells)), "named in the same sentence"
    elif local:
        therapy_id, why = local.id, "the one cell type named in this section"
    else:
        if resolution.therapy is None:
            return None
        therapy_id, why = resolution.therapy, resolution.why
    if therapy.id == therapy_id:
        return therapy
    return replace(therapy, id=therapy_id, method="procedure_cue" if "procedure cue" in why else "topic",
                   alias=f"{therapy.alias} -> {therapy_id} ({why})")


def _unit_candidates(page: PageView, index: int, seen: set[tuple[str, str, int]]) -> Iterator[Candidate | Dismissal]:
    """Therapy x condition (x outcome) within one unit, borrowing topics for an implicit side."""
    text, unit, resolver = page.text, page.units[index], page.resolver
    therapies = [t for t in unit.terms if t.label == "THERAPY"]
    # a qualifying subtype ("active", "chronic") counts only beside its condition
    implying = [resolver.implies_condition(t) for t in unit.terms]  # asked once per mention
    named = {t.parent if t.label == "SUBTYPE" else t.id for t, imp in zip(unit.terms, implying, strict=True) if imp}
    conditions = [t for t, imp in zip(unit.terms, implying, strict=True)
                  if imp or (t.label == "SUBTYPE" and t.parent in named)]
    outcomes = [t for t in unit.terms if t.label == "OUTCOME"]
    if not (therapies or conditions or outcomes or any(c.category == "ANAPHOR" for c in unit.cues)):
        return
    own_therapy = bool(therapies)
    promised = _live(outcomes, unit, text)  # read again by each candidate's filters
    therapies, conditions = _borrow_topics(page, index, therapies, conditions, outcomes, promised)
    if not therapies or not conditions:
        return
    in_unit = {t.id for t in therapies if t.method != "topic" and not resolver.is_generic(t)}
    negations = [c for c in unit.cues if c.category == "NEGATED"]
    by_condition: dict[str, list[Term]] = {}  # the same for every therapy of the unit
    for cond in conditions:
        by_condition.setdefault(cond.parent if cond.label == "SUBTYPE" and cond.parent else cond.id, []).append(cond)
    for mention in therapies:
        therapy = _resolve_therapy(page, index, mention, in_unit)
        if therapy is None:
            yield dismissal(text, unit, mention, None, f"generic therapy is {page.resolution.why}")
        elif own_therapy and negated(mention, unit, text, negations, outcomes):
            yield dismissal(text, unit, therapy, None, "therapy negated")
        else:
            for cid, mentions in by_condition.items():
                if (therapy.id, cid, unit.start) not in seen:
                    seen.add((therapy.id, cid, unit.start))
                    yield Candidate(unit, therapy, cid, mentions, outcomes, product=therapy.id in page.products,
                                    live_outcomes=promised)


def _lead_in(page: PageView, index: int) -> int | None:
    """Where a lead-in's list starts (an offset in its own unit), if ``units[index]`` opens one.

    A lead-in ends with a colon or is a heading, and says the listed conditions are treated or
    eligible: an eligibility cue ("Who can be treated?", "Conditions we treat:") or a treatment word
    ("We treat the following conditions with secretome", "Stem cells can benefit people with:") for
    a therapy the unit or its section names. A negated lead-in ("We do not treat:") opens nothing.
    """
    unit, text = page.units[index], page.text
    if not unit.cues:
        return None  # neither an eligibility cue nor a treatment word: most units of a page
    body = unit.text(text).rstrip()
    eligibility = [c for c in unit.cues if c.category == "ELIGIBILITY"]
    if any(c.category == "NEGATED" for c in unit.cues):
        return None
    if eligibility:
        return min(c.end for c in eligibility)
    if not (body.endswith(":") or unit.kind in ("heading", "title")):
        return None
    spans = [(t.start, t.end) for t in unit.terms]
    relation = [c for c in unit.cues if c.category in ("BENEFIT", "OFFER")
                and not any(s <= c.start and c.end <= e for s, e in spans)]
    has_therapy = any(t.label == "THERAPY" for t in unit.terms) or page.section_therapy[index] is not None
    return min(c.end for c in relation) if relation and has_therapy else None


def _asks_who(page: PageView, index: int) -> bool:
    """An eligibility heading or question ("Who can be treated?", "Inclusion criteria")."""
    unit = page.units[index]
    return (unit.kind in ("heading", "title") or unit.text(page.text).rstrip().endswith("?")) \
        and any(c.category == "ELIGIBILITY" for c in unit.cues)


def _list_candidates(page: PageView, seen: set[tuple[str, str, int]]) -> Iterator[Candidate]:
    """Conditions listed under a lead-in are each offered the lead-in's therapy.

    The list is the rest of the lead-in's own line ("Conditions we treat: MS | Parkinson's | ALS")
    and the bullets, cells and short lines under it. Under an eligibility lead-in the subtypes and
    scopes listed, taken together, are the population the page offers the therapy to: "PPMS" under
    "Who can be treated?" is a population claim even in a bullet with no therapy in it.
    """
    text, units, resolver = page.text, page.units, page.resolver
    for opener in range(len(units)):
        if not units[opener].cues:
            continue  # neither an eligibility cue nor a treatment word: no lead-in (most units)
        list_start = _lead_in(page, opener)
        if list_start is None:
            continue
        end = opener + 1
        # an eligibility heading or question is answered by the line under it, whatever its length
        # ("Who can be taken up for HSCT? Patients with RRMS, SPMS or PPMS ...")
        if end < len(units) and _asks_who(page, opener) and units[end].kind not in ("heading", "title") \
                and not any(c.category == "NEGATED" for c in units[end].cues):
            end += 1
        # the list runs over the bullets, cells and short lines that follow, up to a lead-in that
        # turns it round ("Exclusion criteria", "We do not treat:")
        while end < len(units) and list_like(units[end], text) and not (
                (units[end].kind in ("heading", "title") or units[end].text(text).rstrip().endswith(":"))
                and any(c.category == "NEGATED" for c in units[end].cues)):
            end += 1
        section = units[opener:end]
        own = [t for t in units[opener].terms if t.label == "THERAPY" and not resolver.is_generic(t)]
        therapy = own[0] if own else (
            page.section_therapy[opener] or (page.topic_therapies[0] if page.topic_therapies else None))
        if therapy is None:
            # "Conditions we treat with stem cells:" on a page whose generic cells stand for one product
            generic = next((t for t in units[opener].terms if t.label == "THERAPY"), None)
            therapy = _resolve_therapy(page, opener, generic, set()) if generic is not None else None
        if therapy is None:
            continue
        head = units[opener]
        lead = f"listed under '{head.text(text)}'"
        colon = text.rfind(":", head.start, head.end)
        list_start = max(list_start, colon + 1)
        inline = [t for t in head.terms if t.label == "CONDITION" and t.start >= list_start]
        items = [(head, inline)] + [(item, item.terms) for item in section[1:]
                                    if not any(t.label == "THERAPY" for t in item.terms)]
        if any(t.label == "CONDITION" and t.start < list_start for t in head.terms):
            items = []  # "could help these MS symptoms:" lists symptoms of MS, not more conditions
        for item, terms in items:  # a bullet with its own therapy was linked like any sentence
            for cond in {t.id: t for t in terms if t.label == "CONDITION"}.values():
                if (therapy.id, cond.id, item.start) in seen:
                    continue
                seen.add((therapy.id, cond.id, item.start))
                # the item's own qualifiers go with it ("Multiple sclerosis of all variants")
                qualifiers = [t for t in terms if t.label == "SUBTYPE" and t.parent == cond.id]
                yield Candidate(item, therapy, cond.id, [cond, *qualifiers], via=lead)
        if not any(c.category == "ELIGIBILITY" for c in units[opener].cues):
            continue
        subtypes = [t for u in section for t in u.terms if t.label == "SUBTYPE" and t.parent]
        # only a subtype that names its condition on its own ("PPMS", not "children") opens a claim
        naming = [t for t in subtypes if resolver.implies_condition(t)]
        if not naming:
            continue
        condition_id = Counter(t.parent or "" for t in naming).most_common(1)[0][0]
        listed = [t for t in subtypes if t.parent == condition_id]
        anchor = next(u for u in section if any(t in u.terms for t in listed))
        population = replace(listed[0], label="CONDITION", id=condition_id)
        yield Candidate(anchor, therapy, condition_id, [population, *listed],
                        scope=text[section[0].start:section[-1].end], via="eligibility list")


@registry.misc("factcheck.sentence_relations.v1")
def make_sentence_relations() -> RelationGenerator:
    """Today's generator: co-occurrence within a unit plus eligibility lists."""
    def generate(page: PageView) -> Iterator[Candidate | Dismissal]:
        seen: set[tuple[str, str, int]] = set()
        for index, unit in enumerate(page.units):
            # a unit with no term names nothing; without an anaphor it points back to nothing either
            if unit.terms or (unit.cues and any(c.category == "ANAPHOR" for c in unit.cues)):
                yield from _unit_candidates(page, index, seen)
        yield from _list_candidates(page, seen)
    return generate
