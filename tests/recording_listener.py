"""A local TCP listener that records every connection: proof that the server fetched nothing.

Why a real socket: the claim under test is "no request leaves the server", so the test gives
the server a URL that works (127.0.0.1, a free port, answering an empty HTTP 200) and counts
who called. A refusal that still connected, or a fetch that failed late, shows up as a count.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager


class RecordingListener:
    """``url`` to hand out; ``connections`` how many times something connected to it."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.2)
        self.port = self._socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="recording-listener", daemon=True)
        self._thread.start()

    @property
    def connections(self) -> int:
        time.sleep(0.2)  # a connection made just before the check is accepted first
        return len(self.requests)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                data = _read_request(conn)
                self.requests.append(data)
                body = b'{"head": {"vars": []}, "results": {"bindings": []}}'
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
                             b"Content-Length: " + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(2)
        self._socket.close()


@contextmanager
def recording_listener() -> Iterator[RecordingListener]:
    listener = RecordingListener()
    try:
        yield listener
    finally:
        listener.close()


def _read_request(conn: socket.socket) -> bytes:
    """The head and, when it states a Content-Length, the whole body (clients may send them apart)."""
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                       if line.lower().startswith(b"content-length:")), 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
            data += chunk
    except OSError:
        pass
    return data
