"""One read-only query against one pyoxigraph store, answered as bytes in the negotiated format.

Why a pure function over a plain ``pyoxigraph.Store``: the same code runs in the replica
workers (an in-memory copy), in the one-shot child that reads the disk store while the
replica is refreshed, in the benchmarks and in tests, so every path answers identically.
Serialisation happens here too, in the worker, so only bytes cross the process boundary
and the server's event loop never formats ten thousand rows.

>>> store = ox.Store()
>>> answer = execute(store, QueryRequest("ASK { ?s ?p ?o }", results_format="json"))
>>> answer.status, answer.body
('ok', b'{"head": {}, "boolean": false}')
"""

from __future__ import annotations

import functools
import re
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.sparql._formats import BY_NAME, serialize_boolean, serialize_graph, serialize_rows
from ontology._namespaces import PREFIXES

# Strip IRIs, then strings, then comments, so that keywords are only searched in query text.
_IRI = re.compile(r"<[^<>\"{}|^`\\\s]*>")
_STRING = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                     r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'', re.DOTALL)
_COMMENT = re.compile(r"#[^\n]*")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)\s*)*", re.IGNORECASE)
_UPDATE_KEYWORDS = re.compile(r"^\s*(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b", re.IGNORECASE)
_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)


def _code(text: str) -> str:
    """The query with IRIs, strings and comments blanked out (keywords and variables remain)."""
    return _COMMENT.sub(" ", _STRING.sub('""', _IRI.sub("<>", text)))


def looks_like_update(text: str) -> bool:
    """True when the text starts (after its prologue) with an update keyword: a clearer refusal."""
    code = _code(text)
    code = re.sub(r"(?i)\b(PREFIX\s+[^\s:]*:\s*<>|BASE\s*<>)", " ", code)
    return bool(_UPDATE_KEYWORDS.match(code))


def query_kind(text: str) -> str | None:
    """"results" (SELECT, ASK), "graph" (CONSTRUCT, DESCRIBE) or None, from the first keyword."""
    match = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", _code(text), re.IGNORECASE)
    if match is None:
        return None
    return "graph" if match.group(1).upper() in ("CONSTRUCT", "DESCRIBE") else "results"


def has_dataset_clause(text: str) -> bool:
    """FROM / FROM NAMED in the query: then the query's own dataset applies, not the union.

    Remembered for short texts (three regexes cost ~6 us, a tenth of a small query); a long
    one is scanned each time, so a worker never keeps large query texts alive.
    """
    return _has_dataset_clause_cached(text) if len(text) <= 4096 else _has_dataset_clause(text)


@functools.lru_cache(maxsize=512)
def _has_dataset_clause_cached(text: str) -> bool:
    return _has_dataset_clause(text)


def _has_dataset_clause(text: str) -> bool:
    """FROM / FROM NAMED in the query: then the query's own dataset applies, not the union."""
    return bool(_FROM.search(_code(text)))


@dataclass(frozen=True)
class QueryRequest:
    """A read-only query and how to answer it (format names of ``graph.sparql._formats``).

    ``results_format`` answers SELECT/ASK, ``graph_format`` CONSTRUCT/DESCRIBE; None means the
    client accepts no format of that kind (406 once the query's kind is known).
    """

    query: str
    results_format: str | None = "json"
    graph_format: str | None = "turtle"
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    row_cap: int = 10_000
    base_iri: str | None = None


@dataclass
class Answer:
    """The outcome: ``status`` ok | syntax | update | not-acceptable | error."""

    status: str
    body: bytes = b""
    media_type: str = ""
    kind: str = ""  # select | ask | graph
    truncated: bool = False
    count: int = 0
    message: str = ""
    seconds: float = 0.0
    extra: dict[str, str] = field(default_factory=dict)


def dataset_options(request: QueryRequest) -> dict[str, object]:
    """pyoxigraph arguments for the protocol's dataset (default-graph-uri, named-graph-uri).

    Without any, the default graph is the union of all graphs (innograph's convention), unless
    the query names its own dataset with FROM: pyoxigraph would let the union override it.
    """
    if request.default_graphs or request.named_graphs:
        return {
            "default_graph": [ox.NamedNode(g) for g in request.default_graphs],
            "named_graphs": [ox.NamedNode(g) for g in request.named_graphs],
        }
    if has_dataset_clause(request.query):
        return {}
    return {"use_default_graph_as_union": True}


def execute(store: ox.Store, request: QueryRequest) -> Answer:
    """Run ``request`` on ``store``; never raises for a bad query (the status says what happened)."""
    started = time.perf_counter()
    try:
        answer = _execute(store, request)
    except SyntaxError as exc:
        if looks_like_update(request.query):
            answer = Answer("update", message="this is a SPARQL update; the query endpoint only reads: send "
                            "it to /sparql/update with an API key of role editor")
        else:
            answer = Answer("syntax", message=str(exc))
    except ValueError as exc:  # an invalid IRI in default-graph-uri or named-graph-uri
        answer = Answer("syntax", message=f"invalid graph IRI: {exc}")
    except Exception as exc:  # evaluation errors (SERVICE, storage) are the query's outcome
        answer = Answer("error", message=f"{type(exc).__name__}: {exc}")
    answer.seconds = time.perf_counter() - started
    return answer


def _execute(store: ox.Store, request: QueryRequest) -> Answer:
    result = store.query(request.query, prefixes=PREFIXES, base_iri=request.base_iri,
                         **dataset_options(request))  # type: ignore[arg-type]
    return answer_for(result, request)


def answer_for(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, request: QueryRequest) -> Answer:
    """Serialise a pyoxigraph result (local or parsed from a remote endpoint), capped."""
    if isinstance(result, ox.QueryBoolean):
        fmt = BY_NAME.get(request.results_format or "")
        if fmt is None:
            return Answer("not-acceptable", kind="ask")
        return Answer("ok", serialize_boolean(fmt, bool(result)), fmt.media_type, "ask", count=1)
    if isinstance(result, ox.QuerySolutions):
        fmt = BY_NAME.get(request.results_format or "")
        if fmt is None:
            return Answer("not-acceptable", kind="select")
        variables = [v.value for v in result.variables]
        rows: list[tuple[ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None, ...]] = []
        truncated = False
        for solution in result:
            if len(rows) == request.row_cap:
                truncated = True
                break
            rows.append(tuple(solution))
        body = serialize_rows(fmt, variables, rows, truncated)
        return Answer("ok", body, fmt.media_type, "select", truncated, len(rows))
    fmt = BY_NAME.get(request.graph_format or "")
    if fmt is None:
        return Answer("not-acceptable", kind="graph")
    triples: list[ox.Triple] = []
    truncated = False
    for triple in result:
        if len(triples) == request.row_cap:
            truncated = True
            break
        triples.append(triple)
    return Answer("ok", serialize_graph(fmt, triples, PREFIXES, truncated), fmt.media_type, "graph", truncated,
                  len(triples))
