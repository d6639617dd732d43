"""Our tabular format: every kind of bad input gets file, line, field and reason, and loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from common.errors import SourceError
from graph.store import GraphStore
from ingest.loading import ingest_path
from ingest.readers.tabular import TabularReader

ORGS = (
    "org_id,name,short_name,kind,country,nuts,sme,competences\n"
    "osim,Oficiul de Stat pentru Invenții și Mărci,OSIM,patent-office,RO,RO321,false,\n"
    "arott,Asociația Română pentru Transfer Tehnologic și Inovare,ARoTT,association,RO,,false,technology transfer\n"
)
OFFERS_HEADER = "offer_id,org_id,title,description,trl,ipr_status,sectors,keywords,illustrative\n"
GOOD_OFFER = "offer-ip-audit,osim,IP audit,Patent landscape and IP audit for SMEs,9,know-how,72.19,patents,true\n"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_valid_folder_lands_with_every_record(store: GraphStore, tmp_path: Path) -> None:
    src = tmp_path / "src"
    write(src, "organisations.csv", ORGS)
    write(src, "offers.csv", OFFERS_HEADER + GOOD_OFFER)
    report = ingest_path(store, src, name="demo")
    assert report.ok
    assert (report.records_read, report.records_written) == (3, 3)
    rows = list(
        store.oxigraph.query(
            "SELECT ?title WHERE { GRAPH ?g { ?org <https://w3id.org/innograph/def#offers> ?o . "
            "?o <http://purl.org/dc/terms/title> ?title } }"
        )
    )
    assert [r["title"].value for r in rows] == ["IP audit"]


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("offer-a,osim,T,D,high,,,,true\n", "trl", "unknown trl code 'high'"),
        ("offer-a,osim,T,D,4,,99.99,,true\n", "sectors", "unknown nace2 code '99.99'"),
        ("offer-a,osim,T,,4,,,,true\n", "description", "description is required but empty"),
        ("Offer A,osim,T,D,4,,,,true\n", "offer_id", "is not a valid id"),
        ("offer-a,osim,T,D,4,,,,maybe\n", "illustrative", "must be true or false"),
        ("offer-a,osim,T,D,4,,,\n", None, "has 8 cells but the header has 9 columns"),
    ],
)
def test_bad_cell_is_reported_with_line_field_and_reason(
    store: GraphStore, tmp_path: Path, row: str, field: str | None, reason: str
) -> None:
    src = tmp_path / "src"
    write(src, "organisations.csv", ORGS)
    offers = write(src, "offers.csv", OFFERS_HEADER + GOOD_OFFER + row)
    report = ingest_path(store, src, name="demo")
    assert [(r.location.file, r.location.line, r.field) for r in report.rejections] == [(str(offers), 3, field)]
    assert reason in report.rejections[0].reason
    assert report.records_written == 3  # the two organisations and the good offer still land
    assert store.count(report.graph and _graph(report.graph)) > 0


def _graph(iri: str):  # type: ignore[no-untyped-def]
    import pyoxigraph as ox

    return ox.NamedNode(iri)


def test_unknown_region_code_is_rejected(store: GraphStore, tmp_path: Path) -> None:
    src = write(tmp_path / "src", "organisations.csv", ORGS + "adr-x,Agenția X,,agency,RO,RO99,false,\n")
    report = ingest_path(store, src.parent, name="demo")
    (rejection,) = report.rejections
    assert (rejection.location.line, rejection.field) == (4, "nuts")
    assert "unknown nuts2021 code 'RO99'" in rejection.reason


def test_missing_required_column_rejects_the_file_and_says_which(store: GraphStore, tmp_path: Path) -> None:
    src = write(tmp_path / "src", "organisations.csv", ORGS.replace("org_id,name", "org_id,label"))
    report = ingest_path(store, src.parent, name="demo")
    (rejection,) = report.rejections
    assert (rejection.location.line, rejection.field) == (1, "name")
    assert "required column(s) name missing" in rejection.reason
    assert report.records_written == 0


def test_duplicate_id_points_to_the_first_occurrence(store: GraphStore, tmp_path: Path) -> None:
    src = write(tmp_path / "src", "organisations.csv", ORGS + ORGS.splitlines()[1] + "\n")
    report = ingest_path(store, src.parent, name="demo")
    (rejection,) = report.rejections
    assert rejection.location.line == 4
    assert "duplicate organisations id 'osim'" in rejection.reason
    assert "organisations.csv:2" in rejection.reason


def test_broken_utf8_rejects_only_that_record(store: GraphStore, tmp_path: Path) -> None:
    data = ORGS.encode() + b"bad,Societatea \xff\xfe SRL,,sme,RO,RO21,true,\n"
    src = write(tmp_path / "src", "organisations.csv", data)
    report = ingest_path(store, src.parent, name="demo")
    (rejection,) = report.rejections
    assert (rejection.location.line, rejection.field) == (4, "name")
    assert "not valid UTF-8" in rejection.reason
    assert report.records_written == 2


def test_truncated_csv_keeps_the_rows_before_the_cut(store: GraphStore, tmp_path: Path) -> None:
    text = ORGS + 'cut,"Institutul Național de Cercetare'  # file ends inside a quoted field
    src = write(tmp_path / "src", "organisations.csv", text)
    report = ingest_path(store, src.parent, name="demo")
    assert report.records_written == 2
    (rejection,) = report.rejections
    assert rejection.location.line == 4
    assert "truncated" in rejection.reason


def test_truncated_json_is_a_source_error(store: GraphStore, tmp_path: Path) -> None:
    src = write(tmp_path / "src", "organisations.json", '[{"org_id": "osim", "name": "OSIM"')
    with pytest.raises(SourceError, match="not valid JSON.*truncated"):
        ingest_path(store, src.parent, name="demo")


def test_empty_file_is_a_source_error(store: GraphStore, tmp_path: Path) -> None:
    src = write(tmp_path / "src", "organisations.csv", "")
    with pytest.raises(SourceError, match="empty"):
        ingest_path(store, src.parent, name="demo")


def test_50_mb_field_is_rejected_by_length(store: GraphStore, tmp_path: Path) -> None:
    huge = "x" * (50 * 1024 * 1024)
    src = write(tmp_path / "src", "organisations.csv", ORGS + f"big,Big SRL,,sme,RO,,true,{huge}\n")
    report = ingest_path(store, src.parent, name="demo")
    (rejection,) = report.rejections
    assert (rejection.location.line, rejection.field) == (4, "competences")
    assert "52,428,800 characters long" in rejection.reason


def test_json_records_are_located_by_pointer(store: GraphStore, tmp_path: Path) -> None:
    items = [
        {"org_id": "osim", "name": "OSIM", "kind": "patent-office", "country": "RO"},
        {"org_id": "x", "name": "X", "kind": "not-a-kind"},
    ]
    src = write(tmp_path / "src", "organisations.json", json.dumps(items))
    report = ingest_path(store, src.parent, name="demo")
    (rejection,) = report.rejections
    assert str(rejection.location).endswith("organisations.json#/1")
    assert rejection.field == "kind"


def test_offer_of_an_unknown_organisation_fails_the_shapes_at_its_line(store: GraphStore, tmp_path: Path) -> None:
    src = tmp_path / "src"
    offers = write(src, "offers.csv", OFFERS_HEADER + GOOD_OFFER.replace(",osim,", ",nobody,"))
    report = ingest_path(store, src, name="demo")
    (rejection,) = report.rejections
    assert (rejection.location.file, rejection.location.line) == (str(offers), 2)
    assert "offer/offer-ip-audit" in rejection.reason


def test_detects_tables_by_file_name(tmp_path: Path) -> None:
    write(tmp_path, "illustrative.offers.csv", OFFERS_HEADER)
    assert TabularReader.detect(tmp_path)
    assert not TabularReader.detect(write(tmp_path / "other", "notes.csv", "a,b\n"))


def test_cordis_link_needs_a_nine_digit_pic_and_lands_as_cordis_record(store: GraphStore, tmp_path: Path) -> None:
    write(tmp_path / "src", "organisations.csv", ORGS)
    write(tmp_path / "src", "cordis_links.csv",
          "org_id,pic,evidence\narott,997395517,same name and seat (Craiova)\nosim,12345,\n")
    report = ingest_path(store, tmp_path / "src", name="demo")
    (rejection,) = report.rejections
    assert (rejection.location.line, "9 digits" in rejection.reason) == (3, True)
    link = next(iter(store.oxigraph.query(
        "SELECT ?r WHERE { GRAPH ?g { <https://w3id.org/innograph/id/org/arott> "
        "<https://w3id.org/innograph/def#cordisRecord> ?r } }")))
    assert link["r"].value == "https://w3id.org/innograph/id/org/pic/997395517"
