"""Real SPARQL clients that nobody here wrote, against a running server: SPARQLWrapper and
rdflib's SPARQLStore, for SELECT, ASK, CONSTRUCT and each result format."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TSV, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from tests.api.conftest import copy_data
from tests.api.sparql_fixtures import sparql_server

KINDS = """PREFIX ig: <https://w3id.org/innograph/def#>
SELECT ?kind (COUNT(?o) AS ?n) WHERE { ?o ig:kind ?kind } GROUP BY ?kind ORDER BY DESC(?n) ?kind"""
RO21 = "http://data.europa.eu/nuts/code/RO21"


@pytest.fixture(scope="module")
def endpoint(api_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = copy_data(api_template, tmp_path_factory.mktemp("sparql-clients") / "data")
    with sparql_server(data) as url:
        yield url


def wrapper(endpoint: str, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select_in_every_format(endpoint: str, method: str) -> None:
    as_json = wrapper(endpoint, KINDS, JSON, method).queryAndConvert()
    rows = [(b["kind"]["value"], int(b["n"]["value"])) for b in as_json["results"]["bindings"]]  # type: ignore[index]
    assert len(rows) > 5 and rows == sorted(rows, key=lambda r: (-r[1], r[0]))
    as_xml = wrapper(endpoint, KINDS, XML, method).queryAndConvert()
    xml_rows = as_xml.getElementsByTagName("result")  # type: ignore[union-attr]
    assert len(xml_rows) == len(rows)
    as_csv = wrapper(endpoint, KINDS, CSV, method).queryAndConvert()
    csv_rows = list(csv.reader(io.StringIO(as_csv.decode())))  # type: ignore[union-attr]
    assert csv_rows[0] == ["kind", "n"] and [(k, int(n)) for k, n in csv_rows[1:]] == rows
    as_tsv = wrapper(endpoint, KINDS, TSV, method).queryAndConvert()
    tsv_rows = as_tsv.decode().splitlines()  # type: ignore[union-attr]
    assert tsv_rows[0] == "?kind\t?n" and len(tsv_rows) == len(rows) + 1


def test_sparqlwrapper_ask_and_construct(endpoint: str) -> None:
    assert wrapper(endpoint, f"ASK {{ <{RO21}> ?p ?o }}", JSON).queryAndConvert()["boolean"] is True  # type: ignore[index]
    graph = wrapper(endpoint, f"CONSTRUCT WHERE {{ <{RO21}> ?p ?o }}", XML).queryAndConvert()
    assert isinstance(graph, Graph) and (URIRef(RO21), None, None) in graph
    turtle = SPARQLWrapper(endpoint)
    turtle.setQuery(f"CONSTRUCT WHERE {{ <{RO21}> ?p ?o }}")
    turtle.setReturnFormat("turtle")
    parsed = Graph().parse(data=turtle.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert len(parsed) == len(graph)
    jsonld = SPARQLWrapper(endpoint)
    jsonld.setQuery(f"CONSTRUCT WHERE {{ <{RO21}> ?p ?o }}")
    jsonld.setReturnFormat("json-ld")
    as_jsonld = jsonld.queryAndConvert()  # SPARQLWrapper parses JSON-LD into a graph itself
    assert isinstance(as_jsonld, Graph) and len(as_jsonld) == len(graph)


def test_sparqlwrapper_sees_a_malformed_query_as_such(endpoint: str) -> None:
    with pytest.raises(QueryBadFormed):
        wrapper(endpoint, "SELECT ?x WHERE { ?x", JSON).query()


def test_rdflib_sparqlstore(endpoint: str) -> None:
    graph = Graph(SPARQLStore(endpoint, returnFormat="json"))
    rows = list(graph.query(KINDS))
    assert len(rows) > 5 and all(isinstance(row[1], Literal) for row in rows)  # type: ignore[index]
    assert graph.query(f"ASK {{ <{RO21}> ?p ?o }}").askAnswer is True
    constructed = graph.query(f"CONSTRUCT WHERE {{ <{RO21}> ?p ?o }}").graph
    assert constructed is not None and (URIRef(RO21), None, None) in constructed
    assert (URIRef(RO21), None, None) in graph  # triple patterns become SELECT queries too
    xml_store = Graph(SPARQLStore(endpoint, returnFormat="xml", method="POST"))
    assert len(list(xml_store.query(KINDS))) == len(rows)
