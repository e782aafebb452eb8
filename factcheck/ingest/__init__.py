"""Ingest: bytes from files, archives and scrapes -> decoded text -> ``Page`` blocks with offsets."""

from factcheck.ingest.decode import Decoded, decode_bytes
from factcheck.ingest.errors import IngestError
from factcheck.ingest.html import html_to_page
from factcheck.ingest.page import BLOCK_KINDS, Block, Page
from factcheck.ingest.sources import MAX_BYTES, RawInput, iter_inputs, load_page, raw_to_page
from factcheck.ingest.text import text_to_page

__all__ = [
    "BLOCK_KINDS",
    "MAX_BYTES",
    "Block",
    "Decoded",
    "IngestError",
    "Page",
    "RawInput",
    "decode_bytes",
    "html_to_page",
    "iter_inputs",
    "load_page",
    "raw_to_page",
    "text_to_page",
]
