"""Loading user folders next to the bundled database, and the errors bad files produce."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from factcheck import db as dbmod
from factcheck.db import DataError, EvidenceDB, load_db


def record(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "exosome-lupus",
        "therapy": "exosome",
        "condition": "lupus",
        "status": "never_trialled",
        "jurisdictions": ["international"],
        "outcomes_not_supported": ["cure"],
        "summary": "A test record written by the test suite; no exosome product is approved for lupus.",
        "sources": [
            {
                "url": "https://example.org/exo",
                "title": "Example",
                "publisher": "Example org",
                "date": "2025-01",
                "kind": "regulator",
            }
        ],
        "as_of": "2025-01-01",
        "modified": "2025-02-01",
        "reviewed_by": "tests",
    }
    data.update(overrides)
    return data


def write(folder: Path, rel: str, content: dict[str, Any] | str) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(*paths: Path, **kwargs: Any) -> DataError:
    with pytest.raises(DataError) as info:
        load_db(*paths, **kwargs)
    return info.value


def test_user_records_add_to_the_bundled_ones(tmp_path: Path) -> None:
    write(tmp_path, "records/lupus/exosome-lupus.yaml", record())
    merged = load_db(tmp_path)
    bundled = load_db()
    assert len(merged.records) == len(bundled.records) + 1
    assert [r.id for r in merged.records_for("exosome", "lupus")] == ["exosome-lupus"]
    assert merged.origins["records/exosome-lupus"].endswith("exosome-lupus.yaml")


def test_extra_paths_keyword_is_the_same_as_positional_paths(tmp_path: Path) -> None:
    write(tmp_path, "records/lupus/exosome-lupus.yaml", record())
    assert "exosome-lupus" in load_db(extra_paths=[tmp_path]).records


def test_user_folder_can_be_loaded_alone_with_its_own_entities(tmp_path: Path) -> None:
    write(
        tmp_path,
        "therapies/newcell.yaml",
        {"id": "newcell", "name": "New cell", "kind": "mesenchymal", "aliases": ["new cells"]},
    )
    write(tmp_path, "conditions/gout.yaml", {"id": "gout", "name": "Gout", "aliases": ["gout"]})
    write(
        tmp_path,
        "outcomes/cure.yaml",
        {"id": "cure", "name": "Cure", "outcome_class": "cure", "cues": ["cure"]},
    )
    write(
        tmp_path,
        "records/gout/newcell-gout.yaml",
        record(id="newcell-gout", therapy="newcell", condition="gout"),
    )
    alone = load_db(tmp_path, include_default=False)
    assert set(alone.records) == {"newcell-gout"} and set(alone.therapies) == {"newcell"}


def test_reusing_a_bundled_record_id_needs_supersedes_or_replace(tmp_path: Path) -> None:
    override = record(id="msc-lupus", therapy="msc", status="trials_negative")
    write(tmp_path, "records/lupus/msc-lupus.yaml", override)
    err = load_error(tmp_path)
    assert "duplicate id 'msc-lupus'" in str(err) and "supersedes" in str(err)
    assert err.path.endswith("records/lupus/msc-lupus.yaml") and err.field == "id" and err.line == 1

    assert load_db(tmp_path, replace=True).records["msc-lupus"].status == "trials_negative"
    write(tmp_path, "records/lupus/msc-lupus.yaml", {**override, "supersedes": ["msc-lupus"]})
    assert load_db(tmp_path).records["msc-lupus"].status == "trials_negative"


def test_supersedes_retires_a_bundled_record_under_a_new_id(tmp_path: Path) -> None:
    write(
        tmp_path,
        "records/lupus/msc-lupus-2027.yaml",
        record(id="msc-lupus-2027", therapy="msc", supersedes=["msc-lupus"]),
    )
    loaded = load_db(tmp_path)
    assert "msc-lupus" not in loaded.records
    assert [r.id for r in loaded.records_for("msc", "lupus")] == ["msc-lupus-2027"]


def test_superseding_an_unknown_record_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "records/lupus/exosome-lupus.yaml", record(supersedes=["no-such-record"]))
    err = load_error(tmp_path)
    assert err.field == "supersedes[0]" and "unknown record 'no-such-record'" in str(err)


def test_reusing_a_bundled_therapy_id_needs_replace(tmp_path: Path) -> None:
    write(
        tmp_path,
        "therapies/msc.yaml",
        {"id": "msc", "name": "Mine", "kind": "mesenchymal", "aliases": ["my msc"]},
    )
    assert "duplicate id 'msc'" in str(load_error(tmp_path))
    assert load_db(tmp_path, replace=True).therapies["msc"].name == "Mine"


def test_malformed_yaml_names_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "records/lupus/exosome-lupus.yaml", "id: exosome-lupus\ntherapy: [exosome\nstatus: x\n")
    err = load_error(tmp_path)
    assert err.path == f"{tmp_path}/records/lupus/exosome-lupus.yaml"
    assert err.line in (2, 3, 4) and "malformed YAML" in str(err)
    assert isinstance(err, ValueError)


def test_wrong_type_names_field_and_line(tmp_path: Path) -> None:
    text = yaml.safe_dump(record(conditional="perhaps"), sort_keys=False)
    path = write(tmp_path, "records/lupus/exosome-lupus.yaml", text)
    err = load_error(tmp_path)
    expected_line = path.read_text().splitlines().index("conditional: perhaps") + 1
    assert (err.field, err.line) == ("conditional", expected_line)
    assert f"exosome-lupus.yaml:{expected_line}: conditional:" in str(err)


def test_nested_field_errors_point_at_the_source_entry(tmp_path: Path) -> None:
    bad_source = {
        "url": "https://example.org/a",
        "title": "A",
        "publisher": "P",
        "date": "last spring",
        "kind": "news",
    }
    path = write(tmp_path, "records/lupus/exosome-lupus.yaml", record(sources=[bad_source]))
    err = load_error(tmp_path)
    assert err.field == "sources[0].date"
    assert err.line == path.read_text().splitlines().index("  date: last spring") + 1


def test_unknown_key_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "records/lupus/exosome-lupus.yaml", record(staus="approved"))
    err = load_error(tmp_path)
    assert err.field == "staus" and "unknown key 'staus'" in str(err)
    assert err.line == path.read_text().splitlines().index("staus: approved") + 1


def test_dangling_ids_are_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        "records/lupus/unicorn-lupus.yaml",
        record(
            id="unicorn-lupus",
            therapy="unicorn",
            excluded_subtypes=["teen"],
            outcomes_supported=["immortality"],
        ),
    )
    err = load_error(tmp_path)
    messages = {issue.field: issue.message for issue in err.issues}
    assert "unknown therapy id 'unicorn'" in messages["therapy"]
    assert "unknown subtype 'teen'" in messages["excluded_subtypes[0]"]
    assert "unknown outcome id 'immortality'" in messages["outcomes_supported[0]"]


def test_unknown_condition_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "records/gout/msc-gout.yaml", record(id="msc-gout", therapy="msc", condition="gout"))
    assert "unknown condition id 'gout'" in str(load_error(tmp_path))


def test_duplicate_ids_in_one_folder_are_reported(tmp_path: Path) -> None:
    write(tmp_path, "records/lupus/exosome-lupus.yaml", record())
    write(tmp_path, "records/lupus/exosome-lupus.yml", record())
    err = load_error(tmp_path)
    assert "duplicate id 'exosome-lupus'" in str(err)


def test_file_name_must_equal_id_and_folder_the_condition(tmp_path: Path) -> None:
    write(tmp_path, "records/lupus/other-name.yaml", record())
    write(tmp_path, "records/gvhd/exosome-gvhd.yaml", record(id="exosome-gvhd"))
    err = load_error(tmp_path)
    text = str(err)
    assert "must equal the file name 'other-name'" in text
    assert "record of condition 'lupus' is in folder records/gvhd/" in text


def test_alias_claimed_by_two_therapies_is_reported(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "therapies/newcell.yaml",
        {
            "id": "newcell",
            "name": "New cell",
            "kind": "mesenchymal",
            "aliases": ["new cells", "Mesenchymal Stem-Cells"],
        },
    )
    err = load_error(tmp_path)
    assert err.field == "aliases[1]"
    assert err.line == path.read_text().splitlines().index("- Mesenchymal Stem-Cells") + 1
    assert "also an alias of 'msc'" in str(err)


def test_alias_claimed_by_two_conditions_is_reported(tmp_path: Path) -> None:
    write(
        tmp_path,
        "conditions/dup.yaml",
        {"id": "dup", "name": "Dup", "aliases": ["Sclérose en plaques"], "abbreviations": ["ALS"]},
    )
    err = load_error(tmp_path)
    text = str(err)
    assert "also an alias of 'multiple_sclerosis'" in text and "also an abbreviation of 'als'" in text


def test_python_object_tag_is_refused_with_file_and_line(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    write(
        tmp_path,
        "records/lupus/exosome-lupus.yaml",
        f"id: exosome-lupus\nsummary: !!python/object/apply:os.system ['touch {marker}']\n",
    )
    err = load_error(tmp_path)
    assert err.line == 2 and "refused" in str(err) and "python/object" in str(err)
    assert not marker.exists()


def test_record_without_sources_and_source_without_date(tmp_path: Path) -> None:
    write(tmp_path, "records/lupus/exosome-lupus.yaml", record(sources=[]))
    undated = record(
        id="msc-lupus-x",
        therapy="msc",
        sources=[{"url": "https://example.org", "title": "t", "publisher": "p", "kind": "news"}],
    )
    write(tmp_path, "records/lupus/msc-lupus-x.yaml", undated)
    err = load_error(tmp_path)
    fields = {issue.field: issue.message for issue in err.issues}
    assert fields["sources"] == "a record needs at least one source"
    assert fields["sources[0].date"] == "required field is missing"


def test_all_problems_of_a_load_are_reported_together(tmp_path: Path) -> None:
    write(tmp_path, "records/lupus/exosome-lupus.yaml", record(therapy="unicorn"))
    write(tmp_path, "records/lupus/msc-lupus-x.yaml", "id: [unclosed\n")
    err = load_error(tmp_path)
    assert len(err.issues) == 2
    assert len(str(err).splitlines()) == 3  # heading + one line per problem


def test_unquoted_dates_and_years_are_accepted(tmp_path: Path) -> None:
    source = {"url": "https://example.org", "title": "t", "publisher": "p", "date": 2025, "kind": "news"}
    text = yaml.safe_dump(record(sources=[source]), sort_keys=False)
    text = text.replace("'2025-01-01'", "2025-01-01")
    assert "as_of: 2025-01-01\n" in text and "date: 2025\n" in text
    write(tmp_path, "records/lupus/exosome-lupus.yaml", text)
    loaded = load_db(tmp_path).records["exosome-lupus"]
    assert loaded.sources[0].date == "2025" and loaded.as_of.isoformat() == "2025-01-01"


def test_a_path_that_is_not_a_database_folder_is_an_error(tmp_path: Path) -> None:
    err = load_error(tmp_path / "missing")
    assert "not a folder" in str(err)
    (tmp_path / "empty").mkdir()
    assert "not a database folder" in str(load_error(tmp_path / "empty"))


def test_libyaml_safe_loader_is_used_when_available() -> None:
    if yaml.__with_libyaml__:
        assert issubclass(dbmod._Loader, yaml.CSafeLoader)
    assert issubclass(dbmod._Loader, (yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


def test_bundled_database_loads_and_default_db_is_cached() -> None:
    # load time is a benchmark figure (`factcheck db stats` prints it), not a unit-test bound
    fresh = load_db()
    assert isinstance(fresh, EvidenceDB)
    assert dbmod.default_db() is dbmod.default_db()


def test_bundled_database_loads_from_a_zipped_package(tmp_path: Path) -> None:
    """importlib.resources only: the data must load when claims_db is not a plain directory."""
    import subprocess
    import sys
    import zipfile
    from importlib.resources import files

    root = Path(str(files("claims_db")))
    archive = tmp_path / "claims_db.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for file in root.rglob("*"):
            if file.is_file() and "__pycache__" not in file.parts:
                zf.write(file, Path("claims_db") / file.relative_to(root))
    repo = Path(dbmod.__file__).resolve().parent.parent
    code = (
        "import claims_db, factcheck.db as d; assert '.zip' in claims_db.__file__; "
        "print(len(d.load_db().records))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": f"{archive}:{repo}", "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == len(load_db().records)


def test_symptom_of_must_name_another_condition_and_an_own_alias(tmp_path: Path) -> None:
    write(tmp_path, "conditions/gout.yaml", {
        "id": "gout", "name": "Gout", "aliases": ["gout", "toe pain"],
        "symptom_of": {"osteoarthritis": ["toe pain", "big toe ache"], "no_such_condition": ["toe pain"]}})
    err = load_error(tmp_path)
    messages = [i.message for i in err.issues]
    assert any("'big toe ache' is not an alias of 'gout'" in m for m in messages)
    assert any("'no_such_condition', not another known condition" in m for m in messages)
    assert all(i.path.endswith("gout.yaml") and i.line is not None for i in err.issues)


def test_procedure_cue_must_resolve_known_therapies(tmp_path: Path) -> None:
    write(tmp_path, "therapies/cord_rinse.yaml", {
        "id": "cord_rinse", "name": "Cord rinse", "kind": "mesenchymal", "aliases": ["cord rinse"],
        "procedure_cues": [{"id": "rinsing", "description": "rinsed cords", "all_of": [["rinsed cord"]],
                            "resolves": ["msc", "no_such_therapy"], "yields_to": ["nor_this_one"],
                            "aliases": ["umbilical cord stem cells", "cord rinse water"]}]})
    err = load_error(tmp_path)
    messages = [i.message for i in err.issues]
    assert any("resolves names 'no_such_therapy'" in m for m in messages)
    assert any("yields_to names 'nor_this_one'" in m for m in messages)
    assert all(i.path.endswith("cord_rinse.yaml") and i.line is not None for i in err.issues)


def test_procedure_cue_patterns_must_compile_and_match_a_group(tmp_path: Path) -> None:
    write(tmp_path, "therapies/cord_rinse.yaml", {
        "id": "cord_rinse", "name": "Cord rinse", "kind": "mesenchymal", "aliases": ["cord rinse"],
        "procedure_cues": [{"id": "rinsing", "description": "rinsed cords", "all_of": [["rinsed cord"]],
                            "patterns": [["rinsed (cord"]]},
                           {"id": "soaking", "description": "soaked cords", "all_of": [["soaked cord"]],
                            "patterns": [["soaked"], ["cords?"]]}]})
    err = load_error(tmp_path)
    messages = [i.message for i in err.issues]
    assert any("'rinsed (cord' is not a valid regular expression" in m for m in messages)
    assert any("2 pattern groups but only 1 groups in all_of" in m for m in messages)
    assert all(i.path.endswith("cord_rinse.yaml") and i.line is not None for i in err.issues)


def test_an_alias_listed_twice_in_one_language_is_reported(tmp_path: Path) -> None:
    # accents and case fold away, so "paraplejía" and "paraplejia" are one alias
    write(tmp_path, "conditions/toy_palsy.yaml", {
        "id": "toy_palsy", "name": "Toy palsy", "aliases": ["toy palsy", "Toy Palsy"],
        "translations": {"es": {"aliases": ["parálisis de juguete", "paralisis de juguete"]}}})
    messages = [i.message for i in load_error(tmp_path).issues]
    assert any("'Toy Palsy' (key 'toy palsy') is listed twice" in m for m in messages)
    assert any("'paralisis de juguete'" in m and "listed twice" in m for m in messages)
