"""Ingest: bytes from files, archives and scrapes -> decoded text -> ``Page`` blocks with offsets."""

from factcheck.ingest.page import Block, Page

__all__ = ["Block", "Page"]
