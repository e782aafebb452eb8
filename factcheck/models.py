"""Pydantic models: the curated evidence records and the results a check produces.

Records (``Therapy``, ``Condition``, ``OutcomeCategory``, ``EvidenceRecord``) are what
``claims_db/`` holds; they forbid unknown keys so a typo in a hand-edited file is an error.
Results (``Claim``, ``PageReport``) serialise to the scan report format
(``PageReport.to_report_dict``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
RECORD_ID_PATTERN = r"^[a-z][a-z0-9_]*(-[a-z0-9_]+)+$"
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?|undated)$"
#: an ISO 639-1 language code (the name of a language pack folder, ``factcheck/lang/<code>/``)
LANGUAGE_PATTERN = r"^[a-z]{2}$"

Verdict = Literal["supported", "overstated", "unproven"]
FLAGGED_VERDICTS: frozenset[str] = frozenset({"overstated", "unproven"})

EvidenceStatus = Literal[
    "approved",
    "guideline_accepted",
    "investigational",
    "trials_negative",
    "never_trialled",
    "withdrawn",
]
#: statuses under which offering the therapy for the record's population is accepted practice
ACCEPTED_STATUSES: frozenset[str] = frozenset({"approved", "guideline_accepted"})

TherapyKind = Literal[
    "haematopoietic",
    "mesenchymal",
    "stromal_vascular_fraction",
    "neural",
    "pluripotent",
    "acellular",
    "cord_blood",
    "perinatal",
    "unspecified",
]

OutcomeClass = Literal[
    "cure",
    "reversal",
    "regeneration",
    "halts_progression",
    "fewer_relapses",
    "symptom_relief",
    "quality_of_life",
    "guarantee",
    #: the page says a regulator approved or licensed the therapy for the use
    "approval",
    #: blood/immune recovery after a transplant: the outcome licensed HPC products actually show
    "reconstitution",
]
#: outcome classes that promise more than any stem-cell evidence shows
OVERCLAIM_CLASSES: frozenset[str] = frozenset({"cure", "reversal", "regeneration", "guarantee"})
#: every outcome class, strongest promise first: a claim with several outcomes is named by the first
OUTCOME_CLASS_ORDER: tuple[str, ...] = ("cure", "reversal", "regeneration", "guarantee", "approval",
                                        "halts_progression", "fewer_relapses", "symptom_relief", "quality_of_life",
                                        "reconstitution")

SourceKind = Literal[
    "guideline",
    "trial",
    "regulator",
    "review",
    "position_statement",
    "news",
    "legal",
    "registry",
    "patient_information",
]


class _Record(BaseModel):
    """Base of curated records: immutable, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class ProcedureCue(_Record):
    """Words that, found together on one page, reveal a therapy whose name is hidden.

    Every group in ``all_of`` must be matched by at least one of its phrases somewhere on the
    page (e.g. chemotherapy conditioning + re-infused stem cells = aHSCT).
    """

    id: str = Field(pattern=ID_PATTERN)
    description: str
    all_of: list[list[str]] = Field(min_length=1)
    #: generic therapy mentions this cue may re-interpret (usually ``stem_cell_unspecified``)
    resolves: list[str] = Field(default_factory=lambda: ["stem_cell_unspecified"])
    #: therapies whose own procedure, described on the same page, wins over this one (fat cells
    #: "re-injected" after weeks of culture are msc, not same-day svf)
    yields_to: list[str] = Field(default_factory=list)
    #: when set, only mentions by these aliases (of the ``resolves`` therapies) are re-read, named
    #: products included: "umbilical cord stem cells" on a cord-blood bank's page are cord blood,
    #: its "Wharton's jelly MSCs" stay msc
    aliases: list[str] = Field(default_factory=list)
    #: regular expressions over the folded page text (lowercase, accents removed), by group: a match
    #: of any pattern in ``patterns[i]`` counts as a phrase of ``all_of[i]``, for wording no phrase
    #: list covers ("the fat ... is harvested": a fat word near a harvesting verb)
    patterns: list[list[str]] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, value: list[list[str]], info: ValidationInfo) -> list[list[str]]:
        groups = len(info.data.get("all_of") or [])
        if len(value) > groups:
            raise ValueError(f"{len(value)} pattern groups but only {groups} groups in all_of")
        for group in value:
            for pattern in group:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
        return value


class TherapyTranslation(_Record):
    """A therapy's alias fields in one more language (``translations: {es: {...}}``).

    Full aliases of every language are matched on every page; abbreviations only on pages (or
    blocks) of their language. Procedure cues reuse the English cue ids.
    """

    aliases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)
    procedure_cues: list[ProcedureCue] = Field(default_factory=list)
    fixed_aliases: list[str] = Field(default_factory=list)
    not_aliases: list[str] = Field(default_factory=list)


class Therapy(_Record):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: TherapyKind
    description: str = ""
    #: matched case-insensitively, tolerant of hyphens, plurals and possessives
    aliases: list[str] = Field(min_length=1)
    #: short forms matched case-sensitively ("MSC", "HSCT"); plurals are added automatically
    abbreviations: list[str] = Field(default_factory=list)
    procedure_cues: list[ProcedureCue] = Field(default_factory=list)
    #: aliases that name a concrete product or the cells' source ("bone marrow concentrate",
    #: "umbilical cord MSCs"): never re-read as another therapy a procedure on the page describes
    fixed_aliases: list[str] = Field(default_factory=list)
    #: phrases that contain an alias but mean something else ("plant stem cells")
    not_aliases: list[str] = Field(default_factory=list)
    #: the alias fields in other languages, by ISO 639-1 code (top-level fields are English)
    translations: dict[Annotated[str, Field(pattern=LANGUAGE_PATTERN)], TherapyTranslation] = Field(
        default_factory=dict)


class SubtypeTranslation(_Record):
    """A subtype's aliases in one more language."""

    aliases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)


class Subtype(_Record):
    """A subtype, activity level or scope of a condition ("RRMS", "highly active", "all types")."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: Literal["subtype", "activity", "scope"] = "subtype"
    aliases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)
    #: ages (years) the subtype names, for age groups ("children": up to 17); checked against records' ages
    age_min: float | None = Field(default=None, ge=0)
    age_max: float | None = Field(default=None, ge=0)

    translations: dict[Annotated[str, Field(pattern=LANGUAGE_PATTERN)], SubtypeTranslation] = Field(
        default_factory=dict)


class Scale(_Record):
    """A disability or severity score of a condition (EDSS for MS) that texts state ceilings on.

    ``pattern`` is a regular expression; every number it captures in a group is a value the text
    names ("EDSS up to 6.5", "EDSS 0-6.5"), and values outside ``min``..``max`` are ignored.
    """

    id: str = Field(pattern=ID_PATTERN)
    name: str
    pattern: str
    min: float = 0
    max: float

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            compiled = re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        if compiled.groups == 0:
            raise ValueError("the pattern needs at least one group capturing a number")
        return value


class ConditionTranslation(_Record):
    """A condition's aliases in one more language ("esclerosis múltiple", abbreviation "EM")."""

    aliases: list[str] = Field(default_factory=list)
    abbreviations: list[str] = Field(default_factory=list)
    not_aliases: list[str] = Field(default_factory=list)
    symptom_of: dict[str, list[str]] = Field(default_factory=dict)


class Condition(_Record):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    aliases: list[str] = Field(min_length=1)
    abbreviations: list[str] = Field(default_factory=list)
    subtypes: list[Subtype] = Field(default_factory=list)
    #: phrases that contain an alias but mean something else ("MS Office", "MS Teams")
    not_aliases: list[str] = Field(default_factory=list)
    #: the disability scale texts about this condition state ceilings on (EDSS for MS), if any
    scale: Scale | None = None
    #: aliases of this condition that are symptoms of another, by that condition's id ("knee pain"
    #: under ``osteoarthritis``): on a page that names the other condition they stand for it
    symptom_of: dict[str, list[str]] = Field(default_factory=dict)
    translations: dict[Annotated[str, Field(pattern=LANGUAGE_PATTERN)], ConditionTranslation] = Field(
        default_factory=dict)


class VerbObject(_Record):
    """A promise written as verb + object with a few words between ("repairs damaged nerves").

    Verbs are given in their base form; -s, -es, -ed, -ing forms are matched too.
    """

    verbs: list[str] = Field(min_length=1)
    objects: list[str] = Field(min_length=1)
    max_gap: int = Field(default=3, ge=0, le=6)


class OutcomeTranslation(_Record):
    """An outcome's cues in one more language (verbs inflected by the language pack's rules)."""

    cues: list[str] = Field(default_factory=list)
    verb_object: list[VerbObject] = Field(default_factory=list)


class OutcomeCategory(_Record):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    outcome_class: OutcomeClass
    cues: list[str] = Field(min_length=1)
    verb_object: list[VerbObject] = Field(default_factory=list)
    translations: dict[Annotated[str, Field(pattern=LANGUAGE_PATTERN)], OutcomeTranslation] = Field(
        default_factory=dict)


class Source(_Record):
    url: str
    title: str
    publisher: str
    date: str = Field(pattern=DATE_PATTERN, description="YYYY, YYYY-MM, YYYY-MM-DD or 'undated'")
    kind: SourceKind
    #: a repost, mirror or news summary rather than the primary publisher
    secondary: bool = False

    @field_validator("date", mode="before")
    @classmethod
    def _year_as_text(cls, value: Any) -> Any:
        # unquoted YAML years arrive as int (and full dates as date with some loaders): accept both
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    @field_validator("url")
    @classmethod
    def _url_is_http(cls, value: str) -> str:
        if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value


class Population(_Record):
    """Who the record is about. Empty lists mean "any"."""

    subtypes: list[str] = Field(default_factory=list)
    age_min: float | None = None
    age_max: float | None = None
    #: highest score on the condition's ``scale`` (e.g. EDSS 6.5) the evidence covers
    scale_max: float | None = None
    description: str = ""


class EvidenceRecord(_Record):
    id: str = Field(pattern=RECORD_ID_PATTERN)
    therapy: str = Field(pattern=ID_PATTERN)
    condition: str = Field(pattern=ID_PATTERN)
    #: named product, when the record is about one ("Ryoncil", "Omisirge"); an accepted product
    #: record applies only to pages that name the product (``product`` or one of ``product_aliases``)
    product: str | None = None
    product_aliases: list[str] = Field(default_factory=list)
    #: the record applies only to claims worded with one of these phrases (transplant wording) ...
    requires_wording: list[str] = Field(default_factory=list)
    #: ... and with none of these (own-cell wording for a record about donor or unnamed cells)
    excludes_wording: list[str] = Field(default_factory=list)
    population: Population = Field(default_factory=Population)
    status: EvidenceStatus
    #: where the status holds: "international" (guidelines), or ISO-like codes "US", "EU", "JP", "UK"
    jurisdictions: list[str] = Field(min_length=1)
    #: a conditional / time-limited approval (Japan's regenerative-medicine route)
    conditional: bool = False
    #: subtypes/scopes of the condition for which the therapy is unlikely to help
    excluded_subtypes: list[str] = Field(default_factory=list)
    outcomes_supported: list[str] = Field(default_factory=list)
    outcomes_not_supported: list[str] = Field(default_factory=list)
    summary: str = Field(min_length=40)
    sources: list[Source] = Field(min_length=1)
    trial_ids: list[str] = Field(default_factory=list)
    as_of: dt.date
    modified: dt.date
    reviewed_by: str
    #: ids of records this one replaces; a user record reusing a bundled id must list that id here
    supersedes: list[str] = Field(default_factory=list)

    @property
    def accepted(self) -> bool:
        return self.status in ACCEPTED_STATUSES

    @property
    def product_names(self) -> list[str]:
        return [self.product, *self.product_aliases] if self.product else list(self.product_aliases)


# --------------------------------------------------------------------------- results

_M = TypeVar("_M", bound=BaseModel)


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TermMatch(_Result):
    """One recognised mention, with how it was recognised (so every match explains itself)."""

    label: Literal["THERAPY", "CONDITION", "SUBTYPE", "OUTCOME"]
    id: str
    text: str
    start: int
    end: int
    alias: str
    score: float = 100.0
    method: Literal["exact", "fuzzy", "abbreviation", "page_abbreviation", "procedure_cue", "topic"] = "exact"
    #: for SUBTYPE matches: the condition the subtype belongs to
    parent: str | None = None


class ContextFlag(_Result):
    category: str
    cue: str
    start: int
    end: int
    rule: str


class EvidenceRef(_Result):
    record: str
    status: str
    sources: list[str]
    summary: str = ""


class Claim(_Result):
    therapy: TermMatch
    condition: TermMatch
    subtypes: list[TermMatch] = Field(default_factory=list)
    outcome: TermMatch | None = None
    verdict: Verdict
    flagged: bool
    reason: str
    #: "record" when an evidence record decided, "default" when none exists for the pair
    basis: Literal["record", "default"] = "record"
    sentence: str
    start: int
    end: int
    context: list[ContextFlag] = Field(default_factory=list)
    evidence: list[EvidenceRef] = Field(default_factory=list)

    def to_report_dict(self) -> dict[str, Any]:
        """The claim as a report line holds it (``factcheck.report_line.ClaimLine``)."""
        from factcheck.report_line import claim_line

        return claim_line(self).model_dump(exclude_unset=True)


def trusted(cls: type[_M], **values: Any) -> _M:
    """Build a result model from values the checker produced itself, skipping validation.

    Claims are built per candidate sentence; validating every nested term costs more than
    finding it. Every field must be given (defaults are not filled in).
    """
    obj = cls.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    object.__setattr__(obj, "__pydantic_fields_set__", set(values))
    object.__setattr__(obj, "__pydantic_extra__", None)
    object.__setattr__(obj, "__pydantic_private__", None)
    return obj


class PageError(_Result):
    type: str
    message: str


class PageReport(_Result):
    source: str
    url: str | None = None
    status: Literal["ok", "error"] = "ok"
    error: PageError | None = None
    #: ISO 639-1 code of the page's main language (its language pack read the page)
    lang: str | None = None
    stance: str | None = None
    stance_reasons: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    text_length: int = 0
    claims: list[Claim] = Field(default_factory=list)
    #: candidate claims the checker set aside, with the reason (negated, informational page...)
    dismissed: list[dict[str, Any]] = Field(default_factory=list)
    #: the extracted text the offsets point into (only when asked for: it makes reports large)
    text: str | None = None
    #: where the page says treatment is given (ISO 3166-1 alpha-2), see factcheck.coding
    country: str | None = None
    #: page coding (labels.md "Page features"): booleans and the legitimacy token list
    features: dict[str, Any] | None = None
    #: why: spans per true feature, prices, NCT ids, country evidence
    feature_evidence: dict[str, Any] | None = None

    @property
    def flagged(self) -> list[Claim]:
        return [c for c in self.claims if c.flagged]

    def to_report_dict(self) -> dict[str, Any]:
        """The JSON object of one line of a scan report (``factcheck.report_line.ReportLine``)."""
        from factcheck.report_line import report_dict

        return report_dict(self)
