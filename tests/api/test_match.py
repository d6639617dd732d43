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


def test_a_romanian_need_says_how_it_was_read_and_which_channel_found_each_result(client: TestClient) -> None:
    response = client.post("/match", json={
        "text": "Căutăm parteneri pentru activități auxiliare pentru producția vegetală în regiunea Nord-Est",
        "limit": 5})
    assert response.status_code == 200, response.text
    body = response.json()
    understood = body["understood"]
    assert understood["language"] == "ro"
    assert "NACE 01.61 Support activities for crop production" in understood["summary"]
    assert "region Nord-Est" in understood["summary"]
    assert "Support activities for crop production" in understood["expansion"]
    assert "multilingual" in understood["channels"]
    top = body["data"][0]["explanation"]
    assert top["language"] == "ro" and top["understood"] == understood["summary"]
    assert top["found_by"] and set(top["found_by"]) <= {"lexical", "english", "multilingual"}
    assert "multilingual" in top["channels"]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Wir suchen eine günstigere Methode zur Getreidetrocknung ohne Gas", "other"),  # neither model's language
        ("și sau de la pe cu pentru care", "ro"),  # only stop words
        ("12345 2026", "none"),  # only digits
        ("grain drying зерно сушка 谷物干燥", "other"),  # mixed scripts
    ],
)
def test_odd_needs_get_a_ranked_answer_that_says_what_was_understood(client: TestClient, text: str,
                                                                     language: str) -> None:
    response = client.post("/match", json={"text": text, "limit": 3})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["understood"]["language"] == language
    assert isinstance(body["understood"]["summary"], str)
    assert all(item["explanation"]["language"] == language for item in body["data"])


@pytest.mark.parametrize("text", ["🙂🌾🔥", "!!! ??? ...", "\u200b\u200b"])
def test_a_need_without_letters_or_digits_is_a_422_naming_the_text(client: TestClient, text: str) -> None:
    response = client.post("/match", json={"text": text})
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "text" in response.text


def test_broken_utf8_in_the_json_body_is_a_4xx_not_a_500(client: TestClient) -> None:
    raw = b'{"text": "uscare cereale \xff\xfe f\xc3ra gaz"}'
    response = client.post("/match", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    lone_surrogate = '{"text": "uscare \\ud800 cereale"}'  # valid JSON escape, not encodable as UTF-8
    response = client.post("/match", content=lone_surrogate, headers={"content-type": "application/json"})
    assert response.status_code in (200, 422), response.text
