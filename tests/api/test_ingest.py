"""POST /ingest: the CLI's pipeline and report over HTTP, with every rejection located."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from fastapi.testclient import TestClient

from api.keys import Role
from api.routes.ingest import SourceKind
from ingest.readers import READERS
from tests.api.conftest import assert_problem

HEADER = "org_id,name,kind,country,nuts\n"
GOOD = "example-new-sme,Example New SME (illustrative),sme,RO,RO21\n"
BAD_NUTS = "example-bad-sme,Example Bad SME (illustrative),sme,RO,RO99\n"
OFFERS = (
    "offer_id,org_id,title,description,trl,illustrative\n"
    "offer-new,example-new-sme,New offer (illustrative),Something offered,5,true\n"
)


@pytest.fixture
def post(client: TestClient, keys: Callable[[Role], str]) -> Callable[..., httpx.Response]:
    key = keys(Role.editor)

    def send(files: dict[str, str | bytes], **form: str) -> httpx.Response:
        parts = [("files", (name, body.encode() if isinstance(body, str) else body)) for name, body in files.items()]
        return client.post("/ingest", files=parts, data={"name": "uploads", **form}, headers={"X-API-Key": key})

    return send


def test_one_bad_row_is_reported_with_file_line_field_reason(
    post: Callable[..., httpx.Response], client: TestClient
) -> None:
    response = post({"organisations.csv": HEADER + GOOD + BAD_NUTS})
    body = assert_problem(response, 422)
    assert body["type"].endswith("/ingest-rejected") and body["written"] is True
    (error,) = body["errors"]
    assert error["location"] == "organisations.csv:3" and error["field"] == "nuts" and "RO99" in error["message"]
    report = body["report"]
    (rejection,) = report["rejections"]
    assert (rejection["file"], rejection["line"], rejection["field"]) == ("organisations.csv", 3, "nuts")
    assert "unknown nuts2021 code 'RO99'" in rejection["reason"]
    assert report["files"] == ["organisations.csv"] and report["source"] == "uploads"
    assert (report["records_read"], report["records_written"]) == (2, 1)
    assert report["graph"] == "https://w3id.org/innograph/graph/uploads"
    assert client.get("/organisations/example-new-sme").status_code == 200  # the valid row landed
    assert client.get("/organisations/example-bad-sme").status_code == 404


def test_strict_writes_nothing_but_still_lists_the_rejections(
    post: Callable[..., httpx.Response], client: TestClient
) -> None:
    body = assert_problem(post({"organisations.csv": HEADER + GOOD + BAD_NUTS}, strict="true"), 422)
    assert body["written"] is False and body["report"]["strict"] is True
    assert body["errors"][0]["field"] == "nuts" and "strict" in body["detail"]
    assert client.get("/organisations/example-new-sme").status_code == 404


def test_clean_upload_of_several_files_then_unchanged_rerun(
    post: Callable[..., httpx.Response], client: TestClient
) -> None:
    files = {"organisations.csv": HEADER + GOOD, "offers.csv": OFFERS}
    first = post(files)
    assert first.status_code == 200, first.text
    report = first.json()
    assert report["kind"] == "tabular" and report["records_written"] == 2 and report["rejections"] == []
    assert sorted(report["files"]) == ["offers.csv", "organisations.csv"] and report["quads_added"] > 0
    profile = client.get("/organisations/example-new-sme").json()
    assert [o["title"] for o in profile["offers"]] == ["New offer (illustrative)"]
    again = post(files).json()
    assert again["skipped_unchanged"] is True and again["quads_added"] == 0


def test_dry_run_writes_nothing(post: Callable[..., httpx.Response], client: TestClient) -> None:
    report = post({"organisations.csv": HEADER + GOOD}, dry_run="true").json()
    assert report["dry_run"] is True and report["records_written"] == 1 and report["quads_added"] == 0
    assert client.get("/organisations/example-new-sme").status_code == 404


def test_unreadable_source_is_422(post: Callable[..., httpx.Response]) -> None:
    body = assert_problem(post({"organisations.csv": b""}), 422)
    assert body["type"].endswith("/source-unreadable") and "empty" in body["detail"]
    unknown = assert_problem(post({"notes.txt": "hello"}), 422)
    assert "known kinds" in unknown["detail"]


@pytest.mark.parametrize(
    ("files", "form", "field"),
    [
        ({"organisations.csv": HEADER + GOOD}, {"name": "Not A Slug"}, "name"),
        ({"organisations.csv": HEADER + GOOD}, {"kind": "excel"}, "kind"),
        ({".hidden.csv": HEADER + GOOD}, {}, "files"),
    ],
)
def test_invalid_form_is_422_naming_the_field(
    post: Callable[..., httpx.Response], files: dict[str, str], form: dict[str, str], field: str
) -> None:
    body = assert_problem(post(files, **form), 422)
    assert any(e["field"] == field for e in body["errors"]), body


def test_no_files_is_422(client: TestClient, keys: Callable[[Role], str]) -> None:
    response = client.post("/ingest", data={"name": "x"}, headers={"X-API-Key": keys(Role.editor)})
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "files"


def test_source_kinds_are_the_readers() -> None:
    assert {k.value for k in SourceKind} == {r.kind for r in READERS}


def test_the_prov_record_of_an_upload_names_its_bytes_not_a_temporary_path(
    post: Callable[..., httpx.Response], client: TestClient
) -> None:
    import hashlib

    body = HEADER + GOOD
    assert post({"organisations.csv": body}).status_code == 200
    query = ("PREFIX prov: <http://www.w3.org/ns/prov#> SELECT ?used WHERE { GRAPH ?p { ?run prov:generated "
             "<https://w3id.org/innograph/graph/uploads> ; prov:used ?used } }")
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    used = [b["used"]["value"] for b in response.json()["results"]["bindings"]]
    digest = hashlib.sha256(body.encode()).hexdigest()
    assert used == [f"https://w3id.org/innograph/id/upload/{digest}/organisations.csv"]


def _post_headers_only(client: TestClient, key: str | None) -> tuple[int, int]:
    """Send POST /ingest's headers (a declared 50 MB multipart body) straight to the ASGI app and
    return (status, how many times the app asked for body bytes)."""
    import asyncio
    import contextlib

    reads = 0

    async def receive() -> dict[str, object]:
        nonlocal reads
        reads += 1
        return {"type": "http.disconnect"}  # the client gave up: nothing more to read

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    headers = [(b"content-type", b"multipart/form-data; boundary=x"), (b"content-length", b"50000000")]
    if key is not None:
        headers.append((b"x-api-key", key.encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": "/ingest", "raw_path": b"/ingest", "root_path": "", "query_string": b"", "headers": headers,
             "server": ("testserver", 80), "client": ("127.0.0.1", 5000)}
    with contextlib.suppress(Exception):  # the route may fail on the empty body; only what was read matters
        asyncio.run(client.app(scope, receive, send))  # type: ignore[arg-type]
    status = next((m["status"] for m in sent if m["type"] == "http.response.start"), 0)
    return int(status), reads  # type: ignore[call-overload]


def test_an_upload_is_refused_before_its_body_is_read(client: TestClient, keys: Callable[[Role], str]) -> None:
    assert _post_headers_only(client, None) == (401, 0)
    assert _post_headers_only(client, "ig_wrong_key") == (401, 0)
    assert _post_headers_only(client, keys(Role.reader)) == (403, 0)
    _, reads = _post_headers_only(client, keys(Role.editor))
    assert reads >= 1  # an editor's upload is read
