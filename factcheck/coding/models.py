"""Results of page coding: each feature with the spans that decided it, prices, country evidence."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

#: the boolean page features of labels.md "Page features", in report order
BOOL_FEATURES: tuple[str, ...] = ("offers_treatment", "price", "testimonial", "success_rate", "safety_claim",
                                  "risk_disclosure", "pay_to_participate")
#: legitimacy tokens of labels.md, in report order
LEGITIMACY_TOKENS: tuple[str, ...] = ("fda", "regulator_other", "trial_registration", "ethics_approval",
                                      "publications", "accreditation", "patent", "society_membership", "media")


class _Result(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Result):
    """A piece of page text that a cue rule matched; offsets are into the page text."""

    text: str
    sentence: str
    start: int
    end: int
    rule: str


class FeatureEvidence(_Result):
    """One feature (or legitimacy token) and why it has its value."""

    feature: str
    value: bool
    #: distinct-rule weight that was reached, against the threshold the rules file sets
    score: float = 0.0
    threshold: float = 1.0
    spans: list[Span] = Field(default_factory=list)
    #: a page-level condition that overruled the spans ("needs offers_treatment or a claim")
    note: str | None = None


class Price(_Result):
    """A money amount stated on the page, parsed."""

    amount: float
    #: ISO 4217 code; "USD" for a bare "$" unless the page says otherwise
    currency: str
    #: upper end of a range ("$8,000-15,000"), else None
    amount_max: float | None = None
    text: str
    start: int
    end: int
    #: the currency was inferred (a bare "$"), not written
    currency_guessed: bool = False


class CountryEvidence(_Result):
    country: str
    kind: Literal["address", "clinic_location", "phone", "city", "country_name", "currency", "tld", "regulator"]
    text: str
    start: int | None = None
    end: int | None = None
    weight: float


class CountryResult(_Result):
    country: str | None = None
    #: the kind of evidence that weighed most for the chosen country
    decided_by: str | None = None
    score: float = 0.0
    evidence: list[CountryEvidence] = Field(default_factory=list)


class PageFeatures(_Result):
    """Page coding of one page (labels.md "Page features") with its explanation."""

    lang: str = "en"
    #: False when cheap signals showed the page is not about a treatment (all features false)
    coded: bool = True
    features: dict[str, FeatureEvidence] = Field(default_factory=dict)
    legitimacy: dict[str, FeatureEvidence] = Field(default_factory=dict)
    prices: list[Price] = Field(default_factory=list)
    nct_ids: list[str] = Field(default_factory=list)
    country: CountryResult = Field(default_factory=CountryResult)

    def value(self, name: str) -> bool:
        ev = self.features.get(name)
        return bool(ev and ev.value)

    @property
    def tokens(self) -> list[str]:
        return [t for t in LEGITIMACY_TOKENS if (ev := self.legitimacy.get(t)) is not None and ev.value]

    def values(self) -> dict[str, Any]:
        """The report line's ``features`` object (report-format.md)."""
        out: dict[str, Any] = {name: self.value(name) for name in BOOL_FEATURES}
        out["legitimacy"] = self.tokens
        return out

    def explanation(self) -> dict[str, Any]:
        """The report line's ``feature_evidence``: spans of the features that are true, prices, NCT ids."""
        return {
            "coded": self.coded,
            "features": {k: [s.model_dump() for s in ev.spans] for k, ev in self.features.items() if ev.value},
            "legitimacy": {k: [s.model_dump() for s in ev.spans] for k, ev in self.legitimacy.items() if ev.value},
            "notes": {k: ev.note for k, ev in {**self.features, **self.legitimacy}.items() if ev.note},
            "prices": [p.model_dump() for p in self.prices],
            "nct_ids": self.nct_ids,
            "country": self.country.model_dump(),
        }
