"""Virtuoso stopped while the server runs with the remote backend: ``/sparql`` answers a 503 problem.

A private Virtuoso (``scripts/virtuoso/start.sh`` with a folder and ports of this test, so the
session's shared instance is never stopped) is the store of ``/sparql`` through
``INNOGRAPH_SPARQL_QUERY_URL`` / ``_UPDATE_URL``. With it stopped, a query and an update each
answer 503 ``engine-unavailable`` with ``Retry-After`` at once (never a 500, never a hang), the
embedded parts (matching, organisation pages) answer as before, and the update refused while it
was down is not half-applied; started again on the same folder, ``/sparql`` answers again with
the data written before, without a restart of the server. Where Virtuoso cannot start the test
is skipped with the reason, except under ``CI=true``, where it fails (as tests/graph/test_remote_store.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli import REPO, innograph
from tests.faults._server import Server, free_port
from tests.ingest.readers.test_tabular import ORGS, write

SCRIPTS = REPO / "scripts" / "virtuoso"
GRAPH = "https://w3id.org/innograph/id/test/virtuoso-fault"
COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _environment(home: Path, http: int, sql: int) -> dict[str, str]:
    return {**os.environ, "INNOGRAPH_VIRTUOSO_DIR": str(home), "INNOGRAPH_VIRTUOSO_HTTP": str(http),
            "INNOGRAPH_VIRTUOSO_SQL": str(sql)}


def _start(home: Path, http: int, sql: int) -> str:
    if shutil.which("virtuoso-t") is None:
        _unavailable("virtuoso-t is missing: apt-get install virtuoso-opensource")
    try:
        started = subprocess.run(["bash", str(SCRIPTS / "start.sh")], env=_environment(home, http, sql), check=False,
                                 capture_output=True, text=True, timeout=240, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        _unavailable("scripts/virtuoso/start.sh did not finish within 240 s")
    if started.returncode != 0:
        _unavailable(f"scripts/virtuoso/start.sh failed: {started.stderr[-800:]}")
    return started.stdout.strip().splitlines()[-1]


def _stop(home: Path, http: int, sql: int) -> None:
    subprocess.run(["bash", str(SCRIPTS / "stop.sh")], env=_environment(home, http, sql), check=False,
                   capture_output=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture
def virtuoso(tmp_path: Path) -> Iterator[tuple[Path, int, int, str]]:
    home, http, sql = tmp_path / "virtuoso", free_port(), free_port()
    try:
        yield home, http, sql, _start(home, http, sql)
    finally:
        _stop(home, http, sql)


def _sparql(server: Server, method: str, body: str, key: str | None = None,
            timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of a query (GET) or an update (POST), error answers included."""
    if method == "query":
        url = f"{server.base}/sparql?" + urllib.parse.urlencode({"query": body, "format": "json"})
        request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    else:
        request = urllib.request.Request(f"{server.base}/sparql/update", data=body.encode(), method="POST",
                                         headers={"Content-Type": "application/sparql-update", "X-API-Key": key or ""})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def _count(server: Server) -> int:
    return int(server.select(COUNT)[0]["n"])


def test_virtuoso_stopped_and_started_again_while_the_server_runs(
        virtuoso: tuple[Path, int, int, str], vocab_template: Path, tmp_path: Path) -> None:
    home, http, sql, url = virtuoso
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    src = write(tmp_path / "src", "organisations.csv", ORGS)
    assert innograph("ingest", str(src.parent), "--name", "demo", data_dir=data).returncode == 0
    created = innograph("keys", "create", "--name", "fault editor", "--role", "editor", data_dir=data)
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip().splitlines()[-1]
    server = Server(data, tmp_path / "server.log", INNOGRAPH_SPARQL_QUERY_URL=url, INNOGRAPH_SPARQL_UPDATE_URL=url)
    try:
        status, _, body = _sparql(server, "update", f'DROP SILENT GRAPH <{GRAPH}> ; INSERT DATA {{ GRAPH <{GRAPH}> '
                                  f'{{ <{GRAPH}#a> <{GRAPH}#v> "înainte" }} }}', key)
        assert status in (200, 204), body
        assert _count(server) == 1
        match = {"text": "patent audit for SMEs", "limit": 3}
        status, _, before = server.post_json("/match", match)
        assert status == 200, before

        _stop(home, http, sql)
        for method, text in (("query", COUNT),
                             ("update", f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{GRAPH}#b> <{GRAPH}#v> "în timpul" }} }}')):
            status, headers, problem = _sparql(server, method, text, key, timeout=60)
            assert status == 503, (method, problem)
            assert headers["content-type"].startswith("application/problem+json"), method
            assert b"engine-unavailable" in problem and b"not reachable" in problem, problem
            assert int(headers["retry-after"]) > 0
        status, _, during = server.post_json("/match", match)
        assert status == 200 and during["data"] == before["data"]  # the embedded parts are unaffected
        found = server.json("/search", q="OSIM")
        assert found["data"], found

        assert _start(home, http, sql) == url  # same folder, same ports
        assert _count(server) == 1  # the data written before is back; the refused update left nothing
        status, _, body = _sparql(server, "update", f'INSERT DATA {{ GRAPH <{GRAPH}> {{ <{GRAPH}#c> <{GRAPH}#v> '
                                  f'"după" }} }}', key)
        assert status in (200, 204), body  # recovered, no server restart
        assert _count(server) == 2
    finally:
        server.stop()
