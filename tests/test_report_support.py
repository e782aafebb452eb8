"""Report lines for the report tests, built the way the scanner writes them (no tests here).

Offsets are computed from the page text, so every span points where a real scan would point.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

NMSS = "https://www.nationalmssociety.org/what-you-can-do/find-ms-care/stem-cells-in-ms"
CTGOV = "https://clinicaltrials.gov/study/NCT03799718"
ECTRIMS = "https://journals.sagepub.com/doi/10.1177/1352458519893926"
ISSCR = "https://www.isscr.org/guidelines"
FDA_WARN = "https://www.fda.gov/vaccines-blood-biologics/consumers-biologics/important-patient-and-consumer-information-about-regenerative-medicine-therapies"

CLINIC_TEXT = "\n".join(
    [
        "Regenerate Your Life with Stem Cells",
        "Our Wharton's jelly MSCs repair the myelin in SPMS and halt progression for good.",
        "Patients with Parkinson's disease may see less tremor after our stem cell therapy.",
        "aHSCT is an established treatment for highly active relapsing MS and reduces relapses.",
        "We guarantee results: our adipose stem cell injections regrow cartilage in knee osteoarthritis.",
        "Book a consultation today. Packages from $14,900 including flights and hotel.",
    ]
)

HOSTILE_TEXT = "\n".join(
    [
        'Welcome <script>alert("pwned")</script> to "><img src=x onerror=alert(2)> our clinic',
        "Our <b>stem cells</b> cure MS </textarea><iframe src=javascript:alert(3)></iframe> & more.",
        "{{7*7}} ${7*7} <!-- comment --> &amp; &lt;done&gt;",
    ]
)


def term(text: str, page_text: str, tid: str, *, after: int = 0, **extra: Any) -> dict[str, Any]:
    """A term dict with offsets of the first ``text`` at or after ``after``."""
    start = page_text.index(text, after)
    return {
        "id": tid,
        "text": text,
        "start": start,
        "end": start + len(text),
        "alias": text.lower(),
        "score": 100.0,
        "method": "exact",
        **extra,
    }


def claim(
    page_text: str,
    sentence_prefix: str,
    *,
    therapy: tuple[str, str],
    condition: tuple[str, str],
    verdict: str,
    outcome: tuple[str, str] | None = None,
    subtype: str | None = None,
    reason: str = "",
    context: Sequence[tuple[str, str, str]] = (),
    evidence: Sequence[dict[str, Any]] = (),
    basis: str = "record",
) -> dict[str, Any]:
    """A claim on the line of ``page_text`` that starts with ``sentence_prefix``."""
    start = page_text.index(sentence_prefix)
    end = page_text.find("\n", start)
    end = len(page_text) if end < 0 else end
    cond = term(
        condition[1],
        page_text,
        condition[0],
        after=start,
        subtype=subtype,
        # as the scanner writes it: the first subtype's id, and every subtype mention as a term
        subtypes=[{"id": subtype, "text": subtype}] if subtype else [],
    )
    flags = []
    for category, cue, rule in context:
        cs = page_text.index(cue, start)
        flags.append({"category": category, "cue": cue, "start": cs, "end": cs + len(cue), "rule": rule})
    return {
        "therapy": term(therapy[1], page_text, therapy[0], after=start),
        "condition": cond,
        "outcome": term(outcome[1], page_text, outcome[0], after=start) if outcome else None,
        "verdict": verdict,
        "flagged": verdict in ("overstated", "unproven"),
        "reason": reason,
        "basis": basis,
        "sentence": page_text[start:end],
        "start": start,
        "end": end,
        "context": flags,
        "evidence": list(evidence),
    }


def evidence(record: str, status: str, sources: list[str], summary: str) -> dict[str, Any]:
    return {"record": record, "status": status, "sources": sources, "summary": summary}


MSC_MS = evidence(
    "msc-multiple_sclerosis",
    "investigational",
    [NMSS, CTGOV],
    "Mesenchymal stem cells for MS have only been tested in small early-phase trials; no trial has shown "
    "repair of myelin or lasting benefit. They should only be given inside a registered trial.",
)
AHSCT_MS = evidence(
    "ahsct-multiple_sclerosis",
    "guideline_accepted",
    [ECTRIMS, NMSS],
    "aHSCT is a guideline-accepted treatment option for highly active relapsing-remitting MS that has not "
    "responded to high-efficacy disease-modifying therapy.",
)
SVF_OA = evidence(
    "svf-osteoarthritis",
    "investigational",
    [ISSCR, FDA_WARN],
    "Stromal vascular fraction injections for osteoarthritis are unapproved; trials have not shown that "
    "they regrow cartilage.",
)


def clinic_page(
    *,
    with_text: bool = True,
    source: str = "examples/pages/clinic-msc-ms.html",
    url: str | None = "https://www.regen-clinic.example/treatments/multiple-sclerosis",
) -> dict[str, Any]:
    text = CLINIC_TEXT
    claims = [
        claim(
            text,
            "Our Wharton's",
            therapy=("msc", "Wharton's jelly MSCs"),
            condition=("multiple_sclerosis", "SPMS"),
            subtype="spms",
            outcome=("remyelination", "repair the myelin in SPMS"),
            verdict="unproven",
            reason="MSCs are investigational for MS (trials only) and the page promises myelin repair.",
            evidence=[MSC_MS],
        ),
        claim(
            text,
            "Patients with Parkinson",
            therapy=("stem_cell_unspecified", "stem cell therapy"),
            condition=("parkinsons", "Parkinson's disease"),
            outcome=("symptom_relief", "less tremor"),
            verdict="unproven",
            basis="default",
            context=[("hedged", "may", "hedge_may")],
            reason="No evidence record accepts unspecified stem cell therapy for Parkinson's disease.",
        ),
        claim(
            text,
            "aHSCT is",
            therapy=("ahsct", "aHSCT"),
            condition=("multiple_sclerosis", "relapsing MS"),
            subtype="rrms",
            outcome=("fewer_relapses", "reduces relapses"),
            verdict="supported",
            reason="aHSCT is guideline-accepted for highly active relapsing MS.",
            evidence=[AHSCT_MS],
        ),
        claim(
            text,
            "We guarantee",
            therapy=("svf", "adipose stem cell injections"),
            condition=("osteoarthritis", "knee osteoarthritis"),
            outcome=("regeneration", "regrow cartilage"),
            verdict="unproven",
            context=[
                ("guarantee", "We guarantee results", "guarantee_results"),
                ("offer", "our adipose stem cell injections", "offer_our"),
            ],
            reason="SVF is investigational for osteoarthritis; the page guarantees cartilage regrowth.",
            evidence=[SVF_OA],
        ),
    ]
    page: dict[str, Any] = {
        "source": source,
        "url": url,
        "status": "ok",
        "error": None,
        "stance": "promotes",
        "stance_reasons": ["offer language", "price"],
        "warnings": [],
        "text_length": len(text),
        "claims": claims,
    }
    if with_text:
        page["text"] = text
    return page


def info_page() -> dict[str, Any]:
    """A patient-information page: one supported claim, no flags."""
    text = "\n".join(
        [
            "Stem cell treatments for MS",
            "aHSCT can reduce relapses in highly active relapsing MS when other treatments have failed.",
            "Other stem cell treatments should only be given in clinical trials.",
        ]
    )
    c = claim(
        text,
        "aHSCT can",
        therapy=("ahsct", "aHSCT"),
        condition=("multiple_sclerosis", "relapsing MS"),
        subtype="rrms",
        outcome=("fewer_relapses", "reduce relapses"),
        verdict="supported",
        reason="aHSCT is guideline-accepted for highly active relapsing MS.",
        evidence=[AHSCT_MS],
    )
    return {
        "source": "examples/pages/charity-info.html",
        "url": "https://www.ms-charity.example/stem-cells",
        "status": "ok",
        "error": None,
        "stance": "informs",
        "stance_reasons": ["trial language"],
        "warnings": [],
        "text_length": len(text),
        "claims": [c],
        "text": text,
    }


def hostile_page() -> dict[str, Any]:
    """Everything a hostile page controls, trying to inject markup and escape the output folder."""
    text = HOSTILE_TEXT
    c = claim(
        text,
        "Our <b>",
        therapy=("stem_cell_unspecified", "<b>stem cells</b>"),
        condition=("multiple_sclerosis", "MS"),
        outcome=("cure", "cure MS"),
        verdict="unproven",
        reason='<img src=x onerror=alert("reason")>',
        context=[("offer", "Our", "<script>alert(4)</script>")],
        evidence=[
            evidence(
                "stem_cell_unspecified-multiple_sclerosis",
                "never_trialled",
                [
                    "javascript:alert(5)",
                    'https://ok.example/"><script>alert(6)</script>',
                    "https://www.nationalmssociety.org/",
                ],
                "<script>alert(7)</script> summary",
            )
        ],
    )
    return {
        "source": "../../etc/passwd",
        "url": "javascript:alert(8)//<script>alert(9)</script>",
        "status": "ok",
        "error": None,
        "stance": "<i>promotes</i>",
        "stance_reasons": ["<u>x</u>"],
        "warnings": ["<script>alert(10)</script>"],
        "text_length": len(text),
        "claims": [c],
        "text": text,
    }


def error_page() -> dict[str, Any]:
    return {
        "source": "examples/pages/broken.warc.gz",
        "url": None,
        "status": "error",
        "error": {"type": "DecodeError", "message": "truncated gzip stream <at byte 512>"},
        "stance": None,
        "stance_reasons": [],
        "warnings": [],
        "text_length": 0,
        "claims": [],
    }


def sample_records() -> list[dict[str, Any]]:
    return [
        info_page(),
        clinic_page(),
        error_page(),
        hostile_page(),
        clinic_page(with_text=False, source="crawl/www.other-clinic.example/ms.html", url=None),
    ]


def write_jsonl(path: Path, records: list[dict[str, Any]], extra_lines: Sequence[str] = ()) -> Path:
    lines = [json.dumps(r) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
