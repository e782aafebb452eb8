"""Page coding for researchers and regulators: what a page uses to sell (labels.md "Page features").

``code_page(text, lang=...)`` gives :class:`PageFeatures`: each feature with the spans that decided
it, prices parsed, NCT numbers, and the country where treatment is given with its evidence. Cue
rules are data (``factcheck/lang/<code>/features.json``); places and currencies are data too
(``factcheck/coding/data/``).
"""

from .features import code_page
from .models import BOOL_FEATURES, LEGITIMACY_TOKENS, CountryResult, FeatureEvidence, PageFeatures, Price, Span
from .rules import RulesError, load_rules

__all__ = ["BOOL_FEATURES", "LEGITIMACY_TOKENS", "CountryResult", "FeatureEvidence", "PageFeatures", "Price",
           "RulesError", "Span", "code_page", "load_rules"]
