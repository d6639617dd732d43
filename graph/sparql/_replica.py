"""The processes that answer queries: an in-memory replica, the workers forked from it, loaders.

Run as ``python -m graph.sparql._entry MODE ...``; never imported by the server for its code.

Why an in-memory replica: on the H2020 data pyoxigraph's in-memory store answers the analyst
queries about 5x faster than the same store on disk (RocksDB lookups of every term), and the
disk store stays the durable source of truth. Why *one* replica with workers forked from it:
a running pyoxigraph query cannot be interrupted, only its process killed; a fresh copy of
~1.2 M quads takes ~15 s to load, but a fork of the loaded replica takes milliseconds and
shares its memory copy-on-write. So a query past its time limit costs one worker, replaced
at once, and the memory of one copy serves every worker.

Why the replica never opens RocksDB itself: forking a process that has RocksDB open hung a
child here once (RocksDB's background threads and locks). The replica stays single-threaded:
a short-lived *loader* process opens the store read-only and streams N-Quads into a pipe
that the replica parses. Modes:

- ``replica CONTROL_FD STORE``: the replica; commands on the control socket (see ``_serve``).
- ``dump STORE [GRAPH]``: the loader: the whole dataset as N-Quads, or one graph as N-Triples.
- ``oneshot FD STORE``: answer one request from the disk store, read-only (used while the
  replica catches up with a write, so a query never sees stale data).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from multiprocessing.reduction import send_handle

import pyoxigraph as ox

from graph.sparql._execute import execute
from graph.store import Generation, generation_key
from ontology._namespaces import PREFIXES

PROVENANCE = "https://w3id.org/innograph/graph/provenance"
_PAIRS = f"SELECT ?g ?run WHERE {{ GRAPH <{PROVENANCE}> {{ ?run <http://www.w3.org/ns/prov#generated> ?g }} }}"

#: The store-generation key, computed on the replica by the store's own function so that it can be
#: compared with the disk store's.
Key = Generation


def generated_pairs(store: ox.Store) -> set[tuple[str, str]]:
    """(graph, run) for every PROV run: a graph whose pairs changed was rewritten."""
    return {(row["g"].value, row["run"].value) for row in store.query(_PAIRS)}  # type: ignore[union-attr]


def _loader(store_path: str, graph: str | None) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "graph.sparql._entry", "dump", store_path] + ([graph] if graph else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE)


def _load(memory: ox.Store, store_path: str, graph: str | None) -> None:
    loader = _loader(store_path, graph)
    assert loader.stdout is not None
    if graph is None:
        memory.load(loader.stdout, format=ox.RdfFormat.N_QUADS)
    else:
        memory.load(loader.stdout, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    if loader.wait() != 0:
        raise OSError(f"the loader of {graph or 'the store'} failed with status {loader.returncode}")


def _worker(conn: Connection, memory: ox.Store) -> None:
    """A forked worker: answer requests until the server closes the connection or kills us."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        conn.send(execute(memory, request))


def _fork_worker(control: Connection, memory: ox.Store, children: set[int]) -> None:
    mine, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        control.close()
        mine.close()
        _worker(Connection(theirs.detach()), memory)
        os._exit(0)
    children.add(pid)
    theirs.close()
    control.send(("forked", pid))
    send_handle(control, mine.fileno(), os.getppid())
    mine.close()


def _serve(control: Connection, store_path: str) -> None:
    """Commands: load | reload GRAPHS DROPS | update TEXT | fork | stop; each is answered."""
    memory = ox.Store()
    children: set[int] = set()

    def reap(*_: object) -> None:
        for pid in list(children):
            try:
                if os.waitpid(pid, os.WNOHANG)[0]:
                    children.discard(pid)
            except ChildProcessError:
                children.discard(pid)

    signal.signal(signal.SIGCHLD, reap)
    while True:
        try:
            command, *args = control.recv()
        except (EOFError, OSError):
            break
        started = time.perf_counter()
        try:
            if command == "stop":
                break
            if command == "fork":
                _fork_worker(control, memory, children)
                continue
            if command == "load":
                memory = ox.Store()
                _load(memory, store_path, None)
            elif command == "reload":
                graphs, drops = args
                for name in [*drops, *graphs]:
                    memory.remove_graph(ox.NamedNode(name))
                for name in graphs:
                    _load(memory, store_path, name)
            elif command == "update":
                memory.update(args[0], prefixes=PREFIXES)
            key = generation_key(memory)
            control.send(("ok", key, sorted(generated_pairs(memory)), time.perf_counter() - started))
        except Exception as exc:  # reported to the server, which reloads or falls back
            control.send(("error", f"{type(exc).__name__}: {exc}"))
    for pid in children:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _dump(store_path: str, graph: str | None) -> None:
    store = ox.Store.read_only(store_path)
    out = sys.stdout.buffer
    try:
        if graph is None:
            store.dump(out, format=ox.RdfFormat.N_QUADS)
        else:
            store.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(graph))
        out.flush()
    except BrokenPipeError:  # the replica was stopped while loading: nobody is reading any more
        os._exit(1)


def _oneshot(conn: Connection, store_path: str) -> None:
    request = conn.recv()
    conn.send(execute(ox.Store.read_only(store_path), request))


def main(argv: list[str]) -> None:
    mode = argv[0]
    if mode == "replica":
        _serve(Connection(int(argv[1])), argv[2])
    elif mode == "dump":
        _dump(argv[1], argv[2] if len(argv) > 2 else None)
    elif mode == "oneshot":
        _oneshot(Connection(int(argv[1])), argv[2])
    else:
        raise SystemExit(f"unknown mode {mode!r}")
