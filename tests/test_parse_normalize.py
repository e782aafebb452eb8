"""parse/normalize.py: ``fold`` gives, on any text, what folding it character by character gives."""

from __future__ import annotations

import random

from factcheck.parse.normalize import _ASCII_TABLE, fold, fold_char


def _by_character(text: str) -> tuple[str, list[int] | None]:
    pieces = [c.translate(_ASCII_TABLE) if c.isascii() else fold_char(c) for c in text]
    folded = "".join(pieces)
    if all(len(p) == 1 for p in pieces):
        return folded, None
    offsets = [i for i, p in enumerate(pieces) for _ in p] + [len(text)]
    return folded, offsets


def test_fold_is_folding_character_by_character() -> None:
    rng = random.Random(9)
    # ASCII, characters that fold to ASCII, to themselves (quotes, symbols, CJK), to nothing
    # (soft hyphen) or to several characters (ligatures), look-alikes, a lone surrogate
    alphabet = list("abcXYZ -_/\t\n'.,") + list("\u2019\u2018\u00b4\u00e9\u00c9\u00f1\u00fc\u00a0\u2013\u2014"
                                               "\uff2d\uff33\u0441\u0442\u03b1\u0391\u201c\u201d\u2605\u00a3"
                                               "\u2713\u20ac\u4e2d\u00ad\u200b\ufb01\u00bd\u00b2\u0131\u0130"
                                               "\u212a\u00df\u01c5\ud800")
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(20000)]
    # texts whose non-ASCII characters all fold to one character (the replace path)
    texts += ["".join(rng.choice([*alphabet[:16], "\u201c", "\u2605", "\u00e9", "\u2019", "\u4e2d", "\u00a0"])
                      for _ in range(rng.randrange(0, 30))) for _ in range(20000)]
    for text in texts:
        assert fold.__wrapped__(text) == _by_character(text), repr(text)
