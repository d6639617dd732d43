"""GET /network/... over HTTP: JSON and CSV, pagination, filters, problem+json on bad input,
and the web UI's files served from the same origin."""

from __future__ import annotations

import csv
import gc
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from common.settings import Settings
from tests.api.conftest import assert_problem, copy_data
from tests.ui._app import app_with_ui


@pytest.fixture(scope="module")
def api(api_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = copy_data(api_template, tmp_path_factory.mktemp("network-api") / "data")
    with TestClient(app_with_ui(Settings(data_dir=data, warm_on_start=False, rate_limit_anonymous=0)), raise_server_exceptions=False) as client:
        yield client
    gc.collect()


@pytest.fixture(scope="module")
def hub(api: TestClient) -> str:
    return str(api.get("/network/centrality", params={"sort": "degree", "limit": 1}).json()["data"][0]["id"])


def rows(response: object) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    assert response.headers["content-type"].startswith("text/csv")  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(response.text)))  # type: ignore[attr-defined]


def test_summary_and_edges_page_and_export(api: TestClient) -> None:
    summary = api.get("/network").json()
    assert summary["organisations"] > 100 and summary["edges"] > summary["organisations"]
    page = api.get("/network/edges", params={"limit": 5, "offset": 5}).json()
    assert page["count"] == summary["edges"] and len(page["data"]) == 5 and page["offset"] == 5
    first = api.get("/network/edges", params={"limit": 10}).json()["data"]
    assert [e["projects"] for e in first] == sorted((e["projects"] for e in first), reverse=True)
    assert first[5:] == page["data"]
    exported = rows(api.get("/network/edges", params={"limit": 10, "format": "csv"}))
    assert [r["source"] for r in exported] == [e["source"] for e in first]
    assert set(exported[0]) == {"source", "target", "projects", "ec_contribution"}
    by_header = rows(api.get("/network/edges", params={"limit": 3}, headers={"Accept": "text/csv"}))
    assert len(by_header) == 3


def test_filters_narrow_the_network(api: TestClient) -> None:
    everything = api.get("/network").json()
    romanian = api.get("/network", params={"country": "RO"}).json()
    assert 0 < romanian["organisations"] < everything["organisations"]
    assert romanian["filter"] == {"countries": ["RO"]}
    recent = api.get("/network", params={"year_from": 2019, "kind": ["HES", "REC"]}).json()
    assert recent["edges"] < everything["edges"]


def test_ego_network_for_a_picture_and_as_csv(api: TestClient, hub: str) -> None:
    ego = api.get(f"/network/ego/{hub}", params={"max_nodes": 8, "communities": "true"}).json()
    assert ego["centre"] == hub and len(ego["nodes"]) == 8 and ego["truncated"]
    assert all(node["community"] is not None for node in ego["nodes"])
    ids = {n["id"] for n in ego["nodes"]}
    assert all(e["source"] in ids and e["target"] in ids for e in ego["edges"])
    osim = api.get("/network/ego/osim").json()
    assert osim["partners"] == 12 and {n["id"] for n in osim["nodes"]} >= {"osim", "adr-nord-est"}
    assert len(rows(api.get("/network/ego/osim", params={"format": "csv"}))) == 12 * 13 // 2


def test_who_can_introduce_me(api: TestClient) -> None:
    found = api.get("/network/path", params={"source": "adr-nord-est", "target": "osim"}).json()
    assert found["distance"] == 1
    step = found["paths"][0]["steps"][0]
    assert step["via"][0] == {"iri": "https://w3id.org/innograph/id/partnership/union-of-innovation",
                              "label": "Union of innovation", "start_year": None, "kind": "partnership"}
    exported = rows(api.get("/network/path", params={"source": "adr-nord-est", "target": "osim", "format": "csv"}))
    assert exported[0]["via"] == "Union of innovation"


def test_communities_centrality_and_brokers(api: TestClient) -> None:
    communities = api.get("/network/communities", params={"limit": 3}).json()
    assert communities["count"] >= 3 and communities["method"].startswith("Leiden")
    first = communities["data"][0]
    members = api.get(f"/network/communities/{first['community']}", params={"limit": 2}).json()
    assert members["count"] == first["size"] and len(members["data"]) == 2
    central = api.get("/network/centrality", params={"limit": 5}).json()
    assert central["betweenness_method"] == "exact"
    scores = [r["betweenness"] for r in central["data"]]
    assert scores == sorted(scores, reverse=True)
    exported = rows(api.get("/network/centrality", params={"limit": 5, "sort": "degree", "format": "csv"}))
    assert {"degree", "strength", "ec_contribution", "betweenness"} <= set(exported[0])
    brokers = api.get("/network/brokers", params={"by": "country", "between": ["RO", "DE"], "limit": 5}).json()
    assert brokers["count"] > 0 and brokers["between"] == ["DE", "RO"]
    exported = rows(api.get("/network/brokers", params={"by": "country", "limit": 2, "format": "csv"}))
    assert ":" in exported[0]["partner_groups"]  # "DE:12|FR:9 ..."


def test_gaps_region_by_field(api: TestClient) -> None:
    gaps = api.get("/network/gaps", params={"limit": 3}).json()
    top = gaps["data"][0]
    assert (top["region"]["code"], top["field"]["notation"], top["status"]) == ("RO21", "A", "unmet")
    assert len(gaps["regions"]) == 9  # 8 development regions + the country row
    counties = rows(api.get("/network/gaps", params={"level": 3, "field": "A", "limit": 100, "format": "csv"}))
    assert len(counties) == 43 and {"region.code", "field.notation", "supply", "demand", "gap"} <= set(counties[0])


@pytest.mark.parametrize(("url", "status", "field"), [
    ("/network?region=RO99", 422, "region"),
    ("/network?year_from=1800", 422, "year_from"),
    ("/network/edges?limit=100000", 422, "limit"),
    ("/network/ego/osim?depth=3", 422, "depth"),
    ("/network/path?source=osim", 422, "target"),
    ("/network/brokers?between=ZZ", 422, "between"),
    ("/network/gaps?field=nonsense-field", 422, "field"),
    ("/network/edges?format=xml", 422, "format"),
])
def test_bad_input_is_a_problem_naming_the_field(api: TestClient, url: str, status: int, field: str) -> None:
    body = assert_problem(api.get(url), status)
    assert any(error["field"] == field for error in body["errors"]), body


def test_unknown_organisations_and_communities_are_404(api: TestClient) -> None:
    assert_problem(api.get("/network/ego/no-such-org"), 404)
    assert_problem(api.get("/network/path", params={"source": "osim", "target": "pic/000000000"}), 404)
    assert_problem(api.get("/network/communities/999999"), 404)


def test_the_web_ui_is_served_from_the_same_origin(api: TestClient) -> None:
    page = api.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/ui/js/app.js" in page.text and "http" not in page.text.split("<body>")[0].replace("http-equiv", "")
    assert api.get("/ui/js/app.js").headers["content-type"].startswith("text/javascript")
    geo = api.get("/ui/data/nuts-ro.geojson").json()
    assert len([f for f in geo["features"] if f["properties"]["LEVL_CODE"] == 3]) == 42
    assert api.get("/ui/vendor/cytoscape.min.js").status_code in (200, 404)  # 404 until `npm ci --prefix ui`
    for forbidden in ("/ui/../api/app.py", "/ui/node_modules/cytoscape/package.json", "/ui/package-lock.json.bak"):
        assert api.get(forbidden).status_code == 404
    assert "/network/edges" in api.get("/openapi.json").json()["paths"]
