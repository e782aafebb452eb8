"""The curated evidence database of factcheck, shipped as package data.

Only YAML data lives here (see README.md for how to curate a record). Read it through
``importlib.resources`` so it works from a wheel, a zip or a source checkout::

    import claims_db
    claims_db.files() / "therapies" / "msc.yaml"

``factcheck.db.load_db()`` loads and validates it.
"""

from __future__ import annotations

from importlib.resources import files as _files
from importlib.resources.abc import Traversable

__all__ = ["files", "path"]


def files() -> Traversable:
    """The root of the bundled database (a ``Traversable``, usually a real directory)."""
    return _files(__name__)


def path(*parts: str) -> Traversable:
    """A file or folder inside the bundled database, e.g. ``path("records", "multiple_sclerosis")``."""
    node = files()
    for part in parts:
        node = node / part
    return node
