"""Access to the SPARQL routes: every protected route without a key, with a wrong key, with too
low a role, and with the right one; plus the Graph Store Protocol's behaviour."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.keys import KeyStore, Role
from common.settings import Settings
from tests.api.conftest import assert_problem, copy_data
from tests.api.sparql_fixtures import sparql_client

GSP = "/rdf-graphs/service"
NOTES = "https://w3id.org/innograph/graph/notes"
TTL = b"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n<https://w3id.org/innograph/id/note/1> rdfs:label \"n\" .\n"
TURTLE = {"content-type": "text/turtle"}


@pytest.fixture
def data(api_template: Path, tmp_path: Path) -> Path:
    return copy_data(api_template, tmp_path / "data")


@pytest.fixture
def client(data: Path) -> Iterator[TestClient]:
    with sparql_client(data) as running:
        yield running


@pytest.fixture
def key(data: Path) -> Callable[[Role], dict[str, str]]:
    store = KeyStore(Settings(data_dir=data).keys_file)
    return lambda role: {"Authorization": f"Bearer {store.create(f'test {role}', role)[1]}"}


WRITES: list[tuple[str, str, dict[str, object]]] = [
    ("POST", "/sparql/update", {"data": {"update": f"INSERT DATA {{ GRAPH <{NOTES}> {{ <urn:a> <urn:b> 1 }} }}"}}),
    ("POST", "/sparql/update", {"content": f"INSERT DATA {{ GRAPH <{NOTES}> {{ <urn:a> <urn:b> 2 }} }}",
                                "headers": {"content-type": "application/sparql-update"}}),
    ("PUT", f"{GSP}?graph={NOTES}", {"content": TTL, "headers": TURTLE}),
    ("POST", f"{GSP}?graph={NOTES}", {"content": TTL, "headers": TURTLE}),
    ("DELETE", f"{GSP}?graph=https://w3id.org/innograph/graph/illustrative", {}),
    ("PUT", f"{GSP}?default", {"content": TTL, "headers": TURTLE}),
]


def send(client: TestClient, method: str, url: str, extra: dict[str, object], headers: dict[str, str]
         ) -> httpx.Response:
    kwargs = dict(extra)
    kwargs["headers"] = {**kwargs.get("headers", {}), **headers}  # type: ignore[dict-item]
    return client.request(method, url, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("method", "url", "extra"), WRITES)
def test_writes_need_an_editor_key(client: TestClient, key: Callable[[Role], dict[str, str]], method: str,
                                   url: str, extra: dict[str, object]) -> None:
    missing = assert_problem(send(client, method, url, extra, {}), 401)
    assert "editor" in missing["detail"]
    wrong = send(client, method, url, extra, {"Authorization": "Bearer ig_0123abcd_wrongwrongwrong"})
    assert_problem(wrong, 401)
    assert 'error="invalid_token"' in wrong.headers["www-authenticate"]
    too_low = assert_problem(send(client, method, url, extra, key(Role.reader)), 403)
    assert "reader" in too_low["detail"] and "editor" in too_low["detail"]
    done = send(client, method, url, extra, key(Role.editor))
    assert done.status_code in (200, 201), done.text
    assert done.json()["run"].startswith("https://w3id.org/innograph/id/run/update/")


READS = [("GET", "/sparql?query=ASK%20%7B%7D"), ("POST", "/sparql"), ("GET", "/sparql"),
         ("GET", f"{GSP}?graph=https://w3id.org/innograph/graph/vocab-trl"),
         ("HEAD", f"{GSP}?graph=https://w3id.org/innograph/graph/vocab-trl")]


def test_reads_need_a_key_when_anonymous_read_is_off(data: Path, key: Callable[[Role], dict[str, str]]) -> None:
    reader = key(Role.reader)
    with sparql_client(data, allow_anonymous_read=False) as client:
        for method, url in READS:
            extra = {"data": {"query": "ASK {}"}} if method == "POST" else {}
            refused = send(client, method, url, extra, {})
            assert refused.status_code == 401, (method, url)
            assert send(client, method, url, extra, {"Authorization": "Bearer ig_0000_nope"}).status_code == 401
            assert send(client, method, url, extra, reader).status_code == 200, (method, url)


def test_base_graphs_need_admin_and_provenance_is_never_writable(
    client: TestClient, key: Callable[[Role], dict[str, str]]
) -> None:
    vocab = f"{GSP}?graph=https://w3id.org/innograph/graph/vocab-trl"
    assert "admin" in assert_problem(client.put(vocab, content=TTL, headers={**TURTLE, **key(Role.editor)}), 403)[
        "detail"]
    assert client.post(vocab, content=TTL, headers={**TURTLE, **key(Role.admin)}).status_code == 200
    prov = f"{GSP}?graph=https://w3id.org/innograph/graph/provenance"
    assert_problem(client.put(prov, content=TTL, headers={**TURTLE, **key(Role.admin)}), 403)
    assert client.get(prov).status_code == 200


def test_graph_store_round_trip(client: TestClient, key: Callable[[Role], dict[str, str]]) -> None:
    editor = key(Role.editor)
    url = f"{GSP}?graph={NOTES}"
    assert_problem(client.get(url), 404)
    assert client.put(url, content=TTL, headers={**TURTLE, **editor}).status_code == 201
    assert client.put(url, content=TTL, headers={**TURTLE, **editor}).status_code == 200
    more = b'<https://w3id.org/innograph/id/note/2> <http://www.w3.org/2000/01/rdf-schema#label> "m" .\n'
    assert client.post(url, content=more, headers={"content-type": "application/n-triples", **editor}
                       ).status_code == 200
    got = client.get(url, headers={"accept": "application/n-triples"})
    assert got.status_code == 200 and got.text.count("\n") == 2
    count = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{NOTES}> {{ ?s ?p ?o }} }}"
    assert client.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"] == "2"
    assert_problem(client.put(url, content=b"<oops", headers={**TURTLE, **editor}), 400)
    assert_problem(client.put(url, content=TTL, headers={"content-type": "application/pdf", **editor}), 415)
    assert_problem(client.get(GSP), 422)  # neither ?graph nor ?default
    assert client.delete(url, headers=editor).status_code == 200
    assert_problem(client.delete(url, headers=editor), 404)
    assert client.get("/sparql", params={"query": count}).json()["results"]["bindings"][0]["n"]["value"] == "0"


def test_graphs_written_through_the_api_survive_a_restart(data: Path, key: Callable[[Role], dict[str, str]]
                                                          ) -> None:
    editor = key(Role.editor)
    update = "INSERT DATA { GRAPH <https://w3id.org/innograph/graph/more-notes> { <urn:a> <urn:b> 1 } }"

    def write() -> None:
        with sparql_client(data) as client:
            assert client.put(f"{GSP}?graph={NOTES}", content=TTL, headers={**TURTLE, **editor}).status_code == 201
            assert client.post("/sparql/update", data={"update": update}, headers=editor).status_code == 200

    def read() -> None:
        with sparql_client(data) as client:  # the store is reopened: recover() runs
            for graph in (NOTES, "https://w3id.org/innograph/graph/more-notes"):
                assert client.get(f"{GSP}?graph={graph}").status_code == 200, graph

    write()
    gc.collect()  # the first application (and its hold on the store) is gone
    read()


def test_update_errors(client: TestClient, key: Callable[[Role], dict[str, str]]) -> None:
    editor = key(Role.editor)
    assert_problem(client.post("/sparql/update", data={"update": "INSERT DATA {"}, headers=editor), 400)
    assert "LOAD" in assert_problem(client.post("/sparql/update", data={"update": "LOAD <http://example.org/x>"},
                                                headers=editor), 403)["detail"]
    assert_problem(client.post("/sparql/update", data={"nothing": "x"}, headers=editor), 400)
    assert_problem(client.post("/sparql/update", data={"update": "CLEAR DEFAULT",
                                                       "using-graph-uri": "urn:g"}, headers=editor), 422)
