"""The unit every stage shares: one page's extracted text, cut into blocks with offsets."""

from __future__ import annotations

from dataclasses import dataclass, field

#: block kinds an extractor may emit
BLOCK_KINDS = frozenset(
    {"title", "meta", "heading", "paragraph", "list_item", "table_cell", "alt", "testimonial", "text"}
)


@dataclass(frozen=True, slots=True)
class Block:
    """A run of ``Page.text[start:end]`` that is one visual unit (heading, bullet, cell...)."""

    kind: str
    start: int
    end: int


@dataclass(slots=True)
class Page:
    """Extracted main text of one page.

    ``text`` is the blocks' texts joined by a single ``"\\n"``; no block holds a newline, so a
    newline is always a block boundary (and a sentence boundary).
    """

    source: str
    text: str
    blocks: list[Block]
    url: str | None = None
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_blocks(
        cls, source: str, parts: list[tuple[str, str]], *, url: str | None = None,
        encoding: str | None = None, warnings: list[str] | None = None,
    ) -> Page:
        """Build a page from ``(kind, text)`` pairs; texts are whitespace-collapsed, empties dropped."""
        chunks: list[str] = []
        blocks: list[Block] = []
        pos = 0
        for kind, raw in parts:
            text = " ".join(raw.split())
            if not text:
                continue
            if chunks:
                pos += 1  # the joining newline
            blocks.append(Block(kind, pos, pos + len(text)))
            chunks.append(text)
            pos += len(text)
        return cls(source=source, text="\n".join(chunks), blocks=blocks, url=url, encoding=encoding,
                   warnings=list(warnings or []))
