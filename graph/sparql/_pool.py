"""The server's side of query execution: the replica, its workers, time limits, catching up.

How a query runs (``ReplicaPool.run``):

1. The disk store's generation key is read (a sub-millisecond PROV query). If the replica
   holds that generation, an idle worker forked from it takes the query (the one that ran most
   recently: its CPU caches and page tables are warm, ~25% faster on small queries than
   alternating); if all are busy the request waits for one, and the wait counts against its
   time limit.
2. If the replica is behind (a write just happened) the query runs in a one-shot child that
   opens the disk store read-only: slower, but never stale, and killed at the limit too.
3. A worker that passes the limit is killed (SIGKILL: the only way to stop pyoxigraph) and
   the manager thread forks a replacement from the replica in milliseconds.

How the replica catches up (the manager thread, woken by ``changed`` or by a query that saw
a newer key): SPARQL updates are replayed on it in order (the exact text that ran on disk,
PROV record included, so the keys agree); graphs rewritten by an ingest (a new PROV run
names them) are reloaded from disk one by one; anything else, or a key that still differs,
means a full reload. Then stale workers are retired and fresh ones forked.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.reduction import recv_handle
from pathlib import Path

from common.errors import QueryError, QueryTimeoutError
from graph.sparql._execute import Answer, QueryRequest
from graph.sparql._replica import PROVENANCE, Key

log = logging.getLogger(__name__)
_REPO = str(Path(__file__).resolve().parents[2])
#: How long a read of the disk store's generation key is trusted (see ``ReplicaPool._current_key``).
KEY_TTL_S = 0.25


def child_env() -> dict[str, str]:
    """The environment of our child processes: this checkout importable whatever the cwd."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_REPO, env.get("PYTHONPATH")) if p)
    return env


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@dataclass(eq=False)
class _Worker:
    pid: int
    conn: Connection
    epoch: int


class ReplicaPool:
    """A replica of the disk store in memory and ``workers`` processes forked from it.

    ``disk_key`` and ``disk_pairs`` read the generation key and the PROV (graph, run) pairs
    of the disk store; ``flush`` makes its last writes visible to a read-only opener;
    ``write_lock`` is the lock every writer holds (catching up holds it too).
    """

    def __init__(
        self,
        store_path: Path,
        disk_key: Callable[[], Key],
        disk_pairs: Callable[[], set[tuple[str, str]]],
        flush: Callable[[], None],
        workers: int = 2,
        write_lock: AbstractContextManager[object] | None = None,
    ) -> None:
        self.store_path = str(store_path)
        self._disk_key, self._disk_pairs, self._flush = disk_key, disk_pairs, flush
        self.size = max(1, workers)
        self._write_lock = write_lock
        self._cond = threading.Condition()
        self._control_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopped = False
        self._zygote: subprocess.Popen[bytes] | None = None
        self._control: Connection | None = None
        self._replica_key: Key | None = None
        self._replica_pairs: set[tuple[str, str]] = set()
        self._epoch = 0
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._replays: list[str] = []
        self._full = False
        self._key_cache: tuple[float, Key] | None = None
        self._changes = 0
        self._manager = threading.Thread(target=self._manage, name="sparql-replica", daemon=True)
        self.stats = {"replica_queries": 0, "disk_queries": 0, "timeouts": 0, "reloads": 0, "replays": 0}

    # --- lifecycle ---------------------------------------------------------------------------

    def start(self) -> None:
        self._manager.start()
        self._wake.set()

    def stop(self) -> None:
        with self._cond:
            self._stopped = True
            workers = [*self._idle, *self._busy]
            self._idle.clear()
            self._busy.clear()
            self._cond.notify_all()
        for worker in workers:
            _kill(worker.pid)
            worker.conn.close()
        if self._zygote is not None and self._zygote.poll() is None:
            self._zygote.kill()  # a load in progress ends now; the manager sees EOF and exits
        self._wake.set()
        if self._manager.is_alive():
            self._manager.join(10)
        self._stop_zygote()

    def ready(self, timeout_s: float = 60.0) -> bool:
        """Wait until the replica holds the disk store's generation and a worker is up (tests)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            with self._cond:
                if self._replica_key == self._disk_key() and any(w.epoch == self._epoch for w in self._idle):
                    return True
            self._wake.set()
            time.sleep(0.05)
        return False

    def changed(self, replay: str | None = None, *, full: bool = False) -> None:
        """The disk store was written: ``replay`` is the update text that did it, if any;
        ``full`` when the change cannot be replayed or located (the replica reloads everything)."""
        with self._cond:
            if replay is not None:
                self._replays.append(replay)
            self._full = self._full or full
            self._key_cache = None
            self._changes += 1
        self._wake.set()

    def _current_key(self) -> Key:
        """The disk store's generation, re-read at most every ``KEY_TTL_S`` unless ``changed`` was called.

        Reading it costs ~0.3 ms, as much as a small query; every write through this process
        calls ``changed`` before it answers its client, so a query after a write always sees
        the new key. A write that skips ``notify_store_changed`` is noticed within the TTL.
        """
        now = time.monotonic()
        cached = self._key_cache
        if cached is not None and now - cached[0] < KEY_TTL_S:
            return cached[1]
        changes = self._changes
        key = self._disk_key()
        with self._cond:
            if changes == self._changes:  # no write was announced while we read: safe to reuse
                self._key_cache = (now, key)
        return key

    # --- queries -------------------------------------------------------------------------------

    def run(self, request: QueryRequest, timeout_s: float) -> Answer:
        deadline = time.monotonic() + timeout_s
        current = self._current_key()
        worker = None
        with self._cond:
            if self._replica_key != current or self._stopped:
                self._wake.set()
            else:
                while worker is None:
                    worker = next((w for w in reversed(self._idle) if w.epoch == self._epoch), None)
                    if worker is None:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            self.stats["timeouts"] += 1
                            raise QueryTimeoutError(timeout_s)
                        self._cond.wait(min(remaining, 0.5))
                        if self._replica_key != current:
                            break
                if worker is not None:
                    self._idle.remove(worker)
                    self._busy.add(worker)
        if worker is None:
            self.stats["disk_queries"] += 1
            return self._oneshot(request, deadline, timeout_s)
        self.stats["replica_queries"] += 1
        return self._on_worker(worker, request, deadline, timeout_s)

    def _on_worker(self, worker: _Worker, request: QueryRequest, deadline: float, timeout_s: float) -> Answer:
        keep = False
        try:
            worker.conn.send(request)
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self.stats["timeouts"] += 1
                raise QueryTimeoutError(timeout_s)
            answer: Answer = worker.conn.recv()
            keep = True
            return answer
        except (EOFError, OSError):
            raise QueryError("the query process died without an answer (out of memory?)") from None
        finally:
            with self._cond:
                self._busy.discard(worker)
                if keep and worker.epoch == self._epoch and not self._stopped:
                    self._idle.append(worker)
                else:
                    _kill(worker.pid)
                    worker.conn.close()
                    self._wake.set()  # fork a replacement
                self._cond.notify_all()

    def _oneshot(self, request: QueryRequest, deadline: float, timeout_s: float) -> Answer:
        return run_oneshot(Path(self.store_path), request, timeout_s, self._flush, deadline)

    # --- the manager thread --------------------------------------------------------------------

    def _manage(self) -> None:
        failures = 0
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stopped:
                return
            try:
                self._catch_up()
                self._fill()
                failures = 0
            except Exception:
                if self._stopped:
                    return
                failures += 1
                log.exception("the SPARQL replica failed; queries use the disk store until it is back")
                with self._cond:
                    self._replica_key = None
                self._stop_zygote()
                time.sleep(min(30.0, 0.5 * 2**failures))
                self._wake.set()

    def _command(self, *command: object) -> tuple[Key, set[tuple[str, str]]]:
        assert self._control is not None
        self._control.send(command)
        status, *rest = self._control.recv()
        if status != "ok":
            raise RuntimeError(f"replica command {command[0]} failed: {rest[0]}")
        key, pairs, seconds = rest
        log.info("replica %s took %.2f s", command[0], seconds)
        return tuple(key), {tuple(p) for p in pairs}

    def _catch_up(self) -> None:
        # Under the write lock: no write can land between reading the disk store's state and
        # loading from it, so a replayed update is never also loaded (and applied twice).
        with self._control_lock, self._write_lock or nullcontext():
            if self._zygote is None or self._zygote.poll() is not None:
                self._start_zygote()
            with self._cond:
                replays, self._replays = self._replays, []
                full, self._full = self._full, False
            key, pairs = self._replica_key, self._replica_pairs
            if full:
                key, replays = None, []
            for text in replays:
                if key is not None:
                    key, pairs = self._command("update", text)
                    self.stats["replays"] += 1
            self._flush()
            disk = self._disk_key()
            if key is not None and key != disk:
                disk_pairs = self._disk_pairs()
                rewritten = {g for g, _ in disk_pairs - pairs}
                dropped = {g for g, _ in pairs} - {g for g, _ in disk_pairs}
                key, pairs = self._command("reload", sorted(rewritten | {PROVENANCE}), sorted(dropped))
            if key != disk:
                key, pairs = self._command("load")
                self.stats["reloads"] += 1
            with self._cond:
                if key != self._replica_key or pairs != self._replica_pairs:
                    self._epoch += 1
                self._replica_key, self._replica_pairs = key, pairs
                stale = [w for w in self._idle if w.epoch != self._epoch]
                for worker in stale:
                    self._idle.remove(worker)
                    _kill(worker.pid)
                    worker.conn.close()
                self._cond.notify_all()

    def _fill(self) -> None:
        """Fork workers from the replica until ``size`` of the current epoch exist."""
        while True:
            with self._cond:
                current = sum(1 for w in [*self._idle, *self._busy] if w.epoch == self._epoch)
                if self._stopped or current >= self.size or self._replica_key is None:
                    return
                epoch = self._epoch
            with self._control_lock:
                assert self._control is not None
                self._control.send(("fork",))
                _, pid = self._control.recv()
                fd = recv_handle(self._control)
            worker = _Worker(pid, Connection(fd), epoch)
            with self._cond:
                self._idle.append(worker)
                self._cond.notify_all()

    def _start_zygote(self) -> None:
        self._stop_zygote()
        mine, theirs = socket.socketpair()
        self._zygote = subprocess.Popen(
            [sys.executable, "-m", "graph.sparql._entry", "replica", str(theirs.fileno()), self.store_path],
            pass_fds=(theirs.fileno(),), env=child_env(),
        )
        theirs.close()
        self._control = Connection(mine.detach())
        self._flush()
        key, pairs = self._command("load")
        with self._cond:
            self._replica_key, self._replica_pairs = key, pairs
            self._epoch += 1

    def _stop_zygote(self) -> None:
        if self._control is not None:
            try:
                self._control.send(("stop",))
            except OSError:
                pass
            self._control.close()
            self._control = None
        if self._zygote is not None:
            try:
                self._zygote.wait(5)
            except subprocess.TimeoutExpired:
                self._zygote.kill()
                self._zygote.wait(5)
            self._zygote = None


def run_oneshot(store_path: Path, request: QueryRequest, timeout_s: float, flush: Callable[[], None],
                deadline: float | None = None) -> Answer:
    """Answer from the disk store in a child of its own (read-only open), killed at the limit.

    Slower than the replica (a process start, and RocksDB lookups), but it always sees the
    latest write: used while the replica catches up, or when the replica is switched off.
    """
    deadline = deadline if deadline is not None else time.monotonic() + timeout_s
    flush()
    mine, theirs = socket.socketpair()
    child = subprocess.Popen(
        [sys.executable, "-m", "graph.sparql._entry", "oneshot", str(theirs.fileno()), str(store_path)],
        pass_fds=(theirs.fileno(),), env=child_env(),
    )
    theirs.close()
    conn = Connection(mine.detach())
    try:
        conn.send(request)
        if not conn.poll(max(0.0, deadline - time.monotonic())):
            raise QueryTimeoutError(timeout_s)
        answer: Answer = conn.recv()
        return answer
    except (EOFError, OSError):
        raise QueryError("the query process died without an answer (out of memory?)") from None
    finally:
        conn.close()
        if child.poll() is None:
            child.kill()
        child.wait(5)
