"""Bounded cost per request (api.throttle): rate limits per caller, slots per expensive kind.

The slot tests hold the real computation (Leiden, a Cypher query, a SPARQL query) behind an event,
so one request is surely running when the next arrives, whatever the speed of the machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.keys import Role
from api.throttle import RateLimiter, kind_of
from graph.network import _metrics as network_metrics
from graph.sparql._service import SparqlService
from tests.api.conftest import assert_problem

SPARQL = {"Accept": "application/sparql-results+json"}


def test_anonymous_callers_get_429_beyond_their_rate_and_keys_a_higher_one(
    make_client: Callable[..., TestClient], keys: Callable[[Role], str],
) -> None:
    key = keys(Role.reader)
    client = make_client(rate_limit_anonymous=3, rate_limit_key=50)
    for _ in range(3):
        assert client.get("/vocabularies").status_code == 200
    response = client.get("/vocabularies")
    body = assert_problem(response, 429)
    assert body["type"].endswith("/rate-limited") and body["limit_per_minute"] == 3
    assert int(response.headers["Retry-After"]) >= 1 and "API key" in body["detail"]
    assert client.get("/health").status_code == 200 and client.get("/ready").status_code == 200  # probes: free
    for _ in range(10):
        assert client.get("/vocabularies", headers={"X-API-Key": key}).status_code == 200


def test_token_bucket_refills_with_time(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("api.throttle.time.monotonic", lambda: now[0])
    limiter = RateLimiter()
    assert [limiter.take("a", 60) for _ in range(60)] == [0.0] * 60
    assert limiter.take("a", 60) == pytest.approx(1.0)
    assert limiter.take("b", 60) == 0.0  # buckets are per caller
    now[0] += 2.0
    assert limiter.take("a", 60) == 0.0 and limiter.take("a", 60) == 0.0 and limiter.take("a", 60) > 0
    assert limiter.take("a", 0) == 0.0  # 0: no limit


def test_buckets_stay_bounded_under_many_busy_callers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("api.throttle.MAX_BUCKETS", 100)
    limiter = RateLimiter()
    for caller in range(1000):
        for _ in range(3):  # each caller drains its bucket: none may be forgotten as idle
            limiter.take(f"addr:{caller}", 2)
    assert len(limiter._buckets) <= 100
    assert limiter.take("addr:999", 2) > 0  # the most recent callers are still limited


def test_kinds() -> None:
    assert kind_of("/sparql") == kind_of("/sparql/") == "sparql" and kind_of("/cypher") == "cypher"
    assert kind_of("/network/communities/3") == kind_of("/network/gaps") == "analytics"
    assert kind_of("/network") is None and kind_of("/match") is None
    assert kind_of("/network/ego/osim") is None and kind_of("/network/ego/osim", "communities=false") is None
    assert kind_of("/network/ego/osim", "depth=2&communities=true") == "analytics"  # a Leiden run


@contextmanager
def held(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> Iterator[threading.Event]:
    """Make ``owner.name`` wait for the yielded event before it runs for real; says when it entered."""
    real, gate, entered = getattr(owner, name), threading.Event(), threading.Event()

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        entered.set()
        assert gate.wait(120)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, wrapper)
    try:
        yield entered
    finally:
        gate.set()
        monkeypatch.setattr(owner, name, real)


CASES: dict[str, tuple[Any, ...]] = {
    "analytics": (network_metrics, "communities", ("GET", "/network/communities", {"params": {"resolution": 7.41}}),
                  ("GET", "/network/centrality", {})),
    "cypher": ("api.routes.cypher", "run_cypher",
               ("POST", "/cypher", {"json": {"query": "MATCH (o:Organisation) RETURN count(o) AS n"}}),
               ("POST", "/cypher", {"json": {"query": "MATCH (r:Region) RETURN count(r) AS n"}})),
    "sparql": (SparqlService, "query", ("GET", "/sparql", {"params": {"query": "ASK { ?s ?p ?o }"}, "headers": SPARQL}),
               ("POST", "/sparql", {"data": {"query": "ASK { ?s ?p ?o }"}, "headers": SPARQL})),
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_beyond_its_slots_a_kind_answers_503_with_retry_after(
    kind: str, make_client: Callable[..., TestClient], monkeypatch: pytest.MonkeyPatch,
) -> None:
    owner, name, first, second = CASES[kind]
    if isinstance(owner, str):
        owner = __import__(owner, fromlist=["_"])
    client = make_client(**{f"{kind}_slots": 1, "slot_wait_s": 0.2})
    results: list[Any] = []
    with held(monkeypatch, owner, name) as entered:
        worker = threading.Thread(target=lambda: results.append(client.request(first[0], first[1], **first[2])))
        worker.start()
        assert entered.wait(120)
        refused = client.request(second[0], second[1], **second[2])
        body = assert_problem(refused, 503)
        assert body["type"].endswith("/overloaded") and body["kind"] == kind and body["slots"] == 1
        assert int(refused.headers["Retry-After"]) > 0
        assert client.post("/match", json={"text": "water quality sensors"}).status_code == 200  # others go on
        if kind == "analytics":  # an ego network with communities is a Leiden run too
            assert_problem(client.get("/network/ego/osim", params={"communities": "True"}), 503)
    worker.join(120)
    assert results and results[0].status_code == 200, results[0].text
    assert client.request(second[0], second[1], **second[2]).status_code == 200  # the slot is free again
    if kind == "analytics":
        assert results[0].json()["resolution"] == 10.0  # 7.41 taken to the nearest documented value


def test_openapi_documents_429_and_503_with_retry_after(make_client: Callable[..., TestClient]) -> None:
    doc = make_client().get("/openapi.json").json()
    for path, method in (("/network/communities", "get"), ("/cypher", "post"), ("/match", "post")):
        responses = doc["paths"][path][method]["responses"]
        assert "Retry-After" in responses["429"]["headers"], path
        assert "application/problem+json" in responses["429"]["content"], path
    assert "Retry-After" in doc["paths"]["/cypher"]["post"]["responses"]["503"]["headers"]
    assert "429" not in doc["paths"]["/health"]["get"]["responses"]
