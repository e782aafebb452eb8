"""Which therapy and condition a mention stands for, beyond its own words.

Hidden therapies are resolved from procedure cues on the page (chemotherapy + re-infused cells =
aHSCT), generic "stem cell therapy" from the one specific therapy the section or page names, and
the page and section topics supply what a sentence leaves implicit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise

import ahocorasick

from factcheck.coding.prefilter import required_literals
from factcheck.db import EvidenceDB
from factcheck.parse.context import governs
from factcheck.parse.finder import boundary_free_finder, finditer
from factcheck.parse.lexicon import Term
from factcheck.parse.normalize import fold, normalize_key
from factcheck.parse.units import TOPIC_KINDS, Unit

#: cue categories of sentences that talk about someone else's use of a therapy
_FRAMED = frozenset({"REPORTED", "PRECLINICAL", "HYPOTHETICAL", "OTHER_TREATMENT"})


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a generic therapy mention on this page stands for (``None``: ambiguous) and why."""

    therapy: str | None
    why: str


@dataclass(frozen=True, slots=True)
class Procedure:
    """A therapy the page describes by procedure: the cue words that decided, the therapy ids
    whose mentions it re-reads, and (if the cue lists them) the only aliases it re-reads."""

    why: str
    resolves: frozenset[str]
    aliases: frozenset[str] = frozenset()


#: what stands between two items of a list of conditions (en/es/pt conjunctions)
_LIST_GAP = re.compile(r"\s*(?:[,;/|&]|\b(?:and|or|y|o|u|e|ou)\b)(?:\s|[,;/|&]|\b(?:and|or|y|o|u|e|ou)\b)*",
                       re.IGNORECASE)
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _phrase_keys(phrases: list[str]) -> frozenset[str]:
    return frozenset(k for k in (normalize_key(p) for p in phrases) if k)


class TermResolver:
    """Resolution rules compiled from the database's therapies and conditions; shared across pages."""

    def __init__(self, db: EvidenceDB) -> None:
        therapies = list(db.therapies.values())
        self.generic = {t.id for t in therapies if t.kind == "unspecified"}
        # "stem cells" name a cell product: an acellular one (exosomes) is never what they stand for
        self._acellular = {t.id for t in therapies if t.kind == "acellular"}
        self.generic_id = next(iter(sorted(self.generic)), "stem_cell_unspecified")
        self._fixed = {normalize_key(a) for t in therapies
                       for a in [*t.fixed_aliases, *(a for tr in t.translations.values() for a in tr.fixed_aliases)]}
        # a subtype mention names its condition only when it is unambiguous on its own
        # ("RRMS", "primary progressive"); "chronic" or "children" only qualify a named condition
        self._implying: set[tuple[str, str]] = set()
        for cond in db.conditions.values():
            cond_keys = {normalize_key(a) for a in [cond.name, *cond.aliases]}
            cond_keys |= {normalize_key(a) for tr in cond.translations.values() for a in tr.aliases}
            for sub in cond.subtypes:
                for alias in [*sub.aliases, *(a for tr in sub.translations.values() for a in tr.aliases)]:
                    key = normalize_key(alias)
                    if len(key.split()) >= 2 or any(k in key for k in cond_keys):
                        self._implying.add((sub.id, key))
                for abbr in [*sub.abbreviations, *(a for tr in sub.translations.values() for a in tr.abbreviations)]:
                    self._implying.add((sub.id, normalize_key(abbr)))
        # (therapy, condition) pairs accepted everywhere for every patient (a transplant for leukaemia):
        # a clinic's page tells them as history ("bone marrow transplants have treated leukaemia for
        # decades"), not as what it sells
        self._textbook = frozenset(
            (r.therapy, r.condition) for r in db.records.values()
            if r.accepted and "international" in r.jurisdictions and not r.conditional and not r.product_names
            and not r.excluded_subtypes and not r.population.subtypes and r.population.age_min is None
            and r.population.age_max is None and r.population.scale_max is None)
        # (condition id, alias key) -> the condition that alias is a symptom of ("knee pain" -> osteoarthritis)
        # ("brain injury" may stand for CP, stroke or MS: the targets in the order the record lists them)
        self._symptoms: dict[tuple[str, str], tuple[str, ...]] = {}
        for cond in db.conditions.values():
            for symptoms in [cond.symptom_of, *(tr.symptom_of for tr in cond.translations.values())]:
                for target, aliases in symptoms.items():
                    for alias in aliases:
                        symptom = (cond.id, normalize_key(alias))
                        if target not in self._symptoms.get(symptom, ()):
                            self._symptoms[symptom] = (*self._symptoms.get(symptom, ()), target)
        # cue groups as folded phrase keys, matched as whole words ("atg" must not fire inside a word)
        self._procedure_cues = [
            (therapy.id, cue.id, [_phrase_keys(group) for group in cue.all_of], frozenset(cue.resolves),
             frozenset(cue.yields_to), _phrase_keys(cue.aliases),
             [[re.compile(p) for p in group] for group in cue.patterns])
            for therapy in therapies
            for cue in [*therapy.procedure_cues,
                        *(c for tr in therapy.translations.values() for c in tr.procedure_cues)]
        ]
        # each distinct pattern is searched once a page, whichever cues share it
        self._cue_patterns = {p.pattern: p for *_, groups in self._procedure_cues for g in groups for p in g}
        # each with the strings one of which every match holds (a case-sensitive pattern on folded,
        # lower-case text: one whose strings are all missing is not run) and its finder without the
        # leading \b (re tries a pattern that opens with \b at every position; parse/finder.py)
        self._cue_scans = [(source, compiled, None if compiled.flags & re.IGNORECASE else required_literals(
            source, compiled.flags), boundary_free_finder(compiled)) for source, compiled in self._cue_patterns.items()]
        # every cue phrase in one automaton: a page is read once, not once per cue group
        self._cue_automaton: ahocorasick.Automaton | None = None
        phrases = {k for _, _, groups, *_ in self._procedure_cues for group in groups for k in group}
        if phrases:
            self._cue_automaton = ahocorasick.Automaton()
            for key in phrases:
                self._cue_automaton.add_word(key, key)
            self._cue_automaton.make_automaton()
        # the strings the patterns need, looked for in one pass (a long page was read once per string)
        self._needs_automaton: ahocorasick.Automaton | None = None
        needed = {w for *_, needs, _ in self._cue_scans if needs for w in needs}
        if needed:
            self._needs_automaton = ahocorasick.Automaton()
            for word in needed:
                self._needs_automaton.add_word(word, word)
            self._needs_automaton.make_automaton()

    # ------------------------------------------------------------------ single mentions
    def is_cell_product(self, therapy_id: str) -> bool:
        """Can a generic "stem cells" mention stand for this therapy (not an acellular product)?"""
        return therapy_id not in self._acellular

    def is_generic(self, term: Term) -> bool:
        return term.label == "THERAPY" and term.id in self.generic and normalize_key(term.alias) not in self._fixed

    def implies_condition(self, term: Term) -> bool:
        return term.label == "CONDITION" or (term.id, normalize_key(term.alias)) in self._implying

    def term_id(self, term: Term, resolution: Resolution) -> str | None:
        return resolution.therapy if self.is_generic(term) else term.id

    # ------------------------------------------------------------------ the page
    def procedure_therapies(self, text: str, units: list[Unit] | None = None) -> dict[str, Procedure]:
        """Therapies the page describes by procedure: the cue words that decided, and the therapy
        ids (or only the aliases) whose mentions the procedure re-reads (fat cells "grown for weeks" are msc).

        With ``units``, a cue word a negation governs does not count ("nothing is grown or expanded").
        """
        if self._cue_automaton is None and not self._cue_patterns:
            return {}
        folded, offsets = fold(text)
        # whole-word occurrences of each cue phrase, in text order
        where: dict[str, list[tuple[int, int]]] = {}
        for last, key in self._cue_automaton.iter(folded) if self._cue_automaton is not None else ():
            start, end = last - len(key) + 1, last + 1
            if (start == 0 or folded[start - 1] not in _WORD_CHARS) and (
                    end == len(folded) or folded[end] not in _WORD_CHARS):
                where.setdefault(key, []).append((start, end))
        # a pattern's matches are filed under its source text, beside the phrases of its group
        present: set[str] | None = None
        for source, compiled, needs, finder in self._cue_scans:
            if needs is not None:
                if present is None:
                    present = {w for _, w in self._needs_automaton.iter(folded)} \
                        if self._needs_automaton is not None else set()
                if present.isdisjoint(needs):
                    continue  # none of the strings every match holds is on the page
            for m in finditer(compiled, finder, folded):
                where.setdefault(source, []).append(m.span())
        if not where:
            return {}
        negations = [(u, c) for u in units or [] for c in u.cues if c.category == "NEGATED"]

        def asserted(span: tuple[int, int]) -> bool:
            if not negations:
                return True
            start = offsets[span[0]] if offsets is not None else span[0]
            end = offsets[span[1]] if offsets is not None else span[1]
            return not any(u.start <= start < u.end and governs(c, start, end, text, u.cues)
                           for u, c in negations)

        found: dict[str, Procedure] = {}
        yields: dict[str, frozenset[str]] = {}
        for therapy_id, cue_id, groups, resolves, yields_to, aliases, patterns in self._procedure_cues:
            if therapy_id in found:
                continue  # the first cue of a therapy that matches decides
            hits = []
            for i, group in enumerate(groups):
                keys = group & where.keys()
                if i < len(patterns):
                    keys |= {p.pattern for p in patterns[i]} & where.keys()
                # the leftmost occurrence (the longest phrase there) that no negation governs
                spans = sorted(((s, -e, k) for k in keys for s, e in where[k]))
                first = next((folded[s:-neg_e] for s, neg_e, k in spans if asserted((s, -neg_e))), None)
                if first is None:
                    break
                hits.append(first)
            else:
                found[therapy_id] = Procedure(f"procedure cue '{cue_id}': " + " + ".join(hits), resolves, aliases)
                yields[therapy_id] = yields_to
        return {k: v for k, v in found.items() if not yields[k] & found.keys()}

    def apply_procedures(self, text: str, units: list[Unit]) -> dict[str, Procedure]:
        """Re-read named mentions that a procedure on the page decides, in place; returns the procedures."""
        found = self.procedure_therapies(text, units)
        # a therapy the page itself describes by procedure is not re-read as another: cells "grown for
        # weeks" and "re-injected" are cultured (msc), whatever the same-day cue says
        moves = {old: (new, p.why, p.aliases) for new, p in found.items() for old in p.resolves
                 if old != new and old not in found}
        if moves:
            for unit in units:
                if not any(t.label == "THERAPY" and t.id in moves for t in unit.terms):
                    continue  # nothing to re-read in this unit
                unit.terms = [self._moved(t, *moves[t.id]) if t.label == "THERAPY" and t.id in moves else t
                              for t in unit.terms]
        return found

    def _moved(self, term: Term, new: str, why: str, aliases: frozenset[str]) -> Term:
        key = normalize_key(term.alias)
        # a cue that lists its aliases re-reads exactly those; otherwise every named, non-fixed mention
        listed = key in aliases if aliases else not self.is_generic(term) and key not in self._fixed
        if listed:
            return replace(term, id=new, method="procedure_cue", alias=f"{term.alias} -> {new} ({why})")
        return term

    def apply_sources(self, units: list[Unit], text: str) -> None:
        """One product named with its source is one mention, in place: "MSCs taken from placental
        tissue" keeps the MSCs (the tissue is where they come from); "stem cells derived from amniotic
        fluid" keeps the amniotic product (the generic words say nothing more); cells written right
        before an acellular product ("MSC exosomes", "stem cell secretome") are its source."""
        for unit in units:
            if not unit.terms:
                continue  # nothing to merge or drop (most units of a long page)
            therapies = [t for t in unit.terms if t.label == "THERAPY"]
            made_of = {id(a) for a, b in pairwise(therapies)
                       if b.id in self._acellular and a.id not in self._acellular
                       and not text[a.end:b.start].strip(" -\u2010\u2011")}
            if made_of:
                unit.terms = [t for t in unit.terms if id(t) not in made_of]
            sources = [c for c in unit.cues if c.category == "SOURCE"]
            if not sources:
                continue
            drop: set[int] = set()
            for c in sources:
                if c.direction == "BACKWARD":
                    # "MSC-derived exosomes", "they are stem cell-derived": the cells right before the cue are
                    # where another product named in the sentence comes from
                    source = [t for t in unit.terms if t.label == "THERAPY" and t.end <= c.start
                              and not text[t.end:c.start].strip(" -\u2010\u2011")]
                    if source and any(t.label == "THERAPY" and t.id != source[-1].id and t is not source[-1]
                                      for t in unit.terms):
                        drop.add(id(source[-1]))
                    continue
                before = [t for t in unit.terms if t.label == "THERAPY" and t.end <= c.start]
                after = [t for t in unit.terms if t.label == "THERAPY" and t.start >= c.end
                         and governs(c, t.start, t.end, text, unit.cues)]
                if not before or not after:
                    continue
                named = before[-1]
                if self.is_generic(named) and not all(self.is_generic(t) for t in after):
                    drop.add(id(named))
                elif not self.is_generic(named):
                    drop.update(id(t) for t in after)
            if drop:
                unit.terms = [t for t in unit.terms if id(t) not in drop]

    def apply_symptoms(self, units: list[Unit], text: str) -> None:
        """A symptom ("knee pain") stands for the condition it is a symptom of when the page names that
        condition in its own voice ("knee osteoarthritis"), in place."""
        if not self._symptoms or not any(
                t.label == "CONDITION" and (t.id, normalize_key(t.alias)) in self._symptoms
                for u in units for t in u.terms):
            return  # no symptom named on the page: nothing to re-read (and no pass over every unit)
        named = {t.parent if t.label == "SUBTYPE" else t.id
                 for terms in self._named(units, self.implies_condition) for t in terms
                 if (t.id, normalize_key(t.alias)) not in self._symptoms}
        for unit in units:
            if not unit.terms or not any(t.label == "CONDITION" for t in unit.terms):
                continue  # no mention to re-read (most units of a long page)
            conditions = sorted((t for t in unit.terms if t.label == "CONDITION"), key=lambda t: t.start)
            # an item of a list of conditions is a condition of its own ("cerebral palsy, spinal cord
            # injury, brain injury"), not the symptom of another
            listed = {id(t) for a, b in pairwise(conditions) if _LIST_GAP.fullmatch(text[a.end:b.start])
                      for t in (a, b)}
            targets = [self._symptom_target(t, named) if t.label == "CONDITION" and id(t) not in listed else None
                       for t in unit.terms]
            if any(targets):
                unit.terms = [replace(t, id=target, alias=f"{t.alias} -> {target} (a symptom of it; the page "
                                      f"names {target})") if target else t
                              for t, target in zip(unit.terms, targets, strict=True)]

    def _symptom_target(self, term: Term, named: set[str | None]) -> str | None:
        """The named condition this mention is a symptom of, if any (the first the record lists)."""
        return next((c for c in self._symptoms.get((term.id, normalize_key(term.alias)), ()) if c in named), None)

    def _named(self, units: list[Unit], specific: Callable[[Term], bool]) -> list[list[Term]]:
        """Per unit, its specific mentions; mentions in sentences that report research, animal work or
        other drugs do not name the page's product (labels: the product "for its offers"), nor does a
        therapy named only for its textbook use (every condition of the sentence is one it is accepted
        for everywhere)."""
        out: list[list[Term]] = []
        for u in units:
            if not u.terms or any(c.category in _FRAMED for c in u.cues):  # most units name nothing
                out.append([])
                continue
            terms = [t for t in u.terms if specific(t)]
            if terms and self._textbook:
                conditions = {t.parent if t.label == "SUBTYPE" else t.id
                              for t in u.terms if self.implies_condition(t)}
                if conditions:
                    terms = [t for t in terms if t.label != "THERAPY"
                             or not all((t.id, c) in self._textbook for c in conditions)]
            out.append(terms)
        return out

    def named_products(self, units: list[Unit]) -> list[list[Term]]:
        """Per unit, the specific therapies the page names as its own (outside reported research)."""
        return self._named(units, self._specific)

    def _specific(self, t: Term) -> bool:
        return t.label == "THERAPY" and not self.is_generic(t)

    def page_resolution(self, text: str, units: list[Unit],
                        procedures: dict[str, Procedure] | None = None,
                        named_products: list[list[Term]] | None = None) -> Resolution:
        """What a generic 'stem cell therapy' on this page stands for.

        The one specific therapy the page names or describes by procedure; when it names several,
        the one named in at least two thirds of the naming sentences; otherwise generic mentions
        are ambiguous and make no claim. ``named_products``: ``self.named_products(units)``, when
        the caller has it.
        """
        # evidence = sentence units naming the therapy (an abbreviation in brackets is the same
        # mention); a therapy only described by its procedure counts once
        named: Counter[str] = Counter()
        for terms in self.named_products(units) if named_products is None else named_products:
            if terms:  # (most units of a long page name none: Counter.update is a Python call)
                named.update({t.id for t in terms})
        by_cue = {k: p.why for k, p in (procedures if procedures is not None
                                         else self.procedure_therapies(text, units)).items()}
        weight = Counter(named)
        for therapy_id in by_cue:
            weight[therapy_id] = max(weight[therapy_id], 1)
        weight.pop(self.generic_id, None)
        for therapy_id in self._acellular:
            weight.pop(therapy_id, None)
        if not weight:
            cosmetic = next((c for u in units for c in u.cues if c.category == "COSMETIC"), None)
            if cosmetic is not None:
                # labels: plant "stem cells" and skincare extracts are no therapy; on such a page an
                # unnamed "stem cells" is the extract unless a cell product is named
                return Resolution(None, f"the page speaks of plant or cosmetic stem cells ('{cosmetic.text}')")
            return Resolution(self.generic_id, "no cell type named on the page")
        top, top_weight = weight.most_common(1)[0]
        if len(weight) == 1 or top_weight >= 2 * sum(weight.values()) / 3:
            why = by_cue.get(top) or f"the page names {top} ({named[top]} mentions)"
            if len(weight) > 1:
                why += f"; it dominates {', '.join(sorted(weight))}"
            return Resolution(top, why)
        return Resolution(None, f"ambiguous: the page names {', '.join(sorted(weight))}")

    def topic(self, units: list[Unit], label: str, resolution: Resolution) -> list[Term]:
        """The therapy/condition the page is about: from title and headings, else a clear majority."""
        def tally(pool: list[Unit]) -> tuple[Counter[str], dict[str, Term]]:
            counts: Counter[str] = Counter()
            first: dict[str, Term] = {}
            for u in pool:
                for t in u.terms:
                    tid = self.term_id(t, resolution) if t.label == label else (
                        t.parent if label == "CONDITION" and t.label == "SUBTYPE" and self.implies_condition(t)
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
            # the title and headings name one topic, or one clearly more than the others; headings
            # that walk through several conditions ("Blood disorders", "Orthopaedic") name none
            top, n = head.most_common(1)[0]
            if len(head) == 1 or n >= 2 * sum(head.values()) / 3:
                return [mention(top, first[top])]
            return []
        body, first = tally(units)
        if body:
            top, n = body.most_common(1)[0]
            # a clear majority, or the one condition a page names at all (a patient's story names the
            # disease once, the cells and the outcome in later sentences)
            if (n >= 2 and n >= 0.6 * sum(body.values())) or (label == "CONDITION" and len(body) == 1):
                return [mention(top, first[top])]
        return []

    def section_therapies(self, units: list[Unit], named_products: list[list[Term]] | None = None,
                          ) -> list[Term | None]:
        """Per unit: the specific therapy its section (heading to next heading) is about, if one.

        ``named_products``: ``self.named_products(units)``, when the caller has it."""
        products = self.named_products(units) if named_products is None else named_products
        out: list[Term | None] = [None] * len(units)
        start = 0
        bounds = [i for i, u in enumerate(units) if u.kind in ("heading", "title")] + [len(units)]
        for end in bounds:
            if end > start:
                named: Counter[str] = Counter()
                first: dict[str, Term] = {}
                for specific in products[start:end]:
                    if not specific:
                        continue  # most units of a long page name no product
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
