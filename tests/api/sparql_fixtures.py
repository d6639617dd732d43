"""Applications and a real HTTP server with the SPARQL routes, over the API tests' data.

Why a helper module: the protocol, access and client tests need the same app (the API
tests' store: vocabularies, an H2020 slice, the partnership, the illustrative examples) with
the SPARQL service started, and the client tests a uvicorn server on a free port, since
SPARQLWrapper and rdflib's SPARQLStore speak real HTTP.
"""

from __future__ import annotations

import gc
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.routes import sparql
from common.settings import Settings


def sparql_app(data_dir: Path, **overrides: Any) -> FastAPI:
    """``create_app`` plus the SPARQL routes (until ``api.routes.ROUTERS`` lists them)."""
    # no matcher warm-up thread: it would hold the app (and the store's lock) after the test
    app = create_app(Settings(data_dir=data_dir, **{"warm_on_start": False, "rate_limit_anonymous": 0, **overrides}))
    if not any(getattr(route, "path", None) == "/sparql/update" for route in app.routes):
        app.include_router(sparql.router)
    return app


@contextmanager
def sparql_client(data_dir: Path, **overrides: Any) -> Iterator[TestClient]:
    app = sparql_app(data_dir, **overrides)
    with TestClient(app, raise_server_exceptions=False) as client:
        service = sparql.start_sparql_service(app)
        assert service.pool is None or service.pool.ready(60)
        del service
        try:
            yield client
        finally:
            sparql.stop_sparql_service(app)
    del app, client
    gc.collect()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def sparql_server(data_dir: Path, **overrides: Any) -> Iterator[str]:
    """A uvicorn server on 127.0.0.1 in a thread; yields its /sparql URL."""
    app = sparql_app(data_dir, **overrides)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    service = sparql.start_sparql_service(app)
    assert service.pool is None or service.pool.ready(60)
    del service
    try:
        yield f"http://127.0.0.1:{port}/sparql"
    finally:
        server.should_exit = True
        thread.join(10)
        sparql.stop_sparql_service(app)
        del app, server
        gc.collect()
