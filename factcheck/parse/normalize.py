"""Text folding for matching, with a map back to the original character offsets.

Matching runs on a folded copy of the page text: lower-cased, accents stripped (NFC and NFD
agree), full-width letters made ASCII, dashes/underscores/slashes turned into spaces, soft
hyphens and zero-width characters removed, and Latin look-alike letters from Cyrillic/Greek
replaced. ``fold`` returns the folded text and, when lengths differ, the original offset of every
folded character, so a match in folded text maps back to an exact span of the original.
ASCII text (most pages) takes a single ``str.translate`` and keeps its offsets.
"""

from __future__ import annotations

import functools
import re
import unicodedata

#: characters that vanish: soft hyphen, zero-width space/joiners, word joiner, BOM
DROP_CHARS = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e")

#: Cyrillic and Greek letters drawn like Latin ones ("stem сell" with a Cyrillic es)
CONFUSABLES = {
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i", "ј": "j",
    "ѕ": "s", "ԁ": "d", "һ": "h", "ӏ": "l", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h",
    "А": "a", "Е": "e", "О": "o", "Р": "p", "С": "c", "У": "y", "Х": "x", "І": "i", "Ј": "j",
    "Ѕ": "s", "К": "k", "М": "m", "Т": "t", "В": "b", "Н": "h",
    "α": "a", "ο": "o", "ν": "v", "ι": "i", "κ": "k", "τ": "t", "ρ": "p",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n",
    "Ο": "o", "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
}
CONFUSABLE_CHARS = frozenset(CONFUSABLES)

_SPACE_LIKE = "-_/\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00a0\u2009\u202f\u3000\t\r\n\f\v"
_APOSTROPHES = "\u2019\u2018\u02bc\u00b4`"

_ASCII_TABLE = {ord(c): c.lower() for c in map(chr, range(65, 91))}
_ASCII_TABLE.update({ord(c): " " for c in "-_/\t\r\n\f\v"})

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_ASCII_BYTES = bytes(range(128))
#: _ASCII_TABLE on UTF-8 bytes (other bytes kept)
_ASCII_FOLD_BYTES = bytes(ord(_ASCII_TABLE.get(i, chr(i))) if i < 128 else i for i in range(256))


@functools.lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    """Fold one non-ASCII character to zero or more matching characters."""
    if char in DROP_CHARS:
        return ""
    if char in CONFUSABLES:
        return CONFUSABLES[char]
    if char in _SPACE_LIKE or char.isspace():
        return " "
    if char in _APOSTROPHES:
        return "'"
    if unicodedata.combining(char):
        return ""
    decomposed = unicodedata.normalize("NFKD", char)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return "".join(_ASCII_TABLE.get(ord(c), c) if ord(c) < 128 else c for c in kept)


# two entries: the lexicon, the cue finder and the linker ask for the same page in turn; more
# would pin large pages (and their offset lists) in memory across a batch
@functools.lru_cache(maxsize=2)
def fold(text: str) -> tuple[str, list[int] | None]:
    """Return ``(folded, offsets)``; ``offsets`` is ``None`` when folded[i] comes from text[i].

    Otherwise ``offsets[i]`` is the index in ``text`` of the character folded[i] came from, and
    ``offsets[len(folded)]`` is ``len(text)``. Cached: the lexicon, the cue finder and the
    procedure-cue check all fold the same page text. Callers must not mutate the result.
    """
    if text.isascii():
        return text.translate(_ASCII_TABLE), None
    # A page holds few distinct non-ASCII characters. When each folds to one character, ASCII or
    # itself, the ASCII ones are folded on the UTF-8 bytes (a multi-byte character has no ASCII
    # byte) and each other character is replaced everywhere (it becomes ASCII that is folded
    # already, so the order does not matter): no Python step per character, offsets kept.
    data = text.encode("utf-8", "surrogatepass")
    folds = [(c, fold_char(c)) for c in set(data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))]
    if all(len(f) == 1 and (f == c or f.isascii()) for c, f in folds):
        out = data.translate(_ASCII_FOLD_BYTES).decode("utf-8", "surrogatepass")
        for c, f in folds:
            if f != c:
                out = out.replace(c, f)
        return out, None
    pieces: list[str] = []
    offsets: list[int] = []
    same_length = True
    pos = 0
    for run in _NON_ASCII.finditer(text):
        start, end = run.span()
        if start > pos:
            pieces.append(text[pos:start].translate(_ASCII_TABLE))
            offsets.extend(range(pos, start))
        for i in range(start, end):
            folded = fold_char(text[i])
            if len(folded) != 1:
                same_length = False
            pieces.append(folded)
            offsets.extend([i] * len(folded))
        pos = end
    if pos < len(text):
        pieces.append(text[pos:].translate(_ASCII_TABLE))
        offsets.extend(range(pos, len(text)))
    folded_text = "".join(pieces)
    if same_length:
        return folded_text, None
    offsets.append(len(text))
    return folded_text, offsets


_ASCII_BYTES = bytes(range(128))
#: UTF-8 bytes with every ASCII non-alphanumeric one a space (the bytes of other characters kept)
_ALNUM_OR_SPACE = bytes(32 if c < 128 and not chr(c).isalnum() else c for c in range(256))


# two entries, like ``fold``: the lexicon and the cue finder read the same page's copy in turn
@functools.lru_cache(maxsize=2)
def word_bounded(folded: str) -> str:
    """``folded`` with every non-alphanumeric character a space, padded with one space on each
    side: an automaton of keys written the same way (``bounded_key``) matches only where a key
    stands between non-alphanumerics (offset ``i`` of ``folded`` is ``i + 1`` here)."""
    if not folded.isascii():
        for char in set(folded.encode("utf-8", "surrogatepass").translate(None, _ASCII_BYTES).decode(
                "utf-8", "surrogatepass")):
            if not char.isalnum():
                folded = folded.replace(char, " ")
    return " " + folded.encode("utf-8", "surrogatepass").translate(_ALNUM_OR_SPACE).decode(
        "utf-8", "surrogatepass") + " "


def bounded_key(key: str) -> str:
    """``key`` as ``word_bounded`` writes text, between two spaces."""
    return " " + "".join(c if c.isalnum() else " " for c in key) + " "


def to_original(offsets: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a ``[start, end)`` span of folded text back to the original text."""
    if offsets is None:
        return start, end
    return offsets[start], offsets[end - 1] + 1 if end > start else offsets[start]


@functools.lru_cache(maxsize=65536)
def normalize_key(phrase: str) -> str:
    """The matching key of an alias or cue: folded, apostrophes kept, spaces collapsed."""
    # the uncached fold: thousands of short aliases must not evict page texts from fold's cache
    return " ".join(fold.__wrapped__(phrase)[0].split())
