"""The SPARQL service of an application: created, started and stopped with it.

Why here and not in ``api.app``: the service owns processes (the replica and its workers)
that must be started after the store is open and stopped at shutdown; ``create_app``'s
lifespan calls ``start_sparql_service`` / ``stop_sparql_service``. A request arriving
before (an app built without the hooks, as in some tests) starts it on first use.
"""

from __future__ import annotations

import threading

from fastapi import FastAPI, Request

from common.settings import Settings
from graph.sparql import RemoteStore, SparqlService, register, remote_for_settings, unregister

_start_lock = threading.Lock()


def start_sparql_service(app: FastAPI) -> SparqlService:
    """Create and start ``app.state.sparql`` (replica and workers); idempotent."""
    with _start_lock:
        service: SparqlService | None = getattr(app.state, "sparql", None)
        if service is None:
            settings: Settings = app.state.settings
            lock = getattr(app.state, "ingest_lock", None)
            store = remote_for_settings(settings) or app.state.store
            service = SparqlService.for_settings(store, settings, lock)
            service.start()
            register(service)
            app.state.sparql = service
        return service


def stop_sparql_service(app: FastAPI) -> None:
    """Stop the workers and the replica (at shutdown)."""
    with _start_lock:
        service: SparqlService | None = getattr(app.state, "sparql", None)
        if service is not None:
            unregister(service)
            service.stop()
            if isinstance(service.store, RemoteStore):
                service.store.close()
            app.state.sparql = None


def get_service(request: Request) -> SparqlService:
    return start_sparql_service(request.app)
