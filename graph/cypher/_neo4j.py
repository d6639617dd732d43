"""Neo4j 5 over Bolt with the official driver: the engine for when one machine is not enough.

Why READ sessions and the guard both: Neo4j refuses writes in a READ access-mode session
(on a single server as in a cluster), which is the authority; the guard in
``graph.cypher._guard`` refuses earlier with the same reason the embedded engine gives.
Why ``neo4j.Query(timeout=...)``: the limit becomes a server-side transaction timeout, so the
server stops the work; a client-side timer would only stop waiting.

The projection is written with batched ``UNWIND`` (``Settings.neo4j_batch_size`` rows per
transaction) after deleting the projection's labels in batches (``CALL {...} IN
TRANSACTIONS``), under a uniqueness constraint on ``iri`` per label (which is also the index
the relationship batches look their ends up in) and range indexes on names and codes.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors

from common.errors import (
    InvalidInputError,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyQueryError,
)
from graph.cypher._base import (
    CypherEngine,
    CypherResult,
    EngineUnavailableError,
    Parameters,
    graph_value,
    plain,
)
from graph.cypher._projection_extract import ProjectionData, Row
from graph.cypher._projection_mapping import NODES

log = logging.getLogger(__name__)

_TIMEOUT_CODES = ("TransactionTimedOut", "TransactionTimedOutClientConfiguration")
_LABELS = sorted({spec.label for spec in NODES} | {x.label for spec in NODES for x in spec.extra_labels})

CLEAR = """
MATCH (n) WHERE any(label IN labels(n) WHERE label IN $labels)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
"""


def schema_statements() -> list[str]:
    """Constraints and indexes, generated from the mapping (idempotent: IF NOT EXISTS)."""
    out = []
    for spec in NODES:
        out.append(f"CREATE CONSTRAINT {spec.label.lower()}_iri IF NOT EXISTS "
                   f"FOR (n:{spec.label}) REQUIRE n.iri IS UNIQUE")
        for prop in spec.indexed:
            out.append(f"CREATE INDEX {spec.label.lower()}_{prop} IF NOT EXISTS FOR (n:{spec.label}) ON (n.{prop})")
    return out


def _node_statement(label: str) -> str:
    return f"UNWIND $rows AS row CREATE (n:{label}) SET n = row"


def _rel_statement(rel_type: str, start: str, end: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{start} {{iri: row.from}}) MATCH (b:{end} {{iri: row.to}}) "
            f"CREATE (a)-[r:{rel_type}]->(b) SET r = row.props")


class Neo4jEngine(CypherEngine):
    """Cypher on a Neo4j server; one driver (connection pool) per engine."""

    name = "neo4j"

    def __init__(
        self, uri: str, user: str = "neo4j", password: str | None = None, database: str | None = None,
        *, batch_size: int = 10_000,
    ) -> None:
        self.uri = uri
        self.database = database
        self.batch_size = batch_size
        auth = (user, password) if password else None
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=auth, connection_timeout=10,
                                                     connection_acquisition_timeout=30)
        except (ValueError, neo4j_errors.ConfigurationError) as exc:
            raise EngineUnavailableError(f"bad Neo4j URI {uri!r}: {exc}") from None

    def close(self) -> None:
        self.driver.close()

    def _session(self, write: bool, fetch_size: int = 1000) -> neo4j.Session:
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode, fetch_size=fetch_size)

    def run(
        self, query: str, parameters: Parameters | None = None, *, write: bool = False,
        timeout_s: float = 30.0, row_cap: int = 10_000,
    ) -> CypherResult:
        started = time.perf_counter()
        rows: list[list[Any]] = []
        truncated = False
        try:
            with self._session(write, fetch_size=min(row_cap + 1, 1000)) as session:
                result = session.run(neo4j.Query(query, timeout=timeout_s), dict(parameters or {}))
                columns = list(result.keys())
                for record in result:
                    if len(rows) == row_cap:
                        truncated = True
                        break
                    rows.append([_value(v) for v in record.values()])
                result.consume()  # the rest is discarded on the server, not streamed
        except neo4j_errors.Neo4jError as exc:
            raise _error(exc, timeout_s) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
            raise EngineUnavailableError(f"Neo4j at {self.uri} is not reachable: {exc}") from None
        except (TypeError, ValueError, OverflowError) as exc:  # a parameter Bolt cannot carry
            raise InvalidInputError("parameters", f"a value Neo4j cannot take: {exc}") from None
        return CypherResult(columns, rows, self.name, truncated, (time.perf_counter() - started) * 1000)

    def load(self, data: ProjectionData) -> float:
        """Replace every node of the projection's labels with ``data`` (other labels are left alone)."""
        started = time.perf_counter()
        try:
            with self._session(write=True) as session:
                for statement in schema_statements():
                    session.run(statement).consume()
                session.run(CLEAR, labels=_LABELS).consume()
                for table in data.nodes:
                    rows = [{k: v for k, v in row.items() if v is not None} for row in table.rows]  # null: no property
                    self._batches(session, _node_statement(table.spec.label), rows)
                    for extra in table.spec.extra_labels:
                        session.run(f"MATCH (n:{table.spec.label}) WHERE {extra.where} SET n:{extra.label}").consume()
                for rel in data.rels:
                    rows = [_rel_row(row, [p.name for p in rel.spec.props]) for row in rel.rows]
                    self._batches(session, _rel_statement(rel.spec.type, rel.from_label, rel.to_label), rows)
                session.run("CALL db.awaitIndexes(300)").consume()
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError) as exc:
            raise EngineUnavailableError(f"Neo4j at {self.uri} is not reachable: {exc}") from None
        return time.perf_counter() - started

    def _batches(self, session: neo4j.Session, statement: str, rows: list[Row]) -> None:
        """One write transaction per batch: big enough to be fast, small enough for the heap."""

        def write(tx: neo4j.ManagedTransaction, chunk: list[Row]) -> None:
            tx.run(statement, rows=chunk).consume()

        for i in range(0, len(rows), self.batch_size):
            session.execute_write(write, rows[i : i + self.batch_size])


def _rel_row(row: Row, names: list[str]) -> Row:
    return {"from": row["from"], "to": row["to"], "props": {n: row[n] for n in names if row[n] is not None}}


def _value(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Node):
        return graph_value(list(value.labels), None, dict(value))
    if isinstance(value, neo4j.graph.Relationship):
        return graph_value(None, value.type, dict(value))
    if isinstance(value, neo4j.graph.Path):
        return {"nodes": [_value(n) for n in value.nodes], "relationships": [_value(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    return plain(value)


def _error(exc: neo4j_errors.Neo4jError, timeout_s: float) -> QueryError:
    code = exc.code or ""
    message = exc.message or str(exc)
    if code.endswith(_TIMEOUT_CODES) or "terminated" in message.lower() and "timeout" in message.lower():
        return QueryTimeoutError(timeout_s)
    if code.endswith(("SyntaxError", "ParameterMissing", "SemanticError", "ArgumentError", "TypeError")):
        return QuerySyntaxError(message)
    if code.endswith(("AccessMode", "Forbidden")) or "read access mode" in message.lower():
        return ReadOnlyQueryError(f"Neo4j refused a write in a READ session: {message}")
    return QueryError(f"{code}: {message}")
