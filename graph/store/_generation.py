"""Which version of the store a derived structure was built from.

Why not the number of quads: ``len(store)`` scans the whole RocksDB index (150-200 ms on the
1.2 M quads of the bundled data, measured here), too slow to ask on every request. Every
write that changes data goes through ``ingest.loading.ingest_path``, which records a PROV run
in the same transaction; so the number of runs and the latest end time, read from the small
provenance graph in well under a millisecond, change exactly when the data can have changed.
The named graphs are added to the key so a graph removed without a run (``recover`` at open,
``clear_graph``) also counts as a new generation.

One key, one implementation: the SPARQL replica computes it on its in-memory copy with
``generation_key`` and compares it with the disk store's; matching indexes record its text
form (``generation_text``) in their meta.json; the Cypher projection records it as a list.

>>> from graph.store import GraphStore
>>> store_generation(GraphStore(None))
(0, '', 0)
>>> generation_text((3, '2026-12-04T07:00:00+00:00', 12))
'3/2026-12-04T07:00:00+00:00/12'
"""

from __future__ import annotations

import itertools
import logging
import threading
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import pyoxigraph as ox

from graph.store._store import PROVENANCE_GRAPH, GraphStore

log = logging.getLogger(__name__)
T = TypeVar("T")
Generation = tuple[int, str, int]

LATEST_RUN = f"""
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT (COUNT(?run) AS ?runs) (MAX(STR(?ended)) AS ?last) WHERE {{
  GRAPH {PROVENANCE_GRAPH} {{ ?run prov:endedAtTime ?ended }}
}}
"""


def store_generation(store: GraphStore) -> Generation:
    """(PROV runs, latest run end, named graphs): equal keys mean the same data."""
    return generation_key(store.oxigraph)


def generation_key(store: ox.Store) -> Generation:
    """The key of a bare Oxigraph store: the disk store's, or the SPARQL replica's in-memory copy."""
    rows = list(store.query(LATEST_RUN))  # type: ignore[arg-type]
    runs = int(rows[0]["runs"].value) if rows else 0
    last = rows[0]["last"] if rows else None
    graphs = sum(1 for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    return runs, last.value if last is not None else "", graphs


def generation_text(key: Generation) -> str:
    """The key as one string, as matching indexes record it in their meta.json."""
    return "/".join(str(part) for part in key)


class PerGeneration(Generic[T]):
    """A value computed from the store once per generation, rebuilt after the next ingest.

    Thread-safe: concurrent requests after an ingest wait for one rebuild instead of each
    starting their own.

    >>> from graph.store import GraphStore
    >>> counter = PerGeneration(lambda store: len(store.oxigraph))
    >>> counter.get(GraphStore(None))
    0
    """

    def __init__(self, build: Callable[[GraphStore], T],
                 key: Callable[[GraphStore], Generation] = store_generation) -> None:
        """``key``: which writes make the value stale; by default every write (``store_generation``)."""
        self._build = build
        self._key_of = key
        self._lock = threading.Lock()
        self._key: Generation | None = None
        self._value: T | None = None
        self._store: weakref.ref[GraphStore] | None = None  # the store it was last built from
        _LIVE[next(_NUMBER)] = self

    @property
    def name(self) -> str:
        """What it holds, for logs: the build function's module and name."""
        return f"{getattr(self._build, '__module__', '?')}.{getattr(self._build, '__qualname__', '?')}"

    def get(self, store: GraphStore) -> T:
        key = self._key_of(store)
        with self._lock:
            if self._key != key or self._value is None:
                self._value = self._build(store)
                self._key = key
                self._store = weakref.ref(store)
            return self._value

    def stale_for(self, store: GraphStore) -> bool:
        """Built from ``store`` before, for another generation than its current one (by this cache's own key)."""
        return self._store is not None and self._store() is store and self._key != self._key_of(store)


#: Every live cache, in creation order (weakly: a cache dropped with its store leaves by itself).
_LIVE: weakref.WeakValueDictionary[int, PerGeneration[Any]] = weakref.WeakValueDictionary()
_NUMBER = itertools.count()


def refresh_stale(store: GraphStore) -> list[str]:
    """Rebuild, now and in creation order, every ``PerGeneration`` value built from ``store`` that a write made stale.

    Why: otherwise the first request after a write pays the rebuild (the indicator facts take
    18-37 s on the full data). Only values someone built before are rebuilt, so an installation
    that never asks for indicators never pays for them. Returns the names of those rebuilt;
    run it in a background thread (``graph.writes``): requests meanwhile wait for the same
    rebuild instead of starting their own.

    >>> from graph.store import GraphStore
    >>> refresh_stale(GraphStore(None))
    []
    """
    rebuilt = []
    for cache in list(_LIVE.values()):
        if cache.stale_for(store):
            try:
                cache.get(store)
            except Exception:  # one broken cache must not keep the others stale; its next use retries
                log.exception("rebuilding %s after a write failed; its next use builds it", cache.name)
                continue
            rebuilt.append(cache.name)
    return rebuilt
