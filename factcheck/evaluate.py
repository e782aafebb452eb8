"""Score the checker on labelled pages: how far to trust it on pages like yours.

Cases are JSON lines in the labelled-case format (docs/evaluation.md): ``id``, ``kind``, ``lang``,
``format`` (text or html), ``text``, gold ``claims`` of (therapy, condition, verdict), optional
``features``. :func:`evaluate` checks every case in this process and scores what the report lines
say against the labels: precision/recall/F1 of flagged (therapy, condition) pairs, verdict
accuracy, false-alarm pages, page-level F1, all of it by language and by kind, the agreement of
page features when cases carry them, and every miss with its sentence.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from factcheck.report_line import FLAGGED, ReportLine

if TYPE_CHECKING:
    from factcheck.checker import Checker

BOOL_FEATURES = ("offers_treatment", "price", "testimonial", "success_rate", "safety_claim", "risk_disclosure",
                 "pay_to_participate")
_RANK = {"supported": 0, "overstated": 1, "unproven": 2}

Pair = tuple[str, str]


class GoldClaim(BaseModel):
    model_config = ConfigDict(extra="allow")

    therapy: str
    condition: str
    verdict: Literal["supported", "overstated", "unproven"]
    #: short quote of the span that makes the claim
    evidence: str = ""


class Case(BaseModel):
    """One labelled page."""

    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1)
    kind: str = "clinic"
    lang: str | None = None
    country: str | None = None
    format: Literal["text", "html"] = "text"
    text: str
    claims: list[GoldClaim] = Field(default_factory=list)
    features: dict[str, Any] | None = None

    @property
    def language(self) -> str:
        """``lang``, English when absent (labels.md)."""
        return self.lang or "en"


class CaseError(ValueError):
    """A cases file that cannot be read; the message names file, line and field."""


def load_cases(path: str | os.PathLike[str]) -> list[Case]:
    """Read a cases file (JSON lines); the first bad line raises :class:`CaseError` with ``file:line``."""
    name = os.fspath(path)
    cases: list[Case] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                cases.append(Case.model_validate_json(line))
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err["loc"])
                raise CaseError(f"{name}:{lineno}: {where + ': ' if where else ''}{err['msg']}") from None
    return cases


def gold_pairs(case: Case) -> dict[Pair, str]:
    return {(c.therapy, c.condition): c.verdict for c in case.claims}


def predicted_pairs(line: ReportLine) -> dict[Pair, str]:
    """The strongest verdict per (therapy, condition) pair of a report line."""
    pairs: dict[Pair, str] = {}
    for c in line.claims:
        key = (c.therapy.id, c.condition.id)
        if key not in pairs or _RANK.get(c.verdict, 0) > _RANK.get(pairs[key], 0):
            pairs[key] = c.verdict
    return pairs


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Miss:
    """One disagreement with the labels, with the sentence that shows it."""

    case: str
    kind: Literal["false_flag", "missed", "verdict", "error", "no_line"]
    message: str
    sentence: str = ""

    def __str__(self) -> str:
        return f"{self.case}: {self.message}" + (f"\n    {self.sentence!r}" if self.sentence else "")


@dataclass
class _Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    page_tp: int = 0
    page_fp: int = 0
    page_fn: int = 0
    pages: int = 0

    def summary(self) -> dict[str, Any]:
        p, r, f = prf(self.tp, self.fp, self.fn)
        return {"pages": self.pages, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3),
                "page_f1": round(prf(self.page_tp, self.page_fp, self.page_fn)[2], 3)}


@dataclass
class Evaluation:
    """The scores (``summary``, the keys of tools/score.py plus breakdowns) and every miss."""

    summary: dict[str, Any]
    misses: list[Miss] = field(default_factory=list)

    def text(self) -> str:
        """Misses, then a readable summary, then ``SCORE {json}`` (the scorer's last line)."""
        s = self.summary
        out = [str(m) for m in self.misses]
        out += ["", f"{s['cases']} cases: flagged pairs precision {s['precision']}, recall {s['recall']}, "
                f"F1 {s['f1']} (tp {s['flagged_tp']}, fp {s['flagged_fp']}, fn {s['flagged_fn']})",
                f"verdict accuracy {s['verdict_accuracy']}, page-level F1 {s['page_f1']}, "
                f"false-alarm pages {s['false_alarm_pages']} of {s['clean_pages']} clean, "
                f"error pages {s['error_pages']}"]
        for title, key in (("by language", "by_lang"), ("by kind", "by_kind")):
            out.append(f"{title}:")
            out += [f"  {name:<12} {v['pages']:>4} pages  P {v['precision']:.3f}  R {v['recall']:.3f}  "
                    f"F1 {v['f1']:.3f}  page F1 {v['page_f1']:.3f}" for name, v in s[key].items()]
        if "features" in s:
            out.append("features: " + ", ".join(f"{k} {v}" for k, v in s["features"].items()))
        out.append("SCORE " + json.dumps(s))
        return "\n".join(out)


def feature_agreement(cases: list[Case], lines: dict[str, ReportLine]) -> dict[str, Any]:
    """Per-feature accuracy (booleans), micro-F1 of legitimacy tokens, lang and country accuracy."""
    labelled = [c for c in cases if c.features is not None and c.id in lines]
    if not labelled:
        return {}
    out: dict[str, Any] = {"pages": len(labelled)}

    def got(c: Case) -> dict[str, Any]:
        return lines[c.id].features or {}

    for name in BOOL_FEATURES:
        ok = sum(bool((c.features or {}).get(name)) == bool(got(c).get(name)) for c in labelled)
        out[name] = round(ok / len(labelled), 3)
    tp = fp = fn = 0
    for c in labelled:
        gold, mine = set((c.features or {}).get("legitimacy") or []), set(got(c).get("legitimacy") or [])
        tp, fp, fn = tp + len(gold & mine), fp + len(mine - gold), fn + len(gold - mine)
    out["legitimacy_f1"] = round(prf(tp, fp, fn)[2], 3) if tp + fp + fn else 1.0
    out["mean_bool_accuracy"] = round(sum(out[n] for n in BOOL_FEATURES) / len(BOOL_FEATURES), 3)
    out["lang_accuracy"] = round(sum(c.language == lines[c.id].lang for c in labelled) / len(labelled), 3)
    with_country = [c for c in labelled if c.country]
    if with_country:
        out["country_accuracy"] = round(sum(c.country == lines[c.id].country for c in with_country)
                                        / len(with_country), 3)
    return out


def check_cases(cases: Iterable[Case], checker: Checker | None = None) -> dict[str, ReportLine]:
    """Each case's report line, checked in this process (the same claims as ``factcheck scan``)."""
    if checker is None:
        import factcheck

        checker = factcheck.load()
    lines = {}
    for case in cases:
        ext = ".html" if case.format == "html" else ".txt"
        report = (checker.check_html(case.text.encode("utf-8"), source=case.id + ext) if case.format == "html"
                  else checker.check_text(case.text, source=case.id + ext))
        lines[case.id] = ReportLine.from_page_report(report)
    return lines


def score(cases: list[Case], lines: dict[str, ReportLine]) -> Evaluation:
    """Compare report lines (by case id) with the labels."""
    total, by_lang, by_kind = _Counts(), dict[str, _Counts](), dict[str, _Counts]()
    verdict_ok = verdict_n = missing = errors = false_alarm_pages = clean_pages = 0
    misses: list[Miss] = []
    for case in cases:
        gold = gold_pairs(case)
        line = lines.get(case.id)
        sentences: dict[Pair, str] = {}
        if line is None:
            missing += 1
            misses.append(Miss(case.id, "no_line", "no report line"))
            pred: dict[Pair, str] = {}
        else:
            if line.status != "ok":
                errors += 1
                misses.append(Miss(case.id, "error", f"status {line.status}: {line.error}"))
            pred = predicted_pairs(line)
            for c in line.claims:
                key = (c.therapy.id, c.condition.id)
                if pred.get(key) == c.verdict:
                    sentences.setdefault(key, c.sentence)
        quotes = {(c.therapy, c.condition): c.evidence for c in case.claims}
        gold_flag = {k for k, v in gold.items() if v in FLAGGED}
        pred_flag = {k for k, v in pred.items() if v in FLAGGED}
        for counts in (total, by_lang.setdefault(case.language, _Counts()),
                       by_kind.setdefault(case.kind, _Counts())):
            counts.pages += 1
            counts.tp += len(gold_flag & pred_flag)
            counts.fp += len(pred_flag - gold_flag)
            counts.fn += len(gold_flag - pred_flag)
            counts.page_tp += bool(gold_flag) and bool(pred_flag)
            counts.page_fp += (not gold_flag) and bool(pred_flag)
            counts.page_fn += bool(gold_flag) and not pred_flag
        for k in sorted(gold_flag & pred_flag):
            verdict_n += 1
            verdict_ok += gold[k] == pred[k]
            if gold[k] != pred[k]:
                misses.append(Miss(case.id, "verdict", f"{k} verdict {pred[k]}, gold {gold[k]}",
                                   sentences.get(k, "")))
        for k in sorted(pred_flag - gold_flag):
            misses.append(Miss(case.id, "false_flag", f"false flag {k} ({pred[k]}; gold {gold.get(k, 'none')})",
                               sentences.get(k, "")))
        for k in sorted(gold_flag - pred_flag):
            misses.append(Miss(case.id, "missed", f"missed {k} (gold {gold[k]}; got {pred.get(k, 'none')})",
                               quotes.get(k, "")))
        if not gold_flag:
            clean_pages += 1
            false_alarm_pages += bool(pred_flag)
    main = total.summary()
    summary: dict[str, Any] = {
        "cases": len(cases), "flagged_tp": total.tp, "flagged_fp": total.fp, "flagged_fn": total.fn,
        "precision": main["precision"], "recall": main["recall"], "f1": main["f1"],
        "verdict_accuracy": round(verdict_ok / verdict_n, 3) if verdict_n else None,
        "clean_pages": clean_pages, "false_alarm_pages": false_alarm_pages,
        "missing_pages": missing, "error_pages": errors, "page_f1": main["page_f1"],
        "f1_by_lang": {lang: c.summary()["f1"] for lang, c in sorted(by_lang.items())},
    }
    features = feature_agreement(cases, {k: v for k, v in lines.items()})
    if features:
        summary["features"] = features
    summary["by_lang"] = {k: c.summary() for k, c in sorted(by_lang.items())}
    summary["by_kind"] = {k: c.summary() for k, c in sorted(by_kind.items())}
    return Evaluation(summary, misses)


def evaluate(cases: str | os.PathLike[str] | list[Case], checker: Checker | None = None, *,
             lang: str | None = None) -> Evaluation:
    """Check every case (a cases file or loaded cases) and score it; ``lang`` keeps one language."""
    loaded = load_cases(cases) if isinstance(cases, str | os.PathLike) else list(cases)
    if lang:
        loaded = [c for c in loaded if c.language == lang]
    return score(loaded, check_cases(loaded, checker))
