"""The RDF store and facts about it: Oxigraph on disk, its generation key, statistics, export.

    GraphStore, open_for_reading   the persistent store, one named graph per source (``_store``)
    RdfStore, Bindings             the backend protocol a remote endpoint also fulfils (``_backend``)
    store_generation, PerGeneration the key of the store's current contents, and a cache keyed on it
    refresh_stale                  rebuild the caches a write made stale (after a write, in the background)
    store_stats, StoreStats        counts per graph and class (``_stats``)
    export, EXPORT_FORMATS         RDF dumps of the store (``_export``)

Everything else in ``graph`` reads from here; this package imports only ``ontology``.
"""

from graph.store._backend import Bindings, RdfStore
from graph.store._export import EXPORT_FORMATS, export
from graph.store._generation import (
    Generation,
    PerGeneration,
    generation_key,
    generation_text,
    refresh_stale,
    store_generation,
)
from graph.store._stats import StoreStats, store_stats
from graph.store._store import PROVENANCE_GRAPH, GraphStore, open_for_reading
from graph.store._store import _diff_update as diff_update

__all__ = [
    "EXPORT_FORMATS",
    "PROVENANCE_GRAPH",
    "Bindings",
    "Generation",
    "GraphStore",
    "PerGeneration",
    "RdfStore",
    "StoreStats",
    "diff_update",
    "export",
    "generation_key",
    "generation_text",
    "open_for_reading",
    "refresh_stale",
    "store_generation",
    "store_stats",
]
