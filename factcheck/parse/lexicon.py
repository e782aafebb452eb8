"""Term recognition from the evidence database's aliases.

A ``Lexicon`` holds every alias of every therapy, condition, subtype and outcome cue as a
folded key in one Aho-Corasick automaton, so spotting terms in a page costs one pass over
its text whatever the number of aliases. Matching is case-insensitive and tolerant of
hyphens, plurals, possessives, accents and invisible characters (see ``normalize``);
abbreviations ("MSC", "MS") are checked against the original casing; words one or two edits
away from an alias word are corrected with rapidfuzz (cached per word) and kept with their
score; abbreviations defined on the page ("mesenchymal stem cells (MSCs)") become aliases
for the rest of that page.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import OSA

from factcheck.models import TermMatch, trusted
from factcheck.parse.normalize import CONFUSABLE_CHARS, DROP_CHARS, fold, normalize_key, to_original

_WORD = re.compile(r"[a-z][a-z']{5,}")
#: real words one or two edits from an alias word: never "corrected" (degeneration is no typo of regeneration)
FUZZY_EXCEPTIONS = frozenset({
    "degeneration", "neurodegeneration", "degenerative", "neurodegenerative", "generation", "generations",
    "regenerate", "degenerate", "neutral", "central", "general", "mental", "dental", "rental", "sells",
    "stroma", "strokes", "stoke", "autistic", "artistic", "cellular", "stemming", "systems", "sclerotic",
    "medical", "medicinal", "clinical", "chronic", "cardiac", "arthritic", "disease", "diseases",
})
_ABBR_DEF = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9\-]{1,11}?)(?:'?s)?\s*\)")
_FUZZY_CACHE_LIMIT = 200_000
_FUZZY_WINDOW = 60  # characters of context re-scanned on each side of a corrected word


@dataclass(slots=True)
class Term:
    """One recognised mention (a light twin of ``models.TermMatch``: pages hold hundreds)."""

    label: str
    id: str
    text: str
    start: int
    end: int
    alias: str
    score: float = 100.0
    method: str = "exact"
    parent: str | None = None

    def as_dict(self) -> dict[str, object]:
        # by hand: dataclasses.asdict deep-copies every field, which shows in profiles
        return {"label": self.label, "id": self.id, "text": self.text, "start": self.start, "end": self.end,
                "alias": self.alias, "score": self.score, "method": self.method, "parent": self.parent}

    def to_model(self) -> TermMatch:
        # not validated: every field comes from the lexicon and has the right type
        return trusted(TermMatch, **self.as_dict())


@dataclass(frozen=True, slots=True)
class Entry:
    """What one alias key stands for."""

    label: str  # THERAPY | CONDITION | SUBTYPE | OUTCOME | IGNORE (a look-alike phrase that hides an alias)
    id: str
    alias: str
    parent: str | None = None
    #: for abbreviations: the exact casing(s) the original text must show
    cased: str | None = None
    #: a generic mention ("stem cell therapy") that page cues may resolve to a specific therapy
    generic: bool = False


def _variants(key: str) -> set[str]:
    """Spelling variants of a folded alias: plural, possessive, joined compound."""
    out = {key}
    last = key.rsplit(" ", 1)[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        out.add(key[:-1])
    if key and key[-1].isalpha():
        out.add(key + "s")
        if key.endswith(("s", "x", "ch", "sh")):
            out.add(key + "es")
        if key.endswith("y") and len(key) > 3:
            out.add(key[:-1] + "ies")
        out.add(key + "'s")
    if "'" in key:
        out |= {v.replace("'", "") for v in list(out)}
    # closed compounds ("stemcells", or "stem\u00adcells" once the soft hyphen is dropped)
    words = key.split()
    for i in range(len(words) - 1):
        if len(words[i]) >= 3 and len(words[i + 1]) >= 3:
            joined = " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2:]])
            out |= {joined, joined + "s"} if joined[-1].isalpha() else {joined}
    return out


class Lexicon:
    """Aliases of a database compiled for matching. Build once; safe to share across pages."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._by_key: dict[str, list[Entry]] = {}
        for entry in entries:
            base = normalize_key(entry.alias)
            if not base:
                continue
            for key in _variants(base) if entry.cased is None else {base, base + "s", base + "'s"}:
                bucket = self._by_key.setdefault(key, [])
                if entry not in bucket:
                    bucket.append(entry)
        self._automaton = ahocorasick.Automaton()
        for key, bucket in self._by_key.items():
            self._automaton.add_word(key, (key, tuple(bucket)))
        if self._by_key:
            self._automaton.make_automaton()
        # fuzzy correction only towards therapy/condition words: outcome cues are everyday words
        # ("reversal" would "correct" referral)
        self.vocabulary: frozenset[str] = frozenset(
            w for key, bucket in self._by_key.items()
            if any(e.label in ("THERAPY", "CONDITION", "SUBTYPE") for e in bucket)
            for w in key.replace("'", "").split() if len(w) >= 6
        )
        self._vocab_buckets: dict[tuple[str, int], list[str]] = {}
        for word in sorted(self.vocabulary):
            self._vocab_buckets.setdefault((word[0], len(word)), []).append(word)
        self._fuzzy_cache: dict[str, tuple[str, float, int] | None] = {}
        self._phrases: list[tuple[re.Pattern[str], Entry]] = []
        self._verb_forms: dict[str, list[int]] = {}  # verb form -> indexes into _phrases
        self._verbs: ahocorasick.Automaton | None = None

    def add_verb_object(self, entry: Entry, verbs: Iterable[str], objects: Iterable[str], max_gap: int) -> None:
        """Match ``verb (up to max_gap words) object`` for ``entry`` (an OUTCOME).

        Verbs are spotted in one Aho-Corasick pass and the pattern is only tried where one
        starts: a regular expression that begins with a long alternation would be tried at
        every position of the page.
        """
        forms = sorted({f for v in verbs for f in _inflections(normalize_key(v))}, key=len, reverse=True)
        objs = sorted({o for obj in objects for o in _variants(normalize_key(obj))}, key=len, reverse=True)
        pattern = ("(?:" + "|".join(map(re.escape, forms)) + r")(?: [a-z'0-9]+){0," + str(max_gap)
                   + r"}? (?:" + "|".join(map(re.escape, objs)) + r")\b")
        for form in forms:
            self._verb_forms.setdefault(form, []).append(len(self._phrases))
        self._phrases.append((re.compile(pattern), entry))
        self._verbs = None

    def _verb_object_terms(self, text: str, folded: str, offsets: list[int] | None) -> list[Term]:
        if not self._phrases:
            return []
        if self._verbs is None:
            self._verbs = ahocorasick.Automaton()
            for form, indexes in self._verb_forms.items():
                self._verbs.add_word(form, (form, indexes))
            self._verbs.make_automaton()
        out: list[Term] = []
        tried: set[tuple[int, int]] = set()
        for end_idx, (form, indexes) in self._verbs.iter(folded):
            start = end_idx - len(form) + 1
            if start > 0 and folded[start - 1].isalnum():
                continue
            for i in indexes:
                if (start, i) in tried:
                    continue
                tried.add((start, i))
                pattern, entry = self._phrases[i]
                m = pattern.match(folded, start)
                if m is None:
                    continue
                o_start, o_end = to_original(offsets, m.start(), m.end())
                out.append(Term(label=entry.label, id=entry.id, text=text[o_start:o_end], start=o_start,
                                end=o_end, alias=entry.alias, score=100.0, method="exact", parent=None))
        return out

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_db(cls, db: object) -> Lexicon:
        """Compile the aliases of an ``EvidenceDB`` (therapies, conditions, subtypes, outcomes)."""
        entries: list[Entry] = []
        for therapy in db.therapies.values():  # type: ignore[attr-defined]
            generic = therapy.kind == "unspecified"
            fixed = {normalize_key(a) for a in getattr(therapy, "fixed_aliases", ())}
            entries.append(Entry("THERAPY", therapy.id, therapy.name, generic=generic))
            entries += [Entry("THERAPY", therapy.id, a, generic=generic and normalize_key(a) not in fixed)
                        for a in [*therapy.aliases, *getattr(therapy, "fixed_aliases", ())]]
            entries += [Entry("THERAPY", therapy.id, a, cased=a, generic=generic and normalize_key(a) not in fixed)
                        for a in therapy.abbreviations]
        for condition in db.conditions.values():  # type: ignore[attr-defined]
            entries.append(Entry("CONDITION", condition.id, condition.name))
            entries += [Entry("CONDITION", condition.id, a) for a in condition.aliases]
            entries += [Entry("CONDITION", condition.id, a, cased=a) for a in condition.abbreviations]
            for sub in condition.subtypes:
                entries += [Entry("SUBTYPE", sub.id, a, parent=condition.id) for a in sub.aliases]
                entries += [
                    Entry("SUBTYPE", sub.id, a, parent=condition.id, cased=a) for a in sub.abbreviations
                ]
        for record in [*db.therapies.values(), *db.conditions.values()]:  # type: ignore[attr-defined]
            entries += [Entry("IGNORE", record.id, phrase) for phrase in getattr(record, "not_aliases", ())]
        for outcome in db.outcomes.values():  # type: ignore[attr-defined]
            entries += [Entry("OUTCOME", outcome.id, cue) for cue in outcome.cues]
        lexicon = cls(entries)
        for outcome in db.outcomes.values():  # type: ignore[attr-defined]
            for vo in getattr(outcome, "verb_object", ()):
                lexicon.add_verb_object(Entry("OUTCOME", outcome.id, f"verb + object cue of '{outcome.name}'"),
                                        vo.verbs, vo.objects, vo.max_gap)
        return lexicon

    # ------------------------------------------------------------------ spotting (parse/spot.py)
    def entity_keys(self) -> Iterator[tuple[str, Entry]]:
        """``(key, entry)`` for every therapy, condition and subtype key ``find`` matches."""
        for key, bucket in self._by_key.items():
            for entry in bucket:
                if entry.label in ("THERAPY", "CONDITION", "SUBTYPE"):
                    yield key, entry

    def correction(self, word: str) -> tuple[str, int] | None:
        """The vocabulary word ``find``'s fuzzy pass puts in place of ``word`` (a token of folded
        text) and its edit distance, if any."""
        fixed = self._correct(word)
        return None if fixed is None else (fixed[0], fixed[2])

    # ------------------------------------------------------------------ matching
    def find(self, text: str) -> list[Term]:
        """All term mentions in ``text``, longest match first at each position, no overlaps."""
        folded, offsets = fold(text)
        found = self._scan(text, folded, offsets, method="exact")
        found += self._verb_object_terms(text, folded, offsets)
        corrections = self._corrections(folded)
        if corrections:
            found += self._fuzzy_pass(text, folded, offsets, corrections)
        found += self._page_abbreviations(text, found)
        return [m for m in _resolve_overlaps(found) if m.label != "IGNORE"]

    def _scan(
        self, text: str, folded: str, offsets: list[int] | None, *, method: str, score: float = 100.0,
    ) -> list[Term]:
        out: list[Term] = []
        if not self._by_key:
            return out
        n = len(folded)
        for end_idx, (key, bucket) in self._automaton.iter(folded):
            start = end_idx - len(key) + 1
            end = end_idx + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < n and folded[end].isalnum()):
                continue
            o_start, o_end = to_original(offsets, start, end)
            surface = text[o_start:o_end]
            for entry in bucket:
                if entry.cased is not None and (not _case_ok(surface, entry.cased) or (
                        entry.cased in CAPS_AMBIGUOUS and _in_caps_run(text, o_start, o_end))):
                    continue
                out.append(Term(
                    label=entry.label, id=entry.id, text=surface, start=o_start, end=o_end,
                    alias=entry.alias, score=score,
                    method="abbreviation" if entry.cased is not None and method == "exact" else method,
                    parent=entry.parent,
                ))
        return out

    # ------------------------------------------------------------------ fuzzy
    def _correct(self, word: str) -> tuple[str, float, int] | None:
        """The alias word ``word`` misspells, its similarity and edit distance (cached per word)."""
        cached = self._fuzzy_cache.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result: tuple[str, float, int] | None = None
        bare = word.replace("'", "")
        if bare not in FUZZY_EXCEPTIONS and bare not in self.vocabulary and not any(
            bare.endswith(suffix) and bare[: -len(suffix)] in self.vocabulary for suffix in ("s", "es", "'s")
        ):
            # OSA counts a swap of two letters ("scelrosis") as one edit
            max_edits = 1 if len(bare) < 10 else 2
            pool = [w for n in range(len(bare) - max_edits, len(bare) + max_edits + 1)
                    for w in self._vocab_buckets.get((bare[0], n), ())]
            if pool:
                best = process.extractOne(bare, pool, scorer=OSA.distance, score_cutoff=max_edits)
                if best is not None:
                    dist = int(best[1])
                    result = (best[0], round(100.0 * (1 - dist / max(len(bare), len(best[0]))), 1), dist)
        if len(self._fuzzy_cache) > _FUZZY_CACHE_LIMIT:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[word] = result
        return result

    def _corrections(self, folded: str) -> dict[str, tuple[str, float, int]]:
        out: dict[str, tuple[str, float, int]] = {}
        for word in set(_WORD.findall(folded)):
            fixed = self._correct(word)
            if fixed is not None:
                out[word] = fixed
        return out

    def _fuzzy_pass(
        self, text: str, folded: str, offsets: list[int] | None, corrections: dict[str, tuple[str, float, int]],
    ) -> list[Term]:
        """Re-scan a window around each misspelled word with the word corrected.

        A corrected word counts inside a multi-word alias whose other words are spelled right
        ("multiple scelrosis"), or alone when it is long and one edit away: a lone word two
        edits from a product name is more often another word ("regenerates" / "Regenecyte").
        """
        orig = (lambda i: i) if offsets is None else offsets.__getitem__
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(corrections, key=len, reverse=True))) + r")\b")
        hits: list[Term] = []
        for m in pattern.finditer(folded):
            fixed, score, dist = corrections[m.group(1)]
            lo = folded.rfind(" ", 0, max(0, m.start() - _FUZZY_WINDOW)) + 1
            hi = folded.find(" ", m.end() + _FUZZY_WINDOW)
            hi = len(folded) if hi < 0 else hi
            window = folded[lo:m.start()] + fixed + folded[m.end():hi]
            # every corrected character maps into the misspelled word's span of the original
            local = [orig(k) for k in range(lo, m.start())]
            a = len(local)
            local += [orig(min(m.start() + k, m.end() - 1)) for k in range(len(fixed))]
            b = len(local)
            local += [orig(k) for k in range(m.end(), hi)]
            local.append(orig(hi) if hi < len(folded) else len(text))
            for match in self._scan(text, window, local, method="fuzzy"):
                if not (match.start < local[b - 1] + 1 and local[a] < match.end):
                    continue
                words = len(match.alias.split())
                if words == 1 and (len(match.text) < 8 or dist > 1):
                    continue
                hits.append(replace(match, score=score))
        return hits

    # ------------------------------------------------------------------ page abbreviations
    def _page_abbreviations(self, text: str, found: list[Term]) -> list[Term]:
        """"long form (ABBR)" defines ABBR for the rest of the page."""
        defined: dict[str, Term] = {}
        for match in found:
            if match.label not in ("THERAPY", "CONDITION") or match.method == "abbreviation":
                continue
            m = _ABBR_DEF.match(text, match.end)
            if m and sum(c.isupper() for c in m.group(1)) >= 2:
                defined.setdefault(m.group(1), match)
        out: list[Term] = []
        for abbr, source in defined.items():
            for m in re.finditer(r"(?<![A-Za-z0-9])" + re.escape(abbr) + r"(?:'?s)?(?![A-Za-z0-9])", text):
                out.append(Term(
                    label=source.label, id=source.id, text=m.group(0), start=m.start(), end=m.end(),
                    alias=f"{abbr} (defined as {source.text!r})", method="page_abbreviation",
                ))
        return out


def _inflections(verb: str) -> set[str]:
    """Base, -s/-es, -ed/-d and -ing forms of a (last word of a) verb phrase."""
    head, _, last = verb.rpartition(" ")
    prefix = head + " " if head else ""
    stem = last[:-1] if last.endswith("e") else last
    forms = {last, last + "s", last + "es", last + "d", last + "ed", stem + "ing", last + "ing"}
    if last.endswith("y"):
        forms |= {last[:-1] + "ies", last[:-1] + "ied"}
    return {prefix + f for f in forms}


#: abbreviations that are also ordinary words when a heading or button is set in capitals
#: ("STEM CELLS FOR ALL", "ED" in "TREATED"): inside a run of capitalised words they are not read
CAPS_AMBIGUOUS = frozenset({"ALL", "TEA", "LES", "SEP", "EM", "ED", "ELA", "SLA", "ESC", "EV", "RES", "CIS",
                            "DM", "MG", "CD", "MM", "CP", "PD", "OA", "RA", "HF", "ASC", "MPC", "NPC", "PSC"})
_WORD_BEFORE = re.compile(r"([A-Za-z]{2,})[^A-Za-z\n]{1,3}$")
_WORD_AFTER = re.compile(r"^[^A-Za-z\n]{1,3}([A-Za-z]{2,})")


def _in_caps_run(text: str, start: int, end: int) -> bool:
    """Is the word at [start, end) next to another all-capitals word (a heading in capitals)?"""
    before = _WORD_BEFORE.search(text[max(0, start - 40):start])
    after = _WORD_AFTER.search(text[end:end + 40])
    return any(m is not None and m.group(1).isupper() for m in (before, after))


def _case_ok(surface: str, cased: str) -> bool:
    clean = "".join(c for c in surface if c not in DROP_CHARS).replace("\u2019", "'")
    if not clean.isascii():  # full-width "ＭＳ" is "MS" (NFKC keeps look-alikes such as Cyrillic "М")
        clean = unicodedata.normalize("NFKC", clean)
    return clean in (cased, cased + "s", cased + "'s")


def _resolve_overlaps(matches: list[Term]) -> list[Term]:
    """Keep the longest match where matches overlap; on ties prefer exact over fuzzy.

    Entity mentions (therapy, condition, subtype, look-alike) compete with each other; outcome
    cues only with outcome cues, so "cure autism" keeps both the promise and the condition.
    """
    if not matches:
        return []
    rank = {"exact": 0, "abbreviation": 0, "page_abbreviation": 1, "fuzzy": 2}
    ordered = sorted(matches, key=lambda m: (-(m.end - m.start), rank.get(m.method, 3), m.start))
    size = max(m.end for m in matches) + 1
    occupied = {True: bytearray(size), False: bytearray(size)}
    taken: list[Term] = []
    for match in ordered:
        mask = occupied[match.label == "OUTCOME"]
        if mask.find(1, match.start, match.end) != -1:
            continue
        taken.append(match)
        mask[match.start:match.end] = b"\x01" * (match.end - match.start)
    return sorted(taken, key=lambda m: (m.start, m.end))


def has_confusables(surface: str) -> bool:
    return any(c in CONFUSABLE_CHARS for c in surface)
