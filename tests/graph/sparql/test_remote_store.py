"""An external SPARQL 1.1 endpoint as the store: Virtuoso Open Source from Debian's packages.

``.ci/run`` starts it (``scripts/virtuoso/start.sh``); the fixture starts it too when it is
installed but not running. Under ``CI=true`` these tests fail when Virtuoso cannot be had;
elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from common.errors import QuerySyntaxError, QueryTimeoutError
from graph.sparql import QueryRequest, RemoteStore, SparqlService
from graph.store import PROVENANCE_GRAPH, GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from ontology._files import ONTOLOGY_FILE, vocabulary_files
from tests.conftest import h2020_slice
from tests.graph.sparql.test_query import EXPLOSIVE

BASE = [(ONTOLOGY_FILE, "ontology"), *[(p, f"vocab-{p.stem}") for p in vocabulary_files()]]
SOURCES = [*BASE, (REPO_DATA / "union-of-innovation", "union-of-innovation"),
           (REPO_DATA / "illustrative", "illustrative")]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    """The same sources in the embedded store, to compare with."""
    store = GraphStore(tmp_path_factory.mktemp("reference") / "store")
    for source, name in SOURCES:
        ingest_path(store, source, name=name)
    return store


def test_ingest_writes_the_same_graphs_as_the_embedded_store(remote: RemoteStore, reference: GraphStore) -> None:
    for source, name in SOURCES:
        report = ingest_path(remote, source, name=name)
        assert report.ok and report.quads_added > 0, name
    for graph in reference.named_graphs():
        if graph != PROVENANCE_GRAPH:
            assert remote.count(graph) == reference.count(graph), graph.value
            assert remote.graph_quads(graph) == reference.graph_quads(graph), graph.value
    assert remote.recover() == []
    source, name = SOURCES[-1]
    again = ingest_path(remote, source, name=name, force=True)
    assert (again.quads_added, again.quads_removed) == (0, 0)
    assert ingest_path(remote, source, name=name).skipped_unchanged


def test_a_changed_source_is_diffed_into_one_request(remote: RemoteStore, tmp_path: Path) -> None:
    for source, name in BASE:
        ingest_path(remote, source, name=name)
    folder = tmp_path / "orgs"
    folder.mkdir()
    header = "org_id,name,kind,country,nuts\n"
    (folder / "organisations.csv").write_text(header + "lab-a,Lab A,research-unit,RO,RO21\nlab-b,Lab B,sme,RO,RO32\n")
    first = ingest_path(remote, folder, name="orgs")
    (folder / "organisations.csv").write_text(header + "lab-a,Lab A renamed,research-unit,RO,RO21\n")
    second = ingest_path(remote, folder, name="orgs")
    assert first.quads_added > 0 and second.quads_removed > 0 and second.quads_added == 1
    names = remote.select("SELECT ?n WHERE { GRAPH <https://w3id.org/innograph/graph/orgs> { ?o skos:prefLabel ?n } }")
    assert [r["n"].value for r in names] == ["Lab A renamed"]  # type: ignore[union-attr]


def test_a_first_load_in_many_requests_only_counts_with_its_prov_record(remote: RemoteStore) -> None:
    small = RemoteStore(remote.query_url, remote.update_url, max_request_quads=500)
    report = ingest_path(small, BASE[0][0], name="ontology")  # ~500 quads: several requests
    assert remote.count(ox.NamedNode("https://w3id.org/innograph/graph/ontology")) == report.quads_in_graph
    # a crash before the PROV record: the graph is an orphan, and recover() removes it
    remote.update("INSERT DATA { GRAPH <https://w3id.org/innograph/graph/crashed> { <urn:a> <urn:b> <urn:c> } }")
    assert [g.value for g in remote.recover()] == ["https://w3id.org/innograph/graph/crashed"]
    assert ox.NamedNode("https://w3id.org/innograph/graph/ontology") in remote.named_graphs()


def test_queries_and_updates_through_the_service(remote: RemoteStore, tmp_path: Path) -> None:
    for source, name in SOURCES:
        ingest_path(remote, source, name=name)
    service = SparqlService(remote)
    kinds = json.loads(service.query(QueryRequest(
        "SELECT ?kind (COUNT(?o) AS ?n) WHERE { ?o ig:kind ?kind } GROUP BY ?kind"), 30).body)
    assert len(kinds["results"]["bindings"]) > 5
    csv_rows = service.query(QueryRequest("SELECT ?o WHERE { ?o a ig:TechnologyOffer }", results_format="csv"), 30)
    assert csv_rows.body.decode().count("\r\n") == 1 + 8
    turtle = service.query(QueryRequest("CONSTRUCT WHERE { nuts:RO21 ?p ?o }"), 30)
    assert turtle.media_type == "text/turtle" and b"nuts:RO21" in turtle.body
    with pytest.raises(QuerySyntaxError):
        service.query(QueryRequest("SELECT ?x WHERE { ?x"), 30)
    outcome = service.update("INSERT DATA { GRAPH <https://w3id.org/innograph/graph/notes> { <urn:a> <urn:b> 1 } }",
                             "k1")
    assert ox.NamedNode("https://w3id.org/innograph/graph/notes") in remote.named_graphs()
    assert remote.recover() == []  # vouched for by the update's PROV record
    assert any(r["g"].value.endswith("/notes") for r in remote.select(  # type: ignore[union-attr]
        f"SELECT ?g WHERE {{ GRAPH {PROVENANCE_GRAPH} {{ <{outcome.run}> prov:generated ?g }} }}"))


def test_a_runaway_query_comes_back_as_a_timeout(remote: RemoteStore, tmp_path: Path) -> None:
    for source, name in BASE:
        ingest_path(remote, source, name=name)
    ingest_path(remote, h2020_slice(tmp_path / "h2020", rows=5000), name="cordis-h2020")
    service = SparqlService(remote)
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError):
        service.query(QueryRequest(EXPLOSIVE), 1.0)
    assert time.perf_counter() - started < 2.5
    ask = service.query(QueryRequest("ASK { ?p ig:participant ?o }"), 10)  # still answering
    assert json.loads(ask.body)["boolean"] is True
