"""The Neo4j backend on a real server: READ sessions, server-side timeouts, row cap, schema, labels."""

from __future__ import annotations

import time

import pytest

from common.errors import EngineUnavailableError, QuerySyntaxError, QueryTimeoutError, ReadOnlyQueryError
from graph.cypher import run_cypher
from graph.cypher._embedded import EmbeddedEngine
from graph.cypher._neo4j import Neo4jEngine
from graph.cypher._projection_extract import ProjectionData

pytest_plugins = ("tests.graph.cypher.cypher_fixtures",)


def test_the_projection_is_loaded_whole(cypher_neo4j: Neo4jEngine, projection_data: ProjectionData) -> None:
    counts = projection_data.counts
    nodes = dict(run_cypher(cypher_neo4j, "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*)").rows)
    for table in projection_data.nodes:
        assert nodes.get(table.spec.label, 0) == counts[table.spec.label], table.spec.label
    rels = dict(run_cypher(cypher_neo4j, "MATCH ()-[r]->() RETURN type(r), count(*)").rows)
    for rel in {t.spec.type for t in projection_data.rels}:
        assert rels.get(rel, 0) == counts[rel], rel


def test_extra_labels_match_the_embedded_properties(cypher_neo4j: Neo4jEngine, cypher_embedded: EmbeddedEngine) -> None:
    smes = run_cypher(cypher_neo4j, "MATCH (o:SME) RETURN count(o)").rows
    assert smes == run_cypher(cypher_embedded, "MATCH (o:Organisation {is_sme: true}) RETURN count(o)").rows
    units = run_cypher(cypher_neo4j, "MATCH (o:ResearchUnit) RETURN count(o)").rows
    assert units == run_cypher(cypher_embedded, "MATCH (o:Organisation {kind: 'research-unit'}) RETURN count(o)").rows
    assert units[0][0] > 0 and smes[0][0] > 0


def test_uniqueness_constraints_and_indexes_exist(cypher_neo4j: Neo4jEngine) -> None:
    rows = cypher_neo4j.run("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type RETURN labelsOrTypes, properties, type").rows
    assert [["Organisation"], ["iri"], "UNIQUENESS"] in rows
    indexes = cypher_neo4j.run("SHOW INDEXES YIELD labelsOrTypes, properties RETURN labelsOrTypes, properties").rows
    assert [["Organisation"], ["name"]] in indexes


def test_a_read_session_refuses_writes_even_past_the_guard(cypher_neo4j: Neo4jEngine) -> None:
    with pytest.raises(ReadOnlyQueryError, match="READ"):
        cypher_neo4j.run("MATCH (o:Organisation {id: 'nasr'}) SET o.name = 'changed'", write=False)
    with pytest.raises(ReadOnlyQueryError, match="SET"):
        run_cypher(cypher_neo4j, "MATCH (o:Organisation {id: 'nasr'}) SET o.name = 'changed'")
    assert run_cypher(cypher_neo4j, "MATCH (o:Organisation {id: 'nasr'}) RETURN o.name").rows == [
        ["National Authority for Scientific Research"]]


def test_admin_writes_go_through_a_write_session(cypher_neo4j: Neo4jEngine) -> None:
    run_cypher(cypher_neo4j, "CREATE (:ScratchTest {x: 1})", admin=True)
    assert run_cypher(cypher_neo4j, "MATCH (n:ScratchTest) RETURN count(n)").rows == [[1]]
    run_cypher(cypher_neo4j, "MATCH (n:ScratchTest) DELETE n", admin=True)


def test_server_side_timeout_stops_an_explosive_query(cypher_neo4j: Neo4jEngine) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError):
        run_cypher(cypher_neo4j, "MATCH (a:Organisation)-[:PARTICIPATES_IN*1..12]-(b:Organisation) RETURN count(*)",
                   timeout_s=1.0)
    assert time.perf_counter() - started < 10.0
    assert run_cypher(cypher_neo4j, "RETURN 1 AS one").rows == [[1]]


def test_row_cap_is_reported(cypher_neo4j: Neo4jEngine) -> None:
    result = run_cypher(cypher_neo4j, "MATCH (o:Organisation) RETURN o.iri ORDER BY o.iri", row_cap=7)
    assert len(result.rows) == 7 and result.truncated and result.engine == "neo4j"


def test_values_have_the_embedded_engine_shapes(cypher_neo4j: Neo4jEngine) -> None:
    node, rel, start = run_cypher(
        cypher_neo4j,
        "MATCH (o:Organisation {id: 'nasr'})-[r:MEMBER_OF]->(:Partnership) "
        "MATCH (j:Project {id: 'rcn/198244'}) RETURN o, r, j.start_date",
    ).rows[0]
    assert node["_labels"] == ["Organisation"] and node["id"] == "nasr"
    assert rel == {"_type": "MEMBER_OF", "role": "member"} and start == "2015-01-01"


def test_syntax_errors(cypher_neo4j: Neo4jEngine) -> None:
    with pytest.raises(QuerySyntaxError):
        run_cypher(cypher_neo4j, "MATCH (o:Organisation RETURN o")


def test_an_unreachable_server_is_reported() -> None:
    engine = Neo4jEngine("bolt://127.0.0.1:1", "neo4j", "x")
    with pytest.raises(EngineUnavailableError, match="not reachable"):
        engine.run("RETURN 1")
    engine.close()


def test_load_csv_from_a_url_is_refused_even_for_an_admin(cypher_neo4j: Neo4jEngine) -> None:
    """Neo4j really fetches a LOAD CSV URL (shown past the guard); run_cypher refuses it for every role."""
    from common.errors import FetchRefusedError
    from tests.recording_listener import recording_listener

    with recording_listener() as listener:
        query = f"LOAD CSV FROM '{listener.url}' AS row RETURN count(row)"
        for admin in (False, True):
            with pytest.raises(FetchRefusedError):
                run_cypher(cypher_neo4j, query, admin=admin)
        assert listener.connections == 0
        cypher_neo4j.run(query, write=False)  # the engine itself, without the guard: what is prevented
        assert listener.connections >= 1
