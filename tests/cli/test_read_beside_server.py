"""The CLI's read commands while ``innograph serve`` holds the store (graph.store.open_for_reading).

A real server process holds the store's lock; ``ingest`` (a writer) is still refused, while
``stats``, ``sparql``, ``export`` and ``cypher`` answer from a read-only view, and a write
the server makes while it runs is seen by the next read command.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli import REPO, innograph
from tests.ingest.readers.test_tabular import ORGS, write

ADDED = "https://w3id.org/innograph/id/test/added-while-serving"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_health(base: str, server: subprocess.Popen[bytes], seconds: float = 240) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"the server did not answer /health within {seconds} s")


@pytest.fixture
def serving(vocab_template: Path, tmp_path: Path) -> Iterator[tuple[Path, str, str]]:
    """A data folder with a small source and its projection, served by a real server process."""
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    src = write(tmp_path / "src", "organisations.csv", ORGS)
    assert innograph("ingest", str(src.parent), "--name", "demo", data_dir=data).returncode == 0
    assert innograph("project", data_dir=data).returncode == 0
    created = innograph("keys", "create", "--name", "test editor", "--role", "editor", data_dir=data)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "INNOGRAPH_WARM_ON_START": "false"}
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--data-dir", str(data)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_health(base, server)
        yield data, base, key
    finally:
        server.terminate()
        server.wait(60)
        log.close()


def test_read_commands_work_while_the_server_holds_the_store(serving: tuple[Path, str, str], tmp_path: Path) -> None:
    data, base, key = serving
    src = write(tmp_path / "more", "organisations.csv", ORGS)
    writer = innograph("ingest", str(src.parent), "--name", "other", data_dir=data)
    assert writer.returncode == 2 and "in use" in writer.stderr  # the server really holds the store

    stats = innograph("stats", "--json", data_dir=data)
    assert stats.returncode == 0, stats.stderr
    assert "read-only" in stats.stderr
    demo = next(s for s in json.loads(stats.stdout)["sources"] if s["graph"].endswith("/demo"))
    assert demo["records_written"] == 2

    label = innograph("sparql", "SELECT ?l WHERE { ?o ig:kind igv:org-kind\\/patent-office ; skos:prefLabel ?l }",
                      "--format", "csv", data_dir=data)
    assert label.returncode == 0, label.stderr
    assert label.stdout.splitlines() == ["l", "Oficiul de Stat pentru Invenții și Mărci"]

    exported = innograph("export", "--format", "nt", "--graph", demo["graph"], data_dir=data)
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.strip().splitlines()) == demo["quads"]

    counted = innograph("cypher", "MATCH (o:Organisation) RETURN count(o) AS n", "--format", "json", data_dir=data)
    assert counted.returncode == 0, counted.stderr
    assert json.loads(counted.stdout)["rows"][0][0] >= 2
    assert "projection is up to date" in counted.stderr  # checked on the read-only view of the store

    # a write the server makes while it runs is seen by the next read command
    update = f"INSERT DATA {{ GRAPH <{ADDED}> {{ <{ADDED}> <http://www.w3.org/2000/01/rdf-schema#label> 'x' }} }}"
    request = urllib.request.Request(f"{base}/sparql/update", data=update.encode(), method="POST", headers={
        "Content-Type": "application/sparql-update", "X-API-Key": key})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status in (200, 204)
    seen = innograph("sparql", f"ASK {{ <{ADDED}> ?p 'x' }}", data_dir=data)
    assert seen.returncode == 0, seen.stderr
    assert seen.stdout.strip() == "true"
