"""Every failure is application/problem+json, from one mapping; bad input is never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from common.errors import (
    ConfigurationError,
    IngestRejectedError,
    InnographError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyQueryError,
    SourceError,
    StoreLockedError,
)
from tests.api.conftest import assert_problem


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFoundError("no such thing"), 404),
        (QuerySyntaxError("error at 1:8: expected WHERE"), 400),
        (ReadOnlyQueryError("updates are not allowed here"), 403),
        (QueryTimeoutError(2.0), 503),
        (IngestRejectedError("2 problems; nothing was written"), 422),
        (SourceError("x.csv", "the file is empty"), 422),
        (StoreLockedError("in use"), 503),
        (ConfigurationError("INNOGRAPH_X is malformed"), 500),
    ],
)
def test_domain_errors_map_to_statuses(client: TestClient, error: InnographError, status: int) -> None:
    @client.app.get("/raise")  # type: ignore[attr-defined, untyped-decorator]
    def boom() -> None:
        raise error

    body = assert_problem(client.get("/raise"), status)
    assert body["instance"] == "/raise"
    if status != 500:
        assert str(error) in body["detail"]
    if isinstance(error, (QueryTimeoutError, StoreLockedError)):
        assert client.get("/raise").headers["retry-after"]


def test_unexpected_exception_is_a_500_problem_without_internals(client: TestClient) -> None:
    @client.app.get("/bug")  # type: ignore[attr-defined, untyped-decorator]
    def bug() -> None:
        raise RuntimeError("secret internal state")

    body = assert_problem(client.get("/bug"), 500)
    assert "secret" not in body["detail"]


def test_unknown_route_and_method(reader: TestClient) -> None:
    body = assert_problem(reader.get("/no/such/route"), 404)
    assert "/docs" in body["detail"]
    assert_problem(reader.delete("/search"), 405)


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/search?q=osim&limit=-1", "limit"),
        ("/search?q=osim&offset=-5", "offset"),
        ("/search?q=osim&limit=100000", "limit"),
        ("/search?q=osim&limit=ten", "limit"),
        ("/search?q=o", "q"),
        ("/search", "q"),
        ("/search?q=osim&kind=planet", "kind"),
        ("/vocabularies/trl?limit=-1", "limit"),
        ("/organisations/osim?offset=-1", "offset"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(reader: TestClient, url: str, field: str) -> None:
    body = assert_problem(reader.get(url), 422)
    assert field in body["detail"]
    assert any(e["field"] == field and e["message"] for e in body["errors"])


def test_body_over_the_limit_is_413(make_client: Callable[..., TestClient], keys: Callable[..., str]) -> None:
    from api.keys import Role

    client = make_client(max_upload_bytes=1000)
    key = keys(Role.editor)
    files = [("files", ("organisations.csv", b"x" * 5000))]
    declared = client.post("/ingest", files=files, data={"name": "big"}, headers={"X-API-Key": key})
    body = assert_problem(declared, 413)
    assert "1,000 bytes" in body["detail"]

    def chunks() -> Any:  # no Content-Length: counted while it arrives
        yield b"a" * 600
        yield b"b" * 600

    chunked = client.post("/ingest", content=chunks(), headers={"X-API-Key": key,
                                                                  "Content-Type": "multipart/form-data; boundary=x"})
    assert_problem(chunked, 413)
