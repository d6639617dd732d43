"""Read-only SPARQL from Python (the CLI's ``innograph sparql``), with a real time limit and a row cap.

Why this is now a thin layer over ``graph.sparql``: the CLI, the HTTP endpoint and the
benchmarks must answer a query identically and stop it the same way. An on-disk store is
queried by ``graph.sparql.run_oneshot``: a spawned child opens the store read-only and is
killed at the limit (a running pyoxigraph query cannot be interrupted from Python; a fork
taken after RocksDB is open hung once, so it is spawned). One query from the command line
does not pay for a replica; the server keeps one (``graph.sparql.ReplicaPool``).
In-memory stores (tests, validation scratch) cannot be seen by a spawned child: they are
forked, since they have no RocksDB threads.

>>> from graph.store import GraphStore
>>> run_query(GraphStore(None), "ASK { ?s ?p ?o }").boolean
False
"""

from __future__ import annotations

import json
import multiprocessing as mp
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

import pyoxigraph as ox

from common.errors import QueryError, QuerySyntaxError, QueryTimeoutError, ReadOnlyQueryError
from graph.sparql._execute import Answer, QueryRequest, execute
from graph.sparql._fetch_policy import check_query
from graph.sparql._pool import run_oneshot
from graph.store import GraphStore

Term = dict[str, str]


@dataclass
class QueryResult:
    """SELECT rows (terms in SPARQL-JSON form), an ASK boolean, or CONSTRUCT triples."""

    kind: str  # "select" | "ask" | "graph"
    columns: list[str] = field(default_factory=list)
    rows: list[list[Term | None]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[str] = field(default_factory=list)  # N-Triples lines
    truncated: bool = False
    seconds: float = 0.0


def _child(conn: Connection, store: ox.Store, request: QueryRequest) -> None:
    conn.send(execute(store, request))
    conn.close()


def _forked(store: ox.Store, request: QueryRequest, timeout_s: float) -> Answer:
    context = mp.get_context("fork")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, store, request), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout_s):
            raise QueryTimeoutError(timeout_s)
        answer: Answer = parent.recv()
        return answer
    except EOFError:
        raise QueryError("the query process died without an answer (out of memory?)") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()


def _result(answer: Answer) -> QueryResult:
    if answer.kind == "ask":
        return QueryResult("ask", boolean=json.loads(answer.body)["boolean"], seconds=answer.seconds)
    if answer.kind == "graph":
        lines = [line for line in answer.body.decode().splitlines() if line and not line.startswith("#")]
        return QueryResult("graph", triples=lines, truncated=answer.truncated, seconds=answer.seconds)
    doc = json.loads(answer.body)
    columns = doc["head"]["vars"]
    rows = [[binding.get(c) for c in columns] for binding in doc["results"]["bindings"]]
    return QueryResult("select", columns, rows, truncated=answer.truncated, seconds=answer.seconds)


def run_query(
    store: GraphStore, query: str, *, timeout_s: float = 30.0, row_cap: int = 10_000
) -> QueryResult:
    """Run a read-only query over the union of all graphs; raise ``QueryTimeoutError`` past the limit."""
    check_query(query)  # SERVICE: the CLI does not fetch from other endpoints either
    request = QueryRequest(query, results_format="json", graph_format="ntriples", row_cap=row_cap)
    if store.path is None:
        answer = _forked(store.oxigraph, request, timeout_s)
    else:
        answer = run_oneshot(store.path, request, timeout_s, store.flush)
    if answer.status == "syntax":
        raise QuerySyntaxError(answer.message)
    if answer.status == "update":
        raise ReadOnlyQueryError(answer.message)
    if answer.status != "ok":
        raise QueryError(answer.message)
    return _result(answer)
