"""Fixtures shared by the graph/ tests of several rooms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.records import RecordService
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path


@pytest.fixture
def records(vocab_template: Path, tmp_path: Path) -> RecordService:
    """Members' records over a private store holding the vocabularies and the illustrative examples."""
    shutil.copytree(vocab_template, tmp_path / "store", ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(tmp_path / "store")
    assert ingest_path(store, REPO_DATA / "illustrative", name="illustrative").ok
    return RecordService(store)
