"""The warm-up at start (api.warmup): /ready lists the components and says 503 until each is built;
a request that needs one still building gets a 503 problem with Retry-After at once, then 200.

The real builds run; the matching index's build is held back by an event so that the test sees
the server while it is warming, whatever the speed of the machine.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from common.settings import Settings
from graph.network import collaboration
from tests.api.conftest import assert_problem

NEED = {"text": "sensors for monitoring water quality in rivers", "limit": 3}
COUNT = {"query": "MATCH (o:Organisation) RETURN count(o) AS n"}


def _component(body: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in body["components"] if c["name"] == name)


def _wait_ready(client: TestClient, seconds: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        response = client.get("/ready")
        if response.status_code == 200:
            return response.json()  # type: ignore[no-any-return]
        time.sleep(0.5)
    raise AssertionError(f"not ready after {seconds} s: {client.get('/ready').text}")


def test_requests_get_503_while_warming_then_200(data_dir: Path) -> None:
    app = create_app(Settings(data_dir=data_dir, warm_on_start=True))
    matcher = app.state.matcher
    real_index, gate, entered = matcher.index, threading.Event(), threading.Event()

    def held_index(direction: str) -> Any:
        entered.set()
        assert gate.wait(600)
        return real_index(direction)

    matcher.index = held_index
    with TestClient(app, raise_server_exceptions=False) as client:
        assert entered.wait(120)  # the warm-up thread is building the supply index now
        body = assert_problem(client.get("/ready"), 503)
        assert client.get("/ready").headers["Retry-After"].isdigit()
        assert _component(body, "matching index (supply)")["state"] == "building"
        assert _component(body, "matching index (supply)")["elapsed_seconds"] is not None
        assert _component(body, "cypher projection (embedded)")["state"] == "pending"
        assert _component(body, "store")["state"] == "ready"
        assert 0 < body["progress"] < 1

        for path, json in (("/match", NEED), ("/match/demand", NEED), ("/cypher", COUNT)):
            response = client.post(path, json=json)
            problem = assert_problem(response, 503)
            assert int(response.headers["Retry-After"]) > 0
            assert problem["type"].endswith("/warming-up") and problem["components"], path
            assert 0 < problem["progress"] < 1
        assert_problem(client.get("/network"), 503)
        assert client.get("/health").status_code == 200
        # not gated: search builds its index first, SPARQL reads the disk store until the replica is up
        assert client.get("/search", params={"q": "institut"}).status_code == 200
        assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"}).status_code == 200

        gate.set()
        ready = _wait_ready(client)
        assert ready["status"] == "ready" and ready["progress"] == 1.0
        assert {c["state"] for c in ready["components"]} == {"ready"}
        assert all(c["finished_at"] for c in ready["components"])
        assert all(c["seconds"] is not None for c in ready["components"] if c["name"] != "store")
        # issue 14: the report gives the network part's memory, and /match reads the network /network built
        assert _component(ready, "network data")["rss_delta_mb"] is not None
        assert app.state.matcher.network() is collaboration(app.state.store)
        assert client.post("/match", json=NEED).json()["data"]
        assert client.post("/match/demand", json=NEED).status_code == 200
        assert client.post("/cypher", json=COUNT).json()["rows"][0][0] > 0
        assert client.get("/network").status_code == 200


def test_a_failed_component_keeps_ready_at_503_and_requests_build_it(data_dir: Path) -> None:
    app = create_app(Settings(data_dir=data_dir, warm_on_start=True))
    matcher = app.state.matcher
    real_index = matcher.index
    failures = iter([RuntimeError("disk full")])

    def failing_once(direction: str) -> Any:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        return real_index(direction)

    matcher.index = failing_once
    with TestClient(app, raise_server_exceptions=False) as client:
        deadline = time.monotonic() + 600
        while _component(client.get("/ready").json(), "cypher projection (embedded)")["state"] != "ready":
            assert time.monotonic() < deadline
            time.sleep(0.5)
        body = assert_problem(client.get("/ready"), 503)
        supply = _component(body, "matching index (supply)")
        assert supply["state"] == "failed" and "disk full" in supply["error"]
        assert "supply matching index" in body["detail"]
        # a failed component does not gate: the request builds it and answers
        assert client.post("/match", json=NEED).status_code == 200


def test_without_warm_up_only_the_store_is_listed(make_client: Any) -> None:
    client = make_client()
    body = client.get("/ready").json()
    assert body["status"] == "ready" and [c["name"] for c in body["components"]] == ["store"]
    assert client.post("/match", json=NEED).status_code == 200  # built on first use, as before
