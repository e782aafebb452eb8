"""Page-coding cue rules as data: ``factcheck/lang/<code>/features.json``, validated on load.

A feature is true when the distinct rules that match (each counted once, with its weight) reach
the feature's ``threshold``. A rule is a regular expression (case-insensitive) found anywhere in a
sentence; ``near`` must also occur in that sentence and no ``unless`` pattern (or named ``veto``
list) may. ``requires`` makes a feature depend on page-level facts ("offers_treatment",
"claims": the checker found a claim the page makes). Errors name the file, the line of the
offending rule and the field.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from factcheck.parse.rules import safe_regex

from .models import BOOL_FEATURES, LEGITIMACY_TOKENS

PageFact = Literal["offers_treatment", "claims", "not_offers_treatment"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CueRule(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    pattern: str = Field(min_length=2)
    weight: float = Field(default=1.0, gt=0, le=10)
    #: each must also be found in the sentence
    near: list[str] = Field(default_factory=list)
    #: none may be found in the sentence
    unless: list[str] = Field(default_factory=list)
    #: names of shared lists in the file's ``vetoes``
    veto: list[str] = Field(default_factory=list)
    #: none may occur in the ``window`` characters before the match, in its sentence ("no risk of infection")
    unless_before: list[str] = Field(default_factory=list)
    window: int = Field(default=40, ge=1, le=300)
    #: earlier sentences also searched for ``near`` (a list item under "Side effects:")
    near_context: int = Field(default=0, ge=0, le=5)

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, value: str) -> str:
        return safe_regex(value)

    @field_validator("near", "unless", "unless_before")
    @classmethod
    def _regexes(cls, values: list[str]) -> list[str]:
        return [safe_regex(v) for v in values]


class FeatureRules(_Model):
    description: str = ""
    threshold: float = Field(default=1.0, gt=0)
    requires: list[PageFact] = Field(default_factory=list)
    #: with several ``requires``, any one suffices
    rules: list[CueRule] = Field(default_factory=list)


class FeaturesFile(_Model):
    language: str = Field(pattern=r"^[a-z]{2}$")
    description: str = ""
    #: cheap gate: a page none of these match is not about a treatment and is not coded
    topic: list[str] = Field(min_length=1)
    vetoes: dict[str, list[str]] = Field(default_factory=dict)
    features: dict[str, FeatureRules]
    legitimacy: dict[str, FeatureRules]

    @field_validator("topic")
    @classmethod
    def _topic(cls, values: list[str]) -> list[str]:
        return [safe_regex(v) for v in values]

    @field_validator("vetoes")
    @classmethod
    def _vetoes(cls, values: dict[str, list[str]]) -> dict[str, list[str]]:
        return {k: [safe_regex(v) for v in vs] for k, vs in values.items()}

    @field_validator("features")
    @classmethod
    def _known_features(cls, values: dict[str, FeatureRules]) -> dict[str, FeatureRules]:
        return _only_known(values, BOOL_FEATURES, "feature(s)")

    @field_validator("legitimacy")
    @classmethod
    def _known_tokens(cls, values: dict[str, FeatureRules]) -> dict[str, FeatureRules]:
        return _only_known(values, LEGITIMACY_TOKENS, "legitimacy token(s)")


def _only_known(values: dict[str, FeatureRules], known: Sequence[str], what: str) -> dict[str, FeatureRules]:
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"unknown {what} {unknown}; known: {list(known)}")
    return values


class RulesError(ValueError):
    """A features.json that does not follow the schema; names file, line and field."""

    def __init__(self, path: str, problems: list[tuple[int | None, str, str]]) -> None:
        self.path = path
        self.problems = problems
        lines = [f"{path}:{line or '?'}: {field}: {msg}" for line, field, msg in problems]
        super().__init__(f"{len(problems)} problem(s) in page-coding rules:\n" + "\n".join(lines))


# --------------------------------------------------------------------------- compiled form


@dataclass(frozen=True, slots=True)
class CompiledRule:
    id: str
    regex: re.Pattern[str]
    weight: float
    near: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    unless_before: tuple[re.Pattern[str], ...]
    window: int
    near_context: int


@dataclass(frozen=True, slots=True)
class CompiledFeature:
    name: str
    threshold: float
    requires: tuple[str, ...]
    rules: tuple[CompiledRule, ...]


@dataclass(frozen=True, slots=True)
class CodingRules:
    language: str
    source: str
    topic: tuple[re.Pattern[str], ...]
    features: tuple[CompiledFeature, ...]
    legitimacy: tuple[CompiledFeature, ...]


_FLAGS = re.IGNORECASE | re.UNICODE


def _compile(name: str, spec: FeatureRules, vetoes: dict[str, list[str]]) -> CompiledFeature:
    rules = []
    for r in spec.rules:
        unless = [*r.unless, *(p for v in r.veto for p in vetoes[v])]
        rules.append(CompiledRule(r.id, re.compile(r.pattern, _FLAGS), r.weight,
                                  tuple(re.compile(p, _FLAGS) for p in r.near),
                                  tuple(re.compile(p, _FLAGS) for p in unless),
                                  tuple(re.compile(p, _FLAGS) for p in r.unless_before), r.window,
                                  r.near_context))
    return CompiledFeature(name, spec.threshold, tuple(spec.requires), tuple(rules))


def _line_of(raw: str, loc: tuple[Any, ...], data: Any) -> int | None:
    """Line of the innermost rule (by its id) or key named in a validation error location."""
    node = data
    needle = None
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            needle = f'"id": "{node["id"]}"'
        elif isinstance(part, str) and needle is None:
            needle = f'"{part}"'
    if needle is None or needle not in raw:
        return None
    return raw[: raw.index(needle)].count("\n") + 1


def parse_rules(raw: str, source: str) -> CodingRules:
    """Validate and compile the text of a features.json; :class:`RulesError` on any problem."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise RulesError(source, [(exc.lineno, "<json>", exc.msg)]) from None
    try:
        spec = FeaturesFile.model_validate(data)
    except ValidationError as exc:
        problems = [(_line_of(raw, tuple(e["loc"]), data), ".".join(str(p) for p in e["loc"]), e["msg"])
                    for e in exc.errors()]
        raise RulesError(source, problems) from None
    problems = []
    for group in ("features", "legitimacy"):
        for name, feature in getattr(spec, group).items():
            for i, rule in enumerate(feature.rules):
                for v in rule.veto:
                    if v not in spec.vetoes:
                        loc = (group, name, "rules", i, "veto")
                        problems.append((_line_of(raw, loc, data), ".".join(map(str, loc)),
                                         f"unknown veto list {v!r}; defined: {sorted(spec.vetoes)}"))
    if problems:
        raise RulesError(source, problems)
    return CodingRules(
        spec.language, source, tuple(re.compile(p, _FLAGS) for p in spec.topic),
        tuple(_compile(n, f, spec.vetoes) for n, f in spec.features.items()),
        tuple(_compile(n, f, spec.vetoes) for n, f in spec.legitimacy.items()))


@functools.lru_cache(maxsize=8)
def load_rules(lang: str = "en", path: str | None = None) -> CodingRules:
    """The page-coding rules of a language (``factcheck/lang/<lang>/features.json``), or a file.

    A language without its own file falls back to English.
    """
    if path is not None:
        return parse_rules(Path(path).read_text(encoding="utf-8"), str(path))
    base = resources.files("factcheck") / "lang"
    res = base / lang / "features.json"
    if not res.is_file():
        res = base / "en" / "features.json"
    return parse_rules(res.read_text(encoding="utf-8"), f"factcheck/lang/{lang}/features.json")
