"""Safe output names and link checks for report files.

A page's source and URL come from the scanned web, so neither is trusted: file names are built
from a slug of ``[a-z0-9-]`` plus a hash, which cannot name a parent folder, a drive, a device or
a hidden file, and links are only emitted for plain ``http(s)`` URLs.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .records import PageRecord

SLUG_MAX = 60
_NON_SLUG = re.compile(r"[^a-z0-9]+")
# no whitespace, quotes or angle brackets: such a "URL" is more likely an injection than a link
_HTTP_URL = re.compile(r"^https?://[^\s\"'<>\\`]+$", re.IGNORECASE)


def slugify(value: str, max_length: int = SLUG_MAX) -> str:
    """Lower-case ASCII words joined by ``-``; ``"page"`` when nothing usable is left."""
    # unquote first so "%2e%2e" reads as ".." and is dropped like any other punctuation
    text = unicodedata.normalize("NFKD", unquote(value)).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rstrip("-")
    return slug or "page"


def _slug_source(page: PageRecord) -> str:
    if page.url and is_http_url(page.url):
        parts = urlsplit(page.url)
        host = parts.netloc.lower().removeprefix("www.")
        return f"{host} {parts.path}".removesuffix(".html").removesuffix(".htm")
    # the file name says most about a local page; its folders mostly repeat
    name = re.split(r"[\\/]", page.source.rstrip("/\\"))[-1] or page.source
    return re.sub(r"\.(html?|txt|warc(\.gz)?|gz)$", "", name, flags=re.IGNORECASE)


def page_filename(page: PageRecord) -> str:
    """``<slug>-<hash>.html``: readable, stable across runs, distinct for distinct pages."""
    digest = hashlib.sha256(f"{page.source}\0{page.url or ''}".encode("utf-8", "replace")).hexdigest()[:10]
    return f"{slugify(_slug_source(page))}-{digest}.html"


def assign_filenames(pages: Iterable[PageRecord]) -> list[str]:
    """One unique file name per page, in order (a page listed twice gets ``-2``, ``-3``...)."""
    seen: dict[str, int] = {}
    names = []
    for page in pages:
        name = page_filename(page)
        count = seen.get(name, 0) + 1
        seen[name] = count
        names.append(name if count == 1 else name.replace(".html", f"-{count}.html"))
    return names


def contained(folder: Path, name: str) -> Path:
    """``folder / name``, refusing any name that would resolve outside ``folder``."""
    base = folder.resolve()
    target = (base / name).resolve()
    if target.parent != base or not re.fullmatch(r"[a-z0-9][a-z0-9.-]*", name):
        raise ValueError(f"refusing unsafe output name {name!r}")
    return target


def is_http_url(value: str | None) -> bool:
    """True for a plain absolute http(s) URL (never ``javascript:``, ``data:`` or relative)."""
    return bool(value) and bool(_HTTP_URL.match(value or "")) and bool(urlsplit(value or "").netloc)


def domain_of(page: PageRecord) -> str:
    """The site a page belongs to: the URL's host, else a host found in the source.

    A local file with no host anywhere in its path is grouped by its folder (``local:<folder>``),
    which is honest about not knowing the site.
    """
    for candidate in (page.url, page.source):
        if candidate and "://" in candidate:
            host = (urlsplit(candidate).hostname or "").lower()
            if host:
                return host.removeprefix("www.")
    # mirrors made by wget/httrack keep the host as a folder name: mirror/www.clinic.com/ms.html
    folders = re.split(r"[\\/]", page.source)[:-1]
    for part in reversed(folders):
        if re.fullmatch(r"(?:[a-z0-9-]+\.)+[a-z]{2,24}", part.lower()):
            return part.lower().removeprefix("www.")
    folder = "/".join(folders) or "."
    return f"local:{folder}"
