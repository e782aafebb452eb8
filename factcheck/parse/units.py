"""Sentence units of a page, with the terms and cues that fall inside each."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from factcheck.lang.pack import LanguagePack
from factcheck.parse.context import Cue
from factcheck.parse.lexicon import Term
from factcheck.parse.sentences import split_units

#: block kinds that name what a page or section is about
TOPIC_KINDS = frozenset({"title", "meta", "heading"})
#: words a line may hold and still read as a list entry or label rather than a sentence
LIST_LINE_WORDS = 12
#: the longest item of a comma-separated list line ("Type 1 diabetes", "and many more")
LIST_ITEM_WORDS = 4
_ITEM_SPLIT = re.compile(r"\s*[,;]\s*")


@dataclass(slots=True)
class Unit:
    """One sentence, heading, bullet or cell: where a claim's words must meet."""

    start: int
    end: int
    kind: str
    terms: list[Term] = field(default_factory=list)
    cues: list[Cue] = field(default_factory=list)

    def text(self, page: str) -> str:
        return page[self.start:self.end]


def build_units(text: str, blocks: Sequence[tuple[str, int, int]] | None, terms: list[Term],
                cues: list[Cue], language: LanguagePack | None = None) -> list[Unit]:
    """Split ``text`` into units typed by their block (``(kind, start, end)``) and hand out terms and cues.

    ``language``: the pack whose sentence rules split the text (default English).
    """
    if not blocks:
        units = [Unit(s, e, "text") for s, e in split_units(text, language)]
    else:
        starts = [b[1] for b in blocks]
        units = []
        for s, e in split_units(text, language):
            i = bisect.bisect_right(starts, s) - 1
            kind = blocks[i][0] if i >= 0 and s < blocks[i][2] else "text"
            units.append(Unit(s, e, kind))
    starts = [u.start for u in units]
    for item in terms:
        i = bisect.bisect_right(starts, item.start) - 1
        if i >= 0 and item.start < units[i].end:
            units[i].terms.append(item)
    for cue in cues:
        i = bisect.bisect_right(starts, cue.start) - 1
        if i >= 0 and cue.start < units[i].end:
            units[i].cues.append(cue)
    return units


def list_like(unit: Unit, text: str) -> bool:
    """A bullet, a table cell, a short line, a run of short comma-separated items, or a lead-in
    ending with a colon."""
    body = text[unit.start:unit.end]
    if unit.kind in ("list_item", "table_cell") or len(body.split()) <= LIST_LINE_WORDS \
            or body.rstrip().endswith(":"):
        return True
    # "Multiple sclerosis, rheumatoid arthritis, lupus, Type 1 diabetes, and more." answers a heading as a list
    items = _ITEM_SPLIT.split(body.strip().rstrip(".;"))
    return len(items) >= 4 and all(0 < len(item.split()) <= LIST_ITEM_WORDS for item in items)
