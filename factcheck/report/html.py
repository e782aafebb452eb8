"""A self-contained static HTML report: an index and one page per scanned page.

Everything from the scanned page (text, source, URL, claim fields) is passed through
:func:`html.escape` before it reaches the output; links are only made for plain http(s) URLs; and
each file carries a Content-Security-Policy that allows no network and only the one inline
sorting script (by hash), so even a missed escape could not run injected script.

Claims are highlighted in the manner of spaCy's displaCy span view: each therapy, condition,
outcome and context-cue span is drawn as a coloured bar under its text, overlapping spans are
stacked on separate tracks, and a small label marks where each span starts.

Why not ``displacy.render(doc, style="span")`` itself: it wraps every token of the page in a
styled element (about 17 bytes of markup per character of text on the example pages, 3 MB for a
200 KB page) where this wraps only highlighted regions; it needs the page re-tokenised into a Doc
when the report only has JSON lines with character offsets; and its template cannot carry what
each span here links to and explains (the claim card, alias, score, method, cue rule).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import html
import itertools
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .clinics import clinic_section
from .naming import assign_filenames, contained, is_http_url
from .records import VERDICTS, ClaimRecord, LineProblem, PageRecord, ReportInput, Term, load

DEFAULT_TITLE = "factcheck report"
PAGES_DIR = "pages"
#: bar thickness + gap of one span track, px
TRACK_STEP = 4
MAX_TRACKS = 6

KIND_LABELS = {"therapy": "therapy", "condition": "condition", "outcome": "outcome", "cue": "context"}
VERDICT_LABELS = {"unproven": "Unproven", "overstated": "Overstated", "supported": "Supported"}

CSS = """
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#e3e7ed;--bg:#f6f7f9;--card:#fff;--accent:#1d4ed8;
--therapy:#4f46e5;--condition:#0891b2;--outcome:#c026d3;--cue:#64748b;
--unproven:#b91c1c;--unproven-bg:#fdecec;--overstated:#b45309;--overstated-bg:#fdf3e1;
--supported:#15803d;--supported-bg:#e8f5ec}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,
sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
header.top{background:#111827;color:#f9fafb;padding:18px 32px}
header.top h1{margin:0;font-size:20px;font-weight:600;letter-spacing:.2px}
header.top .sub{color:#9ca3af;font-size:13px;margin-top:2px;overflow-wrap:anywhere}
header.top a{color:#93c5fd}
main{max-width:1180px;margin:0 auto;padding:24px 32px 48px}
h2{font-size:16px;margin:28px 0 10px;font-weight:600}
section.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:16px 20px;
margin-bottom:18px}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin:0 0 8px}
.total{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px}
.total .n{font-size:26px;font-weight:650;line-height:1.2}.total .l{color:var(--muted);font-size:12px;
text-transform:uppercase;letter-spacing:.6px}
.total.t-flag .n{color:var(--unproven)}.total.t-err .n{color:var(--overstated)}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:7px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:12px;text-transform:uppercase;letter-spacing:.5px;color:var(--muted);font-weight:600;
white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.sortable th{cursor:pointer;user-select:none}table.sortable th:hover{color:var(--ink)}
table.sortable th[aria-sort=ascending]::after{content:" \\25B2"}
table.sortable th[aria-sort=descending]::after{content:" \\25BC"}
td.page{min-width:260px;max-width:420px;overflow-wrap:anywhere}
.muted{color:var(--muted)}.small{font-size:12px}
.badge{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;
line-height:18px;white-space:nowrap;border:1px solid transparent}
.v-unproven.badge{background:var(--unproven-bg);color:var(--unproven);border-color:#f5c2c2}
.v-overstated.badge{background:var(--overstated-bg);color:var(--overstated);border-color:#f3d19e}
.v-supported.badge{background:var(--supported-bg);color:var(--supported);border-color:#b7dfc3}
.st-error{color:var(--overstated);font-weight:600}
.pill{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;background:#eef1f5;
color:#374151;margin:1px 2px 1px 0;white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;gap:14px;font-size:13px;color:var(--muted);margin:4px 0 10px}
.legend .sw{display:inline-block;width:22px;height:4px;border-radius:2px;vertical-align:middle;
margin-right:6px}
.doc{white-space:pre-wrap;overflow-wrap:anywhere;line-height:2.5;font-size:15px;
font-family:Georgia,"Iowan Old Style","Times New Roman",serif;color:#222}
.seg{border-radius:2px;-webkit-box-decoration-break:clone;box-decoration-break:clone}
.claimtext.v-unproven{background-color:var(--unproven-bg)}
.claimtext.v-overstated{background-color:var(--overstated-bg)}
.claimtext.v-supported{background-color:var(--supported-bg)}
.chip{display:inline-block;font:600 10px/14px -apple-system,"Segoe UI",Roboto,Arial,sans-serif;
color:#fff;border-radius:3px;padding:0 4px;margin:0 3px 0 1px;vertical-align:2px;letter-spacing:.3px;
white-space:nowrap}
.k-therapy{background:var(--therapy)}.k-condition{background:var(--condition)}
.k-outcome{background:var(--outcome)}.k-cue{background:var(--cue)}
.doc .badge{font:600 11px/16px -apple-system,"Segoe UI",Roboto,Arial,sans-serif;padding:0 7px;
margin:0 2px;vertical-align:1px}
article.claim{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--line);
border-radius:8px;padding:14px 18px;margin:0 0 14px}
article.claim.v-unproven{border-left-color:var(--unproven)}
article.claim.v-overstated{border-left-color:var(--overstated)}
article.claim.v-supported{border-left-color:var(--supported)}
article.claim:target{box-shadow:0 0 0 3px #bfdbfe}
.claimhead{display:flex;flex-wrap:wrap;align-items:center;gap:8px 10px;margin-bottom:8px}
.claimhead .n{font-weight:700;color:var(--muted)}.claimhead .pair{font-weight:600}
.claimhead .jump{margin-left:auto;font-size:13px}
.sentence{margin:6px 0 10px;padding:2px 0 2px 12px;border-left:3px solid var(--line);line-height:2.4;
font-family:Georgia,"Iowan Old Style","Times New Roman",serif;font-size:15px;white-space:pre-wrap;
overflow-wrap:anywhere}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:0 0 6px;font-size:14px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}
.flag{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;
background:#eef2ff;color:#3730a3;margin-right:4px}
.flag.f-negated,.flag.f-hedged{background:#f1f5f9;color:#334155}
.flag.f-guarantee{background:var(--unproven-bg);color:var(--unproven)}
.flag.f-offer{background:#ecfeff;color:#155e75}
.ev{border-top:1px dashed var(--line);padding-top:8px;margin-top:8px;font-size:14px}
.ev code{font-size:12.5px;background:#f3f4f6;border-radius:3px;padding:1px 5px}
.ev p{margin:4px 0}.ev ul{margin:4px 0 0;padding-left:20px}.ev li{overflow-wrap:anywhere}
.notice{background:#fffbeb;border:1px solid #fde68a;color:#78350f;border-radius:6px;padding:8px 12px;
margin:0 0 14px;font-size:14px}
.notice.err{background:#fef2f2;border-color:#fecaca;color:#7f1d1d}
.meta{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;font-size:14px;margin:0}
.meta dt{color:var(--muted)}.meta dd{margin:0;overflow-wrap:anywhere}
svg text{font:12px -apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#374151}
.chartwrap,.tablewrap{overflow-x:auto}
td .badge{margin:1px 2px 1px 0}
details summary{cursor:pointer;color:var(--muted);font-size:13px;margin-top:8px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:16px}
""".strip()

# Sorting only; numeric cells carry data-sort so "10" sorts after "9". The data-js mark shows the
# script ran (the CSP admits it by hash), which the browser test checks.
SORT_JS = """
document.documentElement.setAttribute("data-js","sortable");
document.querySelectorAll("table.sortable").forEach(function(t){
var hs=t.tHead.rows[0].cells;
Array.prototype.forEach.call(hs,function(h,i){h.addEventListener("click",function(){
var asc=h.getAttribute("aria-sort")!=="ascending";
Array.prototype.forEach.call(hs,function(o){o.removeAttribute("aria-sort");});
h.setAttribute("aria-sort",asc?"ascending":"descending");
var b=t.tBodies[0],rows=Array.prototype.slice.call(b.rows);
var key=function(r){var c=r.cells[i],v=c.getAttribute("data-sort");
return v!==null&&v!==""&&!isNaN(v)?parseFloat(v):c.textContent.trim().toLowerCase();};
rows.sort(function(a,c){var x=key(a),y=key(c);return (x<y?-1:x>y?1:0)*(asc?1:-1);});
rows.forEach(function(r){b.appendChild(r);});});});});
""".strip()

_SCRIPT_HASH = base64.b64encode(hashlib.sha256(SORT_JS.encode()).digest()).decode()
# No network at all: no fetch, no images, no fonts; scripts only the sorting one above.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    f"script-src 'sha256-{_SCRIPT_HASH}'; base-uri 'none'; form-action 'none'"
)


def esc(value: object) -> str:
    """Escape any value for HTML text or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def _humanise(identifier: str) -> str:
    return identifier.replace("_", " ")


def short_url(url: str, limit: int = 80) -> str:
    """``host/path`` without scheme and ``www.``, cut to ``limit`` characters: what people scan for."""
    parts = urlsplit(url)
    text = (parts.netloc.lower().removeprefix("www.") + parts.path.rstrip("/")) or url
    if parts.query:
        text += "?" + parts.query
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _link(url: str | None, label: str | None = None) -> str:
    """An external link for http(s) URLs; anything else is shown as plain escaped text."""
    if not url:
        return ""
    if not is_http_url(url):
        return f'<span class="muted">{esc(label if label is not None else url)}</span>'
    text = esc(label if label is not None else short_url(url))
    return (f'<a href="{esc(url)}" title="{esc(url)}" rel="noopener noreferrer nofollow" '
            f'target="_blank">{text}</a>')


def _document(
    title: str, body: str, *, subtitle: str = "", script: bool = False, heading: str | None = None
) -> str:
    js = f"<script>{SORT_JS}</script>" if script else ""
    heading = title if heading is None else heading
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{CSS}</style></head>\n"
        f'<body><header class="top"><h1>{esc(heading)}</h1>'
        f'<div class="sub">{subtitle}</div></header>\n<main>\n{body}\n</main>\n'
        '<footer>Made by factcheck from a scan report. Verdicts are automatic and come with their '
        "evidence: read the sources before relying on them.</footer>\n"
        f"{js}</body></html>\n"
    )


# --------------------------------------------------------------------------- highlighting


@dataclass(slots=True)
class _Span:
    start: int
    end: int
    kind: str  # therapy | condition | outcome | cue
    label: str
    title: str
    track: int = 0


@dataclass(slots=True)
class _Region:
    start: int
    end: int
    verdict: str
    number: int


def _term_title(kind: str, term: Term) -> str:
    bits = [f"{kind}: {term.id}"]
    if term.alias and term.alias.lower() != term.text.lower():
        bits.append(f"alias {term.alias!r}")
    if term.method:
        bits.append(term.method)
    if term.score is not None and term.score < 100:
        bits.append(f"score {term.score:g}")
    return ", ".join(bits)


def _locate(
    text: str, base: int, snippet: str, start: int | None, end: int | None, window: tuple[int, int]
) -> tuple[int, int] | None:
    """Where a mention sits in ``text`` (which starts at page offset ``base``).

    Trust the recorded offsets when they point at the mention's text; otherwise look for the text,
    first within the claim's window, then anywhere.
    """
    if start is not None and end is not None:
        s, e = start - base, end - base
        if 0 <= s < e <= len(text) and (not snippet or text[s:e].casefold() == snippet.casefold()):
            return s, e
    if not snippet:
        return None
    lowered, needle = text.casefold(), snippet.casefold()
    # casefold can change lengths (ß -> ss); only search when offsets stay comparable
    if len(lowered) != len(text):
        lowered, needle = text.lower(), snippet.lower()
        if len(lowered) != len(text):
            return None
    w0, w1 = max(0, window[0]), min(len(text), window[1])
    pos = lowered.find(needle, w0, w1) if w0 < w1 else -1
    if pos < 0:
        pos = lowered.find(needle)
    return (pos, pos + len(snippet)) if pos >= 0 else None


def _claim_spans(claim: ClaimRecord, text: str, base: int) -> list[_Span]:
    window = (claim.start - base, claim.end - base)
    spans: list[_Span] = []
    terms: list[tuple[str, Term | None]] = [
        ("therapy", claim.therapy), ("condition", claim.condition), ("outcome", claim.outcome)]
    for kind, term in terms:
        if term is None:
            continue
        where = _locate(text, base, term.text, term.start, term.end, window)
        if where:
            spans.append(_Span(where[0], where[1], kind, f"{kind} · {_humanise(term.id)}",
                               _term_title(kind, term)))
    for cue in claim.context:
        where = _locate(text, base, cue.cue, cue.start, cue.end, window)
        if where:
            spans.append(_Span(where[0], where[1], "cue", cue.category,
                               f"context: {cue.category} ({cue.rule})" if cue.rule else cue.category))
    return spans


def _assign_tracks(spans: list[_Span]) -> int:
    """Give overlapping spans different tracks (greedy interval colouring); returns track count."""
    ends: list[int] = []
    for span in sorted(spans, key=lambda s: (s.start, -(s.end - s.start))):
        for i, end in enumerate(ends):
            if end <= span.start:
                span.track, ends[i] = i, span.end
                break
        else:
            span.track = len(ends)
            ends.append(span.end)
    return len(ends)


def highlight(text: str, spans: list[_Span], regions: Sequence[_Region] = (), *, anchors: bool = True) -> str:
    """Render ``text`` with span bars, claim tints, labels and verdict badges, all escaped."""
    unique: dict[tuple[int, int, str, str], _Span] = {}
    for s in spans:
        if 0 <= s.start < s.end <= len(text):
            unique.setdefault((s.start, s.end, s.kind, s.label), s)
    spans = list(unique.values())
    regions = [r for r in regions if 0 <= r.start < r.end <= len(text)]
    tracks = min(_assign_tracks(spans), MAX_TRACKS)
    pad = tracks * TRACK_STEP + 1

    cuts = {0, len(text)}
    for s in spans:
        cuts.update((s.start, s.end))
    for r in regions:
        cuts.update((r.start, r.end))
    points = sorted(cuts)
    starts_at: dict[int, list[_Span]] = defaultdict(list)
    for s in sorted(spans, key=lambda s: (s.track, s.kind)):
        starts_at[s.start].append(s)
    out: list[str] = []
    for a, b in itertools.pairwise(points):
        for r in regions:
            if r.end == a:
                out.append(_badge(r.verdict, f"#{r.number} {VERDICT_LABELS.get(r.verdict, r.verdict)}",
                                  href=f"#claim-{r.number}"))
        for r in regions:
            if r.start == a and anchors:
                out.append(f'<span id="t-claim-{r.number}"></span>')
        for s in starts_at.get(a, ()):
            out.append(f'<span class="chip k-{s.kind}" title="{esc(s.title)}">{esc(s.label)}</span>')
        piece = esc(text[a:b])
        active = [s for s in spans if s.start <= a and s.end >= b]
        inside = [r for r in regions if r.start <= a and r.end >= b]
        if not active and not inside:
            out.append(piece)
            continue
        classes = ["seg"]
        # the strongest verdict colours text shared by several claims; unknown verdicts get no class
        known = sorted((r.verdict for r in inside if r.verdict in VERDICTS), key=VERDICTS.index)
        if known:
            classes += ["claimtext", f"v-{known[0]}"]
        layers = []
        for s in sorted(active, key=lambda s: s.track):
            if s.track < MAX_TRACKS:
                offset = (tracks - 1 - s.track) * TRACK_STEP + 1
                layers.append(f"linear-gradient(var(--{s.kind}),var(--{s.kind})) "
                              f"0 calc(100% - {offset}px)/100% 3px no-repeat")
        if known:
            layers.append(f"var(--{known[0]}-bg)")  # a colour may only be the last layer
        style = f' style="padding-bottom:{pad}px' + (f';background:{",".join(layers)}"' if layers else '"')
        if active:
            style += f' title="{esc("; ".join(s.title for s in active))}"'
        data = " ".join(f"{s.kind}:{s.start}-{s.end}" for s in active)
        out.append(f'<span class="{" ".join(classes)}" data-spans="{esc(data)}"{style}>{piece}</span>')
    for r in regions:
        if r.end == len(text):
            out.append(_badge(r.verdict, f"#{r.number} {VERDICT_LABELS.get(r.verdict, r.verdict)}",
                              href=f"#claim-{r.number}"))
    return "".join(out)


def _badge(verdict: str, label: str | None = None, *, href: str | None = None) -> str:
    cls = f"badge v-{esc(verdict)}" if verdict in VERDICTS else "badge"
    text = esc(label if label is not None else VERDICT_LABELS.get(verdict, verdict))
    if href:
        return f'<a class="{cls}" href="{esc(href)}">{text}</a>'
    return f'<span class="{cls}">{text}</span>'


def _legend() -> str:
    items = "".join(f'<span><span class="sw k-{k}"></span>{esc(v)}</span>' for k, v in KIND_LABELS.items())
    return f'<div class="legend">{items}</div>'


# --------------------------------------------------------------------------- one page


def _claim_card(number: int, claim: ClaimRecord, *, in_text: bool) -> str:
    base = claim.start
    spans = _claim_spans(claim, claim.sentence, base)
    sentence = highlight(claim.sentence, spans, anchors=False)
    condition = _humanise(claim.condition.id)
    if claim.subtype:
        condition += f" ({_humanise(claim.subtype)})"
    jump = f'<a class="jump" href="#t-claim-{number}">show in text ↓</a>' if in_text else ""
    facts = []
    if claim.outcome is not None:
        pill = f"<span class='pill'>{esc(_humanise(claim.outcome.id))}</span>"
        facts.append(("Promised outcome", f"“{esc(claim.outcome.text)}” {pill}"))
    if claim.reason:
        facts.append(("Why", esc(claim.reason)))
    if claim.basis:
        basis = {"record": "an evidence record", "default": "no record for this pair (default rule)"}
        facts.append(("Decided by", esc(basis.get(claim.basis, claim.basis))))
    facts.append(("Found as", f"{esc(claim.therapy.text)} / {esc(claim.condition.text)}"
                              f" <span class='muted small'>chars {claim.start}–{claim.end}</span>"))
    if claim.context:
        flags = " ".join(
            f'<span class="flag f-{esc(c.category)}" title="{esc(c.rule)}">{esc(c.category)}</span>'
            f"“{esc(c.cue)}”" for c in claim.context)
        facts.append(("Context", flags))
    rows = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    evidence = []
    for ev in claim.evidence:
        sources = "".join(f"<li>{_link(u)}</li>" for u in ev.sources)
        evidence.append(
            f'<div class="ev"><div><code>{esc(ev.record)}</code> '
            f'<span class="pill">{esc(_humanise(ev.status))}</span></div>'
            + (f"<p>{esc(ev.summary)}</p>" if ev.summary else "")
            + (f"<ul>{sources}</ul>" if sources else "<p class='muted'>No sources listed.</p>")
            + "</div>")
    if not evidence:
        evidence.append('<div class="ev muted">No evidence record covers this pair.</div>')
    return (
        f'<article class="claim v-{esc(claim.verdict)}" id="claim-{number}">'
        f'<div class="claimhead"><span class="n">#{number}</span>{_badge(claim.verdict)}'
        f'<span class="pair">{esc(_humanise(claim.therapy.id))} → {esc(condition)}</span>{jump}</div>'
        f'<div class="sentence">{sentence}</div><dl class="facts">{rows}</dl>{"".join(evidence)}</article>'
    )


def render_page(page: PageRecord, *, title: str, index_href: str = "../index.html") -> str:
    """The HTML of one scanned page's report."""
    meta = [("Source", esc(page.source))]
    if page.url:
        meta.append(("URL", _link(page.url, page.url)))
    status = esc(page.status) if page.status == "ok" else f'<span class="st-error">{esc(page.status)}</span>'
    meta.append(("Status", status))
    if page.stance:
        reasons = "".join(f'<span class="pill">{esc(r)}</span>' for r in page.stance_reasons)
        meta.append(("Page stance", f"{esc(_humanise(page.stance))} {reasons}"))
    counts = Counter(c.verdict for c in page.claims)
    summary = " ".join(_badge(v, f"{counts[v]} {VERDICT_LABELS[v].lower()}") for v in VERDICTS if counts[v])
    meta.append(("Claims", f"{len(page.claims)} {summary}"))
    if page.text_length is not None:
        meta.append(("Text length", f"{page.text_length:,} characters"))
    parts = [f'<p class="small"><a href="{esc(index_href)}">← all pages</a></p>',
             '<section class="card"><dl class="meta">'
             + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta) + "</dl></section>"]
    if page.error:
        parts.append(f'<div class="notice err"><b>Scan error</b> {esc(page.error.type)}: '
                     f'{esc(page.error.message)}</div>')
    for warning in page.warnings:
        parts.append(f'<div class="notice">{esc(warning)}</div>')

    numbered = list(enumerate(page.claims, start=1))
    if page.text is not None:
        spans: list[_Span] = []
        regions: list[_Region] = []
        for n, claim in numbered:
            spans += _claim_spans(claim, page.text, 0)
            if 0 <= claim.start < claim.end <= len(page.text):
                regions.append(_Region(claim.start, claim.end, claim.verdict, n))
        parts.append(f'<h2>Page text</h2><section class="card">{_legend()}'
                     f'<div class="doc">{highlight(page.text, spans, regions)}</div></section>')
    elif page.claims:
        parts.append('<div class="notice">This report was made without the page text '
                     "(scan with <code>--with-text</code> to see it); showing each claim's sentence.</div>")
    if page.claims:
        parts.append(f"<h2>Claims ({len(page.claims)})</h2>" + _legend())
        parts.extend(_claim_card(n, c, in_text=page.text is not None) for n, c in numbered)
    elif page.status == "ok":
        parts.append('<p class="muted">No therapy–condition claims were found on this page.</p>')
    shown = page.location if len(page.location) <= 120 else page.location[:119] + "…"
    subtitle = f'<a href="{esc(index_href)}">{esc(title)}</a>'
    return _document(f"{shown} · {title}", "\n".join(parts), subtitle=subtitle, heading=shown)


# --------------------------------------------------------------------------- index


def _bar_chart(pages: Sequence[PageRecord], limit: int = 30) -> str:
    """Horizontal stacked bars: one row per therapy × condition, one segment per verdict."""
    table: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for page in pages:
        for claim in page.claims:
            table[(claim.therapy.id, claim.condition.id)][claim.verdict] += 1
    if not table:
        return '<p class="muted">No claims to chart.</p>'
    rows = sorted(table.items(), key=lambda kv: (-sum(kv[1][v] for v in VERDICTS if v in ("unproven",
                  "overstated")), -sum(kv[1].values()), kv[0]))
    shown = rows[:limit]
    longest = max(len(f"{_humanise(t)} → {_humanise(c)}") for (t, c), _ in shown)
    # ~6.5px a character at 12px: the label column fits the longest label, up to 44 characters
    label_w, bar_w, row_h, top = int(min(44, longest) * 6.5) + 20, 560, 24, 30
    biggest = max(sum(c.values()) for _, c in shown)
    height = top + row_h * len(shown) + 8
    colours = {"unproven": "var(--unproven)", "overstated": "var(--overstated)",
               "supported": "var(--supported)"}
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{label_w + bar_w + 50}" '
           f'height="{height}" viewBox="0 0 {label_w + bar_w + 50} {height}">'
           "<title>Claims by therapy, condition and verdict</title>"]
    x = float(label_w)
    for v in VERDICTS:
        svg.append(f'<rect x="{x:.0f}" y="6" width="12" height="12" rx="2" fill="{colours[v]}"/>'
                   f'<text x="{x + 17:.0f}" y="16">{VERDICT_LABELS[v]}</text>')
        x += 110
    for i, ((therapy, condition), counts) in enumerate(shown):
        y = top + i * row_h
        label = f"{_humanise(therapy)} → {_humanise(condition)}"
        if len(label) > 44:
            label = label[:43] + "…"
        svg.append(f'<text x="{label_w - 10}" y="{y + 15}" text-anchor="end">{esc(label)}</text>')
        x = float(label_w)
        total = sum(counts.values())
        for v in VERDICTS:
            other = counts.get(v, 0)
            if not other:
                continue
            w = bar_w * other / biggest
            svg.append(f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                       f'fill="{colours[v]}"><title>{esc(label)}: {other} {v}</title></rect>')
            x += w
        svg.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{total}</text>')
    svg.append("</svg>")
    note = (f'<p class="muted small">Showing the {limit} pairs with most flagged claims of {len(rows)}.</p>'
            if len(rows) > limit else "")
    # the same numbers as a table, for screen readers and copying
    trs = "".join(
        f"<tr><td>{esc(_humanise(t))}</td><td>{esc(_humanise(c))}</td>"
        + "".join(f'<td class="num">{n.get(v, 0)}</td>' for v in VERDICTS) + "</tr>"
        for (t, c), n in rows)
    ths = "".join(f'<th class="num">{VERDICT_LABELS[v]}</th>' for v in VERDICTS)
    details = (f"<details><summary>Show as a table</summary><table class='sortable'><thead><tr>"
               f"<th>Therapy</th><th>Condition</th>{ths}</tr></thead><tbody>{trs}</tbody></table></details>")
    return f'<div class="chartwrap">{"".join(svg)}</div>{note}{details}'


def _outcomes(pages: Sequence[PageRecord], limit: int = 15) -> str:
    counts: Counter[str] = Counter()
    # wording grouped case-insensitively, shown as most often written
    texts: dict[str, Counter[str]] = defaultdict(Counter)
    spelled: dict[str, Counter[str]] = defaultdict(Counter)
    on_pages: dict[str, set[int]] = defaultdict(set)
    no_outcome = 0
    for i, page in enumerate(pages):
        for claim in page.flagged:
            if claim.outcome is None:
                no_outcome += 1
                continue
            counts[claim.outcome.id] += 1
            wording = " ".join(claim.outcome.text.split())
            texts[claim.outcome.id][wording.casefold()] += 1
            spelled[wording.casefold()][wording] += 1
            on_pages[claim.outcome.id].add(i)
    if not counts:
        return '<p class="muted">No flagged claim states an outcome.</p>'
    rows = []
    for oid, n in counts.most_common(limit):
        said = ", ".join(f"“{esc(spelled[t].most_common(1)[0][0])}”" + (f" ×{k}" if k > 1 else "")
                         for t, k in texts[oid].most_common(4))
        rows.append(f'<tr><td><span class="pill">{esc(_humanise(oid))}</span></td>'
                    f'<td class="num" data-sort="{n}">{n}</td>'
                    f'<td class="num" data-sort="{len(on_pages[oid])}">{len(on_pages[oid])}</td>'
                    f"<td>{said}</td></tr>")
    extra = (f'<p class="muted small">{no_outcome} flagged claim(s) state no specific outcome.</p>'
             if no_outcome else "")
    return ('<table class="sortable"><thead><tr><th>Outcome</th><th class="num">Flagged claims</th>'
            '<th class="num">Pages</th><th>As worded on the pages</th></tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>{extra}")


def render_index(
    pages: Sequence[PageRecord], filenames: Sequence[str], problems: Sequence[LineProblem], *,
    title: str, subtitle: str = "", extra: str = "",
) -> str:
    """The HTML of the index page; ``extra`` is appended as further sections (page coding)."""
    n_claims = sum(len(p.claims) for p in pages)
    n_flagged = sum(len(p.flagged) for p in pages)
    n_errors = sum(p.status == "error" for p in pages)
    n_flag_pages = sum(bool(p.flagged) for p in pages)
    totals = [("Pages", len(pages), ""), ("Claims", n_claims, ""), ("Flagged claims", n_flagged, "t-flag"),
              ("Pages with flags", n_flag_pages, "t-flag"), ("Errors", n_errors, "t-err" if n_errors else "")]
    parts = ['<div class="totals">' + "".join(
        f'<div class="total {cls}"><div class="n">{n:,}</div><div class="l">{esc(label)}</div></div>'
        for label, n, cls in totals) + "</div>"]
    if problems:
        # file name only: the report may be shared, the reader's local folders are nobody's business
        items = "".join(f"<li><code>{esc(Path(p.path).name)}:{p.line}: {esc(p.message)}</code></li>"
                        for p in problems[:50])
        more = f"<li>… and {len(problems) - 50} more</li>" if len(problems) > 50 else ""
        parts.append(f'<div class="notice err"><b>{len(problems)} report line(s) could not be read</b> '
                     f"and are left out:<ul>{items}{more}</ul></div>")

    order = sorted(range(len(pages)), key=lambda i: (-len(pages[i].flagged), -len(pages[i].claims),
                                                      pages[i].location))
    rows = []
    for i in order:
        p = pages[i]
        counts = Counter(c.verdict for c in p.claims)
        # sorts by severity: unproven outweighs overstated outweighs supported
        severity = counts["unproven"] * 10_000 + counts["overstated"] * 100 + counts["supported"]
        therapies = sorted({c.therapy.id for c in p.claims})
        conditions = sorted({c.condition.id for c in p.claims})
        shown = p.location if len(p.location) <= 90 else p.location[:89] + "…"
        status = (esc(p.status) if p.status == "ok" else
                  f'<span class="st-error" title="{esc(p.error.message if p.error else "")}">error</span>')
        href = f"{PAGES_DIR}/{filenames[i]}"
        rows.append(
            f'<tr><td class="page"><a href="{esc(href)}" title="{esc(p.location)}">{esc(shown)}</a></td>'
            f"<td>{status}</td><td>{esc(_humanise(p.stance or ''))}</td>"
            f'<td class="num" data-sort="{len(p.flagged)}">{len(p.flagged)}</td>'
            f'<td class="num" data-sort="{len(p.claims)}">{len(p.claims)}</td>'
            + f'<td data-sort="{severity}">'
            + " ".join(_badge(v, f"{counts[v]} {v}") for v in VERDICTS if counts[v]) + "</td>"
            + f"<td>{''.join(f'<span class=pill>{esc(_humanise(t))}</span>' for t in therapies)}</td>"
            f"<td>{''.join(f'<span class=pill>{esc(_humanise(c))}</span>' for c in conditions)}</td></tr>")
    parts.append(
        '<h2>Pages</h2><section class="card"><p class="muted small">Click a column to sort.</p>'
        '<div class="tablewrap"><table class="sortable" id="pages"><thead><tr>'
        "<th>Page</th><th>Status</th><th>Stance</th>"
        '<th class="num" aria-sort="descending">Flagged</th><th class="num">Claims</th>'
        "<th>Verdicts</th>"
        f'<th>Therapies</th><th>Conditions</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>')
    parts.append(f'<h2>Claims by therapy, condition and verdict</h2><section class="card">'
                 f"{_bar_chart(pages)}</section>")
    parts.append(f'<h2>Most common flagged outcome promises</h2><section class="card">{_outcomes(pages)}'
                 "</section>")
    if extra:
        parts.append(extra)
    return _document(title, "\n".join(parts), subtitle=subtitle, script=True)


# --------------------------------------------------------------------------- entry point


def write_html_report(
    report_path_or_records: ReportInput,
    outdir: str | os.PathLike[str],
    *,
    title: str = DEFAULT_TITLE,
    generated: dt.datetime | None = None,
    coding_source: object = None,
) -> Path:
    """Write ``index.html`` and ``pages/*.html`` under ``outdir``; returns the index path.

    ``report_path_or_records`` is a JSONL report path, a loaded report, or report-line dicts.
    Lines that cannot be read are listed on the index page (see also :func:`records.load`).
    """
    loaded = load(report_path_or_records)
    out = Path(outdir)
    pages_dir = out / PAGES_DIR
    pages_dir.mkdir(parents=True, exist_ok=True)
    names = assign_filenames(loaded.pages)
    for page, name in zip(loaded.pages, names, strict=True):
        # errors="replace": a lone surrogate (legal in JSON, not in UTF-8) must not stop the report
        contained(pages_dir, name).write_text(render_page(page, title=title), encoding="utf-8",
                                              errors="replace")
    when = (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    origin = ""
    if isinstance(report_path_or_records, str | os.PathLike):
        # the file name only: a local absolute path says nothing to the reader and leaks a home dir
        origin = f" from {esc(Path(os.fspath(report_path_or_records)).name)}"
    subtitle = f"Generated {esc(when)}{origin} · {len(loaded.pages):,} pages"
    index = out / "index.html"
    # page coding rides on the raw lines: a loaded report does not keep it, so callers holding one
    # pass the report path as ``coding_source``
    extra = clinic_section(coding_source if coding_source is not None else report_path_or_records)
    index.write_text(render_index(loaded.pages, names, loaded.problems, title=title, subtitle=subtitle,
                                  extra=extra), encoding="utf-8", errors="replace")
    return index


def pages_with_files(pages: Iterable[PageRecord]) -> list[tuple[PageRecord, str]]:
    """Each page with the file name the HTML report gives it (for links from other outputs)."""
    pages = list(pages)
    return list(zip(pages, assign_filenames(pages), strict=True))
