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
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import ahocorasick
from rapidfuzz import process
from rapidfuzz.distance import OSA

from factcheck.lang.pack import LanguagePack, bundled_packs
from factcheck.models import TermMatch, trusted
from factcheck.parse.finder import finditer
from factcheck.parse.normalize import (
    CONFUSABLE_CHARS,
    DROP_CHARS,
    bounded_key,
    fold,
    normalize_key,
    to_original,
    word_bounded,
)

if TYPE_CHECKING:
    from factcheck.db import EvidenceDB

_WORD = re.compile(r"[a-z][a-z']{5,}")
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
    #: language of the alias (None: the top-level, English fields). Full aliases are read in text
    #: of any language; abbreviations ("EM", "ELA") only in text of their own language
    lang: str | None = None


class Lexicon:
    """Aliases of a database compiled for matching. Build once; safe to share across pages."""

    def __init__(self, entries: Iterable[Entry], languages: Mapping[str, LanguagePack] | None = None) -> None:
        #: the language packs: an alias takes the plural and verb rules of its language (English
        #: for the top-level fields); text of a language is read with its fuzzy exceptions and
        #: capitals-ambiguous abbreviations
        self.packs: dict[str, LanguagePack] = dict(bundled_packs() if languages is None else languages)
        if "en" not in self.packs:
            raise ValueError("the English language pack is required (top-level aliases are English)")
        english_pack = self.packs["en"]
        self._by_key: dict[str, list[Entry]] = {}
        for entry in entries:
            base = normalize_key(entry.alias)
            if not base:
                continue
            pack = self.packs.get(entry.lang or "en", english_pack)
            for key in pack.variants(base) if entry.cased is None else pack.abbreviation_variants(base):
                bucket = self._by_key.setdefault(key, [])
                if entry not in bucket:
                    bucket.append(entry)
        self._automaton = ahocorasick.Automaton()
        for key, bucket in self._by_key.items():
            self._automaton.add_word(key, (key, tuple(bucket)))
        if self._by_key:
            self._automaton.make_automaton()
        # the same keys between spaces, for the page with every non-alphanumeric a space
        # (_bounded_matches): only word-bounded matches come out, not the keys inside words
        slots: dict[str, list[tuple[str, tuple[Entry, ...]]]] = {}
        for key, bucket in self._by_key.items():
            slots.setdefault(bounded_key(key), []).append(
                (key, tuple(bucket)))
        self._bounded = ahocorasick.Automaton()
        for padded, keys in slots.items():
            self._bounded.add_word(padded, (len(padded) - 2, tuple(keys)))
        if slots:
            self._bounded.make_automaton()
        # fuzzy correction only towards therapy/condition words: outcome cues are everyday words
        # ("reversal" would "correct" referral); words of a translated alias only in text of that
        # language (an English word must not be "corrected" into a Spanish one)
        words_by_lang: dict[str | None, set[str]] = {None: set()}
        for key, bucket in self._by_key.items():
            for e in bucket:
                if e.label in ("THERAPY", "CONDITION", "SUBTYPE"):
                    words_by_lang.setdefault(e.lang, set()).update(
                        w for w in key.replace("'", "").split() if len(w) >= 6)
        english = frozenset(words_by_lang.pop(None))
        translated: dict[str, set[str]] = {code: w for code, w in words_by_lang.items() if code is not None}
        self.vocabulary: frozenset[str] = english
        exceptions = {code: frozenset(p.spec.fuzzy_exceptions) for code, p in self.packs.items()}
        caps = {code: frozenset(p.spec.caps_ambiguous) for code, p in self.packs.items()}
        self._fuzzy: dict[str | None, _Fuzzy] = {None: _Fuzzy(english, exceptions["en"], caps["en"])}
        for code in {*self.packs, *translated} - {"en"}:
            # text of another language may quote English words: English exceptions hold there too
            self._fuzzy[code] = _Fuzzy(english | translated.get(code, set()),
                                       exceptions["en"] | exceptions.get(code, frozenset()),
                                       caps["en"] | caps.get(code, frozenset()))
        #: languages that have aliases of their own
        self.languages: frozenset[str] = frozenset(
            e.lang for bucket in self._by_key.values() for e in bucket if e.lang is not None)
        self._phrases: list[tuple[re.Pattern[str], Entry]] = []
        self._verb_forms: dict[str, list[int]] = {}  # verb form -> indexes into _phrases
        self._verbs: ahocorasick.Automaton | None = None

    def add_verb_object(self, entry: Entry, verbs: Iterable[str], objects: Iterable[str], max_gap: int) -> None:
        """Match ``verb (up to max_gap words) object`` for ``entry`` (an OUTCOME).

        Verbs are spotted in one Aho-Corasick pass and the pattern is only tried where one
        starts: a regular expression that begins with a long alternation would be tried at
        every position of the page.
        """
        pack = self.packs.get(entry.lang or "en", self.packs["en"])
        forms = sorted({f for v in verbs for f in pack.inflections(normalize_key(v))}, key=len, reverse=True)
        objs = sorted({o for obj in objects for o in pack.variants(normalize_key(obj))}, key=len, reverse=True)
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
    def from_db(cls, db: EvidenceDB, languages: Mapping[str, LanguagePack] | None = None) -> Lexicon:
        """Compile the aliases of an ``EvidenceDB`` (therapies, conditions, subtypes, outcomes), in every language."""
        entries: list[Entry] = []
        ignore: list[Entry] = []  # look-alike phrases go after every alias, therapies' first
        condition_ignore: list[Entry] = []
        for therapy in db.therapies.values():
            generic = therapy.kind == "unspecified"
            fixed = {normalize_key(a) for a in therapy.fixed_aliases}
            fixed |= {normalize_key(a) for tr in therapy.translations.values() for a in tr.fixed_aliases}
            entries.append(Entry("THERAPY", therapy.id, therapy.name, generic=generic))
            for lang, fields in _languages(therapy):
                entries += [Entry("THERAPY", therapy.id, a, generic=generic and normalize_key(a) not in fixed,
                                  lang=lang) for a in [*fields.aliases, *fields.fixed_aliases]]
                entries += [Entry("THERAPY", therapy.id, a, cased=a, lang=lang,
                                  generic=generic and normalize_key(a) not in fixed) for a in fields.abbreviations]
                ignore += [Entry("IGNORE", therapy.id, phrase, lang=lang) for phrase in fields.not_aliases]
        for condition in db.conditions.values():
            entries.append(Entry("CONDITION", condition.id, condition.name))
            for lang, cfields in _languages(condition):
                entries += [Entry("CONDITION", condition.id, a, lang=lang) for a in cfields.aliases]
                entries += [Entry("CONDITION", condition.id, a, cased=a, lang=lang) for a in cfields.abbreviations]
                condition_ignore += [Entry("IGNORE", condition.id, phrase, lang=lang) for phrase in cfields.not_aliases]
            for sub in condition.subtypes:
                for lang, sfields in _languages(sub):
                    entries += [Entry("SUBTYPE", sub.id, a, parent=condition.id, lang=lang) for a in sfields.aliases]
                    entries += [Entry("SUBTYPE", sub.id, a, parent=condition.id, cased=a, lang=lang)
                                for a in sfields.abbreviations]
        entries += ignore + condition_ignore
        for outcome in db.outcomes.values():
            for lang, ofields in _languages(outcome):
                entries += [Entry("OUTCOME", outcome.id, cue, lang=lang) for cue in ofields.cues]
        lexicon = cls(_english_first(entries), languages)
        for outcome in db.outcomes.values():
            for lang, ofields in _languages(outcome):
                for vo in ofields.verb_object:
                    lexicon.add_verb_object(
                        Entry("OUTCOME", outcome.id, f"verb + object cue of '{outcome.name}'", lang=lang),
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
        for fuzzy in self._fuzzy.values():  # any language's vocabulary: the pre-check must never say no wrongly
            fixed = self._correct(word, fuzzy)
            if fixed is not None:
                return fixed[0], fixed[2]
        return None

    # ------------------------------------------------------------------ matching
    def find(self, text: str, lang: str = "en", spans: Sequence[tuple[int, int, str]] | None = None) -> list[Term]:
        """All term mentions in ``text``, longest match first at each position, no overlaps.

        ``lang`` (ISO 639-1) is the language of the text: it decides which language-specific
        abbreviations are read and which alias words misspellings are corrected towards.
        ``spans`` ``(start, end, lang)`` mark blocks in another language (a Spanish testimonial
        on an English page): abbreviations of that language are read there too.
        """
        folded, offsets = fold(text)
        fuzzy = self._fuzzy.get(lang, self._fuzzy[None])
        found = self._scan(text, folded, offsets, method="exact", lang=lang, caps=fuzzy.caps_ambiguous,
                           spans=spans)
        found += self._verb_object_terms(text, folded, offsets)
        corrections = self._corrections(folded, fuzzy)
        if corrections:
            found += self._fuzzy_pass(text, folded, offsets, corrections, lang, fuzzy.caps_ambiguous)
        found += self._page_abbreviations(text, found)
        return [m for m in _resolve_overlaps(found) if m.label != "IGNORE"]

    def _scan(
        self, text: str, folded: str, offsets: list[int] | None, *, method: str, score: float = 100.0,
        lang: str = "en", caps: frozenset[str] = frozenset(), spans: Sequence[tuple[int, int, str]] | None = None,
        cover: tuple[int, int] | None = None,
    ) -> list[Term]:
        """Word-bounded key matches of ``folded`` as terms of ``text``; with ``cover`` (original
        offsets) only those that overlap ``[cover[0], cover[1])``."""
        out: list[Term] = []
        if not self._by_key:
            return out
        append = out.append
        cased_method = "abbreviation" if method == "exact" else method
        for start, end, bucket in (self._bounded_matches(folded) if cover is None
                                   else self._word_matches_in(folded)):
            o_start, o_end = (start, end) if offsets is None else to_original(offsets, start, end)
            if cover is not None and not (o_start < cover[1] and cover[0] < o_end):
                continue
            surface = text[o_start:o_end]
            for entry in bucket:
                if entry.cased is None:  # most entries: no language or case test
                    append(Term(entry.label, entry.id, surface, o_start, o_end, entry.alias, score, method,
                                entry.parent))
                    continue
                if entry.lang is not None and entry.lang != lang and not (
                        spans and any(s <= o_start < e and code == entry.lang for s, e, code in spans)):
                    continue
                if not _case_ok(surface, entry.cased) or (
                        entry.cased in caps and _in_caps_run(text, o_start, o_end)) or _numbered(text, o_end):
                    continue
                append(Term(entry.label, entry.id, surface, o_start, o_end, entry.alias, score, cased_method,
                            entry.parent))
        return out

    def _word_matches_in(self, folded: str) -> Iterator[tuple[int, int, tuple[Entry, ...]]]:
        """``(start, end, entries)`` of every key match between non-alphanumerics, in the
        automaton's order (by end, longest first)."""
        n = len(folded)
        for end_idx, (key, bucket) in self._automaton.iter(folded):
            start = end_idx - len(key) + 1
            end = end_idx + 1
            if (start > 0 and folded[start - 1].isalnum()) or (end < n and folded[end].isalnum()):
                continue
            yield start, end, bucket

    def _bounded_matches(self, folded: str) -> Iterator[tuple[int, int, tuple[Entry, ...]]]:
        """``_word_matches_in`` from one pass over a copy of ``folded`` with every non-alphanumeric
        a space, where only word-bounded keys match (a page holds many keys inside words)."""
        for last, (size, keys) in self._bounded.iter(word_bounded(folded)):
            start = last - size - 1  # in ``folded``: the padding's leading space is offset 0
            for key, bucket in keys:
                if folded.startswith(key, start):
                    yield start, start + size, bucket

    # ------------------------------------------------------------------ fuzzy
    def _correct(self, word: str, fuzzy: _Fuzzy | None = None) -> tuple[str, float, int] | None:
        """The alias word ``word`` misspells, its similarity and edit distance (cached per word)."""
        fuzzy = self._fuzzy[None] if fuzzy is None else fuzzy
        cached = fuzzy.cache.get(word, False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        result: tuple[str, float, int] | None = None
        bare = word.replace("'", "")
        vocabulary = fuzzy.vocabulary
        if bare not in fuzzy.exceptions and bare not in vocabulary and not any(
            bare.endswith(suffix) and bare[: -len(suffix)] in vocabulary for suffix in ("s", "es", "'s")
        ):
            # OSA counts a swap of two letters ("scelrosis") as one edit
            max_edits = 1 if len(bare) < 10 else 2
            pool = [w for n in range(len(bare) - max_edits, len(bare) + max_edits + 1)
                    for w in fuzzy.buckets.get((bare[0], n), ())]
            if pool:
                best = process.extractOne(bare, pool, scorer=OSA.distance, score_cutoff=max_edits)
                if best is not None:
                    dist = int(best[1])
                    result = (best[0], round(100.0 * (1 - dist / max(len(bare), len(best[0]))), 1), dist)
        if len(fuzzy.cache) > _FUZZY_CACHE_LIMIT:
            fuzzy.cache.clear()
        fuzzy.cache[word] = result
        return result

    def _corrections(self, folded: str, fuzzy: _Fuzzy) -> dict[str, tuple[str, float, int]]:
        out: dict[str, tuple[str, float, int]] = {}
        for word in set(_WORD.findall(folded)):
            fixed = self._correct(word, fuzzy)
            if fixed is not None:
                out[word] = fixed
        return out

    def _fuzzy_pass(
        self, text: str, folded: str, offsets: list[int] | None, corrections: dict[str, tuple[str, float, int]],
        lang: str = "en", caps: frozenset[str] = frozenset(),
    ) -> list[Term]:
        """Re-scan a window around each misspelled word with the word corrected.

        A corrected word counts inside a multi-word alias whose other words are spelled right
        ("multiple scelrosis"), or alone when it is long and one edit away: a lone word two
        edits from a product name is more often another word ("regenerates" / "Regenecyte").
        """
        orig = (lambda i: i) if offsets is None else offsets.__getitem__
        hits: list[Term] = []
        # the matches of \b(w1|w2...)\b, longest word first, found with str.find (no regex built
        # and run per page)
        for m_start, m_end, word in _word_matches(folded, sorted(corrections, key=len, reverse=True)):
            fixed, score, dist = corrections[word]
            lo = folded.rfind(" ", 0, max(0, m_start - _FUZZY_WINDOW)) + 1
            hi = folded.find(" ", m_end + _FUZZY_WINDOW)
            hi = len(folded) if hi < 0 else hi
            window = folded[lo:m_start] + fixed + folded[m_end:hi]
            # every corrected character maps into the misspelled word's span of the original
            if offsets is None:
                local = list(range(lo, m_start))
                local += [min(m_start + k, m_end - 1) for k in range(len(fixed))]
                local += range(m_end, hi)
            else:
                local = offsets[lo:m_start]
                local += [offsets[min(m_start + k, m_end - 1)] for k in range(len(fixed))]
                local += offsets[m_end:hi]
            a, b = m_start - lo, m_start - lo + len(fixed)
            local.append(orig(hi) if hi < len(folded) else len(text))
            # only matches over the corrected word are kept: the others are dropped in _scan,
            # before their case tests and terms
            for match in self._scan(text, window, local, method="fuzzy", lang=lang, caps=caps,
                                    cover=(local[a], local[b - 1] + 1)):
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
            # tried only where the abbreviation stands: re tries a pattern that opens with a
            # lookbehind at every position of the page
            literal = re.escape(abbr)
            pattern = re.compile(r"(?<![A-Za-z0-9])" + literal + r"(?:'?s)?(?![A-Za-z0-9])")
            for m in finditer(pattern, re.compile(literal), text):
                out.append(Term(
                    label=source.label, id=source.id, text=m.group(0), start=m.start(), end=m.end(),
                    alias=f"{abbr} (defined as {source.text!r})", method="page_abbreviation",
                ))
        return out


@dataclass(slots=True)
class _Fuzzy:
    """The alias words misspellings are corrected towards in one language, and its cache."""

    vocabulary: frozenset[str]
    #: real words one or two edits from an alias word: never "corrected" (degeneration is no typo of regeneration)
    exceptions: frozenset[str] = frozenset()
    #: abbreviations that are also ordinary words in a heading set in capitals ("STEM CELLS FOR ALL")
    caps_ambiguous: frozenset[str] = frozenset()
    buckets: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    cache: dict[str, tuple[str, float, int] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for word in sorted(self.vocabulary):
            self.buckets.setdefault((word[0], len(word)), []).append(word)


def _numbered(text: str, end: int) -> bool:
    """An abbreviation followed by a number is a code ("CD-133", "CD 34" cells), not the condition."""
    return end + 1 < len(text) and text[end] in "-\u2010\u2011 " and text[end + 1].isdigit()


def _languages(obj: Any) -> list[tuple[str | None, Any]]:
    """``(language, fields)`` of an entity: its top-level (English) fields, then each translation."""
    return [(None, obj), *sorted(obj.translations.items())]


def _english_first(entries: list[Entry]) -> list[Entry]:
    # the order of entries in a key's bucket decides which alias a match reports: keep the English
    # order of before translations existed, translated entries after it
    return [e for e in entries if e.lang is None] + [e for e in entries if e.lang is not None]


# a neighbour across a list separator ("TEA, ELA, EM") is another list item, not heading words
_WORD_BEFORE = re.compile(r"([A-Za-z]{2,})[^A-Za-z\n,;/|()]{1,3}$")
_WORD_AFTER = re.compile(r"^[^A-Za-z\n,;/|()]{1,3}([A-Za-z]{2,})")


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # re's \w on str


def _word_matches(text: str, words: list[str]) -> list[tuple[int, int, str]]:
    """``(start, end, word)`` of ``re.finditer(r"\b(w1|w2|...)\b", text)`` with the words longest
    first, found with ``str.find`` (a regex alternation that starts with ``\b`` walks the whole text).

    At one start the longest word that has a boundary after it wins; matches do not overlap.
    """
    n = len(text)
    found: list[tuple[int, int, str]] = []
    for w in words:
        size = len(w)
        i = text.find(w)
        while i >= 0:
            j = i + size
            if ((i > 0 and _is_word(text[i - 1])) != _is_word(text[i])
                    and _is_word(text[j - 1]) != (j < n and _is_word(text[j]))):
                found.append((i, -size, w))
            i = text.find(w, i + 1)
    found.sort()
    out: list[tuple[int, int, str]] = []
    pos = 0
    for i, neg, w in found:
        if i >= pos:
            out.append((i, i - neg, w))
            pos = i - neg
    return out


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


_SPAN = attrgetter("start", "end")


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
    return sorted(taken, key=_SPAN)


def has_confusables(surface: str) -> bool:
    # the look-alikes are all non-ASCII: an ASCII surface (nearly every one) is tested in C
    return not surface.isascii() and not CONFUSABLE_CHARS.isdisjoint(surface)
