"""A real ``innograph serve`` process over a data folder, for the fault tests: start, SIGKILL, restart.

Why a process of its own: a SIGKILL must hit the process that holds the store, as it would a
server killed by the kernel or an operator, and the restart must open the same folder afresh.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from tests.cli.test_cli import REPO


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``python -m cli.main serve`` on a free port; ``kill()`` sends SIGKILL, ``stop()`` SIGTERM."""

    def __init__(self, data: Path, log: Path, **env: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "PYTHONPATH": str(REPO), "INNOGRAPH_WARM_ON_START": "false",
                       "INNOGRAPH_RATE_LIMIT_ANONYMOUS": "0", "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", **env}
        self._log = log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(self.port), "--data-dir", str(data)],
            cwd=REPO, env=environment, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: kill() takes the SPARQL workers too
        )
        self.wait_for("/health")

    def wait_for(self, path: str, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, "the server exited"
            try:
                with urllib.request.urlopen(self.base + path, timeout=5) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.3)
        raise AssertionError(f"the server did not answer {path} with 200 within {seconds} s")

    def json(self, path: str, **params: str) -> Any:
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": "application/json"}),
                                    timeout=60) as response:
            return json.loads(response.read())

    def post_json(self, path: str, body: dict[str, Any], timeout: float = 60) -> tuple[int, dict[str, str], Any]:
        """(status, headers, JSON body) of a POST, for error answers too; a hang past ``timeout`` raises."""
        request = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, dict(response.headers), json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), json.loads(error.read())

    def select(self, query: str) -> list[dict[str, str]]:
        """The rows of a SELECT through ``/sparql`` as {variable: value}."""
        body = self.json("/sparql", query=query, format="json")
        return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]

    def send_raw(self, path: str, headers: dict[str, str], body: bytes) -> socket.socket:
        """Send a whole POST request and return the open socket without reading the answer."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=60)
        head = "".join(f"{k}: {v}\r\n" for k, v in {**headers, "Content-Length": str(len(body))}.items())
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{head}\r\n".encode() + body)
        return sock

    def kill(self) -> None:
        """SIGKILL to the server and its workers at once, as systemd or the OOM killer of a container would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)
        self._log.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(60)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self._log.close()
