"""Fixtures of the Cypher tests: a real slice of the bundled data, projected into both engines.

The slice: the vocabularies, the partnership, the illustrative examples, the CORDIS
composite extract, and every H2020 participation of the first projects that have a
Romanian participant (complete consortia, about 3,000 rows), so the analyst questions about
Romania have real answers and a full test run stays fast.

Neo4j: ``NEO4J_URI`` / ``INNOGRAPH_NEO4J_URI`` when set, else ``scripts/neo4j/start.sh`` on a
free port (stopped at the end). Under ``CI=true`` a Neo4j that cannot start fails the tests
that need it; elsewhere they are skipped with the reason.
"""

from __future__ import annotations

import csv
import gc
import gzip
import os
import shlex
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.settings import Settings
from graph.cypher import rebuild_projection
from graph.cypher._embedded import EmbeddedEngine
from graph.cypher._neo4j import Neo4jEngine
from graph.cypher._projection_extract import ProjectionData, extract
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import H2020_TABLE

REPO = Path(__file__).resolve().parents[3]
SLICE_ROWS = 3000


def ro_consortia_slice(folder: Path, max_rows: int = SLICE_ROWS, country: str = "RO") -> Path:
    """All participations of the first H2020 projects with a participant from ``country``."""
    with gzip.open(H2020_TABLE, "rt", encoding="utf-8", newline="") as src:
        reader = csv.reader(src)
        header = next(reader)
        rows = list(reader)
    rcn, ctry = header.index("rcn"), header.index("country")
    wanted = {row[rcn] for row in rows if row[ctry] == country}
    kept: list[list[str]] = []
    by_project: dict[str, list[list[str]]] = {}
    for row in rows:
        if row[rcn] in wanted:
            by_project.setdefault(row[rcn], []).append(row)
    for project_rows in by_project.values():
        if len(kept) + len(project_rows) > max_rows:
            break
        kept.extend(project_rows)
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(folder / "h2020_participations.csv.gz", "wt", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        writer.writerow(header)
        writer.writerows(kept)
    parts = H2020_TABLE.with_name("programme_parts.csv.gz")
    shutil.copy(parts, folder / parts.name)
    return folder


@pytest.fixture(scope="session")
def cypher_data(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A data folder: the slice in the RDF store and its projection in the embedded engine."""
    data = tmp_path_factory.mktemp("cypher-data")
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(data / "store")
    for source, name in (
        (ro_consortia_slice(data / "sources" / "h2020"), "cordis-h2020"),
        (REPO_DATA / "cordis" / "composite", "cordis-composite"),
        (REPO_DATA / "union-of-innovation", "union-of-innovation"),
        (REPO_DATA / "illustrative", "illustrative"),
    ):
        report = ingest_path(store, source, name=name)
        assert report.records_written, report.rejections[:3]
    rebuild_projection(store, Settings(data_dir=data), ["embedded"])
    del store
    gc.collect()
    yield data


@pytest.fixture(scope="session")
def projection_data(cypher_data: Path, tmp_path_factory: pytest.TempPathFactory) -> ProjectionData:
    """The slice's projection, extracted once (a copy of the store: the original stays closed)."""
    copy = tmp_path_factory.mktemp("cypher-extract") / "store"
    shutil.copytree(cypher_data / "store", copy, ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(copy)
    data = extract(store)
    del store
    gc.collect()
    return data


@pytest.fixture(scope="session")
def cypher_embedded(cypher_data: Path) -> Iterator[EmbeddedEngine]:
    engine = EmbeddedEngine(Settings(data_dir=cypher_data).cypher_dir, memory_mb=256)
    yield engine
    engine.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"Neo4j is required under CI=true: {reason}", pytrace=False)
    pytest.skip(f"no Neo4j: {reason}")


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """URI, user and password of a running Neo4j (started here when none is configured)."""
    uri = os.environ.get("INNOGRAPH_NEO4J_URI") or os.environ.get("NEO4J_URI")
    if uri:
        yield {"uri": uri, "user": os.environ.get("NEO4J_USER", "neo4j"),
               "password": os.environ.get("INNOGRAPH_NEO4J_PASSWORD") or os.environ.get("NEO4J_PASSWORD", "")}
        return
    script = REPO / "scripts" / "neo4j" / "start.sh"
    if not script.exists() or shutil.which("java") is None:
        _unavailable(f"{script} or java is missing")
    home = tmp_path_factory.mktemp("neo4j")
    try:
        started = subprocess.run(["bash", str(script), str(_free_port()), str(home)], check=False,
                                 capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        _unavailable("scripts/neo4j/start.sh did not finish in 15 minutes")
    if started.returncode != 0:
        _unavailable(f"scripts/neo4j/start.sh failed: {started.stderr[-2000:]}")
    found = dict(part.split("=", 1) for part in shlex.split(started.stdout.replace("export ", " ")) if "=" in part)
    try:
        yield {"uri": found["NEO4J_URI"], "user": found.get("NEO4J_USER", "neo4j"),
               "password": found.get("NEO4J_PASSWORD", "")}
    finally:
        subprocess.run(["bash", str(REPO / "scripts" / "neo4j" / "stop.sh"), str(home)], check=False,
                       capture_output=True, timeout=120, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="session")
def cypher_neo4j(neo4j_server: dict[str, str], projection_data: ProjectionData) -> Iterator[Neo4jEngine]:
    """A Neo4j engine holding the same projection as ``embedded``."""
    engine = Neo4jEngine(neo4j_server["uri"], neo4j_server["user"], neo4j_server["password"] or None)
    try:
        engine.load(projection_data)
    except Exception as exc:  # reported as unavailable, with the reason
        engine.close()
        _unavailable(f"cannot load the projection into {neo4j_server['uri']}: {exc}")
    yield engine
    engine.close()
