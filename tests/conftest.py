"""Shared fixtures: real stores on disk, loaded with the bundled ontology and vocabularies.

Why on disk: the product's default store is Oxigraph on disk, and crash and restart
behaviour only exists there.
"""

from __future__ import annotations

import csv
import gzip
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

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
