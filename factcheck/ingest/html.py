"""HTML -> ``Page``: main text without boilerplate, cut into typed blocks, with lexbor (selectolax).

How it stays within ~2x of a bare ``body.text()`` (see benchmarks/README.md): every structural
step runs inside lexbor, and Python touches only text nodes and a handful of boilerplate elements.

1. Strip boilerplate tags (script, style, nav, footer...) and decompose boilerplate containers
   found by one CSS selector (cookie banners, ``<div>`` menus and footers, sidebars).
2. Unwrap inline tags (``<b>``, ``<a>``, ``<span>``...) and merge the text nodes they separated,
   so "stem <b>cell</b> therapy" is one text node and every remaining text-node boundary is a
   block boundary ("therapy.</p><p>Next" stays two blocks).
3. Walk the remaining text nodes once (``traverse``, in C) and take each one's kind from its
   parent (or grandparent, for ``<li><p>``, ``<blockquote><p>``); ``<img alt>`` becomes an alt block.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from selectolax.lexbor import LexborHTMLParser, LexborNode

from factcheck.ingest.decode import (
    SNIFF_BYTES,
    declared_charset,
    decode_bytes,
    normalize_charset,
    sniff_binary,
)
from factcheck.ingest.errors import IngestError
from factcheck.ingest.page import Block, Page
from factcheck.ingest.text import limit_parts

#: tags whose whole subtree is never page text
STRIP_TAGS = [
    "script", "style", "noscript", "template", "svg", "nav", "footer", "aside", "iframe",
    "object", "canvas", "video", "audio", "button", "select", "textarea", "dialog",
]
_STRIP_CSS = ", ".join(STRIP_TAGS)
#: tags that flow inside a line; unwrapped so they never split a phrase
INLINE_TAGS = [
    "a", "abbr", "b", "big", "cite", "code", "del", "dfn", "em", "font", "i", "ins", "kbd", "label",
    "mark", "nobr", "q", "s", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
    "wbr",
]
_INLINE_CSS = ", ".join(INLINE_TAGS)
#: boilerplate containers that are not tags of their own: cookie/consent banners, div menus,
#: div footers, sidebars, share bars. Class tests use whole words or distinctive stems, because a
#: loose ``[class*=nav]`` also hits "unavailable" and ``[class*=menu]`` hits "menu-item" text.
# Every selector costs ~20 ns per element on every page (lexbor tries each one on each node), so
# the list is short: the forms real sites and the generated pages use.
BOILERPLATE_CSS = ", ".join([
    "[class*=cookie i]", "[id*=cookie i]", "[class*=consent i]", "[id*=consent i]", "[class*=gdpr i]",
    ".cc-window",
    "[role=navigation]", ".menu", ".nav", ".navbar", "[class*=breadcrumb]",
    "[role=contentinfo]", "[class*=footer i]", "[id*=footer i]", "#colophon", "[class*=bottom-bar]",
    "[class*=sidebar]", "#secondary", ".widget-area",
    "header", "[role=banner]", "[id$=header i]", "[class*=top-bar]",
    "form",
])
#: a boilerplate match holding one of these is a page wrapper that was matched by accident
_MAIN_CSS = "main, article, [role=main], [itemprop=articleBody]"
_HEADING_CSS = "h1, h2, h3, h4, h5, h6"
_MAIN_CSS_AND_H1 = _MAIN_CSS + ", h1"

#: block kind of a text node, by its parent's tag
_TAG_KIND = {
    "p": "paragraph", "li": "list_item", "dt": "list_item", "dd": "list_item", "td": "table_cell",
    "th": "table_cell", "blockquote": "testimonial", "summary": "heading", "figcaption": "paragraph",
    **{f"h{i}": "heading" for i in range(1, 7)},
}
#: a paragraph (or loose text) whose parent is one of these takes the parent's structure
_OUTER_KIND = {"li": "list_item", "dt": "list_item", "dd": "list_item", "td": "table_cell",
               "th": "table_cell", "blockquote": "testimonial"}
_TESTIMONIAL_CSS = "[class*=testimonial i], [class~=review]"

_META_CSS = ('meta[name=description i], meta[property="og:description" i], '
             'meta[name="twitter:description" i]')
_TITLE_AND_META_CSS = "title, " + _META_CSS

#: nesting depth kept (Blink caps its tree at 512 too)
MAX_DEPTH = 512
#: documents with more ``<`` than this are scanned for deep nesting first (generated pages: 99 % < 1,000)
DEPTH_SCAN_TAGS = 4000
# [^<>] not [^>]: a "<" with no ">" must not make every later "<" rescan to the end (quadratic)
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
# void elements and tags the parser closes by itself add no depth
_NO_DEPTH = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "param",
})
_BOM_PREFIXES = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

NO_TEXT = "no text: the page has no visible text after boilerplate removal"


def html_to_page(
    html: str | bytes, *, source: str, url: str | None = None, http_charset: str | None = None,
    max_chars: int | None = None, truncated: bool = False, skim: bool = False,
) -> Page:
    """Extract a ``Page`` (title, meta description, headings, paragraphs, lists, cells, alt text...).

    Bytes are decoded with ``decode_bytes`` first (``http_charset`` wins over the meta charset;
    ``truncated`` tolerates a character cut at the end). ``max_chars`` cuts the text at a block
    boundary with a warning. Raises only ``IngestError`` (binary or otherwise unusable input).

    ``skim=True`` costs less and gives the same warnings, encoding and text length, but the body's
    blocks are joined by spaces (not newlines) and there are no ``blocks``: enough to decide that
    a page holds no claim terms and to report its ``text_length``, not to analyse it (``_skim``).
    """
    extract = _skim if skim else _extract
    warnings: list[str] = []
    encoding: str | None = None
    if isinstance(html, bytes | bytearray | memoryview):
        data = bytes(html)
        parts = None
        if not truncated and _plain_utf8_candidate(data, http_charset):
            # Most pages are UTF-8: lexbor reads the bytes as they are, and a Python decode is paid
            # only when invalid bytes reach the visible text (lexbor turns them into U+FFFD).
            parts = _extract_safely(data, source, warnings, extract)
            if any("\ufffd" in text for _, text in parts) and b"\xef\xbf\xbd" not in data:
                parts = None
                warnings.clear()
            else:
                encoding = "utf-8"
        if parts is None:
            try:
                decoded = decode_bytes(data, http_charset=http_charset, truncated=truncated)
            except IngestError as exc:
                raise exc.with_source(source) from None
            encoding = decoded.encoding
            warnings.extend(decoded.warnings)
            parts = _extract_safely(decoded.text, source, warnings, extract)
    else:
        parts = _extract_safely(html, source, warnings, extract)
    if not any(kind not in ("title", "meta") for kind, _ in parts):
        warnings.append(NO_TEXT)
    # parts are clean and non-empty: limit_parts changes nothing while their joined text fits
    if max_chars is not None and sum(map(len, (text for _, text in parts))) + len(parts) - 1 > max_chars:
        if skim:  # the cut falls at a block boundary: only the real blocks tell where
            return html_to_page(html, source=source, url=url, http_charset=http_charset, max_chars=max_chars,
                                truncated=truncated)
        parts = limit_parts(parts, max_chars, warnings)
    if skim:  # nobody reads a skimmed page's blocks: the page is either done or extracted again
        return Page(source=source, text="\n".join(text for _, text in parts), blocks=[], url=url,
                    encoding=encoding, warnings=warnings)
    return page_from_clean_parts(source, parts, url=url, encoding=encoding, warnings=warnings)


def _plain_utf8_candidate(data: bytes, http_charset: str | None) -> bool:
    """True when the bytes declare nothing but UTF-8 and do not look binary or UTF-16."""
    if data.startswith(_BOM_PREFIXES) or b"\x00" in data[:SNIFF_BYTES] or sniff_binary(data):
        return False
    labels = (http_charset, declared_charset(data))
    return all(normalize_charset(label) == "utf-8" for label in labels if label)


def _extract_safely(doc: str | bytes, source: str, warnings: list[str],
                    extract: Callable[[str | bytes, list[str]], list[tuple[str, str]]]) -> list[tuple[str, str]]:
    try:
        return extract(doc, warnings)
    except IngestError as exc:
        raise exc.with_source(source) from None
    except Exception as exc:  # lexbor is C: a failure there is this input's problem, not the batch's
        raise IngestError(f"HTML parser failed: {type(exc).__name__}: {exc}", source=source) from exc


def page_from_clean_parts(source: str, parts: list[tuple[str, str]], *, url: str | None = None,
                          encoding: str | None = None, warnings: list[str] | None = None) -> Page:
    """``Page.from_blocks`` for parts already whitespace-collapsed and non-empty (skips that pass)."""
    blocks: list[Block] = []
    pos = 0
    for kind, text in parts:
        end = pos + len(text)
        blocks.append(Block(kind, pos, end))
        pos = end + 1
    return Page(source=source, text="\n".join(t for _, t in parts), blocks=blocks, url=url,
                encoding=encoding, warnings=list(warnings or []))


def _clean(text: str) -> str:
    # Most text nodes hold only single ASCII spaces; isprintable() is false for every other
    # whitespace (newline, tab, nbsp, U+2028...) and for soft hyphens, which split() keeps anyway.
    text = text.strip()
    if text.isprintable() and "  " not in text:
        return text
    return " ".join(text.split())


def _flatten_deep(doc: str, warnings: list[str]) -> str:
    """Drop the tags nested deeper than ``MAX_DEPTH`` (their text stays), as browsers cap depth.

    lexbor's tree building is quadratic in nesting depth (100,000 nested ``<div>`` take ~30 s), so a
    document with many tags is scanned first. The scan is approximate (it does not know scripts or
    every auto-closed tag); it only ever removes markup, never text.
    """
    out: list[str] = []
    depth = deepest = last = dropped = 0
    for m in _TAG_RE.finditer(doc):
        name = m.group(2).lower()
        if name in _NO_DEPTH:
            continue
        if m.group(1):  # a closing tag
            over = depth > MAX_DEPTH
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
            over = depth > MAX_DEPTH
        if over:
            out.append(doc[last:m.start()])
            last = m.end()
            dropped += 1
    if not dropped:
        return doc
    out.append(doc[last:])
    warnings.append(f"markup nested {deepest} deep; {dropped} tags below depth {MAX_DEPTH} removed")
    return "".join(out)


def _prepare(doc: str | bytes, warnings: list[str],
             ) -> tuple[list[tuple[str, str]], LexborHTMLParser, LexborNode | None]:
    """Title and meta parts, the tree, and its body with boilerplate gone and inline tags unwrapped.

    The caller keeps the tree referenced while it uses the body (a node does not keep it alive).
    """
    if _count_tags(doc) > DEPTH_SCAN_TAGS:
        if isinstance(doc, bytes):
            doc = doc.decode("utf-8", "replace")  # only reached for bytes already seen to be UTF-8
        doc = _flatten_deep(doc, warnings)
    tree = LexborHTMLParser(doc, scripting=True)
    parts: list[tuple[str, str]] = []
    head = tree.head
    if head is not None:
        # the title and the metas from one walk of the head (the first <title>, as css_first gives)
        found = head.css(_TITLE_AND_META_CSS)
        title = next((node for node in found if node.tag == "title"), None)
        if title is not None and (text := _clean(title.text())):
            parts.append(("title", text))
        for meta in found:
            if meta.tag != "meta":
                continue
            content = meta.attributes.get("content")
            if content and (text := _clean(content)) and ("meta", text) not in parts:
                parts.append(("meta", text))
    body = tree.body
    if body is None:
        return parts, tree, None
    _remove(body.css(_STRIP_CSS))
    _drop_boilerplate(body)
    # one selector for all inline tags: unwrap_tags walks the tree once per tag (28 walks), and the
    # nodes to unwrap are the same whatever the order (each unwrap splices its children in place)
    root = tree.root
    if root is not None:
        for node in root.css(_INLINE_CSS):
            node.unwrap()
    body.merge_text_nodes()
    return parts, tree, body


class _Skimmed(threading.local):
    """The tree the last ``_skim`` in this thread prepared, for the full extraction that follows it.

    A page that may hold a claim is skimmed and then extracted in full from the same document
    object (``Checker.check_html``, ``scan.process_raw``): ``_extract`` takes the prepared tree
    instead of parsing and cleaning the document again. The entry holds the document itself, so
    ``is`` cannot match another object at a reused address.
    """

    entry: tuple[str | bytes, list[tuple[str, str]], LexborHTMLParser, LexborNode | None,
                 list[str], list[LexborNode]] | None = None


_SKIMMED = _Skimmed()


def _extract(doc: str | bytes, warnings: list[str]) -> list[tuple[str, str]]:
    entry = _SKIMMED.entry
    if entry is not None and entry[0] is doc:
        _SKIMMED.entry = None
        _doc, head, _tree, body, added, imgs = entry
        parts = list(head)
        warnings.extend(added)
        for img in imgs:  # the alt texts the skim put after its images go again
            if (alt := img.next) is not None:
                alt.decompose()
    else:
        parts, _tree, body = _prepare(doc, warnings)
    if body is not None:
        parts.extend(_walk(body))
    return parts


def _skim(doc: str | bytes, warnings: list[str]) -> list[tuple[str, str]]:
    """``_extract``'s parts with the body's blocks joined by spaces instead of newlines, in one part.

    Block boundaries are text-node boundaries (inline tags are unwrapped and merged), so lexbor's
    text with a space between text nodes, whitespace-collapsed, holds every block exactly as
    ``_extract`` cleans it; alt texts become text nodes where their images were. The text has the
    length and (folded for matching, where a newline is a space) the characters of the full one.
    """
    _SKIMMED.entry = None
    before = len(warnings)
    parts, tree, body = _prepare(doc, warnings)
    imgs: list[LexborNode] = []
    if body is not None:
        # each alt text goes in as a text node after its image (an image has no text of its own),
        # so the full extraction can take the tree back by removing them (_extract)
        imgs = body.css("img[alt]")
        for img in imgs:
            img.insert_after(" " + (img.attributes.get("alt") or "") + " ")
    _SKIMMED.entry = (doc, list(parts), tree, body, warnings[before:], imgs)
    if body is not None and (text := _skim_text(body)):
        parts.append(("text", text))
    return parts


def _skim_text(body: LexborNode) -> str:
    """``" ".join(body.text(separator=" ").split())``, mostly without the split.

    lexbor strips each text node and leaves out the blank ones; the fragments are then joined by
    single spaces, which is already the collapsed text unless a fragment holds a run of spaces or
    other whitespace inside (``isprintable`` is false for every whitespace but the space). Splitting
    the stripped text gives the same words as splitting the raw one: fragments never merge.
    """
    text: str = body.text(separator=" ", strip=True, skip_empty=True)
    if text.isprintable() and "  " not in text and not text.startswith(" ") and not text.endswith(" "):
        return text
    return " ".join(text.split())


def _count_tags(doc: str | bytes) -> int:
    """``doc.count("<")``, in bytes counted by numpy (bytes.count reads one byte at a time: ~23 us on a
    70 KB page, numpy ~7 us); a document shorter than ``DEPTH_SCAN_TAGS`` cannot hold more tags and is not counted."""
    if len(doc) <= DEPTH_SCAN_TAGS:
        return 0
    if isinstance(doc, str):
        return doc.count("<")
    import numpy

    return int(numpy.count_nonzero(numpy.frombuffer(doc, dtype=numpy.uint8) == 60))


def _remove(nodes: list[LexborNode]) -> None:
    # Reverse document order: descendants go before their ancestors, so no freed node is touched.
    for node in reversed(nodes):
        node.decompose()


def _ancestors(nodes: list[LexborNode]) -> set[int]:
    seen: set[int] = set()
    for node in nodes:
        cur: LexborNode | None = node
        while cur is not None and cur.mem_id not in seen:
            seen.add(cur.mem_id)
            cur = cur.parent
    return seen


def _main_and_h1_ancestors(body: LexborNode) -> tuple[set[int], set[int]]:
    """``_ancestors`` of ``body.css(_MAIN_CSS)`` and of ``body.css("h1")``, from one walk of the tree.

    An ``h1`` is a main-content node only through an attribute (``role``, ``itemprop``); an ``h1``
    that has either is tested with the main selector itself.
    """
    found = body.css(_MAIN_CSS_AND_H1)
    h1s = [node for node in found if node.tag == "h1"]
    if any("role" in (attrs := node.attributes) or "itemprop" in attrs for node in h1s):
        return _ancestors(body.css(_MAIN_CSS)), _ancestors(h1s)
    return _ancestors([node for node in found if node.tag != "h1"]), _ancestors(h1s)


def _inside_main(node: LexborNode) -> bool:
    cur = node.parent
    while cur is not None:
        if cur.tag in ("main", "article"):
            return True
        cur = cur.parent
    return False


def _drop_boilerplate(body: LexborNode) -> None:
    matches = body.css(BOILERPLATE_CSS)
    if not matches:
        return
    # Ancestors of the main content are page wrappers that a loose class test can hit
    # (an ASP.NET <form> around the page, <div class="has-sidebar">); they must survive.
    wrappers, holds_h1 = _main_and_h1_ancestors(body)
    for node in reversed(matches):
        if node.mem_id in wrappers:
            continue
        tag = node.tag
        headerish = tag == "header" or node.attributes.get("role") == "banner" or (
            "header" in (node.attributes.get("id") or "").lower())
        if headerish:
            if tag == "header" and _inside_main(node):
                continue  # an article's own header: title, byline, standfirst
            for heading in node.css(_HEADING_CSS):
                # the page title often sits in the site header (<header><h1>...</h1><nav>...)
                node.insert_before(heading)
        elif node.mem_id in holds_h1:
            continue  # a footer/menu/sidebar class on a wrapper of the page's h1
        elif tag == "form" and node.css_first("p, h2, h3") is not None:
            continue  # a form wrapping content, not a contact form
        node.decompose()


def _walk(body: LexborNode) -> list[tuple[str, str]]:
    """``(kind, text)`` for every text node and alt text, in document order."""
    parts: list[tuple[str, str]] = []
    testimonials = {n.mem_id for n in body.css(_TESTIMONIAL_CSS)}
    tag_kind = _TAG_KIND
    outer_kind = _OUTER_KIND
    for node in body.traverse(include_text=True, skip_empty=True):
        text = node.text_content
        if text is not None:
            parent = node.parent
            if parent is None:
                continue
            kind = tag_kind.get(parent.tag, "text")  # type: ignore[arg-type]
            if kind == "paragraph" or kind == "text":
                grand = parent.parent
                if testimonials and (parent.mem_id in testimonials
                                     or (grand is not None and grand.mem_id in testimonials)):
                    kind = "testimonial"
                elif grand is not None:
                    kind = outer_kind.get(grand.tag, kind)  # type: ignore[arg-type]
            if clean := _clean(text):
                parts.append((kind, clean))
        elif node.tag == "img":
            alt = node.attributes.get("alt")
            if alt and (clean := _clean(alt)):
                parts.append(("alt", clean))
    return parts
