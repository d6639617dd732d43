"""The embedded engine (LadybugDB): reads, the guard, a timeout that stops the query, the row cap."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from common.errors import (
    EngineUnavailableError,
    InvalidInputError,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyQueryError,
)
from graph.cypher import run_cypher
from graph.cypher._embedded import EmbeddedEngine

pytest_plugins = ("tests.graph.cypher.cypher_fixtures",)

#: Every walk of up to 12 participations from every organisation: far more than any time limit allows.
EXPLOSIVE = "MATCH (a:Organisation)-[:PARTICIPATES_IN*1..12]-(b:Organisation) RETURN count(*) AS walks"


def test_reads_with_parameters(cypher_embedded: EmbeddedEngine) -> None:
    result = run_cypher(
        cypher_embedded,
        "MATCH (o:Organisation)-[m:MEMBER_OF]->(p:Partnership {id: $id}) WHERE o.kind = $kind "
        "RETURN o.name AS agency, m.role AS role ORDER BY agency",
        {"id": "union-of-innovation", "kind": "regional-development-agency"},
    )
    assert result.columns == ["agency", "role"] and result.engine == "embedded"
    assert len(result.rows) == 8 and all(role == "member" for _, role in result.rows)
    assert result.rows[0][0] == "Regional Development Agency București-Ilfov"
    assert not result.truncated and result.elapsed_ms > 0


def test_parameters_are_values_never_query_text(cypher_embedded: EmbeddedEngine) -> None:
    result = run_cypher(cypher_embedded, "MATCH (o:Organisation) WHERE o.name = $name RETURN count(o) AS n",
                        {"name": "x' OR 1=1 OR o.name = '"})
    assert result.rows == [[0]]


def test_nodes_relationships_paths_and_dates_come_back_as_json(cypher_embedded: EmbeddedEngine) -> None:
    node, rel, start = run_cypher(
        cypher_embedded,
        "MATCH (o:Organisation {id: 'nasr'})-[r:MEMBER_OF]->(:Partnership) "
        "MATCH (j:Project {id: 'rcn/198244'}) RETURN o, r, j.start_date",
    ).rows[0]
    assert node["_labels"] == ["Organisation"] and node["iri"].endswith("/org/nasr") and "pic" not in node
    assert rel == {"_type": "MEMBER_OF", "role": "member"}
    assert start == "2015-01-01"
    path = run_cypher(cypher_embedded, "MATCH p = (:Organisation {id: 'nasr'})-[:PART_OF]->(:Organisation) RETURN p").rows[0][0]
    assert [n["id"] for n in path["nodes"]] == ["nasr", "ministry-of-education-and-research"]
    assert path["relationships"] == [{"_type": "PART_OF"}]


def test_write_clauses_are_refused_for_readers_before_execution(cypher_embedded: EmbeddedEngine) -> None:
    with pytest.raises(ReadOnlyQueryError, match="DELETE"):
        run_cypher(cypher_embedded, "MATCH (o:Organisation {id: 'nasr'}) DELETE o")
    assert run_cypher(cypher_embedded, "MATCH (o:Organisation {id: 'nasr'}) RETURN count(o)").rows == [[1]]


def test_the_projection_is_opened_read_only_for_reads(cypher_embedded: EmbeddedEngine) -> None:
    # past the guard (engine.run directly), the read-only open refuses the write all the same
    with pytest.raises(ReadOnlyQueryError):
        cypher_embedded.run("MATCH (o:Organisation {id: 'nasr'}) SET o.name = 'changed'")


def test_admin_may_write(cypher_data: Path, tmp_path: Path) -> None:
    shutil.copytree(cypher_data / "cypher", tmp_path / "cypher", ignore=shutil.ignore_patterns("*.lock"))
    engine = EmbeddedEngine(tmp_path / "cypher", memory_mb=128)
    run_cypher(engine, "MATCH (o:Organisation {id: 'nasr'}) SET o.name = 'NASR (edited)'", admin=True)
    assert run_cypher(engine, "MATCH (o:Organisation {id: 'nasr'}) RETURN o.name").rows == [["NASR (edited)"]]
    engine.close()


def test_timeout_really_stops_an_explosive_query(cypher_embedded: EmbeddedEngine) -> None:
    started = time.perf_counter()
    with pytest.raises(QueryTimeoutError, match="1 s"):
        run_cypher(cypher_embedded, EXPLOSIVE, timeout_s=1.0)
    assert time.perf_counter() - started < 5.0  # stopped at the limit, not run to the end
    # the engine is usable right after
    assert run_cypher(cypher_embedded, "MATCH (r:Region {code: 'RO21'}) RETURN r.name").rows == [["Nord-Est"]]


def test_memory_is_bounded_too(cypher_embedded: EmbeddedEngine) -> None:
    # materialising every path hits the buffer pool (INNOGRAPH_CYPHER_MEMORY_MB) or the limit: an error, not a crash
    with pytest.raises(QueryError):
        run_cypher(cypher_embedded, "MATCH p = (a:Organisation)-[:PARTICIPATES_IN*1..12]-(b) RETURN count(p)", timeout_s=10)
    assert run_cypher(cypher_embedded, "RETURN 1 AS one").rows == [[1]]


def test_row_cap_is_reported(cypher_embedded: EmbeddedEngine) -> None:
    result = run_cypher(cypher_embedded, "MATCH (o:Organisation) RETURN o.iri AS iri ORDER BY iri", row_cap=10)
    assert len(result.rows) == 10 and result.truncated
    assert result.total_rows is not None and result.total_rows > 3000
    exact = run_cypher(cypher_embedded, "MATCH (r:Region) RETURN r.code", row_cap=55)
    assert len(exact.rows) == 55 and not exact.truncated


def test_a_cartesian_product_is_cut_without_being_produced(cypher_embedded: EmbeddedEngine) -> None:
    # 3,700 x 3,700 x 1,000 rows: only the first 5 are ever materialised
    result = run_cypher(cypher_embedded, "MATCH (a:Organisation), (b:Organisation), (f:Field) RETURN a.id, b.id, f.code",
                        row_cap=5, timeout_s=10)
    assert result.truncated and len(result.rows) == 5 and result.elapsed_ms < 5000


@pytest.mark.parametrize("query", ["MATCH (o:Organisation RETURN o", "MATCH (o:NoSuchLabel) RETURN o",
                                   "RETURN no_such_function(1)"])
def test_syntax_and_binding_errors(cypher_embedded: EmbeddedEngine, query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        run_cypher(cypher_embedded, query)


def test_a_parameter_the_engine_cannot_take_is_invalid_input(cypher_embedded: EmbeddedEngine) -> None:
    with pytest.raises(InvalidInputError, match="parameters"):
        run_cypher(cypher_embedded, "RETURN $x AS x", {"x": [1, "two"]})


def test_no_projection_yet_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EngineUnavailableError, match="innograph project"):
        EmbeddedEngine(tmp_path / "cypher").run("RETURN 1")
