"""Shared fixtures: one checker (spacy.blank("en") + factcheck components) for the session."""

from __future__ import annotations

import pytest

import factcheck
from factcheck.checker import Checker


@pytest.fixture(scope="session")
def checker() -> Checker:
    return factcheck.load()


@pytest.fixture(scope="session")
def db():  # type: ignore[no-untyped-def]
    return factcheck.load_db()
