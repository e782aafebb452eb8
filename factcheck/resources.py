"""One immutable bundle of everything a check reads: evidence database, language packs, cue rules.

Build it once with ``load_resources`` and pass it explicitly: to ``Checker(resources=...)`` and to
the spaCy components through ``component.initialize(resources=...)``. ``to_disk`` writes what a
user added (record folders, rules, language packs) next to a saved pipeline, as spaCy's SpanRuler
writes its patterns, so ``spacy.load`` gets the same checks back; pickling (``nlp.pipe(n_process=2)``)
carries the configuration and each process rebuilds from it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from factcheck.db import EvidenceDB, load_db
from factcheck.lang.identify import LanguageIdentifier
from factcheck.lang.pack import LanguagePack, bundled_codes, bundled_pack, load_pack
from factcheck.parse.claims import PageAnalyzer
from factcheck.parse.context import CueFinder
from factcheck.parse.lexicon import Lexicon
from factcheck.parse.rules import ContextRule, load_rules

__all__ = ["ResourceConfig", "Resources", "build", "build_languages", "load_resources"]

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class ResourceConfig:
    """How resources are built: JSON-safe, the configuration of every factcheck component."""

    db_paths: tuple[str, ...] = ()
    include_default_db: bool = True
    rules_path: str | None = None
    extra_rules: tuple[dict[str, Any], ...] = ()
    #: bundled pack codes or pack folders; None = every bundled pack
    languages: tuple[str, ...] | None = None
    jurisdiction: str | None = None

    @classmethod
    def from_json(cls, cfg: Mapping[str, Any]) -> ResourceConfig:
        langs = cfg.get("languages")
        return cls(db_paths=tuple(str(p) for p in cfg.get("db_paths") or ()),
                   include_default_db=bool(cfg.get("include_default_db", True)),
                   rules_path=str(cfg["rules_path"]) if cfg.get("rules_path") else None,
                   extra_rules=tuple(cfg.get("extra_rules") or ()),
                   languages=None if langs is None else tuple(str(x) for x in langs),
                   jurisdiction=cfg.get("jurisdiction"))

    def to_json(self) -> dict[str, Any]:
        return {"db_paths": list(self.db_paths), "include_default_db": self.include_default_db,
                "rules_path": self.rules_path, "extra_rules": [dict(r) for r in self.extra_rules],
                "languages": None if self.languages is None else list(self.languages),
                "jurisdiction": self.jurisdiction}


@dataclass(frozen=True, eq=False)
class Resources:
    """The evidence database, the language packs and the cue rules, compiled for matching. Immutable."""

    config: ResourceConfig
    db: EvidenceDB
    languages: Mapping[str, LanguagePack]
    #: the user's cue rules (``rules_path`` then ``extra_rules``), applied on pages of every language
    user_rules: tuple[ContextRule, ...]
    lexicon: Lexicon = field(init=False)
    analyzer: PageAnalyzer = field(init=False)
    #: identifies a page's (and a block's) language among the packs, from the packs' own words
    identifier: LanguageIdentifier = field(init=False)
    _finders: Mapping[str, CueFinder] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "languages", MappingProxyType(dict(self.languages)))
        object.__setattr__(self, "lexicon", Lexicon.from_db(self.db, self.languages))
        object.__setattr__(self, "identifier", LanguageIdentifier(self.languages, DEFAULT_LANGUAGE))
        finders = {code: CueFinder([*self._inherited_rules(pack), *pack.rules, *self.user_rules], pack)
                   for code, pack in self.languages.items()}
        object.__setattr__(self, "_finders", MappingProxyType(finders))
        object.__setattr__(self, "analyzer", PageAnalyzer(
            self.db, self.lexicon, finders[DEFAULT_LANGUAGE], jurisdiction=self.config.jurisdiction,
            language=self.languages[DEFAULT_LANGUAGE],
            treatment_nouns=frozenset().union(*(f.treatment_nouns for f in finders.values())),
            price_rules=frozenset().union(*(f.price_rules for f in finders.values()))))

    def _inherited_rules(self, pack: LanguagePack) -> list[ContextRule]:
        skip = {w.casefold() for w in pack.spec.rules_except}
        return [rule for code in pack.spec.rules_from if code in self.languages and code != pack.code
                for rule in self.languages[code].rules if rule.literal.casefold() not in skip]

    @property
    def jurisdiction(self) -> str | None:
        return self.config.jurisdiction

    def pack(self, lang: str | None) -> LanguagePack:
        """The pack of ``lang``; English for a language without a pack."""
        return self.languages.get(lang or DEFAULT_LANGUAGE) or self.languages[DEFAULT_LANGUAGE]

    def cue_finder(self, lang: str | None = None) -> CueFinder:
        """The cue rules of ``lang``'s pack plus the user's rules (English for a language without a pack)."""
        return self._finders.get(lang or DEFAULT_LANGUAGE) or self._finders[DEFAULT_LANGUAGE]

    def with_rules(self, rules: Iterable[dict[str, Any]]) -> Resources:
        """A copy with more user cue rules (validated now); the database is shared, not reloaded."""
        rules = [dict(r) for r in rules]
        added = load_rules(extra=rules, include_default=False)
        config = ResourceConfig(**{**self.config.__dict__, "extra_rules": (*self.config.extra_rules, *rules)})
        return Resources(config, self.db, self.languages, (*self.user_rules, *added))

    # ------------------------------------------------------------------ serialisation
    def to_disk(self, path: str | Path) -> None:
        """Write the user's additions (record folders, rules, language packs) and the settings."""
        root = Path(path)
        if root.exists():
            shutil.rmtree(root)
        root.mkdir(parents=True)
        for i, folder in enumerate(self.config.db_paths):
            shutil.copytree(folder, root / "db" / str(i))
        # the rules of the user's file; extra_rules stay in the settings as they were given
        from_file = self.user_rules[:len(self.user_rules) - len(self.config.extra_rules)]
        (root / "rules.json").write_text(
            json.dumps({"rules": [r.model_dump(exclude_defaults=True) for r in from_file]}, indent=1,
                       ensure_ascii=False), encoding="utf-8")
        languages: list[str] = []
        for spec in self.config.languages or bundled_codes():
            if _is_folder(spec):
                pack = load_pack(spec)
                shutil.copytree(spec, root / "lang" / pack.code)
                languages.append(f"lang/{pack.code}")
            else:
                languages.append(spec)
        settings = {"include_default_db": self.config.include_default_db, "jurisdiction": self.config.jurisdiction,
                    "db_folders": len(self.config.db_paths), "extra_rules": list(self.config.extra_rules),
                    "languages": None if self.config.languages is None else languages}
        (root / "resources.json").write_text(json.dumps(settings, indent=1), encoding="utf-8")

    @staticmethod
    def config_on_disk(path: str | Path) -> ResourceConfig:
        """The configuration of resources written by ``to_disk`` (paths point into ``path``)."""
        root = Path(path)
        settings = json.loads((root / "resources.json").read_text(encoding="utf-8"))
        langs = settings.get("languages")
        return ResourceConfig(
            db_paths=tuple(str(root / "db" / str(i)) for i in range(settings["db_folders"])),
            include_default_db=settings["include_default_db"], rules_path=str(root / "rules.json"),
            extra_rules=tuple(settings.get("extra_rules") or ()),
            languages=None if langs is None else tuple(str(root / x) if x.startswith("lang/") else x for x in langs),
            jurisdiction=settings.get("jurisdiction"))

    @classmethod
    def from_disk(cls, path: str | Path) -> Resources:
        return build(cls.config_on_disk(path))

    def __reduce__(self) -> tuple[Any, ...]:
        # another process rebuilds from the configuration (paths and rules), not from pickled automata
        return (_from_json, (self.config.to_json(),))


def _from_json(cfg: dict[str, Any]) -> Resources:
    return build(ResourceConfig.from_json(cfg))


def _is_folder(spec: str) -> bool:
    return "/" in spec or "\\" in spec or Path(spec).is_dir()


def build_languages(config: ResourceConfig) -> dict[str, LanguagePack]:
    """The language packs of a configuration, by code (English always among them)."""
    packs: dict[str, LanguagePack] = {}
    for spec in (config.languages if config.languages is not None else bundled_codes()):
        pack = load_pack(spec) if _is_folder(spec) else bundled_pack(spec)
        packs[pack.code] = pack
    if DEFAULT_LANGUAGE not in packs:
        packs[DEFAULT_LANGUAGE] = bundled_pack(DEFAULT_LANGUAGE)
    return packs


def build(config: ResourceConfig) -> Resources:
    """Load and compile resources for a configuration (raises ``DataError``/``RuleError``/``LanguageError``)."""
    packs = build_languages(config)
    db = load_db(*config.db_paths, include_default=config.include_default_db, languages=packs)
    rules = load_rules(config.rules_path, extra=[dict(r) for r in config.extra_rules] or None, include_default=False)
    return Resources(config, db, packs, tuple(rules))


def load_resources(*, db_paths: Iterable[str | Path] = (), include_default_db: bool = True,
                   rules_path: str | Path | None = None, extra_rules: Iterable[dict[str, Any]] | None = None,
                   languages: Iterable[str | Path] | None = None, jurisdiction: str | None = None) -> Resources:
    """Everything a check reads, loaded and validated once.

    ``db_paths``: folders laid out like ``claims_db/``; ``rules_path``: a JSON file of extra cue
    rules; ``extra_rules``: more rules as dicts; ``languages``: bundled pack codes and/or pack
    folders (default: every bundled pack; English is always there); ``jurisdiction``: lets local
    approvals count as accepted.
    """
    return build(ResourceConfig(
        db_paths=tuple(str(p) for p in db_paths), include_default_db=include_default_db,
        rules_path=str(rules_path) if rules_path else None, extra_rules=tuple(dict(r) for r in extra_rules or ()),
        languages=None if languages is None else tuple(str(x) for x in languages), jurisdiction=jurisdiction))
