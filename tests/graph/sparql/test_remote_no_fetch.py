"""graph.sparql._remote: the remote backend follows no redirect and reads no external DTD or context."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from common.errors import EngineUnavailableError, FetchRefusedError
from graph.sparql import QueryRequest, RemoteStore, SparqlService
from tests.recording_listener import RecordingListener, recording_listener


def _endpoint(status: int, headers: dict[str, str], body: bytes) -> tuple[ThreadingHTTPServer, str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/sparql"


@pytest.fixture
def listener() -> Iterator[RecordingListener]:
    with recording_listener() as recorder:
        yield recorder


def test_a_redirect_is_not_followed(listener):
    server, url = _endpoint(307, {"Location": listener.url}, b"")
    store = RemoteStore(url, url)
    try:
        with pytest.raises(EngineUnavailableError, match="does not follow redirects"):
            store.run(QueryRequest("SELECT * WHERE { ?s ?p ?o }"), 5)
        with pytest.raises(EngineUnavailableError, match="does not follow redirects"):
            store.update("INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }")
        assert listener.connections == 0
    finally:
        store.close()
        server.shutdown()


def test_xml_results_with_an_external_dtd_are_read_without_fetching_it(listener):
    xml = (f'<?xml version="1.0"?><!DOCTYPE sparql SYSTEM "{listener.url}">'
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#"><head/><boolean>true</boolean></sparql>')
    server, url = _endpoint(200, {"Content-Type": "application/sparql-results+xml"}, xml.encode())
    store = RemoteStore(url, url)
    try:
        answer = store.run(QueryRequest("ASK { ?s ?p ?o }"), 5)
        assert answer.status == "ok" and b"true" in answer.body
        assert listener.connections == 0
    finally:
        store.close()
        server.shutdown()


def test_service_never_reaches_the_remote_backend(listener):
    """SERVICE is refused before the query is sent: the backend (Virtuoso) would fetch it itself."""
    server, url = _endpoint(200, {"Content-Type": "application/sparql-results+json"},
                            b'{"head": {"vars": []}, "results": {"bindings": []}}')
    backend_calls: list[int] = []
    store = RemoteStore(url, url)
    original = store._post_query
    store._post_query = lambda *a, **k: backend_calls.append(1) or original(*a, **k)  # type: ignore[method-assign]
    try:
        with pytest.raises(FetchRefusedError):
            SparqlService(store).query(QueryRequest(f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"), 5)
        assert backend_calls == [] and listener.connections == 0
    finally:
        store.close()
        server.shutdown()
