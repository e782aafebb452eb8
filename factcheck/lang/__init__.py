"""Language packs: one data folder per language (``factcheck/lang/<code>/``).

A pack holds ``language.json`` (sentence, inflection and matching specifics) and
``context_rules.json`` (ConText cue rules). Adding a language needs no Python change.
"""

from __future__ import annotations

from importlib.resources import files as resource_files

__all__ = ["bundled_languages"]


def bundled_languages() -> tuple[str, ...]:
    """Codes of the packs shipped in this folder (each a sub-folder holding ``language.json``)."""
    root = resource_files(__name__)
    return tuple(sorted(entry.name for entry in root.iterdir()
                        if entry.is_dir() and (entry / "language.json").is_file()))
