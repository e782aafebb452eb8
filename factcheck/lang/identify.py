"""Language identification from the language packs' own data (function words, distinctive letters).

Chosen over py3langid, langdetect and lingua by measurement on the dev pages and their blocks
(benchmarks/langid_bench.py, numbers in benchmarks/README.md): on clinic pages a vote of frequent
function words is as accurate as the general-purpose models, an order of magnitude cheaper, needs no
model file, and knows exactly the languages that have packs (a new pack brings its words with it).

A page is identified from a bounded sample of its text (title, headings and the first few
thousand characters), so an off-topic page costs no full pass; blocks are identified only on
pages that hold claim terms, and only blocks long enough to vote.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import ahocorasick

from factcheck.lang.pack import LanguagePack

__all__ = ["LanguageIdentifier"]

#: every ASCII character but a-z becomes a space: words are then split in C
_NON_LETTERS = bytes(c if 97 <= c <= 122 else 32 for c in range(256))
#: characters of a page read to decide its language (title and first blocks come first in the text)
PAGE_SAMPLE = 1200
#: a block votes on its own language only with this many words
MIN_BLOCK_WORDS = 8
#: ... and this many function-word votes, ahead of the page's language by this factor
MIN_VOTES = 3.0
MARGIN = 2.0


@dataclass(frozen=True, slots=True)
class Guess:
    lang: str
    votes: float
    runner_up: float


class LanguageIdentifier:
    """Votes of the packs' function words (a word shared by k languages gives each 1/k) and letters."""

    def __init__(self, packs: Mapping[str, LanguagePack], default: str = "en") -> None:
        self.default = default
        owners: dict[str, list[str]] = {}
        for code, pack in packs.items():
            for word in pack.spec.function_words:
                owners.setdefault(word, []).append(code)
        self._weights: dict[bytes, tuple[tuple[str, float], ...]] = {
            w.encode("ascii", "ignore"): tuple((c, 1.0 / len(codes)) for c in codes) for w, codes in owners.items()}
        self._letters: dict[str, str] = {}
        for code, pack in packs.items():
            for ch in pack.spec.distinctive_characters:
                self._letters[ch] = code
        self._letter_re = re.compile("[" + re.escape("".join(self._letters)) + "]") if self._letters else None
        self.languages = tuple(packs)
        #: page language -> the function words that vote for another language (``_may_vote``)
        self._foreign: dict[str, Any] = {}

    def guess(self, text: str) -> Guess:
        """The best-voted language of ``text`` (the default when nothing votes)."""
        votes: dict[str, float] = {}
        lowered = text.lower()
        if not lowered.isascii():  # "não" votes as "nao": accents off, in C
            lowered = unicodedata.normalize("NFKD", lowered)
        # bytes.translate with a 256-byte table is the cheapest way to split words in C
        counts = Counter(lowered.encode("ascii", "ignore").translate(_NON_LETTERS).split())
        weights = self._weights
        for word in counts.keys() & weights.keys():  # only the function words present, found in C
            n = counts[word]
            for code, w in weights[word]:
                votes[code] = votes.get(code, 0.0) + w * n
        if self._letter_re is not None and not text.isascii():
            for m in self._letter_re.finditer(text):
                code = self._letters[m.group(0)]
                votes[code] = votes.get(code, 0.0) + 1.0
        if not votes:
            return Guess(self.default, 0.0, 0.0)
        ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0] != self.default))
        return Guess(ranked[0][0], ranked[0][1], ranked[1][1] if len(ranked) > 1 else 0.0)

    def page_language(self, text: str) -> str:
        """The main language of a page, from its first ``PAGE_SAMPLE`` characters."""
        return self.guess(text[:PAGE_SAMPLE]).lang

    def block_languages(self, text: str, blocks: Sequence[tuple[int, int]],
                        page_lang: str) -> list[tuple[int, int, str]]:
        """``(start, end, lang)`` of the blocks clearly written in another language than the page."""
        out: list[tuple[int, int, str]] = []
        maybe = self._may_vote(text, blocks, page_lang)
        for i, (start, end) in enumerate(blocks):
            if text.count(" ", start, end) + 1 < MIN_BLOCK_WORDS:
                continue
            if maybe is not None and not maybe[i]:
                continue  # fewer than MIN_VOTES votes for any other language: the page's language or none
            g = self.guess(text[start:end])
            if g.lang != page_lang and g.votes >= MIN_VOTES and g.votes >= MARGIN * g.runner_up:
                if out and out[-1][2] == g.lang and out[-1][1] >= start - 1:
                    out[-1] = (out[-1][0], end, g.lang)  # neighbouring blocks of one language: one span
                else:
                    out.append((start, end, g.lang))
        return out

    def _foreign_words(self, page_lang: str) -> Any:
        """An automaton of the function words that vote for a language other than ``page_lang``,
        each between spaces, with those votes."""
        automaton = self._foreign.get(page_lang)
        if automaton is None:
            automaton = self._foreign[page_lang] = ahocorasick.Automaton()
            for word, weights in self._weights.items():
                other = tuple((code, w) for code, w in weights if code != page_lang)
                if other and _LETTERS_ONLY.fullmatch(word):  # guess's words are runs of a-z
                    automaton.add_word(" " + word.decode("ascii") + " ", (len(word) + 2, other))
            if len(automaton):
                automaton.make_automaton()
        return automaton

    def _may_vote(self, text: str, blocks: Sequence[tuple[int, int]], page_lang: str) -> list[bool] | None:
        """Per block: can ``guess`` give it another language than ``page_lang`` with ``MIN_VOTES``
        votes? False only when no other language gets that many of its votes. None: not known (the
        blocks are not the text's lines), every block is guessed.

        One pass over the page instead of ``guess`` on every block (a long page has thousands, and
        nearly all are in the page's language). The page is made ASCII as ``guess`` makes each
        block (lower case, NFKD, other characters dropped), one distinct character at a time: the
        ASCII characters of an NFKD form keep their order whatever the neighbours (only combining
        marks are reordered), ``str.lower`` reads context only for a Greek capital sigma (dropped
        either way), and no step makes or takes a newline. So each line's words are those ``guess``
        reads in it (a page of many distinct characters goes through NFKD whole); the votes are summed
        per line.
        """
        if not blocks:
            return None
        size = len(text)
        for start, end in blocks:
            if (start and text[start - 1] != "\n") or (end < size and text[end] != "\n") or "\n" in text[start:end]:
                return None
        automaton = self._foreign_words(page_lang)
        chars = set() if text.isascii() else set(
            text.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))
        if len(chars) > _MANY_CHARS:  # one pass per character would cost more than guess's own steps
            data = unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore")
        else:
            # ASCII letters lower-cased in C (bytes.lower() leaves UTF-8 sequences alone), then each
            # distinct other character replaced everywhere by what guess keeps of it
            lowered = text.lower() if not chars else text.encode("utf-8", "surrogatepass").lower().decode(
                "utf-8", "surrogatepass")
            for char in chars:
                lowered = lowered.replace(char, _ascii_of(char))
            data = lowered.encode("ascii")
        # line k of the bytes is line k of the text
        breaks = [m.start() for m in _NEWLINE_BYTES.finditer(data)]
        votes: dict[int, dict[str, float]] = {}
        if len(automaton):
            words = " " + data.translate(_NON_LETTERS).decode("ascii") + " "
            for last, (width, weights) in automaton.iter(words):
                # the key's leading space is the character before the word: the word starts at
                # last - width + 2 in ``words``, at last - width + 1 in ``data``
                line = votes.setdefault(bisect.bisect_right(breaks, last - width + 1), {})
                for code, w in weights:
                    line[code] = line.get(code, 0.0) + w
        text_breaks: list[int] | None = None
        for char in chars:
            code = self._letters.get(char)
            if code is None or code == page_lang:
                continue
            if text_breaks is None:
                text_breaks = [m.start() for m in _NEWLINE.finditer(text)]
            at = text.find(char)
            while at >= 0:
                line = votes.setdefault(bisect.bisect_right(text_breaks, at), {})
                line[code] = line.get(code, 0.0) + 1.0
                at = text.find(char, at + 1)
        if not votes:
            return [False] * len(blocks)
        if text_breaks is None:
            text_breaks = [m.start() for m in _NEWLINE.finditer(text)]
        # the sums may differ from guess's in the last bit (another order): a margin keeps this conservative
        best = {i: max(line.values()) for i, line in votes.items()}
        return [best.get(bisect.bisect_right(text_breaks, start), 0.0) >= MIN_VOTES - 1e-6 for start, _ in blocks]


_ASCII_BYTES = bytes(range(128))
#: beyond this many distinct non-ASCII characters a page is not mapped one character at a time
_MANY_CHARS = 64


@functools.lru_cache(maxsize=4096)
def _ascii_of(char: str) -> str:
    """What ``guess`` keeps of one non-ASCII character: its lower case, NFKD, ASCII only."""
    return unicodedata.normalize("NFKD", char.lower()).encode("ascii", "ignore").decode("ascii")


_NEWLINE = re.compile("\n")
_LETTERS_ONLY = re.compile(b"[a-z]+")
_NEWLINE_BYTES = re.compile(b"\n")
