"""A damaged embedding cache or saved matching index is detected, said in the log, and rebuilt.

Both are derived data under the data folder (``graph.matching._embeddings._Cache``, ``graph.matching._index``):
a truncated or garbled file must cost a rebuild at the next start, never a failed match.
Each case builds a fresh ``Matcher`` over the same data folder, as a restarted server does.
"""

from __future__ import annotations

import gc
import logging
import re
import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from common.settings import Settings
from graph.matching import Matcher
from graph.matching._index import MatchIndex
from graph.store import GraphStore, generation_text, store_generation
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path

NEED = "we need a cheaper way to dry grain without gas"


@pytest.fixture(scope="module")
def data(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder with the illustrative offers and requests, its index and a private embedding cache."""
    folder = tmp_path_factory.mktemp("damaged")
    shutil.copytree(vocab_template, folder / "store", ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(folder / "store")
    assert ingest_path(store, REPO_DATA / "illustrative").ok
    return folder


def _matcher(data: Path) -> Matcher:
    return Matcher(GraphStore(data / "store"), Settings(data_dir=data, embedding_cache=data / "cache" / "vectors.sqlite"))


def _first(matcher: Matcher) -> list[str]:
    return [item["name"] for item in matcher.match(NEED, limit=3).data]


@pytest.fixture(scope="module")
def expected(data: Path) -> list[str]:
    names = _first(_matcher(data))
    assert names and names[0].startswith("Heat-pump grain dryer")
    return names


def _index_folders(data: Path) -> list[Path]:
    gc.collect()  # the previous matcher's SQLite connection closes, as when a server process ends
    folders = [f for f in (data / "index").iterdir() if (f / "meta.json").exists()]
    assert folders
    return folders


def test_a_truncated_embedding_cache_is_moved_aside_and_refilled(
        data: Path, expected: list[str], caplog: pytest.LogCaptureFixture) -> None:
    cache = data / "cache" / "vectors.sqlite"
    for folder in _index_folders(data):
        shutil.rmtree(folder)  # the index must be rebuilt, so the cache is read
    size = cache.stat().st_size
    with cache.open("r+b") as handle:
        handle.seek(0)
        handle.write(b"garbage, not SQLite" * 8)
        handle.truncate(size // 3)
    with caplog.at_level(logging.WARNING, logger="graph.matching._embeddings"):
        assert _first(_matcher(data)) == expected
    assert "embedding cache" in caplog.text and "damaged" in caplog.text
    assert (cache.parent / "vectors.sqlite.corrupt").exists()
    with sqlite3.connect(cache) as db:  # the new cache is whole and holds the vectors again
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM vectors").fetchone()[0] > 0


def test_garbled_vectors_in_the_cache_are_encoded_again(
        data: Path, expected: list[str], caplog: pytest.LogCaptureFixture) -> None:
    _first(_matcher(data))  # a whole cache and index to start from
    cache = data / "cache" / "vectors.sqlite"
    with sqlite3.connect(cache) as db:
        garbled = db.execute("UPDATE vectors SET vec = randomblob(length(vec))").rowcount
        db.execute("UPDATE vectors SET vec = X'0102' WHERE rowid = (SELECT min(rowid) FROM vectors)")
    assert garbled > 0
    for folder in _index_folders(data):
        shutil.rmtree(folder)
    with caplog.at_level(logging.WARNING, logger="graph.matching._embeddings"):
        assert _first(_matcher(data)) == expected
    counts = re.findall(r"(\d+) stored vectors are not unit vectors", caplog.text)
    assert sum(int(n) for n in counts) == garbled  # every garbled vector, in each direction's read


@pytest.mark.parametrize("damage", ["truncated vectors", "fewer rows", "garbled profiles", "empty owners"])
def test_a_damaged_saved_index_is_rebuilt(
        data: Path, expected: list[str], damage: str, caplog: pytest.LogCaptureFixture) -> None:
    _first(_matcher(data))
    folders = _index_folders(data)
    for folder in folders:
        if damage == "truncated vectors":
            raw = (folder / "vectors.npy").read_bytes()
            (folder / "vectors.npy").write_bytes(raw[: len(raw) // 2])
        elif damage == "fewer rows":  # a whole .npy file, but not this index's
            np.save(folder / "vectors.npy", np.load(folder / "vectors.npy")[:-1])
        elif damage == "garbled profiles":
            (folder / "profiles.json").write_bytes(b'[{"iri": "x", \xff\xfe')
        else:
            (folder / "owners.npy").write_bytes(b"")
    matcher = _matcher(data)
    with caplog.at_level(logging.WARNING, logger="graph.matching._index"):
        assert _first(matcher) == expected
    assert caplog.text.count("saved matching index") == len(folders)
    assert "rebuilding it from the store" in caplog.text
    generation = generation_text(store_generation(matcher.store))
    for folder in folders:  # what was saved again is whole
        extra = [matcher.multilingual.model_name] if matcher.multilingual else []
        assert MatchIndex.load(folder, generation, matcher.embedder.model_name, extra) is not None


def test_a_server_started_on_damaged_files_answers_match(vocab_template: Path, tmp_path: Path) -> None:
    """Over HTTP: a real server on a folder whose cache and saved index are garbage answers 200, no 500."""
    from tests.cli.test_cli import innograph
    from tests.faults._server import Server

    data = tmp_path / "data"
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    assert innograph("ingest", str(REPO_DATA / "illustrative"), data_dir=data).returncode == 0
    cache = data / "cache" / "vectors.sqlite"
    cache.parent.mkdir(parents=True)
    cache.write_bytes(b"\x00garbage" * 4096)
    (data / "index" / "supply").mkdir(parents=True)
    (data / "index" / "supply" / "meta.json").write_text("{not json")
    log = tmp_path / "server.log"
    server = Server(data, log, INNOGRAPH_EMBEDDING_CACHE=str(cache))
    try:
        status, _, page = server.post_json("/match", {"text": NEED, "limit": 3}, timeout=300)
    finally:
        server.stop()
    assert status == 200, page
    assert page["data"][0]["name"].startswith("Heat-pump grain dryer")
    said = log.read_text()
    assert "embedding cache" in said and "moved aside" in said
    assert "saved matching index" in said and "rebuilding it from the store" in said
