"""The components an application builds at start, and the background threads that build them.

Why one thread, in order: the machine may have two cores; building the matching index, the
Cypher projection and the network side by side would make each take as long as all of them,
and the first to be ready (matching, what most callers come for) would come last. The SPARQL
replica loads in its own process already; a second thread only waits for it.

Names are constants so that routes gate on the same strings (``require(request, MATCHING["supply"])``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from fastapi import FastAPI, Request

from api.readiness import Readiness, State
from graph.cypher import ensure_projection
from graph.network import collaboration
from graph.store import GraphStore
from graph.views import label_index
from ingest.bundled import missing_base

log = logging.getLogger(__name__)

STORE = "store"
SEARCH = "search index"
MODEL = "embedding model"
MATCHING = {"supply": "matching index (supply)", "demand": "matching index (demand)"}
SIGNALS = "matching graph signals"
NETWORK = "network data"
CYPHER = "cypher projection (embedded)"
REPLICA = "sparql replica"
AFTER_WRITE = "after-write follow-up"


def missing_base_graphs(store: GraphStore) -> list[str]:
    """Base graphs (ontology, vocabularies) without quads; empty counts as missing (``ingest.bundled.missing_base``)."""
    return [name or path.stem for path, name in missing_base(store)]


def register(app: FastAPI) -> Readiness:
    """``app.state.readiness`` with every component of this application, all pending."""
    registry = Readiness()
    registry.add(STORE, "the store and its base vocabularies", gates=False)
    if app.state.settings.warm_on_start:
        registry.add(SEARCH, "the search index", gates=False)
        registry.add(MODEL, "the embedding model")
        for direction, name in MATCHING.items():
            registry.add(name, f"the {direction} matching index")
        registry.add(NETWORK, "the collaboration network, shared by /network and /match's network signal")
        registry.add(SIGNALS, "the concepts that matching re-ranks with (and the network, built above)")
        registry.add(CYPHER, "the embedded Cypher projection")
        # queries read the disk store until the replica is up: reported, never a reason for 503
        registry.add(REPLICA, "the in-memory SPARQL replica", gates=False)
    app.state.readiness = registry
    return registry


def check_store(app: FastAPI) -> list[str]:
    """Update the store component from the store itself; the names of missing base graphs."""
    registry: Readiness = app.state.readiness
    missing = missing_base_graphs(app.state.store)
    if missing:
        registry.mark(STORE, State.failed, f"missing base graphs: {', '.join(missing)}")
    else:
        registry.mark(STORE, State.ready)
    return missing


def _warm(app: FastAPI) -> None:
    registry: Readiness = app.state.readiness
    store, matcher, settings = app.state.store, app.state.matcher, app.state.settings
    registry.run(SEARCH, lambda: label_index(store))
    registry.run(MODEL, lambda: matcher.embedder.runtime)
    for direction, name in MATCHING.items():
        registry.run(name, lambda d=direction: matcher.index(d))  # type: ignore[misc]
    registry.run(NETWORK, lambda: collaboration(store))  # one network, built once per generation
    registry.run(SIGNALS, lambda: (matcher.concepts(), matcher.network()))  # the same network: no second build
    registry.run(CYPHER, lambda: ensure_projection(store, settings, "embedded"))


def _wait_replica(app: FastAPI) -> None:
    registry: Readiness = app.state.readiness
    service = getattr(app.state, "sparql", None)
    pool = getattr(service, "pool", None)
    if pool is None:  # a remote backend, or no replica configured
        registry.mark(REPLICA, State.ready)
        return

    def wait() -> None:
        if not pool.ready(timeout_s=3600):
            raise TimeoutError("the replica did not load within an hour")

    registry.run(REPLICA, wait)


def start(app: FastAPI) -> None:
    """Check the store and start the warm-up threads (``Settings.warm_on_start``)."""
    check_store(app)
    if app.state.settings.warm_on_start:
        threading.Thread(target=_warm, args=(app,), name="warm-up", daemon=True).start()
        threading.Thread(target=_wait_replica, args=(app,), name="warm-up-replica", daemon=True).start()


def follow_up_runner(app: FastAPI) -> Callable[[Callable[[], object]], object]:
    """How ``graph.writes.AfterWrite`` runs its background follow-ups here: as a component of /ready.

    Listed from the first write on, never required and never gating: a write must not make the
    server "not ready" for a load balancer, and a request meanwhile waits for the same rebuild.
    """

    def run(follow_up: Callable[[], object]) -> object:
        registry: Readiness = app.state.readiness
        if registry.get(AFTER_WRITE) is None:
            registry.add(AFTER_WRITE, "the re-warming after the last write (saved needs, indexes, caches)",
                         required=False, gates=False)
        return registry.run(AFTER_WRITE, follow_up)

    return run


def require(request: Request, *names: str) -> None:
    """Answer 503 (``ComponentWarmingError``) now if a component the request needs is still warming."""
    registry: Readiness | None = getattr(request.app.state, "readiness", None)
    if registry is not None:
        registry.require(*names)
