"""The pipeline against a real on-disk store: idempotence, replacement, provenance, crash safety."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from common.errors import IngestRejectedError, SourceError
from graph.store import PROVENANCE_GRAPH, GraphStore
from ingest.loading import ingest_path
from tests.conftest import h2020_slice
from tests.ingest.readers.test_tabular import ORGS, write

REPO = Path(__file__).resolve().parents[2]


def quads_of(store: GraphStore, graph: str) -> set[ox.Quad]:
    return store.graph_quads(ox.NamedNode(graph))


def test_h2020_slice_maps_pics_projects_and_participations(store: GraphStore, tmp_path: Path) -> None:
    src = h2020_slice(tmp_path / "h2020", rows=2000)
    report = ingest_path(store, src)
    assert report.ok and report.records_written == 2000
    query = """
      PREFIX ig: <https://w3id.org/innograph/def#>
      SELECT (COUNT(?p) AS ?n) (COUNT(DISTINCT ?org) AS ?orgs) WHERE {
        GRAPH ?g { ?p a ig:Participation ; ig:participant ?org ; ig:inProject ?project } }"""
    row = next(iter(store.oxigraph.query(query)))
    assert int(row["n"].value) == 2000
    label = next(iter(store.oxigraph.query(
        "SELECT ?l WHERE { GRAPH ?g { <https://w3id.org/innograph/id/org/pic/998616262> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } }"
    )))
    # the table has no names: never invent one, say what is known (issue 11)
    assert label["l"].value == "unnamed organisation, PIC 998616262, Belgium, private company"


def test_rerun_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    src = h2020_slice(tmp_path / "h2020", rows=3000)
    first = ingest_path(store, src)
    before = quads_of(store, first.graph)
    skipped = ingest_path(store, src)
    assert skipped.skipped_unchanged
    total = store.count()
    forced = ingest_path(store, src, force=True)
    assert (forced.quads_added, forced.quads_removed) == (0, 0)
    assert quads_of(store, first.graph) == before
    assert store.count() == total  # not even a second PROV record


def test_rerun_of_rdf_with_blank_nodes_and_of_decimals_changes_nothing(store: GraphStore, tmp_path: Path) -> None:
    ttl = """
    @prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix locn: <http://www.w3.org/ns/locn#> .
    <https://w3id.org/innograph/id/org/good> a org:Organization ; skos:prefLabel "Good SRL" ;
        org:hasSite [ a org:Site ; org:siteAddress [ locn:fullAddress "Str. Exemplu 1, Iasi" ] ] .
    """
    rdf = ingest_path(store, write(tmp_path, "sites.ttl", ttl), name="sites")
    again = ingest_path(store, tmp_path / "sites.ttl", name="sites", force=True)
    assert rdf.ok and (again.quads_added, again.quads_removed) == (0, 0)
    composite = REPO / "data" / "cordis" / "composite"
    ingest_path(store, composite)
    forced = ingest_path(store, composite, force=True)
    assert (forced.quads_added, forced.quads_removed) == (0, 0)  # "373645.20" stays "373645.2"


def test_new_version_replaces_the_old_one_exactly(store: GraphStore, tmp_path: Path) -> None:
    old = ingest_path(store, h2020_slice(tmp_path / "v1", rows=1000), name="h2020")
    new_src = h2020_slice(tmp_path / "v2", rows=1000, skip=500)
    expected = ingest_path(store, new_src, name="h2020", dry_run=True)
    new = ingest_path(store, new_src, name="h2020")
    assert new.quads_removed > 0 and new.quads_added > 0
    assert new.quads_in_graph == expected.quads_in_graph
    assert old.graph == new.graph


def test_other_sources_are_never_touched(store: GraphStore, tmp_path: Path) -> None:
    orgs = ingest_path(store, write(tmp_path / "orgs", "organisations.csv", ORGS).parent, name="orgs")
    kept = quads_of(store, orgs.graph)
    with pytest.raises(SourceError):
        ingest_path(store, write(tmp_path / "bad", "organisations.json", "[{"), name="other")
    ingest_path(store, h2020_slice(tmp_path / "h", rows=500), name="h2020")
    assert quads_of(store, orgs.graph) == kept


def test_incomplete_source_does_not_replace_a_complete_one(store: GraphStore, tmp_path: Path) -> None:
    src = write(tmp_path / "orgs", "organisations.csv", ORGS)
    first = ingest_path(store, src.parent, name="orgs")
    kept = quads_of(store, first.graph)
    src.write_text(ORGS.splitlines()[0] + '\nosim,"Oficiul de Stat', encoding="utf-8")
    second = ingest_path(store, src.parent, name="orgs")
    assert second.kept_previous
    assert quads_of(store, first.graph) == kept


def test_strict_run_writes_nothing_when_a_record_is_bad(store: GraphStore, tmp_path: Path) -> None:
    src = write(tmp_path / "orgs", "organisations.csv", ORGS)
    first = ingest_path(store, src.parent, name="orgs")
    kept = quads_of(store, first.graph)
    src.write_text(ORGS + "x,X SRL,,no-such-kind,RO,,,\n", encoding="utf-8")
    with pytest.raises(IngestRejectedError):
        ingest_path(store, src.parent, name="orgs", strict=True)
    assert quads_of(store, first.graph) == kept


def test_every_run_leaves_a_prov_record(store: GraphStore, tmp_path: Path) -> None:
    report = ingest_path(store, write(tmp_path / "o", "organisations.csv", ORGS).parent, name="orgs")
    query = """
      PREFIX prov: <http://www.w3.org/ns/prov#>
      PREFIX ig: <https://w3id.org/innograph/def#>
      SELECT ?p ?g ?hash ?read ?written ?used WHERE { GRAPH ?p {
        ?run prov:generated ?g ; ig:sourceHash ?hash ; ig:recordsRead ?read ; ig:recordsWritten ?written ;
             prov:used ?used } }"""
    rows = list(store.oxigraph.query(query, substitutions={
        ox.Variable("p"): PROVENANCE_GRAPH, ox.Variable("g"): ox.NamedNode(report.graph)}))
    assert [(r["hash"].value, int(r["read"].value), int(r["written"].value)) for r in rows] == [
        (report.sha256, 2, 2)
    ]
    assert rows[0]["used"].value.endswith("/organisations.csv")


def test_rdf_file_subjects_are_checked_one_by_one(store: GraphStore, tmp_path: Path) -> None:
    ttl = """
    @prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    @prefix ig: <https://w3id.org/innograph/def#> .
    <https://w3id.org/innograph/id/org/good> a org:Organization ; skos:prefLabel "Good SRL" ;
        ig:kind <https://w3id.org/innograph/vocab/org-kind/sme> .
    <https://w3id.org/innograph/id/org/bad> a org:Organization ; skos:prefLabel "Bad SRL" ;
        ig:pic "12" .
    """
    path = write(tmp_path, "orgs.ttl", ttl)
    report = ingest_path(store, path)
    assert report.records_written == 1
    (rejection,) = report.rejections
    assert "org/bad" in rejection.reason and rejection.field == "pic"
    with pytest.raises(SourceError, match="not valid RDF"):
        ingest_path(store, write(tmp_path, "broken.ttl", "<a> <b> "), name="broken")


def _ingest_cmd(src: Path, data_dir: Path, name: str) -> list[str]:
    return [sys.executable, "-m", "cli.main", "ingest", str(src), "--name", name, "--data-dir", str(data_dir)]


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1.0, 2.5, 4.0, 6.0])
def test_sigkill_during_replacement_leaves_the_previous_version(
    vocab_template: Path, tmp_path: Path, kill_after: float
) -> None:
    """Kill the ingest at several moments; the store must hold exactly v1 or exactly v2, never a mix."""
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(vocab_template, data_dir / "store")
    v1, v2 = h2020_slice(tmp_path / "v1", rows=20_000), h2020_slice(tmp_path / "v2", rows=30_000, skip=10_000)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run(_ingest_cmd(v1, data_dir, "h2020"), check=True, env=env, cwd=REPO, capture_output=True)
    store = GraphStore(data_dir / "store")
    graph = "https://w3id.org/innograph/graph/h2020"
    version1 = quads_of(store, graph)
    others = {g.value: store.count(g) for g in store.named_graphs() if g.value != graph and g != PROVENANCE_GRAPH}
    version2 = ingest_path(store, v2, name="h2020", dry_run=True).quads_in_graph
    del store
    process = subprocess.Popen(_ingest_cmd(v2, data_dir, "h2020"), env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(kill_after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    store = GraphStore(data_dir / "store")
    after = quads_of(store, graph)
    assert after == version1 or len(after) == version2
    assert {g.value: store.count(g) for g in store.named_graphs()
            if g.value != graph and g != PROVENANCE_GRAPH} == others


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [2.0, 4.0])
def test_sigkill_during_first_load_leaves_no_partial_graph(
    vocab_template: Path, tmp_path: Path, kill_after: float
) -> None:
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(vocab_template, data_dir / "store")
    src = h2020_slice(tmp_path / "v", rows=30_000)
    store = GraphStore(data_dir / "store")
    expected = ingest_path(store, src, name="h2020", dry_run=True).quads_in_graph
    del store
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(_ingest_cmd(src, data_dir, "h2020"), env=env, cwd=REPO,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(kill_after)
    process.send_signal(signal.SIGKILL)
    process.wait()
    store = GraphStore(data_dir / "store")  # opening recovers
    assert store.count(ox.NamedNode("https://w3id.org/innograph/graph/h2020")) in {0, expected}


def test_a_graph_holding_blank_nodes_is_replaced_in_one_update(store: GraphStore, tmp_path: Path) -> None:
    """Graphs written before skolemization (or by SPARQL updates) may hold blank nodes."""
    graph = ox.NamedNode("https://w3id.org/innograph/graph/sites")
    site = ox.BlankNode()
    store.oxigraph.extend([
        ox.Quad(ox.NamedNode("https://w3id.org/innograph/id/org/old"), ox.NamedNode("http://www.w3.org/ns/org#hasSite"),
                site, graph),
    ])
    ttl = """
    @prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <https://w3id.org/innograph/id/org/good> a org:Organization ; skos:prefLabel "Good SRL" .
    """
    report = ingest_path(store, write(tmp_path, "sites.ttl", ttl), name="sites")
    assert report.ok and report.quads_removed == 1
    assert not any(isinstance(q.object, ox.BlankNode) for q in quads_of(store, graph.value))
