"""A language pack: the data of one language, read from ``<folder>/language.json`` and ``context_rules.json``.

Everything the matcher needs to know about a language lives here as data: sentence ends and
abbreviations, plural and verb inflection rules (used to expand aliases and verb-object cues),
words never "corrected" by the fuzzy matcher, abbreviations that are ordinary words in headings
set in capitals, punctuation that stops a negation's scope, number formats, and function words
for language identification. Both files are validated on load; errors name file, line and field.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Iterable
from importlib.resources import files as resource_files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from factcheck.models import LANGUAGE_PATTERN
from factcheck.parse.rules import ContextRule, RuleError, parse_rules, safe_regex

__all__ = ["LanguageError", "LanguagePack", "bundled_pack", "bundled_packs", "load_pack"]

LANGUAGE_FILE = "language.json"
RULES_FILE = "context_rules.json"
_MAX_COMBINATIONS = 64  # inflecting every word of a long alias at once: beyond this, skip


class LanguageError(ValueError):
    """An unusable language pack; the message reads ``path:line: field: message`` per problem."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SuffixRule(_Data):
    """Replace the last ``strip`` letters of a word ending in one of ``ending`` by each of ``add``."""

    #: the word must end with one of these ("" = any ending)
    ending: tuple[str, ...] = ("",)
    except_endings: tuple[str, ...] = ()
    strip: int = Field(default=0, ge=0, le=6)
    add: tuple[str, ...] = ("",)
    #: the word (or, with ``length_of: "alias"``, the whole alias) must have at least this many characters
    min_length: int = Field(default=0, ge=0)
    length_of: Literal["word", "alias"] = "word"

    def apply(self, word: str, alias: str = "") -> list[str]:
        measured = alias if self.length_of == "alias" and alias else word
        if len(measured) < self.min_length or not word.endswith(self.ending) or (
                self.except_endings and word.endswith(self.except_endings)):
            return []
        stem = word[:len(word) - self.strip] if self.strip else word
        return [stem + suffix for suffix in self.add]


class Inflection(_Data):
    """How aliases take plurals and verbs their forms (on folded, accent-free keys)."""

    #: spelling variants of a noun (plurals and singulars); only words ending in a letter take them
    plural: tuple[SuffixRule, ...] = ()
    #: which words of a multi-word alias inflect: "last" (English "stem cells"), "first" (Spanish
    #: "células madre"), "all" (every word at once: "lesiones medulares")
    plural_words: tuple[Literal["first", "last", "all"], ...] = ("last",)
    #: added to a letter-final alias as a whole ("'s")
    possessive: tuple[str, ...] = ()
    #: closed compounds: "stem cells" -> "stemcells" (+ these suffixes) when both words have >= 3 letters
    join_compounds: bool = False
    compound_suffixes: tuple[str, ...] = ()
    #: suffixes an abbreviation may take ("MSCs", "MSC's")
    abbreviation_suffixes: tuple[str, ...] = ()
    #: common non-standard forms of a phrase inside aliases, as folded ``[standard, variant]`` pairs
    #: (Latin-American "celulas madres" for "celulas madre"): every alias holding the first also
    #: matches with the second
    phrase_variants: tuple[tuple[str, str], ...] = ()
    #: forms of a verb of a verb-object cue (the base form is always kept)
    verb: tuple[SuffixRule, ...] = ()
    verb_words: Literal["first", "last"] = "last"


class Sentences(_Data):
    #: abbreviations ending in "." that do not end a sentence (lower case: "dr.", "sra.", "etc.")
    abbreviations: tuple[str, ...] = ()
    #: characters that may open a sentence besides A-Z, digits, quotes and brackets ("¿", "¡", "Á")
    openers: str = ""


class NumberFormat(_Data):
    """How prices and counts are written ("USD 14.900", "$ 250.000 MXN", "R$ 1.500,00")."""

    decimal_separator: str = Field(default=".", min_length=1, max_length=1)
    thousands_separators: tuple[str, ...] = (",",)
    currency_symbols: tuple[str, ...] = ()
    currency_codes: tuple[str, ...] = ()


class Narration(_Data):
    """How a sentence retells what happened: regular expressions, case-insensitive, on the page's own
    text (accents kept). On a page that informs, a sentence with a ``past`` form ("received",
    "recibió", "volvió") and no ``first_person`` word retells events (news, a case) and asserts
    nothing of the page's own; a first-person result ("I had stem cells and now I walk") is the
    writer's own testimony."""

    past: tuple[str, ...] = ()
    first_person: tuple[str, ...] = ()

    @field_validator("past", "first_person")
    @classmethod
    def _safe(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(safe_regex(p) for p in patterns)  # they run on page text: no catastrophic backtracking


class LanguageSpec(_Data):
    """The content of ``language.json``."""

    code: str = Field(pattern=LANGUAGE_PATTERN)
    name: str = Field(min_length=1)
    #: the language ``spacy.blank`` is called with for a Doc of a page in this language
    spacy_lang: str = Field(pattern=r"^[a-z]{2,3}$")
    comment: str = ""
    sentences: Sentences = Sentences()
    inflection: Inflection = Inflection()
    #: real words one or two edits from an alias word, never "corrected" to it
    fuzzy_exceptions: tuple[str, ...] = ()
    #: abbreviations that are also ordinary words when a heading is set in capitals
    caps_ambiguous: tuple[str, ...] = ()
    #: a negation does not reach over these (a list, a parenthesis, a clause break)
    negation_barriers: tuple[str, ...] = ()
    numbers: NumberFormat = NumberFormat()
    #: packs whose cue rules also apply to pages in this language, before its own (clinic pages in
    #: Spanish quote English marketing words: "WhatsApp", "stem cells")
    rules_from: tuple[str, ...] = ()
    #: literals of those inherited rules that are ordinary words here (Portuguese "no" is "in the")
    rules_except: tuple[str, ...] = ()
    #: frequent function words of the language (folded), for language identification
    function_words: tuple[str, ...] = ()
    #: letters and marks (not folded) that hardly occur in the other languages ("ñ", "¿"), one vote each
    distinctive_characters: str = ""
    narration: Narration = Narration()


class LanguagePack:
    """One language: its ``language.json`` (validated) and its cue rules. Immutable once built."""

    __slots__ = ("_narration", "_sentence_end", "folder", "rules", "spec")

    def __init__(self, spec: LanguageSpec, rules: Iterable[ContextRule], folder: str) -> None:
        self.spec = spec
        self.rules: tuple[ContextRule, ...] = tuple(rules)
        self.folder = folder
        # a sentence ends at . ! ? (plus closing quotes/brackets) followed by space and a capital,
        # digit, quote or the language's openers; (?<![.!?]) keeps a long run of dots linear
        openers = re.escape(spec.sentences.openers) if spec.sentences.openers else ""
        self._sentence_end = re.compile(
            r"(?<![.!?])[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[A-Z0-9\"'\u201c\u2018(\[" + openers + "])")
        self._narration = tuple(
            re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE) if patterns else None
            for patterns in (spec.narration.past, spec.narration.first_person))

    @property
    def code(self) -> str:
        return self.spec.code

    @property
    def sentence_end(self) -> re.Pattern[str]:
        return self._sentence_end

    @property
    def narration_patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        """The compiled ``narration`` patterns: (past verb forms, first-person words); None where empty."""
        past, first_person = self._narration
        return past, first_person

    def narrated(self, sentence: str) -> str | None:
        """The first verb form of ``sentence`` that retells a past event in the third person
        (``narration``), if any."""
        past, first_person = self._narration
        found = past.search(sentence) if past is not None else None
        if found is None or (first_person is not None and first_person.search(sentence)):
            return None
        return found.group(0)

    def __repr__(self) -> str:
        return f"LanguagePack({self.code!r}, {len(self.rules)} cue rules, from {self.folder})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.spec.model_dump(mode="json"), [r.model_dump() for r in self.rules], self.folder))

    # ------------------------------------------------------------------ inflection
    def variants(self, key: str) -> set[str]:
        """Spelling variants of a folded alias: plurals/singulars, possessive, joined compound."""
        inf = self.spec.inflection
        out = {key}
        words = key.split(" ")
        if key and key[-1].isalpha():
            out |= {key + suffix for suffix in inf.possessive}
        for which in inf.plural_words:
            out |= _inflect_words(words, which, inf.plural, letter_final=True)
        if "'" in key:
            out |= {v.replace("'", "") for v in list(out)}
        for standard, variant in inf.phrase_variants:
            out |= {re.sub(rf"(?<![a-z]){re.escape(standard)}(?![a-z])", variant, v) for v in list(out)}
        if inf.join_compounds:
            for i in range(len(words) - 1):
                if len(words[i]) >= 3 and len(words[i + 1]) >= 3:
                    joined = " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2:]])
                    out.add(joined)
                    if joined[-1].isalpha():
                        out |= {joined + s for s in inf.compound_suffixes}
        return out

    def abbreviation_variants(self, key: str) -> set[str]:
        return {key} | {key + s for s in self.spec.inflection.abbreviation_suffixes}

    def inflections(self, verb: str) -> set[str]:
        """Forms of the inflecting word of a verb phrase (the base form included)."""
        inf = self.spec.inflection
        return {verb} | _inflect_words(verb.split(" "), inf.verb_words, inf.verb, letter_final=False)


def _inflect_words(words: list[str], which: str, rules: tuple[SuffixRule, ...], *, letter_final: bool) -> set[str]:
    positions = [0] if which == "first" else [len(words) - 1] if which == "last" else list(range(len(words)))
    if which == "all" and len(words) < 2:
        return set()
    forms: list[list[str]] = []
    for i in positions:
        word = words[i]
        if letter_final and not (word and word[-1].isalpha()):
            return set()
        forms.append([f for rule in rules for f in rule.apply(word, " ".join(words))])
    if which != "all":
        return {" ".join([*words[:positions[0]], f, *words[positions[0] + 1:]]) for f in forms[0]}
    # every word inflected at once ("lesion medular" -> "lesiones medulares"); words no rule fits stay
    options = [f or [w] for w, f in zip(words, forms, strict=True)]
    if math.prod(len(o) for o in options) > _MAX_COMBINATIONS:
        return set()
    return {" ".join(combo) for combo in itertools.product(*options)}


def _rebuild(spec: dict[str, Any], rules: list[dict[str, Any]], folder: str) -> LanguagePack:
    return LanguagePack(LanguageSpec.model_validate(spec), [ContextRule.model_validate(r) for r in rules], folder)


# ---------------------------------------------------------------------- loading
def _json_line(text: str, loc: tuple[int | str, ...]) -> int | None:
    """Best-effort line of a pydantic location in a JSON text: the line of the deepest key found."""
    line: int | None = None
    pos = 0
    for part in loc:
        if isinstance(part, int):
            continue
        m = re.compile(r'"' + re.escape(str(part)) + r'"\s*:').search(text, pos)
        if m is None:
            break
        pos = m.end()
        line = text.count("\n", 0, m.start()) + 1
    return line


def _read_json(entry: Traversable | Path, display: str) -> tuple[Any, str]:
    try:
        text = entry.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LanguageError(f"{display}: cannot read: {exc}") from exc
    try:
        return json.loads(text), text
    except json.JSONDecodeError as exc:
        raise LanguageError(f"{display}:{exc.lineno}: not JSON: {exc.msg}") from exc


def _load(folder: Traversable | Path, display: str) -> LanguagePack:
    if not folder.is_dir():
        raise LanguageError(f"{display}: not a folder (a language pack is a folder holding {LANGUAGE_FILE})")
    spec_file = folder / LANGUAGE_FILE
    if not spec_file.is_file():
        raise LanguageError(f"{display}: no {LANGUAGE_FILE} (a language pack is a folder holding {LANGUAGE_FILE})")
    data, text = _read_json(spec_file, f"{display}/{LANGUAGE_FILE}")
    try:
        spec = LanguageSpec.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            line = _json_line(text, loc)
            where = f"{display}/{LANGUAGE_FILE}" + (f":{line}" if line else "")
            field = ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")
            msg = f"unknown key {loc[-1]!r}" if err["type"] == "extra_forbidden" else err["msg"]
            problems.append(f"{where}: {field or '(file)'}: {msg}")
        raise LanguageError("\n".join(problems)) from None
    name = getattr(folder, "name", "")
    if name and name != spec.code:
        raise LanguageError(f"{display}/{LANGUAGE_FILE}:{_json_line(text, ('code',))}: code: "
                            f"{spec.code!r} must equal the folder name {name!r}")
    rules: list[ContextRule] = []
    rules_file = folder / RULES_FILE
    if rules_file.is_file():
        rules_data, _ = _read_json(rules_file, f"{display}/{RULES_FILE}")
        try:
            rules = parse_rules(rules_data, f"{display}/{RULES_FILE}")
        except RuleError as exc:
            raise LanguageError(str(exc)) from None
    return LanguagePack(spec, rules, display)


def load_pack(folder: str | Path) -> LanguagePack:
    """A language pack from a folder (``<folder>/language.json`` [+ ``context_rules.json``])."""
    path = Path(folder)
    return _load(path, str(path))


def bundled_pack(code: str) -> LanguagePack:
    """One of the packs shipped in ``factcheck/lang/``."""
    root = resource_files("factcheck.lang")
    if code not in bundled_codes():
        raise LanguageError(f"no bundled language pack {code!r} (bundled: {', '.join(bundled_codes())})")
    return _load(root / code, f"factcheck/lang/{code}")


def bundled_codes() -> tuple[str, ...]:
    root = resource_files("factcheck.lang")
    return tuple(sorted(entry.name for entry in root.iterdir()
                        if entry.is_dir() and (entry / LANGUAGE_FILE).is_file()))


def bundled_packs() -> dict[str, LanguagePack]:
    """Every bundled pack, by code."""
    return {code: bundled_pack(code) for code in bundled_codes()}
