"""GET /regions/{nuts}: counts under a region, the country level, unknown codes."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import assert_problem


def test_nord_est_counts_its_illustrative_sme_and_rda(reader: TestClient) -> None:
    region = reader.get("/regions/RO21").json()
    assert region["region"] == {"iri": "http://data.europa.eu/nuts/code/RO21", "notation": "RO21",
                                "label": "Nord-Est"}
    assert region["broader"]["notation"] == "RO2" and len(region["narrower"]) == 6
    kinds = {k["kind"]["notation"]: k["organisations"] for k in region["organisations_by_kind"]}
    assert kinds == {"sme": 1, "regional-development-agency": 1}
    assert region["organisations"] == 2 and region["organisations_by_country_only"] == 0
    assert region["requests"] == 2  # both needs of the agro SME are located in RO21


def test_a_county_is_counted_in_its_region(reader: TestClient) -> None:
    bucharest = reader.get("/regions/ro321").json()  # any case
    assert bucharest["region"]["notation"] == "RO321"
    assert bucharest["organisations"] >= 8  # ministries, NASR and directorates, AIPPIMM, OSIM, example institute
    assert bucharest["offers"] == 2  # the agricultural engineering institute's offers
    region = reader.get("/regions/RO32").json()
    assert region["organisations"] >= bucharest["organisations"]


def test_country_includes_organisations_known_only_by_country(reader: TestClient) -> None:
    country = reader.get("/regions/RO").json()
    assert country["organisations_by_country_only"] > 1  # ARoTT and the Romanian H2020 participants
    assert country["projects"] > 0 and country["ec_contribution"] > 0
    assert "country" in country["note"]
    macro = sum(reader.get(f"/regions/{c['notation']}").json()["organisations"] for c in country["narrower"])
    assert country["organisations"] == macro + country["organisations_by_country_only"]


def test_unknown_region_is_404_with_valid_examples(reader: TestClient) -> None:
    body = assert_problem(reader.get("/regions/RO99"), 404)
    assert "RO99" in body["detail"] and "RO1" in body["detail"] and "/vocabularies/nuts2021" in body["detail"]
    assert_problem(reader.get("/regions/" + "X" * 17), 422)


def test_the_county_map_counts_organisations_by_kind(reader: TestClient) -> None:
    """Issue 11: the map's cells count universities, research organisations, public bodies, companies, SMEs."""
    page = reader.get("/network/gaps", params={"level": 3, "depth": 0, "limit": 100}).json()
    cells = {c["region"]["code"]: c for c in page["data"]}
    assert len(cells) == 43  # 42 counties + the unplaced row beside the map
    bucuresti, unplaced = cells["RO321"], cells["RO"]
    assert bucuresti["public_bodies"] >= 5  # ministries, NASR, AIPPIMM, OSIM (illustrative, placed in RO321)
    assert bucuresti["research_organisations"] >= 1 and bucuresti["companies"] == 0  # the example institute
    # Romanian CORDIS participants without a county: every kind shows in the unplaced row
    assert min(unplaced[k] for k in ("universities", "research_organisations", "public_bodies", "companies")) >= 1
    assert unplaced["universities"] + unplaced["research_organisations"] <= unplaced["research_units"]
    regions = {c["region"]["code"]: c for c in reader.get("/network/gaps", params={"level": 2, "depth": 0}).json()["data"]}
    nord_est = regions["RO21"]  # the illustrative agro SME (a company) and the RDA, placed in the region only
    assert (nord_est["companies"], nord_est["smes"], nord_est["public_bodies"], nord_est["universities"]) == (1, 1, 1, 0)


def test_a_region_summary_counts_organisations_by_kind_like_the_map(reader: TestClient) -> None:
    """Issue 11: /regions/{code} gives the same kind measures as the map's cells."""
    nord_est = reader.get("/regions/RO21").json()
    assert (nord_est["companies"], nord_est["smes"], nord_est["public_bodies"], nord_est["universities"],
            nord_est["research_organisations"]) == (1, 1, 1, 0, 0)  # the agro SME and the RDA
    cells = {c["region"]["code"]: c for c in reader.get("/network/gaps", params={"level": 3, "depth": 0, "limit": 100}).json()["data"]}
    bucuresti = reader.get("/regions/RO321").json()
    for measure in ("universities", "research_organisations", "public_bodies", "companies", "smes"):
        assert bucuresti[measure] == cells["RO321"][measure], measure
    country = reader.get("/regions/RO").json()
    for measure in ("universities", "research_organisations", "public_bodies", "companies"):
        placed = sum(c[measure] for code, c in cells.items() if code != "RO")
        assert country[measure] >= placed + cells["RO"][measure] > 0, measure
