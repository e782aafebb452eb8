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

import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
        for start, end in blocks:
            chunk = text[start:end]
            if chunk.count(" ") + 1 < MIN_BLOCK_WORDS:
                continue
            g = self.guess(chunk)
            if g.lang != page_lang and g.votes >= MIN_VOTES and g.votes >= MARGIN * g.runner_up:
                if out and out[-1][2] == g.lang and out[-1][1] >= start - 1:
                    out[-1] = (out[-1][0], end, g.lang)  # neighbouring blocks of one language: one span
                else:
                    out.append((start, end, g.lang))
        return out
