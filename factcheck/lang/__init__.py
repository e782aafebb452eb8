"""Language packs: one data folder per language (``factcheck/lang/<code>/``).

A pack holds ``language.json`` (sentence, inflection and matching specifics) and
``context_rules.json`` (ConText cue rules); ``pack.py`` loads and validates them, ``identify.py``
tells a page's language from them. Adding a language needs no Python change.
"""

from __future__ import annotations

from factcheck.lang.pack import bundled_codes as bundled_languages

__all__ = ["bundled_languages"]
