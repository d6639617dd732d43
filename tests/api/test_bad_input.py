"""Hostile and broken input gets a 4xx problem, never a 500 (api.security and the routes).

Every case here was tried against the server as an attacker or a broken client would send it:
bytes that are not UTF-8 on every endpoint that takes text, JSON nested 10,000 deep, a body of
100 MB on /match (refused on its headers, before it is read), NUL and control characters in
paths and query strings, repeated parameters, a SPARQL query of 1 MB, a Cypher query of 10,000
UNIONs.
"""

from __future__ import annotations

import asyncio

import pytest

from api.keys import Role
from api.security import RequestGuard
from tests.api.conftest import assert_problem

LATIN1 = "Căutăm uscare fără gaz".encode("cp1250")  # Romanian in a legacy code page: not UTF-8


def _client_error(response) -> dict:
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/problem+json"), response.text[:300]
    return response.json()


def test_non_utf8_bodies_on_every_text_endpoint(client, keys):
    editor = {"X-API-Key": keys(Role.editor)}
    sent = [
        client.post("/sparql", content=LATIN1, headers={"content-type": "application/sparql-query"}),
        client.post("/sparql", content=b"query=ASK%20%7B%7D%FF", headers={"content-type": "application/x-www-form-urlencoded"}),
        client.post("/sparql", content="ASK {}".encode("utf-16"),
                    headers={"content-type": "application/sparql-query; charset=UTF-16"}),
        client.post("/sparql/update", content=LATIN1, headers={**editor, "content-type": "application/sparql-update"}),
        client.put("/rdf-graphs/service", params={"graph": "http://example.org/g"}, content=b'<a:b> <c:d> "\xff" .',
                   headers={**editor, "content-type": "application/n-triples"}),
        client.post("/match", content=b'{"text": "' + LATIN1 + b'"}', headers={"content-type": "application/json"}),
        client.post("/match/demand", content=b'{"text": "' + LATIN1 + b'"}', headers={"content-type": "application/json"}),
        client.post("/cypher", content=b'{"query": "RETURN \'' + LATIN1 + b'\'"}', headers={"content-type": "application/json"}),
        client.post("/ingest", files=[("files", ("organisations.csv", b"org_id,name\nx," + LATIN1 + b"\n", "text/csv"))],
                    data={"name": "not-utf8"}, headers=editor),
    ]
    for response in sent:
        _client_error(response)
    assert "UTF-8" in sent[5].json()["detail"]  # /match: says what is wrong, not only "error parsing the body"
    assert "UTF-8" in sent[0].json()["detail"] and sent[2].status_code == 415


def test_json_nested_10000_deep(client):
    deep = '{"text": "grain drying", "context": ' + '{"a": ' * 10_000 + "1" + "}" * 10_000 + "}"
    for path in ("/match", "/match/demand", "/cypher"):
        _client_error(client.post(path, content=deep, headers={"content-type": "application/json"}))
    _client_error(client.post("/match", content="[" * 10_000 + "]" * 10_000, headers={"content-type": "application/json"}))


def test_a_100_mb_body_on_match_is_refused_before_it_is_read(client):
    """Only the headers are sent: the 413 comes from the declared length, the body is never awaited."""
    received: list[bytes] = []

    async def receive():
        received.append(b"")
        raise AssertionError("the body was read")

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/match", "raw_path": b"/match", "root_path": "",
             "query_string": b"", "scheme": "http", "server": ("test", 80), "client": ("127.0.0.1", 1),
             "http_version": "1.1", "headers": [(b"content-type", b"application/json"),
                                                (b"content-length", str(100 * 1024 * 1024).encode())]}
    asyncio.run(client.app(scope, receive, send))  # the whole application, middleware included
    assert sent[0]["status"] == 413 and received == []
    assert b"INNOGRAPH_MAX_REQUEST_BYTES" in sent[1]["body"]


def test_a_chunked_body_over_the_cap_is_stopped_while_streaming():
    """Without a Content-Length, the guard counts the bytes and stops at the cap."""
    chunks = [b"x" * 1024] * 64
    read: list[int] = []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            read.append(len(message.get("body", b"")))
            if not message.get("more_body"):
                break

    async def receive():
        return {"type": "http.request", "body": chunks.pop(), "more_body": bool(chunks)}

    guard = RequestGuard(app, max_bytes=10 * 1024)
    scope = {"type": "http", "method": "POST", "path": "/match", "query_string": b"", "headers": []}
    with pytest.raises(Exception) as raised:
        asyncio.run(guard(scope, receive, lambda m: None))
    assert getattr(raised.value, "status_code", None) == 413 and sum(read) <= 10 * 1024


def test_the_cap_is_a_setting(make_client):
    client = make_client(max_request_bytes=1000)
    body = assert_problem(client.post("/match", json={"text": "uscare cereale " * 100}), 413)
    assert "1,000" in body["detail"]
    assert client.post("/match", json={"text": "uscare cereale", "limit": 1}).status_code == 200


@pytest.mark.parametrize("target", [
    "/organisations/pic%2F999%00999",
    "/organisations/osim%0A",
    "/search?q=grain%00drying",
    "/search?q=grain%1bdrying",
    "/regions/RO%0021",
    "/vocabularies/nuts%7f",
    "/sparql?query=ASK%20%7B%7D%00",
])
def test_control_characters_in_paths_and_query_strings(client, target):
    assert_problem(client.get(target), 400)


def test_line_breaks_in_a_sparql_query_string_are_fine(client):
    assert client.get("/sparql?query=ASK%0A%7B%0D%0A%09%7D").status_code == 200


@pytest.mark.parametrize(("method", "target", "kwargs"), [
    ("GET", "/sparql?query=ASK%20%7B%7D&query=SELECT%20*%20%7B%7D", {}),
    ("POST", "/sparql?query=ASK%20%7B%7D", {"data": {"query": "SELECT * {}"}}),
    ("GET", "/sparql?query=ASK%20%7B%7D&timeout=1&timeout=2", {}),
])
def test_repeated_single_parameters(client, method, target, kwargs):
    body = assert_problem(client.request(method, target, **kwargs), 400)
    assert "was sent" in body["detail"]


def test_repeated_parameters_elsewhere(client):
    """A parameter that takes one value, sent twice, is a 400 (FastAPI alone would keep the last);
    one that takes a list stays repeatable."""
    for target in ("/search?q=grain&q=drying", "/search?q=grain&limit=1&limit=2",
                   "/network/path?source=osim&source=arott&target=osim"):
        body = assert_problem(client.get(target), 400)
        assert "more than once" in body["detail"]
    assert client.get("/network?region=RO21&region=RO22").status_code == 200
    # the same value twice is no contradiction; SPARQLWrapper names the format twice, differently
    assert client.get("/sparql?query=ASK%20%7B%7D&timeout=5&timeout=5").status_code == 200
    assert client.post("/sparql?query=ASK%20%7B%7D", data={"query": "ASK {}"}).status_code == 200
    assert client.get("/sparql?query=ASK%20%7B%7D&format=json&format=application/sparql-results%2Bjson"
                      ).status_code == 200


def test_a_sparql_query_of_1_mb(client):
    values = " ".join(f'"{i:08d}"' for i in range(100_000))  # ~1 MB
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?v {{ {values} }} }}"
    assert len(query.encode()) > 1_000_000
    response = client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"})
    assert response.status_code == 200, response.text[:300]
    assert '"100000"' in response.text
    garbage = "SELECT * WHERE { " + "?s ?p ?o . " * 100_000 + "FILTER("  # 1 MB that does not parse
    assert_problem(client.post("/sparql", content=garbage, headers={"content-type": "application/sparql-query"}), 400)


def test_a_cypher_query_of_10000_unions(client):
    query = " UNION ".join(["RETURN 1 AS x"] * 10_000)
    body = _client_error(client.post("/cypher", json={"query": query, "engine": "embedded"}))
    assert "characters" in body["detail"]  # the length cap stops it before any engine
    within_cap = " UNION ".join(["RETURN 1 AS x"] * 900)  # as many as fit: answered, or refused, never a 500
    response = client.post("/cypher", json={"query": within_cap, "engine": "embedded"})
    assert response.status_code < 500, response.text[:300]
