"""Read-only SPARQL from Python, with a time limit that really stops the work and a row cap.

Why a child process: a running pyoxigraph query cannot be interrupted from Python (a
signal or alarm is not delivered until it returns; measured here), so each query runs in a
child process that returns at most ``row_cap`` rows and is killed when the limit passes.
The parent stays responsive whatever the query does.

Why *spawn* and a read-only open for on-disk stores: forking a process that has RocksDB open
copies its locks but not its background threads, and a fork taken while one of them held a
lock hung the child (seen once in 25 CLI runs). A spawned child opens the store read-only
instead (RocksDB allows that beside the read-write owner). In-memory stores (tests,
validation scratch) have no such threads and are forked, since a spawned child cannot see them.

>>> from graph.store import GraphStore
>>> run_query(GraphStore(None), "ASK { ?s ?p ?o }").boolean
False
"""

from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from common.errors import QueryError, QuerySyntaxError, QueryTimeoutError
from graph.store import GraphStore
from ontology._namespaces import PREFIXES

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


def term_json(term: Any) -> Term | None:
    """A pyoxigraph term as in SPARQL 1.1 JSON results."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _execute(store: ox.Store, query: str, row_cap: int) -> QueryResult:
    result = store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        columns = [v.value for v in result.variables]
        rows: list[list[Term | None]] = []
        for solution in result:
            if len(rows) == row_cap:
                return QueryResult("select", columns, rows, truncated=True)
            rows.append([term_json(solution[i]) for i in range(len(columns))])
        return QueryResult("select", columns, rows)
    triples: list[str] = []
    for triple in result:
        if len(triples) == row_cap:
            return QueryResult("graph", triples=triples, truncated=True)
        triples.append(f"{triple} .")
    return QueryResult("graph", triples=triples)


def _child(conn: Connection, store: ox.Store | str, query: str, row_cap: int) -> None:
    try:
        if isinstance(store, str):
            store = ox.Store.read_only(store)
        conn.send(("ok", _execute(store, query, row_cap)))
    except SyntaxError as exc:
        conn.send(("syntax", str(exc)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises QueryError
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def check_syntax(query: str) -> None:
    """Parse without running; updates fail here because the query parser refuses them."""
    try:
        ox.Store().query(query, prefixes=PREFIXES)
    except SyntaxError as exc:
        raise QuerySyntaxError(str(exc)) from None


def run_query(
    store: GraphStore, query: str, *, timeout_s: float = 30.0, row_cap: int = 10_000
) -> QueryResult:
    """Run a read-only query over the union of all graphs; raise ``QueryTimeoutError`` past the limit."""
    check_syntax(query)
    started = time.perf_counter()
    target: ox.Store | str
    context: mp.context.BaseContext
    if store.path is None:
        context, target = mp.get_context("fork"), store.oxigraph
    else:
        store.oxigraph.flush()
        context, target = mp.get_context("spawn"), str(store.path)
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(child, target, query, row_cap), daemon=True)
    process.start()
    child.close()
    try:
        if not parent.poll(timeout_s):
            raise QueryTimeoutError(timeout_s)
        status, payload = parent.recv()
    except EOFError:
        raise QueryError("the query process died without an answer (out of memory?)") from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        parent.close()
    if status == "syntax":
        raise QuerySyntaxError(payload)
    if status == "error":
        raise QueryError(payload)
    payload.seconds = time.perf_counter() - started
    return payload
