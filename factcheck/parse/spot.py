"""Can this text hold a claim? One cheap, conservative pass before the real analysis.

A claim needs a therapy and a condition (or subtype) among the terms ``Lexicon.find`` returns.
``Spotter.may_claim`` answers from a superset of the places such terms come from, so it may say
True for a page without claims but never False for a page with one:

* exact keys: one Aho-Corasick pass over the folded text (``Lexicon``'s folding and word-boundary
  test) with every therapy, condition and subtype key; abbreviations in a second, case-sensitive
  pass over the text as ``Lexicon``'s case test reads it (drop characters removed, NFKC).
  Look-alike (IGNORE) phrases, overlaps and the capitals-run rule are not applied: they only
  ever remove terms;
* misspellings: the fuzzy pass adds a term only around a word the lexicon corrects. Every
  distinct word goes through the lexicon's own (cached) correction once per process and the
  corrected ones are remembered, so a page costs a set difference and an intersection. Where a
  corrected word could complete the pair, its windows are re-scanned as ``Lexicon._fuzzy_pass``
  does (corrected word in place, key overlapping it, the one-word-alias rule), on folded text;
* abbreviations defined on the page and verb-object cues add no therapy or condition label
  that is not there already.

Everything is derived from the ``Lexicon``; nothing about aliases is repeated here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict

import ahocorasick

from factcheck.parse.lexicon import _FUZZY_WINDOW, Lexicon, _word_matches
from factcheck.parse.normalize import _ASCII_FOLD_BYTES, DROP_CHARS, fold_char

_CONDITIONS = frozenset({"CONDITION", "SUBTYPE"})
_ANY = frozenset({"THERAPY", "CONDITION", "SUBTYPE"})
#: folded text as ASCII bytes -> Lexicon's fuzzy words (runs of letters and apostrophes) between spaces
_WORD_BYTES = bytes(c if (97 <= c <= 122 or c == 39) else 32 for c in range(256))
_ASCII_BYTES = bytes(range(128))
#: UTF-8 bytes with every ASCII non-alphanumeric one a space (the bytes of other characters kept):
#: a key between spaces in text mapped so stands between non-alphanumerics (or the text's ends)
_BOUNDS = bytes(32 if c < 128 and not chr(c).isalnum() else c for c in range(256))
#: remembered words per process; beyond this the memory starts again (the lexicon's cache stays)
_SEEN_LIMIT = 300_000


def non_ascii_chars(text: str) -> set[str]:
    """The distinct non-ASCII characters of ``text`` (ASCII bytes deleted in C, not a regex)."""
    rest = text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES)
    return set(rest.decode("utf-8", "surrogatepass"))


def fold_text(text: str, chars: set[str] | None = None) -> str:
    """``normalize.fold(text)[0]`` without the offsets (and without filling fold's cache).

    A page holds few distinct non-ASCII characters: replacing each everywhere is much cheaper than
    a per-character mapping (``str.translate`` on a non-ASCII string is slow).
    """
    if not text.isascii():
        chars = non_ascii_chars(text) if chars is None else chars
        if all(_folds_alone(c) for c in chars):
            # as normalize.fold does: ASCII folded on the UTF-8 bytes in C (a multi-byte character
            # has no ASCII byte), each other character replaced by its fold, which is ASCII and
            # folded already (or the character itself, which lower() leaves alone): no lower() of a
            # non-ASCII string, which maps character by character
            out = text.encode("utf-8", "surrogatepass").translate(_ASCII_FOLD_BYTES).decode("utf-8", "surrogatepass")
            for char in chars:
                if (to := fold_char(char)) != char:
                    out = out.replace(char, to)
            return out
        for char in chars:
            if (to := fold_char(char)) != char:
                text = text.replace(char, to)
    text = text.lower()  # fold_char's output is lower case already
    for char in "-_/\t\r\n\f\v":
        if char in text:
            text = text.replace(char, " ")
    return text


@functools.lru_cache(maxsize=8192)
def _folds_alone(char: str) -> bool:
    """True when ``fold_text`` maps this non-ASCII character the same wherever it stands, to an
    ASCII string with nothing left to fold or lower, or to itself when ``lower()`` leaves it alone
    (not a capital sigma, whose lower case reads its neighbours)."""
    to = fold_char(char)
    if to == char:
        return char.lower() == char and char != "\u03a3"
    return to.isascii() and to == to.lower().translate(_ASCII_FOLD_TABLE)


_ASCII_FOLD_TABLE = {ord(c): " " for c in "-_/\t\r\n\f\v"}


@functools.lru_cache(maxsize=8192)
def _case_char(char: str) -> str:
    """One character as ``lexicon._case_ok`` reads it."""
    if char in DROP_CHARS:
        return ""
    if char == "\u2019":
        return "'"
    return unicodedata.normalize("NFKC", char)


class Spotter:
    """The pre-check of one ``Lexicon``. Build once per lexicon; not thread-safe (it learns words)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        plain: dict[str, set[tuple[str, bool]]] = defaultdict(set)
        cased: dict[str, set[tuple[str, bool]]] = defaultdict(set)
        key_labels: dict[str, set[str]] = defaultdict(set)
        for key, entry in lexicon.entity_keys():
            one_word = len(entry.alias.split()) == 1
            if entry.cased is None:
                plain[key].add((entry.label, one_word))
            else:  # the forms Lexicon's case test accepts
                for form in (entry.cased, entry.cased + "s", entry.cased + "'s"):
                    cased[form].add((entry.label, one_word))
            key_labels[key].add(entry.label)
        self._plain = self._automaton(plain)
        self._cased = self._automaton(cased)
        self._merged = self._merged_automaton(plain, cased)
        self._bounded = self._bounded_automaton(self._merged)
        #: non-ASCII character -> it folds and case-maps to one character each, alike (see _aligned)
        self._one_to_one: dict[str, bool] = {}
        #: non-ASCII character -> folded and case-mapped alike alphanumeric or not (see _same_bounds)
        self._same: dict[str, bool] = {}
        # a corrected word stands in a key between spaces, apostrophes or other non-alphanumerics:
        # every key it could complete lends it its labels
        by_word: dict[str, set[str]] = defaultdict(set)
        for key, labels in key_labels.items():
            for word in {*key.replace("'", "").split(), *re.split(r"[\W_]+", key)}:
                by_word[word] |= labels
        self._vocab_labels = {w: frozenset(by_word.get(w, ())) or _ANY for w in lexicon.vocabulary}
        self._key_words = {w: frozenset(labels) for w, labels in by_word.items()}
        #: page words (ASCII bytes, apostrophes and all) already corrected or found correct
        self._seen: set[bytes] = set()
        self._corrected: dict[str, tuple[str, int, frozenset[str]]] = {}
        #: page word (apostrophes and all) -> the corrected token it stands for
        self._corrected_raw: dict[bytes, str] = {}
        #: corrected word -> an automaton of the plain keys holding it (None: no key holds it)
        self._covering: dict[str, ahocorasick.Automaton | None] = {}
        self._last: tuple[str, bool, frozenset[str]] | None = None

    @staticmethod
    def _automaton(keys: dict[str, set[tuple[str, bool]]]) -> ahocorasick.Automaton | None:
        if not keys:
            return None
        automaton = ahocorasick.Automaton()
        for key, entries in keys.items():
            automaton.add_word(key, (len(key), frozenset(label for label, _ in entries), tuple(entries)))
        automaton.make_automaton()
        return automaton

    @staticmethod
    def _merged_automaton(plain: dict[str, set[tuple[str, bool]]],
                          cased: dict[str, set[tuple[str, bool]]]) -> ahocorasick.Automaton | None:
        """Plain keys and case-checked forms in one automaton over the folded text.

        A form is found under its folded spelling and then checked, case and word boundaries, on
        the case-test text at the same offsets (``_scan_merged``). None when some form does not
        fold character by character (then the two passes run).
        """
        if not plain or not cased:
            return None
        values: dict[str, tuple[int, frozenset[str], list[tuple[str, frozenset[str]]]]] = {}
        for key, entries in plain.items():
            values[key] = (len(key), frozenset(label for label, _ in entries), [])
        for form, entries in cased.items():
            key = fold_text(form)
            if len(key) != len(form) or key != "".join(fold_text(c) for c in form) or "\u03a3" in form:
                return None
            values.setdefault(key, (len(key), frozenset(), []))[2].append(
                (form, frozenset(label for label, _ in entries)))
        automaton = ahocorasick.Automaton()
        for key, (size, found, forms) in values.items():
            automaton.add_word(key, (size, found, tuple(forms)))
        automaton.make_automaton()
        return automaton

    @staticmethod
    def _bounded_automaton(merged: ahocorasick.Automaton | None) -> ahocorasick.Automaton | None:
        """The merged automaton's ASCII keys between spaces, over ASCII text with every
        non-alphanumeric character a space (``_scan_bounded``).

        Only word-bounded occurrences match, so the pass skips what ``_scan_merged`` finds and
        throws away: most of its hits are short abbreviation keys inside words ("ed" in "used").
        Keys that map alike (``covid-19``, ``covid 19``) share a slot and are told apart by the text.
        """
        if merged is None:
            return None
        slots: dict[str, list[tuple[str, int, frozenset[str], tuple[tuple[str, frozenset[str]], ...]]]] = {}
        for key, (size, found, forms) in merged.items():
            if key.isascii():  # a key with other characters is never in ASCII text
                slots.setdefault(" " + key.encode().translate(_BOUNDS).decode() + " ", []).append(
                    (key, size, found, forms))
        automaton = ahocorasick.Automaton()
        for padded, entries in slots.items():
            automaton.add_word(padded, (len(padded), tuple(entries)))
        automaton.make_automaton()
        return automaton

    def _scan_bounded(self, folded: str, cased_text: str, labels: set[str], chars: set[str] | None = None) -> set[str]:
        """``_scan_merged`` where the folded and the case-test text have the same offsets and the same
        non-alphanumerics (``_same_bounds``), so one mapped copy tells both word boundaries.

        With ``chars`` (the non-ASCII characters of ``cased_text``), ``cased_text`` is the page text
        itself: a piece a form is compared with is made the case-test text's only when it holds one
        of them (each maps to one character: ``_aligned``), so the page is never mapped whole.
        """
        assert self._bounded is not None
        original = folded
        if not folded.isascii():
            for char in non_ascii_chars(folded):
                if not char.isalnum():
                    folded = folded.replace(char, " ")
        bounded = " " + folded.encode("utf-8", "surrogatepass").translate(_BOUNDS).decode(
            "utf-8", "surrogatepass") + " "
        for last, (padded_size, entries) in self._bounded.iter(bounded):
            start = last - padded_size + 1  # in ``folded``: the padding's leading space is offset 0
            for key, size, found, forms in entries:
                if original[start:start + size] != key:
                    continue
                if found and not found <= labels:
                    labels |= found
                    if _pair(labels):
                        return labels
                if forms:
                    piece = cased_text[start:start + size]
                    if chars and not piece.isascii():
                        piece = "".join([_case_char(c) if c in chars else c for c in piece])
                    for form, form_found in forms:
                        if piece == form and not form_found <= labels:
                            labels |= form_found
                    if _pair(labels):
                        return labels
        return labels

    def _same_bounds(self, chars: set[str]) -> bool:
        """True when each non-ASCII character is a word character folded exactly when it is one as
        the case test reads it (ASCII characters always are). Call after ``_aligned``."""
        same = self._same
        for c in chars:
            good = same.get(c)
            if good is None:
                good = same[c] = fold_text(c).isalnum() == _case_char(c).isalnum()
            if not good:
                return False
        return True

    def _aligned(self, chars: set[str]) -> bool:
        """True when the folded text and the case-test text have the original's offsets and agree.

        Each non-ASCII character must fold to one character, case-map to one (``_case_char``), and
        fold the same from both; ASCII characters always do. A capital sigma is left out: lower()
        reads its context.
        """
        ok = self._one_to_one
        for c in chars:
            good = ok.get(c)
            if good is None:
                folded, cased = fold_text(c), _case_char(c)
                good = ok[c] = (len(folded) == 1 and len(cased) == 1 and folded == fold_text(cased)
                                and "\u03a3" not in (c, cased, fold_char(c)))
            if not good:
                return False
        return True

    def _scan_merged(self, folded: str, cased_text: str, labels: set[str]) -> set[str]:
        """``_scan`` of the plain keys over ``folded`` and of the cased forms over ``cased_text``
        (same offsets), in one pass, stopping once the pair is there."""
        n = len(folded)
        assert self._merged is not None
        for end, (size, found, forms) in self._merged.iter(folded):
            start = end - size + 1
            if found and not found <= labels and not (
                    (start > 0 and folded[start - 1].isalnum()) or (end + 1 < n and folded[end + 1].isalnum())):
                labels |= found
                if _pair(labels):
                    break
            if forms:
                piece = cased_text[start:end + 1]
                for form, form_found in forms:
                    if piece != form or form_found <= labels:
                        continue
                    if (start > 0 and cased_text[start - 1].isalnum()) or (
                            end + 1 < n and cased_text[end + 1].isalnum()):
                        continue
                    labels |= form_found
                if _pair(labels):
                    break
        return labels

    def may_claim(self, text: str) -> bool:
        """False only when ``Lexicon.find(text)`` cannot hold both a therapy and a condition/subtype."""
        return self._spot(text)[0]

    def names_therapy(self, text: str) -> bool:
        """Does the text name a therapy (an exact alias; the same pass as ``may_claim``, read once per text)?
        A page that names one but no condition is still about a treatment (page coding reads it)."""
        answer, labels = self._spot(text)
        return answer or "THERAPY" in labels

    def _spot(self, text: str) -> tuple[bool, frozenset[str]]:
        last = self._last
        if last is not None and (last[0] is text or last[0] == text):
            return last[1], last[2]
        labels: set[str] = set()
        answer = self._may_claim(text, labels)
        self._last = (text, answer, frozenset(labels))
        return answer, self._last[2]

    def _may_claim(self, text: str, labels: set[str]) -> bool:
        if not text:
            return False
        chars = set() if text.isascii() else non_ascii_chars(text)
        folded = fold_text(text, chars)
        if self._bounded is not None and self._aligned(chars) and self._same_bounds(chars):
            # only word-bounded keys come out of the automaton; the case test reads the few
            # pieces that need it (no case-test copy of the page)
            if _pair(self._scan_bounded(folded, text, labels, chars)):
                return True
            return self._may_correct(folded, chars, labels)
        cased_text = text
        for char in chars:
            if (to := _case_char(char)) != char:
                cased_text = cased_text.replace(char, to)
        if self._merged is not None and self._aligned(chars):
            # one automaton pass instead of two (the floor's own cost is one pass)
            if _pair(self._scan_merged(folded, cased_text, labels)):
                return True
        elif _pair(self._scan(self._plain, folded, labels)) or _pair(self._scan(self._cased, cased_text, labels)):
            return True
        return self._may_correct(folded, chars, labels)

    def _may_correct(self, folded: str, chars: set[str], labels: set[str]) -> bool:
        """Can corrected misspellings complete the pair the exact keys did not?"""
        words = self._corrected_words(folded)
        if not _pair(labels.union(*(self._corrected[w][2] for w in words))):
            return False
        # Characters that fold to nothing make the original longer than the folded text: then the
        # one-word-alias length rule cannot be judged on folded text and is not applied.
        shrinks = any(not fold_char(c) for c in chars)
        useful = [w for w in words if not self._corrected[w][2] <= labels]
        return _pair(self._fuzzy_labels(folded, useful, labels, shrinks))

    @staticmethod
    def _scan(automaton: ahocorasick.Automaton | None, text: str, labels: set[str]) -> set[str]:
        """Add the labels of word-bounded key matches to ``labels``, stopping once the pair is there."""
        if automaton is None:
            return labels
        n = len(text)
        for end, (size, found, _) in automaton.iter(text):
            if found <= labels:
                continue
            start = end - size + 1
            if (start > 0 and text[start - 1].isalnum()) or (end + 1 < n and text[end + 1].isalnum()):
                continue
            labels |= found
            if _pair(labels):
                break
        return labels

    def _corrected_words(self, folded: str) -> list[str]:
        """The words of the text (as ``Lexicon``'s fuzzy pass cuts them) that the lexicon corrects."""
        # non-ASCII characters separate words, as in Lexicon's [a-z] pattern ("?" is no word byte);
        # words are cut as bytes, which cost less to make and hash than strings
        words = set(folded.encode("ascii", "replace").translate(_WORD_BYTES).split())
        new = words - self._seen
        if new:
            if len(self._seen) > _SEEN_LIMIT:
                self._seen.clear()
            self._seen |= new
            for raw in new:
                token = raw.lstrip(b"'").decode("ascii")  # the lexicon's words start with a letter
                if len(token) >= 6 and (fixed := self.lexicon.correction(token)) is not None:
                    self._corrected[token] = (*fixed, self._word_labels(fixed[0]))
                    self._corrected_raw[raw] = token
        # every word of the page was new once (or again after a reset of _seen): those corrected
        # are in _corrected_raw under their form on the page, so one intersection in C finds them
        return list({self._corrected_raw[w] for w in words & self._corrected_raw.keys()})

    def _word_labels(self, fixed: str) -> frozenset[str]:
        """Labels a corrected word can lend in ``_fuzzy_labels``: those of the keys it is a word of.

        A word of letters and digits only that is a word of no key lends none: a key overlapping
        it in a window passes the boundary test only by covering it whole, between non-word
        characters, which makes it one of the key's words (then it is in ``_key_words``).
        """
        if fixed.isalnum():
            return self._key_words.get(fixed, frozenset())
        return self._vocab_labels.get(fixed, _ANY)

    def _covering_keys(self, fixed: str) -> ahocorasick.Automaton | None:
        """The plain keys a match over the corrected word ``fixed`` can be (None: none can).

        ``fixed`` stands between word boundaries in its window; when it is all letters and digits a
        key that overlaps it and passes the boundary test covers it whole (a key ending or starting
        inside it would have a letter beside it), so only keys holding ``fixed`` can match. Others
        (an apostrophe inside) are read with every key.
        """
        if fixed in self._covering:
            return self._covering[fixed]
        assert self._plain is not None
        automaton: ahocorasick.Automaton | None = self._plain
        if fixed.isalnum():
            holding = [(key, value) for key, value in self._plain.items() if fixed in key]
            automaton = None
            if holding:
                automaton = ahocorasick.Automaton()
                for key, value in holding:
                    automaton.add_word(key, value)
                automaton.make_automaton()
        self._covering[fixed] = automaton
        return automaton

    def _fuzzy_labels(self, folded: str, words: list[str], labels: set[str], shrinks: bool) -> set[str]:
        """``Lexicon._fuzzy_pass`` for ``words``, on folded text, adding labels instead of terms."""
        if not words or self._plain is None:
            return labels
        for m_start, m_end, word in _word_matches(folded, words):
            fixed, dist, _ = self._corrected[word]
            automaton = self._covering_keys(fixed)
            if automaton is None:
                continue
            lo = folded.rfind(" ", 0, max(0, m_start - _FUZZY_WINDOW)) + 1
            hi = folded.find(" ", m_end + _FUZZY_WINDOW)
            hi = len(folded) if hi < 0 else hi
            window = folded[lo:m_start] + fixed + folded[m_end:hi]
            a, b = m_start - lo, m_start - lo + len(fixed)
            n = len(window)
            for end, (size, found, entries) in automaton.iter(window):
                start = end - size + 1
                if found <= labels or not (start < b and a <= end):
                    continue
                if (start > 0 and window[start - 1].isalnum()) or (end + 1 < n and window[end + 1].isalnum()):
                    continue
                # the surface is the match with the misspelled word back in place
                surface = size - len(fixed) + len(word)
                for label, one_word in entries:
                    if not one_word or (dist <= 1 and (shrinks or surface >= 8)):
                        labels.add(label)
                if _pair(labels):
                    return labels
        return labels


def _pair(labels: set[str]) -> bool:
    return "THERAPY" in labels and not labels.isdisjoint(_CONDITIONS)
