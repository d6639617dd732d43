"""An API over a real on-disk store: the vocabularies, a slice of CORDIS H2020, the partnership,
the illustrative examples, and the Romanian names of two partnership members.

Built once per session (ingest takes seconds) and copied per test or per module, because an
application holds its store's lock and some tests write.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import KeyStore, Role
from common.settings import Settings
from graph.store import GraphStore
from ingest.bundled import REPO_DATA
from ingest.loading import ingest_path
from tests.conftest import h2020_slice
from tests.ingest.readers.test_tabular import ORGS, write

H2020_ROWS = 3000


@pytest.fixture(scope="session")
def api_template(vocab_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder whose store holds everything the API tests read."""
    data = tmp_path_factory.mktemp("api-data")
    shutil.copytree(vocab_template, data / "store", ignore=shutil.ignore_patterns("LOCK"))
    store = GraphStore(data / "store")
    names = write(data / "sources" / "ro-names", "organisations.csv", ORGS).parent  # OSIM, ARoTT in Romanian
    for source, name in (
        (h2020_slice(data / "sources" / "h2020", rows=H2020_ROWS), "cordis-h2020"),
        (REPO_DATA / "union-of-innovation", "union-of-innovation"),
        (REPO_DATA / "illustrative", "illustrative"),
        (names, "ro-names"),
    ):
        report = ingest_path(store, source, name=name)
        assert report.ok, report.rejections[:3]
    del store
    gc.collect()
    return data


def copy_data(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, ignore=shutil.ignore_patterns("LOCK"))
    return target


@pytest.fixture
def data_dir(api_template: Path, tmp_path: Path) -> Path:
    """A private copy of the loaded data folder, for tests that write or change settings."""
    return copy_data(api_template, tmp_path / "data")


@pytest.fixture
def make_client(data_dir: Path) -> Iterator[Callable[..., TestClient]]:
    """Build a client over ``data_dir`` with settings overridden (one app at a time: it holds the lock)."""
    clients: list[TestClient] = []

    def make(**overrides: Any) -> TestClient:
        while clients:  # release the previous app's store before opening it again
            clients.pop().__exit__(None, None, None)
        gc.collect()
        # warm-up: test_warmup; rate limits: test_throttle (a module's tests would share one address's bucket)
        settings = Settings(data_dir=data_dir, **{"warm_on_start": False, "rate_limit_anonymous": 0, **overrides})
        client = TestClient(create_app(settings), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)
    clients.clear()
    gc.collect()


@pytest.fixture
def client(make_client: Callable[..., TestClient]) -> TestClient:
    """A client with default settings over a private copy of the data."""
    return make_client()


@pytest.fixture(scope="module")
def reader(api_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A client shared by a module's read-only tests."""
    data = copy_data(api_template, tmp_path_factory.mktemp("api-read") / "data")
    with TestClient(create_app(Settings(data_dir=data, warm_on_start=False, rate_limit_anonymous=0)), raise_server_exceptions=False) as shared:
        yield shared
    del shared
    gc.collect()


@pytest.fixture
def keys(data_dir: Path) -> Callable[[Role], str]:
    """Create a key of a role in ``data_dir`` and return its plaintext."""
    store = KeyStore(Settings(data_dir=data_dir).keys_file)

    def create(role: Role) -> str:
        return store.create(f"test {role}", role)[1]

    return create


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    """The response is an RFC 9457 problem with ``status``; returns its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("https://w3id.org/innograph/problem/")
    assert body["title"] and body["detail"] and body["instance"]
    return body


def settled(client: TestClient, seconds: float = 600) -> None:
    """Wait until the app's after-write follow-up (``graph.writes``: saved needs, caches) has run.

    Why tests need it: a write answers before its background follow-up ends, so what the
    follow-up records (an alert's hits, a warm cache) is there a moment after the answer.
    """
    assert client.app.state.after_write.wait(seconds), "the after-write follow-up did not finish"  # type: ignore[attr-defined]
