"""SIGKILL of the server while a SPARQL update or a ``POST /ingest`` is in flight, then a restart.

What must hold after the restart on the same data folder: the written graph holds either its
old or its new content, whole; the PROV record agrees with it (a run for the new content, none
for content that never landed); and ``/ready`` answers 200. The write is sent whole and the
server killed after a delay (several, from "just received" to "probably committed"), so each
run exercises a different moment of the write; the checks hold whichever moment it was.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ontology._namespaces import IG as IG_NS
from tests.cli.test_cli import innograph
from tests.faults._server import Server
from tests.ingest.readers.test_tabular import ORGS, write

GRAPH = "https://w3id.org/innograph/id/test/killed-update"
PROVENANCE = "https://w3id.org/innograph/graph/provenance"
IG = str(IG_NS)
PROV_GENERATED = "http://www.w3.org/ns/prov#generated"
MANY = 60_000  # triples of the big update: long enough to be killed inside it
ROWS = 6_000  # organisations of the big upload
DELAYS = (0.05, 0.6, 2.0)  # seconds between the request sent and SIGKILL


@pytest.fixture(scope="module")
def folder(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A data folder with a small source (``demo``) and an editor key."""
    root = tmp_path_factory.mktemp("killed")
    data = root / "data"
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    src = write(root / "src", "organisations.csv", ORGS)
    assert innograph("ingest", str(src.parent), "--name", "demo", data_dir=data).returncode == 0
    created = innograph("keys", "create", "--name", "fault editor", "--role", "editor", data_dir=data)
    assert created.returncode == 0, created.stderr
    yield data, created.stdout.strip().splitlines()[-1]


def _kill_during(server: Server, data: Path, log: Path, path: str, headers: dict[str, str], body: bytes,
                 delay: float) -> Server:
    """Send the write, SIGKILL the server ``delay`` seconds later, and return a restarted, ready one."""
    server.send_raw(path, headers, body)
    time.sleep(delay)
    server.kill()
    restarted = Server(data, log)
    restarted.wait_for("/ready")
    return restarted


def _count(server: Server, pattern: str) -> int:
    rows = server.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return int(rows[0]["n"])


def _update_state(server: Server) -> tuple[bool, int, int]:
    """(old marker present, new triples in the graph, update runs recorded)."""
    old = _count(server, f'GRAPH <{GRAPH}> {{ <{GRAPH}#s> <{GRAPH}#v> "old" }}')
    new = _count(server, f"GRAPH <{GRAPH}> {{ ?s <{GRAPH}#n> ?o }}")
    runs = _count(server, f"GRAPH <{PROVENANCE}> {{ ?r a <{IG}UpdateRun> }}")
    return old == 1, new, runs


def test_sigkill_during_a_sparql_update_leaves_old_or_new(folder: tuple[Path, str], tmp_path: Path) -> None:
    data, key = folder
    log = tmp_path / "server.log"
    headers = {"Content-Type": "application/sparql-update", "X-API-Key": key}
    server = Server(data, log)
    seed = f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{GRAPH}#s> <{GRAPH}#v> "old" }} }}'
    server.send_raw("/sparql/update", headers, seed.encode()).recv(65536)
    big = (f'DELETE DATA {{ GRAPH <{GRAPH}> {{ <{GRAPH}#s> <{GRAPH}#v> "old" }} }} ;\n'
           f"INSERT DATA {{ GRAPH <{GRAPH}> {{\n"
           + "".join(f'<{GRAPH}#x{i}> <{GRAPH}#n> "valoare {i} ă" .\n' for i in range(MANY)) + "} }")
    outcomes = []
    try:
        for delay in DELAYS:
            old, new, runs = _update_state(server)
            assert (old, new) == (True, 0)  # each round starts from the old content
            server = _kill_during(server, data, log, "/sparql/update", headers, big.encode(), delay)
            after = _update_state(server)
            assert after in ((True, 0, runs), (False, MANY, runs + 1)), f"half-written after SIGKILL at {delay} s"
            outcomes.append("new" if after[1] else "old")
            if after[1]:  # put the old content back for the next round
                server.send_raw("/sparql/update", headers, (
                    f"DROP GRAPH <{GRAPH}> ; " + seed).encode()).recv(65536)
                assert _update_state(server)[:2] == (True, 0)
        # an acknowledged update is never lost: SIGKILL right after its 200
        runs = _update_state(server)[2]
        answer = server.send_raw("/sparql/update", headers, big.encode()).recv(65536)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
        server.kill()
        server = Server(data, log)
        server.wait_for("/ready")
        assert _update_state(server) == (False, MANY, runs + 1)
        print(f"SPARQL update killed after {DELAYS} s: {outcomes}; acknowledged then killed: new")
    finally:
        server.stop()


def _source(server: Server, name: str) -> dict[str, int] | None:
    """The PROV record of source ``name`` (records written) and its graph's size, or None."""
    graph = f"https://w3id.org/innograph/graph/{name}"
    records = server.select(
        f"SELECT ?w WHERE {{ GRAPH <{PROVENANCE}> {{ ?run <{PROV_GENERATED}> <{graph}> ; <{IG}recordsWritten> ?w }} }}")
    quads = _count(server, f"GRAPH <{graph}> {{ ?s ?p ?o }}")
    if not records:
        assert quads == 0, f"{graph} holds {quads} quads without a PROV record"
        return None
    return {"runs": len(records), "written": max(int(r["w"]) for r in records), "quads": quads}


def _orgs(rows: int, label: str) -> bytes:
    lines = [ORGS.splitlines()[0]] + [f"org{i},{label} {i} SRL,,association,RO,,false,\n".rstrip()
                                      for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def _multipart(name: str, content: bytes) -> tuple[dict[str, str], bytes]:
    boundary = "faultsboundary7d1"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n{name}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"organisations.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return {"Content-Type": f"multipart/form-data; boundary={boundary}"}, body


def test_sigkill_during_post_ingest_leaves_old_or_new(folder: tuple[Path, str], tmp_path: Path) -> None:
    data, key = folder
    log = tmp_path / "server.log"
    server = Server(data, log)
    first_headers, first = _multipart("big", _orgs(ROWS, "Prima"))
    outcomes = []
    try:
        for delay in DELAYS:  # the first load of a new source (bulk load, then its PROV record)
            assert _source(server, "big") is None
            server = _kill_during(server, data, log, "/ingest", {**first_headers, "X-API-Key": key}, first, delay)
            after = _source(server, "big")
            outcomes.append("absent" if after is None else "whole")
            if after is not None:
                assert after["written"] == ROWS and after["runs"] == 1
                assert _count(server, "GRAPH <https://w3id.org/innograph/graph/big> { ?o a ?t }") >= ROWS
                break
        # a new version of an existing source (a diff: removals and inserts in one update)
        if _source(server, "big") is None:
            server.send_raw("/ingest", {**first_headers, "X-API-Key": key}, first).recv(65536)
            server.wait_for("/ready")
        before = _source(server, "big")
        assert before is not None and before["written"] == ROWS
        second_headers, second = _multipart("big", _orgs(ROWS, "A doua"))
        for delay in DELAYS:
            server = _kill_during(server, data, log, "/ingest", {**second_headers, "X-API-Key": key}, second, delay)
            after = _source(server, "big")
            assert after is not None
            firsts = _count(server, 'GRAPH <https://w3id.org/innograph/graph/big> { ?o ?p ?l FILTER(STRSTARTS(STR(?l), "Prima ")) }')
            seconds = _count(server, 'GRAPH <https://w3id.org/innograph/graph/big> { ?o ?p ?l FILTER(STRSTARTS(STR(?l), "A doua ")) }')
            assert (firsts == 0) != (seconds == 0), f"a mix of versions after SIGKILL at {delay} s"
            assert after["quads"] == before["quads"]  # same shape, either version whole
            assert after["runs"] == before["runs"] + (1 if seconds else 0)
            outcomes.append("new" if seconds else "old")
            if seconds:
                break
        # an acknowledged ingest is never lost: SIGKILL right after its 200
        third_headers, third = _multipart("big", _orgs(ROWS, "A treia"))
        answer = server.send_raw("/ingest", {**third_headers, "X-API-Key": key}, third).recv(65536)
        assert answer.startswith(b"HTTP/1.1 200"), answer[:300]
        server.kill()
        server = Server(data, log)
        server.wait_for("/ready")
        thirds = _count(server, 'GRAPH <https://w3id.org/innograph/graph/big> { ?o ?p ?l FILTER(STRSTARTS(STR(?l), "A treia ")) }')
        assert thirds == ROWS and (_source(server, "big") or {}).get("quads") == before["quads"]
        print(f"POST /ingest killed: {outcomes}; acknowledged then killed: new")
    finally:
        server.stop()
