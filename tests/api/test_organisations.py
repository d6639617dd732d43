"""GET /organisations/{id}: names, place, units, memberships, offers, projects and partners."""

from __future__ import annotations

import csv
import gzip
from collections import Counter
from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import H2020_ROWS, assert_problem
from tests.conftest import H2020_TABLE


def test_osim_profile_with_membership(reader: TestClient) -> None:
    osim = reader.get("/organisations/osim").json()
    assert osim["iri"] == "https://w3id.org/innograph/id/org/osim"
    assert osim["kind"]["notation"] == "patent-office" and osim["region"]["notation"] == "RO321"
    assert osim["country"]["notation"] == "RO"
    assert "OSIM" in osim["other_names"]
    assert "Oficiul de Stat pentru Invenții și Mărci" in {osim["name"], *osim["other_names"]}
    (membership,) = osim["memberships"]
    assert membership["partnership"]["label"] == "Union of innovation"
    assert membership["role"]["notation"] == "member"
    assert membership["evidence"] == "State Office for Inventions and Trademarks (OSIM)"
    assert {s.rsplit("/", 1)[-1] for s in osim["sources"]} == {"union-of-innovation", "ro-names"}


def test_units_and_parent(reader: TestClient) -> None:
    university = reader.get("/organisations/example-technical-university").json()
    assert {u["id"] for u in university["units"]} == {"example-manufacturing-lab", "example-vision-lab"}
    lab = reader.get("/organisations/example-vision-lab").json()
    assert lab["is_unit"] and lab["parent"]["id"] == "example-technical-university"
    assert lab["illustrative"] is True
    assert {o["title"] for o in lab["offers"]} >= {"Camera-based detection of fabric defects on the loom (illustrative)"}
    assert lab["offers"][0]["trl"]["notation"]


def test_requests_of_an_sme(reader: TestClient) -> None:
    sme = reader.get("/organisations/example-agro-sme").json()
    assert sme["sme"] is True and len(sme["requests"]) == 2
    assert {r["trl"]["notation"] for r in sme["requests"]} == {"6", "7"}


def busiest_pic() -> tuple[str, int]:
    """The PIC with most participations in the slice the tests load, and that number."""
    with gzip.open(H2020_TABLE, "rt", encoding="utf-8", newline="") as handle:
        rows = [row for i, row in enumerate(csv.DictReader(handle)) if i < H2020_ROWS]
    counts = Counter(row["pic"] for row in rows)
    pic, _ = counts.most_common(1)[0]
    return pic, len({row["rcn"] for row in rows if row["pic"] == pic})


def test_cordis_projects_are_paged_newest_first_with_partners(reader: TestClient) -> None:
    pic, projects = busiest_pic()
    profile = reader.get(f"/organisations/pic/{pic}?limit=500").json()
    assert profile["pic"] == pic and profile["kind"]["notation"] in {"HES", "REC", "PRC", "PUB", "OTH"}
    assert profile["projects"]["count"] >= projects >= 2
    starts = [p["start_date"] for p in profile["projects"]["data"]]
    assert starts == sorted(starts, reverse=True)
    assert all(p["role"]["notation"] and p["project"]["iri"] for p in profile["projects"]["data"])
    assert any(p["ec_contribution"] for p in profile["projects"]["data"])
    page = reader.get(f"/organisations/pic/{pic}?limit=1&offset=1").json()["projects"]
    assert page["data"] == profile["projects"]["data"][1:2] and page["limit"] == 1 and page["offset"] == 1
    shared = [p["shared_projects"] for p in profile["partners"]]
    assert shared and shared == sorted(shared, reverse=True) and len(shared) <= 50
    assert profile["partners_count"] >= len(shared)


def test_unknown_and_impossible_ids_are_404(reader: TestClient) -> None:
    body = assert_problem(reader.get("/organisations/no-such-org"), 404)
    assert "no-such-org" in body["detail"]
    assert_problem(reader.get("/organisations/pic/000000000"), 404)
    assert_problem(reader.get("/organisations/a%20b%3Cc%3E"), 404)


def test_ids_with_a_slash_reach_the_route(reader: TestClient, tmp_path: Path) -> None:
    pic, _ = busiest_pic()
    assert reader.get(f"/organisations/pic/{pic}").json()["id"] == f"pic/{pic}"


def test_cordis_directory_gives_name_short_name_address_and_county(data_dir: Path, make_client) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: a Romanian H2020 participant known only by PIC gets its name, short name and county with the method."""
    import gc

    from graph.store import GraphStore
    from ingest.bundled import REPO_DATA
    from ingest.loading import ingest_path

    store = GraphStore(data_dir / "store")
    assert ingest_path(store, REPO_DATA / "cordis" / "organisation_directory").kind == "cordis-organisations"
    del store
    gc.collect()
    client = make_client()
    simavi = client.get("/organisations/pic/897024185").json()
    assert simavi["name"] == "SOFTWARE IMAGINATION & VISION SRL" and simavi["short_name"] == "SIMAVI"
    assert simavi["region"]["notation"] == "RO321" and simavi["city"] == "Bucuresti"
    assert simavi["placement"]["method"] == "coordinates" and "RO321" in simavi["placement"]["evidence"]
    siveco = client.get("/organisations/pic/997983337").json()
    assert siveco["name"] == "SIVECO ROMANIA SA"
    assert siveco["placement"] == {"method": "postcode", "evidence": "postcode 013685, prefix 01 -> RO321",
                                   "unplaced_reason": None}
    for query in ("simavi", "software imagination", "897024185"):
        hits = client.get("/search", params={"q": query}).json()["data"]
        assert hits[0]["label"] == "SOFTWARE IMAGINATION & VISION SRL", query
    for city in ("Bucuresti", "bucurești"):  # by city, with and without diacritics (never shown as the name)
        found = client.get("/search", params={"q": city, "limit": 100}).json()["data"]
        assert "SOFTWARE IMAGINATION & VISION SRL" in [hit["label"] for hit in found], city
        assert city not in [hit["label"] for hit in found]
    # the partnership's members link to their CORDIS records (reviewed data/union-of-innovation/cordis_links.csv)
    vest = client.get("/organisations/adr-vest").json()
    assert [(r["id"], r["label"]) for r in vest["cordis_records"]] == [
        ("pic/999548141", "REGIONAL DEVELOPMENT AGENCY OF THE WEST REGION ROMANIA")]
    # the county map counts the placed organisations (SIMAVI is an SME in București)
    cells = {c["region"]["code"]: c for c in client.get("/network/gaps", params={"level": 3, "depth": 0, "limit": 100}).json()["data"]}
    assert cells["RO321"]["smes"] >= 1 and cells["RO321"]["supply"] >= 1


def test_a_member_linked_to_its_cordis_record_gets_the_records_partners(data_dir: Path, make_client) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: ig:cordisRecord gives the partnership member its record's EU projects in the ego network."""
    import gc

    from graph.store import GraphStore
    from ingest.loading import ingest_path

    pic, _ = busiest_pic()
    links = data_dir.parent / "links"
    links.mkdir()
    (links / "cordis_links.csv").write_text(f"org_id,pic,evidence\nosim,{pic},test link\n", encoding="utf-8")
    store = GraphStore(data_dir / "store")
    report = ingest_path(store, links, name="test-links")
    assert report.ok, report.rejections[:3]
    del store
    gc.collect()
    client = make_client()
    record = client.get(f"/network/ego/pic/{pic}", params={"max_nodes": 10}).json()  # its strongest ties
    member = client.get("/network/ego/osim", params={"max_nodes": 500}).json()
    theirs = {n["id"] for n in record["nodes"] if n["depth"] == 1} - {"osim"}
    ours = {n["id"] for n in member["nodes"] if n["depth"] == 1}
    assert theirs and theirs <= ours and f"pic/{pic}" in ours
