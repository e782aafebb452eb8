"""CSV summaries: per domain and per claim, read back with the csv module as pandas would."""

from __future__ import annotations

import csv
from pathlib import Path

from test_report_support import clinic_page, error_page, hostile_page, info_page, sample_records

from factcheck.report import domain_summary, load, write_claims_csv, write_domain_csv
from factcheck.report.csv_summary import CLAIM_COLUMNS, DOMAIN_COLUMNS
from factcheck.report.naming import domain_of
from factcheck.report.records import page_from_dict


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_domain_of() -> None:
    def d(source: str, url: str | None = None) -> str:
        return domain_of(page_from_dict({**error_page(), "source": source, "url": url}))

    assert d("x.html", "https://www.Regen-Clinic.example:8443/a?b") == "regen-clinic.example"
    assert d("https://clinic.example/ms") == "clinic.example"
    assert d("mirror/www.clinic.example/treatments/ms.html") == "clinic.example"
    assert d("examples/pages/clinic.html") == "local:examples/pages"
    assert d("page.txt") == "local:."
    assert d("../../etc/passwd", "javascript:alert(1)") == "local:../../etc"


def test_domain_summary_counts(tmp_path: Path) -> None:
    records = [*sample_records(), clinic_page(url="https://regen-clinic.example/treatments/als")]
    path = write_domain_csv(records, tmp_path / "domains.csv")
    rows = _read(path)
    assert list(rows[0]) == list(DOMAIN_COLUMNS)
    by = {r["domain"]: r for r in rows}
    assert by["regen-clinic.example"] == {
        "domain": "regen-clinic.example",
        "pages": "2",
        "pages_with_flags": "2",
        "flagged_claims": "6",
        "claims": "8",
        "therapies": "ahsct;msc;stem_cell_unspecified;svf",
        "conditions": "multiple_sclerosis;osteoarthritis;parkinsons",
        "errors": "0",
    }
    assert by["ms-charity.example"]["flagged_claims"] == "0" and by["ms-charity.example"]["claims"] == "1"
    assert by["other-clinic.example"]["pages_with_flags"] == "1"
    assert by["local:examples/pages"]["errors"] == "1"
    assert rows[0]["domain"] == "regen-clinic.example"  # most flagged first
    assert sum(int(r["pages"]) for r in rows) == len(records)
    assert [r.domain for r in domain_summary(load(records).pages)] == [r["domain"] for r in rows]


def test_claims_csv_round_trips(tmp_path: Path) -> None:
    records = [info_page(), clinic_page(), error_page()]
    rows = _read(write_claims_csv(records, tmp_path / "claims.csv"))
    assert list(rows[0]) == list(CLAIM_COLUMNS)
    expected = [(r, c) for r in records for c in r["claims"]]
    assert len(rows) == len(expected) == 5
    for row, (page, c) in zip(rows, expected, strict=True):
        assert row["source"] == page["source"] and row["url"] == page["url"]
        assert (row["therapy"], row["condition"], row["verdict"]) == (
            c["therapy"]["id"],
            c["condition"]["id"],
            c["verdict"],
        )
        assert row["subtype"] == (c["condition"]["subtype"] or "")
        assert row["outcome"] == (c["outcome"]["id"] if c["outcome"] else "")
        assert row["flagged"] == str(c["flagged"])
        assert (int(row["start"]), int(row["end"])) == (c["start"], c["end"])
        assert row["sentence"] == c["sentence"]
        assert row["records"] == ";".join(e["record"] for e in c["evidence"])


def test_hostile_cells_cannot_become_spreadsheet_formulas(tmp_path: Path) -> None:
    page = hostile_page()
    text = '=HYPERLINK("https://evil.example","click")\nmore'
    page["claims"][0].update(sentence=text.split("\n")[0], start=0, end=41)
    page["source"] = "@SUM(1+1)*cmd|' /C calc'!A0"
    page["url"] = "-2+3"
    rows = _read(write_claims_csv([page], tmp_path / "claims.csv"))
    assert rows[0]["sentence"] == "'" + page["claims"][0]["sentence"]
    assert rows[0]["source"] == "'" + page["source"] and rows[0]["url"] == "'-2+3"
    # multi-line and quote-laden cells stay one cell
    page2 = info_page()
    page2["claims"][0]["sentence"] = 'a "quoted",\nsentence'
    assert _read(write_claims_csv([page2], tmp_path / "c2.csv"))[0]["sentence"] == 'a "quoted",\nsentence'


def test_lone_surrogates_do_not_stop_the_csv(tmp_path: Path) -> None:
    record = info_page()
    record["claims"][0]["sentence"] = "bad \ud800 text"
    assert _read(write_claims_csv([record], tmp_path / "c.csv"))[0]["sentence"] == "bad ? text"
