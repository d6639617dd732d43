"""A real server and a real browser: uvicorn on a free port over a small real data folder, and
Debian's Chromium driven by Playwright.

Why a subprocess server and not TestClient: the browser needs a socket, and a server of its
own process holds the store's lock the way ``innograph serve`` does. Why Debian's Chromium
(``/usr/bin/chromium``) and never ``playwright install``: nothing may be downloaded at test
time. Where Chromium is missing the tests skip, except under ``CI=true``, where they fail:
CI installs it (``apt-get install -y chromium``) and must not pass without running them. The same
holds for cytoscape.js, which the set-up installs from npm (``npm ci --prefix ui``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.conftest import api_template, copy_data  # noqa: F401 - the shared data folder fixture

CHROMIUM = Path(os.environ.get("INNOGRAPH_CHROMIUM", "/usr/bin/chromium"))
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
CYTOSCAPE = REPO / "ui" / "node_modules" / "cytoscape" / "dist" / "cytoscape.min.js"
VIEWPORT = {"width": 1366, "height": 900}


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _add_organisation_directory(data: Path) -> None:
    """Load the bundled CORDIS organisation directory (issue 11) so the views show names and counties."""
    import gc

    from graph.store import GraphStore
    from ingest.bundled import REPO_DATA
    from ingest.loading import ingest_path

    store = GraphStore(data / "store")
    report = ingest_path(store, REPO_DATA / "cordis" / "organisation_directory", name="cordis-organisations")
    assert report.kind == "cordis-organisations"  # its located rejections (bad postcodes) keep the rest of the row
    del store
    gc.collect()


@pytest.fixture(scope="session")
def server_data(api_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:  # noqa: F811
    """The data folder the UI server runs on (tests create API keys in its key file; the server reloads it)."""
    data = copy_data(api_template, tmp_path_factory.mktemp("ui-data") / "data")
    _add_organisation_directory(data)
    return data


@pytest.fixture(scope="session")
def server(server_data: Path) -> Iterator[str]:
    """Base URL of uvicorn serving ``tests.ui._app:app_from_environment`` over a copy of the API data."""
    data = server_data
    port = _free_port()
    env = {**os.environ, "INNOGRAPH_DATA_DIR": str(data), "INNOGRAPH_WARM_ON_START": "true",
           "INNOGRAPH_RATE_LIMIT_ANONYMOUS": "0",  # one browser's address is every user here
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": str(REPO)}
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "tests.ui._app:app_from_environment",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # /ready waits for every warmed component (api.warmup)
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited: {(data / 'server.log').read_text()[-2000:]}")
        try:
            if httpx.get(f"{base}/ready", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the server did not become ready in 300 s")
    yield base
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium; skipped (failed under CI=true) when it cannot start."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    if not CHROMIUM.is_file() or not shutil.which(str(CHROMIUM)):
        _unavailable(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    if not CYTOSCAPE.is_file():
        _unavailable(f"{CYTOSCAPE} is missing (npm ci --prefix ui)")
    with sync_playwright() as playwright:
        try:
            instance = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS, timeout=60_000)
        except Error as exc:
            _unavailable(f"chromium did not start: {exc}")
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A fresh tab on the server; console errors fail the test."""
    context = browser.new_context(viewport=VIEWPORT, base_url=server)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    # the server's Content-Security-Policy must block nothing the UI needs (api.security)
    tab.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
    yield tab
    context.close()
    assert not errors, errors


@pytest.fixture
def open_tab(browser: Any, server: str) -> Iterator[Callable[..., Any]]:
    """A factory of tabs, each in a fresh context (its own localStorage and sessionStorage; ``locale``
    sets navigator.language); page errors and CSP violations fail the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make(locale: str = "en-GB") -> Any:
        context = browser.new_context(viewport=VIEWPORT, base_url=server, locale=locale)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(30_000)
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda m: errors.append(m.text) if "Content Security Policy" in m.text else None)
        return tab

    yield make
    for context in contexts:
        context.close()
    assert not errors, errors


def shoot(page: Any, name: str) -> Path:
    """Save a screenshot as docs/screenshots/<name>.png (committed: the README shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    return target
