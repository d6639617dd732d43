"""POST /ingest with a remote SPARQL endpoint configured: /sparql (which reads the endpoint) sees the upload.

The endpoint is the Virtuoso the suite starts (fixtures ``endpoint`` and ``remote`` of tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from api.keys import Role
from graph.sparql import RemoteStore
from ontology._keys import graph_iri
from tests.api.conftest import assert_problem
from tests.ingest.readers.test_tabular import ORGS

FILES = [("files", ("organisations.csv", ORGS.encode(), "text/csv"))]
ASK = f"ASK {{ GRAPH {graph_iri('demo')} {{ ?o a <http://www.w3.org/ns/org#Organization> }} }}"


def test_an_upload_reaches_the_endpoint_that_sparql_reads(
    make_client: Callable[..., TestClient], keys: Callable[[Role], str], remote: RemoteStore,
) -> None:
    client = make_client(sparql_query_url=remote.query_url, sparql_update_url=remote.update_url)
    auth = {"Authorization": f"Bearer {keys(Role.editor)}"}
    response = client.post("/ingest", files=FILES, data={"name": "demo"}, headers=auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["remote"]["endpoint"] == remote.update_url and body["remote"]["written"]
    assert body["remote"]["quads_added"] == body["quads_added"] > 0
    answer = client.get("/sparql", params={"query": ASK}, headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200 and answer.json()["boolean"] is True


def test_a_dead_endpoint_is_503_and_the_embedded_store_keeps_the_upload(
    make_client: Callable[..., TestClient], keys: Callable[[Role], str],
) -> None:
    dead = "http://127.0.0.1:9/sparql"
    client = make_client(sparql_query_url=dead, sparql_update_url=dead)
    auth = {"Authorization": f"Bearer {keys(Role.editor)}"}
    response = client.post("/ingest", files=FILES, data={"name": "demo"}, headers=auth)
    problem = assert_problem(response, 503)
    assert problem["type"].endswith("/engine-unavailable") and response.headers["Retry-After"]
    assert "written to the embedded store" in problem["detail"] and dead in problem["detail"]
    assert graph_iri("demo") in set(client.app.state.store.named_graphs())  # type: ignore[attr-defined]
