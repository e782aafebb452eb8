"""Researchers' tables from a scan report: ``clinics.csv``, the page coding sheet, and an HTML section.

Reads report lines as plain dicts (page coding rides on the lines as ``country``, ``features`` and
``feature_evidence``), so it does not depend on how the other writers model a page.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from factcheck.coding.clinics import Clinic, by_group, clinic_of, clinics, share_of_clinics
from factcheck.coding.models import BOOL_FEATURES, LEGITIMACY_TOKENS

from .csv_summary import _write

FEATURES: tuple[str, ...] = (*BOOL_FEATURES, *LEGITIMACY_TOKENS)
CLINIC_COLUMNS = ("clinic", "pages", "coded_pages", "country", "therapies", "conditions_offered_count",
                  "conditions_offered", "max_conditions_per_product", "many_conditions_red_flag",
                  "price_currency", "price_min", "price_max", "claims", "flagged_claims",
                  *(f"share_{f}" for f in FEATURES))
SHEET_COLUMNS = ("source", "url", "clinic", "status", "coded", "country", "country_decided_by", *FEATURES,
                 "prices", "nct_ids", "claims", "flagged_claims")


def raw_lines(report: object) -> list[dict[str, Any]]:
    """Report lines as dicts from a JSONL path or an iterable of dicts; lines that are not JSON
    objects are skipped (the main reader names them)."""
    if isinstance(report, str | os.PathLike):
        out = []
        with open(report, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                try:
                    value = json.loads(line)
                except ValueError:
                    continue
                if isinstance(value, dict):
                    out.append(value)
        return out
    if isinstance(report, Iterable) and not isinstance(report, str | bytes | Mapping):
        return [x for x in report if isinstance(x, dict)]
    return []


def _clinic_row(c: Clinic) -> list[object]:
    price = c.price_range()
    return [c.clinic, c.pages, c.coded_pages, c.country or "", ";".join(sorted(c.therapies)),
            len(c.conditions_offered), ";".join(c.conditions_offered), c.max_conditions_per_product,
            c.many_conditions, price[0] if price else "", price[1] if price else "", price[2] if price else "",
            c.claims, c.flagged_claims, *(c.share(f) for f in FEATURES)]


def write_clinics_csv(report: object, path: str | os.PathLike[str]) -> Path:
    """One row per clinic (domain, or site name for pages without a URL)."""
    return _write(path, CLINIC_COLUMNS, [_clinic_row(c) for c in clinics(raw_lines(report))])


def _sheet_row(line: Mapping[str, Any]) -> list[object]:
    features = line.get("features") if isinstance(line.get("features"), Mapping) else None
    raw_evidence = line.get("feature_evidence")
    evidence: Mapping[str, Any] = raw_evidence if isinstance(raw_evidence, Mapping) else {}
    tokens = set((features or {}).get("legitimacy") or [])
    values = [int(bool((features or {}).get(f))) if f in BOOL_FEATURES else int(f in tokens) for f in FEATURES]
    prices = "; ".join(f"{p.get('currency')} {p.get('amount'):g}" + (f"-{p['amount_max']:g}" if p.get("amount_max")
                                                                        else "")
                       for p in evidence.get("prices") or [] if isinstance(p, Mapping)
                       and isinstance(p.get("amount"), int | float))
    claims = line.get("claims") or []
    return [line.get("source", ""), line.get("url") or "", clinic_of(line), line.get("status", ""),
            int(features is not None and bool(evidence.get("coded", True))), line.get("country") or "",
            (evidence.get("country") or {}).get("decided_by") or "", *values, prices,
            ";".join(evidence.get("nct_ids") or []), len(claims),
            sum(c.get("verdict") in ("overstated", "unproven") for c in claims if isinstance(c, Mapping))]


def write_coding_sheet(report: object, path: str | os.PathLike[str]) -> Path:
    """The page coding sheet: one row per page, one 0/1 column per feature and legitimacy token."""
    return _write(path, SHEET_COLUMNS, [_sheet_row(line) for line in raw_lines(report)])


# --------------------------------------------------------------------------- HTML


def _esc(value: object) -> str:
    import html

    return html.escape("" if value is None else str(value), quote=True)


def _share_chart(shares: Mapping[str, float], n_clinics: int) -> str:
    """Horizontal bars: share of clinics with each feature (inline SVG, nothing fetched)."""
    label_w, bar_w, row_h, top = 170, 420, 22, 8
    height = top + row_h * len(shares) + 8
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="feature-chart" '
           f'width="{label_w + bar_w + 60}" height="{height}" viewBox="0 0 {label_w + bar_w + 60} {height}">'
           f"<title>Share of {n_clinics} clinics with each feature</title>"]
    for i, (name, share) in enumerate(shares.items()):
        y = top + i * row_h
        label = name.replace("_", " ")
        w = bar_w * share
        svg.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">{_esc(label)}</text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 7}" fill="var(--overstated)">'
                   f"<title>{_esc(label)}: {share:.0%} of clinics</title></rect>"
                   f'<text x="{label_w + w + 6:.1f}" y="{y + 14}">{share:.0%}</text>')
    svg.append("</svg>")
    return f'<div class="chartwrap">{"".join(svg)}</div>'


def _group_table(rows: list[Clinic], key: str, caption: str) -> str:
    groups = by_group(rows, key)
    shown = [f for f in FEATURES if any(c.has(f) for c in rows)] or list(BOOL_FEATURES)
    head = "".join(f'<th class="num">{_esc(f.replace("_", " "))}</th>' for f in shown)
    body = []
    for name, members in groups.items():
        shares = share_of_clinics(members, shown)
        body.append(f"<tr><td>{_esc(name.replace('_', ' '))}</td><td class='num'>{len(members)}</td>"
                    + "".join(f'<td class="num">{shares[f]:.0%}</td>' for f in shown) + "</tr>")
    return (f'<div class="tablewrap"><table class="sortable" id="features-by-{key}"><caption>{_esc(caption)}'
            f'</caption><thead><tr><th>{_esc(key)}</th><th class="num">Clinics</th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def clinic_section(report: object) -> str:
    """The index page's "Clinics and page coding" section ('' when the lines carry no page coding)."""
    lines = raw_lines(report)
    if not any(isinstance(line.get("features"), Mapping) for line in lines):
        return ""
    rows = [c for c in clinics(lines) if c.coded_pages]
    shares = share_of_clinics(rows, FEATURES)
    clinic_rows = []
    for c in rows[:200]:
        price = c.price_range()
        price_text = f"{price[0]} {price[1]:,.0f}–{price[2]:,.0f}" if price else ""
        flag = ' <span class="pill flag" title="one product offered for many conditions">many conditions</span>' \
            if c.many_conditions else ""
        clinic_rows.append(
            f"<tr><td>{_esc(c.clinic)}</td><td>{_esc(c.country or '')}</td><td class='num'>{c.pages}</td>"
            f"<td>{_esc(', '.join(t.replace('_', ' ') for t in sorted(c.therapies)))}</td>"
            f"<td class='num' data-sort='{len(c.conditions_offered)}'>{len(c.conditions_offered)}{flag}</td>"
            f"<td>{_esc(', '.join(x.replace('_', ' ') for x in c.conditions_offered))}</td>"
            f"<td>{_esc(price_text)}</td><td class='num'>{c.flagged_claims}</td>"
            f"<td>{_esc(', '.join(f.replace('_', ' ') for f in FEATURES if c.has(f)))}</td></tr>")
    return (
        '<h2 id="clinics">Clinics and page coding</h2><section class="card">'
        f'<p class="muted small">{len(rows)} clinic(s) (a domain, or the site name of pages without a URL). '
        "Share of clinics showing each feature on at least one page (definitions: labels.md "
        "&ldquo;Page features&rdquo;).</p>"
        f"{_share_chart(shares, len(rows))}"
        '<div class="tablewrap"><table class="sortable" id="clinics-table"><thead><tr><th>Clinic</th>'
        '<th>Country</th><th class="num">Pages</th><th>Cell types</th><th class="num">Conditions offered</th>'
        '<th>Which</th><th>Price range</th><th class="num">Flagged claims</th><th>Features</th></tr></thead>'
        f"<tbody>{''.join(clinic_rows)}</tbody></table></div>"
        f"{_group_table(rows, 'country', 'Share of clinics with each feature, by country')}"
        f"{_group_table(rows, 'therapy', 'Share of clinics with each feature, by therapy')}"
        "</section>")
