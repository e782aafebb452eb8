"""Page stance: does the page sell or assert a treatment, or inform, warn and report?

One feature among others for the claim filters, decided from distinct page-level cues.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from factcheck.parse.context import Cue

StanceLabel = Literal["offer", "inform", "assert"]
OFFER_CATEGORIES = ("OFFER",)
INFORM_CATEGORIES = ("WARNING", "TRIAL_ONLY", "INFO")
#: characters between two half-weight cues that still make them one statement
_ONE_STATEMENT = 40


@dataclass(frozen=True, slots=True)
class Stance:
    label: StanceLabel
    offer: float
    inform: float
    reasons: tuple[str, ...]


def _tally(cues: list[Cue], categories: tuple[str, ...]) -> tuple[float, list[str]]:
    """Each distinct cue counts once, with its rule's weight (a price or "contact" counts half); a cue
    inside a longer one of the same side is that one ("experimental" in "still experimental")."""
    mine = sorted((c for c in cues if c.category in categories), key=lambda c: (c.start, -(c.end - c.start)))
    best: dict[str, float] = {}
    reach = -1
    previous: Cue | None = None  # the last half-weight cue seen
    for c in mine:
        if c.end <= reach:
            continue  # inside the previous, longer cue
        reach = max(reach, c.end)
        if c.weight < 1:
            near = previous is not None and _has_digit(previous.text) != _has_digit(c.text) \
                and c.start - previous.end <= _ONE_STATEMENT
            previous = c
            if near:
                continue  # "costs US$5,880": an amount and the word beside it are one statement
        key = c.text.lower()
        best[key] = max(best.get(key, 0.0), c.weight)
    return sum(best.values()), sorted(best)


def _has_digit(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def page_stance(cues: list[Cue], prices: frozenset[str] = frozenset()) -> Stance:
    """Offer (sells or asserts) vs inform (warns, reports research or news): distinct cues vote.

    ``prices``: rule names of the offer cues that quote a price; they count only beside another offer
    cue (a news report or a warning quotes what clinics charge: "costs $25,000" sells nothing).
    """
    offers = [c for c in cues if c.category in OFFER_CATEGORIES]
    price_only = bool(offers) and all(c.rule in prices for c in offers)
    offer, offer_cues = _tally([c for c in cues if c.rule not in prices] if price_only else cues, OFFER_CATEGORIES)
    inform, inform_cues = _tally(cues, INFORM_CATEGORIES)
    label: StanceLabel
    if inform > offer:
        label = "inform"
    elif offer >= 1:
        label = "offer"
    else:
        label = "assert"  # no signal either way: only plain assertions count
    quoted = sorted({c.text.lower() for c in offers}) if price_only else []
    reasons = (f"offer cues ({offer:g}): {', '.join(offer_cues) or 'none'}"
               + (f" (prices alone sell nothing: {', '.join(quoted)})" if quoted else ""),
               f"inform cues ({inform:g}): {', '.join(inform_cues) or 'none'}")
    return Stance(label, offer, inform, reasons)
