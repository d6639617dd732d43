"""Dense matching through a real Neo4j vector index gives the numpy scan's ranking."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pydantic import SecretStr

from common.settings import Settings
from graph.matching import Matcher
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import EMBEDDING_CACHE

pytest_plugins = ("tests.graph.cypher.cypher_fixtures",)

NEEDS = [
    "we need a cheaper way to dry grain without gas",
    "dairy wastewater treatment with energy recovery",
    "predictive maintenance of CNC machines",
    "monitoring water quality in rivers with sensors",
]


@pytest.fixture(scope="module")
def data(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("vectors")
    shutil.copytree(vocab_template, folder / "store")
    store = GraphStore(folder / "store")
    for source in (REPO_DATA / "illustrative", REPO_DATA / "cordis" / "composite"):
        ingest_path(store, source)
    del store
    return folder


def test_neo4j_vector_index_ranks_like_the_numpy_scan(data: Path, neo4j_server: dict[str, str]) -> None:
    base = dict(data_dir=data, embedding_cache=EMBEDDING_CACHE, neo4j_uri=neo4j_server["uri"],
                neo4j_user=neo4j_server["user"],
                neo4j_password=SecretStr(neo4j_server["password"]) if neo4j_server["password"] else None)
    store = GraphStore(data / "store")
    exact = Matcher(store, Settings(**base, dense_backend="numpy"))
    via_neo4j = Matcher(store, Settings(**base, dense_backend="neo4j"), embedder=exact.embedder)
    for need in NEEDS:
        a = [r["id"] for r in exact.match(need, mode="dense", limit=5).data]
        b = [r["id"] for r in via_neo4j.match(need, mode="dense", limit=5).data]
        assert a[0] == b[0], need
        assert len(set(a) & set(b)) >= 4, (need, a, b)
    written = via_neo4j._neo4j["supply"]
    assert written.synced is not None
    assert not written.sync(exact.index("supply").owners, exact.index("supply").vectors, written.synced)
