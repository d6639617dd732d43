"""The SPARQL service over a real on-disk store: stoppable queries, a replica that is never
stale, updates with PROV that survive the store's recovery."""

from __future__ import annotations

import gc
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from common.errors import (
    FetchRefusedError,
    InvalidInputError,
    PermissionDeniedError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyQueryError,
)
from graph.sparql import QueryRequest, SparqlService, notify_store_changed, register, unregister
from graph.store import PROVENANCE_GRAPH, GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import h2020_slice
from tests.graph.sparql.test_query import EXPLOSIVE

NOTES = "https://w3id.org/innograph/graph/notes"
ASK_NOTE = "ASK { <https://w3id.org/innograph/id/note/1> rdfs:label ?l }"


def ask(service: SparqlService, query: str, timeout_s: float = 10.0) -> bool:
    return bool(json.loads(service.query(QueryRequest(query), timeout_s).body)["boolean"])


@pytest.fixture(scope="module")
def loaded_template(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The vocabularies and 20,000 real H2020 participations (enough for a query to explode)."""
    path = tmp_path_factory.mktemp("sparql-service") / "store"
    shutil.copytree(vocab_template, path, ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(path)
    ingest_path(store, h2020_slice(path.parent / "h2020", rows=20_000), name="cordis-h2020")
    del store
    gc.collect()
    return path


@pytest.fixture
def service(loaded_template: Path, tmp_path: Path) -> Iterator[SparqlService]:
    path = tmp_path / "store"
    shutil.copytree(loaded_template, path, ignore=shutil.ignore_patterns("LOCK"))
    running = SparqlService(GraphStore(path), workers=2)
    running.start()
    register(running)
    assert running.pool is not None and running.pool.ready(60)
    yield running
    unregister(running)
    running.stop()


def test_explosive_query_stops_at_its_limit_while_other_clients_are_answered(service: SparqlService) -> None:
    outcome: dict[str, float] = {}

    def explosive() -> None:
        started = time.perf_counter()
        with pytest.raises(QueryTimeoutError):
            service.query(QueryRequest(EXPLOSIVE), 2.0)
        outcome["stopped_after"] = time.perf_counter() - started

    runaway = threading.Thread(target=explosive)
    runaway.start()
    time.sleep(0.3)
    latencies = []
    while runaway.is_alive():
        started = time.perf_counter()
        assert ask(service, "ASK { ?p ig:participant ?o }")
        latencies.append(time.perf_counter() - started)
        time.sleep(0.1)
    runaway.join()
    assert 2.0 <= outcome["stopped_after"] < 2.5, outcome
    assert latencies and max(latencies) < 0.5, latencies
    assert service.pool is not None and service.pool.stats["timeouts"] == 1
    assert service.pool.ready(10)  # the killed worker was replaced
    assert ask(service, "ASK { ?s ?p ?o }")


def test_a_lower_timeout_per_request_applies(service: SparqlService) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match="0.5 s"):
        service.query(QueryRequest(EXPLOSIVE), 0.5)
    assert time.perf_counter() - started < 1.0


def test_updates_are_read_back_at_once_and_replayed_on_the_replica(service: SparqlService) -> None:
    assert service.pool is not None
    service.update(f"INSERT DATA {{ GRAPH <{NOTES}> {{ <https://w3id.org/innograph/id/note/1> rdfs:label 'n' }} }}",
                   "k1")
    assert ask(service, ASK_NOTE)  # read-your-writes: never a stale replica
    assert service.pool.ready(30)
    assert service.pool.stats["replays"] == 1 and service.pool.stats["reloads"] == 0
    before = service.pool.stats["replica_queries"]
    assert ask(service, ASK_NOTE)
    assert service.pool.stats["replica_queries"] == before + 1


def test_an_ingest_reaches_the_replica_graph_by_graph(service: SparqlService) -> None:
    assert service.pool is not None
    ingest_path(service.store, REPO_DATA / "illustrative", name="illustrative")
    notify_store_changed()
    assert ask(service, "ASK { ?o ig:offers ?offer }")
    assert service.pool.ready(30)
    assert service.pool.stats["reloads"] == 0  # only the new graph and the PROV graph were read
    assert ask(service, "ASK { ?o ig:offers ?offer }")


def test_nondeterministic_updates_reload_the_replica(service: SparqlService) -> None:
    assert service.pool is not None
    service.update(f"INSERT {{ GRAPH <{NOTES}> {{ <https://w3id.org/innograph/id/note/2> rdfs:label ?t }} }} "
                   "WHERE { BIND(STR(NOW()) AS ?t) }", "k1")
    assert service.pool.ready(60)
    assert service.pool.stats["reloads"] == 1 and service.pool.stats["replays"] == 0


def test_graphs_created_by_updates_survive_the_recovery_at_open(store_dir: Path) -> None:
    store = GraphStore(store_dir)
    service = SparqlService(store, replica=False)
    outcome = service.update(
        f"INSERT DATA {{ GRAPH <{NOTES}> {{ <https://w3id.org/innograph/id/note/1> rdfs:label 'n' }} }}", "k1")
    del service, store
    reopened = GraphStore(store_dir)  # recover() runs here
    assert ox.NamedNode(NOTES) in reopened.named_graphs()
    record = {(q.predicate.value, q.object.value) for q in reopened.oxigraph.quads_for_pattern(
        ox.NamedNode(outcome.run), None, None, PROVENANCE_GRAPH)}
    assert ("http://www.w3.org/ns/prov#generated", NOTES) in record
    assert ("http://www.w3.org/ns/prov#wasAssociatedWith", "https://w3id.org/innograph/id/api-key/k1") in record
    text = f"INSERT DATA {{ GRAPH <{NOTES}> {{ <https://w3id.org/innograph/id/note/1> rdfs:label 'n' }} }}"
    assert ("https://w3id.org/innograph/def#updateText", text) in record


@pytest.mark.parametrize(
    ("update", "error"),
    [
        ("LOAD <http://example.org/data.ttl>", FetchRefusedError),
        ("INSERT { GRAPH <urn:g> { ?s ?p ?o } } WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
         FetchRefusedError),
        ("DROP GRAPH <https://w3id.org/innograph/graph/provenance>", PermissionDeniedError),
        ("INSERT DATA { <urn:a> <urn:b> }", QuerySyntaxError),
        ("  # only a comment", InvalidInputError),
    ],
)
def test_refused_updates_write_nothing(store: GraphStore, update: str, error: type[Exception]) -> None:
    service = SparqlService(store, replica=False)
    before = len(store.oxigraph)
    with pytest.raises(error):
        service.update(update, "k1")
    assert len(store.oxigraph) == before


def test_query_refusals(store: GraphStore) -> None:
    service = SparqlService(store, replica=False)
    with pytest.raises(ReadOnlyQueryError, match="/sparql/update"):
        service.query(QueryRequest("PREFIX x: <urn:x> DELETE WHERE { ?s ?p ?o }"), 10)
    with pytest.raises(QuerySyntaxError, match="error at"):
        service.query(QueryRequest("SELECT ?x WHERE { ?x"), 10)


def test_json_results_writer_matches_the_w3c_shape_for_every_kind_of_term() -> None:
    """SPARQL 1.1 Query Results JSON written as text equals the document built term by term."""
    from graph.sparql._formats import BY_NAME, serialize_rows, term_json

    xsd = "http://www.w3.org/2001/XMLSchema#"
    terms = [
        ox.NamedNode("http://example.org/a?q=ș&x=1"),
        ox.Literal('quote " backslash \\ newline \n tab \t control \x01 line sep \u2028 ț'),
        ox.Literal("5", datatype=ox.NamedNode(xsd + "integer")),
        ox.Literal("plain", datatype=ox.NamedNode(xsd + "string")),
        ox.Literal("bună ziua", language="ro"),
        ox.BlankNode("b1"),
        ox.Triple(ox.NamedNode("http://s"), ox.NamedNode("http://p"), ox.Literal("o", language="en")),
        None,
    ]
    rows = [(a, b) for a in terms for b in terms]
    for truncated in (False, True):
        body = serialize_rows(BY_NAME["json"], ["x", "y"], rows, truncated)
        expected: dict[str, object] = {"head": {"vars": ["x", "y"]}, "results": {"bindings": [
            {v: term_json(t) for v, t in zip(["x", "y"], row, strict=True) if t is not None} for row in rows]}}
        if truncated:
            expected["truncated"] = True
        assert json.loads(body) == expected
    assert json.loads(serialize_rows(BY_NAME["json"], ["a"], [], False)) == {
        "head": {"vars": ["a"]}, "results": {"bindings": []}}
    plain = json.loads(serialize_rows(BY_NAME["json"], ["x"], [(terms[3],)], False))
    assert plain["results"]["bindings"][0]["x"] == {"type": "literal", "value": "plain"}  # xsd:string is implicit
