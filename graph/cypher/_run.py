"""One entry point for running Cypher on behalf of someone: the guard, then the engine.

Why here and not in each engine: the rule "read-only unless admin" and its error must be
the same for the HTTP API, the CLI and any engine, and a read query from an admin should
still open the embedded projection read-only (a read-write open locks out other readers).
"""

from __future__ import annotations

import re

from common.errors import InvalidInputError, QueryError, ReadOnlyQueryError
from graph.cypher._base import CypherEngine, CypherResult, Parameters
from graph.cypher._guard import check_no_fetch, check_read_only

_PARAMETER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def is_read_only(query: str) -> bool:
    """True when the guard would let ``query`` through for a reader."""
    try:
        check_read_only(query)
    except ReadOnlyQueryError:
        return False
    return True


def run_cypher(
    engine: CypherEngine, query: str, parameters: Parameters | None = None, *, admin: bool = False,
    timeout_s: float = 30.0, row_cap: int = 10_000,
) -> CypherResult:
    """Run ``query`` with ``parameters`` (never spliced into the text) on ``engine``.

    Readers may only read: a write clause raises ``ReadOnlyQueryError`` before the engine sees
    the query. ``admin`` may write, which changes the projection until its next rebuild.

    >>> from graph.cypher._guard import check_read_only
    >>> is_read_only("MATCH (n) SET n.x = 1")
    False
    """
    for name in parameters or {}:
        if not _PARAMETER.match(name):
            raise InvalidInputError(f"parameters.{name}", "a parameter name is letters, digits and '_'")
    if not query.strip():
        raise QueryError("the query is empty")
    check_no_fetch(query)  # before the role: not even an admin makes the server fetch
    write = False
    if admin:
        write = not is_read_only(query)
    else:
        check_read_only(query)
    return engine.run(query, parameters, write=write, timeout_s=timeout_s, row_cap=row_cap)
