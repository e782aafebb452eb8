"""Language packs as data: validated on load, English moved with no change of behaviour, new languages from data."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.db import load_db
from factcheck.ingest.html import html_to_page
from factcheck.ingest.text import text_to_page
from factcheck.lang.pack import LanguageError, bundled_pack, bundled_packs, load_pack
from factcheck.parse.context import CueFinder, governs
from factcheck.parse.lexicon import Lexicon
from factcheck.parse.normalize import normalize_key
from factcheck.parse.sentences import split_units

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV_CASES = SHARED / "corpus" / "dev" / "cases.jsonl"
PACKS = Path(__file__).resolve().parents[1] / "factcheck" / "lang"


# --------------------------------------------------------------------------- the English move
# The rules below are the code the English pack replaced (factcheck 0.1.0), kept as an oracle: the
# pack's data must reproduce them exactly, so English pages give the claims they gave before.
def _legacy_variants(key: str) -> set[str]:
    out = {key}
    last = key.rsplit(" ", 1)[-1]
    if len(last) > 3 and last.endswith("s") and not last.endswith(("ss", "us", "is")):
        out.add(key[:-1])
    if key and key[-1].isalpha():
        out.add(key + "s")
        if key.endswith(("s", "x", "ch", "sh")):
            out.add(key + "es")
        if key.endswith("y") and len(key) > 3:
            out.add(key[:-1] + "ies")
        out.add(key + "'s")
    if "'" in key:
        out |= {v.replace("'", "") for v in list(out)}
    words = key.split()
    for i in range(len(words) - 1):
        if len(words[i]) >= 3 and len(words[i + 1]) >= 3:
            joined = " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2:]])
            out |= {joined, joined + "s"} if joined[-1].isalpha() else {joined}
    return out


def _legacy_inflections(verb: str) -> set[str]:
    head, _, last = verb.rpartition(" ")
    prefix = head + " " if head else ""
    stem = last[:-1] if last.endswith("e") else last
    forms = {last, last + "s", last + "es", last + "d", last + "ed", stem + "ing", last + "ing"}
    if last.endswith("y"):
        forms |= {last[:-1] + "ies", last[:-1] + "ied"}
    return {prefix + f for f in forms}


_LEGACY_END = re.compile(r"(?<![.!?])[.!?]+[\"'\u201d\u2019)\]]*\s+(?=[A-Z0-9\"'\u201c\u2018(\[])")
_LEGACY_ABBREVIATIONS = ("dr.", "mr.", "mrs.", "ms.", "prof.", "e.g.", "i.e.", "vs.", "etc.", "no.", "st.", "approx.")


def _legacy_split(text: str) -> tuple[tuple[int, int], ...]:
    units: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        line_start, pos, cut = pos, pos + len(line) + 1, 0
        for m in _LEGACY_END.finditer(line):
            head = line[max(0, m.start() - 6):m.start() + 1].lower()
            if any(head.endswith(a) for a in _LEGACY_ABBREVIATIONS) and m.group(0).strip() == ".":
                continue
            for start, end in ((cut, m.end()),):
                piece = line[start:end]
                if piece.strip():
                    lead = len(piece) - len(piece.lstrip())
                    units.append((line_start + start + lead, line_start + start + lead + len(piece.strip())))
            cut = m.end()
        piece = line[cut:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            units.append((line_start + cut + lead, line_start + cut + lead + len(piece.strip())))
    return tuple(units)


def test_english_pack_expands_every_alias_and_verb_as_the_code_it_replaced() -> None:
    english = bundled_pack("en")
    db = load_db()
    keys = {normalize_key(a) for t in db.therapies.values() for a in [t.name, *t.aliases, *t.fixed_aliases]}
    keys |= {normalize_key(a) for c in db.conditions.values() for a in [c.name, *c.aliases, *c.not_aliases]}
    keys |= {normalize_key(a) for c in db.conditions.values() for s in c.subtypes for a in s.aliases}
    keys |= {normalize_key(cue) for o in db.outcomes.values() for cue in o.cues}
    keys |= {normalize_key(obj) for o in db.outcomes.values() for vo in o.verb_object for obj in vo.objects}
    # plus shapes the database may not hold today
    keys |= {"poison ivy", "boy", "bus", "box", "church", "wash", "wharton's jelly", "ab", "stem cell 2"}
    assert len(keys) > 300
    for key in keys:
        assert english.variants(key) == _legacy_variants(key), key
    verbs = {normalize_key(v) for o in db.outcomes.values() for vo in o.verb_object for v in vo.verbs}
    verbs |= {"carry", "make", "turn back", "be"}
    for verb in verbs:
        assert english.inflections(verb) == _legacy_inflections(verb), verb


def _english_texts() -> list[str]:
    texts = ["Dr. Smith said e.g. this. No. 5 is here! Is it? \"Yes.\" (Maybe.) [Sure.] ...... 12 cells.\nA new line."]
    if DEV_CASES.exists():
        for line in DEV_CASES.read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            make = html_to_page if case["format"] == "html" else text_to_page
            texts.append(make(case["text"], source=case["id"]).text)
    return texts


def test_english_pack_splits_sentences_as_the_code_it_replaced() -> None:
    english = bundled_pack("en")
    texts = _english_texts()
    for text in texts:
        assert split_units(text, english) == _legacy_split(text)
    if not DEV_CASES.exists():
        pytest.skip("the dev pages (../shared/corpus/dev) are absent: checked on a sample text only")


def test_english_negation_stops_at_the_barriers_it_stopped_at_before() -> None:
    finder = CueFinder(bundled_pack("en").rules, bundled_pack("en"))
    for gap, reaches in ((" we offer ", True), ("; we offer ", False), (": ", False), (" - ", False), (" (", False)):
        text = f"not{gap}stem cells"
        cues = finder.find(text)
        neg = [c for c in cues if c.category == "NEGATED"]
        start = text.index("stem")
        assert any(governs(c, start, len(text), text, cues) for c in neg) is reaches, gap


# --------------------------------------------------------------------------- Spanish and Portuguese
@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=".!?\u2026 \n\t\"')\u201d\u00bfAa1(Dr", max_size=60),
       code=st.sampled_from(["en", "es", "pt"]))
def test_sentence_ends_found_from_their_first_characters_are_the_patterns_own(text: str, code: str) -> None:
    # the splitter tries the end pattern only at . ! ? (sentences._finder): the units must be those
    # of the pattern tried at every position of each line
    from factcheck.parse.sentences import _split

    pack = bundled_pack(code)
    end, abbreviations = pack.sentence_end, pack.spec.sentences.abbreviations
    units: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        cut = 0
        for m in end.finditer(line):
            if line[max(0, m.start() - 6):m.start() + 1].lower().endswith(abbreviations) \
                    and m.group(0).strip() == ".":
                continue
            piece = line[cut:m.end()]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                units.append((pos + cut + lead, pos + cut + lead + len(piece.strip())))
            cut = m.end()
        piece = line[cut:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            units.append((pos + cut + lead, pos + cut + lead + len(piece.strip())))
        pos += len(line) + 1
    assert _split.__wrapped__(text, end, abbreviations) == tuple(units)


def test_spanish_sentences_open_with_inverted_marks_and_keep_abbreviations() -> None:
    text = ("La Dra. Pérez y la Sra. Gómez atienden, etc. todos los días. ¿Quién puede recibir el tratamiento? "
            "¡Llame hoy!")
    units = [text[s:e] for s, e in split_units(text, bundled_pack("es"))]
    assert units == ["La Dra. Pérez y la Sra. Gómez atienden, etc. todos los días.",
                     "¿Quién puede recibir el tratamiento?", "¡Llame hoy!"]
    # the English rules know neither "Dra." nor that "¿" opens a sentence
    assert [text[s:e] for s, e in split_units(text, bundled_pack("en"))] != units


@pytest.mark.parametrize(("code", "alias", "surface"), [
    ("es", "células madre", "célula madre"),
    ("es", "célula madre", "células madre"),
    ("es", "lesión medular", "lesiones medulares"),
    ("pt", "células-tronco", "célula-tronco"),
    ("pt", "lesão medular", "lesões medulares"),
])
def test_spanish_and_portuguese_plurals(code: str, alias: str, surface: str) -> None:
    assert normalize_key(surface) in bundled_pack(code).variants(normalize_key(alias))


@pytest.mark.parametrize(("code", "verb", "form"), [
    ("es", "regenerar", "regenera"), ("es", "revertir", "revertimos"), ("es", "eliminar", "eliminando"),
    ("pt", "regenerar", "regenerou"), ("pt", "reverter", "revertendo"),
])
def test_spanish_and_portuguese_verb_forms(code: str, verb: str, form: str) -> None:
    assert form in bundled_pack(code).inflections(verb)


@pytest.mark.parametrize(("code", "told", "own"), [
    ("en", "A 58-year-old runner received cells and walked again.", "I received cells and walked again."),
    ("es", "Un corredor de 58 años recibió células y volvió a caminar.", "Yo recibí células y volví a caminar."),
])
def test_narration_is_third_person_past_and_its_patterns_are_public(code: str, told: str, own: str) -> None:
    pack = bundled_pack(code)
    past, first_person = pack.narration_patterns
    assert past is not None and first_person is not None
    assert pack.narrated(told) is not None and past.search(told)
    assert past.search(own) is None or first_person.search(own)
    assert pack.narrated(own) is None


def test_every_bundled_pack_is_valid_and_named_by_its_folder() -> None:
    packs = bundled_packs()
    assert {"en", "es", "pt"} <= set(packs)
    for code, pack in packs.items():
        assert pack.code == code
        assert pack.spec.function_words, code


# --------------------------------------------------------------------------- validation
def _pack_folder(tmp_path: Path, spec: dict[str, Any], rules: dict[str, Any] | None = None) -> Path:
    folder = tmp_path / spec.get("code", "xx")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "language.json").write_text(json.dumps(spec, indent=2, ensure_ascii=False), encoding="utf-8")
    if rules is not None:
        (folder / "context_rules.json").write_text(json.dumps(rules, indent=1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("spec", "field", "message"), [
    ({"code": "eo", "name": "Esperanto", "spacy_lang": "xx", "sentences": {"abbrevs": []}},
     "sentences.abbrevs", "unknown key 'abbrevs'"),
    ({"code": "eo", "name": "Esperanto", "spacy_lang": "xx", "inflection": {"plural": [{"strip": -1}]}},
     "inflection.plural[0].strip", "greater than or equal to 0"),
    ({"code": "eo", "name": "Esperanto"}, "spacy_lang", "Field required"),
    ({"code": "eo", "name": "Esperanto", "spacy_lang": "xx", "narration": {"past": ["\\b(?:estis"]}},
     "narration.past", "invalid regular expression"),
    ({"code": "eo", "name": "Esperanto", "spacy_lang": "xx", "narration": {"first_person": ["(?:\\w+\\s?)+$"]}},
     "narration.first_person", "catastrophic"),
])
def test_a_bad_language_file_is_an_error_naming_file_line_and_field(
        tmp_path: Path, spec: dict[str, Any], field: str, message: str) -> None:
    folder = _pack_folder(tmp_path, spec)
    with pytest.raises(LanguageError) as info:
        load_pack(folder)
    text = str(info.value)
    assert f"{folder}/language.json" in text
    assert f": {field}: " in text and message in text
    if field != "spacy_lang":  # a missing key has no line of its own
        line = int(re.search(r"language\.json:(\d+):", text).group(1))  # type: ignore[union-attr]
        key = field.rsplit(".", 1)[-1].split("[")[0]
        assert f'"{key}"' in (folder / "language.json").read_text(encoding="utf-8").splitlines()[line - 1]


def test_a_pack_whose_code_is_not_its_folder_name_is_refused(tmp_path: Path) -> None:
    folder = _pack_folder(tmp_path, {"code": "eo", "name": "Esperanto", "spacy_lang": "xx"})
    moved = folder.rename(tmp_path / "ex")
    with pytest.raises(LanguageError, match=r"language.json:2: code: 'eo' must equal the folder name 'ex'"):
        load_pack(moved)


def test_bad_cue_rules_in_a_pack_name_the_rules_file(tmp_path: Path) -> None:
    folder = _pack_folder(tmp_path, {"code": "eo", "name": "Esperanto", "spacy_lang": "xx"},
                          {"rules": [{"literal": "ne", "category": "NEGATION", "direction": "FORWARD"}]})
    with pytest.raises(LanguageError, match=r"eo/context_rules.json: rules\[0\].category"):
        load_pack(folder)


# --------------------------------------------------------------------------- a new language from data alone
TOY = {
    "code": "eo", "name": "Esperanto", "spacy_lang": "xx",
    "sentences": {"abbreviations": ["d-ro."], "openers": "ĈĜĤĴŜŬ"},
    "inflection": {"plural": [{"ending": ["o", "a"], "add": ["j", "jn", "n"]}], "plural_words": ["last", "all"],
                   "verb": [{"ending": ["i"], "strip": 1, "add": ["as", "is", "os", "u"]}], "verb_words": "first"},
    "fuzzy_exceptions": [], "caps_ambiguous": ["MS"], "negation_barriers": [";"],
    "function_words": ["la", "kaj", "de", "estas", "por", "ni", "vi", "en", "al", "ne"],
}
TOY_RULES = {"rules": [{"literal": "ne", "category": "NEGATED", "direction": "FORWARD", "max_scope": 5},
                       {"literal": "rezervu", "category": "OFFER", "direction": "PAGE"}]}


def _toy_db(folder: Path) -> Path:
    condition = {"id": "toy_sclerosis", "name": "Toy sclerosis", "aliases": ["toy sclerosis"],
                 "translations": {"eo": {"aliases": ["luda sklerozo"], "abbreviations": ["LS"]}}}
    outcome = {"id": "toy_healing", "name": "Toy healing", "outcome_class": "cure", "cues": ["toy healing"],
               "translations": {"eo": {"verb_object": [{"verbs": ["resanigi"], "objects": ["sklerozo"]}]}}}
    for rel, data in (("conditions/toy_sclerosis.yaml", condition), ("outcomes/toy_healing.yaml", outcome)):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


def test_a_toy_language_is_added_from_data_alone(tmp_path: Path) -> None:
    pack = load_pack(_pack_folder(tmp_path / "packs", TOY, TOY_RULES))
    # the database accepts translations into the new language only once the pack is known
    db_folder = _toy_db(tmp_path / "db")
    with pytest.raises(ValueError, match="unknown language 'eo'"):
        load_db(db_folder)
    packs = {**bundled_packs(), "eo": pack}
    db = load_db(db_folder, languages=packs)
    lexicon = Lexicon.from_db(db, packs)
    text = "D-ro. Zamenhof: ni resanigas la ludajn sklerozojn. Ĉu LS? Ne stem cells; por LS rezervu nun."
    units = [text[s:e] for s, e in split_units(text, pack)]
    assert units[0] == "D-ro. Zamenhof: ni resanigas la ludajn sklerozojn."
    assert units[1] == "Ĉu LS?"
    terms = lexicon.find(text, "eo")
    assert {(t.label, t.id) for t in terms} >= {("CONDITION", "toy_sclerosis"), ("OUTCOME", "toy_healing"),
                                                 ("THERAPY", "stem_cell_unspecified")}
    assert "LS" in {t.text for t in terms if t.id == "toy_sclerosis"}
    assert "LS" not in {t.text for t in lexicon.find(text, "en") if t.id == "toy_sclerosis"}
    finder = CueFinder(pack.rules, pack)
    cues = finder.find(text)
    assert {c.category for c in cues} == {"NEGATED", "OFFER"}
    negation = next(c for c in cues if c.category == "NEGATED")
    stem = text.index("stem cells")
    assert governs(negation, stem, stem + 10, text, cues)
    after_barrier = text.rindex("LS")
    assert not governs(negation, after_barrier, after_barrier + 2, text, cues)


def test_a_copied_bundled_pack_loads_by_path_identically(tmp_path: Path) -> None:
    copy = Path(shutil.copytree(PACKS / "es", tmp_path / "es"))
    assert load_pack(copy).spec == bundled_pack("es").spec


def test_a_toy_language_runs_through_the_checker_from_a_folder_passed_by_path(tmp_path: Path) -> None:
    import factcheck

    spec = {**TOY, "distinctive_characters": "ĉĝĥĵŝŭ",
            "function_words": ["kaj", "estas", "ni", "vi", "ke", "nun", "pri", "sed", "tre", "mi", "li", "ili"]}
    pack_folder = _pack_folder(tmp_path / "packs", spec, TOY_RULES)
    checker = factcheck.load(db_paths=[_toy_db(tmp_path / "db")], languages=["en", "es", "pt", str(pack_folder)])
    text = ("Ni proponas stem cells por luda sklerozo kaj ni resanigas vian sklerozon. "
            "Ĉu vi volas? Rezervu nun, ni estas tre pretaj.")
    report, doc = checker.check_doc(text)
    assert report.lang == "eo"
    assert {(c.therapy.id, c.condition.id) for c in report.claims} == {("stem_cell_unspecified", "toy_sclerosis")}
    assert report.stance == "offer"  # the pack's own OFFER cue "rezervu"
    assert any(c.outcome is not None and c.outcome.id == "toy_healing" for c in report.claims)
    assert doc is not None and doc.lang_ == "xx"  # the pack's spacy_lang
