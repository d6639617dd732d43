"""The OpenAPI document says what the server does (api.openapi_truth, api.errors.allowed_methods)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from api.openapi_truth import WRITES
from tests.api.conftest import assert_problem


def test_reads_declare_optional_security_writes_a_required_key(make_client: Callable[..., TestClient]) -> None:
    client = make_client()
    doc = client.get("/openapi.json").json()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            security = operation.get("security")
            if (method, path) in WRITES:
                assert security and {} not in security, (method, path)
            elif security:
                assert security[0] == {}, (method, path)
    # and the server agrees: an anonymous read is served, an anonymous write is refused
    assert client.get("/vocabularies").status_code == 200
    assert_problem(client.post("/sparql/update", content="CLEAR ALL",
                               headers={"Content-Type": "application/sparql-update"}), 401)


def test_without_anonymous_reading_every_key_is_required(make_client: Callable[..., TestClient]) -> None:
    doc = make_client(allow_anonymous_read=False).get("/openapi.json")
    assert doc.status_code in (200, 401)
    if doc.status_code == 200:
        for operations in doc.json()["paths"].values():
            assert all({} not in (op.get("security") or [{"x": []}]) for op in operations.values())


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("PUT", "/sparql", "GET, POST"),
    ("DELETE", "/sparql", "GET, POST"),
    ("PATCH", "/rdf-graphs/service?default", "GET, HEAD, POST, PUT, DELETE"),
    ("GET", "/sparql/update", "POST"),
    ("DELETE", "/match", "POST"),
])
def test_405_allow_lists_every_method_of_the_path(
    make_client: Callable[..., TestClient], method: str, path: str, allowed: str,
) -> None:
    response = make_client().request(method, path)
    body = assert_problem(response, 405)
    assert response.headers["Allow"] == allowed and allowed in body["detail"]
    doc = make_client().get("/openapi.json").json()["paths"][path.split("?")[0]]
    assert {m.upper() for m in doc} == set(allowed.split(", "))
