"""The SPARQL service: queries, updates and Graph Store operations over one store.

Why one object: the HTTP routes, the CLI and the tests need the same three things wired
together: the store (embedded Oxigraph or a remote endpoint), the query execution that can
stop a query (``ReplicaPool`` for the embedded store), and the write lock that serialises
updates with ingest. ``SparqlService.for_settings`` picks them from the settings.

Writes always go to the store of record (the disk store, or the remote endpoint), in the
calling process, under ``write_lock``; then ``changed`` tells the replica to catch up. A
write cannot be stopped half-way (Oxigraph applies an update as one transaction): only
queries have time limits.

>>> from graph.store import GraphStore
>>> service = SparqlService(GraphStore(None))
>>> service.query(QueryRequest("ASK { ?s ?p ?o }"), 5).body
b'{"head": {}, "boolean": false}'
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import pyoxigraph as ox

from common.errors import (
    NotFoundError,
    PermissionDeniedError,
    QueryError,
    QuerySyntaxError,
    RdfSyntaxError,
    ReadOnlyQueryError,
)
from common.settings import Settings
from graph.sparql._execute import Answer, QueryRequest, execute
from graph.sparql._fetch_policy import check_query as refuse_fetching_query
from graph.sparql._pool import ReplicaPool, run_oneshot
from graph.sparql._remote import RemoteStore
from graph.sparql._replica import generated_pairs
from graph.sparql._update import (
    REMOTE_GRAPH_SCAN,
    UpdateRun,
    check_update,
    replayable,
    with_protocol_dataset,
    with_provenance,
)
from graph.store import PROVENANCE_GRAPH, GraphStore, RdfStore, store_generation

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WriteOutcome:
    """What a write did: its PROV run, whether it created the graph, how long it took."""

    run: str
    created: bool = False
    triples: int | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, object]:
        return {"run": self.run, "created": self.created, "triples": self.triples, "seconds": round(self.seconds, 3)}


class SparqlService:
    """Queries with time limits and a row cap; updates and Graph Store writes with PROV."""

    def __init__(
        self,
        store: RdfStore,
        *,
        workers: int = 2,
        replica: bool = True,
        write_lock: threading.Lock | threading.RLock | None = None,
        service_allow: tuple[str, ...] = (),
    ) -> None:
        self.store = store
        self.service_allow = service_allow  # SERVICE endpoints an administrator allows (none by default)
        self.write_lock = write_lock or threading.Lock()
        self.pool: ReplicaPool | None = None
        if isinstance(store, GraphStore) and store.path is not None and replica:
            self.pool = ReplicaPool(store.path, lambda: store_generation(store),
                                    lambda: generated_pairs(store.oxigraph), store.flush, workers, self.write_lock)

    @classmethod
    def for_settings(cls, store: RdfStore, settings: Settings,
                     write_lock: threading.Lock | threading.RLock | None = None) -> SparqlService:
        return cls(store, workers=settings.sparql_workers, replica=settings.sparql_replica, write_lock=write_lock,
                   service_allow=tuple(settings.sparql_service_allow))

    def start(self) -> None:
        if self.pool is not None:
            self.pool.start()

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.stop()

    def changed(self, replay: str | None = None, *, full: bool = False) -> None:
        """Tell the replica the store was written (``notify_store_changed`` calls this)."""
        if self.pool is not None:
            self.pool.changed(replay, full=full)

    # --- queries ---------------------------------------------------------------------------

    def query(self, request: QueryRequest, timeout_s: float) -> Answer:
        """Run a read-only query; raises for refusals and time-outs, returns ok / not-acceptable."""
        refuse_fetching_query(request.query, self.service_allow)  # before any engine, remote ones too
        if isinstance(self.store, RemoteStore):
            answer = self.store.run(request, timeout_s)
        elif self.pool is not None:
            answer = self.pool.run(request, timeout_s)
        elif isinstance(self.store, GraphStore) and self.store.path is not None:
            answer = run_oneshot(self.store.path, request, timeout_s, self.store.flush)
        else:  # an in-memory store (tests): no process to kill, so no time limit
            assert isinstance(self.store, GraphStore)
            answer = execute(self.store.oxigraph, request)
        if answer.status == "syntax":
            raise QuerySyntaxError(answer.message)
        if answer.status == "update":
            raise ReadOnlyQueryError(answer.message)
        if answer.status == "error":
            raise QueryError(answer.message)
        return answer

    # --- writes ----------------------------------------------------------------------------

    def _graph_scan(self) -> str:
        return REMOTE_GRAPH_SCAN if isinstance(self.store, RemoteStore) else ""

    def update(self, text: str, agent: str | None, *, note: str | None = None, using: tuple[str, ...] = (),
               using_named: tuple[str, ...] = (), base_iri: str | None = None, _built: bool = False) -> WriteOutcome:
        """Run a SPARQL 1.1 update with its PROV record, in one request, under the write lock.

        ``using`` / ``using_named`` are the protocol's ``using-graph-uri`` / ``using-named-graph-uri``,
        ``base_iri`` the IRI relative IRIs resolve against (the service's endpoint). ``_built``: the
        text was built here from parsed triples (Graph Store), so the fetch check has nothing to find
        and would re-parse a large upload for nothing.
        """
        check_update(text, client_text=not _built)
        text = with_protocol_dataset(text, using, using_named, base_iri)
        started = time.perf_counter()
        run = UpdateRun.new(agent)
        full_text = with_provenance(text, run, note=note, graph_scan=self._graph_scan())
        with self.write_lock:
            self.store.update(full_text)
            self.changed(full_text if replayable(text) else None, full=not replayable(text))
        return WriteOutcome(run.iri.value, seconds=time.perf_counter() - started)

    def put_graph(self, graph: ox.NamedNode | None, triples: list[ox.Triple], agent: str | None,
                  media_type: str) -> WriteOutcome:
        """Graph Store PUT: the graph holds exactly ``triples`` afterwards (None: the default graph)."""
        note = f"PUT {graph.value if graph else 'default graph'} ({len(triples)} triples, {media_type})"
        if graph is None:
            return self.update(f"CLEAR SILENT DEFAULT ;\n{_insert(None, triples)}", agent, note=note, _built=True)
        _check_writable(graph)
        started = time.perf_counter()
        run = UpdateRun.new(agent)
        with self.write_lock:
            created = graph not in set(self.store.named_graphs())
            quads = {ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples}
            self.store.replace_graph(graph, quads, run.quads(note, [graph]))
            self.changed()  # a new PROV run names the graph: the replica reloads it
        return WriteOutcome(run.iri.value, created, len(triples), time.perf_counter() - started)

    def post_graph(self, graph: ox.NamedNode | None, triples: list[ox.Triple], agent: str | None,
                   media_type: str) -> WriteOutcome:
        """Graph Store POST: add ``triples`` to the graph (created if missing)."""
        if graph is not None:
            _check_writable(graph)
        created = graph is not None and graph not in set(self.store.named_graphs())
        note = f"POST {graph.value if graph else 'default graph'} ({len(triples)} triples, {media_type})"
        outcome = self.update(_insert(graph, triples), agent, note=note, _built=True)
        return WriteOutcome(outcome.run, created, len(triples), outcome.seconds)

    def delete_graph(self, graph: ox.NamedNode | None, agent: str | None) -> WriteOutcome:
        """Graph Store DELETE: drop the graph (404 if it does not exist)."""
        if graph is None:
            return self.update("CLEAR SILENT DEFAULT", agent, note="DELETE default graph", _built=True)
        _check_writable(graph)
        if graph not in set(self.store.named_graphs()):
            raise NotFoundError(f"there is no graph {graph.value}")
        return self.update(f"DROP GRAPH {graph}", agent, note=f"DELETE {graph.value}", _built=True)

    def get_graph(self, graph: ox.NamedNode | None) -> list[ox.Triple]:
        """Graph Store GET: every triple of the graph (None: the store's own default graph)."""
        if graph is not None and graph not in set(self.store.named_graphs()):
            raise NotFoundError(f"there is no graph {graph.value}")
        if isinstance(self.store, GraphStore):
            target = graph if graph is not None else ox.DefaultGraph()
            return [q.triple for q in self.store.oxigraph.quads_for_pattern(None, None, None, target)]
        if graph is None:
            result = self.store.select("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
            return [ox.Triple(r["s"], r["p"], r["o"]) for r in result]
        return [q.triple for q in self.store.graph_quads(graph)]


def _check_writable(graph: ox.NamedNode) -> None:
    if graph == PROVENANCE_GRAPH:
        raise PermissionDeniedError(
            f"{graph.value} holds innograph's own records of every write and cannot be written directly"
        )


def _insert(graph: ox.NamedNode | None, triples: list[ox.Triple]) -> str:
    body = "\n".join(f"{t} ." for t in triples)
    return f"INSERT DATA {{ GRAPH {graph} {{\n{body}\n}} }}" if graph else f"INSERT DATA {{\n{body}\n}}"


def rdf_format(media_type: str | None) -> ox.RdfFormat | None:
    """The graph format of a request body's media type; None if we do not read it (415)."""
    fmt = ox.RdfFormat.from_media_type((media_type or "").split(";")[0].strip().lower())
    # JSON-LD may hold named graphs but is read here as one graph (parse_rdf refuses any other)
    return fmt if fmt is not None and (not fmt.supports_datasets or fmt == ox.RdfFormat.JSON_LD) else None


def parse_rdf(data: bytes, fmt: ox.RdfFormat) -> list[ox.Triple]:
    """The triples of a Graph Store request body, or the parser's message."""
    try:
        quads = list(ox.parse(data, format=fmt))  # a remote JSON-LD @context is never fetched: it fails here
    except SyntaxError as exc:
        raise RdfSyntaxError(f"the {fmt.name} document does not parse: {exc}") from None
    if any(not isinstance(q.graph_name, ox.DefaultGraph) for q in quads):
        raise RdfSyntaxError(f"the {fmt.name} document has named graphs; the Graph Store protocol writes one graph "
                             "(name it with ?graph=)")
    return [q.triple for q in quads]
