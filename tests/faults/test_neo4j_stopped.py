"""Neo4j stopped while the server runs: ``/cypher`` with ``engine=neo4j`` answers a 503 problem.

A private Neo4j (``scripts/neo4j/start.sh`` on a free port and folder of this test, so the
session's shared Neo4j is never stopped) serves a real ``innograph serve``. With Neo4j stopped,
``engine=neo4j`` answers 503 ``engine-unavailable`` at once (not a 500, not a hang), while the
embedded engine and matching answer as before; started again on the same folder, Neo4j answers
again without a restart of the server. Where Neo4j cannot start the test is skipped with the
reason, except under ``CI=true``, where it fails (as the other Neo4j tests: tests/graph/cypher/cypher_fixtures.py).
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_cli import REPO, innograph
from tests.faults._server import Server, free_port
from tests.graph.cypher.cypher_fixtures import _unavailable
from tests.ingest.readers.test_tabular import ORGS, write

SCRIPTS = REPO / "scripts" / "neo4j"
COUNT = {"query": "MATCH (o:Organisation) RETURN count(o) AS n"}


def _start(port: int, home: Path) -> dict[str, str]:
    """Start the private Neo4j; its NEO4J_* exports, or skip/fail with the reason."""
    if shutil.which("java") is None:
        _unavailable("java is missing")
    try:
        started = subprocess.run(["bash", str(SCRIPTS / "start.sh"), str(port), str(home)], check=False,
                                 capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        _unavailable("scripts/neo4j/start.sh did not finish within 300 s")
    if started.returncode != 0:
        _unavailable(f"scripts/neo4j/start.sh failed: {started.stderr[-800:]}")
    words = shlex.split(started.stdout.strip().removeprefix("export "))
    return dict(word.split("=", 1) for word in words)


def _stop(home: Path) -> None:
    subprocess.run(["bash", str(SCRIPTS / "stop.sh"), str(home)], check=False, capture_output=True, timeout=120,
                   stdin=subprocess.DEVNULL)


@pytest.fixture
def neo4j(tmp_path: Path) -> Iterator[tuple[int, Path, dict[str, str]]]:
    port, home = free_port(), tmp_path / "neo4j"
    try:
        yield port, home, _start(port, home)
    finally:
        _stop(home)


def test_neo4j_stopped_and_started_again_while_the_server_runs(
        neo4j: tuple[int, Path, dict[str, str]], vocab_template: Path, tmp_path: Path) -> None:
    port, home, exports = neo4j
    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    src = write(tmp_path / "src", "organisations.csv", ORGS)
    assert innograph("ingest", str(src.parent), "--name", "demo", data_dir=data).returncode == 0
    server = Server(data, tmp_path / "server.log", INNOGRAPH_NEO4J_URI=exports["NEO4J_URI"],
                    INNOGRAPH_NEO4J_USER=exports.get("NEO4J_USER", "neo4j"),
                    INNOGRAPH_NEO4J_PASSWORD=exports.get("NEO4J_PASSWORD", ""))
    try:
        status, _, body = server.post_json("/cypher", {**COUNT, "engine": "neo4j"})
        assert status == 200, body
        organisations = body["rows"][0][0]
        assert organisations >= 2
        match = {"text": "patent audit for SMEs", "limit": 3}
        status, _, before = server.post_json("/match", match)
        assert status == 200, before

        _stop(home)
        status, headers, problem = server.post_json("/cypher", {**COUNT, "engine": "neo4j"}, timeout=60)
        assert status == 503, problem
        assert headers["content-type"].startswith("application/problem+json")
        assert problem["type"].endswith("engine-unavailable") and "not reachable" in problem["detail"]
        assert int(headers["retry-after"]) > 0  # tells a client when to try again
        status, _, body = server.post_json("/cypher", {**COUNT, "engine": "embedded"})
        assert status == 200 and body["rows"][0][0] == organisations  # the embedded engine is unaffected
        status, _, during = server.post_json("/match", match)
        assert status == 200 and during["data"] == before["data"]  # and so is matching
        server.wait_for("/ready")

        assert _start(port, home)["NEO4J_URI"] == exports["NEO4J_URI"]  # same port, same folder
        status, _, body = server.post_json("/cypher", {**COUNT, "engine": "neo4j"})
        assert status == 200 and body["rows"][0][0] == organisations, body  # recovered, no server restart
    finally:
        server.stop()
