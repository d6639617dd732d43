"""Cypher over the property-graph projection: the projection, engines, the read-only guard, the analyst suite.

Why a package: one module per concern (projection and its mapping, engines, guard, suite),
re-exported here so callers import ``graph.cypher`` only. The projection (``_projection``,
``_projection_mapping``, ``_projection_extract``) says what of the RDF store is in the graph;
the engines (``_embedded`` LadybugDB, ``_neo4j``) run Cypher over it.

Errors (``common.errors``)::

    QueryError
    ├── QuerySyntaxError        the engine's parser or binder refused the text (400)
    ├── ReadOnlyQueryError      a write clause from a non-admin, refused before execution (403)
    ├── QueryTimeoutError       stopped inside the engine at its time limit (503)
    └── EngineUnavailableError  Neo4j unreachable, projection not built or locked
"""

from graph.cypher._base import CypherEngine, CypherResult, EngineUnavailableError
from graph.cypher._guard import check_no_fetch, check_read_only
from graph.cypher._projection import (
    ENGINES,
    ensure_projection,
    is_fresh,
    mapping_table,
    open_engine,
    rebuild_projection,
    refresh_projection,
)
from graph.cypher._projection_extract import extract
from graph.cypher._run import is_read_only, run_cypher
from graph.cypher._suite import SuiteQuery, load_suite, same_rows
from graph.cypher._suite import parse as parse_suite_query

__all__ = [
    "ENGINES",
    "CypherEngine",
    "CypherResult",
    "EngineUnavailableError",
    "SuiteQuery",
    "check_no_fetch",
    "check_read_only",
    "ensure_projection",
    "extract",
    "is_fresh",
    "is_read_only",
    "load_suite",
    "mapping_table",
    "open_engine",
    "parse_suite_query",
    "rebuild_projection",
    "refresh_projection",
    "run_cypher",
    "same_rows",
]
