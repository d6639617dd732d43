"""Smoke test of the real Neo4j that scripts/neo4j/start.sh starts (Community 5.x, Bolt on loopback).

Run:  eval "$(bash scripts/neo4j/start.sh 7687 /tmp/neo4j-test)" && pytest -q tests/neo4j_server;
      bash scripts/neo4j/stop.sh /tmp/neo4j-test

Without NEO4J_URI the tests are skipped, except under CI=true, where a missing server is a failure.
Everything the tests create carries a per-run suffix and is removed afterwards, so a reused data
directory stays clean.
"""

from __future__ import annotations

import math
import os
import random
import time
import uuid
from collections.abc import Iterator

import neo4j
import pytest
from neo4j.exceptions import ClientError, ConstraintError

DIMENSIONS = 384


@pytest.fixture(scope="module")
def driver() -> Iterator[neo4j.Driver]:
    uri = os.environ.get("NEO4J_URI")
    if not uri:
        message = 'NEO4J_URI is not set: start Neo4j with `eval "$(bash scripts/neo4j/start.sh)"`'
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: Neo4j must be running)")
        pytest.skip(message)
    auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "innograph-test"))
    drv = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=10)
    try:
        drv.verify_connectivity()
        yield drv
    finally:
        drv.close()


@pytest.fixture
def tag() -> str:
    """A per-test suffix for labels and schema names."""
    return uuid.uuid4().hex[:12]


def test_server_is_neo4j_5(driver: neo4j.Driver) -> None:
    info = driver.get_server_info()
    assert info.agent.startswith("Neo4j/5."), info.agent
    with driver.session() as session:
        edition = session.run("CALL dbms.components() YIELD name, edition RETURN edition").single(
            strict=True
        )["edition"]
    assert edition == "community"


def test_node_round_trip(driver: neo4j.Driver, tag: str) -> None:
    label = f"Smoke_{tag}"
    try:
        with driver.session() as session:
            created = session.run(
                f"CREATE (n:{label} {{name: $name, tags: $tags}}) RETURN elementId(n) AS id",
                name="Fraunhofer",
                tags=["applied", "research"],
            ).single(strict=True)["id"]
            record = session.run(
                f"MATCH (n:{label}) WHERE elementId(n) = $id RETURN n.name AS name, n.tags AS tags",
                id=created,
            ).single(strict=True)
        assert record["name"] == "Fraunhofer"
        assert record["tags"] == ["applied", "research"]
    finally:
        driver.execute_query(f"MATCH (n:{label}) DETACH DELETE n")


def test_uniqueness_constraint(driver: neo4j.Driver, tag: str) -> None:
    label, name = f"Smoke_{tag}", f"smoke_unique_{tag}"
    try:
        driver.execute_query(
            f"CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.key IS UNIQUE"
        )
        driver.execute_query(f"CREATE (:{label} {{key: 'k1'}})")
        with pytest.raises(ConstraintError):
            driver.execute_query(f"CREATE (:{label} {{key: 'k1'}})")
        records, _, _ = driver.execute_query(
            "SHOW CONSTRAINTS YIELD name, type WHERE name = $name RETURN type", name=name
        )
        assert [r["type"] for r in records] == ["UNIQUENESS"]
    finally:
        driver.execute_query(f"MATCH (n:{label}) DETACH DELETE n")
        driver.execute_query(f"DROP CONSTRAINT {name} IF EXISTS")


def _unit_vector(rng: random.Random) -> list[float]:
    values = [rng.gauss(0.0, 1.0) for _ in range(DIMENSIONS)]
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values]


def test_vector_index(driver: neo4j.Driver, tag: str) -> None:
    label, index = f"Smoke_{tag}", f"smoke_vector_{tag}"
    rng = random.Random(20240611)
    vectors = {f"doc{i}": _unit_vector(rng) for i in range(20)}
    try:
        driver.execute_query(
            f"CREATE VECTOR INDEX {index} IF NOT EXISTS FOR (n:{label}) ON n.embedding "
            "OPTIONS {indexConfig: {`vector.dimensions`: $dims, `vector.similarity_function`: 'cosine'}}",
            dims=DIMENSIONS,
        )
        driver.execute_query("CALL db.awaitIndex($index, 60)", index=index)
        driver.execute_query(
            f"UNWIND $rows AS row CREATE (n:{label} {{key: row.key}}) "
            "WITH n, row CALL db.create.setNodeVectorProperty(n, 'embedding', row.vector)",
            rows=[{"key": k, "vector": v} for k, v in vectors.items()],
        )
        query = vectors["doc7"]
        records, _, _ = driver.execute_query(
            "CALL db.index.vector.queryNodes($index, 3, $query) YIELD node, score "
            "RETURN node.key AS key, score ORDER BY score DESC",
            index=index,
            query=query,
        )
        assert len(records) == 3
        assert records[0]["key"] == "doc7"
        assert records[0]["score"] == pytest.approx(1.0, abs=1e-4)
        assert records[1]["score"] < records[0]["score"]
        indexes, _, _ = driver.execute_query(
            "SHOW INDEXES YIELD name, type, state WHERE name = $name RETURN type, state", name=index
        )
        assert [(r["type"], r["state"]) for r in indexes] == [("VECTOR", "ONLINE")]
    finally:
        driver.execute_query(f"MATCH (n:{label}) DETACH DELETE n")
        driver.execute_query(f"DROP INDEX {index} IF EXISTS")


def test_read_session_refuses_writes(driver: neo4j.Driver, tag: str) -> None:
    label = f"Smoke_{tag}"
    with driver.session(default_access_mode=neo4j.READ_ACCESS) as session:
        assert session.run("RETURN 1 AS one").single(strict=True)["one"] == 1
        with pytest.raises(ClientError) as raised:
            session.run(f"CREATE (:{label})").consume()
    assert "AccessMode" in (raised.value.code or ""), raised.value.code
    records, _, _ = driver.execute_query(f"MATCH (n:{label}) RETURN count(n) AS c")
    assert records[0]["c"] == 0


def test_transaction_timeout_stops_explosive_query(driver: neo4j.Driver) -> None:
    explosive = neo4j.Query(
        "UNWIND range(1, 100000000) AS a UNWIND range(1, 100000000) AS b RETURN count(*) AS c",
        timeout=1,
    )
    started = time.monotonic()
    with driver.session() as session:
        with pytest.raises(ClientError) as raised:
            session.run(explosive).consume()
        elapsed = time.monotonic() - started
        # The server is still fine afterwards.
        assert session.run("RETURN 1 AS one").single(strict=True)["one"] == 1
    assert "TransactionTimedOut" in (raised.value.code or ""), raised.value.code
    assert elapsed < 10, f"the 1 s timeout took {elapsed:.1f} s to stop the query"
