"""Plain text -> ``Page`` (one block per line), and the ``max_chars`` cut shared with HTML."""

from __future__ import annotations

import re

from factcheck.ingest.page import Page

#: a line of at most this many words without end punctuation reads as a heading
HEADING_MAX_WORDS = 12
_TERMINAL = frozenset(".!?:;…。！？")


def limit_parts(parts: list[tuple[str, str]], max_chars: int, warnings: list[str]) -> list[tuple[str, str]]:
    """Keep whole parts while the joined text fits ``max_chars``; cut one over-long first part at a space.

    Appends a warning when anything is dropped.
    """
    if max_chars < 0:
        raise ValueError("max_chars must be >= 0")
    kept: list[tuple[str, str]] = []
    total = 0
    for i, (kind, raw) in enumerate(parts):
        text = " ".join(raw.split())
        if not text:
            continue
        need = len(text) + (1 if kept else 0)
        if total + need <= max_chars:
            kept.append((kind, text))
            total += need
            continue
        room = max_chars - total - (1 if kept else 0)
        if not kept and room > 0:
            # A single huge block (a 1M-character one-line page) would otherwise leave nothing.
            cut = text.rfind(" ", 0, room + 1)
            kept.append((kind, text[: cut if cut > 0 else room]))
        dropped = sum(len(" ".join(r.split())) for _, r in parts[i:])
        warnings.append(f"text cut to max_chars={max_chars} at a block boundary "
                        f"({dropped} characters of {len(parts) - i} blocks dropped)")
        break
    return kept


_BULLET = re.compile(r"^(?:[-*\u2022\u2023\u25aa\u25cf\u2013]|\d{1,2}[.)])\s")


def _line_kind(line: str, in_colon_list: bool) -> str:
    # a bullet, or a short line in a list opened by a lead-in ending with ":", is a list item
    if _BULLET.match(line) or (in_colon_list and len(line.split()) <= HEADING_MAX_WORDS):
        return "list_item"
    if len(line.split()) <= HEADING_MAX_WORDS and line[-1] not in _TERMINAL:
        return "heading"
    return "paragraph"


def text_to_page(text: str, *, source: str, url: str | None = None, max_chars: int | None = None,
                 encoding: str | None = None, warnings: list[str] | None = None) -> Page:
    """A page with one block per non-empty line: short unpunctuated lines are headings, others
    paragraphs, and a heading-like first line is the title."""
    parts: list[tuple[str, str]] = []
    colon_list = False
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            colon_list = bool(parts) and (parts[-1][1].endswith(":") or (colon_list and parts[-1][0] == "list_item"))
            kind = _line_kind(line, colon_list)
            parts.append(("title" if not parts and kind == "heading" else kind, line))
    warns = list(warnings or [])
    if not parts:
        warns.append("no text: the input is empty or whitespace only")
    if max_chars is not None:
        parts = limit_parts(parts, max_chars, warns)
    return Page.from_blocks(source, parts, url=url, encoding=encoding, warnings=warns)
