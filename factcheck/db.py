"""Load and validate the curated evidence database: the bundled ``claims_db`` plus user folders.

A database folder has the layout of ``claims_db/``::

    therapies/<id>.yaml  conditions/<id>.yaml  outcomes/<id>.yaml
    records/<condition>/<record-id>.yaml        # one record per file, file name == id

Every file is parsed with a safe YAML loader (libyaml when available) and validated with the
pydantic models; then ids are cross-checked. All problems of one load are collected and raised
together as one ``DataError`` whose lines read ``path:line: field: message``.

User folders add therapies, conditions, outcomes and records. Reusing a bundled id is an error
unless the load is made with ``replace=True`` or (records only) the new record lists its own id in
``supersedes``; a record may also retire other records by listing their ids in ``supersedes``.
"""

from __future__ import annotations

import functools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files as resource_files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from factcheck.lang import bundled_languages
from factcheck.models import (
    ACCEPTED_STATUSES,
    Condition,
    EvidenceRecord,
    EvidenceStatus,
    OutcomeCategory,
    ProcedureCue,
    Subtype,
    Therapy,
)
from factcheck.parse.normalize import normalize_key

__all__ = [
    "NO_RECORD_REASON",
    "NO_RECORD_VERDICT",
    "DataError",
    "DataIssue",
    "EvidenceDB",
    "default_db",
    "export_schema",
    "load_db",
    "schema_path",
    "write_schema",
]

#: verdict for a stem-cell therapy offered for a condition that has no evidence record
NO_RECORD_VERDICT = "unproven"
#: the reason a checker gives with that verdict, so it is distinguishable from a record-based one
NO_RECORD_REASON = ("no evidence record for this therapy and condition: by default an unreviewed stem-cell "
                    "use is unproven (no approval, guideline or trial is known to support it)")

BUNDLED_PACKAGE = "claims_db"
KINDS: tuple[str, ...] = ("therapies", "conditions", "outcomes", "records")
_YAML_SUFFIXES = (".yaml", ".yml")

# libyaml's parser is ~10x faster than the pure-Python one; both are *safe* loaders, so tags such
# as !!python/object are refused rather than constructed.
_SafeBase: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeBase):  # type: ignore[valid-type,misc]
    """Safe loader that keeps dates as text: pydantic parses them, and ``Source.date`` is text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _SafeBase.yaml_implicit_resolvers.items()
}
_RESOLVER = _Loader("")


@functools.lru_cache(maxsize=1 << 15)
def _cached_resolve(kind: type, value: str | None, implicit: tuple[bool, bool] | bool) -> str:
    return str(yaml.resolver.Resolver.resolve(_RESOLVER, kind, value, implicit))


def _resolve(self: Any, kind: type, value: str | None, implicit: Any) -> str:
    # tag resolution runs a regex per scalar and was a third of load time; keys and enum values
    # repeat across files, so memoise it (no path resolvers are registered, so it is context-free)
    return _cached_resolve(kind, value, tuple(implicit) if isinstance(implicit, list) else implicit)


_Loader.resolve = _resolve


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class DataIssue:
    """One problem found in one file."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class DataError(ValueError):
    """Invalid database files. ``issues`` lists every problem; ``path``/``line``/``field`` are the first's."""

    def __init__(self, issues: Iterable[DataIssue]) -> None:
        self.issues: list[DataIssue] = list(issues)
        first = self.issues[0] if self.issues else DataIssue("<unknown>", None, None, "invalid data")
        self.path = first.path
        self.line = first.line
        self.field = first.field
        count = len(self.issues)
        head = "1 problem" if count == 1 else f"{count} problems"
        super().__init__(f"{head} in the evidence database:\n" + "\n".join(str(i) for i in self.issues))


# --------------------------------------------------------------------------- database


@dataclass
class EvidenceDB:
    """The loaded database: entities by id, plus where each came from."""

    therapies: dict[str, Therapy]
    conditions: dict[str, Condition]
    outcomes: dict[str, OutcomeCategory]
    records: dict[str, EvidenceRecord]
    #: ``"records/<id>"`` (or ``therapies/<id>`` ...) -> the file it was loaded from
    origins: dict[str, str] = field(default_factory=dict)
    load_seconds: float = 0.0
    _by_pair: dict[tuple[str, str], list[EvidenceRecord]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_pair: dict[tuple[str, str], list[EvidenceRecord]] = {}
        for record in self.records.values():
            by_pair.setdefault((record.therapy, record.condition), []).append(record)
        # accepted records first, so a checker that looks at the first record sees the accepted use
        for records in by_pair.values():
            records.sort(key=lambda r: (r.status not in ACCEPTED_STATUSES, r.id))
        self._by_pair = by_pair

    def records_for(self, therapy: str, condition: str) -> list[EvidenceRecord]:
        """Records for a (therapy, condition) pair, accepted ones first; empty when none exist."""
        return list(self._by_pair.get((therapy, condition), ()))

    def subtype(self, condition_id: str, subtype_id: str) -> Subtype:
        """The subtype ``subtype_id`` of a condition; ``KeyError`` when either is unknown."""
        for subtype in self.conditions[condition_id].subtypes:
            if subtype.id == subtype_id:
                return subtype
        raise KeyError(f"{condition_id} has no subtype {subtype_id!r}")

    def stats(self) -> dict[str, Any]:
        """Counts by status, therapy and condition; oldest ``as_of``; records without trial ids."""
        records = sorted(self.records.values(), key=lambda r: r.id)
        by_status = {status: 0 for status in get_args(EvidenceStatus)}
        by_status.update(Counter(r.status for r in records))
        by_therapy = {tid: 0 for tid in sorted(self.therapies)}
        by_therapy.update(Counter(r.therapy for r in records))
        by_condition = {cid: 0 for cid in sorted(self.conditions)}
        by_condition.update(Counter(r.condition for r in records))
        oldest: dict[str, Any] | None = None
        if records:
            first = min(r.as_of for r in records)
            oldest = {"date": first.isoformat(), "records": [r.id for r in records if r.as_of == first]}
        return {
            "therapies": len(self.therapies),
            "conditions": len(self.conditions),
            "outcomes": len(self.outcomes),
            "records": len(records),
            "by_status": by_status,
            "by_therapy": by_therapy,
            "by_condition": by_condition,
            "oldest_as_of": oldest,
            "missing_trial_ids": [r.id for r in records if not r.trial_ids],
            "therapies_without_records": [t for t, n in by_therapy.items() if n == 0],
            "conditions_without_records": [c for c, n in by_condition.items() if n == 0],
            "load_seconds": round(self.load_seconds, 4),
        }


# --------------------------------------------------------------------------- reading files


@dataclass
class _Doc:
    """A parsed file: its data, its YAML node tree (for line numbers) and how to name it."""

    display: str
    kind: str
    stem: str
    folder: str | None  # records: the <condition> folder name
    data: Any
    node: yaml.Node | None
    source_index: int


def _walk(root: Traversable, display_root: str, source_index: int, issues: list[DataIssue]) -> Iterator[_Doc]:
    for kind in KINDS:
        folder = root / kind
        if not folder.is_dir():
            continue
        entries: list[tuple[Traversable, str, str | None]] = []
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if kind == "records" and entry.is_dir():
                for sub in sorted(entry.iterdir(), key=lambda e: e.name):
                    if sub.is_file() and sub.name.endswith(_YAML_SUFFIXES):
                        entries.append((sub, f"{display_root}/{kind}/{entry.name}/{sub.name}", entry.name))
            elif entry.is_file() and entry.name.endswith(_YAML_SUFFIXES):
                if kind == "records":
                    issues.append(
                        DataIssue(
                            f"{display_root}/{kind}/{entry.name}",
                            None,
                            None,
                            "records go in records/<condition>/<record-id>.yaml",
                        )
                    )
                    continue
                entries.append((entry, f"{display_root}/{kind}/{entry.name}", None))
        for entry, display, sub_folder in entries:
            stem = entry.name.rsplit(".", 1)[0]
            raw = entry.read_bytes()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:  # found by tests/fuzz/fuzz_db_loader.py
                line = raw.count(b"\n", 0, exc.start) + 1
                issues.append(DataIssue(display, line, None, f"not UTF-8: byte {raw[exc.start]:#04x} at offset "
                                                             f"{exc.start}; evidence files must be UTF-8"))
                continue
            parsed = _parse(text, display, issues)
            if parsed is not None:
                data, node = parsed
                yield _Doc(display, kind, stem, sub_folder, data, node, source_index)


def _parse(text: str, display: str, issues: list[DataIssue]) -> tuple[Any, yaml.Node | None] | None:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.constructor.ConstructorError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        tag = (exc.problem or "").split("tag ")[-1]
        issues.append(
            DataIssue(
                display,
                line,
                None,
                f"YAML tag {tag} refused: only plain data (maps, lists, text, numbers) is allowed",
            )
        )
        return None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        issues.append(DataIssue(display, line, None, f"malformed YAML: {exc.problem or exc}"))
        return None
    except yaml.YAMLError as exc:
        issues.append(DataIssue(display, None, None, f"malformed YAML: {exc}"))
        return None
    finally:
        loader.dispose()
    return data, node


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """Line (1-based) of the deepest node along ``loc`` (a pydantic error location)."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _field_name(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


_MODELS: dict[str, type[BaseModel]] = {
    "therapies": Therapy,
    "conditions": Condition,
    "outcomes": OutcomeCategory,
    "records": EvidenceRecord,
}


def _validate(doc: _Doc, issues: list[DataIssue]) -> BaseModel | None:
    model = _MODELS[doc.kind]
    if not isinstance(doc.data, dict):
        got = "an empty file" if doc.data is None else type(doc.data).__name__
        issues.append(
            DataIssue(
                doc.display,
                _line_of(doc.node, ()),
                None,
                f"expected a mapping of {model.__name__} fields, got {got}",
            )
        )
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            issues.append(
                DataIssue(
                    doc.display, _line_of(doc.node, loc), _field_name(loc) or None, _message(err, model)
                )
            )
        return None


def _message(err: Any, model: type[BaseModel]) -> str:
    kind = err["type"]
    loc = err["loc"]
    if kind == "extra_forbidden":
        return f"unknown key {loc[-1]!r} (keys are fixed by the {model.__name__} format; see schema.json)"
    if kind == "missing":
        return "required field is missing"
    if kind == "too_short" and loc and loc[-1] == "sources":
        return "a record needs at least one source"
    return (
        f"{err['msg']} (got {err.get('input')!r})" if "input" in err and kind != "model_type" else err["msg"]
    )


# --------------------------------------------------------------------------- loading


def _bundled_root() -> Traversable:
    return resource_files(BUNDLED_PACKAGE)


def load_db(
    *paths: str | Path,
    include_default: bool = True,
    replace: bool = False,
    extra_paths: Iterable[str | Path] = (),
    languages: Iterable[str] | None = None,
) -> EvidenceDB:
    """Load the bundled database plus user folders of the same layout, validating everything.

    Later folders add to earlier ones. Redefining an existing id is an error unless ``replace`` is
    true or (for records) the new record lists its own id in ``supersedes``. ``languages`` are the
    codes ``translations`` may use (default: the bundled language packs). Raises ``DataError``
    listing every problem found.
    """
    started = time.perf_counter()
    issues: list[DataIssue] = []
    roots: list[tuple[Traversable, str]] = []
    if include_default:
        roots.append((_bundled_root(), BUNDLED_PACKAGE))
    for raw in (*paths, *extra_paths):
        folder = Path(raw)
        if not folder.is_dir():
            issues.append(DataIssue(str(folder), None, None, "not a folder"))
        elif not any((folder / kind).is_dir() for kind in KINDS):
            issues.append(
                DataIssue(
                    str(folder),
                    None,
                    None,
                    "not a database folder (expected therapies/, conditions/, outcomes/ or records/)",
                )
            )
        else:
            roots.append((folder, str(folder)))

    docs: list[_Doc] = []
    for index, (root, display) in enumerate(roots):
        docs.extend(_walk(root, display, index, issues))

    entities: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    docs_by_id: dict[tuple[str, str], _Doc] = {}
    for doc in docs:
        obj = _validate(doc, issues)
        if obj is None:
            continue
        obj_id: str = getattr(obj, "id")  # noqa: B009 - every model has an id
        if obj_id != doc.stem:
            issues.append(
                DataIssue(
                    doc.display,
                    _line_of(doc.node, ("id",)),
                    "id",
                    f"id {obj_id!r} must equal the file name {doc.stem!r}",
                )
            )
            continue
        if isinstance(obj, EvidenceRecord) and obj.condition != doc.folder:
            issues.append(
                DataIssue(
                    doc.display,
                    _line_of(doc.node, ("condition",)),
                    "condition",
                    f"record of condition {obj.condition!r} is in folder records/{doc.folder}/",
                )
            )
        previous = docs_by_id.get((doc.kind, obj_id))
        if previous is not None:
            same_source = previous.source_index == doc.source_index
            allowed = not same_source and (
                replace or (isinstance(obj, EvidenceRecord) and obj_id in obj.supersedes)
            )
            if not allowed:
                hint = (
                    ""
                    if same_source
                    else (
                        "; load with replace=True (CLI --replace) or list the id in supersedes to override"
                        if doc.kind == "records"
                        else "; load with replace=True (CLI --replace) to override"
                    )
                )
                issues.append(
                    DataIssue(
                        doc.display,
                        _line_of(doc.node, ("id",)),
                        "id",
                        f"duplicate id {obj_id!r}, already defined in {previous.display}{hint}",
                    )
                )
                continue
        entities[doc.kind][obj_id] = obj
        docs_by_id[(doc.kind, obj_id)] = doc

    therapies: dict[str, Therapy] = entities["therapies"]
    conditions: dict[str, Condition] = entities["conditions"]
    outcomes: dict[str, OutcomeCategory] = entities["outcomes"]
    records: dict[str, EvidenceRecord] = entities["records"]

    _check_supersedes(records, docs_by_id, issues)
    _check_languages(entities, frozenset(bundled_languages() if languages is None else languages),
                     docs_by_id, issues)
    _check_aliases(therapies, "therapies", docs_by_id, issues)
    _check_aliases(conditions, "conditions", docs_by_id, issues)
    _check_subtypes(conditions, docs_by_id, issues)
    _check_symptoms(conditions, docs_by_id, issues)
    _check_procedures(therapies, docs_by_id, issues)
    _check_cues(outcomes, docs_by_id, issues)
    _check_references(records, therapies, conditions, outcomes, docs_by_id, issues)

    if issues:
        raise DataError(issues)
    origins = {f"{kind}/{obj_id}": doc.display for (kind, obj_id), doc in docs_by_id.items()}
    return EvidenceDB(
        therapies, conditions, outcomes, records, origins=origins, load_seconds=time.perf_counter() - started
    )


@functools.lru_cache(maxsize=1)
def default_db() -> EvidenceDB:
    """The bundled database, loaded once per process."""
    return load_db()


def _issue(
    docs: dict[tuple[str, str], _Doc], kind: str, obj_id: str, loc: tuple[int | str, ...], msg: str
) -> DataIssue:
    doc = docs[(kind, obj_id)]
    return DataIssue(doc.display, _line_of(doc.node, loc), _field_name(loc) or None, msg)


def _check_supersedes(
    records: dict[str, EvidenceRecord], docs: dict[tuple[str, str], _Doc], issues: list[DataIssue]
) -> None:
    retired: set[str] = set()
    for record in list(records.values()):
        for i, old in enumerate(record.supersedes):
            if old == record.id:
                continue
            if old not in records:
                issues.append(
                    _issue(
                        docs, "records", record.id, ("supersedes", i), f"supersedes unknown record {old!r}"
                    )
                )
            else:
                retired.add(old)
    for old in retired:
        del records[old]
        docs.pop(("records", old), None)


def _check_languages(
    entities: dict[str, dict[str, Any]],
    known: frozenset[str],
    docs: dict[tuple[str, str], _Doc],
    issues: list[DataIssue],
) -> None:
    """``translations`` keys must name a language pack other than English (top-level fields)."""

    def check(kind: str, obj_id: str, loc: tuple[int | str, ...], codes: Iterable[str]) -> None:
        for code in codes:
            if code == "en":
                msg = "top-level alias fields are English: put English aliases there, not under translations.en"
            elif code not in known:
                msg = (f"unknown language {code!r} (language packs: {', '.join(sorted(known))}; a new language "
                       "needs a pack folder, see claims_db/README.md)")
            else:
                continue
            issues.append(_issue(docs, kind, obj_id, (*loc, code), msg))

    for kind in ("therapies", "conditions", "outcomes"):
        for obj_id, obj in entities[kind].items():
            check(kind, obj_id, ("translations",), obj.translations)
            for s, subtype in enumerate(getattr(obj, "subtypes", ())):
                check(kind, obj_id, ("subtypes", s, "translations"), subtype.translations)


def _alias_fields(obj: Therapy | Condition, name: str) -> Iterator[tuple[tuple[int | str, ...], str | None, str]]:
    """``(location, language, value)`` of an alias field, top level (language None) then translations."""
    for i, value in enumerate(getattr(obj, name)):
        yield (name, i), None, value
    for code, translation in obj.translations.items():
        for i, value in enumerate(getattr(translation, name)):
            yield ("translations", code, name, i), code, value


def _check_aliases(
    entities: dict[str, Therapy] | dict[str, Condition],
    kind: str,
    docs: dict[tuple[str, str], _Doc],
    issues: list[DataIssue],
) -> None:
    """An alias (after ``normalize_key``, in any language) or abbreviation may name only one therapy / condition.

    Abbreviations of a language are only read on pages of that language, so two languages may
    use one abbreviation for different things; a top-level (English) abbreviation is read everywhere.
    """
    owners: dict[str, str] = {}
    abbreviations: dict[str, list[tuple[str | None, str]]] = {}
    # earlier folders first, so a collision is reported in the file that introduced it
    for obj_id in sorted(entities, key=lambda i: (docs[(kind, i)].source_index, i)):
        obj = entities[obj_id]
        listed: set[tuple[str | None, str]] = set()
        for loc, lang, alias in _alias_fields(obj, "aliases"):
            key = normalize_key(alias)
            if (lang, key) in listed:
                issues.append(_issue(docs, kind, obj_id, loc, f"alias {alias!r} (key {key!r}) is listed twice"))
            listed.add((lang, key))
            owner = owners.setdefault(key, obj_id)
            if owner != obj_id:
                issues.append(
                    _issue(docs, kind, obj_id, loc, f"alias {alias!r} (key {key!r}) is also an alias of {owner!r}")
                )
        for loc, lang, abbr in _alias_fields(obj, "abbreviations"):
            users = abbreviations.setdefault(abbr, [])
            clash = next((o for code, o in users if o != obj_id and (code is None or lang is None or code == lang)),
                         None)
            if clash is not None:
                issues.append(
                    _issue(docs, kind, obj_id, loc, f"abbreviation {abbr!r} is also an abbreviation of {clash!r}")
                )
            users.append((lang, obj_id))


def _check_subtypes(
    conditions: dict[str, Condition], docs: dict[tuple[str, str], _Doc], issues: list[DataIssue]
) -> None:
    for cid, condition in conditions.items():
        seen_ids: set[str] = set()
        owners: dict[str, str] = {}
        for s, subtype in enumerate(condition.subtypes):
            if subtype.id in seen_ids:
                issues.append(
                    _issue(
                        docs, "conditions", cid, ("subtypes", s, "id"), f"duplicate subtype id {subtype.id!r}"
                    )
                )
            seen_ids.add(subtype.id)
            if subtype.age_min is not None and subtype.age_max is not None and subtype.age_min > subtype.age_max:
                issues.append(_issue(docs, "conditions", cid, ("subtypes", s, "age_min"),
                                     f"age_min {subtype.age_min:g} is above age_max {subtype.age_max:g}"))
            located: list[tuple[tuple[int | str, ...], str]] = [
                (("aliases", a), alias) for a, alias in enumerate(subtype.aliases)]
            located += [(("translations", code, "aliases", a), alias)
                        for code, tr in subtype.translations.items() for a, alias in enumerate(tr.aliases)]
            for loc, alias in located:
                key = normalize_key(alias)
                owner = owners.setdefault(key, subtype.id)
                if owner != subtype.id:
                    issues.append(
                        _issue(
                            docs,
                            "conditions",
                            cid,
                            ("subtypes", s, *loc),
                            f"alias {alias!r} is also an alias of subtype {owner!r}",
                        )
                    )


def _check_symptoms(
    conditions: dict[str, Condition], docs: dict[tuple[str, str], _Doc], issues: list[DataIssue]
) -> None:
    """``symptom_of`` names another known condition and lists aliases of this one (same language)."""
    for cid, condition in conditions.items():
        parts: list[tuple[tuple[int | str, ...], dict[str, list[str]], list[str]]] = [
            (("symptom_of",), condition.symptom_of, condition.aliases)]
        parts += [(("translations", code, "symptom_of"), tr.symptom_of, tr.aliases)
                  for code, tr in condition.translations.items()]
        for loc, symptoms, aliases in parts:
            keys = {normalize_key(a) for a in aliases}
            for target, phrases in symptoms.items():
                if target not in conditions or target == cid:
                    issues.append(_issue(docs, "conditions", cid, (*loc, target),
                                         f"symptom_of names {target!r}, not another known condition"))
                for i, phrase in enumerate(phrases):
                    if normalize_key(phrase) not in keys:
                        issues.append(_issue(docs, "conditions", cid, (*loc, target, i),
                                             f"{phrase!r} is not an alias of {cid!r} in this language"))


def _check_procedures(
    therapies: dict[str, Therapy], docs: dict[tuple[str, str], _Doc], issues: list[DataIssue]
) -> None:
    """A procedure cue re-reads and yields to known therapies (``resolves``, ``yields_to``). The
    ``aliases`` it lists are not checked: a user folder may replace a therapy and its aliases."""
    for tid, therapy in therapies.items():
        located: list[tuple[tuple[int | str, ...], ProcedureCue]] = [
            (("procedure_cues", i), cue) for i, cue in enumerate(therapy.procedure_cues)]
        located += [(("translations", code, "procedure_cues", i), cue)
                    for code, tr in therapy.translations.items() for i, cue in enumerate(tr.procedure_cues)]
        for loc, cue in located:
            for key in ("resolves", "yields_to"):
                for j, other in enumerate(getattr(cue, key)):
                    if other not in therapies:
                        issues.append(_issue(docs, "therapies", tid, (*loc, key, j),
                                             f"{key} names {other!r}, not a known therapy"))


def _check_cues(
    outcomes: dict[str, OutcomeCategory], docs: dict[tuple[str, str], _Doc], issues: list[DataIssue]
) -> None:
    owners: dict[str, str] = {}
    for oid in sorted(outcomes, key=lambda i: (docs[("outcomes", i)].source_index, i)):
        outcome = outcomes[oid]
        located: list[tuple[tuple[int | str, ...], str]] = [(("cues", i), cue) for i, cue in enumerate(outcome.cues)]
        located += [(("translations", code, "cues", i), cue)
                    for code, tr in outcome.translations.items() for i, cue in enumerate(tr.cues)]
        for loc, cue in located:
            owner = owners.setdefault(normalize_key(cue), oid)
            if owner != oid:
                issues.append(_issue(docs, "outcomes", oid, loc, f"cue {cue!r} is also a cue of {owner!r}"))


def _check_references(
    records: dict[str, EvidenceRecord],
    therapies: dict[str, Therapy],
    conditions: dict[str, Condition],
    outcomes: dict[str, OutcomeCategory],
    docs: dict[tuple[str, str], _Doc],
    issues: list[DataIssue],
) -> None:
    for rid, record in records.items():

        def report(loc: tuple[int | str, ...], msg: str, rid: str = rid) -> None:
            issues.append(_issue(docs, "records", rid, loc, msg))

        if record.therapy not in therapies:
            report(("therapy",), f"unknown therapy id {record.therapy!r}")
        condition = conditions.get(record.condition)
        if condition is None:
            report(("condition",), f"unknown condition id {record.condition!r}")
        else:
            subtype_ids = {s.id for s in condition.subtypes}
            for loc, values in (
                (("population", "subtypes"), record.population.subtypes),
                (("excluded_subtypes",), record.excluded_subtypes),
            ):
                for i, value in enumerate(values):
                    if value not in subtype_ids:
                        report((*loc, i), f"unknown subtype {value!r} of {record.condition!r}")
        for name in ("outcomes_supported", "outcomes_not_supported"):
            for i, value in enumerate(getattr(record, name)):
                if value not in outcomes:
                    report((name, i), f"unknown outcome id {value!r}")
        both = set(record.outcomes_supported) & set(record.outcomes_not_supported)
        if both:
            report(("outcomes_not_supported",), f"outcomes both supported and not supported: {sorted(both)}")
        for i, source in enumerate(record.sources):
            if not source.url:
                report(("sources", i, "url"), "a source needs a URL")
            if not source.date:
                report(("sources", i, "date"), "a source needs a date (or 'undated')")
        if record.as_of > record.modified:
            report(("as_of",), "as_of is later than modified")
        _check_population(record, condition, report)


def _check_population(record: EvidenceRecord, condition: Condition | None,
                      report: Callable[[tuple[int | str, ...], str], None]) -> None:
    """Ages in order; a scale ceiling only for a condition with a scale, and inside its range."""
    population = record.population
    if population.age_min is not None and population.age_max is not None and population.age_min > population.age_max:
        report(("population", "age_min"), f"age_min {population.age_min:g} is above age_max {population.age_max:g}")
    if population.scale_max is None or condition is None:
        return
    scale = condition.scale
    if scale is None:
        report(("population", "scale_max"), f"condition {condition.id!r} declares no scale to put a ceiling on")
    elif not scale.min <= population.scale_max <= scale.max:
        report(("population", "scale_max"),
               f"{population.scale_max:g} is outside the {scale.name} range {scale.min:g}-{scale.max:g}")


# --------------------------------------------------------------------------- JSON Schema


def export_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the four file formats of a database folder."""
    _, top = models_json_schema(
        [
            (Therapy, "validation"),
            (Condition, "validation"),
            (OutcomeCategory, "validation"),
            (EvidenceRecord, "validation"),
        ],
        ref_template="#/$defs/{model}",
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "factcheck claims_db file formats",
        "description": "Generated by `python -m factcheck db schema`; do not edit by hand.",
        "x-files": {
            "therapies/<id>.yaml": "#/$defs/Therapy",
            "conditions/<id>.yaml": "#/$defs/Condition",
            "outcomes/<id>.yaml": "#/$defs/OutcomeCategory",
            "records/<condition>/<record-id>.yaml": "#/$defs/EvidenceRecord",
        },
        "anyOf": [
            {"$ref": f"#/$defs/{name}"}
            for name in ("Therapy", "Condition", "OutcomeCategory", "EvidenceRecord")
        ],
        "$defs": top["$defs"],
    }


def schema_text() -> str:
    """The schema file's exact text (stable key order, trailing newline)."""
    return json.dumps(export_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schema_path() -> Path:
    """Where the bundled schema lives (``claims_db/schema.json``)."""
    return Path(str(_bundled_root() / "schema.json"))


def write_schema(path: str | Path | None = None) -> Path:
    """Write the schema (default: next to the bundled data) and return its path."""
    target = Path(path) if path is not None else schema_path()
    target.write_text(schema_text(), encoding="utf-8")
    return target
