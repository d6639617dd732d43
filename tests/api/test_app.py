"""The application as a whole: OpenAPI document, health and readiness, the base graphs."""

from __future__ import annotations

import gc
from pathlib import Path

import pyoxigraph as ox
from fastapi.testclient import TestClient

from api.app import create_app
from common.settings import Settings
from ontology import IRI_PREFIXES
from ontology._keys import graph_iri
from tests.api.conftest import assert_problem


def test_openapi_documents_every_endpoint_with_examples_and_problem_errors(reader: TestClient) -> None:
    doc = reader.get("/openapi.json").json()
    assert doc["info"]["title"] == "innograph" and doc["info"]["version"]
    expected = {"/health", "/ready", "/stats", "/search", "/organisations/{org_id}", "/regions/{nuts}",
                "/vocabularies", "/vocabularies/{scheme}", "/ingest"}
    assert expected <= set(doc["paths"])
    schemas = doc["components"]["schemas"]
    assert "Problem" in schemas and "HTTPValidationError" not in schemas
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary"), (method, path)
            for status, response in operation["responses"].items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, status)
            params = [p for p in operation.get("parameters", []) if p["in"] in {"path"} or p["name"] == "q"]
            for param in params:
                assert param.get("examples"), (path, param["name"])
    for model in ("SearchResults", "OrganisationPublic", "RegionSummary", "SchemeConcepts", "IngestReport",
                  "StoreStatistics", "Health", "Readiness", "SchemeList"):
        assert schemas[model].get("examples"), model
    assert {"bearer", "apiKey"} <= set(doc["components"]["securitySchemes"])


def test_health_and_ready(reader: TestClient) -> None:
    assert reader.get("/health").json()["status"] == "ok"
    ready = reader.get("/ready").json()
    assert ready["status"] == "ready" and ready["missing"] == [] and ready["graphs"] >= 14


def test_ready_is_503_without_a_vocabulary(data_dir: Path) -> None:
    app = create_app(Settings(data_dir=data_dir))
    app.state.store.clear_graph(graph_iri("vocab-trl"))
    with TestClient(app, raise_server_exceptions=False) as client:
        body = assert_problem(client.get("/ready"), 503)
        assert "vocab-trl" in body["detail"]
        assert client.get("/health").status_code == 200


def test_a_fresh_data_folder_gets_the_base_vocabularies(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path))
    graphs = set(app.state.store.named_graphs())
    assert graph_iri("vocab-trl") in graphs and graph_iri("ontology") in graphs
    assert ox.NamedNode("https://w3id.org/innograph/graph/provenance") in graphs
    del app
    gc.collect()


def test_stats(reader: TestClient) -> None:
    stats = reader.get("/stats").json()
    assert stats["quads"] > 0
    assert any(c["class"].endswith("#Participation") for c in stats["classes"])
    assert {s["graph"].rsplit("/", 1)[-1] for s in stats["sources"]} >= {"illustrative", "union-of-innovation"}


def test_config_gives_the_iri_scheme_the_ui_turns_iris_into_ids_with(reader: TestClient) -> None:
    response = reader.get("/config")
    assert response.status_code == 200
    prefixes = response.json()["iri_prefixes"]
    assert prefixes == IRI_PREFIXES
    assert prefixes["organisation"] == "https://w3id.org/innograph/id/org/"
    hits = [h for h in reader.get("/search", params={"q": "OSIM"}).json()["data"] if h["kind"] == "organisation"]
    assert hits
    org_id = hits[0]["iri"].removeprefix(prefixes["organisation"])
    assert org_id == hits[0]["id"]
    assert reader.get(f"/organisations/{org_id}").json()["iri"] == hits[0]["iri"]
    operation = reader.get("/openapi.json").json()["paths"]["/config"]["get"]
    assert "security" not in operation  # the UI reads it before any key is entered
