"""Cypher over the property-graph projection: engines, the read-only guard, the analyst suite.

Why a package: one module per concern (engines, guard, suite), re-exported here so callers
import ``graph.cypher`` only; the projection itself (what is in the graph) is ``graph.projection``.

Errors (``common.errors``)::

    QueryError
    ├── QuerySyntaxError        the engine's parser or binder refused the text (400)
    ├── ReadOnlyQueryError      a write clause from a non-admin, refused before execution (403)
    ├── QueryTimeoutError       stopped inside the engine at its time limit (503)
    └── EngineUnavailableError  Neo4j unreachable, projection not built or locked
"""

from graph.cypher._base import CypherEngine, CypherResult, EngineUnavailableError
from graph.cypher._guard import check_no_fetch, check_read_only
from graph.cypher._run import is_read_only, run_cypher
from graph.cypher._suite import SuiteQuery, load_suite, same_rows

__all__ = [
    "CypherEngine",
    "CypherResult",
    "EngineUnavailableError",
    "SuiteQuery",
    "check_no_fetch",
    "check_read_only",
    "is_read_only",
    "load_suite",
    "run_cypher",
    "same_rows",
]
