"""The SPARQL 1.1 Protocol at /sparql: operations, formats, status codes, limits, description, page."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import assert_problem, copy_data
from tests.api.sparql_fixtures import sparql_client

COUNT_KINDS = "SELECT ?kind (COUNT(?o) AS ?n) WHERE { ?o ig:kind ?kind } GROUP BY ?kind ORDER BY DESC(?n) ?kind"
RO21 = "CONSTRUCT WHERE { nuts:RO21 ?p ?o }"
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def client(api_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    data = copy_data(api_template, tmp_path_factory.mktemp("sparql-protocol") / "data")
    with sparql_client(data, query_row_cap=50) as shared:
        yield shared


def bindings(response: object) -> list[dict[str, dict[str, str]]]:
    return response.json()["results"]["bindings"]  # type: ignore[attr-defined, no-any-return]


def test_get_post_form_and_post_body_give_the_same_answer(client: TestClient) -> None:
    by_get = client.get("/sparql", params={"query": COUNT_KINDS})
    by_form = client.post("/sparql", data={"query": COUNT_KINDS})
    by_body = client.post("/sparql", content=COUNT_KINDS, headers={"content-type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert bindings(by_get) == bindings(by_form) == bindings(by_body)
    assert {"kind", "n"} == set(by_get.json()["head"]["vars"])


@pytest.mark.parametrize(
    ("accept", "media"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("application/json", "application/sparql-results+json"),
        ("text/html;q=0.9, */*;q=0.1", "application/sparql-results+json"),
    ],
)
def test_select_formats_by_accept(client: TestClient, accept: str, media: str) -> None:
    response = client.get("/sparql", params={"query": COUNT_KINDS}, headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    if media.endswith("json"):
        parsed = list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON))
    elif media.endswith("xml"):
        parsed = list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML))
    elif media == "text/tab-separated-values":
        parsed = list(ox.parse_query_results(response.content, format=ox.QueryResultsFormat.TSV))
    else:
        parsed = list(csv.reader(io.StringIO(response.text)))[1:]
    assert len(parsed) > 5


@pytest.mark.parametrize(
    ("fmt", "media", "rdf"),
    [
        ("turtle", "text/turtle", ox.RdfFormat.TURTLE),
        ("ntriples", "application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("rdfxml", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_construct_formats_by_accept_and_by_format_parameter(
    client: TestClient, fmt: str, media: str, rdf: ox.RdfFormat
) -> None:
    by_accept = client.get("/sparql", params={"query": RO21}, headers={"accept": media})
    by_param = client.get("/sparql", params={"query": RO21, "format": fmt}, headers={"accept": "text/html"})
    for response in (by_accept, by_param):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(media)
        triples = list(ox.parse(response.content, format=rdf))
        assert any(str(t.object) == '"Nord-Est"@ro' or t.object.value.startswith("Nord-Est") for t in triples)


def test_ask_and_describe(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": "ASK { nuts:RO21 ?p ?o }"}).json()["boolean"] is True
    xml = client.get("/sparql", params={"query": "ASK { nuts:RO99 ?p ?o }"},
                     headers={"accept": "application/sparql-results+xml"})
    assert "<boolean>false</boolean>" in xml.text
    described = client.get("/sparql", params={"query": "DESCRIBE nuts:RO21"}, headers={"accept": "text/turtle"})
    assert described.status_code == 200 and "nuts:RO21" in described.text


def test_default_and_named_graph_uri_set_the_dataset(client: TestClient) -> None:
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s a org:OrganizationalCollaboration }"
    everything = int(bindings(client.get("/sparql", params={"query": query}))[0]["n"]["value"])
    only_trl = client.get("/sparql", params={"query": query,
                                             "default-graph-uri": "https://w3id.org/innograph/graph/vocab-trl"})
    assert everything >= 1 and bindings(only_trl)[0]["n"]["value"] == "0"
    named = client.post("/sparql", data={
        "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "named-graph-uri": ["https://w3id.org/innograph/graph/illustrative",
                            "https://w3id.org/innograph/graph/vocab-trl"]})
    graphs = {b["g"]["value"] for b in bindings(named)}
    assert graphs == {"https://w3id.org/innograph/graph/illustrative", "https://w3id.org/innograph/graph/vocab-trl"}
    from_clause = client.get("/sparql", params={
        "query": "SELECT (COUNT(*) AS ?n) FROM <https://w3id.org/innograph/graph/vocab-trl> "
                 "WHERE { ?s a org:OrganizationalCollaboration }"})
    assert bindings(from_clause)[0]["n"]["value"] == "0"


def test_the_row_cap_is_signalled(client: TestClient) -> None:
    cut = client.get("/sparql", params={"query": "SELECT ?c WHERE { ?c a skos:Concept }"})
    assert cut.headers["x-innograph-truncated"] == "true" and cut.json()["truncated"] is True
    assert len(bindings(cut)) == 50
    whole = client.get("/sparql", params={"query": "SELECT ?c WHERE { ?c a skos:Concept } LIMIT 50"})
    assert "x-innograph-truncated" not in whole.headers and "truncated" not in whole.json()
    csv_cut = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?c a skos:Concept }", "format": "turtle"})
    assert csv_cut.headers["x-innograph-truncated"] == "true" and csv_cut.text.startswith("# truncated")


def test_malformed_queries_are_400_with_the_parser_message(client: TestClient) -> None:
    body = assert_problem(client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"}), 400)
    assert body["detail"].startswith("error at 1:")


@pytest.mark.parametrize("send", ["get", "form-update", "body-update"])
def test_updates_are_refused_at_the_query_endpoint(client: TestClient, send: str) -> None:
    update = "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    if send == "get":
        response = client.get("/sparql", params={"query": update})
    elif send == "form-update":
        response = client.post("/sparql", data={"update": update})
    else:
        response = client.post("/sparql", content=update, headers={"content-type": "application/sparql-update"})
    assert "/sparql/update" in assert_problem(response, 403)["detail"]
    assert client.get("/sparql", params={"query": "ASK { <urn:a> <urn:b> <urn:c> }"}).json()["boolean"] is False


def test_unsupported_formats_are_406(client: TestClient) -> None:
    assert_problem(client.get("/sparql", params={"query": COUNT_KINDS}, headers={"accept": "image/png"}), 406)
    assert_problem(client.get("/sparql", params={"query": COUNT_KINDS, "format": "pdf"}), 406)


def test_a_format_of_the_other_kind_gets_its_sibling(client: TestClient) -> None:
    # rdflib's SPARQLStore asks for SPARQL JSON whatever the query: a graph comes back as JSON-LD
    graph = client.get("/sparql", params={"query": RO21}, headers={"accept": "application/sparql-results+json"})
    assert graph.headers["content-type"].startswith("application/ld+json")
    rows = client.get("/sparql", params={"query": COUNT_KINDS}, headers={"accept": "application/rdf+xml"})
    assert rows.headers["content-type"].startswith("application/sparql-results+xml")


def test_timeout_parameter_may_only_lower_the_limit(client: TestClient) -> None:
    assert client.get("/sparql", params={"query": "ASK {}", "timeout": "2.5"}).status_code == 200
    for bad in ("0", "-1", "31", "soon"):
        assert_problem(client.get("/sparql", params={"query": "ASK {}", "timeout": bad}), 422)


def test_bad_requests(client: TestClient) -> None:
    assert_problem(client.post("/sparql", content="x", headers={"content-type": "text/plain"}), 415)
    assert_problem(client.post("/sparql", data={"nothing": "here"}), 400)


def test_service_description_lists_graphs_and_prefixes(client: TestClient) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(response.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert graph.query(f"ASK {{ ?s a <{sd}Service> ; <{sd}endpoint> ?e ; <{sd}feature> <{sd}UnionDefaultGraph> }}")
    names = {r[0].value for r in graph.query(f"SELECT ?n WHERE {{ ?g <{sd}name> ?n }}")}  # type: ignore[union-attr]
    assert "https://w3id.org/innograph/graph/illustrative" in names
    prefixes = {r[0].value for r in graph.query(  # type: ignore[union-attr]
        "SELECT ?p WHERE { ?d <http://www.w3.org/ns/shacl#prefix> ?p }")}
    assert {"ig", "org", "skos", "nuts", "eurio"} <= prefixes
    as_jsonld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert as_jsonld.headers["content-type"].startswith("application/ld+json")
    json.loads(as_jsonld.text)


def test_people_get_the_query_page_with_examples(client: TestClient) -> None:
    page = client.get("/sparql", headers={"accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "/sparql-ui/yasgui.min.js" in page.text and "/sparql-ui/sparql.js" in page.text
    examples = client.get("/sparql-ui/examples.json").json()
    assert len(examples) >= 15 and all(e["question"] and "SELECT" in e["query"].upper() for e in examples)
    assert client.get("/sparql-ui/sparql.js").status_code == 200
    assert client.get("/sparql-ui/../../pyproject.toml").status_code == 404
    assert client.get("/sparql-ui/secrets.txt").status_code == 404


@pytest.mark.skipif(not Path("web/node_modules/@zazuko/yasgui/build/yasgui.min.js").exists(),
                    reason="YASGUI is not installed: npm ci --prefix web")
def test_yasgui_is_served_from_the_npm_install(client: TestClient) -> None:
    script = client.get("/sparql-ui/yasgui.min.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert client.get("/sparql-ui/yasgui.min.css").status_code == 200
