"""Shared fixtures: real stores on disk, loaded with the bundled ontology and vocabularies.

Why on disk: the product's default store is Oxigraph on disk, and crash and restart
behaviour only exists there.
"""

from __future__ import annotations

import csv
import gzip
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from graph.sparql import RemoteStore
from graph.store import GraphStore
from ingest.bundled import REPO_DATA, bundled_sources
from ingest.loading import ingest_path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# Test apps build matching indexes only when a test asks for a match, and share one embedding
# cache: it is keyed by (model, sha256 of the text), so sharing cannot change any result.
os.environ.setdefault("INNOGRAPH_WARM_ON_START", "false")
EMBEDDING_CACHE = Path.home() / ".cache" / "innograph" / "test-embeddings.sqlite"
os.environ.setdefault("INNOGRAPH_EMBEDDING_CACHE", str(EMBEDDING_CACHE))

H2020_TABLE = REPO_DATA / "cordis" / "h2020_participations" / "h2020_participations.csv.gz"


@pytest.fixture(scope="session")
def vocab_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store directory with the ontology and every vocabulary, built once per session."""
    path = tmp_path_factory.mktemp("template") / "store"
    store = GraphStore(path)
    for source, name in bundled_sources():
        if name == "ontology" or (name or "").startswith("vocab-"):
            report = ingest_path(store, source, name=name)
            assert report.ok, report.rejections[:3]
    del store
    return path


@pytest.fixture
def store_dir(vocab_template: Path, tmp_path: Path) -> Path:
    """A fresh copy of the vocabulary store for one test."""
    target = tmp_path / "store"
    shutil.copytree(vocab_template, target, ignore=shutil.ignore_patterns("LOCK"))
    return target


@pytest.fixture
def store(store_dir: Path) -> Iterator[GraphStore]:
    yield GraphStore(store_dir)


def h2020_slice(folder: Path, rows: int, skip: int = 0) -> Path:
    """Write rows ``skip .. skip+rows`` of the real H2020 table as a source folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    with gzip.open(H2020_TABLE, "rt", encoding="utf-8", newline="") as src:
        reader = csv.reader(src)
        header = next(reader)
        kept = [row for i, row in enumerate(reader) if skip <= i < skip + rows]
    target = folder / "h2020_participations.csv.gz"
    with gzip.open(target, "wt", encoding="utf-8", newline="") as dst:
        writer = csv.writer(dst)
        writer.writerow(header)
        writer.writerows(kept)
    return folder


# --- the Virtuoso the suite starts (scripts/virtuoso/start.sh), for the remote-endpoint tests ---

VIRTUOSO_URL = os.environ.get("INNOGRAPH_TEST_VIRTUOSO_URL", "http://127.0.0.1:18890/sparql")
VIRTUOSO_START = Path(__file__).resolve().parents[1] / "scripts" / "virtuoso" / "start.sh"


def _virtuoso_answers() -> bool:
    try:
        return httpx.post(VIRTUOSO_URL, data={"query": "ASK {}"}, timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@pytest.fixture(scope="session")
def endpoint() -> str:
    """The test Virtuoso's SPARQL URL; started when installed but not running.

    Under ``CI=true`` a Virtuoso that cannot be had fails the test; elsewhere it is skipped with the reason.
    """
    if not _virtuoso_answers() and VIRTUOSO_URL.startswith("http://127.0.0.1:18890/"):
        subprocess.run(["bash", str(VIRTUOSO_START)], capture_output=True, timeout=180, check=False)
    if not _virtuoso_answers():
        reason = (f"no Virtuoso at {VIRTUOSO_URL}: run `bash scripts/virtuoso/start.sh` "
                  "(apt-get install virtuoso-opensource)")
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return VIRTUOSO_URL


@pytest.fixture
def remote(endpoint: str) -> Iterator[RemoteStore]:
    """The endpoint as a store, with every innograph graph removed first (tests own the instance)."""
    store = RemoteStore(endpoint, endpoint, timeout_s=60)
    for graph in store.named_graphs():
        store.update(f"DROP SILENT GRAPH {graph}")
    yield store
    store.close()
