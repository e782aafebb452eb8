"""Context cue rules as data (medspaCy ConText style), validated on load.

The bundled rules of a language live in its pack, ``factcheck/lang/<code>/context_rules.json``;
users pass their own file (or extra rules) to ``load_rules`` to extend or replace them without
copying the package.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Category = Literal[
    "NEGATED", "PSEUDO", "TERMINATE", "HEDGED", "REPORTED", "HYPOTHETICAL", "GUARANTEE", "OFFER",
    "DISCLAIMER", "WARNING", "INFO", "TRIAL_ONLY", "OTHER_TREATMENT", "BENEFIT", "PRECLINICAL",
    "ENDOGENOUS", "ELIGIBILITY", "CAUSE", "ADVERSE", "SOURCE", "POPULATION", "COMPARATOR", "COSMETIC", "ANAPHOR",
]
Direction = Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO", "PAGE"]

_UNBOUNDED = 10  # a repeat allowing more than this many times counts as unbounded


def _has_nested_repeat(pattern: str) -> bool:
    """Does a repeat contain another unbounded repeat, at any depth ((a+)+, ((ab)*)+, (a|b+){2,})?

    Such patterns backtrack catastrophically on crafted input. Walks the parsed pattern rather
    than its text, so extra groups or alternations cannot hide the nesting.
    """
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_constants
        import sre_parse

    repeats = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT}

    def walk(items: Any, inside_repeat: bool) -> bool:
        for op, av in items:
            if op in repeats:
                _low, high, sub = av
                unbounded = high is sre_constants.MAXREPEAT or high > _UNBOUNDED
                if (unbounded and inside_repeat) or walk(sub, inside_repeat or unbounded):
                    return True
            elif op is sre_constants.SUBPATTERN:
                if walk(av[-1], inside_repeat):
                    return True
            elif op is sre_constants.BRANCH:
                if any(walk(branch, inside_repeat) for branch in av[1]):
                    return True
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT) and walk(av[1], inside_repeat):
                return True
        return False

    return walk(sre_parse.parse(pattern), False)


def safe_regex(value: str) -> str:
    """``value`` if it compiles and cannot backtrack catastrophically, else a ValueError saying why."""
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"invalid regular expression: {exc}") from None
    if _has_nested_repeat(value):
        raise ValueError("nested quantifier (catastrophic backtracking risk)")
    return value


class ContextRule(BaseModel):
    """One cue: ``literal`` (or ``pattern``) tagged with what it says about nearby terms."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    literal: str = Field(min_length=1)
    category: Category
    direction: Direction
    pattern: str | None = None
    max_scope: int | None = Field(default=None, ge=1, le=60)
    #: how much a PAGE cue counts towards the page stance
    weight: float = Field(default=1.0, gt=0, le=5)
    #: a PSEUDO cue masks the cues it overlaps except offers ("our patient-funded study" still sells);
    #: with this set it masks offers too (an offer word in another sense: "the high cost of transplants")
    masks_offers: bool = False
    #: a PSEUDO cue that retells someone else's offer ("institutes that propose stem cells for autism")
    #: also reports: the claim in its sentence is theirs, not the page's (a REPORTED cue on the same words)
    reports: bool = False
    #: a BENEFIT word that names a treatment rather than saying it does good ("therapy", "tratamiento"):
    #: it links a therapy and a condition named in one sentence ("stem cell therapy for MS"), but a
    #: sentence that names only the therapy does not borrow the page's condition through it
    names_treatment: bool = False
    #: an OFFER cue that quotes a price (an amount, "cost", "precio"): news and warnings quote what clinics
    #: charge, so prices alone never make a page an offer (they count beside another offer cue)
    price: bool = False
    comment: str = ""

    @field_validator("pattern")
    @classmethod
    def _pattern_is_safe(cls, value: str | None) -> str | None:
        return value if value is None else safe_regex(value)

    @model_validator(mode="after")
    def _reports_only_pseudo(self) -> ContextRule:
        if self.reports and self.direction != "PSEUDO":
            raise ValueError("'reports' is for PSEUDO rules (a retold offer); other cues say REPORTED directly")
        if self.names_treatment and self.category != "BENEFIT":
            raise ValueError("'names_treatment' is for BENEFIT rules (a word that names a treatment)")
        if self.price and self.category != "OFFER":
            raise ValueError("'price' is for OFFER rules (a cue that quotes a price)")
        return self

    @property
    def name(self) -> str:
        return f"{self.category}:{self.literal}"


class RuleError(ValueError):
    """A rules file that cannot be used; the message names the file and rule index."""


def parse_rules(data: object, origin: str) -> list[ContextRule]:
    """Validate a rules document (``{"rules": [...]}``); errors name ``origin`` and the rule index."""
    return _parse(data, origin)


def _parse(data: object, origin: str) -> list[ContextRule]:
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleError(f"{origin}: expected an object with a 'rules' list")
    rules: list[ContextRule] = []
    errors: list[str] = []
    for i, raw in enumerate(data["rules"]):
        try:
            rules.append(ContextRule.model_validate(raw))
        except ValidationError as exc:
            for err in exc.errors():
                field = ".".join(str(p) for p in err["loc"]) or "(rule)"
                errors.append(f"{origin}: rules[{i}].{field}: {err['msg']}")
    if errors:
        raise RuleError("\n".join(errors))
    return rules


def load_rules(path: str | Path | None = None, *, extra: list[dict[str, object]] | None = None,
               include_default: bool = True, lang: str = "en") -> list[ContextRule]:
    """Bundled rules of language ``lang``, plus rules from ``path`` (a JSON file of the same shape), plus ``extra``."""
    rules: list[ContextRule] = []
    if include_default:
        from factcheck.lang.pack import bundled_pack

        rules += bundled_pack(lang).rules
    if path is not None:
        p = Path(path)
        try:
            data = json.loads(p.read_text("utf-8"))
        except json.JSONDecodeError as exc:
            raise RuleError(f"{p}:{exc.lineno}: not JSON: {exc.msg}") from exc
        rules += _parse(data, str(p))
    if extra:
        rules += _parse({"rules": extra}, "extra rules")
    return rules
