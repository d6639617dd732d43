"""The ontology -> property graph mapping, on a real slice of the bundled data."""

from __future__ import annotations

import datetime as dt
import gc
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from common.settings import Settings
from graph.cypher._embedded import EmbeddedEngine, schema_ddl
from graph.cypher._neo4j import schema_statements
from graph.cypher._projection import (
    ensure_projection,
    is_fresh,
    mapping_table,
    read_meta,
    rebuild_projection,
    refresh_projection,
)
from graph.cypher._projection_extract import ProjectionData, extract
from graph.cypher._projection_mapping import NODES, NOT_PROJECTED, PREFIXES, RELS
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from ontology._namespaces import IG

pytest_plugins = ("tests.graph.cypher.cypher_fixtures",)

ID = "https://w3id.org/innograph/id/"


def _mentions() -> str:
    parts = [s.members + s.source + " ".join(p.pattern + p.doc for p in s.props) for s in NODES]
    parts += [r.pattern + r.via + r.start + r.end + r.source + " ".join(p.pattern for p in r.props) for r in RELS]
    return " ".join(parts)


def test_every_term_of_ours_is_projected_or_says_why_not() -> None:
    text = _mentions()
    missing = [name for name in IG.__annotations__ if f"ig:{name}" not in text and f"ig:{name}" not in NOT_PROJECTED]
    assert not missing, f"ig: terms neither in the mapping nor in NOT_PROJECTED: {missing}"


def test_labels_and_types_are_unique_and_relationships_join_known_labels() -> None:
    labels = [spec.label for spec in NODES]
    assert len(labels) == len(set(labels))
    assert len({r.type for r in RELS}) == len(RELS)
    for rel in RELS:
        assert all(a in labels and b in labels for a, b in rel.pairs), rel.type
    assert {"Organisation", "Project", "Region", "Country", "Field", "Sector", "Programme", "Partnership",
            "Technology", "TechnologyOffer", "TechnologyRequest", "Kind"} <= set(labels)


def test_schemas_are_generated_from_the_mapping() -> None:
    ddl = "\n".join(schema_ddl())
    for spec in NODES:
        assert f"CREATE NODE TABLE {spec.label}(iri STRING PRIMARY KEY" in ddl
    assert "CREATE REL TABLE PARTICIPATES_IN(FROM Organisation TO Project, role STRING, ec_contribution DOUBLE)" in ddl
    assert "FROM Region TO Region, FROM Field TO Field, FROM Sector TO Sector" in ddl
    neo4j = "\n".join(schema_statements())
    for spec in NODES:
        assert f"FOR (n:{spec.label}) REQUIRE n.iri IS UNIQUE" in neo4j
    assert "FOR (n:Organisation) ON (n.name)" in neo4j


def test_mapping_table_names_every_label_and_type() -> None:
    table = mapping_table()
    for name in [s.label for s in NODES] + [r.type for r in RELS]:
        assert f"`{name}`" in table


@pytest.fixture(scope="module")
def slice_store(cypher_data: Path, tmp_path_factory: pytest.TempPathFactory) -> GraphStore:
    copy = tmp_path_factory.mktemp("projection-store") / "store"
    shutil.copytree(cypher_data / "store", copy, ignore=shutil.ignore_patterns("LOCK"))
    return GraphStore(copy)


def _count(store: GraphStore, where: str) -> int:
    rows = list(store.select(f"{PREFIXES}SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0][0].value)  # type: ignore[union-attr]


def test_counts_match_the_rdf_store(slice_store: GraphStore, projection_data: ProjectionData) -> None:
    counts = projection_data.counts
    assert counts["Organisation"] == _count(
        slice_store, "SELECT DISTINCT ?o { ?o a org:Organization FILTER NOT EXISTS { ?o a org:OrganizationalCollaboration } }"
    )
    assert counts["Project"] == _count(slice_store, "SELECT DISTINCT ?p { ?p a eurio:Project }")
    assert counts["PARTICIPATES_IN"] == _count(
        slice_store, "SELECT DISTINCT ?x { ?x a ig:Participation ; ig:participant ?o ; ig:inProject ?p }"
    )
    assert counts["MEMBER_OF"] == 13  # data/union-of-innovation/memberships.csv
    assert counts["Region"] == 55 and counts["Partnership"] == 1
    assert counts["PARTICIPATES_IN"] > 4000 and counts["Organisation"] > 3000


def test_extraction_is_deterministic(slice_store: GraphStore, projection_data: ProjectionData) -> None:
    again = extract(slice_store)
    assert [t.rows for t in again.nodes] == [t.rows for t in projection_data.nodes]
    assert [t.rows for t in again.rels] == [t.rows for t in projection_data.rels]


def _node(data: ProjectionData, label: str, iri: str) -> dict[str, object]:
    table = next(t for t in data.nodes if t.spec.label == label)
    return next(row for row in table.rows if row["iri"] == iri)


def _rels(data: ProjectionData, rel_type: str, start: str) -> list[dict[str, object]]:
    return [row for t in data.rels if t.spec.type == rel_type for row in t.rows if row["from"] == start]


def test_known_facts_of_the_partnership(projection_data: ProjectionData) -> None:
    nasr = _node(projection_data, "Organisation", f"{ID}org/nasr")
    assert nasr["name"] == "National Authority for Scientific Research"
    assert nasr["id"] == "nasr" and nasr["kind"] == "national-authority" and nasr["country"] == "RO"
    assert nasr["nuts"] == "RO321" and nasr["is_unit"] is True and "NASR" in nasr["alt_names"]  # type: ignore[operator]
    assert [r["to"] for r in _rels(projection_data, "PART_OF", f"{ID}org/nasr")] == [
        f"{ID}org/ministry-of-education-and-research"]
    assert _rels(projection_data, "MEMBER_OF", f"{ID}org/nasr")[0]["role"] == "member"
    assert _rels(projection_data, "LOCATED_IN", f"{ID}org/nasr")[0]["to"] == "http://data.europa.eu/nuts/code/RO321"
    region = _node(projection_data, "Region", "http://data.europa.eu/nuts/code/RO21")
    assert region["level"] == 2 and region["code"] == "RO21" and region["name"] == "Nord-Est"
    assert [r["to"] for r in _rels(projection_data, "IN_COUNTRY", "http://data.europa.eu/nuts/code/RO21")] == [
        "http://publications.europa.eu/resource/authority/country/ROU"]


def test_participations_carry_role_and_contribution(projection_data: ProjectionData) -> None:
    # data/cordis/h2020_participations: "198244,participant,999842342,HES,13575,RO,..." and
    # "216116,participant,999842342,HES,NA,RO,...": NA is no contribution, not zero
    mine = {r["to"]: r for r in _rels(projection_data, "PARTICIPATES_IN", f"{ID}org/pic/999842342")}
    assert mine[f"{ID}project/rcn/198244"]["role"] == "participant"
    assert mine[f"{ID}project/rcn/198244"]["ec_contribution"] == 13575.0
    assert mine[f"{ID}project/rcn/216116"]["ec_contribution"] is None
    project = _node(projection_data, "Project", f"{ID}project/rcn/216116")
    assert isinstance(project["start_date"], dt.date) and project["framework"] == "H2020"
    offer = _node(projection_data, "TechnologyOffer", f"{ID}offer/offer-heat-pump-grain-dryer")
    assert offer["trl"] == 7 and "heat pump" in offer["keywords"]  # type: ignore[operator]


def test_rebuild_records_the_generation_and_follows_ingests(cypher_data: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    shutil.copytree(cypher_data, data_dir, ignore=shutil.ignore_patterns("LOCK"))
    settings = Settings(data_dir=data_dir)
    store = GraphStore(settings.store_dir)
    assert is_fresh(store, settings)  # the copy's projection was built from this very store
    assert not ensure_projection(store, settings)
    engine = EmbeddedEngine(settings.cypher_dir, memory_mb=128)
    before = engine.run("MATCH (o:Organisation) RETURN count(o) AS n").rows[0][0]

    source = tmp_path / "src" / "organisations.csv"
    source.parent.mkdir()
    source.write_text("org_id,name,kind,country,nuts\nexample-new-lab,Example New Lab (test),research-unit,RO,RO21\n",
                      encoding="utf-8")
    assert ingest_path(store, source.parent, name="new-lab").ok
    assert not is_fresh(store, settings)
    assert ensure_projection(store, settings)  # rebuilt, and the open engine sees the new file
    assert engine.run("MATCH (o:Organisation) RETURN count(o) AS n").rows[0][0] == before + 1
    row = engine.run("MATCH (o:Organisation {id: 'example-new-lab'})-[:LOCATED_IN]->(r:Region) RETURN r.code").rows
    assert row == [["RO21"]]
    meta = read_meta(settings)["embedded"]
    assert meta["counts"]["Organisation"] == before + 1 and meta["load_seconds"] > 0
    engine.close()
    del store
    gc.collect()


def test_refresh_after_ingest_only_rebuilds_projections_in_use(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    store = GraphStore(None)
    assert refresh_projection(store, settings) is None  # nobody built one: an ingest pays nothing
    rebuild_projection(store, settings, ["embedded"])
    report = refresh_projection(store, settings)
    assert report is not None and report.skipped == ["embedded"]  # same generation: nothing to do


def test_an_empty_store_projects_to_an_empty_graph(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    report = rebuild_projection(GraphStore(None), settings, ["embedded"])
    assert report.counts["Organisation"] == 0 and report.load_seconds["embedded"] > 0
    engine = EmbeddedEngine(settings.cypher_dir, memory_mb=64)
    assert engine.run("MATCH (n) RETURN count(n) AS n").rows == [[0]]
    engine.close()


def test_bundled_sources_project_without_dangling_references(projection_data: ProjectionData) -> None:
    # every relationship end is a node of the declared label (the extraction drops the others)
    labels = {t.spec.label: {r["iri"] for r in t.rows} for t in projection_data.nodes}
    for table in projection_data.rels:
        for row in table.rows:
            assert row["from"] in labels[table.from_label] and row["to"] in labels[table.to_label]
    assert REPO_DATA.exists() and isinstance(ox.NamedNode(ID), ox.NamedNode)
