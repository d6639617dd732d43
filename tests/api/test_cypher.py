"""POST /cypher: readers read, admins write, limits are reported, errors are problems."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import Role
from api.routes import cypher as cypher_route
from common.settings import Settings
from tests.api.conftest import assert_problem

pytest_plugins = ("tests.graph.cypher.cypher_fixtures",)

COUNT_RO = "MATCH (o:Organisation {country: $country}) RETURN count(o) AS n"


def app_with_cypher(settings: Settings) -> FastAPI:
    """The application, with the /cypher router added if ``api.routes`` does not list it yet."""
    app = create_app(settings)
    if not any(getattr(route, "path", None) == "/cypher" for route in app.routes):
        app.include_router(cypher_route.router)
    return app


@pytest.fixture
def make(data_dir: Path) -> Iterator[Callable[..., TestClient]]:
    clients: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        while clients:
            clients.pop().__exit__(None, None, None)
        gc.collect()
        client = TestClient(app_with_cypher(Settings(data_dir=data_dir, **{"warm_on_start": False, **overrides})), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.__exit__(None, None, None)
    gc.collect()


def test_a_reader_queries_and_the_projection_is_built_on_first_use(make: Callable[..., TestClient],
                                                                    data_dir: Path) -> None:
    assert not (data_dir / "cypher" / "graph.lbug").exists()
    response = make().post("/cypher", json={"query": COUNT_RO, "parameters": {"country": "RO"}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["columns"] == ["n"] and body["rows"][0][0] > 10
    assert body["engine"] == "embedded" and body["truncated"] is False and body["elapsed_ms"] > 0
    assert (data_dir / "cypher" / "graph.lbug").exists()


def test_writes_are_403_for_readers_and_editors(make: Callable[..., TestClient], keys: Callable[[Role], str]) -> None:
    client = make()
    write = {"query": "MATCH (o:Organisation {id: 'osim'}) SET o.name = 'x'"}
    body = assert_problem(client.post("/cypher", json=write), 403)
    assert "SET" in body["detail"] and "admin" in body["detail"]
    editor = {"Authorization": f"Bearer {keys(Role.editor)}"}
    assert_problem(client.post("/cypher", json=write, headers=editor), 403)


def test_an_admin_may_write(make: Callable[..., TestClient], keys: Callable[[Role], str]) -> None:
    client = make()
    admin = {"Authorization": f"Bearer {keys(Role.admin)}"}
    response = client.post("/cypher", headers=admin,
                           json={"query": "MATCH (o:Organisation {id: 'osim'}) SET o.name = 'OSIM (edited)' RETURN o.name"})
    assert response.status_code == 200, response.text
    after = client.post("/cypher", json={"query": "MATCH (o:Organisation {id: 'osim'}) RETURN o.name"})
    assert after.json()["rows"] == [["OSIM (edited)"]]


def test_the_row_cap_is_reported(make: Callable[..., TestClient]) -> None:
    client = make(cypher_row_cap=5)
    body = client.post("/cypher", json={"query": "MATCH (o:Organisation) RETURN o.iri"}).json()
    assert len(body["rows"]) == 5 and body["truncated"] is True
    assert "cut at 5 rows" in body["notice"] and body["total_rows"] > 5
    smaller = client.post("/cypher", json={"query": "MATCH (o:Organisation) RETURN o.iri", "limit": 2}).json()
    assert len(smaller["rows"]) == 2 and smaller["truncated"]


def test_a_runaway_query_is_stopped(make: Callable[..., TestClient]) -> None:
    response = make().post("/cypher", json={
        "query": "MATCH (a:Organisation)-[:PARTICIPATES_IN*1..12]-(b:Organisation) RETURN count(*)",
        "timeout_s": 1})
    body = assert_problem(response, 503)
    assert body["type"].endswith("query-timeout")


@pytest.mark.parametrize(("payload", "status"), [
    ({"query": "MATCH (o:Organisation RETURN o"}, 400),
    ({"query": "MATCH (o) RETURN o", "engine": "neo4j"}, 422),  # not configured here
    ({"query": ""}, 422),
    ({"query": "RETURN 1", "limit": 0}, 422),
    ({"query": "RETURN $x", "parameters": {"x y": 1}}, 422),
    ({"query": "RETURN $x", "parameters": {"x": [1, "two"]}}, 422),  # a list the engine cannot type
])
def test_bad_requests_are_problems(make: Callable[..., TestClient], payload: dict[str, Any], status: int) -> None:
    assert_problem(make().post("/cypher", json=payload), status)


def test_the_projection_follows_an_ingest(make: Callable[..., TestClient], keys: Callable[[Role], str]) -> None:
    client = make()
    before = client.post("/cypher", json={"query": COUNT_RO, "parameters": {"country": "RO"}}).json()["rows"][0][0]
    csv = "org_id,name,kind,country,nuts\nexample-cypher-lab,Example Cypher Lab (test),research-unit,RO,RO21\n"
    response = client.post("/ingest", headers={"Authorization": f"Bearer {keys(Role.editor)}"},
                           files={"files": ("organisations.csv", csv.encode(), "text/csv")}, data={"name": "cypher-lab"})
    assert response.status_code in (200, 201), response.text
    after = client.post("/cypher", json={"query": COUNT_RO, "parameters": {"country": "RO"}}).json()["rows"][0][0]
    assert after == before + 1


def test_neo4j_through_the_api(make: Callable[..., TestClient], neo4j_server: dict[str, str]) -> None:
    client = make(neo4j_uri=neo4j_server["uri"], neo4j_user=neo4j_server["user"],
                  neo4j_password=neo4j_server["password"] or None)
    response = client.post("/cypher", json={"query": COUNT_RO, "parameters": {"country": "RO"}, "engine": "neo4j"})
    assert response.status_code == 200, response.text
    embedded = client.post("/cypher", json={"query": COUNT_RO, "parameters": {"country": "RO"}})
    assert response.json()["rows"] == embedded.json()["rows"] and response.json()["engine"] == "neo4j"
    assert_problem(client.post("/cypher", json={"query": "CREATE (n:X)", "engine": "neo4j"}), 403)
