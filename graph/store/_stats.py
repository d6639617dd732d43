"""What is in the store: triples, entities per class, sources and their last run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.store._store import PROVENANCE_GRAPH, GraphStore

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class ORDER BY DESC(?n) ?class
"""

SOURCES = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX ig: <https://w3id.org/innograph/def#>
SELECT ?prov ?graph ?kind ?ended ?read ?written ?rejected ?hash WHERE {
  GRAPH ?prov {
    ?run prov:generated ?graph ; prov:endedAtTime ?ended ; ig:sourceKind ?kind ;
         ig:recordsRead ?read ; ig:recordsWritten ?written ; ig:recordsRejected ?rejected ; ig:sourceHash ?hash .
    FILTER NOT EXISTS { ?later prov:generated ?graph ; prov:endedAtTime ?e2 . FILTER(?e2 > ?ended) }
  }
} ORDER BY ?graph
"""


@dataclass
class StoreStats:
    quads: int
    classes: list[tuple[str, int]]
    sources: list[dict[str, Any]]

    def as_dict(self) -> dict[str, Any]:
        return {
            "quads": self.quads,
            "classes": [{"class": c, "entities": n} for c, n in self.classes],
            "sources": self.sources,
        }


def store_stats(store: GraphStore) -> StoreStats:
    """Counts for ``innograph stats`` and ``GET /stats``; a few seconds on the full H2020 data."""
    ox_store = store.oxigraph
    classes = [
        (row["class"].value, int(row["n"].value))
        for row in ox_store.query(CLASS_COUNTS, use_default_graph_as_union=True)  # type: ignore[union-attr]
    ]
    import pyoxigraph as ox

    sources = []
    for row in ox_store.query(SOURCES, substitutions={ox.Variable("prov"): PROVENANCE_GRAPH}):  # type: ignore[union-attr]
        graph = row["graph"]
        sources.append(
            {
                "graph": graph.value,
                "kind": row["kind"].value,
                "last_run": row["ended"].value,
                "records_read": int(row["read"].value),
                "records_written": int(row["written"].value),
                "records_rejected": int(row["rejected"].value),
                "quads": store.count(graph),
                "sha256": row["hash"].value,
            }
        )
    return StoreStats(len(store.oxigraph), classes, sources)
