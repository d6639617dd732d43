"""The SPARQL service: queries that can really be stopped, fast; updates with provenance.

Why a package: execution (``_pool``, ``_replica``), formats (``_formats``), the shared
query runner (``_execute``), writes with PROV (``_update``), the service description and
the analyst query set are separate concerns; the API (``api/routes/sparql.py``), the CLI
and the benchmarks use what is re-exported here::

    SparqlService          queries, updates, Graph Store operations over one RdfStore
    ├── ReplicaPool        in-memory replica + forked workers, killed at the time limit
    ├── run_oneshot        one query on the disk store in a child process
    ├── RemoteStore        (``_remote``) an external SPARQL endpoint as the store
    └── run_query          (``_query``) one query for the CLI, local or on the pool

``notify_store_changed(store)`` wakes the replica after a write made outside this package; writers
do not call it themselves but through the one after-write step (``graph.writes.AfterWrite``).
The service's own writes (update, Graph Store) wake it under their write lock with the update's
text, so the replica replays the update instead of reloading graphs. Not calling it is safe,
only slower: each query compares generations and reads the disk store until the replica caught up.

>>> from graph.store import GraphStore
>>> SparqlService(GraphStore(None)).query(QueryRequest("ASK { ?s ?p ?o }"), 5).status
'ok'
"""

from __future__ import annotations

import threading
import weakref

from graph.sparql._description import describe
from graph.sparql._execute import Answer, QueryRequest, execute, looks_like_update, query_kind
from graph.sparql._fetch_policy import check_query, check_update
from graph.sparql._formats import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Choice,
    Format,
    accepted_names,
    choose,
    serialize_graph,
)
from graph.sparql._pool import ReplicaPool, run_oneshot
from graph.sparql._query import run_query
from graph.sparql._queryset import analyst_queries
from graph.sparql._remote import RemoteStore, remote_for_settings
from graph.sparql._service import SparqlService, WriteOutcome, parse_rdf, rdf_format
from graph.sparql._update import UpdateRun, graph_iri

__all__ = [
    "GRAPH_FORMATS", "RESULT_FORMATS", "Answer", "Choice", "Format", "QueryRequest", "RemoteStore", "ReplicaPool",
    "SparqlService", "UpdateRun", "WriteOutcome", "accepted_names", "analyst_queries", "check_query", "check_update", "choose", "describe", "execute",
    "graph_iri", "looks_like_update", "notify_store_changed", "parse_rdf", "query_kind", "rdf_format",
    "register", "remote_for_settings", "run_oneshot", "run_query", "serialize_graph", "unregister",
]  # fmt: skip

_services: weakref.WeakSet[SparqlService] = weakref.WeakSet()
_lock = threading.Lock()


def register(service: SparqlService) -> None:
    """Make ``notify_store_changed`` reach ``service`` (done by the API's start hook)."""
    with _lock:
        _services.add(service)


def unregister(service: SparqlService) -> None:
    with _lock:
        _services.discard(service)


def notify_store_changed(store: object | None = None) -> None:
    """The store was written (an ingest): every running service over it refreshes its replica.

    Not calling it is safe, only slower: each query compares the store's generation and
    reads the disk store until the replica has caught up.
    """
    with _lock:
        services = list(_services)
    for service in services:
        if store is None or service.store is store:
            service.changed()
