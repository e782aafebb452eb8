"""Reading a short page as a given language: the bundled database and that language's pack."""

from __future__ import annotations

from factcheck.checker import Checker


class LangPage:
    """Claims and stance of one page read as ``lang`` (default: the subclass's ``default_lang``)."""

    default_lang = "en"

    def __init__(self, checker: Checker, text: str, lang: str | None = None) -> None:
        analysis = checker.analyze(text, lang=lang or self.default_lang)
        self.claims = analysis.claims
        self.stance = analysis.stance

    def flagged(self) -> dict[tuple[str, str], str]:
        return {(c.therapy.id, c.condition.id): c.verdict for c in self.claims if c.flagged}
