"""No request leaves the server on a caller's behalf: every path that could fetch a URL, each
answered with a 4xx problem while a local listener records that nobody connected to it."""

from __future__ import annotations

import json

import pytest

from api.keys import Role
from tests.api.conftest import assert_problem
from tests.recording_listener import RecordingListener, recording_listener

FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture
def listener():
    with recording_listener() as recorder:
        yield recorder


def _refused(response, listener: RecordingListener) -> dict:
    body = assert_problem(response, 403)
    assert body["type"].endswith("/no-remote-fetch"), body
    assert "role" not in body["title"].lower(), body  # not "The API key's role is too low": roles are not why
    assert listener.connections == 0
    return body


def test_sparql_service_is_refused_by_every_route(client, listener):
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"
    body = _refused(client.get("/sparql", params={"query": query}), listener)
    assert "INNOGRAPH_SPARQL_SERVICE_ALLOW" in body["detail"] and listener.url in body["detail"]
    _refused(client.post("/sparql", data={"query": query}), listener)
    _refused(client.post("/sparql", content=query, headers={"content-type": "application/sparql-query"}), listener)


def test_update_load_and_service_are_refused_with_a_truthful_title(client, keys, listener):
    editor = {"X-API-Key": keys(Role.admin)}  # even an admin: the role is not the reason
    for update in (f"LOAD <{listener.url}>",
                   (f"INSERT {{ GRAPH <http://example.org/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{listener.url}> "
                   "{ ?s ?p ?o } }")):
        body = _refused(client.post("/sparql/update", data={"update": update}, headers=editor), listener)
        assert "fetch" in body["title"]


def test_an_allowed_endpoint_is_reached(make_client, listener):
    """The administrator's allow-list really lets SERVICE through (and only to the listed IRI)."""
    client = make_client(sparql_service_allow=[listener.url])
    other = listener.url.replace("/sparql", "/other")
    _refused(client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{other}> {{ ?s ?p ?o }} }}"}),
             listener)
    response = client.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"})
    assert response.status_code == 200, response.text
    assert listener.connections == 1


def test_jsonld_remote_context_in_an_upload_is_not_fetched(client, keys, listener):
    doc = json.dumps({"@context": listener.url, "@id": "http://example.org/a", "name": "A"}).encode()
    response = client.post("/ingest", files=[("files", ("remote.jsonld", doc, "application/ld+json"))],
                           data={"name": "remote-context"}, headers={"X-API-Key": keys(Role.editor)})
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "context" in response.text.lower()
    assert listener.connections == 0


def test_graph_store_bodies_fetch_nothing(client, keys, listener):
    editor = {"X-API-Key": keys(Role.editor)}
    jsonld = json.dumps({"@context": [listener.url], "@id": "http://example.org/a", "http://example.org/p": "x"})
    response = client.put("/rdf-graphs/service", params={"graph": "http://example.org/g"}, content=jsonld,
                          headers={**editor, "content-type": "application/ld+json"})
    body = assert_problem(response, 400)
    assert "context" in body["detail"].lower()
    rdfxml = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{listener.url}">]>'
              '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:p="http://example.org/">'
              '<rdf:Description rdf:about="http://example.org/a"><p:q>&e;</p:q></rdf:Description></rdf:RDF>')
    response = client.put("/rdf-graphs/service", params={"graph": "http://example.org/g"}, content=rdfxml,
                          headers={**editor, "content-type": "application/rdf+xml"})
    assert_problem(response, 400)
    assert listener.connections == 0


@pytest.mark.parametrize("query", [
    "LOAD CSV FROM '{url}' AS row RETURN row",
    "LOAD FROM '{url}' RETURN *",
    "INSTALL httpfs",
    "COPY Organisation FROM '{url}'",
    "CALL apoc.load.json('{url}') YIELD value RETURN value",
    "RETURN apoc.cypher.runFirstColumnSingle('LOAD CSV FROM \"{url}\" AS r RETURN r', {{}})",
])
def test_cypher_never_reads_a_url_even_for_an_admin(client, keys, listener, query):
    """Refused before an engine is chosen or opened: the same answer for the embedded engine and Neo4j."""
    for engine in ("embedded", "neo4j"):
        response = client.post("/cypher", json={"query": query.format(url=listener.url), "engine": engine},
                               headers={"X-API-Key": keys(Role.admin)})
        _refused(response, listener)


def test_graph_store_data_that_names_load_or_service_is_stored(client, keys, listener):
    """Words in literals are data: a Graph Store upload mentioning LOAD <url> is written, nothing fetched."""
    turtle = f'<http://example.org/a> <http://example.org/note> "LOAD <{listener.url}> ; SERVICE <{listener.url}> {{}}" .'
    response = client.put("/rdf-graphs/service", params={"graph": "http://example.org/notes"}, content=turtle,
                          headers={"X-API-Key": keys(Role.editor), "content-type": "text/turtle"})
    assert response.status_code in (200, 201), response.text
    got = client.get("/rdf-graphs/service", params={"graph": "http://example.org/notes"},
                     headers={"accept": "application/n-triples"})
    assert f"LOAD <{listener.url}>" in got.text
    assert listener.connections == 0
