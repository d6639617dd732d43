"""An external SPARQL 1.1 endpoint as innograph's RDF store (Virtuoso, Fuseki, GraphDB ...).

Why: one machine's embedded Oxigraph is the default, but an installation that already runs
a triple store, or outgrows one process, points ``INNOGRAPH_SPARQL_QUERY_URL`` and
``INNOGRAPH_SPARQL_UPDATE_URL`` at it: ``/sparql`` queries and updates go there; the ingest pipeline
writes there when given this store (``ingest_path(RemoteStore(...), source)``; the CLI and
``POST /ingest`` still write the embedded store, which matching reads).
Only the SPARQL 1.1 Protocol is used (form-encoded ``query=`` / ``update=``), so any
conformant store works; it is tested against Virtuoso Open Source (``scripts/virtuoso``).

How writes keep innograph's guarantees over plain HTTP:

- ``replace_graph`` reads the stored graph back (one CONSTRUCT), diffs it with the new
  version, and sends the difference *and the PROV record in one update request* when it
  fits (``max_request_quads``): the store applies it as one transaction.
- A larger difference goes in several requests (stores refuse huge requests: Virtuoso's
  parser gives up near 5000 triples), the PROV record last. A first load is then safe as on
  Oxigraph (``recover`` removes a graph without a PROV record); a large *replacement*
  interrupted half-way leaves a mix that the next ingest of that source repairs, since its
  PROV record still names the previous run's input.
- The endpoint must return whole graphs: raise its row limits (our Virtuoso script does).

>>> store = RemoteStore("http://127.0.0.1:18890/sparql", "http://127.0.0.1:18890/sparql")  # doctest: +SKIP
>>> store.count()  # doctest: +SKIP
0
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator

import httpx
import pyoxigraph as ox

from common.errors import EngineUnavailableError, QueryError, QuerySyntaxError, QueryTimeoutError, StoreError
from common.settings import Settings
from graph.sparql._execute import Answer, QueryRequest, answer_for, looks_like_update, query_kind
from graph.store import PROVENANCE_GRAPH, Bindings, RdfStore
from ontology._namespaces import GRAPH, PREFIXES

log = logging.getLogger(__name__)

RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML}
_ACCEPT_GRAPH = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8"
_PROLOGUE = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
_LEADING_BASE = re.compile(r"\s*BASE\s*<[^>]*>", re.IGNORECASE)


def _with_prologue(text: str) -> str:
    """Our prefixes before the text, after a leading ``BASE`` (the protocol's service base).

    Virtuoso refuses a ``BASE`` that follows ``PREFIX`` declarations (a syntax error at 'BASE'),
    although SPARQL's grammar allows either order.

    >>> _with_prologue("BASE <http://x/> INSERT DATA {}").splitlines()[0]
    'BASE <http://x/>'
    """
    base = _LEADING_BASE.match(text)
    if base is None:
        return _PROLOGUE + text
    return f"{base.group(0).strip()}\n{_PROLOGUE}{text[base.end():]}"
_OURS = f'FILTER(STRSTARTS(STR(?g), "{GRAPH}"))'
_COMMITTED = "SELECT DISTINCT ?g WHERE { GRAPH ?prov { ?run <http://www.w3.org/ns/prov#generated> ?g } }"


def _bind(query: str, bindings: Bindings) -> str:
    """Bind parameters with an inline VALUES at the start of the WHERE group.

    Joined first, like pyoxigraph's substitutions, and understood by every store (Virtuoso
    mishandles a trailing VALUES on a ``GRAPH ?var``). Only for our own queries, which
    always have a ``WHERE {``.
    """
    where = re.search(r"\bWHERE\s*\{", query, re.IGNORECASE)
    if where is None:
        raise QueryError("select() with bindings needs a query with a WHERE clause")
    names = " ".join(f"?{k}" for k in bindings)
    values = f" VALUES ({names}) {{ ({' '.join(str(v) for v in bindings.values())}) }} "
    return query[: where.end()] + values + query[where.end():]


class RemoteStore(RdfStore):
    """A SPARQL 1.1 endpoint pair (query, update) holding innograph's named graphs."""

    def __init__(
        self,
        query_url: str,
        update_url: str,
        *,
        timeout_s: float = 60.0,
        write_timeout_s: float = 600.0,
        max_request_quads: int = 2000,
        client: httpx.Client | None = None,
    ) -> None:
        self.query_url, self.update_url = query_url, update_url
        self.timeout_s, self.write_timeout_s = timeout_s, write_timeout_s
        self.max_request_quads = max_request_quads
        # Never follow a redirect: the endpoint (or whoever answers in its place) must not be able to
        # send the server's requests, with the caller's query, to another address.
        self._client = client or httpx.Client(follow_redirects=False)

    def close(self) -> None:
        self._client.close()

    # --- reading --------------------------------------------------------------------------

    def _post_query(self, text: str, accept: str, timeout_s: float, params: dict[str, object] | None = None
                    ) -> httpx.Response:
        data: dict[str, object] = {"query": _with_prologue(text), **(params or {})}
        try:
            response = self._client.post(self.query_url, data=data, headers={"Accept": accept},
                                         timeout=httpx.Timeout(timeout_s, connect=min(timeout_s, 10.0)))
        except httpx.TimeoutException:
            raise QueryTimeoutError(timeout_s) from None
        except httpx.TransportError as exc:  # refused, reset, closed: the endpoint is down, not broken by us
            raise EngineUnavailableError(f"the SPARQL endpoint {self.query_url} is not reachable: {exc}") from None
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL endpoint {self.query_url} cannot be reached: {exc}") from exc
        _refuse_redirect(response, self.query_url)
        if response.status_code == 400:
            raise QuerySyntaxError(_message(response))
        if response.status_code >= 300:
            raise QueryError(f"the SPARQL endpoint answered {response.status_code}: {response.text.strip()[:2000]}")
        if response.headers.get("x-sql-state") == "S1TAT":  # Virtuoso's partial "anytime" answer
            raise QueryTimeoutError(timeout_s)
        return response

    def _parse(self, response: httpx.Response) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]:
        try:
            return self._parse_body(response)
        except SyntaxError as exc:  # e.g. JSON-LD with a remote @context: never fetched, so it cannot be read
            raise QueryError(f"the SPARQL endpoint's answer cannot be read: {exc}") from None

    def _parse_body(self, response: httpx.Response
                    ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]:
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in _GRAPH_TYPES:
            return list(ox.parse(response.content, format=_GRAPH_TYPES[media]))
        if media in (RESULTS_JSON, "application/json"):
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.JSON)
        if media in ("application/sparql-results+xml", "application/xml"):
            return ox.parse_query_results(response.content, format=ox.QueryResultsFormat.XML)
        raise QueryError(f"the SPARQL endpoint answered in an unexpected format: {media or 'none'}")

    def select(self, query: str, bindings: Bindings | None = None, *, union: bool = True) -> ox.QuerySolutions:
        text = _bind(query, bindings) if bindings else query
        result = self._parse(self._post_query(text, RESULTS_JSON, self.timeout_s))
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("select() runs SELECT queries only")
        return result

    def run(self, request: QueryRequest, timeout_s: float) -> Answer:
        """A protocol request (``/sparql``) answered by the endpoint, then capped and serialised here."""
        if looks_like_update(request.query):
            return Answer("update", message="this is a SPARQL update; the query endpoint only reads")
        params: dict[str, object] = {"timeout": int(timeout_s * 1000)}  # Virtuoso stops its own work too
        if request.default_graphs:
            params["default-graph-uri"] = list(request.default_graphs)
        if request.named_graphs:
            params["named-graph-uri"] = list(request.named_graphs)
        try:
            accept = _ACCEPT_GRAPH if query_kind(request.query) == "graph" else RESULTS_JSON
            result = self._parse(self._post_query(request.query, accept, timeout_s, params))
        except QuerySyntaxError as exc:
            return Answer("syntax", message=str(exc))
        if isinstance(result, list):
            result = iter(result)  # type: ignore[assignment]
        return answer_for(result, request)  # type: ignore[arg-type]

    def named_graphs(self) -> list[ox.NamedNode]:
        rows = self.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {_OURS} }}")
        return sorted((row["g"] for row in rows), key=str)

    def count(self, graph: ox.NamedNode | None = None) -> int:
        where = f"GRAPH {graph} {{ ?s ?p ?o }}" if graph else f"GRAPH ?g {{ ?s ?p ?o }} {_OURS}"
        rows = list(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
        return int(rows[0]["n"].value) if rows else 0

    def graph_quads(self, graph: ox.NamedNode) -> set[ox.Quad]:
        response = self._post_query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}",
                                    _ACCEPT_GRAPH, self.write_timeout_s)
        triples = self._parse(response)
        assert isinstance(triples, list)
        return {ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples}

    def types_of(self, nodes: Iterable[ox.NamedNode], exclude: ox.NamedNode) -> Iterator[ox.Quad]:
        batch: list[ox.NamedNode] = []
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        for node in [*nodes, None]:
            if node is not None:
                batch.append(node)
            if batch and (node is None or len(batch) == 500):
                values = " ".join(str(n) for n in batch)
                rows = self.select(f"SELECT ?s ?t ?g WHERE {{ VALUES ?s {{ {values} }} GRAPH ?g {{ ?s a ?t }} "
                                   f"FILTER(?g != {exclude}) {_OURS} }}")
                for row in rows:
                    yield ox.Quad(row["s"], rdf_type, row["t"], row["g"])
                batch = []

    # --- writing --------------------------------------------------------------------------

    def update(self, text: str) -> None:
        try:
            response = self._client.post(self.update_url, data={"update": _with_prologue(text)},
                                         timeout=self.write_timeout_s)
        except httpx.ConnectError as exc:  # refused before anything was sent: nothing was written
            raise EngineUnavailableError(f"the SPARQL update endpoint {self.update_url} is not reachable: {exc}"
                                         ) from None
        except httpx.HTTPError as exc:
            raise StoreError(f"the SPARQL update endpoint {self.update_url} failed: {exc}") from exc
        _refuse_redirect(response, self.update_url)
        if response.status_code == 400:
            raise QuerySyntaxError(_message(response))
        if response.status_code >= 300:
            raise StoreError(f"the SPARQL update endpoint answered {response.status_code}: "
                             f"{response.text.strip()[:2000]}")

    def _requests(self, removed: list[ox.Quad], inserted: list[ox.Quad]) -> Iterator[str]:
        """Update texts of at most ``max_request_quads`` quads each, deletions first."""
        step = self.max_request_quads
        for keyword, quads in (("DELETE DATA", removed), ("INSERT DATA", inserted)):
            for start in range(0, len(quads), step):
                yield _data_block(keyword, quads[start:start + step])

    def replace_graph(
        self, graph: ox.NamedNode, new: set[ox.Quad], extra: Iterable[ox.Quad] = (), *, unchanged_ok: bool = False
    ) -> tuple[int, int]:
        old = self.graph_quads(graph)
        added, removed = new - old, old - new
        if unchanged_ok and not added and not removed:
            return 0, 0
        extra = list(extra)
        try:
            if len(added) + len(removed) + len(extra) <= self.max_request_quads:
                parts = [_data_block("DELETE DATA", list(removed)) if removed else "",
                         _data_block("INSERT DATA", [*added, *extra])]
                self.update(" ;\n".join(p for p in parts if p))
            else:
                for text in self._requests(list(removed), list(added)):
                    self.update(text)
                self.update(_data_block("INSERT DATA", extra))  # the graph counts once this lands
        except (StoreError, QuerySyntaxError) as exc:
            raise StoreError(f"writing {graph.value} to {self.update_url} failed: {exc}") from exc
        return len(added), len(removed)

    def clear_graph(self, graph: ox.NamedNode) -> int:
        n = self.count(graph)
        if n:
            self.update(f"DROP SILENT GRAPH {graph}")
        return n

    def recover(self) -> list[ox.NamedNode]:
        committed = {row["g"] for row in self.select(_COMMITTED, {"prov": PROVENANCE_GRAPH})}
        orphans = [g for g in self.named_graphs() if g != PROVENANCE_GRAPH and g not in committed]
        for graph in orphans:
            log.warning("removing %s: a crashed ingest left it without a provenance record", graph.value)
            self.update(f"DROP SILENT GRAPH {graph}")
        return orphans


def remote_for_settings(settings: Settings) -> RemoteStore | None:
    """The external store of ``INNOGRAPH_SPARQL_QUERY_URL`` / ``_UPDATE_URL``, if configured."""
    if not settings.sparql_query_url:
        return None
    return RemoteStore(settings.sparql_query_url, settings.sparql_update_url or settings.sparql_query_url,
                       timeout_s=settings.query_timeout_s, write_timeout_s=settings.sparql_remote_write_timeout_s)


def _refuse_redirect(response: httpx.Response, url: str) -> None:
    """A redirect from the endpoint is an error of the configuration, never followed."""
    if response.is_redirect:
        raise EngineUnavailableError(
            f"the SPARQL endpoint {url} answered {response.status_code}, redirecting to "
            f"{response.headers.get('location', '?')}; innograph does not follow redirects (set the endpoint's "
            "final address in INNOGRAPH_SPARQL_QUERY_URL / INNOGRAPH_SPARQL_UPDATE_URL)"
        )


def _message(response: httpx.Response) -> str:
    """The endpoint's error without the echo of our query (Virtuoso appends it)."""
    return response.text.split("\n\nSPARQL query:", 1)[0].strip()[:2000]


def _data_block(keyword: str, quads: list[ox.Quad]) -> str:
    by_graph: dict[str, list[str]] = {}
    for quad in quads:
        by_graph.setdefault(str(quad.graph_name), []).append(f"{quad.triple} .")
    # one triple a line: Virtuoso's parser runs out of stack on ~5000 triples, or on long lines
    body = "\n".join(f"GRAPH {g} {{\n{chr(10).join(lines)}\n}}" for g, lines in by_graph.items())
    return f"{keyword} {{ {body} }}"
