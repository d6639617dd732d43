"""GET /vocabularies and /vocabularies/{scheme}."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import assert_problem


def test_every_bundled_scheme_is_listed(reader: TestClient) -> None:
    body = reader.get("/vocabularies").json()
    ids = {s["id"] for s in body["data"]}
    assert ids == {"nuts2021", "trl", "org-kind", "nace2", "euroscivoc", "country", "role", "member-role",
                   "ipr-status", "action-area"}
    assert body["count"] == 10
    trl = next(s for s in body["data"] if s["id"] == "trl")
    assert trl["concepts"] == 9 and trl["title"] == "Technology readiness levels"


def test_trl_has_nine_levels_in_order(reader: TestClient) -> None:
    body = reader.get("/vocabularies/trl").json()
    assert body["count"] == 9 and len(body["data"]) == 9
    assert [c["notation"] for c in body["data"]] == [str(n) for n in range(1, 10)]
    assert body["data"][0]["labels"] == {"en": ["TRL 1"]} and body["data"][0]["definitions"]["en"]


def test_regions_page_with_broader_and_romanian_labels(reader: TestClient) -> None:
    body = reader.get("/vocabularies/nuts2021?limit=5&offset=1").json()
    assert body["count"] == 55 and len(body["data"]) == 5 and body["data"][0]["notation"] == "RO1"
    assert body["data"][0]["broader"] == ["http://data.europa.eu/nuts/code/RO"]
    assert "ro" in body["data"][0]["labels"]


def test_unknown_scheme_lists_the_known_ones(reader: TestClient) -> None:
    body = assert_problem(reader.get("/vocabularies/colours"), 404)
    assert "trl" in body["detail"] and "nuts2021" in body["detail"]
