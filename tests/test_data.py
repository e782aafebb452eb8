"""The bundled evidence database: every file valid, ids complete, and the known traps right."""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files

import pytest
import yaml

from factcheck.db import EvidenceDB, default_db, schema_path, schema_text
from factcheck.models import ACCEPTED_STATUSES, Condition, EvidenceRecord, OutcomeCategory, Therapy

THERAPY_IDS = {
    "ahsct",
    "msc",
    "svf",
    "nsc",
    "pluripotent",
    "exosome",
    "cord_blood",
    "perinatal_tissue",
    "stem_cell_unspecified",
    "allogeneic_hsct",
}
CONDITION_IDS = {
    "multiple_sclerosis",
    "neuromyelitis_optica",
    "als",
    "parkinsons",
    "alzheimers",
    "stroke",
    "spinal_cord_injury",
    "cerebral_palsy",
    "autism",
    "traumatic_brain_injury",
    "osteoarthritis",
    "musculoskeletal_injury",
    "copd",
    "heart_failure",
    "diabetes",
    "lupus",
    "rheumatoid_arthritis",
    "crohns",
    "gvhd",
    "blood_cancer",
    "blood_disorder",
    "aging",
    "erectile_dysfunction",
    "hair_loss",
    "myasthenia_gravis",
    "cidp",
    "kidney_disease",
    "liver_disease",
    "macular_degeneration",
    "covid19",
    "long_covid",
}
#: conditions the reference notes cover, each of which needs at least one record
COVERED_CONDITIONS = {
    "multiple_sclerosis",
    "als",
    "parkinsons",
    "autism",
    "spinal_cord_injury",
    "stroke",
    "osteoarthritis",
    "musculoskeletal_injury",
    "copd",
    "heart_failure",
    "diabetes",
    "aging",
    "erectile_dysfunction",
    "long_covid",
    "covid19",
    "cidp",
    "neuromyelitis_optica",
    "lupus",
    "crohns",
    "myasthenia_gravis",
    "gvhd",
    "blood_cancer",
    "blood_disorder",
}

ROOT = files("claims_db")
RECORD_FILES = sorted(
    (f"{folder.name}/{f.name}", f)
    for folder in (ROOT / "records").iterdir()
    if folder.is_dir()
    for f in folder.iterdir()
    if f.name.endswith(".yaml")
)
MODEL_DIRS = {"therapies": Therapy, "conditions": Condition, "outcomes": OutcomeCategory}
ENTITY_FILES = sorted(
    (f"{kind}/{f.name}", kind, f)
    for kind in MODEL_DIRS
    for f in (ROOT / kind).iterdir()
    if f.name.endswith(".yaml")
)


@pytest.fixture(scope="module")
def db() -> EvidenceDB:
    return default_db()


@pytest.mark.parametrize("name,handle", RECORD_FILES, ids=[n for n, _ in RECORD_FILES])
def test_each_bundled_record_validates_on_its_own(name: str, handle) -> None:
    data = yaml.safe_load(handle.read_text(encoding="utf-8"))
    record = EvidenceRecord.model_validate(data)
    assert f"{record.condition}/{record.id}.yaml" == name
    assert record.sources and all(s.url and s.date for s in record.sources)


@pytest.mark.parametrize("name,kind,handle", ENTITY_FILES, ids=[n for n, _, _ in ENTITY_FILES])
def test_each_bundled_entity_validates_on_its_own(name: str, kind: str, handle) -> None:
    obj = MODEL_DIRS[kind].model_validate(yaml.safe_load(handle.read_text(encoding="utf-8")))
    assert name == f"{kind}/{obj.id}.yaml"


def test_whole_database_loads_without_problems(db: EvidenceDB) -> None:
    assert len(db.records) == len(RECORD_FILES) >= 80


def test_schema_file_is_current() -> None:
    on_disk = schema_path().read_text(encoding="utf-8")
    assert on_disk == schema_text(), "claims_db/schema.json is stale: run `python -m factcheck db schema`"
    assert set(json.loads(on_disk)["$defs"]) >= {"Therapy", "Condition", "OutcomeCategory", "EvidenceRecord"}


def test_every_labels_therapy_and_condition_id_is_defined(db: EvidenceDB) -> None:
    assert set(db.therapies) == THERAPY_IDS
    assert set(db.conditions) == CONDITION_IDS


def test_every_therapy_and_covered_condition_has_records(db: EvidenceDB) -> None:
    stats = db.stats()
    assert not stats["therapies_without_records"]
    assert all(stats["by_condition"][c] > 0 for c in COVERED_CONDITIONS)


def test_every_record_has_a_dated_source_and_sane_dates(db: EvidenceDB) -> None:
    for record in db.records.values():
        assert record.sources, record.id
        for source in record.sources:
            assert source.url.startswith(("http://", "https://")) and source.date, record.id
        assert record.as_of <= record.modified <= dt.date(2026, 12, 1), record.id


def test_every_status_appears_in_the_data(db: EvidenceDB) -> None:
    assert all(count > 0 for count in db.stats()["by_status"].values())


def test_unconfirmed_mist_registry_number_is_not_asserted(db: EvidenceDB) -> None:
    assert all("NCT00273364" not in r.trial_ids for r in db.records.values())


def test_ms_subtypes_carry_activity_and_scope_kinds(db: EvidenceDB) -> None:
    assert db.subtype("multiple_sclerosis", "highly_active").kind == "activity"
    assert db.subtype("multiple_sclerosis", "non_active").kind == "activity"
    assert db.subtype("multiple_sclerosis", "all_types").kind == "scope"
    assert "RRMS" in db.subtype("multiple_sclerosis", "rrms").abbreviations
    with pytest.raises(KeyError):
        db.subtype("multiple_sclerosis", "no_such_subtype")


def test_condition_aliases_cover_common_clinic_names(db: EvidenceDB) -> None:
    assert "motor neuron disease" in db.conditions["als"].aliases
    ms = db.conditions["multiple_sclerosis"]
    assert "MS" in ms.abbreviations
    # other languages live under translations; top-level fields are English
    assert "EM" not in ms.abbreviations and "esclerosis múltiple" not in ms.aliases
    assert "EM" in ms.translations["es"].abbreviations
    assert "esclerosis múltiple" in ms.translations["es"].aliases
    assert "esclerose múltipla" in ms.translations["pt"].aliases


# --------------------------------------------------------------------------- therapy vocabulary


def test_adipose_vocabulary_splits_between_msc_and_svf(db: EvidenceDB) -> None:
    assert "adipose-derived MSCs" in db.therapies["msc"].aliases
    assert {"adipose stem cells", "adipose-derived stem cells"} <= set(db.therapies["svf"].aliases)
    # names that say the cells' source are never re-read by the same-day fat procedure
    assert "Wharton's jelly MSCs" in db.therapies["msc"].fixed_aliases
    assert "medicinal signalling cells" in db.therapies["msc"].aliases


def test_immune_reset_alone_does_not_name_ahsct(db: EvidenceDB) -> None:
    ahsct = db.therapies["ahsct"]
    assert not any("reset" in a.lower() or "reboot" in a.lower() for a in ahsct.aliases)
    groups_with_reset = [g for cue in ahsct.procedure_cues for g in cue.all_of if "immune reset" in g]
    assert groups_with_reset and all("chemotherapy" in g for g in groups_with_reset)
    assert all(len(cue.all_of) >= 2 for cue in ahsct.procedure_cues)


def test_generic_stem_cell_wording_is_unspecified(db: EvidenceDB) -> None:
    aliases = db.therapies["stem_cell_unspecified"].aliases
    assert {
        "stem cell therapy",
        "stem cell treatment",
        "stem cell injections",
        "stem cell transplant",
    } <= set(aliases)


# --------------------------------------------------------------------------- section-8 traps


def _only(db: EvidenceDB, record_id: str) -> EvidenceRecord:
    return db.records[record_id]


def test_fda_licensed_stem_cell_products_go_beyond_cord_blood_but_only_for_blood_and_gvhd(
    db: EvidenceDB,
) -> None:
    us_approved = [r for r in db.records.values() if r.status == "approved" and "US" in r.jurisdictions]
    assert {r.therapy for r in us_approved} == {"cord_blood", "msc"}
    assert {r.condition for r in us_approved} == {"blood_cancer", "blood_disorder", "gvhd"}
    assert _only(db, "cord_blood-blood_cancer-omisirge").as_of == dt.date(2023, 4, 18)


def test_omisirge_covers_severe_aplastic_anaemia_since_december_2025(db: EvidenceDB) -> None:
    record = _only(db, "cord_blood-blood_disorder-omisirge")
    assert record.status == "approved" and record.jurisdictions == ["US"]
    assert record.population.subtypes == ["aplastic_anaemia"]
    assert record.as_of >= dt.date(2025, 12, 1)


def test_alofisel_is_recorded_as_withdrawn_in_the_eu(db: EvidenceDB) -> None:
    record = _only(db, "msc-crohns-alofisel")
    assert record.status == "withdrawn" and not record.accepted
    assert record.jurisdictions == ["EU"] and record.as_of == dt.date(2024, 12, 13)
    assert all(r.status != "approved" for r in db.records_for("msc", "crohns"))


def test_japanese_approvals_are_conditional_and_japan_only(db: EvidenceDB) -> None:
    japan = {r.id: r for r in db.records.values() if "JP" in r.jurisdictions}
    assert set(japan) == {
        "msc-spinal_cord_injury-stemirac",
        "pluripotent-parkinsons-amchepry",
        "pluripotent-heart_failure-reheart",
    }
    for record in japan.values():
        assert record.status == "approved" and record.conditional and record.jurisdictions == ["JP"]
    assert japan["pluripotent-parkinsons-amchepry"].as_of == dt.date(2026, 3, 6)
    # the iPSC approvals do not spill over to MS or to MSC/SVF injections for Parkinson's
    assert all(not r.accepted for r in db.records_for("pluripotent", "multiple_sclerosis"))
    assert all(not r.accepted for t in ("msc", "svf") for r in db.records_for(t, "parkinsons"))


def test_rmat_designation_is_not_recorded_as_an_approval(db: EvidenceDB) -> None:
    msc_ms = db.records_for("msc", "multiple_sclerosis")
    assert msc_ms and all(not r.accepted for r in msc_ms)
    rmat = _only(db, "msc-multiple_sclerosis-hope_rmat")
    assert rmat.status == "investigational" and "not" in rmat.summary and "RMAT" in rmat.summary


def test_mesems_and_msc_np_make_msc_for_ms_trials_negative(db: EvidenceDB) -> None:
    record = _only(db, "msc-multiple_sclerosis")
    assert record.status == "trials_negative"
    assert "NCT03355365" in record.trial_ids  # MSC-NP phase 2
    urls = " ".join(s.url for s in record.sources)
    assert "PIIS1474-4422(21)00301-X" in urls and "s13287-024-03765-6" in urls


def test_ahsct_for_ms_is_accepted_only_for_active_relapsing_disease(db: EvidenceDB) -> None:
    records = db.records_for("ahsct", "multiple_sclerosis")
    accepted = [r for r in records if r.accepted]
    assert [r.id for r in accepted] == ["ahsct-multiple_sclerosis"]
    main = accepted[0]
    assert main.status == "guideline_accepted" and main.jurisdictions == ["international"]
    assert {"relapsing", "active", "highly_active"} <= set(main.population.subtypes)
    assert {"ppms", "progressive", "non_active", "all_types"} <= set(main.excluded_subtypes)
    assert not set(main.population.subtypes) & set(main.excluded_subtypes)
    assert {"fewer_relapses_lesions", "halt_progression"} <= set(main.outcomes_supported)
    assert {"cure", "nerve_myelin_regeneration", "reverse_disability", "guaranteed_results"} <= set(
        main.outcomes_not_supported
    )
    non_active = _only(db, "ahsct-multiple_sclerosis-progressive_non_active")
    assert non_active.status == "trials_negative" and "non_active" in non_active.population.subtypes
    assert records[0].id == "ahsct-multiple_sclerosis"  # accepted records come first


def test_us_stem_cell_clinic_appeal_is_dated_june_2021(db: EvidenceDB) -> None:
    dates = {s.date for r in db.records.values() for s in r.sources if "us-stem-cell-clinic-llc-2" in s.url}
    assert dates == {"2021-06-02"}


def test_stemirac_is_subacute_only_with_efficacy_unconfirmed(db: EvidenceDB) -> None:
    record = _only(db, "msc-spinal_cord_injury-stemirac")
    assert record.population.subtypes == ["subacute"] and "chronic" in record.excluded_subtypes
    assert "functional_improvement" in record.outcomes_not_supported
    assert not record.outcomes_supported


def test_clinic_authored_diabetes_meta_analysis_does_not_make_msc_accepted(db: EvidenceDB) -> None:
    record = _only(db, "msc-diabetes")
    assert record.status == "investigational" and "conflict of interest" in record.summary


def test_ryoncil_is_approved_only_for_paediatric_steroid_refractory_acute_gvhd_in_the_us(
    db: EvidenceDB,
) -> None:
    record = _only(db, "msc-gvhd-ryoncil")
    assert record.status == "approved" and record.jurisdictions == ["US"]
    assert set(record.population.subtypes) == {"acute", "steroid_refractory", "paediatric"}
    assert {"chronic", "adult"} <= set(record.excluded_subtypes)
    ryoncil_elsewhere = [r for r in db.records.values() if r.product == "Ryoncil" and r.condition != "gvhd"]
    assert not ryoncil_elsewhere


def test_accepted_records_are_only_the_known_accepted_uses(db: EvidenceDB) -> None:
    accepted = {r.id for r in db.records.values() if r.status in ACCEPTED_STATUSES}
    assert accepted == {
        "ahsct-multiple_sclerosis",
        "ahsct-blood_cancer",
        "ahsct-cidp",
        "allogeneic_hsct-blood_cancer",
        "allogeneic_hsct-blood_disorder",
        "cord_blood-blood_cancer",
        "cord_blood-blood_disorder",
        "cord_blood-blood_cancer-omisirge",
        "cord_blood-blood_disorder-omisirge",
        # transplant wording ("stem cell transplant", "HSCT", "cord blood transplant") for blood diseases
        "stem_cell_unspecified-blood_cancer-transplant",
        "stem_cell_unspecified-blood_disorder-transplant",
        "ahsct-blood_cancer-transplant",
        "ahsct-blood_disorder-transplant",
        "cord_blood-blood_cancer-transplant",
        "cord_blood-blood_disorder-transplant",
        "msc-gvhd-ryoncil",
        "msc-spinal_cord_injury-stemirac",
        "pluripotent-parkinsons-amchepry",
        "pluripotent-heart_failure-reheart",
    }


# --------------------------------------------------------------------------- issue 15: bookkeeping


def _date_matches(as_of: dt.date, source_date: str) -> bool:
    """A source dated only by year or month matches any as_of inside that year or month."""
    return source_date != "undated" and as_of.isoformat().startswith(source_date)


def test_every_as_of_is_the_date_of_one_of_the_record_s_sources(db: EvidenceDB) -> None:
    wrong = {
        r.id: (r.as_of.isoformat(), sorted({s.date for s in r.sources}))
        for r in db.records.values()
        if not any(_date_matches(r.as_of, s.date) for s in r.sources)
    }
    assert not wrong


def test_as_of_check_catches_a_date_no_source_carries() -> None:
    assert _date_matches(dt.date(2024, 12, 27), "2024-12")
    assert _date_matches(dt.date(2025, 1, 1), "2025")
    assert not _date_matches(dt.date(2023, 10, 18), "2021-06-03")
    assert not _date_matches(dt.date(2021, 6, 3), "undated")


def test_msif_is_cited_by_its_stem_cell_page_not_its_home_page(db: EvidenceDB) -> None:
    msif = [s.url for r in db.records.values() for s in r.sources if "msif.org" in s.url]
    assert msif and all(url.rstrip("/") != "https://www.msif.org" for url in msif)


def test_ahsct_for_ms_excludes_every_progressive_and_pre_ms_form_without_activity(db: EvidenceDB) -> None:
    main = _only(db, "ahsct-multiple_sclerosis")
    assert {"spms", "prms", "cis", "ppms", "progressive"} <= set(main.excluded_subtypes)
    # one position on active progressive MS (MSIF, ASBMT): inside the accepted record, no rival record
    assert "ahsct-multiple_sclerosis-progressive_active" not in db.records
    assert "active inflammation" in main.population.description


def test_accepted_product_records_name_their_product(db: EvidenceDB) -> None:
    for record in db.records.values():
        if record.accepted and record.product:
            therapy = db.therapies[record.therapy]
            assert set(record.product_names) & {*therapy.aliases, *therapy.fixed_aliases}, record.id


def test_general_cord_blood_records_do_not_borrow_product_outcomes(db: EvidenceDB) -> None:
    for rid in ("cord_blood-blood_cancer", "cord_blood-blood_disorder"):
        assert "survival" not in _only(db, rid).outcomes_supported
    assert "survival" in _only(db, "cord_blood-blood_cancer-omisirge").outcomes_not_supported


def test_never_trialled_is_not_claimed_where_trials_or_only_approval_lists_exist(db: EvidenceDB) -> None:
    for rid in ("stem_cell_unspecified-multiple_sclerosis", "msc-musculoskeletal_injury",
                "stem_cell_unspecified-autism", "stem_cell_unspecified-copd", "exosome-hair_loss"):
        assert _only(db, rid).status == "investigational", rid
    assert "quality_of_life" in _only(db, "msc-multiple_sclerosis-hope_rmat").outcomes_supported


def test_ms_declares_the_edss_scale_and_records_use_it_for_ceilings(db: EvidenceDB) -> None:
    scale = db.conditions["multiple_sclerosis"].scale
    assert scale is not None and scale.name == "EDSS" and (scale.min, scale.max) == (0, 10)
    assert _only(db, "ahsct-multiple_sclerosis").population.scale_max == 6.5
    with_ceiling = {r.condition for r in db.records.values() if r.population.scale_max is not None}
    assert all(db.conditions[c].scale is not None for c in with_ceiling)


def test_age_group_words_never_name_gvhd_on_their_own(db: EvidenceDB) -> None:
    gvhd = db.conditions["gvhd"]
    for subtype in gvhd.subtypes:
        if subtype.kind == "scope":
            assert all(len(alias.split()) == 1 for alias in subtype.aliases), subtype.id
            assert subtype.age_min is not None or subtype.age_max is not None, subtype.id
