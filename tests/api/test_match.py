"""POST /match and /match/demand over HTTP: ranked, explained, paginated, and 4xx on bad input."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    return make_client()


def test_match_returns_explained_results(client: TestClient) -> None:
    response = client.post("/match", json={"text": "we need a cheaper way to dry grain without gas", "limit": 3,
                                           "context": {"region": "RO21"}})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] >= 3 and len(body["data"]) == 3
    top = body["data"][0]
    assert "grain" in top["name"].lower() or "grain" in top["explanation"]["matched_terms"]
    assert set(top["explanation"]) >= {"dense", "lexical", "fused", "signals", "matched_terms", "shared_concepts"}


def test_match_demand_finds_requests(client: TestClient) -> None:
    response = client.post("/match/demand", json={"text": "camera-based inspection of fabric defects", "limit": 5})
    assert response.status_code == 200, response.text
    assert {item["kind"] for item in response.json()["data"]} <= {"request", "sme"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 100_000}, "text"),
        ({"text": "grain", "filters": {"regions": ["RO99"]}}, "regions"),
        ({"text": "grain", "limit": -1}, "limit"),
        ({"text": "grain", "filters": {"colour": "red"}}, "colour"),
    ],
)
def test_bad_match_requests_get_a_4xx_problem_naming_the_field(client: TestClient, body: dict, field: str) -> None:
    response = client.post("/match", json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert any(error["field"] == field for error in problem["errors"]), problem


def test_match_is_readable_anonymously_only_when_allowed(make_client: Callable[..., TestClient]) -> None:
    closed = make_client(allow_anonymous_read=False)
    assert closed.post("/match", json={"text": "grain"}).status_code == 401
