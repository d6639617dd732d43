"""GET /regions/{nuts}/indicators: JSON and CSV, the national figures beside, bad codes refused."""

from __future__ import annotations

import csv
import io

from fastapi.testclient import TestClient

from tests.api.conftest import assert_problem


def test_a_region_comes_with_the_national_figures(reader: TestClient) -> None:
    response = reader.get("/regions/ro21/indicators")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["region"]["notation"] == "RO21" and body["level"] == 2
    assert body["national"]["region"]["notation"] == "RO" and body["national"]["level"] == 0
    national = body["national"]["all_years"]
    assert national["active_organisations"] > 0 and national["ec_contribution"] > 0  # the CORDIS slice, by country
    assert national["collaborations"]["abroad"] > 0
    assert body["all_years"]["expressions_of_interest"] == 0  # the server's inbox is connected: none sent yet
    assert body["all_years"]["new_requests"] == 0  # the agro SME's needs are illustrative: never counted
    years = [y["year"] for y in body["national"]["years"]]
    assert years == sorted(years) and all(isinstance(y, int) for y in years)
    assert body["undated"]["year"] is None and "Active organisations" in body["definitions"]


def test_csv_by_parameter_or_accept_header(reader: TestClient) -> None:
    by_format = reader.get("/regions/RO21/indicators?format=csv")
    by_accept = reader.get("/regions/RO21/indicators", headers={"Accept": "text/csv"})
    for response in (by_format, by_accept):
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(by_format.text)))
    assert by_format.text == by_accept.text
    assert {r["region"] for r in rows} == {"RO21", "RO"}
    national_all = next(r for r in rows if r["region"] == "RO" and r["year"] == "all")
    body = reader.get("/regions/RO21/indicators").json()
    assert int(national_all["active_organisations"]) == body["national"]["all_years"]["active_organisations"]
    assert int(national_all["collaborations.abroad"]) == body["national"]["all_years"]["collaborations"]["abroad"]


def test_unknown_code_is_404_and_malformed_422(reader: TestClient) -> None:
    assert "RO99" in assert_problem(reader.get("/regions/RO99/indicators"), 404)["detail"]
    assert_problem(reader.get("/regions/R%C3%98-1/indicators"), 422)
    assert_problem(reader.get("/regions/RO2112345/indicators"), 422)
    assert_problem(reader.get("/regions/RO21/indicators?format=xml"), 422)
